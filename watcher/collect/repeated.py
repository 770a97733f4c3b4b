"""Text a feed repeats across its entries (pure): a donation appeal closing every post of a
Medium publication, a newsletter's footer or banner. Such a block says nothing of the entry it
closes (or opens), and matching, search and the digest's extracts would read it in every one.
A block says something, `MIN_WORDS` words at least: a structural line that opens every entry
(« Article 1 » of the Journal officiel's decisions, « Communiqué ») or a button (« [link] ») is
part of the entry's text and stays.

A block is repeated when it is the same whole lines at the end (or at the start) of most of
the feed's entries that have a text — at least `MIN_ENTRIES` of them and more than half. The
longest such block is taken off each entry that ends (starts) with it, unless it is that
entry's whole text. Only identical lines count: « X was originally published in Y on Medium »,
whose X changes, stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

MIN_ENTRIES = 3  # entries that must share a block for it to be the feed's
MAX_LINES = 40  # lines of a block, at most (a footer, not half an article)
MAX_CHARS = 3000  # characters of a block, at most
MIN_WORDS = 4  # words of a block, at least (a footer says something; a heading does not)


def _edges(lines: list[str], closing: bool) -> Iterable[str]:
    """The blocks of whole lines a text ends (`closing`) or starts with, shortest first, each
    beginning and ending with a line that has words, never the whole text."""
    size = 0
    for count in range(1, min(len(lines), MAX_LINES + 1)):
        line = lines[-count] if closing else lines[count - 1]
        size += len(line) + 1
        if size > MAX_CHARS:
            return
        if not line.strip():  # a block starts (ends) at a line with text, not a blank one
            continue
        part = lines[-count:] if closing else lines[:count]
        rest = lines[:-count] if closing else lines[count:]
        words = sum(any(ch.isalnum() for ch in word) for word in " ".join(part).split())
        if words >= MIN_WORDS and any(r.strip() for r in rest):
            yield "\n".join(part)


def _repeated(texts: Sequence[str], closing: bool) -> str:
    """The longest block that ends (starts) most of `texts`, "" when there is none."""
    with_text = [text for text in texts if text.strip()]
    counts: Counter[str] = Counter()
    for text in with_text:
        counts.update(set(_edges(text.split("\n"), closing)))
    needed = max(MIN_ENTRIES, len(with_text) // 2 + 1)
    shared = [block for block, n in counts.items() if n >= needed]
    return max(shared, key=len, default="")


def _cut(text: str, block: str, closing: bool) -> str:
    if not block:
        return text
    if closing and text.endswith("\n" + block):
        return text[: -len(block) - 1].rstrip()
    if not closing and text.startswith(block + "\n"):
        return text[len(block) + 1 :].lstrip()
    return text


def without_repeated(texts: Sequence[str]) -> tuple[list[str], tuple[str, ...]]:
    """`texts` (the same field of each entry of one feed) without the block that closes most
    of them, then without the one that opens most of them; and the blocks taken off."""
    removed: list[str] = []
    out = list(texts)
    for closing in (True, False):
        block = _repeated(out, closing)
        if block:
            removed.append(block)
            out = [_cut(text, block, closing) for text in out]
    return out, tuple(removed)
