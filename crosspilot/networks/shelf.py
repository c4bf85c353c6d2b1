"""Where the NetworkStore keeps what every worker reads: analyses, their locks and their progress.

Two shelves, one interface (`get`, `put`, `has`, `hold`):

- `FolderShelf`, the embedded default: files in the cache folder, written atomically, locked with
  `flock`. Every worker on one host shares it; nothing to install.
- `RedisShelf`, for several hosts (`CROSSPILOT_REDIS_URL`): the same entries as Redis strings, locked
  with a Redis lock that a crashed holder cannot keep (it expires unless its holder renews it). Celery
  workers and web workers on different hosts then need no shared disk: the Redis server that queues
  the background jobs also holds their results.

A shelf that fails (full disk, Redis gone) costs time, never an answer: reads miss, writes are
dropped, locks are not held, and each worker computes on its own until the shelf is back.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


class FolderShelf:
    """Entries as files in `folder` (made when first written)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"FolderShelf({str(self.folder)!r})"

    def get(self, name: str) -> bytes | None:
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def put(self, name: str, data: bytes) -> None:
        """Written through a temporary file, so a half-written entry is never read."""
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".staging-", dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.folder / name)
        except OSError as error:
            log.warning("could not write %s in %s: %s", name, self.folder, error)
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def has(self, *names: str) -> bool:
        return all((self.folder / name).exists() for name in names)

    def alive(self) -> bool:
        return True  # a folder that cannot be written only costs time (see put)

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[None]:
        """An exclusive lock across processes on this host; closing the file (also when the process
        dies) releases it."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / f"{name}.lock", "a+b")  # noqa: SIM115 - held for the block
        except OSError:
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()


class RedisShelf:
    """Entries as Redis strings under `prefix`, kept `ttl` seconds after they were written (a dataset
    version nobody serves any more leaves Redis by itself)."""

    def __init__(self, client, prefix: str = "crosspilot:networks:", ttl: int = 30 * 86400, lease: int = 30):
        self.client = client
        self.prefix = prefix
        self.ttl = ttl
        self.lease = lease  # a lock's holder renews it every lease / 3 s; a dead holder's lapses

    @classmethod
    def from_url(cls, url: str, **options) -> RedisShelf:
        import redis

        return cls(redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2), **options)

    def __repr__(self) -> str:
        return f"RedisShelf({self.prefix!r})"

    def get(self, name: str) -> bytes | None:
        return self._safely("read", lambda: self.client.get(self.prefix + name), None)

    def put(self, name: str, data: bytes) -> None:
        self._safely("write", lambda: self.client.set(self.prefix + name, data, ex=self.ttl), None)

    def has(self, *names: str) -> bool:
        keys = [self.prefix + n for n in names]
        return bool(self._safely("read", lambda: self.client.exists(*keys) == len(keys), False))

    def alive(self) -> bool:
        """Whether the server answers (it also queues the background jobs: without it none can run)."""
        return bool(self._safely("ping", self.client.ping, False))

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[None]:
        """An exclusive lock across hosts. Its holder renews it while the block runs, so a long analysis
        keeps it and a crashed one frees it within `lease` seconds."""
        from redis.exceptions import RedisError

        lock = self.client.lock(
            self.prefix + name + ":lock", timeout=self.lease, sleep=0.1, thread_local=False
        )
        try:
            lock.acquire(blocking=True)
        except RedisError as error:
            log.warning("Redis lock %s not taken, computing without it: %s", name, error)
            yield
            return
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(self.lease / 3):
                with contextlib.suppress(RedisError):
                    lock.reacquire()

        renewer = threading.Thread(target=renew, name=f"renew {name}", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            with contextlib.suppress(RedisError):
                lock.release()

    def _safely(self, what: str, call, otherwise):
        from redis.exceptions import RedisError

        try:
            return call()
        except RedisError as error:
            log.warning("Redis %s failed, going on without it: %s", what, error)
            return otherwise


def shelf_of(config) -> FolderShelf | RedisShelf | None:
    """The shelf a Config names: Redis when it has a Redis URL, else the cache folder, else none (each
    worker then keeps its analyses in memory only)."""
    if config.redis_url:
        return RedisShelf.from_url(config.redis_url)
    if config.cache_dir is not None:
        return FolderShelf(Path(config.cache_dir) / "networks")
    return None
