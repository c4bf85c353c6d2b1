"""The workshop tables (SQLAlchemy Core): every bit of workshop state lives here, none in memory."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

COMMENT_MAX = 500
TITLE_MAX = 200
REF_MAX = 300
REASON_MAX = 1000
MARK_MAX = 200
NAME_MAX = 200

workshops = Table(
    "workshop",
    metadata,
    Column("id", String(16), primary_key=True),  # public id, in projector and facilitator links
    Column("title", String(TITLE_MAX), nullable=False),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),  # sha256 of the facilitator secret
    Column("rounds_planned", Integer, nullable=False),
    Column("current_round", Integer, nullable=False, default=1),
    Column("current_position", Integer, nullable=False, default=0),
    Column("voting_open", Boolean, nullable=False, default=False),
    Column("revealed", Boolean, nullable=False, default=False),
    Column("timer_ends_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Revision 0002. A rehearsal: everything works, but its outcomes never become decisions.
    Column("practice", Boolean, nullable=False, default=False, server_default=false()),
    Column("facilitator_name", String(NAME_MAX)),  # named in the decisions of a real workshop
    # Bumped in the same transaction as every change of the room, so a poll that only wants to know
    # whether anything changed reads one integer.
    Column("state_version", Integer, nullable=False, default=0, server_default="0"),
    Column("join_count", Integer, nullable=False, default=0, server_default="0"),  # joins, incl. repeats
    # Revision 0006: the dataset version (Snapshot.version) served when the workshop was made.
    Column("data_version", String(64)),
)

agenda_items = Table(
    "workshop_item",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(16), ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # lesson | governance | slide
    Column("ref", String(REF_MAX), nullable=False),  # lesson:<id>, governance:<pilot>, or a page path
    Column("title", String(TITLE_MAX), nullable=False),
    UniqueConstraint("workshop_id", "position"),
)

participants = Table(
    "workshop_participant",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(16), ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("pilot_id", String(64)),
    Column("stakeholder_type", String(32)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Rate limit per participant (a whole room shares one IP): a fixed window counter.
    Column("rate_window", Integer, nullable=False, default=0),
    Column("rate_count", Integer, nullable=False, default=0),
    # Revision 0002: sha256 of the random browser id in the join cookie; one participant per browser.
    Column("browser_hash", String(64)),
)
# A unique index, not a constraint: SQLite adds an index in place, a constraint only by copying the table.
Index("uq_participant_browser", participants.c.workshop_id, participants.c.browser_hash, unique=True)

votes = Table(
    "workshop_vote",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("workshop_item.id", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column(
        "participant_id", Integer, ForeignKey("workshop_participant.id", ondelete="CASCADE"), nullable=False
    ),
    Column("stance", String(24), nullable=False),
    Column("confidence", Integer, nullable=False),
    Column("comment", Text),
    Column("comment_hidden", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Revision 0002: the mark of a data slide the vote or comment is about, e.g. "pilot:turku".
    Column("mark", String(MARK_MAX)),
    # Revision 0004: the language the comment was written in (an interface language code), or NULL.
    Column("comment_language", String(35)),
    # One vote per participant per item per round: a new vote replaces the earlier one.
    UniqueConstraint("participant_id", "item_id", "round", name="uq_vote_once"),
)
Index("ix_vote_item_round", votes.c.item_id, votes.c.round)

decisions = Table(
    "workshop_decision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(16), ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
    Column("item_ref", String(REF_MAX), nullable=False),  # what the lesson page looks up
    Column("round", Integer, nullable=False),
    Column("status", String(24), nullable=False),
    Column("rule_status", String(24), nullable=False),
    Column("reason", String(REASON_MAX), nullable=False),
    Column("decided_by", String(64), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    # Revision 0006: the dataset version (Snapshot.version) served when the decision was made.
    Column("data_version", String(64)),
)
Index("ix_decision_ref", decisions.c.item_ref)

audit = Table(
    "workshop_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(16), ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False),  # JSON
)
Index("ix_audit_workshop", audit.c.workshop_id)

# Revision 0002. Which positions were revealed in which round: results of a position are public only
# once it has been revealed in that round (the workshop's `revealed` flag is only the current item's).
reveals = Table(
    "workshop_reveal",
    metadata,
    Column("workshop_id", String(16), ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("revealed_at", DateTime(timezone=True), nullable=False),
)

# Revision 0002. Failed joins (wrong codes) per client address in a fixed window, in the database so
# that every worker counts the same; the address is kept only as its sha256.
join_failures = Table(
    "workshop_join_failure",
    metadata,
    Column("address_hash", String(64), primary_key=True),
    Column("rate_window", Integer, nullable=False),
    Column("failures", Integer, nullable=False),
)
