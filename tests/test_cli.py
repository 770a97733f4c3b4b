"""The `watcher` command as a learner uses it: init, demo, crawl, status, items, delete."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from conftest import Watcher, feed_source, rss, wait_for
from watcher.cli.main import main
from watcher.cli.search import query_text
from watcher.config import load_watch
from watcher.dates import date_fr
from watcher.demo import collected_base, prepare_demo, site_root
from watcher.demo.server import LocalSite, Route


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
    # in French, as a learner writes a search (« OU »), and saying which results it lists
    assert "Recherche « ref:RGPD OU ref:eu:celex:32024R1689 » : 5 résultats (les 3 premiers)" in (
        result.output
    )
    assert "Synthèse de la semaine : " in result.output
    # the search it suggests, copied into a shell, still searches the phrase
    suggested = next(line for line in result.output.splitlines() if "watcher search" in line)
    words = shlex.split(suggested.split("#", 1)[0])  # as a shell splits it
    assert words[:2] == ["watcher", "search"], suggested
    assert query_text(tuple(words[2:])) == '"service client" axis:concurrence', words
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
    assert "2 nouveaux articles" in crawl.output

    status = runner.invoke(main, [*config, "status"])
    assert status.exit_code == 0
    assert "absent" in status.output and "404" in status.output

    listed = runner.invoke(main, [*config, "items", "--group", "g1", "--json"])
    rows = json.loads(listed.output)
    assert sorted(r["title"] for r in rows) == ["Hausse des prix", "Nouveau médiateur"]
    assert runner.invoke(main, [*config, "items", "--group", "g2", "--json"]).output.strip() == "[]"

    victim = next(r["id"] for r in rows if r["title"] == "Hausse des prix")
    deleted = runner.invoke(main, [*config, "delete", str(victim), "--by", "ines", "--yes"])
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
        assert "27/11/2026 09:00" in listed.output  # Europe/Paris, the watch's default
        assert "27/11/2026 03:00" not in listed.output
    finally:
        monkeypatch.undo()
        time.tzset()


# --------------------------------------------------------------- messages that do not mislead


def test_crawl_summary_separates_unread_pages_from_failed_sources(tmp_path: Path) -> None:
    """The demo's press room has one page robots.txt forbids: the source answered (it is not
    « en échec »), one page was left unread, and its warning is printed under the table. It
    was « `watcher crawl -v` l'affiche », a dead end: the source just collected is no longer
    due, so `watcher crawl -v` said « Aucune source à collecter maintenant », and warnings are
    not kept."""
    with LocalSite(site_root()) as site:
        config = prepare_demo(tmp_path / "demo", site.base)
        runner = CliRunner()
        args = ["-c", str(config), "crawl", "--source", "telvia-presse"]
        quiet = runner.invoke(main, args, terminal_width=200)
        loud = runner.invoke(main, [*args, "--all", "-v"], terminal_width=200)
    assert quiet.exit_code == 0, quiet.output
    output = " ".join(quiet.output.split())
    assert "non lus" in output and "échecs" not in output
    assert "│ en service │" in output and "│ ok │" not in output  # the digest's words
    assert "1 source collectée : 8 nouveaux articles, 0 mis à jour, 0 source en " \
        "échec." in output  # fmt: skip
    assert "1 page ou entrée non lue (colonne « non lus ») dans des sources qui ont " \
        "répondu : ces sources ne sont pas en échec." in output  # fmt: skip
    assert "1 avertissement : [telvia-presse] http://" in output
    assert "interdit par le robots.txt du site" in output
    assert "`watcher crawl -v`" not in output  # nothing more to see
    assert loud.exit_code == 0, loud.output
    assert "interdit par le robots.txt du site" in loud.output
    assert "`watcher crawl -v`" not in loud.output


def test_a_crawl_prints_its_first_warnings_and_says_how_to_see_the_others(
    watcher: Watcher,
) -> None:
    """A press room links seven pages its robots.txt forbids: the crawl prints the first five
    warnings and says how many it did not print and how to see them."""
    links = "".join(f'<h2><a href="/prive/{n}.html">Communiqué {n}</a></h2>' for n in range(7))
    routes = {
        "/robots.txt": Route(body=b"User-agent: *\nDisallow: /prive/\n"),
        "/presse.html": Route(
            body=f"<html><body>{links}</body></html>".encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
    }
    with LocalSite(routes=routes) as site:
        source = feed_source(site, "/presse.html", id="presse", kind="page")
        watcher.write([{**source, "follow": "h2 a::attr(href)"}])
        result = CliRunner().invoke(
            main, ["-c", str(watcher.workspace.config), "crawl"], terminal_width=200
        )
    text = " ".join(result.output.split())
    assert "7 avertissements : [presse] http://" in text, text
    assert text.count("interdit par le robots.txt du site") == 5  # any five: fetched together
    said = "… et 2 autres : `watcher crawl -v` affiche tous les avertissements " \
        "(`watcher crawl -v --source presse` collecte de nouveau cette source)."  # fmt: skip
    assert said in text


def test_crawl_table_says_a_source_s_state_in_the_digest_s_words() -> None:
    """The crawl's table said « ok » and « échec » where the digest says « en service » and
    « en échec »: one source, two words for its state."""
    from watcher.cli.collect import _state_label
    from watcher.config import Source
    from watcher.model import SourceResult, SourceState
    from watcher.report.digest import source_health

    now = datetime(2026, 12, 7, 9, tzinfo=UTC)
    source = Source(id="s", kind="feed", url="https://example.org/flux.xml", name="Flux")
    answered = SourceState("s", last_attempt_at=now, last_success_at=now)
    failing = SourceState("s", last_attempt_at=now, last_success_at=now, consecutive_failures=1)
    in_service, in_failure = (source_health(source, s, 1, now).state for s in (answered, failing))
    assert (in_service, in_failure) == ("en service", "en échec")
    assert _state_label(SourceResult("s", new=2)) == f"[green]{in_service}[/]"
    assert _state_label(SourceResult("s", not_modified=True)).startswith(f"[green]{in_service}[/]")
    assert (
        _state_label(SourceResult("s", error="page introuvable (404)")) == f"[red]{in_failure}[/]"
    )


def test_check_and_status_errors_do_not_say_nothing_was_collected(tmp_path: Path) -> None:
    config = tmp_path / "sources.yml"
    config.write_text("watch: {name: x}\nsources: [\n", encoding="utf-8")
    runner = CliRunner()
    for command in (["check"], ["status"], ["search", "prix"]):
        result = runner.invoke(main, ["-c", str(config), *command])
        assert result.exit_code == 2, result.output
        assert "n'est pas valide" in result.output
        assert "Rien n'a été collecté" not in result.output, command
        assert "Corrigez le fichier puis relancez `watcher check`." in result.output
    crawl = runner.invoke(main, ["-c", str(config), "crawl"])
    assert crawl.exit_code == 2
    assert "Rien n'a été collecté." in crawl.output


# ------------------------------------------------------------------------ search queries


@pytest.fixture
def indexed(watcher: Watcher, site: LocalSite) -> list[str]:
    """A watch of three items, collected and indexed: the `--config` arguments."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(
            site.base,
            [
                {"title": "Un arrêté fixe les prix", "link": f"{site.base}/a", "guid": "a"},
                {"title": "Un décret et un arrêté sur le démarchage", "link": f"{site.base}/b",
                 "guid": "b"},
                {"title": "Le décret Bloctel", "link": f"{site.base}/c", "guid": "c"},
            ],
        )
    )  # fmt: skip
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    config = ["--config", str(watcher.workspace.config)]
    runner = CliRunner()
    assert runner.invoke(main, [*config, "crawl"]).exit_code == 0
    processed = runner.invoke(main, [*config, "process"])
    assert processed.exit_code == 0, processed.output
    return config


def _titles(config: list[str], *words: str) -> list[str]:
    result = CliRunner().invoke(main, [*config, "search", *words, "--group", "g1", "--json"])
    assert result.exit_code == 0, result.output
    return sorted(hit["title"] for hit in json.loads(result.output)["hits"])


def test_a_search_after_an_upgrade_rebuilds_the_index_it_finds_empty(
    indexed: list[str], watcher: Watcher
) -> None:
    """An upgrade whose index schema changed recreates this machine's copy empty: `watcher
    search` then answered « Aucun résultat » until `watcher process` or `watcher reindex` ran,
    with nothing saying why. It now rebuilds the copy from the store first, and says so."""
    (watcher.workspace.index / "WATCHER_SCHEMA").write_text("0\n")  # an older Watcher's copy
    result = CliRunner().invoke(main, [*indexed, "search", "arrêté", "--group", "g1", "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(hit["title"] for hit in json.loads(result.stdout)["hits"]) == [
        "Un arrêté fixe les prix", "Un décret et un arrêté sur le démarchage",
    ]  # fmt: skip
    said = " ".join(result.stderr.split())
    assert "L'index de recherche de cette machine est à reconstruire" in said, said
    assert "Index reconstruit : 3 articles." in said, said
    again = CliRunner().invoke(main, [*indexed, "search", "arrêté", "--group", "g1"])
    assert "reconstruire" not in again.stderr  # once: the copy follows the store again
    assert "2 résultats pour « arrêté »" in again.stdout


def test_a_query_may_start_with_a_dash_without_double_dash(indexed: list[str]) -> None:
    expected = ["Un arrêté fixe les prix"]
    assert _titles(indexed, "-décret arrêté") == expected  # one argument
    assert _titles(indexed, "-décret", "arrêté") == expected  # words split by the shell
    assert _titles(indexed, "arrêté", "-décret") == expected
    after_options = [*indexed, "search", "--group", "g1", "--json", "--", "-décret", "arrêté"]
    found = CliRunner().invoke(main, after_options)  # `--` still works
    assert [h["title"] for h in json.loads(found.output)["hits"]] == expected
    assert _titles(indexed, "arrêté") == ["Un arrêté fixe les prix",
                                          "Un décret et un arrêté sur le démarchage"]  # fmt: skip
    mistyped = CliRunner().invoke(main, [*indexed, "search", "arrêté", "--grop", "g1"])
    assert mistyped.exit_code == 2  # an unknown --option is still an error, not a query word
    assert "Option inconnue : --grop. (Vouliez-vous dire" in mistyped.output


@pytest.mark.parametrize("query", ["x", "le", "-la", "de la"])
def test_a_query_without_searchable_word_shows_the_syntax(indexed: list[str], query: str) -> None:
    result = CliRunner().invoke(main, [*indexed, "search", query, "--group", "g1"])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "ne contient aucun mot cherchable" in output
    assert "Syntaxe de recherche (tout le détail : docs/search.md)" in output
    assert "résultat" not in output


def test_an_empty_query_lists_every_item_newest_first(indexed: list[str]) -> None:
    # the CLI refused an empty query (« Donnez une recherche »), while the web and
    # docs/search.md list every item, newest first
    result = CliRunner().invoke(main, [*indexed, "search", "--group", "g1", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["total"] == 3
    by_date = CliRunner().invoke(
        main, [*indexed, "search", "--group", "g1", "--json", "--sort", "date"]
    )
    assert [h["id"] for h in found["hits"]] == [h["id"] for h in json.loads(by_date.output)["hits"]]
    assert _titles(indexed, "-décret") == ["Un arrêté fixe les prix"]  # filters only: by date
    read = CliRunner().invoke(main, [*indexed, "search", "--group", "g1"])
    assert read.exit_code == 0, read.output
    assert "3 résultats" in " ".join(read.output.split())


def serve_price_news(site: LocalSite) -> None:
    """/feed.xml: a food-price article naming Carrefour (an economic topic, the market axis of
    a watch whose keyword is « Carrefour ») and a legal one."""
    assert site.root is not None
    text = "La hausse des prix alimentaires se poursuit chez Carrefour, selon l'indice des prix."
    (site.root / "feed.xml").write_bytes(
        rss(
            site.base,
            [
                {"title": "Carrefour : la hausse des prix continue", "link": f"{site.base}/a",
                 "guid": "a", "description": text},
                {"title": "Le décret Bloctel", "link": f"{site.base}/c", "guid": "c"},
            ],
        )
    )  # fmt: skip


def test_a_facet_read_in_the_footer_can_be_typed_back(watcher: Watcher, site: LocalSite) -> None:
    """The footer shows labels (« Axes : Marché & concurrence (1) », « Thèmes PESTEL :
    Inflation et prix (1) »): typed back as `axis:"Marché & concurrence"` or
    `topic:"Inflation et prix"`, they find what the key finds (docs/search.md)."""
    serve_price_news(site)
    axes = [{"id": "concurrence", "label": "Marché & concurrence", "keywords": ["Carrefour"]}]
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])], axes=axes)
    config = ["--config", str(watcher.workspace.config)]
    runner = CliRunner()
    assert runner.invoke(main, [*config, "crawl"]).exit_code == 0
    assert runner.invoke(main, [*config, "process"]).exit_code == 0
    footer = runner.invoke(main, [*config, "search", "carrefour", "--group", "g1"])
    assert "Marché & concurrence (1)" in footer.output
    assert "Inflation et prix (1)" in footer.output
    expected = ["Carrefour : la hausse des prix continue"]
    assert _titles(config, "axis:concurrence") == expected
    assert _titles(config, 'axis:"Marché & concurrence"') == expected
    assert _titles(config, 'axe:"marche & CONCURRENCE"') == expected  # case and accents
    assert _titles(config, "topic:inflation") == expected
    assert _titles(config, 'topic:"Inflation et prix"') == expected
    assert _titles(config, '-topic:"Inflation et prix"') == ["Le décret Bloctel"]
    assert _titles(config, 'axis:"Marché et concurrence"') == []  # not a label


def test_a_search_for_a_code_article_keeps_its_letter(watcher: Watcher, site: LocalSite) -> None:
    """`watcher search R. 113-10` listed the item on L. 113-10 too (the letter, one character,
    was dropped), marked its « 113-10 », and `R. 113-10 date:2020` said that without the date
    it found 2 results. Real sentences (aurelienbamde.com/tag/assureur/page/4/)."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(site.base, [
            {"title": "Résiliation après sinistre", "link": f"{site.base}/r", "guid": "r",
             "description": "L’article R. 113-10 du Code des assurances confère la faculté à "
             "l’assureur de stipuler dans la police une clause l’autorisant à résilier le "
             "contrat d’assurance consécutivement à la survenance d’un sinistre."},
            {"title": "Résiliation des autres contrats", "link": f"{site.base}/l", "guid": "l",
             "description": "En contrepartie, l’article L. 113-10 du Code des assurances oblige "
             "l’assureur à reconnaître à l’assuré dans la police le droit de résilier "
             "unilatéralement les autres contrats d’assurance qu’il aurait souscrit auprès de "
             "ce même assureur."},
        ])
    )  # fmt: skip
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    config = ["--config", str(watcher.workspace.config)]
    runner = CliRunner()
    assert runner.invoke(main, [*config, "crawl"]).exit_code == 0
    assert runner.invoke(main, [*config, "process"]).exit_code == 0
    sinistre, contrats = ["Résiliation après sinistre"], ["Résiliation des autres contrats"]
    for query in ("R. 113-10", "R113-10", '"R. 113-10"', "article R.113-10", "r113-10"):
        assert _titles(config, query) == sinistre, query
    assert _titles(config, "L.", "113-10") == contrats  # words split by the shell
    assert _titles(config, "113-10") == sorted(sinistre + contrats)
    shown = runner.invoke(main, [*config, "search", "R. 113-10", "--group", "g1"]).output
    assert "*R. 113-10*" in " ".join(shown.split()), shown
    found = runner.invoke(main, [*config, "search", "R. 113-10 date:2020", "--group", "g1"])
    said = " ".join(found.output.split())
    assert "Sans date:2020 : 1 résultat (« R. 113-10 »)." in said, said
    found = runner.invoke(
        main, [*config, "search", "R. 113-10 date:2020", "--group", "g1", "--json"]
    )
    assert json.loads(found.output)["without_filters"] == [
        {"filter": "date:2020", "query": "R. 113-10", "total": 1}
    ]
    found = runner.invoke(main, [*config, "search", "D. 113-10", "--group", "g1"])
    said = " ".join(found.output.split())
    assert "Vouliez-vous dire : L. 113-10 ?" in said and "Aucun résultat" in said, said


def test_crawl_all_names_the_failing_sources_it_leaves_for_later(
    watcher: Watcher, site: LocalSite
) -> None:
    """`crawl --all` collects every source « dues ou non », but not a failing one while it is
    backed off: the summary names it, says when it is tried again and how to try it now."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(site.base, [{"title": "Hausse des prix", "link": f"{site.base}/a", "guid": "a"}])
    )
    watcher.write(
        [
            feed_source(site, "/feed.xml", id="actus", groups=["g1"]),
            feed_source(site, "/absent.xml", id="absent"),
        ]
    )
    runner = CliRunner()
    config = ["--config", str(watcher.workspace.config)]
    assert runner.invoke(main, [*config, "crawl"]).exit_code == 1  # absent: 404
    again = runner.invoke(main, [*config, "crawl", "--all"])
    assert again.exit_code == 0, again.output
    said = " ".join(again.output.split())
    assert "1 source collectée" in said
    assert "en attente de sa prochaine tentative : absent (le " in said  # not left out silently
    assert "`watcher crawl --source absent`" in said
    report = json.loads(runner.invoke(main, [*config, "crawl", "--all", "--json"]).output)
    assert [s["id"] for s in report["held_back"]] == ["absent"]
    assert datetime.fromisoformat(report["held_back"][0]["until"]) > datetime.now(UTC)
    tried = runner.invoke(main, [*config, "crawl", "--source", "absent"])
    assert tried.exit_code == 1 and "page introuvable (404)" in tried.output


def one_item_crawled(watcher: Watcher, site: LocalSite) -> list[str]:
    """A watch of one feed and one item (« Hausse des prix »), crawled, not processed: the
    `--config` arguments."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(site.base, [{"title": "Hausse des prix", "link": f"{site.base}/a", "guid": "a"}])
    )
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    config = ["--config", str(watcher.workspace.config)]
    assert CliRunner().invoke(main, [*config, "crawl"]).exit_code == 0
    return config


def test_dossier_without_dates_covers_the_web_pages_default_period(
    watcher: Watcher, site: LocalSite
) -> None:
    """`/g/<group>/dossier` without from/to shows the last 16 ISO weeks up to today
    (docs/web-dossier.md); `watcher dossier` and `watcher oral` without --from/--to make the
    same period's files, rather than refusing with « Option manquante »; and a period with
    nothing collected says when the group's items were collected."""
    config = one_item_crawled(watcher, site)
    runner = CliRunner()
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    start = today - timedelta(days=today.weekday(), weeks=15)
    made = runner.invoke(main, [*config, "dossier", "--group", "g1", "--format", "html"])
    assert made.exit_code == 0, made.output
    assert f"dossier-{start}-{today}.html" in made.output
    assert ": 1 article" in made.output
    oral = runner.invoke(main, [*config, "oral", "--group", "g1", "--format", "pptx"])
    assert oral.exit_code == 0, oral.output
    assert f"oral-{start}-{today}.pptx" in oral.output

    before = ["--from", "2026-01-05", "--to", "2026-01-30"]  # before anything was collected
    empty = runner.invoke(main, [*config, "dossier", "--group", "g1", *before, "--format", "html"])
    assert empty.exit_code == 0, empty.output
    said = " ".join(empty.output.split())
    assert ": 0 article" in said
    day = date_fr(today)
    assert f"le groupe a collecté 1 article le {day}. Choisissez --from et --to" in said


def test_accounts_are_shown_with_their_role_in_french(watcher: Watcher) -> None:
    """`--role learner` is the identifier typed; what is printed back reads « apprenant »."""
    watcher.write([])
    config = ["--config", str(watcher.workspace.config)]
    env = {"WATCHER_PASSWORD": "un mot de passe assez long"}
    runner = CliRunner()
    added = runner.invoke(
        main,
        [*config, "user", "add", "lea@example.org", "--name", "Léa", "--role", "learner",
         "--group", "g1"],
        env=env,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Compte créé : lea@example.org (apprenant du groupe g1)." in added.output
    tutor = runner.invoke(
        main,
        [*config, "user", "add", "t@example.org", "--name", "T", "--role", "evaluator"],
        env=env,
    )
    assert "Compte créé : t@example.org (évaluateur)." in tutor.output, tutor.output


def test_a_search_after_a_crawl_without_process_says_to_run_process(
    watcher: Watcher, site: LocalSite
) -> None:
    """Collected is not yet searchable: a search then says how many items wait for
    `watcher process`, rather than a bare « Aucun résultat »; once processed, it is quiet."""
    config = one_item_crawled(watcher, site)
    runner = CliRunner()
    early = runner.invoke(main, [*config, "search", "prix", "--group", "g1"])
    assert early.exit_code == 0, early.output
    said = " ".join(early.output.split())
    assert "Aucun résultat pour « prix »." in said
    assert "1 article collecté pas encore analysé ni indexé : lancez `watcher process`" in said
    assert runner.invoke(main, [*config, "process"]).exit_code == 0
    later = runner.invoke(main, [*config, "search", "prix", "--group", "g1"])
    assert "1 résultat" in later.output and "watcher process" not in later.output


def test_items_refuses_an_unknown_group_or_source_and_says_when_the_list_is_cut(
    watcher: Watcher, site: LocalSite
) -> None:
    """`watcher items --group nope` listed « 0 article(s) » and exited 0, as if the group were
    empty (docs/cli.md: an unknown group or source exits 2); and `--limit` cut the list
    without saying so."""
    assert site.root is not None
    entries = [
        {"title": f"Article {n}", "link": f"{site.base}/{n}", "guid": str(n)} for n in range(3)
    ]
    (site.root / "feed.xml").write_bytes(rss(site.base, entries))
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    runner = CliRunner()
    config = ["--config", str(watcher.workspace.config)]
    assert runner.invoke(main, [*config, "crawl"]).exit_code == 0
    group = runner.invoke(main, [*config, "items", "--group", "nope"])
    assert group.exit_code == 2 and "Groupe inconnu : nope" in group.output, group.output
    source = runner.invoke(main, [*config, "items", "--source", "nope"])
    assert source.exit_code == 2 and "Source inconnue : nope" in source.output, source.output
    cut = runner.invoke(main, [*config, "items", "--group", "g1", "--limit", "2"])
    assert cut.exit_code == 0
    assert "2 articles sur 3" in cut.output
    assert "Les 2 plus récents : --limit 3 pour les voir tous." in " ".join(cut.output.split())
    whole = runner.invoke(main, [*config, "items", "--source", "actus"])
    assert "3 articles" in whole.output and " sur " not in whole.output


def test_items_shows_source_names_as_search_and_status_do(
    watcher: Watcher, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watcher items` showed a source's id (« actus ») where `search` and `status` show its
    name (« Actualités [Réseau] du marché »): the same source under two words. It shows the
    name now; `--json` keeps the id under "source" (docs/cli-json.md)."""
    assert site.root is not None
    entries = [{"title": "Hausse des prix", "link": f"{site.base}/a", "guid": "a"}]
    (site.root / "feed.xml").write_bytes(rss(site.base, entries))
    name = "Actualités [Réseau] du marché"  # brackets: shown as written, not as markup
    watcher.write([feed_source(site, "/feed.xml", id="actus", name=name, groups=["g1"])])
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    config = ["--config", str(watcher.workspace.config)]
    assert runner.invoke(main, [*config, "crawl"]).exit_code == 0
    status = runner.invoke(main, [*config, "status"])
    assert name in status.output, status.output
    listed = runner.invoke(main, [*config, "items"])
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if "Hausse des prix" in line)
    assert name in row and "actus" not in row, listed.output
    rows = json.loads(runner.invoke(main, [*config, "items", "--json"]).output)
    assert [r["source"] for r in rows] == ["actus"]


def test_assessment_commands_refuse_an_unknown_group(watcher: Watcher) -> None:
    """`watcher assess export --group nope` wrote an empty « evaluations-nope.xlsx » and
    `assess list --group nope` said « Aucune évaluation visible. », both exiting 0, as if the
    group had no record: an unknown group exits 2 and names the known ones (docs/cli.md)."""
    watcher.write([])
    config = ["--config", str(watcher.workspace.config)]
    runner = CliRunner()
    for args in (
        ["assess", "list", "--group", "nope"],
        ["assess", "export", "--format", "xlsx", "--group", "nope"],
        ["assess", "publish", "--as", "jury@example.org", "--group", "nope"],
    ):
        result = runner.invoke(main, [*config, *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Groupe inconnu : nope. Groupes : g1, g2" in result.output, (args, result.output)
    assert not list(watcher.root.rglob("evaluations-nope.*"))
    known = runner.invoke(main, [*config, "assess", "list", "--group", "g1"])
    assert known.exit_code == 0 and "Aucune évaluation visible." in known.output


def test_ctrl_c_in_a_crawl_says_what_is_kept_and_to_run_it_again(
    watcher: Watcher, site: LocalSite
) -> None:
    """Ctrl-C in the middle of `watcher crawl` (the real command, in a terminal's process
    group): a French line saying what is kept and what to do, no traceback, and the crawl
    run again collects what was left, once."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(site.base, [{"title": "Hausse des prix", "link": f"{site.base}/a", "guid": "a"}])
    )
    site.routes["/slow.xml"] = Route(
        body=rss(site.base, [{"title": "Lent", "link": f"{site.base}/b", "guid": "b"}]),
        headers={"Content-Type": "application/rss+xml"},
        delay=3,
    )
    watcher.write(
        [feed_source(site, "/feed.xml", id="actus"), feed_source(site, "/slow.xml", id="lent")]
    )
    command = [sys.executable, "-m", "watcher.cli.main", "-c", str(watcher.workspace.config)]
    with subprocess.Popen(
        [*command, "crawl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    ) as crawl:  # fmt: skip
        wait_for(lambda: any(h.path == "/slow.xml" for h in site.hits), "the slow feed's request")
        os.killpg(crawl.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
        out, err = crawl.communicate(timeout=60)
    assert crawl.returncode != 0
    assert "Traceback" not in err, err
    said = " ".join(err.split())
    assert "Interrompu (Ctrl-C)" in said, (out, err)
    assert "relancez la commande" in said
    again = CliRunner().invoke(main, ["-c", str(watcher.workspace.config), "crawl"])
    assert again.exit_code == 0, again.output
    listed = CliRunner().invoke(main, ["-c", str(watcher.workspace.config), "items", "--json"])
    assert sorted(r["title"] for r in json.loads(listed.output)) == ["Hausse des prix", "Lent"]


def test_saved_searches_are_listed_with_their_sort_in_french(indexed: list[str]) -> None:
    runner = CliRunner()
    base = [*indexed, "search", "arrêté", "--group", "g1"]
    assert runner.invoke(main, [*base, "--save", "arretes"]).exit_code == 0
    assert runner.invoke(main, [*base, "--sort", "date", "--save", "recents"]).exit_code == 0
    listed = runner.invoke(main, [*indexed, "searches", "--group", "g1"])
    assert "arretes : arrêté  (tri : pertinence)" in listed.output, listed.output
    assert "recents : arrêté  (tri : date)" in listed.output


def test_a_week_that_does_not_exist_says_how_many_the_year_has(watcher: Watcher) -> None:
    """« la semaine 2026-W60 n'existe pas » left the learner to guess why and what to type."""
    watcher.write([])
    config = ["--config", str(watcher.workspace.config)]
    runner = CliRunner()
    for week, weeks in (("2026-W60", 53), ("2025-W53", 52)):
        result = runner.invoke(main, [*config, "digest", "--group", "g1", "--week", week])
        assert result.exit_code == 2, result.output
        said = " ".join(result.output.split())
        assert (
            f"Semaine invalide : {week} n'existe pas ({week[:4]} compte {weeks} semaines ISO)"
            in said
        )
        assert "exemple : 2026-W48" in said


def test_a_search_of_a_watch_never_collected_says_to_crawl(watcher: Watcher) -> None:
    """`watcher init`, then a search: « Aucun résultat » alone reads as « nothing on that
    subject »; the watch is empty, and the command says what fills it."""
    watcher.write([])
    config = ["--config", str(watcher.workspace.config)]
    result = CliRunner().invoke(main, [*config, "search", "prix", "--group", "g1"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Aucun résultat pour « prix »." in said
    assert "Rien n'a encore été collecté : lancez `watcher crawl` puis `watcher process`." in said
