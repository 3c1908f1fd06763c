@needs:deployment-profile @needs:rest-endpoint @needs:clock-control
Feature: Several triggers naming different providers: the rank decides, not the trigger order

  The triggers docs list an execution order, which reads as "the first trigger wins". At login CAS asks
  every trigger, collects the providers they name, and the ranked selector picks the highest rank
  (DefaultCasDelegatingWebflowEventResolver, RankedMultifactorAuthenticationProviderSelector).

  @TR-10 @PR-05 @PR-09
  Scenario Outline: the <first> asks for YubiKey (rank <yubikey>), the <second> for Google Authenticator (rank <gauth>)
    Given CAS offers the YubiKey and Google Authenticator providers
    And the YubiKey provider has rank <yubikey>
    And the Google Authenticator provider has rank <gauth>
    And the time at CAS is Tuesday 09:00
    And the <first> of https://app.example.org asks for mfa-yubikey
    And the <second> of https://app.example.org asks for mfa-gauth
    When casuser logs in to https://app.example.org using the browser "Firefox"
    Then the login ends with <result>

    Examples: every ordered pair of trigger families, each rank order
      | first                       | second                      | yubikey | gauth | result                        |
      | global provider             | application's policy        | 10      | 5     | the YubiKey form              |
      | global provider             | application's policy        | 5       | 10    | the Google Authenticator form |
      | global provider             | opt-in parameter            | 10      | 5     | the YubiKey form              |
      | global provider             | opt-in parameter            | 5       | 10    | the Google Authenticator form |
      | global provider             | adaptive policy for Firefox | 10      | 5     | the YubiKey form              |
      | global provider             | adaptive policy for Firefox | 5       | 10    | the Google Authenticator form |
      | global provider             | REST trigger                | 10      | 5     | the YubiKey form              |
      | global provider             | REST trigger                | 5       | 10    | the Google Authenticator form |
      | global provider             | timed policy                | 10      | 5     | the YubiKey form              |
      | global provider             | timed policy                | 5       | 10    | the Google Authenticator form |
      | global provider             | principal attribute trigger | 10      | 5     | the YubiKey form              |
      | global provider             | principal attribute trigger | 5       | 10    | the Google Authenticator form |
      | application's policy        | global provider             | 10      | 5     | the YubiKey form              |
      | application's policy        | global provider             | 5       | 10    | the Google Authenticator form |
      | application's policy        | opt-in parameter            | 10      | 5     | the YubiKey form              |
      | application's policy        | opt-in parameter            | 5       | 10    | the Google Authenticator form |
      | application's policy        | adaptive policy for Firefox | 10      | 5     | the YubiKey form              |
      | application's policy        | adaptive policy for Firefox | 5       | 10    | the Google Authenticator form |
      | application's policy        | REST trigger                | 10      | 5     | the YubiKey form              |
      | application's policy        | REST trigger                | 5       | 10    | the Google Authenticator form |
      | application's policy        | timed policy                | 10      | 5     | the YubiKey form              |
      | application's policy        | timed policy                | 5       | 10    | the Google Authenticator form |
      | application's policy        | principal attribute trigger | 10      | 5     | the YubiKey form              |
      | application's policy        | principal attribute trigger | 5       | 10    | the Google Authenticator form |
      | opt-in parameter            | global provider             | 10      | 5     | the YubiKey form              |
      | opt-in parameter            | global provider             | 5       | 10    | the Google Authenticator form |
      | opt-in parameter            | application's policy        | 10      | 5     | the YubiKey form              |
      | opt-in parameter            | application's policy        | 5       | 10    | the Google Authenticator form |
      | opt-in parameter            | adaptive policy for Firefox | 10      | 5     | the YubiKey form              |
      | opt-in parameter            | adaptive policy for Firefox | 5       | 10    | the Google Authenticator form |
      | opt-in parameter            | REST trigger                | 10      | 5     | the YubiKey form              |
      | opt-in parameter            | REST trigger                | 5       | 10    | the Google Authenticator form |
      | opt-in parameter            | timed policy                | 10      | 5     | the YubiKey form              |
      | opt-in parameter            | timed policy                | 5       | 10    | the Google Authenticator form |
      | opt-in parameter            | principal attribute trigger | 10      | 5     | the YubiKey form              |
      | opt-in parameter            | principal attribute trigger | 5       | 10    | the Google Authenticator form |
      | adaptive policy for Firefox | global provider             | 10      | 5     | the YubiKey form              |
      | adaptive policy for Firefox | global provider             | 5       | 10    | the Google Authenticator form |
      | adaptive policy for Firefox | application's policy        | 10      | 5     | the YubiKey form              |
      | adaptive policy for Firefox | application's policy        | 5       | 10    | the Google Authenticator form |
      | adaptive policy for Firefox | opt-in parameter            | 10      | 5     | the YubiKey form              |
      | adaptive policy for Firefox | opt-in parameter            | 5       | 10    | the Google Authenticator form |
      | adaptive policy for Firefox | REST trigger                | 10      | 5     | the YubiKey form              |
      | adaptive policy for Firefox | REST trigger                | 5       | 10    | the Google Authenticator form |
      | adaptive policy for Firefox | timed policy                | 10      | 5     | the YubiKey form              |
      | adaptive policy for Firefox | timed policy                | 5       | 10    | the Google Authenticator form |
      | adaptive policy for Firefox | principal attribute trigger | 10      | 5     | the YubiKey form              |
      | adaptive policy for Firefox | principal attribute trigger | 5       | 10    | the Google Authenticator form |
      | REST trigger                | global provider             | 10      | 5     | the YubiKey form              |
      | REST trigger                | global provider             | 5       | 10    | the Google Authenticator form |
      | REST trigger                | application's policy        | 10      | 5     | the YubiKey form              |
      | REST trigger                | application's policy        | 5       | 10    | the Google Authenticator form |
      | REST trigger                | opt-in parameter            | 10      | 5     | the YubiKey form              |
      | REST trigger                | opt-in parameter            | 5       | 10    | the Google Authenticator form |
      | REST trigger                | adaptive policy for Firefox | 10      | 5     | the YubiKey form              |
      | REST trigger                | adaptive policy for Firefox | 5       | 10    | the Google Authenticator form |
      | REST trigger                | timed policy                | 10      | 5     | the YubiKey form              |
      | REST trigger                | timed policy                | 5       | 10    | the Google Authenticator form |
      | REST trigger                | principal attribute trigger | 10      | 5     | the YubiKey form              |
      | REST trigger                | principal attribute trigger | 5       | 10    | the Google Authenticator form |
      | timed policy                | global provider             | 10      | 5     | the YubiKey form              |
      | timed policy                | global provider             | 5       | 10    | the Google Authenticator form |
      | timed policy                | application's policy        | 10      | 5     | the YubiKey form              |
      | timed policy                | application's policy        | 5       | 10    | the Google Authenticator form |
      | timed policy                | opt-in parameter            | 10      | 5     | the YubiKey form              |
      | timed policy                | opt-in parameter            | 5       | 10    | the Google Authenticator form |
      | timed policy                | adaptive policy for Firefox | 10      | 5     | the YubiKey form              |
      | timed policy                | adaptive policy for Firefox | 5       | 10    | the Google Authenticator form |
      | timed policy                | REST trigger                | 10      | 5     | the YubiKey form              |
      | timed policy                | REST trigger                | 5       | 10    | the Google Authenticator form |
      | timed policy                | principal attribute trigger | 10      | 5     | the YubiKey form              |
      | timed policy                | principal attribute trigger | 5       | 10    | the Google Authenticator form |
      | principal attribute trigger | global provider             | 10      | 5     | the YubiKey form              |
      | principal attribute trigger | global provider             | 5       | 10    | the Google Authenticator form |
      | principal attribute trigger | application's policy        | 10      | 5     | the YubiKey form              |
      | principal attribute trigger | application's policy        | 5       | 10    | the Google Authenticator form |
      | principal attribute trigger | opt-in parameter            | 10      | 5     | the YubiKey form              |
      | principal attribute trigger | opt-in parameter            | 5       | 10    | the Google Authenticator form |
      | principal attribute trigger | adaptive policy for Firefox | 10      | 5     | the YubiKey form              |
      | principal attribute trigger | adaptive policy for Firefox | 5       | 10    | the Google Authenticator form |
      | principal attribute trigger | REST trigger                | 10      | 5     | the YubiKey form              |
      | principal attribute trigger | REST trigger                | 5       | 10    | the Google Authenticator form |
      | principal attribute trigger | timed policy                | 10      | 5     | the YubiKey form              |
      | principal attribute trigger | timed policy                | 5       | 10    | the Google Authenticator form |
