"""watcher.find.query_exec against Whoosh's own matchers: same documents, same scores.

The evaluator replaces Whoosh's posting-at-a-time matcher tree for speed; these tests run
every query both ways on a multi-segment index with deletions and replaced documents."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.test_index import NOW
from watcher.find.index import IndexDoc, SearchIndex, _Compiler, _runnable, _split_dates
from watcher.find.query import parse_query
from watcher.find.query_exec import LENGTHS, Evaluator, Unsupported

WORDS = [
    "relation",
    "client",
    "service",
    "marché",
    "prix",
    "hausse",
    "inflation",
    "carte",
    "fidélité",
    "banque",
    "centrale",
    "européenne",
    "taux",
    "directeurs",
    "protection",
    "consommateurs",
    "démarchage",
    "téléphonique",
    "amende",
    "concurrence",
    "autorité",
    "réglementation",
    "données",
    "personnelles",
]
STOP = ["de", "la", "le", "des", "du", "et", "en", "à", "les"]
PHRASES = (
    "la banque centrale européenne",
    "banque centrale et européenne",  # near miss
    "marché marché prix",
    "client client",
    "hausse des prix",
)


def _sentence(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        out.append(rng.choice(WORDS))
        if rng.random() < 0.3:
            out.append(rng.choice(STOP))
        if rng.random() < 0.05:
            out.append(rng.choice(PHRASES))
    return " ".join(out)


def _doc(rng: random.Random, item_id: int) -> IndexDoc:
    when = NOW - timedelta(days=rng.randint(0, 90))
    return IndexDoc(
        item_id=item_id,
        groups=(rng.choice(("g1", "g2")),),
        title=_sentence(rng, rng.randint(2, 8)).capitalize(),
        text=". ".join(_sentence(rng, rng.randint(5, 30)) for _ in range(rng.randint(1, 4))),
        summary=_sentence(rng, rng.randint(0, 12)),
        url=f"https://example.org/{item_id}",
        source_id=f"s{item_id % 7}",
        source_name=f"Source {item_id % 7}",
        axes=(rng.choice(("concurrence", "reglementaire")),),
        topics=(),
        entities=tuple(rng.sample(("CNIL", "DGCCRF", "Banque de France"), rng.randint(0, 2))),
        refs=(),
        ref_aliases=(),
        published=when,
        fetched=when + timedelta(hours=1),
        language="fr",
        cluster_id=None,
    )


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    rng = random.Random(20261127)
    index = SearchIndex(Path(tmp_path_factory.mktemp("qexec")))
    for batch in range(3):  # three segments
        index.add([_doc(rng, batch * 200 + i) for i in range(200)], batch_size=200)
    index.delete(range(0, 600, 9))  # deletions in every segment
    index.add([_doc(rng, i) for i in range(1, 600, 13)], batch_size=100)  # replaced docs
    assert index.segment_count() > 1
    yield index
    index.close()


QUERIES = [
    "client",
    "relation client",
    '"relation client"',
    '"hausse des prix"',
    '"banque centrale européenne"',
    '"carte de fidélité" OR prix',
    "fidélité OR inflation OR amende",
    "service -client",
    "(prix OR taux) -inflation",
    'title:"service client"',
    "title:marché concurrence",
    "entity:CNIL données",
    'entity:"Banque de France"',
    "axis:concurrence prix",
    "prix date:2026-10",
    "inflation (date:2026-10 OR hausse)",
    '"client client"',
    '"marché marché prix"',
    "introuvable",
    '"relation introuvable"',
]


def _compiled(ix: SearchIndex, text: str) -> tuple[object, object]:
    searcher = ix._get_searcher()
    compiler = _Compiler(searcher.schema, NOW, None)
    _windows, rest = _split_dates(parse_query(text))
    return searcher, _runnable(compiler.compile(rest))


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("scoped", [False, True])
def test_same_documents_and_scores_as_whoosh(ix: SearchIndex, text: str, scoped: bool) -> None:
    with ix._lock:
        searcher, q = _compiled(ix, text)
        allowed = ix._visible(searcher, ["g1"]) if scoped else None  # type: ignore[arg-type]
        allow = None if allowed is None else set(np.flatnonzero(allowed).tolist())
        expected = ix._all_scores(searcher, q, allow)  # type: ignore[arg-type]
        evaluator = Evaluator(searcher, ix._field_lengths, ix._segment_dates)
        docs, scores = evaluator.run(q, scored=True, allowed=allowed)  # type: ignore[arg-type]
        assert scores is not None
        assert docs.tolist() == sorted(expected)
        assert scores.tolist() == pytest.approx([expected[d] for d in docs.tolist()], rel=1e-9)
        plain, none = evaluator.run(q, scored=False, allowed=allowed)  # type: ignore[arg-type]
        assert none is None and plain.tolist() == docs.tolist()
    if text not in ("introuvable", '"relation introuvable"'):
        assert len(docs), f"{text!r} should match something in the generated corpus"


def test_phrases_need_adjacent_words_in_order(ix: SearchIndex) -> None:
    with ix._lock:
        searcher, q = _compiled(ix, '"client relation"')
        reverse, _ = Evaluator(searcher, ix._field_lengths, ix._segment_dates).run(q, scored=False)
        searcher, q = _compiled(ix, '"relation client"')
        forward, _ = Evaluator(searcher, ix._field_lengths, ix._segment_dates).run(q, scored=False)
        searcher, q = _compiled(ix, "relation client")
        both, _ = Evaluator(searcher, ix._field_lengths, ix._segment_dates).run(q, scored=False)
    assert set(forward.tolist()) != set(reverse.tolist())
    assert set(forward.tolist()) < set(both.tolist())


def test_unhandled_shapes_are_refused_not_guessed(ix: SearchIndex) -> None:
    from whoosh import query as wq

    with ix._lock:
        searcher = ix._get_searcher()
        evaluator = Evaluator(searcher, ix._field_lengths, ix._segment_dates)
        with pytest.raises(Unsupported):
            evaluator.run(wq.Prefix("text", "clie"), scored=True)
        with pytest.raises(Unsupported):
            evaluator.run(wq.Or([wq.Term("text", "client"), wq.Not(wq.Term("text", "prix"))]),
                          scored=True)  # fmt: skip


def test_a_bare_negation_is_every_other_document(ix: SearchIndex) -> None:
    found = ix.search("-client", groups=None, now=NOW, limit=100)
    assert 0 < found.total < ix.doc_count()
    assert all("client" not in h.title.lower() for h in found.hits)


def test_search_falls_back_to_whoosh_for_a_negation_inside_or(ix: SearchIndex) -> None:
    text = "prix OR -client"  # an Or with a Not child: not handled by the evaluator
    with ix._lock:
        searcher, q = _compiled(ix, text)
        with pytest.raises(Unsupported):
            Evaluator(searcher, ix._field_lengths, ix._segment_dates).run(q, scored=True)
        expected = ix._all_scores(searcher, q, None)  # type: ignore[arg-type]
    found = ix.search(text, groups=None, now=NOW, limit=5)
    assert found.total == len(expected) > 0  # no clusters here: nothing collapsed
    best = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [h.score for h in found.hits] == pytest.approx([score for _d, score in best])


def test_columns_read_as_raw_bytes_equal_whoosh_s_values(tmp_path: Path) -> None:
    from dataclasses import replace

    from watcher.find.index import _SEP, FACET_FIELDS
    from watcher.find.index_columns import SegmentColumns

    rng = random.Random(7)
    old = datetime(1960, 5, 1, tzinfo=UTC)  # before 1970: a negative timestamp
    docs = [_doc(rng, i) for i in range(1, 40)]
    docs[3] = replace(docs[3], published=old, fetched=old, cluster_id=2**40)
    index = SearchIndex(tmp_path / "cols")
    try:
        index.add(docs)
        with index._lock:
            leaf = index._get_searcher().reader().leaf_readers()[0][0]
            cols = SegmentColumns.read(leaf, FACET_FIELDS, _SEP)
            for name, got in (("date", cols.dates), ("item_id", cols.item_ids),
                              ("cluster", cols.clusters)):  # fmt: skip
                assert got.tolist() == list(leaf.column_reader(name)), name
            assert int(cols.dates.min()) == int(old.timestamp()) < 0
            for fname in ("title", "text"):
                lengths = LENGTHS[index._field_lengths(leaf, fname)]
                expected = [leaf.doc_field_length(d, fname) or 1 for d in range(len(docs))]
                assert lengths.tolist() == expected
    finally:
        index.close()
