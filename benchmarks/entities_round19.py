"""Round 19 of the entity rules: Watcher's mentions on French news nobody labelled, audited.

``python -m benchmarks.entities_round19`` runs Watcher's entity mentions (as processing keeps
them, :func:`benchmarks.quality_entities.watcher_pairs`, and whether the item page shows them,
:func:`~benchmarks.quality_entities.shown_pairs`) on the paragraphs of
``entities_round19_sources.tsv`` (151 paragraphs of 78 sites, read through the stored copies of
public web pages; their origin, url and search batch beside each; the text is the pages', kept
for measurement only), then joins the verdicts of ``entities_round19_audit.tsv`` (a mention not
listed there is "unjudged") and prints the audit's errors per pattern. The search queries of
each batch are listed in tests/data/entities/README.md (round 19).
"""

from __future__ import annotations

import collections
import csv
from pathlib import Path

from benchmarks.quality_entities import shown_pairs, watcher_pairs
from watcher.understand.nlp import DEFAULT_MODEL, load_pipeline

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "entities_round19_sources.tsv"
AUDIT = HERE / "entities_round19_audit.tsv"
Key = tuple[int, str, str]  # (paragraph, mention as written, label)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def verdicts() -> tuple[dict[Key, tuple[str, str]], list[tuple[Key, str]]]:
    """Every judged mention -> (verdict, pattern), and the names left out -> pattern."""
    judged: dict[Key, tuple[str, str]] = {}
    missed: dict[Key, str] = {}
    for row in _rows(AUDIT):
        key = (int(row["paragraph"]), row["mention"], row["label"])
        if row["verdict"] == "missed":
            missed[key] = row["pattern"]
        else:
            judged[key] = (row["verdict"], row["pattern"])
    return judged, sorted(missed.items())


def audit() -> None:
    sources = _rows(SOURCES)
    judged, missed = verdicts()
    docs = load_pipeline(DEFAULT_MODEL).pipe(row["text"] for row in sources)
    errors: collections.Counter[str] = collections.Counter()
    flags: collections.Counter[str] = collections.Counter()
    unjudged: list[Key] = []
    for i, doc in enumerate(docs):
        found = watcher_pairs(doc)
        shown = shown_pairs(doc)
        for text, label in sorted(found):
            verdict, pattern = judged.get((i, text, label), ("unjudged", ""))
            if verdict == "unjudged":
                unjudged.append((i, text, label))
            elif verdict == "wrong":
                errors[pattern] += 1
            flags[f"{verdict}, {'confident' if (text, label) in shown else 'not confident'}"] += 1
        for (j, text, label), pattern in missed:
            if j == i and (text, label) not in found:
                errors[pattern] += 1
    print(f"{len(sources)} paragraphs; errors {sum(errors.values())}")
    for pattern, n in errors.most_common():
        print(f"{n:5}  {pattern}")
    for flag, n in sorted(flags.items()):
        print(f"{n:5}  {flag}")
    for key in unjudged:
        print("unjudged:", key)


if __name__ == "__main__":
    audit()
