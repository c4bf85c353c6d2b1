"""Tables sent as one element of HTML (layouts.static): what the reader gets is the table the components
described, every value from a data file is text and never markup, and nothing unknown gets through."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import Dash, dcc, html

from layouts.static import StaticError, static, to_html
from layouts.tables import Column, table
from tests.helpers import by_id, from_html, text_of

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def _table(name: str = "Turku"):
    return table(
        [Column("Pilot", row_header=True), Column("Value", numeric=True), "Source"],
        [
            [name, "1,200", html.A("eura.fi", href="https://eura.fi/x", target="_blank", rel="noopener")],
            ["Hull", [html.Em("no data"), " (not collected)"], ""],
            ["Wrocław", ["seniors' club", html.Br(), html.Small("⚠ R&D < 5 {n}")], html.I(hidden=True)],
        ],
        caption="2 rows",
        id="the-table",
        striped=True,
        scroll_label="Values, scrollable",
    )


def test_a_table_is_written_as_the_html_its_components_describe():
    written = to_html(_table())
    assert written.startswith(
        '<div id="the-table" className="table-responsive" role="region" tabIndex="0" '
        'aria-label="Values, scrollable"><table className="table table-bordered table-striped table-sm">'
        "<caption>2 rows</caption><thead><tr>"
        '<th scope="col">Pilot</th><th scope="col">Value</th><th scope="col">Source</th>'
    )
    assert '<th scope="row">Turku</th><td className="text-end">1,200</td>' in written
    # Braces would open a JSX expression in dcc.Markdown's reader: written as references.
    assert "seniors&#39; club<br/><small>⚠ R&amp;D &lt; 5 &#123;n&#125;</small>" in written
    assert '<i hidden="hidden"></i>' in written
    assert '<a href="https://eura.fi/x" rel="noopener" target="_blank">eura.fi</a>' in written
    # Read back, it says what the components say.
    assert text_of(from_html(written)) == text_of(_table())
    assert by_id(static(_table()), "the-table").role == "region"


@pytest.mark.parametrize(
    "name",
    [
        HOSTILE,
        "</table><script>window.__pwned=1</script>",
        "a\n\n# Heading *not emphasis*\n\n<b>x</b>",
        '" onclick="x',
        "{window.__pwned = 1}",
    ],
)
def test_a_value_from_a_data_file_is_text_never_markup(name):
    written = to_html(_table(name))
    assert "\n" not in written  # one line: Markdown reads one raw block and nothing in it as Markdown
    assert "<img" not in written and "<script" not in written and "<b>" not in written
    assert 'onclick="' not in written and "{" not in written
    body = from_html(written)[0].children[0].children[2].children
    (row,) = [r for r in body if not {"Hull", "Wrocław"} & set(text_of(r).split())]
    assert text_of(row.children[0]) == " ".join(name.split())


def test_what_it_does_not_know_is_refused_rather_than_passed_through():
    with pytest.raises(StaticError, match="not an html component: Link"):
        to_html(html.Td(dcc.Link("x", href="/compare")))
    with pytest.raises(StaticError, match="not an html component: Badge"):
        to_html(html.Td(dbc.Badge("x")))
    for address in ("javascript:alert(1)", " javascript:x", "//elsewhere.example/x", "data:text/html,x"):
        with pytest.raises(StaticError, match="address not written"):
            to_html(html.A("x", href=address))
    for prop in ({"draggable": "true"}, {"style": {"color": "red"}}):
        with pytest.raises(StaticError, match=f"prop not written as HTML: {next(iter(prop))}"):
            to_html(html.Span("x", **prop))


@pytest.mark.parametrize("name", [HOSTILE, "{window.__pwned = 1}"])
def test_the_browser_shows_hostile_text_as_text_and_keeps_the_table(dash_duo, name):
    app = Dash(__name__)
    app.layout = html.Div([static(_table(name)), html.P("drawn", id="done")])
    dash_duo.start_server(app, port=8173)
    dash_duo.wait_for_contains_text("#the-table", "Hull", timeout=10)
    # Every row, the last after an empty element and an escaped ampersand.
    assert dash_duo.find_element("#the-table tbody tr:last-child td").text == "seniors' club\n⚠ R&D < 5 {n}"
    assert dash_duo.find_element("#the-table caption").text == "2 rows"
    region = dash_duo.find_element("#the-table")  # React's names became the page's attributes
    assert [region.get_attribute(a) for a in ("class", "tabindex", "aria-label")] == [
        "table-responsive",
        "0",
        "Values, scrollable",
    ]
    assert dash_duo.find_element("#the-table tbody th").text == name
    assert dash_duo.find_elements("#the-table img") == []
    assert dash_duo.driver.execute_script("return window.__pwned === undefined")
    link = dash_duo.find_element("#the-table a")
    assert link.get_attribute("href") == "https://eura.fi/x" and link.get_attribute("target") == "_blank"
    assert dash_duo.get_logs() == []
