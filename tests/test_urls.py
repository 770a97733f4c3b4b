"""watcher.urls: canonical URLs and the public-address check (pure, no DNS here)."""

from __future__ import annotations

import pytest

from watcher.urls import (
    canonical_url,
    http_url,
    is_always_refused,
    is_public_address,
    is_tracking_param,
    origin_of,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # tracking parameters removed, others kept and sorted
        (
            "https://www.lemonde.fr/a.html?utm_source=rss&utm_medium=feed&utm_campaign=x",
            "https://www.lemonde.fr/a.html",
        ),
        ("https://ex.fr/a?fbclid=IwAR0abc&id=3", "https://ex.fr/a?id=3"),
        ("https://ex.fr/a?xtor=RSS-1&page=2", "https://ex.fr/a?page=2"),
        ("https://ex.fr/a?gclid=1&at_medium=2&pk_campaign=3&mtm_source=4", "https://ex.fr/a"),
        ("https://ex.fr/a?UTM_Source=x&q=1", "https://ex.fr/a?q=1"),
        ("https://ex.fr/a?b=2&a=1&c=3", "https://ex.fr/a?a=1&b=2&c=3"),
        ("https://ex.fr/a?a=2&a=1", "https://ex.fr/a?a=1&a=2"),
        # fragment removed (L'Humanité puts its tracker in the fragment)
        ("https://www.humanite.fr/x-645745#xtor=RSS-1", "https://www.humanite.fr/x-645745"),
        ("https://ex.fr/a?b=1#section", "https://ex.fr/a?b=1"),
        # host lower-cased, scheme lower-cased, trailing dot dropped
        ("HTTPS://WWW.Example.FR/Chemin", "https://www.example.fr/Chemin"),
        ("https://example.fr./a", "https://example.fr/a"),
        # default ports dropped, others kept
        ("http://ex.fr:80/a", "http://ex.fr/a"),
        ("https://ex.fr:443/a", "https://ex.fr/a"),
        ("http://ex.fr:8080/a", "http://ex.fr:8080/a"),
        ("https://ex.fr:80/a", "https://ex.fr:80/a"),
        # empty path becomes /
        ("https://ex.fr", "https://ex.fr/"),
        ("https://ex.fr?b=1", "https://ex.fr/?b=1"),
        # IPv6 hosts keep their brackets
        ("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        ("http://[::1]/a", "http://[::1]/a"),
        # a parameter without "=" keeps that form (SPIP: spip.php?article8532)
        (
            "http://www.sauvonsluniversite.fr/spip.php?article8532",
            "http://www.sauvonsluniversite.fr/spip.php?article8532",
        ),
        ("https://ex.fr/a?z&b=&a=1", "https://ex.fr/a?a=1&b=&z"),
        # empty pieces dropped
        ("https://ex.fr/a?&&b=1&", "https://ex.fr/a?b=1"),
        # encoded values stay equivalent
        ("https://ex.fr/a?q=caf%C3%A9&r=%2F", "https://ex.fr/a?q=caf%C3%A9&r=%2F"),
        # surrounding spaces are ignored
        ("  https://ex.fr/a  ", "https://ex.fr/a"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (
            "articles/un.html",
            "http://127.0.0.1:8765/flux/rss.xml",
            "http://127.0.0.1:8765/flux/articles/un.html",
        ),
        (
            "/articles/deux.html",
            "http://127.0.0.1:8765/flux/rss.xml",
            "http://127.0.0.1:8765/articles/deux.html",
        ),
        (
            "../autre/quatre.html",
            "http://127.0.0.1:8765/flux/rss.xml",
            "http://127.0.0.1:8765/autre/quatre.html",
        ),
        ("//cdn.example.fr/x?utm_source=a", "https://www.example.fr/", "https://cdn.example.fr/x"),
        ("?page=2", "https://ex.fr/liste?page=1", "https://ex.fr/liste?page=2"),
        ("#haut", "https://ex.fr/a?b=1", "https://ex.fr/a?b=1"),
        ("https://autre.fr/x", "https://ex.fr/", "https://autre.fr/x"),
    ],
)
def test_canonical_url_relative_to_base(url: str, base: str, expected: str) -> None:
    assert canonical_url(url, base) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:presse@telvia.example",
        "ftp://ex.fr/a",
        "data:text/html,<b>x</b>",
        "articles/un.html",  # relative, and no base
        "http://",  # no host
        "http://ex.fr:99999/a",  # invalid port
        "http://ex.fr:abc/a",
    ],
)
def test_canonical_url_rejects_non_http(url: str) -> None:
    assert canonical_url(url) == ""


def test_canonical_url_rejects_non_http_even_with_a_base() -> None:
    assert canonical_url("file:///etc/passwd", "https://ex.fr/") == ""
    assert canonical_url("javascript:alert(1)", "https://ex.fr/") == ""


def test_canonical_url_is_idempotent() -> None:
    for url in (
        "HTTP://Ex.FR:80/a?utm_source=x&b=2&a&c=%2F#f",
        "http://www.sauvonsluniversite.fr/spip.php?article8532",
    ):
        once = canonical_url(url)
        assert canonical_url(once) == once


def test_tracking_params() -> None:
    for name in ("utm_source", "UTM_MEDIUM", "fbclid", "gclid", "xtor", "at_campaign", "_hsenc"):
        assert is_tracking_param(name), name
    for name in ("id", "page", "q", "article", "utmost", "ref"):
        assert not is_tracking_param(name), name


def test_medium_feed_links_lose_their_source_rss_parameter() -> None:
    # every link of a Medium feed (tests/fixtures/feeds/world2/medium-source-rss-param.rss)
    # ends in « ?source=rss----<publication>--<tag> »: the same story as its page's address
    link = "https://medium.com/invironment/picking-fruits-e9610374b19c?source=rss----d12c403d4976--food"
    assert canonical_url(link) == "https://medium.com/invironment/picking-fruits-e9610374b19c"
    assert canonical_url("https://x.fr/a?source=rss_flux&b=1") == "https://x.fr/a?b=1"
    # the New York Times' feeds (feeds/world2/nyt-homepage-standout-link.rss)
    nyt = "http://www.nytimes.com/2013/05/06/nyregion/epa-plan.html?partner=rss&emc=rss"
    assert canonical_url(nyt) == "http://www.nytimes.com/2013/05/06/nyregion/epa-plan.html"
    assert canonical_url("https://x.fr/a?partner=acme") == "https://x.fr/a?partner=acme"
    # Medscape's (feeds/world2/medscape-span-in-item.rss); an image's « src » stays
    assert canonical_url("https://www.medscape.com/viewarticle/a-2025?src=rss") == (
        "https://www.medscape.com/viewarticle/a-2025"
    )
    assert canonical_url("https://x.fr/img?src=a.png") == "https://x.fr/img?src=a.png"
    # « source » stays when it says something else (a search form, a data set)
    assert canonical_url("https://x.fr/s?source=insee") == "https://x.fr/s?source=insee"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.255.254",
        "192.168.1.10",
        "169.254.169.254",  # cloud metadata (link-local)
        "100.100.100.200",  # cloud metadata in the shared address space 100.64.0.0/10
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",  # multicast
        "255.255.255.255",
        "192.0.2.1",  # documentation
        "::1",
        "::",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped IPv6
        "::ffff:10.0.0.1",
        "::ffff:192.168.0.1",
        "::ffff:169.254.169.254",
        # IPv6 spellings of private or metadata IPv4 addresses, which ipaddress calls global
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b:1::5db8:d822",  # local-use NAT64 prefix: never global
        "::ffff:0:a9fe:a9fe",  # IPv4-translated
        "::a9fe:a9fe",  # IPv4-compatible
        "192.0.0.192",  # Oracle Cloud metadata
    ],
)
def test_non_public_addresses(address: str) -> None:
    assert is_public_address(address) is False


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "172.32.0.1",
        "100.128.0.1",
        "2606:4700::1",
        "::ffff:93.184.216.34",
        "2002:5db8:d822::1",  # 6to4 of a public address
        "64:ff9b::5db8:d822",  # NAT64 of a public address (DNS64 networks)
    ],
)
def test_public_addresses(address: str) -> None:
    assert is_public_address(address) is True


def test_is_public_address_rejects_non_addresses() -> None:
    with pytest.raises(ValueError):
        is_public_address("localhost")


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",
        "fe80::1",
        "fd00:ec2::254",
        "100.100.100.200",
        "192.0.0.192",
        "::ffff:169.254.169.254",
        "2002:a9fe:a9fe::",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1:a9fe:a9:fe00::",
    ],
)
def test_always_refused_addresses(address: str) -> None:
    assert is_always_refused(address) is True


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "::1", "fd00:ec2::253", "8.8.8.8"])
def test_private_but_not_always_refused_addresses(address: str) -> None:
    assert is_always_refused(address) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/flux.xml", "https://ex.fr/flux.xml"),
        ("//cdn.ex.fr/f.xml?b=2&a=1", "https://cdn.ex.fr/f.xml?b=2&a=1"),  # kept as written
        ("  http://autre.fr/rss  ", "http://autre.fr/rss"),
        ("file:///etc/passwd", ""),
        ("FILE:///etc/passwd", ""),
        ("\tfile:///etc/passwd", ""),
        ("data:application/rss+xml,<rss/>", ""),
        ("javascript:alert(1)", ""),
        ("ftp://ex.fr/f.xml", ""),
        ("http:///etc/passwd", ""),
    ],
)
def test_http_url_keeps_only_http_and_https(value: str, expected: str) -> None:
    assert http_url(value, "https://ex.fr/page.html") == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:18081/f.xml", "http://127.0.0.1:18081"),
        ("HTTP://LocalHost.:80/x", "http://localhost"),
        ("https://Ex.fr:443/", "https://ex.fr"),
        ("https://[::1]:8443/f", "https://[::1]:8443"),
        ("http://bücher.example:8080/", "http://xn--bcher-kva.example:8080"),
        ("file:///etc/passwd", ""),
        ("http://ex.fr:99999/", ""),
    ],
)
def test_origin_of(url: str, expected: str) -> None:
    assert origin_of(url) == expected
