@needs:deployment-profile
Feature: The triggers the failure-mode and bypass behaviour rests on: application, opt-in, global

  At login CAS asks every trigger, in a fixed order, and hands the providers they name to the selector,
  which picks the highest rank (DefaultCasDelegatingWebflowEventResolver,
  RankedMultifactorAuthenticationProviderSelector). The triggers docs imply that the first trigger
  that fires wins; in the webflow it is the rank that decides. A trigger that fails ends the login
  with an authentication error (HTTP 401).

  Background:
    Given CAS offers the YubiKey and Google Authenticator providers

  @TR-02
  Scenario: an application's multifactor policy requires its provider
    Given the application https://app.example.org requires mfa-gauth
    When casuser logs in to https://app.example.org
    Then CAS asks for the Google Authenticator factor

  @TR-02
  Scenario: without any trigger there is no MFA, and nothing about MFA is released
    Given the application https://plain.example.org is registered without a multifactor policy
    When casuser logs in to https://plain.example.org
    Then CAS issues a service ticket
    And ticket validation succeeds
    And the ticket releases no authentication context
    And the ticket carries no bypass attributes
    And the ticket releases authenticationMethod = AcceptUsersAuthenticationHandler

  @TR-02
  Scenario: a policy naming a provider CAS does not have is ignored
    CAS drops unknown provider ids from the policy; the reference reports a warning naming the file.

    Given the application https://app.example.org requires mfa-acme
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket

  @TR-08 @cas:7
  Scenario Outline: the authn_method request parameter <value> asks for a provider
    CAS 7.x compares the requested id with each provider's id ignoring case; CAS 6.x took it as a
    regular expression (AbstractMultifactorAuthenticationProvider#matches).

    Given the application https://plain.example.org is registered without a multifactor policy
    When casuser logs in to https://plain.example.org with the request parameter authn_method=<value>
    Then the login ends with <result>

    Examples:
      | value       | result                 |
      | mfa-yubikey | the YubiKey form       |
      | mfa-gauth     | the Google Authenticator form  |
      | MFA-GAUTH     | the Google Authenticator form  |

  @TR-08 @cas:7
  Scenario Outline: an authn_method that names no provider is an authentication error (<value>)
    Given the application https://plain.example.org is registered without a multifactor policy
    When casuser logs in to https://plain.example.org with the request parameter authn_method=<value>
    Then the login fails with "Authentication attempt has failed."
    And no service ticket is issued

    Examples:
      | value    |
      | mfa-acme |
      | duo      |
      | mfa-.*   |

  @TR-11
  Scenario: the authn_method request header is read before the parameter
    Given the application https://plain.example.org is registered without a multifactor policy
    When casuser logs in to https://plain.example.org with the request header authn_method=mfa-yubikey
    Then CAS asks for the YubiKey factor

  @TR-08 @TR-11 @needs:session-attribute
  Scenario: an authn_method attribute of the browser's HTTP session asks for a provider
    HttpRequestMultifactorAuthenticationTrigger reads the request header first, then the request
    parameter, then the HTTP session attribute (cas.authn.mfa.triggers.http.session-attribute), and uses
    the first value it finds.

    Given the application https://plain.example.org is registered without a multifactor policy
    And the browser's HTTP session holds authn_method=mfa-gauth
    When casuser logs in to https://plain.example.org
    Then CAS asks for the Google Authenticator factor

  @TR-08 @TR-11 @needs:session-attribute
  Scenario Outline: the request <kind> is read before the HTTP session attribute
    Given the application https://plain.example.org is registered without a multifactor policy
    And the browser's HTTP session holds authn_method=mfa-gauth
    When casuser logs in to https://plain.example.org with the request <kind> authn_method=mfa-yubikey
    Then CAS asks for the YubiKey factor

    Examples:
      | kind      |
      | header    |
      | parameter |

  @TR-08
  Scenario: the opt-in parameter's name is configurable
    Given the CAS properties:
      | property                                      | value |
      | cas.authn.mfa.triggers.http.request-parameter | mfa   |
    And the application https://plain.example.org is registered without a multifactor policy
    When casuser logs in to https://plain.example.org with the request parameter mfa=mfa-gauth
    Then CAS asks for the Google Authenticator factor

  @TR-01
  Scenario: a global provider applies to every application and user
    Given the CAS properties:
      | property                                    | value       |
      | cas.authn.mfa.triggers.global.global-provider-id | mfa-yubikey |
    And the application https://plain.example.org is registered without a multifactor policy
    When casuser logs in to https://plain.example.org
    Then CAS asks for the YubiKey factor

  @TR-01
  Scenario: a global provider id CAS does not have fails every login
    Given the CAS properties:
      | property                                         | value    |
      | cas.authn.mfa.triggers.global.global-provider-id | mfa-acme |
    And the application https://plain.example.org is registered without a multifactor policy
    When casuser logs in to https://plain.example.org
    Then the login fails with "Unable to satisfy multifactor authentication requirements. Your account is configured for a multifactor authentication strategy, yet CAS is unable to locate and execute that strategy most likely due to misconfiguration of the server. Contact the service administrators for assistance."

  @TR-09
  Scenario Outline: a service requires MFA for principals whose attribute matches (<values>)
    principalAttributeNameTrigger and principalAttributeValueToMatch on the service's policy; the value
    is a regular expression searched in each value, ignoring case.

    Given the multifactor policy of https://app.example.org sets:
      | field                          | value   |
      | principalAttributeNameTrigger  | memberOf |
      | principalAttributeValueToMatch | ^cn=admins |
    And the application https://app.example.org requires mfa-yubikey
    And a user whose memberOf is "<values>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | values              | result           |
      | cn=admins,ou=groups | the YubiKey form |
      | CN=Admins,ou=groups | the YubiKey form |
      | cn=staff,ou=groups  | a service ticket |

  @TR-10 @PR-05 @PR-09
  Scenario Outline: two triggers name two providers: the higher rank wins (YubiKey <yubikey>, Duo <duo>)
    Given the YubiKey provider has rank <yubikey>
    And the Google Authenticator provider has rank <duo>
    And the application https://app.example.org requires mfa-yubikey
    When casuser logs in to https://app.example.org with the request parameter authn_method=mfa-gauth
    Then the login ends with <result>

    Examples:
      | yubikey | duo | result                |
      | 10      | 5   | the YubiKey form      |
      | 5       | 10  | the Google Authenticator form |
      | 0       | 1   | the Google Authenticator form |

  @TR-02
  Scenario: the first registered service by evaluation order decides
    Given the registered service:
      """
      {
        "@class" : "org.apereo.cas.services.CasRegisteredService",
        "serviceId" : "^https://app\\.example\\.org/admin.*",
        "name" : "Admin", "id" : 5, "evaluationOrder" : 0,
        "multifactorPolicy" : {
          "@class" : "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy",
          "multifactorAuthenticationProviders" : [ "java.util.LinkedHashSet", [ "mfa-gauth" ] ]
        }
      }
      """
    And the application https://app.example.org requires mfa-yubikey
    When casuser logs in to https://app.example.org/admin/console
    Then CAS asks for the Google Authenticator factor

  @TR-02
  Scenario: an application CAS does not know is refused
    Given the application https://app.example.org requires mfa-yubikey
    When casuser logs in to https://unknown.example.net
    Then CAS refuses the application

  @PR-02
  Scenario: a wrong password never reaches the second factor
    Given the application https://app.example.org requires mfa-yubikey
    When casuser logs in to https://app.example.org with a wrong password
    Then the login fails with "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."
