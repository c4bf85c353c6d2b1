"""Production entry: `gunicorn --workers 4 --bind 0.0.0.0:8050 wsgi:server`.

gunicorn.conf.py builds the app once in gunicorn's master and `warm()`s it there, so the workers fork
with the data and its indexes in shared pages; the data snapshot is read-only, memory-mapped from the
cache, and every bit of workshop state is in the database, so workers need nothing else in common.
With CROSSPILOT_PRELOAD=0 each worker builds its own app from the same files (and the same cache).
CROSSPILOT_DATA selects another dataset.
"""

import logging
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
    draw_once(derived)


def draw_once(derived) -> None:
    """A Compare chart of the default view in every form, made and serialised as a callback answers:
    plotly imports its figure classes, validators and JSON encoder on first use, which cost each
    worker ~20 MB of its own when it drew its first charts (measured at 1M rows); made here, the
    workers share them. The charts themselves are thrown away."""
    import plotly.io

    from crosspilot.compare.options import FORMS
    from crosspilot.figures.compare.build import compare_figure

    index = derived.compare_index
    if not index.blocks:
        return
    try:
        for form in FORMS:
            plotly.io.to_json(compare_figure(index, form=form))
    except Exception:  # noqa: BLE001 (a chart that fails here fails on its page, where it is reported)
        logging.getLogger(__name__).exception("drawing the Compare charts before the fork failed")
