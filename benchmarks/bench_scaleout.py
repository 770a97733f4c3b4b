"""Scale-out: items crawled and processed per second by the distributed mode (PostgreSQL, one
scheduler, 1, 2, 3 worker processes: `watcher serve --role scheduler|worker`) side by side
with the embedded mode (one process crawling then processing, as `watcher serve`'s tick and
`watcher crawl` + `watcher process` do) on SQLite, and on PostgreSQL, over the same local sites.

The sites are bench_crawl's: `--domains` loopback "domains" (127.0.0.2, 127.0.0.3, …, one
`HostSite` each, HTTP/1.1, `--latency` added to every answer), `--feeds` RSS feeds of `--items`
generated items spread over them, the watch's default politeness (delay 1 s, 2 requests at a
time per domain, robots.txt, AutoThrottle) — the same settings in every mode.

Each configuration runs in its own child (`common.run_phase`), with its own throwaway
PostgreSQL cluster (`tests/pg_cluster.py`: initdb in a temporary folder, a unix socket, fsync
off as in the tests) and its own watch folder. The roles are real `watcher` processes; the
embedded side is one process running the use cases `watcher serve` runs each tick
(`jobs.collect.crawl`, then `jobs.collect.process`). Every process is started and ready (its
imports done) before the clock starts, as a long-lived `watcher serve` is:

- **distributed**: the workers are started and say « travailleur prêt »; then the scheduler is
  started; the clock starts when it logs « planificateur actif » (just before its first tick
  reads what is due and enqueues one job per bucket of domains). The crawl is over once the
  store has every source attempted since then and the job queue has no crawl job waiting or
  running; the processing once the store has no item waiting to be enriched and the queue no
  processing job. Their ends are the times of the last crawl job's and processing job's log
  lines (« paquet … », « analyse … »: only their times are read, not their wording);
- **embedded**: the process says it is ready, then is told to go; it notes the times itself.

CPU: each Watcher process with every descendant (the crawl worker, the crawl children it forks),
read from /proc at the start and the end (start-up excluded, except the scheduler's, shown
apart); PostgreSQL: the postmaster and every backend (the driver's few queries included). The
write load: PostgreSQL's WAL bytes and rows inserted/updated (pg_stat_wal, pg_stat_database).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import yaml

from benchmarks import common
from benchmarks.bench_crawl import HostSite, rss
from benchmarks.corpus import NOW, Generator, watch_config
from watcher.demo.server import Route
from watcher.distributed import CRAWL, PROCESS
from watcher.store import Store

MODULE = "benchmarks.bench_scaleout"
# a worker's line at the end of a crawl job and of a processing job: only their times are read
# (what was crawled, failed and enriched is read from the store and the job queue, not from
# the wording of these lines)
CRAWL_LINE = "watcher.distributed: paquet "
PROCESS_LINE = "watcher.distributed: analyse : "
FIGURES = (  # each configuration's figures next to the baseline's: (what, key, unit)
    ("wall, first enqueue → all processed", "wall_s", "s"),
    ("items crawled per second", "crawl_items_per_s", "items/s"),
    ("items processed per second (end to end)", "processed_items_per_s", "items/s"),
    ("CPU of Watcher's processes", "cpu_watcher_s", "CPU-s"),
    ("re-crawl an hour later (all 304): wall", "recrawl_wall_s", "s"),
    ("re-crawl: CPU of Watcher's processes", "recrawl_cpu_watcher_s", "CPU-s"),
)
DEADLINE = 1800.0  # seconds: a guard against a run that hangs, not a timing


# --------------------------------------------------------------------------- measuring


def tree_cpu(root: int) -> float:
    """CPU seconds of process `root` and every live descendant, each with the children it has
    reaped (a crawl child that ended is counted in the crawl worker that waited for it)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = sum(int(v) for v in fields[11:15]) / ticks
    ours, grew = {root}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in ours} - ours
        ours |= more
        grew = bool(more)
    return sum(cpu.get(p, 0.0) for p in ours)


def tree_rss_mb(root: int) -> float:
    """Resident memory (MiB) of process `root` and its live descendants (shared pages counted
    in each: an upper bound)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry), int(fields.get("PPid", "0").strip() or 0)
        if pid == root or ppid == root or _is_below(ppid, root):
            total += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    return round(total, 1)


def _is_below(pid: int, root: int) -> bool:
    while pid > 1:
        if pid == root:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return False


def log_time(line: str) -> float:
    """The time (epoch seconds) of a `watcher serve --role` log line (`%(asctime)s`, local)."""
    return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()


def lines(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        if path.exists():
            yield from path.read_text(encoding="utf-8", errors="replace").splitlines()


def wait_until(check: Any, what: str, deadline: float = DEADLINE, every: float = 0.1) -> Any:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(every)  # polling files the processes write: nothing to wait on
    raise TimeoutError(f"{what}: not within {deadline:.0f} s")


# --------------------------------------------------------------------------- the watch


def serve_sites(feeds: int, items: int, domains: int, latency: float) -> list[HostSite]:
    """`domains` HostSites on 127.0.0.2…, `feeds` RSS feeds of `items` items spread over them."""
    gen = Generator(seed=7, sources=feeds)
    per_site: list[dict[str, Route]] = [{} for _ in range(domains)]
    for f in range(feeds):
        headers = {
            "Content-Type": "application/rss+xml; charset=utf-8",
            "Last-Modified": format_datetime(NOW - timedelta(hours=1), usegmt=True),
        }
        body = rss(gen, f"feed-{f:03d}", items, f * items)
        per_site[f % domains][f"/rss/feed-{f:03d}.xml"] = Route(
            body=body, headers=headers, delay=latency, conditional=True
        )
    sites = [HostSite(f"127.0.0.{2 + d}", per_site[d]) for d in range(domains)]
    for site in sites:
        site.start()
    return sites


def write_watch(root: Path, sites: list[HostSite], delay: float) -> Path:
    config = watch_config([], {"delay": delay, "per_domain": 2, "timeout": "30s", "retries": 2})
    config["sources"] = [
        {
            "id": path.rsplit("/", 1)[1].removesuffix(".xml"),
            "kind": "feed",
            "url": site.base + path,
            "axis": "concurrence",
            "every": "1h",
            "allow_private": True,
            "groups": ["g1"],
        }
        for site in sites
        for path in site.routes
    ]
    path = root / "sources.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@contextmanager
def postgres() -> Iterator[Any]:
    """A throwaway cluster, as the tests start one (tests/pg_cluster.py)."""
    sys.path.insert(0, str(common.ROOT / "tests"))
    import pg_cluster

    cluster = pg_cluster.start_cluster()
    try:
        yield cluster
    finally:
        pg_cluster.remove(cluster)


def postmaster_pid(cluster: Any) -> int:
    return int((cluster.data / "postmaster.pid").read_text().split()[0])


def pg_counters(url: str) -> dict[str, int]:
    """WAL bytes (the whole cluster) and the database's commits, connections (sessions) and
    rows written so far."""
    import psycopg

    from watcher.distributed import conninfo

    with closing(psycopg.connect(conninfo(url), autocommit=True)) as conn:
        wal = conn.execute("SELECT wal_bytes::bigint FROM pg_stat_wal").fetchone()
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT xact_commit, sessions, tup_inserted, tup_updated, tup_deleted,"
            " pg_database_size(current_database())"
            " FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        tables = conn.execute(
            "SELECT relname, n_tup_ins + n_tup_upd FROM pg_stat_user_tables"
        ).fetchall()
    assert wal is not None and row is not None
    keys = (
        *("commits", "sessions", "rows_inserted", "rows_updated", "rows_deleted"),
        "database_bytes",
    )
    written = {f"rows written: {name}": int(n) for name, n in tables}
    return {
        "wal_bytes": int(wal[0]),
        **dict(zip(keys, (int(v) for v in row), strict=True)),
    } | written


def written(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """What the run wrote (counters after minus before; the database's size after)."""
    return {
        k: v if k == "database_bytes" else v - before.get(k, 0)
        for k, v in after.items()
        if k == "database_bytes" or v != before.get(k, 0)
    }


def items_stored(database: str | Path) -> tuple[int, int]:
    """(items stored, items still waiting to be enriched)."""
    from watcher.store import Store

    with closing(Store(database)) as store:
        return sum(store.count_items().values()), store.count_pending_enrichment()


def mark_due(database: str | Path) -> None:
    """An hour later: every source's last attempt put back 2 hours (`every: 1h`), so that all
    are due again; their validators and the robots.txt copies stay, as in a real re-crawl."""
    from sqlalchemy import update

    from watcher.store import Store
    from watcher.store.schema import source_state

    earlier = datetime.now(UTC) - timedelta(hours=2)
    with closing(Store(database)) as store, store.engine.begin() as conn:
        conn.execute(update(source_state).values(last_attempt_at=earlier))


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- the runs


def watcher_command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "watcher.cli.main", "--config", str(config), *args]


def queued(store: Any, task: str) -> int:
    """Jobs of `task` waiting or running in the distributed job queue (none before a role made
    the queue's tables)."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        if not conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar():
            return 0
        query = (
            "SELECT count(*) FROM procrastinate_jobs"
            " WHERE task_name = :task AND status IN ('todo', 'doing')"
        )
        return int(conn.execute(text(query), {"task": task}).scalar_one())


def attempted_since(store: Any, since: float) -> tuple[int, int, int]:
    """(sources, those attempted since `since` (epoch seconds), those of them that failed)."""
    from sqlalchemy import func, select

    from watcher.store.schema import source_state

    when = datetime.fromtimestamp(since, UTC)
    failed = source_state.c.last_error_at >= when
    with store.engine.connect() as conn:
        row = conn.execute(
            select(
                func.count(),
                func.count().filter(source_state.c.last_attempt_at >= when),
                func.count().filter(failed),
            )
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


def line_times(text_lines: Iterator[str], marker: str, since: float = 0.0) -> list[float]:
    """The times of the log lines holding `marker`, from `since` on."""
    return [t for line in text_lines if marker in line and (t := log_time(line)) >= since]


def run_distributed(
    root: Path, config: Path, url: str, cluster: Any, workers: int, buckets: int | None
) -> dict:
    """One scheduler (`buckets`: its `--buckets`, None: Watcher's default) and `workers` worker
    processes on PostgreSQL, from the first enqueue to every domain crawled and every item
    processed."""
    env = {**os.environ, "WATCHER_DATABASE_URL": url}
    items_stored(url)  # the store's tables, made before the clock starts
    logs = root / "roles"
    logs.mkdir()
    started: list[subprocess.Popen[bytes]] = []
    watching = Store(url)  # one connection for the driver's polling, not one per look

    def start(name: str, *args: str) -> subprocess.Popen[bytes]:
        with (logs / name).open("wb") as err:
            process = subprocess.Popen(
                watcher_command(config, "serve", *args),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
                cwd=root,
            )
        started.append(process)
        return process

    try:
        pool = [start(f"worker{n}", "--role", "worker") for n in range(workers)]
        paths = [logs / f"worker{n}" for n in range(workers)]
        for path in paths:
            wait_until(lambda p=path: "travailleur prêt" in p.read_text(), f"{path.name} ready")
        pg = postmaster_pid(cluster)
        cpu0 = {p.pid: tree_cpu(p.pid) for p in pool} | {pg: tree_cpu(pg)}
        counters0 = pg_counters(url)
        scheduling = ("--role", "scheduler", *(("--buckets", str(buckets)) if buckets else ()))
        scheduler = start("scheduler", *scheduling)

        def began(name: str) -> float | None:
            found = [log_time(s) for s in lines([logs / name]) if "planificateur actif" in s]
            return found[0] if found else None

        t0 = wait_until(lambda: began("scheduler"), "the scheduler's first tick")
        sources = sum(len(site.routes) for site in SITES)

        def crawled(since: float) -> tuple[float, int] | None:
            """When every source had been attempted since `since` and no crawl job was left
            (the last crawl job's end), and how many of those sources failed."""
            total, attempted, failed = attempted_since(watching, since)
            if total < sources or attempted < total or queued(watching, CRAWL):
                return None
            ends = line_times(lines(paths), CRAWL_LINE, since)
            return (max(ends), failed) if ends else None

        crawl_end, failed = wait_until(lambda: crawled(t0), "every source crawled")
        cpu_crawl = {p.pid: tree_cpu(p.pid) for p in pool} | {pg: tree_cpu(pg)}
        stored, _ = items_stored(url)

        def processed() -> float | None:
            """The last processing job's end, once no item waits and no processing job is
            left."""
            if watching.count_pending_enrichment() or queued(watching, PROCESS):
                return None
            ends = line_times(lines(paths), PROCESS_LINE, t0)
            return max(ends) if ends else None

        process_end = wait_until(processed, "every item processed")
        cpu1 = {p.pid: tree_cpu(p.pid) for p in pool} | {pg: tree_cpu(pg)}
        scheduler_cpu = tree_cpu(scheduler.pid)
        rss = [tree_rss_mb(p.pid) for p in pool]
        counters1 = pg_counters(url)
        _, pending = items_stored(url)

        # the re-crawl an hour later: every source due again, every feed unchanged (304s)
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=120)
        mark_due(url)
        cpu2 = {p.pid: tree_cpu(p.pid) for p in pool} | {pg: tree_cpu(pg)}
        counters2 = pg_counters(url)
        start("scheduler-again", *scheduling)
        again_t0 = wait_until(lambda: began("scheduler-again"), "the second scheduler's tick")
        again_end, again_failed = wait_until(
            lambda: crawled(again_t0), "every source crawled again"
        )
        cpu3 = {p.pid: tree_cpu(p.pid) for p in pool} | {pg: tree_cpu(pg)}
        counters3 = pg_counters(url)
    finally:
        watching.close()
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    text = "\n".join(lines(sorted(logs.iterdir())))
    return {
        "t0": t0,
        "crawl_end": crawl_end,
        "process_end": process_end,
        "items": stored,
        "pending_after": pending,
        "failed_sources": failed,
        "processing_jobs": text.count(PROCESS_LINE),
        "retried_jobs": text.count("ne répond plus"),
        "crawl_jobs": text.count(CRAWL_LINE),
        "cpu_workers_s": [round(cpu1[p.pid] - cpu0[p.pid], 2) for p in pool],
        "cpu_workers_until_crawl_end_s": [round(cpu_crawl[p.pid] - cpu0[p.pid], 2) for p in pool],
        "cpu_scheduler_with_startup_s": round(scheduler_cpu, 2),
        "rss_workers_mb": rss,
        "cpu_postgres_s": round(cpu1[pg] - cpu0[pg], 2),
        "cpu_postgres_until_crawl_end_s": round(cpu_crawl[pg] - cpu0[pg], 2),
        "postgres": written(counters0, counters1),
        "exit_codes": [p.returncode for p in started],
        "recrawl": {
            "t0": again_t0,
            "end": again_end,
            "failed_sources": again_failed,
            "cpu_workers_s": [round(cpu3[p.pid] - cpu2[p.pid], 2) for p in pool],
            "cpu_postgres_s": round(cpu3[pg] - cpu2[pg], 2),
            "postgres": written(counters2, counters3),
        },
    }


def run_embedded(root: Path, config: Path, url: str | None, cluster: Any) -> dict:
    """One process: crawl what is due, then process what is new (`watcher serve`'s tick)."""
    env = dict(os.environ)
    env.pop("WATCHER_DATABASE_URL", None)
    if url:
        env["WATCHER_DATABASE_URL"] = url
    database = url or root / "watcher.db"
    items_stored(database)  # the store's tables, made before the clock starts
    command = [sys.executable, "-m", MODULE, "--phase", "embedded", "--config", str(config)]
    child = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=common.ROOT,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        pg = postmaster_pid(cluster) if cluster else None
        counters0 = pg_counters(url) if url else {}
        cpu0, pg0 = tree_cpu(child.pid), tree_cpu(pg) if pg else 0.0
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "crawled"
        cpu_crawl, pg_crawl = tree_cpu(child.pid), tree_cpu(pg) if pg else 0.0
        child.stdin.write("go\n")
        child.stdin.flush()
        done = json.loads(child.stdout.readline())
        cpu1, pg1 = tree_cpu(child.pid), tree_cpu(pg) if pg else 0.0
        rss = tree_rss_mb(child.pid)
        counters1 = pg_counters(url) if url else {}

        # the re-crawl an hour later: every source due again, every feed unchanged (304s)
        mark_due(database)
        cpu2, pg2 = tree_cpu(child.pid), tree_cpu(pg) if pg else 0.0
        counters2 = pg_counters(url) if url else {}
        child.stdin.write("go\n")
        child.stdin.flush()
        again = json.loads(child.stdout.readline())
        cpu3, pg3 = tree_cpu(child.pid), tree_cpu(pg) if pg else 0.0
        counters3 = pg_counters(url) if url else {}
    finally:
        child.stdin.close()
        child.wait(timeout=120)
    stored, pending = items_stored(database)
    result = {
        **done,
        "items": stored,
        "pending_after": pending,
        "cpu_workers_s": [round(cpu1 - cpu0, 2)],
        "cpu_workers_until_crawl_end_s": [round(cpu_crawl - cpu0, 2)],
        "rss_workers_mb": [rss],
        "exit_codes": [child.returncode],
        "recrawl": {
            **again,
            "cpu_workers_s": [round(cpu3 - cpu2, 2)],
            **({"cpu_postgres_s": round(pg3 - pg2, 2)} if url else {}),
            **({"postgres": written(counters2, counters3)} if url else {}),
        },
    }
    if url:
        result["cpu_postgres_s"] = round(pg1 - pg0, 2)
        result["cpu_postgres_until_crawl_end_s"] = round(pg_crawl - pg0, 2)
        result["postgres"] = written(counters0, counters1)
    else:
        result["sqlite_bytes"] = sum(
            p.stat().st_size for p in root.glob("watcher.db*") if p.is_file()
        )
    return result


def phase_embedded(config: Path) -> None:
    """The embedded process (the driver reads its lines): ready, crawled, then its times; then
    the re-crawl (what `watcher serve`'s tick does an hour later) and its times."""
    from watcher.config import load_watch
    from watcher.jobs import collect as collect_jobs
    from watcher.jobs import open_workspace
    from watcher.workspace import Workspace

    workspace = Workspace.find(config)
    print("ready", flush=True)
    sys.stdin.readline()
    t0 = time.time()
    now = datetime.now(UTC)
    watch = load_watch(workspace.config)
    with open_workspace(workspace) as w:
        # what `run_due_crawl_and_process` (watcher serve's tick) does, with the time between
        crawled = collect_jobs.crawl(w, watch, now)
        crawl_end = time.time()
        print("crawled", flush=True)
        sys.stdin.readline()  # (the driver reads the CPU at the crawl's end meanwhile)
        paused = time.time() - crawl_end
        done = collect_jobs.process(w, watch, now)
        process_end = time.time() - paused
    print(
        json.dumps(
            {
                "t0": t0,
                "crawl_end": crawl_end,
                "process_end": process_end,
                "failed_sources": len(crawled.failed),
                "processing_jobs": 1,
                "enriched": done.enriched,
            }
        ),
        flush=True,
    )
    sys.stdin.readline()  # the re-crawl: every source due again (the driver saw to it)
    t0 = time.time()
    with open_workspace(workspace) as w:
        again = collect_jobs.run_due_crawl_and_process(w, watch, datetime.now(UTC))
    end = time.time()
    failed = len(again.crawl.failed)
    print(json.dumps({"t0": t0, "end": end, "failed_sources": failed}), flush=True)
    sys.stdin.read()  # until the driver has read this process' CPU


SITES: list[HostSite] = []


def phase_run(
    mode: str,
    workers: int,
    feeds: int,
    items: int,
    domains: int,
    latency: float,
    delay: float,
    buckets: int | None = None,
) -> dict[str, Any]:
    """One configuration: `distributed` (PostgreSQL, `workers` workers), `sqlite` or
    `postgresql` (the embedded mode on that store)."""
    SITES[:] = serve_sites(feeds, items, domains, latency)
    try:
        with tempfile.TemporaryDirectory(prefix="wbench-scale-") as tmp:
            root = Path(tmp)
            config = write_watch(root, SITES, delay)
            if mode == "sqlite":
                result = run_embedded(root, config, None, None)
            else:
                with postgres() as cluster:
                    url = cluster.create_database()
                    if mode == "postgresql":
                        result = run_embedded(root, config, url, cluster)
                    else:
                        result = run_distributed(root, config, url, cluster, workers, buckets)
            result["index_bytes"] = folder_bytes(root / "index")
    finally:
        for site in SITES:
            site.stop()
    hits = [h for s in SITES for h in s.hits]
    served = 0
    for site in SITES:
        for h in site.hits:
            route = site.routes.get(h.path)
            if h.status == 200 and isinstance(route, Route):
                served += len(route.body)
    spans = [s.times[-1] - s.times[0] for s in SITES if s.times]
    t_first = min(t for s in SITES for t in s.times)
    t_last = max(t for s in SITES for t in s.times)
    result.update(
        not_modified_answers=sum(1 for h in hits if h.status == 304),
        mode=mode,
        workers=workers,
        requests=len(hits),
        feed_bytes=served,
        domain_span_mean_s=round(sum(spans) / len(spans), 3),
        first_to_last_answer_s=round(t_last - t_first, 3),
        most_domains_at_once=most_at_once([(s.times[0], s.times[-1]) for s in SITES if s.times]),
    )
    return result


def most_at_once(spans: list[tuple[float, float]]) -> int:
    """The largest number of domains whose first-to-last answer spans overlap at one time."""
    events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    best = now = 0
    for _, step in events:
        now += step
        best = max(best, now)
    return best


# --------------------------------------------------------------------------- the driver


def name_of(mode: str, workers: int) -> str:
    if mode == "distributed":
        return f"distributed, {workers} worker{'s' if workers > 1 else ''} (PostgreSQL)"
    return f"embedded, {'SQLite' if mode == 'sqlite' else 'PostgreSQL'}"


def summary(run: dict[str, Any], sources: int) -> dict[str, Any]:
    wall = run["process_end"] - run["t0"]
    crawl = run["crawl_end"] - run["t0"]
    cpu = sum(run["cpu_workers_s"])
    cpu_crawl = sum(run["cpu_workers_until_crawl_end_s"])
    items = run["items"]
    again = run["recrawl"]
    again_cpu = sum(again["cpu_workers_s"])
    return {
        "recrawl_wall_s": round(again["end"] - again["t0"], 2),
        "recrawl_cpu_watcher_s": round(again_cpu, 2),
        "recrawl_cpu_per_source_ms": round(1000 * again_cpu / sources, 1),
        "recrawl_cpu_postgres_s": again.get("cpu_postgres_s"),
        "wall_s": round(wall, 2),
        "crawl_s": round(crawl, 2),
        "crawl_items_per_s": round(items / crawl, 1),
        "processed_items_per_s": round(items / wall, 1),
        "cpu_watcher_s": round(cpu, 2),
        "cpu_until_crawl_end_s": round(cpu_crawl, 2),
        "cpu_postgres_s": run.get("cpu_postgres_s"),
        "cpu_per_source_ms_until_crawl_end": round(1000 * cpu_crawl / sources, 1),
        "cpu_per_item_ms": round(1000 * cpu / items, 2),
        "postgres_cpu_per_item_ms": (
            round(1000 * run["cpu_postgres_s"] / items, 2) if "cpu_postgres_s" in run else None
        ),
    }


def drive(
    feeds: int,
    items: int,
    domains: int,
    latency: float,
    delay: float,
    sizes: list[int],
    rounds: int,
    embedded: list[str],
    quick: bool,
    buckets: int | None = None,
) -> None:
    load_before = common.loadavg()
    plan = [("distributed", n) for n in sizes] + [(mode, 1) for mode in embedded]
    runs: list[dict[str, Any]] = []
    for turn in range(rounds):
        for mode, workers in plan:  # the sizes taken in turn: the load moves between rounds
            load = common.loadavg()
            res = common.run_phase(
                MODULE,
                [
                    *("--phase", "run", "--mode", mode, "--workers", str(workers)),
                    *("--feeds", str(feeds), "--items", str(items), "--domains", str(domains)),
                    *("--latency", str(latency), "--delay", str(delay)),
                    *(("--buckets", str(buckets)) if buckets else ()),
                ],
            )
            res.update(turn=turn, load_before=load, load_after=common.loadavg())
            res["summary"] = summary(res, feeds)
            runs.append(res)
            print(f"{name_of(mode, workers)}, round {turn + 1}: {res['summary']}", flush=True)
    rows = []
    base = {
        r["turn"]: r["summary"] for r in runs if (r["mode"], r["workers"]) == (plan[-1][0], 1)
    }  # the baseline: the embedded SQLite run of the same round
    baseline_name = name_of(*plan[-1])
    for mode, workers in plan:
        for r in (r for r in runs if (r["mode"], r["workers"]) == (mode, workers)):
            s, b = r["summary"], base[r["turn"]]
            label = f"{name_of(mode, workers)}, round {r['turn'] + 1} (load {r['load_before'][0]})"
            rows += [
                common.row(
                    f"{label}: {what}",
                    s[key],
                    b[key],
                    baseline_name=baseline_name,
                    ratio=s[key] / b[key],
                    unit=unit,
                )
                for what, key, unit in FIGURES
            ]
            rows += [
                common.row(f"{label}: CPU of PostgreSQL", s["cpu_postgres_s"], unit="CPU-s"),
                common.row(
                    f"{label}: re-crawl: CPU of PostgreSQL",
                    s["recrawl_cpu_postgres_s"],
                    unit="CPU-s",
                ),
            ]
    common.record(
        "scaleout",
        f"{feeds} feeds × {items} items, {domains} domains",
        {
            "params": {
                "feeds": feeds,
                "items": items,
                "domains": domains,
                "latency_s": latency,
                "delay_s": delay,
                "per_domain": 2,
                "robots": True,
                "autothrottle": True,
                "workers": sizes,
                "buckets": buckets or "Watcher's default",
                "embedded": embedded,
                "rounds": rounds,
            },
            "load_before": load_before,
            "load_after": common.loadavg(),
            "rows": rows,
            "runs": runs,
            "memory": {"servers + driver": runs[-1]["memory"]["self_mb"]},
            "notes": [
                f"Server latency {latency * 1000:.0f} ms per answer; crawler delay {delay} s, 2 "
                "requests at a time per domain, robots.txt and AutoThrottle on, in every mode.",
                "Distributed: one crawl job per bucket of domains (`--buckets`; its domains' "
                "sources in one crawl process, every domain at once, the job held `delay` "
                "after its last fetch), one processing job at a time (its "
                "lock). Embedded: one crawl of every domain at once, then "
                "the processing. Then a re-crawl an hour later (every source made due "
                "again, every feed answering 304). Start-up excluded (processes ready before "
                "the clock starts); the scheduler's CPU, start-up included, is in `runs`.",
                "Baseline: the embedded mode on SQLite in the same round; the sizes are run in "
                "turn, round after round, each with its load.",
            ],
        },
        quick=quick,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.site_options(parser, feeds=48, items=10, domains=16)
    parser.add_argument("--workers", default="1,2,3", help="worker counts of the distributed mode")
    parser.add_argument(
        "--embedded", default="postgresql,sqlite", help="stores of the embedded runs (last: base)"
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--buckets", type=int, help="the scheduler's --buckets (default: Watcher's own)"
    )
    parser.add_argument("--phase", choices=("run", "embedded"))
    parser.add_argument("--mode", choices=("distributed", "postgresql", "sqlite"))
    parser.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    if args.phase == "embedded":
        phase_embedded(args.config)
        return 0
    if args.phase == "run":
        common.write_phase(
            args.phase_out,
            phase_run(
                args.mode,
                int(args.workers),
                args.feeds,
                args.items,
                args.domains,
                args.latency,
                args.delay,
                args.buckets,
            ),
        )
        return 0
    if args.quick:
        args.feeds, args.items, args.domains, args.rounds = 6, 3, 3, 1
    sizes = [int(n) for n in args.workers.split(",") if n.strip()]
    embedded = [m.strip() for m in args.embedded.split(",") if m.strip()]
    drive(
        args.feeds,
        args.items,
        args.domains,
        args.latency,
        args.delay,
        sizes,
        args.rounds,
        embedded,
        args.quick,
        args.buckets,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
