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

import hmac
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select, update

from crosspilot.i18n import t
from crosspilot.vocabulary import term
from crosspilot.workshop import results as read
from crosspilot.workshop import store
from crosspilot.workshop.checks import (
    JOIN_LENGTH,
    MAX_ITEMS,
    MAX_ROUNDS,
    MAX_TIMER,
    POSITION,
    ROUND,
    STAKEHOLDER_TYPES,
    NewWorkshop,
    check,
    check_value,
    normalise_code,
)
from crosspilot.workshop.errors import Conflict, Forbidden, NotFound, RateLimited, WorkshopError
from crosspilot.workshop.facilitation import Facilitation
from crosspilot.workshop.models import TITLE_MAX, agenda_items, decisions, participants, reveals, workshops
from crosspilot.workshop.participants import Participants, digest
from crosspilot.workshop.results import Decision, utc
from crosspilot.workshop.rules import ItemResults

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones
WORKSHOP_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")  # secrets.token_urlsafe(9)
PULSE_SECONDS = 0.5  # how long a worker answers a room's pulse from memory
REF = re.compile(r"[a-z]+:[^\x00-\x1f\ud800-\udfff]{1,290}")

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
    return term("stakeholder", kind, default=t("Not given") if not kind else kind)


class WorkshopService(Participants, Facilitation):
    def __init__(
        self,
        engine: Engine,
        admin_password: str | None = None,
        known_pilots: Iterable[str] | None = None,
        titles: dict[str, str] | None = None,
        rate_limit: tuple[int, int] = (30, 60),
        clock=None,
        join_failure_limit: tuple[int, int] = (60, 60),
        read_slide: Callable[[str], str] | None = None,
        slide_marks: Callable[[str], dict[str, str]] | None = None,
        slide_title: Callable[[str], str] | None = None,
        data_version: Callable[[], str | None] | None = None,
    ):
        self.engine = engine
        # The dataset version served now (Snapshot.version): kept with each workshop and decision, so
        # they keep saying which data they were made on when another version is activated.
        self.data_version = data_version or (lambda: None)
        # A page link on the agenda -> its canonical link (raises ValueError saying why it cannot be
        # read); the app passes its pages' view modules, so the API refuses what the set-up page does.
        self._read_slide = read_slide
        # A slide's link -> the marks it draws (mark -> label): a vote may name one of those only.
        self._slide_marks = slide_marks
        # A slide's link -> its title in words ("Compare: Participants"), stored with the agenda.
        self._slide_title = slide_title
        self._admin = admin_password or None
        self.known_pilots = frozenset(known_pilots) if known_pilots is not None else None
        self.titles = dict(titles or {})  # reference -> title; its lessons are the ones that exist
        self._lessons = frozenset(r for r in self.titles if r.startswith("lesson:"))
        self.rate_limit = rate_limit  # (actions, seconds) per participant
        # (failed joins, seconds) per client address: wrong codes only, so a room behind one NAT joins
        self.join_failure_limit = join_failure_limit
        self._now = clock or (lambda: datetime.now(UTC))
        self._pulses: dict[str, tuple[float, dict]] = {}  # workshop -> (when read, the pulse)

    @classmethod
    def from_url(cls, url: str, **options) -> WorkshopService:
        """A service on the database at `url`, its schema upgraded to the newest revision first."""
        return cls(store.make_engine(url), **options)

    # --- facilitator: create and authorise -------------------------------------------------

    def create_workshop(
        self,
        title: object,
        items: object,
        rounds: object = 1,
        practice: object = False,
        facilitator_name: object = "",
    ) -> Created:
        return self.create(
            check(
                NewWorkshop,
                {
                    "title": title,
                    "items": items,
                    "rounds": rounds,
                    "practice": practice,
                    "facilitator_name": facilitator_name,
                },
            )
        )

    def create(self, request: NewWorkshop) -> Created:
        rows = []
        for position, item in enumerate(request.items):
            ref, kind = item.ref, item.kind
            if kind == "governance" and self.known_pilots is not None:
                if ref.partition(":")[2] not in self.known_pilots:
                    raise WorkshopError(t("Agenda item {n}: unknown pilot in {ref}", n=position + 1, ref=ref))
            if kind == "lesson" and self._lessons and ref not in self._lessons:
                raise WorkshopError(t("Agenda item {n}: unknown lesson {ref}", n=position + 1, ref=ref))
            if kind == "slide" and self._read_slide is not None:
                try:
                    ref = self._read_slide(ref)
                except ValueError as error:
                    raise WorkshopError(t("Agenda item {n}: {why}", n=position + 1, why=error)) from None
            title = item.title or self.titles.get(ref)
            if not title and kind == "slide" and self._slide_title is not None:
                title = self._slide_title(ref)[:TITLE_MAX]
            title = title or ref
            rows.append({"position": position, "kind": kind, "ref": ref, "title": title})
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
                        secret_hash=digest(secret),
                        rounds_planned=request.rounds,
                        current_round=1,
                        current_position=0,
                        voting_open=False,
                        revealed=False,
                        created_at=now,
                        practice=request.practice,
                        facilitator_name=request.facilitator_name or None,
                        state_version=0,
                        join_count=0,
                        data_version=self.data_version(),
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
            if hmac.compare_digest(digest(secret), row.secret_hash):
                return "facilitator"
            if self._admin and hmac.compare_digest(secret.encode(), self._admin.encode()):
                return "admin"
        raise Forbidden(t("This needs the workshop's facilitator key or the admin password"))

    # --- reading ---------------------------------------------------------------------------

    def _workshop(self, workshop_id: object, conn=None):
        if not isinstance(workshop_id, str) or not WORKSHOP_ID.fullmatch(workshop_id):
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
            "participants": voters,  # distinct participants (one per browser)
            "joins": row.join_count,  # every join, a browser joining again included
            "practice": bool(row.practice),
            "facilitator_name": row.facilitator_name or "",
            "version": row.state_version,
            "item": None if current is None else self._item_dict(current),
            "agenda": [self._item_dict(i) for i in items],
        }

    @staticmethod
    def _item_dict(item) -> dict:
        return {"position": item.position, "kind": item.kind, "ref": item.ref, "title": item.title}

    def pulse(self, workshop_id: object) -> dict:
        """What a phone polls every 1.5 s, in one small query: the room's state version, and whether a
        timer is running (then its countdown changes every second, so the phone redraws anyway)."""
        if not isinstance(workshop_id, str) or not WORKSHOP_ID.fullmatch(workshop_id):
            raise NotFound(t("No such workshop"))
        # A room of 200 phones asks this 130 times a second: each worker answers from what it read in
        # the last PULSE_SECONDS (its own actions forget it at once, see `_audit`), so the database is
        # asked a few times a second however large the room.
        seen = self._pulses.get(workshop_id)
        now = time.monotonic()
        if seen is not None and now - seen[0] < PULSE_SECONDS:
            return seen[1]
        with store.reading(self.engine) as conn:
            row = conn.execute(
                select(workshops.c.state_version, workshops.c.voting_open, workshops.c.timer_ends_at).where(
                    workshops.c.id == workshop_id
                )
            ).first()
        if row is None:
            raise NotFound(t("No such workshop"))
        ends = utc(row.timer_ends_at)
        answer = {
            "version": row.state_version,
            "timer": bool(row.voting_open and ends and ends > self._now()),
        }
        if len(self._pulses) > 1000:  # rooms come and go; a bound all the same
            self._pulses.clear()
        self._pulses[workshop_id] = (now, answer)
        return answer

    def version(self, workshop_id: object) -> int:
        """The room's state version: it changes with every facilitator action and every join (one
        integer to read, for a poll that only wants to know whether the room moved). Votes do not
        change it: results are read from `results`."""
        if not isinstance(workshop_id, str) or not WORKSHOP_ID.fullmatch(workshop_id):
            raise NotFound(t("No such workshop"))
        with store.reading(self.engine) as conn:
            found = conn.execute(
                select(workshops.c.state_version).where(workshops.c.id == workshop_id)
            ).scalar_one_or_none()
        if found is None:
            raise NotFound(t("No such workshop"))
        return found

    def is_revealed(self, workshop_id: object, position: object, round_: object = None) -> bool:
        """Whether the facilitator has revealed this position's results in this round (the current
        round by default): only then may they be read without the facilitator key."""
        with store.reading(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            item = self._item_at(conn, row, position)
            found = conn.execute(
                select(reveals.c.position).where(
                    reveals.c.workshop_id == row.id,
                    reveals.c.round == self._round(row, round_),
                    reveals.c.position == item.position,
                )
            ).first()
        return found is not None

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

    def mark_tallies(
        self, workshop_id: object, position: object, round_: object = None, include_hidden: bool = False
    ) -> list[read.MarkTally]:
        """The votes and comments on each mark of a data slide (empty for other items)."""
        with store.reading(self.engine) as conn:
            row = self._workshop(workshop_id, conn)
            item = self._item_at(conn, row, position)
            if item.kind != "slide":
                return []
            labels = self.marks_of(item)
            return read.mark_tallies(conn, item.id, self._round(row, round_), labels, include_hidden)

    # --- outcomes and audit ----------------------------------------------------------------

    def decisions_for(self, item_id: str) -> list[Decision]:
        """Every decision on `lesson:<id>` or `governance:<pilot>`, oldest first; the last is in force."""
        if not isinstance(item_id, str) or not REF.fullmatch(item_id):
            return []  # nothing was ever decided on what is not a reference (NUL, control characters)
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
        """Every facilitator action writes here, in its own transaction: so this is also where the
        room's state version is bumped and a reveal (or its withdrawal) of the current position in the
        current round is recorded."""
        read.write_audit(conn, workshop_id, self._now(), actor, action, **detail)
        self._pulses.pop(workshop_id, None)
        row = conn.execute(
            update(workshops)
            .where(workshops.c.id == workshop_id)
            .values(state_version=workshops.c.state_version + 1)
            .returning(workshops.c.current_round, workshops.c.current_position)
        ).first()
        if row is None or action not in ("reveal", "hide"):
            return
        here = {"workshop_id": workshop_id, "round": row.current_round, "position": row.current_position}
        conn.execute(delete(reveals).where(*(reveals.c[k] == v for k, v in here.items())))
        if action == "reveal":
            conn.execute(reveals.insert().values(**here, revealed_at=self._now()))

    def _bump(self, conn, workshop_id: str, **counters) -> None:
        """The room changed without a facilitator action (a join): a new state version."""
        self._pulses.pop(workshop_id, None)
        values = {name: workshops.c[name] + n for name, n in counters.items()}
        conn.execute(
            update(workshops)
            .where(workshops.c.id == workshop_id)
            .values(state_version=workshops.c.state_version + 1, **values)
        )

    def summary(self, workshop_id: object) -> list[dict]:
        """Every item in every round: results, the votes on a data slide's marks and the decision in force
        (for the exports). A slide's votes are feedback on the view: it has no outcome."""
        state = self.state(workshop_id)
        latest: dict[tuple[str, int], Decision] = {}
        for decision in self.workshop_decisions(state["id"]):
            latest[(decision.item_id, decision.round)] = decision
        rows = []
        compared = {
            item["position"]: self.rounds_compared(state["id"], item["position"])
            for item in state["agenda"]
            if state["round"] > 1
        }
        for round_ in range(1, state["round"] + 1):
            for item in state["agenda"]:
                shift = compared[item["position"]][round_ - 1] if item["position"] in compared else {}
                rows.append(
                    {
                        "round": round_,
                        **item,
                        "results": self.results(state["id"], item["position"], round_),
                        "decision": latest.get((item["ref"], round_)),
                        "comments": self.comments(state["id"], item["position"], round_),
                        # A data slide's marks with the votes and comments attached to them.
                        "marks": self.mark_tallies(state["id"], item["position"], round_),
                        # Of those who voted in this round and the one before, how many changed stance.
                        "changed": (shift.get("changed", 0), shift.get("both", 0)),
                    }
                )
        return rows
