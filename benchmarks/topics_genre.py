"""The fifteenth round's genre detector, scored by its registered rule (topics README).

A long text (more than 150 words) whose genre outside the taxonomy (sport, culture, faits divers,
weather: ``benchmarks/data/topics_genres15.yml``, with the shipped ``outside`` subjects' keywords
of the same id) is said firmly (its evidence at least the topic threshold for the text's length)
asks every topic for at least the genre's evidence, and keeps no best topic under its threshold.
It did **not** ship (the README's "Fifteenth round"): it lives here only (:class:`GenreMatcherSet`,
on top of the shipped rules; the same labels as the version that was written into
``watcher/understand/matching.py`` for the check, on all 768 texts scored). This script scores the
shipped rules with and without it, on **development entries only** (held-out entries are dropped
before anything is classified; batch 18, both parts, is left to the lead):

* the development whole articles (batches 6–10, 12–15 and 17), pooled and per batch;
* the development paragraphs (``news_fr.yml``, batches 3–5) and batch 5's development articles;
* with ``--audit PAGES.txt``, the fourteenth round's audit set (``benchmarks/topics_audit.py``);
* with ``--floors``, every development floor of ``tests/test_quality_topics.py`` (the rules of
  this tree, without the detector);
* with ``--ratio R``, a topic needs R × the genre's evidence instead of 1 × (for the record only:
  the registered rule is R = 1).

``python -m benchmarks.topics_genre [--audit PAGES.txt] [--floors] [--changes] [--ratio R]``
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path

import yaml

from benchmarks import quality_topics as q
from watcher.taxonomy import outside_subjects, topic_specs
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.matching import (
    Analysed,
    Matcher,
    MatcherSet,
    _has_phrase,
    _taken,
    analyse,
    compile_matcher,
    firm_threshold,
)

Classify = Callable[[str], tuple[str, ...]]
# the whole-article files of the development side this round may look at (batch 18: the lead's)
WHOLE_DEV = tuple(f for f in q.WHOLE_ARTICLES if f != q.BATCH18)
NEWEST = (q.BATCH14, q.BATCH15, q.BATCH17)


GENRES = Path(__file__).resolve().parent / "data" / "topics_genres15.yml"


def genre_lexicons() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(id, keywords) of each genre: the registered lexicons, plus the keywords of the shipped
    `outside` subject of the same id (sport, faits divers)."""
    outside = {o.id: o.keywords for o in outside_subjects()}
    raw = yaml.safe_load(GENRES.read_text(encoding="utf-8"))["genres"]
    found = []
    for genre in raw:
        keywords = tuple(str(k) for k in genre["keywords"])
        more = tuple(k for k in outside.get(str(genre["id"]), ()) if k not in keywords)
        found.append((str(genre["id"]), keywords + more))
    return tuple(found)


class GenreMatcherSet(MatcherSet):
    """The shipped topic rules, then the genre detector (long texts only): when the text's
    genre evidence G (the largest of the genres') reaches the threshold for its length, a topic
    is kept only if its evidence (as the rules weigh it) is at least ``ratio`` × G. With ratio 1
    this is exactly the registered rule (need raised to G, no fallback): the rules' dominance and
    spread are relative to the best topic's evidence, which the raised need does not change, so
    the labels are the rules' labels that reach G."""

    def __init__(
        self,
        named: Sequence[tuple[str, Matcher]],
        *,
        outside: Sequence[Matcher],
        genres: Sequence[Matcher],
        ratio: float = 1.0,
    ) -> None:
        super().__init__(named, firmly=True, outside=outside)
        self.genres = tuple(genres)
        self.ratio = ratio

    def matching(self, doc: Analysed) -> tuple[str, ...]:
        labels = super().matching(doc)
        need = firm_threshold(doc)
        if not labels or need == 1.0:  # a paragraph: unchanged
            return labels
        genre = max((g.evidence(doc) for g in self.genres), default=0.0)
        if genre < need:
            return labels
        taken = _taken(*self._candidates(doc), doc)
        firm = self._matchers
        assert firm is not None
        index = {name: i for i, name in enumerate(self.names)}
        return tuple(
            name
            for name in labels
            if firm[index[name]].evidence(doc, taken.get(index[name], frozenset()))
            >= self.ratio * genre
        )

    def _candidates(
        self, doc: Analysed
    ) -> tuple[set[int], list[tuple[int, tuple[frozenset[str], ...]]]]:
        """The topics ``doc`` says a keyword of and the phrases looked up (as ``matching``)."""
        hit: set[int] = set()
        said: list[tuple[int, tuple[frozenset[str], ...]]] = []
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


def classifiers(ratio: float = 1.0) -> tuple[Classify, Classify]:
    """The shipped rules (``starter_enricher``'s topics) and the same with the genre detector."""
    shipped = q.starter_enricher()._topics
    specs = topic_specs(q.parse_watch(_STARTER(), Path("sources.yml")))
    named = [(t.id, compile_matcher(t.keywords, strong=t.strong, weak=t.weak)) for t in specs]
    with_genres = GenreMatcherSet(
        named,
        outside=[compile_matcher(o.keywords) for o in outside_subjects()],
        genres=[compile_matcher(keywords) for _, keywords in genre_lexicons()],
        ratio=ratio,
    )

    def run(ms: MatcherSet) -> Classify:
        return lambda text: ms.matching(analyse(blank_boilerplate(text)))

    return run(shipped), run(with_genres)


def _STARTER() -> str:
    return resources.files("watcher").joinpath("starter/sources.yml").read_text("utf-8")


def dev(entries: Iterable[q.Paragraph]) -> tuple[q.Paragraph, ...]:
    """Development entries only: applied before anything is classified."""
    return tuple(p for p in entries if p.split == "dev")


def scores(entries: Sequence[q.Paragraph], labels: dict[str, tuple[str, ...]]) -> q.Scores:
    s = q.Scores()
    for p in entries:
        s.add(labels[p.id], p.topics, p.acceptable)
    return s


def line(name: str, s: q.Scores) -> str:
    return (
        f"{name:34} P {s.precision:.3f} ({s.correct}/{s.assigned}) S {s.sensible_precision:.3f}"
        f" C {s.coverage:.3f} ({s.covered}/{s.with_gold}) FA {s.false_alarms}/{s.without_gold}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--audit", type=Path, help="the audit set's pages (topics_audit.py)")
    parser.add_argument("--floors", action="store_true", help="check the development floors")
    parser.add_argument("--changes", action="store_true", help="list the labels that change")
    parser.add_argument("--ratio", type=float, default=1.0, help="R x the genre's evidence")
    args = parser.parse_args(argv)
    before, after = classifiers(args.ratio)
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
    every = {p.id: p for _, entries in groups for p in entries}
    old = {i: before(p.text) for i, p in every.items()}
    new = {i: after(p.text) for i, p in every.items()}
    for name, entries in groups:
        print(line(name, scores(entries, old)))
        print(line("  with the genre detector", scores(entries, new)))
    same = sum(old[p.id] == new[p.id] for p in paragraphs)
    print(f"paragraphs with the same labels: {same} of {len(paragraphs)}")
    if args.changes:
        genres = {g: compile_matcher(keywords) for g, keywords in genre_lexicons()}
        for i, p in every.items():
            if old[i] != new[i]:
                doc = analyse(blank_boilerplate(p.text))
                g = {k: m.evidence(doc) for k, m in genres.items()}
                top = max(g, key=g.__getitem__)
                gone = [(t, _verdict(t, p)) for t in old[i] if t not in new[i]]
                print(f"  {i}: dropped {gone}, kept {list(new[i])}; genre {top} {g[top]}")
    if args.audit:
        audit(args.audit, before, after)
    if args.floors:
        floors()


def _verdict(topic: str, p: q.Paragraph) -> str:
    return "right" if topic in p.topics else "acceptable" if topic in p.acceptable else "wrong"


def audit(pages: Path, before: Classify, after: Classify) -> None:
    from benchmarks import topics_audit as a

    skip, judged = a.used_domains(), a.read_judgements()
    for name, classify in (("audit set, the rules", before), ("  with the genre detector", after)):
        labels = {
            url: classify(text)
            for url, text in a.read_pages(pages)
            if q.domain_of(url) not in skip and q.urlsplit(url).hostname
        }
        counts, unjudged = a.score(labels, judged)
        n = sum(counts.values())
        print(
            f"{name:34} {len(labels)} pages, {sum(map(bool, labels.values()))} labelled; judged"
            f" {n}: main {counts['main']}, acceptable {counts['acceptable']}, wrong"
            f" {counts['wrong']}; precision {counts['main'] / n:.3f}, sensible"
            f" {(counts['main'] + counts['acceptable']) / n:.3f}; not judged {len(unjudged)}"
        )


def floors() -> None:
    """Every development floor of tests/test_quality_topics.py, on development entries only
    (batch 18 aside): the shipped rules as they are in this tree."""
    import tests.test_quality_topics as t

    def check(name: str, entries: Sequence[q.Paragraph], wanted: dict) -> q.Report | None:  # type: ignore[type-arg]
        if "dev" not in wanted:
            return None
        report = q.evaluate(dev(entries))
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
