"""The sixteenth round's theme rule, scored by its registered rule (topics README).

A long text's best topic kept under its threshold (the fallback of ``MatcherSet``) must be the
theme of one of its sentences: one of its cues among a sentence's first ``THEME_WORDS`` words
(``watcher/understand/matching.py``). This script scores the rules of this tree with the rule
off (``THEME_WORDS = 0``: the rules before the round) and on, on **development entries only**
(held-out entries are dropped before anything is classified; batch 18, both parts, is left to
the lead):

* the development whole articles (batches 6–10, 12–15 and 17), pooled and per batch;
* the development paragraphs (``news_fr.yml``, batches 3–5) and batch 5's development articles;
* with ``--floors``, every development floor of ``tests/test_quality_topics.py`` (the rule on);
* with ``--changes``, every label the rule removes, with its verdict.

``python -m benchmarks.topics_theme [--floors] [--changes]``
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from benchmarks import quality_topics as q
from benchmarks.topics_genre import WHOLE_DEV, dev, floors, line, scores
from watcher.understand import matching


def labels(entries: Sequence[q.Paragraph], theme_words: int) -> dict[str, tuple[str, ...]]:
    """Each entry's topics with ``THEME_WORDS`` set to ``theme_words`` (0: the rule off)."""
    kept = matching.THEME_WORDS
    matching.THEME_WORDS = theme_words
    try:
        classify = q.starter_enricher().classify
        return {p.id: classify(p.text)[1] for p in entries}
    finally:
        matching.THEME_WORDS = kept


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--floors", action="store_true", help="check the development floors")
    parser.add_argument("--changes", action="store_true", help="list the labels that change")
    args = parser.parse_args(argv)
    groups: list[tuple[str, tuple[q.Paragraph, ...]]] = []
    whole: list[q.Paragraph] = []
    for path in WHOLE_DEV:
        entries = dev(q.load_paragraphs(path))
        whole += entries
        if entries:  # batches 11 and 16 are held out whole
            groups.append((path.name, entries))
    groups.insert(0, ("whole articles, batches 6-17 (dev)", tuple(whole)))
    paragraphs = dev(
        p for path in (q.DATA, *q.EXTRA_BATCHES) for p in q.paragraphs_of(q.load_paragraphs(path))
    )
    groups.append(("paragraphs (dev)", paragraphs))
    groups.append(("batch 5 articles (dev)", dev(q.articles_of(q.load_paragraphs(q.BATCH5)))))
    every = tuple({p.id: p for _, entries in groups for p in entries}.values())
    old, new = labels(every, 0), labels(every, matching.THEME_WORDS)
    for name, entries in groups:
        print(line(name, scores(entries, old)))
        print(line("  with the theme rule", scores(entries, new)))
    same = sum(old[p.id] == new[p.id] for p in paragraphs)
    print(f"paragraphs with the same labels: {same} of {len(paragraphs)}")
    if args.changes:
        for p in every:
            if old[p.id] != new[p.id]:
                gone = [(t, _verdict(t, p)) for t in old[p.id] if t not in new[p.id]]
                more = [(t, _verdict(t, p)) for t in new[p.id] if t not in old[p.id]]
                print(f"  {p.id}: dropped {gone}, added {more}, gold {sorted(p.topics)}")
    if args.floors:
        floors()


def _verdict(topic: str, p: q.Paragraph) -> str:
    return "right" if topic in p.topics else "acceptable" if topic in p.acceptable else "wrong"


if __name__ == "__main__":
    main()
