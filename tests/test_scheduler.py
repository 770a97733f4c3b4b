"""The scheduler: when digests are due (controlled time, across DST), catch-up after downtime,
the APScheduler wiring, and one short real run of `watcher serve --no-web`."""

from __future__ import annotations

import email
import itertools
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from apscheduler.job import Job
from apscheduler.schedulers.base import BaseScheduler
from digest_fixtures import (
    Sink,
    SmtpServer,
    config,
    mailed_watch,
    make_watch,
    seed_items,
    write_config,
)

from conftest import rss
from watcher.config import WEEKDAYS, DigestSchedule
from watcher.daemon import DigestSync, build_scheduler, digest_job, digest_trigger, sync_digest_jobs
from watcher.demo.server import LocalSite
from watcher.jobs import open_workspace
from watcher.jobs.digest import catch_up_digests, scheduled_digest, send_weekly_digest
from watcher.report.digest import (
    MAX_CATCH_UP_WEEKS,
    IsoWeek,
    digest_time,
    due_week,
    next_digest_time,
    week_to_catch_up,
    weeks_to_catch_up,
)
from watcher.store import Store
from watcher.watch_file import WatchFile
from watcher.workspace import Workspace

PARIS = ZoneInfo("Europe/Paris")
MONDAY_8 = DigestSchedule(weekday="monday", time="08:00")
SUNDAY_230 = DigestSchedule(weekday="sunday", time="02:30")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --- when is a digest due ---------------------------------------------------------------------


def test_monday_digest_keeps_its_wall_clock_time_across_dst() -> None:
    # spring forward on Sunday 2026-03-29: 08:00 is 07:00Z before, 06:00Z after
    assert digest_time(MONDAY_8, IsoWeek(2026, 12), PARIS) == utc(2026, 3, 23, 7)
    assert digest_time(MONDAY_8, IsoWeek(2026, 13), PARIS) == utc(2026, 3, 30, 6)
    # fall back on Sunday 2026-10-25: 06:00Z before, 07:00Z after
    assert digest_time(MONDAY_8, IsoWeek(2026, 42), PARIS) == utc(2026, 10, 19, 6)
    assert digest_time(MONDAY_8, IsoWeek(2026, 43), PARIS) == utc(2026, 10, 26, 7)


def test_a_time_inside_the_dst_change_fires_once() -> None:
    # 2026-03-29 02:30 does not exist in Paris: it fires at 01:30Z (03:30 on the wall clock)
    assert digest_time(SUNDAY_230, IsoWeek(2026, 12), PARIS) == utc(2026, 3, 29, 1, 30)
    # 2026-10-25 02:30 happens twice: the first one (00:30Z) only
    assert digest_time(SUNDAY_230, IsoWeek(2026, 42), PARIS) == utc(2026, 10, 25, 0, 30)
    # …and a second firing an hour later (APScheduler does fire twice) is the same week:
    # send_weekly_digest is idempotent, so nobody gets it twice
    assert due_week(SUNDAY_230, PARIS, utc(2026, 10, 25, 0, 30)) == IsoWeek(2026, 42)
    assert due_week(SUNDAY_230, PARIS, utc(2026, 10, 25, 1, 30)) == IsoWeek(2026, 42)


def test_due_week_and_next_time() -> None:
    # Monday 2026-11-30 07:59 Paris: W47's digest went out a week ago, W48's is a minute away
    before = utc(2026, 11, 30, 6, 59)
    assert due_week(MONDAY_8, PARIS, before) == IsoWeek(2026, 47)
    assert next_digest_time(MONDAY_8, PARIS, before) == utc(2026, 11, 30, 7)
    at = utc(2026, 11, 30, 7)
    assert due_week(MONDAY_8, PARIS, at) == IsoWeek(2026, 48)
    assert next_digest_time(MONDAY_8, PARIS, at) == utc(2026, 12, 7, 7)
    friday = DigestSchedule(weekday="vendredi", time="17:30")
    assert due_week(friday, PARIS, utc(2026, 11, 27, 16, 31)) == IsoWeek(2026, 47)


@pytest.mark.parametrize(
    "schedule",
    [MONDAY_8, SUNDAY_230, DigestSchedule(weekday="friday", time="17:30")],
    ids=["monday-08:00", "sunday-02:30", "friday-17:30"],
)
def test_apscheduler_trigger_agrees_with_the_pure_schedule_over_a_year(
    schedule: DigestSchedule,
) -> None:
    """Every firing of the daemon's CronTrigger through 2026 (both DST changes) sends the digest
    of the week our pure function says, at the time it says; no week is skipped."""
    watch = make_watch()
    group = watch.groups[0].model_copy(update={"digest": schedule})
    trigger = digest_trigger(group, "Europe/Paris")
    moment = utc(2026, 1, 1)
    covered: list[IsoWeek] = []
    for _ in range(60):  # bounded: a trigger going backwards must fail, not hang
        if moment >= utc(2027, 1, 10):
            break
        fire = trigger.get_next_fire_time(None, moment)
        assert fire is not None
        fire_utc = fire.astimezone(UTC)
        week = due_week(schedule, PARIS, fire_utc)
        if not covered or covered[-1] != week:
            assert digest_time(schedule, week, PARIS) == fire_utc
            covered.append(week)
        else:  # the only repeat: the fall-back night, same week, an hour later
            assert schedule is SUNDAY_230 and fire_utc == utc(2026, 10, 25, 1, 30)
        moment = fire_utc + timedelta(seconds=1)  # in UTC: wall-clock arithmetic drops `fold`
    assert len(covered) >= 52
    for earlier, later in itertools.pairwise(covered):
        assert earlier.following() == later


# --- catching up after downtime -------------------------------------------------------------------


def test_missed_digests_are_caught_up_once_each_oldest_first() -> None:
    # the machine was off for three Mondays; restarted on Wednesday 2026-12-02
    now = utc(2026, 12, 2, 9)
    weeks = [IsoWeek(2026, 46), IsoWeek(2026, 47), IsoWeek(2026, 48)]
    assert weeks_to_catch_up(MONDAY_8, PARIS, now, IsoWeek(2026, 45)) == weeks
    assert week_to_catch_up(MONDAY_8, PARIS, now, IsoWeek(2026, 45)) == IsoWeek(2026, 46)
    # nothing missed
    assert week_to_catch_up(MONDAY_8, PARIS, now, IsoWeek(2026, 48)) is None
    # before Monday's time, last week's digest is not due yet
    assert week_to_catch_up(MONDAY_8, PARIS, utc(2026, 11, 30, 6), IsoWeek(2026, 47)) is None
    # off for months: the last MAX_CATCH_UP_WEEKS weeks only, the oldest holds what came before
    long = weeks_to_catch_up(MONDAY_8, PARIS, now, IsoWeek(2026, 30))
    assert len(long) == MAX_CATCH_UP_WEEKS and long[-1] == IsoWeek(2026, 48)


def test_weeks_missed_while_down_arrive_each_once_with_their_own_week_and_items(
    tmp_path: Path, database: str
) -> None:
    # spring 2027 (Paris goes to UTC+2 on Sunday 28 March): W12's digest goes out on Monday 29
    # at 08:00, then the machine is off until Wednesday 21 April (W16)
    with mailed_watch(tmp_path) as mailed:
        sink, workspace, watch = mailed.sink, mailed.workspace, mailed.watch
        store = Store(workspace.database)
        try:
            for title, moment in (
                ("Collecté dimanche 23 h 30", utc(2027, 3, 28, 21, 30)),  # Paris: W12
                ("Collecté lundi 0 h 30", utc(2027, 3, 28, 22, 30)),  # Paris: W13
                ("Collecté en semaine 14", utc(2027, 4, 6, 8)),
                ("Collecté en semaine 15", utc(2027, 4, 13, 8)),
            ):
                seed_items(store, [("cnil", title, ("reglementaire",), ())], now=moment)
        finally:
            store.close()
        with open_workspace(workspace) as w:
            send_weekly_digest(
                w, watch, "g1", IsoWeek(2027, 12), utc(2027, 3, 29, 6), send=True, timeout=5
            )
            done = catch_up_digests(w, watch, utc(2027, 4, 21, 8), timeout=5)
            again = catch_up_digests(w, watch, utc(2027, 4, 21, 9), timeout=5)
            texts = {str(o.week): o.built.record.text for o in done}
    assert [str(o.week) for o in done] == ["2027-W13", "2027-W14", "2027-W15"] and again == []
    assert all(o.delivery.ok and len(o.delivery.sent) == 3 for o in done)
    # four digests, one copy of each to each of the three recipients
    assert sink.copies() == dict.fromkeys(
        ["lea@example.org", "karim@example.org", "helene@example.org"], 4
    )
    subjects = {
        str(email.message_from_bytes(m.data, policy=default)["Subject"]) for m in sink.messages
    }
    assert {s.split(" (")[0] for s in subjects} == {
        f"[Veille Groupe Éole] Semaine {n}" for n in (12, 13, 14, 15)
    }
    for week, title in (
        ("2027-W13", "Collecté lundi 0 h 30"),
        ("2027-W14", "Collecté en semaine 14"),
        ("2027-W15", "Collecté en semaine 15"),
    ):
        text = texts[week]
        assert title in text and "Reporté" not in text, (week, text)
        assert sum(t in text for t in ("lundi 0 h 30", "semaine 14", "semaine 15")) == 1
    assert "Du 29 mars 2027 au 4 avril 2027" in texts["2027-W13"]
    assert sorted(p.name for p in (workspace.reports / "g1").glob("*.txt")) == [
        f"2027-W{n}.txt" for n in (12, 13, 14, 15)
    ]


def test_the_digest_job_first_sends_the_weeks_it_missed_asleep(
    tmp_path: Path, database: str
) -> None:
    # no mail: section: digests are published (archived, frozen); the machine slept through
    # W14's and W15's Mondays and wakes for W16's: W14, W15 and W16's digest, one each
    workspace = Workspace(write_config(tmp_path / "sources.yml"))
    watch = make_watch()
    store = Store(workspace.database)
    try:
        for week in (13, 14, 15, 16):
            moment = IsoWeek(2027, week).start(PARIS) + timedelta(days=1)
            seed_items(store, [("cnil", f"Semaine {week}", ("reglementaire",), ())], now=moment)
    finally:
        store.close()
    with open_workspace(workspace) as w:
        first = scheduled_digest(w, watch, "g1", digest_time(MONDAY_8, IsoWeek(2027, 13), PARIS))
        last = scheduled_digest(w, watch, "g1", digest_time(MONDAY_8, IsoWeek(2027, 16), PARIS))
        assert first is not None and last is not None and str(last.week) == "2027-W16"
        for week in (13, 14, 15, 16):
            record = w.mails.digest("g1", f"2027-W{week}")
            assert record is not None and record.frozen
            assert f"Semaine {week}" in record.text and "Reporté" not in record.text
            assert sum(f"Semaine {n}\n" in record.text for n in (13, 14, 15, 16)) == 1


def test_a_new_group_gets_a_missed_digest_only_if_it_is_recent() -> None:
    assert week_to_catch_up(MONDAY_8, PARIS, utc(2026, 11, 30, 9), None) == IsoWeek(2026, 48)
    assert week_to_catch_up(MONDAY_8, PARIS, utc(2026, 12, 3, 9), None) is None


# --- wiring --------------------------------------------------------------------------------------


def test_scheduler_has_the_jobs_with_safe_defaults(tmp_path: Path) -> None:
    path = write_config(tmp_path / "sources.yml")
    scheduler = build_scheduler(Workspace(path), WatchFile(path))
    scheduler.start(paused=True)  # job defaults are applied at start; paused: nothing runs
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == {"tick", "digest:g1", "catch-up"}
    for job in jobs.values():
        assert job.coalesce and job.max_instances == 1
    assert jobs["digest:g1"].misfire_grace_time == 6 * 3600
    trigger = jobs["digest:g1"].trigger
    assert str(trigger.timezone) == "Europe/Paris"
    assert trigger.get_next_fire_time(None, utc(2026, 11, 27, 12)) == utc(2026, 11, 30, 7)


# --- following edits of sources.yml ---------------------------------------------------------------

FRIDAY_NOON = utc(2026, 11, 27, 11)  # 12:00 in Paris, Friday of 2026-W48


def group(group_id: str, weekday: str, time: str) -> dict[str, object]:
    first = config()["groups"][0]
    return {
        **first,
        "id": group_id,
        "name": f"Groupe {group_id}",
        "digest": {"weekday": weekday, "time": time},
    }


def edit(path: Path, second: int, **extra: object) -> None:
    """Rewrite sources.yml with a modification time of our choosing (no waiting on the clock)."""
    write_config(path, **extra)
    os.utime(path, ns=(second * 10**9, second * 10**9))


def digest_jobs(scheduler: BaseScheduler) -> dict[str, Job]:
    return {job.id: job for job in scheduler.get_jobs() if job.id.startswith("digest:")}


def local_schedule(job: Job) -> tuple[str, str]:
    moment = job.next_run_time.astimezone(PARIS)
    return WEEKDAYS[moment.weekday()], moment.strftime("%H:%M")


def test_digest_jobs_follow_groups_added_moved_and_removed(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(
        path,
        1,
        groups=[
            group("g1", "lundi", "08:00"),
            group("g3", "vendredi", "17:30"),
            group("g4", "mercredi", "12:00"),
        ],
    )
    workspace, watch_file = Workspace(path), WatchFile(path)
    scheduler = build_scheduler(workspace, watch_file)
    scheduler.start(paused=True)  # paused: nothing runs, the jobs get their next run times
    try:
        before = digest_jobs(scheduler)
        assert set(before) == {"digest:g1", "digest:g3", "digest:g4"}
        g4_trigger = before["digest:g4"].trigger
        g4_next = before["digest:g4"].next_run_time
        edit(
            path,
            2,
            groups=[
                group("g1", "mardi", "09:30"),
                group("g2", "jeudi", "18:00"),
                group("g4", "mercredi", "12:00"),
            ],
        )
        changes = sync_digest_jobs(scheduler, workspace, watch_file, watch_file.current())
        after = digest_jobs(scheduler)
        again = sync_digest_jobs(scheduler, workspace, watch_file, watch_file.current())
    finally:
        scheduler.shutdown(wait=False)
    assert changes == [
        "synthèse g3 retirée",
        "synthèse g1 reprogrammée (mardi 09:30)",
        "synthèse g2 ajoutée (jeudi 18:00)",
    ]
    assert again == []
    assert set(after) == {"digest:g1", "digest:g2", "digest:g4"}
    # g4's schedule did not change: its job was left alone
    assert after["digest:g4"].trigger is g4_trigger
    assert after["digest:g4"].next_run_time == g4_next
    expected = {
        "digest:g1": (("tuesday", "09:30"), utc(2026, 12, 1, 8, 30)),
        "digest:g2": (("thursday", "18:00"), utc(2026, 12, 3, 17)),
        "digest:g4": (("wednesday", "12:00"), utc(2026, 12, 2, 11)),
    }
    for job_id, (schedule, after_friday) in expected.items():
        job = after[job_id]
        assert local_schedule(job) == schedule, job_id
        assert job.next_run_time - datetime.now(UTC) <= timedelta(days=7), job_id
        assert job.trigger.get_next_fire_time(None, FRIDAY_NOON) == after_friday, job_id
        assert job.args == (workspace, watch_file, job_id.removeprefix("digest:"))
        assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 6 * 3600


def test_a_new_timezone_reschedules_the_digests(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(path, 1)
    workspace, watch_file = Workspace(path), WatchFile(path)
    scheduler = build_scheduler(workspace, watch_file)
    scheduler.start(paused=True)
    try:
        edit(path, 2, watch={"name": "Veille", "timezone": "America/Montreal"})
        changes = sync_digest_jobs(scheduler, workspace, watch_file, watch_file.current())
        trigger = digest_jobs(scheduler)["digest:g1"].trigger
    finally:
        scheduler.shutdown(wait=False)
    assert changes == ["synthèse g1 reprogrammée (lundi 08:00)"]
    assert str(trigger.timezone) == "America/Montreal"
    assert trigger.get_next_fire_time(None, FRIDAY_NOON) == utc(2026, 11, 30, 13)


def test_the_tick_resyncs_after_an_edit_and_logs_a_bad_edit_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="watcher.serve")
    path = tmp_path / "sources.yml"
    edit(path, 1)
    workspace, watch_file = Workspace(path), WatchFile(path)
    scheduler = build_scheduler(workspace, watch_file)
    scheduler.start(paused=True)
    try:
        sync = scheduler.get_job("tick").args[1]  # what the tick calls before crawling
        assert isinstance(sync, DigestSync)
        first = sync.refresh()
        assert caplog.messages == []  # nothing changed since start-up

        edit(path, 2, watch={"name": "Veille", "timezone": "Mars/Olympus"})
        assert sync.refresh() is first
        assert sync.refresh() is first
        invalid = [m for m in caplog.messages if m.startswith("sources.yml invalide")]
        assert len(invalid) == 1, caplog.messages
        assert invalid[0].startswith(
            f"sources.yml invalide, la version précédente reste en service : {path}: 1 erreur"
        )
        assert set(digest_jobs(scheduler)) == {"digest:g1"}

        caplog.clear()
        edit(path, 3, groups=[*config()["groups"], group("g2", "jeudi", "18:00")])
        assert [g.id for g in sync.refresh().groups] == ["g1", "g2"]
        assert caplog.messages == [
            "sources.yml relu : 2 groupes, 3 sources ; synthèse g2 ajoutée (jeudi 18:00)"
        ]
        assert set(digest_jobs(scheduler)) == {"digest:g1", "digest:g2"}

        caplog.clear()
        edit(path, 4, watch={"name": "Veille", "timezone": "Mars/Olympus"})
        sync.refresh()  # the same mistake again, after a valid version: said again
        assert len(caplog.messages) == 1 and "invalide" in caplog.messages[0]
    finally:
        scheduler.shutdown(wait=False)


def test_the_digest_of_a_removed_group_does_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="watcher.serve")
    path = tmp_path / "sources.yml"
    edit(path, 1)
    workspace = Workspace(path)
    digest_job(workspace, WatchFile(path), "g9")
    assert caplog.messages == [
        "synthèse g9 : ce groupe n'est plus dans sources.yml, rien à envoyer"
    ]
    assert not workspace.reports.exists()


# --- one short real run ---------------------------------------------------------------------------


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _schedule_at(moment: datetime) -> dict[str, object]:
    local = moment.astimezone(PARIS)
    return {"weekday": WEEKDAYS[local.weekday()], "time": local.strftime("%H:%M")}


def test_serve_crawls_a_local_site_sends_digests_and_stops_on_sigterm(
    site: LocalSite, tmp_path: Path
) -> None:
    """`watcher serve --no-web`: the crawl happens at once, a group whose digest time has just
    passed gets it at start-up (catch-up), a group whose time is the next minute gets it from
    the cron trigger, and SIGTERM ends the process with code 0."""
    (Path(site.root or tmp_path) / "feed.xml").write_bytes(
        rss(
            site.base,
            [
                {
                    "title": "Bloctel : nouvelles règles",
                    "link": f"{site.base}/a1",
                    "guid": "a1",
                    "description": "Le démarchage est encadré.",
                }
            ],
        )
    )
    sink = Sink()
    now = datetime.now(UTC)
    with SmtpServer(sink) as server:
        root = tmp_path / "watch"
        root.mkdir()
        config = {
            "watch": {"name": "Veille en service", "timezone": "Europe/Paris"},
            "crawler": {"delay": 0, "retries": 0, "timeout": "5s"},
            "axes": [{"id": "reglementaire", "label": "Juridique", "keywords": ["démarchage"]}],
            "groups": [
                {
                    "id": "g1",
                    "name": "Groupe 1",
                    "members": [{"name": "Léa", "email": "lea@example.org"}],
                    "digest": _schedule_at(now - timedelta(minutes=1)),
                },
                {
                    "id": "g2",
                    "name": "Groupe 2",
                    "members": [{"name": "Karim", "email": "karim@example.org"}],
                    "digest": _schedule_at(now + timedelta(minutes=1)),
                },
            ],
            "sources": [
                {
                    "id": "flux",
                    "kind": "feed",
                    "url": f"{site.base}/feed.xml",
                    "axis": "reglementaire",
                    "every": "1h",
                    "allow_private": True,
                }
            ],
            "mail": {
                "host": "127.0.0.1",
                "port": server.port,
                "starttls": False,
                "sender": "veille@example.org",
            },
        }
        (root / "sources.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
        workspace = Workspace(root / "sources.yml")
        command = [
            sys.executable,
            "-m",
            "watcher.cli.main",
            "-c",
            str(workspace.config),
            "serve",
            "--no-web",
            "--tick",
            "1",
        ]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:

            def crawled() -> bool:
                if not workspace.db.exists():
                    return False
                store = Store(workspace.database)
                try:
                    return any(i.title == "Bloctel : nouvelles règles" for i in store.list_items())
                finally:
                    store.close()

            wait_for(crawled, 90, "the first crawl")
            wait_for(lambda: "lea@example.org" in sink.copies(), 60, "the caught-up digest")
            wait_for(lambda: "karim@example.org" in sink.copies(), 150, "the cron digest")
            assert child.poll() is None, "serve stopped on its own"
            child.send_signal(signal.SIGTERM)
            _, errors = child.communicate(timeout=90)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    assert child.returncode == 0, errors
    assert "Traceback" not in errors
    assert sink.copies() == {"lea@example.org": 1, "karim@example.org": 1}
    assert any(hit.path == "/feed.xml" for hit in site.hits)
    week = IsoWeek.of(now, PARIS).previous()
    assert (root / "reports" / "g1" / f"{week}.html").exists()
