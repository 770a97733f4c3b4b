"""The house's rules that a reader cannot see by running the app, kept true by reading the code
(docs/cli.md): the shells (cli/, web/, daemon.py) never open the store, the index or a store
area themselves — they hand `watcher.jobs.open_workspace` their workspace —, the CLI never calls
sys.exit (a command returns its code, errors go through one boundary), no module is loaded
through importlib behind a ModuleNotFoundError, and no import runs back up or in a circle
through the use cases and the shells."""

from __future__ import annotations

import ast
from pathlib import Path

WATCHER = Path(__file__).resolve().parent.parent / "watcher"
SHELLS = [*sorted((WATCHER / "cli").glob("*.py")), *sorted((WATCHER / "web").glob("*.py"))]
SHELLS.append(WATCHER / "daemon.py")
OPENERS = {"Store", "MailStore", "Users", "AssessStore", "SearchIndex"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in WATCHER.rglob("*.py"):
        parts = path.relative_to(WATCHER.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def _calls(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else ast.unparse(func)
            found.append((node.lineno, name))
    return found


def test_no_shell_opens_the_store_or_the_index() -> None:
    opened = [
        f"{path.relative_to(WATCHER)}:{line} {name}("
        for path in SHELLS
        for line, name in _calls(path)
        if name.rsplit(".", 1)[-1] in OPENERS
    ]
    assert opened == []


def test_the_cli_never_exits_by_itself() -> None:
    exits = [
        f"{path.relative_to(WATCHER)}:{line}"
        for path in sorted((WATCHER / "cli").glob("*.py"))
        for line, name in _calls(path)
        if name in ("sys.exit", "exit", "quit")
    ]
    assert exits == []


def test_no_module_is_imported_through_importlib_in_the_shells_and_use_cases() -> None:
    places = [*SHELLS, *sorted((WATCHER / "jobs").glob("*.py"))]
    shims = [
        f"{path.relative_to(WATCHER)}:{line}"
        for path in places
        for line, name in _calls(path)
        if name in ("importlib.import_module", "import_module", "__import__")
    ]
    assert shims == []


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module → the watcher modules it imports (anywhere in it but under TYPE_CHECKING)."""

    def resolve(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for sub in ast.walk(node)
        }
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
        graph[module] = {
            resolve(t) for t in targets if t.startswith("watcher") and resolve(t) != module
        }
    return graph


def _layer(module: str) -> int:
    """3 shells, 2 use cases, 1 stages, 0 what they stand on (store, model, config, text…)."""
    if module.startswith(("watcher.cli", "watcher.web", "watcher.demo")) or module in (
        "watcher.daemon",
    ):
        return 3
    if module.startswith("watcher.jobs"):
        return 2
    stages = ("collect", "understand", "find", "report", "assess")
    if module.startswith(tuple(f"watcher.{stage}" for stage in stages)):
        return 1
    return 0


def test_imports_read_top_down_through_the_use_cases_and_the_shells() -> None:
    """No import runs back up to the use cases or the shells, and none goes round in a circle
    through them."""
    graph = _imports(_modules())
    upward = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) >= 2 and _layer(target) > _layer(module)
    )
    assert upward == []
    watched = [m for m in graph if _layer(m) >= 2]

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [t for t in graph[start]]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph.get(current, ()))
        return False

    circles = sorted(m for m in watched if reaches(m, m))
    assert circles == []
