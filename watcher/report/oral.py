"""The oral presentation of a group's results (block 1 « Présentation orale des résultats »):
a `Dossier` → a plain **slide plan** (pure: no I/O, no office library).

The plan is the deck's whole layout: every slide is a list of boxes placed in inches on a 16:9
page (text boxes with their font size, tables, chart images, decorative bands), with speaker
notes, the time budgeted for the slide and who presents it. `report.oral_pptx` draws it as an
editable PPTX and as a PDF handout (one page per slide); both only place the boxes.

Nothing overflows and everything is readable from the back of a room: see `report.oral_layout`
(the page, the type sizes, the measure of every text, lists and tables split across slides).

The time budget (20 minutes by default) is shared between the slides by weight, in quarter
minutes, so that the slides' times add up to the budget exactly; the presenters are the group's
members — an axis by the member who answers for it, the rest shared so that each one speaks
about as long as the others.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlsplit

from watcher.errors import BadValue
from watcher.labels import number_fr
from watcher.plural import counted, plural
from watcher.report.dossier import ACTION_LABELS, AxisResults, Dossier, FicheView, ItemRef
from watcher.report.oral_layout import (
    BODY_FRAME,
    BODY_SIZE,
    CONTENT_W,
    COVER_TITLE_SIZE,
    DETAIL_SIZE,
    FOOTER_FRAME,
    GREY,
    INK,
    MARGIN,
    NAVY,
    ORANGE,
    QUARTER,
    SLIDE_W,
    SMALL_SIZE,
    WHITE,
    Band,
    Box,
    Cell,
    Column,
    Frame,
    ImageBox,
    OralPlan,
    Para,
    Part,
    Slide,
    TextBox,
    bullet_slides,
    clip,
    image_slide,
    make_slide,
    paras_height,
    table_slides,
    wrap,
)

DEFAULT_MINUTES = 20


PROPOSED = ("action proposée", "actions proposées")
COVERED = ("semaine couverte", "semaines couvertes")
COLLECTED = ("article collecté", "articles collectés")
_plural = counted  # « 1 source », « 2 sources » (watcher.plural: 0 and 1 singular)


def _n(d: Dossier, label: str) -> int:
    """A figure of the dossier's statistics, as a number (`_stat` gives its text)."""
    return int(_stat(d, label).split("/")[0])


def _when(item: ItemRef, published: str = "", collected: str = "") -> str:
    day = published or item.published
    if day:
        return f"publié le {day}"
    day = collected or item.collected
    return f"collecté le {day}" if day else ""


def _source_line(source: str, when: str) -> str:
    return " — ".join(p for p in (f"Source : {source}" if source else "", when) if p)


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _name(person: str) -> str:
    """« Hélène Garnier <helene@…> (tutrice en entreprise) » → « Hélène Garnier (tutrice en
    entreprise) »."""
    return re.sub(r"\s*<[^>]*>", "", person).strip()


# --- the sections ------------------------------------------------------------------------------

S_INTRO = "Introduction"
S_PLAN = "Plan de veille"
S_METHOD = "Méthode et outils"
S_RESULTS = "Résultats par axe"
S_LEGAL = "Veille juridique et normative"
S_ACTIONS = "Propositions d'action"
S_CHECK = "Vérification de l'information"
S_TEAM = "Qui a fait quoi"
S_END = "Conclusion et questions"
SECTIONS = (S_INTRO, S_PLAN, S_METHOD, S_RESULTS, S_LEGAL, S_ACTIONS, S_CHECK, S_TEAM, S_END)


def _cover(d: Dossier) -> Slide:
    c = d.cover
    boxes: list[Box] = [
        Band(Frame(0, 0, SLIDE_W, 3.55), NAVY),
        Band(Frame(MARGIN, 3.32, 1.6, 0.08), ORANGE),
    ]
    kicker = "Bloc 1 — Présentation orale des résultats de la veille"
    boxes.append(
        TextBox(
            Frame(MARGIN, 0.45, CONTENT_W, 0.5),
            (
                Para(
                    clip(kicker, CONTENT_W - 0.2, SMALL_SIZE + 2, 1),
                    SMALL_SIZE + 2,
                    -1,
                    True,
                    "F4B183",
                ),
            ),
            "kicker",
        )
    )
    title_frame = Frame(MARGIN, 1.0, CONTENT_W, 2.2)
    title = clip(c.watch_name, title_frame.inner_w, COVER_TITLE_SIZE, 2)
    boxes.append(
        TextBox(
            title_frame,
            (Para(title, COVER_TITLE_SIZE, -1, True, WHITE),),
            "cover-title",
            anchor="bottom",
        )
    )
    info = Frame(MARGIN, 3.75, CONTENT_W, 3.1)
    paras = [
        Para(clip(f"{c.group_name} — période {c.period}", info.inner_w, 22, 2), 22, -1, True, NAVY)
    ]
    people = [
        Para(
            clip(f"{m.name}{f' — {m.role}' if m.role else ''}", info.inner_w - 0.35, BODY_SIZE, 1),
            BODY_SIZE,
            0,
        )
        for m in c.members
    ]
    if c.tutor:
        people.append(
            Para(
                clip(f"{c.tutor.name} — {c.tutor.role}", info.inner_w - 0.35, DETAIL_SIZE, 1),
                DETAIL_SIZE,
                1,
                False,
                GREY,
            )
        )
    for para in people:
        if paras_height([*paras, para], info.inner_w) > info.inner_h * 72:
            break
        paras.append(para)
    boxes.append(TextBox(info, tuple(paras), "cover"))
    members = ", ".join(m.name for m in c.members) or "le groupe"
    notes = (
        f"Présentez le groupe ({members}), le rôle de chacun dans la veille, la période couverte "
        f"({c.period}) et le sujet de la veille : « {c.watch_name} »."
    )
    return Slide("couverture", S_INTRO, c.watch_name, tuple(boxes), notes, 1.0)


def _agenda_slide(parts: Sequence[Part], minutes: int) -> Slide:
    groups = []
    for part in parts:
        who = ", ".join(part.presenters)
        groups.append(
            [
                Para(f"{part.title} — {_duration(part.seconds)}", BODY_SIZE, 0),
                Para(
                    " · ".join(
                        p for p in (", ".join(part.competences), who and f"présenté par {who}") if p
                    ),
                    DETAIL_SIZE,
                    1,
                    False,
                    GREY,
                ),
            ]
        )
    # two columns: the agenda never needs a second slide
    half = math.ceil(len(groups) / 2)
    left = Frame(MARGIN, BODY_FRAME.y, CONTENT_W / 2 - 0.1, BODY_FRAME.h)
    right = Frame(MARGIN + CONTENT_W / 2 + 0.1, BODY_FRAME.y, CONTENT_W / 2 - 0.1, BODY_FRAME.h)
    boxes = []
    for frame, chunk in ((left, groups[:half]), (right, groups[half:])):
        paras = [
            replace(p, text=clip(p.text, frame.inner_w - p.indent, p.size, 2))
            for g in chunk
            for p in g
        ]
        boxes.append(TextBox(frame, tuple(paras)))
    return make_slide(
        "deroule",
        S_INTRO,
        f"Déroulé de la présentation ({minutes} min)",
        boxes,
        "Annoncez le plan et qui présente chaque partie : chacun prend la parole à son tour.",
        0.8,
    )


def _plan_slides(d: Dossier) -> list[Slide]:
    groups = []
    for axis in d.needs.axes:
        groups.append(
            [
                Para(
                    f"{axis.label} — "
                    f"{_plural(axis.collected, 'article collecté', 'articles collectés')}, "
                    f"{counted(axis.retained, 'retenu')}",
                    BODY_SIZE,
                    0,
                    True,
                ),
                *(
                    [Para(_keywords(axis.keywords), DETAIL_SIZE, 1, False, GREY)]
                    if axis.keywords
                    else []
                ),
                *[
                    Para(f"Équation : {equation}", DETAIL_SIZE, 1, False, NAVY)
                    for equation in axis.equations
                ],
                *(
                    [Para(f"Thèmes PESTEL : {', '.join(axis.topics)}", DETAIL_SIZE, 1, False, GREY)]
                    if axis.topics
                    else []
                ),
                Para(f"Responsable : {axis.owner}", DETAIL_SIZE, 1, False, GREY),
            ]
        )
    equations = sum(len(a.equations) for a in d.needs.axes)
    slides = bullet_slides(
        "plan-axes",
        S_PLAN,
        "Les axes de la veille et les équations de recherche",
        groups,
        f"Expliquez les {len(d.needs.axes)} axes retenus pour la veille, à quelles questions de "
        f"l'entreprise ils répondent, et "
        + (
            "leurs mots-clés"
            if not equations
            else "leur équation de recherche"
            if equations == 1
            else f"leurs {equations} équations de recherche"
        )
        + " : comment les mots-clés ont été choisis et combinés (ET, OU, SAUF).",
        2.0,
        ("C1", "C2", "C3"),
    )
    kinds = {"Flux": 0, "Page": 1, "Plan": 2}
    rows = sorted(
        d.sources, key=lambda s: (kinds.get(s.kind.split()[0], 9), s.level != "primaire", s.name)
    )
    columns = (
        Column("Source", 3.4, 2),
        Column("Nature", 2.3, 2),
        Column("Niveau", 1.7, 1),
        Column("Axes", 2.4, 2),
        Column("VERIF", 2.3, 2),
    )
    table_rows = []
    for s in rows:
        verif = (
            f"{s.total}/15 ({'-'.join(str(v) for v in s.criteria)})" if s.criteria else "non notée"
        )
        table_rows.append(
            (
                Cell(s.name, s.url),
                Cell(_short_kind(s.kind)),
                Cell(s.level),
                Cell(s.axes),
                Cell(verif, bold=s.total is not None and s.total >= 12),
            )
        )
    primary = sum(1 for s in d.sources if s.level == "primaire")
    lead = (
        f"{_plural(len(d.sources), 'source', 'sources')} : {counted(primary, 'primaire')}, "
        f"{counted(len(d.sources) - primary, 'secondaire')} ; "
        f"{counted(d.sources_rated, 'notée')} sur 15 "
        "(VERIF : F-V-E-I-R, de 0 à 3 chacun)."
    )
    rated = [s for s in d.sources if s.total is not None]
    best = max(rated, key=lambda s: (s.total or 0, s.name), default=None)
    worst = min(rated, key=lambda s: (s.total or 0, s.name), default=None)
    notes = (
        "Présentez le sourcing : pourquoi ces sources, la différence entre source primaire et "
        "secondaire, et la grille VERIF."
        + (
            f" La mieux notée : {best.name} ({best.total}/15) ; la moins bien notée : "
            f"{worst.name} ({worst.total}/15)."
            if best and worst and best is not worst
            else ""
        )
    )
    slides += table_slides(
        "plan-sources",
        S_PLAN,
        "Les sources, leur nature et leur fiabilité (VERIF)",
        columns,
        table_rows,
        notes,
        2.0,
        ("C5",),
        lead,
    )
    return slides


def _keywords(keywords: Sequence[str]) -> str:
    """« Mots-clés : a, b, c… » on one line (the full list is in the dossier's plan)."""
    width = BODY_FRAME.inner_w - 0.35
    shown: list[str] = []
    for word in keywords:
        candidate = "Mots-clés : " + ", ".join([*shown, word])
        more = len(keywords) - len(shown) - 1
        if len(wrap(candidate + (f" (+{more})" if more else ""), width, DETAIL_SIZE)) > 1:
            break
        shown.append(word)
    rest = len(keywords) - len(shown)
    return "Mots-clés : " + ", ".join(shown) + (f" (+{rest})" if rest else "")


def _short_kind(kind: str) -> str:
    if kind.startswith("Flux"):
        return "Flux RSS/Atom"
    if kind.startswith("Page surveillée"):
        return "Page surveillée"
    if kind.startswith("Page"):
        return "Page web (robot)"
    if kind.startswith("Plan"):
        return "Plan de site"
    return kind


def _stat(d: Dossier, label: str) -> str:
    return next((value for name, value in d.bilan.stats if name == label), "0")


def _method_slides(d: Dossier, has_axis_chart: bool) -> list[Slide]:
    tools, diffusion = d.tools, d.diffusion
    frequencies = sorted({f for _, _, f in tools.schedules}, key=_frequency_order)
    runs = int(tools.stats[0][1]) if tools.stats else 0
    kinds = ", ".join(f"{count} × {_short_kind(label)}" for label, count in tools.kinds)
    sent, published = diffusion.mailed(), diffusion.published_only()
    recipients = [_name(r) for r in diffusion.recipients]
    groups = [
        [
            Para(
                f"{_plural(len(d.sources), 'source suivie', 'sources suivies')} : {kinds}",
                BODY_SIZE,
                0,
            ),
            Para(
                "Collecte automatique "
                + (
                    f"de « {frequencies[0]} » à « {frequencies[-1]} »"
                    if len(frequencies) > 1
                    else f"« {frequencies[0]} »"
                    if frequencies
                    else "non planifiée"
                )
                + f" ; {counted(runs, 'passage')} du robot sur la période",
                DETAIL_SIZE,
                1,
                False,
                GREY,
            ),
        ],
        [
            Para(
                f"{counted(_n(d, 'Articles collectés'), *COLLECTED)}, "
                f"{counted(_n(d, 'Articles retenus'), 'retenu')}, "
                f"{counted(_n(d, 'Articles rejetés (avec motif)'), 'rejeté')} avec un motif, "
                f"{counted(_n(d, 'Articles non triés'), 'non trié', 'non triés')}",
                BODY_SIZE,
                0,
            ),
            Para(
                f"{counted(_n(d, 'Fiches de veille'), 'fiche de veille', 'fiches de veille')} "
                f"(QQOQCP), {counted(_n(d, 'Actions proposées'), *PROPOSED)} ; analyse "
                "automatique : "
                "entités, axes, thèmes PESTEL, textes juridiques",
                DETAIL_SIZE,
                1,
                False,
                GREY,
            ),
        ],
        [
            Para(
                f"Synthèse hebdomadaire {diffusion.schedule} : {diffusion.with_digest}/"
                f"{diffusion.expected} {plural(diffusion.with_digest, *COVERED)}, "
                f"{counted(len(sent), 'envoyée')} par courriel"
                + (f", {counted(len(published), 'publiée')} sans envoi" if published else ""),
                BODY_SIZE,
                0,
            ),
            Para(
                "Destinataires : " + (", ".join(recipients) if recipients else "aucun"),
                DETAIL_SIZE,
                1,
                False,
                GREY,
            ),
        ],
        [
            Para(
                "Mise à disposition : archive des synthèses, recherche plein texte, "
                + _plural(
                    len(tools.saved_searches), "recherche enregistrée", "recherches enregistrées"
                ),
                BODY_SIZE,
                0,
            ),
            Para(
                "Exports : dossier DOCX/PDF, tableur XLSX (plan, sources, références), flux "
                "RSS/OPML du groupe",
                DETAIL_SIZE,
                1,
                False,
                GREY,
            ),
        ],
    ]
    slides = bullet_slides(
        "methode",
        S_METHOD,
        "Comment la veille a fonctionné",
        groups,
        "Montrez l'outillage : collecte automatique et sa fréquence, tri des articles par le "
        "groupe, fiches de veille, synthèse de chaque semaine et ses destinataires. Insistez sur "
        "la régularité : les semaines comptent la date de collecte, pas celle de publication.",
        2.0,
        ("C4", "C6", "C7"),
    )
    b = d.bilan
    rejected = b.rejected_week or tuple(0 for _ in b.weeks)
    digests = {w.week: w for w in diffusion.weeks}
    rows = []
    for n, week in enumerate(b.weeks):
        status = digests[week].status if week in digests else ""
        rows.append(
            (
                Cell(_week_span(week)),
                Cell(str(b.collected_week[n])),
                Cell(str(b.retained_week[n])),
                Cell(str(rejected[n])),
                Cell(status),
            )
        )
    columns = (
        Column("Semaine de collecte", 3.3, 1),
        Column("Collectés", 1.5, 1),
        Column("Retenus", 1.4, 1),
        Column("Rejetés", 1.4, 1),
        Column("Synthèse de la semaine", 4.5, 2),
    )
    active = sum(1 for c in b.collected_week if c)
    slides += table_slides(
        "collecte-semaines",
        S_METHOD,
        "Collecte, tri et diffusion semaine par semaine",
        columns,
        rows,
        f"Commentez la régularité : {active}/{len(b.weeks)} {plural(active, 'semaine')} avec des "
        "articles "
        "collectés ; le tri (retenus, rejetés) compte les articles collectés cette semaine-là.",
        1.5,
        ("C4", "C6"),
    )
    if has_axis_chart:
        slides.append(
            image_slide(
                "graphique-axes",
                S_METHOD,
                "Articles collectés par axe et par semaine",
                "axes-semaines",
                "Par semaine de collecte (pas de publication) ; un article peut relever de "
                "plusieurs axes.",
                AXIS_CHART_ASPECT,
                "Faites lire le graphique : quels axes ont le plus alimenté la veille, les "
                "semaines creuses et leur explication.",
                1.2,
                ("C4", "C3"),
            )
        )
    return slides


def _week_span(week: str) -> str:
    """« 2026-W37 » → « S37 : 07/09 – 13/09 »."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    sunday = monday + timedelta(days=6)
    return f"S{number} : {monday:%d/%m} – {sunday:%d/%m}"


def _frequency_order(label: str) -> float:
    number = re.search(r"\d+", label)
    n = float(number.group(0)) if number else 1.0
    for unit, seconds in (
        ("min", 60),
        (" s", 1),
        ("h", 3600),
        ("heure", 3600),
        ("jour", 86400),
        ("semaine", 604800),
    ):
        if unit in label:
            return n * seconds
    return n


def _finding(fiche: FicheView) -> list[Para]:
    head = fiche.summary.strip() or fiche.item.title
    paras = [Para(head, BODY_SIZE, 0)]
    if fiche.summary.strip():
        paras.append(Para(f"« {fiche.item.title} »", DETAIL_SIZE, 1, False, GREY, fiche.item.url))
    paras.append(
        Para(
            _source_line(fiche.item.source, _when(fiche.item, fiche.published, fiche.collected)),
            DETAIL_SIZE,
            1,
            False,
            GREY,
        )
    )
    if fiche.importance.strip():
        paras.append(Para(f"Pour nous : {fiche.importance.strip()}", DETAIL_SIZE, 1, False, NAVY))
    return paras


def _retained(item: ItemRef) -> list[Para]:
    return [
        Para(item.title, BODY_SIZE, 0, False, INK, item.url),
        Para(_source_line(item.source, _when(item)), DETAIL_SIZE, 1, False, GREY),
    ]


def _axis_slides(d: Dossier, axis: AxisResults, owner: str) -> list[Slide]:
    groups = [_finding(f) for f in axis.fiches if f.status != "rejeté"]
    groups += [_retained(item) for item in axis.retained_without_fiche]
    lead = [
        Para(
            f"{_plural(axis.collected, 'article collecté', 'articles collectés')}, "
            f"{counted(axis.retained, 'retenu')}, "
            + _plural(len(axis.fiches), "fiche de veille", "fiches de veille"),
            DETAIL_SIZE,
            -1,
            True,
            ORANGE,
        )
    ]
    if not groups:
        empty = (
            "L'article retenu sur cet axe relève d'abord d'un autre axe : il est présenté avec lui."
            if axis.retained == 1
            else f"Les {axis.retained} articles retenus sur cet axe relèvent d'abord d'un autre "
            "axe : ils sont présentés avec lui."
            if axis.retained
            else "Aucun article retenu sur cet axe pendant la période"
            + (" : aucun article collecté." if not axis.collected else ".")
        )
        advice = (
            "À expliquer au jury : sources à ajouter ou mots-clés à revoir (voir le bilan du "
            "dossier écrit)."
        )
        groups = [
            [Para(empty, BODY_SIZE, 0)]
            + ([] if axis.retained else [Para(advice, DETAIL_SIZE, 1, False, GREY)])
        ]
    titles = ", ".join(f"« {f.item.title} »" for f in axis.fiches[:2])
    notes = (
        f"Axe « {axis.label} » : présentez les résultats clés, chacun avec sa source et sa date"
        + (f", en commençant par {titles}" if titles else "")
        + ". Dites ce que chaque information change pour l'entreprise."
    )
    slides = bullet_slides(
        f"axe-{axis.id}",
        S_RESULTS,
        f"Axe {axis.label} : les résultats clés",
        groups,
        notes,
        2.5,
        ("C1", "C3"),
        lead,
    )
    return [replace(s, presenter=owner) for s in slides]


# the impact of a text no fiche of the group describes: said plainly as the group's to write,
# like the dossier's « À compléter par le groupe »
TO_WRITE_IMPACT = "À rédiger par le groupe (aucune fiche) : ce que ce texte impose à l'entreprise."


def _legal_slides(d: Dossier) -> list[Slide]:
    impact: dict[int, str] = {}
    for axis in d.results:
        for fiche in axis.fiches:
            text = fiche.importance.strip() or fiche.action.strip()
            if text:
                impact[fiche.item.id] = text
    rows = []
    ordered = sorted(
        d.legal, key=lambda r: (not r.retained, not any(i.id in impact for i in r.items))
    )
    for ref in ordered:
        change = next((impact[i.id] for i in ref.items if i.id in impact), "")
        if not change:  # no fiche says it: what the group has to write, not a look-alike answer
            change = TO_WRITE_IMPACT
        link = f"{_host(ref.url)}{' (officiel)' if ref.official else ''}" if ref.url else "—"
        rows.append(
            (
                Cell(ref.citation, ref.url),
                Cell(ref.nature),
                Cell(link, ref.url),
                Cell(change),
            )
        )
    columns = (
        Column("Texte ou norme", 3.5, 3),
        Column("Nature", 2.1, 2),
        Column("Lien", 2.35, 2),
        Column("Ce que cela change pour l'entreprise", 4.15, 3),
    )
    official = sum(1 for r in d.legal if r.official)
    notes = (
        f"{counted(len(d.legal), 'texte ou norme repéré', 'textes ou normes repérés')}, dont "
        f"{official} avec un lien officiel "
        "(Légifrance, EUR-Lex). Pour chacun : sa nature, sa date, et ce qu'il change pour "
        "l'entreprise (obligations, délais, risques de sanction)."
    )
    if not rows:
        return bullet_slides(
            "textes",
            S_LEGAL,
            "Textes juridiques et normatifs de la période",
            [
                [
                    Para(
                        "Aucun texte juridique ni aucune norme repéré dans les articles de la "
                        "période.",
                        BODY_SIZE,
                        0,
                    )
                ]
            ],
            notes,
            1.5,
            ("C2",),
        )
    return table_slides(
        "textes",
        S_LEGAL,
        "Textes juridiques et normatifs de la période",
        columns,
        rows,
        notes,
        2.5,
        ("C2",),
        f"{_plural(len(d.legal), 'référence', 'références')}, citées en style Ref-Lex ; "
        f"{official} avec un lien officiel.",
    )


def _action_slides(d: Dossier) -> list[Slide]:
    notes = (
        "Présentez les actions que la veille a fait naître : pour chacune, le constat qui la "
        "justifie, son responsable et son échéance."
    )
    if not d.actions:
        return bullet_slides(
            "actions",
            S_ACTIONS,
            "Actions proposées",
            [
                [
                    Para(
                        "Aucune action proposée dans les fiches de veille de la période.",
                        BODY_SIZE,
                        0,
                    )
                ]
            ],
            notes,
            1.0,
            ("C1",),
        )
    columns = (
        Column("Action proposée", 5.4, 3),
        Column("Responsable", 2.45, 2),
        Column("Échéance", 1.6, 1),
        Column("Suivi", 2.65, 2),
    )
    rows = [
        (
            Cell(a.action + (f" (axe {a.axis})" if a.axis else "")),
            Cell(a.owner),
            Cell(a.deadline or "—"),
            Cell(a.status),
        )
        for a in d.actions
    ]
    return table_slides(
        "actions", S_ACTIONS, "Actions proposées", columns, rows, notes, 2.0, ("C1",)
    )


def _evolution(first: float, last: float, unlike: bool = False) -> str:
    """« +8 % », « −10 % », « = » (a price back where it started): the period's change; « — »
    between `unlike` prices (« 1 299,00 € » and « 29,99 €/mois »)."""
    if unlike:
        return "—"
    if not first or first == last:
        return "=" if first == last else "—"
    percent = round((last - first) / first * 100)
    sign = "−" if percent < 0 else "+"
    return f"{sign}{number_fr(abs(percent))} %"


def _period(price: str) -> str:
    """« mois » of « 29,99 €/mois »; "" for a price paid once."""
    return price.rpartition("/")[2] if "/" in price else ""


def _price_slides(d: Dossier) -> list[Slide]:
    """The competitors' prices the watched pages showed (the dossier's price history, C1): a
    row per page whose price changed in the period or that is gone (a note under the table
    says so, as the dossier does); none without such a page."""
    changed = [h for h in d.prices if h.changes or h.gone]
    if not changed:
        return []
    gone = [h for h in changed if h.gone]
    columns = (
        Column("Page surveillée", 3.9, 2),
        Column("Prix au début", 2.0, 1),
        Column("Prix à la fin", 2.0, 1),
        Column("Évolution", 1.9, 1),
        Column("Changements", 2.3, 1),
    )
    rows = [
        (
            Cell(h.product),
            Cell(h.points[0].price),
            Cell(h.points[-1].price),
            Cell(
                _evolution(
                    h.points[0].amount,
                    h.points[-1].amount,
                    _period(h.points[0].price) != _period(h.points[-1].price),
                )
            ),
            Cell(str(h.changes)),
        )
        for h in changed
    ]
    notes = (
        "Montrez ce que la surveillance des pages des concurrents a relevé : le prix au début "
        "et à la fin de la période, et combien de fois il a changé (le détail, date par date, "
        "est dans le dossier écrit). Dites ce que le groupe en conclut : alignement, "
        "promotion, action proposée."
    )
    if gone:
        notes += (
            " Dites aussi quelle page ne répond plus : son dernier prix relevé n'est plus en "
            "ligne (offre retirée, ou page déplacée à retrouver)."
        )
    return table_slides(
        "prix",
        S_ACTIONS,
        "Veille concurrentielle : les prix des concurrents",
        columns,
        rows,
        notes,
        1.0,
        ("C1",),
        foot=[f"{h.product} — {h.gone}." for h in gone],
    )


def _check_slides(d: Dossier, has_rating_chart: bool) -> list[Slide]:
    fiches = [f for a in d.results for f in a.fiches]
    crossed = [f for f in fiches if f.crosscheck]
    groups: list[list[Para]] = [
        [
            Para(
                f"Recoupements : {len(crossed)}/{len(fiches)} "
                f"{plural(len(crossed), 'fiche confirmée', 'fiches confirmées')} par une "
                "seconde source",
                BODY_SIZE,
                0,
                True,
            ),
            *[
                Para(
                    f"« {f.item.title} »{f.item.source_note} — confirmé par « "
                    f"{f.crosscheck.title} »{f.crosscheck.source_note}",
                    DETAIL_SIZE,
                    1,
                    False,
                    GREY,
                )
                for f in crossed[:3]
                if f.crosscheck
            ],
        ]
    ]
    reasons = d.bilan.rejection_reasons
    rejected = sum(n for _, n in reasons)
    groups.append(
        [
            Para(
                f"Articles écartés : {counted(rejected, 'rejeté')} avec un motif",
                BODY_SIZE,
                0,
                True,
            ),
            *(
                [
                    Para(
                        "Motifs : " + ", ".join(f"{reason} ({n})" for reason, n in reasons),
                        DETAIL_SIZE,
                        1,
                        False,
                        GREY,
                    )
                ]
                if reasons
                else []
            ),
        ]
    )
    doubtful = []
    for s in d.sources:
        if s.failures or s.state.startswith(("en échec", "jamais")):
            doubtful.append(f"{s.name} : {s.state}")
        elif s.total is None:
            doubtful.append(f"{s.name} : non notée sur la grille VERIF")
        elif s.total < 10:
            doubtful.append(f"{s.name} : {s.total}/15, à recouper systématiquement")
    groups.append(
        [
            Para(
                f"Sources écartées ou sous surveillance : {len(doubtful)}",
                BODY_SIZE,
                0,
                True,
            ),
            *[Para(text, DETAIL_SIZE, 1, False, GREY) for text in doubtful],
        ]
    )
    slides = bullet_slides(
        "verification",
        S_CHECK,
        "Vérification : recoupements et sources écartées",
        groups,
        "Expliquez comment une information est vérifiée avant d'être diffusée : source "
        "primaire, recoupement par une seconde source, grille VERIF, et pourquoi des articles "
        "et des sources ont été écartés.",
        2.0,
        ("C5",),
    )
    if has_rating_chart:
        slides.append(
            image_slide(
                "graphique-fiabilite",
                S_CHECK,
                "Fiabilité des sources (grille VERIF)",
                "fiabilite-sources",
                "Note VERIF sur 15 de chaque source ; en gris, les sources non notées.",
                RATING_CHART_ASPECT,
                "Commentez la fiabilité : quelles sources font foi, lesquelles demandent un "
                "recoupement.",
                1.2,
                ("C5",),
            )
        )
    return slides


def _count(contribution_counts: Iterable[tuple[str, int]], action: str) -> int:
    label = ACTION_LABELS[action]
    return sum(n for name, n in contribution_counts if name == label)


def _team_slide(
    d: Dossier, speaking: Sequence[tuple[str, int]], parts: Sequence[Part]
) -> list[Slide]:
    spoken = dict(speaking)
    rows = []
    for c in d.contributions:
        if not c.member:
            continue
        presented = [p.title for p in parts if c.name in p.presenters]
        rows.append(
            (
                Cell(c.name, bold=True),
                Cell(c.role or "—"),
                Cell(
                    f"{counted(_count(c.counts, 'retain'), 'retenu')}, "
                    f"{counted(_count(c.counts, 'reject'), 'rejeté')}, "
                    f"{counted(_count(c.counts, 'fiche'), 'fiche')} — "
                    f"{counted(c.total, 'opération')}"
                ),
                Cell(
                    (", ".join(presented) or "—")
                    + (f" ({_duration(spoken[c.name])})" if c.name in spoken else "")
                ),
            )
        )
    columns = (
        Column("Membre", 2.2, 2),
        Column("Rôle", 2.4, 3),
        Column("Contribution (journal)", 3.4, 3),
        Column("Présente à l'oral", 4.1, 4),
    )
    total = sum(c.total for c in d.contributions if c.member)
    notes = (
        f"Chacun dit ce qu'il a fait : {counted(total, 'opération')} de tri et de fiches au "
        "journal des "
        "contributions, réparties comme le montre le tableau."
    )
    return table_slides("equipe", S_TEAM, "Qui a fait quoi", columns, rows, notes, 1.5, ("C7",))


def _questions_slide(d: Dossier) -> Slide:
    frame = Frame(MARGIN, 2.2, CONTENT_W, 4.4)
    paras = (
        Para(
            f"{counted(_n(d, 'Articles collectés'), 'article collecté', 'articles collectés')} · "
            f"{counted(_n(d, 'Articles retenus'), 'retenu')} · {counted(d.fiche_count, 'fiche')} · "
            f"{counted(len(d.legal), 'texte et norme', 'textes et normes')} · "
            f"{counted(len(d.actions), *PROPOSED)}",
            22,
            -1,
            True,
            NAVY,
        ),
        Para(
            f"Synthèses : {d.diffusion.with_digest}/{d.diffusion.expected} "
            f"{plural(d.diffusion.with_digest, 'semaine')} ; sources : "
            f"{_stat(d, 'Sources qui fonctionnent')} "
            f"{plural(_n(d, 'Sources qui fonctionnent'), 'fonctionne', 'fonctionnent')}.",
            BODY_SIZE,
            -1,
            False,
            GREY,
        ),
        Para(
            "Le dossier écrit détaille chaque point : plan de veille, grille des sources, fiches, "
            "textes, actions, journal des contributions.",
            BODY_SIZE,
            -1,
            False,
            GREY,
        ),
    )
    return make_slide(
        "questions",
        S_END,
        "Merci de votre attention — vos questions ?",
        (
            TextBox(
                frame, tuple(replace(p, text=clip(p.text, frame.inner_w, p.size, 3)) for p in paras)
            ),
        ),
        "Concluez en une phrase sur ce que la veille a apporté, puis ouvrez aux questions du "
        "jury : chacun répond sur sa partie.",
        1.0,
    )


def with_code(plan: OralPlan, code: str) -> OralPlan:
    """The deck with the verification code of its signed manifest on the title slide, at the
    bottom (where other slides have their footer), as on the dossier's cover."""
    box = TextBox(
        FOOTER_FRAME,
        (Para(f"Code de vérification : {code} (watcher verify)", SMALL_SIZE, -1, False, GREY),),
        "code",
    )
    slides = tuple(
        replace(s, boxes=(*s.boxes, box)) if s.key == "couverture" else s for s in plan.slides
    )
    return replace(plan, slides=slides)


# --- timing and presenters ---------------------------------------------------------------------


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest:02d} s" if rest else "")


def allocate(weights: Sequence[float], total_seconds: int) -> list[int]:
    """Seconds per slide, in quarter minutes, proportional to the weights (largest remainders),
    at least one quarter each, adding up to `total_seconds` exactly."""
    units = total_seconds // QUARTER
    if units < len(weights) or total_seconds % QUARTER:
        raise BadValue(
            f"Budget trop court : {len(weights)} diapositives demandent au moins "
            f"{math.ceil(len(weights) * QUARTER / 60)} minutes (--minutes)."
        )
    spare = units - len(weights)
    total_weight = sum(weights) or 1.0
    shares = [spare * w / total_weight for w in weights]
    floors = [int(s) for s in shares]
    remainder = spare - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    return [(1 + f) * QUARTER for f in floors]


def _owner_member(owner: str, members: Sequence[str]) -> str:
    return next((m for m in members if owner.startswith(m)), "")


def _assign_presenters(slides: list[Slide], members: Sequence[str]) -> list[Slide]:
    """Axis slides to the member who answers for the axis; the intro to the first member; the
    questions to the whole group; every other slide to the member who has spoken least so far
    (a part stays with one presenter)."""
    if not members:
        return [replace(s, presenter="le groupe") for s in slides]
    spoken = dict.fromkeys(members, 0)
    for s in slides:
        if s.presenter in spoken:
            spoken[s.presenter] += s.seconds
    out = []
    by_part: dict[str, str] = {}
    for s in slides:
        if s.presenter:
            out.append(s)
            continue
        if s.section == S_END:
            out.append(replace(s, presenter="tout le groupe"))
            continue
        if s.section == S_INTRO:
            who = members[0]
        else:
            part = s.section if s.section != S_RESULTS else re.sub(r"-\d+$", "", s.key)
            who = by_part.get(part) or min(members, key=lambda m: (spoken[m], members.index(m)))
            by_part[part] = who
        spoken[who] += s.seconds
        out.append(replace(s, presenter=who))
    return out


def _parts(slides: Sequence[Slide]) -> list[Part]:
    parts: dict[str, Part] = {}
    for s in slides:
        seen = parts.get(s.section)
        presenters = (s.presenter,) if s.presenter else ()
        if seen is None:
            parts[s.section] = Part(s.section, s.competences, presenters, s.seconds)
            continue
        parts[s.section] = Part(
            s.section,
            tuple(dict.fromkeys((*seen.competences, *s.competences))),
            tuple(dict.fromkeys((*seen.presenters, *presenters))),
            seen.seconds + s.seconds,
        )
    return [parts[name] for name in SECTIONS if name in parts]


def _footer(slide: Slide, n: int, total: int, group: str) -> TextBox:
    text = clip(f"{group} · {slide.section}", CONTENT_W - 1.6, SMALL_SIZE, 1)
    return TextBox(
        FOOTER_FRAME,
        (Para(f"{text}    {n}/{total}", SMALL_SIZE, -1, False, GREY),),
        "footer",
    )


def _timed_notes(slide: Slide, start: int, minutes: int) -> str:
    return (
        f"Présenté par : {slide.presenter}\n"
        f"Temps prévu : {slide.seconds // 60} min {slide.seconds % 60:02d} s "
        f"(de {_clock(start)} à {_clock(start + slide.seconds)} sur {minutes} min)\n\n"
        f"{slide.notes}"
    )


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


# --- the plan ----------------------------------------------------------------------------------

AXIS_CHART_ASPECT = 7.5 / 3.3  # report.charts.SLIDE_FIGURE
RATING_CHART_ASPECT = 7.5 / 3.3


def plan_oral(
    d: Dossier, *, minutes: int = DEFAULT_MINUTES, charts: Sequence[str] = ()
) -> OralPlan:
    """The oral's slides for a group's dossier, timed to `minutes`. `charts`: the keys of the
    charts the renderer has (« axes-semaines », « fiabilite-sources »); a chart not given has
    no slide."""
    if minutes < 1:
        raise BadValue("La durée de la présentation (--minutes) doit être d'au moins 1 minute.")
    members = [m.name for m in d.cover.members]
    owners = {a.id: _owner_member(a.owner, members) for a in d.needs.axes}
    body: list[Slide] = [_cover(d)]
    body += _plan_slides(d)
    body += _method_slides(d, "axes-semaines" in charts)
    for axis in d.results:
        if axis.id == "hors-axe" and not axis.fiches and not axis.retained_without_fiche:
            continue
        body += _axis_slides(d, axis, owners.get(axis.id, ""))
    body += _legal_slides(d)
    body += _action_slides(d)
    body += _price_slides(d)
    body += _check_slides(d, "fiabilite-sources" in charts)
    # the agenda and the team slide are written once times and presenters are known: placed
    # now with their weights, filled in below
    slides = [body[0], _agenda_slide([], minutes), *body[1:]]
    slides.append(_team_slide(d, [], [])[0])
    slides.append(_questions_slide(d))
    seconds = allocate([s.weight for s in slides], minutes * 60)
    slides = [replace(s, seconds=t) for s, t in zip(slides, seconds, strict=True)]
    slides = _assign_presenters(slides, members)
    spoken: dict[str, int] = dict.fromkeys(members, 0)
    for s in slides:
        if s.presenter in spoken:
            spoken[s.presenter] += s.seconds
    speaking = tuple(spoken.items())
    parts = _parts(slides)
    for n, s in enumerate(slides):
        if s.key == "deroule":
            agenda = _agenda_slide(parts, minutes)
            slides[n] = replace(agenda, seconds=s.seconds, presenter=s.presenter)
        if s.key == "equipe":
            team = _team_slide(d, speaking, parts)[0]
            slides[n] = replace(team, seconds=s.seconds, presenter=s.presenter)
    total = len(slides)
    group = d.cover.group_name
    finished = []
    clock = 0
    for n, s in enumerate(slides, 1):
        boxes = s.boxes if s.key == "couverture" else (*s.boxes, _footer(s, n, total, group))
        finished.append(replace(s, boxes=boxes, notes=_timed_notes(s, clock, minutes)))
        clock += s.seconds
    used = tuple(
        dict.fromkeys(b.chart for s in finished for b in s.boxes if isinstance(b, ImageBox))
    )
    return OralPlan(
        title=f"{d.cover.watch_name} — {group}",
        group_name=group,
        period=d.cover.period,
        minutes=minutes,
        slides=tuple(finished),
        parts=tuple(_parts(finished)),
        charts=used,
        speaking=speaking,
    )
