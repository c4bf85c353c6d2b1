"""Check raw tables against the data contract and turn them into typed frames.

All checks run in one pass and report every problem; nothing here raises on bad data.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from crosspilot.contract import LEVELS, Column, Reference, TableSpec
from crosspilot.countries import EU_ALIASES, ISO_ALPHA2
from crosspilot.i18n import t, tn
from crosspilot.problems import WARNING, Report
from crosspilot.readers import RawTable

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "f", ""})
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def report_rows(
    report: Report,
    raw: RawTable,
    mask: pd.Series | np.ndarray,
    column: str,
    message,
    values: pd.Series | None = None,
    *,
    kind: str,
    severity: str = "error",
) -> None:
    """Report each row where `mask` holds, up to the report's limit, then one summary line."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    shown = positions[: report.max_per_kind]
    for pos in shown:
        value = values.iloc[pos] if values is not None else None
        report.add(
            raw.file,
            message(value),
            where=raw.where(int(pos)),
            column=column,
            severity=severity,
            kind=kind,
        )
    rest = len(positions) - len(shown)
    if rest:
        report.add(
            raw.file,
            t("… and {n} more rows with the same problem ({kind})", n=rest, kind=kind),
            column=column,
            severity=severity,
            kind=kind + " (summary)",
        )


def _text(series: pd.Series) -> pd.Series:
    if series.dtype.kind in "fiub":
        # Parquet numbers used as ids or labels: 2018.0 must read as "2018".
        as_text = series.map(lambda v: "" if pd.isna(v) else (f"{v:g}" if isinstance(v, float) else str(v)))
        return as_text.astype(str)
    return series.fillna("").astype(str).str.strip()


def _numbers(series: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
    """Parsed numbers and the text they came from (for messages)."""
    if series.dtype.kind in "fiu":
        return series.astype(float), series.astype(str)
    text = _text(series)
    cleaned = text.str.replace(_SPACES, "", regex=True)
    if decimal_comma:
        has_comma = cleaned.str.contains(",", regex=False)
        cleaned = cleaned.where(
            ~has_comma, cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        )
    numbers = pd.to_numeric(cleaned, errors="coerce").astype(float)
    numbers = numbers.where(np.isfinite(numbers))
    return numbers, text


def _normal_key(value: str) -> str:
    return re.sub(r"[\s_\-]+", "", value.lower())


def check_column(raw: RawTable, col: Column, series: pd.Series, report: Report) -> pd.Series:
    def flag(mask, kind: str, message, values: pd.Series | None = None, severity: str = "error") -> None:
        report_rows(report, raw, mask, col.name, message, values, kind=kind, severity=severity)

    if col.kind in ("number", "integer"):
        numbers, text = _numbers(series, raw.decimal_comma)
        empty = text.eq("") | text.eq("nan")
        if col.required:
            flag(empty, "empty", lambda v: t("is empty; a number is required"))
        bad = numbers.isna() & ~empty
        # A word where a scale is expected ('high' for a level) gets the scale spelt out.
        hint = "; " + _range_hint(col) if col.kind == "integer" and col.maximum is not None else ""
        flag(bad, "not a number", lambda v: t("{v!r} is not a number", v=v) + hint, text)
        if col.kind == "integer":
            fractional = numbers.notna() & (numbers % 1 != 0)
            flag(fractional, "not whole", lambda v: t("{v!r} is not a whole number", v=v), text)
        if col.minimum is not None or col.maximum is not None:
            low = -np.inf if col.minimum is None else col.minimum
            high = np.inf if col.maximum is None else col.maximum
            out = numbers.notna() & ((numbers < low) | (numbers > high))
            hint = _range_hint(col)
            flag(out, "out of range", lambda v: t("{v} is out of range; {hint}", v=v, hint=hint), text)
        if col.kind == "integer":
            return numbers.round().astype("Int64")
        return numbers

    text = _text(series)
    empty = text.eq("")
    if col.required:
        flag(empty, "empty", lambda v: t("is empty; a value is required"))
    if col.max_length is not None:
        flag(
            text.str.len() > col.max_length,
            "too long",
            lambda v: t(
                "{v!r} has {n} characters; at most {most} fit where it is shown",
                v=v,
                n=len(str(v)),
                most=col.max_length,
            ),
            text,
        )
    if col.kind == "enum":
        canon = {_normal_key(a): a for a in col.allowed}
        # Normalise each distinct value once, not each row: a million rows hold a handful of values.
        lookup = {v: (canon.get(_normal_key(v)) if v else "") for v in text.unique()}
        mapped = text.map(lookup)
        allowed = ", ".join(col.allowed)
        flag(
            mapped.isna(),
            "unknown value",
            lambda v: t("{v!r} is not one of the allowed values: {allowed}", v=v, allowed=allowed),
            text,
        )
        return mapped.fillna("").astype(str)
    if col.kind == "bool":
        lowered = text.str.lower()
        flag(
            ~lowered.isin(TRUE_WORDS | FALSE_WORDS),
            "not a boolean",
            lambda v: t("{v!r} is not true or false (use true/false, yes/no or 1/0)", v=v),
            text,
        )
        return lowered.isin(TRUE_WORDS)
    if col.kind == "country":
        upper = text.str.upper()
        flag(
            upper.isin(list(EU_ALIASES)),
            "EU alias",
            lambda v: t(
                "{v!r} is the EU abbreviation; read as ISO code {iso}",
                v=v,
                iso=EU_ALIASES.get(str(v).upper(), ""),
            ),
            text,
            severity=WARNING,
        )
        upper = upper.replace(EU_ALIASES)
        flag(
            ~upper.isin(ISO_ALPHA2) & ~empty,
            "unknown country",
            lambda v: t("{v!r} is not an ISO 3166 alpha-2 country code (such as FI, GB, PL)", v=v),
            text,
        )
        return upper
    return text


def _range_hint(col: Column) -> str:
    if col.name == "lat":
        return t("a latitude must be between -90 and 90")
    if col.name == "lon":
        return t("a longitude must be between -180 and 180")
    if col.name == "level":
        scale = ", ".join(f"{i} {name}" for i, name in enumerate(LEVELS))
        return t("the level must be 0 to 4 ({scale})", scale=scale)
    if col.maximum is None:
        return t("it must be at least {low}", low=col.minimum)
    return t("it must be between {low} and {high}", low=col.minimum, high=col.maximum)


def check_table(raw: RawTable, spec: TableSpec, report: Report) -> pd.DataFrame | None:
    """The typed frame for `raw`, or None when its columns make it unusable."""
    frame = raw.frame
    missing = [c for c in spec.required_columns if c not in frame.columns]
    if missing:
        found = ", ".join(str(c) for c in frame.columns) or t("none")
        report.add(
            raw.file,
            t(
                "missing required column(s) {missing}; found: {found}",
                missing=", ".join(missing),
                found=found,
            ),
            where=t("line {n}", n=1) if raw.row_word == "line" else "",
        )
        return None
    if frame.empty:
        report.add(
            raw.file, t("has a header but no rows"), severity="error" if spec.name == "pilots" else WARNING
        )
    columns = {}
    for name in frame.columns:
        col = spec.column(name)
        columns[name] = check_column(raw, col, frame[name], report) if col else _text(frame[name])
    for col in spec.columns:
        if col.name not in columns:
            columns[col.name] = empty_column(col, len(frame))
    typed = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
    if "status" in typed.columns and spec.column("status"):
        typed["status"] = _default_status(typed, raw, spec, report)
    return typed


def empty_column(col: Column, length: int) -> pd.Series:
    if col.kind == "number":
        return pd.Series(np.full(length, np.nan), dtype=float)
    if col.kind == "integer":
        return pd.Series([pd.NA] * length, dtype="Int64")
    if col.kind == "bool":
        return pd.Series(np.zeros(length, dtype=bool))
    return pd.Series([""] * length, dtype=str)


def _unsourced(table: str, n: int) -> str:
    if table == "nodes":
        return tn(
            "{n} stakeholder has neither a status nor a source; it is shown as illustrative",
            "{n} stakeholders have neither a status nor a source; they are shown as illustrative",
            n,
        )
    if table == "edges":
        return tn(
            "{n} tie has neither a status nor a source; it is shown as illustrative",
            "{n} ties have neither a status nor a source; they are shown as illustrative",
            n,
        )
    return tn(
        "{n} row has neither a status nor a source; it is shown as illustrative",
        "{n} rows have neither a status nor a source; they are shown as illustrative",
        n,
    )


def _default_status(typed: pd.DataFrame, raw: RawTable, spec: TableSpec, report: Report) -> pd.Series:
    """A row without a status is published when it names a source and illustrative otherwise."""
    status = typed["status"]
    source = next((c.name for c in spec.columns if c.kind == "url"), None)
    # A status that is not an allowed value is already an error: it is not missing.
    given = _text(raw.frame["status"]).ne("").to_numpy() if "status" in raw.frame else False
    blank = status.eq("") & ~np.asarray(given, dtype=bool)
    if not blank.any():
        return status
    has_source = typed[source].ne("") if source else pd.Series(False, index=typed.index)
    unsourced = blank & ~has_source
    if unsourced.any():
        report.warn(
            raw.file,
            _unsourced(spec.name, int(unsourced.sum())),
            column="status",
        )
    return status.mask(blank & has_source, "published").mask(unsourced, "illustrative")


def key_series(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """One string per row for the key `columns` (vectorised: a row-wise join takes minutes at 1M rows)."""
    keys = frame[columns[0]].astype(str)
    for column in columns[1:]:
        keys = keys + "\x1f" + frame[column].astype(str)
    return keys


def check_unique(raw: RawTable, typed: pd.DataFrame, spec: TableSpec, report: Report) -> None:
    if not spec.key:
        return
    keys = key_series(typed, spec.key)
    dup = keys.duplicated(keep="first")
    if not dup.any():
        return
    # Where each repeated key was first given, for the message (only repeated keys are mapped).
    first_given = (~dup & keys.isin(set(keys[dup]))).to_numpy()
    first_pos = dict(zip(keys.to_numpy()[first_given], np.flatnonzero(first_given), strict=True))
    names = ", ".join(spec.key)
    report_rows(
        report,
        raw,
        dup,
        spec.key[-1] if len(spec.key) > 1 and spec.name != "outcomes" else spec.key[0],
        lambda k: t(
            "duplicate {names} {key}; first given at {first}",
            names=names,
            key=" / ".join(repr(p) for p in k.split("\x1f")),
            first=raw.where(first_pos[k]),
        ),
        keys,
        kind="duplicate id",
    )


def check_references(
    raw: RawTable, typed: pd.DataFrame, ref: Reference, known: pd.Index, report: Report
) -> None:
    keys = key_series(typed, ref.columns)
    present = keys.ne("") if len(ref.columns) == 1 else typed[list(ref.columns)].ne("").all(axis=1)
    unknown = present & ~keys.isin(known)
    if not unknown.any():
        return
    column = ref.columns[-1]
    sample = ", ".join(sorted({k.split("\x1f")[-1] for k in known[:200]})[:8])
    what = ref.target_columns[-1]
    if len(ref.columns) > 1:
        message = lambda k: t(
            "{column} {value!r} is not a {what} of pilot {pilot!r} in {target}",
            column=column,
            value=k.split("\x1f")[-1],
            what=what,
            pilot=k.split("\x1f")[0],
            target=ref.target,
        )
    else:
        message = lambda k: t(
            "unknown {what} {value!r}; it is not in {target} (known: {sample})",
            what=what,
            value=k,
            target=ref.target,
            sample=sample or t("none"),
        )
    report_rows(report, raw, unknown, column, message, keys, kind="unknown reference")
