"""The workshop pages' views: what /workshop, /workshop/join, /workshop/facilitate and /workshop/present
read from the URL (a join code on the phone, the workshop's id for the facilitator and the projector).

The facilitator key never travels in the query: it stays in the link's #fragment, which the browser
does not send to the server. The set-up page has no choices of its own. These pages are not slides
(a workshop is not shown inside a workshop), so they are not in `crosspilot.views.PAGES`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from crosspilot.i18n import t
from crosspilot.views import base

SETUP_PATH = "/workshop"
JOIN_PATH = "/workshop/join"
FACILITATE_PATH = "/workshop/facilitate"
PRESENT_PATH = "/workshop/present"
MIGRATIONS: tuple[base.Migration, ...] = ()

_CODE = re.compile(r"^[A-Za-z0-9 -]{1,16}$")  # as typed or read aloud; the service normalises it
_WORKSHOP_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


def _code(value: str) -> str:
    value = value.strip()
    if not _CODE.match(value):
        raise ValueError(t("a join code is up to 16 letters and digits"))
    return value


def _workshop_id(value: str) -> str:
    value = value.strip()
    if not _WORKSHOP_ID.match(value):
        raise ValueError(t("not a workshop id"))
    return value


@dataclass(frozen=True)
class SetupView:
    pass


@dataclass(frozen=True)
class JoinView:
    code: str = ""  # filled into the join form; "" leaves it for the participant to type


@dataclass(frozen=True)
class RoomView:
    """The facilitator's and the projector's view: which workshop."""

    w: str = ""


JOIN_FIELDS = (base.Field("code", "", _code),)
ROOM_FIELDS = (base.Field("w", "", _workshop_id),)


def parse_setup(derived, query: Mapping[str, str]) -> tuple[SetupView, list[str]]:
    return SetupView(), base.parse(query, (), MIGRATIONS)[1]


def parse_join(derived, query: Mapping[str, str]) -> tuple[JoinView, list[str]]:
    values, notices = base.parse(query, JOIN_FIELDS, MIGRATIONS)
    return JoinView(**values), notices


def parse_room(derived, query: Mapping[str, str]) -> tuple[RoomView, list[str]]:
    """/workshop/facilitate and /workshop/present read the same view."""
    values, notices = base.parse(query, ROOM_FIELDS, MIGRATIONS)
    return RoomView(**values), notices


def to_query(derived, view: SetupView | JoinView | RoomView) -> dict[str, str]:
    if isinstance(view, JoinView):
        return base.to_query(asdict(view), JOIN_FIELDS)
    if isinstance(view, RoomView):
        return base.to_query(asdict(view), ROOM_FIELDS)
    return {}


def link(path: str, view: SetupView | JoinView | RoomView, theme: str = "standard") -> str:
    """The page's link with only non-default values (the projector theme when asked for)."""
    from urllib.parse import urlencode

    query = to_query(None, view)
    if theme != "standard":
        query["theme"] = theme
    return path + (f"?{urlencode(query)}" if query else "")
