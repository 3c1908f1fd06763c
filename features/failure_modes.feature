@needs:deployment-profile
Feature: Failure modes: what CAS does when the requested MFA provider cannot be reached

  "CAS will consult the current configuration in the event that the provider being requested is
  unreachable to determine how to proceed." The provider's subflow runs three actions in turn
  (AbstractCasMultifactorWebflowConfigurer): the bypass action lets OPEN and PHANTOM through when the
  provider is down; the availability action asks the provider, unless the mode is NONE; the failure
  action ends CLOSED and UNDEFINED on the "MFA Provider Unavailable" view.

  Background:
    Given CAS offers the YubiKey provider

  @FM-01 @needs:mfa-token
  Scenario Outline: with the provider reachable, failure mode <mode> changes nothing
    Given the application https://app.example.org requires mfa-yubikey with failure mode <mode>
    When casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor
    When the user completes the YubiKey challenge
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-yubikey
    And the ticket says MFA was not bypassed

    Examples:
      | mode      |
      | OPEN      |
      | CLOSED    |
      | PHANTOM   |
      | NONE      |
      | UNDEFINED |

  @FM-06 @needs:provider-outage
  Scenario: CLOSED blocks the login when the provider is down
    CLOSED: "Disallow MFA and block authentication." No ticket is issued.

    Given the application https://app.example.org requires mfa-yubikey with failure mode CLOSED
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the "MFA Provider Unavailable" page is shown
    And no service ticket is issued

  @FM-07 @FM-13 @needs:provider-outage
  Scenario: OPEN lets the login through and tells the application MFA was bypassed
    OPEN: "proceed with authentication but don't communicate MFA status/context to the relying party".
    CAS still releases the two bypass attributes (the 6.6 blog post shows this payload); only the
    authentication context is missing (MultifactorAuthenticationBypassAction, rememberBypass).

    Given the application https://app.example.org requires mfa-yubikey with failure mode OPEN
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket
    And ticket validation succeeds
    And the ticket releases bypassMultifactorAuthentication = true
    And the ticket releases bypassedMultifactorAuthenticationProviderId = mfa-yubikey
    And the ticket releases credentialType = UsernamePasswordCredential
    And the ticket releases no authentication context

  @FM-08 @FM-14 @needs:provider-outage @cas:6.6+
  Scenario: PHANTOM lets the login through and tells the application MFA happened
    PHANTOM: "proceed with authentication and communicate MFA to the relying party". The context
    attribute is added at primary authentication by MultifactorAuthenticationProviderMetadataPopulator
    (CAS 6.6+), next to the same bypass attributes as OPEN.

    Given the application https://app.example.org requires mfa-yubikey with failure mode PHANTOM
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-yubikey
    And the ticket says MFA was bypassed for mfa-yubikey

  @FM-14 @needs:provider-outage @cas:6.6+
  Scenario: PHANTOM with the context attribute renamed, as in the failure-modes blog post
    The blog post's payload shows "authenticationContext" because it renames the attribute with
    cas.authn.mfa.core.authentication-context-attribute; the default name is authnContextClass.

    Given the CAS properties:
      | property                                           | value                 |
      | cas.authn.mfa.core.authentication-context-attribute | authenticationContext |
    And the application https://something.org/anything/open requires mfa-yubikey with failure mode PHANTOM
    And the YubiKey provider is unavailable
    When casuser logs in to https://something.org/anything/open
    Then CAS issues a service ticket
    And the ticket releases authenticationContext = mfa-yubikey
    And the ticket does not release authnContextClass
    And the ticket releases bypassMultifactorAuthentication = true
    And the ticket releases bypassedMultifactorAuthenticationProviderId = mfa-yubikey

  @FM-09 @needs:provider-outage
  Scenario: NONE does not check the provider at all and sends the user to it even when it is down
    NONE: "CAS would not check for failure at all". Since CAS 6.5 the availability action is skipped
    (MultifactorAuthenticationAvailableAction), so the user is routed to the provider's form.

    Given the application https://app.example.org requires mfa-yubikey with failure mode NONE
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor
    And no service ticket is issued

  @FM-10 @FM-11 @needs:provider-outage
  Scenario: UNDEFINED at every level ends on the unavailable view, not a generic failure
    The failure-modes page says the user "will be shown a generic 'Authentication Failed' message".
    CAS's webflow treats an UNDEFINED mode like CLOSED and renders casMfaUnavailableView.

    Given the application https://app.example.org requires mfa-yubikey with failure mode UNDEFINED
    And the YubiKey provider's failure mode is UNDEFINED
    And the global failure mode is UNDEFINED
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the "MFA Provider Unavailable" page is shown
    And no service ticket is issued

  @FM-12 @needs:provider-outage
  Scenario: By default, authentication fails closed
    No failure mode is configured anywhere: the provider's defaults to CLOSED (CAS 6.4+), and so does
    the global one.

    Given the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS applied the failure mode CLOSED set on the provider to mfa-yubikey
    And the "MFA Provider Unavailable" page is shown

  @FM-15 @FM-04 @needs:provider-outage
  Scenario Outline: the provider's own failure mode <mode> applies when the service sets none
    "cas.authn.mfa.yubikey.failure-mode=OPEN" in the blog post.

    Given the YubiKey provider's failure mode is <mode>
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS applied the failure mode <mode> set on the provider to mfa-yubikey
    And the login ends with <result>

    Examples:
      | mode    | result                              |
      | OPEN    | a service ticket                    |
      | PHANTOM | a service ticket                    |
      | CLOSED  | the "MFA Provider Unavailable" page |
      | NONE    | the YubiKey form                    |

  @FM-05 @FM-15 @needs:provider-outage
  Scenario: the global mode needs the provider's mode set to UNDEFINED, as the blog post does
    cas.authn.mfa.yubikey.failure-mode=UNDEFINED and cas.authn.mfa.core.global-failure-mode=PHANTOM.

    Given the CAS properties:
      | property                               | value     |
      | cas.authn.mfa.yubikey.failure-mode     | UNDEFINED |
      | cas.authn.mfa.core.global-failure-mode | PHANTOM   |
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS applied the failure mode PHANTOM set globally to mfa-yubikey
    And the ticket releases the authentication context mfa-yubikey

  @FM-04 @needs:provider-outage
  Scenario: a global OPEN mode alone does not open anything: the provider's CLOSED default wins
    The docs read as if the global mode applied whenever the service and provider set none. Since
    CAS 6.4 the provider's failure-mode defaults to CLOSED, so the global mode is never reached
    (DefaultMultifactorAuthenticationFailureModeEvaluator, BaseMultifactorAuthenticationProviderProperties).

    Given the global failure mode is OPEN
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS applied the failure mode CLOSED set on the provider to mfa-yubikey
    And the "MFA Provider Unavailable" page is shown

  @FM-14 @needs:provider-outage @cas:6.6+
  Scenario: PHANTOM marks every login while its provider is down, even for services without MFA
    Each provider module registers its own metadata populator, which runs at every primary
    authentication, whether or not a trigger asks for that provider. The context attribute is recorded
    even for an application that never asked for MFA (derived from the code; no CAS test asserts it).

    Given the YubiKey provider's failure mode is PHANTOM
    And the application https://plain.example.org is registered without a multifactor policy
    And the YubiKey provider is unavailable
    When casuser logs in to https://plain.example.org
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-yubikey
    And the ticket carries no bypass attributes

  @FM-07 @needs:provider-outage
  Scenario: the provider is asked again at ticket validation, where OPEN also lets the ticket through
    DefaultRequestedAuthenticationContextValidator asks the provider again; unavailable and any mode
    other than CLOSED means the context check passes.

    Given the application https://app.example.org requires mfa-yubikey with failure mode OPEN
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    And the application validates the ticket
    Then ticket validation succeeds
    And the ticket releases no authentication context

  @FM-06 @needs:provider-outage
  Scenario: a provider that is down does not matter when no trigger asks for it
    The failure mode is consulted only for the provider a login needs.

    Given the YubiKey provider's failure mode is CLOSED
    And the application https://plain.example.org is registered without a multifactor policy
    And the YubiKey provider is unavailable
    When casuser logs in to https://plain.example.org
    Then CAS issues a service ticket
    And ticket validation succeeds
    And the ticket releases no authentication context
    And the ticket carries no bypass attributes
