"""The Networks page's view in the URL: round trips, checks against the pilot's own network, garbage."""

from __future__ import annotations

import pytest

from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.views import link_for, parse_link
from crosspilot.views import networks as views
from tests.helpers import context_of


@pytest.fixture(scope="module")
def derived():
    return context_of(load_dataset(BUNDLED).snapshot).derived


def test_every_choice_survives_a_round_trip_through_the_url(derived):
    view = views.View(
        pilot="hull",
        phase="co-implementation",
        before="co-design",
        sectors=("public", "citizen"),
        relations=("funding",),
        focus="mmu",
        steps=3,
        size="degree",
        view="webgl",
    )
    query = views.to_query(derived, view)
    assert query == {
        "pilot": "hull",
        "phase": "co-implementation",
        "before": "co-design",
        "sectors": "public,citizen",
        "relations": "funding",
        "focus": "mmu",
        "steps": "3",
        "size": "degree",
        "view": "webgl",
    }
    assert views.parse(derived, query) == (view, [])
    link = link_for(derived, views.PATH, view, {"theme": "projector"})
    opened = parse_link(derived, link)
    assert (opened.view, opened.notices, opened.globals) == (view, (), {"theme": "projector"})


def test_the_default_view_writes_nothing_and_the_first_pilot_is_the_default(derived):
    first = derived.networks.pilots()[0]
    view, notices = views.parse(derived, {})
    assert view == views.View(pilot=first) and notices == []
    assert views.to_query(derived, view) == {}
    # Another pilot is written; the rest stays at its defaults.
    assert views.to_query(derived, views.View(pilot="hull")) == {"pilot": "hull"}


def test_filters_and_focus_are_checked_against_the_chosen_pilots_network(derived):
    # Turku's network has no commercial actors and no peer-support ties; Hull has both.
    assert views.parse(derived, {"pilot": "hull", "sectors": "commercial"})[0].sectors == ("commercial",)
    view, notices = views.parse(
        derived, {"pilot": "turku", "sectors": "commercial", "relations": "peer_support", "focus": "mmu"}
    )
    assert (view.pilot, view.sectors, view.relations, view.focus) == ("turku", (), (), "")
    assert any("sectors='commercial'" in n and "unknown: commercial" in n for n in notices)
    assert any("relations='peer_support'" in n for n in notices)
    assert any("focus='mmu'" in n and "no such actor in this network" in n for n in notices)


def test_garbage_falls_back_to_the_defaults_with_a_notice_each(derived):
    query = {
        "pilot": "atlantis",
        "phase": "co-dreaming",
        "before": "all",  # "all phases" is no phase to compare with
        "steps": "9",
        "size": "<script>",
        "view": "3d",
        "zoom": "2",
    }
    view, notices = views.parse(derived, query)
    assert view == views.View(pilot=derived.networks.pilots()[0])
    for name in ("pilot", "phase", "before", "steps", "size", "view"):
        assert any(f"{name}=" in n and "showing the default" in n for n in notices), name
    assert any("'zoom'" in n for n in notices)
    assert len(notices) == 7


def test_a_dataset_without_networks_has_an_empty_view_and_no_crash():
    from crosspilot.config import Config
    from crosspilot.context import AppContext

    class NoNetworks:
        networks: dict = {}
        version = "none"
        pilots = None

    derived = AppContext(snapshot=NoNetworks(), config=Config(cache_dir=None)).derived
    view, notices = views.parse(derived, {"pilot": "hull"})
    assert view.pilot == "" and any("pilot='hull'" in n for n in notices)
    assert views.to_query(derived, view) == {}
