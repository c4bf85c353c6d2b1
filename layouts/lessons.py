"""Lessons: browse and filter the lesson cards; one lesson with its evidence at /lessons?lesson=<id>."""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.i18n import display_name, t
from crosspilot.lessons import (
    ROADMAP,
    Lesson,
    all_themes,
    filter_lessons,
    resolve,
)
from crosspilot.views import lessons as views
from crosspilot.vocabulary import TERMS, term
from layouts import ids
from layouts.common import in_its_language, source_links
from layouts.controls import checklist, select_columns
from layouts.lessons_common import (
    decisions_in_force,
    how_to_read,
    lesson_status_badge,
    section_head,
    status_of,
    status_options,
    strength_meter,
)
from layouts.lessons_evidence import indicator_panel, network_panel
from layouts.markdown import markdown
from layouts.shell import ABOUT_TRANSLATIONS, with_theme
from layouts.tables import table

PATH = views.PATH


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    view, notices = views.parse(context.derived, query)
    return html.Div(body(context, view, notices, theme), id=ids.LESSONS_PAGE)


def shown(context, view: views.View) -> str:
    """The view as a query string without the display theme: what is on screen, for comparison."""
    return urlencode(views.to_query(context.derived, view))


def body(context, view: views.View, notices: list[str], theme: str) -> list:
    on_screen = dcc.Store(id=ids.LESSONS_SHOWN, data=shown(context, view))
    alert = dbc.Alert(
        [html.P(n, className="mb-0") for n in notices],
        color="warning",
        id=ids.LESSONS_NOTICES,
        is_open=bool(notices),
        className="mt-2",
    )
    lesson = next((x for x in context.derived.lessons if x.id == view.lesson), None)
    if lesson is not None:
        return [on_screen, alert, *detail(context, lesson, view, theme)]
    return [on_screen, alert, *browse(context, view, theme)]


# --- the list --------------------------------------------------------------------------------------


def statuses_in_force(context) -> dict[str, str]:
    """Lesson id -> its status after the workshop decisions (one query for them all)."""
    decisions_for = decisions_in_force(context)
    return {lesson.id: status_of(lesson, decisions_for)[0] for lesson in context.derived.lessons}


def chosen_lessons(context, view: views.View, statuses: dict[str, str]) -> list[Lesson]:
    return filter_lessons(context.derived.lessons, view.filters, statuses)


def browse(context, view: views.View, theme: str) -> list:
    lessons = context.derived.lessons
    statuses = statuses_in_force(context)
    chosen = chosen_lessons(context, view, statuses)
    topics = [(x, context.derived.theme_label(x)[0]) for x in all_themes(lessons)]
    pilots = context.derived.pilots.name
    strengths = [(str(n), t("At least {n}/4", n=n)) for n in range(1, 5)]
    strength = str(view.strength) if view.strength else ""
    return [
        *section_head(
            t("Lessons"),
            PATH,
            theme,
            t(
                "Cross-cutting lessons drawn from the pilots. Each one shows what it claims, which pilots "
                "support it, how strong the evidence is and where each fact comes from."
            ),
        ),
        how_to_read(),
        html.Form(
            dbc.Row(
                [
                    *select_columns(
                        [
                            (ids.LESSONS_TOPIC, t("Theme"), topics, view.topic, t("All themes"), 3),
                            (ids.LESSONS_PILOT, t("Pilot"), pilots, view.pilot, t("All pilots"), 3),
                            (
                                ids.LESSONS_STRENGTH,
                                t("Strength of evidence"),
                                strengths,
                                strength,
                                t("Any strength"),
                                2,
                            ),
                        ]
                    ),
                    dbc.Col(
                        checklist(
                            ids.LESSONS_STATUS, t("Status"), status_options(), view.status, inline=True
                        ),
                        md=4,
                    ),
                ],
                className="g-3 align-items-end",
            ),
            className="lessons-filters mb-3",
            role="search",
            **{"aria-label": t("Filter the lessons")},
        ),
        html.P(
            count_text(context.fmt, len(chosen), len(lessons)),
            id=ids.LESSONS_COUNT,
            className="fw-semibold",
            role="status",
        ),
        html.Div(lesson_list(context, chosen, statuses, view, theme), id=ids.LESSONS_LIST),
    ]


def count_text(fmt, shown: int, total: int) -> str:
    if not total:
        return t("This dataset has no lesson cards yet.")
    return t("Showing {shown} of {total} lessons.", shown=fmt.count(shown), total=fmt.count(total))


def lesson_href(context, view: views.View, theme: str) -> str:
    return with_theme(PATH, theme, views.to_query(context.derived, view))


def lesson_list(context, chosen: list[Lesson], statuses: dict, view: views.View, theme: str) -> list:
    if not chosen:
        return [html.P(t("No lesson matches these filters."), className="text-body-secondary")]
    index = context.derived.lesson_index
    cards = []
    for lesson in chosen:
        resolution = resolve(lesson, index)
        cards.append(
            html.Li(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.H2(
                                dcc.Link(
                                    in_its_language(lesson.title, lesson.language_of("title")),
                                    href=lesson_href(context, view.opened(lesson.id), theme),
                                ),
                                className="h5 card-title",
                            ),
                            in_its_language(
                                lesson.summary, lesson.language_of("summary"), html.P, className="mb-2"
                            ),
                            html.Div(
                                [
                                    lesson_status_badge(statuses.get(lesson.id, lesson.status)),
                                    strength_meter(lesson.strength),
                                    html.Span(evidenced_text(context.fmt, resolution), className="evidenced"),
                                    html.Span(t(ROADMAP[lesson.roadmap]), className="roadmap-heading"),
                                ],
                                className="lesson-meta",
                            ),
                        ]
                    ),
                    className="lesson-card h-100",
                ),
                className="mb-3",
                id=f"lesson-card-{lesson.id}",
            )
        )
    return [html.Ul(cards, className="list-unstyled lesson-cards")]


def translation_note(lesson: Lesson):
    """Whose translation this is and whether a native speaker has checked it; nothing in the card's
    own language. Quotes from sources are never translated (the Sources list shows them as given)."""
    text = lesson.translation
    if text is None:
        return None
    state = t("reviewed") if text.review == "reviewed" else t("draft, not yet checked by a native speaker")
    return html.P(
        [
            t("Translated from {language} ({state}).", language=display_name(lesson.language), state=state),
            " " + t("Translated by {who}.", who=text.translator) if text.translator else "",
            " ",
            html.A(t("About translations"), href=with_theme(ABOUT_TRANSLATIONS, "standard")),
        ],
        className="small lang-note translation-note",
    )


def evidenced_text(fmt, resolution) -> str:
    return t(
        "Evidenced in {n} of {total} pilots",
        n=fmt.count(resolution.n),
        total=fmt.count(resolution.total_pilots),
    )


# --- one lesson ------------------------------------------------------------------------------------


def detail(context, lesson: Lesson, view: views.View, theme: str) -> list:
    names = context.derived.pilots.name
    resolution = resolve(lesson, context.derived.lesson_index)
    status, history = status_of(lesson, context.decisions_for)
    back = lesson_href(context, view.listing(), theme)
    share = lesson_href(context, views.View(lesson=lesson.id), "standard")
    pilots = [
        html.Li(
            [names.get(p, p), " ", html.Span(t("(no linked evidence yet)"), className="small")]
            if p in resolution.claimed_only
            else names.get(p, p)
        )
        for p in lesson.pilots
    ]
    return [
        html.Article(
            [
                dcc.Link(t("← All lessons"), href=back, className="back-link"),
                html.P(
                    t("Lesson · {heading}", heading=t(ROADMAP[lesson.roadmap])), className="kicker mt-2 mb-0"
                ),
                in_its_language(lesson.title, lesson.language_of("title"), html.H1),
                in_its_language(lesson.summary, lesson.language_of("summary"), html.P, className="lead"),
                translation_note(lesson),
                html.Div(
                    [
                        lesson_status_badge(status),
                        strength_meter(lesson.strength),
                        html.Span(evidenced_text(context.fmt, resolution), className="evidenced"),
                    ],
                    className="lesson-meta mb-3",
                ),
                how_to_read(lesson.strength, status),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                in_its_language(
                                    markdown(lesson.body, className="lesson-body", heading_shift=1),
                                    lesson.language_of("body"),
                                    html.Div,
                                )
                                if lesson.body
                                else None,
                                _facts(context, lesson),
                            ],
                            lg=7,
                        ),
                        dbc.Col(
                            html.Section(
                                [
                                    html.H2(t("Pilots that support it"), className="h5"),
                                    html.Ul(pilots)
                                    if pilots
                                    else html.P(
                                        t(
                                            "A programme-level lesson: the sources state it for the project "
                                            "as a whole."
                                        )
                                    ),
                                    html.P(
                                        [t("Link to this lesson: "), html.Code(share)],
                                        className="small share-link",
                                    ),
                                ],
                                className="lesson-aside",
                            ),
                            lg=5,
                        ),
                    ]
                ),
                _evidence(context, lesson, resolution, theme),
                _sources(lesson),
                _history(context.fmt, status, history),
            ],
            className="lesson-detail",
            id=f"lesson-{lesson.id}",
        )
    ]


def _aspect(aspect: str) -> str:
    """A governance aspect in words: a co-creation stage, or one of the other aspects."""
    return term("stage", aspect) if aspect in TERMS["stage"] else term("aspect", aspect)


def _themes(context, themes) -> list:
    """A card's themes in words, each marked with its language where that is not the page's."""
    parts = []
    for number, theme in enumerate(themes):
        words, code = context.derived.theme_label(theme)
        parts += ([", "] if number else []) + [in_its_language(words, code)]
    return parts


def _facts(context, lesson: Lesson) -> html.Dl:
    items = [
        (t("Themes"), _themes(context, lesson.themes)),
        (t("Governance aspects"), ", ".join(_aspect(x) for x in lesson.governance)),
        (t("Roadmap heading"), t(ROADMAP[lesson.roadmap])),
    ]
    return html.Dl(
        [part for label, value in items if value for part in (html.Dt(label), html.Dd(value))],
        className="lesson-facts",
    )


def _evidence(context, lesson: Lesson, resolution, theme: str) -> html.Section:
    short = context.derived.pilots.short
    parts = [html.H2(t("Evidence"))]
    if lesson.evidence.indicators:
        parts.append(html.H3(t("Indicators"), className="h5"))
        parts += [
            indicator_panel(context, item, resolution.values, theme) for item in lesson.evidence.indicators
        ]
    if lesson.evidence.networks:
        parts.append(html.H3(t("Network features"), className="h5"))
        parts.append(network_panel(context, lesson.evidence.networks, theme))
    if len(resolution.stories):
        parts.append(html.H3(t("Stories"), className="h5"))
        parts.append(
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(r.title),
                            f" ({short.get(r.pilot_id, r.pilot_id)}). ",
                            r.summary,
                            " ",
                            *source_links(r.source_url),
                        ],
                        className="mb-2",
                    )
                    for r in resolution.stories.itertuples(index=False)
                ],
                className="lesson-stories",
            )
        )
    if len(parts) == 1:
        parts.append(
            html.P(t("This lesson rests on its sources alone; it links no indicator, network or story."))
        )
    return html.Section(parts, className="lesson-evidence mt-4", **{"aria-label": t("Evidence")})


def _sources(lesson: Lesson) -> html.Section:
    items = [
        html.Li(
            [
                *source_links(s.url),
                html.Span(f" · {term('source_kind', s.kind)}", className="small"),
                in_its_language(s.note, lesson.language, html.Div, className="small") if s.note else None,
                # Verbatim, never translated: in the card's own language, said so on other pages.
                in_its_language(f"“{s.quote}”", lesson.language, html.Blockquote, className="source-quote")
                if s.quote
                else None,
            ],
            className="mb-2",
        )
        for s in lesson.evidence.sources
    ]
    return html.Section(
        [html.H2(t("Sources")), html.Ol(items) if items else html.P(t("No sources yet."))],
        className="lesson-sources mt-4",
    )


def when(fmt, value: str) -> str:
    """A history date in words: the day for a card's date, the day and time for a workshop decision."""
    return fmt.date(value) if len(value) <= 10 else fmt.datetime(value)


def _recorded_in(change) -> str:
    """Where a status change was recorded: the lesson card, or the workshop that decided (by its title
    and facilitator)."""
    if change.via != "workshop":
        return t("Lesson card")
    if not change.workshop:
        return t("Workshop decision")
    if change.facilitator:
        return t("Workshop “{title}”, facilitated by {name}", title=change.workshop, name=change.facilitator)
    return t("Workshop “{title}”", title=change.workshop)


def _history(fmt, status: str, history) -> html.Section:
    rows = [
        (
            html.Time(when(fmt, change.date), dateTime=change.date),
            lesson_status_badge(change.status),
            change.by,
            change.reason,
            _recorded_in(change),
        )
        for change in history
    ]
    columns = [t("Date"), t("Status"), t("Decided by"), t("Reason"), t("Recorded in")]
    return html.Section(
        [
            html.H2(t("Status and history")),
            html.P([t("Current status: "), lesson_status_badge(status)]),
            table(columns, rows, id=ids.LESSONS_HISTORY)
            if rows
            else html.P(t("No status changes recorded yet.")),
        ],
        className="lesson-history mt-4",
    )
