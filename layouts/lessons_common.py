"""Pieces shared by the Lessons section's pages: sub-navigation, badges, and the workshop decisions hook."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from dash import dcc, html

from crosspilot.i18n import t
from crosspilot.lessons import STATUS_LABELS, effective_status, status_label, strength_label
from layouts.shell import with_theme

log = logging.getLogger(__name__)

DecisionsFor = Callable[[str], Iterable]
SECTION = (
    ("/lessons", "Lessons"),
    ("/lessons/governance", "Governance models"),
    ("/lessons/roadmap", "Roadmap"),
)


def decisions_hook(explicit: DecisionsFor | None = None) -> DecisionsFor | None:
    """Where workshop decisions come from: `explicit`, else the app context's optional
    `decisions_for(item_id)`, else the Workshop's `CROSSPILOT_WORKSHOP_DECISIONS` in the Flask config,
    else none (the cards' own history only)."""
    if explicit is not None:
        return explicit
    try:
        from flask import current_app, has_app_context

        if has_app_context():
            context = current_app.config.get("CROSSPILOT_CONTEXT")
            return getattr(context, "decisions_for", None) or current_app.config.get(
                "CROSSPILOT_WORKSHOP_DECISIONS"
            )
    except ImportError:  # pragma: no cover - flask comes with dash
        pass
    return None


def decisions(hook: DecisionsFor | None, item_id: str) -> list:
    """The recorded decisions about one item; a failing store costs the decisions, never the page."""
    if hook is None:
        return []
    try:
        return list(hook(item_id) or ())
    except Exception:  # noqa: BLE001 - the lessons stay readable whatever the workshop store does
        log.exception("decisions_for(%r) failed; showing the card's own status", item_id)
        return []


def status_of(item, hook: DecisionsFor | None):
    return effective_status(item, decisions(hook, item.item_id))


def section_nav(current: str, theme: str) -> html.Nav:
    items = []
    for path, name in SECTION:
        here = path == current
        items.append(
            html.Li(
                dcc.Link(
                    [t(name), html.Span(t(" (this page)"), className="visually-hidden") if here else None],
                    href=with_theme(path, theme),
                    className="nav-link" + (" active" if here else ""),
                ),
                className="nav-item",
            )
        )
    return html.Nav(
        html.Ul(items, className="nav nav-pills lessons-subnav"),
        **{"aria-label": t("Lessons section")},
    )


def lesson_status_badge(status: str) -> html.Span:
    """Validation status as text plus a border style (never colour alone)."""
    return html.Span(status_label(status), className=f"lesson-status lesson-status-{status}")


def strength_meter(strength: int) -> html.Span:
    """'Strength 2/4' with filled and empty blocks and its name, read out as text by screen readers."""
    blocks = "■" * strength + "□" * (4 - strength)
    return html.Span(
        [
            html.Span(blocks, className="strength-blocks", **{"aria-hidden": "true"}),
            " ",
            t("Strength {n}/4: {name}", n=strength, name=strength_label(strength)),
        ],
        className=f"strength strength-{strength}",
    )


def status_options() -> list[dict]:
    return [{"label": t(label), "value": status} for status, label in STATUS_LABELS.items()]
