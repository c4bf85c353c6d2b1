"""Markdown as Dash components, from the one renderer's syntax tree (crosspilot.markdown).

No dangerously_allow_html anywhere: every element is built as a component, so text a partner wrote can
never become markup.
"""

from __future__ import annotations

from dash import html

from crosspilot.markdown import tree

_BLOCKS = {
    "paragraph": html.P,
    "bullet_list": html.Ul,
    "ordered_list": html.Ol,
    "list_item": html.Li,
    "blockquote": html.Blockquote,
    "em": html.Em,
    "strong": html.Strong,
    "table": html.Table,
    "thead": html.Thead,
    "tbody": html.Tbody,
    "tr": html.Tr,
    "th": html.Th,
    "td": html.Td,
}
_HEADINGS = {f"h{n}": getattr(html, f"H{n}") for n in range(1, 7)}


def _children(node, shift: int) -> list:
    out = []
    for child in node.children:
        built = _component(child, shift)
        if isinstance(built, list):
            out.extend(built)
        elif built is not None:
            out.append(built)
    return out


def _component(node, shift: int):
    kind = node.type
    if kind == "text":
        return node.content
    if kind in ("softbreak",):
        return " "
    if kind == "hardbreak":
        return html.Br()
    if kind in ("code_inline",):
        return html.Code(node.content)
    if kind in ("code_block", "fence"):
        return html.Pre(html.Code(node.content))
    if kind == "hr":
        return html.Hr()
    if kind in ("html_inline", "html_block"):
        return node.content  # never reached with html disabled; text, never markup
    if kind == "inline":
        return _children(node, shift)
    if kind == "link":
        return html.A(_children(node, shift), href=node.attrs.get("href", ""))
    if kind == "image":
        return node.attrs.get("alt") or node.content  # no remote images: the app works offline
    if kind == "heading":
        level = min(6, int(node.tag[1]) + shift)
        return _HEADINGS[f"h{level}"](_children(node, shift))
    if kind == "paragraph" and node.hidden:  # tight list items
        return _children(node, shift)
    if kind == "ordered_list" and node.attrs.get("start") not in (None, 1):
        return html.Ol(_children(node, shift), start=node.attrs["start"])
    builder = _BLOCKS.get(kind)
    if builder is None:
        return _children(node, shift) or None
    return builder(_children(node, shift))


def markdown(text: str, className: str = "", heading_shift: int = 0) -> html.Div:
    """`text` drawn as components; `heading_shift` moves its headings down (## under a page's H2)."""
    return html.Div(
        _children(tree(text), heading_shift), className=" ".join(filter(None, ["cp-markdown", className]))
    )
