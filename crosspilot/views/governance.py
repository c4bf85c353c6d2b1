"""The Governance models page's view (/lessons/governance): it has no choices of its own, so every
parameter but the global ones is ignored with a notice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crosspilot.views import base

PATH = "/lessons/governance"
MIGRATIONS: tuple[base.Migration, ...] = ()


@dataclass(frozen=True)
class View:
    pass


def parse(derived, query: Mapping[str, str]) -> tuple[View, list[str]]:
    return View(), base.parse(query, (), MIGRATIONS)[1]


def to_query(derived, view: View) -> dict[str, str]:
    return {}
