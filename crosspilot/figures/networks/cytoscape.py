"""Cytoscape drawings: a network's elements with preset positions, their stylesheet, grouped actors."""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx
import pandas as pd

from crosspilot.figures.networks.encoding import (
    CHANGE_COLOURS,
    CHANGE_MARKS,
    DEFAULT_VIEW,
    LABEL_ALL_UP_TO,
    SELECTED_COLOUR,
    NetworkView,
    node_sizes,
    relation_style,
    role_shape,
    sector_colour,
)
from crosspilot.figures.theme import SERIES_COLOURS
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.networks import filtered, sector_label


def graph_to_elements(
    ties: nx.Graph,
    positions: Mapping,
    metrics: pd.DataFrame,
    view: NetworkView = DEFAULT_VIEW,
    fmt: Formatter | None = None,
) -> list[dict]:
    """Cytoscape elements with preset positions; the encoding lives in each element's data and classes."""
    fmt = fmt or Formatter()
    if view.sectors or view.relations:
        ties = filtered(ties, view.sectors, view.relations)
    sizes = node_sizes(metrics, view.size_by)
    labelled = set(ties.nodes)
    if ties.number_of_nodes() > LABEL_ALL_UP_TO:
        labelled = set(sizes.reindex(list(ties.nodes)).nlargest(20).index)
    elements = []
    for node, data in ties.nodes(data=True):
        sector, role = data.get("sector", ""), data.get("role", "")
        shape = role_shape(role)[0]
        classes = [f"role-{'polygon' if shape == 'polygon' else 'preset'}"]
        if view.focus is not None and node not in view.focus:
            classes.append("faded")
        if node == view.selected:
            classes.append("selected-actor")
        if data.get("hard_to_reach"):
            classes.append("hard-to-reach")
        x, y = positions.get(node, (500.0, 500.0))
        value = metrics[view.size_by].get(node, 0) if view.size_by in metrics else 0
        elements.append(
            {
                "data": {
                    "id": str(node),
                    "label": str(data.get("label", node)) if node in labelled else "",
                    "name": str(data.get("label", node)),
                    "sector": sector,
                    "role": role,
                    "colour": sector_colour(sector),
                    "shape": shape,
                    "size": round(float(sizes.get(node, 18)), 1),
                    "metric": fmt.number(value, digits=3),
                },
                "position": {"x": float(x), "y": float(y)},
                "classes": " ".join(classes),
            }
        )
    for u, v, data in ties.edges(data=True):
        rels = data.get("relations", ()) or ("",)
        colour, mark = relation_style(rels[0])
        change = data.get("change")
        classes = [f"status-{data.get('status', 'illustrative')}"]
        if change:
            classes.append(f"change-{change}")
            colour = CHANGE_COLOURS[change]
        if view.focus is not None and not (u in view.focus and v in view.focus):
            classes.append("faded")
        elements.append(
            {
                "data": {
                    "id": f"{u}\u2194{v}",
                    "source": str(u),
                    "target": str(v),
                    "relation": ", ".join(rels),
                    "colour": colour,
                    "mark": mark,
                    "width": round(1.5 + 1.5 * min(float(data.get("weight", 1)), 6), 1),
                    "status": data.get("status", "illustrative"),
                    "change": change or "",
                    "change_mark": CHANGE_MARKS.get(change or "", ""),
                },
                "classes": " ".join(classes),
            }
        )
    return elements


# The smallest label on screen, in CSS pixels: a label that zooming would draw smaller is hidden
# (cytoscape's min-zoomed-font-size) rather than shrunk; zoom in to read it.
LABEL_PX = {"standard": 12, "projector": 20}
LAYOUT_SPAN = 1000  # positions lie in a 0-1000 box (crosspilot.networks.layout)


def label_font(theme: str = "standard", height: int = 560, padding: int = 30) -> int:
    """Label size in the drawing's own units such that, fitted into a canvas `height` pixels high, a
    label is at least LABEL_PX on screen (cytoscape scales fonts with the zoom: a 13-unit label fitted
    into 560 pixels is drawn about 6 px high)."""
    zoom = max(height - 2 * padding, 100) / (LAYOUT_SPAN * 1.1)  # labels below the lowest actors too
    return math.ceil(LABEL_PX.get(theme, LABEL_PX["standard"]) / zoom)


def stylesheet(theme: str = "standard", height: int = 560, padding: int = 30) -> list[dict]:
    """The cytoscape stylesheet: reads colour, shape, size, width and marks from the elements' data.
    `height`, `padding`: the canvas it is for (its CSS height and fit padding, in pixels), so that labels
    are at least 12 px (20 px on a projector) at the fitted zoom, and hidden (never smaller) zoomed out."""
    projector = theme == "projector"
    smallest = LABEL_PX["projector" if projector else "standard"]
    font = label_font(theme, height, padding)
    return [
        {
            "selector": "node",
            "style": {
                "background-color": "data(colour)",
                "shape": "data(shape)",
                "width": "data(size)",
                "height": "data(size)",
                "label": "data(label)",
                "font-size": font,
                "min-zoomed-font-size": smallest,
                "color": "#000000",
                "text-valign": "bottom",
                "text-margin-y": 4,
                "text-wrap": "wrap",
                "text-max-width": font * 10,
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.85,
                "text-background-padding": 2,
                "border-width": 1.5,
                "border-color": "#000000",
            },
        },
        {
            "selector": "node.role-polygon",
            "style": {
                "shape-polygon-points": "-0.33 -1 0.33 -1 0.33 -0.33 1 -0.33 1 0.33 0.33 0.33 0.33 1 "
                "-0.33 1 -0.33 0.33 -1 0.33 -1 -0.33 -0.33 -0.33"
            },
        },
        {"selector": "node.hard-to-reach", "style": {"border-width": 4, "border-style": "double"}},
        {
            "selector": "edge",
            "style": {
                "line-color": "data(colour)",
                "width": "data(width)",
                "curve-style": "bezier",
                "mid-target-arrow-shape": "data(mark)",
                "mid-target-arrow-color": "data(colour)",
                "arrow-scale": 1.2,
                "opacity": 0.85,
            },
        },
        {"selector": "edge.status-published", "style": {"line-style": "solid"}},
        {"selector": "edge.status-estimate", "style": {"line-style": "dashed"}},
        {"selector": "edge.status-illustrative", "style": {"line-style": "dotted"}},
        {
            "selector": "edge.change-added, edge.change-removed",
            "style": {
                "label": "data(change_mark)",
                "font-size": math.ceil(font * 1.5),
                "min-zoomed-font-size": smallest,
                "font-weight": "bold",
                "color": "data(colour)",
                "text-background-color": "#ffffff",
                "text-background-opacity": 1,
                "width": 6,
                "opacity": 1,
            },
        },
        {"selector": "edge.change-kept", "style": {"opacity": 0.5}},
        {"selector": ".faded", "style": {"opacity": 0.12, "text-opacity": 0}},
        {
            "selector": "node.selected-actor",
            "style": {"border-width": 6, "border-color": SELECTED_COLOUR, "z-index": 10},
        },
        {"selector": "node:selected", "style": {"border-width": 6, "border-color": SELECTED_COLOUR}},
    ]


def aggregate_elements(
    groups: nx.Graph, by: str = "sector", theme: str = "standard", fmt: Formatter | None = None
) -> list[dict]:
    """Cytoscape elements for actors grouped by sector or community, on a circle (preset positions)."""
    fmt = fmt or Formatter()
    order = sorted(groups.nodes, key=lambda g: (-groups.nodes[g]["members"], str(g)))
    most = max((groups.nodes[g]["members"] for g in order), default=1)
    elements = []
    for i, group in enumerate(order):
        angle = 2 * math.pi * i / max(len(order), 1)
        members = groups.nodes[group]["members"]
        if by == "sector":
            colour, label = sector_colour(group), sector_label(group)
        else:
            colour = SERIES_COLOURS[i % (len(SERIES_COLOURS) - 1)]  # never the low-contrast yellow
            label = t("Community {n}", n=group)
        elements.append(
            {
                "data": {
                    "id": f"group-{group}",
                    "label": t("{label} ({n} actors)", label=label, n=fmt.count(members)),
                    "name": label,
                    "colour": colour,
                    "shape": "ellipse",
                    "size": round(30 + 70 * math.sqrt(members / most), 1),
                    "metric": fmt.count(members),
                },
                "position": {"x": 500 + 350 * math.cos(angle), "y": 500 + 350 * math.sin(angle)},
                "classes": "group",
            }
        )
    most_ties = max((d["ties"] for *_, d in groups.edges(data=True)), default=1)
    for u, v, data in groups.edges(data=True):
        elements.append(
            {
                "data": {
                    "id": f"group-{u}\u2194{v}",
                    "source": f"group-{u}",
                    "target": f"group-{v}",
                    "relation": t("{n} ties", n=fmt.count(data["ties"])),
                    "colour": "#444444",
                    "mark": "none",
                    "width": round(2 + 12 * data["ties"] / most_ties, 1),
                    "status": "published",
                    "change": "",
                    "change_mark": fmt.count(data["ties"]),
                },
                "classes": "status-published group-tie",
            }
        )
    return elements
