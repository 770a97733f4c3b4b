"""Watched pages: what one fetch found, how two versions differ, and how a change reads (pure).

A watched page (`kind: monitor` in sources.yml) is reduced to its normalised text — blank runs
collapsed, one line per block, the `ignore:` patterns removed — and its price, if it shows one.
Two fetches are the same version when that text and that price are the same (`Snapshot.hash`).
Between two versions, `word_diff` says what was added and removed, word by word (difflib), and
`change_entry` makes the item a change becomes: « Modification : <page> », a short summary,
the added text as its body (what processing reads for entities, topics and references).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from watcher.model import Entry

CHANGE_KIND = "change"  # the kind of a change's item (search: kind:change)
SUMMARY_WORDS = 40  # words of added (and of removed) text quoted in a change's summary
_TOKENS = re.compile(r"\n|[^\s]+")
_BLANKS = re.compile(r"[ \t\u00a0\u202f\u2009]+")
CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "CHF": "CHF", "EUR": "EUR", "USD": "USD"}
_SHOWN_CURRENCY = {"EUR": "€", "USD": "$", "GBP": "£"}


def normalise(text: str, ignore: Sequence[str] = ()) -> str:
    """The text as versions compare it: each `ignore` pattern (a regular expression, case
    ignored) removed, runs of blanks collapsed, one line per non-empty block."""
    for pattern in ignore:
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE | re.MULTILINE)
    lines = (_BLANKS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# « 29,99 €/mois », « 9,99 € par mois », « 49 € / an »: the period a price is paid for
_PERIOD = re.compile(r"(?:/|\bpar\b)\s*(mois|an|année|semaine|jour)\b", re.IGNORECASE)
_PERIODS = {"année": "an"}


def period_of(text: str) -> str:
    """The period a written price is paid for (« mois », « an », « semaine », « jour »), ""
    for a price paid once (or written without its period)."""
    found = _PERIOD.search(text)
    if not found:
        return ""
    word = found.group(1).lower()
    return _PERIODS.get(word, word)


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str  # ISO code when known (EUR), else as the page wrote it; "" when unknown
    per: str = ""  # the period it is paid for (« mois »…), "" when paid once or not written

    @classmethod
    def of(cls, amount: str, currency: str, per: str = "") -> Price | None:
        """A price from the stored (or structured-data) amount and currency; None if the
        amount is not a number."""
        try:
            value = Decimal(amount.strip())
        except (InvalidOperation, AttributeError):
            return None
        if not value.is_finite():
            return None
        code = currency.strip()
        return cls(
            value, CURRENCY_SIGNS.get(code.upper(), CURRENCY_SIGNS.get(code, code)), per.strip()
        )

    def french(self) -> str:
        """« 49,90 € », « 1 299,00 € », « 29,99 €/mois »."""
        whole, _, cents = f"{self.amount:,.2f}".partition(".")
        number = whole.replace(",", "\u202f") + "," + cents
        shown = f"{number} {currency_sign(self.currency)}".strip()
        return f"{shown}/{self.per}" if self.per else shown


def currency_sign(code: str) -> str:
    """The sign a French reader writes for a currency's code (« € » for EUR); else the code."""
    return _SHOWN_CURRENCY.get(code, code)


def price_change(before: Price | None, after: Price | None) -> str:
    """« 49,90 € → 44,90 € (−10 %) », or "" when the price did not change."""
    if before == after:
        return ""
    if after is None:
        return f"{before.french()} → prix absent" if before else ""
    if before is None:
        return f"prix affiché : {after.french()}"
    text = f"{before.french()} → {after.french()}"
    # a percentage compares like with like: « 1 299 € → 29,99 €/mois » has none
    if before.amount and before.currency == after.currency and before.per == after.per:
        percent = round((after.amount - before.amount) / before.amount * 100)
        sign = "−" if percent < 0 else "+"
        text += f" ({sign}{abs(percent)} %)"
    return text


@dataclass(frozen=True)
class Snapshot:
    """What one fetch of a watched page found: its normalised text and its price."""

    text: str
    price: Price | None = None

    @property
    def hash(self) -> str:
        # without the price's period: versions stored before it was read keep their hash (the
        # period is written in the page's text, whose change makes a new version)
        price = f"{self.price.amount} {self.price.currency}" if self.price else ""
        return hashlib.sha256(f"{self.text}\n\x00{price}".encode()).hexdigest()


@dataclass(frozen=True)
class PageVersion:
    """A stored version of a watched page."""

    source_id: str
    number: int  # 1, 2, … per source
    url: str
    text: str
    hash: str
    price: Price | None
    fetched_at: datetime
    item_id: int | None  # the change item this version made (None: the first, or no change)


# --- word diff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    op: str  # "=" kept, "+" added, "-" removed
    text: str


def _join(tokens: Iterable[str]) -> str:
    return " ".join(tokens).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


def word_diff(before: str, after: str) -> list[Segment]:
    """The words kept, removed and added from `before` to `after`, in order (line breaks are
    tokens too); removed text comes before the text that replaces it."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("=", _join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("-", _join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("+", _join(new[j1:j2])))
    return [s for s in segments if s.text.strip()]


def diff_excerpt(segments: Sequence[Segment], context: int = 12) -> list[Segment]:
    """The diff around what changed: each kept stretch cut to `context` words on the side of
    a change (« … » where words were left out), so that a long page reads in a few lines."""
    out: list[Segment] = []
    for position, segment in enumerate(segments):
        if segment.op != "=":
            out.append(segment)
            continue
        words = segment.text.split()
        after_change = position > 0
        before_change = position < len(segments) - 1
        if len(words) <= context * (after_change + before_change) or len(words) <= context:
            if after_change or before_change:
                out.append(segment)
            continue
        head = " ".join(words[:context]) if after_change else ""
        tail = " ".join(words[-context:]) if before_change else ""
        text = " … ".join(part for part in (head, tail) if part)
        text = ("" if after_change else "… ") + text + ("" if before_change else " …")
        out.append(Segment("=", text))
    return out


def diff_text(segments: Sequence[Segment]) -> str:
    """A diff in plain text: « kept [− removed] [+ added] kept »."""
    marks = {"+": "[+ {}]", "-": "[− {}]", "=": "{}"}
    return " ".join(marks[s.op].format(s.text) for s in segments)


def added_text(segments: Sequence[Segment]) -> str:
    return "\n".join(s.text for s in segments if s.op == "+")


def removed_text(segments: Sequence[Segment]) -> str:
    return "\n".join(s.text for s in segments if s.op == "-")


def _quote(text: str, words: int = SUMMARY_WORDS) -> str:
    tokens = text.split()
    cut = " ".join(tokens[:words])
    return f"« {cut}{' …' if len(tokens) > words else ''} »"


def change_summary(segments: Sequence[Segment], before: Price | None, after: Price | None) -> str:
    """What changed, in a few lines: the price, then the added and the removed text."""
    lines = []
    price = price_change(before, after)
    if price:
        lines.append(f"Prix : {price}")
    added, removed = added_text(segments), removed_text(segments)
    if added:
        lines.append(f"Ajouté : {_quote(added)}")
    if removed:
        lines.append(f"Retiré : {_quote(removed)}")
    return "\n".join(lines) or "Modification de la mise en forme du texte suivi"


def trigger_fired(trigger: str | None, before: str, after: str) -> bool:
    """Whether text matching `trigger` (a regular expression, case ignored) appeared or
    disappeared between the two texts; always True without a trigger."""
    if not trigger:
        return True
    pattern = re.compile(trigger, re.IGNORECASE)

    def found(text: str) -> Counter[str]:
        return Counter(" ".join(m.group(0).lower().split()) for m in pattern.finditer(text))

    return found(before) != found(after)


def change_entry(
    page: str,
    url: str,
    number: int,
    before: PageVersion,
    after: Snapshot,
    *,
    trigger: str | None = None,
    language: str = "fr",
) -> Entry | None:
    """The item a new version makes (its key: the page's URL and the version's number), or
    None when its `trigger` did not fire and its price did not change: a trigger filters the
    text's changes, a price change is always reported."""
    if before.price == after.price and not trigger_fired(trigger, before.text, after.text):
        return None
    segments = word_diff(before.text, after.text)
    summary = change_summary(segments, before.price, after.price)
    return Entry(
        url=url,
        title=f"Modification : {page}",
        summary=summary,
        # the added text (the summary says the price: search shows both, once each)
        text=added_text(segments),
        guid=f"{url}#version-{number}",
        language=language,
        kind=CHANGE_KIND,
    )


# the HTTP statuses of a page that is gone: not found, removed for good
GONE_STATUSES = (404, 410)


def gone_status(last_error_status: int | None, consecutive_failures: int) -> int | None:
    """404 or 410 when a watched page's crawls fail now because it is gone (the HTTP status
    its last failure answered); None while it answers, or fails for another reason."""
    if not consecutive_failures or last_error_status not in GONE_STATUSES:
        return None
    return last_error_status


# What a watched page that is gone says, by its status: the last line of its price history in
# the dossier, the note under the oral's prices slide, the warning on a change's web page.
GONE_NOTES = {
    404: "page introuvable (404) depuis le {day} : le dernier prix relevé n'est plus en ligne",
    410: "page retirée (410) le {day} : le dernier prix relevé n'est plus en ligne",
}


def gone_note(status: int, day: str, words: Callable[[str], str] = str) -> str:
    """« page retirée (410) le 02/12/2026 : le dernier prix relevé n'est plus en ligne »: what
    to say of a watched page gone since `day` with the `status` of `gone_status`. `words`: the
    web's translation of the note (the English interface), the note itself elsewhere."""
    return words(GONE_NOTES[status]).format(day=day)
