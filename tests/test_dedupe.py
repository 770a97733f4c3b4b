"""Near-duplicate clustering (watcher.dedupe)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from watcher.dedupe import (
    BANDS,
    DedupeIndex,
    band_keys,
    cluster,
    fingerprint,
    shingles,
    similarity,
)

DATA = Path(__file__).parent / "data" / "dedupe" / "press_release.yml"


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
        "import sys; from watcher.dedupe import fingerprint; "
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
    assert shingles("", "Le prix") == {"prix"}


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


def test_threshold_validation() -> None:
    with pytest.raises(ValueError):
        DedupeIndex(0.0)
