"""Callbacks, registered per app by `register(app, context)`; each module is thin."""

from __future__ import annotations

from callbacks import (
    admin,
    compare,
    data_versions,
    lessons,
    networks,
    operations,
    router,
    snapshots,
    workshop,
)
from crosspilot.context import AppContext


def register(app, context: AppContext) -> None:
    operations.register(app, context)
    router.register(app, context)
    compare.register(app, context)
    workshop.register(app, context)
    lessons.register(app, context)
    networks.register(app, context)
    snapshots.register(app, context)
    admin.register(app, context)
    data_versions.register(app, context)
