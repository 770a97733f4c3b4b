"""The distributed queue in the store's PostgreSQL: procrastinate's tables (`procrastinate_jobs`,
`procrastinate_events`, `procrastinate_workers`) and Watcher's `watcher_queue_workers`, where
each worker records, when it registers, its host, its process and the interval of its
heartbeats (`watcher serve --role worker --heartbeat`).

**One rule says when a worker is silent**, for `watcher status`, the web's queue page and the
scheduler that puts a dead worker's jobs back in the queue alike: no heartbeat for
`SILENT_HEARTBEATS` (3) of **its own** intervals, as it recorded it (`DEFAULT_HEARTBEAT`, 10 s,
for a worker that recorded none: started by a Watcher before this table). A worker started with
`--heartbeat 60` is silent after 3 min, one with `--heartbeat 2` after 6 s, whichever machine
asks. The queries are SQL texts with psycopg's `%(name)s` parameters, run alike through the
store's engine (`read_queue`) and procrastinate's connector (the scheduler), so that the rule is
written once.

**Each job's history**: a worker records, in `watcher_queue_runs`, how long every job it ended
well took, under its kind (`run_key`: a crawl's bucket, as its lock names it, or the task), the
last `KEPT_RUNS` of each kind; `read_queue` gives each running job the durations of the last
runs of its kind, from which `watcher.jobs.distributed` tells a job running unusually long.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from watcher.model import QueueStatus, QueueWorker, RunningJob

SILENT_HEARTBEATS = 3  # a worker silent for this many of its heartbeats is taken for dead
DEFAULT_HEARTBEAT = 10.0  # seconds: `--heartbeat`'s default, for a worker that recorded none
FORGET_AFTER = 24 * 3600  # seconds: a silent worker's row is dropped after a day (its jobs
# were put back in the queue long before); until then status shows it, and since when
FAILED_HOURS = 24  # the failed jobs status counts: those of the last day
SCHEDULER_LOCK = 0x77617463_68657202  # the distributed scheduler's advisory lock

WORKERS_TABLE = "watcher_queue_workers"
CREATE_WORKERS = f"""
CREATE TABLE IF NOT EXISTS {WORKERS_TABLE} (
    worker_id bigint PRIMARY KEY REFERENCES procrastinate_workers(id) ON DELETE CASCADE,
    heartbeat double precision NOT NULL CHECK (heartbeat > 0),
    host text NOT NULL,
    pid integer NOT NULL
)"""
RECORD_WORKER = (
    f"INSERT INTO {WORKERS_TABLE} (worker_id, heartbeat, host, pid) "
    "VALUES (%(worker_id)s, %(heartbeat)s, %(host)s, %(pid)s)"
)
RUNS_TABLE = "watcher_queue_runs"
KEPT_RUNS = 20  # the successful runs of each kind of job kept (the oldest dropped)
CREATE_RUNS = f"""
CREATE TABLE IF NOT EXISTS {RUNS_TABLE} (
    id bigserial PRIMARY KEY,
    key text NOT NULL,
    task text NOT NULL,
    seconds double precision NOT NULL CHECK (seconds >= 0),
    ended timestamptz NOT NULL DEFAULT now()
)"""
CREATE_RUNS_INDEX = f"CREATE INDEX IF NOT EXISTS {RUNS_TABLE}_key ON {RUNS_TABLE} (key, id)"
# one statement (procrastinate's connector runs one): the run added, and the kind's runs but
# the last KEPT_RUNS dropped (the DELETE does not see the row the INSERT adds: it keeps one less)
RECORD_RUN = (
    f"WITH added AS (INSERT INTO {RUNS_TABLE} (key, task, seconds) "
    "VALUES (%(key)s, %(task)s, %(seconds)s) RETURNING id) "
    f"DELETE FROM {RUNS_TABLE} WHERE key = %(key)s AND id NOT IN "
    f"(SELECT id FROM {RUNS_TABLE} WHERE key = %(key)s ORDER BY id DESC LIMIT {KEPT_RUNS - 1})"
)


def run_key(task: str, lock: str | None) -> str:
    """The kind of a job, whose past runs tell how long it usually takes: a crawl's bucket (its
    lock, `crawl:<count>:<bucket>`: the same domains each time), any other job's task (a
    digest, the analysis, the outbox, a dossier's file: alike whatever their lock)."""
    return lock if lock and lock.startswith("crawl:") else task


# before any role of this Watcher created the table: every worker at the default
_NONE_RECORDED = (
    "(SELECT NULL::bigint AS worker_id, NULL::float8 AS heartbeat, NULL::text AS host, "
    "NULL::integer AS pid WHERE false)"
)


def _workers(recorded: str = WORKERS_TABLE) -> str:
    """Every worker with its interval and whether it is silent at %(now)s (the database's clock
    when null)."""
    interval = f"coalesce(x.heartbeat, {DEFAULT_HEARTBEAT})"
    return (
        f"SELECT w.id, w.last_heartbeat, x.host, x.pid, {interval} AS heartbeat, "
        f"{SILENT_HEARTBEATS} * {interval} AS silent_after, "
        "w.last_heartbeat < coalesce(%(now)s::timestamptz, now()) "
        f"- make_interval(secs => {SILENT_HEARTBEATS} * {interval}) AS silent "
        f"FROM procrastinate_workers w LEFT JOIN {recorded} x ON x.worker_id = w.id"
    )


def _running(recorded: str = WORKERS_TABLE) -> str:
    """Every job taken and not ended, with its start, and whether its worker is silent or
    gone (stalled)."""
    return (
        f"WITH workers AS ({_workers(recorded)}) "
        "SELECT j.id, j.task_name, j.lock, j.worker_id, "
        "(SELECT max(e.at) FROM procrastinate_events e "
        " WHERE e.job_id = j.id AND e.type = 'started') AS started, "
        "(w.id IS NULL OR w.silent) AS stalled "
        "FROM procrastinate_jobs j LEFT JOIN workers w ON w.id = j.worker_id "
        "WHERE j.status = 'doing' ORDER BY j.id"
    )


WORKERS = _workers()
RUNNING_JOBS = _running()  # the scheduler retries those whose `stalled` is true


def read_queue(engine: Engine, now: datetime, *, runs: int = 10) -> QueueStatus | None:
    """The queue at `now` (the silence of each worker is judged at `now`, against the
    heartbeats the database stamped: the machines' clocks are expected to agree, NTP), each
    running job with the durations of the last `runs` successful runs of its kind; None on a
    SQLite store, or before any role has created procrastinate's tables."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:

        def rows(sql: str, **params: Any) -> list[Any]:
            return list(conn.exec_driver_sql(sql, params).all())

        made = rows(
            "SELECT to_regclass('procrastinate_jobs') IS NOT NULL, "
            f"to_regclass('{WORKERS_TABLE}') IS NOT NULL, "
            f"to_regclass('{RUNS_TABLE}') IS NOT NULL"
        )[0]
        if not made[0]:
            return None
        recorded = WORKERS_TABLE if made[1] else _NONE_RECORDED
        holder = rows(
            "SELECT a.query_start FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND l.classid = %(high)s AND l.objid = %(low)s",
            high=SCHEDULER_LOCK >> 32,
            low=SCHEDULER_LOCK & 0xFFFFFFFF,
        )
        taken = rows(_running(recorded), now=now)
        keys = sorted({run_key(row.task_name, row.lock) for row in taken})
        history: dict[str, list[float]] = {}
        if made[2] and keys:  # the runs table: none before a role of this Watcher made it
            for key, seconds in rows(
                "SELECT key, seconds FROM (SELECT key, seconds, row_number() OVER "
                f"(PARTITION BY key ORDER BY id DESC) AS n FROM {RUNS_TABLE} "
                "WHERE key = ANY(%(keys)s)) last WHERE n <= %(runs)s ORDER BY key, n",
                keys=keys,
                runs=runs,
            ):
                history.setdefault(key, []).append(float(seconds))
        running = tuple(
            RunningJob(
                id=row.id,
                task=row.task_name,
                lock=row.lock,
                started=row.started,
                worker_id=row.worker_id,
                stalled=bool(row.stalled),
                recent=tuple(history.get(run_key(row.task_name, row.lock), ())),
            )
            for row in taken
        )
        on = {job.worker_id: job for job in running if job.worker_id is not None}
        workers = tuple(
            QueueWorker(
                id=row.id,
                last_heartbeat=row.last_heartbeat,
                host=row.host,
                pid=row.pid,
                heartbeat=float(row.heartbeat),
                silent_after=float(row.silent_after),
                silent=bool(row.silent),
                job=on.get(row.id),
            )
            for row in rows(_workers(recorded) + " ORDER BY w.id", now=now)
        )
        counts: dict[str, dict[str, int]] = {"todo": {}, "doing": {}}
        for task, status, n in rows(
            "SELECT task_name, status::text, count(*) FROM procrastinate_jobs "
            "WHERE status IN ('todo', 'doing') GROUP BY 1, 2 ORDER BY 1"
        ):
            counts[status][task] = n
        oldest = rows(
            "SELECT j.task_name, min(e.at) FROM procrastinate_jobs j JOIN procrastinate_events e "
            "ON e.job_id = j.id AND e.type = 'deferred' WHERE j.status = 'todo' "
            "GROUP BY j.id, j.task_name ORDER BY 2 LIMIT 1"
        )
        failed = rows(
            "SELECT count(DISTINCT j.id) FROM procrastinate_jobs j JOIN procrastinate_events e "
            "ON e.job_id = j.id AND e.type = 'failed' WHERE j.status = 'failed' "
            "AND e.at >= %(now)s::timestamptz - make_interval(hours => %(hours)s)",
            now=now,
            hours=FAILED_HOURS,
        )
    return QueueStatus(
        at=now,
        scheduler=bool(holder),
        last_tick=holder[0][0] if holder else None,
        workers=workers,
        waiting=counts["todo"],
        running=counts["doing"],
        oldest_waiting=(oldest[0][0], oldest[0][1]) if oldest else None,
        running_jobs=running,
        failed=failed[0][0] if failed else 0,
        failed_hours=FAILED_HOURS,
    )
