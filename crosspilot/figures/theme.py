"""The one palette and plotly template, in a standard and a projector variant."""

from __future__ import annotations

from functools import lru_cache

import plotly.graph_objects as go

from crosspilot.vocabulary import term

# Okabe–Ito, colour-blind safe. Yellow (#F0E442) fails contrast on white: never use it alone
# for a mark without a shape or a label.
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
# Order for categorical series: the strongest contrasts on white first, yellow last.
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")

# For lines and marks drawn without a dark outline: the series hues, orange and sky blue darkened just
# enough to reach 3:1 against white (WCAG 1.4.11 non-text contrast); yellow left out.
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#C28600", "#1D99E0", "#000000")

SECTOR_COLOURS = {
    "public": "#0072B2",
    "civil_society": "#009E73",
    "commercial": "#E69F00",
    "citizen": "#D55E00",
    "informal": "#CC79A7",
    "": "#7a7a7a",
}

# Provenance is drawn by shape and fill, never by colour alone.
STATUS_SYMBOLS = {"published": "circle", "estimate": "circle-open-dot", "illustrative": "circle-open"}
STATUS_DASH = {"published": "solid", "estimate": "dash", "illustrative": "dot"}
# Bars: plain, hatched or dotted (the same as Compare's bars, crosspilot.figures.compare.common).
STATUS_PATTERNS = {"published": "", "estimate": "/", "illustrative": "."}
STATUS_ORDER = ("published", "estimate", "illustrative")  # legend order: firmest first

THEMES = ("standard", "projector")


def status_label(status: str) -> str:
    return term("provenance", status)


def mark(symbol, size, colour, width: float = 2) -> dict:
    """A plotly marker filled and outlined in one colour. Hollow symbols (estimate, illustrative) show
    only the outline, so its width carries the contrast against white."""
    return dict(symbol=symbol, size=size, color=colour, line=dict(width=width, color=colour))


def normalise_theme(value: object) -> str:
    return value if value in THEMES else "standard"


@lru_cache(maxsize=len(THEMES))
def template(theme: str = "standard") -> go.layout.Template:
    """The plotly template for `theme`; projector text is at least 20 px, in black on white."""
    projector = theme == "projector"
    base = 22 if projector else 14
    return go.layout.Template(
        layout=go.Layout(
            font=dict(
                family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                size=base,
                color="#000000" if projector else "#212529",
            ),
            title=dict(font=dict(size=base + 4)),
            colorway=list(SERIES_COLOURS),
            paper_bgcolor="#ffffff",
            plot_bgcolor="#ffffff",
            hoverlabel=dict(font=dict(size=base)),
            legend=dict(font=dict(size=base)),
            xaxis=dict(
                gridcolor="#d0d0d0",
                linecolor="#000000",
                tickfont=dict(size=base),
                title=dict(font=dict(size=base)),
            ),
            yaxis=dict(
                gridcolor="#d0d0d0",
                linecolor="#000000",
                tickfont=dict(size=base),
                title=dict(font=dict(size=base)),
            ),
            margin=dict(l=60, r=20, t=50, b=50),
        )
    )


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
