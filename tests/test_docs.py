"""The examples of docs/search.md and docs/sources-format.md, taken from the pages and checked
against the code, so that the docs cannot drift (as datasette does with its docs).

Tables are read by their headers: a query or an equation in `code`, the texts it finds and does
not find in « guillemets », an error message as printed. An example written with « … » (`( … )`)
is a placeholder, not a query.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from watcher.cli.main import main
from watcher.config import ConfigError, parse_watch
from watcher.find.index import IndexDoc, SearchIndex
from watcher.query import (
    And,
    DateWindow,
    FieldMatch,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    parse_equation,
    parse_query,
)
from watcher.understand.matching import compile_matcher, matches

DOCS = Path(__file__).resolve().parent.parent / "docs"
SEARCH = (DOCS / "search.md").read_text(encoding="utf-8")
SOURCES = (DOCS / "sources-format.md").read_text(encoding="utf-8")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def section(page: str, title: str) -> str:
    """The text under a ``## title`` heading, up to the next one."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", page, re.M | re.S)
    assert match, f"no section « {title} »"
    return match.group(1)


def tables(text: str) -> list[list[dict[str, str]]]:
    """The Markdown tables of ``text``, each a list of rows keyed by the header's cells."""
    found = []
    for block in re.findall(r"(?:^\|.*\|\n)+", text, re.M):
        lines = block.splitlines()
        header = [c.strip() for c in lines[0].strip("|").split("|")]
        rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
        found.append([dict(zip(header, row, strict=True)) for row in rows])
    return found


def table(text: str, *headers: str) -> list[dict[str, str]]:
    """The one table of ``text`` whose first columns are ``headers``."""
    (found,) = [t for t in tables(text) if t and tuple(t[0])[: len(headers)] == headers]
    return found


def codes(cell: str) -> list[str]:
    """The `code` spans of a cell, placeholders (with « … ») left out."""
    return [c for c in re.findall(r"`([^`]+)`", cell) if "…" not in c]


def quoted(cell: str) -> list[str]:
    """The « texts » of a cell."""
    return re.findall(r"« (.+?) »", cell)


def shape(node: Node) -> object:
    """The tree without the terms' positions in the query."""
    if isinstance(node, Term):
        return ("term", node.text, node.field)
    if isinstance(node, And | Or):
        return (type(node).__name__, tuple(shape(c) for c in node.children))
    if isinstance(node, Not):
        return ("not", shape(node.child))
    return node


# --------------------------------------------------------------------------- search.md

WORDS = table(section(SEARCH, "Words and phrases"), "you type")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchIndex, list[str]]]:
    """An index holding each « text » of the Words and phrases table as one item (its id is
    its position in the list)."""
    texts = sorted({t for row in WORDS for k in row if k != "you type" for t in quoted(row[k])})
    assert len(texts) > 10
    ix = SearchIndex(tmp_path_factory.mktemp("docs-index"))
    ix.add(
        IndexDoc(item_id=i, groups=("g1",), title="", text=text, summary="",
                 url=f"https://example.org/{i}", source_id="s", source_name="S", axes=(),
                 topics=(), entities=(), refs=(), ref_aliases=(), published=NOW, fetched=NOW,
                 language="fr")
        for i, text in enumerate(texts)
    )  # fmt: skip
    yield ix, texts
    ix.close()


@pytest.mark.parametrize("row", WORDS, ids=lambda row: row["you type"])
def test_search_words_find_what_the_doc_says(
    row: dict[str, str], index: tuple[SearchIndex, list[str]]
) -> None:
    ix, texts = index
    finds, not_found = quoted(row["it finds"]), quoted(row["it does not find"])
    assert finds, "each row shows what it finds"
    for query in codes(row["you type"]):
        found = {texts[h.item_id] for h in ix.search(query, groups=None, now=NOW).hits}
        assert set(finds) <= found, query
        assert not found & set(not_found), query


OPERATORS = table(section(SEARCH, "Operators"), "operator")
MEANINGS = {"both": And, "either": Or, "exclude": Not}


@pytest.mark.parametrize("row", OPERATORS, ids=lambda row: row["meaning"][:20])
def test_operators_mean_what_the_doc_says(row: dict[str, str]) -> None:
    kind = MEANINGS.get(row["meaning"].split(" ")[0])
    for query in codes(row["operator"]) + codes(row["meaning"]):
        node = parse_query(query)
        if kind is not None:
            assert isinstance(node, kind), query
        if ":" not in query:  # the same operators in axis equations, which have no fields
            assert shape(parse_equation(query)) == shape(node), query
    for left, right in re.findall(r"`([^`]+)` = `([^`]+)`", row["meaning"]):
        assert shape(parse_query(left)) == shape(parse_query(right)), (left, right)


def test_operator_words_are_one_rule_in_search_and_equations() -> None:
    text = section(SEARCH, "Operators")
    example = re.search(r"so `([^`]+)` means the same in the search", text)
    assert example
    assert shape(parse_query(example.group(1))) == shape(parse_equation(example.group(1)))
    assert isinstance(parse_query("prix de l'or"), And)  # « or » is a word
    assert isinstance(parse_query('"sauf erreur"'), Phrase)


FIELDS = table(section(SEARCH, "Fields"), "field")


@pytest.mark.parametrize("row", FIELDS, ids=lambda row: row["field"])
def test_fields_parse_as_the_doc_says(row: dict[str, str]) -> None:
    (name,) = codes(row["field"])
    field = name.rstrip(":")
    examples = codes(row["example"])
    examples += [e.replace(name, alias, 1) for alias in codes(row["alias"]) for e in examples]
    for query in examples:
        node = parse_query(query)
        if field == "date":
            assert isinstance(node, DateWindow), query
        elif field == "title":
            assert isinstance(node, Term | Phrase) and node.field == "title", query
        else:
            assert isinstance(node, FieldMatch) and node.field == field, query


DATES = table(section(SEARCH, "Dates"), "you type")


@pytest.mark.parametrize("row", DATES, ids=lambda row: row["you type"])
def test_date_windows_parse(row: dict[str, str]) -> None:
    for query in codes(row["you type"]) + codes(row["window"]):
        node = parse_query(query)
        assert isinstance(node, DateWindow), query
        start, end = node.bounds(NOW)
        assert start is not None or end is not None


ERRORS = table(section(SEARCH, "Errors"), "query")


@pytest.mark.parametrize("row", ERRORS, ids=lambda row: row["query"])
def test_search_errors_are_the_documented_messages(row: dict[str, str]) -> None:
    (query,) = codes(row["query"])
    with pytest.raises(QueryError) as err:
        parse_query(query)
    assert str(err.value) == row["message"]


# --------------------------------------------------------------------------- sources-format.md

YAML_BLOCKS = re.findall(r"^```yaml\n(.*?)^```", SOURCES, re.M | re.S)


def example_watch() -> dict:
    data = yaml.safe_load(YAML_BLOCKS[0])
    assert isinstance(data, dict)
    return data


def test_every_yaml_example_validates() -> None:
    assert len(YAML_BLOCKS) >= 2
    parse_watch(YAML_BLOCKS[0], Path("sources.yml"))  # the whole file
    for block in YAML_BLOCKS[1:]:  # a source of the list `sources:`
        data = example_watch()
        data["sources"] = yaml.safe_load(block)
        parse_watch(yaml.safe_dump(data, allow_unicode=True), Path("sources.yml"))


KEYWORDS = table(section(SOURCES, "Keywords (axes and topics)"), "keyword")


@pytest.mark.parametrize("row", KEYWORDS, ids=lambda row: row["keyword"])
def test_keywords_find_what_the_doc_says(row: dict[str, str]) -> None:
    (keyword,) = codes(row["keyword"])
    matcher = compile_matcher([keyword])
    assert quoted(row["finds"]), "each row shows what it finds"
    for text in quoted(row["finds"]):
        assert matches(matcher, text), text
    for text in quoted(row["does not find"]):
        assert not matches(matcher, text), text


EQUATIONS = table(section(SOURCES, "Search equations"), "equation", "finds")
EQUATION_ERRORS = table(section(SOURCES, "Search equations"), "equation", "message")


@pytest.mark.parametrize("row", EQUATIONS, ids=lambda row: row["equation"])
def test_equations_find_what_the_doc_says(row: dict[str, str]) -> None:
    (equation,) = codes(row["equation"])
    matcher = compile_matcher([], [equation])
    assert quoted(row["finds"]) and quoted(row["does not find"])
    for text in quoted(row["finds"]):
        assert matches(matcher, text), text
    for text in quoted(row["does not find"]):
        assert not matches(matcher, text), text


def check(equation: str) -> ConfigError:
    """What `watcher check` finds in the example file with ``equation`` as the first equation
    of its second axis."""
    data = example_watch()
    data["axes"][1]["equations"] = [equation]
    with pytest.raises(ConfigError) as err:
        parse_watch(yaml.safe_dump(data, allow_unicode=True), Path("sources.yml"))
    return err.value


@pytest.mark.parametrize("row", EQUATION_ERRORS, ids=lambda row: row["equation"])
def test_equation_errors_are_the_documented_messages(row: dict[str, str]) -> None:
    equation = "".join(codes(row["equation"]))  # "(empty)": no code span
    (issue,) = check(equation).issues
    assert issue.path == "axes[1].equations[0]"
    assert issue.message == row["message"]


def test_the_documented_watcher_check_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (block,) = re.findall(r"^```text\n(.*?)^```", section(SOURCES, "Search equations"), re.M | re.S)
    equation = re.search(r"« (.*?) »", block)
    assert equation
    data = example_watch()
    data["axes"][1]["equations"] = [equation.group(1)]
    (tmp_path / "sources.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["-c", "sources.yml", "check"])
    assert result.exit_code == 2
    output = result.output.replace(f"{tmp_path}/", "")  # the CLI names the file in full
    assert " ".join(output.split()) == " ".join(block.split())


# --- docs/architecture.md: the tree, the travel of an item, where a change goes -------------------

ROOT = DOCS.parent
ARCHITECTURE = (DOCS / "architecture.md").read_text(encoding="utf-8")


def _quoted(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def test_every_path_the_architecture_names_exists() -> None:
    paths = [
        q for q in _quoted(ARCHITECTURE) if re.fullmatch(r"(watcher|spiders|docs|tests)/\S*", q)
    ]
    assert len(paths) > 20
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_every_name_the_architecture_gives_is_in_the_code() -> None:
    """`watcher.jobs.collect.crawl`, `spiders.watch.WatchSpider`…: a module, then attributes."""
    names = [q for q in _quoted(ARCHITECTURE) if re.fullmatch(r"(watcher|spiders)(\.\w+)+", q)]
    assert len(names) > 20
    missing = []
    for name in names:
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                found: object = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for attribute in parts[cut:]:
                found = getattr(found, attribute, None)
            break
        if found is None:
            missing.append(name)
    assert missing == []


def test_the_architecture_tree_shows_every_module() -> None:
    """Each module of watcher/ and spiders/ is in the tree: a package's modules in its row."""
    rows = {
        cells[0].strip("` "): line
        for line in ARCHITECTURE.splitlines()
        if line.startswith("| ") and (cells := line.strip("|").split("|"))
    }
    others = rows["the other root modules"]
    missing = []
    for path in sorted([*ROOT.glob("watcher/**/*.py"), *ROOT.glob("spiders/*.py")]):
        relative = path.relative_to(ROOT)
        if path.name == "__init__.py" or "templates" in relative.parts:
            continue
        folder = f"{relative.parent}/"
        if folder in rows:
            if f"`{path.name}`" not in rows[folder]:
                missing.append(str(relative))
        elif str(relative) not in rows and f"`{path.name}`" not in others:
            missing.append(str(relative))
    assert missing == []


def test_the_readme_development_section_points_to_the_architecture() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    development = re.search(r"^## Development\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    assert development and "(docs/architecture.md)" in development.group(1)
