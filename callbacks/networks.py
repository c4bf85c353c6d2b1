"""Networks page callbacks: check the controls, ask the cached analyses, call the figure builders.

Each callback is a module-level function of the app's context that a test calls directly; `register`
wires them with Dash's dict-grouped inputs and outputs through thin adapters (the adapters only add
what Dash knows: which input fired).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import dash_cytoscape as cyto
from dash import ClientsideFunction, Input, Output, Patch, State, dcc, html, no_update, set_props

from callbacks.wiring import wiring
from crosspilot import networks as nw
from crosspilot import responses
from crosspilot.figures import networks as nf
from crosspilot.figures.theme import normalise_theme
from crosspilot.i18n import current_language, t
from crosspilot.provenance import MARKS
from crosspilot.views import networks as views
from crosspilot.vocabulary import terms
from layouts import ids
from layouts import networks as page
from layouts.common import ANY, computed_from, from_select, graph, status_badge
from layouts.controls import options_of
from layouts.shell import theme_of, with_theme

# The controls of the page, as the browser sends them (names of the view's fields, `find` for the box).
CONTROLS = {
    "pilot": ids.NETWORKS_PILOT,
    "phase": ids.NETWORKS_PHASE,
    "before": ids.NETWORKS_BEFORE,
    "sectors": ids.NETWORKS_SECTORS,
    "relations": ids.NETWORKS_RELATIONS,
    "find": ids.NETWORKS_FIND,
    "steps": ids.NETWORKS_STEPS,
    "size": ids.NETWORKS_SIZE,
    "view": ids.NETWORKS_VIEW,
}
# A job nobody has started after this many seconds: the page says the workers are busy or stopped.
WAITING_TOO_LONG = 30
NOTHING_TICKED = "\u2205"  # no box ticked: read like a link's bad value, so the page says why


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def checked_view(context, controls: dict) -> tuple[views.View, list[str]]:
    """The browser's control values, checked exactly like a URL (unknown values fall back to defaults)."""
    store = context.derived.networks
    pilot = str(controls.get("pilot") or "")
    query = {"pilot": pilot}
    for name in ("phase", "steps", "size", "view"):
        if controls.get(name):
            query[name] = str(controls[name])
    if from_select(controls.get("before")):
        query["before"] = from_select(controls.get("before"))
    if pilot in store.pilots():
        # All boxes ticked is no filter at all; the URL then stays short.
        for name, known in (
            ("sectors", page.sector_options(store, pilot)),
            ("relations", page.relation_options(store, pilot)),
        ):
            if not isinstance(controls.get(name), list):
                continue  # nothing sent: no filter
            chosen = _as_list(controls.get(name))
            if set(chosen) != {o["value"] for o in known}:
                query[name] = ",".join(chosen) if chosen else NOTHING_TICKED
        focus = nw.find_node(store.ties(pilot), str(controls.get("find") or "")[:200])
        if focus is not None:
            query["focus"] = str(focus)
    return views.parse(context.derived, query)


@dataclass(frozen=True)
class Drawn:
    """What the browser shows, as `update` wrote it into NETWORKS_DRAWN: the checked view, the theme
    and the drawing it chose, of one dataset version. A change that keeps what is drawn around it
    (pilot, phase, comparison, relations, size, theme, drawing) is sent as a `dash.Patch`."""

    view: views.View
    theme: str
    drawing: str

    def data(self, context) -> dict:
        return {
            "query": views.to_query(context.derived, self.view),
            "theme": self.theme,
            "drawing": self.drawing,
            "version": context.snapshot.version,
        }

    def keeps(self, other: Drawn | None) -> bool:
        """Whether `other` (what was drawn before) has the same drawing around it as this."""
        same = ("pilot", "phase", "before", "size")
        return (
            other is not None
            and (other.theme, other.drawing) == (self.theme, self.drawing)
            and all(getattr(other.view, f) == getattr(self.view, f) for f in same)
            and set(other.view.relations) == set(self.view.relations)
        )


def drawn_of(context, data) -> Drawn | None:
    """The browser's NETWORKS_DRAWN, checked like a link (a forged or stale one: None, a full redraw)."""
    if not isinstance(data, dict) or data.get("version") != context.snapshot.version:
        return None
    query, theme, drawing = data.get("query"), data.get("theme"), data.get("drawing")
    if not isinstance(query, dict) or drawing not in views.DRAWINGS or normalise_theme(theme) != theme:
        return None
    view, notices = views.parse(context.derived, {str(k): str(v) for k, v in query.items()})
    return None if notices else Drawn(view, theme, drawing)


def _network_view(context, view: views.View, theme: str) -> nf.NetworkView:
    analysis = context.derived.networks.analysis(view.pilot, view.phase)
    focus = frozenset(nw.neighbourhood(analysis.ties, view.focus, view.steps)) if view.focus else None
    return nf.NetworkView(
        size_by=view.size,
        focus=focus,
        selected=view.focus or None,
        theme=theme,
        sectors=frozenset(view.sectors),
        relations=frozenset(view.relations),
    )


def _elements_patch(old: list[dict], new: list[dict]):
    """`new` as a Patch of `old` when both have the same elements in the same order (a focus or a
    highlight: only classes and labels change), else `new` itself."""
    if [e["data"]["id"] for e in old] != [e["data"]["id"] for e in new]:
        return new
    patch = Patch()
    for i, (was, now) in enumerate(zip(old, new, strict=True)):
        # Every element's classes, changed or not: whichever answer the browser applies last is whole.
        patch[i]["classes"] = now["classes"]
        if was["data"] != now["data"]:
            patch[i]["data"] = now["data"]
    return patch


def _figure_patch(figure: dict, before: Drawn, view: views.View):
    """The WebGL drawing's change from `before` to `view` (whose whole drawing is `figure`), as a Patch
    of a few traces' properties: the ties' segments and the sectors' visibility when the sectors shown
    changed, the fading when the focus changed, and the focus's own small traces after either."""
    patch = Patch()
    sectors = set(before.view.sectors) != set(view.sectors)
    focus = (before.view.focus, before.view.steps) != (view.focus, view.steps)
    for i, path, value in nf.network_patch(figure, sectors=sectors, focus=focus):
        if not path:
            patch["data"][i] = value
            continue
        at = patch["data"][i]
        for key in path[:-1]:
            at = at[key]
        at[path[-1]] = value
    return patch


def _drawing(view: views.View, elements: int) -> tuple[str, list[str]]:
    """The drawing to show for `view` with `elements` actors and ties shown, and why it is not the one
    asked for. Above the limit the first view is grouped by sector (every actor one click away); a
    focus or the choice of the interactive graph draws every actor with WebGL."""
    large = elements > nf.MAX_CYTOSCAPE_ELEMENTS
    if view.view == "graph" and large:
        return "webgl", [
            t("Too many elements for the interactive graph on a phone: drawn with WebGL instead.")
        ]
    if view.view == "auto":
        return ("webgl" if view.focus else "sector") if large else "graph", []
    return view.view, []


def page_view(context, view: views.View, theme: str, before: Drawn | None = None) -> dict:
    """Everything the one-pilot part of the page shows for a checked view (used by the bench too).
    `before`: what the browser shows now; what has not changed since is no_update, and a focus,
    filter or highlight of the same drawing is a Patch of it."""
    store, fmt = context.derived.networks, context.fmt
    pilot, phase = view.pilot, view.phase
    analysis = store.analysis(pilot, phase)
    notes = []
    ties, arrays, drawn = analysis.ties, store.arrays(pilot, phase), (pilot, phase)
    diff = None
    if view.before:
        if phase == nw.ALL_PHASES or view.before == phase:
            notes.append(t("To see what changed, choose a phase different from the one to compare with."))
        else:
            ties = store.diff_ties(pilot, view.before, phase)
            arrays = store.diff_arrays(pilot, view.before, phase)
            diff = store.diff(pilot, view.before, phase)
            drawn = (pilot, phase, view.before)
    # Filters as boolean masks over the tie graph's kept arrays: no pass over the ties per request.
    node_ok, edge_ok = arrays.masks(view.sectors, view.relations)
    n_shown, m_shown = int(node_ok.sum()), int(edge_ok.sum())
    drawing, why = _drawing(view, n_shown + m_shown)
    notes += why
    now = Drawn(view, theme, drawing)
    kept = now.keeps(before)
    options = _network_view(context, view, theme)
    positions = store.positions(pilot)  # the same for every phase, kept by the store
    size_label = next(
        page.metric_label(m, analysis.samples, fmt) for m in nw.node_metrics() if m.key == view.size
    )
    counts = dict(n=fmt.count(n_shown), m=fmt.count(m_shown))
    grouped = drawing in ("sector", "community")
    if drawing == "graph":
        elements = nf.graph_to_elements(ties, positions, analysis.nodes, options, fmt)
        if kept:
            old = _network_view(context, before.view, theme)
            elements = _elements_patch(
                nf.graph_to_elements(ties, positions, analysis.nodes, old, fmt), elements
            )
        figure = no_update
        mode = t("Interactive graph: {n} actors, {m} ties.", **counts)
    elif drawing == "webgl":
        elements = no_update if kept else []
        texts = store.remember(  # formatting every actor's number is the cost: once per metric
            ("hover", view.size, current_language(), *drawn),
            lambda: nf.hover_texts(arrays, analysis.nodes, view.size, fmt),
        )
        figure = nf.network_figure_dict(
            ties, positions, analysis.nodes, options, arrays=arrays, fmt=fmt, texts=texts, toggles=True
        )
        if kept:
            figure = _figure_patch(figure, before, view)
        else:
            # The reader's zoom and pan are kept while the same network's drawing is patched.
            figure["layout"]["uirevision"] = "/".join(drawn)
        mode = t("WebGL drawing: {n} actors, {m} ties.", **counts)
        if nf.hides_ties(arrays, options):
            notes.append(
                t(
                    "While an actor is in focus, the ties outside the focus are hidden: there are too many "
                    "to redraw quickly. Clear the focus to see them all."
                )
            )
    else:
        groups = store.remember(("aggregate", drawing, *drawn), lambda: nw.aggregate(analysis, by=drawing))
        elements = no_update if kept else nf.aggregate_elements(groups, by=drawing, theme=theme, fmt=fmt)
        figure = no_update
        mode = t(
            "Grouped by {by}: {g} groups; line width and number = ties between groups.",
            by=t("sector") if drawing == "sector" else t("community"),
            g=fmt.count(groups.number_of_nodes()),
        )
        if view.view == "auto":
            notes.append(
                t(
                    "{n} actors and {m} ties are too many to read at once: draw every actor with the "
                    "button, or find one by name.",
                    n=fmt.count(n_shown),
                    m=fmt.count(m_shown),
                )
            )
    cyto_visible = drawing != "webgl"
    entries = store.remember(
        ("legend", current_language(), *drawn), lambda: nf.legend_entries(ties)
    )  # one pass over the ties, once
    name = context.derived.pilots.long.get(pilot, pilot)
    same_network = before is not None and (before.view.pilot, before.view.phase) == (pilot, phase)
    same_table = same_network and (before.view.size, set(before.view.sectors)) == (
        view.size,
        set(view.sectors),
    )
    table = no_update if same_table else actors_page(context, view, 1)
    return {
        "elements": elements,
        "stylesheet": no_update if kept else nf.stylesheet(theme),
        "cyto_style": no_update if kept else ({} if cyto_visible else {"display": "none"}),
        "figure": figure,
        "webgl_style": no_update if kept else ({"display": "none"} if cyto_visible else {}),
        "draw_all_style": {} if grouped and view.view == "auto" else {"display": "none"},
        "mode": " ".join([mode, *notes, t("Ties by provenance: {p}.", p=page.provenance_note(arrays, fmt))]),
        "legend": page.legend(
            entries, size_label, selected=bool(view.focus), focus=options.focus is not None
        ),
        "metrics": no_update
        if same_network
        else page.metrics_list(analysis.network, fmt, store.arrays(pilot, phase)),
        "summary": no_update
        if same_network
        else page.findings_list(store.summary(pilot, phase, name, fmt), fmt),
        **({key: no_update for key in _TABLE_OUTPUTS} if same_table else table),
        "diff": no_update
        if same_network and before.view.before == view.before
        else (
            _diff_section(context, diff, analysis, store.ties(pilot, view.before), arrays)
            if diff is not None
            else []
        ),
        "drawn": now.data(context),
    }


def actors_page(context, view: views.View, number) -> dict:
    """Page `number` of the actors' table for `view` (clamped to the pages there are), its status in
    words and the page shown."""
    store, fmt = context.derived.networks, context.fmt
    analysis, arrays = store.analysis(view.pilot, view.phase), store.arrays(view.pilot, view.phase)
    shown, pages = page.table_pages(analysis, view.sectors)
    number = min(max(int(number) if isinstance(number, int) else 1, 1), pages)
    return {
        "table": page.actors_table(analysis, arrays, view.size, view.sectors, fmt, page=number),
        "table_page": number,
        "table_status": page.table_status(number, pages, shown, fmt),
    }


def turn_page(context, controls: dict, number, triggered) -> dict:
    """The actors' table one page on or back, or at its first or last page."""
    view, _ = checked_view(context, controls)
    if not context.derived.networks.ready(view.pilot, view.phase):
        return {key: no_update for key in _TABLE_OUTPUTS}
    number = number if isinstance(number, int) else 1
    step = {
        ids.NETWORKS_TABLE_FIRST: -(10**9),
        ids.NETWORKS_TABLE_PREV: -1,
        ids.NETWORKS_TABLE_NEXT: 1,
        ids.NETWORKS_TABLE_LAST: 10**9,
    }.get(triggered, 0)
    return actors_page(context, view, max(min(number + step, 10**9), 1))


def draw_everyone(context, clicks) -> str:
    """The grouped first view's button: every actor drawn (WebGL), one click away."""
    return "webgl" if clicks else no_update


_TABLE_OUTPUTS = {
    "table": Output(ids.NETWORKS_TABLE, "children"),
    "table_page": Output(ids.NETWORKS_TABLE_PAGE, "data"),
    "table_status": Output(ids.NETWORKS_TABLE_STATUS, "children"),
}


def _diff_section(context, diff: nw.PhaseDiff, after: nw.Analysis, before_ties, arrays) -> list:
    """What changed, in words (computed from the ties of both phases: `arrays`, the diff's), and the
    ties added and removed, each with its own provenance."""

    def items(pairs, graph) -> list:
        named = sorted(
            (" – ".join(sorted(str(graph.nodes[n].get("label", n)) for n in pair)), graph.edges[tuple(pair)])
            for pair in pairs
        )[:50]
        return [html.Li([name, " ", status_badge(data.get("status", ""))]) for name, data in named]

    return [
        html.H2(t("What changed")),
        html.P([nw.diff_summary(diff, context.fmt), " ", computed_from(arrays.inputs, context.fmt)]),
        html.Div(
            [
                html.H3(t("Ties added (+)"), className="h6"),
                html.Ul(items(diff.added, after.ties)) if diff.added else html.P(t("None.")),
                html.H3(t("Ties removed (−)"), className="h6"),
                html.Ul(items(diff.removed, before_ties)) if diff.removed else html.P(t("None.")),
            ],
            className="networks-diff-lists",
        ),
    ]


def controls_for_pilot(context, pilot, triggered, phase=None) -> dict:
    """A new pilot resets the controls that depend on its network; "Show everyone" clears the search.
    A phase already at "all phases" is left alone: setting it fires "All pilots compared" again, whose
    small multiples draw every pilot's network (at 10,000 actors, seconds of work for nothing)."""
    store = context.derived.networks
    if triggered == ids.NETWORKS_CLEAR:
        return {key: no_update for key in _PILOT_OUTPUTS} | {"find": ""}
    if pilot not in store.pilots():
        return {key: no_update for key in _PILOT_OUTPUTS}
    sectors, relations = page.sector_options(store, pilot), page.relation_options(store, pilot)
    return {
        "phase_options": options_of(page.phase_options(store, pilot)),
        "phase": no_update if phase == nw.ALL_PHASES else nw.ALL_PHASES,
        "before_options": options_of(page.phase_options(store, pilot, include_all=False)),
        "before": ANY,
        "sector_options": sectors,
        "sectors": [o["value"] for o in sectors],
        "relation_options": relations,
        "relations": [o["value"] for o in relations],
        "find_options": page.find_options(store, pilot),
        "find_hint": page.find_hint(store, pilot, context.fmt),
        "find": "",
    }


_PILOT_OUTPUTS = {
    "phase_options": Output(ids.NETWORKS_PHASE, "options"),
    "phase": Output(ids.NETWORKS_PHASE, "value"),
    "before_options": Output(ids.NETWORKS_BEFORE, "options"),
    "before": Output(ids.NETWORKS_BEFORE, "value"),
    "sector_options": Output(ids.NETWORKS_SECTORS, "options"),
    "sectors": Output(ids.NETWORKS_SECTORS, "value"),
    "relation_options": Output(ids.NETWORKS_RELATIONS, "options"),
    "relations": Output(ids.NETWORKS_RELATIONS, "value"),
    "find_options": Output(ids.NETWORKS_FIND_OPTIONS, "children"),
    "find_hint": Output(ids.NETWORKS_FIND_HINT, "children"),
    "find": Output(ids.NETWORKS_FIND, "value"),
}


def waiting_view(context, view: views.View) -> dict:
    """What the one-pilot part shows while the background job analyses a large network for the first
    time: no drawing yet, the reason in words (the progress bar is shown by the job's `running`).
    Provisional: the same request draws the network once the job is done."""
    responses.provisional()
    store, fmt = context.derived.networks, context.fmt
    graph = store.graph(view.pilot)
    n, m = fmt.count(graph.number_of_nodes()), fmt.count(graph.number_of_edges())
    if store.shelf_alive():
        mode = t(
            "This network of {n} actors and {m} ties is being laid out and measured for the first time, "
            "in the background; it is drawn here when that is done. The rest of the page works meanwhile.",
            n=n,
            m=m,
        )
    else:  # `ask` tries again every few seconds (NETWORKS_RETRY) and starts the job once it answers
        mode = t(
            "This network of {n} actors and {m} ties needs a first analysis, but the background service "
            "cannot be reached just now. This page asks again every few seconds and draws the network "
            "once the service is back. The rest of the page works meanwhile.",
            n=n,
            m=m,
        )
    waiting = [html.P(t("Shown when the analysis is done."))]
    return {
        "elements": [],
        "stylesheet": no_update,
        "cyto_style": {},
        "figure": no_update,
        "webgl_style": {"display": "none"},
        "mode": mode,
        "legend": [],
        "metrics": waiting,
        "summary": [],
        "table": waiting,
        "table_page": 1,
        "table_status": "",
        "draw_all_style": {"display": "none"},
        "diff": [],
        "drawn": None,
    }


def _job(context, job) -> tuple[str, str] | None:
    """The pilot and phase of a job asked for by the browser's store, checked; None if not valid."""
    store = context.derived.networks
    if not isinstance(job, dict):
        return None
    pilot, phase = job.get("pilot"), job.get("phase")
    if pilot not in store.pilots() or phase not in (nw.ALL_PHASES, *store.phases(pilot)):
        return None
    return pilot, phase


def update(context, controls: dict, search, triggered, drawn=None) -> dict:
    """The drawing, legend, metrics, summary, table, diff, notices and URL for the controls' values.
    `triggered` is the control that changed (None as the page loads). A large network not analysed yet
    shows why it is not drawn; the background job's answer fires this again."""
    view, notices = checked_view(context, controls)
    find = controls.get("find")
    if find and not view.focus:
        notices.append(t("No actor called {name!r} in this network.", name=str(find)[:60]))
    theme = theme_of(search if isinstance(search, str) else "")
    ready = context.derived.networks.ready(view.pilot, view.phase)
    out = page_view(context, view, theme, drawn_of(context, drawn)) if ready else waiting_view(context, view)
    url = no_update
    if triggered is not None:
        url = with_theme("", theme, views.to_query(context.derived, view))
    notice_children = [html.P(n, className="mb-0") for n in notices]
    if triggered is None and not notices:
        notice_children, notices_open = no_update, no_update  # keep the link's notices from the layout
    else:
        notices_open = bool(notices)
    return {**out, "notices": notice_children, "notices_open": notices_open, "url": url}


def ask(context, pilot, phase, _retry=None, now: float | None = None) -> dict:
    """The background job to start for the pilot and phase chosen, when their analysis is not ready;
    no job (no process started) when it is. While the background service cannot be reached, no job
    either, and the retry timer on: this asks again every few seconds until it answers."""
    store = context.derived.networks
    if pilot not in store.pilots():
        return {"job": no_update, "retry_off": True}
    phase = phase if phase in store.phases(pilot) else nw.ALL_PHASES
    if store.ready(pilot, phase):
        return {"job": no_update, "retry_off": True}
    if not store.shelf_alive():
        return {"job": no_update, "retry_off": False}
    return {"job": {"pilot": pilot, "phase": phase, "asked": now or time.time()}, "retry_off": True}


def prepare(context, job) -> dict:
    """The background job: a large network's layout and metrics, computed once across workers and
    written to the shared disk cache; its answer tells the page's callbacks to draw."""
    checked = _job(context, job)
    if checked is None:
        return no_update
    pilot, phase = checked
    context.derived.prepare_networks(pilot, phase)  # for partners and the public: the job has no role
    return {"pilot": pilot, "phase": phase, "version": context.snapshot.version}


def prepare_in_background(context, job):
    """`prepare` as the background callback runs it: the progress bar full when done. Its answer reaches
    the page through set_props, not a declared output: the browser holds back every callback whose input
    is a pending callback's output, so the drawing (an input: NETWORKS_READY) would not even say why it
    waits."""
    done = prepare(context, job)
    if done is no_update:
        return no_update
    set_props(ids.NETWORKS_READY, {"data": done})
    return 100


def step_words() -> dict[str, str]:
    """The background job's steps (crosspilot.networks.store and analysis name them) in words."""
    return terms("analysis_step")


def progress(context, job, now: float | None = None) -> dict:
    """The running job's progress bar and, in words, its step, share done and time left."""
    checked, fmt, now = _job(context, job), context.fmt, now or time.time()
    said = context.derived.networks.progress(*checked) if checked else None
    if said is None:
        asked = job.get("asked") if isinstance(job, dict) else None
        if isinstance(asked, (int, float)) and now - asked > WAITING_TOO_LONG:
            return {
                "value": 0,
                "text": t(
                    "The analysis has not started yet: the background workers are busy or stopped. "
                    "It starts as soon as one is free."
                ),
            }
        return {
            "value": 0,
            "text": t("Starting the analysis (another visitor's may already be running: it is shared)."),
        }
    share = min(max(float(said["share"]), 0.0), 1.0)
    elapsed = max(now - float(said["started"]), 0.0)
    # The network's size gives the first guess; once a tenth is done, the pace so far is better.
    left = elapsed * (1 - share) / share if share >= 0.1 else float(said["estimate"]) - elapsed
    text = t(
        "{step}: {share} done, about {s} s left.",
        step=step_words().get(str(said["step"])) or t("Analysing"),
        share=fmt.percent(share),
        s=fmt.count(max(round(left), 1)),
    )
    return {"value": round(share * 100), "text": text}


_UPDATE_OUTPUTS = {
    "elements": Output(ids.NETWORKS_CYTO, "elements"),
    "stylesheet": Output(ids.NETWORKS_CYTO, "stylesheet"),
    "cyto_style": Output(ids.NETWORKS_CYTO_BOX, "style"),
    "figure": Output(ids.NETWORKS_WEBGL, "figure"),
    "webgl_style": Output(ids.NETWORKS_WEBGL_BOX, "style"),
    "mode": Output(ids.NETWORKS_MODE, "children"),
    "legend": Output(ids.NETWORKS_LEGEND, "children"),
    "metrics": Output(ids.NETWORKS_METRICS, "children"),
    "summary": Output(ids.NETWORKS_SUMMARY, "children"),
    **_TABLE_OUTPUTS,
    "draw_all_style": Output(ids.NETWORKS_DRAW_ALL, "style"),
    "diff": Output(ids.NETWORKS_DIFF, "children"),
    "drawn": Output(ids.NETWORKS_DRAWN, "data"),
    "notices": Output(ids.NETWORKS_NOTICES, "children", allow_duplicate=True),
    "notices_open": Output(ids.NETWORKS_NOTICES, "is_open", allow_duplicate=True),
    "url": Output(ids.URL, "search", allow_duplicate=True),
}


def actor_panel(context, tapped, clicked, find, pilot, phase, triggered) -> list:
    """The panel of the actor tapped in the graph, clicked in the WebGL drawing or found by name."""
    store = context.derived.networks
    if pilot not in store.pilots():
        return page.empty_panel()
    phase = phase if phase in (nw.ALL_PHASES, *store.phases(pilot)) else nw.ALL_PHASES
    if not store.ready(pilot, phase):  # the background job is on it; its answer fires this again
        return page.empty_panel()
    analysis = store.analysis(pilot, phase)
    node = None
    if triggered == ids.NETWORKS_CYTO and isinstance(tapped, dict):
        node = tapped.get("id")
    elif triggered == ids.NETWORKS_WEBGL and isinstance(clicked, dict):
        points = clicked.get("points") or [{}]
        node = points[0].get("customdata") if isinstance(points[0], dict) else None
    if node is None:
        node = nw.find_node(analysis.ties, str(find or "")[:200])
    if not isinstance(node, str) or node not in analysis.nodes.index:
        return page.empty_panel()
    return page.node_panel(analysis, node, store.graph(pilot), context.fmt, store.arrays(pilot, phase).inputs)


def export_image(context, pilot, triggered) -> dict:
    """What cytoscape's generateImage downloads: PNG, or SVG when that button was pressed."""
    kind = "svg" if triggered == ids.NETWORKS_SVG else "png"
    name = pilot if pilot in context.derived.networks.pilots() else "network"
    return {"type": kind, "action": "download", "filename": f"crosspilot-{name}-network"}


def export_csv(context, pilot, phase):
    """The actors' metrics of the pilot and phase shown, as CSV (plain numbers, formula-safe cells)."""
    store = context.derived.networks
    if pilot not in store.pilots():
        return no_update
    phase = phase if phase in store.phases(pilot) else nw.ALL_PHASES
    if not store.ready(pilot, phase):
        return no_update
    text = nw.node_metrics_csv(store.analysis(pilot, phase), store.arrays(pilot, phase).inputs)
    return dcc.send_string(text, f"crosspilot-{pilot}-{phase}-actors.csv", type="text/csv")


def compared_networks(context, phase: str) -> tuple[list[nw.ComparedNetwork], list[nf.Panel], list[str]]:
    """Every analysed pilot's network in `phase` (its all phases when it has not that one): the rows of
    the comparison with what they are computed from, the small multiples' panels, and the pilots still
    waiting for their first analysis. Pilots are named by their short label, so panels stay readable."""
    store, short = context.derived.networks, context.derived.pilots.short
    rows, panels, waiting = [], [], []
    for pilot in store.pilots():
        own = phase if phase in store.phases(pilot) else nw.ALL_PHASES
        name = short.get(pilot, pilot)
        if not store.ready(pilot, own):
            waiting.append(name)
            continue
        analysis, arrays = store.analysis(pilot, own), store.arrays(pilot, own)
        title = name + ("" if own == phase else t(" (all phases)"))
        rows.append(
            nw.ComparedNetwork(pilot, title, own, analysis.network, arrays.inputs, arrays.stakeholder_inputs)
        )
        panels.append(
            nf.Panel(arrays.inputs.marked(title), analysis.ties, analysis.positions(), analysis.nodes, arrays)
        )
    return rows, panels, waiting


def comparison(context, phase: str, size_by: str, theme: str) -> dict:
    """Every pilot's network metrics (chart and table) and every network drawn alike."""
    fmt = context.fmt
    rows, panels, waiting = compared_networks(context, phase)
    later = (
        html.P(
            t(
                "Not analysed yet (open it above to start; it is added here when done): {pilots}.",
                pilots=nw.and_list(waiting),
            ),
            className="small",
        )
        if waiting
        else None
    )
    if not rows:
        return {"chart": [], "table": later, "multiples": []}
    metrics = list(nw.network_metrics())
    chart = nf.metrics_comparison_figure(rows, metrics, theme, fmt)
    multiples = nf.small_multiples_figure(panels, nf.NetworkView(size_by=size_by, theme=theme), fmt=fmt)
    size_label = next(m.label for m in nw.node_metrics() if m.key == size_by)
    caption = t(
        "Every pilot's network with the same colours (sector), shapes (role) and sizes ({m}); "
        "illustrative ties dotted, and {mark} after a pilot whose network is in part illustrative.",
        m=size_label.lower(),
        mark=MARKS["illustrative"],
    )
    grouped = [row.name for row, panel in zip(rows, panels, strict=True) if nf.drawn_grouped(panel)]
    if grouped:
        caption += " " + t(
            "Too many actors for a small chart in {pilots}: drawn grouped by sector (circle size: "
            "actors; line width: ties between sectors).",
            pilots=nw.and_list(grouped),
        )
    return {
        "chart": graph(
            ids.NETWORKS_COMPARE_FIGURE,
            chart,
            t(
                "Network metrics of every pilot, one small chart per metric; bars computed in part from "
                "illustrative ties are dotted and marked {mark}. The table below gives the same values.",
                mark=MARKS["illustrative"],
            ),
        ),
        "table": [page.comparison_table(rows, metrics, fmt), later],
        "multiples": graph(ids.NETWORKS_MULTIPLES_FIGURE, multiples, caption),
    }


def export_comparison_csv(context, phase):
    """Every analysed pilot's network metrics in the chosen phase as CSV, with what they are computed from."""
    store = context.derived.networks
    known = {nw.ALL_PHASES, *(p for pilot in store.pilots() for p in store.phases(pilot))}
    phase = phase if phase in known else nw.ALL_PHASES
    rows, _, _ = compared_networks(context, phase)
    if not rows:
        return no_update
    return dcc.send_string(
        nw.comparison_csv(rows, context.fmt), f"crosspilot-networks-{phase}-compared.csv", type="text/csv"
    )


COMPARE_ALL_OUTPUTS = ("chart", "table", "multiples")


def compare_all(context, phase, size, search, near) -> dict:
    """All pilots compared, once the reader is near the section (`near` is true): until then nothing
    is built or sent, and the page keeps its note that the section is drawn when scrolled to."""
    if near is not True:
        return dict.fromkeys(COMPARE_ALL_OUTPUTS, no_update)
    store = context.derived.networks
    known = {nw.ALL_PHASES, *(p for pilot in store.pilots() for p in store.phases(pilot))}
    phase = phase if phase in known else nw.ALL_PHASES
    size = size if size in nw.NODE_METRIC_KEYS else "betweenness"
    theme = theme_of(search if isinstance(search, str) else "")
    # Which networks are analysed changes while background jobs finish: part of what is kept.
    done = tuple(
        p for p in store.pilots() if store.ready(p, phase if phase in store.phases(p) else nw.ALL_PHASES)
    )
    # The same for every visitor of this snapshot: built once (plotly's validation is the cost).
    return store.remember(
        ("comparison", phase, size, theme, current_language(), done),
        lambda: comparison(context, phase, size, theme),
    )


def register(app, context) -> None:
    wire = wiring(app, context)
    cyto.load_extra_layouts()  # bundled with the package: needed for SVG export, no network use

    wire(
        controls_for_pilot,
        output=_PILOT_OUTPUTS,
        inputs=dict(pilot=Input(ids.NETWORKS_PILOT, "value"), _clear=Input(ids.NETWORKS_CLEAR, "n_clicks")),
        state=dict(phase=State(ids.NETWORKS_PHASE, "value")),
        triggered=True,
        prevent_initial_call=True,
    )

    wire(
        update,
        output=_UPDATE_OUTPUTS,
        inputs=dict(
            controls={name: Input(cid, "value") for name, cid in CONTROLS.items()},
            _ready=Input(ids.NETWORKS_READY, "data"),
        ),
        state=dict(search=State(ids.URL, "search"), drawn=State(ids.NETWORKS_DRAWN, "data")),
        triggered=True,
        prevent_initial_call="initial_duplicate",
        repeatable=True,  # but not while the network is analysed: waiting_view says so
    )

    # The actors' table, a page at a time; the buttons stay put, so the keyboard focus stays on them.
    wire(
        turn_page,
        output={
            name: Output(o.component_id, o.component_property, allow_duplicate=True)
            for name, o in _TABLE_OUTPUTS.items()
        },
        inputs={
            name: Input(cid, "n_clicks")
            for name, cid in (
                ("_first", ids.NETWORKS_TABLE_FIRST),
                ("_prev", ids.NETWORKS_TABLE_PREV),
                ("_next", ids.NETWORKS_TABLE_NEXT),
                ("_last", ids.NETWORKS_TABLE_LAST),
            )
        },
        state=dict(
            controls={name: State(cid, "value") for name, cid in CONTROLS.items()},
            number=State(ids.NETWORKS_TABLE_PAGE, "data"),
        ),
        triggered=True,
        prevent_initial_call=True,
    )

    wire(
        draw_everyone,
        output=Output(ids.NETWORKS_VIEW, "value"),
        inputs=dict(clicks=Input(ids.NETWORKS_DRAW_ALL, "n_clicks")),
        prevent_initial_call=True,
    )

    # Not part of `update`: the job's answer fires `update`, so asking there would be a cycle.
    wire(
        ask,
        output=dict(job=Output(ids.NETWORKS_JOB, "data"), retry_off=Output(ids.NETWORKS_RETRY, "disabled")),
        inputs=dict(
            pilot=Input(ids.NETWORKS_PILOT, "value"),
            phase=Input(ids.NETWORKS_PHASE, "value"),
            _retry=Input(ids.NETWORKS_RETRY, "n_intervals"),
        ),
    )

    # In a process of its own (app.py's background manager): no request waits for it.
    wire(
        prepare_in_background,
        output=Output(ids.NETWORKS_PROGRESS, "value", allow_duplicate=True),
        inputs=dict(job=Input(ids.NETWORKS_JOB, "data")),
        background=True,
        running=[
            (Output(ids.NETWORKS_PROGRESS_POLL, "disabled"), False, True),
            (Output(ids.NETWORKS_PROGRESS_BOX, "style"), {}, {"display": "none"}),
        ],
        prevent_initial_call=True,
    )

    wire(
        progress,
        output=dict(
            value=Output(ids.NETWORKS_PROGRESS, "value"), text=Output(ids.NETWORKS_PROGRESS_TEXT, "children")
        ),
        inputs=dict(_tick=Input(ids.NETWORKS_PROGRESS_POLL, "n_intervals")),
        state=dict(job=State(ids.NETWORKS_JOB, "data")),
        prevent_initial_call=True,
    )

    wire(
        actor_panel,
        output=Output(ids.NETWORKS_PANEL, "children"),
        inputs=dict(
            tapped=Input(ids.NETWORKS_CYTO, "tapNodeData"),
            clicked=Input(ids.NETWORKS_WEBGL, "clickData"),
            find=Input(ids.NETWORKS_FIND, "value"),
            pilot=Input(ids.NETWORKS_PILOT, "value"),
            phase=Input(ids.NETWORKS_PHASE, "value"),
            _ready=Input(ids.NETWORKS_READY, "data"),
        ),
        triggered=True,
    )

    wire(
        export_image,
        output=Output(ids.NETWORKS_CYTO, "generateImage"),
        inputs=dict(_png=Input(ids.NETWORKS_PNG, "n_clicks"), _svg=Input(ids.NETWORKS_SVG, "n_clicks")),
        state=dict(pilot=State(ids.NETWORKS_PILOT, "value")),
        triggered=True,
        prevent_initial_call=True,
    )

    wire(
        export_csv,
        output=Output(ids.NETWORKS_DOWNLOAD, "data"),
        inputs=dict(_clicks=Input(ids.NETWORKS_CSV, "n_clicks")),
        state=dict(pilot=State(ids.NETWORKS_PILOT, "value"), phase=State(ids.NETWORKS_PHASE, "value")),
        prevent_initial_call=True,
    )

    wire(
        export_comparison_csv,
        output=Output(ids.NETWORKS_COMPARE_DOWNLOAD, "data"),
        inputs=dict(_clicks=Input(ids.NETWORKS_COMPARE_CSV, "n_clicks")),
        state=dict(phase=State(ids.NETWORKS_PHASE, "value")),
        prevent_initial_call=True,
    )

    wire(
        compare_all,
        output=dict(
            chart=Output(ids.NETWORKS_COMPARE_CHART, "children"),
            table=Output(ids.NETWORKS_COMPARE_TABLE, "children"),
            multiples=Output(ids.NETWORKS_MULTIPLES, "children"),
        ),
        inputs=dict(
            phase=Input(ids.NETWORKS_PHASE, "value"),
            size=Input(ids.NETWORKS_SIZE, "value"),
            _ready=Input(ids.NETWORKS_READY, "data"),
            near=Input(ids.NETWORKS_COMPARE_NEAR, "data"),
        ),
        state=dict(search=State(ids.URL, "search")),
        prevent_initial_call=True,  # the store turns true when the reader comes near the section
    )
    app.clientside_callback(
        ClientsideFunction("crosspilot", "near"),
        Output(ids.NETWORKS_COMPARE_NEAR, "data"),
        Input(ids.NETWORKS_COMPARE_SECTION, "id"),
        State(ids.NETWORKS_COMPARE_NEAR, "id"),
    )
