"""Quality of the article links found on a listing page without a `follow` selector.

The set is ``tests/fixtures/listings/``: reduced copies of real French home and section pages,
their article links labelled by hand in ``labels.yml`` before any detection ran on them (see the
README there). A page is held out when the SHA-1 of its address, as a number, is a multiple of
three (the rule of ``tests/data/refs/build_real.py``): the held-out pages are measured, never
tuned against.

Per page, the links `watcher.collect.listing.article_links` returns are compared with the
labelled ones, both canonicalised (`watcher.urls.canonical_url`):

* precision = links found that are labelled / links found (a page labelled without articles
  that gives none counts 1);
* recall = labelled links found / labelled links.

Macro figures average the pages; micro figures pool the links.

    PYTHONPATH=. python -m benchmarks.quality_listing [--round 1|2] [--verbose] [--heldout]

Without `--heldout` only the development pages are scored and printed; `--verbose` lists their
false and missed links (never the held-out pages').
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass
from pathlib import Path

from watcher.collect.listing import article_links
from watcher.safe_yaml import load_yaml
from watcher.urls import canonical_url

LISTINGS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "listings"


def part_of(url: str) -> str:
    """``heldout`` for one page in three, by the SHA-1 of its address; ``dev`` otherwise."""
    return "heldout" if int(hashlib.sha1(url.encode()).hexdigest(), 16) % 3 == 0 else "dev"


@dataclass(frozen=True)
class PageScore:
    name: str
    found: int
    labelled: int
    right: int
    false_links: tuple[str, ...]
    missed: tuple[str, ...]

    @property
    def precision(self) -> float:
        """Links found that are labelled / links found; a page without articles that gives
        none is right (1.0), a page with articles that gives none is not (0.0)."""
        if not self.found:
            return 0.0 if self.labelled else 1.0
        return self.right / self.found

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0


def pages(part: str, round_: int | None = None) -> list[tuple[str, str, list[str]]]:
    """(file name, page address, labelled article addresses) of one part: a page's own `part`
    in labels.yml when it has one (the pages added for development in round 2), else the
    SHA-1 rule; only the pages of one labelling round (1 or 2) when `round_` is given."""
    labels = load_yaml((LISTINGS / "labels.yml").read_text(encoding="utf-8"), "labels.yml")
    return [
        (name, entry["url"], list(entry["articles"]))
        for name, entry in labels.items()
        if entry.get("part", part_of(entry["url"])) == part
        and (round_ is None or entry.get("round", 1) == round_)
    ]


def score_page(name: str, url: str, articles: list[str]) -> PageScore:
    html = (LISTINGS / name).read_text(encoding="utf-8")
    found = [canonical_url(link) for link in article_links(html, url).urls]
    gold = {canonical_url(link) for link in articles}
    right = [link for link in found if link in gold]
    return PageScore(
        name=name,
        found=len(found),
        labelled=len(gold),
        right=len(right),
        false_links=tuple(link for link in found if link not in gold),
        missed=tuple(sorted(gold - set(found))),
    )


def score(part: str, round_: int | None = None) -> list[PageScore]:
    return [score_page(name, url, articles) for name, url, articles in pages(part, round_)]


def summary(scores: list[PageScore]) -> dict[str, float]:
    found = sum(s.found for s in scores)
    labelled = sum(s.labelled for s in scores)
    right = sum(s.right for s in scores)
    return {
        "pages": len(scores),
        "macro_precision": sum(s.precision for s in scores) / len(scores),
        "macro_recall": sum(s.recall for s in scores) / len(scores),
        "micro_precision": right / found if found else 0.0,
        "micro_recall": right / labelled if labelled else 1.0,
        "min_precision": min(s.precision for s in scores),
        "min_recall": min(s.recall for s in scores),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="the held-out pages")
    parser.add_argument("--verbose", action="store_true", help="false and missed links")
    parser.add_argument("--round", type=int, choices=(1, 2, 3), help="one labelling round's pages")
    args = parser.parse_args()
    part = "heldout" if args.heldout else "dev"
    scores = score(part, args.round)
    for s in scores:
        counts = f"{s.right}/{s.found}/{s.labelled}"
        print(f"{s.name:40} P={s.precision:.3f} R={s.recall:.3f} ({counts})")
        if args.verbose and part == "dev":
            for link in s.false_links:
                print(f"    + {link}")
            for link in s.missed:
                print(f"    - {link}")
    for key, value in summary(scores).items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{part} {key}: {shown}")


if __name__ == "__main__":
    main()
