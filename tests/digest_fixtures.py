"""Helpers shared by the digest, mail and scheduler tests: watches, items, a real SMTP sink."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from aiosmtpd.controller import Controller

from watcher.config import Watch, parse_watch
from watcher.model import Entry, ItemEnrichment, ItemView, RefMention, StoredItem
from watcher.store import Store
from watcher.workspace import Workspace

# 2026-W48: Monday 23 to Sunday 29 November 2026 (Paris is UTC+1)
WEEK_START = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
IN_WEEK = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

GDPR = RefMention(
    "eu:celex:32016R0679",
    "eu_act",
    "Règlement (UE) 2016/679",
    "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679",
    "official",
    "RGPD",
    2,
)
ISO_10002 = RefMention(
    "iso:10002",
    "standard",
    "ISO 10002",
    "https://www.iso.org/search.html?q=ISO%2010002",
    "search",
    "ISO 10002",
    1,
)


def config(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "watch": {"name": "Veille CDC – Lyon", "timezone": "Europe/Paris"},
        "axes": [
            {"id": "concurrence", "label": "Marché & concurrence"},
            {"id": "reglementaire", "label": "Juridique & réglementaire"},
            {"id": "normes", "label": "Normes"},
        ],
        "groups": [
            {
                "id": "g1",
                "name": "Groupe Éole",
                "members": [
                    {"name": "Léa Moreau", "email": "lea@example.org", "role": "veille juridique"},
                    {"name": "Karim Benaïssa", "email": "karim@example.org"},
                ],
                "tutor": {"name": "Hélène Garnier", "email": "helene@example.org"},
                "digest": {"weekday": "lundi", "time": "08:00"},
            }
        ],
        "sources": [
            {
                "id": "cnil",
                "name": "CNIL – actualités",
                "kind": "feed",
                "url": "https://www.cnil.fr/fr/rss.xml",
                "axis": "reglementaire",
                "level": "primaire",
                "rating": {
                    "fiabilite": 3,
                    "validite": 3,
                    "exactitude": 3,
                    "intention": 3,
                    "pertinence": 2,
                },
            },
            {
                "id": "presse",
                "name": "Relation Client Hebdo",
                "kind": "feed",
                "url": "https://presse.example.org/rss",
                "axis": "concurrence",
                "level": "secondaire",
                "rating": {
                    "fiabilite": 2,
                    "validite": 2,
                    "exactitude": 1,
                    "intention": 1,
                    "pertinence": 2,
                },
            },
            {
                "id": "blog",
                "kind": "feed",
                "url": "https://blog.example.org/feed",
                "axis": "concurrence",
            },
        ],
    }
    for key, value in extra.items():
        data[key] = value
    return data


def make_watch(**extra: Any) -> Watch:
    return parse_watch(yaml.safe_dump(config(**extra), allow_unicode=True), Path("sources.yml"))


def write_config(path: Path, **extra: Any) -> Path:
    path.write_text(yaml.safe_dump(config(**extra), allow_unicode=True), encoding="utf-8")
    return path


def view(
    item_id: int,
    title: str,
    source_id: str = "presse",
    *,
    axes: tuple[str, ...] = ("concurrence",),
    refs: tuple[RefMention, ...] = (),
    cluster: int | None = None,
    text: str = "",
    summary: str = "",
    published: datetime | None = IN_WEEK,
    fetched: datetime = IN_WEEK,
) -> ItemView:
    body = text or f"{title}. " + "Un paragraphe d'article assez long pour être coupé. " * 20
    item = StoredItem(
        id=item_id,
        source_id=source_id,
        url=f"https://{source_id}.example.org/articles/{item_id}",
        title=title,
        summary=summary,
        text=body,
        author="",
        language="fr",
        guid="",
        published_at=published,
        fetched_at=fetched,
        updated_at=None,
        content_hash="x",
        version=1,
        deleted_at=None,
        groups=("g1",),
    )
    return ItemView(item=item, axes=axes, refs=refs, cluster_id=cluster)


def seed_items(
    store: Store,
    items: list[tuple[str, str, tuple[str, ...], tuple[RefMention, ...]]],
    now: datetime = IN_WEEK,
) -> list[int]:
    """Store (source id, title, axes, refs) items as collected at `now`, enriched."""
    ids: list[int] = []
    for position, (source_id, title, axes, refs) in enumerate(items):
        entry = Entry(
            url=f"https://{source_id}.example.org/a/{abs(hash(title)) % 10**8}-{position}",
            title=title,
            summary=f"Résumé de l'éditeur : {title}.",
            text=f"{title}. " + "Texte intégral de l'article, jamais reproduit. " * 30,
            published=now,
        )
        store.store_feed(source_id, ["g1"], [entry], now, url=f"https://{source_id}/f", found=None)
        stored = store.list_items(source_id=source_id)
        item = next(i for i in stored if i.title == title)
        store.save_enrichments(
            [
                ItemEnrichment(
                    item_id=item.id,
                    version=item.version,
                    signature="test",
                    language="fr",
                    fingerprint=bytes(8),
                    cluster_id=1000 + item.id,
                    axes=axes,
                    refs=refs,
                )
            ],
            now,
        )
        ids.append(item.id)
    return ids


# --- a real SMTP server on 127.0.0.1 ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class Sink:
    """aiosmtpd handler: keeps what arrives; can refuse addresses or hold a DATA."""

    refuse: set[str] = field(default_factory=set)
    messages: list[Received] = field(default_factory=list)
    on_data: Callable[[Received], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        with self.lock:
            self.messages.append(received)
        if self.on_data:
            self.on_data(received)
        return "250 Message accepted for delivery"

    def copies(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for message in self.messages:
                for address in message.recipients:
                    counts[address.lower()] = counts.get(address.lower(), 0) + 1
        return counts


class SmtpServer:
    """A real SMTP server on 127.0.0.1:port that can be stopped and started again."""

    def __init__(self, sink: Sink, port: int | None = None, **options: Any) -> None:
        self.sink = sink
        self.port = port or free_port()
        self.options = options  # e.g. tls_context, require_starttls, authenticator
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        self._controller = Controller(
            self.sink, hostname="127.0.0.1", port=self.port, **self.options
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def mail_section(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "starttls": False,
        "sender": "veille@ecole.example.org",
        "reply_to": "tuteurs@ecole.example.org",
        **extra,
    }


@dataclass(frozen=True)
class MailedWatch:
    """A watch whose `mail:` sends to a real SMTP server on 127.0.0.1 (`sink` keeps what it
    receives): its workspace (sources.yml written) and its Watch."""

    sink: Sink
    workspace: Workspace
    watch: Watch


@contextmanager
def mailed_watch(folder: Path) -> Iterator[MailedWatch]:
    """The test watch (`config`) in `folder`, its digests mailed to a server that runs until
    the block ends."""
    sink = Sink()
    with SmtpServer(sink) as server:
        mail = mail_section(server.port)
        path = write_config(folder / "sources.yml", mail=mail)
        yield MailedWatch(sink, Workspace(path), make_watch(mail=mail))


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key), to run the SMTP server with STARTTLS."""
    import ipaddress
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
