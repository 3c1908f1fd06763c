@needs:deployment-profile
Feature: Scripted triggers and provider selection

  CAS lets a Groovy script decide: a trigger (cas.authn.mfa.groovy-script.location,
  GroovyScriptMultifactorAuthenticationTrigger) answers a provider id or nothing; a service's
  multifactorPolicy.script (ScriptedRegisteredServiceMultifactorAuthenticationTrigger) does the same for
  one application; a predicate (cas.authn.mfa.triggers.principal.global-principal-attribute-predicate.location,
  PredicatedPrincipalAttributeMultifactorAuthenticationTrigger) accepts or refuses each provider; a selector
  (cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location,
  GroovyScriptMultifactorAuthenticationProviderSelector) picks one provider among the candidates. Each
  scenario gives the Groovy script a real CAS runs, and the Python file of the same name the reference runs
  in its place. A failing trigger script triggers nothing, as in CAS.

  Background:
    Given CAS offers the YubiKey and Google Authenticator providers
    And the YubiKey provider has rank 10
    And the Google Authenticator provider has rank 1

  @TR-11 @PR-06
  Scenario Outline: a trigger script that asks faculty for YubiKey (memberOf <values>)
    Given the Groovy trigger is:
      """
      def run(final Object... args) {
          def (service, registeredService, authentication, httpRequest, logger) = args
          def memberOf = authentication.principal.attributes['memberOf'] as List
          return memberOf?.contains('faculty') ? 'mfa-yubikey' : null
      }
      """
    And the reference runs it as this Python:
      """
      def run(service, registered_service, authentication, request):
          if "faculty" in authentication.principal_attributes.get("memberOf", []):
              return "mfa-yubikey"
          return None
      """
    And the application https://app.example.org is registered without a multifactor policy
    And a user whose memberOf is "<values>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | values         | result           |
      | faculty        | the YubiKey form |
      | staff, faculty | the YubiKey form |
      | student        | a service ticket |

  @TR-11
  Scenario Outline: a trigger script that answers <python>
    Given the Groovy trigger is:
      """
      def run(final Object... args) {
          def (service, registeredService, authentication, httpRequest, logger) = args
          return <groovy>
      }
      """
    And the reference runs it as this Python:
      """
      def run(service, registered_service, authentication, request):
          return <python>
      """
    And the application https://app.example.org is registered without a multifactor policy
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | groovy      | python      | result                        |
      | 'mfa-gauth' | "mfa-gauth" | the Google Authenticator form |
      | 'MFA-GAUTH' | "MFA-GAUTH" | the Google Authenticator form |
      | 'mfa-acme'  | "mfa-acme"  | a service ticket              |
      | null        | None        | a service ticket              |
      | 1 / 0       | 1 / 0       | a service ticket              |

  @TR-09 @TR-11
  Scenario Outline: an application's policy script asks staff for Google Authenticator (<affiliation>)
    The script sits in the service definition ("script": "file:mfa-policy.groovy"); its answer is
    compared with the provider ids ignoring case.

    Given the multifactor policy script of https://app.example.org is:
      """
      def run(final Object... args) {
          def (authentication, registeredService, httpRequest, service, applicationContext, logger) = args
          def affiliation = authentication.principal.attributes['eduPersonAffiliation'] as List
          return affiliation?.contains('staff') ? 'mfa-gauth' : null
      }
      """
    And the reference runs it as this Python:
      """
      def run(authentication, registered_service, request, service):
          if "staff" in authentication.principal_attributes.get("eduPersonAffiliation", []):
              return "mfa-gauth"
          return None
      """
    And a user whose eduPersonAffiliation is "<affiliation>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | affiliation      | result                        |
      | staff            | the Google Authenticator form |
      | faculty, staff   | the Google Authenticator form |
      | student          | a service ticket              |

  @TR-11
  Scenario: an application's policy script naming a provider CAS does not have fails the login
    Unlike the global Groovy trigger, the per-service script's unknown answer is an error
    (MultifactorAuthenticationProviderAbsentException).

    Given the multifactor policy script of https://app.example.org is:
      """
      def run(final Object... args) {
          return 'mfa-acme'
      }
      """
    And the reference runs it as this Python:
      """
      def run(authentication, registered_service, request, service):
          return "mfa-acme"
      """
    When casuser logs in to https://app.example.org
    Then the login fails with "Unable to satisfy multifactor authentication requirements. Your account is configured for a multifactor authentication strategy, yet CAS is unable to locate and execute that strategy most likely due to misconfiguration of the server. Contact the service administrators for assistance."

  @TR-11
  Scenario: an application's policy script's answer is compared with the provider ids ignoring case
    Given the multifactor policy script of https://app.example.org is:
      """
      def run(final Object... args) {
          return 'MFA-GAUTH'
      }
      """
    And the reference runs it as this Python:
      """
      def run(authentication, registered_service, request, service):
          return "MFA-GAUTH"
      """
    When casuser logs in to https://app.example.org
    Then CAS asks for the Google Authenticator factor

  @TR-04 @TR-11
  Scenario Outline: a principal attribute predicate accepts the providers memberOf names (<values>)
    If the predicate accepts several providers, CAS's code takes the one with the LOWEST rank
    (Stream#min by order in PredicatedPrincipalAttributeMultifactorAuthenticationTrigger); the docs say
    "the first provider in the sorted result set ranked by the provider's order".

    Given the Groovy principal attribute predicate is:
      """
      import org.apereo.cas.authentication.*
      import java.util.function.*

      class MemberOfPredicate implements Predicate<MultifactorAuthenticationProvider> {
          def service
          def principal
          def providers
          def logger

          MemberOfPredicate(service, principal, providers, logger) {
              this.service = service
              this.principal = principal
              this.providers = providers
              this.logger = logger
          }

          @Override
          boolean test(final MultifactorAuthenticationProvider provider) {
              def groups = principal.attributes['memberOf'] as List
              return groups != null && groups.contains(provider.id)
          }
      }
      """
    And the reference runs it as this Python:
      """
      def run(service, principal, providers, provider):
          return provider.id in principal.attributes.get("memberOf", [])
      """
    And the application https://app.example.org is registered without a multifactor policy
    And a user whose memberOf is "<values>"
    When the user logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | values                 | result                        |
      | mfa-yubikey            | the YubiKey form              |
      | mfa-gauth              | the Google Authenticator form |
      | mfa-yubikey, mfa-gauth | the Google Authenticator form |
      | staff                  | a service ticket              |

  @PR-06 @PR-05
  Scenario Outline: a selector script overrides the rank (<python>)
    Given the Groovy provider selector is:
      """
      def run(final Object... args) {
          def (service, principal, providers, logger) = args
          return <groovy>
      }
      """
    And the reference runs it as this Python:
      """
      def run(service, principal, providers):
          return <python>
      """
    And the application https://app.example.org requires mfa-yubikey and mfa-gauth
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | groovy                             | python               | result                        |
      | 'mfa-gauth'                        | "mfa-gauth"          | the Google Authenticator form |
      | 'mfa-yubikey'                      | "mfa-yubikey"        | the YubiKey form              |
      | providers.collect { it.id }.sort()[0] | sorted(providers)[0] | the Google Authenticator form |
