"""Whoosh's W3 codec with posting blocks stored as flat arrays rather than pickles.

whoosh3 writes each block of postings as a zlib-compressed pickle of Python tuples (ids,
weights, values). Unpickling those tuples was most of a search's time at 100k items: the
commonest words have 50k postings, and a text word's pickle also holds every posting's
positions, which a search only needs for phrases. This codec keeps everything else of W3
(term dictionary, block headers, columns, term info) and changes only what a block's data
is:

* a little-endian header: the first docnum (uint32), then one byte each for the width of
  the docnum deltas, the kind of weights, the kind of values and whether the values are
  compressed;
* the docnum deltas after the first, as uint8, uint16 or uint32 (the narrowest that fits);
* the weights: nothing when all are 1.0, else uint8 / uint16 when they are whole numbers
  that fit, else float32;
* the values (positions): their count and a length per posting (uint32), then the
  joined bytes, zlib-compressed. They sit last, so reading docnums and weights never touches them.

:class:`FlatLeafMatcher` decodes a block with ``numpy.frombuffer`` for
``watcher.find.query_exec`` (:meth:`FlatLeafMatcher.block_arrays`) and into the usual tuples for
Whoosh's own matchers, which therefore work unchanged (highlighting, the fallback
evaluation, segment merging). Term vectors (``byteids``) keep W3's own format.

Segments record their codec, so an index written by this codec needs this module to be
read; ``watcher.find.index`` bumps its schema version when the format changes.

Reading: whoosh3 maps a compound segment file and then copies every sub-file it opens
(postings, terms, columns, stored fields) into a ``BytesIO``, so a search process held the
whole index twice, in its own memory and in the mapped pages it touched (832 MiB at 100k
items). A :class:`FlatSegment` opens its compound file with :class:`PreadStorage` instead:
sub-files read their bytes with ``os.pread`` when asked (a posting list, a term's entry), so
nothing is copied up front, nothing of the file counts in the process's memory, the
operating system's page cache is shared by every process reading the index, and reads from
several threads do not share a file position.
"""

from __future__ import annotations

import copy
import io
import os
import pickle
import struct
import zlib
from array import array
from collections.abc import Callable, Iterator
from itertools import accumulate, pairwise
from pickle import dumps
from typing import Any, BinaryIO, cast

import numpy as np
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filetables import OrderedHashReader
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.matching import ListMatcher
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

__all__ = [
    "FlatCodec",
    "FlatLeafMatcher",
    "FlatSegment",
    "PreadStorage",
    "as_flat",
    "segment_postings",
]

BLOCK_LIMIT = 4096  # postings per block (W3: 128); a search reads whole posting lists
_GOTO_READ = 128  # bytes read for a block's length and header (~40 bytes as written here)
_BLOCK_LENGTH = struct.Struct("!i")  # (whoosh.system's int)
_FIELD_ID = struct.Struct("!H")  # a term's field number, before its bytes in the dictionary
_HASH_LENGTHS = struct.Struct("!ii")  # a record of Whoosh's hash file: key and value lengths
_TERMINFO_HEAD = W3TermInfo._struct.size  # then the extent of the term's postings:
_EXTENT = struct.Struct("!qi")  # offset, length
_WHOLE_POSTINGS = 64 << 20  # a merged segment's postings up to this size are read at once
_SMALL_BLOCK = 24  # postings of a block decoded without numpy
_HEADER = struct.Struct("<IBBBB")  # first id, delta width, weight kind, value kind, zlib
_WIDTHS: dict[int, np.dtype[Any]] = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_W_ONES, _W_U1, _W_U2, _W_F4 = 0, 1, 2, 3
_V_NONE, _V_FIXED, _V_VARIABLE = 0, 1, 2
_U4 = np.dtype("<u4")
_F4 = np.dtype("<f4")


def _narrowest(top: int) -> int:
    return 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4


def encode_block(
    ids: Any, weights: Any, values: list[bytes], fixedsize: int | None, compression: int
) -> bytes:
    """A block's data: ``ids`` ascending docnums, ``weights`` float32 (both as arrays of
    the ``array`` module, numpy arrays, or, for a small block, lists), ``values`` as
    collected by W3's writer (only the non-empty ones; see ``add_posting``)."""
    if isinstance(ids, list):
        small = _encode_small(ids, weights, values, fixedsize, compression)
        if small is not None:
            return small
    id_arr = np.frombuffer(ids, dtype=np.uint32) if isinstance(ids, array) else np.asarray(ids)
    deltas = np.diff(id_arr.astype(np.int64))
    width = _narrowest(int(deltas.max())) if len(deltas) else 1
    w = (
        np.frombuffer(weights, dtype=np.float32)
        if isinstance(weights, array)
        else np.asarray(weights, dtype=np.float32)
    )
    if bool(np.all(w == 1.0)):
        wkind, wbytes = _W_ONES, emptybytes
    elif bool(np.all(w == np.floor(w))) and float(w.min()) >= 0 and float(w.max()) < 1 << 16:
        wkind = _W_U1 if float(w.max()) < 1 << 8 else _W_U2
        wbytes = w.astype(_WIDTHS[wkind]).tobytes()
    else:
        wkind, wbytes = _W_F4, w.astype(_F4).tobytes()
    vkind, packed, vbytes = _values(values, fixedsize, compression)
    head = _HEADER.pack(int(id_arr[0]), width, wkind, vkind, packed)
    return head + deltas.astype(_WIDTHS[width]).tobytes() + wbytes + vbytes


_PACK_CODES = {1: "B", 2: "H", 4: "I"}


def _encode_small(
    ids: list[int], weights: list[float], values: list[bytes], fixedsize: int | None,
    compression: int,
) -> bytes | None:  # fmt: skip
    """:func:`encode_block` in plain Python (the same bytes), for a small block of whole
    weights (the common case: most terms have a few postings); None: use numpy."""
    n = len(ids)
    if not all(w.is_integer() and 0 <= w < 1 << 16 for w in weights):
        return None
    if n > 1:
        deltas = [b - a for a, b in pairwise(ids)]
        width = _narrowest(max(deltas))
        dbytes = struct.pack(f"<{n - 1}{_PACK_CODES[width]}", *deltas)
    else:
        width, dbytes = 1, emptybytes
    if all(w == 1.0 for w in weights):
        wkind, wbytes = _W_ONES, emptybytes
    else:
        wkind = _W_U1 if max(weights) < 1 << 8 else _W_U2
        wbytes = struct.pack(f"<{n}{'B' if wkind == _W_U1 else 'H'}", *map(int, weights))
    vkind, packed, vbytes = _values(values, fixedsize, compression)
    return _HEADER.pack(ids[0], width, wkind, vkind, packed) + dbytes + wbytes + vbytes


def _values(values: list[bytes], fixedsize: int | None, compression: int) -> tuple[int, int, bytes]:
    """A block's values: their kind, whether compressed, and their bytes."""
    if fixedsize == 0 or not values:
        vkind, vbytes = _V_NONE, emptybytes
    elif fixedsize is not None and fixedsize > 0:
        vkind, vbytes = _V_FIXED, emptybytes.join(values)
    else:
        count = len(values)
        lengths = struct.pack(f"<I{count}I", count, *map(len, values))
        vkind, vbytes = _V_VARIABLE, lengths + emptybytes.join(values)
    packed = 0
    if vbytes and compression and len(vbytes) >= COMPRESSION_MIN_SIZE:
        vbytes, packed = zlib.compress(vbytes, compression), 1
    return vkind, packed, vbytes


class FlatPostingsWriter(W3PostingsWriter):
    """W3's postings writer, writing each block's data with :func:`encode_block`."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        terminfo: Any = self._terminfo
        fmt: Any = self._format
        terminfo.add_block(self)
        databytes = encode_block(
            self._ids, self._weights, self._values, fmt.fixed_value_size(), self._compression
        )
        ids = self._ids
        # the block header W3LeafMatcher._goto reads (its compression slot is unused here)
        infobytes = dumps(
            (len(ids), ids[-1], self._maxweight, 0,
             length_to_byte(self._minlength), length_to_byte(self._maxlength)),
            2,
        )  # fmt: skip
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


def decode_arrays(raw: bytes, n: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The docnums (int64) and weights (float64) of a block of ``n`` postings written by
    :func:`encode_block`, and the offset of its values."""
    first, width, wkind, _vkind, _packed = _HEADER.unpack_from(raw)
    at = _HEADER.size
    ids = np.empty(n, dtype=np.int64)
    ids[0] = first
    if n > 1:
        deltas = np.frombuffer(raw, dtype=_WIDTHS[width], count=n - 1, offset=at)
        np.cumsum(deltas, out=ids[1:])
        ids[1:] += first
        at += (n - 1) * width
    if wkind == _W_ONES:
        weights = np.ones(n, dtype=np.float64)
    else:
        dtype = _F4 if wkind == _W_F4 else _WIDTHS[wkind]
        weights = np.frombuffer(raw, dtype=dtype, count=n, offset=at).astype(np.float64)
        at += n * dtype.itemsize
    return ids, weights, at


def decode_values(raw: bytes, at: int, fixedsize: int | None) -> list[bytes] | None:
    """A block's values (``at`` from :func:`decode_arrays`), or None when it has none."""
    _first, _width, _wkind, vkind, packed = _HEADER.unpack_from(raw)
    if vkind == _V_NONE:
        return None
    body = raw[at:]
    if packed:
        body = zlib.decompress(body)
    if vkind == _V_FIXED:
        size = int(fixedsize or 0)
        return [body[i : i + size] for i in range(0, len(body), size)]
    (count,) = struct.unpack_from("<I", body)
    ends = np.cumsum(np.frombuffer(body, dtype=_U4, count=count, offset=4)).tolist()
    base = 4 + count * _U4.itemsize
    starts = [0, *ends[:-1]]
    return [body[base + s : base + e] for s, e in zip(starts, ends, strict=True)]


class FlatLeafMatcher(W3LeafMatcher):
    """W3's block matcher over blocks written by :class:`FlatPostingsWriter`."""

    _raw: bytes

    def _goto(self, position: int) -> None:
        """W3's ``_goto`` (a block's length and pickled header), from one read of the file
        rather than the dozen small reads of ``read_int`` and ``pickle.load`` (each a
        system call on a :class:`PreadFile`)."""
        head = self._postfile.get(position, _GOTO_READ)
        stream = io.BytesIO(head)
        stream.seek(4)
        try:
            count, maxid, maxweight, compression, mn, mx = pickle.Unpickler(stream).load()
            (length,) = _BLOCK_LENGTH.unpack_from(head)
        except Exception:  # a header past _GOTO_READ, or a damaged block: W3's way (errors)
            super()._goto(position)
            return
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + 4 + length
        self._dataoffset = position + stream.tell()
        self._blocklength, self._maxid, self._maxweight = count, maxid, maxweight
        self._compression = compression
        self._minlength = byte_to_length(mn)
        self._maxlength = byte_to_length(mx)

    def _read_data(self) -> None:
        self._raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = True  # W3LeafMatcher only tests it against None

    def block_arrays(self) -> tuple[np.ndarray, np.ndarray, int]:
        """This block's docnums and weights, and the offset of its values."""
        if self._data is None:
            self._read_data()
        return decode_arrays(self._raw, int(self._blocklength or 0))

    def block_values(self, at: int) -> list[bytes] | None:
        """This block's values (``at`` from :meth:`block_arrays`), or None."""
        return decode_values(self._raw, at, self._fixedsize)

    # Whoosh's own matcher API, from the same arrays

    def _read_ids(self) -> None:
        self._ids = tuple(self.block_arrays()[0].tolist())

    def _read_weights(self) -> None:
        weights = array("f")
        weights.frombytes(self.block_arrays()[1].astype(np.float32).tobytes())
        self._weights = weights

    def _read_values(self) -> None:
        values = self.block_values(self.block_arrays()[2])
        self._values = (None,) * int(self._blocklength or 0) if values is None else tuple(values)


def segment_postings(
    leaf: Any, wants_values: Callable[[str], bool]
) -> Iterator[tuple[str, bytes, Any, Any, list[bytes] | None]]:
    """Every term of one segment with its postings, in term order: (field, term, docnums,
    weights, values — for the fields where ``wants_values(field)``), deleted documents
    included; docnums and weights are lists for a term of one small block (most terms),
    numpy arrays otherwise. What merging segments reads: the term dictionary and the
    postings are read whole and parsed here, not term by term through Whoosh's cursors
    and matchers. A segment of another codec than :class:`FlatCodec` is read through its
    matchers."""
    terms = leaf._terms
    data = _whole(terms._tindex.dbfile) if isinstance(leaf.codec(), FlatCodec) else None
    if data is None:
        yield from _matcher_postings(leaf, wants_values)
        return
    tindex = OrderedHashReader(BufferFile(data), len(data))  # (reads the file's layout)
    unmap = terms._fieldunmap
    schema = leaf.schema
    postfile = terms._postfile
    whole = _whole(postfile) if getattr(postfile, "_length", 1 << 62) <= _WHOLE_POSTINGS else None
    stream = io.BytesIO(whole) if whole is not None else None
    fixed_of = {name: schema[name].format.fixed_value_size() for name in unmap if name}
    wanted = {name: wants_values(name) for name in unmap if name}
    pos, end_of_data = tindex.startofdata, tindex.endofdata
    while pos < end_of_data:
        keylen, datalen = _HASH_LENGTHS.unpack_from(data, pos)
        pos += _HASH_LENGTHS.size
        key = data[pos : pos + keylen]
        value = data[pos + keylen : pos + keylen + datalen]
        pos += keylen + datalen
        name = unmap[_FIELD_ID.unpack_from(key)[0]]
        values: list[bytes] | None = [] if wanted[name] else None
        if value[0]:  # postings inlined in the term info (not written by this codec)
            ids_, weights_, values_ = W3TermInfo.from_bytes(value).inlined_postings()
            if values is not None:
                values.extend(values_)
            yield name, key[_FIELD_ID.size :], list(ids_), [float(w) for w in weights_], values
            continue
        offset, length = _EXTENT.unpack_from(value, _TERMINFO_HEAD)
        if whole is not None and stream is not None:
            raw, base = whole, offset
        else:
            raw, base = postfile.get(offset, length), 0
            stream = io.BytesIO(raw)
        ids, weights = _read_blocks(raw, stream, base, base + length, fixed_of[name], values)
        yield name, key[_FIELD_ID.size :], ids, weights, values


def _read_blocks(
    raw: bytes, stream: io.BytesIO, start: int, stop: int, fixed: int | None,
    values: list[bytes] | None,
) -> tuple[Any, Any]:  # fmt: skip
    """The docnums and weights of a posting list at ``raw[start:stop]`` (its values
    appended to ``values``): lists for one small block, else numpy arrays."""
    id_parts: list[Any] = []
    weight_parts: list[Any] = []
    pos = start + len(WHOOSH3_HEADER_MAGIC)
    while pos < stop:
        (size,) = _BLOCK_LENGTH.unpack_from(raw, pos)
        stream.seek(pos + 4)
        count = pickle.Unpickler(stream).load()[0]
        end = pos + 4 + abs(size)
        block = raw[stream.tell() : end]
        if count <= _SMALL_BLOCK and not id_parts and end >= stop:
            ids, weights, at = _decode_small(block, count)
            if values is not None:
                values.extend(decode_values(block, at, fixed) or ())
            return ids, weights
        block_ids, block_weights, at = decode_arrays(block, count)
        id_parts.append(block_ids)
        weight_parts.append(block_weights)
        if values is not None:
            values.extend(decode_values(block, at, fixed) or ())
        pos = end
    return np.concatenate(id_parts), np.concatenate(weight_parts)


def _decode_small(raw: bytes, n: int) -> tuple[list[int], list[float], int]:
    """:func:`decode_arrays` in plain Python, as lists (a small block)."""
    first, width, wkind, _vkind, _packed = _HEADER.unpack_from(raw)
    at = _HEADER.size
    ids = [first]
    if n > 1:
        deltas = struct.unpack_from(f"<{n - 1}{_PACK_CODES[width]}", raw, at)
        ids = list(accumulate(deltas, initial=first))
        at += (n - 1) * width
    if wkind == _W_ONES:
        weights = [1.0] * n
    else:
        code = {_W_U1: "B", _W_U2: "H", _W_F4: "f"}[wkind]
        weights = [float(w) for w in struct.unpack_from(f"<{n}{code}", raw, at)]
        at += n * struct.calcsize(code)
    return ids, weights, at


def _whole(dbfile: Any) -> bytes | None:
    """All the bytes of a segment's sub-file, or None when it is of an unknown kind."""
    if isinstance(dbfile, PreadFile):
        return dbfile.get(0, dbfile._length)
    buffer = getattr(dbfile, "_buf", None)  # whoosh3's BufferFile
    return bytes(buffer) if buffer is not None else None


def _matcher_postings(
    leaf: Any, wants_values: Callable[[str], bool]
) -> Iterator[tuple[str, bytes, np.ndarray, np.ndarray, list[bytes] | None]]:
    for name in sorted(leaf.indexed_field_names()):
        fmt = leaf.schema[name].format
        for btext in leaf.lexicon(name):
            m: Any = leaf._terms.matcher(name, btext, fmt, scorer=None)
            ids, weights, values = [], [], []
            while m.is_active():
                ids.append(m.id())
                weights.append(m.weight())
                values.append(m.value())
                m.next()
            yield (name, btext, np.asarray(ids, dtype=np.int64),
                   np.asarray(weights, dtype=np.float64),
                   values if wants_values(name) else None)  # fmt: skip


class FlatCodec(W3Codec):
    """W3 with :class:`FlatPostingsWriter` / :class:`FlatLeafMatcher` for term postings."""

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = 3) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=1)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # term vectors: W3's reader for them is not pluggable
            return super().postings_writer(dbfile, byteids=True)
        return FlatPostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=False,
            compression=self._compression, inlinelimit=self._inlinelimit,
        )  # fmt: skip

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(
                ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        offset, length = terminfo.extent()
        return FlatLeafMatcher(  # type: ignore[abstract]  # (as W3's: copy() is never called)
            dbfile, offset, length, format_, term=term, scorer=scorer
        )


# ------------------------------------------------------------------------ reading files


class _Region:
    """A read-only file over ``length`` bytes at ``base`` of the file ``fd``, read with
    ``os.pread`` (no shared file position); what Whoosh reads sequentially (headers,
    pickles, arrays) goes through it."""

    def __init__(self, fd: int, base: int, length: int) -> None:
        self._fd, self._base, self._length, self._pos = fd, base, length, 0

    def read(self, size: int | None = -1) -> bytes:
        left = self._length - self._pos
        size = left if size is None or size < 0 else min(size, left)
        if size <= 0:
            return b""
        data = os.pread(self._fd, size, self._base + self._pos)
        self._pos += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(memoryview(buffer)))
        memoryview(buffer)[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        out = bytearray()
        while size is None or size < 0 or len(out) < size:
            chunk = self.read(256 if size is None or size < 0 else min(256, size - len(out)))
            if not chunk:
                break
            end = chunk.find(b"\n")
            if end >= 0:
                self._pos -= len(chunk) - end - 1
                out += chunk[: end + 1]
                break
            out += chunk
        return bytes(out)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, self._length)[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:  # the descriptor belongs to the compound file
        pass


class PreadFile(StructFile):
    """A segment's sub-file; ``get`` (how Whoosh reads postings, terms and columns) is one
    ``os.pread``."""

    def __init__(self, fd: int, base: int, length: int, name: str) -> None:
        super().__init__(cast(BinaryIO, _Region(fd, base, length)), name=name)
        self._fd, self._base, self._length = fd, base, length
        self.is_real = False  # no fileno: Whoosh must not map it

    def get(self, position: int, length: int) -> bytes:
        length = max(0, min(length, self._length - position))
        return os.pread(self._fd, length, self._base + position) if length else b""

    def subset(self, position: int, length: int, name: str | None = None) -> PreadFile:
        length = max(0, min(length, self._length - position))
        return PreadFile(self._fd, self._base + position, length, name or str(self._name))


class PreadStorage(CompoundStorage):
    """A compound segment file whose sub-files are :class:`PreadFile`: never mapped,
    never copied."""

    def __init__(self, dbfile: Any) -> None:
        super().__init__(dbfile, use_mmap=False)
        self._fd = dbfile.fileno()

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> PreadFile:
        offset, length = self.range(name)
        return PreadFile(self._fd, offset, length, name)


class FlatSegment(W3Segment):
    """W3's segment, opening its compound file with :class:`PreadStorage`. Segments are
    recorded in the index's table of contents as W3's own (so that an older Watcher still
    reads the index) and read as FlatSegments (:func:`as_flat`)."""

    def open_compound_file(self, storage: Any) -> Any:
        dbfile = storage.open_file(self.make_filename(self.COMPOUND_EXT))
        if not hasattr(dbfile, "fileno"):  # not a real file (a RAM storage): W3's way
            return CompoundStorage(dbfile, use_mmap=False)
        return PreadStorage(dbfile)


def as_flat(segment: Any) -> Any:
    """A segment of this codec, recorded as W3's own segment, as a :class:`FlatSegment`
    (a copy: the segment recorded stays W3's): the same files, opened without copying them
    into memory."""
    if type(segment) is W3Segment and isinstance(segment.codec(), FlatCodec):
        flat = copy.copy(segment)
        flat.__class__ = FlatSegment
        return flat
    return segment
