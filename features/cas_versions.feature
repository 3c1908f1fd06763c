@needs:deployment-profile
Feature: Where CAS 6.x and 7.x differ

  The reference follows CAS 7.x unless the profile says otherwise (reference.cas-version, a setting
  CAS itself ignores). These scenarios state each difference met in CAS's code once per version:
  how bypass rules match attributes (BaseMultifactorAuthenticationProviderBypassEvaluator), how a
  service's own principal-attribute bypass is read
  (RegisteredServicePrincipalAttributeMultifactorAuthenticationProviderBypassEvaluator), how a
  requested provider id matches (AbstractMultifactorAuthenticationProvider#matches), and whether the
  client address is part of a trusted device's fingerprint by default (DeviceFingerprintProperties), how
  the global principal attribute trigger treats several providers, and how an unavailable provider is
  handled before 6.5. reference.cas-version takes 7.x, 6.6, 6.5, 6.4, 6.3 and 6.2.

  @BY-03 @BY-07 @cas:6.2 @cas:6.6 @cas:7
  Scenario Outline: CAS <version>: the bypass value "alum" against affiliation <value>
    BaseMultifactorAuthenticationProviderBypassEvaluator#locateMatchingAttributeValue: 6.2/6.3 called
    String#matches (whole, with its case); the later 6.x text (the one with resolvePrincipal) and 7.x
    search with RegexUtils.find, ignoring case.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider's bypass.principal-attribute-name is "affiliation"
    And the YubiKey provider's bypass.principal-attribute-value is "alum|member"
    And a user whose affiliation is "<value>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples: CAS 7.x searches, ignoring case
      | version | value  | result           |
      | 7.x     | alum   | a service ticket |
      | 7.x     | ALUM   | a service ticket |
      | 7.x     | alumni | a service ticket |

    Examples: CAS 6.4 to 6.6 search too
      | version | value  | result           |
      | 6.6     | ALUM   | a service ticket |
      | 6.6     | alumni | a service ticket |

    Examples: CAS 6.2/6.3 match the whole value, with its case
      | version | value  | result           |
      | 6.2     | alum   | a service ticket |
      | 6.2     | ALUM   | the YubiKey form |
      | 6.2     | alumni | the YubiKey form |

  @BY-02 @cas:6.2 @cas:6.6 @cas:7
  Scenario Outline: CAS <version>: the bypass attribute name "admin" against an attribute named <name>
    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider's bypass.principal-attribute-name is "admin"
    And a user whose <name> is "yes"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples: CAS 7.x
      | version | name       | result           |
      | 7.x     | admin      | a service ticket |
      | 7.x     | superAdmin | a service ticket |

    Examples: CAS 6.4 to 6.6 search the name too
      | version | name       | result           |
      | 6.6     | superAdmin | a service ticket |

    Examples: CAS 6.2/6.3 match the whole name
      | version | name       | result           |
      | 6.2     | admin      | a service ticket |
      | 6.2     | superAdmin | the YubiKey form |

  @TR-08 @cas:6.3 @cas:6.4 @cas:6.6 @cas:7
  Scenario Outline: CAS <version>: authn_method=<value>
    AbstractMultifactorAuthenticationProvider#matches has had three forms. Up to 6.4 the requested
    value was a regex the whole id had to match, case and all (String#matches); 6.5 and 6.6 searched it
    inside the id ignoring case (RegexUtils.find); 7.x compares ids ignoring case. The 6.4/6.5 boundary
    is read from the texts of the class, which carry no release tags.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org is registered without a multifactor policy
    When casuser logs in to https://app.example.org with the request parameter authn_method=<value>
    Then the login ends with <result>

    Examples: CAS 7.x compares ids, ignoring case
      | version | value       | result           |
      | 7.x     | MFA-YUBIKEY | the YubiKey form |

    Examples: later CAS 6.x searches the value as a regex in the id
      | version | value       | result           |
      | 6.6     | yubikey     | the YubiKey form |
      | 6.6     | mfa-.*      | the YubiKey form |
      | 6.6     | MFA-YUBIKEY | the YubiKey form |

    Examples: CAS 6.4 and earlier match the whole id, with its case
      | version | value       | result           |
      | 6.4     | mfa-yubikey | the YubiKey form |
      | 6.4     | mfa-.*      | the YubiKey form |
      | 6.3     | mfa-yub.+   | the YubiKey form |
      | 6.2     | .*yubikey   | the YubiKey form |

  @TR-08 @cas:6.3 @cas:6.4 @cas:7
  Scenario Outline: CAS <version>: authn_method=<value> names no provider
    A value that selects no provider makes the request trigger fail the login
    (HttpRequestMultifactorAuthenticationTrigger raises an AuthenticationException).

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org is registered without a multifactor policy
    When casuser logs in to https://app.example.org with the request parameter authn_method=<value>
    Then the login fails with "Authentication attempt has failed."

    Examples: CAS 7.x wants the id itself
      | version | value   |
      | 7.x     | yubikey |
      | 7.x     | mfa-.*  |

    Examples: CAS 6.4 and earlier want the whole id, with its case
      | version | value       |
      | 6.4     | yubikey     |
      | 6.4     | MFA-YUBIKEY |
      | 6.3     | mfa-yubi    |
      | 6.2     | MFA-.*      |

  @BY-13 @cas:6.3 @cas:6.4 @cas:6.6 @cas:7
  Scenario Outline: CAS <version>: the service bypasses MFA for memberOf "<value>"
    The service's own pair bypassPrincipalAttributeName/Value. Up to 6.3 the evaluator read it only when
    the policy also set bypassEnabled, and bypassEnabled already stops every trigger
    (DefaultMultifactorAuthenticationTriggerSelectionStrategy), so the pair did nothing of its own. From
    6.4 it stands alone, matched as every 6.4-6.6 bypass attribute rule is: searched ignoring case, the
    value one pattern; 7.x searches too, the value a comma-separated list.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org requires mfa-yubikey
    And the multifactor policy of https://app.example.org sets:
      | field                         | value    |
      | bypassPrincipalAttributeName  | memberOf |
      | bypassPrincipalAttributeValue | exempt   |
    And a user whose memberOf is "<value>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples: CAS 7.x searches, ignoring case
      | version | value       | result           |
      | 7.x     | exempt      | a service ticket |
      | 7.x     | Exempt      | a service ticket |
      | 7.x     | exempt-2026 | a service ticket |
      | 7.x     | staff       | the YubiKey form |

    Examples: CAS 6.4 to 6.6 search, ignoring case
      | version | value       | result           |
      | 6.6     | exempt      | a service ticket |
      | 6.6     | Exempt      | a service ticket |
      | 6.6     | exempt-2026 | a service ticket |
      | 6.4     | exempt      | a service ticket |
      | 6.4     | staff       | the YubiKey form |

    Examples: CAS 6.3 and earlier ignore the pair without bypassEnabled
      | version | value  | result           |
      | 6.3     | exempt | the YubiKey form |
      | 6.2     | exempt | the YubiKey form |

  @BY-03 @cas:6.6 @cas:7
  Scenario Outline: CAS <version>: the provider's bypass value "alum,member" against affiliation <value>
    The provider's bypass.principal-attribute-value is a comma-separated list of patterns in 7.x
    (RegexUtils.findFirst over StringUtils.commaDelimitedListToSet); CAS 6.x took the text as one
    pattern, comma included.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider's bypass.principal-attribute-name is "affiliation"
    And the YubiKey provider's bypass.principal-attribute-value is "alum,member"
    And a user whose affiliation is "<value>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | version | value  | result           |
      | 7.x     | member | a service ticket |
      | 6.6     | member | the YubiKey form |

  @TD-02 @cas:6.6 @cas:7 @needs:trusted-devices @needs:mfa-token @needs:client-address
  Scenario Outline: CAS <version>: a trusted browser that comes back from another address
    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the YubiKey provider trusts devices
    And the application https://app.example.org requires mfa-yubikey
    When casuser logs in to https://app.example.org from 10.0.0.5
    And the user completes the YubiKey challenge
    And the user trusts this browser as "Laptop"
    And the user closes the browser
    And casuser logs in to https://app.example.org from 10.0.0.9
    Then the login ends with <result>

    Examples: CAS 7.x leaves the address out of the fingerprint by default
      | version | result           |
      | 7.x     | a service ticket |

    Examples: CAS 6.x puts it in
      | version | result           |
      | 6.6     | the YubiKey form |

  @TR-04 @cas:6.6 @cas:7
  Scenario Outline: CAS <version>: several providers, and the principal attribute names mfa-<named>
    From 6.2 DefaultMultifactorAuthenticationProviderResolver#resolveEventViaAttribute tries every
    provider in turn and the first one a value names wins; its test
    verifyMultipleProvidersWithPrincipalAttributes expects the lower-ranked provider the attribute
    names. Only 6.0/6.1, which the reference does not model, let the selector pick first (the behaviour
    CAS issue #4188 shows in a log).

    Given CAS offers the YubiKey and Google Authenticator providers
    And the deployment follows CAS <version>
    And the YubiKey provider has rank 10
    And the Google Authenticator provider has rank 1
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                                                  | value       |
      | cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers | mfaProvider |
    And a user whose mfaProvider is "mfa-<named>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples: CAS 7.x tries every provider
      | version | named   | result                        |
      | 7.x     | gauth   | the Google Authenticator form |
      | 7.x     | yubikey | the YubiKey form              |

    Examples: CAS 6.6 does the same (and 6.2, by the resolver's tests)
      | version | named   | result                        |
      | 6.6     | gauth   | the Google Authenticator form |
      | 6.6     | yubikey | the YubiKey form              |

  @TR-04 @cas:6.2 @cas:6.6 @cas:7
  Scenario Outline: CAS <version>: one provider, and the value regex "fac" against memberOf <value>
    With a single provider and global-principal-attribute-value-regex, 6.2/6.3 tested each value with
    String#matches (whole, with its case); 6.5 and later search it with RegexUtils.find, ignoring case
    (PrincipalAttributeMultifactorAuthenticationTrigger). 6.4 is read as the later form. Before 6.4 the
    properties were flat (cas.authn.mfa.global-principal-attribute-*).

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                   | value    |
      | <prefix>-name-triggers     | memberOf |
      | <prefix>-value-regex       | fac      |
    And a user whose memberOf is "<value>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples: CAS 6.5 and later search
      | version | prefix                                                 | value   | result           |
      | 7.x     | cas.authn.mfa.triggers.principal.global-principal-attribute | faculty | the YubiKey form |
      | 6.6     | cas.authn.mfa.triggers.principal.global-principal-attribute | FACULTY | the YubiKey form |
      | 6.6     | cas.authn.mfa.triggers.principal.global-principal-attribute | staff   | a service ticket |

    Examples: CAS 6.2/6.3 match the whole value
      | version | prefix                                  | value   | result           |
      | 6.2     | cas.authn.mfa.global-principal-attribute | fac     | the YubiKey form |
      | 6.2     | cas.authn.mfa.global-principal-attribute | faculty | a service ticket |

  @FM-07 @FM-08 @FM-09 @cas:6.4 @cas:6.6 @cas:7 @needs:provider-outage
  Scenario Outline: CAS <version>: the YubiKey provider is down under failure mode <mode>
    Before 6.5 the bypass action did not look at the failure mode, NONE still had the availability
    checked, and the failure action bypassed for OPEN only (MultifactorAuthenticationFailureAction and
    its 6.2 tests: PHANTOM and NONE end "unavailable"). From 6.5 OPEN and PHANTOM bypass, and NONE goes to
    the provider's form.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the YubiKey provider's failure mode is <mode>
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples: CAS 6.5 and later
      | version | mode    | result                              |
      | 7.x     | OPEN    | a service ticket                    |
      | 7.x     | PHANTOM | a service ticket                    |
      | 7.x     | NONE    | the YubiKey form                    |
      | 6.6     | PHANTOM | a service ticket                    |
      | 6.6     | NONE    | the YubiKey form                    |

    Examples: CAS 6.2 to 6.4
      | version | mode    | result                              |
      | 6.4     | OPEN    | a service ticket                    |
      | 6.4     | PHANTOM | the "MFA Provider Unavailable" page |
      | 6.4     | NONE    | the "MFA Provider Unavailable" page |
      | 6.4     | CLOSED  | the "MFA Provider Unavailable" page |
      | 6.2     | PHANTOM | the "MFA Provider Unavailable" page |

  @FM-05 @FM-12 @cas:6.3 @cas:6.4 @cas:7 @needs:provider-outage
  Scenario Outline: CAS <version>: the global failure mode OPEN, the provider's left unset
    In 6.3 and earlier a provider's failure-mode defaulted to UNDEFINED, so the global mode applied; from
    6.4 it defaults to CLOSED (BaseMultifactorAuthenticationProviderProperties). The global property was
    cas.authn.mfa.global-failure-mode before 6.4, and is written so for those versions.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the global failure mode is OPEN
    And the application https://app.example.org requires mfa-yubikey
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | version | result                              |
      | 6.3     | a service ticket                    |
      | 6.4     | the "MFA Provider Unavailable" page |
      | 7.x     | the "MFA Provider Unavailable" page |

  @TR-01 @cas:6.3 @cas:6.4 @cas:7
  Scenario Outline: CAS <version> with <property> set
    Up to 6.3 the MFA settings were flat (MultifactorAuthenticationProperties); 6.4 moved them under
    cas.authn.mfa.core and cas.authn.mfa.triggers. Each version reads its own names and ignores the
    others', so a configuration carried across the move without renaming silently loses its trigger.

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property   | value       |
      | <property> | mfa-yubikey |
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | version | property                                          | result           |
      | 6.2     | cas.authn.mfa.global-provider-id                  | the YubiKey form |
      | 6.3     | cas.authn.mfa.triggers.global.global-provider-id  | a service ticket |
      | 6.4     | cas.authn.mfa.global-provider-id                  | a service ticket |
      | 6.4     | cas.authn.mfa.triggers.global.global-provider-id  | the YubiKey form |
      | 7.x     | cas.authn.mfa.global-provider-id                  | a service ticket |
      | 7.x     | cas.authn.mfa.triggers.global.global-provider-id  | the YubiKey form |

  @TR-06 @cas:6.3 @cas:7
  Scenario Outline: CAS <version>: the adaptive rule <property> for the user agent
    The adaptive rules moved from cas.authn.adaptive to cas.authn.adaptive.policy in 6.4
    (AdaptiveAuthenticationProperties, AdaptiveAuthenticationPolicyProperties).

    Given CAS offers the YubiKey provider
    And the deployment follows CAS <version>
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property   | value      |
      | <property> | .*Chrome.* |
    When casuser logs in to https://app.example.org using the browser "Mozilla/5.0 Chrome/120.0"
    Then the login ends with <result>

    Examples:
      | version | property                                                 | result           |
      | 6.3     | cas.authn.adaptive.require-multifactor.mfa-yubikey        | the YubiKey form |
      | 6.3     | cas.authn.adaptive.policy.require-multifactor.mfa-yubikey | a service ticket |
      | 7.x     | cas.authn.adaptive.require-multifactor.mfa-yubikey        | a service ticket |
      | 7.x     | cas.authn.adaptive.policy.require-multifactor.mfa-yubikey | the YubiKey form |

  @PR-10 @cas:6.3 @cas:6.6 @cas:7
  Scenario Outline: CAS <version> shows the provider menu when <property> is true
    The switch for the menu was cas.authn.mfa.provider-selection-enabled up to 6.3,
    cas.authn.mfa.core.provider-selection-enabled in 6.4 to 6.6, and
    cas.authn.mfa.core.provider-selection.provider-selection-enabled from 7.0.

    Given CAS offers the YubiKey and Google Authenticator providers
    And the deployment follows CAS <version>
    And the YubiKey provider has rank 10
    And the application https://app.example.org requires mfa-yubikey and mfa-gauth
    And the CAS properties:
      | property   | value |
      | <property> | true  |
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | version | property                                                         | result                      |
      | 6.3     | cas.authn.mfa.provider-selection-enabled                         | the provider selection menu |
      | 6.3     | cas.authn.mfa.core.provider-selection-enabled                    | the YubiKey form            |
      | 6.6     | cas.authn.mfa.core.provider-selection-enabled                    | the provider selection menu |
      | 6.6     | cas.authn.mfa.core.provider-selection.provider-selection-enabled | the YubiKey form            |
      | 7.x     | cas.authn.mfa.core.provider-selection.provider-selection-enabled | the provider selection menu |
      | 7.x     | cas.authn.mfa.core.provider-selection-enabled                    | the YubiKey form            |
