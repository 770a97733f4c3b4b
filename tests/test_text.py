"""The one text language (watcher.text): fold, name keys, elision, word keys."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watcher.text import (
    BoundedCache,
    fold,
    form_key,
    name_key,
    says_more_than,
    teaser,
    word_keys,
    words,
)

# The letters Unicode does not decompose, as fold spells them (its docstring lists them).
LETTERS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
           "ħ": "h", "ŧ": "t", "ı": "i"}  # fmt: skip


def test_fold() -> None:
    assert fold("Élysée Œuvre ÇA") == "elysee oeuvre ca"
    assert fold("plain") == "plain"
    assert fold("Søren, Łódź, Straße, ﬁnance") == "soren, lodz, strasse, finance"


def test_fold_equals_dropping_combining_marks_of_the_whole_text() -> None:
    """fold maps one character at a time (a cached table): the same as decomposing the whole
    text (NFKD), dropping its combining marks and spelling out LETTERS."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.lower())
        return "".join(LETTERS.get(c, c) for c in decomposed if not unicodedata.combining(c))

    samples = ["Élysée", "ŒUVRE", "Straße", "ﬁnance", "e\u0301t\u0327e", "Ǆ ① ² ı İ", "Ὀδυσσεύς"]
    samples += ["Ǣ Ǿ ǽ", "".join(LETTERS).upper(), "".join(LETTERS)]
    samples += [chr(cp) + "é" for cp in range(0x2000)]  # every mark of the common blocks
    for text in samples:
        assert fold(text) == plain(text), repr(text)


def test_name_key_folds_straightens_apostrophes_and_collapses_spaces() -> None:
    assert name_key("  Banque   de FRANCE ") == "banque de france"
    assert name_key("Élysée") == "elysee"
    assert name_key("L’Oréal") == name_key("Lʼoréal") == name_key("l'oreal") == "l'oreal"
    assert name_key("Les Restos du Cœur") == name_key("les restos du coeur")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'e-commerce jusqu’au 2e", ["e", "commerce", "au", "2e"]),
        ("qu'il lorsqu'elle puisqu'on quoiqu'ils", ["il", "elle", "on", "ils"]),
        ("pouvoir d’achat, pouvoir d'achat, pouvoir dʼachat", ["pouvoir", "achat"] * 3),
        ("aujourd'hui", ["aujourd", "hui"]),  # "aujourd" is no elided word
        ("snake_case %% …", ["snake", "case"]),
    ],
)
def test_words_drop_elisions(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_word_keys() -> None:
    assert form_key("Sanctions") == form_key("SANCTION") == "=sanction"
    assert form_key("Œuvres") == "=oeuvre"
    assert "^oeuvre" in word_keys("Œuvres")  # capitalised
    assert "=oeuvre" in word_keys("œuvres") and "^oeuvre" not in word_keys("œuvres")


def test_bounded_cache_computes_once_and_empties_at_its_limit() -> None:
    calls: list[str] = []

    def compute(key: str) -> int:
        calls.append(key)
        return len(key)

    cache = BoundedCache(compute, 2)
    assert [cache["a"], cache["bb"], cache["a"]] == [1, 2, 1]
    assert calls == ["a", "bb"]  # "a" was kept
    assert cache["ccc"] == 3 and dict(cache) == {"ccc": 3}  # full: emptied first
    assert list(map(cache.__getitem__, ["ccc", "a"])) == [3, 1]
    assert calls == ["a", "bb", "ccc", "a"]


def test_search_folds_like_matching(tmp_path: Path) -> None:
    """The index's analyser and keyword fields fold as matching does: « œ » is « oe »."""
    from watcher.find.index import IndexDoc, SearchIndex
    from watcher.understand.matching import compile_matcher, matches

    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    texts = {
        1: "La mise en œuvre du plan",
        2: "Les Restos du Cœur collectent",
        3: "Søren Kierkegaard",
    }
    ix = SearchIndex(tmp_path / "ix")
    ix.add(
        [
            IndexDoc(item_id=i, groups=("g1",), title=t, text=t, summary="",
                     url=f"https://example.org/{i}", source_id="s", source_name="S",
                     axes=(), topics=(), entities=("Restos du Cœur",) if i == 2 else (),
                     refs=(), ref_aliases=(), published=now, fetched=now, language="fr")
            for i, t in texts.items()
        ]
    )  # fmt: skip

    def found(q: str) -> set[int]:
        return {h.item_id for h in ix.search(q, groups=None, now=now, limit=10).hits}

    try:
        for query, expected in [
            ("oeuvre", {1}),
            ("ŒUVRE", {1}),
            ("coeur", {2}),
            ('entity:"restos du coeur"', {2}),
            ('entity:"RESTOS DU CŒUR"', {2}),
            ("soren", {3}),
        ]:
            assert found(query) == expected, query
    finally:
        ix.close()
    for keyword, i in [("oeuvre", 1), ("coeur", 2), ("restos du coeur", 2), ("soren", 3)]:
        assert matches(compile_matcher([keyword]), texts[i]), keyword


def test_a_text_that_only_repeats_its_title_says_nothing_more() -> None:
    title = "L’UE doit gérer une crise sanitaire"
    same_again = ("l'UE doit gerer une crise sanitaire !", "L’UE doit gérer…", "")
    for same in (title, f"{title} ", *same_again):
        assert not says_more_than(title, same), same
    assert says_more_than(title, f"{title}. Les Vingt-Sept cherchent un plan de relance.")
    # Google News: « Titre - Éditeur » as title, the title and the publisher as description
    assert not says_more_than("Le prix du gaz baisse - Le Monde", "Le prix du gaz baisse  Le Monde")
    assert teaser(title, title, title) == ""
    assert teaser(title, title, "Le texte entier.") == "Le texte entier."
    assert teaser(title, "Un chapeau.", "Le texte entier.") == "Un chapeau."
    # a text that opens with the title is shown from what follows it
    assert teaser(title, "", f"{title}.\n\nLes Vingt-Sept.") == "Les Vingt-Sept."
    assert teaser("Crise", "", "Crises en série.") == "Crises en série."
