"""Lesson cards: Markdown files with a YAML front matter, parsed, checked against the data and rated.

A lesson claims something across pilots and carries its evidence: indicator values, network
features, stories and sources. `lessons/README.md` documents the format, the strength levels
(0–4, in the spirit of the EEF toolkit's evidence padlocks) and the status rules; keep it in step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from crosspilot.contract import STAGES
from crosspilot.i18n import t
from crosspilot.problems import Report
from crosspilot.structure import METRICS, NODE_METRICS, metric_status

STATUSES = ("draft", "under_validation", "validated", "contested", "revised")
STATUS_LABELS = {
    "draft": "Draft",
    "under_validation": "Under validation",
    "validated": "Validated",
    "contested": "Contested",
    "revised": "Revised",
}
# The CoSIE roadmap to co-creation's three headings.
ROADMAP = {"the_system": "The System", "catalysts": "Catalysts", "ethical_compass": "Ethical Compass"}
GOVERNANCE_ASPECTS = (*STAGES, "co-governance", "lead-sector", "citizens-role", "network-structure")
SOURCE_KINDS = ("project", "report", "evaluation", "publication", "story", "news")
STRENGTHS = {
    0: "Not yet evidenced",
    1: "One pilot or one source",
    2: "Several pilots",
    3: "Several pilots, with published figures or an evaluation",
    4: "Tested across pilots",
}
FIELDS = (
    "id",
    "title",
    "summary",
    "themes",
    "pilots",
    "governance",
    "roadmap",
    "evidence",
    "strength",
    "status",
    "history",
)
_REQUIRED = ("id", "title", "summary", "roadmap", "strength", "status")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
_MAX_BYTES = 256 * 1024
LESSON_PREFIX = "lesson:"


def governance_item_id(pilot_id: str) -> str:
    """The id workshops use for a pilot's governance model."""
    return f"governance:{pilot_id}"


@dataclass(frozen=True)
class StatusChange:
    status: str
    date: str  # ISO date or date-time
    reason: str = ""
    by: str = ""
    via: str = "card"  # "card" (written in the lesson file) or "workshop" (a recorded decision)
    outcome: str = ""  # a workshop's own word when it is not a lesson status (e.g. needs_evidence)


@dataclass(frozen=True)
class IndicatorEvidence:
    indicator: str
    pilots: tuple[str, ...]


@dataclass(frozen=True)
class NetworkEvidence:
    pilot: str
    metric: str


@dataclass(frozen=True)
class Source:
    url: str
    note: str = ""
    kind: str = "project"
    quote: str = ""  # verbatim from the source only
    pilots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    indicators: tuple[IndicatorEvidence, ...] = ()
    networks: tuple[NetworkEvidence, ...] = ()
    stories: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    summary: str
    body: str
    themes: tuple[str, ...]
    pilots: tuple[str, ...]
    governance: tuple[str, ...]
    roadmap: str
    evidence: Evidence
    strength: int
    status: str
    history: tuple[StatusChange, ...] = ()
    file: str = ""

    @property
    def item_id(self) -> str:
        return LESSON_PREFIX + self.id


@dataclass(frozen=True)
class Resolution:
    """What a lesson's evidence points at in one snapshot."""

    total_pilots: int
    evidenced: tuple[str, ...]  # the lesson's pilots with at least one piece of evidence that resolves
    claimed_only: tuple[str, ...]  # the lesson's pilots with none yet
    values: pd.DataFrame  # outcome rows of the linked indicators for the linked pilots
    stories: pd.DataFrame
    has_published_values: bool = False
    has_evaluation: bool = False

    @property
    def n(self) -> int:
        return len(self.evidenced)


# --- parsing -------------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts), or None when there is no front matter."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]).strip(), number + 2
    return None


def parse_lesson(text: str, file: str, report: Report) -> Lesson | None:
    """One lesson from the text of its file; every problem goes to `report`, named by file and field."""
    parts = split_front_matter(text)
    if parts is None:
        report.add(
            file, t("has no front matter: start the file with a line '---', the YAML fields, then '---'")
        )
        return None
    front, body, _ = parts
    try:
        # The C build of PyYAML's safe loader when there is one: the same safe subset, ten times faster.
        data = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = t("line {n}", n=mark.line + 2) if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        report.add(file, t("the front matter is not valid YAML: {problem}", problem=problem), where=where)
        return None
    if not isinstance(data, dict):
        report.add(file, t("the front matter must be a set of 'field: value' lines"))
        return None
    problems_before = len(report.errors)
    checker = _Fields(file, report)
    for name in sorted(set(map(str, data)) - set(FIELDS)):
        report.warn(
            file,
            t("unknown field ignored (known fields: {known})", known=", ".join(FIELDS)),
            where=checker.at(name),
        )
    for name in _REQUIRED:
        if data.get(name) in (None, ""):
            report.add(file, t("missing required field"), where=checker.at(name))
    lesson_id = checker.ident(data.get("id"), "id")
    expected = Path(file).stem
    if lesson_id and lesson_id != expected:
        report.add(
            file,
            t("the id {id!r} differs from the file name; name the file {id}.md", id=lesson_id),
            where=checker.at("id"),
        )
    lesson = Lesson(
        id=lesson_id or expected,
        title=checker.text(data.get("title"), "title"),
        summary=checker.text(data.get("summary"), "summary"),
        body=body,
        themes=checker.idlist(data.get("themes"), "themes"),
        pilots=checker.idlist(data.get("pilots"), "pilots"),
        governance=checker.enumlist(data.get("governance"), "governance", GOVERNANCE_ASPECTS),
        roadmap=checker.enum(data.get("roadmap"), "roadmap", tuple(ROADMAP)),
        evidence=checker.evidence(data.get("evidence")),
        strength=checker.strength(data.get("strength")),
        status=checker.enum(data.get("status"), "status", STATUSES),
        history=checker.history(data.get("history")),
        file=file,
    )
    if len(report.errors) > problems_before:
        return None
    _check_status_rules(lesson, report)
    return lesson


class _Fields:
    """Checks one front matter field by field, reporting each problem under `field <path>`."""

    def __init__(self, file: str, report: Report):
        self.file, self.report = file, report

    def at(self, path: str) -> str:
        return t("field {path}", path=path)

    def bad(self, path: str, message: str) -> None:
        self.report.add(self.file, message, where=self.at(path))

    def text(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.bad(path, t("must be text"))
            return ""
        return str(value).strip()

    def ident(self, value: Any, path: str) -> str:
        text = self.text(value, path)
        if text and not _ID.match(text):
            self.bad(
                path, t("{value!r} is not an id: use lower-case letters, digits, '-' and '_'", value=text)
            )
            return ""
        return text

    def idlist(self, value: Any, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.bad(path, t("must be a list, e.g. [a, b]"))
            return ()
        items = [self.ident(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return tuple(dict.fromkeys(i for i in items if i))

    def enum(self, value: Any, path: str, allowed: Sequence[str]) -> str:
        text = self.text(value, path)
        if text and text not in allowed:
            self.bad(
                path,
                t("{value!r} is not allowed; use one of: {allowed}", value=text, allowed=", ".join(allowed)),
            )
            return ""
        return text

    def enumlist(self, value: Any, path: str, allowed: Sequence[str]) -> tuple[str, ...]:
        items = self.idlist(value, path)
        return tuple(self.enum(v, f"{path}[{i}]", allowed) or v for i, v in enumerate(items))

    def strength(self, value: Any) -> int:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value not in STRENGTHS:
            self.bad(
                "strength", t("{value!r} is not a strength; use a whole number from 0 to 4", value=value)
            )
            return 0
        return value

    def date(self, value: Any, path: str) -> str:
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        text = self.text(value, path)
        try:
            return (
                dt.datetime.fromisoformat(text).date().isoformat()
                if len(text) <= 10
                else dt.datetime.fromisoformat(text).isoformat()
            )
        except ValueError:
            self.bad(path, t("{value!r} is not a date; write it as YYYY-MM-DD", value=text))
            return ""

    def history(self, value: Any) -> tuple[StatusChange, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.bad("history", t("must be a list of status changes"))
            return ()
        changes = []
        for i, entry in enumerate(value):
            path = f"history[{i}]"
            if not isinstance(entry, dict):
                self.bad(path, t("must have status, date, reason and by"))
                continue
            status = self.enum(entry.get("status"), f"{path}.status", STATUSES)
            if not entry.get("status"):
                self.bad(f"{path}.status", t("missing required field"))
            date = self.date(entry.get("date"), f"{path}.date")
            changes.append(
                StatusChange(
                    status=status,
                    date=date,
                    reason=self.text(entry.get("reason"), f"{path}.reason"),
                    by=self.text(entry.get("by"), f"{path}.by"),
                )
            )
        return tuple(changes)

    def evidence(self, value: Any) -> Evidence:
        if value is None:
            return Evidence()
        if not isinstance(value, dict):
            self.bad("evidence", t("must have indicators, networks, stories and sources"))
            return Evidence()
        for name in sorted(set(map(str, value)) - {"indicators", "networks", "stories", "sources"}):
            self.report.warn(self.file, t("unknown field ignored"), where=self.at(f"evidence.{name}"))
        indicators = []
        for i, item in enumerate(self._list(value.get("indicators"), "evidence.indicators")):
            path = f"evidence.indicators[{i}]"
            if not isinstance(item, dict) or not item.get("indicator"):
                self.bad(
                    path, t("needs an indicator id and the pilots, e.g. {{indicator: ideas, pilots: [voru]}}")
                )
                continue
            indicators.append(
                IndicatorEvidence(
                    self.ident(item["indicator"], f"{path}.indicator"),
                    self.idlist(item.get("pilots"), f"{path}.pilots"),
                )
            )
        networks = []
        for i, item in enumerate(self._list(value.get("networks"), "evidence.networks")):
            path = f"evidence.networks[{i}]"
            if not isinstance(item, dict) or not item.get("pilot") or not item.get("metric"):
                self.bad(
                    path, t("needs a pilot and a metric, e.g. {{pilot: hull, metric: citizen_tie_share}}")
                )
                continue
            networks.append(
                NetworkEvidence(
                    self.ident(item["pilot"], f"{path}.pilot"),
                    self.enum(item["metric"], f"{path}.metric", tuple(METRICS)),
                )
            )
        sources = []
        for i, item in enumerate(self._list(value.get("sources"), "evidence.sources")):
            path = f"evidence.sources[{i}]"
            if isinstance(item, str):
                item = {"url": item}
            if not isinstance(item, dict) or not item.get("url"):
                self.bad(path, t("needs a url"))
                continue
            url = self.text(item["url"], f"{path}.url")
            if not url.startswith(("https://", "http://")):
                self.bad(f"{path}.url", t("{value!r} is not a web address (http:// or https://)", value=url))
            sources.append(
                Source(
                    url=url,
                    note=self.text(item.get("note"), f"{path}.note"),
                    kind=self.enum(item.get("kind") or "project", f"{path}.kind", SOURCE_KINDS) or "project",
                    quote=self.text(item.get("quote"), f"{path}.quote"),
                    pilots=self.idlist(item.get("pilots"), f"{path}.pilots"),
                )
            )
        return Evidence(
            indicators=tuple(indicators),
            networks=tuple(networks),
            stories=self.idlist(value.get("stories"), "evidence.stories"),
            sources=tuple(sources),
        )

    def _list(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(path, t("must be a list"))
            return []
        return value


def _check_status_rules(lesson: Lesson, report: Report) -> None:
    """The history ends in the current status, runs forward in time, and a decision says why."""
    where = t("field {path}", path="history")
    if lesson.history:
        if lesson.history[-1].status != lesson.status:
            report.add(
                lesson.file,
                t(
                    "the last status change is {last!r} but the status is {status!r}; "
                    "add a history entry for the current status",
                    last=lesson.history[-1].status,
                    status=lesson.status,
                ),
                where=where,
            )
        dates = [c.date for c in lesson.history]
        if dates != sorted(dates):
            report.add(lesson.file, t("the status changes must be in date order, oldest first"), where=where)
    decided = ("validated", "contested", "revised")
    if lesson.status in decided:
        last = lesson.history[-1] if lesson.history else None
        if last is None or not last.reason or not last.by:
            report.add(
                lesson.file,
                t(
                    "a {status} lesson needs a history entry that says who decided it, when and why",
                    status=lesson.status,
                ),
                where=where,
            )
    if lesson.status == "validated" and not lesson.evidence.sources:
        report.add(
            lesson.file,
            t("a validated lesson needs at least one source"),
            where=t("field {path}", path="evidence.sources"),
        )


# --- checking against the data -------------------------------------------------------------------


def check_references(lesson: Lesson, tables: Mapping[str, pd.DataFrame], report: Report) -> bool:
    """Unknown pilot, indicator and story ids are errors; evidence that finds no data is a warning."""
    index = _index(tables)
    pilots, indicators, story_ids = index.pilots, index.indicators, index.stories
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
            where=t("field {path}", path=path),
        )

    for i, pilot in enumerate(lesson.pilots):
        if pilot not in pilots:
            unknown(t("pilot"), pilot, f"pilots[{i}]", pilots)
    for i, item in enumerate(lesson.evidence.indicators):
        if item.indicator not in indicators:
            unknown(t("indicator"), item.indicator, f"evidence.indicators[{i}].indicator", indicators)
        for j, pilot in enumerate(item.pilots):
            if pilot not in pilots:
                unknown(t("pilot"), pilot, f"evidence.indicators[{i}].pilots[{j}]", pilots)
    for i, item in enumerate(lesson.evidence.networks):
        if item.pilot not in pilots:
            unknown(t("pilot"), item.pilot, f"evidence.networks[{i}].pilot", pilots)
    for i, story in enumerate(lesson.evidence.stories):
        if story not in story_ids:
            unknown(t("story"), story, f"evidence.stories[{i}]", story_ids)
    for i, source in enumerate(lesson.evidence.sources):
        for j, pilot in enumerate(source.pilots):
            if pilot not in pilots:
                unknown(t("pilot"), pilot, f"evidence.sources[{i}].pilots[{j}]", pilots)
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
                    where=t("field {path}", path=f"evidence.indicators[{i}]"),
                )
    for i, item in enumerate(lesson.evidence.networks):
        if (item.pilot, True) not in index.network_status:
            report.warn(
                lesson.file,
                t("pilot {pilot!r} has no network in this dataset", pilot=item.pilot),
                where=t("field {path}", path=f"evidence.networks[{i}]"),
            )
    resolution = resolve(lesson, tables)
    ceiling = supported_strength(resolution, lesson)
    if lesson.strength > ceiling:
        report.add(
            lesson.file,
            t(
                "strength {strength} is more than the evidence supports (at most {ceiling}: {why})",
                strength=lesson.strength,
                ceiling=ceiling,
                why=t(STRENGTHS[ceiling]).lower(),
            ),
            where=t("field {path}", path="strength"),
        )
        return False
    return True


@dataclass(frozen=True)
class _Index:
    """What evidence resolution needs from the tables, computed once per snapshot."""

    tables: Mapping[str, pd.DataFrame]  # held, so the cache key (its id) cannot be reused meanwhile
    rows: Mapping[tuple[str, str], tuple[int, ...]]  # (pilot, indicator) -> outcome row positions
    network_status: Mapping[tuple[str, bool], str]  # (pilot, node metric?) -> weakest status
    total_pilots: int
    pilots: frozenset[str]
    indicators: frozenset[str]
    stories: frozenset[str]


_INDEXES: dict[int, _Index] = {}


def _index(tables: Mapping[str, pd.DataFrame]) -> _Index:
    found = _INDEXES.get(id(tables))
    if found is not None and found.tables is tables:
        return found
    outcomes = tables["outcomes"]
    rows: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(zip(outcomes["pilot_id"], outcomes["indicator_id"], strict=True)):
        rows.setdefault(key, []).append(position)
    network_status = {}
    for pilot in set(tables["nodes"]["pilot_id"]):
        for node_metric, metric in ((True, "stakeholders"), (False, "ties")):
            network_status[(pilot, node_metric)] = metric_status(tables, pilot, metric)
    index = _Index(
        tables,
        {k: tuple(v) for k, v in rows.items()},
        network_status,
        total_pilots=len(tables["pilots"]),
        pilots=frozenset(tables["pilots"]["pilot_id"]),
        indicators=frozenset(tables["indicators"]["indicator_id"]),
        stories=frozenset(tables["stories"]["story_id"]),
    )
    if len(_INDEXES) >= 8:  # a few snapshots at most live in one process (tests make several)
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[id(tables)] = index
    return index


def resolve(lesson: Lesson, tables: Mapping[str, pd.DataFrame]) -> Resolution:
    """Which of the lesson's pilots its evidence actually reaches in this dataset."""
    index = _index(tables)
    outcomes, stories = tables["outcomes"], tables["stories"]
    positions = sorted(
        {
            i
            for item in lesson.evidence.indicators
            for p in item.pilots
            for i in index.rows.get((p, item.indicator), ())
        }
    )
    values = outcomes.iloc[positions]
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
    evidenced = tuple(p for p in lesson.pilots if p in reached)
    return Resolution(
        total_pilots=index.total_pilots,
        evidenced=evidenced,
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


# --- loading -------------------------------------------------------------------------------------


def lessons_folder(data_dir: Path, bundled: Path) -> Path | None:
    """A dataset's own `lessons/`; for the bundled CoSIE data, the repository's `lessons/`."""
    own = Path(data_dir) / "lessons"
    if own.is_dir():
        return own
    try:
        if Path(data_dir).resolve() == Path(bundled).resolve():
            top = Path(bundled).resolve().parent.parent / "lessons"
            return top if top.is_dir() else None
    except OSError:
        return None
    return None


def lesson_files(folder: Path | None) -> list[Path]:
    if folder is None:
        return []
    return [
        p
        for p in sorted(folder.glob("*.md"))
        if p.is_file() and not p.name.lower().startswith("readme") and not p.name.startswith(".")
    ]


def load_lessons(
    files: Iterable[Path], tables: Mapping[str, pd.DataFrame] | None, report: Report
) -> tuple[Lesson, ...]:
    """Parse and check every lesson file; only sound lessons are returned, in file order.

    `tables` None skips the checks against the data (used when the tables themselves have errors).
    """
    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    for path in files:
        file = f"lessons/{path.name}"
        size = path.stat().st_size
        if size > _MAX_BYTES:
            report.add(
                file, t("is larger than {kb} KB; a lesson card is a page of text", kb=_MAX_BYTES // 1024)
            )
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            report.add(file, t("is not UTF-8 text; save it as UTF-8"))
            continue
        lesson = parse_lesson(text, file, report)
        if lesson is None:
            continue
        if lesson.id in seen:
            report.add(
                file,
                t("the id {id!r} is used by {other} too", id=lesson.id, other=seen[lesson.id]),
                where=t("field {path}", path="id"),
            )
            continue
        seen[lesson.id] = file
        if tables is not None and not check_references(lesson, tables, report):
            continue
        lessons.append(lesson)
    return tuple(lessons)


# --- status and decisions ------------------------------------------------------------------------


def _get(decision: Any, key: str) -> Any:
    return decision.get(key) if isinstance(decision, Mapping) else getattr(decision, key, None)


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value or "")


# Workshop outcomes that are not lesson statuses keep the lesson under validation; the history
# still shows the workshop's own word.
WORKSHOP_OUTCOMES = {"context_specific": "under_validation", "needs_evidence": "under_validation"}
OUTCOME_LABELS = {"context_specific": "Context-specific", "needs_evidence": "Needs evidence"}


def effective_status(item: Any, decisions: Iterable[Any] = ()) -> tuple[str, tuple[StatusChange, ...]]:
    """The status after the workshop decisions about `item` (a lesson or a governance model), and the
    full history: the card's own changes, then the decisions in time order.

    A decision is an object or dict with item_id, status, reason, decided_by, decided_at. Decisions
    for other items or with an unknown status are ignored; the Workshop's `context_specific` and
    `needs_evidence` keep the lesson under validation (`StatusChange.outcome` keeps the word).
    A lesson's decisions may name it as 'lesson:<id>' or by its bare id.
    """
    ids = {item.item_id}
    if isinstance(item, Lesson):
        ids.add(item.id)
    recorded = []
    for order, decision in enumerate(decisions or ()):
        outcome = _get(decision, "status")
        status = WORKSHOP_OUTCOMES.get(outcome, outcome)
        if _get(decision, "item_id") not in ids or status not in STATUSES:
            continue
        when = _when(_get(decision, "decided_at"))
        recorded.append(
            (
                when,
                order,
                StatusChange(
                    status=status,
                    date=when,
                    reason=str(_get(decision, "reason") or ""),
                    by=str(_get(decision, "decided_by") or ""),
                    via="workshop",
                    outcome="" if outcome == status else outcome,
                ),
            )
        )
    recorded.sort(key=lambda r: (r[0], r[1]))
    history = tuple(item.history) + tuple(change for _, _, change in recorded)
    return (history[-1].status if recorded else item.status), history


def status_label(status: str) -> str:
    return t(STATUS_LABELS.get(status, status))


def strength_label(strength: int) -> str:
    return t(STRENGTHS.get(strength, ""))


@dataclass(frozen=True)
class Filters:
    themes: tuple[str, ...] = ()
    pilots: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    min_strength: int = 0


def filter_lessons(
    lessons: Iterable[Lesson], filters: Filters, statuses: Mapping[str, str] | None = None
) -> list[Lesson]:
    """Lessons matching every filter; `statuses` maps lesson id to its effective status."""
    statuses = statuses or {}
    chosen = []
    for lesson in lessons:
        status = statuses.get(lesson.id, lesson.status)
        if filters.themes and not set(filters.themes) & set(lesson.themes):
            continue
        if filters.pilots and not set(filters.pilots) & set(lesson.pilots):
            continue
        if filters.statuses and status not in filters.statuses:
            continue
        if lesson.strength < filters.min_strength:
            continue
        chosen.append(lesson)
    return chosen


def all_themes(lessons: Iterable[Lesson]) -> list[str]:
    return sorted({theme for lesson in lessons for theme in lesson.themes})


def theme_label(theme: str) -> str:
    return theme.replace("_", " ").replace("-", " ").capitalize()
