"""Bookkeeping shared by the spiders: which requests of each source are still in flight,
per-source results, and failures explained in words a learner understands."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Collection, Iterator
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from watcher.collect.guard import BlockedAddress
from watcher.collect.items import ArticleFailed, ArticlePage, CrawlItem, FeedEntries, WatchedPage
from watcher.collect.politeness import CONDITIONAL, RetryLater
from watcher.config import Source, Watch
from watcher.model import SourceResult, Validators

# A callback: a generator of requests and items, or an async one (it may await the pipeline).
Callback = Callable[[Response], Iterator[Any] | AsyncIterator[Any]]

HTTP_REASONS = {
    400: "requête refusée par le site (400)",
    401: "le site demande une authentification (401)",
    403: "accès refusé par le site (403)",
    404: "page introuvable (404) : vérifiez l'adresse",
    410: "page supprimée définitivement (410) : retirez ou remplacez la source",
    429: "le site limite le nombre de requêtes (429) : nouvel essai plus tard",
}


def too_big(settings: Any, *, decompressed: bool = False) -> str:
    """A body over the crawl's `max_size` (DOWNLOAD_MAXSIZE), in words a learner understands;
    `decompressed`: small on the wire, too big once unpacked (gzip, deflate, brotli…)."""
    limit = int(settings.get("DOWNLOAD_MAXSIZE", 0)) // 10**6
    when = " une fois décompressée" if decompressed else ""
    return f"réponse trop volumineuse{when} (plus de {limit} Mo) : téléchargement interrompu"


def _unfollowed_redirect(response: Response) -> str:
    """Why a redirect was not followed: Scrapy follows one to http(s) only (and the guard
    checks where it goes), so its target is of another scheme (file:, ftp:, gopher:…) or
    missing."""
    status = response.status
    location = (response.headers.get("Location") or b"").decode("latin-1").strip()
    if not location:
        return f"redirection ({status}) sans adresse de destination : vérifiez l'adresse"
    try:
        target = urljoin(response.url, location)
        parts = urlsplit(target)
        well_written = parts.scheme.lower() not in ("http", "https") or (
            bool(parts.hostname) and parts.port != 0
        )
    except ValueError:  # a port over 65535, an unclosed « [ »
        target, well_written = location, False
    shown = target if len(target) <= 100 else target[:99] + "…"
    if not well_written:
        return (
            f"redirection ({status}) vers une adresse mal écrite ({shown}) : le site renvoie "
            "vers une adresse invalide ; ouvrez l'adresse de la source dans un navigateur et "
            "corrigez-la"
        )
    return (
        f"redirection ({status}) refusée : Watcher ne collecte que les adresses http:// et "
        f"https:// ({shown})"
    )


def http_status(error: BaseException) -> int | None:
    """The HTTP status of a failure that was a server's answer (404, 410, 503…), else None:
    what the store keeps beside the failure's words (a page gone is told by it)."""
    return error.response.status if isinstance(error, HttpError) else None


def describe_failure(error: BaseException, settings: dict[str, Any]) -> str:
    """A failure, in words a learner understands, with what to do."""
    if isinstance(error, HttpError):
        status = error.response.status
        if status in HTTP_REASONS:
            return HTTP_REASONS[status]
        if status >= 500:
            return f"le site est en erreur ({status}) : nouvel essai automatique plus tard"
        if 300 <= status < 400:  # a redirect Scrapy did not follow
            return _unfollowed_redirect(error.response)
        return (
            f"réponse HTTP inattendue ({status}) : ouvrez l'adresse dans un navigateur pour voir "
            "ce que le site répond"
        )
    if isinstance(error, RetryLater):
        seconds = f"{error.seconds:.0f}"
        return f"le site demande de patienter {seconds} s (Retry-After) : source mise en pause"
    if isinstance(error, BlockedAddress):
        return str(error)  # the guard's own words: what was refused, and what to do
    if isinstance(error, IgnoreRequest):
        text = str(error)
        if "decompression" in text:  # Scrapy's HttpCompressionMiddleware: DOWNLOAD_MAXSIZE
            return too_big(settings, decompressed=True)
        if "robots.txt" in text:
            return "interdit par le robots.txt du site : Watcher ne collecte pas cette adresse"
        if "redirection" in text:
            return "trop de redirections (boucle ?) : vérifiez l'adresse"
        return f"requête abandonnée ({text})"
    if isinstance(error, DownloadCancelledError) or "maxsize" in str(error).lower():
        return too_big(settings)
    if isinstance(error, DownloadTimeoutError | TimeoutError | TCPTimedOutError):
        seconds = settings.get("DOWNLOAD_TIMEOUT", "?")
        return f"le site ne répond pas (délai de {seconds} s dépassé)"
    if isinstance(error, CannotResolveHostError | DNSLookupError):
        return "nom de domaine introuvable : vérifiez l'adresse"
    if isinstance(error, DownloadConnectionRefusedError | ConnectionRefusedError):
        return "connexion refusée : le site est peut-être hors service"
    if isinstance(
        error,
        DownloadFailedError
        | ResponseDataLossError
        | ResponseFailed
        | ResponseNeverReceived
        | ConnectionLost,
    ):
        text = str(error)
        if "maxsize" in text.lower() or "cancel" in text.lower():
            return too_big(settings)
        return "la connexion a été coupée pendant le téléchargement"
    return f"erreur inattendue ({error.__class__.__name__}: {str(error)[:120]})"


class SourcesSpider(Spider):
    """Bookkeeping shared by every kind of source: tracked requests, results, failures.

    A source is done when none of its requests is in flight and every item it yielded has been
    through the item pipeline (`watcher.collect.pipeline`, which stores it): only then is its
    result reported (`source_done`), with the outcomes the pipeline gave."""

    name = "sources"

    def __init__(
        self,
        watch: Watch,
        source_ids: list[str],
        on_event: Callable[[dict[str, Any]], None],
        frontier: dict[str, list[str]] | None = None,
        in_full: Collection[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.watch = watch
        by_id = {s.id: s for s in watch.sources}
        self.sources = {sid: by_id[sid] for sid in source_ids}
        self.frontier = frontier or {}  # each source's frontier URLs when the crawl started
        # sources whose pages are all asked without validators: a group joined them
        self.in_full = frozenset(in_full)
        self.on_event = on_event
        self.results = {sid: SourceResult(sid) for sid in source_ids}
        self.in_flight: dict[str, int] = defaultdict(int)  # requests and items of each source
        self.finished: set[str] = set()
        self.scheduled_articles: dict[str, set[str]] = {}
        self.sitemaps_asked: dict[str, int] = defaultdict(int)  # an index's sitemaps, per source
        self.sitemaps_failed: dict[str, int] = defaultdict(int)  # those that could not be read
        self.verdicts: dict[int, asyncio.Future[bool]] = {}  # by id() of the item awaited
        # what the spider starts with, by source: the conditional-GET middleware reads their
        # validators in one query (watcher.collect.politeness.ConditionalGetMiddleware)
        self.start_keys = [
            *((source.id, source.url) for source in self.sources.values()),
            *((sid, url) for sid, urls in self.frontier.items() for url in urls),
        ]
        self.start_urls = [url for _, url in self.start_keys]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.item_stored, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_not_stored, signal=signals.item_error)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        return spider

    # --- request bookkeeping -------------------------------------------------------------

    def request(
        self,
        source: Source,
        url: str,
        callback: Callback,
        *,
        conditional: bool = True,
        **meta: Any,
    ) -> Request:
        """A tracked request for a source; `conditional`: with the validators the store kept
        for the URL (ConditionalGetMiddleware), unless the source is asked for in full."""
        self.in_flight[source.id] += 1
        conditional = conditional and source.id not in self.in_full
        return Request(
            url,
            callback=self._tracked(source, callback),
            errback=self._tracked_errback(source, meta.get("role", "source")),
            # the guard knows what the source may reach
            meta={"source_id": source.id, CONDITIONAL: conditional, **meta},
            dont_filter=True,  # we deduplicate ourselves; a filtered request would never finish
        )

    def _tracked(self, source: Source, callback: Callback) -> Callback:
        """The callback, counted in flight until it is done; the items it yields count until
        the pipeline has stored them. A failure is the source's, never the run's."""
        if inspect.isasyncgenfunction(callback):

            async def run_async(response: Response) -> AsyncIterator[Any]:
                with self._answering(source, response):
                    async for output in callback(response):
                        yield self._in_flight(source, output)

            return run_async

        def run(response: Response) -> Iterator[Any]:
            with self._answering(source, response):
                for output in callback(response):  # type: ignore[union-attr]
                    yield self._in_flight(source, output)

        return run

    @contextlib.contextmanager
    def _answering(self, source: Source, response: Response) -> Iterator[None]:
        try:
            yield
        except Exception as exc:  # one bad page must never stop the run
            self.logger.error("callback failed for %s", response.url, exc_info=exc)
            self.fail(source, f"erreur de lecture ({exc.__class__.__name__}: {exc})"[:300])
        finally:
            self._done_one(source.id)

    def _in_flight(self, source: Source, output: Any) -> Any:
        if not isinstance(output, Request):
            self.in_flight[source.id] += 1  # an item: until the pipeline has stored it
        return output

    def _tracked_errback(self, source: Source, role: str) -> Callable[[Failure], Iterator[Any]]:
        def run(failure: Failure) -> Iterator[Any]:
            try:
                error = failure.value or RuntimeError("échec inconnu")
                reason = describe_failure(error, dict(self.settings))
                request = getattr(failure, "request", None)
                url = request.url if request is not None else source.url
                if isinstance(error, RetryLater):
                    result = self.results[source.id]
                    result.retry_after = max(result.retry_after or 0, error.seconds)
                if role == "article":
                    self.results[source.id].failed += 1
                    self.results[source.id].warnings.append(f"{url} : {reason}")
                    yield self._in_flight(source, ArticleFailed(source.id, url))
                elif role == "sitemap" and not isinstance(error, BlockedAddress):
                    # a sitemap of the index the site lost; one the guard refuses is the
                    # source's to fix (private_origins): it fails the source, as before
                    self.sitemap_unreadable(source, url, reason)
                else:
                    self.fail(source, reason, http_status(error))
            finally:
                self._done_one(source.id)

        return run

    def expect(self, item: CrawlItem) -> asyncio.Future[bool]:
        """What the pipeline makes of `item`, to be yielded next: True once it is stored,
        False if it could not be. An async callback awaits it to go on from what was stored."""
        verdict = asyncio.get_running_loop().create_future()
        self.verdicts[id(item)] = verdict
        return verdict

    def item_stored(self, item: CrawlItem) -> None:
        """The pipeline stored an item (signal `item_scraped`): count what it did."""
        source = self.sources[item.source_id]
        if isinstance(item, FeedEntries):
            self.count(source, item.outcomes)
        elif isinstance(item, ArticlePage):
            self.count(source, [item.outcome])
        elif isinstance(item, WatchedPage) and item.outcome == "first":
            self.results[source.id].first_version = True  # its reference: nothing to compare
        elif isinstance(item, WatchedPage):  # a change item is new; a version alone is not
            self.count(source, ["new" if item.outcome == "new" else "unchanged"])
        self._settle(item, True)
        self._done_one(source.id)

    def item_not_stored(self, item: CrawlItem, failure: Failure) -> None:
        """The pipeline could not store an item (signal `item_error`): the source failed."""
        source = self.sources[item.source_id]
        error = failure.value
        self.fail(source, f"erreur d'enregistrement ({error.__class__.__name__}: {error})"[:300])
        self._settle(item, False)
        self._done_one(source.id)

    def item_dropped(self, item: CrawlItem) -> None:
        """A component dropped an item (none does): what waits for it goes on."""
        self._settle(item, False)
        self._done_one(item.source_id)

    def _settle(self, item: CrawlItem, stored: bool) -> None:
        verdict = self.verdicts.pop(id(item), None)
        if verdict is not None and not verdict.done():
            verdict.set_result(stored)

    def fail(self, source: Source, reason: str, status: int | None = None) -> None:
        """The source failed: its first failure is the one reported (`status`: the HTTP
        status it answered, if it was an answer)."""
        result = self.results[source.id]
        if not result.error:
            result.error, result.status = reason, status

    def sitemap_unreadable(self, source: Source, url: str, reason: str) -> None:
        """One sitemap of an index could not be read (a Rank Math index still names a sitemap
        the site deleted): said in a warning, and the index's other sitemaps go on. The source
        fails only when none of its index's sitemaps could be read (`_finish`)."""
        self.sitemaps_failed[source.id] += 1
        self.results[source.id].warnings.append(
            f"{url} : {reason} — ce sitemap de l'index est ignoré, les autres sont lus"
        )

    def _done_one(self, source_id: str) -> None:
        self.in_flight[source_id] -= 1
        if self.in_flight[source_id] <= 0:
            self._finish(source_id)

    def _finish(self, source_id: str) -> None:
        if source_id in self.finished:
            return
        self.finished.add(source_id)
        asked, failed = self.sitemaps_asked[source_id], self.sitemaps_failed[source_id]
        if asked and failed >= asked and not self.results[source_id].error:
            what = (
                "le sitemap de l'index n'a pas pu être lu"
                if asked == 1
                else f"aucun des {asked} sitemaps de l'index n'a pu être lu"
            )
            self.results[source_id].error = (
                f"{what} (voir les avertissements) : ouvrez l'index dans le navigateur et "
                "vérifiez les adresses qu'il donne"
            )
        self.on_event({"event": "source_done", **self.results[source_id].to_dict()})

    # --- helpers shared by the kinds -------------------------------------------------------

    @staticmethod
    def validators_of(response: Response) -> Validators:
        return Validators.from_headers(response.headers)

    @staticmethod
    def requested_url(response: Response) -> str:
        """The URL as requested (after redirects): what its validators are kept under."""
        return response.request.url if response.request else response.url

    def groups_of(self, source: Source) -> tuple[str, ...]:
        return self.watch.groups_of(source)

    def count(self, source: Source, outcomes: list[str]) -> None:
        result = self.results[source.id]
        for outcome in outcomes:
            result.count(outcome)
