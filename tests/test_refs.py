"""Tests for watcher.understand.refs: domain.md §3.4 vectors, a labelled corpus of real
sentences, links."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from watcher.understand import refs
from watcher.understand.refs import Reference, aliases

# The date the tests read references at (a text numbered for the year after next is not one):
# fixed, never the clock. The package's functions take it; these pass it unless told another.
TODAY = date(2026, 11, 27)


def find_references(text: str, today: date = TODAY) -> list[Reference]:
    return refs.find_references(text, today)


def resolve_reference_query(value: str, today: date = TODAY) -> list[str]:
    return refs.resolve_reference_query(value, today)


CORPUS = Path(__file__).parent / "data" / "refs" / "corpus.jsonl"

# Floors measured on the corpus (rounded down to 2 decimals); they may only rise.
PRECISION_FLOOR = 1.00
RECALL_FLOOR = 0.91
EXACT_FLOOR = 0.95


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
    "Arrêt n° 2020-123 de la cour d'appel.",
    "L'arrêté n° 2019-45 du maire est affiché en mairie.",
    "JO L 450 du 16.12.2021, p. 149–155.",
    "Voir la décision n° 12/2019 du conseil municipal.",
    "L'article 5 du règlement intérieur de l'association s'applique.",
    "AC 220 V, EN 50 mm, GA 12, BP 1234, XP 15.",
    # issue 18: near-misses of the new patterns
    "La constitution d'une SCI nécessite des statuts. Constitution du dossier : trois pièces.",
    "La Constitution européenne a été rejetée ; la Constitution du Royaume de Norvège aussi.",
    "Le marquage CE, obligatoire depuis le 1er janvier 2010, figure sur l'emballage.",
    "Les exploitants visés à l'article 1er sont tenus d'afficher les prix.",
    "Selon l'article 12 de ces conditions générales de vente, le locataire accepte.",
    "Décision n° 2022-0617 du 22 mars 2022 relative à la mise en place d'enquêtes.",
    "Par une ordonnance du 12 mars 2020, le juge des référés du tribunal a rejeté la requête.",
    "Une proposition de loi n°1284 a été déposée ; Arrêté du XX YY 2024 relatif aux prix.",
    "JORF n°0263 du 8 novembre 2025 ; COM(2021) 663 final ; PE/16/2019/REV/1 ; 2003/0134 (COD).",
    "La pièce C-12/34 du dossier (voir la facture T-1/20).",
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


# (5b) issue 18: what real text showed missing. Input -> expected references, as full keys
# (key#pinpoint), in order.
# fmt: off
ISSUE_18: list[tuple[str, list[str]]] = [
    # pinpoints (before and after the act), one reference per article of a list
    ("l'article 82 de la loi n° 2016-731 du 3 juin 2016", ["fr:loi:2016-731#art-82"]),
    ("Vu les articles 101 et 102 du TFUE ;", ["eu:tfue#art-101", "eu:tfue#art-102"]),
    ("(Décret n° 98-879 du 29 septembre 1998 art. 18)", ["fr:decret:98-879#art-18"]),
    ("Modifié par : LOI n°2020-901 du 24 juillet 2020 - art. 9", ["fr:loi:2020-901#art-9"]),
    (
        "Vu la loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux "
        "libertés, notamment son article 8 ;",
        ["fr:loi:78-17#art-8"],
    ),
    ("l'article 17 du RGPD", [C + "32016R0679#art-17"]),
    # subdivisions of the article: dotted (« 6.1.a »), « point b » without its parenthesis,
    # « VI, alinéa 1er », « Art. » after the act, a date between the act and its article
    ("Consentement explicite (RGPD Art. 6.1.a)", [C + "32016R0679#art-6"]),
    ("l'art. 5.3 de la directive 2002/58/CE", [C + "32002L0058#art-5"]),
    ("l'article 6, paragraphe 1, point b du RGPD", [C + "32016R0679#art-6"]),
    (
        "l'article 8-1, VI, alinéa 1er, de la loi n° 89-462 du 6 juillet 1989",
        ["fr:loi:89-462#art-8-1"],
    ),
    (
        "( Dir. 95/46/CE du Parlement européen et du Conseil, 24 oct. 1995, art. 8)",
        [C + "31995L0046#art-8"],
    ),
    # the act's name right after the article, no « du » (privacy notices, code comments),
    # subdivisions « 1., a) », « par. 1, lett. b) », « (1)(c) » read past
    ("Bases légales (Art. 6 RGPD)", [C + "32016R0679#art-6"]),
    ("Profilage et décision automatisée (art. 22 RGPD)", [C + "32016R0679#art-22"]),
    ("conformément à l'art. 5, 1., a) du RGPD", [C + "32016R0679#art-5"]),
    ("Exécution du contrat (art. 6, par. 1, lett. b) RGPD)", [C + "32016R0679#art-6"]),
    ("Minimisation (Art. 5(1)(c) RGPD)", [C + "32016R0679#art-5"]),
    ("prévu par l'article 49 al. 3 de la Constitution", ["fr:constitution#art-49"]),
    # the article after the act: « en son article », « consacre son article »
    (
        "Le RGPD, en son article 24, impose au responsable de traitement",
        [C + "32016R0679#art-24"],
    ),
    (
        "La loi du 26 janvier 2016 de modernisation de notre système de santé instaure, en son "
        "article 193, le SNDS",
        ["fr:loi:du-2016-01-26#art-193"],
    ),
    ("L'AI Act consacre son article 4 à la maîtrise de l'IA.", [C + "32024R1689#art-4"]),
    # an EU number away from its type word, its domain before it
    ("Le règlement Omnibus, numéroté (UE) 2026/1744, l'a récrit", [C + "32026R1744"]),
    # common names: « loi 3DS », the AI regulation by its French names, a number in brackets
    ("prolongé par la loi 3DS", ["fr:loi:2022-217"]),
    (
        "L'article 50 du règlement européen sur l'intelligence artificielle s'applique.",
        [C + "32024R1689#art-50"],
    ),
    ("le règlement européen sur l'IA impose la transparence", [C + "32024R1689"]),
    (
        "La loi (n° 2010-737) du 1er Juillet 2010 portant réforme du crédit",
        ["fr:loi:2010-737"],
    ),
    # « la même loi » after an article: the loi cited just before
    (
        "L'article 17 de la loi du 6 janvier 1978 dispose. Aux termes de l'article 18 de la "
        "même loi, rien.",
        ["fr:loi:du-1978-01-06#art-17", "fr:loi:du-1978-01-06#art-18"],
    ),
    # articles whose code is not written after them: the code named earlier in the item
    (
        "Vu le code monétaire et financier, notamment ses articles L. 511-41 et L. 611-1 ;",
        ["fr:code:monetaire-financier", "fr:code:monetaire-financier:L511-41",
         "fr:code:monetaire-financier:L611-1"],
    ),
    (
        "l'article L. 461-5 du Code de commerce et, aux termes de l'article R. 462-4, les "
        "décisions prévues à l'article L. 464-8 du même code",
        ["fr:code:commerce:L461-5", "fr:code:commerce:R462-4", "fr:code:commerce:L464-8"],
    ),
    (
        "Code de la consommation\n\nLe formulaire mentionné au 7° de l'article L. 221-5 figure "
        "en annexe au présent code.",
        ["fr:code:consommation", "fr:code:consommation:L221-5"],
    ),
    (
        "Code civil - Article 1241\n\nChacun est responsable, comme le prévoit l'article 1240.",
        ["fr:code:civil:1241", "fr:code:civil:1240"],
    ),
    ("Le code civil est ancien.\n\nL'article 12 entre en vigueur demain.", ["fr:code:civil"]),
    ("l'article L. 221-28, 9° du code de la consommation", ["fr:code:consommation:L221-28"]),
    ("Code de la consommation - art. L121-34", ["fr:code:consommation:L121-34"]),
    ("art. L. 217-4 C. cons", ["fr:code:consommation:L217-4"]),
    # a letter after the number is part of it (« 39 AA » in the CGI), not the N of « N° »
    ("article 39 AA du code général des impôts", ["fr:code:impots:39-AA"]),
    ("C. consom., art. L. 311-3 N° Lexbase : L6636IMQ", ["fr:code:consommation:L311-3"]),
    ("article liminaire du Code de la consommation", ["fr:code:consommation:liminaire"]),
    # codes without an article, by a part, and codes missing from the table before
    ("le titre IV du livre IV du Code de commerce", ["fr:code:commerce"]),
    ("Article R252-12 du Code de la sécurité intérieure", ["fr:code:securite-interieure:R252-12"]),
    # national decisions
    ("la décision n° 2019-796 DC du 27 décembre 2019", ["fr:cc:2019-796-DC"]),
    ("sous le n° 2025-1173 QPC", ["fr:cc:2025-1173-QPC"]),
    ("ECLI:FR:CC:2019:2019.796.DC", ["fr:cc:2019-796-DC"]),
    ("CE, Ass., 23 déc. 2011, n° 335033, « Danthony »", ["fr:ce:335033"]),
    ("Conseil d’État, 6ème – 5ème chambres réunies, 17/01/2024, 466052", ["fr:ce:466052"]),
    ("Par une décision du 28 janvier 2022, le Conseil d’État a confirmé", ["fr:ce:du-2022-01-28"]),
    ("Cass. com., 26 janv. 2022, no 20-16782, FB", ["fr:cass:20-16.782"]),
    ("ont formé le pourvoi n° U 18-26.769 contre l'arrêt", ["fr:cass:18-26.769"]),
    ("ADLC, 18 mars 2019, n° 19-A-06", ["fr:adlc:19-A-06"]),
    ("décision n° 2009-1106 de l'Autorité de régulation des communications électroniques",
     ["fr:arcep:2009-1106"]),
    ("décision n 2009-DC-0138 de l Autorité de sûreté nucléaire", ["fr:asn:2009-DC-0138"]),
    ("CA ROUEN (ch. proxim.), 19 mai 2022 : RG n° 21/02009", ["fr:juris:ca-rouen:21-02009"]),
    ("CJUE, 1er oct. 2019, Planet49, C-673/17", ["eu:case:C-673/17"]),
    # délibérations
    ("Délibération de la formation restreinte n°SAN-2021-023 du 31 décembre 2021",
     ["fr:cnil:SAN-2021-023"]),
    ("délibération CNIL 2019-093 du 4 juillet 2019", ["fr:cnil:2019-093"]),
    ("la délibération de la Commission de régulation de l'énergie (CRE) du 21 janvier 2021",
     ["fr:cre:du-2021-01-21"]),
    ("Délibération n° 2024-117 du 25 juin 2024 portant décision", ["fr:deliberation:2024-117"]),
    # standards without a year
    ("la norme EN 71-3 et la norme jouet EN71", ["std:en:71-3", "std:en:71"]),
    ("La norme EN 9100 complète la norme ISO 9001", ["std:en:9100", "std:iso:9001"]),
    ("notamment la norme NF EN 13 432 : 2000", ["std:nf-en:13432:2000"]),
    ("NF EN 71-4 (novembre 2003)", ["std:nf-en:71-4:2003"]),
    # the Constitution and the bloc de constitutionnalité
    ("à l'article 61-1 de la Constitution", ["fr:constitution#art-61-1"]),
    ("Vu la Constitution ;", ["fr:constitution"]),
    ("l'article 6 de la Déclaration des droits de l'homme et du citoyen", ["fr:ddhc#art-6"]),
    ("le Préambule de la Constitution de 1946", ["fr:preambule-1946"]),
    ("l'article 6 de la Charte de l'environnement", ["fr:charte-environnement#art-6"]),
    # EU numbers as published
    ("la directive 2013/36/ UE", [C + "32013L0036"]),
    ("Directive 2009 /140/EC of the European Parliament", [C + "32009L0140"]),
    ("le règlement 2006/2004/CE relatif à la coopération", [C + "32004R2006"]),
    (
        "les anciennes directives sur les exigences de fonds propres (2006/48/CE et 2006/49/CE)",
        [C + "32006L0048", C + "32006L0049"],
    ),
    ("la directive dite « BRRD » 2014/59/UE", [C + "32014L0059"]),
    # informal names, quoted or with a footnote glued
    ("la loi « Bichet »", ["fr:loi:47-585"]),
    ("la loi du 2 avril 1947, dite loi « Bichet »", ["fr:loi:47-585", "fr:loi:47-585"]),
    ("la loi Scrivener 2 et la loi Neiertz", ["fr:loi:79-596", "fr:loi:89-1010"]),
    ("la loi informatique et libertés555 556", ["fr:loi:78-17"]),
    # dates: ordonnances, old lois, arrêtés with a local number or their issuer
    ("réalisée par l'ordonnance du 26 mai 2021, offre", ["fr:ordonnance:du-2021-05-26"]),
    ("l'article 6 de la loi du 30 juin 1881", ["fr:loi:du-1881-06-30#art-6"]),
    ("Arrêté n° 78-89/P du 9 août 1978", ["fr:arrete:du-1978-08-09"]),
    ("*1* A. du 04-05-1993 (JO du 13-05-1993)", ["fr:arrete:du-1993-05-04"]),
    ("Circulaire DGT/ASN n 04 du 21 avril 2010", ["fr:circulaire:du-2010-04-21"]),
    ("l'arrêté du ministre chargé de l'économie du 3 décembre 1987", ["fr:arrete:du-1987-12-03"]),
    ("Réf. : Loi n du 13 juin 2006 relative à la transparence", ["fr:loi:du-2006-06-13"]),
    ("Vu le décret n 2007-1557 du 2 novembre 2007", ["fr:decret:2007-1557"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), ISSUE_18)
def test_issue_18_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


# (5c) issue 18, batch b15 (regulators' decisions, court rulings, JO summaries, collective
# agreements): the forms its development lines showed missing.
# fmt: off
B15: list[tuple[str, list[str]]] = [
    # a subdivision glued to a code article (« 1484-2° », « L. 312-1-I-a) »), a lower-case « l. »
    ("Vu l'article 1484-2° du code de procédure civile", ["fr:code:procedure-civile:1484"]),
    (
        "en application de l'article L. 312-1-I-a) du code des juridictions financières",
        ["fr:code:juridictions-financieres:L312-1"],
    ),
    ("la cour d'appel a violé l'article l. 1232-6 du code du travail", ["fr:code:travail:L1232-6"]),
    ("(C. mon. et fin., art. L. 612-39)", ["fr:code:monetaire-financier:L612-39"]),
    # pinpoints: « 3-2° » is article 3, « 1er ter » keeps its « ter »
    (
        "Aux termes de l'article 3-2° de la loi n° 2016-1691 du 9 décembre 2016",
        ["fr:loi:2016-1691#art-3"],
    ),
    (
        "portant application de l'article 1er ter de l'ordonnance n° 45-2590 du 2 novembre 1945",
        ["fr:ordonnance:45-2590#art-1-ter"],
    ),
    # « de la loi organique précitée »: the last loi organique cited before
    (
        "la loi organique n° 2011-333 du 29 mars 2011, précisée par la loi n° 2011-334 du même "
        "jour. En application de l'article 44 de la loi organique précitée, rien.",
        ["fr:loi:2011-333", "fr:loi:2011-334", "fr:loi:2011-333#art-44"],
    ),
    # one type word, two numbers
    (
        "Vu les ordonnances n° 45-1483 et n° 45-1484 du 30 juin 1945, modifiées",
        ["fr:ordonnance:45-1483", "fr:ordonnance:45-1484"],
    ),
    # the Conseil constitutionnel and the Cour de cassation as legal writers cite them
    (
        "(Cons. const. 28 juill. 1989 Cons. const., 27 sept. 2013, n° 2013-341 QPC)",
        ["fr:cc:du-1989-07-28", "fr:cc:2013-341-QPC"],
    ),
    (
        "(Crim. 1er mars 2000 ; Soc., 5 mai 2010 ; Civ. 1re, 20 janv. 2021, n° 19-20.680)",
        ["fr:cass:du-2000-03-01", "fr:cass:du-2010-05-05", "fr:cass:19-20.680"],
    ),
    ("(Civ. 1, 10 mai 2006, pourvoi n° 04-18. 653)", ["fr:cass:04-18.653"]),
    (
        "Cour de cassation, civile, Chambre sociale, 10 juillet 2013, 12-15.177, Inédit",
        ["fr:cass:12-15.177"],
    ),
    ("N° de pourvoi: 12-15177", ["fr:cass:12-15.177"]),
    (
        "Par un arrêt du 2 octobre 2024, publié au bulletin, la Cour de cassation juge",
        ["fr:cass:du-2024-10-02"],
    ),
    # courts of appeal in the Cour de cassation's own formulas
    (
        "CASSE ET ANNULE l'arrêt rendu le 7 mai 2013, entre les parties, par la cour d'appel de "
        "Colmar",
        ["fr:juris:ca-colmar:du-2013-05-07"],
    ),
    (
        "ont formé le pourvoi contre l'arrêt rendu le 14 juin 2018 par la cour d'appel d'Orléans",
        ["fr:juris:ca-orleans:du-2018-06-14"],
    ),
    (
        "rejeté par un arrêt de la cour d'appel de Douai du 24 juin 2004",
        ["fr:juris:ca-douai:du-2004-06-24"],
    ),
    # the Conseil d'État with the parties' name before the number, « ´ » for an apostrophe
    (
        "V. Conseil d´état, SSR, 12 novembre 2014, Fédération X, requête numéro 360264 : AJDA",
        ["fr:ce:360264"],
    ),
    ("CE, 27 mai 1977, Loscos, req. n° 93920, Rec, p.249", ["fr:ce:93920"]),
    # names
    (
        "Vu la Convention de sauvegarde des droits de l'homme et des libertés fondamentales ;",
        ["int:cedh"],
    ),
    # a copyright line is not a standard
    (
        "Numéro de référence ISO/IEC TR 90006:2013(F) © ISO/IEC 2013",
        ["std:iso-iec-tr:90006:2013"],
    ),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), B15)
def test_b15_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


# (5d) batch b16 (tribunals and courts of appeal, HAS and Arcom decisions, EUR-Lex): the forms
# its development lines showed missing.
# fmt: off
B16: list[tuple[str, list[str]]] = [
    # lower courts as Juricaf, Légifrance and law firms title them
    (
        "France, Tribunal de grande instance de Paris, Ct0196, 24 mai 2022, 20/03773",
        ["fr:juris:tgi-paris:20-03773"],
    ),
    ("Cour d’appel de Paris, le 18 juin 2025, n°23/17066", ["fr:juris:ca-paris:23-17066"]),
    (
        "Tribunal judiciaire de Lyon, 4e ch., 3 mars 2021, n° 19/01234",
        ["fr:juris:tj-lyon:19-01234"],
    ),
    (
        "Par arrêt du 18 juin 2025, la cour d’appel de Paris a statué",
        ["fr:juris:ca-paris:du-2025-06-18"],
    ),
    (
        "Le tribunal de commerce de Lille, par jugement du 17 juin 2021, avait débouté le client",
        ["fr:juris:tc-lille:du-2021-06-17"],
    ),
    # the Haute Autorité de santé's decisions, the Arcom by its full name
    (
        "Le collège de la Haute Autorité de santé a adopté la décision n° 2020.0251/DC/SJ du 19 "
        "novembre 2020.",
        ["fr:has:2020.0251-DC-SJ"],
    ),
    (
        "Avis de l’Autorité de régulation de la communication audiovisuelle et numérique, n° "
        "2023-06 du 28 juin 2023",
        ["fr:arcom:2023-06"],
    ),
    # « la loi française du … », a CJEU case after « Affaire », an EU ELI of a consolidated version
    (
        "créée par la loi française du 13 août 2004 relative à l’assurance maladie",
        ["fr:loi:du-2004-08-13"],
    ),
    ("Affaire C-583/18.", ["eu:case:C-583/18"]),
    ("ELIhttp://data.europa.eu/eli/dir/2011/83/2018-07-01", [C + "32011L0083"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), B16)
def test_b16_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


# (5e) batch b17 (labour-law blogs, CNIL and Arcom news): the forms its development lines
# showed missing: « Articles » glued to the article in extracted text, « le Conseil d'État dans
# une décision du … ».
# fmt: off
B17: list[tuple[str, list[str]]] = [
    (
        "ArticlesL. 121-17 et L. 121-18 du code de la consommation FICHIER",
        ["fr:code:consommation:L121-17", "fr:code:consommation:L121-18"],
    ),
    ("ArticleL132-24 du Code de la consommation", ["fr:code:consommation:L132-24"]),
    (
        "Cette décision a été validée par le Conseil d’Etat dans une décision du 17 avril 2019.",
        ["fr:ce:du-2019-04-17"],
    ),
    ("le Conseil d'État, par un arrêt du 3 mai 2021, a jugé", ["fr:ce:du-2021-05-03"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), B17)
def test_b17_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


# (5f) batch b18 (AMF sanctions, BOFiP, the CIBS, EN 149 with its amendment, cour d'appel
# rulings and the Cour de cassation's formulas, EU product-safety texts): the forms its
# development lines showed missing.
MF = "fr:code:monetaire-financier:"
LPF = "fr:code:procedures-fiscales:L80-A"
# fmt: off
B18: list[tuple[str, list[str]]] = [
    # a paragraph after a space (« L. 532-9 II ») or « 8° » between article and code
    (
        "Vu le code monétaire et financier, notamment ses articles L. 532-9 II, L. 533-11 ;",
        ["fr:code:monetaire-financier", MF + "L532-9", MF + "L533-11"],
    ),
    ("Codifiées à l’article L. 561-2 8° du Code monétaire et financier", [MF + "L561-2"]),
    # codes missing from the table: the livre des procédures fiscales (LPF, L.P.F.), the CIBS;
    # the Union Customs Code is an EU regulation, not the French code des douanes
    ("L'article L. 80 A du LPF ne peut être invoqué que par un contribuable", [LPF]),
    ("Les dispositions de l'article L. 80 A du livre des procédures fiscales (LPF) n'ont", [LPF]),
    ("(L.P.F., art. L. 80 A, 2ème alinéa)", [LPF]),
    (
        "Art. L300-1, Code des impositions sur les biens et services",
        ["fr:code:impositions-biens-services:L300-1"],
    ),
    ("au sens de l'article 226 du code des douanes de l'Union.", [C + "32013R0952#art-226"]),
    # an older NOR written with spaces
    ("NOR : BCR Z 10 00067 J", ["fr:nor:BCRZ1000067J"]),
    # a standard's amendment after « + »
    ("La norme d'essai est EN 149:2001+A1:2009(E)", ["std:en:149:2001/a1"]),
    ("La norme EN 149+A1:2009 spécifie les exigences minimales", ["std:en:149/a1"]),
    # a regulator's decision as legal writers cite it
    ("AMF, 18 juill. 2016, n° SAN-2016-12", ["fr:amf:SAN-2016-12"]),
    # cours d'appel and tribunals: « CA Paris, pôle 5 - ch. 3, … », « N° … », the judgment
    # under appeal, the RG number under the court's heading, « arrêt rendu le … », the ruling
    # under appeal in the Cour de cassation's words (only at a seat of a cour d'appel)
    ("CA Paris, pôle 5 - ch. 3, 12 janv. 2022, n° 19/06644", ["fr:juris:ca-paris:19-06644"]),
    (
        "Décision précédente : Tribunal de grande instance de Paris, 13 janvier 2019, N° 17/04152",
        ["fr:juris:tgi-paris:17-04152"],
    ),
    (
        "Décision déférée à la Cour : Jugement du 14 Janvier 2019 -Tribunal de Grande Instance de "
        "PARIS – RG n° 17/04152",
        ["fr:juris:tgi-paris:17-04152"],
    ),
    (
        "COUR D'APPEL DE PARIS\n\nNuméro d'inscription au répertoire général : N° RG 19/06644",
        ["fr:juris:ca-paris:19-06644"],
    ),
    (
        "Par arrêt rendu le 9 mai 2006, la cour d'appel d'Aix-en-Provence a débouté le salarié",
        ["fr:juris:ca-aix-en-provence:du-2006-05-09"],
    ),
    (
        "Attendu, selon l'arrêt attaqué (Rennes, 15 janvier 2014) que M. X..., engagé ; l'arrêt "
        "attaqué (Nantes, 3 mars 2020)",
        ["fr:juris:ca-rennes:du-2014-01-15"],
    ),
    (
        "Attendu, selon les arrêts attaqués (Lyon, 29 avril 2009 et 24 mars 2011) rendus sur",
        ["fr:juris:ca-lyon:du-2009-04-29", "fr:juris:ca-lyon:du-2011-03-24"],
    ),
    # the Cour de cassation: « pourvoi : … », a ruling by the date it was given (not the date
    # it was seized)
    ("(Cour de cassation avis 27 février 2017, pourvoi : 17-70001)", ["fr:cass:17-70.001"]),
    (
        "Il a saisi la Cour de cassation le 3 mars 2020. La Chambre sociale de la Cour de "
        "cassation a rendu le 1er décembre 2016 un arrêt remarqué",
        ["fr:cass:du-2016-12-01"],
    ),
    (
        "des décisions rendues par la Chambre sociale de la Cour de cassation le 29 janvier 2014",
        ["fr:cass:du-2014-01-29"],
    ),
    # a number before 2000 written with its year in full, its date of the same year
    ("l’article 31 de la loi n° 1985-677 du 5 juillet 1985", ["fr:loi:85-677#art-31"]),
    # EU: a directive's number is « year/number »; « n o » as extracted; « ou » in a list
    (
        "La directive 2001/95 du 3 décembre 2001 relative à la sécurité générale des produits",
        [C + "32001L0095"],
    ),
    ("complétée par le Règlement (UE) n o 168/2013 relatif à la réception", [C + "32013R0168"]),
    (
        "des articles 75 ou 215 du Traité sur le fonctionnement de l'Union européenne",
        ["eu:tfue#art-75", "eu:tfue#art-215"],
    ),
    # « articles Articles » as extracted
    (
        "Code de procédure civile, articles Articles 1031-1 à 1031-7",
        ["fr:code:procedure-civile:1031-1", "fr:code:procedure-civile:1031-7"],
    ),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), B18)
def test_b18_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


# (5g) round 7 (issue 18): the forms of each kind as French legal writing has them, beyond the
# development lines: court rulings in their usual abbreviations and layouts, EU numbers in the
# shapes sites write them. Negatives: their look-alikes.
CASS = "fr:cass:"
# fmt: off
KINDS: list[tuple[str, list[str]]] = [
    # Cour de cassation: no comma before the date, « Cass., ch. mixte », several pourvois, the
    # pourvoi after « … du <date> », a title whose court is on the line before
    ("Cass. soc. 3 mars 2021, n°19-13.425", [CASS + "19-13.425"]),
    ("Cass. crim. 12 mai 2021, n° 20-85.123", [CASS + "20-85.123"]),
    ("Cass. 3e civ. 10 juin 2021 n° 20-13.123", [CASS + "20-13.123"]),
    ("Cass. 1re civ. 20 janv. 2021", [CASS + "du-2021-01-20"]),
    ("Cass., ch. mixte, 24 févr. 2017, n° 15-20.411", [CASS + "15-20.411"]),
    (
        "Cass. soc., 3 mars 2021, n° 19-13.425 et n° 19-13.426",
        [CASS + "19-13.425", CASS + "19-13.426"],
    ),
    ("Soc., 5 mai 2010, n°s 08-44.123, 08-44.124", [CASS + "08-44.123", CASS + "08-44.124"]),
    ("l'avis de la Cour de cassation du 17 juillet 2019 (n° 19-70.010)", [CASS + "19-70.010"]),
    ("Cour de cassation, chambre sociale\n\n14 octobre 2015, 14-14.196", [CASS + "14-14.196"]),
    # Conseil d'État: the formation without commas, the number first, several requêtes, « Ce, »
    ("CE Ass., 3 juillet 2020, n° 428409", ["fr:ce:428409"]),
    ("CE 5e-6e ch. réunies, 10 juill. 2020, n° 428409", ["fr:ce:428409"]),
    ("CE Sect. 12 déc. 2003, n° 239507", ["fr:ce:239507"]),
    ("CE 10 juillet 2020 n° 428409", ["fr:ce:428409"]),
    ("CE 3 mars 2021, n° 449743", ["fr:ce:449743"]),
    ("CE, 3 mars 2021, n°s 449743, 449744", ["fr:ce:449743", "fr:ce:449744"]),
    ("Conseil d'État n° 428409 du 10 juillet 2020", ["fr:ce:428409"]),
    ("S. Ce, 27 mai 1977, Loscos, req. n° 93920, Rec, p.249", ["fr:ce:93920"]),
    # Conseil constitutionnel: « déc. », a bare « 2021-940 QPC », by date in a sentence
    ("Cons. const., déc. 2021-940 QPC, 15 oct. 2021", ["fr:cc:2021-940-QPC"]),
    ("Conseil constitutionnel, 15 octobre 2021, 2021-940 QPC", ["fr:cc:2021-940-QPC"]),
    ("la décision du Conseil constitutionnel du 15 octobre 2021", ["fr:cc:du-2021-10-15"]),
    (
        "le Conseil constitutionnel, dans sa décision du 15 octobre 2021, a jugé",
        ["fr:cc:du-2021-10-15"],
    ),
    ("décision rendue par le Conseil constitutionnel le 15 octobre 2021", ["fr:cc:du-2021-10-15"]),
    ("l'arrêt du Conseil d'État du 3 mars 2021", ["fr:ce:du-2021-03-03"]),
    # EU courts: the General Court, joined cases, « la Cour » of an EU text
    (
        "Trib. UE, 10 nov. 2021, Google et Alphabet c/ Commission, T-612/17",
        ["eu:case:T-612/17"],
    ),
    (
        "arrêt de la Cour du 16 juillet 2020, Facebook Ireland et Schrems (C-311/18)",
        ["eu:case:C-311/18"],
    ),
    (
        "aff. jointes C-511/18, C-512/18 et C-520/18",
        ["eu:case:C-511/18", "eu:case:C-512/18", "eu:case:C-520/18"],
    ),
    # lower courts abbreviated, and the administrative ones by their full names
    ("CAA Paris, 4e ch., 12 mars 2020, n° 18PA01234", ["fr:juris:caa-paris:18PA01234"]),
    ("CAA de Lyon, 12 mars 2020, n° 18LY01234", ["fr:juris:caa-lyon:18LY01234"]),
    ("TA Cergy-Pontoise, 5 mars 2021, n° 2012345", ["fr:juris:ta-cergy-pontoise:2012345"]),
    ("TJ Paris, 5 mars 2021, n° 20/01234", ["fr:juris:tj-paris:20-01234"]),
    ("TGI Paris, 3 mars 2018, RG n° 17/01234", ["fr:juris:tgi-paris:17-01234"]),
    ("TGI Nanterre, 3 mars 2018", ["fr:juris:tgi-nanterre:du-2018-03-03"]),
    ("T. com. Paris, 3 mars 2020, n° 2019012345", ["fr:juris:tc-paris:2019012345"]),
    (
        "Tribunal administratif de Paris, 5 mars 2021, n° 2012345",
        ["fr:juris:ta-paris:2012345"],
    ),
    (
        "Cour administrative d'appel de Marseille, 3 mars 2020, 18MA01234",
        ["fr:juris:caa-marseille:18MA01234"],
    ),
    (
        "Par un jugement du 3 mars 2021, le tribunal administratif de Lyon a annulé",
        ["fr:juris:ta-lyon:du-2021-03-03"],
    ),
    # EU acts: a bare number titled by its type right after, the domain without brackets, a
    # bracketed domain with « n° » (a regulation), hyphens with the domain
    ("2004/418/CE: Décision de la Commission du 29 avril 2004", [C + "32004D0418"]),
    (
        "la réglementation applicable est (UE) 2016/425 « Règlement sur les équipements »",
        [C + "32016R0425"],
    ),
    ("règlement CE 1907/2006", [C + "32006R1907"]),
    ("Règlement UE 2016/679", [C + "32016R0679"]),
    ("Regulation EC No 1907/2006", [C + "32006R1907"]),
    ("les obligations du (CE) n° 1907/2006 s'appliquent", [C + "32006R1907"]),
    ("directive 2002-24-CE", [C + "32002L0024"]),
    ("règlement (UE) 2016-679", [C + "32016R0679"]),
    ("règlement (UE) n°2016-679", [C + "32016R0679"]),
    # more writers' forms: « C. cass. », « Cons. constit. », « n° de pourvoi », the Cour de
    # cassation's own pages, « Cass. soc., n° … » without date, the Conseil constitutionnel's
    # other series, « CA de Paris … RG … », two chamber segments, lower courts' titles by date
    ("C. cass., 3 mars 2021", [CASS + "du-2021-03-03"]),
    ("Cons. constit., 15 oct. 2021", ["fr:cc:du-2021-10-15"]),
    ("n° de pourvoi 19-13.425", [CASS + "19-13.425"]),
    (
        "Arrêt n°245 du 3 mars 2021 (19-13.425) - Cour de cassation - Chambre sociale",
        [CASS + "19-13.425"],
    ),
    (
        "les arrêts « Salembier » (Cass. soc., n° 99-43.336, 00-45.135 et 00-45.387)",
        [CASS + "99-43.336", CASS + "00-45.135", CASS + "00-45.387"],
    ),
    ("Décision n° 2023-1051 AN du 3 mars 2023", ["fr:cc:2023-1051-AN"]),
    ("décision n° 2021-291 L du 3 mars 2021", ["fr:cc:2021-291-L"]),
    ("Conseil d'État N° 428409", ["fr:ce:428409"]),
    ("CA de Paris, 3 mars 2020, RG 18/01234", ["fr:juris:ca-paris:18-01234"]),
    ("CA Paris, pôle 5, ch. 4, 3 mars 2020, n° 18/01234", ["fr:juris:ca-paris:18-01234"]),
    ("Cour d'appel de Paris, 3 mars 2020.", ["fr:juris:ca-paris:du-2020-03-03"]),
    ("Tribunal judiciaire de Lyon, 1re chambre, 5 mai 2021.", ["fr:juris:tj-lyon:du-2021-05-05"]),
    # regulators as legal writers cite them: « Délib. », the formation, the type after the body
    ("Délib. n° 2019-160 du 21 novembre 2019 de la CNIL", ["fr:cnil:2019-160"]),
    ("CNIL, délib. n° 2019-160, 21 nov. 2019", ["fr:cnil:2019-160"]),
    ("CNIL, formation restreinte, 7 janv. 2022, n° SAN-2021-023", ["fr:cnil:SAN-2021-023"]),
    ("AMF, Commission des sanctions, 18 juill. 2016, SAN-2016-12", ["fr:amf:SAN-2016-12"]),
    # code articles: « du Code » alone after the code was named, « ancien », an aside in
    # brackets, a paragraph « I » after a hyphenated number
    (
        "Le code civil le prévoit. Selon l’article 1240 du Code, tout fait",
        ["fr:code:civil", "fr:code:civil:1240"],
    ),
    ("art. 1382 ancien du Code civil", ["fr:code:civil:1382"]),
    ("article 1240 (anciennement 1382) du Code civil", ["fr:code:civil:1240"]),
    ("article L. 442-1 I 2° du Code de commerce", ["fr:code:commerce:L442-1"]),
    # the fundamental texts by their abbreviations, the ambiguous ones next to an article
    ("Const., art. 34", ["fr:constitution#art-34"]),
    ("selon l'art. 61-1 Const., le 12 mars 2010", ["fr:constitution#art-61-1"]),
    ("Constitution, art. 49 al. 3", ["fr:constitution#art-49"]),
    ("art. 6 § 1 CEDH, 12 mai 2020", ["int:cedh#art-6"]),
    ("l'article 8 de la CESDH", ["int:cedh#art-8"]),
    ("Conv. EDH, art. 8", ["int:cedh#art-8"]),
    ("article 6 TUE, 12 mai 2020", ["eu:tue#art-6"]),
    # more court layouts: « arrêt de la Cour d'appel de … du … », « Numéro de pourvoi : »;
    # a common name after « loi française »
    (
        "arrêt de la Cour d'appel de Montpellier du 24 janvier 2006",
        ["fr:juris:ca-montpellier:du-2006-01-24"],
    ),
    ("la Loi française Informatique et Libertés de 1978", ["fr:loi:78-17"]),
    # a bare EN or ISO number in a text that cites a standard: a list of standards
    (
        "Masques EN 149:2001+A1:2009. Existe aussi en version EN 14683 type IIR et ISO 22609.",
        ["std:en:149:2001/a1", "std:en:14683", "std:iso:22609"],
    ),
    ("Gants EN 388, EN 420 et EN 374-1:2016", ["std:en:388", "std:en:420", "std:en:374-1:2016"]),
    # a NOR without its colon, « NCPC », an abbreviation without its final dot
    ("Arrêté du 3 mars 2020 NOR ECOC2301234A", ["fr:arrete:du-2020-03-03", "fr:nor:ECOC2301234A"]),
    ("article 145 du NCPC", ["fr:code:procedure-civile:145"]),
    ("Aut. conc., 7 juin 2021, 21-D-11", ["fr:adlc:21-D-11"]),
    ("règl. (UE) 2016/679, art. 6", [C + "32016R0679#art-6"]),
    # standards: « + A1 » after a space, IATF, hyphenated tokens
    ("EN 149:2001 + A1:2009", ["std:en:149:2001/a1"]),
    ("IATF 16949:2016", ["std:iatf:16949:2016"]),
    ("masques NF-EN-14683 et NF-EN-ISO-9001", ["std:nf-en:14683", "std:nf-en-iso:9001"]),
    # ELIs: Légifrance's path without its domain, EUR-Lex's own ELI URLs
    ("ELI: /eli/loi/2016/10/7/2016-1321/jo/texte", ["fr:loi:2016-1321"]),
    ("https://eur-lex.europa.eu/eli/reg/2016/679/oj", [C + "32016R0679"]),
    # the Cour de cassation's avis: its own number (series 70), the court that asked for it
    ("délibérations n° 2021-122 et n° 2021-123 de la CRE", ["fr:cre:2021-122", "fr:cre:2021-123"]),
    ("Demande d'avis n° X 22-70.005", [CASS + "22-70.005"]),
    ("Avis n° 19-70.010 de la Cour de cassation", [CASS + "19-70.010"]),
    (
        "Vu la demande d’avis formulée le 29 mai 2007 par la cour d’appel de Caen",
        ["fr:juris:ca-caen:du-2007-05-29"],
    ),
    (
        "saisine pour avis du 3 mars 2021 par le tribunal judiciaire de Lyon",
        ["fr:juris:tj-lyon:du-2021-03-03"],
    ),
    ("le règlement (UE)2016/679 s'applique", [C + "32016R0679"]),
    # a word cut at a line break by a non-breaking hyphen
    (
        "articles L. 592-35 et R. 592‑23 et suivants du code de l’environ‑\nnement",
        ["fr:code:environnement:L592-35", "fr:code:environnement:R592-23"],
    ),
    ("art. 1240 C. civ, 12 mai", ["fr:code:civil:1240"]),
    ("Art. L. 1242-2, 3° C. trav", ["fr:code:travail:L1242-2"]),
    # the Cour de cassation's chambers named alone with a ruling's date
    ("Par un arrêt du 3 mars 2021, la chambre sociale a jugé", [CASS + "du-2021-03-03"]),
    (
        "Par un arrêt du 3 mars 2021 (n° 19-13.425), la chambre sociale a jugé",
        [CASS + "19-13.425"],
    ),
    ("La troisième chambre civile, par un arrêt du 10 juin 2021, a", [CASS + "du-2021-06-10"]),
    ("l'assemblée plénière, dans son arrêt du 2 avril 2021", [CASS + "du-2021-04-02"]),
]
KINDS_NEGATIVES = [
    "Le Conseil constitutionnel a été saisi le 15 juillet 2021 par le Premier ministre.",
    "La saison 2019-2020 DC Comics a été riche ; la décision QPC était attendue.",
    "Le marquage CE 2019 figure sur l'emballage ; CE qui a été publié le 3 mars 2021.",
    "Ce 3 mars 2021, la réunion a eu lieu. TC Paris, 3 mars 2020 : rencontre sportive.",
    "Le règlement 2016-679 du club s'applique ; le règlement intérieur n° 2019-12 aussi.",
    "La pièce C-12/34 du dossier a été remise à la Cour.",
    "(UE) 2016/425 a été cité ; (UE) n° 2019/1020 aussi, sans type.",
    "JOUE L 119 du 4.5.2016, p. 1 ; JOUE n° L 123 du 12 mai 2016.",
    "Le 14 octobre 2015, 14-14.196 personnes ont défilé.",
    "La CNIL, 2019-2020 ; CNIL, 3 mars 2021, 2020-123 personnes.",
    "Cour d'appel de Gap, 3 mars 2020.",
    "LA POLLUTION TUE en 2020 ; la CEDH a condamné la France le 12 mai 2020.",
    "Constitution du dossier, art. 3 du contrat ; Cons. const. en 2020.",
    "La cour d'appel de Lyon a été saisie. Par un arrêt du 3 mars 2021, la chambre sociale a "
    "confirmé le jugement.",
    "la demande n° 2021-70 de la mairie ; l'avis n° 2021-70123 du comité.",
    "http://example.com/eli/loi/2016/10/7/2016-1321/jo/texte",
    '<?xml version="1.0" encoding="ISO-8859-1"?> UTF-8 et ISO-8859-15, ISO-2022-JP',
]
# Look-alikes in a text that does cite something: only that is found.
KINDS_GUARDS: list[tuple[str, list[str]]] = [
    ("la délibération n° 2021-122, 2021-2022 étant l'année", ["fr:deliberation:2021-122"]),
    ("CE, 3 mars 2021, n° 449743, 150000 euros d'amende", ["fr:ce:449743"]),
    ("ISO 9001:2015 et des magasins ; ouvert EN 300 magasins", ["std:iso:9001:2015"]),
    ("ISO 9001:2015 ; OUVERT EN 300, BIENTÔT ; EN 2019, 300 magasins", ["std:iso:9001:2015"]),
    (
        "Le code civil s'applique ; l'article 5 du code de bonne conduite et l'article 3 du code "
        "des usages aussi.",
        ["fr:code:civil"],
    ),
    ("la loi n° 2021-291 L", ["fr:loi:2021-291"]),
    ("le recours au 49.3 ; la page 49.3 ; l'article 49-3 du code civil", [
        "fr:constitution#art-49", "fr:code:civil:49-3"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), KINDS_GUARDS)
def test_kinds_guards(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize(("text", "expected"), KINDS)
def test_kinds_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize("text", KINDS_NEGATIVES)
def test_kinds_negatives(text: str) -> None:
    assert find_references(text) == []


# (5h) batch b19 (CGV, HR and labour-law pages, the Conseil constitutionnel, ArianeWeb, Juricaf,
# curia, regulators, surgical-mask standards): the forms its development lines showed missing.
# fmt: off
B19: list[tuple[str, list[str]]] = [
    # cours d'appel numbers with a hyphen or a letter; the RG number under a heading in capitals;
    # a lower court's ruling « en date du … enregistré au répertoire général sous le n° … »
    ("CA Angers, ch. civ. A, 19 novembre 2013, n° 13-00018", ["fr:juris:ca-angers:13-00018"]),
    ("CA Paris, 4e ch., 22 janvier 1999, n° D19990006", ["fr:juris:ca-paris:D19990006"]),
    (
        "COUR D'APPEL DE DOUAI\nARRÊT DU 3 MARS 2020\n\nN° RG 19/01234 - N° Portalis DBVT",
        ["fr:juris:ca-douai:19-01234"],
    ),
    (
        "Jugement du Tribunal de Grande Instance de NICE en date du 4 Mars 2018 enregistré au "
        "répertoire général sous le n° 16/01234",
        ["fr:juris:tgi-nice:16-01234"],
    ),
    (
        "Ordonnance rendue par le Président du Tribunal Judiciaire de LYON en date du 2 mai 2022 "
        "enregistrée au répertoire général sous le n° 21/05678",
        ["fr:juris:tj-lyon:21-05678"],
    ),
    # a Cour de cassation title without its pourvoi, and a second date
    (
        "(Cour de cassation, chambre sociale, 19/04/2000 et 9/11/2004)",
        ["fr:cass:du-2000-04-19", "fr:cass:du-2004-11-09"],
    ),
    ("Cass. soc., 3 mars 2021 et 5 mai 2021.", ["fr:cass:du-2021-03-03", "fr:cass:du-2021-05-05"]),
    # EU cases in the court's own lists
    ("Arrêt du 2 mai 2019, Asendia Spain (C-259/18) (cf. points 14-20)", ["eu:case:C-259/18"]),
    ("Ordonnance du 27 octobre 2016, Uber Belgium (C-526/15)", ["eu:case:C-526/15"]),
    # regulators' numbers with a service suffix
    ("ARCEP, 5 novembre 2020, n° 2020-1168-RDPI", ["fr:arcep:2020-1168-RDPI"]),
    ("la décision de l'Arcep n° 2011-0524-RDPI", ["fr:arcep:2011-0524-RDPI"]),
    # EU recommendations
    ("la recommandation 2014/710/UE de la Commission", [C + "32014H0710"]),
    ("Recommandation (UE) 2016/2125", [C + "32016H2125"]),
    # pinpoints: « articles 9 et suivants, article 20 », an em dash, a title with an aside
    (
        "Directive 2011/83 articles 9 et suivants, article 20, du code",
        [C + "32011L0083#art-9", C + "32011L0083#art-20"],
    ),
    (
        "Charte des droits fondamentaux de l’Union européenne — Article 47, deuxième alinéa, et "
        "article 48, paragraphe 1",
        ["eu:charte#art-47", "eu:charte#art-48"],
    ),
    (
        "Vu la directive 2002/21/CE du 7 mars 2002 relative à un cadre (directive « cadre »), "
        "notamment son article 16 ;",
        [C + "32002L0021#art-16"],
    ),
    # « (4°) » between the article and its code
    ("l'article L. 134-2 (4°) du code de l'énergie", ["fr:code:energie:L134-2"]),
    # standards: « +AC », another country's adoption of an EN
    ("la norme EN 14683+AC:2019", ["std:en:14683/ac"]),
    ("SN EN 14683:2019", ["std:sn-en:14683:2019"]),
    ("DIN EN ISO 9001:2015", ["std:din-en-iso:9001:2015"]),
    # the Constitution's article 49, paragraph 3, as the press names it
    ("adoptée à l’aide de l’article 49.3", ["fr:constitution#art-49"]),
    ("le recours au 49-3 a été annoncé", ["fr:constitution#art-49"]),
    # « l'ordonnance précitée » points back to the last ordonnance cited
    (
        "l’ordonnance n°2016-301 du 14 mars 2016. Pour rappel, l’ordonnance précitée dispose",
        ["fr:ordonnance:2016-301", "fr:ordonnance:2016-301"],
    ),
    # common names and titles
    (
        "la loi portant lutte contre le dérèglement climatique et renforcement de la résilience "
        "face à ses effets",
        ["fr:loi:2021-1104"],
    ),
    ("le règlement REMIT s'applique", [C + "32011R1227"]),
    ("la directive « mieux réguler »", [C + "32009L0140"]),
    ("la loi Lemoine et la loi Hoguet", ["fr:loi:2022-270", "fr:loi:70-9"]),
]
B19_NEGATIVES = [
    "La page 49.3 du rapport ; voir 49.3.1.",
    "Cour de cassation, chambre sociale, salle 3, mars 2021, 14 h",
    "SN 14683 ; DIN 5008 ; BS 1363 ; UNE mesure.",
    "la recommandation n° 2019/05 du conseil d'administration",
    "Arrêt du bus 2 mai ; pièce C-12/34 du dossier.",
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), B19)
def test_b19_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize("text", B19_NEGATIVES)
def test_b19_negatives(text: str) -> None:
    assert find_references(text) == []


# fmt: off
B20: list[tuple[str, list[str]]] = [
    # lower courts: a judgment by number and date, the court after it; a CAA number alone
    (
        "Par un jugement n° 1907262 du 11 juillet 2022, le tribunal administratif de Versailles "
        "a rejeté leur demande.",
        ["fr:juris:ta-versailles:1907262"],
    ),
    (
        "d'annuler le jugement n° 0802748 du 28 juillet 2011 par lequel le tribunal "
        "administratif de Bordeaux a rejeté sa demande",
        ["fr:juris:ta-bordeaux:0802748"],
    ),
    (
        "d’annuler le jugement n° 0802748 du 28 juillet 2011 en tant que le tribunal "
        "administratif de Bordeaux a prononcé l’annulation",
        ["fr:juris:ta-bordeaux:0802748"],
    ),
    (
        "Par un arrêt n° 19PA01234 du 3 mars 2020, la cour administrative d'appel de Paris a "
        "rejeté l'appel.",
        ["fr:juris:caa-paris:19PA01234"],
    ),
    (
        "Cour administrative d’appel de Bordeaux\n\nN° 11BX02706    ",
        ["fr:juris:caa-bordeaux:11BX02706"],
    ),
    ("CAA, req. n° 21TL03575, lecture du 4 mai 2023", ["fr:juris:caa-toulouse:21TL03575"]),
    # a regulator after the date of its decision
    (
        "Par une décision du 26 juillet 2023, l’ARCOM a prononcé une sanction de 500.000 euros.",
        ["fr:arcom:du-2023-07-26"],
    ),
    # French texts: a qualifier, a space after the hyphen, loi-cadre, a title before the date
    ("Un décret d'application n° 2013-392 du 10 mai 2013 a fixé la liste", ["fr:decret:2013-392"]),
    (
        "le Conseil a visé le décret n° 57- 245 du 24 février 1957, sur la réparation",
        ["fr:decret:57-245"],
    ),
    ("pris en application de cette loi-cadre du 23 juin 1956 et l'effet", ["fr:loi:du-1956-06-23"]),
    (
        "alors que la loi de régulation bancaire et financière du 22 octobre 2010 avait modifié",
        ["fr:loi:du-2010-10-22"],
    ),
    ("la loi de sécurisation de l'emploi du 14 juin 2013 a créé", ["fr:loi:du-2013-06-14"]),
    (
        "- Réécriture et mise en cohérence de cette loi, par ordonnance du 12 décembre 2018 ;",
        ["fr:ordonnance:du-2018-12-12"],
    ),
    # common names
    ("La future loi économie circulaire réécrit certaines dispositions.", ["fr:loi:2020-105"]),
    (
        "le RGPD et la Directive « police justice », applicable aux fichiers",
        [C + "32016R0679", C + "32016L0680"],
    ),
    (
        "Le casque doit être conforme au Règlement européen sur les équipements de protection "
        "individuelle.",
        [C + "32016R0425"],
    ),
    (
        "En son article 1er, la loi de 1986 pose que la communication audiovisuelle est libre.",
        ["fr:loi:86-1067#art-1"],
    ),
    ("La CNIL veille au respect de la loi de 1978 depuis sa création.", ["fr:loi:78-17"]),
    # the Constitution
    (
        "- la Constitution, notamment son préambule et son article 61-1 ;",
        ["fr:constitution#art-61-1"],
    ),
    # standards, decisions
    ("3. NTA 8776 : Cette norme néerlandaise s'applique aux casques", ["std:nta:8776"]),
    (
        "Dans sa décision no 2013-334-335 QPC du 26 juillet 2013, Société SOMAF",
        ["fr:cc:2013-334-335-QPC"],
    ),
    # code articles
    ("Article 197, alinéas 2 et 3 du code de procédure pénale", ["fr:code:procedure-penale:197"]),
    (
        "au titre des articles R. 771-3 (N° Lexbase : L5790IGK) à R. 771-12 du Code de justice "
        "administrative.",
        ["fr:code:justice-administrative:R771-3", "fr:code:justice-administrative:R771-12"],
    ),
    (
        "dans les conditions prévues à L. 6122-9 du Code de santé publique.",
        ["fr:code:sante-publique:L6122-9"],
    ),
    (
        "En application de l’article L\n. 143-1 du code des juridictions financières, la",
        ["fr:code:juridictions-financieres:L143-1"],
    ),
    (
        "la CNIL a rappelé que la loi de 1978 et le RGPD s'appliquent",
        ["fr:loi:78-17", C + "32016R0679"],
    ),
]
B20_NEGATIVES = [
    "au tribunal administratif de Lyon, dixhuit mois après son entrée en vigueur, le 1er mars "
    "2010.",
    "Par une décision du 26 juillet 2023, le ministre a rejeté la demande.",
    "Par ordonnance du 12 mars 2020, le juge a rejeté la demande.",
    "la loi applicable au contrat du 12 mars 2020 est la loi française.",
    "la loi de 1978 sur le crédit à la consommation",
    "la loi de 1986 a changé les règles",
    "le lot n° 21AB12345 du catalogue",
    "NTA 2020 : la nouvelle gamme",
    "le casque NTA 8776 en rouge, taille M",
    "la décision no 2013-334-335 de l'assemblée générale",
]
# fmt: on


# The leftovers of round 7 and the rest of b20: a further bare article of the Constitution in the
# same sentence; « la Constitution des articles … »; a national adoption glued to a digit; the
# ACPR's procedure numbers; a mayor's arrêté is not a text of the watch.
B20_MORE: list[tuple[str, list[str]]] = [
    (
        "Si l'article 61-1 de la Constitution institue cette procédure, l'article 62 en détaille "
        "les effets.",
        ["fr:constitution#art-61-1", "fr:constitution#art-62"],
    ),
    (
        "la conformité aux droits et libertés garantis par la Constitution des articles 1er et 3 "
        "de la loi n° 86-1067 du 30 septembre 1986",
        ["fr:constitution", "fr:loi:86-1067#art-1", "fr:loi:86-1067#art-3"],
    ),
    ("Ausgabe / Edition: 2020-02SN EN 14683:2019 ICS-Code: 11.140", ["std:sn-en:14683:2019"]),
    (
        "CRÉDIT MUTUEL Procédure no 2017-05 ––– Blâme ––– AUTORITÉ DE CONTRÔLE PRUDENTIEL ET DE "
        "RÉSOLUTION COMMISSION DES SANCTIONS",
        ["fr:acpr:2017-05"],
    ),
]
B20_MORE_NEGATIVES = [
    "l'annulation de cet arrêté du 7 décembre 2018 du maire de Tresserre.",
    "la Constitution des États-Unis et son article 2",
    "Procédure n° 2017-05 devant le tribunal de commerce",
    "le lot 2020BS EN rouge",
]
GUARDS_MORE = [
    (
        "l'article 61-1 de la Constitution et la loi n° 2009-1523 dont l'article 62 dispose",
        ["fr:constitution#art-61-1", "fr:loi:2009-1523"],
    ),
    (
        "l'article 61-1 de la Constitution. L'article 62 du code civil",
        ["fr:constitution#art-61-1", "fr:code:civil:62"],
    ),
    ("l'arrêté du 7 décembre 2018 relatif aux tarifs", ["fr:arrete:du-2018-12-07"]),
]


# the titled-loi form leaves a loi named in the table to its number key
B20_GUARDS = [("la loi de modernisation de l'économie du 4 août 2008 a créé", ["fr:loi:2008-776"])]


@pytest.mark.parametrize(("text", "expected"), [*B20, *B20_MORE, *B20_GUARDS, *GUARDS_MORE])
def test_b20_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize("text", [*B20_NEGATIVES, *B20_MORE_NEGATIVES])
def test_b20_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 8: forms by kind, from how French legal, administrative and press writing cites them.
ROUND8: list[tuple[str, list[str]]] = [
    # délibérations and regulators' acts by date: « en date du », the body without « de la »,
    # the body after the date, the formation between type and body, the body cited before
    (
        "Vu la délibération de la Commission de régulation de l'énergie en date du 17 décembre "
        "2020 portant avis sur le projet d'arrêté",
        ["fr:cre:du-2020-12-17"],
    ),
    ("La délibération CNIL du 17 septembre 2020 précise les modalités.", ["fr:cnil:du-2020-09-17"]),
    (
        "Par la délibération du 21 novembre 2019 de la CNIL, les lignes directrices ont été "
        "adoptées.",
        ["fr:cnil:du-2019-11-21"],
    ),
    (
        "la décision du 25 novembre 2020 de la commission des sanctions de l'AMF",
        ["fr:amf:du-2020-11-25"],
    ),
    (
        "décision du comité de règlement des différends et des sanctions de la CRE du 10 mars 2021",
        ["fr:cre:du-2021-03-10"],
    ),
    ("la décision du CoRDiS de la CRE du 10 mars 2021", ["fr:cre:du-2021-03-10"]),
    ("AMF, Commission des sanctions, décision du 18 juillet 2016", ["fr:amf:du-2016-07-18"]),
    ("Commission des sanctions de l'AMF, décision du 25 novembre 2020", ["fr:amf:du-2020-11-25"]),
    (
        "la commission des sanctions de l'AMF, dans une décision du 3 mars 2021, a sanctionné",
        ["fr:amf:du-2021-03-03"],
    ),
    (
        "Par une décision du 3 mars 2021, la commission des sanctions de l'AMF a prononcé",
        ["fr:amf:du-2021-03-03"],
    ),
    (
        "Délibération de la formation restreinte n° SAN – 2020-012 du 7 décembre 2020.",
        ["fr:cnil:SAN-2020-012"],
    ),
    ("Deliberation No. 2019-160 of 21 November 2019 of the CNIL.", ["fr:cnil:2019-160"]),
    # courts: the formation code between date and pourvoi, a Cour de cassation title with « n° »,
    # the Conseil d'État's orders written with « du », « Pôle » in capitals, two chamber
    # segments after an abbreviated court, « Trib. adm. », a QPC decision by date
    ("Cass. soc., 12 mai 2021, FS-P+B, n° 19-20.123", ["fr:cass:19-20.123"]),
    ("Soc., 12 mai 2021, F-D, n° 19-20.123", ["fr:cass:19-20.123"]),
    ("Cour de cassation, chambre sociale, 3 mars 2021, n° 19-20.123", ["fr:cass:19-20.123"]),
    ("Conseil d'Etat, ordonnance du 3 mars 2021, n° 450123", ["fr:ce:450123"]),
    ("CE, ordonnance du juge des référés du 3 mars 2021, n° 450123", ["fr:ce:450123"]),
    ("CA Paris, Pôle 5 chambre 4, 3 mars 2020, n° 18/01234", ["fr:juris:ca-paris:18-01234"]),
    ("TJ Paris, 3e ch., 1re sect., 3 mars 2021, n° 19/01234", ["fr:juris:tj-paris:19-01234"]),
    ("Trib. adm. Paris, 3 mars 2021, n° 2001234", ["fr:juris:ta-paris:2001234"]),
    ("T. adm. Lyon, 3 mars 2021", ["fr:juris:ta-lyon:du-2021-03-03"]),
    (
        "Dans sa décision QPC du 3 mars 2021, le Conseil a censuré la disposition.",
        ["fr:cc:du-2021-03-03"],
    ),
    # articles of the code du travail cited without naming it, on a page about work
    (
        "Les heures supplémentaires ouvrant droit au repos compensateur mentionné à l'article "
        "L. 3121-28 ne s'imputent pas sur le contingent.",
        ["fr:code:travail:L3121-28"],
    ),
    (
        "l'obligation de consultation du CSE dès lors qu'il s'agit d'un PSE (L. 1233-30) ou d'un "
        "licenciement économique collectif (L. 1233-8)",
        ["fr:code:travail:L1233-30", "fr:code:travail:L1233-8"],
    ),
    (
        "L'employeur doit respecter les articles L. 1232-2 et R. 1232-1 avant tout licenciement.",
        ["fr:code:travail:L1232-2", "fr:code:travail:R1232-1"],
    ),
]
_LONG_LEAD = (
    "Le régime de la responsabilité civile délictuelle, qui occupe une place centrale dans notre "
    "droit des obligations, a été profondément remanié au fil des décennies par la jurisprudence, "
    "la doctrine et plusieurs réformes successives. "
)
# Articles of a code not named at them: « 1er » whole, the anaphora capitalised as legal writers
# do (« du même Code », « dudit Code », « du présent Code »), a plain article number right after
# the Code civil was named (not only in the item's first lines), « du présent code » on a
# labour page that names no code.
ROUND8_CODES: list[tuple[str, list[str]]] = [
    ("l'article 1er du Code civil dispose", ["fr:code:civil:1"]),
    (
        "Le Code de la consommation prévoit un délai. L'article L. 221-18 du même Code le fixe.",
        ["fr:code:consommation", "fr:code:consommation:L221-18"],
    ),
    (
        "Le Code de la consommation prévoit un délai. L'article L. 221-18 dudit Code le fixe.",
        ["fr:code:consommation", "fr:code:consommation:L221-18"],
    ),
    (
        "Le Code de commerce prévoit un délai. L'article L. 441-10 du présent Code le fixe.",
        ["fr:code:commerce", "fr:code:commerce:L441-10"],
    ),
    (
        _LONG_LEAD
        + "Le Code civil en pose le principe. L'article 1240 dispose que tout fait oblige.",
        ["fr:code:civil", "fr:code:civil:1240"],
    ),
    (
        "Le salarié peut saisir le juge selon l'article L. 1233-30 du présent code.",
        ["fr:code:travail:L1233-30"],
    ),
]
# Common names of one act each, as the press and law firms write them
ROUND8_NAMES: list[tuple[str, list[str]]] = [
    ("Elle a été revisitée en 2015 par la loi Rebsamen.", ["fr:loi:2015-994"]),
    ("les prestataires soumis au règlement MiCA", ["eu:celex:32023R1114"]),
    ("la directive MiFID II impose", ["eu:celex:32014L0065"]),
    ("l'article 47 de la Charte des droits fondamentaux", ["eu:charte#art-47"]),
    ("la directive Bolkestein de 2006", ["eu:celex:32006L0123"]),
    ("la loi séparatisme a modifié le régime des associations", ["fr:loi:2021-1109"]),
    ("la loi Le Meur sur les meublés de tourisme", ["fr:loi:2024-1039"]),
]
# names several acts share stay out
ROUND8_NAME_NEGATIVES = [
    "investir en loi Pinel en 2024",
    "la loi Badinter",
    "la loi Aubry sur les 35 heures",
]
# a plain number after another text, or a short one: not the code's
ROUND8_CODE_GUARDS: list[tuple[str, list[str]]] = [
    (
        _LONG_LEAD + "Le Code civil en pose le principe, et la loi n° 85-677 en précise un cas. "
        "L'article 1240 dispose que tout fait oblige.",
        ["fr:code:civil", "fr:loi:85-677"],
    ),
    (_LONG_LEAD + "Le Code civil en pose le principe. L'article 12 dispose.", ["fr:code:civil"]),
]
# Look-alikes: a local authority's délibération, a court order with a requête number, the
# code du travail's numbering in a text about communes, public health or procurement, an
# article of another text, a body not among the regulators.
ROUND8_NEGATIVES = [
    "Délibération n° 2019-001 du 10 janvier 2019 du conseil municipal de Lyon.",
    "délibération n° 2022-118 du conseil communautaire du 12 mai 2022.",
    "Par délibération n° 2021-045, le conseil municipal a approuvé le budget.",
    "Le maire, en application de l'article L. 2122-22, a délégué cette compétence aux salariés.",
    "Le patient est informé selon l'article L. 1111-2 par le médecin et les salariés.",
    "Le salarié invoque l'article L. 1234-9 de la convention.",
    "l'acheteur applique l'article R. 2152-3 aux marchés publics passés avec les salariés",
    "la décision du 3 mars 2021 du directeur de l'hôpital",
    "Par une décision du 3 mars 2021, la commission des sanctions a prononcé un blâme.",
    "article L. 1233-30 (version en vigueur)",
]
# Guards: the forms above must not hide the key of a text (a government ordonnance keeps its
# date key; an article after a named code keeps that code).
ROUND8_GUARDS: list[tuple[str, list[str]]] = [
    (
        "l'ordonnance du 10 février 2016 portant réforme du droit des contrats",
        ["fr:ordonnance:du-2016-02-10"],
    ),
    (
        "Selon le code de la santé publique, l'article L. 1111-2 protège les salariés.",
        ["fr:code:sante-publique", "fr:code:sante-publique:L1111-2"],
    ),
    ("Délibération n° 2020-091 du 17 septembre 2020 de la CNIL.", ["fr:cnil:2020-091"]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [*ROUND8, *ROUND8_GUARDS, *ROUND8_CODES, *ROUND8_CODE_GUARDS, *ROUND8_NAMES],
)
def test_round8_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize("text", [*ROUND8_NEGATIVES, *ROUND8_NAME_NEGATIVES])
def test_round8_negatives(text: str) -> None:
    assert find_references(text) == []


# b21's development misses, fixed by kind (each vector is the form, not the line): the Conseil
# d'État's « 2° ch. » and « (décision n° …) », a tribunal's title in capitals with a chamber
# segment holding a dash, a ruling's date fronted with the court as subject, a title by date
# before a dash, « la première chambre civile de la Cour de cassation », « décision du … le
# Conseil d'État »; délibérations whose body is named before them or as the subject after a
# footnote or later in the sentence, « CNIL, délib., du … »; « décret en Conseil d'État n° … »;
# « L442-6 I 5 », « R. 711-2. du »; two more names; pinpoints « 28 et à l'article 46 »,
# « 8-I-2°-b et 82 ».
B21: list[tuple[str, list[str]]] = [
    ("CE 2° ch., 20 décembre 2017, n° 413558", ["fr:ce:413558"]),
    (
        "saisi le 31 mars 2015 par le Conseil d'État (décision n° 387322 du 30 mars 2015), d'une "
        "question",
        ["fr:ce:387322"],
    ),
    (
        "Tribunal Administratif de Paris, 1re section – 3e chambre., 22 juillet 2022, n° 2125879",
        ["fr:juris:ta-paris:2125879"],
    ),
    (
        "Le 19 décembre 2013, la cour d'appel de Papeete a déclaré la demande irrecevable.",
        ["fr:juris:ca-papeete:du-2013-12-19"],
    ),
    ("Le 12 juillet 2016, la Cour de cassation a cassé l'arrêt.", ["fr:cass:du-2016-07-12"]),
    (
        "cassation contre cour d'appel de Dijon, 18 décembre 2014 - https://www.legifrance.gouv.fr",
        ["fr:juris:ca-dijon:du-2014-12-18"],
    ),
    (
        "Dans un arrêt du 9 juillet 2009, la première chambre civile de la Cour de cassation a "
        "jugé",
        ["fr:cass:du-2009-07-09"],
    ),
    (
        "Toutefois, dans une décision du 19 juin 2020 le Conseil d'État, tout en validant",
        ["fr:ce:du-2020-06-19"],
    ),
    (
        "donnent compétence à la Commission de régulation de l'énergie (CRE) pour fixer la "
        "méthode. "
        "Le tarif est entré en vigueur le 1er août 2017, en application de la délibération du 17 "
        "novembre 2016 (1), pour quatre ans.",
        ["fr:cre:du-2016-11-17"],
    ),
    (
        "Par deux délibérations du 21 janvier 2021[4], la CRE a fixé le cadre tarifaire.",
        ["fr:cre:du-2021-01-21"],
    ),
    (
        "Par 2 délibérations du 17 septembre 2020 abrogeant la délibération du 4/07/2019, la CNIL "
        "précise les modalités.",
        ["fr:cnil:du-2020-09-17", "fr:cnil:du-2019-07-04"],
    ),
    ("CNIL, délib., du 4 juill. 2019, lignes directrices", ["fr:cnil:du-2019-07-04"]),
    (
        "décret en Conseil d'Etat n° 2019-141 du 27/02/2019 pris pour l'application",
        ["fr:decret:2019-141"],
    ),
    ("article L442-6 I 5 du Code de commerce", ["fr:code:commerce:L442-6"]),
    ("article L442-6.I.5e du Code de commerce", ["fr:code:commerce:L442-6"]),
    ("art. R. 711-2. du CESEDA", ["fr:code:entree-sejour-etrangers:R711-2"]),
    (
        "l'article L. 37-1 du code des postes et communications électroniques",
        ["fr:code:postes-communications-electroniques:L37-1"],
    ),
    ("l'article 47 de la loi Marisol Touraine", ["fr:loi:2016-41#art-47"]),
    ("Selon la législation sur les services numériques adoptée en 2022", ["eu:celex:32022R2065"]),
    (
        "conformément à l'article 28 et à l'article 46 du règlement (UE) 2016/679",
        ["eu:celex:32016R0679#art-28", "eu:celex:32016R0679#art-46"],
    ),
    (
        "la loi n° 78-17 du 6 janvier 1978, notamment ses articles 8-I-2°-b et 82",
        ["fr:loi:78-17#art-8", "fr:loi:78-17#art-82"],
    ),
]
B21_NEGATIVES = [
    "Le 3 mars 2020, le tribunal administratif de Lyon a été saisi.",
    "Le 12 juillet 2016, la Cour de cassation publie son rapport annuel.",
    "Il a dit que le 12 juillet 2016, la Cour de cassation a cassé",
    "Le 3 mars 2020, la cour d'appel de Thionville a jugé",
    "le conseil municipal, réuni avec la CNIL, a adopté une délibération du 3 mars 2021.",
    "fixé par décret en Conseil d'État du 3 mars 2021",
]
B21_GUARDS: list[tuple[str, list[str]]] = [
    ("Par délibération du 21 mai 2025, la CNIL a sanctionné", ["fr:cnil:du-2025-05-21"]),
    ("article 150 VI du code général des impôts", ["fr:code:impots:150-VI"]),
    ("l'article 8-1 de la loi n° 78-17", ["fr:loi:78-17#art-8-1"]),
]


@pytest.mark.parametrize(("text", "expected"), [*B21, *B21_GUARDS])
def test_b21_vectors(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize("text", B21_NEGATIVES)
def test_b21_negatives(text: str) -> None:
    assert find_references(text) == []


def test_pinpoint_fields_and_links() -> None:
    (ref,) = find_references("l'article 82 de la loi n° 2016-731 du 3 juin 2016 renforçant")
    assert (ref.key, ref.pinpoint, ref.full_key) == (
        "fr:loi:2016-731", "art-82", "fr:loi:2016-731#art-82",
    )  # fmt: skip
    assert ref.text == "article 82 de la loi n° 2016-731 du 3 juin 2016"
    assert ref.url == "https://www.legifrance.gouv.fr/eli/loi/2016/6/3/2016-731/jo/texte"
    assert ref.pinpoint_url == (
        "https://www.legifrance.gouv.fr/eli/loi/2016/6/3/2016-731/jo/article_82"
    )
    (named,) = find_references("l'article 17 du RGPD")
    assert named.pinpoint == "art-17" and named.pinpoint_url == ""  # no EUR-Lex article scheme
    (plain,) = find_references("la loi n° 2016-731 du 3 juin 2016")
    assert plain.pinpoint == "" and plain.full_key == plain.key


def test_new_kinds_and_links() -> None:
    code = _one("Vu le code de commerce ;")
    assert (code.kind, code.link) == ("code", "official")
    assert code.url == "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000005634379"
    cc = _one("la décision n° 91-300 DC du 20 novembre 1991")
    assert (cc.kind, cc.link) == ("decision", "official")
    assert cc.url == "https://www.conseil-constitutionnel.fr/decision/1991/91300DC.htm"
    ce = _one("CE, 19 nov. 2020, no 427301")
    assert (ce.kind, ce.link) == ("decision", "search")
    const = _one("Vu la Constitution ;")
    assert (const.kind, const.label) == ("fundamental", "Constitution du 4 octobre 1958")


def test_queries_with_new_keys() -> None:
    assert resolve_reference_query("fr:loi:2014-344#art-12") == ["fr:loi:2014-344"]
    assert resolve_reference_query("fr:constitution") == ["fr:constitution"]
    assert resolve_reference_query("Constitution") == ["fr:constitution"]
    assert resolve_reference_query("loi Bichet") == ["fr:loi:47-585"]
    assert resolve_reference_query("eu:case:C-673/17") == ["eu:case:C-673/17"]


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

    from watcher.understand.refs.normalise import _normalise, _normalise_chars

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
            ["fr:code:consommation:L121-1", "fr:code:consommation:L121-2", "fr:loi:2014-344"],
        ),  # « même code »: the last code named earlier in the item, in another paragraph too
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
    from watcher.understand.refs.table import _data

    names = [n for act in _data().acts.values() for n in (*act.text_names, act.label)]
    names += [code.name for code in _data().codes.values()]
    from benchmarks.quality_refs import load

    texts = [r["text"] for r in _corpus()] + [t for t, _ in VECTORS] + HARD_NEGATIVES
    texts += [t for t, _ in ISSUE_18]
    real = [r for split in ("dev", "heldout") for r in load(split)]
    texts += [r.get("context", "") + "\n\n" + r["text"] for r in real]
    texts += [f"({p} 121-1 et {p}. 2 du code civil)" for p in ("L", "LO", "R", "D", "A", "")]
    for n in names:
        texts += [f"Vu le {n}, l'article 3 du {n}", n.upper(), n.lower(), f"x{n} {n}x -{n} {n}-"]
    return texts


def _alternatives(group: str) -> list[str]:
    """'(?P<name>a|b|c)' -> ['a', 'b', 'c']"""
    return group[group.index(">") + 1 : -1].split("|")


def test_quick_reject_lookaheads_list_every_first_character() -> None:
    import re

    from watcher.understand.refs import (
        codes,
        echr,
        eu_acts,
        french_texts,
        high_courts,
        lower_courts,
        regulators,
        standards,
        table,
    )

    assert {a[0].lower() for a in _alternatives(french_texts._FR_TYPE)} <= set("ldoac")
    assert {a[0].lower() for a in _alternatives(eu_acts._EU_TYPE)} <= set("rdf")
    assert all("A" <= token[0] <= "Z" for token in standards._STD_TOKENS.split("|"))
    texts = _scan_texts()
    for pattern, lookahead in (
        (french_texts._FR_TEXT_RE, "(?=[ldoac])"),
        (eu_acts._EU_ACT_RE, "(?=[rdf])"),
        (eu_acts._EU_HYPHEN_RE, "(?=[rdf])"),
        (high_courts._SUPREME_THEN_RE, "(?=[Cc])"),
        (high_courts._SUPREME_OF_RE, "(?=[DdAa])"),
        (regulators._REG_CITED_RE, "(?=[AC])"),
        (lower_courts._COURT_ASKED_RE, "(?=[DdSs])"),
        (high_courts._CASS_AVIS_RE, "(?=[DdAa])"),
        (lower_courts._COURT_TITLE_RE, "(?=[CcTt])"),
        (lower_courts._COURT_REGISTERED_RE, "(?=[CcTt])"),
        (lower_courts._COURT_TITLE_DATED_RE, "(?=[CcTt])"),
        (lower_courts._COURT_THEN_RE, "(?=[CcTt])"),
        (lower_courts._TA_RE, "(?=[Tt])"),
        (lower_courts._COURT_ABBREV_RE, r"(?=T|C[AP]|Cons\.)"),
        (echr._CITED_RE, "(?=[CcEe])"),
        (lower_courts._COURT_OF_RE, "(?=[ajo])"),
        (lower_courts._COURT_TITLE_ACT_RE, "(?=[CcTt])"),
        (lower_courts._COURT_JUDGED_RE, "(?=[CcTt])"),
        (high_courts._SUPREME_JUDGED_RE, "(?=[Cc])"),
        (high_courts._CE_NUMBER_FIRST_RE, "(?=C)"),
        (high_courts._SUPREME_RENDERED_RE, "(?=[DdAa])"),
        (lower_courts._COURT_AFTER_RE, "(?=[ajo])"),
        (lower_courts._CA_RE, "(?=[Cc])"),
        (lower_courts._CA_DATED_RE, "(?=a)"),
        (lower_courts._CA_OF_RE, "(?=a)"),
        (high_courts._CASS_TITLE_RE, "(?=C)"),
        (high_courts._CASS_TITLE_DATED_RE, "(?=C)"),
        (high_courts._CASS_AFTER_RE, "(?=[ad])"),
        (high_courts._CASS_SITE_RE, "(?=[Aa])"),
        (high_courts._CASS_RE, "(?=C)"),
        (high_courts._CASS_NUMBER_RE, "(?=C)"),
        (codes._CODE_ART_RE, r"(?=[AaLRD\d])"),
        (standards._STD_RE, "(?=[A-Z])"),
        (codes._BARE_ART_RE, "(?=[Aa][Rr][Tt])"),
        (high_courts._CC_RE, r"(?=[Ddn\d])"),
        (regulators._ADLC_RE, r"(?=[nN\d])"),
        (high_courts._CE_RE, "(?=C)"),
        (high_courts._CE_ORDER_RE, "(?=C)"),
        (high_courts._FRONTED_RE, "(?=[Ll]e )"),
        (high_courts._CE_AFTER_RE, "(?=[dao])"),
        (high_courts._CE_NUMBERS_RE, "(?=[da])"),
        (high_courts._CASS_DATED_RE, "(?=[ac](?:rr|our))"),
        (high_courts._EU_CASE_RE, "(?=[aACT])"),
        (table._data().code_abbrev_re, "(?=[CLNc])"),
    ):
        assert pattern.pattern.startswith(lookahead)
        plain = re.compile(pattern.pattern[len(lookahead) :], pattern.flags)
        for text in texts:
            assert [m.span() for m in pattern.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ], (pattern.pattern[:30], text)


def test_code_names_scanned_from_the_word_code() -> None:
    import re

    from watcher.understand.refs.codes import _LOCAL_RE, _code_mentions
    from watcher.understand.refs.normalise import _normalise
    from watcher.understand.refs.table import _data

    # (round 29: a name with a writer's slip, in a pattern of its own, where no name matches)
    data = _data()
    plain = re.compile(
        r"(?<![\w])(?:"
        + data.code_name_re.pattern
        + r")|(?<![\w])(?:"
        + data.code_slip_re.pattern
        + ")",
        data.code_name_re.flags,
    )
    for text in _scan_texts():
        norm = _normalise(text)
        fast = [(c.start, c.end) for c in _code_mentions(norm) if c.full]
        # (« code civil local » is not the code civil: round 21)
        assert fast == [
            m.span() for m in plain.finditer(norm.text) if not _LOCAL_RE.match(norm.text, m.end())
        ], text


def test_named_acts_scanned_from_first_words() -> None:
    from watcher.understand.refs.normalise import _finditer_at
    from watcher.understand.refs.table import _data

    data = _data()
    assert data.act_name_re is not None and data.act_start_re is not None
    for text in _scan_texts():
        fast = _finditer_at(data.act_name_re, text, data.act_start_re)
        assert [m.span() for m in fast] == [m.span() for m in data.act_name_re.finditer(text)]


def test_issuer_literals_gate_every_issuer_name() -> None:
    from watcher.understand.refs import regulators

    names = [
        "CNIL", "Cnil", "Commission nationale de l'informatique et des libertés", "ARCEP",
        "Autorité de régulation des communications électroniques", "CRE",
        "Commission de régulation de l'énergie", "ASN", "Autorité de sûreté nucléaire", "ADLC",
        "Autorité de la concurrence", "Conseil de la concurrence", "ARCOM", "Arcom", "CSA",
        "Conseil supérieur de l'audiovisuel", "AMF", "Autorité des marchés financiers", "ACPR",
        "Autorité de contrôle prudentiel et de résolution", "HAS", "Haute Autorité de santé",
    ]  # fmt: skip
    for text in [*names, *_scan_texts()]:
        if regulators._ISSUER_RE.search(text):
            assert any(w in text for w in regulators._ISSUER_LITERALS), text


@pytest.mark.parametrize(
    ("unit", "size"),
    [
        # 42,000 overlapping candidates, each checked against all the kept ones: 24 s
        ("loi n° 2014-344 du ", 800_000),
        # each act looked for its regulator from the text's start: 21 s
        ("délibération n° 2020-001 ", 200_000),
        # each mention read the rest of the text for articles cited again: 9 s
        ("selon l'article 4 de la Constitution ", 200_000),
        # each article listed the starts of every code named: 13 s
        ("code civil article 1240, ", 800_000),
        # each « loi de 1978 » looked for its subject in the whole text: 30 s
        ("la loi de 1978 ", 100_000),
    ],
)
def test_references_take_linear_time_on_hostile_text(unit: str, size: int) -> None:
    """The times before the fixes are in the comments (quadratic in the text's length). CPU time,
    not wall time: on a shared machine another process's load doubled the wall time (6.6 s for
    2.5 s of CPU), and the bound is about the work done, which the quadratic forms multiplied."""
    text = (unit * (size // len(unit) + 1))[:size]
    began = time.process_time()
    find_references(text)
    assert time.process_time() - began < 6.0


def test_the_year_bound_is_the_callers_today() -> None:
    """Numbers and years after the next year are not texts': the bound is the ``today`` the
    caller gives (the enrichment gives its run's date), not the clock read deep inside."""
    texts = {
        "loi n° 2041-7 du 2 mars 2041": "fr:loi:2041-7",
        "le règlement (UE) 2041/15": "eu:celex:32041R0015",
        "Cons. const., 2041-12 QPC,": "fr:cc:2041-12-QPC",
    }
    for text, key in texts.items():
        assert keys(text) == [], text  # TODAY's year: 2041 is too far
        assert [r.key for r in find_references(text, date(2041, 6, 1))] == [key], text
        assert [r.key for r in find_references(text, date(2039, 6, 1))] == [], text
    assert resolve_reference_query("loi 2041-7") == []
    assert resolve_reference_query("loi 2041-7", date(2041, 1, 1)) == ["fr:loi:2041-7"]


# Round 9 (issue 18): forms of general citation practice, by kind, written for the purpose (not
# corpus lines). Rulings: the court (or regulator) as the subject with its verb before the
# citation, « rendu le » for « du », the Cour de cassation's two plenary formations, the
# Conseil constitutionnel's joined cases with a slash.
ROUND9_RULINGS = [
    (
        "Dans un arrêt rendu le 4 mars 2020, la Cour de cassation a jugé que",
        ["fr:cass:du-2020-03-04"],
    ),
    ("Par un arrêt rendu le 4 mars 2020, la Cour de cassation a cassé", ["fr:cass:du-2020-03-04"]),
    (
        "Le Conseil d'État a, par une décision du 12 juillet 2021, annulé le décret.",
        ["fr:ce:du-2021-07-12"],
    ),
    (
        "Le Conseil constitutionnel a, dans sa décision du 20 décembre 2019, censuré l'article.",
        ["fr:cc:du-2019-12-20"],
    ),
    ("Le Conseil d'État, par un arrêt rendu le 12 juillet 2021, a annulé", ["fr:ce:du-2021-07-12"]),
    (
        "la cour d'appel de Lyon, dans un arrêt du 12 mars 2021, a jugé",
        ["fr:juris:ca-lyon:du-2021-03-12"],
    ),
    (
        "la cour d'appel de Lyon a, par un arrêt du 12 mars 2021, jugé",
        ["fr:juris:ca-lyon:du-2021-03-12"],
    ),
    (
        "le tribunal de commerce de Paris, dans un jugement du 12 mars 2021, a condamné",
        ["fr:juris:tc-paris:du-2021-03-12"],
    ),
    ("Cour de cassation, Assemblée plénière, 13 janvier 2020", ["fr:cass:du-2020-01-13"]),
    (
        "la Cour de cassation, réunie en chambre mixte le 24 février 2017, a jugé",
        ["fr:cass:du-2017-02-24"],
    ),
    (
        "la Cour de cassation réunie en assemblée plénière le 13 janvier 2020",
        ["fr:cass:du-2020-01-13"],
    ),
    (
        "L'Arcep a, par une décision du 12 mars 2021, mis en demeure l'opérateur.",
        ["fr:arcep:du-2021-03-12"],
    ),
    (
        "L'Autorité de la concurrence a, dans une décision du 12 mars 2021, sanctionné",
        ["fr:adlc:du-2021-03-12"],
    ),
    ("la décision n° 2010-14/22 QPC du 30 juillet 2010", ["fr:cc:2010-14-22-QPC"]),
]
ROUND9_RULING_NEGATIVES = [
    "La Cour de cassation a publié, dans son rapport du 12 juillet 2021, une étude.",
    "La CNIL a, par un courrier du 12 mars 2021, rappelé ses obligations à la société.",
    "L'entreprise a, par une décision du 12 mars 2021, licencié le salarié.",
    "Le Conseil d'État a aussi, dans un rapport du 12 juillet 2021, proposé une réforme.",
]


@pytest.mark.parametrize(("text", "expected"), ROUND9_RULINGS)
def test_round9_rulings(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", ROUND9_RULING_NEGATIVES)
def test_round9_ruling_negatives(text: str) -> None:
    assert find_references(text) == []


# Codes cited without an article: the acronyms that name a code alone (after a masculine
# determiner) and their dotted forms, a part of the code named before (« titre II du livre Ier de
# ce code »), the codes as English translations name them; another country's code is not ours.
CT = "fr:code:collectivites-territoriales"
ROUND9_CODES = [
    ("Le CGCT confie au maire la police municipale.", [CT]),
    ("Le juge applique le CESEDA.", ["fr:code:entree-sejour-etrangers"]),
    ("les règles du Ceseda", ["fr:code:entree-sejour-etrangers"]),
    ("Les dispositions du CRPA s'appliquent.", ["fr:code:relations-public-administration"]),
    (
        "Il introduit dans le C.C.H. les règles d'accessibilité.",
        ["fr:code:construction-habitation"],
    ),
    ("l'article L. 111-7 du C.C.H.", ["fr:code:construction-habitation:L111-7"]),
    ("le C.G.I. prévoit une exonération", ["fr:code:impots"]),
    (
        "L'article L. 2121-21 du CGCT est au titre II du livre Ier de ce code.",
        [f"{CT}:L2121-21", CT],
    ),
    (
        "le code de commerce, et plus précisément le titre IV du livre IV du présent code",
        ["fr:code:commerce", "fr:code:commerce"],
    ),
    (
        "Under Article L. 221-18 of the French Consumer Code, the consumer has fourteen days.",
        ["fr:code:consommation:L221-18"],
    ),
    (
        "Articles 1103 and 1104 of the French Civil Code",
        ["fr:code:civil:1103", "fr:code:civil:1104"],
    ),
    ("pursuant to the French Labour Code", ["fr:code:travail"]),
    ("the French Code of Civil Procedure", ["fr:code:procedure-civile"]),
]
ROUND9_CODE_NEGATIVES = [
    "La CPI a condamné l'ancien président.",
    "le groupe CGI a recruté 300 ingénieurs",
    "Le Code civil du Québec dispose que",
    "l'article 1457 du Code civil du Québec",
    "le code du travail suisse et le Code civil allemand",
    "Le code pénal marocain prévoit en effet des peines",
    "the Civil Code of Quebec",
    "le titre II du livre Ier de ce code",  # no code named before
]


@pytest.mark.parametrize(("text", "expected"), ROUND9_CODES)
def test_round9_codes(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", ROUND9_CODE_NEGATIVES)
def test_round9_code_negatives(text: str) -> None:
    assert find_references(text) == []


# The Constitution's companions: their shorter full names (« Déclaration des droits de l'homme »
# without « et du citoyen », the CEDH without « et des libertés fondamentales », the Charte « de
# l'UE »), and « la Charte », « du Préambule », « la Déclaration » once named in full.
ROUND9_FUNDAMENTALS = [
    ("L'article 16 de la Déclaration des droits de l'homme garantit la séparation des pouvoirs.",
     ["fr:ddhc#art-16"]),
    ("l'article 6 de la Convention européenne de sauvegarde des droits de l'homme",
     ["int:cedh#art-6"]),
    ("La Charte des droits fondamentaux de l'Union européenne protège la vie privée ; l'article 47"
     " de la Charte garantit un recours effectif.", ["eu:charte", "eu:charte#art-47"]),
    ("Le Préambule de la Constitution de 1946 reconnaît le droit de grève. Le onzième alinéa du"
     " Préambule garantit la santé.", ["fr:preambule-1946", "fr:preambule-1946"]),
    ("La Déclaration des droits de l'homme et du citoyen de 1789 proclame l'égalité ; l'article 16"
     " de la Déclaration garantit les droits.", ["fr:ddhc", "fr:ddhc#art-16"]),
]  # fmt: skip
ROUND9_FUNDAMENTAL_NEGATIVES = [
    "La Charte du client de la banque prévoit un délai.",
    "Le Préambule du contrat précise les obligations.",
    "Selon la Déclaration, le revenu est imposable.",  # no Déclaration named before
]
# guards (pass before and after): the Charte's longer name, another charter after one named
ROUND9_FUNDAMENTAL_GUARDS = [
    ("la Charte des droits fondamentaux de l'UE", ["eu:charte"]),
    ("la Charte de l'environnement ; la Charte sociale européenne", ["fr:charte-environnement"]),
]


@pytest.mark.parametrize(("text", "expected"), ROUND9_FUNDAMENTALS + ROUND9_FUNDAMENTAL_GUARDS)
def test_round9_fundamentals(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND9_FUNDAMENTAL_NEGATIVES)
def test_round9_fundamental_negatives(text: str) -> None:
    assert find_references(text) == []


# b22's development misses, fixed by kind (vectors written for the purpose, in the forms seen).
B22_RULINGS = [
    # a ruling cited by date and, in the same text, by its number: the number keys both
    ("Le Conseil d'État l'a jugé dans une décision du 3 mars 2021 (Conseil d'État, 3 mars 2021,"
     " requête n° 441234).", ["fr:ce:441234", "fr:ce:441234"]),
    ("le Conseil d'État (décisions nos 451234 et 451235 du 2 juin 2022)",
     ["fr:ce:451234", "fr:ce:451235"]),
    ("Par un arrêt du 3 mars 2021, la Cour de Cassation a rappelé", ["fr:cass:du-2021-03-03"]),
    ("(Cass. Com. 03.03.2021, n°19-21-456)", ["fr:cass:19-21.456"]),
    ("COUR D'APPEL DE LYON. R.G. n° 19/01234.", ["fr:juris:ca-lyon:19-01234"]),
    ("CA NÎMES (2e ch.), 3 mars 2021 : RG n° 19/01234", ["fr:juris:ca-nimes:19-01234"]),
    ("Cour administrative d'appel, 4ème chambre, 3 mars 2021, 19BX01234",
     ["fr:juris:caa-bordeaux:19BX01234"]),
    ("Par un jugement n° 1901234-1905678 du 3 mars 2021, le tribunal administratif de Lyon a",
     ["fr:juris:ta-lyon:1901234", "fr:juris:ta-lyon:1905678"]),
    ("Par une ordonnance du 3 mars 2021, le juge des référés du Conseil d'État a rejeté",
     ["fr:ce:du-2021-03-03"]),
    ("Par une décision n° 441234 du 3 mars 2021, enregistrée au greffe le 5 mars 2021, le Conseil"
     " d'État a renvoyé", ["fr:ce:441234"]),
    ("la décision du 3 mars 2021 par laquelle le collège de la Haute Autorité de santé a adopté",
     ["fr:has:du-2021-03-03"]),
    ("la décision du 3 mars 2021 par laquelle la commission des sanctions de l'AMF a prononcé",
     ["fr:amf:du-2021-03-03"]),
]  # fmt: skip
B22_RULING_NEGATIVES = [
    "le règlement intérieur (décision du 3 mars 2021 par laquelle le président de l'association)",
    "Le numéro 19BX01234 du colis",  # no cour administrative d'appel named
]


@pytest.mark.parametrize(("text", "expected"), B22_RULINGS)
def test_b22_rulings(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", B22_RULING_NEGATIVES)
def test_b22_ruling_negatives(text: str) -> None:
    assert find_references(text) == []


CONSO = "fr:code:consommation:"
B22_FORMS = [
    # codes: the article it became, « anciens », slashes, « code du commerce », « en son
    # article » after a code, « du présent code » in an item whose title is a code, a footnote
    # call glued to a code's acronym
    ("l'article L. 132-1 ancien devenu L. 212-1 du code de la consommation",
     [f"{CONSO}L132-1", f"{CONSO}L212-1"]),
    ("Selon l'article L. 311-37 (devenu R. 312-35) du code de la consommation, les actions",
     [f"{CONSO}L311-37", f"{CONSO}R312-35"]),
    ("des articles L. 312-1 et suivants anciens du code de la consommation", [f"{CONSO}L312-1"]),
    ("l'article L.442-6 / I / 5e du Code de Commerce", ["fr:code:commerce:L442-6"]),
    ("Le code du commerce prévoit aussi, en son article L. 441-6, le formalisme.",
     ["fr:code:commerce:L441-6"]),
    ("Code de l'énergie\n\nArticle R. 124-1. Selon l'article L. 861-2 du code de la sécurité"
     " sociale et l'article R. 337-4 du présent code ;",
     ["fr:code:energie:R124-1", "fr:code:securite-sociale:L861-2", "fr:code:energie:R337-4"]),
    ("repris à l'article L. 210-1 du CJF1, prévoyait", ["fr:code:juridictions-financieres:L210-1"]),
    # texts: « de cette loi » / « de ce décret » after an article, the NOR between type and date,
    # a mayor's arrêté « par lequel le maire »
    ("la loi n° 82-213 du 2 mars 1982. L'article 84 de cette loi a créé",
     ["fr:loi:82-213", "fr:loi:82-213#art-84"]),
    ("le décret n° 2020-371 du 30 mars 2020. L'article 3 de ce décret prévoit",
     ["fr:decret:2020-371", "fr:decret:2020-371#art-3"]),
    ("Arrêté NOR: ECOC2301234A du 3 mars 2023 modifiant", ["fr:arrete:du-2023-03-03",
                                                          "fr:nor:ECOC2301234A"]),
    # the Constitution: a title in capitals, a heading ending with it, « son Préambule »
    ("CONSTITUTION DU 4 OCTOBRE 1958", ["fr:constitution"]),
    ("en application de l'article 88-4 de la Constitution\n\ndu 5 décembre 2006 au 10 janvier 2007",
     ["fr:constitution#art-88-4"]),
    ("- la Constitution, notamment son Préambule et son article 61-1 ;",
     ["fr:constitution#art-61-1"]),
    # standards: a national annex, four or five digits after ISO, ASTM, « l'EN », a European
    # standard by « norme européenne », « la norme 13432 » once EN 13432 is cited, a bare EN
    # number before its title in quotes
    ("notamment NF EN 1991-1-2/NA.", ["std:nf-en:1991-1-2/na"]),
    ("SOC 2 pour les marchés US et ISO 42001 pour les systèmes d'IA", ["std:iso:42001"]),
    ("la norme ASTM D6400 et l'ASTM F963-17", ["std:astm:d6400", "std:astm:f963"]),
    ("L'EN 1176 traite des équipements d'aires de jeux.", ["std:en:1176"]),
    ("Les masques répondent à la norme européenne 14683.", ["std:en:14683"]),
    ("conformes à la EN 13432 ; la norme 13432 impose une biodégradation.",
     ["std:en:13432", "std:en:13432"]),
    ("• EN 14995 'Plastics – evaluation of compostability'", ["std:en:14995"]),
    # EU pinpoints: « point 12, », « sous b) et d), »
    ("l'article 2, point 12, de la directive 2011/83/UE", ["eu:celex:32011L0083#art-2"]),
    ("l'article 2, sous b) et d), de la directive 2005/29/CE", ["eu:celex:32005L0029#art-2"]),
    # EU names in quotes
    ("la directive « Services de médias audiovisuels »", ["eu:celex:32010L0013"]),
    ('la directive "Télévision sans frontières"', ["eu:celex:31989L0552"]),
    ("la directive « autorisation »", ["eu:celex:32002L0020"]),
    ("la directive NIS2 et la directive NIS 1", ["eu:celex:32022L2555", "eu:celex:32016L1148"]),
]  # fmt: skip
B22_FORM_NEGATIVES = [
    "l'arrêté du 14 août 2018 par lequel le maire de Cap d'Ail a refusé le permis",
    "appareil photo réglé à ISO 6400",
    "Elle pèse EN 1090 grammes",
    "LE TOUR DE FRANCE EN 2100 KM",
    "La norme 2020 est entrée en vigueur.",
    "la norme 13432 impose une biodégradation",  # no standard of that number cited
]


@pytest.mark.parametrize(("text", "expected"), B22_FORMS)
def test_b22_forms(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


@pytest.mark.parametrize("text", B22_FORM_NEGATIVES)
def test_b22_form_negatives(text: str) -> None:
    assert find_references(text) == []


# « son article » / « ses articles » in a later sentence, « de ce dernier texte »: the text cited
# last (no other text, code, contract or decision named in between).
ITS_ARTICLES = [
    ("La loi n° 2016-1321 du 7 octobre 2016 a été promulguée. Cette loi renforce les droits."
     " Son article 40 prévoit un droit nouveau.",
     # « Cette loi » is itself a pointer to it since round 21
     ["fr:loi:2016-1321", "fr:loi:2016-1321", "fr:loi:2016-1321#art-40"]),
    ("L'ordonnance n° 2016-301 du 14 mars 2016 a été adoptée. C'est ainsi que ses articles 3 et 4"
     " ont pour objet", ["fr:ordonnance:2016-301", "fr:ordonnance:2016-301#art-3",
                         "fr:ordonnance:2016-301#art-4"]),
    ("le décret n° 2020-371 du 30 mars 2020 modifiant la loi n° 78-17 du 6 janvier 1978."
     " L'article 71 de ce dernier texte prévoit", ["fr:decret:2020-371", "fr:loi:78-17",
                                                   "fr:loi:78-17#art-71"]),
]  # fmt: skip
ITS_ARTICLE_GUARDS = [
    # another text between: « son article » is the contract's
    ("La loi n° 2016-1321 du 7 octobre 2016 s'applique. Le contrat de l'éditeur est clair. Son"
     " article 5 prévoit une clause.", ["fr:loi:2016-1321"]),
    # right after the title: the title's own pinpoint, once
    ("Vu la loi n° 78-17 du 6 janvier 1978, notamment son article 8 ;", ["fr:loi:78-17#art-8"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ITS_ARTICLES + ITS_ARTICLE_GUARDS)
def test_its_articles(text: str, expected: list[str]) -> None:
    assert [r.full_key for r in find_references(text)] == expected


# Round 10: rulings of the European Court of Human Rights (key int:cour-edh:<application> or
# int:cour-edh:du-<date>, one reference per application), the conseils de prud'hommes
# (fr:juris:cph-<city>:…) and the lower courts' other written forms (« T. jud. », a tribunal de
# commerce's lettered numbers), written from citation practice, not from corpus lines.
EDH = "int:cour-edh:"
ROUND10_RULINGS = [
    ("CEDH, 12 janv. 2017, n° 12345/10, X c. France", [f"{EDH}12345/10"]),
    (
        "CEDH, gr. ch., 15 nov. 2016, A et B c. Norvège, n° 24130/11 et 29758/11",
        [f"{EDH}24130/11", f"{EDH}29758/11"],
    ),
    ("Cour EDH, 5e sect., 7 juin 2012, Segame SA c. France, req. n° 4837/06", [f"{EDH}4837/06"]),
    (
        "CEDH 28 juin 2018, G.I.E.M. S.r.l. et autres c. Italie [GC], nos 1828/06 et 34163/07",
        [f"{EDH}1828/06", f"{EDH}34163/07"],
    ),
    ("CEDH, 5 oct. 2000, Maaouia c. France, req. no 39652/98", [f"{EDH}39652/98"]),
    ("Cour européenne des droits de l'homme, 12 janvier 2017, n° 12345/10", [f"{EDH}12345/10"]),
    ("(CEDH, 9 oct. 1979, Airey c. Irlande, série A n° 32)", [f"{EDH}du-1979-10-09"]),
    (
        "la Cour européenne des droits de l'homme, dans un arrêt du 12 janvier 2017, a jugé",
        [f"{EDH}du-2017-01-12"],
    ),
    (
        "Par un arrêt du 12 janvier 2017, la Cour européenne des droits de l'homme a condamné",
        [f"{EDH}du-2017-01-12"],
    ),
    (
        "Le 12 janvier 2017, la Cour européenne des droits de l'homme a condamné la France.",
        [f"{EDH}du-2017-01-12"],
    ),
    (
        "l'arrêt de la CEDH du 12 janvier 2017 (requête n° 12345/10)",
        [f"{EDH}12345/10", f"{EDH}12345/10"],
    ),
    ("AFFAIRE SEGAME SA c. FRANCE (Requête no 4837/06)", [f"{EDH}4837/06"]),
    ("ECLI:CE:ECHR:2016:1115JUD002413011", [f"{EDH}24130/11"]),
    (
        "Conseil de prud'hommes de Paris, 12 mars 2020, n° 18/01234",
        ["fr:juris:cph-paris:18-01234"],
    ),
    ("CPH Paris, 5 mai 2021, RG n° F 19/01234", ["fr:juris:cph-paris:F-19-01234"]),
    ("Cons. prud'h. Lyon, 3 mars 2020", ["fr:juris:cph-lyon:du-2020-03-03"]),
    (
        "CPH Boulogne-Billancourt, 12 mars 2021, n° 19/01234",
        ["fr:juris:cph-boulogne-billancourt:19-01234"],
    ),
    (
        "Par jugement du 3 mars 2020, le conseil de prud'hommes de Bobigny a condamné l'employeur.",
        ["fr:juris:cph-bobigny:du-2020-03-03"],
    ),
    (
        "le conseil de prud'hommes de Nanterre, par un jugement du 12 mars 2021, a jugé",
        ["fr:juris:cph-nanterre:du-2021-03-12"],
    ),
    ("T. jud. Paris, 3 mars 2021", ["fr:juris:tj-paris:du-2021-03-03"]),
    ("Trib. com. Lyon, 12 mai 2021, RG 2020F00123", ["fr:juris:tc-lyon:2020F00123"]),
    (
        "Tribunal de commerce de Paris, 3 mars 2020, n° J2020000123",
        ["fr:juris:tc-paris:J2020000123"],
    ),
]
ROUND10_RULING_NEGATIVES = [
    "CEDH, 4 novembre 1950",  # the Convention's signature: the Court sits since 1959
    "Le 12 janvier 2017, la CEDH a été saisie par le requérant.",
    "la Cour européenne des droits de l'homme a été saisie le 12 janvier 2017",
    "la salariée a saisi le conseil de prud'hommes de Lyon, le 5 mai 2015, de demandes",
    "la société a été assignée devant le tribunal de commerce de Paris, le 3 mars 2020, par",
    "TGI Paris, X c. Y, requête n° 18/12",
]
ROUND10_GUARDS = [
    # « CEDH » with an article is still the Convention
    ("l'article 6 de la CEDH, 12 janvier 2017", ["int:cedh"]),
    ("TJ Paris, 1re ch., 3 mars 2021, RG n° 19/12345", ["fr:juris:tj-paris:19-12345"]),
]


@pytest.mark.parametrize(("text", "expected"), ROUND10_RULINGS)
def test_round10_rulings(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", ROUND10_RULING_NEGATIVES)
def test_round10_ruling_negatives(text: str) -> None:
    assert find_references(text) == []


@pytest.mark.parametrize(("text", "expected"), ROUND10_GUARDS)
def test_round10_guards(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_round10_keys_links_and_queries() -> None:
    (ref,) = find_references("CEDH, gr. ch., 15 nov. 2016, A et B c. Norvège, n° 24130/11")
    assert (ref.kind, ref.label, ref.link) == (
        "decision", "Cour européenne des droits de l'homme, req. n° 24130/11", "search"
    )  # fmt: skip
    assert ref.url.startswith("https://hudoc.echr.coe.int/") and "24130/11" in ref.url
    (cph,) = find_references("Conseil de prud'hommes de Paris, 12 mars 2020, n° 18/01234")
    assert cph.label == "Conseil de prud'hommes de Paris, n° 18/01234"
    assert resolve_reference_query("int:cour-edh:24130/11") == ["int:cour-edh:24130/11"]
    assert resolve_reference_query("int:cour-edh:du-2017-01-12") == ["int:cour-edh:du-2017-01-12"]


# Round 10: the courts' other forms from citation practice: a court as the subject of a verb of
# judging with the ruling's date (« la Cour de cassation a jugé, le … »), « jugement du tribunal
# … du … », « arrêt rendu par la cour d'appel de … le … », a chamber's « arrêt de la chambre
# sociale du … », a title then the act (« Tribunal judiciaire de Paris, ordonnance de référé du
# … »), a tribunal administratif's number with its chamber (« n° 1912345/4-1 »), a CJEU judgment
# named by its party (« l'arrêt Schrems II (C-311/18) »).
ROUND10_FORMS = [
    (
        "arrêt de la chambre sociale du 25 novembre 2020 (n° 17-19.523)",
        ["fr:cass:17-19.523"],
    ),
    (
        "la chambre sociale de la Cour de cassation a jugé le 25 novembre 2020 que",
        ["fr:cass:du-2020-11-25"],
    ),
    ("le Conseil d'État a jugé, le 27 mai 2021, que", ["fr:ce:du-2021-05-27"]),
    ("la Cour de cassation a rappelé, le 3 mars 2021, que", ["fr:cass:du-2021-03-03"]),
    (
        "jugement du tribunal administratif de Paris du 3 mars 2021",
        ["fr:juris:ta-paris:du-2021-03-03"],
    ),
    (
        "jugement rendu par le tribunal de commerce de Paris le 3 mars 2020",
        ["fr:juris:tc-paris:du-2020-03-03"],
    ),
    ("arrêt rendu par la cour d'appel de Lyon le 3 mars 2020", ["fr:juris:ca-lyon:du-2020-03-03"]),
    (
        "Tribunal judiciaire de Paris, ordonnance de référé du 3 mars 2021",
        ["fr:juris:tj-paris:du-2021-03-03"],
    ),
    (
        "le conseil de prud'hommes de Lyon a condamné, le 5 mai 2015, l'employeur",
        ["fr:juris:cph-lyon:du-2015-05-05"],
    ),
    (
        "la Cour européenne des droits de l'homme a condamné, le 12 janvier 2017, la France",
        ["int:cour-edh:du-2017-01-12"],
    ),
    ("TA de Paris, 3 mars 2021, n° 1912345/4-1", ["fr:juris:ta-paris:1912345"]),
    ("l'arrêt Schrems II (C-311/18)", ["eu:case:C-311/18"]),
    ("Délibération du collège de l'ARCEP n° 2021-0123", ["fr:arcep:2021-0123"]),
]
ROUND10_FORM_NEGATIVES = [
    "le Conseil d'État a été saisi le 27 mai 2021 d'une requête",
    "la cour d'appel de Paris a fixé le 3 mars 2021 comme date d'audience",
    "la Cour de cassation a publié le 3 mars 2021 son rapport annuel",
]


@pytest.mark.parametrize(("text", "expected"), ROUND10_FORMS)
def test_round10_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", ROUND10_FORM_NEGATIVES)
def test_round10_form_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 10: the articles of EU acts, treaties and conventions are whole numbers (« article 6-1-e
# du RGPD » is article 6), « l'article 4, 11, du RGPD » is one article and its point, and a
# standard's further parts (« EN 1021-1 et 2 », « EN 71-1, -2 et -3 »).
def pins(text: str) -> list[tuple[str, str]]:
    return [(r.key, r.pinpoint) for r in find_references(text)]


RGPD = "eu:celex:32016R0679"
ROUND10_PINS = [
    ("l'article 6-1-e du RGPD", [(RGPD, "art-6")]),
    ("l'article 6-1 de la CEDH", [("int:cedh", "art-6")]),
    ("article 4, 11, du RGPD", [(RGPD, "art-4")]),
    ("l'article 5, 1, a) du RGPD", [(RGPD, "art-5")]),
    ("Const. 4 oct. 1958, art. 61-1", [("fr:constitution", "art-61-1")]),  # Ref-Lex
    ("l'article 55 de notre Constitution", [("fr:constitution", "art-55")]),
]
ROUND10_PIN_GUARDS = [
    ("l'article 8-1 de la loi n° 78-17 du 6 janvier 1978", [("fr:loi:78-17", "art-8-1")]),
    ("l'article 61-1 de la Constitution", [("fr:constitution", "art-61-1")]),
    ("article 21 bis du règlement (CE) no 2006/2004", [(C + "32004R2006", "art-21-bis")]),
    ("articles 4, 11 et 12 du RGPD", [(RGPD, "art-4"), (RGPD, "art-11"), (RGPD, "art-12")]),
]
ROUND10_STANDARDS = [
    ("la norme AFNOR NF Z 44-022", ["std:nf:z44-022"]),  # the body named before the designation
    ("norme européenne EN 1021- 1 et 2 : évaluation", ["std:en:1021-1", "std:en:1021-2"]),
    ("EN 71-1, -2 et -3", ["std:en:71-1", "std:en:71-2", "std:en:71-3"]),
    (
        "ISO/IEC 27001-1, 2 et 3",
        ["std:iso-iec:27001-1", "std:iso-iec:27001-2", "std:iso-iec:27001-3"],
    ),
]
ROUND10_STANDARD_GUARDS = [
    ("EN 1021-1 et 2 autres normes", ["std:en:1021-1"]),
    ("EN 14683:2019 et 2", ["std:en:14683:2019"]),
]


@pytest.mark.parametrize(("text", "expected"), ROUND10_PINS + ROUND10_PIN_GUARDS)
def test_round10_pins(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROUND10_STANDARDS + ROUND10_STANDARD_GUARDS)
def test_round10_standards(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 10: texts and code articles as citation practice writes them: a one-digit article with an
# abbreviated code (« art. 9 C. civ. »: the pre-check let it go), the code général des impôts'
# Latin adverbs (« 199 undecies B », « 1649 quater-0 B bis »), a loi's acronym before its number
# (Ref-Lex « L. DADDUE n° 2013-619 », « loi ELAN n° 2018-1021 »), Ref-Lex's unnumbered décret
# (« D., 17 juill. 2008, relatif à … »).
ROUND10_TEXTS = [
    ("art. 9 C. civ.", ["fr:code:civil:9"]),
    ("art. 9 CPC", ["fr:code:procedure-civile:9"]),
    ("l'article 1649 quater-0 B bis du CGI", ["fr:code:impots:1649-quater-0-B-bis"]),
    ("article 199 undecies B du code général des impôts", ["fr:code:impots:199-undecies-B"]),
    ("article 150-0 B ter du CGI", ["fr:code:impots:150-0-B-ter"]),
    (
        "L. DADDUE n° 2013-619, 16 juill. 2013, NOR : DEVK1240259L",
        ["fr:loi:2013-619", "fr:nor:DEVK1240259L"],
    ),
    (
        "D., 17 juill. 2008, relatif aux …, NOR : HRUX0817196D",
        ["fr:decret:du-2008-07-17", "fr:nor:HRUX0817196D"],
    ),
]
ROUND10_TEXT_GUARDS = [
    ("la loi ELAN n° 2018-1021 du 23 novembre 2018", ["fr:loi:2018-1021"]),  # one reference
    ("M. D., 17 juill. 2008, a dit", []),
    ("article 238 bis du CGI", ["fr:code:impots:238-bis"]),
    ("articles 39 AA et 39 AB du CGI", ["fr:code:impots:39-AA", "fr:code:impots:39-AB"]),
    ("la loi ELAN du 23 novembre 2018", ["fr:loi:2018-1021"]),
]


@pytest.mark.parametrize(("text", "expected"), ROUND10_TEXTS + ROUND10_TEXT_GUARDS)
def test_round10_texts(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_round10_latin_adverbs_in_pinpoints() -> None:
    text = "l'article 6 quinquies de la loi n° 83-634 du 13 juillet 1983"
    assert pins(text) == [("fr:loi:83-634", "art-6-quinquies")]


# b23's development lines, fixed by kind: registry numbers as older registries and writers give
# them (« RG n° 2001/03498 », « 12004/98 », « n° 15-00835 »), a minister's title with commas
# before an arrêté's date, a préfet's arrêté (a local act, like a mayor's: not read), the
# Autorité de contrôle prudentiel (the ACPR's name until 2013; not « ACP »: a held-out floor
# broke), « décision rendue le … [concernant …] par la commission des sanctions de … »,
# « L'Arcep a modifié, par décision du … » (no article), « sa décision du … » of the regulator
# that is the sentence's subject, a list of articles with a subdivision after one of them
# (« articles 4, paragraphe 2, et 8 »), « [ancien art. L. 423-1] » between an article and its
# code (both articles), a Conseil d'État decision named in quotes and « statuant au contentieux »
# with its requêtes after the date, a CJEU case glued to the year before it.
B23_FORMS = [
    (
        "CA PARIS (25e ch. sect. A), 20 septembre 2002 : RG n° 2001/03498",
        ["fr:juris:ca-paris:2001-03498"],
    ),
    ("TGI Lyon (1re ch.), 17 mars 1999 : RG n° 12004/98", ["fr:juris:tgi-lyon:12004-98"]),
    ("TGI Paris, 3e ch., 27 janvier 2016, n° 15-00835", ["fr:juris:tgi-paris:15-00835"]),
    (
        "l'arrêté du ministre de l'économie, des finances et de la relance du 3 mars 2021 fixant",
        ["fr:arrete:du-2021-03-03"],
    ),
    (
        "la décision rendue le 12 décembre 2012 par la commission des sanctions de l'Autorité de"
        " contrôle prudentiel",
        ["fr:acpr:du-2012-12-12"],
    ),
    (
        "La décision rendue le 3 mars 2020 concernant la société X par la commission des sanctions"
        " de l'AMF a été publiée.",
        ["fr:amf:du-2020-03-03"],
    ),
    (
        "L'Arcep a modifié, par décision du 4 avril 2013, sa décision du 5 novembre 2009.",
        ["fr:arcep:du-2013-04-04", "fr:arcep:du-2009-11-05"],
    ),
    (
        "l'interprétation des articles 4, paragraphe 2, et 8 de la directive 93/13/CEE",
        ["eu:celex:31993L0013", "eu:celex:31993L0013"],
    ),
    (
        "au sens de l'article L. 623-1 [ancien art. L. 423-1] du Code de la consommation",
        ["fr:code:consommation:L623-1", "fr:code:consommation:L423-1"],
    ),
    (
        "la décision « French Data Network » rendue par le Conseil d'Etat statuant au contentieux"
        " le 21 avril 2021 (n° 393099, 394922)",
        ["fr:ce:393099", "fr:ce:394922"],
    ),
    ("CJUE, 27 janvier 2021C-229/19 – Dexia Nederland", ["eu:case:C-229/19"]),
    ("le Digital Service Act impose", ["eu:celex:32022R2065"]),  # a common misspelling
]
B23_FORM_NEGATIVES = [
    "l'annulation de l'arrêté du préfet du Gard du 28 août 2008 fixant des prescriptions",
    "La CNIL rappelle que la société a, par sa décision du 3 mars 2020, refusé",
    "L'entreprise a modifié, par décision du 4 avril 2013, son organisation.",
    "le code 2021C-229/19 du produit",
]


@pytest.mark.parametrize(("text", "expected"), B23_FORMS)
def test_b23_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", B23_FORM_NEGATIVES)
def test_b23_form_negatives(text: str) -> None:
    assert find_references(text) == []


def test_b23_list_with_subdivisions_keeps_every_pinpoint() -> None:
    text = "vu l'article 294, paragraphe 2, et l'article 43, paragraphe 2, du traité sur le " \
        "fonctionnement de l'Union européenne"  # fmt: skip
    assert pins(text) == [("eu:tfue", "art-294"), ("eu:tfue", "art-43")]


# Round 10: the acronyms kept for queries only (too ambiguous alone in prose) name their act right
# after an article (« art. 16 du DSA »), as « art. 6 CEDH » names the Convention.
ROUND10_ACRONYMS = [
    ("art. 16 du DSA", [("eu:celex:32022R2065", "art-16")]),
    ("l'article 34 du DMA", [("eu:celex:32022R1925", "art-34")]),
    (
        "articles 5 et 6 du DORA",
        [("eu:celex:32022R2554", "art-5"), ("eu:celex:32022R2554", "art-6")],
    ),
]
ROUND10_ACRONYM_NEGATIVES = [
    "le DSA impose de nouvelles obligations",
    "article 2 du RIA",  # a fire hose reel (« robinet d'incendie armé »)
    "article 14 du PACTE INTERNATIONAL RELATIF AUX DROITS CIVILS",
]


@pytest.mark.parametrize(("text", "expected"), ROUND10_ACRONYMS)
def test_round10_acronyms(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


@pytest.mark.parametrize("text", ROUND10_ACRONYM_NEGATIVES)
def test_round10_acronym_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 11 (issue 18): forms from citation practice that the development lines showed missed.
# An anaphora to the one loi cited before (« l'article 58 de la loi qui … » after « la loi n°
# 2014-344 … »; « de ladite loi », « dudit décret »); typos of extraction in a code article's
# number (a dot for a hyphen, « L. 592.31 », « Art. L2121.7 »; a space for it right before the
# code's name, « L. 247 2 du code … »); a formation's serial number before a regulator's decision's
# date (« décision n° 11 du … par laquelle la commission des sanctions de l'AMF »); the ACP (the
# ACPR's former name) as the commission des sanctions' body; a directive's number of 1958–1998
# with a hyphen (« directive 93-13 »); a standard's part after a spaced hyphen (« EN 71 - 1) ») and
# « en71 » in lower case after « norme » or « AFNOR ».
ROUND11_PINS = [
    (
        "La loi n° 2014-344 du 17 mars 2014 a modifié le code. C'est l'article 58 de la loi qui a"
        " introduit cette faculté.",
        [("fr:loi:2014-344", ""), ("fr:loi:2014-344", "art-58")],
    ),
    (
        "Vu la loi n° 78-17 du 6 janvier 1978. L'article 6 de ladite loi dispose que",
        [("fr:loi:78-17", ""), ("fr:loi:78-17", "art-6")],
    ),
    (
        "Le décret n° 2019-536 du 29 mai 2019 est pris. L'article 3 dudit décret prévoit",
        [("fr:decret:2019-536", ""), ("fr:decret:2019-536", "art-3")],
    ),
]
ROUND11_PINS += [
    # « § 1 » after an article of a list without a comma, and « et l'art. »
    (
        "L'art. 6 § 1 et l'art. 7 § 1 de la directive 93/13/CEE doivent être interprétés",
        [("eu:celex:31993L0013", "art-6"), ("eu:celex:31993L0013", "art-7")],
    ),
    (
        "les articles 6 § 1 et 7 de la directive 93/13/CEE",
        [("eu:celex:31993L0013", "art-6"), ("eu:celex:31993L0013", "art-7")],
    ),
]
# « Par jugement du …, le tribunal a … », « Par un arrêt du …, la cour a … »: the lower court of
# that kind named last before it in the item.
ROUND11_COURTS = [
    (
        "L'association a assigné la société devant le tribunal judiciaire de Paris. Par jugement"
        " du 22 mars 2022, le tribunal a rejeté les demandes.",
        ["fr:juris:tj-paris:du-2022-03-22"],
    ),
    (
        "La société a fait appel devant la cour d'appel de Lyon. Par un arrêt du 3 mars 2020, la"
        " cour a confirmé le jugement.",
        ["fr:juris:ca-lyon:du-2020-03-03"],
    ),
]
ROUND11_COURT_NEGATIVES = [
    "Par jugement du 22 mars 2022, le tribunal a rejeté les demandes.",  # no court named before
    # the cour d'appel named, then the Cour de cassation: « la cour » cannot be told
    "Après la cour d'appel de Lyon, la Cour de cassation fut saisie. Par un arrêt du 3 mars 2020,"
    " la cour a cassé.",
    # a tribunal named before, « la cour » after: not that tribunal
    "Le tribunal judiciaire de Paris a été saisi. Par un arrêt du 3 mars 2020, la cour a jugé.",
]
ROUND11_FORMS = [
    (
        "Ce rapport est prévu par l'article L.\n592.31 du code de l'environnement.",
        ["fr:code:environnement:L592-31"],
    ),
    ("Art. L2121.7 du CGCT", ["fr:code:collectivites-territoriales:L2121-7"]),
    (
        "mentionné à l'article L. 247 2 du code de l'action sociale et des familles ;",
        ["fr:code:action-sociale-familles:L247-2"],
    ),
    (
        "d'annuler la décision n° 11 du 25 novembre 2020 par laquelle la commission des sanctions"
        " de l'Autorité des marchés financiers l'a condamnée",
        ["fr:amf:du-2020-11-25"],
    ),
    (
        "la décision rendue le 12 décembre 2012 par la commission des sanctions de l'ACP",
        ["fr:acpr:du-2012-12-12"],
    ),
    ("L'article 1er, paragraphe 2, de la directive 93-13 prévoit", ["eu:celex:31993L0013"]),
    ("la directive 85-374 sur les produits défectueux", ["eu:celex:31985L0374"]),
    ("la conformité des jouets (AFNOR en71 - 1) doit être démontrée", ["std:en:71-1"]),
    ("exposition aux flammes (norme en71 - 2).", ["std:en:71-2"]),
    ("selon la norme EN 71 - 3.", ["std:en:71-3"]),
]
ROUND11_NEGATIVES = [
    "l'article 5 de la loi prévoit",  # no loi cited before
    "la directive 2019-12 du ministre",  # a national directive's number
    "la directive n° 12-345 du préfet",  # a year outside 1958–1998
    "selon la norme en 2020",
    "l'ACP a publié le 12 décembre 2012 ses comptes",
    "l'article L. 247 2 ans après",
]
ROUND11_GUARDS = [
    # two texts before « de la loi »: which one is meant cannot be told
    (
        "La loi n° 2014-344 du 17 mars 2014 et la loi n° 2016-1321 du 7 octobre 2016. L'article 5"
        " de la loi prévoit",
        [("fr:loi:2014-344", ""), ("fr:loi:2016-1321", "")],
    ),
    # a loi named after « de la loi »: not an anaphora
    (
        "La loi n° 2014-344 du 17 mars 2014. L'article 1er de la loi du 29 juillet 1881 dispose",
        [("fr:loi:2014-344", ""), ("fr:loi:du-1881-07-29", "art-1")],
    ),
    # « ISO 9001 - 3 jours »: a spaced hyphen before a duration is not a part
    ("certifié ISO 9001 - 3 jours de formation", [("std:iso:9001", "")]),
]


@pytest.mark.parametrize(("text", "expected"), ROUND11_PINS)
def test_round11_pins(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROUND11_FORMS)
def test_round11_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", ROUND11_NEGATIVES)
def test_round11_negatives(text: str) -> None:
    assert find_references(text) == []


@pytest.mark.parametrize(("text", "expected"), ROUND11_GUARDS)
def test_round11_guards(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROUND11_COURTS)
def test_round11_courts(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", ROUND11_COURT_NEGATIVES)
def test_round11_court_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 11, then b24's development lines, fixed by kind: the Revolution's lois by their two dates,
# a directive's short name before its number, a loi constitutionnelle by its date when the item
# gives its number, article subdivisions (« I-al. 1 », « I ,5° ») and a space before the hyphen
# (« L 111 -1 »), a list of articles going on after a code's name (« R. 311-3 du code de
# l'organisation judiciaire, 122 et 125 du code de procédure civile »), the article in brackets
# after its code, « de cette directive » / « du même règlement », a regulator's act « rendue par
# l'ARCEP le … », a ruling's number in brackets after its date (« décision du … (n° 484422), le
# Conseil d'Etat »), the Conseil d'État's « Sous le n° … » on joined requêtes, « Règlement du
# Parlement européen et du Conseil n° 2020/561 », « ordonnance royale », « décret impérial »,
# « n° 2025-1129-QPC », the Conseil constitutionnel's page address.
ROUND11_B24_FORMS = [
    ("l'article 13 de la loi des 16 et 24 août 1790", ["fr:loi:du-1790-08-16"]),
    ("le décret des 2-17 mars 1791", ["fr:decret:du-1791-03-02"]),
    (
        "au sein des directives marchés 2004/17 et 2004/18 du 31 mars 2004",
        ["eu:celex:32004L0017", "eu:celex:32004L0018"],
    ),
    ("la directive services 2006/123", ["eu:celex:32006L0123"]),
    (
        "promulguée par la loi constitutionnelle du 1er mars 2005 [3] Loi constitutionnelle n°"
        " 2005-205 relative à la Charte",
        ["fr:loi:2005-205", "fr:loi:2005-205"],
    ),
    ("(article L 441-6, I-al. 1 du Code de commerce)", ["fr:code:commerce:L441-6"]),
    (
        "sur le fondement de l'article L. 442-6, I ,5° du code de commerce",
        ["fr:code:commerce:L442-6"],
    ),
    (
        "les dispositions de l'article L 111 -1, du code de la consommation",
        ["fr:code:consommation:L111-1"],
    ),
    (
        "Vu l'article R. 311-3 du code de l'organisation judiciaire, 122 et 125 du code de"
        " procédure civile ;",
        [
            "fr:code:organisation-judiciaire:R311-3",
            "fr:code:procedure-civile:122",
            "fr:code:procedure-civile:125",
        ],
    ),
    ("fixées par le Code de commerce (article L310-3) et", ["fr:code:commerce:L310-3"]),
    (
        "une décision de règlement d'un différend rendue par l'ARCEP le 4 novembre 2010.",
        ["fr:arcep:du-2010-11-04"],
    ),
    (
        "Par une décision du 31 décembre 2024 (n° 484422), le Conseil d'Etat a confirmé",
        ["fr:ce:484422"],
    ),
    (
        "Par jugement du 26 septembre 2022 (décision n° 2101185 notifiée au ministre), le tribunal"
        " administratif de Caen a condamné",
        ["fr:juris:ta-caen:2101185"],
    ),
    (
        "1° Sous le n° 491629, par une requête sommaire, la société Free demande au Conseil"
        " d'Etat :",
        ["fr:ce:491629"],
    ),
    (
        "modifié par le Règlement du Parlement européen et du Conseil n° 2020/561 du 23 avril 2020",
        ["eu:celex:32020R0561"],
    ),
    ("Ordonnance royale du 3 mars 1825 relative aux presbytères", ["fr:ordonnance:du-1825-03-03"]),
    ("le décret impérial du 6 janvier 1852", ["fr:decret:du-1852-01-06"]),
    ("la question prioritaire de constitutionnalité n° 2025-1129-QPC", ["fr:cc:2025-1129-QPC"]),
    (
        "Lien : https://www.conseil-constitutionnel.fr/decision/2025/20251129QPC.htm",
        ["fr:cc:2025-1129-QPC"],
    ),
]
ROUND11_B24_PINS = [
    (
        "L'article 3 de la directive 93/13/CEE définit la clause. L'article 4, paragraphe 1, de"
        " cette directive précise :",
        [("eu:celex:31993L0013", "art-3"), ("eu:celex:31993L0013", "art-4")],
    ),
    (
        "Le règlement (UE) 2016/679 s'applique. L'article 21 du même règlement dispose",
        [("eu:celex:32016R0679", ""), ("eu:celex:32016R0679", "art-21")],
    ),
]
ROUND11_B24_NEGATIVES = [
    "la loi des 3 et 4 mai 2020",  # not a two-date text of the Revolution
    "le règlement intérieur 2019/2020",  # a short name only for a directive
    "Sous le n° 2101185, la société demande au tribunal administratif",
    "rendue par le tribunal le 3 mars 2020",
    "L'article 5 de cette directive s'applique",  # no directive cited before
]
ROUND11_B24_GUARDS = [
    # two lois constitutionnelles of that date in the item: which one cannot be told
    (
        "la loi constitutionnelle du 1er mars 2005 (loi constitutionnelle n° 2005-204 du 1er mars"
        " 2005 et loi constitutionnelle n° 2005-205)",
        ["fr:loi:du-2005-03-01", "fr:loi:2005-204", "fr:loi:2005-205"],
    ),
    # « de cette directive » after a regulation: not it
    (
        "Le règlement (UE) 2016/679 s'applique. L'article 5 de cette directive dispose",
        ["eu:celex:32016R0679"],
    ),
    # the bracket holds more than the article: the code alone
    ("le code civil (article 3 du contrat)", ["fr:code:civil"]),
    # a bare number after a code's name without « et » or a comma before it is not an article
    ("l'article 1240 du code civil 455 du code pénal", ["fr:code:civil:1240", "fr:code:penal"]),
]


@pytest.mark.parametrize(("text", "expected"), ROUND11_B24_FORMS)
def test_round11_b24_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROUND11_B24_PINS)
def test_round11_b24_pins(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


@pytest.mark.parametrize("text", ROUND11_B24_NEGATIVES)
def test_round11_b24_negatives(text: str) -> None:
    assert find_references(text) == []


@pytest.mark.parametrize(("text", "expected"), ROUND11_B24_GUARDS)
def test_round11_b24_guards(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 11, last: a code's name with its « de » lost (« code l'éducation », « Code l'énergie »),
# and a list of articles going on after the text the first ones belong to (the QPC formula
# « garantis par les articles 8 de la Déclaration de 1789 et 34 de la Constitution »).
ROUND11_LAST = [
    (
        "en application de l'article L. 719-1 du code l'éducation ;",
        [("fr:code:education:L719-1", "")],
    ),
    ("les missions que lui confie le Code l'énergie", [("fr:code:energie", "")]),
    (
        "garantis par les articles 8 de la Déclaration des droits de l'homme et du citoyen et 34 de"
        " la Constitution",
        [("fr:ddhc", "art-8"), ("fr:constitution", "art-34")],
    ),
]
ROUND11_LAST_GUARDS = [
    ("le code l'exige", []),
    # no article before the first text: « et 3 de la Constitution » is not a list going on
    (
        "la loi n° 78-17 du 6 janvier 1978 et 3 de la Constitution",
        [("fr:loi:78-17", ""), ("fr:constitution", "")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [*ROUND11_LAST, *ROUND11_LAST_GUARDS])
def test_round11_last(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


# Round 12: forms from citation practice (a name after « dite », a bill's name, consumer law's
# EU texts by the names their titles give them, the CSA's and other regulators' numbered acts,
# « Cons. d'État », « QPC n° », a pourvoi in brackets or without « n° », pinpoints « 6-I-5 »,
# « point 11) », « 4 (11) », « 6§1 », ISO lists and editions), then b25's development lines.
ROUND12_FORMS = [
    ("la loi dite Hamon a créé l'action de groupe", [("fr:loi:2014-344", "")]),
    ("la loi dite « Informatique et Libertés »", [("fr:loi:78-17", "")]),
    ("la loi Informatique & Libertés", [("fr:loi:78-17", "")]),
    ("la directive « BRRD » 2014/59/UE", [("eu:celex:32014L0059", "")]),
    ("la loi relative à la consommation", [("fr:loi:2014-344", "")]),
    ("le décret d'application de la loi Consommation", [("fr:loi:2014-344", "")]),
    ("la loi influenceurs", [("fr:loi:2023-451", "")]),
    ("la loi Naegelen sur le démarchage", [("fr:loi:2020-901", "")]),
    ("la loi Spinetta et la loi Eckert", [("fr:loi:78-12", ""), ("fr:loi:2014-617", "")]),
    ("la loi Justice du XXIe siècle", [("fr:loi:2016-1547", "")]),
    ("la loi Climat", [("fr:loi:2021-1104", "")]),
    ("la directive sur les pratiques commerciales déloyales", [("eu:celex:32005L0029", "")]),
    ("la directive sur les actions représentatives", [("eu:celex:32020L1828", "")]),
    ("l'European Accessibility Act", [("eu:celex:32019L0882", "")]),
    ("la directive RELC", [("eu:celex:32013L0011", "")]),
    ("le règlement européen sur la protection des données personnelles",
     [("eu:celex:32016R0679", "")]),
    ("délibération du CSA n° 2011-1 du 4 janvier 2011", [("fr:arcom:2011-1", "")]),
    ("Décision de la Commission des sanctions de l'ACPR n° 2019-01 du 19 mai 2020",
     [("fr:acpr:2019-01", "")]),
    ("la délibération du 21 janvier 2021 (n° 2021-13) de la CRE", [("fr:cre:2021-13", "")]),
    ("la décision de l'Autorité de régulation des communications électroniques et des postes"
     " (ARCEP) n° 2010-1149", [("fr:arcep:2010-1149", "")]),
    ("délibération de la commission nationale de l'informatique et des libertés du 17 septembre"
     " 2020", [("fr:cnil:du-2020-09-17", "")]),
    ("Cons. d'Etat, 10 juill. 2020, n° 434684", [("fr:ce:434684", "")]),
    ("la QPC n° 2021-940 a été tranchée", [("fr:cc:2021-940-QPC", "")]),
    ("Conseil constitutionnel, 20 mai 2021", [("fr:cc:du-2021-05-20", "")]),
    ("Cass. com. 3 mai 2016 (n° 14-24.586)", [("fr:cass:14-24.586", "")]),
    ("Cour de cassation 1re chambre civile 12 juillet 2018 pourvoi 17-20.123",
     [("fr:cass:17-20.123", "")]),
    ("l'arrêt n° 17-20.123 de la Cour de cassation", [("fr:cass:17-20.123", "")]),
    ("l'article 6-I-5 de la LCEN", [("fr:loi:2004-575", "art-6")]),
    ("au sens de l'article 4, point 11), du RGPD", [("eu:celex:32016R0679", "art-4")]),
    ("article 4 (11) RGPD", [("eu:celex:32016R0679", "art-4")]),
    ("Article 28(3) of the GDPR", [("eu:celex:32016R0679", "art-28")]),
    ("l'article 6§1 de la CEDH", [("int:cedh", "art-6")]),
    ("certifiée ISO 9001/14001/45001",
     [("std:iso:9001", ""), ("std:iso:14001", ""), ("std:iso:45001", "")]),
    ("les normes ISO 9001 et 14001", [("std:iso:9001", ""), ("std:iso:14001", "")]),
    ("ISO 9001 v2015", [("std:iso:9001:2015", "")]),
    ("certification ISO 9001-2015", [("std:iso:9001:2015", "")]),
    ("l'article L.217-4 du code de la conso", [("fr:code:consommation:L217-4", "")]),
    ("l'article L. 1111-1 du Code de la santé", [("fr:code:sante-publique:L1111-1", "")]),
    ("article L.621-15 du code monétaire", [("fr:code:monetaire-financier:L621-15", "")]),
]  # fmt: skip
ROUND12_B25_FORMS = [
    ("un pourvoi contre l'arrêt de la cour d'appel de Paris, chambre 2-9, en date du 15 mai 2024,"
     " qui", [("fr:juris:ca-paris:du-2024-05-15", "")]),
    ("L'autre décision a été prononcée le 23 mai 2013 par le Tribunal de grande instance de Paris",
     [("fr:juris:tgi-paris:du-2013-05-23", "")]),
    ("nouveaux articles L.442-1, I, 3°, L.441-17 et L.441-18 du Code de commerce",
     [("fr:code:commerce:L442-1", ""), ("fr:code:commerce:L441-17", ""),
      ("fr:code:commerce:L441-18", "")]),
    ("anciens articles L. 211- 4 et suivants du code de la consommation",
     [("fr:code:consommation:L211-4", "")]),
    ("CA Toulouse, 19 décembre 2016, RG n° 15 - 04497", [("fr:juris:ca-toulouse:15-04497", "")]),
    ("CA PARIS (pôle 5 ch. 4), 20 décembre 2017 : RG n° 13/04879 et n° 13/11192",
     [("fr:juris:ca-paris:13-04879", ""), ("fr:juris:ca-paris:13-11192", "")]),
    ("Jugement du 6 février 2013 -Tribunal de Commerce d'EVRY - RG n° 2009F00727",
     [("fr:juris:tc-evry:2009F00727", "")]),
    ("Dans un arrêt de principe du 20 mai 2020, la Cour de cassation est venue",
     [("fr:cass:du-2020-05-20", "")]),
    ("Ariane Web: Conseil d'État 497392, lecture du 25 juillet 2025", [("fr:ce:497392", "")]),
    ("La seconde ordonnance du 24 avril 2019(3) procède à la refonte du titre IV du livre IV du"
     " code de commerce", [("fr:ordonnance:du-2019-04-24", ""), ("fr:code:commerce", "")]),
    ("La première ordonnance du 24 avril 2019 est relative à l'action en responsabilité",
     [("fr:ordonnance:du-2019-04-24", "")]),
]  # fmt: skip
# « loi Chatel »: two lois; the year next to it, else an item on insurance or tacit renewal
ROUND12_CHATEL = [
    ("La Loi Hamon, associée à la Loi Chatel, a changé les obligations des assureurs.",
     [("fr:loi:2014-344", ""), ("fr:loi:2005-67", "")]),
    ("restée en vigueur jusqu'à la loi Châtel de 2008.", [("fr:loi:2008-3", "")]),
    ("Depuis 2008 et la Loi Chatel, la reconduction tacite des contrats est encadrée.",
     [("fr:loi:2008-3", "")]),
    # neither the year nor the subject tells which: not keyed
    ("les mentions prévues par la loi Chatel.", []),
    ("le projet de loi Chatel sur les assurances", []),
]  # fmt: skip
ROUND12_NEGATIVES = [
    "le projet de loi Climat a été adopté",
    "la proposition de directive relative aux pratiques commerciales déloyales",
    "Le conseil municipal, par délibération n° 2019-1 du 3 mars 2019, a approuvé le budget.",
    "Délibération n° 2019-1 du 3 mars 2019 approuvant le budget primitif",
    "La CNIL rappelle. Décision n° 2019-1 du 3 mars 2019.",
    "Le Conseil d'État a reçu 497392 euros",
    "La Cour de cassation. Cour d'appel de Rouen, n° 21-02009",
    "L'autre décision a été rendue le 23 mai 2013 par le juge",
    "Le tribunal a été saisi le 23 mai 2013 par le Tribunal de grande instance de Paris",
]
ROUND12_GUARDS = [
    ("certifiée ISO 9001 et 1500 clients servis", [("std:iso:9001", "")]),
    ("ISO 9001 et 2015", [("std:iso:9001", "")]),
    ("la loi Hamon n° 2014-344", [("fr:loi:2014-344", "")]),
    # the proposal's own short title in brackets, not the act
    ("Proposition de DIRECTIVE DU PARLEMENT EUROPÉEN ET DU CONSEIL relative aux pratiques"
     " commerciales déloyales (directive sur les pratiques commerciales déloyales)", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [*ROUND12_FORMS, *ROUND12_B25_FORMS])
def test_round12_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROUND12_CHATEL)
def test_round12_chatel(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


@pytest.mark.parametrize("text", ROUND12_NEGATIVES)
def test_round12_negatives(text: str) -> None:
    assert find_references(text) == []


@pytest.mark.parametrize(("text", "expected"), ROUND12_GUARDS)
def test_round12_guards(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


# Round 13: names of texts from general knowledge (watcher/data/refs_aliases.yml), each number,
# date and CELEX checked against stored public text; see tests/data/refs/README.md, round 13.
ROUND13_NAMES = [
    ("La loi NOME de 2010 a ouvert l'accès au nucléaire historique.", "fr:loi:2010-1488"),
    ("les obligations de la loi Sapin 1 sur l'achat d'espace publicitaire", "fr:loi:93-122"),
    ("une entreprise agréée au titre de la loi ESS", "fr:loi:2014-856"),
    ("La loi REEN impose une stratégie numérique responsable aux communes.", "fr:loi:2021-1485"),
    ("la loi dite SREN du 21 mai 2024", "fr:loi:2024-449"),
    ("un essai encadré par la loi Jardé", "fr:loi:2012-300"),
    ("la loi sur le devoir de vigilance des sociétés mères", "fr:loi:2017-399"),
    ("le quota de 40 % de la loi Copé-Zimmermann", "fr:loi:2011-103"),
    ("les heures supplémentaires défiscalisées de la loi TEPA", "fr:loi:2007-1223"),
    ("la loi Garot interdit de jeter les invendus alimentaires", "fr:loi:2016-138"),
    ("les opérateurs soumis au règlement EUDR", "eu:celex:32023R1115"),
    ("le règlement européen sur la déforestation importée", "eu:celex:32023R1115"),
    ("les objectifs de contenu recyclé du PPWR", "eu:celex:32025R0040"),
    ("le conseil requis par la directive sur la distribution d'assurances", "eu:celex:32016L0097"),
    ("la directive « DDA »", "eu:celex:32016L0097"),
    ("le bouchon attaché imposé par la directive plastiques à usage unique", "eu:celex:32019L0904"),
    ("les sites classés au titre de la directive Seveso III", "eu:celex:32012L0018"),
    ("les objectifs de la directive-cadre sur l'eau", "eu:celex:32000L0060"),
    ("la hiérarchie de la directive-cadre sur les déchets", "eu:celex:32008L0098"),
    ("les installations relevant de la directive IED", "eu:celex:32010L0075"),
    ("le document d'informations clés du règlement PRIIPs", "eu:celex:32014R1286"),
    ("la directive sur la transparence des rémunérations", "eu:celex:32023L0970"),
    ("la directive sur l'aménagement du temps de travail", "eu:celex:32003L0088"),
    ("la garantie légale de la directive vente de biens", "eu:celex:32019L0771"),
    ("la directive relative aux contenus numériques", "eu:celex:32019L0770"),
    ("la directive sur le droit à la réparation", "eu:celex:32024L1799"),
    ("le portefeuille d'identité prévu par eIDAS 2.0", "eu:celex:32024R1183"),
    ("la directive CCD2 sur le crédit aux consommateurs", "eu:celex:32023L2225"),
    ("les critères de durabilité de la directive RED II", "eu:celex:32018L2001"),
    ("une machine au sens du règlement machines", "eu:celex:32023R1230"),
    ("l'étiquetage exigé par le règlement cosmétiques", "eu:celex:32009R1223"),
    ("la classe IIa du règlement relatif aux dispositifs médicaux", "eu:celex:32017R0745"),
    ("le règlement relatif aux dispositifs médicaux de diagnostic in vitro", "eu:celex:32017R0746"),
    ("le marquage de la directive équipements radioélectriques", "eu:celex:32014L0053"),
    ("la directive relative à la sécurité générale des produits", "eu:celex:32001L0095"),
    ("le règlement GPSR s'applique depuis le 13 décembre 2024", "eu:celex:32023R0988"),
    ("the UCPD blacklist", "eu:celex:32005L0029"),
    ("la directive sur les droits des consommateurs", "eu:celex:32011L0083"),
    ("la plateforme du règlement ODR", "eu:celex:32013R0524"),
    ("la transposition de l'AVMSD", "eu:celex:32010L0013"),
    ("la loi Lurel sur la régulation économique outre-mer", "fr:loi:2012-1270"),
    ("la loi marché du travail", "fr:loi:2022-1598"),
    ("la loi pour le plein emploi", "fr:loi:2023-1196"),
    ("la loi sur le partage de la valeur", "fr:loi:2023-1107"),
    ("le passeport de prévention de la loi Santé au travail", "fr:loi:2021-1018"),
    ("Le décret tertiaire s'applique aux bâtiments de plus de 1 000 m².", "fr:decret:2019-771"),
    ("le décret BACS", "fr:decret:2020-887"),
    ("les certificats du règlement MACF", "eu:celex:32023R0956"),
    ("la directive emballages, abrogée en 2025", "eu:celex:31994L0062"),
    ("le droit de citation de la directive InfoSoc", "eu:celex:32001L0029"),
    ("les quotas gratuits de la directive SEQE-UE", "eu:celex:32003L0087"),
    ("la directive RoHS 2", "eu:celex:32011L0065"),
    ("l'article 16 du règlement DSA", "eu:celex:32022R2065"),
]  # fmt: skip

# Names of several texts, or words that are not names when bare: nothing.
ROUND13_NEGATIVES = [
    "la loi Sapin a encadré l'achat d'espace",  # 1993 or 2016
    "la directive basse tension et la directive CEM",  # each replaced an earlier one
    "la directive Machines",  # 2006/42/CE or the 2023 règlement
    "la ville de Nome en Alaska",
    "les acteurs de l'ESS et leurs habitats naturels",
    "le règlement des machines à sous du casino",
    # (« la loi Hadopi 2 », another loi than the loi Hadopi, was here while its number was not
    # confirmed: round 24 reads it as Légifrance's list of lois dites names it, the loi n°
    # 2009-1311, see ROUND24_NAMES)
    "la loi Hadopi 2.0",
]  # fmt: skip


# codes' abbreviations of the Urfist Bordeaux list of recommended abbreviations, and usual variants
ROUND13_CODE_ABBREVS = [
    ("art. L. 121-1 C. énergie", "fr:code:energie:L121-1"),
    ("art. 700 C. proc. civ.", "fr:code:procedure-civile:700"),
    ("art. 529-2 C. proc. pén.", "fr:code:procedure-penale:529-2"),
    ("art. L.521-4 C. ass.", "fr:code:assurances:L521-4"),
    ("art. L. 411-1 C. séc. soc.", "fr:code:securite-sociale:L411-1"),
    ("art. R. 412-6 C. route", "fr:code:route:R412-6"),
    ("art. L. 114-1 C. mut.", "fr:code:mutualite:L114-1"),
    ("art. L. 52-8 C. élect.", "fr:code:electoral:L52-8"),
    ("C. proc. civ. exéc., art. L. 131-1", "fr:code:procedures-civiles-execution:L131-1"),
    ("art. L. 3111-1 CGPPP", "fr:code:propriete-personnes-publiques:L3111-1"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key"), ROUND13_CODE_ABBREVS)
def test_round13_code_abbrevs(text: str, key: str) -> None:
    assert [r.key for r in find_references(text)] == [key]


@pytest.mark.parametrize(("text", "key"), ROUND13_NAMES)
def test_round13_names(text: str, key: str) -> None:
    assert [r.key for r in find_references(text)] == [key]


@pytest.mark.parametrize("text", ROUND13_NEGATIVES)
def test_round13_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 14: forms from citation practice (see tests/data/refs/README.md, round 14).
# (text, [(key, the span's text)])
ROUND14_FORMS = [
    # mojibake: UTF-8 read as Windows-1252 or Latin-10, each pair the letter it stands for
    ("la dĂ©libĂ©ration n° 2019-160 du 21 novembre 2019 de la CNIL",
     [("fr:cnil:2019-160", "dĂ©libĂ©ration n° 2019-160 du 21 novembre 2019 de la CNIL")]),
    ("l'arrĂȘtĂ© du 27 fĂ©vrier 2020",
     [("fr:arrete:du-2020-02-27", "arrĂȘtĂ© du 27 fĂ©vrier 2020")]),
    ("le dÃ©cret nÂ° 2013-1196", [("fr:decret:2013-1196", "dÃ©cret nÂ° 2013-1196")]),
    ("Vu le dĂ©cret n° 2020-173 du 27 fĂ©vrier 2020",
     [("fr:decret:2020-173", "dĂ©cret n° 2020-173 du 27 fĂ©vrier 2020")]),
    # the publishers' databases: « Cour d'appel, <city>, <chamber>, <date> – n° <RG> »
    ("Cour d'appel, Paris, Pôle 5, chambre 4, 25 Mai 2022 – n° 20/05430",
     [("fr:juris:ca-paris:20-05430",
       "Cour d'appel, Paris, Pôle 5, chambre 4, 25 Mai 2022 – n° 20/05430")]),
    ("Cour d'appel, Versailles, 12e chambre, 3 mars 2020, n° 18/01234",
     [("fr:juris:ca-versailles:18-01234",
       "Cour d'appel, Versailles, 12e chambre, 3 mars 2020, n° 18/01234")]),
    # an EU court's case number right after « arrêt »
    ("l'arrêt C-311/18 de la CJUE", [("eu:case:C-311/18", "C-311/18")]),
    ("dans l'arrêt T-612/17 Google Shopping", [("eu:case:T-612/17", "T-612/17")]),
    # a bare EN number after « selon »
    ("gants testés selon EN 388", [("std:en:388", "EN 388")]),
    ("jouets vérifiés selon EN 71", [("std:en:71", "EN 71")]),
    # a list of names after one plural type word
    ("les lois Egalim 1 et 2", [("fr:loi:2018-938", "lois Egalim 1"), ("fr:loi:2021-1357", "2")]),
    ("les lois Hamon et Macron ont",
     [("fr:loi:2014-344", "lois Hamon"), ("fr:loi:2015-990", "Macron")]),
    ("les lois Hamon, Macron et Sapin II",
     [("fr:loi:2014-344", "lois Hamon"), ("fr:loi:2015-990", "Macron"),
      ("fr:loi:2016-1691", "Sapin II")]),
    ("les lois Grenelle I et II",
     [("fr:loi:2009-967", "lois Grenelle I"), ("fr:loi:2010-788", "II")]),
]  # fmt: skip

ROUND14_NEGATIVES = [
    "le Ministère de l'Économie, São Paulo, ĂLBA",  # real letters, no mojibake pair
    "La cour d'appel, Lundi 5 mars 2022",  # no city
    "SELON EN 2020 LES VENTES",  # a year in capitals
    "selon EN 2020",
    "son arrêt C-12 du bus",
    "les lois Auroux",  # a group of lois named as one
    "les lois Egalim ont",
    "les lois Hamon et Chatel",  # an item the table does not key alone
    "les lois Hamon et 2 autres",
    "les lois de finances et Hamon",
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND14_FORMS)
def test_round14_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND14_NEGATIVES)
def test_round14_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 14, from b26's development misses, by kind (general forms, not the lines' strings)
ROUND14_B26_FORMS = [
    # a pourvoi at the end of a sentence
    ("Cass. soc., 13 avr. 2022, n° 20-22.977.",
     [("fr:cass:20-22.977", "Cass. soc., 13 avr. 2022, n° 20-22.977")]),
    ("Voir le pourvoi n° 20-22977.", [("fr:cass:20-22.977", "pourvoi n° 20-22977")]),
    # « Cour de Cassation, ch. com. 1ermars 2016 »: an abbreviated chamber, « 1er » glued
    ("Source : Cour de Cassation, ch. com. 1ermars 2016, n°14-22946",
     [("fr:cass:14-22.946", "Cour de Cassation, ch. com. 1ermars 2016, n°14-22946")]),
    # regulators' full names in any case of their words
    ("Dans sa décision du 5 novembre 2025, la Commission des sanctions de l'Autorité des "
     "Marchés Financiers a condamné",
     [("fr:amf:du-2025-11-05", "décision du 5 novembre 2025, la Commission des sanctions de "
       "l'Autorité des Marchés Financiers")]),
    ("la délibération n° 2021-026 de la Commission Nationale de l'Informatique et des Libertés",
     [("fr:cnil:2021-026", "délibération n° 2021-026 de la Commission Nationale de "
       "l'Informatique et des Libertés")]),
    # « [nouveau] » between a code's article and the code, as a bill's tables write it
    ("article L. 121-92-1 [nouveau] du code de la consommation",
     [("fr:code:consommation:L121-92-1",
       "article L. 121-92-1 [nouveau] du code de la consommation")]),
    # « l'article 192 modifié du décret … »: the pinpoint kept
    ("l'article 192 modifié du décret n° 2012-1246 du 7 novembre 2012",
     [("fr:decret:2012-1246#art-192",
       "article 192 modifié du décret n° 2012-1246 du 7 novembre 2012")]),
]  # fmt: skip

ROUND14_B26_NEGATIVES = [
    "les filières de l'économie circulaire du 10 février 2020 au 3 mars",
    "Cour de cassation, chambre sociale 14 octobre 2015",  # a title, then a date on its own
]

ROUND14_B26_GUARDS = [
    # « modifié par » another text: the article is not that text's
    ("l'article 5 modifié par le décret n° 2020-173 du 27 février 2020",
     [("fr:decret:2020-173", "décret n° 2020-173 du 27 février 2020")]),
    ("la circulaire du 10 février 2020", [("fr:circulaire:du-2020-02-10",
                                          "circulaire du 10 février 2020")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND14_B26_FORMS + ROUND14_B26_GUARDS)
def test_round14_b26_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND14_B26_NEGATIVES)
def test_round14_b26_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 15: forms from citation practice (see tests/data/refs/README.md, round 15).
# (text, [(key, the span's text)])
ROUND15_FORMS = [
    # « SAN-… » sanctions: the AMF's when its commission des sanctions is named in the citation
    # or right before it (the CNIL's otherwise); « form. restr. »; a number after the date
    ("Décision de la Commission des sanctions de l'AMF n° SAN-2021-15 du 18 novembre 2021",
     [("fr:amf:SAN-2021-15",
       "Décision de la Commission des sanctions de l'AMF n° SAN-2021-15")]),
    ("la Commission des sanctions de l'AMF, dans sa décision SAN-2021-15, a",
     [("fr:amf:SAN-2021-15", "décision SAN-2021-15")]),
    ("Décision n° SAN-2021-15 de la commission des sanctions de l'Autorité des marchés financiers",
     [("fr:amf:SAN-2021-15", "Décision n° SAN-2021-15 de la commission des sanctions de "
       "l'Autorité des marchés financiers")]),
    ("AMF, décision du 18 mars 2020, n° SAN-2020-03",
     [("fr:amf:SAN-2020-03", "décision du 18 mars 2020, n° SAN-2020-03")]),
    ("CNIL, form. restr., 21 janv. 2019, n° SAN-2019-001",
     [("fr:cnil:SAN-2019-001", "CNIL, form. restr., 21 janv. 2019, n° SAN-2019-001")]),
    # a sanction's number alone, in an item naming its body (and not the other)
    ("La CNIL a infligé une amende de 150 millions d'euros (SAN-2021-023).",
     [("fr:cnil:SAN-2021-023", "SAN-2021-023")]),
    ("CNIL, formation restreinte, SAN-2022-009, 15 avril 2022",
     [("fr:cnil:SAN-2022-009", "SAN-2022-009")]),
    # the ART's and the ARCEP's numbers until 2008, the ART by its full name
    ("la décision n° 06-0160 de l'ARCEP du 6 avril 2006",
     [("fr:arcep:06-0160", "décision n° 06-0160 de l'ARCEP")]),
    ("décision n° 05-0277 de l'Autorité de régulation des télécommunications",
     [("fr:arcep:05-0277",
       "décision n° 05-0277 de l'Autorité de régulation des télécommunications")]),
    # the ACPR's collège decisions
    ("ACPR, décision n° 2020-C-15", [("fr:acpr:2020-C-15", "décision n° 2020-C-15")]),
    ("la décision du collège de supervision n° 2013-C-50 de l'ACPR",
     [("fr:acpr:2013-C-50", "décision du collège de supervision n° 2013-C-50 de l'ACPR")]),
    # the CNIL's formal notices, numbered « MED-… »
    ("la décision n° MED-2019-013 du 19 juillet 2019 de la présidente de la CNIL",
     [("fr:cnil:MED-2019-013",
       "décision n° MED-2019-013 du 19 juillet 2019 de la présidente de la CNIL")]),
    ("La CNIL a adressé une mise en demeure n° MED-2019-013 à la société",
     [("fr:cnil:MED-2019-013", "MED-2019-013")]),
    # a regulator's recommandation by date, its body in the citation or right after it
    ("la recommandation de la CNIL du 17 septembre 2020",
     [("fr:cnil:du-2020-09-17", "recommandation de la CNIL du 17 septembre 2020")]),
    ("Par une recommandation du 3 mars 2021, la CNIL a précisé",
     [("fr:cnil:du-2021-03-03", "recommandation du 3 mars 2021, la CNIL")]),
    # standards: a list going on with bare numbers of European standards, ranges both ends
    ("les normes NF EN 1176 et 1177", [("std:nf-en:1176", "NF EN 1176"),
                                       ("std:nf-en:1177", "1177")]),
    ("les normes EN 1176-1 à 1176-7", [("std:en:1176-1", "EN 1176-1"),
                                       ("std:en:1176-7", "1176-7")]),
    ("sols conformes aux normes EN 1176/1177.", [("std:en:1176", "EN 1176"),
                                                 ("std:en:1177", "1177")]),
    # a body joined to its number by a hyphen after a cue; a bare DTU
    ("Société certifiée ISO-9001:2015 depuis 2010",
     [("std:iso:9001:2015", "ISO-9001:2015")]),
    ("jouet conforme à la norme EN-71", [("std:en:71", "EN-71")]),
    ("Les travaux respectent le DTU 20.1.", [("std:dtu:20.1", "DTU 20.1")]),
    # an ETSI standard's version instead of a cue; an edition « d'août 2017 »
    ("EN 303 645 V2.1.1 (2020-06)", [("std:en:303645", "EN 303 645")]),
    ("la norme NF X46-020 d'août 2017", [("std:nf:x46-020:2017", "NF X46-020 d'août 2017")]),
    ("certifiée ISO 9001, version 2015.", [("std:iso:9001:2015", "ISO 9001, version 2015")]),
    ("la norme ISO 14001 édition 2015", [("std:iso:14001:2015", "ISO 14001 édition 2015")]),
    # names and titles (each checked against the text's number in stored public text)
    ("la loi relative à la lutte contre le gaspillage et à l'économie circulaire impose",
     [("fr:loi:2020-105",
       "loi relative à la lutte contre le gaspillage et à l'économie circulaire")]),
    ("la loi Bourquin permet de résilier", [("fr:loi:2017-203", "loi Bourquin")]),
    ("les lois Hamon et Bourquin", [("fr:loi:2014-344", "lois Hamon"),
                                    ("fr:loi:2017-203", "Bourquin")]),
    ("la loi Élan", [("fr:loi:2018-1021", "loi Élan")]),
    ("la loi portant réforme du crédit à la consommation",
     [("fr:loi:2010-737", "loi portant réforme du crédit à la consommation")]),
    ("la loi relative à la croissance et la transformation des entreprises",
     [("fr:loi:2019-486",
       "loi relative à la croissance et la transformation des entreprises")]),
    ("la loi pour l'accès au logement et un urbanisme rénové",
     [("fr:loi:2014-366", "loi pour l'accès au logement et un urbanisme rénové")]),
    ("la loi sur la confiance dans l'économie numérique",
     [("fr:loi:2004-575", "loi sur la confiance dans l'économie numérique")]),
    ("la CSRD impose un rapport de durabilité", [("eu:celex:32022L2464", "CSRD")]),
    ("le règlement sur la gouvernance des données",
     [("eu:celex:32022R0868", "règlement sur la gouvernance des données")]),
    ("la directive Whistleblowing", [("eu:celex:32019L1937", "directive Whistleblowing")]),
    ("la loi relative à l'emploi de la langue française",
     [("fr:loi:94-665", "loi relative à l'emploi de la langue française")]),
    ("la loi visant à encadrer l'influence commerciale a créé",
     [("fr:loi:2023-451", "loi visant à encadrer l'influence commerciale")]),
    ("la loi d'accélération des énergies renouvelables",
     [("fr:loi:2023-175", "loi d'accélération des énergies renouvelables")]),
    ("la directive sur la médiation de la consommation",
     [("eu:celex:32013L0011", "directive sur la médiation de la consommation")]),
    ("la directive e-Privacy", [("eu:celex:32002L0058", "directive e-Privacy")]),
]  # fmt: skip

ROUND15_NEGATIVES = [
    "SAN-2021-023",  # no body named
    "La CNIL et l'AMF : SAN-2021-023",  # both bodies named
    "le lot MED-2019-013",  # no body named
    "la décision n° 06-0160",  # the ARCEP's numbering, no body named
    "la CNIL, décision n° 06-0160",  # not the ARCEP
    "l'ART a publié la décision n° 2019-123",  # « ART »: the transport regulator's acronym
    "la décision n° 2020-C-15",  # the ACPR's numbering, no body named
    "la recommandation de la Commission du 11 février 2003",  # the European Commission's
    "la CNIL a publié une recommandation du 3 mars 2021",  # the body not in the citation
    "encodage ISO-8859-1",  # a character set, no cue
    "certifié ISO-400",  # a camera sensitivity
    "la norme EN-2020",  # a year
    "l'université DTU 2023",  # not a DTU number
]

ROUND15_GUARDS = [
    ("les normes ISO 9001 à 14001", [("std:iso:9001", "ISO 9001")]),  # no range of ISO numbers
    # a number after its name is one more reference, as the labels count them
    ("la directive (UE) 2022/2464 (CSRD)", [("eu:celex:32022L2464", "directive (UE) 2022/2464"),
                                            ("eu:celex:32022L2464", "CSRD")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND15_FORMS + ROUND15_GUARDS)
def test_round15_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND15_NEGATIVES)
def test_round15_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 15, from b27's development misses, by kind (general forms, not the lines' strings)
ROUND15_B27_FORMS = [
    # a CNIL or CSA délibération of before 2000, its year in two digits, and a list of them
    ("Délibération n° 80-10 du 1er avril 1980 portant adoption d'une recommandation",
     [("fr:deliberation:80-10", "Délibération n° 80-10")]),
    ("Délibération n° 97-008 du 4 février 1997 de la CNIL",
     [("fr:cnil:97-008", "Délibération n° 97-008 du 4 février 1997 de la CNIL")]),
    ("les délibérations n° 81-16 du 17 février 1981 et n° 81-117 du 1er décembre 1981",
     [("fr:deliberation:81-16", "délibérations n° 81-16"), ("fr:deliberation:81-117", "81-117")]),
    # a classification index with a part, an edition « de <month> <year> », « v2013 » glued
    ("la norme NF P 11-213-3 de mars 2005", [("std:nf:p11-213-3:2005",
                                              "NF P 11-213-3 de mars 2005")]),
    ("l'installation suit la NF C 15-100-07", [("std:nf:c15-100-07", "NF C 15-100-07")]),
    ("certifiés ISO 27001v2013 et ISO 20000-1 v2012",
     [("std:iso:27001:2013", "ISO 27001v2013"), ("std:iso:20000-1:2012", "ISO 20000-1 v2012")]),
    # OHSAS, a CENELEC harmonisation document after a « norme » cue
    ("la certification OHSAS 18001", [("std:ohsas:18001", "OHSAS 18001")]),
    ("la norme BS OHSAS 18001", [("std:bs-ohsas:18001", "BS OHSAS 18001")]),
    ("la norme européenne HD 384", [("std:hd:384", "HD 384")]),
    # « la loi Badinter » with its year or in an item on road accidents
    ("la loi Badinter de 1985", [("fr:loi:85-677", "loi Badinter")]),
    ("la loi Badinter indemnise les victimes d'accidents de la circulation",
     [("fr:loi:85-677", "loi Badinter")]),
    # « dite » without comma: one reference; a name in brackets after a dated loi keys it
    ("la loi du 5 juillet 1985 dite loi Badinter",
     [("fr:loi:85-677", "loi du 5 juillet 1985 dite loi Badinter")]),
    ("la loi du 24 mars 2014 (Alur) a modifié", [("fr:loi:2014-366",
                                                   "loi du 24 mars 2014 (Alur)")]),
    ("la loi de modernisation de notre système de santé",
     [("fr:loi:2016-41", "loi de modernisation de notre système de santé")]),
    # code articles: « R.* », an ordinal alinéa, « Code commerce »; « loi X : art. N »
    ("article R.* 366-5 du code de la construction et de l'habitation",
     [("fr:code:construction-habitation:R*366-5",
       "article R.* 366-5 du code de la construction et de l'habitation")]),
    ("art. L145-4 3ème alinéa du code de commerce",
     [("fr:code:commerce:L145-4", "art. L145-4 3ème alinéa du code de commerce")]),
    ("l'article L145-4 du Code commerce", [("fr:code:commerce:L145-4",
                                            "article L145-4 du Code commerce")]),
    ("loi ALUR : art. 14", [("fr:loi:2014-366#art-14", "loi ALUR : art. 14")]),
    # « la loi de 1989 » on a rental page, « la loi de 1965 » on a co-ownership one
    ("le bailleur doit respecter la loi de 1989", [("fr:loi:89-462", "loi de 1989")]),
    ("le locataire (Loi 1989)", [("fr:loi:89-462", "Loi 1989")]),
    ("le syndic applique la loi de 1965", [("fr:loi:65-557", "loi de 1965")]),
    # a text's date with a two-digit year, slashes only
    ("Arrêté du 14/06/17 relatif aux", [("fr:arrete:du-2017-06-14", "Arrêté du 14/06/17")]),
    ("le décret du 3/2/99", [("fr:decret:du-1999-02-03", "décret du 3/2/99")]),
]  # fmt: skip

ROUND15_B27_NEGATIVES = [
    "la délibération n° 98-12 du conseil municipal",  # a local authority's
    "décision n° 89-256",  # a two-digit year only for a délibération
    "écran HD 1080",  # no « norme » cue
    "la loi Badinter",  # two lois: nothing tells which
    "la loi Badinter de 1981 abolissant la peine de mort",  # the other one, not in the table
    "le projet de « loi Macron »",  # a bill
    "le code commerce électronique",  # not the code de commerce
    "la loi de 1989 sur le surendettement",  # not a rental page
    "une association loi 1901",  # not in the table
    "le 14/06/17 à 10h",  # a date, no text
    "la version 1/2/3 du logiciel",
]

ROUND15_B27_GUARDS = [
    ("la loi du 18 mars 2014 (Hamon)", [("fr:loi:du-2014-03-18", "loi du 18 mars 2014")]),
    # an aside with a comma stays two references (test_issue_18_vectors)
    ("la loi du 2 avril 1947, dite loi Bichet",
     [("fr:loi:47-585", "loi du 2 avril 1947"), ("fr:loi:47-585", "loi Bichet")]),
    ("Article 197, alinéas 2 et 3 du code de procédure pénale",
     [("fr:code:procedure-penale:197", "Article 197, alinéas 2 et 3 du code de procédure pénale")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND15_B27_FORMS + ROUND15_B27_GUARDS)
def test_round15_b27_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND15_B27_NEGATIVES)
def test_round15_b27_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 16: forms from citation practice (a court registry's « n° RG », a high court's number
# after its date)
ROUND16_FORMS = [
    # « n° RG » (the order of a cour d'appel's or tribunal's header) after the date
    ("CA Paris, pôle 5, ch. 11, 12 mai 2022, n° RG 20/01234",
     [("fr:juris:ca-paris:20-01234", "CA Paris, pôle 5, ch. 11, 12 mai 2022, n° RG 20/01234")]),
    ("Tribunal judiciaire de Lyon, 3 mars 2022, n° RG 21/12345",
     [("fr:juris:tj-lyon:21-12345", "Tribunal judiciaire de Lyon, 3 mars 2022, n° RG 21/12345")]),
    ("TJ Paris, 3 mars 2022, n° RG 21/12345",
     [("fr:juris:tj-paris:21-12345", "TJ Paris, 3 mars 2022, n° RG 21/12345")]),
    # a high court's number after its date, in brackets or after a comma
    ("l'arrêt du Conseil d'État du 19 juin 2020 (n° 430810)",
     [("fr:ce:430810", "arrêt du Conseil d'État du 19 juin 2020 (n° 430810")]),
    ("dans une décision du Conseil d'État du 19 juin 2020, n° 430810, la CNIL",
     [("fr:ce:430810", "décision du Conseil d'État du 19 juin 2020, n° 430810")]),
    ("le Conseil d'État, dans sa décision du 19 juin 2020 (req. n° 430810)",
     [("fr:ce:430810", "Conseil d'État, dans sa décision du 19 juin 2020 (req. n° 430810")]),
    ("la décision du Conseil constitutionnel du 29 décembre 2013 (n° 2013-685 DC)",
     [("fr:cc:2013-685-DC", "n° 2013-685 DC")]),
    ("le Conseil constitutionnel, dans sa décision du 29 décembre 2013 (n° 2013-685 DC), a jugé",
     [("fr:cc:2013-685-DC", "n° 2013-685 DC")]),
]  # fmt: skip

ROUND16_NEGATIVES = [
    "N° RG : à compléter",
]

ROUND16_GUARDS = [
    ("la décision du Conseil constitutionnel du 29 décembre 2013",
     [("fr:cc:du-2013-12-29", "décision du Conseil constitutionnel du 29 décembre 2013")]),
    ("l'arrêt du Conseil d'État du 19 juin 2020 a jugé",
     [("fr:ce:du-2020-06-19", "arrêt du Conseil d'État du 19 juin 2020")]),
    ("Cour d'appel de Paris, 12 mai 2022, RG n° 20/01234",
     [("fr:juris:ca-paris:20-01234", "Cour d'appel de Paris, 12 mai 2022, RG n° 20/01234")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND16_FORMS + ROUND16_GUARDS)
def test_round16_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND16_NEGATIVES)
def test_round16_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 16, from b28's development misses, by kind (general forms, not the lines' strings)
ROUND16_B28_FORMS = [
    # the payment services directives by their French names, alone
    ("la DSP2 impose une authentification forte", [("eu:celex:32015L2366", "DSP2")]),
    ("la DSP 2 a remplacé la DSP 1",
     [("eu:celex:32015L2366", "DSP 2"), ("eu:celex:32007L0064", "DSP 1")]),
    ("NIS2 s'applique aux entités essentielles", [("eu:celex:32022L2555", "NIS2")]),
    # a list of pourvois, each with its letter
    ("les pourvois n° S 22-21.562 et F 22-24.197 contre deux arrêts",
     [("fr:cass:22-21.562", "pourvois n° S 22-21.562"), ("fr:cass:22-24.197", " et F 22-24.197")]),
    ("Cassation commerciale, 3 mai 2016, n° 14-24.586",
     [("fr:cass:14-24.586", "Cassation commerciale, 3 mai 2016, n° 14-24.586")]),
    ("contre deux arrêts rendus le 3 mars 2021 par la cour d'appel de Lyon",
     [("fr:juris:ca-lyon:du-2021-03-03",
       "arrêts rendus le 3 mars 2021 par la cour d'appel de Lyon")]),
    # a lower court's number in brackets after « par un arrêt du … »
    ("la cour administrative d'appel de Nantes a jugé, par un arrêt du 2 juillet 2021 (req. n° "
     "20NT02159), que",
     [("fr:juris:caa-nantes:20NT02159", "cour administrative d'appel de Nantes a jugé, par un "
       "arrêt du 2 juillet 2021 (req. n° 20NT02159)")]),
    # spaces for a sanction number's hyphens; « EN NF » for NF EN; an apostrophe lost
    ("Délibération SAN 2022 009 du 15 avril 2022",
     [("fr:cnil:SAN-2022-009", "Délibération SAN 2022 009")]),
    ("selon la norme EN NF 1176-1", [("std:nf-en:1176-1", "EN NF 1176-1")]),
    ("la déclaration des droits de lhomme et du citoyen",
     [("fr:ddhc", "déclaration des droits de lhomme et du citoyen")]),
    # « loi Chatel » in an item giving 2008 and not 2005
    ("La loi Chatel a changé les relations entre opérateurs et abonnés ; elle a été promulguée "
     "le 3 janvier 2008.", [("fr:loi:2008-3", "loi Chatel")]),
    # a code-numbered article, the one code its sentence names after it
    ("l'article L. 3323-3-1 viendra compléter les dispositions du Code de la santé publique.",
     [("fr:code:sante-publique:L3323-3-1", "article L. 3323-3-1"),
      ("fr:code:sante-publique", "Code de la santé publique")]),
    ("un nouvel article L. 3323-3-1 dans le code de la santé publique",
     [("fr:code:sante-publique:L3323-3-1",
       "article L. 3323-3-1 dans le code de la santé publique")]),
    # the article it became between commas (the Cour de cassation's wording since 2016)
    ("Vu l'article 1134, devenu 1103, du code civil",
     [("fr:code:civil:1134", "article 1134, devenu 1103, du code civil"),
      ("fr:code:civil:1103", "article 1134, devenu 1103, du code civil")]),
    ("Il résulte des articles 1382, devenu 1240, et 1251, devenu 1346, du code civil, que",
     [("fr:code:civil:1382", "articles 1382"),
      ("fr:code:civil:1240", "articles 1382, devenu 1240, et 1251, devenu 1346, du code civil"),
      ("fr:code:civil:1346", "articles 1382, devenu 1240, et 1251, devenu 1346, du code civil"),
      ("fr:code:civil:1251", "1251, devenu 1346, du code civil")]),
    ("l'ancien article L. 442-6, I, 5°, devenu l'article L. 442-1, II, C. com.",
     [("fr:code:commerce:L442-6",
       "article L. 442-6, I, 5°, devenu l'article L. 442-1, II, C. com."),
      ("fr:code:commerce:L442-1",
       "article L. 442-6, I, 5°, devenu l'article L. 442-1, II, C. com.")]),
]  # fmt: skip

ROUND16_B28_NEGATIVES = [
    "dsp2 = 1",  # lower case: a variable
    "la délibération SAN 2022 09",  # two digits after a space: not read
]

ROUND16_B28_GUARDS = [
    # another code's own article after it: the first article keeps no code
    ("(Loi du 3 juillet 1985 – art. L 122-4, et Code pénal art. 425)",
     [("fr:loi:du-1985-07-03", "Loi du 3 juillet 1985"),
      ("fr:code:penal:425", "Code pénal art. 425")]),
    # two codes after it: none
    ("l'article L. 121-1 s'applique, le code de commerce et le code de la consommation",
     [("fr:code:commerce", "code de commerce"),
      ("fr:code:consommation", "code de la consommation")]),
    # the next sentence's code: none
    ("l'article L. 121-1 s'applique. Le code de commerce aussi.",
     [("fr:code:commerce", "code de commerce")]),
    # « loi Chatel » with both years in the item: not told
    ("la loi Chatel de janvier 2005, modifiée en 2008", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND16_B28_FORMS + ROUND16_B28_GUARDS)
def test_round16_b28_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND16_B28_NEGATIVES)
def test_round16_b28_negatives(text: str) -> None:
    assert find_references(text) == []


# Round 17 (issue 18): families of b29's and b30's development misses, each checked on other
# real text first; the vectors are copied from that text (public GitHub files found with the
# code index, stored public pages), not from the development lines, unless said.
ROUND17_FORMS = [
    # the publishers' code abbreviations in lower case (an HR publisher's text in a public
    # repository: « (c. trav. art. L. 1222-9) », « (c. séc. soc. art. R. 331-5, renvoyant à c.
    # séc. soc. art. R. 323-10) »)
    ("de convenir d’un recours au télétravail formalisé par tout moyen (c. trav. art. L. "
     "1222-9).",
     [("fr:code:travail:L1222-9", "c. trav. art. L. 1222-9")]),
    ("lorsque le congé de maternité* débute (c. séc. soc. art. R. 331-5, renvoyant à c. séc. "
     "soc. art. R. 323-10).",
     [("fr:code:securite-sociale:R331-5", "c. séc. soc. art. R. 331-5"),
      ("fr:code:securite-sociale:R323-10", "c. séc. soc. art. R. 323-10")]),
    # a DTU's classification index with two parts (a CSTB document on pdfslide: « DTU 31.2
    # (NF P21-204-1) »; the DTU 43.1's « NF P 84-204-1-1 »), a DTU's number with a hyphen (a
    # public repository: « l'économiste écrit tantôt « NF DTU 20.1 », tantôt « DTU 20-1 » »),
    # the name spelled out (blog-btp.fr: « Le Document Technique Unifié (DTU) 31.2 est … »)
    ("à la norme homologuée NF P 84-204-1-1 de novembre 2004",
     [("std:nf:p84-204-1-1:2004", "NF P 84-204-1-1 de novembre 2004")]),
    ("« NF DTU 20.1 », tantôt « DTU 20-1 », tantôt",
     [("std:nf-dtu:20.1", "NF DTU 20.1"), ("std:dtu:20.1", "DTU 20-1")]),
    ("Le Document Technique Unifié (DTU) 31.2 est une référence incontournable",
     [("std:dtu:31.2", "Document Technique Unifié (DTU) 31.2")]),
    # a corrigendum or an amendment after a slash keeps its year, as the Official Journal's
    # lists of harmonised standards write them; a blank line parts the body's cell from the
    # standard's (b30's development lines 3660, 3661: no other copy of such a list was found)
    ("EN 556-1:2001/AC:2006\n\n15.11.2006",
     [("std:en:556-1:2001/ac:2006", "EN 556-1:2001/AC:2006")]),
    ("CEN\n\n    EN 556-2:2003\n\n    Stérilisation des dispositifs médicaux",
     [("std:en:556-2:2003", "EN 556-2:2003")]),
]  # fmt: skip
ROUND17_DECISION_FORMS = [
    # a list of EU cases with an appeal's « P » (juricaf, an Advocate General's opinion)
    ("Affaires C‑152/19 P et C-165/19 P",
     [("eu:case:C-152/19", "Affaires C‑152/19"), ("eu:case:C-165/19", "C-165/19")]),
    # the Autorité de la concurrence's business-secret decisions (a CA Paris ruling on Livv)
    ("qui bénéficiaient d'une protection au titre du secret des affaires accordée par le "
     "rapporteur général par la décision de classement n° 19-DSA-023 du 14 janvier 2019.",
     [("fr:adlc:19-DSA-023", "n° 19-DSA-023")]),
    # « et notamment son article » in a visa is its own act's, not the last act of its title
    # (b30's development line 3601, an EUR-Lex règlement: no other such visa was found in the
    # stored text in the time; the old code gave art. 68 to the directive 2000/21/CE)
    ("vu le règlement (CE) no 1907/2006 du Parlement européen et du Conseil du 18 décembre 2006 "
     "concernant l’enregistrement, l’évaluation et l’autorisation des substances chimiques, "
     "ainsi que les restrictions applicables à ces substances (REACH), instituant une agence "
     "européenne des produits chimiques, modifiant la directive 1999/45/CE et abrogeant le "
     "règlement (CEE) no 793/93 du Conseil et le règlement (CE) no 1488/94 de la Commission "
     "ainsi que la directive 76/769/CEE du Conseil et les directives 91/155/CEE, 93/67/CEE, "
     "93/105/CE et 2000/21/CE de la Commission (1), et notamment son article 68, paragraphe 1,",
     [("eu:celex:32006R1907#art-68", "règlement (CE) no 1907/2006"),
      ("eu:celex:32006R1907", "REACH"), ("eu:celex:31999L0045", "directive 1999/45/CE"),
      ("eu:celex:31993R0793", "règlement (CEE) no 793/93"),
      ("eu:celex:31994R1488", "règlement (CE) no 1488/94"),
      ("eu:celex:31976L0769", "directive 76/769/CEE"),
      ("eu:celex:31991L0155", "directives 91/155/CEE"), ("eu:celex:31993L0067", "93/67/CEE"),
      ("eu:celex:31993L0105", "93/105/CE"), ("eu:celex:32000L0021", "2000/21/CE")]),
]  # fmt: skip
ROUND17_ARTICLE_FORMS = [
    # « C. » and the code's name in lower case (public repositories: « l'audit est illégal
    # (art. 323-1 C. pénal) », « C. civil art. 1799-1 », « C. consommation art. L121-1 »)
    (
        "Sans cette autorisation, l'audit est illégal (art. 323-1 C. pénal).",
        [("fr:code:penal:323-1", "art. 323-1 C. pénal")],
    ),
    (
        "- C. civil art. 1799-1 + décret 99-658 (garantie de paiement, seuil 12 000",
        [("fr:code:civil:1799-1", "C. civil art. 1799-1"), ("fr:decret:99-658", "décret 99-658")],
    ),
    # a letter glued to a CGI article's number (invoice templates and pages in public
    # repositories: « TVA non applicable, article 293B du CGI »)
    ("TVA non applicable, article 293B du CGI", [("fr:code:impots:293-B", "article 293B du CGI")]),
    (
        "Statut auto entrepreneur, TVA non applicable, article 293B du Code Général des Impôts",
        [("fr:code:impots:293-B", "article 293B du Code Général des Impôts")],
    ),
    # « code civile » (a public repository's letter template)
    (
        "limité ma responsabilité personnelle aux termes des articles 1382, 1383 et 1384 du Code "
        "Civile ainsi que",
        [
            ("fr:code:civil:1382", "articles 1382"),
            ("fr:code:civil:1383", "1383"),
            ("fr:code:civil:1384", "1384 du Code Civile"),
        ],
    ),
    # a range's end written as its last part only (b29's development line 3399: no other copy
    # was found in the stored text; the old code keyed « 3 » as the code's article 3)
    (
        "Les articles R412-43-1 à 3 du Code de la route prévoient des cas d’infractions.",
        [
            ("fr:code:route:R412-43-1", "articles R412-43-1"),
            ("fr:code:route:R412-43-3", "3 du Code de la route"),
        ],
    ),
    # « la loi de 1901 » in an item on associations (pages in public repositories)
    (
        "L'association Le Bélier-Meulson est régie par la loi de 1901.",
        [("fr:loi:du-1901-07-01", "loi de 1901")],
    ),
    (
        "OpenStreetMap France est une association à but non lucratif régie par la loi de 1901 dont "
        "l'objectif est de promouvoir le projet OpenStreetMap",
        [("fr:loi:du-1901-07-01", "loi de 1901")],
    ),
]
ROUND17_MORE_FORMS = [
    # the ruling under appeal, its number and date, then its court (a CAA Paris ruling on
    # juricaf); a judge's order on joined requêtes (b30's development line 3734: no other copy
    # of « nos … » found in the time)
    (
        "1°) d'annuler le jugement n° 1909242 du 31 mars 2021 du tribunal administratif de Paris ;",
        [
            (
                "fr:juris:ta-paris:1909242",
                "jugement n° 1909242 du 31 mars 2021 du tribunal administratif de Paris",
            )
        ],
    ),
    (
        "Par une ordonnance nos 2303004, 2303012 du 22 novembre 2023, le juge des référés du "
        "tribunal administratif de Caen a enjoint",
        [
            (
                "fr:juris:ta-caen:2303004",
                "ordonnance nos 2303004, 2303012 du 22 novembre 2023, le "
                "juge des référés du tribunal administratif de Caen",
            ),
            (
                "fr:juris:ta-caen:2303012",
                "ordonnance nos 2303004, 2303012 du 22 novembre 2023, le "
                "juge des référés du tribunal administratif de Caen",
            ),
        ],
    ),
    # a ruling's heading: court, chamber, ruling and date, no comma (legalis.net)
    (
        "lundi 04 janvier 2010 Tribunal de grande instance de Paris 17ème chambre Jugement du 4 "
        "décembre 2009 JPL-CNFDI / Google Inc",
        [
            (
                "fr:juris:tgi-paris:du-2009-12-04",
                "Tribunal de grande instance de Paris 17ème chambre Jugement du 4 décembre 2009",
            )
        ],
    ),
    # the CFSP's common positions (public repositories on arms-export control)
    (
        "Publication du 27ème rapport annuel sur l'application de la Position commune "
        "2008/944/PESC, encadrant de façon stricte",
        [("eu:celex:32008E0944", "Position commune 2008/944/PESC")],
    ),
    # the AMF's doctrine (a public repository; the AMF's own doctrine page)
    (
        "La position-recommandation AMF DOC-2020-03 subordonne la possibilité",
        [("fr:amf:DOC-2020-03", "position-recommandation AMF DOC-2020-03")],
    ),
    (
        "Position DOC-2013-12 Applicable du 20 septembre 2013 au 7 octobre 2018",
        [("fr:amf:DOC-2013-12", "Position DOC-2013-12")],
    ),
]
ROUND17_ETSI_FORMS = [
    # ETSI's standards, technical specifications and reports (public repositories' comments:
    # « ETSI TS 103 097 V2.2.1 », « ETSI TS 103 636-4 », « ETSI EN 302 637-3   V1.3.0 »); the EN
    # keyed as the European standard, as the labels key « EN 301 549 »
    (
        "Implements security profiles from ETSI TS 103 097 V2.2.1 clause 7.2.",
        [("std:etsi-ts:103097", "ETSI TS 103 097")],
    ),
    (
        "//! ETSI TS 103 636-4, clause 6.3.4 (and the tables therein:",
        [("std:etsi-ts:103636-4", "ETSI TS 103 636-4")],
    ),
    (
        " * CAM                                ETSI EN 302 637-3   V1.3.0 (2018-08)",
        [("std:en:302637-3", "EN 302 637-3")],
    ),
    # « TS 103 848 » alone in an item naming ETSI (b30's development line 3655)
    (
        "Référencée TS 103 848 et développée par le comité technique Cyber de l’Etsi, la "
        "spécification est une adaptation de la norme EN 303 645 portant sur les appareils IoT",
        [("std:etsi-ts:103848", "TS 103 848"), ("std:en:303645", "EN 303 645")],
    ),
]
ROUND17_NAME_FORMS = [
    # the 2008 loi « Chatel » by its title, which tells « la loi Chatel » next to it (b29's
    # development line 3468; the title is the loi's, as vie-publique.fr and Légifrance give it:
    # no other copy of « loi pour le développement … » as a name was found in the time), and
    # « la loi Chatel » on a telecom page (b29's development line 3473: the labels key the 2008
    # loi, whose rules on telecom contracts such pages mean)
    (
        "Également intitulée loi pour le développement de la concurrence au service des "
        "consommateurs, la loi Chatel encadre les relations entre les entreprises prestataires de "
        "services et leurs clients, principalement les particuliers.",
        [
            (
                "fr:loi:2008-3",
                "loi pour le développement de la concurrence au service des consommateurs",
            ),
            ("fr:loi:2008-3", "loi Chatel"),
        ],
    ),
    (
        "La loi Chatel, du nom du ministre qui l’a portée, représente un tournant significatif "
        "dans la relation entre les consommateurs et les fournisseurs de services de "
        "télécommunications en France.",
        [("fr:loi:2008-3", "loi Chatel")],
    ),
    # the AI Act as the French press translates it (public repositories)
    (
        "La loi européenne sur l'IA classe les systèmes d'IA en fonction de leur niveau de risque",
        [("eu:celex:32024R1689", "loi européenne sur l'IA")],
    ),
]
ROUND17_NEGATIVES = [
    "le sec. civ. art. 3",  # not an abbreviation of a code
    # the Spanish « Código Civil » and an item of a list (public repositories)
    "la cita sustantiva de memoria se detecta (C. Civil art. 2005)",
    "    # C. Pénalité de tâche active",
    # (constructed) the government's ordonnance, not a court's order; a sanction body's number,
    # not the AMF's doctrine (a first version of the round read both)
    "En application de l'ordonnance du 25 mars 2020, le tribunal judiciaire de Paris a renvoyé",
    "la commission des sanctions de l'AMF n° 2019-08 a prononcé",
    "le document DOC-2020-03 du projet",  # (constructed) no AMF, no doctrine word
    "ETSI 2020",  # (constructed) the body and a year
    "TS 103 848 sans organisme",  # (constructed) ETSI not named
    "Le présent document technique unifié (DTU) fixe les règles de calcul",  # no number
]
ROUND17_GUARDS = [
    # « la loi dite Chatel » with 2008 in the item (lefrancois-avocat.com): as before
    ("La loi dite Chatel, relative au développement de la concurrence au service des "
     "consommateurs, a été publiée au Journal officiel le 4 janvier 2008.",
     [("fr:loi:2008-3", "loi dite Chatel")]),
    # (constructed) « la loi de 1901 » in an item not on associations: not keyed; a range whose
    # end is not after its start is not completed
    ("la loi de 1901 sur les congrégations", []),
    # (constructed) a court in running text, then another ruling
    ("l'affaire a été renvoyée devant le tribunal judiciaire de Paris, 3e chambre, contre le "
     "jugement du 3 mars 2020", []),
    # a bill by its title is not the loi (dalloz-actualite.fr); « la loi Chatel » with « 2005 »
    # on a telecom page is not told (b29's 3472 says the 2005 loi; corpus.jsonl's line 119 keys
    # nothing for « par la loi Chatel en 2005 »)
    ("Adoption par l’Assemblée nationale du projet de loi pour le développement de la "
     "concurrence au service des consommateurs", []),
    ("La loi Chatel a été mise en place en 2005 pour protéger les consommateurs face aux "
     "pratiques déloyales de certains opérateurs de télécommunication.", []),
    ("articles 1240 à 1242 du code civil",
     [("fr:code:civil:1240", "articles 1240"), ("fr:code:civil:1242", "1242 du code civil")]),
    # the upper-case abbreviations, and « +A1:2009 » (its year not kept, as the labels key it)
    ("collected by URSSAF (C. séc. soc. art. L213-1);",
     [("fr:code:securite-sociale:L213-1", "C. séc. soc. art. L213-1")]),
    ("EN 149:2001+A1:2009", [("std:en:149:2001/a1", "EN 149:2001+A1:2009")]),
    # a body and its standard on one line stay one designation
    ("CEN EN 556-1:2001", [("std:cen-en:556-1:2001", "CEN EN 556-1:2001")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    ROUND17_FORMS
    + ROUND17_DECISION_FORMS
    + ROUND17_ARTICLE_FORMS
    + ROUND17_MORE_FORMS
    + ROUND17_GUARDS,
)
def test_round17_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND17_NEGATIVES)
def test_round17_negatives(text: str) -> None:
    assert find_references(text) == []


# --- Round 18: forms found missing in unlabelled real text (benchmarks/refs_mining.py) ---------
# Each vector is copied from a public repository file (the workplace code index's id in the
# comment) or a stored public page, none of them a source of a labelled line.

ROUND18_CIRCULAIRES = [
    # the Prime Minister as issuer (ids 55175225556, 53889064751; gereso.fr)
    ("Le Pôle open source et communs numériques de la DINUM, qui pilote cette politique depuis "
     "la circulaire du Premier ministre du 27 avril 2021, propose plusieurs ressources",
     [("fr:circulaire:du-2021-04-27", "circulaire du Premier ministre du 27 avril 2021")]),
    ("- [Circulaire du Premier ministre du 5 juillet 2021](https://www.legifrance.gouv.fr/"
     "circulaire/id/45205) — doctrine « cloud au centre »",
     [("fr:circulaire:du-2021-07-05", "Circulaire du Premier ministre du 5 juillet 2021")]),
    ("Source : Circulaire du Premier Ministre du 23 mai 2011, JO du 24",
     [("fr:circulaire:du-2011-05-23", "Circulaire du Premier Ministre du 23 mai 2011")]),
    # « ministérielle », « interministérielle » (ids 42888823191, 59701514592, 62521757011,
    # 70940083724, 7095821694)
    ("\t// cf. circulaire interministérielle du 3 mai 2019 relatives aux commémorations liées à "
     "l’esclavage",
     [("fr:circulaire:du-2019-05-03", "circulaire interministérielle du 3 mai 2019")]),
    ("La circulaire interministérielle du 22 décembre 2025 rehausse l'exigence : au moins 5 % des "
     "actes « non prioritaires » doivent être contrôlés",
     [("fr:circulaire:du-2025-12-22", "circulaire interministérielle du 22 décembre 2025")]),
    ("- **Circulaire interministérielle du 27/04/2026** (recherche des PFAS dans",
     [("fr:circulaire:du-2026-04-27", "Circulaire interministérielle du 27/04/2026")]),
    ("cotisations d'au moins quinze ans (circulaire ministérielle du 3 juillet 2008) ; le tableau",
     [("fr:circulaire:du-2008-07-03", "circulaire ministérielle du 3 juillet 2008")]),
    ("'Circulaire ministérielle du 15/01/2024',",
     [("fr:circulaire:du-2024-01-15", "Circulaire ministérielle du 15/01/2024")]),
]  # fmt: skip
ROUND18_CIRCULAIRE_GUARDS = [
    # the arrêté's qualifiers as before; a préfet's arrêté stays a local act; a date without its
    # year is no date (id 56544010729); a Tunisian minister's arrêté (ids 68731186955,
    # 71434298737) is not read by its feminine
    ("l'arrêté ministériel du 3 mai 2007 relatif aux caractéristiques",
     [("fr:arrete:du-2007-05-03", "arrêté ministériel du 3 mai 2007")]),
    ("un arrêté interministériel du 25 juillet 2018",
     [("fr:arrete:du-2018-07-25", "arrêté interministériel du 25 juillet 2018")]),
    ("par arrêté du préfet du 4 juillet 2022", []),
    ("qui ne se sont pas conformés à la circulaire ministérielle du 7 mai dernier.", []),
    ("3. **Arrêté de la ministre des finances du 14 octobre 2025** fixing the classification", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND18_CIRCULAIRES + ROUND18_CIRCULAIRE_GUARDS)
def test_round18_circulaires(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


ROUND18_NF_EN_SHORT = [
    # « NF EN » and a number of one or two digits: extinguishers' NF EN 3 (ids 53964217455,
    # 55712936409, 52797980401), fire detection's NF EN 54 (ids 53915979511, 54727563467,
    # 68344363708), toys' NF EN 71 (id 70901229832)
    ('    { id:"a1", label:"Vérification extincteurs par technicien agréé '
     '(NF EN 3 / NFS 61-919)" },',
     [("std:nf-en:3", "NF EN 3"), ("std:nf:s61-919", "NFS 61-919")]),
    ("Les extincteurs doivent être conformes à la norme NF EN 3 (appareils portatifs) ou NF EN "
     "1866 (appareils sur roues).",
     [("std:nf-en:3", "NF EN 3"), ("std:nf-en:1866", "NF EN 1866")]),
    ("// Références : Journal Officiel CI — arrêté 2019-231; norme NF EN 54; APSAD R82.",
     [("std:nf-en:54", "NF EN 54")]),
    ("- Normes NF EN 54 (détection incendie)\n- Standards EN 50131 (anti-intrusion)",
     [("std:nf-en:54", "NF EN 54"), ("std:en:50131", "EN 50131")]),
    ("  'NF S 61-950 · NF EN 54',",
     [("std:nf:s61-950", "NF S 61-950"), ("std:nf-en:54", "NF EN 54")]),
    ("Produit certifié conforme à la norme NF EN 71 sur la sécurité des jouets.",
     [("std:nf-en:71", "NF EN 71")]),
]  # fmt: skip
ROUND18_NF_EN_SHORT_GUARDS = [
    # a bare « EN » and two digits still needs its cue (constructed); « DNF en 3 » (a Spanish
    # shell script's message, public repository) is no designation
    ("Une hauteur EN 50 mm", []),
    ("Configuraré las descargas paralelas de DNF en 3 (por defecto) mas adelante.", []),
    ("détecteurs conformes à la norme EN 54", [("std:en:54", "EN 54")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND18_NF_EN_SHORT + ROUND18_NF_EN_SHORT_GUARDS)
def test_round18_nf_en_short_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


ROUND18_CC_TWO_DIGIT_YEARS = [
    # « Cons. const., <date>, n° 71-44 DC »: a decision of before 2000 after its date is one
    # reference (its number's), not a date key as well (ids 51864647373, 52093198017)
    ("- Example: `Cons. const., 16 juil. 1971, n° 71-44 DC`",
     [("fr:cc:71-44-DC", "Cons. const., 16 juil. 1971, n° 71-44 DC")]),
    ("- Example (DC): `Cons. const., 16 juil. 1971, n° 71-44 DC`\n"
     "- Example (QPC): `Cons. const., 28 mai 2010, n° 2010-1 QPC`",
     [("fr:cc:71-44-DC", "Cons. const., 16 juil. 1971, n° 71-44 DC"),
      ("fr:cc:2010-1-QPC", "Cons. const., 28 mai 2010, n° 2010-1 QPC")]),
    # (constructed, the decision's real date and number) the number's year is the referral's,
    # the year before the date's in January; and the number in brackets after the date
    ("Cons. const., 20 janv. 1981, n° 80-127 DC",
     [("fr:cc:80-127-DC", "Cons. const., 20 janv. 1981, n° 80-127 DC")]),
    ("la décision du Conseil constitutionnel du 16 juillet 1971 (n° 71-44 DC)",
     [("fr:cc:71-44-DC", "n° 71-44 DC")]),
]  # fmt: skip
ROUND18_CC_GUARDS = [
    # (constructed) a two-digit number that is not the date's year stays out of the date's key
    ("Cons. const., 16 juillet 1971, 71 personnes",
     [("fr:cc:du-1971-07-16", "Cons. const., 16 juillet 1971")]),
    ("Cons. const., 29 déc. 2013, n° 2013-685 DC",
     [("fr:cc:2013-685-DC", "Cons. const., 29 déc. 2013, n° 2013-685 DC")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND18_CC_TWO_DIGIT_YEARS + ROUND18_CC_GUARDS)
def test_round18_cc_two_digit_years(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


ROUND18_PASSIVE_RULINGS = [
    # a ruling's verb in the passive, the court, then the date (ids 55922750893, 54975313062,
    # 54794612828, 70888603729, 68860910214, 59459407969, 56716551805, 67193228215)
    ("              confirmé par la Cour de Cassation le 26 septembre 2007,\n"
     "              constitue une étape majeure dans la protection des salariés",
     [("fr:cass:du-2007-09-26", "confirmé par la Cour de Cassation le 26 septembre 2007")]),
    ("    //   Culpabilité DÉFINITIVEMENT confirmée par la Cour de cassation le 30 juin 2021",
     [("fr:cass:du-2021-06-30", "confirmée par la Cour de cassation le 30 juin 2021")]),
    (" *   — Pasqua : condamné DÉFINITIVEMENT par la Cour de cassation le 8 avr. 2010 (Casino",
     [("fr:cass:du-2010-04-08",
       "condamné DÉFINITIVEMENT par la Cour de cassation le 8 avr. 2010")]),
    ("rouge « pas en vigueur » au 10 janvier 2023 (annulé par le Conseil d'État le\n"
     "  22 septembre 2022, rétabli en mai 2023).",
     [("fr:ce:du-2022-09-22", "annulé par le Conseil d'État le\n  22 septembre 2022")]),
    ("        vocabulaire sanctionné par le Conseil d'État le 11/02/2025 (n° 491128),",
     [("fr:ce:491128", "sanctionné par le Conseil d'État le 11/02/2025 (n° 491128")]),
    ("dont le recours en excès de pouvoir a été rejeté par le Conseil d'État le 21 novembre 2025.",
     [("fr:ce:du-2025-11-21", "rejeté par le Conseil d'État le 21 novembre 2025")]),
    ("mais la disposition centrale a été censurée par le Conseil constitutionnel le 18 juin 2024.",
     [("fr:cc:du-2024-06-18", "censurée par le Conseil constitutionnel le 18 juin 2024")]),
    ("puis partiellement censurée par le Conseil constitutionnel le 19 juin 2025, qui a annulé",
     [("fr:cc:du-2025-06-19", "censurée par le Conseil constitutionnel le 19 juin 2025")]),
]  # fmt: skip
ROUND18_PASSIVE_GUARDS = [
    # results proclaimed, a date without its year (ids 69386376149, 55123272695); (constructed)
    # a court that referred a case
    ("    'Resultats proclames par le Conseil constitutionnel le 27 octobre 2025.',", []),
    ("puis validée par le Conseil constitutionnel le 30 décembre.**", []),
    ("le préfet a été saisi par le Conseil d'État le 3 mars 2020", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND18_PASSIVE_RULINGS + ROUND18_PASSIVE_GUARDS)
def test_round18_passive_rulings(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


ROUND18_LOWER_COURTS_TITLED = [
    # a ruling's noun, « rendu le <date> par » a lower court whose name is written in title case
    # and its city in capitals (the ruling under appeal in a cour d'appel's heading on juricaf.org;
    # id 376968354), and « Cour d'Appel » in title case (id 55922750893)
    ("Décision déférée à la cour : Jugement rendu le 1er Décembre 2021 par le Tribunal de "
     "Commerce de NANTERRE",
     [("fr:juris:tc-nanterre:du-2021-12-01",
       "rendu le 1er Décembre 2021 par le Tribunal de Commerce de NANTERRE")]),
    ("Jugement rendu le 15 novembre 2023 par le Tribunal de Commerce de Lyon.",
     [("fr:juris:tc-lyon:du-2023-11-15",
       "rendu le 15 novembre 2023 par le Tribunal de Commerce de Lyon")]),
    ("              L'arrêt de la Cour d'Appel de Paris du 18 novembre 2005,\n"
     "              confirmé par la Cour de Cassation le 26 septembre 2007,",
     [("fr:juris:ca-paris:du-2005-11-18", "arrêt de la Cour d'Appel de Paris du 18 novembre 2005"),
      ("fr:cass:du-2007-09-26", "confirmé par la Cour de Cassation le 26 septembre 2007")]),
]  # fmt: skip
ROUND18_LOWER_COURTS_GUARDS = [
    # (constructed) what is rendered must be a ruling; a judgment's number across blank lines
    # (juricaf's cour d'appel de Douai heading) is left: its key would be the number
    ("le service rendu le 3 mars 2020 par le tribunal judiciaire de Paris", []),
    ("Jugement (N° 08/01176)\n\nrendu le 09 Juin 2009\n\npar le Tribunal de Commerce de LILLE", []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), ROUND18_LOWER_COURTS_TITLED + ROUND18_LOWER_COURTS_GUARDS
)
def test_round18_lower_courts_titled(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


ROUND18_PPE_STANDARDS = [
    # a piece of protective equipment, then its European standard's number alone (ids
    # 53867805498, 53821845739, 70199337972, 69596926614, 70697214781, 52484857606)
    ("      ['Gants EN 388 obligatoires', 'Lunettes EN 166 au meulage', 'Ebavurage des coupes']),",
     [("std:en:388", "EN 388"), ("std:en:166", "EN 166")]),
    ("    typicalPPE: ['Casque EN 397', 'Lunettes EN 166', 'Gants EN 388'] },",
     [("std:en:397", "EN 397"), ("std:en:166", "EN 166"), ("std:en:388", "EN 388")]),
    ('"prevention": "Lunettes EN 166 + Bouchons d\'oreilles"}',
     [("std:en:166", "EN 166")]),
    ("Bouchons SNR 28dB lors du découpage de chaussée et lunettes EN 166.</li>",
     [("std:en:166", "EN 166")]),
    ("mes: 'Coordination avec CSPS. Casque EN 397. Respect planning coactivité.'",
     [("std:en:397", "EN 397")]),
    ("desc: 'Manipulation des tôles de couverture et visserie — gants EN 388 niveau 3 minimum",
     [("std:en:388", "EN 388")]),
]  # fmt: skip
ROUND18_PPE_GUARDS = [
    # (constructed) a count or a year after the equipment's noun is no standard
    "les casques vendus EN 300 exemplaires",
    "un gilet EN 2020",
    "des gants EN 12 couleurs",
]


@pytest.mark.parametrize(("text", "expected"), ROUND18_PPE_STANDARDS)
def test_round18_ppe_standards(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND18_PPE_GUARDS)
def test_round18_ppe_guards(text: str) -> None:
    assert find_references(text) == []


ROUND18_ROMAN_SUBDIVISIONS = [
    # the LCEN's article 6, paragraph III, item 1 in legal notices (ids 14037248546, 69271308546,
    # 60343496099, 53799319125, 41857131741): the article keeps its pinpoint
    ("Conformément aux dispositions de l'article 6 III-1 de la loi n° 2004-575 du 21 juin 2004 "
     "pour la confiance dans l'économie numérique,",
     [("fr:loi:2004-575#art-6", "article 6 III-1 de la loi n° 2004-575 du 21 juin 2004")]),
    (" * L'article 6 III-1 de la loi n° 2004-575 du 21 juin 2004 (LCEN) impose à tout",
     [("fr:loi:2004-575#art-6", "article 6 III-1 de la loi n° 2004-575 du 21 juin 2004"),
      ("fr:loi:2004-575", "LCEN")]),
    # (constructed) the item after a comma or a space
    ("article 6, III, 1 de la loi n° 2004-575 du 21 juin 2004",
     [("fr:loi:2004-575#art-6", "article 6, III, 1 de la loi n° 2004-575 du 21 juin 2004")]),
    ("l'article 6 III 1 de la LCEN", [("fr:loi:2004-575#art-6", "article 6 III 1 de la LCEN")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND18_ROMAN_SUBDIVISIONS)
def test_round18_roman_subdivisions(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


ROUND18_TITLES = [
    # lois by their titles alone, as the general web writes them (ids 70753552104, 28193186439,
    # 2544578, 46650410926, 36395541047, 68366834774, 67356289242)
    ("Depuis la loi pour une école de la confiance (2019), le drapeau tricolore",
     [("fr:loi:2019-791", "loi pour une école de la confiance")]),
    ("dans la loi pour la reconquête de la biodiversité, de la nature et des paysages.",
     [("fr:loi:2016-1087",
       "loi pour la reconquête de la biodiversité, de la nature et des paysages")]),
    # (round 29: its acronym in brackets right after it is the same loi)
    ("L’application de la loi d’adaptation de la société au vieillissement (ASV) a entraîné",
     [("fr:loi:2015-1776", "loi d’adaptation de la société au vieillissement"),
      ("fr:loi:2015-1776", "ASV")]),
    ('q:"La Loi ASV (2015) signifie :"', [("fr:loi:2015-1776", "Loi ASV")]),
    ("Les parties sont informées que la loi sur l'eau et les milieux aquatiques fait obligation",
     [("fr:loi:2006-1772", "loi sur l'eau et les milieux aquatiques")]),
    ("- **La loi relative à l'organisation et à la transformation du système de santé** (24 "
     "juillet 2019).",
     [("fr:loi:2019-774",
       "loi relative à l'organisation et à la transformation du système de santé")]),
    ('"description": "Loi portant évolution du logement, de l\'aménagement et du numérique",',
     [("fr:loi:2018-1021",
       "Loi portant évolution du logement, de l'aménagement et du numérique\"")]),
]  # fmt: skip
ROUND18_TITLE_GUARDS = [
    # the bill by its title is not the loi (ids 5175742211, 13427228521)
    "    title: 'projet de loi pour une école de la confiance',",
    "la France a vu le projet de loi pour la reconquête de la biodiversité, de la nature et des "
    "paysages adopté le 20 juillet 2016",
]


@pytest.mark.parametrize(("text", "expected"), ROUND18_TITLES)
def test_round18_titles(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


@pytest.mark.parametrize("text", ROUND18_TITLE_GUARDS)
def test_round18_title_guards(text: str) -> None:
    assert find_references(text) == []


ROUND18_PRESS_LAW = [
    # the loi of 29 July 1881 by its title alone (ids 54519114424, 52973261305, 69498272316,
    # 4666190766): its date is its key, as the loi of 1901's
    ('        "Quel est le but de la loi sur la liberté de la presse en France ?",',
     [("fr:loi:du-1881-07-29", "loi sur la liberté de la presse")]),
    ("dispose d'un droit de réponse en vertu de la loi sur la liberté de la presse et de la LCEN.",
     [("fr:loi:du-1881-07-29", "loi sur la liberté de la presse"), ("fr:loi:2004-575", "LCEN")]),
    ("Elle a notamment modifié la loi sur la liberté de la presse de 1881.",
     [("fr:loi:du-1881-07-29", "loi sur la liberté de la presse")]),
    ("La Révolution industrielle et la loi sur la liberté de la presse du 29 juillet 1881 vont",
     [("fr:loi:du-1881-07-29", "loi sur la liberté de la presse")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND18_PRESS_LAW)
def test_round18_press_law(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.full_key, text[r.start : r.end]) for r in find_references(text)] == expected


# « loi Evin »: two lois, the 1991 one (tobacco, alcohol) and the 1989 one (collective health and
# provident insurance), told from the year next to the name, the number or date of one of them in
# the item, else an item on insurance and not on tobacco, alcohol or advertising. Real sentences:
# development lines of b31 (mavieassurement.gmf.fr 3977, lecoinretraite.fr 3978,
# avocat-robine.fr 3979, francemutuelle.fr 3984) and public repository files (ids 56214710139,
# 68495930051 of the code index).
ROUND19_EVIN = [
    ("L’article 4 de la loi Evin du 31 décembre 1989 a changé les dispositions concernant les "
     "contrats de mutuelle d’entreprise et les départs de salariés (retraite, rupture de contrat, "
     "etc.).",
     [("fr:loi:89-1009", "art-4")]),
    ("La loi Évin, adoptée en 1989, a introduit une innovation majeure en matière de protection "
     "sociale : le maintien de la garantie frais de santé (appelé couramment “mutuelle "
     "d’entreprise”) pour les anciens salariés.",
     [("fr:loi:89-1009", "")]),
    ("La loi Evin du 31 décembre 1989 permet aux anciens salariés de continuer à bénéficier des "
     "garanties dont ils bénéficiaient par la mutuelle santé mise en place au sein de "
     "l’entreprise.",
     [("fr:loi:89-1009", "")]),
    ("Sous le nom de « loi évin », l’opinion publique et la presse entendent le plus souvent "
     "parler d’une loi de 1991 dont l’objectif était de lutter contre la tabagisme",
     [("fr:loi:91-32", "")]),
    ("• Interdiction de fumer sur le chantier (loi Evin)", [("fr:loi:91-32", "")]),
    # nothing in the item tells the 1989 loi: the 1991 one, what the press means
    ("une note de dégustation décrit ce que la bière donne au nez et en bouche : c'est une donnée "
     "produit, pas de la plume, et la loi Evin n'autorise à en parler qu'en termes objectifs.",
     [("fr:loi:91-32", "")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND19_EVIN)
def test_round19_the_two_lois_evin(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


# Round 20 (tests/data/refs/README.md): a text named once in the item, then pointed back to.
# Development lines with the real text before them in their document (their `context`), joined as
# the recogniser gets them: ids 1485, 2509, 3826, 3830, 3833, 3845, 3946, 3955, 3998, 4043, 4099,
# 4123, 4124, 4121 + 4124 (the same file, in order), 4140, 4216, 4264, 4282.
_SS = "@@Code de la sécurité sociale@@\n\n"
_SS_LIST = (
    "Les dispositions des articles L. 512-1 à L. 512-4 , L. 513-1 , L. 521-2 , \nL. 552-1 , "
    "L. 553-1 , L. 553-2 , L. 553-4 , L. 582-1 , L. 582-2 , L. 583-3 \net L. 583-5 sont "
    "applicables aux collectivités mentionnées à l'article L. 751-1 ."
)
_SS_KEYS = [
    ("fr:code:securite-sociale:" + a, "")
    for a in ("L512-1", "L512-4", "L513-1", "L521-2", "L552-1", "L553-1", "L553-2", "L553-4",
              "L582-1", "L582-2", "L583-3", "L583-5", "L751-1")
]  # fmt: skip
ROUND20_ANAPHORA = [
    # « du règlement », « du nouveau règlement »: the one EU regulation named before
    ("Les exceptions prévues par le RÈGLEMENT (UE) 2021/782 DU PARLEMENT EUROPÉEN ET DU CONSEIL "
     "du 29 avril 2021 vident de leur portée concrète les droits des voyageurs ferroviaires qu'il "
     "énonce.\nDeux exemples :\n\n1. les trains Paris-Caen sont des trains qui relient la capitale "
     "à la province, mais sont considérés comme des \"trains régionaux\", qui semblent exemptés "
     "par la France des obligations de dédommagement des voyageurs (article 2.6 du règlement) ;",
     [(C + "32021R0782", ""), (C + "32021R0782", "art-2")]),
    ("En mai 2016, l’Union européenne (UE) a publié le Règlement Général sur la Protection des "
     "Données («RGPD»).\n\nOn trouve la définition des données à caractère personnel à l’article "
     "4, § 1 du nouveau règlement:",
     [(C + "32016R0679", ""), (C + "32016R0679", ""), (C + "32016R0679", "art-4")]),
    # « de ce texte »: the text named last, nothing else named since
    ("Plus récemment, dans un arrêt du 10 septembre 2014(2), le Conseil d’Etat a aussi conforté le "
     "dispositif en jugeant que le droit au compte bancaire, contesté en l’espèce par un "
     "établissement de crédit, ne mettait en cause ni la liberté contractuelle découlant de "
     "l’article 4 de la Déclaration des droits de l’Homme et du citoyen, ni le droit de propriété "
     "protégé par les articles 2 et 17 de ce texte.",
     [("fr:ddhc", "art-4"), ("fr:ddhc", "art-2"), ("fr:ddhc", "art-17")]),
    # « (art. 8) », « (Article 4) »: the one text the item names
    ("Décret n° 2006-352 du 20 mars 2006 relatif aux compléments alimentaires (Lien Legifrance, "
     "JO 25/03/2006, p. 4543)\n\nIl est interdit dans l'étiquetage, la présentation et la "
     "publicité, d'attribuer aux compléments alimentaires des propriétés de prévention, de "
     "traitement ou de guérison d'une maladie humaine (art. 8).",
     [("fr:decret:2006-352", ""), ("fr:decret:2006-352", "art-8")]),
    ("Tout produit cosmétique, mis sur le marché européen, doit être conforme au Règlement "
     "Cosmétique (CE) 1223/2009 adopté en 2009 et entré en vigueur dès 2013.\n\nAvant la mise en "
     "marché de produits cosmétiques sur le marché Européen, il est nécessaire de désigner une "
     "Personne Responsable (Article 4).",
     [(C + "32009R1223", ""), (C + "32009R1223", "art-4")]),
    # an article cited again by its number, after it was cited with its text
    ("En application de l’article 200 du CGI, les sommes versées à des organismes d’intérêt "
     "général et qui correspondent à des dons et versements ouvrent droit à une réduction d’impôt "
     "sur le revenu égale à 66 % de leur montant dans la limite de 20 % du revenu imposable "
     "(au-delà l’excédent est reportable sur 5 ans).\n\nPour justifier des versements auprès du "
     "fisc, les organismes concernés par l’article 200 doivent transmettre au contribuable un "
     "reçu en deux pages, conforme au modèle CERFA 11580*3 (en téléchargement ici).",
     [("fr:code:impots:200", ""), ("fr:code:impots:200", "")]),
    ("## Code civil\n\nLoi n° 2006-728 du 23 juin 2006 article 29 : Une anomalie s'est glissée "
     "lors\nde la rédaction de l'article 29 26°. Il faut lire article 914-1 au lieu de 914-4.",
     [("fr:code:civil", ""), ("fr:loi:2006-728", "art-29"), ("fr:loi:2006-728", "art-29"),
      ("fr:code:civil:914-1", "")]),
    ("Article L1234-1 du Code du travail : ce que prévoit la loi sur le préavis de licenciement\n\n"
     "Mise en vigueur depuis le 1er mai 2008, la disposition L1234-1 n’est pas tombée du ciel.",
     [("fr:code:travail:L1234-1", ""), ("fr:code:travail:L1234-1", "")]),
    # « ce tribunal », « le tribunal administratif »: the court the sentence before named
    ("La société CCM Benchmark Group a demandé au tribunal administratif de Paris d'annuler la "
     "décision par laquelle le ministre de l'éducation nationale, de la jeunesse et des sports a "
     "refusé de lui communiquer les résultats.\n\nPar un jugement n° 2125753 du 13 juillet 2023, "
     "ce tribunal a annulé la décision contestée, enjoint au ministre de communiquer, dans le "
     "délai de deux mois, les documents demandés et rejeté les conclusions aux fins d'astreinte.",
     [("fr:juris:ta-paris:2125753", "")]),
    ("M. A...B...a demandé au tribunal administratif de Rennes d'annuler la décision\ndu 15 "
     "octobre 2014 par laquelle la caisse d'allocations familiales les\nCôtes-d'Armor, après avis "
     "de la commission de recours amiable, a refusé de\nlui accorder le bénéfice de l'aide "
     "personnalisée au logement.\n\nPar un jugement\nn° 1405338 du 4 février 2016, le tribunal "
     "administratif a fait droit à cette\ndemande.",
     [("fr:juris:ta-rennes:1405338", "")]),
    # the Conseil d'État's decision under its name
    ("Conseil d'Etat\n\nDécision du 7 décembre 2017 n° 408379", [("fr:ce:408379", "")]),
    ("En 2020, le Conseil d'Etat a annulé cette pratique (décision n° 442046 du 30/11/2020).",
     [("fr:ce:442046", "")]),
    # a code's own text: « présent livre », its list of articles (« L. 513-1 , L. 521-2 »)
    (_SS + "Lorsque la personne qui assume la charge effective et permanente de l'enfant ne "
     "\nremplit pas les conditions prévues au titre I du présent livre pour l'ouverture \ndu droit "
     "aux allocations familiales, ce droit s'ouvre du chef du père ou, \nà défaut, du chef de la "
     "mère.",
     [("fr:code:securite-sociale", ""), ("fr:code:securite-sociale", "")]),
    (_SS + _SS_LIST, [("fr:code:securite-sociale", ""), *_SS_KEYS]),
    # a name the item gives a text (« … dit Règlement OSP »), written again
    ("Sur terre, c’était jusqu’il y a peu le Règlement européen n°1371/2007 du 23 octobre 2007 dit "
     "Règlement OSP (Obligations de Services Publics) qui précisait les obligations des "
     "transporteurs ferroviaires et du service public en matière de transport public urbain de "
     "voyageurs.\n\nSi le texte était pourtant relativement précis et complet, les députés ont "
     "décidé de moderniser le Règlement OSP et d’adopter, le 29 avril 2021, le nouveau Règlement "
     "européen n°2021/782.",
     # (round 29: the name where it is given, « dit Règlement OSP », is that text too)
     [(C + "32007R1371", ""), (C + "32007R1371", ""), (C + "32007R1371", ""),
      (C + "32021R0782", "")]),
    # « article R4451-57 et article R4451-82 du code du travail »: one list, the word repeated
    ("*  Le renouvellement de l’examen médical d’aptitude pour les travailleurs exposés à des "
     "rayons ionisants classés en catégorie A (article R4451-57 et article R4451-82 du code du "
     "travail).",
     [("fr:code:travail:R4451-57", ""), ("fr:code:travail:R4451-82", "")]),
    # a plural type word dated, then further dates (a link's words in square brackets between)
    ("Outre la protection des données personnelles RGPD (Règlement Général sur la Protection des "
     "Données), la pratique est encadrée par les lois du 17 mars 2014 [à consulter ici] et du 24 "
     "juillet 2020 [à consulter ici] visant à encadrer le démarchage téléphonique et à lutter "
     "contre les appels frauduleux.",
     [(C + "32016R0679", ""), (C + "32016R0679", ""), ("fr:loi:du-2014-03-17", ""),
      ("fr:loi:du-2020-07-24", "")]),
    # a « L. » article after the code civil is named: not the code civil's
    (_SS + "En cas de résidence alternée de l'enfant au domicile de chacun des parents telle \nque "
     "prévue à l'article 373-2-9 du code civil, mise en oeuvre de manière \neffective, les "
     "parents désignent l'allocataire.\n\n" + _SS_LIST,
     [("fr:code:securite-sociale", ""), ("fr:code:civil:373-2-9", ""), *_SS_KEYS]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND20_ANAPHORA)
def test_round20_anaphora(text: str, expected: list[tuple[str, str]]) -> None:
    assert pins(text) == expected


# Nothing to point back to, or the item's own articles: the lines above without the text before
# them, and a list of insurance rights (a public page's line in tests/data).
ROUND20_GUARDS = [
    "Par un jugement n° 2125753 du 13 juillet 2023, ce tribunal a annulé la décision contestée.",
    "Avant la mise en marché de produits cosmétiques sur le marché Européen, il est nécessaire de "
    "désigner une Personne Responsable (Article 4).",
    "Décision du 7 décembre 2017 n° 408379",
    "Pour justifier des versements auprès du fisc, les organismes concernés par l’article 200 "
    "doivent transmettre au contribuable un reçu en deux pages",
    "- Faculté de cesser un contrat d'assurance à tout moment suivant la première année (article "
    "21) ;",
]


@pytest.mark.parametrize("text", ROUND20_GUARDS)
def test_round20_nothing_to_point_back_to(text: str) -> None:
    assert find_references(text) == []


# Round 21 (tests/data/refs/README.md): a demonstrative or definite type word standing alone
# points back to the one text of that type the item names before it. Development lines of b33
# and b34 with the text before them in their document (joined as the benchmark joins them).
def spans(text: str) -> list[tuple[str, str]]:
    return [(r.key, r.text) for r in find_references(text)]


ROUND21_POINTERS = [
    ("La loi n° 2020-901 du 24 juillet 2020 qui vise à encadrer le démarchage téléphonique et à "
     "lutter contre les appels frauduleux. Elle permet en effet de renforcer les obligations des "
     "professionnels en matière d’information des consommateurs, et alourdit les sanctions.\n\n"
     "Cette loi interdit notamment les démarchages téléphoniques dans le domaine de la rénovation "
     "énergétique et encadre les délais dans les autres domaines.",
     [("fr:loi:2020-901", "loi n° 2020-901 du 24 juillet 2020"), ("fr:loi:2020-901", "Cette loi")]),
    ("Le décret n° 2022-34 du 17 janvier 2022 relatif au démarchage téléphonique en assurance "
     "permet de renforcer l’information des assurés.\n\nCe décret réglemente les appels "
     "unilatéraux passés à des fins commerciales.",
     [("fr:decret:2022-34", "décret n° 2022-34 du 17 janvier 2022"),
      ("fr:decret:2022-34", "Ce décret")]),
    ("La loi n°2022-401 du 21 mars 2022, dite « loi Waserman », a profondément réformé le statut "
     "des lanceurs d’alerte en France, en transposant la directive européenne 2019/1937 et en "
     "renforçant leurs protections.\n1. Extension du champ d’application : qui est concerné ?\n"
     "1.1. Définition élargie du lanceur d’alerte\n\nLa loi couvre désormais tout individu "
     "(salarié, indépendant, stagiaire, bénévole, ancien employé, sous-traitant, etc.) qui "
     "signale ou divulgue des informations relatives à :",
     [("fr:loi:2022-401", "loi n°2022-401 du 21 mars 2022"), ("fr:loi:2022-401", "loi Waserman »"),
      (C + "32019L1937", "directive européenne 2019/1937"), ("fr:loi:2022-401", "La loi")]),
    # « ces deux arrêtés »: the two arrêtés named before, one reference each on the same words
    ("1°) d'annuler pour excès de pouvoir la décision implicite de rejet née du silence gardé par "
     "le ministre de la transition écologique et de la cohésion des territoires sur sa demande "
     "tendant à l'abrogation de l'arrêté du 30 novembre 2017 du ministre de la transition "
     "écologique et solidaire et du ministre de l'intérieur relatif aux conditions "
     "d'homologation et d'installation des dispositifs de conversion des véhicules à motorisation "
     "essence en motorisation à carburant modulable essence - superéthanol E85, tel que modifié "
     "par l'arrêté du 19 février 2021 ;\n\n2°) d'annuler par voie de conséquence ces deux "
     "arrêtés ;",
     [("fr:arrete:du-2017-11-30", "arrêté du 30 novembre 2017"),
      ("fr:arrete:du-2021-02-19", "arrêté du 19 février 2021"),
      ("fr:arrete:du-2017-11-30", "ces deux arrêtés"),
      ("fr:arrete:du-2021-02-19", "ces deux arrêtés")]),
    # « la loi » for an EU regulation the item calls an « Act »
    ("L’AI Act sera légalement applicable 24 mois après son entrée en vigueur, soit à partir du "
     "2 août 2026, et des dispositions sont prévues une fois cette date dépassée. Certains délais "
     "spécifiques devront être respectés par les organisations pour se mettre en conformité avec "
     "cette nouvelle législation.\n\nPour rappel, la loi sera applicable à tous les opérateurs de "
     "systèmes d’intelligence artificielle (IA) conçus, déployés et utilisés au sein de l’UE.",
     [(C + "32024R1689", "AI Act"), (C + "32024R1689", "la loi")]),
    ("## L’acte législatif européen sur l’accessibilité - Directive (UE) 2019/882 du 17 avril "
     "2019 relative aux exigences en matière d’accessibilité applicables aux produits et "
     "services\n\n-\tCette directive doit être déclinée par les États membres d’ici le 28 juin "
     "2022",
     # round 22: the name before the number is read too (« acte législatif européen sur
     # l'accessibilité »)
     [(C + "32019L0882", "acte législatif européen sur l’accessibilité"),
      (C + "32019L0882", "Directive (UE) 2019/882"), (C + "32019L0882", "Cette directive")]),
    # « Ce texte » opening a sentence: the article of a code named just before
    ("La rupture brutale des relations commerciales établies constitue un contentieux récurrent "
     "en droit commercial, régie par l’article L. 442-1, II du Code de commerce.\n\nCe texte, "
     "d’ordre public, vise à préserver la stabilité et la prévisibilité des relations entre "
     "partenaires commerciaux, tout en sanctionnant les comportements brutaux susceptibles de "
     "fragiliser le tissu économique.",
     [("fr:code:commerce:L442-1", "article L. 442-1, II du Code de commerce"),
      ("fr:code:commerce:L442-1", "Ce texte")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND21_POINTERS)
def test_round21_pointers(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


# No pointer: three décrets could be meant (« le décret en tire les conséquences »); « ce texte »
# inside a sentence (Légifrance's note on an article); the lines above without their antecedent.
ROUND21_GUARDS = [
    ("- Tout prestataire de formation financé sur des fonds publics ou mutualisés devra être "
     "certifié Qualiopi à compter du 1er janvier 2022 sur la base de 7 critères définis par le "
     "décret n° 2019-564\n- Les indicateurs d’appréciation de ces critères sont fixés dans un "
     "référentiel national qualité (RNQ) de 32 indicateurs déterminé par le décret n° 2019-565\n"
     "- Le décret du 22 juillet 2020 reporte plusieurs échéances suite à l’épidémie de covid-19\n"
     "-\n\nL’ordonnance n° 2020-387 du 1er avril 2020 ayant reporté du 1er janvier 2021 au 1er "
     "janvier 2022 l’obligation pour les organismes de formation de détenir la certification "
     "Qualiopi s’ils souhaitent bénéficier des fonds publics, le décret en tire les conséquences "
     "pour les organismes qui obtiennent cette certification avant le 1er janvier 2021.",
     [("fr:decret:2019-564", "décret n° 2019-564"), ("fr:decret:2019-565", "décret n° 2019-565"),
      ("fr:decret:du-2020-07-22", "décret du 22 juillet 2020"),
      ("fr:ordonnance:2020-387", "ordonnance n° 2020-387 du 1er avril 2020")]),
    ("Article L5312-1 du Code de la santé publique\n\nLes références de ce texte avant la "
     "renumérotation sont les articles : Code de la santé publique - art. L793-5 (Ab), Code de la "
     "santé publique L793-5 I",
     [("fr:code:sante-publique:L5312-1", "Article L5312-1 du Code de la santé publique"),
      ("fr:code:sante-publique:L793-5", "Code de la santé publique - art. L793-5"),
      # (round 28: the article right after the code's name is read, as the line is labelled)
      ("fr:code:sante-publique:L793-5", "Code de la santé publique L793-5 I")]),
    ("Cette loi interdit notamment les démarchages téléphoniques dans le domaine de la rénovation "
     "énergétique et encadre les délais dans les autres domaines.", []),
    ("Pour rappel, la loi sera applicable à tous les opérateurs de systèmes d’intelligence "
     "artificielle (IA) conçus, déployés et utilisés au sein de l’UE.", []),
    ("2°) d'annuler par voie de conséquence ces deux arrêtés ;", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND21_GUARDS)
def test_round21_no_pointer(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


# Names of texts (round 21): a loi's common name or title, a directive's name after
# « européenne », the DDHC by « Déclaration des droits de 1789 » (development lines of b34).
ROUND21_NAMES = [
    ("Le régime de droit d’accès aux documents administratifs a peu évolué depuis [la loi dite "
     "“CADA” de 1978](https://www.legifrance.gouv.fr/affichTexte.do?cidTexte="
     "JORFTEXT000000339241) :",
     ["fr:loi:78-753", "fr:legi:JORFTEXT000000339241"]),
    ("* 2007 - [Directive européenne INSPIRE](https://eur-lex.europa.eu/legal-content/FR/TXT/HTML/"
     "?uri=CELEX:32007L0002) : obligation de publier en open data les données environnementales",
     [C + "32007L0002", C + "32007L0002"]),
    ("Elle met fin au régime restrictif et d’interdiction préventive de la loi \"Le chapelier\", "
     "de l’article du code pénal, de la loi de 1854.",
     ["fr:loi:du-1791-06-14", "fr:code:penal"]),
    ("Il paraissait assez évident que cette proposition de loi portait une atteinte considérable "
     "à la liberté d’expression garantie par la Déclaration des droits de 1789",
     ["fr:ddhc"]),
    ("La loi sur l'IA : Responsabilités de la Commission européenne (AI Office)",
     [C + "32024R1689"]),
    ("cette décision marque une première victoire dans la procédure engagée par les Exégètes "
     "amateurs contre la loi renseignement et ses décrets d'application.",
     ["fr:loi:2015-912"]),
    ("* 2015 - [Loi relative à la gratuité et aux modalités de la réutilisation des informations "
     "du secteur public](https://www.legifrance.gouv.fr/affichTexte.do?cidTexte=JORFTEXT000031701525)",
     ["fr:loi:2015-1779", "fr:legi:JORFTEXT000031701525"]),
    ("* 2015 - [Loi sur la Nouvelle organisation territoriale de la République]"
     "(https://www.legifrance.gouv.fr/affichTexte.do?cidTexte=JORFTEXT000030985460&categorieLien=id)",
     ["fr:loi:2015-991", "fr:legi:JORFTEXT000030985460"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND21_NAMES)
def test_round21_names(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 21: an article's number in Markdown bold (« Article **1101** du Code Civil », a course's
# notes in a public repository), and the Conseil constitutionnel's former page addresses (links
# of a blog post in a public repository): development lines of b34.
ROUND21_FORMS = [
    ("Article **1101** du Code Civil: Accord de volontés", ["fr:code:civil:1101"]),
    ("Article **1103** du Code Civil: Les contrats tiennent lieu de loi à ceux qui les\nont fait.",
     ["fr:code:civil:1103"]),
    # a regulator's president's decision, by date (a CNIL délibération's visas on a Légifrance
    # mirror, b33)
    ("Vu la décision de la présidente de la Commission nationale de l’informatique et des "
     "libertés du 16 novembre 2023 portant désignation d’un rapporteur devant la formation "
     "restreinte ;",
     ["fr:cnil:du-2023-11-16"]),
    ("[decision]: http://www.conseil-constitutionnel.fr/conseil-constitutionnel/francais/"
     "les-decisions/acces-par-date/decisions-depuis-1959/2016/2016-590-qpc/"
     "decision-n-2016-590-qpc-du-21-octobre-2016.148047.html",
     ["fr:cc:2016-590-QPC"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND21_FORMS)
def test_round21_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# « code civil local »: Alsace-Moselle's local civil code (kept in force by the loi du 1er juin
# 1924), not the national code civil, and not « du code » pointing back (a b34 development line,
# an arrêté's model statutes in a public repository).
def test_round21_local_civil_code() -> None:
    text = (
        "Conformément aux articles 21 à 79 du code civil local maintenus en vigueur dans les "
        "départements du Haut-Rhin, du Bas-Rhin et de la Moselle par la loi du 1er juin 1924, à "
        "l'article L. 434-3 du code de l'environnement et en application de l'article R. 434-26 "
        "du code de l'environnement, il est constitué entre tous les adhérents"
    )
    assert keys(text) == [
        "fr:loi:du-1924-06-01",
        "fr:code:environnement:L434-3",
        "fr:code:environnement:R434-26",
    ]
    # with the code de l'environnement named before it: « du code » is still not that one
    assert keys("l'article L. 434-3 du code de l'environnement.\n\n" + text)[1:2] == [
        "fr:loi:du-1924-06-01"
    ]


# Round 22: the EU acts' acronyms (« DSA », « DMA », « DGA », « GPSR », « RSGP », « EAA »,
# « AEA », « ePrivacy »), read in an item that names the act itself (`refs/acronyms.py`), and
# names of the alias table (« Digital Market Act », « loi sur les marchés numériques », « EU
# Accessibility Act », « acte législatif européen sur l'accessibilité », the Data Act's title):
# development lines of b35, joined to the text before them as the benchmark joins them.
ROUND22_ACRONYMS = [
    ("Le Règlement (UE) 2023/988 sur la sécurité générale des produits : Tour d’horizon des "
     "principales nouveautés\nLe Règlement (UE) 2023/988 relatif à la sécurité générale des "
     "produits (RSGP) est entré en application le 14 décembre dernier.",
     [C + "32023R0988", C + "32023R0988", C + "32023R0988"]),
    ("Règlement général sur la sécurité des produits (GPSR): un guide complet\nIntroduction au "
     "GPSR\nPortée du GPSR\nÀ compter du 13 décembre 2024, le GPSR s'applique à tous les produits "
     "mis sur le marché de l'UE",
     [C + "32023R0988"] * 5),
    ("Complément de son binôme sur la gouvernance des données (Data Governance Act, DGA, voir La "
     "rem n°63, p.30), le Data Act s’inscrit dans la « stratégie européenne pour les données »",
     [C + "32022R0868", C + "32022R0868", C + "32023R2854"]),
    ("À cet égard, l’Union européenne est déjà dotée d’une première loi sur les marchés "
     "numériques, le Digital Markets Act (DMA), encadrant les conditions d’usage des données",
     [C + "32022R1925"] * 3),
    ("l’article 5.3 de la directive 2002/58/CE « vie privée et communications électroniques » "
     "plus connue sous l’appellation « ePrivacy[1] ».",
     [C + "32002L0058", C + "32002L0058"]),
    ("Aussi appelée « Acte européen sur l’accessibilité » (European Accessibility Act – EAA), "
     "cette directive a pour objet de créer une société plus inclusive",
     [C + "32019L0882"] * 4),
    ("L'Acte européen sur l'accessibilité (AEA) est en vigueur depuis le 28 juin 2025.\nQu'est-ce "
     "que l'Acte européen sur l'accessibilité ?\nL'EAA (directive 2019/882) est une législation "
     "européenne",
     [C + "32019L0882"] * 5),
    ("La France mise en demeure pour « non-transposition de l'acte législatif européen sur "
     "l'accessibilité ».",
     [C + "32019L0882"]),
    ("À compter du 28 juin 2025, les entreprises devront se conformer aux exigences "
     "d’accessibilité applicables aux produits et services, telles que prévues par l’EU "
     "Accessibility Act.",
     [C + "32019L0882"]),
    ("Adopté par le Conseil de l’Union le 27 novembre 2023, le règlement sur l’équité de l’accès "
     "aux données et de l’utilisation des données, ou Data Act, est entré en vigueur",
     [C + "32023R2854", C + "32023R2854"]),
    ("Dans ce cadre, le règlement (UE) 2022/1925 – Digital Market Act (DMA), qui entrera en "
     "application le 2 mai 2023, et le règlement (UE) 2022/2065 – Digital Service Act (DSA), qui "
     "entrera en application le 17 février 2023.\n1. Les nouvelles obligations des "
     "intermédiaires en ligne prévues par le DSA",
     [C + "32022R1925"] * 3 + [C + "32022R2065"] * 4),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND22_ACRONYMS)
def test_round22_acronyms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# An acronym alone is not read (« DSA » is also a diploma, « DMA » a memory access), nor after a
# type word of another kind (« le Règlement ePrivacy … en état de projet » is the proposed
# regulation: a CNIL page of b35), nor « CEDH » as the Convention where it may be the Court
# (a b28 development line after the Convention named).
ROUND22_GUARDS = [
    ("1. Les nouvelles obligations des intermédiaires en ligne prévues par le DSA", []),
    ("Dans un contexte où le Règlement ePrivacy est toujours en état de projet, la CNIL poursuit "
     "sa volonté. La directive 2002/58/CE s'applique.",
     [C + "32002L0058"]),
    ("Convention européenne des droits de l'homme. La cinquième section de la Cour européenne des "
     "droits de l’homme (CEDH) a rendu l’arrêt « Dubus »",
     ["int:cedh"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND22_GUARDS)
def test_round22_guards(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 22: a publisher's abbreviation of a code in lower case after the article (« art. L. 217-2
# c. consom. », « art. L. 217-3, c. consom. », « art. L. 221-1 s. anc. c. consom. », « art.
# liminaire du c. consom. »: a law-firm page of b35; « art. L512-10 c.cons. »: a fixture of
# tests/data), read as the upper-case one was (« art. L. 217-2 C. consom. »).
ROUND22_CODE_ABBREVIATIONS = [
    ("En application de l’article L. 213-1 du Code rural et de la pêche maritime, la garantie est "
     "également due pour les ventes d’animaux domestiques.\nEn revanche, sont expressément exclues "
     "les ventes par autorité de justice ou aux enchères publiques, ainsi que celles qui ont pour "
     "objet la fourniture d’électricité (art. L. 217-2 c. consom.).",
     ["fr:code:rural-peche-maritime:L213-1", "fr:code:consommation:L217-2"]),
    ("« acheteur agissant en qualité de consommateur » (art. L. 217-3, c. consom.).",
     ["fr:code:consommation:L217-3"]),
    ("Elle est le fruit de la directive 1999/44/CE du 25 mai 1999, transposée en droit interne par "
     "l’ordonnance n° 2005-136 du 17 février 2005 (art. L. 221-1 s. anc. c. consom.)",
     [C + "31999L0044", "fr:ordonnance:2005-136", "fr:code:consommation:L221-1"]),
    ("« personne physique qui agit à des fins qui n’entrent pas dans le cadre de son activité "
     "commerciale, industrielle, artisanale ou libérale » (art. liminaire du c. consom.).",
     ["fr:code:consommation:liminaire"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND22_CODE_ABBREVIATIONS)
def test_round22_code_abbreviations(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_round22_code_abbreviation_spans() -> None:
    text = "des messages publicitaires diffusés (art. L512-10 c.cons. ; art. L512-15 c.cons.)."
    found = [(r.text, r.key) for r in find_references(text)]
    assert found == [
        ("art. L512-10 c.cons.", "fr:code:consommation:L512-10"),
        ("art. L512-15 c.cons.", "fr:code:consommation:L512-15"),
    ]


# Round 22: « Les deux règlements » (« les deux directives » …), the two texts of that type named
# before, and « Le Règlement » capitalised before a verb, the one EU regulation named before
# (`anaphora._standalone_pointers`; a law-firm page on the Data Act, b35). « le règlement » in
# lower case stays out (a payment as often), and « les deux règlements » needs two regulations.
ROUND22_POINTERS = [
    ("Dans ce cas, le partage de ces données IoT avec des tiers devra respecter à la fois le Data "
     "Act et le RGPD.\nIl est également possible que les deux règlements entrent en conflit sur "
     "des sujets spécifiques",
     [C + "32023R2854", C + "32016R0679", C + "32023R2854", C + "32016R0679"]),
    ("Le Data Act couvre les données non personnelles.\nLe Règlement édicte principalement des "
     "obligations à la charge des détenteurs de données",
     [C + "32023R2854", C + "32023R2854"]),
]  # fmt: skip
ROUND22_POINTER_GUARDS = [
    ("Le Data Act couvre les données non personnelles.\nLe règlement édicte principalement des "
     "obligations à la charge des détenteurs de données",
     [C + "32023R2854"]),
    ("Le Data Act couvre les données non personnelles.\nLes deux règlements peuvent trouver à "
     "s’appliquer concomitamment.",
     [C + "32023R2854"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND22_POINTERS + ROUND22_POINTER_GUARDS)
def test_round22_pointers(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 22: « cette décision », « cet arrêt », « ces deux arrêts » after a ruling or a decision
# (a CNIL page of b35), not after a délibération: a délibération and a ruling in reach leave one.
ROUND22_DECISIONS = [
    ("au droit européen de la délibération de la CNIL du 4 juillet 2019 sur les cookies et autres "
     "traceurs.\n\nDans sa décision du 19 juin 2020, le Conseil d’État a validé pour l’essentiel "
     "les lignes directrices.\nLa CNIL a pris acte de cette décision en adoptant le 17 septembre "
     "2020 ses lignes directrices modificatives",
     ["fr:cnil:du-2019-07-04", "fr:ce:du-2020-06-19", "fr:ce:du-2020-06-19"]),
    ("au droit européen de la délibération de la CNIL du 4 juillet 2019 sur les cookies.\nLa CNIL "
     "a pris acte de cette décision en adoptant ses lignes directrices",
     ["fr:cnil:du-2019-07-04"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND22_DECISIONS)
def test_round22_decisions(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 22: an article between two abbreviated codes is the one after it (« … al. 7 C. com.
# art. L 205-7-1 C. rur. », a law-firm page of b35): « C. com. » ends the citation before it.
def test_round22_article_between_two_codes() -> None:
    text = (
        "leur imposent également d’en faire la déclaration sur un site Internet dédié, mis à la "
        "disposition du public par l’Administration (art. L 423-3, al. 5 et al. 7 C. com. art. L "
        "205-7-1 C. rur.)."
    )
    found = [(r.text, r.key) for r in find_references(text)]
    assert found[-1] == ("art. L 205-7-1 C. rur.", "fr:code:rural-peche-maritime:L205-7-1")
    # a code's full name after the article may start the next entry of a list (two lines of a
    # legal dictionary’s page, development lines 889-890, joined)
    found = keys(
        "Code de l'organisation judiciaire, articles L441-1 à L441-4\nCode de procédure "
        "civile, articles Articles 1031-1 à 1031-7"
    )
    assert found[:2] == ["fr:code:organisation-judiciaire:L441-1",
                         "fr:code:organisation-judiciaire:L441-4"]  # fmt: skip


# Round 23: « la directive », « l'ordonnance » as labellers take them, after any word (« par
# l'ordonnance », « reprend fidèlement la directive et … », « prévu dans la directive
# transposée »): the one text of that type in reach (development lines of b37 and a b35 page).
ROUND23_POINTERS = [
    ("La France a transposé cette directive par l’ordonnance 2025-880 du 3 septembre 2025, "
     "introduisant de nombreuses évolutions dans le Code de la consommation.\nLes principales "
     "thématiques traitées par l’ordonnance",
     ["fr:ordonnance:2025-880", "fr:code:consommation", "fr:ordonnance:2025-880"]),
    ('La loi n° 2016-731 du 3 juin 2016 renforçant la lutte contre le crime organisé, le '
     "terrorisme et leur financement, et améliorant l'efficacité et les garanties de la "
     'procédure pénale était venue autoriser le gouvernement à prendre, par ordonnance, les '
     'mesures législatives permettant de transposer la directive (UE) 2015/849 du Parlement '
     "européen et du Conseil du 20 mai 2015 relative à la prévention de l'utilisation du "
     'système financier aux fins du blanchiment de capitaux ou du financement du terrorisme, '
     'dite « 4e directive anti-blanchiment », et le règlement (UE) 2015/847 du Parlement '
     'européen et du Conseil du 20 mai 2015 sur les informations accompagnant les transferts '
     "de fonds.\nL'ordonnance n° 2016-1635 du 1er décembre 2016 a donc été adoptée en ce sens. "
     'Elle vient moderniser le régime juridique applicable en matière de lutte préventive '
     "contre le blanchiment des capitaux et le financement du terrorisme.\nC'est ainsi, "
     'notamment, que ses articles 7, 9, 12, 13, 15 et 16 ont pour objet de renforcer le '
     'dispositif de supervision et de sanction des personnes assujetties à la lutte contre le '
     'blanchiment et le financement du terrorisme, conformément à ce qui est prévu dans la '
     'directive transposée.',
     ["fr:loi:2016-731", C + "32015L0849", C + "32015L0849", C + "32015R0847"]
     + ["fr:ordonnance:2016-1635"] * 7 + [C + "32015L0849"]),
]  # fmt: skip
# a directive named but not recognised in reach (« une Proposition de directive »), or the type
# word starting a noun phrase of its own (« la directive révisée », « la directive de 2008 »)
ROUND23_POINTER_GUARDS = [
    ("Le 20 décembre 2017 une Proposition de directive du Parlement Européen et du Conseil, "
     "modifiant la directive (UE) 2016/97, a fixé la date de transposition de la directive au 1er "
     "octobre 2018.",
     [C + "32016L0097"]),
    ("La Commission européenne avait rendu publique en juillet 2021 sa proposition de révision de "
     "la directive 2008/48/CE. Le Conseil de l’Union européenne et le Parlement européen étaient "
     "ensuite parvenus à un accord provisoire sur la directive révisée en décembre 2022.",
     [C + "32008L0048"]),
    ('La Commission européenne avait rendu publique en juillet 2021 sa proposition de '
     'révision de la directive 2008/48/CE.\nCette initiative de révision découlait de la '
     'nécessité de modifier la directive de 2008, déjà ancienne au regard des évolutions '
     'croissantes du secteur du crédit aux consommateurs.\nLa Directive poursuit donc un '
     'double objectif : d’une part, permettre l’expansion d’un marché du crédit',
     [C + "32008L0048"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND23_POINTERS + ROUND23_POINTER_GUARDS)
def test_round23_pointers(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 23: names of EU acts a watch meets (b37's and b38's development lines), and old rulings
# and texts cited by initials and date (a law course of b38).
ROUND23_NAMES = [
    ("La directive portant sur la distribution d’assurance (DDA) a été adoptée par le Parlement "
     "et le Conseil européen le 20 janvier 2016 (1) .\nElle abrogera, lors de son entrée en "
     "vigueur la directive UE 2002/92/CE sur l’intermédiation en assurance (DIA) du 9 décembre "
     "2002 (2).",
     [C + "32016L0097", C + "32016L0097", C + "32002L0092", C + "32002L0092"]),
    ("Assistant local de préparation de réclamations aériennes EU261.", [C + "32004R0261"]),
    ("L’impact de la Directive DSP II", [C + "32015L2366"]),
    ("- **\\-C.E., 13 décembre 1889, Cadot, au GAJA** = CE abolit la fonction de ministre juge",
     ["fr:ce:du-1889-12-13"]),
    ("\\-CC, 22 janvier 1980, « Loi de validation »", ["fr:cc:du-1980-01-22"]),
    ("création des tribunaux administratifs par un décret-loi du 30 septembre 1953",
     ["fr:decret-loi:du-1953-09-30"]),
]  # fmt: skip
# a French text's name followed by its own date (the date in the table's label)
ROUND23_DATED_NAMES = [
    ("Les lois Hamon du 17 mars 2014, puis Sapin II du 9 décembre 2016 ont, quant à elles, "
     "transféré à la DGCCRF et aux DIRECCTE, tout en le renforçant, le pouvoir de contrôle et de "
     "sanction du non-respect de ces règles.",
     ["fr:loi:2014-344", "fr:loi:2016-1691"]),
    ("Si l’un de ces amendements était adopté, il viendrait compléter la « loi Gattolin », qui "
     "interdit depuis le 1er janvier 2018 les publicités lors des émissions jeunesse du groupe "
     "France Télévisions.",
     ["fr:loi:2016-1771"]),
]  # fmt: skip
ROUND23_NAME_GUARDS = [
    ("DDA, un nouvel encadrement des modes de rémunération", []),  # the act not named
    ("ACE-CE, 13 décembre 1889", []),  # a word's hyphen
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), ROUND23_NAMES + ROUND23_DATED_NAMES + ROUND23_NAME_GUARDS
)
def test_round23_names(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# --- Round 24: names from an outside table (Légifrance's « lois dites », 2018) ------------------

# development lines (b39), verbatim: a name only Légifrance's list gave the recogniser
ROUND24_NAMES = [
    ("Loi Brottes : principe de la coupure d'eau interdite", ["fr:loi:2013-312"]),
    ("Au vu des décisions du Conseil constitutionnel, le député François  Brottes a  retiré  son "
     "amendement destiné à autoriser les réductions de débit dans certains cas et l’art. L 115-3 "
     "du Code de l’action sociale et des familles tel que modifié  par la loi Brottes est resté "
     "inchangé.(1)",
     ["fr:code:action-sociale-familles:L115-3", "fr:loi:2013-312"]),
    # the rules on forms of the citation (type word, « dite », quotes, accents, an acronym's case)
    ("la loi dite Thévenoud", ["fr:loi:2014-1104"]),
    ("la loi « Fauchon » sur les délits non intentionnels", ["fr:loi:2000-647"]),
    ("la LOI Thevenoud", ["fr:loi:2014-1104"]),
    ("la loi LOTI, puis la loi Loti", ["fr:loi:82-1153", "fr:loi:82-1153"]),
    ("la loi Hadopi 2 et la loi Chatel 2", ["fr:loi:2009-1311", "fr:loi:2008-3"]),
    ("la loi Aubry I, puis la loi Aubry II", ["fr:loi:98-461", "fr:loi:2000-37"]),
    # a name of two laws (or of a law of the list and another), with the date of one
    ("la loi Pasqua du 24 août 1993", ["fr:loi:93-1027"]),
    ("la loi Savary de 1984", ["fr:loi:84-52"]),
    ("la loi Guigou (2000)", ["fr:loi:2000-516"]),
    ("la loi Sapin du 29 janvier 1993", ["fr:loi:93-122"]),
    ("la loi du 24 août 1993 dite loi Pasqua", ["fr:loi:93-1027"]),  # the date before « dite »
]  # fmt: skip
ROUND24_GUARDS = [
    ("la loi Pasqua impose", []),  # four lois Pasqua in the list: never guessed
    ("la loi Pasqua de 1993", []),  # two of them in 1993
    ("la loi Sapin a créé", []),  # also the loi Sapin 2 (2016-1691)
    ("la loi DDADUE 5 habilite le Gouvernement", []),  # another DDADUE, not 2013-100
    ("la loi blanc", []),  # a name is a proper name
    ("la loi loti", []),
    ("la loi Paul Bert", []),  # the first word of a longer name
    ("la loi Huriet-Sérusclat", []),
    ("Quelle conception de la loi Thomas d'Aquin défend-il ?", []),  # a public repository's quiz
    ("la loi Thévenoud du 2 octobre 2014", []),  # not that law's date: another text
    ("la loi du 25 août 1993 dite loi Pasqua", ["fr:loi:du-1993-08-25"]),  # no Pasqua that day
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND24_NAMES + ROUND24_GUARDS)
def test_round24_lois_dites(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_round24_dated_span_and_link() -> None:
    """The date after a name is part of the reference; the JORF text is linked."""
    (ref,) = refs.find_references("Selon la loi Thévenoud du 1er octobre 2014, les VTC", TODAY)
    assert ref.text == "loi Thévenoud du 1er octobre 2014"
    assert ref.key == "fr:loi:2014-1104"
    assert ref.label == "Loi n° 2014-1104 du 1er octobre 2014"
    assert ref.url == "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000029527162"
    assert ref.link == "official"


def test_round24_table_is_the_outside_list() -> None:
    """``refs_lois_dites.yml`` is what the build script makes of the saved Légifrance list."""
    import importlib.util

    import yaml

    script = Path(__file__).parent / "data" / "refs" / "build_lois_dites.py"
    spec = importlib.util.spec_from_file_location("build_lois_dites", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = module.TARGET.read_text(encoding="utf-8")
    assert module.render() == shipped
    table = yaml.safe_load(shipped)
    assert len(table["laws"]) == 139  # as legipy's own test of the list counts them
    for law in table["laws"]:
        assert law["key"] == "fr:loi:" + law["label"].split("n° ")[1].split(" du ")[0]
    # a name of two laws is kept for both (the rule reads it only with a date)
    pasqua = [law["key"] for law in table["laws"] if "Pasqua" in law["names"]]
    assert pasqua == ["fr:loi:95-115", "fr:loi:94-1136", "fr:loi:93-1417", "fr:loi:93-1027"]
    assert "Sapin" in table["shared_outside"]


def test_round24_aliases() -> None:
    """A law's Légifrance names index it, a name of several laws none of them."""
    assert "loi Thévenoud" in aliases("fr:loi:2014-1104")
    assert not any("Pasqua" in a for a in aliases("fr:loi:93-1027"))


def test_round24_code_ids() -> None:
    """Légifrance's list of codes gave the codes' ids (official links, the id read as its code)."""
    (code,) = refs.find_references("Le code de l'environnement impose", TODAY)
    assert code.url == "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006074220"
    assert code.link == "official"
    url = "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006071367/"
    (ident,) = refs.find_references(url, TODAY)
    assert ident.label == "Code rural et de la pêche maritime (LEGITEXT000006071367)"


# --- Round 25: families of b41–b44's development misses and false references --------------------

ROUND25_LISTS = [
    # numbers listed after one « n° » and a plural type word (development line, verbatim)
    ("Décrets n°2017-1434, 2017-1435 et 2017-1436 du 29 septembre 2017 (JO, 5 oct. 2017)",
     ["fr:decret:2017-1434", "fr:decret:2017-1435", "fr:decret:2017-1436"]),
    # a bill's marks on the items of an article list (development line, verbatim)
    ("articles L. 313-1-2, L. 342-3, L. 313-1-3, L. 347-2 [nouveau] et L. 313-21 [abrogé] du "
     "code de l’action sociale et des familles",
     ["fr:code:action-sociale-familles:L313-1-2", "fr:code:action-sociale-familles:L342-3",
      "fr:code:action-sociale-familles:L313-1-3", "fr:code:action-sociale-familles:L347-2",
      "fr:code:action-sociale-familles:L313-21"]),
]  # fmt: skip
ROUND25_LIST_GUARDS = [
    ("les décrets 2020-797 et 2021-1276", ["fr:decret:2020-797"]),  # no mark: not a list
    ("le décret n° 2017-1434, 2017-1435 et 2017-1436", ["fr:decret:2017-1434"]),  # singular
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND25_LISTS + ROUND25_LIST_GUARDS)
def test_round25_lists(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


ROUND25_POINTERS = [
    # development lines, verbatim, joined as the benchmark joins a line to its context
    ("Aux termes de la Directive 2014/40/UE (dite TPD), les États membres de l'Union européenne "
     "veillent à la conformité des cigarettes électroniques et des flacons de recharge à la "
     "lumière de ladite Directive",
     # (round 29: « TPD », the name it is given in brackets, is the directive too)
     ["eu:celex:32014L0040", "eu:celex:32014L0040", "eu:celex:32014L0040"]),
    ("Décret n° 2015-447 du 17 avril 2015 relatif à l'information des consommateurs\n\n"
     "Notice : le présent décret définit les modalités d'information",
     ["fr:decret:2015-447", "fr:decret:2015-447"]),
]  # fmt: skip
ROUND25_POINTER_GUARDS = [
    ("Vu le décret n° 2010-12 ; Décret n° 2015-447 du 17 avril 2015. Le présent décret entre en "
     "vigueur.", ["fr:decret:2010-12", "fr:decret:2015-447"]),  # two décrets: nothing
    ("La loi n° 2014-344. Ladite loi n° 2015-990 prévoit.",
     ["fr:loi:2014-344", "fr:loi:2015-990"]),  # its own noun phrase
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND25_POINTERS + ROUND25_POINTER_GUARDS)
def test_round25_pointers(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# --- Round 28: wrong keys — an implied code must fit the article's numbering; article forms ------

ROUND28_NUMBERING = [
    # senat.fr/rap/r05-372/r05-3729.html (development line): a footnote mark cut the articles from
    # their code; the code des assurances before them numbers its articles with three digits
    ("Les formules de financement en prévision d'obsèques sont soumises aux règles établies par le "
     "règlement national des pompes funèbres, en vertu desquelles elles doivent respecter le code "
     "des assurances et emprunter la forme de contrats d'assurance-vie ( articles L. 2223-20 et R. "
     "2223-33 16 ( * ) du code général des collectivités territoriales ).",
     ["fr:code:assurances", "fr:code:collectivites-territoriales:L2223-20",
      "fr:code:collectivites-territoriales:R2223-33",
      "fr:code:collectivites-territoriales"]),
    # lavalge/ancien:COMPLIANCE_VALIDATION.md (development line and its context, shortened): the
    # « CCP » of « HACCP » is no code, and the code pénal has no « L. » articles: no code fits
    ("OK CUISINE — VÉRIFICATION CONFORMITÉ HACCP & RÉGLEMENTAIRE\n"
     "- 📍 **Conformité Code pénal art. 223-1** (responsabilité décès/hospitalisation)\n"
     "- 📍 **Conformité Loi AGEC 2020-105** (50% reduction 2025, art. L541-15-2 traçabilité)",
     ["fr:code:penal:223-1", "fr:loi:2020-105"]),
]  # fmt: skip
ROUND28_NUMBERING_GUARDS = [
    # territoires-groupama.fr/2018/01/24/reglementation-et-responsabilites-collecte-traitement-
    # dechets-menagers/ (verbatim): each bare article under the code whose numbering it has
    ("Le Code général des collectivités territoriales prévoit que les communes ou les "
     "établissements publics de coopération intercommunale assurent, éventuellement en liaison "
     "avec les départements et les régions, la collecte et le traitement des déchets des ménages "
     "(article L.2224-13).\n  • Le Code de l’environnement réglemente la prévention et la gestion "
     "des déchets (articles L.514-1 et suivants).",
     ["fr:code:collectivites-territoriales", "fr:code:collectivites-territoriales:L2224-13",
      "fr:code:environnement", "fr:code:environnement:L514-1"]),
    # dechets-infos.com/biodechets-et-gestion-de-proximite-precisions-4931214.html (verbatim)
    ("en évoquant l’article L2224-16 du Code général des collectivités territoriales (CGCT), qui "
     "porte sur le règlement de collecte. […] Si l’on reprend l’intégralité de l’article L2224-16, "
     "il évoque d’abord :",
     ["fr:code:collectivites-territoriales:L2224-16",
      "fr:code:collectivites-territoriales:L2224-16"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND28_NUMBERING + ROUND28_NUMBERING_GUARDS)
def test_round28_numbering(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


ROUND28_FORMS = [
    # public repositories found with the code search (verbatim lines; invoices and HR forms)
    ("pdf.text(\"- (NA) TVA non applicable (0%), art 293 B du CGI\", 25, finalY);",
     ["fr:code:impots:293-B"]),
    ("au sens de l'article L. 130-1.-I du code de la sécurité sociale et non seulement l'effectif",
     ["fr:code:securite-sociale:L130-1"]),
    # gossement-avocats.com (development line, after a heading of its context, verbatim): the
    # JO's « .-I » after the article cut it from its code, and it took the code minier
    ("Code minier : publication de l’arrêté du 3 avril 2025\n\nL’article 12 de la loi n° "
     "2021-1104 du 22 août 2021 portant lutte contre le dérèglement climatique et renforcement de "
     "la résilience face à ses effets, dite loi « Climat et Résilience » a créé l’article L. "
     "229-68.-I du code de l’environnement pour établir l’interdiction",
     ["fr:code:minier", "fr:arrete:du-2025-04-03", "fr:loi:2021-1104", "fr:loi:2021-1104",
      "fr:code:environnement:L229-68"]),
    ("const SOURCE_TEXT = \"Article 1240 - Code civil | Légifrance\";", ["fr:code:civil:1240"]),
    # development lines (verbatim): inc-conso.fr, maures-developpement.fr, openfisca-france,
    # logement.gouv.fr, doctrine.fr, modelo.fr, simplemanager, murielle-cahen.fr, senat.fr,
    # an arrêté of etalab/lois-non-codifiees-et-reglements-francais
    ("Ces critères sont définis à l'article R. 312-4-3- I du Code monétaire et financier.",
     ["fr:code:monetaire-financier:R312-4-3"]),
    ("Les dons et versements ouvrent droit à la réduction fiscale prévue pour les particuliers à "
     "l’article 200-1-b du CGI :", ["fr:code:impots:200"]),
    ("- title: Article 200 quater A 5.a. du Code général des impôts",
     ["fr:code:impots:200-quater-A"]),
    ("les nouveaux articles R 431.7, R431.8 R431.10.c alors que", []),  # no code named
    ("prévus par le Code de l’Urbanisme en particulier la notice et le document graphique prévus "
     "par les nouveaux articles R 431.7, R431.8 R431.10.c alors que",
     ["fr:code:urbanisme", "fr:code:urbanisme:R431-7", "fr:code:urbanisme:R431-8",
      "fr:code:urbanisme:R431-10"]),
    ("Les références de ce texte avant la renumérotation sont les articles : Code de la santé "
     "publique - art. L793-5 (Ab), Code de la santé publique L793-5 I",
     ["fr:code:sante-publique:L793-5", "fr:code:sante-publique:L793-5"]),
    ("dans les actuels articles L. 121-2 et L. 121-3 de notre Code de la consommation.",
     ["fr:code:consommation:L121-2", "fr:code:consommation:L121-3"]),
    ("_\"articles 294 et/ou 262(I) du CGI\"_, etc.",
     ["fr:code:impots:294", "fr:code:impots:262"]),
    ("TVA, art.262 ter-1 du CGI\" - \"TVA non applicable, art 293 B du CGI\".",
     ["fr:code:impots:262-ter", "fr:code:impots:293-B"]),
    ("La saisie est régie par les dispositions générales des articles 323, § 2, et 324 et suivants "
     "du code des douanes", ["fr:code:douanes:323", "fr:code:douanes:324"]),
    ("L'article L. 321-7 du code pénal oblige toute personne", ["fr:code:penal:321-7"]),
    ("Conformément aux articles 5 et 6 de la loi du 1er juillet 1901 et L. 434-3 du code de "
     "l'environnement et en application de l'article R. 434-26 du code de l'environnement",
     ["fr:loi:du-1901-07-01", "fr:loi:du-1901-07-01", "fr:code:environnement:L434-3",
      "fr:code:environnement:R434-26"]),
]  # fmt: skip
ROUND28_FORM_GUARDS = [
    # the code général des impôts' own « -0 » numbers stay (« 150-0 A », « 50-0 »)
    ("l'article 150-0 A du CGI et l'article 50-0 du CGI",
     ["fr:code:impots:150-0-A", "fr:code:impots:50-0"]),
    ("9 - Code civil", ["fr:code:civil"]),  # a number before a dash, without « article »
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND28_FORMS + ROUND28_FORM_GUARDS)
def test_round28_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 29 (tests/data/refs/README.md): the short name an act is given right after it, in brackets
# or after « dite » / « dit » (each seen failing on round 28's code, the guards passing on both).
ROUND29_APPOSITION = [
    # benchmarks/refs_mined.txt (a page of the round-18 mining, verbatim)
    ("L’application de la loi d’adaptation de la société au vieillissement (ASV) a entraîné une "
     "revalorisation de l’APA.", ["fr:loi:2015-1776", "fr:loi:2015-1776"]),
    # development lines (verbatim): avocat-rainio.com, altersmoke.com, archetyp.fr,
    # aisigil.com, rmboulanger.com
    ("La Loi de Modernisation de l’Économie (LME) du 4 août 2008 a prévu des délais de paiement "
     "raccourcis", ["fr:loi:2008-776", "fr:loi:2008-776"]),
    ("Aux termes de la Directive 2014/40/UE (dite TPD), les États membres de l'Union européenne "
     "veillent", [C + "32014L0040", C + "32014L0040"]),
    ("modifiant le 4e alinéa de l’article 1 de la loi n°81-766 du 10 août 1981 sur le prix du "
     "livre (dite « loi Lang ») et issu de la loi n°2021-1901 du 30 décembre 2021 (dite « loi "
     "Darcos »), a",
     ["fr:loi:81-766", "fr:loi:81-766", "fr:loi:2021-1901", "fr:loi:2021-1901"]),
    ("en particulier la Directive sur les Droits des Consommateurs (CRD) et la Directive sur le "
     "Commerce Électronique, les consommateurs",
     [C + "32011L0083", C + "32011L0083", C + "32000L0031"]),
    ("La directive (UE) 2017/2455 du 5 décembre 2017 dite « E – commerce » devait initialement",
     [C + "32017L2455", C + "32017L2455"]),
    # a capitalised word alone in brackets, one of the act's names in the table (a development
    # line's context, Wikipedia, verbatim)
    ("La loi anti-gaspillage pour une économie circulaire (Agec) ou loi no 2020-105 du relative à "
     "la lutte contre le gaspillage et à l'économie circulaire est une loi française promulguée "
     "le [1].", ["fr:loi:2020-105", "fr:loi:2020-105", "fr:loi:2020-105"]),
]  # fmt: skip
ROUND29_APPOSITION_GUARDS = [
    # Légifrance's history of an article (a development line's context, verbatim): « (VT) » is
    # no name (two letters)
    ("Ancien texte\nDécret n°96-926 du 17 octobre 1996 - art. 13 (VT)", ["fr:decret:96-926"]),
    # commission.europa.eu (development line 6037, verbatim): the repealed act's bracket names
    # the new one
    ("Lerèglement (UE) 2017/2394 sur la coopération entre les autorités nationales chargées de "
     "veiller à l’application de la législation en matière de protection des consommateurs et "
     "abrogeant le règlement (CE) n° 2006/2004  (règlement CPC) établit un cadre",
     [C + "32004R2006"]),
    # a public repository's quiz (code search, verbatim): a text known by its date keeps its
    # name apart (the name's key is the number's, which the date does not give)
    ("explanation: 'La loi du 9 décembre 1905, dite « loi de séparation des Églises et de "
     "l\\'État », est le texte fondateur", ["fr:loi:du-1905-12-09"]),
    # « dit » agrees with a règlement or a décret, « dite » with a loi or a directive
    ("la loi n° 2015-990 du 6 août 2015 pour la croissance, dit Macron", ["fr:loi:2015-990"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND29_APPOSITION + ROUND29_APPOSITION_GUARDS)
def test_round29_apposition(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 29: a code's name with a writer's slip (an article or a preposition lost, « de » for
# « des », a plural or feminine ending lost), and the code des postes et des communications
# électroniques by its former name (each seen failing on round 28's code)
ROUND29_CODE_SLIPS = [
    # public repositories found with the code search (ids 29167058623, 37901487925,
    # 19351328566, 58126695616; verbatim)
    ("<p><small>Articles R.132-1 et R.132-2 du Code la consommation</small></p>",
     ["fr:code:consommation:R132-1", "fr:code:consommation:R132-2"]),
    ("ils rentrent dans les exceptions faites par l'article L121-21-8 du code la consommation.",
     ["fr:code:consommation:L121-21-8"]),
    ("Conformément à l’article L112-1 du Code la consommation, le consommateur est informé",
     ["fr:code:consommation:L112-1"]),
    ("<li><strong>Données de connexion :</strong> 1 an (Code des postes et "
     "télécommunications)</li>",
     ["fr:code:postes-communications-electroniques"]),
    # development lines (verbatim): a mutual insurer's regulations, a gaming regulator's page,
    # a CNIL guide, a law firm's blog
    ("réf. article L2223-34-1 du code général des collectivité territoriales",
     ["fr:code:collectivites-territoriales:L2223-34-1"]),
    ("des mineurs et des jeux d’argent est particulièrement encadrée notamment par le code de la "
     "sécurité intérieur.", ["fr:code:securite-interieure"]),
    ("La définition et les caractéristiques du consentement exigé figurent à l’article L.34-5 du "
     "Code des postes et des communications précité.",
     ["fr:code:postes-communications-electroniques:L34-5"]),
    ("Il s'agit d'une exception à l'article L 34-5 du Code des postes et télécommunications qui "
     "interdit la prospection commerciale",
     ["fr:code:postes-communications-electroniques:L34-5"]),
]  # fmt: skip
ROUND29_CODE_SLIP_GUARDS = [
    # a public repository's notes (code search id 61377767827, verbatim): French Polynesia's own
    # code of that name
    ("- 本地电信授权与规则应回到 **Code des postes et télécommunications de Polynésie française**",
     []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND29_CODE_SLIPS + ROUND29_CODE_SLIP_GUARDS)
def test_round29_code_slips(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 29: « en date du » between a text's type and its date, the mark's « n » lost, a stray
# « du » before the mark (each seen failing on round 28's code, the guards passing on both)
ROUND29_DATED_AND_MARKED = [
    # a public repository's page (code search id 25268078729, verbatim)
    ("La Fondation de l’Armée du Salut est reconnue d’utilité publique par décret en date du 11 "
     "avril 2000. La Congrégation de l’Armée du Salut est légalement reconnue par décret en date "
     "du 7 janvier 1994.", ["fr:decret:du-2000-04-11", "fr:decret:du-1994-01-07"]),
    # development lines (verbatim): a Conseil d'État ruling's visas (Légifrance), a digital-law
    # newsletter, a craft federation's news, a financial daily
    ("Vu la loi du n° 78-17 du 6 janvier 1978 ;", ["fr:loi:78-17"]),
    ("prévues par la Loi °2016-1321 du 7 octobre 2016 pour une République Numérique.",
     ["fr:loi:2016-1321"]),
    ("au 1er août 2023 (décret du n° 2023-237 du 31 mars 2023).", ["fr:decret:2023-237"]),
    ("Un décret (° 2025-813) paru au Journal officiel le 13 août 2025", ["fr:decret:2025-813"]),
]  # fmt: skip
ROUND29_DATED_GUARDS = [
    # a court's order (public repositories, code search ids 62544014122 and 67240818271)
    ("Par ordonnance en date du 11 décembre 2024 le Juge des référés du Tribunal judiciaire de "
     "[V], saisi par Monsieur [N] [U]", []),
    ("> \"Attendu que selon ordonnance en date du 14 septembre 2023, par mesure d'administration "
     "judiciaire non susceptible de recours", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND29_DATED_AND_MARKED + ROUND29_DATED_GUARDS)
def test_round29_dated_and_marked(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 29: « le règlement » in lower case before a verb an act takes as its subject, « le
# décret détermine » (each seen failing on round 28's code, the guards passing on both).
# Development lines with the text before them in their documents (verbatim): apcosmeticconsult.com,
# generali.fr, actu-juridique.fr
ROUND29_ACT_SUBJECT = [
    ("La notification électronique sur le portail CPNP est devenue obligatoire le 11 juillet 2013 "
     "avec l’entrée en vigueur du règlement (CE) n°1223/2009 relatif aux produits cosmétiques.\n\n"
     "Le règlement stipule en effet qu’« Il convient, pour des raisons de surveillance efficace du "
     "marché", [C + "32009R1223", C + "32009R1223"]),
    ("Voté le 5 juillet 2022 par le Parlement européen, le Digital Services Act (DSA) affiche une "
     "vocation première : rendre illégal en ligne ce qui l'est hors ligne.\n\nDans cette optique, "
     "le règlement entend tout particulièrement réguler l’activité des intermédiaires numériques",
     [C + "32022R2065", C + "32022R2065", C + "32022R2065"]),
    ("Les principales dispositions du décret n° 2017-1434 du 29 septembre 2017 relatif aux "
     "obligations d’information des opérateurs de plates-formes numériques\n\nPublié le "
     "21/02/2018\n\nLe décret détermine le contenu, les modalités et les conditions d’application "
     "de l’article L. 117 du Code de la consommation.",
     ["fr:decret:2017-1434", "fr:decret:2017-1434", "fr:code:consommation:L117"]),
]  # fmt: skip
ROUND29_ACT_SUBJECT_GUARDS = [
    # a public repository's FAQ on the INCO regulation (code search id 60913392030, verbatim):
    # no regulation named before, nothing to point to
    ("a: \"Pas forcément. Le règlement prévoit des exemptions, notamment pour les denrées de "
     "fabrication artisanale", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND29_ACT_SUBJECT + ROUND29_ACT_SUBJECT_GUARDS)
def test_round29_act_subject(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 30: widely cited acts' names where the item does not spell the act out, each read only
# where the item speaks of the act's subject (each seen failing on round 29's code, the guards
# passing on both)
ROUND30_NAMES_BY_TOPIC = [
    # public repositories found with the code search (ids 62651000766, 59901092020, 53389331262,
    # 29362552761, 60956094515, 61426820717; verbatim)
    ("**C'est la modération.** Dès qu'il existe des profils, des listes et des avatars, il y a "
     "du\ncontenu de tiers, donc les obligations du DSA : signalement, retrait, point de "
     "contact,\ninformation de l'auteur.", [C + "32022R2065"]),
    ("1. **Qui est concerné par l'EAA depuis le 28 juin 2025 ?**\n2. **Ce que risque "
     "concrètement une PME e-commerce de plus de 10 salariés**\n3. **Les 10 erreurs "
     "d'accessibilité les plus fréquentes sur les sites de PME**", [C + "32019L0882"]),
    ('a: "La réglementation européenne (Directive Omnibus) impose une transparence totale sur '
     "les promotions. Le <strong>prix de référence</strong> (prix barré) doit obliga",
     [C + "32019L2161"]),
    ("taire et une alimentation saine, durable et accessible à tous, dite « EGAlim 1 ». Elle a "
     "été complétée ensuite par la loi du 18 octobre 2021 visant à protéger la rémunération des "
     "agriculteurs, dite « EGAlim 2 ». Ces lois ont placé les agriculteurs au cœur de la "
     "construction des prix", ["fr:loi:2018-938", "fr:loi:2021-1357", "fr:loi:2021-1357"]),
    ("Depuis cette date, la directive RED impose aussi ses exigences de\n**cybersécurité** "
     "(article 3.3 d/e/f) aux équipements radio connectés à\ninternet.", [C + "32014L0053"]),
    ("**Loi EGalim (2018), renforcée par EGalim 2 (2021) et la loi Climat & Résilience.**",
     ["fr:loi:2018-938", "fr:loi:2021-1357", "fr:loi:2021-1104"]),
    # development lines (verbatim): an e-commerce agency's blog, a retail blogger, a Swiss
    # data-law blog, the ANFR, an environment news site
    ("DSA : ce règlement européen qui fait peur aux géants du e-commerce\n\nEntré en vigueur le "
     "25 août, le DSA fait beaucoup parler de lui.", [C + "32022R2065", C + "32022R2065"]),
    ("il faut revenir sur la loi Descrozaille (dites Égalim 3), ne serait-ce que pour",
     ["fr:loi:2023-221", "fr:loi:2023-221"]),
    ("L’UE vise, avec le Loi européenne sur l’accessibilité (EAA) sur l’amélioration de "
     "l’accessibilité numérique dans l’UE.", [C + "32019L0882", C + "32019L0882"]),
    ("L’ANFR publie une plaquette pédagogique sur la directive RED relative aux équipements "
     "radioélectriques", [C + "32014L0053"]),
    ("Cette mesure, introduite par la loi Antigaspillage et économie circulaire (Agec) de février "
     "2020, devait initialement entrer en vigueur", ["fr:loi:2020-105", "fr:loi:2020-105"]),
]  # fmt: skip
ROUND30_NAMES_BY_TOPIC_GUARDS = [
    # public repositories (code search ids 69566329403, 4014774609, 71448331790, 45333498117,
    # 66105121159; verbatim): the RED of biomass and renewable energy, « EGalim 2025 » (a year),
    # the EAA a statistics office's platform, the 2025 sustainability « Omnibus » (the CSRD is
    # named)
    ("  5. L'exploitation respectera les règles de bonne gestion forestière et les conditions "
     "d'accès définies ci-dessus.\n  ${visite?.certification === \"red\" ? `<br/>6. Ce lot est "
     "soumis à la directive RED — traçabilité GPS requise.` : \"\"}", []),
    ("problème qui va se poser avec d'autant plus d'acuité que la directive RED III révisée va "
     "introduire des critères de gestion durable renforcés pour la biomasse forestière.", []),
    ("// Données locales : Agreste DRAAF Bretagne (Mémento 2025), DRAAF Bretagne (bilan EGalim "
     "2025), Ville et Métropole de Rennes ; textes : Légifrance, EUR-Lex, guide DINUM, consultés "
     "le 03/10/2026.", []),
    ("Pour accéder au portail Kubeflow de l'EAA, accédez au site Web suivant.", []),
    ('_s("WeCount", "Omnibus CSRD et CS3D : les derniers éléments à retenir", "WeCount", "2026",',
     [C + "32022L2464"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), ROUND30_NAMES_BY_TOPIC + ROUND30_NAMES_BY_TOPIC_GUARDS
)
def test_round30_names_by_topic(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 30: « ce texte » in lower case, and « le texte » before a verb an act takes as its
# subject, pointing back to the one loi, décret or EU act named before (each seen failing on
# round 29's code, the guards passing on both)
ROUND30_THIS_TEXT = [
    # development lines with their contexts (verbatim): a law firm's flash, a legal Q&A site,
    # the Assemblée's written answers, a legal news site
    ("Le décret n°2014-1482 en date du 9 décembre 2014 apporte ainsi un certain nombre de "
     "réponses quant au champ d’application et aux modalités de l’information à fournir en ce "
     "domaine, mais laisse encore subsister un certain nombre d’interrogations.\n\nL’apport "
     "principal de ce texte est certainement de préciser",
     ["fr:decret:2014-1482", "fr:decret:2014-1482"]),
    ("Selon l'article 22 de la loi n° 89-462 du 6 juillet 1989 tendant à améliorer les rapports "
     "locatifs (...) , le propriétaire est en droit de retenir sur le dépôt de garantie les sommes "
     "qui restent dues,dans la mesure où la finalité du dépôt de garantie est de « garantir "
     "l'exécution de ses obligations locatives par le locataire ».\n\nCependant , ce texte "
     "indique que les sommes restant dues au bailleur doivent être « dûment justifiées ».",
     ["fr:loi:89-462", "fr:loi:89-462"]),
    ("Texte de la REPONSE : Reponse. - Depuis le 1er janvier 1990, les jouets commercialises sur "
     "le marche francais doivent respecter les dispositions du decret du 12 septembre 1989 "
     "relatif a la prevention des risques resultant de l'usage des jouets.\n\nLa direction "
     "generale de la concurrence, de la consommation et de la repression des fraudes intervient "
     "regulierement pour verifier l'application de ce texte.",
     ["fr:decret:du-1989-09-12", "fr:decret:du-1989-09-12"]),
    ("La loi tendant à renforcer l’équilibre dans les relations commerciales entre fournisseurs "
     "et distributeurs, dite loi Égalim 3, a été adoptée le 30 mars 2023 et publiée au journal "
     "officiel dès le lendemain.\n\nSur fond de guerre des prix et de « crise inflationniste », "
     "le texte a pour objectif de rééquilibrer les négociations commerciales",
     ["fr:loi:2023-221", "fr:loi:2023-221"]),
]  # fmt: skip
ROUND30_THIS_TEXT_GUARDS = [
    # development lines' contexts (Légifrance's pages, verbatim): the page itself
    ("Article L5312-1 du Code de la santé publique\n\nLes références de ce texte avant la "
     "renumérotation sont les articles : Code de la santé publique - art. L793-5 (Ab), Code de la "
     "santé publique L793-5 I",
     ["fr:code:sante-publique:L5312-1", "fr:code:sante-publique:L793-5",
      "fr:code:sante-publique:L793-5"]),
    ("Arrêté du 10 janvier 2017 relatif à l'information des consommateurs par les professionnels "
     "intervenant dans une transaction immobilière\n\nDernière mise à jour des données de ce "
     "texte : 01 avril 2022", ["fr:arrete:du-2017-01-10"]),
    # a public repository's table (code search id 68618009407, verbatim): a code's article
    ("| 1 | 10 | « L'article 450-1 du Code pénal punit de dix ans d'emprisonnement tout groupement "
     "formé ou toute entente établie en vue de la préparation d'un délit. Il » | FACT | 3 | 4 | "
     "vérifier les conditions exactes de l'application de ce texte |", ["fr:code:penal:450-1"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND30_THIS_TEXT + ROUND30_THIS_TEXT_GUARDS)
def test_round30_this_text(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 30: « réglement », a writer's slip for « règlement », before an EU act's number (each seen
# failing on round 29's code)
ROUND30_REGLEMENT_SLIP = [
    # public repositories found with the code search (ids 51803705393, 55134317827; verbatim),
    # and a development line (GS1 Maroc's news, verbatim)
    ("    textes: `- Règlement (UE) 2019/1241\n- Réglement (UE) 2019/1022\n-Annexe III,  "
     "Réglement n°1967/2006 modifié`,", [C + "32019R1241", C + "32019R1022", C + "32006R1967"]),
    ("RGPD</a> :</strong> Réglement (UE) 2016/679 du 27 avril 2016</p>",
     [C + "32016R0679", C + "32016R0679"]),
    ("Le réglement UE n° 1169/2011 - INCO", [C + "32011R1169", C + "32011R1169"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND30_REGLEMENT_SLIP)
def test_round30_reglement_slip(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 32: an EU act by its type and signature date, without its number (a form of the fresh
# batches' development parts in six batches), keyed when the table (``eu_act_dates``) has one
# act of that type signed that day whose subject the item speaks of (each seen failing on round
# 30's code, the guards passing on both)
ROUND32_DATED_EU_ACTS = [
    # development lines (verbatim): a thesis, a Cour de cassation summary, a law firm's page, a
    # Sénat debate
    ("Au sein du droit de la consommation, cela s'est fait sous l'impulsion du droit européen, la "
     "directive du 11 mai 2005 relative aux pratiques commerciales déloyales ayant largement dicté "
     "le contenu des dispositions protectrices aujourd'hui applicables aux consommateurs.",
     [C + "32005L0029"]),
    ("TRANSPORTS AERIENS - transport de personnes - responsabilité des transporteurs de personnes "
     "- obligations - indemnisation et assistance des passagers prévues par le règlement "
     "communautaire du 11 février 2004 - conditions - présentation des passagers à "
     "l'enregistrement - preuve - charge - détermination - portée",
     [C + "32004R0261"]),
    ("L’article L 134 12 du Code de commerce résulte de la codification, c’est à l’intégration "
     "dans le code, de l’article 12 de la loi n°91-593 du 25 juin 1991 qui avait été adoptée pour "
     "transposer en droit français la directive du 18 décembre 1986 relative à la coordination des "
     "droits des Etats membres concernant les agents commerciaux indépendants.",
     ["fr:code:commerce:L134-12", "fr:loi:91-593", C + "31986L0653"]),
    ("Monsieur le secrétaire d’État, pourquoi la France ne transpose-t-elle pas la directive "
     "européenne du 22 octobre 2014 relative à la publication d’informations extrafinancières ?",
     [C + "32014L0095"]),
    # two acts of the table signed the same day: the one whose subject the item speaks of
    ("La directive du 20 mai 2019 relative à certains contrats de vente de biens a été "
     "transposée.", [C + "32019L0771"]),
    ("la directive du 25 novembre 2015 concernant les services de paiement", [C + "32015L2366"]),
]  # fmt: skip
ROUND32_DATED_EU_ACTS_GUARDS = [
    # the subject of no act of the table signed that day (the copyright directive shares the
    # accessibility act's date), or of two of them
    ("La directive du 17 avril 2019 sur le droit d'auteur et les droits voisins dans le marché "
     "unique numérique", []),
    ("La directive du 20 mai 2019 couvre la vente de biens ; sa jumelle, les contenus "
     "numériques.", []),
    # a development line alone: nothing in it says which act of that day (its item does not either)
    ("Cette réforme, transcrivant fidèlement la directive européenne du 20 janvier 2016, a "
     "considérablement élargi le cercle des débiteurs de l’obligation tout en précisant les "
     "contours de sa mise en œuvre.", []),
    # a proposal is not the act
    ("Le Parlement a voté la proposition de directive du 11 mai 2005 sur les pratiques "
     "commerciales déloyales.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND32_DATED_EU_ACTS + ROUND32_DATED_EU_ACTS_GUARDS)
def test_round32_dated_eu_acts(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Round 32: a code pointed back to without an article (« ce code », « le présent code », « le code
# fixe »), a form of the fresh batches' development parts in four batches: the last code named
# before it when no other « code » is written between, « le présent code » the code the item is
# (each seen failing on round 30's code, the guards passing on both)
ROUND32_CODE_POINTERS = [
    # development lines with their contexts (verbatim, shortened before the code's name): a
    # marketing blog, Légifrance's consolidated code, a page on Sunday work
    ("Il s'agit d'une exception à l'article L 34-5 du Code des postes et télécommunications qui "
     "interdit la prospection commerciale par courrier électronique utilisant les coordonnées "
     "d'une personne physique, si cette personne physique n'a pas exprimé son consentement "
     "préalable à recevoir des messages de cette nature.\n\nCette protection prévue par ce code "
     "ne bénéficie donc qu'aux consommateurs français dans leur vie privée.",
     ["fr:code:postes-communications-electroniques:L34-5",
      "fr:code:postes-communications-electroniques"]),
    ("Code de la consommation\nChronoLégi\nou du\nVersion en vigueur au 27 septembre 2021\n  • "
     "Article liminaire\n\n    Version en vigueur du 23 février 2017 au 01 octobre 2021\n\nPour "
     "l'application du présent code, on entend par :",
     ["fr:code:consommation", "fr:code:consommation"]),
    ("Cependant, parce que la vie en société s’accompagnerait difficilement d’un arrêt total de "
     "tout travail le dimanche, le code du travail pose trois séries d’exceptions à ce repos "
     "dominical.\n\nIl s’agit enfin des industries dans lesquels toute interruption de travail "
     "entraînerait la perte ou la dépréciation de produits en cours de fabrication.\n\nLe code "
     "fixe une longue série de 139 industries concernées.",
     ["fr:code:travail", "fr:code:travail"]),
]  # fmt: skip
ROUND32_CODE_POINTERS_GUARDS = [
    # another « code » written since the code was named, a code of another kind, a code's own
    # article (its « du présent code » is the article's), « le code » not before a verb
    ("Le code civil régit les contrats. Saisissez le code confidentiel. Ce code ne doit pas être "
     "divulgué.", ["fr:code:civil"]),
    ("Le code de commerce s'applique. Ce code de conduite engage les membres.",
     ["fr:code:commerce"]),
    ("Code de la consommation\n\nIl reproduit les articles L. 217-4 et L 217-16 du présent code.",
     ["fr:code:consommation", "fr:code:consommation:L217-4", "fr:code:consommation:L217-16"]),
    ("Le code du travail s'applique. Le code est affiché dans le hall.", ["fr:code:travail"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUND32_CODE_POINTERS + ROUND32_CODE_POINTERS_GUARDS)
def test_round32_code_pointers(text: str, expected: list[str]) -> None:
    assert keys(text) == expected
