"""The snapshot table (SQLAlchemy Core), in the workshop database; created by Alembic revision 0003.

A row is written once and never updated or deleted: the record of what a published view showed.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, MetaData, String, Table, Text

metadata = MetaData()

ID_MAX = 32
LINK_MAX = 2000
TITLE_MAX = 300

snapshots = Table(
    "snapshot",
    metadata,
    Column("id", String(ID_MAX), primary_key=True),  # random, in the permanent link /s/<id>
    # What was frozen (page, view, files, decisions, software), hashed: publishing the same again
    # returns the same snapshot instead of a copy.
    Column("fingerprint", String(64), nullable=False, unique=True),
    Column("page", String(40), nullable=False),  # the page's path, e.g. /compare
    Column("link", String(LINK_MAX), nullable=False),  # the view's canonical link
    Column("view", Text, nullable=False),  # the parsed view, JSON
    Column("title", String(TITLE_MAX), nullable=False),
    Column("data_version", String(64), nullable=False),  # the dataset's version as the Data page shows it
    Column("content_hash", String(64), nullable=False),  # the files' hash (crosspilot/snapshots/files.py)
    Column("manifest", Text, nullable=False),  # JSON: [{name, sha256, size}]
    Column("decisions", Text, nullable=False),  # JSON: the workshop decisions then, with their votes
    Column("software_version", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_snapshot_created_at", "created_at"),
)
