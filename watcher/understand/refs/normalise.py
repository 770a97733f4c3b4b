"""Pre-normalisation of a text with an offset map back into the original, and scanning."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from watcher.understand.refs.codes import _CodeMention


# --------------------------------------------------------------------------------------------
# Pre-normalisation with an offset map back into the original text
# --------------------------------------------------------------------------------------------

_SPACE_CHARS = frozenset("\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006")
_CHAR_MAP = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "´": "'",  # acute accent typed for an apostrophe (« Conseil d´état »)
    "º": "°",  # masculine ordinal indicator, as in « nº »
    "\u2010": "-",
    "\u2011": "-",  # non-breaking hyphen (« 2023‑451 »)
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\u00ad": "",  # soft hyphen
}
# The one-for-one replacements of _CHAR_MAP, for str.translate (the soft hyphen, which is
# removed, takes the character-by-character path).
_TRANSLATE = str.maketrans({k: v for k, v in _CHAR_MAP.items() if v})
# \s and str.isspace (hence str.split and str.strip) agree: both are Py_UNICODE_ISSPACE.
_LONG_SPACES = re.compile(r"\s\s+")
_MAPPED = re.compile("[" + "".join(k for k, v in _CHAR_MAP.items() if v) + "]")


class _Norm:
    """The normalised text: one space for every run of white space (none at the ends), the
    characters of ``_CHAR_MAP`` replaced, with a map back to offsets in the original text.

    ``text`` is built with C string methods; the offset map and the paragraph offsets
    (normalised offsets where a run holding a blank line was collapsed) are only built when
    asked for: most texts have no reference, and the ones that have need a few offsets.
    """

    __slots__ = (
        "_paragraphs",
        "_pos",
        "_runs",
        "_wide",
        "code_starts",
        "codes",
        "orig",
        "text",
        "year",
    )

    def __init__(
        self,
        text: str,
        orig: str,
        pos: list[int] | None = None,
        paragraphs: list[int] | None = None,
        wide: frozenset[int] = frozenset(),
    ) -> None:
        self.text = text
        self.orig = orig
        # normalised characters that stand for two original ones (a repaired mojibake pair)
        self._wide = wide
        # the current year, given by the caller (``find_references``' ``today``): numbers and
        # years after the next year are not texts' (set once the text is normalised)
        self.year = 0
        self.codes: list[_CodeMention] | None = None  # the codes it names (_code_mentions)
        self.code_starts: list[int] = []  # where each of them starts
        self._pos = pos
        self._paragraphs = paragraphs
        # (normalised offset of the space of each inner run, original end of the run)
        self._runs: tuple[list[int], list[int], int] | None = None

    def _run_table(self) -> tuple[list[int], list[int], int]:
        if self._runs is None:
            # A run of one white-space character becomes one space in place: offsets only
            # shift at the leading run and at runs of two characters or more.
            spaces: list[int] = []
            ends: list[int] = []
            paragraphs: list[int] = []
            orig = self.orig
            n = len(orig)
            lead = removed = n - len(orig.lstrip())
            if 0 < lead < n and orig.count("\n", 0, lead) >= 2:
                paragraphs.append(0)
            for m in _LONG_SPACES.finditer(orig, lead):
                s, e = m.span()
                if e == n:  # trailing white space: dropped
                    break
                j = s - removed  # normalised offset of the one space left
                spaces.append(j)
                ends.append(e)
                removed += e - s - 1
                if orig.count("\n", s, e) >= 2:
                    paragraphs.append(j + 1)
            self._runs = (spaces, ends, lead)
            if self._paragraphs is None:
                self._paragraphs = paragraphs
        return self._runs

    @property
    def paragraphs(self) -> list[int]:
        if self._paragraphs is None:
            self._run_table()
        assert self._paragraphs is not None
        return self._paragraphs

    def _orig_index(self, j: int) -> int:
        """Index in the original text of normalised character ``j``."""
        if self._pos is not None:
            return self._pos[j]
        spaces, ends, lead = self._run_table()
        r = bisect.bisect_right(spaces, j) - 1
        if r < 0:
            return lead + j
        if spaces[r] == j:  # the space: the last character of its run
            return ends[r] - 1
        return ends[r] + (j - spaces[r] - 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._orig_index(start), self._orig_index(end - 1) + (
            2 if end - 1 in self._wide else 1
        )


# A word cut at a line break by a non-breaking hyphen, as some pages are extracted (« code de
# l'environ‑ nement »): the hyphen and the white space are dropped.
_CUT_WORD_RE = re.compile("\u2011\\s")


# Mojibake: UTF-8 decoded as Windows-1252 or Latin-10 (ISO 8859-16), as some pages are stored
# (« DĂ©libĂ©ration », « arrĂȘtĂ© », « rÃ©glement », « nÂ° »): each pair is read as the one
# character it stands for (U+00A0–U+00FF: letters, «, », °), so « dĂ©cret nÂ° 2013-1196 » is a
# décret.
# (the second character is not ASCII: _unmojibake says whether the pair is one)
_MOJIBAKE_RE = re.compile("[\u00c2\u00c3\u0102][^\x00-\x7f]")


def _unmojibake(pair: str) -> str | None:
    """The letter a mojibake pair stands for, or None."""
    for codec in ("cp1252", "iso8859_16"):
        try:
            ch = pair.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if len(ch) == 1 and "\u00a0" <= ch <= "\u00ff":
            return ch
    return None


# Markdown emphasis around an article's number (« Article **1101** du Code Civil »): dropped,
# so that the number is read as if written plain
_EMPHASIS_NUMBER_RE = re.compile(
    r"(?:(?<=[Aa]rticle )|(?<=ARTICLE )|(?<=[Aa]rt\. ))(?P<open>\*\*|__)(?=[LRD]?\.? ?\d)"
    r"[LRD]?\.? ?\d[\w.-]*?(?P<close>\*\*|__)(?![\w*])"
)


def _normalise(text: str) -> _Norm:
    if ("**" in text or "__" in text) and _EMPHASIS_NUMBER_RE.search(text) is not None:
        return _normalise_chars(text)
    if ("\u00c3" in text or "\u0102" in text or "\u00c2" in text) and _MOJIBAKE_RE.search(
        text
    ) is not None:
        return _normalise_chars(text)
    if "\u00ad" not in text and ("\u2011" not in text or _CUT_WORD_RE.search(text) is None):
        mapped = text.translate(_TRANSLATE) if _MAPPED.search(text) else text
        return _Norm(" ".join(mapped.split()), text)
    return _normalise_chars(text)


def _normalise_chars(text: str) -> _Norm:
    """Character by character, with a full offset map (texts holding soft hyphens, words cut by
    a non-breaking hyphen or mojibake)."""
    out: list[str] = []
    pos: list[int] = []
    wide: set[int] = set()
    paragraphs: list[int] = []
    pending_space = False
    newlines = 0
    skip_to = 0
    n = len(text)
    drop: set[int] = set()
    if "**" in text or "__" in text:
        for m in _EMPHASIS_NUMBER_RE.finditer(text):
            o, c = m.start("open"), m.start("close")
            drop.update((o, o + 1, c, c + 1))
    for i, ch in enumerate(text):
        if i < skip_to or i in drop:
            continue
        if ch == "\u2011" and not pending_space and out and out[-1].isalpha():
            j = i + 1
            while j < n and (text[j] in _SPACE_CHARS or text[j].isspace()):
                j += 1
            if j > i + 1 and j < n and text[j].islower():
                skip_to = j  # « environ‑ nement »: one word
                continue
        if ch in _SPACE_CHARS or ch.isspace():
            pending_space = True
            if ch == "\n":
                newlines += 1
            continue
        rep = _CHAR_MAP.get(ch, ch)
        if ch in "\u00c2\u00c3\u0102" and _MOJIBAKE_RE.match(text, i):
            letter = _unmojibake(text[i : i + 2])
            if letter is not None:
                rep, skip_to = letter, i + 2
                wide.add(len(out) + (1 if pending_space and out else 0))
        if not rep:
            continue
        if pending_space:
            if out:
                out.append(" ")
                pos.append(i - 1)
            if newlines >= 2:
                paragraphs.append(len(out))
            pending_space = False
            newlines = 0
        out.append(rep)
        pos.append(i)
    return _Norm("".join(out), text, pos, paragraphs, frozenset(wide))


# --------------------------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------------------------


def _finditer_at(
    pattern: re.Pattern[str], text: str, starts: re.Pattern[str]
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, trying ``pattern`` only where ``starts``
    matches (a zero-width pattern, cheaper to scan for).

    ``starts`` must match at every position where ``pattern`` can match, and ``pattern`` must
    never match the empty string. Then the result is the same: ``finditer`` tries ``pattern``
    at each position in turn and goes on from the end of each match, and ``pattern.match(text,
    pos)`` is what it tries at ``pos`` (look-behinds still see the text before ``pos``).
    """
    end = 0
    for s in starts.finditer(text):
        pos = s.start()
        if pos < end:
            continue  # inside the previous match
        m = pattern.match(text, pos)
        if m is not None:
            yield m
            end = m.end()
