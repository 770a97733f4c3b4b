"""The public API: find_references, resolve_reference_query, aliases."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from watcher.understand.refs.acronyms import (
    _acronyms_in_item,
    _names_by_topic,
    _names_in_apposition,
    _names_with_their_date,
)
from watcher.understand.refs.anaphora import (
    _articles_again,
    _named_again,
    _pointers,
    _standalone_pointers,
)
from watcher.understand.refs.assembly import (
    _deoverlap,
    _link_nors,
    _merge_name_and_number,
    _triggered,
    _unify_dated,
    _unify_rulings,
)
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.codes import _code_articles, _codes, _labour_articles
from watcher.understand.refs.decisions import _decisions
from watcher.understand.refs.eu_acts import (
    _bare_eu_acts,
    _dated_eu_acts,
    _eu_acts,
    _hyphenated_eu_acts,
)
from watcher.understand.refs.french_texts import _TYPE_KEYS, _TYPE_LABELS, _fr_texts, _valid_number
from watcher.understand.refs.fundamentals import _fundamentals
from watcher.understand.refs.identifiers import _celexes, _elis, _legi_ids, _nors
from watcher.understand.refs.lois_dites import _lois_dites, lois_dites_names
from watcher.understand.refs.named_acts import _named_acts
from watcher.understand.refs.normalise import _Norm, _normalise
from watcher.understand.refs.pinpoints import _attach_pinpoints, _same_texts
from watcher.understand.refs.standards import _standards
from watcher.understand.refs.table import _data, _fold


@dataclass(frozen=True)
class Reference:
    # "fr_text" | "code_article" | "nor" | "legi_id" | "eli" | "eu_act" | "celex" | "standard"
    kind: str
    key: str  # canonical key
    label: str  # human canonical label (French)
    url: str  # official link or search link
    link: str  # "official" | "search"
    text: str  # exactly as written in the source text
    start: int
    end: int
    date: datetime.date | None = None  # date of the act when written
    # The article of the act cited with it (« article 12 de la loi n° … » → "art-12"), "" if
    # none; code articles carry theirs in the key. An article list gives one reference each.
    pinpoint: str = ""
    pinpoint_url: str = ""  # official link to that article when derivable from the text, else ""

    @property
    def full_key(self) -> str:
        """The canonical key with its pinpoint: ``fr:loi:2014-344#art-12``."""
        return f"{self.key}#{self.pinpoint}" if self.pinpoint else self.key


# The version of the recognition rules (this package's code): part of an enrichment's signature
# (``watcher.understand.process.signature``) next to ``data_digest()``, so that items found with
# former rules are flagged for enrichment again. Bump it when a change of this package finds other
# references on the same text (round 11 of issue 18: 11).
RULES_VERSION = 31


def _candidates(norm: _Norm) -> list[_Cand]:
    out: list[_Cand] = []
    group_base = 0
    for matcher in (_fr_texts, _nors, _legi_ids, _elis, _celexes, _eu_acts, _hyphenated_eu_acts,
                    _bare_eu_acts, _dated_eu_acts, _named_acts, _lois_dites, _code_articles,
                    _labour_articles, _codes, _standards, _fundamentals,
                    _decisions):  # fmt: skip
        found = [c for c in matcher(norm) if c.key]
        for c in found:
            if c.group:
                c.group += group_base
        group_base += 100_000
        out.extend(found)
    return out


def find_references(text: str, today: datetime.date) -> list[Reference]:
    """All references in text, in order, de-overlapped (longest wins).

    ``today`` bounds the years a text's number or date may carry (a text numbered for the year
    after next is not one); the caller gives its ``now`` (the enrichment gives the run's date):
    the clock is never read here. The same key may repeat at different spans.
    """
    if not text or not _triggered(text):
        return []
    norm = _normalise(text)
    norm.year = today.year
    cands = _candidates(norm) + _names_by_topic(norm)
    _unify_dated(cands)
    _unify_rulings(cands)
    _link_nors(cands)
    by_end = sorted(cands, key=lambda c: (c.end, c.start))
    cands += _same_texts(norm, by_end) + _pointers(norm, by_end) + _named_again(norm, by_end)
    cands += _acronyms_in_item(norm, cands)
    cands += _names_with_their_date(norm)
    chosen = _attach_pinpoints(norm, _merge_name_and_number(_deoverlap(cands), norm.text))
    again = _articles_again(norm, chosen)
    again += _standalone_pointers(norm, chosen)
    again += _names_in_apposition(norm, chosen)
    if again:
        chosen = sorted(chosen + again, key=lambda c: (c.start, c.end))
    refs = []
    for c in chosen:
        start, end = norm.span(c.start, c.end)
        refs.append(
            Reference(c.kind, c.key, c.label, c.url, c.link, text[start:end], start, end, c.date,
                      c.pinpoint, c.pinpoint_url)
        )  # fmt: skip
    return refs


# --------------------------------------------------------------------------------------------
# Queries and aliases
# --------------------------------------------------------------------------------------------

_KEY_RE = re.compile(
    r"(?:eu:celex:[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:R\(\d{2}\))?|fr:[a-z-]+:[\w*:.-]+|std:[a-z-]+:[\w:./-]+"
    r"|fr:(?:constitution|ddhc|preambule-1946|charte-environnement)|eu:(?:tfue|tue|charte)"
    r"|int:cour-edh:(?:\d{1,6}/\d\d|du-\d{4}-\d\d-\d\d)|int:[a-z]+"
    r"|eu:case:[CT]-\d+/\d\d)"
)
_BARE_CELEX_RE = re.compile(r"[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:R\(\d{2}\))?")
_BARE_FR_RE = re.compile(
    r"(?i)(?P<type>loi|d[ée]cret|ordonnance) (?P<num>(?P<ny>\d{4}|\d{2})-(?P<nn>\d{1,4}))"
)


def resolve_reference_query(value: str, today: datetime.date) -> list[str]:
    """What a user typed after `ref:` in a search -> canonical keys.

    The value may be a canonical key, a common name such as RGPD, or a citation such as
    'Règlement (UE) 2016/679' or 'loi 2014-344'. Empty list if nothing recognised.
    ``today``: as for :func:`find_references`.
    """
    value = value.strip().strip("\"'«» ").strip()
    if not value:
        return []
    if "#" in value and _KEY_RE.fullmatch(value.split("#", 1)[0]):
        return [value.split("#", 1)[0]]  # « fr:loi:2014-344#art-12 »: items are indexed by act
    if _KEY_RE.fullmatch(value):
        return [value]
    if _BARE_CELEX_RE.fullmatch(value.upper()):
        return [f"eu:celex:{value.upper()}"]
    named = _data().act_by_name.get(_fold(value))
    if named:
        return [named]
    m = _BARE_FR_RE.fullmatch(" ".join(value.split()))
    if m and _valid_number(m.group("ny"), m.group("nn"), today.year):
        return [f"fr:{_TYPE_KEYS[_fold(m.group('type'))]}:{m.group('num')}"]
    keys: list[str] = []
    for ref in find_references(value, today):
        if ref.key not in keys:
            keys.append(ref.key)
    return keys


def aliases(key: str) -> list[str]:
    """Common names and short forms for a canonical key, used for indexing.

    E.g. eu:celex:32016R0679 -> ['RGPD', 'GDPR', …, 'Règlement (UE) 2016/679', …].
    """
    out: list[str] = []
    act = _data().acts.get(key)
    if act:
        out.extend(act.text_names)
        out.extend(act.query_names)
        out.append(act.label)
    out.extend(lois_dites_names(key))  # round 24: the names Légifrance gives a law
    m = re.fullmatch(r"eu:celex:(3(\d{4})([RLDFH])(\d{4}))", key)
    if m:
        celex, year, num = m.group(1), int(m.group(2)), int(m.group(4))
        out.append(celex)
        out.append(f"{year}/{num}" if year >= 2015 else f"{num}/{year}")
    m = re.fullmatch(r"fr:(loi|decret|ordonnance):(\d{2,4}-\d{1,4})", key)
    if m:
        out.append(f"{_TYPE_LABELS[m.group(1)]} n° {m.group(2)}")
        out.append(m.group(2))
    m = re.fullmatch(r"fr:nor:([A-Z]{4}\d{7}[A-Z])", key)
    if m:
        out.append(m.group(1))
    seen: list[str] = []
    for a in out:
        if a not in seen:
            seen.append(a)
    return seen
