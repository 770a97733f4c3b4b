"""Delivery through a REAL SMTP server on 127.0.0.1 (aiosmtpd): what arrives, outages, refused
recipients, and exactly one copy per recipient across kill -9 and re-runs."""

from __future__ import annotations

import email
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from digest_fixtures import (
    GDPR,
    IN_WEEK,
    Received,
    Sink,
    SmtpServer,
    mail_section,
    make_watch,
    seed_items,
    self_signed_certificate,
    write_config,
)

from watcher.config import Watch, load_watch
from watcher.jobs import open_workspace
from watcher.jobs.digest import deliver_outbox, send_weekly_digest
from watcher.model import Fiche
from watcher.report.digest import IsoWeek
from watcher.report.mail import MAX_ATTEMPTS, DeliveryReport, MailConfigError, message_id, retry_at
from watcher.store import Store
from watcher.store.mail import MailStore
from watcher.workspace import Workspace

W48 = IsoWeek(2026, 48)
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
EVERYONE = {"lea@example.org", "karim@example.org", "helene@example.org", "direction@example.org"}


def _groups(extra: list[str] | None = None) -> list[dict[str, object]]:
    watch = make_watch()
    group = watch.groups[0].model_dump(mode="json")
    group["digest"]["extra_recipients"] = extra if extra is not None else ["direction@example.org"]
    return [group]


def make_workspace(root: Path, port: int, **mail: object) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    config = write_config(root / "sources.yml", mail=mail_section(port, **mail), groups=_groups())
    workspace = Workspace(config)
    store = Store(workspace.database)
    try:
        ids = seed_items(
            store,
            [
                ("cnil", "La CNIL sanctionne un démarcheur", ("reglementaire",), (GDPR,)),
                ("presse", "Un concurrent « casse » ses prix", ("concurrence",), ()),
            ],
        )
        store.set_curation("g1", ids[0], "retained", actor="léa", now=IN_WEEK)
        store.save_fiche(
            Fiche(ids[0], "g1", summary="Amende de 50 000 € pour démarchage."),
            actor="léa",
            now=IN_WEEK,
        )
    finally:
        store.close()
    return workspace


def send(workspace: Workspace, now: datetime = NOW) -> object:
    watch = load_watch(workspace.config)
    with open_workspace(workspace) as w:
        return send_weekly_digest(w, watch, "g1", W48, now, send=True, timeout=5)


def retry(workspace: Workspace, watch: Watch, now: datetime, timeout: float = 30) -> DeliveryReport:
    """What `watcher serve` does at each tick: deliver what is due in the outbox."""
    with open_workspace(workspace) as w:
        return deliver_outbox(w, watch, now, timeout=timeout)


def outbox_states(workspace: Workspace) -> dict[str, str]:
    store = Store(workspace.database)
    try:
        return {row.recipient: row.state for row in MailStore(store).rows()}
    finally:
        store.close()


def parse(received: Received) -> EmailMessage:
    message = email.message_from_bytes(received.data, policy=default)
    assert isinstance(message, EmailMessage)
    return message


# --- what arrives ------------------------------------------------------------------------------


def test_every_recipient_gets_one_well_formed_french_message(tmp_path: Path, database: str) -> None:
    sink = Sink()
    with SmtpServer(sink) as server:
        workspace = make_workspace(tmp_path / "w", server.port)
        outcome = send(workspace)
    assert sorted(outcome.delivery.sent) == sorted(EVERYONE)  # type: ignore[attr-defined]
    assert sink.copies() == dict.fromkeys(EVERYONE, 1)
    assert set(outbox_states(workspace).values()) == {"sent"}

    lea = next(m for m in sink.messages if m.recipients == ["lea@example.org"])
    raw_headers = lea.data.split(b"\r\n\r\n", 1)[0].decode("ascii")  # 7-bit on the wire
    assert "=?utf-8?" in raw_headers.lower()  # RFC 2047 for the French subject and names
    message = parse(lea)
    subject = str(message["Subject"])
    assert subject.startswith("[Veille Groupe Éole] Semaine 48 (du 23 au 29 novembre 2026) — ")
    assert "Règlement (UE) 2016/679" in subject
    assert message["From"].addresses[0].display_name == "Veille CDC – Lyon"
    assert message["From"].addresses[0].addr_spec == "veille@ecole.example.org"
    assert message["To"].addresses[0].display_name == "Léa Moreau"
    assert str(message["Reply-To"]) == "tuteurs@ecole.example.org"
    assert message["Message-ID"] == message_id(
        "g1", "2026-W48", "lea@example.org", "veille@ecole.example.org"
    )
    assert parsedate_to_datetime(str(message["Date"])) == NOW
    unsubscribe = str(message["List-Unsubscribe"])
    assert unsubscribe == "<mailto:tuteurs@ecole.example.org?subject=unsubscribe%20g1>"
    assert "List-Unsubscribe: <mailto:" in raw_headers  # never an encoded word
    assert message.get_content_type() == "multipart/alternative"
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert text_part is not None and html_part is not None
    text, html = text_part.get_content(), html_part.get_content()
    for body in (text, html):
        assert "Amende de 50 000 € pour démarchage." in body
        assert "https://cnil.example.org/a/" in body
        assert "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679" in body
    assert "Un concurrent « casse » ses prix" in text
    assert "Un concurrent «\u00a0casse\u00a0» ses prix" in html  # no-break spaces in HTML
    assert "<script" not in html
    # each recipient's copy has its own Message-ID; all are distinct
    ids = {str(parse(m)["Message-ID"]) for m in sink.messages}
    assert len(ids) == len(EVERYONE)


def test_sending_again_never_sends_twice(tmp_path: Path, database: str) -> None:
    sink = Sink()
    with SmtpServer(sink) as server:
        workspace = make_workspace(tmp_path / "w", server.port)
        send(workspace)
        again = send(workspace, NOW + timedelta(hours=2))
        assert again.delivery.sent == [] and again.queued == 0  # type: ignore[attr-defined]
        assert retry(workspace, load_watch(workspace.config), NOW + timedelta(days=1)).ok
    assert sink.copies() == dict.fromkeys(EVERYONE, 1)


def test_a_refused_recipient_fails_alone(tmp_path: Path, database: str) -> None:
    sink = Sink(refuse={"karim@example.org"})
    with SmtpServer(sink) as server:
        workspace = make_workspace(tmp_path / "w", server.port)
        outcome = send(workspace)
        assert [a for a, _ in outcome.delivery.refused] == ["karim@example.org"]  # type: ignore[attr-defined]
        assert "550" in outcome.delivery.refused[0][1]  # type: ignore[attr-defined]
        # it is not retried: a refusal is final; the others are not sent again either
        retry(workspace, load_watch(workspace.config), NOW + timedelta(days=2))
    assert sink.copies() == dict.fromkeys(EVERYONE - {"karim@example.org"}, 1)
    states = outbox_states(workspace)
    assert states.pop("karim@example.org") == "failed"
    assert set(states.values()) == {"sent"}
    store = Store(workspace.database)
    try:
        karim = next(r for r in MailStore(store).rows() if r.recipient == "karim@example.org")
    finally:
        store.close()
    assert karim.next_attempt_at is None and karim.label == "échec" and "550" in karim.last_error


def test_outbox_says_how_to_fix_a_refused_address_and_the_fix_sends_it_once(
    tmp_path: Path, database: str
) -> None:
    sink = Sink(refuse={"karim@example.org"})
    with SmtpServer(sink) as server:
        workspace = make_workspace(tmp_path / "w", server.port)
        send(workspace)
        listing = subprocess.run(
            _cli(workspace, "outbox"), capture_output=True, text=True, timeout=60
        )
        said = " ".join(listing.stdout.split())
        # the week as the digest names it (« Échec (g1, 2026-W48, ligne 2) » before); the
        # command keeps its code
        week = "semaine 48 (du 23 au 29 novembre 2026)"
        assert f"Échec pour la {week} du groupe g1 (ligne " in said, said
        table = listing.stdout.split("Échec pour")[0]
        assert "2026-W48" not in table and "semaine 48" in table, table
        status = subprocess.run(
            _cli(workspace, "status"), capture_output=True, text=True, timeout=60
        ).stdout
        digests = status.split("Synthèses hebdomadaires")[1]
        assert "2026-W48" not in digests and "semaine 48 (du 23 au" in digests, digests
        command = "watcher digest --group g1 --week 2026-W48 --send"
        assert f"corrigez-la dans sources.yml, puis `{command}`" in said
        # the group fixes the typo in sources.yml and runs the command it was given
        groups = _groups()
        members = groups[0]["members"]
        assert isinstance(members, list)
        members[1]["email"] = "karim.b@example.org"
        write_config(workspace.config, mail=mail_section(server.port), groups=groups)
        again = subprocess.run(
            _cli(workspace, *command.split()[1:]), capture_output=True, text=True, timeout=60
        )
        assert "envoyé à karim.b@example.org" in again.stdout, again.stdout + again.stderr
    assert sink.copies() == {
        **dict.fromkeys(EVERYONE - {"karim@example.org"}, 1),
        "karim.b@example.org": 1,
    }


def test_smtp_down_then_back_is_retried_with_backoff_and_delivered_once(
    tmp_path: Path, database: str
) -> None:
    sink = Sink()
    server = SmtpServer(sink)  # not started: nothing listens on its port
    workspace = make_workspace(tmp_path / "w", server.port)
    watch = load_watch(workspace.config)

    outcome = send(workspace)
    assert outcome.delivery.error == (  # type: ignore[attr-defined]
        f"serveur SMTP injoignable (127.0.0.1:{server.port}) : connexion refusée (aucun serveur "
        "n'écoute sur ce port)"
    )
    store = Store(workspace.database)
    try:
        rows = MailStore(store).rows()
    finally:
        store.close()
    assert {(r.state, r.attempts, r.next_attempt_at) for r in rows} == {
        ("failed", 1, NOW + timedelta(minutes=1))
    }
    assert {r.label for r in rows} == {"nouvel essai prévu"}

    # still down at the next attempt: the wait doubles
    report = retry(workspace, watch, NOW + timedelta(minutes=1), timeout=5)
    assert report.error and len(report.retrying) == len(EVERYONE)
    assert {when for _, _, when in report.retrying} == {NOW + timedelta(minutes=3)}

    with server:  # back, on the same port
        # before the next attempt is due, nothing is tried
        assert retry(workspace, watch, NOW + timedelta(minutes=2), timeout=5).sent == []
        assert sink.messages == []
        report = retry(workspace, watch, NOW + timedelta(minutes=3), timeout=5)
        assert sorted(report.sent) == sorted(EVERYONE) and report.ok
        retry(workspace, watch, NOW + timedelta(hours=5), timeout=5)
    assert sink.copies() == dict.fromkeys(EVERYONE, 1)


def test_backoff_grows_then_gives_up() -> None:
    assert retry_at(1, NOW) == NOW + timedelta(minutes=1)
    assert retry_at(4, NOW) == NOW + timedelta(minutes=8)
    assert retry_at(MAX_ATTEMPTS - 1, NOW) == NOW + timedelta(hours=6)  # capped
    assert retry_at(MAX_ATTEMPTS, NOW) is None


def test_password_comes_from_the_environment_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WATCHER_SMTP_PASSWORD", raising=False)
    sink = Sink()
    with SmtpServer(sink) as server:
        workspace = make_workspace(tmp_path / "w", server.port, username="veille")
        with pytest.raises(MailConfigError, match="WATCHER_SMTP_PASSWORD"):
            send(workspace)
    assert sink.messages == []
    assert outbox_states(workspace) == {}  # nothing queued that could not be sent
    config = (tmp_path / "w" / "sources.yml").read_text("utf-8")
    assert "password" not in config


def test_starttls_and_login_with_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: object, session: object, envelope: object, mechanism: str, auth_data: LoginPassword
    ) -> AuthResult:
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == "s3cr3t-é".encode())

    monkeypatch.setenv("WATCHER_SMTP_CAFILE", str(cert))  # trust the test's own certificate
    monkeypatch.setenv("WATCHER_SMTP_PASSWORD", "s3cr3t-é")
    sink = Sink()
    options = {
        "tls_context": server_tls,
        "require_starttls": True,
        "authenticator": authenticator,
        "auth_require_tls": True,
    }
    with SmtpServer(sink, **options) as server:
        workspace = make_workspace(tmp_path / "w", server.port, starttls=True, username="veille")
        outcome = send(workspace)
    assert outcome.delivery.ok, outcome.delivery  # type: ignore[attr-defined]
    assert logins == [(b"veille", "s3cr3t-é".encode())]  # one session for all recipients
    assert sink.copies() == dict.fromkeys(EVERYONE, 1)


def test_a_server_that_refuses_the_session_is_explained_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the outbox and `watcher digest --send` said of a server that answered but refused
    the session was Python's or OpenSSL's English (« [SSL: CERTIFICATE_VERIFY_FAILED] … »,
    « (535, b'5.7.8 Authentication credentials invalid') », « STARTTLS extension not supported
    by server. »): a tutor now reads what went wrong and what to change, the server's own answer
    quoted with its code."""
    cert, key = self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)

    def authenticator(*_: object) -> AuthResult:
        return AuthResult(success=False, handled=False)  # the server answers 535

    monkeypatch.setenv("WATCHER_SMTP_PASSWORD", "pas-le-bon")
    tls = {"tls_context": server_tls, "require_starttls": True, "authenticator": authenticator}
    cases = [
        # the server's certificate is not trusted (no WATCHER_SMTP_CAFILE)
        ({}, tls, "certificat TLS du serveur refusé (certificat auto-signé)"),
        # a wrong password
        (
            {"env": str(cert)},
            {**tls, "auth_require_tls": True},
            "identifiant ou mot de passe refusé par le serveur (535 5.7.8 Authentication "
            "credentials invalid) : vérifiez mail.username et $WATCHER_SMTP_PASSWORD",
        ),
        # STARTTLS asked of a plain server
        (
            {},
            {},
            "le serveur ne propose pas STARTTLS : starttls: false pour un serveur local sans "
            "chiffrement, ou ssl: true sur le port du chiffrement direct (465)",
        ),
    ]
    for n, (env, options, said) in enumerate(cases):
        if env:
            monkeypatch.setenv("WATCHER_SMTP_CAFILE", env["env"])
        else:
            monkeypatch.delenv("WATCHER_SMTP_CAFILE", raising=False)
        sink = Sink()
        with SmtpServer(sink, **options) as server:
            workspace = make_workspace(
                tmp_path / f"w{n}", server.port, starttls=True, username="veille"
            )
            outcome = send(workspace)
        error = outcome.delivery.error  # type: ignore[attr-defined]
        assert error == f"serveur SMTP (127.0.0.1:{server.port}) : {said}", error
        assert sink.copies() == {}


# --- exactly once across kill -9 -----------------------------------------------------------------


def _cli(workspace: Workspace, *args: str) -> list[str]:
    return [sys.executable, "-m", "watcher.cli.main", "-c", str(workspace.config), *args]


def test_kill_9_between_sending_and_recording_still_gives_one_copy_each(
    tmp_path: Path, database: str
) -> None:
    """The sender is SIGKILLed while the server holds the second message's DATA (accepted by the
    server, not yet recorded as sent by Watcher). After a restart, every recipient has exactly
    one copy: the interrupted row is reported « non confirmé », never resent blindly."""
    data_arrived = threading.Event()
    release = threading.Event()

    def hold_second(received: Received) -> None:
        if len(sink.messages) == 2:
            data_arrived.set()
            release.wait(30)

    sink = Sink(on_data=hold_second)
    with SmtpServer(sink) as server:
        workspace = make_workspace(tmp_path / "w", server.port)
        command = _cli(workspace, "digest", "--group", "g1", "--week", "2026-W48", "--send")
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert data_arrived.wait(90), "the sender never reached the second DATA"
            os.kill(child.pid, signal.SIGKILL)
            child.wait(30)
        finally:
            release.set()
            if child.poll() is None:
                child.kill()
            child.communicate()
        assert child.returncode == -signal.SIGKILL
        states = outbox_states(workspace)
        assert sorted(states.values()) == ["pending", "pending", "sending", "sent"]
        interrupted = next(a for a, s in states.items() if s == "sending")

        rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 1, rerun.stderr  # something is still not confirmed
        assert "non confirmé : 1" in rerun.stdout
        again = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert again.returncode == 1
    assert sink.copies() == dict.fromkeys(EVERYONE, 1)
    states = outbox_states(workspace)
    assert states.pop(interrupted) == "sending"
    assert set(states.values()) == {"sent"}

    listing = subprocess.run(_cli(workspace, "outbox"), capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0 and "non confirmé" in listing.stdout
    store = Store(workspace.database)
    try:
        row_id = next(r.id for r in MailStore(store).rows() if r.recipient == interrupted)
    finally:
        store.close()
    confirmed = subprocess.run(
        _cli(workspace, "outbox", "--confirm", str(row_id)), capture_output=True, text=True
    )
    assert confirmed.returncode == 0, confirmed.stderr
    assert set(outbox_states(workspace).values()) == {"sent"}


def test_two_senders_at_once_never_send_the_same_row_twice(tmp_path: Path, database: str) -> None:
    sink = Sink()
    with SmtpServer(sink) as server:
        workspace = make_workspace(tmp_path / "w", server.port)
        command = _cli(workspace, "digest", "--group", "g1", "--week", "2026-W48", "--send")
        first = subprocess.run(
            _cli(workspace, "digest", "--group", "g1", "--week", "2026-W48"),
            capture_output=True,
            text=True,
        )
        assert first.returncode == 0 and sink.messages == []  # without --send: nothing sent
        children = [
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(3)
        ]
        deadline = time.monotonic() + 120
        for child in children:
            _, errors = child.communicate(timeout=max(deadline - time.monotonic(), 1))
            # 1: another sender still had a row in hand when this one finished
            assert child.returncode in (0, 1) and "Traceback" not in errors, errors
    assert sink.copies() == dict.fromkeys(EVERYONE, 1)
    assert set(outbox_states(workspace).values()) == {"sent"}


def test_a_group_s_digests_of_several_weeks_come_in_one_lookup(database: str) -> None:
    """The digest archive and the dossier read a group's records of many weeks at once: each
    week's own record of that group, never another group's of the same week, nothing for a week
    without one."""
    store = Store(database)
    mails = MailStore(store)
    for group, week in (("g1", "2026-W46"), ("g1", "2026-W47"), ("g2", "2026-W47")):
        mails.save_digest(group_id=group, week=week, subject=f"{group} {week}", html_path="",
                          txt_path="", html="", text="", rendered_at=NOW, collected=1, shown=1,
                          retained=0)  # fmt: skip
    found = mails.digests("g1", ["2026-W45", "2026-W46", "2026-W47", "2026-W47"])
    assert {week: r.subject for week, r in found.items()} == {
        "2026-W46": "g1 2026-W46",
        "2026-W47": "g1 2026-W47",
    }
    assert found["2026-W47"] == mails.digest("g1", "2026-W47")
    assert mails.digests("g2", []) == {}
    store.close()
