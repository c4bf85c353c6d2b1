"""Production entry: `gunicorn --workers 4 --bind 0.0.0.0:8050 wsgi:server`.

Each worker builds its own app from the same files (and the same Parquet cache); the data
snapshot is read-only, so workers share nothing and need nothing in common but the files.
CROSSPILOT_DATA selects another dataset.
"""

import sys

from app import DatasetError, create_app
from crosspilot.i18n import t

try:
    server = create_app().server
except DatasetError as error:
    print(error.report.format(t("Crosspilot did not start: the dataset has errors.")), file=sys.stderr)
    raise SystemExit(1) from None
