"""Dataset versions uploaded on /data, the active one, and the data version workshops and decisions
were made on (crosspilot/versions/models.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Two new tables and two NULL columns (a workshop or decision made before it has no recorded version).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dataset_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("row_counts", sa.Text, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("uploaded_by", sa.String(254), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "dataset_active",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_version.id")),
        sa.Column("serial", sa.Integer, nullable=False),
        sa.Column("activated_by", sa.String(254), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("workshop", sa.Column("data_version", sa.String(64)))
    op.add_column("workshop_decision", sa.Column("data_version", sa.String(64)))


def downgrade() -> None:
    for table in ("workshop_decision", "workshop"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("data_version")
    op.drop_table("dataset_active")
    op.drop_table("dataset_version")
