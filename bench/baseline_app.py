"""The bare Dash baseline the benchmarks compare Crosspilot with: one control -> one 10-point scatter.

A radio group (native inputs, driven exactly as Compare's and Networks' radios and checkboxes are) and
one callback that draws ten points. Served like Crosspilot: `gunicorn --workers 4 bench.baseline_app:server`.
"""

from __future__ import annotations

import dash
from dash import Input, Output, dcc, html

CHOICES = ("one", "two", "three", "four")


def create_app() -> dash.Dash:
    app = dash.Dash(__name__, serve_locally=True, compress=True, update_title=None)
    app.layout = html.Div(
        [
            dcc.RadioItems(id="choice", options=list(CHOICES), value=CHOICES[0]),
            dcc.Graph(id="graph"),
        ]
    )

    @app.callback(Output("graph", "figure"), Input("choice", "value"))
    def draw(choice):
        k = CHOICES.index(choice) + 1 if choice in CHOICES else 1
        return {
            "data": [
                {"type": "scatter", "mode": "markers", "x": list(range(10)), "y": [k * i for i in range(10)]}
            ]
        }

    return app


app = create_app()
server = app.server
