"""Pieces shared by the Lessons section's pages: sub-navigation, badges, an item's status in force."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from dash import dcc, html

from crosspilot.i18n import t
from crosspilot.lessons import LESSON_PREFIX, STATUS_LABELS, effective_status, status_label, strength_label
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


def decisions_in_force(context) -> DecisionsFor:
    """`context.decisions_for` for a page that shows many items: one query for all their decisions.
    A lesson's decisions may name it by its bare id too (see `effective_status`)."""
    grouped: dict[str, list] = defaultdict(list)
    for decision in context.all_decisions():
        item = getattr(decision, "item_id", None)
        if item is None and isinstance(decision, dict):
            item = decision.get("item_id")
        grouped[str(item)].append(decision)

    def decisions_for(item_id: str) -> list:
        bare = item_id.removeprefix(LESSON_PREFIX)
        return grouped.get(item_id, []) + (grouped.get(bare, []) if bare != item_id else [])

    return decisions_for


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


def section_head(title: str, current: str, theme: str, lead: str) -> list:
    """The top of a Lessons-section page: its heading, the section's navigation and what it shows."""
    return [html.H1(title), section_nav(current, theme), html.P(lead, className="lead mt-3")]


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
