"""HTTP tests through the Flask test client: pages, callbacks wired to real ids, the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crosspilot import access
from tests.conftest import FIXTURES, ROOT, make_app
from tests.helpers import component_ids, router_request

# Every routed page and the one heading (H1) it must show.
PAGES = {
    "/": "Overview",
    "/compare": "Compare",
    "/networks": "Networks",
    "/lessons": "Lessons",
    "/lessons/governance": "Governance models",
    "/lessons/roadmap": "Roadmap to co-creation",
    "/workshop": "Workshop",
    "/workshop/facilitate": "Facilitate",
    "/workshop/present": "Workshop results",
    "/data": "Data",
    "/glossary": "Glossary",
    "/about/translations": "About translations",
}


def headings(node, level: str = "H1") -> list[str]:
    """The text of every heading of `level` in a rendered component tree (JSON), in order."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            props = item.get("props", {})
            if item.get("type") == level:
                found.append(_text(props.get("children")))
            stack.extend(reversed(list(props.values())))
    return found


def _text(node) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    if isinstance(node, dict):
        return _text(node.get("props", {}).get("children"))
    return ""


def _route(app, pathname: str, search: str = "", rendered=None, raw: bool = False, headers=None):
    """Call the router as the browser does and return its outputs by id.prop (or the response)."""
    client = app.server.test_client()
    body = router_request(client.get("/_dash-dependencies").get_json(), pathname, search, rendered)
    response = client.post("/_dash-update-component", json=body, headers=headers)
    if raw:
        return response
    assert response.status_code == 200, response.data[:500]
    return {f"{k}.{p}": v for k, props in response.get_json()["response"].items() for p, v in props.items()}


@pytest.mark.parametrize(("path", "heading"), [*PAGES.items(), ("/no-such-page", "Page not found")])
def test_every_page_is_served_and_shows_its_own_heading(cosie_app, path, heading):
    response = cosie_app.server.test_client().get(path)
    assert response.status_code == 200
    assert b'<html lang="en" dir="ltr">' in response.data
    # The page's content is drawn by the router: exactly one H1, the page's own.
    assert headings(_route(cosie_app, path)["shell-content.children"]) == [heading]


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_router_renders_each_page_with_its_heading_in_either_theme(cosie_app, path, heading):
    result = _route(cosie_app, path, "?theme=projector")
    assert headings(result["shell-content.children"]) == [heading]
    assert result["shell-root.className"] == "theme-projector"
    assert _route(cosie_app, path)["shell-root.className"] == "theme-standard"


def test_unknown_page_says_not_found(cosie_app):
    result = _route(cosie_app, "/nowhere")
    assert "Page not found" in json.dumps(result["shell-content.children"])


def test_projector_theme_from_the_url_is_the_pages_theme(cosie_app):
    result = _route(cosie_app, "/data", "?theme=projector")
    assert result["shell-root.className"] == "theme-projector"
    assert result["shell-theme-toggle.children"] == "Standard view"


def test_garbage_theme_falls_back_to_standard(cosie_app):
    result = _route(cosie_app, "/", "?theme=%3Cscript%3E")
    assert result["shell-root.className"] == "theme-standard"


def test_every_callback_id_exists_in_a_layout(cosie_app, tmp_path):
    context = cosie_app.context
    known = component_ids(cosie_app.layout())
    # An admin sees every page's controls (the admin page, the workshop's set-up form, publishing).
    with access.acting_as("admin"):
        known |= component_ids(cosie_app.layout())
        for page in context.pages:
            known |= component_ids(page.layout(context, {}, "standard"))
    # A phone's data slide is drawn by its callback, with the charts whose marks a tap chooses.
    from layouts.workshop_slides import evidence

    pilot = context.derived.networks.pilots()[0]
    for ref in ("/compare", f"/networks?pilot={pilot}"):
        known |= component_ids(evidence(context, {"kind": "slide", "ref": ref}, compact=True, pickable=True))
    # Snapshot pages (/s/<id>) are routed by id: a published chart and a published network.
    from layouts import snapshot

    published = make_app(instance_dir=tmp_path).context
    for link in ("/compare", "/networks"):
        record, _ = published.snapshots().publish(link)
        known |= component_ids(snapshot.page(published, record.id, "standard"))
    deps = cosie_app.server.test_client().get("/_dash-dependencies").get_json()
    named = set()
    for dep in deps:
        for item in dep["inputs"] + dep["state"]:
            named.add(item["id"])
        for part in dep["output"].strip(".").split("..."):
            named.add(part.split(".", 1)[0])
    # Pattern-matching ids ({"type": ..., "x": ["ALL"]}) name components that callbacks draw, such as
    # the workshop's agenda buttons: they are not in any static layout, so they are not checked here.
    wildcard = {name for name in named if any(f'["{w}"]' in name for w in ("ALL", "MATCH", "ALLSMALLER"))}
    assert named - wildcard - known == set()


def test_two_apps_in_one_process_serve_their_own_data():
    tiny = make_app(FIXTURES / "tiny")
    cosie = make_app()
    tiny_overview = json.dumps(_route(tiny, "/")["shell-content.children"])
    cosie_overview = json.dumps(_route(cosie, "/")["shell-content.children"])
    assert "Alpha pilot" in tiny_overview and "Alpha pilot" not in cosie_overview
    assert "My Direction" in cosie_overview


def _run(*args: str, timeout: float = 60):
    return subprocess.run(
        [sys.executable, "app.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"CROSSPILOT_CACHE": "off", "PATH": "/usr/bin:/bin"},
    )


def test_validate_accepts_a_valid_dataset():
    done = _run("validate", str(FIXTURES / "tiny"))
    assert done.returncode == 0
    assert "0 errors" in done.stdout


def test_validate_lists_every_problem_and_exits_1_without_traceback():
    done = _run("validate", str(FIXTURES / "broken"))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "outcomes.csv line" in done.stdout
    assert done.stdout.count("\n  - ") >= 10


def test_server_refuses_an_invalid_dataset_with_the_same_report():
    validate = _run("validate", str(FIXTURES / "broken"))
    served = _run("--data", str(FIXTURES / "broken"), "--port", "8999")
    assert served.returncode == 1
    assert "Traceback" not in served.stderr
    for line in validate.stdout.splitlines()[1:]:
        assert line in served.stderr


def test_a_page_writing_its_own_query_is_not_rendered_again(cosie_app):
    first = _route(cosie_app, "/data", "")
    again = _route(cosie_app, "/data", "?anything=1", rendered=first["shell-rendered.data"])
    assert "shell-content.children" not in again  # no_update: the page keeps its state
    themed = _route(cosie_app, "/data", "?theme=projector", rendered=first["shell-rendered.data"])
    assert "Data" in json.dumps(themed["shell-content.children"])


def test_pages_and_callback_responses_are_compressed_for_browsers_that_accept_it(cosie_app):
    import brotli

    plain = _route(cosie_app, "/networks", raw=True)
    packed = _route(cosie_app, "/networks", raw=True, headers={"Accept-Encoding": "br, gzip"})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.data) == plain.data
    assert len(packed.data) * 4 < len(plain.data)
