"""Sitemap sources: news sitemaps and sitemap indexes, with a date window (`since:`).

URLs inside the window go to the frontier (`FrontierLinks`) and are fetched as article pages
(spiders.page), with the date the sitemap gives them.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip

from spiders.base import too_big
from spiders.page import PageMixin
from watcher.collect.items import FrontierLinks
from watcher.collect.settings import run_moment
from watcher.config import Source
from watcher.dates import parse_date
from watcher.urls import canonical_url, http_url

MAX_SITEMAP_DEPTH = 3
# A sitemap may list 50,000 addresses and an index 50,000 sitemaps (the protocol's limits): a
# news sitemap lists 1,000 at most. Beyond these, the newest are kept.
MAX_SITEMAP_URLS = 1000  # addresses of one sitemap, fetched as articles
MAX_CHILD_SITEMAPS = 50  # sitemaps of one index, and of all the indexes of one source


def newest(
    entries: list[tuple[str, datetime | None]], limit: int
) -> list[tuple[str, datetime | None]]:
    """The `limit` newest entries: dated ones from the newest, then undated ones in order."""
    dated: list[tuple[str, datetime]] = [(url, d) for url, d in entries if d is not None]
    dated.sort(key=lambda entry: entry[1], reverse=True)
    undated = [(url, d) for url, d in entries if d is None]
    return [*dated, *undated][:limit]


def sitemap_entries(body: bytes, zone: str) -> tuple[str, list[tuple[str, datetime | None]]]:
    """(type, [(url, date)]) of a sitemap or sitemap index; type is "" when unreadable.
    The date is the news publication date, else lastmod."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return "", []
    kind = etree.QName(root).localname
    entries: list[tuple[str, datetime | None]] = []
    for element in root:
        if not isinstance(element.tag, str):
            continue
        loc = element.findtext("{*}loc") or ""
        raw = element.findtext(".//{*}publication_date") or element.findtext("{*}lastmod") or ""
        if loc.strip():
            entries.append((loc.strip(), parse_date(raw, zone) if raw.strip() else None))
    return kind, entries


class SitemapMixin(PageMixin):
    def start_sitemap(self, source: Source) -> Iterator[Any]:
        yield from self.fetch_frontier(source)
        yield self.request(source, source.url, self.parse_sitemap, role="source", depth=1)

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Any]:
        source = self.sources[response.meta["source_id"]]
        if response.status == 304:
            self.results[source.id].not_modified = True
            return
        depth = int(response.meta.get("depth", 1))

        def unreadable(reason: str) -> None:
            # the source's own sitemap fails the source; one sitemap of its index does not
            if depth > 1:
                self.sitemap_unreadable(source, response.url, reason)
            else:
                self.fail(source, reason)

        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=int(self.settings.getint("DOWNLOAD_MAXSIZE")))
            except ValueError:  # Scrapy's: unpacked, it would pass DOWNLOAD_MAXSIZE
                unreadable(too_big(self.settings, decompressed=True))
                return
            except (OSError, EOFError, zlib.error):
                unreadable(
                    "sitemap compressé illisible (gzip tronqué ou abîmé) : ouvrez l'adresse "
                    "dans le navigateur, ou donnez celle du sitemap non compressé (.xml)",
                )
                return
        kind, entries = sitemap_entries(body, self.watch.watch.timezone)
        if kind not in ("urlset", "sitemapindex"):
            unreadable("ce n'est pas un sitemap XML lisible (urlset ou sitemapindex)")
            return
        now = run_moment(self.settings)
        oldest = now - source.since if source.since else None
        recent = [(u, d) for u, d in entries if oldest is None or d is None or d >= oldest]
        limit = MAX_CHILD_SITEMAPS if kind == "sitemapindex" else MAX_SITEMAP_URLS
        if len(recent) > limit:
            what = "sitemaps" if kind == "sitemapindex" else "adresses"
            self.results[source.id].warnings.append(
                f"{response.url} : {len(recent)} {what}, seuls les {limit} plus récents sont lus"
            )
            recent = newest(recent, limit)
        if kind == "sitemapindex":
            if depth >= MAX_SITEMAP_DEPTH:
                self.results[source.id].warnings.append("index de sitemaps trop profond : ignoré")
                return
            for loc, _ in recent:
                url = http_url(loc, response.url)
                if not url:  # file:, data:…, or no address at all: never fetched
                    written = loc.strip().lower().startswith(("http://", "https://"))
                    why = "adresse mal écrite" if written else "ni http ni https"
                    self.results[source.id].warnings.append(
                        f"entrée de sitemap ignorée ({why}) : {loc[:100]}"
                    )
                    continue
                if self.sitemaps_asked[source.id] >= MAX_CHILD_SITEMAPS:  # indexes of indexes
                    self.results[source.id].warnings.append(
                        f"{response.url} : plus de {MAX_CHILD_SITEMAPS} sitemaps pour cette "
                        "source, les autres sont ignorés"
                    )
                    return
                self.sitemaps_asked[source.id] += 1
                yield self.request(source, url, self.parse_sitemap, role="sitemap", depth=depth + 1)
            return
        dates: dict[str, datetime | None] = {}
        for url, date in recent:
            link = canonical_url(url, response.url)
            if link:
                dates.setdefault(link, date)
        found = FrontierLinks(
            source.id, list(dates), self.requested_url(response), self.validators_of(response)
        )
        stored = self.expect(found)
        yield found
        if not await stored:
            return
        for request in self.fetch_frontier(source, only=found.kept):
            request.meta["sitemap_date"] = dates.get(request.url)
            yield request
