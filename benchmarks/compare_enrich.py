"""Per-item enrichment cost of two checkouts of Watcher, side by side in one run (issue 18).

``python -m benchmarks.compare_enrich OLD_ROOT [NEW_ROOT] [--pairs 4] [--copies 8]``

Each side runs in its own child process (``--side ROOT``) that imports Watcher from ROOT and
times ``Enricher.enrich_with`` (spaCy NER, entities, axes and topics of the starter watch,
references, fingerprints: what ``process`` does per item, one process) on the same texts:
the 200 real paragraphs of tests/data/topics/news_fr.yml, ``--copies`` times. Sides take
turns, ``--pairs`` times; the figure is each side's median CPU time. An old checkout is made
with ``git worktree add /tmp/base <commit>``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from benchmarks.quality_refs import TODAY

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "topics" / "news_fr.yml"


def side(root: str, copies: int) -> dict[str, float]:
    sys.path.insert(0, root)
    from importlib import resources

    import yaml

    from watcher.config import parse_watch
    from watcher.taxonomy import topic_specs
    from watcher.understand.nlp import Enricher, load_pipeline
    from watcher.understand.process import _item_work, axis_specs

    paragraphs = yaml.safe_load(DATA.read_text(encoding="utf-8"))["paragraphs"]
    docs = [(p["id"].replace("-", " "), p["text"]) for p in paragraphs] * copies
    text = resources.files("watcher").joinpath("starter/sources.yml").read_text("utf-8")
    watch = parse_watch(text, Path("sources.yml"))
    enricher = Enricher(axis_specs(watch), topic_specs(watch))
    load_pipeline()
    work = _item_work
    if "today" in inspect.signature(_item_work).parameters:  # older checkouts read the clock
        work = partial(_item_work, today=TODAY)  # the quality sets' fixed date
    list(enricher.enrich_with(docs[:64], work))  # warm-up
    cpu, wall = time.process_time(), time.perf_counter()
    n = sum(1 for _ in enricher.enrich_with(docs, work, batch_size=64))
    return {"items": n, "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?")
    parser.add_argument("new", nargs="?", default=str(ROOT))
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--side")
    args = parser.parse_args()
    if args.side:
        print(json.dumps(side(args.side, args.copies)))
        return
    if not args.old:
        parser.error("give the root of the old checkout")
    runs: dict[str, list[float]] = {args.old: [], args.new: []}
    for i in range(args.pairs):
        order = (args.old, args.new) if i % 2 == 0 else (args.new, args.old)
        for root in order:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.compare_enrich", "--side", root,
                 "--copies", str(args.copies)],
                check=True, capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            runs[root].append(json.loads(out.stdout.strip().splitlines()[-1])["cpu"])
    old, new = statistics.median(runs[args.old]), statistics.median(runs[args.new])
    print(f"CPU seconds per run (median of {args.pairs}): old {old:.3f}, new {new:.3f}")
    print(f"new / old: {new / old:.3f}   runs: {json.dumps(runs)}")


if __name__ == "__main__":
    main()
