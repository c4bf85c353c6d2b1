"""Accounts: who may sign in, with which role (crosspilot.access), and the invitations that make them.

Passwords are kept only as argon2id hashes (argon2-cffi, its recommended parameters), rehashed when
those change. Failed sign-ins are counted in the database per email and per client address in a
fixed window (`login_failure`), so every worker and host refuses the same guesser. Invitations are
single-use links signed with the app's secret (itsdangerous), valid for `INVITATION_DAYS`. Every
change to an account is written to the audit log in the same transaction.

Nothing here knows about Flask: crosspilot.accounts.web wires it into requests.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Engine, func, insert, select, update

from crosspilot import access
from crosspilot.accounts import audit
from crosspilot.accounts.models import EMAIL_MAX, accounts, invitations, login_failures
from crosspilot.i18n import t
from crosspilot.workshop import store

PASSWORD_MIN = 12
PASSWORD_MAX = 1000  # argon2 takes any length; this only bounds the work a request can ask for
INVITATION_DAYS = 7
# (failures, seconds) per account: a guesser gets 10 tries per quarter hour on any one account.
LOGIN_FAILURE_LIMIT = (10, 15 * 60)
# Per client address, over every account, in the same window: a room of partners behind one NAT can
# mistype many times before it is stopped, a guesser trying account after account is not.
ADDRESS_FAILURES = 50
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{1,60}")

_hasher = PasswordHasher()
# Checked against when the email is unknown, so an unknown account costs the same time as a known one.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why in plain words."""


class TooManyAttempts(AccountError):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: str
    active: bool
    created_at: datetime
    last_sign_in: datetime | None
    session_version: int

    @property
    def who(self) -> access.Who:
        return access.Who(self.role, self.email, self.id)


def check_email(email: object) -> str:
    if not isinstance(email, str) or not EMAIL.fullmatch(email.strip()) or len(email) > EMAIL_MAX:
        raise AccountError(t("Email: give an address such as name@example.org"))
    return email.strip().lower()


def check_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise AccountError(t("Password: at least {n} characters", n=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        raise AccountError(t("Password: at most {n} characters", n=PASSWORD_MAX))
    return password


def check_role(role: object) -> str:
    try:
        return access.check_role(role)
    except ValueError as error:
        raise AccountError(str(error)) from None


def _hash_key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _row(row) -> Account:
    return Account(
        row.id, row.email, row.role, bool(row.active), row.created_at, row.last_sign_in, row.session_version
    )


class Accounts:
    def __init__(self, engine: Engine, secret: str, clock=None, failure_limit=LOGIN_FAILURE_LIMIT):
        self.engine = engine
        self._invites = URLSafeTimedSerializer(secret, salt="crosspilot-invitation")
        self._now = clock or (lambda: datetime.now(UTC))
        self.failure_limit = failure_limit

    # --- reading -------------------------------------------------------------------------------

    def get(self, account_id: object) -> Account | None:
        if not isinstance(account_id, int):
            return None
        with store.reading(self.engine) as conn:
            row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return _row(row) if row else None

    def by_email(self, email: str) -> Account | None:
        with store.reading(self.engine) as conn:
            row = conn.execute(select(accounts).where(accounts.c.email == email.strip().lower())).first()
        return _row(row) if row else None

    def all(self) -> list[Account]:
        with store.reading(self.engine) as conn:
            return [_row(r) for r in conn.execute(select(accounts).order_by(accounts.c.email))]

    def count_admins(self, conn) -> int:
        query = select(func.count()).where(accounts.c.role == "admin", accounts.c.active)
        return conn.execute(query).scalar_one()

    # --- changing ------------------------------------------------------------------------------

    def add(self, email: object, role: object, password: object, by: str | None = None) -> Account:
        """A new active account; AccountError when the email is taken or a field is not valid."""
        email, role, password = check_email(email), check_role(role), check_password(password)
        with store.writing(self.engine) as conn:
            if conn.execute(select(accounts.c.id).where(accounts.c.email == email)).first():
                raise AccountError(t("An account for {email} exists already", email=email))
            conn.execute(
                insert(accounts).values(
                    email=email,
                    role=role,
                    password_hash=_hasher.hash(password),
                    active=True,
                    created_at=self._now(),
                    session_version=0,
                )
            )
            audit.record(conn, "account.add", email, who=by, role=role)
        return self.by_email(email)

    def _change(self, email: str, action: str, by: str | None, values, refuse=None, detail=None) -> Account:
        """One change to `email`'s account: `values(row)` are written with a new session version (its
        sessions end), `refuse(conn, row)` may refuse it first, and the audit log gets `action` with
        `detail(row)`, all in one transaction."""
        with store.writing(self.engine) as conn:
            row = conn.execute(select(accounts).where(accounts.c.email == email)).first()
            if row is None:
                raise AccountError(t("No account for {email}", email=email))
            if refuse is not None:
                refuse(conn, row)
            conn.execute(
                update(accounts)
                .where(accounts.c.id == row.id)
                .values(**values(row), session_version=row.session_version + 1)
            )
            audit.record(conn, action, email, who=by, **(detail(row) if detail else {}))
        return self.by_email(email)

    def _keep_an_admin(self, conn, row, stays_admin: bool) -> None:
        if row.role == "admin" and row.active and not stays_admin and self.count_admins(conn) <= 1:
            raise AccountError(t("{email} is the last admin: make another admin first", email=row.email))

    def set_role(self, email: object, role: object, by: str | None = None) -> Account:
        email, role = check_email(email), check_role(role)
        return self._change(
            email,
            "account.role",
            by,
            lambda row: {"role": role},
            lambda conn, row: self._keep_an_admin(conn, row, role == "admin"),
            lambda row: {"before": row.role, "after": role},
        )

    def set_active(self, email: object, active: bool, by: str | None = None) -> Account:
        return self._change(
            check_email(email),
            "account.enable" if active else "account.disable",
            by,
            lambda row: {"active": bool(active)},
            lambda conn, row: self._keep_an_admin(conn, row, bool(active)),
        )

    def set_password(self, email: object, password: object, by: str | None = None) -> Account:
        email, password = check_email(email), check_password(password)
        return self._change(
            email, "account.password", by, lambda row: {"password_hash": _hasher.hash(password)}
        )

    # --- signing in ----------------------------------------------------------------------------

    def _window(self) -> int:
        return int(time.time()) // self.failure_limit[1]

    def _refuse_if_limited(self, conn, keys: list[str]) -> None:
        limit, seconds = self.failure_limit
        window = self._window()
        rows = conn.execute(
            select(login_failures).where(
                login_failures.c.key_hash.in_(keys), login_failures.c.rate_window == window
            )
        ).all()
        limits = {keys[0]: limit, keys[1]: max(limit, ADDRESS_FAILURES)}  # [account, address]
        if any(r.failures >= limits[r.key_hash] for r in rows):
            retry = seconds - int(time.time()) % seconds
            raise TooManyAttempts(
                t("Too many failed sign-ins: try again in {minutes} min", minutes=max(1, retry // 60)),
                retry,
            )

    def _count_failure(self, keys: list[str]) -> None:
        window = self._window()
        with store.writing(self.engine) as conn:
            for key in keys:
                row = conn.execute(select(login_failures).where(login_failures.c.key_hash == key)).first()
                if row is None:
                    conn.execute(insert(login_failures).values(key_hash=key, rate_window=window, failures=1))
                else:
                    failures = row.failures + 1 if row.rate_window == window else 1
                    conn.execute(
                        update(login_failures)
                        .where(login_failures.c.key_hash == key)
                        .values(rate_window=window, failures=failures)
                    )

    def authenticate(self, email: object, password: object, address: str = "") -> Account:
        """The account when `password` is its password; AccountError (one message whichever part was
        wrong) or TooManyAttempts otherwise."""
        wrong = AccountError(t("Wrong email or password"))
        email_text = email.strip().lower() if isinstance(email, str) else ""
        keys = [_hash_key("email", email_text[:EMAIL_MAX]), _hash_key("address", address)]
        with store.reading(self.engine) as conn:
            self._refuse_if_limited(conn, keys)
            row = (
                conn.execute(select(accounts).where(accounts.c.email == email_text)).first()
                if email_text
                else None
            )
        if not isinstance(password, str) or not password or len(password) > PASSWORD_MAX:
            self._count_failure(keys)
            raise wrong
        try:
            _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            self._count_failure(keys)
            raise wrong from None
        if row is None:  # the dummy hash matched: impossible, but never sign in as nobody
            raise wrong
        if not row.active:
            raise AccountError(t("This account is disabled: ask an admin"))
        values = {"last_sign_in": self._now()}
        if _hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = _hasher.hash(password)
        with store.writing(self.engine) as conn:
            conn.execute(update(accounts).where(accounts.c.id == row.id).values(**values))
        return self.get(row.id)

    # --- invitations ---------------------------------------------------------------------------

    def invite(self, email: object, role: object, by: str | None = None) -> str:
        """A signed token for /invite/<token>; using it makes `email`'s account with `role`."""
        email, role = check_email(email), check_role(role)
        if self.by_email(email):
            raise AccountError(t("An account for {email} exists already", email=email))
        invitation = secrets.token_hex(16)
        with store.writing(self.engine) as conn:
            conn.execute(
                insert(invitations).values(
                    id=invitation,
                    email=email,
                    role=role,
                    invited_by=by or audit.actor(),
                    created_at=self._now(),
                )
            )
            audit.record(conn, "account.invite", email, who=by, role=role)
        return self._invites.dumps(invitation)

    def invitation(self, token: object) -> dict:
        """{id, email, role} of a valid, unused invitation; AccountError saying why not otherwise."""
        if not isinstance(token, str) or len(token) > 200:
            raise AccountError(t("This invitation link is not valid"))
        try:
            invitation = self._invites.loads(token, max_age=INVITATION_DAYS * 86400)
        except SignatureExpired:
            raise AccountError(t("This invitation link has expired: ask an admin for a new one")) from None
        except BadSignature:
            raise AccountError(t("This invitation link is not valid")) from None
        with store.reading(self.engine) as conn:
            row = conn.execute(select(invitations).where(invitations.c.id == invitation)).first()
        if row is None:
            raise AccountError(t("This invitation link is not valid"))
        if row.used_at is not None:
            raise AccountError(t("This invitation link has been used already"))
        return {"id": row.id, "email": row.email, "role": row.role}

    def accept(self, token: object, password: object) -> Account:
        """Use an invitation: its account is made with `password`, and the link cannot be used again."""
        found = self.invitation(token)
        password = check_password(password)
        with store.writing(self.engine) as conn:
            used = conn.execute(
                update(invitations)
                .where(invitations.c.id == found["id"], invitations.c.used_at.is_(None))
                .values(used_at=self._now())
            )
            if used.rowcount != 1:
                raise AccountError(t("This invitation link has been used already"))
            if conn.execute(select(accounts.c.id).where(accounts.c.email == found["email"])).first():
                raise AccountError(t("An account for {email} exists already", email=found["email"]))
            conn.execute(
                insert(accounts).values(
                    email=found["email"],
                    role=found["role"],
                    password_hash=_hasher.hash(password),
                    active=True,
                    created_at=self._now(),
                    session_version=0,
                )
            )
            audit.record(conn, "account.accept", found["email"], who=found["email"], role=found["role"])
        return self.by_email(found["email"])

    def pending_invitations(self) -> list[dict]:
        with store.reading(self.engine) as conn:
            rows = conn.execute(
                select(invitations).where(invitations.c.used_at.is_(None)).order_by(invitations.c.created_at)
            ).all()
        return [dict(r._mapping) for r in rows]
