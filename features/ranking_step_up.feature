@needs:deployment-profile @needs:sso @needs:mfa-token
Feature: Ranking and step-up over an SSO session

  "If CAS already has achieved a level that is higher than what the incoming request requires, no
  step-up authentication will be performed. If the opposite is true, CAS will route the authentication
  flow to the required authentication level and upon success, will adjust the SSO session with the new
  higher authentication level now satisfied." A provider's rank is its level: a larger rank satisfies a
  request for a smaller one (DefaultMultifactorAuthenticationContextValidator); forceExecution makes
  CAS prompt anyway (RankedMultifactorAuthenticationProviderWebflowEventResolver).

  Background:
    Given CAS offers the YubiKey and Google Authenticator providers
    And the YubiKey provider has rank 10
    And the Google Authenticator provider has rank 1
    And the application https://low.example.org requires mfa-gauth
    And the application https://high.example.org requires mfa-yubikey
    And the application https://plain.example.org is registered without a multifactor policy

  @PR-03 @PR-08
  Scenario: a session at the lower level steps up to the higher one
    When casuser logs in to https://low.example.org
    And the user completes the Google Authenticator challenge
    And the user opens https://high.example.org in the same browser
    Then CAS asks for the YubiKey factor
    When the user completes the YubiKey challenge
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-yubikey
    And the ticket releases authenticationMethod = AcceptUsersAuthenticationHandler, GoogleAuthenticatorAuthenticationHandler, YubiKeyAuthenticationHandler

  @PR-07
  Scenario: a session at the higher level satisfies a request for the lower one, without a prompt
    At validation, the satisfied request is reported as the context asked for (the contextId), which
    replaces the attribute the authentication carries.

    When casuser logs in to https://high.example.org
    And the user completes the YubiKey challenge
    And the user opens https://low.example.org in the same browser
    Then CAS issues a service ticket
    And ticket validation succeeds
    And the ticket releases the authentication context mfa-gauth
    And the ticket releases isFromNewLogin = false

  @PR-07 @PR-08
  Scenario: after a step-up, the session satisfies both levels
    When casuser logs in to https://low.example.org
    And the user completes the Google Authenticator challenge
    And the user opens https://high.example.org in the same browser
    And the user completes the YubiKey challenge
    And the user opens https://low.example.org in the same browser
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-gauth

  @PR-08
  Scenario: after a step-up, the SSO session remembers the higher level
    When casuser logs in to https://low.example.org
    And the user completes the Google Authenticator challenge
    And the user opens https://high.example.org in the same browser
    And the user completes the YubiKey challenge
    And the user opens https://high.example.org in the same browser
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-yubikey

  @PR-07
  Scenario: the same provider again needs no second prompt
    When casuser logs in to https://high.example.org
    And the user completes the YubiKey challenge
    And the user opens https://high.example.org in the same browser
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-yubikey

  @PR-03
  Scenario: an application without MFA rides on the session, and nothing is prompted
    When casuser logs in to https://high.example.org
    And the user completes the YubiKey challenge
    And the user opens https://plain.example.org in the same browser
    Then CAS issues a service ticket
    And ticket validation succeeds
    And the ticket releases isFromNewLogin = false

  @PR-11
  Scenario: forceExecution prompts even when the session already satisfies the provider
    Given the multifactor policy of https://low.example.org sets:
      | field          | value |
      | forceExecution | true  |
    When casuser logs in to https://high.example.org
    And the user completes the YubiKey challenge
    And the user opens https://low.example.org in the same browser
    Then CAS asks for the Google Authenticator factor

  @PR-09 @PR-07
  Scenario Outline: a session satisfied by Google Authenticator (rank <gauth>), a request for YubiKey (rank <yubikey>)
    Equal ranks satisfy each other: the rule is "rank at least as high".

    Given the YubiKey provider has rank <yubikey>
    And the Google Authenticator provider has rank <gauth>
    When casuser logs in to https://low.example.org
    And the user completes the Google Authenticator challenge
    And the user opens https://high.example.org in the same browser
    Then the login ends with <result>

    Examples:
      | gauth | yubikey | result           |
      | 1     | 10      | the YubiKey form |
      | 10    | 1       | a service ticket |
      | 5     | 5       | a service ticket |
      | 0     | 0       | a service ticket |
      | -1    | 0       | the YubiKey form |

  @PR-03
  Scenario: without an SSO session the browser is shown the login form
    When casuser opens https://high.example.org in the same browser
    Then no service ticket is issued

  @PR-12
  Scenario Outline: an application that asks for <asked> at validation, after a login with <done>
    The application may repeat authn_method on /p3/serviceValidate. At validation the first trigger that
    names a provider decides, and the service's own policy comes before the request's authn_method
    (the @Bean order of CasCoreMultifactorAuthenticationWebflowAutoConfiguration; derived, no CAS test
    asserts it): for a service with a policy, the policy's provider is what is checked.

    When casuser logs in to <app>
    And the user completes the <done> challenge
    And the application validates the ticket asking for <asked>
    Then <verdict>

    Examples:
      | app                      | done                 | asked       | verdict                                            |
      | https://low.example.org  | Google Authenticator | mfa-yubikey | ticket validation succeeds                          |
      | https://high.example.org | YubiKey              | mfa-gauth   | ticket validation succeeds                          |
      | https://high.example.org | YubiKey              | mfa-yubikey | ticket validation succeeds                          |

  @PR-12
  Scenario: a ticket issued without MFA fails validation when the application asks for a provider
    For a service without a policy, authn_method on the validation request is the trigger; the login
    satisfied no provider, so validation fails with INVALID_AUTHENTICATION_CONTEXT
    (UnsatisfiedAuthenticationContextTicketValidationException).

    When casuser logs in to https://plain.example.org
    And the application validates the ticket asking for mfa-gauth
    Then ticket validation fails with INVALID_AUTHENTICATION_CONTEXT

  @PR-12 @PR-07
  Scenario Outline: an application without a policy asks for <asked> at validation after an SSO login with <done>
    When casuser logs in to <app>
    And the user completes the <done> challenge
    And the user opens https://plain.example.org in the same browser
    And the application validates the ticket asking for <asked>
    Then <verdict>

    Examples:
      | app                      | done                 | asked       | verdict                                                     |
      | https://low.example.org  | Google Authenticator | mfa-yubikey | ticket validation fails with INVALID_AUTHENTICATION_CONTEXT |
      | https://high.example.org | YubiKey              | mfa-gauth   | ticket validation succeeds                                  |
      | https://low.example.org  | Google Authenticator | mfa-gauth   | ticket validation succeeds                                  |
