"""Privacy tiers (crosspilot/privacy.py): a public visitor never receives a protected actor's label or
id in any byte of any page, callback answer, download, snapshot or API answer; a partner sees them."""

from __future__ import annotations

import json

import networkx as nx
import plotly
import pytest

from callbacks import networks as cb
from crosspilot import access, privacy
from crosspilot.networks import ALL_PHASES
from crosspilot.views import networks as views
from tests.conftest import make_app
from tests.helpers import sign_in
from tests.privacy_data import AGGREGATE_PILOT, PARTNERS_PILOT, protected_dataset
from tests.test_accounts import route


@pytest.fixture(scope="module")
def protected(tmp_path_factory):
    folder, secrets = protected_dataset(tmp_path_factory.mktemp("privacy") / "data")
    app = make_app(
        folder, database_url=f"sqlite:///{folder.parent / 'p.db'}", admin_password="admin-pass-123"
    )
    return app, secrets


def as_bytes(value) -> str:
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder)


def leaked(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s.lower() in text.lower()]


def everything_a_visitor_can_fetch(app, client) -> str:
    """Every page and view the router renders, the Networks page's callbacks for each protected pilot
    (every drawing, a focus, the actors' table pages, the exports, the comparison of all pilots),
    the lesson, workshop-slide and snapshot pages, and the API: as `client`'s role sees them."""
    context = app.context
    out = []
    pages = [p.path for p in context.pages]
    queries = [
        "",
        f"?pilot={PARTNERS_PILOT}",
        f"?pilot={AGGREGATE_PILOT}",
        f"?pilot={PARTNERS_PILOT}&view=sector",
    ]
    for path in pages:
        for query in queries if path == "/networks" else [""]:
            out.append(route(client, path, query).get_data(as_text=True))
    for ref in context.derived.catalogue:
        if ref.startswith("lesson:"):
            out.append(route(client, "/lessons", f"?lesson={ref[7:]}").get_data(as_text=True))
    # The Networks callbacks, answered in the client's role (the same code the HTTP callback runs).
    with access.acting_as(role_of(app, client)):
        store = context.derived.networks
        for pilot in (PARTNERS_PILOT, AGGREGATE_PILOT):
            first = next(iter(store.graph(pilot).nodes))
            for drawing in views.DRAWINGS:
                for focus in ("", first):
                    view = views.View(pilot=pilot, view=drawing, focus=focus)
                    out.append(as_bytes(cb.page_view(context, view, "standard")))
            out.append(as_bytes(cb.actors_page(context, views.View(pilot=pilot), 2)))
            out.append(as_bytes(cb.export_csv(context, pilot, ALL_PHASES)))
            out.append(
                as_bytes(cb.actor_panel(context, None, None, first, pilot, ALL_PHASES, "networks-find"))
            )
            out.append(as_bytes(cb.controls_for_pilot(context, pilot, None)))
        out.append(as_bytes(cb.compare_all(context, ALL_PHASES, "betweenness", "", near=True)))
        out.append(as_bytes(cb.export_comparison_csv(context, ALL_PHASES)))
        from layouts.workshop_slides import evidence

        for pilot in (PARTNERS_PILOT, AGGREGATE_PILOT):
            slide = {"kind": "slide", "ref": f"/networks?pilot={pilot}"}
            out.append(as_bytes(evidence(context, slide, compact=True, pickable=True)))
            out.append(as_bytes(context.derived.slide_marks(f"/networks?pilot={pilot}")))
    out.append(client.get(f"/networks?pilot={PARTNERS_PILOT}").get_data(as_text=True))
    out.append(client.get("/api/decisions").get_data(as_text=True))
    return "\n".join(out)


def role_of(app, client) -> str:
    layout = client.get("/_dash-layout").get_data(as_text=True)
    return "partner" if "partner@example.org" in layout else "public"


def test_a_public_visitor_receives_no_protected_label_or_id_anywhere_and_a_partner_does(protected):
    app, secrets = protected
    public = everything_a_visitor_can_fetch(app, app.server.test_client())
    assert leaked(public, secrets) == []
    assert "Public actor 1" in public or "Commercial actor 1" in public  # pseudonyms are drawn instead
    assert "actors" in public and "group-" in public  # Turku's actors as groups
    partner = everything_a_visitor_can_fetch(app, sign_in(app, role="partner"))
    assert leaked(partner, secrets) == secrets  # the same fetches do carry them for a partner


def test_a_snapshot_of_a_protected_network_shows_each_reader_their_tier(protected):
    app, secrets = protected
    from callbacks.snapshots import publish

    with access.acting_as("editor", "ed@example.org"):
        done = publish(app.context, 1, "/networks", f"?pilot={PARTNERS_PILOT}")
    path = done["pathname"]
    public = route(app.server.test_client(), path).get_data(as_text=True)
    assert leaked(public, secrets) == [] and "actor 1" in public
    partner = route(sign_in(app, role="partner"), path).get_data(as_text=True)
    assert leaked(partner, secrets)


def test_pseudonyms_keep_the_layout_and_the_structure_of_the_partners_view(protected):
    app, _ = protected
    derived = app.context.derived
    with access.acting_as("partner"):
        full = derived.networks
        positions = full.positions(PARTNERS_PILOT)
        full_ties = full.ties(PARTNERS_PILOT).number_of_edges()
        degrees = sorted(d for _, d in full.ties(PARTNERS_PILOT).degree())
    public = derived.networks
    assert public is not full
    members = public.members[PARTNERS_PILOT]
    for node, (x, y) in public.positions(PARTNERS_PILOT).items():
        assert positions[members[node][0]] == (x, y)  # each actor where the partners see it
    assert public.ties(PARTNERS_PILOT).number_of_edges() == full_ties
    assert sorted(d for _, d in public.ties(PARTNERS_PILOT).degree()) == degrees
    # An unprotected pilot is the full store's, shared.
    assert public.analysis("hungary") is full.analysis("hungary")


def test_aggregated_actors_are_counts_by_sector_and_role_with_small_groups_merged():
    graph = nx.MultiGraph()
    for n in range(4):
        graph.add_node(
            f"p{n}", label=f"Agency {n}", sector="public", role="Deliverer", visibility="aggregate"
        )
    graph.add_node("c0", label="Citizen panel", sector="citizen", role="Co-designer", visibility="aggregate")
    graph.add_node("c1", label="Youth council", sector="citizen", role="Initiator", visibility="aggregate")
    graph.add_node("n0", label="Named university", sector="public", role="Evaluator")
    for u, v in (("p0", "p1"), ("p1", "p2"), ("p0", "c0"), ("c1", "n0"), ("p3", "n0")):
        graph.add_edge(u, v, relation="collaboration", status="published", source_url="https://x.example/p")
    public, members = privacy.public_network(graph)
    labels = dict(public.nodes(data="label"))
    assert labels["n0"] == "Named university"
    groups = {node: data for node, data in public.nodes(data=True) if node.startswith("group-")}
    assert sorted(d["group_size"] for d in groups.values()) == [2, 4]  # the two citizens of 1 merged
    big = next(n for n, d in groups.items() if d["group_size"] == 4)
    assert groups[big]["internal_ties"] == 2 and set(members[big]) == {"p0", "p1", "p2", "p3"}
    assert "Agency" not in json.dumps(labels) and "Citizen panel" not in json.dumps(labels)
    # A tie touching a protected actor keeps its kind, never its source link.
    assert all(
        "source_url" not in d for _, _, d in public.edges(data=True) if d["source"].startswith("group-")
    )
    assert public.number_of_edges() == 3  # p0-c0, c1-n0, p3-n0: internal ties counted, not drawn


def test_pseudonyms_are_numbered_by_id_per_sector_and_stable():
    graph = nx.Graph()
    for node, label in (("b", "Zeta Council"), ("a", "Alpha Council"), ("c", "Charity")):
        graph.add_node(node, label=label, sector="civil_society" if node == "c" else "public")
    public, members = privacy.public_network(graph, "partners")
    again, _ = privacy.public_network(graph, "partners")
    labels = {members[n][0]: d for n, d in public.nodes(data="label")}
    assert labels == {"a": "Public actor 1", "b": "Public actor 2", "c": "Civil society actor 1"}
    assert dict(again.nodes(data="label")) == dict(public.nodes(data="label"))


def test_a_wrong_visibility_is_named_with_its_file_row_and_column(tmp_path):
    import pandas as pd

    from crosspilot.dataset import load_dataset

    folder, _ = protected_dataset(tmp_path / "data")
    nodes = pd.read_csv(folder / "nodes.csv", dtype=str, keep_default_na=False)
    nodes.loc[3, "visibility"] = "secret"
    nodes.to_csv(folder / "nodes.csv", index=False)
    report = load_dataset(folder).report.format()
    assert "nodes.csv" in report and "visibility" in report and "secret" in report
    assert "named, partners, aggregate" in report or "named" in report
