"""The one table builder: every table a page shows (data alternatives to charts, histories, lists).

A table has a caption (what it shows), column headers with scope, and cells that are text, numbers
(right-aligned, already formatted by the one Formatter) or components. Wide tables scroll inside a
named region that the keyboard can focus.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from layouts.common import scroll_box


@dataclass(frozen=True)
class Column:
    header: Any
    numeric: bool = False  # right-aligned
    className: str = ""
    row_header: bool = False  # the cell names its row (<th scope="row">)


def _cell(value: Any, column: Column):
    classes = " ".join(filter(None, ["text-end" if column.numeric else "", column.className])) or None
    if isinstance(value, html.Td | html.Th):
        return value
    if column.row_header:
        return html.Th(value, scope="row", className=classes)
    return html.Td("" if value is None else value, className=classes)


def table(
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Any]],
    *,
    caption: Any = None,
    id: str | None = None,
    className: str = "",
    striped: bool = False,
    scroll_label: str | None = None,
    row_class: Iterable[str | None] | None = None,
    row_id: Iterable[str | None] | None = None,
):
    """A bordered, compact table of `rows` (one sequence of cells per row, in `columns`' order).
    `scroll_label` wraps it in a focusable horizontal scroller named by that label; `row_id` gives
    rows ids (links and tests point at a row)."""
    columns = [c if isinstance(c, Column) else Column(c) for c in columns]
    classes = iter(row_class) if row_class is not None else None
    row_ids = iter(row_id) if row_id is not None else None
    body = []
    for row in rows:
        tr_id = next(row_ids, None) if row_ids is not None else None
        body.append(
            html.Tr(
                [_cell(value, column) for value, column in zip(row, columns, strict=True)],
                className=next(classes, None) if classes is not None else None,
                **({"id": tr_id} if tr_id else {}),
            )
        )
    head = html.Thead(html.Tr([html.Th(c.header, scope="col") for c in columns]))
    parts = ([html.Caption(caption)] if caption is not None else []) + [head, html.Tbody(body)]
    kwargs = {"id": id} if id and not scroll_label else {}
    built = dbc.Table(parts, bordered=True, size="sm", striped=striped, className=className or None, **kwargs)
    if scroll_label:
        return scroll_box(built, scroll_label, **({"id": id} if id else {}))
    return built
