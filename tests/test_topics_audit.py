"""The fourteenth round's audit set of topics (benchmarks/topics_audit.py): its files hold
origins and judgements only, of sites no topic, entity or duplicate file labels."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from benchmarks.quality_topics import domain_of
from benchmarks.topics_audit import (
    JUDGEMENTS,
    SOURCES,
    TESTS_DATA,
    read_judgements,
    read_pages,
    score,
    used_domains,
)


def test_pages_are_read_after_their_url_line(tmp_path: Path) -> None:
    path = tmp_path / "pages.txt"
    path.write_text("=== https://a.fr/1\nUn texte.\n\nSuite.\n=== https://b.fr/2\nAutre.\n")
    assert read_pages(path) == [
        ("https://a.fr/1", "Un texte.\n\nSuite."),
        ("https://b.fr/2", "Autre."),
    ]


def test_labels_are_scored_against_the_judgements() -> None:
    judged = {("u1", "sante"): "main", ("u1", "emploi"): "wrong", ("u2", "ia"): "acceptable"}
    counts, unjudged = score({"u1": ("emploi", "sante"), "u2": ("ia", "telecoms")}, judged)
    assert counts == Counter({"main": 1, "wrong": 1, "acceptable": 1})
    assert unjudged == [("u2", "telecoms")]


def test_the_audit_set_is_of_sites_no_labelled_file_uses() -> None:
    with SOURCES.open(encoding="utf-8", newline="") as f:
        sources = list(csv.DictReader(f, delimiter="\t"))
    assert len(sources) >= 100 and all(s["query"] for s in sources)
    urls = {s["url"] for s in sources}
    assert len(urls) == len(sources)
    # No file the topic rules were tuned or checked on labels a page of these sites. The
    # reference sets (tests/data/refs), labelled for legal references only, may: b45 and b47
    # (2026-12-07) hold pages of assurprox.com and ecommercemag.fr, other pages than the audit's.
    labelled = used_domains(TESTS_DATA / "topics") | used_domains(TESTS_DATA / "entities")
    assert not {domain_of(url) for url in urls} & (labelled | used_domains(TESTS_DATA / "dedupe"))
    judged = read_judgements(JUDGEMENTS)
    assert {url for url, _ in judged} <= urls
    assert set(judged.values()) <= {"main", "acceptable", "wrong"}
