"""The one translation function every user-facing string passes through, and the request's language.

Catalogues are gettext `.po` files under `crosspilot/locale/<lang>/LC_MESSAGES/messages.po`, managed
with Babel (`scripts/i18n.sh`: extract, update, check). They are compiled in memory on first use, so
no compiled `.mo` file lives in git and a fresh clone needs no build step. English is the source
language: its text is the msgid, and a message a catalogue lacks falls back to it.

The language of a request is carried by a context variable (`use_language`, `start_language`):
the app sets it before each request from the link's `?lang=`, the page's own language (sent with
each callback), or the browser's Accept-Language, so layouts, callbacks and figures simply call
`t()`, `tn()` and `current_formatter()` and never pass a language around.

Strings defined before any request (tables of terms, page names) are marked with `N_()` for the
catalogue and translated where they are shown, with `t(term)`.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    """One interface language. `review` is "reviewed" once a native speaker has checked the
    catalogue, "draft" until then; the About translations page says which."""

    code: str  # the ?lang= value and <html lang>: a BCP 47 language tag ("fi", "el")
    name: str  # in the language itself ("Suomi"), as the switcher lists it
    english: str  # its English name ("Finnish")
    locale: str  # Babel/CLDR locale for numbers and dates ("fi_FI")
    plotly: str  # plotly.js locale file in assets/ ("fi"); "" for plotly's built-in English
    direction: str = "ltr"  # "rtl" for right-to-left scripts: <html dir> follows
    review: str = "draft"
    reviewed_by: str = ""


@cache
def languages() -> tuple[Language, ...]:
    """Every interface language, in the switcher's order (crosspilot/locale/languages.json)."""
    with open(LOCALE_DIR / "languages.json", encoding="utf-8") as handle:
        entries = json.load(handle)["languages"]
    return tuple(Language(**entry) for entry in entries)


def language(code: str) -> Language:
    """The language `code` names; the default language for an unknown code."""
    by_code = {lang.code: lang for lang in languages()}
    return by_code.get(code) or by_code[DEFAULT_LANGUAGE]


def codes() -> tuple[str, ...]:
    return tuple(lang.code for lang in languages())


def supported(code: object) -> str | None:
    """`code` as one of our language codes ("FI", "fi-FI" and "fi_FI" all give "fi"), else None."""
    if not isinstance(code, str) or not code or len(code) > 35:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in codes() else None


def from_accept_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header we have, by the header's weights."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "")[:1000].split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        code = supported(tag)
        if code and weight > 0:
            ranked.append((-weight, index, code))
    return min(ranked)[2] if ranked else None


class Translator:
    """One language's catalogue: gettext and ngettext over Babel's Translations."""

    def __init__(self, code: str, translations: NullTranslations):
        self.code = code
        self._translations = translations

    @classmethod
    def load(cls, code: str) -> Translator:
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if code == DEFAULT_LANGUAGE or not path.exists():
            return cls(code, NullTranslations())
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=code)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        return cls(code, Translations(compiled, domain=DOMAIN))

    def gettext(self, text: str) -> str:
        return self._translations.gettext(text) if text else text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)


_translators: dict[str, Translator] = {}
_load_lock = threading.Lock()


def translator(code: str | None = None) -> Translator:
    """The Translator of `code` (default: the current language), compiled once per process."""
    code = code or current_language()
    found = _translators.get(code)
    if found is None:
        with _load_lock:
            found = _translators.get(code)
            if found is None:
                found = Translator.load(supported(code) or DEFAULT_LANGUAGE)
                _translators[code] = found
    return found


_current: ContextVar[str | None] = ContextVar("crosspilot_language", default=None)
_default = [DEFAULT_LANGUAGE]  # the app's configured language (CROSSPILOT_LANGUAGE), outside requests


def set_default_language(code: str) -> None:
    """The language used where no request says one (start-up, the command line)."""
    _default[0] = supported(code) or DEFAULT_LANGUAGE


def default_language() -> str:
    return _default[0]


def current_language() -> str:
    return _current.get() or _default[0]


def start_language(code: str) -> Token:
    """Make `code` the current language until `end_language` (a request's before/teardown hooks)."""
    return _current.set(supported(code) or _default[0])


def end_language(token: Token) -> None:
    _current.reset(token)


@contextmanager
def use_language(code: str) -> Iterator[str]:
    """`with use_language("fi"):` everything inside speaks Finnish."""
    token = start_language(code)
    try:
        yield current_language()
    finally:
        end_language(token)


def display_name(code: str) -> str:
    """The name of language `code` in the current language ("englanti" for "en" on a Finnish page)."""
    from babel import Locale, UnknownLocaleError

    try:
        here = Locale.parse(language(current_language()).locale)
        return Locale.parse(code.replace("-", "_")).get_display_name(here) or code
    except (UnknownLocaleError, ValueError):
        return code


def N_(text: str) -> str:
    """Marks `text` for the catalogue where it is defined; `t(text)` translates it where it is shown."""
    return text


def t(text: str, /, **values: object) -> str:
    """`text` in the current language, its `{placeholders}` filled from `values`."""
    translated = translator().gettext(text)
    filled = translated.format(**values) if values else translated
    return Message(filled, text, values) if _keeping.get() else filled


class Message(str):
    """A text t() made while messages are kept (`keeping_messages`: a dataset's report, written once at
    load), remembering its message and values, so that `again` shows it in each reader's language."""

    def __new__(cls, text: str = "", msgid: str = "", values: dict | None = None):
        made = super().__new__(cls, text)
        made.msgid, made.values = msgid or str(text), dict(values or {})
        return made

    def __reduce__(self):  # pickled (background jobs, the cache) with what `again` needs
        return (Message, (str(self), self.msgid, self.values))


_keeping: ContextVar[bool] = ContextVar("crosspilot_keep_messages", default=False)


@contextmanager
def keeping_messages() -> Iterator[None]:
    """Inside, t() returns Messages: texts made now and shown later, in whatever language then."""
    token = _keeping.set(True)
    try:
        yield
    finally:
        _keeping.reset(token)


def again(text: object) -> object:
    """`text` in the current language if t() made it as a Message; anything else as it is."""
    if not isinstance(text, Message):
        return text
    return t(text.msgid, **{k: again(v) for k, v in text.values.items()})


def to_record(text: object) -> object:
    """A Message as plain JSON ({"msgid", "values"}) for a cache file; other text as a string."""
    if isinstance(text, Message):
        return {"msgid": text.msgid, "values": {k: to_record(v) for k, v in text.values.items()}}
    return text if isinstance(text, str | int | float) or text is None else str(text)


def from_record(record: object) -> object:
    """The inverse of `to_record` (the text in the default language until `again` asks)."""
    if isinstance(record, dict) and "msgid" in record:
        values = {k: from_record(v) for k, v in record.get("values", {}).items()}
        msgid = str(record["msgid"])
        try:
            return Message(translator(default_language()).gettext(msgid).format(**values), msgid, values)
        except (KeyError, IndexError, ValueError):
            return msgid
    return record


def tn(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural (by the language's plural rules) for `n`; `{n}` is filled with `n`
    written by the current formatter."""
    from crosspilot.formatting import current_formatter

    translated = translator().ngettext(singular, plural, n)
    return translated.format(n=current_formatter().number(n), **values)


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return t("{first} and {last}", first=", ".join(items[:-1]), last=items[-1])
