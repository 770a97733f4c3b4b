"""watcher.index_writer: segments written in bulk are the bytes Whoosh's own writer writes;
rebuilds by worker processes; segment files read without copying them into memory."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import tracemalloc
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

import watcher.find.index as watcher_index
from conftest import wait_for
from watcher.find.index import IndexDoc, SearchIndex, _analysis, _build_schema, _doc_fields
from watcher.find.index_codec import BLOCK_LIMIT, FlatCodec
from watcher.find.index_writer import PAIRS, SPELL, WORDS, BulkWriter

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
WORDS_POOL = [
    "marché", "marchés", "Réglementation", "réglementaient", "prix", "hausse", "client",
    "clients", "relation", "fidélité", "banque", "centrale", "européenne", "İstanbul", "ﬁnance",
    "ÉNERGIE", "œuvre", "a.b.c", "v2.0", "3,5", "12", "2026", "*", "x*y", "n°", "l'AMF",
    "aujourd'hui", "Straße", "ǅemal", "ᾈ", "ﬀ", "Ａｕｔｏｒｉｔé", "naïve", "ça", "zoo",
    # code articles, whose letter is a word of its own (« l. »: watcher.find.index._WordTokenizer)
    "L. 221-18", "R221-18", "l.221-18", "R.* 366-5", "R*111-19-18", "LO 136-1", "D 311-4",
    "A. 441-2", "L-223-1", "NF A 35-016", "L\xa0221-18", "L.O. 136-1",
]  # fmt: skip
AXES = ("concurrence", "reglementaire", "normes")
ENTITIES = ("CNIL", "DGCCRF", "Banque de France", "Œuvre")
STOP = ["de", "la", "le", "des", "du", "et", "en", "à", "les", "Les", "LA", "y", "l", "d"]


def _text(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.25:
            out.append(rng.choice(STOP))
        elif r < 0.3:
            out.append(
                "".join(rng.choice("aeiouéèçñ'-.,;:!? 0123") for _ in range(rng.randint(1, 9)))
            )
        else:
            out.append(rng.choice(WORDS_POOL))
    sep = rng.choice((" ", "  ", " , ", "\n", " – "))
    return sep.join(out)


def _docs(count: int, seed: int = 7) -> list[IndexDoc]:
    rng = random.Random(seed)
    docs = []
    for item_id in range(1, count + 1):
        when = NOW - timedelta(days=rng.randint(0, 400), seconds=rng.randint(0, 86_400))
        docs.append(
            IndexDoc(
                item_id=item_id * 3,
                groups=tuple(rng.sample(("g1", "g2", "g3"), rng.randint(0, 2))),
                title=_text(rng, rng.randint(0, 9)),
                text=_text(rng, rng.choice((0, 5, 40, 300))),
                summary=_text(rng, rng.randint(0, 20)),
                url=f"https://example.org/{item_id}",
                source_id=f"s{item_id % 5}",
                source_name=f"Source {item_id % 5}",
                axes=tuple(
                    rng.sample(("concurrence", "reglementaire", "normes"), rng.randint(0, 2))
                ),
                topics=tuple(rng.sample(("legal", "economique", "social"), rng.randint(0, 3))),
                entities=tuple(rng.sample(ENTITIES, rng.randint(0, 3))),
                refs=("eu:celex:32016R0679",) if rng.random() < 0.3 else (),
                ref_aliases=("RGPD", "règlement (UE) 2016/679") if rng.random() < 0.3 else (),
                published=when if rng.random() < 0.9 else None,
                fetched=when + timedelta(hours=1),
                language="fr",
                cluster_id=rng.choice((None, item_id * 3, 2**40)),
            )
        )
    return docs


def _segment_files(path: Path) -> tuple[dict[str, bytes], Any]:
    ix = windex.open_dir(str(path))
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage)
    files = {
        name.split(".", 1)[1]: storage.open_file(name).get(0, storage.file_length(name))
        for name in storage.list()
    }
    storage.close()
    return files, segment


def _write(path: Path, prepared: list[dict[str, Any]], *, bulk: bool, blocklimit: int) -> None:
    path.mkdir()
    ix = windex.create_in(str(path), _build_schema())
    codec = FlatCodec(blocklimit=blocklimit)
    writer: Any = (
        BulkWriter(watcher_index._writing_index(path, "MAIN"), _analysis(), codec=codec)
        if bulk
        else SegmentWriter(ix, codec=codec)
    )
    for fields in prepared:
        writer.add_document(**fields)
    writer.commit()


@pytest.mark.parametrize("blocklimit", [BLOCK_LIMIT, 40])  # (40: terms of several blocks)
def test_a_bulk_segment_is_the_bytes_whoosh_writes(tmp_path: Path, blocklimit: int) -> None:
    docs = _docs(700)
    prepared = [_doc_fields(d) for d in docs]
    _write(tmp_path / "whoosh", prepared, bulk=False, blocklimit=blocklimit)
    _write(tmp_path / "bulk", prepared, bulk=True, blocklimit=blocklimit)
    expected, expected_segment = _segment_files(tmp_path / "whoosh")
    got, got_segment = _segment_files(tmp_path / "bulk")
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name] == data, name
    assert got_segment._fieldlengths == expected_segment._fieldlengths
    assert got_segment.doc_count_all() == len(docs)


@pytest.mark.parametrize("kind", [WORDS, PAIRS, SPELL])
def test_analysis_gives_each_field_what_whoosh_s_field_index_gives(kind: str) -> None:
    schema = _build_schema()
    name = {WORDS: "text", PAIRS: "text_pair", SPELL: "spell"}[kind]
    field = schema[name]
    analysis = _analysis()
    rng = random.Random(kind)
    for _ in range(400):
        text = _text(rng, rng.randint(0, 60))
        expected = sorted(field.index(text))
        if kind == SPELL:
            counts = analysis.spell(text)
            got = [(t.encode(), n, float(n), None) for t, n in counts.items()]
        else:
            first, words = analysis.words(text)
            if kind == WORDS:
                terms, weights, values = analysis.positions(first, words)
                got = [
                    (t.encode(), int(w), w, v)
                    for t, w, v in zip(terms, weights, values, strict=True)
                ]
            else:
                pairs: dict[str, int] = {}
                for a, b in pairwise(words):
                    pairs[f"{a} {b}"] = pairs.get(f"{a} {b}", 0) + 1
                got = [(t.encode(), n, float(n), None) for t, n in pairs.items()]
        if kind != WORDS:  # Frequency fields: the value is the count, which bulk writing
            expected = [(t, f, w, None) for t, f, w, _v in expected]  # derives from weights
        assert sorted(got) == expected, text


def test_merged_segments_are_the_bytes_whoosh_merges(tmp_path: Path) -> None:
    """add_reader (used by the merge policy and optimize) gives the same segment, deleted
    documents left out, as Whoosh's own pool."""
    docs = _docs(300, seed=11)
    for target, bulk in (("whoosh", False), ("bulk", True)):
        path = tmp_path / target
        index = SearchIndex(path)
        index.add(docs[:120], batch_size=60)
        index.add(docs[120:], batch_size=100)
        index.delete([d.item_id for d in docs[::7]])
        index.close()
        ix = windex.open_dir(str(path))
        writer: Any = (
            BulkWriter(watcher_index._writing_index(path, "MAIN"), _analysis(), codec=FlatCodec())
            if bulk
            else SegmentWriter(ix, codec=FlatCodec())
        )
        for segment in writer.segments:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        writer.commit(mergetype=lambda _w, _segments: [])
    expected, _ = _segment_files(tmp_path / "whoosh")
    got, segment = _segment_files(tmp_path / "bulk")
    assert segment.doc_count_all() == len(docs) - len(docs[::7])
    for name, data in expected.items():
        assert got[name] == data, name


def _results(index: SearchIndex) -> list[Any]:
    out = []
    for query in ("marché", '"relation client"', "prix OR banque", "entity:CNIL", ""):
        res = index.search(query, groups=None, now=NOW, limit=100)
        out.append((res.total, [(h.item_id, h.score) for h in res.hits], res.facets))
    return out


def _load(docs: dict[int, IndexDoc], ids: list[int]) -> list[IndexDoc]:
    return [docs[i] for i in ids]


def test_a_rebuild_by_worker_processes_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _docs(90, seed=5)
    one = SearchIndex(tmp_path / "one")
    one.add(docs)
    expected = _results(one)
    one.close()
    monkeypatch.setattr(watcher_index, "SEGMENT_DOCS", 25)  # 4 segments, 2 processes
    many = SearchIndex(tmp_path / "many")
    many.add(_docs(10, seed=99))  # replaced by the rebuild
    by_id = {d.item_id: d for d in docs}
    seen: list[tuple[int, int]] = []
    from functools import partial

    count = many.rebuild_from(
        [d.item_id for d in docs],
        partial(_load, by_id),
        processes=2,
        on_progress=lambda done, total: seen.append((done, total)),
    )
    assert count == len(docs) and many.segment_count() == 4
    assert seen[-1] == (90, 90)
    assert _results(many) == expected
    assert not list(many.path.glob("MAIN.tmp*"))  # no writer's temporary folder left
    assert len(list(many.path.glob("*.watcher_columns.npz"))) == 4  # written with the segments
    many.close()


def _record_as_w3(path: Path) -> None:
    """Rewrite the index's table of contents as an index written before FlatSegment did."""
    storage = FileStorage(str(path))
    toc = windex.TOC.read(storage, "MAIN")
    for segment in toc.segments:
        segment.__class__ = W3Segment
    toc.generation += 1
    toc.write(storage, "MAIN")


@pytest.mark.parametrize("older", [False, True])
def test_searching_does_not_copy_the_index_into_memory(tmp_path: Path, older: bool) -> None:
    """whoosh3 copies every sub-file of a mapped segment it opens into a BytesIO: the search
    process held the whole index twice. Segments are now read with os.pread, also those of
    an index written before (recorded as W3's own segments)."""
    index = SearchIndex(tmp_path / "ix")
    index.add(_docs(1500, seed=3), batch_size=2000)
    index.close()
    if older:
        _record_as_w3(tmp_path / "ix")
    size = sum(p.stat().st_size for p in (tmp_path / "ix").glob("*.seg"))
    assert size > 2_000_000
    tracemalloc.start()
    try:
        again = SearchIndex(tmp_path / "ix")
        for query in ("marché", "prix banque", '"relation client"'):
            again.search(query, groups=["g1"], now=NOW)
        _current, peak = tracemalloc.get_traced_memory()
        again.close()
    finally:
        tracemalloc.stop()
    assert peak < size / 2, (peak, size)


def test_saved_columns_are_mapped_not_read(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.add(_docs(50))
    index.close()
    again = SearchIndex(tmp_path / "ix")
    with again._lock:
        leaf = again._get_searcher().reader().leaf_readers()[0][0]
        cols = again._segment(leaf)
    assert not cols.dates.flags.owndata and not cols.dates.flags.writeable
    codes = cols.facets["entity"].codes
    assert codes.dtype == np.uint16 and not codes.flags.owndata
    again.close()


def test_small_segments_merge_ten_at_a_time_and_large_ones_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch of add() is a segment; ten small ones merge into one medium, five medium
    ones into a large one, and large segments (a rebuild's) are left to optimize(): the
    number of segments stays bounded and no document is rewritten more than twice."""
    monkeypatch.setattr(watcher_index, "SMALL_DOCS", 10)
    monkeypatch.setattr(watcher_index, "MEDIUM_DOCS", 60)
    docs = _docs(400, seed=17)
    index = SearchIndex(tmp_path / "ix")
    index.rebuild(docs[:100])  # one large segment
    sizes = []
    for at in range(100, 400, 5):  # 60 batches of 5 documents
        index.add(docs[at : at + 5])
        with index._lock:
            sizes.append(
                sorted(
                    leaf.doc_count_all()
                    for leaf, _ in index._get_searcher().reader().leaf_readers()
                )
            )
    for seen in sizes:
        assert 100 in seen  # the rebuild's segment is never merged here
        assert (
            len([n for n in seen if n < 10]) <= 10 and len([n for n in seen if 10 <= n < 60]) <= 5
        )
    assert sizes[9] == [5] * 10 + [100]  # ten small ones wait,
    assert sizes[10] == [55, 100]  # the eleventh batch takes them with it into a medium one
    assert any(n > 100 for n in sizes[-1])  # five medium ones became a large one
    assert index.doc_count() == 400
    expected = SearchIndex(tmp_path / "one")
    expected.add(docs)
    for query in ("marché", '"relation client"', "prix OR banque", "entity:CNIL", ""):
        got, want = (
            ix.search(query, groups=None, now=NOW, limit=100, sort="date")
            for ix in (index, expected)
        )  # (by date: a merge rewrites field lengths as Whoosh stores them, one byte each,
        # which moves scores by a few thousandths, as Whoosh's own merges do)
        assert got.total == want.total and got.facets == want.facets
        assert [h.item_id for h in got.hits] == [h.item_id for h in want.hits]
    index.close()
    expected.close()


def test_segments_are_recorded_as_whoosh_s_own(tmp_path: Path) -> None:
    """The table of contents records W3's segment class (read as FlatSegment), so that the
    previous Watcher still opens an index written by this one (it knew FlatCodec, not
    FlatSegment: unpickling the table of contents failed, and so did every search)."""
    index = SearchIndex(tmp_path / "ix")
    index.rebuild(_docs(30))
    index.add(_docs(5, seed=2))
    index.close()
    toc = windex.TOC.read(FileStorage(str(tmp_path / "ix")), "MAIN")
    assert len(toc.segments) == 2
    assert all(type(segment) is W3Segment for segment in toc.segments)


def _load_then_stall(
    signal_path: str, by_id: dict[int, IndexDoc], ids: list[int]
) -> list[IndexDoc]:
    """A rebuild's loader (in its worker processes) that stalls from the third chunk on,
    after saying so through the FIFO at ``signal_path``."""
    if min(ids) >= 3 * 20:  # the third chunk of 10 documents (ids of _docs are 3, 6, 9…)
        with open(signal_path, "wb") as fifo:
            fifo.write(b"x")
        threading.Event().wait()  # until killed
    return [by_id[i] for i in ids]


REBUILD_SCRIPT = """
import sys
from functools import partial
from pathlib import Path
import watcher.find.index as wi
from test_index_writer import _docs, _load_then_stall
if __name__ == "__main__":
    wi.SEGMENT_DOCS = 10
    docs = _docs(60, seed=5)
    index = wi.SearchIndex(Path(sys.argv[1]))
    load = partial(_load_then_stall, sys.argv[2], {d.item_id: d for d in docs})
    index.rebuild_from([d.item_id for d in docs], load, processes=2)
"""


def test_a_rebuild_killed_with_its_workers_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    """kill -9 of a rebuild and its worker processes half-way (some segments written, one
    being loaded): the index opens at its previous state, the next commit removes what the
    workers left, and a rebuild then runs through."""
    index = SearchIndex(tmp_path / "ix")
    before_docs = _docs(40, seed=9)
    index.add(before_docs)
    expected = _results(index)
    index.close()
    fifo = tmp_path / "stalled"
    os.mkfifo(fifo)
    script = tmp_path / "rebuild.py"
    script.write_text(REBUILD_SCRIPT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), *sys.path]))
    child = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "ix"), str(fifo)],
        env=env,
        start_new_session=True,  # its own process group: the workers are killed with it
    )
    try:
        with open(fifo, "rb") as stalled:  # a worker is loading the third chunk
            assert stalled.read(1) == b"x"
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    leftovers = {p.name for p in (tmp_path / "ix").iterdir()}
    assert any(name.startswith("MAIN.tmp.") for name in leftovers)  # the workers' folders
    assert len([name for name in leftovers if name.endswith(".seg")]) > 1  # and their segments

    again = SearchIndex(tmp_path / "ix")
    assert again.doc_count() == len(before_docs) and _results(again) == expected
    again.add(_docs(1, seed=77))  # a commit: Whoosh removes the files of no segment, we the
    with again._lock:  # writers' folders
        live = {
            leaf.segment().segment_id() for leaf, _ in again._get_searcher().reader().leaf_readers()
        }
    for path in (tmp_path / "ix").iterdir():
        if path.name.startswith("MAIN_") and not path.name.startswith("MAIN_WRITELOCK"):
            assert path.name.split(".")[0] in live, path.name
        assert not path.name.startswith("MAIN.tmp."), path.name
    docs = _docs(60, seed=5)
    assert again.rebuild(docs) == 60 and again.doc_count() == 60
    again.close()


def _children(pid: int) -> list[int]:
    found = []
    for task in (Path("/proc") / str(pid) / "task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its new parent to reap it is dead)."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_rebuild_killed_alone_takes_its_workers_with_it(tmp_path: Path) -> None:
    """kill -9 of the rebuilding process only (the OOM killer, `kill -9 PID`), not of its
    process group: its spawned workers stayed, waiting for work for ever (each a Python with
    the store and Whoosh loaded, a stalled one in the middle of its segment). They die with
    it, as a crawl's worker does."""
    index = SearchIndex(tmp_path / "ix")
    index.add(_docs(40, seed=9))
    index.close()
    fifo = tmp_path / "stalled"
    os.mkfifo(fifo)
    script = tmp_path / "rebuild.py"
    script.write_text(REBUILD_SCRIPT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), *sys.path]))
    child = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "ix"), str(fifo)], env=env
    )
    started: list[int] = []
    try:
        with open(fifo, "rb") as stalled:  # a worker is loading the third chunk
            assert stalled.read(1) == b"x"
        started = _children(child.pid)  # the workers (and multiprocessing's resource tracker)
        assert len(started) >= 2
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        wait_for(lambda: not any(map(_alive, started)), "the workers to die", deadline=20)
    finally:
        for pid in started:  # the test's own processes, left by the old code
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if child.poll() is None:
            child.kill()
            child.wait()
    again = SearchIndex(tmp_path / "ix")
    assert again.doc_count() == 40
    again.close()


def test_an_index_naming_classes_of_another_version_is_recreated_empty(tmp_path: Path) -> None:
    """An index written before the modules moved (``watcher.index`` → ``watcher.find.index``)
    names classes Python can no longer import: opening it raised ModuleNotFoundError, and
    so did every command that opens the index. It is derived data: recreated empty, to be
    refilled from the store."""
    index = SearchIndex(tmp_path / "ix")
    index.add(_docs(5))
    index.close()
    (toc,) = (tmp_path / "ix").glob("_MAIN_*.toc")
    toc.write_bytes(toc.read_bytes().replace(b"watcher.find.index", b"watcher.gone.index"))
    again = SearchIndex(tmp_path / "ix")
    assert again.doc_count() == 0
    again.add(_docs(3, seed=4))
    assert again.doc_count() == 3
    again.close()
