"""The one Markdown renderer (markdown-it-py, CommonMark with tables): for pages and for exports alike.

Raw HTML in the text is never passed through (shown as text), and only web, mail and in-app links are
kept; any other target (javascript:, data:, file:) is dropped, its text kept. Pages draw the same
syntax tree as Dash components (layouts.markdown), exports take `to_html`.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_link(url: str) -> bool:
    url = (url or "").strip()
    if url.startswith("//"):
        return False
    return url.lower().startswith(SAFE_SCHEMES) or url.startswith(("/", "#", "?")) or ":" not in url


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    parser.validateLink = safe_link  # type: ignore[method-assign]
    return parser


def tree(text: str) -> SyntaxTreeNode:
    """The syntax tree of `text` (layouts.markdown turns it into components)."""
    return SyntaxTreeNode(_parser().parse(text or ""))


def to_html(text: str) -> str:
    """`text` as an HTML fragment, safe to put into a page or an exported file."""
    return _parser().render(text or "")
