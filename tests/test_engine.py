"""Engine pieces whose CAS behaviour the features cannot reach on their own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.engine.authentication import primary_authentication
from cas_mfa_ref.engine.bypass import BypassContext, chain_for, evaluate_chain, registered_service
from cas_mfa_ref.engine.clock import FixedClock
from cas_mfa_ref.engine.failure_mode import resolve_failure_mode
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.selection import select_ranked
from cas_mfa_ref.model import FailureMode as F
from cas_mfa_ref.protocol.tickets import TicketError, TicketRegistry
from tests.conftest import POLICY, MakeProfile, service


@pytest.mark.parametrize(
    ("global_mode", "provider_mode", "service_mode", "expected"),
    [
        (F.CLOSED, F.CLOSED, F.UNDEFINED, (F.CLOSED, "provider")),
        (F.OPEN, F.UNDEFINED, F.UNDEFINED, (F.OPEN, "global")),
        (F.UNDEFINED, F.UNDEFINED, F.UNDEFINED, (F.UNDEFINED, "global")),
        (F.OPEN, F.PHANTOM, F.NONE, (F.NONE, "service")),
    ],
)
def test_failure_mode_precedence(
    make_profile: MakeProfile, global_mode: F, provider_mode: F, service_mode: F, expected: tuple[F, str]
) -> None:
    profile = load_profile(
        make_profile(
            properties=f"cas.authn.mfa.core.global-failure-mode={global_mode.value}\n"
            f"cas.authn.mfa.yubikey.failure-mode={provider_mode.value}\n",
            services={
                "App-1.json": service(multifactorPolicy={"@class": POLICY, "failureMode": service_mode.value})
            },
        )
    )
    resolved = resolve_failure_mode(
        profile.core.global_failure_mode, profile.providers["mfa-yubikey"], profile.services[0]
    )
    assert (resolved.mode, resolved.source) == expected


def test_the_service_bypass_evaluator_sits_in_every_chain(make_profile: MakeProfile) -> None:
    """bypassEnabled stops the triggers before the chain runs; the member is still there, as in CAS."""
    profile = load_profile(
        make_profile(
            services={"App-1.json": service(multifactorPolicy={"@class": POLICY, "bypassEnabled": True})}
        )
    )
    provider = profile.providers["mfa-yubikey"]
    assert registered_service in chain_for(provider)
    authentication = primary_authentication("casuser", {})
    context = BypassContext(authentication, provider, profile.services[0], HttpRequest(), RestCaller())
    verdict, asked = evaluate_chain(context)
    assert verdict.bypass and verdict.evaluator == "registered service"
    assert [v.evaluator for v in asked] == ["registered service"]


def test_ranked_selection_takes_the_last_of_equal_ranks(make_profile: MakeProfile) -> None:
    profile = load_profile(
        make_profile(
            properties="cas.authn.mfa.yubikey.rank=3\ncas.authn.mfa.gauth.rank=3\n"
            "cas.authn.mfa.simple.rank=1\n"
        )
    )
    providers = list(profile.providers.values())
    assert select_ranked(providers).id == "mfa-gauth"
    assert select_ranked(list(reversed(providers))).id == "mfa-yubikey"


def test_service_tickets_are_single_use_bound_to_their_service_and_expire() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    registry = TicketRegistry(clock)
    authentication = primary_authentication("casuser", {})
    first = registry.issue("https://a.example.org", authentication, from_new_login=True)
    assert registry.consume(first.id, "https://a.example.org").authentication is authentication
    with pytest.raises(TicketError) as replay:
        registry.consume(first.id, "https://a.example.org")
    assert replay.value.code == "INVALID_TICKET"

    second = registry.issue("https://a.example.org", authentication, from_new_login=True)
    with pytest.raises(TicketError) as wrong:
        registry.consume(second.id, "https://b.example.org")
    assert wrong.value.code == "INVALID_SERVICE"
    with pytest.raises(TicketError) as used:
        registry.consume(second.id, "https://a.example.org")
    assert used.value.code == "INVALID_TICKET"

    third = registry.issue("https://a.example.org", authentication, from_new_login=True)
    clock.advance(11)
    with pytest.raises(TicketError) as expired:
        registry.consume(third.id, "https://a.example.org")
    assert expired.value.code == "INVALID_TICKET"
    assert first.id.startswith("ST-1-") and second.id.startswith("ST-2-")


def test_services_are_ordered_by_evaluation_order_then_name(
    make_profile: MakeProfile, tmp_path: Path
) -> None:
    profile = load_profile(
        make_profile(
            services={
                "B-2.json": service(id=2, name="B", serviceId="^https://.*", evaluationOrder=5),
                "A-3.json": service(id=3, name="a", serviceId="^https://.*", evaluationOrder=5),
                "Z-4.json": service(id=4, name="Z", serviceId="^https://app.*", evaluationOrder=1),
            }
        )
    )
    assert [s.id for s in profile.services] == [4, 3, 2]
    assert profile.find_service("https://app.example.org").id == 4  # type: ignore[union-attr]
    assert profile.find_service("HTTPS://OTHER.example.org").id == 3  # type: ignore[union-attr]
    assert profile.find_service("http://other.example.org") is None


def test_stub_and_json_attributes_merge_with_the_repository_winning(make_profile: MakeProfile) -> None:
    profile = load_profile(
        make_profile(
            properties="cas.authn.accept.users=casuser::Mellon\n"
            "cas.authn.attribute-repository.stub.attributes.affiliation=staff,alum\n"
            "cas.authn.attribute-repository.stub.attributes.displayName=Everyone\n"
            "cas.authn.attribute-repository.stub.attributes.active=true\n"
            "cas.authn.attribute-repository.json[0].location=file:people.json\n",
            files={
                "people.json": '{"casuser": {"displayName": ["CAS User"], "mail": "casuser@example.org"}}'
            },
        )
    )
    assert profile.principal_attributes("casuser") == {
        "affiliation": ["staff", "alum"],
        "displayName": ["CAS User"],
        "active": [True],
        "mail": ["casuser@example.org"],
    }


def test_pointing_at_the_mocks_keeps_a_scenarios_own_values_in_any_spelling() -> None:
    from steps.deployment import Deployment

    mocks = {
        "yubikey": {"validation_url": "http://127.0.0.1:1/v", "client_id": "87", "secret_key": "k"},
        "duo": {"integration_key": "DI", "secret_key": "s", "api_host": "localhost:2", "ca_pem": "/ca.pem"},
        "radius": {"host": "127.0.0.1", "port": 3, "shared_secret": "x"},
    }
    deployment = Deployment({"cas.authn.mfa.yubikey.apiUrls": "http://127.0.0.1:9/mine"})
    pointed = deployment.pointed_at(mocks).properties
    assert "cas.authn.mfa.yubikey.api-urls" not in pointed
    assert pointed["cas.authn.mfa.yubikey.apiUrls"] == "http://127.0.0.1:9/mine"
    assert pointed["cas.authn.mfa.yubikey.client-id"] == "87"
