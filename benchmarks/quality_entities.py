"""Named entities on a public labelled French NER set (issue 18): Watcher next to raw spaCy.

The sets are ``tests/data/entities/wikineural_fr.txt`` (development: sentences of the French
WikiNEuRal *test* split) and ``wikineural_fr_heldout.txt`` (held out: its *validation* split),
and the larger ``wikineural_fr_dev2.txt`` and ``wikineural_fr_heldout2.txt`` (other offsets of
both splits), copied from the public repository Babelscape/wikineural (see the README beside
them). One
sentence a line, tokens separated by spaces as in the CoNLL file, each entity written
``{LABEL tok tok}``; :func:`detokenise` rebuilds French spacing and the gold character spans.

The score is exact span + type: an entity counts as found when its text and its label are
those of a gold entity of the same sentence (``(text, label)`` pairs compared per sentence).
Five columns: the raw ``fr_core_news_sm`` entities (``doc.ents``: the issue's baseline, the
model Watcher used until December), the raw entities of the default model
(:data:`~watcher.understand.nlp.DEFAULT_MODEL`, ``fr_core_news_md``), Watcher's entity mentions
on the default model (:func:`watcher.understand.nlp.entity_mentions`: boundaries, labels and
junk fixed; mentions inside a legal or normative citation left out, as processing does), what
the item page and the search facets show of them (the confident ones, :func:`shown_pairs`),
and the figures of Watcher before issue 18 (:data:`BASELINE`, measured on the same sets with
its normalised entity names, on ``fr_core_news_sm``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from benchmarks.quality_refs import TODAY
from benchmarks.quality_topics import split_of
from watcher.understand.nlp import (
    DEFAULT_MODEL,
    LABELS,
    RefSpan,
    entity_mentions,
    in_reference,
    load_pipeline,
    normalise_entities,
    without_references,
)
from watcher.understand.refs import find_references

if TYPE_CHECKING:
    from spacy.tokens import Doc

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "entities"
SETS = {
    "dev": DATA / "wikineural_fr.txt",
    "heldout": DATA / "wikineural_fr_heldout.txt",
    "dev2": DATA / "wikineural_fr_dev2.txt",
    "heldout2": DATA / "wikineural_fr_heldout2.txt",
}
# Real French news paragraphs labelled by hand, split by site as the topics' paragraphs: the
# first set (news_dev, news_heldout), the second (news2_dev, news2_heldout), the third (news3_dev,
# news3_heldout), the fourth (news4_dev, news4_heldout: 74 sites no other set used), the fifth
# (news5_dev, news5_heldout: 76 sites no other set used), the sixth (news6_dev, news6_heldout:
# 72 sites no other set used), the seventh (news7_dev, news7_heldout: 62 sites no other set
# used), the eighth (news8_dev, news8_heldout: 73 sites no other set used), the ninth (news9_dev,
# news9_heldout: 77 sites no other set used), the tenth (news10_dev, news10_heldout: 75 sites no
# other set used), the eleventh (news11_dev, news11_heldout: 52 sites no other set used) and the
# twelfth, fresh one (news12_dev, news12_heldout: 31 sites no other set used).
NEWS = DATA / "news_fr_entities.yml"
NEWS2 = DATA / "news_fr_entities2.yml"
NEWS3 = DATA / "news_fr_entities3.yml"
NEWS4 = DATA / "news_fr_entities4.yml"
NEWS5 = DATA / "news_fr_entities5.yml"
NEWS6 = DATA / "news_fr_entities6.yml"
NEWS7 = DATA / "news_fr_entities7.yml"
NEWS8 = DATA / "news_fr_entities8.yml"
NEWS9 = DATA / "news_fr_entities9.yml"
NEWS10 = DATA / "news_fr_entities10.yml"
NEWS11 = DATA / "news_fr_entities11.yml"
NEWS12 = DATA / "news_fr_entities12.yml"
NEWS_FILES = {
    "news": NEWS,
    "news2": NEWS2,
    "news3": NEWS3,
    "news4": NEWS4,
    "news5": NEWS5,
    "news6": NEWS6,
    "news7": NEWS7,
    "news8": NEWS8,
    "news9": NEWS9,
    "news10": NEWS10,
    "news11": NEWS11,
    "news12": NEWS12,
}
NEWS_SETS = tuple(f"{prefix}_{split}" for prefix in NEWS_FILES for split in ("dev", "heldout"))
Pair = tuple[str, str]  # (text, label)
# The baseline: the model Watcher used before fr_core_news_md became the default.
BASELINE_MODEL = "fr_core_news_sm"

# Watcher before issue 18 (commit 1f7ae94): normalise_entities' (name, label) pairs.
BASELINE: dict[str, dict[str, float]] = {
    "dev": {"ALL": 0.796, "PER": 0.873, "ORG": 0.667, "LOC": 0.833, "MISC": 0.714},
    "heldout": {"ALL": 0.81, "PER": 0.872, "ORG": 0.654, "LOC": 0.917, "MISC": 0.519},
}

_ENTITY = re.compile(r"\{(PER|ORG|LOC|MISC) ([^{}]+?)\}")
_NO_SPACE_BEFORE = {",", ".", ")", "...", "…", "-là", "-ci"}
_NO_SPACE_AFTER = ("'", "’", "(")


@dataclass(frozen=True)
class Sentence:
    text: str
    gold: frozenset[Pair]
    spans: tuple[tuple[int, int, str], ...]  # gold character spans


def detokenise(line: str) -> Sentence:
    """A bracketed token line -> text with French spacing and its gold spans."""
    tokens: list[tuple[str, str | None, bool]] = []  # (token, label, starts an entity)
    pos = 0
    for m in _ENTITY.finditer(line):
        tokens += [(t, None, False) for t in line[pos : m.start()].split()]
        words = m.group(2).split()
        tokens += [(w, m.group(1), i == 0) for i, w in enumerate(words)]
        pos = m.end()
    tokens += [(t, None, False) for t in line[pos:].split()]
    text = ""
    spans: list[list[int | str]] = []
    previous = ""
    for token, label, first in tokens:
        glue = not text or token in _NO_SPACE_BEFORE or previous.endswith(_NO_SPACE_AFTER)
        if not glue:
            text += " "
        start = len(text)
        text += token
        if label is not None:
            if first:
                spans.append([start, len(text), label])
            else:
                spans[-1][1] = len(text)
        previous = token
    out = tuple((int(s), int(e), str(lab)) for s, e, lab in spans)
    return Sentence(text, frozenset((text[s:e], lab) for s, e, lab in out), out)


def labelled(text: str, entities: Sequence[str]) -> Sentence:
    """A verbatim paragraph and its hand labels ("LABEL surface", "LABEL surface@2,3") -> its
    gold pairs and spans: every whole-word occurrence of a surface (or those numbered after
    "@"), except the occurrences inside a longer labelled occurrence ("France" in "France
    Travail")."""
    found: list[tuple[int, int, str]] = []
    for entity in entities:
        label, _, surface = entity.partition(" ")
        surface, _, numbers = surface.partition("@")
        pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
        spans = [(m.start(), m.end(), label) for m in pattern.finditer(text)]
        if not spans:
            raise ValueError(f"{surface!r} is not in {text[:60]!r}")
        if numbers:
            spans = [spans[int(n) - 1] for n in numbers.split(",")]
        found += spans
    kept = tuple(
        sorted(
            (s, e, lab)
            for s, e, lab in found
            if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for s2, e2, _ in found)
        )
    )
    return Sentence(text, frozenset((text[s:e], lab) for s, e, lab in kept), kept)


@cache
def load_news(path: Path = NEWS, prefix: str = "news") -> dict[str, tuple[Sentence, ...]]:
    """The news paragraphs of each split (``news_dev``, ``news_heldout``; with ``prefix``
    "news2", ``news2_dev``…), by their page's site."""
    out: dict[str, list[Sentence]] = {f"{prefix}_dev": [], f"{prefix}_heldout": []}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["paragraphs"]:
        split = f"{prefix}_{split_of(entry['url'])}"
        out[split].append(labelled(entry["text"], entry["entities"]))
    return {split: tuple(sentences) for split, sentences in out.items()}


@cache
def load_sentences(split: str) -> tuple[Sentence, ...]:
    if split in NEWS_SETS:
        prefix = split.rsplit("_", 1)[0]
        return load_news(NEWS_FILES[prefix], prefix)[split]
    lines = SETS[split].read_text(encoding="utf-8").splitlines()
    return tuple(detokenise(line) for line in lines if line.strip() and not line.startswith("#"))


def raw_pairs(doc: Doc) -> frozenset[Pair]:
    return frozenset((e.text, e.label_) for e in doc.ents)


def reference_spans(text: str) -> tuple[RefSpan, ...]:
    """Where the text's legal and normative references are, as processing finds them (read at
    the sets' fixed date, :data:`benchmarks.quality_refs.TODAY`)."""
    return tuple((r.start, r.end, r.kind) for r in find_references(text, TODAY))


def watcher_pairs(doc: Doc) -> frozenset[Pair]:
    """Watcher's entity mentions, as processing keeps them: those inside a citation are
    references, not names (:func:`watcher.understand.nlp.in_reference`)."""
    refs = reference_spans(doc.text)
    return frozenset(
        (doc.text[m.start : m.end], m.label)
        for m in entity_mentions(doc)
        if not in_reference(m.start, m.end, m.label, refs)
    )


def shown_pairs(doc: Doc) -> frozenset[Pair]:
    """What the item page and the search facets list: the entities processing keeps that the
    model is sure of (``Entity.confident``)."""
    kept = without_references(normalise_entities(doc), reference_spans(doc.text))
    sure = [entity for entity in kept if entity.confident]
    return frozenset((doc.text[s:e], entity.label) for entity in sure for s, e in entity.spans)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(golds: Iterable[frozenset[Pair]], found: Iterable[frozenset[Pair]]) -> dict[str, Counts]:
    """Counts overall ("ALL") and per label."""
    out = {label: Counts() for label in ("ALL", *LABELS)}
    for gold, got in zip(golds, found, strict=True):
        for label in ("ALL", *LABELS):
            g = {p for p in gold if label in ("ALL", p[1])}
            f = {p for p in got if label in ("ALL", p[1])}
            c = out[label]
            c.tp += len(g & f)
            c.fp += len(f - g)
            c.fn += len(g - f)
    return out


def evaluate(
    split: str, systems: dict[str, Callable[[Doc], frozenset[Pair]]] | None = None
) -> dict[str, dict[str, Counts]]:
    """system name -> label -> counts, on one split: ``raw``, ``watcher`` and ``shown`` on the
    default model, and ``raw_baseline``, the raw entities of :data:`BASELINE_MODEL`."""
    systems = systems or {"raw": raw_pairs, "watcher": watcher_pairs, "shown": shown_pairs}
    sentences = load_sentences(split)
    docs = list(load_pipeline(DEFAULT_MODEL).pipe(s.text for s in sentences))
    golds = [s.gold for s in sentences]
    out = {name: score(golds, (pairs(d) for d in docs)) for name, pairs in systems.items()}
    baseline = load_pipeline(BASELINE_MODEL).pipe(s.text for s in sentences)
    out["raw_baseline"] = score(golds, (raw_pairs(d) for d in baseline))
    return out


def f1s(results: dict[str, Counts]) -> dict[str, float]:
    return {label: round(c.f1, 3) for label, c in results.items()}


def confidence(split: str) -> dict[bool, tuple[int, int]]:
    """confident -> (right, total) over the mentions of :func:`normalise_entities`."""
    out = {True: (0, 0), False: (0, 0)}
    for sentence, doc in zip(
        load_sentences(split),
        load_pipeline(DEFAULT_MODEL).pipe(s.text for s in load_sentences(split)),
        strict=True,
    ):
        for entity in normalise_entities(doc):
            for start, end in entity.spans:
                right, total = out[entity.confident]
                ok = (doc.text[start:end], entity.label) in sentence.gold
                out[entity.confident] = (right + ok, total + 1)
    return out


def print_report(splits: Sequence[str] = (*SETS, *NEWS_SETS)) -> None:
    titles = {
        "dev": "French WikiNEuRal sentences (Wikipedia prose)",
        "news_dev": "real French news paragraphs (tests/data/entities/news_fr_entities.yml)",
        "news2_dev": "real French news paragraphs, second set (news_fr_entities2.yml)",
        "news3_dev": "real French news paragraphs, third set (news_fr_entities3.yml)",
        "news4_dev": "real French news paragraphs, fourth set (news_fr_entities4.yml)",
        "news5_dev": "real French news paragraphs, fifth set (news_fr_entities5.yml)",
        "news6_dev": "real French news paragraphs, sixth set (news_fr_entities6.yml)",
        "news7_dev": "real French news paragraphs, seventh set (news_fr_entities7.yml)",
        "news8_dev": "real French news paragraphs, eighth set (news_fr_entities8.yml)",
        "news9_dev": "real French news paragraphs, ninth set (news_fr_entities9.yml)",
        "news10_dev": "real French news paragraphs, tenth set (news_fr_entities10.yml)",
        "news11_dev": "real French news paragraphs, eleventh set (news_fr_entities11.yml)",
        "news12_dev": "real French news paragraphs, twelfth set (news_fr_entities12.yml)",
    }
    for split in splits:
        if split in titles:
            print(f"Entities, exact span + type F1 (P/R), on {titles[split]}")
        results = evaluate(split)
        n = len(load_sentences(split))
        gold = sum(len(s.gold) for s in load_sentences(split))
        unit = "paragraphs" if split in NEWS_SETS else "sentences"
        print(f"{split}: {n} {unit}, {gold} gold entities")
        header = f"  {'':6}{'raw ' + BASELINE_MODEL:>24}{'raw ' + DEFAULT_MODEL:>24}"
        print(f"{header}{'Watcher':>24}{'shown on pages':>24}{'before issue 18':>18}")
        for label in ("ALL", *LABELS):
            row = f"  {label:6}"
            for name in ("raw_baseline", "raw", "watcher", "shown"):
                c = results[name][label]
                row += f"{c.f1:>10.3f} ({c.precision:.2f}/{c.recall:.2f})".rjust(24)
            before = BASELINE.get(split, {}).get(label)
            row += f"{before:>18.3f}" if before is not None else ""
            print(row)
        shares = confidence(split)
        print(
            "  precision of mentions flagged confident: "
            + ", ".join(
                f"{flag}: {right / total:.2f} ({total})" if total else f"{flag}: -"
                for flag, (right, total) in shares.items()
            )
        )


if __name__ == "__main__":
    import sys

    print_report(sys.argv[1:] or (*SETS, *NEWS_SETS))
