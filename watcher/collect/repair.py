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
text without one of the characters mojibake is made of are not even handed to it. What ftfy
leaves bad is read once more as UTF-8 seen through ISO-8859-16 (Latin-10), a code page ftfy
does not try, sequence by sequence (real French legal pages: « DĂ©libĂ©ration », « arrĂȘtĂ© »).

Text stored before this repair keeps its text: it is repaired when its source serves it again
and the item is updated (a watched page then records one new version, with the repaired text).
"""

from __future__ import annotations

import dataclasses
import re

from ftfy import TextFixerConfig, fix_text
from ftfy.badness import is_bad

from watcher.changes import Snapshot
from watcher.model import Entry

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
# read as Windows-1252 / Latin-1 (Â Ã Ä Å â ð…, which are 0xC2–0xF4) or as Windows-1250,
# ISO-8859-2 or ISO-8859-16 (Ă Ĺ ĺ â…), and the C1 controls. Text without one of them has
# nothing to fix.
_SUSPECT = re.compile("[\u0080-\u009f\u00c2-\u00c5\u00e2-\u00e5\u00f0\u0102\u0103\u0139\u013a]")


def _read_as(codec: str) -> re.Pattern[str]:
    """UTF-8 sequences of two or three bytes as ``codec`` shows them (its characters for the
    lead bytes, then for the continuation bytes)."""
    lead2 = re.escape(bytes(range(0xC2, 0xE0)).decode(codec))
    lead3 = re.escape(bytes(range(0xE0, 0xF0)).decode(codec))
    tail = re.escape(bytes(range(0x80, 0xC0)).decode(codec))
    return re.compile(f"[{lead2}][{tail}]|[{lead3}][{tail}]{{2}}")


# ISO-8859-16 (Latin-10), a code page ftfy does not try: « DĂ©libĂ©ration du rĂšglement »,
# « arrĂȘtĂ© » on real French pages, next to apostrophes and « n° » written as HTML entities
# (so correct); ftfy finds no one code page for the whole line and leaves it.
_LATIN10 = "iso8859_16"
_LATIN10_UTF8 = re.compile(f"{_read_as(_LATIN10).pattern}|Ă (?= )")


def _latin10_sequence(match: re.Match[str]) -> str:
    if match.group() == "Ă ":  # "à" (C3 A0) whose byte A0 became a space: "Ă  6" -> "à 6"
        return "à"
    try:
        return match.group().encode(_LATIN10).decode("utf-8")
    except UnicodeError:
        return match.group()


def repair(text: str) -> str:
    """``text`` with its mojibake repaired (« DÃ©cret nÂ° » -> « Décret n° »), else as is."""
    if text.isascii() or _SUSPECT.search(text) is None:
        return text
    text = fix_text(text, ENCODING_ONLY)
    if is_bad(text):  # what ftfy could not read: UTF-8 seen through Latin-10, sequence by sequence
        text = _LATIN10_UTF8.sub(_latin10_sequence, text)
    return text


def repair_entry(entry: Entry) -> Entry:
    """The entry with its title, summary, text and author repaired (the same entry when none
    needed it)."""
    title, summary, text = repair(entry.title), repair(entry.summary), repair(entry.text)
    author = repair(entry.author)
    if (title, summary, text, author) == (entry.title, entry.summary, entry.text, entry.author):
        return entry
    return dataclasses.replace(entry, title=title, summary=summary, text=text, author=author)


def repair_snapshot(snapshot: Snapshot) -> Snapshot:
    """A watched page's snapshot with its text repaired (the same snapshot when it needed
    nothing)."""
    text = repair(snapshot.text)
    return snapshot if text == snapshot.text else dataclasses.replace(snapshot, text=text)
