"""Pure parts of the web area: sanitising, OPML, permissions, accounts, the secret key, the CLI,
the render cache."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from watcher.cli.main import main
from watcher.collect.opml import OpmlError, OpmlFeed, export_opml, parse_opml, plan_import
from watcher.config import parse_watch
from watcher.model import User
from watcher.sanitize import clean_html, clean_snippet, safe_url, text_to_html
from watcher.store import Store
from watcher.store.users import LoginLocked, UserError, Users
from watcher.web import permissions, secret_key
from watcher.workspace import Workspace

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

# --- sanitize ---------------------------------------------------------------------------------

PAYLOADS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<p onclick="alert(1)" style="background:url(x)">x</p>',
    '<iframe src="https://evil.example.org"></iframe>',
    '<form action="https://evil.example.org"><input name=p></form>',
    '<svg onload=alert(1)><circle/></svg>',
    '<img src="https://tracker.example.org/pixel.gif">',
    '<object data="x.swf"></object><embed src="x">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<style>body{display:none}</style><link rel=stylesheet href=x>',
    '<!--<script>alert(1)</script>-->',
]  # fmt: skip


FORBIDDEN = (
    "<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<form", "<img",
    "<svg", "<object", "<embed", "style", "data:", "<link", "<!--",
)  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_html_removes_active_content(payload: str) -> None:
    cleaned = clean_html(f"<p>avant</p>{payload}<p>après</p>").lower()
    for bad in FORBIDDEN:
        assert bad not in cleaned, (payload, cleaned)
    assert "avant" in cleaned and "après" in cleaned


def test_clean_html_keeps_structure_and_safe_links() -> None:
    html = clean_html('<h2>T</h2><p>Un <a href="https://www.cnil.fr/x">lien</a> <mark>m</mark></p>')
    assert '<a href="https://www.cnil.fr/x" rel="noopener noreferrer nofollow">lien</a>' in html
    assert "<h2>T</h2>" in html and "<mark>m</mark>" in html


def test_snippets_keep_only_mark_and_text_is_escaped() -> None:
    assert clean_snippet("a <mark>b</mark> &lt;script&gt;") == "a <mark>b</mark> &lt;script&gt;"
    assert clean_snippet("<b>x</b><script>y</script>") == "x"
    html = text_to_html('Titre <script>alert("x")</script>\n\nSuite & fin', limit=None)
    assert html == '<p>Titre &lt;script&gt;alert("x")&lt;/script&gt;</p><p>Suite &amp; fin</p>'
    short = text_to_html("mot " * 100, limit=30)
    assert short.endswith(" …</p>") and len(short) < 50


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.legifrance.gouv.fr/x", "https://www.legifrance.gouv.fr/x"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        (" JAVASCRIPT:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example.org", None),
        ("/relative", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


# --- OPML -------------------------------------------------------------------------------------

WATCH = parse_watch(
    yaml.safe_dump(
        {
            "watch": {"name": "W"},
            "axes": [{"id": "concurrence", "label": "Marché & concurrence"}],
            "groups": [{"id": "g1", "name": "G"}],
            "sources": [{"id": "cnil", "kind": "feed", "url": "https://www.cnil.fr/fr/rss.xml"}],
        }
    ),
    Path("sources.yml"),
)


def test_opml_round_trip() -> None:
    feeds = [
        OpmlFeed("CNIL", "https://www.cnil.fr/fr/rss.xml", category="Juridique"),
        OpmlFeed("LSA & co <b>", "https://www.lsa-conso.fr/rss", "https://www.lsa-conso.fr/"),
    ]
    data = export_opml("Veille « test »", feeds, NOW)
    assert data.startswith(b"<?xml")
    assert parse_opml(data) == feeds


def test_opml_import_plan_proposes_yaml_and_never_duplicates() -> None:
    feeds = [
        OpmlFeed("CNIL", "https://www.cnil.fr/fr/rss.xml/"),
        OpmlFeed(
            "Marché: «LSA»\nid: pirate",
            "https://www.lsa-conso.fr/rss",
            category="Marché & concurrence",
        ),
        OpmlFeed("Marché: «LSA»", "https://www.lsa-conso.fr/autre"),
        OpmlFeed("FTP", "ftp://example.org/feed"),
    ]
    plan = plan_import(feeds, WATCH, "g1")
    assert [sid for _, sid in plan.known] == ["cnil"]
    assert [sid for _, sid in plan.new] == ["marche-lsa-id-pirate", "marche-lsa"]
    assert [why for _, why in plan.rejected] == ["adresse non http(s)"]
    entries = yaml.safe_load(plan.yaml_lines)  # valid YAML, injection attempts stay values
    assert entries[0]["name"] == "Marché: «LSA»\nid: pirate"
    assert entries[0]["axis"] == "concurrence" and entries[0]["groups"] == ["g1"]
    assert "axis" not in entries[1]
    config = yaml.safe_load(yaml.safe_dump({"sources": entries}))  # pasted under sources:
    assert parse_watch(yaml.safe_dump({**yaml.safe_load(_base_yaml()), **config}), Path("x"))


def _base_yaml() -> str:
    return yaml.safe_dump({
        "watch": {"name": "W"},
        "axes": [{"id": "concurrence", "label": "Marché & concurrence"}],
        "groups": [{"id": "g1", "name": "G"}],
    })  # fmt: skip


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE opml [<!ENTITY x "y">]><opml><body/></opml>',
        b"<opml><body><outline",
        b"<html><body/></html>",
        b"<opml version='2.0'/>",
        b"x" * 2_000_001,
    ],
)
def test_opml_refuses_bad_files(data: bytes) -> None:
    with pytest.raises(OpmlError):
        parse_opml(data)


def test_a_malformed_opml_file_says_where_in_french() -> None:
    """The OPML import quoted expat's English (« mismatched tag: line 1, column 23 »)."""
    with pytest.raises(OpmlError) as refused:
        parse_opml(b'<opml version="2.0">\n<body><outline text="Flux"></body></opml>')
    assert str(refused.value) == "fichier OPML illisible : XML mal formé (ligne 2, colonne 30)"


def nested_opml(levels: int) -> bytes:
    """Feeds in `levels` folders, each inside the one before."""
    return (
        b'<opml version="2.0"><body>'
        + b'<outline text="dossier">' * (levels - 1)
        + b'<outline text="Flux" xmlUrl="https://ex.fr/rss"/>'
        + b"</outline>" * (levels - 1)
        + b"</body></opml>"
    )


def test_opml_nested_deeply_is_refused_with_a_message_not_a_crash() -> None:
    with pytest.raises(OpmlError, match="dossiers imbriqués sur plus de 50 niveaux"):
        parse_opml(nested_opml(50_000))
    with pytest.raises(OpmlError, match="plus de 50 niveaux"):
        parse_opml(nested_opml(51))
    [feed] = parse_opml(nested_opml(50))
    assert feed.xml_url == "https://ex.fr/rss" and feed.category == "dossier"


# --- permissions ------------------------------------------------------------------------------


def _user(role: str, group: str | None = None) -> User:
    return User(1, "x@example.org", "X", role, group, 1, NOW)


def test_permission_rules() -> None:
    learner, tutor = _user("learner", "g1"), _user("tutor", "g1")
    evaluator, admin = _user("evaluator"), _user("admin")
    assert permissions.can_read_group(learner, "g1") and not permissions.can_read_group(
        learner, "g2"
    )
    assert permissions.can_read_group(tutor, "g1") and not permissions.can_curate(tutor, "g1")
    assert permissions.can_read_group(evaluator, "g2") and not permissions.can_curate(
        evaluator, "g2"
    )
    assert not permissions.can_read_group(admin, "g1") and permissions.can_see_sources(admin, "g1")
    assert permissions.can_curate(learner, "g1") and not permissions.can_curate(learner, "g2")
    assert [permissions.can_assess(u) for u in (learner, tutor, evaluator, admin, None)] == [
        False, False, True, False, False,
    ]  # fmt: skip
    assert not permissions.can_read_group(None, "g1") and not permissions.can_admin(None)


# --- accounts ---------------------------------------------------------------------------------


def test_users_are_validated_and_hashed(tmp_path: Path) -> None:
    store = Store(tmp_path / "watcher.db")
    users = Users(store)
    groups = {"g1"}
    with pytest.raises(UserError, match="groupe"):
        users.add("a@example.org", "A", "learner", "x" * 12, now=NOW, groups=groups)
    with pytest.raises(UserError, match="groupe inconnu"):
        users.add("a@example.org", "A", "tutor", "x" * 12, group_id="g9", now=NOW, groups=groups)
    with pytest.raises(UserError, match="aucun groupe"):
        users.add("a@example.org", "A", "evaluator", "x" * 12, group_id="g1", now=NOW)
    with pytest.raises(UserError, match="10 caractères"):
        users.add("a@example.org", "A", "admin", "court", now=NOW)
    with pytest.raises(UserError, match="rôle"):
        users.add("a@example.org", "A", "root", "x" * 12, now=NOW)
    created = users.add(" A@Example.org ", "A", "learner", "x" * 12, group_id="g1", now=NOW)
    assert created.email == "a@example.org"
    with pytest.raises(UserError, match="existe déjà"):
        users.add("a@example.org", "B", "admin", "y" * 12, now=NOW)
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert stored.startswith("$argon2id$") and "x" * 12 not in stored
    assert users.authenticate("A@example.org", "x" * 12) == created
    assert users.authenticate("a@example.org", "x" * 11) is None
    users.set_password(created.id, "z" * 12, now=NOW)
    changed = users.get(created.id)
    assert changed is not None and changed.session_version == created.session_version + 1
    store.close()


def test_login_lock_window(tmp_path: Path) -> None:
    store = Store(tmp_path / "watcher.db")
    users = Users(store)
    for minute in range(5):
        moment = NOW + timedelta(minutes=minute)
        assert users.try_password("a@example.org", "faux", ip="1.1.1.1", now=moment) is None
    with pytest.raises(LoginLocked):  # from any address
        users.try_password("a@example.org", "faux", ip="2.2.2.2", now=NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=15, seconds=1)  # the first failure left the window
    assert users.try_password("a@example.org", "faux", ip="2.2.2.2", now=later) is None
    moment = NOW + timedelta(minutes=5)
    assert users.try_password("b@example.org", "faux", ip="2.2.2.2", now=moment) is None
    store.close()


def test_a_right_password_restarts_the_accounts_count_not_the_addresses(tmp_path: Path) -> None:
    store = Store(tmp_path / "watcher.db")
    users = Users(store)
    users.add("a@example.org", "A", "evaluator", "x" * 12, now=NOW)
    for _ in range(4):
        assert users.try_password("a@example.org", "faux", ip="1.1.1.1", now=NOW) is None
    assert users.try_password("a@example.org", "x" * 12, ip="1.1.1.1", now=NOW) is not None
    for _ in range(5):  # the account's count starts again after its right password …
        assert users.try_password("a@example.org", "faux", ip="1.1.1.1", now=NOW) is None
    with pytest.raises(LoginLocked):
        users.try_password("a@example.org", "x" * 12, ip="1.1.1.1", now=NOW)
    for n in range(11):  # … the address's does not: 9 + 11 = 20 failures from 1.1.1.1
        assert users.try_password(f"c{n}@example.org", "faux", ip="1.1.1.1", now=NOW) is None
    with pytest.raises(LoginLocked):
        users.try_password("d@example.org", "faux", ip="1.1.1.1", now=NOW)
    store.close()


def test_feed_tokens(tmp_path: Path) -> None:
    store = Store(tmp_path / "watcher.db")
    users = Users(store)
    token = users.feed_token("g1", "rgpd", now=NOW)
    assert len(token) >= 40 and users.feed_token("g1", "rgpd", now=NOW) == token
    assert users.feed_for_token(token) == ("g1", "rgpd")
    assert users.feed_for_token(token[:-1]) is None and users.feed_for_token("") is None
    assert users.revoke_feed_token("g1", "rgpd")
    assert users.feed_for_token(token) is None
    assert users.feed_token("g1", "rgpd", now=NOW) != token
    store.close()


# --- secret key -------------------------------------------------------------------------------


def test_secret_key_file_is_private_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WATCHER_SECRET_KEY", raising=False)
    monkeypatch.delenv("WATCHER_DB", raising=False)
    workspace = Workspace(tmp_path / "sources.yml")
    key = secret_key(workspace)
    path = tmp_path / "web-secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 32 and secret_key(workspace) == key
    path.chmod(0o644)
    assert secret_key(workspace) == key and stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("WATCHER_SECRET_KEY", "k" * 40)
    assert secret_key(workspace) == "k" * 40
    monkeypatch.setenv("WATCHER_SECRET_KEY", "short")
    with pytest.raises(RuntimeError):
        secret_key(workspace)


# --- CLI --------------------------------------------------------------------------------------


def test_user_commands(tmp_path: Path) -> None:
    config = tmp_path / "sources.yml"
    config.write_text(_base_yaml(), encoding="utf-8")
    runner = CliRunner()
    env = {"WATCHER_PASSWORD": "un mot de passe", "WATCHER_DB": ""}
    os.environ.pop("WATCHER_DB", None)
    base = ["--config", str(config), "user"]
    result = runner.invoke(main, [*base, "add", "lea@example.org", "--name", "Léa", "--role",
                                  "learner", "--group", "g1"], env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Compte créé" in result.output
    again = runner.invoke(main, [*base, "add", "lea@example.org", "--name", "L", "--role",
                                 "admin"], env=env)  # fmt: skip
    assert again.exit_code == 1
    bad = runner.invoke(main, [*base, "add", "x@example.org", "--name", "X", "--role",
                               "learner", "--group", "g9"], env=env)  # fmt: skip
    assert bad.exit_code == 2 and "groupe inconnu" in bad.output
    listed = runner.invoke(main, [*base, "list"])
    assert "lea@example.org\tLéa\tlearner\tg1" in listed.output
    changed = runner.invoke(main, [*base, "passwd", "lea@example.org"],
                            env={"WATCHER_PASSWORD": "encore un autre"})  # fmt: skip
    assert changed.exit_code == 0, changed.output
    store = Store(tmp_path / "watcher.db")
    assert Users(store).authenticate("lea@example.org", "encore un autre") is not None
    store.close()
    missing = runner.invoke(main, [*base, "passwd", "nobody@example.org"], env=env)
    assert missing.exit_code == 1


# --- the dossier's render cache ---------------------------------------------------------------


def test_render_cache_makes_one_file_at_a_time_in_the_background(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import threading

    from watcher.web.render_cache import RenderCache

    cache = RenderCache()
    go = threading.Event()

    def slow() -> bytes:
        go.wait(timeout=60)
        return b"pdf"

    first = cache.make_soon(lambda: ("k", slow))
    assert first is not None
    assert cache.make_soon(lambda: ("other", lambda: b"x")) is None  # one at a time
    go.set()
    first.join(timeout=60)
    assert cache.get("k", lambda: b"made again") == b"pdf" and cache.renders == 1

    def broken() -> tuple[str, Callable[[], bytes]]:
        raise RuntimeError("la base est fermée")

    failed = cache.make_soon(broken)  # logged, and the next one may start
    assert failed is not None
    failed.join(timeout=60)
    assert "background render failed" in caplog.text
    after = cache.make_soon(lambda: ("k2", lambda: b"two"))
    assert after is not None
    after.join(timeout=60)
    assert cache.get("k2", lambda: b"again") == b"two" and cache.renders == 2


def test_render_cache_keeps_the_last_files_and_never_a_failure() -> None:
    from watcher.web.render_cache import RenderCache

    cache = RenderCache(limit=2)
    made: list[str] = []

    def make(key: str) -> Callable[[], bytes]:
        def run() -> bytes:
            made.append(key)
            if key == "broken":
                raise RuntimeError("WeasyPrint a échoué")
            return key.encode()

        return run

    assert [cache.get(k, make(k)) for k in ("a", "b", "a")] == [b"a", b"b", b"a"]
    assert made == ["a", "b"] and cache.renders == 2
    cache.get("c", make("c"))  # three keys: "b", the least recently used, is dropped
    cache.get("a", make("a"))
    cache.get("b", make("b"))
    assert made == ["a", "b", "c", "b"]
    for _ in range(2):  # a failed render is not kept: the next request tries again
        with pytest.raises(RuntimeError, match="WeasyPrint"):
            cache.get("broken", make("broken"))
    assert made.count("broken") == 2
