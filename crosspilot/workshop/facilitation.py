"""What the facilitator does in a workshop: move through the agenda, open and close voting, reveal
results, run a timer, hide comments, start a new round and set an item's outcome. Every action takes
the facilitator secret (or the admin password) and goes into the audit trail.

A mixin of `WorkshopService` (which gives it `authorise`, the engine, the clock and the shared readers
`_workshop`, `_item_at`, `_audit` and `state`); only the service is meant to be used.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from crosspilot.i18n import t, tn
from crosspilot.workshop import results as read
from crosspilot.workshop import store
from crosspilot.workshop.checks import (
    FLAG,
    MAX_ROUNDS,
    STEP,
    Body,
    Goto,
    HideComment,
    NewRound,
    Outcome,
    Override,
    Reveal,
    Step,
    Timer,
    Voting,
    check,
    check_value,
)
from crosspilot.workshop.errors import Conflict, NotFound
from crosspilot.workshop.models import REASON_MAX, agenda_items, decisions, votes, workshops
from crosspilot.workshop.results import Decision


class Facilitation:
    def control(self, workshop_id: object, secret: object, action: Body) -> dict:
        """Run one checked control action (`checks.check_control`): the new state, or for an
        override the decision."""
        if isinstance(action, Goto):
            return self.goto(workshop_id, secret, action.position)
        if isinstance(action, Step):
            return self.step(workshop_id, secret, 1 if action.action == "next" else -1)
        if isinstance(action, Voting):
            return self.set_voting(workshop_id, secret, action.action == "open")
        if isinstance(action, Reveal):
            return self.set_revealed(workshop_id, secret, action.action == "reveal")
        if isinstance(action, Timer):
            return self.set_timer(workshop_id, secret, action.seconds)
        if isinstance(action, NewRound):
            return self.new_round(workshop_id, secret)
        if isinstance(action, HideComment):
            self.hide_comment(workshop_id, secret, action.comment_id, action.hidden)
            return self.state(workshop_id)
        if isinstance(action, Override):
            return self.record_outcome(workshop_id, secret, action).as_dict()
        raise TypeError(f"not a control action: {action!r}")

    def rounds_compared(self, workshop_id: object, position: object) -> list[dict]:
        """One item's rounds side by side (`results.rounds_compared`): stances, agreement, consensus,
        and how many changed their stance since the round before."""
        with store.reading(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            item = self._item_at(conn, row, position)
            return read.rounds_compared(conn, item.id, row.current_round)

    def outcomes(self, workshop_id: object) -> list[Decision]:
        """The outcomes this workshop recorded, oldest first: its decisions, or for a practice run the
        outcomes kept in its audit trail (shown in the room and in its reports, never anywhere else)."""
        row = self._workshop(workshop_id)
        with store.reading(self.engine) as conn:
            if row.practice:
                return read.practice_outcomes(conn, row.id)
            return read.read_decisions(conn, decisions.c.workshop_id == row.id)

    def _control(self, workshop_id: object, secret: object, action: str, values: dict, **detail):
        actor = self.authorise(workshop_id, secret)
        with store.writing(self.engine) as conn:
            conn.execute(update(workshops).where(workshops.c.id == workshop_id).values(**values))
            self._audit(conn, workshop_id, actor, action, **detail)
        return self.state(workshop_id)

    def goto(self, workshop_id: object, secret: object, position: object) -> dict:
        """Make an item current; phones follow it. Voting closes and results hide on the move."""
        actor = self.authorise(workshop_id, secret)
        with store.writing(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            item = self._item_at(conn, row, position)
            if row.voting_open:
                self._close(conn, row, actor)
            conn.execute(
                update(workshops)
                .where(workshops.c.id == row.id)
                .values(current_position=item.position, voting_open=False, revealed=False, timer_ends_at=None)
            )
            self._audit(conn, row.id, actor, "goto", position=item.position, ref=item.ref)
        return self.state(workshop_id)

    def step(self, workshop_id: object, secret: object, delta: object) -> dict:
        """Next (+1) or previous (-1) item, staying inside the agenda."""
        delta = check_value(STEP, delta, "Step")
        state = self.state(workshop_id)
        target = max(0, min(len(state["agenda"]) - 1, state["position"] + delta))
        return self.goto(workshop_id, secret, target)

    def set_voting(self, workshop_id: object, secret: object, open_: object) -> dict:
        open_ = check_value(FLAG, open_, "open")
        actor = self.authorise(workshop_id, secret)
        with store.writing(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            values = {"voting_open": open_}
            if open_:
                values["timer_ends_at"] = None  # a stale timer would close voting at once
            elif row.voting_open:
                self._close(conn, row, actor)
            conn.execute(update(workshops).where(workshops.c.id == row.id).values(**values))
            self._audit(conn, row.id, actor, "open" if open_ else "close", position=row.current_position)
        return self.state(workshop_id)

    def _close(self, conn, row, actor: str) -> None:
        """On closing a vote the rules' outcome is recorded as a decision (when anyone voted)."""
        item = self._item_at(conn, row, row.current_position)
        if item.kind == "slide":
            return
        result = read.item_results(conn, item.id, row.current_round)
        if not result.total:
            return
        _record_decision(
            conn,
            row,
            item,
            status=result.status,
            rule_status=result.status,
            reason=t(
                "Rule: {reason} ({votes})",
                reason=result.reason,
                votes=tn("{n} vote", "{n} votes", result.total),
            )[:REASON_MAX],
            decided_by=t("rule, when the admin closed voting")
            if actor == "admin"
            else t("rule, when the facilitator closed voting"),
            decided_at=self._now(),
            data_version=self.data_version(),
        )

    def set_revealed(self, workshop_id: object, secret: object, revealed: object) -> dict:
        revealed = check_value(FLAG, revealed, "revealed")
        return self._control(workshop_id, secret, "reveal" if revealed else "hide", {"revealed": revealed})

    def set_timer(self, workshop_id: object, secret: object, seconds: object) -> dict:
        """Voting closes itself when the timer runs out (0 clears the timer)."""
        seconds = check(Timer, {"action": "timer", "seconds": seconds}).seconds
        ends = self._now() + timedelta(seconds=seconds) if seconds else None
        return self._control(workshop_id, secret, "timer", {"timer_ends_at": ends}, seconds=seconds)

    def hide_comment(
        self, workshop_id: object, secret: object, vote_id: object, hidden: object = True
    ) -> None:
        checked = check(HideComment, {"action": "hide_comment", "comment_id": vote_id, "hidden": hidden})
        vote_id, hidden = checked.comment_id, checked.hidden
        actor = self.authorise(workshop_id, secret)
        with store.writing(self.engine) as conn:
            owned = conn.execute(
                select(votes.c.id)
                .join(agenda_items, agenda_items.c.id == votes.c.item_id)
                .where(votes.c.id == vote_id, agenda_items.c.workshop_id == workshop_id)
            ).first()
            if owned is None:
                raise NotFound(t("No such comment in this workshop"))
            conn.execute(update(votes).where(votes.c.id == vote_id).values(comment_hidden=hidden))
            self._audit(conn, workshop_id, actor, "hide_comment" if hidden else "show_comment", vote=vote_id)

    def new_round(self, workshop_id: object, secret: object) -> dict:
        """Start the next (Delphi) round at the first item; earlier rounds' votes are kept."""
        actor = self.authorise(workshop_id, secret)
        with store.writing(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            if row.current_round >= MAX_ROUNDS:
                raise Conflict(t("A workshop has at most {n} rounds", n=MAX_ROUNDS))
            if row.voting_open:
                self._close(conn, row, actor)
            conn.execute(
                update(workshops)
                .where(workshops.c.id == row.id)
                .values(
                    current_round=row.current_round + 1,
                    current_position=0,
                    voting_open=False,
                    revealed=False,
                    timer_ends_at=None,
                )
            )
            self._audit(conn, row.id, actor, "new_round", round=row.current_round + 1)
        return self.state(workshop_id)

    def override(
        self,
        workshop_id: object,
        secret: object,
        position: object,
        status: object,
        reason: object,
        by: object = "",
    ) -> Decision:
        """The facilitator sets an item's outcome, with a reason; the rules' verdict is kept beside it."""
        outcome = check(Outcome, {"position": position, "status": status, "reason": reason, "by": by})
        return self.record_outcome(workshop_id, secret, outcome)

    def record_outcome(self, workshop_id: object, secret: object, outcome: Outcome) -> Decision:
        actor = self.authorise(workshop_id, secret)
        decided_by = f"{outcome.by} ({actor})" if outcome.by else actor
        now = self._now()
        with store.writing(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            item = self._item_at(conn, row, outcome.position)
            if item.kind == "slide":
                raise Conflict(t("A slide has no outcome"))
            rule_status = read.item_results(conn, item.id, row.current_round).status
            _record_decision(
                conn,
                row,
                item,
                status=outcome.status,
                rule_status=rule_status,
                reason=outcome.reason,
                decided_by=decided_by,
                decided_at=now,
                data_version=self.data_version(),
            )
            self._audit(
                conn,
                row.id,
                actor,
                "override",
                ref=item.ref,
                status=outcome.status,
                rule_status=rule_status,
                reason=outcome.reason,
            )
        return Decision(
            item.ref, outcome.status, rule_status, outcome.reason, decided_by, now, row.id, row.current_round
        )


def _record_decision(conn, row, item, **decision) -> None:
    """One decision on the item at the workshop's current round: the rules' own, or an override.
    A practice run's outcome is kept in its audit trail only: it never becomes a decision, so no
    lesson's status, no roadmap and no /api/decisions answer ever sees it."""
    if getattr(row, "practice", False):
        read.write_audit(
            conn,
            row.id,
            decision["decided_at"],
            "practice",
            read.PRACTICE_OUTCOME,
            ref=item.ref,
            round=row.current_round,
            **{k: v for k, v in decision.items() if k != "decided_at"},
        )
        return
    conn.execute(
        decisions.insert().values(workshop_id=row.id, item_ref=item.ref, round=row.current_round, **decision)
    )
