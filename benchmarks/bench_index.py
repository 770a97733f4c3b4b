"""Indexing: items/s into Whoosh (`SearchIndex.add`) and a full `reindex`, against SQLite FTS5.

Phases, each in its own child process, on a corpus built by ``benchmarks.corpus``:

* ``reindex``: ``watcher.understand.process.reindex(watch, store, index)`` into the corpus'
  own ``index/`` (what ``watcher reindex`` does: clear, then read the store and write in chunks
  of 500). The search benchmark then uses this index, as a user would after a reindex.
* ``add``: ``SearchIndex.add`` of ``--add-items`` documents prepared beforehand (views read from
  the store and turned into ``IndexDoc`` outside the clock), into an empty index: Whoosh alone.
* ``fts``: the same documents (all of them) into SQLite FTS5 (``benchmarks/fts.py``), prepared
  outside the clock: the baseline, and the database the search benchmark queries.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
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
    start = time.perf_counter()
    count = reindex(watch, store, index)
    seconds = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    segments = index.segment_count()
    index.close()
    store.close()
    return {
        "items": count,
        "seconds": seconds,
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


def _index_docs_by_id(corpus: Path, limit: int | None) -> tuple[list[Any], float]:
    """The corpus' first ``limit`` items (all if None) as IndexDocs, and the seconds it took."""
    from watcher.config import load_watch
    from watcher.store import Store
    from watcher.understand.process import index_doc

    watch = load_watch(corpus / "sources.yml")
    store = Store(corpus / "watcher.db")
    try:
        # what the reindex phase indexed (enriched items), else every live item
        ids = sorted(store.indexed_ids()) or sorted(
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
    docs, prep = _index_docs_by_id(corpus, None)
    start = time.perf_counter()
    n = fts.build(corpus / "fts.db", docs)
    seconds = time.perf_counter() - start
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
    items: int, add_items: int, quick: bool, profile: bool, corpus: Path | None = None
) -> None:
    label = f"{items} items" + (f" ({corpus.name} corpus)" if corpus else "")
    corpus = corpus or ensure_corpus(items)
    load_before = common.loadavg()
    prof = ["--profile-to", str(common.DATA / f"reindex-{items}.prof")] if profile else []
    re = common.run_phase(MODULE, ["--phase", "reindex", *prof, str(corpus)])
    add = common.run_phase(MODULE, ["--phase", "add", "--add-items", str(add_items), str(corpus)])
    base = common.run_phase(MODULE, ["--phase", "fts", str(corpus)])
    re_ips = re["items"] / re["seconds"]
    add_ips = add["items"] / add["seconds"]
    fts_ips = base["items"] / base["seconds"]
    rows = [
        common.row(
            f"SearchIndex.add, {add['items']} prepared docs",
            round(add_ips, 1),
            round(fts_ips, 1),
            baseline_name="FTS5 insert",
            ratio=add_ips / fts_ips,
            unit="items/s",
        ),
        common.row(
            f"full reindex of {re['items']} items (store → Whoosh)",
            round(re_ips, 1),
            unit="items/s",
        ),
        common.row(
            "full reindex duration",
            round(re["seconds"], 1),
            round(base["seconds"] + base["prep_s"], 1),
            baseline_name="FTS5 build incl. reading the store",
            unit="s",
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
            "phases": {"reindex": re, "add": add, "fts": base},
            "memory": {
                "reindex": re["memory"]["self_mb"],
                "add": add["memory"]["self_mb"],
                "fts5 build": base["memory"]["self_mb"],
            },
            "notes": [
                "Reading the store and building IndexDocs (`store.views` + `index_doc`) took "
                f"{base['prep_s']:.1f} s for {base['items']} items "
                f"({base['items'] / base['prep_s']:.0f} items/s); the reindex includes it, the "
                "SearchIndex.add and FTS5 rows do not.",
            ],
        },
        quick=quick,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--add-items", type=int, default=2000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--phase", choices=("reindex", "add", "fts"))
    parser.add_argument("--phase-out", type=Path)
    parser.add_argument("--profile-to", type=Path)
    parser.add_argument("corpus", nargs="?", type=Path, help="corpus folder (default: built)")
    args = parser.parse_args(argv)
    if args.phase:
        if args.phase == "reindex":
            result = phase_reindex(args.corpus, args.profile_to)
        elif args.phase == "add":
            result = phase_add(args.corpus, args.add_items)
        else:
            result = phase_fts(args.corpus)
        common.write_phase(args.phase_out, result)
        return 0
    items = args.items if not (args.quick and args.items == 10_000) else 2000
    add_items = min(args.add_items, items) if not args.quick else min(500, items)
    drive(items, add_items, args.quick, args.profile, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
