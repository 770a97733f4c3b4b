"""What can keep a file from being verified, in French, for the person who asked."""

from __future__ import annotations

from watcher.errors import WatcherError


class VerifyError(WatcherError):
    """A file that cannot be verified (exit code 1, HTTP 400)."""

    exit_code = 1
    label = "Vérification impossible"


class UnreadableFile(VerifyError):
    """Not a file of a format Watcher generates, or a damaged one."""


class NoManifest(VerifyError):
    """A readable file that carries no manifest of Watcher."""


class BadManifest(VerifyError):
    """A manifest that cannot be read (damaged, or of another program)."""


class SigningKeyError(WatcherError):
    """The watch's signing key, or a public key given to check a file, cannot be used."""

    exit_code = 2
    http_status = 500


__all__ = ["BadManifest", "NoManifest", "SigningKeyError", "UnreadableFile", "VerifyError"]
