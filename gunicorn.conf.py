"""gunicorn's settings for Crosspilot, read by `gunicorn wsgi:server` started in this folder.

The app is built once, in the master, before the workers are forked (`preload_app`), and what every
page derives from the data (the Compare and Lessons indexes, the networks' analyses that answer at once)
is built there too (`when_ready`): the
workers start with it all in pages they share with the master until one of them writes to a page,
instead of each building, and holding, its own. The data's own tables are memory-mapped from the cache
(crosspilot/dataset.py) and shared either way. Measured with bench/memory_bench.py (README, Benchmarks).

Preloading means a code change needs a full restart (not `kill -HUP`, which reloads workers only).
Set CROSSPILOT_PRELOAD=0 to build the app in every worker instead.
"""

import os
import sys

preload_app = os.environ.get("CROSSPILOT_PRELOAD", "1").strip() != "0"


def when_ready(server):
    # The preloaded app, if it is Crosspilot's (another app served from this folder, such as the
    # benchmarks' bare Dash baseline, is left alone).
    app = sys.modules.get("wsgi") if server.cfg.preload_app else None
    if app is not None and hasattr(app, "warm"):
        app.warm()
