"""Profiles and options that once ended `cas-mfa-ref explain` in a traceback: each is now one line on
standard error naming the file and line or field (or the option), exit status 2; or, where CAS would
load the profile, a warning. Run through the command as a user runs it."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from cas_mfa_ref.cli import main
from cas_mfa_ref.config.profile import EMPTY_REGISTRY, load_profile
from tests.conftest import BASE_PROPERTIES, POLICY, MakeProfile, service
from tests.service_fields import POLICY_FIELDS, RELEASE_FIELDS
from tests.test_trusted_devices import PROPERTIES as TRUSTING
from tests.test_trusted_devices import SERVICE as TRUSTING_SERVICE

URL = "https://app.example.org/home"
RELEASE = "org.apereo.cas.services.ReturnAllAttributeReleasePolicy"
LONG = "a" * 20000


def explain(capsys: pytest.CaptureFixture[str], root: Path | str, *extra: str) -> tuple[int, str, str]:
    code = main(["explain", "--profile", str(root), "--user", "casuser", "--service", URL, *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def refused(capsys: pytest.CaptureFixture[str], root: Path | str, *extra: str) -> str:
    """The one line an explain that must fail prints (exit status 2, nothing on standard output)."""
    code, out, err = explain(capsys, root, *extra)
    lines = err.splitlines()
    assert (code, out, len(lines)) == (2, "", 1), err
    assert lines[0].startswith("cas-mfa-ref: error: ")
    return lines[0].removeprefix("cas-mfa-ref: error: ")


# -- JSON nested too deep, too large, of unexpected types -----------------------------------------------


def test_a_service_nested_a_thousand_deep_names_the_file_line_and_limit(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(services={"App-1.json": '{\n"x": ' + "[" * 1000 + "]" * 1000 + "}"})
    assert refused(capsys, root) == (
        f"{root}/services/App-1.json:2: JSON nested more than 64 levels deep (arrays and objects); "
        "the reference reads at most 64"
    )


def test_nesting_inside_strings_and_comments_does_not_count(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(service(description="[" * 500 + '\\"{{' * 100))
    root = make_profile(services={"App-1.json": "// " + "[" * 200 + "\n" + text})
    code, out, _ = explain(capsys, root)
    assert code == 0 and out.startswith("outcome: MFA_REQUIRED")


def test_an_attribute_repository_nested_too_deep(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES + "cas.authn.attribute-repository.json[0].location=file:people.json\n",
        files={"people.json": '{"casuser": {"a": ' + "[" * 100 + "]" * 100 + "}}"},
    )
    assert refused(capsys, root).startswith(f"{root}/people.json:1: JSON nested more than 64 levels deep")


def test_a_service_file_over_1_mib_is_refused_unread(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile()
    with (root / "services" / "App-1.json").open("r+b") as stream:
        stream.truncate(1024 * 1024 + 1)  # sparse: the size alone refuses it
    assert refused(capsys, root) == (
        f"{root}/services/App-1.json: is 1,048,577 bytes; a service definition may be at most 1 MiB "
        "(1,048,576 bytes)"
    )


def test_cas_properties_over_16_mib_is_refused_unread(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile()
    with (root / "cas.properties").open("r+b") as stream:
        stream.truncate(16 * 1024 * 1024 + 1)
    assert refused(capsys, root) == (
        f"{root}/cas.properties: is 16,777,217 bytes; cas.properties may be at most 16 MiB (16,777,216 bytes)"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_among_the_services_is_not_waited_on(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile()
    os.mkfifo(root / "services" / "Pipe-2.json")
    assert refused(capsys, root) == f"{root}/services/Pipe-2.json: is not a regular file"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            b'{"id": 1' + b"0" * 5000 + b"}",
            "malformed JSON: a number of 5,001 digits; the reference reads at most 4,300",
        ),
        (b'{"id": NaN}', "malformed JSON: NaN is not a JSON number (CAS's JSON reader refuses it)"),
        (
            b'{"id": -Infinity}',
            "malformed JSON: -Infinity is not a JSON number (CAS's JSON reader refuses it)",
        ),
        (b'{"a": "\xc3\xa9"}\n\xff', ":2: is not valid UTF-8"),
    ],
)
def test_json_the_reader_refuses(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], text: bytes, message: str
) -> None:
    root = make_profile(services={"App-1.json": "x"})
    (root / "services" / "App-1.json").write_bytes(text)
    line = refused(capsys, root)
    assert line.startswith(f"{root}/services/App-1.json") and line.endswith(message), line


JSON_VALUES: list[Any] = [["a"], {"a": 1}, [["x"], {"y": [None]}], 1.5, -1, 2**70, True, None, "", "x\x00y"]
SERVICE_FIELDS = ["@class", "serviceId", "id", "name", "evaluationOrder", "evaluationPriority"]
SERVICE_FIELDS += ["multifactorPolicy", "attributeReleasePolicy", "accessStrategy", "accessStrategy.enabled"]
FIELDS = (
    SERVICE_FIELDS
    + [f"multifactorPolicy.{f}" for f in POLICY_FIELDS]
    + [f"attributeReleasePolicy.{f}" for f in RELEASE_FIELDS]
)


def _with(definition: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """The service definition with the field at ``a.b`` set (objects on the way created)."""
    head, _, rest = dotted.partition(".")
    if not rest:
        return {**definition, head: value}
    inner = definition.get(head)
    return {**definition, head: _with(inner if isinstance(inner, dict) else {}, rest, value)}


@pytest.mark.parametrize("dotted", FIELDS)
def test_any_json_type_in_any_service_field_loads_or_names_the_field(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], dotted: str
) -> None:
    base = service(attributeReleasePolicy={"@class": RELEASE}, accessStrategy={"enabled": True})
    for value in JSON_VALUES:
        root = make_profile(services={"App-1.json": _with(base, dotted, value)})
        code, _, err = explain(capsys, root)
        assert code in (0, 2), (dotted, value, err)
        if code == 2:
            assert err.startswith(f"cas-mfa-ref: error: {root}/services/App-1.json: "), (dotted, value, err)
            field = err.split(": ")[3].strip()  # error: FILE: FIELD: message
            assert dotted.startswith(field) or field.startswith(dotted), (dotted, value, err)
            assert len(err.splitlines()) == 1


@pytest.mark.parametrize("value", [["org.apereo.cas.services.CasRegisteredService"], {"a": 1}])
def test_class_given_a_list_or_an_object(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], value: Any
) -> None:
    root = make_profile(services={"App-1.json": service(**{"@class": value})})
    kind = "a list" if isinstance(value, list) else "an object"
    assert refused(capsys, root) == f"{root}/services/App-1.json: @class: must be a class name, not {kind}"


def test_a_number_beyond_java_int_in_evaluation_order(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(services={"App-1.json": service(evaluationOrder=2**31)})
    assert refused(capsys, root) == (
        f"{root}/services/App-1.json: evaluationOrder: '2147483648' is out of the range of an int (Java's)"
    )


@pytest.mark.parametrize("digits", ["²", "١٢"])
def test_digits_that_are_not_ascii_are_not_a_whole_number(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], digits: str
) -> None:
    root = make_profile(services={"App-1.json": service(id=digits)})
    assert refused(capsys, root) == f"{root}/services/App-1.json: id: must be a whole number, not '{digits}'"


# -- locations no file system can hold -----------------------------------------------------------------

PATH_PROPERTIES = [
    "cas.authn.attribute-repository.json[0].location=file:{}",
    "cas.service-registry.json.location=file:{}",
    "cas.authn.mfa.groovy-script.location=file:{}",
    "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location=file:{}",
    "cas.authn.mfa.triggers.principal.global-principal-attribute-predicate.location=file:{}",
    "cas.authn.mfa.trusted.jpa.url=jdbc:sqlite:{}",
    "cas.http-client.truststore.file={}",
    "reference.geolocation.script=file:{}",
]
BAD_LOCATIONS = [
    (LONG, "the path is 20,000 bytes; a path may be at most 4,096"),
    ("dir/" + "b" * 300 + ".json", "a file name of 305 bytes; a name may be at most 255"),
    ("a\\u0000b.json", "a file name cannot hold a NUL character"),
    ("\\uD800.json", "not a file name this system can encode"),
]


@pytest.mark.parametrize("template", PATH_PROPERTIES, ids=lambda t: t.split("=")[0])
@pytest.mark.parametrize(("location", "reason"), BAD_LOCATIONS, ids=["long", "long-name", "nul", "surrogate"])
def test_every_location_is_checked_naming_the_property_line(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], template: str, location: str, reason: str
) -> None:
    line = template.format(location)
    name = line.split("=")[0]
    root = make_profile(properties=BASE_PROPERTIES + line + "\n")
    message = refused(capsys, root)
    assert message.startswith(f"{root}/cas.properties:3: {name}: '"), message
    assert message.endswith(reason), message
    assert len(message) < 500


@pytest.mark.parametrize("field", ["script", "groovyScript"])
@pytest.mark.parametrize(
    ("location", "reason"), [(LONG, "a path may be at most 4,096"), ("a\x00b", "NUL character")]
)
def test_script_locations_in_a_service_are_checked_naming_the_field(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], field: str, location: str, reason: str
) -> None:
    policy: dict[str, Any] = {"@class": POLICY, "script": f"file:{location}"}
    if field == "groovyScript":
        policy = {
            "@class": "org.apereo.cas.services.GroovyRegisteredServiceMultifactorPolicy",
            "groovyScript": f"file:{location}",
        }
    root = make_profile(services={"App-1.json": service(multifactorPolicy=policy)})
    message = refused(capsys, root)
    assert message.startswith(f"{root}/services/App-1.json: multifactorPolicy.{field}: '"), message
    assert message.endswith(reason)


def test_an_empty_location_names_no_file(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES + "cas.authn.attribute-repository.json[0].location=file:\n"
    )
    assert refused(capsys, root) == (
        f"{root}/cas.properties:3: cas.authn.attribute-repository.json[0].location: names no file: the location is empty"
    )


def test_a_missing_attribute_repository_names_the_property(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES + "cas.authn.attribute-repository.json[0].location=file:p.json\n"
    )
    assert refused(capsys, root) == (
        f"{root}/cas.properties:3: cas.authn.attribute-repository.json[0].location: {root}/p.json: file not found"
    )


def test_a_trusted_device_file_that_is_no_database_names_the_jpa_url(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES + "cas.authn.mfa.trusted.jpa.url=jdbc:sqlite:devices.db\n",
        files={"devices.db": "not a database " * 100},
    )
    assert refused(capsys, root) == (
        f"{root}/cas.properties:3: cas.authn.mfa.trusted.jpa.url: the trusted-device records cannot be read: "
        "DatabaseError: file is not a database"
    )


def test_trusted_device_records_that_do_not_read_name_the_jpa_url(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(properties=TRUSTING, services={"App-1.json": TRUSTING_SERVICE})
    with sqlite3.connect(root / "devices.db") as db:
        db.execute("CREATE TABLE trusted_device (key TEXT)")
    message = refused(capsys, root, "--device-cookie", "abc")
    assert message == (
        f"{root}/cas.properties:4: cas.authn.mfa.trusted.jpa.url: the trusted-device records cannot be read: "
        "OperationalError: no such column: principal"
    )


# -- placeholders, patterns ---------------------------------------------------------------------------


def test_placeholders_nested_deeper_than_32(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    chain = "".join(f"x.p{i}=${{x.p{i + 1}}}\n" for i in range(100)) + "x.p100=end\n"
    root = make_profile(
        properties=BASE_PROPERTIES + chain + "cas.authn.mfa.triggers.http.request-parameter=${x.p0}\n"
    )
    message = refused(capsys, root)
    assert message.endswith("placeholders nested more than 32 deep; the reference stops"), message


def test_placeholders_that_double_at_every_level(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = "x.p0=aaaaaaaa\n" + "".join(f"x.p{i + 1}=${{x.p{i}}}${{x.p{i}}}\n" for i in range(30))
    root = make_profile(
        properties=BASE_PROPERTIES + bomb + "cas.authn.mfa.triggers.http.request-parameter=${x.p30}\n"
    )
    message = refused(capsys, root)
    assert "characters; the reference takes at most 1,048,576" in message, message


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("a{99999999999}", "the repetition number is too large"),
        ("(" * 1200 + ")" * 1200, "groups nested too deeply"),
    ],
)
def test_service_ids_python_cannot_compile(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], pattern: str, reason: str
) -> None:
    root = make_profile(services={"App-1.json": service(serviceId=pattern)})
    message = refused(capsys, root)
    assert message.startswith(f"{root}/services/App-1.json: serviceId: '") and message.endswith(reason)


def test_indexes_in_other_scripts_and_huge_indexes_load(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = "cas.authn.mfa.duo[²].duo-api-host=x\ncas.authn.mfa.duo.٣.duo-api-host=x\n"
    odd += f"cas.authn.mfa.duo[{'9' * 5000}].duo-api-host=x\ncas.authn.attribute-repository.json[{'1' * 30}].location=x\n"
    code, out, _ = explain(capsys, make_profile(properties=BASE_PROPERTIES + odd))
    assert code == 0 and out.startswith("outcome: MFA_REQUIRED")


# -- a registry that lost every service ----------------------------------------------------------------


@pytest.mark.parametrize("layout", ["empty", "absent"])
def test_a_registry_without_a_service_is_a_warning(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], layout: str
) -> None:
    root = make_profile(services={})
    if layout == "absent":
        (root / "services").rmdir()
    code, out, err = explain(capsys, root)
    assert (code, err) == (0, "")
    expected = f"{root}/services: warning: {EMPTY_REGISTRY}"
    if layout == "absent":
        expected += " (the directory does not exist)"
    assert f"warning: {expected}" in out.splitlines()
    assert [str(w) for w in load_profile(root).warnings] == [expected]
    code, out, _ = explain(capsys, root, "--json")
    assert json.loads(out)["warnings"] == [expected]


def test_a_registry_elsewhere_is_named(make_profile: MakeProfile) -> None:
    root = make_profile(properties=BASE_PROPERTIES + "cas.service-registry.json.location=file:registry\n")
    assert [str(w) for w in load_profile(root).warnings] == [
        f"{root}/registry: warning: {EMPTY_REGISTRY} (the directory does not exist)"
    ]
