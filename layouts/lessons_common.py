"""Pieces shared by the Lessons section's pages: sub-navigation, badges, an item's status in force."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dash import dcc, html

from crosspilot.i18n import t
from crosspilot.lessons import STATUS_LABELS, effective_status, status_label, strength_label
from layouts.shell import with_theme

DecisionsFor = Callable[[str], Iterable]
SECTION = (
    ("/lessons", "Lessons"),
    ("/lessons/governance", "Governance models"),
    ("/lessons/roadmap", "Roadmap"),
)


def status_of(item, decisions_for: DecisionsFor):
    """An item's status in force and its history, with the workshop decisions `decisions_for` gives."""
    return effective_status(item, decisions_for(item.item_id))


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
