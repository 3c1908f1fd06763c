"""The deployment map and the driver's overrides in the target file: what is read, and one line naming
the file and the field for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from steps.targets.driversettings import Interstitial
from steps.targets.targetfile import TargetFileError, load_target_file

MAP = """
cas-url = "http://127.0.0.1:8080/cas"

[context]
attribute = "authenticationLevel"

[factors.totp]
context = 5
level = 5
codes-once = false

[users.dwho]
password = "dwho"
attributes = { mail = "dwho@badwolf.org" }
factors.totp = { secret = "jbsw y3dp ehpk 3pxp", digits = 8, algorithm = "sha256" }

[users.rtyler]
password = "rtyler"

[applications.wiki]
service = "https://wiki.badwolf.org/"

[applications.payroll]
service = "https://payroll.badwolf.org/"
requires = "totp"

[driver]
login-form = "form#lform"
max-hops = 4
[[driver.interstitials]]
selector = "form#upgrd"
[[driver.interstitials]]
text = "Continue to the application"
press = "continue"
[driver.markers]
mfa-unavailable = "Fournisseur MFA indisponible"
"""


def load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    return load_target_file(path)


def test_a_map_is_read_with_its_defaults(tmp_path: Path) -> None:
    target = load(tmp_path, MAP)
    described = target.deployment_map  # type: ignore[attr-defined]
    assert described.context_attributes == ("authenticationLevel",)
    assert described.validation_parameter is None
    totp = described.factors["totp"]
    assert (totp.context, totp.level, totp.codes_once) == (("5",), 5, False)
    dwho = described.users["dwho"]
    enrolment = dwho.enrolments["totp"]
    assert enrolment.kind == "totp" and enrolment.totp is not None
    assert (
        enrolment.totp.secret,
        enrolment.totp.digits,
        enrolment.totp.period,
        enrolment.totp.algorithm,
    ) == (
        "JBSWY3DPEHPK3PXP",
        8,
        30,
        "SHA256",
    )
    assert dwho.attributes == {"mail": ["dwho@badwolf.org"]}
    assert described.users["rtyler"].enrolments == {}
    assert described.applications["payroll"].level == 5  # the factor's, when the application says none
    assert described.applications["wiki"].requires is None
    assert target.users == {"dwho": "dwho", "rtyler": "rtyler"}  # type: ignore[attr-defined]
    driver = target.driver  # type: ignore[attr-defined]
    assert (driver.login_form, driver.max_hops) == ("form#lform", 4)
    assert driver.interstitials == (
        Interstitial(selector="form#upgrd"),
        Interstitial(text="Continue to the application", press="continue"),
    )
    assert driver.markers == {"mfa-unavailable": ("Fournisseur MFA indisponible",)}


def test_a_secret_can_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = MAP.replace('secret = "jbsw y3dp ehpk 3pxp"', 'secret-env = "DWHO_SECRET"')
    with pytest.raises(
        TargetFileError,
        match=r"users\.dwho\.factors\.totp\.secret-env: the environment variable DWHO_SECRET is not set",
    ):
        load(tmp_path, text)
    monkeypatch.setenv("DWHO_SECRET", "GEZDGNBVGY3TQOJQ")
    totp = load(tmp_path, text).deployment_map.users["dwho"].enrolments["totp"].totp  # type: ignore[attr-defined]
    assert totp.secret == "GEZDGNBVGY3TQOJQ"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('requires = "totp"', 'requires = "sms"'),
            "applications.payroll.requires: no such factor 'sms' (known: totp)",
        ),
        (
            ('service = "https://wiki.badwolf.org/"', 'service = "wiki"'),
            "applications.wiki.service: 'wiki' is not an http(s) URL",
        ),
        (
            ('secret = "jbsw y3dp ehpk 3pxp"', 'secret = "not base32!"'),
            "users.dwho.factors.totp.secret: not base32",
        ),
        (("digits = 8", "digits = 5"), "users.dwho.factors.totp.digits: expected 6, 7 or 8"),
        (
            ('algorithm = "sha256"', 'algorithm = "md5"'),
            "users.dwho.factors.totp.algorithm: expected one of SHA1",
        ),
        (("factors.totp = {", "factors.sms = {"), "users.dwho.factors.sms: no such factor"),
        (("codes-once = false", 'codes-once = "no"'), "factors.totp.codes-once: expected true or false"),
        (("level = 5", "level = -1"), "factors.totp.level: expected a whole number"),
        (('password = "rtyler"', "password = 3"), "users.rtyler.password: expected the password as a string"),
        (("max-hops = 4", "max-hops = 0"), "driver.max-hops: expected a whole number from 1 to 50"),
        (
            ('login-form = "form#lform"', 'login-form = "form[["'),
            "driver.login-form: 'form[[' is not a CSS selector",
        ),
        (('selector = "form#upgrd"', 'press = "ok"'), "driver.interstitials[0]: give text or selector"),
        (("mfa-unavailable =", "mfa-missing ="), "driver.markers.mfa-missing: unknown view"),
        (("[context]", "[context]\nwarp = 1"), "context.warp: unknown field"),
    ],
)
def test_a_mistake_in_the_map_is_one_line_naming_the_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in MAP
    with pytest.raises(TargetFileError) as raised:
        load(tmp_path, MAP.replace(old, new, 1))
    assert str(raised.value).startswith(f"{tmp_path / 'target.toml'}: ")
    assert message in str(raised.value)
