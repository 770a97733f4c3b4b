"""`pip install .` with the pip that Python itself ships (ensurepip: 23.2.1 for Python 3.11, the
oldest pip the README supports) gives a Watcher whose every module imports.

A real install into a temporary virtualenv, without upgrading pip: pip 23.2 does not normalise
extra names, so a dependency reached only through an extra (jusText's `lxml[html_clean]`, which
lxml 6 names `html-clean`) is silently left out and `import watcher.collect.extract` fails. Packages
come from pip's usual index and cache (no other network); ~1–2 minutes.
"""

from __future__ import annotations

import ensurepip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
import spiders, watcher
failed = []
count = 0
for package in (watcher, spiders):
    for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        count += 1
        try:
            importlib.import_module(found.name)
        except Exception as exc:
            failed.append(f"{found.name}: {exc!r}")
print(count, "modules")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def _base_python() -> Path:
    """This Python's own interpreter, outside any virtualenv."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return Path(sys.base_prefix) / "bin" / f"python{version}"


def _run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_pip_install_with_the_bundled_pip_imports_every_module(tmp_path: Path) -> None:
    # the sources as a fresh clone has them (an in-tree build must not litter the worktree)
    source = tmp_path / "watcher-src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("watcher", "spiders"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    venv = tmp_path / "venv"
    made = _run([_base_python(), "-m", "venv", venv], tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    pip = _run([python, "-m", "pip", "--version"], tmp_path)
    assert pip.stdout.startswith(f"pip {ensurepip.version()} "), pip.stdout  # not upgraded

    installed = _run([python, "-m", "pip", "install", "--quiet", source], tmp_path)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    imported = _run([python, "-c", IMPORT_EVERY_MODULE], tmp_path)  # not from the sources
    assert imported.returncode == 0, imported.stdout + imported.stderr[-3000:]
    assert int(imported.stdout.split()[0]) > 50
    command = _run([venv / "bin" / "watcher", "--version"], tmp_path)
    assert command.returncode == 0 and "version 0.1.0" in command.stdout, command.stderr
