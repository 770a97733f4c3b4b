"""An act's ambiguous acronym, read where the item names that act (round 22 of issue 18).

« DSA », « DMA », « DGA », « GPSR », « RSGP », « EAA », « ePrivacy »… are the names a watch meets
most for the EU's digital and consumer acts, and each has other meanings (« DSA » is also a
diploma, a signature algorithm, a company; « DMA » a memory access; « EAA » an airport). The
alias table keeps them as `query` names (accepted after ``ref:`` only), so they are not read in
running text. In an item that names the act itself — by its number (« règlement (UE)
2022/2065 »), its title or an unambiguous name (« Digital Services Act », « directive 2002/58/CE »)
— the same acronym is that act: « le Digital Service Act (DSA) », then « les obligations prévues
par le DSA ». One pass, after the matchers, pure:

* the acronyms are the act's `query` names of one token with a capital after its first letter
  (« DSA », « RSGP », « ePrivacy », « CS3D »; not « Egalim », « Bichet »: a surname or a word
  needs more than the item's naming the act);
* each occurrence is read as a whole token, with its exact case, not inside a word, a path, an
  address or a compound (« DSA-2 », « /dsa/ », « DSA_key »);
* only when a candidate of that act's key was found in the item by another rule (anywhere: a
  title may use the acronym before the text names the act in full), for an EU act or a French
  text (« CEDH » is the Court as often as the Convention);
* not right after a type word of another kind or a bill's (« le Règlement ePrivacy est toujours
  en état de projet » is the proposed regulation, not the directive 2002/58/CE).

Its span is the acronym, its key and label the act's; a longer name found at the same place (« le
règlement DSA ») wins at de-overlapping.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _data

_ACRONYM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
# an EU or French act only: « CEDH » names the Convention as often as the Court
_KINDS = frozenset({"eu_act", "fr_text"})
# the acronym after a type word of another kind of text, or of a bill: « le Règlement ePrivacy est
# toujours en état de projet » is the proposed regulation, not the directive 2002/58/CE
_OTHER_TYPE_BEFORE = {
    "L": re.compile(
        r"(?i)(?:r[èe]glement|regulation|proposition|projet|proposal)s?(?: europ[ée]en)? $"
    ),
    "R": re.compile(r"(?i)(?:directive|proposition|projet|proposal)s?(?: europ[ée]enne)? $"),
    "": re.compile(r"(?i)(?:proposition|projet|proposal)s?(?: de)?(?: loi)? $"),
}


def _is_acronym(name: str) -> bool:
    return _ACRONYM_RE.match(name) is not None and any(ch.isupper() for ch in name[1:])


@functools.cache
def _acronyms_by_key() -> dict[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}
    for key, act in _data().acts.items():
        names = sorted((n for n in act.query_names if _is_acronym(n)), key=len, reverse=True)
        if names:
            alts = "|".join(re.escape(n) for n in names)
            out[key] = re.compile(r"(?<![\w/.@_-])(?:" + alts + r")(?![\w/@_-]|\.\w)")
    return out


def _acronyms_in_item(norm: _Norm, cands: list[_Cand]) -> list[_Cand]:
    """The acronyms of the acts the item names, wherever they occur in it."""
    patterns = _acronyms_by_key()
    named: dict[str, _Cand] = {}
    for c in cands:
        if c.key in patterns and c.kind in _KINDS and c.key not in named:
            named[c.key] = c
    out: list[_Cand] = []
    for key, first in named.items():
        celex = re.match(r"eu:celex:\d{5}(?P<type>[LR])", key)
        other = _OTHER_TYPE_BEFORE[celex.group("type") if celex else ""]
        for m in patterns[key].finditer(norm.text):
            if other.search(norm.text, max(0, m.start() - 40), m.start()) is not None:
                continue
            out.append(
                dataclasses.replace(first, start=m.start(), end=m.end(), group=0, pinpoint="",
                                    pinpoint_url="")
            )  # fmt: skip
    return out
