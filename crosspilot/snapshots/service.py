"""Publishing a view as a frozen snapshot, and opening one again.

`publish(link)` reads the link with its page's view module (refusing what does not parse), keeps the
served dataset's files (content-addressed, crosspilot/snapshots/files.py), records the workshop
decisions of the moment with their vote results, and stores the record under a random id. The same
view of the same files, decisions and software published again returns the snapshot already stored
(its id and date): a snapshot is defined by what it froze, so it is stored once.

`context_for(record)` gives an AppContext on the frozen dataset, with the recorded decisions in place
of the live ones; the loaded datasets are cached per content hash, at most `MAX_FROZEN` at a time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

from crosspilot import __version__
from crosspilot.context import Derived
from crosspilot.dataset import folder_version, load_dataset
from crosspilot.i18n import t
from crosspilot.snapshots.files import FileStore, Manifest
from crosspilot.snapshots.frozen import FrozenContext, decision_of
from crosspilot.snapshots.pages import Refused, check, shows_decision, title_of
from crosspilot.snapshots.store import Record, SnapshotStore
from crosspilot.workshop.errors import Unavailable, WorkshopError

log = logging.getLogger(__name__)
MAX_FROZEN = 4  # frozen datasets kept loaded; each is about the size of the live one
ROOT = Path(__file__).resolve().parent.parent.parent


@cache
def software_version() -> str:
    """Crosspilot's version, with the git commit when the code runs from a checkout."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{__version__}+{commit}" if commit else __version__


class FrozenDataUnavailable(Exception):
    """The snapshot's dataset cannot be rebuilt here (files not kept on this host, or no longer loadable
    by this version); the message says which."""


class Snapshots:
    """The snapshots of one app: `live` is its AppContext."""

    def __init__(self, live, store: SnapshotStore, files: FileStore, max_frozen: int = MAX_FROZEN):
        self.live = live
        self.store = store
        self.files = files
        self.max_frozen = max_frozen
        self._lock = threading.Lock()
        self._live_manifest: tuple[str, Manifest] | None = None  # (the served version, its files)
        self._frozen: OrderedDict[str, Derived] = OrderedDict()

    # --- publishing ------------------------------------------------------------------------------

    def publish(self, link: object) -> tuple[Record, bool]:
        """Freeze the view at `link`; the record, and True when it is new. Raises Refused (the view
        cannot be published, saying why) or Unavailable (the database did not answer)."""
        checked = check(self.live.derived, link)
        manifest = self.live_manifest()
        decisions = self.decisions_now()
        values = {
            "page": checked.path,
            "link": checked.link,
            "view": checked.view_dict(),
            "title": title_of(self.live.derived, checked),
            "data_version": self.live.snapshot.version,
            "content_hash": manifest.content_hash,
            "manifest": manifest,
            "decisions": decisions,
            "software_version": software_version(),
        }
        fingerprint = hashlib.sha256(
            json.dumps(
                {k: v for k, v in values.items() if k != "manifest"}, sort_keys=True, ensure_ascii=False
            ).encode()
        ).hexdigest()
        return self.store.save(fingerprint, **values)

    def live_manifest(self) -> Manifest:
        """The served dataset's files, kept (once per process): refused when the files on disk are no
        longer the ones this server loaded, since the snapshot would then not be what it shows."""
        served = self.live.snapshot  # the version served now (another may have been activated)
        kept = self._live_manifest
        if kept is None or kept[0] != served.version:
            with self._lock:
                kept = self._live_manifest
                if kept is None or kept[0] != served.version:
                    manifest = self.files.freeze(Path(served.source))
                    if folder_version(self.files.tree(manifest)) != served.version:
                        raise Refused(
                            t(
                                "The dataset's files changed since this server loaded them: restart it to "
                                "publish the data it serves."
                            )
                        )
                    kept = self._live_manifest = (served.version, manifest)
        return kept[1]

    def decisions_now(self) -> list[dict]:
        """Every workshop decision in force now (practice runs never make any), each with the vote
        results it was decided on. Raises Unavailable when the database does not answer."""
        service = self.live.workshop()
        decisions = service.all_decisions()
        results: dict[tuple[str, str, int], dict] = {}
        for workshop_id in dict.fromkeys(d.workshop_id for d in decisions):
            try:
                rows = service.summary(workshop_id)
            except Unavailable:
                raise
            except WorkshopError:  # a workshop that cannot be summarised keeps its decisions
                log.warning("no results for workshop %s", workshop_id)
                continue
            for row in rows:
                tallied = row["results"].as_dict()
                results[(workshop_id, row["ref"], row["round"])] = tallied
        return [
            {**d.as_dict(), "results": results.get((d.workshop_id, d.item_id, d.round))} for d in decisions
        ]

    # --- reading ---------------------------------------------------------------------------------

    def get(self, snapshot_id: object) -> Record | None:
        return self.store.get(snapshot_id)

    def recent(self, limit: int = 200) -> list[Record]:
        return self.store.recent(limit)

    def context_for(self, record: Record) -> FrozenContext:
        """An AppContext on the record's frozen data, with the decisions recorded with it."""
        recorded = tuple(decision_of(d) for d in record.decisions)
        derived = self._derived_for(record)
        return FrozenContext(
            snapshot=derived.snapshot, config=self.live.config, shared=derived, recorded=recorded
        )

    def _derived_for(self, record: Record) -> Derived:
        if record.data_version == self.live.snapshot.version:
            return self.live.derived  # the same files, read by the same loader: the live data
        key = record.content_hash
        with self._lock:
            if key in self._frozen:
                self._frozen.move_to_end(key)
                return self._frozen[key]
        try:
            folder = self.files.tree(record.manifest)
        except FileNotFoundError as error:
            raise FrozenDataUnavailable(str(error)) from None
        result = load_dataset(folder, self.live.config.cache_dir)
        if not result.ok:
            raise FrozenDataUnavailable(
                t(
                    "this version of Crosspilot cannot load the snapshot's data: {why}",
                    why=result.report.format(),
                )
            )
        derived = Derived(result.snapshot, self.live.config)
        with self._lock:
            self._frozen[key] = derived
            self._frozen.move_to_end(key)
            while len(self._frozen) > self.max_frozen:
                self._frozen.popitem(last=False)
        return derived

    def loaded(self) -> tuple[str, ...]:
        """The content hashes of the frozen datasets held in memory, oldest first."""
        with self._lock:
            return tuple(self._frozen)

    def differs(self, record: Record) -> bool:
        """Whether the live view of the snapshot's link shows something else: other data files, or
        other workshop decisions where the page shows them. Raises Unavailable."""
        if record.data_version != self.live.snapshot.version:
            try:
                if record.content_hash != self.live_manifest().content_hash:
                    return True
            except Refused:  # the served files changed on disk: not the snapshot's either
                return True
        try:
            checked = check(self.live.derived, record.link)
        except Refused:
            return True  # the live page cannot even read the view any more
        then = [_key(d) for d in record.decisions if shows_decision(checked, d["item_id"])]
        now = [
            _key(d.as_dict())
            for d in self.live.workshop().all_decisions()
            if shows_decision(checked, d.item_id)
        ]
        return then != now


def _key(decision: dict) -> tuple:
    return (decision["item_id"], decision["status"], decision["decided_at"], decision["workshop_id"])
