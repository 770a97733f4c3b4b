"""A listing page's article links without a `follow` selector (watcher.collect.listing), and
their quality on real French listing pages (tests/fixtures/listings/, see the README there)."""

from __future__ import annotations

import pytest

from benchmarks.quality_listing import pages, part_of, score, summary
from watcher.collect.listing import article_links, looks_like_article, next_page_link, site_of

NEWSROOM = """<!doctype html><html lang="fr"><head><title>Communiqués de presse</title>
<link rel="next" href="/presse/communiques?page=2"></head><body>
<header class="site-header"><a href="/">Accueil</a>
<nav><ul><li><a href="/presse/communiques">Communiqués</a></li>
<li><a href="/le-groupe/notre-histoire-depuis-1902">Notre histoire depuis 1902</a></li></ul></nav>
</header>
<main>
<h1>Communiqués de presse</h1>
<ul class="liste-communiques">
<li class="communique"><a href="/presse/communiques/2026/11/telvia-ouvre-un-centre-a-lille">
Telvia ouvre un centre à Lille</a> <span class="date">26 novembre 2026</span>
<a class="tag" rel="tag" href="/tag/emploi-en-region-lille">Emploi</a></li>
<li class="communique"><a href="/presse/communiques/resultats-du-troisieme-trimestre-2026">
Résultats du troisième trimestre</a> <span class="date">12 novembre 2026</span></li>
<li class="communique"><a href="/presse/communiques/12345">Nomination</a>
<a href="/presse/communiques/12345">Lire la suite</a></li>
<li class="communique"><a href="/medias/rapport-annuel-2025-complet.pdf">Rapport (PDF)</a></li>
</ul>
<div class="share"><a href="/partager/telvia-ouvre-un-centre-a-lille">Partager</a></div>
<nav class="pagination"><a href="/presse/communiques?page=2">2</a>
<a href="/presse/communiques/page/3">3</a></nav>
<p><a href="https://www.autre-site.fr/actualites/2026/11/un-article-ailleurs">Ailleurs</a>
<a href="/auteurs/claire-petit-redactrice">Claire Petit</a>
<a href="/connexion">Se connecter</a></p>
</main>
<aside><h2>À lire aussi</h2><a href="/blog/2026/10/nos-conseillers-en-formation">Formation</a>
<a href="/blog/2026/09/un-autre-billet-du-blog">Billet</a></aside>
<footer><a href="/mentions-legales">Mentions légales</a>
<a href="/actualites/2026/11/03/un-lien-du-pied-de-page">Pied</a></footer>
</body></html>"""

URL = "https://presse.telvia.fr/presse/communiques"


def test_the_listing_s_articles_are_found_in_page_order_and_nothing_else() -> None:
    found = article_links(NEWSROOM, URL)
    assert found.urls == [
        "https://presse.telvia.fr/presse/communiques/2026/11/telvia-ouvre-un-centre-a-lille",
        "https://presse.telvia.fr/presse/communiques/resultats-du-troisieme-trimestre-2026",
        "https://presse.telvia.fr/presse/communiques/12345",  # once, not twice
    ]
    assert found.reason.startswith("3 liens d'articles trouvés dans 1 bloc répété")


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><body><p>Rien ici.</p></body></html>",
        '<html><body><nav><a href="/actualites/2026/11/03/un-article-du-menu">Menu</a>'
        '<a href="/actualites/2026/11/04/un-autre-article-du-menu">Menu</a></nav></body></html>',
        '<html><body><main><a href="/tag/emploi">Emploi</a><a href="/page/2">2</a>'
        '<a href="/documents/rapport-annuel-complet-2025.pdf">PDF</a></main></body></html>',
    ],
)
def test_a_page_without_article_links_gives_none_and_says_why(html: str) -> None:
    found = article_links(html, URL)
    assert found.urls == []
    assert found.reason


def test_an_article_address_looks_like_one() -> None:
    assert looks_like_article("https://a.fr/2026/11/03/titre", "https://a.fr/")
    assert looks_like_article("https://a.fr/actu/titre_15981393.html", "https://a.fr/")
    assert looks_like_article("https://a.fr/ouverture-d-un-centre-a-lille", "https://a.fr/")
    assert looks_like_article("https://a.fr/presse/nomination-directrice", "https://a.fr/presse")
    assert looks_like_article("https://a.fr/?p=123", "https://a.fr/")
    assert not looks_like_article("https://a.fr/ile-de-france/", "https://a.fr/")
    assert not looks_like_article("https://a.fr/societe", "https://a.fr/")
    assert not looks_like_article("https://a.fr/nous-contacter", "https://a.fr/")


def test_the_site_is_the_registrable_domain() -> None:
    assert site_of("https://presse.economie.gouv.fr/x") == "economie.gouv.fr"
    assert site_of("https://www.economie.gouv.fr/") == "economie.gouv.fr"
    assert site_of("http://127.0.0.1:8080/actu/") == "127.0.0.1"


def test_the_next_page_is_rel_next_or_page_suivante_on_the_same_site() -> None:
    assert next_page_link(NEWSROOM, URL) == "https://presse.telvia.fr/presse/communiques?page=2"
    suivante = '<html><body><a href="?page=3">Page suivante »</a></body></html>'
    assert next_page_link(suivante, URL + "?page=2") == URL + "?page=3"
    elsewhere = '<html><body><a rel="next" href="https://ailleurs.fr/p2">Suivant</a></body></html>'
    assert next_page_link(elsewhere, URL) == ""
    assert next_page_link("<html><body><a href='/a'>Accueil</a></body></html>", URL) == ""


def test_the_pages_are_split_by_the_sha1_of_their_address() -> None:
    assert part_of("https://www.service-public.fr/") == "heldout"
    assert part_of("https://www.cnil.fr/fr") == "dev"
    assert len(pages("dev", 1)) == 6 and len(pages("heldout")) == 4
    assert len(pages("dev", 2)) == 9 and len(pages("dev", 3)) == 2 and len(pages("dev")) == 17


def test_floors_on_the_development_pages() -> None:
    """Measured on 2026-12-07: macro precision 0.836, recall 0.970; micro 0.816, 0.976
    (`python -m benchmarks.quality_listing`). The worst page, gouvernement.fr (0.43), links its
    policy hubs (/action/…) as a list the size of its news."""
    figures = summary(score("dev", 1))
    assert figures["macro_precision"] >= 0.80
    assert figures["macro_recall"] >= 0.95
    assert figures["micro_precision"] >= 0.78
    assert figures["micro_recall"] >= 0.95
    assert figures["min_recall"] >= 0.80


def test_floors_on_the_held_out_pages() -> None:
    """Measured once, after the development was done (`… --heldout`, 2026-12-07): macro
    precision 0.581, recall 0.741; micro 0.496, 0.945. service-public.fr's home page gives 44
    links and none of its 3 news items (precision and recall 0); its false links were not
    looked at, so that the pages stay held out. Measured a second time by the lead after round 2
    (2026-12-07, eighth session), which never saw them: macro precision 0.613, recall 0.741;
    micro 0.704, 0.945 (service-public.fr 12 links, none right; lsa-conso.fr 40 links for 49)."""
    figures = summary(score("heldout"))
    assert figures["macro_precision"] >= 0.61
    assert figures["macro_recall"] >= 0.74
    assert figures["micro_precision"] >= 0.70
    assert figures["micro_recall"] >= 0.94


def _page(body: str) -> str:
    head = "<!doctype html><html lang='fr'><head><title>Accueil</title></head>"
    return f"{head}<body>{body}</body></html>"


def test_the_rows_of_a_list_are_alike_whatever_their_place_or_state() -> None:
    """Drupal's views number their rows and mark the first, the last, odd and even ones, a
    carousel its active item: one list all the same."""
    rows = "".join(
        f'<div class="views-row views-row-{n} views-row-{parity}{place}">'
        f'<div class="views-field-title"><a href="/actualites/{slug}">{title}</a></div></div>'
        for n, parity, place, slug, title in [
            (
                1,
                "odd",
                " views-row-first",
                "ouverture-d-un-centre-a-lille",
                "Un centre ouvre à Lille",
            ),
            (2, "even", "", "resultats-du-troisieme-trimestre", "Les résultats du trimestre"),
            (
                3,
                "odd",
                " views-row-last",
                "nomination-d-une-directrice",
                "Une directrice est nommée",
            ),
        ]
    )
    found = article_links(_page(f'<div class="view-content">{rows}</div>'), URL)
    assert [url.rsplit("/", 1)[-1] for url in found.urls] == [
        "ouverture-d-un-centre-a-lille",
        "resultats-du-troisieme-trimestre",
        "nomination-d-une-directrice",
    ]


def test_a_hub_s_labels_are_not_a_listing_but_news_items_with_short_links_are() -> None:
    """Links whose items say a label (« Presse », « Élèves »), even with an id in the address,
    are navigation; news items whose only link says « Communiqué de presse » are a listing."""
    hub = "".join(
        f'<li><a href="/pid{n}/{slug}.html">{label}</a></li>'
        for n, slug, label in [(34913, "partenaires", "PARTENAIRES"), (34914, "presse", "PRESSE"),
                               (34909, "eleves", "ÉLÈVES"), (34910, "etudiants", "ÉTUDIANTS")]
    )  # fmt: skip
    news = "".join(
        f'<div class="breve"><h3>{title}</h3><p>Le régulateur publie sa décision sur {title}.'
        f'<a href="/index.php?id=8571&uid={uid}">Communiqué de presse</a></p></div>'
        for uid, title in [(2132, "la fibre"), (2130, "la 4G"), (2128, "les avions")]
    )
    found = article_links(
        _page(f'<div class="acces">{hub}</div><div class="fil">{news}</div>'), URL
    )
    assert found.urls == [
        f"https://presse.telvia.fr/index.php?id=8571&uid={uid}" for uid in (2132, 2130, 2128)
    ]


def test_a_page_of_procedures_speaking_to_the_reader_has_no_article() -> None:
    procedures = "".join(
        f'<li><a href="/demande-d-asile/{slug}/">{text}</a></li>'
        for slug, text in [
            ("vous-souhaitez-deposer-une-demande", "Vous souhaitez déposer une demande d’asile"),
            ("vous-avez-obtenu-l-asile-vous", "Vous avez obtenu l’asile. Vous demandez un titre"),
            ("vous-etes-refugie-apatride-ou", "Vous êtes réfugié, apatride ou protégé subsidiaire"),
        ]
    )
    found = article_links(_page(f"<main><section><ul>{procedures}</ul></section></main>"), URL)
    assert found.urls == []
    assert found.reason == "aucun bloc du contenu principal ne liste des articles"


def test_a_lone_dated_item_is_kept_and_a_lone_link_to_all_the_news_is_not() -> None:
    body = (
        '<div class="une"><span class="date">15 mars 2018</span>'
        '<span><a href="/stephane-travert-aux-producteurs-laitiers">Stéphane Travert aux '
        "producteurs laitiers : « Saisissez-vous des outils de la loi »</a></span></div>"
        '<div class="bloc"><h2><a href="/pid35084/toutes-les-actualites.html">Toutes les '
        "actualités</a></h2></div>"
    )
    assert article_links(_page(body), URL).urls == [
        "https://presse.telvia.fr/stephane-travert-aux-producteurs-laitiers"
    ]


def test_promotions_are_left_out_and_a_menu_of_articles_is_not() -> None:
    promo = "".join(
        f'<div class="pane"><a href="/{slug}"><img src="/i.png" alt="{alt}"></a></div>'
        for slug, alt in [("clip-video-actions-et-politiques-du-ministere", "Clip vidéo"),
                          ("videos-le-quart-dheure-des-experts", "Vidéos")]
    )  # fmt: skip
    articles = "".join(
        f'<li class="hentry"><h3><a href="/industrie/{slug}/">{title}</a></h3></li>'
        for slug, title in [
            ("la-nasa-teste-un-nouvel-alliage", "La NASA teste un nouvel alliage pour ses ailes"),
            ("le-qatar-commande-28-helicopteres", "Le Qatar commande 28 hélicoptères NH90"),
        ]
    )
    body = (
        f'<div class="auto-promo">{promo}</div>'
        f'<div class="menu menu_articles"><ul>{articles}</ul></div>'
    )
    assert [url.rsplit("/", 2)[-2] for url in article_links(_page(body), URL).urls] == [
        "la-nasa-teste-un-nouvel-alliage",
        "le-qatar-commande-28-helicopteres",
    ]


def test_a_menu_named_in_one_word_is_a_menu() -> None:
    """`topmenu`, `mainmenu`, `menuhomev2`: the links of a menu whose class says so in one
    word, sentence-long as they are, are not a listing's."""
    menu = "".join(
        f'<a href="/pid{n}/{slug}.html" class="forMob">{text}</a>'
        for n, slug, text in [
            (2821, "trouver-le-bon-interlocuteur", "Se faire accompagner pour mieux se développer"),
            (15045, "dans-les-territoires-fragiles", "Entreprendre dans les territoires fragiles"),
            (14984, "l-agence-france-entrepreneur", "Qu'est-ce que l'Agence France Entrepreneur"),
        ]
    )
    news = "".join(
        f'<li><h3><a href="/cid{n}/{slug}.html">{title}</a></h3></li>'
        for n, slug, title in [
            (
                161177,
                "rencontre-avec-thomas-venturini",
                "Rencontre avec Thomas Venturini, fondateur",
            ),
            (161180, "les-creations-d-entreprises-en-2017", "Les créations d'entreprises en 2017"),
        ]
    )
    body = f'<div class="topmenu forMob">{menu}</div><ul class="actus">{news}</ul>'
    assert [url.rsplit("/", 1)[-1] for url in article_links(_page(body), URL).urls] == [
        "rencontre-avec-thomas-venturini.html",
        "les-creations-d-entreprises-en-2017.html",
    ]


def test_a_link_that_only_says_see_all_is_not_an_article() -> None:
    items = "".join(
        f'<div class="bloc_article"><span class="petittitre">{title}</span>'
        f'<a href="{slug}">{text}</a></div>'
        for slug, title, text in [
            ("Les-populations-d-oiseaux-des-champs-s-effondrent", "Animaux",
             "Les populations d’oiseaux des champs s’effondrent"),
            ("Paris-va-etudier-la-gratuite-des-transports-en-commun", "Transports",
             "Paris va étudier la gratuité des transports en commun"),
            ("Une-minute-Une-question-21", "Une minute - Une question", "Voir tout"),
        ]
    )  # fmt: skip
    urls = article_links(_page(f"<div>{items}</div>"), "https://reporterre.net/").urls
    assert urls == [
        "https://reporterre.net/Les-populations-d-oiseaux-des-champs-s-effondrent",
        "https://reporterre.net/Paris-va-etudier-la-gratuite-des-transports-en-commun",
    ]


def test_a_lone_card_that_is_one_link_around_its_title_is_kept() -> None:
    """A teaser alone in its block whose link holds the heading (« Découvrez les quatre
    lauréats en Vendée » reads as a title, not as « Découvrir nos offres »)."""
    card = (
        '<ul class="cross-selling"><li><a href="/articles-api/decouvrez-les-quatre-laureats-en-'
        'vendee-1" class="article-teaser"><img alt="" src="/i.jpeg"><div class="article-content">'
        "<h3>Découvrez les quatre lauréats en Vendée</h3>Quatre startups ont été primées.</div>"
        "</a></li></ul>"
    )
    assert article_links(_page(card), URL).urls == [
        "https://presse.telvia.fr/articles-api/decouvrez-les-quatre-laureats-en-vendee-1"
    ]


def test_floors_on_the_round_2_development_pages() -> None:
    """Nine pages added in round 2 (see the fixtures' README), measured before any change
    (macro precision 0.612, recall 0.735; micro 0.654, 0.806) and after (2026-12-07: macro
    0.847, 0.848; micro 0.927, 0.935; `python -m benchmarks.quality_listing --round 2`). ABES'
    home page (one article, linked as « Consulter Arabesques en ligne » from an address without
    a title's words) stays at 0."""
    figures = summary(score("dev", 2))
    assert figures["macro_precision"] >= 0.84
    assert figures["macro_recall"] >= 0.84
    assert figures["micro_precision"] >= 0.92
    assert figures["micro_recall"] >= 0.93


def test_floors_on_the_round_3_development_pages() -> None:
    """Two pages added after round 2's changes, measured fresh with them (macro precision
    0.500, recall 0.950: AFE's one-word « topmenu » taken for a listing), then with the
    one-word menus (1.000, 0.950) and cards that are one link around their title (1.000,
    1.000; `python -m benchmarks.quality_listing --round 3`)."""
    figures = summary(score("dev", 3))
    assert figures["macro_precision"] >= 0.95
    assert figures["macro_recall"] >= 0.95
    assert len(pages("dev", 3)) == 2
