"""The web app through Flask's test client: the whole role × page matrix, security, flows.

The watch is built directly in the store (no crawl, no spaCy): two groups, a source each, one
shared source, enrichments written by hand, the real index.
"""

from __future__ import annotations

import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

import watcher.web
from watcher.config import load_watch
from watcher.find.index import SearchIndex
from watcher.jobs.store import migrate_store
from watcher.model import EntityMention, Entry, Fiche, ItemEnrichment, RefMention
from watcher.store import Store
from watcher.store.users import Users
from watcher.understand.process import sync_index
from watcher.web import create_app
from watcher.workspace import Workspace

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
CSRF = "t" * 43
ROLES = ("anon", "learner", "other", "tutor", "evaluator", "admin")
EMAILS = {
    "learner": "lea@example.org",
    "other": "omar@example.org",
    "tutor": "tom@example.org",
    "evaluator": "eve@example.org",
    "admin": "ada@example.org",
}

CONFIG: dict[str, Any] = {
    "watch": {"name": "Veille de test web", "timezone": "Europe/Paris"},
    "axes": [
        {"id": "concurrence", "label": "Marché & concurrence", "keywords": ["prix"]},
        {"id": "reglementaire", "label": "Juridique & réglementaire", "keywords": ["RGPD"],
         "topics": ["donnees-personnelles"]},
    ],
    "groups": [{"id": "g1", "name": "Groupe 1"}, {"id": "g2", "name": "Groupe 2"}],
    "sources": [
        {"id": "s1", "name": "Source Un", "kind": "feed", "url": "https://un.example.org/rss",
         "axis": "concurrence", "level": "primaire", "groups": ["g1"],
         "rating": {"fiabilite": 3, "validite": 2, "exactitude": 2, "intention": 3,
                    "pertinence": 3}},
        {"id": "s2", "name": "Source Deux", "kind": "feed", "url": "https://deux.example.org/rss",
         "axis": "reglementaire", "groups": ["g2"]},
        {"id": "shared", "name": "Source Commune", "kind": "feed",
         "url": "https://commune.example.org/rss", "axis": ["concurrence", "reglementaire"]},
    ],
}  # fmt: skip


@dataclass
class Ids:
    g1: int  # only in g1's watch
    g1_twin: int  # g1, same cluster as g1 (another source would do; here: same source)
    g2: int  # only in g2's watch
    shared: int  # in both
    script: int  # g1, a title full of markup
    old: int  # g1, published long ago
    jury: int = 0  # a jury where the evaluator sits (with a professional)
    signed: int = 0  # lea's C1 on the jury grid, signed by the evaluator (not published)
    draft: int = 0  # lea's C2 on the jury grid, a draft of the evaluator


def _entry(key: str, title: str, text: str, published: datetime) -> Entry:
    return Entry(
        url=f"https://news.example.org/{key}",
        title=title,
        summary=text[:200],
        text=text,
        guid=key,
        published=published,
        language="fr",
    )


def _build(root: Path) -> tuple[Workspace, Ids]:
    workspace = Workspace(root / "sources.yml")
    workspace.config.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    watch = load_watch(workspace.config)
    store = Store(workspace.database)
    day = timedelta(days=1)
    batches = {
        "s1": (["g1"], [
            _entry("a1", "Telvia baisse le prix de ses forfaits",
                   "Telvia annonce une baisse de prix de ses forfaits mobiles. Le RGPD aussi.",
                   NOW - 2 * day),
            # a2 republishes a1 (same cluster): searches show the original, a1, once
            _entry("a2", "Prix des forfaits : Telvia confirmé par l'Arcep",
                   "L'Arcep confirme la baisse de prix de Telvia sur les forfaits.", NOW - day),
            _entry("x1", '<script>alert("t")</script><img src=x onerror=alert(1)> Hameçonnage',
                   'Texte <script>alert("s")</script> <a href="javascript:alert(2)">clic</a>',
                   NOW - day),
            _entry("o1", "Archive : vieux tarifs des forfaits", "Un vieux prix de forfait.",
                   NOW - 400 * day),
            *[_entry(f"p{n}", f"Promotion forfait numéro {n}", "Une promotion de prix.",
                     NOW - (3 + n) * day) for n in range(9)],
        ]),
        "s2": (["g2"], [_entry("b1", "Sanction CNIL pour démarchage",
                               "La CNIL sanctionne un démarchage abusif (RGPD).", NOW - day)]),
        "shared": (["g1", "g2"], [_entry("c1", "Inflation et pouvoir d'achat",
                                         "L'inflation ralentit selon l'Insee.", NOW - day)]),
    }  # fmt: skip
    for source_id, (groups, entries) in batches.items():
        store.store_feed(source_id, groups, entries, NOW, url=f"https://{source_id}", found=None)
    by_key = {item.guid: item for item in store.list_items()}
    enrichments = []
    for item in by_key.values():
        cluster = by_key["a1"].id if item.guid in ("a1", "a2") else item.id
        axes = ("reglementaire",) if item.source_id == "s2" else ("concurrence",)
        enrichments.append(
            ItemEnrichment(
                item_id=item.id,
                version=item.version,
                signature="test",
                language="fr",
                fingerprint=b"\0" * 8,
                cluster_id=cluster,
                axes=axes,
                topics=("economique",),
                # named twice: processing flags it confident (pages and facets list it)
                entities=(EntityMention("ORG", "telvia", "Telvia", 2, confident=True),)
                if "Telvia" in item.title
                else (),
                refs=(
                    RefMention(
                        "eu:celex:32016R0679",
                        "eu-regulation",
                        "Règlement (UE) 2016/679 (RGPD)",
                        "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
                        "official",
                        "RGPD",
                        1,
                    ),
                )
                if "RGPD" in item.text
                else (),
            )
        )
    store.save_enrichments(enrichments, NOW)
    index = SearchIndex(workspace.index)
    sync_index(watch, store, index)
    index.close()
    users = Users(store)
    for role, email in EMAILS.items():
        group = {"learner": "g1", "tutor": "g1", "other": "g2"}.get(role)
        users.add(email, role.title(), "learner" if role == "other" else role, PASSWORD,
                  group_id=group, now=NOW)  # fmt: skip
    ids = Ids(
        g1=by_key["a1"].id,
        g1_twin=by_key["a2"].id,
        g2=by_key["b1"].id,
        shared=by_key["c1"].id,
        script=by_key["x1"].id,
        old=by_key["o1"].id,
    )
    # some state for the pages to show: a curation, a fiche, a saved search, an archive
    store.set_curation("g1", ids.g1, "retained", actor=EMAILS["learner"], now=NOW)
    store.save_fiche(
        Fiche(ids.g1, "g1", quoi="Baisse de prix", action="Comparer nos tarifs",
              action_owner="Léa"),
        actor=EMAILS["learner"], now=NOW,
    )  # fmt: skip
    store.save_search("g1", "prix", "prix", "date", NOW, by=EMAILS["learner"])
    users.feed_token("g1", "prix", now=NOW)
    ids.jury, ids.signed, ids.draft = _assessments(workspace)
    store.close()
    report = workspace.reports / "g1"
    report.mkdir(parents=True)
    (report / "2026-W47.html").write_text("<html><body><h1>Digest W47</h1></body></html>")
    return workspace, ids


def _assessments(workspace: Workspace) -> tuple[int, int, int]:
    """A jury (the evaluator and a professional), a signed record and a draft for lea."""
    from watcher.assess.rules import Viewer
    from watcher.jobs import open_workspace
    from watcher.jobs.assess import create_jury, record_assessment, sign_assessment
    from watcher.model import Jury, JuryMember

    members = (
        JuryMember("Eve", EMAILS["evaluator"], "formation", "École"),
        JuryMember("Paula Pro", "paula@example.org", "professionnel", "Telvia"),
    )
    admin = Viewer("admin", EMAILS["admin"])
    with open_workspace(workspace) as w:
        jury = create_jury(w, admin, Jury(None, "Jury 1", NOW.date(), members), now=NOW)
        assert jury.id is not None
        eve = Viewer.of("evaluator", EMAILS["evaluator"])
        records = [
            record_assessment(w, eve, grid_id="bloc1-jury", learner=EMAILS["learner"],
                              group_id="g1", competence=code, level=3, comment="Bien",
                              now=NOW, jury_id=jury.id)
            for code in ("C1", "C2")
        ]  # fmt: skip
        assert records[0].id is not None and records[1].id is not None
        sign_assessment(w, eve, records[0].id, NOW)
    return jury.id, records[0].id, records[1].id


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    root = tmp_path_factory.mktemp("webwatch")
    _workspace, ids = _build(root)
    return root, ids


@dataclass
class Web:
    app: Flask
    workspace: Workspace
    ids: Ids

    def client(self, role: str = "anon") -> FlaskClient:
        client = self.app.test_client()
        with client.session_transaction() as session:
            session["csrf"] = CSRF
            if role != "anon":
                user = self.users.by_email(EMAILS[role])
                assert user is not None
                session["uid"] = user.id
                session["sv"] = user.session_version
        return client

    @property
    def users(self) -> Users:
        users = self.app.extensions["watcher"].users
        assert isinstance(users, Users)
        return users

    @property
    def store(self) -> Store:
        store = self.app.extensions["watcher"].store
        assert isinstance(store, Store)
        return store

    def token(self) -> str:
        return self.users.feed_token("g1", "prix", now=NOW)


def _web(root: Path, ids: Ids, target: Path, database: str | None = None) -> Iterator[Web]:
    """A copy of the watch at `root` served by the app; `database`: a PostgreSQL database (that
    `WATCHER_DATABASE_URL` names) into which its store is moved first (`watcher migrate-store`)."""
    shutil.copytree(root, target)
    workspace = Workspace(target / "sources.yml")
    if database is not None and database.startswith("postgresql"):
        migrate_store(workspace, database)
    app = create_app(workspace, now=lambda: NOW, testing=True)
    yield Web(app, workspace, ids)
    app.extensions["watcher"].close()


@pytest.fixture
def sqlite_web(base: tuple[Path, Ids], tmp_path: Path) -> Iterator[Web]:
    """A private copy of the watch on SQLite (the role matrix's writes)."""
    yield from _web(*base, tmp_path / "watch")


@pytest.fixture
def web(base: tuple[Path, Ids], tmp_path: Path, database: str) -> Iterator[Web]:
    """A private copy of the watch, for tests that change it, on each database."""
    yield from _web(*base, tmp_path / "watch", database)


@pytest.fixture(scope="module")
def shared_web(base: tuple[Path, Ids], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """One copy for the read-only requests of the matrix."""
    yield from _web(*base, tmp_path_factory.mktemp("shared") / "watch")


# --- the role × page matrix -----------------------------------------------------------------

# expected status per role, in the order of ROLES: anon, learner(g1), other(learner g2),
# tutor(g1), evaluator, admin
R = dict(zip(ROLES, range(6), strict=True))


def row(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


READ_G1 = row(302, 200, 403, 200, 200, 403)
DOSSIER_G1 = row(302, 200, 403, 200, 200, 200)  # assess.can_view_dossier (assessment pages)
MANAGE_GET = row(302, 403, 403, 403, 200, 200)  # assess.can_manage
MANAGE_POST = row(302, 403, 403, 403, 303, 303)
JURY_WRITE = row(302, 403, 403, 403, 303, 403)  # an evaluator sitting on the jury
CURATE_G1 = row(302, 303, 403, 403, 403, 403)
SOURCES_G1 = row(302, 200, 403, 200, 200, 200)
ADMIN_GET = row(302, 403, 403, 403, 403, 200)
ADMIN_POST = row(302, 403, 403, 403, 403, 303)
OPML = (
    '<opml version="2.0"><body><outline text="X" xmlUrl="https://x.example.org/rss"/></body></opml>'
)

ORAL_FORM = {
    "learner": "lea@example.org", "grid_id": "bloc1-jury", "jury_id": "{jury}",
    "held_on": "2026-12-18", "duration": "20", "oral-obs-C2": "Cite le RGPD",
    **{f"oral-level-C{n}": "3" for n in range(1, 8)},
}  # fmt: skip

MATRIX: list[tuple[str, str, str, dict[str, str] | None, dict[str, int]]] = [
    ("home", "GET", "/", None, row(302, 302, 302, 302, 302, 302)),
    ("login page", "GET", "/login", None, row(200, 200, 200, 200, 200, 200)),
    ("health", "GET", "/healthz", None, row(200, 200, 200, 200, 200, 200)),
    ("groups", "GET", "/groups", None, row(302, 200, 200, 200, 200, 302)),
    ("account", "GET", "/account", None, row(302, 200, 200, 200, 200, 200)),
    ("group home", "GET", "/g/g1/", None, READ_G1),
    ("search", "GET", "/g/g1/search?q=prix", None, READ_G1),
    ("search g2", "GET", "/g/g2/search?q=prix", None, row(302, 403, 200, 403, 200, 403)),
    ("search unknown group", "GET", "/g/zz/search", None, row(302, 404, 404, 404, 404, 404)),
    ("item", "GET", "/g/g1/items/{g1}", None, READ_G1),
    ("item shared via g2", "GET", "/g/g2/items/{shared}", None, row(302, 403, 200, 403, 200, 403)),
    ("g1 item via g2", "GET", "/g/g2/items/{g1}", None, row(302, 403, 404, 403, 404, 403)),
    ("missing item", "GET", "/g/g1/items/999999", None, row(302, 404, 403, 404, 404, 403)),
    ("fiche", "GET", "/g/g1/items/{g1}/fiche", None, READ_G1),
    ("fiche new", "GET", "/g/g1/items/{g1_twin}/fiche", None, row(302, 200, 403, 404, 404, 403)),
    ("curated", "GET", "/g/g1/curated", None, READ_G1),
    ("log", "GET", "/g/g1/log", None, READ_G1),
    ("searches", "GET", "/g/g1/searches", None, READ_G1),
    ("digests", "GET", "/g/g1/digests", None, READ_G1),
    ("digest archived", "GET", "/g/g1/digests/2026-W47.html", None, READ_G1),
    ("digest missing", "GET", "/g/g1/digests/2026-W01.html", None,
     row(302, 404, 403, 404, 404, 403)),
    ("digest preview as sent", "GET", "/g/g1/digests/preview.html", None, READ_G1),
    ("digest preview", "GET", "/g/g1/digests/preview", None, READ_G1),
    ("sources", "GET", "/g/g1/sources", None, SOURCES_G1),
    ("opml export", "GET", "/g/g1/sources.opml", None, SOURCES_G1),
    ("opml import form", "GET", "/g/g1/sources/import", None, row(302, 200, 403, 403, 403, 403)),
    ("feed", "GET", "/feeds/{token}.rss", None, row(200, 200, 200, 200, 200, 200)),
    ("feed bad token", "GET", "/feeds/nope.rss", None, row(404, 404, 404, 404, 404, 404)),
    ("admin users", "GET", "/admin/users", None, ADMIN_GET),
    ("admin groups", "GET", "/admin/groups", None, ADMIN_GET),
    ("admin queue", "GET", "/admin/queue", None, ADMIN_GET),
    ("admin delete confirm", "GET", "/admin/users/{uid_tutor}/delete", None, ADMIN_GET),
    # the dossier shows items, fiches and curation: permissions.can_read_group, as items
    ("dossier", "GET", "/g/g1/dossier", None, READ_G1),
    ("dossier period", "GET", "/g/g1/dossier?from=2026-11-01&to=2026-11-30", None, READ_G1),
    ("dossier bad period", "GET", "/g/g1/dossier?from=2026-12-01&to=2026-11-01", None,
     row(302, 400, 403, 400, 400, 403)),
    ("dossier g2", "GET", "/g/g2/dossier", None, row(302, 403, 200, 403, 200, 403)),
    ("dossier unknown group", "GET", "/g/zz/dossier", None, row(302, 404, 404, 404, 404, 404)),
    ("dossier html", "GET", "/g/g1/dossier.html", None, READ_G1),
    ("dossier full", "GET", "/g/g1/dossier/full?from=2026-11-01&to=2026-11-30", None,
     READ_G1),
    ("oral deck", "GET", "/g/g1/oral.pptx?from=2026-11-01&to=2026-11-30", None, READ_G1),
    ("oral deck g2", "GET", "/g/g2/oral.pdf", None, row(302, 403, 200, 403, 200, 403)),
    ("oral bad minutes", "GET", "/g/g1/oral.pptx?minutes=x", None,
     row(302, 400, 403, 400, 400, 403)),
    ("assessments", "GET", "/g/g1/assessments", None, DOSSIER_G1),
    ("assessments g2", "GET", "/g/g2/assessments", None, row(302, 403, 200, 403, 200, 200)),
    ("assessments csv", "GET", "/g/g1/assessments.csv", None, DOSSIER_G1),
    ("assessments csv other group's learner", "GET",
     "/g/g1/assessments.csv?learner=omar@example.org", None, row(302, 200, 403, 404, 404, 404)),
    ("cohort csv", "GET", "/assessments.csv", None, MANAGE_GET),
    ("juries", "GET", "/assessments/juries", None, MANAGE_GET),
    ("grids", "GET", "/assessments/grids", None, MANAGE_GET),
    # checking a handed-in dossier against the records: evaluators (permissions.can_verify)
    ("verify form", "GET", "/verify", None, row(302, 403, 403, 403, 200, 403)),
    # writes
    ("retain", "POST", "/g/g1/items/{g1_twin}/curation", {"status": "retained"}, CURATE_G1),
    ("reject", "POST", "/g/g1/items/{g1_twin}/curation",
     {"status": "rejected", "reason": "doublon"}, CURATE_G1),
    ("reset", "POST", "/g/g1/items/{g1}/curation", {"status": "reset"}, CURATE_G1),
    ("retain g1 item via g2", "POST", "/g/g2/items/{g1}/curation", {"status": "retained"},
     row(302, 403, 404, 403, 403, 403)),
    ("retain shared via g2", "POST", "/g/g2/items/{shared}/curation", {"status": "retained"},
     row(302, 403, 303, 403, 403, 403)),
    ("fiche save", "POST", "/g/g1/items/{g1}/fiche", {"quoi": "x", "summary": "y"}, CURATE_G1),
    ("save search", "POST", "/g/g1/searches", {"name": "rgpd", "q": "RGPD"}, CURATE_G1),
    ("delete search", "POST", "/g/g1/searches/delete", {"name": "prix"}, CURATE_G1),
    ("revoke feed", "POST", "/g/g1/searches/revoke", {"name": "prix"}, CURATE_G1),
    ("opml import", "POST", "/g/g1/sources/import", {"opml": OPML},
     row(302, 200, 403, 403, 403, 403)),
    ("admin create", "POST", "/admin/users",
     {"email": "new@example.org", "name": "New", "role": "evaluator", "password": PASSWORD},
     ADMIN_POST),
    ("admin update", "POST", "/admin/users/{uid_other}",
     {"name": "Omar", "role": "learner", "group_id": "g1"}, ADMIN_POST),
    ("admin password", "POST", "/admin/users/{uid_other}/password", {"password": PASSWORD + "!"},
     ADMIN_POST),
    ("admin delete", "POST", "/admin/users/{uid_tutor}/delete", {}, ADMIN_POST),
    ("admin suspend", "POST", "/admin/users/{uid_other}/disabled", {"disabled": "1"},
     ADMIN_POST),
    ("assess record", "POST", "/g/g1/assessments/record",
     {"learner": "lea@example.org", "grid_id": "bloc1-jury", "jury_id": "{jury}",
      "level-C3": "2", "comment-C3": "Sources citées"}, JURY_WRITE),
    ("assess record tutor grid", "POST", "/g/g1/assessments/record",
     {"learner": "lea@example.org", "grid_id": "bloc1-tuteur", "level-C4": "3"},
     row(302, 403, 403, 303, 403, 403)),
    ("assess record signed", "POST", "/g/g1/assessments/record",
     {"learner": "lea@example.org", "grid_id": "bloc1-jury", "jury_id": "{jury}",
      "level-C1": "1"}, row(302, 403, 403, 403, 409, 403)),
    ("assess record not in group", "POST", "/g/g1/assessments/record",
     {"learner": "omar@example.org", "grid_id": "bloc1-jury", "jury_id": "{jury}",
      "level-C1": "1"}, row(302, 400, 403, 400, 400, 400)),
    ("assess sign draft", "POST", "/g/g1/assessments/sign", {"record_id": "{draft}"},
     row(302, 404, 403, 404, 303, 403)),
    # a signed record not yet published is the jury's alone: to the group's learner and tutor it
    # does not exist (404), as a draft
    ("assess sign signed", "POST", "/g/g1/assessments/sign", {"record_id": "{signed}"},
     row(302, 404, 403, 404, 303, 403)),  # signed already: nothing to redo, the page says so
    ("assess sign via g2", "POST", "/g/g2/assessments/sign", {"record_id": "{draft}"},
     row(302, 403, 404, 403, 404, 404)),
    ("assess correct", "POST", "/g/g1/assessments/{signed}/correct",
     {"level": "2", "comment": "Revu", "reason": "erreur de saisie"},
     row(302, 404, 403, 404, 303, 403)),
    ("assess correct no reason", "POST", "/g/g1/assessments/{signed}/correct",
     {"level": "2", "comment": "Revu"}, row(302, 404, 403, 404, 400, 403)),
    # the jury's record of the oral (issue 21); "{oral_…}" and "oral record signed": _orals
    ("oral record", "POST", "/g/g1/assessments/oral", ORAL_FORM, JURY_WRITE),
    ("oral record signed", "POST", "/g/g1/assessments/oral", ORAL_FORM,
     row(302, 403, 403, 403, 409, 403)),
    ("oral record not in group", "POST", "/g/g1/assessments/oral",
     {**ORAL_FORM, "learner": "omar@example.org"}, row(302, 400, 403, 400, 400, 400)),
    ("oral sign draft", "POST", "/g/g1/assessments/oral/{oral_draft}/sign", {},
     row(302, 404, 403, 404, 303, 403)),
    ("oral sign signed", "POST", "/g/g1/assessments/oral/{oral_signed}/sign", {},
     row(302, 404, 403, 404, 409, 403)),
    ("oral sign via g2", "POST", "/g/g2/assessments/oral/{oral_draft}/sign", {},
     row(302, 403, 404, 403, 404, 404)),
    ("oral correct", "POST", "/g/g1/assessments/oral/{oral_signed}/correct",
     {**ORAL_FORM, "reason": "C5 revu"}, row(302, 404, 403, 404, 303, 403)),
    ("oral correct no reason", "POST", "/g/g1/assessments/oral/{oral_signed}/correct",
     ORAL_FORM, row(302, 404, 403, 404, 400, 403)),
    ("assess publish", "POST", "/g/g1/assessments/publish", {}, MANAGE_POST),
    ("assess decision", "POST", "/g/g1/assessments/decision",
     {"learner": "lea@example.org", "jury_id": "{jury}", "decided_on": "2026-12-18",
      "outcome": "validé"}, JURY_WRITE),
    ("jury create", "POST", "/assessments/juries",
     {"jury_name": "Jury 2", "session_date": "2026-12-18", "name-0": "Eve",
      "email-0": "eve@example.org", "quality-0": "formation", "name-1": "Pro",
      "email-1": "pro@example.org", "quality-1": "professionnel"}, MANAGE_POST),
    ("grid load", "POST", "/assessments/grids",
     {"definition": "id: maison\nlevels:\n" + "".join(f"- value: {v}\n" for v in range(5))},
     MANAGE_POST),
    ("verify upload without file", "POST", "/verify", {}, row(302, 403, 403, 403, 400, 403)),
    ("own password", "POST", "/account", {"current": "wrong", "new": "x", "confirm": "x"},
     row(302, 400, 400, 400, 400, 400)),
    ("logout", "POST", "/logout", {}, row(302, 303, 303, 303, 303, 303)),
    ("language", "POST", "/lang", {"lang": "en"}, row(303, 303, 303, 303, 303, 303)),
]  # fmt: skip


def _orals(web: Web) -> dict[str, int]:
    """For the oral rows: lea's oral signed by the evaluator with the jury, and a draft for
    another learner of g1 (not a member in sources.yml: the page does not list him)."""
    from watcher.assess.rules import Viewer
    from watcher.jobs import open_workspace
    from watcher.jobs.assess import OralInput, record_oral, sign_oral_record
    from watcher.model import OralMark

    eve = Viewer.of("evaluator", EMAILS["evaluator"])
    oral = OralInput(NOW.date(), 20, tuple(OralMark(f"C{n}", "", 3) for n in range(1, 8)))
    with open_workspace(web.workspace) as w:
        made = {
            name: record_oral(w, eve, grid_id="bloc1-jury", learner=learner, group_id="g1",
                              oral=oral, now=NOW, jury_id=web.ids.jury).id or 0
            for name, learner in (("oral_signed", EMAILS["learner"]),
                                  ("oral_draft", "karim@example.org"))
        }  # fmt: skip
        sign_oral_record(w, eve, made["oral_signed"], NOW)
    return made


def _path(web: Web, template: str, **more: int) -> str:
    ids = web.ids
    other = web.users.by_email(EMAILS["other"])
    tutor = web.users.by_email(EMAILS["tutor"])
    assert other is not None and tutor is not None
    return template.format(
        g1=ids.g1, g1_twin=ids.g1_twin, shared=ids.shared, token=web.token(),
        uid_other=other.id, uid_tutor=tutor.id, jury=ids.jury, signed=ids.signed,
        draft=ids.draft, **({"oral_signed": 0, "oral_draft": 0} | more),
    )  # fmt: skip


CASES = [
    pytest.param(name, method, path, data, role, codes[role], id=f"{name}-{role}")
    for name, method, path, data, codes in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("name", "method", "path", "data", "role", "expected"), CASES)
def test_role_page_matrix(
    request: pytest.FixtureRequest,
    name: str,
    method: str,
    path: str,
    data: dict[str, str] | None,
    role: str,
    expected: int,
) -> None:
    web: Web = request.getfixturevalue("shared_web" if method == "GET" else "sqlite_web")
    client = web.client(role)
    more = _orals(web) if "{oral_" in path or name == "oral record signed" else {}
    url = _path(web, path, **more)
    if method == "GET":
        response = client.get(url)
    else:
        form = {key: _path(web, value) for key, value in (data or {}).items()}
        response = client.post(url, data={**form, "csrf_token": CSRF})
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if role == "anon" and expected == 302 and name == "logout":  # signed out already
        assert response.headers["Location"] == "/login?out=1"
    elif role == "anon" and expected == 302 and name != "home":
        assert response.headers["Location"].startswith("/login?next=")


def test_matrix_covers_every_route(web: Web) -> None:
    """A new route must be added to the matrix (with every role)."""
    covered = set()
    adapter = web.app.url_map.bind("localhost")
    for _name, method, path, _data, _codes in MATRIX:
        endpoint, _args = adapter.match(_path(web, path).split("?")[0], method=method)
        covered.add(endpoint)
    routes = {rule.endpoint for rule in web.app.url_map.iter_rules()} - {"static"}
    assert routes == covered


def test_denied_writes_change_nothing(web: Web) -> None:
    """A tutor, an evaluator and another group's learner cannot curate g1."""
    for role in ("tutor", "evaluator", "other", "admin"):
        client = web.client(role)
        client.post(f"/g/g1/items/{web.ids.g1}/curation",
                    data={"status": "rejected", "reason": "x", "csrf_token": CSRF})  # fmt: skip
        client.post(f"/g/g1/items/{web.ids.g1}/fiche", data={"quoi": "pirate", "csrf_token": CSRF})
    assert web.store.curations("g1")[web.ids.g1].status == "retained"
    fiche = web.store.fiche("g1", web.ids.g1)
    assert fiche is not None and fiche.quoi == "Baisse de prix"
    assert [a.actor for a in web.store.activity_log("g1")] == [EMAILS["learner"]] * 2


# --- CSRF, headers, cookies -------------------------------------------------------------------

POSTS = [(name, path, data) for name, method, path, data, _ in MATRIX if method == "POST"]


@pytest.mark.parametrize(("name", "path", "data"), POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("token", [None, "wrong-token-" + "x" * 30])
def test_posts_without_the_csrf_token_are_refused(
    web: Web, name: str, path: str, data: dict[str, str], token: str | None
) -> None:
    client = web.client("admin" if name.startswith("admin") else "learner")
    form = dict(data or {})
    if token:
        form["csrf_token"] = token
    response = client.post(_path(web, path), data=form)
    assert response.status_code == 400
    assert "formulaire a expiré" in response.get_data(as_text=True)


def test_login_form_needs_csrf_too(web: Web) -> None:
    client = web.app.test_client()
    response = client.post("/login", data={"email": EMAILS["learner"], "password": PASSWORD})
    assert response.status_code == 400


def test_security_headers(web: Web) -> None:
    response = web.client("learner").get("/g/g1/search?q=prix")
    csp = response.headers["Content-Security-Policy"]
    for part in ("default-src 'self'", "script-src 'self'", "img-src 'self' data:",
                 "frame-ancestors 'none'", "form-action 'self'", "object-src 'none'"):  # fmt: skip
        assert part in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert SHARED_SCRIPT in body  # the one script: a file of the app's, never inline
    body = body.replace(SHARED_SCRIPT, "")
    assert "<script" not in body and " style=" not in body and " on" + "click" not in body


def _login(client: FlaskClient, email: str, password: str, ip: str = "10.0.0.1") -> Any:
    page = client.get("/login", environ_base={"REMOTE_ADDR": ip}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1), "next": "/"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_a_served_app_warms_the_search_index_at_start_up(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside tests, create_app reads the index's columns in a thread of its own, so that the
    first search does not; they are kept beside each segment (watcher_columns.npz)."""
    for path in web.workspace.index.glob("*.watcher_columns.npz"):  # a search may have made it
        path.unlink()
    warmed = threading.Event()
    real_warm = watcher.web._warm

    def warm_then_tell(index: SearchIndex) -> None:
        assert threading.current_thread() is not threading.main_thread()
        real_warm(index)
        warmed.set()

    monkeypatch.setattr(watcher.web, "_warm", warm_then_tell)
    app = create_app(web.workspace, now=lambda: NOW, testing=False)
    try:
        assert warmed.wait(60), "the index was not warmed"
        assert list(web.workspace.index.glob("*.watcher_columns.npz"))
    finally:
        app.extensions["watcher"].close()


def test_session_cookie_flags(web: Web) -> None:
    app = create_app(web.workspace, now=lambda: NOW, testing=True, secure_cookies=True)
    try:
        client = app.test_client()
        response = _login(client, EMAILS["learner"], PASSWORD)
        assert response.status_code == 303
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
        assert cookie.startswith("watcher_session=")
    finally:
        app.extensions["watcher"].close()


def test_login_logout_and_safe_next(web: Web) -> None:
    client = web.app.test_client()
    assert client.get("/g/g1/search").headers["Location"] == "/login?next=/g/g1/search"
    bad = _login(client, EMAILS["learner"], "nope")
    assert bad.status_code == 401
    assert "incorrect" in bad.get_data(as_text=True)
    unknown = _login(client, "nobody@example.org", PASSWORD)
    assert unknown.get_data(as_text=True).count("incorrect") == 1  # same answer: no enumeration
    response = _login(client, EMAILS["learner"].upper(), PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert client.get("/g/g1/search").status_code == 200
    page = client.get("/").headers["Location"]
    assert page == "/g/g1/search"
    # the login form never sends anyone to another site
    client2 = web.app.test_client()
    html = client2.get("/login?next=//evil.example.org/x").get_data(as_text=True)
    assert 'name="next" value="/"' in html  # not //evil.example.org
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    response = client2.post("/login", data={
        "email": EMAILS["learner"], "password": PASSWORD, "csrf_token": token.group(1),
        "next": "https://evil.example.org/"})  # fmt: skip
    assert response.headers["Location"] == "/"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").get_data(True))
    assert csrf
    assert client.post("/logout", data={"csrf_token": csrf.group(1)}).status_code == 303
    assert client.get("/g/g1/search").status_code == 302


def test_login_is_rate_limited_per_account_and_per_address(web: Web) -> None:
    clock = [NOW]
    app = create_app(web.workspace, now=lambda: clock[0], testing=True)
    try:
        client = app.test_client()
        for _ in range(5):
            assert _login(client, EMAILS["learner"], "wrong").status_code == 401
        locked = _login(client, EMAILS["learner"], PASSWORD, ip="10.9.9.9")  # another address
        assert locked.status_code == 429
        assert "15 minutes" in locked.get_data(as_text=True)
        assert _login(client, EMAILS["tutor"], PASSWORD).status_code == 303  # others unaffected
        clock[0] = NOW + timedelta(minutes=16)
        assert _login(client, EMAILS["learner"], PASSWORD).status_code == 303
        # per address: many accounts tried from one address
        for n in range(20):
            _login(client, f"guess{n}@example.org", "wrong", ip="10.6.6.6")
        assert _login(client, EMAILS["evaluator"], PASSWORD, ip="10.6.6.6").status_code == 429
        assert _login(client, EMAILS["evaluator"], PASSWORD, ip="10.7.7.7").status_code == 303
    finally:
        app.extensions["watcher"].close()


def test_password_change_closes_other_sessions(web: Web) -> None:
    first, second = web.app.test_client(), web.app.test_client()
    assert _login(first, EMAILS["learner"], PASSWORD).status_code == 303
    assert _login(second, EMAILS["learner"], PASSWORD).status_code == 303
    html = first.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    new = "un autre mot de passe"
    response = first.post("/account", data={
        "current": PASSWORD, "new": new, "confirm": new, "csrf_token": token.group(1)})  # fmt: skip
    assert response.status_code == 303
    assert first.get("/g/g1/search").status_code == 200  # this session stays
    assert second.get("/g/g1/search").status_code == 302  # the other one is closed
    assert web.users.authenticate(EMAILS["learner"], new) is not None


def test_role_change_by_admin_applies_at_once(web: Web) -> None:
    learner = web.client("other")
    assert learner.get("/g/g2/search").status_code == 200
    other = web.users.by_email(EMAILS["other"])
    assert other is not None
    admin = web.client("admin")
    response = admin.post(f"/admin/users/{other.id}", data={
        "name": "Omar", "role": "tutor", "group_id": "g2", "csrf_token": CSRF})  # fmt: skip
    assert response.status_code == 303
    assert learner.get("/g/g2/search").status_code == 302  # signed out: role changed
    assert web.users.by_email(EMAILS["other"]).role == "tutor"  # type: ignore[union-attr]
    # the last admin cannot demote itself
    me = web.users.by_email(EMAILS["admin"])
    assert me is not None
    response = admin.post(f"/admin/users/{me.id}", data={
        "name": "Ada", "role": "evaluator", "csrf_token": CSRF})  # fmt: skip
    assert response.status_code == 400


# --- search page ------------------------------------------------------------------------------


def test_search_facets_are_filters_and_scope_is_the_group(web: Web) -> None:
    client = web.client("learner")
    html = client.get("/g/g1/search?q=prix").get_data(as_text=True)
    assert "Telvia baisse le <mark>prix</mark>" in html
    assert "confirmé par l'Arcep" not in html.split("Telvia baisse le", 1)[0]  # a2 not a hit
    assert "Sanction CNIL" not in html  # g2's item
    facet = re.search(r'href="([^"]*q=prix\+axis:concurrence)" class="facet"', html)
    assert facet, "the axis facet is a link adding axis:concurrence to the query"
    filtered = client.get(facet.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="prix axis:concurrence"' in filtered
    assert "retirer ce filtre" in filtered
    entity = re.search(r'href="([^"]*q=prix\+entity:Telvia)" class="facet"', html)
    assert entity
    # the other group's learner does not find g1's items
    other = web.client("other").get("/g/g2/search?q=Telvia").get_data(as_text=True)
    assert "0 résultat" in other and "Telvia baisse" not in other
    # the evaluator reads both
    found = web.client("evaluator").get("/g/g1/search?q=Telvia").get_data(as_text=True)
    assert "<mark>Telvia</mark> baisse" in found


def test_search_window_sort_pages_and_suggestion(web: Web) -> None:
    client = web.client("learner")
    everything = client.get("/g/g1/search?q=prix&sort=date").get_data(as_text=True)
    assert "11 résultats — page 1 sur 2" in everything  # 12 items, a1 and a2 count once
    assert "Archive : vieux tarifs" not in everything  # the oldest comes last, on page 2
    page2 = client.get("/g/g1/search?q=prix&sort=date&page=2").get_data(as_text=True)
    assert "Archive : vieux tarifs" in page2
    assert 'rel="prev"' in page2 and 'rel="next"' not in page2
    week = client.get("/g/g1/search?q=prix&window=7d").get_data(as_text=True)
    assert "Archive : vieux tarifs" not in week and "page 1 sur 2" not in week
    assert '<option value="7d" selected>' in week
    suggestion = client.get("/g/g1/search?q=promotiom").get_data(as_text=True)
    assert "Vouliez-vous dire" in suggestion
    assert re.search(r'<a href="[^"]*q=promotion">promotion</a>', suggestion)
    error = client.get('/g/g1/search?q="prix')
    assert error.status_code == 400 and "Guillemet non fermé" in error.get_data(as_text=True)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


SHARED_SCRIPT = '<script src="/static/watcher.js" defer></script>'


def assert_no_active_content(html: str) -> None:
    """No script element but the app's shared file, no event handler, no javascript: link, no
    remote image."""
    parser = _Tags()
    parser.feed(html.replace(SHARED_SCRIPT, ""))
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img"), (tag, attrs)
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text", "vbscript:")), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)


def test_untrusted_text_is_escaped(web: Web) -> None:
    client = web.client("learner")
    for url in ("/g/g1/search?q=hameçonnage", f"/g/g1/items/{web.ids.script}"):
        html = client.get(url).get_data(as_text=True)
        assert "Hameçonnage" in html
        assert_no_active_content(html)
        assert "&lt;script&gt;" in html


def test_saved_search_feed_and_revocation(web: Web) -> None:
    client = web.client("learner")
    page = client.get("/g/g1/searches").get_data(as_text=True)
    feed_url = re.search(r'value="(http://localhost/feeds/[^"]+\.rss)"', page)
    assert feed_url
    path = feed_url.group(1).removeprefix("http://localhost")
    anonymous = web.app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "application/rss+xml"
    rss = ET.fromstring(response.data)
    titles = [t.text for t in rss.iter("title")]
    assert "Groupe 1 — prix" in titles and "Telvia baisse le prix de ses forfaits" in titles
    assert not any("CNIL" in (t or "") for t in titles)
    assert client.post("/g/g1/searches/revoke", data={"name": "prix", "csrf_token": CSRF})
    assert anonymous.get(path).status_code == 404
    new_page = client.get("/g/g1/searches").get_data(as_text=True)
    new_url = re.search(r'value="http://localhost(/feeds/[^"]+\.rss)"', new_page)
    assert new_url and new_url.group(1) != path
    assert anonymous.get(new_url.group(1)).status_code == 200
    # saving, running, deleting
    response = client.post("/g/g1/searches", data={
        "name": "rgpd", "q": "RGPD", "sort": "date", "csrf_token": CSRF})  # fmt: skip
    assert response.status_code == 303
    assert "rgpd" in {s.name for s in web.store.saved_searches("g1")}
    bad = client.post("/g/g1/searches", data={"name": "x", "q": "(", "csrf_token": CSRF})
    assert bad.status_code == 400
    client.post("/g/g1/searches/delete", data={"name": "rgpd", "csrf_token": CSRF})
    assert "rgpd" not in {s.name for s in web.store.saved_searches("g1")}


def test_an_error_no_page_handles_is_a_french_page_with_its_status(web: Web) -> None:
    """The app's error boundary: a use case's WatcherError that the page does not turn into a
    message of its own answers with the error's status and its French message."""
    client = web.client("learner")
    gone = client.post("/g/g1/searches/delete", data={"name": "jamais", "csrf_token": CSRF})
    assert gone.status_code == 404
    assert "Pas de recherche « jamais » pour g1." in gone.get_data(as_text=True)


# --- item page and curation -------------------------------------------------------------------


def test_item_page_shows_provenance_reliability_refs_and_cluster(web: Web) -> None:
    html = web.client("tutor").get(f"/g/g1/items/{web.ids.g1}").get_data(as_text=True)
    item = web.store.get_item(web.ids.g1)
    assert item is not None
    assert item.content_hash in html
    assert "Source Un" in html and "primaire" in html and "13/15" in html
    assert 'href="https://eur-lex.europa.eu/eli/reg/2016/679/oj"' in html
    assert "lien officiel" in html
    assert "Prix des forfaits : Telvia confirmé" in html  # the cluster's other item
    assert "Telvia" in html and "Organisations" in html
    assert "Comparer nos tarifs" in html  # the fiche
    assert "Retenir" not in html  # a tutor sees no curation buttons


def test_a_fiche_pasted_with_control_characters_is_saved_without_them_and_the_dossier_written(
    sqlite_web: Web, tmp_path: Path
) -> None:
    """A learner pastes from a word processor: a manual line break (a vertical tab), a bell, a
    soft hyphen. The fiche is stored without them (a space for the line break), so the group's
    DOCX and XLSX dossier, where XML forbids control characters, is still written."""
    from docx import Document

    from watcher.jobs import open_workspace
    from watcher.jobs.dossier import export_dossier

    web = sqlite_web
    form = {"quoi": "Baisse\x0bdes prix\x07", "summary": "Telvia ré\u00adduit ses tarifs",
            "importance": "Concurrent\x0cdirect", "csrf_token": CSRF}  # fmt: skip
    response = web.client("learner").post(f"/g/g1/items/{web.ids.g1}/fiche", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    fiche = web.store.fiche("g1", web.ids.g1)
    assert fiche is not None
    assert (fiche.quoi, fiche.summary, fiche.importance) == (
        "Baisse des prix",
        "Telvia réduit ses tarifs",
        "Concurrent direct",
    )
    with open_workspace(web.workspace) as w:
        written = export_dossier(w, load_watch(web.workspace.config), "g1",
                                 NOW.date() - timedelta(days=60), NOW.date(), now=NOW,
                                 out=tmp_path / "out", formats=["docx", "xlsx"])  # fmt: skip
    docx = next(path for path in written.paths if path.suffix == ".docx")
    document = Document(str(docx))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("Telvia réduit ses tarifs" in text for text in texts)


def test_curation_and_fiche_flow_is_logged(web: Web) -> None:
    client = web.client("learner")
    twin = web.ids.g1_twin
    no_reason = client.post(f"/g/g1/items/{twin}/curation",
                            data={"status": "rejected", "csrf_token": CSRF})  # fmt: skip
    assert no_reason.status_code == 400 and "motivé" in no_reason.get_data(as_text=True)
    assert twin not in web.store.curations("g1")
    client.post(f"/g/g1/items/{twin}/curation",
                data={"status": "rejected", "reason": "doublon", "csrf_token": CSRF})  # fmt: skip
    assert web.store.curations("g1")[twin].reason == "doublon"
    form = {"quoi": "Baisse", "summary": "Telvia baisse ses prix", "importance": "Concurrent",
            "action": "Alerter le service commercial", "action_owner": "",
            "action_deadline": "2026-12-15", "crosscheck_item_id": str(web.ids.g2),
            "csrf_token": CSRF}  # fmt: skip
    url = f"/g/g1/items/{web.ids.g1}/fiche"
    assert "responsable" in client.post(url, data=form).get_data(as_text=True)
    form["action_owner"] = "Léa"
    response = client.post(url, data=form)  # cross-check from another group's watch
    assert response.status_code == 400 and "recoupement" in response.get_data(as_text=True)
    form["crosscheck_item_id"] = "soon"
    assert client.post(url, data=form).status_code == 400
    form["action_deadline"] = "15/12"
    form["crosscheck_item_id"] = str(twin)
    assert client.post(url, data=form).status_code == 400
    form["action_deadline"] = "2026-12-15"
    assert client.post(url, data=form).status_code == 303
    fiche = web.store.fiche("g1", web.ids.g1)
    assert fiche is not None and fiche.crosscheck_item_id == twin
    assert str(fiche.action_deadline) == "2026-12-15"
    item = client.get(f"/g/g1/items/{web.ids.g1}").get_data(as_text=True)
    assert "Recoupement" in item and "Prix des forfaits : Telvia confirmé" in item
    log = client.get("/g/g1/log").get_data(as_text=True)
    assert "a rejeté" in log and "« doublon »" in log and "Learner" in log
    curated = client.get("/g/g1/curated").get_data(as_text=True)
    assert "Alerter le service commercial" in curated
    preview = client.get("/g/g1/digests/preview").get_data(as_text=True)
    assert "Telvia baisse le prix de ses forfaits" in preview
    assert "<script" not in preview.replace(SHARED_SCRIPT, "") and " style=" not in preview
    # g2 sees none of g1's curation
    assert "doublon" not in web.client("other").get("/g/g2/log").get_data(as_text=True)


def test_fiche_form_is_prefilled_from_entities(web: Web) -> None:
    html = web.client("learner").get(f"/g/g1/items/{web.ids.g1_twin}/fiche").get_data(True)
    assert 'name="qui" value="Telvia"' in html
    assert 'name="quand" value="26/11/2026"' in html


# --- sources, OPML, digests -------------------------------------------------------------------


def test_sources_page_health_and_plan(web: Web) -> None:
    store = web.store
    from watcher.model import SourceResult

    store.record_source_result(SourceResult("s1", new=3), NOW, None)
    failed = SourceResult("shared", error="HTTP 503")
    store.record_source_result(failed, NOW, NOW + timedelta(hours=2))
    html = web.client("learner").get("/g/g1/sources").get_data(as_text=True)
    assert "Source Un" in html and "Source Commune" in html and "Source Deux" not in html
    assert "HTTP 503" in html and "pause jusqu" in html
    assert "Marché &amp; concurrence" in html  # plan de veille columns
    assert "Thèmes PESTEL : Données personnelles" in html  # an axis tied to a topic
    assert "3,2" in html  # s1: 13 items in the last 4 weeks → 3,2 a week (French number)


def test_a_groups_sources_page_counts_the_items_of_that_group(web: Web) -> None:
    """A source shared by two groups: each group's page counts what that group has of it."""
    joined = _entry("c2", "Un article pour le seul groupe 2", "Rien pour le groupe 1.", NOW)
    web.store.store_feed("shared", ["g2"], [joined], NOW, url="https://shared", found=None)

    def total_of_shared(group_id: str) -> str:
        html = web.client("admin").get(f"/g/{group_id}/sources").get_data(as_text=True)
        row = re.search(r"<tr[^>]*>\s*<td><strong>Source Commune</strong>.*?</tr>", html, re.S)
        assert row is not None
        return re.findall(r"<td>(.*?)</td>", row.group(0), re.S)[-1]

    assert (total_of_shared("g1"), total_of_shared("g2")) == ("1", "2")


def test_opml_export_and_import_preview(web: Web) -> None:
    client = web.client("learner")
    response = client.get("/g/g1/sources.opml")
    assert response.mimetype == "text/x-opml"
    urls = {o.get("xmlUrl") for o in ET.fromstring(response.data).iter("outline")} - {None}
    assert urls == {"https://un.example.org/rss", "https://commune.example.org/rss"}
    before = web.workspace.config.read_bytes()
    opml = (
        '<opml version="2.0"><body><outline text="Marché &amp; concurrence">'
        '<outline text="LSA" xmlUrl="https://www.lsa-conso.fr/rss"/>'
        '<outline text="Un" xmlUrl="https://un.example.org/rss"/></outline>'
        '<outline text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>'
    )
    html = client.post("/g/g1/sources/import", data={"opml": opml, "csrf_token": CSRF})
    text = html.get_data(as_text=True)
    assert "id: lsa" in text and "url: https://www.lsa-conso.fr/rss" in text
    assert "axis: concurrence" in text and "- g1" in text
    assert "Déjà suivis" in text and "<code>s1</code>" in text
    assert "adresse non http(s)" in text
    assert web.workspace.config.read_bytes() == before  # sources.yml is never rewritten
    evil = '<!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>'
    refused = client.post("/g/g1/sources/import", data={"opml": evil, "csrf_token": CSRF})
    assert refused.status_code == 400


def test_a_deeply_nested_opml_gets_a_400_with_a_message(web: Web) -> None:
    deep = (
        '<opml version="2.0"><body>'
        + '<outline text="d">' * 50_000
        + "</outline>" * 50_000
        + "</body></opml>"
    )
    client = web.client("learner")
    refused = client.post("/g/g1/sources/import", data={"opml": deep, "csrf_token": CSRF})
    assert refused.status_code == 400
    assert "dossiers imbriqués sur plus de 50 niveaux" in refused.get_data(as_text=True)


def test_archived_digest_is_sandboxed(web: Web) -> None:
    response = web.client("evaluator").get("/g/g1/digests/2026-W47.html")
    assert b"Digest W47" in response.data
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "script" not in response.headers["Content-Security-Policy"]
    listing = web.client("evaluator").get("/g/g1/digests").get_data(as_text=True)
    assert "2026-W47.html" in listing
    assert web.client("learner").get("/g/g1/digests/..%2Fg2%2Fx.html").status_code == 404


# --- language ---------------------------------------------------------------------------------


def test_english_interface(web: Web) -> None:
    client = web.client("learner")
    assert "Recherche" in client.get("/g/g1/search").get_data(as_text=True)
    client.post("/lang", data={"lang": "en", "csrf_token": CSRF, "next": "/g/g1/search"})
    html = client.get("/g/g1/search?q=prix").get_data(as_text=True)
    assert '<html lang="en">' in html and "Search" in html and " result" in html
    assert "Recherches enregistrées" not in html


def test_every_message_has_an_english_translation() -> None:
    from watcher.changes import GONE_NOTES
    from watcher.web.i18n import EN

    root = Path(__file__).resolve().parent.parent / "watcher"
    texts = [p.read_text(encoding="utf-8") for p in (root / "templates" / "web").rglob("*.html")]
    texts += [p.read_text(encoding="utf-8") for p in (root / "web").glob("*.py")]
    found = set()
    for text in texts:
        for match in re.finditer(r"""_\(\s*(["'])((?:\\.|(?!\1).)*)\1""", text, re.S):
            found.add(match.group(2).replace("\\'", "'").replace('\\"', '"'))
        # a count's two forms: _n("{n} résultat", "{n} résultats", n)
        counts = r"""_n\(\s*(["'])((?:\\.|(?!\1).)*)\1\s*,\s*(["'])((?:\\.|(?!\3).)*)\3"""
        for match in re.finditer(counts, text, re.S):
            for form in (match.group(2), match.group(4)):
                found.add(form.replace("\\'", "'").replace('\\"', '"'))
    found -= {"fr", "en"}
    found |= set(GONE_NOTES.values())  # translated where a change's page shows them
    missing = sorted(m for m in found if m not in EN)
    assert not missing, missing


def test_the_queue_page_says_plainly_when_there_is_no_queue(web: Web, database: str) -> None:
    """The admin's page « File distribuée » shows what `watcher status` shows of the queue; an
    embedded watch (SQLite) has none, and a PostgreSQL store on which no distributed role has
    started has none yet: the page says which, and what to do, instead of an empty table."""
    admin = web.client("admin")
    html = unescape(admin.get("/admin/queue").get_data(as_text=True))
    assert "File distribuée" in html
    if not database.startswith("postgresql"):
        assert "Cette veille tourne en mode intégré" in html and "SQLite" in html, html
        assert "Travailleurs" not in html
    else:
        assert "aucun rôle distribué n'y a encore démarré" in html, html
        assert "watcher serve --role worker" in html
    admin.post("/lang", data={"lang": "en", "csrf_token": CSRF, "next": "/admin/queue"})
    english = unescape(admin.get("/admin/queue").get_data(as_text=True))
    assert "Distributed queue" in english and "File distribuée" not in english, english
