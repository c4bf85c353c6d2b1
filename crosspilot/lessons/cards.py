"""Reading a lesson card: the YAML front matter, checked by pydantic models, and the status rules.

Every problem goes to the dataset's report named by the file and the field (`lessons/x.md field
evidence.sources[0].url: …`): pydantic's error locations become those field paths, and its error
types become sentences in the authors' words.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from crosspilot.i18n import N_, t
from crosspilot.lessons.model import (
    FIELDS,
    GOVERNANCE_ASPECTS,
    REVIEW_STATES,
    ROADMAP,
    SOURCE_KINDS,
    STATUSES,
    STRENGTHS,
    TRANSLATION_FIELDS,
    Evidence,
    IndicatorEvidence,
    Lesson,
    LessonText,
    NetworkEvidence,
    Source,
    StatusChange,
)
from crosspilot.problems import Report
from crosspilot.structure import METRICS

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
EVIDENCE_FIELDS = ("indicators", "networks", "stories", "sources")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts), or None when there is no front matter."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]).strip(), number + 2
    return None


# --- field types: each says what it accepts, and why not in the authors' words -------------------


def _problem(kind: str, message: str) -> PydanticCustomError:
    # No context: pydantic then keeps the message as written (braces in a value stay as they are).
    return PydanticCustomError(kind, message)


def _required(value: Any) -> Any:
    if value is None or value == "":
        raise _problem("required", t("missing required field"))
    return value


def _text(value: Any) -> str:
    """Text, or a number YAML read as one (a title "2024"); never a list, mapping or yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _problem("text", t("must be text"))
    return str(value).strip()


def _ident(value: Any) -> str:
    text = _text(value)
    if text and not _ID.match(text):
        raise _problem(
            "ident", t("{value!r} is not an id: use lower-case letters, digits, '-' and '_'", value=text)
        )
    return text


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _language(value: Any) -> str:
    """A BCP 47 language tag ("en", "fi", "pt-BR"): the language a card is written in."""
    text = _text(value) or "en"
    if not _LANGUAGE_TAG.match(text):
        raise _problem("language", t("{value!r} is not a language code such as en or fi", value=text))
    return text


def _one_of(allowed: tuple[str, ...]):
    def check(value: str) -> str:
        if value and value not in allowed:
            raise _problem(
                "not_allowed",
                t("{value!r} is not allowed; use one of: {allowed}", value=value, allowed=", ".join(allowed)),
            )
        return value

    return check


def _list_of(message: str):
    def listed(value: Any) -> list:
        """A list as written; one value alone is a list of one, and empty entries are dropped."""
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            raise _problem("list", message)
        return [v for v in value if v is not None and v != ""]

    return listed


_listed = _list_of(t("must be a list, e.g. [a, b]"))


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _strength(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in STRENGTHS:
        raise _problem(
            "strength", t("{value!r} is not a strength; use a whole number from 0 to 4", value=value)
        )
    return value


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = _text(value)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _problem("date", t("{value!r} is not a date; write it as YYYY-MM-DD", value=text)) from None
    return moment.date().isoformat() if len(text) <= 10 else moment.isoformat()


def _web_address(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise _problem("url", t("{value!r} is not a web address (http:// or https://)", value=url))
    return url


Text = Annotated[str, BeforeValidator(_text)]
RequiredText = Annotated[str, BeforeValidator(_text), BeforeValidator(_required)]
Ident = Annotated[str, BeforeValidator(_ident)]
Ids = Annotated[tuple[Ident, ...], AfterValidator(_unique), BeforeValidator(_listed)]


def OneOf(allowed: tuple[str, ...]):  # noqa: N802 - used as a type
    return Annotated[str, AfterValidator(_one_of(allowed)), BeforeValidator(_text)]


def Listed(item, message: str = t("must be a list")):  # noqa: N802 - used as a type
    return Annotated[tuple[item, ...], BeforeValidator(_list_of(message))]


def _shape(message: str, *needed: str):
    """A model's check of its whole entry: a mapping with the `needed` fields, else `message`."""

    def check(cls, value: Any) -> Any:
        if not isinstance(value, dict) or any(not value.get(name) for name in needed):
            raise _problem("shape", message)
        return value

    return model_validator(mode="before")(classmethod(check))


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class IndicatorItem(_Part):
    indicator: Ident
    pilots: Ids = ()

    _entry = _shape(
        t("needs an indicator id and the pilots, e.g. {indicator: ideas, pilots: [voru]}"), "indicator"
    )


class NetworkItem(_Part):
    pilot: Ident
    metric: OneOf(tuple(METRICS))

    _entry = _shape(
        t("needs a pilot and a metric, e.g. {pilot: hull, metric: citizen_tie_share}"), "pilot", "metric"
    )


class SourceItem(_Part):
    url: Annotated[str, AfterValidator(_web_address), BeforeValidator(_text)]
    note: Text = ""
    kind: OneOf(SOURCE_KINDS) = "project"
    quote: Text = ""
    pilots: Ids = ()

    @model_validator(mode="before")
    @classmethod
    def _entry(cls, value: Any) -> Any:
        if isinstance(value, str):  # a bare web address
            value = {"url": value}
        if not isinstance(value, dict) or not value.get("url"):
            raise _problem("shape", t("needs a url"))
        return {**value, "kind": value.get("kind") or "project"}


class EvidenceBlock(_Part):
    indicators: Listed(IndicatorItem) = ()
    networks: Listed(NetworkItem) = ()
    stories: Ids = ()
    sources: Listed(SourceItem) = ()

    _entry = _shape(t("must have indicators, networks, stories and sources"))


class HistoryEntry(_Part):
    status: Annotated[OneOf(STATUSES), BeforeValidator(_required)]
    date: Annotated[str, BeforeValidator(_date)]
    reason: Text = ""
    by: Text = ""

    _entry = _shape(t("must have status, date, reason and by"))


class FrontMatter(_Part):
    """A lesson card's front matter, as `lessons/README.md` documents it."""

    id: Annotated[Ident, BeforeValidator(_required)]
    title: RequiredText
    summary: RequiredText
    themes: Ids = ()
    pilots: Ids = ()
    governance: Annotated[
        tuple[OneOf(GOVERNANCE_ASPECTS), ...], AfterValidator(_unique), BeforeValidator(_listed)
    ] = ()
    roadmap: Annotated[OneOf(tuple(ROADMAP)), BeforeValidator(_required)]
    evidence: EvidenceBlock | None = None
    strength: Annotated[int, BeforeValidator(_strength), BeforeValidator(_required)]
    status: Annotated[OneOf(STATUSES), BeforeValidator(_required)]
    history: Listed(HistoryEntry, t("must be a list of status changes")) = ()
    language: Annotated[str, BeforeValidator(_language)] = "en"

    def lesson(self, body: str, file: str) -> Lesson:
        evidence = self.evidence or EvidenceBlock()
        return Lesson(
            id=self.id,
            title=self.title,
            summary=self.summary,
            body=body,
            themes=self.themes,
            pilots=self.pilots,
            governance=self.governance,
            roadmap=self.roadmap,
            evidence=Evidence(
                indicators=tuple(IndicatorEvidence(i.indicator, i.pilots) for i in evidence.indicators),
                networks=tuple(NetworkEvidence(n.pilot, n.metric) for n in evidence.networks),
                stories=evidence.stories,
                sources=tuple(Source(s.url, s.note, s.kind, s.quote, s.pilots) for s in evidence.sources),
            ),
            strength=self.strength,
            status=self.status,
            history=tuple(StatusChange(h.status, h.date, h.reason, h.by) for h in self.history),
            file=file,
            language=self.language,
        )


class TranslationMatter(_Part):
    """The front matter of a lesson's translation (lessons/<id>.<lang>.md); the body follows it."""

    title: Text = ""
    summary: Text = ""
    review: Annotated[OneOf(REVIEW_STATES), BeforeValidator(_text)] = "draft"
    translator: Text = ""


# Wording for pydantic's own error types, where our validators did not get to say it themselves.
_MESSAGES = {
    "missing": N_("missing required field"),
    "list_type": N_("must be a list"),
    "tuple_type": N_("must be a list"),
    "string_type": N_("must be text"),
    "model_type": N_("must be a set of 'field: value' lines"),
    "model_attributes_type": N_("must be a set of 'field: value' lines"),
}


def field_path(location: tuple) -> str:
    """pydantic's location ('evidence', 'sources', 0, 'url') as the card's field path."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def where(path: str) -> str:
    return t("field {path}", path=path)


def _report_errors(error: ValidationError, file: str, report: Report) -> None:
    for problem in error.errors(include_url=False):
        path = field_path(problem["loc"])
        kind = problem["type"]
        if kind in _MESSAGES:
            message = t(_MESSAGES[kind])
        else:
            message = problem["msg"]
        report.add(file, message, where=where(path) if path else "")


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
        line = t("line {n}", n=mark.line + 2) if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        report.add(file, t("the front matter is not valid YAML: {problem}", problem=problem), where=line)
        return None
    if not isinstance(data, dict):
        report.add(file, t("the front matter must be a set of 'field: value' lines"))
        return None
    _warn_unknown(data, file, report)
    try:
        card = FrontMatter.model_validate(data)
    except ValidationError as error:
        _report_errors(error, file, report)
        return None
    if card.id != Path(file).stem:
        report.add(
            file,
            t("the id {id!r} differs from the file name; name the file {id}.md", id=card.id),
            where=where("id"),
        )
        return None
    lesson = card.lesson(body, file)
    check_status_rules(lesson, report)
    return lesson


def parse_translation(text: str, file: str, language: str, report: Report) -> LessonText | None:
    """A lesson's translation: optional front matter (title, summary, review, translator), then the
    translated body. Problems go to `report` as warnings: the card itself is still shown."""
    parts = split_front_matter(text)
    front, body = (parts[0], parts[1]) if parts is not None else ("", text)
    try:
        data = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if front else {}  # noqa: S506
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        report.warn(file, t("the front matter is not valid YAML: {problem}", problem=problem))
        return None
    data = data or {}
    if not isinstance(data, dict):
        report.warn(file, t("the front matter must be a set of 'field: value' lines"))
        return None
    for name in sorted(set(map(str, data)) - set(TRANSLATION_FIELDS)):
        report.warn(
            file,
            t(
                "unknown field {name!r} in a translation; it may give {fields}",
                name=name,
                fields=", ".join(TRANSLATION_FIELDS),
            ),
            where=where(name),
        )
    try:
        matter = TranslationMatter.model_validate({k: v for k, v in data.items() if k in TRANSLATION_FIELDS})
    except ValidationError as error:
        warnings = Report()
        _report_errors(error, file, warnings)
        for problem in warnings.errors:
            report.warn(problem.file, problem.message, where=problem.where)
        return None
    if not (matter.title or matter.summary or body.strip()):
        report.warn(file, t("translates nothing: give a title, a summary or a body"))
        return None
    return LessonText(
        language=language,
        title=matter.title,
        summary=matter.summary,
        body=body,
        review=matter.review,
        translator=matter.translator,
        file=file,
    )


def _warn_unknown(data: dict, file: str, report: Report) -> None:
    for name in sorted(set(map(str, data)) - set(FIELDS)):
        report.warn(
            file,
            t("unknown field ignored (known fields: {known})", known=", ".join(FIELDS)),
            where=where(name),
        )
    evidence = data.get("evidence")
    if isinstance(evidence, dict):
        for name in sorted(set(map(str, evidence)) - set(EVIDENCE_FIELDS)):
            report.warn(file, t("unknown field ignored"), where=where(f"evidence.{name}"))


# Statuses somebody decided (a workshop, or the editors after one): the card must say who, when and why.
DECIDED = ("validated", "context_specific", "contested", "needs_evidence", "revised")


def check_status_rules(lesson: Lesson, report: Report) -> None:
    """The history ends in the current status, runs forward in time, and a decision says why."""
    history = where("history")
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
                where=history,
            )
        dates = [c.date for c in lesson.history]
        if dates != sorted(dates):
            report.add(
                lesson.file, t("the status changes must be in date order, oldest first"), where=history
            )
    if lesson.status in DECIDED:
        last = lesson.history[-1] if lesson.history else None
        if last is None or not last.reason or not last.by:
            report.add(
                lesson.file,
                t(
                    "a {status} lesson needs a history entry that says who decided it, when and why",
                    status=lesson.status,
                ),
                where=history,
            )
    if lesson.status == "validated" and not lesson.evidence.sources:
        report.add(
            lesson.file, t("a validated lesson needs at least one source"), where=where("evidence.sources")
        )
