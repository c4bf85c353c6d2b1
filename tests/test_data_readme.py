"""data/README.md stays true: its examples form a dataset that validates cleanly."""

from __future__ import annotations

import re

from crosspilot.dataset import load_dataset
from tests.conftest import ROOT


def test_the_contract_examples_load_as_one_valid_dataset(tmp_path):
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"^### (\w+).*?```csv\n(.*?)```", text, flags=re.S | re.M)
    assert {name for name, _ in examples} >= {
        "pilots",
        "indicators",
        "outcomes",
        "nodes",
        "edges",
        "stories",
        "governance",
        "figures",
    }
    for name, body in examples:
        (tmp_path / f"{name}.csv").write_text(body, encoding="utf-8")
    result = load_dataset(tmp_path)
    assert result.report.errors == []
    snapshot = result.snapshot
    assert snapshot.outcomes.loc[0, "value"] == 60
    assert set(snapshot.networks["hull"].nodes) == {"volunteers", "small_groups"}
