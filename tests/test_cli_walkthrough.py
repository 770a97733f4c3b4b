"""The command line walked as its users walk it (a learner in a group, a tutor, an evaluator):
each test is a trap one of them fell into, and what the command says now."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import Watcher
from watcher.cli.main import main
from watcher.jobs import open_workspace


def _run(watcher: Watcher, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(watcher.workspace.config), *args])
    return result.exit_code, result.output


def test_a_digest_of_a_week_not_begun_is_refused_and_not_archived(watcher: Watcher) -> None:
    """`--week 2099-W10` (a typo of the year, a week ahead): the digest was built for it as the
    « semaine en cours », « du 2 mars 2099 au 6 décembre 2026 », with every item waiting,
    archived under reports/ and listed by `watcher outbox` (and counted by the dossier) as one
    of the group's digests. Now: refused, nothing written."""
    watcher.write([])
    code, output = _run(watcher, "digest", "--group", "g1", "--week", "2099-W10", "--preview")
    assert code == 2, output
    assert "Semaine 2099-W10 : la semaine 2099-W10 n'a pas commencé" in output
    assert "elle commence le 2 mars 2099" in output
    assert not (watcher.workspace.reports / "g1").exists()
    with open_workspace(watcher.workspace) as w:
        assert w.mails.digest("g1", "2099-W10") is None
    code, output = _run(watcher, "outbox")
    assert "2099-W10" not in output
