"""Do semantic features (the spaCy model's word vectors) generalise better than words for topics?

An experiment of the eleventh topics round (tests/data/topics/README.md), development parts only:
every development entry of ``tests/data/topics`` (paragraphs and articles; a held-out entry is
never read) is classified by the rules on the path (see ``benchmarks.topics_rerank_cv``, whose
loading, candidate rows and logistic regression are reused) and gets a vector from the static
300-d vectors of ``fr_core_news_md`` (its tokenizer only, as ``Doc.vector`` would average them):

* ``mean``: every word's vector averaged; ``content``: words with letters only, stop words out;
  ``lead``: the content words of the first 100 words (title and lead); ``paras``: each line's
  content vector normalised, then averaged (the mean of the paragraph vectors).

Variants, cross-validated **grouped by site** (5 folds, 10 shuffles of the sites, as the re-ranker):

* (a) ``vectors``: a per-topic logistic regression (L2, numpy) on the text's vector (projected on
  the training fold's first 64 principal axes and standardised), alone: a topic when its
  probability is at least ``t`` (the two best at most);
* (b) with the rules: ``veto`` a rule label whose probability is under ``t`` (or every one but
  the likeliest; or two tiers: the likeliest under a lower bound, the others under ``t``);
  ``add`` the model's best topic when the rules give nothing and it is at least ``t``; the
  re-ranker over the rules' evidence features plus the model's logit (computed out of fold
  inside the training part);
* (c) the cosine of the text's vector to each topic's centroid (the training part's labels) or to
  its description (label and keywords of the taxonomy, through the same vectors), as a feature of
  the re-ranker.

Whole articles (batches 6 and later) and paragraphs (the entries that are not articles) are
scored apart, next to the rules'. ``--fresh FILE`` trains on every other development file and
scores ``FILE`` (run it with the rules as they were when that file came, on ``PYTHONPATH``).

``python -m benchmarks.topics_vectors_cv [--repeats N] [--kinds content paras] [--fresh FILE]``

``python -m benchmarks.topics_vectors_cv --registered``: the thirteenth round's six registered
variants (``REGISTERED``), their site-grouped CV and leave one batch out (``LEAVE_OUT``: batches
17, 15 and 14, each scored by a model trained on every other development file).
"""

from __future__ import annotations

import argparse
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks.quality_topics import (
    DATA,
    EXTRA_BATCHES,
    WHOLE_ARTICLES,
    Scores,
    load_paragraphs,
    load_taxonomy,
)
from benchmarks.topics_rerank_cv import FEATURES, FOLDS, Entry, candidates, fit, shown
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.nlp import DEFAULT_MODEL, load_pipeline

KINDS = ("mean", "content", "lead", "paras")
DIMS = 64  # principal axes kept from the 300-d vectors
LEAD = 100  # words of the title and lead
L2 = 10.0
MIN_POSITIVES = 3  # a topic with fewer training texts gets no vector model
RULE_KEYS = tuple(k for k in FEATURES)


@dataclass(frozen=True)
class Item:
    entry: Entry
    paragraph: bool  # an entry that is not a whole article
    vectors: dict[str, np.ndarray]  # kind -> unit vector


def unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def tokenizer() -> Any:
    """The model with no component: its tokenizer and static vectors (what ``Doc.vector`` uses)."""
    return load_pipeline(DEFAULT_MODEL, keep=())


def vectorise(nlp: Any, text: str) -> dict[str, np.ndarray]:
    """The four vectors of ``text`` (its boilerplate blanked first)."""
    zero = np.zeros(nlp.vocab.vectors.shape[1], dtype=np.float32)

    def content(tokens: Sequence[Any]) -> list[np.ndarray]:
        return [t.vector for t in tokens if t.is_alpha and not t.is_stop and t.has_vector]

    def mean(vectors: Sequence[np.ndarray]) -> np.ndarray:
        return unit(np.mean(vectors, axis=0)) if vectors else zero

    doc = nlp.make_doc(text)
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    lines = [nlp.make_doc(line) for line in text.split("\n") if line.strip()]
    paras = [v for line in lines if (c := content(list(line))) for v in [mean(c)]]
    return {
        "mean": mean([t.vector for t in words if t.has_vector]),
        "content": mean(content(words)),
        "lead": mean(content(words[:LEAD])),
        "paras": mean(paras),
    }


def development() -> list[Item]:
    nlp = tokenizer()
    whole = {path.name for path in WHOLE_ARTICLES}
    return [
        Item(
            candidates(p, path.name, path.name in whole),
            not p.is_article,
            vectorise(nlp, blank_boilerplate(p.text)),
        )
        for path in (DATA, *EXTRA_BATCHES, *WHOLE_ARTICLES)
        for p in load_paragraphs(path)
        if p.split == "dev"
    ]


def descriptions() -> dict[str, dict[str, np.ndarray]]:
    """Each topic's label and keywords through the same vectors."""
    nlp = tokenizer()
    return {
        t.id: vectorise(nlp, t.label + ". " + ", ".join((*t.keywords, *t.strong, *t.weak)))
        for t in load_taxonomy()
    }


def sigmoid(z: np.ndarray | float) -> Any:
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


class VectorModel:
    """Per-topic logistic regressions on the training part's principal axes; and each topic's
    centroid."""

    def __init__(self, train: Sequence[Item], kind: str) -> None:
        x = np.array([i.vectors[kind] for i in train], dtype=float)
        self.kind, self.mean = kind, x.mean(axis=0)
        _, _, vt = np.linalg.svd(x - self.mean, full_matrices=False)
        self.axes = vt[:DIMS].T
        z = (x - self.mean) @ self.axes
        self.scale = z.std(axis=0) + 1e-9
        design = np.c_[np.ones(len(z)), z / self.scale]
        self.weights: dict[str, np.ndarray] = {}
        self.centroids: dict[str, np.ndarray] = {}
        for topic in sorted({t for i in train for t in i.entry.gold}):
            y = np.array([float(topic in i.entry.gold) for i in train])
            self.centroids[topic] = unit((x - self.mean)[y > 0].mean(axis=0))
            if y.sum() >= MIN_POSITIVES:
                self.weights[topic] = fit(design, y, L2)

    def logits(self, item: Item) -> dict[str, float]:
        z = (item.vectors[self.kind] - self.mean) @ self.axes / self.scale
        row = np.r_[1.0, z]
        return {t: float(w @ row) for t, w in self.weights.items()}

    def centroid(self, item: Item, topic: str) -> float:
        c = self.centroids.get(topic)
        return float(unit(item.vectors[self.kind] - self.mean) @ c) if c is not None else 0.0


def features(model: VectorModel, item: Item) -> dict[str, float]:
    """The model's logit of each topic, and the cosine to each centroid (keys ``c:topic``)."""
    return {**model.logits(item), **{"c:" + t: model.centroid(item, t) for t in model.centroids}}


def described(
    item: Item, topic: str, kind: str, desc: dict[str, dict[str, np.ndarray]], mean: np.ndarray
) -> float:
    d = desc.get(topic)
    return float(unit(item.vectors[kind] - mean) @ unit(d[kind] - mean)) if d else 0.0


Extra = Callable[[Item, str], dict[str, float]]  # item, candidate topic -> extra features


def rerank_weights(
    train: Sequence[Item], extra: Extra, keys: Sequence[str]
) -> tuple[np.ndarray, list[str]]:
    names: list[str] = []
    x, y = [], []
    for i in train:
        for topic, f in i.entry.rows:
            more = extra(i, topic)
            names = [*keys, *sorted(more)]
            x.append([*(f[k] for k in keys), *(more[k] for k in sorted(more))])
            y.append(float(topic in i.entry.gold))
    return fit(np.array(x), np.array(y)), names


def reranked(i: Item, w: np.ndarray, extra: Extra, keys: Sequence[str]) -> dict[str, float]:
    out = {}
    for topic, f in i.entry.rows:
        more = extra(i, topic)
        v = [*(f[k] for k in keys), *(more[k] for k in sorted(more))]
        out[topic] = float(sigmoid(np.dot(w, v)))
    return out


def top(p: dict[str, float], t: float, most: int = 2) -> frozenset[str]:
    return frozenset(sorted((x for x, q in p.items() if q >= t), key=lambda x: -p[x])[:most])


def kept(rule: frozenset[str], p: dict[str, float]) -> str:
    """The rule label the model finds likeliest (kept by the vetoes that keep one)."""
    return max(sorted(rule), key=lambda x: p.get(x, 1.0), default="")


def variants(
    train: Sequence[Item], test: Sequence[Item], kind: str, desc: dict[str, dict[str, np.ndarray]]
) -> dict[str, list[frozenset[str]]]:
    """Every variant's labels for each ``test`` item, trained on ``train``."""
    model = VectorModel(train, kind)
    # the training rows' model logits, out of fold (by site hash inside the training part)
    inner: dict[int, dict[str, float]] = {}
    for j in range(FOLDS):
        part = [i for i in train if zlib.crc32(i.entry.site.encode()) % FOLDS != j]
        held = [i for i in train if zlib.crc32(i.entry.site.encode()) % FOLDS == j]
        if part and held:
            m = VectorModel(part, kind)
            inner.update({id(i): features(m, i) for i in held})
    outer = {id(i): features(model, i) for i in test}

    def logit(i: Item, t: str) -> float:
        return (outer.get(id(i)) or inner.get(id(i), {})).get(t, -5.0)

    def centroid(i: Item, t: str) -> float:
        return (outer.get(id(i)) or inner.get(id(i), {})).get("c:" + t, 0.0)

    extras: dict[str, Extra] = {
        "rules": lambda i, t: {},
        "+logit": lambda i, t: {"logit": max(min(logit(i, t), 8.0), -8.0) / 4},
        "+centroid": lambda i, t: {"centroid": centroid(i, t)},
        "+description": lambda i, t: {"description": described(i, t, kind, desc, model.mean)},
    }
    extras["+all"] = lambda i, t: {
        k: v
        for name in ("+logit", "+centroid", "+description")
        for k, v in extras[name](i, t).items()
    }
    out: dict[str, list[frozenset[str]]] = {}
    probabilities = [{t: float(sigmoid(z)) for t, z in model.logits(i).items()} for i in test]
    best = [max(p, key=p.__getitem__) if p else "" for p in probabilities]
    for t in (0.3, 0.5, 0.7):
        out[f"(a) vectors alone, p >= {t}"] = [top(p, t) for p in probabilities]
    for t in (0.02, 0.05, 0.1, 0.2):
        out[f"(b) veto rule labels, p < {t}"] = [
            frozenset(x for x in i.entry.rule if p.get(x, 1.0) >= t)
            for i, p in zip(test, probabilities, strict=True)
        ]
    for t in (0.05, 0.1, 0.2, 0.3):
        out[f"(b) veto but the likeliest rule label, p < {t}"] = [
            frozenset(x for x in i.entry.rule if p.get(x, 1.0) >= t or x == kept(i.entry.rule, p))
            for i, p in zip(test, probabilities, strict=True)
        ]
    for solo, t in ((0.01, 0.2), (0.02, 0.2), (0.02, 0.3)):
        out[f"(b) veto but the likeliest < {t}, it < {solo}"] = [
            frozenset(
                x
                for x in i.entry.rule
                if p.get(x, 1.0) >= (solo if x == kept(i.entry.rule, p) else t)
            )
            for i, p in zip(test, probabilities, strict=True)
        ]
    for t in (0.5, 0.7, 0.9):
        out[f"(b) add best when rules empty, p >= {t}"] = [
            i.entry.rule or (frozenset({b}) if b and p[b] >= t else frozenset())
            for i, p, b in zip(test, probabilities, best, strict=True)
        ]
    out["(b) veto 0.05 + add 0.7"] = [
        frozenset(x for x in i.entry.rule if p.get(x, 1.0) >= 0.05)
        or (frozenset({b}) if not i.entry.rule and b and p[b] >= 0.7 else frozenset())
        for i, p, b in zip(test, probabilities, best, strict=True)
    ]
    for name, extra in extras.items():
        w, _ = rerank_weights(train, extra, RULE_KEYS)
        scored = [reranked(i, w, extra, RULE_KEYS) for i in test]
        label = "(b/c) re-rank " + name
        for t in (0.5, 0.6):
            out[f"{label}, p >= {t}"] = [top(p, t, 9) for p in scored]
        for t in (0.3, 0.5, 0.7):
            out[f"{label}, veto but likeliest, p < {t}"] = [
                frozenset(
                    x for x in i.entry.rule if p.get(x, 1.0) >= t or x == kept(i.entry.rule, p)
                )
                for i, p in zip(test, scored, strict=True)
            ]
    return out


def score(
    items: Sequence[Item], labels: Sequence[frozenset[str]], whole: Scores, paras: Scores
) -> None:
    for i, found in zip(items, labels, strict=True):
        if i.entry.whole:
            whole.add(found, i.entry.gold, i.entry.acceptable)
        elif i.paragraph:
            paras.add(found, i.entry.gold, i.entry.acceptable)


def cross_validate(
    items: Sequence[Item], kind: str, repeats: int, seed: int = 0, only: Sequence[str] = ()
) -> dict[str, tuple[Scores, Scores]]:
    """Every variant (or those named in ``only``) over ``repeats`` shuffles of the sites into
    FOLDS folds; printed, and returned (whole articles, paragraphs; counts summed over the
    repeats)."""
    desc = descriptions()
    rng = random.Random(seed)
    sites = sorted({i.entry.site for i in items})
    rules_w, rules_p = Scores(), Scores()
    score(items, [i.entry.rule for i in items], rules_w, rules_p)
    print(f"{'the rules':46} whole 6+: {shown(rules_w)}   paragraphs: {shown(rules_p)}")
    totals: dict[str, tuple[Scores, Scores]] = {}
    for _ in range(repeats):
        rng.shuffle(sites)
        fold = {site: n % FOLDS for n, site in enumerate(sites)}
        for k in range(FOLDS):
            train = [i for i in items if fold[i.entry.site] != k]
            test = [i for i in items if fold[i.entry.site] == k]
            for name, labels in variants(train, test, kind, desc).items():
                if only and name not in only:
                    continue
                w, p = totals.setdefault(name, (Scores(), Scores()))
                score(test, labels, w, p)
    for name, (w, p) in totals.items():
        print(f"{name:46} whole 6+: {shown(w, repeats)}   paragraphs: {shown(p, repeats)}")
    return totals


def fresh(items: Sequence[Item], name: str, kind: str) -> None:
    train = [i for i in items if i.entry.file != name]
    test = [i for i in items if i.entry.file == name]
    rules_w, rules_p = Scores(), Scores()
    score(test, [i.entry.rule for i in test], rules_w, rules_p)
    print(f"{'the rules on the path':46} {name}: {shown(rules_w)}")
    for variant, labels in variants(train, test, kind, descriptions()).items():
        w, p = Scores(), Scores()
        score(test, labels, w, p)
        print(f"{variant:46} {name}: {shown(w)}")


# The thirteenth round's registered variants (tests/data/topics/README.md): name -> (vectors,
# the variant's name in ``variants``). Fixed before they were scored on the grown set.
REGISTERED: dict[str, tuple[str, str]] = {
    "V1": ("content", "(b) veto but the likeliest < 0.2, it < 0.01"),
    "V2": ("paras", "(b) veto but the likeliest < 0.3, it < 0.02"),
    "V3": ("content", "(b) veto 0.05 + add 0.7"),
    "V4": ("content", "(b/c) re-rank rules, p >= 0.5"),
    "V5": ("content", "(b/c) re-rank +logit, p >= 0.6"),
    "V6": ("paras", "(b/c) re-rank +all, p >= 0.5"),
}
# the newest development batches, each scored by a model trained on every other development file
LEAVE_OUT = ("news_fr_batch17.yml", "news_fr_batch15.yml", "news_fr_batch14.yml")


def registered_cv(items: Sequence[Item], repeats: int) -> None:
    """The registered variants' site-grouped CV, with the rules' figures on the same entries."""
    rules_w, rules_p = Scores(), Scores()
    score(items, [i.entry.rule for i in items], rules_w, rules_p)
    found: dict[str, tuple[Scores, Scores]] = {}
    for kind in sorted({k for k, _ in REGISTERED.values()}):
        print(f"\n--- vectors: {kind}")
        wanted = [v for k, v in REGISTERED.values() if k == kind]
        totals = cross_validate(items, kind, repeats, only=wanted)
        found.update({n: totals[v] for n, (k, v) in REGISTERED.items() if k == kind})
    print(f"\nregistered variants, site-grouped CV ({FOLDS} folds x {repeats} shuffles)")
    print(f"{'rules':4} whole: {shown(rules_w)}   paragraphs: {shown(rules_p)}")
    for name in REGISTERED:
        w, p = found[name]
        print(f"{name:4} whole: {shown(w, repeats)}   paragraphs: {shown(p, repeats)}")


def leave_one_batch_out(items: Sequence[Item], names: Sequence[str]) -> None:
    """Each file of ``names`` scored by the registered variants trained on every other
    development file (its own model), then the files pooled, next to the rules."""
    desc = descriptions()
    table: dict[str, dict[str, Scores]] = {n: {} for n in ("rules", *REGISTERED)}
    for name in names:
        train = [i for i in items if i.entry.file != name]
        test = [i for i in items if i.entry.file == name]
        by_kind = {
            kind: variants(train, test, kind, desc) for kind in {k for k, _ in REGISTERED.values()}
        }
        labels = {n: by_kind[kind][variant] for n, (kind, variant) in REGISTERED.items()}
        for n, found in {"rules": [i.entry.rule for i in test], **labels}.items():
            score(test, found, table[n].setdefault(name, Scores()), Scores())
    print("\nleave one batch out (each trained on every other development file)")
    for n, per_file in table.items():
        pooled = Scores()
        for name in names:
            print(f"{n:5} {name:22} {shown(per_file[name])}")
            for key in ("assigned", "correct", "sensible", "with_gold", "covered"):
                setattr(pooled, key, getattr(pooled, key) + getattr(per_file[name], key))
            for key in ("without_gold", "false_alarms"):
                setattr(pooled, key, getattr(pooled, key) + getattr(per_file[name], key))
        print(f"{n:5} {'pooled':22} {shown(pooled)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--fresh", help="a development file to score, trained on the others only")
    parser.add_argument(
        "--registered",
        action="store_true",
        help="the thirteenth round's registered variants only: CV and leave one batch out",
    )
    args = parser.parse_args(argv)
    items = development()
    whole = sum(i.entry.whole for i in items)
    paragraphs = sum(i.paragraph for i in items)
    print(f"{len(items)} development entries: {whole} whole articles, {paragraphs} paragraphs")
    if args.registered:
        leave_one_batch_out(items, LEAVE_OUT)
        registered_cv(items, args.repeats)
        return
    for kind in args.kinds:
        print(f"\n--- vectors: {kind}")
        if args.fresh:
            fresh(items, args.fresh, kind)
        else:
            cross_validate(items, kind, args.repeats)


if __name__ == "__main__":
    main()
