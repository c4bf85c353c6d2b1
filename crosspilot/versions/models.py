"""The dataset versions' tables (SQLAlchemy Core), in the workshop database; created by Alembic revision 0006.

- `dataset_version`: every dataset uploaded and activated on /data, written once: its files' content
  hash and manifest (the files themselves are content-addressed under the snapshots folder,
  crosspilot/snapshots/files.py), the data version the loader gave it, who uploaded it, when, its
  validation report, and a label and note.
- `dataset_active`: one row (id 1) naming the version every worker serves; `version_id` NULL means the
  configured data folder (the bundled CoSIE data by default). `serial` is bumped by every activation,
  so a worker's per-request check reads one small row.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

LABEL_MAX = 200
NOTE_MAX = 2000
USER_MAX = 254

versions = Table(
    "dataset_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False, unique=True),  # Manifest.content_hash
    Column("data_version", String(64), nullable=False),  # Snapshot.version, as the Data page shows it
    Column("manifest", Text, nullable=False),  # JSON: [{name, sha256, size}]
    Column("report", Text, nullable=False),  # JSON: Report.to_records()
    Column("row_counts", Text, nullable=False),  # JSON: {table: rows}
    Column("label", String(LABEL_MAX), nullable=False),
    Column("note", Text, nullable=False),
    Column("uploaded_by", String(USER_MAX), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

active = Table(
    "dataset_active",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("version_id", Integer, ForeignKey("dataset_version.id")),  # NULL: the configured folder
    Column("serial", Integer, nullable=False),
    Column("activated_by", String(USER_MAX), nullable=False),
    Column("activated_at", DateTime(timezone=True), nullable=False),
)
