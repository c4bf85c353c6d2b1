"""The refusals of the workshop service: each carries the HTTP status the API answers with."""

from __future__ import annotations


class WorkshopError(ValueError):
    """A request the service refuses; the message says why, for the person who sent it."""

    status = 400


class NotFound(WorkshopError):
    status = 404


class Forbidden(WorkshopError):
    status = 403


class Conflict(WorkshopError):
    status = 409


class RateLimited(WorkshopError):
    status = 429
