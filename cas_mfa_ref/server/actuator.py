"""The actuator endpoints: ``refresh`` (Spring Cloud's), ``multifactorTrustedDevices`` (CAS's
``MultifactorTrustedDevicesReportEndpoint``), ``gauthCredentialRepository`` (CAS's
``GoogleAuthenticatorTokenCredentialRepositoryEndpoint``), and ``conformanceClock``, which is the
reference's own test clock and not a CAS endpoint."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from cas_mfa_ref.config.javaprops import read_properties
from cas_mfa_ref.engine.trusted import TrustedDevice
from cas_mfa_ref.errors import ProfileError
from cas_mfa_ref.protocol.cas import InProcessCas
from cas_mfa_ref.providers.gauth import GauthAccount, GoogleAuthenticatorGateway
from cas_mfa_ref.server.clock import ConformanceClock

JSON = "application/json"
MAX_ADVANCE_SECONDS = 100 * 365.25 * 24 * 3600
MAX_PROFILE_FILES = 2_000
# Files that change while the server runs (the SQLite trusted-device store): not part of the profile.
VOLATILE_SUFFIXES = (".db", ".sqlite", ".sqlite3", "-journal", "-wal", "-shm")


def json_response(status: int, body: Any) -> Response:
    return Response(json.dumps(body, indent=2), status=status, content_type=JSON)


def refresh_failed(error: ProfileError) -> Response:
    """Spring Boot's error body; the message is the one line ``explain`` prints for the same profile."""
    return json_response(
        400,
        {"status": 400, "error": "Bad Request", "message": str(error), "path": "/cas/actuator/refresh"},
    )


def snapshot(root: Path) -> dict[str, str]:
    """What a refresh compares: each property of cas.properties by name, every other file by digest."""
    entries: dict[str, str] = {}
    properties = root / "cas.properties"
    try:
        entries.update({raw.key: raw.value for raw in read_properties(properties)})
    except (ProfileError, OSError):
        entries["cas.properties"] = "unreadable"
    for count, path in enumerate(sorted(root.rglob("*"))):
        if count >= MAX_PROFILE_FILES:
            break
        if path.is_file() and path != properties and not path.name.endswith(VOLATILE_SUFFIXES):
            entries[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return entries


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Spring Cloud's refresh answer: the keys whose values changed, appeared or went."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _record(device: TrustedDevice, number: int) -> dict[str, Any]:
    """CAS's ``MultifactorAuthenticationTrustRecord`` as its JSON shows it."""
    return {
        "id": number,
        "principal": device.principal,
        "deviceFingerprint": device.fingerprint,
        "recordDate": _iso(device.recorded),
        "recordKey": device.key,
        "name": device.name,
        "expirationDate": _iso(device.expires) if device.expires else None,
    }


def trusted_devices(cas: InProcessCas, username: str | None) -> Response:
    devices = cas.trusted_devices(username)
    return json_response(200, [_record(d, i) for i, d in enumerate(devices, start=1)])


def revoke_device(cas: InProcessCas, key: str) -> Response:
    if cas.revoke_device(key):
        return Response(status=204)
    return json_response(404, {"status": 404, "error": "Not Found", "message": f"no trusted device '{key}'"})


def gauth_accounts(
    gateway: GoogleAuthenticatorGateway | None, request: Request, selector: str | None
) -> Response:
    """``GET`` all accounts or a user's, ``DELETE`` all or a user's, ``POST /import`` one account
    (CAS's JSON, the secret in clear Base32: CAS encrypts it when it stores it)."""
    if gateway is None:
        return _error(404, "Not Found", "no Google Authenticator provider is configured")
    if request.method == "POST":
        if selector != "import":
            return _error(405, "Method Not Allowed", "POST only to /gauthCredentialRepository/import")
        body, problem = read_json(request)
        if problem:
            return _error(400, "Bad Request", problem)
        try:
            account = GauthAccount.from_json(body)
        except ValueError as error:
            return _error(400, "Bad Request", str(error))
        gateway.save(account)
        return Response(status=201)
    if request.method == "DELETE":
        gateway.delete(selector)
        return Response(status=200)
    return json_response(200, [a.to_json() for a in gateway.accounts(selector)])


def _error(status: int, error: str, message: str) -> Response:
    return json_response(status, {"status": status, "error": error, "message": message})


def read_json(request: Request) -> tuple[Any, str | None]:
    """The request's JSON body, or why it is none: not JSON, or nested past Python's recursion limit."""
    try:
        return json.loads(request.get_data(as_text=True) or "null"), None
    except RecursionError:
        return None, "the body is nested too deeply"
    except ValueError:  # json.JSONDecodeError and undecodable text alike
        return None, "the body is not JSON"


def clock(conformance: ConformanceClock, request: Request) -> Response:
    """GET the time; PUT ``{"now": ISO-8601}`` or ``{"advance": seconds}``; DELETE: system time again."""
    if request.method == "DELETE":
        conformance.release()
    elif request.method == "PUT":
        error = _set_clock(conformance, request)
        if error:
            return json_response(400, {"status": 400, "error": "Bad Request", "message": error})
    return json_response(200, {"now": _iso(conformance.now()), "fixed": conformance.fixed})


def _set_clock(conformance: ConformanceClock, request: Request) -> str | None:
    body, problem = read_json(request)
    if problem:
        return problem
    if not isinstance(body, dict) or len(body) != 1 or not ({"now", "advance"} & body.keys()):
        return 'give {"now": "<ISO-8601>"} or {"advance": <seconds>}'
    if "now" in body:
        try:
            conformance.set(datetime.fromisoformat(str(body["now"]).replace("Z", "+00:00")))
        except ValueError:
            return f"now: '{body['now']}' is not an ISO-8601 date and time"
        return None
    seconds = body["advance"]
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
        return f"advance: '{seconds}' is not a number of seconds"
    if abs(seconds) > MAX_ADVANCE_SECONDS:
        return f"advance: {seconds:g} s is more than {MAX_ADVANCE_SECONDS:g} s (100 years) either way"
    try:
        conformance.advance(float(seconds))
    except OverflowError:
        return f"advance: {seconds:g} s takes the clock past the years a date can hold"
    return None


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")
