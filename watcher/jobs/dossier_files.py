"""Dossier files as jobs (the distributed mode): the web host asks for a dossier's file, a worker
renders it and keeps it in the store, every web host serves it from there.

A file is keyed by the digest of what it shows (`content_digest`: the dossier but the minute it
was generated and its signature, `watcher.report.export.render_key`), computed alike by the web
host from the dossier it shows and by the worker from the one it renders: the same content is
rendered once, and a store that changed meanwhile gives a new key, never an older file for new
content. The engine that carries the request to a worker is wired in `watcher.distributed`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from watcher.config import Watch
from watcher.jobs import OpenWorkspace
from watcher.jobs.dossier import sealed_dossier
from watcher.report.dossier import Dossier
from watcher.report.export import check_formats, render, render_key
from watcher.store.dossier_files import DossierFiles

# The formats a worker renders: the PDF (WeasyPrint, seconds of a server thread). HTML, DOCX and
# XLSX take a fraction of a second: a web host renders them itself, as in the embedded mode,
# rather than wait for a worker that may be busy with a crawl.
JOB_FORMATS = ("pdf",)
# Where a file asked of the workers is: a job waits or runs for it, or the last one failed (a
# person may ask again: `watcher.distributed.DossierQueue.request`).
PREPARING, FAILED = "preparing", "failed"


def content_digest(shown: Dossier) -> str:
    """The digest of what a dossier's files show (equal for equal content, in any process)."""
    return hashlib.sha256(repr(render_key(shown)).encode("utf-8")).hexdigest()


def stored_file(w: OpenWorkspace, shown: Dossier, fmt: str) -> tuple[str, bytes | None]:
    """The content digest of `shown` and its file in `fmt` if a worker has rendered it."""
    digest = content_digest(shown)
    return digest, DossierFiles(w.store).file(digest, fmt)


@dataclass(frozen=True)
class RenderedFile:
    content: str  # the digest of what the file shows
    rendered: bool  # False: it was rendered already (a second request, a retried job)
    size: int = 0


def render_dossier_file(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    fmt: str,
    *,
    now: datetime,
) -> RenderedFile:
    """A worker's job: the dossier of a group's period, sealed and rendered in `fmt` and kept in
    the store, unless its content is kept already (then nothing is rendered)."""
    check_formats([fmt])
    sealed = sealed_dossier(w, watch, group_id, start, end, now=now)
    digest = content_digest(sealed)
    files = DossierFiles(w.store)
    if files.has(digest, fmt):
        return RenderedFile(digest, rendered=False)
    body = render(sealed, [fmt]).files[fmt]
    kept = files.keep(digest, fmt, group_id, (start, end), body, now)
    return RenderedFile(digest, rendered=kept, size=len(body))
