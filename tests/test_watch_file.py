"""WatchFile: sources.yml read again when it changes on disk, the last valid version kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from digest_fixtures import write_config

from watcher.config import ConfigError, load_watch
from watcher.watch_file import WatchFile

BAD_ZONE = {"name": "Veille", "timezone": "Mars/Olympus"}


def stamp(path: Path, second: int) -> None:
    """A modification time of our choosing: an edit is seen without waiting for the clock."""
    os.utime(path, ns=(second * 10**9, second * 10**9))


def edit(path: Path, second: int, **extra: object) -> None:
    write_config(path, **extra)
    stamp(path, second)


def expected_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_watch(path)
    exc = caught.value
    return f"{exc} — {exc.issues[0]}"


def test_reads_once_while_the_file_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(path, 1)
    watch_file = WatchFile(path)
    first = watch_file.current()
    assert first.watch.name == "Veille CDC – Lyon"
    assert watch_file.current() is first  # not read again: the same object
    assert watch_file.error == ""


def test_an_edit_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(path, 1)
    watch_file = WatchFile(path)
    first = watch_file.current()
    edit(path, 2, watch={"name": "Veille renommée", "timezone": "Europe/Paris"})
    second = watch_file.current()
    assert second is not first
    assert second.watch.name == "Veille renommée"
    assert watch_file.current() is second


def test_an_edit_within_the_same_mtime_is_seen_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(path, 1)
    watch_file = WatchFile(path)
    watch_file.current()
    edit(path, 1, watch={"name": "Un nom bien plus long qu'avant", "timezone": "Europe/Paris"})
    assert watch_file.current().watch.name == "Un nom bien plus long qu'avant"


def test_an_invalid_edit_keeps_the_last_valid_watch_until_it_is_fixed(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(path, 1)
    watch_file = WatchFile(path)
    valid = watch_file.current()

    edit(path, 2, watch=BAD_ZONE)
    assert watch_file.current() is valid
    assert watch_file.error == expected_error(path)
    assert watch_file.error.startswith(f"{path}: 1 erreur — watch.timezone")
    assert watch_file.current() is valid  # still the same, and still said
    assert watch_file.error == expected_error(path)

    edit(path, 3, watch={"name": "Corrigée", "timezone": "Europe/Paris"})
    fixed = watch_file.current()
    assert fixed.watch.name == "Corrigée"
    assert watch_file.error == ""


def test_a_deleted_file_keeps_the_last_valid_watch(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(path, 1)
    watch_file = WatchFile(path)
    valid = watch_file.current()
    path.unlink()
    assert watch_file.current() is valid
    assert "fichier introuvable" in watch_file.error


def test_never_valid_raises_until_the_file_is_fixed(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    watch_file = WatchFile(path)
    with pytest.raises(ConfigError, match="1 erreur"):
        watch_file.current()  # no file
    edit(path, 1, watch=BAD_ZONE)
    with pytest.raises(ConfigError):
        watch_file.current()
    with pytest.raises(ConfigError):
        watch_file.current()  # asked again: still raises, never an invalid watch
    edit(path, 2)
    assert watch_file.current().watch.name == "Veille CDC – Lyon"
    assert watch_file.error == ""


def test_the_start_up_watch_is_kept_if_the_file_broke_since(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    edit(path, 1)
    start_up = load_watch(path)
    assert WatchFile(path, start_up).current() is not start_up  # read again: it may have moved
    edit(path, 2, watch=BAD_ZONE)
    watch_file = WatchFile(path, start_up)
    assert watch_file.current() is start_up
    assert watch_file.error == expected_error(path)
    path.unlink()
    missing = WatchFile(path, start_up)
    assert missing.current() is start_up
    assert "fichier introuvable" in missing.error
