"""Entities of an item (:func:`normalise_entities`): mentions with the same folded key
merged and counted, one display spelling (casing fixed: "CARREFOUR" -> "Carrefour"),
surnames folded into the full name; mentions inside legal or normative citations left
out (:func:`without_references`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from watcher.text import fold
from watcher.understand.entities.mentions import entity_mentions
from watcher.understand.entities.spans import _SENTENCE_OPENERS, _VOWELS, LABELS

if TYPE_CHECKING:  # spaCy is imported lazily: `watcher check` must not pay for it
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Entity:
    label: str  # PER | ORG | LOC | MISC
    name: str  # normalised display form
    key: str  # folded key for grouping: lower case, no accents, words joined by one space
    count: int  # mentions in this item
    # Where the mentions are: (start, end) character offsets into the analysed text.
    spans: tuple[tuple[int, int], ...] = ()
    # Its span and label are safe to rely on (pre-filling a form): every mention has the same
    # label, not MISC, and it is a place, or a cue backs it, or it is mentioned twice, or it
    # is a name of several words; unless, with no cue, nothing but a capital tells it is a
    # name (:func:`_only_capitals_tell`). On the WikiNEuRal sets such entities are right
    # 94-98% of the time, on the news sets' development parts 84-93%
    # (benchmarks/quality_entities.py, tests/data/entities/README.md).
    confident: bool = False


_CAPS_WORD = re.compile(r"[^\W\d_]+")


def _vowels(word: str) -> int:
    return sum(c in _VOWELS for c in word.lower())


def _fix_allcaps(name: str, known: dict[str, str]) -> str:
    """'CARREFOUR BANQUE' -> 'Carrefour Banque'; acronyms (CNIL, DGCCRF, BNP) stay.

    A word also written in mixed case elsewhere in the item takes that form ("CARREFOUR"
    when the item has "Carrefour"). Otherwise a word of 6+ letters with 2+ vowels is
    capitalised, and so, in a name that has such a word, is every other word with 2+ vowels
    ("FREE MOBILE" -> "Free Mobile", "UFC-QUE CHOISIR" -> "UFC-Que Choisir").
    """
    words = _CAPS_WORD.findall(name)
    long_word = any(len(w) >= 6 and _vowels(w) >= 2 for w in words)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if not word.isupper():
            return word
        seen = known.get(fold(word))
        if seen is not None:
            return seen
        if _vowels(word) >= 2 and (len(word) >= 6 or (long_word and len(word) >= 3)):
            return word[:1] + word[1:].lower()
        return word

    return _CAPS_WORD.sub(fix, name)


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _best_spelling(variants: dict[str, int]) -> str:
    """The display form among the spellings of one key (mixed case first, then the most
    frequent, then the shortest); one written all in capitals is fixed by the caller."""

    def score(item: tuple[str, int]) -> tuple[int, int, int]:
        text, n = item
        letters = [c for c in text if c.isalpha()]
        allcaps = bool(letters) and all(c.isupper() for c in letters)
        alllower = bool(letters) and all(c.islower() for c in letters)
        return (int(not allcaps and not alllower), n, -len(text))

    return max(variants.items(), key=score)[0]


def _known_casing(groups: dict[str, _Group]) -> dict[str, str]:
    """Folded word -> its mixed-case spelling among the item's entities."""
    known: dict[str, str] = {}
    for g in groups.values():
        for variant in g.variants:
            for folded, word in _mixed_case_words(variant):
                known.setdefault(folded, word)
    return known


@lru_cache(maxsize=65536)
def _mixed_case_words(name: str) -> tuple[tuple[str, str], ...]:
    """(folded, as written) of each word of ``name`` written in mixed case ("Carrefour")."""
    return tuple(
        (fold(w), w) for w in _CAPS_WORD.findall(name) if not w.isupper() and not w.islower()
    )


@dataclass
class _Group:
    labels: dict[str, int]
    variants: dict[str, int]
    first: int
    count: int = 0
    spans: list[tuple[int, int]] = field(default_factory=list)
    cued: bool = False


def _opens_a_sentence(text: str, start: int) -> bool:
    """The mention is the first word of the text, a line, a sentence or a quotation."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENTENCE_OPENERS


def _only_capitals_tell(text: str, g: _Group, label: str, one_word: bool) -> bool:
    """Nothing but a capital letter says this uncued mention is a name, or the capitals
    blur which name: a one-word name or a place opening a sentence, where every word takes
    a capital (« Coupures d'électricité… », « Flotte… »); a place or a person written in
    capitals, as headings, rubrics and shouted words are (« VOIRA LIRE », « L'INFORME »;
    acronyms of organisations are names); a place with a digit (« T1 », « L2 », « 5P »:
    terminals, roads and formats). On the development parts of the news sets such mentions
    are right about 40% of the time, the other confident ones 85-93%."""
    if g.cued:
        return False
    if (one_word or label == "LOC") and all(_opens_a_sentence(text, s) for s, _ in g.spans):
        return True
    if label != "ORG" and all(_all_caps(text[s:e]) for s, e in g.spans):
        return True
    return label == "LOC" and any(c.isdigit() for s, e in g.spans for c in text[s:e])


# Inhabitants and nationalities in the plural after a plural determiner: "les Américains",
# "des Européens", "aux Canadiens". The news sets' conventions give them no entity, WikiNEuRal's
# silver labels a place or a product ("aux Africains"): whichever, no name to rely on.
_PLURAL_DEMONYM = re.compile(
    r"^[A-ZÀ-Þ][a-zà-ÿ]{2,}(?:ains|aines|iens|iennes|éens|éennes|ais|aises|ois|oises|ols|oles)$"
)
_PLURAL_DETERMINER = re.compile(r"(?:^|\W)(?:les|des|aux|ces)\s+$", re.IGNORECASE)


def _inhabitants(text: str, g: _Group, label: str) -> bool:
    """Every mention is inhabitants or a nationality in the plural after a plural determiner
    (see _PLURAL_DEMONYM), which the model calls a place or a product."""
    return label in ("LOC", "MISC") and all(
        _PLURAL_DEMONYM.match(text[s:e]) and _PLURAL_DETERMINER.search(text, max(0, s - 6), s)
        for s, e in g.spans
    )


def normalise_entities(doc: Doc) -> tuple[Entity, ...]:
    """Normalised, merged and counted entities of a spaCy Doc, most mentioned first."""
    groups: dict[str, _Group] = {}
    for m in entity_mentions(doc):
        g = groups.get(m.key)
        if g is None:
            g = groups[m.key] = _Group({}, {}, m.start)
        g.labels[m.label] = g.labels.get(m.label, 0) + 1
        g.variants[m.name] = g.variants.get(m.name, 0) + 1
        g.count += 1
        g.spans.append((m.start, m.end))
        g.cued = g.cued or m.cued
    if not groups:
        return ()
    _merge_surnames(groups)
    known: dict[str, str] | None = None  # the item's mixed-case words, for names in capitals
    text: str | None = None  # the Doc's text, built only when a flag needs it
    out = []
    for key, g in groups.items():
        top = max(g.labels.values())
        label = next(lab for lab in LABELS if g.labels.get(lab) == top)
        if len(g.variants) == 1 and not (name := next(iter(g.variants))).isupper():
            display = name
        else:
            display = _best_spelling(g.variants)
            if _all_caps(display):
                if known is None:
                    known = _known_casing(groups)
                display = _fix_allcaps(display, known)
        confident = (
            len(g.labels) == 1
            and label != "MISC"
            and (label == "LOC" or g.cued or g.count > 1 or " " in key)
        )
        if confident and not g.cued:
            if text is None:
                text = doc.text
            confident = not _only_capitals_tell(text, g, label, " " not in key)
            confident = confident and not _inhabitants(text, g, label)
        spans = tuple(sorted(g.spans))
        out.append((g.count, -g.first, Entity(label, display, key, g.count, spans, confident)))
    out.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return tuple(e for _, _, e in out)


# A reference's span: (start, end, kind of reference), as watcher.understand.refs finds them.
RefSpan = tuple[int, int, str]


def in_reference(start: int, end: int, label: str, references: Sequence[RefSpan]) -> bool:
    """A mention that is part of a legal or normative citation, not a name of its own: the
    model tags « RGPD », « ISO 9001 », « L. 221-18 », « Code de la consommation » or the « UE »
    of « règlement (UE) 2016/679 » as names. In a decision or a ruling an organisation is its
    issuer (« délibération de la CNIL », « décision du Conseil d'État »): it stays."""
    return any(
        r_start <= start and end <= r_end and (kind != "decision" or label != "ORG")
        for r_start, r_end, kind in references
    )


def without_references(
    entities: Sequence[Entity], references: Sequence[RefSpan]
) -> tuple[Entity, ...]:
    """The entities with their mentions inside citations left out (see :func:`in_reference`),
    counted again; an entity with no mention left is dropped. Offsets are those of the text
    both were found in."""
    if not references:
        return tuple(entities)
    out = []
    for entity in entities:
        spans = tuple(
            (s, e) for s, e in entity.spans if not in_reference(s, e, entity.label, references)
        )
        if len(spans) == len(entity.spans):
            out.append(entity)
        elif spans:
            out.append(
                replace(entity, spans=spans, count=entity.count - (len(entity.spans) - len(spans)))
            )
    return tuple(out)


def _merge_surnames(groups: dict[str, _Group]) -> None:
    """Fold a one-word person mention ("Macron") into the only full name ending with it."""
    full: dict[str, list[str]] = {}
    for key, g in groups.items():
        if " " in key and g.labels.get("PER", 0) >= max(g.labels.values()):
            full.setdefault(key.rsplit(" ", 1)[1], []).append(key)
    for key in [k for k in groups if " " not in k]:
        targets = full.get(key)
        g = groups[key]
        if targets and len(targets) == 1 and g.labels.get("PER", 0) >= max(g.labels.values()):
            t = groups[targets[0]]
            t.count += g.count
            t.labels["PER"] = t.labels.get("PER", 0) + g.count
            t.first = min(t.first, g.first)
            t.spans.extend(g.spans)
            del groups[key]
