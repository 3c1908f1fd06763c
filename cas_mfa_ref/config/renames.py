"""Where older CAS versions kept the settings that 7.x names differently.

The reference reads every setting by its 7.x name. For a profile that follows an older version,
:func:`apply` renames the names that version reads to the 7.x ones, and sets aside, with a warning,
the 7.x names that version would not read, as that CAS would ignore them. Sources: the flat
``MultifactorAuthenticationProperties`` and ``AdaptiveAuthenticationProperties`` of CAS 6.3 and
earlier; ``MultifactorAuthenticationCoreProperties`` of 6.4-6.6 (provider selection, flat).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cas_mfa_ref.config.properties import CasProperties, PropertyEntry, canonical, split_name
from cas_mfa_ref.errors import ProfileWarning
from cas_mfa_ref.versions import FLAT_MFA_PROPERTIES, FLAT_PROVIDER_SELECTION, CasVersion, VersionRule

__all__ = ["RENAMES", "Rename", "apply", "in_terms_of", "legacy_warning", "name_in"]

_UP_TO_6_3 = FLAT_MFA_PROPERTIES
_6_4_TO_6_6 = FLAT_PROVIDER_SELECTION


@dataclass(frozen=True)
class Rename:
    """``old`` (a name, or the prefix of a group) is what ``versions`` read for 7.x's ``modern``."""

    old: str
    modern: str
    versions: VersionRule


RENAMES = (
    Rename("cas.authn.mfa.global-failure-mode", "cas.authn.mfa.core.global-failure-mode", _UP_TO_6_3),
    Rename(
        "cas.authn.mfa.authentication-context-attribute",
        "cas.authn.mfa.core.authentication-context-attribute",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.global-provider-id", "cas.authn.mfa.triggers.global.global-provider-id", _UP_TO_6_3
    ),
    Rename("cas.authn.mfa.request-parameter", "cas.authn.mfa.triggers.http.request-parameter", _UP_TO_6_3),
    Rename("cas.authn.mfa.request-header", "cas.authn.mfa.triggers.http.request-header", _UP_TO_6_3),
    Rename("cas.authn.mfa.session-attribute", "cas.authn.mfa.triggers.http.session-attribute", _UP_TO_6_3),
    Rename("cas.authn.mfa.rest", "cas.authn.mfa.triggers.rest", _UP_TO_6_3),
    # 6.3 and earlier took the script as a bare resource, later versions as ``.location``
    Rename("cas.authn.mfa.groovy-script", "cas.authn.mfa.groovy-script.location", _UP_TO_6_3),
    Rename(
        "cas.authn.mfa.global-principal-attribute-predicate",
        "cas.authn.mfa.triggers.principal.global-principal-attribute-predicate.location",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.global-principal-attribute-name-triggers",
        "cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.global-principal-attribute-value-regex",
        "cas.authn.mfa.triggers.principal.global-principal-attribute-value-regex",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.global-authentication-attribute-name-triggers",
        "cas.authn.mfa.triggers.authentication.global-authentication-attribute-name-triggers",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.global-authentication-attribute-value-regex",
        "cas.authn.mfa.triggers.authentication.global-authentication-attribute-value-regex",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.provider-selection-enabled",
        "cas.authn.mfa.core.provider-selection.provider-selection-enabled",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.provider-selector-groovy-script",
        "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location",
        _UP_TO_6_3,
    ),
    Rename(
        "cas.authn.mfa.core.provider-selection-enabled",
        "cas.authn.mfa.core.provider-selection.provider-selection-enabled",
        _6_4_TO_6_6,
    ),
    Rename(
        "cas.authn.mfa.core.provider-selector-groovy-script.location",
        "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location",
        _6_4_TO_6_6,
    ),
    Rename(
        "cas.authn.adaptive.require-multifactor", "cas.authn.adaptive.policy.require-multifactor", _UP_TO_6_3
    ),
    Rename(
        "cas.authn.adaptive.require-timed-multifactor",
        "cas.authn.adaptive.policy.require-timed-multifactor",
        _UP_TO_6_3,
    ),
)


def apply(props: CasProperties, version: CasVersion) -> tuple[CasProperties, list[ProfileWarning]]:
    """The properties under their 7.x names, as ``version`` reads them, and a warning for each 7.x name
    that version does not read (it is left out, as that CAS would ignore it)."""
    applicable = [r for r in RENAMES if r.versions.holds(version)]
    if not applicable:
        return props, []
    kept: list[PropertyEntry] = []
    warnings: list[ProfileWarning] = []
    for entry in props.entries():
        unread = next((r for r in applicable if _under(entry.key, r.modern)), None)
        if unread is not None:
            warnings.append(
                ProfileWarning(
                    entry.origin,
                    f"CAS {version} does not read this name; it reads {unread.old}",
                    kind=f"CAS {version} does not read this name",
                )
            )
            continue
        rename = next((r for r in applicable if _under(entry.key, r.old)), None)
        kept.append(entry if rename is None else _renamed(entry, rename))
    return props.with_entries(kept), warnings


def name_in(name: str, version: CasVersion) -> str:
    """The name ``version`` reads for the setting 7.x calls ``name`` (the same name if not renamed)."""
    key = canonical(name)
    for rename in RENAMES:
        if rename.versions.holds(version) and _under(key, rename.modern):
            return _joined(rename.old, split_name(name)[len(canonical(rename.modern)) :])
    return name


def in_terms_of(message: str, version: CasVersion) -> str:
    """A message that names settings by their 7.x names, naming them as ``version`` writes them."""
    for rename in _longest_first(version):
        if rename.modern in message:
            message = message.replace(rename.modern, rename.old)
    return message


@lru_cache(maxsize=16)
def _longest_first(version: CasVersion) -> tuple[Rename, ...]:
    applicable = (r for r in RENAMES if r.versions.holds(version))
    return tuple(sorted(applicable, key=lambda r: len(r.modern), reverse=True))


@lru_cache(maxsize=16)
def _elsewhere(version: CasVersion) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The names other versions read: each as a key, with the name ``version`` reads instead."""
    return tuple(
        (
            canonical(rename.old),
            next(
                (r.old for r in RENAMES if r.modern == rename.modern and r.versions.holds(version)),
                rename.modern,
            ),
        )
        for rename in RENAMES
        if not rename.versions.holds(version)
    )


def legacy_warning(entry: PropertyEntry, version: CasVersion) -> ProfileWarning | None:
    """For a setting nothing read: if it is another version's name for a setting, which name this
    version reads instead."""
    for old, reads in _elsewhere(version):
        if entry.key[: len(old)] == old:
            tail = entry.elements[len(old) :]
            return ProfileWarning(
                entry.origin,
                f"CAS {version} does not read this name; use {_joined(reads, tail)}",
                kind=f"CAS {version} does not read this name",
            )
    return None


def _joined(prefix: str, tail: tuple[str, ...]) -> str:
    return ".".join([prefix, *tail]).replace(".[", "[")


def _under(key: tuple[str, ...], name: str) -> bool:
    prefix = canonical(name)
    return key[: len(prefix)] == prefix


def _renamed(entry: PropertyEntry, rename: Rename) -> PropertyEntry:
    """The entry under the 7.x name; its origin still names the line and the name as written."""
    depth = len(canonical(rename.old))
    elements = split_name(rename.modern) + entry.elements[depth:]
    return PropertyEntry(
        entry.name, elements, canonical(rename.modern) + entry.key[depth:], entry.value, entry.origin
    )
