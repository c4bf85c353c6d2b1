"""Results of one item in one round, the consensus measure, and the outcome status rules.

The rules, in the order they are applied (a *judging* vote is any stance but "can't judge";
*agreement* is the share of judging votes that agree, with or without changes; a *group* is a
pilot or a stakeholder type with at least 2 judging votes):

1. **needs evidence**: fewer than 3 judging votes, or "can't judge" is at least 40 % of all votes;
2. **context-specific**: the groups diverge: one group agrees at least 70 % while another agrees
   less than 50 % (it holds somewhere, not everywhere);
3. **validated**: agreement at least 70 % and consensus at least 0.45 (low dispersion: 8 agree, 1 agree
   with changes and 1 disagree give 0.48; 8 agree and 2 disagree give 0.28);
4. **contested**: anything else.

Consensus is Tastle and Wierman's measure on the ordinal scale disagree (0) < agree with changes
(1) < agree (2): 1 when every judging vote is the same, 0 when they split evenly between the two
ends; it falls as the votes spread.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field

from crosspilot.i18n import t
from crosspilot.vocabulary import WORKSHOP_OUTCOMES, term

STANCES = ("agree", "agree_with_changes", "disagree", "cant_judge")
STATUSES = WORKSHOP_OUTCOMES  # each is also a lesson status: the decision sets it as it is
SCALE = {"disagree": 0, "agree_with_changes": 1, "agree": 2}

MIN_JUDGING = 3
CANT_JUDGE_SHARE = 0.40
AGREEMENT = 0.70
CONSENSUS = 0.45
GROUP_LOW = 0.50
GROUP_MIN = 2


def stance_label(stance: str) -> str:
    return term("stance", stance)


def status_label(status: str) -> str:
    return term("outcome", status)


def consensus(counts: dict[str, int]) -> float | None:
    """Tastle–Wierman consensus of the judging votes (None when there are none)."""
    total = sum(counts.get(s, 0) for s in SCALE)
    if not total:
        return None
    mean = sum(SCALE[s] * counts.get(s, 0) for s in SCALE) / total
    width = max(SCALE.values()) - min(SCALE.values())
    value = 1.0
    for stance, x in SCALE.items():
        p = counts.get(stance, 0) / total
        if p:
            value += p * math.log2(1 - abs(x - mean) / width)
    return round(max(0.0, min(1.0, value)), 4)


def agreement(counts: dict[str, int]) -> float | None:
    judging = sum(counts.get(s, 0) for s in SCALE)
    if not judging:
        return None
    return (counts.get("agree", 0) + counts.get("agree_with_changes", 0)) / judging


@dataclass(frozen=True)
class ItemResults:
    """What the room said about one item in one round."""

    counts: dict[str, int]
    total: int
    agreement: float | None
    consensus: float | None
    mean_confidence: float | None
    by_pilot: dict[str, dict[str, int]] = field(default_factory=dict)
    by_stakeholder: dict[str, dict[str, int]] = field(default_factory=dict)
    status: str = "needs_evidence"
    reason: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def tally(rows) -> ItemResults:
    """Results from (stance, confidence, pilot_id, stakeholder_type) rows."""
    counts = dict.fromkeys(STANCES, 0)
    by_pilot: dict[str, Counter] = {}
    by_stakeholder: dict[str, Counter] = {}
    confidences = []
    for stance, confidence, pilot, stakeholder in rows:
        counts[stance] += 1
        confidences.append(confidence)
        by_pilot.setdefault(pilot or "", Counter())[stance] += 1
        by_stakeholder.setdefault(stakeholder or "", Counter())[stance] += 1
    by_pilot_d = {k: {s: c[s] for s in STANCES} for k, c in sorted(by_pilot.items())}
    by_stake_d = {k: {s: c[s] for s in STANCES} for k, c in sorted(by_stakeholder.items())}
    status, reason = outcome_status(counts, by_pilot_d, by_stake_d)
    return ItemResults(
        counts=counts,
        total=sum(counts.values()),
        agreement=None if agreement(counts) is None else round(agreement(counts), 4),
        consensus=consensus(counts),
        mean_confidence=round(sum(confidences) / len(confidences), 2) if confidences else None,
        by_pilot=by_pilot_d,
        by_stakeholder=by_stake_d,
        status=status,
        reason=reason,
    )


def _groups(*splits: dict[str, dict[str, int]]) -> list[tuple[str, float]]:
    found = []
    for split in splits:
        for name, counts in split.items():
            judging = sum(counts.get(s, 0) for s in SCALE)
            if name and judging >= GROUP_MIN:
                found.append((name, agreement(counts)))
    return found


def outcome_status(
    counts: dict[str, int],
    by_pilot: dict[str, dict[str, int]] | None = None,
    by_stakeholder: dict[str, dict[str, int]] | None = None,
) -> tuple[str, str]:
    """The status the rules give, and the reason in words (see the module docstring)."""
    total = sum(counts.get(s, 0) for s in STANCES)
    judging = sum(counts.get(s, 0) for s in SCALE)
    if judging < MIN_JUDGING:
        return "needs_evidence", t("{n} judging votes (fewer than {m})", n=judging, m=MIN_JUDGING)
    cant = counts.get("cant_judge", 0) / total
    if cant >= CANT_JUDGE_SHARE:
        return "needs_evidence", t("{p:.0%} could not judge (at least {q:.0%})", p=cant, q=CANT_JUDGE_SHARE)
    groups = _groups(by_pilot or {}, by_stakeholder or {})
    if groups:
        high = max(groups, key=lambda g: g[1])
        low = min(groups, key=lambda g: g[1])
        if high[1] >= AGREEMENT and low[1] < GROUP_LOW:
            return "context_specific", t(
                "groups diverge: {high} agrees {hp:.0%}, {low} agrees {lp:.0%}",
                high=high[0],
                hp=high[1],
                low=low[0],
                lp=low[1],
            )
    share = agreement(counts)
    spread = consensus(counts)
    if share >= AGREEMENT and spread >= CONSENSUS:
        return "validated", t("agreement {a:.0%}, consensus {c:.2f}", a=share, c=spread)
    return "contested", t("agreement {a:.0%}, consensus {c:.2f}", a=share, c=spread)
