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

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future


class RenderCache:
    def __init__(self, limit: int = 8) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._done: OrderedDict[Hashable, bytes] = OrderedDict()
        self._pending: dict[Hashable, Future[bytes]] = {}
        self.renders = 0  # files made; every other `get` was answered from the cache

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
