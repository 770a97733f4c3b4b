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
from watcher.collect.items import WatchedPage
from watcher.config import Source

# watcher.collect.watched (trafilatura, extruct…) is imported on the first page that needs
# parsing: a run whose answers are all 304s never pays for it.


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
        if not snapshot.text and snapshot.price is None:
            where = f"avec le sélecteur « {source.select} »" if source.select else ""
            self.results[source.id].warnings.append(
                f"aucun texte à suivre trouvé sur {response.url} {where}: vérifiez la page "
                "dans le navigateur".replace("  ", " ")
            )
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
