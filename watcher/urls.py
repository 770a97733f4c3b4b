"""URL canonicalisation and address safety (pure, except `resolve_addresses`)."""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote_plus,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The only schemes a crawl fetches: file:, data:, ftp:… never reach the downloader.
HTTP_SCHEMES = ("http", "https")

# Query parameters that only track the reader; removed from canonical URLs.
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "hsa_", "oly_")
TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "xtor",
    "xtref",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "cmp",
    "cmpid",
    "ito",
    "igshid",
    "yclid",
    "_hsenc",
    "_hsmi",
    "ref_src",
    "s_cid",
    "wt_mc",
}


# Parameters whose name is common but whose value says « came from the feed »: Medium writes
# « ?source=rss----d12c403d4976--food » (or « source=rss-<author>------2 ») on every feed link,
# the New York Times « ?partner=rss&emc=rss », Medscape « ?src=rss ».
TRACKING_VALUES = {
    "source": ("rss-", "rss_"),
    "partner": ("rss",),
    "emc": ("rss",),
    "src": ("rss",),
}


def is_tracking_param(name: str, value: str = "") -> bool:
    lowered = name.lower()
    if lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES):
        return True
    return value.lower().startswith(TRACKING_VALUES.get(lowered, ()))


# Characters a site's name never has (WHATWG's forbidden host code points, and white space):
# Scrapy refuses to ask such an address, as one with a port outside 1–65535.
FORBIDDEN_IN_HOST = re.compile(r"[\s<>\\^|%\"`{}#/?@\[\]]")


def joined(base: str, url: str) -> str:
    """`url` made absolute against `base`, "" when either is no address at all (an unclosed
    « http://[::1 », which `urljoin` refuses with a ValueError)."""
    try:
        return urljoin(base, url)
    except ValueError:
        return ""


def _askable(parts: SplitResult) -> bool:
    """True when Scrapy can ask for the address: a site's name or address, a port in 1–65535.
    A page's link that is none (« http://[::1/x », « http://site:99999/ ») made its source fail
    with Scrapy's English, or never finish."""
    try:
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname or ""
    if port == 0 or not host:
        return False
    return ":" in host or not FORBIDDEN_IN_HOST.search(host)


def canonical_url(url: str, base: str = "") -> str:
    """Absolute URL with tracking parameters and fragment removed, host lower-cased,
    default port dropped and remaining query parameters sorted. "" if not http(s), or not an
    address Scrapy can ask for."""
    url = url.strip()
    if base:
        url = joined(base, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not _askable(parts):
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if ":" in host:  # IPv6 literal: brackets first, then the port
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    # A parameter written without "=" (`?article8532`, SPIP) keeps that form: "k" and "k="
    # are different URLs for many servers.
    query = [
        (k, v, "=" in piece)
        for piece in parts.query.split("&")
        for k, v in parse_qsl(piece, keep_blank_values=True)
        if not is_tracking_param(k, v)
    ]
    query.sort()
    encoded = "&".join(
        urlencode({k: v}) if has_value else quote_plus(k) for k, v, has_value in query
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, encoded, ""))


# Click-through redirectors: Google Alerts gives every entry's link as
# « https://www.google.com/url?rct=j&sa=t&url=<the article>&ct=ga&cd=…&usg=… », a search result
# as « …/url?q=<the article>&… »; Bing News's feeds as
# « http://www.bing.com/news/apiclick.aspx?ref=FexRss&…&url=<the article>&c=…&mkt=… »: the
# article's address is that parameter.
GOOGLE_HOST = re.compile(r"(?:www\.)?google(?:\.[a-z]{2,3}){1,2}")
BING_HOST = re.compile(r"(?:www\.)?bing\.com")
BING_REDIRECT_PATH = re.compile(r"/news/apiclick\.aspx", re.IGNORECASE)
REDIRECT_PARAMS = ("url", "q")


def _is_redirector(host: str, path: str) -> bool:
    """True for the address of a known click-through redirector (Google's, Bing News's)."""
    if path == "/url" and GOOGLE_HOST.fullmatch(host):
        return True
    return bool(BING_HOST.fullmatch(host) and BING_REDIRECT_PATH.fullmatch(path))


def redirect_target(url: str) -> str:
    """The address a click-through redirector leads to (Google's « /url?url=… », Bing News's
    « /news/apiclick.aspx?url=… »), or `url` itself when it is no such redirect (or names no
    http(s) address)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if not _is_redirector((parts.hostname or "").lower(), parts.path):
        return url
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name in REDIRECT_PARAMS:
        target = params.get(name, "").strip()
        if http_url(target):
            return target
    return url


def is_loopback_host(host: str) -> bool:
    """True for the names and addresses of one's own computer: « localhost » (and its
    subdomains), 127.0.0.0/8, ::1 — whoever reads the address reaches their own machine."""
    key = host_key(host)
    if key == "localhost" or key.endswith(".localhost"):
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(key).is_loopback
    return False


def http_url(value: str, base: str = "") -> str:
    """`value` (made absolute against `base`) if it is an http(s) URL with a host, else "".
    Unlike `canonical_url`, the URL is otherwise kept as written."""
    url = joined(base, value.strip()) if base else value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in HTTP_SCHEMES or not _askable(parts):
        return ""
    return url


def host_key(host: str) -> str:
    """A host name as the address guard and the crawl's name resolver both key it: lower
    case, no IPv6 brackets, no final dot, international names in their ASCII (IDNA) form."""
    key = host.strip().strip("[]").lower().rstrip(".")
    if not key.isascii():
        with contextlib.suppress(UnicodeError):  # not a valid name: kept as is
            key = key.encode("idna").decode("ascii")
    return key


def origin_of(url: str) -> str:
    """The origin of an http(s) URL, "scheme://host[:port]" (lower case, the default port left
    out), as in `http://127.0.0.1:8081`; "" for any other URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in HTTP_SCHEMES or not parts.hostname:
        return ""
    try:
        port = parts.port
    except ValueError:
        return ""
    host = host_key(parts.hostname)
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == {"http": 80, "https": 443}[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


# Refused always, even to a source with `allow_private: true`: link-local networks and the
# instance metadata services of clouds (they hand out the machine's credentials).
ALWAYS_REFUSED = tuple(
    ipaddress.ip_network(network)
    for network in (
        "169.254.0.0/16",  # IPv4 link-local: the metadata of AWS, Azure, GCP, OpenStack…
        "fe80::/10",  # IPv6 link-local
        "fd00:ec2::254/128",  # AWS metadata over IPv6
        "100.100.100.200/32",  # Alibaba Cloud metadata
        "192.0.0.192/32",  # Oracle Cloud metadata
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix (RFC 6052)
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # local-use NAT64 prefixes (RFC 8215)
# Where RFC 6052 puts the 32 bits of an IPv4 address, for each NAT64 prefix length: pieces of
# (first bit, last bit + 1), bits 64–71 being always zero.
NAT64_LAYOUTS = {
    48: ((48, 64), (72, 88)),
    56: ((56, 64), (72, 96)),
    64: ((72, 104),),
    96: ((96, 128),),
}


def _bits(number: int, start: int, end: int) -> int:
    return (number >> (128 - end)) & ((1 << (end - start)) - 1)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d), translated
    (::ffff:0:a.b.c.d), compatible (::a.b.c.d), 6to4 (2002:…), Teredo, NAT64 (64:ff9b::…) and
    ISATAP (…:5efe:a.b.c.d) spellings. A connection to one of them can reach that IPv4 address."""
    number = int(ip)
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if number >> 32 == 0xFFFF0000 or (number >> 32 == 0 and number > 1):  # translated, compatible
        found.append(ipaddress.IPv4Address(number & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.append(ip.teredo[1])
    layouts = (96,) if ip in NAT64 else tuple(NAT64_LAYOUTS) if ip in LOCAL_NAT64 else ()
    for length in layouts:
        value = 0
        for start, end in NAT64_LAYOUTS[length]:
            value = (value << (end - start)) | _bits(number, start, end)
        found.append(ipaddress.IPv4Address(value))
    if _bits(number, 64, 96) in (0x00005EFE, 0x02005EFE):  # ISATAP interface identifier
        found.append(ipaddress.IPv4Address(number & 0xFFFFFFFF))
    return found


def _spellings(address: str | IPAddress) -> list[IPAddress]:
    """The address itself and every IPv4 address it stands for."""
    ip = ipaddress.ip_address(address)
    spellings: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        spellings.extend(embedded_ipv4(ip))
    return spellings


def is_always_refused(address: str | IPAddress) -> bool:
    """True for link-local and cloud metadata addresses, however spelled: no source may reach
    them, not even one with `allow_private: true`."""
    return any(
        ip in network
        for ip in _spellings(address)
        for network in ALWAYS_REFUSED
        if ip.version == network.version
    )


def _is_global(ip: IPAddress) -> bool:
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
        or ip in LOCAL_NAT64
    )


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified and other
    non-global addresses (such as 100.64.0.0/10, where some clouds serve instance metadata),
    for the metadata addresses, and for an IPv6 address that stands for any such IPv4 address
    (6to4, NAT64, IPv4-mapped… spellings)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if is_always_refused(ip):
        return False
    spellings = _spellings(ip)
    if ip in NAT64:  # DNS64 gives IPv4-only sites such addresses: public as the IPv4 one is
        spellings = spellings[1:]
    return all(_is_global(spelling) for spelling in spellings)


def literal_address(host: str) -> str:
    """The address written in a host (`127.0.0.1`, `[::1]`), or "" for a name."""
    try:
        return str(ipaddress.ip_address(host.strip().strip("[]")))
    except ValueError:
        return ""


def resolve_addresses(host: str) -> list[str]:
    """Every address the host name resolves to, in the resolver's order of preference
    (I/O: DNS)."""
    literal = literal_address(host)
    if literal:
        return [literal]
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))
