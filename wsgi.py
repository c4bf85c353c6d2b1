"""Production entry: `gunicorn --workers 4 --bind 0.0.0.0:8050 wsgi:server`.

gunicorn.conf.py builds the app once in gunicorn's master and `warm()`s it there, so the workers fork
with the data and its indexes in shared pages; the data snapshot is read-only, memory-mapped from the
cache, and every bit of workshop state is in the database, so workers need nothing else in common.
With CROSSPILOT_PRELOAD=0 each worker builds its own app from the same files (and the same cache).
CROSSPILOT_DATA selects another dataset.
"""

import sys

from app import DatasetError, create_app
from crosspilot.i18n import t

try:
    app = create_app()
    server = app.server
except DatasetError as error:
    print(error.report.format(t("Crosspilot did not start: the dataset has errors.")), file=sys.stderr)
    raise SystemExit(1) from None


def warm() -> None:
    """Build what the pages derive from the data now rather than on their first visit: in gunicorn's
    master (gunicorn.conf.py) it is then built once and shared by every worker forked after it."""
    derived = app.context.derived
    # Built on first use: the Overview's pilot cards and value counts, Compare's and Lessons' indexes.
    derived.pilots, derived.pilot_cards, derived.outcome_statuses  # noqa: B018
    derived.compare_index, derived.lesson_index  # noqa: B018
    derived.warm_networks()
