"""The refusals of the workshop service: each carries the HTTP status the API answers with, and
`retry_after` (seconds) when trying again later will work."""

from __future__ import annotations


class WorkshopError(ValueError):
    """A request the service refuses; the message says why, for the person who sent it."""

    status = 400
    retry_after: int | None = None

    def __init__(self, message: str = "", retry_after: int | None = None):
        super().__init__(message)
        if retry_after is not None:
            self.retry_after = max(1, int(retry_after))


class NotFound(WorkshopError):
    status = 404


class Forbidden(WorkshopError):
    status = 403


class Conflict(WorkshopError):
    status = 409


class RateLimited(WorkshopError):
    status = 429
    retry_after = 60


class Unavailable(WorkshopError):
    """The database did not answer (unreachable, locked or read-only): nothing was saved, and the same
    request will work once it is back (connections are opened afresh)."""

    status = 503
    retry_after = 5
