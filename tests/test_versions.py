"""Dataset versions (issue #15, part 2): an upload (zip or files) is validated and compared with the
active version before anything changes, activated on confirmation, kept, switched back, and followed
by every app on the same database; errors and the limits refuse with a message naming the file; only
editors may do any of it. On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import io
import json
import shutil
import stat
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from callbacks import data_versions as cb
from crosspilot import access
from crosspilot.accounts import audit
from crosspilot.config import Config
from crosspilot.dataset import BUNDLED, folder_version
from crosspilot.versions.models import versions as versions_table
from crosspilot.workshop.models import workshops
from layouts import data_page, ids
from tests.helpers import post_callback, sign_in, text_of
from tests.test_workshop_service import postgres_url, reset_postgres

BUNDLED_VERSION = folder_version(BUNDLED)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
        return
    url = postgres_url()
    reset_postgres(url)
    yield url
    reset_postgres(url)


def make(tmp_path: Path, database: str, name: str = "a"):
    """An app on the bundled data with its own cache, sharing `database` and the snapshots folder."""
    return create_app(
        Config(
            instance_dir=tmp_path / name,
            cache_dir=tmp_path / "cache",
            database_url=database,
            snapshots_dir=tmp_path / "snapshots",
            secret_key="test-secret",
        )
    )


def data_url(body: bytes, kind: str = "text/csv") -> str:
    return f"data:{kind};base64," + base64.b64encode(body).decode()


def changed_outcomes() -> bytes:
    """The bundled outcomes with the first row's value changed (10 -> 11), a row added and the second
    row removed."""
    lines = (BUNDLED / "outcomes.csv").read_text(encoding="utf-8").splitlines()
    assert ",10," in lines[1]
    lines[1] = lines[1].replace(",10,", ",11,", 1)
    del lines[2]
    lines.append("hungary,settlements,2030,5,,illustrative,,,,")
    return ("\n".join(lines) + "\n").encode()


def added_actor() -> bytes:
    text = (BUNDLED / "nodes.csv").read_text(encoding="utf-8").rstrip("\n")
    return (text + "\nhungary,newcomer,A new partner,civil_society,Deployer,false,illustrative,\n").encode()


def staged(app, uploads):
    with access.acting_as("editor", "editor@example.org"):
        return cb.stage(app.context, [data_url(b) for _, b in uploads], [n for n, _ in uploads])


def test_files_upload_reports_diffs_and_activates_then_every_page_serves_it(tmp_path, database):
    app = make(tmp_path, database)
    out = staged(app, [("outcomes.csv", changed_outcomes()), ("nodes.csv", added_actor())])
    shown = text_of(out["result"])
    assert "Result: 0 error(s)" in shown
    assert "outcomes 1 1 1" in shown  # added, changed, removed
    assert "nodes 1 0 0" in shown
    assert "hungary 1 0 0 0 0 0" in shown  # one actor added to the Hungarian network, no tie
    assert app.context.snapshot.version == BUNDLED_VERSION  # nothing changed yet
    with access.acting_as("editor", "editor@example.org"):
        done = cb.activate_upload(app.context, 1, out["staged"], "Corrected outcomes", "from the pilot")
    assert "Activated" in text_of(done["status"])
    listed = text_of(done["list"])
    assert (
        listed.index("Corrected outcomes") < listed.index("Active") < listed.index("Configured data folder")
    )
    served = app.context.snapshot
    assert served.version != BUNDLED_VERSION
    first = served.outcomes.iloc[0]
    assert (first["pilot_id"], first["indicator_id"], first["value"]) == ("hungary", "settlements", 11.0)
    assert "newcomer" in set(served.nodes["node_id"])
    assert app.server.test_client().get("/healthz").get_json()["data_version"] == served.version
    with access.acting_as("public"):
        layout = text_of(data_page.layout(app.context, {}, "standard"))
    assert served.version in layout and "Corrected outcomes" in layout
    engine = app.context.workshop().engine
    actions = [(e.action, e.actor, e.subject) for e in audit.recent(engine, action_prefix="dataset.")]
    assert ("dataset.upload", "editor@example.org", "Corrected outcomes") in actions
    assert ("dataset.activate", "editor@example.org", "Corrected outcomes") in actions
    with engine.connect() as conn:
        row = conn.execute(select(versions_table)).one()
    assert row.uploaded_by == "editor@example.org" and row.note == "from the pilot"
    assert json.loads(row.row_counts)["outcomes"] == len(served.outcomes)
    # A workshop made now records the version it was made on.
    room = app.context.workshop().create_workshop("On the new data", ["lesson:" + served.lessons[0].id])
    with engine.connect() as conn:
        made_on = conn.execute(
            select(workshops.c.data_version).where(workshops.c.id == room.workshop_id)
        ).scalar()
    assert made_on == served.version
    # A decision made now records it too, and keeps it once the folder is active again.
    service = app.context.workshop()
    service.set_voting(room.workshop_id, room.facilitator_secret, True)
    service.override(room.workshop_id, room.facilitator_secret, 0, "validated", "agreed in the room")
    with access.acting_as("editor"):
        cb.confirm_switch(app.context, 1, "folder")
    assert app.context.snapshot.version == BUNDLED_VERSION
    assert [d.data_version for d in service.all_decisions()] == [served.version]
    with access.acting_as("public"):
        listed = text_of(data_page.layout(app.context, {}, "standard"))
    assert "Corrected outcomes" in listed and "1 workshops, 1 decisions, 0 snapshots" in listed


def zipped(files: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def bundled_files(**replace: bytes) -> dict[str, bytes]:
    files = {f"cosie/{p.name}": p.read_bytes() for p in BUNDLED.iterdir() if p.suffix == ".csv"}
    files.update({f"cosie/{k}.csv": v for k, v in replace.items()})
    return files


def test_a_zip_of_the_whole_dataset_is_unwrapped_diffed_and_keeps_the_lessons(tmp_path, database):
    app = make(tmp_path, database)
    out = staged(app, [("cosie.zip", zipped(bundled_files(outcomes=changed_outcomes())))])
    shown = text_of(out["result"])
    assert "outcomes 1 1 1" in shown and "pilots 0 0 0" in shown
    with access.acting_as("editor"):
        cb.activate_upload(app.context, 1, out["staged"], "", "")
    served = app.context.snapshot
    assert served.outcomes.iloc[0]["value"] == 11.0
    assert (
        len(served.lessons)
        == len(app.context.versions().load(app.context.versions().manifest_of(1)).snapshot.lessons)
        > 0
    )


def test_a_dataset_with_errors_shows_the_file_row_and_column_and_cannot_be_activated(tmp_path, database):
    app = make(tmp_path, database)
    broken = changed_outcomes().replace(b",11,", b",eleven,", 1)
    out = staged(app, [("outcomes.csv", broken)])
    shown = text_of(out["result"])
    assert "cannot be activated" in shown
    assert "outcomes.csv line 2, column value: 'eleven' is not a number" in shown
    assert out["staged"] is None and out["hidden"] is True  # no Activate button
    # A forged request naming files the server never checked is refused too.
    with access.acting_as("editor"):
        done = cb.activate_upload(
            app.context, 1, {"manifest": [{"name": "x.csv", "sha256": "0" * 64, "size": 1}]}, "", ""
        )
    assert "upload it again" in text_of(done["status"])
    assert app.context.snapshot.version == BUNDLED_VERSION


@pytest.mark.parametrize(
    "name, archive, says",
    [
        ("bomb.zip", lambda: zipped({"outcomes.csv": b"0" * (5 * 2**20)}), "zip bomb"),
        ("escape.zip", lambda: zipped({"../../evil.csv": b"a,b\n"}), "points outside the dataset folder"),
        ("abs.zip", lambda: zipped({"/etc/evil.csv": b"a,b\n"}), "points outside the dataset folder"),
        (
            "link.zip",
            lambda: zipped({"pilots.csv": b"a\n"}, links={"outcomes.csv": "/etc/passwd"}),
            "symbolic link",
        ),
    ],
)
def test_the_limits_refuse_zip_bombs_traversal_and_links_naming_the_file(tmp_path, name, archive, says):
    app = make(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    out = staged(app, [(name, archive())])
    shown = text_of(out["result"])
    assert says in shown and name in shown and "Not taken" in shown
    assert out["staged"] is None
    assert not list((tmp_path / "a" / "uploads").glob("*"))  # nothing left behind


def test_too_many_entries_and_total_size_are_refused(tmp_path, monkeypatch):
    from crosspilot import limits

    app = make(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setattr(limits, "LIMITS", limits.Limits(upload_entries=3, dataset_bytes=2**20))
    shown = text_of(staged(app, [("many.zip", zipped({f"f{i}.csv": b"a\n" for i in range(5)}))])["result"])
    assert "holds 5 files; the limit is 3" in shown
    big = zipped({"outcomes.csv": bytes(range(256)) * 3000, "nodes.csv": bytes(range(256)) * 3000})
    shown = text_of(staged(app, [("big.zip", big)])["result"])
    assert "the limit is 1 MB for a dataset" in shown


def upload_request(client, names, contents):
    return post_callback(
        client,
        f"..{ids.DATA_UPLOAD_RESULT}.children...{ids.DATA_STAGED}.data...{ids.DATA_ACTIVATE_UPLOAD}.hidden..",
        [
            {"id": ids.DATA_UPLOAD_RESULT, "property": "children"},
            {"id": ids.DATA_STAGED, "property": "data"},
            {"id": ids.DATA_ACTIVATE_UPLOAD, "property": "hidden"},
        ],
        [{"id": ids.DATA_UPLOAD, "property": "contents", "value": contents}],
        [f"{ids.DATA_UPLOAD}.contents"],
        state=[{"id": ids.DATA_UPLOAD, "property": "filename", "value": names}],
    )


def test_anonymous_and_partner_requests_to_the_upload_and_activation_are_refused(tmp_path):
    app = make(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    body = [data_url(changed_outcomes())]
    anonymous = app.server.test_client()
    answer = upload_request(anonymous, ["outcomes.csv"], body)
    assert answer.status_code == 200
    assert "This needs an editor" in answer.get_data(as_text=True)
    assert "Choose a zip" not in anonymous.get("/data").get_data(as_text=True)
    partner = sign_in(app, role="partner")
    assert "This needs an editor" in upload_request(partner, ["outcomes.csv"], body).get_data(as_text=True)
    with access.acting_as("partner"):
        assert "needs an editor" in text_of(cb.confirm_switch(app.context, 1, "folder")["status"])
        assert "needs an editor" in text_of(
            cb.activate_upload(app.context, 1, {"manifest": []}, "", "")["status"]
        )
        assert "needs an editor" in text_of(cb.ask_switch(app.context, [1], {"version": "folder"})["status"])
        assert "Activate" not in text_of(data_page.layout(app.context, {}, "standard"))
    editor = sign_in(app, role="editor")
    answer = upload_request(editor, ["outcomes.csv"], body).get_data(as_text=True)
    assert "outcomes" in answer and '"hidden":false' in answer.replace(" ", "")
    assert app.context.versions().listing()[0].id is None  # only the folder: nothing was kept


def activate_new(app, uploads, label):
    out = staged(app, uploads)
    with access.acting_as("editor"):
        cb.activate_upload(app.context, 1, out["staged"], label, "")


def test_switching_back_to_the_folder_and_forward_again_is_one_click_with_a_confirmation(tmp_path, database):
    app = make(tmp_path, database)
    activate_new(app, [("outcomes.csv", changed_outcomes())], "Changed")
    changed = app.context.snapshot.version
    with access.acting_as("editor"):
        asked = cb.ask_switch(app.context, [1], {"version": "folder"})
        assert asked["ask"] is False and asked["target"] == "folder"  # the question is shown
        assert app.context.snapshot.version == changed  # asking changes nothing
        done = cb.confirm_switch(app.context, 1, asked["target"])
    assert app.context.snapshot.version == BUNDLED_VERSION
    assert text_of(done["list"]).index("Configured data folder") < text_of(done["list"]).index("Active")
    with access.acting_as("editor"):
        cb.confirm_switch(app.context, 1, "1")
    assert app.context.snapshot.version == changed
    with access.acting_as("editor"):
        assert "No such dataset version" in text_of(cb.confirm_switch(app.context, 1, "99")["status"])
        assert "No such dataset version" in text_of(cb.confirm_switch(app.context, 1, "../x")["status"])
    assert app.context.snapshot.version == changed


def test_a_second_app_on_the_same_database_serves_the_activated_version_after_its_check(tmp_path, database):
    one, two = make(tmp_path, database, "one"), make(tmp_path, database, "two")
    one.context.versions.follower.interval = two.context.versions.follower.interval = 0.3
    browser = two.server.test_client()
    assert BUNDLED_VERSION in browser.get("/healthz").get_data(as_text=True)
    activate_new(one, [("outcomes.csv", changed_outcomes())], "From worker one")
    changed = one.context.snapshot.version
    time.sleep(0.4)
    browser.get("/healthz")
    assert two.context.snapshot.version == changed
    assert two.context.snapshot.outcomes.iloc[0]["value"] == 11.0
    # Switching back in the second is seen by the first.
    with access.acting_as("editor"):
        cb.confirm_switch(two.context, 1, "folder")
    time.sleep(0.4)
    one.server.test_client().get("/healthz")
    assert one.context.snapshot.version == BUNDLED_VERSION


def test_a_version_that_fails_to_load_keeps_the_old_one_serving_and_says_why(tmp_path, database):
    one, two = make(tmp_path, database, "one"), make(tmp_path, database, "two")
    two.context.versions.follower.interval = 0
    activate_new(one, [("outcomes.csv", changed_outcomes())], "Lost")
    shutil.rmtree(tmp_path / "snapshots")  # the shared files were not shared after all
    two.server.test_client().get("/healthz")
    assert two.context.snapshot.version == BUNDLED_VERSION
    with access.acting_as("public"):
        shown = text_of(data_page.layout(two.context, {}, "standard"))
    assert "could not be loaded here" in shown and "still serves the previous one" in shown
