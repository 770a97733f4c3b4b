"""Build ``watcher/data/refs_lois_dites.yml`` from Légifrance's list of « lois dites » (round 24).

The list (Légifrance, « Lois dites », ``affichSarde.do?idSarde=SARDOBJT000007106573``, April
2018) is kept in ``outside/legifrance_lois_dites_2018.b64.txt`` as recorded in the public
repository regardscitoyens/legipy (a test cassette): eight HTML pages, gzipped, base64. This
script decodes them (the gzip CRC-32 checks each copy), reads every entry — the law's title
(type, number, date), its Légifrance id and its common name(s) (« Loi dite " loi Hamon " »,
« " loi ALUR ' ou " loi Duflot " ») — and writes the table with the rules below, so that anyone
can check it: ``python tests/data/refs/build_lois_dites.py`` (``--check``: fail if the file
differs).

What the table says, and what it leaves to ``watcher/understand/refs/lois_dites.py``:

* ``laws``: one entry per law of the list (139), its key (``fr:loi:<number>``), label, date,
  Légifrance id and the names Légifrance gives it (the words after « loi », as written: « Hamon »,
  « ALUR », « Informatique et Libertés »; a name the list gives without « loi » as written:
  « HADOPI 2 », « DDADUE »). Two typos of the list are corrected and listed (``TYPOS``).
* ``not_names``: what the list writes in the name's place but is not a name read as « loi X »
  (a group of laws, a description, « réforme … »).
* ``shared_outside``: names the list gives one law but that name another law too (general
  knowledge, each with its other law): read only with a date, like a name the list itself gives
  to two laws.
"""

from __future__ import annotations

import argparse
import base64
import html
import re
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SOURCE = HERE / "outside" / "legifrance_lois_dites_2018.b64.txt"
TARGET = ROOT / "watcher" / "data" / "refs_lois_dites.yml"

# Légifrance's typos, as legipy corrected them too (its parser's _clean_typos_legifrance).
TYPOS = {'"Ek Khomry"': '" loi El Khomri "', "\" loi ALUR '": '" loi ALUR "'}

# What stands in the name's place without being one (read as « loi X » it would be wrong or
# generic): a group of three laws, a transposition, reforms, a tax package.
NOT_NAMES = {
    "Paquet électoral": "a group of three laws (2011-410, 2011-411, 2011-412)",
    "Réforme territoriale": "a generic phrase (« la réforme territoriale »)",
    "réforme Taubira": "not a « loi » name",
    "paquet fiscal": "a generic phrase",
}

# Names the list gives one law that another law also goes by (read only with a date).
SHARED_OUTSIDE = {
    "Sapin": "also the loi n° 2016-1691 (« loi Sapin 2 », often « loi Sapin »)",
    "Taubira": "also the loi n° 2013-404 (mariage pour tous)",
    "Fillon": "also the loi n° 2005-380 (école)",
    "Defferre": "also the loi n° 82-213 (décentralisation, the first « loi Defferre »)",
    "Robien": "also the rental investment scheme of the loi n° 2003-590 (« loi Robien »)",
    "Duflot": "also the loi n° 2013-61 (« loi Duflot I ») and the rental investment tax scheme of"
    " the loi de finances pour 2013 (« loi Duflot »)",
    "Bachelot": "also the loi n° 2003-699 (risques technologiques)",
    "DDADUE": "the name of every loi « portant diverses dispositions d'adaptation au droit de"
    " l'Union européenne » (2013-100, 2020-1508, 2025-391 « DDADUE 5 »…)",
    "DADUE": "as DDADUE",
    "Dutreil": "also the loi n° 2005-882 (« loi Dutreil 2 », PME)",
    "Lang": "also the loi n° 85-660 (droits d'auteur)",
    "anti-casseurs": "also the loi n° 2019-290",
    "des 35 heures": "also the loi n° 2000-37 (Aubry II)",
}

_ENTRY_RE = re.compile(r"<li class='resultats\d'>(.*?)</li>", re.S)
_TITLE_RE = re.compile(
    r"(?P<type>LOI|Loi|loi)(?P<org> organique)?\b.*?n[°o]\s*(?P<num>\d{2,4}-\d{1,4}) du "
    r"(?P<day>1er|\d{1,2}) (?P<month>\w+) (?P<year>\d{4})"
)
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"]  # fmt: skip
_ID_RE = re.compile(r"cidTexte=(?P<id>[A-Z]+\d+)")
_QUOTED_RE = re.compile(r'"\s*(?P<seg>[^"]+?)\s*"')
# past these words the list speaks of another law or of the law's later history
# the last bracket of the entry: « (Loi dite " loi Hamon ") »
_DITE_RE = re.compile(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$")
_STOP_RE = re.compile(r"en référence|ultérieurement|abrogée|codifiée|instituant|dont|- Art")


def pages(path: Path = SOURCE) -> list[str]:
    """The HTML of each page (the gzip stream's CRC-32 checks the copy)."""
    out, chunks = [], []  # type: list[str], list[str]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("@@ "):
            if chunks:
                out.append(_decode("".join(chunks)))
            chunks = []
        else:
            chunks.append(line.strip())
    if chunks:
        out.append(_decode("".join(chunks)))
    return out


def _decode(b64: str) -> str:
    return zlib.decompress(base64.b64decode(b64), 16 + zlib.MAX_WBITS).decode("utf-8")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def entries() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for page in pages():
        content = page[page.index('id="content_right"') :]
        for item in _ENTRY_RE.findall(content):
            ident = _ID_RE.search(item)
            if ident is None:
                continue  # the list's warning (« La présence d'une loi dans la présente liste … »)
            text = _text(item)
            title = _TITLE_RE.search(text)
            assert title is not None, text
            dite = _DITE_RE.findall(text)[-1].strip()
            for typo, fixed in TYPOS.items():
                dite = dite.replace(typo, fixed)
            names = []
            for seg in _QUOTED_RE.finditer(_STOP_RE.split(dite)[0]):
                name = re.sub(r"^[Ll]oi ", "", seg.group("seg"))
                if name not in NOT_NAMES and name not in names:
                    names.append(name)
            day = 1 if title.group("day") == "1er" else int(title.group("day"))
            month = _MONTHS.index(title.group("month")) + 1
            num, year = title.group("num"), int(title.group("year"))
            words = "Loi organique" if title.group("org") else "Loi"
            day_fr = "1er" if day == 1 else str(day)
            out.append({
                "key": f"fr:loi:{num}",
                "label": f"{words} n° {num} du {day_fr} {_MONTHS[month - 1]} {year}",
                "date": f"{year:04d}-{month:02d}-{day:02d}",
                "id": ident.group("id"),
                "names": names,
                "dite": dite,
            })  # fmt: skip
    return out


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render() -> str:
    laws = entries()
    lines = [
        "# Common names of French laws from an outside, authoritative source (round 24 of",
        "# issue 18): Légifrance's list of « lois dites »",
        "# (affichSarde.do?idSarde=SARDOBJT000007106573), as recorded on 18 April 2018 in a test",
        "# cassette of the public repository regardscitoyens/legipy",
        "# (tests/fixtures/cassettes/test_list_common_law_projects), kept verbatim in",
        "# tests/data/refs/outside/legifrance_lois_dites_2018.b64.txt.",
        "# GENERATED by tests/data/refs/build_lois_dites.py: edit that script, not this file.",
        "# Read by watcher/understand/refs/lois_dites.py: « loi <name> », the name as a proper",
        "# name; a name of two laws only with the date of one.",
        f"# {len(laws)} laws.",
        "",
        "laws:",
    ]
    for law in laws:
        names = ", ".join(_q(str(n)) for n in law["names"])  # type: ignore[attr-defined]
        lines.append(
            f"  - {{key: {_q(str(law['key']))}, label: {_q(str(law['label']))}, "
            f"date: {law['date']}, id: {law['id']},"
        )
        lines.append(f"     names: [{names}],")
        lines.append(f"     dite: {_q(str(law['dite']))}}}")
    lines.append("")
    lines.append("# written in the name's place, not a name (not read)")
    lines.append("not_names:")
    lines += [f"  {_q(k)}: {_q(v)}" for k, v in NOT_NAMES.items()]
    lines.append("")
    lines.append("# names another law goes by too (read only with the date of one)")
    lines.append("shared_outside:")
    lines += [f"  {_q(k)}: {_q(v)}" for k, v in SHARED_OUTSIDE.items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the table is out of date")
    args = parser.parse_args()
    text = render()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({text.count('  - {key:')} laws)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
