"""The use cases, one function each, shared by the CLI, the scheduler and the web app.

One convention hands them the workspace: a shell opens it (`with open_workspace(ws) as w:` for
a command or a scheduled job; `OpenWorkspace.open(ws)` kept for its life by the web app) and
passes `w` to the use cases of `jobs.collect`, `jobs.digest`, `jobs.dossier`, `jobs.assess`,
`jobs.search` and `jobs.users`. This module is the one place that opens the store, its areas and
the search index; no shell constructs them. Use cases never print; time is always a parameter;
what a person can act on is raised as a `watcher.errors.WatcherError`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from watcher.config import Group, Watch
from watcher.errors import Unknown
from watcher.workspace import Workspace, remove_leftovers

if TYPE_CHECKING:
    from watcher.find.follow import IndexFollower
    from watcher.find.index import SearchIndex
    from watcher.store import Store
    from watcher.store.assess import AssessStore
    from watcher.store.mail import MailStore
    from watcher.store.users import Users


@dataclass
class OpenWorkspace:
    """A workspace with its store open: the store's areas and, when first asked for, the
    search index. Safe to share between threads (the web app keeps one for its life)."""

    workspace: Workspace
    store: Store
    _index: SearchIndex | None = field(default=None, repr=False)
    _follower: IndexFollower | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, workspace: Workspace, *, index: bool = False) -> OpenWorkspace:
        """Open the store (created on first use); `index`: open the search index now too."""
        from watcher.store import Store  # SQLAlchemy: only for the commands that open the store

        opened = cls(workspace, Store(workspace.database))
        # what a writer killed half-way left beside the store (a key file's temporary copy)
        remove_leftovers(workspace.db.parent)
        if index:
            opened.index  # noqa: B018  (opened now, not at the first search)
        return opened

    @property
    def index(self) -> SearchIndex:
        """The search index under index/, opened on first use (most use cases never search)."""
        with self._lock:
            if self._index is None:
                from watcher.find.index import SearchIndex  # Whoosh: only for what searches

                self._index = SearchIndex(self.workspace.index)
            return self._index

    @property
    def follower(self) -> IndexFollower:
        """What keeps the index under index/ up to date from the store's change log (one per
        open workspace: the web app's thread and its searches share it)."""
        index = self.index
        with self._lock:
            if self._follower is None:
                from watcher.find.follow import IndexFollower

                self._follower = IndexFollower(self.store, index)
            return self._follower

    @cached_property
    def mails(self) -> MailStore:
        from watcher.store.mail import MailStore

        return MailStore(self.store)

    @cached_property
    def users(self) -> Users:
        from watcher.store.users import Users

        return Users(self.store)

    @cached_property
    def assessments(self) -> AssessStore:
        from watcher.store.assess import AssessStore

        return AssessStore(self.store)

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
                self._follower = None
        self.store.close()


@contextmanager
def open_workspace(workspace: Workspace, *, index: bool = False) -> Iterator[OpenWorkspace]:
    """The workspace opened for one command or one scheduled job, closed after it."""
    opened = OpenWorkspace.open(workspace, index=index)
    try:
        yield opened
    finally:
        opened.close()


def group_of(watch: Watch, group_id: str) -> Group:
    """The group of sources.yml with this id (Unknown, naming the known ones, if none)."""
    for group in watch.groups:
        if group.id == group_id:
            return group
    known = ", ".join(g.id for g in watch.groups) or "aucun"
    raise Unknown(f"Groupe inconnu : {group_id}. Groupes : {known}")


__all__ = ["OpenWorkspace", "group_of", "open_workspace"]
