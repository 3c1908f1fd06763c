@needs:deployment-profile
Feature: Global authentication attribute trigger

  The same idea as the principal attribute trigger, but over the attributes of the authentication
  event. Its regex must match the whole value, with its case (String#matches in
  AuthenticationAttributeMultifactorAuthenticationTrigger), unlike the principal trigger's search.

  @TR-11
  Scenario Outline: credentialType against "<regex>"
    Given CAS offers the YubiKey provider
    And the application https://app.example.org is registered without a multifactor policy
    And the CAS properties:
      | property                                                                            | value          |
      | cas.authn.mfa.triggers.authentication.global-authentication-attribute-name-triggers | credentialType |
      | cas.authn.mfa.triggers.authentication.global-authentication-attribute-value-regex   | <regex>        |
    When casuser logs in to https://app.example.org
    Then the login ends with <result>

    Examples:
      | regex                      | result           |
      | UsernamePasswordCredential | the YubiKey form |
      | UsernamePassword.*         | the YubiKey form |
      | UsernamePassword           | a service ticket |
      | usernamepasswordcredential | a service ticket |
      | X509.*                     | a service ticket |
