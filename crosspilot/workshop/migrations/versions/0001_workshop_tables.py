"""The workshop tables as `metadata.create_all` made them before there were migrations.

Revision ID: 0001
Revises:
Create Date: 2026-03-01

A database made by that code has these tables and no alembic_version: start-up stamps it as this
revision (store.adopt_unversioned) instead of running it. Written out here, not read from models.py,
so that later changes to the models never change what this revision does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workshop",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("join_code", sa.String(16), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("rounds_planned", sa.Integer, nullable=False),
        sa.Column("current_round", sa.Integer, nullable=False),
        sa.Column("current_position", sa.Integer, nullable=False),
        sa.Column("voting_open", sa.Boolean, nullable=False),
        sa.Column("revealed", sa.Boolean, nullable=False),
        sa.Column("timer_ends_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "workshop_item",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "workshop_id", sa.String(16), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(300), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.UniqueConstraint("workshop_id", "position"),
    )
    op.create_table(
        "workshop_participant",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "workshop_id", sa.String(16), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("pilot_id", sa.String(64)),
        sa.Column("stakeholder_type", sa.String(32)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rate_window", sa.Integer, nullable=False),
        sa.Column("rate_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "workshop_vote",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "item_id", sa.Integer, sa.ForeignKey("workshop_item.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column(
            "participant_id",
            sa.Integer,
            sa.ForeignKey("workshop_participant.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stance", sa.String(24), nullable=False),
        sa.Column("confidence", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("comment_hidden", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("participant_id", "item_id", "round", name="uq_vote_once"),
    )
    op.create_index("ix_vote_item_round", "workshop_vote", ["item_id", "round"])
    op.create_table(
        "workshop_decision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "workshop_id", sa.String(16), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("item_ref", sa.String(300), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("rule_status", sa.String(24), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_decision_ref", "workshop_decision", ["item_ref"])
    op.create_table(
        "workshop_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "workshop_id", sa.String(16), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_workshop", "workshop_audit", ["workshop_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_audit_workshop", "workshop_audit"),
        ("ix_decision_ref", "workshop_decision"),
        ("ix_vote_item_round", "workshop_vote"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "workshop_audit",
        "workshop_decision",
        "workshop_vote",
        "workshop_participant",
        "workshop_item",
        "workshop",
    ):
        op.drop_table(table)
