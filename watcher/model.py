"""Plain data types shared by every stage (no I/O, no library objects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Entry:
    """One article as found in a feed, a page or a sitemap, before it is stored."""

    url: str  # canonical URL ("" when the entry had no usable link)
    title: str
    summary: str = ""
    text: str = ""
    guid: str = ""
    author: str = ""
    published: datetime | None = None  # UTC-aware
    published_raw: str = ""  # the date exactly as the source wrote it
    language: str = ""
    original_url: str = ""  # the link as written, before canonicalisation
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Identity of the entry within its source: GUID, else canonical URL."""
        return self.guid or self.url


@dataclass(frozen=True)
class Validators:
    """HTTP validators kept per URL for conditional GET."""

    etag: str = ""
    last_modified: str = ""

    @classmethod
    def from_headers(cls, headers: Mapping[Any, Any]) -> Validators:
        """A response's validators (header values as str, or as bytes like Scrapy's)."""

        def text(name: str) -> str:
            value = headers.get(name) or ""
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)

        return cls(text("ETag"), text("Last-Modified"))

    def headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


ROBOTS_TTL = timedelta(hours=24)  # RFC 9309 §2.4: "SHOULD NOT use the cached version for more
# than 24 hours, unless the robots.txt file is unreachable"


@dataclass
class CachedRobots:
    """A site's robots.txt as kept in the store."""

    body: bytes  # the rules; empty when the site has none (4xx: everything allowed)
    status: int
    validators: Validators
    fetched_at: datetime  # when the rules were last fetched or confirmed by a 304

    def fresh(self, now: datetime) -> bool:
        return timedelta(0) <= now - self.fetched_at < ROBOTS_TTL


@dataclass
class SourceResult:
    """What one crawl did for one source."""

    source_id: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # entries or pages of this source that could not be read
    not_modified: bool = False  # the server answered 304
    error: str = ""  # why the source as a whole failed ("" when it did not)
    warnings: list[str] = field(default_factory=list)
    retry_after: float | None = None  # seconds the server asked us to wait

    @property
    def ok(self) -> bool:
        return not self.error

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_dict(self) -> dict[str, object]:
        return {
            "source_id": self.source_id,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "not_modified": self.not_modified,
            "error": self.error,
            "warnings": list(self.warnings),
            "retry_after": self.retry_after,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SourceResult:
        result = cls(str(data["source_id"]))
        for name in ("new", "updated", "unchanged", "failed"):
            setattr(result, name, int(str(data.get(name, 0))))
        result.not_modified = bool(data.get("not_modified"))
        result.error = str(data.get("error") or "")
        warnings = data.get("warnings") or []
        result.warnings = [str(w) for w in warnings] if isinstance(warnings, list) else []
        retry_after = data.get("retry_after")
        result.retry_after = float(str(retry_after)) if retry_after is not None else None
        return result


@dataclass(frozen=True)
class EntityMention:
    label: str  # PER | ORG | LOC | MISC
    key: str  # folded key
    name: str  # display form
    count: int
    # Where it is mentioned: (start, end) character offsets into the item's body as processed
    # (``text``, or ``summary`` when there is no text); mentions in the title are not listed.
    spans: tuple[tuple[int, int], ...] = ()
    # Its label is safe to rely on, e.g. to pre-fill a form (see watcher.understand.nlp.Entity).
    confident: bool = False


@dataclass(frozen=True)
class RefMention:
    key: str  # canonical key, e.g. eu:celex:32016R0679
    kind: str
    label: str
    url: str
    link: str  # "official" | "search"
    text: str  # as first written in the item
    count: int


@dataclass(frozen=True)
class ItemEnrichment:
    """What processing found in one version of an item."""

    item_id: int
    version: int
    signature: str
    language: str
    fingerprint: bytes
    cluster_id: int
    axes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    refs: tuple[RefMention, ...] = ()
