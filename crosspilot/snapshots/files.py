"""The frozen datasets' files, content-addressed: each file kept once under its SHA-256, a snapshot
naming the files it was published from (its manifest), and a dataset folder rebuilt from them.

Layout under the snapshots folder (`Config.snapshots()`, by default `instance/snapshots/`):

- `files/<first two hex digits>/<sha256>`: one file's bytes, written once and never changed; a file
  shared by many dataset versions is kept once;
- `trees/<content hash>/`: a dataset folder rebuilt from a manifest (hard links to `files/`, or copies
  where links do not work), loaded like any dataset. It can be deleted: it is rebuilt on demand.

Kept out of the cache folder on purpose: the cache may be switched off or deleted at any time, but a
snapshot cited in a report must keep opening for good.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from crosspilot.dataset import version_files
from crosspilot.i18n import t

_CHUNK = 1 << 20
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Entry:
    """One file of a frozen dataset: its name inside the dataset folder, its SHA-256 and size."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    entries: tuple[Entry, ...]

    @property
    def content_hash(self) -> str:
        """The hash of the files' names and contents only (not of the loader's code, unlike the data
        version): the same files give the same hash under any software version."""
        digest = hashlib.sha256()
        for entry in sorted(self.entries, key=lambda e: e.name):
            digest.update(f"{entry.name}\0{entry.sha256}\n".encode())
        return digest.hexdigest()

    def as_list(self) -> list[dict]:
        return [{"name": e.name, "sha256": e.sha256, "size": e.size} for e in self.entries]

    @classmethod
    def from_list(cls, items: Iterable[dict]) -> Manifest:
        entries = []
        for item in items:
            name, sha = str(item["name"]), str(item["sha256"])
            if not _safe_name(name) or len(sha) != 64 or not set(sha) <= _HEX:
                raise ValueError(t("a stored snapshot names a file it cannot have: {name}", name=name[:80]))
            entries.append(Entry(name, sha, int(item["size"])))
        return cls(tuple(entries))


def _safe_name(name: str) -> bool:
    """A relative path inside the dataset folder: nothing absolute, no `..`, no backslash tricks."""
    path = PurePosixPath(name)
    return bool(name) and "\\" not in name and not path.is_absolute() and ".." not in path.parts


class FileStore:
    """Content-addressed files under `root`, and dataset folders rebuilt from them."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def blob(self, sha256: str) -> Path:
        return self.root / "files" / sha256[:2] / sha256

    def freeze(self, folder: Path) -> Manifest:
        """Keep every file the version of `folder` is computed from; the manifest naming them."""
        return Manifest(tuple(self._keep(name, path) for name, path in version_files(folder)))

    def _keep(self, name: str, path: Path) -> Entry:
        # Hash while copying into a temporary file, so the bytes kept are exactly the bytes hashed
        # even when the file changes meanwhile.
        (self.root / "files").mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=self.root / "files", prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, path.open("rb") as source:
                for chunk in iter(lambda: source.read(_CHUNK), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            target = self.blob(sha)
            if target.exists():
                os.unlink(tmp)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp, 0o444)
                os.replace(tmp, target)  # atomic: a reader sees the whole file or none
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return Entry(name, sha, size)

    def missing(self, manifest: Manifest) -> list[str]:
        """Names of the manifest's files that are no longer kept (a folder lost or not shared)."""
        return [e.name for e in manifest.entries if not self.blob(e.sha256).is_file()]

    def tree(self, manifest: Manifest) -> Path:
        """A dataset folder with exactly the manifest's files, built once (atomically) and reused."""
        target = self.root / "trees" / manifest.content_hash
        if target.is_dir():
            return target
        missing = self.missing(manifest)
        if missing:
            raise FileNotFoundError(
                t("the snapshot's files are not kept here: {names}", names=", ".join(missing[:5]))
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=target.parent, prefix=".building-"))
        try:
            for entry in manifest.entries:
                dest = building / entry.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(self.blob(entry.sha256), dest)
                except OSError:
                    shutil.copyfile(self.blob(entry.sha256), dest)
            try:
                os.rename(building, target)
            except OSError:  # another worker built it first: theirs is the same
                if not target.is_dir():
                    raise
        finally:
            if building.exists():
                shutil.rmtree(building, ignore_errors=True)
        return target
