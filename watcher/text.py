"""The one text language of Watcher: folding, elision and word keys (pure, no I/O).

Everything that compares words or names goes through here: axis and topic matching
(:mod:`watcher.understand.matching`), the search language and the index's analyser
(:mod:`watcher.query`, :mod:`watcher.find.index`), the reference tables
(:mod:`watcher.understand.refs`), entity keys, the dossier and the OPML import.

* :func:`fold`: lower case without accents ("Élysée" -> "elysee", "Œuvre" -> "oeuvre").
* :func:`name_key`: a name as it is compared (folded, straight apostrophes, one space
  between words): "  Banque   de FRANCE " and "banque de france" have the same key.
* :func:`words`: the words of a text, French elisions dropped ("l'entreprise",
  "jusqu’au" -> "entreprise", "au").
* :func:`teaser`: what an item shows under its title: its summary, else its text, never a
  text that only says its title again.
* word keys: what a document word (:func:`word_keys`) and a keyword word
  (:func:`keyword_word_keys`) are matched by, described in :mod:`watcher.understand.matching`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

import snowballstemmer

__all__ = [
    "ACCENTED",
    "APOSTROPHES",
    "CAPITAL",
    "ELIDED",
    "FORM",
    "BoundedCache",
    "fold",
    "form_key",
    "keyword_word_keys",
    "name_key",
    "says_more_than",
    "teaser",
    "word_keys",
    "words",
]

V = TypeVar("V")

# --------------------------------------------------------------------------- fold

# Letters that Unicode does not decompose into a base letter and a mark, written the way a
# French keyboard (or an English one) spells them.
_LETTERS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
            "ħ": "h", "ŧ": "t", "ı": "i"}  # fmt: skip


class _FoldTable(dict[int, str]):
    """str.translate table of :func:`fold` for lower-case text: code point -> its
    compatibility decomposition (NFKD) without combining marks, ``_LETTERS`` spelled out.
    Filled in on first sight of each code point."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        value = "".join(_LETTERS.get(c, c) for c in decomposed if not unicodedata.combining(c))
        self[code] = value
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: "Élysée" -> "elysee", "Œuvre" -> "oeuvre",
    "Straße" -> "strasse", "ﬁnance" -> "finance" (each character's compatibility
    decomposition without its combining marks; œ, æ, ß, ø, ł, đ, ð, þ, ħ, ŧ, ı spelled out)."""
    text = text.lower()
    if text.isascii():
        return text
    return text.translate(_FOLD)


APOSTROPHES = "'’ʼ"
_STRAIGHT = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))


def name_key(text: str) -> str:
    """A name as it is compared: folded, straight apostrophes, one space between words
    ("  L’Oréal  " -> "l'oreal")."""
    return " ".join(fold(text).translate(_STRAIGHT).split())


# --------------------------------------------------------------------------- elision

#: Elided articles, pronouns and conjunctions ("l'entreprise", "d’achat", "qu'il",
#: "jusqu'au"): the word before the apostrophe is dropped, so that "pouvoir d'achat" and
#: "pouvoir d’achat" give the same words. The index's analyser drops them as stop words.
ELIDED = ("jusqu", "lorsqu", "puisqu", "quoiqu", "qu", "l", "d", "j", "m", "n", "s", "t", "c")
_LONG_ELIDED = "|".join(w for w in ELIDED if len(w) > 1)
_SHORT_ELIDED = "".join(w for w in ELIDED if len(w) == 1)
_ELISION = re.compile(rf"\b(?:{_LONG_ELIDED}|[{_SHORT_ELIDED}])[{APOSTROPHES}]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits), elisions dropped:
    "L'e-commerce jusqu’au 2e" -> ["e", "commerce", "au", "2e"]."""
    return _WORD.findall(_ELISION.sub(" ", text))


def says_more_than(title: str, text: str) -> bool:
    """True when ``text`` has a word ``title`` lacks (folded, elisions dropped): a feed's
    description that is its title again, with other spaces or punctuation, cut short, or
    with the publisher's name the title already ends with, says nothing more (Euronews's
    « Des vétérans au chevet des soignants » as both)."""
    return not set(words(fold(text))) <= set(words(fold(title)))


def teaser(title: str, summary: str, text: str) -> str:
    """What a reader is shown under an item's title: its summary, else its text, but not one
    that only repeats the title (the item keeps it, for search); "" when both do. A text that
    opens with the title, then goes on, is shown from what follows the title."""
    body = next((body for body in (summary, text) if says_more_than(title, body)), "")
    return _after_title(title, body)


_AFTER_TITLE = " \t\n.:;,!?–—-|"


def _after_title(title: str, body: str) -> str:
    """``body`` without the copy of ``title`` it opens with (case and spaces aside), when
    something follows it."""
    if not title.split():
        return body
    opening = r"\s*" + r"\s+".join(map(re.escape, title.split())) + r"(?!\w)"
    found = re.match(opening, body, re.IGNORECASE)
    rest = body[found.end() :].lstrip(_AFTER_TITLE) if found else ""
    return rest or body


# --------------------------------------------------------------------------- word keys


class BoundedCache(dict[str, V]):
    """``cache[key]`` is ``compute(key)``, computed on first sight and kept; emptied when it
    holds ``limit`` keys. A dict, so ``map(cache.__getitem__, keys)`` looks up in C."""

    def __init__(self, compute: Callable[[str], V], limit: int) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, key: str) -> V:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._compute(key)
        return value


FORM = "="  # key prefix: the word without its inflection, folded (no accents)
ACCENTED = "~"  # key prefix: the same, accents kept (a keyword written with accents)
CAPITAL = "^"  # key prefix: the folded form, for a word starting with a capital
MIN_STEM = 6  # a keyword word matches by stem only if its stem is this long …
MAX_CUT = 2  # … and the stemmer cut at most this many letters off the (folded) word

_STEMMER = snowballstemmer.stemmer("french")


def _uninflected(lower: str) -> str:
    """``lower`` without its nominal inflection: plural, "-aux", feminine "-ée" and "-ale"."""
    if len(lower) > 3:
        if lower.endswith("eaux") or lower.endswith("oux"):
            lower = lower[:-1]
        elif lower.endswith("aux"):
            lower = lower[:-3] + "al"
        elif lower[-1] == "s" and lower[-2] != "s":
            lower = lower[:-1]
    if lower.endswith(("ée", "ee")) or (len(lower) > 4 and lower.endswith("ale")):
        lower = lower[:-1]
    return lower


def form_key(word: str) -> str:
    """The form key of a word: "Sanctions", "sanction" and "SANCTION" -> "=sanction"."""
    return FORM + _uninflected(fold(word))


def _accented_key(lower: str) -> str:
    """The form key with accents kept: "élevées" -> "~élevé", "élèves" -> "~élève"."""
    return ACCENTED + _uninflected(unicodedata.normalize("NFC", lower))


def _stem_keys(lower: str) -> tuple[str, ...]:
    first = fold(_STEMMER.stemWord(lower))
    folded = fold(lower)
    if folded == lower:
        return (first,)
    second = _STEMMER.stemWord(folded)
    return (first,) if second == first else (first, second)


def _word_keys(word: str) -> tuple[str, ...]:
    lower = word.lower()
    form = form_key(lower)
    keys = (*_stem_keys(lower), form, _accented_key(lower))
    return (*keys, CAPITAL + form[1:]) if word[:1].isupper() else keys


_KEY_CACHE = BoundedCache(_word_keys, 200_000)


def word_keys(word: str) -> tuple[str, ...]:
    """Matching keys of one document word: its stems (``fold(stem(w))`` and, if different,
    ``stem(fold(w))``), its form key, its accented form key and, if it starts with a
    capital, its capitalised key. Cached."""
    return _KEY_CACHE[word]


def keyword_word_keys(word: str, *, alone: bool) -> frozenset[str]:
    """The keys a keyword word matches: its form (with its accents, if it is written with
    some: "élèves" finds "Élèves" and "ELEVES", not "élevées"), its stems when they are
    safe, or only capitalised words for a one-word keyword written with a capital."""
    lower = word.lower()
    form = form_key(lower)
    if alone and word[:1].isupper():
        return frozenset({CAPITAL + form[1:]})
    folded = fold(lower)
    forms = {form} if folded == lower else {_accented_key(lower), ACCENTED + form[1:]}
    stems = _stem_keys(lower)
    if len(stems[0]) >= MIN_STEM and len(folded) - len(stems[0]) <= MAX_CUT:
        return frozenset({*forms, *stems})
    return frozenset(forms)
