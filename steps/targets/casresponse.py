"""Reading CAS's ticket validation answers (``/p3/serviceValidate``): JSON with ``format=JSON``, else XML.

JSON (CAS protocol 3.0, appendix): ``{"serviceResponse": {"authenticationSuccess": {"user": ...,
"attributes": {...}}}}`` or ``{"serviceResponse": {"authenticationFailure": {"code": ..., "description":
...}}}``. XML: ``<cas:serviceResponse>`` in the ``http://www.yale.edu/tp/cas`` namespace, attributes as
child elements of ``<cas:attributes>``, one element per value. Values become lists either way; XML's
``true``/``false`` become booleans, as CAS's JSON shows them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from typing import Any

from steps.targets.base import ValidationObservation

CAS_NS = "http://www.yale.edu/tp/cas"
MALFORMED = "MALFORMED_RESPONSE"


def read_validation(text: str, content_type: str = "") -> ValidationObservation:
    """The validation answer, whichever of JSON or XML the server sent."""
    stripped = text.lstrip()
    if "json" in content_type.lower() or stripped.startswith("{"):
        return read_json(stripped)
    return read_xml(stripped)


def read_json(text: str) -> ValidationObservation:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return _malformed(f"not JSON: {error}")
    response = data.get("serviceResponse") if isinstance(data, dict) else None
    if not isinstance(response, dict):
        return _malformed("no serviceResponse object")
    success = response.get("authenticationSuccess")
    if isinstance(success, dict):
        attributes = success.get("attributes") or {}
        if not isinstance(attributes, dict):
            return _malformed("authenticationSuccess.attributes is not an object")
        user = success.get("user")
        return ValidationObservation(
            True,
            user=str(user) if user is not None else None,
            attributes={str(name): _as_list(value) for name, value in attributes.items()},
        )
    failure = response.get("authenticationFailure")
    if isinstance(failure, dict):
        code = failure.get("code")
        return ValidationObservation(False, code=str(code) if code is not None else None)
    return _malformed("neither authenticationSuccess nor authenticationFailure")


def read_xml(text: str) -> ValidationObservation:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        return _malformed(f"not XML: {error}")
    if _local(root.tag) != "serviceResponse":
        return _malformed(f"the root element is <{_local(root.tag)}>, not <cas:serviceResponse>")
    for child in root:
        name = _local(child.tag)
        if name == "authenticationSuccess":
            user = _child(child, "user")
            attributes: dict[str, list[Any]] = {}
            container = _child(child, "attributes")
            if container is not None:
                for attribute in container:
                    attributes.setdefault(_local(attribute.tag), []).append(_xml_value(attribute.text))
            return ValidationObservation(
                True, user=(user.text or "").strip() if user is not None else None, attributes=attributes
            )
        if name == "authenticationFailure":
            return ValidationObservation(False, code=child.get("code"))
    return _malformed("neither authenticationSuccess nor authenticationFailure")


def _malformed(why: str) -> ValidationObservation:
    return ValidationObservation(False, code=MALFORMED, attributes={"error": [why]})


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _xml_value(text: str | None) -> Any:
    value = (text or "").strip()
    return {"true": True, "false": False}.get(value, value)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None
