"""The Roadmap page's view (/lessons/roadmap): every lesson in force (`all`, the default: validated
and, marked, those under validation) or the validated ones only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from crosspilot.views import base

PATH = "/lessons/roadmap"
SCOPES = ("all", "validated")
MIGRATIONS: tuple[base.Migration, ...] = ()
FIELDS = (base.Field("scope", "all", base.choice(SCOPES)),)


@dataclass(frozen=True)
class View:
    scope: str = "all"

    @property
    def include_under_validation(self) -> bool:
        return self.scope == "all"


def parse(derived, query: Mapping[str, str]) -> tuple[View, list[str]]:
    values, notices = base.parse(query, FIELDS, MIGRATIONS)
    return View(**values), notices


def to_query(derived, view: View) -> dict[str, str]:
    return base.to_query(asdict(view), FIELDS)
