"""A lesson against the data: its ids checked, its evidence resolved to pilots, its strength capped.

`LessonIndex` is what resolution needs from one snapshot's tables, built once: the app keeps it on
`Derived.lesson_index`, and loading builds one per dataset.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crosspilot.i18n import t
from crosspilot.lessons.cards import where
from crosspilot.lessons.model import STRENGTHS, Lesson, Resolution
from crosspilot.problems import Report
from crosspilot.provenance import Inputs
from crosspilot.structure import NODE_METRICS, Structure, metric_status


@dataclass(frozen=True)
class LessonIndex:
    """What evidence resolution needs from one snapshot's tables."""

    outcomes: pd.DataFrame
    stories: pd.DataFrame
    rows: Mapping[tuple[str, str], np.ndarray]  # (pilot, indicator) -> outcome row positions (read-only)
    network_status: Mapping[tuple[str, bool], str]  # (pilot, node metric?) -> weakest status
    total_pilots: int
    pilots: frozenset[str]
    indicators: frozenset[str]
    story_ids: frozenset[str]

    @classmethod
    def of(cls, tables: Mapping[str, pd.DataFrame]) -> LessonIndex:
        outcomes = tables["outcomes"]
        # Row positions per (pilot, indicator), grouped by pandas: a Python loop cost 0.5 s at 1M rows.
        # Kept as numpy arrays: as tuples they were a million Python ints (38 MB at 1M rows, in objects
        # whose reference counts a worker's reads would copy out of the pages it shares with the master).
        groups = outcomes.groupby(["pilot_id", "indicator_id"], sort=False, dropna=False).indices
        for positions in groups.values():
            positions.setflags(write=False)
        network_status = {}
        for pilot in set(tables["nodes"]["pilot_id"]):
            for node_metric, metric in ((True, "stakeholders"), (False, "ties")):
                network_status[(pilot, node_metric)] = metric_status(tables, pilot, metric)
        return cls(
            outcomes=outcomes,
            stories=tables["stories"],
            rows=groups,
            network_status=network_status,
            total_pilots=len(tables["pilots"]),
            pilots=frozenset(tables["pilots"]["pilot_id"]),
            indicators=frozenset(tables["indicators"]["indicator_id"]),
            story_ids=frozenset(tables["stories"]["story_id"]),
        )


def _index(source: LessonIndex | Mapping[str, pd.DataFrame]) -> LessonIndex:
    # The tables themselves (tests, one-off scripts) are indexed on the spot; pages pass the app's index.
    return source if isinstance(source, LessonIndex) else LessonIndex.of(source)


def _named_ids(lesson: Lesson) -> Iterator[tuple[str, str, str]]:
    """Every id the lesson names, in the order of its file: (pilot / indicator / story, field, id)."""
    for i, pilot in enumerate(lesson.pilots):
        yield "pilot", f"pilots[{i}]", pilot
    for i, item in enumerate(lesson.evidence.indicators):
        yield "indicator", f"evidence.indicators[{i}].indicator", item.indicator
        for j, pilot in enumerate(item.pilots):
            yield "pilot", f"evidence.indicators[{i}].pilots[{j}]", pilot
    for i, item in enumerate(lesson.evidence.networks):
        yield "pilot", f"evidence.networks[{i}].pilot", item.pilot
    for i, story in enumerate(lesson.evidence.stories):
        yield "story", f"evidence.stories[{i}]", story
    for i, source_item in enumerate(lesson.evidence.sources):
        for j, pilot in enumerate(source_item.pilots):
            yield "pilot", f"evidence.sources[{i}].pilots[{j}]", pilot


def check_references(
    lesson: Lesson, source: LessonIndex | Mapping[str, pd.DataFrame], report: Report
) -> bool:
    """Unknown pilot, indicator and story ids are errors; evidence that finds no data is a warning."""
    index = _index(source)
    before = len(report.errors)

    def unknown(kind: str, value: str, path: str, known: Iterable[str]) -> None:
        hint = difflib.get_close_matches(value, sorted(known), n=1)
        report.add(
            lesson.file,
            t(
                "unknown {kind} id {value!r}{hint}",
                kind=kind,
                value=value,
                hint=t(" (did you mean {h!r}?)", h=hint[0]) if hint else "",
            ),
            where=where(path),
        )

    known = {
        "pilot": (t("pilot"), index.pilots),
        "indicator": (t("indicator"), index.indicators),
        "story": (t("story"), index.story_ids),
    }
    for kind, path, value in _named_ids(lesson):
        label, ids = known[kind]
        if value not in ids:
            unknown(label, value, path, ids)
    if len(report.errors) > before:
        return False

    for i, item in enumerate(lesson.evidence.indicators):
        for pilot in item.pilots:
            if (pilot, item.indicator) not in index.rows:
                report.warn(
                    lesson.file,
                    t(
                        "pilot {pilot!r} has no values for indicator {indicator!r}",
                        pilot=pilot,
                        indicator=item.indicator,
                    ),
                    where=where(f"evidence.indicators[{i}]"),
                )
    for i, item in enumerate(lesson.evidence.networks):
        if (item.pilot, True) not in index.network_status:
            report.warn(
                lesson.file,
                t("pilot {pilot!r} has no network in this dataset", pilot=item.pilot),
                where=where(f"evidence.networks[{i}]"),
            )
    ceiling = supported_strength(resolve(lesson, index), lesson)
    if lesson.strength > ceiling:
        report.add(
            lesson.file,
            t(
                "strength {strength} is more than the evidence supports (at most {ceiling}: {why})",
                strength=lesson.strength,
                ceiling=ceiling,
                why=t(STRENGTHS[ceiling]).lower(),
            ),
            where=where("strength"),
        )
        return False
    return True


def resolve(lesson: Lesson, source: LessonIndex | Mapping[str, pd.DataFrame]) -> Resolution:
    """Which of the lesson's pilots its evidence actually reaches in this dataset."""
    index = _index(source)
    found = [
        index.rows[(p, item.indicator)]
        for item in lesson.evidence.indicators
        for p in item.pilots
        if (p, item.indicator) in index.rows
    ]
    positions = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.intp)  # sorted, once each
    values = index.outcomes.iloc[positions]
    stories = index.stories
    linked_stories = stories[stories["story_id"].isin(lesson.evidence.stories)]
    # Illustrative values and network features are shown, but never count as evidence.
    reached = (
        set(values.loc[values["status"].ne("illustrative"), "pilot_id"])
        | set(linked_stories["pilot_id"])
        | {
            n.pilot
            for n in lesson.evidence.networks
            if index.network_status.get((n.pilot, n.metric in NODE_METRICS), "illustrative") != "illustrative"
        }
        | {p for s in lesson.evidence.sources for p in s.pilots}
    )
    return Resolution(
        total_pilots=index.total_pilots,
        evidenced=tuple(p for p in lesson.pilots if p in reached),
        claimed_only=tuple(p for p in lesson.pilots if p not in reached),
        values=values,
        stories=linked_stories,
        has_published_values=bool(len(values) and values["status"].eq("published").any()),
        has_evaluation=any(s.kind == "evaluation" for s in lesson.evidence.sources),
    )


def supported_strength(resolution: Resolution, lesson: Lesson) -> int:
    """The highest strength the evidence allows (the README's table); authors may rate lower."""
    if not lesson.evidence.sources:
        return 0
    n = resolution.n
    figures = resolution.has_published_values
    if n >= 3 and figures and resolution.has_evaluation:
        return 4
    if n >= 2 and (figures or resolution.has_evaluation):
        return 3
    if n >= 2:
        return 2
    return 1


def evidence_inputs(
    lesson: Lesson, source: LessonIndex | Mapping[str, pd.DataFrame], structures: Mapping[str, Structure]
) -> Inputs:
    """What a lesson's data evidence is computed from: its indicator values, and the stakeholders and
    ties of each network feature it cites, counted by status (crosspilot.provenance). Empty for a lesson
    that rests on its sources and stories alone."""
    values = resolve(lesson, source).values["status"] if lesson.evidence.indicators else ()
    inputs = Inputs.of(values, "values")
    uses_ties: dict[str, bool] = {}  # each pilot's network counted once, however many features cite it
    for item in lesson.evidence.networks:
        uses_ties[item.pilot] = uses_ties.get(item.pilot, False) or item.metric not in NODE_METRICS
    for pilot, ties in uses_ties.items():
        found = structures.get(pilot)
        if found is not None:
            inputs = inputs + (found.stakeholders + found.ties if ties else found.stakeholders)
    return Inputs(tuple(c for c in inputs.counts if c.total))
