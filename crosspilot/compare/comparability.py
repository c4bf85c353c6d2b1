"""Why the plotted values of an indicator should not be read as like for like."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crosspilot.compare.index import BASES, CompareIndex, Indicator
from crosspilot.i18n import t


def _all_hit(found) -> bool:
    return len(found) == 1 and found[0][2]


def not_comparable_reasons(index: CompareIndex, indicators: Sequence[Indicator], cols) -> list[str]:
    """Why the plotted values of an indicator should not be read as like for like.

    From the indicator's definition ("not directly comparable"), from per-value notes that say
    so, and from the values themselves: counted on different bases (single event, cumulative,
    national, planned) or for different groups across pilots. One pilot alone compares with nothing.
    """
    reasons: list[str] = []
    labels = index.lookup["label"]
    plotted = cols["reason"] == 0
    for number, indicator in enumerate(indicators):
        mask = plotted & (cols["indicator"] == number)
        pilots = cols["pilot"][mask]
        if len(np.unique(pilots)) < 2:
            continue
        if indicator.not_comparable:
            reasons.append(t("{label}: {definition}", label=indicator.label, definition=indicator.definition))
        notes = cols["note"][mask]
        flagged = index.note_not_comparable[notes]
        for pilot, note in sorted(set(zip(pilots[flagged].tolist(), notes[flagged].tolist(), strict=True))):
            reasons.append(
                t(
                    "{label}, {pilot}: {note}",
                    label=indicator.label,
                    pilot=labels[pilot],
                    note=index.lookup["note"][note],
                )
            )
        bits = index.bases["note"][notes] | index.bases["period"][cols["rank"][mask]]
        found = []
        for bit, (_, _, text) in enumerate(BASES):
            hit = (bits >> bit) & 1 == 1
            if hit.any():
                found.append((text, np.unique(pilots[hit]), hit.all()))
        if found and not _all_hit(found):
            counted = set().union(*(set(hit.tolist()) for _, hit, _ in found))
            others = np.setdiff1d(np.unique(pilots), np.array(sorted(counted), dtype=pilots.dtype))
            if len(others):
                found.append(("other counts", others, False))
        if len(found) > 1:
            described = "; ".join(
                f"{t(text)} ({', '.join(sorted(labels[p] for p in hit_pilots))})"
                for text, hit_pilots, _ in found
            )
            reasons.append(
                t(
                    "{label}: values are counted on different bases: {bases}",
                    label=indicator.label,
                    bases=described,
                )
            )
        group_codes = np.unique(cols["group"][mask])
        if len(group_codes) > 1:
            names = sorted(index.lookup["group"][g] or t("no group stated") for g in group_codes)
            reasons.append(
                t(
                    "{label}: values refer to different groups ({groups})",
                    label=indicator.label,
                    groups=", ".join(names),
                )
            )
    return reasons
