"""Why the plotted values of an indicator should not be read as like for like: one rule, from the data.

Three things make values of one indicator not directly comparable, and each is read from the data,
never guessed from the words of a note:

- **bases**: the values drawn (and, in the change modes, the baselines they are measured from) count
  different things (`basis`: one event, a cumulative total, a national statistic, a plan …). A value
  with no basis counts as "basis not stated" once any drawn value states one;
- **comparability notes**: a drawn value (or its baseline) carries a `comparability_note`, whenever it
  is set against another value (two values drawn, or a change from a baseline);
- **groups**: two pilots' values refer to different groups (a village and a county).

A change from a baseline on another basis is never called better or worse (`transforms.assessments`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crosspilot.compare.index import BASES, CompareIndex, Indicator
from crosspilot.compare.transforms import CHANGE_MODES
from crosspilot.i18n import t
from crosspilot.vocabulary import term


def basis_words() -> np.ndarray:
    """The words of each basis code (positions in `BASES`), and "" for code -1 (a "no data" row)."""
    return np.array([*(term("basis", b) for b in BASES), ""], dtype=object)


def _names(labels: np.ndarray, pilots: np.ndarray) -> str:
    return ", ".join(sorted({str(labels[p]) for p in pilots.tolist()}))


def not_comparable_reasons(
    index: CompareIndex,
    indicators: Sequence[Indicator],
    cols,
    mode: str,
    participants_basis: np.ndarray | None = None,
    form: str = "",
) -> dict[int, list[str]]:
    """Indicator position -> why its plotted values are not directly comparable (none: comparable).

    `participants_basis` (per pilot code, in the per-participant mode) is the basis of the participants
    each value is divided by: divisors counted differently make the ratios differ in kind too."""
    found: dict[int, list[str]] = {}
    labels = index.lookup["label"]
    periods = index.lookup["period"]
    words = basis_words()
    change = mode in CHANGE_MODES or form == "slope"  # a slope draws the change, in any mode
    plotted = cols["reason"] == 0
    for number, indicator in enumerate(indicators):
        mask = plotted & (cols["indicator"] == number)
        if not mask.any():
            continue
        reasons: list[str] = []
        pilots = cols["pilot"][mask]
        basis = cols["basis"][mask]
        baseline_basis = cols["baseline_basis"][mask]
        # Bases of the values drawn; a change from a baseline on another basis is named below.
        kinds = np.unique(basis)
        if len(kinds) > 1 and (kinds > 0).any():
            described = "; ".join(
                f"{words[k]} ({_names(labels, np.unique(pilots[basis == k]))})" for k in kinds.tolist()
            )
            reasons.append(
                t(
                    "{label}: values are counted on different bases: {bases}",
                    label=indicator.label,
                    bases=described,
                )
            )
        if change:
            ranks, baseline_ranks = cols["rank"][mask], cols["baseline_rank"][mask]
            seen = set()
            for position in np.flatnonzero(basis != baseline_basis):
                pilot = int(pilots[position])
                if pilot in seen:
                    continue
                seen.add(pilot)
                reasons.append(
                    t(
                        "{label}, {pilot}: the change runs from {baseline} ({start}) to {basis} ({end}), "
                        "so it is not called better or worse",
                        label=indicator.label,
                        pilot=labels[pilot],
                        baseline=words[baseline_basis[position]],
                        start=periods[baseline_ranks[position]],
                        basis=words[basis[position]],
                        end=periods[ranks[position]],
                    )
                )
        # Comparability notes, once a value is set against another.
        if change or mask.sum() > 1:
            notes = [cols["comparability_note"][mask]]
            if change:
                notes.append(cols["baseline_comparability_note"][mask])
            given = set()
            for codes in notes:
                for pilot, note in zip(pilots.tolist(), codes.tolist(), strict=True):
                    text = index.lookup["comparability_note"][note]
                    if text and (pilot, text) not in given:
                        given.add((pilot, text))
                        reasons.append(
                            t(
                                "{label}, {pilot}: {note}",
                                label=indicator.label,
                                pilot=labels[pilot],
                                note=text,
                            )
                        )
        # Per participant: the divisors, one per pilot, on their own bases.
        if participants_basis is not None and len(np.unique(pilots)) > 1:
            divisors = participants_basis[np.unique(pilots)]
            kinds = np.unique(divisors)
            if len(kinds) > 1 and (kinds > 0).any():
                described = "; ".join(
                    f"{words[k]} ({_names(labels, np.unique(pilots)[divisors == k])})" for k in kinds.tolist()
                )
                reasons.append(
                    t(
                        "{label} per participant: the participants are counted on different bases: {bases}",
                        label=indicator.label,
                        bases=described,
                    )
                )
        # Groups: two pilots' values about different sub-populations or scopes.
        if len(np.unique(pilots)) > 1:
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
        if reasons:
            found[number] = reasons
    return found
