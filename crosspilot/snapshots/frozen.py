"""The context a snapshot page renders from: the frozen dataset's snapshot and what is derived from it,
and the workshop decisions recorded when it was published, in place of the live ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crosspilot.context import AppContext, Derived, Served


def decision_of(recorded: dict):
    """A recorded decision as the lesson pages read decisions (crosspilot.workshop.results.Decision)."""
    from crosspilot.workshop.results import Decision

    return Decision(
        item_id=recorded["item_id"],
        status=recorded["status"],
        rule_status=recorded["rule_status"],
        reason=recorded["reason"],
        decided_by=recorded["decided_by"],
        decided_at=datetime.fromisoformat(recorded["decided_at"]),
        workshop_id=recorded["workshop_id"],
        round=int(recorded["round"]),
        workshop_title=recorded.get("workshop_title", ""),
        facilitator_name=recorded.get("facilitator_name", ""),
        data_version=recorded.get("data_version", ""),
    )


def _no_workshop():
    raise RuntimeError("a snapshot shows the decisions recorded with it, never the live workshop")


@dataclass(frozen=True)
class FrozenContext(AppContext):
    """An AppContext on a frozen dataset: `shared` is its Derived (cached per content hash, shared by
    every snapshot of those files), `recorded` the decisions of the moment of publishing."""

    shared: Derived | None = None
    recorded: tuple = ()

    def __post_init__(self) -> None:
        derived = self.shared or Derived(self._given, self.config)
        object.__setattr__(self, "served", Served(self._given, derived))
        object.__setattr__(self, "workshop", _no_workshop)
        object.__setattr__(self, "snapshots", None)

    def decisions_for(self, item_id: str) -> list:
        return [d for d in self.recorded if d.item_id == item_id]

    def all_decisions(self) -> list:
        return list(self.recorded)
