"""The theme rules of the sixteenth and seventeenth rounds, scored by their registered rules.

A long text's best topic kept under its threshold (the fallback of ``MatcherSet``) must be the
theme of one of its sentences: one of its cues among a sentence's first ``THEME_WORDS`` (6)
words, where a French sentence puts its subject (sentences end at a line break and at a word
ending in « . », « ! », « ? » or « … »). It did **not** ship (the README's "Sixteenth round"): it
lives here only (:class:`ThemeMatcherSet`, on top of the shipped rules; the same labels and axes
as the version that was written into ``watcher/understand/matching.py`` for the check, commit
446081b, on all 666 development entries scored). This script scores the shipped rules with and
without it, on **development entries only** (held-out entries are dropped before anything is
classified; batch 18, both parts, is left to the lead).

The seventeenth round's version (``--every 200``, the README's "Seventeenth round") keeps, besides,
a fallback topic said often: at ``EVERY_WORDS`` (200) words or fewer a place (``places × 200 ≥ the
text's words``; each place of a cue counts, a weak one as a whole), whether or not a sentence's
theme. The scores:

* the development whole articles (batches 6–10, 12–15 and 17), pooled and per batch;
* the development paragraphs (``news_fr.yml``, batches 3–5) and batch 5's development articles;
* with ``--floors``, every development floor of ``tests/test_quality_topics.py`` with the rule on;
* with ``--changes``, every label the rule removes, with its verdict.

``python -m benchmarks.topics_theme [--every 200] [--floors] [--changes]``
"""

from __future__ import annotations

import argparse
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import cache

from benchmarks import quality_topics as q
from benchmarks.topics_genre import WHOLE_DEV, dev, line, scores
from watcher.text import words
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.matching import (
    Alternatives,
    Analysed,
    MatcherSet,
    _has_phrase,
    _taken,
    analyse,
    firm_threshold,
)

THEME_WORDS = 6
# the seventeenth round: a fallback topic with a place every EVERY_WORDS words is kept, theme or
# not (0: the sixteenth round's rule, without it)
EVERY_WORDS = 200
Classify = Callable[[str], tuple[tuple[str, ...], tuple[str, ...]]]


def sentence_starts(text: str) -> tuple[int, ...]:
    """The word positions (as :func:`analyse` numbers them) where ``text``'s sentences start:
    0, after a line break and after a word ending in « . », « ! », « ? » or « … »."""
    starts, n = {0}, 0
    for row in text.splitlines():
        for token in row.split():
            n += len(words(token))
            if token[-1] in ".!?…":
                starts.add(n)
        starts.add(n)
    return tuple(sorted(s for s in starts if s < n) or (0,))


def is_theme(places: Iterable[int], starts: Sequence[int]) -> bool:
    """Whether one of ``places`` is among its sentence's first THEME_WORDS words."""
    return any(p - starts[bisect_right(starts, p) - 1] < THEME_WORDS for p in places)


def is_frequent(places: Iterable[int], size: int, every: int) -> bool:
    """Whether ``places`` are at least one per ``every`` words of a text of ``size`` words
    (``every`` 0: never)."""
    return every > 0 and len(set(places)) * every >= size


class ThemeMatcherSet(MatcherSet):
    """The shipped topic rules (``firmly``), then the theme rule: when a long text's labels are
    its fallback (its best topic under the threshold), each must be the theme of a sentence, or,
    with ``every`` (the seventeenth round), said at a place every ``every`` words at least."""

    every = 0

    def labels(self, doc: Analysed, text: str) -> tuple[str, ...]:
        """The topics of ``doc``, analysed from ``text``."""
        found = self.matching(doc)
        need = firm_threshold(doc)
        if not found or need == 1.0:  # a paragraph: unchanged
            return found
        hit, said = self._candidates(doc)
        firm = self._matchers
        assert firm is not None
        taken = _taken(hit, said, doc)
        weighed = {i: firm[i].evidence_and_places(doc, taken.get(i, frozenset())) for i in hit}
        if max(e for e, _ in weighed.values()) >= need:  # a topic over its threshold
            return found
        starts = sentence_starts(text)
        index = {name: i for i, name in enumerate(self.names)}
        size = len(doc.keys)
        return tuple(
            name
            for name in found
            if is_theme(weighed[index[name]][1], starts)
            or is_frequent(weighed[index[name]][1], size, self.every)
        )

    def _candidates(
        self, doc: Analysed
    ) -> tuple[set[int], list[tuple[int, tuple[Alternatives, ...]]]]:
        """The topics ``doc`` says a keyword of and the phrases looked up (as ``matching``)."""
        hit: set[int] = set()
        said: list[tuple[int, tuple[Alternatives, ...]]] = []
        for key in doc.counts:
            found = self._words.get(key)
            if found is not None:
                hit |= found
            candidates = self._phrases.get(key)
            if candidates is not None:
                said.extend(candidates)
                for idx, phrase in candidates:
                    if idx not in hit and _has_phrase(doc, phrase):
                        hit.add(idx)
        for idx, tree in self._trees:
            if idx not in hit and tree.test(doc):
                hit.add(idx)
        return {i for i in hit if i < len(self.names)}, said


@cache
def classifiers(every: int = 0) -> tuple[Classify, Classify]:
    """(axes, topics) of the starter watch with the shipped rules, and with the theme rule (the
    axes follow the topics, as in ``Enricher._classify``); ``every``: the seventeenth round's
    exception (0: the sixteenth round's rule)."""
    enricher = q.starter_enricher()
    shipped = enricher._topics
    themed = ThemeMatcherSet.__new__(ThemeMatcherSet)
    themed.__dict__.update(shipped.__dict__)  # the same compiled matchers and index
    themed.every = every

    def with_theme(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        clean = blank_boilerplate(text)
        doc = analyse(clean)
        axes, topics = enricher._axes.matching(doc), themed.labels(doc, clean)
        if topics:
            matched = set(axes) | {a for a, wanted in enricher._axis_topics if wanted & set(topics)}
            axes = tuple(a for a, _ in enricher._axis_topics if a in matched)
        return axes, topics

    return enricher.classify, with_theme


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--floors", action="store_true", help="check the development floors")
    parser.add_argument("--changes", action="store_true", help="list the labels that change")
    parser.add_argument(
        "--every",
        type=int,
        default=0,
        help=f"keep a fallback topic with a place every N words (round 17: {EVERY_WORDS})",
    )
    args = parser.parse_args(argv)
    before, after = classifiers(args.every)
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
    rule = f" (every {args.every})" if args.every else ""
    old = {p.id: before(p.text)[1] for p in every}
    new = {p.id: after(p.text)[1] for p in every}
    for name, entries in groups:
        print(line(name, scores(entries, old)))
        print(line(f"  with the theme rule{rule}", scores(entries, new)))
    same = sum(old[p.id] == new[p.id] for p in paragraphs)
    print(f"paragraphs with the same labels: {same} of {len(paragraphs)}")
    if args.changes:
        for p in every:
            if old[p.id] != new[p.id]:
                gone = [(t, _verdict(t, p)) for t in old[p.id] if t not in new[p.id]]
                print(f"  {p.id}: dropped {gone}, gold {sorted(p.topics)}")
    if args.floors:
        floors(after)


def _verdict(topic: str, p: q.Paragraph) -> str:
    return "right" if topic in p.topics else "acceptable" if topic in p.acceptable else "wrong"


def floors(classify: Classify) -> None:
    """Every development floor of tests/test_quality_topics.py, on development entries only
    (batch 18 aside), with ``classify``."""
    import tests.test_quality_topics as t

    def check(
        name: str, entries: Sequence[q.Paragraph], wanted: dict[str, dict[str, float]]
    ) -> q.Report | None:
        if "dev" not in wanted:
            return None
        report = q.evaluate(dev(entries), classify)
        got = t._figures(report, "dev")
        for key, floor in wanted["dev"].items():
            mark = "ok " if got[key] >= floor else "LOW"
            print(f"{mark} {name:28} {key:26} {got[key]:.3f} {floor}")
        return report

    report = check("news_fr.yml", q.load_paragraphs(), t.FLOORS)
    assert report is not None
    for dim, floor in t.DIMENSION_FLOORS["dev"].items():
        assigned, right, _ = report.dimensions["dev"][dim]
        ok = assigned and right / assigned >= floor
        print(f"{'ok ' if ok else 'LOW'} {'news_fr.yml ' + dim:28} {right}/{assigned} {floor}")
    for path in q.EXTRA_BATCHES:
        check(path.name, q.paragraphs_of(q.load_paragraphs(path)), t.BATCH_FLOORS[path.name])
    check("batch 5 articles", q.articles_of(q.load_paragraphs(q.BATCH5)), t.ARTICLE_FLOORS)
    for path in WHOLE_DEV:
        check(path.name, q.load_paragraphs(path), t.WHOLE_ARTICLE_FLOORS[path.name])
    check("pooled earlier", q.pooled(q.EARLIER), t.POOLED_FLOORS)
    check("pooled all", q.pooled(), t.POOLED_ALL_FLOORS)


if __name__ == "__main__":
    main()
