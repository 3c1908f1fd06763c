@needs:deployment-profile
Feature: Global principal attribute trigger

  "MFA can be triggered for all users/subjects carrying a specific attribute". With a single provider,
  a value matching the regex triggers it; with several, a value must name a provider exactly
  (PrincipalAttributeMultifactorAuthenticationTrigger). In CAS 7.x the regex is searched in the value,
  ignoring case. The attributes are those resolved for the principal at primary authentication.

  @TR-03 @TR-05 @cas:7
  Scenario Outline: one provider, memberOf matching "faculty|staff" (memberOf <values>)
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                                              | value         |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | memberOf  |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex   | faculty\|staff |
    And a user whose memberOf is "<values>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | values               | result           |
      | faculty              | the YubiKey form |
      | alumni, staff        | the YubiKey form |
      | STAFF-ADMINS         | the YubiKey form |
      | student              | a service ticket |
      | visitor, contractor  | a service ticket |

  @TR-03 @TR-05
  Scenario: a principal without the attribute goes without MFA
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                                                  | value    |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | memberOf |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex   | faculty  |
    And a user without a memberOf attribute
    When the user logs in to https://app.example.org
    Then CAS issues a service ticket

  @TR-03 @cas:7
  Scenario Outline: reverse-match triggers MFA for values that do NOT match (memberOf <values>)
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                                                  | value    |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | memberOf |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex   | ^guest$  |
      | cas.authn.mfa.triggers.principal.reverse-match                            | true     |
    And a user whose memberOf is "<values>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | values  | result           |
      | guest   | a service ticket |
      | faculty | the YubiKey form |

  @TR-03
  Scenario: deny-if-unmatched refuses principals the trigger does not select
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                                                  | value    |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | memberOf |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex   | faculty  |
      | cas.authn.mfa.triggers.principal.deny-if-unmatched                        | true     |
    And a user whose memberOf is "student"
    When the user logs in to https://app.example.org
    Then the login fails with "Authentication attempt for your account is denied, because your account is not yet configured to go through multifactor authentication. Contact the service administrators for assistance, make sure your account is enrolled and eligible for multifactor authentication and try again."

  @TR-03 @TR-09
  Scenario Outline: deny-if-unmatched holds for a service's own principal attribute trigger (memberOf <group>, mfaProvider <named>)
    The docs tie deny-if-unmatched to the global trigger. CAS's
    RegisteredServicePrincipalAttributeMultifactorAuthenticationTrigger reads the same property and
    denies a login its principalAttributeNameTrigger/ValueToMatch pair does not select (6.4 and later),
    and the global PrincipalAttributeMultifactorAuthenticationTrigger denies whatever it does not select
    itself. Both are asked at every login: the login goes on only when each selects a provider.

    Given CAS offers the YubiKey provider
    And the application https://app.example.org requires mfa-yubikey
    And the multifactor policy of https://app.example.org sets:
      | field                          | value   |
      | principalAttributeNameTrigger  | memberOf |
      | principalAttributeValueToMatch | faculty |
    And the CAS properties:
      | property                                                                  | value       |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | mfaProvider |
      | cas.authn.mfa.triggers.principal.deny-if-unmatched                        | true        |
    And a user with the attributes:
      | attribute   | values  |
      | memberOf    | <group> |
      | mfaProvider | <named> |
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples: both triggers select the YubiKey provider
      | group   | named       | result           |
      | faculty | mfa-yubikey | the YubiKey form |

  @TR-03 @TR-09
  Scenario Outline: deny-if-unmatched denies when either principal attribute trigger selects nothing (memberOf <group>, mfaProvider <named>)
    Given CAS offers the YubiKey provider
    And the application https://app.example.org requires mfa-yubikey
    And the multifactor policy of https://app.example.org sets:
      | field                          | value   |
      | principalAttributeNameTrigger  | memberOf |
      | principalAttributeValueToMatch | faculty |
    And the CAS properties:
      | property                                                                  | value       |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | mfaProvider |
      | cas.authn.mfa.triggers.principal.deny-if-unmatched                        | true        |
    And a user with the attributes:
      | attribute   | values  |
      | memberOf    | <group> |
      | mfaProvider | <named> |
    When the user logs in to https://app.example.org
    Then the login fails with "Authentication attempt for your account is denied, because your account is not yet configured to go through multifactor authentication. Contact the service administrators for assistance, make sure your account is enrolled and eligible for multifactor authentication and try again."

    Examples: the service's pair does not match
      | group   | named       |
      | student | mfa-yubikey |

    Examples: the global trigger names no provider
      | group   | named       |
      | faculty | none        |

  @TR-03 @TR-09
  Scenario: deny-if-unmatched with no global attribute names denies every login
    PrincipalAttributeMultifactorAuthenticationTrigger has no early exit for a trigger left
    unconfigured: with no attribute names it selects nothing, and the flag denies. Read from the code;
    not yet seen on a running CAS.

    Given CAS offers the YubiKey provider
    And the application https://app.example.org requires mfa-yubikey
    And the CAS properties:
      | property                                           | value |
      | cas.authn.mfa.triggers.principal.deny-if-unmatched | true  |
    When casuser logs in to https://app.example.org
    Then the login fails with "Authentication attempt for your account is denied, because your account is not yet configured to go through multifactor authentication. Contact the service administrators for assistance, make sure your account is enrolled and eligible for multifactor authentication and try again."

  @TR-03 @cas:6.2 @cas:6.4
  Scenario Outline: CAS <version> and deny-if-unmatched with no global attribute names: <result>
    The property came with PrincipalAttributeMultifactorAuthenticationProperties in 6.4; a 6.2/6.3 CAS
    does not bind it, and the reference warns that it is ignored.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                           | value |
      | cas.authn.mfa.triggers.principal.deny-if-unmatched | true  |
    When casuser logs in to https://app.example.org
    Then <result>

    Examples:
      | version | result                                                                                                                                                                                                                                              |
      | 6.4     | the login fails with "Authentication attempt for your account is denied, because your account is not yet configured to go through multifactor authentication. Contact the service administrators for assistance, make sure your account is enrolled and eligible for multifactor authentication and try again." |
      | 6.2     | CAS issues a service ticket                                                                                                                                                                                                                         |

  @TR-03 @TR-09
  Scenario: without deny-if-unmatched, a service's unmatched principal attribute trigger means no MFA
    Given CAS offers the YubiKey provider
    And the application https://app.example.org requires mfa-yubikey
    And the multifactor policy of https://app.example.org sets:
      | field                          | value   |
      | principalAttributeNameTrigger  | memberOf |
      | principalAttributeValueToMatch | faculty |
    And a user whose memberOf is "student"
    When the user logs in to https://app.example.org
    Then CAS issues a service ticket

  @TR-04
  Scenario Outline: several providers: the attribute value names the provider (<value>)
    With more than one provider the regex is not used: only a value that names a provider triggers it.

    Given CAS offers the YubiKey and Google Authenticator providers
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                                                  | value             |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | mfaProvider       |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex   | .*                |
    And a user whose mfaProvider is "<value>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | value       | result                        |
      | mfa-yubikey | the YubiKey form              |
      | mfa-gauth   | the Google Authenticator form |
      | MFA-GAUTH   | the Google Authenticator form |
      | mfa-acme    | a service ticket              |
      | yubikey     | a service ticket              |
