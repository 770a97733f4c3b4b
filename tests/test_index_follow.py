"""Several copies of the search index over one store (one per web host): each follows the store's
change log (watcher.find.follow), on SQLite and on PostgreSQL. Processing, deletions, group
membership and curation reach every copy; a copy stopped meanwhile catches up, one that missed
pruned changes rebuilds, one killed with kill -9 mid-apply loses nothing; on PostgreSQL, a
change committed after a later-numbered one is not skipped."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pg_cluster import Cluster
from sqlalchemy import update
from web_session import CSRF, signed_in_client

import watcher.web
from watcher.config import Watch, load_watch
from watcher.find.follow import FollowReport, IndexFollower
from watcher.find.index import POSITION_FILE, SearchIndex
from watcher.jobs import open_workspace
from watcher.jobs.collect import process
from watcher.jobs.search import follow_index
from watcher.model import Entry, ItemEnrichment
from watcher.query import QueryError
from watcher.store import Store
from watcher.store.items import record_index_changes
from watcher.store.schema import items
from watcher.store.users import Users
from watcher.understand.process import StoreDocs
from watcher.web import create_app
from watcher.workspace import DATABASE_URL, Workspace

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
CONFIG = {
    "watch": {"name": "Veille de test", "contact": "https://example.org/contact"},
    "axes": [{"id": "concurrence", "label": "Marché & concurrence"}],
    "groups": [{"id": "g1", "name": "Groupe 1"}, {"id": "g2", "name": "Groupe 2"}],
    "sources": [
        {"id": "s1", "name": "Source Un", "kind": "feed", "url": "https://un.example.org/rss",
         "axis": "concurrence", "groups": ["g1"]},
    ],
}  # fmt: skip


@dataclass
class Host:
    """One machine that serves search: its own copy of the index, following the store."""

    index: SearchIndex
    follower: IndexFollower

    def ids(self, query: str = "forfait", groups: list[str] | None = None) -> set[int]:
        found = self.index.search(query, groups=groups, now=NOW, limit=100, collapse=False)
        return {hit.item_id for hit in found.hits}

    @property
    def position(self) -> int:
        return int(json.loads((self.index.path / POSITION_FILE).read_text())["position"])


class Cohort:
    """A store (the test's database) and the watch, with hosts opened on it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.workspace = Workspace(root / "sources.yml")
        self.workspace.config.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), "utf-8")
        self.watch: Watch = load_watch(self.workspace.config)
        self.store = Store(self.workspace.database)
        self.docs = StoreDocs.of_store(self.store, self.watch)
        self.hosts: list[Host] = []

    def host(self, name: str) -> Host:
        index = SearchIndex(self.root / name / "index")
        opened = Host(index, IndexFollower(self.store, index))
        self.hosts.append(opened)
        return opened

    def follow(self, host: Host) -> None:
        """Two turns of the host's follower: on PostgreSQL, the position moves past the
        changes a turn saw at the next turn (once the transactions then running have ended)."""
        for _ in range(2):
            assert not host.follower.catch_up(self.docs).behind

    def stop(self, host: Host) -> None:
        host.index.close()
        self.hosts.remove(host)

    def crawl(self, keys: list[str], groups: tuple[str, ...] = ("g1",)) -> None:
        """The entries of these keys stored by a crawl of source s1 for these groups."""
        entries = [
            Entry(
                url=f"https://un.example.org/{key}",
                title=f"Forfait {key}",
                summary=f"Le forfait {key} baisse.",
                text=f"Le forfait {key} baisse de prix.",
                guid=key,
                published=NOW - timedelta(days=1),
                language="fr",
            )
            for key in keys
        ]
        self.store.store_feed("s1", list(groups), entries, NOW, url="https://un", found=None)

    def add(self, keys: list[str], groups: tuple[str, ...] = ("g1",)) -> dict[str, int]:
        """Items stored by a crawl and enriched (by hand: no spaCy here), ids by key."""
        self.crawl(keys, groups)
        stored = {i.guid: i for i in self.store.list_items() if i.guid in keys}
        self.store.save_enrichments(
            [
                ItemEnrichment(
                    item_id=i.id,
                    version=i.version,
                    signature="test",
                    language="fr",
                    fingerprint=b"\0" * 8,
                    cluster_id=i.id,
                    axes=("concurrence",),
                    topics=(),
                    entities=(),
                    refs=(),
                )
                for i in stored.values()
            ],
            NOW,
        )
        return {key: item.id for key, item in stored.items()}

    def live(self) -> set[int]:
        return self.store.indexable_ids()

    def close(self) -> None:
        for host in self.hosts:
            host.index.close()
        self.store.close()


@pytest.fixture
def cohort(tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cohort]:
    if not database.startswith("postgresql"):
        monkeypatch.setenv("WATCHER_DB", database)  # every workspace opens the one file
    opened = Cohort(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def test_items_processed_by_a_worker_appear_in_both_copies(cohort: Cohort) -> None:
    """A distributed worker enriches (`process_pending` writes no index there); each host's
    copy follows the store and finds what it enriched."""
    a, b = cohort.host("a"), cohort.host("b")
    entries = [
        Entry(url=f"https://un.example.org/w{n}", title=f"Le forfait mobile numéro {n}",
              summary="", text=f"Telvia baisse le prix du forfait mobile {n}.", guid=f"w{n}",
              published=NOW, language="fr")
        for n in range(3)
    ]  # fmt: skip
    cohort.store.store_feed("s1", ["g1"], entries, NOW, url="https://un", found=None)
    with open_workspace(cohort.workspace) as w:  # the worker's job
        done = process(w, cohort.watch, NOW, index=False)
    assert done.enriched == 3 and done.indexed == 0
    assert not cohort.workspace.index.exists()  # the worker has no copy of the index
    for host in (a, b):
        cohort.follow(host)
        assert host.ids("forfait mobile", ["g1"]) == cohort.live() and len(cohort.live()) == 3


def test_a_curation_on_one_host_is_found_by_search_on_the_other(cohort: Cohort) -> None:
    """Two web hosts (two workspaces, one store): a learner retains an item through host A's
    web app; `statut:retenu` finds it on host B, at the next search, and a reset empties it."""
    ids = cohort.add(["k1", "k2"])
    Users(cohort.store).add("lea@example.org", "Léa", "learner", "un mot de passe sûr",
                            group_id="g1", now=NOW)  # fmt: skip
    hosts = []
    for name in ("a", "b"):
        (cohort.root / name).mkdir()
        config = cohort.root / name / "sources.yml"
        config.write_text(cohort.workspace.config.read_text("utf-8"), "utf-8")
        hosts.append(Workspace(config))
        with open_workspace(hosts[-1]) as w:  # what the web app's follower thread does first
            assert follow_index(w, cohort.watch).rebuilt == 2
    clients = [signed_in_client(ws, "lea@example.org", NOW) for ws in hosts]
    a, b = (next(c) for c in clients)
    try:
        search = "/g/g1/search?q=statut%3Aretenu"
        assert b.get(search).status_code == 200
        assert f"/g/g1/items/{ids['k1']}" not in b.get(search).text
        form = {"status": "retained", "csrf_token": CSRF}
        assert a.post(f"/g/g1/items/{ids['k1']}/curation", data=form).status_code == 303
        found = b.get(search).text
        assert f"/g/g1/items/{ids['k1']}" in found and f"/g/g1/items/{ids['k2']}" not in found
        assert f"/g/g1/items/{ids['k1']}" in a.get(search).text
        form = {"status": "reset", "csrf_token": CSRF}
        assert a.post(f"/g/g1/items/{ids['k1']}/curation", data=form).status_code == 303
        assert f"/g/g1/items/{ids['k1']}" not in b.get(search).text
    finally:
        for client in clients:
            next(client, None)


def test_status_finds_what_the_groups_searched_curated(cohort: Cohort) -> None:
    """`statut:` (`status:`) finds the items the groups searched retained or rejected."""
    host = cohort.host("a")
    ids = cohort.add(["k1", "k2"], groups=("g1", "g2"))
    cohort.store.set_curation("g2", ids["k1"], "rejected", reason="hors sujet", actor="t", now=NOW)
    cohort.store.set_curation("g1", ids["k2"], "retained", actor="t", now=NOW)
    cohort.follow(host)
    assert host.ids("statut:rejeté", ["g2"]) == {ids["k1"]}
    assert host.ids("statut:rejete", ["g1"]) == set()
    assert host.ids("status:rejected") == {ids["k1"]}  # every group's search (evaluators)
    assert host.ids("forfait -statut:retenu", ["g1"]) == {ids["k1"]}
    assert host.ids("statut:retenus", ["g1", "g2"]) == {ids["k2"]}
    with pytest.raises(QueryError, match="statut inconnu : « lu »"):
        host.ids("statut:lu", ["g1"])


def test_the_web_apps_thread_keeps_its_copy_up_to_date(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watcher web` builds its copy at start-up and follows the store in a background thread,
    which stops when the app is closed."""
    ids = cohort.add(["k1", "k2"])
    turns: queue.Queue[FollowReport] = queue.Queue()

    def told(*args: Any, **kwargs: Any) -> FollowReport:
        report = follow_index(*args, **kwargs)
        turns.put(report)
        return report

    monkeypatch.setattr(watcher.web, "follow_index", told)
    app = create_app(cohort.workspace, now=lambda: NOW, testing=False)
    context = app.extensions["watcher"]
    try:
        assert turns.get(timeout=60).rebuilt == 2  # its first turn builds the copy
        cohort.store.delete_item(ids["k1"], NOW, "test")
        while not turns.get(timeout=60).removed:  # a turn of the thread, then the next…
            pass
        found = context.index.search("forfait", groups=["g1"], now=NOW, collapse=False)
        assert {hit.item_id for hit in found.hits} == {ids["k2"]}
    finally:
        context.close()
    assert context.threads and not any(thread.is_alive() for thread in context.threads)


def test_a_host_stopped_during_changes_catches_up_on_restart(cohort: Cohort) -> None:
    a, b = cohort.host("a"), cohort.host("b")
    first = cohort.add(["k1", "k2", "k3"])
    cohort.follow(a), cohort.follow(b)
    assert a.ids() == b.ids() == set(first.values())
    cohort.stop(b)
    # meanwhile: new items, a deletion, an item joining another group
    later = cohort.add(["k4", "k5"])
    assert cohort.store.delete_item(first["k1"], NOW, "test")
    cohort.crawl(["k2"], groups=("g1", "g2"))  # the same entry, now also in g2's watch
    cohort.follow(a)
    expected = {first["k2"], first["k3"], *later.values()}
    assert a.ids() == expected and a.ids(groups=["g2"]) == {first["k2"]}
    b = cohort.host("b")  # restarted
    assert b.ids() == set(first.values()) and b.ids(groups=["g2"]) == set()  # as it stopped
    cohort.follow(b)
    assert b.ids() == expected and b.ids(groups=["g2"]) == {first["k2"]}
    assert b.position == a.position == cohort.store.index_change_bounds()[1]  # type: ignore[index]


def test_a_host_older_than_the_kept_changes_rebuilds(cohort: Cohort) -> None:
    a, b = cohort.host("a"), cohort.host("b")
    first = cohort.add(["k1", "k2"])
    cohort.follow(a), cohort.follow(b)
    cohort.stop(b)
    later = cohort.add(["k3", "k4"])
    cohort.store.delete_item(first["k1"], NOW, "test")
    cohort.follow(a)
    # the store forgets its old changes (a week later): b's position is older than them
    forgotten = cohort.store.prune_index_changes(NOW + timedelta(days=8))
    assert forgotten > 0 and cohort.store.index_change_bounds() is not None
    b = cohort.host("b")
    report = b.follower.catch_up(cohort.docs)
    assert report.rebuilt == len(cohort.live()) == 3
    assert b.ids() == a.ids() == {first["k2"], *later.values()}
    # the next catch-up applies changes as usual
    cohort.store.delete_item(later["k3"], NOW, "test")
    again = b.follower.catch_up(cohort.docs)
    assert again.rebuilt is None and again.removed == 1 and b.ids() == {first["k2"], later["k4"]}


def test_a_reindex_on_one_host_rebuilds_every_copy(cohort: Cohort) -> None:
    """`watcher reindex` (a source renamed, axes relabelled…) asks every copy to rebuild."""
    from watcher.jobs.collect import reindex

    a, b = cohort.host("a"), cohort.host("b")
    cohort.add(["k1", "k2"])
    cohort.follow(b)
    with open_workspace(cohort.workspace) as w:
        assert reindex(w, cohort.watch, NOW) == 2
    report = b.follower.catch_up(cohort.docs)
    assert report.rebuilt == 2
    assert b.follower.catch_up(cohort.docs).rebuilt is None  # once
    cohort.follow(a)
    assert a.ids() == b.ids() == cohort.live()


def test_a_change_committed_after_a_later_one_is_not_skipped(
    tmp_path: Path, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: transaction A records change n, B records n+1 and commits first. A copy that
    moved its position to n+1 would never read n: it applies n+1 at once, keeps its position
    before n until A has ended, and applies n when A commits — after a restart too."""
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    cohort = Cohort(tmp_path)
    try:
        host = cohort.host("a")
        ids = cohort.add(["k1", "k2", "k3"])
        cohort.follow(host)
        start = host.position
        with cohort.store.engine.connect() as slow:  # transaction A: deletes k1, not committed
            slow.begin()
            slow.execute(update(items).where(items.c.id == ids["k1"]).values(deleted_at=NOW))
            record_index_changes(slow, [ids["k1"]], "deleted", NOW)
            cohort.store.delete_item(ids["k2"], NOW, "test")  # B: a later number, committed
            for _ in range(2):
                cohort.follow(host)
                assert host.ids() == {ids["k1"], ids["k3"]}
                assert host.position == start  # not past A's number
            slow.commit()
        cohort.follow(host)  # the first turn after A: its change applied
        assert host.ids() == {ids["k3"]}
        cohort.stop(host)
        # the same with a copy restarted while A runs
        restarted = cohort.host("a")
        with cohort.store.engine.connect() as slow:
            slow.begin()
            slow.execute(update(items).where(items.c.id == ids["k3"]).values(deleted_at=NOW))
            record_index_changes(slow, [ids["k3"]], "deleted", NOW)
            more = cohort.add(["k4"])
            cohort.follow(restarted)
            cohort.stop(restarted)
            restarted = cohort.host("a")
            cohort.follow(restarted)
            assert restarted.ids() == {ids["k3"], more["k4"]}
            slow.commit()
        cohort.follow(restarted)
        cohort.follow(restarted)
        assert restarted.ids() == {more["k4"]}
        assert restarted.position == cohort.store.index_change_bounds()[1]  # type: ignore[index]
    finally:
        cohort.close()
        postgres.drop_database(url)


CHILD = """
import sys
from pathlib import Path
from typing import Any
from watcher.config import load_watch
from watcher.find import follow
from watcher.find.index import SearchIndex
from watcher.store import Store
from watcher.understand.process import StoreDocs
from watcher.web import create_app

follow.BATCH = 5
saves = 0
original = follow.IndexFollower._save

def save(self, state):
    global saves
    saves += 1
    if saves == 2:  # batch 2 is in the index, its position not saved: die here
        print("applied", flush=True)
        sys.stdin.read()
    original(self, state)

follow.IndexFollower._save = save
store = Store(sys.argv[1])
index = SearchIndex(Path(sys.argv[2]))
watch = load_watch(Path(sys.argv[3]))
follow.IndexFollower(store, index).catch_up(StoreDocs.of_store(store, watch))
"""


def test_a_copy_killed_mid_apply_loses_and_duplicates_nothing(cohort: Cohort) -> None:
    host = cohort.host("b")
    cohort.follow(host)
    cohort.stop(host)
    ids = cohort.add([f"k{n}" for n in range(12)])
    for key in ("k0", "k1"):  # two changes more to apply: 14 in all, 5 at a time
        cohort.store.delete_item(ids[key], NOW, "test")
    with subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(cohort.workspace.database),
         str(cohort.root / "b" / "index"), str(cohort.workspace.config)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        try:
            assert child.stdout is not None and child.stdout.readline() == "applied\n"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
    host = cohort.host("b")
    # two batches applied (k0..k9 as the store has them now: k0 and k1 already deleted), the
    # kill before the second's position was saved
    assert host.ids() == {ids[f"k{n}"] for n in range(2, 10)}
    assert host.position < cohort.store.index_change_bounds()[1]  # type: ignore[index]
    cohort.follow(host)
    assert host.ids() == cohort.live() and len(cohort.live()) == 10
    assert host.index.doc_count() == 10  # nothing twice
    assert host.position == cohort.store.index_change_bounds()[1]  # type: ignore[index]
