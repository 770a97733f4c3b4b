"""Search behaviour of watcher.find.index on a small French corpus (real Whoosh, tmp dirs)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.find.index import IndexBusyError, IndexDoc, SearchIndex, SearchResults, _Reader
from watcher.query import NoSearchableWord, QueryError

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
RGPD = "eu:celex:32016R0679"
HAMON = "fr:loi:2014-344"
INFLUENCE = "fr:loi:2023-451"
ISO10002 = "iso:10002:2018"

SOURCES = {
    "cnil": "CNIL",
    "dgccrf": "DGCCRF",
    "lsa": "LSA Conso",
    "lemonde": "Le Monde",
    "bdf": "Banque de France",
    "afnor": "AFNOR",
}


def doc(
    item_id: int,
    title: str,
    text: str,
    *,
    hours_ago: float,
    source: str,
    groups: tuple[str, ...] = ("g1",),
    axes: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    entities: tuple[str, ...] = (),
    refs: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    summary: str = "",
    language: str = "fr",
    published: bool = True,
) -> IndexDoc:
    when = NOW - timedelta(hours=hours_ago)
    return IndexDoc(
        item_id=item_id,
        groups=groups,
        title=title,
        text=text,
        summary=summary,
        url=f"https://example.org/{source}/{item_id}",
        source_id=source,
        source_name=SOURCES[source],
        axes=axes,
        topics=topics,
        entities=entities,
        refs=refs,
        ref_aliases=aliases,
        published=when if published else None,
        fetched=when + timedelta(hours=1) if published else when,
        language=language,
    )


G12 = ("g1", "g2")
R, C, N = ("reglementaire",), ("concurrence",), ("normatif",)

CORPUS: list[IndexDoc] = [
    doc(1, "Réglementation des marchés financiers : l'AMF durcit le ton",
        "Les autorités européennes réglementaient déjà les marchés financiers ; l'Autorité des "
        "marchés financiers annonce de nouvelles sanctions.",
        hours_ago=2, source="lemonde", axes=R, topics=("legal", "economique"),
        entities=("AMF",)),
    doc(2, "Démarchages téléphoniques : la DGCCRF sanctionne trois sociétés",
        "Le démarchage téléphonique est encadré par la loi n° 2014-344 du 17 mars 2014 relative "
        "à la consommation, dite loi Hamon. La DGCCRF a prononcé des amendes.",
        hours_ago=5, source="dgccrf", groups=G12, axes=R, topics=("legal",),
        entities=("DGCCRF",), refs=(HAMON,),
        aliases=("loi n° 2014-344", "loi Hamon", f"{HAMON}#art-12")),  # as if citing its art. 12
    doc(3, "Carrefour augmente ses prix sur les produits laitiers",
        "La hausse des prix touche le lait et le beurre. Carrefour invoque le coût de l'énergie.",
        hours_ago=20, source="lsa", axes=C, topics=("economique",), entities=("Carrefour",)),
    doc(4, "Leclerc et Carrefour : la guerre des prix continue",
        "Les deux enseignes de la grande distribution multiplient les promotions ; la hausse des "
        "prix ralentit selon l'Insee.",
        hours_ago=30, source="lsa", groups=G12, axes=C, topics=("economique",),
        entities=("Leclerc", "Carrefour", "Insee")),
    doc(5, "La CNIL inflige une amende de 50 millions d'euros pour violation du RGPD",
        "Sur le fondement du règlement (UE) 2016/679, la CNIL sanctionne un opérateur pour "
        "défaut de consentement aux cookies.",
        hours_ago=50, source="cnil", groups=G12, axes=R, topics=("legal", "technologique"),
        entities=("CNIL",), refs=(RGPD,), aliases=("RGPD", "Règlement (UE) 2016/679")),
    doc(6, "Données personnelles : la CNIL publie ses recommandations sur la prospection",
        "La prospection commerciale par SMS suppose le consentement préalable (RGPD). "
        "Le démarchage reste possible sous conditions.",
        hours_ago=80, source="cnil", axes=R, topics=("legal",), entities=("CNIL",),
        refs=(RGPD,), aliases=("RGPD",)),
    doc(7, "La Banque de France relève sa prévision de croissance",
        "La Banque de France prévoit une croissance de 0,9 % en 2026 et une inflation en recul.",
        hours_ago=100, source="bdf", groups=G12, axes=C, topics=("economique",),
        entities=("Banque de France",)),
    doc(8, "Inflation : les prix alimentaires reculent en octobre",
        "Selon l'Insee, les prix de l'alimentation baissent pour le deuxième mois consécutif.",
        hours_ago=130, source="lemonde", axes=C, topics=("economique",), entities=("Insee",)),
    doc(9, "Norme ISO 10002 : traiter les réclamations clients",
        "La norme ISO 10002 fixe des lignes directrices pour le traitement des réclamations "
        "et la satisfaction des clients.",
        hours_ago=170, source="afnor", groups=("g2",), axes=N, topics=("social",),
        entities=("AFNOR",), refs=(ISO10002,), aliases=("ISO 10002", "NF ISO 10002")),
    doc(10, "Service client : la certification NF Service gagne du terrain",
        "Les centres de relation client adoptent la certification NF Service pour améliorer "
        "la qualité de service.",
        hours_ago=200, source="afnor", groups=("g2",), axes=N, topics=("social",),
        entities=("AFNOR",)),
    doc(11, "Influenceurs : la loi encadre la promotion commerciale",
        "La loi n° 2023-451 du 9 juin 2023 vise à encadrer l'influence commerciale et à lutter "
        "contre les dérives des influenceurs sur les réseaux sociaux.",
        hours_ago=260, source="dgccrf", groups=G12, axes=R, topics=("legal", "social"),
        entities=("DGCCRF",), refs=(INFLUENCE,), aliases=("loi n° 2023-451", "loi influenceurs")),
    doc(12, "Amazon condamné pour pratiques commerciales trompeuses",
        "Le tribunal retient des pratiques commerciales trompeuses au détriment des consommateurs.",
        hours_ago=300, source="lemonde", axes=(*R, *C), topics=("legal", "economique"),
        entities=("Amazon",)),
    doc(13, "Auchan teste le drive piéton à Lyon",
        "L'enseigne Auchan ouvre un drive piéton dans le centre de Lyon pour ses clients pressés.",
        hours_ago=340, source="lsa", axes=C, topics=("economique", "technologique"),
        entities=("Auchan", "Lyon")),
    doc(14, "Le drive alimentaire progresse en Île-de-France",
        "Le drive et la livraison à domicile progressent en Île-de-France comme en région.",
        hours_ago=400, source="lsa", axes=C, topics=("economique",), entities=("Île-de-France",)),
    doc(15, "Cybersécurité : la directive NIS 2 bientôt transposée",
        "La directive (UE) 2022/2555 dite NIS 2 impose de nouvelles obligations aux entreprises.",
        hours_ago=500, source="lemonde", axes=R, topics=("legal", "technologique"),
        refs=("eu:celex:32022L2555",), aliases=("NIS 2", "directive (UE) 2022/2555")),
    doc(16, "Alerte <script>alert('xss')</script> : faux sites de la CNIL",
        "Des escrocs imitent le site de la CNIL ; ne communiquez jamais vos identifiants.",
        hours_ago=520, source="cnil", groups=G12, axes=R, topics=("technologique",),
        entities=("CNIL",)),
    doc(17, "Fidélisation : les cartes de fidélité à l'heure du numérique",
        "Les enseignes misent sur les applications mobiles pour fidéliser leurs clients.",
        hours_ago=560, source="lsa", axes=C, topics=("economique", "technologique"),
        entities=("Carrefour", "Leclerc")),
    doc(18, "Le prix du carburant pèse sur le pouvoir d'achat",
        "Les ménages réduisent leurs dépenses ; le prix du gazole reste élevé à la pompe.",
        hours_ago=600, source="lemonde", axes=C, topics=("economique",)),
    doc(19, "Taux directeurs : la Banque centrale européenne marque une pause",
        "La BCE maintient ses taux directeurs ; la Banque de France salue une décision prudente.",
        hours_ago=650, source="bdf", axes=C, topics=("economique",),
        entities=("BCE", "Banque de France")),
    doc(20, "Réclamations : délais de réponse du service client en hausse",
        "Les réclamations des consommateurs augmentent ; le service client répond plus lentement.",
        hours_ago=700, source="afnor", groups=("g2",), axes=N, topics=("social",)),
    doc(21, "Clauses abusives : la DGCCRF contrôle les contrats de téléphonie",
        "Les contrats de téléphonie mobile comportent encore des clauses abusives selon "
        "l'enquête de la DGCCRF.",
        hours_ago=740, source="dgccrf", axes=R, topics=("legal",), entities=("DGCCRF",)),
    doc(22, "Consumer protection: EU targets dark patterns",
        "The European Commission targets dark patterns in online marketplaces.",
        hours_ago=760, source="lemonde", axes=R, topics=("legal",), language="en"),
    doc(23, "Grande distribution : négociations commerciales tendues",
        "Les négociations commerciales annuelles entre industriels et distributeurs s'annoncent "
        "tendues ; Carrefour et Leclerc demandent des baisses de prix.",
        hours_ago=800, source="lsa", groups=G12, axes=C, topics=("economique",),
        entities=("Carrefour", "Leclerc")),
    doc(24, "Le RGPD a huit ans : bilan des sanctions",
        "Depuis son entrée en application, le règlement général sur la protection des données "
        "a donné lieu à de nombreuses amendes.",
        hours_ago=840, source="cnil", axes=R, topics=("legal",), entities=("CNIL",),
        refs=(RGPD,), aliases=("RGPD", "règlement général sur la protection des données")),
    doc(25, "Commerce en ligne : la livraison gratuite en question",
        "Les plateformes de commerce en ligne revoient leurs conditions de livraison.",
        hours_ago=900, source="lemonde", axes=C, topics=("economique",), entities=("Amazon",),
        published=False),
    doc(26, "Qualité de service : baromètre de la relation client",
        "Le baromètre annuel mesure la satisfaction des clients et la qualité de service.",
        hours_ago=950, source="afnor", groups=("g2",), axes=N, topics=("social",)),
    doc(27, "Inflation et consommation : les ménages arbitrent",
        "L'inflation pousse les consommateurs vers les marques de distributeur.",
        hours_ago=1000, source="lemonde", groups=G12, axes=C, topics=("economique", "social"),
        summary="Les marques de distributeur profitent de l'inflation."),
    doc(28, "Démarchage abusif : nouvelles règles pour la rénovation énergétique",
        "L'interdiction du démarchage téléphonique dans la rénovation énergétique est étendue.",
        hours_ago=1100, source="dgccrf", axes=R, topics=("legal", "environnemental"),
        entities=("DGCCRF",)),
    doc(29, "Énergie : le prix de l'électricité augmente au 1er février",
        "Le tarif réglementé de vente d'électricité augmente ; la Commission de régulation de "
        "l'énergie publie sa délibération.",
        hours_ago=1200, source="lemonde", axes=(*R, *C), topics=("economique", "environnemental"),
        entities=("CRE",)),
    doc(30, "Marché de l'occasion : la seconde main séduit les distributeurs",
        "Le marché de la seconde main attire les enseignes de la grande distribution.",
        hours_ago=1300, source="lsa", axes=C, topics=("economique", "environnemental"),
        entities=("Leclerc",)),
]  # fmt: skip
BY_ID = {d.item_id: d for d in CORPUS}


def doc_date(d: IndexDoc) -> datetime:
    return d.published if d.published is not None else d.fetched


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    index = SearchIndex(tmp_path_factory.mktemp("ix"))
    assert index.add(CORPUS) == len(CORPUS)
    yield index
    index.close()


def search(ix: SearchIndex, q: str, **kw: object) -> SearchResults:
    kw.setdefault("groups", None)
    kw.setdefault("now", NOW)
    kw.setdefault("limit", 100)
    return ix.search(q, **kw)  # type: ignore[arg-type]


def ids(ix: SearchIndex, q: str, **kw: object) -> set[int]:
    res = search(ix, q, **kw)
    assert res.total == len(res.hits)
    return {h.item_id for h in res.hits}


# --------------------------------------------------------------- analysis


def test_counts(ix: SearchIndex) -> None:
    assert ix.doc_count() == 30
    assert ix.indexed_ids() == set(BY_ID)


def test_accents_and_case_are_folded(ix: SearchIndex) -> None:
    assert 1 in ids(ix, "reglementation")
    assert ids(ix, "reglementation") == ids(ix, "RÉGLEMENTATION")
    assert ids(ix, "marches") == ids(ix, "marchés") == {1, 30}
    assert ids(ix, "energie") == ids(ix, "Énergie")


def test_french_stemming(ix: SearchIndex) -> None:
    # "démarchage" finds "Démarchages" (title of 2) and the singular elsewhere
    assert ids(ix, "démarchage") == {2, 6, 28}
    assert ids(ix, "demarchages") == {2, 6, 28}
    assert {3, 4}.issubset(ids(ix, "augmentation OR hausse"))
    assert ids(ix, "réclamation") == {9, 20}


def test_elisions_and_stop_words(ix: SearchIndex) -> None:
    assert 1 in ids(ix, "autorité")
    assert ids(ix, "l'autorité") == ids(ix, "autorité")
    assert ids(ix, "les prix") == ids(ix, "prix")
    assert ids(ix, "d'énergie") == ids(ix, "énergie")
    # a query whose every word is ignored (stop words, one letter) is refused, not run as
    # "everything"; an empty query still lists everything
    for nothing in ("les", "x", "le la", "-la", '"de la"', "title:x", "x axis:normatif"):
        with pytest.raises(NoSearchableWord, match="aucun mot cherchable"):
            search(ix, nothing)
    assert search(ix, "").total == 30
    assert ids(ix, "x prix") == ids(ix, "prix")  # one searchable word is enough


def test_phrases(ix: SearchIndex) -> None:
    assert ids(ix, '"hausse des prix"') == {3, 4}
    assert ids(ix, "hausse prix") == {3, 4}
    assert ids(ix, '"Banque de France"') == {7, 19}
    assert ids(ix, '"prix hausse"') == set()
    # a hyphenated word is a phrase of its parts
    assert ids(ix, "Île-de-France") == {14}


def test_boolean_operators(ix: SearchIndex) -> None:
    carrefour = ids(ix, "carrefour")
    assert carrefour == {3, 4, 23}  # 17 has Carrefour as an entity only: see entity:
    assert ids(ix, "carrefour leclerc") == {4, 23}
    assert ids(ix, "carrefour ET leclerc") == {4, 23}
    assert ids(ix, "carrefour AND leclerc") == {4, 23}
    assert ids(ix, "auchan OR amazon") == {12, 13}
    assert ids(ix, "auchan OU amazon") == {12, 13}
    assert ids(ix, "carrefour -leclerc") == {3}
    assert ids(ix, "carrefour NOT leclerc") == {3}
    assert ids(ix, "carrefour SAUF leclerc") == {3}
    assert ids(ix, "(auchan OR amazon) drive") == {13}
    assert ids(ix, "NOT carrefour") == set(BY_ID) - carrefour
    assert ids(ix, "-carrefour -leclerc") == set(BY_ID) - ids(ix, "carrefour OR leclerc")


def test_exclusions_match_set_difference(ix: SearchIndex) -> None:
    # regression: whoosh3's AndNotMatcher let the first excluded document through
    words = ["prix", "carrefour", "leclerc", "enseigne", "service", "client", "hausse", "cnil"]
    for a in words:
        for b in [*words, "date:7d", "date:2026-11", "date:>2026-11-20"]:
            expected = ids(ix, a) - ids(ix, b)
            assert ids(ix, f"{a} -{b}") == expected, (a, b)
            assert ids(ix, f"{a} NOT ({b})") == expected, (a, b)


# ------------------------------------------------------------------ fields


def manual(pred: object) -> set[int]:
    assert callable(pred)
    return {d.item_id for d in CORPUS if pred(d)}


def test_keyword_fields(ix: SearchIndex) -> None:
    assert ids(ix, "axis:normatif") == manual(lambda d: "normatif" in d.axes)
    assert ids(ix, "axe:Concurrence") == manual(lambda d: "concurrence" in d.axes)
    assert ids(ix, "topic:environnemental") == {28, 29, 30}
    assert ids(ix, "source:cnil") == manual(lambda d: d.source_id == "cnil")
    assert ids(ix, 'source:"LSA Conso"') == manual(lambda d: d.source_id == "lsa")
    assert ids(ix, "lang:en") == {22}
    assert ids(ix, "lang:fr") == set(BY_ID) - {22}


def test_entity_is_accent_and_case_insensitive(ix: SearchIndex) -> None:
    assert ids(ix, 'entity:"Banque de France"') == {7, 19}
    assert ids(ix, 'entity:"banque de france"') == {7, 19}
    assert ids(ix, 'entity:"ILE-DE-FRANCE"') == {14}
    assert ids(ix, "entité:carrefour") == manual(lambda d: "Carrefour" in d.entities)
    # exact entity, not a word search: "France" alone is not an entity here
    assert ids(ix, "entity:France") == set()


def test_ref_by_canonical_key_alias_and_resolver(ix: SearchIndex) -> None:
    assert ids(ix, f"ref:{RGPD}") == {5, 6, 24}
    assert ids(ix, "ref:RGPD") == {5, 6, 24}
    assert ids(ix, "ref:rgpd") == {5, 6, 24}
    assert ids(ix, 'ref:"Règlement (UE) 2016/679"') == {5}  # as written in 5 only
    assert ids(ix, 'ref:"loi 2014-344"') == {2}  # alias "loi n° 2014-344"
    assert ids(ix, 'ref:"loi Hamon"') == {2}
    assert ids(ix, 'ref:"NIS 2"') == {15}
    # a key with a pinpoint finds the items citing that article of the act (the act's key
    # finds them all)
    assert ids(ix, f"ref:{HAMON}#art-12") == {2}
    assert ids(ix, f"ref:{HAMON}#art-13") == set()

    calls: list[str] = []

    def resolver(value: str) -> list[str]:
        calls.append(value)
        return [RGPD] if value.casefold() in ("rgpd", "règlement (ue) 2016/679") else []

    assert ids(ix, 'ref:"Règlement (UE) 2016/679"', resolve_ref=resolver) == {5, 6, 24}
    assert calls == ["Règlement (UE) 2016/679"]
    # a canonical key is not sent to the resolver
    assert ids(ix, f"ref:{HAMON}", resolve_ref=resolver) == {2}
    assert calls == ["Règlement (UE) 2016/679"]


def test_title_field(ix: SearchIndex) -> None:
    assert ids(ix, "title:inflation") == {8, 27}
    assert ids(ix, "inflation") == {7, 8, 27}
    assert ids(ix, 'titre:"guerre des prix"') == {4}


def test_unknown_and_malformed_queries_raise_query_error(ix: SearchIndex) -> None:
    for q in ('"prix', "(prix", "foo:bar", "axis:", "date:2026-13-01", "prix AND"):
        with pytest.raises(QueryError):
            search(ix, q)


# ------------------------------------------------------------------- dates


def window(start: datetime | None, end: datetime | None) -> set[int]:
    return manual(
        lambda d: (start is None or doc_date(d) >= start) and (end is None or doc_date(d) < end)
    )


def test_relative_date_windows(ix: SearchIndex) -> None:
    assert ids(ix, "date:24h") == window(NOW - timedelta(hours=24), None) == {1, 2, 3}
    assert ids(ix, "date:7d") == window(NOW - timedelta(days=7), None)
    assert ids(ix, "date:2w") == window(NOW - timedelta(weeks=2), None)
    assert ids(ix, "date:7j prix") == ids(ix, "date:7d") & ids(ix, "prix")
    # relative windows follow `now`, not the clock
    later = NOW + timedelta(days=3)
    assert ids(ix, "date:24h", now=later) == set()


def test_absolute_date_windows(ix: SearchIndex) -> None:
    nov = window(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert ids(ix, "date:2026-11") == nov
    assert 30 not in nov and 1 in nov
    assert ids(ix, "date:2026-11-01..2026-11-27") == window(
        datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 28, tzinfo=UTC)
    )
    assert ids(ix, "date:>2026-11-20") == window(datetime(2026, 11, 21, tzinfo=UTC), None)
    assert ids(ix, "date:<2026-11-01") == window(None, datetime(2026, 11, 1, tzinfo=UTC))
    assert ids(ix, "date:2026-11-26") == window(
        datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 27, tzinfo=UTC)
    )
    assert ids(ix, "date:2025") == set()


def test_nested_date_windows(ix: SearchIndex) -> None:
    last_day = window(NOW - timedelta(hours=24), None)
    assert ids(ix, "date:24h OR carrefour") == last_day | ids(ix, "carrefour")
    assert ids(ix, "prix -date:7d") == ids(ix, "prix") - ids(ix, "date:7d")
    assert ids(ix, "(date:24h)") == last_day
    assert ids(ix, "date:2w date:>2026-11-20") == ids(ix, "date:2w") & ids(ix, "date:>2026-11-20")
    assert ids(ix, "date:24h date:<2026-11-01") == set()


def test_date_windows_skip_deleted_documents(tmp_path: Path) -> None:
    index = small_index(tmp_path)
    assert ids(index, "date:24h") == {1, 2, 3}
    index.delete([2])
    assert ids(index, "date:24h") == {1, 3}
    assert search(index, "date:24h", groups=["g1"]).total == 2
    index.close()


def test_unknown_publication_date_falls_back_to_fetch_date(ix: SearchIndex) -> None:
    assert BY_ID[25].published is None
    assert 25 in ids(ix, f"date:{doc_date(BY_ID[25]).date().isoformat()}")


# ------------------------------------------------------- sorting, paging


def test_sort_by_date_and_pagination(ix: SearchIndex) -> None:
    expected = [d.item_id for d in sorted(CORPUS, key=doc_date, reverse=True)]
    pages = [search(ix, "", sort="date", page=n, limit=7) for n in range(1, 6)]
    assert [r.pages for r in pages] == [5] * 5
    assert all(r.total == 30 for r in pages)
    assert [h.item_id for r in pages for h in r.hits] == expected
    assert [len(r.hits) for r in pages] == [7, 7, 7, 7, 2]
    beyond = search(ix, "", sort="date", page=9, limit=7)
    assert beyond.hits == [] and beyond.total == 30
    # a text query sorted by date
    got = [h.item_id for h in search(ix, "prix", sort="date").hits]
    assert got == sorted(got, key=lambda i: doc_date(BY_ID[i]), reverse=True)


def test_relevance_boosts_titles(ix: SearchIndex) -> None:
    res = search(ix, "inflation")
    order = [h.item_id for h in res.hits]
    assert set(order) == {7, 8, 27}
    assert order[-1] == 7  # only in the text of 7
    assert res.hits[0].score >= res.hits[1].score >= res.hits[2].score > 0


def test_filter_only_queries_are_sorted_by_date(ix: SearchIndex) -> None:
    got = [h.item_id for h in search(ix, "axis:reglementaire").hits]
    assert got == sorted(got, key=lambda i: doc_date(BY_ID[i]), reverse=True)


def test_page_and_limit_are_clamped(ix: SearchIndex) -> None:
    res = ix.search("", groups=None, now=NOW, page=0, limit=0)
    assert res.page == 1 and res.limit == 1 and res.pages == 30 and len(res.hits) == 1
    with pytest.raises(ValueError, match="sort"):
        ix.search("", groups=None, now=NOW, sort="popularity")


# ------------------------------------------------------------------ facets


def manual_facets(item_ids: set[int]) -> dict[str, dict[str, int]]:
    out: dict[str, Counter[str]] = {
        k: Counter() for k in ("axis", "source", "topic", "entity", "ref")
    }
    for i in item_ids:
        d = BY_ID[i]
        out["axis"].update(d.axes)
        out["source"].update([d.source_id])
        out["topic"].update(d.topics)
        out["entity"].update(d.entities)
        out["ref"].update(d.refs)
    return {k: dict(v) for k, v in out.items()}


@pytest.mark.parametrize("q", ["", "prix", "axis:reglementaire", "carrefour OR cnil", "date:2w"])
def test_facets_count_the_whole_result_set(ix: SearchIndex, q: str) -> None:
    full = ids(ix, q)
    res = ix.search(q, groups=None, now=NOW, limit=2)  # counts must not depend on the page
    assert len(res.hits) == min(2, len(full))
    got = {k: dict(v) for k, v in res.facets.items()}
    assert got == manual_facets(full)
    for values in res.facets.values():  # most frequent first
        assert [c for _, c in values] == sorted((c for _, c in values), reverse=True)


def test_facet_values_can_be_fed_back_as_filters(ix: SearchIndex) -> None:
    res = search(ix, "")
    for name, values in res.facets.items():
        for value, count in values:
            assert search(ix, f'{name}:"{value}"').total == count, (name, value)


def test_facets_can_be_turned_off_and_limited(ix: SearchIndex) -> None:
    assert search(ix, "prix", facets=False).facets == {}
    res = search(ix, "", facet_limit=2)
    assert all(len(v) <= 2 for v in res.facets.values())
    assert res.facets["source"][0] == ("lemonde", 9)
    empty = search(ix, "introuvablezzz")
    assert empty.total == 0 and empty.pages == 0
    assert empty.facets == {"axis": [], "source": [], "topic": [], "entity": [], "ref": []}


# ------------------------------------------------------------- group scoping


def test_group_scoping_restricts_hits_totals_and_facets(ix: SearchIndex) -> None:
    g2 = manual(lambda d: "g2" in d.groups)
    res = search(ix, "", groups=["g2"])
    assert {h.item_id for h in res.hits} == g2
    assert res.total == len(g2)
    assert {k: dict(v) for k, v in res.facets.items()} == manual_facets(g2)
    # an entity that only occurs in g1 documents is invisible to g2, in facets too
    assert "Auchan" not in dict(res.facets["entity"])
    assert ids(ix, "auchan", groups=["g2"]) == set()
    assert ids(ix, "NOT auchan", groups=["g2"]) == g2
    assert ids(ix, "cnil", groups=["g2"]) == {5, 16}
    assert ids(ix, "", groups=["g1", "g2"]) == set(BY_ID)
    assert ids(ix, "", groups=[]) == set()
    assert ids(ix, "", groups=["nope"]) == set()


def test_suggestions_do_not_leak_other_groups(ix: SearchIndex) -> None:
    # "auchan" exists only in g1: a g2 user mistyping it gets no hint
    assert search(ix, "auchen", groups=["g1"]).suggestion == "auchan"
    assert search(ix, "auchen", groups=["g2"]).suggestion is None


# -------------------------------------------------------------- highlighting


def test_highlights_are_escaped_and_marked(ix: SearchIndex) -> None:
    res = search(ix, "alerte cnil")
    hit = next(h for h in res.hits if h.item_id == 16)
    assert "<script>" not in hit.title_html
    # "alert" has the same stem as "alerte": it is marked too, inside the escaped tag text
    assert hit.title_html == (
        "<mark>Alerte</mark> &lt;script&gt;<mark>alert</mark>(&#x27;xss&#x27;)&lt;/script&gt;"
        " : faux sites de la <mark>CNIL</mark>"
    )
    assert "<mark>CNIL</mark>" in hit.title_html
    assert "<mark>CNIL</mark>" in hit.snippet_html
    assert hit.title == BY_ID[16].title  # the raw title is kept for other uses


def test_unmatched_title_is_still_escaped(ix: SearchIndex) -> None:
    hit = search(ix, "source:cnil escrocs").hits[0]
    assert hit.item_id == 16
    assert hit.title_html == (
        "Alerte &lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt; : faux sites de la CNIL"
    )
    assert "<mark>escrocs</mark>" in hit.snippet_html


def test_snippet_highlights_stems_and_folds(ix: SearchIndex) -> None:
    hit = search(ix, "reglementation").hits[0]
    assert hit.item_id == 1
    assert hit.title_html.startswith("<mark>Réglementation</mark> des marchés")
    assert "<mark>réglementaient</mark>" in hit.snippet_html


def test_snippet_falls_back_to_the_start_of_the_text(ix: SearchIndex) -> None:
    hit = search(ix, "title:inflation", sort="date").hits[0]
    assert hit.item_id == 8
    assert hit.snippet_html.startswith("Selon l&#x27;Insee")
    assert "<mark>" not in hit.snippet_html  # title: searches the title only


def test_snippets_of_long_texts(tmp_path: Path) -> None:
    filler = "Le marché reste stable et les enseignes observent la situation. " * 100  # 6.5k
    deep = dataclasses.replace(
        BY_ID[1], item_id=101, text=filler + "Les <b>chevaux</b> de trait reviennent. " + filler
    )
    beyond = dataclasses.replace(BY_ID[1], item_id=102, text=filler * 4 + "Un zèbre au loin.")
    index = SearchIndex(tmp_path / "ix")
    index.add([deep, beyond])
    hit = search(index, "cheval").hits[0]
    assert hit.item_id == 101
    assert "Les &lt;b&gt;<mark>chevaux</mark>&lt;/b&gt; de trait" in hit.snippet_html
    # a match past the stored snippet source (20,000 characters) is found but not shown
    hit = search(index, "zebre").hits[0]
    assert hit.item_id == 102
    assert "<mark>" not in hit.snippet_html
    assert hit.snippet_html.startswith("Le marché reste stable")
    index.close()


FIXTURES = Path(__file__).parent / "fixtures"


def test_highlighted_words_are_the_analysers_tokens(ix: SearchIndex) -> None:
    # highlighting reads a text's words without Whoosh's generator chain (each distinct word
    # analysed once, then looked up): the same words, stop words, offsets as the analyser's
    analyzer = ix._get_searcher().schema["title"].analyzer
    texts = (
        [d.title for d in CORPUS]
        + [d.text for d in CORPUS]
        + [
            "L. 221-18, L221-18, R*111-19-18, LO 136-1, L.O. 136-1, NF C 15-100, A. 441-2, l 32",
            "Publiée, premières, dernière ; l'e-commerce et le m-paiement — Œuvre, Straße, ﬁnance",
            "jusqu'au 1er mars, qu'il soit même « sécurité » ou securite ; 6 % et 2,5 %",
            (FIXTURES / "feeds" / "humanite-actu.rss").read_text(encoding="utf-8"),
            (FIXTURES / "pages" / "soundofscience.fr.1927.html").read_text(encoding="utf-8"),
        ]
    )
    reader = _Reader(analyzer)
    assert reader.expression is not None  # the fast way, not the analyser run as it is
    for text in texts:
        expected = [
            (t.text, t.stopped, t.startchar, t.endchar)
            for t in analyzer(text, chars=True, mode="query", removestops=False)
        ]
        for _ in range(2):  # words unseen, then remembered
            got = [(w.text, w.stopped, w.startchar, w.endchar) for w in reader.words(text)]
            assert got == expected


def test_a_search_sees_an_item_added_after_it(tmp_path: Path) -> None:
    # nothing a search keeps between searches (the words it highlighted, the searcher, the
    # columns, the group masks) serves a result of before an item was added
    index = SearchIndex(tmp_path / "ix")
    index.add(CORPUS[:10])
    before = search(index, "zebrure", groups=["g1"])
    assert (before.total, before.suggestion) == (0, None)
    assert search(index, "zébrures marché", groups=["g1"]).total == 0
    assert search(index, "zabrures", groups=["g1"]).suggestion is None
    for q in ("reglementation", "marché", "zabrures", "zabrures"):  # (words read, the 2nd time)
        search(index, q, groups=["g1"])
    assert index._spell_cache
    index.add([doc(201, "Zébrures du marché", "Des zébrures sur le marché des changes.",
                   hours_ago=1, source="lemonde")])  # fmt: skip
    after = search(index, "zebrure", groups=["g1"])
    assert [h.item_id for h in after.hits] == [201]
    assert after.hits[0].title_html == "<mark>Zébrures</mark> du marché"
    assert after.hits[0].snippet_html == "Des <mark>zébrures</mark> sur le marché des changes"
    for _ in range(2):  # the new segment's words from the disk, then from memory
        assert search(index, "zabrures", groups=["g1"]).suggestion == "zebrures"
    assert 201 in ids(index, "zébrures marché", groups=["g1"])
    index.delete([201])
    assert search(index, "zebrure", groups=["g1"]).total == 0
    index.close()


def test_hit_fields(ix: SearchIndex) -> None:
    hit = search(ix, "ref:RGPD", sort="date").hits[0]
    d = BY_ID[hit.item_id]
    assert (hit.url, hit.source_id, hit.published) == (d.url, d.source_id, d.published)
    assert search(ix, "livraison gratuite").hits[0].published is None


# ---------------------------------------------------------------- suggestions


def test_did_you_mean(ix: SearchIndex) -> None:
    res = search(ix, "reglemantation")
    assert res.total == 0
    assert res.suggestion == "reglementation"
    assert search(ix, res.suggestion).total > 0
    res = search(ix, "carrefour prix -leclerc axis:concurrence inflatoin")
    assert res.suggestion == "carrefour prix -leclerc axis:concurrence inflation"
    assert search(ix, "reglementation").suggestion is None
    assert search(ix, "axis:concurrence").suggestion is None
    assert search(ix, "zzzzqqq").suggestion is None


MISSPELT = (
    "reglemantation", "inflatoin", "concurence", "sanctoins", "marchers", "consomateurs",
    "autorite", "finacier", "zzzzqqq", "amf", "europeenes", "telephonque", "lecler", "q",
)  # fmt: skip


@pytest.mark.parametrize("batch", [None, 7])  # one segment (a rebuild), several
def test_did_you_mean_reads_the_words_whoosh_reads(
    tmp_path: Path, batch: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « did you mean » looks its words up in sorted lists in memory rather than in the term
    # files: the same words, ranked alike, as Whoosh's corrector finds, for a reader of one
    # segment (its Levenshtein automaton) or of several (the distance of each word)
    index = SearchIndex(tmp_path / "ix")
    if batch is None:
        index.rebuild(CORPUS)
    else:
        index.add(CORPUS, batch_size=batch)
    reader = index._get_searcher().reader()
    assert index.segment_count() == (1 if batch is None else -(-len(CORPUS) // batch))
    whooshs = reader.corrector("spell")
    # the first time, Whoosh's (a process that searches once would read the words for nothing)
    assert type(index._corrector(reader)).__name__ == "ReaderCorrector"
    ours = index._corrector(reader)
    assert type(ours).__name__ == "_SpellCorrector"
    for word in MISSPELT:
        for maxdist in (1, 2):
            expected = whooshs.suggest(word, limit=5, maxdist=maxdist, prefix=1)
            assert ours.suggest(word, limit=5, maxdist=maxdist, prefix=1) == expected
            assert sorted(ours._within(word, maxdist, 1)) == sorted(
                reader.terms_within("spell", word, maxdist, prefix=1)
            )
    # past SPELL_WORDS words in all, Whoosh's own corrector
    monkeypatch.setattr("watcher.find.index.SPELL_WORDS", 10)
    index._spell_cache.clear()
    assert type(index._corrector(reader)).__name__ == "ReaderCorrector"
    assert search(index, "reglemantation").suggestion == "reglementation"
    index.close()


def test_no_suggestion_for_a_word_its_stem_finds(ix: SearchIndex) -> None:
    # "commercial" is written nowhere as such, but "commerciale(s)" is: it finds them all
    res = search(ix, "commercial")
    assert res.total > 2
    assert res.suggestion is None


# ------------------------------------------------------------ writing, lifecycle


def small_index(tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "ix")
    index.add(CORPUS[:10])
    return index


def test_upsert_replaces(tmp_path: Path) -> None:
    index = small_index(tmp_path)
    assert ids(index, "carrefour") == {3, 4}
    new3 = dataclasses.replace(BY_ID[3], title="Auchan baisse ses prix", text="Baisse.",
                               entities=("Auchan",))  # fmt: skip
    assert index.add([new3]) == 1
    assert index.doc_count() == 10
    assert ids(index, "carrefour") == {4}
    assert ids(index, "auchan") == {3}
    assert dict(search(index, "").facets["entity"])["Carrefour"] == 1
    # duplicates inside one batch: the last version wins
    a = dataclasses.replace(BY_ID[5], title="Version A")
    b = dataclasses.replace(BY_ID[5], title="Version B")
    assert index.add([a, b]) == 1
    assert index.doc_count() == 10
    assert [h.title for h in search(index, "version").hits] == ["Version B"]
    index.close()


def test_delete_and_clear(tmp_path: Path) -> None:
    index = small_index(tmp_path)
    assert index.delete([3, 4, 999]) == 2
    assert index.delete([]) == 0
    assert index.delete([3]) == 0
    assert index.doc_count() == 8
    assert index.indexed_ids() == set(range(1, 11)) - {3, 4}
    assert ids(index, "carrefour") == set()
    assert "Carrefour" not in dict(search(index, "").facets["entity"])
    index.clear()
    assert index.doc_count() == 0
    assert index.indexed_ids() == set()
    assert search(index, "").total == 0
    index.add(CORPUS[:2])
    assert index.indexed_ids() == {1, 2}
    index.close()


def test_many_commits_then_optimize_keep_results_right(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    for d in CORPUS:  # one commit per document: many segments
        index.add([d])
    assert index.segment_count() > 1
    before = {q: ids(index, q) for q in ("prix", "cnil", "", "axis:normatif")}
    index.delete([1])
    index.add([dataclasses.replace(BY_ID[2], title="Démarchage : nouveau titre")])
    index.optimize()
    assert index.segment_count() == 1
    assert index.doc_count() == 29
    assert index.indexed_ids() == set(BY_ID) - {1}
    for q, expected in before.items():
        assert ids(index, q) == expected - {1}, q
    assert ids(index, "nouveau titre") == {2}
    index.close()


def test_refresh_sees_deletes_and_merges(tmp_path: Path) -> None:
    # whoosh3 3.54.0's Searcher.refresh() resurrects deleted documents and merged
    # segments; our long-lived searcher must not.
    index = SearchIndex(tmp_path / "ix")
    for d in CORPUS[:3]:
        index.add([d])
    assert index.doc_count() == 3  # the searcher is now open
    index.add([dataclasses.replace(BY_ID[2], title="Titre remplacé")])
    assert index.doc_count() == 3
    assert ids(index, "") == {1, 2, 3}
    assert len(search(index, "").hits) == 3
    index.optimize()
    assert index.doc_count() == 3
    assert len(search(index, "").hits) == 3
    index.delete([2])
    assert ids(index, "") == {1, 3}
    index.close()


def test_second_index_on_same_dir_sees_commits(tmp_path: Path) -> None:
    a = SearchIndex(tmp_path / "ix")
    b = SearchIndex(tmp_path / "ix")
    assert a.doc_count() == b.doc_count() == 0
    a.add(CORPUS[:5])
    assert b.doc_count() == 5
    assert ids(b, "carrefour") == {3, 4}
    b.delete([3])
    assert ids(a, "carrefour") == {4}
    a.close()
    b.close()
    c = SearchIndex(tmp_path / "ix")  # reopening keeps the data
    assert c.indexed_ids() == {1, 2, 4, 5}
    c.close()


def test_reading_while_another_writer_is_open(tmp_path: Path) -> None:
    reader = small_index(tmp_path)
    writer_side = SearchIndex(tmp_path / "ix")
    before = ids(reader, "prix")
    w = writer_side._writer()  # holds the write lock, as a long batch would
    try:
        w.add_document(**_fields(dataclasses.replace(BY_ID[30], item_id=31)))
        t0 = time.perf_counter()
        assert ids(reader, "prix") == before  # not blocked, sees the last commit
        assert reader.doc_count() == 10
        assert time.perf_counter() - t0 < 5
    finally:
        w.commit()
    assert reader.doc_count() == 11
    assert 31 in ids(reader, "seconde main")
    reader.close()
    writer_side.close()


def test_concurrent_searches_while_writing(tmp_path: Path) -> None:
    index = small_index(tmp_path)
    errors: list[BaseException] = []
    seen: list[int] = []

    def reader() -> None:
        try:
            for _ in range(15):
                res = index.search("prix OR cnil OR réglementation", groups=None, now=NOW)
                seen.append(res.total)
                assert res.total == len({h.item_id for h in res.hits})
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for d in CORPUS[10:]:
        index.add([d])
    index.delete([1])
    for t in threads:
        t.join()
    assert errors == []
    assert len(seen) == 45
    assert ids(index, "") == set(BY_ID) - {1}
    index.close()


def test_busy_writer_lock_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = small_index(tmp_path)
    other = SearchIndex(tmp_path / "ix")
    monkeypatch.setattr("watcher.find.index.WRITER_TIMEOUT", 0.0)
    w = other._writer()
    try:
        with pytest.raises(IndexBusyError, match="locked by another writer"):
            index.add([BY_ID[11]])
        with pytest.raises(IndexBusyError):
            index.delete([1])
        assert index.doc_count() == 10  # reading still works
    finally:
        w.cancel()
    assert index.add([BY_ID[11]]) == 1
    index.close()
    other.close()


def _fields(d: IndexDoc) -> dict[str, object]:
    from watcher.find.index import _doc_fields

    return _doc_fields(d)


def test_naive_dates_are_rejected(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    naive = dataclasses.replace(BY_ID[1], published=datetime(2026, 11, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        index.add([naive])
    assert index.doc_count() == 0
    with pytest.raises(ValueError, match="timezone-aware"):
        index.search("", groups=None, now=datetime(2026, 11, 1))
    index.close()


def test_schema_change_recreates_the_index(tmp_path: Path) -> None:
    index = small_index(tmp_path)
    index.close()
    old_segments = set((tmp_path / "ix").glob("*.seg"))
    assert old_segments
    (tmp_path / "ix" / "WATCHER_SCHEMA").write_text("0\n")
    (tmp_path / "ix" / "README").write_text("not Whoosh's\n")
    again = SearchIndex(tmp_path / "ix")
    assert again.indexed_ids() == set()  # the caller reindexes from the store
    again.close()
    assert not old_segments & set((tmp_path / "ix").glob("*.seg"))  # no dead weight left
    assert (tmp_path / "ix" / "README").exists()


def test_a_near_duplicate_cluster_counts_once(tmp_path: Path) -> None:
    replace = dataclasses.replace
    index = SearchIndex(tmp_path / "clusters")
    release = "Telvia lance un rappel du service client en moins de deux heures"
    docs = [
        replace(doc(1, release, "Communiqué original.", hours_ago=50, source="cnil"), cluster_id=1),
        replace(doc(2, release, "Repris par un site.", hours_ago=20, source="lsa"), cluster_id=1),
        replace(doc(3, release, "Repris encore.", hours_ago=10, source="lsa"), cluster_id=1),
        doc(4, "Service client : un autre sujet", "Rien à voir.", hours_ago=5, source="lsa"),
    ]
    index.add(docs)
    try:
        for sort in ("relevance", "date"):
            found = index.search("service client", groups=None, now=NOW, sort=sort)
            assert found.total == 2
            assert sorted(h.item_id for h in found.hits) == [1, 4]  # the original stands for it
            assert dict(found.facets["source"]) == {"cnil": 1, "lsa": 1}
        everything = index.search("service client", groups=None, now=NOW, collapse=False)
        assert everything.total == 4
        # scoping first: a group that only has a republication sees that one
        scoped = index.search("deux heures", groups=["g9"], now=NOW)
        assert scoped.total == 0
    finally:
        index.close()


@pytest.mark.parametrize("groups", [None, ["g1"], ["g2"]])
@pytest.mark.parametrize("q", ["prix", "service client", "marché OR consommation", "cnil -amende"])
def test_pages_by_relevance_are_slices_of_one_ranking(
    ix: SearchIndex, q: str, groups: list[str] | None
) -> None:
    whole = [h.item_id for h in search(ix, q, groups=groups, limit=100).hits]
    for size in (1, 2, 3):
        paged: list[int] = []
        for page in range(1, len(whole) // size + 2):
            paged += [h.item_id for h in search(ix, q, groups=groups, limit=size, page=page).hits]
        assert paged == whole, (size, paged, whole)


def test_warm_reads_what_the_first_search_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.add(CORPUS[:10], batch_size=5)
    index.add(CORPUS[10:], batch_size=100)  # two segments
    index.warm()

    def unread(*_args: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr("watcher.find.index.SegmentColumns.read", unread)
    monkeypatch.setattr("watcher.find.index.length_column", unread)
    res = search(index, "prix", facets=True)
    assert res.total and res.facets
    index.close()


def _saved_columns(path: Path) -> list[Path]:
    return sorted(path.glob("*.watcher_columns.npz"))


def test_decoded_columns_are_kept_for_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = SearchIndex(tmp_path / "ix")
    first.add(CORPUS[:10], batch_size=5)
    first.add(CORPUS[10:], batch_size=100)
    expected = search(first, "prix", facets=True, sort="date")
    assert len(_saved_columns(first.path)) == first.segment_count() == 3
    first.close()

    def unread(*_args: object) -> None:
        raise AssertionError("decoded again")

    with monkeypatch.context() as m:  # another process: the saved columns, not Whoosh's
        m.setattr("watcher.find.index.SegmentColumns.read", unread)
        second = SearchIndex(tmp_path / "ix")
        got = search(second, "prix", facets=True, sort="date")
        second.close()
    assert got.facets == expected.facets and got.facets
    assert [h.item_id for h in got.hits] == [h.item_id for h in expected.hits]

    damaged = _saved_columns(tmp_path / "ix")[0]
    damaged.write_bytes(b"not a numpy archive")
    third = SearchIndex(tmp_path / "ix")
    assert search(third, "prix", facets=True, sort="date").facets == expected.facets
    assert damaged.read_bytes().startswith(b"PK")  # decoded again, and written back whole

    before = set(_saved_columns(third.path))
    third.optimize()  # one segment: Whoosh removes the merged segments' files, ours too,
    merged = set(_saved_columns(third.path))  # and the new segment's are saved as it is written
    assert len(merged) == third.segment_count() == 1 and not merged & before
    with monkeypatch.context() as m:
        m.setattr("watcher.find.index.SegmentColumns.read", unread)
        assert search(third, "prix", facets=True, sort="date").facets == expected.facets
    third.close()


def test_deleting_from_a_segment_without_saved_columns_decodes_and_saves_them(
    tmp_path: Path,
) -> None:
    first = SearchIndex(tmp_path / "ix")
    first.add(CORPUS[:10], batch_size=5)
    first.add(CORPUS[10:], batch_size=100)
    everything = ids(first, "prix")
    first.close()
    for saved in _saved_columns(tmp_path / "ix"):  # an index written before columns were kept
        saved.unlink()
    second = SearchIndex(tmp_path / "ix")
    gone = sorted(everything)[:2]
    assert second.delete(gone) == 2  # the item ids read from the decoded columns
    assert ids(second, "prix") == everything - set(gone)
    assert len(_saved_columns(second.path)) == second.segment_count()  # and kept
    second.close()


# ------------------------------------------------------------ what learners type


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[SearchIndex]:
    index = SearchIndex(tmp_path / "ix")
    yield index
    index.close()


def test_a_star_is_no_wildcard(tiny: SearchIndex) -> None:
    # Whoosh's default tokenizer keeps "*" in words (its wildcard syntax): `sanction*` was the
    # term "sanction*", found nowhere, and a price's footnote mark « 34,99 €* » hid « prix* »
    tiny.add([
        doc(1, "Sanction CNIL", "La CNIL sanctionne un centre d'appels.", hours_ago=1,
            source="cnil"),
        doc(2, "Offre box", "Le prix* baisse de 3 €* pour les nouveaux clients.", hours_ago=2,
            source="lsa"),
    ])  # fmt: skip
    assert ids(tiny, "sanction*") == ids(tiny, "sanction") == {1}
    assert ids(tiny, "prix") == ids(tiny, "prix*") == {2}
    assert ids(tiny, '"prix baisse"') == {2}
    with pytest.raises(NoSearchableWord):
        search(tiny, "*")


def test_no_suggestion_that_finds_the_same(tiny: SearchIndex) -> None:
    # « sanctionné » and « sanction » have one stem: proposing one for the other finds the
    # same items (in a small watch, where the stem is in at most RARE_DF items)
    tiny.add([
        doc(1, "Sanction CNIL", "Une amende pour un centre d'appels.", hours_ago=1,
            source="cnil"),
        doc(2, "Démarchage", "Les sanctions sont renforcées.", hours_ago=2, source="dgccrf"),
    ])  # fmt: skip
    res = search(tiny, "sanctionné")
    assert {h.item_id for h in res.hits} == {1, 2}
    assert res.suggestion is None
    assert search(tiny, "sanctoin").suggestion == "sanction"  # a misspelling still is


def test_a_code_article_is_found_however_it_is_written(tiny: SearchIndex) -> None:
    # « L. 221-18 » (the dot and space of Légifrance), « L221-18 » (the form of the keys,
    # `fr:code:consommation:L221-18`) and « L.221-18 » are three tokenisations: a learner typing
    # one of them found only the items written the same way (`L221-18`: none in the demo)
    tiny.add([
        doc(1, "Rétractation", "L'article L. 221-18 du code de la consommation.", hours_ago=1,
            source="dgccrf"),
        doc(2, "Délai", "Quatorze jours (art. L221-18 C. consom.).", hours_ago=2,
            source="dgccrf"),
        doc(3, "Délai légal", "Voir l'article L.221-18.", hours_ago=3, source="dgccrf"),
        doc(4, "Autre article", "L'article L. 221-28 : 18 jours.", hours_ago=4, source="dgccrf"),
    ])  # fmt: skip
    for written in ("L. 221-18", "L221-18", "L.221-18", "l221-18", '"article L221-18"'):
        assert ids(tiny, written) == ({1, 2, 3} if "article" not in written else {1, 3}), written
    assert ids(tiny, "L221-19") == set()
    hit = search(tiny, "L221-18", sort="date").hits[-1]  # item 3: « L.221-18 »
    assert "<mark>L.221-18</mark>" in hit.snippet_html, hit.snippet_html
    hit = search(tiny, "L221-18", sort="date").hits[0]  # item 1: « L. 221-18 »
    assert "<mark>L. 221-18</mark>" in hit.snippet_html, hit.snippet_html


# Real sentences (tests/data/refs/real_dev.jsonl, development lines; sources below), citing the
# same number under two letters: L (législative), R and D (réglementaire) are different texts.
# aurelienbamde.com/tag/assureur/page/4/ (1958, 1959); fiducial.fr/…/Mediation-des-litiges-entre-
# professionnels-et-consommateurs (2044); testing.lemoniteur.fr/…/location-de-meubles-de-tourisme-
# une-activite-a-declarer.694129 (4010, 4011); avocat-sos-secheresse.fr/?p=217 (2166);
# registre-public.fr/registres/ (4021); kohenavocats.com/tribunal-judiciaire-de-toulouse-le-24-
# juin-2025-n25-01691 (4220)
LETTERED = [
    doc(1, "Résiliation après sinistre",
        "L’article R. 113-10 du Code des assurances confère la faculté à l’assureur de stipuler "
        "dans la police une clause l’autorisant à résilier le contrat d’assurance "
        "consécutivement à la survenance d’un sinistre.", hours_ago=1, source="dgccrf"),
    doc(2, "Résiliation des autres contrats",
        "En contrepartie, l’article L. 113-10 du Code des assurances oblige l’assureur à "
        "reconnaître à l’assuré dans la police le droit de résilier unilatéralement les autres "
        "contrats d’assurance qu’il aurait souscrit auprès de ce même assureur.", hours_ago=2,
        source="dgccrf"),
    doc(3, "Médiation",
        "Les articles L. 616-1 et R. 616-1 du Code de la consommation prévoient que tout "
        "professionnel communique au consommateur les coordonnées du ou des médiateurs de la "
        "consommation dont il relève.", hours_ago=3, source="dgccrf"),
    doc(4, "Meublés de tourisme",
        "L’article L. 324-1-1 du Code du tourisme, dans sa rédaction issue de l’article 51 de la "
        "loi du 7 octobre 2016 pour une République numérique, précise que toute personne qui "
        "offre à la location un meublé de tourisme doit en avoir préalablement fait la "
        "déclaration auprès du maire.", hours_ago=4, source="dgccrf"),
    doc(5, "Enregistrement",
        "Pris pour l’application de cet article, le décret du 28 avril 2017 apporte des "
        "précisions sur les modalités de cet enregistrement et modifie les articles D. 324-1 et "
        "D. 324-1-1 du Code du tourisme.", hours_ago=5, source="dgccrf"),
    doc(6, "Prescription",
        "En effet, aux termes de l’article R112-1 du code des assurances , les polices "
        "d’assurance relevant des branches 1 à 17 de l’article R321-1 (dont l’assurance "
        "multirisque habitation fait partie) doivent rappeler les dispositions des titres 1er "
        "et II du livre premier.", hours_ago=6, source="dgccrf"),
    doc(7, "Accessibilité",
        "    • pour les ERP sous AT, la notice d’accessibilité, prévue à l’article R*111-19-18 "
        "du CCH", hours_ago=7, source="dgccrf"),
    doc(8, "Responsabilité",
        "La question posée concernait la réunion des conditions de l’article 1240 du code civil "
        "et l’administration de la preuve des chefs de préjudice allégués.", hours_ago=8,
        source="dgccrf"),
]  # fmt: skip


def test_a_code_article_keeps_its_letter(tiny: SearchIndex) -> None:
    # the letter was dropped (a one-letter word): `R. 113-10` found the item on L. 113-10 too,
    # `D. 324-1-1` the one on L. 324-1-1
    tiny.add(LETTERED)
    for written in (
        "R. 113-10",
        "R113-10",
        "R.113-10",
        "r113-10",
        '"R. 113-10"',
        "R 113-10",
        "article R. 113-10",
        '"article R. 113-10"',
        "l’article R.113-10",
        "R*113-10",
    ):
        assert ids(tiny, written) == {1}, written
    for written in ("L. 113-10", "L113-10", "l.113-10", "L-113-10", '"l\'article L. 113-10"'):
        assert ids(tiny, written) == {2}, written
    assert ids(tiny, "113-10") == {1, 2}  # the number alone: under any letter
    assert ids(tiny, "D. 324-1-1") == {5}
    assert ids(tiny, "L324-1-1") == {4}
    assert ids(tiny, "324-1-1") == {4, 5}
    assert ids(tiny, "R. 616-1") == ids(tiny, "R616-1") == {3}
    assert ids(tiny, "L. 616-1 R. 616-1") == {3}
    assert ids(tiny, "D616-1") == set()
    assert ids(tiny, "R. 112-1") == ids(tiny, '"R 112-1"') == {6}
    assert ids(tiny, "L. 112-1") == set()
    # « R*111-19-18 »: the star of an article decreed in Conseil des ministres is not its letter
    for written in ("R*111-19-18", "R. 111-19-18", "R111-19-18", '"R.* 111-19-18"'):
        assert ids(tiny, written) == {7}, written
    assert ids(tiny, "L111-19-18") == set()
    # an article without a letter (the code civil's) is found as before
    assert ids(tiny, "article 1240") == ids(tiny, '"article 1240"') == {8}
    assert ids(tiny, "-R. 113-10 113-10") == {2}


def test_a_lettered_article_is_highlighted_with_its_letter(tiny: SearchIndex) -> None:
    # « R. 616-1 » marked the « 616-1 » of « L. 616-1 » too, the wrong article
    tiny.add(LETTERED)
    hit = search(tiny, "R. 616-1").hits[0]
    assert "articles L. 616-1 et <mark>R. 616-1</mark> du" in hit.snippet_html, hit.snippet_html
    hit = search(tiny, '"L. 616-1"').hits[0]
    assert "articles <mark>L. 616-1</mark> et R. 616-1 du" in hit.snippet_html, hit.snippet_html
    hit = search(tiny, "616-1").hits[0]  # the number alone: both, not their letters
    assert "L. <mark>616-1</mark> et R. <mark>616-1</mark>" in hit.snippet_html, hit.snippet_html
    hit = search(tiny, "D324-1-1").hits[0]
    assert "D. 324-1 et <mark>D. 324-1-1</mark> du" in hit.snippet_html, hit.snippet_html
    hit = search(tiny, "R*111-19-18").hits[0]
    assert "l’article <mark>R*111-19-18</mark>" in hit.snippet_html, hit.snippet_html


def test_did_you_mean_keeps_the_article_s_letter(tiny: SearchIndex) -> None:
    tiny.add(LETTERED)
    res = search(tiny, "résiliasion R. 113-10")
    assert res.suggestion == "resiliation R. 113-10"
    assert ids(tiny, res.suggestion) == {1}


def test_did_you_mean_proposes_the_letter_an_article_number_is_found_under(
    tiny: SearchIndex,
) -> None:
    # `L. 112-1` (the item cites R112-1 of the code des assurances) found nothing, and nothing
    # said that the number is found under another letter
    tiny.add(LETTERED)
    assert search(tiny, "L. 112-1").suggestion == "R. 112-1"
    assert search(tiny, "assurance L112-1").suggestion == "assurance R112-1"
    assert search(tiny, "L111-19-18").suggestion == "R111-19-18"
    assert search(tiny, "D*616-1").suggestion == "L616-1"  # (no star for another letter)
    assert search(tiny, "D. 113-10").suggestion == "L. 113-10"  # L and R alike: L first
    assert search(tiny, "A. 324-1-1").suggestion == "L. 324-1-1"  # L and D alike
    assert search(tiny, "R. 113-10").suggestion is None  # found
    assert search(tiny, "L. 999-1").suggestion is None  # under no letter
    assert search(tiny, "L. 112-1", groups=["g2"]).suggestion is None  # not for this group


def test_ref_keeps_the_letter_and_reads_a_star(tiny: SearchIndex) -> None:
    # `ref:R*111-19-18` was no article (the star), and found nothing
    tiny.add(
        [
            dataclasses.replace(LETTERED[6], refs=("fr:code:construction-habitation:R*111-19-18",)),
            dataclasses.replace(LETTERED[0], refs=("fr:code:assurances:R113-10",)),
            dataclasses.replace(LETTERED[1], refs=("fr:code:assurances:L113-10",)),
        ]
    )
    for written in (
        "ref:R*111-19-18",
        "ref:R111-19-18",
        'ref:"R.* 111-19-18"',
        'ref:"art. R. 111-19-18"',
        "ref:fr:code:construction-habitation:R111-19-18",
    ):
        assert ids(tiny, written) == {7}, written
    assert ids(tiny, "ref:R113-10") == {1}
    assert ids(tiny, 'ref:"L. 113-10"') == {2}


def test_did_you_mean_prefers_the_closest_word(tiny: SearchIndex) -> None:
    # whoosh3's ReaderCorrector ranks by frequency alone (its score uses maxdist, not the
    # word's distance): « téléphonque » was corrected to the frequent « telephone » (two edits,
    # another stem) rather than « telephonique » (one letter left out)
    tiny.add([
        doc(1, "Démarchage téléphonique", "Les appels non sollicités.", hours_ago=1,
            source="dgccrf"),
        *(doc(n, f"Téléphone {n}", "Un téléphone.", hours_ago=n, source="lsa")
          for n in range(2, 6)),
    ])  # fmt: skip
    assert search(tiny, "téléphonque").suggestion == "telephonique"
    assert search(tiny, "telefone").suggestion == "telephone"  # two edits, nothing closer


def test_one_digit_words_are_searched(tiny: SearchIndex) -> None:
    # one-character words were all dropped, digits too: « article 6 » found every « article »,
    # « L. 221-5 » every L. 221-x, « directive 2 » any « directive »
    tiny.add([
        doc(1, "Licéité", "L'article 6 du RGPD et la directive 2 de 2019.", hours_ago=1,
            source="cnil"),
        doc(2, "Consentement", "L'article 7 du RGPD.", hours_ago=2, source="cnil"),
        doc(3, "Information", "L'article L. 221-5 du code de la consommation.", hours_ago=3,
            source="dgccrf"),
        doc(4, "Rétractation", "L'article L. 221-18 du code de la consommation.", hours_ago=4,
            source="dgccrf"),
    ])  # fmt: skip
    assert ids(tiny, '"article 6"') == {1}
    assert ids(tiny, "article 6") == {1}
    assert ids(tiny, "L. 221-5") == {3}
    assert ids(tiny, "L221-5") == {3}
    assert ids(tiny, '"directive 2"') == {1}
    hit = search(tiny, '"article 6"').hits[0]
    assert "<mark>article 6</mark> du" in hit.snippet_html, hit.snippet_html
    # one-letter words (elisions, « a », « y ») stay out: a query of them only is refused
    with pytest.raises(NoSearchableWord):
        search(tiny, "y a")


def test_a_letter_hyphened_to_a_word_is_one_word(tiny: SearchIndex) -> None:
    # « e-commerce » found « commerce » and « commerçants » (the « e » dropped)
    tiny.add([
        doc(1, "Vente en ligne", "Le e-commerce progresse.", hours_ago=1, source="lsa"),
        doc(2, "Boutiques", "Le commerce de proximité et les commerçants.", hours_ago=2,
            source="lsa"),
        doc(3, "Chiffres", "Les ventes de l'E-Commerce en France.", hours_ago=3, source="lsa"),
    ])  # fmt: skip
    assert ids(tiny, "e-commerce") == {1, 3}
    assert ids(tiny, "E-commerce") == {1, 3}
    assert ids(tiny, "commerce") == {2}
    hit = search(tiny, "e-commerce", sort="date").hits[0]
    assert "<mark>e-commerce</mark>" in hit.snippet_html, hit.snippet_html


def test_ref_finds_a_code_by_its_name_and_an_article_without_its_code(tiny: SearchIndex) -> None:
    # items citing a code article are indexed by the article's key alone: `ref:"code de la
    # consommation"` and `ref:L221-18` (without the code) found nothing
    from datetime import date

    from watcher.understand.refs import resolve_reference_query

    def resolve(value: str) -> list[str]:
        return resolve_reference_query(value, date(2026, 12, 7))

    tiny.add([
        doc(1, "Rétractation", "L'article L. 221-18 du code de la consommation.", hours_ago=1,
            source="dgccrf", refs=("fr:code:consommation:L221-18",)),
        doc(2, "Information", "L'article L. 111-1 du code de la consommation.", hours_ago=2,
            source="dgccrf", refs=("fr:code:consommation:L111-1",)),
        doc(3, "Sociétés", "L'article L. 221-18 du code de commerce.", hours_ago=3,
            source="dgccrf", refs=("fr:code:commerce:L221-18",)),
        doc(4, "Consommateurs", "Un texte sans article.", hours_ago=4, source="dgccrf"),
    ])  # fmt: skip
    assert ids(tiny, 'ref:"code de la consommation"', resolve_ref=resolve) == {1, 2}
    assert ids(tiny, "ref:fr:code:consommation") == {1, 2}
    assert ids(tiny, "ref:fr:code:commerce", resolve_ref=resolve) == {3}
    for written in ("ref:L221-18", 'ref:"L. 221-18"', "ref:l.221-18"):
        assert ids(tiny, written, resolve_ref=resolve) == {1, 3}, written
    assert ids(tiny, "ref:fr:code:consommation:L221-18") == {1}
    assert ids(tiny, "ref:L221-19", resolve_ref=resolve) == set()


def test_a_phrase_is_highlighted_where_it_occurs_whole(tiny: SearchIndex) -> None:
    # each word of a phrase was marked wherever it was: « 221 » of « L. 221-28 » for the
    # phrase « L. 221-18 »
    tiny.add([
        doc(1, "L. 221-18 et L. 221-28", "L'article L. 221-18 et l'article L. 221-28 du code.",
            hours_ago=1, source="dgccrf"),
        doc(2, "La hausse des prix", "Une hausse, puis la hausse des prix.", hours_ago=2,
            source="lsa"),
    ])  # fmt: skip
    for query in ("L. 221-18", '"L. 221-18"', "L221-18"):
        hit = search(tiny, query).hits[0]
        assert "<mark>L. 221-18</mark>" in hit.snippet_html, hit.snippet_html
        assert "221-28" in hit.snippet_html and "<mark>221</mark>-28" not in hit.snippet_html
        assert hit.title_html == "<mark>L. 221-18</mark> et L. 221-28", query
    hit = search(tiny, '"hausse des prix"').hits[0]
    assert hit.snippet_html.startswith("Une hausse, puis la <mark>hausse</mark> des <mark>prix")
    assert hit.title_html == "La <mark>hausse</mark> des <mark>prix</mark>"
    hit = search(tiny, "hausse").hits[0]  # a word alone: wherever it is
    assert hit.snippet_html.count("<mark>hausse</mark>") == 2


def test_an_article_of_an_organic_law_is_lo_however_written(tiny: SearchIndex) -> None:
    # « L.O. 136-1 » (as the Sénat's and Légifrance's pages write it) was the word « l.o »,
    # not found by `LO 136-1`; and `L. 136-1` found the « LO 136-1 » items too
    tiny.add([
        doc(1, "Inéligibilité", "En application des articles L.O. 136-1 et L.O. 136-3.",
            hours_ago=1, source="dgccrf"),
        doc(2, "Inéligibilité", "En application des articles LO 136-1 et LO 136-3.", hours_ago=2,
            source="dgccrf"),
        doc(3, "Autre", "En application de l'article L. 136-1.", hours_ago=3, source="dgccrf"),
    ])  # fmt: skip
    for written in ("LO 136-1", "L.O. 136-1", "lo136-1", '"articles LO 136-1"'):
        assert ids(tiny, written) == {1, 2}, written
    assert ids(tiny, "L. 136-1") == {3}
    assert ids(tiny, "136-1") == {1, 2, 3}
    hit = search(tiny, "LO 136-1", sort="date").hits[0]
    assert "articles <mark>L.O. 136-1</mark> et L.O. 136-3" in hit.snippet_html, hit.snippet_html
    assert search(tiny, "LO 136-3").suggestion is None
    assert search(tiny, "L. 136-3").suggestion == "LO 136-3"
