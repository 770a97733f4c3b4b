"""Processing: collected items → enrichment (entities, axes, topics, references, near-duplicate
clusters) in the store → the Whoosh index, which is derived from the store and heals itself.

`process_pending` is the one use case behind `watcher process`, the scheduler and the tests.
Each stage is idempotent: an item version is enriched once, an enriched version indexed once;
re-running does nothing new. A crash between store and index is healed on the next run by
the store's change log, which each copy of the index follows (`watcher.find.follow`), and by
comparing what the store says the index holds with what it holds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial

from watcher.changes import CHANGE_KIND
from watcher.config import Watch
from watcher.find.follow import IndexFollower
from watcher.find.index import IndexBusyError, IndexDoc, SearchIndex
from watcher.model import (
    EntityMention,
    ItemEnrichment,
    ItemView,
    Pinpoint,
    RefMention,
    StoredItem,
)
from watcher.store import Store
from watcher.taxonomy import outside_subjects, resolve_topics, topic_specs
from watcher.understand import entities, matching
from watcher.understand import refs as references
from watcher.understand.dedupe import SCHEME, DedupeIndex, fingerprint, with_address
from watcher.understand.known_names import known_names
from watcher.understand.nlp import (
    AxisSpec,
    Enricher,
    Enrichment,
    RefSpan,
    body_spans,
    compose,
    without_references,
)

CHUNK = 256  # items enriched and saved per transaction
# Near-duplicates are looked for among items collected this recently: a press release is
# republished within days, and loading every fingerprint of a 100k-item store costs seconds.
DUPLICATE_WINDOW = timedelta(days=60)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class ProcessReport:
    enriched: int = 0
    indexed: int = 0
    removed: int = 0
    healed: int = 0  # items the index had lost and got back
    stale: int = 0  # items enriched with other axes/topics/model (run with everything=True)
    # Another writer (a `watcher reindex`) held the index past the writer timeout: the
    # enrichments are saved, and these items wait for the next run to be indexed or removed.
    index_busy: bool = False
    index_waiting: int = 0


def axis_specs(watch: Watch) -> tuple[AxisSpec, ...]:
    """The axes of a watch as enrichment matches them: keywords, equations and the topic ids
    their `topics:` designate."""
    taxonomy = topic_specs(watch)
    return tuple(
        AxisSpec(a.id, a.keywords, a.equations, resolve_topics(a.topics, taxonomy))
        for a in watch.axes
    )


def signature(watch: Watch) -> str:
    """What an enrichment depends on besides the item: model, axes, topics, and the shipped
    data and figures of the rules (known entity names and the version of the entity rules,
    matching's parameters, the table of codes and acts, the version of the references' rules)."""
    names = known_names()
    payload = {
        "model": watch.nlp.model,
        "axes": [
            [a.id, list(a.keywords), list(a.equations)] + ([sorted(a.topics)] if a.topics else [])
            for a in axis_specs(watch)
        ],
        "topics": [
            [t.id, t.pestel, list(t.keywords), list(t.strong), list(t.weak)]
            for t in topic_specs(watch)
        ],
        "outside": [[o.id, list(o.keywords)] for o in outside_subjects()],
        # the rules' shipped data and figures: an upgrade that changes them flags old items
        "names": [sorted(names.labels.items()), sorted(names.not_names)],
        "entity_rules": entities.RULES_VERSION,
        "matching": matching.parameters(),
        "references": references.data_digest(),
        "reference_rules": references.RULES_VERSION,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def reference_mentions(text: str, today: date) -> tuple[RefMention, ...]:
    """References found in a text, one per key, counted, in order of first mention, each with
    the articles of it the text cites (its pinpoints, in order of first mention); ``today``
    as for :func:`watcher.understand.refs.find_references`."""
    return _mentions(references.find_references(text, today))


def _mentions(found_refs: Sequence[references.Reference]) -> tuple[RefMention, ...]:
    found: dict[str, RefMention] = {}
    pinned: dict[str, dict[str, str]] = {}  # key -> pinpoint name -> its official link
    for ref in found_refs:
        if ref.pinpoint:
            urls = pinned.setdefault(ref.key, {})
            urls[ref.pinpoint] = urls.get(ref.pinpoint) or ref.pinpoint_url
        seen = found.get(ref.key)
        if seen is None:
            found[ref.key] = RefMention(
                ref.key, ref.kind, ref.label, ref.url, ref.link, ref.text, 1
            )
        else:
            official = seen if seen.link == "official" or ref.link != "official" else None
            base = official or RefMention(
                ref.key, ref.kind, ref.label, ref.url, ref.link, seen.text, seen.count
            )
            found[ref.key] = RefMention(
                base.key, base.kind, base.label, base.url, base.link, base.text, seen.count + 1
            )
    return tuple(
        replace(
            mention,
            pinpoints=tuple(Pinpoint(n, u) for n, u in pinned.get(key, {}).items()),
        )
        for key, mention in found.items()
    )


def _body(item: StoredItem) -> str:
    return item.text or item.summary


@dataclass(frozen=True)
class _Work:
    """What an item's enrichment needs besides spaCy."""

    refs: tuple[RefMention, ...]
    ref_spans: tuple[RefSpan, ...]  # where the references are in the analysed text
    fingerprint: bytes


def _item_work(title: str, text: str, today: date) -> _Work:
    """An item's references (found in the text spaCy analyses, so that entities inside them
    can be told apart; ``today``: the run's date) and its fingerprint.

    Run by ``Enricher.enrich_with`` next to spaCy (in its worker processes with n_process > 1).
    """
    found = references.find_references(compose(title, text), today)
    return _Work(
        _mentions(found),
        tuple((r.start, r.end, r.kind) for r in found),
        fingerprint(title, text),
    )


def _enrichment(
    item: StoredItem,
    found: Enrichment,
    work: _Work,
    dedupe: DedupeIndex,
    sig: str,
) -> ItemEnrichment:
    # the identifiers of the item's address (Légifrance's JORFTEXT…) name an official text too
    print_ = with_address(work.fingerprint, item.url)
    return ItemEnrichment(
        item_id=item.id,
        version=item.version,
        signature=sig,
        language=found.language if found.language != "und" else item.language,
        fingerprint=print_,
        # in item order, here: clusters depend on it. A watched page's change is its own
        # event, never a near-duplicate: its next change reads almost the same
        cluster_id=item.id if item.kind == CHANGE_KIND else dedupe.assign(item.id, print_),
        axes=found.axes,
        topics=found.topics,
        entities=tuple(
            EntityMention(
                e.label,
                e.key,
                e.name,
                e.count,
                body_spans(item.title, _body(item), e.spans),
                e.confident,
            )
            # names that are parts of citations (« RGPD », « ISO 9001 ») are references
            for e in without_references(found.entities, work.ref_spans)
        ),
        refs=work.refs,
    )


def index_doc(watch: Watch, view: ItemView, curation: tuple[str, ...] = ()) -> IndexDoc:
    item = view.item
    names = {s.id: s.label for s in watch.sources}
    aliases: list[str] = []
    for ref in view.refs:
        # the articles cited (« fr:loi:2014-344#art-12 »): `ref:` finds an item by them
        aliases.extend([ref.text, ref.label, *references.aliases(ref.key), *ref.full_keys()])
    return IndexDoc(
        item_id=item.id,
        groups=item.groups,
        title=item.title,
        text=_body(item),
        summary=item.summary,
        url=item.url,
        source_id=item.source_id,
        source_name=names.get(item.source_id, item.source_id),
        axes=view.axes,
        topics=view.topics,
        # facets and `entity:` list the names the model is sure of (EntityMention.confident)
        entities=tuple(m.name for m in view.entities if m.confident),
        refs=tuple(r.key for r in view.refs),
        ref_aliases=tuple(dict.fromkeys(a for a in aliases if a)),
        published=item.published_at,
        fetched=item.fetched_at,
        language=view.language or item.language,
        cluster_id=view.cluster_id,
        kind=item.kind,
        curation=curation,  # each group's status ("g1:retained"): `statut:` finds it
    )


def heal_index(watch: Watch, store: Store, index: SearchIndex) -> int:
    """Make the index hold what the store says it should (after a crash that lost an index
    commit): the missing documents written, the extra ones removed; how many were missing."""
    return IndexFollower(store, index).heal(StoreDocs.of_store(store, watch))


def sync_index(
    watch: Watch,
    store: Store,
    index: SearchIndex,
    on_progress: Progress | None = None,
    *,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Bring this copy of the index up to date from the store's change log (rebuilt when it
    has no position or missed changes): (documents written, documents removed)."""
    report = IndexFollower(store, index).catch_up(
        StoreDocs.of_store(store, watch), now=now, on_progress=on_progress
    )
    return report.indexed + (report.rebuilt or 0), report.removed


def process_pending(
    watch: Watch,
    store: Store,
    index: SearchIndex | None,
    now: datetime,
    *,
    everything: bool = False,
    on_progress: Progress | None = None,
) -> ProcessReport:
    """Enrich every item version not yet enriched (all of them with `everything`), then
    bring this machine's copy of the index up to date (none: a distributed worker, whose
    enrichments reach the copies of the web hosts through the store's change log)."""
    report = ProcessReport()
    sig = signature(watch)
    pending = store.pending_enrichment(everything=everything)
    if pending:
        enricher = Enricher(axis_specs(watch), topic_specs(watch), model=watch.nlp.model)
        # prints made another way cannot be compared with new ones: made again first (once)
        store.refingerprint(
            fingerprint,
            str(SCHEME),
            (lambda done, total: on_progress("fingerprints", done, total)) if on_progress else None,
        )
        dedupe = DedupeIndex()
        dedupe.load(store.fingerprints(since=now - DUPLICATE_WINDOW))
        if on_progress:
            on_progress("enrich", 0, len(pending))
        # One stream for the whole backlog (worker processes start once), saved in chunks.
        # With n_process > 1 the workers do spaCy and every per-item step; this process
        # only assigns clusters (in item order) and saves.
        found = enricher.enrich_with(
            ((item.title, _body(item)) for item in pending),
            partial(_item_work, today=now.date()),  # picklable: a module-level function
            batch_size=watch.nlp.batch_size,
            n_process=watch.nlp.processes,
        )
        done: list[ItemEnrichment] = []
        with closing(found):  # on an error, the worker processes stop here
            for item, (enrichment, work) in zip(pending, found, strict=True):
                done.append(_enrichment(item, enrichment, work, dedupe, sig))
                if len(done) == CHUNK or report.enriched + len(done) == len(pending):
                    store.save_enrichments(done, now)
                    report.enriched += len(done)
                    done = []
                    if on_progress:
                        on_progress("enrich", report.enriched, len(pending))
    if index is not None:
        try:
            report.indexed, report.removed = sync_index(watch, store, index, on_progress, now=now)
            report.healed = heal_index(watch, store, index)
            report.indexed += report.healed
        except IndexBusyError:
            report.index_busy = True
            report.index_waiting = IndexFollower(store, index).pending()
    report.stale = store.count_stale_signature(sig)
    return report


def reindex(
    watch: Watch,
    store: Store,
    index: SearchIndex,
    on_progress: Progress | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Rebuild this copy of the index from the store (the store is the source of truth), in
    one commit: searches see the previous index until the new one is complete. Worker
    processes, one per core, each read a share of the items from the store and write it as a
    segment (`SearchIndex.rebuild_from`). With `now`, every other copy is asked to rebuild
    too (a change in the store's log). Interrupted, it leaves the copy to be rebuilt by its
    next catch-up."""
    if now is not None:
        store.request_reindex(now)
    return IndexFollower(store, index).rebuild(StoreDocs.of_store(store, watch), on_progress)


@dataclass(frozen=True)
class StoreDocs:
    """The index documents of some items, read from the store at ``url`` (picklable: what a
    rebuild's worker processes call) or from an open store (`of`)."""

    url: str
    watch: Watch

    @classmethod
    def of_store(cls, store: Store, watch: Watch) -> StoreDocs:
        return cls(store.engine.url.render_as_string(hide_password=False), watch)

    def of(self, store: Store, ids: Sequence[int]) -> list[IndexDoc]:
        marks = store.curation_marks(ids)
        return [
            index_doc(self.watch, view, marks.get(view.item.id, ())) for view in store.views(ids)
        ]

    def __call__(self, ids: list[int]) -> list[IndexDoc]:
        store = Store(self.url)
        try:
            return self.of(store, ids)
        finally:
            store.close()
