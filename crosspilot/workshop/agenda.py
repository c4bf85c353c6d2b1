"""What an agenda item can be: a lesson, a governance model, or a saved view of another page.

Items are referred to as `lesson:<id>`, `governance:<pilot_id>` or a link of a page's view
(`/compare?indicators=participants`), which the projector shows as a slide between votes. A slide is
read by its page's own view module when the agenda is saved (`read_agenda`): a link to no page, or one
its page cannot read, is refused with the reason, and the slide keeps the canonical link, so it opens
the view it was saved with. Lesson titles come from `snapshot.lessons` when the lesson cards are
loaded, else from a short placeholder list.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crosspilot import views
from crosspilot.i18n import N_, current_language, t

# Placeholders until lesson cards land: generic statements, attributed to no pilot.
FALLBACK_LESSONS = (
    ("early-involvement", N_("Involving service users from the first idea changes what gets built")),
    ("trusted-intermediaries", N_("Trusted intermediaries open the door to hard-to-reach citizens")),
    ("shared-budget", N_("Co-creation lasts when partners share a budget line, not only a goal")),
)

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")
# A real saved view (Compare reads `indicators`), shown to facilitators as the example of a slide.
SLIDE_EXAMPLE = "/compare?indicators=participants"


class AgendaError(ValueError):
    """An agenda line that cannot be saved; the message says which line and why."""


_SLIDE = re.compile(r"^/[A-Za-z0-9/_.~%-]*(\?[A-Za-z0-9_.~%&=,+:-]*)?$")


def lesson_entries(snapshot) -> list[tuple[str, str]]:
    """(lesson id, title) for every lesson card, or the placeholders when there are none."""
    found = []
    for lesson in getattr(snapshot, "lessons", ()) or ():
        get = lesson.get if isinstance(lesson, dict) else lambda k, o=lesson: getattr(o, k, None)
        lesson_id = get("id") or get("lesson_id")
        if lesson_id:
            found.append((str(lesson_id), str(get("title") or lesson_id)))
    return found or [(i, t(title)) for i, title in FALLBACK_LESSONS]


def catalogue(snapshot) -> dict[str, str]:
    """Every lesson and governance model a workshop can vote on: reference -> title."""
    items = {f"lesson:{i}": title for i, title in lesson_entries(snapshot)}
    pilots = getattr(snapshot, "pilots", None)
    if pilots is not None and len(pilots):
        for pilot_id, name in zip(pilots["pilot_id"], pilots["name"], strict=True):
            items[f"governance:{pilot_id}"] = t("Governance model: {name}", name=name)
    return items


def shown_title(derived, ref: str, stored: str) -> str:
    """An agenda item's title in the reader's language: a lesson's translated title, a governance
    model or a slide named again in it; the title the workshop stored otherwise."""
    kind = kind_of(ref)
    if kind == "lesson":
        found = next((x for x in derived.lessons if f"lesson:{x.id}" == ref), None)
        return found.title if found is not None else stored
    if kind == "governance":
        pilot = ref.split(":", 1)[1]
        name = derived.pilots.name.get(pilot)
        return t("Governance model: {name}", name=name) if name else stored
    if kind == "slide":
        return slide_title(derived, ref)
    return stored


def in_reader_language(derived, state: dict) -> dict:
    """A workshop's state (WorkshopService.state) with its items' titles in the reader's language: a
    Greek phone and an English projector in one room each read the agenda in their own."""

    titles = derived.remembered("titles")  # every poll of every screen asks: once per language and item
    code = current_language()

    def retitled(item):
        if item is None:
            return None
        key = (code, item["ref"], item["title"])
        if key not in titles:
            titles[key] = shown_title(derived, item["ref"], item["title"])
        return {**item, "title": titles[key]}

    return {
        **state,
        "item": retitled(state.get("item")),
        "agenda": [retitled(i) for i in state.get("agenda", ())],
    }


def kind_of(ref: str) -> str | None:
    """lesson / governance / slide, or None when the reference is not one of those forms."""
    if not isinstance(ref, str) or len(ref) > 300:
        return None
    prefix, _, rest = ref.partition(":")
    if prefix in ("lesson", "governance") and _ID.match(rest):
        return prefix
    if ref.startswith("/") and not ref.startswith("//") and _SLIDE.match(ref):
        parts = urlsplit(ref)
        if not parts.scheme and not parts.netloc:
            return "slide"
    return None


def agenda_lines(text: object) -> list[str]:
    """Agenda lines from the text box; a full link copied from the browser becomes its path."""
    if not isinstance(text, str):
        return []
    lines = []
    for line in text[:20_000].splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("http://", "https://")):
            parts = urlsplit(line)
            line = parts.path + (f"?{parts.query}" if parts.query else "")
        lines.append(line)
    return lines


def read_slide(derived, link: str) -> str:
    """The canonical link of a saved page view, read by its page's view module (the theme dropped: the
    projector chooses its own). Raises ValueError saying why a link cannot be a slide."""
    read = views.parse_link(derived, link)
    if read.notices:
        raise ValueError(" ".join(read.notices))
    return views.link_for(derived, read.path, read.view)


def read_agenda(derived, text: object) -> list[str]:
    """The agenda to save from the text box: lessons and governance models as written (the service
    checks that they exist), slides as canonical links. Raises AgendaError for the first bad line."""
    items = []
    for number, line in enumerate(agenda_lines(text), start=1):
        kind = kind_of(line)
        if kind is None:
            raise AgendaError(
                t(
                    "Agenda item {n}: use lesson:<id>, governance:<pilot id> or a page link such as "
                    "{example}",
                    n=number,
                    example=SLIDE_EXAMPLE,
                )
            )
        if kind == "slide":
            try:
                line = read_slide(derived, line)
            except ValueError as error:
                raise AgendaError(
                    t("Agenda item {n} ({link}): {why}", n=number, link=line[:80], why=error)
                ) from None
        items.append(line)
    return items


def slide_title(derived, ref: str) -> str:
    """A saved view's title in words ("Compare: Participants", "Network: …"), not its link."""
    try:
        link = views.parse_link(derived, ref)
    except ValueError:
        return ref
    if link.path == "/compare":
        known = derived.compare_index.indicators
        labels = [known[i].label if i in known else i for i in link.view.indicators]
        return t("Compare: {what}", what=", ".join(labels))
    if link.path == "/networks":
        name = derived.pilots.long.get(link.view.pilot, link.view.pilot)
        return t("Network: {pilot}", pilot=name)
    if link.path == "/lessons/governance":
        return t("Governance models")
    return ref
