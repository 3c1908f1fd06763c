@needs:deployment-profile @needs:clock-control
Feature: Timed trigger: MFA at certain hours or on certain days

  cas.authn.adaptive.policy.require-timed-multifactor[i] names a provider with on-or-after-hour,
  on-or-before-hour and on-days. The docs read as if all three applied together. In the code each
  condition replaces the one before it: on-days is overridden by on-or-after-hour, which is overridden
  by on-or-before-hour (TimedMultifactorAuthenticationTrigger), so only the last one set decides.

  Background:
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy

  @TR-11
  Scenario Outline: <settings> at <when>
    Given the CAS properties:
      | property                                                               | value       |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id       | mfa-yubikey |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].<setting>         | <value>     |
    And the time at CAS is <when>
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | settings        | setting            | value           | when          | result           |
      | after 20:00     | on-or-after-hour   | 20              | Monday 21:30  | the YubiKey form |
      | after 20:00     | on-or-after-hour   | 20              | Monday 10:00  | a service ticket |
      | before 06:00    | on-or-before-hour  | 6               | Friday 05:15  | the YubiKey form |
      | before 06:00    | on-or-before-hour  | 6               | Friday 06:45  | the YubiKey form |
      | before 06:00    | on-or-before-hour  | 6               | Friday 07:00  | a service ticket |
      | weekends        | on-days            | Saturday,Sunday | Saturday 12:00 | the YubiKey form |
      | weekends        | on-days            | Saturday,Sunday | Wednesday 12:00 | a service ticket |

  @TR-11
  Scenario Outline: days and hours do not combine: the hour wins (<when>)
    Given the CAS properties:
      | property                                                           | value       |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id  | mfa-yubikey |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].on-days      | Saturday    |
      | cas.authn.adaptive.policy.require-timed-multifactor[0].on-or-after-hour | 20      |
    And the time at CAS is <when>
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | when           | result           |
      | Monday 21:00   | the YubiKey form |
      | Saturday 10:00 | a service ticket |
