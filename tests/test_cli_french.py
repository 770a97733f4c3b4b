"""`watcher --help` and every subcommand's help speak French throughout, and so do click's usage
errors: click's own messages (its gettext calls, read from the installed click's source) are
translated by watcher.cli.french, and no English placeholder (TEXT, INTEGER…) is left."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from watcher.cli.french import FR, FR_PLURAL
from watcher.cli.main import main


def click_messages() -> list[tuple[str, ...]]:
    """Every message click passes to gettext (``_``) or ``ngettext``, from its source."""
    found: list[tuple[str, ...]] = []
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
            ):
                texts = tuple(
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                )
                if texts and texts not in found:
                    found.append(texts)
    return found


def test_every_message_of_click_has_a_french_translation() -> None:
    messages = click_messages()
    assert len(messages) > 50
    missing = [m for m in messages if m[0] not in (FR_PLURAL if len(m) == 2 else FR)]
    assert not missing, f"click messages without a French translation: {missing}"


def _fragments(message: str) -> list[str]:
    """The literal parts of an English message that would show if it were not translated."""
    parts = re.split(r"\{[^}]*\}|%\([^)]*\)s|[\n\t]", message)
    return [p.strip(" .:()") for p in parts if len(p.strip(" .:()")) >= 4]


ENGLISH = sorted(
    {
        fragment
        for message in click_messages()
        for text in message
        if FR.get(text, "").strip() != text  # "Options" is French too
        for fragment in _fragments(text)
        if fragment not in ("file", "Option", "Argument")  # French words too
    }
)
# Words that are the same in French, or names (formats, protocols…) in capitals
FRENCH_CAPITALS = {
    "AAAA", "ARGUMENTS", "CHEMIN", "COMMANDE", "COURRIEL", "CSV", "DATE", "DOCX", "DOSSIER",
    "ENTIER", "FICHIER", "HTML", "ISO", "JSON", "NOMBRE", "NON", "NUMÉRO", "OPTIONS", "OUI", "PDF",
    "PPTX", "RECHERCHE", "RNCP", "SAUF", "SIGTERM", "SMTP", "TEXTE", "UUID", "XLSX", "YAML",
}  # fmt: skip


def commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


ALL = list(commands(main))


def test_the_commands_are_all_found() -> None:
    names = {" ".join(path) for path in ALL}
    assert {"", "search", "crawl", "assess", "assess export", "user list", "outbox"} <= names
    assert len(ALL) > 25


def english_in(text: str) -> list[str]:
    found = [f for f in ENGLISH if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)]
    # (names of environment variables, with "_", are not words)
    capitals = set(re.findall(r"(?<![\w$-])[A-ZÉÈÀ]{3,}(?![\w-])", text)) - FRENCH_CAPITALS
    return found + sorted(capitals)


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "watcher")
def test_help_is_french_throughout(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="watcher", terminal_width=100)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Utilisation : watcher {' '.join(path)}".rstrip() + " ")
    assert "Affiche cette aide et quitte." in result.output
    assert not english_in(result.output), (english_in(result.output), result.output)


def test_the_scan_would_see_click_s_english() -> None:
    english = "Usage: watcher [OPTIONS] COMMAND [ARGS]...\n  --limit INTEGER  [default: 10]\n"
    assert english_in(english) == ["Usage", "default", "ARGS", "COMMAND", "INTEGER"]
    assert "Show this message and exit" in ENGLISH and "Missing argument" in ENGLISH


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["crawl", "--nope"], "Erreur : Option inconnue : --nope."),
        (["delete"], "Erreur : Argument manquant 'NUMÉRO'."),
        (["delete", "x"],
         "Erreur : Valeur invalide pour 'NUMÉRO' : 'x' n'est pas un entier valide."),
        (["search", "prix", "--limit", "0"],
         "Erreur : Valeur invalide pour '--limit' : 0 n'est pas accepté (attendu : entre 1 et "
         "100)."),
        (["search", "prix", "--page", "0"],
         "Erreur : Valeur invalide pour '--page' : 0 n'est pas accepté (attendu : au moins 1)."),
        (["search", "prix", "--sort", "titre"],
         "Erreur : Valeur invalide pour '--sort' : 'titre' n'est aucun de : 'pertinence', 'date'."),
        (["assess", "export"], "Erreur : Option manquante '--format'. Choisissez parmi :"),
        (["nope"], "Erreur : Commande inconnue : nope."),
        (["serach"],  # commands, not options
         "Erreur : Commande inconnue : serach. (Vouliez-vous dire : 'search', 'searches'"),
        (["crawl", "--al"], "Erreur : Option inconnue : --al. (Vouliez-vous dire : '--all'"),
        (["check", "en", "trop"], "Erreur : Arguments en trop (en trop)"),
        (["searches"], "Erreur : Option manquante '--group'."),
    ],
)  # fmt: skip
def test_usage_errors_are_french(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="watcher")
    assert result.exit_code == 2
    assert expected in result.output, result.output
    assert "Essayez « watcher" in result.output and "pour l'aide." in result.output
    assert not english_in(result.output), result.output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"], prog_name="watcher")
    assert result.exit_code == 0
    assert re.fullmatch(r"watcher, version \d+\.\d+\.\d+\n", result.output)
