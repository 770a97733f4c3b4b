"""The search use case's details of the hits (watcher.find.search): the other sources of a
near-duplicate cluster, scoped to the groups searched, read from the store at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from watcher.find.index import IndexDoc, SearchIndex
from watcher.find.search import search
from watcher.model import ItemView, StoredItem

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def item(item_id: int, groups: tuple[str, ...]) -> StoredItem:
    return StoredItem(
        id=item_id, source_id=f"src-{item_id}", url=f"https://example.org/{item_id}",
        title="Démarchage téléphonique", summary="", text="Le démarchage téléphonique encadré.",
        author="", language="fr", guid=str(item_id), published_at=NOW - timedelta(hours=item_id),
        fetched_at=NOW, updated_at=None, content_hash="", version=1, deleted_at=None,
        groups=groups,
    )  # fmt: skip


class Store:
    """The store's answers a search needs: items 1–4 are one cluster (4 has no group left),
    5 another group's item; counts the queries each method makes."""

    def __init__(self) -> None:
        self.items = {
            1: item(1, ("g1",)),
            2: item(2, ("g1", "g2")),
            3: item(3, ("g2",)),
            4: item(4, ()),
            5: item(5, ("g2",)),
        }
        self.calls: list[str] = []

    def views(self, ids: Sequence[int]) -> list[ItemView]:
        self.calls.append("views")
        return [
            ItemView(self.items[i], cluster_id=1 if i <= 4 else None)
            for i in ids
            if i in self.items
        ]

    def cluster_members(self, clusters: Iterable[int]) -> dict[int, list[tuple[int, str, str]]]:
        self.calls.append("cluster_members")
        wanted = set(clusters)
        members = [(i, self.items[i].source_id, self.items[i].url) for i in (1, 2, 3, 4)]
        return {1: members} if 1 in wanted else {}

    def groups_of(self, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        self.calls.append("groups_of")
        return {i: self.items[i].groups for i in ids if i in self.items and self.items[i].groups}

    def get_item(self, item_id: int) -> StoredItem | None:
        self.calls.append("get_item")
        return self.items.get(item_id)


def index_of(tmp_path: Path, store: Store) -> SearchIndex:
    index = SearchIndex(tmp_path / "ix")
    index.add(
        IndexDoc(
            item_id=i.id, groups=i.groups or ("g1",), title=i.title, text=i.text, summary="",
            url=i.url, source_id=i.source_id, source_name=i.source_id, axes=(), topics=(),
            entities=(), refs=(), ref_aliases=(), published=i.published_at, fetched=i.fetched_at,
            language="fr", cluster_id=1 if i.id <= 4 else None,
        )
        for i in store.items.values()
        if i.id in (1, 5)  # the index counts a cluster once: its earliest item stands for it
    )  # fmt: skip
    return index


def test_a_clusters_other_sources_are_those_the_groups_searched_see(tmp_path: Path) -> None:
    store = Store()
    index = index_of(tmp_path, store)
    shown: Any = store
    page = search(shown, index, "démarchage", groups=["g1"], now=NOW)
    assert [f.hit.item_id for f in page.found] == [1]
    assert [a[0] for a in page.found[0].also] == [2]  # 3 is g2's only, 4 nobody's
    # the other items' groups are read in one query, not one item at a time
    assert store.calls == ["views", "cluster_members", "groups_of"]
    store.calls.clear()
    page = search(shown, index, "démarchage", groups=["g2"], now=NOW)
    assert {f.hit.item_id: [a[0] for a in f.also] for f in page.found} == {5: []}
    store.calls.clear()
    page = search(shown, index, "démarchage", groups=None, now=NOW)  # every group's
    assert {f.hit.item_id: [a[0] for a in f.also] for f in page.found} == {1: [2, 3, 4], 5: []}
    assert "groups_of" not in store.calls and "get_item" not in store.calls
    index.close()
