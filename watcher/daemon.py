"""`watcher serve`: APScheduler wiring only — the jobs are the use cases of watcher.jobs, each
run on the workspace opened for it (`watcher.jobs.open_workspace`).

- one "tick" job every minute: crawl the sources that are due (each on its own `every:`, with
  its failure backoff — the schedule lives in the store, so a restart loses nothing), then
  process what is new, then retry what is due in the outbox;
- one cron job per group: its digest at its weekday and time, in the watch's timezone
  (DST-correct: APScheduler's CronTrigger on the wall clock), for the last complete week and
  under the week rule of watcher.jobs (without a `mail:` section the digest is published:
  archived and frozen, so the next one starts after it);
- sources.yml is read again when it changes (WatchFile): every job runs on the current watch,
  and each tick first brings the digest jobs in step with it (new groups get one, removed
  groups lose theirs, a moved digest is rescheduled); an invalid edit is logged once and the
  last valid version stays in service;
- at start-up, each group's missed digests are sent once each, oldest first, each labelled
  with its own week (at most the last 4: `weeks_to_catch_up`), from the store's
  "last digest week" — the job store is in memory and the jobs are defined here, in code
  (no pickled jobs to go stale between releases);
- each crawl runs in a process of its own, forked by this process' crawl worker (crawl_due,
  watcher.collect.worker), `max_instances=1` and `coalesce=True` everywhere;
- SIGTERM or Ctrl-C: no new job starts, running ones finish, then the process exits 0.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from watcher.config import DAY_NAMES_FR, Group, Watch
from watcher.errors import WatcherError
from watcher.jobs import collect as collect_jobs
from watcher.jobs import digest as digest_jobs
from watcher.jobs import open_workspace
from watcher.jobs.collect import CrawlProcessReport
from watcher.plural import counted, plural
from watcher.report.mail import DeliveryReport, delivery_lines
from watcher.watch_file import WatchFile
from watcher.web import run_web
from watcher.workspace import Workspace

log = logging.getLogger("watcher.serve")
TICK = timedelta(minutes=1)
CRAWL_GRACE = 15 * 60  # seconds
DIGEST_GRACE = 6 * 3600
DIGEST_JOB = "digest:"  # + the group's id


def _now() -> datetime:
    return datetime.now(UTC)


# --- the jobs: module-level functions that call one use case each and log the outcome ---------


def tick_job(workspace: Workspace, sync: DigestSync) -> None:
    watch = sync.refresh()
    with open_workspace(workspace) as w:
        report = collect_jobs.run_due_crawl_and_process(w, watch, _now())
        _log_crawl(report)
        if watch.mail is None:
            return
        try:
            delivery = digest_jobs.deliver_outbox(w, watch, _now())
        except WatcherError as exc:  # a job's errors are logged: the scheduler goes on
            log.error("boîte d'envoi : %s", exc.message)
            return
    _log_delivery("relance de la boîte d'envoi", delivery)


def _log_crawl(report: CrawlProcessReport) -> None:
    results = report.crawl.results
    if results:
        log.info(
            "collecte : %s, %s, %d en échec ; %s",
            counted(len(results), "source"),
            counted(sum(r.new for r in results), "nouvel article", "nouveaux articles"),
            len(report.crawl.failed),
            counted(report.processed, "analysé"),
        )
    if report.index_waiting:
        log.warning(
            "index occupé par une autre écriture (watcher reindex ?) : %s %s au prochain passage",
            counted(report.index_waiting, "article analysé", "articles analysés"),
            plural(report.index_waiting, "y entrera", "y entreront"),
        )


def digest_job(workspace: Workspace, watch_file: WatchFile, group_id: str) -> None:
    watch = watch_file.current()
    group = next((g for g in watch.groups if g.id == group_id), None)
    if group is None:  # removed from sources.yml since the last tick: its job goes at the next
        log.info("synthèse %s : ce groupe n'est plus dans sources.yml, rien à envoyer", group_id)
        return
    try:  # a complete week; without mail: published (archived and frozen) only
        with open_workspace(workspace) as w:
            outcome = digest_jobs.scheduled_digest(w, watch, group_id, _now())
    except WatcherError as exc:  # a job's errors are logged: the scheduler goes on
        log.error("digest %s : %s", group_id, exc.message)
        return
    if outcome is None:
        log.info(
            "synthèse %s : une semaine plus récente est déjà envoyée, rien à envoyer", group_id
        )
        return
    log.info("synthèse %s %s : %s", group_id, outcome.week, outcome.built.html_path)
    _log_delivery(f"digest {group_id} {outcome.week}", outcome.delivery)


def catch_up_job(workspace: Workspace, watch_file: WatchFile) -> None:
    with open_workspace(workspace) as w:
        done = digest_jobs.catch_up_digests(w, watch_file.current(), _now())
    for outcome in done:
        _log_delivery(
            f"rattrapage de la synthèse {outcome.group_id} {outcome.week}", outcome.delivery
        )


def _log_delivery(what: str, delivery: DeliveryReport) -> None:
    for level, line in delivery_lines(what, delivery):
        log.log(level, "%s", line)


# --- wiring -----------------------------------------------------------------------------------


def digest_trigger(group: Group, timezone: str) -> CronTrigger:
    hour, minute = (int(part) for part in group.digest.time.split(":"))
    return CronTrigger(
        day_of_week=group.digest.weekday[:3], hour=hour, minute=minute, timezone=timezone
    )


def _when(group: Group) -> str:
    return f"{DAY_NAMES_FR[group.digest.weekday]} {group.digest.time}"


def sync_digest_jobs(
    scheduler: BaseScheduler, workspace: Workspace, watch_file: WatchFile, watch: Watch
) -> list[str]:
    """Make the scheduler's digest jobs those of `watch`: one per group, at its schedule. Jobs
    whose schedule did not change are left alone. Returns what changed, in French."""
    wanted = {f"{DIGEST_JOB}{group.id}": group for group in watch.groups}
    changes = []
    for job in scheduler.get_jobs():
        if job.id.startswith(DIGEST_JOB) and job.id not in wanted:
            scheduler.remove_job(job.id)
            changes.append(f"synthèse {job.id.removeprefix(DIGEST_JOB)} retirée")
    for job_id, group in wanted.items():
        trigger = digest_trigger(group, watch.watch.timezone)
        job = scheduler.get_job(job_id)
        if job is None:
            scheduler.add_job(
                digest_job,
                trigger,
                args=(workspace, watch_file, group.id),
                id=job_id,
                name=f"synthèse hebdomadaire {group.id}",
                misfire_grace_time=DIGEST_GRACE,
                replace_existing=True,
            )
            changes.append(f"synthèse {group.id} ajoutée ({_when(group)})")
        elif repr(job.trigger) != repr(trigger):  # the repr has every field and the timezone
            scheduler.reschedule_job(job_id, trigger=trigger)
            changes.append(f"synthèse {group.id} reprogrammée ({_when(group)})")
    return changes


class DigestSync:
    """The watch the ticks run on; when sources.yml changed, the digest jobs follow it first.
    Called by the tick only (`max_instances=1`: one call at a time)."""

    def __init__(self, scheduler: BaseScheduler, workspace: Workspace, watch_file: WatchFile):
        self.scheduler = scheduler
        self.workspace = workspace
        self.watch_file = watch_file
        self._synced: Watch | None = None  # the watch the digest jobs were last synced with
        self._reported = ""  # the invalid edit already logged

    def refresh(self) -> Watch:
        watch = self.watch_file.current()
        self._report(self.watch_file.error)
        if watch is not self._synced:
            changes = sync_digest_jobs(self.scheduler, self.workspace, self.watch_file, watch)
            if self._synced is not None:  # not at start-up: nothing was re-read then
                counts = (
                    f"{counted(len(watch.groups), 'groupe')}, "
                    f"{counted(len(watch.sources), 'source')}"
                )
                log.info("sources.yml relu : %s", " ; ".join([counts, *changes]))
            self._synced = watch
        return watch

    def _report(self, error: str) -> None:
        if error and error != self._reported:
            log.warning("sources.yml invalide, la version précédente reste en service : %s", error)
        self._reported = error


def build_scheduler(
    workspace: Workspace, watch_file: WatchFile, *, tick: timedelta = TICK
) -> BackgroundScheduler:
    """The scheduler with every job, not started."""
    timezone = watch_file.current().watch.timezone
    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": CRAWL_GRACE},
        timezone=timezone,
    )
    sync = DigestSync(scheduler, workspace, watch_file)
    scheduler.add_job(
        tick_job,
        IntervalTrigger(seconds=tick.total_seconds(), timezone=timezone),
        args=(workspace, sync),
        id="tick",
        name="collecte, analyse et relances",
        next_run_time=_now(),  # at once: what is due was missed while nothing ran
    )
    sync.refresh()  # one digest job per group
    scheduler.add_job(
        catch_up_job,
        args=(workspace, watch_file),
        id="catch-up",
        name="rattrapage des synthèses manquées",
        next_run_time=_now(),
    )
    return scheduler


class _Stop(BaseException):
    """Raised in the main thread by SIGTERM/SIGINT."""


def serve(
    workspace: Workspace,
    watch: Watch,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    web: bool = True,
    tick: timedelta = TICK,
    on_ready: Callable[[str], None] | None = None,
) -> int:
    """Run the scheduler (and the web app when there is one) until SIGTERM or Ctrl-C.
    `watch`: the caller's valid reading of sources.yml; the file is followed from then on."""
    # create the schema before jobs run in parallel (Store() racing on a fresh database fails)
    with open_workspace(workspace):
        pass
    if isinstance(workspace.database, Path):
        return _serve(workspace, watch, host=host, port=port, web=web, tick=tick, ready=on_ready)
    from watcher.distributed import sole_scheduler  # procrastinate's engine: only on PostgreSQL

    with sole_scheduler(workspace.database):  # not beside a distributed scheduler
        return _serve(workspace, watch, host=host, port=port, web=web, tick=tick, ready=on_ready)


def _serve(
    workspace: Workspace,
    watch: Watch,
    *,
    host: str,
    port: int,
    web: bool,
    tick: timedelta,
    ready: Callable[[str], None] | None,
) -> int:
    on_ready = ready
    scheduler = build_scheduler(workspace, WatchFile(workspace.config, watch), tick=tick)
    stopping = threading.Event()

    def stop(signum: int, _frame: FrameType | None) -> None:
        if not stopping.is_set():
            stopping.set()
            log.info("signal %s reçu : arrêt propre en cours", signal.Signals(signum).name)
            raise _Stop

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    scheduler.start()
    try:
        if on_ready:
            on_ready("web" if web else "scheduler")
        if web:
            run_web(workspace, host, port)
        else:
            while not stopping.wait(3600):
                pass
    except _Stop:
        pass
    finally:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        scheduler.shutdown(wait=True)  # running jobs finish: nothing is left half done
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("planificateur arrêté")
    return 0
