"""Run every benchmark, one after the other (never two heavy ones at once on 2 cores).

    .venv/bin/python -m benchmarks.run_all --quick        # smoke run: 2k items, a few minutes
    .venv/bin/python -m benchmarks.run_all                # 10k and 100k items (hours on 2 cores)
    .venv/bin/python -m benchmarks.run_all --sizes 10000 --only process,index,search

Figures are printed and appended to benchmarks/results/<bench>.json; benchmarks/results/latest.md
is rewritten after each one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from benchmarks import common

BENCHES = ("process", "index", "search", "crawl", "render", "scaleout")


def plan(quick: bool, sizes: list[int], only: set[str]) -> list[list[str]]:
    steps: list[list[str]] = []
    if "process" in only:
        steps.append(["benchmarks.bench_process", *(["--quick"] if quick else ["--items", "2000"])])
    for size in [2000] if quick else sizes:
        flag = ["--quick"] if quick else ["--items", str(size)]
        if "index" in only:
            steps.append(["benchmarks.bench_index", *flag])
        if "search" in only:
            steps.append(["benchmarks.bench_search", *flag])
    if "crawl" in only:
        steps.append(["benchmarks.bench_crawl", *(["--quick"] if quick else [])])
    if "render" in only:
        steps.append(["benchmarks.bench_render", *(["--quick"] if quick else ["--items", "10000"])])
    if "scaleout" in only:
        steps.append(["benchmarks.bench_scaleout", *(["--quick"] if quick else [])])
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2k items, tiny crawl: a smoke run")
    parser.add_argument("--sizes", default="10000,100000", help="corpus sizes for index/search")
    parser.add_argument("--only", default=",".join(BENCHES), help=f"subset of {','.join(BENCHES)}")
    args = parser.parse_args(argv)
    only = {b.strip() for b in args.only.split(",") if b.strip()}
    unknown = only - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    failed = []
    for step in plan(args.quick, sizes, only):
        print(f"\n=== {' '.join(step)} (load {common.loadavg()})", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", *step], cwd=common.ROOT)
        print(f"=== done in {time.perf_counter() - start:.0f} s, exit {code}", flush=True)
        if code:
            failed.append(step[0])
    print(f"\nResults: {common.RESULTS / 'latest.md'}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
