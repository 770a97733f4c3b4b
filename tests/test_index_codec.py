"""watcher.find.index_codec: flat posting blocks hold exactly what Whoosh's own W3 blocks hold.

The block format is checked two ways: encode/decode of hand-made blocks covering every
width and kind, and two real indexes of the same documents, one written by Whoosh's W3
codec and one by ours, compared term by term (docnums, weights, positions) and query by
query, before and after a merge of their segments."""

from __future__ import annotations

import random
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.qparser import QueryParser

from tests.test_query_exec import _doc
from watcher.find.index import _build_schema, _doc_fields
from watcher.find.index_codec import (
    FlatCodec,
    FlatLeafMatcher,
    decode_arrays,
    decode_values,
    encode_block,
)
from watcher.find.query_exec import read_postings


def _roundtrip(
    ids: list[int], weights: list[float], values: list[bytes], fixedsize: int | None, comp: int
) -> tuple[list[int], list[float], list[bytes] | None]:
    raw = encode_block(array("I", ids), array("f", weights), values, fixedsize, comp)
    got_ids, got_weights, at = decode_arrays(raw, len(ids))
    assert got_ids.dtype == np.int64 and got_weights.dtype == np.float64
    return got_ids.tolist(), got_weights.tolist(), decode_values(raw, at, fixedsize)


@pytest.mark.parametrize(
    "ids",
    [
        [7],
        [0, 1, 2, 3],
        [5, 300, 301],  # a delta above 255
        [1, 70_000, 70_001, 4_000_000_000],  # above 65,535 and near the uint32 top
    ],
)
@pytest.mark.parametrize(
    "kind", ["ones", "small", "large", "huge", "fraction"],
)  # fmt: skip
def test_block_roundtrip_ids_and_weights(ids: list[int], kind: str) -> None:
    base = {"ones": 1.0, "small": 3.0, "large": 300.0, "huge": 70_000.0, "fraction": 1.5}[kind]
    weights = [base + (i if kind != "ones" else 0) for i in range(len(ids))]
    got_ids, got_weights, values = _roundtrip(ids, weights, [], 0, 3)
    assert got_ids == ids
    assert got_weights == [float(np.float32(w)) for w in weights]
    assert values is None


@pytest.mark.parametrize("comp", [0, 3])
def test_block_roundtrip_variable_values(comp: int) -> None:
    rng = random.Random(4)
    values = [bytes(rng.randrange(256) for _ in range(rng.randint(1, 60))) for _ in range(40)]
    ids = sorted(rng.sample(range(10_000), 40))
    assert _roundtrip(ids, [1.0] * 40, values, None, comp)[2] == values
    short = [b"ab", b"c"]  # below zlib's break-even: stored as is
    assert _roundtrip([1, 2], [1.0, 1.0], short, None, comp)[2] == short


def test_block_roundtrip_fixed_values() -> None:
    values = [b"abcd", b"efgh", b"ijkl"]
    assert _roundtrip([1, 2, 3], [2.0, 2.0, 2.0], values, 4, 3)[2] == values


# ------------------------------------------------------------ a real index, both codecs


def _build(path: Path, codec: Any, docs: list[dict[str, Any]]) -> Any:
    path.mkdir()
    ix = windex.create_in(str(path), _build_schema())
    for start in range(0, len(docs), 150):  # several segments
        w = ix.writer(codec=codec)
        for fields in docs[start : start + 150]:
            w.add_document(**fields)
        w.commit(merge=False)
    w = ix.writer(codec=codec)
    for n in range(0, len(docs), 11):
        w.delete_by_term("item_id", docs[n]["item_id"])
    w.commit(merge=False)
    return ix


def _postings(ix: Any) -> dict[tuple[str, bytes], list[tuple[int, float, Any]]]:
    out: dict[tuple[str, bytes], list[tuple[int, float, Any]]] = {}
    with ix.reader() as reader:
        for fieldname, btext in reader.all_terms():
            fmt = reader.schema[fieldname].format
            rows: list[tuple[int, float, Any]] = []
            for leaf, offset in reader.leaf_readers():
                if (fieldname, btext) not in leaf:
                    continue
                m = leaf._terms.matcher(fieldname, btext, fmt, scorer=None)
                while m.is_active():
                    rows.append((m.id() + offset, m.weight(), m.value()))
                    m.next()
            out[fieldname, btext] = rows
    return out


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    rng = random.Random(27)
    docs = [_doc_fields(_doc(rng, i)) for i in range(600)]
    base = tmp_path_factory.mktemp("codecs")
    return _build(base / "w3", W3Codec(), docs), _build(base / "flat", FlatCodec(), docs)


def test_every_term_has_the_same_postings_as_with_w3(pair: tuple[Any, Any]) -> None:
    w3, flat = pair
    expected, got = _postings(w3), _postings(flat)
    assert len(expected) > 1000
    assert got.keys() == expected.keys()
    for key, rows in expected.items():
        assert got[key] == rows, key
    with flat.reader() as reader:  # and the blocks are ours, several per long list
        leaf = next(iter(reader.leaf_readers()))[0]
        fmt = reader.schema["text"].format
        m = leaf._terms.matcher("text", b"client", fmt, scorer=None)
        assert isinstance(m, FlatLeafMatcher)


def test_read_postings_gives_whooshs_postings(pair: tuple[Any, Any]) -> None:
    _w3, flat = pair
    checked = 0
    with flat.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            for fieldname, btext in [("text", b"client"), ("title", b"prix")]:  # positions
                fmt = reader.schema[fieldname].format
                m = leaf._terms.matcher(fieldname, btext, fmt, scorer=None)
                rows = []
                while m.is_active():
                    rows.append((m.id(), m.weight(), m.value()))
                    m.next()
                p = read_postings(leaf, fieldname, btext, values=True)
                assert p.values is not None
                assert list(zip(p.ids.tolist(), p.weights.tolist(), p.values, strict=True)) == rows
                checked += len(rows)
    assert checked > 500


QUERIES = [
    "client",
    '"banque centrale européenne"',
    "prix OR hausse",
    "service -client",
    "title:marché",
]


def _hits(ix: Any, text: str) -> list[tuple[int, float]]:
    with ix.searcher() as s:
        q = QueryParser("text", ix.schema).parse(text)
        return [(h["item_id"], round(h.score, 9)) for h in s.search(q, limit=None)]


@pytest.mark.parametrize("text", QUERIES)
def test_whoosh_searches_alike(pair: tuple[Any, Any], text: str) -> None:
    w3, flat = pair
    hits = _hits(w3, text)
    assert hits
    assert _hits(flat, text) == hits


def test_merged_segments_keep_their_postings(pair: tuple[Any, Any]) -> None:
    w3, flat = pair
    flat.writer(codec=FlatCodec()).commit(optimize=True)  # read with our matcher, rewritten
    w3.writer(codec=W3Codec()).commit(optimize=True)
    with flat.reader() as reader:
        assert len(reader.leaf_readers()) == 1
    assert _postings(flat) == _postings(w3)
    assert _hits(flat, "client") == _hits(w3, "client")
