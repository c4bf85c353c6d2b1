"""Each page's view: what the user chose, as it lives in the URL. One module per page.

A page module here has `PATH`, a frozen `View`, `MIGRATIONS` (renamed or retired parameters of older
links), `parse(derived, query) -> (View, notices)` and `to_query(derived, view) -> dict` writing only
non-default values. Layouts, callbacks, saved workshop slides and shared links all go through them:
nothing else parses a page's query string. `parse_link` reads a whole link ("/compare?…") with the
module of its page.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from crosspilot.views.base import GLOBAL_PARAMS, parse_query

# Path -> module of crosspilot.views, for every page whose view can be linked to or saved as a slide.
PAGES = {
    "/": "overview",
    "/compare": "compare",
    "/networks": "networks",
    "/lessons": "lessons",
    "/lessons/governance": "governance",
    "/lessons/roadmap": "roadmap",
    "/data": "data",
}


@dataclass(frozen=True)
class Link:
    """A link read by its page's view module: the path, the checked view, the theme and what was ignored."""

    path: str
    view: Any
    notices: tuple[str, ...]
    globals: dict[str, str]


def module_for(path: str) -> ModuleType | None:
    name = PAGES.get(path)
    return importlib.import_module(f"crosspilot.views.{name}") if name else None


def parse_link(derived, link: str) -> Link:
    """Read `link` (a path with its query, or a full URL of this app) with its page's view module.
    Raises ValueError, saying why, for a link to no known page."""
    parts = urlsplit(str(link).strip())
    path = parts.path.rstrip("/") or "/"
    module = module_for(path)
    if module is None:
        raise ValueError(f"no page at {path}")
    query = parse_query(parts.query)
    view, notices = module.parse(derived, query)
    return Link(path, view, tuple(notices), {k: v for k, v in query.items() if k in GLOBAL_PARAMS})


def link_for(derived, path: str, view: Any, globals: dict[str, str] | None = None) -> str:
    """The canonical link of `view` on the page at `path` (only non-default values written)."""
    from urllib.parse import urlencode

    module = module_for(path)
    if module is None:
        raise ValueError(f"no page at {path}")
    query = {**module.to_query(derived, view), **(globals or {})}
    return path + (f"?{urlencode(query)}" if query else "")
