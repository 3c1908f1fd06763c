"""Generated profiles through `cas-mfa-ref explain`: whatever a profile holds, explain ends in status 0
(explained, perhaps with warnings) or 2 with one line naming a file; never a traceback.

Profiles are built from CAS's own property names (with indexes and brackets gone wrong, values of every
kind: unicode, NUL, huge, negative, placeholders, patterns), service definitions with any JSON in the
fields CAS reads and at random keys, and JSON attribute repositories. The budget is fixed and the examples
derandomised, so a run is the same every time and takes a few seconds; PROFILE_FUZZ_EXAMPLES raises the
budget for a longer hunt (``PROFILE_FUZZ_EXAMPLES=2000 pytest tests/test_profile_hardening_fuzz.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cas_mfa_ref.cli import main
from tests.service_fields import POLICY_FIELDS, RELEASE_FIELDS

EXAMPLES = int(os.environ.get("PROFILE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE = "cas.authn.accept.users=casuser::Mellon\ncas.authn.mfa.yubikey.client-id=1\n"
URL = "https://app.example.org/home"

# -- cas.properties -----------------------------------------------------------------------------------

PROPERTY_NAMES = [
    "cas.authn.accept.users",
    "cas.authn.accept.enabled",
    "cas.authn.accept.name",
    "cas.authn.mfa.core.global-failure-mode",
    "cas.authn.mfa.core.authentication-context-attribute",
    "cas.authn.mfa.core.provider-selection.provider-selection-enabled",
    "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location",
    "cas.authn.mfa.triggers.global.global-provider-id",
    "cas.authn.mfa.triggers.http.request-parameter",
    "cas.authn.mfa.triggers.http.request-header",
    "cas.authn.mfa.triggers.http.session-attribute",
    "cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers",
    "cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex",
    "cas.authn.mfa.triggers.principal.deny-if-unmatched",
    "cas.authn.mfa.triggers.principal.reverse-match",
    "cas.authn.mfa.triggers.principal.global-principal-attribute-predicate.location",
    "cas.authn.mfa.triggers.authentication.global-authentication-attribute-name-triggers",
    "cas.authn.mfa.triggers.authentication.global-authentication-attribute-value-regex",
    "cas.authn.mfa.triggers.rest.method",
    "cas.authn.mfa.groovy-script.location",
    "cas.authn.mfa.global-failure-mode",
    "cas.authn.mfa.yubikey.id",
    "cas.authn.mfa.yubikey.rank",
    "cas.authn.mfa.yubikey.failure-mode",
    "cas.authn.mfa.yubikey.failur-mode",
    "cas.authn.mfa.yubikey.trusted-device-enabled",
    "cas.authn.mfa.yubikey.bypass.principal-attribute-name",
    "cas.authn.mfa.yubikey.bypass.principal-attribute-value",
    "cas.authn.mfa.yubikey.bypass.authentication-attribute-name",
    "cas.authn.mfa.yubikey.bypass.authentication-attribute-value",
    "cas.authn.mfa.yubikey.bypass.authentication-handler-name",
    "cas.authn.mfa.yubikey.bypass.authentication-method-name",
    "cas.authn.mfa.yubikey.bypass.credential-class-type",
    "cas.authn.mfa.yubikey.bypass.http-request-remote-address",
    "cas.authn.mfa.yubikey.bypass.http-request-headers",
    "cas.authn.mfa.yubikey.bypass.groovy.location",
    "cas.authn.mfa.yubikey.bypass.rest.method",
    "cas.authn.mfa.gauth.core.issuer",
    "cas.authn.mfa.gauth.core.trusted-device-enabled",
    "cas.authn.mfa.duo[0].duo-api-host",
    "cas.authn.mfa.duo[0].id",
    "cas.authn.mfa.duo[1].rank",
    "cas.authn.mfa.radius.client.shared-secret",
    "cas.authn.mfa.trusted.jpa.url",
    "cas.authn.mfa.trusted.core.device-registration-enabled",
    "cas.authn.mfa.trusted.device-fingerprint.cookie.name",
    "cas.authn.mfa.trusted.device-fingerprint.client-ip.enabled",
    "cas.authn.mfa.trusted.device-fingerprint.geolocation.enabled",
    "cas.authn.adaptive.policy.require-multifactor.mfa-yubikey",
    "cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id",
    "cas.authn.adaptive.policy.require-timed-multifactor[0].on-days",
    "cas.authn.adaptive.policy.require-timed-multifactor[0].on-or-after-hour",
    "cas.authn.adaptive.require-multifactor.mfa-yubikey",
    "cas.authn.attribute-repository.json[0].location",
    "cas.authn.attribute-repository.stub.attributes.memberOf",
    "cas.authn.authentication-attribute-release.enabled",
    "cas.authn.authentication-attribute-release.only-release",
    "cas.service-registry.json.location",
    "cas.http-client.truststore.file",
    "reference.cas-version",
    "reference.geolocation.script",
    "reference.geolocation.static[0].address",
    "reference.geolocation.static[0].client-ip",
]
SPECIAL_VALUES = [
    "",
    " ",
    "-1",
    "99999999999999999999",
    "1" * 5000,
    "true",
    "OPEN",
    "phantom",
    "NONE",
    "mfa-yubikey",
    "mfa-duo",
    "6.2",
    "7.x",
    "file:",
    "file:people.json",
    "file:" + "a" * 300,
    "a" * 20000,
    "classpath:x.json",
    "jdbc:sqlite:",
    "jdbc:sqlite:devices.db",
    "jdbc:h2:mem",
    "${",
    "${x}",
    "${cas.authn.accept.users}",
    "${undefined:default}",
    "[",
    "(",
    "a{99999999999}",
    "(" * 1100 + ")" * 1100,
    ".*",
    "Saturday,Sun",
    "geo.py",
    "policy.groovy",
    "\x00",
    "\u202e",
    "\ud800",
    "é,ü,✓",
]
INDEXES = ["0", "1", "-1", "99999999999999999999", "9" * 5000, "a", "", "²", "[0]", "0]["]


def _escaped(text: str) -> str:
    """A value as a properties file writes it: backslashes, line breaks and what UTF-8 cannot hold escaped."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char in "\n\r\t\f":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}[char])
        elif 0xD800 <= ord(char) <= 0xDFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


names = st.one_of(
    st.sampled_from(PROPERTY_NAMES),
    st.builds(
        lambda base, index, tail: f"{base}[{index}]{tail}",
        st.sampled_from(
            ["cas.authn.mfa.duo", "cas.authn.attribute-repository.json", "reference.geolocation.static"]
        ),
        st.sampled_from(INDEXES),
        st.sampled_from([".location", ".id", ".address", "", "[0]", ".duo-api-host"]),
    ),
    st.builds(
        lambda name, junk: name + junk,
        st.sampled_from(PROPERTY_NAMES),
        st.sampled_from(["[", "]", "[[x]]", ".", "..", "[]"]),
    ),
)
values = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.text(max_size=40),
    st.integers().map(str),
    st.builds(lambda a, b: f"{a},{b}", st.text(max_size=8), st.text(max_size=8)),
)
raw_lines = st.sampled_from(["\\u12", "key\\", "=value", "   ", "# comment", "!x", "a\\\n  b=c", "\\uZZZZ=1"])
property_lines = st.lists(
    st.one_of(st.builds(lambda n, v: f"{_escaped(n)}={_escaped(v)}", names, values), raw_lines), max_size=12
)

# -- JSON ---------------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["mfa-yubikey", "OPEN", "java.util.LinkedHashSet", "^https://.*", "file:policy.groovy"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
SERVICE_FIELDS = [
    "@class",
    "serviceId",
    "id",
    "name",
    "evaluationOrder",
    "evaluationPriority",
    "accessStrategy",
]


def _service() -> dict[str, Any]:
    return {
        "@class": "org.apereo.cas.services.CasRegisteredService",
        "serviceId": "^https://app\\.example\\.org.*",
        "name": "App",
        "id": 1,
        "multifactorPolicy": {
            "@class": "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy",
            "multifactorAuthenticationProviders": ["java.util.LinkedHashSet", ["mfa-yubikey"]],
        },
        "attributeReleasePolicy": {"@class": "org.apereo.cas.services.ReturnAllAttributeReleasePolicy"},
    }


@st.composite
def service_texts(draw: st.DrawFn) -> str:
    """A service definition: CAS's shape with fields replaced by any JSON, or JSON of another shape."""
    shape = draw(st.sampled_from(["fields", "fields", "fields", "any", "text"]))
    if shape == "any":
        return json.dumps(draw(json_values))
    if shape == "text":
        return draw(st.sampled_from(["", "{", "[" * 70, '{"id": NaN}', "// only a comment", "{}"]))
    definition = _service()
    where = {"": definition, "multifactorPolicy": definition["multifactorPolicy"]}
    where["attributeReleasePolicy"] = definition["attributeReleasePolicy"]
    for _ in range(draw(st.integers(1, 4))):
        part = draw(st.sampled_from(["", "multifactorPolicy", "attributeReleasePolicy"]))
        fields = {
            "": SERVICE_FIELDS,
            "multifactorPolicy": POLICY_FIELDS,
            "attributeReleasePolicy": RELEASE_FIELDS,
        }
        key = draw(st.one_of(st.sampled_from(fields[part]), st.text(max_size=10)))
        where[part][key] = draw(json_values)
    return json.dumps(definition)


attribute_repositories = st.one_of(
    st.dictionaries(
        st.sampled_from(["casuser", "jdoe", ""]),
        st.one_of(st.dictionaries(st.text(max_size=10), json_values, max_size=4), json_values),
        max_size=3,
    ),
    json_values,
)


# -- the run ------------------------------------------------------------------------------------------


def _write(root: Path, properties: str, services: list[str], people: Any) -> None:
    (root / "services").mkdir()
    (root / "cas.properties").write_text(properties, encoding="utf-8")
    for index, text in enumerate(services):
        (root / "services" / f"App-{index}.json").write_text(text, encoding="utf-8")
    (root / "people.json").write_text(json.dumps(people), encoding="utf-8")


def _explain(root: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["explain", "--profile", str(root), "--user", "casuser", "--service", URL, *extra])
        except SystemExit as done:  # argparse's own exit: never expected with these fixed options
            code = done.code if isinstance(done.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def _check(root: Path, code: int, out: str, err: str) -> None:
    assert "Traceback" not in err and "Traceback" not in out
    assert code in (0, 2), (code, err)
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert out == ""
        # every profile error begins with the file it is about: one of the profile's, or one it names
        assert lines[0].startswith(f"cas-mfa-ref: error: {root}") or lines[0].startswith(
            "cas-mfa-ref: error: /"
        ), err
    else:
        assert err == ""


@FUZZ
@given(lines=property_lines, json_output=st.booleans())
def test_generated_properties_are_explained_or_refused_in_one_line(
    lines: list[str], json_output: bool
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory).resolve()
        _write(
            root, BASE + "\n".join(lines) + "\n", [json.dumps(_service())], {"casuser": {"memberOf": ["a"]}}
        )
        code, out, err = _explain(root, *(["--json"] if json_output else []))
        _check(root, code, out, err)


@FUZZ
@given(services=st.lists(service_texts(), min_size=1, max_size=3))
def test_generated_services_are_explained_or_refused_in_one_line(services: list[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory).resolve()
        _write(root, BASE, services, {})
        code, out, err = _explain(root, "--json")
        _check(root, code, out, err)


@FUZZ
@given(people=attribute_repositories, stub=values)
def test_generated_attribute_repositories_are_explained_or_refused_in_one_line(
    people: Any, stub: str
) -> None:
    properties = BASE + "cas.authn.attribute-repository.json[0].location=file:people.json\n"
    properties += f"cas.authn.attribute-repository.stub.attributes.memberOf={_escaped(stub)}\n"
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory).resolve()
        _write(root, properties, [json.dumps(_service())], people)
        code, out, err = _explain(root)
        _check(root, code, out, err)
