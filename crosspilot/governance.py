"""Governance models: per pilot, the lead sector and the citizens' role (0-4) at each co-creation stage.

Built from the `governance` table; each model has a workshop item id (`governance:<pilot_id>`) so that
partners can validate it like a lesson (see `crosspilot.lessons.effective_status`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from crosspilot.contract import LEVELS, STAGES
from crosspilot.i18n import N_, t
from crosspilot.lessons import StatusChange, governance_item_id
from crosspilot.structure import Structure, structures, weakest
from crosspilot.vocabulary import term

SECTOR_LABELS = {
    "public": N_("Public sector"),
    "civil_society": N_("Civil society"),
    "commercial": N_("Commercial"),
    "citizen": N_("Citizens"),
    "informal": N_("Informal networks"),
    "": N_("Not stated"),
}


NOT_CLASSIFIED = N_("not classified")  # a stage without a row: no source describes it, nothing is known


def level_label(level: int | None) -> str:
    """'2 · involve': the number and the word, so the scale never depends on a legend.

    A stage with no classification is "not classified", never "not covered": no source says that a
    pilot skipped a stage, only that none describes it."""
    if level is None:
        return t(NOT_CLASSIFIED)
    return f"{level} · {term('level', LEVELS[level])}"


def sector_label(sector: str) -> str:
    return t(SECTOR_LABELS.get(sector or "", sector))


@dataclass(frozen=True)
class StageRole:
    stage: str
    level: int
    lead_sector: str
    status: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class GovernanceModel:
    pilot_id: str
    name: str
    stages: tuple[StageRole, ...]
    status: str = "under_validation"  # until partners validate it in a workshop
    history: tuple[StatusChange, ...] = ()

    @property
    def item_id(self) -> str:
        return governance_item_id(self.pilot_id)

    def role(self, stage: str) -> StageRole | None:
        return next((r for r in self.stages if r.stage == stage), None)

    @property
    def lead_sector(self) -> str:
        """The sector that leads most stages (the earliest stage breaks a tie)."""
        counts = Counter(r.lead_sector for r in self.stages if r.lead_sector)
        if not counts:
            return ""
        top = max(counts.values())
        return next(r.lead_sector for r in self.stages if counts.get(r.lead_sector) == top)

    @property
    def unclassified(self) -> tuple[str, ...]:
        """The stages nobody has classified for this pilot (unknown, not skipped), in stage order."""
        return tuple(stage for stage in STAGES if self.role(stage) is None)

    @property
    def mean_level(self) -> float | None:
        """The citizens' mean role over the classified stages only (an unknown stage is not a 0)."""
        levels = [r.level for r in self.stages]
        return sum(levels) / len(levels) if levels else None

    @property
    def classification_status(self) -> str:
        return weakest(r.status for r in self.stages)


def governance_models(governance: pd.DataFrame, pilots: pd.DataFrame) -> list[GovernanceModel]:
    """One model per pilot (in the pilots table's order), stages in co-creation order."""
    order = {stage: i for i, stage in enumerate(STAGES)}
    names = dict(zip(pilots["pilot_id"], pilots["name"], strict=True))
    models = []
    for pilot in pilots["pilot_id"]:
        rows = governance[governance["pilot_id"].eq(pilot)]
        roles = sorted(
            (
                StageRole(
                    stage=r.stage,
                    level=int(r.level),
                    lead_sector=_text(r.lead_sector),
                    status=_text(r.status) or "illustrative",
                    source=_text(r.source),
                    note=_text(getattr(r, "note", "")),
                )
                for r in rows.itertuples(index=False)
            ),
            key=lambda role: order.get(role.stage, len(order)),
        )
        models.append(GovernanceModel(pilot, names.get(pilot, pilot), tuple(roles)))
    return models


def _text(value) -> str:
    return (
        "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)
    )


COMPARISON_COLUMNS = (
    "pilot_id",
    "name",
    "lead_sector",
    "stages_classified",
    "mean_level",
    "max_level",
    "governance_status",
    "degree_centralisation",
    "citizen_tie_share",
    "network_status",
    "network_inputs",  # what the two network metrics are computed from (crosspilot.provenance.Inputs)
)


def governance_vs_structure(
    models: list[GovernanceModel],
    networks: Mapping[str, nx.Graph],
    metrics: Mapping[str, Structure] | None = None,
) -> pd.DataFrame:
    """Per pilot: citizens' role across stages beside its network's centralisation and citizen ties."""
    metrics = metrics if metrics is not None else structures(networks)
    rows = []
    for model in models:
        if not model.stages:
            continue
        found = metrics.get(model.pilot_id)
        rows.append(
            {
                "pilot_id": model.pilot_id,
                "name": model.name,
                "lead_sector": model.lead_sector,
                "stages_classified": len(model.stages),
                "mean_level": model.mean_level,
                "max_level": max(r.level for r in model.stages),
                "governance_status": model.classification_status,
                "degree_centralisation": found.value("degree_centralisation") if found else float("nan"),
                "citizen_tie_share": found.value("citizen_tie_share") if found else float("nan"),
                "network_status": found.status("citizen_tie_share") if found else "",
                "network_inputs": found.inputs("citizen_tie_share") if found else None,
            }
        )
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def correlation(frame: pd.DataFrame, x: str, y: str) -> float | None:
    """Spearman rank correlation of two columns, or None with fewer than four pilots."""
    both = frame[[x, y]].dropna()
    if len(both) < 4 or both[x].nunique() < 2 or both[y].nunique() < 2:
        return None
    return float(both[x].rank().corr(both[y].rank()))
