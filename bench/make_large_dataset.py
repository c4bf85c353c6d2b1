"""Write a synthetic 1,000,000-row dataset (50 pilots, 40 indicators, 500 monthly periods) as Parquet.

Every value is marked illustrative: it is random, belongs to no real pilot and is for timing only.

    python bench/make_large_dataset.py [FOLDER]      # default bench/out/large (git-ignored)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

PILOTS, INDICATORS, MONTHS = 50, 40, 500
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")


def periods(count: int, start_year: int = 1985) -> list[str]:
    return [f"{start_year + m // 12}-{m % 12 + 1:02d}" for m in range(count)]


def make(folder: Path, seed: int = 770492) -> int:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pilot_ids = [f"p{i:02d}" for i in range(PILOTS)]
    pd.DataFrame(
        {
            "pilot_id": pilot_ids,
            "name": [f"Synthetic pilot {i}" for i in range(PILOTS)],
            "country": ["FI"] * PILOTS,
            "place": [f"Place {i}" for i in range(PILOTS)],
        }
    ).to_parquet(folder / "pilots.parquet", index=False)
    indicator_ids = [f"i{j:02d}" for j in range(INDICATORS)]
    pd.DataFrame(
        {
            "indicator_id": indicator_ids,
            "label": [f"Synthetic indicator {j}" for j in range(INDICATORS)],
            "unit": ["units"] * INDICATORS,
            "direction": [DIRECTIONS[j % 3] for j in range(INDICATORS)],
            "category": ["synthetic"] * INDICATORS,
            "definition": ["Synthetic benchmark indicator; values are random."] * INDICATORS,
        }
    ).to_parquet(folder / "indicators.parquet", index=False)
    months = periods(MONTHS)
    n = PILOTS * INDICATORS * MONTHS
    pilot = np.repeat(np.arange(PILOTS), INDICATORS * MONTHS)
    indicator = np.tile(np.repeat(np.arange(INDICATORS), MONTHS), PILOTS)
    month = np.tile(np.arange(MONTHS), PILOTS * INDICATORS)
    trend = rng.normal(0.002, 0.01, size=(PILOTS * INDICATORS, 1))
    level = rng.uniform(50, 500, size=(PILOTS * INDICATORS, 1))
    walk = level * np.exp(np.cumsum(rng.normal(0, 0.02, size=(PILOTS * INDICATORS, MONTHS)) + trend, axis=1))
    outcomes = pd.DataFrame(
        {
            "pilot_id": pd.Categorical.from_codes(pilot, pilot_ids).astype(str),
            "indicator_id": pd.Categorical.from_codes(indicator, indicator_ids).astype(str),
            "period": pd.Categorical.from_codes(month, months).astype(str),
            "value": np.round(walk.ravel(), 2),
            "group": "",
            "status": "illustrative",
            "source": "",
            "note": "synthetic benchmark value (random)",
        }
    )
    outcomes.to_parquet(folder / "outcomes.parquet", index=False)
    return n


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "out" / "large"
    rows = make(target)
    print(f"wrote {rows:,} outcome rows to {target}")
