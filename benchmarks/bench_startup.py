"""The CLI's start-up: wall time of light commands, this tree next to another version.

Each command (``watcher --help``, ``check``, ``status``, ``search x``) runs ``--runs`` times in a
fresh interpreter, alternating the two trees (the other one is ``git archive <--base>`` unpacked
in a temporary folder, put first on PYTHONPATH), in a demo watch (``watcher demo --port 0``, or
``--watch DIR``); the median and the spread of each are printed side by side, with the load.
Also: the third-party packages each command imported, in each tree.

    .venv/bin/python -m benchmarks.bench_startup                  # against main, 7 runs
    .venv/bin/python -m benchmarks.bench_startup --base HEAD~3 --runs 11 --watch demo-watch
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (["--help"], ["check"], ["status"], ["search", "x"])
RUN = "import sys; from watcher.cli.main import main; sys.argv[0] = 'watcher'; main()"
SHOW = """
import atexit, sys
def show():
    names = {m.split(".")[0] for m in sys.modules} - set(sys.stdlib_module_names)
    names -= {"watcher", "cython_runtime"}
    shown = sorted(n for n in names if not n.startswith("_"))
    print("LOADED", *shown, file=sys.stderr)
atexit.register(show)
"""
LOADED = SHOW + RUN  # the third-party packages the command imported (top-level names)


def _tree(base: str, into: Path) -> Path:
    """The `watcher` package of ``base`` (a git revision), unpacked under ``into``."""
    archive = into / "base.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", base, "watcher"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def _demo_watch(into: Path) -> Path:
    watch = into / "demo-watch"
    subprocess.run(
        [sys.executable, "-c", RUN, "demo", "--dir", str(watch), "--port", "0"],
        cwd=into,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return watch


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "100"}


def _once(tree: Path, command: list[str], watch: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", RUN, *command],
        cwd=watch,
        env=_env(tree),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _loaded(tree: Path, command: list[str], watch: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *command],
        cwd=watch,
        env=_env(tree),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("LOADED")]
    return " ".join(lines[-1].split()[1:]) if lines else "?"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="the git revision to compare with")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--watch", type=Path, help="a collected watch (default: a new demo)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        work = Path(tmp)
        trees = {args.base: _tree(args.base, work), "this tree": ROOT}
        watch = args.watch.resolve() if args.watch else _demo_watch(work)
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'command':14} " + " ".join(f"{name[:22]:>24}" for name in trees))
        for command in COMMANDS:
            times: dict[str, list[float]] = {name: [] for name in trees}
            for _ in range(args.runs):  # alternate, so load changes hit both alike
                for name, tree in trees.items():
                    times[name].append(_once(tree, command, watch))
            cells = [
                f"{statistics.median(t):6.3f} s ({min(t):.2f}–{max(t):.2f})" for t in times.values()
            ]
            print(f"{' '.join(command):14} " + " ".join(f"{c:>24}" for c in cells))
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("\nthird-party packages imported:")
        for command in COMMANDS:
            for name, tree in trees.items():
                print(f"  {' '.join(command):12} {name[:10]:10} {_loaded(tree, command, watch)}")


if __name__ == "__main__":
    main()
