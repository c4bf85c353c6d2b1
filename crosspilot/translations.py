"""Partners' translations of the data's own words: the optional `translations` table (table, id,
field, language, text; data/README.md) checked at load, and a snapshot's tables in one language.

A translation replaces one text cell of one row. Where a language has no translation for a cell, the
original stays, and `Coverage` counts how many cells that is, so a page can say which labels are shown
in the data's own language rather than mixing them silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from crosspilot.contract import NAME_FIELDS, TRANSLATABLE, WORDS
from crosspilot.formatting import PERCENT_UNITS
from crosspilot.i18n import supported, t
from crosspilot.problems import WARNING, Report
from crosspilot.readers import RawTable
from crosspilot.validate import report_rows


@dataclass(frozen=True)
class Coverage:
    """How many of the data's translatable text cells a language has a translation for."""

    translated: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.translated


def check(
    raw: RawTable, frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame], report: Report
) -> pd.Series:
    """Which rows of a translations table can be used; each other row gets a warning naming its row
    and column (a translation never stops a dataset from loading)."""
    ok = pd.Series(True, index=frame.index)
    fields = frame["table"].map(lambda name: TRANSLATABLE.get(name, ("", WORDS.get(name, ())))[1])
    bad_field = ~pd.Series(
        [f in allowed for f, allowed in zip(frame["field"], fields, strict=True)], index=frame.index
    )
    report_rows(
        report,
        raw,
        bad_field & frame["table"].isin([*TRANSLATABLE, *WORDS]),
        "field",
        lambda v: t(
            "{value!r} cannot be translated; a translation gives one of each table's text fields", value=v
        ),
        frame["field"],
        kind="untranslatable field",
        severity=WARNING,
    )
    ok &= ~bad_field
    for name, (id_column, _) in TRANSLATABLE.items():
        rows = frame["table"].eq(name) & ok
        if not rows.any():
            continue
        known = (
            set(tables[name][id_column].astype(str))
            if name in tables and id_column in tables[name]
            else set()
        )
        unknown = rows & ~frame["id"].isin(known)
        report_rows(
            report,
            raw,
            unknown,
            "id",
            lambda v, name=name: t("unknown id {value!r}: no row of {table} has it", value=v, table=name),
            frame["id"],
            kind="unknown translated id",
            severity=WARNING,
        )
        ok &= ~unknown
    foreign = ok & frame["language"].map(lambda code: supported(code) is None)
    report_rows(
        report,
        raw,
        foreign,
        "language",
        lambda v: t("{value!r} is not one of the interface's languages; the row is not shown", value=v),
        frame["language"],
        kind="unknown language",
        severity=WARNING,
    )
    return ok & ~foreign


def words(translations: pd.DataFrame | None, table: str, code: str) -> dict[str, str]:
    """A language's translations of words that belong to no table (`WORDS`: lesson themes): id -> text."""
    if translations is None or not len(translations):
        return {}
    rows = translations[translations["table"].eq(table) & translations["language"].map(supported).eq(code)]
    return dict(zip(rows["id"], rows["text"], strict=True))


def languages_given(translations: pd.DataFrame | None) -> frozenset[str]:
    if translations is None or not len(translations):
        return frozenset()
    return frozenset(filter(None, (supported(code) for code in translations["language"].unique())))


def localise(tables: Mapping[str, pd.DataFrame], code: str) -> tuple[dict[str, pd.DataFrame], Coverage]:
    """The tables with `code`'s translations in place (tables without any are the same objects), and
    how many translatable cells that covers."""
    given = tables.get("translations")
    rows = given[given["language"].map(supported).eq(code)] if given is not None and len(given) else None
    out = dict(tables)
    translated = total = 0
    for name, (id_column, fields) in TRANSLATABLE.items():
        frame = tables.get(name)
        if frame is None or not len(frame) or id_column not in frame:
            continue
        ids = frame[id_column].astype(str)
        mine = rows[rows["table"].eq(name)] if rows is not None else None
        copy = None
        for field in fields:
            if field not in frame:
                continue
            original = frame[field]
            present = original.notna() & original.astype(str).str.strip().ne("")
            if (name, field) in NAME_FIELDS:
                present = present & False  # a name needs no translation; a given one is still used
            if field == "unit":  # "%" and "percent" need none either: the formatter writes them
                present = present & ~original.astype(str).str.strip().str.lower().isin(PERCENT_UNITS)
            total += int(present.sum())
            if mine is None or not len(mine):
                continue
            chosen = mine[mine["field"].eq(field)]
            texts = dict(zip(chosen["id"], chosen["text"], strict=True))
            if not texts:
                continue
            found = ids.map(texts)
            if field == "unit":  # "percent" is written "%" in every language: the formatter knows it
                percent = original.astype(str).str.strip().str.lower().isin(PERCENT_UNITS)
                found = found.where(~percent, "%")
            translated += int((found.notna() & present).sum())
            if copy is None:
                copy = frame.copy()
            copy[field] = found.where(found.notna(), original)
        if copy is not None:
            out[name] = copy
    return out, Coverage(translated, total)
