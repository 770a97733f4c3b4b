"""Where a watch keeps its files: sources.yml and, beside it, the store, index/, reports/, logs/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
        override = os.environ.get("WATCHER_DB")
        return Path(override).resolve() if override else self.root / "watcher.db"

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
