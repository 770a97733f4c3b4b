"""Indexing: items/s into Whoosh (`SearchIndex.add`) and a full `reindex`, against SQLite FTS5.

Phases, each in its own child process, on a corpus built by ``benchmarks.corpus``:

* ``reindex``: ``watcher.understand.process.reindex(watch, store, index)`` into the corpus'
  own ``index/`` (what ``watcher reindex`` does: worker processes read the store and write
  segments, committed together). The search benchmark then uses this index, as a user would
  after a reindex. Its CPU time counts the workers too.
* ``add``: ``SearchIndex.add`` of ``--add-items`` documents prepared beforehand (views read from
  the store and turned into ``IndexDoc`` outside the clock), into an empty index: Whoosh alone.
* ``incremental``: the same, into (a copy of) the full index just rebuilt: ``--incremental-items``
  new items (the corpus's last 5,000 items again and again, under new ids; 28,000 by
  default) in batches of 500, as ``process`` indexes what it enriched: 56 batches, so that
  both steps of the merge policy happen (every eleventh batch merges the ten small segments
  before it, the 56th merges five medium ones), and the rate is what a long backlog gets.
  Run at 10k, 100k and 1M items, it shows whether incremental indexing slows down as the
  index grows. The store's side of it (finding the backlog, reading the items) is timed
  apart.
* ``fts``: the same documents (all of them) into SQLite FTS5 (``benchmarks/fts.py``), prepared
  outside the clock: the baseline, and the database the search benchmark queries.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks import common, fts
from benchmarks.corpus import build

MODULE = "benchmarks.bench_index"


def _du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def phase_reindex(corpus: Path, profile: Path | None) -> dict[str, Any]:
    from watcher.config import load_watch
    from watcher.find.index import SearchIndex
    from watcher.store import Store
    from watcher.understand.process import reindex

    watch = load_watch(corpus / "sources.yml")
    store = Store(corpus / "watcher.db")
    index = SearchIndex(corpus / "index")
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu = common.cpu_seconds()
    start = time.perf_counter()
    count = reindex(watch, store, index)
    seconds = time.perf_counter() - start
    after = common.cpu_seconds()
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    segments = index.segment_count()
    index.close()
    store.close()
    return {
        "items": count,
        "seconds": seconds,
        "cpu_s": after["self"] - cpu["self"] + after["children"] - cpu["children"],
        "segments": segments,
        "index_mb": _du_mb(corpus / "index"),
    }


def phase_add(corpus: Path, items: int) -> dict[str, Any]:
    from watcher.find.index import SearchIndex

    docs, _prep = _index_docs_by_id(corpus, items)
    with tempfile.TemporaryDirectory(prefix="wbench-add-") as tmp:
        index = SearchIndex(Path(tmp) / "index")
        start = time.perf_counter()
        n = index.add(docs)
        seconds = time.perf_counter() - start
        segments = index.segment_count()
        index.close()
        size = _du_mb(Path(tmp) / "index")
    return {"items": n, "seconds": seconds, "segments": segments, "index_mb": size}


def phase_incremental(corpus: Path, items: int) -> dict[str, Any]:
    """``items`` new items into a copy of the corpus's index (hard links: segment files are
    never changed in place), in batches of 500, as ``process`` indexes them."""
    import dataclasses

    from watcher.config import load_watch
    from watcher.find.follow import BATCH
    from watcher.find.index import BATCH_SIZE, SearchIndex
    from watcher.store import Store
    from watcher.understand.process import index_doc

    watch = load_watch(corpus / "sources.yml")
    store = Store(corpus / "watcher.db")
    try:
        ids = sorted(store.indexable_ids())
        start = time.perf_counter()
        backlog_calls = 10
        for _ in range(backlog_calls):
            store.index_changes_after(0, limit=BATCH)  # what a catch-up asks the change log
        backlog_s = (time.perf_counter() - start) / backlog_calls
        chosen = ids[-min(items, 5000) :]
        start = time.perf_counter()
        views = store.views(chosen)
        read_s = time.perf_counter() - start
        base = [index_doc(watch, v) for v in views]
        shift = 10 ** len(str(max(ids)))  # new item ids, after every existing one
        docs = [  # the corpus's last items again (as many times as needed), under new ids
            dataclasses.replace(base[i % len(base)], item_id=shift + i, cluster_id=None)
            for i in range(items)
        ]
        read_s *= items / len(base)
    finally:
        store.close()
    with tempfile.TemporaryDirectory(prefix="wbench-incr-", dir=corpus) as tmp:
        copy = Path(tmp) / "index"
        copy.mkdir()
        for path in (corpus / "index").iterdir():
            if path.is_file() and path.name != "MAIN_WRITELOCK":
                os.link(path, copy / path.name)
        index = SearchIndex(copy)
        before = index.doc_count()
        segments_before = index.segment_count()
        start = time.perf_counter()
        cpu = time.process_time()
        batches = []
        for at in range(0, len(docs), BATCH_SIZE):
            t0 = time.perf_counter()
            index.add(docs[at : at + BATCH_SIZE])
            batches.append(time.perf_counter() - t0)
        seconds = time.perf_counter() - start
        cpu_s = time.process_time() - cpu
        after = index.doc_count()
        segments = index.segment_count()
        index.close()
        shutil.rmtree(copy)
    return {
        "items": len(docs),
        "index_docs": before,
        "added": after - before,
        "seconds": seconds,
        "cpu_s": cpu_s,
        "batches_s": batches,
        "segments": [segments_before, segments],
        "backlog_query_s": backlog_s,
        "read_s": read_s,
    }


def _index_docs_by_id(corpus: Path, limit: int | None) -> tuple[list[Any], float]:
    """The corpus' first ``limit`` items (all if None) as IndexDocs, and the seconds it took."""
    from watcher.config import load_watch
    from watcher.store import Store
    from watcher.understand.process import index_doc

    watch = load_watch(corpus / "sources.yml")
    store = Store(corpus / "watcher.db")
    try:
        # what the reindex phase indexed (enriched items), else every live item
        ids = sorted(store.indexable_ids()) or sorted(
            i.id for i in store.pending_enrichment(everything=True)
        )
        if limit:
            ids = ids[:limit]
        start = time.perf_counter()
        docs = [index_doc(watch, v) for v in store.views(ids)]
        return docs, time.perf_counter() - start
    finally:
        store.close()


def phase_fts(corpus: Path) -> dict[str, Any]:
    """Build the FTS5 database from every indexed item, read from the store in chunks (the
    reading is timed apart, as ``prep_s``)."""
    from watcher.config import load_watch
    from watcher.store import Store
    from watcher.understand.process import index_doc

    watch = load_watch(corpus / "sources.yml")
    store = Store(corpus / "watcher.db")
    ids = sorted(store.indexable_ids()) or sorted(
        i.id for i in store.pending_enrichment(everything=True)
    )
    prep = 0.0

    def docs() -> Iterator[Any]:
        nonlocal prep
        for at in range(0, len(ids), 5000):
            t0 = time.perf_counter()
            chunk = [index_doc(watch, v) for v in store.views(ids[at : at + 5000])]
            prep += time.perf_counter() - t0
            yield from chunk

    start = time.perf_counter()
    n = fts.build(corpus / "fts.db", docs())
    seconds = time.perf_counter() - start - prep
    store.close()
    return {
        "items": n,
        "seconds": seconds,
        "prep_s": prep,
        "db_mb": round((corpus / "fts.db").stat().st_size / 2**20, 1),
    }


def ensure_corpus(items: int) -> Path:
    corpus = (
        common.DATA / f"c{items // 1000}k"
        if items >= 1000 and items % 1000 == 0
        else common.DATA / f"c{items}"
    )
    meta = corpus / "corpus.json"
    if not meta.exists() or json.loads(meta.read_text()).get("items") != items:
        build(corpus, items, log=False)
    return corpus


def drive(
    items: int,
    add_items: int,
    quick: bool,
    profile: bool,
    corpus: Path | None = None,
    skip: frozenset[str] = frozenset(),
    incremental_items: int = 28_000,
) -> None:
    label = f"{items} items" + (f" ({corpus.name} corpus)" if corpus else "")
    corpus = corpus or ensure_corpus(items)
    load_before = common.loadavg()
    prof = ["--profile-to", str(common.DATA / f"reindex-{items}.prof")] if profile else []
    re = common.run_phase(MODULE, ["--phase", "reindex", *prof, str(corpus)])
    add = common.run_phase(MODULE, ["--phase", "add", "--add-items", str(add_items), str(corpus)])
    inc = common.run_phase(
        MODULE, ["--phase", "incremental", "--add-items", str(incremental_items), str(corpus)]
    )
    if "fts" in skip and (corpus / "fts.json").exists():  # the baseline of an earlier run
        base = json.loads((corpus / "fts.json").read_text())
    else:
        base = common.run_phase(MODULE, ["--phase", "fts", str(corpus)])
        (corpus / "fts.json").write_text(json.dumps(base))
    re_ips = re["items"] / re["seconds"]
    add_ips = add["items"] / add["seconds"]
    inc_ips = inc["items"] / inc["seconds"]
    fts_ips = base["items"] / base["seconds"]
    fts_total = base["seconds"] + base["prep_s"]
    rows = [
        common.row(
            f"SearchIndex.add, {add['items']} prepared docs, into an empty index",
            round(add_ips, 1),
            round(fts_ips, 1),
            baseline_name="FTS5 insert",
            ratio=add_ips / fts_ips,
            unit="items/s",
        ),
        common.row(
            f"incremental: SearchIndex.add of {inc['items']} new items in batches of 500 into"
            f" the index of {inc['index_docs']} items",
            round(inc_ips, 1),
            round(fts_ips, 1),
            baseline_name="FTS5 insert",
            ratio=inc_ips / fts_ips,
            unit="items/s",
            target="≥ 300 items/s",
            holds=inc_ips >= 300,
        ),
        common.row(
            "incremental, per CPU-second (robust to load)",
            round(inc["items"] / inc["cpu_s"], 1),
            unit="items/CPU-s",
        ),
        common.row(
            f"full reindex of {re['items']} items (store → Whoosh)",
            round(re_ips, 1),
            round(base["items"] / fts_total, 1),
            baseline_name="FTS5 build incl. reading the store",
            unit="items/s",
        ),
        common.row(
            "full reindex duration",
            round(re["seconds"], 1),
            round(fts_total, 1),
            baseline_name="FTS5 build incl. reading the store",
            ratio=re["seconds"] / fts_total,
            unit="s",
            target=f"≤ {300 * items / 100_000:.0f} s" if items >= 100_000 else "",
            holds=re["seconds"] <= 300 * items / 100_000 if items >= 100_000 else None,
        ),
        common.row(
            "full reindex, CPU time of every process (the workers' included)",
            round(re["cpu_s"], 1),
            unit="CPU-s",
        ),
        common.row(
            "index size",
            re["index_mb"],
            base["db_mb"],
            baseline_name="FTS5 db, content stored",
            unit="MiB",
        ),
        common.row("segments after reindex", re["segments"]),
    ]
    common.record(
        "index",
        label,
        {
            "params": {"items": items, "add_items": add_items},
            "load_before": load_before,
            "load_after": common.loadavg(),
            "rows": rows,
            "phases": {"reindex": re, "add": add, "incremental": inc, "fts": base},
            "memory": {
                "reindex (parent)": re["memory"]["self_mb"],
                "reindex (largest worker)": re["memory"]["children_mb"],
                "add": add["memory"]["self_mb"],
                "incremental": inc["memory"]["self_mb"],
                "fts5 build": base["memory"]["self_mb"],
            },
            "notes": [
                "Reading the store and building IndexDocs (`store.views` + `index_doc`) took "
                f"{base['prep_s']:.1f} s for {base['items']} items "
                f"({base['items'] / base['prep_s']:.0f} items/s); the reindex includes it, the "
                "SearchIndex.add and FTS5 insert rows do not.",
                f"Incremental: {len(inc['batches_s'])} batches of 500, median"
                f" {common.median(inc['batches_s']):.2f} s; the six slowest (those that merge"
                f" segments): {', '.join(f'{b:.2f}' for b in sorted(inc['batches_s'])[-6:])} s;"
                f" segments {inc['segments'][0]} → {inc['segments'][1]}. The store's side per"
                f" batch of 500: finding the backlog {inc['backlog_query_s'] * 1000:.0f} ms,"
                f" reading the items {inc['read_s'] / max(1, inc['items']) * 500 * 1000:.0f} ms.",
            ],
        },
        quick=quick,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--add-items", type=int, default=2000)
    parser.add_argument(
        "--incremental-items",
        type=int,
        default=28_000,
        help="new items added to the full index (56 batches: every merge step happens)",
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--phase", choices=("reindex", "add", "incremental", "fts"))
    parser.add_argument(
        "--reuse-fts", action="store_true", help="keep the FTS5 baseline of an earlier run"
    )
    parser.add_argument("--phase-out", type=Path)
    parser.add_argument("--profile-to", type=Path)
    parser.add_argument("corpus", nargs="?", type=Path, help="corpus folder (default: built)")
    args = parser.parse_args(argv)
    if args.phase:
        if args.phase == "reindex":
            result = phase_reindex(args.corpus, args.profile_to)
        elif args.phase == "add":
            result = phase_add(args.corpus, args.add_items)
        elif args.phase == "incremental":
            result = phase_incremental(args.corpus, args.add_items)
        else:
            result = phase_fts(args.corpus)
        common.write_phase(args.phase_out, result)
        return 0
    items = args.items if not (args.quick and args.items == 10_000) else 2000
    add_items = min(args.add_items, items) if not args.quick else min(500, items)
    skip = frozenset({"fts"} if args.reuse_fts else ())
    incremental = args.incremental_items if not args.quick else min(500, items)
    drive(items, add_items, args.quick, args.profile, args.corpus, skip, incremental)
    return 0


if __name__ == "__main__":
    sys.exit(main())
