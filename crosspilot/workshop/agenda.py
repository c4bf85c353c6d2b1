"""What an agenda item can be: a lesson, a governance model, or a saved view of another page.

Items are referred to as `lesson:<id>`, `governance:<pilot_id>` or a local page path with its query
(`/compare?indicator=...`), which the projector shows as a slide between votes. Lesson titles come
from `snapshot.lessons` when the lesson cards are loaded, else from a short placeholder list.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crosspilot.i18n import t

# Placeholders until lesson cards land: generic statements, attributed to no pilot.
FALLBACK_LESSONS = (
    ("early-involvement", "Involving service users from the first idea changes what gets built"),
    ("trusted-intermediaries", "Trusted intermediaries open the door to hard-to-reach citizens"),
    ("shared-budget", "Co-creation lasts when partners share a budget line, not only a goal"),
)

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")
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
