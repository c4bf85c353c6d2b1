"""An uploaded dataset (a zip, or table and network files) turned into a dataset folder, safely.

Nothing is trusted: the sizes are checked before anything is decoded or unpacked (crosspilot/limits.py),
a zip's entries before any is read (count, total and per-entry unpacked size, compression ratio), and
every name must stay inside the folder (no absolute path, no `..`, no symlink, no backslash). What
arrives is written into a fresh folder under `root`; the caller validates it like any dataset.

- A **zip** is the whole dataset's tables (and `networks/`, `lessons/`); one top-level folder wrapping
  everything is unwrapped. Without `lessons/`, the served version's lesson cards are kept.
- **Files** replace or add those names in the served version: `outcomes.csv` alone is the served
  dataset with that one table changed. Network files (.graphml, .gexf, .json) go to `networks/`.
"""

from __future__ import annotations

import base64
import binascii
import io
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from crosspilot.contract import NETWORK_SUFFIXES, TABLE_SUFFIXES
from crosspilot.i18n import t
from crosspilot.limits import current, size_text

ALLOWED_SUFFIXES = (*TABLE_SUFFIXES, *NETWORK_SUFFIXES, ".md", ".txt")


class UploadRefused(Exception):
    """The upload cannot be taken; the message names the file and why."""


def decode(name: str, contents: object) -> bytes:
    """A dcc.Upload's `data:...;base64,...` contents as bytes, refused past the per-file limit before
    decoding (the browser's max_size is no check)."""
    limits = current()
    if not isinstance(contents, str) or "," not in contents:
        raise UploadRefused(t("{file}: the upload arrived damaged; choose the file again", file=name))
    data = contents.split(",", 1)[1]
    if len(data) * 3 // 4 > limits.file_bytes * 1.01 + 4:  # the zip may be a whole dataset: see below
        if not name.lower().endswith(".zip") or len(data) * 3 // 4 > limits.dataset_bytes:
            raise UploadRefused(
                t(
                    "{file}: {size}; the limit is {limit}",
                    file=name,
                    size=size_text(len(data) * 3 // 4),
                    limit=size_text(limits.file_bytes),
                )
            )
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused(
            t("{file}: the upload arrived damaged; choose the file again", file=name)
        ) from None


def safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and "\\" not in name
        and "\0" not in name
        and not path.is_absolute()
        and ".." not in path.parts
        and not (len(name) > 1 and name[1] == ":")  # C:...
    )


def _place(name: str) -> str | None:
    """Where an uploaded or unzipped file goes in the dataset folder, or None when it is no part of one."""
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    if path.name.startswith(".") or "__MACOSX" in path.parts:
        return None
    if len(path.parts) == 1:
        if suffix in NETWORK_SUFFIXES:
            return f"networks/{path.name}"
        return path.name if suffix in ALLOWED_SUFFIXES else None
    if len(path.parts) == 2 and path.parts[0] in ("networks", "lessons"):
        return name if suffix in ALLOWED_SUFFIXES else None
    return None


def _unzip(name: str, data: bytes) -> list[tuple[str, bytes]]:
    limits = current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRefused(t("{file}: not a zip file", file=name)) from None
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        if len(entries) > limits.upload_entries:
            raise UploadRefused(
                t(
                    "{file}: holds {n} files; the limit is {limit}",
                    file=name,
                    n=len(entries),
                    limit=limits.upload_entries,
                )
            )
        total = 0
        for entry in entries:
            if not safe_name(entry.filename):
                raise UploadRefused(
                    t(
                        "{file}: {entry} points outside the dataset folder; refused",
                        file=name,
                        entry=entry.filename[:120],
                    )
                )
            if stat.S_ISLNK(entry.external_attr >> 16):
                raise UploadRefused(
                    t("{file}: {entry} is a symbolic link; refused", file=name, entry=entry.filename[:120])
                )
            if entry.file_size > limits.file_bytes:
                raise UploadRefused(
                    t(
                        "{file}: {entry} unpacks to {size}; the limit is {limit} per file",
                        file=name,
                        entry=entry.filename[:120],
                        size=size_text(entry.file_size),
                        limit=size_text(limits.file_bytes),
                    )
                )
            if entry.file_size > 2**20 and entry.file_size > limits.xlsx_ratio * max(entry.compress_size, 1):
                raise UploadRefused(
                    t(
                        "{file}: {entry} unpacks {ratio}x (a zip bomb?); the limit is {limit}x",
                        file=name,
                        entry=entry.filename[:120],
                        ratio=entry.file_size // max(entry.compress_size, 1),
                        limit=limits.xlsx_ratio,
                    )
                )
            total += entry.file_size
        if total > limits.dataset_bytes:
            raise UploadRefused(
                t(
                    "{file}: unpacks to {size}; the limit is {limit} for a dataset",
                    file=name,
                    size=size_text(total),
                    limit=size_text(limits.dataset_bytes),
                )
            )
        names = [PurePosixPath(e.filename) for e in entries]
        # One folder wrapping everything ("mydata/pilots.csv"): unwrap it.
        tops = {n.parts[0] for n in names if len(n.parts) > 1}
        wrapped = (
            len(tops) == 1
            and all(len(n.parts) > 1 for n in names)
            and next(iter(tops)) not in ("networks", "lessons")
        )
        found = []
        for entry, path in zip(entries, names, strict=True):
            inner = PurePosixPath(*path.parts[1:]).as_posix() if wrapped else path.as_posix()
            # Read with a cap: a lying directory must not unpack more than it declared.
            with archive.open(entry) as handle:
                content = handle.read(entry.file_size + 1)
            if len(content) > entry.file_size:
                raise UploadRefused(
                    t(
                        "{file}: {entry} is larger than the zip says; refused",
                        file=name,
                        entry=entry.filename[:120],
                    )
                )
            found.append((inner, content))
        return found


def build_folder(
    uploads: Iterable[tuple[str, bytes]], served: Iterable[tuple[str, Path]], root: Path
) -> tuple[Path, list[str]]:
    """A new dataset folder under `root` from `uploads` ((file name, bytes)) over the served version's
    files (`served`: version_files of its folder); and the names taken from the upload."""
    uploads = list(uploads)
    limits = current()
    if not uploads:
        raise UploadRefused(t("Choose a zip of the dataset, or its table and network files."))
    if len(uploads) > limits.upload_entries:
        raise UploadRefused(
            t("{n} files at once; the limit is {limit}", n=len(uploads), limit=limits.upload_entries)
        )
    zipped = len(uploads) == 1 and uploads[0][0].lower().endswith(".zip")
    if zipped:
        given = _unzip(*uploads[0])
    else:
        given = []
        for name, data in uploads:
            base = PurePosixPath(name.replace("\\", "/")).name
            if base.lower().endswith(".zip"):
                raise UploadRefused(t("{file}: upload a zip on its own, as the whole dataset", file=name))
            given.append((base, data))
    placed: dict[str, bytes] = {}
    for name, data in given:
        where = _place(name)
        if where is None:
            if PurePosixPath(name).name.lower().startswith("readme") or zipped:
                continue  # a readme or an unrelated file inside a zip: not part of the data
            raise UploadRefused(
                t(
                    "{file}: not a table or network file (use .csv, .xlsx, .parquet, .graphml, .gexf "
                    "or .json)",
                    file=name,
                )
            )
        placed[where] = data
    if sum(len(d) for d in placed.values()) > limits.dataset_bytes:
        raise UploadRefused(t("The files add up to more than {limit}", limit=size_text(limits.dataset_bytes)))
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=root, prefix="upload-"))
    try:
        # A table uploaded as outcomes.xlsx replaces the served outcomes.csv too.
        stems = {PurePosixPath(k).with_suffix("").as_posix().lower() for k in placed}
        keep = [
            (n, p)
            for n, p in served
            if (
                (not zipped and PurePosixPath(n).with_suffix("").as_posix().lower() not in stems)
                or (zipped and n.startswith("lessons/") and not any(k.startswith("lessons/") for k in placed))
            )
        ]
        for name, path in keep:
            dest = folder / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
        for name, data in placed.items():
            dest = folder / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, sorted(placed)
