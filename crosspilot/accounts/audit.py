"""The audit log: uploads, activations, role changes, invitations and snapshot publications, each with
who, when and what. `record` writes one line inside the caller's transaction when given one, so the
line and the change it records are committed together or not at all."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select

from crosspilot import access
from crosspilot.accounts.models import SUBJECT_MAX, audit_log
from crosspilot.workshop import store

COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict


def actor() -> str:
    """Who the current request acts for, as the log names them."""
    return access.current_user() or COMMAND_LINE


def record(where: Engine | Connection, action: str, subject: str, who: str | None = None, **detail) -> None:
    """Log `action` on `subject` by `who` (default: the request's account). `where` is an engine, or
    the connection of the transaction that makes the change."""
    row = {
        "at": datetime.now(UTC),
        "actor": who or actor(),
        "action": action,
        "subject": str(subject)[:SUBJECT_MAX],
        "detail": json.dumps(detail, default=str, sort_keys=True),
    }
    if isinstance(where, Connection):
        where.execute(insert(audit_log).values(**row))
    else:
        with store.writing(where) as conn:
            conn.execute(insert(audit_log).values(**row))


def recent(engine: Engine, limit: int = 200, action_prefix: str = "") -> list[Entry]:
    """The newest `limit` lines, newest first; only actions starting with `action_prefix` if given."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if action_prefix:
        query = query.where(audit_log.c.action.startswith(action_prefix))
    with store.reading(engine) as conn:
        rows = conn.execute(query).all()
    return [Entry(r.at, r.actor, r.action, r.subject, json.loads(r.detail)) for r in rows]
