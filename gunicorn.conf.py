"""gunicorn's settings for Crosspilot, read by `gunicorn wsgi:server` started in this folder.

The app is built once, in the master, before the workers are forked (`preload_app`), and what every
page derives from the data (the Overview's pilot cards, the Compare and Lessons indexes, the networks'
analyses that answer at once, and a Compare chart in each form, so that plotly's figure classes are
imported) is built there too (`when_ready`): the workers start with it all in pages they share with the
master until one of them writes to a page, instead of each building, and holding, its own. The data's
own tables are memory-mapped from the cache (crosspilot/dataset.py) and shared either way.

Before the workers fork, the master then collects its garbage, hands the heap's free pages back to the
system (glibc's `malloc_trim`: building the indexes leaves freed temporaries that every worker would
otherwise inherit) and freezes every object it holds out of the garbage collector's reach
(`gc.freeze()`): a worker's collections would otherwise write to each inherited object's header and so
copy, into every worker, each page of the master's objects (~60 MB a worker at 1M rows). Measured with
bench/memory_bench.py (README, Benchmarks).

Preloading means a code change needs a full restart (not `kill -HUP`, which reloads workers only).
Set CROSSPILOT_PRELOAD=0 to build the app in every worker instead.
"""

import ctypes
import gc
import os
import sys

preload_app = os.environ.get("CROSSPILOT_PRELOAD", "1").strip() != "0"


def when_ready(server):
    # The preloaded app, if it is Crosspilot's (another app served from this folder, such as the
    # benchmarks' bare Dash baseline, is left alone).
    app = sys.modules.get("wsgi") if server.cfg.preload_app else None
    if app is not None and hasattr(app, "warm"):
        app.warm()
    if server.cfg.preload_app:
        settle()


def settle() -> None:
    """Ready the master's memory to be shared by the workers it forks next (see above)."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to hand back this way
        pass
    gc.freeze()
