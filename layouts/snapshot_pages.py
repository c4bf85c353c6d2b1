"""A published view drawn from its frozen context: each page's own builders, without its controls (a
snapshot shows one view; its controls would change the live page, not the frozen one)."""

from __future__ import annotations

import dash_cytoscape as cyto
from dash import dcc, html

from crosspilot.compare import compare
from crosspilot.i18n import N_, t
from layouts import compare as compare_page
from layouts import ids
from layouts.common import graph, scroll_box

CAPTION = N_("The table below the chart lists exactly the plotted values, with their sources.")


def body(context, kind: str, view, theme: str) -> list:
    """The page `kind` (crosspilot.snapshots.PUBLISHABLE) showing `view`, from `context`."""
    return {
        "compare": _compare,
        "networks": _networks,
        "lesson": _lesson,
        "governance": _governance,
        "roadmap": _roadmap,
    }[kind](context, view, theme)


def _compare(context, view, theme: str) -> list:
    comparison = compare(context.derived.compare_index, view)
    figure, badge, summary, table, sources = compare_page.parts(comparison, theme, context.fmt)
    return [
        html.Div(badge, className="snapshot-badge"),
        graph(ids.SNAPSHOT_GRAPH, figure, t(CAPTION), config={"toImageButtonOptions": _image_options()}),
        html.Div(summary, className="compare-summary"),
        html.H2(t("Plotted data")),
        scroll_box(table, t("Plotted data, scrollable")),
        html.H2(t("Sources")),
        html.Div(sources),
    ]


def _image_options() -> dict:
    return {"format": "png", "scale": 2, "filename": "crosspilot-snapshot"}


def _networks(context, view, theme: str) -> list:
    if view.pilot not in context.derived.networks.pilots():
        return [html.P(t("This dataset has no stakeholder networks (nodes and edges)."))]
    # The same pieces the live page's callback fills in (callbacks/networks.py), from the frozen data.
    from callbacks.networks import page_view

    parts = page_view(context, view, theme)
    if parts["elements"]:
        drawing = html.Div(
            [
                html.Div(
                    cyto.Cytoscape(
                        id=ids.SNAPSHOT_CYTO,
                        layout={"name": "preset", "fit": True, "padding": 30},
                        elements=parts["elements"],
                        stylesheet=parts["stylesheet"],
                        style={"width": "100%", "height": "560px"},
                        minZoom=0.1,
                        maxZoom=4,
                        boxSelectionEnabled=False,
                        responsive=True,
                    ),
                    className="networks-canvas",
                    role="img",
                    **{"aria-label": t("Network graph; its table and summary follow below.")},
                ),
                html.Div(
                    [
                        html.Button(
                            t("Download PNG"), id=ids.SNAPSHOT_CYTO_PNG, className="btn btn-outline-dark"
                        ),
                        html.Button(
                            t("Download SVG"), id=ids.SNAPSHOT_CYTO_SVG, className="btn btn-outline-dark"
                        ),
                    ],
                    className="snapshot-actions d-flex flex-wrap gap-2 my-2",
                ),
            ]
        )
    else:
        drawing = graph(
            ids.SNAPSHOT_GRAPH, parts["figure"], t("Network drawing; its table and summary follow.")
        )
    return [
        html.P(parts["mode"], className="networks-mode"),
        html.Div(
            [
                html.Div(drawing, className="col-lg-8"),
                html.Aside(parts["legend"], className="networks-legend col-lg-4"),
            ],
            className="row",
        ),
        html.Div(parts["diff"]),
        html.H2(t("In plain words")),
        html.Ul(parts["summary"], className="networks-summary"),
        html.H2(t("Network metrics")),
        html.Div(parts["metrics"]),
        html.H2(t("Table of actors, their ties and metrics")),
        html.Div(parts["table"]),
    ]


def _lesson(context, view, theme: str) -> list:
    from layouts import lessons

    lesson = next((x for x in context.derived.lessons if x.id == view.lesson), None)
    if lesson is None:
        return [html.P(t("The snapshot's data has no lesson {id}.", id=view.lesson))]
    return lessons.detail(context, lesson, view, theme)


def _governance(context, view, theme: str) -> list:
    from layouts import lessons_governance

    return [lessons_governance.layout(context, {}, theme)]


def _roadmap(context, view, theme: str) -> list:
    from layouts import lessons_roadmap

    return [html.Div(lessons_roadmap.roadmap_body(context, view, theme), className="roadmap")]


# Pages whose body has its own first-level heading (the lesson's title, the section's).
OWN_HEADING = frozenset({"lesson", "governance"})


def has_chart(component) -> bool:
    """Whether a plotly chart is drawn in `component` (its PNG and SVG can then be downloaded)."""
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, dcc.Graph):
            return True
        if isinstance(node, list | tuple):
            stack.extend(node)
        elif hasattr(node, "to_plotly_json"):
            children = getattr(node, "children", None)
            if children is not None:
                stack.append(children)
    return False
