"""`render: browser`: a watched page whose text or price only its scripts write, rendered in
headless Chromium (Debian's `/usr/bin/chromium`, driven by Playwright; never a downloaded one).

The page itself is fetched by the crawl like every other address (robots.txt, politeness,
conditional GET, size cap, address rules): the browser is handed those very bytes and never
fetches the document again. While the page's scripts run, the browser may fetch only scripts and
data (`script`, `xhr`, `fetch`) from the page's own origin — already checked for this source —,
at most `MAX_REQUESTS` of them; images, styles, fonts, frames and every other origin are refused.
Each render has a time limit (the crawl's `timeout`) and a memory cap for the page's scripts.
"""

from __future__ import annotations

import os
from pathlib import Path

from watcher.urls import origin_of

CHROMIUM = os.environ.get("WATCHER_CHROMIUM", "/usr/bin/chromium")
MAX_REQUESTS = 50  # scripts and data the page's own scripts may fetch, per render
SCRIPT_MEMORY_MB = 256  # V8 heap of the page's scripts
ALLOWED_TYPES = {"script", "xhr", "fetch"}
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--renderer-process-limit=1", f"--js-flags=--max-old-space-size={SCRIPT_MEMORY_MB}",
]  # fmt: skip


class BrowserUnavailable(RuntimeError):
    """No browser to render with: the message says what to install, in French."""


async def rendered_html(html: str, url: str, *, timeout: float) -> str:
    """The page's HTML once its scripts have run (`html`: the bytes the crawl fetched at `url`)."""
    if not Path(CHROMIUM).exists():
        raise BrowserUnavailable(
            f"rendu navigateur impossible : Chromium introuvable ({CHROMIUM}) — installez le "
            "paquet Debian chromium, ou retirez render: browser"
        )
    try:
        from playwright.async_api import Route, async_playwright
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
        await route.abort()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGS, timeout=timeout * 1000
        )
        try:
            page = await browser.new_page(java_script_enabled=True, service_workers="block")
            await page.route("**/*", guard)
            await page.goto(url, wait_until="networkidle", timeout=timeout * 1000)
            return await page.content()
        finally:
            await browser.close()
