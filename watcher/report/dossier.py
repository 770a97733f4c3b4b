"""A group's period → the context of its block-1 dossier (pure: no I/O, `now` is a parameter).

The outline follows domain.md §4.2: cover, needs and axes, plan de veille (per axis: keywords,
its sources, owner), the sources' table (one row per source: VERIF grid, tool and frequency, its
collection over the period and its state — the one listing of the sources besides the
sitography), tools, results per axis (fiches de veille), legal and normative texts, action
proposals, diffusion, bilan with statistics, annexes (contribution log per learner,
bibliography/sitography), and the
**evidence per competence** (§0.3): for each of the seven block-1 competences, what the watch shows,
with the items behind each fact. The evidence informs the evaluator; it never grades.

`watcher.jobs.dossier.gather` (the use case's read, shared by the CLI and the web layer) reads
the store and hands over a `DossierInput`; `build_dossier` turns it into a `Dossier` that
`watcher.report.export` renders.

Which items belong to the period: the group's live items **collected** in the period (the watch
was running). Weeks count **activity**: an item counts in the week it was collected (never in
the week it was published: a first crawl that brings back a month of articles is one week of
work, not four), and the group's tri and fiches in the week they were done. Publication dates
are shown only as such, labelled « publié le ». Every date is on the watch's wall clock
(`watch.timezone`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from watcher.changes import (
    CHANGE_KIND,
    PageVersion,
    Price,
    gone_note,
    gone_status,
    price_change,
)
from watcher.config import DAY_NAMES_FR, Axis, Group, Source, Watch
from watcher.dates import clock, day_short, week_fr, weeks_fr
from watcher.dates import date_fr as fr_date
from watcher.labels import (
    SOURCE_FAILING,
    SOURCE_IN_SERVICE,
    SOURCE_NEVER_COLLECTED,
    short_ref_label,
    tidy_name,
    tutor_role,
)
from watcher.model import (
    QQOQCP,
    Activity,
    Curation,
    Fiche,
    ItemView,
    Pinpoint,
    RefMention,
    SavedSearch,
    SourceState,
    articles_in_order,
)
from watcher.plural import counted, plural
from watcher.report.digest import IsoWeek, sent_late
from watcher.taxonomy import topic_labels, topic_specs
from watcher.text import fold

# Ref-Lex abbreviated months (reflex.sne.fr)
MONTHS_SHORT = {
    "janvier": "janv.",
    "février": "févr.",
    "mars": "mars",
    "avril": "avr.",
    "mai": "mai",
    "juin": "juin",
    "juillet": "juill.",
    "août": "août",
    "septembre": "sept.",
    "octobre": "oct.",
    "novembre": "nov.",
    "décembre": "déc.",
}
REF_NATURES = {
    "fr_text": "Texte français",
    "code_article": "Article de code",
    "nor": "Texte (NOR)",
    "legi_id": "Texte (Légifrance)",
    "eli": "Texte (ELI)",
    "eu_act": "Acte de l'Union européenne",
    "celex": "Acte de l'Union européenne",
    "standard": "Norme",
    "code": "Code",
    "fundamental": "Texte constitutionnel ou traité",
    "decision": "Décision (juridiction, autorité)",
}
LEGAL_KINDS = (
    "fr_text", "code_article", "nor", "legi_id", "eli", "eu_act", "celex", "fundamental", "code",
    "decision",
)  # fmt: skip
KIND_TOOLS = {
    "feed": "Flux RSS/Atom/JSON Feed (agrégateur)",
    "page": "Page web suivie par robot (liste + articles)",
    "sitemap": "Plan de site d'actualités (sitemap)",
    "monitor": "Page surveillée (détection des changements, prix)",
}
# the same, in a word: the sources' table names each source's tool (the tools section says more)
KIND_SHORT = {"feed": "flux", "page": "robot", "sitemap": "plan de site", "monitor": "page suivie"}
ACTION_LABELS = {
    "retain": "article retenu",
    "reject": "article rejeté (motivé)",
    "unsort": "article remis à trier",
    "fiche": "fiche de veille rédigée ou modifiée",
}
NEEDS_QUESTIONS = (
    "À qui s'adresse la veille ?",
    "Quels domaines ou problématiques comptent pour les décideurs ?",
    "Quelles incertitudes faut-il réduire ?",
    "Quelles décisions sont liées à ces domaines ?",
    "Quel type d'information faut-il ?",
)
TO_COMPLETE = "À compléter par le groupe."
COMPETENCES = (
    (
        "C1",
        "Organiser ou consulter une veille sur les marchés pour faire des propositions d'action",
    ),
    ("C2", "Organiser ou consulter une veille sur l'environnement législatif et normatif"),
    (
        "C3",
        "Rechercher et actualiser des informations sur l'environnement économique, juridique, "
        "social et culturel de l'activité de l'entreprise",
    ),
    (
        "C4",
        "Utiliser les outils bureautiques de traitement de textes, tableurs, internet pour une "
        "formalisation professionnelle des documents",
    ),
    (
        "C5",
        "Recueillir et vérifier les informations nécessaires à la mise en œuvre des plans d'action",
    ),
    (
        "C6",
        "Organiser la mise à disposition des informations pour contribuer à la performance de "
        "l'entreprise",
    ),
    ("C7", "Utiliser les logiciels en vigueur dans l'entreprise"),
)
EXPORT_FORMATS = ("html", "pdf", "docx", "xlsx")
_MARKET_RE = re.compile(r"concurr|march|commerc|client|produit|prix", re.IGNORECASE)
_LEGAL_RE = re.compile(r"jurid|r[ée]gl|l[ée]gi|legal|droit|norm", re.IGNORECASE)


# --- input ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestDelivery:
    """One weekly digest of the group and its delivery record."""

    week: str  # 2026-W45
    subject: str = ""
    collected: int | None = None
    shown: int | None = None
    retained: int | None = None
    rendered_at: datetime | None = None
    sent_at: datetime | None = None  # when it was first queued for delivery
    recipients: int = 0
    delivered: int = 0
    failed: int = 0
    waiting: int = 0
    path: str = ""  # the archived HTML file
    origin: str = "base"  # "base" (store_mail) | "archive" (reports/<group>/<week>.html)


@dataclass(frozen=True)
class CrawlCounts:
    attempts: int = 0
    new: int = 0
    updated: int = 0
    failures: int = 0


@dataclass(frozen=True)
class DossierInput:
    watch: Watch
    group_id: str
    start: date
    end: date  # inclusive
    now: datetime
    views: Sequence[ItemView]  # the group's items collected in the period
    extra_views: Sequence[ItemView] = ()  # items outside the period that fiches point to
    curations: Mapping[int, Curation] = field(default_factory=dict)
    fiches: Mapping[int, Fiche] = field(default_factory=dict)
    activity: Sequence[Activity] = ()
    source_states: Mapping[str, SourceState] = field(default_factory=dict)
    saved_searches: Sequence[SavedSearch] = ()
    digests: Sequence[DigestDelivery] = ()
    digest_origin: str = ""  # where the digests were read from (said in the dossier)
    crawl: Mapping[str, CrawlCounts] = field(default_factory=dict)  # "" = crawl runs
    topics: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id → (label, PESTEL)
    cluster_sizes: Mapping[int, int] = field(default_factory=dict)  # cluster id → live items
    archive: str = ""  # where the digests are archived (reports/<group>/)
    formats: tuple[str, ...] = EXPORT_FORMATS
    # the versions of the group's watched pages (kind: monitor), oldest first, per source id
    page_versions: Mapping[str, Sequence[PageVersion]] = field(default_factory=dict)
    # when the group's watch started: its first collected item (live), whenever it was; None
    # when not read (the period's first item or first digest stands for it)
    watch_started: datetime | None = None
    # watched pages failing now: when the first crawl that failed since their last success ran
    failing_since: Mapping[str, datetime] = field(default_factory=dict)


# --- output -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRef:
    id: int
    title: str
    url: str
    source: str
    anchor: str = ""  # "fiche-12" when the dossier has a fiche for it
    published: str = ""  # dd/mm/yyyy on the watch's clock ("" when the source gives none)
    collected: str = ""  # dd/mm/yyyy: the day Watcher first collected it
    change: bool = False  # a watched page's change: its title « Modification : <page> »

    @property
    def source_note(self) -> str:
        """« (Source) » after the title in a list, or nothing for a watched page's change whose
        title already names its source, the page itself."""
        if not self.source or (self.change and self.source in self.title):
            return ""
        return f" ({self.source})"


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    role: str = ""


@dataclass(frozen=True)
class Cover:
    title: str
    watch_name: str
    group_id: str
    group_name: str
    members: tuple[Person, ...]
    tutor: Person | None
    period: str
    generated: str
    timezone: str = "Europe/Paris"  # every date and time of the dossier is on this clock


@dataclass(frozen=True)
class AxisNeed:
    id: str
    label: str
    keywords: tuple[str, ...]
    equations: tuple[str, ...]
    owner: str
    collected: int
    retained: int
    topics: tuple[str, ...] = ()  # labels of the PESTEL topics or dimensions tied to the axis


@dataclass(frozen=True)
class Needs:
    questions: tuple[tuple[str, str], ...]  # (question, answer or "À compléter")
    axes: tuple[AxisNeed, ...]
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class PlanRow:
    axis: str
    keywords: str
    source: str
    url: str
    level: str
    rating: str
    frequency: str
    tool: str
    owner: str
    recipients: str
    source_id: str = ""  # "" on an axis's « aucune source » row


@dataclass(frozen=True)
class SourceRow:
    """A source as the dossier shows it, once: its VERIF grid, how it is read and how its
    collection went over the period (the sources' table says both, issue 24)."""

    id: str
    name: str
    url: str
    kind: str  # the tool, in full (KIND_TOOLS)
    level: str
    axes: str
    criteria: tuple[int, int, int, int, int] | None  # F V E I R (VERIF order below)
    total: int | None
    collected: int
    retained: int
    state: str
    last_success: str
    failures: int  # consecutive, as of now
    tool: str = ""  # the tool, in a word (KIND_SHORT)
    frequency: str = ""
    attempts: int = 0  # the collections of the period
    failed_attempts: int = 0  # of which failed
    ok: bool = False
    watched: bool = False  # a watched page: what it brings are its changes, not articles

    @property
    def rating(self) -> str:
        return f"{self.total}/15" if self.total is not None else "non notée"

    @property
    def unit(self) -> str:
        """What its counts count: articles, or a watched page's changes detected."""
        return "changements détectés" if self.watched else "articles"

    @property
    def counts(self) -> str:
        """« 2 / 5 articles », « 1 / 3 changements » (retained / collected)."""
        words = ("changement", "changements") if self.watched else ("article", "articles")
        return f"{self.retained} / {self.collected} {plural(self.collected, *words)}"


VERIF_HEADERS = (
    ("fiabilite", "Fiabilité (autorité)"),
    ("validite", "Validité (actualité)"),
    ("exactitude", "Exactitude"),
    ("intention", "Intention"),
    ("pertinence", "Reliée au sujet"),
)


@dataclass(frozen=True)
class Tools:
    schedules: tuple[tuple[str, str, str], ...]  # (source, tool, frequency)
    kinds: tuple[tuple[str, int], ...]
    digest_schedule: str
    saved_searches: tuple[tuple[str, str, str], ...]  # (name, query, created)
    stats: tuple[tuple[str, str], ...]

    def schedules_by_tool(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """The schedules grouped by tool and frequency, in their order: (tool, frequency,
        sources). The PDF shows these few rows rather than one row per source (issue 24)."""
        groups: dict[tuple[str, str], list[str]] = {}
        for source, tool, frequency in self.schedules:
            groups.setdefault((tool, frequency), []).append(source)
        return tuple((tool, freq, tuple(names)) for (tool, freq), names in groups.items())


@dataclass(frozen=True)
class FicheView:
    item: ItemRef
    anchor: str
    axis: str
    author: str
    published: str
    collected: str
    level: str
    rating: str
    qqoqcp: tuple[tuple[str, str], ...]
    summary: str
    importance: str
    action: str
    action_owner: str
    action_deadline: str
    crosscheck: ItemRef | None
    references: tuple[str, ...]
    keywords: tuple[str, ...]
    status: str  # retenu | rejeté | non trié
    written_by: str
    updated: str


@dataclass(frozen=True)
class AxisResults:
    id: str
    label: str
    collected: int
    retained: int  # the retained items that match this axis, wherever they are shown
    fiches: tuple[FicheView, ...]
    retained_without_fiche: tuple[ItemRef, ...]
    retained_elsewhere: int = 0  # of `retained`, those shown under another axis (their own)

    @property
    def elsewhere_note(self) -> str:
        """Why fewer retained items are shown under the axis than it counts ("" when none)."""
        n = self.retained_elsewhere
        if not n:
            return ""
        if n == self.retained == 1:
            return "Le seul article retenu est présenté sous un autre axe dont il relève aussi."
        if n == self.retained:
            return f"Les {n} retenus sont présentés sous un autre axe dont ils relèvent aussi."
        if n == 1:
            return (
                f"Sur les {self.retained} retenus, 1 est présenté sous un autre axe dont il "
                "relève aussi."
            )
        return (
            f"Sur les {self.retained} retenus, {n} sont présentés sous un autre axe dont ils "
            "relèvent aussi."
        )


@dataclass(frozen=True)
class LegalRow:
    key: str
    nature: str
    label: str
    citation: str  # Ref-Lex style
    url: str
    official: bool
    first_seen: str  # the day the first item citing it was collected
    items: tuple[ItemRef, ...]
    retained: int  # mentions in retained items
    # the articles of the act the items cite, in the act's order (« art. 6 », « art. 17 »)
    pinpoints: tuple[Pinpoint, ...] = ()

    @property
    def articles(self) -> str:
        """The articles cited, as a reader writes them: « art. 6, art. 17 » ("" if none)."""
        return ", ".join(p.label for p in self.pinpoints)

    @property
    def cited(self) -> str:
        """The Ref-Lex citation with the articles cited: « Règl. (UE) 2016/679, art. 6 »."""
        return f"{self.citation}, {self.articles}" if self.pinpoints else self.citation


@dataclass(frozen=True)
class ActionRow:
    item: ItemRef
    axis: str
    action: str
    owner: str
    deadline: str
    status: str


@dataclass(frozen=True)
class PricePoint:
    """A price a watched page showed from `day` on (until the next point)."""

    moment: datetime  # when the version was fetched
    day: str  # 06/12/2026, on the watch's clock
    price: str  # « 44,90 € »
    amount: float
    change: str  # « 49,90 € → 44,90 € (−10 %) », or what the first point is
    item: ItemRef | None  # the change item that reported it (in the period), if any


@dataclass(frozen=True)
class PriceHistory:
    """The price of one watched page (a competitor's product) over the period."""

    key: str  # prix-<source id>: the chart's key and the HTML anchor
    product: str  # the watched page's name
    url: str
    currency: str
    points: tuple[PricePoint, ...]
    # the page no longer answers (404, 410): « page retirée (410) le 03/12/2026 — … », and the
    # day; "" while it answers (or it went after the period)
    gone: str = ""
    gone_day: str = ""

    @property
    def changes(self) -> int:
        return len(self.points) - 1


@dataclass(frozen=True)
class DiffusionWeek:
    week: str  # its code, 2026-W45 (« 2026-W35 à 2026-W48 »: the weeks before the watch started)
    label: str  # what a person reads: « Semaine 45 (du 2 au 8 novembre 2026) »
    digest: DigestDelivery | None
    status: str
    sent: str = ""  # when the digest was sent, dd/mm/yyyy hh:mm on the watch's clock


@dataclass(frozen=True)
class Diffusion:
    weeks: tuple[DiffusionWeek, ...]
    expected: int
    with_digest: int  # weeks due whose digest went out (sent, published, or archived untraced)
    origin: str
    recipients: tuple[str, ...]
    archive: str
    schedule: str
    prepared_only: int = 0  # weeks due whose digest was prepared but never sent
    # the week the watch started (« semaine 37 (du … au …) »), when the period begins before it
    started: str = ""

    # what the digests' table counts: a digest's « retenus » are what it showed, the
    # group's choice or the automatic selection; the dossier's are the group's choice only
    counts_legend = (
        "Collectés : articles de la semaine ; présentés : ceux que la synthèse a montrés "
        "(choisis par le groupe ou en sélection automatique : ses « retenus ») ; retenus : "
        "ceux que le groupe a retenus."
    )

    def mailed(self) -> list[DigestDelivery]:
        """The digests sent by e-mail to at least one recipient."""
        return [
            w.digest for w in self.weeks if w.digest and w.digest.sent_at and w.digest.recipients
        ]

    def published_only(self) -> list[DigestDelivery]:
        """The digests published (archived) with nobody to mail them to: not « envoyées »."""
        return [
            w.digest
            for w in self.weeks
            if w.digest and w.digest.sent_at and not w.digest.recipients
        ]

    def summary(self) -> str:
        """« 2 semaines sur 3 avec une synthèse diffusée », and the weeks whose digest was only
        prepared: a preview is not a synthèse the group made available."""
        text = f"{counted(self.with_digest, 'semaine')} sur {self.expected} avec une synthèse "
        text += "diffusée"
        if self.prepared_only:
            other = counted(self.prepared_only, "autre préparée", "autres préparées")
            text += f" ({other}, non {plural(self.prepared_only, 'envoyée', 'envoyées')})"
        if self.started:
            text += f" depuis le début de la veille, {self.started}"
        return text


@dataclass(frozen=True)
class Bilan:
    stats: tuple[tuple[str, str], ...]
    weeks: tuple[str, ...]  # 2026-W45 …
    axis_labels: tuple[str, ...]
    axis_week: tuple[tuple[int, ...], ...]  # per axis, per week
    collected_week: tuple[int, ...]  # by week of collection
    retained_week: tuple[int, ...]  # of the items collected that week, those retained
    curation_week: tuple[int, ...]  # tri and fiche operations done that week
    axis_collected: tuple[int, ...]
    axis_retained: tuple[int, ...]
    uncovered: tuple[str, ...]  # axes with no item (or no retained item)
    rejection_reasons: tuple[tuple[str, int], ...]
    limits: tuple[str, ...]
    rejected_week: tuple[int, ...] = ()  # of the items collected that week, those rejected


@dataclass(frozen=True)
class Contribution:
    actor: str
    name: str
    role: str
    member: bool
    counts: tuple[tuple[str, int], ...]
    total: int
    entries: tuple[tuple[str, str, str], ...]  # (when, what, item)


@dataclass(frozen=True)
class Bibliography:
    web: tuple[str, ...]  # ISO 690
    sites: tuple[str, ...]  # ISO 690, the sources (sitographie)
    legal: tuple[str, ...]  # Ref-Lex


@dataclass(frozen=True)
class Fact:
    text: str
    items: tuple[ItemRef, ...] = ()
    section: str = ""  # anchor of the dossier section that shows it


@dataclass(frozen=True)
class CompetenceEvidence:
    code: str
    label: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Seal:
    """A generated file's signed manifest (`watcher.verify.manifest`): embedded in every format,
    its short code printed on the cover."""

    code: str  # « K7QM-2XPA-3D4T »
    envelope: bytes  # the manifest, its signature and the key's fingerprint (JSON)


@dataclass(frozen=True)
class Dossier:
    cover: Cover
    needs: Needs
    plan: tuple[PlanRow, ...]
    sources: tuple[SourceRow, ...]
    sources_rated: int
    tools: Tools
    results: tuple[AxisResults, ...]
    legal: tuple[LegalRow, ...]
    actions: tuple[ActionRow, ...]
    diffusion: Diffusion
    bilan: Bilan
    contributions: tuple[Contribution, ...]
    bibliography: Bibliography
    evidence: tuple[CompetenceEvidence, ...]
    start: date
    end: date
    seal: Seal | None = None  # set by `watcher.jobs.dossier.sealed_dossier` before rendering
    prices: tuple[PriceHistory, ...] = ()  # the competitor watch's prices (watched pages)

    def plan_by_axis(self) -> tuple[tuple[str, str, tuple[PlanRow, ...]], ...]:
        """The plan's rows grouped by axis, in the plan's order: (axis, keywords, rows)."""
        groups: dict[tuple[str, str], list[PlanRow]] = {}
        for row in self.plan:
            groups.setdefault((row.axis, row.keywords), []).append(row)
        return tuple((axis, keywords, tuple(rows)) for (axis, keywords), rows in groups.items())

    @property
    def fiche_count(self) -> int:
        return sum(len(a.fiches) for a in self.results)


# --- small pure helpers -----------------------------------------------------------------------


short_date = day_short  # a day in a table's cell (watcher.dates)


def frequency_label(every: timedelta) -> str:
    """timedelta → « toutes les 6 h », « tous les jours »…"""
    seconds = int(every.total_seconds())
    if seconds % 604800 == 0:
        weeks = seconds // 604800
        return "toutes les semaines" if weeks == 1 else f"toutes les {weeks} semaines"
    if seconds % 86400 == 0:
        days = seconds // 86400
        return "tous les jours" if days == 1 else f"tous les {days} jours"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "toutes les heures" if hours == 1 else f"toutes les {hours} h"
    if seconds % 60 == 0:
        return f"toutes les {seconds // 60} min"
    return f"toutes les {seconds} s"


def iso_weeks(start: date, end: date) -> list[tuple[int, int]]:
    """ISO weeks (year, week) that the period [start, end] touches, in order."""
    weeks: list[tuple[int, int]] = []
    day = start - timedelta(days=start.weekday())
    while day <= end:
        year, week, _ = day.isocalendar()
        weeks.append((year, week))
        day += timedelta(days=7)
    return weeks


def week_label(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


_LEGAL_LABEL = re.compile(
    r"^(?P<type>Loi organique|Loi constitutionnelle|Loi|Décret-loi|Décret|Ordonnance|Arrêté"
    r"|Circulaire|Décision|Délibération)"
    r"(?: n° (?P<num>[\d-]+))?"
    r"(?: du (?P<day>1er|\d{1,2}) (?P<month>[a-zéû]+) (?P<year>\d{4}))?"
    r"(?P<rest>.*)$"
)
_REFLEX_TYPES = {
    "Loi organique": "L. org.",
    "Loi constitutionnelle": "L. const.",
    "Loi": "L.",
    "Décret-loi": "D.-L.",
    "Décret": "D.",
    "Ordonnance": "Ord.",
    "Arrêté": "A.",
    "Circulaire": "Circ.",
    "Décision": "Déc.",
    "Délibération": "Délib.",
}
_EU_TYPES = (
    ("Règlement d'exécution", "Règl. d'exéc."),
    ("Règlement délégué", "Règl. délég."),
    ("Règlement", "Règl."),
    ("Directive d'exécution", "Dir. d'exéc."),
    ("Directive déléguée", "Dir. délég."),
    ("Directive", "Dir."),
    ("Décision d'exécution", "Déc. d'exéc."),
    ("Décision", "Déc."),
)


def reflex_citation(ref: RefMention) -> str:
    """A legal reference in the publishers' Ref-Lex style (SNE): « L. n° 2014-344, 17 mars 2014 »,
    « D. n° 2023-417, 31 mai 2023 », « C. consom., art. L. 221-18 », « Règl. (UE) 2016/679 ».
    Standards keep their designation (« NF EN ISO 9001:2015 »). Unknown shapes keep the label."""
    label = " ".join(ref.label.split())
    if ref.kind == "code_article" and ", art. " in label:
        return short_ref_label(ref.kind, label)
    if ref.kind in ("eu_act", "celex"):
        for long, short in _EU_TYPES:
            if label.startswith(long + " "):
                return short + label[len(long) :]
        return label
    if ref.kind == "standard":
        return label
    match = _LEGAL_LABEL.match(label)
    if not match:
        return label
    parts = [_REFLEX_TYPES[match.group("type")]]
    head = parts[0]
    if match.group("num"):
        head += f" n° {match.group('num')}"
    pieces = [head]
    if match.group("year"):
        month = MONTHS_SHORT.get(match.group("month"), match.group("month"))
        pieces.append(f"{match.group('day')} {month} {match.group('year')}")
    rest = match.group("rest").strip().strip(",").strip()
    rest = re.sub(r"^\(NOR ([A-Z0-9]+)\)$", r"NOR : \1", rest)
    if rest:
        pieces.append(rest)
    return ", ".join(pieces)


# An author string is cited as a person (« GIRARD, Thomas ») only when it is clearly one: an
# honorific followed by a name, or two or three capitalised name words none of which names an
# organisation. Anything else (an organisation, one word, a place after the name…) is kept as
# written, in capitals: a mangled organisation is worse than a person left in full.
_HONORIFICS = {
    "maitre", "me", "dr", "docteur", "pr", "professeur", "m", "mr", "mme", "mlle", "madame",
    "monsieur", "mademoiselle",
}  # fmt: skip
_ORG_WORDS = {
    "agence", "association", "autorite", "assurance", "assurances", "avocats", "banque", "bank",
    "blog", "box", "bureau", "cabinet", "centre", "cercle", "chambre", "club", "co", "collectif",
    "comite", "commission", "communication", "communiste", "compagnie", "conseil", "conso",
    "consulting", "corp", "courant", "delegue", "direction", "editions", "equipe", "federation",
    "fondation", "france", "gmbh", "groupe", "hebdo", "inc", "info", "infos", "institut",
    "journal", "lab", "labs", "ltd", "magazine", "marketing", "media", "medias", "ministere",
    "mobile", "mutuelle", "news", "nouvelle", "observatoire", "office", "online", "parti",
    "partners", "press", "presse", "redaction", "republique", "reseau", "sa", "sarl", "sas",
    "service", "societe", "staff", "studio", "syndicat", "team", "telecom", "union",
    "universite", "ecole", "business", "services", "group", "solutions", "digital", "energie",
    "energy", "industries", "international", "systems", "technologies", "capital", "finance",
    "immobilier", "distribution", "express", "direct", "market", "shop", "store", "magasin",
    "magasins", "associes", "notaires", "conseils", "editorial", "desk", "web", "tv", "radio",
    "actu", "mag", "plus", "ministry", "agency", "authority", "committee", "newsroom",
}  # fmt: skip
_PARTICLES = {"de", "du", "des", "d'", "van", "von", "der", "den", "di", "da", "del", "le", "la"}
_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)*")


def _names_the_publisher(words: Sequence[str], site: str, url: str) -> bool:
    """Whether a signature is the publisher itself, a company named like a person (« Leroy
    Merlin » on « Leroy Merlin — Espace presse » or leroymerlin.fr): it is a well-known
    organisation (watcher/data/entity_names.yml), the site's name or its first words, or a
    label of the site's address."""
    from watcher.understand.known_names import known_names, name_key  # a data file, read once

    key = name_key(" ".join(words))
    if known_names().labels.get(key) == "ORG":
        return True
    site_key = name_key(site)
    if site_key == key or site_key.startswith(key + " "):
        return True
    host = urlsplit(url).hostname or ""
    compact = key.replace(" ", "")
    return any(label.replace("-", "") == compact for label in host.split("."))


def iso690_author(author: str, *, site: str = "", url: str = "") -> str:
    """An author as ISO 690 writes it: a person « SURNAME, Given name(s) » (honorifics such as
    Maître, Dr, Mme dropped); an organisation, or anything not clearly a person, in capitals as
    written. ``site`` and ``url``, where the text was published: a signature that names the
    publisher is an organisation, even when it reads like a person's name."""
    words = author.split()
    if len(words) > 1 and fold(words[0]) in {"par", "by"}:  # a byline: « Par Julien Marchal »
        words = words[1:]
    honorific = False
    while words and fold(words[0]).rstrip(".") in _HONORIFICS:
        words, honorific = words[1:], True
    if not words:
        return author.strip().upper()
    if any(fold(w) in _ORG_WORDS for w in words) or fold(words[0]) in _PARTICLES:
        return author.strip().upper()
    if not honorific and _names_the_publisher(words, site, url):
        return " ".join(words).upper()
    given = []
    for n, word in enumerate(words):
        if fold(word) in _PARTICLES:
            surname = words[n:]
            break
        given.append(word)
    else:
        given, surname = given[:-1], given[-1:]
    if not (honorific or 1 <= len(given) <= 2) or len(surname) > 3:
        return author.strip().upper()
    if not all(_NAME_WORD.fullmatch(w) for w in given) or not _NAME_WORD.fullmatch(surname[-1]):
        return author.strip().upper()
    if any(fold(w) not in _PARTICLES for w in surname[:-1]):
        return author.strip().upper()
    name = " ".join(surname).upper()
    return f"{name}, {' '.join(given)}" if given else name


def iso690_web(
    *,
    title: str,
    site: str,
    url: str,
    consulted: date,
    author: str = "",
    published: date | None = None,
) -> str:
    """A web document in ISO 690 (French usage):
    « AUTEUR. Titre [en ligne]. Site, date. [Consulté le …]. Disponible à l'adresse : URL »."""
    who = iso690_author(author, site=site, url=url) if author.strip() else site.strip().upper()
    parts = [f"{who}. {title.strip().rstrip('.')} [en ligne]."]
    where = site.strip()
    if published:
        where += f", {fr_date(published)}"
    parts.append(f"{where}.")
    parts.append(f"[Consulté le {fr_date(consulted)}].")
    parts.append(f"Disponible à l'adresse : {url}")
    return " ".join(parts)


def iso690_change(*, page: str, url: str, changed: date, consulted: date) -> str:
    """A watched page's change in ISO 690: the page has no author, so its reference begins with
    its title (the page's name), then the day the change was seen: « Titre [en ligne].
    Modification relevée le …. [Consulté le …]. Disponible à l'adresse : URL »."""
    return (
        f"{page.strip().rstrip('.')} [en ligne]. Modification relevée le {fr_date(changed)}. "
        f"[Consulté le {fr_date(consulted)}]. Disponible à l'adresse : {url}"
    )


def iso690_site(
    *, name: str, url: str, consulted: date | None, unreachable: date | None = None
) -> str:
    """A source in the sitography. `unreachable`: the day its last attempt failed (a dead source
    is not said to be consulted on a day it could not be read); `consulted`: the last day it was
    read (None: never)."""
    if unreachable is None and consulted is not None:
        when = f"Consulté le {fr_date(consulted)}"
    elif consulted is None:
        when = (
            f"Inaccessible lors de la dernière tentative, le {fr_date(unreachable)} ; "
            "jamais consulté avec succès"
            if unreachable
            else "Jamais consulté"
        )
    else:
        when = (
            f"Consulté le {fr_date(consulted)} ; inaccessible lors de la dernière tentative, "
            f"le {fr_date(unreachable)}"
        )
    return (
        f"{name.strip().upper()}. {name.strip()} [en ligne]. [{when}]. "
        f"Disponible à l'adresse : {url}"
    )


def _local_date(moment: datetime | None, tz: ZoneInfo) -> date | None:
    return moment.astimezone(tz).date() if moment else None


def axis_owner(axis: Axis, members: Sequence[Person], activity_counts: Mapping[str, int]) -> str:
    """Who answers for an axis: the member whose role names it, else the most active member on
    its items, else « à désigner »."""
    words = {fold(axis.id)} | {
        fold(w) for w in re.findall(r"[\wÀ-ÿ]{4,}", axis.label) if len(w) >= 4
    }
    stems = {w[:6] for w in words}
    for member in members:
        role = fold(member.role)
        if any(stem in role for stem in stems):
            return f"{member.name} ({member.role})"
    if activity_counts:
        best = max(sorted(activity_counts), key=lambda name: activity_counts[name])
        return f"{best} (le plus actif sur cet axe)"
    return "à désigner"


# --- the builder ------------------------------------------------------------------------------


class _Ctx:
    """Lookups shared by the sections."""

    def __init__(self, data: DossierInput) -> None:
        self.data = data
        self.watch = data.watch
        self.tz = ZoneInfo(data.watch.watch.timezone)
        self.group: Group = next(g for g in data.watch.groups if g.id == data.group_id)
        self.sources = {
            s.id: s for s in data.watch.sources if data.group_id in data.watch.groups_of(s)
        }
        self.all_sources = {s.id: s for s in data.watch.sources}
        self.axis_order = [a.id for a in data.watch.axes]
        self.axis_labels = {a.id: a.label for a in data.watch.axes}
        # labels of each axis's `topics:` (PESTEL topics or dimensions tied to it)
        taxonomy = topic_specs(data.watch)
        self.axis_topics = {a.id: topic_labels(a.topics, taxonomy) for a in data.watch.axes}
        self.views = {v.item.id: v for v in data.views}
        self.every_view = {v.item.id: v for v in data.extra_views} | self.views
        self.retained = {i for i, c in data.curations.items() if c.status == "retained"}
        self.rejected = {i for i, c in data.curations.items() if c.status == "rejected"}
        self.fiches = {i: f for i, f in data.fiches.items() if i in self.views}
        self.members = tuple(Person(m.name, m.email, m.role) for m in self.group.members)
        self.weeks = iso_weeks(data.start, data.end)
        self.period_start = datetime.combine(data.start, time(0), tzinfo=self.tz)
        self.period_end = datetime.combine(data.end + timedelta(days=1), time(0), tzinfo=self.tz)

    def source_name(self, source_id: str) -> str:
        source = self.all_sources.get(source_id)
        return source.label if source else source_id

    def ref(self, item_id: int) -> ItemRef:
        view = self.every_view.get(item_id)
        if view is None:
            return ItemRef(item_id, f"article n° {item_id}", "", "")
        anchor = f"fiche-{item_id}" if item_id in self.fiches else ""
        return ItemRef(
            item_id,
            view.item.title or view.item.url,
            view.item.url,
            self.source_name(view.item.source_id),
            anchor,
            short_date(_local_date(view.item.published_at, self.tz)),
            short_date(_local_date(view.item.fetched_at, self.tz)),
            view.item.kind == CHANGE_KIND,
        )

    def refs(self, ids: Iterable[int]) -> tuple[ItemRef, ...]:
        return tuple(self.ref(i) for i in sorted(set(ids)))

    def week_of(self, moment: datetime) -> tuple[int, int]:
        """The ISO week of a moment on the watch's wall clock, kept within the period."""
        local = moment.astimezone(self.tz).date()
        local = min(max(local, self.data.start), self.data.end)
        year, week, _ = local.isocalendar()
        return (year, week)

    def item_week(self, view: ItemView) -> tuple[int, int]:
        """The week an item was collected (its publication date plays no part)."""
        return self.week_of(view.item.fetched_at)

    def curation_weeks(self) -> Counter[tuple[int, int]]:
        """The group's tri and fiches (members' operations in the log) per week."""
        return Counter(
            self.week_of(entry.at)
            for entry in self.data.activity
            if self.period_start <= entry.at < self.period_end
        )

    def primary_axis(self, view: ItemView) -> str:
        source = self.all_sources.get(view.item.source_id)
        source_axes = source.axis if source else ()
        ordered = [a for a in self.axis_order if a in view.axes]
        for axis in ordered:
            if axis in source_axes:
                return axis
        if ordered:
            return ordered[0]
        return next((a for a in source_axes if a in self.axis_labels), "")

    def axis_label(self, axis_id: str) -> str:
        return self.axis_labels.get(axis_id, "Hors axe")

    def actor_name(self, actor: str) -> tuple[str, str, bool]:
        wanted = actor.strip().lower()
        for member in self.members:
            if wanted in (member.email.lower(), member.name.lower()):
                return member.name, member.role, True
        tutor = self.group.tutor
        if tutor and wanted in (tutor.email.lower(), tutor.name.lower()):
            return tutor.name, tutor_role(tutor.role), False
        return actor, "", False

    def recipients(self) -> tuple[str, ...]:
        people = [f"{m.name} <{m.email}>" for m in self.group.members]
        if self.group.tutor:
            tutor = self.group.tutor
            people.append(f"{tutor.name} <{tutor.email}> ({tutor_role(tutor.role)})")
        people += list(self.group.digest.extra_recipients)
        return tuple(people)

    def rating(self, source: Source | None) -> str:
        if source is None or source.rating is None:
            return "non notée"
        return f"{source.rating.total}/15"


def _cover(ctx: _Ctx) -> Cover:
    data = ctx.data
    tutor = ctx.group.tutor
    return Cover(
        # no-break spaces inside the guillemets: « never ends a line, » never starts one
        title="Dossier de veille — Bloc 1 «\u00a0Collecte et traitement de l'information "
        "commerciale\u00a0»",
        watch_name=ctx.watch.watch.name,
        group_id=ctx.group.id,
        group_name=ctx.group.name,
        members=ctx.members,
        tutor=Person(tutor.name, tutor.email, tutor_role(tutor.role)) if tutor else None,
        period=f"du {fr_date(data.start)} au {fr_date(data.end)}",
        generated=f"{fr_date(_local_date(data.now, ctx.tz))} à {data.now.astimezone(ctx.tz):%H:%M}",
        timezone=ctx.watch.watch.timezone,
    )


def _axis_activity(ctx: _Ctx) -> dict[str, Counter[str]]:
    per_axis: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in ctx.data.activity:
        if entry.item_id is None or entry.item_id not in ctx.views:
            continue
        name, _, is_member = ctx.actor_name(entry.actor)
        if not is_member:
            continue
        per_axis[ctx.primary_axis(ctx.views[entry.item_id])][name] += 1
    return per_axis


def _needs(ctx: _Ctx, owners: Mapping[str, str]) -> Needs:
    axes = []
    for axis in ctx.watch.axes:
        ids = [i for i, v in ctx.views.items() if axis.id in v.axes]
        axes.append(
            AxisNeed(
                axis.id,
                axis.label,
                axis.keywords,
                axis.equations,
                owners[axis.id],
                len(ids),
                sum(1 for i in ids if i in ctx.retained),
                ctx.axis_topics[axis.id],
            )
        )
    return Needs(
        questions=tuple((q, TO_COMPLETE) for q in NEEDS_QUESTIONS),
        axes=tuple(axes),
        recipients=ctx.recipients(),
    )


def _plan(ctx: _Ctx, owners: Mapping[str, str]) -> tuple[PlanRow, ...]:
    rows = []
    recipients = ", ".join(m.name for m in ctx.members) + (
        f", {ctx.group.tutor.name} ({tutor_role(ctx.group.tutor.role)})" if ctx.group.tutor else ""
    )
    for axis in ctx.watch.axes:
        keywords = ", ".join(axis.keywords)  # as the needs section lists them
        if axis.equations:
            keywords += (" — " if keywords else "") + " ; ".join(axis.equations)
        if axis.topics:
            labels = ", ".join(ctx.axis_topics[axis.id])
            keywords += (" — " if keywords else "") + f"thèmes PESTEL : {labels}"
        sources = [s for s in ctx.sources.values() if axis.id in s.axis]
        if not sources:
            rows.append(
                PlanRow(
                    axis.label,
                    keywords,
                    "aucune source",
                    "",
                    "",
                    "",
                    "",
                    "",
                    owners[axis.id],
                    recipients,
                )
            )
        for source in sources:
            rows.append(
                PlanRow(
                    axis=axis.label,
                    keywords=keywords,
                    source=source.label,
                    url=source.url,
                    level=source.level,
                    rating=ctx.rating(source),
                    frequency=frequency_label(source.every),
                    tool=KIND_TOOLS[source.kind],
                    owner=owners[axis.id],
                    recipients=recipients,
                    source_id=source.id,
                )
            )
    return tuple(rows)


NEVER_COLLECTED = SOURCE_NEVER_COLLECTED


def _state(state: SourceState | None) -> tuple[str, bool]:
    if state is None or state.last_attempt_at is None:
        return NEVER_COLLECTED, False
    if state.consecutive_failures:
        return (
            f"{SOURCE_FAILING} ({state.consecutive_failures} fois de suite) : {state.last_error}",
            False,
        )
    return SOURCE_IN_SERVICE, True


def _sources(ctx: _Ctx) -> tuple[SourceRow, ...]:
    rows = []
    collected = Counter(v.item.source_id for v in ctx.views.values())
    retained = Counter(ctx.views[i].item.source_id for i in ctx.retained if i in ctx.views)
    for source in ctx.sources.values():
        state = ctx.data.source_states.get(source.id)
        label, ok = _state(state)
        rating = source.rating
        crawl = ctx.data.crawl.get(source.id, CrawlCounts())
        rows.append(
            SourceRow(
                id=source.id,
                name=source.label,
                url=source.url,
                kind=KIND_TOOLS[source.kind],
                level=source.level,
                axes=", ".join(ctx.axis_label(a) for a in source.axis),
                criteria=(
                    (
                        rating.fiabilite,
                        rating.validite,
                        rating.exactitude,
                        rating.intention,
                        rating.pertinence,
                    )
                    if rating
                    else None
                ),
                total=rating.total if rating else None,
                collected=collected[source.id],
                retained=retained[source.id],
                state=label,
                last_success=short_date(_local_date(state.last_success_at, ctx.tz))
                if state
                else "",
                failures=state.consecutive_failures if state else 0,
                tool=KIND_SHORT[source.kind],
                frequency=frequency_label(source.every),
                attempts=crawl.attempts,
                failed_attempts=crawl.failures,
                ok=ok,
                watched=source.kind == "monitor",
            )
        )
    return tuple(rows)


def _tools(ctx: _Ctx) -> Tools:
    data = ctx.data
    schedules = tuple(
        (s.label, KIND_TOOLS[s.kind], frequency_label(s.every)) for s in ctx.sources.values()
    )
    kinds = Counter(s.kind for s in ctx.sources.values())
    digest = ctx.group.digest
    runs = data.crawl.get("", CrawlCounts()).attempts
    updated = sum(1 for v in ctx.views.values() if v.item.version > 1)
    processed = sum(1 for v in ctx.views.values() if v.axes or v.topics or v.refs or v.entities)
    refs = {r.key for v in ctx.views.values() for r in v.refs}
    stats = (
        ("Collectes automatiques (passages du robot) sur la période", str(runs)),
        ("Articles collectés", str(len(ctx.views))),
        ("Articles mis à jour par leur source (versions conservées)", str(updated)),
        ("Articles analysés (entités, axes, thèmes, références)", str(processed)),
        ("Références juridiques et normatives reconnues", str(len(refs))),
        ("Recherches enregistrées", str(len(data.saved_searches))),
    )
    return Tools(
        schedules=schedules,
        kinds=tuple(
            (KIND_TOOLS[k], kinds[k]) for k in ("feed", "page", "sitemap", "monitor") if kinds[k]
        ),
        digest_schedule=f"chaque {DAY_NAMES_FR[digest.weekday]} à {digest.time}",
        saved_searches=tuple(
            (s.name, s.query, short_date(_local_date(s.created_at, ctx.tz)))
            for s in data.saved_searches
        ),
        stats=stats,
    )


def _fiche_view(ctx: _Ctx, fiche: Fiche) -> FicheView:
    view = ctx.views[fiche.item_id]
    source = ctx.all_sources.get(view.item.source_id)
    status = (
        "retenu"
        if fiche.item_id in ctx.retained
        else "rejeté"
        if fiche.item_id in ctx.rejected
        else "non trié"
    )
    written_by, _, _ = ctx.actor_name(fiche.updated_by)
    return FicheView(
        item=ctx.ref(fiche.item_id),
        anchor=f"fiche-{fiche.item_id}",
        axis=ctx.axis_label(ctx.primary_axis(view)),
        author=view.item.author,
        published=short_date(_local_date(view.item.published_at, ctx.tz)),
        collected=short_date(_local_date(view.item.fetched_at, ctx.tz)),
        level=source.level if source else "",
        rating=ctx.rating(source),
        qqoqcp=tuple(
            (label, getattr(fiche, name)) for name, label in QQOQCP if getattr(fiche, name).strip()
        ),
        summary=fiche.summary,
        importance=fiche.importance,
        action=fiche.action,
        action_owner=fiche.action_owner,
        action_deadline=short_date(fiche.action_deadline),
        crosscheck=ctx.ref(fiche.crosscheck_item_id) if fiche.crosscheck_item_id else None,
        references=tuple(r.label for r in view.refs),
        keywords=tuple(e.name for e in view.entities[:6]),
        status=status,
        written_by=written_by,
        updated=short_date(_local_date(fiche.updated_at, ctx.tz)),
    )


def _results(ctx: _Ctx) -> tuple[AxisResults, ...]:
    by_axis: dict[str, list[FicheView]] = defaultdict(list)
    for item_id in sorted(
        ctx.fiches,
        key=lambda i: (ctx.views[i].item.published_at or ctx.views[i].item.fetched_at, i),
    ):
        fiche = ctx.fiches[item_id]
        by_axis[ctx.primary_axis(ctx.views[item_id])].append(_fiche_view(ctx, fiche))
    without: dict[str, list[int]] = defaultdict(list)
    for item_id in sorted(ctx.retained):
        if item_id in ctx.views and item_id not in ctx.fiches:
            without[ctx.primary_axis(ctx.views[item_id])].append(item_id)
    results = []
    for axis_id in [*ctx.axis_order, ""]:
        if axis_id == "" and not by_axis.get("") and not without.get(""):
            continue
        ids = [i for i, v in ctx.views.items() if axis_id in v.axes] if axis_id else []
        results.append(
            AxisResults(
                id=axis_id or "hors-axe",
                label=ctx.axis_label(axis_id),
                collected=len(ids),
                retained=sum(1 for i in ids if i in ctx.retained),
                fiches=tuple(by_axis.get(axis_id, [])),
                retained_without_fiche=ctx.refs(without.get(axis_id, [])),
                retained_elsewhere=sum(
                    1
                    for i in ids
                    if i in ctx.retained and ctx.primary_axis(ctx.views[i]) != axis_id
                ),
            )
        )
    return tuple(results)


def _legal(ctx: _Ctx) -> tuple[LegalRow, ...]:
    mentions: dict[str, list[int]] = defaultdict(list)
    first: dict[str, RefMention] = {}
    seen_on: dict[str, date] = {}
    pinned: dict[str, list[Pinpoint]] = defaultdict(list)
    for item_id, view in sorted(ctx.views.items()):
        for ref in view.refs:
            mentions[ref.key].append(item_id)
            pinned[ref.key].extend(ref.pinpoints)
            known = first.get(ref.key)
            if known is None or (known.link != "official" and ref.link == "official"):
                first[ref.key] = ref
            day = view.item.fetched_at.astimezone(ctx.tz).date()  # first collected
            seen_on[ref.key] = min(seen_on.get(ref.key, day), day)
    kind_order = {k: n for n, k in enumerate((*LEGAL_KINDS, "standard"))}
    rows = [
        LegalRow(
            key=key,
            nature=REF_NATURES.get(ref.kind, ref.kind),
            label=ref.label,
            citation=reflex_citation(ref),
            url=ref.url,
            official=ref.link == "official",
            first_seen=short_date(seen_on[key]),
            items=ctx.refs(mentions[key]),
            retained=sum(1 for i in set(mentions[key]) if i in ctx.retained),
            pinpoints=articles_in_order(pinned[key]),
        )
        for key, ref in first.items()
    ]
    rows.sort(key=lambda r: (kind_order.get(first[r.key].kind, 99), -len(r.items), r.label))
    return tuple(rows)


def _actions(ctx: _Ctx) -> tuple[ActionRow, ...]:
    today = ctx.data.now.astimezone(ctx.tz).date()
    rows = []
    for item_id, fiche in sorted(ctx.fiches.items()):
        if not fiche.action.strip():
            continue
        deadline = fiche.action_deadline
        status = (
            "sans échéance"
            if deadline is None
            else "échéance passée"
            if deadline < today
            else "à venir"
        )
        rows.append(
            ActionRow(
                item=ctx.ref(item_id),
                axis=ctx.axis_label(ctx.primary_axis(ctx.views[item_id])),
                action=fiche.action,
                owner=fiche.action_owner or "non désigné",
                deadline=short_date(deadline),
                status=status,
            )
        )
    rows.sort(key=lambda r: (r.deadline == "", r.deadline[6:] + r.deadline[3:5] + r.deadline[:2]))
    return tuple(rows)


FIRST_PRICE = "prix au début de la période"
FIRST_SEEN = "premier prix relevé"


def _gone(ctx: _Ctx, source_id: str) -> tuple[str, str]:
    """(what to say, the day) of a watched page that no longer answers (404 or 410 at its last
    crawls, since a day within the period): its last price is no longer on line."""
    state = ctx.data.source_states.get(source_id)
    if state is None or state.last_error_at is None:
        return "", ""
    status = gone_status(state.last_error_status, state.consecutive_failures)
    since = ctx.data.failing_since.get(source_id, state.last_error_at)
    if status is None or since >= ctx.period_end:
        return "", ""
    day = short_date(since.astimezone(ctx.tz))
    return gone_note(status, day), day


def _prices(ctx: _Ctx) -> tuple[PriceHistory, ...]:
    """The price history of each of the group's watched pages: the price in force when the
    period starts (the last one seen before it), then every price change within the period;
    a page that showed no price by the period's end has none."""
    found = []
    for source in ctx.sources.values():
        if source.kind != "monitor":
            continue
        priced = [
            v
            for v in ctx.data.page_versions.get(source.id, ())
            if v.price is not None and v.fetched_at < ctx.period_end
        ]
        before = [v for v in priced if v.fetched_at < ctx.period_start]
        kept: list[PageVersion] = before[-1:]
        for version in priced[len(before) :]:
            if not kept or version.price != kept[-1].price:
                kept.append(version)
        if not kept:
            continue
        points = []
        last: Price | None = None
        for version in kept:
            assert version.price is not None
            first = FIRST_PRICE if version.fetched_at < ctx.period_start else FIRST_SEEN
            item = version.item_id
            points.append(
                PricePoint(
                    moment=version.fetched_at,
                    day=short_date(version.fetched_at.astimezone(ctx.tz)),
                    price=version.price.french(),
                    amount=float(version.price.amount),
                    change=price_change(last, version.price) if last else first,
                    item=ctx.ref(item) if last and item is not None and item in ctx.views else None,
                )
            )
            last = version.price
        gone, gone_day = _gone(ctx, source.id)
        found.append(
            PriceHistory(
                key=f"prix-{source.id}",
                product=source.label,
                url=kept[-1].url or str(source.url),
                currency=kept[-1].price.currency if kept[-1].price else "",
                points=tuple(points),
                gone=gone,
                gone_day=gone_day,
            )
        )
    return tuple(sorted(found, key=lambda h: fold(h.product)))


# words of the counts of the evidence (watcher.plural.counted), too long to write in place
FRENCH_TEXTS = ("texte ou article français", "textes ou articles français")
EU_ACTS = ("acte de l'UE", "actes de l'UE")
SAVED_SEARCHES = ("recherche enregistrée", "recherches enregistrées")


def _c1_prices(prices: Sequence[PriceHistory]) -> list[Fact]:
    """C1 — the competitors' prices the watched pages followed."""
    if not prices:
        return []
    changes = [p for h in prices for p in h.points[1:]]
    return [
        Fact(
            f"Prix suivis sur {counted(len(prices), 'page concurrente', 'pages concurrentes')} : "
            f"{counted(sum(h.changes for h in prices), 'changement')} "
            "de prix sur la période (historique et graphique)",
            tuple(sorted({p.item for p in changes if p.item}, key=lambda i: i.id)),
            "prix",
        )
    ]


BEFORE_START = "avant le début de la veille"


def _start_week(ctx: _Ctx, found: set[str]) -> tuple[int, int] | None:
    """The week the group's watch started: the week of its first collected item, or of its
    first digest when that one is earlier (its items deleted since). None: nothing yet."""
    firsts = [ctx.data.watch_started] if ctx.data.watch_started else []
    firsts += [v.item.fetched_at for v in ctx.views.values()]  # when not read: the period's
    weeks = [
        (m.astimezone(ctx.tz).isocalendar()[0], m.astimezone(ctx.tz).isocalendar()[1])
        for m in firsts
    ]
    for label in found:
        year, week = label.split("-W")
        weeks.append((int(year), int(week)))
    return min(weeks) if weeks else None


def _starting(digests: dict[str, DigestDelivery]) -> set[str]:
    """The weeks whose digest shows the watch had started: a digest sent, or one that counted
    collected items (or an archive, whose count is not known) — not the preview of an empty
    week made before anything was collected (`watcher digest --preview` on a new watch)."""
    return {
        week
        for week, d in digests.items()
        if d.sent_at is not None or d.collected is None or d.collected > 0
    }


def _expected_weeks(ctx: _Ctx, found: set[str]) -> list[tuple[int, int]]:
    """Weeks that should have a digest: those that ended within the period (a last, partial
    week counts only when its digest exists), from the week the watch started: a week before
    the group collected anything is not a week without a digest."""
    start = _start_week(ctx, _starting({d.week: d for d in ctx.data.digests}))
    weeks = []
    for year, week in ctx.weeks:
        sunday = date.fromisocalendar(year, week, 7)
        if start is None or (year, week) < start:
            continue
        if sunday <= ctx.data.end or week_label(year, week) in found:
            weeks.append((year, week))
    return weeks


def _went_out(digest: DigestDelivery) -> bool:
    """Whether a digest was made available: archived by hand (its sending is not traced),
    published without a mailing list, or sent with a copy delivered or still on its way; not one
    only prepared (a preview) or whose every copy failed."""
    if digest.origin == "archive":
        return True
    if digest.sent_at is None:
        return False
    return digest.recipients == 0 or digest.delivered > 0 or digest.waiting > 0


def _diffusion(ctx: _Ctx) -> Diffusion:
    found = {d.week: d for d in ctx.data.digests}
    expected = _expected_weeks(ctx, set(found))
    start = _start_week(ctx, _starting(found))
    weeks: list[DiffusionWeek] = []
    for year, week in ctx.weeks:
        label = week_label(year, week)
        digest = found.get(label)
        if digest is None:
            if start is None or (year, week) < start:
                status = BEFORE_START
            else:
                status = "aucune synthèse" if (year, week) in expected else "semaine en cours"
        elif digest.origin == "archive":
            status = "synthèse archivée (envoi non tracé)"
        elif digest.sent_at is None:
            status = "préparée, non envoyée"
        elif digest.recipients == 0:
            status = "publiée (archivée, sans envoi par courriel)"
        else:
            delivered = digest.delivered
            status = f"envoyée : {delivered}/{digest.recipients} {plural(delivered, 'remise')}"
            status += ", échecs" if digest.failed else ", en cours" if digest.waiting else ""
        sent_at = digest.sent_at if digest and digest.origin != "archive" else None
        if sent_at and sent_late(ctx.group.digest, IsoWeek(year, week), ctx.tz, sent_at):
            status += ", en retard"  # the digest says it near its top (Digest.late_note)
        sent = digest.sent_at.astimezone(ctx.tz) if digest and digest.sent_at else None
        shown = f"{short_date(sent)} {sent:%H:%M}" if sent else ""
        if status == BEFORE_START and weeks and weeks[-1].status == BEFORE_START:
            # the weeks before the watch started are one row (« Semaines 35 à 48 (du … au …) »),
            # not fifteen rows saying the same thing
            first = weeks.pop()
            first_label = first.week.split(" à ")[0]
            first_year, first_week = first_label.split("-W")
            span = weeks_fr((int(first_year), int(first_week)), (year, week))
            weeks.append(DiffusionWeek(f"{first_label} à {label}", _capital(span), None, status))
            continue
        weeks.append(DiffusionWeek(label, _capital(week_fr(year, week)), digest, status, shown))
    due = [found[week_label(y, w)] for y, w in expected if week_label(y, w) in found]
    went_out = [d for d in due if _went_out(d)]
    return Diffusion(
        weeks=tuple(weeks),
        expected=len(expected),
        with_digest=len(went_out),
        prepared_only=len(due) - len(went_out),
        origin=ctx.data.digest_origin,
        recipients=ctx.recipients(),
        archive=ctx.data.archive,
        schedule=_tools(ctx).digest_schedule,
        started=week_fr(*start) if start and ctx.weeks and ctx.weeks[0] < start else "",
    )


def _bilan(ctx: _Ctx, sources: Sequence[SourceRow], diffusion: Diffusion) -> Bilan:
    week_index = {w: n for n, w in enumerate(ctx.weeks)}
    n = len(ctx.weeks)
    axis_week = {a: [0] * n for a in ctx.axis_order}
    collected_week = [0] * n
    retained_week = [0] * n
    rejected_week = [0] * n
    for item_id, view in ctx.views.items():
        slot = week_index[ctx.item_week(view)]
        collected_week[slot] += 1
        if item_id in ctx.retained:
            retained_week[slot] += 1
        elif item_id in ctx.rejected:
            rejected_week[slot] += 1
        for axis in view.axes:
            if axis in axis_week:
                axis_week[axis][slot] += 1
    axis_collected = [sum(axis_week[a]) for a in ctx.axis_order]
    axis_retained = [
        sum(1 for i in ctx.retained if i in ctx.views and a in ctx.views[i].axes)
        for a in ctx.axis_order
    ]
    uncovered = []
    for axis, total, kept in zip(ctx.axis_order, axis_collected, axis_retained, strict=True):
        if total == 0:
            uncovered.append(f"{ctx.axis_label(axis)} : aucun article collecté")
        elif kept == 0:  # none retained at all included: no axis is covered then
            uncovered.append(f"{ctx.axis_label(axis)} : {counted(total, 'article')}, aucun retenu")
    reasons = Counter(
        c.reason.strip() or "sans motif"
        for i, c in ctx.data.curations.items()
        if c.status == "rejected" and i in ctx.views
    )
    unsorted = (
        len(ctx.views) - len(ctx.retained & set(ctx.views)) - len(ctx.rejected & set(ctx.views))
    )
    actions = sum(1 for f in ctx.fiches.values() if f.action.strip())
    stats = (
        ("Articles collectés", str(len(ctx.views))),
        ("Articles retenus", str(len(ctx.retained & set(ctx.views)))),
        ("Articles rejetés (avec motif)", str(len(ctx.rejected & set(ctx.views)))),
        ("Articles non triés", str(unsorted)),
        ("Fiches de veille", str(len(ctx.fiches))),
        ("Actions proposées", str(actions)),
        ("Synthèses hebdomadaires", f"{diffusion.with_digest}/{diffusion.expected}"),
        (
            "Sources qui fonctionnent",
            f"{sum(1 for s in sources if s.ok)}/{len(sources)}",
        ),
    )
    limits = []
    never = [s.name for s in sources if s.state == NEVER_COLLECTED]
    for s in sources:
        if not s.ok and s.state != NEVER_COLLECTED:  # each failure says its own error
            limits.append(f"Source « {s.name} » : {s.state} — à remplacer ou à corriger.")
    if never:  # one line for them all: the same thing to say of each
        limits.append(
            f"{counted(len(never), 'source jamais collectée', 'sources jamais collectées')} — à "
            "vérifier ou à remplacer : " + ", ".join(never) + "."
        )
    limits += [f"Axe {u}." for u in uncovered]
    missing = [w.label for w in diffusion.weeks if w.status == "aucune synthèse"]
    if missing:  # « Semaines sans synthèse : semaine 39 (du 21 au 27 septembre 2026). »
        limits.append("Semaines sans synthèse : " + ", ".join(map(_lower, missing)) + ".")
    unrated = [s.label for s in ctx.sources.values() if s.rating is None]
    if unrated:
        limits.append("Sources non notées (grille VERIF) : " + ", ".join(unrated) + ".")
    if unsorted:
        not_sorted = plural(unsorted, "n'a pas été trié", "n'ont pas été triés")
        limits.append(
            f"{counted(unsorted, 'article collecté', 'articles collectés')} {not_sorted}."
        )
    return Bilan(
        stats=stats,
        weeks=tuple(week_label(y, w) for y, w in ctx.weeks),
        axis_labels=tuple(ctx.axis_label(a) for a in ctx.axis_order),
        axis_week=tuple(tuple(axis_week[a]) for a in ctx.axis_order),
        collected_week=tuple(collected_week),
        retained_week=tuple(retained_week),
        curation_week=tuple(ctx.curation_weeks()[w] for w in ctx.weeks),
        axis_collected=tuple(axis_collected),
        axis_retained=tuple(axis_retained),
        uncovered=tuple(uncovered),
        rejection_reasons=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        limits=tuple(limits),
        rejected_week=tuple(rejected_week),
    )


def _contributions(ctx: _Ctx) -> tuple[Contribution, ...]:
    per_actor: dict[str, list[Activity]] = defaultdict(list)
    for entry in ctx.data.activity:
        per_actor[entry.actor].append(entry)
    found: dict[str, Contribution] = {}
    for actor, entries in per_actor.items():
        name, role, member = ctx.actor_name(actor)
        counts = Counter(ACTION_LABELS.get(e.action, e.action) for e in entries)
        found[name] = Contribution(
            actor=actor,
            name=name,
            role=role,
            member=member,
            counts=tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
            total=len(entries),
            entries=tuple(
                (
                    clock(e.at, ctx.tz.key),
                    ACTION_LABELS.get(e.action, e.action)
                    + (f" — {e.details['reason']}" if e.details.get("reason") else ""),
                    ctx.ref(e.item_id).title if e.item_id is not None else "",
                )
                for e in entries
            ),
        )
    for person in ctx.members:  # a member who did nothing is shown too: the jury wants to know
        if person.name not in found:
            found[person.name] = Contribution(
                person.email, person.name, person.role, True, (), 0, ()
            )
    return tuple(sorted(found.values(), key=lambda c: (not c.member, c.name)))


def _bibliography(ctx: _Ctx, legal: Sequence[LegalRow]) -> Bibliography:
    cited = sorted(set(ctx.fiches) | (ctx.retained & set(ctx.views)))
    web = []
    for item_id in cited:
        view = ctx.views[item_id]
        if view.item.kind == CHANGE_KIND:
            seen = view.item.fetched_at.astimezone(ctx.tz).date()
            web.append(
                iso690_change(
                    page=ctx.source_name(view.item.source_id),
                    url=view.item.url,
                    changed=_local_date(view.item.published_at, ctx.tz) or seen,
                    consulted=seen,
                )
            )
            continue
        web.append(
            iso690_web(
                title=view.item.title or view.item.url,
                site=ctx.source_name(view.item.source_id),
                url=view.item.url,
                consulted=view.item.fetched_at.astimezone(ctx.tz).date(),
                author=view.item.author,
                published=_local_date(view.item.published_at, ctx.tz),
            )
        )
    # a source with no crawl record: the day its latest article of the period was collected
    # (None: never consulted)
    collected: dict[str, datetime] = {}
    for view in ctx.views.values():
        source_id, moment = view.item.source_id, view.item.fetched_at
        if source_id not in collected or moment > collected[source_id]:
            collected[source_id] = moment
    sites = []
    for source in sorted(ctx.sources.values(), key=lambda s: s.label.lower()):
        state = ctx.data.source_states.get(source.id)
        if state is None:
            day = _local_date(collected.get(source.id), ctx.tz)
            sites.append(iso690_site(name=source.label, url=source.url, consulted=day))
            continue
        reached = _local_date(state.last_success_at, ctx.tz)
        failed = state.last_error_at if state.consecutive_failures > 0 else None
        dead = failed is not None and (
            state.last_success_at is None or state.last_success_at <= failed
        )
        sites.append(
            iso690_site(
                name=source.label,
                url=source.url,
                consulted=reached
                if dead
                else reached or _local_date(collected.get(source.id), ctx.tz),
                unreachable=_local_date(failed, ctx.tz) if dead else None,
            )
        )
    laws = [
        f"{row.citation}. Disponible à l'adresse : {row.url}" if row.url else row.citation
        for row in legal
    ]
    return Bibliography(
        tuple(sorted(web, key=str.lower)), tuple(sites), tuple(sorted(laws, key=str.lower))
    )


def _c1_market(ctx: _Ctx) -> list[Fact]:
    """C1 — Market watch and action proposals."""
    views = ctx.views
    retained = ctx.retained & set(views)
    with_action = [i for i, f in ctx.fiches.items() if f.action.strip()]
    facts: list[Fact] = []
    market = [a for a in ctx.watch.axes if _MARKET_RE.search(f"{a.id} {a.label}")]
    if not market:
        facts.append(Fact("Aucun axe « marché / concurrence » dans le plan de veille.", (), "plan"))
    for axis in market:
        ids = [i for i, v in views.items() if axis.id in v.axes]
        kept = [i for i in ids if i in retained]
        facts.append(
            Fact(
                f"Axe {axis.label} : {counted(len(ids), 'article collecté', 'articles collectés')}"
                f", {counted(len(kept), 'retenu')}",
                ctx.refs(kept),
                "resultats",
            )
        )
        fiche_ids = [i for i in ctx.fiches if axis.id in views[i].axes]
        acted = [i for i in fiche_ids if i in with_action]
        facts.append(
            Fact(
                f"Axe {axis.label} : "
                f"{counted(len(fiche_ids), 'fiche de veille', 'fiches de veille')}, dont "
                f"{len(acted)} avec une action proposée",
                ctx.refs(acted),
                "actions",
            )
        )
    complete = [
        i for i in with_action if ctx.fiches[i].action_owner and ctx.fiches[i].action_deadline
    ]
    facts.append(
        Fact(
            f"{len(with_action)}/{len(ctx.fiches)} {plural(len(with_action), 'fiche')} avec une "
            "action proposée, dont "
            f"{len(complete)} avec un responsable et une échéance",
            ctx.refs(with_action),
            "actions",
        )
    )
    facts += _c1_actors(ctx, market)
    return facts


def _c1_actors(ctx: _Ctx, market: Sequence[Axis]) -> list[Fact]:
    """The organisations the market axes' items name most: only the entities the model is sure
    of (`EntityMention.confident`, as on the item page), said outside citations."""
    # the reference rules (~0.1 s to import): when a dossier is built, not for `watcher --help`
    from watcher.understand.prefill import confident_actor, outside_citations

    views = ctx.views
    orgs: Counter[str] = Counter()
    org_items: dict[str, set[int]] = defaultdict(set)
    market_ids = {i for i, v in views.items() if any(a.id in v.axes for a in market)}
    tagged = Counter(e.key for v in views.values() for e in v.entities if e.label in ("ORG", "PER"))
    for item_id in market_ids:
        plain, cited = outside_citations(views[item_id])
        for entity in views[item_id].entities:  # actors: not a legal text (RGPD, the « UE »
            name = tidy_name(entity.name)  # of a citation), nor a word opening a sentence
            if (
                entity.label == "ORG"
                and entity.confident
                and confident_actor(
                    entity, name, plain, cited, tagged[entity.key], ctx.data.now.date()
                )
            ):
                orgs[name] += 1
                org_items[name].add(item_id)
    if not orgs:
        return []
    top = sorted(orgs.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    return [
        Fact(
            "Acteurs repérés (organisations) : "
            + ", ".join(f"{name} ({count})" for name, count in top),
            ctx.refs(set().union(*(org_items[n] for n, _ in top))),
            "resultats",
        )
    ]


def _c2_legal(ctx: _Ctx, legal: Sequence[LegalRow]) -> list[Fact]:
    """C2 — Legal and normative watch."""
    views = ctx.views
    retained = ctx.retained & set(views)
    facts: list[Fact] = []
    legal_axes = [a for a in ctx.watch.axes if _LEGAL_RE.search(f"{a.id} {a.label}")]
    for axis in legal_axes:
        ids = [i for i, v in views.items() if axis.id in v.axes]
        keys = {r.key for i in ids for r in views[i].refs}
        facts.append(
            Fact(
                f"Axe {axis.label} : {counted(len(ids), 'article')}, "
                f"{counted(len(keys), 'texte ou norme lié', 'textes ou normes liés')}",
                ctx.refs(i for i in ids if views[i].refs),
                "textes",
            )
        )
    kinds = Counter(
        "normes" if r.nature == "Norme" else "actes UE" if "Union" in r.nature else "textes FR"
        for r in legal
    )
    official = sum(1 for r in legal if r.official)
    facts.append(
        Fact(
            f"{counted(len(legal), 'référence reconnue', 'références reconnues')} ("
            f"{counted(kinds['textes FR'], *FRENCH_TEXTS)}, "
            f"{counted(kinds['actes UE'], *EU_ACTS)}, "
            f"{counted(kinds['normes'], 'norme')}), dont "
            f"{official} avec un lien officiel (Légifrance, EUR-Lex)",
            (),
            "textes",
        )
    )
    in_retained = [r for r in legal if r.retained]
    facts.append(
        Fact(
            f"{counted(len(in_retained), 'référence citée', 'références citées')} dans des "
            "articles retenus, "
            "avec leur citation normalisée (Ref-Lex)",
            ctx.refs(i.id for r in in_retained for i in r.items if i.id in retained),
            "textes",
        )
    )
    return facts


def _c3_environment(ctx: _Ctx) -> list[Fact]:
    """C3 — The economic, legal, social and cultural environment, kept up to date."""
    views = ctx.views
    facts: list[Fact] = []
    topics = Counter(t for v in views.values() for t in v.topics)
    dimensions = sorted(
        {ctx.data.topics[t][1] for t in topics if t in ctx.data.topics and ctx.data.topics[t][1]}
    )
    if topics:
        top_topics = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        names = ", ".join(f"{ctx.data.topics.get(t, (t, ''))[0]} ({n})" for t, n in top_topics)
        facts.append(
            Fact(
                f"{counted(len(topics), 'thème PESTEL repéré', 'thèmes PESTEL repérés')} sur "
                f"{counted(len(dimensions), 'dimension')}"
                + (f" ({', '.join(dimensions)})" if dimensions else "")
                + f" ; les plus fréquents : {names}",
                (),
                "bilan",
            )
        )
    collecting = _bilan_counts(ctx)
    curating = ctx.curation_weeks()
    active_weeks = sum(1 for c in collecting if c)
    facts.append(
        Fact(
            f"{active_weeks}/{len(ctx.weeks)} {plural(active_weeks, 'semaine')} avec au moins un "
            "article collecté",
            (),
            "bilan",
        )
    )
    sorting = sum(1 for w in ctx.weeks if curating[w])
    either = sum(1 for w, c in zip(ctx.weeks, collecting, strict=True) if c or curating[w])
    facts.append(
        Fact(
            f"Tri et fiches du groupe : {sorting}/{len(ctx.weeks)} {plural(sorting, 'semaine')} "
            f"avec une activité ; veille active (collecte ou tri) {either}/{len(ctx.weeks)} "
            f"{plural(either, 'semaine')} "
            "— les semaines comptent la date de collecte et de tri, pas celle de publication",
            (),
            "journal",
        )
    )
    updated = [i for i, v in views.items() if v.item.version > 1]
    facts.append(
        Fact(
            f"{counted(len(updated), 'article mis à jour', 'articles mis à jour')} par leur "
            f"source et {plural(len(updated), 're-collecté', 're-collectés')} "
            "(les versions précédentes sont conservées)",
            ctx.refs(updated),
            "outils",
        )
    )
    runs = ctx.data.crawl.get("", CrawlCounts()).attempts
    runs_said = counted(runs, "collecte automatique", "collectes automatiques")
    facts.append(Fact(f"{runs_said} pendant la période", (), "outils"))
    return facts


def _c4_office_tools(ctx: _Ctx) -> list[Fact]:
    """C4 — Office tools for professional documents."""
    facts: list[Fact] = []
    full = [i for i, f in ctx.fiches.items() if all(getattr(f, name).strip() for name, _ in QQOQCP)]
    notes = []
    if "docx" in ctx.data.formats:
        notes.append("DOCX modifiable dans un traitement de texte")
    if "xlsx" in ctx.data.formats:
        notes.append("XLSX : plan de veille, grille des sources, références")
    facts.append(
        Fact(
            "Dossier produit en "
            + ", ".join(f.upper() for f in ctx.data.formats)
            + (f" ({' ; '.join(notes)})" if notes else ""),
            (),
            "",
        )
    )
    facts.append(
        Fact(
            f"{counted(len(ctx.fiches), 'fiche de veille rédigée', 'fiches de veille rédigées')}"
            f", dont {len(full)} avec un QQOQCP complet (7 questions)",
            ctx.refs(ctx.fiches),
            "resultats",
        )
    )
    facts.append(
        Fact(
            "Graphiques du bilan tirés des données de la veille (articles par axe et par semaine, "
            "retenus / collectés, état des sources)",
            (),
            "bilan",
        )
    )
    return facts


def _c5_collect_and_check(ctx: _Ctx, sources: Sequence[SourceRow]) -> list[Fact]:
    """C5 — Collecting and checking the information."""
    views = ctx.views
    retained = ctx.retained & set(views)
    facts: list[Fact] = []
    rated = [s for s in sources if s.total is not None]
    facts.append(
        Fact(
            f"{len(rated)}/{len(sources)} {plural(len(rated), 'source notée', 'sources notées')} "
            "sur la grille VERIF",
            (),
            "sources",
        )
    )
    primaires = sum(1 for s in sources if s.level == "primaire")
    facts.append(
        Fact(
            f"{counted(primaires, 'source primaire', 'sources primaires')}, "
            f"{counted(len(sources) - primaires, 'secondaire')}",
            (),
            "sources",
        )
    )
    crossed = [i for i, f in ctx.fiches.items() if f.crosscheck_item_id]
    facts.append(
        Fact(
            f"{len(crossed)}/{len(ctx.fiches)} "
            f"{plural(len(crossed), 'fiche recoupée', 'fiches recoupées')} par une seconde source",
            ctx.refs(crossed),
            "resultats",
        )
    )
    rejected = ctx.rejected & set(views)
    facts.append(
        Fact(
            f"Tri : {counted(len(retained), 'article retenu', 'articles retenus')}, "
            f"{counted(len(rejected), 'rejeté')} avec un motif, sur "
            f"{counted(len(views), 'collecté')}",
            ctx.refs(rejected),
            "bilan",
        )
    )
    multi = [
        i
        for i, v in views.items()
        if v.cluster_id is not None and ctx.data.cluster_sizes.get(v.cluster_id, 1) > 1
    ]
    if multi:
        facts.append(
            Fact(
                f"{counted(len(multi), 'article signalé', 'articles signalés')} par plusieurs "
                "sources (doublons regroupés)",
                ctx.refs(multi),
                "resultats",
            )
        )
    return facts


def _c6_availability(ctx: _Ctx, diffusion: Diffusion) -> list[Fact]:
    """C6 — Making the information available."""
    facts: list[Fact] = []
    facts.append(
        Fact(
            diffusion.summary(),
            (),
            "diffusion",
        )
    )
    sent, published = diffusion.mailed(), diffusion.published_only()
    parts = []
    if sent:
        parts.append(
            f"{counted(len(sent), 'synthèse envoyée', 'synthèses envoyées')} : "
            f"{counted(sum(d.delivered for d in sent), 'remise')}, "
            f"{counted(sum(d.failed for d in sent), 'échec')}"
        )
    if published:
        parts.append(
            f"{counted(len(published), 'publiée')} sans envoi par courriel"
            if sent
            else f"{counted(len(published), 'synthèse publiée', 'synthèses publiées')} sans "
            "envoi par courriel"
        )
    if parts:
        facts.append(Fact(" ; ".join(parts), (), "diffusion"))
    facts.append(
        Fact(
            f"Liste de diffusion : {counted(len(diffusion.recipients), 'destinataire')} ; "
            f"envoi {diffusion.schedule}",
            (),
            "diffusion",
        )
    )
    facts.append(
        Fact(
            f"{counted(len(ctx.data.saved_searches), *SAVED_SEARCHES)} ; articles indexés et "
            "consultables par recherche plein texte",
            (),
            "outils",
        )
    )
    return facts


def _c7_software(ctx: _Ctx, tools: Tools, contributions: Sequence[Contribution]) -> list[Fact]:
    """C7 — Software in use in companies."""
    facts: list[Fact] = []
    kinds_text = ", ".join(f"{label} : {count}" for label, count in tools.kinds)
    facts.append(Fact(f"Collecte automatisée — {kinds_text}", (), "outils"))
    facts.append(
        Fact(
            "Exports tableur (XLSX) du plan de veille, de la grille des sources et des "
            "références, importables dans Excel ou un CRM",
            (),
            "",
        )
    )
    members_active = sum(1 for c in contributions if c.member and c.total)
    facts.append(
        Fact(
            f"{counted(sum(c.total for c in contributions), 'opération')} dans l'outil (tri, "
            f"fiches), par {members_active}/{len(ctx.members)} "
            f"{plural(members_active, 'membre')} du groupe",
            (),
            "journal",
        )
    )
    return facts


def _evidence(
    ctx: _Ctx,
    *,
    prices: Sequence[PriceHistory],
    legal: Sequence[LegalRow],
    sources: Sequence[SourceRow],
    diffusion: Diffusion,
    tools: Tools,
    contributions: Sequence[Contribution],
) -> tuple[CompetenceEvidence, ...]:
    """What the watch shows for each competence of block 1 (informs the jury, grades nothing)."""
    facts = {
        "C1": _c1_market(ctx) + _c1_prices(prices),
        "C2": _c2_legal(ctx, legal),
        "C3": _c3_environment(ctx),
        "C4": _c4_office_tools(ctx),
        "C5": _c5_collect_and_check(ctx, sources),
        "C6": _c6_availability(ctx, diffusion),
        "C7": _c7_software(ctx, tools, contributions),
    }
    return tuple(CompetenceEvidence(code, label, tuple(facts[code])) for code, label in COMPETENCES)


def _bilan_counts(ctx: _Ctx) -> list[int]:
    counts = Counter(ctx.item_week(v) for v in ctx.views.values())
    return [counts[w] for w in ctx.weeks]


def build_dossier(data: DossierInput) -> Dossier:
    """Everything the dossier shows, from the group's data for the period."""
    if data.end < data.start:
        raise ValueError("la date de fin précède la date de début")
    if not any(g.id == data.group_id for g in data.watch.groups):
        raise ValueError(f"groupe inconnu : {data.group_id}")
    ctx = _Ctx(data)
    activity = _axis_activity(ctx)
    owners = {
        a.id: axis_owner(a, ctx.members, activity.get(a.id, Counter())) for a in ctx.watch.axes
    }
    sources = _sources(ctx)
    tools = _tools(ctx)
    legal = _legal(ctx)
    diffusion = _diffusion(ctx)
    contributions = _contributions(ctx)
    prices = _prices(ctx)
    return Dossier(
        cover=_cover(ctx),
        needs=_needs(ctx, owners),
        plan=_plan(ctx, owners),
        sources=sources,
        sources_rated=sum(1 for s in sources if s.total is not None),
        tools=tools,
        results=_results(ctx),
        legal=legal,
        actions=_actions(ctx),
        diffusion=diffusion,
        bilan=_bilan(ctx, sources, diffusion),
        contributions=contributions,
        bibliography=_bibliography(ctx, legal),
        evidence=_evidence(
            ctx,
            prices=prices,
            legal=legal,
            sources=sources,
            diffusion=diffusion,
            tools=tools,
            contributions=contributions,
        ),
        start=data.start,
        end=data.end,
        prices=prices,
    )


def period_bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) on the watch's wall clock, in UTC."""
    return (
        datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC),
    )
