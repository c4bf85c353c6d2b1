"""Test helpers: walk a Dash layout, and call a callback the way the browser does."""

from __future__ import annotations

import json


def component_ids(component) -> set[str]:
    """Every string id in a component tree (dict ids are returned as their JSON)."""
    found = set()
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        if not hasattr(node, "to_plotly_json"):
            continue
        node_id = getattr(node, "id", None)
        if node_id is not None:
            found.add(node_id if isinstance(node_id, str) else json.dumps(node_id, sort_keys=True))
        children = getattr(node, "children", None)
        if children is not None:
            stack.append(children)
        for prop in ("label", "header", "footer"):
            value = getattr(node, prop, None)
            if hasattr(value, "to_plotly_json"):
                stack.append(value)
    return found


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
        elif hasattr(node, "to_plotly_json"):
            stack.append(getattr(node, "children", None))
    return " ".join(" ".join(parts).split())


def post_callback(
    client,
    output: str,
    outputs: list[dict],
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


def context_of(snapshot, **config):
    """An AppContext for `snapshot` (no Parquet cache unless `config` says), as create_app() builds one."""
    from crosspilot.config import Config
    from crosspilot.context import AppContext

    return AppContext(snapshot=snapshot, config=Config(**{"cache_dir": None, **config}))
