"""Main-text extraction: Watcher's ``extract_article`` next to ``trafilatura.extract`` (issue 18).

Both run on the same pages in one process, taking turns page by page over several rounds
(the machine is shared: turns keep the load even between the two), and the figure is the
ratio of their total times (target: Watcher ≤ 1.2× trafilatura's default extraction, which
gives the main text only, while Watcher also reads the title, dates, author, language and
canonical URL).

Quality is snippet F1 over the same pages (trafilatura's evaluation method): for each page,
snippets that must be in the extracted text ("with") and snippets that must not ("without").
Two sets of pages, measured apart:

* **project pages**: ``tests/fixtures/pages/`` (real pages from trafilatura's evaluation
  cache; the snippets of trafilatura's own evaluation for ``sauvonsluniversite.com.spip.html``)
  and the demo site's article pages (``watcher/demo/site``): their ``<article>`` paragraphs
  must be in, their ``<nav>``, ``<aside>`` and ``<footer>`` texts must be out (derived from
  the page). The byline (``p.meta``) and the category label above the title (``p.rubrique``)
  are neither: they are not the article's text, and neither extractor is asked to keep or
  drop them (``--old-gold`` counts them as "in", as before 2026-12-06);
* **held-out pages**: ``tests/fixtures/heldout/`` (real French news, blog and institution
  pages from other projects' test fixtures, never used to write Watcher's extraction), with
  snippets labelled by hand from each page's HTML before either extractor ran on it
  (``pages.yml``; origins and licences in ``tests/fixtures/PROVENANCE.md``);
* **world pages**: ``tests/fixtures/world/`` (more real pages, French and German: local and
  activist news, an essay site, a newspaper's reader blog, a ministry's consumer page, a club's
  news, legal blogs), labelled the same way, split by a hash of the file name fixed before
  labelling (``world/README.md``): the **development** part is measured by default (and its
  misses listed with ``--errors``); the **held-out** part only with ``--world-heldout``, once,
  at the end of a round of work: no change is tuned on it.

The time ratio moves with the machine's load: ``--repeats K`` measures it K times (each time
``--rounds`` interleaved rounds) and prints every ratio, so the spread is visible.

``python -m benchmarks.bench_extract [--rounds N] [--repeats K] [--profile] [--old-gold]
[--errors] [--world-heldout]``
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import trafilatura
import yaml
from parsel import Selector

from benchmarks.common import record, row
from watcher.collect.extract import extract_article

ROOT = Path(__file__).resolve().parent.parent
REAL_PAGES = ROOT / "tests" / "fixtures" / "pages"
DEMO_SITE = ROOT / "watcher" / "demo" / "site"
HELD_OUT = ROOT / "tests" / "fixtures" / "heldout"
WORLD = ROOT / "tests" / "fixtures" / "world"
# neither in nor out: a demo article's byline and the category label above its title
NOT_ARTICLE_TEXT = ":not(.meta):not(.rubrique)"

# Snippets of the real pages (the AngularJS shell has no article: nothing in, nothing out).
REAL_SNIPPETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # trafilatura's evaluation (tests/comparison_small.py), for the same cached page
    "sauvonsluniversite.com.spip.html": (
        (
            "L’AG Éducation Île-de-France inter-degrés",
            "Grève et mobilisation pour le climat",
            "suivi.reformes.blanquer@gmail.com",
        ),
        ("Sauvons l’Université !", "La semaine de SLU"),
    ),
}


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    html: str
    with_: tuple[str, ...]
    without: tuple[str, ...]


def _texts(selector: Selector, css: str) -> tuple[str, ...]:
    out = []
    for node in selector.css(css):
        text = " ".join(" ".join(node.css("::text").getall()).split())
        if len(text) >= 20:
            out.append(text[:60])
    return tuple(dict.fromkeys(out))


def load_pages(*, old_gold: bool = False) -> list[Page]:
    """The project's pages: the real saved pages and the demo site's articles."""
    pages = []
    for path in sorted(REAL_PAGES.glob("*.html")):
        with_, without = REAL_SNIPPETS.get(path.name, ((), ()))
        html = path.read_text(encoding="utf-8")
        pages.append(Page(path.name, f"https://{path.stem}/", html, with_, without))
    for path in sorted(DEMO_SITE.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        page = Selector(text=html)
        with_ = _texts(page, "article p" if old_gold else f"article p{NOT_ARTICLE_TEXT}")
        if not with_:
            continue
        without = _texts(page, "nav, aside, footer")
        url = f"http://127.0.0.1/{path.relative_to(DEMO_SITE)}"
        pages.append(Page(str(path.relative_to(DEMO_SITE)), url, html, with_, without))
    return pages


def _labelled(folder: Path) -> list[Page]:
    entries = yaml.safe_load((folder / "pages.yml").read_text(encoding="utf-8"))
    return [
        Page(
            entry["file"],
            entry["url"],
            (folder / entry["file"]).read_text(encoding="utf-8"),
            tuple(entry["with"]),
            tuple(entry["without"]),
        )
        for entry in entries
    ]


def load_heldout() -> list[Page]:
    """Pages the extraction code was never written against, with hand-labelled snippets."""
    return _labelled(HELD_OUT)


def world_held_out(name: str) -> bool:
    """The world pages' split (tests/fixtures/world/README.md): by the file name's hash."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 3 == 0


def load_world(*, held_out: bool) -> list[Page]:
    """The world pages of one part: development (held_out=False) or held out."""
    return [page for page in _labelled(WORLD) if world_held_out(page.name) == held_out]


def _normalised(text: str) -> str:
    return " ".join(text.split())


def snippet_scores(pages: list[Page], extract: str) -> dict[str, float]:
    tp = fn = fp = 0
    for page in pages:
        if extract == "watcher":
            text = extract_article(page.html, page.url).text
        else:
            text = trafilatura.extract(page.html, url=page.url) or ""
        text = _normalised(text)
        for snippet in page.with_:
            if _normalised(snippet) in text:
                tp += 1
            else:
                fn += 1
        fp += sum(_normalised(s) in text for s in page.without)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def misses(pages: list[Page]) -> list[str]:
    """Snippets either extractor gets wrong, page by page (development pages only)."""
    lines = []
    for page in pages:
        texts = {
            "watcher": _normalised(extract_article(page.html, page.url).text),
            "trafilatura": _normalised(trafilatura.extract(page.html, url=page.url) or ""),
        }
        for extractor, text in texts.items():
            lost = [s for s in page.with_ if _normalised(s) not in text]
            kept = [s for s in page.without if _normalised(s) in text]
            lines += [f"{page.name}: {extractor} lost {s!r}" for s in lost]
            lines += [f"{page.name}: {extractor} kept {s!r}" for s in kept]
    return lines


def timing(pages: list[Page], rounds: int) -> dict[str, float]:
    """Wall-clock and CPU time of both extractors, taking turns page by page. On a shared
    machine the CPU time (this process only) moves less with the other processes' load."""
    wall = {"w": 0.0, "t": 0.0}
    cpu = {"w": 0.0, "t": 0.0}
    for r in range(rounds):
        for i, page in enumerate(pages):
            order = ("w", "t") if (r + i) % 2 == 0 else ("t", "w")
            for which in order:
                start, start_cpu = time.perf_counter(), time.process_time()
                if which == "w":
                    extract_article(page.html, page.url)
                else:
                    trafilatura.extract(page.html, url=page.url)
                wall[which] += time.perf_counter() - start
                cpu[which] += time.process_time() - start_cpu
    n = rounds * len(pages)
    return {
        "watcher_ms_per_page": round(1000 * wall["w"] / n, 2),
        "trafilatura_ms_per_page": round(1000 * wall["t"] / n, 2),
        "ratio": round(wall["w"] / wall["t"], 3),
        "cpu_ratio": round(cpu["w"] / cpu["t"], 3),
    }


def measure_set(pages: list[Page], rounds: int, repeats: int = 1) -> dict[str, object]:
    for page in pages[:5]:  # warm-up: imports, lxml and trafilatura caches
        extract_article(page.html, page.url)
        trafilatura.extract(page.html, url=page.url)
    runs = [timing(pages, rounds) for _ in range(repeats)]
    times = dict(runs[0])
    if repeats > 1:  # the median run's figures, and every run's ratio
        ratios = sorted(run["ratio"] for run in runs)
        times = dict(min(runs, key=lambda run: abs(run["ratio"] - statistics.median(ratios))))
        times["ratios"] = ratios  # type: ignore[assignment]
        times["cpu_ratios"] = sorted(run["cpu_ratio"] for run in runs)  # type: ignore[assignment]
    return {
        "pages": len(pages),
        "snippets": sum(len(p.with_) + len(p.without) for p in pages),
        "quality": {
            "watcher": snippet_scores(pages, "watcher"),
            "trafilatura": snippet_scores(pages, "trafilatura"),
        },
        "time": times,
    }


def measure(
    rounds: int, *, old_gold: bool = False, repeats: int = 1, world_heldout: bool = False
) -> dict[str, dict[str, object]]:
    sets = {
        "project pages": load_pages(old_gold=old_gold),
        "held-out pages": load_heldout(),
        "world development pages": load_world(held_out=False),
    }
    if world_heldout:
        sets["world held-out pages"] = load_world(held_out=True)
    return {name: measure_set(pages, rounds, repeats) for name, pages in sets.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=1, help="time K times, print each ratio")
    parser.add_argument("--profile", action="store_true", help="cProfile extract_article")
    parser.add_argument(
        "--old-gold", action="store_true", help="count bylines and category labels as text"
    )
    parser.add_argument(
        "--errors", action="store_true", help="list the misses on the world development pages"
    )
    parser.add_argument(
        "--world-heldout", action="store_true", help="also measure the world held-out pages"
    )
    args = parser.parse_args()
    if args.errors:
        print("\n".join(misses(load_world(held_out=False))) or "no miss")
        return
    if args.profile:
        pages = load_pages() + load_heldout() + load_world(held_out=False)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.rounds):
            for page in pages:
                extract_article(page.html, page.url)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return
    results = measure(
        args.rounds,
        old_gold=args.old_gold,
        repeats=args.repeats,
        world_heldout=args.world_heldout,
    )
    rows, notes = [], []
    for name, result in results.items():
        quality, times = result["quality"], result["time"]
        assert isinstance(quality, dict) and isinstance(times, dict)
        print(
            f"{name}: {result['pages']} pages, {result['snippets']} snippets, {args.rounds} rounds"
        )
        for extractor in ("watcher", "trafilatura"):
            print(f"  snippet F1 {extractor:12} {quality[extractor]}")
        print(
            f"  time per page: Watcher {times['watcher_ms_per_page']} ms, trafilatura.extract "
            f"{times['trafilatura_ms_per_page']} ms, ratio {times['ratio']} "
            f"(CPU time: {times['cpu_ratio']}; target ≤ 1.2)"
        )
        if "ratios" in times:
            print(f"  ratios of the runs: {times['ratios']} (CPU: {times['cpu_ratios']})")
        rows += [
            row(
                f"time per page, {name}",
                times["watcher_ms_per_page"],
                times["trafilatura_ms_per_page"],
                baseline_name="trafilatura.extract",
                ratio=times["ratio"],
                target="≤ 1.2",
                holds=times["ratio"] <= 1.2,
                unit="ms",
            ),
            row(
                f"CPU time ratio, {name}",
                times["cpu_ratio"],
                target="≤ 1.2",
                holds=times["cpu_ratio"] <= 1.2,
            ),
            row(
                f"snippet F1, {name}",
                quality["watcher"]["f1"],
                quality["trafilatura"]["f1"],
                baseline_name="trafilatura.extract",
                target="≥ trafilatura.extract",
                holds=quality["watcher"]["f1"] >= quality["trafilatura"]["f1"],
            ),
        ]
        notes.append(f"{name}: {result['pages']} pages, {result['snippets']} snippets")
    notes.append(
        f"{args.rounds} rounds taking turns page by page"
        + (f", {args.repeats} runs (median run shown)" if args.repeats > 1 else "")
        + ("; old gold (bylines and category labels counted as text)" if args.old_gold else "")
    )
    record(
        "extract",
        "project, held-out and world pages",
        {"rounds": args.rounds, "sets": results, "rows": rows, "notes": notes},
        quick=args.rounds < 5,
    )


if __name__ == "__main__":
    main()
