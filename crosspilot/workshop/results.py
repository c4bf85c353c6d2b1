"""What a workshop has produced, read from the database: an item's votes tallied, its comments, the
decisions on lessons and governance models, and the audit trail. Plain functions of a connection;
`WorkshopService` checks who may ask and calls them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from crosspilot.workshop.models import audit, decisions, participants, votes, workshops
from crosspilot.workshop.rules import ItemResults, tally

PRACTICE_OUTCOME = "practice_outcome"  # the audit action that holds a practice run's outcome


@dataclass(frozen=True)
class Decision:
    """One outcome recorded for a lesson or governance model (the last one is in force)."""

    item_id: str
    status: str
    rule_status: str
    reason: str
    decided_by: str
    decided_at: datetime
    workshop_id: str
    round: int
    workshop_title: str = ""  # the workshop that decided, as the lesson history names it
    facilitator_name: str = ""
    data_version: str = ""  # the dataset version served when it was decided ("" before revision 0006)

    def as_dict(self) -> dict:
        return {**asdict(self), "decided_at": self.decided_at.isoformat()}


def utc(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; everything stored is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def item_results(conn: Connection, item_id: int, round_: int) -> ItemResults:
    """The votes on one agenda item in one round, tallied (counts, splits, the rules' status)."""
    rows = conn.execute(
        select(votes.c.stance, votes.c.confidence, participants.c.pilot_id, participants.c.stakeholder_type)
        .join(participants, participants.c.id == votes.c.participant_id)
        .where(votes.c.item_id == item_id, votes.c.round == round_)
    ).all()
    return tally(rows)


def item_comments(conn: Connection, item_id: int, round_: int, include_hidden: bool) -> list[dict]:
    """Comments on an item, oldest first; hidden ones only when asked (for the facilitator)."""
    query = (
        select(
            votes.c.id,
            votes.c.stance,
            votes.c.comment,
            votes.c.comment_hidden,
            votes.c.updated_at,
            votes.c.mark,
            votes.c.comment_language,
        )
        .where(votes.c.item_id == item_id, votes.c.round == round_, votes.c.comment != "")
        .order_by(votes.c.updated_at, votes.c.id)
    )
    if not include_hidden:
        query = query.where(votes.c.comment_hidden.is_(False))
    return [
        {
            "id": r.id,
            "stance": r.stance,
            "text": r.comment,
            "hidden": bool(r.comment_hidden),
            "mark": r.mark,
            "language": r.comment_language or "",
        }
        for r in conn.execute(query)
        if r.comment
    ]


@dataclass(frozen=True)
class MarkTally:
    """The votes and comments attached to one mark of a data slide (a pilot's value, an actor, a tie)."""

    mark: str
    label: str
    votes: int
    comments: int
    stances: dict[str, int]

    def as_dict(self) -> dict:
        return asdict(self)


def mark_tallies(
    conn: Connection, item_id: int, round_: int, labels: dict[str, str], include_hidden: bool = False
) -> list[MarkTally]:
    """Per mark, how many votes name it and how many comments it has (hidden comments only for the
    facilitator), the most discussed first. A mark the slide no longer draws keeps its raw name."""
    rows = conn.execute(
        select(votes.c.mark, votes.c.stance, votes.c.comment, votes.c.comment_hidden).where(
            votes.c.item_id == item_id, votes.c.round == round_, votes.c.mark.is_not(None)
        )
    ).all()
    found: dict[str, dict] = {}
    for r in rows:
        entry = found.setdefault(r.mark, {"votes": 0, "comments": 0, "stances": {}})
        entry["votes"] += 1
        entry["stances"][r.stance] = entry["stances"].get(r.stance, 0) + 1
        if r.comment and (include_hidden or not r.comment_hidden):
            entry["comments"] += 1
    tallies = [MarkTally(m, labels.get(m, m), **e) for m, e in found.items()]
    return sorted(tallies, key=lambda x: (-x.votes - x.comments, x.label))


def read_decisions(conn: Connection, *where) -> list[Decision]:
    """Decisions matching `where`, oldest first."""
    rows = conn.execute(
        select(decisions, workshops.c.title, workshops.c.facilitator_name)
        .join(workshops, workshops.c.id == decisions.c.workshop_id)
        .where(*where)
        .order_by(decisions.c.decided_at, decisions.c.id)
    ).all()
    return [
        Decision(
            r.item_ref,
            r.status,
            r.rule_status,
            r.reason,
            r.decided_by,
            utc(r.decided_at),
            r.workshop_id,
            r.round,
            r.title,
            r.facilitator_name or "",
            r.data_version or "",
        )
        for r in rows
    ]


def read_audit(conn: Connection, workshop_id: str) -> list[dict]:
    rows = conn.execute(
        select(audit).where(audit.c.workshop_id == workshop_id).order_by(audit.c.at, audit.c.id)
    ).all()
    return [
        {"at": utc(r.at).isoformat(), "actor": r.actor, "action": r.action, "detail": json.loads(r.detail)}
        for r in rows
    ]


def write_audit(conn: Connection, workshop_id: str, at: datetime, actor: str, action: str, **detail) -> None:
    conn.execute(
        audit.insert().values(
            workshop_id=workshop_id, at=at, actor=actor, action=action, detail=json.dumps(detail)
        )
    )


def stance_changes(conn: Connection, item_id: int, round_: int) -> tuple[int, int]:
    """(changed, both): of the participants who voted on the item in `round_` and in the round before,
    how many changed their stance (a Delphi round's real shift), and how many voted in both."""
    if round_ <= 1:
        return 0, 0
    rows = conn.execute(
        select(votes.c.participant_id, votes.c.round, votes.c.stance).where(
            votes.c.item_id == item_id, votes.c.round.in_((round_ - 1, round_))
        )
    ).all()
    before = {r.participant_id: r.stance for r in rows if r.round == round_ - 1}
    now = {r.participant_id: r.stance for r in rows if r.round == round_}
    both = before.keys() & now.keys()
    return sum(before[p] != now[p] for p in both), len(both)


def rounds_compared(conn: Connection, item_id: int, rounds: int) -> list[dict]:
    """Every round of one item side by side: each stance's count, the agreement (which counts "agree
    with changes" as agreeing, as the rules do), the consensus, and how many changed their stance."""
    compared = []
    for round_ in range(1, rounds + 1):
        result = item_results(conn, item_id, round_)
        changed, both = stance_changes(conn, item_id, round_)
        compared.append(
            {
                "round": round_,
                "counts": dict(result.counts),
                "total": result.total,
                "agreement": result.agreement,
                "consensus": result.consensus,
                "status": result.status,
                "changed": changed,
                "both": both,
            }
        )
    return compared


def practice_outcomes(conn: Connection, workshop_id: str) -> list[Decision]:
    """A practice run's outcomes, read back from its audit trail, oldest first."""
    rows = conn.execute(
        select(audit)
        .where(audit.c.workshop_id == workshop_id, audit.c.action == PRACTICE_OUTCOME)
        .order_by(audit.c.at, audit.c.id)
    ).all()
    found = []
    for r in rows:
        d = json.loads(r.detail)
        found.append(
            Decision(
                d["ref"],
                d["status"],
                d["rule_status"],
                d["reason"],
                d["decided_by"],
                utc(r.at),
                workshop_id,
                int(d["round"]),
            )
        )
    return found
