"""Writing the search index's segments in bulk, byte for byte what Whoosh writes.

Profiled on a full reindex of 10,000 items (cProfile, whoosh3's ``SegmentWriter``): a third
of the time went into Whoosh's analysers (a generator chain and a ``Token`` per word, for
each of the five text fields), a third into its posting pool (every posting pickled into a
sorted run file, then read back and merged), and a quarter into writing the postings one at
a time. :class:`BulkWriter` is a ``SegmentWriter`` that does the same work differently:

* **Analysis, batched and cached.** A document's text is cut into words once per analyser
  as its tokenizer cuts it (its regular expression, or its ``cut``: a code article's letter is
  the word ``l.``, watcher.find.index._WordTokenizer); each distinct word goes through the
  analyser chain's own filters once per process (lowercase, stop words, French stemmer, accent
  folding) and is then looked up in a dictionary. ``text`` and ``text_pair`` share one
  cutting of the body, ``title`` and ``title_pair`` one of the title. Positions follow Whoosh's
  ``StopFilter(renumber=True)`` (the first kept word keeps its position, the next ones
  follow it).
* **Postings in arrays.** A document's postings are appended to per-field arrays (term id,
  docnum, weight, and the encoded positions in one byte buffer) rather than pickled into a
  pool; at the end, one stable ``argsort`` per field orders them by term, docnums ascending.
* **Terms written directly.** Each term's blocks, block headers and term info are written as
  ``watcher.index_codec.FlatPostingsWriter`` and whoosh3's ``W3TermInfo`` would write them,
  in one pass per term, with the block statistics (lengths, weights) computed with numpy.

The per-document data (stored fields, field lengths, columns) still goes through Whoosh's
per-document writer, call for call as ``SegmentWriter.add_document`` makes them, and merging
segments (``add_reader``) reads the merged segments' postings term by term as arrays.
``tests/test_index_writer.py`` checks that a segment written this way is the same bytes as
one written by ``SegmentWriter.add_document``, sub-file by sub-file, and that each field's
postings are those of ``field.index``.
"""

from __future__ import annotations

import re
import struct
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import pairwise
from pickle import dumps
from typing import Any, cast

import numpy as np
from whoosh.analysis import Token
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.columns import TranslatingColumnReader
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from watcher.find.index_codec import encode_block, segment_postings
from watcher.find.index_columns import length_column

__all__ = ["PAIRS", "SPELL", "WORDS", "Analysis", "BulkWriter"]

WORDS = "words"  # a Positions field: the words of the word analyser
PAIRS = "pairs"  # a Frequency field: each two adjacent words of the word analyser
SPELL = "spell"  # a Frequency field: the words of the spelling analyser
CACHE_LIMIT = 400_000  # words kept per analyser cache (emptied when full)
SMALL_TERM = 24  # a term with at most this many postings is encoded without numpy
# Whoosh's one-byte field lengths decoded as its writer sees them (0: no length)
_DECODED = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.int64)
_MAGIC = WHOOSH3_HEADER_MAGIC
_TERMINFO = W3TermInfo._struct


def filtered(
    filters: Iterable[Any], word: str, *, mode: str, removestops: bool
) -> list[tuple[str, bool]]:
    """What an analyser chain's filters make of one word as its tokenizer cut it: (text,
    stopped) of each token they give (none when they drop it)."""
    token = Token(positions=False, chars=False, removestops=removestops, mode=mode)
    token.text = word
    token.boost = 1.0
    token.stopped = False
    tokens: Iterable[Token] = (token,)
    for step in filters:
        tokens = step(tokens)
    return [(t.text, bool(t.stopped)) for t in tokens]


class _Words(dict[str, Any]):
    """Word as cut → what an analyser chain's filters make of it (None: dropped), each word
    analysed once, as the chain's tokenizer gives it to them."""

    def __init__(self, analyzer: Any) -> None:
        super().__init__()
        self.filters = analyzer.items[1:]

    def __missing__(self, word: str) -> Any:
        out = [text for text, _ in filtered(self.filters, word, mode="index", removestops=True)]
        if len(out) > 1:  # (cannot happen: the filters split no word)
            raise ValueError(f"the analyser cut {word!r} into {out!r}")
        if len(self) >= CACHE_LIMIT:
            self.clear()
        term = self[word] = out[0] if out else None
        return term


def _plain(expression: re.Pattern[str]) -> re.Pattern[str]:
    """``expression`` without capturing groups, so that ``findall`` gives whole matches."""
    if not expression.groups:
        return expression
    pattern = re.sub(r"(?<!\\)\((?!\?)", "(?:", expression.pattern)
    plain = re.compile(pattern, expression.flags)
    if plain.groups:
        raise ValueError(f"cannot remove the groups of {expression.pattern!r}")
    return plain


def _cutter(analyzer: Any) -> Callable[[str], list[str]]:
    """How the tokenizer of a Whoosh analyser chain (a RegexTokenizer first) cuts a text into
    words: its ``cut`` when it has one (a tokenizer that gives a match another text, such as
    ``watcher.find.index._WordTokenizer``), else its expression's whole matches."""
    tokenizer = analyzer.items[0]
    if getattr(tokenizer, "gaps", True) or not hasattr(tokenizer, "expression"):
        raise ValueError(f"{analyzer!r} does not start with a RegexTokenizer")
    cut = getattr(tokenizer, "cut", None)
    if cut is not None:
        return cast(Callable[[str], list[str]], cut)
    return _plain(tokenizer.expression).findall


class Analysis:
    """The analysers of the fields written in bulk (``kinds``: field name → WORDS, PAIRS or
    SPELL), with their caches; one per process, shared by its writers."""

    def __init__(self, words: Any, spell: Any, kinds: dict[str, str]) -> None:
        self.kinds = dict(kinds)
        self._word_cut = _cutter(words)
        self._spell_cut = _cutter(spell)
        self._words = _Words(words)
        self._spell = _Words(spell)
        self._single: dict[int, bytes] = {}  # position → encoded one-position list

    def words(self, text: str) -> tuple[int, list[str]]:
        """The position of the first word kept, and the words kept, in order."""
        mapped = list(map(self._words.__getitem__, self._word_cut(text)))
        first = 0
        while first < len(mapped) and mapped[first] is None:
            first += 1
        return first, [t for t in mapped if t is not None]

    def spell(self, text: str) -> Counter[str]:
        terms = map(self._spell.__getitem__, self._spell_cut(text))
        return Counter(t for t in terms if t is not None)

    def positions(self, first: int, words: list[str]) -> tuple[list[str], list[float], list[bytes]]:
        """Each distinct word, its count and its encoded positions
        (``whoosh.formats.Positions.encode``), in order of first occurrence."""
        where: dict[str, list[int]] = {}
        for pos, word in enumerate(words, first):
            found = where.get(word)
            if found is None:
                where[word] = [pos]
            else:
                found.append(pos)
        single = self._single
        counts: list[float] = []
        values: list[bytes] = []
        for poses in where.values():
            if len(poses) == 1:
                value = single.get(poses[0])
                if value is None:
                    value = single[poses[0]] = pack_uint(1) + dumps(poses, 2)
            else:
                deltas = [poses[0]] + [b - a for a, b in pairwise(poses)]
                value = pack_uint(len(deltas)) + dumps(deltas, 2)
            counts.append(float(len(poses)))
            values.append(value)
        return list(where), counts, values


class _Ids(dict[Any, int]):
    def __missing__(self, key: Any) -> int:
        value = self[key] = len(self)
        return value


class _FieldPostings:
    """One field's postings in the segment being written, in the order they were added."""

    __slots__ = ("docs", "terms", "tids", "vbuf", "vends", "weights")

    def __init__(self) -> None:
        self.terms = _Ids()  # term (str for analysed fields, bytes otherwise) → id
        self.tids = array("I")
        self.docs = array("I")
        self.weights = array("f")
        self.vbuf = bytearray()  # values, one after another (fields that have values)
        self.vends = array("Q")

    def add(self, docnum: int, terms: Iterable[Any], weights: list[float],
            values: list[bytes] | None) -> None:  # fmt: skip
        ids = list(map(self.terms.__getitem__, terms))
        self.tids.extend(ids)
        self.docs.extend([docnum] * len(ids))
        self.weights.extend(weights)
        if values is not None:
            vends = self.vends
            vbuf = self.vbuf
            for value in values:
                vbuf += value
                vends.append(len(vbuf))


class BulkWriter(SegmentWriter):
    """A ``SegmentWriter`` that analyses and writes postings in bulk (see the module
    docstring); ``add_document`` takes the same fields as Whoosh's."""

    def __init__(
        self,
        ix: Any,
        analysis: Analysis,
        *,
        on_segment: Callable[[BulkWriter, Any], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(ix, **kwargs)
        self._analysis = analysis
        self._on_segment = on_segment
        self._postings: dict[str, _FieldPostings] = {}
        self._check_schema()

    def _check_schema(self) -> None:
        for name in self.schema.names():
            field = self.schema[name]
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r}: vectors and spelling fields are not written")
        for name, kind in self._analysis.kinds.items():
            fmt = self.schema[name].format
            wanted = Positions if kind == WORDS else Frequency
            if type(fmt) is not wanted or fmt.field_boost != 1.0:
                raise ValueError(f"field {name!r}: {fmt!r} is not a plain {wanted.__name__}")

    def _field(self, name: str) -> _FieldPostings:
        postings = self._postings.get(name)
        if postings is None:
            postings = self._postings[name] = _FieldPostings()
        return postings

    # -- adding documents -----------------------------------------------------------

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        analysis = self._analysis
        kinds = analysis.kinds
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        words: dict[str, tuple[int, list[str]]] = {}  # text → its words (shared by fields)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    kind = kinds.get(name)
                    if kind is None:
                        length = self._add_generic(name, field, value, docnum)
                    else:
                        if not isinstance(value, str):
                            raise ValueError(f"{value!r} is not unicode")
                        length = self._add_text(name, kind, value, docnum, words, analysis)
                    if not field.scorable:
                        length = 0
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(stored))
        except ValueError:  # (as Whoosh's writer does)
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_text(self, name: str, kind: str, value: str, docnum: int,
                  words: dict[str, tuple[int, list[str]]], analysis: Analysis) -> int:  # fmt: skip
        if kind == SPELL:
            spelled = analysis.spell(value)
            weights = [float(c) for c in spelled.values()]
            self._field(name).add(docnum, spelled.keys(), weights, None)
            return sum(spelled.values())
        found = words.get(value)
        if found is None:
            found = words[value] = analysis.words(value)
        first, kept = found
        if kind == WORDS:
            terms, counts, values = analysis.positions(first, kept)
            self._field(name).add(docnum, terms, counts, values)
            return len(kept)
        pairs = Counter(map("{} {}".format, kept, kept[1:]))
        self._field(name).add(docnum, pairs.keys(), [float(c) for c in pairs.values()], None)
        return len(kept) - 1 if kept else 0

    def _add_generic(self, name: str, field: Any, value: Any, docnum: int) -> int:
        """Any other indexed field, through its own ``index`` (keyword lists: their set)."""
        fmt = field.format
        if type(fmt) is Existence and isinstance(value, list | tuple):
            terms = [v.encode("utf-8") for v in set(value)]  # what Existence.word_values does
            self._field(name).add(docnum, terms, [fmt.field_boost] * len(terms), None)
            return len(terms)
        length = 0
        terms, weights, values = [], [], []
        for btext, freq, weight, vbytes in field.index(value):
            terms.append(btext)
            weights.append(float(weight))
            values.append(vbytes or b"")
            length += freq
        keep = self._stores_values(name)
        if not keep and any(values):
            raise ValueError(f"field {name!r}: values for a format without values")
        self._field(name).add(docnum, terms, weights, values if keep else None)
        return length

    def _stores_values(self, name: str) -> bool:
        """Whether the field's postings carry values kept as written (Frequency fields
        written in bulk get theirs back from their weights)."""
        kind = self._analysis.kinds.get(name)
        return self.schema[name].format.fixed_value_size() != 0 and kind not in (PAIRS, SPELL)

    # -- merging segments -----------------------------------------------------------

    def write_per_doc(self, fieldnames: set[str], reader: Any) -> Any:
        """Whoosh's ``SegmentWriter.write_per_doc`` (the per-document data of a merged
        segment, call for call), with each field's lengths read once as a column rather
        than asked document by document."""
        schema = self.schema
        docmap: dict[int, int] | None = {} if reader.has_deletions() else None
        pdw = self.perdocwriter
        cols = {}
        for fieldname in fieldnames:
            coltype = schema[fieldname].column_type
            if coltype and reader.has_column(fieldname):
                creader = reader.column_reader(fieldname, coltype)
                if isinstance(creader, TranslatingColumnReader):
                    creader = creader.raw_column()
                cols[fieldname] = creader
        count = reader.doc_count_all()
        lengths: dict[str, list[int]] = {}
        for fieldname in fieldnames:
            lenreader = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if lenreader is not None:
                lengths[fieldname] = _DECODED[length_column(lenreader, count)].tolist()
        for docnum, stored in reader.iter_docs():
            if docmap is not None:
                docmap[docnum] = self.docnum
            pdw.start_doc(self.docnum)
            for fieldname in fieldnames | {s for s in stored if s in schema}:
                fieldobj = schema[fieldname]
                found = lengths.get(fieldname)
                length = found[docnum] if found is not None else 0
                pdw.add_field(fieldname, fieldobj, stored.get(fieldname), length)
                if fieldname in cols:
                    pdw.add_column_value(fieldname, fieldobj.column_type, cols[fieldname][docnum])
            pdw.finish_doc()
            self.docnum += 1
        return docmap

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        """The postings of ``reader``'s live documents, renumbered (Whoosh passes them one by
        one through its pool; here term by term, as arrays)."""
        count = reader.doc_count_all()
        renumber = np.arange(startdoc, startdoc + count, dtype=np.int64)
        if docmap is not None:
            renumber[:] = -1
            for old, new in docmap.items():
                renumber[old] = new
        renumbered = renumber.tolist()
        for leaf, _offset in reader.leaf_readers():
            postings = segment_postings(leaf, self._stores_values)
            for name, btext, ids, weights, values in postings:
                if name not in self.schema:
                    continue
                if len(ids) == 1:  # (most terms of a small segment)
                    doc = renumbered[ids[0]]
                    if doc < 0:
                        continue
                    target = self._field(name)
                    key = btext.decode("utf-8") if name in self._analysis.kinds else btext
                    target.tids.append(target.terms[key])
                    target.docs.append(doc)
                    target.weights.append(weights[0])
                    if values is not None:
                        target.vbuf += values[0]
                        target.vends.append(len(target.vbuf))
                    continue
                if isinstance(ids, list):  # a small posting list, in plain Python
                    new = [renumbered[i] for i in ids]
                    if min(new) < 0:
                        live = [n >= 0 for n in new]
                        new = [n for n in new if n >= 0]
                        weights = [w for w, keep in zip(weights, live, strict=True) if keep]
                        if values is not None:
                            values = [v for v, keep in zip(values, live, strict=True) if keep]
                else:
                    docs = renumber[ids]
                    live_mask = docs >= 0
                    if not live_mask.all():
                        docs, weights = docs[live_mask], weights[live_mask]
                        if values is not None:
                            keep_list = live_mask.tolist()
                            values = [v for v, k in zip(values, keep_list, strict=True) if k]
                    new, weights = docs.tolist(), weights.tolist()
                if not new:
                    continue
                target = self._field(name)
                key = btext.decode("utf-8") if name in self._analysis.kinds else btext
                target.tids.extend([target.terms[key]] * len(new))
                target.docs.extend(new)
                target.weights.extend(weights)
                if values is not None:
                    if len(values) != len(new):
                        raise ValueError(f"{name}:{btext!r}: postings without their values")
                    for value in values:
                        target.vbuf += value
                        target.vends.append(len(target.vbuf))

    # -- writing the segment --------------------------------------------------------

    def _finalize_segment(self) -> Any:
        segment = super()._finalize_segment()
        if self._on_segment is not None:  # before the segment is committed
            self._on_segment(self, segment)
        return segment

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader()
        try:
            doccount = self.docnum
            fw = self.fieldwriter
            for name in sorted(self._postings):
                postings = self._postings[name]
                if not postings.terms:
                    continue
                field = self.schema[name]
                fw.start_field(name, field)
                reader = pdr._cached_reader(_lenfield(name), LENGTHS_COLUMN)
                lengths = (
                    _DECODED[length_column(reader, doccount)]
                    if reader is not None
                    else np.zeros(doccount, dtype=np.int64)
                )
                self._write_field(fw, name, field, postings, lengths)
                fw.finish_field()
            self._postings.clear()
        finally:
            pdr.close()
        self.fieldwriter.close()

    def _write_field(self, fw: Any, name: str, field: Any, postings: _FieldPostings,
                     lengths: np.ndarray) -> None:  # fmt: skip
        keys = list(postings.terms)
        order = sorted(range(len(keys)), key=keys.__getitem__)  # str and UTF-8 sort alike
        rank = np.empty(len(keys), dtype=np.int64)
        rank[order] = np.arange(len(keys), dtype=np.int64)
        ranked = rank[np.frombuffer(postings.tids, dtype=np.uint32)]
        perm = np.argsort(ranked, kind="stable")  # docnums stay ascending within a term
        docs = np.frombuffer(postings.docs, dtype=np.uint32)[perm].astype(np.int64)
        weights = np.frombuffer(postings.weights, dtype=np.float32)[perm]
        ends = np.cumsum(np.bincount(ranked, minlength=len(keys))).tolist()
        fixed = field.format.fixed_value_size()
        values: list[bytes] | None = None
        vstarts = vends = None
        if self._stores_values(name):
            vend = np.frombuffer(postings.vends, dtype=np.uint64).astype(np.int64)
            vstart = np.concatenate(([0], vend[:-1]))
            vstarts, vends = vstart[perm].tolist(), vend[perm].tolist()
        frequency_values = type(field.format) is Frequency
        lens = lengths[docs]
        # Python lists for slicing term by term (most terms have a few postings)
        docs_l, weights_l, lens_l = docs.tolist(), weights.tolist(), lens.tolist()
        fieldid = pack_ushort(fw._fieldid)
        tindex = fw._tindex
        out = _Output(fw._postfile)
        compression = fw._codec._compression
        blocklimit = fw._codec._blocklimit
        vbuf = postings.vbuf
        start = 0
        for r, key in enumerate(order):
            end = ends[r]
            btext = keys[key]
            if isinstance(btext, str):
                btext = btext.encode("utf-8")
            if vstarts is not None and vends is not None:
                values = [bytes(vbuf[s:e]) for s, e in zip(vstarts[start:end], vends[start:end],
                                                         strict=True)]  # fmt: skip
            elif frequency_values:
                values = [pack_uint(int(w)) for w in weights_l[start:end]]
            else:
                values = None
            if end - start <= SMALL_TERM:
                ids, wts, lns = docs_l[start:end], weights_l[start:end], lens_l[start:end]
            else:
                ids, wts, lns = docs[start:end], weights[start:end], lens[start:end]
            info = _write_term(out, ids, wts, values, lns, fixed, compression, blocklimit)
            tindex.add(fieldid + btext, info)
            start = end
        out.flush()


class _Output:
    """The postings file, written through a buffer whose position is counted here (rather
    than a write and a tell() on the file for every block)."""

    def __init__(self, postfile: Any) -> None:
        self.postfile = postfile
        self.base = postfile.tell()
        self.buffer = bytearray()

    def tell(self) -> int:
        return self.base + len(self.buffer)

    def write(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.postfile.write(bytes(self.buffer))
        self.base += len(self.buffer)
        self.buffer.clear()


_BLOCK_LENGTH = struct.Struct("!i")


def _write_term(out: _Output, ids: Any, weights: Any, values: list[bytes] | None,
                lengths: Any, fixedsize: int | None, compression: int,
                blocklimit: int) -> bytes:  # fmt: skip
    """Write one term's posting blocks as FlatPostingsWriter writes them and return its term
    info bytes (W3TermInfo.to_bytes). ``ids``, ``weights``, ``lengths``: lists for a small
    term, numpy arrays otherwise."""
    startoffset = out.tell()
    out.write(_MAGIC)
    n = len(ids)
    total_weight = 0.0
    minlength: int | None = None
    maxlength = 0
    maxweight: float = 0
    first_id = -1
    last_id = -1
    for at in range(0, n, blocklimit):
        stop = min(n, at + blocklimit)
        if isinstance(ids, list):
            bids = ids[at:stop]
            bweights = weights[at:stop]
            blens = [x for x in lengths[at:stop] if x]
            bmin = min(blens) if blens else None
            bmax = max(blens) if blens else 0
            bmaxw = max(bweights)
            bsum = sum(bweights)
        else:
            bids = ids[at:stop]
            bweights = weights[at:stop]
            bl = lengths[at:stop]
            nz = bl[bl > 0]
            bmin = int(nz.min()) if len(nz) else None
            bmax = int(nz.max()) if len(nz) else 0
            bmaxw = float(bweights.max())
            bsum = float(np.sum(bweights, dtype=np.float64))
        block_values = values[at:stop] if values is not None else []
        data = encode_block(bids, bweights, block_values, fixedsize, compression)
        count = stop - at
        last = int(bids[-1])
        if bmaxw <= 0:
            bmaxw = 0
        info = dumps((count, last, float(bmaxw) if bmaxw else 0, 0, length_to_byte(bmin),
                      length_to_byte(bmax)), 2)  # fmt: skip
        blocklength = len(info) + len(data)
        out.write(_BLOCK_LENGTH.pack(-blocklength if stop == n else blocklength) + info + data)
        total_weight += bsum
        if first_id < 0:
            first_id = int(bids[0])
        if minlength is None:  # (as W3TermInfo.add_block)
            minlength = bmin
        elif bmin is not None:
            minlength = min(minlength, bmin)
        maxlength = max(maxlength, bmax)
        maxweight = max(maxweight, bmaxw)
        last_id = last
    length = out.tell() - startoffset
    head = _TERMINFO.pack(
        False,
        total_weight,
        n,
        0 if minlength is None else length_to_byte(minlength),
        length_to_byte(maxlength),
        maxweight,
        first_id,
        last_id,
    )
    return head + pack_long(startoffset) + pack_int(length)
