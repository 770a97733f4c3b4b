"""The address guard's decisions and its pinned name resolution, on real Scrapy requests and
Twisted's resolver interfaces (no connection made: only 127.0.0.0/8 and ::1 are ever looked
at as live addresses). The crawl path is in test_crawl_guard.py."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy import Request
from twisted.internet.address import IPv4Address, IPv6Address

from watcher.collect.guard import (
    AddressGuardMiddleware,
    BlockedAddress,
    CheckedAddresses,
    PinnedResolver,
    refusal,
)

OWN = "http://127.0.0.1:18081"


def lookup_table(table: dict[str, list[str]]) -> Any:
    """A name look-up answering from `table` (OSError for any other name), counting calls."""

    def lookup(host: str) -> list[str]:
        lookup.calls.append(host)  # type: ignore[attr-defined]
        if host not in table:
            raise OSError("unknown name")
        return table[host]

    lookup.calls = []  # type: ignore[attr-defined]
    return lookup


def guard(table: dict[str, list[str]] | None = None, **origins: list[str]) -> Any:
    names = {"localhost": ["127.0.0.1", "::1"], **(table or {})}
    return AddressGuardMiddleware(origins, CheckedAddresses(lookup_table(names)))


def check(middleware: AddressGuardMiddleware, url: str, source: str | None = "presse") -> None:
    meta = {"source_id": source} if source else {"dont_obey_robotstxt": True}
    asyncio.run(middleware.process_request(Request(url, meta=meta)))


# --- hole 1: schemes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "data:application/rss+xml,<rss/>",
        "ftp://127.0.0.1/flux.xml",
        "s3://bucket/flux.xml",
        "gopher://127.0.0.1:70/",
    ],
)
def test_only_http_and_https_pass_even_for_an_allowed_source(url: str) -> None:
    # today's guard let any URL through whose host it could not resolve (file:///… has none)
    with pytest.raises(BlockedAddress, match="que les adresses http:// et https://"):
        check(guard(presse=[OWN]), url)


# --- hole 2: private addresses only at the source's own origins ------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/feed.xml",
        "http://localhost/feed.xml",
        "http://10.1.2.3/",
        "http://192.168.1.10/",
        "http://[::1]/",
        "http://100.100.100.0/",
        "http://[2002:7f00:1::]/",  # 6to4 spelling of 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 spelling of 10.0.0.1
    ],
)
def test_private_addresses_are_refused_to_a_source_without_allow_private(url: str) -> None:
    with pytest.raises(BlockedAddress, match="ajoutez allow_private: true"):
        check(guard(), url)


def test_a_public_address_passes_for_any_source() -> None:
    check(guard({"example.org": ["93.184.216.34"]}), "https://example.org/feed.xml")
    check(guard(), "http://93.184.216.34/feed.xml")
    check(guard(), "http://[64:ff9b::5db8:d822]/feed.xml")  # DNS64: a public IPv4 site


@pytest.mark.parametrize(
    "url",
    [
        OWN + "/feed.xml",
        "HTTP://127.0.0.1:18081/autre/chemin?x=1",
    ],
)
def test_an_allowed_source_reaches_its_own_origin(url: str) -> None:
    check(guard(presse=[OWN]), url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:18082/feed.xml",  # another port
        "https://127.0.0.1:18081/feed.xml",  # another scheme
        "http://127.0.0.2:18081/feed.xml",  # another host
        "http://localhost:18081/feed.xml",  # the same address by another name
        "http://10.0.0.1/",
    ],
)
def test_an_allowed_source_is_refused_any_other_private_origin(url: str) -> None:
    with pytest.raises(BlockedAddress, match="n'est pas une origine permise"):
        check(guard(presse=[OWN]), url)
    check(guard(presse=[OWN, url.rsplit("/", 1)[0]]), url)  # unless it lists it


def test_an_origin_allowed_to_one_source_is_refused_to_another() -> None:
    middleware = guard(presse=[OWN])
    with pytest.raises(BlockedAddress, match="ajoutez allow_private"):
        check(middleware, OWN + "/feed.xml", source="autre")


def test_robots_txt_of_a_private_origin_only_when_a_source_may_reach_it() -> None:
    middleware = guard(presse=[OWN])
    check(middleware, OWN + "/robots.txt", source=None)
    with pytest.raises(BlockedAddress):
        check(middleware, "http://127.0.0.1:18082/robots.txt", source=None)
    with pytest.raises(BlockedAddress):
        check(guard(), OWN + "/robots.txt", source=None)


# --- metadata and link-local addresses: refused always ----------------------------------------

METADATA = [
    "169.254.169.254",
    "169.254.0.1",
    "fe80::1",
    "fd00:ec2::254",
    "100.100.100.200",
    "192.0.0.192",
    "::ffff:169.254.169.254",  # IPv4-mapped
    "::ffff:0:a9fe:a9fe",  # IPv4-translated (SIIT)
    "::a9fe:a9fe",  # IPv4-compatible
    "2002:a9fe:a9fe::",  # 6to4
    "2002:a9fe:a9fe:1234:5678::1",
    "64:ff9b::a9fe:a9fe",  # NAT64, well-known prefix
    "64:ff9b::169.254.169.254",
    "64:ff9b:1:a9fe:a9:fe00::",  # NAT64, local-use prefix, /48 layout
    "64:ff9b:1::a9fe:a9fe",  # NAT64, local-use prefix, /96 layout
    "2001:0:4136:e378:8000:63bf:5601:5601",  # Teredo (client 169.254.169.254, obfuscated)
    "2001:db8::5efe:a9fe:a9fe",  # ISATAP
]


@pytest.mark.parametrize("address", METADATA)
def test_metadata_and_link_local_addresses_are_refused_even_when_listed(address: str) -> None:
    reason = refusal("http://metadata.example/latest/", [address], ["http://metadata.example"])
    assert reason is not None and "refusée dans tous les cas" in reason


@pytest.mark.parametrize("address", METADATA)
def test_a_name_resolving_to_a_metadata_address_is_refused(address: str) -> None:
    table = {"metadata.example": ["127.0.0.1", address]}
    with pytest.raises(BlockedAddress, match="refusée dans tous les cas"):
        check(guard(table, presse=["http://metadata.example"]), "http://metadata.example/")


def test_a_name_with_a_public_and_a_private_address_is_private() -> None:
    table = {"mixed.example": ["93.184.216.34", "10.0.0.1"]}
    with pytest.raises(BlockedAddress, match="ajoutez allow_private"):
        check(guard(table), "http://mixed.example/")


def test_a_name_that_cannot_be_resolved_passes_with_nothing_pinned() -> None:
    # nothing to connect to: the download fails with "nom de domaine introuvable"
    addresses = CheckedAddresses(lookup_table({}))
    middleware = AddressGuardMiddleware({}, addresses)
    asyncio.run(middleware.process_request(Request("https://nowhere.example/", meta={})))
    assert addresses.pinned("nowhere.example") == ()


# --- each name looked up once; the resolver hands out what was checked --------------------


class Receiver:
    """An IResolutionReceiver that keeps what it is told."""

    def __init__(self) -> None:
        self.addresses: list[Any] = []
        self.began = self.complete = False

    def resolutionBegan(self, resolution: Any) -> None:
        self.began = True

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.complete = True


def resolve(resolver: PinnedResolver, host: str, port: int = 443) -> list[Any]:
    receiver = Receiver()
    resolver.resolveHostName(receiver, host, portNumber=port)
    assert receiver.began and receiver.complete
    return receiver.addresses


def test_a_name_is_looked_up_once_and_the_resolver_answers_what_the_guard_checked() -> None:
    table = {"site.example": ["93.184.216.34", "2606:4700::1"]}
    lookup = lookup_table(table)
    addresses = CheckedAddresses(lookup)
    middleware = AddressGuardMiddleware({}, addresses)
    resolver = PinnedResolver(reactor=None, addresses=addresses)
    assert resolve(resolver, "site.example") == []  # not checked yet: nothing to connect to

    async def two_requests_at_once() -> None:
        await asyncio.gather(
            middleware.process_request(Request("https://site.example/a", meta={})),
            middleware.process_request(Request("https://Site.Example./b", meta={})),
        )

    asyncio.run(two_requests_at_once())
    table["site.example"] = ["127.0.0.1"]  # what a rebinding DNS would answer now
    check(middleware, "https://site.example/c")  # still the checked public addresses
    assert lookup.calls == ["site.example"]
    assert resolve(resolver, "SITE.example.", port=8443) == [
        IPv4Address("TCP", "93.184.216.34", 8443),
        IPv6Address("TCP", "2606:4700::1", 8443),
    ]
    assert resolve(resolver, "other.example") == []


def test_a_failed_look_up_is_asked_again_by_the_next_request() -> None:
    table: dict[str, list[str]] = {}
    lookup = lookup_table(table)
    middleware = AddressGuardMiddleware({}, CheckedAddresses(lookup))
    check(middleware, "https://late.example/")
    table["late.example"] = ["93.184.216.34"]
    check(middleware, "https://late.example/")
    check(middleware, "https://late.example/")
    assert lookup.calls == ["late.example", "late.example"]


def test_address_literals_are_pinned_without_a_look_up() -> None:
    lookup = lookup_table({})
    addresses = CheckedAddresses(lookup)
    check(
        AddressGuardMiddleware({"presse": ["http://[::1]:8080"]}, addresses), "http://[::1]:8080/"
    )
    resolver = PinnedResolver(reactor=None, addresses=addresses)
    assert resolve(resolver, "::1", port=8080) == [IPv6Address("TCP", "::1", 8080)]
    assert lookup.calls == []
