"""The Networks page's view: the pilot, then what is checked against that pilot's network.

`?pilot=hull&phase=co-design&before=co-initiation&focus=mmu&steps=2&sectors=public,citizen
&relations=partnership&size=degree&view=webgl`. The pilot is read first; phase, "what changed since",
sector and relation filters and the focused actor must exist in its network, else they fall back to
the default with a notice. Phases, sectors and relations come from `derived.networks` (kept per pilot).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crosspilot.i18n import t
from crosspilot.networks import ALL_PHASES, NODE_METRIC_KEYS
from crosspilot.views import base

PATH = "/networks"
DRAWINGS = ("auto", "graph", "webgl", "sector", "community")
STEPS = (1, 2, 3)
# The Networks page's parameters have kept their names since they were first written.
MIGRATIONS: tuple[base.Migration, ...] = ()


@dataclass(frozen=True)
class View:
    pilot: str = ""  # a pilot with a network; "" only when the dataset has none
    phase: str = ALL_PHASES
    before: str = ""  # the earlier phase to show what changed since ("" : no comparison)
    sectors: tuple[str, ...] = ()  # actors shown (empty: all)
    relations: tuple[str, ...] = ()  # ties shown (empty: all)
    focus: str = ""  # an actor's node id: its neighbourhood in full, the rest faded
    steps: int = 1  # how far around the focused actor
    size: str = "betweenness"  # the actor metric that sizes the markers
    view: str = "auto"  # the drawing: one of DRAWINGS


def _steps(value: str) -> int:
    return int(base.choice(tuple(map(str, STEPS)))(value))


def fields(derived, pilot: str | None) -> list[base.Field]:
    """The URL fields; phase, filters and focus are checked against `pilot`'s network."""
    store = derived.networks
    pilots = store.pilots()
    known = pilot in pilots
    phases = (ALL_PHASES, *store.phases(pilot)) if known else (ALL_PHASES,)

    def node(value: str) -> str:
        if not known or value not in store.graph(pilot):
            raise ValueError(t("no such actor in this network"))
        return value

    default = View()
    return [
        base.Field("pilot", pilots[0] if pilots else "", base.choice(pilots)),
        base.Field("phase", default.phase, base.choice(phases)),
        base.Field("before", default.before, base.choice(phases[1:])),
        base.Field("sectors", (), base.choices(store.sectors(pilot) if known else ()), base.join),
        base.Field("relations", (), base.choices(store.relations(pilot) if known else ()), base.join),
        base.Field("focus", default.focus, node),
        base.Field("steps", default.steps, _steps),
        base.Field("size", default.size, base.choice(NODE_METRIC_KEYS)),
        base.Field("view", default.view, base.choice(DRAWINGS)),
    ]


def parse(derived, query: Mapping[str, str]) -> tuple[View, list[str]]:
    """The checked view for a query: the pilot first, then what depends on its network."""
    query = base.upgrade(query, MIGRATIONS)
    pilot_field = fields(derived, None)[:1]
    pilot = base.parse({k: v for k, v in query.items() if k == "pilot"}, pilot_field)[0]["pilot"]
    values, notices = base.parse(query, fields(derived, pilot))
    return View(**values), notices


def to_query(derived, view: View) -> dict[str, str]:
    """Only what differs from the defaults (the first pilot with a network is the default pilot)."""
    fields_ = fields(derived, view.pilot)
    return base.to_query({f.name: getattr(view, f.name) for f in fields_}, fields_)
