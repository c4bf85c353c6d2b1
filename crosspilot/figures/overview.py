"""The Overview page's map of pilot sites."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from crosspilot.countries import country_name
from crosspilot.figures.theme import template
from crosspilot.i18n import t
from crosspilot.pilots import map_label

# Rough bounding box of Europe; a dataset entirely inside it gets the Europe map.
_EUROPE = {"lat": (34.0, 72.0), "lon": (-25.0, 45.0)}


def pilot_map(pilots: pd.DataFrame, theme: str = "standard") -> go.Figure:
    """Pilot sites as labelled markers on an offline base map (plotly geo, no tile server)."""
    located = pilots[pilots["lat"].notna() & pilots["lon"].notna()]
    in_europe = (
        located["lat"].between(*_EUROPE["lat"]).all() and located["lon"].between(*_EUROPE["lon"]).all()
    )
    hover = [
        f"<b>{row.name}</b><br>{row.place or ''}{', ' if row.place else ''}{country_name(row.country)}"
        for row in located.itertuples()
    ]
    size = 16 if theme == "projector" else 11
    figure = go.Figure(
        go.Scattergeo(
            lat=located["lat"],
            lon=located["lon"],
            text=[map_label(row.place, row.country) for row in located.itertuples()],
            customdata=located["pilot_id"],
            hovertext=hover,
            hoverinfo="text",
            mode="markers+text",
            textposition=_label_positions(located),
            marker=dict(size=size, color="#D55E00", symbol="circle", line=dict(width=2, color="#000000")),
            name=t("Pilot site"),
        )
    )
    figure.update_geos(
        scope="europe" if in_europe and len(located) else "world",
        resolution=50,
        showcountries=True,
        countrycolor="#8a8a8a",
        showland=True,
        landcolor="#f2f2f2",
        showocean=True,
        oceancolor="#e8f1f8",
        showframe=False,
        projection_type="mercator" if in_europe else "natural earth",
        **(_ranges(located) if in_europe and len(located) else {}),
    )
    figure.update_layout(
        template=template(theme),
        margin=dict(l=0, r=0, t=10, b=0),
        height=560 if theme == "projector" else 460,
        showlegend=False,
    )
    return figure


def _ranges(located: pd.DataFrame) -> dict:
    """Axis ranges around the sites with a margin, wide enough to show the region around them."""

    def around(values: pd.Series, pad: float, span: float) -> list[float]:
        low, high = values.min() - pad, values.max() + pad
        if high - low < span:
            middle = (low + high) / 2
            low, high = middle - span / 2, middle + span / 2
        return [float(low), float(high)]

    return {"lataxis_range": around(located["lat"], 3, 14), "lonaxis_range": around(located["lon"], 6, 30)}


def _label_positions(located: pd.DataFrame) -> list[str]:
    """Put a label below its marker when another site sits close above or beside it."""
    positions = []
    placed: list[tuple[float, float]] = []
    for lat, lon in zip(located["lat"], located["lon"], strict=True):
        crowded = any(abs(lat - a) < 1.5 and abs(lon - b) < 4 for a, b in placed)
        positions.append("bottom center" if crowded else "top center")
        placed.append((lat, lon))
    return positions
