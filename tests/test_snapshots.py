"""Frozen snapshots (crosspilot/snapshots): publishing a view, opening it after the data changed, the
citation, the Data page's list, refusals, unknown ids and a database that does not answer."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dash import dcc

from callbacks import router
from callbacks import snapshots as callbacks
from crosspilot import access
from crosspilot.snapshots import Refused, citation
from crosspilot.snapshots.store import Record, SnapshotStore
from crosspilot.workshop.errors import Unavailable
from layouts import ids
from tests.conftest import FIXTURES, make_app
from tests.helpers import by_id, markers, text_of
from tests.test_workshop_service import postgres_url, reset_postgres


@pytest.fixture(autouse=True)
def as_editor():
    """Publishing is an editor's (crosspilot.access); these tests call the publish callback as one."""
    with access.acting_as("editor"):
        yield


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", folder)
    return folder


@pytest.fixture
def instance(tmp_path):
    return tmp_path / "instance"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The snapshot records' database: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'snapshots.db'}"
    reset_postgres(postgres_url())
    return postgres_url()


def render(app, path: str, search: str = ""):
    """The page content at `path`, as the router draws it inside a request."""
    with app.server.test_request_context(path):
        return router.render(app.context, path, search, None)[0]


def published(app, link: str) -> str:
    pathname, _, search = link.partition("?")
    out = callbacks.publish(app.context, 1, pathname, f"?{search}" if search else "")
    assert out["status"] is None, text_of(out["status"])
    assert out["pathname"].startswith("/s/")
    return out["pathname"][len("/s/") :]


def chart_values(content, graph_id: str) -> dict[str, float]:
    return markers(by_id(content, graph_id).figure)


def edit_value(folder, old: str, new: str) -> None:
    outcomes = folder / "outcomes.csv"
    text = outcomes.read_text()
    assert old in text
    outcomes.write_text(text.replace(old, new, 1))


def test_a_snapshot_keeps_showing_the_data_it_was_published_with(data, instance, database):
    before = make_app(data, instance_dir=instance, database_url=database)
    snapshot_id = published(before, "/compare?indicators=participants")
    frozen = chart_values(render(before, f"/s/{snapshot_id}"), ids.SNAPSHOT_GRAPH)
    assert frozen["Turku"] == 150  # alpha's latest participants (2019)
    assert "shows the same data" in text_of(render(before, f"/s/{snapshot_id}"))

    edit_value(data, "alpha,participants,2019,150", "alpha,participants,2019,175")
    # The served data changes: a new start on the changed files, the same database and snapshots folder.
    after = make_app(data, instance_dir=instance, database_url=database)
    assert after.context.snapshot.version != before.context.snapshot.version

    live = chart_values(render(after, "/compare", "?indicators=participants"), ids.COMPARE_GRAPH)
    assert live["Turku"] == 175
    snapshot = render(after, f"/s/{snapshot_id}")
    assert chart_values(snapshot, ids.SNAPSHOT_GRAPH)["Turku"] == 150
    words = text_of(snapshot)
    assert f"data version {before.context.snapshot.version[:8]}" in words
    assert "The current view differs: open the live view" in words
    live_link = by_id(snapshot, ids.SNAPSHOT_HEADER)
    assert any(getattr(n, "href", None) == "/compare" for n in _walk(live_link))
    # The snapshot's files are kept by content hash, apart from the served folder.
    kept = instance / "snapshots" / "files"
    assert len(list(kept.glob("*/*"))) >= len(list(data.glob("*.csv")))


def _walk(component):
    from tests.helpers import walk

    return list(walk(component))


def test_publishing_the_same_view_again_returns_the_same_snapshot_and_nothing_changes_it(data, instance):
    app = make_app(data, instance_dir=instance)
    first = published(app, "/compare?indicators=participants")
    store = app.context.snapshots().store
    stored = store.get(first)
    again = published(app, "/compare?indicators=participants&theme=projector")  # the theme is not the view
    assert again == first
    assert store.get(first) == stored  # nothing rewritten: same date, same record
    other = published(app, "/compare?indicators=participants&mode=indexed")
    assert other != first
    # Ids are random, 128 bits, and say nothing about the view or the data.
    for snapshot_id in (first, other):
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", snapshot_id)
    assert first[:6] != other[:6]
    # After the data changes, the same link is a new snapshot; the old one is untouched.
    edit_value(data, "beta,participants,2018,40", "beta,participants,2018,41")
    later = make_app(data, instance_dir=instance)
    newer = published(later, "/compare?indicators=participants")
    assert newer != first
    assert later.context.snapshots().store.get(first) == stored


def test_the_view_is_read_by_its_page_and_what_does_not_parse_is_refused(data, instance):
    app = make_app(data, instance_dir=instance)
    snapshots = app.context.snapshots()
    record, new = snapshots.publish("/compare?indicators=participants&form=bars&theme=projector")
    assert new and record.link == "/compare?form=bars"  # canonical: defaults and theme left out
    assert record.view == {
        "page": "compare",
        "indicators": ["participants"],
        "pilots": [],
        "periods": ["", ""],
        "group": "",
        "mode": "absolute",
        "form": "bars",
    }
    refusals = {
        "/compare?indicators=nothing-like-it": "indicators='nothing-like-it'",
        "/compare?colour=red": "unknown parameter 'colour'",
        "/nowhere": "no page at /nowhere",
        "/data": "Only Compare, Networks",
        "/workshop": "no page at /workshop",
        "https://example.org/compare": "Give a link of this app",
        "/compare?" + "x" * 3000: "longer than",
    }
    for link, why in refusals.items():
        with pytest.raises(Refused, match=re.escape(why)):
            snapshots.publish(link)
    # The button's callback says why, and stays on the page.
    out = callbacks.publish(app.context, 1, "/compare", "?form=pie")
    assert "Not published" in text_of(out["status"]) and "form='pie'" in text_of(out["status"])
    assert out["pathname"] is callbacks.no_update
    assert callbacks.publish(app.context, 1, None, {"not": "a string"})["status"] is not None
    assert snapshots.recent() == [record]


def test_the_citation_in_plain_text_and_bibtex(data, instance):
    app = make_app(data, instance_dir=instance)
    record, _ = app.context.snapshots().publish("/compare")
    record = Record(**{**record.__dict__, "created_at": datetime(2026, 3, 5, 9, 30, tzinfo=UTC)})
    fmt = app.context.fmt
    link = f"https://crosspilot.example/s/{record.id}"
    plain = citation.plain(record, "https://crosspilot.example/", fmt)
    assert plain == (
        f'Crosspilot (2026). "Compare: Participants". Snapshot of 5 March 2026, data version '
        f"{record.data_version[:8]}, Crosspilot {record.software_version}. {link}"
    )
    bibtex = citation.bibtex(record, "https://crosspilot.example", fmt)
    assert bibtex.startswith("@misc{crosspilot-20260305-")
    assert "  title = {{Compare: Participants}},\n" in bibtex
    assert "  year = 2026,\n" in bibtex and "  month = mar,\n" in bibtex
    assert f"  url = {{{link}}},\n" in bibtex and f"\\url{{{link}}}" in bibtex
    assert f"data version {record.data_version}" in bibtex
    assert bibtex.endswith("}") and bibtex.count("{") == bibtex.count("}")
    tricky = Record(**{**record.__dict__, "title": "Hull & Turku: 50 % {draft} #1_a"})
    assert r"{{Hull \& Turku: 50 \% \{draft\} \#1\_a}}" in citation.bibtex(tricky, "", fmt)

    # On the page: both in read-only text boxes the keyboard reaches, each with a Copy button.
    content = render(app, f"/s/{record.id}")
    for text_id, copy_id in (
        (ids.SNAPSHOT_CITATION, ids.SNAPSHOT_COPY_CITATION),
        (ids.SNAPSHOT_BIBTEX, ids.SNAPSHOT_COPY_BIBTEX),
    ):
        box = by_id(content, text_id)
        assert isinstance(box, dcc.Textarea) and box.readOnly and getattr(box, "tabIndex", None) is None
        assert f"/s/{record.id}" in box.value
        assert by_id(content, copy_id).children == "Copy"
    assert "http://localhost/s/" in by_id(content, ids.SNAPSHOT_CITATION).value  # the request's host


def test_the_data_page_lists_snapshots_newest_first(data, instance):
    app = make_app(data, instance_dir=instance)
    assert "No view has been published yet." in text_of(render(app, "/data"))
    clock = iter([datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 2, 20, tzinfo=UTC)])
    snapshots = app.context.snapshots()
    snapshots.store._now = lambda: next(clock)
    older, _ = snapshots.publish("/compare")
    newer, _ = snapshots.publish("/networks")
    listed = by_id(render(app, "/data"), ids.SNAPSHOT_LIST)
    (body,) = [node for node in _walk(listed) if type(node).__name__ == "Tbody"]
    rows = [text_of(row) for row in body.children]
    assert len(rows) == 2
    assert rows[0].startswith("20 February 2026 Networks: ") and f"/s/{newer.id}" in rows[0]
    assert "Networks" in rows[0] and newer.data_version[:8] in rows[0]
    assert rows[1].startswith("10 January 2026 Compare: Participants Compare") and f"/s/{older.id}" in rows[1]


def test_an_unknown_snapshot_is_a_clear_404(data, instance):
    app = make_app(data, instance_dir=instance)
    client = app.server.test_client()
    for missing in ("AAAAAAAAAAAAAAAAAAAAAA", "not-an-id", "x" * 70):
        assert client.get(f"/s/{missing}").status_code == 404
    words = text_of(render(app, "/s/AAAAAAAAAAAAAAAAAAAAAA"))
    assert words.startswith("Snapshot not found No snapshot has the id AAAAAAAAAAAAAAAAAAAAAA.")
    assert "listed on the Data page" in words
    snapshot_id = published(app, "/compare")
    assert client.get(f"/s/{snapshot_id}").status_code == 200
    assert client.get("/compare").status_code == 200


def test_a_database_that_does_not_answer_gets_unavailable_and_recovers(data, instance, monkeypatch):
    app = make_app(data, instance_dir=instance)
    snapshot_id = published(app, "/compare")
    store = app.context.snapshots().store

    def down(*_args, **_kwargs):
        raise Unavailable("The workshop database is unavailable")

    for name in ("get", "recent", "save", "by_fingerprint"):
        monkeypatch.setattr(SnapshotStore, name, down)
    client = app.server.test_client()
    response = client.get(f"/s/{snapshot_id}")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert text_of(render(app, f"/s/{snapshot_id}")).startswith("Unavailable Snapshots are unavailable")
    out = callbacks.publish(app.context, 1, "/compare", "?mode=indexed")
    assert "Not published. Snapshots are unavailable" in text_of(out["status"])
    assert "Snapshots are unavailable" in text_of(render(app, "/data"))
    monkeypatch.undo()
    assert client.get(f"/s/{snapshot_id}").status_code == 200
    assert store.get(snapshot_id).id == snapshot_id


def test_a_read_only_sqlite_file_refuses_to_publish_then_publishes_once_writable(data, instance, tmp_path):
    """A real fault, as the workshop's fault tests make it: the database file made unwritable."""
    from tests.test_workshop_faults import read_only

    db = tmp_path / "snapshots.db"
    app = make_app(data, instance_dir=instance, database_url=f"sqlite:///{db}")
    first = published(app, "/compare")
    unwritable = [db, Path(f"{db}-wal")]
    read_only(unwritable, True)
    try:
        out = callbacks.publish(app.context, 1, "/compare", "?mode=indexed")
        assert "Not published. Snapshots are unavailable" in text_of(out["status"])
        assert app.server.test_client().get(f"/s/{first}").status_code == 200  # reading still works
    finally:
        read_only(unwritable, False)
    second = published(app, "/compare?mode=indexed")  # the first try after recovery succeeds
    assert second != first
    assert [r.id for r in app.context.snapshots().recent()] == [second, first]


def test_every_publishable_page_renders_from_its_snapshot(data, instance):
    cosie = make_app(instance_dir=instance)  # the bundled data: lessons, governance, networks
    lesson = cosie.context.snapshot.lessons[0]
    expected = {
        "/compare?indicators=participants&form=bars": "Plotted data",
        "/networks?phase=co-design": "In plain words",
        f"/lessons?lesson={lesson.id}": lesson.summary[:40],
        "/lessons/governance": "Citizens' role at each stage",
        "/lessons/roadmap": "The System",
    }
    for link, words in expected.items():
        snapshot_id = published(cosie, link)
        content = render(cosie, f"/s/{snapshot_id}")
        assert words in text_of(by_id(content, ids.SNAPSHOT_BODY)), link
        assert "Snapshot of " in text_of(by_id(content, ids.SNAPSHOT_HEADER))
    # A list of lessons is not a lesson: refused with the reason.
    with pytest.raises(Refused, match="Open a lesson"):
        cosie.context.snapshots().publish("/lessons?topic=inclusion")


def test_frozen_datasets_are_cached_per_content_hash_and_bounded(data, instance):
    app = make_app(data, instance_dir=instance)
    ids_by_value = {}
    for value in ("151", "152", "153"):
        edit_value(data, f"alpha,participants,2019,{int(value) - 1}", f"alpha,participants,2019,{value}")
        ids_by_value[value] = published(make_app(data, instance_dir=instance), "/compare")
    snapshots = app.context.snapshots()
    snapshots.max_frozen = 2
    for value, snapshot_id in ids_by_value.items():
        shown = chart_values(render(app, f"/s/{snapshot_id}"), ids.SNAPSHOT_GRAPH)
        assert shown["Turku"] == int(value)
    assert len(snapshots.loaded()) == 2
    first = snapshots.get(ids_by_value["152"])
    derived = snapshots.context_for(first).derived
    assert snapshots.context_for(first).derived is derived  # cached, not loaded again


def test_the_page_says_the_published_decisions_and_whether_they_changed(instance):
    app = make_app(instance_dir=instance)
    lesson = app.context.snapshot.lessons[0]
    service = app.context.workshop()
    room = service.create_workshop("Validation day", [f"lesson:{lesson.id}"])
    service.goto(room.workshop_id, room.facilitator_secret, 0)
    service.set_voting(room.workshop_id, room.facilitator_secret, True)
    for _ in range(3):
        _, token = service.join(room.join_code)
        service.vote(token, 0, "agree", 4)
    service.set_voting(room.workshop_id, room.facilitator_secret, False)  # the rules' outcome: a decision
    snapshots = app.context.snapshots()
    record, _ = snapshots.publish(f"/lessons?lesson={lesson.id}")
    (decision,) = record.decisions
    assert decision["item_id"] == f"lesson:{lesson.id}" and decision["status"] == "validated"
    assert decision["results"]["counts"]["agree"] == 3 and decision["results"]["total"] == 3
    assert not snapshots.differs(record)
    service.override(room.workshop_id, room.facilitator_secret, 0, "contested", "New evidence")
    assert snapshots.differs(record)  # the live lesson now says contested
    frozen = render(app, f"/s/{record.id}")
    assert "The current view differs" in text_of(frozen)
    assert "Validated" in text_of(by_id(frozen, ids.SNAPSHOT_BODY))
    assert "New evidence" not in text_of(by_id(frozen, ids.SNAPSHOT_BODY))
    # A Compare snapshot shows no decision: the override does not make it differ.
    compare, _ = snapshots.publish("/compare")
    service.override(room.workshop_id, room.facilitator_secret, 0, "validated", "Back again")
    assert not snapshots.differs(compare)
