"""Every place where the index reaches into whoosh3's private parts (hence the exact pin in
pyproject.toml), on an empty index, a one-document index and a many-segment index:

* ``watcher.find.index``: ``SearchIndex._field_lengths`` reads ``SegmentReader._perdoc`` (BM25F
  lengths; ``warm`` reads them all);
* ``watcher.find.index_columns``: ``numeric_column`` / ``length_column`` read column readers'
  ``_dbfile``, ``_basepos``, ``_fixedlen``, ``_count``, ``_typecode``;
* ``watcher.find.query_exec``: ``read_postings`` reads ``SegmentReader._terms`` and walks
  ``W3LeafMatcher`` blocks (``_maxid``, ``_next_block``);
* ``watcher.find.index_codec``: ``FlatCodec`` subclasses W3's postings writer and block matcher
  (and its ``_goto``); ``PreadStorage`` subclasses ``CompoundStorage``; ``segment_postings``
  reads ``SegmentReader._terms`` (its ``_tindex``, ``_postfile``, ``_fieldunmap``) whole;
* ``watcher.find.index_writer``: ``BulkWriter`` subclasses ``SegmentWriter`` and writes through
  the field writer's ``_tindex``, ``_postfile`` and ``_fieldid`` (``tests/test_index_writer.py``
  compares its segments with Whoosh's, byte for byte).

Each is compared with what Whoosh's public API says for the same segment. An index without any
segment is read through Whoosh's ``EmptyReader``, which has none of those private parts (a fresh
watch's `watcher web` used to log a traceback while warming it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_index_codec import _hits
from test_query_exec import NOW, _doc
from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.reading import EmptyReader

from watcher.find.index import (
    _SEP,
    FACET_FIELDS,
    SearchIndex,
    _build_schema,
    _Compiler,
    _doc_fields,
    _runnable,
)
from watcher.find.index_codec import FlatCodec, segment_postings
from watcher.find.index_columns import SegmentColumns, numeric_column
from watcher.find.query import parse_query
from watcher.find.query_exec import LENGTHS, Evaluator, read_postings

SHAPES = ("empty", "one", "many")
SEGMENTS = {"empty": 1, "one": 1, "many": 7}  # leaf readers (the empty index: an EmptyReader)
DOCS = [_doc(random.Random(23), i) for i in range(1, 70)]


def _add(index: SearchIndex, shape: str) -> None:
    if shape == "one":
        index.add(DOCS[:1])
    elif shape == "many":
        index.add(DOCS[:60], batch_size=60)  # one segment of 60 (terms in flat blocks)…
        for doc in DOCS[60:66]:  # … and six of one document
            index.add([doc])
        index.delete([DOCS[2].item_id, DOCS[61].item_id])  # deletions in two segments


@pytest.fixture(params=SHAPES)
def shaped(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, SearchIndex]]:
    index = SearchIndex(tmp_path / "ix")
    _add(index, request.param)
    yield request.param, index
    index.close()


def _leaves(index: SearchIndex, shape: str) -> list[tuple[Any, int]]:
    leaves = list(index._get_searcher().reader().leaf_readers())
    assert len(leaves) == SEGMENTS[shape]
    if shape == "empty":
        assert isinstance(leaves[0][0], EmptyReader)
    return leaves


# --------------------------------------------------------------------------- watcher.find.index


def test_warm_and_field_lengths_agree_with_whoosh(shaped: tuple[str, SearchIndex]) -> None:
    shape, index = shaped
    index.warm()  # a fresh watch's web app warms its index: no traceback
    with index._lock:
        for leaf, _offset in _leaves(index, shape):
            for fieldname in ("title", "text"):
                got = LENGTHS[index._field_lengths(leaf, fieldname)]  # (Whoosh's bytes)
                count = leaf.doc_count_all()
                expected = [max(1, leaf.doc_field_length(d, fieldname)) for d in range(count)]
                assert got.tolist() == expected


# ------------------------------------------------------------------- watcher.find.index_columns


def test_columns_agree_with_whoosh(shaped: tuple[str, SearchIndex]) -> None:
    shape, index = shaped
    with index._lock:
        for leaf, _offset in _leaves(index, shape):
            count = leaf.doc_count_all()
            for name in ("date", "item_id", "cluster"):
                expected = list(leaf.column_reader(name)) if count else []
                assert numeric_column(leaf, name).tolist() == expected, name
            cols = SegmentColumns.read(leaf, FACET_FIELDS, _SEP)
            assert len(cols.dates) == count
            for fname in FACET_FIELDS:
                facet = cols.facets[fname]
                assert len(facet.starts) == count + 1
                rows = list(leaf.column_reader("f_" + fname)) if count else []
                values = [v for row in rows if row for v in row.decode().split(_SEP)]
                assert [facet.vocab[c] for c in facet.codes.tolist()] == values
    assert index.indexed_ids() == _expected_ids(shape)


def _expected_ids(shape: str) -> set[int]:
    if shape == "empty":
        return set()
    if shape == "one":
        return {DOCS[0].item_id}
    return {d.item_id for d in DOCS[:66]} - {DOCS[2].item_id, DOCS[61].item_id}


# ---------------------------------------------------------------------- watcher.find.query_exec


def test_read_postings_agrees_with_whoosh(shaped: tuple[str, SearchIndex]) -> None:
    shape, index = shaped
    checked = 0
    with index._lock:
        for leaf, _offset in _leaves(index, shape):
            terms = [*leaf.all_terms(), ("text", b"introuvable")]
            for fieldname, btext in terms:
                p = read_postings(leaf, fieldname, btext, values=True)
                ids = p.ids.tolist()
                values = p.values or [None] * len(ids)  # ([] for a field without values)
                got = zip(ids, p.weights.tolist(), values, strict=True)
                live = [(d, w, v) for d, w, v in got if not leaf.is_deleted(d)]
                expected: list[tuple[int, float, Any]] = []
                if (fieldname, btext) in leaf:
                    m = leaf.postings(fieldname, btext)  # Whoosh's own (deletions filtered)
                    while m.is_active():
                        expected.append((m.id(), m.weight(), m.value() if p.values else None))
                        m.next()
                assert live == expected, (fieldname, btext)
                checked += len(expected)
    assert checked > {"empty": -1, "one": 20, "many": 2000}[shape]


def test_segment_postings_agree_with_whoosh(shaped: tuple[str, SearchIndex]) -> None:
    """What merging reads: every term of a segment, in order, with all its postings."""
    shape, index = shaped
    with index._lock:
        for leaf, _offset in _leaves(index, shape):
            if isinstance(leaf, EmptyReader):
                continue
            got = [
                (name, btext, list(ids), [float(w) for w in weights], values)
                for name, btext, ids, weights, values in segment_postings(leaf, lambda _n: True)
            ]
            assert [(name, btext) for name, btext, *_ in got] == list(leaf.all_terms())
            for name, btext, ids, weights, values in got:
                m: Any = leaf._terms.matcher(name, btext, leaf.schema[name].format, scorer=None)
                expected: list[tuple[int, float, Any]] = []
                while m.is_active():  # (deleted documents included, as merging filters them)
                    expected.append((m.id(), m.weight(), m.value()))
                    m.next()
                fixed = leaf.schema[name].format.fixed_value_size()
                assert [(d, w) for d, w, _v in expected] == list(zip(ids, weights, strict=True))
                if fixed != 0:
                    assert values == [v for _d, _w, v in expected], (name, btext)


QUERIES = ["client", '"relation client"', "prix OR marché", "service -client", "title:marché"]


@pytest.mark.parametrize("text", QUERIES)
def test_evaluator_scores_as_whoosh(shaped: tuple[str, SearchIndex], text: str) -> None:
    _shape, index = shaped
    with index._lock:
        searcher = index._get_searcher()
        q = _runnable(_Compiler(searcher.schema, NOW, None).compile(parse_query(text)))
        expected = index._all_scores(searcher, q, None)
        docs, scores = Evaluator(searcher, index._field_lengths, index._segment_dates).run(
            q, scored=True
        )
        assert docs.tolist() == sorted(expected)
        assert scores is not None
        assert scores.tolist() == pytest.approx([expected[d] for d in docs.tolist()], rel=1e-9)
    found = index.search(text, groups=None, now=NOW)  # and the whole search, columns included
    assert found.total == len({index_cluster(index, d) for d in docs.tolist()})


def index_cluster(index: SearchIndex, docnum: int) -> int:
    return int(index._columns(index._get_searcher()).clusters[docnum])


# --------------------------------------------------------------------- watcher.find.index_codec


def _whoosh_index(path: Path, codec: Any, shape: str) -> Any:
    """The documents of ``shape`` written straight through Whoosh with ``codec``."""
    path.mkdir()
    ix = windex.create_in(str(path), _build_schema())
    batches = {"empty": [[]], "one": [DOCS[:1]], "many": [DOCS[:60], *([d] for d in DOCS[60:66])]}
    for batch in batches[shape]:
        writer = ix.writer(codec=codec)
        for doc in batch:
            writer.add_document(**_doc_fields(doc))
        writer.commit(merge=False)
    if shape == "many":
        writer = ix.writer(codec=codec)
        writer.delete_by_term("item_id", DOCS[2].item_id)
        writer.commit(merge=False)
    return ix


def _postings(ix: Any) -> dict[tuple[str, bytes], list[tuple[int, float, Any]]]:
    out: dict[tuple[str, bytes], list[tuple[int, float, Any]]] = {}
    with ix.reader() as reader:
        for fieldname, btext in reader.all_terms():
            m = reader.postings(fieldname, btext)
            rows = []
            while m.is_active():
                rows.append((m.id(), m.weight(), m.value()))
                m.next()
            out[fieldname, btext] = rows
    return out


@pytest.mark.parametrize("shape", SHAPES)
def test_flat_codec_holds_what_w3_holds(tmp_path: Path, shape: str) -> None:
    w3 = _whoosh_index(tmp_path / "w3", W3Codec(), shape)
    flat = _whoosh_index(tmp_path / "flat", FlatCodec(), shape)
    for merged in (False, True):
        expected = _postings(w3)
        assert _postings(flat) == expected
        assert len(expected) > {"empty": -1, "one": 20, "many": 200}[shape]
        for text in QUERIES:
            assert _hits(flat, text) == _hits(w3, text), text
        if not merged:  # one segment: read back with our matcher, written again
            flat.writer(codec=FlatCodec()).commit(optimize=True)
            w3.writer(codec=W3Codec()).commit(optimize=True)
    with flat.reader() as reader:
        assert len(reader.leaf_readers()) == 1


def test_a_fresh_watch_s_web_app_warms_its_index_without_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`watcher web` on a watch with no item yet: the app warms its (segment-less) index in a
    thread as it starts; that used to log « warming the search index failed … EmptyReader »."""
    import logging
    import threading

    from click.testing import CliRunner

    from watcher.cli.main import main
    from watcher.web import create_app
    from watcher.workspace import Workspace

    assert CliRunner().invoke(main, ["init", str(tmp_path / "veille")]).exit_code == 0
    caplog.set_level(logging.INFO)
    app = create_app(Workspace(tmp_path / "veille" / "sources.yml"))
    try:
        for thread in threading.enumerate():  # (an empty index is warm at once)
            if thread.name == "index-warm":
                thread.join(timeout=60)
        assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    finally:
        app.extensions["watcher"].close()
