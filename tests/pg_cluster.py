"""A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` binaries (`bash .ci/setup`
installs them), `initdb` in a temporary folder, listening on a unix socket in that folder only
(no TCP port), stopped with `pg_ctl stop` at the end of the test session. No server is assumed
to be running. Each test that asks gets a database of its own in it, dropped after the test.

initdb and the server refuse to run as root: as root (CI), they run as the `postgres` account
that Debian's package makes, which then owns the folder.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

NOT_INSTALLED = (
    "PostgreSQL is not installed (initdb and pg_ctl not found): `bash .ci/setup` installs "
    "Debian's postgresql package, which the store tests need"
)


def binaries() -> Path:
    """The folder of initdb and pg_ctl: on the PATH, else Debian's newest /usr/lib/postgresql/N."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    if not found:
        raise RuntimeError(NOT_INSTALLED)
    return found[-1].parent


class Cluster:
    """One PostgreSQL cluster in `root`, reached over the unix socket in `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.bin = binaries()
        self.user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        self._names = itertools.count(1)

    def _run(self, *command: str) -> None:
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"  # util-linux, in every Debian
        as_user = [runuser, "-u", "postgres", "--"] if self.user else []
        subprocess.run([*as_user, *command], check=True, capture_output=True, cwd=self.root)

    def start(self) -> None:
        if self.user:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "watcher", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-k {self.root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://watcher@/{database}?host={self.root}"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=str(self.root), user="watcher", dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        """A new empty database: its SQLAlchemy URL."""
        name = f"watch_{os.getpid()}_{next(self._names)}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster() -> Cluster:
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="watcher-pg-")))
    cluster.start()
    return cluster


def remove(cluster: Cluster) -> None:
    try:
        cluster.stop()
    finally:
        shutil.rmtree(cluster.root, ignore_errors=True)
