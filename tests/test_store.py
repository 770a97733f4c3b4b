"""The store itself on each database it supports, SQLite (the default) and PostgreSQL (a
throwaway cluster, tests/pg_cluster.py): the schema's version and upgrades, what the schema
enforces by itself, opening a new database from several processes at once, and moving a SQLite
watch into PostgreSQL (`watcher migrate-store`)."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from digest_fixtures import GDPR, IN_WEEK, make_watch, seed_items, write_config
from pg_cluster import Cluster, remove, start_cluster
from sqlalchemy import Engine, event, inspect, text, update
from sqlalchemy.exc import DatabaseError

from conftest import reopened_older
from watcher.assess.rules import Viewer, seal_intact
from watcher.changes import Snapshot, change_entry
from watcher.cli.main import main
from watcher.grids import DEFAULT_GRID
from watcher.jobs import open_workspace
from watcher.jobs.assess import create_jury, prepared, record_assessment, sign_assessment
from watcher.jobs.digest import send_weekly_digest
from watcher.model import Entry, Fiche, Jury, JuryMember, SourceResult, Validators
from watcher.report.digest import IsoWeek
from watcher.store import Store
from watcher.store.copy import copy_store
from watcher.store.dossier_files import DossierFiles
from watcher.store.pages import PageStore
from watcher.store.schema import (
    SCHEMA_VERSION,
    StoreTooNew,
    StoreUnreachable,
    connect,
    database_url,
    item_entities,
    meta,
)
from watcher.store.users import Users
from watcher.workspace import DATABASE_URL, Workspace

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
PASSWORD = "une phrase de passe assez longue"
PAUL = Viewer("evaluator", "paul@example.org")
ANNE = Viewer("evaluator", "anne@example.org")
ADMIN = Viewer("admin", "admin@example.org")
JURY = Jury(
    None,
    "Jury juin 2027",
    date(2027, 6, 20),
    (
        JuryMember("Paul Durand", "paul@example.org", "professionnel", "Telvia", "président"),
        JuryMember("Anne Petit", "anne@example.org", "formation", "CIEFA"),
    ),
)


def test_a_postgresql_url_is_opened_with_psycopg_3() -> None:
    assert database_url("postgresql://veille@db/veille") == "postgresql+psycopg://veille@db/veille"
    assert (
        database_url("postgresql+psycopg://v@/w?host=/run") == "postgresql+psycopg://v@/w?host=/run"
    )


def test_the_workspace_store_is_the_database_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = Workspace(tmp_path / "sources.yml")
    monkeypatch.delenv(DATABASE_URL, raising=False)
    assert workspace.database == tmp_path / "watcher.db"
    monkeypatch.setenv(DATABASE_URL, "postgresql://veille@db/veille")
    assert workspace.database == "postgresql://veille@db/veille"


def test_a_postgres_url_spelled_postgres_is_opened_like_postgresql(
    tmp_path: Path, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`postgres://`, which psql, libpq and many hosting panels write, ended in a traceback
    (« Can't load plugin: sqlalchemy.dialects:postgres »)."""
    config = write_config(tmp_path / "sources.yml")
    url = postgres.create_database()
    try:
        monkeypatch.setenv(DATABASE_URL, url.replace("postgresql+psycopg://", "postgres://"))
        shown = CliRunner().invoke(main, ["--config", str(config), "status"])
        assert shown.exit_code == 0, shown.output
        with closing(Store(url)) as store:  # the tables made in that database
            assert store.count_items() == {}
    finally:
        postgres.drop_database(url)


@pytest.mark.parametrize("given", ["{tmp}/ailleurs.db", "mysql://veille@db/veille"])
def test_a_database_setting_that_is_not_a_postgresql_address_is_refused_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """A path in WATCHER_DATABASE_URL (meant for WATCHER_DB) made a new, empty SQLite store
    there, without a word: the watch looked empty. Another database's URL ended in a
    traceback (« No module named 'MySQLdb' »)."""
    config = write_config(tmp_path / "sources.yml")
    monkeypatch.setenv(DATABASE_URL, given.format(tmp=tmp_path))
    shown = CliRunner().invoke(main, ["--config", str(config), "status"])
    said = " ".join(shown.output.split())
    assert shown.exit_code == 2, shown.output
    assert f"{DATABASE_URL} ne désigne pas une base PostgreSQL" in said, said
    assert "postgresql://utilisateur@hôte/base" in said and "WATCHER_DB" in said
    assert not (tmp_path / "ailleurs.db").exists() and not (tmp_path / "watcher.db").exists()


def _one_item(store: Store, url: str = "https://presse.example.org/1") -> None:
    entry = Entry(url=url, title="Un article")
    store.store_feed("presse", ["g1"], [entry], NOW, url="https://presse.example.org/f", found=None)


def test_a_database_server_that_does_not_answer_is_named_in_french(tmp_path: Path) -> None:
    with pytest.raises(StoreUnreachable, match="base de données injoignable : postgresql") as e:
        Store(f"postgresql://veille:secret@/veille?host={tmp_path}")
    assert "secret" not in str(e.value) and "WATCHER_DATABASE_URL" in str(e.value)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_an_unreachable_store_is_named_as_the_operator_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    """The message showed `postgresql+psycopg://…` (SQLAlchemy's driver), an address the
    operator never typed and psql refuses; it shows `postgresql://…`, password hidden."""
    config = write_config(tmp_path / "sources.yml")
    monkeypatch.setenv(DATABASE_URL, f"{scheme}://veille:secret@/veille?host={tmp_path}")
    shown = CliRunner().invoke(main, ["--config", str(config), "status"])
    said = " ".join(shown.output.split())
    assert shown.exit_code != 0, said
    assert f"injoignable : postgresql://veille:***@/veille?host={tmp_path} (" in said, said
    assert "+psycopg" not in said and "secret" not in said


def test_a_role_not_created_is_named_with_what_to_do(postgres: Cluster) -> None:
    """`createuser` forgotten: « base de données injoignable … Vérifiez WATCHER_DATABASE_URL et
    que le serveur tourne » — but the server runs, and answered that the role is unknown."""
    url = postgres.create_database()
    try:
        stranger = url.replace("//watcher@", "//inconnu@")
        with pytest.raises(StoreUnreachable) as e:
            Store(stranger)
        said = str(e.value)
        assert "le rôle inconnu n'existe pas sur ce serveur" in said, said
        assert "sudo -u postgres createuser inconnu" in said and "que le serveur tourne" not in said
    finally:
        postgres.drop_database(url)


def test_a_connection_the_server_refuses_names_authentication_not_a_server_down() -> None:
    """Debian's `peer` rule on the unix socket (the system account is not the role): the
    message said to check that the server runs; it runs, and refused the account."""
    cluster = start_cluster()
    try:
        rules = cluster.data / "pg_hba.conf"
        rules.write_text("local all veille peer\n" + rules.read_text())
        cluster._run(str(cluster.bin / "pg_ctl"), "-D", str(cluster.data), "-w", "reload")
        with closing(cluster._admin()) as admin:
            admin.execute("CREATE ROLE veille LOGIN")
        with pytest.raises(StoreUnreachable) as e:
            Store(f"postgresql://veille@/postgres?host={cluster.root}")
        said = str(e.value)
        assert said.startswith("le serveur refuse la connexion de veille"), said
        assert "pg_hba.conf" in said and "~/.pgpass" in said and "que le serveur tourne" not in said
    finally:
        remove(cluster)


def test_a_store_newer_than_the_code_is_refused_and_left_alone(database: str) -> None:
    store = Store(database)
    _one_item(store)
    with store.engine.begin() as conn:
        conn.execute(update(meta).where(meta.c.key == "schema").values(value="99"))
    store.close()
    with pytest.raises(StoreTooNew, match="schéma 99, plus récent que ce Watcher"):
        Store(database)
    engine = connect(database)
    try:
        with engine.connect() as conn:
            assert (
                conn.execute(text("select value from meta where key = 'schema'")).scalar() == "99"
            )
            assert conn.execute(text("select count(*) from items")).scalar() == 1
    finally:
        engine.dispose()


def test_an_older_store_is_upgraded_on_opening_and_keeps_its_rows(database: str) -> None:
    """A store made before the entity columns and the partial indexes (and that says it has an
    older schema) gets them, with their defaults, when it is opened; nothing is lost."""
    store = Store(database)
    _one_item(store)
    item_id = store.list_items()[0].id
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "insert into item_entities (item_id, label, key, name, count) "
                "values (:i, 'ORG', 'cnil', 'CNIL', 2)"
            ),
            {"i": item_id},
        )
        conn.execute(text("drop index ix_items_pending"))
        conn.execute(text("alter table item_entities drop column spans"))
        conn.execute(text("alter table item_entities drop column confident"))
        conn.execute(update(meta).where(meta.c.key == "schema").values(value="0"))
    store.close()
    store = Store(database)
    try:
        columns = {c["name"] for c in inspect(store.engine).get_columns(item_entities.name)}
        indexes = {i["name"] for i in inspect(store.engine).get_indexes("items")}
        (view,) = store.views([item_id])
        with store.engine.connect() as conn:
            version = conn.execute(text("select value from meta where key = 'schema'")).scalar()
    finally:
        store.close()
    assert {"spans", "confident"} <= columns
    assert "ix_items_pending" in indexes
    assert [(e.key, e.count, e.spans, e.confident) for e in view.entities] == [
        ("cnil", 2, (), False)
    ]
    assert version == str(SCHEMA_VERSION)


def test_an_older_store_gets_its_failures_http_status_from_their_words(database: str) -> None:
    """A store made before `last_error_status` gets it when opened: a failure recorded then
    in the words the crawl gave a 404, 410… has that status (a watched page already gone stays
    gone), any other failure none; nothing else of the sources' state changes."""
    store = Store(database)
    gone = "page supprimée définitivement (410) : retirez ou remplacez la source"
    store.record_source_results(
        [
            SourceResult("offre", error=gone),
            SourceResult("blog", error="page introuvable (404) : vérifiez l'adresse"),
            SourceResult("presse", error="le site est en erreur (503) : nouvel essai plus tard"),
            SourceResult("actus", new=2),
        ],
        NOW,
        lambda *_: None,
    )
    before = store.source_states()
    store = reopened_older(store, database, "source_state", "last_error_status")
    try:
        after = store.source_states()
    finally:
        store.close()
    statuses = {sid: state.last_error_status for sid, state in after.items()}
    assert statuses == {"offre": 410, "blog": 404, "presse": None, "actus": None}
    assert {sid: (s.last_error, s.consecutive_failures) for sid, s in after.items()} == {
        sid: (s.last_error, s.consecutive_failures) for sid, s in before.items()
    }


def test_several_processes_opening_a_new_database_at_once_all_get_it_ready(database: str) -> None:
    def open_and_close(_: int) -> int:
        store = Store(database)
        try:
            return len(store.list_items())
        finally:
            store.close()

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(open_and_close, range(8))) == [0] * 8


def test_the_waiting_items_have_partial_indexes_on_postgresql_too(postgres: Cluster) -> None:
    url = postgres.create_database()
    try:
        Store(url).close()
        engine = connect(url)
        with engine.connect() as conn:
            definitions = dict(
                conn.execute(
                    text("select indexname, indexdef from pg_indexes where tablename = 'items'")
                ).all()
            )
        engine.dispose()
    finally:
        postgres.drop_database(url)
    assert " WHERE " in definitions["ix_items_pending"], definitions["ix_items_pending"]


def test_a_session_version_can_be_bumped_past_32_bits(database: str) -> None:
    """Accounts start at a random session version below 2³¹ and each sign-out bumps it: the
    column holds 64-bit numbers on PostgreSQL as on SQLite."""
    store = Store(database)
    try:
        users = Users(store)
        user = users.add("lea@example.org", "Léa", "learner", PASSWORD, group_id="g1", now=NOW)
        with store.engine.begin() as conn:
            conn.execute(text("update users set session_version = 2147483647"))
        users.end_sessions(user.id, now=NOW)
        bumped = users.get(user.id)
        assert bumped is not None and bumped.session_version == 2**31
    finally:
        store.close()


def _statements_of_opening(database: str) -> list[str]:
    """The SQL statements a `Store(database)` sends to the database while it opens."""
    statements: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        Store(database).close()
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    return statements


def test_opening_a_store_this_schema_prepared_reads_one_row_and_reflects_nothing(
    database: str,
) -> None:
    """A crawl job of the distributed mode opens the store several times: a store already at
    this Watcher's schema is not reflected, locked nor created again. A store at the same
    version whose recorded schema differs (a table added within the version) is checked in
    full, and gets what it lacks."""
    Store(database).close()
    statements = _statements_of_opening(database)
    assert len(statements) == 1 and "FROM meta" in statements[0], statements
    engine = connect(database)
    try:
        with engine.begin() as conn:
            conn.execute(text("drop table assess_orals"))
            conn.execute(update(meta).where(meta.c.key == "schema_digest").values(value="older"))
    finally:
        engine.dispose()
    assert len(_statements_of_opening(database)) > 1
    store = Store(database)
    try:
        assert inspect(store.engine).has_table("assess_orals")
    finally:
        store.close()
    assert len(_statements_of_opening(database)) == 1


# --- moving a SQLite watch into PostgreSQL -------------------------------------------------------


def _sqlite_watch(root: Path) -> Workspace:
    """A watch on SQLite with what a year leaves in a store: items with their enrichment, a
    group's curation and fiche, a digest archived, an account, signed assessments."""
    root.mkdir()
    workspace = Workspace(write_config(root / "sources.yml"))
    store = Store(workspace.db)
    try:
        ids = seed_items(
            store,
            [
                ("cnil", "La CNIL sanctionne un démarcheur", ("reglementaire",), (GDPR,)),
                ("presse", "Un concurrent « casse » ses prix", ("concurrence",), ()),
                ("presse", "Baromètre de la relation client", ("concurrence",), ()),
            ],
        )
        store.set_curation("g1", ids[0], "retained", actor="léa", now=IN_WEEK)
        store.save_fiche(
            Fiche(ids[0], "g1", summary="Amende de 50 000 €."), actor="léa", now=IN_WEEK
        )
    finally:
        store.close()
    with open_workspace(workspace) as w:
        send_weekly_digest(w, make_watch(), "g1", IsoWeek(2026, 48), NOW, send=False)
        w.users.add("lea@example.org", "Léa Moreau", "learner", PASSWORD, group_id="g1", now=NOW)
        prepared(w, NOW)
        jury = create_jury(w, ADMIN, JURY, now=NOW)
        for competence, level in (("C1", 3), ("C2", 4)):
            record = record_assessment(
                w, PAUL, grid_id=DEFAULT_GRID.id, learner="lea@example.org", group_id="g1",
                competence=competence, level=level, comment="Plan de veille clair", now=NOW,
                jury_id=jury.id,
            )  # fmt: skip
            sign_assessment(w, ANNE, record.id or 0, NOW)
    return workspace


def _contents(workspace: Workspace) -> dict[str, object]:
    with open_workspace(workspace) as w:
        items = w.store.list_items()
        mails = w.mails
        return {
            "items": items,
            "views": w.store.views([i.id for i in items]),
            "curation": w.store.curations("g1"),
            "fiches": w.store.fiches("g1"),
            "digest": mails.digest("g1", "2026-W48"),
            "digest_items": mails.digest_item_ids(mails.digest("g1", "2026-W48").id),  # type: ignore[union-attr]
            "users": w.users.all(),
            "records": w.assessments.records(),
            "juries": w.assessments.juries(),
        }


def test_migrate_store_moves_a_sqlite_watch_into_postgresql_unchanged(
    tmp_path: Path, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL, raising=False)
    workspace = _sqlite_watch(tmp_path / "watch")
    before = _contents(workspace)
    url = postgres.create_database()
    try:
        result = CliRunner().invoke(
            main, ["--config", str(workspace.config), "migrate-store", "--to", url]
        )
        assert result.exit_code == 0, result.output
        assert "les mêmes des deux côtés" in result.output
        # what to do next, not « désormais, WATCHER_DATABASE_URL désigne la base » (it did not)
        assert f"  export {DATABASE_URL}='{url}'\n" in result.output
        monkeypatch.setenv(DATABASE_URL, url)  # from now on, the watch's store is PostgreSQL
        after = _contents(workspace)
        assert after == before
        assert before["items"] and before["digest"] and len(before["records"]) == 2  # type: ignore[arg-type]
        assert all(seal_intact(r) for r in after["records"])  # type: ignore[attr-defined]
        with open_workspace(workspace) as w:
            # signed records stay locked in their new home
            signed = after["records"][0]  # type: ignore[index]
            with pytest.raises(DatabaseError, match="locked"), w.store.engine.begin() as conn:
                conn.execute(
                    text("update assess_records set level = 0 where id = :i"), {"i": signed.id}
                )
            # new rows take the ids after the copied ones
            _one_item(w.store, "https://presse.example.org/nouveau")
            newest = max(i.id for i in w.store.list_items())
            assert newest == max(i.id for i in before["items"]) + 1  # type: ignore[attr-defined]
        # a second move into the same (no longer empty) database is refused, nothing written
        again = CliRunner().invoke(
            main, ["--config", str(workspace.config), "migrate-store", "--to", url]
        )
        assert again.exit_code == 2 and "n'est pas vide" in again.output
    finally:
        postgres.drop_database(url)


def test_migrate_store_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL, raising=False)
    config = write_config(tmp_path / "sources.yml")
    missing = CliRunner().invoke(main, ["--config", str(config), "migrate-store", "--to", "x"])
    assert missing.exit_code == 1 and "Pas de base SQLite à copier" in missing.output
    Store(tmp_path / "watcher.db").close()
    nowhere = CliRunner().invoke(main, ["--config", str(config), "migrate-store"])
    assert nowhere.exit_code == 2 and "Base de destination manquante" in nowhere.output


def test_migrate_store_to_a_database_not_created_names_it_and_says_what_to_do(
    tmp_path: Path, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operator's `migrate-store --to` a database not created yet (or mistyped): the message
    named WATCHER_DATABASE_URL, which was not what they had given, showed the socket folder as
    `%2Ftmp%2F…`, and did not say the database was missing nor how to make it."""
    monkeypatch.delenv(DATABASE_URL, raising=False)
    config = write_config(tmp_path / "sources.yml")
    Store(tmp_path / "watcher.db").close()
    url = f"postgresql://watcher@/pas_creee?host={postgres.root}"
    moved = CliRunner().invoke(main, ["--config", str(config), "migrate-store", "--to", url])
    assert moved.exit_code == 2
    said = " ".join(moved.output.split())
    assert "la base pas_creee n'existe pas" in said, said
    assert f"host={postgres.root}" in said and "%2F" not in said
    assert "createdb --owner watcher --locale=C.UTF-8 --template=template0 pas_creee" in said
    assert "--to" in said and DATABASE_URL not in said


def test_migrate_store_counts_each_table_s_rows_in_words_that_agree(
    tmp_path: Path, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« digests : 1 ligne », « activity : 0 ligne », not « 1 lignes »."""
    monkeypatch.delenv(DATABASE_URL, raising=False)
    workspace = _sqlite_watch(tmp_path / "watch")
    url = postgres.create_database()
    try:
        moved = CliRunner().invoke(
            main, ["--config", str(workspace.config), "migrate-store", "--to", url]
        )
    finally:
        postgres.drop_database(url)
    assert moved.exit_code == 0, moved.output
    assert "  digests : 1 ligne\n" in moved.output and "  dossier_files : 0 ligne\n" in moved.output
    assert " 1 lignes" not in moved.output and " 0 lignes" not in moved.output


def test_a_copy_that_fails_leaves_the_target_empty(tmp_path: Path, postgres: Cluster) -> None:
    """A row PostgreSQL refuses (SQLite does not hold text to its declared length) stops the
    copy: nothing of it stays in the target, which can be fixed and copied into again."""
    store = Store(tmp_path / "watcher.db")
    _one_item(store)
    store.close()
    source = connect(tmp_path / "watcher.db")
    with source.begin() as conn:
        conn.execute(text("update items set language = :lang"), {"lang": "x" * 40})
    url = postgres.create_database()
    target = connect(url)
    try:
        with pytest.raises(Exception, match="items"):
            copy_store(source, target)
        with target.connect() as conn:
            assert conn.execute(text("select count(*) from items")).scalar() == 0
    finally:
        source.dispose()
        target.dispose()
        postgres.drop_database(url)


def test_two_workers_storing_the_same_entries_at_once_store_each_once_for_both_groups(
    database: str,
) -> None:
    """Two crawl workers (say a job retried while the first still runs, with the groups of
    another sources.yml) store the same feed's entries, its validators and the same frontier
    URLs at the same moment: each read-then-write could race (on PostgreSQL, which does not
    serialise writers, and on SQLite too, whose reads take no lock), and yet nothing fails,
    each URL is stored once and is linked to both groups."""
    urls = [f"https://presse.example.org/{n}" for n in range(40)]
    entries = [Entry(url=url, title=f"Article {n}") for n, url in enumerate(urls)]
    stores = [Store(database), Store(database)]
    try:
        for round_ in range(5):
            barrier = threading.Barrier(2)
            batch = [Entry(url=f"{e.url}-{round_}", title=e.title) for e in entries]

            def crawl(
                worker: int,
                batch: list[Entry] = batch,
                round_: int = round_,
                barrier: threading.Barrier = barrier,
            ) -> None:
                store = stores[worker]
                barrier.wait()
                store.store_feed(
                    "presse",
                    [f"g{worker + 1}"],
                    batch,
                    NOW,
                    url="https://presse.example.org/flux",
                    found=Validators(etag=f'"{round_}-{worker}"'),
                )
                store.add_to_frontier(
                    "presse",
                    [f"https://presse.example.org/liste/{round_}/{n}" for n in range(40)],
                    NOW,
                )

            with ThreadPoolExecutor(2) as pool:
                list(pool.map(crawl, range(2)))
        stored = stores[0].list_items()
        assert sorted(item.url for item in stored) == sorted(
            f"{url}-{round_}" for url in urls for round_ in range(5)
        )
        assert {item.url: sorted(item.groups) for item in stored} == {
            item.url: ["g1", "g2"] for item in stored
        }
        assert len(stores[0].frontiers(["presse"])["presse"]) == 5 * 40
    finally:
        for store in stores:
            store.close()


def test_two_sources_fetching_the_same_article_at_once_both_keep_it(postgres: Cluster) -> None:
    """Two workers crawl two domains whose listings link to the same article: each stores it
    for its own source, with the article's validators (kept per source), at the same moment
    (SQLite serialises these writes by itself; PostgreSQL needs them to say what to do with a
    row another writer just made)."""
    database = postgres.create_database()
    stores = [Store(database), Store(database)]
    try:
        for round_ in range(10):
            url = f"https://article.example.org/{round_}"
            barrier = threading.Barrier(2)

            def crawl(worker: int, url: str = url, barrier: threading.Barrier = barrier) -> str:
                source = f"source{worker}"
                stores[worker].add_to_frontier(source, [url], NOW)
                barrier.wait()
                return stores[worker].store_article(
                    source,
                    [f"g{worker}"],
                    Entry(url=url, title="Le même article"),
                    NOW,
                    frontier_url=url,
                    found=Validators(etag=f'"{worker}"'),
                )

            with ThreadPoolExecutor(2) as pool:
                assert list(pool.map(crawl, range(2))) == ["new", "new"]
            kept = stores[0].validators_for([("source0", url), ("source1", url)])
            assert {v.etag for v in kept.values()} == {'"0"', '"1"'}  # each source's own
        assert len(stores[0].list_items()) == 20
        assert stores[0].frontiers(["source0", "source1"]) == {}
    finally:
        for store in stores:
            store.close()
        postgres.drop_database(database)


def test_two_workers_updating_the_same_items_at_once_keep_one_history(postgres: Cluster) -> None:
    """Two workers store the same new version of the same entries at once on PostgreSQL: the
    second waits for the first's row lock and finds the entry unchanged; one version is kept."""
    database = postgres.create_database()
    stores = [Store(database), Store(database)]
    try:
        first = [Entry(url=f"https://presse.example.org/{n}", title="Avant") for n in range(40)]
        stores[0].store_feed(
            "presse", ["g1"], first, NOW, url="https://presse.example.org/f", found=None
        )
        for round_ in range(1, 6):
            barrier = threading.Barrier(2)
            batch = [Entry(url=e.url, title=f"Version {round_}") for e in first]

            def crawl(
                worker: int, batch: list[Entry] = batch, barrier: threading.Barrier = barrier
            ) -> list[str]:
                barrier.wait()
                return stores[worker].store_feed(
                    "presse", ["g1"], batch, NOW, url="https://presse.example.org/f", found=None
                )

            with ThreadPoolExecutor(2) as pool:
                outcomes = sorted(o for done in pool.map(crawl, range(2)) for o in done)
            assert outcomes == ["unchanged"] * 40 + ["updated"] * 40
        item = stores[0].list_items()[0]
        assert [v["version"] for v in stores[0].item_history(item.id)] == [1, 2, 3, 4, 5]
    finally:
        for store in stores:
            store.close()
        postgres.drop_database(database)


def test_the_same_watched_page_stored_twice_at_once_keeps_one_version_per_content(
    database: str,
) -> None:
    """Two workers (or a job retried while the first still writes) store the same fetch of a
    watched page at the same moment, then the same changed fetch: each content is kept once,
    with one change item, and neither write fails (both read "no version yet", or the same last
    version, before either writes)."""
    stores = [Store(database), Store(database)]
    pages = PageStore(stores[0])
    url = "https://tarifs.example.org/"
    try:
        for round_, text in enumerate(("Tarif : 10 €", "Tarif : 12 €", "Tarif : 15 €")):
            for page in range(20):
                barrier = threading.Barrier(2)

                def crawl(
                    worker: int, page: int = page, text: str = text, barrier: Any = barrier
                ) -> str:
                    barrier.wait()
                    return stores[worker].store_watched_page(
                        f"page{page}",
                        ["g1"],
                        Snapshot(text),
                        NOW,
                        url=f"{url}{page}",
                        found=None,
                        describe=lambda last, number: change_entry(
                            f"Page {page}", f"{url}{page}", number, last, Snapshot(text)
                        ),
                    )

                with ThreadPoolExecutor(2) as pool:
                    outcomes = sorted(pool.map(crawl, range(2)))
                assert outcomes == sorted(["first" if round_ == 0 else "new", "unchanged"])
        for page in range(20):
            versions = pages.page_versions(f"page{page}")
            assert [(v.number, v.text) for v in versions] == [
                (1, "Tarif : 10 €"),
                (2, "Tarif : 12 €"),
                (3, "Tarif : 15 €"),
            ]
            changes = stores[0].list_items(source_id=f"page{page}")
            assert len(changes) == 2
    finally:
        for store in stores:
            store.close()


def _update_items(database: str, rounds: int, start: Any, worker: int) -> list[str]:
    """One process storing new versions of the same feed's entries, `rounds` times."""
    outcomes: list[str] = []
    with closing(Store(database)) as store:
        for round_ in range(1, rounds + 1):
            start.wait()
            batch = [
                Entry(url=f"https://presse.example.org/{n}", title=f"Version {round_}")
                for n in range(20)
            ]
            outcomes += store.store_feed(
                "presse", [f"g{worker}"], batch, NOW, url="https://presse.example.org/f", found=None
            )
    return outcomes


def test_two_processes_updating_the_same_items_of_a_sqlite_store_keep_one_history(
    tmp_path: Path,
) -> None:
    """Two processes store the same new versions of the same items at once on SQLite: reads
    take no lock there, so both could read version n and both write version n+1 (the second
    failing on the unique version, or keeping a version twice). The write takes the database's
    write lock before it reads the item: one history, nothing fails."""
    database = str(tmp_path / "watcher.db")
    with closing(Store(database)) as store:
        first = [Entry(url=f"https://presse.example.org/{n}", title="Avant") for n in range(20)]
        store.store_feed(
            "presse", ["g1"], first, NOW, url="https://presse.example.org/f", found=None
        )
    context = multiprocessing.get_context("spawn")
    start = context.Manager().Barrier(2, timeout=60)
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        done = [pool.submit(_update_items, database, 6, start, worker) for worker in (1, 2)]
        outcomes = sorted(o for future in done for o in future.result(timeout=120))
    assert outcomes == ["unchanged"] * 6 * 20 + ["updated"] * 6 * 20
    with closing(Store(database)) as store:
        for item in store.list_items():
            assert [v["version"] for v in store.item_history(item.id)] == [1, 2, 3, 4, 5, 6]
            assert item.version == 7 and item.groups == ("g1", "g2")


def test_a_source_failing_in_two_workers_at_once_counts_both_failures(database: str) -> None:
    """Two workers record a failure of the same sources at the same moment (a job retried
    while the first still runs, a person's `watcher crawl --source` beside the scheduler's
    job): both failures count, and each backoff follows the count actually stored (a count read
    before the other writer's would be one short, and so would the backoff's doubling)."""
    sources = [f"s{n}" for n in range(30)]
    stores = [Store(database), Store(database)]

    def hours(result: SourceResult, failures_before: int) -> datetime | None:
        return None if result.ok else NOW + timedelta(hours=2**failures_before)

    try:
        for _ in range(4):
            barrier = threading.Barrier(2)

            def fail(worker: int, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                stores[worker].record_source_results(
                    [SourceResult(s, error="HTTP 503") for s in sources], NOW, hours
                )

            with ThreadPoolExecutor(2) as pool:
                list(pool.map(fail, range(2)))
        states = stores[0].source_states()
        assert {s: states[s].consecutive_failures for s in sources} == dict.fromkeys(sources, 8)
        assert {states[s].backoff_until for s in sources} == {NOW + timedelta(hours=2**7)}
        stores[1].record_source_results([SourceResult("s0", new=1)], NOW, hours)
        again = stores[0].source_states()["s0"]
        assert (again.consecutive_failures, again.backoff_until) == (0, None)
    finally:
        for store in stores:
            store.close()


def test_two_processes_refingerprinting_at_once_record_the_scheme_once(database: str) -> None:
    """Two `watcher process` (two workers' processing jobs, or a person's beside the daemon)
    find the store's fingerprints made by an older scheme at the same moment: neither fails on
    the scheme's row, it is recorded once, and the prints are computed by one of them only."""
    stores = [Store(database), Store(database)]
    seed_items(stores[0], [("presse", f"Article {n}", (), ()) for n in range(5)])
    engine = connect(database)
    try:
        for round_ in range(8):
            barrier = threading.Barrier(2)

            def refingerprint(
                worker: int, barrier: threading.Barrier = barrier, round_: int = round_
            ) -> int:
                barrier.wait()
                return stores[worker].refingerprint(
                    lambda title, body, url: title.encode(), f"scheme-{round_}"
                )

            with ThreadPoolExecutor(2) as pool:
                assert sorted(pool.map(refingerprint, range(2))) == [0, 5]
            with engine.connect() as conn:
                rows = conn.execute(
                    text("select value from meta where key = 'fingerprint_scheme'")
                ).all()
            assert [row.value for row in rows] == [f"scheme-{round_}"]
    finally:
        engine.dispose()
        for store in stores:
            store.close()


def test_a_rendered_dossier_file_is_kept_once_per_content(database: str) -> None:
    """Two workers keeping the file of the same content: the first is kept, the second is not
    (it says so); a new content of the same group, period and format replaces the older one."""
    files = DossierFiles(Store(database))
    period = (date(2026, 11, 1), date(2026, 11, 30))
    try:
        assert files.file("a" * 64, "pdf") is None and not files.has("a" * 64, "pdf")
        assert files.keep("a" * 64, "pdf", "g1", period, b"%PDF-1", NOW)
        assert not files.keep("a" * 64, "pdf", "g1", period, b"%PDF-2", NOW)
        assert files.file("a" * 64, "pdf") == b"%PDF-1"
        assert files.keep("a" * 64, "pdf", "g2", period, b"%PDF-g2", NOW) is False
        assert files.keep("b" * 64, "pdf", "g1", period, b"%PDF-3", NOW)
        assert files.file("a" * 64, "pdf") is None  # superseded by the new content
        assert files.file("b" * 64, "pdf") == b"%PDF-3"
    finally:
        files.close()
