"""Search: p50/p95 latency of 30 realistic queries, Watcher (Whoosh) against SQLite FTS5.

Watcher side: the search use case ``watcher.find.search.search(store, index, q, groups=["g1"],
now=NOW)``: first page of 10, facets over the whole result set (5 fields), highlighted title and
snippets, details of the hits from the store, near-duplicate collapsing. The index is the one
left by the indexing benchmark's ``reindex`` (not optimised), opened once (one long-lived
searcher, as the web app does). ``SearchIndex.search`` alone is timed too.

Baseline: ``benchmarks/fts.py`` on the same documents, each query translated by hand to FTS5
(see QUERIES: FTS5 neither stems nor drops stop words, so a stemmed word becomes a prefix query
and stop words are dropped; field values become column filters on phrases).

One warm-up round is discarded, then ``--rounds`` rounds of the 30 queries in a fixed order;
p50 and p95 are over all timed queries. The warm-up round is a fresh process's first
searches: its first query is the "first search" figure.

Search results must not change when the index code does: every query's total, first page
(item ids and scores) and facets are compared with a reference kept in
``results/hits/search-<corpus>.json`` (written with ``--save-hits``, from a run of the code
before a change); the row "same hits as the reference" says how many of the 30 queries agree.
The whole output is compared too, by digest, with ``results/hits/search-<corpus>-output.json``
(the outputs themselves are written to ``<corpus>/search-output.json``): each hit
as the use case gives it (score, highlighted title and snippet, url, source, date, the store's
details and the other sources of its cluster), the facets and the « did you mean », for the
30 queries and for CHECKS (misspellings, a code article under another letter, sorting by
date, a second page, every group), run once after the timed rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.corpus import NOW
from benchmarks.fts import Fts, FtsQuery

MODULE = "benchmarks.bench_search"
GROUP = "g1"
TARGET_P95_MS = 100.0
TARGET_RATIO = 3.0  # p95 against FTS5 with facets, up to 100k items
TARGET_RATIO_1M = 0.5  # the same at a million items
TARGET_FIRST_MS = 200.0  # a fresh process's first search, at 100k items (the goal)
TARGET_MEMORY_MB = {100_000: 300.0, 1_000_000: 1024.0}  # peak memory of the search process


def _ts(d: datetime) -> int:
    return int(d.timestamp())


def _day(s: str) -> int:
    return _ts(datetime.fromisoformat(s).replace(tzinfo=UTC))


@dataclass(frozen=True)
class Query:
    watcher: str
    fts: FtsQuery
    note: str = ""


LAST_7D = (_ts(NOW - timedelta(days=7)), _ts(NOW) + 1)
LAST_30D = (_ts(NOW - timedelta(days=30)), _ts(NOW) + 1)
W = "{title body} : "  # FTS5 column filter: Watcher's words search the title and the text only
QUERIES: tuple[Query, ...] = (
    Query("inflation", FtsQuery(W + "inflation*"), "stem → prefix"),
    Query("hausse des prix", FtsQuery(W + "(hausse* prix)"), "stop word dropped"),
    Query('"hausse des prix"', FtsQuery(W + '"hausse des prix"')),
    Query("démarchage téléphonique", FtsQuery(W + "(demarchage* telephonique*)")),
    Query("service client", FtsQuery(W + "(service* client*)")),
    Query('"relation client"', FtsQuery(W + '"relation client"')),
    Query("reglementation", FtsQuery(W + "reglementation*"), "stem → prefix"),
    Query("marches", FtsQuery(W + "marche*"), "stem → prefix"),
    Query("protection consommateurs", FtsQuery(W + "(protection* consommateur*)")),
    Query(
        'fidélisation OR "carte de fidélité"',
        FtsQuery(W + '(fidelisation* OR "carte de fidelite")'),
    ),
    Query("amende NOT démarchage", FtsQuery(W + "(amende* NOT demarchage*)")),
    Query("title:inflation", FtsQuery("title : inflation*")),
    Query('title:"service client"', FtsQuery('title : "service client"')),
    Query(
        "axis:reglementaire", FtsQuery("axis : reglementaire", by_date=True), "no words: by date"
    ),
    Query("axis:concurrence prix", FtsQuery("axis : concurrence AND " + W + "prix")),
    Query("topic:inflation hausse", FtsQuery("topic : inflation AND " + W + "hausse*")),
    Query("source:src-012", FtsQuery('source : "src-012"', by_date=True)),
    Query("source:src-101 date:30d", FtsQuery('source : "src-101"', LAST_30D, by_date=True)),
    Query("entity:CNIL", FtsQuery("entity : cnil", by_date=True), "FTS: word in the column"),
    Query(
        'entity:"Autorité de la concurrence" amende',
        FtsQuery('entity : "autorite de la concurrence" AND ' + W + "amende*"),
    ),
    Query('entity:"Banque de France"', FtsQuery('entity : "banque de france"', by_date=True)),
    Query("ref:RGPD", FtsQuery("ref : rgpd", by_date=True)),
    Query('ref:"loi 2014-344"', FtsQuery('ref : "loi 2014 344"', by_date=True)),
    Query(
        "ref:eu:celex:32022L2555 notification",
        FtsQuery('ref : "eu celex 32022l2555" AND ' + W + "notification*"),
    ),
    Query(
        'ref:"ISO 10002" service client',
        FtsQuery('ref : "iso 10002" AND ' + W + "(service* client*)"),
    ),
    Query("date:7d", FtsQuery("", LAST_7D, by_date=True), "no words: by date"),
    Query(
        "inflation date:2026-11",
        FtsQuery(W + "inflation*", (_day("2026-11-01"), _day("2026-12-01"))),
    ),
    Query(
        "consommation date:2026-10-01..2026-10-31",
        FtsQuery(W + "consommation*", (_day("2026-10-01"), _day("2026-11-01"))),
    ),
    Query("Valmont date:>=2026-09-01", FtsQuery(W + "valmont", (_day("2026-09-01"), None))),
    Query(
        "taux directeurs Banque centrale européenne",
        FtsQuery(W + "(taux directeur* banque* centrale* europeenne*)"),
    ),
)
assert len(QUERIES) == 30

# (query, sort, page, groups): not timed, their whole output checked against the reference
CHECKS: tuple[tuple[str, str, int, tuple[str, ...] | None], ...] = (
    *((q, "relevance", 1, (GROUP,)) for q in (
        "inflasion", "consomation", "reglementaton", "concurence", "démarchage telephonque",
        "fidelisaton", "protecton", "amande", "R. 221-18", "L. 221-18", "article 6",
        "banque centrale europeene", "premières", "publiée", "sanctoin",
    )),
    ("inflation", "date", 1, (GROUP,)),
    ('"hausse des prix"', "relevance", 2, (GROUP,)),
    ("service client", "relevance", 1, None),
    ("consomation date:30d", "relevance", 1, None),
)  # fmt: skip


def hits_of(page: Any) -> dict[str, Any]:
    """What must not change for a query: total, first page (ids, scores) and facets."""
    results = page.results
    return {
        "total": results.total,
        "hits": [[h.item_id, round(h.score, 6)] for h in results.hits],
        "facets": {k: [[v, n] for v, n in vs] for k, vs in results.facets.items()},
    }


def output_of(page: Any) -> dict[str, Any]:
    """Everything a search shows: what ``hits_of`` keeps, each hit as shown (highlighted title
    and snippet, url, source, date), its store details and its cluster's other sources, and
    the « did you mean »."""
    results = page.results
    return {
        **hits_of(page),
        "pages": results.pages,
        "suggestion": results.suggestion,
        "found": [
            {
                "id": f.hit.item_id,
                "score": round(f.hit.score, 6),
                "title": f.hit.title,
                "title_html": f.hit.title_html,
                "snippet_html": f.hit.snippet_html,
                "url": f.hit.url,
                "source": f.hit.source_id,
                "published": f.hit.published.isoformat() if f.hit.published else None,
                "view": None
                if f.view is None
                else {
                    "id": f.view.item.id,
                    "groups": list(f.view.item.groups),
                    "axes": list(f.view.axes),
                    "topics": list(f.view.topics),
                    "entities": [[m.key, m.name, m.count] for m in f.view.entities],
                    "refs": [[r.key, r.label, r.count] for r in f.view.refs],
                    "cluster": f.view.cluster_id,
                },
                "also": [list(a) for a in f.also],
            }
            for f in page.found
        ],
    }


def _memory() -> dict[str, float]:
    """This process's resident memory now and at its peak (MiB): VmHWM, and RssAnon (its
    own pages) / RssFile (file pages it maps: the page cache, shared and reclaimable)."""
    out: dict[str, float] = {}
    with open("/proc/self/status", encoding="utf-8") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def phase_watcher(corpus: Path, rounds: int, index_dir: Path | None = None) -> dict[str, Any]:
    from watcher.find.index import SCHEMA_VERSION, SearchIndex
    from watcher.find.search import search
    from watcher.store import Store
    from watcher.understand import refs

    index_dir = index_dir or corpus / "index"
    marker = index_dir / "WATCHER_SCHEMA"
    if not marker.exists() or marker.read_text().strip() != SCHEMA_VERSION:
        # opening it would silently recreate it empty: refuse to measure an empty index
        sys.exit(f"{index_dir} is not of index schema {SCHEMA_VERSION}: re-run bench_index")
    store = Store(corpus / "watcher.db")
    index = SearchIndex(index_dir)
    indexed = index.doc_count()
    opened = _memory()
    times: list[list[float]] = [[] for _ in QUERIES]
    cpu: list[list[float]] = [[] for _ in QUERIES]
    index_times: list[list[float]] = [[] for _ in QUERIES]
    first_round: list[float] = []  # a fresh process: segment columns read on first use
    totals = [0] * len(QUERIES)
    hits: list[dict[str, Any]] = []
    outputs: list[dict[str, Any]] = []
    resolve_ref = partial(refs.resolve_reference_query, today=NOW.date())  # as search() does
    for r in range(rounds + 1):
        for i, q in enumerate(QUERIES):
            start, start_cpu = time.perf_counter(), time.process_time()
            page = search(store, index, q.watcher, groups=[GROUP], now=NOW)
            elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            if not r:
                first_round.append(elapsed)
                hits.append(hits_of(page))
                outputs.append(output_of(page))
            start = time.perf_counter()
            index.search(q.watcher, groups=[GROUP], now=NOW, resolve_ref=resolve_ref)
            index_elapsed = time.perf_counter() - start
            if r:  # round 0 warms up
                times[i].append(elapsed)
                cpu[i].append(elapsed_cpu)
                index_times[i].append(index_elapsed)
            totals[i] = page.results.total
    memory = _memory()
    for query, sort, number, groups in CHECKS:
        seen = search(
            store, index, query, groups=list(groups) if groups else None, now=NOW, sort=sort,
            page=number,
        )  # fmt: skip
        outputs.append(output_of(seen))
    index.close()
    store.close()
    return {
        "times": times,
        "cpu": cpu,
        "index_times": index_times,
        "first_round": first_round,
        "totals": totals,
        "indexed": indexed,
        "hits": hits,
        "outputs": outputs,
        "rss": {"opened": opened, "end": memory},
    }


def phase_fts(corpus: Path, rounds: int) -> dict[str, Any]:
    engine = Fts(corpus / "fts.db")
    times: list[list[float]] = [[] for _ in QUERIES]
    cpu: list[list[float]] = [[] for _ in QUERIES]
    no_facets: list[list[float]] = [[] for _ in QUERIES]
    totals = [0] * len(QUERIES)
    for r in range(rounds + 1):
        for i, q in enumerate(QUERIES):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = engine.search(q.fts, GROUP)
            elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            start = time.perf_counter()
            engine.search(q.fts, GROUP, facets=False)
            bare = time.perf_counter() - start
            if r:
                times[i].append(elapsed)
                cpu[i].append(elapsed_cpu)
                no_facets[i].append(bare)
            totals[i] = int(result["total"])
    engine.close()
    return {"times": times, "cpu": cpu, "no_facets": no_facets, "totals": totals}


def _flat(times: list[list[float]]) -> list[float]:
    return [t * 1000 for per in times for t in per]


def hits_reference(corpus: Path) -> Path:
    return common.RESULTS / "hits" / f"search-{corpus.name}.json"


def output_reference(corpus: Path) -> Path:
    return common.RESULTS / "hits" / f"search-{corpus.name}-output.json"


def output_digest(output: dict[str, Any]) -> str:
    """A query's whole output, as a digest (the reference keeps digests; the outputs themselves
    are written beside the corpus, ``search-output.json``, to see what changed)."""
    canonical = json.dumps(output, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compare_outputs(got: list[dict[str, Any]], reference: Path) -> tuple[int, list[str]]:
    """How many of the 30 queries and CHECKS show the reference's whole output, and which
    do not."""
    expected = json.loads(reference.read_text(encoding="utf-8"))["digests"]
    names = [q.watcher for q in QUERIES] + [f"{q} ({s}, page {p}, {g})" for q, s, p, g in CHECKS]
    digests = [output_digest(o) for o in got]
    differ = [n for n, a, b in zip(names, digests, expected, strict=True) if a != b]
    return len(names) - len(differ), differ


def compare_hits(got: list[dict[str, Any]], reference: Path) -> tuple[int, list[str]]:
    """How many queries give the reference's results, and which do not."""
    expected = json.loads(reference.read_text(encoding="utf-8"))["hits"]
    differ = [q.watcher for q, a, b in zip(QUERIES, got, expected, strict=True) if a != b]
    return len(QUERIES) - len(differ), differ


def drive(
    items: int,
    rounds: int,
    quick: bool,
    corpus: Path | None = None,
    save_hits: bool = False,
    index_dir: Path | None = None,
) -> None:
    from benchmarks.bench_index import ensure_corpus

    label = f"{items} items" + (f" ({corpus.name} corpus)" if corpus else "")
    if index_dir is not None:
        label += f", index {index_dir.name}"
    corpus = corpus or ensure_corpus(items)
    if not (index_dir or corpus / "index").exists() or not (corpus / "fts.db").exists():
        sys.exit(
            f"{corpus}: run the indexing benchmark first"
            f" (python -m benchmarks.bench_index --items {items})"
        )
    load_before = common.loadavg()
    where = ["--index-dir", str(index_dir)] if index_dir else []
    mine = common.run_phase(
        MODULE, ["--phase", "watcher", "--rounds", str(rounds), *where, str(corpus)]
    )
    if mine["indexed"] != items:
        sys.exit(f"{corpus}/index holds {mine['indexed']} items, not {items}: re-run bench_index")
    base = common.run_phase(MODULE, ["--phase", "fts", "--rounds", str(rounds), str(corpus)])
    end_rss = mine["rss"]["end"]
    memory_target = next((mb for size, mb in TARGET_MEMORY_MB.items() if items == size), None)
    w = _flat(mine["times"])
    wi = _flat(mine["index_times"])
    b = _flat(base["times"])
    wc = _flat(mine["cpu"])
    bc = _flat(base["cpu"])
    w50, w95, b50, b95 = (
        common.percentile(w, 50),
        common.percentile(w, 95),
        common.percentile(b, 50),
        common.percentile(b, 95),
    )
    target = f"≤ {TARGET_P95_MS:.0f} ms" if items >= 100_000 else ""
    ratio_target = TARGET_RATIO_1M if items >= 1_000_000 else TARGET_RATIO
    rows = [
        common.row(
            "p50, search use case (wall)",
            round(w50, 1),
            round(b50, 2),
            baseline_name="FTS5",
            ratio=w50 / b50,
            unit="ms",
        ),
        common.row(
            "p95, search use case (wall)",
            round(w95, 1),
            round(b95, 2),
            baseline_name="FTS5",
            ratio=w95 / b95,
            unit="ms",
            target=f"{target + ', ' if target else ''}≤ {ratio_target:g}× FTS5",
            holds=(w95 <= TARGET_P95_MS or items < 100_000) and w95 / b95 <= ratio_target,
        ),
        common.row(
            "max, search use case",
            round(max(w), 1),
            round(max(b), 2),
            baseline_name="FTS5",
            unit="ms",
        ),
        common.row(
            "p50, CPU time (robust to the shared machine's load)",
            round(common.percentile(wc, 50), 1),
            round(common.percentile(bc, 50), 2),
            baseline_name="FTS5",
            ratio=common.percentile(wc, 50) / common.percentile(bc, 50),
            unit="ms",
        ),
        common.row(
            "p95, CPU time",
            round(common.percentile(wc, 95), 1),
            round(common.percentile(bc, 95), 2),
            baseline_name="FTS5",
            ratio=common.percentile(wc, 95) / common.percentile(bc, 95),
            unit="ms",
            target=f"{target + ', ' if target else ''}≤ {ratio_target:g}× FTS5",
            holds=(common.percentile(wc, 95) <= TARGET_P95_MS or items < 100_000)
            and common.percentile(wc, 95) / common.percentile(bc, 95) <= ratio_target,
        ),
        common.row(
            "p50 / p95, FTS5 without facet counting (total + page + snippets only)",
            f"{common.percentile(_flat(base['no_facets']), 50):.1f} / "
            f"{common.percentile(_flat(base['no_facets']), 95):.1f}",
            unit="ms",
        ),
        common.row(
            "first search of a fresh process (the first query of the discarded round)",
            round(mine["first_round"][0] * 1000, 1),
            unit="ms",
            target=f"≤ {TARGET_FIRST_MS:.0f} ms" if items == 100_000 else "",
            holds=mine["first_round"][0] * 1000 <= TARGET_FIRST_MS if items == 100_000 else None,
        ),
        common.row(
            "first round (discarded above), max / p95",
            f"{max(mine['first_round']) * 1000:.1f} / "
            f"{common.percentile(_flat([mine['first_round']]), 95):.1f}",
            unit="ms",
        ),
        common.row(
            "peak memory of the search process (VmHWM)",
            mine["memory"]["self_mb"],
            base["memory"]["self_mb"],
            baseline_name="FTS5",
            unit="MiB",
            target=f"≤ {memory_target:.0f} MiB" if memory_target else "",
            holds=mine["memory"]["self_mb"] <= memory_target if memory_target else None,
        ),
        common.row(
            "resident memory after the rounds: own pages (RssAnon) / mapped file pages"
            " (RssFile: page cache, shared)",
            f"{end_rss.get('RssAnon', 0):.0f} / {end_rss.get('RssFile', 0):.0f}",
            unit="MiB",
        ),
        common.row(
            "p50 / p95, SearchIndex.search alone",
            f"{common.percentile(wi, 50):.1f} / {common.percentile(wi, 95):.1f}",
            unit="ms",
        ),
    ]
    reference = hits_reference(corpus)
    if save_hits:
        reference.parent.mkdir(parents=True, exist_ok=True)
        reference.write_text(
            json.dumps({"code": common.git_state(), "hits": mine["hits"]}, ensure_ascii=False),
            encoding="utf-8",
        )
    whole = output_reference(corpus)
    (corpus / "search-output.json").write_text(
        json.dumps(mine["outputs"], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if save_hits:
        digests = [output_digest(o) for o in mine["outputs"]]
        whole.write_text(
            json.dumps({"code": common.git_state(), "digests": digests}, indent=0),
            encoding="utf-8",
        )
    if whole.exists():
        same, differ = compare_outputs(mine["outputs"], whole)
        rows.append(
            common.row(
                f"queries (the 30 and {len(CHECKS)} checks) whose whole output (highlights,"
                f" suggestion, details) is that of {whole.name}"
                f" (code {json.loads(whole.read_text())['code']})",
                f"{same} / {len(QUERIES) + len(CHECKS)}",
                target="all",
                holds=not differ,
            )
        )
        if differ:
            print("whole output differs for:", "; ".join(differ), file=sys.stderr)
    if reference.exists():
        same, differ = compare_hits(mine["hits"], reference)
        rows.append(
            common.row(
                f"queries whose total, first page (ids, scores) and facets are those of"
                f" {reference.name} (code {json.loads(reference.read_text())['code']})",
                f"{same} / {len(QUERIES)}",
                target="all",
                holds=not differ,
            )
        )
    per_query = []
    for i, q in enumerate(QUERIES):
        per_query.append(
            {
                "query": q.watcher,
                "fts5": q.fts.match + (" + date window" if q.fts.window else ""),
                "note": q.note,
                "watcher_ms": round(common.median(mine["times"][i]) * 1000, 1),
                "watcher_index_ms": round(common.median(mine["index_times"][i]) * 1000, 1),
                "watcher_cpu_ms": round(common.median(mine["cpu"][i]) * 1000, 1),
                "fts5_cpu_ms": round(common.median(base["cpu"][i]) * 1000, 2),
                "fts5_ms": round(common.median(base["times"][i]) * 1000, 2),
                "watcher_total": mine["totals"][i],
                "fts5_total": base["totals"][i],
            }
        )
    slow = sorted(per_query, key=lambda p: -p["watcher_ms"])[:5]
    common.record(
        "search",
        label,
        {
            "params": {
                "items": items,
                "indexed": mine["indexed"],
                "rounds": rounds,
                "queries": len(QUERIES),
                "group": GROUP,
            },
            "load_before": load_before,
            "load_after": common.loadavg(),
            "rows": rows,
            "per_query": per_query,
            "memory": {"watcher": mine["memory"]["self_mb"], "fts5": base["memory"]["self_mb"]},
            "notes": [
                "Slowest Watcher queries (median ms, total hits Watcher/FTS5): "
                + "; ".join(
                    f"`{p['query']}` {p['watcher_ms']} ms ({p['watcher_total']}/{p['fts5_total']})"
                    for p in slow
                ),
            ],
        },
        quick=quick,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--phase", choices=("watcher", "fts"))
    parser.add_argument("--phase-out", type=Path)
    parser.add_argument(
        "--save-hits", action="store_true", help="keep these results as the reference"
    )
    parser.add_argument(
        "--index-dir", type=Path, help="the index to search (default: <corpus>/index)"
    )
    parser.add_argument("corpus", nargs="?", type=Path, help="corpus folder (default: built)")
    args = parser.parse_args(argv)
    if args.phase == "watcher":
        common.write_phase(args.phase_out, phase_watcher(args.corpus, args.rounds, args.index_dir))
        return 0
    if args.phase == "fts":
        common.write_phase(args.phase_out, phase_fts(args.corpus, args.rounds))
        return 0
    items = 2000 if args.quick and args.items == 10_000 else args.items
    rounds = 2 if args.quick else args.rounds
    index_dir = args.index_dir.resolve() if args.index_dir else None
    corpus = args.corpus.resolve() if args.corpus else None
    drive(items, rounds, args.quick, corpus, args.save_hits, index_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
