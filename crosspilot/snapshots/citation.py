"""A snapshot's citation, as plain text and as BibTeX: title, date, permanent link, data and software
versions. Pure functions of the record; the date in words comes from the one Formatter."""

from __future__ import annotations

from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.snapshots.store import Record

AUTHOR = "Crosspilot"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# BibTeX's special characters, escaped so a title like "Hull & Turku: 50 % {draft}" stays literal.
_BIBTEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def permanent_link(record: Record, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/s/{record.id}"


def plain(record: Record, base_url: str, fmt: Formatter) -> str:
    return t(
        '{author} ({year}). "{title}". Snapshot of {date}, data version {version}, {author} '
        "{software}. {link}",
        author=AUTHOR,
        year=record.created_at.year,
        title=record.title,
        date=fmt.date(record.created_at),
        version=record.short_version,
        software=record.software_version,
        link=permanent_link(record, base_url),
    )


def _escape(text: str) -> str:
    return "".join(_BIBTEX.get(ch, ch) for ch in text)


def bibtex_key(record: Record) -> str:
    """A key BibTeX and biblatex accept: letters, digits and hyphens only."""
    tail = "".join(ch for ch in record.id if ch.isascii() and ch.isalnum())[:8]
    return f"crosspilot-{record.created_at:%Y%m%d}-{tail}"


def bibtex(record: Record, base_url: str, fmt: Formatter) -> str:
    link = permanent_link(record, base_url)
    note = t(
        "Snapshot of {date}, data version {version}, {author} {software}",
        date=fmt.date(record.created_at),
        version=record.data_version,
        author=AUTHOR,
        software=record.software_version,
    )
    fields = [
        ("title", "{{" + _escape(record.title) + "}}"),  # double braces: BibTeX keeps its capitals
        ("author", "{" + AUTHOR + "}"),
        ("year", str(record.created_at.year)),
        ("month", _MONTHS[record.created_at.month - 1]),
        ("howpublished", r"\url{" + link + "}"),
        ("url", "{" + link + "}"),
        ("note", "{" + _escape(note) + "}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{bibtex_key(record)},\n{body}\n}}"
