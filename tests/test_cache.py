"""The cache: a second load is served from it, unchanged and memory-mapped; a change or damage rebuilds it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from crosspilot.dataset import load_dataset

TINY = Path(__file__).parent / "fixtures" / "tiny"
GOVERNANCE = """pilot_id,stage,level,lead_sector,status
alpha,co-design,3,public,published
beta,co-decision,1,civil_society,estimate
"""


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """The tiny dataset plus a governance table, so integer levels go through the cache too."""
    folder = tmp_path / "data"
    shutil.copytree(TINY, folder)
    (folder / "governance.csv").write_text(GOVERNANCE, encoding="utf-8")
    return folder


def assert_same_snapshot(first, second) -> None:
    assert first.version == second.version
    assert list(first.tables) == list(second.tables)
    for name in first.tables:
        pd.testing.assert_frame_equal(first.tables[name], second.tables[name], obj=name)
    assert first.report.problems == second.report.problems
    assert first.networks.keys() == second.networks.keys()
    for pilot, network in first.networks.items():
        cached = second.networks[pilot]
        assert type(network) is type(cached)
        assert dict(network.nodes(data=True)) == dict(cached.nodes(data=True))
        assert sorted(network.edges(data="relation")) == sorted(cached.edges(data="relation"))


def test_second_load_comes_from_the_cache_unchanged(dataset, tmp_path):
    cache = tmp_path / "cache"
    first = load_dataset(dataset, cache_dir=cache).snapshot
    second = load_dataset(dataset, cache_dir=cache).snapshot
    assert not first.from_cache
    assert second.from_cache
    assert (cache / first.version / "report.json").is_file()
    assert_same_snapshot(first, second)
    assert list(second.governance["level"]) == [3, 1]
    assert list(second.outcomes["value"]) == [100.0, 150.0, 40.0, 12.0]


def test_changing_one_byte_changes_the_version_and_reloads(dataset, tmp_path):
    cache = tmp_path / "cache"
    before = load_dataset(dataset, cache_dir=cache).snapshot
    outcomes = dataset / "outcomes.csv"
    data = outcomes.read_bytes()
    assert b",150," in data
    outcomes.write_bytes(data.replace(b",150,", b",151,"))

    after = load_dataset(dataset, cache_dir=cache).snapshot
    assert after.version != before.version
    assert not after.from_cache
    assert list(after.outcomes["value"]) == [100.0, 151.0, 40.0, 12.0]
    assert load_dataset(dataset, cache_dir=cache).snapshot.from_cache


def _truncate_table(entry: Path) -> None:
    path = entry / "outcomes.arrow"
    path.write_bytes(path.read_bytes()[:40])


def _cut_table_short(entry: Path) -> None:
    # The end of the file kept (its footer), a part of the data in the middle gone.
    path = entry / "outcomes.arrow"
    data = path.read_bytes()
    path.write_bytes(data[:200] + data[400:])


def _garble_report(entry: Path) -> None:
    (entry / "report.json").write_text("[{not json", encoding="utf-8")


def _remove_table(entry: Path) -> None:
    (entry / "pilots.arrow").unlink()


def _remove_report(entry: Path) -> None:
    (entry / "report.json").unlink()


@pytest.mark.parametrize(
    "damage", [_truncate_table, _cut_table_short, _garble_report, _remove_table, _remove_report]
)
def test_damaged_cache_entry_is_ignored_and_rebuilt(dataset, tmp_path, damage):
    cache = tmp_path / "cache"
    fresh = load_dataset(dataset, cache_dir=cache).snapshot
    damage(cache / fresh.version)

    reloaded = load_dataset(dataset, cache_dir=cache).snapshot
    assert not reloaded.from_cache
    assert_same_snapshot(fresh, reloaded)

    # The entry was rebuilt: the next load is served from the cache again.
    cached = load_dataset(dataset, cache_dir=cache).snapshot
    assert cached.from_cache
    assert_same_snapshot(fresh, cached)


def _mapped_files(address: int) -> list[str]:
    """The files mapped into this process at `address` (Linux's /proc/self/maps)."""
    found = []
    for line in Path("/proc/self/maps").read_text().splitlines():
        span, *_, name = line.split(maxsplit=5) if len(line.split()) >= 6 else (*line.split(), "")
        low, high = (int(x, 16) for x in span.split("-"))
        if low <= address < high:
            found.append(name)
    return found


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc/self/maps")
def test_cached_tables_are_read_from_the_mapped_file_not_copied(dataset, tmp_path):
    # What lets several workers share one copy of a large table: its text is the cache file's pages.
    cache = tmp_path / "cache"
    fresh = load_dataset(dataset, cache_dir=cache).snapshot
    cached = load_dataset(dataset, cache_dir=cache).snapshot
    entry = (cache / fresh.version).resolve()
    for column in ("pilot_id", "indicator_id", "period"):
        (chunk,) = cached.outcomes[column].array.__arrow_array__().chunks
        data = chunk.buffers()[-1]  # the characters themselves
        assert _mapped_files(data.address) == [str(entry / "outcomes.arrow")], column
    # …and they are still pandas' own text, as a fresh load gives them.
    assert cached.outcomes["pilot_id"].dtype == fresh.outcomes["pilot_id"].dtype
    assert list(cached.outcomes["pilot_id"]) == ["alpha", "alpha", "beta", "beta"]


def test_a_dataset_with_errors_is_never_cached(dataset, tmp_path):
    cache = tmp_path / "cache"
    (dataset / "outcomes.csv").write_text(
        "pilot_id,indicator_id,period,value\nalpha,participants,2018,n/a\n", encoding="utf-8"
    )
    for _ in range(2):
        result = load_dataset(dataset, cache_dir=cache)
        assert result.snapshot is None
        assert [str(p) for p in result.report.errors] == [
            "outcomes.csv line 2, column value: 'n/a' is not a number"
        ]
    assert not cache.exists() or not any(cache.iterdir())
