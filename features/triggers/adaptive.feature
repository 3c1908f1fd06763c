@needs:deployment-profile
Feature: Adaptive trigger: the browser and the network a login comes from

  "requests submitted from a specific IP pattern, or from a particular geographical location"
  (cas.authn.adaptive.policy.require-multifactor.<provider>=<regex>). The regex is searched in the
  User-Agent, then in the client address (AdaptiveMultifactorAuthenticationTrigger); geolocation needs a
  geolocation service and is not part of these scenarios.

  Background:
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy

  @TR-06
  Scenario Outline: requests from a browser matching "Firefox" require MFA (<browser>)
    Given the CAS properties:
      | property                                                 | value   |
      | cas.authn.adaptive.policy.require-multifactor.mfa-yubikey | Firefox |
    When casuser logs in to https://app.example.org using the browser "<browser>"
    Then the login ends with <result>

    Examples:
      | browser                                                              | result           |
      | Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 | the YubiKey form |
      | mozilla/5.0 firefox                                                   | the YubiKey form |
      | Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 | a service ticket |

  @TR-06 @needs:client-address
  Scenario Outline: requests from the 10.0.0.0/8 network require MFA (from <address>)
    Given the CAS properties:
      | property                                                  | value      |
      | cas.authn.adaptive.policy.require-multifactor.mfa-yubikey | ^10\.      |
    When casuser logs in to https://app.example.org from <address>
    Then the login ends with <result>

    Examples:
      | address     | result           |
      | 10.1.2.3    | the YubiKey form |
      | 192.0.2.10  | a service ticket |
      | 172.16.10.1 | a service ticket |

  @TR-06
  Scenario: an adaptive policy naming a provider CAS does not have fails the login
    Given the CAS properties:
      | property                                               | value |
      | cas.authn.adaptive.policy.require-multifactor.mfa-acme | .*    |
    When casuser logs in to https://app.example.org using the browser "Firefox"
    Then the login fails with "Authentication attempt has failed."
