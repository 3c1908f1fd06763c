@needs:deployment-profile @needs:provider-faults
Feature: Provider outages as CAS sees them: when a provider counts as unavailable, and what follows

  Each provider has its own availability check, and only its verdict matters to the failure mode
  (MultifactorAuthenticationProvider#isAvailable, asked afresh every time and never cached):
  YubiKey: a plain GET of each API URL, where any 2xx answer with a non-blank body means available
  (YubiKeyMultifactorAuthenticationProvider). RADIUS: an Access-Request for the user
  "RadiusMultifactorAuthenticationProvider", where only a time-out means unavailable and an
  Access-Reject means available (RadiusMultifactorAuthenticationProvider#canPing). Duo: the Universal
  Prompt health check, where any error means unavailable
  (UniversalPromptDuoSecurityAuthenticationService#ping), then Duo's own account check (preauth).

  Rule: YubiKey

    @FM-01 @FM-06 @FM-07 @FM-08
    Scenario Outline: the YubiKey validation service <behaviour>; failure mode <mode>
      Given CAS offers the YubiKey provider
      And the application https://app.example.org requires mfa-yubikey with failure mode <mode>
      And the YubiKey validation service <behaviour>
      When casuser logs in to https://app.example.org
      Then CAS applied the failure mode <mode> set on the service to mfa-yubikey

      Examples:
        | behaviour             | mode    |
        | refuses connections   | CLOSED  |
        | refuses connections   | OPEN    |
        | refuses connections   | PHANTOM |
        | stops answering       | CLOSED  |
        | stops answering       | OPEN    |
        | stops answering       | PHANTOM |
        | answers HTTP 500      | CLOSED  |
        | answers HTTP 500      | OPEN    |
        | answers HTTP 500      | PHANTOM |
        | answers HTTP 503      | CLOSED  |
        | answers HTTP 503      | OPEN    |
        | answers an empty page | CLOSED  |
        | answers an empty page | PHANTOM |
        | is rate limited       | CLOSED  |
        | is rate limited       | OPEN    |

    @FM-01
    Scenario Outline: CAS still counts the YubiKey service available when it <behaviour>
      Any non-blank body in a 2xx answer to the plain GET counts, even one that is not a validation
      response at all.

      Given CAS offers the YubiKey provider
      And the application https://app.example.org requires mfa-yubikey with failure mode CLOSED
      And the YubiKey validation service <behaviour>
      When casuser logs in to https://app.example.org
      Then CAS asks for the YubiKey factor

      Examples:
        | behaviour                 |
        | answers garbage           |
        | answers slowly (200 ms)   |

    @PR-02 @PR-04 @needs:mfa-token
    Scenario: a real YubiKey one-time password completes the login
      Given CAS offers the YubiKey provider
      And the application https://app.example.org requires mfa-yubikey
      When casuser logs in to https://app.example.org
      And the user completes the YubiKey challenge
      Then CAS issues a service ticket
      And the ticket releases the authentication context mfa-yubikey
      And the ticket releases credentialType = UsernamePasswordCredential, YubiKeyCredential

    @PR-02 @needs:mfa-token
    Scenario: a validation answer signed with the wrong key fails the second factor
      The YubiKey client checks the signature of every answer; a mismatch is a failed login, and the user
      stays on the YubiKey form.

      Given CAS offers the YubiKey provider
      And the application https://app.example.org requires mfa-yubikey
      When casuser logs in to https://app.example.org
      And the YubiKey validation service signs its answers with the wrong key
      And the user completes the YubiKey challenge
      Then the login fails with "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."
      And no service ticket is issued

    @PR-02 @needs:mfa-token
    Scenario: a wrong one-time password keeps the user on the YubiKey form
      Given CAS offers the YubiKey provider
      And the application https://app.example.org requires mfa-yubikey
      When casuser logs in to https://app.example.org
      And the user enters a wrong YubiKey token
      Then the login fails with "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."

  Rule: RADIUS

    @FM-01 @FM-06 @FM-07 @FM-09
    Scenario Outline: the RADIUS server <behaviour>; failure mode <mode>
      UDP has no refusals a client can see: a closed port and a silent server both time out.

      Given CAS offers the RADIUS provider
      And the application https://app.example.org requires mfa-radius with failure mode <mode>
      And the RADIUS server <behaviour>
      When casuser logs in to https://app.example.org
      Then CAS applied the failure mode <mode> set on the service to mfa-radius

      Examples:
        | behaviour           | mode   |
        | stops answering     | CLOSED |
        | stops answering     | OPEN   |
        | refuses connections | CLOSED |
        | refuses connections | NONE   |

    @FM-01
    Scenario: a RADIUS server that rejects CAS's probe is available
      The probe user is never a real account, so the server rejects it; only silence means down.

      Given CAS offers the RADIUS provider
      And the application https://app.example.org requires mfa-radius with failure mode CLOSED
      When casuser logs in to https://app.example.org
      Then CAS asks for the RADIUS factor

    @PR-02 @PR-04 @needs:mfa-token
    Scenario: the RADIUS token completes the login
      Given CAS offers the RADIUS provider
      And the application https://app.example.org requires mfa-radius
      When casuser logs in to https://app.example.org
      And the user completes the RADIUS challenge
      Then CAS issues a service ticket
      And the ticket releases the authentication context mfa-radius

    @PR-02 @needs:mfa-token
    Scenario: a wrong RADIUS token is rejected and the user stays on the form
      Given CAS offers the RADIUS provider
      And the application https://app.example.org requires mfa-radius
      When casuser logs in to https://app.example.org
      And the user enters a wrong RADIUS token
      Then the login fails with "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."

  Rule: Duo Security

    A real CAS reaches Duo's Universal Prompt only through Duo's SDK, which pins Duo's own certificates
    and port 443: a CAS under test can be shown "Duo is down" by the mock, but never "Duo is up". The
    scenarios that need Duo up say so (@needs:duo-universal-up); only the reference can run them.

    @FM-01 @FM-06 @FM-07 @FM-08
    Scenario Outline: the Duo health check <behaviour>; failure mode <mode>
      Given CAS offers the Duo Security provider
      And the application https://app.example.org requires mfa-duo with failure mode <mode>
      And the Duo health check <behaviour>
      When casuser logs in to https://app.example.org
      Then CAS applied the failure mode <mode> set on the service to mfa-duo

      Examples:
        | behaviour           | mode    |
        | refuses connections | CLOSED  |
        | refuses connections | OPEN    |
        | stops answering     | CLOSED  |
        | stops answering     | PHANTOM |
        | answers HTTP 500    | CLOSED  |
        | answers HTTP 500    | OPEN    |
        | answers garbage     | CLOSED  |
        | answers garbage     | PHANTOM |
        | is rate limited     | CLOSED  |
        | is rate limited     | OPEN    |

    @FM-01 @FM-06
    Scenario: the whole Duo service refusing connections is unavailable
      Given CAS offers the Duo Security provider
      And the application https://app.example.org requires mfa-duo with failure mode CLOSED
      And the Duo service refuses connections
      When casuser logs in to https://app.example.org
      Then the "MFA Provider Unavailable" page is shown

    @FM-01 @needs:duo-universal-up
    Scenario Outline: Duo's account check answering error code <code>: <result>
      CAS reads Duo's failure codes: 50000 and above mean Duo is unavailable, which ends on the
      unavailable view whatever the failure mode (DuoSecurityDetermineUserAccountAction); smaller
      codes are a configuration problem, and Duo still counts as available.

      Given CAS offers the Duo Security provider
      And the application https://app.example.org requires mfa-duo with failure mode OPEN
      And the Duo account check answers Duo error code <code>
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | code  | result                              |
        | 40103 | the Duo Security form               |
        | 40002 | the Duo Security form               |
        | 50001 | the "MFA Provider Unavailable" page |

    @BY-09 @needs:duo-universal-up
    Scenario: Duo allows the user without a second factor: MFA is bypassed and recorded
      Duo's own bypass ("some providers also skip MFA when the principal does not qualify") records the
      same bypass attributes as CAS's rules.

      Given CAS offers the Duo Security provider
      And the application https://app.example.org requires mfa-duo
      And Duo says casuser is allowed without a second factor
      When casuser logs in to https://app.example.org
      Then CAS issues a service ticket
      And the ticket says MFA was bypassed for mfa-duo
      And the ticket releases no authentication context

    @BY-09 @needs:duo-universal-up
    Scenario: Duo denies the user
      Given CAS offers the Duo Security provider
      And the application https://app.example.org requires mfa-duo
      And Duo says casuser is denied
      When casuser logs in to https://app.example.org
      Then the "MFA Denied" page is shown
      And no service ticket is issued

    @PR-02 @PR-04 @needs:mfa-token @needs:duo-universal-up
    Scenario: the Universal Prompt completes the login
      Given CAS offers the Duo Security provider
      And the application https://app.example.org requires mfa-duo
      And Duo says casuser is active
      When casuser logs in to https://app.example.org
      And the user completes the Duo Security challenge
      Then CAS issues a service ticket
      And the ticket releases the authentication context mfa-duo
      And the ticket says MFA was not bypassed

    @PR-02 @needs:mfa-token @needs:duo-universal-up
    Scenario: an id_token signed with the wrong key ends on the unavailable view, not the form
      CAS never reads Duo's verdict from the id_token; it only checks the token. A token that does not
      verify fails the callback, which CAS shows as "MFA Provider Unavailable" (docs say Duo decides).

      Given CAS offers the Duo Security provider
      And the application https://app.example.org requires mfa-duo
      And Duo says casuser is active
      When casuser logs in to https://app.example.org
      And the Duo token endpoint signs its answers with the wrong key
      And the user completes the Duo Security challenge
      Then the "MFA Provider Unavailable" page is shown
      And no service ticket is issued
