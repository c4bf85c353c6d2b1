"""The one translation function every user-facing string passes through."""

from __future__ import annotations

# English is the source language: a missing entry falls back to the English text itself,
# so adding a language means adding a catalogue here, not touching call sites.
_CATALOGUES: dict[str, dict[str, str]] = {"en": {}}
DEFAULT_LANGUAGE = "en"


def t(text: str, /, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Translate `text` and fill its `{placeholders}` from `values`."""
    translated = _CATALOGUES.get(language, {}).get(text, text)
    return translated.format(**values) if values else translated


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return t("{first} and {last}", first=", ".join(items[:-1]), last=items[-1])


def languages() -> list[str]:
    return sorted(_CATALOGUES)
