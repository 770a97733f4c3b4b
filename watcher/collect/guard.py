"""The address guard: where a crawl may connect, decided once per host and kept to.

- Only `http://` and `https://` URLs are fetched. Any other scheme (`file:`, `data:`, `ftp:`…)
  is refused here, whatever brought the URL (sources.yml, a discovered feed, a followed link, a
  sitemap entry, a redirect), and Scrapy's handlers for those schemes are switched off
  (`watcher.collect.crawl.scrapy_settings`).
- A public address may be fetched for any source. A private or local one (127.0.0.1, 10.x,
  192.168.x, ::1…) only for a source that says `allow_private: true`, and only at the origin
  (scheme + host + port) of its own `url` or at one it lists in `private_origins`: a redirect, a
  discovered feed, a followed link or a sitemap entry to any other private address is refused.
  A site's robots.txt is fetched at a private origin only if some source may reach it.
- Link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254…, however
  spelled: IPv4-mapped, 6to4, NAT64…) are refused always, even with `allow_private: true`.
- Each host name is looked up once per crawl (`CheckedAddresses`); the guard decides on those
  addresses, and the name resolver installed in the crawl's reactor (`PinnedResolver`) gives
  Scrapy's connections exactly those addresses, and none for a name the guard has not checked.
  An answer that changes between the check and the connection (DNS rebinding) is never used.

What is left: through an HTTP proxy (`http_proxy`/`https_proxy` in the environment, which
Scrapy honours) the proxy resolves the name itself, so the pinning cannot apply, and a name
the crawl's machine cannot resolve passes the guard and is left to the proxy; and a name is
kept to its first answer for the whole crawl, whatever the DNS record's lifetime.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import HostResolution
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver
from zope.interface import implementer

from watcher.urls import (
    host_key,
    http_url,
    is_always_refused,
    is_public_address,
    literal_address,
    origin_of,
    resolve_addresses,
)

PRIVATE_ORIGINS = "WATCHER_PRIVATE_ORIGINS"  # setting: {source id: [origins it may reach]}
# The longest address asked (Scrapy's URLLENGTH_LIMIT). Refused here, with its source told:
# Scrapy's UrlLengthMiddleware, switched off, dropped such a request without a word, and its
# source waited for it until the crawl ended (« collecte interrompue avant la fin »).
MAX_URL_LENGTH = 2083


class BlockedAddress(IgnoreRequest):
    """The request was refused by the guard; the message says why, for a learner."""


def _shown(url: str) -> str:
    return url if len(url) <= 100 else url[:99] + "…"


def refusal(url: str, addresses: Sequence[str], allowed: Collection[str]) -> str | None:
    """Why a request to `url`, whose host was resolved to `addresses`, must not be made (a
    sentence for the learner), or None. `allowed`: the private origins the source may reach.

    A host that could not be resolved (no addresses) passes: nothing can connect to it, and the
    download fails with "nom de domaine introuvable"."""
    if len(url) > MAX_URL_LENGTH:
        return (
            f"adresse trop longue ({len(url)} caractères, au plus {MAX_URL_LENGTH}) : Watcher "
            f"ne la demande pas ({_shown(url)})"
        )
    if not http_url(url):
        return (
            "adresse refusée : Watcher ne collecte que les adresses http:// et https:// "
            f"({_shown(url)})"
        )
    host = urlsplit(url).hostname or ""
    for address in addresses:
        if is_always_refused(address):
            return (
                "adresse refusée dans tous les cas, même avec allow_private (réseau local de "
                f"la machine ou service de métadonnées d'un cloud) : {host} ({address})"
            )
    if all(is_public_address(address) for address in addresses):
        return None
    origin = origin_of(url)
    if origin in allowed:
        return None
    if not allowed:
        return (
            f"adresse privée ou locale refusée : {origin} — ajoutez allow_private: true si "
            "cette source est à vous"
        )
    return (
        f"adresse privée ou locale refusée : {origin} n'est pas une origine permise à cette "
        f"source ({', '.join(sorted(allowed))}) — si elle est à vous aussi, ajoutez-la à "
        "private_origins"
    )


class CheckedAddresses:
    """Host name → the addresses it resolved to, looked up once per crawl process. The guard
    decides on them; `PinnedResolver` hands exactly them to the connections."""

    _shared: ClassVar[CheckedAddresses | None] = None

    def __init__(
        self, lookup: Callable[[str], list[str]] = resolve_addresses, timeout: float = 20.0
    ) -> None:
        self.lookup = lookup
        self.timeout = timeout
        self.known: dict[str, tuple[str, ...]] = {}
        self._pending: dict[str, asyncio.Future[tuple[str, ...]]] = {}

    @classmethod
    def shared(cls, timeout: float) -> CheckedAddresses:
        """The one of this process (a crawl runs in a process of its own)."""
        if cls._shared is None:
            cls._shared = cls(timeout=timeout)
        return cls._shared

    def pinned(self, host: str) -> tuple[str, ...]:
        """The addresses checked for `host`, () if it was never checked (or not resolved)."""
        return self.known.get(host_key(host), ())

    async def resolve(self, host: str) -> tuple[str, ...]:
        """The host's addresses: looked up (in a thread) the first time only; () when it cannot
        be resolved now, which is not remembered, so that a retry looks it up again."""
        key = host_key(host)
        if key in self.known:
            return self.known[key]
        literal = literal_address(key)
        if literal:
            self.known[key] = (literal,)
            return self.known[key]
        if key in self._pending:  # another request is looking it up: wait for its answer
            return await asyncio.shield(self._pending[key])
        loop = asyncio.get_running_loop()
        waiting: asyncio.Future[tuple[str, ...]] = loop.create_future()
        self._pending[key] = waiting
        addresses: tuple[str, ...] = ()
        try:
            found = loop.run_in_executor(None, self.lookup, key)
            addresses = tuple(await asyncio.wait_for(found, self.timeout))
        except (OSError, UnicodeError, TimeoutError):
            addresses = ()
        finally:
            del self._pending[key]
            if addresses:
                self.known[key] = addresses
            waiting.set_result(addresses)
        return addresses


@implementer(IHostnameResolver)
class PinnedResolver:
    """The crawl's name resolver (Scrapy's TWISTED_DNS_RESOLVER): it answers with the addresses
    the guard checked for the name, and with none (a DNS error) for a name never checked.

    The one exception is the HTTP proxies set in the environment (`http_proxy`…, which Scrapy
    uses): chosen by whoever runs Watcher, not by a page, their names are looked up as usual."""

    def __init__(
        self, reactor: Any, addresses: CheckedAddresses, proxies: Collection[str] = ()
    ) -> None:
        self.reactor = reactor
        self.addresses = addresses
        self.proxies = frozenset(host_key(host) for host in proxies)
        self.system: Any = None  # the reactor's own resolver, for the proxies' names

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PinnedResolver:
        addresses = CheckedAddresses.shared(crawler.settings.getfloat("DNS_TIMEOUT"))
        proxies = [urlsplit(url).hostname or "" for url in getproxies().values()]
        return cls(reactor, addresses, [host for host in proxies if host])

    def install_on_reactor(self) -> None:
        self.system = self.reactor.installNameResolver(self)

    def resolveHostName(  # Twisted's IHostnameResolver, names included
        self,
        resolutionReceiver: Any,  # an IResolutionReceiver (zope interfaces do not type-check)
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[Any]] | None = None,
        transportSemantics: str = "TCP",
    ) -> Any:
        if self.system is not None and host_key(hostName) in self.proxies:
            return self.system.resolveHostName(
                resolutionReceiver, hostName, portNumber, addressTypes, transportSemantics
            )
        resolution = HostResolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)
        for address in self.addresses.pinned(hostName):
            kind = IPv6Address if ipaddress.ip_address(address).version == 6 else IPv4Address
            if addressTypes is None or kind in addressTypes:
                resolutionReceiver.addressResolved(kind("TCP", address, portNumber))
        resolutionReceiver.resolutionComplete()
        return resolution


class AddressGuardMiddleware:
    """Checks every request of the crawl (redirects and robots.txt included) before it is
    downloaded; see the module's docstring for the rules."""

    def __init__(self, origins: Mapping[str, Collection[str]], addresses: CheckedAddresses) -> None:
        self.origins = {source: frozenset(allowed) for source, allowed in origins.items()}
        self.any_origin = frozenset(o for allowed in self.origins.values() for o in allowed)
        self.addresses = addresses

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        origins = crawler.settings.getdict(PRIVATE_ORIGINS)
        timeout = crawler.settings.getfloat("DNS_TIMEOUT")
        return cls(origins, CheckedAddresses.shared(timeout))

    async def process_request(self, request: Request) -> None:
        url = request.url
        addresses: tuple[str, ...] = ()
        if http_url(url):
            addresses = await self.addresses.resolve(urlsplit(url).hostname or "")
        if "source_id" in request.meta:  # a source's request (or a redirect of one)
            allowed = self.origins.get(str(request.meta["source_id"]), frozenset())
        else:  # robots.txt: of an origin some source may reach
            allowed = self.any_origin
        reason = refusal(url, addresses, allowed)
        if reason:
            raise BlockedAddress(reason)


class CheckedRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, but a `Location` that is no address is left unfollowed: empty (Scrapy
    asked the same address again, up to « trop de redirections »), or one Scrapy cannot ask
    (« javascript:… », a port over 65535, an unclosed IPv6 bracket: its ValueError reached the
    learner as « erreur inattendue (ValueError: …) »). The 3xx answer then fails its source, in
    words (`spiders.base.describe_failure`)."""

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
            if not (response.headers.get("Location") or b"").strip():
                return response
            try:
                return super().process_response(request, response)
            except ValueError:
                return response
        return super().process_response(request, response)
