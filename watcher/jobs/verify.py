"""Verify a file Watcher generated: its manifest's signature, the file against the manifest, and
the manifest against the watch's records (`watcher verify FILE`, the web app's upload form).

With the workspace (`verify_file(data, w=…, watch=…)`): the watch's own key, and the records as
they are now — the manifest the same group and period would get today is rebuilt with the
dossier's own functions (`jobs.dossier.gather`, `manifest_of`) and compared with the file's.
With a public key only (`public_key=…`, no store): the signature and the manifest. Nothing is
written: the file is read in memory and forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from watcher.config import Watch
from watcher.errors import AssessError
from watcher.jobs import OpenWorkspace
from watcher.jobs.dossier import gather, local_archive, manifest_of, watch_signing_key
from watcher.report.dossier import build_dossier
from watcher.verify.compare import ItemNow, RecordNow, Records, Report, compare
from watcher.verify.errors import NoManifest, VerifyError
from watcher.verify.file_text import read_file, this_file
from watcher.verify.keys import fingerprint, public_pem
from watcher.verify.manifest import CODE, Envelope, check_signature, read_envelope

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MAX_BYTES = 40 * 1024 * 1024  # the largest file verified (a 400-day PDF is a few MB)


@dataclass(frozen=True)
class PublicKey:
    pem: str
    fingerprint: str
    watch: str


def public_key(w: OpenWorkspace, watch: Watch) -> PublicKey:
    """The watch's public key, for evaluators outside the school (made with the key if none)."""
    key = watch_signing_key(w)
    return PublicKey(public_pem(key), fingerprint(key), watch.watch.name)


def check_size(size: int) -> None:
    """A file larger than `MAX_BYTES` is not read (the CLI asks before reading it)."""
    if size > MAX_BYTES:
        raise VerifyError(
            f"Fichier trop volumineux ({size // 2**20} Mo) : Watcher vérifie des fichiers de "
            f"{MAX_BYTES // 2**20} Mo au plus."
        )


def verify_file(
    data: bytes,
    *,
    now: datetime,
    w: OpenWorkspace | None = None,
    watch: Watch | None = None,
    public_key: Ed25519PublicKey | None = None,
) -> Report:
    """The report on a file: with `w` and `watch`, against this watch's key and records; with
    `public_key` alone, the signature and the manifest only."""
    check_size(len(data))
    content = read_file(data)
    if content.envelope is None:
        codes = sorted(set(CODE.findall(content.text)))
        this, it, e = this_file(content.format)
        raise NoManifest(
            f"{this} ne contient pas de manifeste de Watcher : {it} n'a "
            f"pas été généré{e} par Watcher, ou un logiciel l'a retiré (un PDF exporté depuis un "
            "traitement de texte, par exemple)."
            + (f" Code lu sur la page de garde : {', '.join(codes)}." if codes else "")
            + " Demandez le fichier tel que Watcher l'a généré (DOCX, PDF, HTML, XLSX ou PPTX)."
        )
    envelope = read_envelope(content.envelope)
    if public_key is None:
        if w is None or watch is None:
            raise ValueError("verify_file needs the workspace and the watch, or a public key")
        public_key = watch_signing_key(w).public_key()
    trusted = fingerprint(public_key)
    ok = envelope.key == trusted and check_signature(envelope, public_key)
    records, unchecked = None, ""
    if ok and w is not None and watch is not None:
        records = records_now(w, watch, envelope, now=now)
        if records is None:
            unchecked = (
                f"Non vérifiée : le groupe « {envelope.group_id} » n'est plus dans sources.yml ; "
                "le fichier est comparé à son manifeste signé, pas aux registres d'aujourd'hui."
            )
    return compare(
        envelope,
        content,
        signature_ok=ok,
        trusted_key=trusted,
        watch_name=watch.watch.name if watch else "",
        records=records,
        unchecked=unchecked,
    )


def records_now(
    w: OpenWorkspace, watch: Watch, envelope: Envelope, *, now: datetime
) -> Records | None:
    """The records as they are now for the manifest's group and period (None if the group is no
    longer in sources.yml)."""
    manifest = envelope.manifest
    group_id = envelope.group_id
    if not any(g.id == group_id for g in watch.groups):
        return None
    start = date.fromisoformat(manifest["period"]["from"])
    end = date.fromisoformat(manifest["period"]["to"])
    data = gather(w.store, watch, group_id, start, end, now=now, reports=local_archive(w))
    current = manifest_of(
        w, data, build_dossier(data), key_fingerprint=envelope.key, now=now, texts=None
    )
    items: dict[int, ItemNow | None] = {}
    for entry in manifest.get("items", []):
        item = w.store.get_item(int(entry["id"]))
        items[int(entry["id"])] = (
            None
            if item is None
            else ItemNow(
                item.url,
                item.source_id,
                item.fetched_at.isoformat(),
                item.content_hash,
                item.version,
                item.deleted_at is not None,
            )
        )
    assessed: dict[int, RecordNow | None] = {}
    for entry in manifest.get("records", []):
        try:
            record = w.assessments.get(int(entry["id"]))
        except AssessError:
            assessed[int(entry["id"])] = None
            continue
        history = w.assessments.history(record.learner, record.grid_id, record.competence)
        latest = max((r for r in history if r.signed), key=lambda r: r.version, default=record)
        assessed[int(entry["id"])] = RecordNow(
            record.version, record.signature, latest.version, latest.level
        )
    return Records(current, items, assessed)
