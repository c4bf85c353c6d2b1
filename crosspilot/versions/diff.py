"""What an upload changes against the served version: rows added, changed and removed per table (by
each table's key), and per pilot's network the actors and ties added, removed and changed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crosspilot.contract import TABLE_ORDER, TABLES

# Ties have no key in the contract: these say which tie a row is (a repeat gets its occurrence number).
TIE_KEY = ("pilot_id", "source", "target", "relation", "phase")


@dataclass(frozen=True)
class Change:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class Diff:
    tables: dict[str, Change]  # every table of the contract, in its order
    actors: dict[str, Change]  # per pilot with a change
    ties: dict[str, Change]

    @property
    def any(self) -> bool:
        return any(c.any for c in self.tables.values())

    def as_dict(self) -> dict:
        def plain(changes):
            return {k: [c.added, c.changed, c.removed] for k, c in changes.items()}

        return {"tables": plain(self.tables), "actors": plain(self.actors), "ties": plain(self.ties)}


def _keyed(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    text = frame.astype(object).where(frame.notna(), "").astype(str)
    if not len(text.columns):
        return text
    key = tuple(k for k in key if k in text.columns) or tuple(text.columns)
    text = text.copy()
    text["__n"] = text.groupby(list(key), sort=False).cumcount().astype(str)
    return text.set_index([*key, "__n"])


def _rows(old: pd.DataFrame, new: pd.DataFrame, key: tuple[str, ...]) -> tuple[pd.Index, pd.Index, pd.Index]:
    """(added, changed, removed) keys of `new` against `old`."""
    a, b = _keyed(old, key), _keyed(new, key)
    added = b.index.difference(a.index)
    removed = a.index.difference(b.index)
    both = a.index.intersection(b.index)
    columns = sorted(set(a.columns) | set(b.columns))
    left = a.reindex(index=both, columns=columns, fill_value="")
    right = b.reindex(index=both, columns=columns, fill_value="")
    changed = both[(left.to_numpy() != right.to_numpy()).any(axis=1)] if len(both) else both
    return added, changed, removed


def _per_pilot(added, changed, removed) -> dict[str, Change]:
    counts: dict[str, list[int]] = {}
    for i, keys in enumerate((added, changed, removed)):
        for k in keys:
            counts.setdefault(str(k[0]), [0, 0, 0])[i] += 1
    return {p: Change(*c) for p, c in sorted(counts.items())}


def diff(old, new) -> Diff:
    """`new` (a Snapshot) against `old` (the served Snapshot)."""
    tables, actors, ties = {}, {}, {}
    for name in TABLE_ORDER:
        key = TABLES[name].key or TIE_KEY
        a = old.tables.get(name, pd.DataFrame())
        b = new.tables.get(name, pd.DataFrame())
        added, changed, removed = _rows(a, b, key)
        tables[name] = Change(len(added), len(changed), len(removed))
        if name == "nodes":
            actors = _per_pilot(added, changed, removed)
        elif name == "edges":
            ties = _per_pilot(added, changed, removed)
    return Diff(tables, actors, ties)
