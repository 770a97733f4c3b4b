"""The README's commands, copied verbatim from README.md and run on the demo watch in a temporary
folder (offline: the demo site and the SMTP server listen on 127.0.0.1).

`bash .ci/setup` itself is what `.ci/run` (CI) executes and tests/test_install.py installs the
package into a fresh virtualenv; here the temporary folder's `.venv` is this checkout's, the one
`bash .ci/setup` made, and everything after `bash .ci/setup && ` runs as written.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from watcher.demo import collected_base, site_root
from watcher.demo.server import LocalSite

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP = "bash .ci/setup && "
# commands that run until they are stopped: their use cases are tested elsewhere
NOT_RUN = {"watcher serve": "the scheduler and the web app: test_scheduler.py, test_web_*.py"}


def blocks(language: str) -> list[list[str]]:
    """The README's ```language blocks, as lists of non-empty lines."""
    found = re.findall(rf"^```{language}\n(.*?)^```", README, re.M | re.S)
    return [[line for line in block.splitlines() if line.strip()] for block in found]


def command(line: str) -> str:
    """A line without its trailing comment (two spaces or more, then #)."""
    return re.split(r"\s{2,}#", line, maxsplit=1)[0].strip()


FIRST, USING, OWN = blocks("sh")
LOCAL_MAIL = next(b for b in blocks("yaml") if "starttls: false" in "\n".join(b))


def shell(line: str, cwd: Path, venv: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``line`` in a new bash in ``cwd``, after `. .venv/bin/activate` (the README's
    "once per shell"), with a clean environment."""
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    clean["PATH"] = os.pathsep.join(
        p for p in clean.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    script = f". {venv}/bin/activate && {line}"
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=clean | env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def test_the_first_commands_are_setup_then_demo_and_ci_runs_the_second() -> None:
    assert [line.startswith(SETUP) for line in FIRST] == [True, True]
    assert command(FIRST[0]) == f"{SETUP}. .venv/bin/activate && watcher demo"
    assert command(FIRST[1]) == f"{SETUP}.venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == command(FIRST[1])  # .ci/run is exactly the README's test command
    assert re.search(r"^\.venv/bin/python -m pip install --quiet -e '\.\[test\]'$",
                     (ROOT / ".ci" / "setup").read_text(), re.M)  # fmt: skip


def test_one_spelling_of_the_command() -> None:
    commands = [command(line) for line in FIRST + USING + OWN]
    assert not [c for c in commands if ".venv/bin/watcher" in c]
    assert all(c.startswith(("watcher ", "cd ", SETUP)) for c in commands), commands
    assert "`. .venv/bin/activate`" in README


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where `bash .ci/setup` has run: `.venv` is there."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


@pytest.fixture(scope="module")
def demo(folder: Path) -> Iterator[tuple[Path, LocalSite]]:
    """The first command (after the setup) run as written, then its site kept up, as
    `watcher demo --serve` would in another terminal."""
    ran = shell(FIRST[0].removeprefix(SETUP), folder, folder / ".venv")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "Site de démonstration servi sur http://127.0.0.1:" in ran.stdout
    (folder / "demo.out").write_text(ran.stdout, encoding="utf-8")  # what the learner read
    base = collected_base(folder / "demo-watch")
    assert base is not None
    with LocalSite(site_root(), port=urlsplit(base).port or 0) as site:
        yield folder / "demo-watch", site


def _wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture(scope="module")
def smtp(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """The README's test SMTP server, started with its command line."""
    (line,) = re.findall(r"`(python -m aiosmtpd [^`]+)`", README.split("## Using it")[1])
    port = int(line.rsplit(":", 1)[1])
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            pytest.fail(f"port {port} (the README's test SMTP server) is already taken")
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    # what it prints (every message received) goes to a file: a pipe nobody reads while the
    # commands run fills up with a digest's four copies and stalls the server mid-session
    with (
        (folder / "smtp.out").open("w", encoding="utf-8") as printed,
        subprocess.Popen(
            ["bash", "-c", f". {folder}/.venv/bin/activate && exec {line}"],
            cwd=folder, env=clean, stdout=printed, stderr=subprocess.STDOUT, text=True,
        ) as process,
    ):  # fmt: skip
        try:
            _wait_for_port(port, process)
            yield process
        finally:
            process.terminate()
            process.communicate(timeout=30)


def test_the_readme_commands_run_on_the_demo(
    folder: Path, demo: tuple[Path, LocalSite], smtp: subprocess.Popen[str]
) -> None:
    watch, _site = demo
    with (watch / "sources.yml").open("a", encoding="utf-8") as config:
        config.write("\n" + "\n".join(LOCAL_MAIL) + "\n")  # the README's local mail example
    cwd = folder
    ran: list[str] = []
    for line in USING:
        text = command(line)
        if text.startswith("cd "):
            cwd = cwd / text.removeprefix("cd ")
            assert cwd.is_dir(), text
            continue
        if text in NOT_RUN:
            continue
        result = shell(text, cwd, folder / ".venv", WATCHER_PASSWORD="mot de passe de démo")
        assert result.returncode == 0, (text, result.stdout[-3000:], result.stderr[-3000:])
        assert "Traceback" not in result.stderr, (text, result.stderr)
        ran.append(text)
    assert len(ran) == len(USING) - 1 - len(NOT_RUN)
    outbox = shell("watcher outbox --json", cwd, folder / ".venv")
    sent = [r for d in json.loads(outbox.stdout) for r in d["rows"] if r["label"] == "envoyé"]
    assert len(sent) == 4  # the demo group's three members and its tutor, through aiosmtpd
    assert (watch / "reports").is_dir() and list((watch / "reports").rglob("*.pdf"))


def test_the_demo_says_what_to_do_next_from_the_folder_it_names(
    folder: Path, demo: tuple[Path, LocalSite]
) -> None:
    """« Pour continuer : cd demo-watch » and the commands under it, run where they say: the
    search and the status as printed, and the `--serve` line names the same demo folder (not a
    `demo-watch/demo-watch` beside the collected one)."""
    watch, _site = demo
    printed = (folder / "demo.out").read_text(encoding="utf-8").split("Pour continuer : cd ", 1)
    assert len(printed) == 2, printed[0][-2000:]
    first, *rest = printed[1].splitlines()
    cwd = folder / first.strip()
    assert cwd.resolve() == watch.resolve()
    lines = [command(line) for line in rest if line.strip().startswith("watcher ")]
    assert len(lines) == 3, rest
    for text in lines:
        if "--serve" in text:  # runs until stopped: where it would run
            folder_named = re.search(r"--dir (\S+)", text)
            named = cwd / (folder_named.group(1) if folder_named else "demo-watch")  # default
            assert named.resolve() == watch.resolve(), text
            continue
        result = shell(text, cwd, folder / ".venv")
        assert result.returncode == 0, (text, result.stdout[-3000:], result.stderr[-3000:])
        assert "résultat" in result.stdout or "Sources" in result.stdout, (text, result.stdout)


def test_your_own_watch_starts_with_init(folder: Path) -> None:
    cwd = folder / "own"
    cwd.mkdir()
    for line in OWN:
        text = command(line)
        if text.startswith("cd "):
            cwd = cwd / text.removeprefix("cd ")
            continue
        result = shell(text, cwd, folder / ".venv")
        assert result.returncode == 0, (text, result.stdout, result.stderr)
    assert (folder / "own" / "ma-veille" / "sources.yml").is_file()
