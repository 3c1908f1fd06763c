@needs:deployment-profile @needs:clock-control
Feature: Timed trigger: MFA at certain hours or on certain days

  cas.authn.adaptive.policy.require-timed-multifactor[i] names a provider with on-or-after-hour,
  on-or-before-hour and on-days. The docs read as if all three applied together. In the code each
  condition replaces the one before it: on-days is overridden by on-or-after-hour, which is overridden
  by on-or-before-hour, each only when it is 0 or more (TimedMultifactorAuthenticationTrigger), so the
  last one in force decides. A bound left unset is not off: TimeBasedAuthenticationProperties gives
  on-or-after-hour 20 and on-or-before-hour 7, so an entry that means "after 20:00" or "on Saturdays"
  must also switch the before-hour off with a negative number. Any whole number binds (CAS's own test
  uses on-or-before-hour 24). Day names are compared exactly with the day's English full, short and
  narrow names (Saturday, Sat, S), case and all. CAS reads the clock in the server's time zone; the
  reference's is UTC.

  Background:
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy

  @TR-11
  Scenario Outline: <settings> at <when>
    Given the CAS properties:
      | property                                                                | value    |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id       | mfa-yubikey |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].on-days           | <days>   |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].on-or-after-hour  | <after>  |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].on-or-before-hour | <before> |
    And the time at CAS is <when>
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples: one condition in force, the others switched off
      | settings          | days            | after | before | when            | result           |
      | after 20:00       |                 | 20    | -1     | Monday 21:30    | the YubiKey form |
      | after 20:00       |                 | 20    | -1     | Monday 10:00    | a service ticket |
      | before 06:00      |                 | -1    | 6      | Friday 05:15    | the YubiKey form |
      | before 06:00      |                 | -1    | 6      | Friday 06:45    | the YubiKey form |
      | before 06:00      |                 | -1    | 6      | Friday 07:00    | a service ticket |
      | weekends          | Saturday,Sunday | -1    | -1     | Saturday 12:00  | the YubiKey form |
      | weekends          | Saturday,Sunday | -1    | -1     | Wednesday 12:00 | a service ticket |

    Examples: days and hours do not combine: the hour in force wins
      | settings          | days            | after | before | when            | result           |
      | Saturday, 20:00   | Saturday        | 20    | -1     | Monday 21:00    | the YubiKey form |
      | Saturday, 20:00   | Saturday        | 20    | -1     | Saturday 10:00  | a service ticket |

    Examples: CAS's own test values, 0 to 24 every day, hold at any hour
      | settings          | days                                                    | after | before | when            | result           |
      | 0 to 24           | Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday | 0     | 24     | Sunday 23:59    | the YubiKey form |
      | 0 to 24           | Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday | 0     | 24     | Tuesday 00:00   | the YubiKey form |

    Examples: day names as Java spells them, and nothing else
      | settings          | days            | after | before | when            | result           |
      | short name        | Sat             | -1    | -1     | Saturday 12:00  | the YubiKey form |
      | narrow name       | S               | -1    | -1     | Sunday 12:00    | the YubiKey form |
      | lower case        | saturday        | -1    | -1     | Saturday 12:00  | a service ticket |

  @TR-11
  Scenario Outline: an entry that sets only <setting> keeps CAS's defaults for the rest (<when>)
    Given the CAS properties:
      | property                                                          | value       |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id | mfa-yubikey |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].<setting>   | <value>     |
    And the time at CAS is <when>
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples: the default on-or-before-hour 7 has the last word
      | setting          | value    | when           | result           |
      | on-or-after-hour | 20       | Monday 21:30   | a service ticket |
      | on-or-after-hour | 20       | Monday 06:00   | the YubiKey form |
      | on-days          | Saturday | Saturday 12:00 | a service ticket |
      | on-days          | Saturday | Wednesday 05:00 | the YubiKey form |
