"""Smoke test of benchmarks/: a tiny corpus and one tiny run of each benchmark, in subprocesses.

No timing is asserted: only that each benchmark runs and writes a results entry with the
expected keys (figures next to their baselines, machine facts, peak memory). The dossier PDF
(WeasyPrint, ~15 s even for a few items) is left out to stay under a minute.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = 60  # items in the tiny corpus


def runs(corpus: Path) -> dict[str, list[str]]:
    return {
        "process": ["benchmarks.bench_process", "--items", "12", "--procs", "1"],
        "index": [
            *("benchmarks.bench_index", "--items", str(TINY), "--add-items", "20"),
            *("--incremental-items", "40"),  # (28,000 by default: ~40 CPU-s)
        ],
        "search": ["benchmarks.bench_search", "--items", str(TINY), "--rounds", "1"],
        "crawl": [
            *("benchmarks.bench_crawl", "--feeds", "3", "--items", "3", "--domains", "2"),
            *("--latency", "0", "--delay", "0"),
        ],
        "render": ["benchmarks.bench_render", "--items", str(TINY), "--no-pdf", str(corpus)],
        "scaleout": [  # one worker on a throwaway PostgreSQL cluster, then the embedded SQLite
            *("benchmarks.bench_scaleout", "--feeds", "2", "--items", "2", "--domains", "2"),
            *("--workers", "1", "--embedded", "sqlite", "--rounds", "1"),
            *("--latency", "0", "--delay", "0"),
        ],
    }


@pytest.mark.timeout(600)  # a guard against hangs, not a timing: a loaded machine is slow
def test_every_benchmark_writes_its_results(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["WATCHER_BENCH_DATA"] = str(tmp_path / "data")
    env["WATCHER_BENCH_RESULTS"] = str(tmp_path / "res")
    env["PYTHONPATH"] = str(ROOT)
    corpus = tmp_path / "data" / f"c{TINY}"  # the name the index and search benchmarks look for
    # collected week after week (--fetch published): the render benchmark needs it
    command = ["benchmarks.corpus", "--items", str(TINY), "--fetch", "published", "--out"]
    built = subprocess.run(
        [sys.executable, "-m", *command, str(corpus)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert built.returncode == 0, built.stderr
    assert json.loads((corpus / "corpus.json").read_text())["items"] == TINY
    for bench, command in runs(corpus).items():
        done = subprocess.run(
            [sys.executable, "-m", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, f"{bench}: {done.stderr[-2000:]}"
        entry = json.loads((tmp_path / "res" / f"{bench}.json").read_text())[-1]
        assert {"bench", "label", "when", "machine", "rows", "memory", "load_before"} <= set(entry)
        assert {"nproc", "cpu", "python", "libraries", "git"} <= set(entry["machine"])
        assert entry["rows"], bench
        for row in entry["rows"]:
            assert {"metric", "watcher", "baseline", "ratio", "target", "holds"} <= set(row)
        assert any(row["baseline"] is not None for row in entry["rows"]), bench
        if bench == "process":  # the turns in one process enriched each item once
            turns = entry["phases"]["interleaved"]
            assert turns["items"] == 12
            assert len(turns["cpu_ratios"]) == len(turns["ratios"]) == turns["slices"] > 0
            assert all(r > 0 for r in turns["cpu_ratios"])
        if bench == "scaleout":  # every served item crawled and processed in both modes
            assert [(r["mode"], r["items"], r["pending_after"]) for r in entry["runs"]] == [
                ("distributed", 4, 0),
                ("sqlite", 4, 0),
            ]
    latest = (tmp_path / "res" / "latest.md").read_text()
    for bench in runs(corpus):
        assert f"### {bench} — " in latest
