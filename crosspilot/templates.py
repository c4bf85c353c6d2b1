"""The one Jinja2 environment for HTML exports (the roadmap, the workshop report): templates in
crosspilot/templates/, autoescape everywhere, so a title, a note or a comment can never become markup.
Markdown goes through the one renderer (raw HTML off, unsafe links dropped) and is marked safe."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from crosspilot import markdown


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crosspilot", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text: Markup(markdown.to_html(str(text or "")))
    return env


def render(name: str, **values) -> str:
    return environment().get_template(name).render(**values)
