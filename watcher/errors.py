"""The errors a person can act on: a French message that names the thing and says what to do.

Every such error derives from `WatcherError`. Each shell catches it once: the CLI's `main`
prints it on standard error and exits with its `exit_code` (docs/cli.md), the web app answers
with its `http_status` and a French page. Anything else that escapes is a bug, shown as one.

Exit codes: 0 done; 1 the command ran but something failed or was refused (a source, a copy of
a digest, an assessment, something not found or already there); 2 the command could not start
(sources.yml invalid, an argument or a configuration it cannot work with).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar


class WatcherError(Exception):
    """An error whose message is for the person who caused it, in French."""

    exit_code: ClassVar[int] = 2
    http_status: ClassVar[int] = 400
    label: ClassVar[str] = ""  # shown before the message, e.g. « Refusé »
    hint: str = ""  # what to do, shown last

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.prefix = self.label
        self.after: list[str] = []

    @property
    def message(self) -> str:
        """The message with what was not done before it (« Compte non créé : … »)."""
        return f"{self.prefix} : {self}" if self.prefix else str(self)

    def details(self) -> list[str]:
        """Lines under the message (the problems of a file, one per line)."""
        return []

    def lines(self) -> list[str]:
        """Everything a person reads, in order: message, details, what was not done, the hint."""
        return [self.message, *self.details(), *self.after, *([self.hint] if self.hint else [])]


class BadValue(WatcherError, ValueError):
    """A value given by a person that cannot be read (a date, a week, a format)."""


class Unknown(WatcherError, LookupError):
    """An identifier the watch does not have (a group, a source)."""

    http_status = 404


class NotFound(WatcherError, LookupError):
    """Something asked for by number or name that is not (or no longer) there."""

    exit_code = 1
    http_status = 404


class Conflict(WatcherError):
    """Something that is already there, or in a state that does not allow the operation."""

    exit_code = 1
    http_status = 409


class ForeignKey(WatcherError):
    """A machine whose signing key is not the one the watch signs with (a shared store)."""

    exit_code = 2
    http_status = 500


class AssessError(WatcherError, ValueError):
    """A rule of the assessment was broken (message in French, shown to the user)."""

    exit_code = 1
    label = "Refusé"


class LockedError(AssessError):
    """A signed record (or decision) cannot change: write a correction instead."""

    http_status = 409


@contextmanager
def explained(prefix: str = "", *, after: str = "") -> Iterator[None]:
    """A WatcherError raised inside says first what was not done (`prefix`, e.g. « Semaine
    2026-W48 »), and `after` under its details (e.g. « Rien n'a été collecté. »)."""
    try:
        yield
    except WatcherError as exc:
        if prefix:
            exc.prefix = f"{prefix} : {exc.prefix}" if exc.prefix else prefix
        if after:
            exc.after.append(after)
        raise


__all__ = [
    "AssessError",
    "BadValue",
    "Conflict",
    "LockedError",
    "NotFound",
    "Unknown",
    "WatcherError",
    "explained",
]
