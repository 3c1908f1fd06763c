"""Regular expressions the way CAS applies them, and their validation at load time."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cas_mfa_ref.errors import Origin, ProfileError, shown


def compile_pattern(pattern: str, origin: Origin, *, ignore_case: bool = True) -> re.Pattern[str]:
    """Compile a regex from the profile; a syntax error names where the regex was written."""
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ProfileError(origin, f"{shown(pattern)} is not a valid regular expression: {exc}") from None
    except (OverflowError, RecursionError) as exc:  # a{99999999999}; parentheses nested a thousand deep
        reason = "groups nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ProfileError(origin, f"{shown(pattern)} cannot be compiled: {reason}") from None


def check_patterns(value: str | None, origin: Origin, *, comma_separated: bool) -> None:
    """Fail early on a pattern CAS would only reject at login time."""
    if not value:
        return
    for item in split_patterns(value) if comma_separated else [value]:
        compile_pattern(item, origin)


def split_patterns(value: str) -> list[str]:
    """``StringUtils.commaDelimitedListToSet``: items trimmed, blanks dropped."""
    return [item.strip() for item in value.split(",") if item.strip()]


def find(pattern: str, text: str) -> bool:
    """``RegexUtils.find``: case-insensitive search anywhere in the text (CAS 7.x)."""
    return re.search(pattern, text, re.IGNORECASE) is not None


def find_any(patterns: Iterable[str], values: Iterable[object]) -> bool:
    """``RegexUtils.findFirst`` is present: any pattern found in any value's text."""
    texts = [java_string(v) for v in values]
    return any(find(p, t) for p in patterns for t in texts)


def full_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Java's ``String#matches`` / ``Predicate asMatchPredicate``: the whole text must match."""
    return re.fullmatch(pattern, text, re.IGNORECASE if ignore_case else 0) is not None


def java_string(value: object) -> str:
    """``Object#toString`` for the values CAS keeps in attributes (booleans print lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
