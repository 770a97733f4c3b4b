"""`render: browser`: a watched page whose text or price only its scripts write, rendered in
headless Chromium (Debian's `/usr/bin/chromium`, driven by Playwright; never a downloaded one).

The page itself is fetched by the crawl like every other address (robots.txt, politeness,
conditional GET, size cap, address rules): the browser is handed those very bytes and never
fetches the document again. While the page's scripts run, the browser reaches nothing but the
page's own origin (already checked for this source), and that by construction, channel by
channel:

- HTTP(S) requests of every frame and popup of the context (`context.route`): only scripts and
  data (`script`, `xhr`, `fetch`) from the page's own origin, at most `MAX_REQUESTS` of them;
  images, styles, fonts, frames, beacons, prefetches, forms and every other origin are refused.
  A navigation that is refused (a refresh, a form, `location = …`) is answered 204 No Content,
  so that the page stays where it is and is still read;
- WebSockets (`context.route_web_socket`, which `route` does not see): every one is closed by
  Watcher without any connection to a server;
- every connection the two above do not see (the TCP preconnect Chromium opens as a frame, a
  form, a refresh or a popup starts navigating, a DNS prefetch, a redirect, a TURN server over
  TCP…): Chromium's own resolver is given one rule (`--host-resolver-rules`),
  the page's host and port mapped to the address the crawl checked and connected to, every
  other host, IP literals included, not found;
- WebRTC: no UDP outside a proxy (`--webrtc-ip-handling-policy`; `--force-webrtc-…` did not
  stop STUN with Chromium 156), so no STUN datagram;
- service workers are blocked, downloads refused, popups closed as they open.

`file://` and `chrome://` addresses are closed by Chromium itself to a page served over http(s).
Each render has a time limit (the crawl's `timeout`) and a memory cap for the page's scripts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from watcher.urls import origin_of

CHROMIUM = os.environ.get("WATCHER_CHROMIUM", "/usr/bin/chromium")
MAX_REQUESTS = 50  # scripts and data the page's own scripts may fetch, per render
SCRIPT_MEMORY_MB = 256  # V8 heap of the page's scripts
ALLOWED_TYPES = {"script", "xhr", "fetch"}
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--renderer-process-limit=1", f"--js-flags=--max-old-space-size={SCRIPT_MEMORY_MB}",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
]  # fmt: skip


class BrowserUnavailable(RuntimeError):
    """No browser to render with: the message says what to install, in French."""


def resolver_rules(url: str, addresses: Sequence[str] = ()) -> str:
    """Chromium's `--host-resolver-rules` for a render of `url`: its host and port only, mapped
    to the first of the `addresses` the crawl checked for it (to its own name if none), and
    every other host and port not found. A host that could change the rule's meaning (a comma,
    a space…) gets nothing at all."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not re.fullmatch(r"[A-Za-z0-9._:-]+", host + "".join(addresses[:1])):
        return "MAP * ~NOTFOUND"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    shown = f"[{host}]" if ":" in host else host
    to = addresses[0] if addresses else host
    to = f"[{to}]" if ":" in to else to
    return f"MAP {shown}:{port} {to}:{port}, MAP * ~NOTFOUND"


async def rendered_html(
    html: str, url: str, *, timeout: float, addresses: Sequence[str] = ()
) -> str:
    """The page's HTML once its scripts have run (`html`: the bytes the crawl fetched at `url`,
    from one of `addresses`)."""
    if not Path(CHROMIUM).exists():
        raise BrowserUnavailable(
            f"rendu navigateur impossible : Chromium introuvable ({CHROMIUM}) — installez le "
            "paquet Debian chromium, ou retirez render: browser"
        )
    try:
        from playwright.async_api import Page, Route, WebSocketRoute, async_playwright
    except ImportError as exc:
        raise BrowserUnavailable(
            "rendu navigateur impossible : Playwright n'est pas installé "
            "(pip install 'watcher[browser]'), ou retirez render: browser"
        ) from exc
    origin = origin_of(url)
    asked = 0

    async def guard(route: Route) -> None:
        nonlocal asked
        request = route.request
        if request.url == url and request.resource_type == "document":
            await route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
            return
        if (
            request.resource_type in ALLOWED_TYPES
            and origin_of(request.url) == origin
            and asked < MAX_REQUESTS
        ):
            asked += 1
            await route.continue_()
            return
        if request.is_navigation_request():  # 204: the frame stays on the page it shows
            await route.fulfill(status=204)
            return
        await route.abort()

    async def refuse(websocket: WebSocketRoute) -> None:  # never connected to its server
        await websocket.close(code=1008, reason="refusé par Watcher")

    async with async_playwright() as playwright:
        args = [*ARGS, f"--host-resolver-rules={resolver_rules(url, addresses)}"]
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=args, timeout=timeout * 1000
        )
        try:
            context = await browser.new_context(
                java_script_enabled=True, service_workers="block", accept_downloads=False
            )
            await context.route("**/*", guard)
            await context.route_web_socket(re.compile(""), refuse)
            page = await context.new_page()

            async def close_popup(popup: Page) -> None:
                if popup is not page:
                    await popup.close()

            context.on("page", close_popup)
            await page.goto(url, wait_until="networkidle", timeout=timeout * 1000)
            return await page.content()
        finally:
            await browser.close()
