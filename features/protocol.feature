Feature: The CAS protocol: logins, service tickets, validation, SSO, renew, gateway and logout

  What any CAS server does before MFA comes into it (CAS Protocol 3.0). These scenarios are written in
  the roles of the deployment map (docs/target-file.md): a user of the deployment and two applications
  without MFA, so they run against any CAS as its operators configured it, also one without MFA.

  Background:
    Given a user of the deployment
    And an application without MFA
    And another application without MFA

  @CP-01
  Scenario: a login for a registered service comes back with a service ticket
    When the user logs in to the plain application
    Then CAS issues a service ticket
    And ticket validation succeeds for the user

  @CP-02
  Scenario: a wrong password shows the login form again
    When the user logs in to the plain application with a wrong password
    Then CAS shows the login form
    And no service ticket is issued

  @CP-03
  Scenario: a service ticket validates once
    When the user logs in to the plain application
    And the application validates the ticket
    Then ticket validation succeeds for the user
    When the application validates the ticket again
    Then ticket validation fails with INVALID_TICKET

  @CP-04
  Scenario: a ticket presented by another service is refused and used up
    When the user logs in to the plain application
    And the application validates the ticket for the other plain application
    Then ticket validation fails with INVALID_SERVICE
    When the application validates the ticket again
    Then ticket validation fails with INVALID_TICKET

  @CP-05
  Scenario Outline: a validation request with <problem> fails with <code>
    When the application asks CAS to validate <request>
    Then ticket validation fails with <code>

    Examples:
      | problem                  | request                                             | code            |
      | no ticket                | without a ticket for the plain application        | INVALID_REQUEST |
      | no service               | the ticket ST-1-unknown without a service           | INVALID_REQUEST |
      | a ticket CAS never issued | the ticket ST-1-unknown for the plain application | INVALID_TICKET  |

  @CP-06 @needs:sso
  Scenario: the SSO session gives a ticket for another service without credentials
    When the user logs in to the plain application
    And the user opens the other plain application in the same browser
    Then CAS issues a service ticket
    And ticket validation succeeds for the user

  @CP-07 @needs:sso
  Scenario: renew=true asks for credentials again, even with an SSO session
    When the user logs in to the plain application
    And the user opens the other plain application in the same browser with renew=true
    Then CAS shows the login form

  @CP-07 @needs:sso
  Scenario Outline: renew=true at validation accepts only a ticket from a login with credentials (<how>)
    When the user logs in to the plain application
    And <second_step>
    And the application validates the ticket with renew=true
    Then <verdict>

    Examples:
      | how             | second_step                                                                        | verdict                                     |
      | a fresh login   | the user logs in to the other plain application with the request parameter renew=true | ticket validation succeeds for the user      |
      | the SSO session | the user opens the other plain application in the same browser                       | ticket validation fails with INVALID_TICKET |

  @CP-08
  Scenario: gateway=true without an SSO session returns to the service without a ticket
    When the user opens the plain application in the same browser with gateway=true
    Then CAS sends the browser back to the service without a ticket

  @CP-08 @needs:sso
  Scenario: gateway=true with an SSO session issues a ticket
    When the user logs in to the plain application
    And the user opens the other plain application in the same browser with gateway=true
    Then CAS issues a service ticket
    And ticket validation succeeds for the user

  @CP-09 @needs:sso
  Scenario: after logout, the next login asks for credentials
    When the user logs in to the plain application
    And the user logs out
    And the user opens the other plain application in the same browser
    Then CAS shows the login form
