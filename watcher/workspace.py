"""Where a watch keeps its files: sources.yml and, beside it, the store, index/, reports/, logs/.

The store is the SQLite file `watcher.db` beside sources.yml (`WATCHER_DB`: another file), or the
database that `WATCHER_DATABASE_URL` names (a SQLAlchemy URL: `postgresql://user@host/base`),
which then holds the store instead of the file."""

from __future__ import annotations

import fcntl
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from watcher.errors import BadValue

DATABASE_URL = "WATCHER_DATABASE_URL"  # the one setting that puts the store in another database
# how its URL may begin (`postgres://`, as psql and libpq also write it, is the same)
POSTGRESQL_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
# Enough buckets for many workers to crawl at once (up to 16, and 4 per worker for 4 workers,
# so that one slow bucket does not leave the others idle), few enough that a job batches many
# small domains (a watch of 1,000 domains: ~60 per job, as many as one crawl process fetches at
# once with `per_domain: 2`); docs/deploy.md, "Crawl buckets" (`watcher serve --buckets`,
# the distributed mode's jobs: `watcher.jobs.distributed`).
DEFAULT_BUCKETS = 16
BUCKETS_SETTING = "WATCHER_CRAWL_BUCKETS"  # the environment variable that sets it


@dataclass(frozen=True)
class Workspace:
    config: Path

    @classmethod
    def find(cls, config: str | Path | None = None) -> Workspace:
        chosen = config or os.environ.get("WATCHER_CONFIG") or "sources.yml"
        return cls(Path(chosen).expanduser().resolve())

    @property
    def root(self) -> Path:
        return self.config.parent

    @property
    def db(self) -> Path:
        """The SQLite file of the store (unless `database` names another database)."""
        override = os.environ.get("WATCHER_DB")
        return Path(override).resolve() if override else self.root / "watcher.db"

    @property
    def database(self) -> str | Path:
        """Where the store is: the URL in `WATCHER_DATABASE_URL` (PostgreSQL), else `db`. Any
        other value is refused: a path there would silently open an empty SQLite store."""
        url = os.environ.get(DATABASE_URL, "").strip()
        if not url:
            return self.db
        if not url.startswith(POSTGRESQL_SCHEMES):
            shown = re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", url)  # no password shown
            raise BadValue(
                f"{DATABASE_URL} ne désigne pas une base PostgreSQL : « {shown} ». Donnez une "
                "adresse postgresql://utilisateur@hôte/base (docs/deploy.md) ; un fichier "
                "SQLite ailleurs que watcher.db se désigne par WATCHER_DB."
            )
        return url

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def crawl_log(self) -> Path:
        self.logs.mkdir(parents=True, exist_ok=True)
        return self.logs / "crawl.log"


# The extensions of the files the commands write: `--out` ending with one names a file
OUTPUT_SUFFIXES = frozenset({".html", ".pdf", ".docx", ".xlsx", ".pptx", ".csv"})


def output_paths(out: Path | None, default: Path, names: Mapping[str, str]) -> dict[str, Path]:
    """Where each file of a command goes (``names``: format → its file name), as every `--out`
    reads it: a folder (the files keep their names; created if needed), or the file itself
    when one file is written and `--out` ends with its format's extension (`rendu.pdf`), or is
    an existing file without an extension. None: the ``default`` folder. BadValue, before
    anything is written, when `--out` names a file but several files are to be written, or
    another format's file (an existing one included: `--out notes.md` is not overwritten with a
    PDF). The folders are created."""
    if out is None:
        folder = default
    elif out.is_file() or (not out.is_dir() and out.suffix.lower() in OUTPUT_SUFFIXES):
        if len(names) != 1:
            listed = ", ".join(names)
            raise BadValue(
                f"--out {out} : c'est un nom de fichier, mais {len(names)} fichiers sont à "
                f"écrire ({listed}) : donnez un dossier (--out {out.with_suffix('')}/) ou un "
                "seul --format."
            )
        ((fmt, name),) = names.items()
        wanted = Path(name).suffix
        if out.suffix and out.suffix.lower() != wanted.lower():  # an existing file too
            raise BadValue(
                f"--out {out} : l'extension ne correspond pas au format {fmt} : écrivez "
                f"{out.with_suffix(wanted).name}, ou donnez un dossier."
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        return {fmt: out}
    else:
        folder = out
    folder.mkdir(parents=True, exist_ok=True)
    return {fmt: folder / name for fmt, name in names.items()}


# The temporary files Watcher writes a file under before renaming (or linking) it into place:
# ".<the file's name>.<8 random characters>.watcher.tmp", in the file's folder. Its writer holds
# an exclusive lock (flock) on it from the moment it exists: a process killed half-way (kill -9,
# a crash) leaves it behind, unlocked, and `remove_leftovers` takes those away.
TEMPORARY_SUFFIX = ".watcher.tmp"
LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(TEMPORARY_SUFFIX) + r"$")
# A leftover must also be this old (seconds): the lock is taken just after the file is made,
# and a file of that instant, not yet locked, is not taken from its writer.
LEFTOVER_AGE = 300
# The temporary files older versions wrote under, in the same folders, which a writer killed
# half-way left for good (nothing removed them): removed as the leftovers above are, by these
# exact names only. Their writers took no lock: the age alone tells a dead one (they wrote and
# renamed within the same second). "_" and the 26 letters and 10 digits: `tempfile.mkstemp`'s
# 8 random characters.
OLD_LEFTOVERS = (
    # write_atomically and the digest archive (reports/, dossiers, decks, exports, the starter
    # sources.yml) until ee6e4c3: mkstemp(prefix=".<name>.", suffix=".tmp")
    re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$"),
    # the key files beside the store (web-secret.key, watch-signing.key), 85a9c27 to ee6e4c3:
    # mkstemp(prefix=".<name>.")
    re.compile(r"^\.(?:web-secret|watch-signing)\.key\.[a-z0-9_]{8}$"),
    # the watch's signing key before 85a9c27: mkstemp(prefix=".signing-")
    re.compile(r"^\.signing-[a-z0-9_]{8}$"),
    # index/: a segment's columns (".<segment>.watcher_columns.npz.<pid>.tmp") and the index
    # follower's position (follow.json written as follow.tmp), until ee6e4c3
    re.compile(r"^\..+\.watcher_columns\.npz\.\d+\.tmp$"),
    re.compile(r"^follow\.tmp$"),
)


def _leftover_name(name: str) -> bool:
    """Whether `name` is one a writer of this version (`LEFTOVER`) or an older one
    (`OLD_LEFTOVERS`) gives its temporary files."""
    return bool(LEFTOVER.match(name)) or any(p.match(name) for p in OLD_LEFTOVERS)


@contextmanager
def temporary_beside(path: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A new temporary file in the folder of `path`, named as `LEFTOVER` reads (private: 0600),
    open for writing and locked by this process until it is closed: the stream and its path.
    The caller renames (or links) it into place; whatever is left of it at the end is removed
    (a failure, or a link made), and the leftovers of writers killed earlier in that folder
    go first (`remove_leftovers`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path.parent)
    handle, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX
    )
    temporary = Path(name)
    try:
        with suppress(OSError):  # a file system without locks: the file's age alone then
            fcntl.flock(handle, fcntl.LOCK_EX)  # protects it
        with os.fdopen(handle, "wb") as stream:
            handle = -1
            yield stream, temporary
    finally:
        if handle != -1:
            os.close(handle)
        temporary.unlink(missing_ok=True)


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files that writers killed half-way left in `folder` (not below):
    only files named as `temporary_beside` names them (or as older versions named theirs:
    `OLD_LEFTOVERS`), older than `LEFTOVER_AGE`, whose lock no live process holds (a writer
    holds it from just after making the file until it is renamed or removed). What was
    removed; a file that cannot be opened or removed is left."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no such folder (yet), or not one
        return removed
    for entry in entries:
        if not _leftover_name(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if time.time() - entry.stat(follow_symlinks=False).st_mtime < LEFTOVER_AGE:
                continue
            handle = os.open(entry.path, os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: its writer is alive
            if os.stat(entry.path, follow_symlinks=False).st_ino == os.fstat(handle).st_ino:
                os.unlink(entry.path)  # still the file locked (not renamed away meanwhile)
                removed.append(Path(entry.path))
        except OSError:
            pass
        finally:
            os.close(handle)
    return removed


def write_atomically(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write the file `path` whole or not at all: under a temporary name in its folder
    (`temporary_beside`), synced to disk, then renamed over it (and the folder synced). A
    process killed (kill -9, a crash, a full disk) half-way leaves the file as it was, the one
    written before or none: never a truncated digest, dossier or deck that would then be
    served, counted or handed in; the temporary file it leaves is removed by a later write in
    that folder. Text is written as UTF-8, as is. A file replaced keeps its permissions; a new
    one is readable by all (0644), as the reports it holds are for reading. `durable=False`:
    not synced (a cache, which a crash may lose but never leaves half-written)."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    with temporary_beside(path) as (stream, temporary):
        stream.write(content)
        stream.flush()
        if durable:
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)  # made private
        os.replace(temporary, path)
    if not durable:
        return
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself reaches the disk
    finally:
        os.close(folder)


def create_whole(path: Path, data: bytes) -> bool:
    """Create the file `path` with `data`, readable by its owner only (0600), unless it exists:
    written whole under a temporary name (`temporary_beside`) and synced, then linked into
    place, so that two processes starting together keep the first one's, and a kill -9
    half-way leaves no empty or half-written file (a key file a restart would refuse). True if
    this call created it."""
    with temporary_beside(path) as (stream, temporary):
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:  # another process made it first: its file
            return False
    return True
