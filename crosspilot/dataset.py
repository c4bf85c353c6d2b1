"""Load a dataset folder into one immutable, versioned snapshot, with a memory-mapped cache.

The version is a content hash of every file the snapshot is built from plus the loader's own
code, so a cache entry can never be stale: change a file (or the loader) and the key changes.

A cache entry holds each table as an uncompressed Arrow IPC file, read back memory-mapped: the
frames' text columns are pyarrow arrays whose buffers are the mapped file, so the pages are the
operating system's file cache, loaded on first use and shared by every worker that maps the same
entry (gunicorn's 4 workers hold one copy of a 1,000,000-row table, not four). Entries are never
rewritten in place (written under a staging name and renamed, discarded by moving aside), so a
mapped file never changes under a reader.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import networkx as nx
import pandas as pd
import pyarrow as pa
import pyarrow.ipc

from crosspilot.contract import (
    NETWORK_SUFFIXES,
    TABLE_ORDER,
    TABLE_SUFFIXES,
    TABLES,
)
from crosspilot.i18n import keeping_messages, t
from crosspilot.lessons import lesson_files, lessons_folder, load_lessons
from crosspilot.limits import Budget, current, size_text
from crosspilot.network_files import read_network_file
from crosspilot.problems import WARNING, Report
from crosspilot.readers import RawTable, normalise_header, read_csv, read_parquet, read_workbook
from crosspilot.validate import (
    check_references,
    check_table,
    check_unique,
    empty_column,
    key_series,
    report_rows,
)

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "cosie"
_LOADER_FILES = (
    "contract.py",
    "readers.py",
    "validate.py",
    "network_files.py",
    "dataset.py",
    "lessons/__init__.py",
    "lessons/model.py",
    "lessons/cards.py",
    "lessons/references.py",
    "lessons/loading.py",
    "structure.py",
)
_IGNORED_SUFFIXES = (".md", ".txt", ".pdf", ".html")


@dataclass(frozen=True)
class Snapshot:
    """Everything the app shows, loaded once and never mutated (treat the frames as read-only)."""

    version: str
    source: str
    tables: Mapping[str, pd.DataFrame]
    networks: Mapping[str, nx.MultiGraph]
    report: Report
    lessons: tuple = ()
    from_cache: bool = False
    files: tuple[str, ...] = field(default=())

    def __getattr__(self, name: str) -> pd.DataFrame:
        # snapshot.pilots, snapshot.outcomes, … for every table of the contract.
        if name in TABLES:
            return self.tables[name]
        raise AttributeError(name)

    def row_counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self.tables.items()}


@dataclass(frozen=True)
class LoadResult:
    snapshot: Snapshot | None
    report: Report

    @property
    def ok(self) -> bool:
        return self.snapshot is not None


def load_dataset(folder: str | Path, cache_dir: str | Path | None = None) -> LoadResult:
    """Validate and load `folder`; use and fill the Parquet cache under `cache_dir` if given. The
    report's messages are kept (crosspilot.i18n.Message), so each reader sees them in their language."""
    with keeping_messages():
        return _load_dataset(Path(folder), cache_dir)


def _load_dataset(folder: Path, cache_dir: str | Path | None) -> LoadResult:
    if not folder.is_dir():
        report = Report()
        report.add(str(folder), t("is not a folder; a dataset is a folder of table files"))
        return LoadResult(None, report)
    files = _dataset_files(folder)
    lessons = lesson_files(lessons_folder(folder, BUNDLED))
    version = content_version(folder, files, lessons)
    if cache_dir is not None:
        cached = _read_cache(Path(cache_dir) / version, folder, version, files)
        if cached is not None:
            # Lesson cards are a few small text files, parsed at every start; the cached report has
            # their problems already.
            cached = replace(cached, lessons=load_lessons(lessons, cached.tables, Report()))
            return LoadResult(cached, cached.report)
    report = Report()
    tables = _load_tables(folder, files, report)
    # Lessons are checked against the tables only when the tables themselves are sound.
    loaded_lessons = load_lessons(lessons, tables if report.ok else None, report)
    report.finish()
    if not report.ok:
        return LoadResult(None, report)
    snapshot = replace(_snapshot(version, folder, tables, report, files), lessons=loaded_lessons)
    if cache_dir is not None:
        _write_cache(Path(cache_dir) / version, tables, report)
    return LoadResult(snapshot, report)


def _dataset_files(folder: Path) -> list[Path]:
    files = [p for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]
    networks = folder / "networks"
    if networks.is_dir():
        files += [p for p in sorted(networks.iterdir()) if p.is_file() and not p.name.startswith(".")]
    return files


def version_files(folder: str | Path) -> list[tuple[str, Path]]:
    """(name, path) of every file the version of `folder` is computed from, named as inside a dataset
    folder: a copy of them under those names loads as the same dataset, at the same version (frozen
    snapshots keep exactly these, crosspilot/snapshots)."""
    folder = Path(folder)
    files = [*_dataset_files(folder), *lesson_files(lessons_folder(folder, BUNDLED))]
    return [(_version_name(folder, path), path) for path in files]


def folder_version(folder: str | Path) -> str:
    """The version `load_dataset(folder)` would give the files in `folder` now."""
    folder = Path(folder)
    return content_version(folder, _dataset_files(folder), lesson_files(lessons_folder(folder, BUNDLED)))


def _version_name(folder: Path, path: Path) -> str:
    # The bundled data's lessons live outside its folder, at the repository's top level.
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else f"lessons/{path.name}"


def content_version(folder: Path, files: list[Path], lessons: list[Path] = ()) -> str:
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent
    for name in _LOADER_FILES:
        digest.update((code / name).read_bytes())
    for path in [*files, *lessons]:
        name = _version_name(folder, path)
        digest.update(name.encode() + b"\0")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _display(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix()


def _load_tables(folder: Path, files: list[Path], report: Report) -> dict[str, pd.DataFrame]:
    raws: dict[str, list[RawTable]] = {name: [] for name in TABLE_ORDER}
    given_in: dict[str, str] = {}
    budget = Budget()
    if not _within_budget(folder, files, report):
        return {name: pd.DataFrame() for name in TABLE_ORDER}

    def add(raw: RawTable) -> None:
        if raw.name in given_in and not raw.structure_checked:
            report.add(
                raw.file,
                t(
                    "table {name} is given twice: in {first} and here",
                    name=raw.name,
                    first=given_in[raw.name],
                ),
            )
            return
        given_in.setdefault(raw.name, raw.file)
        raws[raw.name].append(raw)

    network_files = []
    for path in files:
        file = _display(folder, path)
        if _out_of_time(budget, folder, file, report):
            return {name: pd.DataFrame() for name in TABLE_ORDER}
        stem, suffix = normalise_header(path.stem), path.suffix.lower()
        if path.parent.name == "networks" and path.parent.parent == folder:
            if suffix in NETWORK_SUFFIXES:
                network_files.append((path, path.stem.strip(), file))
            else:
                report.warn(file, t("ignored: network files must end in .graphml, .gexf or .json"))
            continue
        if suffix in _IGNORED_SUFFIXES or stem.startswith("readme"):
            continue
        if not _size_ok(path, file, report):
            continue
        if suffix in TABLE_SUFFIXES and stem in TABLES:
            raw = {".csv": read_csv, ".parquet": read_parquet}.get(suffix)
            if raw is not None:
                table = raw(path, stem, file, report)
                if table is not None:
                    add(table)
            else:
                for table in read_workbook(path, file, report, only=stem).values():
                    add(table)
        elif suffix == ".xlsx":
            for name, table in read_workbook(path, file, report).items():
                if name in TABLES:
                    add(table)
                else:
                    report.warn(
                        table.file, t("ignored: {name!r} is not a table of the data contract", name=name)
                    )
        else:
            hint = difflib.get_close_matches(stem, TABLES, n=1)
            report.warn(
                file,
                t(
                    "ignored: not a table of the data contract{hint}",
                    hint=t(" (did you mean {name}?)", name=hint[0]) if hint else "",
                ),
            )

    # A table whose file is there but unreadable already has its own problem; "add pilots.csv" would mislead.
    present = {
        normalise_header(p.stem) for p in files if p.parent == folder and p.suffix.lower() in TABLE_SUFFIXES
    }
    for name in TABLE_ORDER:
        if TABLES[name].required and not raws[name] and name not in present:
            report.add(
                folder.name or str(folder),
                t(
                    "missing required table {name}: add {name}.csv, {name}.xlsx or {name}.parquet, "
                    "or a sheet named {name} in a workbook",
                    name=name,
                ),
            )

    typed: dict[str, list[tuple[RawTable, pd.DataFrame]]] = {name: [] for name in TABLE_ORDER}
    for name in TABLE_ORDER:
        for raw in raws[name]:
            frame = check_table(raw, TABLES[name], report)
            if frame is not None:
                typed[name].append((raw, frame))

    pilot_ids = {str(p) for _, frame in typed["pilots"] for p in frame["pilot_id"]}
    network_pilots = set()
    for path, stem, file in network_files:
        if _out_of_time(budget, folder, file, report):
            return {name: pd.DataFrame() for name in TABLE_ORDER}
        if not _size_ok(path, file, report):
            continue
        pilot = _network_pilot(stem, pilot_ids) if pilot_ids else stem
        if pilot is None:
            hint = difflib.get_close_matches(stem, pilot_ids, n=1)
            report.add(
                file,
                t(
                    "the file name {stem!r} is not a pilot id of pilots{hint}; name a network file "
                    "after its pilot's id",
                    stem=stem,
                    hint=t(" (did you mean {name}?)", name=hint[0]) if hint else "",
                ),
            )
            continue
        stem = pilot
        tables = read_network_file(path, stem, file, report)
        if tables is None:
            continue
        network_pilots.add(stem)
        for raw in tables:
            frame = check_table(raw, TABLES[raw.name], report)
            if frame is not None:
                typed[raw.name].append((raw, frame))
    _check_network_given_twice(typed, network_pilots, report)

    combined = {name: _concat(name, [f for _, f in pairs]) for name, pairs in typed.items()}
    if not len(combined["nodes"]) and len(combined["edges"]):
        combined["nodes"] = _nodes_from_edges(combined["edges"])
        report.warn(
            "edges",
            t("no nodes table: stakeholders are taken from the ties, with their ids as labels and no sector"),
        )
    for name, pairs in typed.items():
        spec = TABLES[name]
        for raw, frame in pairs:
            if not raw.structure_checked:
                check_unique(raw, frame, spec, report)
            for ref in spec.references:
                if ref.target == "nodes" and raw.structure_checked:
                    continue
                if TABLES[ref.target].required and not typed[ref.target]:
                    continue  # that table's own problem is reported; every row here would repeat it
                known = (
                    pd.Index(key_series(combined[ref.target], ref.target_columns))
                    if len(combined[ref.target])
                    else pd.Index([])
                )
                check_references(raw, frame, ref, known, report)
            if name == "edges" and not raw.structure_checked:
                loops = frame["source"].eq(frame["target"])
                report_rows(
                    report,
                    raw,
                    loops,
                    "target",
                    lambda v: t("a self-loop: {v!r} is tied to itself", v=v),
                    frame["target"],
                    kind="self-loop",
                    severity=WARNING,
                )
    if typed["translations"]:
        from crosspilot import translations

        usable = [
            frame[translations.check(raw, frame, combined, report)] for raw, frame in typed["translations"]
        ]
        combined["translations"] = _concat("translations", usable)
    return combined


def _size_ok(path: Path, file: str, report: Report) -> bool:
    size = path.stat().st_size
    if size == 0:
        report.add(file, t("is empty (0 bytes)"))
        return False
    if size > current().file_bytes:
        report.add(
            file,
            t(
                "is {size}; the limit is {limit} per file",
                size=size_text(size),
                limit=size_text(current().file_bytes),
            ),
        )
        return False
    return True


def _within_budget(folder: Path, files: list[Path], report: Report) -> bool:
    """The dataset's files together stay under the dataset limit (checked before any is read)."""
    total = sum(p.stat().st_size for p in files)
    if total > current().dataset_bytes:
        report.add(
            folder.name or str(folder),
            t(
                "its files add up to {size}; the limit is {limit} for a dataset",
                size=size_text(total),
                limit=size_text(current().dataset_bytes),
            ),
        )
        return False
    return True


def _out_of_time(budget: Budget, folder: Path, file: str, report: Report) -> bool:
    if not budget.spent():
        return False
    report.add(
        folder.name or str(folder),
        t(
            "reading stopped at {file}: loading took longer than {limit} s; split or shrink the files",
            file=file,
            limit=f"{current().load_seconds:.0f}",
        ),
    )
    return True


def _network_pilot(stem: str, pilot_ids: Collection[str]) -> str | None:
    """The pilot a network file is named after: its exact id, else the one id equal to the name
    ignoring case (file systems and tools change the case of names); None when no pilot matches."""
    if stem in pilot_ids:
        return stem
    matches = [p for p in pilot_ids if p.casefold() == stem.casefold()]
    return matches[0] if len(matches) == 1 else None


def _check_network_given_twice(typed, network_pilots: set[str], report: Report) -> None:
    for raw, frame in typed["nodes"]:
        if raw.structure_checked:
            continue
        twice = sorted(set(frame["pilot_id"]) & network_pilots)
        for pilot in twice:
            report.add(
                raw.file,
                t(
                    "pilot {pilot!r} has a network file in networks/ as well; give each pilot's network once",
                    pilot=pilot,
                ),
            )


def _concat(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        spec = TABLES[name]
        return pd.DataFrame({c.name: empty_column(c, 0) for c in spec.columns})
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True).fillna({c: "" for c in frames[0].columns})


def _nodes_from_edges(edges: pd.DataFrame) -> pd.DataFrame:
    ends = pd.concat(
        [
            edges[["pilot_id", "source"]].rename(columns={"source": "node_id"}),
            edges[["pilot_id", "target"]].rename(columns={"target": "node_id"}),
        ]
    )
    nodes = ends.drop_duplicates().reset_index(drop=True)
    nodes["label"] = nodes["node_id"]
    for col in TABLES["nodes"].columns:
        if col.name not in nodes:
            nodes[col.name] = empty_column(col, len(nodes))
    nodes["status"] = "illustrative"
    return nodes


def build_networks(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[str, nx.MultiGraph]:
    """One frozen multigraph per pilot; parallel ties (e.g. one per phase) are kept apart."""
    networks: dict[str, nx.MultiGraph] = {}
    directed_pilots = set(edges.loc[edges["directed"].astype(bool), "pilot_id"]) if len(edges) else set()
    for pilot, group in nodes.groupby("pilot_id", sort=True):
        graph = nx.MultiDiGraph() if pilot in directed_pilots else nx.MultiGraph()
        records = group.drop(columns=["pilot_id"]).to_dict("records")
        graph.add_nodes_from((r["node_id"], r) for r in records)
        networks[pilot] = graph
    for pilot, group in edges.groupby("pilot_id", sort=True):
        graph = networks.setdefault(pilot, nx.MultiGraph())
        for record in group.drop(columns=["pilot_id"]).to_dict("records"):
            graph.add_edge(record["source"], record["target"], **record)
    return {pilot: nx.freeze(graph) for pilot, graph in networks.items()}


def _snapshot(version, folder, tables, report, files, from_cache=False) -> Snapshot:
    return Snapshot(
        version=version,
        source=str(folder),
        tables=MappingProxyType(dict(tables)),
        networks=MappingProxyType(build_networks(tables["nodes"], tables["edges"])),
        report=report,
        from_cache=from_cache,
        files=tuple(_display(folder, p) for p in files),
    )


CACHE_SUFFIX = ".arrow"
# pandas' own text dtype (the one the loader gives) backed by the mapped pyarrow array as it is.
_TEXT = pd.StringDtype(storage="pyarrow", na_value=float("nan"))
_TEXT_TYPES = {pa.string(): _TEXT, pa.large_string(): _TEXT}


def _write_table(path: Path, frame: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # Uncompressed and in one chunk per column: compressed buffers would have to be unpacked into
    # each worker's own memory, which is what mapping avoids.
    table = table.combine_chunks()
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def read_mapped(path: Path) -> pd.DataFrame:
    """A cached table as a frame whose text columns point into the memory-mapped file (no copy);
    numbers without gaps are read-only numpy views of it too. Raises on a damaged or missing file."""
    with pa.memory_map(str(path), "r") as source:
        table = pa.ipc.open_file(source).read_all()
    # Lengths and offsets checked against the file before anything reads through them (a damaged
    # file must not crash the process); cheap: it reads no text.
    table.validate()
    return table.to_pandas(types_mapper=_TEXT_TYPES.get, split_blocks=True)


def _write_cache(target: Path, tables: dict[str, pd.DataFrame], report: Report) -> None:
    """Write atomically: a half-written entry is never visible under its final name."""
    if target.exists():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
        for name, frame in tables.items():
            _write_table(staging / f"{name}{CACHE_SUFFIX}", frame)
        (staging / "report.json").write_text(json.dumps(report.to_records()), encoding="utf-8")
        os.replace(staging, target)
    except OSError:
        # A read-only or full disk costs only speed next time, never the start.
        shutil.rmtree(locals().get("staging", target.parent / ".none"), ignore_errors=True)


def _read_cache(entry: Path, folder: Path, version: str, files: list[Path]) -> Snapshot | None:
    if not entry.is_dir():
        return None
    try:
        tables = {name: read_mapped(entry / f"{name}{CACHE_SUFFIX}") for name in TABLE_ORDER}
        report = Report.from_records(json.loads((entry / "report.json").read_text(encoding="utf-8")))
    except Exception:  # a damaged entry is ignored and rebuilt, never trusted
        _discard(entry)
        return None
    return _snapshot(version, folder, tables, report, files, from_cache=True)


def _discard(entry: Path) -> None:
    """Move a damaged entry aside in one step, so `_write_cache` can put a sound one in its place."""
    try:
        trash = Path(tempfile.mkdtemp(prefix=".damaged-", dir=entry.parent))
        os.replace(entry, trash / entry.name)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)
