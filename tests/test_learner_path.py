"""The learner's path (docs/web.md, « The learner's path »): what a French learner walking it on
a fresh watch tripped on — the watch's own sources declared, a crawl, a search, an item, the
digest, the dossier and `watcher verify` — each test through the real components."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from test_web_app import NOW, Ids, Web, _build

from conftest import Watcher, feed_source, rss
from watcher.cli.main import main
from watcher.demo.server import LocalSite, Route
from watcher.report.digest import IsoWeek
from watcher.web import create_app
from watcher.workspace import Workspace


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    root = tmp_path_factory.mktemp("learner")
    _workspace, ids = _build(root)
    return root, ids


@pytest.fixture
def web(base: tuple[Path, Ids], tmp_path: Path) -> Iterator[Web]:
    """A private copy of test_web_app's watch (SQLite), served by the app."""
    shutil.copytree(base[0], tmp_path / "watch")
    workspace = Workspace(tmp_path / "watch" / "sources.yml")
    app = create_app(workspace, now=lambda: NOW, testing=True)
    yield Web(app, workspace, base[1])
    app.extensions["watcher"].close()


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_digest_archive_lists_digests_not_the_dossier_written_beside_them(web: Web) -> None:
    """`watcher dossier` writes `reports/<group>/dossier-<from>-<to>.html` beside the digests'
    archive: « Synthèses hebdomadaires » then listed the dossier as a digest (« dossier-2026-…
    .html — fichier écrit le … »), a week's digest among the others to the learner."""
    made = CliRunner().invoke(
        main, ["-c", str(web.workspace.config), "dossier", "--group", "g1", "--format", "html"]
    )
    assert made.exit_code == 0, made.output
    written = list((web.workspace.reports / "g1").glob("dossier-*.html"))
    assert written, made.output
    page = _text(web.client("learner").get("/g/g1/digests").get_data(as_text=True))
    assert "Semaine 47" in page
    assert "dossier-" not in page, page


def test_verify_speaks_of_a_page_or_a_presentation_in_the_feminine(
    web: Web, tmp_path: Path
) -> None:
    """A learner checks the week's digest they archived (a page HTML, no manifest) or a deck
    cut short by a download: `watcher verify` said « Ce page HTML ne contient pas de manifeste
    de Watcher : il n'a pas été généré … » and « Ce présentation (PPTX) est abîmé … »."""
    digest = web.workspace.reports / "g1" / "2026-W47.html"
    deck = tmp_path / "oral.pptx"
    with zipfile.ZipFile(deck, "w") as package:  # its parts there, their XML cut short
        package.writestr("[Content_Types].xml", "<Types")
        package.writestr("ppt/presentation.xml", "<p:presentation")
        package.writestr("ppt/_rels/presentation.xml.rels", "<Relationships")
    said = {}
    for path in (digest, deck):
        result = CliRunner().invoke(main, ["-c", str(web.workspace.config), "verify", str(path)])
        assert result.exit_code == 1, result.output
        said[path.suffix] = " ".join(result.output.split())
    assert "Cette page HTML ne contient pas de manifeste de Watcher : elle n'a pas été " \
        "générée par Watcher" in said[".html"]  # fmt: skip
    assert "Cette présentation (PPTX) est abîmée ou tronquée : elle ne peut pas être lue" \
        in said[".pptx"]  # fmt: skip
    assert "Ce page" not in said[".html"] and "Ce présentation" not in said[".pptx"]


@pytest.mark.parametrize(
    ("selector", "said"),
    [
        ("h2.titre a::attr(href", "sélecteur invalide : inachevé (une parenthèse ou un crochet"),
        ("h2 a::atr(href)", "sélecteur invalide : « ::atr() » inconnu (::attr(href) ou ::text)"),
        ("h2 >> a", "sélecteur invalide : « > » inattendu au caractère 5"),
        ("xpath://h2[", "sélecteur invalide : expression XPath mal formée"),
    ],
)
def test_check_says_what_is_wrong_with_a_selector_in_french(
    tmp_path: Path, selector: str, said: str
) -> None:
    """A learner forgets the last parenthesis of `follow:` in sources.yml: `watcher check` said
    « sélecteur invalide (SelectorSyntaxError) », the parser's class name, in English."""
    config = tmp_path / "sources.yml"
    config.write_text(
        "watch: {name: Veille}\naxes: [{id: concurrence, label: Marché}]\n"
        "groups: [{id: g3, name: Groupe 3}]\n"
        "sources:\n"
        "  - {id: presse, kind: page, url: 'https://presse.example.org/', axis: concurrence,\n"
        f"     follow: {selector!r}}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["-c", str(config), "check"])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert said in text, text
    assert "Error" not in text and "Expected" not in text


def test_check_names_the_source_and_its_line_beside_its_position(tmp_path: Path) -> None:
    """« sources[3].kind: valeur non reconnue » counts from 0: a learner counting the sources of
    a 300-line starter file looks at the fourth from 1, the wrong one. The line now says which
    source (its id) and at which line of the file it starts."""
    config = tmp_path / "sources.yml"
    config.write_text(
        """\
# le plan de veille du groupe 3
watch: {name: Veille}
axes: [{id: concurrence, label: Marché}, {id: normes, label: Normes}]
groups: [{id: g3, name: Groupe 3}]
sources:
  # - id: commentee
  #   kind: feed
  - id: cnil
    kind: feed
    url: https://www.cnil.fr/fr/rss.xml
    axis:
      - concurrence
      - normes
  - id: telvia-offre
    kind: moniteur
    url: https://telvia.example.org/offre
    axis: concurrence
mail: {host: 127.0.0.1, port: 1025, starttls: false, sender: veille@example.org}
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["-c", str(config), "check"])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert 'sources[1].kind: valeur non reconnue (valeur : "moniteur")' in text, text
    assert "[source « telvia-offre », ligne 14]" in text, text
    as_json = CliRunner().invoke(main, ["-c", str(config), "check", "--json"])
    assert '"path": "sources[1].kind"' in as_json.output  # the path itself is unchanged


def test_a_search_on_the_command_line_says_how_to_reach_the_next_page(web: Web) -> None:
    """« 13 résultats pour « service client » — page 1/2 », then the table and the facets:
    nothing said how to see the second page (`--page` is in `--help` only)."""
    config = str(web.workspace.config)
    first = CliRunner().invoke(
        main, ["-c", config, "search", "--group", "g1", "--limit", "1", "--sort", "date"]
    )
    assert first.exit_code == 0, first.output
    total = int(re.search(r"(\d+) résultats pour", first.output).group(1))  # type: ignore[union-attr]
    assert total >= 2, first.output
    text = " ".join(first.output.split())
    assert f"— page 1/{total}" in text
    assert f"Page suivante : la même commande avec --page 2 ({total - 1} autre" in text, text
    last = CliRunner().invoke(
        main, ["-c", config, "search", "--group", "g1", "--limit", "1", "--page", str(total)]
    )
    assert last.exit_code == 0, last.output
    assert "Page suivante" not in last.output


def _offer(price: str) -> Route:
    page = f'<html><body><main id="offre"><h1>Box Fibre</h1><p class="prix">{price} € par mois</p>'
    return Route(
        body=f"{page}</main></body></html>".encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


def test_a_watched_page_s_first_collection_says_it_is_its_reference(watcher: Watcher) -> None:
    """The group declares a competitor's offer page with its price; the first `watcher crawl`
    counted the page « inchangés 1 », which it was not (nothing to compare it with) and said
    nothing of when its changes would show."""
    routes = {
        "/robots.txt": Route(body=b"User-agent: *\nAllow: /\n"),
        "/offre.html": _offer("39,99"),
    }
    with LocalSite(routes=routes) as site:
        source = feed_source(site, "/offre.html", id="offre", kind="monitor")
        watcher.write([{**source, "select": "#offre", "price": ".prix"}])
        args = ["-c", str(watcher.workspace.config), "crawl", "--source", "offre"]
        first = CliRunner().invoke(main, args, terminal_width=200)
        site.routes["/offre.html"] = _offer("34,99")
        second = CliRunner().invoke(main, args, terminal_width=200)
        as_json = CliRunner().invoke(main, [*args, "--json"])
    assert first.exit_code == 0, first.output
    text = " ".join(first.output.split())
    assert "en service (première version) │ 0 │ 0 │ 0 " in text, text
    assert "Première version enregistrée pour la page surveillée offre : ses changements " \
        "(texte, prix) seront signalés à partir de la prochaine collecte." in text  # fmt: skip
    assert "1 source collectée : 0 nouvel article, 0 mis à jour" in text
    assert second.exit_code == 0, second.output
    assert "1 source collectée : 1 nouvel article" in " ".join(second.output.split())
    assert "Première version" not in second.output
    assert '"first_version": false' in as_json.output


def test_previewing_an_empty_week_does_not_start_the_watch_a_week_early(watcher: Watcher) -> None:
    """A group's first day: `watcher crawl`, then `watcher digest --preview` (the last complete
    week, before anything was collected: empty). The dossier then took that preview for the
    watch's start and counted its week as one without a digest sent (« 0 semaine sur 1 … (1
    autre préparée, non envoyée) depuis le début de la veille, semaine 49 »)."""
    entries = [{"title": "Telvia baisse ses prix", "link": "/a/1", "guid": "a1"}]
    with LocalSite(routes={"/rss.xml": Route(body=b"")}) as site:
        site.routes["/rss.xml"] = Route(
            body=rss(site.base, entries), headers={"Content-Type": "application/rss+xml"}
        )
        watcher.write([feed_source(site, "/rss.xml", id="presse")])
        config = str(watcher.workspace.config)
        crawled = CliRunner().invoke(main, ["-c", config, "crawl"])
    assert crawled.exit_code == 0, crawled.output
    preview = CliRunner().invoke(main, ["-c", config, "digest", "--group", "g1", "--preview"])
    assert preview.exit_code == 0, preview.output
    assert "la dernière semaine complète" in preview.output
    made = CliRunner().invoke(main, ["-c", config, "dossier", "--group", "g1", "--format", "html"])
    assert made.exit_code == 0, made.output
    text = " ".join(made.output.split())
    this_week = IsoWeek.of(datetime.now(UTC), ZoneInfo("Europe/Paris"))
    assert f"depuis le début de la veille, semaine {this_week.week} " in text, text
    assert "préparée" not in text


def test_the_starter_file_speaks_of_the_synthese_not_the_digest(tmp_path: Path) -> None:
    """`watcher init` writes a commented sources.yml: its watched-page example said changes
    show in « la section « Changements détectés » du digest », the code's English word for
    what every French text of Watcher calls « la synthèse hebdomadaire »."""
    made = CliRunner().invoke(main, ["init", str(tmp_path / "ma-veille")])
    assert made.exit_code == 0, made.output
    text = (tmp_path / "ma-veille" / "sources.yml").read_text(encoding="utf-8")
    comments = " ".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    assert not re.search(r"\b(du|le|au|un) digest\b", comments), comments
    assert "« Changements détectés » de la synthèse hebdomadaire" in comments


def test_check_warns_of_a_private_address_the_crawl_will_refuse(tmp_path: Path) -> None:
    """A learner writes the url of a feed served on the school's network (192.168.…) or on
    their own machine: `watcher check` said « sources.yml est valide », then `watcher crawl`
    refused it (« adresse privée ou locale refusée »). `check` now warns, naming the source
    and saying to add `allow_private: true`; the file stays valid (exit 0)."""
    config = tmp_path / "sources.yml"
    config.write_text(
        """\
watch: {name: Veille}
axes: [{id: concurrence, label: Marché}]
groups: [{id: g3, name: Groupe 3}]
sources:
  - {id: cnil, kind: feed, url: "https://www.cnil.fr/fr/rss.xml", axis: concurrence}
  - {id: ecole, name: Intranet de l'école, kind: feed, url: "http://192.168.1.20:8080/rss",
     axis: concurrence}
  - {id: poste, kind: feed, url: "http://localhost:8000/flux.xml", axis: concurrence}
  - {id: demo, kind: feed, url: "http://127.0.0.1:8081/flux.xml", axis: concurrence,
     allow_private: true}
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["-c", str(config), "check"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "est valide : 4 sources" in text, text
    assert text.count("Attention :") == 2, text
    assert (
        "Attention : sources[1].url : la source « ecole » (Intranet de l'école) vise une adresse "
        "privée ou locale (http://192.168.1.20:8080) que la collecte refusera — si cette adresse "
        "est voulue, ajoutez allow_private: true à cette source" in text
    ), text
    assert "la source « poste » vise une adresse privée ou locale (http://localhost:8000)" in text
    assert "« cnil »" not in text and "« demo »" not in text
    as_json = CliRunner().invoke(main, ["-c", str(config), "check", "--json"])
    assert as_json.exit_code == 0, as_json.output
    found = json.loads(as_json.output)
    assert found["valid"] and [w.split(" :")[0] for w in found["warnings"]] == [
        "sources[1].url",
        "sources[2].url",
    ]
