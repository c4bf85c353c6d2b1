"""The Compare page's view: which indicators, pilots, periods and group, in which mode and chart form.

The allowed values come from the dataset (`derived.compare_index`), so a link naming an indicator or a
pilot the data does not have falls back to the default with a notice. Links saved before the list of
indicators (`?indicator=x`, as the workshop told facilitators to save slides) are upgraded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from crosspilot.compare import FORMS, MAX_INDICATORS, MODES, CompareIndex, default_indicators
from crosspilot.i18n import t
from crosspilot.views import base

PATH = "/compare"
MIGRATIONS: tuple[base.Migration, ...] = (base.Rename("indicator", "indicators"),)


@dataclass(frozen=True)
class View:
    indicators: tuple[str, ...]
    pilots: tuple[str, ...] = ()  # empty: every pilot
    periods: tuple[str, str] = ("", "")  # from, to (inclusive); "" leaves that end open
    group: str = ""  # "": every group
    mode: str = "absolute"
    form: str = "dots"


NAMES = tuple(f.name for f in fields(View))


def view_fields(index: CompareIndex) -> list[base.Field]:
    """The URL fields of the Compare page for this dataset (allowed values come from the data)."""
    periods = set(index.periods)

    def parse_periods(value: str) -> tuple[str, str]:
        start, sep, end = value.partition("..")
        start, end = start.strip(), end.strip()
        if not sep or (not start and not end):
            raise ValueError(t("write FROM..TO with known periods"))
        unknown = [p for p in (start, end) if p and p not in periods]
        if unknown:
            raise ValueError(t("unknown: {values}", values=", ".join(unknown)))
        if start and end and index.period_rank[start] > index.period_rank[end]:
            raise ValueError(t("the start comes after the end"))
        return (start, end)

    modes = MODES if index.has_participants else MODES[:-1]
    return [
        base.Field(
            "indicators",
            default_indicators(index),
            base.choices(index.indicators, limit=MAX_INDICATORS),
            base.join,
        ),
        base.Field("pilots", (), base.choices(index.pilot_names), base.join),
        base.Field("periods", ("", ""), parse_periods, lambda p: f"{p[0]}..{p[1]}"),
        base.Field("group", "", base.choice(index.groups)),
        base.Field("mode", "absolute", base.choice(modes)),
        base.Field("form", "dots", base.choice(FORMS)),
    ]


def parse(derived, query: Mapping[str, str]) -> tuple[View, list[str]]:
    """The view a query string asks for (old links upgraded), and notices for every parameter ignored."""
    values, notices = base.parse(query, view_fields(derived.compare_index), MIGRATIONS)
    return View(**values), notices


def to_query(derived, view: View) -> dict[str, str]:
    """Only the non-default parts of `view`, for a short, stable shared link."""
    values = {name: getattr(view, name) for name in NAMES}
    return base.to_query(values, view_fields(derived.compare_index))


def from_controls(derived, **values: Any) -> tuple[View, list[str]]:
    """A view from control values sent by the browser: each checked, bad ones back to defaults.

    `periods` is a (from, to) pair, the lists are lists, the rest strings; empty values mean the default.
    """
    query: dict[str, str] = {}
    for name in NAMES:
        value = values.get(name)
        if value is None or value == "" or value == []:
            continue
        if name == "periods":
            if not isinstance(value, (list, tuple)) or len(value) != 2:
                continue
            start, end = (str(v or "") for v in value)
            if not start and not end:
                continue
            query[name] = f"{start}..{end}"
        elif isinstance(value, (list, tuple)):
            query[name] = ",".join(str(v) for v in value)
        else:
            query[name] = str(value)
    checked, notices = base.parse(query, view_fields(derived.compare_index))
    return View(**checked), notices
