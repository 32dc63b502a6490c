"""EventBridge event-pattern matching, for the matchers this project's rules use and a few more:
exact values, ``prefix``, ``suffix``, ``anything-but``, ``exists``, ``wildcard``, and top-level ``$or``."""

from __future__ import annotations

import fnmatch
from typing import Any

_MISSING = object()


def matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """True when ``event`` matches ``pattern`` (every field must match; a list is any-of)."""
    for field, expected in pattern.items():
        if field == "$or":
            if not any(matches(alt, event) for alt in expected):
                return False
            continue
        value = event.get(field, _MISSING) if isinstance(event, dict) else _MISSING
        if isinstance(expected, dict):
            if not isinstance(value, dict) or not matches(expected, value):
                return False
        elif isinstance(expected, list):
            if not any(_match_one(m, value) for m in expected):
                return False
        else:
            raise ValueError(f"invalid pattern for {field!r}: {expected!r}")
    return True


def _values(value: Any) -> list[Any]:
    if value is _MISSING:
        return []
    return value if isinstance(value, list) else [value]


def _match_one(matcher: Any, value: Any) -> bool:
    if not isinstance(matcher, dict):
        return any(v == matcher for v in _values(value))
    if "exists" in matcher:
        return (value is not _MISSING) == bool(matcher["exists"])
    if "prefix" in matcher:
        return any(isinstance(v, str) and v.startswith(matcher["prefix"]) for v in _values(value))
    if "suffix" in matcher:
        return any(isinstance(v, str) and v.endswith(matcher["suffix"]) for v in _values(value))
    if "wildcard" in matcher:
        return any(isinstance(v, str) and fnmatch.fnmatchcase(v, matcher["wildcard"]) for v in _values(value))
    if "anything-but" in matcher:
        excluded = matcher["anything-but"]
        if isinstance(excluded, dict):
            return value is not _MISSING and not _match_one(excluded, value)
        excluded = excluded if isinstance(excluded, list) else [excluded]
        return value is not _MISSING and not any(v in excluded for v in _values(value))
    raise ValueError(f"unsupported matcher: {matcher!r}")
