"""How a pilot is named on every page: one set of labels per snapshot, built once."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

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
