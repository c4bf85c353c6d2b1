"""The accounts tables (SQLAlchemy Core), in the workshop database; created by Alembic revision 0005.

- `account`: who may sign in, with which role; passwords only as argon2 hashes.
- `invitation`: a signed, single-use link that makes an account with a role (crosspilot.accounts).
- `login_failure`: failed sign-ins per key (email, client address) in a fixed window, in the database so
  that every worker and host counts the same; keys are kept only as sha256.
- `audit_log`: what was done to the programme's data and accounts (uploads, activations, role changes,
  snapshot publications, invitations): who, when, what. Written once, never changed.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, MetaData, String, Table, Text, false

metadata = MetaData()

EMAIL_MAX = 254
ROLE_MAX = 16
ACTION_MAX = 40
SUBJECT_MAX = 300

accounts = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(EMAIL_MAX), nullable=False, unique=True),  # stored lower-cased
    Column("role", String(ROLE_MAX), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_sign_in", DateTime(timezone=True)),
    # Raised on a password or role change and on disabling: sessions signed with an older one end.
    Column("session_version", Integer, nullable=False, server_default="0"),
)

invitations = Table(
    "invitation",
    metadata,
    Column("id", String(32), primary_key=True),  # random; the link signs it
    Column("email", String(EMAIL_MAX), nullable=False),
    Column("role", String(ROLE_MAX), nullable=False),
    Column("invited_by", String(EMAIL_MAX), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

login_failures = Table(
    "login_failure",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("rate_window", Integer, nullable=False),
    Column("failures", Integer, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(EMAIL_MAX), nullable=False),  # the account's email, or "command line"
    Column("action", String(ACTION_MAX), nullable=False),  # e.g. dataset.upload, account.role
    Column("subject", String(SUBJECT_MAX), nullable=False),  # what it was done to
    Column("detail", Text, nullable=False),  # JSON
)
Index("ix_audit_log_at", audit_log.c.at)
