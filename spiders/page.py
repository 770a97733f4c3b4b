"""Page sources: a listing page → its article links (a `follow` selector, or recognised by
watcher.collect.listing) → article pages → main text.

Article URLs found on a listing are yielded with the listing's validators (`FrontierLinks`): the
pipeline writes them to the store's frontier in one transaction, and once they are there (the
callback awaits it) the articles are requested. Each article (`ArticlePage`) leaves the frontier
in the transaction that stores it. A crawl killed half-way resumes from the frontier: nothing is
lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response

from spiders.base import SourcesSpider
from watcher.collect.items import ArticleFailed, ArticleNotModified, ArticlePage, FrontierLinks
from watcher.config import Source
from watcher.model import ListingSeen

# watcher.collect.extract (trafilatura…) is imported on the first page that needs parsing: a
# run whose answers are all 304s never pays for it.

MAX_LISTING_LINKS = 1000  # article links followed from one listing page (a listing has tens)
# Articles one source fetches in one crawl (sitemaps, listings and the frontier together); the
# others stay in the store's frontier for the next crawls.
MAX_ARTICLES_PER_CRAWL = 1000


def no_article_found(source: Source, url: str) -> str:
    """Why a `page` source without `follow` failed: no link of its listing looks like an
    article's. Says which source, and what to write."""
    return (
        f"aucun lien d'article reconnu sur {url} : Watcher ne trouve pas seul les articles de "
        f"cette page. Indiquez-les à la source « {source.id} » de sources.yml par un sélecteur "
        'follow, par exemple follow: "h2 a" (le lien du titre de chaque article ; clic droit '
        "sur un titre, « Inspecter », pour voir sa balise)"
    )


class PageMixin(SourcesSpider):
    def start_page(self, source: Source) -> Iterator[Any]:
        yield from self.fetch_frontier(source)
        yield self.request(source, source.url, self.parse_listing, role="source", depth=1)

    def fetch_frontier(self, source: Source, only: list[str] | None = None) -> Iterator[Request]:
        """Requests for the source's frontier URLs (those it had when the crawl started, or
        `only`), each article once per crawl."""
        wanted = self.frontier.get(source.id, []) if only is None else only
        scheduled: set[str] = self.scheduled_articles.setdefault(source.id, set())
        for url in wanted:
            if url in scheduled:
                continue
            if len(scheduled) >= MAX_ARTICLES_PER_CRAWL:
                warning = (
                    f"plus de {MAX_ARTICLES_PER_CRAWL} articles à lire : les autres restent en "
                    "attente pour les prochaines collectes"
                )
                if warning not in self.results[source.id].warnings:
                    self.results[source.id].warnings.append(warning)
                return
            scheduled.add(url)
            yield self.request(source, url, self.parse_article, role="article")

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        source = self.sources[response.meta["source_id"]]
        if response.status == 304:
            self.results[source.id].not_modified = True
            return
        from watcher.collect.extract import listing_links, next_page
        from watcher.collect.listing import article_links, next_page_link

        depth = int(response.meta.get("depth", 1))
        if source.follow:
            links = listing_links(response.text, response.url, source.follow)
        else:  # no selector: the listing's article links are recognised (watcher.collect.listing)
            detected = article_links(response.text, response.url)
            links = detected.urls
            # told to the learner once, and again when it changes (watcher.collect.crawl)
            self.results[source.id].listings.append(
                ListingSeen(response.url, len(links), detected.block, detected.reason)
            )
            if not links and depth == 1:
                self.fail(source, no_article_found(source, response.url))
                return
        if len(links) > MAX_LISTING_LINKS:
            self.results[source.id].warnings.append(
                f"{response.url} : {len(links)} liens d'articles, seuls les "
                f"{MAX_LISTING_LINKS} premiers sont suivis (un sélecteur follow plus précis ?)"
            )
            links = links[:MAX_LISTING_LINKS]
        if not links and source.follow:
            self.results[source.id].warnings.append(
                f"aucun lien d'article trouvé sur {response.url} avec le sélecteur "
                f"« {source.follow} » : vérifiez-le dans le navigateur"
            )
        elif not links:  # a next page without article links
            self.results[source.id].warnings.append(
                f"aucun lien d'article reconnu sur {response.url} (page {depth})"
            )
        found = FrontierLinks(
            source.id, links, self.requested_url(response), self.validators_of(response)
        )
        stored = self.expect(found)
        yield found
        if not await stored:
            return
        for request in self.fetch_frontier(source, only=found.kept):
            yield request
        if depth < source.depth:
            if source.next:
                following = next_page(response.text, response.url, source.next)
            else:  # rel="next", « Page suivante »…
                following = next_page_link(response.text, response.url)
            if following and following != response.url:
                yield self.request(
                    source, following, self.parse_listing, role="source", depth=depth + 1
                )

    def parse_article(self, response: Response) -> Iterator[Any]:
        source = self.sources[response.meta["source_id"]]
        frontier_url = self.requested_url(response)
        if response.status == 304:
            self.results[source.id].unchanged += 1
            yield ArticleNotModified(source.id, frontier_url)
            return
        from watcher.collect.extract import extract_article

        entry = extract_article(
            response.text,
            response.url,
            title_selector=source.title,
            date_selector=source.date,
            zone=self.watch.watch.timezone,
        )
        meta_date = response.meta.get("sitemap_date")
        if entry.published is None and meta_date is not None:
            entry = entry.__class__(**{**entry.__dict__, "published": meta_date})
        for warning in entry.warnings:
            self.results[source.id].warnings.append(f"{response.url} : {warning}")
        if not entry.title and not entry.text:
            self.results[source.id].failed += 1
            yield ArticleFailed(source.id, frontier_url)
            return
        yield ArticlePage(
            source.id, self.groups_of(source), entry, frontier_url, self.validators_of(response)
        )
