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


def test_the_bundled_datasets_readme_counts_are_those_of_the_loaded_data():
    text = (ROOT / "data" / "cosie" / "README.md").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", text)
    snapshot = load_dataset(ROOT / "data" / "cosie").snapshot
    outcomes, edges, nodes = snapshot.outcomes, snapshot.edges, snapshot.nodes
    status = outcomes["status"].value_counts()
    ties = edges["status"].value_counts()
    assert (
        f"{len(snapshot.pilots)} pilots in {snapshot.pilots['country'].nunique()} countries; "
        f"{len(outcomes)} outcome values ({status['published']} published, {status['estimate']} estimates, "
        f"{status['illustrative']} illustrative); {len(nodes)} stakeholders; {len(edges)} tie rows "
        f"({ties['published']} published, {ties['illustrative']} illustrative); "
        f"{len(snapshot.governance)} governance classifications (all illustrative); "
        f"{len(snapshot.stories)} stories and {len(snapshot.figures)} programme-wide figures"
    ) in text
    assert set(snapshot.governance["status"]) == {"illustrative"}

    def span(counts) -> str:
        return f"{counts.min()}–{counts.max()}"

    per_pilot = nodes.groupby("pilot_id").size()
    assert f"The stakeholders of each pilot ({span(per_pilot)} per pilot)" in text
    distinct = edges.drop_duplicates(["pilot_id", "source", "target"]).groupby("pilot_id").size()
    rows = edges.groupby("pilot_id").size()
    assert f"({span(distinct)} ties per pilot, in {span(rows)} rows;" in text
    stages = snapshot.governance.groupby("pilot_id").size()
    assert f"{span(stages).replace('–', ' to ')} of the five per pilot" in text
    counted = set(outcomes.loc[outcomes["indicator_id"] == "participants", "pilot_id"])
    names = dict(zip(snapshot.pilots["pilot_id"], snapshot.pilots["name"], strict=True))
    assert len(names) - len(counted) == 5  # "Sweden, Hungary, Reggio Emilia, Nieuwegein and Turku have none"
    assert {"jonkoping", "hungary", "reggio-emilia", "nieuwegein", "turku"}.isdisjoint(counted)
