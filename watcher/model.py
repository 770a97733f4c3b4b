"""Plain data types shared by every stage (no I/O, no library objects, no SQL).

What the stages pass each other and what the store hands back: a crawl's entries and results,
items with what processing found in them, a group's work on them (curation, fiches, activity,
saved searches), digests and their delivery, accounts, assessments (grids, juries, records,
decisions). The store (`watcher.store`) reads and writes them; pure modules (digest, dossier…)
take them without knowing where they come from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from watcher.errors import AssessError


@dataclass(frozen=True)
class Entry:
    """One article as found in a feed, a page or a sitemap, before it is stored."""

    url: str  # canonical URL ("" when the entry had no usable link)
    title: str
    summary: str = ""
    text: str = ""
    guid: str = ""
    author: str = ""
    published: datetime | None = None  # UTC-aware
    published_raw: str = ""  # the date exactly as the source wrote it
    language: str = ""
    original_url: str = ""  # the link as written, before canonicalisation
    warnings: tuple[str, ...] = ()
    kind: str = "article"  # "change": a change of a watched page (watcher.changes)

    @property
    def key(self) -> str:
        """Identity of the entry within its source: GUID, else canonical URL."""
        return self.guid or self.url


@dataclass(frozen=True)
class Validators:
    """HTTP validators kept per URL for conditional GET."""

    etag: str = ""
    last_modified: str = ""

    @classmethod
    def from_headers(cls, headers: Mapping[Any, Any]) -> Validators:
        """A response's validators (header values as str, or as bytes like Scrapy's)."""

        def text(name: str) -> str:
            value = headers.get(name) or ""
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)

        return cls(text("ETag"), text("Last-Modified"))

    def headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


ROBOTS_TTL = timedelta(hours=24)  # RFC 9309 §2.4: "SHOULD NOT use the cached version for more
# than 24 hours, unless the robots.txt file is unreachable"


@dataclass
class CachedRobots:
    """A site's robots.txt as kept in the store."""

    body: bytes  # the rules; empty when the site has none (4xx: everything allowed)
    status: int
    validators: Validators
    fetched_at: datetime  # when the rules were last fetched or confirmed by a 304

    def fresh(self, now: datetime) -> bool:
        return timedelta(0) <= now - self.fetched_at < ROBOTS_TTL


@dataclass(frozen=True)
class ListingSeen:
    """What the recognition of a listing's article links (a `page` source without `follow`)
    found on one listing page: how many links, in which repeated block (the chain of elements
    and classes of the largest), and the crawl report's words for it."""

    url: str
    count: int  # 0: no link looks like an article's
    block: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"url": self.url, "count": self.count, "block": self.block, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ListingSeen:
        return cls(
            str(data["url"]), int(str(data["count"])), str(data["block"]), str(data["reason"])
        )


@dataclass
class SourceResult:
    """What one crawl did for one source."""

    source_id: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # entries or pages of this source that could not be read
    not_modified: bool = False  # the server answered 304
    error: str = ""  # why the source as a whole failed ("" when it did not)
    # the HTTP status the source's failure answered (404, 410, 503…); None when it failed
    # otherwise (no answer, a refused address, a page that could not be read) or did not fail
    status: int | None = None
    warnings: list[str] = field(default_factory=list)
    retry_after: float | None = None  # seconds the server asked us to wait
    # listing pages whose article links were recognised (no `follow`): the crawl's shell turns
    # them into a notice when the learner has not seen it yet (watcher.collect.listing)
    listings: list[ListingSeen] = field(default_factory=list)
    # a watched page collected for the first time: its reference version, neither new nor
    # unchanged (its changes are items from the next collection on)
    first_version: bool = False

    @property
    def ok(self) -> bool:
        return not self.error

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_dict(self) -> dict[str, object]:
        return {
            "source_id": self.source_id,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "not_modified": self.not_modified,
            "error": self.error,
            "status": self.status,
            "warnings": list(self.warnings),
            "retry_after": self.retry_after,
            "listings": [seen.to_dict() for seen in self.listings],
            "first_version": self.first_version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SourceResult:
        result = cls(str(data["source_id"]))
        for name in ("new", "updated", "unchanged", "failed"):
            setattr(result, name, int(str(data.get(name, 0))))
        result.not_modified = bool(data.get("not_modified"))
        result.error = str(data.get("error") or "")
        status = data.get("status")
        result.status = int(str(status)) if status is not None else None
        warnings = data.get("warnings") or []
        result.warnings = [str(w) for w in warnings] if isinstance(warnings, list) else []
        retry_after = data.get("retry_after")
        result.retry_after = float(str(retry_after)) if retry_after is not None else None
        listings = data.get("listings") or []
        if isinstance(listings, list):
            result.listings = [ListingSeen.from_dict(seen) for seen in listings]
        result.first_version = bool(data.get("first_version"))
        return result


@dataclass(frozen=True)
class EntityMention:
    label: str  # PER | ORG | LOC | MISC
    key: str  # folded key
    name: str  # display form
    count: int
    # Where it is mentioned: (start, end) character offsets into the item's body as processed
    # (``text``, or ``summary`` when there is no text); mentions in the title are not listed.
    spans: tuple[tuple[int, int], ...] = ()
    # Its label is safe to rely on, e.g. to pre-fill a form (see
    # watcher.understand.entities.normalise.Entity).
    confident: bool = False


_LATIN_SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies")


@dataclass(frozen=True)
class Pinpoint:
    """The article of an act an item cites (« article 12 de la loi n° 2014-344 »)."""

    name: str  # "art-12", "art-6-bis", "art-61-1" (see watcher.understand.refs)
    url: str = ""  # official link to that article when one can be built, else ""

    @property
    def label(self) -> str:
        """How a reader writes it: « art. 12 », « art. 6 bis », « art. 1er »."""
        number = self.name.removeprefix("art-")
        for suffix in _LATIN_SUFFIXES:
            if number.endswith(f"-{suffix}"):
                number = f"{number[: -len(suffix) - 1]} {suffix}"
                break
        return f"art. {'1er' if number == '1' else number}"


def articles_in_order(pinpoints: Iterable[Pinpoint]) -> tuple[Pinpoint, ...]:
    """The articles cited, once each (the one with a link kept), in the act's order: art. 6 <
    art. 6 bis < art. 17 < art. 61-1 (the digest's and the dossier's lists of texts)."""
    by_name: dict[str, Pinpoint] = {}
    for pinpoint in pinpoints:
        known = by_name.get(pinpoint.name)
        if known is None or (pinpoint.url and not known.url):
            by_name[pinpoint.name] = pinpoint

    def order(pinpoint: Pinpoint) -> tuple[tuple[int, str], ...]:
        parts = pinpoint.name.split("-")[1:]
        return tuple((int(part), "") if part.isdigit() else (0, part) for part in parts)

    return tuple(sorted(by_name.values(), key=order))


@dataclass(frozen=True)
class RefMention:
    key: str  # canonical key, e.g. eu:celex:32016R0679 (the act: facets and lists group by it)
    kind: str
    label: str
    url: str
    link: str  # "official" | "search"
    text: str  # as first written in the item
    count: int
    # The articles of the act the item cites, in order of first mention (code articles carry
    # theirs in the key instead).
    pinpoints: tuple[Pinpoint, ...] = ()

    def full_keys(self) -> tuple[str, ...]:
        """The key with each pinpoint: ``fr:loi:2014-344#art-12``."""
        return tuple(f"{self.key}#{p.name}" for p in self.pinpoints)


@dataclass(frozen=True)
class ItemEnrichment:
    """What processing found in one version of an item."""

    item_id: int
    version: int
    signature: str
    language: str
    fingerprint: bytes
    cluster_id: int
    axes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    refs: tuple[RefMention, ...] = ()


# --- the store's rows: crawl state -----------------------------------------------------------


@dataclass(frozen=True)
class SourceState:
    source_id: str
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    # the HTTP status of the last failure (404, 410, 503…); None when it was no HTTP answer
    # (or was recorded by a Watcher that did not keep it)
    last_error_status: int | None = None
    consecutive_failures: int = 0
    backoff_until: datetime | None = None
    items_last_run: int = 0
    # the groups its last successful crawl stored items for (None: not known)
    fetched_for: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CrawlSummary:
    source_id: str  # "" for the whole watch (attempts = number of crawl runs)
    attempts: int
    new: int
    updated: int
    failures: int
    not_modified: int


# --- items and what processing found in them -----------------------------------------------


@dataclass(frozen=True)
class StoredItem:
    id: int
    source_id: str
    url: str
    title: str
    summary: str
    text: str
    author: str
    language: str
    guid: str
    published_at: datetime | None
    fetched_at: datetime
    updated_at: datetime | None
    content_hash: str
    version: int
    deleted_at: datetime | None
    groups: tuple[str, ...] = ()
    kind: str = "article"  # "change": a change of a watched page (watcher.changes)


@dataclass(frozen=True)
class ItemView:
    """An item with what processing found in it: what search, digests and the web app show."""

    item: StoredItem
    axes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    refs: tuple[RefMention, ...] = ()
    cluster_id: int | None = None
    language: str = ""


# --- a group's work: curation, fiches de veille, activity, saved searches -----------------

# The questions of a fiche de veille's QQOQCP summary: (field, label), in order.
QQOQCP = (
    ("qui", "Qui ?"),
    ("quoi", "Quoi ?"),
    ("ou", "Où ?"),
    ("quand", "Quand ?"),
    ("comment", "Comment ?"),
    ("combien", "Combien ?"),
    ("pourquoi", "Pourquoi ?"),
)
FICHE_FIELDS = (
    "qui",
    "quoi",
    "ou",
    "quand",
    "comment",
    "combien",
    "pourquoi",
    "summary",
    "importance",
    "action",
    "action_owner",
    "action_deadline",
    "crosscheck_item_id",
)


@dataclass(frozen=True)
class Curation:
    item_id: int
    group_id: str
    status: str  # retained | rejected
    reason: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Fiche:
    """A fiche de veille: one item, processed by a group (QQOQCP, impact, action)."""

    item_id: int
    group_id: str
    qui: str = ""
    quoi: str = ""
    ou: str = ""
    quand: str = ""
    comment: str = ""
    combien: str = ""
    pourquoi: str = ""
    summary: str = ""
    importance: str = ""
    action: str = ""
    action_owner: str = ""
    action_deadline: date | None = None
    crosscheck_item_id: int | None = None
    updated_at: datetime | None = None
    updated_by: str = ""


def curation_token(curation: Curation | None) -> str:
    """What a sorting form was shown over: the item's status and its note or reason ("" when it
    was not sorted yet). A curation sent over another token was changed by someone meanwhile."""
    if curation is None:
        return ""
    return hashlib.sha256(f"{curation.status}\n{curation.reason}".encode()).hexdigest()[:32]


def fiche_token(fiche: Fiche | None) -> str:
    """What a fiche's form was written over: a digest of the fields it held ("" when there was
    no fiche yet). A fiche saved over another token than the stored fiche's was changed by
    someone else meanwhile (another learner, another tab): not the clock, which two saves in
    the same second share."""
    if fiche is None:
        return ""
    values = [str(getattr(fiche, name) or "") for name in FICHE_FIELDS]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Activity:
    at: datetime
    actor: str
    group_id: str
    action: str
    item_id: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class SavedSearch:
    group_id: str
    name: str
    query: str
    sort: str
    created_at: datetime
    created_by: str


# --- digests and their delivery ------------------------------------------------------------

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"  # outbox states


@dataclass(frozen=True)
class DigestRecord:
    id: int
    group_id: str
    week: str
    subject: str
    html_path: str
    txt_path: str
    html: str
    text: str
    rendered_at: datetime
    collected: int
    shown: int
    retained: int
    queued_at: datetime | None

    @property
    def frozen(self) -> bool:
        """Sent at least once: its content no longer changes."""
        return self.queued_at is not None


@dataclass(frozen=True)
class SentItems:
    """What a group's sent digests account for."""

    counted: dict[int, str]  # item id → the week of the sent digest that counts it
    shown: dict[int, str]  # item id → the week of the sent digest that shows it
    cutoffs: dict[str, datetime]  # week → cutoff, for the sent digests that recorded one
    legacy: list[DigestRecord]  # sent before digests recorded their items (by week window)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    digest_id: int
    recipient: str
    name: str
    message_id: str
    state: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    created_at: datetime
    sending_at: datetime | None
    sent_at: datetime | None

    @property
    def label(self) -> str:
        """The state as the outbox command shows it."""
        if self.state == SENT:
            return "envoyé"
        if self.state == SENDING:
            return "non confirmé"
        if self.state == PENDING:
            return "en attente"
        return "nouvel essai prévu" if self.next_attempt_at else "échec"


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""


# --- accounts ------------------------------------------------------------------------------

ROLES: tuple[str, ...] = ("learner", "tutor", "evaluator", "admin")


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str
    group_id: str | None
    session_version: int
    created_at: datetime
    disabled: bool = False


# --- assessments (the rules are in watcher.assess.rules, the built-in grids in watcher.grids)

BLOCK_ID = "RNCP32204-BC01"
GridKind = Literal["jury", "tuteur"]
Quality = Literal["professionnel", "formation"]


@dataclass(frozen=True)
class Competence:
    code: str  # C1 … C7
    label: str


@dataclass(frozen=True)
class Level:
    value: int  # 0 … 4
    label: str
    descriptor: str
    evidence: str = ""

    @property
    def named(self) -> str:
        """How a sentence names the level: « 0 (non observé) » for the label « 0 — non observé »
        (each grid its words: the jury's 0 is « non évaluable », the tutor's « non observé »)."""
        head, sep, words = self.label.partition(" — ")
        if sep and head.strip() == str(self.value) and words.strip():
            return f"{self.value} ({words.strip()})"
        return self.label.strip() or str(self.value)


@dataclass(frozen=True)
class Grid:
    id: str
    name: str
    kind: GridKind
    competences: tuple[Competence, ...]
    levels: tuple[Level, ...]
    block: str = BLOCK_ID
    # The competences the jury gives a level at the oral (the others: an observation only);
    # empty: every competence
    oral_levels: tuple[str, ...] = ()

    def levelled_at_oral(self, code: str) -> bool:
        return not self.oral_levels or code in self.oral_levels

    def competence(self, code: str) -> Competence:
        for competence in self.competences:
            if competence.code == code:
                return competence
        raise AssessError(
            f"compétence inconnue « {code} » dans la grille {self.id} "
            f"({', '.join(c.code for c in self.competences)})"
        )

    def level(self, value: int) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise AssessError(f"niveau {value} hors de la grille {self.id} (0 à 4)")

    def to_mapping(self) -> dict[str, Any]:
        oral = {"oral_levels": list(self.oral_levels)} if self.oral_levels else {}
        return oral | {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "block": self.block,
            "competences": [{"code": c.code, "label": c.label} for c in self.competences],
            "levels": [
                {
                    "value": v.value,
                    "label": v.label,
                    "descriptor": v.descriptor,
                    "evidence": v.evidence,
                }
                for v in self.levels
            ],
        }


@dataclass(frozen=True)
class JuryMember:
    name: str
    email: str
    quality: Quality
    organisation: str = ""
    role: str = "membre"  # président | membre


@dataclass(frozen=True)
class Jury:
    id: int | None
    name: str
    session_date: date
    members: tuple[JuryMember, ...]

    def member(self, email: str) -> JuryMember | None:
        wanted = email.strip().lower()
        return next((m for m in self.members if m.email.lower() == wanted), None)


@dataclass(frozen=True)
class Record:
    """One version of a learner's level on one competence of one grid."""

    learner: str  # e-mail of the learner
    group_id: str
    grid_id: str
    competence: str
    level: int
    comment: str
    author: str  # e-mail of the evaluator (or tutor) who wrote it
    created_at: datetime
    version: int = 1
    supersedes: int | None = None  # id of the version it corrects
    reason: str = ""  # why the correction was made (required for version > 1)
    jury_id: int | None = None
    id: int | None = None
    signed_at: datetime | None = None
    signed_by: str = ""
    signature: str = ""
    published_at: datetime | None = None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def published(self) -> bool:
        return self.signed and self.published_at is not None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.learner, self.grid_id, self.competence)


@dataclass(frozen=True)
class OralMark:
    """What the jury saw of one competence at the oral: an observation and, where the grid
    gives one at the oral (`Grid.oral_levels`), a level 0–4."""

    competence: str
    observation: str = ""
    level: int | None = None


@dataclass(frozen=True)
class OralRecord:
    """One version of the jury's record of a learner's oral (« Présentation orale des
    résultats »): the session (date, duration, jury), per competence an observation and a
    level, the questions asked and the quality of the answers. Signed and locked like a written
    record; a correction is a new version."""

    learner: str
    group_id: str
    grid_id: str
    held_on: date
    duration: int  # minutes
    marks: tuple[OralMark, ...]
    questions: str  # the questions the jury asked
    answers: str  # the quality of the answers
    author: str
    created_at: datetime
    jury_id: int | None = None
    version: int = 1
    supersedes: int | None = None
    reason: str = ""
    id: int | None = None
    signed_at: datetime | None = None
    signed_by: str = ""
    signature: str = ""
    published_at: datetime | None = None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def published(self) -> bool:
        return self.signed and self.published_at is not None

    @property
    def key(self) -> tuple[str, str]:
        return (self.learner, self.grid_id)

    def mark(self, code: str) -> OralMark | None:
        return next((m for m in self.marks if m.competence == code), None)


@dataclass(frozen=True)
class Decision:
    learner: str
    group_id: str
    jury_id: int
    decided_on: date
    outcome: str  # validé | non validé | ajourné
    valid_until: date | None
    recorded_by: str
    recorded_at: datetime
    comment: str = ""
    block: str = BLOCK_ID
    id: int | None = None
    supersedes: int | None = None
    signature: str = ""
    # when an evaluator published it with the jury's records: until then the learner and the
    # tutor do not see it (the jury deliberates in confidence)
    published_at: datetime | None = None

    @property
    def published(self) -> bool:
        return self.published_at is not None


# --- the distributed queue (watcher.store.queue) ----------------------------------------------


@dataclass(frozen=True)
class QueueWorker:
    """A distributed worker as the queue knows it: procrastinate's number and last heartbeat,
    and what the worker recorded when it registered (its host, process and heartbeat interval:
    None for one started by a Watcher that recorded none). `silent`: no heartbeat for
    `silent_after` seconds (3 of its own intervals) — dead, or its machine cut off; `job`: the
    job it is running, if any."""

    id: int
    last_heartbeat: datetime
    host: str | None
    pid: int | None
    heartbeat: float  # seconds between two heartbeats (the default when it recorded none)
    silent_after: float
    silent: bool
    job: RunningJob | None = None


@dataclass(frozen=True)
class RunningJob:
    """A job a worker took and has not ended: its task, lock and start, the worker's number
    (None: the worker's row is gone), and `stalled`, when that worker is silent or gone (the
    scheduler puts it back in the queue). `recent`: how long the last successful runs of its
    kind took (seconds, the latest first: `watcher.store.queue.run_key`). Whether it runs
    unusually long (`watcher.jobs.distributed.queue_status` says): `usual`, the median of the
    last 10 of `recent` (`usual_of` of them; None below 3 runs), `long_after`, the seconds
    past which it is « longue », from its history (`long_basis` "history") or from the
    crawl's limits ("limits"; None: no bound, a job of another kind without history), and
    `long`, whether it has run longer on a worker that beats (a stalled job is not long)."""

    id: int
    task: str
    lock: str | None
    started: datetime | None
    worker_id: int | None
    stalled: bool
    recent: tuple[float, ...] = ()
    usual: float | None = None
    usual_of: int = 0
    long_after: float | None = None
    long_basis: str | None = None
    long: bool = False


@dataclass(frozen=True)
class QueueStatus:
    """The distributed queue, as `watcher status` and the web's queue page show it: the
    scheduler (whether one holds the lock, and when it last ended a tick), every worker known
    (alive or silent), the jobs waiting and running per task, the oldest waiting one, each
    running job (stalled or not), and the jobs failed in the last `failed_hours` hours, as of
    `at`."""

    at: datetime
    scheduler: bool
    last_tick: datetime | None
    workers: tuple[QueueWorker, ...]
    waiting: dict[str, int]
    running: dict[str, int]
    oldest_waiting: tuple[str, datetime] | None
    running_jobs: tuple[RunningJob, ...]
    failed: int
    failed_hours: int

    @property
    def alive(self) -> int:
        return sum(not worker.silent for worker in self.workers)

    @property
    def silent(self) -> tuple[QueueWorker, ...]:
        return tuple(worker for worker in self.workers if worker.silent)

    @property
    def stalled(self) -> tuple[RunningJob, ...]:
        return tuple(job for job in self.running_jobs if job.stalled)

    @property
    def long(self) -> tuple[RunningJob, ...]:
        return tuple(job for job in self.running_jobs if job.long)

    def worker(self, worker_id: int | None) -> QueueWorker | None:
        return next((w for w in self.workers if w.id == worker_id), None)
