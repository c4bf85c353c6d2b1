"""Practice workshops, facilitator names, a state version, marks on votes; reveals per position and
round, one participant per browser, failed joins counted per client address.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-20

Only additions: new columns are NULL or have a server default, so every existing row (and vote) is
kept as it was. Written out here, not read from models.py (see 0001).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN and CREATE INDEX, never a batch (copy-and-drop) on SQLite: its foreign keys are
    # on and cascade, so dropping the old copy of `workshop` or `workshop_participant` would delete
    # every vote (tests/test_migrations.py catches exactly that).
    op.add_column("workshop", sa.Column("practice", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("workshop", sa.Column("facilitator_name", sa.String(200)))
    op.add_column("workshop", sa.Column("state_version", sa.Integer, nullable=False, server_default="0"))
    op.add_column("workshop", sa.Column("join_count", sa.Integer, nullable=False, server_default="0"))
    op.add_column("workshop_participant", sa.Column("browser_hash", sa.String(64)))
    op.create_index(
        "uq_participant_browser", "workshop_participant", ["workshop_id", "browser_hash"], unique=True
    )
    op.add_column("workshop_vote", sa.Column("mark", sa.String(200)))
    op.create_table(
        "workshop_reveal",
        sa.Column(
            "workshop_id",
            sa.String(16),
            sa.ForeignKey("workshop.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("round", sa.Integer, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "workshop_join_failure",
        sa.Column("address_hash", sa.String(64), primary_key=True),
        sa.Column("rate_window", sa.Integer, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    # Dropping columns needs a batch copy on SQLite; that is only safe with foreign keys off, which
    # a downgrade by hand can arrange (PRAGMA foreign_keys=OFF before `alembic downgrade 0001`).
    op.drop_table("workshop_join_failure")
    op.drop_table("workshop_reveal")
    op.drop_index("uq_participant_browser", table_name="workshop_participant")
    with op.batch_alter_table("workshop_vote") as batch:
        batch.drop_column("mark")
    with op.batch_alter_table("workshop_participant") as batch:
        batch.drop_column("browser_hash")
    with op.batch_alter_table("workshop") as batch:
        for column in ("join_count", "state_version", "facilitator_name", "practice"):
            batch.drop_column(column)
