"""The import graph reads top-down where the store is concerned: pure modules never reach the
store, the spiders yield what they find and never import it, and the crawl's modules import each
other without a circle. Read from the sources (every import, also those inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PURE = (
    "watcher.report.digest",
    "watcher.report.dossier",
    "watcher.understand.refs",
    "watcher.understand.matching",
    "watcher.understand.prefill",
    "watcher.find.query",
    "watcher.collect.feeds",
    "watcher.collect.extract",
    "watcher.assess.rules",
)


def modules() -> dict[str, Path]:
    found = {}
    for path in [*ROOT.glob("watcher/**/*.py"), *ROOT.glob("spiders/*.py")]:
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """module → the project's modules it imports (anywhere in its source)."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        graph[name] = {m for m in imported if m in known and m != name}
    return graph


def reached(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for module in graph[todo.pop()]:
            if module not in seen:
                seen.add(module)
                todo.append(module)
    return seen


def test_pure_modules_never_reach_the_store() -> None:
    graph = import_graph()
    assert {
        pure: sorted(m for m in reached(graph, pure) if m.startswith("watcher.store"))
        for pure in PURE
    } == {pure: [] for pure in PURE}


def test_spiders_do_not_import_the_store() -> None:
    graph = import_graph()
    spiders = [name for name in graph if name.startswith("spiders")]
    assert spiders
    assert {s: sorted(m for m in graph[s] if m.startswith("watcher.store")) for s in spiders} == {
        s: [] for s in spiders
    }


def test_the_crawl_and_the_store_import_without_a_circle() -> None:
    graph = import_graph()
    prefixes = ("watcher.collect", "watcher.store", "watcher.model", "spiders")
    layer = [name for name in graph if name.startswith(prefixes)]
    circles = sorted(
        (name, other)
        for name in layer
        for other in graph[name]
        if other in layer and name in reached(graph, other)
    )
    assert circles == []
