@needs:deployment-profile
Feature: Bypass: when the chosen provider skips MFA

  "Once the provider is chosen to honor the authentication request, bypass rules are then consulted
  to calculate whether the provider should ignore the request and skip MFA conditionally."
  Each provider has its own chain (DefaultChainingMultifactorAuthenticationBypassProvider): every rule
  must say "run MFA"; the first rule that says "bypass" ends the chain. A bypass is recorded on the
  authentication (bypassMultifactorAuthentication=true and bypassedMultifactorAuthenticationProviderId),
  and ticket validation then succeeds without an authentication context.

  CAS 7.x matches attribute names and values as case-insensitive regular expressions found anywhere
  in the text ("Matching and comparison operations are case insensitive"); CAS 6.x required a whole,
  case-sensitive match (BaseMultifactorAuthenticationProviderBypassEvaluator).

  Background:
    Given CAS offers the YubiKey provider
    And the application https://app.example.org requires mfa-yubikey

  Rule: principal attributes

    @BY-02 @BY-08 @cas:7
    Scenario Outline: MFA except when the principal carries a superAdmin attribute (<case>)
      Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
      And a user with the attributes:
        | attribute   | values   |
        | <attribute> | <values> |
      When the user logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | case                               | attribute      | values | result           |
        | the attribute is present           | superAdmin     | true   | a service ticket |
        | any value will do                  | superAdmin     | false  | a service ticket |
        | names match ignoring case          | SUPERADMIN     | yes    | a service ticket |
        | the name is found inside a longer one | isSuperAdminUser | yes | a service ticket |
        | another attribute                  | admin          | true   | the YubiKey form |
        | a similar but different name       | superAdm       | true   | the YubiKey form |

    @BY-03 @BY-07 @cas:7
    Scenario Outline: MFA except when affiliation is alum or member (affiliation <value>)
      Given the YubiKey provider's bypass.principal-attribute-name is "affiliation"
      And the YubiKey provider's bypass.principal-attribute-value is "^(alum|member)$"
      And a user whose affiliation is "<value>"
      When the user logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | value          | result           |
        | alum           | a service ticket |
        | member         | a service ticket |
        | MEMBER         | a service ticket |
        | staff, alum    | a service ticket |
        | staff          | the YubiKey form |
        | alumni         | the YubiKey form |
        | former member  | the YubiKey form |

    @BY-03 @cas:7
    Scenario Outline: an unanchored value is found anywhere in the attribute (<value>)
      CAS 7.x searches the value pattern inside each value (RegexUtils.find), so "alum" also
      matches "alumni". Anchor the pattern to require the whole value.

      Given the YubiKey provider's bypass.principal-attribute-name is "affiliation"
      And the YubiKey provider's bypass.principal-attribute-value is "alum"
      And a user whose affiliation is "<value>"
      When the user logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | value   | result           |
        | alumni  | a service ticket |
        | ALUM    | a service ticket |
        | faculty | the YubiKey form |

    @BY-03
    Scenario: several comma-separated value patterns, any of which bypasses
      Given the YubiKey provider's bypass.principal-attribute-name is "affiliation"
      And the YubiKey provider's bypass.principal-attribute-value is "^alum$,^member$"
      And a user whose affiliation is "member"
      When the user logs in to https://app.example.org
      Then CAS issues a service ticket

    @BY-02
    Scenario: a principal without the attribute goes through MFA
      Given the YubiKey provider's bypass.principal-attribute-name is "affiliation"
      And the YubiKey provider's bypass.principal-attribute-value is "alum"
      And a user without an affiliation attribute
      When the user logs in to https://app.example.org
      Then CAS asks for the YubiKey factor

  Rule: authentication attributes, method and handler of the primary login

    @BY-04 @cas:7
    Scenario Outline: an authentication attribute <name> with value <value>
      Given the YubiKey provider's bypass.authentication-attribute-name is "<name>"
      And the YubiKey provider's bypass.authentication-attribute-value is "<value>"
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | name                             | value                      | result           |
        | credentialType                   | UsernamePasswordCredential | a service ticket |
        | credentialType                   | usernamepassword           | a service ticket |
        | credentialType                   | X509CertificateCredential  | the YubiKey form |
        | successfulAuthenticationHandlers | AcceptUsers                | a service ticket |
        | samlAuthenticationStatement      | .*                         | the YubiKey form |

    @BY-04 @cas:7
    Scenario: an authentication attribute name without a value never bypasses
      Unlike principal attribute rules, the authentication rule needs a value to match
      (AuthenticationMultifactorAuthenticationProviderBypassEvaluator asks with matchIfNoValueProvided
      false).

      Given the YubiKey provider's bypass.authentication-attribute-name is "credentialType"
      When casuser logs in to https://app.example.org
      Then CAS asks for the YubiKey factor

    @BY-05
    Scenario Outline: MFA except when the primary authentication method is <method>
      Given the YubiKey provider's bypass.authentication-method-name is "<method>"
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | method                                | result           |
        | AcceptUsersAuthenticationHandler      | a service ticket |
        | SPNEGO                                | the YubiKey form |
        | LdapAuthenticationHandler,AcceptUsers.* | a service ticket |

    @BY-05
    Scenario Outline: MFA except when the primary login went through handler <handler>
      Given the YubiKey provider's bypass.authentication-handler-name is "<handler>"
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | handler                          | result           |
        | AcceptUsersAuthenticationHandler | a service ticket |
        | acceptusers                      | a service ticket |
        | JaasAuthenticationHandler        | the YubiKey form |

    @BY-05 @cas:7
    Scenario Outline: the primary handler named "STATIC" by cas.authn.accept.name, and the rule "<handler>"
      A handler is known by the name its properties give it; without one, by its class's simple name
      (AbstractAuthenticationHandler). successfulAuthenticationHandlers and authenticationMethod both
      carry that name, and the rule searches it ignoring case.

      Given the CAS properties:
        | property              | value  |
        | cas.authn.accept.name | STATIC |
      And the YubiKey provider's bypass.authentication-handler-name is "<handler>"
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | handler     | result           |
        | ^STATIC$    | a service ticket |
        | static      | a service ticket |
        | AcceptUsers | the YubiKey form |

  Rule: the credential of the primary login

    @BY-06
    Scenario Outline: MFA except for credentials of type <type>
      The credential class name must match whole and with its case
      (CredentialMultifactorAuthenticationProviderBypassEvaluator).

      Given the YubiKey provider's bypass.credential-class-type is "<type>"
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | type                                                               | result           |
        | org.apereo.cas.authentication.credential.UsernamePasswordCredential | a service ticket |
        | org\.apereo\.cas\..*Credential                                      | a service ticket |
        | org.example.MyCredential                                           | the YubiKey form |
        | UsernamePasswordCredential                                         | the YubiKey form |
        | org.apereo.cas.authentication.credential.usernamepasswordcredential | the YubiKey form |

  Rule: the HTTP request

    @BY-12 @needs:client-address
    Scenario Outline: MFA except from addresses matching <pattern> (login from <address>)
      The pattern is searched in the client's address and host name
      (HttpRequestMultifactorAuthenticationProviderBypassEvaluator).

      Given the YubiKey provider's bypass.http-request-remote-address is "<pattern>"
      When casuser logs in to https://app.example.org from <address>
      Then the login ends with <result>

      Examples:
        | pattern       | address     | result           |
        | ^192\.168\.   | 192.168.1.7 | a service ticket |
        | ^192\.168\.   | 10.0.0.7    | the YubiKey form |
        | 10\.0\.0\.7   | 10.0.0.7    | a service ticket |
        | 127\.0\.0\.1  | 10.0.0.7    | the YubiKey form |

    @BY-12
    Scenario Outline: MFA except when the request carries a header named like <pattern> (<header>)
      Header names must match whole, ignoring case; values are never looked at.

      Given the YubiKey provider's bypass.http-request-headers is "<pattern>"
      When casuser logs in to https://app.example.org with the request header <header>=<value>
      Then the login ends with <result>

      Examples:
        | pattern              | header            | value | result           |
        | X-Internal-.*        | X-Internal-Network | 1     | a service ticket |
        | X-Internal-.*        | x-internal-network | no    | a service ticket |
        | X-Internal-Network   | X-Internal        | 1     | the YubiKey form |
        | X-Internal           | X-Internal-Network | 1    | the YubiKey form |
        | X-Trusted,X-Internal | X-Internal        | 1     | a service ticket |
        | X-Internal           | X-Other           | X-Internal | the YubiKey form |

  Rule: the registered service

    @BY-11
    Scenario: bypassEnabled on the service: no MFA, and no bypass recorded either
      The Bypass page's own example. In CAS 6.x/7.x bypassEnabled stops the triggers themselves, so the
      provider's subflow never runs and no bypass attribute is recorded
      (DefaultMultifactorAuthenticationTriggerSelectionStrategy).

      Given the registered service:
        """
        {
          "@class" : "org.apereo.cas.services.RegexRegisteredService",
          "serviceId" : "^(https|imaps)://mail\\..*",
          "id" : 100,
          "name" : "Mail",
          "multifactorPolicy" : {
            "@class" : "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy",
            "multifactorAuthenticationProviders" : [ "java.util.LinkedHashSet", [ "mfa-yubikey" ] ],
            "bypassEnabled" : "true"
          },
          "attributeReleasePolicy" : { "@class" : "org.apereo.cas.services.ReturnAllAttributeReleasePolicy" }
        }
        """
      When casuser logs in to https://mail.example.org
      Then CAS issues a service ticket
      And ticket validation succeeds
      And the ticket carries no bypass attributes
      And the ticket releases no authentication context

    @BY-11
    Scenario: bypassEnabled keeps the provider from being asked, even when it is down
      Given the multifactor policy of https://app.example.org sets:
        | field         | value |
        | bypassEnabled | true  |
      And the YubiKey provider is unavailable
      When casuser logs in to https://app.example.org
      Then CAS issues a service ticket

    @BY-13
    Scenario Outline: the service bypasses by principal attribute (<case>)
      The pair bypassPrincipalAttributeName / bypassPrincipalAttributeValue on the service's policy
      (RegisteredServicePrincipalAttributeMultifactorAuthenticationProviderBypassEvaluator).

      Given the multifactor policy of https://app.example.org sets:
        | field                             | value           |
        | bypassPrincipalAttributeName      | memberOf        |
        | bypassPrincipalAttributeValue     | ^cn=mfa-exempt, |
        | bypassIfMissingPrincipalAttribute | <if_missing>    |
      And a user with the attributes:
        | attribute   | values   |
        | <attribute> | <values> |
      When the user logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | case                                 | if_missing | attribute | values                 | result           |
        | the value matches                    | false      | memberOf  | cn=mfa-exempt,ou=groups | a service ticket |
        | the value does not match             | false      | memberOf  | cn=staff,ou=groups     | the YubiKey form |
        | the attribute is missing             | false      | title     | engineer               | the YubiKey form |
        | missing, with bypassIfMissing        | true       | title     | engineer               | a service ticket |
        | present but unmatched, bypassIfMissing | true     | memberOf  | cn=staff,ou=groups     | the YubiKey form |

    @BY-13
    Scenario: a service principal-attribute rule needs both a name and a value to act
      Given the multifactor policy of https://app.example.org sets:
        | field                             | value    |
        | bypassPrincipalAttributeName      | memberOf |
        | bypassIfMissingPrincipalAttribute | true     |
      And a user whose title is "engineer"
      When the user logs in to https://app.example.org
      Then CAS asks for the YubiKey factor

  Rule: a REST endpoint decides

    @BY-14 @needs:rest-endpoint
    Scenario Outline: the bypass endpoint answers <status>
      CAS asks the endpoint with GET and the query parameters principal, provider and service (the
      registered service's serviceId pattern, not the URL requested). A 2xx answer means "run MFA";
      anything else means bypass (RestMultifactorAuthenticationProviderBypassEvaluator; CAS 6.x ran MFA
      for 202 only).

      Given the YubiKey provider's bypass.rest.url is "https://bypass.example.org/mfa"
      And the REST endpoint https://bypass.example.org/mfa answers <status>
      When casuser logs in to https://app.example.org
      Then the login ends with <result>
      And the REST endpoint https://bypass.example.org/mfa was asked with principal=casuser and provider=mfa-yubikey and service=^https://app\.example\.org(/.*)?$

      Examples:
        | status | result           |
        | 200    | the YubiKey form |
        | 202    | the YubiKey form |
        | 403    | a service ticket |
        | 404    | a service ticket |
        | 500    | a service ticket |

    @BY-14 @needs:rest-endpoint @cas:6.2 @cas:6.4 @cas:7
    Scenario Outline: CAS <version>: an unreachable bypass endpoint means <meaning>
      The docs say nothing of an endpoint that cannot be reached. HttpUtils#execute then gives the
      evaluator no response. From 6.4 the evaluator runs MFA only for a response it got, so no answer
      means bypass; 6.2/6.3 read the status of the missing response, and the evaluator's catch-all ran
      MFA (RestMultifactorAuthenticationProviderBypassEvaluator).

      Given the deployment follows CAS <version>
      And the YubiKey provider's bypass.rest.url is "https://nowhere.example.org/bypass"
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | version | meaning  | result           |
        | 7.x     | bypass   | a service ticket |
        | 6.4     | bypass   | a service ticket |
        | 6.2     | MFA runs | the YubiKey form |

    @BY-14 @needs:rest-endpoint @cas:6.2 @cas:6.6
    Scenario Outline: CAS <version>: the bypass endpoint answers <status>
      CAS 6.x ran MFA only for HTTP 202; every other answer bypassed.

      Given the deployment follows CAS <version>
      And the YubiKey provider's bypass.rest.url is "https://bypass.example.org/mfa"
      And the REST endpoint https://bypass.example.org/mfa answers <status>
      When casuser logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | version | status | result           |
        | 6.6     | 200    | a service ticket |
        | 6.6     | 202    | the YubiKey form |
        | 6.6     | 500    | a service ticket |
        | 6.2     | 200    | a service ticket |
        | 6.2     | 202    | the YubiKey form |

  Rule: the chain

    @BY-01 @needs:rest-endpoint
    Scenario: the first rule that bypasses ends the chain; later rules are not asked
      Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
      And the YubiKey provider's bypass.rest.url is "https://bypass.example.org/mfa"
      And the REST endpoint https://bypass.example.org/mfa answers 200
      And a user whose superAdmin is "true"
      When the user logs in to https://app.example.org
      Then CAS issues a service ticket
      And the REST endpoint https://bypass.example.org/mfa was not asked

    @BY-01 @needs:rest-endpoint
    Scenario Outline: every rule must say "run MFA" for MFA to run (principal <principal>, REST <status>)
      Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
      And the YubiKey provider's bypass.rest.url is "https://bypass.example.org/mfa"
      And the REST endpoint https://bypass.example.org/mfa answers <status>
      And a user with the attributes:
        | attribute   | values |
        | <principal> | true   |
      When the user logs in to https://app.example.org
      Then the login ends with <result>

      Examples:
        | principal  | status | result           |
        | superAdmin | 200    | a service ticket |
        | superAdmin | 403    | a service ticket |
        | staff      | 403    | a service ticket |
        | staff      | 200    | the YubiKey form |

    @BY-01
    Scenario: bypass rules belong to their provider
      The YubiKey provider's rules say nothing about Google Authenticator.

      Given CAS offers the YubiKey and Google Authenticator providers
      And the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
      And the application https://gauth.example.org requires mfa-gauth
      And a user whose superAdmin is "true"
      When the user logs in to https://gauth.example.org
      Then CAS asks for the Google Authenticator factor

  Rule: what the application receives

    @BY-10
    Scenario: after a bypass, validation succeeds with the bypass attributes and no context
      "ticket validation requests shall successfully go through if multifactor authentication is
      bypassed for the given provider. In such cases, no authentication context is passed back".

      Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
      And a user whose superAdmin is "true"
      When the user logs in to https://app.example.org
      And the application validates the ticket
      Then ticket validation succeeds
      And the ticket says MFA was bypassed for mfa-yubikey
      And the ticket releases no authentication context
      And the ticket releases superAdmin = true

    @BY-10 @needs:mfa-token
    Scenario: when the rules say "run MFA", CAS records that MFA was not bypassed
      forgetBypass adds bypassMultifactorAuthentication=false, which is released after MFA (seen in
      real CAS payloads next to authnContextClass).

      Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
      And a user whose eduPersonAffiliation is "staff"
      When the user logs in to https://app.example.org
      And the user completes the YubiKey challenge
      Then CAS issues a service ticket
      And the ticket says MFA was not bypassed
      And the ticket releases the authentication context mfa-yubikey
      And the ticket releases authenticationMethod = AcceptUsersAuthenticationHandler, YubiKeyAuthenticationHandler

    @BY-10
    Scenario: a bypass recorded at login is honoured at ticket validation
      Validation asks the provider again, then accepts the bypass the authentication recorded for the
      same provider (isMultifactorAuthenticationBypassed).

      Given the YubiKey provider's bypass.authentication-method-name is "AcceptUsersAuthenticationHandler"
      When casuser logs in to https://app.example.org
      Then CAS issues a service ticket
      And ticket validation succeeds for casuser
      And the ticket says MFA was bypassed for mfa-yubikey
