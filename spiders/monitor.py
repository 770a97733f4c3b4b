"""Monitor sources: a watched page, fetched like every other URL (guard, politeness, conditional
GET, size caps), reduced to its watched text and price (`watcher.collect.watched`) and yielded
with its validators (`WatchedPage`): the pipeline stores a new version, and its change item,
only when the page differs from its last version.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Response

from spiders.base import SourcesSpider
from watcher.changes import Snapshot
from watcher.collect.items import WatchedPage
from watcher.config import Source

# watcher.collect.watched (trafilatura, extruct…) is imported on the first page that needs
# parsing: a run whose answers are all 304s never pays for it.


def nothing_found(source: Source, url: str, snapshot: Snapshot, html: str) -> str:
    """The warning of a watched page where nothing was found: no text nor price, or no price
    where a price was looked for on a page that looks written by its scripts (then: try
    `render: browser`); "" when the page was read."""
    from watcher.collect.watched import script_written

    if snapshot.price is not None:
        return ""
    # a page whose text was found and that is asked no price may well be written on the
    # server (its <noscript>, its scripts' data…): only an empty app root says it is not
    empty_only = bool(snapshot.text) and not source.price
    clue = "" if source.render == "browser" else script_written(html, empty_only=empty_only)
    hint = (
        f"la page semble écrite par JavaScript ({clue}) : essayez « render: browser » pour "
        f"la source « {source.id} » dans sources.yml"
    )
    if not snapshot.text:
        where = f" avec le sélecteur « {source.select} »" if source.select else ""
        return f"aucun texte à suivre trouvé sur {url}{where} : " + (
            hint if clue else "vérifiez la page dans le navigateur"
        )
    if not clue:
        return "" if source.price else _price_hint(source, url, html)
    if source.price:
        return f"aucun prix trouvé sur {url} avec le sélecteur de prix « {source.price} » : {hint}"
    return f"le texte suivi sur {url} n'est peut-être pas celui que la page affiche : {hint}"


def _price_hint(source: Source, url: str, html: str) -> str:
    """The warning of a watched page declared without `price:` whose schema.org data gives no
    price while the page shows one: which price, where, and the `price:` to add; "" when the
    page shows no price (an article, terms of sale)."""
    from watcher.collect.watched import shown_price

    shown = shown_price(html, url)
    if shown is None:
        return ""
    selector, written = shown
    return (
        f"aucun prix dans les données schema.org de {url}, mais la page affiche « {written} » "
        f'(« {selector} ») : pour suivre ce prix, ajoutez « price: "{selector}" » à la '
        f"source « {source.id} » dans sources.yml"
    )


class MonitorMixin(SourcesSpider):
    def start_monitor(self, source: Source) -> Iterator[Any]:
        # a page rendered in the browser is asked in full: its scripts' data may have changed
        # while the document did not (a 304 would hide it)
        yield self.request(
            source,
            source.url,
            self.parse_monitored,
            role="source",
            conditional=source.render != "browser",
        )

    async def parse_monitored(self, response: Response) -> AsyncIterator[Any]:
        source = self.sources[response.meta["source_id"]]
        if response.status == 304:
            self.results[source.id].not_modified = True
            return
        moved = [s for s in response.meta.get("redirect_reasons", ()) if s in (301, 308)]
        if moved:  # still read (no change is lost), but the group should watch the new address
            self.results[source.id].warnings.append(
                f"page déplacée définitivement ({moved[0]}) vers {response.url} : mettez son "
                "adresse à jour dans sources.yml"
            )
        from watcher.collect.watched import snapshot_of

        html = response.text
        if source.render == "browser":  # the page's scripts write what is watched
            from watcher.collect.browser import BrowserUnavailable, rendered_html

            try:
                html = await rendered_html(
                    html,
                    response.url,
                    timeout=float(self.settings.get("DOWNLOAD_TIMEOUT", 30)),
                    # the browser may connect to the address the crawl checked and used only
                    # (through a proxy that address is the proxy's: the page's name then)
                    addresses=[str(response.ip_address)]
                    if response.ip_address and not response.meta.get("proxy")
                    else [],
                )
            except BrowserUnavailable as exc:
                self.fail(source, str(exc))
                return
        snapshot = snapshot_of(
            html,
            response.url,
            select=source.select,
            ignore=source.ignore,
            price=source.price,
        )
        warning = nothing_found(source, response.url, snapshot, html)
        if warning:
            self.results[source.id].warnings.append(warning)
        yield WatchedPage(
            source.id,
            self.groups_of(source),
            snapshot,
            self.requested_url(response),
            self.validators_of(response),
            page=source.label,
            trigger=source.trigger,
            language=self.watch.watch.language,
        )
