"""Which page views can be published, read with their page's view module, and what each is called.

A publish request names a link ("/compare?indicators=participants"); it is read by the page's own view
module (`crosspilot.views.parse_link`), and refused, with the reason, when it names no publishable page
or when any part of it was not understood (a snapshot must freeze exactly the view asked for).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from crosspilot import views
from crosspilot.i18n import t
from crosspilot.vocabulary import term

# Path -> the kind of page, as the vocabulary names it ("snapshot_page").
PUBLISHABLE = {
    "/compare": "compare",
    "/networks": "networks",
    "/lessons": "lesson",
    "/lessons/governance": "governance",
    "/lessons/roadmap": "roadmap",
}
MAX_LINK = 2000


class Refused(ValueError):
    """A view that cannot be published; the message says why, for the person who asked."""


@dataclass(frozen=True)
class Checked:
    path: str
    view: Any
    link: str  # canonical: only non-default values, no theme

    @property
    def kind(self) -> str:
        return PUBLISHABLE[self.path]

    def view_dict(self) -> dict:
        return {"page": self.kind, **_plain(asdict(self.view))}


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def check(derived, link: object) -> Checked:
    """The view `link` asks for, read by its page's view module; raises Refused saying why not."""
    if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
        raise Refused(t("Give a link of this app, such as /compare?indicators=participants."))
    if len(link) > MAX_LINK:
        raise Refused(t("The link is longer than {n} characters.", n=MAX_LINK))
    try:
        read = views.parse_link(derived, link)
    except ValueError as error:
        raise Refused(str(error)) from None
    if read.path not in PUBLISHABLE:
        raise Refused(
            t("Only Compare, Networks, a lesson, Governance models and the Roadmap can be published.")
        )
    if read.notices:
        raise Refused(
            t("part of the link was not understood, so it would not freeze the view asked for.")
            + " "
            + " ".join(read.notices)
        )
    if read.path == "/lessons" and not read.view.lesson:
        raise Refused(t("Open a lesson to publish it: the list of lessons cannot be published."))
    return Checked(read.path, read.view, views.link_for(derived, read.path, read.view))


def title_of(derived, checked: Checked) -> str:
    """What the snapshot is called in its heading, on the Data page and in its citation."""
    page = term("snapshot_page", checked.kind)
    view = checked.view
    if checked.kind == "compare":
        labels = derived.compare_index.indicators
        names = [labels[i].label if i in labels else i for i in view.indicators]
        return f"{page}: {', '.join(names)}"
    if checked.kind == "networks":
        name = derived.pilots.long.get(view.pilot, view.pilot)
        from crosspilot.networks import ALL_PHASES

        return f"{page}: {name}" + (f" ({view.phase})" if view.phase != ALL_PHASES else "")
    if checked.kind == "lesson":
        lesson = next((x for x in derived.lessons if x.id == view.lesson), None)
        return f"{page}: {lesson.title if lesson else view.lesson}"
    return page


def shows_decision(checked: Checked, item_id: str) -> bool:
    """Whether the page shows a workshop decision on `item_id` (its status in force, its history)."""
    if checked.kind == "lesson":
        return item_id in (f"lesson:{checked.view.lesson}", checked.view.lesson)
    if checked.kind == "governance":
        return item_id.startswith("governance:")
    if checked.kind == "roadmap":
        return item_id.startswith("lesson:") or ":" not in item_id
    return False
