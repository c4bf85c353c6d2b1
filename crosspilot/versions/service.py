"""Dataset versions: upload (validate, diff, nothing changed yet), keep and activate, switch back, and
every worker following the active version.

- Files are content-addressed in the snapshots' FileStore (`Config.snapshots()/files/`): a version's
  files and a snapshot's are the same blobs, kept once; a version's dataset folder is the FileStore's
  tree of its manifest. Not in the database: a dataset can be hundreds of MB, which would bloat every
  backup and every SQLite page cache; not under the cache folder, which may be deleted at any time.
- Records are in the database (`dataset_version`, `dataset_active`; crosspilot/versions/models.py).
- `Follower.check()` runs before each request: at most every `interval` seconds it reads the one row of
  `dataset_active`, and when it names another version than the one served, loads that version
  (load_dataset with the Parquet cache) and swaps what the app serves (`AppContext.served`). A failed
  load keeps the old version serving and is shown on /data.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from crosspilot import access
from crosspilot.accounts import audit
from crosspilot.dataset import LoadResult, load_dataset, version_files
from crosspilot.i18n import t
from crosspilot.problems import Report
from crosspilot.snapshots.files import FileStore, Manifest
from crosspilot.versions.diff import Diff, diff
from crosspilot.versions.intake import UploadRefused, build_folder, decode
from crosspilot.versions.models import LABEL_MAX, NOTE_MAX, active, versions
from crosspilot.workshop import store

log = logging.getLogger(__name__)
CHECK_SECONDS = 1.5
FOLDER = "folder"  # the key of the configured data folder (no record)


@dataclass(frozen=True)
class Staged:
    """An upload, validated and compared with the served version; nothing served or recorded yet."""

    report: Report
    diff: Diff | None  # None when the upload has errors
    manifest: Manifest | None  # its files, kept content-addressed (None with errors)
    data_version: str
    names: tuple[str, ...]  # the files taken from the upload

    @property
    def ok(self) -> bool:
        return self.manifest is not None


@dataclass(frozen=True)
class Version:
    id: int | None  # None: the configured data folder
    label: str
    note: str
    data_version: str
    content_hash: str
    uploaded_by: str
    uploaded_at: datetime | None
    row_counts: dict
    report: Report | None


class Versions:
    """The dataset versions of one app (`context`), on the workshop database's engine."""

    def __init__(self, context, engine, files: FileStore):
        self.context = context
        self.engine = engine
        self.files = files
        self._folder_version: str | None = None

    # --- upload ----------------------------------------------------------------------------------

    def stage(self, uploads: list[tuple[str, object]]) -> Staged:
        """Decode, unpack, validate and compare an upload (raises UploadRefused for what the limits
        refuse). The served data and the database are not touched."""
        access.require("editor")
        decoded = [(str(name or "")[:200], decode(str(name), contents)) for name, contents in uploads]
        served = version_files(self.context.snapshot.source)
        folder, names = build_folder(decoded, served, self.context.config.instance_dir / "uploads")
        try:
            result = load_dataset(folder, self.context.config.cache_dir)
            if not result.ok:
                return Staged(result.report, None, None, "", tuple(names))
            manifest = self.files.freeze(folder)
            changes = diff(self.context.snapshot, result.snapshot)
            return Staged(result.report, changes, manifest, result.snapshot.version, tuple(names))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def load(self, manifest: Manifest) -> LoadResult:
        return load_dataset(self.files.tree(manifest), self.context.config.cache_dir)

    def keep_and_activate(self, manifest_list: object, label: object, note: object) -> int:
        """Record the staged upload (its files already kept) and make it the active version: the
        browser's manifest is checked again (names, blobs present, validated without errors)."""
        who = access.require("editor")
        try:
            manifest = Manifest.from_list(manifest_list if isinstance(manifest_list, list) else [])
        except (KeyError, TypeError, ValueError):
            raise UploadRefused(
                t("The upload to activate is not one this server checked; upload it again.")
            ) from None
        if not manifest.entries or self.files.missing(manifest):
            raise UploadRefused(t("The upload to activate is not one this server checked; upload it again."))
        result = self.load(manifest)
        if not result.ok:
            raise UploadRefused(
                t("This dataset has errors and cannot be activated: {why}", why=result.report.format()[:500])
            )
        label = (
            str(label or "").strip()
            or t("Upload of {date}", date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"))
        )[:LABEL_MAX]
        note = str(note or "").strip()[:NOTE_MAX]
        snapshot = result.snapshot
        user = who.user or audit.COMMAND_LINE
        with store.writing(self.engine) as conn:
            found = conn.execute(
                select(versions.c.id).where(versions.c.content_hash == manifest.content_hash)
            ).first()
            if found is None:
                version_id = conn.execute(
                    insert(versions).values(
                        content_hash=manifest.content_hash,
                        data_version=snapshot.version,
                        manifest=json.dumps(manifest.as_list()),
                        report=json.dumps(result.report.to_records()),
                        row_counts=json.dumps(snapshot.row_counts()),
                        label=label,
                        note=note,
                        uploaded_by=user,
                        uploaded_at=datetime.now(UTC),
                    )
                ).inserted_primary_key[0]
                audit.record(
                    conn,
                    "dataset.upload",
                    label,
                    version=snapshot.version,
                    version_id=version_id,
                    files=len(manifest.entries),
                )
            else:
                version_id = found.id
            self._set_active(conn, version_id, user, label)
        return int(version_id)

    # --- activation --------------------------------------------------------------------------------

    def activate(self, version_id: object) -> None:
        """Make `version_id` (an int, or None for the configured data folder) the active version."""
        who = access.require("editor")
        if version_id is not None and (isinstance(version_id, bool) or not isinstance(version_id, int)):
            raise UploadRefused(t("No such dataset version"))
        user = who.user or audit.COMMAND_LINE
        with store.writing(self.engine) as conn:
            if version_id is None:
                label = t("Configured data folder")
            else:
                row = conn.execute(select(versions.c.label).where(versions.c.id == version_id)).first()
                if row is None:
                    raise UploadRefused(t("No such dataset version"))
                label = row.label
            self._set_active(conn, version_id, user, label)

    def _set_active(self, conn, version_id, user, label) -> None:
        now = datetime.now(UTC)
        row = conn.execute(select(active.c.serial).where(active.c.id == 1)).first()
        values = {"version_id": version_id, "activated_by": user, "activated_at": now}
        if row is None:
            conn.execute(insert(active).values(id=1, serial=1, **values))
        else:
            conn.execute(update(active).where(active.c.id == 1).values(serial=row.serial + 1, **values))
        audit.record(conn, "dataset.activate", label, version_id=version_id)

    def active_id(self) -> tuple[int | None, int]:
        """(the active version's id or None for the folder, the activation serial): one small row."""
        with store.reading(self.engine) as conn:
            row = conn.execute(select(active.c.version_id, active.c.serial).where(active.c.id == 1)).first()
        return (None, 0) if row is None else (row.version_id, row.serial)

    def manifest_of(self, version_id: int) -> Manifest:
        with store.reading(self.engine) as conn:
            row = conn.execute(select(versions.c.manifest).where(versions.c.id == version_id)).first()
        if row is None:
            raise FileNotFoundError(t("No such dataset version"))
        return Manifest.from_list(json.loads(row.manifest))

    # --- the list --------------------------------------------------------------------------------

    def listing(self) -> list[Version]:
        """Every uploaded version, newest first, then the configured data folder."""
        with store.reading(self.engine) as conn:
            rows = conn.execute(select(versions).order_by(versions.c.id.desc())).all()
        found = [
            Version(
                r.id,
                r.label,
                r.note,
                r.data_version,
                r.content_hash,
                r.uploaded_by,
                r.uploaded_at,
                json.loads(r.row_counts),
                Report.from_records(json.loads(r.report)),
            )
            for r in rows
        ]
        found.append(
            Version(
                None,
                t("Configured data folder"),
                str(self.context.config.data_dir),
                self.folder_version(),
                "",
                "",
                None,
                {},
                None,
            )
        )
        return found

    def used(self) -> dict[str, tuple[int, int, int]]:
        """Per data version, how many workshops, decisions and snapshots were made on it."""
        from sqlalchemy import func

        from crosspilot.snapshots.models import snapshots
        from crosspilot.workshop.models import decisions, workshops

        counts: dict[str, list[int]] = {}
        with store.reading(self.engine) as conn:
            for i, table in enumerate((workshops, decisions, snapshots)):
                query = select(table.c.data_version, func.count()).group_by(table.c.data_version)
                for version, n in conn.execute(query):
                    if version:
                        counts.setdefault(version, [0, 0, 0])[i] = n
        return {k: tuple(v) for k, v in counts.items()}

    def folder_version(self) -> str:
        if self._folder_version is None:
            from crosspilot.dataset import folder_version

            self._folder_version = folder_version(self.context.config.data_dir)
        return self._folder_version


class Follower:
    """Keeps one app serving the active version: `check()` before each request, cheap (one small row
    read at most every `interval` seconds), loading and swapping when the active version changed."""

    def __init__(self, context, versions_of, interval: float = CHECK_SECONDS, clock=time.monotonic):
        self.context = context
        self._versions_of = versions_of  # () -> Versions (made on first use, on the database's engine)
        self.interval = interval
        self._clock = clock
        self._next = 0.0
        self._lock = threading.Lock()
        self.served_id: int | None = None  # what is served now: a version id, or None (the folder)
        self.failure: str | None = None  # why the active version could not be loaded, while it cannot
        self._failed: tuple | None = None

    def check(self, force: bool = False) -> None:
        now = self._clock()
        if not force and now < self._next:
            return
        if not self._lock.acquire(blocking=force):
            return  # another request of this worker is loading it: serve the old one meanwhile
        try:
            self._next = now + self.interval
            try:
                versions = self._versions_of()
                wanted, serial = versions.active_id()
            except Exception as error:  # noqa: BLE001 - a database that does not answer keeps the data
                log.warning("the active dataset version could not be read: %s", error)
                return
            if wanted == self.served_id or self._failed == (wanted, serial):
                return
            self._load(versions, wanted, serial)
        finally:
            self._lock.release()

    def _load(self, versions: Versions, wanted: int | None, serial: int) -> None:
        from crosspilot.context import Derived

        config = self.context.config
        try:
            if wanted is None:
                result = load_dataset(config.data_dir, config.cache_dir)
            else:
                result = versions.load(versions.manifest_of(wanted))
            if not result.ok:
                raise ValueError(result.report.format()[:1000])
        except Exception as error:  # noqa: BLE001 - whatever failed, the old version keeps serving
            log.error("dataset version %s could not be loaded; still serving the old one: %s", wanted, error)
            self._failed = (wanted, serial)
            self.failure = t(
                "The active version ({version}) could not be loaded here, so this server still serves the "
                "previous one: {why}",
                version=wanted if wanted is not None else t("Configured data folder"),
                why=str(error)[:500],
            )
            return
        self.context.served.swap(result.snapshot, Derived(result.snapshot, config))
        self.served_id = wanted
        self.failure = None
        self._failed = None
        log.info("now serving dataset version %s (%s)", wanted, result.snapshot.version)


__all__ = ["Follower", "Staged", "UploadRefused", "Version", "Versions"]
