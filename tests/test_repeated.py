"""Text a feed repeats across its entries (watcher.collect.repeated): taken off only when the
same whole lines close (or open) at least 3 entries and most of them, never an entry's whole
text. The real feeds are in test_feeds_world6 (L'avertY's donation appeal)."""

from __future__ import annotations

from watcher.collect.repeated import without_repeated

APPEAL = "Soutenez-nous\n1. Je fais un don.\n2. Je m'abonne."


def test_a_block_closing_most_entries_goes_and_the_rest_stays() -> None:
    texts = [
        f"Premier article sur la réforme.\n\n{APPEAL}",
        f"Deuxième article.\nSuite du deuxième.\n\n{APPEAL}",
        f"Troisième article.\n{APPEAL}",
        "Quatrième article, sans appel.",
        "",
    ]
    kept, removed = without_repeated(texts)
    assert removed == (APPEAL,)
    assert kept == [
        "Premier article sur la réforme.",
        "Deuxième article.\nSuite du deuxième.",
        "Troisième article.",
        "Quatrième article, sans appel.",
        "",
    ]


def test_two_entries_are_not_a_feed_s_habit() -> None:
    texts = [f"Un.\n{APPEAL}", f"Deux.\n{APPEAL}", "Trois.", "Quatre."]
    assert without_repeated(texts) == (texts, ())


def test_three_of_seven_is_not_most() -> None:
    texts = [f"Article {n}.\n{APPEAL}" for n in range(3)] + [f"Autre {n}." for n in range(4)]
    assert without_repeated(texts)[0] == texts


def test_an_entry_that_is_the_block_alone_keeps_it() -> None:
    texts = [f"Un.\n{APPEAL}", f"Deux.\n{APPEAL}", APPEAL, f"Trois.\n{APPEAL}"]
    kept, _removed = without_repeated(texts)
    assert kept == ["Un.", "Deux.", APPEAL, "Trois."]


def test_only_whole_identical_lines_count() -> None:
    """Medium's closing line names each story: not the same line, not taken off; a line that
    only ends like another's is not cut in the middle."""
    texts = [
        f"Texte {n}.\n\n{title} was originally published in Invironment on Medium."
        for n, title in enumerate(("Un", "Deux", "Trois"))
    ]
    assert without_repeated(texts)[0] == texts
    glued = ["Début un fin commune.", "Début deux fin commune.", "Début trois fin commune."]
    assert without_repeated(glued)[0] == glued


def test_an_opening_block_goes_too() -> None:
    banner = "Lettre d'information n°12 — abonnez-vous"
    texts = [f"{banner}\n\nSujet {n} : la relation client." for n in range(4)]
    kept, removed = without_repeated(texts)
    assert removed == (banner,)
    assert kept == [f"Sujet {n} : la relation client." for n in range(4)]


def test_a_heading_opening_every_entry_is_the_entry_s_own() -> None:
    """The Journal officiel's decisions (world7's legifrss feeds) all open with « Article 1 »: a
    structural line of each text, not a banner; so does a « [link] » button line."""
    texts = [f"Article 1\nM. {name} est nommé rapporteur." for name in ("A", "B", "C", "D")]
    assert without_repeated(texts) == (texts, ())
    links = [f"Sujet {n} de la semaine.\n[link]" for n in range(4)]
    assert without_repeated(links) == (links, ())
