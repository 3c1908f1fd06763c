from __future__ import annotations

import types

import cas_mfa_ref


def test_every_public_name_resolves_and_nothing_else_is_exported() -> None:
    public = {
        name
        for name in dir(cas_mfa_ref)
        if not name.startswith("_")
        and name != "annotations"
        and not isinstance(getattr(cas_mfa_ref, name), types.ModuleType)
    }
    assert set(cas_mfa_ref.__all__) == public
    assert sorted(cas_mfa_ref.__all__) == cas_mfa_ref.__all__


def test_the_docstring_example_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cas.properties").write_text(
        "cas.authn.accept.users=casuser::Mellon\ncas.authn.mfa.yubikey.client-id=1\n"
    )
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "App-1.json").write_text(
        '{"@class": "org.apereo.cas.services.CasRegisteredService", "serviceId": "^https://app.example.org.*",'
        ' "id": 1, "multifactorPolicy": {"@class": "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy",'
        ' "multifactorAuthenticationProviders": ["java.util.LinkedHashSet", ["mfa-yubikey"]]}}'
    )
    profile = cas_mfa_ref.load_profile(tmp_path)
    request = cas_mfa_ref.LoginRequest("casuser", "https://app.example.org")
    result = cas_mfa_ref.explain(profile, request, providers_down=["mfa-yubikey"])
    assert result.decision.outcome is cas_mfa_ref.Outcome.UNAVAILABLE
