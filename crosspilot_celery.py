"""The Celery worker for running Crosspilot on several hosts.

    CROSSPILOT_REDIS_URL=redis://redis-host:6379/0 celery -A crosspilot_celery:celery worker --concurrency 2

With CROSSPILOT_REDIS_URL set, the web app (wsgi.py) queues its background jobs (a large network's
first layout and metrics) in Redis instead of running them itself, and a worker started this way on
any host runs them. The worker builds the same app from the same settings (CROSSPILOT_DATA and the
rest, README "Several hosts"), so it knows every background callback the web app can queue, and writes
each analysis to Redis, where every web worker on every host reads it.
"""

import sys

from app import DatasetError, create_app
from crosspilot.config import Config
from crosspilot.i18n import t

config = Config.from_env()
if not config.redis_url:
    print(t("Set CROSSPILOT_REDIS_URL: the Celery worker takes its jobs from Redis."), file=sys.stderr)
    raise SystemExit(2)
try:
    app = create_app(config)
except DatasetError as error:
    print(error.report.format(t("Crosspilot did not start: the dataset has errors.")), file=sys.stderr)
    raise SystemExit(1) from None

celery = app._background_manager.handle  # the Celery app of app.background_manager
