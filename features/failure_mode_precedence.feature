@FM-01 @FM-02 @needs:provider-outage @needs:deployment-profile
Feature: Failure-mode precedence: service, then provider, then global

  CAS "will use the first defined failure mode in this order": the registered service's multifactor
  policy, the provider's configuration, the global configuration. UNDEFINED at a level means "not
  defined here" and defers to the next level (DefaultMultifactorAuthenticationFailureModeEvaluator).

  The docs leave out one consequence that this table makes plain: since CAS 6.4 a provider's
  failure-mode defaults to CLOSED, so the global mode is reached only where the provider's is
  explicitly UNDEFINED (BaseMultifactorAuthenticationProviderProperties).

  Every combination of the three levels, with the YubiKey provider unreachable. The result is what
  the user sees: OPEN and PHANTOM let the login through with a ticket, NONE skips the availability
  check and shows the YubiKey form anyway, CLOSED and UNDEFINED end on "MFA Provider Unavailable".

  Background:
    Given CAS offers the YubiKey provider
    And the YubiKey provider is unavailable

  Scenario Outline: service <service>, provider <provider>, global <global>: CAS applies <effective>
    Given the application https://app.example.org requires mfa-yubikey with failure mode <service>
    And the YubiKey provider's failure mode is <provider>
    And the global failure mode is <global>
    When casuser logs in to https://app.example.org
    Then CAS applied the failure mode <effective> set <level> to mfa-yubikey
    And the login ends with <result>

    @FM-03
    Examples: the service's policy sets a mode, which overrides every other level
      | service | provider  | global    | effective | level          | result                              |
      | OPEN    | OPEN      | OPEN      | OPEN      | on the service | a service ticket                    |
      | OPEN    | OPEN      | CLOSED    | OPEN      | on the service | a service ticket                    |
      | OPEN    | OPEN      | PHANTOM   | OPEN      | on the service | a service ticket                    |
      | OPEN    | OPEN      | NONE      | OPEN      | on the service | a service ticket                    |
      | OPEN    | OPEN      | UNDEFINED | OPEN      | on the service | a service ticket                    |
      | OPEN    | CLOSED    | OPEN      | OPEN      | on the service | a service ticket                    |
      | OPEN    | CLOSED    | CLOSED    | OPEN      | on the service | a service ticket                    |
      | OPEN    | CLOSED    | PHANTOM   | OPEN      | on the service | a service ticket                    |
      | OPEN    | CLOSED    | NONE      | OPEN      | on the service | a service ticket                    |
      | OPEN    | CLOSED    | UNDEFINED | OPEN      | on the service | a service ticket                    |
      | OPEN    | PHANTOM   | OPEN      | OPEN      | on the service | a service ticket                    |
      | OPEN    | PHANTOM   | CLOSED    | OPEN      | on the service | a service ticket                    |
      | OPEN    | PHANTOM   | PHANTOM   | OPEN      | on the service | a service ticket                    |
      | OPEN    | PHANTOM   | NONE      | OPEN      | on the service | a service ticket                    |
      | OPEN    | PHANTOM   | UNDEFINED | OPEN      | on the service | a service ticket                    |
      | OPEN    | NONE      | OPEN      | OPEN      | on the service | a service ticket                    |
      | OPEN    | NONE      | CLOSED    | OPEN      | on the service | a service ticket                    |
      | OPEN    | NONE      | PHANTOM   | OPEN      | on the service | a service ticket                    |
      | OPEN    | NONE      | NONE      | OPEN      | on the service | a service ticket                    |
      | OPEN    | NONE      | UNDEFINED | OPEN      | on the service | a service ticket                    |
      | OPEN    | UNDEFINED | OPEN      | OPEN      | on the service | a service ticket                    |
      | OPEN    | UNDEFINED | CLOSED    | OPEN      | on the service | a service ticket                    |
      | OPEN    | UNDEFINED | PHANTOM   | OPEN      | on the service | a service ticket                    |
      | OPEN    | UNDEFINED | NONE      | OPEN      | on the service | a service ticket                    |
      | OPEN    | UNDEFINED | UNDEFINED | OPEN      | on the service | a service ticket                    |
      | CLOSED  | OPEN      | OPEN      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | OPEN      | CLOSED    | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | OPEN      | PHANTOM   | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | OPEN      | NONE      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | OPEN      | UNDEFINED | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | CLOSED    | OPEN      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | CLOSED    | CLOSED    | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | CLOSED    | PHANTOM   | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | CLOSED    | NONE      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | CLOSED    | UNDEFINED | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | PHANTOM   | OPEN      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | PHANTOM   | CLOSED    | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | PHANTOM   | PHANTOM   | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | PHANTOM   | NONE      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | PHANTOM   | UNDEFINED | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | NONE      | OPEN      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | NONE      | CLOSED    | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | NONE      | PHANTOM   | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | NONE      | NONE      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | NONE      | UNDEFINED | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | UNDEFINED | OPEN      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | UNDEFINED | CLOSED    | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | UNDEFINED | PHANTOM   | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | UNDEFINED | NONE      | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | CLOSED  | UNDEFINED | UNDEFINED | CLOSED    | on the service | the "MFA Provider Unavailable" page |
      | PHANTOM | OPEN      | OPEN      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | OPEN      | CLOSED    | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | OPEN      | PHANTOM   | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | OPEN      | NONE      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | OPEN      | UNDEFINED | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | CLOSED    | OPEN      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | CLOSED    | CLOSED    | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | CLOSED    | PHANTOM   | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | CLOSED    | NONE      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | CLOSED    | UNDEFINED | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | PHANTOM   | OPEN      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | PHANTOM   | CLOSED    | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | PHANTOM   | PHANTOM   | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | PHANTOM   | NONE      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | PHANTOM   | UNDEFINED | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | NONE      | OPEN      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | NONE      | CLOSED    | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | NONE      | PHANTOM   | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | NONE      | NONE      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | NONE      | UNDEFINED | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | UNDEFINED | OPEN      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | UNDEFINED | CLOSED    | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | UNDEFINED | PHANTOM   | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | UNDEFINED | NONE      | PHANTOM   | on the service | a service ticket                    |
      | PHANTOM | UNDEFINED | UNDEFINED | PHANTOM   | on the service | a service ticket                    |
      | NONE    | OPEN      | OPEN      | NONE      | on the service | the YubiKey form                    |
      | NONE    | OPEN      | CLOSED    | NONE      | on the service | the YubiKey form                    |
      | NONE    | OPEN      | PHANTOM   | NONE      | on the service | the YubiKey form                    |
      | NONE    | OPEN      | NONE      | NONE      | on the service | the YubiKey form                    |
      | NONE    | OPEN      | UNDEFINED | NONE      | on the service | the YubiKey form                    |
      | NONE    | CLOSED    | OPEN      | NONE      | on the service | the YubiKey form                    |
      | NONE    | CLOSED    | CLOSED    | NONE      | on the service | the YubiKey form                    |
      | NONE    | CLOSED    | PHANTOM   | NONE      | on the service | the YubiKey form                    |
      | NONE    | CLOSED    | NONE      | NONE      | on the service | the YubiKey form                    |
      | NONE    | CLOSED    | UNDEFINED | NONE      | on the service | the YubiKey form                    |
      | NONE    | PHANTOM   | OPEN      | NONE      | on the service | the YubiKey form                    |
      | NONE    | PHANTOM   | CLOSED    | NONE      | on the service | the YubiKey form                    |
      | NONE    | PHANTOM   | PHANTOM   | NONE      | on the service | the YubiKey form                    |
      | NONE    | PHANTOM   | NONE      | NONE      | on the service | the YubiKey form                    |
      | NONE    | PHANTOM   | UNDEFINED | NONE      | on the service | the YubiKey form                    |
      | NONE    | NONE      | OPEN      | NONE      | on the service | the YubiKey form                    |
      | NONE    | NONE      | CLOSED    | NONE      | on the service | the YubiKey form                    |
      | NONE    | NONE      | PHANTOM   | NONE      | on the service | the YubiKey form                    |
      | NONE    | NONE      | NONE      | NONE      | on the service | the YubiKey form                    |
      | NONE    | NONE      | UNDEFINED | NONE      | on the service | the YubiKey form                    |
      | NONE    | UNDEFINED | OPEN      | NONE      | on the service | the YubiKey form                    |
      | NONE    | UNDEFINED | CLOSED    | NONE      | on the service | the YubiKey form                    |
      | NONE    | UNDEFINED | PHANTOM   | NONE      | on the service | the YubiKey form                    |
      | NONE    | UNDEFINED | NONE      | NONE      | on the service | the YubiKey form                    |
      | NONE    | UNDEFINED | UNDEFINED | NONE      | on the service | the YubiKey form                    |

    @FM-04
    Examples: the service leaves it UNDEFINED; the provider's mode overrides the global one
      | service   | provider | global    | effective | level           | result                              |
      | UNDEFINED | OPEN     | OPEN      | OPEN      | on the provider | a service ticket                    |
      | UNDEFINED | OPEN     | CLOSED    | OPEN      | on the provider | a service ticket                    |
      | UNDEFINED | OPEN     | PHANTOM   | OPEN      | on the provider | a service ticket                    |
      | UNDEFINED | OPEN     | NONE      | OPEN      | on the provider | a service ticket                    |
      | UNDEFINED | OPEN     | UNDEFINED | OPEN      | on the provider | a service ticket                    |
      | UNDEFINED | CLOSED   | OPEN      | CLOSED    | on the provider | the "MFA Provider Unavailable" page |
      | UNDEFINED | CLOSED   | CLOSED    | CLOSED    | on the provider | the "MFA Provider Unavailable" page |
      | UNDEFINED | CLOSED   | PHANTOM   | CLOSED    | on the provider | the "MFA Provider Unavailable" page |
      | UNDEFINED | CLOSED   | NONE      | CLOSED    | on the provider | the "MFA Provider Unavailable" page |
      | UNDEFINED | CLOSED   | UNDEFINED | CLOSED    | on the provider | the "MFA Provider Unavailable" page |
      | UNDEFINED | PHANTOM  | OPEN      | PHANTOM   | on the provider | a service ticket                    |
      | UNDEFINED | PHANTOM  | CLOSED    | PHANTOM   | on the provider | a service ticket                    |
      | UNDEFINED | PHANTOM  | PHANTOM   | PHANTOM   | on the provider | a service ticket                    |
      | UNDEFINED | PHANTOM  | NONE      | PHANTOM   | on the provider | a service ticket                    |
      | UNDEFINED | PHANTOM  | UNDEFINED | PHANTOM   | on the provider | a service ticket                    |
      | UNDEFINED | NONE     | OPEN      | NONE      | on the provider | the YubiKey form                    |
      | UNDEFINED | NONE     | CLOSED    | NONE      | on the provider | the YubiKey form                    |
      | UNDEFINED | NONE     | PHANTOM   | NONE      | on the provider | the YubiKey form                    |
      | UNDEFINED | NONE     | NONE      | NONE      | on the provider | the YubiKey form                    |
      | UNDEFINED | NONE     | UNDEFINED | NONE      | on the provider | the YubiKey form                    |

    @FM-05 @FM-10
    Examples: service and provider both UNDEFINED; the global mode applies
      | service   | provider  | global    | effective | level    | result                              |
      | UNDEFINED | UNDEFINED | OPEN      | OPEN      | globally | a service ticket                    |
      | UNDEFINED | UNDEFINED | CLOSED    | CLOSED    | globally | the "MFA Provider Unavailable" page |
      | UNDEFINED | UNDEFINED | PHANTOM   | PHANTOM   | globally | a service ticket                    |
      | UNDEFINED | UNDEFINED | NONE      | NONE      | globally | the YubiKey form                    |
      | UNDEFINED | UNDEFINED | UNDEFINED | UNDEFINED | globally | the "MFA Provider Unavailable" page |
