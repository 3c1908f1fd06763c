@needs:deployment-profile @needs:python-hooks
Feature: Scripted triggers and provider selection

  CAS lets a Groovy script decide: a trigger (cas.authn.mfa.groovy-script.location,
  GroovyScriptMultifactorAuthenticationTrigger) answers a provider id or nothing; a selector
  (cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location,
  GroovyScriptMultifactorAuthenticationProviderSelector) picks one provider among the candidates. The
  reference cannot run Groovy: it runs a Python file of the same name beside the script, with a run()
  of the same shape. A failing trigger script triggers nothing, as in CAS.

  Background:
    Given CAS offers the YubiKey and Google Authenticator providers
    And the YubiKey provider has rank 10
    And the Google Authenticator provider has rank 1

  @TR-11 @PR-06
  Scenario Outline: a trigger script that asks faculty for YubiKey (memberOf <values>)
    Given the Groovy trigger is, in the reference's Python:
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
      | values           | result           |
      | faculty          | the YubiKey form |
      | staff, faculty   | the YubiKey form |
      | student          | a service ticket |

  @TR-11
  Scenario Outline: a trigger script that answers <answer>
    Given the Groovy trigger is, in the reference's Python:
      """
      def run(service, registered_service, authentication, request):
          return <answer>
      """
    And the application https://app.example.org is registered without a multifactor policy
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | answer        | result                        |
      | "mfa-gauth"   | the Google Authenticator form |
      | "MFA-GAUTH"   | the Google Authenticator form |
      | "mfa-acme"    | a service ticket              |
      | None          | a service ticket              |
      | 1 / 0         | a service ticket              |

  @PR-06 @PR-05
  Scenario Outline: a selector script overrides the rank (<script_choice>)
    Given the Groovy provider selector is, in the reference's Python:
      """
      def run(service, principal, providers):
          return <script_choice>
      """
    And the application https://app.example.org requires mfa-yubikey and mfa-gauth
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | script_choice                                    | result                        |
      | "mfa-gauth"                                      | the Google Authenticator form |
      | "mfa-yubikey"                                    | the YubiKey form              |
      | sorted(providers)[0]                             | the Google Authenticator form |
