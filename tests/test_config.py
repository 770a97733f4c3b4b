"""sources.yml validation: every problem is one line with its path, the bad value and an example."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pydantic import ValidationError

from watcher.cli.main import main
from watcher.config import ConfigError, load_watch, parse_duration, parse_size, parse_watch

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
watch: {name: "Veille test"}
axes:
  - {id: concurrence, label: "Marché & concurrence", keywords: [prix]}
  - {id: reglementaire, label: "Juridique & réglementaire"}
groups:
  - id: g3
    name: "Groupe 3"
    members: [{name: "Inès Martin", email: "ines@example.org"}]
    tutor: {name: "Paul Durand", email: "paul@example.org"}
    digest: {weekday: lundi, time: "08:00"}
sources:
  - {id: cnil, kind: feed, url: "https://www.cnil.fr/fr/rss.xml", axis: reglementaire,
     level: primaire, every: 6h, groups: [g3]}
  - {id: lsa, kind: page, url: "https://www.lsa-conso.fr/distribution/",
     follow: "h2 a::attr(href)", axis: [concurrence], every: 12h}
"""


def issues(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_watch(text, Path("sources.yml"))
    return [str(issue) for issue in caught.value.issues]


def with_source(**fields: object) -> str:
    data = yaml.safe_load(GOOD)
    data["sources"][1].update(fields)
    return yaml.safe_dump(data, allow_unicode=True)


def test_a_good_file_gives_typed_frozen_objects() -> None:
    watch = parse_watch(GOOD, Path("sources.yml"))
    cnil = watch.source("cnil")
    assert cnil.every == timedelta(hours=6)
    assert cnil.axis == ("reglementaire",)
    assert watch.groups[0].digest.weekday == "monday"
    assert watch.groups_of(watch.source("lsa")) == ("g3",)  # no groups: every group
    assert watch.watch.timezone == "Europe/Paris"
    with pytest.raises(ValidationError):  # frozen
        cnil.every = timedelta(hours=1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"every": "often"}, 'sources[1].every: durée invalide (valeur : "often") — exemple : 6h'),
        ({"every": "1m"}, "sources[1].every: fréquence trop élevée"),
        ({"url": "ftp://x.org/feed"}, "sources[1].url: URL invalide"),
        ({"url": "pas une url"}, "sources[1].url: URL invalide"),
        ({"kind": "rss"}, 'sources[1].kind: valeur non reconnue (valeur : "rss") — exemple : feed'),
        (
            {"axis": "marketing"},
            'sources[1].axis: axe non défini dans axes: (valeur : "marketing")',
        ),
        ({"groups": ["g9"]}, 'sources[1].groups: groupe non défini dans groups: (valeur : "g9")'),
        ({"id": "cnil"}, "sources[1].id: identifiant en double (déjà utilisé par sources[0])"),
        ({"id": "LSA Conso"}, "sources[1].id: identifiant invalide"),
        ({"colour": "red"}, "sources[1].colour: clé inconnue"),
        ({"allow_private": "maybe"}, "sources[1].allow_private: true ou false attendu"),
        ({"depth": 0}, "sources[1].depth: valeur trop petite (limite : 1)"),
        ({"depth": 1.5}, "sources[1].depth: nombre entier attendu (valeur : 1.5)"),
        ({"follow": "h2 a::attr("}, "sources[1].follow: sélecteur invalide"),
        (
            {"url": "https://www.cnil.fr/fr/rss.xml"},
            "sources[1].url: même URL que sources[0] (« cnil ») : déclarez la source une seule "
            "fois et listez tous ses groupes dans groups:",
        ),
        ({"rating": {"fiabilite": 5}}, "sources[1].rating.fiabilite: valeur trop grande"),
    ],
)
def test_each_bad_value_is_one_line_with_its_path(fields: dict[str, object], expected: str) -> None:
    found = issues(with_source(**fields))
    assert any(line.startswith(expected) for line in found), found


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"url": "file:///etc/passwd"}, "sources[1].url: URL invalide : elle doit commencer par"),
        ({"url": "data:application/rss+xml,<rss/>"}, "sources[1].url: URL invalide"),
        # Scrapy refuses these: such a source stopped every source the crawl started after it
        # (« collecte interrompue avant la fin ») while `watcher check` said the file was valid
        (
            {"url": "http://127.0.0.1:99999/flux.xml"},
            "sources[1].url: URL invalide : le site ou son port est mal écrit (un port va de 1 "
            "à 65535)",
        ),
        ({"url": "http://[::1/flux.xml"}, "sources[1].url: URL invalide : le site ou son port"),
        ({"url": "https://www.example.org:0/"}, "sources[1].url: URL invalide : le port va de"),
        # the crawl refuses them whatever the source says: `watcher check` said « valide »
        *(
            (
                {"url": url, "allow_private": True},
                "sources[1].url: adresse refusée dans tous les cas, même avec allow_private "
                "(réseau local de la machine ou service de métadonnées d'un cloud) : Watcher ne "
                "la collecte jamais, retirez cette source",
            )
            for url in (
                "http://169.254.169.254/latest/meta-data/",
                "http://[fd00:ec2::254]/latest/",
                "http://[::ffff:169.254.169.254]/",
            )
        ),
        (
            {"url": "https://www.lsa conso.fr/distribution/"},
            "sources[1].url: URL invalide : le nom du site contient une espace ou un caractère "
            "interdit",
        ),
        (
            {"allow_private": True, "private_origins": ["http://127.0.0.1:8081/rss"]},
            "sources[1].private_origins[0]: origine invalide : seulement http(s)://hôte:port, "
            'sans chemin (valeur : "http://127.0.0.1:8081/rss") — exemple : '
            '["http://127.0.0.1:8081"]',
        ),
        (
            {"allow_private": True, "private_origins": ["file:///etc"]},
            "sources[1].private_origins[0]: origine invalide : elle doit commencer par http://",
        ),
        (
            {"allow_private": True, "private_origins": "http://127.0.0.1:99999"},
            "sources[1].private_origins[0]: origine invalide : port incorrect",
        ),
        (
            {"private_origins": ["http://127.0.0.1:8081"]},
            "sources[1].private_origins: private_origins ne sert qu'avec allow_private: true",
        ),
    ],
)
def test_addresses_and_private_origins_are_checked(
    fields: dict[str, object], expected: str
) -> None:
    found = issues(with_source(**fields))
    assert any(line.startswith(expected) for line in found), found


def test_private_origins_are_kept_as_origins() -> None:
    text = with_source(
        allow_private=True, private_origins=["HTTP://127.0.0.1:8081/", "https://Intranet.local:443"]
    )
    source = parse_watch(text, Path("sources.yml")).sources[1]
    assert source.private_origins == ("http://127.0.0.1:8081", "https://intranet.local")


def test_page_sources_may_leave_follow_out_and_feeds_refuse_one() -> None:
    """A `page` source without `follow` is valid (its article links are found on the listing:
    watcher.collect.listing); a `feed` source with one is not."""
    data = yaml.safe_load(GOOD)
    del data["sources"][1]["follow"]
    data["sources"][0]["follow"] = "a::attr(href)"
    found = issues(yaml.safe_dump(data, allow_unicode=True))
    assert not any(line.startswith("sources[1].") for line in found), found
    assert any(
        line.startswith("sources[0].follow: clé réservée aux sources de type page")
        for line in found
    )
    del data["sources"][0]["follow"]
    source = parse_watch(yaml.safe_dump(data, allow_unicode=True), Path("sources.yml")).sources[1]
    assert source.kind == "page" and source.follow is None


def test_every_problem_is_reported_at_once() -> None:
    found = issues(with_source(every="often", kind="rss", colour="red"))
    assert len(found) == 3


def test_missing_section_bad_email_bad_time_and_timezone() -> None:
    text = GOOD.replace('watch: {name: "Veille test"}', "watch: {timezone: Mars/Olympus}")
    text = text.replace("ines@example.org", "ines-at-example").replace('"08:00"', '"25:00"')
    found = issues(text)
    assert any(line.startswith("watch.name: champ obligatoire manquant") for line in found)
    assert any(line.startswith("watch.timezone: fuseau horaire inconnu") for line in found)
    assert any(
        line.startswith("groups[0].members[0].email: adresse e-mail invalide") for line in found
    )
    assert any(line.startswith("groups[0].digest.time: heure invalide") for line in found)


def test_yaml_syntax_errors_and_duplicate_keys_name_the_line() -> None:
    assert issues("watch: {name: x\nsources: [")[0].startswith("ligne ")
    duplicated = issues("watch: {name: a}\nwatch: {name: b}\n")
    assert "clé « watch » en double" in duplicated[0]
    assert duplicated[0].startswith("ligne 2")
    assert issues("- just\n- a list\n")[0].startswith("(racine)")


@pytest.mark.parametrize("text", ["", "\n\n", "# ma veille, à écrire\n", "\ufeff"])
def test_an_empty_file_says_so_and_what_to_write(tmp_path: Path, text: str) -> None:
    """An empty sources.yml (or one of comments only) was « (racine): le fichier doit être une
    suite de sections clé: valeur », which does not say it is empty nor what to write."""
    config = tmp_path / "sources.yml"
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 2
    assert (
        "(racine): le fichier est vide : écrivez ses sections watch:, axes:, groups: et sources: "
        "(docs/sources-format.md), ou créez une veille d'exemple avec `watcher init DOSSIER`"
    ) in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("data", "where", "kind"),
    [
        ("watch:\n  name: 'Veille Carrefour'\n  contact: 'Hélène'\n".encode("cp1252"), "ligne 3, "
         "colonne 14", "un autre encodage"),
        ("watch: {name: 'Veille'}\n".encode("utf-16"), "ligne 1, colonne 1", "UTF-16"),
    ],
)  # fmt: skip
def test_a_file_in_another_encoding_says_where_and_how_to_save_it(
    tmp_path: Path, data: bytes, where: str, kind: str
) -> None:
    """A sources.yml saved by Windows' Notepad in « ANSI » was only « le fichier doit être en
    UTF-8 »: now where its first such character is, and how to save it again."""
    config = tmp_path / "sources.yml"
    config.write_bytes(data)
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 2
    assert (
        f"{where}: le fichier est enregistré en {kind}, pas en UTF-8 : dans votre éditeur, "
        "« Enregistrer sous » avec l'encodage UTF-8, puis relancez `watcher check`"
    ) in " ".join(result.output.split()), result.output


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_watch(tmp_path / "sources.yml")
    assert "watcher init" in str(caught.value.issues[0])


def test_a_folder_named_sources_yml_is_a_french_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sources.yml").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHER_CONFIG", raising=False)
    for command in ("check", "crawl"):
        result = CliRunner().invoke(main, [command])
        assert result.exit_code == 2, (command, result.output, result.exception)
        assert "sources.yml: c'est un dossier, pas un fichier" in result.output, result.output


def test_durations_and_sizes() -> None:
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("1j") == timedelta(days=1)
    assert parse_duration("2w") == timedelta(weeks=2)
    assert parse_size("10MB") == 10_000_000
    assert parse_size("512KiB") == 512 * 1024
    for bad in ("0h", "-1h", "6 heures", ""):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_shipped_configurations_are_valid() -> None:
    for path in (
        ROOT / "watcher" / "starter" / "sources.yml",
        ROOT / "sources.yml",
    ):
        watch = load_watch(path)
        assert watch.sources and len(watch.axes) >= 4
    demo = (ROOT / "watcher" / "demo" / "sources.yml").read_text(encoding="utf-8")
    watch = parse_watch(demo.replace("{{BASE}}", "http://127.0.0.1:8765"), Path("demo.yml"))
    assert {s.kind for s in watch.sources} == {"feed", "page", "sitemap", "monitor"}
    assert all(s.allow_private for s in watch.sources)


def test_check_command_exit_codes(tmp_path: Path) -> None:
    config = tmp_path / "sources.yml"
    config.write_text(GOOD, encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["--config", str(config), "check"])
    assert ok.exit_code == 0, ok.output
    assert "est valide : 2 sources, 2 axes, 1 groupe" in ok.output
    config.write_text(with_source(every="often", axis="marketing"), encoding="utf-8")
    bad = runner.invoke(main, ["--config", str(config), "check"])
    assert bad.exit_code == 2
    assert "sources[1].every: durée invalide" in bad.output
    assert "sources[1].axis: axe non défini" in bad.output
    assert "Rien n'a été collecté" not in bad.output  # `check` collects nothing anyway
    assert "Corrigez le fichier puis relancez `watcher check`." in bad.output
    # nothing is crawled from an invalid file
    crawl = runner.invoke(main, ["--config", str(config), "crawl"])
    assert crawl.exit_code == 2
    assert "Rien n'a été collecté." in crawl.output
    assert not (tmp_path / "watcher.db").exists()


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("(\\d+ heures", "parenthèse ouverte jamais fermée, position 0"),
        ("Mis à jour)", "parenthèse fermée sans avoir été ouverte, position 10"),
        ("[0-9", "crochet [ ouvert jamais fermé, position 0"),
        ("*promo", "rien à répéter avant * + ? ou {, position 0"),
        ("a**", "deux répétitions de suite (comme ** ou +*), position 2"),
        ("\\d{5,2}", "dans {m,n}, m dépasse n, position 3"),
        ("prix \\", "barre oblique inverse \\ en fin de motif, position 5"),
        ("\\q", "séquence d'échappement inconnue « \\q », position 0"),
        ("[z-a]", "intervalle de caractères à l'envers « z-a », position 1"),
    ],
)
def test_a_bad_pattern_is_explained_in_french(pattern: str, said: str) -> None:
    """`watcher check` quoted Python's own English for a bad `ignore:` or `trigger:` pattern
    (« missing ), unterminated subpattern »): a learner reads what is wrong in French."""
    data = yaml.safe_load(GOOD)
    data["sources"][1] = {"id": "offre", "kind": "monitor", "url": "https://rival.example/",
                          "axis": "concurrence", "ignore": [pattern]}  # fmt: skip
    [found] = issues(yaml.safe_dump(data, allow_unicode=True))
    assert found.startswith(f"sources[1].ignore[0]: expression régulière invalide ({said}) : ")


def test_two_monitor_sources_on_one_page_are_refused_naming_both_and_what_to_do(
    tmp_path: Path,
) -> None:
    """Two groups (or two selectors) watching one product page as two `monitor` sources were
    told to « list all its groups in groups: », which says nothing of their selectors. A
    second source on a page would miss its changes (the page answers it 304 once the
    other has read it): `watcher check` refuses it, naming both sources, and says how one
    source does it all."""
    data = yaml.safe_load(GOOD)
    page = "https://www.rival.example/offre"
    data["sources"] += [
        {"id": "rival-prix", "kind": "monitor", "url": page, "price": ".prix",
         "axis": "concurrence", "groups": ["g3"]},
        {"id": "rival-cgv", "kind": "monitor", "url": page, "select": ".conditions",
         "axis": "reglementaire"},
    ]  # fmt: skip
    config = tmp_path / "sources.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert (
        "sources[3].url: « rival-cgv » surveille la même page que sources[2] (« rival-prix ») : "
        "une page n'est surveillée que par une source (chacune signalerait chaque changement). "
        "Gardez-en une : listez-y tous les groupes dans groups: et tous "
        "les axes dans axis:, et, pour suivre plusieurs parties de la page, nommez-les toutes "
        'dans son select (valeur : "https://www.rival.example/offre") — exemple : select: '
        '".prix, .conditions"'
    ) in said, said
    # what it says to do is a valid source
    data["sources"][2:] = [
        {"id": "rival", "kind": "monitor", "url": page, "select": ".prix, .conditions",
         "price": ".prix", "axis": ["concurrence", "reglementaire"]},
    ]  # fmt: skip
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert CliRunner().invoke(main, ["--config", str(config), "check"]).exit_code == 0


def test_an_axis_names_pestel_topics_or_dimensions_and_an_unknown_one_is_one_line() -> None:
    data = yaml.safe_load(GOOD)
    data["topics"] = [
        {"id": "fidelite", "label": "Fidélité", "pestel": "E", "keywords": ["fidélité"]}
    ]
    data["axes"][0]["topics"] = ["emploi", "fidelite", "juridique"]
    data["axes"][1]["topics"] = ["sante", "santé-publique"]
    text = yaml.safe_dump(data, allow_unicode=True)
    found = issues(text)
    assert len(found) == 1
    assert found[0].startswith("axes[1].topics[1]: thème inconnu")
    assert "santé-publique" in found[0]
    data["axes"][1]["topics"] = ["sante"]
    watch = parse_watch(yaml.safe_dump(data, allow_unicode=True), Path("sources.yml"))
    assert watch.axes[0].topics == ("emploi", "fidelite", "juridique")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD + "crawler: {dealy: 2}\n",
            "crawler.dealy: clé inconnue (valeur : 2) — vouliez-vous dire « delay » ?",
        ),
        (
            with_source(folow="h2 a"),
            'sources[1].folow: clé inconnue (valeur : "h2 a") — vouliez-vous dire « follow » ?',
        ),
        (
            GOOD.replace("digest: {weekday: lundi", "digest: {weekdays: lundi"),
            'groups[0].digest.weekdays: clé inconnue (valeur : "lundi") — vouliez-vous dire '
            "« weekday » ?",
        ),
        (
            GOOD + "sourcse: []\n",
            "sourcse: clé inconnue (valeur : []) — vouliez-vous dire « sources » ?",
        ),
    ],
)
def test_a_mistyped_key_names_the_key_meant(text: str, expected: str) -> None:
    """A typo in a key (« dealy ») is told with the key of that section it is closest to."""
    assert expected in issues(text)


def test_an_unknown_key_far_from_every_key_gets_no_guess() -> None:
    assert 'sources[1].colour: clé inconnue (valeur : "red")' in issues(with_source(colour="red"))
