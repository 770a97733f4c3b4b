"""Bookkeeping shared by the spiders: which requests of each source are still in flight,
per-source results, and failures explained in words a learner understands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from scrapy import Request, Spider
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
from watcher.collect.politeness import RetryLater
from watcher.config import Source, Watch
from watcher.model import SourceResult, Validators
from watcher.store import Store

HTTP_REASONS = {
    400: "requête refusée par le site (400)",
    401: "le site demande une authentification (401)",
    403: "accès refusé par le site (403)",
    404: "page introuvable (404) : vérifiez l'adresse",
    410: "page supprimée définitivement (410) : retirez ou remplacez la source",
    429: "le site limite le nombre de requêtes (429) : nouvel essai plus tard",
}


def describe_failure(error: BaseException, settings: dict[str, Any]) -> str:
    """A failure, in words a learner understands, with what to do."""
    if isinstance(error, HttpError):
        status = error.response.status
        if status in HTTP_REASONS:
            return HTTP_REASONS[status]
        if status >= 500:
            return f"le site est en erreur ({status}) : nouvel essai automatique plus tard"
        return f"réponse HTTP inattendue ({status})"
    if isinstance(error, RetryLater):
        seconds = f"{error.seconds:.0f}"
        return f"le site demande de patienter {seconds} s (Retry-After) : source mise en pause"
    if isinstance(error, BlockedAddress):
        return str(error)  # the guard's own words: what was refused, and what to do
    if isinstance(error, IgnoreRequest):
        text = str(error)
        if "robots.txt" in text:
            return "interdit par le robots.txt du site : Watcher ne collecte pas cette adresse"
        if "redirection" in text:
            return "trop de redirections (boucle ?) : vérifiez l'adresse"
        return f"requête abandonnée ({text})"
    if isinstance(error, DownloadCancelledError) or "maxsize" in str(error).lower():
        limit = int(settings.get("DOWNLOAD_MAXSIZE", 0)) // 10**6
        return f"réponse trop volumineuse (plus de {limit} Mo) : téléchargement interrompu"
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
            limit = int(settings.get("DOWNLOAD_MAXSIZE", 0)) // 10**6
            return f"réponse trop volumineuse (plus de {limit} Mo) : téléchargement interrompu"
        return "la connexion a été coupée pendant le téléchargement"
    return f"erreur inattendue ({error.__class__.__name__}: {str(error)[:120]})"


class SourcesSpider(Spider):
    """Bookkeeping shared by every kind of source: tracked requests, results, failures."""

    name = "sources"

    def __init__(
        self,
        watch: Watch,
        store: Store,
        source_ids: list[str],
        clock: Callable[[], datetime],
        on_event: Callable[[dict[str, Any]], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.watch = watch
        self.store = store
        self.sources = {sid: watch.source(sid) for sid in source_ids}
        self.clock = clock
        self.on_event = on_event
        self.results = {sid: SourceResult(sid) for sid in source_ids}
        self.in_flight: dict[str, int] = defaultdict(int)
        self.finished: set[str] = set()
        self.scheduled_articles: dict[str, set[str]] = {}
        # the sources' own validators, in one query: not one round-trip per start request
        self.start_urls_left = {source.url for source in self.sources.values()}
        self.start_validators = store.validators_for(self.start_urls_left)

    # --- request bookkeeping -------------------------------------------------------------

    def request(
        self,
        source: Source,
        url: str,
        callback: Callable[[Response], Iterator[Any]],
        *,
        conditional: bool = True,
        **meta: Any,
    ) -> Request:
        """A tracked request for a source, with conditional-GET headers when we have them."""
        headers = {}
        if conditional:
            if url in self.start_urls_left:  # preloaded; asked again if requested again
                self.start_urls_left.discard(url)
                known = self.start_validators.get(url)
            else:
                known = self.store.validators_for([url]).get(url)
            if known:
                headers = known.headers()
        self.in_flight[source.id] += 1
        return Request(
            url,
            callback=self._tracked(source, callback),
            errback=self._tracked_errback(source, meta.get("role", "source")),
            headers=headers,
            meta={"source_id": source.id, **meta},  # the guard knows what the source may reach
            dont_filter=True,  # we deduplicate ourselves; a filtered request would never finish
        )

    def _tracked(
        self, source: Source, callback: Callable[[Response], Iterator[Any]]
    ) -> Callable[[Response], Iterator[Any]]:
        def run(response: Response) -> Iterator[Any]:
            try:
                yield from callback(response)
            except Exception as exc:  # one bad page must never stop the run
                self.logger.exception("callback failed for %s", response.url)
                self.fail(source, f"erreur de lecture ({exc.__class__.__name__}: {exc})"[:300])
            finally:
                self._done_one(source.id)

        return run

    def _tracked_errback(self, source: Source, role: str) -> Callable[[Failure], None]:
        def run(failure: Failure) -> None:
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
                    self.store.drop_from_frontier(source.id, url)
                else:
                    self.fail(source, reason)
            finally:
                self._done_one(source.id)

        return run

    def fail(self, source: Source, reason: str) -> None:
        result = self.results[source.id]
        if not result.error:
            result.error = reason

    def _done_one(self, source_id: str) -> None:
        self.in_flight[source_id] -= 1
        if self.in_flight[source_id] <= 0:
            self._finish(source_id)

    def _finish(self, source_id: str) -> None:
        if source_id in self.finished:
            return
        self.finished.add(source_id)
        self.on_event({"event": "source_done", **self.results[source_id].to_dict()})

    # --- helpers shared by the kinds -------------------------------------------------------

    @staticmethod
    def validators_of(response: Response) -> Validators:
        return Validators.from_headers(response.headers)

    def groups_of(self, source: Source) -> tuple[str, ...]:
        return self.watch.groups_of(source)

    def count(self, source: Source, outcomes: list[str]) -> None:
        result = self.results[source.id]
        for outcome in outcomes:
            result.count(outcome)
