"""The command line walked as its users walk it (a learner in a group, a tutor, an evaluator):
each test is a trap one of them fell into, and what the command says now."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_cli import serve_price_news

from conftest import Watcher, feed_source, rss
from watcher.cli.main import main
from watcher.dates import iso_day
from watcher.demo.server import LocalSite
from watcher.errors import BadValue
from watcher.jobs import open_workspace


def _run(watcher: Watcher, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(watcher.workspace.config), *args])
    return result.exit_code, result.output


def _announce(site: LocalSite, count: int) -> None:
    """The site's /feed.xml: `count` items « Annonce 0 », « Annonce 1 »…"""
    assert site.root is not None
    items = [
        {"title": f"Annonce {n}", "link": f"{site.base}/a{n}", "guid": f"a{n}"}
        for n in range(count)
    ]
    (site.root / "feed.xml").write_bytes(rss(site.base, items))


def _crawl_announcements(watcher: Watcher, site: LocalSite, count: int) -> None:
    """A watch of one feed (« flux ») of `count` announcements, crawled."""
    _announce(site, count)
    watcher.write([feed_source(site, "/feed.xml", id="flux")])
    watcher.crawl()


def test_a_digest_of_a_week_not_begun_is_refused_and_not_archived(watcher: Watcher) -> None:
    """`--week 2099-W10` (a typo of the year, a week ahead): the digest was built for it as the
    « semaine en cours », « du 2 mars 2099 au 6 décembre 2026 », with every item waiting,
    archived under reports/ and listed by `watcher outbox` (and counted by the dossier) as one
    of the group's digests. Now: refused, nothing written."""
    watcher.write([])
    code, output = _run(watcher, "digest", "--group", "g1", "--week", "2099-W10", "--preview")
    assert code == 2, output
    # the week as people read it (« Semaine 2099-W10 : la semaine 2099-W10 n'a pas commencé »
    # before), the week under way with the code to type
    said = " ".join(output.split())
    assert "--week 2099-W10 : la semaine 10 (du 2 au 8 mars 2099) n'a pas commencé" in said
    assert "Semaine en cours : semaine " in said and "2099-W10 n'a" not in said
    assert "Pour la semaine en cours : --week courante." in said
    assert not (watcher.workspace.reports / "g1").exists()
    with open_workspace(watcher.workspace) as w:
        assert w.mails.digest("g1", "2099-W10") is None
    code, output = _run(watcher, "outbox")
    assert "2099-W10" not in output


def test_a_dossier_period_given_in_iso_weeks_covers_whole_weeks(watcher: Watcher) -> None:
    """Digests go by ISO week, so a group asks for its dossier the same way: `--from 2026-W45
    --to 2026-W48` was read by Python's `date.fromisoformat` as two Mondays, and the dossier
    silently stopped on Monday 23 November, leaving out the last six days. Now a week given to
    --from starts on its Monday, to --to ends on its Sunday."""
    watcher.write([])
    code, output = _run(
        watcher, "dossier", "--group", "g1", "--from", "2026-W45", "--to", "2026-W48",
        "--format", "html",
    )  # fmt: skip
    assert code == 0, output
    assert "du 2 novembre 2026 au 29 novembre 2026" in output
    assert (watcher.workspace.reports / "g1" / "dossier-2026-11-02-2026-11-29.html").is_file()
    code, output = _run(watcher, "dossier", "--group", "g1", "--from", "2026-W54")
    assert code == 2
    assert "2026-W54 n'existe pas" in output


def test_a_day_is_written_one_way_and_a_week_is_never_taken_for_its_monday() -> None:
    """Where one day is asked for (a jury's session, a decision), `2026-W48` or `20261123`
    passed as a day (Python reads them so); now only AAAA-MM-JJ is a day."""
    for text in ("2026-W48", "2026W48", "20261123", "2026-W48-1"):
        with pytest.raises(BadValue, match="attendu : AAAA-MM-JJ"):
            iso_day(text, "--date")
    assert iso_day("2026-11-23", "--date") == date(2026, 11, 23)


def test_a_command_run_outside_the_watch_says_where_it_looked_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """A new terminal, and the learner forgot `cd ma-veille`: every command said « …/sources.yml
    n'est pas valide (1 erreur(s)) … Corrigez le fichier puis relancez `watcher check` » about a
    file that is not there, and `watcher user list` (« Aucun compte. »), `user passwd` and
    `delete` opened a new, empty watcher.db in that folder. Now each says there is no
    sources.yml there and how to get to the watch, and nothing is written."""
    config = tmp_path / "sources.yml"
    for args in (
        ["status"],
        ["user", "list"],
        ["user", "passwd", "a@example.org"],
        ["delete", "3"],
    ):
        result = CliRunner().invoke(main, ["--config", str(config), *args])
        assert result.exit_code == 2, (args, result.output)
        assert f"Pas de sources.yml dans {tmp_path}" in result.output
        assert "cd ma-veille" in result.output and "watcher init" in result.output
        assert "Corrigez le fichier" not in result.output
        assert list(tmp_path.iterdir()) == [], args


def test_delete_names_the_article_and_asks_before_deleting_it(
    watcher: Watcher, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watcher delete 19` deleted at once, for good (« il ne reviendra pas aux collectes
    suivantes »), and said only « Article n° 19 supprimé. »: a mistyped number deleted another
    article without anyone seeing which. Now the command names the article and asks (o/N), or
    wants --yes where there is no terminal to ask in."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(
            site.base,
            [
                {"title": "Hausse des prix", "link": f"{site.base}/a", "guid": "a"},
                {"title": "Nouveau médiateur", "link": f"{site.base}/b", "guid": "b"},
            ],
        )
    )
    watcher.write([feed_source(site, "/feed.xml", id="actus")])
    watcher.crawl()

    def titles() -> dict[str, int]:
        _, listed = _run(watcher, "items", "--json")
        return {r["title"]: r["id"] for r in json.loads(listed)}

    victim = titles()["Hausse des prix"]
    code, output = _run(watcher, "delete", str(victim))  # a script: no terminal
    assert code == 2, output
    assert "« Hausse des prix »" in output and "--yes" in output
    assert "Hausse des prix" in titles()

    monkeypatch.setattr("watcher.cli.app.interactive", lambda: True)
    config = ["--config", str(watcher.workspace.config)]
    kept = CliRunner().invoke(main, [*config, "delete", str(victim)], input="n\n")
    assert kept.exit_code == 1, kept.output
    assert f"Supprimer l'article n° {victim} « Hausse des prix » (actus)" in kept.output
    assert "Rien n'a été supprimé." in kept.output
    assert "Hausse des prix" in titles()
    gone = CliRunner().invoke(main, [*config, "delete", str(victim)], input="oui\n")
    assert gone.exit_code == 0, gone.output
    assert f"Article n° {victim} supprimé : « Hausse des prix » (actus)." in gone.output
    assert "Hausse des prix" not in titles()

    monkeypatch.setattr("watcher.cli.app.interactive", lambda: False)
    other = titles()["Nouveau médiateur"]
    code, output = _run(watcher, "delete", str(other), "--yes")
    assert code == 0, output
    assert titles() == {}


def test_the_topics_the_starter_and_check_point_to_are_listed_by_watcher_topics(
    watcher: Watcher, tmp_path: Path
) -> None:
    """The starter sources.yml says « des thèmes PESTEL (voir `watcher topics`) », and `watcher
    check` sent an unknown topic to « watcher/data/pestel.yml », a file inside the installed
    package: there was no `watcher topics` (« Commande inconnue »). Now it lists every topic a
    watch may name (the shipped ones and its own) with its dimension, even while sources.yml
    is invalid — which is when a learner needs it."""
    starter = CliRunner().invoke(main, ["init", str(tmp_path / "ma-veille")])
    assert starter.exit_code == 0
    assert "(voir `watcher topics`)" in (tmp_path / "ma-veille" / "sources.yml").read_text()
    watcher.write(
        [],
        topics=[{"id": "fidelisation", "label": "Fidélisation", "pestel": "economique",
                 "keywords": ["carte de fidélité"]}],
    )  # fmt: skip
    code, output = _run(watcher, "topics")
    assert code == 0, output
    lines = [" ".join(line.split()) for line in output.splitlines()]
    assert any("fidelisation Fidélisation" in line for line in lines), output
    assert any("normes Normes et certifications" in line for line in lines), output
    assert "Économique (economique)" in output  # a dimension stands for all its topics
    watcher.write([], axes=[{"id": "a", "label": "A", "topics": ["norme"]}])
    code, output = _run(watcher, "check")
    assert code == 2 and "liste des thèmes : watcher topics" in output
    code, output = _run(watcher, "topics")
    assert code == 0, output
    assert "sources.yml n'est pas valide" in output
    assert any(
        "normes Normes et certifications" in " ".join(x.split()) for x in output.splitlines()
    )


def test_a_pestel_dimension_in_a_search_finds_its_topics(watcher: Watcher, site: LocalSite) -> None:
    """docs/search.md gives `topic:economique` as its example, and sources.yml's `topics:` takes
    a whole dimension (« economique » = every economic topic): in a search it found nothing, since
    no item is tagged « economique » itself. Now a dimension (its key or its label, as `watcher
    topics` shows them) finds the items of any of its topics."""
    serve_price_news(site)
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    assert _run(watcher, "crawl")[0] == 0
    assert _run(watcher, "process")[0] == 0

    def titles(query: str) -> list[str]:
        code, output = _run(watcher, "search", query, "--group", "g1", "--json")
        assert code == 0, output
        return sorted(hit["title"] for hit in json.loads(output)["hits"])

    prices = ["Carrefour : la hausse des prix continue"]
    assert titles("topic:inflation") == prices
    assert titles("topic:economique") == prices
    assert titles('theme:"Économique"') == prices
    assert titles("-topic:economique") == ["Le décret Bloctel"]
    assert titles("topic:technologique") == []


def test_a_search_naming_an_axis_the_watch_does_not_have_says_so(watcher: Watcher) -> None:
    """`axis:juridique` (the word of the label « Juridique & réglementaire », not the axis id
    `reglementaire`) answered « Aucun résultat » like an empty week, so the learner concluded
    there was nothing. Now an axis, topic or source that the watch does not know is named, with
    the ones it knows."""
    watcher.write([], axes=[{"id": "reglementaire", "label": "Juridique & réglementaire"}])
    code, output = _run(watcher, "search", "axis:juridique", "--group", "g1")
    assert code == 0, output
    text = " ".join(output.split())
    assert "Aucun résultat pour « axis:juridique »." in text
    assert (
        "« juridique » n'est pas un axe de cette veille. Axes : reglementaire (Juridique & "
        "réglementaire)." in text
    )
    code, output = _run(watcher, "search", "topic:xyz source:lsa -axis:reglementaire",
                        "--group", "g1")  # fmt: skip
    text = " ".join(output.split())
    assert "« xyz » n'est ni un thème ni une dimension PESTEL : voir `watcher topics`." in text
    assert "« lsa » n'est pas une source de cette veille (ni de ce qu'elle a collecté)" in text
    assert "n'est pas un axe" not in text  # -axis:reglementaire names a known axis
    code, output = _run(watcher, "search", 'axis:"Juridique & réglementaire" topic:economique',
                        "--group", "g1")  # fmt: skip
    assert "n'est pas" not in output and "n'est ni" not in output


def test_a_page_past_the_last_says_how_many_pages_there_are(
    watcher: Watcher, site: LocalSite
) -> None:
    """`--page 5` on two results printed « 2 résultat(s) pour « prix » — page 5/1 », an empty
    table and the facets of the results it did not show. Now it says which pages exist."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(
            site.base,
            [
                {"title": "Les prix montent", "link": f"{site.base}/a", "guid": "a"},
                {"title": "Les prix baissent", "link": f"{site.base}/b", "guid": "b"},
            ],
        )
    )
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    assert _run(watcher, "crawl")[0] == 0
    assert _run(watcher, "process")[0] == 0
    code, output = _run(watcher, "search", "prix", "--group", "g1", "--limit", "1", "--page", "5")
    assert code == 0, output
    text = " ".join(output.split())
    assert "page 5/2" not in text and "┃ id" not in output
    assert (
        "2 résultats pour « prix », en 2 pages de 1 : la page 5 n'existe pas (la "
        "dernière : --page 2)." in text
    )
    code, output = _run(watcher, "search", "prix", "--group", "g1", "--limit", "1", "--page", "2")
    assert "2 résultats pour « prix » — page 2/2" in output


def _options(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Option]]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _options(sub, (*path, name))
        return
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            yield " ".join(path), param


def test_every_option_of_every_command_says_what_it_is() -> None:
    """`watcher assess sign --help` showed « --as TEXTE [obligatoire] » and nothing more: an
    evaluator had to guess that --as is their own e-mail (and --level, --jury, --outcome…
    alike, 26 options in all). Now every option shown has its line of help."""
    bare = [f"{path} {' / '.join(o.opts)}" for path, o in _options(main) if not o.help]
    assert bare == []
    record = CliRunner().invoke(main, ["assess", "record", "--help"])
    assert "bloc1-jury (défaut)" not in record.output  # a tutor's default is bloc1-tuteur


def test_saving_a_search_under_a_name_taken_says_what_it_replaced(watcher: Watcher) -> None:
    """`--save normes` under a name a teammate already used replaced their search without a
    word (« Recherche enregistrée sous « normes » pour g1. », as the first time). Now the
    command says which query it replaced."""
    watcher.write([], axes=[{"id": "normes", "label": "Normes"}])
    code, output = _run(watcher, "search", "axis:normes", "--group", "g1", "--save", "normes")
    assert code == 0, output
    assert "Recherche enregistrée sous « normes » pour g1." in output
    assert "remplace" not in output
    code, output = _run(watcher, "search", "iso", "--group", "g1", "--save", "normes")
    assert code == 0, output
    text = " ".join(output.split())
    assert (
        "Recherche enregistrée sous « normes » pour g1 : elle remplace « axis:normes » "
        "(tri : pertinence)." in text
    )
    code, output = _run(watcher, "search", "iso", "--group", "g1", "--save", "normes")
    assert "remplace" not in output  # the same search again replaces nothing


def test_an_export_or_list_for_a_learner_nobody_knows_is_refused(watcher: Watcher) -> None:
    """An evaluator mistyped a learner's e-mail: `assess export --format csv --learner
    lea.moro@…` wrote « 0 évaluation(s) exportée(s) : …/evaluations-lea.moro-at-….csv », an
    empty file to hand on, exit 0 (and `assess list` « Aucune évaluation visible. »). Now an
    address that is no learner of the watch (sources.yml, accounts, records) is named, with
    the learners it knows."""
    watcher.write(
        [],
        groups=[{"id": "g1", "name": "Groupe 1", "members": [
            {"name": "Léa Moreau", "email": "lea.moreau@example.org"}]}],
    )  # fmt: skip
    for command in (["export", "--format", "csv"], ["list"]):
        code, output = _run(watcher, "assess", *command, "--learner", "lea.moro@example.org")
        assert code == 2, (command, output)
        text = " ".join(output.split())
        assert (
            "Apprenant inconnu : lea.moro@example.org. Apprenants : lea.moreau@example.org" in text
        )
    assert not (watcher.workspace.reports / "evaluations").exists()
    code, output = _run(watcher, "assess", "export", "--format", "csv", "--learner",
                        "Lea.Moreau@example.org")  # fmt: skip
    assert code == 0, output
    assert "0 évaluation exportée" in output


def test_a_week_written_another_way_is_refused_in_french_with_the_form_to_use(
    watcher: Watcher,
) -> None:
    """`--week 2026-48` (or `S48`, or a day) answered « semaine invalide : '2026-48' (attendu :
    2026-W48) »: lower case, Python's quotes, unlike every other message (« Semaine invalide :
    2025-W53 n'existe pas … — exemple : 2026-W48 »). Now one form for both."""
    watcher.write([])
    for typed in ("2026-48", "S48", "2026-11-24"):
        code, output = _run(watcher, "digest", "--group", "g1", "--week", typed)
        assert code == 2
        text = " ".join(output.split())
        assert (
            f"Semaine invalide : « {typed} » — écrivez l'année, W et le numéro de la semaine "
            "ISO — exemple : 2026-W48" in text
        ), text
        assert "'" + typed not in text


def test_an_unknown_group_reads_the_same_in_every_command(watcher: Watcher) -> None:
    """`watcher search x --group g9` and `watcher searches --group g9` said « groupe inconnu :
    g9 (groupes : g1, g2) » while digest, dossier, items, assess… said « Groupe inconnu : g9.
    Groupes : g1, g2 »: now every command says it the second way."""
    watcher.write([])
    for args in (["search", "x", "--group", "g9"], ["searches", "--group", "g9"],
                 ["digest", "--group", "g9"], ["items", "--group", "g9"]):  # fmt: skip
        code, output = _run(watcher, *args)
        assert code == 2, (args, output)
        assert output.strip() == "Groupe inconnu : g9. Groupes : g1, g2", (args, output)


def test_the_values_a_french_user_types_are_taken(
    watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--sort pertinence` (the help said « Tri : pertinence … ou date ») was refused « 'pertinence'
    n'est aucun de : 'relevance', 'date' »; `--outcome valide` (no accent, as typed on many
    keyboards) was refused; `assess export --format CSV` was refused while `dossier --format PDF`
    was taken. Now the French word, the value without its accents and any case are taken, and
    help and errors show the French words."""
    watcher.write(
        [],
        groups=[{"id": "g1", "name": "Groupe 1", "members": [
            {"name": "Léa Moreau", "email": "lea@example.org"}]}],
    )  # fmt: skip
    for typed in ("pertinence", "Pertinence", "relevance", "DATE"):
        code, output = _run(watcher, "search", "prix", "--group", "g1", "--sort", typed)
        assert code == 0, (typed, output)
    code, output = _run(watcher, "search", "prix", "--group", "g1", "--sort", "score")
    assert code == 2
    assert "'score' n'est aucun de : 'pertinence', 'date'" in output
    help_text = CliRunner().invoke(main, ["search", "--help"]).output
    assert "[pertinence|date]" in help_text
    code, output = _run(watcher, "search", "prix", "--group", "g1", "--sort", "date", "--save",
                        "prix")  # fmt: skip
    code, output = _run(watcher, "searches", "--group", "g1")
    assert "prix : prix  (tri : date)" in output

    code, output = _run(
        watcher, "assess", "jury-add", "--name", "Jury juin", "--date", "2027-06-20",
        "--member", "Paul Durand;paul@example.org;professionnel;Telvia;président",
        "--member", "Anne Petit;anne@example.org;formation;CIEFA",
    )  # fmt: skip
    assert code == 0, output
    for typed, outcome in (("valide", "validé"), ("NON VALIDE", "non validé"),
                           ("Ajourne", "ajourné")):  # fmt: skip
        code, output = _run(
            watcher, "assess", "decide", "--as", "paul@example.org", "--jury", "1",
            "--learner", "lea@example.org", "--date", "2027-06-20", "--outcome", typed,
        )  # fmt: skip
        assert code == 0, (typed, output)
        assert f"lea@example.org — {outcome}" in output, output
    code, output = _run(
        watcher, "assess", "decide", "--as", "paul@example.org", "--jury", "1",
        "--learner", "lea@example.org", "--date", "2027-06-20", "--outcome", "admis",
    )  # fmt: skip
    assert code == 2
    assert "'admis' n'est aucun de : 'validé', 'non validé', 'ajourné'" in output

    code, output = _run(watcher, "assess", "export", "--format", "CSV")
    assert code == 0, output
    assert (watcher.workspace.reports / "evaluations" / "evaluations-cohorte.csv").is_file()
    monkeypatch.setenv("WATCHER_PASSWORD", "un mot de passe assez long")
    for email, typed, role in (("x@example.org", "Évaluateur", "évaluateur"),
                               ("y@example.org", "ADMIN", "administrateur")):  # fmt: skip
        code, output = _run(watcher, "user", "add", email, "--name", "X", "--role", typed)
        assert code == 0, output
        assert f"Compte créé : {email} ({role})." in output


def test_sending_the_default_week_when_it_is_empty_asks_first(
    watcher: Watcher, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new watch crawls 3 items on a Saturday of W49, and the tutor runs `watcher digest
    --group g1 --send`: the default week is the last complete one, W48, with nothing in it, so
    the group got « rien de nouveau » — and only then did the command say that the current week
    already held the items. Now, before anything is sent, the command says which week would go
    and that the current one would not, and asks (o/N); without a terminal it sends nothing
    unless --yes or --week says which week."""
    from digest_fixtures import Sink, SmtpServer, config, mail_section

    from watcher.cli import digest as cli_digest

    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    _announce(site, 3)
    monkeypatch.setattr(cli_digest, "_now", lambda: saturday + timedelta(minutes=5))
    config_path = ["-c", str(watcher.workspace.config)]
    with SmtpServer(Sink()) as server:
        watcher.write([feed_source(site, "/feed.xml", id="flux")], groups=config()["groups"],
                      mail=mail_section(server.port))  # fmt: skip
        assert watcher.crawl(saturday).results[0].new == 3

        def send(*args: str, answer: str | None = None) -> tuple[int, str]:
            result = CliRunner().invoke(
                main, [*config_path, "digest", "--group", "g1", "--send", *args], input=answer
            )
            return result.exit_code, " ".join(result.output.split())

        monkeypatch.setattr("watcher.cli.app.interactive", lambda: False)
        code, output = send()
        assert code == 2, output
        assert (
            "Synthèse non envoyée : la semaine envoyée serait la semaine 48 (la dernière "
            "semaine complète, du 23 au 29 novembre 2026), où rien n'a été collecté, "
            "et pas la semaine en cours (semaine 49), qui compte déjà 3 articles." in output
        ), output
        assert "--week 2026-W49 --send --early" in output and "--yes" in output
        assert server.sink.messages == []
        with open_workspace(watcher.workspace) as w:
            assert w.mails.digest("g1", "2026-W48") is None

        monkeypatch.setattr("watcher.cli.app.interactive", lambda: True)
        code, output = send(answer="n\n")
        assert code == 1, output
        assert "Envoyer quand même la synthèse de la semaine 48 (rien de nouveau) ? [o/N]" in output
        assert "Rien n'a été envoyé." in output and server.sink.messages == []

        code, output = send(answer="o\n")
        assert code == 0, output
        assert "Semaine 48 (la dernière semaine complète) : du 23 au 29 novembre 2026" in output
        assert len(server.sink.messages) == 3


def test_items_limit_0_is_refused_and_a_format_given_twice_is_written_once(
    watcher: Watcher, site: LocalSite
) -> None:
    """`watcher items --limit 0` printed an empty « 0 article(s) sur 2 » table and « Les 0 plus
    récents : --limit 2 pour les voir tous. » (and `--limit -1` reached the store); `dossier
    --format html,html` wrote the file once and listed it twice. Now a limit below 1 is refused
    as `outbox --limit 0` is, and a format is written and listed once."""
    _crawl_announcements(watcher, site, 2)
    for typed in ("0", "-1"):
        code, output = _run(watcher, "items", "--limit", typed)
        assert code == 2, (typed, output)
        assert (
            f"Valeur invalide pour '--limit' : {typed} n'est pas accepté (attendu : au moins 1)"
            in output
        )
        assert "plus récents" not in output
    code, output = _run(watcher, "items", "--limit", "1")
    assert code == 0 and "Le plus récent : --limit 2 pour les voir tous." in output
    code, output = _run(watcher, "dossier", "--group", "g1", "--format", "html,HTML, html")
    assert code == 0, output
    assert output.count("dossier-") == 1, output


def test_the_week_under_way_can_be_named_without_its_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's demo sends this week's digest: `--week courante` names the week under way
    on the watch's clock (a Monday 00:30 in Paris is Sunday 23:30 UTC, already the new week),
    where a number would have to be looked up; no --week is still the last complete one."""
    from watcher.cli import digest as cli_digest
    from watcher.report.digest import IsoWeek

    monday_in_paris = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(cli_digest, "_now", lambda: monday_in_paris)
    assert cli_digest._week("courante", "Europe/Paris") == IsoWeek(2026, 50)
    assert cli_digest._week("Courante", "Europe/Paris") == IsoWeek(2026, 50)
    assert cli_digest._week(None, "Europe/Paris") == IsoWeek(2026, 49)
    assert cli_digest._week("2026-W48", "Europe/Paris") == IsoWeek(2026, 48)


def test_who_acts_is_named_by_as_in_every_command(watcher: Watcher, site: LocalSite) -> None:
    """`watcher delete` said who deletes with `--by`, every `assess` command who acts with
    `--as`: a tutor who wrote `delete 3 --as tuteur@example.org` met « Option inconnue ». Now
    `--as` names who acts everywhere; `--by` is still read (scripts), hidden from --help."""
    shown = [f"{path} {' / '.join(o.opts)}" for path, o in _options(main) if "--by" in o.opts]
    assert shown == []
    assert "--by" not in CliRunner().invoke(main, ["delete", "--help"]).output
    _crawl_announcements(watcher, site, 2)
    _, listed = _run(watcher, "items", "--json")
    ids = sorted(r["id"] for r in json.loads(listed))
    code, output = _run(watcher, "delete", str(ids[0]), "--as", "tuteur@example.org", "--yes")
    assert code == 0, output
    code, output = _run(watcher, "delete", str(ids[1]), "--by", "script", "--yes")
    assert code == 0, output
    from sqlalchemy import text

    with watcher.store().engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, deleted_by FROM items")).fetchall())
    assert rows == {ids[0]: "tuteur@example.org", ids[1]: "script"}


def test_a_dossier_period_is_read_by_one_rule_in_the_cli_and_the_web() -> None:
    """`watcher dossier` and the web page read the period each their own way: the web took
    « 2026-W48 » as its Monday (the CLI, as the whole week) and refused a period over 400
    days, which the CLI built (a seven-year dossier). Now both ask
    `watcher.jobs.dossier.asked_period`; a refusal names the bound as each shell names it."""
    from watcher.jobs.dossier import PeriodError, asked_period

    today = date(2026, 12, 7)
    assert asked_period("2026-W45", "2026-W48", today) == (date(2026, 11, 2), date(2026, 11, 29))
    assert asked_period(None, None, today) == (date(2026, 8, 24), today)
    assert asked_period("2026-09-01", "", today) == (date(2026, 9, 1), today)
    refusals = {
        ("2020-01-01", "2026-11-27"): "Période trop longue : du 1er janvier 2020 au 27 novembre "
        "2026, 2523 jours ; 400 jours au plus.",
        ("2026-12-01", "2026-01-01"): "La fin de la période (1er janvier 2026) précède son début "
        "(1er décembre 2026).",
        ("07/09/2026", None): "--from : date invalide « 07/09/2026 » (attendu : AAAA-MM-JJ, ex. "
        "2026-09-01, ou une semaine ISO, ex. 2026-W36)",
        (None, "2026-W54"): "--to : la semaine 2026-W54 n'existe pas (2026 compte 53 semaines ISO)",
    }
    for (start, end), message in refusals.items():
        with pytest.raises(PeriodError) as refused:
            asked_period(start, end, today)
        assert str(refused.value) == message
        assert refused.value.template.format(**refused.value.values) == message
    with pytest.raises(PeriodError, match=r"^Début : date invalide"):
        asked_period("demain", None, today, names=("Début", "Fin"))


def test_the_cli_refuses_a_dossier_period_the_web_refuses(watcher: Watcher) -> None:
    watcher.write([])
    code, output = _run(
        watcher, "dossier", "--group", "g1", "--from", "2020-01-01", "--to", "2026-11-27",
        "--format", "html",
    )  # fmt: skip
    assert code == 2, output
    assert "Période trop longue" in output
    assert not (watcher.workspace.reports / "g1").exists()


def test_out_is_a_folder_or_the_file_itself_in_every_command(watcher: Watcher) -> None:
    """`dossier --out` was a folder (`--out rendu.html` made a folder « rendu.html/ »), `assess
    export --out` a file (`--out exports/` refused: « est un dossier »). Now every --out is a
    folder, or the file itself when one file is written and --out ends with its format's
    extension; what cannot be is refused before anything is written."""
    watcher.write([])
    root = watcher.workspace.root
    code, output = _run(watcher, "dossier", "--group", "g1", "--format", "html",
                        "--out", str(root / "rendu.html"))  # fmt: skip
    assert code == 0, output
    assert (root / "rendu.html").is_file() and str(root / "rendu.html") in output
    code, output = _run(watcher, "dossier", "--group", "g1", "--format", "html",
                        "--out", str(root / "rendus"))  # fmt: skip
    assert code == 0, output
    assert [p.suffix for p in (root / "rendus").iterdir()] == [".html"]
    code, output = _run(watcher, "dossier", "--group", "g1", "--format", "html,docx",
                        "--out", str(root / "tout.html"))  # fmt: skip
    assert code == 2, output
    assert "--out" in output and "2 fichiers" in output and "dossier" in output
    assert not (root / "tout.html").exists()

    (root / "exports").mkdir()
    code, output = _run(watcher, "assess", "export", "--format", "csv",
                        "--out", str(root / "exports"))  # fmt: skip
    assert code == 0, output
    assert [p.name for p in (root / "exports").iterdir()] == ["evaluations-cohorte.csv"]
    code, output = _run(watcher, "assess", "export", "--format", "csv",
                        "--out", str(root / "notes.csv"))  # fmt: skip
    assert code == 0 and (root / "notes.csv").is_file(), output
    code, output = _run(watcher, "assess", "export", "--format", "csv",
                        "--out", str(root / "notes.xlsx"))  # fmt: skip
    assert code == 2, output
    assert "notes.xlsx" in output and ".csv" in output
    assert not (root / "notes.xlsx").exists()
    # an existing file of another format is not overwritten; one without an extension is
    (root / "notes.md").write_text("# mes notes\n", encoding="utf-8")
    code, output = _run(watcher, "assess", "export", "--format", "csv",
                        "--out", str(root / "notes.md"))  # fmt: skip
    assert code == 2, output
    assert "notes.md" in output and ".csv" in output
    assert (root / "notes.md").read_text(encoding="utf-8") == "# mes notes\n"
    (root / "notes").write_text("", encoding="utf-8")
    code, output = _run(watcher, "assess", "export", "--format", "csv",
                        "--out", str(root / "notes"))  # fmt: skip
    assert code == 0 and (root / "notes").read_text(encoding="utf-8"), output
    for command in (["dossier"], ["oral"], ["assess", "export"]):
        shown = CliRunner().invoke(main, [*command, "--help"]).output
        assert (
            "dossier" in shown.split("--out")[1][:300]
            and "fichier" in shown.split("--out")[1][:300]
        )


def test_counts_agree_with_their_words_in_french(watcher: Watcher, site: LocalSite) -> None:
    """« Les 1 plus récents », « 1 résultat(s) », « 1 source(s) collectée(s) : 2 nouvel(s)
    article(s) »: every count was written « (s) » whatever it was. Now a count agrees with its
    words (watcher.plural.counted: 0 and 1 singular, from 2 plural), in every command of a
    learner's week."""
    serve_price_news(site)
    axes = [{"id": "concurrence", "label": "Marché & concurrence", "keywords": ["Carrefour"]}]
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])], axes=axes)
    said = {}
    for args in (
        ["check"],
        ["crawl"],
        ["process"],
        ["items", "--limit", "1"],
        ["search", "carrefour", "--group", "g1"],
        ["search", "décret", "OR", "carrefour", "--group", "g1", "--limit", "1", "--page", "5"],
        ["digest", "--group", "g1", "--week", "courante", "--preview"],
        ["dossier", "--group", "g1", "--format", "html"],
        ["assess", "export", "--format", "csv"],
    ):
        code, output = _run(watcher, *args)
        assert code == 0, (args, output)
        assert "(s)" not in output and "(x)" not in output, (args, output)
        said[args[0]] = said.get(args[0], "") + output
    assert "1 source, 1 axe, 2 groupes." in said["check"]
    assert (
        "1 source collectée : 2 nouveaux articles, 0 mis à jour, 0 source en échec."
        in (said["crawl"])
    )
    assert "2 articles analysés, 2 indexés, 0 retiré de l'index." in said["process"]
    assert "1 article sur 2" in said["items"]
    assert "Le plus récent : --limit 2 pour les voir tous." in said["items"]
    assert "1 résultat pour « carrefour »" in said["search"]
    assert "2 résultats pour « décret OR carrefour », en 2 pages de 1" in said["search"]
    assert "0 évaluation exportée" in said["assess"]
    # « heure de Europe/Paris » read as a place called Europe/Paris
    assert "heure de Europe" not in said["digest"]
    assert "(heure de la veille : Europe/Paris)" in said["digest"]


def test_a_moment_reads_the_same_in_every_command_and_the_web(
    watcher: Watcher, site: LocalSite
) -> None:
    """`watcher items` and `search` showed « 2026-11-27 09:30 », the web app, the dossier and
    `watcher verify` « 27/11/2026 09:30 », `assess list` « 27/11/2026 » for a signature and
    `assess juries` « 2027-06-20 » for a session. Now a moment on the watch's clock is written
    by one function (watcher.dates.clock: « 27/11/2026 09:30 »), a day by another
    (watcher.dates.date_fr: « 20 juin 2027 »), in the commands as in the web."""
    import re

    from watcher.dates import clock

    assert site.root is not None
    (site.root / "feed.xml").write_bytes(
        rss(site.base, [{"title": "Hausse des prix", "link": f"{site.base}/a", "guid": "a",
                         "pubDate": "Fri, 27 Nov 2026 08:30:00 GMT"}])
    )  # fmt: skip
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    assert clock(datetime(2026, 11, 27, 8, 30, tzinfo=UTC), "Europe/Paris") == "27/11/2026 09:30"
    iso_moment = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
    for args in (["crawl"], ["process"], ["items"], ["search", "prix", "--group", "g1"],
                 ["status"]):  # fmt: skip
        code, output = _run(watcher, *args)
        assert code == 0, (args, output)
        assert not iso_moment.search(output), (args, output)
        if args[0] in ("items", "search"):
            assert "27/11/2026 09:30" in output, output
    code, output = _run(
        watcher, "assess", "jury-add", "--name", "Jury bloc 1", "--date", "2027-06-20",
        "--member", "Paul Martin;paul@example.org;professionnel",
        "--member", "Anne Roy;anne@example.org;formation",
    )  # fmt: skip
    assert code == 0, output
    code, output = _run(watcher, "assess", "juries")
    assert "Jury bloc 1 — 20 juin 2027 — conforme" in output, output


def test_the_assessment_commands_say_what_to_run_next(watcher: Watcher) -> None:
    """A tutor records a level: « Signez-la avec `watcher assess sign 1`. », which, run as
    written, stopped at « Option manquante '--as' »; `assess juries` printed nothing at all
    before any jury; an address nobody knows was refused without saying how it could act. Now
    the hint is the whole command, an empty list says how to add a jury, and the refusal says
    where a person's role comes from."""
    watcher.write_text(
        """
        watch: {name: "Veille de test", contact: "https://example.org/contact"}
        axes: [{id: concurrence, label: "Marché & concurrence"}]
        groups:
          - id: g1
            name: "Groupe 1"
            members: [{name: "Léa Moreau", email: "lea@example.org"}]
            tutor: {name: "Hélène Garnier", email: "helene@example.org"}
        sources: []
        """
    )
    code, output = _run(watcher, "assess", "juries")
    assert code == 0 and "Aucun jury" in output and "watcher assess jury-add" in output, output
    code, output = _run(watcher, "assess", "record", "--as", "helene@example.org", "--learner",
                        "lea@example.org", "--competence", "C1", "--level", "3")  # fmt: skip
    assert code == 0, output
    hint = "watcher assess sign 1 --as helene@example.org"
    assert hint in output, output
    code, output = _run(watcher, *hint.split()[1:])
    assert code == 0, output
    code, output = _run(watcher, "assess", "record", "--as", "inconnu@example.org", "--learner",
                        "lea@example.org", "--competence", "C1", "--level", "3")  # fmt: skip
    assert code == 1
    said = " ".join(output.split())
    assert "inconnu@example.org n'est ni évaluateur" in said
    assert "watcher user add inconnu@example.org" in said and "sources.yml" in said, said


def test_an_evaluator_signs_with_the_command_the_record_prints(watcher: Watcher) -> None:
    """An evaluator records a level on the jury's grid: « Signez-la avec `watcher assess sign 1
    --as anne@example.org`. », which, run as written, was refused (« une évaluation du jury se
    signe avec le jury (--jury) »); a level of 7 was refused with « 7 n'est pas dans
    l'intervalle 0<=x<=4 ». Now the hint names the evaluator's jury, and the range is said in
    words."""
    watcher.write_text(
        """
        watch: {name: "Veille de test", contact: "https://example.org/contact"}
        axes: [{id: concurrence, label: "Marché & concurrence"}]
        groups:
          - id: g1
            name: "Groupe 1"
            members: [{name: "Léa Moreau", email: "lea@example.org"}]
        sources: []
        """
    )
    code, output = _run(watcher, "assess", "jury-add", "--name", "Jury bloc 1",
                        "--date", "2027-06-20",
                        "--member", "Paul Martin;paul@example.org;professionnel",
                        "--member", "Anne Roy;anne@example.org;formation")  # fmt: skip
    assert code == 0, output
    record = ["assess", "record", "--as", "anne@example.org", "--learner", "lea@example.org",
              "--competence", "C2"]  # fmt: skip
    code, output = _run(watcher, *record, "--level", "7")
    assert code == 2
    said = " ".join(output.split())
    assert "7 n'est pas accepté (attendu : entre 0 et 4)" in said and "<=" not in said, said
    code, output = _run(watcher, *record, "--level", "3")
    assert code == 0, output
    hint = "watcher assess sign 1 --as anne@example.org --jury 1"
    assert f"`{hint}`" in output, output
    code, output = _run(watcher, *hint.split()[1:])
    assert code == 0, output
    assert "Évaluation n° 1 signée par anne@example.org : verrouillée." in output
    # a correction said « Signez-la pour qu'elle entre en vigueur. », without the command
    code, output = _run(watcher, "assess", "correct", "1", "--as", "anne@example.org",
                        "--level", "4", "--reason", "erreur de saisie")  # fmt: skip
    assert code == 0, output
    hint = "watcher assess sign 2 --as anne@example.org"
    assert f"`{hint}`" in output, output
    code, output = _run(watcher, *hint.split()[1:])
    assert code == 0 and "Évaluation n° 2 signée" in output, output
    helped = CliRunner().invoke(main, ["assess", "record", "--help"], terminal_width=200).output
    assert "[entre 0 et 4; obligatoire]" in helped and "<=" not in helped, helped


def test_status_names_the_kind_of_each_source_in_french(watcher: Watcher, site: LocalSite) -> None:
    """`watcher status` showed « feed », « monitor » (the keys of sources.yml) in its « type »
    column, where the web app's sources page says « flux RSS/Atom »; a watched page had no
    French name at all. Now both read watcher.labels.KIND_LABELS."""
    from watcher.labels import KIND_LABELS

    assert set(KIND_LABELS) == {"feed", "page", "sitemap", "monitor"}
    watcher.write([
        feed_source(site, "/feed.xml", id="actus"),
        {"id": "offre", "kind": "monitor", "url": f"{site.base}/offre.html",
         "axis": "concurrence", "every": "1d", "allow_private": True},
    ])  # fmt: skip
    code, output = _run(watcher, "status")
    assert code == 0, output
    assert "flux RSS/Atom" in output and "page surveillée" in output, output
    assert "│ feed" not in output and "│ monitor" not in output


def test_python_dash_m_watcher_runs_the_command_line(tmp_path: Path) -> None:
    """`python -m watcher check` (what one types where the `watcher` script is not on the PATH,
    e.g. a new terminal without `. .venv/bin/activate`) said « No module named
    watcher.__main__; 'watcher' is a package and cannot be directly executed », in English.
    Now it is the same command line."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(tmp_path / "sources.yml"), "check"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"Pas de sources.yml dans {tmp_path}" in done.stderr


def test_an_unknown_format_names_the_formats_to_choose_from(watcher: Watcher) -> None:
    """`dossier --format odt` said « Format inconnu : odt (html, pdf, docx, xlsx) » and `oral`
    the same in its own copy of the check; `--format ,` « Format inconnu : (aucun) (…) ». Now one
    check says which formats there are."""
    watcher.write([])
    for command, known in (("dossier", "html, pdf, docx, xlsx"), ("oral", "pptx, pdf")):
        code, output = _run(watcher, command, "--group", "g1", "--format", "odt")
        assert code == 2, output
        assert f"Format inconnu : odt (formats possibles : {known})." in output, output
        code, output = _run(watcher, command, "--group", "g1", "--format", ",")
        assert code == 2, output
        assert f"Aucun format demandé (formats possibles : {known})." in output, output


def test_a_jury_s_composition_is_said_with_agreed_counts(watcher: Watcher) -> None:
    """`assess jury-add` warned « composition déséquilibrée : 1 professionnel(s) pour 2
    représentant(s) de l'organisme de formation ». Now the counts agree."""
    watcher.write([])
    code, output = _run(
        watcher, "assess", "jury-add", "--name", "Jury", "--date", "2027-06-20",
        "--member", "Paul Martin;paul@example.org;professionnel",
        "--member", "Anne Roy;anne@example.org;formation",
        "--member", "Marc Roy;marc@example.org;formation",
    )  # fmt: skip
    assert code == 0, output
    said = " ".join(output.split())
    assert "1 professionnel pour 2 représentants de l'organisme de formation" in said, said


def test_a_search_a_filter_empties_says_what_removing_it_finds(
    watcher: Watcher, site: LocalSite
) -> None:
    """`prix axis:reglementaire` (prices, in the legal axis) answered « Aucun résultat » alone,
    and the learner concluded the watch had nothing on prices. Now each filter whose removal
    finds something is named, with what the search finds without it — in the text and in
    `--json` alike."""
    serve_price_news(site)
    axes = [
        {"id": "concurrence", "label": "Marché & concurrence", "keywords": ["Carrefour"]},
        {"id": "reglementaire", "label": "Juridique & réglementaire", "keywords": ["décret"]},
    ]
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])], axes=axes)
    assert _run(watcher, "crawl")[0] == 0
    assert _run(watcher, "process")[0] == 0
    code, output = _run(watcher, "search", "prix axis:reglementaire date:2020", "--group", "g1")
    assert code == 0, output
    text = " ".join(output.split())
    assert "Aucun résultat pour « prix axis:reglementaire date:2020 »." in text
    assert "Sans axis:reglementaire" not in text  # still nothing: prices are from this year
    code, output = _run(watcher, "search", "prix axis:reglementaire", "--group", "g1")
    text = " ".join(output.split())
    assert "Sans axis:reglementaire : 1 résultat (« prix »)." in text, text
    code, output = _run(watcher, "search", "prix axis:reglementaire", "--group", "g1", "--json")
    assert json.loads(output)["without_filters"] == [
        {"filter": "axis:reglementaire", "query": "prix", "total": 1}
    ]
    code, output = _run(watcher, "search", "prix -axis:concurrence", "--group", "g1", "--json")
    assert json.loads(output)["without_filters"] == []  # an exclusion is no narrowing filter


def test_a_word_naming_a_legal_text_points_to_ref(watcher: Watcher, site: LocalSite) -> None:
    """`watcher search RGPD` found the items writing « RGPD », not those citing « règlement (UE)
    2016/679 » — half the watch's items on it, in the demo — and nothing said that `ref:RGPD`
    finds them all. Now a word (or the whole query) naming a legal or normative text says what
    `ref:` finds when it finds more, in the text and in `--json` alike."""
    assert site.root is not None
    (site.root / "feed.xml").write_bytes(rss(site.base, [
        {"title": "La CNIL rappelle le RGPD aux centres d'appels", "link": f"{site.base}/a",
         "guid": "a", "description": "Le RGPD encadre la prospection téléphonique."},
        {"title": "Prospection : ce que dit le règlement européen", "link": f"{site.base}/b",
         "guid": "b", "description": "Le règlement (UE) 2016/679 encadre la prospection."},
    ]))  # fmt: skip
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])
    assert _run(watcher, "crawl")[0] == 0
    assert _run(watcher, "process")[0] == 0
    code, output = _run(watcher, "search", "RGPD", "--group", "g1")
    assert code == 0, output
    text = " ".join(output.split())
    assert "1 résultat pour « RGPD »" in text, text
    assert (
        '« RGPD » nomme un texte de référence : ref:"RGPD" trouve 2 résultats (les articles '
        "qui le citent, sous tous ses noms)." in text
    ), text
    code, output = _run(watcher, "search", "prospection RGPD", "--group", "g1", "--json")
    assert json.loads(output)["references"] == [
        {"words": "RGPD", "query": 'prospection ref:"RGPD"', "total": 2}
    ]
    code, output = _run(watcher, "search", "prospection", "--group", "g1", "--json")
    assert json.loads(output)["references"] == []
    # `CNIL ref:"RGPD"` finds no more than `CNIL RGPD`; `ref:"CNIL RGPD"` would, dropping CNIL
    code, output = _run(watcher, "search", "CNIL RGPD", "--group", "g1", "--json")
    assert json.loads(output)["references"] == []


def test_the_outbox_says_a_previewed_synthese_is_not_sent_in_the_feminine(
    watcher: Watcher,
) -> None:
    """`watcher outbox` lists a previewed week's synthèse, which nobody was sent, as
    « (pas envoyée) »: the table is « Synthèses et envois », one row per synthèse."""
    watcher.write([])
    code, output = _run(watcher, "digest", "--group", "g1", "--week", "2026-W48", "--preview")
    assert code == 0, output
    code, output = _run(watcher, "outbox")
    assert code == 0, output
    assert "Synthèses et envois" in output
    assert "(pas envoyée)" in output
