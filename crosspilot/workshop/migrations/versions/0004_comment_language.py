"""The language a workshop comment was written in (shown beside it; never translated).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Only an addition: one NULL column (a comment made before it has no recorded language).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workshop_vote", sa.Column("comment_language", sa.String(35)))


def downgrade() -> None:
    # Dropping a column needs a batch copy on SQLite; see 0002's downgrade.
    with op.batch_alter_table("workshop_vote") as batch:
        batch.drop_column("comment_language")
