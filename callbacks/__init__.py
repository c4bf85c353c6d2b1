"""Callbacks, registered per app by `register(app, context)`; each module is thin."""

from __future__ import annotations

from dataclasses import dataclass

from callbacks import compare, lessons, networks, router, workshop
from crosspilot.config import Config
from crosspilot.dataset import Snapshot
from layouts.shell import Page


@dataclass(frozen=True)
class AppContext:
    """What one app serves: its immutable data snapshot, its settings and its pages."""

    snapshot: Snapshot
    config: Config
    pages: tuple[Page, ...]


def register(app, context: AppContext) -> None:
    router.register(app, context)
    compare.register(app, context)
    workshop.register(app, context)
    lessons.register(app, context)
    networks.register(app, context)
