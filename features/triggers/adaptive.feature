@needs:deployment-profile
Feature: Adaptive trigger: the browser and the network a login comes from

  "requests submitted from a specific IP pattern, or from a particular geographical location"
  (cas.authn.adaptive.policy.require-multifactor.<provider>=<regex>). The regex is searched in the
  User-Agent, then in the client address, then, when CAS has a geolocation service, in the address it
  locates (AdaptiveMultifactorAuthenticationTrigger). The browser posts its position in the login form's
  geolocation field ("latitude,longitude,accuracy,timestamp"). A real CAS locates it with a geolocation
  module (MaxMind, Google Maps ...); the reference reads a table or a Python hook from the profile
  (reference.geolocation.*, settings CAS ignores), so those scenarios need the reference's hooks.

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

  @TR-06 @needs:python-hooks
  Scenario Outline: logins located in France require MFA (the browser posts <geolocation>)
    Given the CAS properties:
      | property                                                  | value                        |
      | cas.authn.adaptive.policy.require-multifactor.mfa-yubikey | France                       |
      | reference.geolocation.static[0].latitude                  | 48.8566                      |
      | reference.geolocation.static[0].longitude                 | 2.3522                       |
      | reference.geolocation.static[0].address                   | Paris, Ile-de-France, France |
      | reference.geolocation.static[1].latitude                  | 52.52                        |
      | reference.geolocation.static[1].longitude                 | 13.405                       |
      | reference.geolocation.static[1].address                   | Berlin, Germany              |
    When casuser logs in to https://app.example.org with the request parameter geolocation=<geolocation>
    Then the login ends with <result>

    Examples:
      | geolocation                   | result           |
      | 48.8566,2.3522,30,1763280000  | the YubiKey form |
      | 52.52,13.405,30,1763280000    | a service ticket |
      | 40.7128,-74.006,30,1763280000 | a service ticket |
      |                               | a service ticket |

  @TR-06 @needs:python-hooks @needs:client-address
  Scenario Outline: a geolocation service that locates by client address (from <address>)
    Given the CAS properties:
      | property                                                  | value  |
      | cas.authn.adaptive.policy.require-multifactor.mfa-yubikey | ^Canada |
    And the reference locates logins with this Python:
      """
      def run(client_ip, location):
          return "Canada, Quebec" if client_ip.startswith("198.51.100.") else "United States"
      """
    When casuser logs in to https://app.example.org from <address>
    Then the login ends with <result>

    Examples:
      | address      | result           |
      | 198.51.100.7 | the YubiKey form |
      | 203.0.113.9  | a service ticket |

  @TR-06
  Scenario: without a geolocation service the browser's position is not consulted
    Given the CAS properties:
      | property                                                  | value  |
      | cas.authn.adaptive.policy.require-multifactor.mfa-yubikey | 48\.85 |
    When casuser logs in to https://app.example.org with the request parameter geolocation=48.8566,2.3522,30,1763280000
    Then CAS issues a service ticket
