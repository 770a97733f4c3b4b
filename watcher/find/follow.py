"""A copy of the search index kept up to date from the store's change log.

The index is derived: the store is the source of truth. Every write that changes what search
shows records its items in the store's change log (`index_changes`, written in the change's own
transaction: an item enriched, deleted, joining a group, curated; a rebuild asked for). Each
copy of the index — one per machine that serves search — follows that log on its own:

* it remembers, in ``follow.json`` inside the index folder, the store it follows and the last
  change number below which it has applied everything (its *position*); a copy with no
  position, of another store or another index version, or older than the first change the
  store still keeps (old changes are pruned, `KEEP_CHANGES`) is rebuilt from the store;
* applying a change reads the item's state *now* from the store and writes (or removes) its
  document: applying twice, or in any order, gives the same copy, so the position is saved
  after the index's commit and a copy killed at any point only applies some changes again;
* one writer per copy: a lock on ``follow.lock`` in the index folder (a `watcher process`,
  the web app's follower thread and a search's catch-up take turns);
* PostgreSQL commits transactions in any order, so a change numbered 10 may appear after one
  numbered 11. A copy applies every change it sees at once, but moves its position past a
  number only once every transaction that was running when it read that number has ended
  (a *horizon*: the snapshot's xmax then, checked against a later snapshot's xmin), and
  reads again from its position meanwhile. SQLite has one writer, which commits the changes
  in the order of their numbers: the position follows the last change read.
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from watcher.find.index import POSITION_FILE, SCHEMA_VERSION, IndexDoc, SearchIndex
from watcher.store import Store
from watcher.workspace import write_atomically

log = logging.getLogger(__name__)

LOCK_FILE = "follow.lock"
BATCH = 500  # changes read and applied at a time
KEEP_CHANGES = timedelta(days=7)  # a copy stopped longer than this is rebuilt when it restarts
REBUILD_WAIT = 30.0  # seconds a rebuild waits for the transactions running when it starts


class Documents(Protocol):
    """The search documents of items, read from the store."""

    def __call__(self, ids: list[int]) -> Iterable[IndexDoc]:
        """From a store of its own (picklable: a rebuild's worker processes call it)."""
        ...

    def of(self, store: Store, ids: Sequence[int]) -> list[IndexDoc]:
        """From an open store."""
        ...


Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class FollowReport:
    indexed: int = 0  # documents written
    removed: int = 0  # documents removed
    rebuilt: int | None = None  # the copy was rebuilt: with this many items
    position: int = 0
    behind: bool = False  # stopped with changes left (out of time, or another writer at work)
    waiting: int = 0  # with `behind`: items changed that this copy does not show yet


@dataclass
class _State:
    """What ``follow.json`` holds."""

    store: str
    position: int
    horizons: list[tuple[int, int]] = field(default_factory=list)  # (xmax, last change seen)


class IndexFollower:
    """Keeps one copy of the index (``index``, in its folder) up to date from ``store``."""

    def __init__(self, store: Store, index: SearchIndex) -> None:
        self.store = store
        self.index = index
        self._mutex = threading.Lock()
        self._applied: set[int] = set()  # changes after the saved position already applied
        self._applied_at: int | None = None  # the position `_applied` was gathered from
        self._rebuilt_through = 0  # the last change a rebuild of this process reflects

    # -- the one entry point ------------------------------------------------------------

    def catch_up(
        self,
        documents: Documents,
        *,
        now: datetime | None = None,
        wait: bool = True,
        budget: float | None = None,
        rebuild: bool = True,
        on_progress: Progress | None = None,
    ) -> FollowReport:
        """Apply the changes this copy has not applied yet (rebuild it when it must be).

        `wait`: wait for another writer of this copy to finish (else return at once, behind);
        `budget`: seconds after which to stop between two batches (a search's catch-up);
        `rebuild`: False to leave a rebuild to the follower that may take the time;
        `now`: also forget the changes older than KEEP_CHANGES."""
        deadline = None if budget is None else time.monotonic() + budget
        if not self._mutex.acquire(blocking=wait):
            return FollowReport(behind=True)
        try:
            with _copy_lock(self.index.path, wait=wait) as held:
                if not held:
                    return FollowReport(behind=True)
                report = self._catch_up(documents, deadline, rebuild, on_progress)
            if now is not None and not report.behind:
                self.store.prune_index_changes(now - KEEP_CHANGES)
            return report
        finally:
            self._mutex.release()

    def rebuild(self, documents: Documents, on_progress: Progress | None = None) -> int:
        """Rebuild the copy from the store now, whatever its position; how many items."""
        with self._mutex, _copy_lock(self.index.path, wait=True):
            report = FollowReport()
            self._rebuild(documents, report, on_progress)
            return report.rebuilt or 0

    def heal(self, documents: Documents) -> int:
        """Compare the copy with the store (after a crash that lost an index commit, or
        documents lost some other way): write the missing ones, remove the extra ones; how
        many were missing."""
        with self._mutex, _copy_lock(self.index.path, wait=True):
            expected, held = self.store.indexable_ids(), self.index.indexed_ids()
            missing, extra = expected - held, held - expected
            if extra:
                self.index.delete(extra)
            if missing:
                self.index.add(documents.of(self.store, sorted(missing)))
            return len(missing)

    def must_rebuild(self) -> bool:
        """Whether this copy must be rebuilt from the store before it can follow it: it has no
        position (a new copy, or one recreated empty for a new index schema after an upgrade),
        or the change log no longer holds the changes it has not applied."""
        state = self._load()
        return state is None or self._past_log(state)

    def pending(self) -> int:
        """How many items wait to enter this copy or leave it (all, for a copy to rebuild)."""
        state = self._load()
        if state is None:
            return len(self.store.indexable_ids())
        changes = self.store.index_changes_after(state.position, limit=10 * BATCH)
        return len({item for _seq, item, _kind in changes})

    # -- inside the lock ----------------------------------------------------------------

    def _catch_up(
        self,
        documents: Documents,
        deadline: float | None,
        rebuild: bool,
        on_progress: Progress | None,
    ) -> FollowReport:
        report = FollowReport()
        state = self._load()
        if state is None or self._past_log(state):
            if not rebuild:
                report.behind = True
                return report
            state = self._rebuild(documents, report, on_progress)
        if self._applied_at != state.position:
            self._applied, self._applied_at = set(), state.position
        cursor = state.position
        while True:
            if deadline is not None and time.monotonic() > deadline:
                report.behind = True
                report.waiting = self._waiting(cursor)
                break
            before = self.store.index_snapshot()
            rows = self.store.index_changes_after(cursor, BATCH)
            after = self.store.index_snapshot()
            fresh = [row for row in rows if row[0] not in self._applied]
            asked = [seq for seq, _item, kind in fresh if kind == "rebuild"]
            if any(seq > self._rebuilt_through for seq in asked):
                if not rebuild:
                    report.behind = True
                    break
                state = self._rebuild(documents, report, on_progress)
                self._applied, self._applied_at = set(), state.position
                cursor = state.position
                continue
            self._apply(documents, fresh, report, on_progress)
            state = self._advance(state, cursor, rows, before, after)
            cursor = rows[-1][0] if rows else cursor
            self._applied = {seq for seq in self._applied if seq > state.position}
            self._applied_at = state.position
            self._save(state)
            if len(rows) < BATCH:
                break
        report.position = state.position
        return report

    def _apply(
        self,
        documents: Documents,
        rows: list[tuple[int, int | None, str]],
        report: FollowReport,
        on_progress: Progress | None,
    ) -> None:
        """Write each changed item as the store has it now (or remove it)."""
        changed = {item for _seq, item, _kind in rows if item is not None}
        if changed:
            keep = self.store.indexable_ids(changed)
            gone = changed - keep
            if gone:
                report.removed += self.index.delete(gone)
            if keep:
                report.indexed += self.index.add(documents.of(self.store, sorted(keep)))
                if on_progress:
                    on_progress("index", report.indexed, report.indexed)
        self._applied.update(seq for seq, _item, _kind in rows)

    def _advance(
        self,
        state: _State,
        cursor: int,
        rows: list[tuple[int, int | None, str]],
        before: tuple[int, int] | None,
        after: tuple[int, int] | None,
    ) -> _State:
        """The new position once `rows` (read after `cursor`) are applied."""
        last = rows[-1][0] if rows else cursor
        if before is None or after is None:  # SQLite: changes commit in the order of their numbers
            return _State(state.store, last)
        horizons = list(state.horizons)
        if any(xmax > after[1] for xmax, _seen in horizons):  # from another server's numbering
            horizons = []
        position = state.position
        if cursor == state.position:  # this read started at the position: it saw every
            # change below the horizons whose transactions had all ended before it
            ended = [seen for xmax, seen in horizons if xmax <= before[0]]
            horizons = [(xmax, seen) for xmax, seen in horizons if xmax > before[0]]
            if ended:
                read_through = last if len(rows) == BATCH else max(ended)
                position = max(position, min(max(ended), read_through))
        if rows:
            horizons.append((after[1], last))
        return _State(state.store, position, horizons)

    def _rebuild(
        self, documents: Documents, report: FollowReport, on_progress: Progress | None
    ) -> _State:
        """Rebuild the copy from the store; its position is the last change made before."""
        bounds = self.store.index_change_bounds()
        position = bounds[1] if bounds else 0
        self._rebuilt_through = position
        started = self.store.index_snapshot()
        if started is not None and not self._wait_for(started[1]):
            # a transaction still runs that may hold an earlier change: apply every change
            # kept again after the rebuild rather than miss one
            position = bounds[0] - 1 if bounds else 0
        ids = sorted(self.store.indexable_ids())
        if on_progress:
            on_progress("index", 0, len(ids))
        count = self.index.rebuild_from(
            ids,
            documents,
            on_progress=(lambda done, total: on_progress("index", done, total))
            if on_progress
            else None,
        )
        state = _State(self.store.store_id(), position)
        self._save(state)
        report.rebuilt = count
        log.info("index %s rebuilt from the store: %d item(s)", self.index.path, count)
        return state

    def _wait_for(self, xmax: int) -> bool:
        """Wait until every transaction numbered below `xmax` has ended (at most REBUILD_WAIT)."""
        deadline = time.monotonic() + REBUILD_WAIT
        while True:
            snapshot = self.store.index_snapshot()
            if snapshot is None or snapshot[0] >= xmax:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def _past_log(self, state: _State) -> bool:
        """Whether the change log no longer holds the changes after this copy's position."""
        bounds = self.store.index_change_bounds()
        return bounds is not None and state.position < bounds[0] - 1

    def _waiting(self, cursor: int) -> int:
        changes = self.store.index_changes_after(cursor, limit=10 * BATCH)
        return len({item for _seq, item, _kind in changes})

    # -- follow.json ------------------------------------------------------------------

    @property
    def _path(self) -> Path:
        return self.index.path / POSITION_FILE

    def _load(self) -> _State | None:
        """This copy's state; None when it must be rebuilt (none yet, another store's, another
        index version's, unreadable)."""
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            if data["index"] != SCHEMA_VERSION or data["store"] != self.store.store_id():
                return None
            horizons = [(int(x), int(s)) for x, s in data.get("horizons", [])]
            return _State(str(data["store"]), int(data["position"]), horizons)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _save(self, state: _State) -> None:
        data = {
            "store": state.store,
            "index": SCHEMA_VERSION,
            "position": state.position,
            "horizons": [list(h) for h in state.horizons],
        }
        write_atomically(self._path, json.dumps(data), durable=False)  # lost: a rebuild


@contextmanager
def _copy_lock(folder: Path, *, wait: bool) -> Iterator[bool]:
    """The copy's one-writer lock (held: True), released at the end or when the process dies."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
