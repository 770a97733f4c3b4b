"""`watcher serve`: APScheduler wiring only — the jobs are the use cases of watcher.jobs.

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
- at start-up, each group's latest missed digest is sent once (coalesced), from the store's
  "last digest week" — the job store is in memory and the jobs are defined here, in code
  (no pickled jobs to go stale between releases);
- each crawl runs in a process of its own, forked by this process' crawl worker (crawl_due,
  watcher.collect.worker), `max_instances=1` and `coalesce=True` everywhere;
- SIGTERM or Ctrl-C: no new job starts, running ones finish, then the process exits 0.
"""

from __future__ import annotations

import importlib
import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from watcher import jobs
from watcher.config import DAY_NAMES_FR, Group, Watch
from watcher.report.mail import MailConfigError
from watcher.store import Store
from watcher.watch_file import WatchFile
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
    report = jobs.run_due_crawl_and_process(workspace, watch, _now())
    results = report.crawl.results
    if results:
        log.info(
            "collecte : %d source(s), %d nouvel(s) article(s), %d en échec ; %d analysé(s)",
            len(results),
            sum(r.new for r in results),
            len(report.crawl.failed),
            report.processed,
        )
    if report.index_waiting:
        log.warning(
            "index occupé par une autre écriture (watcher reindex ?) : %d article(s) analysé(s) "
            "y entreront au prochain passage",
            report.index_waiting,
        )
    if watch.mail is not None:
        try:
            delivery = jobs.deliver_outbox(workspace, watch, _now())
        except MailConfigError as exc:
            log.error("boîte d'envoi : %s", exc)
            return
        _log_delivery("relance de la boîte d'envoi", delivery)


def digest_job(workspace: Workspace, watch_file: WatchFile, group_id: str) -> None:
    watch = watch_file.current()
    group = next((g for g in watch.groups if g.id == group_id), None)
    if group is None:  # removed from sources.yml since the last tick: its job goes at the next
        log.info("digest %s : ce groupe n'est plus dans sources.yml, rien à envoyer", group_id)
        return
    try:  # a complete week; without mail: published (archived and frozen) only
        outcome = jobs.scheduled_digest(workspace, watch, group_id, _now())
    except (MailConfigError, jobs.DigestRuleError) as exc:
        log.error("digest %s : %s", group_id, exc)
        return
    if outcome is None:
        log.info("digest %s : une semaine plus récente est déjà envoyée, rien à envoyer", group_id)
        return
    log.info("digest %s %s : %s", group_id, outcome.week, outcome.built.html_path)
    _log_delivery(f"digest {group_id} {outcome.week}", outcome.delivery)


def catch_up_job(workspace: Workspace, watch_file: WatchFile) -> None:
    for outcome in jobs.catch_up_digests(workspace, watch_file.current(), _now()):
        _log_delivery(f"rattrapage du digest {outcome.group_id} {outcome.week}", outcome.delivery)


def _log_delivery(what: str, delivery: jobs.DeliveryReport) -> None:
    if delivery.sent:
        log.info("%s : envoyé à %s", what, ", ".join(delivery.sent))
    for address, reason in delivery.refused:
        log.warning("%s : refusé pour %s (%s)", what, address, reason)
    for address, reason, when in delivery.retrying:
        log.warning("%s : %s à réessayer à %s (%s)", what, address, when, reason)
    for address in delivery.unconfirmed:
        log.error("%s : envoi non confirmé pour %s (voir `watcher outbox`)", what, address)
    if delivery.error:
        log.error("%s : %s", what, delivery.error)


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
            changes.append(f"digest {job.id.removeprefix(DIGEST_JOB)} retiré")
    for job_id, group in wanted.items():
        trigger = digest_trigger(group, watch.watch.timezone)
        job = scheduler.get_job(job_id)
        if job is None:
            scheduler.add_job(
                digest_job,
                trigger,
                args=(workspace, watch_file, group.id),
                id=job_id,
                name=f"digest hebdomadaire {group.id}",
                misfire_grace_time=DIGEST_GRACE,
                replace_existing=True,
            )
            changes.append(f"digest {group.id} ajouté ({_when(group)})")
        elif repr(job.trigger) != repr(trigger):  # the repr has every field and the timezone
            scheduler.reschedule_job(job_id, trigger=trigger)
            changes.append(f"digest {group.id} reprogrammé ({_when(group)})")
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
                counts = f"{len(watch.groups)} groupe(s), {len(watch.sources)} source(s)"
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
        name="rattrapage des digests manqués",
        next_run_time=_now(),
    )
    return scheduler


class _Stop(BaseException):
    """Raised in the main thread by SIGTERM/SIGINT."""


def _load_web() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("watcher.web")
    except ModuleNotFoundError as exc:
        if exc.name not in ("watcher.web",):
            raise
        return None
    run_web = getattr(module, "run_web", None)
    return run_web if callable(run_web) else None


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
    run_web = _load_web() if web else None
    # create the schema before jobs run in parallel (Store() racing on a fresh database fails)
    Store(workspace.db).close()
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
            on_ready("web" if run_web else "scheduler")
        if run_web is not None:
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
