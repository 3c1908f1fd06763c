@needs:deployment-profile @needs:trusted-devices @needs:mfa-token
Feature: Trusted devices: a browser remembered after MFA skips it next time

  "CAS is able to natively provide trusted device/browser features as part of any multifactor
  authentication flow". After a successful factor CAS offers to register the browser (deviceName,
  expiration, timeUnit); a later login whose device fingerprint matches a record exactly skips the
  factor and releases isFromTrustedMultifactorAuthentication
  (MultifactorAuthenticationVerifyTrustAction, MultifactorAuthenticationSetTrustAction). The fingerprint
  is a random cookie (and the client address when enabled; CAS 7.x docs say it is off by default, 6.x code
  had it on).

  Background:
    Given CAS offers the YubiKey provider
    And the YubiKey provider trusts devices
    And the application https://app.example.org requires mfa-yubikey

  @TD-01 @TD-03 @TD-06
  Scenario: a trusted browser skips MFA at the next login
    Ticket validation then finds the trusted-device attribute, which satisfies the requested provider,
    and reports that provider as the context (DefaultRequestedAuthenticationContextValidator; derived
    from the code, no CAS test asserts it).

    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    Then CAS offers to trust this browser
    When the user trusts this browser as "Work laptop"
    Then CAS issues a service ticket
    When the user closes the browser
    And casuser logs in to https://app.example.org
    Then CAS issues a service ticket
    And the ticket releases isFromTrustedMultifactorAuthentication = true
    And the ticket releases the authentication context mfa-yubikey

  @TD-03
  Scenario: declining to trust the browser keeps MFA for the next login
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    And the user declines to trust this browser
    Then CAS issues a service ticket
    When the user closes the browser
    And casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor

  @TD-02
  Scenario: another browser is not trusted
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Work laptop"
    And the user switches to another browser
    And casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor

  @TD-02 @needs:client-address
  Scenario Outline: with the client address in the fingerprint, the browser from <address>
    Given the CAS properties:
      | property                                                        | value |
      | cas.authn.mfa.trusted.device-fingerprint.client-ip.enabled      | true  |
    When casuser logs in to https://app.example.org from 10.0.0.5
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Desk"
    And the user closes the browser
    And casuser logs in to https://app.example.org from <address>
    Then the login ends with <result>

    Examples:
      | address  | result           |
      | 10.0.0.5 | a service ticket |
      | 10.0.0.6 | the YubiKey form |

  @TD-03 @needs:clock-control
  Scenario Outline: a trust that expires: <elapsed> after trusting it for 7 days
    Given the time at CAS is Monday 09:00
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Laptop" for 7 days
    And the user closes the browser
    And <elapsed> pass
    And casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | elapsed | result           |
      | 6 days  | a service ticket |
      | 8 days  | the YubiKey form |

  @TD-05
  Scenario: a service that refuses trusted devices neither offers nor honours them
    Given the multifactor policy of https://app.example.org sets:
      | field                      | value |
      | bypassTrustedDeviceEnabled | true  |
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    Then CAS issues a service ticket

  @TD-05
  Scenario: a trusted browser still gets MFA at a service that refuses trusted devices
    Given the application https://strict.example.org requires mfa-yubikey
    And the multifactor policy of https://strict.example.org sets:
      | field                      | value |
      | bypassTrustedDeviceEnabled | true  |
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Laptop"
    And the user closes the browser
    And casuser logs in to https://strict.example.org
    Then CAS asks for the YubiKey factor

  @TD-01
  Scenario: at a public workstation CAS does not offer to trust the browser
    When casuser logs in to https://app.example.org with the request parameter publicWorkstation=true
    And the user completes the YubiKey challenge
    Then CAS issues a service ticket

  @TD-04
  Scenario: trusted devices are listed and can be revoked
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Work laptop"
    Then CAS lists the trusted devices of casuser as "Work laptop"
    When the administrator revokes the trusted devices of casuser
    And the user closes the browser
    And casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor

  @TD-01
  Scenario: automatic registration when CAS does not ask
    Given the CAS properties:
      | property                                           | value |
      | cas.authn.mfa.trusted.core.device-registration-enabled | false |
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    Then CAS issues a service ticket
    When the user closes the browser
    And casuser logs in to https://app.example.org
    Then CAS issues a service ticket

  @TD-06 @PR-07 @needs:sso
  Scenario: a trusted login satisfies a later step-up to any provider
    The trusted-device attribute satisfies every requested provider at step-up, not only the one that
    was used (DefaultMultifactorAuthenticationContextValidator).

    Given CAS offers the YubiKey and Google Authenticator providers
    And the application https://gauth.example.org requires mfa-gauth
    When casuser logs in to https://app.example.org
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Laptop"
    And the user closes the browser
    And casuser logs in to https://app.example.org
    And the user opens https://gauth.example.org in the same browser
    Then CAS issues a service ticket

  @TD-02 @needs:python-hooks
  Scenario Outline: with the location in the fingerprint, the browser comes back from <place>
    The located address is the fingerprint's geolocation component
    (cas.authn.mfa.trusted.device-fingerprint.geolocation.enabled); the reference locates the browser's
    position with the table of its profile (reference.geolocation.*).

    Given the CAS properties:
      | property                                                     | value           |
      | cas.authn.mfa.trusted.device-fingerprint.geolocation.enabled | true            |
      | reference.geolocation.static[0].latitude                     | 48.8566         |
      | reference.geolocation.static[0].longitude                    | 2.3522          |
      | reference.geolocation.static[0].address                      | Paris, France   |
      | reference.geolocation.static[1].latitude                     | 52.52           |
      | reference.geolocation.static[1].longitude                    | 13.405          |
      | reference.geolocation.static[1].address                      | Berlin, Germany |
    When casuser logs in to https://app.example.org with the request parameter geolocation=48.8566,2.3522,30,1763280000
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Laptop"
    And the user closes the browser
    And casuser logs in to https://app.example.org with the request parameter geolocation=<geolocation>
    Then the login ends with <result>

    Examples:
      | place  | geolocation                  | result           |
      | Paris  | 48.8566,2.3522,50,1763290000 | a service ticket |
      | Berlin | 52.52,13.405,30,1763290000   | the YubiKey form |
