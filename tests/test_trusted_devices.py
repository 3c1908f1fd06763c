"""Trusted-device records: kept in SQLite when configured, they survive a restart of the server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.engine.clock import FixedClock
from cas_mfa_ref.engine.providers import InMemoryProviders
from cas_mfa_ref.errors import ProfileError
from cas_mfa_ref.protocol.cas import InProcessCas, View
from tests.conftest import MakeProfile

PROPERTIES = (
    "cas.authn.accept.users=casuser::Mellon\n"
    "cas.authn.mfa.gauth.core.issuer=CAS\n"
    "cas.authn.mfa.gauth.core.trusted-device-enabled=true\n"
    "cas.authn.mfa.trusted.jpa.url=jdbc:sqlite:devices.db\n"
)
SERVICE = {
    "@class": "org.apereo.cas.services.CasRegisteredService",
    "serviceId": "^https://app\\.example\\.org.*",
    "id": 1,
    "name": "App",
    "multifactorPolicy": {
        "@class": "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy",
        "multifactorAuthenticationProviders": ["java.util.LinkedHashSet", ["mfa-gauth"]],
    },
}


def server(root: Path, providers: InMemoryProviders) -> InProcessCas:
    return InProcessCas(
        load_profile(root), providers, clock=FixedClock(datetime(2026, 11, 16, 9, tzinfo=UTC))
    )


def test_a_trusted_device_survives_a_restart(make_profile: MakeProfile) -> None:
    root = make_profile(properties=PROPERTIES, services={"App-1.json": SERVICE})
    providers = InMemoryProviders()
    first = server(root, providers)
    form = first.login("casuser", "Mellon", "https://app.example.org")
    assert form.view is View.PROVIDER_FORM
    providers.accept_token("mfa-gauth", "casuser", "123456")
    offer = first.submit_token(form.transaction or "", "123456")
    assert offer.view is View.REGISTER_DEVICE
    done = first.register_device(offer.transaction or "", "Laptop", 30, "DAYS")
    assert done.view is View.REDIRECT_WITH_TICKET
    assert (root / "devices.db").is_file()

    restarted = server(root, providers)
    assert [d.name for d in restarted.trusted_devices("casuser")] == ["Laptop"]
    from cas_mfa_ref.engine.request import HttpRequest

    again = restarted.login("casuser", "Mellon", "https://app.example.org", HttpRequest(cookies=done.cookies))
    assert again.view is View.REDIRECT_WITH_TICKET
    assert again.decision is not None and again.decision.outcome.value == "TRUSTED"
    assert restarted.revoke_device(restarted.trusted_devices("casuser")[0].key)
    assert server(root, providers).trusted_devices() == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("cas.authn.mfa.trusted.jpa.url=jdbc:hsqldb:mem:cas\n", "keeps trusted devices in SQLite only"),
        (
            "cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id=mfa-gauth\n"
            "cas.authn.adaptive.policy.require-timed-multifactor[0].on-or-after-hour=8pm\n",
            "'8pm' is not a whole number",
        ),
        (
            "cas.authn.adaptive.policy.require-multifactor.mfa-gauth=(Firefox\n",
            "is not a valid regular expression",
        ),
        (
            "cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex=[a\n",
            "is not a valid regular expression",
        ),
        ("cas.authn.mfa.triggers.principal.deny-if-unmatched=sometimes\n", "is not a boolean"),
        (
            "cas.authn.mfa.triggers.rest.url=https://x.example.org\ncas.authn.mfa.triggers.rest.method=FETCH\n",
            "'FETCH' is not an HTTP method",
        ),
    ],
)
def test_malformed_trigger_and_trust_settings_are_one_clear_error(
    make_profile: MakeProfile, line: str, message: str
) -> None:
    root = make_profile(properties="cas.authn.mfa.gauth.core.issuer=CAS\n" + line)
    with pytest.raises(ProfileError) as error:
        load_profile(root)
    assert message in str(error.value)
    assert str(error.value).startswith(f"{root}/cas.properties:")


@pytest.mark.parametrize(
    ("days", "warned"),
    [("Funday", "'Funday'"), ("saturday,Sat", "'saturday'"), ("Saturday,Sat,S", None)],
)
def test_a_day_name_java_does_not_spell_is_a_warning_not_an_error(
    make_profile: MakeProfile, days: str, warned: str | None
) -> None:
    """CAS binds any text and compares it exactly with the English day names: a misspelt day never
    matches, which the reference says rather than refusing the profile."""
    root = make_profile(
        properties="cas.authn.mfa.gauth.core.issuer=CAS\n"
        "cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id=mfa-gauth\n"
        f"cas.authn.adaptive.policy.require-timed-multifactor[0].on-days={days}\n"
    )
    warnings = [str(w) for w in load_profile(root).warnings if "never match" in str(w)]
    if warned is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and warned in warnings[0], warnings
        assert warnings[0].startswith(f"{root}/cas.properties:3:"), warnings
