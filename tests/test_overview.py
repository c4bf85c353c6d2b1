"""Overview: the map builder and the pilot cards, on the tiny and the bundled data."""

from __future__ import annotations

import pandas as pd

from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.figures.overview import pilot_map
from crosspilot.pilots import map_label
from layouts import overview
from tests.conftest import FIXTURES
from tests.helpers import context_of, text_of


def _snapshot(folder=BUNDLED):
    return load_dataset(folder).snapshot


def test_map_draws_every_located_pilot_on_a_europe_map():
    pilots = _snapshot().pilots
    figure = pilot_map(pilots, "standard")
    trace = figure.data[0]
    assert len(trace.lat) == len(pilots) == 10
    assert list(trace.customdata) == list(pilots["pilot_id"])
    assert figure.layout.geo.scope == "europe"
    assert "Hull and the East Riding" in trace.text
    assert figure.layout.template.layout.font.size == 14


def test_projector_map_has_large_text():
    figure = pilot_map(_snapshot().pilots, "projector")
    assert figure.layout.template.layout.font.size >= 20
    assert figure.data[0].marker.size > pilot_map(_snapshot().pilots).data[0].marker.size


def test_pilots_outside_europe_get_a_world_map_and_unlocated_pilots_are_left_out():
    pilots = pd.DataFrame(
        {
            "pilot_id": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "place": ["Lima", "", ""],
            "country": ["PE", "FI", "FI"],
            "lat": [-12.0, 60.4, float("nan")],
            "lon": [-77.0, 22.3, float("nan")],
        }
    )
    figure = pilot_map(pilots)
    assert figure.layout.geo.scope == "world"
    assert list(figure.data[0].customdata) == ["a", "b"]


def test_map_labels_are_short():
    assert map_label("Wrocław (Popowice)", "PL") == "Wrocław"
    assert map_label("10 disadvantaged rural settlements (unconfirmed which)", "HU") == "Hungary"


def test_cards_show_each_figure_with_its_status_and_source():
    page = overview.layout(context_of(_snapshot(FIXTURES / "tiny")), {}, "standard")
    text = text_of(page)
    assert "2 pilot sites in 2 countries." in text
    assert "Values: 2 published, 1 estimated, 1 illustrative." in text
    assert "Stakeholder ties: 3 illustrative." in text
    assert "100 Participants" in text and "Published" in text
    assert "40 Participants" in text and "Illustrative" in text
    assert "150 Participants" in text and "Estimate" in text


def test_bundled_headline_figures_are_sourced():
    snapshot = _snapshot()
    page = overview.layout(context_of(snapshot), {}, "standard")
    text = text_of(page)
    for row in snapshot.figures.itertuples():
        assert row.label in text
    assert (snapshot.figures["status"] != "published").sum() < len(snapshot.figures)
    published = snapshot.figures[snapshot.figures["status"] == "published"]
    assert published["source"].str.startswith("http").all()


def test_a_link_the_overview_cannot_read_opens_it_with_a_notice():
    context = context_of(_snapshot(FIXTURES / "tiny"))
    assert "not understood" not in text_of(overview.layout(context, {}, "standard"))
    text = text_of(overview.layout(context, {"zoom": "9"}, "standard"))
    assert "Part of this link was not understood." in text and "'zoom' was ignored" in text


def test_headline_figures_are_written_by_the_one_formatter():
    snapshot = _snapshot()
    text = text_of(overview.layout(context_of(snapshot), {}, "standard"))
    big = snapshot.figures[snapshot.figures["value"] >= 1000]
    for value in big["value"]:
        assert f"{int(value):,}" in text  # grouped, as on every other page


def test_a_card_lists_the_latest_value_per_indicator_when_a_pilot_has_many(tmp_path):
    """A card never grows with rows: beyond a dozen values it lists each indicator's latest one."""
    from layouts.overview import CARD_FIGURES, card_figures

    rows = [
        ("p", f"i{i:02d}", str(2000 + year), float(year), "published")
        for i in range(20)
        for year in range(30)
    ]
    rows += [("q", "i00", "2019", 5.0, "estimate"), ("q", "i00", "2020", 6.0, "estimate")]
    outcomes = pd.DataFrame(rows, columns=["pilot_id", "indicator_id", "period", "value", "status"])
    cards = card_figures(outcomes)
    assert len(cards["p"].rows) == CARD_FIGURES and cards["p"].total == 600 and cards["p"].indicators == 20
    assert set(cards["p"].rows["period"]) == {"2029"} and list(cards["p"].rows["indicator_id"])[:2] == [
        "i00",
        "i01",
    ]
    assert list(cards["q"].rows["value"]) == [5.0, 6.0] and cards["q"].total == 2  # few: all listed
