"""Search use cases: a search in one group's watch (or every group's), the labels of what it
shows, saved searches and the RSS feed of a saved search."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING

from watcher.config import Watch
from watcher.errors import NotFound
from watcher.jobs import OpenWorkspace
from watcher.labels import Labels, watch_labels
from watcher.model import SavedSearch
from watcher.query import QueryError
from watcher.taxonomy import PESTEL, topic_specs
from watcher.text import name_key

if TYPE_CHECKING:
    from watcher.find.follow import FollowReport
    from watcher.find.search import SearchPage

# What a search may spend bringing the index up to date first (the web app's follower thread
# does the rest): a search never waits for another writer of the index, nor for a rebuild.
CATCH_UP_BUDGET = 0.25


def follow_index(
    w: OpenWorkspace,
    watch: Watch,
    now: datetime | None = None,
    *,
    wait: bool = True,
    budget: float | None = None,
    rebuild: bool = True,
) -> FollowReport:
    """Bring this machine's copy of the search index up to date from the store's change log
    (`watcher.find.follow.IndexFollower.catch_up`); with `now`, also forget old changes."""
    from watcher.understand.process import StoreDocs  # Whoosh, spaCy's types: when needed

    return w.follower.catch_up(
        StoreDocs.of_store(w.store, watch), now=now, wait=wait, budget=budget, rebuild=rebuild
    )


def index_to_rebuild(w: OpenWorkspace) -> bool:
    """Whether this machine's copy of the search index must be rebuilt from the store before a
    search can see the watch: the watch holds items, and the copy has none of them yet (an
    upgrade whose index schema changed recreates it empty; a deleted `index/` folder)."""
    return w.follower.must_rebuild() and bool(collected(w))


def search(
    w: OpenWorkspace,
    query: str,
    *,
    groups: list[str] | None,
    now: datetime,
    sort: str = "relevance",
    page: int = 1,
    limit: int = 10,
    watch: Watch | None = None,
) -> SearchPage:
    """The hits of a query in the groups' watch (None: every group's), with their details;
    QueryError (French) when the query cannot run. With `watch`, the index first applies the
    store's latest changes (at most CATCH_UP_BUDGET seconds, never waiting for a writer), and
    the query may name an axis or a topic by its label, as the facets show it, and a PESTEL
    dimension for all its topics."""
    from watcher.find.index import IndexBusyError
    from watcher.find.search import search as find  # Whoosh and numpy: only to search

    names = None
    if watch is not None:
        with suppress(IndexBusyError):  # a rebuild holds the index: search what it shows
            follow_index(w, watch, wait=False, budget=CATCH_UP_BUDGET, rebuild=False)
        shown = watch_labels(watch)
        topics: dict[str, str | tuple[str, ...]] = {
            t.id: (t.label, t.pestel, PESTEL[t.pestel]) for t in topic_specs(watch)
        }  # a dimension, as in sources.yml's `topics:`, stands for every topic of it
        names = {"axis": shown.axes, "topic": topics}
    return find(
        w.store, w.index, query, groups=groups, now=now, sort=sort, page=page, limit=limit,
        names=names,
    )  # fmt: skip


def without_filters(
    w: OpenWorkspace,
    query: str,
    *,
    groups: list[str] | None,
    now: datetime,
    watch: Watch | None = None,
) -> list[tuple[str, str, int]]:
    """For a search that found nothing: each of its filters (`axis:`, `source:`, `date:`…, as
    written) whose removal finds something, with the query without it and what it finds —
    « sans axis:concurrence : 2 résultats »."""
    from watcher.query import field_filters

    found: list[tuple[str, str, int]] = []
    for term in field_filters(query):
        if term.negated:  # an exclusion never empties a search
            continue
        rest = " ".join(f"{query[: term.start]} {query[term.end :]}".split())
        if not rest:
            continue
        try:
            total = search(w, rest, groups=groups, now=now, limit=1, watch=watch).results.total
        except QueryError:  # what is left is no query (« ( axis:x ) » without its filter)
            continue
        if total:
            found.append((term.text, rest, total))
    return found


def reference_queries(
    w: OpenWorkspace,
    query: str,
    *,
    groups: list[str] | None,
    now: datetime,
    total: int,
    watch: Watch | None = None,
) -> list[tuple[str, str, int]]:
    """The words of a query that name a legal or normative text (« RGPD », « loi Hamon »: the
    shortest run of its words that does), when `ref:` finds more than the words do: (the words, the
    query with `ref:"…"` in their place, what it finds). Items cite a text under several names
    (« règlement (UE) 2016/679 »), which the words alone miss."""
    from watcher.query import And, Term, parse_query
    from watcher.understand.refs import resolve_reference_query

    node = parse_query(query)
    terms = (
        [node] if isinstance(node, Term) else list(node.children) if isinstance(node, And) else []
    )
    plain = [t if isinstance(t, Term) and t.field is None else None for t in terms]
    spans: list[tuple[int, int]] = []  # runs of plain words, the shortest first: « RGPD »…
    for size in range(1, min(len(plain), 6) + 1):
        for run in (plain[i : i + size] for i in range(len(plain) - size + 1)):
            first, last = run[0], run[-1]
            if first is not None and last is not None and None not in run:
                spans.append((first.start, last.end))
    found: list[tuple[str, str, int]] = []
    naming: list[tuple[int, int]] = []  # the spans that name a text
    for start, end in spans:
        words = " ".join(query[start:end].split())
        if any(start <= a and b <= end for a, b in naming):
            continue  # « prospection loi Hamon » is no name: « loi Hamon » is
        if not words or not resolve_reference_query(words, now.date()):
            continue
        naming.append((start, end))
        other = f'{query[:start]}ref:"{words}"{query[end:]}'.strip()
        more = search(w, other, groups=groups, now=now, limit=1, watch=watch).results.total
        if more > total:
            found.append((words, other, more))
            break  # one proposal: the shortest words naming a text
    return found


NAMED_FIELDS = ("axis", "topic", "source")


def unknown_names(w: OpenWorkspace, watch: Watch, query: str) -> list[tuple[str, str]]:
    """The (field, value) of the query's `axis:`, `topic:` and `source:` that name nothing the
    watch knows — neither a key nor a label (nor, for a topic, a PESTEL dimension; for a
    source, one the store still holds items of): said when a search finds nothing."""
    from watcher.query import And, FieldMatch, Not, Or, parse_query

    shown = watch_labels(watch)
    known: dict[str, set[str]] = {
        "axis": {*shown.axes, *shown.axes.values()},
        "topic": {*shown.topics, *shown.topics.values(), *PESTEL, *PESTEL.values()},
        "source": {*shown.sources, *shown.sources.values(), *w.store.count_items()},
    }
    folded = {field: {name_key(n) for n in names} for field, names in known.items()}
    found: list[tuple[str, str]] = []
    pending = [parse_query(query)]
    while pending:
        node = pending.pop(0)
        if isinstance(node, And | Or):
            pending.extend(node.children)
        elif isinstance(node, Not):
            pending.append(node.child)
        elif (
            isinstance(node, FieldMatch)
            and node.field in folded
            and name_key(node.value) not in folded[node.field]
        ):
            found.append((node.field, node.value))
    return found


def waiting_for_process(w: OpenWorkspace) -> int:
    """How many collected items are not analysed yet, hence not searchable (`watcher process`)."""
    return w.store.count_pending_enrichment()


def collected(w: OpenWorkspace) -> int:
    """How many items the watch holds (0: nothing was ever collected)."""
    return sum(w.store.count_items().values())


def group_collected(w: OpenWorkspace, group_id: str) -> int:
    """How many items a group's watch holds (0: nothing collected for it yet)."""
    return w.store.group_collection_span(group_id)[0]


def labels(w: OpenWorkspace, watch: Watch, ref_keys: Iterable[str] = ()) -> Labels:
    """What a person reads for the axes, topics, sources and references of a page."""
    return watch_labels(watch, w.store.ref_labels(ref_keys))


def saved_search(w: OpenWorkspace, group_id: str, name: str) -> SavedSearch:
    """A group's saved search by name (ScopeError, naming the saved ones, if none)."""
    from watcher.find.search import saved_search as find_saved

    return find_saved(w.store, group_id, name)


def save_search(
    w: OpenWorkspace,
    group_id: str,
    name: str,
    query: str,
    sort: str,
    now: datetime,
    *,
    by: str = "",
) -> SavedSearch | None:
    """Save a query under a name for the group, replacing one of the same name: that one is
    returned when it was another query or sort (to say what was replaced), else None. A query
    that cannot run is not saved: QueryError."""
    search(w, query, groups=[group_id], now=now, limit=1)
    before = next((s for s in w.store.saved_searches(group_id) if s.name == name), None)
    w.store.save_search(group_id, name, query, sort, now, by=by)
    if before is None or (before.query, before.sort) == (query, sort):
        return None
    return before


def delete_saved_search(w: OpenWorkspace, group_id: str, name: str) -> None:
    """Delete a saved search and the secret address of its feed."""
    if not w.store.delete_saved_search(group_id, name):
        raise NotFound(f"Pas de recherche « {name} » pour {group_id}.")
    w.users.revoke_feed_token(group_id, name)


def feed_search(
    w: OpenWorkspace, token: str, now: datetime, limit: int, watch: Watch | None = None
) -> tuple[SavedSearch, SearchPage] | None:
    """The saved search a feed's secret token opens and its latest hits, newest first; None
    when the token, the search or its query is no longer valid."""
    found = w.users.feed_for_token(token)
    if found is None:
        return None
    group_id, name = found
    saved = next((s for s in w.store.saved_searches(group_id) if s.name == name), None)
    if saved is None:
        return None
    try:
        page = search(
            w, saved.query, groups=[group_id], now=now, sort="date", limit=limit, watch=watch
        )
    except QueryError:
        return None
    return saved, page
