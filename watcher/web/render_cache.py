"""Files made once: the dossier's downloads, kept by what they show.

A 400-day `dossier.pdf` takes WeasyPrint 5–6 s of a server thread. `RenderCache.get(key, make)`
returns the bytes made before for an equal key (the last `limit` keys are kept, in memory) and,
when several requests ask for the same new key at once, makes them once: the first request
renders, the others wait for its result. The key says everything the file shows (the web app
uses the dossier itself, see `watcher.report.export.render_key`), so a change in the store gives
a new
key and a new file; an old key is never served for new content.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future

log = logging.getLogger(__name__)


class RenderCache:
    def __init__(self, limit: int = 8) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._done: OrderedDict[Hashable, bytes] = OrderedDict()
        self._pending: dict[Hashable, Future[bytes]] = {}
        self.renders = 0  # files made; every other `get` was answered from the cache
        self._making_soon = threading.Lock()  # held while a background file is being made
        self.background: threading.Thread | None = None  # the last one started

    def make_soon(
        self, keyed: Callable[[], tuple[Hashable, Callable[[], bytes]]]
    ) -> threading.Thread | None:
        """Make a file in a background thread: `keyed()` (run in that thread) returns its key
        and the function that makes it, then `get` makes it unless it is made or being made.
        One at a time: while one is being made, another call starts nothing (None). A failure
        is logged: the request that asks for the file makes it again and shows the error."""
        if not self._making_soon.acquire(blocking=False):
            return None

        def run() -> None:
            try:
                key, make = keyed()
                self.get(key, make)
            except Exception:
                log.exception("background render failed")
            finally:
                self._making_soon.release()

        thread = threading.Thread(target=run, name="render-cache", daemon=True)
        self.background = thread
        thread.start()
        return thread

    def get(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            body = self._done.get(key)
            if body is not None:
                self._done.move_to_end(key)
                return body
            pending = self._pending.get(key)
            mine = pending is None
            if pending is None:
                pending = self._pending[key] = Future()
                self.renders += 1
        if not mine:  # another request is making it: wait for its result
            return pending.result()
        try:
            body = make()
        except BaseException as exc:
            with self._lock:
                del self._pending[key]
            pending.set_exception(exc)
            raise
        with self._lock:
            del self._pending[key]
            self._done[key] = body
            while len(self._done) > self._limit:
                self._done.popitem(last=False)
        pending.set_result(body)
        return body
