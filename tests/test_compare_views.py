"""The Compare page's view as it lives in the URL: round trips, defaults, old links, garbage."""

from __future__ import annotations

import random
from dataclasses import fields, replace

import pytest

from callbacks.router import render
from crosspilot.compare import FORMS, MODES, compare
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.views import compare as views
from crosspilot.views import link_for, parse_link
from tests.helpers import by_id, context_of, markers


@pytest.fixture(scope="module")
def context(cosie_app):
    return cosie_app.context


@pytest.fixture(scope="module")
def derived(context):
    return context.derived


def many_views(derived, count: int = 300, seed: int = 9) -> list[views.View]:
    """Views across every field: indicators, pilots, open and closed periods, groups, modes, forms."""
    index = derived.compare_index
    rng = random.Random(seed)
    indicators, pilots, periods = list(index.blocks), list(index.pilot_names), list(index.periods)
    out = []
    for _ in range(count):
        start, end = sorted(rng.sample(range(len(periods)), 2))
        out.append(
            views.View(
                indicators=tuple(rng.sample(indicators, rng.randint(1, 4))),
                pilots=tuple(rng.sample(pilots, rng.randint(0, 4))),
                periods=rng.choice(
                    [("", ""), (periods[start], ""), ("", periods[end]), (periods[start], periods[end])]
                ),
                group=rng.choice(("", *index.groups)),
                mode=rng.choice(MODES),
                form=rng.choice(FORMS),
            )
        )
    return out


def test_every_view_round_trips_and_only_its_non_defaults_are_written(derived):
    default, _ = views.parse(derived, {})
    for view in many_views(derived):
        query = views.to_query(derived, view)
        assert views.parse(derived, query) == (view, []), query
        changed = {f.name for f in fields(views.View) if getattr(view, f.name) != getattr(default, f.name)}
        assert set(query) == changed


@pytest.mark.parametrize("name", [f.name for f in fields(views.View)])
def test_one_changed_field_writes_exactly_one_parameter(derived, name):
    default, _ = views.parse(derived, {})
    index = derived.compare_index
    other = {
        "indicators": ("ideas", "participants"),
        "pilots": ("hull",),
        "periods": ("2018", "2019"),
        "group": index.groups[0],
        "mode": "indexed",
        "form": "heatmap",
    }[name]
    view = replace(default, **{name: other})
    query = views.to_query(derived, view)
    assert list(query) == [name]
    assert views.parse(derived, query)[0] == view


def test_the_default_view_is_the_empty_query(derived):
    view, notices = views.parse(derived, {})
    assert view == views.View(("participants",)) and notices == []
    assert views.to_query(derived, view) == {}
    assert link_for(derived, "/compare", view) == "/compare"


def test_an_old_indicator_link_opens_that_indicator(derived):
    assert views.parse(derived, {"indicator": "ideas"}) == (views.View(("ideas",)), [])
    # Where a link has both, today's name wins; an unknown old value says what was wrong.
    assert views.parse(derived, {"indicator": "ideas", "indicators": "tweets"})[0].indicators == ("tweets",)
    view, notices = views.parse(derived, {"indicator": "nope"})
    assert view.indicators == ("participants",) and "nope" in " ".join(notices)
    # An upgraded link is written back in today's form.
    assert views.to_query(derived, views.parse(derived, {"indicator": "ideas", "mode": "indexed"})[0]) == {
        "indicators": "ideas",
        "mode": "indexed",
    }


def test_a_saved_workshop_slide_opens_the_participants_view(derived):
    link = parse_link(derived, "/compare?indicator=participants")
    assert link.path == "/compare" and link.notices == ()
    assert link.view == views.View(("participants",))
    link = parse_link(derived, "/compare?indicator=tweets&mode=change&theme=projector")
    assert link.view == views.View(("tweets",), mode="change") and link.notices == ()
    assert link.globals == {"theme": "projector"}


@pytest.mark.parametrize("indicator", ["participants", "tweets"])
def test_the_router_draws_the_indicator_an_old_link_names(context, indicator):
    content, *_ = render(context, "/compare", f"?indicator={indicator}")
    figure = by_id(content, "compare-graph").figure
    index = context.derived.compare_index
    label = index.indicators[indicator].label
    assert figure.layout.title.text.startswith(label)
    rows = compare(index, views.View((indicator,))).plotted
    assert markers(figure) == dict(zip(rows["pilot"], rows["value"], strict=True))
    assert "was ignored" not in str(content.to_plotly_json())  # no notice: the link was understood


def test_the_participants_link_shows_the_participants_counts(context):
    content, *_ = render(context, "/compare", "?indicator=participants")
    assert markers(by_id(content, "compare-graph").figure) == {
        "Võru county": 389,
        "Valencia": 350,
        "Hull and the East Riding": 60,
        "Houten": 40,
        "Wrocław": 35,
    }


@pytest.mark.parametrize(
    "query",
    [
        {"indicators": "nope"},
        {"pilots": "hull,zz"},
        {"periods": "2019..2018"},
        {"periods": "garbage"},
        {"mode": "<script>"},
        {"form": ""},
        {"group": "x" * 5000},
        {"surprise": "1"},
        {"indicators": ",".join(["participants"] * 3 + [f"i{n}" for n in range(20)])},
    ],
)
def test_garbage_in_the_url_falls_back_to_defaults_with_a_notice(derived, query):
    view, notices = views.parse(derived, query)
    assert notices, query
    assert view == views.parse(derived, {})[0]


def test_controls_values_are_checked_like_a_link(derived):
    view, notices = views.from_controls(
        derived,
        indicators=["tweets"],
        pilots=["hull"],
        periods=("2018", ""),
        group="",
        mode="change",
        form="bars",
    )
    assert view == views.View(("tweets",), ("hull",), ("2018", ""), "", "change", "bars") and notices == []
    view, notices = views.from_controls(derived, indicators=["nope"], periods=("x",), mode="pie")
    assert view == views.parse(derived, {})[0] and len(notices) == 2


def test_a_dataset_without_participants_offers_no_per_participant_mode():
    snapshot = load_dataset(BUNDLED).snapshot
    outcomes = snapshot.outcomes[snapshot.outcomes["indicator_id"] != "participants"]
    tables = {**snapshot.tables, "outcomes": outcomes}
    derived = context_of(replace(snapshot, tables=tables, version="no-participants")).derived
    view, notices = views.parse(derived, {"mode": "per_participant"})
    assert view.mode == "absolute" and "per_participant" in " ".join(notices)
    assert view.indicators != ("participants",)


def test_views_are_hashable_and_frozen():
    view = views.View(("participants",))
    assert {view: 1}[views.View(("participants",))] == 1
    with pytest.raises(AttributeError):
        view.mode = "indexed"  # type: ignore[misc]
