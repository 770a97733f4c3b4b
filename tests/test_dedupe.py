"""Near-duplicate clustering (watcher.understand.dedupe)."""

from __future__ import annotations

import itertools
import os
import random
import struct
import subprocess
import sys
from hashlib import blake2b
from pathlib import Path
from typing import Any

import pytest
import yaml

from watcher.collect.feeds import parse_feed
from watcher.understand.dedupe import (
    BANDS,
    DedupeIndex,
    band_keys,
    cluster,
    content_words,
    fingerprint,
    identity,
    similarity,
    with_address,
)

DATA = Path(__file__).parent / "data" / "dedupe" / "press_release.yml"
# The Autorité de la concurrence's four decisions of December 2020 in the Journal officiel
# (tests/fixtures/PROVENANCE.md, world7): four texts sharing their formulae and names.
DECISIONS = (
    Path(__file__).parent
    / "fixtures"
    / "feeds"
    / "world7"
    / "legifrss-concurrence-atom-no-namespace-empty-updated.atom"
)


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, str]]:
    raw: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    docs = {"release": (raw["release"]["title"], raw["release"]["text"])}
    for d in raw["copies"] + raw["others"]:
        docs[d["id"]] = (d["title"], d["text"])
    return docs


COPIES = ("copy-verbatim", "copy-edited", "copy-reworded")
OTHERS = ("other-loi-consentement", "other-temoignage", "other-operateurs")


def test_fingerprint_is_bytes_of_fixed_size_and_deterministic(
    corpus: dict[str, tuple[str, str]],
) -> None:
    title, text = corpus["release"]
    fp = fingerprint(title, text)
    assert isinstance(fp, bytes)
    assert len(fp) == 256
    assert fp == fingerprint(title, text)
    assert fingerprint("", "") == b""
    assert fingerprint("  ", "... !") == b""


def test_fingerprint_same_in_a_fresh_process(corpus: dict[str, tuple[str, str]]) -> None:
    title, text = corpus["release"]
    code = (
        "import sys; from watcher.understand.dedupe import fingerprint; "
        "sys.stdout.write(fingerprint(sys.argv[1], sys.argv[2]).hex())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, title, text],
        check=True,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONHASHSEED": "123",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH")) if p
            ),
        },
    ).stdout
    assert out == fingerprint(title, text).hex()


def test_normalisation_ignores_case_accents_and_punctuation() -> None:
    a = fingerprint("Démarchage", "La DGCCRF sanctionne douze entreprises, à Lyon !")
    b = fingerprint("DEMARCHAGE", "la dgccrf sanctionne   douze entreprises a lyon")
    assert a == b
    assert content_words("", "Le prix") == ["prix"]
    assert content_words("L'Œuvre", "ﬁnance d’État, M²") == ["oeuvre", "finance", "etat", "m2"]


def test_fingerprint_as_if_the_whole_text_were_folded_at_once() -> None:
    """The fingerprint folds one whitespace-separated token at a time (cached); its words must
    be those of folding the whole text (``content_words``), whatever the characters."""
    rng = random.Random(7)
    alphabet = "aeéèëiïoôuùçœæßÉÈÀŒıİſKﬁ²¼ \u00a0\u2009\u0301\u0308\u00a8'’-_.,!0123456789\n"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        title = rng.choice(["", "Le Marché", "ÉTÉ ², l’été"])
        assert fingerprint(title, text) == _reference_fingerprint(title, text), (title, text)


def test_rewordings_are_similar_others_are_not(corpus: dict[str, tuple[str, str]]) -> None:
    fps = {k: fingerprint(*v) for k, v in corpus.items()}
    for c in COPIES:
        assert similarity(fps["release"], fps[c]) >= 0.3, c
    for o in OTHERS:
        for k in ("release", *COPIES, *(x for x in OTHERS if x != o)):
            assert similarity(fps[o], fps[k]) < 0.1, (o, k)
    assert similarity(fps["release"], b"") == 0.0


def test_three_rewordings_cluster_together_unrelated_do_not(
    corpus: dict[str, tuple[str, str]],
) -> None:
    ids = {name: i for i, name in enumerate(corpus, start=100)}
    items = [(ids[name], fingerprint(*doc)) for name, doc in corpus.items()]
    clusters = cluster(items)
    release = ids["release"]
    assert {clusters[ids[c]] for c in COPIES} == {release}
    assert clusters[release] == release
    for o in OTHERS:
        assert clusters[ids[o]] == ids[o]
    # deterministic whatever the input order
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    assert cluster(shuffled) == clusters


def test_incremental_assign_matches_batch(corpus: dict[str, tuple[str, str]]) -> None:
    index = DedupeIndex()
    names = list(corpus)
    got = {name: index.assign(i, fingerprint(*corpus[name])) for i, name in enumerate(names)}
    assert got["copy-reworded"] == got["release"] == 0
    assert len(index) == len(names)
    assert index.assign(0, b"") == 0  # already indexed: same answer, not re-added
    # reload the known items in a new index, then assign a new copy
    reloaded = DedupeIndex()
    reloaded.load((i, fingerprint(*corpus[name]), got[name]) for i, name in enumerate(names))
    text = corpus["copy-edited"][1]
    assert reloaded.assign(99, fingerprint("Autre titre", text + "\nÀ suivre.")) == 0
    assert reloaded.cluster_of(99) == 0
    assert 99 in reloaded


def test_empty_fingerprints_never_cluster() -> None:
    assert cluster([(1, b""), (2, b""), (3, fingerprint("Un titre", "du texte utile"))]) == {
        1: 1,
        2: 2,
        3: 3,
    }


def test_band_keys_for_sql() -> None:
    fp = fingerprint("Titre", "Un texte assez long pour faire plusieurs bigrammes de mots.")
    keys = band_keys(fp)
    assert len(keys) == BANDS
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert band_keys(b"") == ()
    with pytest.raises(ValueError):
        band_keys(b"short")


def test_index_scales_with_merges() -> None:
    """Random prints: each finds itself after the dict tier was merged into the array."""
    rng = random.Random(1)
    prints = [rng.randbytes(256) for _ in range(3000)]
    index = DedupeIndex()
    for i, fp in enumerate(prints):
        assert index.assign(i, fp) == i  # random prints match nothing
    for i in (0, 1234, 2999):
        match = index.best_match(prints[i])
        assert match == (i, 1.0)


@pytest.fixture(scope="module")
def decisions() -> dict[str, tuple[str, str]]:
    """The four decisions as the feed reader stores them: JORFTEXT identifier -> (title, text)."""
    feed = parse_feed(DECISIONS.read_bytes(), "https://example.org/concurrence.xml")
    assert len(feed.entries) == 4
    return {e.url.rsplit("/", 1)[1]: (e.title, e.text or e.summary) for e in feed.entries}


def test_distinct_official_decisions_are_not_duplicates(
    decisions: dict[str, tuple[str, str]],
) -> None:
    """The Autorité de la concurrence's decisions share their formulae (« Article 2 La présente
    décision sera publiée au Journal officiel … »), their services and the person named: the
    nomination and the end of functions of 14 December reached 0.39, the two ends of functions
    0.55, and the three were one story. Different acts (their citations differ) are never
    near-duplicates, whatever their words."""
    prints = {key: fingerprint(*doc) for key, doc in decisions.items()}
    for a, b in itertools.combinations(prints, 2):
        assert similarity(prints[a], prints[b]) == 0.0, (a, b)
    ids = {key: i for i, key in enumerate(sorted(prints), start=1)}
    clusters = cluster([(ids[k], fp) for k, fp in prints.items()])
    assert sorted(clusters.values()) == sorted(ids.values()), clusters
    assert identity(*decisions["JORFTEXT000042695423"]) == {
        ("act", "decision 14 decembre 2020 portant nomination rapporteure")
    }


def test_an_official_text_republished_is_still_its_duplicate(
    decisions: dict[str, tuple[str, str]],
) -> None:
    """The same decision on another site (its title cut with « … », a site header, its
    identifier cited) is the same text: it joins the decision's story. Words alone decide
    between texts without an identity, and between one with and one without."""
    title, text = decisions["JORFTEXT000042695423"]
    copy = (
        title[:70].rsplit(" ", 1)[0] + " …",
        "ACTUALITÉS > NOMINATIONS — Publié le 18/12\n\n"
        + text
        + "\nSource : Légifrance, JORFTEXT000042695423",
    )
    assert identity(*copy) & identity(title, text)
    original = fingerprint(title, text)
    assert similarity(original, fingerprint(*copy)) >= 0.3
    others = [fingerprint(*doc) for key, doc in sorted(decisions.items())]
    assert original in others
    got = cluster([(i, fp) for i, fp in enumerate(others, start=1)] + [(9, fingerprint(*copy))])
    assert got[9] == others.index(original) + 1
    # a press article about the nomination names no act in its title: its words decide
    article = ("Pascale Déchamps nommée rapporteure générale adjointe", text)
    assert identity(*article) == frozenset()
    assert similarity(original, fingerprint(*article)) >= 0.3


def test_official_identifiers_of_two_kinds() -> None:
    """NOR, ECLI, CELEX and JORFTEXT name a text: two texts with different ones of one kind are
    different texts; the same identifier, or one text without any, leaves the words to decide."""
    body = "Le ministre arrête les tarifs réglementés de vente de l'électricité pour 2025. " * 5
    a = fingerprint("Tarifs", body + " NOR : ECOC2033000S")
    b = fingerprint("Tarifs", body + " NOR : ECOC2033001S")
    c = fingerprint("Tarifs", body + " NOR ECOC2033000S")
    d = fingerprint("Tarifs", body)
    assert similarity(a, b) == 0.0
    assert similarity(a, c) == 1.0
    assert similarity(a, d) > 0.5  # the words decide: they differ by the NOR alone
    # an article's title that opens with an act's citation: the citation alone names it
    assert (
        identity("Décret du 5 mars 2024 : ce qui change pour les apprentis", "")
        == identity("Décret du 5 mars 2024 sur l'apprentissage : ce qui change", "")
        == {("act", "decret 5 mars 2024")}
    )
    assert identity("Loi n° 2020-1525 du 7 décembre 2020 d'accélération", "") == {
        ("act", "loi 2020 1525 7 decembre 2020")
    }
    assert identity("", "ECLI:FR:CC:2020:2020.807.DC et CELEX:32016R0679") == {
        ("ecli", "ecli:fr:cc:2020:2020.807.dc"),
        ("celex", "32016r0679"),
    }
    index = DedupeIndex()
    assert index.assign(1, a) == 1
    assert index.assign(2, b) == 2  # another NOR: its own story
    assert index.assign(3, c) == 1
    reloaded = DedupeIndex()
    reloaded.load([(1, a, 1), (2, b, 2)])
    assert reloaded.assign(4, c) == 1
    assert reloaded.assign(5, fingerprint("Tarifs", body + " NOR : ECOC2033002S")) == 5


def test_an_official_texts_address_names_it(decisions: dict[str, tuple[str, str]]) -> None:
    """The Journal officiel publishes acts of one title and one template by the dozen
    (« Arrêté du … portant nomination au cabinet du ministre »); Légifrance's feeds give no
    NOR, but each act's address holds its JORFTEXT (EUR-Lex's its CELEX number): two texts at
    different ones are different acts, whatever their words; the same one, or an address
    without any, leaves the words to decide."""
    title, text = decisions["JORFTEXT000042695423"]
    jorf = "https://www.legifrance.gouv.fr/jorf/id/"
    a = fingerprint(title, text, jorf + "JORFTEXT000042695423")
    b = fingerprint(title, text, jorf + "JORFTEXT000042695499")
    press = fingerprint(title, text, "https://www.example.fr/actualites/nomination-adlc")
    assert similarity(a, b) == 0.0
    assert similarity(a, press) == 1.0
    assert similarity(a, fingerprint(title, text, jorf + "JORFTEXT000042695423")) == 1.0
    assert a == with_address(fingerprint(title, text), jorf + "JORFTEXT000042695423")
    assert press == fingerprint(title, text) == with_address(fingerprint(title, text), "")
    assert identity(
        "", "", "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX%3A32016R0679"
    )
    assert cluster([(1, a), (2, b), (3, press)]) == {1: 1, 2: 2, 3: 1}


def test_grouping_precision_and_recall(
    corpus: dict[str, tuple[str, str]], decisions: dict[str, tuple[str, str]]
) -> None:
    """Pairs grouped against pairs that should be, on the press release's set and the four
    decisions: before identities, precision 6/9 (the decisions' 3 false pairs), recall 6/6."""
    docs = {**corpus, **decisions}
    truth = {name: "release" if name in COPIES else name for name in docs}
    ids = {name: i for i, name in enumerate(docs, start=1)}
    got = cluster([(ids[n], fingerprint(*doc)) for n, doc in docs.items()])
    pairs = list(itertools.combinations(docs, 2))
    grouped = {(a, b) for a, b in pairs if got[ids[a]] == got[ids[b]]}
    true = {(a, b) for a, b in pairs if truth[a] == truth[b]}
    assert len(true) == 6
    assert (len(grouped & true), len(grouped - true), len(true - grouped)) == (6, 0, 0)


def test_threshold_validation() -> None:
    with pytest.raises(ValueError):
        DedupeIndex(0.0)


# --------------------------------------------------------------------------- reference models
# The vectorised code (numpy) against the plain definitions it replaced.


_M64 = 2**64 - 1


def _hash64(word: str) -> int:
    return int.from_bytes(blake2b(word.encode(), digest_size=8).digest(), "little")


def _mix64(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def _reference_fingerprint(title: str, text: str) -> bytes:
    """The fingerprint's MinHash values (scheme 2's whole print; scheme 3 adds the text's
    identity after them, none for these texts), one integer at a time."""
    words = [_hash64(w) for w in content_words(title, text)]
    if not words:
        return b""
    pairs = itertools.pairwise(words) if len(words) > 1 else [(words[0], None)]
    grams = [
        _mix64(a) if b is None else _mix64((a * 0x9E3779B97F4A7C15 + b) & _M64) for a, b in pairs
    ]
    values = []
    for i in range(64):
        a, b = _hash64(f"minhash a {i}") | 1, _hash64(f"minhash b {i}")
        values.append(min(((a * g + b) & _M64) >> 32 for g in grams))
    return struct.pack("<64I", *values)


class _ReferenceIndex:
    """DedupeIndex in plain Python: candidates share a band (the 32-bit hash of a band key),
    then the best similarity at or above the threshold wins (ties: smallest id)."""

    def __init__(self, threshold: float = 0.3) -> None:
        self.threshold = threshold
        self.prints: dict[int, bytes] = {}
        self.clusters: dict[int, int] = {}
        self.bands: dict[int, list[int]] = {}

    def assign(self, item_id: int, fp: bytes) -> int:
        if item_id in self.prints:
            return self.clusters[item_id]
        best: tuple[float, int] | None = None
        keys = _band_hashes(fp)
        for other in sorted({o for k in keys for o in self.bands.get(k, ())}):
            sim = similarity(fp, self.prints[other])
            if sim >= self.threshold and (best is None or sim > best[0]):
                best = (sim, other)
        cluster_id = item_id if best is None else self.clusters[best[1]]
        self.prints[item_id], self.clusters[item_id] = fp, cluster_id
        for k in keys:
            self.bands.setdefault(k, []).append(item_id)
        return cluster_id


def _variants(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Texts drawn from a few sources with word edits: many near-duplicates, ties, misses."""
    vocab = [f"mot{i}" for i in range(60)] + ["Élysée", "données", "marché", "prix"]
    bases = [[rng.choice(vocab) for _ in range(rng.randint(3, 40))] for _ in range(12)]
    out = []
    for _ in range(n):
        words = list(rng.choice(bases))
        for _ in range(rng.randint(0, 8)):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        out.append(("", " ".join(words)) if rng.random() < 0.95 else ("", "!"))
    return out


def test_fingerprint_equals_the_plain_minhash(corpus: dict[str, tuple[str, str]]) -> None:
    docs = [*corpus.values(), *_variants(random.Random(5), 200), ("Un", ""), ("", "")]
    for title, text in docs:
        assert fingerprint(title, text) == _reference_fingerprint(title, text)


def test_vectorised_index_gives_the_reference_clusters() -> None:
    rng = random.Random(11)
    prints = [fingerprint(*d) for d in _variants(rng, 1500)]
    ids = rng.sample(range(10**6), len(prints))  # ids not in row order
    ref, index = _ReferenceIndex(), DedupeIndex()
    for item_id, fp in zip(ids, prints, strict=True):  # crosses several dict-tier merges
        assert index.assign(item_id, fp) == ref.assign(item_id, fp)
    assert len(set(ref.clusters.values())) < len(prints) / 2  # the test did cluster
    # the same after a bulk load of half of them
    half = len(ids) // 2
    ref2, loaded = _ReferenceIndex(), DedupeIndex()
    for item_id, fp in zip(ids[:half], prints[:half], strict=True):
        ref2.assign(item_id, fp)
    loaded.load((i, ref2.prints[i], ref2.clusters[i]) for i in ids[:half])
    for item_id, fp in zip(ids[half:], prints[half:], strict=True):
        assert loaded.assign(item_id, fp) == ref2.assign(item_id, fp)
    some = prints[7]
    assert loaded.candidates(some) == {
        i for i, p in ref2.prints.items() if p and set(_band_hashes(p)) & set(_band_hashes(some))
    }


def _band_hashes(fp: bytes) -> list[int]:
    """Multiplicative hash of each unsigned 64-bit band key, its high 32 bits."""
    return [((k % 2**64) * 0x9E3779B97F4A7C15 % 2**64) >> 32 for k in band_keys(fp)]
