"""Court rulings' keys and labels: what every court's patterns share."""

from __future__ import annotations

import re

from watcher.dates import date_fr
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _parse_date
from watcher.understand.refs.links import _legifrance_search
from watcher.understand.refs.table import _fold

# --- Decisions: Conseil constitutionnel, Conseil d'État, Cour de cassation, other courts,
# regulators (Autorité de la concurrence, ARCEP, CNIL, CRE, ASN…) ----------------------------
# Keys: fr:cc:<year>-<number>-<type>, fr:ce:<requête> or fr:ce:du-<date>, fr:cass:<pourvoi
# YY-NN.NNN> or fr:cass:du-<date>, fr:juris:<court>:<number or du-date>, fr:<body>:<number>
# or fr:<body>:du-<date>, fr:deliberation:<number> (body not named).
# The court or body as the subject, its verb before the citation: « Le Conseil d'État a, par une
# décision du … », « La CRE a alors proposé, par une décision du … », « le Conseil d'État l'a jugé
# dans une décision du … » (an auxiliary and at most three words).
_SUBJECT_VERB = r"(?:(?:l['’])?(?:a|avait)(?: [a-zéèêàâîôûç]+){0,3},? )?"
# The court as the subject, a verb of judging in the past, then the ruling's date: « la Cour de
# cassation a jugé, le 25 novembre 2020, que … », « le tribunal judiciaire de Lyon a condamné le 3
# mars 2021 … » (never « a été saisi le … »: the verbs are listed).
_JUDGED_ON = (
    r"(?:a|avait) (?:jug[ée]|estim[ée]|consid[ée]r[ée]|rappel[ée]|d[ée]cid[ée]|retenu|pr[ée]cis[ée]"
    r"|affirm[ée]|censur[ée]|annul[ée]|cass[ée]|valid[ée]|confirm[ée]|condamn[ée]|rejet[ée]|admis"
    r"|refus[ée]|reconnu|tranch[ée]|statu[ée]|sanctionn[ée]|infirm[ée]|invalid[ée]|d[ée]clar[ée]"
    r"|soulign[ée]|indiqu[ée]|conclu|ordonn[ée]|prononc[ée]),? (?:le|en date du) "
)
# where _JUDGED_ON may match (one cheap scan before the courts' patterns that end with it)
_JUDGED_HINT_RE = re.compile(
    r" a(?:vait)? (?:jug|estim|consid|rappel|d[ée]cid|retenu|pr[ée]cis|affirm|censur|annul|cass"
    r"|valid|confirm|condamn|rejet|admis|refus|reconnu|tranch|statu|sanction|infirm|invalid"
    r"|d[ée]clar|soulign|indiqu|conclu|ordonn|prononc)"
)


def _decision_cand(
    start: int, end: int, key: str, label: str, url: str = "", link: str = ""
) -> _Cand:
    link = link or ("official" if url else "search")
    return _Cand(start, end, "decision", key, label, url or _legifrance_search(label), link)


def _slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", _fold(name)))


def _pourvoi(num: str) -> str:
    """« 20-16782 » → « 20-16.782 », « 04-18. 653 » → « 04-18.653 », « 20-18-844 » →
    « 20-18.844 »."""
    num = num.replace(" ", "")
    if num.count("-") == 2:
        num = num[:5] + "." + num[6:]
    return num if "." in num else f"{num[:5]}.{num[5:]}"


def _dated_or_numbered(m: re.Match[str], court: str, name: str, numbered: bool = True) -> _Cand:
    # (« bnum »: the number in brackets after the date, « décision du … (n° 484422) »)
    num = (m.groupdict().get("num") or m.groupdict().get("bnum")) if numbered else None
    if num:
        num = _pourvoi(num) if court == "cass" else num
        what = "pourvoi n°" if court == "cass" else "n°"
        cand = _decision_cand(m.start(), m.end(), f"fr:{court}:{num}", f"{name}, {what} {num}")
        if "yyyy" in m.groupdict():
            cand.decided = _parse_date(m)
        return cand
    date = _parse_date(m)
    if date is None:  # an impossible date: keep the written form, never a wrong key
        return _decision_cand(m.start(), m.start(), "", "")
    return _decision_cand(m.start(), m.end(), f"fr:{court}:du-{date.isoformat()}",
                          f"{name}, {date_fr(date)}")  # fmt: skip
