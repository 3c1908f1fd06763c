@needs:deployment-profile @needs:rest-endpoint
Feature: REST trigger: an endpoint of the deployer's design names the provider

  "CAS shall issue a POST, providing the principal id. The body of the response in the event of a
  successful 200 status code is expected to be the MFA provider id". In CAS's code the method
  defaults to GET (cas.authn.mfa.triggers.rest.method), the JSON body carries principalId and serviceId,
  any 2xx answer counts, and a body that names no provider means no MFA
  (RestEndpointMultifactorAuthenticationTrigger).

  Background:
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                        | value                          |
      | cas.authn.mfa.triggers.rest.url | https://mfa.example.org/decide |

  @TR-07
  Scenario Outline: the endpoint answers <status> "<body>"
    Given the REST endpoint https://mfa.example.org/decide answers <status> with "<body>"
    When casuser logs in to https://app.example.org
    Then the login ends with <result>
    And the REST endpoint https://mfa.example.org/decide was asked with principalId=casuser and serviceId=https://app.example.org

    Examples:
      | status | body        | result           |
      | 200    | mfa-yubikey | the YubiKey form |
      | 202    | MFA-YUBIKEY | the YubiKey form |
      | 200    | mfa-acme    | a service ticket |
      | 200    |             | a service ticket |
      | 302    | mfa-yubikey | a service ticket |
      | 404    | mfa-yubikey | a service ticket |
      | 500    | mfa-yubikey | a service ticket |

  @TR-07 @cas:6.4 @cas:7
  Scenario Outline: CAS <version>: an unreachable endpoint ends the login in an error
    The docs say nothing of an endpoint that cannot be reached. HttpUtils#execute then answers nothing;
    from 6.4 the trigger reads the status of that missing answer outside any catch, and
    DefaultCasDelegatingWebflowEventResolver turns the exception into the webflow's error event: the
    login form again, HTTP 401, no message, no ticket.

    Given the deployment follows CAS <version>
    When casuser logs in to https://app.example.org
    Then the login fails without a message
    And no service ticket is issued

    Examples:
      | version |
      | 7.x     |
      | 6.4     |

  @TR-07 @TR-01 @cas:6.2
  Scenario: CAS 6.2 reads the endpoint from cas.authn.mfa.rest.url
    Given the deployment follows CAS 6.2
    And the CAS properties:
      | property               | value                          |
      | cas.authn.mfa.rest.url | https://mfa.example.org/decide |
    And the REST endpoint https://mfa.example.org/decide answers 200 with "mfa-yubikey"
    When casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor

  @TR-07 @cas:6.2
  Scenario: CAS 6.2: an unreachable endpoint means no MFA
    6.2/6.3 caught the failure in the trigger and went on without MFA.

    Given the deployment follows CAS 6.2
    And the CAS properties:
      | property               | value                          |
      | cas.authn.mfa.rest.url | https://mfa.example.org/decide |
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket
