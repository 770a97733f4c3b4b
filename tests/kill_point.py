"""`watcher` run as a real process that kills itself with SIGKILL at one chosen moment.

Some moments of a command cannot be reached from outside by watching the store (they last
microseconds: between two statements of one upgrade, between opening a file and writing it).
`run_killed` starts `python -m watcher.cli.main …` with a profile hook (`sys.setprofile`, which
changes nothing the command does) that sends the process SIGKILL — no cleanup, no `finally`,
no rollback by Python — when the moment comes:

- ``after_sql=PREFIX``: a statement starting with PREFIX has just been executed by the
  database driver (through SQLAlchemy), before anything after it (its transaction's commit);
- ``writing=PATH``: the command is about to write the first bytes of a file it has opened
  (created or truncated) whose path starts with PATH: a folder (every file under it) or the
  beginning of a file's path (``reports/g1/.2026-W48.txt.``: the temporary file of that one).

`run_stopped` stops the process there instead (SIGSTOP): alive, holding what it holds, until
the test lets it go on (SIGCONT).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

# Run by the child: installs the hook, then the command line as `python -m watcher.cli.main`.
_CHILD = r"""
import io, json, os, signal, sys, threading
moment = json.loads(os.environ.pop("WATCHER_TEST_KILL_AT"))
after_sql = moment.get("after_sql")
writing = moment.get("writing")
stop = moment.get("stop")  # SIGSTOP once, instead of SIGKILL: the process waits, alive

def _path_of(stream):
    name = getattr(stream, "name", None)
    if isinstance(name, int):  # os.fdopen: the descriptor's file
        try:
            return os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            return None
    return os.path.realpath(name) if isinstance(name, str) else None

def _hook(frame, event, arg):
    if after_sql and event == "return" and frame.f_code.co_name in (
        "do_execute", "do_execute_no_params", "do_executemany"
    ):
        statement = frame.f_locals.get("statement")
        if isinstance(statement, str) and statement.lstrip().startswith(after_sql):
            os.kill(os.getpid(), signal.SIGKILL)
    if writing and event == "c_call" and getattr(arg, "__name__", "") == "write":
        stream = getattr(arg, "__self__", None)
        if isinstance(stream, io.IOBase):
            path = _path_of(stream)
            if path and path.startswith(writing):
                if stop:
                    globals()["writing"] = None
                    os.kill(os.getpid(), signal.SIGSTOP)
                else:
                    os.kill(os.getpid(), signal.SIGKILL)

sys.setprofile(_hook)
threading.setprofile(_hook)  # the scheduler's jobs run in threads of their own
sys.argv = ["watcher", *sys.argv[1:]]
from watcher.cli.main import main
main()
"""


def run_killed(
    config: Path,
    *args: str,
    after_sql: str | None = None,
    writing: Path | str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`watcher --config CONFIG ARGS…`, killed at the moment asked for; asserts that it was."""
    if isinstance(writing, Path):  # a folder: the files under it
        writing = str(writing.resolve()) + os.sep
    moment = {"after_sql": after_sql, "writing": writing}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "WATCHER_TEST_KILL_AT": json.dumps(moment)},
    )
    assert done.returncode == -signal.SIGKILL, (
        f"not killed at {moment} (exit {done.returncode}): {done.stdout}{done.stderr}"
    )
    return done


def run_stopped(config: Path, *args: str, writing: Path | str) -> subprocess.Popen[str]:
    """`watcher --config CONFIG ARGS…` stopped (SIGSTOP, not killed) when it is about to write
    a file whose path starts with `writing`: returned once it is stopped, alive, with all it
    holds (its locks, its open files). Send it SIGCONT to let it go on, then `communicate()`."""
    if isinstance(writing, Path):
        writing = str(writing.resolve()) + os.sep
    moment = {"after_sql": None, "writing": writing, "stop": True}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "WATCHER_TEST_KILL_AT": json.dumps(moment)},
    )
    _pid, status = os.waitpid(child.pid, os.WUNTRACED)  # returns when it stops (or ends)
    assert os.WIFSTOPPED(status), f"not stopped at {moment} (wait status {status})"
    return child


def run(config: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`watcher --config CONFIG ARGS…` run again after the kill, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "watcher.cli.main", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
