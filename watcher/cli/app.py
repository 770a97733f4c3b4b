"""The `watcher` command group, its one error boundary, and what every command module shares.

Commands parse their arguments, open the workspace, call one use case of `watcher.jobs` and
print the outcome in French; `watcher.cli.main` assembles the command modules. A command
returns its exit code (None: 0). A `WatcherError` raised anywhere below is caught once, here:
its message on standard error, its exit code (docs/cli.md).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from watcher.cli import french as cli_french
from watcher.config import ConfigError, MissingConfig, Watch, WatchInfo, load_watch
from watcher.errors import WatcherError, explained
from watcher.text import fold
from watcher.workspace import Workspace

cli_french.install()  # before any command is declared: click's own words in French

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
for _console in (out, err):
    if not _console.is_terminal:  # pipes and logs: wide lines rather than wrapped cells
        _console.width = 160


def _typed(text: str) -> str:
    """A value as typed, for comparison: case, accents, « - » and « _ » do not matter."""
    return " ".join(fold(text).replace("-", " ").replace("_", " ").split())


class Words(click.Choice[str]):
    """A value among a few words, taken as a French user types it: in any case, with or
    without its accents (« valide » for « validé », « CSV » for « csv »), or under the name the
    code knows it by. Help and errors show the words a French user reads.

    ``Words(("csv", "pdf"))`` shows and returns the words themselves;
    ``Words({"pertinence": "relevance", "date": "date"})`` shows the French words, takes them
    and « relevance », and returns the code's values."""

    def __init__(self, shown: Mapping[str, str] | Iterable[str]) -> None:
        values = dict(shown) if isinstance(shown, Mapping) else {w: w for w in shown}
        super().__init__(tuple(values), case_sensitive=False)
        self.values: dict[str, str] = {_typed(word): value for word, value in values.items()}
        for value in values.values():  # the code's own name is taken too
            self.values.setdefault(_typed(value), value)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        found = self.values.get(_typed(value)) if isinstance(value, str) else None
        if found is None:
            self.fail(self.get_invalid_choice_message(value=value, ctx=ctx), param=param, ctx=ctx)
        return found


def _now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """A time in JSON output: ISO 8601 with its offset, or null."""
    return moment.isoformat() if moment is not None else None


def interactive() -> bool:
    """Whether a question can be asked (a person at a terminal, not a script)."""
    return sys.stdin.isatty()


YES = {"o", "oui", "y", "yes"}


def answered_yes(question: str, without_terminal: str) -> bool:
    """Whether the person at the terminal answers yes (o/N) to ``question``; without a terminal
    (a script) nothing is asked and :class:`WatcherError` says ``without_terminal`` (how to
    confirm beforehand: --yes)."""
    if not interactive():
        raise WatcherError(without_terminal)
    answer = click.prompt(f"{question} [o/N]", default="", show_default=False, err=True)
    return answer.strip().lower() in YES


def print_json(data: object) -> None:
    """The one way commands print JSON (--json): UTF-8 as is, indented; shapes in
    docs/cli-json.md."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def load(workspace: Workspace, *, refused: str = "") -> Watch:
    """The watch of sources.yml (ConfigError if the file is invalid: exit code 2).

    ``refused`` says what the command did not do because of it (« Rien n'a été collecté. »)."""
    with explained(after=refused):
        return load_watch(workspace.config)


def require_config(workspace: Workspace) -> None:
    """For a command that reads only the store: refuse to run (and to open a new, empty store)
    where there is no sources.yml, i.e. outside a watch's folder."""
    if not workspace.config.is_file():
        raise MissingConfig(workspace.config)


def zone(workspace: Workspace) -> str:
    """The watch's time zone, for showing times; the default one if sources.yml is invalid
    (listing what is stored does not need it to be valid)."""
    try:
        return load_watch(workspace.config).watch.timezone
    except ConfigError:
        return WatchInfo.model_fields["timezone"].default


def report_error(exc: WatcherError) -> None:
    """An error a person can act on, as they read it: its first line in red."""
    first, *rest = exc.lines()
    err.print(f"[red]{escape(first)}[/]")
    for line in rest:
        err.print(line, markup=False)


INTERRUPTED = (
    "Interrompu (Ctrl-C). Ce qui était déjà enregistré est gardé, sans doublon : relancez la "
    "commande pour reprendre (une collecte reprend les sources qu'elle n'avait pas finies)."
)
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


class WatcherGroup(click.Group):
    """The top group: runs a command and turns what it returns or raises into an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            code = super().invoke(ctx)
        except WatcherError as exc:
            report_error(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:  # Ctrl-C: every write is a transaction, so nothing is half done
            err.print(INTERRUPTED, markup=False)
            ctx.exit(INTERRUPTED_EXIT)
        if isinstance(code, int) and code:
            ctx.exit(code)
        return code


@click.group(cls=WatcherGroup)
@click.option(
    "--config",
    "-c",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier sources.yml (par défaut ./sources.yml, ou $WATCHER_CONFIG).",
)
@click.version_option(package_name="watcher")
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """Watcher — la veille marché et réglementaire du bloc 1 (RNCP 32204)."""
    ctx.obj = Workspace.find(config)
