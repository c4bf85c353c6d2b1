"""Roadmap to co-creation (/lessons/roadmap): lessons under The System, Catalysts and Ethical Compass,
readable on screen, printable one lesson per block, downloadable as Markdown or a self-contained HTML file."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.i18n import t
from crosspilot.lessons import ROADMAP, evidence_inputs
from crosspilot.roadmap import data_behind, marker, numbered, roadmap_sections
from crosspilot.views import lessons as lesson_views
from crosspilot.views import roadmap as views
from layouts import ids
from layouts.common import computed_from, in_its_language, source_links
from layouts.controls import options_of
from layouts.lessons_common import decisions_in_force, lesson_status_badge, section_head, strength_meter
from layouts.shell import with_theme

PATH = views.PATH


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    view, notices = views.parse(context.derived, query)
    return html.Div(
        [
            *section_head(
                t("Roadmap to co-creation"),
                PATH,
                theme,
                t(
                    "The lessons organised under the three headings of the CoSIE roadmap to co-creation. "
                    "Validated lessons come first; lessons still under validation are marked as such."
                ),
            ),
            html.Div(
                [html.P(n, className="mb-0") for n in notices], className="alert alert-warning", role="alert"
            )
            if notices
            else None,
            html.Div(
                [
                    # One native checkbox with its own label: no group, so no legend (layouts.controls).
                    dbc.Checklist(
                        id=ids.LESSONS_ROADMAP_SCOPE,
                        options=options_of([("all", t("Include lessons still under validation"))]),
                        value=["all"] if view.include_under_validation else [],
                        className="me-4",
                    ),
                    html.Button(
                        t("Download Markdown"),
                        id=ids.LESSONS_ROADMAP_MD,
                        className="btn btn-outline-dark me-2",
                        type="button",
                    ),
                    html.Button(
                        t("Download HTML"),
                        id=ids.LESSONS_ROADMAP_HTML,
                        className="btn btn-outline-dark me-2",
                        type="button",
                    ),
                    html.Button(
                        t("Print"),
                        className="btn btn-outline-dark",
                        type="button",
                        id=ids.LESSONS_ROADMAP_PRINT,
                    ),
                    dcc.Download(id=ids.LESSONS_ROADMAP_DOWNLOAD),
                    dcc.Store(id=ids.LESSONS_PRINT_SINK),
                ],
                className="roadmap-controls d-flex flex-wrap align-items-center gap-2 mb-3",
            ),
            html.Div(roadmap_body(context, view, theme), id=ids.LESSONS_ROADMAP_BODY),
        ],
        className="roadmap",
    )


def sections_of(context, view: views.View) -> dict:
    """The roadmap's headings with their lessons in force for `view` (one query for the decisions)."""
    index, structures = context.derived.lesson_index, context.derived.structures
    return roadmap_sections(
        context.derived.lessons,
        decisions_in_force(context),
        include_under_validation=view.include_under_validation,
        inputs_of=lambda lesson: evidence_inputs(lesson, index, structures),
    )


def roadmap_body(context, view: views.View, theme: str) -> list:
    sections = sections_of(context, view)
    names = context.derived.pilots.name
    parts = []
    for heading, entries in numbered(sections).items():
        blocks = []
        for item in entries:
            entry, lesson, first = item.entry, item.entry.lesson, item.first
            marks = [html.Sup(html.A(item.span, href=f"#roadmap-fn-{first}"))] if item.footnotes else []
            blocks.append(
                html.Article(
                    [
                        html.H3(
                            dcc.Link(
                                in_its_language(lesson.title, lesson.language_of("title")),
                                href=with_theme(
                                    lesson_views.PATH,
                                    theme,
                                    lesson_views.to_query(
                                        context.derived, lesson_views.View(lesson=lesson.id)
                                    ),
                                ),
                            ),
                            className="h5",
                        ),
                        html.P(html.Strong(marker(entry.status)), className="roadmap-marker")
                        if marker(entry.status)
                        else None,
                        html.P([in_its_language(lesson.summary, lesson.language_of("summary")), *marks]),
                        html.Div(
                            [
                                lesson_status_badge(entry.status),
                                strength_meter(lesson.strength),
                                html.Span(
                                    t(
                                        "Pilots: {pilots}",
                                        pilots=", ".join(names.get(p, p) for p in lesson.pilots),
                                    )
                                    if lesson.pilots
                                    else t("Programme-level lesson")
                                ),
                            ],
                            className="lesson-meta",
                        ),
                        html.P(
                            [html.Strong(t("Data behind it: ")), _data_behind(entry.inputs, context.fmt)],
                            className="small roadmap-data",
                        )
                        if entry.inputs is not None
                        else None,
                        html.Ol(
                            [
                                html.Li(
                                    [
                                        *source_links(s.url),
                                        " ",
                                        in_its_language(s.note, entry.lesson.language) if s.note else "",
                                    ],
                                    id=f"roadmap-fn-{n}",
                                )
                                for n, s in item.footnotes
                            ],
                            start=first,
                            className="roadmap-footnotes",
                            **{"aria-label": t("Sources")},
                        ),
                    ],
                    className=f"roadmap-lesson roadmap-{entry.status}",
                    **{"aria-label": lesson.title},
                )
            )
        parts.append(
            html.Section(
                [
                    html.H2(t(ROADMAP[heading])),
                    *(
                        blocks
                        or [html.P(t("No lessons under this heading yet."), className="text-body-secondary")]
                    ),
                ],
                className="roadmap-section",
            )
        )
    return parts


def _data_behind(inputs, fmt):
    """What the statement's figures and network features are computed from, marked (or its sources)."""
    return computed_from(inputs, fmt) if inputs.total else data_behind(inputs, fmt)
