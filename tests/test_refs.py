"""Tests for watcher.refs: domain.md §3.4 vectors, a labelled corpus of real sentences, links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from watcher.refs import Reference, aliases, find_references, resolve_reference_query

CORPUS = Path(__file__).parent / "data" / "refs" / "corpus.jsonl"

# Floors measured on the corpus (rounded down to 2 decimals); they may only rise.
PRECISION_FLOOR = 1.00
RECALL_FLOOR = 0.87
EXACT_FLOOR = 0.93


def keys(text: str) -> list[str]:
    return [r.key for r in find_references(text)]


C = "eu:celex:"

# (1) domain.md §3.4 test vectors: input -> expected canonical keys, in order.
VECTORS: list[tuple[str, list[str]]] = [
    ("loi n° 2023-451 du 9 juin 2023 visant à encadrer", ["fr:loi:2023-451"]),
    ("LOI n°\u00a02016-1321 du 7 octobre 2016", ["fr:loi:2016-1321"]),
    ("la loi no 78-753 du 17 juillet 1978", ["fr:loi:78-753"]),
    ("décret no 84-940 du 24 octobre 1984", ["fr:decret:84-940"]),
    ("Décret n°2020-371 du 30 mars 2020", ["fr:decret:2020-371"]),
    ("Décret n° 2026-728 du 1er août 2026", ["fr:decret:2026-728"]),
    ("L. n° 2015-177, 16 févr. 2015, art. 1er", ["fr:loi:2015-177"]),
    ("L. org. n° 2014-1392, 24 nov. 2014", ["fr:loi:2014-1392"]),
    ("Ord. n° 58-1067, 7 nov. 1958", ["fr:ordonnance:58-1067"]),
    ("loi organique n° 2001-692 du 1er août 2001", ["fr:loi:2001-692"]),
    ("arrêté du 3 décembre 1987 relatif à l'information", ["fr:arrete:du-1987-12-03"]),
    ("arrêté interministériel du 1er mars 2020", ["fr:arrete:du-2020-03-01"]),
    ("Circulaire du 8 décembre 1986", ["fr:circulaire:du-1986-12-08"]),
    ("article L. 121-1 du Code de la consommation", ["fr:code:consommation:L121-1"]),
    (
        "articles L121-2 et L121-3 du Code de la consommation",
        ["fr:code:consommation:L121-2", "fr:code:consommation:L121-3"],
    ),
    (
        "ses articles D. 643-1 à D. 643-35 du code de l'éducation",
        ["fr:code:education:D643-1", "fr:code:education:D643-35"],
    ),
    ("l'article 1240 du Code civil", ["fr:code:civil:1240"]),
    ("NOR : ECOC2301234A", ["fr:nor:ECOC2301234A"]),
    ("(NOR: ECOC2604872A)", ["fr:nor:ECOC2604872A"]),
    ("NOR:HRUX0817196D", ["fr:nor:HRUX0817196D"]),
    (
        "https://www.legifrance.gouv.fr/eli/loi/2013/12/18/2013-1168/jo/article_22",
        ["fr:loi:2013-1168"],
    ),
    (
        "https://www.legifrance.gouv.fr/eli/decret/2016/5/6/DEVR1604032D/jo/article_1",
        ["fr:nor:DEVR1604032D"],
    ),
    ("Règlement (UE) 2016/679", [C + "32016R0679"]),
    ("Directive (UE) 2019/2161", [C + "32019L2161"]),
    ("Règlement (CE) n° 1907/2006", [C + "32006R1907"]),
    ("Règlement (UE) n° 1169/2011", [C + "32011R1169"]),
    ("Directive 2011/83/UE", [C + "32011L0083"]),
    ("directive 95/46/CE", [C + "31995L0046"]),
    ("Décision 2010/300/UE", [C + "32010D0300"]),
    ("Décision n° 284/2010/UE", [C + "32010D0284"]),
    ("Règlement (CE) n° 2006/2004", [C + "32004R2006"]),
    ("règlement (UE) n° 2015/1", [C + "32015R0001"]),
    ("Règlement délégué (UE) 2015/281", [C + "32015R0281"]),
    ("Règlement (CEE) n° 1470/68", [C + "31968R1470"]),
    ("Règlement (UE) nº 127/2010", [C + "32010R0127"]),
    ("Règlement (CE) nº 2042/2003", [C + "32003R2042"]),
    ("Regulation (EU) No 216/2013", [C + "32013R0216"]),
    ("Décision (PESC) 2015/4", [C + "32015D0004"]),
    ("Le règlement no 2016/679", [C + "32016R0679"]),
    ("règlement européen 2016/679", [C + "32016R0679"]),
    ("CELEX:32016R0679", [C + "32016R0679"]),
    ("uri=CELEX%3A32024D1245", [C + "32024D1245"]),
    ("52018PC0033", [C + "52018PC0033"]),
    ("32016R0679R(02)", [C + "32016R0679R(02)"]),
    ("NF EN ISO 9001:2015", ["std:nf-en-iso:9001:2015"]),
    ("NF EN ISO 9001 : 2015", ["std:nf-en-iso:9001:2015"]),
    ("ISO 9001 (2015)", ["std:iso:9001:2015"]),
    ("ISO/IEC 27001", ["std:iso-iec:27001"]),
    ("ISO/IEC 27001:2022", ["std:iso-iec:27001:2022"]),
    ("NF Z 42-013", ["std:nf:z42-013"]),
    ("NF Z42-013", ["std:nf:z42-013"]),
    ("XP X 50-053", ["std:xp:x50-053"]),
    ("ISO 18295-1:2017", ["std:iso:18295-1:2017"]),
    ("NF A 04-160", ["std:nf:a04-160"]),
    ("NF EN 1563", ["std:nf-en:1563"]),
    ("NF ISO 8044", ["std:nf-iso:8044"]),
    ("FD CEN/TR 14739", ["std:fd-cen-tr:14739"]),
    ("ISO/IEC TR 90006:2013", ["std:iso-iec-tr:90006:2013"]),
    ("AFNOR SPEC 2314", ["std:afnor-spec:2314"]),
    ("NF DTU 64.1", ["std:nf-dtu:64.1"]),
    ("XP Z42-105", ["std:xp:z42-105"]),
    ("PR NF EN ISO 9001", ["std:pr-nf-en-iso:9001"]),
    ("ISO/DIS 9001", ["std:iso-dis:9001"]),
    ("ISO 9001:2015/Amd 1:2024", ["std:iso:9001:2015/amd1:2024"]),
    ("NF EN 1563/A1", ["std:nf-en:1563/a1"]),
]


@pytest.mark.parametrize(("text", "expected"), VECTORS)
def test_domain_vectors(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_vector_details() -> None:
    (loi,) = find_references("loi n° 2023-451 du 9 juin 2023 visant à encadrer")
    assert loi.kind == "fr_text"
    assert loi.label == "Loi n° 2023-451 du 9 juin 2023"
    assert str(loi.date) == "2023-06-09"
    (d,) = find_references("Décret n° 2026-728 du 1er août 2026")
    assert d.date is not None and d.date.day == 1
    (art,) = find_references("article L. 121-1 du Code de la consommation")
    assert art.kind == "code_article"
    assert art.label == "Code de la consommation, art. L. 121-1"
    (std,) = find_references("NF EN ISO 9001 : 2015")
    assert std.kind == "standard" and std.label == "NF EN ISO 9001:2015"


# (2) the labelled corpus
def _corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def test_corpus_metrics() -> None:
    rows = _corpus()
    assert len(rows) >= 150
    assert sum(1 for r in rows if r["negative"]) >= 40
    assert all(r["source"] for r in rows)
    tp = fp = fn = exact = 0
    for r in rows:
        got = {ref.key for ref in find_references(r["text"])}
        expected = set(r["keys"])
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        exact += got == expected
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    accuracy = exact / len(rows)
    print(
        f"\nrefs corpus: n={len(rows)} precision={precision:.4f} "
        f"recall={recall:.4f} exact={accuracy:.4f}"
    )
    assert precision >= max(PRECISION_FLOOR, 0.97)
    assert recall >= RECALL_FLOOR
    assert accuracy >= EXACT_FLOOR


# (3) hard negatives
HARD_NEGATIVES = [
    "Par une ordonnance n° 1906898 du 12 juillet 2019, le juge des référés a rejeté la demande.",
    "L'ordonnance de référé a été rendue le 3 mars 2020.",
    "Par une ordonnance du 12 mars 2020, le juge des référés du tribunal a rejeté la requête.",
    "Un décret en Conseil d'État fixe les modalités d'application du présent article.",
    "Vous disposez d'un délai de rétractation, ISO 14 jours calendaires.",
    "Réglez l'appareil sur ISO 400 : le bruit reste faible, ISO 3200 pour la nuit.",
    "La loi de finances pour 2024 prévoit une hausse.",
    "Le 25 mai 2018, la réunion s'est tenue à Paris.",
    "Appelez le 01 23 45 67 89 ou le 06-12-34-56-78.",
    "Conformément à l'article 12 du contrat, le prestataire s'engage à livrer.",
    "La norme impose des contrôles réguliers.",
    "Le logo NF atteste la conformité ; certification NF 461 et NF 544.",
    "Pourvoi n° 19-12.345, arrêt n° 2020-123 de la cour d'appel.",
    "L'arrêté n° 2019-45 du maire est affiché en mairie.",
    "JO L 450 du 16.12.2021, p. 149–155.",
    "Voir la décision n° 12/2019 du conseil municipal.",
    "L'article 5 du règlement intérieur de l'association s'applique.",
    "AC 220 V, EN 50 mm, GA 12, BP 1234, XP 15.",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives(text: str) -> None:
    assert find_references(text) == []


def test_corpus_negatives_produce_nothing() -> None:
    for r in _corpus():
        if r["negative"]:
            assert find_references(r["text"]) == [], r["text"]


# (4) spans point into the original text
def test_spans_point_into_original_text() -> None:
    text = (
        "Vu la loi n\u00a0\u00ba\u202f2016‑1321 du 7\u00a0octobre  2016 ; "
        "l’article L.\n121‑1 du code de la consommation."
    )
    refs = find_references(text)
    assert [r.key for r in refs] == ["fr:loi:2016-1321", "fr:code:consommation:L121-1"]
    for r in refs:
        assert text[r.start : r.end] == r.text
    assert refs[0].text.startswith("loi n") and refs[0].text.endswith("2016")
    assert refs[1].text.startswith("article L.\n121") and refs[1].text.endswith("consommation")


def test_spans_in_corpus() -> None:
    for r in _corpus():
        for ref in find_references(r["text"]):
            assert r["text"][ref.start : ref.end] == ref.text
            assert ref.text.strip() == ref.text


# (5) links
def _one(text: str) -> Reference:
    (ref,) = find_references(text)
    return ref


def test_links_eurlex_for_celex() -> None:
    for text in ("Règlement (UE) 2016/679", "CELEX:32016R0679", "le RGPD"):
        ref = _one(text)
        assert ref.url == "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679"
        assert ref.link == "official"
    eli = _one("http://data.europa.eu/eli/reg/2013/216/oj")
    assert (eli.kind, eli.key, eli.link) == ("eli", C + "32013R0216", "official")


def test_links_eli_only_when_derivable() -> None:
    ref = _one("Décret n° 2020-371 du 30 mars 2020")
    assert ref.url == "https://www.legifrance.gouv.fr/eli/decret/2020/3/30/2020-371/jo/texte"
    assert ref.link == "official"
    no_date = _one("la loi n° 2014-344 relative à la consommation")
    assert no_date.link == "search" and "/eli/" not in no_date.url
    alias = _one("la loi Hamon")
    assert alias.key == "fr:loi:2014-344" and alias.link == "search"
    arrete = _one("Arrêté du 26 décembre 2018")
    assert arrete.link == "search" and "legifrance.gouv.fr/search" in arrete.url
    with_nor = find_references(
        "Arrêté du 15 octobre 2018 portant définition du BTS, NOR : ESRS1827364A"
    )
    assert (
        with_nor[0].url
        == "https://www.legifrance.gouv.fr/eli/arrete/2018/10/15/ESRS1827364A/jo/texte"
    )
    assert with_nor[1].key == "fr:nor:ESRS1827364A" and with_nor[1].link == "search"


def test_links_never_invent_ids() -> None:
    art = _one("article L. 121-1 du Code de la consommation")
    assert art.link == "search" and "LEGIARTI" not in art.url
    jorf = _one("JORFTEXT000037562608")
    assert jorf.url == "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000037562608"
    code = _one("LEGITEXT000006069565")
    assert code.url == "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006069565"
    iso = _one("ISO 9001:2015")
    assert iso.url == "https://www.iso.org/standard/62085.html" and iso.link == "official"
    iso_other = _one("ISO 14001:2015")
    assert iso_other.link == "search" and iso_other.url.startswith(
        "https://www.iso.org/search.html?q="
    )
    nf = _one("NF Z42-013")
    assert nf.link == "search" and nf.url.startswith(
        "https://www.boutique.afnor.org/fr-fr/resultats?"
    )


def test_reference_fields() -> None:
    for ref in find_references(
        "Le règlement (UE) 2016/679 (RGPD), la loi n° 78-17 du 6 janvier 1978, "
        "l'article L. 121-1 du code de la consommation, la norme ISO 9001:2015, "
        "NOR : ECOI2007755D et JORFTEXT000042007473."
    ):
        assert ref.link in ("official", "search")
        assert ref.url.startswith("https://") or ref.url.startswith("http://data.europa.eu/")
        assert ref.label


# (6) queries and aliases
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("RGPD", [C + "32016R0679"]),
        ("gdpr", [C + "32016R0679"]),
        ("DSA", [C + "32022R2065"]),
        ("eu:celex:32016R0679", [C + "32016R0679"]),
        ("32016R0679", [C + "32016R0679"]),
        ("fr:loi:2014-344", ["fr:loi:2014-344"]),
        ("Règlement (UE) 2016/679", [C + "32016R0679"]),
        ("loi 2014-344", ["fr:loi:2014-344"]),
        ("loi Hamon", ["fr:loi:2014-344"]),
        ("directive 95/46/CE", [C + "31995L0046"]),
        ("ISO 9001:2015", ["std:iso:9001:2015"]),
        ("bonjour", []),
        ("", []),
    ],
)
def test_resolve_reference_query(query: str, expected: list[str]) -> None:
    assert resolve_reference_query(query) == expected


def test_aliases() -> None:
    gdpr = aliases(C + "32016R0679")
    assert "RGPD" in gdpr and "GDPR" in gdpr and "Règlement (UE) 2016/679" in gdpr
    assert "loi Hamon" in aliases("fr:loi:2014-344")
    assert aliases("std:unknown:1") == []


# --------------------------------------------------------------------------- normalisation
# The fast path (str.translate + split, offsets mapped back lazily) against the
# character-by-character one it replaced (still used for texts holding soft hyphens).


def _norm_alphabet() -> list[str]:
    return [*"ab L.1-2°", " ", " ", "\n", "\n", "\t", "\r", "\u00a0", "\u202f", "\u2009", "’",
            "º", "\u2011", "\u2013", "\u2212", "\x1c", "\u2028", "\x85", "\u3000"]  # fmt: skip


def test_fast_normalisation_equals_the_character_loop() -> None:
    import random

    from watcher.refs import _normalise, _normalise_chars

    rng = random.Random(4)
    alphabet = _norm_alphabet()
    texts = ["", "   ", "\n\n", "\n\nx", "a\n \nb", " a  b ", "x\u00a0\n\ny\n"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        fast, slow = _normalise(text), _normalise_chars(text)
        assert fast.text == slow.text, repr(text)
        assert fast.paragraphs == slow.paragraphs, repr(text)
        n = len(fast.text)
        for start in range(n):
            for end in range(start + 1, n + 1):
                assert fast.span(start, end) == slow.span(start, end), (repr(text), start, end)


def test_references_through_both_normalisations() -> None:
    text = (
        "Titre\u202f: l’article L.\u00a0121-1 du code de la consommation{sep}"
        "Puis l’article L. 121-2 du même code et la loi n°\u00a02014‑344 du 17 mars 2014."
    )
    for sep, keys in (
        ("\n", ["fr:code:consommation:L121-1", "fr:code:consommation:L121-2", "fr:loi:2014-344"]),
        (
            "\n \n",
            ["fr:code:consommation:L121-1", "fr:loi:2014-344"],
        ),  # « même code »: other paragraph
    ):
        plain = find_references(text.format(sep=sep))
        soft = find_references(text.format(sep=sep).replace("Titre", "Ti\u00adtre"))
        assert [r.key for r in plain] == keys
        assert [(r.key, r.text) for r in plain] == [(r.key, r.text) for r in soft]
        assert plain[-1].text == "loi n°\u00a02014‑344 du 17 mars 2014"


# --------------------------------------------------------------------------- scanning
# The shortcuts taken for speed (quick-reject look-aheads, named acts tried only where a
# first word is) find the same matches as the plain patterns.
def _scan_texts() -> list[str]:
    from watcher.refs import _data

    names = [n for act in _data().acts.values() for n in (*act.text_names, act.label)]
    names += [code.name for code in _data().codes.values()]
    texts = [r["text"] for r in _corpus()] + [t for t, _ in VECTORS] + HARD_NEGATIVES
    texts += [f"({p} 121-1 et {p}. 2 du code civil)" for p in ("L", "LO", "R", "D", "A", "")]
    for n in names:
        texts += [f"Vu le {n}, l'article 3 du {n}", n.upper(), n.lower(), f"x{n} {n}x -{n} {n}-"]
    return texts


def _alternatives(group: str) -> list[str]:
    """'(?P<name>a|b|c)' -> ['a', 'b', 'c']"""
    return group[group.index(">") + 1 : -1].split("|")


def test_quick_reject_lookaheads_list_every_first_character() -> None:
    import re

    from watcher import refs

    assert {a[0].lower() for a in _alternatives(refs._FR_TYPE)} <= set("ldoac")
    assert {a[0].lower() for a in _alternatives(refs._EU_TYPE)} <= set("rdf")
    assert all("A" <= token[0] <= "Z" for token in refs._STD_TOKENS.split("|"))
    texts = _scan_texts()
    for pattern, lookahead in (
        (refs._FR_TEXT_RE, "(?=[ldoac])"),
        (refs._EU_ACT_RE, "(?=[rdf])"),
        (refs._CODE_ART_RE, r"(?=[AaLRD\d])"),
        (refs._STD_RE, "(?=[A-Z])"),
    ):
        assert pattern.pattern.startswith(lookahead)
        plain = re.compile(pattern.pattern[len(lookahead) :], pattern.flags)
        for text in texts:
            assert [m.span() for m in pattern.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ], (pattern.pattern[:30], text)


def test_named_acts_scanned_from_first_words() -> None:
    from watcher.refs import _data, _finditer_at

    data = _data()
    assert data.act_name_re is not None and data.act_start_re is not None
    for text in _scan_texts():
        fast = _finditer_at(data.act_name_re, text, data.act_start_re)
        assert [m.span() for m in fast] == [m.span() for m in data.act_name_re.finditer(text)]
