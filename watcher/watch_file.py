"""sources.yml as it is now, for the processes that run for weeks (the daemon, the web app).

A group edits sources.yml while Watcher runs: `current()` reads it again when its modification
time or size changed. An invalid edit leaves the last valid watch in service and `error` says
why; nothing is ever used from an invalid file.
"""

from __future__ import annotations

import threading
from pathlib import Path

from watcher.config import ConfigError, Watch, load_watch

Stamp = tuple[int, int] | None  # (st_mtime_ns, st_size); None when there is no file
_UNREAD: Stamp = (-1, -1)  # no file has this stamp: the first `current()` reads it


def _stamp(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def describe(exc: ConfigError) -> str:
    """One line for a banner or a log: the file, how many errors, and the first one."""
    return f"{exc} — {exc.issues[0]}" if exc.issues else str(exc)


class WatchFile:
    """One sources.yml, read again when it changed on disk; safe to share between threads."""

    def __init__(self, path: Path, initial: Watch | None = None) -> None:
        """`initial`: the watch already read from `path` at start-up, if any; the file is read
        again at the first `current()`, and `initial` kept if it has become invalid since."""
        self.path = path
        self._lock = threading.Lock()
        self._watch = initial
        self._stamp = _UNREAD
        self._error = ""

    def current(self) -> Watch:
        """The last valid watch: a new object after each valid edit, the same one otherwise
        (so `is not` tells a caller it changed). ConfigError only if it was never valid."""
        stamp = _stamp(self.path)  # before reading: an edit made during the read is seen next
        with self._lock:
            if self._watch is not None and stamp == self._stamp:
                return self._watch
            self._stamp = stamp
            try:
                watch = load_watch(self.path)
            except ConfigError as exc:
                if self._watch is None:
                    raise
                self._error = describe(exc)
                return self._watch
            self._watch, self._error = watch, ""
            return watch

    @property
    def error(self) -> str:
        """Why the file on disk is not the watch in use ("" when it is)."""
        return self._error
