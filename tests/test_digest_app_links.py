"""The weekly digest's links to the web app (`watch.web_url`): each item to its page in the
app, the digest to its own; none at all when the watch names no public address. Mailed through a
real SMTP server on 127.0.0.1, followed in headless Chromium against the app served by waitress.
"""

from __future__ import annotations

import email
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from digest_fixtures import (
    GDPR,
    IN_WEEK,
    Sink,
    SmtpServer,
    config,
    mail_section,
    seed_items,
    write_config,
)

from conftest import served
from watcher.config import load_watch
from watcher.jobs import open_workspace
from watcher.jobs.digest import send_weekly_digest
from watcher.report.digest import IsoWeek
from watcher.store import Store
from watcher.store.users import Users
from watcher.web import create_app
from watcher.workspace import Workspace

W48 = IsoWeek(2026, 48)
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
PASSWORD = "mot de passe de test"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
TITLES = ("La CNIL sanctionne un démarcheur", "Un concurrent « casse » ses prix")


def _watch(root: Path, port: int, web_url: str | None) -> tuple[Workspace, list[int]]:
    """The test watch, mailed to 127.0.0.1:`port`, two items collected in week 48, and Léa's
    account (learner of g1)."""
    root.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = dict(config()["watch"])
    if web_url is not None:
        info["web_url"] = web_url
    path = write_config(root / "sources.yml", watch=info, mail=mail_section(port))
    workspace = Workspace(path)
    store = Store(workspace.database)
    try:
        ids = seed_items(
            store,
            [
                ("cnil", TITLES[0], ("reglementaire",), (GDPR,)),
                ("presse", TITLES[1], ("concurrence",), ()),
            ],
        )
        store.set_curation("g1", ids[0], "retained", actor="léa", now=IN_WEEK)
        Users(store).add(
            "lea@example.org", "Léa Moreau", "learner", PASSWORD, group_id="g1", now=NOW
        )
    finally:
        store.close()
    return workspace, ids


def _send(workspace: Workspace) -> None:
    with open_workspace(workspace) as w:
        send_weekly_digest(w, load_watch(workspace.config), "g1", W48, NOW, send=True, timeout=5)


def _parts(sink: Sink, address: str = "lea@example.org") -> tuple[str, str]:
    """The text and HTML parts of the copy `address` received."""
    received = next(m for m in sink.messages if m.recipients == [address])
    message = email.message_from_bytes(received.data, policy=default)
    assert isinstance(message, EmailMessage)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_without_a_public_address_the_digest_has_no_link_to_the_app(tmp_path: Path) -> None:
    sink = Sink()
    with SmtpServer(sink) as server:
        workspace, _ids = _watch(tmp_path / "w", server.port, None)
        _send(workspace)
    text, html = _parts(sink)
    for body in (text, html):
        assert TITLES[0] in body
        assert "/items/" not in body and "/digests/" not in body
        assert "127.0.0.1" not in body and "localhost" not in body
        assert "Dans Watcher :" not in body and "Lire cette synthèse dans Watcher" not in body
        assert "Ouvrir dans Watcher" not in body


def test_with_a_public_address_each_item_and_the_digest_link_to_the_app(tmp_path: Path) -> None:
    sink = Sink()
    with SmtpServer(sink) as server:
        workspace, ids = _watch(tmp_path / "w", server.port, "https://veille.ecole.example.org/")
        _send(workspace)
    text, html = _parts(sink)
    lines = text.splitlines()
    digest_link = "https://veille.ecole.example.org/g/g1/digests/preview?week=2026-W48"
    for item_id in ids:
        link = f"https://veille.ecole.example.org/g/g1/items/{item_id}"
        assert f"  Dans Watcher : {link}" in lines
        assert f'<a href="{link}"' in html
    assert f"Lire cette synthèse dans Watcher : {digest_link}" in lines
    assert f'href="{digest_link}"' in html
    assert "Ouvrir dans Watcher (fiche, tri du groupe)" in html
    assert "//g/" not in text + html  # the trailing slash of the address is not doubled


def test_a_config_with_a_bad_public_address_is_refused_in_french(tmp_path: Path) -> None:
    from watcher.config import ConfigError

    with pytest.raises(ConfigError) as caught:
        _watch(tmp_path / "w", 25, "veille.ecole.example.org")
        load_watch(tmp_path / "w" / "sources.yml")
    (issue,) = caught.value.issues
    assert issue.path == "watch.web_url"
    assert "http://" in issue.message and issue.example == "https://veille.ecole.example.org"


# --- followed in a real browser --------------------------------------------------------------


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip("Debian chromium is not installed (bash .ci/setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.mark.slow
def test_a_learner_follows_the_mail_s_links_into_the_app(tmp_path: Path, browser: Any) -> None:
    """The app is served on 127.0.0.1 and that is its public address: the links of the mail
    Léa received open, after she signs in, the item's page and the digest of week 48."""
    sink = Sink()
    with SmtpServer(sink) as smtp:
        root = tmp_path / "w"
        workspace, ids = _watch(root, smtp.port, None)
        app = create_app(workspace, secure_cookies=False)
        try:
            with served(app) as base:
                data = (root / "sources.yml").read_text(encoding="utf-8")
                data = data.replace(
                    "timezone: Europe/Paris", f"timezone: Europe/Paris\n  web_url: {base}"
                )
                (root / "sources.yml").write_text(data, encoding="utf-8")
                _send(workspace)
                _text, html = _parts(sink)
                links = re.findall(r'href="([^"]+)"', html)
                item_link = next(link for link in links if link.endswith(f"/items/{ids[0]}"))
                digest_link = next(link for link in links if "/digests/preview" in link)
                assert item_link.startswith(base) and digest_link.startswith(base)

                context = browser.new_context()
                try:
                    _follow(context, item_link, digest_link)
                finally:
                    context.close()
        finally:
            app.extensions["watcher"].close()


def _follow(context: Any, item_link: str, digest_link: str) -> None:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(item_link)  # not signed in: the sign-in page, then back to the item
    page.fill("input[name=email]", "lea@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(item_link)
    assert page.locator("h1").inner_text().startswith(TITLES[0])
    page.goto(digest_link)
    body = page.locator("main").inner_text()
    assert "Semaine 48" in body and TITLES[0] in body
