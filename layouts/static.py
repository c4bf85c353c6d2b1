"""Parts of a page that never change once drawn, sent as one element of HTML instead of a Dash
component per cell: tables of values, above all.

Every Dash component on a page costs twice on each change anywhere in it: dash-renderer re-runs every
mounted component's selector on each of the ~70 store dispatches a callback makes, and each new
component mounts through React. A Compare table of 100 rows was ~1,100 components. As one, its answer
is also half the bytes; the server's time is the same (the components are still built, then written).

`static(tree)` writes a tree of `dash.html` components (and the Bootstrap table) as markup and returns
one `dcc.Markdown` that shows it. With `dangerously_allow_html`, dcc.Markdown hands a raw block to
react-jsx-parser, which builds the React elements: so what is written here is the subset of HTML that
is also JSX. Attributes keep their React names (className, tabIndex), as Dash's own are; empty
elements are closed ("<br/>": after a bare "<br>" the parser gave up and showed nothing); every
attribute has a quoted value; and "{" and "}" are written as character references, since in JSX they
would open an expression.

The markup is built here and nowhere else. Every text and attribute value goes through markupsafe's
escape, and braces as said; only the attributes listed below are written (no event handler, no
style); a link's address must be a web, mail, relative or in-page address; a component this does not
know is refused with an error rather than passed through. Newlines are written as character
references, so the markup is one line: Markdown reads it as a single raw block and nothing in it as
Markdown. Ids inside stay in the page (for links, tests and styles) but are no longer Dash
components: no callback may target them.
"""

from __future__ import annotations

import re
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc
from markupsafe import escape

# The props written, by their React (and Dash) names, besides aria-* and data-*.
_ALLOWED = {
    "id", "className", "title", "lang", "dir", "role", "scope", "colSpan", "rowSpan", "headers", "abbr",
    "tabIndex", "href", "target", "rel", "hidden", "dateTime",
}  # fmt: skip
_VOID = {"br", "hr", "wbr", "img"}
_SAFE_HREF = re.compile(r"^(https?://|mailto:|/(?!/)|#|\?)", re.IGNORECASE)
_IGNORED = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key"}


class StaticError(ValueError):
    """A component `static` cannot write as HTML (not one of dash.html's, or a prop it does not allow)."""


def static(tree: Any, className: str | None = None) -> dcc.Markdown:
    """`tree` as one component: its HTML in a dcc.Markdown that lets raw HTML through."""
    return dcc.Markdown(
        to_html(tree),
        dangerously_allow_html=True,  # safe: every value escaped above; see the module's docstring
        className=" ".join(filter(None, ["cp-static", className])),
    )


def to_html(tree: Any) -> str:
    out: list[str] = []
    _write(tree, out)
    return "".join(out)


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;", "\n": "&#10;", "\r": "&#13;"})


def _text(value: Any) -> str:
    return str(escape(str(value))).translate(_BRACES)


def _write(node: Any, out: list[str]) -> None:
    if node is None or node is False:
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            _write(child, out)
        return
    if not hasattr(node, "_prop_names"):  # text, a number
        out.append(_text(node))
        return
    tag, attributes = _tag(node)
    written = "".join(_attribute(tag, name, value) for name, value in attributes)
    if tag in _VOID:  # "<br/>": dcc.Markdown's HTML reader shows nothing at all after a bare "<br>"
        out.append(f"<{tag}{written}/>")
        return
    out.append(f"<{tag}{written}>")
    _write(getattr(node, "children", None), out)
    out.append(f"</{tag}>")


def _tag(node: Any) -> tuple[str, list[tuple[str, Any]]]:
    # Its props as Dash sends them: the declared ones that are set, then aria-* and data-*.
    props = {k: v for k, v in node.to_plotly_json()["props"].items() if v is not None}
    if isinstance(node, dbc.Table):  # Bootstrap's table: its classes written out as dbc does
        flags = [("bordered", "table-bordered"), ("striped", "table-striped"), ("hover", "table-hover")]
        classes = ["table", *(c for flag, c in flags if props.pop(flag, False))]
        if size := props.pop("size", None):
            classes.append(f"table-{size}")
        classes += [props.pop("className", None) or "", props.pop("class_name", None) or ""]
        props["className"] = " ".join(filter(None, classes))
        return "table", list(props.items())
    if getattr(node, "_namespace", None) != "dash_html_components":
        raise StaticError(f"not an html component: {type(node).__name__}")
    return type(node).__name__.lower(), list(props.items())


def _attribute(tag: str, name: str, value: Any) -> str:
    if name in _IGNORED:
        return ""
    if name not in _ALLOWED and not name.startswith(("aria-", "data-")):
        raise StaticError(f"<{tag}> prop not written as HTML: {name}")
    if name == "href" and not _SAFE_HREF.match(str(value)):
        raise StaticError(f"<{tag}> address not written as HTML: {value!r}")
    if value is True:  # every attribute with a value, as JSX reads it
        return f' {name}="{name}"'
    return f' {name}="{_text(value)}"'
