"""Pieces shared by the Lessons section's pages: sub-navigation, badges, an item's status in force."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from dash import dcc, html

from crosspilot.i18n import t
from crosspilot.lessons import (
    LESSON_PREFIX,
    STATUS_LABELS,
    STRENGTHS,
    effective_status,
    status_label,
    status_meaning,
    strength_label,
    strength_requirement,
)
from crosspilot.vocabulary import WORKSHOP_OUTCOMES
from layouts import ids
from layouts.shell import with_theme
from layouts.tables import Column, table

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


def how_to_read(strength: int | None = None, status: str | None = None) -> html.Details:
    """ "How to read this": what a strength of evidence requires and what each status means, with how a
    workshop decision changes a lesson. One builder for the Lessons page and every lesson's page; on a
    lesson's page its own strength and status are marked."""
    this = t(" (this lesson)")
    strengths = table(
        [Column(t("Strength"), row_header=True), t("Name"), t("Allowed when")],
        [
            (f"{n}/4" + (this if n == strength else ""), strength_label(n), strength_requirement(n))
            for n in STRENGTHS
        ],
        caption=t("Strength of evidence, 0 to 4"),
        className="how-to-read-strengths",
    )
    statuses = html.Dl(
        [
            part
            for key in STATUS_LABELS
            for part in (
                html.Dt([lesson_status_badge(key), this if key == status else ""]),
                html.Dd(status_meaning(key)),
            )
        ],
        className="how-to-read-statuses",
    )
    outcomes = ", ".join(status_label(s).lower() for s in WORKSHOP_OUTCOMES)
    return html.Details(
        [
            html.Summary(html.Strong(t("How to read this: strength of evidence and status"))),
            html.H2(t("Strength of evidence"), className="h5 mt-3"),
            html.P(
                t(
                    "The rating says how secure the evidence is, not how important the lesson is. A pilot "
                    "counts as evidencing a lesson when at least one of its evidence items reaches it: a "
                    "published or estimated indicator value, a story, a source naming that pilot, or a "
                    "network feature that is not illustrative. Illustrative values are shown, but never "
                    "count as evidence. A card may not claim more than its evidence allows; its authors "
                    "may rate it lower, and should when the figures do not measure the claim itself."
                )
            ),
            strengths,
            html.H2(t("Status"), className="h5 mt-3"),
            statuses,
            html.P(
                t(
                    "How a workshop decision changes a lesson: when a workshop closes the vote on a lesson, "
                    "the rules give one outcome ({outcomes}); the facilitator may override it, giving a "
                    "reason. That outcome becomes the lesson's status as it is, and the lesson's history "
                    "lists every decision with who decided, when and why. A practice workshop never "
                    "changes a lesson.",
                    outcomes=outcomes,
                ),
                className="mb-0",
            ),
        ],
        id=ids.LESSONS_HOW_TO_READ,
        className="how-to-read",
    )
