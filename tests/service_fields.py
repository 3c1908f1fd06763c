"""The fields of a CAS JSON service's multifactor and release policies, as the hardening tests vary them."""

from __future__ import annotations

POLICY_FIELDS: list[str] = [
    "@class",
    "multifactorAuthenticationProviders",
    "failureMode",
    "bypassEnabled",
    "bypassPrincipalAttributeName",
    "bypassPrincipalAttributeValue",
    "bypassIfMissingPrincipalAttribute",
    "principalAttributeNameTrigger",
    "principalAttributeValueToMatch",
    "forceExecution",
    "bypassTrustedDeviceEnabled",
    "script",
    "groovyScript",
]
RELEASE_FIELDS: list[str] = ["@class", "allowedAttributes", "authorizedToReleaseAuthenticationAttributes"]
