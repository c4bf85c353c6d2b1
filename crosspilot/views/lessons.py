"""The Lessons page's view (/lessons): the list's filters, and the one lesson opened (`lesson=<id>`).

The theme filter is called `topic` in the URL: `theme=` is every page's display theme. A lesson's
own link keeps the list's filters, so "back to the list" returns to the same list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from crosspilot.i18n import t
from crosspilot.lessons import STATUSES, Filters, all_themes
from crosspilot.views import base

PATH = "/lessons"
MIGRATIONS: tuple[base.Migration, ...] = ()


@dataclass(frozen=True)
class View:
    lesson: str = ""  # the lesson opened; "" shows the list
    topic: str = ""  # one theme; "" for every theme
    pilot: str = ""
    status: tuple[str, ...] = ()  # statuses in force; () for every status
    strength: int = 0  # at least this strength

    @property
    def filters(self) -> Filters:
        return Filters(
            themes=(self.topic,) if self.topic else (),
            pilots=(self.pilot,) if self.pilot else (),
            statuses=self.status,
            min_strength=self.strength,
        )

    def listing(self) -> View:
        """The list this view's lesson was opened from."""
        return View(topic=self.topic, pilot=self.pilot, status=self.status, strength=self.strength)

    def opened(self, lesson_id: str) -> View:
        return View(lesson_id, self.topic, self.pilot, self.status, self.strength)


def _strength(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 4:
        raise ValueError(t("use a whole number from 0 to 4"))
    return number


def fields(derived) -> tuple[base.Field, ...]:
    snapshot = derived.snapshot
    lessons = snapshot.lessons
    return (
        base.Field("lesson", "", base.choice([lesson.id for lesson in lessons])),
        base.Field("topic", "", base.choice(all_themes(lessons))),
        base.Field("pilot", "", base.choice(list(snapshot.pilots["pilot_id"]))),
        base.Field("status", (), base.choices(STATUSES), base.join),
        base.Field("strength", 0, _strength),
    )


def parse(derived, query: Mapping[str, str]) -> tuple[View, list[str]]:
    values, notices = base.parse(query, fields(derived), MIGRATIONS)
    return View(**values), notices


def to_query(derived, view: View) -> dict[str, str]:
    return base.to_query(asdict(view), fields(derived))
