"""Page furniture blanked before matching and NER (watcher.understand.boilerplate): real lines
from the pages of tests/data/topics/news_fr.yml."""

from __future__ import annotations

import pytest

from watcher.understand.boilerplate import blank_boilerplate, furniture_line


@pytest.mark.parametrize(
    "text",
    [
        # caption with its credit, under a story on unemployment (bfmbusiness.bfmtv.com)
        "Chômage : Des raisons d'espérer ?\n\nCette « légère baisse » de l'inflation serait liée"
        " à « une décélération des prix de l'énergie ». - Crédit photo : THOMAS SAMSON / AFP\n\n"
        "Le taux de chômage reste stable à 9,1%.",
        # paywall prompt (lofficieldestransporteurs.fr)
        "Le 14 novembre, au lendemain d'une réunion\nAccédez en illimité à nos contenus et à nos"
        " newsletters thématiques\nS'abonnerDéjà Abonné ?",
        # video player leftovers (actu.orange.fr)
        "Les policiers sont nombreux.\nVidéo suivante dans 5 secondes\nAutres vidéos\nVos"
        " réactions doivent respecter nos CGU.",
        # cookie banner
        "Nous utilisons des cookies pour améliorer votre expérience. Tout accepter\nLe texte.",
        # an embedded post's consent block glued into a live page's text (20minutes.fr)
        "BFM Marseille Provence (@BFMMarseille)April 10, 2023L‘accès à ce contenu a été bloqué"
        " afin de respecter votre choix de consentementEn cliquant sur «J‘ACCEPTE», vous"
        " acceptez le dépôt de cookies par des services externes et aurez ainsi accès aux"
        " contenus de nos partenairesJ‘ACCEPTEEt pour mieux rémunérer 20 Minutes, n'hésitez"
        " pas à accepter tous les cookies, même pour un jour uniquement, via notre bouton"
        ' "J‘accepte pour aujourd‘hui" dans le bandeau ci-dessous.Plus d’informations sur la'
        " pagePolitique de gestion des cookies.L'élu a également souligné la solidarité des"
        " Marseillais à la suite du drame.",
        # inline credit in a long line, and a news API's cut marker
        "Dans les rayons (Illustration François Destoc) l'inflation est sensible, et les prix"
        " des pâtes ont augmenté de 34 % en un an selon les bénévoles de l'association,"
        " qui relèvent les prix une fois par trimestre dans les grandes surfaces de la région"
        " parisienne depuis plusieurs années… [+3442 chars]",
    ],
)
def test_furniture_is_blanked_and_offsets_kept(text: str) -> None:
    out = blank_boilerplate(text)
    assert len(out) == len(text)
    assert [i for i, c in enumerate(text) if c == "\n"] == [
        i for i, c in enumerate(out) if c == "\n"
    ]
    for gone in ("Crédit", "SAMSON", "illimité", "Abonné", "Vidéo suivante", "CGU",
                 "cookies", "Destoc", "chars"):  # fmt: skip
        assert gone not in out
    kept = [w for w in text.split() if w in out.split()]
    assert kept  # the story itself stays


def test_a_publishers_disclaimer_is_furniture_on_its_line_or_in_a_long_one() -> None:
    """Mediapart's Club (blogs.mediapart.fr, tests/fixtures/world) closes every reader's post
    with it: on its own line (furniture whole), or glued to the post's last line by a summary
    (its sentence only)."""
    disclaimer = (
        "Le Club est l'espace de libre expression des abonnés de Mediapart. Ses contenus "
        "n'engagent pas la rédaction."
    )
    assert furniture_line(disclaimer)
    assert blank_boilerplate(disclaimer).strip() == ""
    last = (
        "Ce texte a été rédigé initialement dans le cadre d'un travail de fin d'études de "
        "l’École de journalisme de Tours et soutenu en mai dernier. Avec tout mes remerciements"
        " à toutes celles et ceux qui ont rendu celui-ci possible. "
    )
    out = blank_boilerplate(last + disclaimer)
    assert out.startswith(last) and "engagent pas la rédaction" not in out  # its sentence
    assert not furniture_line(last)


def test_a_wire_s_credit_under_a_press_release_is_furniture() -> None:
    """news aktuell's OTS closes every press release it carries (presseportal.de, tests/
    fixtures/world) with its credit line: furniture, not the issuing company's text."""
    credit = "Original-Content von: TravelTrex GmbH, übermittelt durch news aktuell"
    assert furniture_line(credit)
    assert blank_boilerplate(credit).strip() == ""
    assert not furniture_line("Der Inhalt wurde durch die Redaktion übermittelt und geprüft.")


def test_an_e_acute_read_under_the_wrong_charset_is_no_copyright_sign() -> None:
    """A page served as ISO-8859-1 whose bytes are UTF-8 is extracted before its mojibake is
    repaired: « é » reads « Ã© », and each line with one was taken for a credit (« © »), so the
    extraction dropped the whole article as closing furniture (tests/test_repair.py)."""
    line = "Les clients des opÃ©rateurs peuvent saisir la Commission dâ€™une rÃ©clamation."
    assert not furniture_line(line)
    assert blank_boilerplate(line) == line
    assert furniture_line("Photo © AFP") and furniture_line("©AFP")


def test_story_text_is_untouched() -> None:
    text = (
        "En 2022, la société Brico Privé a été sanctionnée par une amende de 500 000 € pour "
        "avoir permis le dépôt de cookies à des fins publicitaires sans le consentement des "
        "utilisateurs.\nLire le reste de l'article."
    )
    assert blank_boilerplate(text) == text


def test_long_institution_names_become_their_acronym() -> None:
    text = (
        "La Direction générale de la concurrence, de la consommation et de la répression des "
        "fraudes (DGCCRF) a publié son bilan."
    )
    out = blank_boilerplate(text)
    assert len(out) == len(text)
    # the acronym is written beside the name: the name is blanked, the acronym said once
    assert out.count("DGCCRF") == 1 and "concurrence" not in out and "fraudes" not in out


def test_a_long_name_alone_becomes_its_acronym() -> None:
    text = (
        "Il faut saisir la Direction générale de la concurrence, de la consommation et de la "
        "répression des fraudes pour signaler la pratique."
    )
    out = blank_boilerplate(text)
    assert len(out) == len(text)
    assert out.startswith("Il faut saisir la DGCCRF ") and "fraudes" not in out


@pytest.mark.parametrize(
    "text",
    [
        "La Direction générale de la concurrence, de la consommation et de la répression des "
        "fraudes (DGCCRF) a publié son bilan.",
        "La DGCCRF (Direction Générale de la Concurrence, de la Consommation et de la "
        "Répression des Fraudes) veille au bon fonctionnement des marchés.",
    ],
)
def test_a_long_name_beside_its_acronym_is_one_mention(text: str) -> None:
    out = blank_boilerplate(text)
    assert len(out) == len(text)
    assert out.count("DGCCRF") == 1
