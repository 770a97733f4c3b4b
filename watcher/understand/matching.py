"""Keyword and search-equation matching for axes and topics (pure, no I/O).

Matching is accent-, case- and inflection-insensitive: every word goes through the French
Snowball stemmer and accent folding, so "démarchage" matches "Démarchages" and
"DEMARCHAGE", and "prix" matches "Prix".

A document is analysed once (:func:`analyse`), then tested against any number of compiled
matchers (:func:`compile_matcher`), which only do set and dict look-ups.

Each document word gets up to four keys: its **form** (``=`` + the folded word without its
inflection: plural ``s``/``x``, ``-aux`` -> ``-al``, feminine ``-ée``/``-ale``), the same
form marked as **capitalised** (``^``) when the word starts with a capital, and its two
**stems**: ``fold(stem(word))`` (the stemmer sees the accents, which gives the better stems on
well-accented text) and ``stem(fold(word))`` (what an accent-less spelling stems to).

A keyword word matches by form (inflections and case aside; a keyword written with accents
matches the same accents or none: "élèves" finds "ELEVES" but not "élevées"; one written
without accents matches any), and also by stem only
when the stem is long and close to the word (at least 6 letters, at most 2 letters cut):
"sanction" finds "sanctionne", "démarchage" finds "démarchages", but "parler" does not find
"Parlement", "arrêt" not "arrêté", "taxi" not "taxe", "renouvellement" not "renouvelable"
(whose stems cut a derivation, not an inflection). A one-word keyword written with a capital
("CNIL", "Parlement", "IA", "Insee") is a proper name or an acronym: it only matches a word
written with a capital ("Cnil", "CNIL"), never the common word ("ia", "parlement" in
"parlementaire" aside, which has another form anyway). So "donnees" (typed without accents)
still finds "données" and the reverse.

Keywords: a keyword is a word or a phrase; a phrase ("service client", "pouvoir d'achat")
matches its words in sequence, each word as above (in a phrase, capitals do not matter).
Topics ask more (:meth:`Matcher.matches_firmly`, ``MatcherSet(..., firmly=True)``): a common
word said once in passing is not what an article is about, so a topic needs a phrase, a
keyword with a capital, a word of ten letters or more, or its common words at two places (more
in a long text, which also drops a topic with less than a third of the evidence of its best
topic, and a second topic whose cues sit in one passage of it; there, a word said inside another
topic's phrase is not a cue of its own: « nucléaire » in « armes nucléaires »).

Search equations (sources.yml ``equations``) are the boolean subset of the search language,
parsed by :func:`watcher.query.parse_equation` (see docs/sources-format.md)::

    "service client" ET (réclamation OU litige) SAUF publicité
    démarchage et (téléphonique ou "appels non sollicités")
    NOT banque

This module compiles that tree (and each keyword, a phrase of the same language) into tests
on an analysed document. A bad equation or keyword raises :class:`ValueError` (a
:class:`~watcher.query.QueryError`) with a French message that names the problem and
where it is, for the configuration validator to report.

The fold, the elision and the word keys are those of :mod:`watcher.text`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from itertools import chain

from watcher.query import And, Node, Not, Or, Phrase, Term, parse_equation, parse_keyword
from watcher.text import BoundedCache, keyword_word_keys, word_keys, words

__all__ = [
    "Analysed",
    "Equation",
    "Matcher",
    "MatcherSet",
    "analyse",
    "compile_equation",
    "compile_matcher",
    "firm_threshold",
    "matches",
    "parameters",
]

# A one-word keyword this long names its subject: one mention is enough (matches_firmly).
SPECIFIC_LENGTH = 10
# A long text needs more evidence for a topic than a paragraph (firm_threshold): one firm cue
# (or two weak ones) per WORDS_PER_CUE words, a paragraph (~70 words) one, never more than
# MOST_CUES (a subject said at four places is discussed, whatever the length).
WORDS_PER_CUE = 150
MOST_CUES = 4.0
# A long text is about one to three subjects: a topic whose evidence is less than the best
# topic's divided by DOMINANCE is said in passing beside them (MatcherSet(..., firmly=True): the
# law an article about migrants' regularisation cites, beside migration said at eight places).
# Not in a paragraph, where a second subject often has a single cue (measured: the README of
# tests/data/topics, sixth round).
DOMINANCE = 3.0
# In any text, a topic with less than an OUTSIDE_DOMINANCE-th of the evidence of a subject outside
# the topics (faits divers: MatcherSet(..., outside=…)) is said in passing in a report of it: the
# hospital of a road accident (the README of tests/data/topics, eighth round).
OUTSIDE_DOMINANCE = 2.0
# A long text where no topic reaches its threshold keeps its best one only when that one has
# this much evidence: more than a name or a phrase said once (a competitor in a sports report),
# and at least BEST_SHARE of the threshold: a subject the taxonomy has no words for (a war, a
# knife attack) leaves a few words of another topic (« écoles », « hôpital ») that are not its
# subject (measured on full-length articles: the README of tests/data/topics, seventh round; 0.75
# then, half since the taxonomy names wars and faits divers: eighth round).
LEAST_BEST = 1.5
BEST_SHARE = 0.5
# In a text of SPREAD_WORDS words or more, a topic other than the best one is a second subject
# only when its cues are spread over the text: found in SPREAD_PARTS of its PARTS equal parts
# (fifths) at least; cues gathered in one or two parts are a passage said in passing (the
# hackers of a report on diplomatic cables). Shorter texts (~300 words) have parts too short to
# tell (measured: the README of tests/data/topics, ninth round).
SPREAD_WORDS = 400
PARTS = 5
SPREAD_PARTS = 4
# The version of the rules that no figure above says (how places are counted, what the text is
# cleaned of before matching): part of an enrichment's signature (parameters()), bumped when they
# change. 2: a name and its acronym beside it are one mention (the fourteenth round of
# tests/data/topics/README.md).
RULES_VERSION = 2


def parameters() -> dict[str, float]:
    """The figures topics are matched with (above): part of an enrichment's signature, so that
    tuning them flags the items tagged with the former ones
    (:func:`watcher.understand.process.signature`)."""
    return {
        "SPECIFIC_LENGTH": SPECIFIC_LENGTH,
        "WORDS_PER_CUE": WORDS_PER_CUE,
        "MOST_CUES": MOST_CUES,
        "DOMINANCE": DOMINANCE,
        "OUTSIDE_DOMINANCE": OUTSIDE_DOMINANCE,
        "LEAST_BEST": LEAST_BEST,
        "BEST_SHARE": BEST_SHARE,
        "SPREAD_WORDS": SPREAD_WORDS,
        "PARTS": PARTS,
        "SPREAD_PARTS": SPREAD_PARTS,
        "RULES_VERSION": RULES_VERSION,
    }


# Whitespace-separated token -> the matching keys of each of its words.
_TOKEN_WORDS = BoundedCache(lambda token: tuple(map(word_keys, words(token))), 100_000)


class Analysed:
    """A document prepared for matching: each word's keys, how many words have each key
    (``counts``), and where they are (``positions``, worked out on first use: only phrases
    need it)."""

    __slots__ = ("_positions", "counts", "keys")

    def __init__(self, keys: Sequence[tuple[str, ...]]) -> None:
        self.keys = keys  # per word, in order
        self.counts: Mapping[str, int] = Counter(chain.from_iterable(keys))
        self._positions: dict[str, list[int]] | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.counts

    @property
    def positions(self) -> Mapping[str, Sequence[int]]:
        if self._positions is None:
            positions: dict[str, list[int]] = {}
            for i, keys in enumerate(self.keys):
                for key in keys:
                    bucket = positions.get(key)
                    if bucket is None:
                        positions[key] = [i]
                    else:
                        bucket.append(i)
            self._positions = positions
        return self._positions


def analyse(text: str) -> Analysed:
    """Tokenise, stem and fold ``text`` once; the result is reused by every matcher.

    Each whitespace-separated token is cut into words once per process (cached): the same
    words as cutting the whole text, as neither a word nor an elision spans a space."""
    return Analysed(list(chain.from_iterable(map(_TOKEN_WORDS.__getitem__, text.split()))))


# --------------------------------------------------------------------------- terms

Alternatives = frozenset[str]


def _term_keys(text: str) -> tuple[Alternatives, ...]:
    ws = words(text)
    alone = len(ws) == 1
    return tuple(keyword_word_keys(w, alone=alone) for w in ws)


def _has_word(doc: Analysed, alts: Alternatives) -> bool:
    return any(a in doc.counts for a in alts)


def _has_phrase(doc: Analysed, phrase: tuple[Alternatives, ...]) -> bool:
    return bool(_phrase_starts(doc, phrase))


def _phrase_starts(doc: Analysed, phrase: tuple[Alternatives, ...]) -> set[int]:
    """Where ``phrase`` starts in ``doc`` (word positions; a one-word phrase is a word)."""
    counts = doc.counts
    for alts in phrase:  # cheap rejection: most phrases miss a word
        for a in alts:
            if a in counts:
                break
        else:
            return set()
    pos = doc.positions
    starts: set[int] = set()
    for a in phrase[0]:
        starts.update(pos.get(a, ()))
    for offset, alts in enumerate(phrase[1:], start=1):
        if not starts:
            break
        here: set[int] = set()
        for a in alts:
            here.update(p - offset for p in pos.get(a, ()))
        starts &= here
    return starts


# --------------------------------------------------------------------------- equations

Test = Callable[[Analysed], bool]


@dataclass(frozen=True, slots=True)
class Equation:
    """An equation as written and its compiled test."""

    text: str
    test: Test


def _compile(node: Node) -> Test:
    """The test of one node of an equation's tree (parse_equation made it of words and
    phrases that hold words, and AND, OR, NOT)."""
    if isinstance(node, Term | Phrase):
        keys = _term_keys(node.text)
        if len(keys) == 1:
            alts = keys[0]
            return lambda doc: _has_word(doc, alts)
        return lambda doc: _has_phrase(doc, keys)
    if isinstance(node, Not):
        child = _compile(node.child)
        return lambda doc: not child(doc)
    if isinstance(node, And):
        parts = tuple(map(_compile, node.children))
        return lambda doc: all(part(doc) for part in parts)
    if isinstance(node, Or):
        parts = tuple(map(_compile, node.children))
        return lambda doc: any(part(doc) for part in parts)
    raise TypeError(f"not a node of an equation: {node!r}")


def compile_equation(equation: str) -> Equation:
    """Parse and compile one search equation; ValueError (a QueryError) with a French
    message if it is malformed."""
    return Equation(equation, _compile(parse_equation(equation)))


# --------------------------------------------------------------------------- matcher


@dataclass(frozen=True)
class Matcher:
    """Keywords and equations compiled once; a document matches if any of them does.

    ``strong`` keywords name their subject though short and common-looking (« hôpital »,
    « chômage »): one mention is firm evidence. ``weak`` ones are said in passing as often as
    not (« réseaux sociaux », « opérateur »): they match, but weigh as a common word said once
    (:meth:`evidence`)."""

    keywords: tuple[str, ...] = ()
    equations: tuple[str, ...] = ()
    _words: tuple[tuple[str, Alternatives], ...] = field(default=(), repr=False)
    _phrases: tuple[tuple[str, tuple[Alternatives, ...]], ...] = field(default=(), repr=False)
    _trees: tuple[Equation, ...] = field(default=(), repr=False)
    # the keywords of _words that weigh 1 (a capital, ten letters or more, or strong)
    _firm_words: frozenset[str] = field(default=frozenset(), repr=False)
    # weak keywords (words or phrases): each place weighs half
    _weak: tuple[tuple[str, tuple[Alternatives, ...]], ...] = field(default=(), repr=False)
    # the keywords of _words written in capitals (« OMS », « DGCCRF »): an acronym said right
    # before or after a phrase of the same matcher is that phrase's, not a mention of its own
    _acronyms: frozenset[str] = field(default=frozenset(), repr=False)

    def matches(self, doc: Analysed) -> bool:
        counts = doc.counts
        for _, alts in self._words:
            for a in alts:
                if a in counts:
                    return True
        for _, phrase in chain(self._phrases, self._weak):
            if _has_phrase(doc, phrase):
                return True
        return any(tree.test(doc) for tree in self._trees)

    def evidence(self, doc: Analysed, taken: Set[int] = frozenset()) -> float:
        """How much ``doc`` says about this matcher's subject: each place of a phrase, of a
        keyword with a capital (a proper name or an acronym: « CNIL », « 5G »), of a long
        word (« normalisation »: ten letters or more, rarely said in passing) or of a strong
        keyword weighs 1, each equation that holds 1; each other place of a shorter common
        word or of a weak keyword weighs half (« élèves » twice, « emploi » and « chômage »).
        """
        return self._weigh(doc, *self._places(doc, taken))

    def places(self, doc: Analysed, taken: Set[int] = frozenset()) -> frozenset[int]:
        """Where ``doc`` says this matcher's keywords (word positions; a phrase where it
        starts): the places :meth:`evidence` counts."""
        firm, loose = self._places(doc, taken)
        return frozenset(firm | loose)

    def evidence_and_places(
        self, doc: Analysed, taken: Set[int] = frozenset()
    ) -> tuple[float, frozenset[int]]:
        """:meth:`evidence` and :meth:`places` at once, the places found once."""
        firm, loose = self._places(doc, taken)
        return self._weigh(doc, firm, loose), frozenset(firm | loose)

    def _weigh(self, doc: Analysed, firm: set[int], loose: set[int]) -> float:
        held = sum(1 for tree in self._trees if tree.test(doc))
        return len(firm) + held + 0.5 * len(loose - firm)

    def _places(self, doc: Analysed, taken: Set[int] = frozenset()) -> tuple[set[int], set[int]]:
        """The places of firm cues and those of common words or weak keywords; a word at a
        place of ``taken`` (inside another matcher's phrase) is not one."""
        firm: set[int] = set()
        loose: set[int] = set()
        inside: set[int] = set()  # the words of the phrases found: one mention, not several
        # the places just before and just after a phrase found: an acronym there is the
        # phrase's own (« Organisation mondiale de la santé (OMS) »)
        beside: set[int] = set()
        for phrases, into in ((self._phrases, firm), (self._weak, loose)):
            found = sorted(
                (start, start + len(phrase))
                for _, phrase in phrases
                for start in _phrase_starts(doc, phrase)
            )
            end = -1
            for start, stop in found:
                # phrases that overlap (« norme ISO 10002 » is « norme ISO » and « ISO 10002 »)
                # are one mention
                if start >= end and start not in inside:
                    into.add(start)
                end = max(end, stop)
            for start, stop in found:
                inside.update(range(start, stop))
                beside.update((start - 1, stop))
        counts = doc.counts
        firm_words = self._firm_words
        acronyms = self._acronyms
        for keyword, alts in self._words:
            if not any(a in counts for a in alts):
                continue
            into = firm if keyword in firm_words else loose
            positions = doc.positions
            skip = inside | beside if keyword in acronyms else inside
            for a in alts:
                into.update(p for p in positions.get(a, ()) if p not in skip and p not in taken)
        return firm, loose

    def matches_firmly(self, doc: Analysed) -> bool:
        """Matches by more than a common word said once in passing: its
        :meth:`evidence` reaches :func:`firm_threshold` (1 in a paragraph: a phrase, a name,
        a long or strong word, or common words at two places; more in a long text)."""
        need = firm_threshold(doc)
        if need == 1.0 and self._has_firm_cue(doc):  # the common case, without counting
            return True
        return self.evidence(doc) >= need

    def _has_firm_cue(self, doc: Analysed) -> bool:
        """A phrase, a firm word or an equation is there: evidence 1 at least."""
        counts = doc.counts
        for keyword, alts in self._words:
            if keyword in self._firm_words and any(a in counts for a in alts):
                return True
        if any(_has_phrase(doc, phrase) for _, phrase in self._phrases):
            return True
        return any(tree.test(doc) for tree in self._trees)

    def hits(self, doc: Analysed) -> tuple[str, ...]:
        """The keywords and equations (as written) that match ``doc``, for explanations."""
        out = [kw for kw, alts in self._words if _has_word(doc, alts)]
        out += [kw for kw, phrase in chain(self._phrases, self._weak) if _has_phrase(doc, phrase)]
        out += [tree.text for tree in self._trees if tree.test(doc)]
        return tuple(out)

    def __bool__(self) -> bool:
        return bool(self._words or self._phrases or self._trees or self._weak)


def firm_threshold(doc: Analysed) -> float:
    """The evidence a topic needs in ``doc`` (:meth:`Matcher.evidence`): 1 up to
    WORDS_PER_CUE words (a paragraph), then one more for each WORDS_PER_CUE words, up to
    MOST_CUES: a keyword said once in a long article is weaker than in a paragraph."""
    return max(1.0, min(len(doc.keys) / WORDS_PER_CUE, MOST_CUES))


def _dominant(evidence: Mapping[int, float]) -> set[int]:
    """The keys of ``evidence`` (matchers' evidence in a document) that have at least a
    DOMINANCE-th of the best one's: what the document is about, not what it says in passing."""
    if not evidence:
        return set()
    best = max(evidence.values())
    return {i for i, e in evidence.items() if e * DOMINANCE >= best}


def _spread(
    hit: set[int],
    evidence: Mapping[int, float],
    places: Mapping[int, Set[int]],
    doc: Analysed,
) -> set[int]:
    """The topics of ``hit`` a long text is about: its best ones, and the others whose places
    (:meth:`Matcher.places`) fall in SPREAD_PARTS of the text's PARTS equal parts at least (said
    throughout it, not in one passage)."""
    best = max(evidence[i] for i in hit)
    size = len(doc.keys)
    return {
        i
        for i in hit
        if evidence[i] == best or len({p * PARTS // size for p in places[i]}) >= SPREAD_PARTS
    }


def _taken(
    hit: set[int], said: Iterable[tuple[int, tuple[Alternatives, ...]]], doc: Analysed
) -> dict[int, Set[int]]:
    """Per matcher of ``hit``, the places covered by the other matchers' phrases (``said``: the
    phrases whose longest word ``doc`` has, by matcher): a word said inside another subject's
    phrase is that subject's (« nucléaire » in « armes nucléaires », « digital » in « empreintes
    digitales »), not a cue of its own."""
    if len(hit) < 2:
        return {}
    owners: dict[int, set[int]] = {}  # place -> the matchers whose phrases cover it
    seen: set[int] = set()
    for idx, phrase in said:
        if idx in hit and len(phrase) > 1 and id(phrase) not in seen:
            seen.add(id(phrase))
            for start in _phrase_starts(doc, phrase):
                for place in range(start, start + len(phrase)):
                    owners.setdefault(place, set()).add(idx)
    if not owners:
        return {}
    return {i: {p for p, who in owners.items() if len(who) > 1 or i not in who} for i in hit}


def compile_matcher(
    keywords: Iterable[str],
    equations: Iterable[str] = (),
    *,
    strong: Iterable[str] = (),
    weak: Iterable[str] = (),
) -> Matcher:
    """Compile keywords and search equations; ValueError (French message) on a bad one.

    ``strong`` and ``weak`` are more keywords that weigh more or less (:class:`Matcher`)."""
    strong = tuple(strong)
    kws = tuple(keywords) + strong
    eqs = tuple(equations)
    single: list[tuple[str, Alternatives]] = []
    phrases: list[tuple[str, tuple[Alternatives, ...]]] = []
    firm_words: set[str] = set(strong)
    for kw in kws:
        keys = _term_keys(parse_keyword(kw).text)
        if len(keys) == 1:
            single.append((kw, keys[0]))
            if len(kw) >= SPECIFIC_LENGTH or any(c.isupper() for c in kw):
                firm_words.add(kw)
        else:
            phrases.append((kw, keys))
    loose = tuple((kw, _term_keys(parse_keyword(kw).text)) for kw in weak)
    trees = tuple(compile_equation(eq) for eq in eqs)
    return Matcher(
        kws + tuple(kw for kw, _ in loose),
        eqs,
        tuple(single),
        tuple(phrases),
        trees,
        frozenset(firm_words),
        loose,
        frozenset(kw for kw, _ in single if _is_acronym(kw)),
    )


def _is_acronym(keyword: str) -> bool:
    """A keyword written in capitals, two letters at least (« OMS », « DGCCRF », « 5G »)."""
    return keyword.isupper() and sum(c.isalpha() for c in keyword) >= 2


def matches(m: Matcher, doc: Analysed | str) -> bool:
    """True if ``doc`` (analysed, or raw text analysed on the fly) matches ``m``."""
    return m.matches(analyse(doc) if isinstance(doc, str) else doc)


class MatcherSet:
    """Many named matchers tested at once through an inverted index of their keywords.

    A document's distinct words are looked up once each, so the cost grows with the document,
    not with the number of keywords; equations are then evaluated for the matchers not yet
    matched. ``matching`` returns the names of the matching matchers in the given order;
    with ``firmly``, only those that match firmly (:meth:`Matcher.matches_firmly`; a long text
    with none keeps its best one if it reaches LEAST_BEST and BEST_SHARE of its threshold) and,
    in a long text, whose evidence is at least a DOMINANCE-th of the best one's (and, from
    SPREAD_WORDS words on, whose places are spread over the text, the best one aside): what it
    is about, not what it says in passing. In a long text a word inside another matcher's phrase
    counts for that one only (the longest cue says what the words mean). ``outside`` matchers
    (subjects no topic names: faits divers) are never returned, but in any text a matcher with
    less than an OUTSIDE_DOMINANCE-th of their evidence is dropped too.
    """

    def __init__(
        self,
        named: Sequence[tuple[str, Matcher]],
        *,
        firmly: bool = False,
        outside: Sequence[Matcher] = (),
    ) -> None:
        self.names: tuple[str, ...] = tuple(name for name, _ in named)
        self._matchers = tuple(m for _, m in named) if firmly else None
        # subjects that are never named (faits divers): a matcher whose evidence is less than an
        # OUTSIDE_DOMINANCE-th of theirs is said in passing in a text about them (firmly only)
        # (indexed with the others, after them: their words are looked up once too)
        self._outside = tuple(m for m in outside if m) if firmly else ()
        by_word: dict[str, set[int]] = {}
        phrases: dict[str, list[tuple[int, tuple[Alternatives, ...]]]] = {}
        trees: list[tuple[int, Equation]] = []
        for idx, m in enumerate(chain((m for _, m in named), self._outside)):
            for _, alts in m._words:
                for a in alts:
                    by_word.setdefault(a, set()).add(idx)
            for _, phrase in chain(m._phrases, m._weak):
                # looked up by its longest word: « les urgences » is not tried on every text
                # that says « les »
                for a in max(phrase, key=lambda alts: min(map(len, alts))):
                    phrases.setdefault(a, []).append((idx, phrase))
            trees.extend((idx, tree) for tree in m._trees)
        self._words = by_word
        self._phrases = phrases
        self._trees = tuple(trees)

    def matching(self, doc: Analysed) -> tuple[str, ...]:
        hit: set[int] = set()
        by_word, phrases = self._words, self._phrases
        said: list[tuple[int, tuple[Alternatives, ...]]] = []  # phrases whose longest word is here
        for key in doc.counts:
            found = by_word.get(key)
            if found is not None:
                hit |= found
            candidates = phrases.get(key)
            if candidates is not None:
                said.extend(candidates)
                for idx, phrase in candidates:
                    if idx not in hit and _has_phrase(doc, phrase):
                        hit.add(idx)
        for idx, tree in self._trees:
            if idx not in hit and tree.test(doc):
                hit.add(idx)
        names, firm = self.names, self._matchers
        away: set[int] = set()
        if self._outside:
            away = {i for i in hit if i >= len(names)}
            hit -= away
        if firm is not None and hit:
            evidence: dict[int, float] = {}
            taken: dict[int, Set[int]] = {}
            nothing: Set[int] = frozenset()
            if firm_threshold(doc) == 1.0:  # a paragraph
                hit = {i for i in hit if firm[i].matches_firmly(doc)}
            else:
                # a word inside another topic's phrase is that topic's (long texts: in a
                # paragraph it changed nothing measured, and costs a tenth of its time)
                taken = _taken(hit, said, doc)
                weighed = {i: firm[i].evidence_and_places(doc, taken.get(i, nothing)) for i in hit}
                evidence = {i: e for i, (e, _) in weighed.items()}
                need, best = firm_threshold(doc), max(evidence.values())
                if need > best >= max(LEAST_BEST, BEST_SHARE * need):
                    need = best  # a long text keeps its best topic, said enough for its length
                hit = _dominant({i: e for i, e in evidence.items() if e >= need})
                if len(hit) > 1 and len(doc.keys) >= SPREAD_WORDS:
                    hit = _spread(hit, evidence, {i: p for i, (_, p) in weighed.items()}, doc)
            if hit and away:
                # what a text about an outside subject says in passing: the hospital a knife
                # attack's victims are taken to, the firemen of a house fire
                most = max(self._outside[i - len(names)].evidence(doc) for i in away)
                hit = {
                    i
                    for i in hit
                    if (evidence.get(i) or firm[i].evidence(doc, taken.get(i, nothing)))
                    * OUTSIDE_DOMINANCE
                    >= most
                }
        return tuple(names[i] for i in sorted(hit))
