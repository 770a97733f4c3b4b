"""cProfile of each crawl child, for the crawl benchmark (benchmarks/README.md).

    PYTHONPATH=benchmarks/crawl_profile WATCHER_CRAWL_PROFILE=/tmp/prof \
        .venv/bin/python -m benchmarks.bench_crawl --kind monitor --feeds 500 --items 5

The crawl worker keeps PYTHONPATH, so Python imports this file when it starts: it wraps
`watcher.collect.worker._crawl`, which each forked crawl child runs, and dumps one profile per
crawl as <dir>/crawl-<HHMM of the crawl's now>-<pid>.prof (`python -m pstats FILE`).
"""

from __future__ import annotations

import os
from typing import Any

_DIR = os.environ.get("WATCHER_CRAWL_PROFILE")
if _DIR:
    import cProfile

    import watcher.collect.worker as _worker

    _original = _worker._crawl

    def _profiled(request: Any, out: Any) -> None:
        profile = cProfile.Profile()
        profile.enable()
        try:
            _original(request, out)
        finally:
            profile.disable()
            name = f"crawl-{request.now:%H%M}-{os.getpid()}.prof"
            profile.dump_stats(os.path.join(str(_DIR), name))

    _worker._crawl = _profiled
