Feature: The CAS protocol: logins, service tickets, validation, SSO, renew, gateway and logout

  What any CAS server does before MFA comes into it (CAS Protocol 3.0). These scenarios need nothing
  but a user and two registered services, so they run against any CAS, also one without MFA: a
  deployment that cannot load the suite's profiles only needs that user and those services.

  Background:
    Given the user casuser with the password "Mellon"
    And the application https://app.example.org is registered without a multifactor policy
    And the application https://other.example.org is registered without a multifactor policy

  @CP-01
  Scenario: a login for a registered service comes back with a service ticket
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket
    And ticket validation succeeds for casuser

  @CP-02
  Scenario: a wrong password shows the login form again
    When casuser logs in to https://app.example.org with a wrong password
    Then CAS shows the login form
    And no service ticket is issued

  @CP-03
  Scenario: a service ticket validates once
    When casuser logs in to https://app.example.org
    And the application validates the ticket
    Then ticket validation succeeds for casuser
    When the application validates the ticket again
    Then ticket validation fails with INVALID_TICKET

  @CP-04
  Scenario: a ticket presented by another service is refused and used up
    When casuser logs in to https://app.example.org
    And the application validates the ticket for https://other.example.org
    Then ticket validation fails with INVALID_SERVICE
    When the application validates the ticket again
    Then ticket validation fails with INVALID_TICKET

  @CP-05
  Scenario Outline: a validation request with <problem> fails with <code>
    When the application asks CAS to validate <request>
    Then ticket validation fails with <code>

    Examples:
      | problem                  | request                                             | code            |
      | no ticket                | without a ticket for https://app.example.org        | INVALID_REQUEST |
      | no service               | the ticket ST-1-unknown without a service           | INVALID_REQUEST |
      | a ticket CAS never issued | the ticket ST-1-unknown for https://app.example.org | INVALID_TICKET  |

  @CP-06 @needs:sso
  Scenario: the SSO session gives a ticket for another service without credentials
    When casuser logs in to https://app.example.org
    And the user opens https://other.example.org in the same browser
    Then CAS issues a service ticket
    And ticket validation succeeds for casuser

  @CP-07 @needs:sso
  Scenario: renew=true asks for credentials again, even with an SSO session
    When casuser logs in to https://app.example.org
    And the user opens https://other.example.org in the same browser with renew=true
    Then CAS shows the login form

  @CP-07 @needs:sso
  Scenario Outline: renew=true at validation accepts only a ticket from a login with credentials (<how>)
    When casuser logs in to https://app.example.org
    And <second_step>
    And the application validates the ticket with renew=true
    Then <verdict>

    Examples:
      | how             | second_step                                                                        | verdict                                     |
      | a fresh login   | casuser logs in to https://other.example.org with the request parameter renew=true | ticket validation succeeds for casuser      |
      | the SSO session | the user opens https://other.example.org in the same browser                       | ticket validation fails with INVALID_TICKET |

  @CP-08
  Scenario: gateway=true without an SSO session returns to the service without a ticket
    When the user opens https://app.example.org in the same browser with gateway=true
    Then CAS sends the browser back to the service without a ticket

  @CP-08 @needs:sso
  Scenario: gateway=true with an SSO session issues a ticket
    When casuser logs in to https://app.example.org
    And the user opens https://other.example.org in the same browser with gateway=true
    Then CAS issues a service ticket
    And ticket validation succeeds for casuser

  @CP-09 @needs:sso
  Scenario: after logout, the next login asks for credentials
    When casuser logs in to https://app.example.org
    And the user logs out
    And the user opens https://other.example.org in the same browser
    Then CAS shows the login form
