"""Every workshop action, stored in the database (the pages and the API share it).

Nothing about a workshop is kept in process memory: any number of workers on any number of hosts
sharing one database serve the same workshop. Facilitator actions take the facilitator secret (or
the admin password) and check it on every call; participants act through their own token. The shape
of what comes in is checked by the models in `checks`; this module checks what depends on the data
(known pilots and lessons) and on the room (is voting open, has the room moved on).

Each action has a typed form taking a checked model (`create`, `admit`, `cast`, `control`,
`record_outcome`; the JSON API uses these) and the argument form the pages call (`create_workshop`,
`join`, `vote`, `goto`, `override`, ...), which checks its arguments with the same models.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from crosspilot.i18n import t
from crosspilot.workshop import results as read
from crosspilot.workshop import store
from crosspilot.workshop.checks import (
    FLAG,
    JOIN_LENGTH,
    MAX_ITEMS,
    MAX_ROUNDS,
    MAX_TIMER,
    POSITION,
    ROUND,
    STAKEHOLDER_TYPES,
    STEP,
    Body,
    Goto,
    HideComment,
    Join,
    NewRound,
    NewWorkshop,
    Outcome,
    Override,
    Reveal,
    Step,
    Timer,
    Vote,
    Voting,
    check,
    check_value,
    normalise_code,
)
from crosspilot.workshop.errors import Conflict, Forbidden, NotFound, RateLimited, WorkshopError
from crosspilot.workshop.models import REASON_MAX, agenda_items, decisions, participants, votes, workshops
from crosspilot.workshop.results import Decision, utc
from crosspilot.workshop.rules import ItemResults

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones

__all__ = [  # what other modules have always imported from here
    "JOIN_LENGTH",
    "MAX_ITEMS",
    "MAX_ROUNDS",
    "MAX_TIMER",
    "STAKEHOLDER_TYPES",
    "Conflict",
    "Created",
    "Decision",
    "Forbidden",
    "NotFound",
    "RateLimited",
    "WorkshopError",
    "WorkshopService",
    "normalise_code",
    "stakeholder_label",
]


@dataclass(frozen=True)
class Created:
    workshop_id: str
    join_code: str
    facilitator_secret: str  # shown once; only its hash is stored


def stakeholder_label(kind: str) -> str:
    return {
        "public_sector": t("Public sector"),
        "civil_society": t("Civil society"),
        "citizen": t("Citizen / service user"),
        "business": t("Business"),
        "research": t("Research"),
        "other": t("Other"),
        "": t("Not given"),
    }.get(kind, kind)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _token_shape(token: object) -> str:
    if not isinstance(token, str) or not 10 <= len(token) <= 64:
        raise Forbidden(t("Join the workshop first"))
    return token


class WorkshopService:
    def __init__(
        self,
        engine: Engine,
        admin_password: str | None = None,
        known_pilots: Iterable[str] | None = None,
        titles: dict[str, str] | None = None,
        rate_limit: tuple[int, int] = (30, 60),
        clock=None,
    ):
        self.engine = engine
        self._admin = admin_password or None
        self.known_pilots = frozenset(known_pilots) if known_pilots is not None else None
        self.titles = dict(titles or {})  # reference -> title; its lessons are the ones that exist
        self._lessons = frozenset(r for r in self.titles if r.startswith("lesson:"))
        self.rate_limit = rate_limit  # (actions, seconds) per participant
        self._now = clock or (lambda: datetime.now(UTC))

    @classmethod
    def from_url(cls, url: str, **options) -> WorkshopService:
        """A service on the database at `url`, its schema upgraded to the newest revision first."""
        return cls(store.make_engine(url), **options)

    # --- facilitator: create and authorise -------------------------------------------------

    def create_workshop(self, title: object, items: object, rounds: object = 1) -> Created:
        return self.create(check(NewWorkshop, {"title": title, "items": items, "rounds": rounds}))

    def create(self, request: NewWorkshop) -> Created:
        rows = []
        for position, item in enumerate(request.items):
            ref, kind = item.ref, item.kind
            if kind == "governance" and self.known_pilots is not None:
                if ref.partition(":")[2] not in self.known_pilots:
                    raise WorkshopError(t("Agenda item {n}: unknown pilot in {ref}", n=position + 1, ref=ref))
            if kind == "lesson" and self._lessons and ref not in self._lessons:
                raise WorkshopError(t("Agenda item {n}: unknown lesson {ref}", n=position + 1, ref=ref))
            title = item.title or self.titles.get(ref) or ref
            rows.append({"position": position, "kind": kind, "ref": ref, "title": title})
        if all(r["kind"] == "slide" for r in rows):
            raise WorkshopError(t("The agenda needs at least one lesson or governance model to vote on"))
        secret = secrets.token_urlsafe(24)
        workshop_id = secrets.token_urlsafe(9)
        now = self._now()
        for _attempt in range(5):
            code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))
            with store.writing(self.engine) as conn:
                taken = conn.execute(select(workshops.c.id).where(workshops.c.join_code == code)).first()
                if taken:
                    continue
                conn.execute(
                    workshops.insert().values(
                        id=workshop_id,
                        title=request.title,
                        join_code=code,
                        secret_hash=_hash(secret),
                        rounds_planned=request.rounds,
                        current_round=1,
                        current_position=0,
                        voting_open=False,
                        revealed=False,
                        created_at=now,
                    )
                )
                conn.execute(agenda_items.insert(), [{**r, "workshop_id": workshop_id} for r in rows])
                self._audit(conn, workshop_id, "facilitator", "create", title=request.title, items=len(rows))
            return Created(workshop_id, code, secret)
        raise WorkshopError(t("Could not find a free join code; try again"))

    def authorise(self, workshop_id: object, secret: object) -> str:
        """'facilitator' or 'admin' when `secret` may run this workshop; Forbidden otherwise."""
        row = self._workshop(workshop_id)
        if isinstance(secret, str) and secret:
            if hmac.compare_digest(_hash(secret), row.secret_hash):
                return "facilitator"
            if self._admin and hmac.compare_digest(secret.encode(), self._admin.encode()):
                return "admin"
        raise Forbidden(t("This needs the workshop's facilitator key or the admin password"))

    # --- reading ---------------------------------------------------------------------------

    def _workshop(self, workshop_id: object, conn=None):
        if not isinstance(workshop_id, str) or not 0 < len(workshop_id) <= 16:
            raise NotFound(t("No such workshop"))
        query = select(workshops).where(workshops.c.id == workshop_id)
        if conn is None:
            with store.reading(self.engine) as conn:
                row = conn.execute(query).first()
        else:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(t("No such workshop"))
        return row

    def _items(self, conn, workshop_id: str) -> list:
        query = select(agenda_items).where(agenda_items.c.workshop_id == workshop_id)
        return list(conn.execute(query.order_by(agenda_items.c.position)))

    def _item_at(self, conn, row, position: object):
        position = check_value(POSITION, position, "Item position")
        item = conn.execute(
            select(agenda_items).where(
                agenda_items.c.workshop_id == row.id, agenda_items.c.position == position
            )
        ).first()
        if item is None:
            raise NotFound(t("No agenda item {n} in this workshop", n=position))
        return item

    def _round(self, row, round_: object) -> int:
        return row.current_round if round_ is None else check_value(ROUND, round_, "Round")

    def state(self, workshop_id: object) -> dict:
        """What everyone in the room may see: agenda, current item, voting and reveal flags, timer."""
        with store.reading(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            items = self._items(conn, row.id)
            voters = conn.execute(
                select(func.count()).where(participants.c.workshop_id == row.id)
            ).scalar_one()
        current = items[row.current_position] if row.current_position < len(items) else None
        ends = utc(row.timer_ends_at)
        seconds_left = None
        if ends is not None:
            seconds_left = max(0, int((ends - self._now()).total_seconds() + 0.999))
        return {
            "id": row.id,
            "title": row.title,
            "join_code": row.join_code,
            "round": row.current_round,
            "rounds_planned": row.rounds_planned,
            "position": row.current_position,
            "voting_open": bool(row.voting_open) and seconds_left != 0,
            "revealed": bool(row.revealed),
            "seconds_left": seconds_left,
            "participants": voters,
            "item": None if current is None else self._item_dict(current),
            "agenda": [self._item_dict(i) for i in items],
        }

    @staticmethod
    def _item_dict(item) -> dict:
        return {"position": item.position, "kind": item.kind, "ref": item.ref, "title": item.title}

    def results(self, workshop_id: object, position: object, round_: object = None) -> ItemResults:
        with store.reading(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            item = self._item_at(conn, row, position)
            return read.item_results(conn, item.id, self._round(row, round_))

    def round_history(self, workshop_id: object, position: object) -> list[dict]:
        """Agreement and consensus of one item in each round so far (Delphi rounds compared)."""
        row = self._workshop(workshop_id)
        history = []
        for round_ in range(1, row.current_round + 1):
            result = self.results(workshop_id, position, round_)
            history.append(
                {
                    "round": round_,
                    "total": result.total,
                    "agreement": result.agreement,
                    "consensus": result.consensus,
                    "status": result.status,
                }
            )
        return history

    def comments(
        self, workshop_id: object, position: object, round_: object = None, include_hidden: bool = False
    ) -> list[dict]:
        """Comments on an item, oldest first; hidden ones only for the facilitator."""
        with store.reading(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            item = self._item_at(conn, row, position)
            return read.item_comments(conn, item.id, self._round(row, round_), include_hidden)

    # --- participants ----------------------------------------------------------------------

    def join(self, code: object, pilot_id: object = None, stakeholder_type: object = None) -> tuple[str, str]:
        """(workshop id, participant token) for a join code; pilot and stakeholder type are optional."""
        return self.admit(
            check(Join, {"code": code, "pilot": pilot_id, "stakeholder_type": stakeholder_type})
        )

    def admit(self, request: Join) -> tuple[str, str]:
        if request.pilot and self.known_pilots is not None and request.pilot not in self.known_pilots:
            raise WorkshopError(t("Unknown pilot: {p}", p=request.pilot))
        token = secrets.token_urlsafe(24)
        with store.writing(self.engine) as conn:
            row = conn.execute(select(workshops.c.id).where(workshops.c.join_code == request.code)).first()
            if row is None:
                raise NotFound(t("No workshop has this join code"))
            conn.execute(
                participants.insert().values(
                    workshop_id=row.id,
                    token_hash=_hash(token),
                    pilot_id=request.pilot,
                    stakeholder_type=request.stakeholder_type,
                    created_at=self._now(),
                    rate_window=0,
                    rate_count=0,
                )
            )
        return row.id, token

    def participant(self, token: object) -> dict:
        token = _token_shape(token)
        with store.reading(self.engine) as conn:
            row = conn.execute(select(participants).where(participants.c.token_hash == _hash(token))).first()
        if row is None:
            raise Forbidden(t("Join the workshop first"))
        return {
            "workshop_id": row.workshop_id,
            "pilot_id": row.pilot_id,
            "stakeholder_type": row.stakeholder_type,
        }

    def my_vote(self, token: object, position: object) -> dict | None:
        """The participant's own vote on an item in the current round (so a phone shows it)."""
        me = self.participant(token)
        with store.reading(self.engine) as conn:
            row = self._workshop(me["workshop_id"], conn)
            item = self._item_at(conn, row, position)
            vote = conn.execute(
                select(votes.c.stance, votes.c.confidence, votes.c.comment)
                .join(participants, participants.c.id == votes.c.participant_id)
                .where(
                    participants.c.token_hash == _hash(token),
                    votes.c.item_id == item.id,
                    votes.c.round == row.current_round,
                )
            ).first()
        return (
            None
            if vote is None
            else {"stance": vote.stance, "confidence": vote.confidence, "comment": vote.comment}
        )

    def vote(
        self,
        token: object,
        position: object,
        stance: object,
        confidence: object = 3,
        comment: object = "",
        workshop_id: str | None = None,
    ) -> dict:
        """Store a vote on the current item; a second vote in the same round replaces the first."""
        ballot = check(
            Vote, {"position": position, "stance": stance, "confidence": confidence, "comment": comment}
        )
        return self.cast(token, ballot, workshop_id)

    def cast(self, token: object, ballot: Vote, workshop_id: str | None = None) -> dict:
        token = _token_shape(token)
        now = self._now()
        limit, window_seconds = self.rate_limit
        window = int(time.time() // window_seconds)
        with store.writing(self.engine) as conn:
            # The rate limit counts in the same short transaction as the vote, per participant.
            counted = conn.execute(
                update(participants)
                .where(participants.c.token_hash == _hash(token))
                .values(
                    rate_count=case(
                        (participants.c.rate_window == window, participants.c.rate_count + 1), else_=1
                    ),
                    rate_window=window,
                )
                .returning(participants.c.id, participants.c.workshop_id, participants.c.rate_count)
            ).first()
            if counted is None:
                raise Forbidden(t("Join the workshop first"))
            if workshop_id is not None and counted.workshop_id != workshop_id:
                raise Forbidden(t("This token belongs to another workshop"))
            if counted.rate_count > limit:
                raise RateLimited(t("Too many votes at once: wait a minute and try again"))
            row = self._workshop(counted.workshop_id, conn)
            if ballot.position != row.current_position:
                raise Conflict(t("The room has moved on to another item"))
            item = self._item_at(conn, row, ballot.position)
            if item.kind == "slide":
                raise Conflict(t("This item is a slide: there is nothing to vote on"))
            ends = utc(row.timer_ends_at)
            if not row.voting_open or (ends is not None and now > ends):
                raise Conflict(t("Voting on this item is closed"))
            key = {"participant_id": counted.id, "item_id": item.id, "round": row.current_round}
            replaced = (
                conn.execute(select(votes.c.id).where(*(votes.c[k] == v for k, v in key.items()))).first()
                is not None
            )
            ballot_values = {
                "stance": ballot.stance,
                "confidence": ballot.confidence,
                "comment": ballot.comment,
            }
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(votes).values(**key, **ballot_values, updated_at=now)
            statement = statement.on_conflict_do_update(
                index_elements=["participant_id", "item_id", "round"],
                set_={**ballot_values, "comment_hidden": False, "updated_at": now},
            )
            conn.execute(statement)
        return {"stored": True, "replaced": replaced, "round": row.current_round, "position": ballot.position}

    # --- facilitator controls --------------------------------------------------------------

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
            item = self._item_at(conn, row, row.current_position)
            if open_ and item.kind == "slide":
                raise Conflict(t("This item is a slide: there is nothing to vote on"))
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
        conn.execute(
            decisions.insert().values(
                workshop_id=row.id,
                item_ref=item.ref,
                round=row.current_round,
                status=result.status,
                rule_status=result.status,
                reason=t("Rule: {reason} ({n} votes)", reason=result.reason, n=result.total)[:REASON_MAX],
                decided_by=t("rule, when the {actor} closed voting", actor=actor),
                decided_at=self._now(),
            )
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
            conn.execute(
                decisions.insert().values(
                    workshop_id=row.id,
                    item_ref=item.ref,
                    round=row.current_round,
                    status=outcome.status,
                    rule_status=rule_status,
                    reason=outcome.reason,
                    decided_by=decided_by,
                    decided_at=now,
                )
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

    # --- outcomes and audit ----------------------------------------------------------------

    def decisions_for(self, item_id: str) -> list[Decision]:
        """Every decision on `lesson:<id>` or `governance:<pilot>`, oldest first; the last is in force."""
        return self._decisions(decisions.c.item_ref == item_id)

    def all_decisions(self) -> list[Decision]:
        return self._decisions()

    def workshop_decisions(self, workshop_id: str) -> list[Decision]:
        return self._decisions(decisions.c.workshop_id == workshop_id)

    def _decisions(self, *where) -> list[Decision]:
        with store.reading(self.engine) as conn:
            return read.read_decisions(conn, *where)

    def audit_trail(self, workshop_id: object, secret: object) -> list[dict]:
        self.authorise(workshop_id, secret)
        with store.reading(self.engine) as conn:
            return read.read_audit(conn, workshop_id)

    def _audit(self, conn, workshop_id: str, actor: str, action: str, **detail) -> None:
        read.write_audit(conn, workshop_id, self._now(), actor, action, **detail)

    def summary(self, workshop_id: object) -> list[dict]:
        """Every votable item in every round: results and the decision in force (for the exports)."""
        state = self.state(workshop_id)
        latest: dict[tuple[str, int], Decision] = {}
        for decision in self.workshop_decisions(state["id"]):
            latest[(decision.item_id, decision.round)] = decision
        rows = []
        for round_ in range(1, state["round"] + 1):
            for item in state["agenda"]:
                if item["kind"] == "slide":
                    continue
                rows.append(
                    {
                        "round": round_,
                        **item,
                        "results": self.results(state["id"], item["position"], round_),
                        "decision": latest.get((item["ref"], round_)),
                        "comments": self.comments(state["id"], item["position"], round_),
                    }
                )
        return rows
