"""The provider steps over HTTP against the mock providers: YubiKey, Duo Universal, the menu, the
unavailable and denied views, device registration, and the client address from a header."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import requests

from cas_mfa_ref.providers.gauth import GauthAccount
from cas_mfa_ref.providers.totp import code_at, new_secret
from steps.deployment import module
from tests.server.conftest import SERVICE, TIMEOUT, Cas, form, parse, plain, ticket_of, with_provider

TRUST = "cas.authn.mfa.yubikey.trusted-device-enabled"


def _otp(cas: Cas, username: str = "casuser") -> str:
    return cas.mocks.yubikey.mint_otp(cas.mocks.yubikey.register_device(username=username))


def test_yubikey_token_over_the_mock(cas: Cas) -> None:
    cas.deploy(with_provider("YubiKey"))
    browser = cas.browser()
    page = cas.login(browser)
    assert page.status_code == 200
    fields = form(page, "yubiKeyForm").fields
    assert fields.keys() >= {"token", "execution", "_eventId_submit"}
    ticket = ticket_of(cas.submit(browser, page, "yubiKeyForm", token=_otp(cas)))
    released = cas.validate(ticket, format="JSON").json()["serviceResponse"]["authenticationSuccess"]
    assert released["attributes"]["authnContextClass"] == ["mfa-yubikey"]


def test_wrong_token_shows_the_provider_form_again(cas: Cas) -> None:
    cas.deploy(with_provider("YubiKey"))
    browser = cas.browser()
    page = cas.login(browser)
    again = cas.submit(browser, page, "yubiKeyForm", token="cccccccccccc" + "b" * 32)
    assert again.status_code == 401
    assert form(again, "yubiKeyForm").fields["execution"] == form(page, "yubiKeyForm").fields["execution"]
    assert ticket_of(cas.submit(browser, again, "yubiKeyForm", token=_otp(cas))).startswith("ST-")


def test_provider_down_shows_the_unavailable_view(cas: Cas) -> None:
    cas.deploy(with_provider("YubiKey"))
    cas.mocks.set_fault("yubikey", {"kind": "down"})
    answer = cas.login(cas.browser())
    assert answer.status_code == 200
    assert parse(answer).headings == ["MFA Provider Unavailable"]
    assert "CAS was unable to reach your configured MFA provider" in answer.text


def test_radius_form_markers(cas: Cas) -> None:
    cas.deploy(with_provider("RADIUS"))
    cas.mocks.radius.set_user("casuser", "123456")
    browser = cas.browser()
    page = cas.login(browser)
    fields = form(page, "fm1").fields
    assert fields.keys() >= {"token", "execution", "_eventId_submit"} and "username" not in fields
    assert ticket_of(cas.submit(browser, page, "fm1", token="123456")).startswith("ST-")


def test_duo_universal_redirect_and_callback(cas: Cas) -> None:
    cas.deploy(with_provider("Duo Security"))
    cas.mocks.duo.set_user("casuser")
    browser = cas.browser()
    to_duo = cas.login(browser)
    assert to_duo.status_code == 302, to_duo.text[:1000]
    authorize = urlsplit(to_duo.headers["Location"])
    duo = cas.mocks.describe()["duo"]
    assert authorize.scheme == "https" and authorize.path == "/oauth/v1/authorize"
    # the browser at Duo: the mock's prompt answers at once with the redirect back to CAS
    back = requests.get(
        to_duo.headers["Location"], verify=duo["ca_pem"], allow_redirects=False, timeout=TIMEOUT
    )
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == f"{cas.url}/login"
    assert parse_qs(callback.query).keys() >= {"duo_code", "state"}
    ticket = ticket_of(browser.get(back.headers["Location"], allow_redirects=False, timeout=TIMEOUT))
    released = cas.validate(ticket, format="JSON").json()["serviceResponse"]["authenticationSuccess"]
    assert released["attributes"]["authnContextClass"] == ["mfa-duo"]


def test_duo_callback_with_an_unknown_state_is_unavailable(cas: Cas) -> None:
    cas.deploy(with_provider("Duo Security"))
    answer = cas.get(cas.browser(), "/login", duo_code="x" * 20, state="TST-unknown-state-value-123")
    assert parse(answer).headings == ["MFA Provider Unavailable"]


def test_duo_denied_view(cas: Cas) -> None:
    cas.deploy(with_provider("Duo Security"))
    cas.mocks.duo.set_user("casuser", preauth="deny")
    answer = cas.login(cas.browser())
    assert answer.status_code == 200
    assert parse(answer).headings == ["MFA attempt has been denied by provider"]
    assert "Your MFA provider has denied your attempt" in answer.text


def test_selection_menu_markers_and_choice(cas: Cas) -> None:
    deployment = with_provider(
        "YubiKey", **{"cas.authn.mfa.core.provider-selection.provider-selection-enabled": "true"}
    )
    deployment.add_provider(module("RADIUS"))
    deployment.policy(SERVICE)["multifactorAuthenticationProviders"] = [
        "java.util.LinkedHashSet",
        ["mfa-yubikey", "mfa-radius"],
    ]
    cas.deploy(deployment)
    browser = cas.browser()
    menu = cas.login(browser)
    assert parse(menu).headings == ["Multifactor Authentication Provider Selection"]
    for provider in ("mfa-yubikey", "mfa-radius"):
        fields = form(menu, f"fm-{provider}").fields
        assert fields["mfaProvider"] == provider and fields["_eventId"] == "submit" and fields["execution"]
    page = cas.submit(browser, menu, "fm-mfa-yubikey")
    assert ticket_of(cas.submit(browser, page, "yubiKeyForm", token=_otp(cas))).startswith("ST-")


def test_device_registration_and_the_trusted_devices_actuator(cas: Cas) -> None:
    cas.deploy(with_provider("YubiKey", **{TRUST: "true"}))
    browser = cas.browser()
    page = cas.login(browser)
    register = cas.submit(browser, page, "yubiKeyForm", token=_otp(cas))
    assert parse(register).headings == ["Register Device"]
    fields = form(register, "registerform").fields
    assert fields.keys() >= {"deviceName", "expiration", "timeUnit", "_eventId", "execution"}
    ticket_of(
        cas.submit(browser, register, "registerform", deviceName="laptop", expiration="", timeUnit="FOREVER")
    )
    assert "MFATRUSTED" in browser.cookies
    devices = requests.get(f"{cas.url}/actuator/multifactorTrustedDevices", timeout=TIMEOUT).json()
    assert [(d["principal"], d["name"]) for d in devices] == [("casuser", "laptop")]
    assert devices[0]["recordKey"] and devices[0]["deviceFingerprint"]
    mine = requests.get(f"{cas.url}/actuator/multifactorTrustedDevices/casuser", timeout=TIMEOUT).json()
    assert mine == devices
    assert requests.get(f"{cas.url}/actuator/multifactorTrustedDevices/other", timeout=TIMEOUT).json() == []
    # the trusted browser, its SSO session closed, skips the factor on the next login
    trusted = cas.browser()
    trusted.cookies.set("MFATRUSTED", browser.cookies["MFATRUSTED"], path="/cas")
    assert ticket_of(cas.login(trusted)).startswith("ST-")
    assert form(cas.login(cas.browser()), "yubiKeyForm")  # another browser is asked for the factor
    key = devices[0]["recordKey"]
    deleted = requests.delete(f"{cas.url}/actuator/multifactorTrustedDevices/{key}", timeout=TIMEOUT)
    assert deleted.status_code == 204
    assert requests.get(f"{cas.url}/actuator/multifactorTrustedDevices", timeout=TIMEOUT).json() == []
    gone = requests.delete(f"{cas.url}/actuator/multifactorTrustedDevices/{key}", timeout=TIMEOUT)
    assert gone.status_code == 404


def test_registration_skip_issues_a_ticket_without_a_record(cas: Cas) -> None:
    cas.deploy(with_provider("YubiKey", **{TRUST: "true"}))
    browser = cas.browser()
    register = cas.submit(browser, cas.login(browser), "yubiKeyForm", token=_otp(cas))
    ticket_of(cas.submit(browser, register, "registerform", _eventId="skip"))
    assert requests.get(f"{cas.url}/actuator/multifactorTrustedDevices", timeout=TIMEOUT).json() == []


def test_client_address_from_the_configured_header(cas: Cas) -> None:
    deployment = with_provider(
        "YubiKey",
        **{
            "cas.audit.engine.alternate-client-addr-header-name": "X-Forwarded-For",
            "cas.authn.mfa.yubikey.bypass.http-request-remote-address": "10\\.1\\..*",
        },
    )
    cas.deploy(deployment)
    bypassed = cas.login(cas.browser(), headers={"X-Forwarded-For": "10.1.2.3"})
    assert ticket_of(bypassed).startswith("ST-")
    challenged = cas.login(cas.browser(), headers={"X-Forwarded-For": "192.0.2.7"})
    assert form(challenged, "yubiKeyForm")


GAUTH = "/actuator/gauthCredentialRepository"


def test_google_authenticator_account_imported_then_its_code_accepted_once(cas: Cas) -> None:
    cas.deploy(with_provider("Google Authenticator"))
    secret = new_secret()
    account = GauthAccount(42, "casuser", secret, [12345678], name="phone").to_json()
    assert requests.post(f"{cas.url}{GAUTH}/import", json=account, timeout=TIMEOUT).status_code == 201
    listed = requests.get(f"{cas.url}{GAUTH}/casuser", timeout=TIMEOUT).json()
    assert [(a["id"], a["secretKey"], a["scratchCodes"]) for a in listed] == [
        (42, secret, ["java.util.ArrayList", [12345678]])
    ]
    now = datetime.fromisoformat(
        requests.get(f"{cas.url}/actuator/conformanceClock", timeout=TIMEOUT)
        .json()["now"]
        .replace("Z", "+00:00")
    )
    code = code_at(secret, now)
    browser = cas.browser()
    page = cas.login(browser)
    assert form(page, "fm1").fields.keys() >= {"token", "accountId", "execution"}
    assert ticket_of(cas.submit(browser, page, "fm1", token=code, accountId="42")).startswith("ST-")
    second = cas.browser()
    refused = cas.submit(second, cas.login(second), "fm1", token=code, accountId="42")
    assert refused.status_code == 401 and "token" in form(refused, "fm1").fields  # the code was used
    scratch = cas.browser()
    assert ticket_of(cas.submit(scratch, cas.login(scratch), "fm1", token="12345678")).startswith("ST-")


def test_google_authenticator_repository_refuses_a_bad_account_and_deletes(cas: Cas) -> None:
    cas.deploy(with_provider("Google Authenticator"))
    bad = requests.post(f"{cas.url}{GAUTH}/import", json={"username": "casuser"}, timeout=TIMEOUT)
    assert bad.status_code == 400 and bad.json()["message"] == "secretKey: required (the Base32 secret)"
    good = GauthAccount(1, "casuser", new_secret()).to_json()
    assert requests.post(f"{cas.url}{GAUTH}/import", json=good, timeout=TIMEOUT).status_code == 201
    assert requests.delete(f"{cas.url}{GAUTH}/casuser", timeout=TIMEOUT).status_code == 200
    assert requests.get(f"{cas.url}{GAUTH}", timeout=TIMEOUT).json() == []
    cas.deploy(plain())
    assert requests.get(f"{cas.url}{GAUTH}", timeout=TIMEOUT).status_code == 404
