"""The form controls every page builds with: a labelled native select and a group of checkboxes.

Native controls, not dcc.Dropdown or dcc.Checklist: Dash 4's dropdown hides a focusable input from
screen readers and names its button by the chosen values only, and dcc.Checklist nests its inputs
inside role=option labels; axe flags both. Options are (value, label) pairs or {"value", "label"}
dicts. dbc.Select hides an empty option, so "every …" choices carry ANY (layouts.common).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import dash_bootstrap_components as dbc
from dash import html

from layouts.common import ANY


def options_of(options: Iterable | Mapping[str, str]) -> list[dict]:
    """{"label", "value"} dicts from a {value: label} mapping, (value, label) pairs or such dicts."""
    if isinstance(options, Mapping):
        return [{"label": label, "value": value} for value, label in options.items()]
    out = []
    for option in options:
        if isinstance(option, Mapping):
            out.append(dict(option))
        else:
            value, label = option
            out.append({"label": label, "value": value})
    return out


def select(
    component_id: str,
    label: str,
    options: Iterable | Mapping[str, str],
    value: str,
    *,
    everything: str | None = None,
    hint: str = "",
    className: str = "",
) -> html.Div:
    """A native <select> with its <label> (and an optional first "every …" option carrying ANY)."""
    choices = options_of(options)
    if everything is not None:
        choices = [{"label": everything, "value": ANY}, *choices]
        value = value or ANY
    parts = [
        dbc.Label(label, html_for=component_id, className="fw-semibold"),
        dbc.Select(id=component_id, options=choices, value=value),
    ]
    if hint:
        parts.append(html.Div(hint, className="form-text"))
    return html.Div(parts, className=className or None)


def select_columns(selects: Iterable[tuple]) -> list[dbc.Col]:
    """A row's grid columns of selects that each start with an "every …" choice, from
    (id, label, options, value, everything, width in the md grid) rows."""
    return [
        dbc.Col(select(component_id, label, options, value, everything=everything), md=width)
        for component_id, label, options, value, everything, width in selects
    ]


def checklist(
    component_id: str,
    legend: str,
    options: Iterable | Mapping[str, str],
    value: Iterable[str],
    *,
    hint: str = "",
    inline: bool = False,
    scroll: bool = False,
) -> html.Fieldset:
    """Several choices as native checkboxes under a <legend>; `scroll` for a long list."""
    boxes = dbc.Checklist(id=component_id, options=options_of(options), value=list(value), inline=inline)
    return html.Fieldset(
        [
            html.Legend(legend, className="form-label fw-semibold fs-6"),
            html.Div(boxes, className="cp-choices") if scroll else boxes,
            html.Div(hint, className="form-text") if hint else None,
        ]
    )


def radios(
    component_id: str,
    legend: str,
    options: Iterable | Mapping[str, str],
    value: str,
    *,
    inline: bool = False,
) -> html.Fieldset:
    """One choice of a few as native radio buttons under a <legend> (an option dict may be "disabled")."""
    buttons = dbc.RadioItems(id=component_id, options=options_of(options), value=value, inline=inline)
    return html.Fieldset([html.Legend(legend, className="form-label fw-semibold fs-6"), buttons])
