"""The house's rules that a reader cannot see by running the app, kept true by reading the code
(docs/cli.md): the shells (cli/, web/, daemon.py) never open the store, the index or a store
area themselves — they hand `watcher.jobs.open_workspace` their workspace —, the CLI never calls
sys.exit (a command returns its code, errors go through one boundary), no module is loaded
through importlib behind a ModuleNotFoundError, and no import runs back up or in a circle
through the use cases and the shells. Where the store is concerned: pure modules never reach the
store, the spiders yield what they find and never import it, and the crawl's modules import each
other without a circle (every import, also those inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

WATCHER = Path(__file__).resolve().parent.parent / "watcher"
SHELLS = [*sorted((WATCHER / "cli").glob("*.py")), *sorted((WATCHER / "web").glob("*.py"))]
SHELLS.append(WATCHER / "daemon.py")
SHELLS.append(WATCHER / "distributed.py")
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
    """3 shells (cli/, web/, demo/, daemon.py, distributed.py, __main__.py), 2 use cases
    (jobs/), 1 stages (collect/, understand/, find/, report/, assess/), 0 everything else in
    watcher/: what the stages stand on (store/, model, errors, text, query, urls, taxonomy,
    grids, config, safe_yaml, labels, dates, plural, sanitize, workspace, watch_file)."""
    if module.startswith(("watcher.cli", "watcher.web", "watcher.demo")) or module in (
        "watcher.daemon",
        "watcher.distributed",
        "watcher.__main__",  # `python -m watcher`: the command line
    ):
        return 3
    if module.startswith("watcher.jobs"):
        return 2
    stages = ("collect", "understand", "find", "report", "assess", "verify")
    if module.startswith(tuple(f"watcher.{stage}" for stage in stages)):
        return 1
    return 0


def test_imports_read_top_down_through_the_use_cases_and_the_shells() -> None:
    """No import runs back up to the use cases or the shells, and none goes round in a circle
    (anywhere in the package)."""
    graph = _imports(_modules())
    upward = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) >= 2 and _layer(target) > _layer(module)
    )
    assert upward == []
    watched = list(graph)  # no circle anywhere in the package

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


def test_the_lowest_layer_never_imports_a_stage() -> None:
    """Layer 0 (see `_layer`: the store, the plain types, the errors, the text, query and URL
    languages, the taxonomy and the grids, the configuration…) imports only layer 0: no import
    of a stage, a use case or a shell, at the top or inside a function (typing-only imports
    aside). What a lower module and a stage share lives in the lower module: the query parser
    (`watcher.query`), URL canonicalisation (`watcher.urls`), the PESTEL taxonomy
    (`watcher.taxonomy`), the assessment types (`watcher.model`) and grids (`watcher.grids`)."""
    graph = _imports(_modules())
    assert graph["watcher.config"] and graph["watcher.store.assess"]  # the graph is read
    upward = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        if _layer(module) == 0
        for target in targets
        if _layer(target) > 0
    )
    assert upward == []


ROOT = Path(__file__).resolve().parent.parent
PURE = (
    "watcher.report.digest",
    "watcher.report.dossier",
    "watcher.understand.refs",
    "watcher.understand.matching",
    "watcher.understand.prefill",
    "watcher.query",
    "watcher.taxonomy",
    "watcher.grids",
    "watcher.collect.feeds",
    "watcher.collect.extract",
    "watcher.assess.rules",
    "watcher.verify.manifest",
    "watcher.verify.compare",
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
