"""What the Networks page names: metrics with their one-sentence explanations, and labels in words."""

from __future__ import annotations

from dataclasses import dataclass

from crosspilot.i18n import and_list, t  # noqa: F401 - and_list: re-exported for callers of this package
from crosspilot.provenance import STATUS_RANK  # noqa: F401 - re-exported
from crosspilot.vocabulary import term

ALL_PHASES = "all"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    explanation: str  # one plain sentence, shown next to the number


def node_metrics() -> tuple[Metric, ...]:
    """Per-actor metrics, in display order (translated at call time)."""
    return (
        Metric("degree", t("Ties"), t("How many other actors this actor works with directly.")),
        Metric(
            "weighted_degree",
            t("Tie strength"),
            t("The sum of the strengths of its ties: many or intense working relationships score high."),
        ),
        Metric(
            "betweenness",
            t("Betweenness"),
            t(
                "How often it lies on the shortest route between two other actors: "
                "high means others depend on it to reach each other."
            ),
        ),
        Metric(
            "closeness",
            t("Closeness"),
            t("How few steps it needs to reach everyone else it is connected to: high means close to all."),
        ),
        Metric(
            "eigenvector",
            t("Eigenvector"),
            t("How well connected its partners are: high means it works with other central actors."),
        ),
        Metric(
            "brokerage",
            t("Brokerage"),
            t(
                "How many pairs of its partners come from different sectors and have no direct tie: "
                "it is the bridge between them."
            ),
        ),
    )


def network_metrics() -> tuple[Metric, ...]:
    """Whole-network metrics, in display order (translated at call time)."""
    return (
        Metric("nodes", t("Actors"), t("How many stakeholders the network has.")),
        Metric("ties", t("Ties"), t("How many pairs of actors work together.")),
        Metric(
            "density",
            t("Density"),
            t("The share of all possible ties that exist: 1 means everyone works with everyone."),
        ),
        Metric(
            "components",
            t("Components"),
            t("How many separate groups there are with no tie between them: 1 means everyone is reachable."),
        ),
        Metric(
            "average_path_length",
            t("Average path length"),
            t("How many steps it takes on average to get from one actor to another reachable one."),
        ),
        Metric(
            "degree_centralisation",
            t("Degree centralisation"),
            t("How much the ties concentrate on one actor: 1 is a star around a single hub, 0 is even."),
        ),
        Metric(
            "communities",
            t("Communities"),
            t("How many clusters of actors tie mostly among themselves (found by modularity)."),
        ),
        Metric(
            "modularity",
            t("Modularity"),
            t("How clearly those clusters separate: near 0 is one mixed group, above 0.3 distinct clusters."),
        ),
        Metric(
            "citizen_share",
            t("Ties with citizens"),
            t("The share of ties that involve citizens or hard-to-reach groups."),
        ),
        Metric(
            "cross_sector_share",
            t("Cross-sector ties"),
            t("The share of ties that join actors of different sectors."),
        ),
    )


NODE_METRIC_KEYS = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "brokerage")
NODE_COLUMNS = ("node_id", "label", "sector", "role", "hard_to_reach", "status")


def sector_label(sector: str) -> str:
    return term("sector", sector, default=sector.replace("_", " ") if sector else t("no sector"))


def relation_label(relation: str) -> str:
    return term("relation", relation, default=relation.replace("_", " ")) if relation else t("unspecified")


def role_label(role: str) -> str:
    """A COSMOS role in words; a role the encoding does not know, as the data writes it."""
    return term("role", role, default=role) if role else ""


def phase_label(phase: str) -> str:
    """A phase in words: a co-creation stage by the glossary's name, another phase as the data writes it."""
    if phase == ALL_PHASES:
        return t("all phases")
    return term("stage", phase, default=phase)
