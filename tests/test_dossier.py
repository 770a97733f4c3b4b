"""The block-1 dossier's content: built from a group's watch written through the real Store API.

`make_watch` builds a small but complete watch (three weeks, four sources — one unrated, one
failing —, retained and rejected items, fiches with actions and cross-checks, legal references,
a digest sent through the outbox, another one only archived, a crawl history, a saved search);
test_export.py renders the same data in every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from watcher.config import Watch, load_watch
from watcher.jobs.dossier import gather
from watcher.model import (
    DigestRecord,
    EntityMention,
    Entry,
    Fiche,
    ItemEnrichment,
    RefMention,
    SourceResult,
)
from watcher.report.dossier import (
    AxisResults,
    Dossier,
    build_dossier,
    frequency_label,
    iso690_web,
    iso_weeks,
    reflex_citation,
)
from watcher.store import Store
from watcher.store.mail import MailStore

SOURCES_YML = """
watch: {name: "Veille CDC test", timezone: Europe/Paris}
axes:
  - {id: concurrence, label: "Marché & concurrence", keywords: ["prix", "tchat"],
     equations: ['"service client" AND rappel']}
  - {id: reglementaire, label: "Juridique & réglementaire", keywords: ["RGPD"]}
  - {id: normes, label: "Normes", keywords: ["ISO 10002"]}
  - {id: pestel, label: "Environnement PESTEL", keywords: ["inflation"], topics: [social, emploi]}
groups:
  - id: g1
    name: "Groupe Alpha"
    members:
      - {name: "Léa Moreau", email: "lea@example.org", role: "responsable veille concurrentielle"}
      - {name: "Karim Benali", email: "karim@example.org", role: "responsable veille juridique"}
      - {name: "Sophie Nguyen", email: "sophie@example.org", role: "responsable normes"}
    tutor: {name: "Hélène Garnier", email: "helene@example.org"}
    digest: {weekday: monday, time: "08:00"}
  - id: g2
    name: "Groupe Beta"
    members:
      - {name: "Tom Martin", email: "tom@example.org"}
    tutor: {name: "Marc Roux", email: "marc@example.org"}
sources:
  - {id: presse, name: "Presse Conso", kind: feed, url: "https://presse.example.org/rss",
     axis: concurrence, level: secondaire, every: 6h, groups: [g1],
     rating: {fiabilite: 2, validite: 3, exactitude: 2, intention: 2, pertinence: 3}}
  - {id: juridique, name: "Veille Légale", kind: feed, url: "https://legal.example.org/atom",
     axis: reglementaire, level: primaire, every: 1d, groups: [g1],
     rating: {fiabilite: 3, validite: 3, exactitude: 3, intention: 3, pertinence: 3}}
  - {id: normes-blog, name: "Blog Normes", kind: page, url: "https://normes.example.org/",
     follow: "h2 a::attr(href)", axis: normes, level: secondaire, every: 12h, groups: [g1]}
  - {id: mort, name: "Flux Mort", kind: feed, url: "https://mort.example.org/rss",
     axis: reglementaire, level: primaire, every: 1d, groups: [g1],
     rating: {fiabilite: 3, validite: 1, exactitude: 2, intention: 3, pertinence: 2}}
"""

START, END = date(2026, 9, 7), date(2026, 9, 27)  # ISO weeks 37, 38, 39
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
LEA, KARIM = "lea@example.org", "karim@example.org"

LOI = RefMention(
    "fr:loi:2014-344",
    "fr_text",
    "Loi n° 2014-344 du 17 mars 2014",
    "https://www.legifrance.gouv.fr/eli/loi/2014/3/17/2014-344/jo/texte",
    "official",
    "loi n° 2014-344",
    1,
)
ARTICLE = RefMention(
    "fr:code:consommation:L221-18",
    "code_article",
    "Code de la consommation, art. L. 221-18",
    "https://www.legifrance.gouv.fr/search/all?query=L221-18",
    "search",
    "article L. 221-18",
    1,
)
RGPD = RefMention(
    "eu:celex:32016R0679",
    "eu_act",
    "Règlement (UE) 2016/679",
    "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679",
    "official",
    "RGPD",
    2,
)
ISO = RefMention(
    "std:iso:10002:2018",
    "standard",
    "ISO 10002:2018",
    "https://www.iso.org/search.html?q=ISO%2010002",
    "search",
    "ISO 10002",
    1,
)


@dataclass
class Built:
    root: Path
    watch: Watch
    store: Store
    ids: dict[str, int]


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def make_watch(root: Path) -> Built:
    """A group's watch over three weeks, through the real Store API."""
    (root / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    watch = load_watch(root / "sources.yml")
    store = Store(root / "watcher.db")
    ids: dict[str, int] = {}

    def item(key: str, source: str, title: str, fetched: datetime, **extra: object) -> None:
        entry = Entry(
            url=f"https://{source}.example.org/{key}",
            title=title,
            summary=f"Résumé de {title}",
            text=f"Texte de {title}",
            guid=key,
            author=str(extra.get("author", "")),
            published=extra.get("published", fetched - timedelta(hours=3)),  # type: ignore[arg-type]
        )
        store.store_feed(source, ["g1"], [entry], fetched, url=f"https://{source}/feed", found=None)
        found = [i for i in store.list_items(source_id=source) if i.guid == key]
        ids[key] = found[0].id

    w37, w38, w39 = date(2026, 9, 8), date(2026, 9, 15), date(2026, 9, 22)
    item("i1", "presse", "Telvia lance un tchat", _at(w37), author="Jeanne Durand")
    item("i2", "juridique", "Loi Hamon : le droit de rétractation rappelé", _at(w37, 10))
    item("i3", "presse", "Proxima baisse ses prix", _at(w38))
    item("i4", "normes-blog", "ISO 10002 : traiter les réclamations", _at(w38, 11))
    item("i5", "presse", "Recrutement de conseillers", _at(w38, 12))
    item("i6", "juridique", "RGPD : une sanction de la CNIL", _at(w39))
    item(
        "i7",
        "presse",
        "Un ancien article",
        _at(w39, 14),
        published=datetime(2026, 8, 1, tzinfo=UTC),
    )
    item("i8", "presse", "Proxima confirme ses prix", datetime(2026, 10, 5, 9, tzinfo=UTC))

    telvia = EntityMention("ORG", "telvia", "Telvia", 3, confident=True)
    proxima = EntityMention("ORG", "proxima", "Proxima", 2, confident=True)
    # a word opening a title, tagged ORG twice but not a label the model is sure of
    unsure = EntityMention("ORG", "recrutement", "Recrutement", 2)
    enrich = {
        "i1": (("concurrence",), ("attentes-clients",), (telvia,), ()),
        "i2": (("reglementaire",), ("droit-consommation",), (), (LOI, ARTICLE)),
        "i3": (("concurrence",), ("consommation",), (proxima,), ()),
        "i4": (("normes",), ("normes",), (), (ISO,)),
        "i5": (("concurrence",), ("emploi",), (unsure,), ()),
        "i6": (("reglementaire",), ("donnees-personnelles",), (), (RGPD,)),
        "i7": (("concurrence",), (), (), ()),
        "i8": (("concurrence",), (), (proxima,), ()),
    }
    store.save_enrichments(
        [
            ItemEnrichment(
                item_id=ids[key],
                version=1,
                signature="test",
                language="fr",
                fingerprint=b"\0" * 8,
                cluster_id=ids["i3"] if key in ("i3", "i8") else ids[key],
                axes=axes,
                topics=topics,
                entities=entities,
                refs=refs,
            )
            for key, (axes, topics, entities, refs) in enrich.items()
        ],
        NOW,
    )

    t = datetime(2026, 9, 23, 8, 0, tzinfo=UTC)
    for n, key in enumerate(("i1", "i2", "i3", "i4", "i6")):
        store.set_curation("g1", ids[key], "retained", actor=LEA, now=t + timedelta(minutes=n))
    store.set_curation("g1", ids["i5"], "rejected", reason="hors sujet", actor=LEA, now=t)
    store.save_fiche(
        Fiche(
            item_id=ids["i1"],
            group_id="g1",
            qui="Telvia",
            quoi="Ouverture d'un tchat",
            ou="France",
            quand="septembre 2026",
            comment="sur son site",
            combien="24 h/24",
            pourquoi="réduire l'attente",
            summary="Telvia ouvre un tchat en continu.",
            importance="Le concurrent réduit son temps de réponse.",
            action="Tester un tchat sur notre site",
            action_owner="Léa Moreau",
            action_deadline=date(2026, 10, 15),
            crosscheck_item_id=ids["i3"],
        ),
        actor=KARIM,
        now=t + timedelta(hours=1),
    )
    store.save_fiche(
        Fiche(
            item_id=ids["i2"],
            group_id="g1",
            quoi="Rappel du droit de rétractation",
            summary="Quatorze jours pour se rétracter.",
            action="Relire nos CGV",
            action_owner="Karim Benali",
        ),
        actor=KARIM,
        now=t + timedelta(hours=2),
    )
    store.save_fiche(
        Fiche(
            item_id=ids["i3"],
            group_id="g1",
            quoi="Baisse de prix",
            summary="Proxima baisse ses forfaits.",
            crosscheck_item_id=ids["i8"],
        ),
        actor=KARIM,
        now=t + timedelta(hours=3),
    )
    store.save_fiche(
        Fiche(
            item_id=ids["i6"],
            group_id="g1",
            summary="La CNIL sanctionne un démarchage.",
            action="Auditer notre fichier de prospection",
            action_owner="Karim Benali",
            action_deadline=date(2026, 9, 20),
        ),
        actor=KARIM,
        now=t + timedelta(hours=4),
    )
    store.save_search("g1", "réclamations", "réclamation OR médiateur", "date", t, by=LEA)

    for day in (date(2026, 9, 10), date(2026, 9, 20), date(2026, 10, 10)):  # last: outside
        run = store.start_run(_at(day, 6))
        results = [SourceResult("presse", new=2), SourceResult("juridique", new=1)]
        results.append(SourceResult("mort", error="page introuvable (404)"))
        store.finish_run(run, results, _at(day, 6))
        for result in results:
            store.record_source_result(result, _at(day, 6), None)

    from watcher.model import Recipient

    mail = MailStore(store)
    digest = save_digest(
        mail, root, "2026-W37", "tchat, Hamon", datetime(2026, 9, 14, 6, tzinfo=UTC), retained=2
    )
    people = [Recipient(a) for a in (LEA, KARIM, "sophie@example.org", "helene@example.org")]
    # queued at its time (Monday 08:00, Paris): on time (a late one says so: test_digest.py)
    mail.queue(digest.id, people, [f"<m{n}@test>" for n in range(4)], digest.rendered_at)
    for row in mail.rows([digest.id]):
        mail.mark_sent(row.id, NOW)
    archive = root / "reports" / "g1"
    archive.mkdir(parents=True, exist_ok=True)
    (archive / "2026-W38.html").write_text(
        "<html><head><title>[Veille Groupe Alpha] Semaine 2026-W38 — prix</title></head></html>",
        encoding="utf-8",
    )
    return Built(root, watch, store, ids)


def save_digest(
    mail: MailStore, root: Path, week: str, words: str, rendered_at: datetime, *, retained: int
) -> DigestRecord:
    """Group g1's digest of ``week`` as the digest job saves it (two articles collected and
    shown), not yet queued for anyone."""
    subject = f"[Veille Groupe Alpha] Semaine {week}" + (f" — {words}" if words else "")
    return mail.save_digest(
        group_id="g1",
        week=week,
        subject=subject,
        html_path=str(root / "reports" / "g1" / f"{week}.html"),
        txt_path=str(root / "reports" / "g1" / f"{week}.txt"),
        html="<html></html>",
        text="",
        rendered_at=rendered_at,
        collected=2,
        shown=2,
        retained=retained,
    )


def dossier_of(built: Built, formats: tuple[str, ...] = ("html", "pdf", "docx", "xlsx")) -> Dossier:
    data = gather(
        built.store,
        built.watch,
        "g1",
        START,
        END,
        now=NOW,
        reports=built.root / "reports",
        formats=formats,
    )
    return build_dossier(data)


@pytest.fixture
def built(tmp_path: Path) -> Built:
    result = make_watch(tmp_path)
    yield result
    result.store.close()


def _facts(dossier: Dossier, code: str) -> list[str]:
    return [f.text for c in dossier.evidence if c.code == code for f in c.facts]


def test_c7_counts_every_source_by_its_tool(tmp_path: Path) -> None:
    """A watched page (kind: monitor) is a collection tool too: C7's list of tools adds up to
    the group's sources."""
    yml = SOURCES_YML + (
        '  - {id: offre, name: "Offre Telvia", kind: monitor, url: "https://telvia.example.org/",\n'
        "     axis: concurrence, level: primaire, every: 1d, groups: [g1]}\n"
    )
    built = make_watch(tmp_path)
    built.store.close()
    (tmp_path / "sources.yml").write_text(yml, encoding="utf-8")
    store = Store(tmp_path / "watcher.db")
    try:
        again = replace(built, watch=load_watch(tmp_path / "sources.yml"), store=store)
        d = dossier_of(again, ("html",))
    finally:
        store.close()
    tools = next(f for f in _facts(d, "C7") if f.startswith("Collecte automatisée"))
    assert "Page surveillée (détection des changements, prix) : 1" in tools
    assert sum(int(n) for n in re.findall(r" : (\d+)", tools)) == 5, tools


def test_a_digest_published_without_mail_is_not_counted_as_sent(built: Built) -> None:
    """A week's digest published to the archive with nobody to mail it to (no recipient) is
    « publiée », as the digests' table says; C6 does not count it among the digests sent by
    e-mail (« 2 synthèses envoyées : 4 remises, 0 échec » said that one went out)."""
    mail = MailStore(built.store)
    digest = save_digest(
        mail, built.root, "2026-W39", "", datetime(2026, 9, 28, 6, tzinfo=UTC), retained=1
    )
    mail.queue(digest.id, [], [], digest.rendered_at)
    d = dossier_of(built, ("html",))
    week = next(w for w in d.diffusion.weeks if w.week == "2026-W39")
    assert week.status == "publiée (archivée, sans envoi par courriel)"
    c6 = _facts(d, "C6")
    assert "1 synthèse envoyée : 4 remises, 0 échec ; 1 publiée sans envoi par courriel" in c6, c6


def test_the_note_on_items_shown_under_another_axis_reads_well() -> None:
    """« Sur les 1 retenus, 1 est présenté… » (the demo, once a learner retained four items)."""

    def note(retained: int, elsewhere: int) -> str:
        return AxisResults("a", "A", 9, retained, (), (), elsewhere).elsewhere_note

    assert note(1, 1) == (
        "Le seul article retenu est présenté sous un autre axe dont il relève aussi."
    )
    assert note(3, 3) == "Les 3 retenus sont présentés sous un autre axe dont ils relèvent aussi."
    assert note(3, 1) == "Sur les 3 retenus, 1 est présenté sous un autre axe dont il relève aussi."
    assert note(8, 5) == (
        "Sur les 8 retenus, 5 sont présentés sous un autre axe dont ils relèvent aussi."
    )
    assert note(3, 0) == ""


# --- pure helpers -----------------------------------------------------------------------------


def test_frequency_labels() -> None:
    assert frequency_label(timedelta(hours=6)) == "toutes les 6 h"
    assert frequency_label(timedelta(hours=1)) == "toutes les heures"
    assert frequency_label(timedelta(days=1)) == "tous les jours"
    assert frequency_label(timedelta(minutes=30)) == "toutes les 30 min"
    assert frequency_label(timedelta(weeks=1)) == "toutes les semaines"


def test_iso_weeks_cross_the_year() -> None:
    assert iso_weeks(date(2026, 12, 21), date(2027, 1, 10)) == [
        (2026, 52),
        (2026, 53),
        (2027, 1),
    ]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (LOI, "L. n° 2014-344, 17 mars 2014"),
        (ARTICLE, "C. consom., art. L. 221-18"),
        (RGPD, "Règl. (UE) 2016/679"),
        (ISO, "ISO 10002:2018"),
        (
            RefMention("k", "fr_text", "Décret n° 2023-417 du 31 mai 2023", "", "official", "", 1),
            "D. n° 2023-417, 31 mai 2023",
        ),
        (
            RefMention("k", "fr_text", "Ordonnance n° 2016-301 du 14 mars 2016", "", "", "", 1),
            "Ord. n° 2016-301, 14 mars 2016",
        ),
        (
            RefMention("k", "eli", "Arrêté du 1er juillet 2020 (NOR ECOC2012345A)", "", "", "", 1),
            "A., 1er juill. 2020, NOR : ECOC2012345A",
        ),
        (
            RefMention("k", "eu_act", "Directive 2011/83/UE", "", "official", "", 1),
            "Dir. 2011/83/UE",
        ),
    ],
)
def test_reflex_citations(ref: RefMention, expected: str) -> None:
    assert reflex_citation(ref) == expected


def test_iso690_web_reference() -> None:
    text = iso690_web(
        title="Telvia lance un tchat",
        site="Presse Conso",
        url="https://presse.example.org/i1",
        consulted=date(2026, 9, 8),
        author="Jeanne Durand",
        published=date(2026, 9, 1),
    )
    assert text == (
        "DURAND, Jeanne. Telvia lance un tchat [en ligne]. Presse Conso, 1er septembre 2026. "
        "[Consulté le 8 septembre 2026]. Disponible à l'adresse : https://presse.example.org/i1"
    )


# --- the dossier --------------------------------------------------------------------------------


def test_cover_needs_and_plan(built: Built) -> None:
    d = dossier_of(built)
    assert d.cover.group_name == "Groupe Alpha"
    assert d.cover.period == "du 7 septembre 2026 au 27 septembre 2026"
    assert [m.name for m in d.cover.members] == ["Léa Moreau", "Karim Benali", "Sophie Nguyen"]
    assert d.cover.tutor is not None and d.cover.tutor.name == "Hélène Garnier"
    # sources.yml gives her no role: words that fit a tutor and a tutrice alike
    assert d.cover.tutor.role == "tuteur ou tutrice en entreprise"
    assert "Hélène Garnier <helene@example.org> (tuteur ou tutrice en entreprise)" in (
        d.diffusion.recipients
    )
    owners = {a.id: a.owner for a in d.needs.axes}
    assert owners["concurrence"].startswith("Léa Moreau")
    assert owners["reglementaire"].startswith("Karim Benali")
    assert owners["normes"].startswith("Sophie Nguyen")
    assert owners["pestel"] == "à désigner"
    concurrence = next(a for a in d.needs.axes if a.id == "concurrence")
    assert (concurrence.collected, concurrence.retained) == (4, 2)  # i8 is after the period
    assert concurrence.equations == ('"service client" AND rappel',)
    rows = {(r.axis, r.source): r for r in d.plan}
    presse = rows[("Marché & concurrence", "Presse Conso")]
    assert (presse.level, presse.rating, presse.frequency) == (
        "secondaire",
        "12/15",
        "toutes les 6 h",
    )
    assert (
        "prix" in presse.keywords
        and "Hélène Garnier (tuteur ou tutrice en entreprise)" in presse.recipients
    )
    assert rows[("Juridique & réglementaire", "Flux Mort")].frequency == "tous les jours"
    assert rows[("Environnement PESTEL", "aucune source")].source == "aucune source"
    pestel = next(a for a in d.needs.axes if a.id == "pestel")
    assert pestel.topics == ("Social et sociétal", "Emploi et recrutement")
    assert rows[("Environnement PESTEL", "aucune source")].keywords == (
        "inflation — thèmes PESTEL : Social et sociétal, Emploi et recrutement"
    )


def test_source_grid_and_tools(built: Built) -> None:
    d = dossier_of(built)
    grid = {s.id: s for s in d.sources}
    assert grid["juridique"].criteria == (3, 3, 3, 3, 3) and grid["juridique"].total == 15
    assert grid["normes-blog"].criteria is None and grid["normes-blog"].rating == "non notée"
    assert grid["mort"].state.startswith("en échec (3 fois de suite)")
    assert (grid["presse"].collected, grid["presse"].retained) == (4, 2)
    assert d.sources_rated == 3
    stats = dict(d.tools.stats)
    assert stats["Collectes automatiques (passages du robot) sur la période"] == "2"
    assert stats["Articles collectés"] == "7"
    assert d.tools.saved_searches[0][:2] == ("réclamations", "réclamation OR médiateur")
    assert d.tools.digest_schedule == "chaque lundi à 08:00"


def test_the_collection_schedules_are_grouped_by_tool_and_frequency(built: Built) -> None:
    """The PDF lists each (tool, frequency) once with its sources, not a row per source (the
    plan already has one): fewer cells for WeasyPrint to lay out (issue 24)."""
    from watcher.report.export import render

    d = dossier_of(built)
    groups = d.tools.schedules_by_tool()
    assert len(groups) == len({(tool, freq) for _s, tool, freq in d.tools.schedules}) == 3
    assert sorted(n for _t, _f, names in groups for n in names) == sorted(
        name for name, _t, _f in d.tools.schedules
    )
    daily = next(names for _t, freq, names in groups if len(names) == 2)
    assert set(daily) == {"Veille Légale", "Flux Mort"}
    html = render(d, ["html"]).files["html"].decode()
    assert f"2 sources : {daily[0]} ; {daily[1]}" in html


def test_each_source_is_listed_once_with_its_grid_and_its_collection(built: Built) -> None:
    """One table lists the sources (issue 24): a source's row says how it is read, how it is
    rated and how its collection went over the period; the plan names each axis's sources and
    links to their rows, and the bilan no longer lists them again."""
    from lxml import html as lxml_html

    from watcher.report.export import render

    d = dossier_of(built)
    grid = {s.id: s for s in d.sources}
    presse, mort = grid["presse"], grid["mort"]
    assert (presse.tool, presse.frequency) == ("flux", "toutes les 6 h")
    assert (presse.attempts, presse.failed_attempts, presse.ok) == (2, 0, True)
    assert (mort.attempts, mort.failed_attempts, mort.ok) == (2, 2, False)
    page = lxml_html.fromstring(render(d, ["html"]).files["html"])
    rows = {}
    for s in d.sources:
        naming = [tr for tr in page.iter("tr") if any(td.text_content() == s.name for td in tr)]
        assert len(naming) == 1, s.name
        rows[s.id] = naming[0]
        assert naming[0].get("id") == f"source-{s.id}"
    cells = [td.text_content() for td in rows["presse"]]
    assert cells == [
        "Presse Conso",
        "secondaire",
        "flux, toutes les 6 h",
        *("2", "3", "2", "2", "3", "12"),
        "2 / 4 articles",
        "2 (0)",
        "en service",
    ]
    assert [td.text_content() for td in rows["mort"]][-2:] == [
        "2 (2)",
        "en échec (3 fois de suite) : page introuvable (404)",
    ]
    assert "non notée" in [td.text_content() for td in rows["normes-blog"]]
    plan = page.get_element_by_id("plan").getnext().getnext()
    links = {tr[0].text_content(): tr[2].xpath(".//a/@href") for tr in plan.xpath(".//tbody/tr")}
    assert links["Marché & concurrence"] == ["#source-presse"]
    assert links["Juridique & réglementaire"] == ["#source-juridique", "#source-mort"]
    assert links["Environnement PESTEL"] == []
    assert "aucune source" in plan.xpath(".//tbody/tr")[-1].text_content()


def test_the_sources_never_collected_make_one_limit(built: Built) -> None:
    """A failing source says its own error; the sources never collected are named in one line
    (a new watch may have dozens: one line each said the same thing dozens of times)."""
    limits = dossier_of(built).bilan.limits
    assert "1 source jamais collectée — à vérifier ou à remplacer : Blog Normes." in limits
    assert not any(limit.startswith("Source « Blog Normes »") for limit in limits)
    assert any(limit.startswith("Source « Flux Mort » : en échec") for limit in limits)


def test_results_per_axis_with_fiches(built: Built) -> None:
    d = dossier_of(built)
    by_axis = {a.id: a for a in d.results}
    concurrence = by_axis["concurrence"]
    assert [f.item.title for f in concurrence.fiches] == [
        "Telvia lance un tchat",
        "Proxima baisse ses prix",
    ]
    first = concurrence.fiches[0]
    assert [q for q, _ in first.qqoqcp] == [
        "Qui ?",
        "Quoi ?",
        "Où ?",
        "Quand ?",
        "Comment ?",
        "Combien ?",
        "Pourquoi ?",
    ]
    assert first.action_deadline == "15/10/2026" and first.written_by == "Karim Benali"
    assert first.crosscheck is not None and first.crosscheck.title == "Proxima baisse ses prix"
    # a cross-check outside the period is still shown
    second = concurrence.fiches[1]
    assert second.crosscheck is not None and second.crosscheck.title == "Proxima confirme ses prix"
    assert by_axis["normes"].retained_without_fiche[0].title.startswith("ISO 10002")
    assert by_axis["pestel"].fiches == () and by_axis["pestel"].collected == 0


def test_legal_texts_and_actions(built: Built) -> None:
    d = dossier_of(built)
    legal = {r.key: r for r in d.legal}
    assert set(legal) == {LOI.key, ARTICLE.key, RGPD.key, ISO.key}
    assert legal[LOI.key].citation == "L. n° 2014-344, 17 mars 2014"
    assert legal[LOI.key].official and not legal[ARTICLE.key].official
    assert legal[RGPD.key].retained == 1 and legal[RGPD.key].nature.startswith("Acte")
    assert [r.nature for r in d.legal][-1] == "Norme"  # texts first, standards last
    actions = {a.action: a for a in d.actions}
    assert actions["Tester un tchat sur notre site"].status == "à venir"
    assert actions["Auditer notre fichier de prospection"].status == "échéance passée"
    assert actions["Relire nos CGV"].status == "sans échéance"
    assert actions["Relire nos CGV"].axis == "Juridique & réglementaire"


def test_diffusion_reads_the_outbox_and_the_archive(built: Built) -> None:
    d = dossier_of(built)
    weeks = {w.week: w for w in d.diffusion.weeks}
    assert list(weeks) == ["2026-W37", "2026-W38", "2026-W39"]
    sent = weeks["2026-W37"].digest
    assert sent is not None and sent.origin == "base"
    assert (sent.recipients, sent.delivered, sent.failed) == (4, 4, 0)
    assert weeks["2026-W37"].status == "envoyée : 4/4 remises"
    archived = weeks["2026-W38"].digest
    assert archived is not None and archived.origin == "archive"
    assert archived.subject == "[Veille Groupe Alpha] Semaine 2026-W38 — prix"
    assert weeks["2026-W39"].digest is None and weeks["2026-W39"].status == "aucune synthèse"
    assert (d.diffusion.with_digest, d.diffusion.expected) == (2, 3)
    assert "boîte d'envoi" in d.diffusion.origin and "archives" in d.diffusion.origin


def test_a_digest_only_prepared_is_not_counted_as_diffused(built: Built) -> None:
    # a preview of week 39 saved but never sent: the dossier must not count it among the weeks
    # « avec une synthèse » (the evaluator reads C6 from it), and says it was only prepared
    mail = MailStore(built.store)
    save_digest(mail, built.root, "2026-W39", "", datetime(2026, 9, 28, 6, tzinfo=UTC), retained=1)
    d = dossier_of(built)
    weeks = {w.week: w for w in d.diffusion.weeks}
    assert weeks["2026-W39"].status == "préparée, non envoyée"
    assert (d.diffusion.with_digest, d.diffusion.prepared_only, d.diffusion.expected) == (2, 1, 3)
    summary = "2 semaines sur 3 avec une synthèse diffusée (1 autre préparée, non envoyée)"
    assert d.diffusion.summary() == summary
    assert summary in _facts(d, "C6")


def test_bilan_statistics(built: Built) -> None:
    d = dossier_of(built)
    b = d.bilan
    assert b.weeks == ("2026-W37", "2026-W38", "2026-W39")
    assert b.collected_week == (2, 3, 2)  # i7, published in August, counts when collected
    assert b.retained_week == (2, 2, 1)
    assert b.axis_week[b.axis_labels.index("Marché & concurrence")] == (1, 2, 1)
    assert b.axis_collected[b.axis_labels.index("Environnement PESTEL")] == 0
    assert "Environnement PESTEL : aucun article collecté" in b.uncovered
    assert b.rejection_reasons == (("hors sujet", 1),)
    assert any("Flux Mort" in limit for limit in b.limits)
    assert "Semaines sans synthèse : semaine 39 (du 21 au 27 septembre 2026)." in b.limits
    assert "Sources non notées (grille VERIF) : Blog Normes." in b.limits
    stats = dict(b.stats)
    assert stats["Articles retenus"] == "5" and stats["Articles non triés"] == "1"
    assert stats["Synthèses hebdomadaires"] == "2/3"


def test_contribution_log_and_bibliography(built: Built) -> None:
    d = dossier_of(built)
    people = {c.name: c for c in d.contributions}
    assert dict(people["Léa Moreau"].counts) == {
        "article retenu": 5,
        "article rejeté (motivé)": 1,
    }
    assert people["Karim Benali"].total == 4
    assert people["Sophie Nguyen"].total == 0  # a member who did nothing is listed
    assert any("hors sujet" in what for _, what, _ in people["Léa Moreau"].entries)
    web = d.bibliography.web
    assert len(web) == 5  # the retained items (fiches included)
    assert any(
        w.startswith("DURAND, Jeanne. Telvia lance un tchat [en ligne]. Presse Conso") for w in web
    )
    assert all("Disponible à l'adresse : https://" in w for w in web)
    assert len(d.bibliography.sites) == 4
    assert any(
        b.startswith("L. n° 2014-344, 17 mars 2014. Disponible") for b in d.bibliography.legal
    )


def test_evidence_per_competence(built: Built) -> None:
    d = dossier_of(built)
    assert [c.code for c in d.evidence] == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    c1 = _facts(d, "C1")
    assert "Axe Marché & concurrence : 4 articles collectés, 2 retenus" in c1
    assert "Axe Marché & concurrence : 2 fiches de veille, dont 1 avec une action proposée" in c1
    assert "3/4 fiches avec une action proposée, dont 2 avec un responsable et une échéance" in c1
    assert any(
        f.startswith("Acteurs repérés (organisations) : Proxima (1), Telvia (1)") for f in c1
    )
    assert not any("Recrutement" in f for f in c1)  # only the entities the model is sure of
    c2 = _facts(d, "C2")
    assert "Axe Juridique & réglementaire : 2 articles, 3 textes ou normes liés" in c2
    assert any("dont 2 avec un lien officiel" in f for f in c2)
    assert "1 collecte" not in " ".join(_facts(d, "C3"))
    assert "2 collectes automatiques pendant la période" in _facts(d, "C3")
    assert "3/3 semaines avec au moins un article collecté" in _facts(d, "C3")
    assert "4 fiches de veille rédigées, dont 1 avec un QQOQCP complet (7 questions)" in _facts(
        d, "C4"
    )
    c5 = _facts(d, "C5")
    assert "3/4 sources notées sur la grille VERIF" in c5
    assert "2 sources primaires, 2 secondaires" in c5
    assert "2/4 fiches recoupées par une seconde source" in c5
    assert "Tri : 5 articles retenus, 1 rejeté avec un motif, sur 7 collectés" in c5
    assert "1 article signalé par plusieurs sources (doublons regroupés)" in c5
    c6 = _facts(d, "C6")
    assert "2 semaines sur 3 avec une synthèse diffusée" in c6
    assert "1 synthèse envoyée : 4 remises, 0 échec" in c6
    assert any(f.startswith("Liste de diffusion : 4 destinataires") for f in c6)
    assert any("10 opérations dans l'outil" in f and "2/3 membres" in f for f in _facts(d, "C7"))
    # facts are linked to the items behind them
    action_fact = next(
        f for c in d.evidence if c.code == "C1" for f in c.facts if f.text.startswith("3/4")
    )
    assert {i.title for i in action_fact.items} == {
        "Telvia lance un tchat",
        "Loi Hamon : le droit de rétractation rappelé",
        "RGPD : une sanction de la CNIL",
    }
    assert all(i.anchor == f"fiche-{i.id}" for i in action_fact.items)
    # it informs, it never grades
    assert not any("niveau" in f.text.lower() for c in d.evidence for f in c.facts)


def test_other_group_and_bad_period_are_refused(built: Built) -> None:
    other = gather(built.store, built.watch, "g2", START, END, now=NOW)
    assert build_dossier(other).bilan.stats[0] == ("Articles collectés", "0")
    with pytest.raises(ValueError, match="groupe inconnu"):
        gather(built.store, built.watch, "g9", START, END, now=NOW)
    data = gather(built.store, built.watch, "g1", START, END, now=NOW)
    from dataclasses import replace

    with pytest.raises(ValueError, match="précède"):
        build_dossier(replace(data, end=START - timedelta(days=1)))


def test_digests_come_from_the_archive_when_the_store_has_none(tmp_path: Path) -> None:
    built = make_watch(tmp_path)
    try:
        data = gather(
            built.store,
            built.watch,
            "g1",
            date(2026, 9, 14),
            END,
            now=NOW,
            reports=tmp_path / "reports",
        )
        d = build_dossier(data)
        assert [w.digest.origin if w.digest else None for w in d.diffusion.weeks] == [
            "archive",
            None,
        ]
    finally:
        built.store.close()


# --- time: weeks count the watch's activity, not publication dates ---------------------------


def test_weeks_count_collection_and_curation_not_publication(tmp_path: Path) -> None:
    """A first crawl in W49 brings back articles published in W45–W48: the dossier shows one
    week of collection (C3, the bilan and its chart), and publication dates only as such."""
    from watcher.report.charts import dossier_charts

    (tmp_path / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    watch = load_watch(tmp_path / "sources.yml")
    store = Store(tmp_path / "watcher.db")
    try:
        crawl = datetime(2026, 12, 2, 9, tzinfo=UTC)  # Wednesday of W49
        entries = [
            Entry(
                url=f"https://presse.example.org/old-{n}",
                title=f"Article publié en semaine {45 + n % 4}",
                published=datetime(2026, 11, 3, 9, tzinfo=UTC) + timedelta(weeks=n % 4),
            )
            for n in range(8)
        ]
        store.store_feed("presse", ["g1"], entries, crawl, url="https://presse/f", found=None)
        ids = [i.id for i in store.list_items()]
        store.set_curation("g1", ids[0], "retained", actor=LEA, now=crawl + timedelta(days=1))
        data = gather(store, watch, "g1", date(2026, 11, 2), date(2026, 12, 6), now=crawl)
        d = build_dossier(data)
    finally:
        store.close()
    assert d.bilan.weeks == ("2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49")
    assert d.bilan.collected_week == (0, 0, 0, 0, 8)
    assert d.bilan.curation_week == (0, 0, 0, 0, 1)
    c3 = _facts(d, "C3")
    assert "1/5 semaine avec au moins un article collecté" in c3
    assert any("veille active (collecte ou tri) 1/5 semaine" in f for f in c3)
    assert dossier_charts(d)[0].title == "Articles par axe et par semaine de collecte"
    assert d.cover.timezone == "Europe/Paris"
    fiche_dates = [r.first_seen for r in d.legal]
    assert fiche_dates == []  # no reference here; the legal table dates by first collection


def _machines(root: Path, names: tuple[str, ...]) -> list[Path]:
    """Folders of machines of one watch: the same sources.yml in each (the store is the test's
    database: one SQLite file per folder, or the PostgreSQL database they all name)."""
    import yaml

    config = {
        "watch": {"name": "Veille", "contact": "https://example.org/contact"},
        "axes": [{"id": "concurrence", "label": "Marché & concurrence"}],
        "groups": [{"id": "g1", "name": "Groupe 1"}],
        "sources": [
            {"id": "s1", "name": "Source", "kind": "feed", "url": "https://un.example.org/rss",
             "axis": "concurrence", "groups": ["g1"]},
        ],
    }  # fmt: skip
    configs = []
    for name in names:
        config_path = root / name / "sources.yml"
        config_path.parent.mkdir(parents=True)
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
        configs.append(config_path)
    return configs


def test_on_a_shared_store_a_machine_with_another_signing_key_is_refused(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker or a web host started without the watch's WATCHER_SIGNING_KEY makes a key of its
    own: on a shared store it is refused, in French, before it signs a dossier that the other
    machines would not verify (and before the distributed web app starts); with the watch's key
    it signs. Two SQLite watches are two watches: each signs with its own key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from watcher.errors import ForeignKey
    from watcher.jobs import open_workspace
    from watcher.jobs.dossier import sealed_dossier
    from watcher.verify.keys import KEY_ENV
    from watcher.web import create_app
    from watcher.workspace import Workspace

    monkeypatch.delenv(KEY_ENV, raising=False)
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    start, end = date(2026, 11, 1), date(2026, 11, 27)
    first, second = (Workspace(c) for c in _machines(tmp_path, ("web", "worker")))
    with open_workspace(first) as w:  # the first machine signs: its key is the watch's
        sealed_dossier(w, load_watch(first.config), "g1", start, end, now=now)
    if not database.startswith("postgresql"):
        with open_workspace(second) as w:
            sealed_dossier(w, load_watch(second.config), "g1", start, end, now=now)
        return
    with open_workspace(second) as w, pytest.raises(ForeignKey) as refused:
        sealed_dossier(w, load_watch(second.config), "g1", start, end, now=now)
    assert "clé de signature" in refused.value.message and KEY_ENV in refused.value.hint
    with pytest.raises(ForeignKey):
        create_app(second, testing=True, distributed=True)
    pem = (first.root / "watch-signing.key").read_text("ascii")
    monkeypatch.setenv(KEY_ENV, pem)  # the watch's key, given to the second machine
    with open_workspace(second) as w:
        sealed = sealed_dossier(w, load_watch(second.config), "g1", start, end, now=now)
        assert sealed.seal is not None
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    monkeypatch.setenv(KEY_ENV, other.decode("ascii"))
    with open_workspace(first) as w, pytest.raises(ForeignKey):
        sealed_dossier(w, load_watch(first.config), "g1", start, end, now=now)


def test_on_a_shared_store_every_machine_reads_the_same_dossier(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two machines on one PostgreSQL store (a web host and a worker, each with its own folder):
    a digest archived in one machine's reports/ only, and their folders' paths, do not make the
    dossier they read differ, so the file a worker renders is the one the web host asked for
    (`content_digest`). A SQLite watch, one machine, still reads its archive."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from watcher.jobs import open_workspace
    from watcher.jobs.dossier import period_data, sealed_dossier
    from watcher.jobs.dossier_files import content_digest
    from watcher.verify.keys import KEY_ENV
    from watcher.workspace import Workspace

    key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    monkeypatch.setenv(KEY_ENV, key.decode("ascii"))  # every role has the watch's key
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    start, end = date(2026, 11, 1), date(2026, 11, 27)
    digests, weeks = [], []
    for config in _machines(tmp_path, ("web", "worker")):
        workspace = Workspace(config)
        if config.parent.name == "web":  # an old digest, archived on this machine only
            archived = workspace.reports / "g1" / "2026-W45.html"
            archived.parent.mkdir(parents=True)
            archived.write_text("<title>Veille S45</title>", "utf-8")
        watch = load_watch(workspace.config)
        with open_workspace(workspace) as w:
            digests.append(content_digest(sealed_dossier(w, watch, "g1", start, end, now=now)))
            data = period_data(w, watch, "g1", start, end, now=now)
            weeks.append([d.week for d in data.digests])
    if database.startswith("postgresql"):
        assert digests[0] == digests[1]
        assert weeks == [[], []]
    else:  # two separate SQLite watches: each reads its own archive
        assert weeks == [["2026-W45"], []]


# --- the demo's dossier, written by the real command and read back --------------------------------


@pytest.fixture(scope="module")
def demo_dossier(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The demo, its watched page's change retained with one other item (no fiche), then
    `watcher dossier` in DOCX and HTML: the texts a reader sees."""
    import html as html_lib
    from zoneinfo import ZoneInfo

    from click.testing import CliRunner
    from docx import Document

    from watcher.changes import CHANGE_KIND
    from watcher.cli.main import main
    from watcher.dates import date_fr as fr_date

    root = tmp_path_factory.mktemp("demo-dossier") / "demo"
    runner = CliRunner()
    made = runner.invoke(main, ["demo", "--dir", str(root), "--port", "0"])
    assert made.exit_code == 0, made.output
    now = datetime.now(UTC)
    store = Store(root / "watcher.db")
    try:
        items = store.list_items()
        changes = [i for i in items if i.kind == CHANGE_KIND]
        assert len(changes) == 1, [i.title for i in items]
        change = changes[0]
        other = next(i for i in items if i.kind != CHANGE_KIND and i.source_id == "telvia-presse")
        for item_id in (change.id, other.id):
            store.set_curation("demo", item_id, "retained", actor="lea.moreau@example.org", now=now)
    finally:
        store.close()
    today = now.astimezone(ZoneInfo("Europe/Paris")).date()
    out = root / "dossier"
    result = runner.invoke(
        main,
        ["--config", str(root / "sources.yml"), "dossier", "--group", "demo", "--format",
         "docx,html,xlsx", "--from", (today - timedelta(days=13)).isoformat(), "--to",
         today.isoformat(), "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = Document(str(next(out.glob("*.docx"))))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    visible = html_lib.unescape(re.sub(r"<[^>]+>", "", page.split("<body", 1)[1]))
    from openpyxl import load_workbook

    sheet = load_workbook(next(out.glob("*.xlsx")))["Grille des sources"]
    rows = [" | ".join(str(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    return {
        "xlsx": "\n".join(rows),
        "docx": "\n".join(paragraphs + cells),
        "html": visible,
        "page": "Telvia — offre Box Fibre",
        "url": change.url,
        "day": fr_date(change.fetched_at.astimezone(ZoneInfo("Europe/Paris")).date()),
    }


def test_a_watched_pages_change_is_named_once_and_cited_with_its_date(
    demo_dossier: dict[str, str],
) -> None:
    page, day = demo_dossier["page"], demo_dossier["day"]
    for fmt in ("docx", "html"):
        text = demo_dossier[fmt]
        # in the lists: « Modification : <page> », not followed by the page again
        assert f"Modification : {page}" in text, fmt
        assert f"Modification : {page} ({page})" not in text, fmt
        # in the bibliography: ISO 690 with the day the change was seen, the page named once
        # (it has no author: the reference begins with its title)
        assert (
            f"{page} [en ligne]. Modification relevée le {day}. [Consulté le {day}]. "
            f"Disponible à l'adresse : {demo_dossier['url']}"
        ) in text, fmt
        assert f"Modification : {page} [en ligne]" not in text, fmt


def test_the_tutor_is_named_with_the_role_the_group_wrote(demo_dossier: dict[str, str]) -> None:
    for fmt in ("docx", "html"):
        text = demo_dossier[fmt]
        assert "Hélène Garnier (tutrice en entreprise)" in text, fmt
        assert "(tuteur)" not in text, fmt


def _docx_text(data: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_weeks_before_the_watch_started_are_not_weeks_without_a_digest(built: Built) -> None:
    """A dossier whose period starts three weeks before the group's first collected item (the
    demo's: 14 weeks listed « sans synthèse » before it collected anything) listed those weeks
    as missed; they are before the watch started, in every format, and not counted as due."""
    from watcher.report.export import render

    data = gather(built.store, built.watch, "g1", date(2026, 8, 17), END, now=NOW,
                  reports=built.root / "reports")  # fmt: skip
    d = build_dossier(data)
    weeks = {w.week: w.status for w in d.diffusion.weeks}
    # the weeks before the start are one row, not one row each
    assert weeks["2026-W34 à 2026-W36"] == "avant le début de la veille"
    assert d.diffusion.weeks[0].label == "Semaines 34 à 36 (du 17 août au 6 septembre 2026)"
    assert not {"2026-W34", "2026-W35", "2026-W36"} & set(weeks)
    assert weeks["2026-W39"] == "aucune synthèse"
    missed = "Semaines sans synthèse : semaine 39 (du 21 au 27 septembre 2026)."
    assert missed in d.bilan.limits
    assert (d.diffusion.with_digest, d.diffusion.expected) == (2, 3)
    assert dict(d.bilan.stats)["Synthèses hebdomadaires"] == "2/3"
    assert d.diffusion.summary().endswith(
        "depuis le début de la veille, semaine 37 (du 7 au 13 septembre 2026)"
    )
    files = render(d, ("html", "docx")).files
    page = " ".join(files["html"].decode().split())
    assert missed in page and "semaine 34 (" not in page
    docx = _docx_text(files["docx"])
    assert missed in docx and "avant le début de la veille" in docx
    # an item collected before the period: the watch ran then, so those weeks were missed
    early = Entry(url="https://presse.example.org/old", title="Un article d'août", guid="old")
    built.store.store_feed("presse", ["g1"], [early], datetime(2026, 8, 3, 9, tzinfo=UTC),
                           url="https://presse/feed", found=None)  # fmt: skip
    again = build_dossier(gather(built.store, built.watch, "g1", date(2026, 8, 17), END, now=NOW))
    assert (
        "Semaines sans synthèse : semaine 34 (du 17 au 23 août 2026), semaine 35 (du 24 au 30 "
        "août 2026), semaine 36 (du 31 août au 6 septembre 2026), semaine 38 (du 14 au 20 "
        "septembre 2026), semaine 39 (du 21 au 27 septembre 2026)."
    ) in again.bilan.limits


def test_the_dossier_names_its_weeks_as_people_read_them(built: Built) -> None:
    """Saw: the diffusion table's « Semaine » column said « 2026-W37 » (and « 2026-W34 à
    2026-W36 ») beside a « Dates » column, and « Semaines sans synthèse : 2026-W39. », in the
    HTML, PDF and DOCX. Sees now: « Semaine 37 (du 7 au 13 septembre 2026) », one column; the
    ISO code stays in the file names and the signed manifest only."""
    import io

    from openpyxl import load_workbook

    from watcher.report.export import render

    data = gather(built.store, built.watch, "g1", date(2026, 8, 17), END, now=NOW,
                  reports=built.root / "reports")  # fmt: skip
    d = build_dossier(data)
    files = render(d, ("html", "docx", "xlsx")).files
    page = " ".join(re.sub(r"<[^>]+>", " ", files["html"].decode()).split())
    docx = _docx_text(files["docx"])
    for w in d.diffusion.weeks:  # an archived digest's own subject, as it was written
        if w.digest:
            page, docx = page.replace(w.digest.subject, ""), docx.replace(w.digest.subject, "")
    book = load_workbook(io.BytesIO(files["xlsx"]))
    sheets = " ".join(
        str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r
    )
    for fmt, text in (("html", page), ("docx", docx), ("xlsx", sheets)):
        assert not re.search(r"\d{4}-W\d{2}", text), (fmt, re.findall(r".{40}\d{4}-W\d\d", text))
    for fmt, text in (("html", page), ("docx", docx)):
        assert "Semaines 34 à 36 (du 17 août au 6 septembre 2026)" in text, fmt
        assert "Semaine 37 (du 7 au 13 septembre 2026)" in text, fmt
        assert "Semaine 39 (du 21 au 27 septembre 2026)" in text, fmt


def test_an_item_without_an_address_is_named_without_an_empty_link(built: Built) -> None:
    """The evidence's item numbers link to the item's fiche or its address: an item without
    either (one the dossier names without its view: `ItemRef` with no address) got
    `<a href="">`, a link back to the dossier itself. It is now plain text, as in the digest."""
    from watcher.report.dossier import CompetenceEvidence, Fact, ItemRef
    from watcher.report.export import render

    d = dossier_of(built, ("html",))
    bare = ItemRef(4242, "article n° 4242", "", "")
    first = d.evidence[0]
    facts = (Fact("Un fait", (bare, *first.facts[0].items)), *first.facts[1:])
    shown = replace(
        d, evidence=(CompetenceEvidence(first.code, first.label, facts), *d.evidence[1:])
    )
    page = render(shown, ("html",)).files["html"].decode()
    assert 'href=""' not in page
    assert '<span title="article n° 4242">n° 4242</span>' in page


def test_a_watched_page_counts_its_changes_not_articles_in_the_sources_table(
    demo_dossier: dict[str, str],
) -> None:
    """The sources' table said « Articles retenus / collectés » for every source, a watched
    page included, whose counts are its changes detected: each row now says what it counts."""
    page = demo_dossier["page"]
    for fmt in ("docx", "html"):
        text = demo_dossier[fmt]
        assert "Retenus / collectés" in text, fmt
        assert re.search(r"1 / 1 changement(?!s)", text), fmt
        assert re.search(r"\d+ / \d+ articles?", text), fmt
    rows = demo_dossier["xlsx"].splitlines()
    assert "Comptés" in rows[0]
    watched = next(r for r in rows if r.startswith(page))
    assert "| changements détectés |" in watched
    assert all("| articles |" in r for r in rows[1:] if not r.startswith(page))
