"""A group's ISO week → the context of its weekly digest (pure: no I/O, `now` is a parameter).

What goes in (domain.md §4.1):

- the pool is what the shell hands over (`watcher.jobs.week_data`, the week rule of
  docs/digest.md): every item of the group collected before the digest's cutoff (the end of its
  week, or the moment it is sent early) that no sent digest of the group counts yet — so each
  collected item is counted by exactly one sent digest, and what arrives after an early send
  rolls into the next one, marked as such; plus the items the group retained that a sent digest
  counted without showing them (a late « retenu » is not lost, and never shown twice);
- rejected items are out, and so is a near-duplicate story the group rejected and did not retain
  elsewhere; near-duplicates are collapsed into one entry that lists the other sources;
- items the group retained come first, in ranking order; then, while the digest has fewer than
  `MAX_ITEMS`, the best-ranked items that match an axis or cite a text, marked as an automatic
  selection (« à relire ») so that the *tri* stays visible;
- ranking: relevance to the axes, source reliability (level + VERIF rating), novelty, the group's
  own work (a fiche), corroboration by other sources, cited texts;
- the summary is the group's own words (fiche) where written, else a short automatic extract that
  is never the full article (copyright: CPI L. 122-5; a panorama would need a CFC licence).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from watcher.changes import CHANGE_KIND, PageVersion, Segment, diff_excerpt, price_change, word_diff
from watcher.config import DigestSchedule, Source, Watch
from watcher.dates import date_fr, week_code_fr, week_days_fr, week_fr
from watcher.errors import BadValue
from watcher.labels import (
    SOURCE_DEAD,
    SOURCE_FAILING,
    SOURCE_IN_SERVICE,
    SOURCE_NEVER_COLLECTED,
    tidy_name,
    tutor_role,
)
from watcher.model import (
    Curation,
    Fiche,
    ItemView,
    Pinpoint,
    RefMention,
    SourceState,
    articles_in_order,
)
from watcher.plural import counted, plural
from watcher.text import teaser

MAX_ITEMS = 10  # retained + automatic selection, "5–10 items, readable in 5 minutes"
MAX_RETAINED = 20  # the group chose them; still, don't drown the reader
MAX_CHANGES = 10  # changes of watched pages, in their own section
MAX_CATCH_UP_WEEKS = 4  # missed weeks sent one by one after a downtime; older ones fold in
EXTRACT_CHARS = 300
DEAD_AFTER_FAILURES = 3
DEAD_AFTER = timedelta(days=7)
NEVER_SENT_GRACE = timedelta(hours=24)
OTHER_AXIS = "autres"
WEEKDAY_NUMBERS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
REF_NATURES = {
    "fr_text": "Texte français",
    "code_article": "Article de code",
    "nor": "Texte (NOR)",
    "legi_id": "Texte (Légifrance)",
    "eli": "Texte (ELI)",
    "eu_act": "Acte de l'UE",
    "celex": "Acte de l'UE (CELEX)",
    "standard": "Norme",
    "code": "Code",
    "fundamental": "Texte constitutionnel ou traité",
    "decision": "Décision (juridiction, autorité)",
}
WEEK_PATTERN = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)  # 2026-W48
_SENTENCE_END = re.compile(r"[.!?…»](?=\s)")


# --- ISO weeks and when a week's digest is due ------------------------------------------------


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """'2026-W48' (or '2026W48') → IsoWeek; BadValue (a ValueError) if it does not exist."""
        match = WEEK_PATTERN.match(text)
        if not match:
            raise BadValue(
                f"Semaine invalide : « {text} » — écrivez l'année, W et le numéro de la semaine "
                "ISO — exemple : 2026-W48"
            )
        found = cls(int(match.group(1)), int(match.group(2)))
        try:
            date.fromisocalendar(found.year, found.week, 1)
        except ValueError as exc:
            weeks = date(found.year, 12, 28).isocalendar().week  # 28 December: the last week
            raise BadValue(
                f"Semaine invalide : {text} n'existe pas ({found.year} compte {weeks} semaines "
                "ISO) — exemple : 2026-W48"
            ) from exc
        return found

    @classmethod
    def of(cls, moment: datetime, tz: ZoneInfo) -> IsoWeek:
        """The ISO week a moment falls in, on the watch's wall clock."""
        year, week, _ = moment.astimezone(tz).isocalendar()
        return cls(year, week)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def fr(self) -> str:
        """What a person reads: « semaine 50 (du 7 au 13 décembre 2026) » (str(): the code)."""
        return week_fr(self.year, self.week)

    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def sunday(self) -> date:
        return self.monday() + timedelta(days=6)

    def start(self, tz: ZoneInfo) -> datetime:
        """Monday 00:00 on the watch's wall clock, in UTC."""
        return datetime.combine(self.monday(), time(0, 0), tzinfo=tz).astimezone(UTC)

    def end(self, tz: ZoneInfo) -> datetime:
        """The next Monday 00:00 (exclusive), in UTC."""
        return self.following().start(tz)

    def following(self) -> IsoWeek:
        year, week, _ = (self.monday() + timedelta(days=7)).isocalendar()
        return IsoWeek(year, week)

    def previous(self) -> IsoWeek:
        year, week, _ = (self.monday() - timedelta(days=7)).isocalendar()
        return IsoWeek(year, week)


def last_complete_week(now: datetime, tz: ZoneInfo) -> IsoWeek:
    return IsoWeek.of(now, tz).previous()


def digest_time(schedule: DigestSchedule, week: IsoWeek, tz: ZoneInfo) -> datetime:
    """When the digest of `week` is due (UTC): its weekday and time in the FOLLOWING week, on the
    watch's wall clock. A time that does not exist (spring forward) fires at the same offset as
    the hour before, i.e. one hour later on the wall clock; a time that happens twice (fall back)
    fires at its first occurrence only."""
    hour, minute = (int(part) for part in schedule.time.split(":"))
    day = week.following().monday() + timedelta(days=WEEKDAY_NUMBERS[schedule.weekday])
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def sent_late(schedule: DigestSchedule, week: IsoWeek, tz: ZoneInfo, sent: datetime) -> bool:
    """Whether a digest of `week` sent at `sent` went out late: on a later day (the watch's wall
    clock) than its due time — a digest sent by hand a few hours after it, the same day, is
    not; one sent after a machine stop (`weeks_to_catch_up`) is. The digest says it near its
    top, and the dossier's list of digests too (the group's schedule as sources.yml has it)."""
    due = digest_time(schedule, week, tz).astimezone(tz)
    return sent.astimezone(tz).date() > due.date()


def due_week(schedule: DigestSchedule, tz: ZoneInfo, now: datetime) -> IsoWeek:
    """The latest week whose digest time has come by `now`."""
    week = IsoWeek.of(now, tz).previous()
    while digest_time(schedule, week, tz) > now:
        week = week.previous()
    return week


def next_digest_time(schedule: DigestSchedule, tz: ZoneInfo, now: datetime) -> datetime:
    """The next moment (UTC, strictly after `now`) a digest of this schedule is due."""
    return digest_time(schedule, due_week(schedule, tz, now).following(), tz)


def weeks_to_catch_up(
    schedule: DigestSchedule, tz: ZoneInfo, now: datetime, last_done: IsoWeek | None
) -> list[IsoWeek]:
    """The digests to send, oldest first, when runs were missed (the machine off, asleep): each
    missed week is sent once, labelled with its own week and holding its own items, up to the
    latest due week — at most MAX_CATCH_UP_WEEKS of them (the oldest of those then also holds
    what the weeks before it collected, each such item marked « reporté »). A group that never
    had a digest gets the latest due one only, and only if its time passed less than a day ago
    (a first start-up long after the scheduled time waits for the next one)."""
    latest = due_week(schedule, tz, now)
    if last_done is None:
        recent = now - digest_time(schedule, latest, tz) <= NEVER_SENT_GRACE
        return [latest] if recent else []
    weeks: list[IsoWeek] = []
    week = latest
    while last_done < week and len(weeks) < MAX_CATCH_UP_WEEKS:
        weeks.append(week)
        week = week.previous()
    return weeks[::-1]


def week_to_catch_up(
    schedule: DigestSchedule, tz: ZoneInfo, now: datetime, last_done: IsoWeek | None
) -> IsoWeek | None:
    """The next digest to send when runs were missed: the oldest of `weeks_to_catch_up`."""
    weeks = weeks_to_catch_up(schedule, tz, now, last_done)
    return weeks[0] if weeks else None


# --- the context ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OtherSource:
    name: str
    url: str


@dataclass(frozen=True)
class DigestItem:
    item_id: int
    anchor: str
    title: str
    url: str
    source_id: str
    source_name: str
    level: str  # primaire | secondaire
    rating: int | None  # VERIF total /15
    published: datetime | None  # on the watch's wall clock
    collected: datetime  # idem
    summary: str
    summary_is_extract: bool  # True: automatic extract, not the group's words
    importance: str
    action: str
    action_owner: str
    action_deadline: date | None
    retained: bool  # retained by the group (False: automatic selection, to review)
    note: str  # why an item from before this week is here ("" for this week's items)
    axis_id: str
    axes: tuple[str, ...]
    refs: tuple[RefMention, ...]
    also: tuple[OtherSource, ...]
    score: float


@dataclass(frozen=True)
class ChangeItem:
    """A change of a watched page, as the section « Changements détectés » shows it."""

    item_id: int
    anchor: str
    title: str  # « Modification : <page> »
    url: str  # the watched page
    source_name: str
    collected: datetime  # on the watch's wall clock
    price: str  # « 49,90 € → 44,90 € (−10 %) », "" when the price did not change
    segments: tuple[Segment, ...]  # the word diff around what changed
    summary: str  # what was added and removed, when the versions are not at hand
    retained: bool
    refs: tuple[RefMention, ...] = ()  # legal and normative texts cited by the added text


@dataclass(frozen=True)
class AxisSection:
    id: str
    label: str
    anchor: str
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class LegalText:
    key: str
    label: str
    nature: str
    url: str
    official: bool
    cited_in: tuple[DigestItem | ChangeItem, ...]
    # the articles of the act cited by those items, in the act's order (« art. 12, art. 82 »)
    pinpoints: tuple[Pinpoint, ...] = ()

    @property
    def articles(self) -> str:
        """The articles cited, as a reader writes them: « art. 12, art. 82 » ("" if none)."""
        return ", ".join(p.label for p in self.pinpoints)


@dataclass(frozen=True)
class SourceHealth:
    id: str
    name: str
    level: str
    rating: int | None
    state: str  # en service | en échec | hors service | jamais collectée
    collected: int  # items collected this week (a watched page: its changes)
    last_success: datetime | None
    last_error: str
    failures: int
    watched: bool = False  # a watched page (`kind: monitor`): what it brings are changes

    @property
    def dead(self) -> bool:
        return self.state == SOURCE_DEAD


@dataclass(frozen=True)
class Person:
    name: str
    role: str


@dataclass(frozen=True)
class Digest:
    watch_name: str
    group_id: str
    group_name: str
    week: IsoWeek
    first_day: date
    last_day: date
    generated_at: datetime
    cutoff: datetime  # items collected until then (wall clock): the week's end, or earlier
    subject: str
    keywords: tuple[str, ...]
    une: tuple[DigestItem, ...]
    sections: tuple[AxisSection, ...]
    legal: tuple[LegalText, ...]
    actions: tuple[DigestItem, ...]
    sources: tuple[SourceHealth, ...]
    editors: tuple[Person, ...]
    tutor: Person | None
    collected: int
    shown: int
    retained_by_group: int
    rejected: int
    carried: int  # counted items collected before this week (after an early send, or unsent)
    counted_ids: tuple[int, ...]  # the collected items this digest accounts for
    early: bool  # the cutoff is before the end of the week (sent early, or a preview)
    changes: tuple[ChangeItem, ...] = ()  # changes of watched pages (« Changements détectés »)
    # when the week's digest was due (wall clock; None: no schedule known), and whether this
    # rendering is the one sent (frozen with it) rather than a preview
    due: datetime | None = None
    sending: bool = False
    # no digest of the group went out for an earlier week: an empty one says « depuis le début
    # de la veille », not « depuis la synthèse précédente »
    first: bool = False

    @property
    def late(self) -> bool:
        """Sent (or, for a preview, made) on a later day than it was due (`sent_late`)."""
        return self.due is not None and self.generated_at.date() > self.due.date()

    @property
    def late_note(self) -> str:
        """« Synthèse de la semaine 13, envoyée en retard le 21 avril 2027 » (a preview: « pas
        encore envoyée »), "" when it is not late."""
        if not self.late or self.due is None:
            return ""
        done = (
            f"envoyée en retard le {date_fr(self.generated_at.date())}"
            if self.sending
            else "pas encore envoyée"
        )
        return (
            f"Synthèse de la semaine {self.week.week}, {done} : elle était prévue le "
            f"{date_fr(self.due.date())} à {self.due:%H:%M}. Elle porte sur les articles "
            f"collectés du {date_fr(self.first_day)} au {date_fr(self.last_day)}."
        )

    @property
    def empty(self) -> bool:
        return self.shown == 0

    @property
    def empty_note(self) -> str:
        """Why a digest that collected items shows none: the group rejected them, or they match
        no axis (then the plan de veille or the sources are worth a look) — never the one
        said for the other."""
        found = counted(self.collected, "article collecté", "articles collectés")
        others = self.collected - self.rejected
        check = " Vérifiez l'état des sources ci-dessous."
        unmatched = plural(
            others,
            "ne se rattache à aucun axe du plan de veille",
            "ne se rattachent à aucun axe du plan de veille",
        )
        if self.rejected == 0:
            return (
                f"{found}, "
                + plural(
                    others,
                    "qui ne se rattache à aucun axe du plan de veille et n'a pas été retenu",
                    "aucun ne se rattache à un axe du plan de veille ni n'a été retenu",
                )
                + " par le groupe."
                + check
            )
        if others <= 0:
            return f"{found}, {plural(self.collected, 'écarté', 'tous écartés')} par le groupe."
        return (
            f"{found} : {counted(self.rejected, 'écarté', 'écartés')} par le groupe, "
            f"{others} qui {unmatched}." + check
        )

    @property
    def shown_ids(self) -> tuple[int, ...]:
        return tuple(i.item_id for i in self.items) + tuple(c.item_id for c in self.changes)

    @property
    def items(self) -> tuple[DigestItem, ...]:
        return self.une + tuple(i for s in self.sections for i in s.items)

    @property
    def dead_sources(self) -> tuple[SourceHealth, ...]:
        return tuple(s for s in self.sources if s.dead)


Candidate = tuple[bool, float, ItemView, tuple[OtherSource, ...]]  # retained, score, head, also


@dataclass(frozen=True)
class WeekData:
    """What the shell read from the store for one group and week."""

    views: Sequence[ItemView]  # the pool: counted items + late « retenus » (see module doc)
    collected: int  # counted items (before collapsing)
    curations: Mapping[int, Curation] = field(default_factory=dict)
    fiches: Mapping[int, Fiche] = field(default_factory=dict)
    clusters: Mapping[int, Sequence[tuple[int, str, str]]] = field(default_factory=dict)
    states: Mapping[str, SourceState] = field(default_factory=dict)
    collected_per_source: Mapping[str, int] = field(default_factory=dict)
    late: Mapping[int, str] = field(default_factory=dict)  # late « retenu » → week counting it
    sent: Mapping[str, datetime] = field(default_factory=dict)  # sent week → its cutoff
    cutoff: datetime | None = None  # None: the end of the week
    # change item → (the version before it, its own): what its diff is made of
    changes: Mapping[int, tuple[PageVersion, PageVersion]] = field(default_factory=dict)


# --- text helpers -----------------------------------------------------------------------------


def short_extract(text: str, full_length: int, limit: int = EXTRACT_CHARS) -> str:
    """A short opening of `text` (the publisher's teaser, else the article), never the whole
    article: at most `limit` characters, and at most half of an article shorter than twice
    that (`full_length` is the article's length). Cut after a sentence when one ends late
    enough, else after a word, with « … »."""
    words = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    if not words:
        return ""
    if full_length < 2 * limit:
        limit = max(min(limit, full_length // 2), 40)
    if len(words) <= limit and len(words) < full_length:
        return words
    head = words[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= limit]
    if ends and ends[-1] >= limit * 0.4:
        return head[: ends[-1]].strip()
    cut = head.rfind(" ", 0, limit)
    return head[: cut if cut > limit * 0.4 else limit].rstrip(" ,;:—–-") + " …"


def _anchor(prefix: str, value: str | int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return f"{prefix}-{slug}"


# --- ranking ----------------------------------------------------------------------------------


def reliability(source: Source | None) -> float:
    """0–1: the source's level and its VERIF rating (/15; unrated counts as middling)."""
    if source is None:
        return 0.0
    rated = source.rating.total / 15 if source.rating else 0.4
    return 0.5 * (source.level == "primaire") + 0.5 * rated


def novelty(published: datetime | None, week_start: datetime) -> float:
    """1 for news published this week or the one before, less for old news found late."""
    if published is None:
        return 0.7
    if published >= week_start - timedelta(days=7):
        return 1.0
    return 0.3


def relevance(view: ItemView) -> float:
    """0–1: does processing tie the item to an axis of the plan de veille (and to several)?"""
    if not view.axes:
        return 0.0
    return min(1.0, 0.7 + 0.15 * (len(view.axes) - 1))


def score(
    view: ItemView,
    source: Source | None,
    fiche: Fiche | None,
    others: int,
    week_start: datetime,
) -> float:
    value = 3 * relevance(view) + 2 * reliability(source)
    value += novelty(view.item.published_at, week_start)
    value += 0.5 * min(others, 3)  # recoupement: other sources tell the same story
    value += 0.5 * bool(view.refs)
    if fiche and (fiche.summary or fiche.importance or fiche.action):
        value += 1.0
    return round(value, 3)


# --- building the digest ----------------------------------------------------------------------


def _primary_axis(view: ItemView, source: Source | None, axis_order: Sequence[str]) -> str:
    declared = source.axis if source else ()
    for axis in axis_order:
        if axis in view.axes and axis in declared:
            return axis
    for axis in axis_order:
        if axis in view.axes:
            return axis
    for axis in axis_order:
        if axis in declared:
            return axis
    return OTHER_AXIS


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    return moment.astimezone(tz) if moment else None


def _keywords(items: Sequence[DigestItem], views: Mapping[int, ItemView]) -> tuple[str, ...]:
    """Three key words for the subject: the names and short text labels that weigh most."""
    weights: defaultdict[str, float] = defaultdict(float)
    display: dict[str, str] = {}
    for rank, item in enumerate(items):
        weight = 1.0 / (1 + rank * 0.3)
        view = views[item.item_id]
        for ref in view.refs:
            if len(ref.label) <= 24:
                key = ref.label.casefold()
                weights[key] += 2 * weight
                display.setdefault(key, ref.label)
        for mention in view.entities[:5]:
            name = tidy_name(mention.name)  # « Telvia – Telvia » is Telvia
            if mention.label in ("ORG", "PER", "MISC") and 2 < len(name) <= 24:
                key = name.casefold()
                weights[key] += weight * min(mention.count, 3)
                display.setdefault(key, name)
    chosen: list[str] = []
    for key in sorted(weights, key=lambda key: -weights[key]):  # ties: first seen first
        if not any(key in other or other in key for other in chosen):
            chosen.append(key)
    return tuple(display[key] for key in chosen[:3])


def _subject_fallback(
    items: Sequence[DigestItem], changes: Sequence[ChangeItem]
) -> tuple[str, ...]:
    """The subject's words when the shown items name no text and no organisation: never
    « rien de nouveau » for a digest that shows something."""
    if items:
        return (counted(len(items), "article"),)
    return ("pages surveillées modifiées",) if changes else ()


def subject_line(group_name: str, week: IsoWeek, keywords: Sequence[str]) -> str:
    words = ", ".join(keywords) if keywords else "rien de nouveau"
    return f"[Veille {group_name}] Semaine {week.week} ({week_days_fr(week.monday())}) — {words}"


def source_health(
    source: Source, state: SourceState | None, collected: int, now: datetime
) -> SourceHealth:
    if state is None or state.last_attempt_at is None:
        status = SOURCE_NEVER_COLLECTED
    elif state.consecutive_failures == 0:
        status = SOURCE_IN_SERVICE
    elif (
        state.consecutive_failures >= DEAD_AFTER_FAILURES
        or state.last_success_at is None
        or now - state.last_success_at > DEAD_AFTER
    ):
        status = SOURCE_DEAD
    else:
        status = SOURCE_FAILING
    return SourceHealth(
        id=source.id,
        name=source.label,
        level=source.level,
        rating=source.rating.total if source.rating else None,
        state=status,
        collected=collected,
        last_success=state.last_success_at if state else None,
        last_error=(state.last_error if state and state.consecutive_failures else "") or "",
        failures=state.consecutive_failures if state else 0,
        watched=source.kind == "monitor",
    )


def carried_note(
    item_id: int, collected: datetime, week_start: datetime, data: WeekData, tz: ZoneInfo
) -> str:
    """Why an item from before the digest's week is in it (French, "" for the week's own)."""
    if item_id in data.late:
        return (
            f"retenu par le groupe après l'envoi de la synthèse de la "
            f"{week_code_fr(data.late[item_id])}, "
            "qui le comptait sans le montrer"
        )
    if collected >= week_start:
        return ""
    home = IsoWeek.of(collected, tz)
    when = f"collecté le {date_fr(collected.astimezone(tz).date())} (semaine {home.week})"
    cutoff = data.sent.get(str(home))
    if cutoff is not None and cutoff <= collected:
        return f"reporté : {when}, après l'envoi anticipé de la synthèse de cette semaine-là"
    return f"reporté : {when}, semaine dont aucune synthèse ne l'a compté"


def _une_count(shown: int) -> int:
    if shown == 0:
        return 0
    return 1 if shown <= 3 else 2 if shown <= 6 else 3


def _status(data: WeekData, item_id: int) -> str:
    found = data.curations.get(item_id)
    return found.status if found else ""


def _candidates(
    data: WeekData, sources: Mapping[str, Source], week_start: datetime
) -> list[Candidate]:
    """One candidate per story (near-duplicates collapsed: one per cluster, or per item without
    one), headed by its best copy, with the other sources that published it; a story the group
    rejected is none."""
    stories: dict[str, list[ItemView]] = {}
    for view in data.views:
        key = f"c{view.cluster_id}" if view.cluster_id is not None else f"i{view.item.id}"
        stories.setdefault(key, []).append(view)
    candidates: list[Candidate] = []
    for members in stories.values():
        kept = [v for v in members if _status(data, v.item.id) != "rejected"]
        retained = [v for v in kept if _status(data, v.item.id) == "retained"]
        if not kept or (len(kept) < len(members) and not retained):
            continue  # the group rejected this story
        head = min(
            retained or kept,
            key=lambda v: (
                v.item.id not in data.fiches,
                sources.get(v.item.source_id) is None
                or sources[v.item.source_id].level != "primaire",
                -reliability(sources.get(v.item.source_id)),
                v.item.published_at or v.item.fetched_at,
                v.item.id,
            ),
        )
        others: dict[str, OtherSource] = {}
        pool = [(v.item.id, v.item.source_id, v.item.url) for v in kept]
        if head.cluster_id is not None:
            pool += list(data.clusters.get(head.cluster_id, ()))
        for item_id, source_id, url in pool:
            if item_id == head.item.id or source_id == head.item.source_id:
                continue
            if _status(data, item_id) == "rejected":
                continue  # the group said no to that copy: not advertised
            name = sources[source_id].label if source_id in sources else source_id
            others.setdefault(source_id, OtherSource(name, url))
        value = score(
            head,
            sources.get(head.item.source_id),
            data.fiches.get(head.item.id),
            len(others),
            week_start,
        )
        candidates.append((bool(retained), value, head, tuple(others.values())))
    candidates.sort(key=lambda c: (not c[0], -c[1], c[2].item.id))
    return candidates


def _select(
    candidates: Sequence[Candidate], sources: Mapping[str, Source], axis_order: Sequence[str]
) -> list[Candidate]:
    """What the group retained, then an automatic selection axis by axis (the best of each
    axis, then the second best, …) up to MAX_ITEMS."""
    chosen = [c for c in candidates if c[0]][:MAX_RETAINED]
    queues: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if not candidate[0] and (candidate[2].axes or candidate[2].refs):
            axis = _primary_axis(candidate[2], sources.get(candidate[2].item.source_id), axis_order)
            queues.setdefault(axis, []).append(candidate)
    while len(chosen) < MAX_ITEMS and any(queues.values()):
        heads = sorted((q.pop(0) for q in queues.values() if q), key=lambda c: -c[1])
        chosen.extend(heads[: MAX_ITEMS - len(chosen)])
    chosen.sort(key=lambda c: (not c[0], -c[1], c[2].item.id))
    return chosen


def _digest_item(
    candidate: Candidate,
    sources: Mapping[str, Source],
    axis_order: Sequence[str],
    data: WeekData,
    week_start: datetime,
    tz: ZoneInfo,
) -> DigestItem:
    by_group, value, view, also = candidate
    item = view.item
    source = sources.get(item.source_id)
    fiche = data.fiches.get(item.id)
    own = fiche.summary.strip() if fiche else ""
    full_length = len(item.text or item.summary)
    return DigestItem(
        item_id=item.id,
        anchor=_anchor("article", item.id),
        title=item.title or "(sans titre)",
        url=item.url,
        source_id=item.source_id,
        source_name=source.label if source else item.source_id,
        level=source.level if source else "secondaire",
        rating=source.rating.total if source and source.rating else None,
        published=_local(item.published_at, tz),
        collected=item.fetched_at.astimezone(tz),
        summary=own or short_extract(teaser(item.title, item.summary, item.text), full_length),
        summary_is_extract=not own,
        importance=fiche.importance.strip() if fiche else "",
        action=fiche.action.strip() if fiche else "",
        action_owner=fiche.action_owner.strip() if fiche else "",
        action_deadline=fiche.action_deadline if fiche else None,
        retained=by_group,
        note=carried_note(item.id, item.fetched_at, week_start, data, tz),
        axis_id=_primary_axis(view, source, axis_order),
        axes=view.axes,
        refs=view.refs,
        also=also,
        score=value,
    )


def _sections(
    rest: Sequence[DigestItem], watch: Watch, axis_order: Sequence[str]
) -> tuple[AxisSection, ...]:
    """The items after the « à la une » ones, axis by axis (« Autres informations » last)."""
    labels = {a.id: a.label for a in watch.axes} | {OTHER_AXIS: "Autres informations"}
    return tuple(
        AxisSection(
            id=axis,
            label=labels[axis],
            anchor=_anchor("axe", axis),
            items=tuple(i for i in rest if i.axis_id == axis),
        )
        for axis in [*axis_order, OTHER_AXIS]
        if axis != OTHER_AXIS or any(i.axis_id == OTHER_AXIS for i in rest)
    )


def _legal_texts(items: Sequence[DigestItem | ChangeItem]) -> tuple[LegalText, ...]:
    """The week's legal and normative texts: those cited by what the digest shows."""
    legal: dict[str, tuple[RefMention, list[DigestItem | ChangeItem]]] = {}
    for digest_item in items:
        for ref in digest_item.refs:
            entry = legal.setdefault(ref.key, (ref, []))
            if ref.link == "official" and entry[0].link != "official":
                legal[ref.key] = entry = (ref, entry[1])
            entry[1].append(digest_item)
    return tuple(
        LegalText(
            key=ref.key,
            label=ref.label,
            nature=REF_NATURES.get(ref.kind, ref.kind),
            url=ref.url,
            official=ref.link == "official",
            cited_in=tuple(cited),
            pinpoints=articles_in_order(
                p
                for digest_item in cited
                for r in digest_item.refs
                if r.key == ref.key
                for p in r.pinpoints
            ),
        )
        for ref, cited in sorted(
            legal.values(), key=lambda e: (e[0].kind == "standard", -len(e[1]), e[0].label)
        )
    )


def _changes(data: WeekData, sources: Mapping[str, Source], tz: ZoneInfo) -> tuple[ChangeItem, ...]:
    """The changes of watched pages in the pool that the group did not reject: those it
    retained first, then the latest, up to MAX_CHANGES."""
    found = []
    for view in data.views:
        item = view.item
        status = _status(data, item.id)
        if item.kind != CHANGE_KIND or status == "rejected":
            continue
        source = sources.get(item.source_id)
        versions = data.changes.get(item.id)
        segments: tuple[Segment, ...] = ()
        price = ""
        if versions is not None:
            before, after = versions
            segments = tuple(diff_excerpt(word_diff(before.text, after.text)))
            price = price_change(before.price, after.price)
        found.append(
            ChangeItem(
                item_id=item.id,
                anchor=_anchor("changement", item.id),
                title=item.title,
                url=item.url,
                source_name=source.label if source else item.source_id,
                collected=item.fetched_at.astimezone(tz),
                price=price,
                segments=segments,
                summary=item.summary,
                retained=status == "retained",
                refs=view.refs,
            )
        )
    found.sort(key=lambda c: (not c.retained, -c.collected.timestamp(), c.item_id))
    return tuple(found[:MAX_CHANGES])


def build_digest(
    watch: Watch,
    group_id: str,
    week: IsoWeek,
    now: datetime,
    data: WeekData,
    *,
    sending: bool = False,
) -> Digest:
    """The digest of `group_id` for `week` from what the store holds (see the module doc);
    `sending`: this rendering is the one sent (a late one says « envoyée en retard »)."""
    tz = ZoneInfo(watch.watch.timezone)
    group = next(g for g in watch.groups if g.id == group_id)
    sources = {s.id: s for s in watch.sources}
    axis_order = [a.id for a in watch.axes]
    week_start = week.start(tz)
    cutoff = data.cutoff or week.end(tz)
    counted = [v for v in data.views if v.item.id not in data.late]
    changes = _changes(data, sources, tz)
    articles = replace(data, views=[v for v in data.views if v.item.kind != CHANGE_KIND])
    chosen = _select(_candidates(articles, sources, week_start), sources, axis_order)
    items = [_digest_item(c, sources, axis_order, data, week_start, tz) for c in chosen]
    une = items[: _une_count(len(items))]
    watched = [s for s in watch.sources if group_id in watch.groups_of(s)]
    health = tuple(
        source_health(s, data.states.get(s.id), data.collected_per_source.get(s.id, 0), now)
        for s in watched
    )
    keywords = _keywords(items, {v.item.id: v for v in data.views})
    actions = tuple(
        sorted(
            (i for i in items if i.action),
            key=lambda i: (i.action_deadline is None, i.action_deadline or date.max, i.item_id),
        )
    )
    return Digest(
        watch_name=watch.watch.name,
        group_id=group.id,
        group_name=group.name,
        week=week,
        first_day=week.monday(),
        last_day=week.sunday(),
        generated_at=now.astimezone(tz),
        cutoff=cutoff.astimezone(tz),
        subject=subject_line(group.name, week, keywords or _subject_fallback(items, changes)),
        keywords=keywords,
        une=tuple(une),
        sections=_sections(items[len(une) :], watch, axis_order),
        legal=_legal_texts([*items, *changes]),
        actions=actions,
        sources=health,
        editors=tuple(Person(m.name, m.role) for m in group.members),
        tutor=Person(group.tutor.name, tutor_role(group.tutor.role)) if group.tutor else None,
        collected=data.collected,
        shown=len(items) + len(changes),
        retained_by_group=sum(1 for i in items if i.retained) + sum(c.retained for c in changes),
        rejected=sum(1 for v in counted if _status(data, v.item.id) == "rejected"),
        carried=sum(1 for v in counted if v.item.fetched_at < week_start),
        counted_ids=tuple(v.item.id for v in counted),
        early=cutoff < week.end(tz),
        changes=changes,
        due=digest_time(group.digest, week, tz).astimezone(tz),
        sending=sending,
        first=not any(sent < str(week) for sent in data.sent),
    )
