"""Searching a watch: the one use case behind `watcher search`, the web app and saved searches.

The index finds the hits; the store gives their details (references with links, entities, the
other sources of a near-duplicate cluster). Every search is scoped to one group, unless the
caller may see every group (evaluators): scoping is decided here, once, for every caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from watcher.errors import WatcherError
from watcher.find.index import Hit, Names, SearchIndex, SearchResults
from watcher.model import ItemView, SavedSearch
from watcher.query import QueryError
from watcher.store import Store
from watcher.understand import refs as references

SORTS = ("relevance", "date")


class ScopeError(WatcherError, ValueError):
    """The caller did not say whose watch to search, or may not search it."""


@dataclass
class Found:
    """One hit with its details; `also` lists the other sources of its cluster."""

    hit: Hit
    view: ItemView | None
    also: list[tuple[int, str, str]] = field(default_factory=list)  # (item id, source, url)


@dataclass
class SearchPage:
    results: SearchResults
    found: list[Found]


def scope_groups(
    group_id: str | None, known_groups: set[str], *, may_see_all: bool
) -> list[str] | None:
    """The groups a search may see: one group, or None for everything (evaluators only)."""
    if group_id:
        if group_id not in known_groups:
            raise ScopeError(
                f"Groupe inconnu : {group_id}. Groupes : {', '.join(sorted(known_groups))}"
            )
        return [group_id]
    if may_see_all:
        return None
    if len(known_groups) == 1:
        return sorted(known_groups)
    raise ScopeError(
        "Précisez le groupe (--group) : chaque groupe ne voit que sa veille "
        f"(groupes : {', '.join(sorted(known_groups))})"
    )


def search(
    store: Store,
    index: SearchIndex,
    query: str,
    *,
    groups: list[str] | None,
    now: datetime,
    sort: str = "relevance",
    page: int = 1,
    limit: int = 10,
    names: Names | None = None,
) -> SearchPage:
    """Run a query for the given scope; raises QueryError with a message for the user.
    `names`: the labels of the axes' and topics' keys, which a query may use for them."""
    if sort not in SORTS:
        raise QueryError(f"tri inconnu « {sort} » : relevance ou date")
    results = index.search(
        query,
        groups=groups,
        now=now,
        sort=sort,
        page=page,
        limit=limit,
        resolve_ref=partial(references.resolve_reference_query, today=now.date()),
        names=names,
    )
    views = {v.item.id: v for v in store.views([h.item_id for h in results.hits])}
    clusters = {v.cluster_id for v in views.values() if v.cluster_id is not None}
    members = store.cluster_members(clusters)
    visible = set(groups) if groups is not None else None
    others = {  # each hit's cluster's other items: their groups, read at once
        item_id
        for hit in results.hits
        if (view := views.get(hit.item_id)) is not None and view.cluster_id is not None
        for item_id, _source, _url in members.get(view.cluster_id, [])
        if item_id != hit.item_id
    }
    groups_of = store.groups_of(others) if visible is not None and others else {}
    found: list[Found] = []
    for hit in results.hits:  # the index counts a near-duplicate cluster once
        view = views.get(hit.item_id)
        cluster = view.cluster_id if view else None
        also = []
        for item_id, source_id, url in members.get(cluster, []) if cluster is not None else []:
            if item_id == hit.item_id:
                continue
            if visible is not None and not visible.intersection(groups_of.get(item_id, ())):
                continue  # another group's item
            also.append((item_id, source_id, url))
        found.append(Found(hit, view, also))
    return SearchPage(results, found)


def saved_search(store: Store, group_id: str, name: str) -> SavedSearch:
    for saved in store.saved_searches(group_id):
        if saved.name == name:
            return saved
    names = ", ".join(s.name for s in store.saved_searches(group_id)) or "aucune"
    raise ScopeError(
        f"Pas de recherche enregistrée « {name} » pour {group_id} (enregistrées : {names})"
    )
