"""The light commands start without the heavy libraries: `watcher --help`, `check` and `status`
import only what they use (spaCy, Scrapy, Whoosh, the exports, SQLAlchemy, Jinja… are imported
inside the use cases that need them). What is loaded is read from a fresh interpreter's
`sys.modules`; how long it takes is measured in benchmarks/bench_startup.py, never here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# what the crawl, the analysis, the search, the exports, the web app and the signatures need
HEAVY = (
    "spacy",
    "scrapy",
    "twisted",
    "whoosh",
    "numpy",
    "weasyprint",
    "docx",
    "pptx",
    "openpyxl",
    "matplotlib",
    "playwright",
    "jinja2",
    "cryptography",
    "flask",
    "apscheduler",
    "procrastinate",
    "watcher.understand.refs",
    "watcher.report.export",
)
# and what opens the store: not for the commands that never read it
STORE = ("sqlalchemy", "watcher.store")

RUN = """
import json, sys
from watcher.cli.main import main
sys.argv = ["watcher", *sys.argv[1:]]
try:
    main()
finally:
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded(watch: Path, *args: str) -> set[str]:
    """The modules a fresh `watcher ARGS` has imported by the time it exits (in ``watch``)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=watch, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def among(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(p for p in packages if any(m == p or m.startswith(f"{p}.") for m in modules))


@pytest.fixture(scope="module")
def watch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup")
    subprocess.run(
        [sys.executable, "-m", "watcher.cli.main", "init", "veille"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return folder / "veille"


@pytest.mark.parametrize("args", [["--help"], ["check"], ["crawl", "--help"]])
def test_help_and_check_import_neither_the_heavy_libraries_nor_the_store(
    watch: Path, args: list[str]
) -> None:
    modules = loaded(watch, *args)
    assert "watcher.cli.collect" in modules and "click" in modules  # the command did run
    assert among(modules, HEAVY + STORE) == []


def test_status_opens_the_store_but_imports_nothing_heavy(watch: Path) -> None:
    modules = loaded(watch, "status")
    assert among(modules, STORE) == ["sqlalchemy", "watcher.store"]
    assert among(modules, HEAVY) == []
