"""Near-duplicate clustering across sources (deterministic; numpy for the vector work).

The same press release republished by five sites should show once. Each item gets a MinHash
fingerprint of the word 2-shingles of its normalised title and text (accents folded, lower
case, French function words dropped, first ``MAX_WORDS`` words). Two fingerprints agree on
about as many of their ``NUM_PERM`` values as the Jaccard similarity of the shingle sets.

Finding the cluster of a new item uses LSH: the signature is cut into ``BANDS`` bands of
``ROWS`` values; items sharing at least one band are candidates, and a candidate joins only if
the estimated similarity reaches the threshold. With 32 bands of 2 rows, a pair at similarity
0.3 becomes a candidate with probability 0.95 (0.74 at 0.2, 0.28 at 0.1, 0.01 at 0.02).

Why 2-shingles and a 0.3 threshold: on tests/data/dedupe, three site rewrites of a press
release keep a true Jaccard of 0.50-0.84 with the original (0.34-0.52 between themselves),
while different articles on the same topic stay at or below 0.02 (with 3-shingles the
rewrites fell to 0.38-0.79 with the original, 0.24 between two of them).

Distinct official texts are never near-duplicates. Official acts are short formulaic texts: the
Autorité de la concurrence's decisions of one week (tests/fixtures/feeds/world7) share their
boilerplate, the services and often the person named, and reached 0.39 and 0.55 between
different decisions. So a fingerprint also carries the text's **identity** (:func:`identity`):
the official identifiers it holds (JORFTEXT/LEGITEXT, NOR, ECLI, CELEX) and, when its title is
an act's citation (« Décision du 14 décembre 2020 portant nomination … », « Loi n° … du … »),
that citation's first words. Two items whose identities of one kind are both known and share
nothing are different texts: their similarity is 0 whatever their words. Items without an
identity (press articles, their rewrites) compare on their words alone, as before. On
tests/data/dedupe with the four decisions (test_grouping_precision_and_recall), the pairs
grouped went from 9 (the 6 true ones, 3 false: the decisions) to the 6 true ones.

Two ways to use it:

* in memory: :class:`DedupeIndex` (``load`` known items with their clusters, then ``assign``
  new ones) or :func:`cluster` for a whole batch. Loading 100k items took 10-21 s on a busy
  2-core machine: load a recent window (news is republished within days), not everything;
* in a database: store :func:`band_keys` (signed 64-bit integers) in an indexed table
  ``(band_key, item_id)``, select the candidates sharing a key, then compare fingerprints
  with :func:`similarity` — this scales past what fits in memory.

Cluster ids are item ids: an item's cluster is the cluster of its most similar earlier item
(ties: the smallest item id), else its own id. Once given, a cluster id never changes, so
it can be stored; processing items in id order gives the same clusters every time.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from hashlib import blake2b
from urllib.parse import unquote

import numpy as np
import numpy.typing as npt

from watcher.text import BoundedCache, fold

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SCHEME",
    "DedupeIndex",
    "band_keys",
    "cluster",
    "content_words",
    "fingerprint",
    "identity",
    "similarity",
    "with_address",
]

NUM_PERM = 64
ROWS = 2
BANDS = NUM_PERM // ROWS
MAX_WORDS = 2000
DEFAULT_THRESHOLD = 0.3
# How fingerprints are computed (:func:`fingerprint`; scheme 1 took one SHAKE-128 digest per
# shingle). Prints made two ways cannot be compared: a store whose prints were made another
# way has them all computed again (``Store.refingerprint``) before new items meet them.
SCHEME = 3  # 3: the text's identity after the MinHash values (:func:`identity`)

_FORMAT = f"<{NUM_PERM}I"
_SIZE = struct.calcsize(_FORMAT)
_WORD = re.compile(r"[0-9a-z]{2,}")  # words of one character are dropped
_U32 = np.dtype("<u4")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# French (and a few English) function words: they carry no content and differ between
# rewordings ("a annoncé" / "annonce").
_STOP = _wordset(
    """a au aux avec ce ces cet cette d dans de des du elle elles en est et etre eu il ils
    je l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ont
    ou par pas plus pour qu que qui s sa se ses si son sont sur t ta te tes toi ton tu un une
    vos votre vous y c ete etait sera avait aussi ainsi alors apres avant comme dont donc
    entre fait faire lors selon sans sous tout tous toute toutes tres deja encore
    the of and to in for on is are with by"""
)


def _hash64(word: str) -> int:
    return int.from_bytes(blake2b(word.encode(), digest_size=8).digest(), "little")


# A text is folded and cut into content words one whitespace-separated token at a time, each
# token's hashes cached: the same words as folding the whole text (no word spans a space), at a
# dict look-up per token once the token was seen.
_CONTENT_HASHES = BoundedCache(lambda token: tuple(map(_hash64, _content(token))), 100_000)


def content_words(title: str, text: str) -> list[str]:
    """The words a fingerprint is made of: those of the title then the text, folded (lower
    case, no accents), of 2+ letters or digits, French function words dropped, at most
    ``MAX_WORDS``."""
    return _content(f"{title}\n{text}")[:MAX_WORDS]


def _content(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in _STOP]


# uint64 arithmetic wraps modulo 2**64, as the scheme's definition wants.
_GOLDEN = 0x9E3779B97F4A7C15
_PAIR = np.uint64(_GOLDEN)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# NUM_PERM hash functions v -> high 32 bits of (a * v + b) mod 2**64, a odd, their constants
# drawn from BLAKE2b of fixed names: stored fingerprints depend on them.
_MUL = np.array([_hash64(f"minhash a {i}") | 1 for i in range(NUM_PERM)], dtype=np.uint64)
_ADD = np.array([_hash64(f"minhash b {i}") for i in range(NUM_PERM)], dtype=np.uint64)


def _mix(z: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: every output bit depends on every input bit."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


# --- identity: what makes an official text that text and no other -----------------------------

# identifiers an official text carries (its own, in a Journal officiel's or a court's text; a
# press article rarely cites them, and its rewrites cite the same), read in the lower-cased text
# (they are ASCII). Each pattern starts with a literal, which the regex engine looks for fast:
# the word boundary before it is checked apart.
_IDENTIFIERS = (
    ("jorf", re.compile(r"(?:jorf|legi)text\d{12}(?![0-9a-z])")),
    ("nor", re.compile(r"nor\s*:?\s*([a-z]{4}\d{7}[a-z])(?![0-9a-z])")),
    ("ecli", re.compile(r"ecli:[a-z]{2}:[a-z0-9]+:\d{4}:[a-z0-9.]*[a-z0-9]")),
    ("celex", re.compile(r"celex\s*:?\s*(\d{5}[a-z]{1,2}\d{2,4})(?![0-9a-z])")),
)
_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_ACT_KINDS = (
    "decret|arrete|decision|deliberation|ordonnance|loi|avis|circulaire|instruction|"
    "recommandation|reglement|directive|arret|jugement|proclamation"
)
# a title that is an act's citation: its kind, maybe its number, then « du <date> »
_ACT_TITLE = re.compile(
    rf"^\s*(?:{_ACT_KINDS})s?\b[^.:!?]{{0,60}}?\bdu\s+(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\s+\d{{4}}\b"
)
_ACT_WORD = re.compile(r"[0-9a-z]+")
# the words that open an act's object in its title in the Journal officiel
_ACT_VERBS = _wordset(
    """portant relatif relative relatifs relatives fixant modifiant autorisant instituant pris
    prise accordant approuvant abrogeant creant prorogeant habilitant designant nommant
    completant definissant determinant organisant reglementant concernant"""
)
ACT_WORDS = 7  # an act's citation is compared on its first words (titles get cut with « … »)
_KINDS = {"act": 1, "jorf": 2, "nor": 3, "ecli": 4, "celex": 5}
_MAX_IDS = 16
_ID_SIZE = 8


def identity(title: str, text: str, url: str = "") -> frozenset[tuple[str, str]]:
    """What names this text and no other, as (kind, value) pairs: the official identifiers in
    its title, text and address (« JORFTEXT000042695423 », « NOR : ECOC2033000S », an ECLI, a
    CELEX number; Légifrance's and EUR-Lex's addresses hold them) and, when the title is an
    act's citation (kind, number, « du <date> », and its object when a word such as
    « portant » or « relatif » opens it), its first ``ACT_WORDS`` words, folded, function
    words dropped (kind ``act``). Empty for a press article: most have none."""
    found = set(_url_identity(url))
    lower = f"{title}\n{text}".lower()
    for kind, pattern in _IDENTIFIERS:
        for m in pattern.finditer(lower):
            if m.start() == 0 or not lower[m.start() - 1].isalnum():
                found.add((kind, m.group(m.lastindex or 0)))
    folded_title = fold(title)
    if cited := _ACT_TITLE.match(folded_title):
        # the act's object counts when the title goes on as the Journal officiel's do
        # (« … portant nomination … »), not as an article's (« Décret du … : ce qui change »)
        rest = _ACT_WORD.findall(folded_title[cited.end() :])
        words = _ACT_WORD.findall(cited.group())
        if rest and rest[0] in _ACT_VERBS:
            words += rest
        words = [w for w in words if w not in _STOP]
        found.add(("act", " ".join(words[:ACT_WORDS])))
    return frozenset(found)


def _url_identity(url: str) -> frozenset[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    if not url:
        return frozenset()
    lower = unquote(url).lower()
    for kind, pattern in _IDENTIFIERS:
        for m in pattern.finditer(lower):
            if m.start() == 0 or not lower[m.start() - 1].isalnum():
                found.add((kind, m.group(m.lastindex or 0)))
    return frozenset(found)


def _identity_codes(found: frozenset[tuple[str, str]]) -> list[int]:
    """Each (kind, value) as a uint64: the kind in the high byte, 56 bits of its hash."""
    codes = {(_KINDS[kind] << 56) | (_hash64(value) >> 8) for kind, value in found}
    return sorted(codes)[:_MAX_IDS]


def _conflict(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Whether two identities name different texts: of some kind both know, no value shared."""
    if not a or not b:
        return False
    kinds_a: dict[int, set[int]] = {}
    for code in a:
        kinds_a.setdefault(code >> 56, set()).add(code)
    kinds_b: dict[int, set[int]] = {}
    for code in b:
        kinds_b.setdefault(code >> 56, set()).add(code)
    return any(kind in kinds_b and not codes & kinds_b[kind] for kind, codes in kinds_a.items())


def fingerprint(title: str, text: str, url: str = "") -> bytes:
    """MinHash signature: ``NUM_PERM`` little-endian uint32 (256 bytes), then the text's
    :func:`identity` (8 bytes a value, little-endian uint64, sorted), or b"" if no words.
    ``fingerprint(title, text, url) == with_address(fingerprint(title, text), url)``.

    Each content word (:func:`content_words`) is hashed to 64 bits (BLAKE2b), each pair of
    neighbours to a shingle hash (the mixed ``first * golden + second``; a lone word is its
    own shingle), and each of the ``NUM_PERM`` values is the minimum over the shingles of
    one hash function ``high 32 bits of (a * shingle + b)``. Deterministic across runs,
    processes and machines; store it as a BLOB. Changing any of this changes ``SCHEME``.
    """
    cache = _CONTENT_HASHES
    hashes = [h for token in f"{title}\n{text}".split() for h in cache[token]]
    if not hashes:
        return b""
    words = np.array(hashes[:MAX_WORDS], dtype=np.uint64)
    grams = _mix(words[:-1] * _PAIR + words[1:]) if len(words) > 1 else _mix(words)
    values = (grams[:, None] * _MUL + _ADD) >> np.uint64(32)
    codes = _identity_codes(identity(title, text, url))
    return values.min(axis=0).astype(_U32).tobytes() + struct.pack(f"<{len(codes)}Q", *codes)


def with_address(fp: bytes, url: str) -> bytes:
    """``fp`` with the identifiers of the item's address added to its identity (for a print
    made where the address was not at hand, as spaCy's workers make them)."""
    extra = _url_identity(url)
    if not fp or not extra:
        return fp
    codes = sorted(set(_identity_of(fp)) | set(_identity_codes(extra)))[:_MAX_IDS]
    return fp[:_SIZE] + struct.pack(f"<{len(codes)}Q", *codes)


def _check(fp: bytes) -> None:
    if len(fp) < _SIZE or (len(fp) - _SIZE) % _ID_SIZE:
        raise ValueError(
            f"fingerprint of {len(fp)} bytes; expected {_SIZE} and 8 per identifier "
            "(or b'' for empty)"
        )


def _values(fp: bytes) -> tuple[int, ...]:
    _check(fp)
    return struct.unpack_from(_FORMAT, fp)


def _identity_of(fp: bytes) -> tuple[int, ...]:
    if len(fp) <= _SIZE:
        return ()
    _check(fp)
    return struct.unpack_from(f"<{(len(fp) - _SIZE) // _ID_SIZE}Q", fp, _SIZE)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two fingerprints (0.0 if either is empty, or if their
    identities name different texts: see :func:`identity`)."""
    if not a or not b:
        return 0.0
    va, vb = _values(a), _values(b)
    if _conflict(_identity_of(a), _identity_of(b)):
        return 0.0
    return sum(x == y for x, y in zip(va, vb, strict=True)) / NUM_PERM


_BAND_STRUCT = struct.Struct(f"<{BANDS}Q")
_U64 = (1 << 64) - 1
_BAND_MIX = tuple(((i + 1) * _GOLDEN) & _U64 for i in range(BANDS))


def _signed(x: int) -> int:
    return x - (1 << 64) if x >= 1 << 63 else x


def band_keys(fp: bytes) -> tuple[int, ...]:
    """One signed 64-bit key per LSH band (for an indexed SQL table); () for an empty print.

    Band i's key is its two 32-bit values read as one 64-bit integer, mixed with i so that
    equal values in different bands give different keys. Deterministic everywhere.
    """
    if not fp:
        return ()
    _check(fp)
    return tuple(
        _signed(raw ^ mix) for raw, mix in zip(_BAND_STRUCT.unpack_from(fp), _BAND_MIX, strict=True)
    )


_MASK32 = 0xFFFFFFFF
# The in-memory index keys each band on 32 bits: the high half of the product of its
# ``band_keys`` key and an odd constant, modulo 2**64 (multiplicative hashing), computed for
# many prints at once with numpy. Both of the band's values count, as in the database and as the
# odds above say: keyed on one value per band, items sharing common words meet in some band so
# often that most indexed items become candidates for each new one (~600 of ~1,000 on the
# benchmark's generated news, against ~100 with both values), each compared in full.
_BAND_MIX_U64 = np.array(_BAND_MIX, dtype=np.uint64)
_EMPTY = np.zeros(NUM_PERM, dtype=_U32)
_HASH_MUL = np.uint64(_GOLDEN)
_HIGH = np.uint64(32)


def _band_hashes(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """32-bit hash of each band key of each row of ``values`` (n x NUM_PERM), as uint64."""
    wide = values.astype(np.uint64)
    raw = wide[..., ::ROWS] | (wide[..., 1::ROWS] << _HIGH)  # as band_keys reads the band
    return ((raw ^ _BAND_MIX_U64) * _HASH_MUL) >> _HIGH


class DedupeIndex:
    """In-memory LSH index of fingerprints with their cluster ids; item ids are 0 <= id < 2**32.

    Signatures live in one numpy matrix (a row per item, 256 bytes). Band entries live in two
    tiers: one sorted uint64 array of ``band hash (32 bits) << 32 | row`` (8 bytes per
    entry, 32 entries per item) and a dict for recent additions, merged into the array when it
    grows past half its size. :meth:`load` bulk-loads known items. A new item's candidates
    are compared with it in one numpy operation.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._sorted: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)
        # recent band key -> row, or list of rows once a second item shares the band
        self._recent: dict[int, int | list[int]] = {}
        self._recent_entries = 0
        self._values: npt.NDArray[np.uint32] = np.zeros((0, NUM_PERM), dtype=_U32)
        self._ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)  # row -> item id
        self._rows: dict[int, int] = {}  # item id -> row
        self._clusters: dict[int, int] = {}
        self._identities: dict[int, tuple[int, ...]] = {}  # row -> identity, if it has one

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._rows

    def cluster_of(self, item_id: int) -> int:
        return self._clusters[item_id]

    def _reserve(self, extra: int) -> None:
        need = len(self._rows) + extra
        if need <= len(self._ids):
            return
        size = max(need, 2 * len(self._ids), 1024)
        values = np.zeros((size, NUM_PERM), dtype=_U32)
        values[: len(self._values)] = self._values
        ids = np.zeros(size, dtype=np.int64)
        ids[: len(self._ids)] = self._ids
        self._values, self._ids = values, ids

    def _remember(
        self, item_id: int, fp: bytes, values: npt.NDArray[np.uint32], cluster_id: int
    ) -> int:
        """Store an item's signature (again, if known: its row is reused); return its row."""
        if not 0 <= item_id <= _MASK32:
            raise ValueError(f"item id {item_id} out of range 0..2**32-1")
        self._clusters[item_id] = cluster_id
        row = self._rows.get(item_id)
        if row is None:
            self._reserve(1)
            row = self._rows[item_id] = len(self._rows)
            self._ids[row] = item_id
        self._values[row] = values
        if found := _identity_of(fp):
            self._identities[row] = found
        else:
            self._identities.pop(row, None)
        return row

    def add(self, item_id: int, fp: bytes, cluster_id: int | None = None) -> None:
        """Index an item whose cluster is already known (e.g. reloaded from the store)."""
        values = _values_array(fp)
        row = self._remember(item_id, fp, values, item_id if cluster_id is None else cluster_id)
        if not fp:
            return
        recent = self._recent
        for key in _band_hashes(values).tolist():
            bucket = recent.get(key)
            if bucket is None:
                recent[key] = row
            elif isinstance(bucket, list):
                bucket.append(row)
            else:
                recent[key] = [bucket, row]
            self._recent_entries += 1
        if self._recent_entries > max(4096, len(self._sorted) // 2):
            self._flush()

    def load(self, items: Iterable[tuple[int, bytes, int]]) -> None:
        """Bulk-add known (item id, fingerprint, cluster id) triples, e.g. from the store."""
        rows: list[int] = []
        prints: list[bytes] = []
        for item_id, fp, cluster_id in items:
            row = self._remember(item_id, fp, _values_array(fp), cluster_id)
            if fp:
                rows.append(row)
                prints.append(fp)
        if not rows:
            return
        values = np.frombuffer(b"".join(p[:_SIZE] for p in prints), dtype=_U32).reshape(
            -1, NUM_PERM
        )
        keys = _band_hashes(values) << np.uint64(32)
        self._flush(keys | np.array(rows, dtype=np.uint64)[:, None])

    def _flush(self, entries: npt.NDArray[np.uint64] | None = None) -> None:
        recent: list[int] = []
        for key, bucket in self._recent.items():
            if isinstance(bucket, list):
                recent.extend((key << 32) | r for r in bucket)
            else:
                recent.append((key << 32) | bucket)
        parts = [self._sorted, np.array(recent, dtype=np.uint64)]
        if entries is not None:
            parts.append(entries.ravel())
        merged = np.concatenate(parts)
        merged.sort()
        self._sorted = merged
        self._recent = {}
        self._recent_entries = 0

    def _candidate_rows(self, values: npt.NDArray[np.uint32]) -> npt.NDArray[np.intp]:
        """Rows of the indexed items sharing at least one LSH band key (sorted, distinct)."""
        keys = _band_hashes(values)
        sorted_ = self._sorted
        found: list[npt.NDArray[np.uint64]] = []
        if len(sorted_):
            starts = keys << np.uint64(32)
            lo = np.searchsorted(sorted_, starts, "left").tolist()
            hi = np.searchsorted(sorted_, starts | np.uint64(_MASK32), "right").tolist()
            found.extend(sorted_[a:b] for a, b in zip(lo, hi, strict=True) if b > a)
        recent = self._recent
        rows: list[int] = []
        for key in keys.tolist():
            bucket = recent.get(key)
            if bucket is None:
                continue
            if isinstance(bucket, list):
                rows.extend(bucket)
            else:
                rows.append(bucket)
        if rows:
            found.append(np.array(rows, dtype=np.uint64))  # rows, below 2**32: masking keeps them
        if not found:
            return np.zeros(0, dtype=np.int64)
        hit = np.zeros(len(self._rows), dtype=np.bool_)  # distinct rows without a sort
        hit[(np.concatenate(found) & np.uint64(_MASK32)).astype(np.intp)] = True
        return np.flatnonzero(hit)

    def candidates(self, fp: bytes) -> set[int]:
        """Indexed items sharing at least one LSH band with ``fp``."""
        if not fp:
            return set()
        rows = self._candidate_rows(_values_array(fp))
        return set(self._ids[rows].tolist())

    def best_match(self, fp: bytes) -> tuple[int, float] | None:
        """Most similar indexed item at or above the threshold (ties: smallest item id)."""
        if not fp:
            return None
        values = _values_array(fp)
        rows = self._candidate_rows(values)
        if not len(rows):
            return None
        sims = (self._values[rows] == values).sum(axis=1) / NUM_PERM
        keep = sims >= self.threshold
        mine = _identity_of(fp)
        if mine and self._identities:  # different official texts are never duplicates
            for i, row in enumerate(rows.tolist()):
                if keep[i] and _conflict(mine, self._identities.get(row, ())):
                    keep[i] = False
        if not keep.any():
            return None
        sims, ids = sims[keep], self._ids[rows][keep]
        best = sims.max()
        return int(ids[sims == best].min()), float(best)

    def assign(self, item_id: int, fp: bytes) -> int:
        """Cluster id for a new item (its best match's cluster, else its own id); indexes it."""
        if item_id in self._rows:
            return self._clusters[item_id]
        match = self.best_match(fp)
        cluster_id = item_id if match is None else self._clusters[match[0]]
        self.add(item_id, fp, cluster_id)
        return cluster_id


def _values_array(fp: bytes) -> npt.NDArray[np.uint32]:
    if not fp:
        return _EMPTY
    _check(fp)
    return np.frombuffer(fp, dtype=_U32, count=NUM_PERM)


def cluster(
    items: Iterable[tuple[int, bytes]], threshold: float = DEFAULT_THRESHOLD
) -> dict[int, int]:
    """item id -> cluster id for a batch; items are processed in id order (deterministic)."""
    index = DedupeIndex(threshold)
    return {item_id: index.assign(item_id, fp) for item_id, fp in sorted(items)}
