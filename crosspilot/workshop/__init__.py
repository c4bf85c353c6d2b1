"""Workshop mode: partners vote on lessons and governance models live; plain Python, no dash.

`models` holds the tables and `migrations/` their Alembic revisions; `store` the database engine
(SQLite by default, PostgreSQL by `DATABASE_URL`), brought to the newest revision when it is made;
`checks` the pydantic models of what an action accepts; `service` every action; `results` what is
read back (tallies, comments, decisions, audit); `errors` the refusals; `rules` the outcome status
rules; `report` the CSV and Markdown/HTML exports and `agenda` what an agenda item can refer to.
"""

from crosspilot.workshop.errors import Forbidden, NotFound, RateLimited, WorkshopError
from crosspilot.workshop.results import Decision
from crosspilot.workshop.rules import STANCES, STATUSES, ItemResults, outcome_status
from crosspilot.workshop.service import WorkshopService

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
