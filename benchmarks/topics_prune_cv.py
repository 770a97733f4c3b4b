"""Would a keyword-pruning rule learned on development text carry? Development parts only.

An experiment of the twelfth topics round (tests/data/topics/README.md), kept so that its figures
can be rerun: **not shipped** (site-grouped CV: precision up at equal coverage, but held-out
floors of ``tests/test_quality_topics.py`` broke with its keywords dropped). The rule: a keyword
of a topic whose development long texts (whole articles and batch 5's articles) that say it are
off-topic (the topic neither main nor acceptable) at least ``K`` times as often as on-topic, and
at least ``M`` times, is dropped from the topic. It is learned on four fifths of the **sites**
and the pruned taxonomy scored on the fifth's long texts and paragraphs (5 folds, repeated over
shuffles of the sites); ``--fresh FILE``: learned on every other file, scored on FILE's entries.
A held-out entry is never read.

``python -m benchmarks.topics_prune_cv [--repeats N] [--rules K:M ...] [--fresh FILE] [--list]``
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

from benchmarks.quality_topics import Scores, starter_enricher
from benchmarks.topics_position_cv import FOLDS, LONG_KINDS, Entry, development, shown
from watcher.config import parse_watch
from watcher.taxonomy import TopicSpec, topic_specs
from watcher.understand.nlp import AxisSpec, Enricher
from watcher.understand.process import axis_specs

Keyword = tuple[str, str]  # (topic id, keyword as written)


@cache
def _starter() -> tuple[tuple[AxisSpec, ...], tuple[TopicSpec, ...]]:
    """The starter watch's axes and topics (those of ``starter_enricher``)."""
    text = resources.files("watcher").joinpath("starter/sources.yml").read_text("utf-8")
    watch = parse_watch(text, Path("sources.yml"))
    return axis_specs(watch), topic_specs(watch)


def hits(entry: Entry) -> frozenset[Keyword]:
    """The (topic, keyword) pairs the shipped taxonomy finds in ``entry``."""
    topics = starter_enricher()._topics
    return frozenset(
        (name, kw)
        for name, m in zip(topics.names, topics._matchers or (), strict=True)
        for kw in m.hits(entry.doc)
    )


def rule(
    entries: Iterable[Entry], found: dict[str, frozenset[Keyword]], k: float, m: int
) -> set[Keyword]:
    """The keywords said off-topic ``k`` times as often as on-topic, and ``m`` times at least, in
    the long texts of ``entries``."""
    counts: dict[Keyword, list[int]] = defaultdict(lambda: [0, 0])
    for e in entries:
        if e.kind in LONG_KINDS:
            for topic, kw in found[e.id]:
                counts[topic, kw][topic not in e.gold | e.acceptable] += 1
    return {key for key, (on, off) in counts.items() if off >= m and off >= k * on}


def pruned(drop: set[Keyword]) -> Enricher:
    """The starter watch's Enricher with the keywords of ``drop`` out of their topics."""
    if not drop:
        return starter_enricher()
    axes, specs = _starter()

    def keep(spec: TopicSpec, words: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(w for w in words if (spec.id, w) not in drop)

    return Enricher(
        axes,
        [
            replace(s, keywords=keep(s, s.keywords), strong=keep(s, s.strong), weak=keep(s, s.weak))
            for s in specs
        ],
    )


def _score(entries: Iterable[Entry], enricher: Enricher, long: Scores, paras: Scores) -> None:
    for e in entries:
        (long if e.kind in LONG_KINDS else paras).add(
            enricher._classify(e.doc)[1], e.gold, e.acceptable
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--rules", nargs="*", default=["3:4", "5:5", "2:8", "3:8", "4:8", "5:8", "4:10", "6:10"]
    )
    parser.add_argument("--fresh", help="a file to score, the rule learned on the other files")
    parser.add_argument("--list", action="store_true", help="the keywords each rule drops")
    args = parser.parse_args(argv)
    entries = development()
    found = {e.id: hits(e) for e in entries}
    settings = [(float(k), int(m)) for k, m in (r.split(":") for r in args.rules)]
    if args.list:
        for k, m in settings:
            print(f"K={k:g} M={m}: {sorted(rule(entries, found, k, m))}")
        return
    if args.fresh:
        train = [e for e in entries if e.file != args.fresh]
        test = [e for e in entries if e.file == args.fresh]
        for k, m in [(0.0, 0), *settings]:
            long, paras = Scores(), Scores()
            drop = rule(train, found, k, m) if k else set()
            _score(test, pruned(drop), long, paras)
            name = f"K={k:g} M={m}" if k else "the shipped taxonomy"
            print(f"{args.fresh} {name:22} long: {shown(long)}  ({len(drop)} dropped)")
        return
    sites = sorted({e.site for e in entries})
    print(
        f"{len(entries)} development entries; site-grouped CV, {FOLDS} folds x {args.repeats}"
        " shuffles (long texts and paragraphs of the held-out fold)"
    )
    for k, m in [(0.0, 0), *settings]:
        long, paras = Scores(), Scores()
        dropped = 0
        rng = random.Random(0)
        for _ in range(args.repeats):
            rng.shuffle(sites)
            fold = {site: i % FOLDS for i, site in enumerate(sites)}
            for f in range(FOLDS):
                drop = rule((e for e in entries if fold[e.site] != f), found, k, m) if k else set()
                dropped += len(drop)
                _score((e for e in entries if fold[e.site] == f), pruned(drop), long, paras)
        name = f"K={k:g} M={m}" if k else "the shipped taxonomy"
        per = dropped / args.repeats / FOLDS
        print(
            f"  {name:22} ({per:4.1f} dropped) long: {shown(long)}\n  {'':36}para: {shown(paras)}"
        )


if __name__ == "__main__":
    main()
