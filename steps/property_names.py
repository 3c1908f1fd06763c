"""The names older CAS versions read for the settings the steps write by their CAS 7.x names.

The steps speak CAS 7.x's property names. A deployment that follows an older CAS (the suite's own
``reference.cas-version`` setting, which a real CAS ignores) is written with the names that version
reads, so that the profile is one that CAS could load. This table is the suite's own, written from
CAS's configuration classes and documentation, not taken from the reference implementation: a wrong
entry in the reference's rename table must not pass on both sides (tests/test_property_names.py
compares the two and names each disagreement).

Three families of names, by where CAS's configuration model kept the settings:

- 7.x: the names the steps write (``MultifactorAuthenticationCoreProperties`` with its nested
  ``providerSelection``, ``MultifactorAuthenticationTriggersProperties``,
  ``AdaptiveAuthenticationPolicyProperties``).
- 6.4 to 6.6: the core and trigger settings already nested as in 7.x, but provider selection flat in
  ``MultifactorAuthenticationCoreProperties``.
- 6.2 and 6.3: the MFA settings flat in ``MultifactorAuthenticationProperties``
  (``cas.authn.mfa.*``) and the adaptive rules flat in ``AdaptiveAuthenticationProperties``
  (``cas.authn.adaptive.*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = [
    "CAS_6_2_TO_6_3",
    "CAS_6_4_TO_6_6",
    "CAS_7",
    "FAMILIES",
    "OLD_NAMES",
    "VERSION_PROPERTY",
    "name_for",
    "version_family",
]

# The suite's setting for whose rules a deployment follows; not a CAS property.
VERSION_PROPERTY: Final = "reference.cas-version"

CAS_7: Final = "7.x"
CAS_6_4_TO_6_6: Final = "6.4-6.6"
CAS_6_2_TO_6_3: Final = "6.2-6.3"
FAMILIES: Final = (CAS_7, CAS_6_4_TO_6_6, CAS_6_2_TO_6_3)

# How a deployment may write its CAS version (a trailing ".x" is dropped first, so "7.x", "6.x" and
# "6.6.x" are accepted too): the releases whose behaviour the suite states, and nothing newer or older.
_SPELLINGS: Final[Mapping[str, str]] = {
    **dict.fromkeys(("7", "7.0", "7.1", "7.2", "7.3"), CAS_7),
    **dict.fromkeys(("6", "6.4", "6.5", "6.6"), CAS_6_4_TO_6_6),
    **dict.fromkeys(("6.2", "6.3"), CAS_6_2_TO_6_3),
}


def version_family(written: str) -> str | None:
    """The family of names a written CAS version reads ("6.6" -> 6.4-6.6); None for a version the suite
    does not know (the deployment is then written with 7.x's names, and the reference refuses it)."""
    return _SPELLINGS.get(written.strip().lower().removesuffix(".x"))


# 7.x name (or the prefix of a group of names) -> the name the family reads for it. Only the names that
# differ are listed; everything else is read under its 7.x name.
OLD_NAMES: Final[Mapping[str, Mapping[str, str]]] = {
    CAS_7: {},
    # MultifactorAuthenticationCoreProperties (since 6.4.0) held providerSelectionEnabled and
    # providerSelectorGroovyScript (a SpringResourceProperties: ".location") itself until 7.0.0 nested
    # them in MultifactorAuthenticationProviderSelectionProperties ("@since 7.0.0"). The 6.4.x and 6.6.x
    # documentation (mfa/Configuring-Multifactor-Authentication.html) lists
    # cas.authn.mfa.core.provider-selector-groovy-script.location.
    CAS_6_4_TO_6_6: {
        "cas.authn.mfa.core.provider-selection.provider-selection-enabled": (
            "cas.authn.mfa.core.provider-selection-enabled"
        ),
        "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location": (
            "cas.authn.mfa.core.provider-selector-groovy-script.location"
        ),
    },
    # Before 6.4 the fields were MultifactorAuthenticationProperties's own: globalFailureMode,
    # authenticationContextAttribute, requestParameter, requestHeader, sessionAttribute, rest (an inner
    # Rest extends RestEndpointProperties, whose serialVersionUID 6.4's
    # RestfulMultifactorAuthenticationProperties kept), groovyScript, globalPrincipalAttributePredicate
    # and providerSelectorGroovyScript (each a bare Resource: no ".location"),
    # globalPrincipalAttributeNameTriggers/ValueRegex,
    # globalAuthenticationAttributeNameTriggers/ValueRegex, globalProviderId and providerSelectionEnabled.
    # The classes that took them over all say "@since 6.4.0": MultifactorAuthenticationCoreProperties,
    # MultifactorAuthenticationTriggersProperties, MultifactorAuthenticationHttpTriggerProperties,
    # GlobalMultifactorAuthenticationProperties, PrincipalAttributeMultifactorAuthenticationProperties,
    # AuthenticationAttributeMultifactorAuthenticationProperties, RestfulMultifactorAuthenticationProperties.
    # The adaptive rules were AdaptiveAuthenticationProperties's own (requireMultifactor,
    # requireTimedMultifactor) before AdaptiveAuthenticationPolicyProperties (cas.authn.adaptive.policy,
    # the same serialVersionUID) took them.
    CAS_6_2_TO_6_3: {
        "cas.authn.mfa.core.global-failure-mode": "cas.authn.mfa.global-failure-mode",
        "cas.authn.mfa.core.authentication-context-attribute": (
            "cas.authn.mfa.authentication-context-attribute"
        ),
        "cas.authn.mfa.triggers.global.global-provider-id": "cas.authn.mfa.global-provider-id",
        "cas.authn.mfa.triggers.http.request-parameter": "cas.authn.mfa.request-parameter",
        "cas.authn.mfa.triggers.http.request-header": "cas.authn.mfa.request-header",
        "cas.authn.mfa.triggers.http.session-attribute": "cas.authn.mfa.session-attribute",
        "cas.authn.mfa.triggers.rest": "cas.authn.mfa.rest",
        "cas.authn.mfa.groovy-script.location": "cas.authn.mfa.groovy-script",
        "cas.authn.mfa.triggers.principal.global-principal-attribute-predicate.location": (
            "cas.authn.mfa.global-principal-attribute-predicate"
        ),
        "cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers": (
            "cas.authn.mfa.global-principal-attribute-name-triggers"
        ),
        "cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex": (
            "cas.authn.mfa.global-principal-attribute-value-regex"
        ),
        "cas.authn.mfa.triggers.authentication.global-authentication-attribute-name-triggers": (
            "cas.authn.mfa.global-authentication-attribute-name-triggers"
        ),
        "cas.authn.mfa.triggers.authentication.global-authentication-attribute-value-regex": (
            "cas.authn.mfa.global-authentication-attribute-value-regex"
        ),
        "cas.authn.mfa.core.provider-selection.provider-selection-enabled": (
            "cas.authn.mfa.provider-selection-enabled"
        ),
        "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location": (
            "cas.authn.mfa.provider-selector-groovy-script"
        ),
        "cas.authn.adaptive.policy.require-multifactor": "cas.authn.adaptive.require-multifactor",
        "cas.authn.adaptive.policy.require-timed-multifactor": "cas.authn.adaptive.require-timed-multifactor",
    },
}


def name_for(name: str, family: str) -> str:
    """The name ``family`` reads for the setting CAS 7.x calls ``name``: a listed name, or a name under a
    listed group (``...policy.require-multifactor.mfa-duo``), compared as Spring's relaxed binding does
    (case, dashes and underscores aside); what follows the group is kept as written."""
    elements = _elements(name)
    folded = [_folded(e) for e in elements]
    best: tuple[int, str] | None = None
    for modern, old in OLD_NAMES[family].items():
        prefix = [_folded(e) for e in _elements(modern)]
        if folded[: len(prefix)] == prefix and (best is None or len(prefix) > best[0]):
            best = (len(prefix), old)
    if best is None:
        return name
    depth, old = best
    return old + "".join(e if e.startswith("[") else f".{e}" for e in elements[depth:])


def _elements(name: str) -> list[str]:
    """``a.b[0].c`` as ``a``, ``b``, ``[0]``, ``c``; a bracket keeps its content whole (``m[x.y]``)."""
    elements: list[str] = []
    current = ""
    in_brackets = False
    for char in name:
        if in_brackets:
            current += char
            if char == "]":
                elements.append(current)
                current, in_brackets = "", False
        elif char == "[":
            if current:
                elements.append(current)
            current, in_brackets = "[", True
        elif char == ".":
            if current:
                elements.append(current)
            current = ""
        else:
            current += char
    if current:
        elements.append(current)
    return elements


def _folded(element: str) -> str:
    """One element as relaxed binding compares it: an index bracketed, a name without case or dashes."""
    if element.startswith("[") and element.endswith("]"):
        return element
    if element.isdigit():
        return f"[{element}]"
    return element.lower().replace("-", "").replace("_", "")
