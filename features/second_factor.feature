Feature: A second factor on any CAS, as its operators configured it

  What MFA must look like from outside on any CAS-protocol server that offers a second factor: Apereo
  CAS with a provider such as Google Authenticator, or another product with a one-time-code factor and
  authentication levels. The scenarios name roles, not users or URLs: the deployment map of the target
  file (docs/target-file.md) says which user is enrolled in which factor, which applications require
  it, and which attribute says at validation that it was passed. For the reference, the map is derived
  from the scenario's own profile: casuser enrolled in Google Authenticator, two applications without MFA
  and two whose multifactor policy names mfa-gauth.

  Background:
    Given a user enrolled in a second factor
    And an application that requires that factor
    And another application that requires that factor at the same level
    And an application without MFA

  @AC-01
  Scenario: the first login to an application that requires the factor asks for it
    When the user logs in to the MFA application
    Then CAS asks for the second factor
    And no service ticket is issued

  @AC-01
  Scenario: an application without MFA gets a ticket after the password alone
    When the user logs in to the plain application
    Then CAS issues a service ticket
    And ticket validation succeeds for the user
    And the ticket releases no context of the second factor

  @AC-02
  Scenario: a wrong code is refused, and no ticket is issued
    When the user logs in to the MFA application
    And the user enters a wrong second factor token
    Then CAS asks for the second factor
    And no service ticket is issued

  @AC-03
  Scenario: the right code gives a ticket whose validation releases the context
    When the user logs in to the MFA application
    And the user completes the second factor challenge
    Then CAS issues a service ticket
    And ticket validation succeeds for the user
    And the ticket releases the context of the second factor

  @AC-04 @needs:sso
  Scenario: SSO to another application of the same level needs no second prompt
    When the user logs in to the MFA application
    And the user completes the second factor challenge
    And the user opens the other MFA application in the same browser
    Then CAS issues a service ticket
    And the ticket releases the context of the second factor

  @AC-05 @needs:sso
  Scenario: step-up from a password-only session asks for the factor once, then the session holds it
    When the user logs in to the plain application
    And the user opens the MFA application in the same browser
    Then CAS asks for the second factor
    When the user completes the second factor challenge
    Then CAS issues a service ticket
    And the ticket releases the context of the second factor
    When the user opens the other MFA application in the same browser
    Then CAS issues a service ticket

  @AC-06 @needs:sso
  Scenario: renew=true asks for credentials again, even after the second factor
    When the user logs in to the MFA application
    And the user completes the second factor challenge
    And the user opens the other MFA application in the same browser with renew=true
    Then CAS shows the login form

  @AC-07
  Scenario: a ticket issued after the second factor validates once, and only for its service
    When the user logs in to the MFA application
    And the user completes the second factor challenge
    And the application validates the ticket for the other MFA application
    Then ticket validation fails with INVALID_SERVICE
    When the application validates the ticket again
    Then ticket validation fails with INVALID_TICKET

  @AC-08
  Scenario: validation asking for a context the authentication did not satisfy is refused
    Honoured by Apereo CAS as `authn_method` (MultifactorAuthenticationContextValidator decides, and the
    answer is INVALID_AUTHENTICATION_CONTEXT); a server whose map names no validation parameter is not
    asked.

    When the user logs in to the plain application
    And the application validates the ticket asking for the context of the second factor
    Then ticket validation fails with INVALID_AUTHENTICATION_CONTEXT

  @AC-09 @needs:sso
  Scenario: logout ends the session, the second factor with it
    When the user logs in to the MFA application
    And the user completes the second factor challenge
    And the user logs out
    And the user opens the other MFA application in the same browser
    Then CAS shows the login form
