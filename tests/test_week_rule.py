"""The digest week rule (docs/digest.md): every collected item is counted by exactly one sent
digest of each group that watches it — whatever the order of crawls, sends (on schedule, by
hand, early), downtime and restarts."""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from digest_fixtures import Sink, SmtpServer, config, mail_section
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Watcher, feed_source, rss
from watcher.cli import digest as cli_digest
from watcher.cli.main import main
from watcher.config import Watch, load_watch
from watcher.demo.server import LocalSite
from watcher.jobs import digest as jobs
from watcher.jobs import open_workspace
from watcher.model import Entry
from watcher.report.digest import IsoWeek, digest_time, last_complete_week
from watcher.safe_yaml import dump_yaml
from watcher.store import Store
from watcher.store.mail import MailStore
from watcher.workspace import Workspace

PARIS = ZoneInfo("Europe/Paris")
SATURDAY_W49 = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)  # Saturday 5 December, 11:00 in Paris
MONDAY_W50 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
MONDAY_W51 = datetime(2026, 12, 14, 7, 5, tzinfo=UTC)  # just after Monday's 08:00 digest


def _feed(site: LocalSite, count: int, start: int = 0) -> None:
    entries = [
        {
            "title": f"Démarchage téléphonique : annonce n° {n}",
            "link": f"{site.base}/a{n}",
            "guid": f"a{n}",
            "description": f"Nouvelle règle n° {n} pour les centres de contacts.",
        }
        for n in range(start, start + count)
    ]
    (Path(site.root or ".") / "feed.xml").write_bytes(rss(site.base, entries))


def _counted(workspace: Workspace, group_id: str = "g1") -> dict[int, str]:
    store = Store(workspace.database)
    try:
        return MailStore(store).sent_items(group_id).counted
    finally:
        store.close()


def test_a_week_sent_early_loses_nothing_and_the_default_command_says_where_items_are(
    site: LocalSite, watcher: Watcher, monkeypatch: pytest.MonkeyPatch, database: str
) -> None:
    """The issue's story: a new watch crawls 41 items on a Saturday of W49. The default digest
    (W48) is empty and says where the items are; W49 cannot be sent before it is over unless
    --early; 8 items collected after the early send are not lost: they are in the next
    digest, marked as carried over."""
    _feed(site, 41)
    with SmtpServer(Sink()) as server:
        sink = server.sink
        base = config()
        watcher.write(
            [feed_source(site, "/feed.xml", id="flux")],
            groups=base["groups"],
            mail=mail_section(server.port),
        )
        assert watcher.crawl(SATURDAY_W49).results[0].new == 41
        runner = CliRunner()
        path = str(watcher.workspace.config)

        def digest(now: datetime, *args: str) -> str:
            monkeypatch.setattr(cli_digest, "_now", lambda: now)
            result = runner.invoke(main, ["-c", path, "digest", "--group", "g1", *args])
            return f"{result.exit_code}\n" + " ".join(result.output.split())

        default = digest(SATURDAY_W49 + timedelta(minutes=5))
        assert default.startswith("0\n")
        assert "Semaine 48 (la dernière semaine complète) : du 23 au 29 novembre 2026" in default
        assert "collectés 0" in default
        assert "la semaine en cours (semaine 49) compte déjà 41 articles" in default
        assert "--week 2026-W49 --preview" in default

        refused = digest(SATURDAY_W49 + timedelta(minutes=6), "--week", "2026-W49", "--send")
        assert refused.startswith("2\n")
        assert "--early" in refused
        assert "la semaine 49 (du 30 novembre au 6 décembre 2026) n'est pas finie" in refused
        assert sink.messages == [] and _counted(watcher.workspace) == {}

        early = digest(
            SATURDAY_W49 + timedelta(minutes=7), "--week", "2026-W49", "--send", "--early"
        )
        assert early.startswith("0\n"), early
        assert "collectés 41" in early and "avant la fin de la semaine" in early
        assert sink.copies() == {
            "lea@example.org": 1,
            "karim@example.org": 1,
            "helene@example.org": 1,
        }

        _feed(site, 49)  # the same 41 and 8 new ones, collected later that Saturday
        assert watcher.crawl(SATURDAY_W49 + timedelta(hours=6)).results[0].new == 8

        again = digest(MONDAY_W50, "--send")  # last complete week: W49, already sent
        assert "Déjà envoyé" in again and "collectés 41" in again
        assert len(sink.messages) == 3

        # serve's schedule: Monday W51 08:00 sends W50, which takes the 8 late ones
        watch = load_watch(watcher.workspace.config)
        with open_workspace(watcher.workspace) as w:
            outcome = jobs.scheduled_digest(w, watch, "g1", MONDAY_W51)
        assert outcome.week == IsoWeek(2026, 50)
        assert outcome.built.record.collected == 8
        text = outcome.built.record.text
        assert "dont 8 reportés d'avant cette semaine" in text
        assert len(sink.messages) == 6

    counted = _counted(watcher.workspace)
    store = watcher.store()
    try:
        items = store.list_items()
    finally:
        store.close()
    assert len(items) == 49 and set(counted) == {i.id for i in items}
    assert sorted(counted.values()).count("2026-W49") == 41
    assert sorted(counted.values()).count("2026-W50") == 8


# --- the property: random interleavings of crawls, sends, downtime and restarts ---------------

START = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday of W48, 01:30 in Paris
HOURS = 24 * 7 * 4  # four weeks of events
GROUPS = {
    "g1": {"weekday": "lundi", "time": "08:00"},
    "g2": {"weekday": "vendredi", "time": "17:30"},
}


def _watch_file(folder: Path, port: int) -> Path:
    data = config(mail=mail_section(port))
    first = data["groups"][0]
    data["groups"] = [
        {**first, "id": gid, "name": f"Groupe {gid}", "digest": schedule}
        for gid, schedule in GROUPS.items()
    ]
    path = folder / "sources.yml"
    path.write_text(dump_yaml(data), encoding="utf-8")  # the members are shared: no alias
    return path


Event = tuple[str, int, object]
event = st.one_of(
    st.tuples(st.just("crawl"), st.integers(0, HOURS), st.sampled_from(["g1", "g2", "both"])),
    st.tuples(st.just("early"), st.integers(0, HOURS), st.sampled_from(list(GROUPS))),
    st.tuples(st.just("by_hand"), st.integers(0, HOURS), st.sampled_from(list(GROUPS))),
    st.tuples(st.just("retain"), st.integers(0, HOURS), st.sampled_from(list(GROUPS))),
    st.tuples(st.just("down"), st.integers(0, HOURS), st.integers(1, 24 * 10)),
)


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer(Sink()) as server:
        yield server


@settings(
    max_examples=int(os.environ.get("WEEK_RULE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(event, min_size=1, max_size=14), st.randoms(use_true_random=False))
def test_no_item_is_in_zero_or_two_sent_digests(
    smtp: SmtpServer, events: list[Event], rnd: random.Random
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(_watch_file(Path(folder), smtp.port))
        watch = load_watch(workspace.config)
        _run(workspace, watch, events, rnd)
        store = Store(workspace.database)
        try:
            mails = MailStore(store)
            for group_id in GROUPS:
                ours = {i.id for i in store.list_items(group_id=group_id)}
                rows = [
                    (record.week, mails.digest_item_ids(record.id))
                    for record in mails.sent_digests(group_id)
                ]
                counted = [i for _, (c, _) in rows for i in c]
                shown = [i for _, (_, s) in rows for i in s]
                assert sorted(counted) == sorted(ours), (group_id, rows)  # each exactly once
                assert len(shown) == len(set(shown)), (group_id, rows)  # never shown twice
                when = {i.id: i.fetched_at for i in store.list_items(group_id=group_id)}
                for week, (found, _) in rows:  # a digest counts its week's items, or earlier
                    end = IsoWeek.parse(week).end(PARIS)
                    assert all(when[i] < end for i in found), (week, found)
        finally:
            store.close()


def _run(workspace: Workspace, watch: Watch, events: list[Event], rnd: random.Random) -> None:
    """Play the events in time order with `watcher serve`'s schedule running — its digest job
    at each group's time while it is up, its catch-up when it starts again after being down —
    then let it run long enough after the last event for every item to reach a digest."""
    timeline: list[tuple[datetime, str, object]] = [
        (START + timedelta(hours=h), kind, arg) for kind, h, arg in events
    ]
    end = START + timedelta(hours=HOURS + 24 * 15)
    for group in watch.groups:
        week = IsoWeek.of(START, PARIS)
        while (fire := digest_time(group.digest, week, PARIS)) < end:
            timeline.append((fire + timedelta(seconds=30), "cron", group.id))
            week = week.following()
    timeline.sort(key=lambda e: (e[0], e[1]))
    down_until: datetime | None = None
    counter = itertools.count()
    for moment, kind, arg in timeline:
        if down_until is not None and moment >= down_until:
            with open_workspace(workspace) as w:  # serve restarts
                jobs.catch_up_digests(w, watch, down_until, timeout=5)
            down_until = None
        if kind == "down":
            assert isinstance(arg, int)
            down_until = max(down_until or moment, moment + timedelta(hours=arg))
        elif kind == "cron":
            if down_until is None:
                with open_workspace(workspace) as w:
                    jobs.scheduled_digest(w, watch, str(arg), moment, timeout=5)
        elif kind == "crawl":  # by serve, or by hand with `watcher crawl`
            groups = ["g1", "g2"] if arg == "both" else [str(arg)]
            _collect(workspace, groups, moment, next(counter))
        elif kind in ("early", "by_hand"):
            week = (
                IsoWeek.of(moment, PARIS) if kind == "early" else last_complete_week(moment, PARIS)
            )
            with open_workspace(workspace) as w, contextlib.suppress(jobs.DigestRuleError):
                jobs.send_weekly_digest(  # refused: nothing changes
                    w, watch, str(arg), week, moment, send=True, early=True, timeout=5
                )
        elif kind == "retain":
            _retain_one(workspace, str(arg), moment, rnd)
    assert down_until is None or down_until < end


def _collect(workspace: Workspace, groups: list[str], now: datetime, n: int) -> None:
    store = Store(workspace.database)
    try:
        entries = [
            Entry(url=f"https://presse.example.org/{n}-{k}", title=f"Article {n}-{k}")
            for k in range(2)
        ]
        store.store_feed("presse", groups, entries, now, url="https://presse/f", found=None)
    finally:
        store.close()


def _retain_one(workspace: Workspace, group_id: str, now: datetime, rnd: random.Random) -> None:
    store = Store(workspace.database)
    try:
        candidates = [i.id for i in store.list_items(group_id=group_id) if i.fetched_at <= now]
        if candidates:
            store.set_curation(group_id, rnd.choice(candidates), "retained", actor="t", now=now)
    finally:
        store.close()


def test_without_mail_serve_publishes_the_digest_and_the_next_one_starts_after_it(
    tmp_path: Path, database: str
) -> None:
    """No `mail:` section: the scheduled digest is archived and frozen (published), so the
    next week's digest counts only what came after it (and the dossier says « publiée »)."""
    from digest_fixtures import write_config

    workspace = Workspace(write_config(tmp_path / "sources.yml"))
    watch = load_watch(workspace.config)
    monday_w48 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    _collect(workspace, ["g1"], monday_w48, 1)
    with open_workspace(workspace) as w:
        first = jobs.scheduled_digest(w, watch, "g1", datetime(2026, 11, 30, 7, 1, tzinfo=UTC))
    assert first is not None and first.week == IsoWeek(2026, 48)
    assert first.built.record.frozen and first.built.record.collected == 2
    assert first.outbox == []  # nobody to mail
    _collect(workspace, ["g1"], monday_w48 + timedelta(days=7), 2)
    with open_workspace(workspace) as w:
        second = jobs.scheduled_digest(w, watch, "g1", datetime(2026, 12, 7, 7, 1, tzinfo=UTC))
    assert second is not None and second.week == IsoWeek(2026, 49)
    assert second.built.record.collected == 2 and second.built.record.frozen
    assert sorted(_counted(workspace).values()) == ["2026-W48"] * 2 + ["2026-W49"] * 2
