"""Provenance: where a value comes from, and what a value computed from others rests on.

Every row of the data has a status (`published`, `estimate`, `illustrative`; data/README.md,
"Provenance"). A value *computed* from rows (a network metric or summary sentence, a phase diff, a
comparison across pilots, a share on a lesson page, a roadmap statement) has no status of its own: it
carries its inputs', counted (`Inputs`), and says so in words next to it ("computed from 16 illustrative
of 20 ties"; "computed from published data" when every input is published). A derived value is never
labelled "Published". Tables, charts and CSV exports mark it too: `Inputs.mark` (a symbol, never colour
alone) and the CSV columns of `Inputs.csv_cells`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crosspilot.contract import STATUSES
from crosspilot.formatting import Formatter
from crosspilot.i18n import and_list, t
from crosspilot.vocabulary import term

STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}  # published 0 … illustrative 2
# A derived value's mark, by the weakest status among its inputs: a symbol, so never colour alone.
MARKS = {"published": "", "estimate": "*", "illustrative": "\u2020"}
CSV_COLUMNS = ("computed_from", "inputs_status", "published_inputs", "estimate_inputs", "illustrative_inputs")


def status_of(value: object) -> str:
    """A row's status as the data contract reads it: a known status, else illustrative."""
    return value if isinstance(value, str) and value in STATUS_RANK else "illustrative"


def weakest(statuses: Iterable[object]) -> str:
    """The least sound of several statuses (illustrative beats estimate beats published); illustrative
    when there are none: nothing stated is nothing published."""
    ranks = [STATUS_RANK[status_of(s)] for s in statuses]
    return STATUSES[max(ranks)] if ranks else "illustrative"


@dataclass(frozen=True)
class Count:
    """One kind of input (`noun`: "ties", "stakeholders", "values" …) counted by status."""

    noun: str
    published: int = 0
    estimate: int = 0
    illustrative: int = 0

    @property
    def total(self) -> int:
        return self.published + self.estimate + self.illustrative

    def __add__(self, other: Count) -> Count:
        return Count(
            self.noun,
            self.published + other.published,
            self.estimate + other.estimate,
            self.illustrative + other.illustrative,
        )


@dataclass(frozen=True)
class Inputs:
    """What a derived value is computed from: its inputs counted by status, per kind of input."""

    counts: tuple[Count, ...] = ()

    @classmethod
    def of(cls, statuses: Iterable[object], noun: str) -> Inputs:
        """`statuses` of the inputs of one kind (a missing or unknown status counts as illustrative)."""
        found = dict.fromkeys(STATUSES, 0)
        for status in statuses:
            found[status_of(status)] += 1
        return cls((Count(noun, **found),))

    def __add__(self, other: Inputs) -> Inputs:
        """Both sets of inputs, counts of the same kind added up (first kinds first)."""
        merged: dict[str, Count] = {}
        for count in (*self.counts, *other.counts):
            merged[count.noun] = merged[count.noun] + count if count.noun in merged else count
        return Inputs(tuple(merged.values()))

    def count(self, status: str) -> int:
        return sum(getattr(c, status) for c in self.counts)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counts)

    @property
    def status(self) -> str:
        """The weakest status among the inputs: what the value can be no firmer than."""
        present = [s for s in STATUSES if self.count(s)]
        return present[-1] if present else "illustrative"

    @property
    def mark(self) -> str:
        """ "" when every input is published, "*" with estimates, "†" with illustrative inputs."""
        return MARKS[self.status]

    def marked(self, text: str) -> str:
        """`text` (a value as shown) followed by the mark, if any."""
        return f"{text}\u00a0{self.mark}" if self.mark else text

    def words(self, fmt: Formatter | None = None) -> str:
        """The inputs in words: "computed from 16 illustrative of 20 ties", "computed from published data"."""
        fmt = fmt or Formatter()
        if not self.total:
            return t("computed from no data")
        parts = []
        for c in self.counts:
            if not (c.estimate or c.illustrative):
                continue  # a kind that is all published needs no words: the counts name the others
            noun = term("input" if c.total == 1 else "inputs", c.noun)
            values = dict(
                e=fmt.count(c.estimate), k=fmt.count(c.illustrative), n=fmt.count(c.total), noun=noun
            )
            if c.estimate and c.illustrative:
                parts.append(t("{e} estimated and {k} illustrative of {n} {noun}", **values))
            elif c.illustrative:
                parts.append(t("{k} illustrative of {n} {noun}", **values))
            else:
                parts.append(t("{e} estimated of {n} {noun}", **values))
        if not parts:
            return t("computed from published data")
        return t("computed from {parts}", parts=and_list(parts))

    def csv_cells(self, fmt: Formatter | None = None) -> dict[str, object]:
        """The CSV columns (CSV_COLUMNS) that carry this mark in an export: words, weakest status, counts."""
        return dict(
            zip(
                CSV_COLUMNS,
                (
                    self.words(fmt),
                    self.status,
                    self.count("published"),
                    self.count("estimate"),
                    self.count("illustrative"),
                ),
                strict=True,
            )
        )


def mark_key() -> list[tuple[str, str]]:
    """What the marks mean, for a legend or a table's note: (mark, words)."""
    return [
        (MARKS["illustrative"], t("computed in part from illustrative data, which no source states")),
        (MARKS["estimate"], t("computed in part from estimates or plans")),
    ]


def weakest_words(status: str) -> str:
    """A legend's words for values whose inputs' weakest status is `status` (with its mark)."""
    return {
        "published": t("computed from published data"),
        "estimate": t("computed in part from estimates *"),
        "illustrative": t("computed in part from illustrative data \u2020"),
    }[status_of(status)]
