"""Does where a topic is said (the lead) or how densely help the topic rules on long texts?

An experiment of the eleventh topics round (tests/data/topics/README.md, "round 11"), kept so
that its figures can be rerun: **not shipped** (no variant raises precision and coverage together).
Development parts only: a held-out entry is never read. The shipped rules
(`watcher.understand.matching.MatcherSet.matching`, firmly, with the outside subjects) are
re-implemented here with hooks (:func:`labels`), checked to give the shipped labels on every
development entry with no hook set, then varied:

* ``lead``: each place of a cue in a long text's first ``lead_words`` words weighs
  ``lead_weight`` times more (the title and lead say what the article is about);
* ``fallback_lead``: a long text whose best topic is under its threshold keeps it only when one of
  its cues is in the first ``fallback_lead`` words;
* ``second_lead``: a topic other than the best one needs a cue in the first ``second_lead`` words;
* ``rescue``: a long text left with no topic takes the topic with the most evidence in its first
  ``rescue_words`` words when that evidence reaches ``rescue`` (and the whole text's reaches it
  plus ``rescue_more``);
* ``second_density``: density, a topic other than the best one needs ``second_density`` cues per
  150 words, however long the text (the threshold stops at ``MOST_CUES``);
* ``cap``: density, the threshold of texts over ``cap_from`` words grows past ``MOST_CUES`` up to
  ``cap`` cues (one per 150 words).

Each family is cross-validated **grouped by site** (5 folds, 10 shuffles of the sites): on each
fold the setting (the shipped rules among them) with the best precision + coverage on the
training sites' long texts is scored on the fold's. ``python -m benchmarks.topics_position_cv
[--repeats N] [--extra FILE …]`` (``--extra``: a whole-article file not yet registered in
``WHOLE_ARTICLES``, its development entries added); ``--fresh FILE``: each family's setting chosen
on every other file's long texts, scored on FILE's entries (a batch nobody tuned on).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass

from benchmarks.quality_topics import (
    DATA,
    EXTRA_BATCHES,
    WHOLE_ARTICLES,
    Scores,
    domain_of,
    load_paragraphs,
    starter_enricher,
)
from watcher.understand import matching as rules
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.matching import Analysed, Matcher, analyse, firm_threshold

FOLDS = 5
Setting = Mapping[str, float]


@dataclass(frozen=True)
class Entry:
    id: str
    site: str
    file: str
    kind: str  # "whole" (batches 6 and later), "art5" (batch 5's ~300-word articles), "para"
    gold: frozenset[str]
    acceptable: frozenset[str]
    doc: Analysed
    shipped: frozenset[str]


def development(extra: Sequence[str] = ()) -> list[Entry]:
    """Every development entry, analysed, with the shipped rules' labels."""
    enricher = starter_enricher()
    extra_paths = [DATA.with_name(name) for name in extra]
    whole = {*WHOLE_ARTICLES, *extra_paths}
    entries = []
    for path in dict.fromkeys((DATA, *EXTRA_BATCHES, *WHOLE_ARTICLES, *extra_paths)):
        for p in load_paragraphs(path):
            if p.split != "dev":
                continue
            kind = "whole" if path in whole else "art5" if p.is_article else "para"
            doc = analyse(blank_boilerplate(p.text))
            shipped = frozenset(enricher._classify(doc)[1])
            entries.append(
                Entry(p.id, domain_of(p.url), path.name, kind, p.topics, p.acceptable, doc, shipped)
            )
    return entries


def _weighted(m: Matcher, doc: Analysed, taken: Set[int], weight: Callable[[int], float]) -> float:
    firm, loose = m._places(doc, taken)
    return sum(map(weight, firm)) + 0.5 * sum(map(weight, loose - firm))


def _first(m: Matcher, doc: Analysed, taken: Set[int]) -> int:
    return min(m.places(doc, taken), default=len(doc.keys))


def labels(doc: Analysed, setting: Setting) -> frozenset[str]:
    """The shipped topic rules with the hooks of ``setting`` (none: the shipped labels)."""
    topics = starter_enricher()._topics
    names, firm = topics.names, topics._matchers or ()
    hit = {i for i, m in enumerate(firm) if m.matches(doc)}
    away = [o for o in topics._outside if o.matches(doc)]
    if not hit:
        return frozenset()
    size, need = len(doc.keys), firm_threshold(doc)
    evidence: dict[int, float] = {}
    taken: dict[int, Set[int]] = {}
    nothing: Set[int] = frozenset()
    lead, times = setting.get("lead_words", 0), setting.get("lead_weight", 1.0)

    def weight(p: int) -> float:
        return times if p < lead else 1.0

    if need == 1.0:
        hit = {i for i in hit if firm[i].matches_firmly(doc)}
    else:
        said = [(i, phrase) for key in doc.counts for i, phrase in topics._phrases.get(key, ())]
        taken = rules._taken(hit, said, doc)
        evidence = {i: _weighted(firm[i], doc, taken.get(i, nothing), weight) for i in hit}
        if "cap" in setting and size > setting["cap_from"]:
            need = max(1.0, min(size / rules.WORDS_PER_CUE, setting["cap"]))
        places = {i: firm[i].places(doc, taken.get(i, nothing)) for i in hit}
        best = max(evidence.values())
        least = setting.get("least_best", rules.LEAST_BEST)
        fallback = False
        if need > best >= max(least, setting.get("best_share", rules.BEST_SHARE) * need):
            tops = [i for i, e in evidence.items() if e == best]
            within = setting.get("fallback_lead", size + 1)
            if any(_first(firm[i], doc, taken.get(i, nothing)) < within for i in tops):
                need, fallback = best, True
        low = need if fallback else setting.get("second_share", 1.0) * need
        kept = rules._dominant({i: e for i, e in evidence.items() if e >= low})
        if fallback and "fallback_firm" in setting:  # firm places: phrases, names, long words
            least_firm = setting["fallback_firm"]
            kept = {
                i for i in kept if len(firm[i]._places(doc, taken.get(i, nothing))[0]) >= least_firm
            }
        if fallback and setting.get("fallback_sole") and len(kept) > 1:
            kept = set()
        if fallback and "fallback_parts" in setting and size >= rules.SPREAD_WORDS:
            parts = setting["fallback_parts"]
            kept = {i for i in kept if len({p * rules.PARTS // size for p in places[i]}) >= parts}
        if len(kept) > 1 and size >= rules.SPREAD_WORDS:
            kept = rules._spread(kept, evidence, places, doc)
        if "second_lead" in setting and len(kept) > 1:
            top = max(evidence[i] for i in kept)
            kept = {
                i
                for i in kept
                if evidence[i] == top
                or _first(firm[i], doc, taken.get(i, nothing)) < setting["second_lead"]
            }
        if "second_density" in setting and len(kept) > 1:
            top = max(evidence[i] for i in kept)
            dense = setting["second_density"] * size / rules.WORDS_PER_CUE
            kept = {i for i in kept if evidence[i] == top or evidence[i] >= dense}
        if not kept and "rescue" in setting:
            words = setting["rescue_words"]
            in_lead = {
                i: _weighted(firm[i], doc, taken.get(i, nothing), lambda p: float(p < words))
                for i in evidence
            }
            top = max(in_lead.values())
            if top >= setting["rescue"]:
                more = setting.get("rescue_more", 0.0)
                kept = {i for i, e in in_lead.items() if e == top and evidence[i] >= top + more}
        hit = kept
    if hit and away:
        most = max(o.evidence(doc) for o in away)
        hit = {
            i
            for i in hit
            if (evidence.get(i) or firm[i].evidence(doc, taken.get(i, nothing)))
            * rules.OUTSIDE_DOMINANCE
            >= most
        }
    return frozenset(names[i] for i in hit)


def shown(s: Scores) -> str:
    return (
        f"P {s.precision:.3f} ({s.correct}/{s.assigned}) sensible {s.sensible_precision:.3f} "
        f"C {s.coverage:.3f} ({s.covered}/{s.with_gold}) FA {s.false_alarms}/{s.without_gold}"
    )


FAMILIES: dict[str, list[Setting]] = {
    "lead weight": [
        {"lead_words": n, "lead_weight": w} for n in (50, 100, 150, 200) for w in (1.5, 2.0, 3.0)
    ],
    "fallback needs a lead cue": [{"fallback_lead": n} for n in (100, 150, 200, 300)],
    "second topic needs a lead cue": [{"second_lead": n} for n in (100, 150, 200)],
    "second topic density": [{"second_density": f} for f in (0.5, 0.75, 1.0, 1.25, 1.5)],
    "lead rescue": [
        {"rescue": r, "rescue_words": n, "rescue_more": m}
        for n in (100, 150)
        for r in (1.0, 1.5, 2.0)
        for m in (0.0, 1.0)
    ],
    "density cap": [{"cap": c, "cap_from": 600} for c in (5, 6, 8)],
    # the twelfth round (tests/data/topics/README.md): how a best topic under its threshold is kept
    "fallback share": [{"best_share": f} for f in (0.6, 0.7, 0.75)]
    + [{"least_best": e} for e in (2.0, 2.5, 3.0)],
    "fallback spread": [{"fallback_parts": n} for n in (2, 3)],
    "fallback not on a tie": [{"fallback_sole": 1.0}],
    "fallback needs firm cues": [{"fallback_firm": n} for n in (1, 2, 3)],
    "second topic needs less": [{"second_share": f} for f in (0.5, 0.75)],
}
LONG_KINDS = ("whole", "art5")


def cross_validate(
    entries: Sequence[Entry], grid: Sequence[Setting], repeats: int, seed: int = 0
) -> tuple[Scores, Scores, Counter[int]]:
    """Per fold of sites, the setting of ``grid`` (0: the shipped rules) with the best precision +
    coverage on the other sites' long texts, scored on the fold's; the shipped rules beside."""
    rng = random.Random(seed)
    long = [e for e in entries if e.kind in LONG_KINDS]
    sites = sorted({e.site for e in long})
    found = {(e.id, k): labels(e.doc, s) for e in long for k, s in enumerate(grid)}
    chosen, shipped, picks = Scores(), Scores(), Counter[int]()
    for _ in range(repeats):
        rng.shuffle(sites)
        fold = {site: i % FOLDS for i, site in enumerate(sites)}
        for f in range(FOLDS):
            train = [e for e in long if fold[e.site] != f]
            best, pick = -1.0, 0
            for k in range(len(grid)):
                s = Scores()
                for e in train:
                    s.add(found[e.id, k], e.gold, e.acceptable)
                if s.precision + s.coverage > best + 1e-9:
                    best, pick = s.precision + s.coverage, k
            picks[pick] += 1
            for e in long:
                if fold[e.site] == f:
                    chosen.add(found[e.id, pick], e.gold, e.acceptable)
                    shipped.add(e.shipped, e.gold, e.acceptable)
    return chosen, shipped, picks


def fresh(entries: Sequence[Entry], name: str) -> None:
    """Each family's setting chosen on every other development long text (the shipped rules
    among them), scored on the entries of file ``name``: what it does on text nobody tuned on."""
    long = [e for e in entries if e.kind in LONG_KINDS]
    train = [e for e in long if e.file != name]
    test = [e for e in entries if e.file == name]
    s = Scores()
    for e in test:
        s.add(e.shipped, e.gold, e.acceptable)
    print(f"{name} ({len(test)} development entries), the shipped rules: {shown(s)}")
    for family, grid in FAMILIES.items():
        best = -1.0
        pick: Setting = {}
        for setting in [{}, *grid]:
            t = Scores()
            for e in train:
                t.add(labels(e.doc, setting), e.gold, e.acceptable)
            if t.precision + t.coverage > best + 1e-9:
                best, pick = t.precision + t.coverage, setting
        s = Scores()
        for e in test:
            s.add(labels(e.doc, pick), e.gold, e.acceptable)
        chosen = " ".join(f"{k}={v:g}" for k, v in pick.items()) or "the shipped rules"
        print(f"  {family:30} {chosen:42} {shown(s)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--extra", nargs="*", default=[], help="more whole-article files")
    parser.add_argument("--fresh", help="a file to score, settings chosen on the other files")
    args = parser.parse_args(argv)
    entries = development(args.extra)
    if args.fresh:
        fresh(entries, args.fresh)
        return
    differ = [e.id for e in entries if labels(e.doc, {}) != e.shipped]
    assert not differ, f"the re-implementation differs from the shipped rules on {differ}"
    counts = Counter(e.kind for e in entries)
    print(f"{len(entries)} development entries {dict(counts)}; the re-implemented rules agree")
    for kind in ("whole", "art5", "para"):
        s = Scores()
        for e in entries:
            if e.kind == kind:
                s.add(e.shipped, e.gold, e.acceptable)
        print(f"the shipped rules, {kind:5}: {shown(s)}")
    print("\nin sample (every development entry; whole articles | batch 5's articles):")
    for family, grid in FAMILIES.items():
        for setting in grid:
            row = []
            for kind in ("whole", "art5"):
                s = Scores()
                for e in entries:
                    if e.kind == kind:
                        s.add(labels(e.doc, setting), e.gold, e.acceptable)
                row.append(shown(s))
            name = " ".join(f"{k}={v:g}" for k, v in setting.items())
            print(f"  {family:30} {name:42} {row[0]} | {row[1]}")
    print(f"\nsite-grouped CV ({FOLDS} folds x {args.repeats} shuffles; long texts: {LONG_KINDS})")
    for family, grid in FAMILIES.items():
        chosen, shipped, picks = cross_validate(entries, [{}, *grid], args.repeats)
        print(f"  {family:30} chosen  {shown(chosen)}")
        print(f"  {'':30} shipped {shown(shipped)}   picks {picks.most_common(3)}")


if __name__ == "__main__":
    main()
