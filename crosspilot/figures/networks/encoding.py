"""The one encoding every network drawing shares: colour = sector, shape = COSMOS role, size = a chosen
centrality, line colour and middle mark = relation, line style = provenance; and the legend explaining it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from crosspilot.figures.theme import SECTOR_COLOURS, STATUS_DASH, status_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.networks import TieArrays, relation_label, role_label, sector_label

# Above this many nodes + ties, cytoscape's canvas freezes phones: draw with WebGL or aggregate.
MAX_CYTOSCAPE_ELEMENTS = 1500
LABEL_ALL_UP_TO = 150  # more nodes than this: only the largest are labelled

# COSMOS role -> (cytoscape shape, plotly symbol, CSS clip-path polygon for the HTML legend).
_CROSS = (
    "33% 0, 67% 0, 67% 33%, 100% 33%, 100% 67%, 67% 67%, 67% 100%, 33% 100%, 33% 67%, 0 67%, 0 33%, 33% 33%"
)
ROLE_SHAPES: dict[str, tuple[str, str, str]] = {
    "Initiator": (
        "star",
        "star",
        "50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%",
    ),
    "Policy Definer": ("hexagon", "hexagon", "25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%"),
    "Specifier and Designer": ("pentagon", "pentagon", "50% 0, 100% 38%, 82% 100%, 18% 100%, 0 38%"),
    "Deployer": ("rectangle", "square", "0 0, 100% 0, 100% 100%, 0 100%"),
    "Deliverer": ("diamond", "diamond", "50% 0, 100% 50%, 50% 100%, 0 50%"),
    "User": ("ellipse", "circle", "circle(50%)"),
    "Beneficiary": ("triangle", "triangle-up", "50% 0, 100% 100%, 0 100%"),
    "Broker": (
        "octagon",
        "octagon",
        "30% 0, 70% 0, 100% 30%, 100% 70%, 70% 100%, 30% 100%, 0 70%, 0 30%",
    ),
    "Evaluator": ("vee", "triangle-down", "0 0, 100% 0, 50% 100%"),
    "External Organisations": ("polygon", "cross", _CROSS),
}
OTHER_SHAPE = ("round-rectangle", "square-open", "0 0, 100% 0, 100% 100%, 0 100%")

# Relation -> (line colour, symmetric mark in the middle of the tie: never colour alone).
RELATION_STYLES: dict[str, tuple[str, str]] = {
    "partnership": ("#000000", "none"),
    "co_design": ("#0072B2", "diamond"),
    "service_delivery": ("#D55E00", "square"),
    "information": ("#007a5a", "circle"),
    "peer_support": ("#CC79A7", "tee"),
    "representation": ("#8a5a00", "triangle-backcurve"),
    "funding": ("#3d6b99", "chevron"),
}
OTHER_RELATION = ("#555555", "none")
# "What changed" draws every tie in its change's colour (relations are then told by their middle mark
# only, and the legend says so), thick and marked + or − besides: never colour alone.
CHANGE_COLOURS = {"added": "#007a5a", "removed": "#b00020", "kept": "#9a9a9a"}
SELECTED_COLOUR = "#0b57d0"  # the outline of the actor whose panel is open
CHANGE_MARKS = {"added": "+", "removed": "−", "kept": ""}


@dataclass(frozen=True)
class NetworkView:
    """How to draw a network; every field has a safe default."""

    size_by: str = "betweenness"
    focus: frozenset | None = None  # actors drawn in full; the rest faded (None: all in full)
    selected: str | None = None  # the actor whose panel is open, outlined
    theme: str = "standard"
    sectors: frozenset = frozenset()  # only actors of these sectors are drawn (empty: all)
    relations: frozenset = frozenset()  # only ties of these relations are drawn (empty: all)


DEFAULT_VIEW = NetworkView()


@dataclass(frozen=True)
class Panel:
    """One network among the small multiples."""

    title: str
    ties: nx.Graph
    positions: Mapping
    metrics: pd.DataFrame
    arrays: TieArrays | None = None  # `ties` as arrays, when the caller keeps them (the page's store)


def role_shape(role: str) -> tuple[str, str, str]:
    return ROLE_SHAPES.get(role, OTHER_SHAPE)


def relation_style(relation: str) -> tuple[str, str]:
    return RELATION_STYLES.get(relation, OTHER_RELATION)


def sector_colour(sector: str) -> str:
    return SECTOR_COLOURS.get(sector, SECTOR_COLOURS[""])


def node_sizes(metrics: pd.DataFrame, size_by: str, smallest: float = 18, largest: float = 60) -> pd.Series:
    """Marker sizes by area: the square root of the metric's share of its maximum."""
    if size_by not in metrics or not len(metrics):
        return pd.Series(smallest, index=metrics.index)
    values = pd.to_numeric(metrics[size_by], errors="coerce").fillna(0).clip(lower=0)
    top = values.max()
    share = values / top if top > 0 else values * 0
    return smallest + (largest - smallest) * share.pow(0.5)


def metric_text(key: str, value: object, fmt: Formatter) -> str:
    """A network or actor metric as every drawing and table writes it: shares as percentages."""
    return fmt.percent(value) if key.endswith("_share") else fmt.number(value, digits=3)


def legend_entries(ties: nx.Graph) -> dict[str, list[dict]]:
    """What the legend must explain for this network: sectors, roles, relations and provenance present.
    Pure (one pass over the ties): the page keeps the answer in the NetworkStore per pilot and phase."""
    sectors = sorted({d.get("sector", "") for _, d in ties.nodes(data=True)})
    roles = sorted({d.get("role", "") for _, d in ties.nodes(data=True)})
    rels = sorted({r for *_, d in ties.edges(data=True) for r in (d.get("relations") or ("",))})
    statuses = sorted(
        {d.get("status", "illustrative") for *_, d in ties.edges(data=True)},
        key=lambda s: ("published", "estimate", "illustrative").index(s) if s in STATUS_DASH else 9,
    )
    changes = sorted({d["change"] for *_, d in ties.edges(data=True) if d.get("change")})
    return {
        "sectors": [{"key": s, "label": sector_label(s), "colour": sector_colour(s)} for s in sectors],
        "roles": [
            {"key": r, "label": role_label(r) or t("no role"), "clip": role_shape(r)[2]} for r in roles
        ],
        "relations": [
            {
                "key": r,
                "label": relation_label(r),
                "colour": relation_style(r)[0],
                "mark": relation_style(r)[1],
            }
            for r in rels
        ],
        "statuses": [
            {"key": s, "label": status_label(s), "dash": STATUS_DASH.get(s, "dot")} for s in statuses
        ],
        "changes": [
            {"key": c, "label": c, "colour": CHANGE_COLOURS[c], "mark": CHANGE_MARKS[c]} for c in changes
        ],
    }
