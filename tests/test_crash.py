"""kill -9 `watcher crawl` at various moments, run it again: each item once, store intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

from conftest import Watcher, crawl_processes, feed_source, rss, wait_for
from watcher.demo.server import LocalSite, Route

FEED_ITEMS = 200
ARTICLES = 24


def build_site(site: LocalSite) -> None:
    assert site.root is not None
    items = [
        {
            "title": f"Dépêche {n}",
            "link": f"{site.base}/depeches/{n}",
            "guid": f"depeche-{n}",
            "pubDate": "Mon, 23 Nov 2026 10:00:00 +0100",
            "description": f"Texte de la dépêche numéro {n} sur le marché de la relation client.",
        }
        for n in range(FEED_ITEMS)
    ]
    (site.root / "feed.xml").write_bytes(rss(site.base, items))
    links = "".join(f'<h2><a href="/articles/{n}.html">A{n}</a></h2>' for n in range(ARTICLES))
    (site.root / "liste.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    for n in range(ARTICLES):
        body = (
            f'<html lang="fr"><head><title>Article {n}</title></head><body><article>'
            f"<h1>Article {n}</h1><p>{'Le service client évolue vite. ' * 30}</p>"
            f"<p>Numéro {n}.</p></article></body></html>"
        ).encode()
        # slow article pages, so that the crawl can be killed half-way through them
        site.routes[f"/articles/{n}.html"] = Route(
            body=body, headers={"Content-Type": "text/html; charset=utf-8"}, delay=0.15
        )


def count(db: str, sql: str) -> int:
    """One number from the store, read-only on SQLite (the file may not be there yet), or from
    PostgreSQL (`db` a URL); 0 until the schema is made."""
    if db.startswith("postgresql"):
        engine = create_engine(db, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return int(conn.exec_driver_sql(sql).scalar_one() or 0)
        except ProgrammingError:  # schema not created yet
            return 0
        finally:
            engine.dispose()
    if not Path(db).exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


KILL_POINTS: dict[str, Callable[[str], bool]] = {
    "at-start": lambda db: True,
    "first-items": lambda db: count(db, "select count(*) from items") > 0,
    "mid-articles": lambda db: count(db, "select count(*) from items where source_id='liste'") > 2,
    "frontier-pending": lambda db: count(db, "select count(*) from frontier") > 0,
}


@pytest.mark.parametrize("moment", list(KILL_POINTS))
def test_sigkill_loses_nothing_and_duplicates_nothing(
    watcher: Watcher, site: LocalSite, moment: str, database: str
) -> None:
    build_site(site)
    watcher.write(
        [
            feed_source(site, "/feed.xml", id="depeches", groups=["g1", "g2"]),
            {
                "id": "liste",
                "kind": "page",
                "url": site.base + "/liste.html",
                "follow": "h2 a::attr(href)",
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            },
        ],
        crawler={"per_domain": 1},
    )
    db = str(watcher.workspace.database)  # on each database (SQLite, PostgreSQL)
    command = [sys.executable, "-m", "watcher.cli.main", "--config", str(watcher.workspace.config)]
    crawl = subprocess.Popen(
        [*command, "crawl", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(lambda: KILL_POINTS[moment](db) or crawl.poll() is not None, moment)
    assert crawl.poll() is None, "the crawl ended before it could be killed"
    if moment != "at-start":  # the crawl is under way: its worker and child are found
        assert len(crawl_processes(crawl.pid)) == 2
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.wait()
    wait_for(lambda: not crawl_processes(crawl.pid), "the crawl to die with its parent")

    again = subprocess.run([*command, "crawl", "--all"], capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr

    assert count(db, "select count(*) from items") == FEED_ITEMS + ARTICLES
    assert (
        count(
            db,
            "select count(*) from (select item_key from items group by source_id, "
            "item_key having count(*) > 1)",
        )
        == 0
    )
    assert count(db, "select count(distinct url) from items where source_id='liste'") == ARTICLES
    assert (
        count(db, "select count(*) from item_groups where group_id='g2'") == FEED_ITEMS + ARTICLES
    )
    assert count(db, "select count(*) from frontier") == 0
    if not db.startswith("postgresql"):
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    # a third run changes nothing
    third = subprocess.run([*command, "crawl", "--all"], capture_output=True, text=True)
    assert third.returncode == 0
    assert count(db, "select count(*) from items") == FEED_ITEMS + ARTICLES
    assert count(db, "select max(version) from items") == 1
