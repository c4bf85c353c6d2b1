"""Runtime settings, from arguments or the environment: the only place that reads `os.environ`.

Nothing here knows about Dash. `Config.from_env()` reads the environment once; everything else (the
app, the workshop service, the tests) receives a `Config` and never looks at the environment itself.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from crosspilot.dataset import BUNDLED

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE = PROJECT_ROOT / "instance"


@dataclass(frozen=True)
class Config:
    data_dir: Path = BUNDLED
    # None disables the Parquet cache (tests that must see every file read use that).
    cache_dir: Path | None = INSTANCE / "cache"
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    language: str = "en"
    # Where the database file and the generated secret key live when nothing else is said.
    instance_dir: Path = INSTANCE
    # The workshop database; "" means an SQLite file in `instance_dir` (see `database()`).
    database_url: str = ""
    # Signs sessions; "" means one generated once and kept in `instance_dir` (see `secret()`).
    secret_key: str = field(default="", repr=False)
    # May run any workshop, like its facilitator key; "" means no admin.
    admin_password: str = field(default="", repr=False)
    # How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto/-Host; 0 trusts
    # none of those headers (anyone could forge them), so the client address is the connection's.
    trusted_proxies: int = 0
    # Background jobs' folder (Dash's DiskcacheManager: their queue, progress and results); None means
    # `<cache_dir>/jobs`, or `<instance_dir>/jobs` with the cache off. Workers on one host share it.
    jobs_dir: Path | None = None
    # Redis for several hosts ("" means none): background jobs run on Celery workers that it queues,
    # and the networks' analyses, locks and progress live in it, so hosts share no disk (README).
    redis_url: str = ""
    # Networks up to this many actors are analysed inside the request; larger ones by a background job.
    inline_actors: int = 2000
    # Repeatable callbacks' answers kept in memory (crosspilot/responses.py); False answers afresh.
    response_cache: bool = True
    # Frozen snapshots' files (content-addressed); None means `<instance_dir>/snapshots`. Permanent
    # records, so never under the cache; hosts that share one database must share this folder too.
    snapshots_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """CROSSPILOT_DATA, CROSSPILOT_CACHE ('off' disables), CROSSPILOT_JOBS, CROSSPILOT_SNAPSHOTS,
        CROSSPILOT_LANGUAGE, DATABASE_URL, SECRET_KEY, CROSSPILOT_ADMIN_PASSWORD, CROSSPILOT_REDIS_URL,
        CROSSPILOT_INLINE_ACTORS, CROSSPILOT_RESPONSE_CACHE, CROSSPILOT_TRUSTED_PROXIES, then
        `overrides` (None values are ignored)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("CROSSPILOT_DATA"):
            values["data_dir"] = Path(env["CROSSPILOT_DATA"])
        cache = env.get("CROSSPILOT_CACHE", "").strip()
        if cache:
            values["cache_dir"] = None if cache.lower() == "off" else Path(cache)
        if env.get("CROSSPILOT_JOBS", "").strip():
            values["jobs_dir"] = Path(env["CROSSPILOT_JOBS"].strip())
        if env.get("CROSSPILOT_SNAPSHOTS", "").strip():
            values["snapshots_dir"] = Path(env["CROSSPILOT_SNAPSHOTS"].strip())
        for name, key in (
            ("language", "CROSSPILOT_LANGUAGE"),
            ("database_url", "DATABASE_URL"),
            ("secret_key", "SECRET_KEY"),
            ("admin_password", "CROSSPILOT_ADMIN_PASSWORD"),
            ("redis_url", "CROSSPILOT_REDIS_URL"),
        ):
            if env.get(key, "").strip():
                values[name] = env[key].strip()
        if env.get("CROSSPILOT_RESPONSE_CACHE", "").strip() == "0":
            values["response_cache"] = False
        inline = env.get("CROSSPILOT_INLINE_ACTORS", "").strip()
        if inline:
            if not inline.isdigit():
                raise ValueError(f"CROSSPILOT_INLINE_ACTORS must be a whole number, not {inline!r}")
            values["inline_actors"] = int(inline)
        proxies = env.get("CROSSPILOT_TRUSTED_PROXIES", "").strip()
        if proxies:
            if not proxies.isdigit():
                raise ValueError(f"CROSSPILOT_TRUSTED_PROXIES must be a whole number, not {proxies!r}")
            values["trusted_proxies"] = int(proxies)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    def database(self) -> str:
        """The SQLAlchemy URL of the workshop database (the SQLite file's folder is made if missing)."""
        url = self.database_url.strip()
        if url:
            # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix) :]
            return url
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.instance_dir / 'crosspilot.db'}"

    def jobs(self) -> Path:
        """The background jobs' folder (made if missing)."""
        folder = self.jobs_dir or (self.cache_dir or self.instance_dir) / "jobs"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def snapshots(self) -> Path:
        """The frozen snapshots' folder (made when the first snapshot is published)."""
        return self.snapshots_dir or self.instance_dir / "snapshots"

    def secret(self) -> str:
        """`secret_key`, else one generated once and kept in `instance_dir/secret_key`."""
        if self.secret_key:
            return self.secret_key
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        path = self.instance_dir / "secret_key"
        try:
            # O_EXCL: when several workers start at once, exactly one writes the key and all read it.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            for _ in range(50):
                key = path.read_text().strip()
                if key:
                    return key
                time.sleep(0.02)
            raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY") from None
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        return path.read_text().strip()
