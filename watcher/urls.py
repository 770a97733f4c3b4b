"""URL canonicalisation and address safety (pure, except `resolve_addresses`)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, quote_plus, urlencode, urljoin, urlsplit, urlunsplit

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


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str, base: str = "") -> str:
    """Absolute URL with tracking parameters and fragment removed, host lower-cased,
    default port dropped and remaining query parameters sorted. "" if not http(s)."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        return ""
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
        if not is_tracking_param(k)
    ]
    query.sort()
    encoded = "&".join(
        urlencode({k: v}) if has_value else quote_plus(k) for k, v, has_value in query
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, encoded, ""))


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified and other
    non-global addresses (such as 100.64.0.0/10, where some clouds serve instance metadata)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve_addresses(host: str) -> list[str]:
    """Every address the host name resolves to (I/O: DNS)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return [host.strip("[]")]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})
