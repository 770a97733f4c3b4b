"""The `watcher` command as a learner uses it: init, demo, crawl, status, items, delete."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from conftest import Watcher, feed_source, rss
from watcher.cli import main
from watcher.config import load_watch
from watcher.demo import collected_base
from watcher.demo.server import LocalSite


def test_init_writes_a_valid_commented_starter_and_never_overwrites(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "ma-veille"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    config = target / "sources.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("#") > 20  # commented for learners
    watch = load_watch(config)
    assert {a.id for a in watch.axes} >= {"concurrence", "reglementaire", "normes", "pestel"}
    assert any("cnil.fr" in s.url for s in watch.sources)
    assert (target / "index").is_dir() and (target / "reports").is_dir()
    again = runner.invoke(main, ["init", str(target)])
    assert again.exit_code == 1
    assert config.read_text(encoding="utf-8") == text


def test_demo_collects_the_bundled_site_and_names_the_broken_source(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "demo"
    result = runner.invoke(main, ["demo", "--dir", str(target), "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "Site de démonstration servi sur http://127.0.0.1:" in result.output
    assert "ancien-flux-consultations" in result.output
    with sqlite3.connect(target / "watcher.db") as conn:
        per_source = dict(
            conn.execute("select source_id, count(*) from items group by source_id").fetchall()
        )
    watch = load_watch(target / "sources.yml")
    working = {s.id for s in watch.sources} - {"ancien-flux-consultations"}
    assert set(per_source) == working  # every good source, of every kind, gave items
    assert per_source["telvia-presse"] == 8  # the robots.txt-forbidden press release is skipped
    assert sum(per_source.values()) >= 50


def test_demo_run_again_never_stores_its_items_twice(tmp_path: Path) -> None:
    """The demo's items are keyed by their URLs, which hold the local site's port: a demo run
    again in its folder serves the site on the port it was collected from, and refuses another
    one (here: taken) rather than store every item a second time."""
    runner = CliRunner()
    target = tmp_path / "demo"
    first = runner.invoke(main, ["demo", "--dir", str(target), "--port", "0"])
    assert first.exit_code == 0, first.output
    base = collected_base(target)
    assert base and base in first.output

    def stored() -> int:
        with sqlite3.connect(target / "watcher.db") as conn:
            return int(conn.execute("select count(*) from items").fetchone()[0])

    items = stored()
    with socket.socket() as holder:  # the port is taken (a `watcher demo --serve` still running)
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", urlsplit(base).port or 0))
        holder.listen()
        refused = runner.invoke(main, ["demo", "--dir", str(target)])
    assert refused.exit_code == 1
    assert f"a été collectée sur {base}" in refused.output
    assert stored() == items

    again = runner.invoke(main, ["demo", "--dir", str(target)])
    assert again.exit_code == 0, again.output
    assert f"servi sur {base}/" in again.output
    assert stored() == items


def test_crawl_status_items_delete(watcher: Watcher, site: LocalSite) -> None:
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(
            site.base,
            [
                {"title": "Hausse des prix", "link": f"{site.base}/a", "guid": "a"},
                {"title": "Nouveau médiateur", "link": f"{site.base}/b", "guid": "b"},
            ],
        )
    )
    watcher.write(
        [
            feed_source(site, "/feed.xml", id="actus", groups=["g1"]),
            feed_source(site, "/absent.xml", id="absent"),
        ]
    )
    runner = CliRunner()
    config = ["--config", str(watcher.workspace.config)]
    crawl = runner.invoke(main, [*config, "crawl"])
    assert crawl.exit_code == 1  # one source failed
    assert "page introuvable (404)" in crawl.output
    assert "2 nouvel(s) article(s)" in crawl.output

    status = runner.invoke(main, [*config, "status"])
    assert status.exit_code == 0
    assert "absent" in status.output and "404" in status.output

    listed = runner.invoke(main, [*config, "items", "--group", "g1", "--json"])
    rows = json.loads(listed.output)
    assert sorted(r["title"] for r in rows) == ["Hausse des prix", "Nouveau médiateur"]
    assert runner.invoke(main, [*config, "items", "--group", "g2", "--json"]).output.strip() == "[]"

    victim = next(r["id"] for r in rows if r["title"] == "Hausse des prix")
    deleted = runner.invoke(main, [*config, "delete", str(victim), "--by", "ines"])
    assert deleted.exit_code == 0
    assert runner.invoke(main, [*config, "delete", str(victim)]).exit_code == 1
    again = runner.invoke(main, [*config, "crawl", "--source", "actus"])
    assert again.exit_code == 0, again.output
    rows = json.loads(runner.invoke(main, [*config, "items", "--json"]).output)
    assert [r["title"] for r in rows] == ["Nouveau médiateur"]

    unknown = runner.invoke(main, [*config, "crawl", "--source", "nope"])
    assert unknown.exit_code == 2
    assert "Source inconnue" in unknown.output


def test_times_are_shown_on_the_watchs_clock_not_the_machines(
    watcher: Watcher, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(
            site.base,
            [
                {
                    "title": "Hausse des prix",
                    "link": f"{site.base}/a",
                    "guid": "a",
                    "pubDate": "Fri, 27 Nov 2026 08:00:00 GMT",
                }
            ],
        )
    )
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    monkeypatch.setenv("TZ", "America/New_York")  # a server's own clock, not the watch's
    monkeypatch.setenv("COLUMNS", "200")
    time.tzset()
    try:
        runner = CliRunner()
        config = ["--config", str(watcher.workspace.config)]
        assert runner.invoke(main, [*config, "crawl"]).exit_code == 0
        listed = runner.invoke(main, [*config, "items"])
        assert listed.exit_code == 0, listed.output
        assert "2026-11-27 09:00" in listed.output  # Europe/Paris, the watch's default
        assert "2026-11-27 03:00" not in listed.output
    finally:
        monkeypatch.undo()
        time.tzset()
