"""Small building blocks shared by pages: status badges, source links, figure wrappers."""

from __future__ import annotations

from dash import dcc, html

from crosspilot.figures.theme import status_label
from crosspilot.i18n import N_, current_language, display_name, language, t

GRAPH_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "topojsonURL": "/assets/topojson/",
}


# What plotly itself writes on a chart (its toolbar, tooltips and messages): plotly.js's own locales
# lack these for some of our languages (Estonian, Polish, Hungarian, Greek, half of Dutch), so our
# catalogue translates them and every chart's config carries them (plotly's `locales` option).
PLOTLY_WORDS = (
    N_("Autoscale"),
    N_("Box Select"),
    N_("Compare data on hover"),
    N_("Double-click on legend to isolate one trace"),
    N_("Double-click to zoom back out"),
    N_("Download plot"),
    N_("Download plot as a PNG"),
    N_("Lasso Select"),
    N_("Pan"),
    N_("Produced with Plotly.js"),
    N_("Reset"),
    N_("Reset axes"),
    N_("Reset view"),
    N_("Reset views"),
    N_("Show closest data on hover"),
    N_("Snapshot succeeded"),
    N_("Sorry, there was a problem downloading your snapshot!"),
    N_("Taking snapshot - this may take a few seconds"),
    N_("Toggle Spike Lines"),
    N_("Toggle show closest data on hover"),
    N_("Zoom"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("trace"),
    N_("Share chart..."),
)


def graph_config(**extra) -> dict:
    """A chart's plotly config in the current language: plotly's own locale (assets/20-plotly-locales.js)
    writes separators and month names the page's way, and our catalogue its toolbar's words."""
    code = language(current_language()).plotly
    if not code:
        return {**GRAPH_CONFIG, **extra}
    words = {word: t(word) for word in PLOTLY_WORDS}
    locale = {"dictionary": {k: v for k, v in words.items() if v != k}}
    return {**GRAPH_CONFIG, "locale": code, "locales": {code: locale}, **extra}


def in_its_language(text, code: str, tag=html.Span, **props):
    """`text` marked with the language it is written in: `lang` for screen readers, and a visible
    "(English)" where that is not the page's language, so nothing is silently mixed."""
    if not code or code == current_language():
        return tag(text, **props)
    note = html.Span(f" ({display_name(code)})", className="lang-note", lang=current_language())
    children = [*(text if isinstance(text, list) else [text]), note]
    return tag(children, lang=code, **props)


def status_badge(status: str) -> html.Span:
    """Provenance as text and border style, never colour alone."""
    return html.Span(status_label(status), className=f"status-badge status-{status or 'illustrative'}")


def computed_from(inputs, fmt) -> html.Span:
    """What a derived value is computed from, in words next to it ("† computed from 16 illustrative of 20
    ties"; "computed from published data"), never a "Published" badge (crosspilot.provenance.Inputs)."""
    return html.Span(
        [*([html.Span(inputs.mark, className="inputs-mark"), " "] if inputs.mark else []), inputs.words(fmt)],
        className=f"computed-from inputs-{inputs.status}",
    )


def marks_note(fmt=None) -> html.P:
    """What the marks after derived values mean (crosspilot.provenance.mark_key), for a table's foot."""
    from crosspilot.provenance import mark_key

    return html.P(
        [part for mark, words in mark_key() for part in (html.Strong(mark), f" {words}. ")],
        className="small marks-note",
    )


def source_links(sources: str) -> list:
    """A `;`-separated source cell as links (plain text where it is not a web address)."""
    links = []
    for number, source in enumerate(s.strip() for s in sources.split(";") if s.strip()):
        if number:
            links.append(" · ")
        if source.startswith(("http://", "https://")):
            links.append(html.A(_short_url(source), href=source, target="_blank", rel="noopener noreferrer"))
        else:
            links.append(source)
    return links


def _short_url(url: str) -> str:
    bare = url.split("://", 1)[-1]
    host, _, path = bare.partition("/")
    return host if len(bare) <= 40 else f"{host}/…{path[-18:]}" if path else host


def graph(component_id: str, figure, caption: str, config: dict | None = None) -> html.Figure:
    """A chart with a visible caption that says where its text alternative is."""
    return html.Figure(
        [
            dcc.Graph(id=component_id, figure=figure, config=graph_config(**(config or {}))),
            html.Figcaption(caption, className="cp-caption"),
        ],
        className="cp-figure",
    )


def link_notice(notices: list[str], id: str | None = None):
    """What a page could not read in its link (it showed the default instead), or nothing."""
    if not notices:
        return html.Div(id=id) if id else None
    import dash_bootstrap_components as dbc

    return dbc.Alert(
        [
            html.Strong(t("Part of this link was not understood. ")),
            html.Ul([html.Li(text) for text in notices], className="mb-0"),
        ],
        color="warning",
        **({"id": id} if id else {}),
    )


def scroll_box(children, label: str, **kwargs) -> html.Div:
    """A wide table's horizontal scroller: a named region that the keyboard can focus and scroll."""
    return html.Div(
        children,
        className=" ".join(filter(None, ["table-responsive", kwargs.pop("className", "")])),
        tabIndex="0",
        role="region",
        **{"aria-label": label},
        **kwargs,
    )


# dbc.Select always renders a hidden, disabled <option value=""> first, so an option of ours whose value
# is "" is never shown as chosen (the box looks empty) and the arrow keys cannot leave it. "Every …" and
# "Prefer not to say" options therefore carry ANY, which callbacks turn back into "" with from_select.
ANY = "*"


def from_select(value) -> str:
    """A dbc.Select value from the browser as a string; ANY, or anything not a string, as ""."""
    return value if isinstance(value, str) and value != ANY else ""
