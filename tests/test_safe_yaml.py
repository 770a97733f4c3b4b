"""User YAML (sources.yml, assessment grids) is read by one function, watcher.safe_yaml.load_yaml:
no alias bomb can expand, and every error is French with its line, column and what to do."""

from __future__ import annotations

import itertools
import re
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_config import GOOD
from test_web_app import CSRF, Web, _build, _web

from watcher.cli.main import main
from watcher.safe_yaml import MAX_DEPTH, YamlError, dump_yaml, load_yaml
from watcher.store import Store
from watcher.store.assess import AssessStore


def alias_bomb(key: str) -> str:
    """~350 bytes whose aliases expand to 9**9 (387 million) strings under ``key``."""
    names = "abcdefghi"
    lines = ["a: &a [" + ",".join(["lol"] * 9) + "]"]
    for below, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{below}"] * 9) + "]")
    lines.append(f"{key}: *i")
    return "\n".join(lines) + "\n"


@contextmanager
def memory_cap(extra: int = 768 << 20) -> Iterator[None]:
    """At most ``extra`` more bytes of address space for this process meanwhile: code that
    expanded the bomb fails with MemoryError instead of taking the machine's memory."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    status = Path("/proc/self/status").read_text()
    size = int(re.search(r"VmSize:\s+(\d+) kB", status).group(1)) * 1024  # type: ignore[union-attr]
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_the_bomb_is_small_and_would_be_huge() -> None:
    bomb = alias_bomb("sources")
    assert len(bomb.encode()) < 400
    with pytest.raises(YamlError) as caught:
        load_yaml(bomb, "sources.yml")
    assert caught.value.line == 2  # the first alias, before anything was built
    assert "alias" in str(caught.value) and "écrivez chaque valeur en entier" in str(caught.value)


@pytest.mark.timeout(120)
def test_watcher_check_refuses_an_alias_bomb_naming_the_file(tmp_path: Path) -> None:
    config = tmp_path / "sources.yml"
    prefix = GOOD.replace('watch: {name: "Veille test"}\n', "")
    config.write_text(prefix + alias_bomb("watch"), encoding="utf-8")
    first_alias = prefix.count("\n") + 2  # the line after the bomb's first list
    with memory_cap():
        result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert f"{config} n'est pas valide" in output
    assert f"ligne {first_alias}, colonne 8: YAML invalide : alias YAML refusé" in output
    assert "écrivez chaque valeur en entier" in output


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    root = tmp_path / "base"
    root.mkdir()
    _workspace, ids = _build(root)
    yield from _web(root, ids, tmp_path / "watch")


def _grid_bomb() -> str:
    levels = "".join(f"  - {{value: {v}, label: N{v}}}\n" for v in range(5))
    return alias_bomb("competences") + "id: bombe\nname: Bombe\nlevels:\n" + levels


@pytest.mark.timeout(120)
def test_a_grid_bomb_posted_to_the_web_is_refused_with_a_message(web: Web) -> None:
    client = web.client("evaluator")
    with memory_cap():
        response = client.post(
            "/assessments/grids", data={"definition": _grid_bomb(), "csrf_token": CSRF}
        )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "la grille, ligne 2, colonne 8 : alias YAML refusé" in page
    assert "bombe" not in {g.id for g in AssessStore(web.store).grids()}


@pytest.mark.timeout(120)
def test_a_grid_bomb_loaded_from_the_command_line_is_refused(web: Web, tmp_path: Path) -> None:
    grid = tmp_path / "grille.yml"
    grid.write_text(_grid_bomb(), encoding="utf-8")
    config = ["--config", str(web.workspace.config)]
    with memory_cap():
        result = CliRunner().invoke(main, [*config, "assess", "grid-load", str(grid)])
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    assert f"{grid}, ligne 2, colonne 8 : alias YAML refusé" in output
    store = Store(web.workspace.db)
    try:
        assert "bombe" not in {g.id for g in AssessStore(store).grids()}
    finally:
        store.close()


# PyYAML's own words, which must never reach a user
ENGLISH = re.compile(r"found|could not|expected|while scanning|mapping values|cannot start")


@pytest.mark.parametrize(
    ("text", "where", "problem", "advice"),
    [
        ("watch:\n\tname: x\n", "ligne 2, colonne 1", "tabulation dans l'indentation",
         "remplacez chaque tabulation par des espaces"),
        ("watch:\n  name: Note: suite\n", "ligne 2, colonne 13", "deux-points « : » inattendu",
         "doit être entre guillemets"),
        ("watch: {name: Note: suite}\n", "ligne 1, colonne 19",
         "dictionnaire entre accolades { } mal fermé", "une valeur qui contient « : »"),
        ('watch: {name: "Veille}\n', "ligne 2, colonne 1", "guillemet jamais refermé",
         "refermez la chaîne"),
        ("watch:\n  name: x\n  oops\n  contact: y\n", "ligne 4, colonne 3",
         "« : » attendu après une clé", "clé: valeur"),
        ("watch: {name: x}\nsources: [a, b\naxes: []\n", "ligne 3, colonne 5",
         "liste entre crochets [ ] mal fermée", "fermez la liste"),
        ('watch: {name: "C:\\dossier"}\n', "ligne 1, colonne 19",
         "séquence « \\d » inconnue entre guillemets doubles", "guillemets simples"),
        ("watch:\n  name: x\n contact: y\n", "ligne 3, colonne 2", "indentation incohérente",
         "vérifiez l'indentation"),
        # French puts apostrophes everywhere: one closes a text written between '…' (this was
        # « indentation incohérente », or « liste entre crochets [ ] mal fermée »)
        ("watch:\n  name: 'CNIL – l'actualité'\n  contact: y\n", "ligne 2, colonne 18",
         "l'apostrophe de « l'actualité » ferme le texte ouvert par « ' »",
         "doublez chaque apostrophe ('l''actualité') ou mettez le texte entre guillemets "
         'doubles ("l\'actualité")'),
        ("axes:\n  - id: a\n    keywords: ['droit de l'environnement', x]\n",
         "ligne 3, colonne 27",
         "l'apostrophe de « l'environnement » ferme le texte ouvert par « ' »",
         "doublez chaque apostrophe"),
        ('watch:\n  name: "Le "Monde" éco"\n', "ligne 2, colonne 13",
         "le guillemet de « \"Monde » ferme le texte ouvert par « \" »",
         "écrivez-le \\\" ou mettez le texte entre guillemets simples"),
        ("watch: !!python/object:os.system x\n", "ligne 1, colonne 8",
         "étiquette YAML « tag:yaml.org,2002:python/object:os.system » non acceptée",
         "retirez l'étiquette"),
        ("watch: {name: a}\nwatch: {name: b}\n", "ligne 2, colonne 1", "clé « watch » en double",
         "gardez une seule fois cette clé"),
        # a control character pasted in: refused while the text is read, before any parsing
        ('watch:\n  name: "Veille\x07 RH"\n', "ligne 2, colonne 16",
         "caractère de contrôle interdit", "retirez ce caractère invisible"),
        ("watch: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
         f"ligne 1, colonne {MAX_DEPTH + 7}",
         f"plus de {MAX_DEPTH} niveaux de listes ou de dictionnaires imbriqués", "simplifiez"),
    ],
)  # fmt: skip
def test_yaml_errors_are_french_with_line_column_and_what_to_do(
    tmp_path: Path, text: str, where: str, problem: str, advice: str
) -> None:
    config = tmp_path / "sources.yml"
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert f"{where}: YAML invalide : {problem} — " in output, output
    assert advice in output
    assert not ENGLISH.search(output), output


def test_ordinary_yaml_still_loads() -> None:
    text = "a: &ancre 1\nb: [1, 2.5, oui]\nc: {d: 'x: y'}\nliste:\n  - un\n  - deux\n"
    assert load_yaml(text, "x.yml") == {
        "a": 1,
        "b": [1, 2.5, "oui"],
        "c": {"d": "x: y"},
        "liste": ["un", "deux"],
    }


def test_what_watcher_writes_it_reads_back_even_with_shared_objects() -> None:
    members = [{"name": "Léa Moreau", "email": "lea.moreau@example.org"}]
    data = {"groups": [{"id": "g1", "members": members}, {"id": "g2", "members": members}]}
    assert "*" in yaml.safe_dump(data)  # PyYAML's own dumper writes an alias here
    assert load_yaml(dump_yaml(data), "sources.yml") == data
