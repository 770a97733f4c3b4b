"""Where a watch keeps its files: sources.yml and, beside it, the store, index/, reports/, logs/.

The store is the SQLite file `watcher.db` beside sources.yml (`WATCHER_DB`: another file), or the
database that `WATCHER_DATABASE_URL` names (a SQLAlchemy URL: `postgresql://user@host/base`),
which then holds the store instead of the file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATABASE_URL = "WATCHER_DATABASE_URL"  # the one setting that puts the store in another database


@dataclass(frozen=True)
class Workspace:
    config: Path

    @classmethod
    def find(cls, config: str | Path | None = None) -> Workspace:
        chosen = config or os.environ.get("WATCHER_CONFIG") or "sources.yml"
        return cls(Path(chosen).expanduser().resolve())

    @property
    def root(self) -> Path:
        return self.config.parent

    @property
    def db(self) -> Path:
        """The SQLite file of the store (unless `database` names another database)."""
        override = os.environ.get("WATCHER_DB")
        return Path(override).resolve() if override else self.root / "watcher.db"

    @property
    def database(self) -> str | Path:
        """Where the store is: the URL in `WATCHER_DATABASE_URL` (PostgreSQL), else `db`."""
        return os.environ.get(DATABASE_URL) or self.db

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def crawl_log(self) -> Path:
        self.logs.mkdir(parents=True, exist_ok=True)
        return self.logs / "crawl.log"
