@needs:deployment-profile
Feature: Provider selection: the highest rank, or a menu for the user

  "With several providers for one transaction, CAS picks the highest-ranked one by default", and "CAS
  can present a menu of all qualifying providers and let the user choose"
  (cas.authn.mfa.core.provider-selection.provider-selection-enabled; in CAS 6.5/6.6 the flat name
  cas.authn.mfa.core.provider-selection-enabled). The menu is a composite provider (mfa-composite);
  the choice is posted as mfaProvider (ChainingMultifactorAuthenticationProviderSelector,
  MultifactorProviderSelectedAction).

  Background:
    Given CAS offers the YubiKey and Google Authenticator providers
    And the YubiKey provider has rank 10
    And the Google Authenticator provider has rank 1

  @PR-05 @PR-09
  Scenario: without the menu, the highest rank is chosen for the user
    Given the application https://app.example.org requires mfa-yubikey and mfa-gauth
    When casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor

  @PR-10
  Scenario Outline: with the menu, the user chooses <choice>
    Given the CAS properties:
      | property                                                         | value |
      | cas.authn.mfa.core.provider-selection.provider-selection-enabled | true  |
    And the application https://app.example.org requires mfa-yubikey and mfa-gauth
    When casuser logs in to https://app.example.org
    Then CAS lets the user choose between YubiKey and Google Authenticator
    When the user chooses <choice> on the menu
    Then CAS asks for the <choice> factor

    Examples:
      | choice               |
      | YubiKey              |
      | Google Authenticator |

  @PR-10 @needs:mfa-token
  Scenario: the chosen provider's factor completes the login and is the context released
    Given the CAS properties:
      | property                                                         | value |
      | cas.authn.mfa.core.provider-selection.provider-selection-enabled | true  |
    And the application https://app.example.org requires mfa-yubikey and mfa-gauth
    When casuser logs in to https://app.example.org
    And the user chooses Google Authenticator on the menu
    And the user completes the Google Authenticator challenge
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-gauth

  @PR-10
  Scenario: one qualifying provider needs no menu
    Given the CAS properties:
      | property                                                         | value |
      | cas.authn.mfa.core.provider-selection.provider-selection-enabled | true  |
    And the application https://app.example.org requires mfa-gauth
    When casuser logs in to https://app.example.org
    Then CAS asks for the Google Authenticator factor

  @PR-10 @FM-06 @needs:provider-outage
  Scenario: the chosen provider's failure mode applies once it is chosen
    Given the CAS properties:
      | property                                                         | value |
      | cas.authn.mfa.core.provider-selection.provider-selection-enabled | true  |
    And the application https://app.example.org requires mfa-yubikey and mfa-gauth
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    And the user chooses YubiKey on the menu
    Then the "MFA Provider Unavailable" page is shown

  @PR-10 @TR-10
  Scenario: the menu gathers the providers of several triggers
    Given the CAS properties:
      | property                                                         | value       |
      | cas.authn.mfa.core.provider-selection.provider-selection-enabled | true        |
      | cas.authn.mfa.triggers.global.global-provider-id                 | mfa-yubikey |
    And the application https://app.example.org requires mfa-gauth
    When casuser logs in to https://app.example.org
    Then CAS lets the user choose between YubiKey and Google Authenticator
