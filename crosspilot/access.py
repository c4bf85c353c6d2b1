"""Who is asking: the request's role and the checks on it.

Four roles, each seeing and doing what the ones before it do:

- ``public``: anyone, signed in or not; sees networks at their privacy tier (crosspilot.privacy);
- ``partner``: a consortium partner; sees named actors, creates workshops;
- ``editor``: uploads and activates dataset versions, publishes snapshots;
- ``admin``: manages accounts.

The role lives in a context variable, set for every request from the signed-in account
(crosspilot.accounts) the way crosspilot.i18n keeps the request's language, so code anywhere below a
request asks `at_least("partner")` without a request object. Outside a request (the command line, a
test) the role is ``public`` unless `acting_as` says otherwise.

Background callbacks run in another process: the role does not travel there. Work done there must
not depend on it (a layout, metrics), or must take the role as an argument and key its cache on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass

from crosspilot.i18n import N_, t

ROLES = ("public", "partner", "editor", "admin")
RANK = {role: rank for rank, role in enumerate(ROLES)}
ROLE_NAMES = {
    "public": N_("Public"),
    "partner": N_("Partner"),
    "editor": N_("Editor"),
    "admin": N_("Admin"),
}
ROLE_DUTIES = {
    "public": N_("sees published data; networks at their privacy tier"),
    "partner": N_("sees named actors, creates workshops"),
    "editor": N_("uploads and activates dataset versions, publishes snapshots"),
    "admin": N_("manages accounts"),
}


@dataclass(frozen=True)
class Who:
    """The person a request acts for: `user` is the account's email, None when nobody is signed in."""

    role: str = "public"
    user: str | None = None
    user_id: int | None = None


ANONYMOUS = Who()
_who: ContextVar[Who] = ContextVar("crosspilot_who", default=ANONYMOUS)


def check_role(role: object) -> str:
    if role not in RANK:
        raise ValueError(t("Role must be one of: {roles}", roles=", ".join(ROLES)))
    return role  # type: ignore[return-value]


def role_name(role: str) -> str:
    return t(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def current() -> Who:
    return _who.get()


def current_role() -> str:
    return _who.get().role


def current_user() -> str | None:
    return _who.get().user


def at_least(role: str) -> bool:
    """Whether the request's role includes `role`'s rights."""
    return RANK[current_role()] >= RANK[check_role(role)]


def sees_names() -> bool:
    """Whether this request may see the labels of actors that are not `named` (partners and up)."""
    return at_least("partner")


class Refused(Exception):
    """The request's role may not do this. `status` is 401 when nobody is signed in (signing in may
    help), 403 when the account's role is too low."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


NEEDS = {
    "partner": N_("This needs a partner's account: sign in."),
    "editor": N_("This needs an editor's account."),
    "admin": N_("This needs an admin's account."),
}


def refusal(role: str) -> Refused:
    """The Refused for a request that lacks `role`."""
    status = 401 if current_user() is None else 403
    return Refused(t(NEEDS.get(role, NEEDS["partner"])), status)


def require(role: str) -> Who:
    """The request's Who when its role includes `role`; raises Refused otherwise."""
    if not at_least(role):
        raise refusal(role)
    return current()


def start(who: Who) -> Token:
    return _who.set(who)


def end(token: Token) -> None:
    _who.reset(token)


@contextmanager
def acting_as(role: str, user: str | None = "test@example.org") -> Iterator[Who]:
    """Run a block as `role` (tests, the command line)."""
    who = Who(check_role(role), None if role == "public" else user)
    token = start(who)
    try:
        yield who
    finally:
        end(token)
