"""Frozen, citable snapshots of a page's view (crosspilot/snapshots).

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-28

Only an addition: one new table, nothing existing is touched (no batch copy on SQLite). Written out
here, not read from crosspilot/snapshots/models.py (see 0001).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "snapshot",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("page", sa.String(40), nullable=False),
        sa.Column("link", sa.String(2000), nullable=False),
        sa.Column("view", sa.Text, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("decisions", sa.Text, nullable=False),
        sa.Column("software_version", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_snapshot_created_at", "snapshot", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_snapshot_created_at", table_name="snapshot")
    op.drop_table("snapshot")
