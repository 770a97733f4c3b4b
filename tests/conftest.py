"""Shared test helpers: a real HTTP server on 127.0.0.1 and throwaway watches."""

from __future__ import annotations

import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from pg_cluster import Cluster, remove, start_cluster

from watcher.collect.crawl import CrawlReport, crawl_due
from watcher.config import load_watch
from watcher.demo.server import LocalSite
from watcher.store import Store
from watcher.workspace import DATABASE_URL, Workspace

FIXTURES = Path(__file__).parent / "fixtures"


def reopened_older(store: Store, database: str, table: str, *columns: str) -> Store:
    """`store` as a Watcher older than these `columns` of `table` left it (they are dropped,
    and the store says it has schema 0), closed, then opened again: the upgrade a newer
    Watcher makes of an older store when it opens it."""
    from sqlalchemy import text, update

    from watcher.store.schema import meta

    with store.engine.begin() as conn:
        for column in columns:
            conn.execute(text(f"alter table {table} drop column {column}"))
        conn.execute(update(meta).where(meta.c.key == "schema").values(value="0"))
    store.close()
    return Store(database)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the whole test session (tests/pg_cluster.py)."""
    cluster = start_cluster()
    yield cluster
    remove(cluster)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Runs the test once on each database the store supports: SQLite (a file in tmp_path, the
    default) and PostgreSQL (a new database in the session's cluster, which
    `WATCHER_DATABASE_URL` names for every workspace the test opens). Gives the store's
    location (a path or a URL)."""
    if request.param == "sqlite":
        monkeypatch.delenv(DATABASE_URL, raising=False)
        yield str(tmp_path / "watcher.db")
        return
    cluster: Cluster = request.getfixturevalue("postgres")
    url = cluster.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    yield url
    cluster.drop_database(url)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[LocalSite]:
    """A real HTTP server on 127.0.0.1 serving tmp_path/site (write files there)."""
    root = tmp_path / "site"
    root.mkdir()
    with LocalSite(root) as server:
        yield server


def write(site: LocalSite, path: str, body: bytes | str) -> None:
    """A file of the site's folder (served at `path`)."""
    assert site.root is not None
    target = site.root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body.encode() if isinstance(body, str) else body)


def rss(base: str, items: list[dict[str, str]], title: str = "Flux de test") -> bytes:
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in item.items())
        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link><language>fr</language>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


class Watcher:
    """A watch in a temporary folder, crawled through the real use case."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.workspace = Workspace(root / "sources.yml")

    def write(self, sources: list[dict[str, Any]], **extra: Any) -> None:
        config: dict[str, Any] = {
            "watch": {"name": "Veille de test", "contact": "https://example.org/contact"},
            "crawler": {"delay": 0, "retries": 1, "timeout": "5s"},
            "axes": [
                {"id": "concurrence", "label": "Marché & concurrence"},
                {"id": "reglementaire", "label": "Juridique & réglementaire"},
            ],
            "groups": [{"id": "g1", "name": "Groupe 1"}, {"id": "g2", "name": "Groupe 2"}],
            "sources": sources,
        }
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key] = {**config[key], **value}
            else:
                config[key] = value
        self.workspace.config.write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )

    def write_text(self, text: str) -> None:
        self.workspace.config.write_text(textwrap.dedent(text), encoding="utf-8")

    def crawl(self, now: datetime | None = None, **options: Any) -> CrawlReport:
        watch = load_watch(self.workspace.config)
        return crawl_due(
            watch,
            self.workspace.database,
            now or datetime.now(UTC),
            log_file=self.workspace.crawl_log(),
            **options,
        )

    def store(self) -> Store:
        return Store(self.workspace.database)


@pytest.fixture
def watcher(tmp_path: Path) -> Watcher:
    root = tmp_path / "watch"
    root.mkdir()
    return Watcher(root)


def feed_source(site: LocalSite, path: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": extra.pop("id", path.strip("/").replace("/", "-").replace(".", "-")[:60]),
        "kind": "feed",
        "url": site.base + path,
        "axis": "concurrence",
        "every": "1h",
        "allow_private": True,
        **extra,
    }


def proc_stat(pid: int) -> list[str]:
    """/proc/PID/stat after the command name: state, ppid, … (fields 3, 4, … of proc(5))."""
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def crawl_processes(parent: int) -> list[int]:
    """Pids of the crawl workers of `watcher` process `parent`, and of their crawl children,
    while they live (a zombie waiting to be reaped is dead): both have the worker's command
    line, which names the parent's pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            state = proc_stat(int(entry.name))[0]
        except (OSError, IndexError):
            continue
        worker = any(b"watcher.collect.worker" in arg for arg in cmdline)
        if worker and str(parent).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], what: str, deadline: float = 90.0) -> None:
    """Poll `condition` (the end of another process: nothing to wait on) until it holds."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


@contextmanager
def served(app: Any, threads: int = 4) -> Iterator[str]:
    """A WSGI app served by waitress (the production server) in a thread on 127.0.0.1; yields
    its base URL. The server is closed by its own thread: closing its socket from another thread,
    under its select(), fails now and then ("Bad file descriptor")."""
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        server.trigger.pull_trigger(server.close)  # type: ignore[union-attr]
        thread.join(timeout=10)
        assert not thread.is_alive(), "the waitress server did not stop"
