"""What a participant does in a workshop: join with the room's code, vote, see their own vote.

One participant per browser per workshop: a join that brings a browser id (the API keeps a random one
in an HttpOnly cookie) finds that browser's participant again and gives it a fresh token (the old one
stops working), so joining 40 times from one phone is still one person with one vote. Failed joins
(wrong codes) are counted per client address in a fixed window in the database, so every worker agrees;
only failures count, so a whole room joining from behind one venue NAT is never slowed down.

A mixin of `WorkshopService` (which gives it the engine, the clock, the rate limit and the shared
readers `_workshop` and `_item_at`); only the service is meant to be used.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from sqlalchemy import case, exc, select, update
from sqlalchemy.dialects import postgresql, sqlite

from crosspilot.i18n import t
from crosspilot.workshop import store
from crosspilot.workshop.checks import Join, Vote, check
from crosspilot.workshop.errors import Conflict, Forbidden, NotFound, RateLimited, WorkshopError
from crosspilot.workshop.models import join_failures, participants, votes, workshops
from crosspilot.workshop.results import utc


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


TOKEN = re.compile(r"[A-Za-z0-9_-]{10,64}")  # secrets.token_urlsafe and the browser id


def _token_shape(token: object) -> str:
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise Forbidden(t("Join the workshop first"))
    return token


def new_browser_id() -> str:
    return secrets.token_urlsafe(24)


def browser_id_shape(value: object) -> str | None:
    """A browser id as the join cookie carries it, or None when it is missing or not one of ours."""
    return value if isinstance(value, str) and TOKEN.fullmatch(value) else None


class Participants:
    def join(
        self,
        code: object,
        pilot_id: object = None,
        stakeholder_type: object = None,
        browser: str | None = None,
        address: str | None = None,
    ) -> tuple[str, str]:
        """(workshop id, participant token) for a join code; pilot and stakeholder type are optional.
        `browser` (the join cookie's id) makes a second join from that browser the same participant;
        `address` (the client's) is what failed joins are counted by."""
        request = check(Join, {"code": code, "pilot": pilot_id, "stakeholder_type": stakeholder_type})
        return self.admit(request, browser=browser, address=address)

    def admit(self, request: Join, browser: str | None = None, address: str | None = None) -> tuple[str, str]:
        if request.pilot and self.known_pilots is not None and request.pilot not in self.known_pilots:
            raise WorkshopError(t("Unknown pilot: {p}", p=request.pilot))
        browser = browser_id_shape(browser)
        limit, seconds = self.join_failure_limit
        window = int(time.time() // seconds)
        wait = seconds - int(time.time() % seconds)
        where = digest(address or "-")
        if address is not None and self._join_failures(where, window) >= limit:
            raise RateLimited(
                t("Too many wrong join codes from this network: try again in {n} seconds", n=wait),
                retry_after=wait,
            )
        for attempt in range(2):
            token = secrets.token_urlsafe(24)
            try:
                with store.writing(self.engine) as conn:
                    row = conn.execute(
                        select(workshops.c.id).where(workshops.c.join_code == request.code)
                    ).first()
                    if row is None:
                        if address is not None:
                            self._count_join_failure(conn, where, window)
                    else:
                        self._seat(conn, row.id, token, request, browser)
                        self._bump(conn, row.id, join_count=1)
            except exc.IntegrityError:
                # The same browser joined twice at the same instant (PostgreSQL): the second finds the first.
                if attempt:
                    raise
                continue
            if row is None:
                raise NotFound(t("No workshop has this join code"))
            return row.id, token
        raise AssertionError("unreachable")

    def _seat(self, conn, workshop_id: str, token: str, request: Join, browser: str | None) -> None:
        """This browser's participant in the workshop, with a new token; a new one when it has none."""
        browser_hash = digest(browser) if browser else None
        if browser_hash is not None:
            mine = update(participants).where(
                participants.c.workshop_id == workshop_id, participants.c.browser_hash == browser_hash
            )
            values = {"token_hash": digest(token)}
            if request.pilot is not None:
                values["pilot_id"] = request.pilot
            if request.stakeholder_type is not None:
                values["stakeholder_type"] = request.stakeholder_type
            if conn.execute(mine.values(**values)).rowcount:
                return
        conn.execute(
            participants.insert().values(
                workshop_id=workshop_id,
                token_hash=digest(token),
                browser_hash=browser_hash,
                pilot_id=request.pilot,
                stakeholder_type=request.stakeholder_type,
                created_at=self._now(),
                rate_window=0,
                rate_count=0,
            )
        )

    def _join_failures(self, where: str, window: int) -> int:
        with store.reading(self.engine) as conn:
            found = conn.execute(
                select(join_failures.c.failures).where(
                    join_failures.c.address_hash == where, join_failures.c.rate_window == window
                )
            ).scalar_one_or_none()
        return found or 0

    def _count_join_failure(self, conn, where: str, window: int) -> None:
        counted = conn.execute(
            update(join_failures)
            .where(join_failures.c.address_hash == where)
            .values(
                failures=case((join_failures.c.rate_window == window, join_failures.c.failures + 1), else_=1),
                rate_window=window,
            )
        ).rowcount
        if not counted:
            conn.execute(join_failures.insert().values(address_hash=where, rate_window=window, failures=1))

    def participant(self, token: object) -> dict:
        token = _token_shape(token)
        with store.reading(self.engine) as conn:
            row = conn.execute(select(participants).where(participants.c.token_hash == digest(token))).first()
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
                select(votes.c.stance, votes.c.confidence, votes.c.comment, votes.c.mark)
                .join(participants, participants.c.id == votes.c.participant_id)
                .where(
                    participants.c.token_hash == digest(token),
                    votes.c.item_id == item.id,
                    votes.c.round == row.current_round,
                )
            ).first()
        return (
            None
            if vote is None
            else {
                "stance": vote.stance,
                "confidence": vote.confidence,
                "comment": vote.comment,
                "mark": vote.mark,
            }
        )

    def vote(
        self,
        token: object,
        position: object,
        stance: object,
        confidence: object = 3,
        comment: object = "",
        workshop_id: str | None = None,
        mark: object = None,
        language: object = None,
    ) -> dict:
        """Store a vote on the current item; a second vote in the same round replaces the first.
        `mark` ("pilot:turku", "actor:mmu") says which mark of a data slide it is about."""
        ballot = check(
            Vote,
            {
                "position": position,
                "stance": stance,
                "confidence": confidence,
                "comment": comment,
                "mark": mark,
                "language": language,
            },
        )
        return self.cast(token, ballot, workshop_id)

    def marks_of(self, item) -> dict[str, str]:
        """The marks a vote on `item` may name: a data slide's pilots, actors and ties (none for a
        lesson or a governance model, whose vote is about the whole claim)."""
        if item.kind != "slide" or self._slide_marks is None:
            return {}
        return self._slide_marks(item.ref)

    def cast(self, token: object, ballot: Vote, workshop_id: str | None = None) -> dict:
        token = _token_shape(token)
        now = self._now()
        limit, window_seconds = self.rate_limit
        window = int(time.time() // window_seconds)
        with store.writing(self.engine) as conn:
            # The rate limit counts in the same short transaction as the vote, per participant.
            counted = conn.execute(
                update(participants)
                .where(participants.c.token_hash == digest(token))
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
                wait = window_seconds - int(time.time() % window_seconds)
                raise RateLimited(t("Too many votes at once: wait a minute and try again"), retry_after=wait)
            row = self._workshop(counted.workshop_id, conn)
            if ballot.position != row.current_position:
                raise Conflict(t("The room has moved on to another item"))
            item = self._item_at(conn, row, ballot.position)
            if ballot.mark is not None and ballot.mark not in self.marks_of(item):
                raise WorkshopError(t("Mark: {mark} is not drawn on this item", mark=ballot.mark))
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
                "mark": ballot.mark,
                "comment_language": ballot.language if ballot.comment else None,
            }
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(votes).values(**key, **ballot_values, updated_at=now)
            statement = statement.on_conflict_do_update(
                index_elements=["participant_id", "item_id", "round"],
                set_={**ballot_values, "comment_hidden": False, "updated_at": now},
            )
            # No new state version for a vote: phones poll the version to follow the room (item,
            # voting, reveal, timer), which a vote does not change; an extra write per vote cost its
            # p95 (bench: 2.3 -> 9-13 ms in-process on SQLite).
            conn.execute(statement)
        return {"stored": True, "replaced": replaced, "round": row.current_round, "position": ballot.position}
