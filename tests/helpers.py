"""Test helpers: walk a Dash layout, and call a callback the way the browser does."""

from __future__ import annotations

import json
from html.parser import HTMLParser


class _Tree(HTMLParser):
    """HTML back into dash.html components (layouts.static writes tables as HTML): what the browser
    gets, in the shape the other helpers read."""

    # The parser lowercases names; layouts.static writes React's.
    _PROPS = {"classname": "className", "tabindex": "tabIndex", "colspan": "colSpan", "rowspan": "rowSpan"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root, self.open = [], []

    def _add(self, node):
        (self.open[-1].children if self.open else self.root).append(node)

    def _node(self, tag, attrs):
        from dash import html

        node = getattr(html, tag.capitalize())(
            children=[], **{self._PROPS.get(k, k): (True if v is None else v) for k, v in attrs}
        )
        self._add(node)
        return node

    def handle_starttag(self, tag, attrs):
        self.open.append(self._node(tag, attrs))

    def handle_startendtag(self, tag, attrs):  # <br/>
        self._node(tag, attrs)

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        self._add(data)


def from_html(text: str) -> list:
    parser = _Tree()
    parser.feed(text)
    parser.close()
    return parser.root


def _static(node) -> bool:
    static_class = "cp-static" in (getattr(node, "className", None) or "")
    return static_class and bool(getattr(node, "dangerously_allow_html", False))


def walk(component):
    """Every Dash component in a tree, depth first, including those in a label, header or footer, and
    the elements of the HTML a static part (layouts.static) holds."""
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        if not hasattr(node, "to_plotly_json"):
            continue
        if _static(node):
            stack.extend(from_html(node.children))
        yield node
        children = getattr(node, "children", None)
        if children is not None:
            stack.append(children)
        for prop in ("label", "header", "footer"):
            value = getattr(node, prop, None)
            if hasattr(value, "to_plotly_json"):
                stack.append(value)


def component_ids(component) -> set[str]:
    """Every string id in a component tree (dict ids are returned as their JSON)."""
    return {
        node.id if isinstance(node.id, str) else json.dumps(node.id, sort_keys=True)
        for node in walk(component)
        if getattr(node, "id", None) is not None
    }


def of_type(component, kind) -> list:
    """Every component of type `kind` in a tree."""
    return [node for node in walk(component) if isinstance(node, kind)]


def by_id(component, component_id):
    """The one component with `component_id` in a tree."""
    (found,) = [node for node in walk(component) if getattr(node, "id", None) == component_id]
    return found


def markers(figure) -> dict[str, float]:
    """What a dots chart draws: each marker's label (y) and its value (x), markers with no value left out."""
    return {
        y: x
        for trace in figure.data
        if trace.type == "scatter" and trace.mode == "markers"
        for x, y in zip(trace.x, trace.y, strict=True)
        if x is not None
    }


def text_of(component) -> str:
    """All the text a user would read in a component tree, joined by spaces."""
    parts = []
    stack = [component]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if isinstance(node, (str, int, float)):
            parts.append(str(node))
        elif isinstance(node, (list, tuple)):
            stack.extend(reversed(node))
        elif _static(node):
            stack.append(from_html(node.children))
        elif hasattr(node, "to_plotly_json"):
            stack.append(getattr(node, "children", None))
    return " ".join(" ".join(parts).split())


def post_callback(
    client,
    output: str,
    outputs: list[dict] | dict,
    inputs: list[dict],
    changed: list[str],
    state: list[dict] | None = None,
    headers: dict | None = None,
):
    payload = {
        "output": output,
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": changed,
        "state": state or [],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(payload), content_type="application/json", headers=headers
    )


def router_request(deps: list[dict], pathname: str, search: str = "", rendered=None) -> dict:
    """The body the browser posts to the router (callbacks/router.py) on navigation to `pathname` with
    `search`: the address's theme (read in the browser, assets/15-links.js) is its trigger, the query
    and what is on screen its state. `deps` is the app's /_dash-dependencies."""
    from layouts.shell import theme_of

    router = next(d for d in deps if "shell-content.children" in d["output"])
    return {
        "output": router["output"],
        "outputs": [
            dict(zip(("id", "property"), o.split(".", 1), strict=True))
            for o in router["output"].strip(".").split("...")
        ],
        "inputs": [
            {"id": "shell-url", "property": "pathname", "value": pathname},
            {"id": "shell-theme", "property": "data", "value": theme_of(search)},
        ],
        "changedPropIds": ["shell-url.pathname"],
        "state": [
            {"id": "shell-url", "property": "search", "value": search},
            {"id": "shell-rendered", "property": "data", "value": rendered},
        ],
    }


def context_of(snapshot, **config):
    """An AppContext for `snapshot` (no Parquet cache unless `config` says), as create_app() builds one."""
    from crosspilot.config import Config
    from crosspilot.context import AppContext

    return AppContext(snapshot=snapshot, config=Config(**{"cache_dir": None, **config}))


def sign_in(
    app, client=None, role: str = "partner", email: str | None = None, password: str = "a long test password"
):
    """`client` (default: a new test client of `app`) signed in through /login as an account with
    `role`, made if missing: the requests it sends then act for that account."""
    import re

    email = email or f"{role}@example.org"
    accounts = app.context.accounts()
    if accounts.by_email(email) is None:
        accounts.add(email, role, password)
    client = client or app.server.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def sign_in_browser(dash_duo, next_path: str, email: str, password: str = "a long test password") -> None:
    """Sign in through the /login form in the browser, landing on `next_path` (an account made first)."""
    from urllib.parse import quote

    dash_duo.driver.get(f"{dash_duo.server_url}/login?next={quote(next_path, safe='')}")
    dash_duo.wait_for_element("#login-email", timeout=10).send_keys(email)
    dash_duo.find_element("#login-password").send_keys(password, "\n")
    dash_duo.wait_for_contains_text("#shell-account", email, timeout=15)
