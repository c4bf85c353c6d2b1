"""A lesson's (or governance model's) status in force after the workshop decisions, and the list's filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crosspilot.lessons.model import STATUSES, Lesson, StatusChange
from crosspilot.vocabulary import term


def _get(decision: Any, key: str) -> Any:
    return decision.get(key) if isinstance(decision, Mapping) else getattr(decision, key, None)


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value or "")


def effective_status(item: Any, decisions: Iterable[Any] = ()) -> tuple[str, tuple[StatusChange, ...]]:
    """The status after the workshop decisions about `item` (a lesson or a governance model), and the
    full history: the card's own changes, then the decisions in time order.

    A decision is an object or dict with item_id, status, reason, decided_by, decided_at. Decisions
    for other items or with an unknown status are ignored. Every workshop outcome (validated,
    context-specific, contested, needs evidence) is a lesson status, so the latest decision's outcome
    is the status in force. A lesson's decisions may name it as 'lesson:<id>' or by its bare id.
    """
    ids = {item.item_id}
    if isinstance(item, Lesson):
        ids.add(item.id)
    recorded = []
    for order, decision in enumerate(decisions or ()):
        status = _get(decision, "status")
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
                    workshop=str(_get(decision, "workshop_title") or ""),
                    facilitator=str(_get(decision, "facilitator_name") or ""),
                ),
            )
        )
    recorded.sort(key=lambda r: (r[0], r[1]))
    history = tuple(item.history) + tuple(change for _, _, change in recorded)
    return (history[-1].status if recorded else item.status), history


def status_label(status: str) -> str:
    return term("lesson_status", status)


def status_meaning(status: str) -> str:
    """What a status says, in a phrase (how a workshop reaches it)."""
    return term("status_meaning", status, "")


def strength_label(strength: int) -> str:
    return term("strength", str(strength), "")


def strength_requirement(strength: int) -> str:
    """What the evidence must reach for `strength` (the loader refuses a higher rating)."""
    return term("strength_requires", str(strength), "")


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
