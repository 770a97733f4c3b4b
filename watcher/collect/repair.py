"""Mojibake repaired once, at ingest (pure: text in, text out).

Some sources reach Watcher double-decoded: UTF-8 bytes served as ISO-8859-1 / Windows-1252
(« DÃ©libÃ©ration », « lâ€™article »), or read through another code page (« DĂ©libĂ©ration »).
The reference recogniser, the topic matcher and the entity model find nothing in such text, and
learners would read it in digests and dossiers. The item pipeline (`watcher.collect.pipeline`)
passes every collected text through here before it is stored: an article's title, summary,
text and author (from a page or a feed) and a watched page's text.

Only the encoding is repaired, with ftfy (its `fix_encoding` family of steps, line by line):
quotes stay curly, ligatures, widths and Unicode normalisation are left as they are, HTML
entities are not unescaped, line breaks and control characters are not touched. French
typography (« », ’, non-breaking and narrow spaces) comes out exactly as it came in. ftfy
returns text that does not look like mojibake unchanged (its `is_bad` check); ASCII text and
text without one of the characters mojibake is made of are not even handed to it. A text with
« Ã » or « Ă » (UTF-8 seen through a single-byte code page, e.g. ISO-8859-16, which ftfy does
not try: « DĂ©libĂ©ration », « arrĂȘtĂ© » on real French legal pages) is also read through
these code pages, sequence by sequence, and the reading least foreign to French is kept.

Invisible formatting characters (bidirectional marks and embeddings, zero-width space, word
joiner, byte-order mark, soft hyphen) and control characters (but tab and line breaks) are
dropped from the same texts (`visible`): a reader sees nothing of them, but they split words for
search, matching and the models, and XML (the DOCX and XLSX dossier) forbids control characters.

Text stored before this repair is not rewritten: a feed entry still served is stored repaired
as an update at the next crawl, a watched page gets one new version (docs/sources-format.md).
"""

from __future__ import annotations

import dataclasses
import re

from ftfy import TextFixerConfig, fix_text

from watcher.changes import Snapshot
from watcher.model import Entry
from watcher.sanitize import visible

ENCODING_ONLY = TextFixerConfig(
    unescape_html=False,  # "&amp;" stays "&amp;": extraction already unescaped what it should
    remove_terminal_escapes=False,
    fix_encoding=True,  # the repair itself: re-encode in the wrong code page, decode as UTF-8
    restore_byte_a0=True,  # "Ã " whose 0xA0 became a space (« voilÃ  » -> « voilà »)
    replace_lossy_sequences=True,  # mojibake whose lost byte can only become "�"
    decode_inconsistent_utf8=True,  # mojibake next to correct accented text
    fix_c1_controls=True,  # C1 controls (never text) as the Windows-1252 characters meant
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
"""ftfy's configuration: its encoding steps only, every other fixer off."""

# What mojibake of a Latin-script text is made of: the lead characters of UTF-8 sequences
# read as Windows-1252 / Latin-1 (Â Ã Ä Å â ð…, which are 0xC2–0xF4), as Windows-1250,
# ISO-8859-2 or ISO-8859-16 (Ă Ĺ ĺ â…) or as Mac OS Roman (¬ √ ≈ ‚), and the C1 controls.
# Text without one of them has nothing to fix.
_SUSPECT = re.compile(
    "[\u0080-\u009f\u00c2-\u00c5\u00e2-\u00e5\u00f0\u0102\u0103\u0139\u013a"
    "\u00ac\u221a\u2248\u201a]"
)


# UTF-8 read through a single-byte code page shows « Ã » (Windows-1252, Latin-1) or « Ă »
# (Windows-1250, ISO-8859-2, ISO-8859-16) for the lead byte C3 of every French accented letter.
# ftfy misses some of it: « DĂ©libĂ©ration », « arrĂȘtĂ© » (ISO-8859-16, which it does not try;
# on real French legal pages, next to apostrophes and « n° » the page wrote as HTML entities,
# so correct), « rĂšglement » (which it reads through Windows-1250 as « rÚglement »), « PĂ´le »
# and « ÃŽle-de-France » (short texts it does not find bad). So a text with « Ã » or « Ă » is
# also read through each of these code pages, sequence by sequence, and the reading that leaves
# the least text foreign to French wins; ftfy's own reading wins a tie.
_READ_THROUGH = {"Ã": ("cp1252",), "Ă": ("iso8859_16", "cp1250", "iso8859_2")}


def _sequences(codec: str) -> re.Pattern[str]:
    """UTF-8 sequences of two or three bytes as ``codec`` shows them (its characters for the
    lead bytes, then for the continuation bytes), and « Ă » whose byte A0 became a space."""
    lead2 = re.escape(bytes(range(0xC2, 0xE0)).decode(codec, "ignore"))
    lead3 = re.escape(bytes(range(0xE0, 0xF0)).decode(codec, "ignore"))
    tail = re.escape(bytes(range(0x80, 0xC0)).decode(codec, "ignore"))
    c3 = bytes([0xC3]).decode(codec)
    return re.compile(f"[{lead2}][{tail}]|[{lead3}][{tail}]{{2}}|{c3} (?= )")


_SEQUENCES = {codec: _sequences(codec) for codecs in _READ_THROUGH.values() for codec in codecs}


def _read_through(codec: str, text: str) -> str:
    """``text`` with each UTF-8 sequence seen through ``codec`` decoded."""

    def decode(match: re.Match[str]) -> str:
        found = match.group()
        if found[1:] == " ":  # "à" (C3 A0) whose A0 became a space: "Ă  6" -> "à 6"
            return "à"
        try:
            return found.encode(codec).decode("utf-8")
        except UnicodeError:
            return found

    return _SEQUENCES[codec].sub(decode, text)


_FRENCH = frozenset("àâçéèêëîïôùûüœ«»’…–—€°\u00a0\u202f")
_FRENCH_RARE = frozenset("äöÿæÀÂÇÉÈÊËÎÏÔÙÛÜŸŒÆ‘“”§©®±×·\u2009")


def _foreign(text: str) -> int:
    """How foreign to French the non-ASCII characters of ``text`` are: 0 for each common one
    (é, è, ’, « …), 1 for a rare one (capitals, “ ”…), 3 for any other."""
    return sum(
        0 if c in _FRENCH else 1 if c in _FRENCH_RARE else 3 for c in text if not c.isascii()
    )


def repair(text: str) -> str:
    """``text`` with its mojibake repaired (« DÃ©cret nÂ° » -> « Décret n° »), else as is."""
    if text.isascii() or _SUSPECT.search(text) is None:
        return text
    fixed = fix_text(text, ENCODING_ONLY)
    codecs = [codec for lead, some in _READ_THROUGH.items() if lead in text for codec in some]
    if codecs:
        readings = [fixed]
        readings += (fix_text(_read_through(codec, text), ENCODING_ONLY) for codec in codecs)
        fixed = min(readings, key=_foreign)
    return fixed


def _clean(text: str) -> str:
    return visible(repair(text))


def repair_entry(entry: Entry) -> Entry:
    """The entry with its title, summary, text and author repaired and without invisible
    formatting characters (the same entry when none needed it)."""
    title, summary, text = _clean(entry.title), _clean(entry.summary), _clean(entry.text)
    author = _clean(entry.author)
    if (title, summary, text, author) == (entry.title, entry.summary, entry.text, entry.author):
        return entry
    return dataclasses.replace(entry, title=title, summary=summary, text=text, author=author)


def repair_snapshot(snapshot: Snapshot) -> Snapshot:
    """A watched page's snapshot with its text repaired (the same snapshot when it needed
    nothing)."""
    text = repair(snapshot.text)
    return snapshot if text == snapshot.text else dataclasses.replace(snapshot, text=text)
