"""The weekly digest: selection and ranking (pure), rendering (HTML e-mail + text), archiving."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from digest_fixtures import (
    GDPR,
    IN_WEEK,
    ISO_10002,
    WEEK_START,
    config,
    make_watch,
    seed_items,
    view,
)
from lxml import html as lxml_html

from watcher.jobs import open_workspace
from watcher.jobs.digest import build_weekly_digest, preview_digest
from watcher.model import Curation, Fiche, Pinpoint, Recipient, SourceState
from watcher.report.digest import (
    MAX_ITEMS,
    Digest,
    IsoWeek,
    WeekData,
    build_digest,
    last_complete_week,
    short_extract,
    subject_line,
)
from watcher.report.render import archive_paths, render_digest
from watcher.store import Store
from watcher.workspace import Workspace

PARIS = ZoneInfo("Europe/Paris")
W48 = IsoWeek(2026, 48)
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def curation(item_id: int, status: str, reason: str = "") -> Curation:
    return Curation(item_id, "g1", status, reason, IN_WEEK, "lea")


def build(views: list, **data: object) -> Digest:  # type: ignore[type-arg]
    week_data = WeekData(views=views, collected=len(views), **data)  # type: ignore[arg-type]
    return build_digest(make_watch(), "g1", W48, NOW, week_data)


# --- weeks -------------------------------------------------------------------------------------


def test_iso_week_parsing_bounds_and_neighbours() -> None:
    week = IsoWeek.parse("2026-W48")
    assert week == W48 and str(week) == "2026-W48"
    assert week.start(PARIS) == WEEK_START  # Monday 00:00 in Paris = Sunday 23:00 UTC
    assert week.end(PARIS) == WEEK_START + timedelta(days=7)
    assert (week.monday(), week.sunday()) == (date(2026, 11, 23), date(2026, 11, 29))
    assert IsoWeek.parse("2026-W01").previous() == IsoWeek(2025, 52)  # 2025 has 52 weeks
    assert IsoWeek.parse("2026W53").following() == IsoWeek(2027, 1)  # 2026 has 53
    for bad in ("2026-48", "2025-W53", "W48", "2026-W00"):
        with pytest.raises(ValueError):
            IsoWeek.parse(bad)


def test_last_complete_week_is_on_the_watch_wall_clock() -> None:
    # Sunday 29 November 23:30 in Paris is still W48: the last complete week is W47
    assert last_complete_week(datetime(2026, 11, 29, 22, 30, tzinfo=UTC), PARIS) == IsoWeek(
        2026, 47
    )
    # Monday 30 November 00:30 in Paris (Sunday 23:30 UTC): W48 is complete
    assert last_complete_week(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), PARIS) == W48


# --- selection and ranking ---------------------------------------------------------------------


def test_retained_items_come_first_and_rejected_ones_never_appear() -> None:
    views = [
        view(1, "Très pertinent, source primaire", "cnil", axes=("reglementaire", "concurrence")),
        view(2, "Retenu par le groupe", "blog", axes=()),
        view(3, "Écarté par le groupe", "cnil", axes=("reglementaire",)),
    ]
    digest = build(
        views,
        curations={2: curation(2, "retained"), 3: curation(3, "rejected", "hors sujet")},
    )
    titles = [i.title for i in digest.items]
    assert titles == ["Retenu par le groupe", "Très pertinent, source primaire"]
    assert [i.retained for i in digest.items] == [True, False]
    assert (digest.collected, digest.shown, digest.retained_by_group, digest.rejected) == (
        3,
        2,
        1,
        1,
    )


def test_automatic_selection_ranks_by_relevance_reliability_and_novelty() -> None:
    old = WEEK_START - timedelta(days=40)
    views = [
        view(1, "Blog, un axe", "blog"),
        view(2, "CNIL, un axe", "cnil", axes=("reglementaire",)),
        view(3, "CNIL, deux axes", "cnil", axes=("reglementaire", "concurrence")),
        view(
            4,
            "CNIL, deux axes mais vieux",
            "cnil",
            axes=("reglementaire", "concurrence"),
            published=old,
        ),
        view(5, "Hors axes, sans texte cité", "cnil", axes=()),
    ]
    digest = build(views)
    titles = [i.title for i in digest.items]
    assert titles[:2] == ["CNIL, deux axes", "CNIL, un axe"]
    assert titles.index("CNIL, deux axes mais vieux") > titles.index("CNIL, un axe")
    assert "Hors axes, sans texte cité" not in titles  # noise is not auto-selected
    assert all(not i.retained for i in digest.items)


def test_near_duplicates_are_collapsed_with_their_other_sources() -> None:
    views = [
        view(1, "Telvia rappelle en deux heures", "presse", cluster=7),
        view(2, "Telvia : rappel en moins de deux heures", "cnil", cluster=7),
        view(3, "Autre sujet", "blog", cluster=8),
    ]
    clusters = {
        7: [
            (1, "presse", views[0].item.url),
            (2, "cnil", views[1].item.url),
            (99, "blog", "https://blog.example.org/plus-tot"),
        ],
        8: [(3, "blog", views[2].item.url)],
    }
    digest = build(views, clusters=clusters)
    assert digest.shown == 2
    head = next(i for i in digest.items if i.item_id in (1, 2))
    assert head.source_id == "cnil"  # the primary source tells the story
    assert {o.name for o in head.also} == {"Relation Client Hebdo", "blog"}


def test_a_story_the_group_rejected_stays_out_even_from_another_source() -> None:
    views = [
        view(1, "Publi-reportage", "presse", cluster=5),
        view(2, "Même publi", "blog", cluster=5),
    ]
    digest = build(views, curations={1: curation(1, "rejected", "publicité")})
    assert digest.empty
    # … unless the group retained one of its versions
    digest = build(
        views, curations={1: curation(1, "rejected", "doublon"), 2: curation(2, "retained")}
    )
    assert [i.item_id for i in digest.items] == [2]
    assert digest.items[0].also == ()  # the rejected copy is not advertised


def test_selection_is_capped_and_balanced_across_axes() -> None:
    views = [view(i, f"Concurrence {i}", "cnil", axes=("concurrence",)) for i in range(1, 20)]
    views.append(view(50, "Le seul article sur les normes", "blog", axes=("normes",)))
    digest = build(views)
    assert digest.shown == MAX_ITEMS
    assert "Le seul article sur les normes" in [i.title for i in digest.items]
    normes = next(s for s in digest.sections if s.id == "normes")
    une_ids = {i.item_id for i in digest.une}
    assert 50 in une_ids or [i.item_id for i in normes.items] == [50]


def test_une_sections_and_primary_axis() -> None:
    views = [
        view(1, "A", "cnil", axes=("reglementaire",)),
        view(2, "B", "presse", axes=("reglementaire", "concurrence")),  # declared: concurrence
        view(3, "C", "blog", axes=("normes",)),
        view(4, "D", "blog", axes=("concurrence",)),
        view(5, "E", "blog", axes=(), refs=(ISO_10002,)),  # no axis: a cited text is enough
    ]
    digest = build(views)
    assert len(digest.une) == 2  # 4–6 items: two at the top
    assert [s.id for s in digest.sections] == ["concurrence", "reglementaire", "normes"]
    shown = {i.item_id: i.axis_id for i in digest.items}
    assert shown[2] == "concurrence"  # matched two axes: the one its source is declared for
    assert shown[5] == "concurrence"  # matched none: its source's declared axis
    assert not {i.item_id for i in digest.une} & {
        i.item_id for s in digest.sections for i in s.items
    }


def test_summary_is_the_groups_words_else_a_short_extract_never_the_article() -> None:
    long_text = "Première phrase de l'article. " + "Suite de l'article protégé. " * 100
    views = [
        view(1, "Avec fiche", "cnil", text=long_text),
        view(2, "Sans fiche", "cnil", text=long_text),
        view(3, "Brève courte", "cnil", text="Une brève de deux phrases. Elle est très courte."),
    ]
    fiche = Fiche(
        1,
        "g1",
        summary="Notre résumé QQOQCP.",
        importance="Nos conseillers doivent le savoir.",
        action="Mettre à jour le script d'appel",
        action_owner="Karim",
        action_deadline=date(2026, 12, 4),
    )
    digest = build(views, fiches={1: fiche})
    by_id = {i.item_id: i for i in digest.items}
    assert by_id[1].summary == "Notre résumé QQOQCP." and not by_id[1].summary_is_extract
    assert by_id[1].importance and by_id[1].action_owner == "Karim"
    assert by_id[2].summary_is_extract and len(by_id[2].summary) <= 300
    assert by_id[2].summary in long_text or by_id[2].summary.endswith("…")
    # even a short brief is never given whole
    assert by_id[3].summary and len(by_id[3].summary) < len(
        "Une brève de deux phrases. Elle est très courte."
    )
    assert [i.item_id for i in digest.actions] == [1]


def test_a_summary_that_only_repeats_the_title_is_not_shown_twice() -> None:
    """Euronews's feed gives the title as the description (tests/fixtures/feeds/world3/): the
    digest showed « Extrait automatique : Des vétérans au chevet des … » under the same title.
    A text that is the title again, with other spaces or punctuation, is no extract; an
    article's own text still is one."""
    title = "A Moscou, le coronavirus est à retardement"
    veterans = "Des vétérans au chevet des soignants"
    later = "Les hôpitaux de la capitale russe se remplissent trois semaines plus tard."
    views = [
        view(1, veterans, "presse", summary=veterans, text=veterans),
        view(2, title, "presse", summary=f"{title} ",
             text=" a moscou  le coronavirus est a retardement…"),
        view(3, title, "presse", summary=title, text=f"{title}. {later}"),
    ]  # fmt: skip
    by_id = {i.item_id: i for i in build(views).items}
    assert by_id[1].summary == "" and by_id[2].summary == ""
    assert by_id[3].summary.startswith("Les hôpitaux")  # the text, after its title


@pytest.mark.parametrize(
    ("text", "full"),
    [("Mot " * 400, 1600), ("Une seule phrase très courte.", 29), ("a" * 1000, 1000)],
)
def test_short_extract_bounds(text: str, full: int) -> None:
    extract = short_extract(text, full)
    assert 0 < len(extract) <= 302
    assert len(extract.rstrip(" …")) < full


def test_legal_texts_table_keeps_official_links_and_who_cites_them() -> None:
    views = [
        view(1, "Sanction RGPD", "cnil", axes=("reglementaire",), refs=(GDPR,)),
        view(2, "Encore le RGPD et l'ISO 10002", "presse", refs=(GDPR, ISO_10002)),
    ]
    digest = build(views)
    assert [t.label for t in digest.legal] == ["Règlement (UE) 2016/679", "ISO 10002"]
    gdpr = digest.legal[0]
    assert gdpr.official and gdpr.url.startswith("https://eur-lex.europa.eu/")
    assert gdpr.nature == "Acte de l'UE" and len(gdpr.cited_in) == 2
    assert not digest.legal[1].official


def test_legal_texts_table_lists_the_articles_cited() -> None:
    eli = "https://www.legifrance.gouv.fr/eli/loi/2016/6/3/2016-731/jo/article_82"
    views = [
        view(1, "L'article 82", "cnil", refs=(replace(GDPR, pinpoints=(Pinpoint("art-82"),)),)),
        view(2, "Articles 12 et 82", "presse", refs=(
            replace(GDPR, pinpoints=(Pinpoint("art-82", eli), Pinpoint("art-12"))),
        )),
        view(3, "Le RGPD sans article", "presse", refs=(GDPR,)),
    ]  # fmt: skip
    digest = build(views)
    gdpr = digest.legal[0]
    assert [p.name for p in gdpr.pinpoints] == ["art-12", "art-82"]  # the act's order, once each
    assert gdpr.articles == "art. 12, art. 82" and gdpr.pinpoints[1].url == eli
    rendered = render_digest(digest)
    assert "Règlement (UE) 2016/679, art. 12, art. 82 (Acte de l'UE)" in rendered.text
    cell = lxml_html.fromstring(rendered.html).xpath("//table[contains(@class, 'legal')]//td")[0]
    assert "art. 12, art. 82" in cell.text_content()
    assert cell.xpath(".//a/@href") == [eli]


def test_source_health_names_dead_and_failing_sources() -> None:
    states = {
        "cnil": SourceState("cnil", last_attempt_at=NOW, last_success_at=NOW),
        "presse": SourceState(
            "presse",
            last_attempt_at=NOW,
            last_success_at=NOW - timedelta(days=2),
            last_error="erreur 503",
            consecutive_failures=1,
        ),
        "blog": SourceState(
            "blog", last_attempt_at=NOW, last_error="page introuvable (404)", consecutive_failures=1
        ),
    }
    digest = build([], states=states, collected_per_source={"cnil": 4})
    health = {s.id: s for s in digest.sources}
    assert health["cnil"].state == "en service" and health["cnil"].collected == 4
    assert health["presse"].state == "en échec" and health["presse"].last_error == "erreur 503"
    assert health["blog"].state == "hors service"  # never succeeded
    assert [s.name for s in digest.dead_sources] == ["blog"]
    never = build([]).sources
    assert {s.state for s in never} == {"jamais collectée"}


def test_subject_has_group_week_and_three_key_words() -> None:
    views = [view(1, "Sanction", "cnil", axes=("reglementaire",), refs=(GDPR, ISO_10002))]
    digest = build(views)
    assert digest.subject == (
        "[Veille Groupe Éole] Semaine 48 (du 23 au 29 novembre 2026) — "
        "Règlement (UE) 2016/679, ISO 10002"
    )
    assert (
        subject_line("G", W48, ["a", "b", "c"])
        == "[Veille G] Semaine 48 (du 23 au 29 novembre 2026) — a, b, c"
    )


def test_a_week_with_items_but_no_key_word_never_says_rien_de_nouveau() -> None:
    # press items naming no text and no organisation: the subject counts them instead
    views = [view(1, "Un concurrent baisse ses prix"), view(2, "Nouvelle offre en magasin")]
    digest = build(views)
    assert digest.shown == 2 and digest.keywords == ()
    assert (
        digest.subject == "[Veille Groupe Éole] Semaine 48 (du 23 au 29 novembre 2026) — 2 articles"
    )
    assert (
        build(views[:1]).subject
        == "[Veille Groupe Éole] Semaine 48 (du 23 au 29 novembre 2026) — 1 article"
    )


def test_an_empty_week_still_has_a_digest_that_says_so() -> None:
    digest = build([])
    assert digest.empty and digest.une == () and digest.legal == ()
    assert (
        digest.subject
        == "[Veille Groupe Éole] Semaine 48 (du 23 au 29 novembre 2026) — rien de nouveau"
    )
    rendered = render_digest(digest)
    assert "Rien de nouveau cette semaine" in rendered.html
    assert "RIEN DE NOUVEAU CETTE SEMAINE" in rendered.text
    assert "Sources surveillées" in rendered.html


# --- rendering ------------------------------------------------------------------------------------


def _rich_digest() -> Digest:
    views = [
        view(
            1,
            "La CNIL sanctionne un centre d'appels",
            "cnil",
            axes=("reglementaire",),
            refs=(GDPR,),
        ),
        view(2, "<script>alert('x')</script> Titre « piégé » & co", "presse"),
        view(3, "ISO 10002 : la norme révisée", "blog", axes=("normes",), refs=(ISO_10002,)),
    ]
    fiche = Fiche(
        1,
        "g1",
        summary="Amende de 50 000 € ; à retenir.",
        importance="Nous aussi.",
        action="Relire nos scripts",
        action_owner="Léa",
        action_deadline=date(2026, 12, 1),
    )
    return build(
        views,
        fiches={1: fiche},
        curations={1: curation(1, "retained")},
        states={
            "blog": SourceState(
                "blog", last_attempt_at=NOW, last_error="404", consecutive_failures=3
            )
        },
    )


def _footer(rendered_html: str) -> str:
    tree = lxml_html.fromstring(rendered_html)
    (footer,) = tree.xpath("//td[@class='footer']")
    return " ".join(footer.text_content().split())


@pytest.mark.parametrize(
    ("declared", "html_label"),
    [
        ("", "Tuteur ou tutrice en entreprise"),
        ("tutrice en entreprise", "Tutrice en entreprise"),
        ("maître d'apprentissage (N+1)", "Maître d'apprentissage (N+1)"),
    ],
)
def test_the_digest_names_the_tutor_by_the_role_the_group_wrote(
    declared: str, html_label: str
) -> None:
    """The footer's tutor is named by the role sources.yml gives (« tutrice en entreprise »),
    as the dossier and the oral name them; without one, in words that fit a man or a woman:
    never « Tuteur » for a tutrice."""
    group = config()["groups"][0]
    tutor = {"name": "Hélène Garnier", "email": "helene@example.org"}
    if declared:
        tutor["role"] = declared
    watch = make_watch(groups=[group | {"tutor": tutor}])
    week_data = WeekData(views=[view(1, "La CNIL sanctionne", "cnil")], collected=1)
    rendered = render_digest(build_digest(watch, "g1", W48, NOW, week_data))
    footer = _footer(rendered.html).replace("\u00a0", " ").replace("\u202f", " ")
    assert f"{html_label} : Hélène Garnier" in footer
    assert "Tuteur : " not in footer
    text = rendered.text.replace("\u00a0", " ").replace("\u202f", " ")
    text_label = declared or "tuteur ou tutrice en entreprise"  # the line reads on in lower case
    assert f"· {text_label} : Hélène Garnier" in text
    assert "tuteur : " not in text


def test_an_empty_week_says_the_group_rejected_what_it_rejected() -> None:
    # both items match an axis; the group rejected them: the plan de veille is not at fault
    views = [view(1, "Offre concurrente"), view(2, "Autre offre"), view(3, "Hors plan", axes=())]
    rejected = {1: curation(1, "rejected", "hors sujet"), 2: curation(2, "rejected", "pub")}
    all_out = render_digest(build(views[:2], curations=rejected))
    for body in (all_out.text, all_out.html):
        assert "2 articles collectés, tous écartés par le groupe." in body
        assert "aucun axe" not in body and "Vérifiez" not in body
    assert "\n\n== SOURCES SURVEILLÉES ==" in all_out.text  # the text part keeps its blank line
    mixed = render_digest(build(views, curations=rejected)).text
    assert (
        "3 articles collectés : 2 écartés par le groupe, 1 qui ne se rattache à aucun axe du "
        "plan de veille. Vérifiez l'état des sources ci-dessous." in mixed
    )
    none_rejected = render_digest(build(views[2:])).text
    assert "1 article collecté, qui ne se rattache à aucun axe du plan de veille" in none_rejected


def test_html_email_is_inlined_self_contained_and_escaped() -> None:
    rendered = render_digest(_rich_digest(), unsubscribe="mailto:tuteurs@example.org")
    tree = lxml_html.fromstring(rendered.html)
    assert tree.xpath("//script") == []
    assert tree.xpath("//link") == [] and tree.xpath("//img") == []
    assert tree.xpath("//*[@onclick or @onload]") == []
    # styles are inlined on the elements (only the @media rule stays in a <style>)
    assert "color" in tree.xpath("//h2")[0].get("style")
    assert all("@media" in s.text for s in tree.xpath("//style"))
    assert tree.xpath("//table[@role='presentation']")
    # the hostile title is text, not markup
    text = tree.text_content()
    # (« and » held to their word by no-break spaces, French typography)
    assert "<script>alert('x')</script> Titre «\u00a0piégé\u00a0» & co" in text
    text = text.replace("\u00a0", " ")  # the words below, whatever their spaces
    assert "&lt;script&gt;" in rendered.html
    # sections, badges, French
    headings = [h.text_content() for h in tree.xpath("//h2")]
    assert headings[:2] == ["Sommaire", "À la une"]
    assert "Textes juridiques et normatifs de la semaine" in headings
    assert "Sources surveillées" in headings
    assert "primaire · 14/15" in text and "secondaire · 8/15" in text
    assert "retenu par le groupe" in text and "sélection automatique · à relire" in text
    assert "Pourquoi c'est important pour nous" in text and "Relire nos scripts" in text
    assert "Échéance : 1er décembre 2026" in text
    assert "Amende de 50 000 € ; à retenir." in text
    assert "Source hors service : blog" in " ".join(text.split())
    # links: every item, the official text, the table of contents anchors
    hrefs = tree.xpath("//a/@href")
    assert "https://cnil.example.org/articles/1" in hrefs
    assert GDPR.url in hrefs and ISO_10002.url in hrefs
    anchors = set(tree.xpath("//a/@name"))
    assert all(h[1:] in anchors for h in hrefs if h.startswith("#"))
    assert "mailto:tuteurs@example.org" in hrefs
    remote = [u for u in tree.xpath("//@src | //@background")]
    assert remote == []


def test_text_alternative_has_the_same_content_without_markup() -> None:
    rendered = render_digest(_rich_digest())
    text = rendered.text
    assert "== À LA UNE ==" in text and "== JURIDIQUE & RÉGLEMENTAIRE ==" in text
    assert "Lire : https://cnil.example.org/articles/1" in text
    assert GDPR.url in text
    assert "Pourquoi c'est important pour nous : Nous aussi." in text
    assert "<script>alert('x')</script> Titre « piégé » & co" in text  # plain text: as is
    assert "<td" not in text and "&amp;" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_the_text_alternative_names_a_dead_source_as_the_html_does() -> None:
    """The text digest (what a mail client without HTML shows, and the archive's .txt) wrote
    « SOURCE(S) HORS SERVICE : blog » for one source and left out what to do, which the HTML
    says (« Source hors service : blog. À réparer ou à remplacer dans le plan de veille. »)."""
    digest = _rich_digest()
    text = " ".join(render_digest(digest).text.split())
    assert "(S)" not in text
    assert "SOURCE HORS SERVICE : blog. À réparer ou à remplacer dans le plan de veille." in text
    dead = digest.dead_sources[0]
    two = replace(digest, sources=(*digest.sources, replace(dead, name="forum")))
    assert "SOURCES HORS SERVICE : blog, forum. À réparer" in " ".join(
        render_digest(two).text.split()
    )


def test_an_item_without_a_web_address_is_shown_without_a_link() -> None:
    """A feed entry whose link was refused (`javascript:`, `data:`, `file:`…) or missing is
    stored without a URL: its title is plain text and it has no « Lire l'article » link (it
    was `<a href="">` twice, and « Lire : » followed by nothing)."""
    linked = view(1, "Un article avec son adresse", "presse")
    bare = view(2, "Une entrée sans adresse", "presse")
    bare = replace(bare, item=replace(bare.item, url=""))
    rendered = render_digest(build([linked, bare]))
    tree = lxml_html.fromstring(rendered.html)
    assert "" not in tree.xpath("//a/@href")
    assert tree.xpath("//h3[normalize-space()='Une entrée sans adresse']/a") == []
    assert tree.xpath("//h3[normalize-space()='Un article avec son adresse']/a/@href") == [
        linked.item.url
    ]
    more = tree.xpath("//p[@class='more']/a/@href")
    assert more == [linked.item.url]
    assert "Lire : \n" not in rendered.text and not rendered.text.rstrip().endswith("Lire :")
    assert f"Lire : {linked.item.url}" in rendered.text


# --- through the store ----------------------------------------------------------------------------


def test_build_archives_records_and_freezes_once_sent(tmp_path: Path, database: str) -> None:
    config = tmp_path / "sources.yml"
    config.write_text("", encoding="utf-8")
    workspace = Workspace(config)
    watch = make_watch()
    store = Store(workspace.database)
    try:
        ids = seed_items(
            store,
            [
                ("cnil", "Sanction de la CNIL", ("reglementaire",), (GDPR,)),
                ("presse", "Un concurrent baisse ses prix", ("concurrence",), ()),
                ("presse", "Hors sujet", (), ()),
            ],
        )
        seed_items(
            store,
            [("cnil", "Semaine suivante", ("reglementaire",), ())],
            now=IN_WEEK + timedelta(days=7),
        )
        store.set_curation("g1", ids[2], "rejected", reason="hors sujet", actor="lea", now=IN_WEEK)
        store.save_fiche(Fiche(ids[0], "g1", summary="Résumé du groupe."), actor="lea", now=IN_WEEK)
    finally:
        store.close()

    with open_workspace(workspace) as w:
        built = build_weekly_digest(w, watch, "g1", W48, NOW)
        html_path, txt_path = archive_paths(workspace.reports, "g1", "2026-W48")
        assert (built.html_path, built.txt_path) == (html_path, txt_path)
        assert html_path.read_text("utf-8") == built.record.html
        assert "Résumé du groupe." in txt_path.read_text("utf-8")
        assert "Semaine suivante" not in built.record.text
        assert (built.record.collected, built.record.shown) == (3, 2)
        assert built.rerendered

        # a live preview is the same digest, written nowhere
        assert "Sanction de la CNIL" in preview_digest(w, watch, "g1", W48, NOW)

        # once queued for sending, the digest is frozen: what was sent stays what is archived
        w.mails.queue(built.record.id, [Recipient("a@example.org")], ["<x@y>"], NOW)
        w.store.set_curation(
            "g1", ids[1], "rejected", reason="finalement non", actor="lea", now=NOW
        )
        again = build_weekly_digest(w, watch, "g1", W48, NOW + timedelta(hours=1))
        assert not again.rerendered and again.record.html == built.record.html
        html_path.unlink()  # the archive heals from the store
        assert build_weekly_digest(w, watch, "g1", W48, NOW).html_path.exists()


# --- issue 17: what readers see -------------------------------------------------------------------


def test_empty_axis_note_points_to_a_la_une_only_when_that_axis_is_there() -> None:
    from watcher.model import EntityMention

    views = [
        view(1, "CNIL : une sanction", "cnil", axes=("reglementaire",)),
        view(2, "Telvia lance un service", "presse", axes=("concurrence",)),
    ]
    views[1] = replace(
        views[1],
        entities=(
            EntityMention("ORG", "telvia – telvia", "Telvia – Telvia", 3),
            EntityMention("ORG", "telvia direct", "Telvia Direct", 2),
        ),
    )
    digest = build(views)
    rendered = render_digest(digest)
    text = " ".join(lxml_html.fromstring(rendered.html).text_content().split())
    une_axes = {i.axis_id for i in digest.une}
    assert une_axes == {"reglementaire"}  # the CNIL item is « À la une »
    assert text.count("Rien d'autre cette semaine sur cet axe (voir « À la une »).") == 1
    normes = text.split("Normes", 2)[-1]
    assert normes.startswith(" Rien cette semaine sur cet axe.")  # nothing of it above
    assert digest.subject.endswith("— Telvia")  # not « Telvia – Telvia, Telvia Direct »
    assert "reports/" not in rendered.html and "reports/" not in rendered.text
    assert "rubrique « Synthèses » du groupe" in text


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_a_digest_sent_late_says_so_at_its_top_frozen_and_in_the_dossier(
    tmp_path: Path, database: str
) -> None:
    """After a machine stop, W13's digest (due Monday 5 April 2027 at 08:00) goes out on
    21 April: only its footer's « généré le » told it. It now says near its top that it was
    sent late, in the HTML and the text, as mailed and as archived; the frozen digest keeps
    the line; the dossier's list of digests says « en retard » for it, not for W12's."""
    import email
    from email.policy import default

    from digest_fixtures import mailed_watch
    from lxml import html as lxml_html

    from watcher.jobs.digest import catch_up_digests, send_weekly_digest
    from watcher.jobs.dossier import gather
    from watcher.report.dossier import build_dossier

    def utc(*args: int) -> datetime:
        return datetime(*args, tzinfo=UTC)  # type: ignore[misc]

    note = (
        "Synthèse de la semaine 13, envoyée en retard le 21 avril 2027 : elle était "
        "prévue le 5 avril 2027 à 08:00."
    )
    with mailed_watch(tmp_path) as mailed:
        workspace, watch = mailed.workspace, mailed.watch
        store = Store(workspace.database)
        try:
            seed_items(store, [("cnil", "Collecté en semaine 12", ("reglementaire",), ())],
                       now=utc(2027, 3, 24, 8))  # fmt: skip
            seed_items(store, [("cnil", "Collecté en semaine 13", ("reglementaire",), ())],
                       now=utc(2027, 3, 31, 8))  # fmt: skip
        finally:
            store.close()
        with open_workspace(workspace) as w:
            on_time = send_weekly_digest(
                w, watch, "g1", IsoWeek(2027, 12), utc(2027, 3, 29, 6), send=True, timeout=5
            )
            done = catch_up_digests(w, watch, utc(2027, 4, 21, 8), timeout=5)
            late = next(o for o in done if o.week == IsoWeek(2027, 13))
            text, html = late.built.record.text, late.built.record.html
            assert note in _words(text)
            assert _words(text).index(note) < _words(text).index("Collectés")
            body = _words(lxml_html.fromstring(html).text_content())
            assert note in body and body.index(note) < body.index("Collectés")
            assert "en retard" not in on_time.built.record.text + on_time.built.record.html
            # what was mailed says it too
            sent = [email.message_from_bytes(m.data, policy=default) for m in mailed.sink.messages]
            w13 = [m for m in sent if "Semaine 13 (" in str(m["Subject"])]
            assert w13 and all(
                note in _words(m.get_body(("plain",)).get_content())
                for m in w13  # type: ignore[union-attr]
            )
            # frozen: built again or previewed weeks later, it is what was sent, line included
            again = build_weekly_digest(w, watch, "g1", IsoWeek(2027, 13), utc(2027, 5, 3, 9))
            assert not again.rerendered and again.record.html == html
            assert preview_digest(w, watch, "g1", IsoWeek(2027, 13), utc(2027, 5, 3, 9)) == html
            assert late.built.html_path.read_text("utf-8") == html
            data = gather(w.store, watch, "g1", date(2027, 3, 22), date(2027, 4, 18),
                          now=utc(2027, 4, 21, 9))  # fmt: skip
    weeks = {x.week: x.status for x in build_dossier(data).diffusion.weeks}
    assert weeks["2027-W13"].endswith(", en retard"), weeks
    assert "en retard" not in weeks["2027-W12"], weeks


def test_a_first_empty_digest_does_not_speak_of_a_previous_one(
    tmp_path: Path, database: str
) -> None:
    """A group's first digest, with nothing collected, said « Aucun nouvel article collecté
    depuis la synthèse précédente »: there was none. It now says « depuis le début de la
    veille »; the next empty one, after a digest went out, keeps « la synthèse précédente »
    (HTML and text, through the store and a real SMTP server on loopback)."""
    from digest_fixtures import mailed_watch

    from watcher.jobs.digest import send_weekly_digest

    first = "Aucun article collecté depuis le début de la veille, jusqu'à la fin du"
    later = "Aucun nouvel article collecté depuis la synthèse précédente, jusqu'à la fin du"
    with mailed_watch(tmp_path) as mailed, open_workspace(mailed.workspace) as w:
        sent = send_weekly_digest(
            w, mailed.watch, "g1", W48, NOW, send=True, timeout=5
        ).built.record
        html = _words(lxml_html.fromstring(sent.html).text_content())
        for body in (_words(sent.text), html):
            assert f"{first} 29 novembre 2026." in body, body
            assert "synthèse précédente" not in body
        assert mailed.sink.messages  # it went out: the next one has a previous one
        w49 = IsoWeek(2026, 49)
        html = preview_digest(w, mailed.watch, "g1", w49, NOW + timedelta(days=7))
        assert f"{later} 6 décembre 2026." in _words(lxml_html.fromstring(html).text_content())
        built = build_weekly_digest(w, mailed.watch, "g1", w49, NOW + timedelta(days=7))
        assert f"{later} 6 décembre 2026." in _words(built.record.text)


def test_a_preview_of_a_week_not_sent_in_time_says_it_is_not_sent_yet() -> None:
    def at(moment: datetime) -> Digest:
        return build_digest(make_watch(), "g1", W48, moment, WeekData(views=[], collected=0))

    digest = at(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    assert digest.late and not digest.sending
    assert digest.late_note.startswith("Synthèse de la semaine 48, pas encore envoyée")
    on_time = at(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    assert not on_time.late and on_time.late_note == ""
    assert "en retard" not in render_digest(on_time).text


def test_the_digest_calls_itself_a_synthese_as_the_web_and_the_dossier_do() -> None:
    """The web app, the dossier and `watcher verify` say « synthèse »; the e-mail said
    « digest » (« la suite ira dans le digest suivant », « Se désinscrire de ce digest »,
    « Ce digest ne reproduit pas les articles »), an English word in a French e-mail."""
    in_week = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # sent before the week ends
    early = WeekData(views=[], collected=0, cutoff=in_week)
    digests = [
        build_digest(make_watch(), "g1", W48, in_week, early),
        build([view(1, "La CNIL sanctionne", "cnil")]),
    ]
    assert digests[0].early
    for digest in digests:
        rendered = render_digest(digest, unsubscribe="mailto:veille@example.org")
        shown = lxml_html.fromstring(rendered.html).body.text_content()
        for body in (rendered.text, shown, rendered.subject):
            assert "digest" not in body.lower(), body
        assert "synthèse suivante" in rendered.text or not digest.early
        assert "Se désinscrire de cette synthèse" in shown
        for body in (rendered.text, shown):  # « la synthèse », feminine
            assert "Archivée dans Watcher" in body and "· générée le " in body


def test_a_week_sent_on_its_first_day_is_not_said_to_run_from_that_day_to_itself() -> None:
    """A digest sent early on the Monday read « Du 23 novembre 2026 au 23 novembre 2026 à
    11:00 »: one day, written as a span from it to itself."""
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 11:00 in Paris
    digest = build_digest(
        make_watch(), "g1", W48, monday, WeekData(views=[], collected=0, cutoff=monday)
    )
    rendered = render_digest(digest)
    shown = lxml_html.fromstring(rendered.html).body.text_content()
    for body in (rendered.text, shown):
        assert "Le 23 novembre 2026 jusqu'à 11:00 (semaine en cours" in body, body
        assert "Du 23 novembre 2026 au 23 novembre" not in body
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    later = build_digest(
        make_watch(), "g1", W48, tuesday, WeekData(views=[], collected=0, cutoff=tuesday)
    )
    assert "Du 23 novembre 2026 au 24 novembre 2026 à 11:00" in render_digest(later).text


def test_a_late_retained_item_names_the_digest_that_counted_it_by_its_week() -> None:
    """Saw, in the digest a group reads: « retenu par le groupe après l'envoi de la synthèse
    2026-W47, qui le comptait sans le montrer ». Sees now the week as the digest names it."""
    from watcher.report.digest import carried_note

    data = WeekData(views=[], collected=0, late={7: "2026-W47"})
    note = carried_note(7, NOW - timedelta(days=10), W48.start(PARIS), data, PARIS)
    assert note == (
        "retenu par le groupe après l'envoi de la synthèse de la semaine 47 (du 16 au 22 "
        "novembre 2026), qui le comptait sans le montrer"
    )
