"""Bad input: one clear line naming the file and the line or field; exit status 2; no traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cas_mfa_ref.cli import main
from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.errors import ProfileError
from tests.conftest import BASE_PROPERTIES, POLICY, MakeProfile, service

GROOVY_POLICY = "org.apereo.cas.services.GroovyRegisteredServiceMultifactorPolicy"


def policy(**fields: Any) -> dict[str, Any]:
    return {
        "@class": POLICY,
        "multifactorAuthenticationProviders": ["java.util.LinkedHashSet", ["mfa-yubikey"]],
        **fields,
    }


CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "malformed JSON",
        {"services": {"App-1.json": '{\n  "@class": "x",\n  "id": 1,,\n}'}},
        r"services/App-1.json:3: malformed JSON: Expecting property name enclosed in double quotes",
    ),
    (
        "unknown @class",
        {"services": {"App-1.json": service(**{"@class": "org.apereo.cas.services.FooService"})}},
        r"services/App-1.json: @class: unknown class 'org.apereo.cas.services.FooService'",
    ),
    (
        "missing @class",
        {"services": {"App-1.json": {"serviceId": "x", "id": 1}}},
        r"services/App-1.json: @class: is missing",
    ),
    (
        "invalid serviceId regex",
        {"services": {"App-1.json": service(serviceId="^https://(app")}},
        r"services/App-1.json: serviceId: '\^https://\(app' is not a valid regular expression",
    ),
    (
        "invalid bypass regex in a policy",
        {
            "services": {
                "App-1.json": service(
                    multifactorPolicy=policy(
                        bypassPrincipalAttributeName="memberOf", bypassPrincipalAttributeValue="[unclosed"
                    )
                )
            }
        },
        r"multifactorPolicy.bypassPrincipalAttributeValue: '\[unclosed' is not a valid regular expression",
    ),
    (
        "unknown failure mode in a service",
        {"services": {"App-1.json": service(multifactorPolicy=policy(failureMode="AJAR"))}},
        r"services/App-1.json: multifactorPolicy.failureMode: 'AJAR' is not one of OPEN, CLOSED, PHANTOM, NONE, UNDEFINED",
    ),
    (
        "lower-case failure mode in JSON",
        {"services": {"App-1.json": service(multifactorPolicy=policy(failureMode="open"))}},
        r"multifactorPolicy.failureMode: 'open' is not one of",
    ),
    (
        "wrong type: providers as a string",
        {
            "services": {
                "App-1.json": service(
                    multifactorPolicy={"@class": POLICY, "multifactorAuthenticationProviders": "mfa-duo"}
                )
            }
        },
        r"multifactorPolicy.multifactorAuthenticationProviders: must be",
    ),
    (
        "wrong type: bypassEnabled",
        {"services": {"App-1.json": service(multifactorPolicy=policy(bypassEnabled="yes"))}},
        r"multifactorPolicy.bypassEnabled: must be true or false, not 'yes'",
    ),
    (
        "wrong type: id",
        {"services": {"App-1.json": service(id="one")}},
        r"services/App-1.json: id: must be a whole number, not 'one'",
    ),
    (
        "wrong type: evaluationOrder",
        {"services": {"App-1.json": service(evaluationOrder=[1])}},
        r"services/App-1.json: evaluationOrder: must be a whole number",
    ),
    (
        "a service that is not an object",
        {"services": {"App-1.json": "[1, 2]"}},
        r"services/App-1.json: a service definition must be a JSON object",
    ),
    (
        "unknown failure mode property",
        {"properties": BASE_PROPERTIES + "cas.authn.mfa.yubikey.failure-mode=SHUT\n"},
        r"cas.properties:3: cas.authn.mfa.yubikey.failure-mode: 'SHUT' is not one of OPEN, CLOSED",
    ),
    (
        "unknown global failure mode",
        {"properties": "cas.authn.mfa.core.global-failure-mode=maybe\n"},
        r"cas.properties:1: cas.authn.mfa.core.global-failure-mode: 'maybe' is not one of",
    ),
    (
        "bad rank",
        {"properties": BASE_PROPERTIES + "cas.authn.mfa.yubikey.rank=high\n"},
        r"cas.properties:3: cas.authn.mfa.yubikey.rank: 'high' is not a whole number",
    ),
    (
        "bad boolean",
        {"properties": BASE_PROPERTIES + "cas.authn.accept.enabled=perhaps\n"},
        r"cas.properties:3: cas.authn.accept.enabled: 'perhaps' is not a boolean",
    ),
    (
        "invalid bypass regex property",
        {"properties": BASE_PROPERTIES + "cas.authn.mfa.yubikey.bypass.principal-attribute-name=(a\n"},
        r"cas.properties:3: cas.authn.mfa.yubikey.bypass.principal-attribute-name: '\(a' is not a valid regular expression",
    ),
    (
        "malformed accept users",
        {"properties": "cas.authn.accept.users=casuser:Mellon\n"},
        r"cas.properties:1: cas.authn.accept.users: 'casuser:Mellon' is not of the form username::password",
    ),
    (
        "duplicate provider ids",
        {"properties": "cas.authn.mfa.duo[0].duo-api-host=a\ncas.authn.mfa.duo[1].duo-api-host=b\n"},
        r"provider id 'mfa-duo' is already used by cas.authn.mfa.duo\[0\]",
    ),
    (
        "Groovy bypass",
        {"properties": BASE_PROPERTIES + "cas.authn.mfa.yubikey.bypass.groovy.location=file:b.groovy\n"},
        r"cas.properties:3: cas.authn.mfa.yubikey.bypass.groovy.location: Groovy bypass scripts cannot run",
    ),
    (
        "missing attribute file",
        {
            "properties": BASE_PROPERTIES
            + "cas.authn.attribute-repository.json[0].location=file:people.json\n"
        },
        r"people.json: file not found",
    ),
    (
        "malformed attribute file",
        {
            "properties": BASE_PROPERTIES
            + "cas.authn.attribute-repository.json[0].location=file:people.json\n",
            "files": {"people.json": '{"casuser": {"memberOf": ["a"],}}'},
        },
        r"people.json:1: malformed JSON",
    ),
    (
        "attribute file of the wrong shape",
        {
            "properties": BASE_PROPERTIES
            + "cas.authn.attribute-repository.json[0].location=file:people.json\n",
            "files": {"people.json": '{"casuser": ["a"]}'},
        },
        r"people.json: casuser: must be an object of attribute names to lists of values",
    ),
    (
        "inline Groovy policy script",
        {"services": {"App-1.json": service(multifactorPolicy=policy(script="groovy { return 'mfa-duo' }"))}},
        r"services/App-1.json: multifactorPolicy.script: an inline Groovy script has no Python counterpart",
    ),
    (
        "policy script without its Python counterpart",
        {"services": {"App-1.json": service(multifactorPolicy=policy(script="file:mfa-policy.groovy"))}},
        r"multifactorPolicy.script: mfa-policy.groovy is a Groovy script; the reference needs mfa-policy.py",
    ),
    (
        "Groovy policy without groovyScript",
        {"services": {"App-1.json": service(multifactorPolicy={"@class": GROOVY_POLICY})}},
        r"services/App-1.json: multifactorPolicy.groovyScript: is missing",
    ),
    (
        "Groovy policy whose counterpart answers no policy",
        {
            "services": {
                "App-1.json": service(
                    multifactorPolicy={"@class": GROOVY_POLICY, "groovyScript": "file:policy.groovy"}
                )
            },
            "files": {
                "policy.groovy": "class P {}\n",
                "policy.py": "def run():\n    return ['mfa-yubikey']\n",
            },
        },
        r"policy.py: run\(\) must return the policy's fields as a dict",
    ),
    (
        "Groovy policy whose counterpart answers a bad failure mode",
        {
            "services": {
                "App-1.json": service(
                    multifactorPolicy={"@class": GROOVY_POLICY, "groovyScript": "file:policy.groovy"}
                )
            },
            "files": {
                "policy.groovy": "class P {}\n",
                "policy.py": "def run():\n    return {'failureMode': 'AJAR'}\n",
            },
        },
        r"policy.py: failureMode: 'AJAR' is not one of",
    ),
    (
        "geolocation table row without an address",
        {"properties": BASE_PROPERTIES + "reference.geolocation.static[0].client-ip=10.0.0.1\n"},
        r"cas.properties:3: reference.geolocation.static\[0\].client-ip: reference.geolocation.static\[0\].address is required",
    ),
    (
        "geolocation hook that is not Python",
        {
            "properties": BASE_PROPERTIES + "reference.geolocation.script=file:geo.groovy\n",
            "files": {"geo.groovy": "return 'France'\n"},
        },
        r"cas.properties:3: reference.geolocation.script: geo.groovy: expected a Python file with a run\(\) function",
    ),
    (
        "a CAS version the reference does not model",
        {"properties": BASE_PROPERTIES + "reference.cas-version=6.1\n"},
        r"cas.properties:3: reference.cas-version: '6.1' is not a CAS version the reference models",
    ),
    (
        "unresolvable placeholder",
        {"properties": "cas.authn.accept.users=${USERS_FROM_VAULT}\n"},
        r"cas.properties:1: cas.authn.accept.users: could not resolve placeholder",
    ),
]


@pytest.mark.parametrize(("case", "files", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_profiles_raise_a_typed_error_naming_the_place(
    make_profile: MakeProfile, case: str, files: dict[str, Any], message: str
) -> None:
    root = make_profile(**files)
    with pytest.raises(ProfileError) as error:
        load_profile(root, environ={})
    assert str(error.value).startswith(str(root)), str(error.value)
    assert __import__("re").search(message, str(error.value)), str(error.value)


@pytest.mark.parametrize(("case", "files", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_profiles_exit_2_with_one_line_and_no_traceback(
    make_profile: MakeProfile,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    files: dict[str, Any],
    message: str,
) -> None:
    monkeypatch.delenv("USERS_FROM_VAULT", raising=False)
    root = make_profile(**files)
    code = main(
        ["explain", "--profile", str(root), "--user", "casuser", "--service", "https://app.example.org"]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cas-mfa-ref: error: "), captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("absent", "profile directory not found"),
        ("file", "a profile is a directory"),
        ("empty", "cas.properties: file not found"),
    ],
)
def test_missing_or_wrong_profile(tmp_path: Path, layout: str, message: str) -> None:
    target = tmp_path / "profile"
    if layout == "file":
        target.write_text("x")
    elif layout == "empty":
        target.mkdir()
    with pytest.raises(ProfileError, match=message):
        load_profile(target)


def test_what_cas_tolerates_is_loaded_with_warnings_naming_file_and_id(make_profile: MakeProfile) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES
        + "cas.authn.mfa.yubikey.failur-mode=OPEN\ncas.authn.mfa.global-failure-mode=OPEN\n",
        services={
            "App-1.json": service(
                multifactorPolicy=policy(
                    multifactorAuthenticationProviders=[
                        "java.util.LinkedHashSet",
                        ["mfa-yubikey", "mfa-acme"],
                    ],
                    failuremode="OPEN",
                )
            )
        },
    )
    profile = load_profile(root)
    warnings = [str(w) for w in profile.warnings]
    assert (
        f"{root}/services/App-1.json: multifactorPolicy.multifactorAuthenticationProviders: warning: no "
        "provider 'mfa-acme' is configured; CAS drops it from the policy" in warnings
    )
    assert (
        f"{root}/services/App-1.json: multifactorPolicy.failuremode: warning: is not a field of the "
        "multifactor policy; CAS ignores it" in warnings
    )
    assert (
        f"{root}/cas.properties:3: cas.authn.mfa.yubikey.failur-mode: warning: unknown setting "
        "'failur-mode'; did you mean 'failure-mode'?" in warnings
    )
    assert (
        f"{root}/cas.properties:4: cas.authn.mfa.global-failure-mode: warning: CAS 7.x does not read "
        "this name; use cas.authn.mfa.core.global-failure-mode" in warnings
    )
    assert profile.services[0].policy.providers == ("mfa-yubikey", "mfa-acme")


@pytest.mark.parametrize(("version", "warned"), [("6.6", True), ("6.3", True), ("7.x", False)])
def test_a_7x_only_policy_field_in_a_6x_profile_is_named(
    make_profile: MakeProfile, version: str, warned: bool
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES + f"reference.cas-version={version}\n",
        services={"App-1.json": service(multifactorPolicy=policy(bypassIfMissingPrincipalAttribute=True))},
    )
    warnings = [str(w) for w in load_profile(root).warnings]
    expected = (
        f"{root}/services/App-1.json: multifactorPolicy.bypassIfMissingPrincipalAttribute: warning: "
        "CAS 6.x has no bypassIfMissingPrincipalAttribute (it came with 7.x); it is ignored"
    )
    assert (expected in warnings) is warned, warnings


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "trigger.groovy is a Groovy script; the reference needs trigger.py beside it"),
        ({"trigger.py": "def run(:\n"}, "trigger.py: the hook does not load: SyntaxError"),
        ({"trigger.py": "answer = 'mfa-yubikey'\n"}, "trigger.py: the hook defines no run() function"),
    ],
)
def test_groovy_scripts_need_a_working_python_counterpart(
    make_profile: MakeProfile, files: dict[str, str], message: str
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES + "cas.authn.mfa.groovy-script.location=file:trigger.groovy\n",
        files={"trigger.groovy": "return 'mfa-yubikey'\n", **files},
    )
    with pytest.raises(ProfileError) as error:
        load_profile(root)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("version", "written", "expected"),
    [
        ("6.3", "cas.authn.mfa.global-provider-id", None),
        (
            "6.3",
            "cas.authn.mfa.triggers.global.global-provider-id",
            "CAS 6.2/6.3 does not read this name; it reads cas.authn.mfa.global-provider-id",
        ),
        (
            "6.6",
            "cas.authn.mfa.global-provider-id",
            "CAS 6.5/6.6 does not read this name; use cas.authn.mfa.triggers.global.global-provider-id",
        ),
        (
            "6.3",
            "cas.authn.mfa.core.provider-selection-enabled",
            "CAS 6.2/6.3 does not read this name; use cas.authn.mfa.provider-selection-enabled",
        ),
        (
            "7.x",
            "cas.authn.adaptive.require-multifactor.mfa-yubikey",
            "CAS 7.x does not read this name; use cas.authn.adaptive.policy.require-multifactor.mfa-yubikey",
        ),
    ],
)
def test_each_version_reads_its_own_property_names(
    make_profile: MakeProfile, version: str, written: str, expected: str | None
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES + f"reference.cas-version={version}\n{written}=mfa-yubikey\n"
    )
    profile = load_profile(root)
    warnings = [str(w) for w in profile.warnings]
    if expected is None:
        assert warnings == [] and profile.core.global_provider_ids == ("mfa-yubikey",)
    else:
        assert warnings == [f"{root}/cas.properties:4: {written}: warning: {expected}"]
        assert profile.core.global_provider_ids == ()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ".on-or-after-hour=noon\n",
            "cas.properties:4: cas.authn.adaptive.require-timed-multifactor[0].on-or-after-hour: "
            "'noon' is not a whole number",
        ),
        (
            ".on-or-after-hour=20\n",
            "cas.properties:4: cas.authn.adaptive.require-timed-multifactor[0].on-or-after-hour: "
            "cas.authn.adaptive.require-timed-multifactor[0].provider-id is required",
        ),
    ],
)
def test_a_bad_value_under_an_older_name_is_reported_under_that_name(
    make_profile: MakeProfile, lines: str, expected: str
) -> None:
    provider = (
        ""
        if "noon" not in lines
        else "cas.authn.adaptive.require-timed-multifactor[0].provider-id=mfa-yubikey\n"
    )
    root = make_profile(
        properties=BASE_PROPERTIES
        + "reference.cas-version=6.2\n"
        + "cas.authn.adaptive.require-timed-multifactor[0]"
        + lines
        + provider
    )
    with pytest.raises(ProfileError) as error:
        load_profile(root)
    assert str(error.value) == f"{root}/{expected}"
