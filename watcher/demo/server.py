"""A small real HTTP server on 127.0.0.1 for the offline demo watch and for the tests.

It serves a folder (replacing `{{BASE}}` in text files by its own address), answers conditional
GETs with 304 (ETag and Last-Modified), logs every request, and takes extra routes that
misbehave on purpose (errors, redirect loops, slow or huge bodies) for the tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TEXT_TYPES = (".xml", ".rss", ".atom", ".html", ".htm", ".json", ".txt", ".yml", ".opml")
LAST_MODIFIED = formatdate(1795000000, usegmt=True)  # a fixed date: the site does not change
CONTENT_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass
class Route:
    """A canned answer for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (server side)
    stream: int = 0  # if > 0: send this many bytes in chunks, without Content-Length
    conditional: bool = False  # answer 304 to a matching If-None-Match


Handler = Callable[["_Handler"], None]


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class LocalSite:
    """`with LocalSite(folder) as site:` … `site.base` is `http://127.0.0.1:PORT`."""

    def __init__(
        self,
        root: Path | None = None,
        routes: dict[str, Route | Handler] | None = None,
        port: int = 0,
        host: str = "127.0.0.1",  # another loopback address (127.0.0.2…) for a second "site"
    ) -> None:
        self.root = root
        self.routes: dict[str, Route | Handler] = dict(routes or {})
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        try:
            self._server = ThreadingHTTPServer((host, port), _Handler)
        except OSError:  # the port is taken: any free one
            self._server = ThreadingHTTPServer((host, 0), _Handler)
        self._server.daemon_threads = True
        self._server.site = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LocalSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def body_for(self, path: str) -> tuple[bytes, str] | None:
        """(bytes, content type) of a file of the folder, with {{BASE}} replaced."""
        if self.root is None:
            return None
        relative = path.lstrip("/") or "index.html"
        target = (self.root / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or self.root.resolve() not in target.parents:
            return None
        data = target.read_bytes()
        if target.suffix in TEXT_TYPES:
            data = data.replace(b"{{BASE}}", self.base.encode())
        kind = CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
        return data, kind or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    server_version = "WatcherLocalSite/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    @property
    def site(self) -> LocalSite:
        return self.server.site  # type: ignore[attr-defined]

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self._get()

    def _get(self) -> None:
        path = urlsplit(self.path).path
        route = self.site.routes.get(path) or self.site.routes.get(self.path)
        if callable(route):
            route(self)
            self.site.record(Hit(self.path, dict(self.headers), 0))
            return
        if isinstance(route, Route):
            self._send_route(route)
            return
        found = self.site.body_for(path)
        if found is None:
            self._answer(404, b"<html><body>Page introuvable</body></html>", "text/html")
            return
        body, kind = found
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if self._not_modified(etag):
            self._answer(304, b"", kind, {"ETag": etag, "Last-Modified": LAST_MODIFIED})
            return
        self._answer(200, body, kind, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def _not_modified(self, etag: str) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [t.strip() for t in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
            except (TypeError, ValueError):
                return False
        return False

    def _send_route(self, route: Route) -> None:
        if route.delay:
            time.sleep(route.delay)  # the server is slow on purpose; the client does not wait
        headers = dict(route.headers)
        if route.conditional:
            etag = headers.setdefault(
                "ETag", '"' + hashlib.sha256(route.body).hexdigest()[:20] + '"'
            )
            if self._not_modified(etag):
                self._answer(304, b"", headers.get("Content-Type", ""), headers)
                return
        if route.stream:
            self.send_response(route.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            self.site.record(Hit(self.path, dict(self.headers), route.status))
            chunk = b"<item>" + b"x" * 65530
            sent = 0
            try:
                while sent < route.stream:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        kind = headers.pop("Content-Type", "application/xml; charset=utf-8")
        self._answer(route.status, route.body, kind, headers)

    def _answer(
        self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        self.site.record(Hit(self.path, dict(self.headers), status))
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304 and self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)
