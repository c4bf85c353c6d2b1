"""How a pilot is named on every page: one set of labels per snapshot, built once."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crosspilot.countries import country_name


def map_label(place: str, country: str) -> str:
    """A short label: the place up to any bracket or note, else the country."""
    short = re.split(r"[(;,]", place or "", maxsplit=1)[0].strip()
    return short if short and len(short) <= 26 else country_name(country)


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


@dataclass(frozen=True)
class PilotLabels:
    """`short[p]`: the pilots table's `short_name`, else the place as partners say it ("Hull",
    "Hungary"), made unique with the id when two pilots share one; `name[p]`: the service ("My
    Direction"); `long[p]`: "Hull: My Direction". Every pilot id of the table is a key, in the table's
    order. Charts and tables where room is short (All pilots compared, small multiples) use `short`."""

    short: Mapping[str, str]
    name: Mapping[str, str]
    long: Mapping[str, str]

    @classmethod
    def of(cls, pilots: pd.DataFrame | None) -> PilotLabels:
        short: dict[str, str] = {}
        name: dict[str, str] = {}
        if pilots is not None and "pilot_id" in pilots:
            columns = {
                c: pilots[c] if c in pilots else [None] * len(pilots)
                for c in ("place", "country", "name", "short_name")
            }
            for pid, place, country, title, given in zip(
                pilots["pilot_id"],
                columns["place"],
                columns["country"],
                columns["name"],
                columns["short_name"],
                strict=True,
            ):
                pid = _cell(pid)
                place, country = _cell(place), _cell(country)
                default = map_label(place, country) if place or country else (_cell(title) or pid)
                short[pid] = _cell(given) or default
                name[pid] = _cell(title) or pid
        counts = Counter(short.values())
        short = {p: f"{label} ({p})" if counts[label] > 1 else label for p, label in short.items()}
        long = {p: label if name[p] in (label, p) else f"{label}: {name[p]}" for p, label in short.items()}
        return cls(short=short, name=name, long=long)

    def __call__(self, pilot_id: str) -> str:
        """The short label of `pilot_id`, or the id itself for a pilot the table does not know."""
        return self.short.get(pilot_id, pilot_id)


# A card lists a pilot's values; beyond this many it lists the latest value of each indicator, up to
# this many indicators, and sends the reader to Compare for the rest (a card never grows with rows).
CARD_FIGURES = 12


@dataclass(frozen=True)
class CardFigures:
    rows: pd.DataFrame  # the outcome rows the card lists
    total: int  # the pilot's outcome rows in all
    indicators: int  # the pilot's indicators in all


def card_figures(outcomes: pd.DataFrame) -> dict[str, CardFigures]:
    """What each pilot's card lists, in a few vectorised passes over the outcomes (1,000,000 rows:
    a fraction of a second): all of a pilot's rows when they are few, else each indicator's latest."""
    if not len(outcomes):
        return {}
    pilot, pilots = pd.factorize(outcomes["pilot_id"], sort=False)
    indicator, _ = pd.factorize(outcomes["indicator_id"], sort=True)
    period, periods = pd.factorize(outcomes["period"], sort=False)
    from crosspilot.compare import period_key

    in_time = sorted(range(len(periods)), key=lambda i: period_key(str(periods[i])))
    rank_of = np.empty(len(periods), dtype=np.int64)
    rank_of[in_time] = np.arange(len(periods))
    rank = rank_of[period]
    totals = np.bincount(pilot, minlength=len(pilots))
    pair = pilot.astype(np.int64) * (indicator.max() + 1) + indicator
    by_pair = np.lexsort((rank, pair))
    ends = np.r_[pair[by_pair][1:] != pair[by_pair][:-1], True]
    latest = by_pair[ends]  # one row per (pilot, indicator): its latest period, by pilot then indicator
    indicators = np.bincount(pilot[latest], minlength=len(pilots))
    by_pilot = np.argsort(pilot, kind="stable")  # every row, grouped by pilot, in the file's order
    starts = np.r_[0, np.cumsum(totals)]
    latest_starts = np.r_[0, np.cumsum(indicators)]
    chosen = []
    for code in range(len(pilots)):
        if totals[code] <= CARD_FIGURES:
            chosen.append(by_pilot[starts[code] : starts[code + 1]])
        else:
            chosen.append(latest[latest_starts[code] : latest_starts[code + 1]][:CARD_FIGURES])
    rows = outcomes.iloc[np.concatenate(chosen)]  # one take: the frame's columns are Arrow arrays
    ends = np.cumsum([len(c) for c in chosen])
    return {
        str(pilot_id): CardFigures(rows.iloc[end - len(c) : end], int(totals[code]), int(indicators[code]))
        for code, (pilot_id, c, end) in enumerate(zip(pilots, chosen, ends, strict=True))
    }
