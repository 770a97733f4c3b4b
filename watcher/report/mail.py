"""SMTP delivery of the outbox: messages, connection (STARTTLS or SSL, optional auth), sending.

Exactly-once, as far as SMTP allows (docs/digest.md): for each outbox row the sender does
MAIL FROM and RCPT TO, and only when the server has accepted both does it mark the row `sending`
(committed), then sends DATA, then marks it `sent`. So:

- a crash before `sending` leaves the row pending or failed: it is sent later, once;
- a recipient the server refuses (5xx on RCPT) fails alone, for good; the others go on;
- an outage (no connection, 4xx) is retried with exponential backoff;
- a crash or a lost connection during DATA leaves the row `sending`: the server may or may not
  have taken the message, and SMTP gives no way to ask. It is never resent blindly: it is
  reported « non confirmé », and `watcher outbox --resend ID` / `--confirm ID` settle it.

The password comes from $WATCHER_SMTP_PASSWORD only, never from sources.yml.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import quote

from watcher.config import MailSettings
from watcher.errors import WatcherError
from watcher.model import DigestRecord, OutboxRow
from watcher.store.mail import MailStore

PASSWORD_ENV = "WATCHER_SMTP_PASSWORD"
CAFILE_ENV = "WATCHER_SMTP_CAFILE"  # a private CA to trust (a school's relay, the tests)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
MAX_ATTEMPTS = 12  # about a day and a half of retries with the defaults


class MailConfigError(WatcherError):
    """Delivery cannot start (no mail: section, missing password)."""

    http_status = 503


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # for good
    retrying: list[tuple[str, str, datetime | None]] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    error: str = ""  # the server could not be reached / the session broke

    @property
    def ok(self) -> bool:
        return not (self.refused or self.retrying or self.unconfirmed or self.error)


def delivery_lines(
    what: str, delivery: DeliveryReport, *, sent: bool = True
) -> list[tuple[int, str]]:
    """What a role's log says of a delivery, as (logging level, line): to whom it was sent
    (unless `sent` is False: the caller counted them), each refusal, each retry planned, each
    copy not confirmed, the server's error. The same lines in `watcher serve` and in the
    distributed workers."""
    lines = []
    if sent and delivery.sent:
        lines.append((logging.INFO, f"{what} : envoyé à {', '.join(delivery.sent)}"))
    for address, reason in delivery.refused:
        lines.append((logging.WARNING, f"{what} : refusé pour {address} ({reason})"))
    for address, reason, when in delivery.retrying:
        lines.append((logging.WARNING, f"{what} : {address} à réessayer à {when} ({reason})"))
    for address in delivery.unconfirmed:
        lines.append(
            (logging.ERROR, f"{what} : envoi non confirmé pour {address} (voir `watcher outbox`)")
        )
    if delivery.error:
        lines.append((logging.ERROR, f"{what} : {delivery.error}"))
    return lines


# --- messages ---------------------------------------------------------------------------------


def message_id(group_id: str, week: str, recipient: str, sender: str) -> str:
    """Deterministic: the same digest to the same recipient always has the same Message-ID."""
    token = hashlib.sha256(f"{group_id}/{week}/{recipient.lower()}".encode()).hexdigest()[:20]
    domain = sender.rpartition("@")[2] or "watcher.invalid"
    return f"<digest.{week.lower()}.{group_id}.{token}@{domain}>"


def _address(address: str, name: str = "") -> Address:
    user, _, domain = address.rpartition("@")
    return Address(display_name=name, username=user, domain=domain)


def unsubscribe_header(settings: MailSettings, group_id: str) -> str:
    """RFC 2369: plain ASCII, short enough never to be folded into an encoded word."""
    mailbox = settings.reply_to or settings.sender
    links = [f"<mailto:{mailbox}?subject=unsubscribe%20{quote(group_id)}>"]
    if settings.unsubscribe:
        links.insert(0, f"<{settings.unsubscribe}>")
    return ", ".join(links)


def build_message(
    digest: DigestRecord,
    row: OutboxRow,
    settings: MailSettings,
    *,
    from_name: str,
    group_name: str,
    now: datetime,
) -> EmailMessage:
    """One recipient's copy: multipart/alternative (text, then HTML), UTF-8, 7-bit on the wire."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = digest.subject
    message["From"] = _address(settings.sender, from_name)
    message["To"] = _address(row.recipient, row.name)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row.message_id
    domain = settings.sender.rpartition("@")[2]
    message["List-Id"] = f"{group_name} <{digest.group_id}.veille.{domain}>"
    message["List-Unsubscribe"] = unsubscribe_header(settings, digest.group_id)
    message["Content-Language"] = "fr"
    message.set_content(digest.text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(digest.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


# --- connection -------------------------------------------------------------------------------


def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=os.environ.get(CAFILE_ENV) or None)


def password_for(settings: MailSettings) -> str:
    """The SMTP password, from the environment; MailConfigError if auth needs one."""
    password = os.environ.get(PASSWORD_ENV, "")
    if settings.username and not password:
        raise MailConfigError(
            f"mail.username est défini mais ${PASSWORD_ENV} est vide : "
            "le mot de passe SMTP vient de l'environnement, jamais de sources.yml"
        )
    return password


def connect(settings: MailSettings, *, timeout: float = 30.0) -> smtplib.SMTP:
    """An authenticated session (if `username`), over SSL or upgraded with STARTTLS."""
    password = password_for(settings)
    smtp: smtplib.SMTP
    if settings.ssl:
        smtp = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=timeout, context=tls_context()
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    try:
        smtp.ehlo()
        if settings.starttls and not settings.ssl:
            smtp.starttls(context=tls_context())
            smtp.ehlo()
        if settings.username:
            _login(smtp, settings.username, password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib's login() only takes ASCII; a password with « é » goes as AUTH PLAIN in UTF-8
    (RFC 4616)."""
    if (username + password).isascii():
        smtp.login(username, password)
        return
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, response = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, response)


def retry_at(attempts: int, now: datetime, base: timedelta = BACKOFF_BASE) -> datetime | None:
    """When to try again after `attempts` failed attempts (None: give up)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + min(base * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


# what the TLS library says of a certificate it refused (its verify_message), in French
_CERTIFICATE_PROBLEMS = (
    ("self-signed certificate", "certificat auto-signé"),
    ("self signed certificate", "certificat auto-signé"),  # OpenSSL before 3
    ("certificate has expired", "certificat expiré"),
    ("Hostname mismatch", "certificat d'un autre nom de serveur"),
    ("IP address mismatch", "certificat d'une autre adresse"),
    ("unable to get local issuer certificate", "autorité de certification inconnue"),
)
# an OSError's errno, for the failures of reaching a server that carry no class of their own
_UNREACHABLE = {101, 113}  # ENETUNREACH, EHOSTUNREACH


def smtp_problem(exc: OSError) -> str:
    """What went wrong with the SMTP server, in words a tutor can act on (never Python's or
    OpenSSL's English; a server's own answer is quoted as it gave it, with its code)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"identifiant ou mot de passe refusé par le serveur "
            f"({_reason(exc.smtp_code, exc.smtp_error)}) : vérifiez mail.username et "
            f"${PASSWORD_ENV}"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if "STARTTLS" in str(exc):
            return (
                "le serveur ne propose pas STARTTLS : starttls: false pour un serveur local "
                "sans chiffrement, ou ssl: true sur le port du chiffrement direct (465)"
            )
        return "le serveur ne propose pas d'authentification : retirez mail.username"
    if isinstance(exc, smtplib.SMTPServerDisconnected):  # smtplib's name for a read timeout too
        timed_out = "timed out" in str(exc)
        return "pas de réponse dans le délai" if timed_out else "le serveur a fermé la connexion"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"réponse du serveur : {_reason(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPException):
        return "échange SMTP refusé par le serveur"
    if isinstance(exc, ssl.SSLCertVerificationError):
        said = str(exc.verify_message or "")
        why = next((fr for en, fr in _CERTIFICATE_PROBLEMS if said.startswith(en)), "")
        return f"certificat TLS du serveur refusé{f' ({why})' if why else ''}"
    if isinstance(exc, ssl.SSLError):
        return (
            "échec de la connexion chiffrée (TLS) : vérifiez ssl:, starttls: et le port "
            "(465 : ssl: true ; 587 : starttls: true)"
        )
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée (aucun serveur n'écoute sur ce port)"
    if isinstance(exc, socket.gaierror):
        return "nom de serveur introuvable : vérifiez mail.host"
    if isinstance(exc, TimeoutError):
        return "pas de réponse dans le délai"
    if isinstance(exc, ConnectionError):  # reset, aborted, broken pipe
        return "connexion coupée"
    if exc.errno in _UNREACHABLE:
        return "réseau ou serveur inaccessible depuis cette machine"
    return f"erreur réseau ({exc.__class__.__name__})"


def _reason(code: int, response: bytes | str) -> str:
    text = response.decode("utf-8", "replace") if isinstance(response, bytes) else response
    return f"{code} {' '.join(text.split())}".strip()


# --- delivery ---------------------------------------------------------------------------------


def deliver(
    mail_store: MailStore,
    settings: MailSettings,
    rows: list[OutboxRow],
    *,
    from_name: str,
    group_names: dict[str, str],
    now: datetime,
    backoff_base: timedelta = BACKOFF_BASE,
    timeout: float = 30.0,
) -> DeliveryReport:
    """Send these outbox rows over one SMTP session; record each outcome as it happens."""
    report = DeliveryReport()
    if not rows:
        return report

    def retry_later(row: OutboxRow, reason: str, *, claimed: bool = False) -> None:
        attempts = row.attempts + 1
        when = retry_at(attempts, now, backoff_base)
        final = reason if when else f"{reason} (abandon après {attempts} essais)"
        mail_store.mark_failed(row.id, final, when, attempted=not claimed, from_sending=claimed)
        if when:
            report.retrying.append((row.recipient, reason, when))
        else:
            report.refused.append((row.recipient, final))

    try:
        smtp = connect(settings, timeout=timeout)
    except (OSError, smtplib.SMTPException) as exc:
        # the server answered (SMTP, TLS) or could not be reached
        answered = isinstance(exc, smtplib.SMTPException | ssl.SSLError)
        where = f"({settings.host}:{settings.port})"
        report.error = (
            f"serveur SMTP {where}" if answered else f"serveur SMTP injoignable {where}"
        ) + f" : {smtp_problem(exc)}"
        for row in rows:
            retry_later(row, report.error)
        return report

    digests: dict[int, DigestRecord] = {}
    remaining = list(rows)
    current: OutboxRow | None = None  # a row not yet claimed, whose session broke
    try:
        while remaining:
            row = current = remaining.pop(0)
            if row.digest_id not in digests:
                digests[row.digest_id] = mail_store.digest_by_id(row.digest_id)
            digest = digests[row.digest_id]
            message = build_message(
                digest,
                row,
                settings,
                from_name=from_name,
                group_name=group_names.get(digest.group_id, digest.group_id),
                now=now,
            )
            code, response = smtp.mail(settings.sender)
            if code != 250:
                smtp.rset()
                retry_later(row, _reason(code, response))
                continue
            code, response = smtp.rcpt(row.recipient)
            if code not in (250, 251):
                smtp.rset()
                if 500 <= code < 600:
                    reason = _reason(code, response)
                    mail_store.mark_failed(row.id, reason, None, attempted=True)
                    report.refused.append((row.recipient, reason))
                else:
                    retry_later(row, _reason(code, response))
                continue
            if not mail_store.claim(row.id, now):
                smtp.rset()  # another sender took it meanwhile
                continue
            current = None
            try:
                smtp.data(message.as_bytes())
            except smtplib.SMTPDataError as exc:  # the server said no: nothing was delivered
                reason = _reason(exc.smtp_code, exc.smtp_error)
                if 500 <= exc.smtp_code < 600:
                    mail_store.mark_failed(row.id, reason, None, attempted=False, from_sending=True)
                    report.refused.append((row.recipient, reason))
                else:
                    retry_later(row, reason, claimed=True)
                continue
            except (OSError, smtplib.SMTPException):
                report.unconfirmed.append(row.recipient)  # stays `sending`: ambiguous
                raise
            mail_store.mark_sent(row.id, now)
            report.sent.append(row.recipient)
    except (OSError, smtplib.SMTPException) as exc:
        report.error = f"session SMTP interrompue : {smtp_problem(exc)}"
        for row in ([current] if current else []) + remaining:
            retry_later(row, report.error)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return report
