"""What a lesson is: its vocabulary (statuses, roadmap headings, strengths) and frozen value objects.

`lessons/README.md` documents the format, the strength levels (0–4, in the spirit of the EEF
toolkit's evidence padlocks) and the status rules; keep it in step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from crosspilot.contract import STAGES
from crosspilot.i18n import N_
from crosspilot.vocabulary import LESSON_STATUSES, TERMS

__all__ = [
    "FIELDS",
    "GOVERNANCE_ASPECTS",
    "LESSON_PREFIX",
    "ROADMAP",
    "SOURCE_KINDS",
    "STATUSES",
    "STATUS_LABELS",
    "STRENGTHS",
    "Evidence",
    "IndicatorEvidence",
    "Lesson",
    "NetworkEvidence",
    "Resolution",
    "Source",
    "StatusChange",
    "governance_item_id",
]

# One vocabulary with the workshop's outcomes (crosspilot.vocabulary): a decision's outcome is a status.
STATUSES = LESSON_STATUSES
STATUS_LABELS = dict(TERMS["lesson_status"])  # untranslated; shown through t() or term()
# The CoSIE roadmap to co-creation's three headings.
ROADMAP = {
    "the_system": N_("The System"),
    "catalysts": N_("Catalysts"),
    "ethical_compass": N_("Ethical Compass"),
}
GOVERNANCE_ASPECTS = (*STAGES, "co-governance", "lead-sector", "citizens-role", "network-structure")
SOURCE_KINDS = ("project", "report", "evaluation", "publication", "story", "news")
STRENGTHS = {int(n): name for n, name in TERMS["strength"].items()}
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
    "language",
)
# A translation's own file (lessons/<id>.<lang>.md) may carry these; the rest stays the card's.
TRANSLATION_FIELDS = ("title", "summary", "review", "translator")
TRANSLATED = ("title", "summary", "body")
REVIEW_STATES = ("draft", "reviewed")
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
    workshop: str = ""  # the title of the workshop that decided
    facilitator: str = ""  # its facilitator, when the workshop names one


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
class LessonText:
    """A lesson's text in another language (lessons/<id>.<lang>.md): a field left empty is shown in
    the card's own language, marked with it. Evidence, sources and quotes are never translated."""

    language: str
    title: str = ""
    summary: str = ""
    body: str = ""
    review: str = "draft"  # "reviewed" once a native speaker has checked it
    translator: str = ""
    file: str = ""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    summary: str
    body: str  # Markdown, drawn by the one renderer (crosspilot.markdown)
    themes: tuple[str, ...]
    pilots: tuple[str, ...]
    governance: tuple[str, ...]
    roadmap: str
    evidence: Evidence
    strength: int
    status: str
    history: tuple[StatusChange, ...] = ()
    file: str = ""
    language: str = "en"  # the language the card is written in
    translations: tuple[LessonText, ...] = ()
    # Set by `in_language`: (field, language) of each text field as shown, and the translation used.
    shown: tuple[tuple[str, str], ...] = ()
    translation: LessonText | None = None

    @property
    def item_id(self) -> str:
        return LESSON_PREFIX + self.id

    def in_language(self, code: str) -> Lesson:
        """The lesson as a reader of `code` sees it: each text field translated where a translation
        gives it, else the card's own (`language_of` says which)."""
        found = next((x for x in self.translations if x.language == code), None)
        if code == self.language or found is None:
            return replace(self, shown=tuple((f, self.language) for f in TRANSLATED), translation=None)
        texts = {f: getattr(found, f) for f in TRANSLATED if getattr(found, f).strip()}
        shown = tuple((f, code if f in texts else self.language) for f in TRANSLATED)
        return replace(self, **texts, shown=shown, translation=found)

    def language_of(self, field: str) -> str:
        """The language `field` ("title", "summary", "body") is shown in."""
        return dict(self.shown).get(field, self.language)


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
