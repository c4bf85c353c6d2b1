"""Workshop mode: partners vote on lessons and governance models live; plain Python, no dash.

`models` holds the tables, `store` the database engine (SQLite by default, PostgreSQL by
`DATABASE_URL`), `service` every action and its checks, `rules` the outcome status rules,
`report` the CSV and Markdown/HTML exports and `agenda` what an agenda item can refer to.
"""

from crosspilot.workshop.rules import STANCES, STATUSES, ItemResults, outcome_status
from crosspilot.workshop.service import (
    Decision,
    Forbidden,
    NotFound,
    RateLimited,
    WorkshopError,
    WorkshopService,
)

__all__ = [
    "STANCES",
    "STATUSES",
    "Decision",
    "Forbidden",
    "ItemResults",
    "NotFound",
    "RateLimited",
    "WorkshopError",
    "WorkshopService",
    "outcome_status",
]
