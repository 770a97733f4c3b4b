"""Topics on unlabelled real text: the fourteenth round's audit set (tests/data/topics/README.md).

The audit set is ~100 real French web pages of sites that no file of ``tests/data`` uses, read
through the stored public web pages of the workplace's search tool. Their text is **not** kept in
the repository (it is not ours to republish, and it is not a labelled set): what is kept is where
each page comes from and the judgement of every label the rules gave it:

* ``benchmarks/data/topics_audit14_sources.tsv``: each page's URL and the search query that
  found it (the first results of that query in the stored pages, page by page);
* ``benchmarks/data/topics_audit14_judgements.tsv``: every label the rules gave (before and after
  the round's changes), judged by the labelling standard of tests/data/topics/README.md: ``main``
  (a main subject), ``acceptable`` (discussed, not main) or ``wrong``, with a few words why.

To rerun the round: run each query of the sources file on the stored pages, copy each listed
page's text (as the search gives it, from its beginning) into one file, each page after a line
``=== URL``; then::

    python -m benchmarks.topics_audit PAGES.txt

classifies every page whose site is in no file of ``tests/data`` (pages of such sites are
skipped, as the round skipped them), prints its labels with the keywords that made them, and
scores them against the judgements: precision (main / assigned) and sensible precision (main
or acceptable / assigned). A label that was never judged is listed: judge it by the README's
standard before reading the figures.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.quality_topics import domain_of, starter_enricher
from watcher.taxonomy import load_taxonomy
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.matching import analyse, compile_matcher

DATA = Path(__file__).resolve().parent / "data"
SOURCES = DATA / "topics_audit14_sources.tsv"
JUDGEMENTS = DATA / "topics_audit14_judgements.tsv"
TESTS_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
_URL = re.compile(r"https?://[^/\"'\s()<>\[\]]+")  # a host stops at Markdown's ]( and <>


def used_domains(root: Path = TESTS_DATA) -> frozenset[str]:
    """The registrable domains (last two labels) of every URL in a file of ``tests/data``."""
    found: set[str] = set()
    for path in root.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="ignore")
            found.update(domain_of(url) for url in _URL.findall(text))
    return frozenset(found)


def read_pages(path: Path) -> list[tuple[str, str]]:
    """(url, text) of a file of pages, each after a line ``=== URL``."""
    pages: list[tuple[str, str]] = []
    url, lines = "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("=== "):
            if url:
                pages.append((url, "\n".join(lines).strip()))
            url, lines = line[4:].strip(), []
        else:
            lines.append(line)
    if url:
        pages.append((url, "\n".join(lines).strip()))
    return pages


def read_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {(r["url"], r["label"]): r["verdict"] for r in csv.DictReader(f, delimiter="\t")}


def score(
    labels: dict[str, Sequence[str]], judged: dict[tuple[str, str], str]
) -> tuple[Counter[str], list[tuple[str, str]]]:
    """Verdict counts of the labels, and the labels never judged."""
    counts: Counter[str] = Counter()
    unjudged: list[tuple[str, str]] = []
    for url, topics in labels.items():
        for topic in topics:
            verdict = judged.get((url, topic))
            if verdict is None:
                unjudged.append((url, topic))
            else:
                counts[verdict] += 1
    return counts, unjudged


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="file of pages, each after '=== URL'")
    args = parser.parse_args(list(argv) if argv is not None else None)
    skip = used_domains()
    enricher = starter_enricher()
    matchers = {
        t.id: compile_matcher(t.keywords, strong=t.strong, weak=t.weak) for t in load_taxonomy()
    }
    labels: dict[str, Sequence[str]] = {}
    for url, text in read_pages(args.pages):
        if domain_of(url) in skip or not urlsplit(url).hostname:
            continue
        _, topics = enricher.classify(text)
        labels[url] = topics
        doc = analyse(blank_boilerplate(text))
        print(url)
        for topic in topics:
            print(f"    {topic}: {', '.join(matchers[topic].hits(doc))}")
    counts, unjudged = score(labels, read_judgements())
    assigned = sum(counts.values()) + len(unjudged)
    print(
        f"\n{len(labels)} pages, {sum(1 for t in labels.values() if t)} labelled, {assigned} labels"
    )
    if counts:
        judged = sum(counts.values())
        main_, acceptable = counts["main"], counts["acceptable"]
        print(
            f"judged {judged}: main {main_}, acceptable {acceptable}, wrong {counts['wrong']}; "
            f"precision {main_ / judged:.3f}, sensible {(main_ + acceptable) / judged:.3f}"
        )
    for url, topic in unjudged:
        print(f"not judged yet: {topic} on {url}")


if __name__ == "__main__":
    main()
