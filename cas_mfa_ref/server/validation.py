"""CAS's ticket validation responses: ``cas:serviceResponse`` XML, and JSON with ``format=JSON``.

The shapes are those of CAS's views: ``Cas20ServiceSuccessView``/``Cas30ServiceSuccessView`` (XML, one
``cas:<name>`` element per value) and ``Cas30JsonServiceResponse`` (JSON, every value a list). CAS answers
200 whether the ticket validates or not; the body says which.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from cas_mfa_ref.protocol.cas import ValidationResult

NAMESPACE = "http://www.yale.edu/tp/cas"
XML_TYPE = "application/xml;charset=UTF-8"
JSON_TYPE = "application/json;charset=UTF-8"


def render(result: ValidationResult, *, attributes: bool, json_format: bool) -> tuple[str, str]:
    """(content type, body); ``attributes`` is False for CAS 2's ``/serviceValidate``."""
    released = result.attributes if attributes else {}
    if json_format:
        return JSON_TYPE, _json(result, released)
    return XML_TYPE, _xml(result, released)


def _json(result: ValidationResult, released: Mapping[str, Sequence[Any]]) -> str:
    if result.success:
        success: dict[str, Any] = {"user": result.user}
        if released:
            success["attributes"] = {
                name: [_json_value(v) for v in values] for name, values in released.items()
            }
        body: dict[str, Any] = {"authenticationSuccess": success}
    else:
        body = {"authenticationFailure": {"code": result.code, "description": result.description}}
    return json.dumps({"serviceResponse": body}, indent=2)


def _json_value(value: Any) -> Any:
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return _text(value)


def _xml(result: ValidationResult, released: Mapping[str, Sequence[Any]]) -> str:
    lines = [f"<cas:serviceResponse xmlns:cas='{NAMESPACE}'>"]
    if result.success:
        lines.append("    <cas:authenticationSuccess>")
        lines.append(f"        <cas:user>{escape(result.user or '')}</cas:user>")
        if released:
            lines.append("        <cas:attributes>")
            for name, values in released.items():
                for value in values:
                    lines.append(f"            <cas:{name}>{escape(_text(value))}</cas:{name}>")
            lines.append("        </cas:attributes>")
        lines.append("    </cas:authenticationSuccess>")
    else:
        code = escape(result.code or "", {"'": "&apos;"})
        lines.append(f"    <cas:authenticationFailure code='{code}'>")
        lines.append(f"        {escape(result.description or '')}")
        lines.append("    </cas:authenticationFailure>")
    lines.append("</cas:serviceResponse>")
    return "\n".join(lines) + "\n"


def _text(value: Any) -> str:
    """A value as CAS's XML view prints it: booleans as true/false, dates in ISO-8601."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)
