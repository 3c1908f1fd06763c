@needs:deployment-profile @needs:gauth-accounts
Feature: Google Authenticator: which codes CAS accepts

  CAS checks a Google Authenticator code against the secret of the user's account
  (GoogleAuthenticatorOneTimeTokenCredentialValidator): it must be all digits; a code the user already
  used is refused; a time-based code is accepted within window-size steps around now; otherwise one of
  the account's scratch codes is accepted once. The suite registers each user's account through CAS's
  gauthCredentialRepository endpoint and computes the codes as the user's phone would (RFC 6238), at
  CAS's time.

  Background:
    Given CAS offers the Google Authenticator provider
    And the application https://app.example.org requires mfa-gauth
    And the time at CAS is Monday 09:00

  @GA-01 @needs:clock-control
  Scenario: the code the phone shows now completes the login
    When casuser logs in to https://app.example.org
    Then CAS asks for the Google Authenticator factor
    When the user types the Google Authenticator code of now
    Then CAS issues a service ticket
    And the ticket releases the authentication context mfa-gauth

  @GA-02 @needs:clock-control
  Scenario Outline: window-size <window>: the code of <steps> steps <direction>
    Given the CAS properties:
      | property                            | value    |
      | cas.authn.mfa.gauth.core.window-size | <window> |
    When casuser logs in to https://app.example.org
    And the user types the Google Authenticator code of <steps> steps <direction>
    Then the login ends with <result>

    Examples: the default window of 3 steps: the previous, the current and the next
      | window | steps | direction | result                        |
      | 3      | 1     | ago       | a service ticket              |
      | 3      | 1     | ahead     | a service ticket              |
      | 3      | 2     | ago       | the Google Authenticator form |
      | 3      | 2     | ahead     | the Google Authenticator form |

    Examples: a window of 5 steps, and of 1
      | window | steps | direction | result                        |
      | 5      | 2     | ago       | a service ticket              |
      | 5      | 3     | ahead     | the Google Authenticator form |
      | 1      | 1     | ago       | the Google Authenticator form |

  @GA-03 @needs:clock-control
  Scenario: a code works once
    When casuser logs in to https://app.example.org
    And the user types the Google Authenticator code of now
    Then CAS issues a service ticket
    When the user closes the browser
    And casuser logs in to https://app.example.org
    And the user types the same code again
    Then the login ends with the Google Authenticator form
    And no service ticket is issued

  @GA-03 @needs:clock-control
  Scenario: a used code is forgotten 30 seconds after the last success
    When casuser logs in to https://app.example.org
    And the user types the Google Authenticator code of now
    And the user closes the browser
    And 35 seconds pass
    And casuser logs in to https://app.example.org
    And the user types the same code again
    Then CAS issues a service ticket

  @GA-04 @needs:clock-control
  Scenario: a scratch code works once
    When casuser logs in to https://app.example.org
    And the user types a Google Authenticator scratch code
    Then CAS issues a service ticket
    When the user closes the browser
    And casuser logs in to https://app.example.org
    And the user types the same code again
    Then the login ends with the Google Authenticator form

  @GA-05 @needs:clock-control
  Scenario Outline: the token "<token>" is refused
    When casuser logs in to https://app.example.org
    And the user types "<token>" as the Google Authenticator token
    Then the login ends with the Google Authenticator form

    Examples:
      | token    |
      | 12a456   |
      | 000000 1 |
