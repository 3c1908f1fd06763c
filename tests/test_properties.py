from __future__ import annotations

from pathlib import Path

import pytest

from cas_mfa_ref.config.properties import CasProperties, canonical, split_name
from cas_mfa_ref.errors import ProfileError
from cas_mfa_ref.model import FailureMode

PATH = Path("cas.properties")


def props(**values: str) -> CasProperties:
    return CasProperties.from_mapping({k.replace("__", "."): v for k, v in values.items()}, PATH)


def load(text: str, environ: dict[str, str] | None = None) -> CasProperties:
    from cas_mfa_ref.config.javaprops import parse_properties

    return CasProperties.from_raw(parse_properties(text, PATH), PATH, environ or {})


@pytest.mark.parametrize(
    "written",
    [
        "cas.authn.mfa.core.global-failure-mode",
        "cas.authn.mfa.core.globalFailureMode",
        "cas.authn.mfa.core.global_failure_mode",
        "CAS.AUTHN.MFA.CORE.GLOBALFAILUREMODE",
    ],
)
def test_relaxed_binding_finds_every_form(written: str) -> None:
    found = load(f"{written}=OPEN\n")
    assert (
        found.choice("cas.authn.mfa.core.global-failure-mode", FailureMode, FailureMode.CLOSED)
        is FailureMode.OPEN
    )


def test_indexes_in_brackets_and_dotted_form_are_one_name() -> None:
    assert canonical("cas.authn.mfa.duo[0].duo-api-host") == canonical("cas.authn.mfa.duo.0.duoApiHost")
    found = load("cas.authn.mfa.duo[0].duo-api-host=a\ncas.authn.mfa.duo[2].rank=1\n")
    assert found.indexes("cas.authn.mfa.duo") == [0, 2]


def test_bracketed_map_keys_keep_dots_and_case() -> None:
    assert split_name("a.map[x.Y].z") == ("a", "map", "[x.Y]", "z")


def test_typed_values_and_their_errors_name_the_line() -> None:
    found = load("a.rank=ten\na.flag=maybe\na.mode=SOMETIMES\n")
    with pytest.raises(ProfileError, match=r"cas.properties:1: a.rank: 'ten' is not a whole number"):
        found.integer("a.rank", 0)
    with pytest.raises(ProfileError, match=r"cas.properties:2: a.flag: 'maybe' is not a boolean"):
        found.boolean("a.flag", False)
    with pytest.raises(
        ProfileError, match=r"cas.properties:3: a.mode: 'SOMETIMES' is not one of OPEN, CLOSED"
    ):
        found.choice("a.mode", FailureMode, FailureMode.CLOSED)


def test_enum_values_ignore_case_as_spring_does() -> None:
    assert load("m=phantom\n").choice("m", FailureMode, FailureMode.CLOSED) is FailureMode.PHANTOM


def test_placeholders_resolve_against_properties_then_environment() -> None:
    found = load(
        "base=https://cas.example.org\nurl=${base}/cas\nhome=${HOME_DIR}\nd=${missing:fallback}\n",
        {"HOME_DIR": "/srv"},
    )
    assert found.text("url") == "https://cas.example.org/cas"
    assert found.text("home") == "/srv"
    assert found.text("d") == "fallback"


def test_an_unresolvable_placeholder_is_an_error() -> None:
    with pytest.raises(
        ProfileError, match=r"cas.properties:1: x: could not resolve placeholder '\$\{nope\}'"
    ):
        load("x=${nope}\n").text("x")


def test_a_repeated_property_warns_and_the_last_value_wins() -> None:
    found = load("a=1\nA=2\n")
    assert found.text("a") == "2"
    assert [str(w) for w in found.warnings] == [
        "cas.properties:2: A: warning: 'A' is set again; the value on line 1 is replaced"
    ]
