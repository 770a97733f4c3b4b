"""Could a learned re-ranker beat the topic rules on long texts? Development parts only.

An experiment of the tenth topics round (tests/data/topics/README.md), kept so that its figures
can be rerun: it was **not shipped** (no clear win). Every development entry of
``tests/data/topics`` (paragraphs and articles; a held-out entry is never read) is classified by
the shipped rules; each topic with evidence in a long text (150 words or more) is a candidate
row with the rule's evidence as features (evidence, its share of the text's threshold and of the
best topic's, rank, the fifths of the text its cues fall in, distinct cues, firm share, first
place, a cue in the first line, the outside subjects' evidence, the rule's own decision). A
logistic regression (L2, Newton steps; numpy) is trained on the rows of four fifths of the
**sites** and scores the fifth (cross-validation grouped by site, repeated over shuffles of the
sites), in three ways: re-ranking every candidate, vetoing the rule's labels only, adding to
them only; optionally with a bag-of-words feature (per-topic log-odds of the text's word forms,
computed out of fold). The figures printed are averages over the repeats, next to the rule's.

``python -m benchmarks.topics_rerank_cv [--repeats N]``
"""

from __future__ import annotations

import argparse
import math
import random
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from benchmarks.quality_topics import (
    DATA,
    EXTRA_BATCHES,
    WHOLE_ARTICLES,
    Paragraph,
    Scores,
    domain_of,
    load_paragraphs,
    starter_enricher,
)
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.matching import PARTS, analyse, firm_threshold

LONG = 150  # words: the texts the rules treat as long (firm_threshold above 1)
FOLDS = 5
FEATURES = (
    "bias", "log_words", "log_e", "e_need", "e_best", "is_best", "rank", "parts", "distinct",
    "firm_share", "first", "title", "outside", "n_cand", "rule",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    id: str
    site: str
    gold: frozenset[str]
    file: str
    whole: bool  # a whole article of batches 6+ (else a batch 5 article or a long paragraph)
    size: int  # words
    rule: frozenset[str]  # what the shipped rules assign
    rows: tuple[tuple[str, dict[str, float]], ...]  # candidate topic -> features
    words: Counter[str]  # word forms, for the bag-of-words feature
    acceptable: frozenset[str] = frozenset()  # whole articles: the README's sensible labels


def candidates(p: Paragraph, file: str, whole: bool) -> Entry:
    """The shipped rules' verdict on ``p`` and one row of features per topic with evidence."""
    enricher = starter_enricher()
    topics = enricher._topics  # the Enricher's MatcherSet: its matchers give the evidence
    clean = blank_boilerplate(p.text)
    doc = analyse(clean)
    rule = frozenset(enricher._classify(doc)[1])
    size, need = len(doc.keys), firm_threshold(doc)
    first_line = len(analyse(clean.strip().split("\n")[0]).keys)
    matchers = topics._matchers or ()
    evidence = {i: e for i, m in enumerate(matchers) if (e := m.evidence(doc)) > 0}
    outside = max((o.evidence(doc) for o in topics._outside), default=0.0)
    rows = []
    if evidence:
        best = max(evidence.values())
        for rank, i in enumerate(sorted(evidence, key=lambda i: -evidence[i])):
            e, m = evidence[i], matchers[i]
            firm, loose = m._places(doc)
            places = firm | loose
            name = topics.names[i]
            rows.append(
                (
                    name,
                    {
                        "bias": 1.0,
                        "log_words": math.log(size),
                        "log_e": math.log1p(e),
                        "e_need": min(e / need, 4.0),
                        "e_best": e / best,
                        "is_best": float(e == best),
                        "rank": min(rank, 4) / 4,
                        "parts": len({q * PARTS // size for q in places}) / PARTS,
                        "distinct": math.log1p(len(m.hits(doc))),
                        "firm_share": len(firm) / max(len(places), 1),
                        "first": min(places, default=size) / size,
                        "title": float(any(q < first_line for q in places)),
                        "outside": min(outside / e, 4.0),
                        "n_cand": math.log(len(evidence)),
                        "rule": float(name in rule),
                    },
                )
            )
    forms = Counter(keys[1] for keys in doc.keys if len(keys) > 1)
    return Entry(
        p.id, domain_of(p.url), p.topics, file, whole, size, rule, tuple(rows), forms, p.acceptable
    )


def development() -> list[Entry]:
    whole = {path.name for path in WHOLE_ARTICLES}
    return [
        candidates(p, path.name, path.name in whole)
        for path in (DATA, *EXTRA_BATCHES, *WHOLE_ARTICLES)
        for p in load_paragraphs(path)
        if p.split == "dev"
    ]


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """L2-regularised logistic regression (the bias unpenalised), by Newton's method."""
    w = np.zeros(x.shape[1])
    penalty = l2 * np.diag(np.r_[0.0, np.ones(x.shape[1] - 1)])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x.T * (p * (1 - p))) @ x + penalty + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def log_odds(train: Sequence[Entry]) -> dict[str, dict[str, float]]:
    """Per topic, each word form's smoothed log-odds of the topic (document frequencies)."""
    everywhere: Counter[str] = Counter()
    for e in train:
        everywhere.update(e.words.keys())
    out: dict[str, dict[str, float]] = {}
    for topic in {t for e in train for t in e.gold}:
        having = [e for e in train if topic in e.gold]
        df: Counter[str] = Counter()
        for e in having:
            df.update(e.words.keys())
        pos, neg = len(having), len(train) - len(having)
        out[topic] = {
            w: math.log((n + 0.5) / (pos + 1)) - math.log((everywhere[w] - n + 0.5) / (neg + 1))
            for w, n in df.items()
            if n >= 2
        }
    return out


def bag_score(model: dict[str, dict[str, float]], topic: str, words: Counter[str]) -> float:
    table = model.get(topic, {})
    return sum(table.get(w, 0.0) for w in words) / math.sqrt(len(words) + 1)


def shown(scores: Scores, repeats: int = 1) -> str:
    """Precision (right / assigned labels), sensible precision, coverage and false alarms; counts
    averaged over ``repeats``."""
    return (
        f"P {scores.precision:.3f} ({scores.correct / repeats:.1f}/{scores.assigned / repeats:.1f})"
        f"  S {scores.sensible_precision:.3f}"
        f"  C {scores.coverage:.3f} ({scores.covered / repeats:.1f}/"
        f"{scores.with_gold / repeats:.0f})"
        f"  FA {scores.false_alarms / repeats:.1f}/"
        f"{scores.without_gold / repeats:.0f}"
    )


Decide = Callable[[Entry, dict[str, float]], frozenset[str]]


def cross_validate(
    entries: Sequence[Entry],
    keys: Sequence[str],
    decide: Decide,
    rows_of: Callable[[Entry], Sequence[tuple[str, dict[str, float]]]],
    *,
    bag: bool = False,
    repeats: int = 20,
    seed: int = 0,
) -> tuple[Scores, Scores]:
    """Mean figures over ``repeats`` shuffles of the sites into FOLDS folds: whole articles of
    batches 6 and later, and every long text."""
    rng = random.Random(seed)
    long = [e for e in entries if e.size >= LONG]
    sites = sorted({e.site for e in entries})
    whole, every = Scores(), Scores()
    for _ in range(repeats):
        rng.shuffle(sites)
        fold = {site: i % FOLDS for i, site in enumerate(sites)}
        for k in range(FOLDS):
            train = [e for e in long if fold[e.site] != k]
            model: dict[str, dict[str, float]] = {}
            inner: dict[str, dict[str, dict[str, float]]] = {}
            if bag:  # the training rows' bag-of-words feature is itself out of fold
                every_train = [e for e in entries if fold[e.site] != k]
                model = log_odds(every_train)
                for j in range(FOLDS):
                    part = log_odds(
                        [e for e in every_train if zlib.crc32(e.site.encode()) % FOLDS != j]
                    )
                    inner.update(
                        {
                            e.id: part
                            for e in every_train
                            if zlib.crc32(e.site.encode()) % FOLDS == j
                        }
                    )

            def vector(
                e: Entry, topic: str, f: dict[str, float], m: dict[str, dict[str, float]]
            ) -> list[float]:
                v = [f[key] for key in keys]
                return [*v, bag_score(m, topic, e.words)] if bag else v

            rows = [(e, t, f) for e in train for t, f in rows_of(e)]
            if not rows:
                continue
            x = np.array([vector(e, t, f, inner.get(e.id, model)) for e, t, f in rows])
            y = np.array([float(t in e.gold) for e, t, _ in rows])
            w = fit(x, y)
            for e in long:
                if fold[e.site] != k:
                    continue
                p = {
                    t: float(1 / (1 + np.exp(-np.dot(w, vector(e, t, f, model)))))
                    for t, f in e.rows
                }
                labels = decide(e, p)
                every.add(labels, e.gold, e.acceptable)
                if e.whole:
                    whole.add(labels, e.gold, e.acceptable)
    return whole, every


def fresh(
    entries: Sequence[Entry], name: str, keys: Sequence[str], threshold: float, rules: bool = True
) -> None:
    """Trained on every other development entry, scored on the long texts of file ``name``:
    what the model would have done on a batch nobody had tuned on (run it with the rules as
    they were when the batch came)."""
    train = [e for e in entries if e.file != name and e.size >= LONG]
    x = np.array([[f[k] for k in keys] for e in train for _, f in e.rows])
    y = np.array([float(t in e.gold) for e in train for t, _ in e.rows])
    w = fit(x, y)
    rule, model = Scores(), Scores()
    for e in entries:
        if e.file != name or e.size < LONG:
            continue
        p = {t: float(1 / (1 + np.exp(-np.dot(w, [f[k] for k in keys])))) for t, f in e.rows}
        rule.add(e.rule, e.gold, e.acceptable)
        model.add(frozenset(t for t, q in p.items() if q >= threshold), e.gold, e.acceptable)
    if rules:
        print(f"{name}, the rules: {shown(rule)}")
    print(f"{name}, re-ranked (p >= {threshold}, trained on the other files): {shown(model)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--fresh", help="a file to score, trained on the others only")
    args = parser.parse_args(argv)
    entries = development()
    if args.fresh:
        for threshold in (0.4, 0.5, 0.6):
            fresh(entries, args.fresh, FEATURES, threshold, rules=threshold == 0.4)
        return
    long = [e for e in entries if e.size >= LONG]
    whole, every = Scores(), Scores()
    for e in long:
        every.add(e.rule, e.gold, e.acceptable)
        if e.whole:
            whole.add(e.rule, e.gold, e.acceptable)
    print(f"{len(entries)} development entries, {len(long)} long ({LONG} words or more)")
    print(f"{'the shipped rules':44} whole 6+: {shown(whole)}   long: {shown(every)}")
    without_rule = [k for k in FEATURES if k != "rule"]
    for name, keys, mode, bag in (
        ("re-rank, rule features", FEATURES, "rerank", False),
        ("re-rank, rule features but its decision", without_rule, "rerank", False),
        ("re-rank, rule features + bag of words", FEATURES, "rerank", True),
        ("veto the rule's labels", without_rule, "veto", False),
        ("add to the rule's labels", without_rule, "add", False),
    ):
        for threshold in (0.4, 0.5, 0.6):

            def decide(
                e: Entry, p: dict[str, float], mode: str = mode, t: float = threshold
            ) -> frozenset[str]:
                if mode == "veto":
                    return frozenset(x for x in e.rule if p.get(x, 1.0) >= t)
                chosen = frozenset(x for x, q in p.items() if q >= t)
                return e.rule | chosen if mode == "add" else chosen

            def rows_of(e: Entry, mode: str = mode) -> Sequence[tuple[str, dict[str, float]]]:
                if mode == "rerank":
                    return e.rows
                return [(t, f) for t, f in e.rows if (t in e.rule) == (mode == "veto")]

            w, a = cross_validate(entries, keys, decide, rows_of, bag=bag, repeats=args.repeats)
            shown_w, shown_a = shown(w, args.repeats), shown(a, args.repeats)
            print(f"{name + f', p >= {threshold}':44} whole 6+: {shown_w}   long: {shown_a}")


if __name__ == "__main__":
    main()
