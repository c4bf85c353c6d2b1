"""Frozen, citable snapshots of a page's view: the dataset's files, the view, the workshop decisions of
the moment and the software version, under a permanent link `/s/<id>` (see `service`)."""

from crosspilot.snapshots.files import FileStore, Manifest
from crosspilot.snapshots.frozen import FrozenContext
from crosspilot.snapshots.pages import PUBLISHABLE, Refused
from crosspilot.snapshots.service import FrozenDataUnavailable, Snapshots, software_version
from crosspilot.snapshots.store import Record, SnapshotStore, is_id

__all__ = [
    "PUBLISHABLE",
    "FileStore",
    "FrozenContext",
    "FrozenDataUnavailable",
    "Manifest",
    "Record",
    "Refused",
    "SnapshotStore",
    "Snapshots",
    "is_id",
    "software_version",
]
