"""A copy of the bundled data with protected networks, for the privacy tests: Hull's network is
`partners` tier (its actors renamed to distinctive labels and ids), and every Turku actor is
`aggregate`. The labels and ids that must never reach a public visitor are in PROTECTED."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from crosspilot.dataset import BUNDLED

PARTNERS_PILOT, AGGREGATE_PILOT = "hull", "turku"


def protected_dataset(folder: Path) -> tuple[Path, list[str]]:
    """The dataset's folder, and every label and id a public visitor must not see."""
    shutil.copytree(BUNDLED, folder)
    pilots = pd.read_csv(folder / "pilots.csv", dtype=str, keep_default_na=False)
    pilots["network_visibility"] = ["partners" if p == PARTNERS_PILOT else "" for p in pilots["pilot_id"]]
    pilots.to_csv(folder / "pilots.csv", index=False)
    nodes = pd.read_csv(folder / "nodes.csv", dtype=str, keep_default_na=False)
    edges = pd.read_csv(folder / "edges.csv", dtype=str, keep_default_na=False)
    renamed = {}
    for n, index in enumerate(nodes.index[nodes["pilot_id"].isin([PARTNERS_PILOT, AGGREGATE_PILOT])]):
        old = nodes.at[index, "node_id"]
        renamed[(nodes.at[index, "pilot_id"], old)] = f"zqx-secret-{n}"
        nodes.at[index, "node_id"] = f"zqx-secret-{n}"
        nodes.at[index, "label"] = f"Zqx Confidential Org {n}"
    nodes["visibility"] = ["aggregate" if p == AGGREGATE_PILOT else "" for p in nodes["pilot_id"]]
    for column in ("source", "target"):
        edges[column] = [
            renamed.get((p, v), v) for p, v in zip(edges["pilot_id"], edges[column], strict=True)
        ]
    nodes.to_csv(folder / "nodes.csv", index=False)
    edges.to_csv(folder / "edges.csv", index=False)
    translations = folder / "translations.csv"
    if translations.exists():  # rows about renamed ids would only be dropped with a warning
        frame = pd.read_csv(translations, dtype=str, keep_default_na=False)
        frame.to_csv(translations, index=False)
    protected = sorted({*renamed.values(), *(f"Zqx Confidential Org {n}" for n in range(len(renamed)))})
    return folder, ["zqx-secret", "Zqx Confidential", "Zqx"] + protected[:3]
