"""The block-1 dossier of a group's period: read (`gather`), build (`report.dossier`, pure),
seal (`seal_of`: the manifest of its evidence signed with the watch's key, `watcher.verify`),
render (`report.export`: HTML, PDF, DOCX, XLSX) and write. `watcher dossier` writes the files;
the web app shows the dossier and serves each format on request."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from watcher.config import Watch
from watcher.dates import date_fr, iso_day
from watcher.errors import BadValue, ForeignKey
from watcher.jobs import OpenWorkspace, group_of
from watcher.model import FAILED, PENDING, SENDING, SENT, OutboxRow
from watcher.report.digest import WEEK_PATTERN, IsoWeek
from watcher.report.dossier import (
    EXPORT_FORMATS,
    CrawlCounts,
    DigestDelivery,
    Dossier,
    DossierInput,
    Seal,
    build_dossier,
    iso_weeks,
    period_bounds,
    week_label,
)
from watcher.report.export import RenderedDossier, check_formats, dossier_filename, render
from watcher.store import Store
from watcher.store.mail import MailStore
from watcher.store.pages import PageStore
from watcher.taxonomy import PESTEL, topic_specs
from watcher.verify.keys import KEY_ENV, fingerprint, signing_key
from watcher.verify.manifest import DOSSIER_FORMATS, build_manifest, fiche_versions, seal
from watcher.workspace import output_paths, write_atomically

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from watcher.model import Record

# --- reading the store (the only I/O of the dossier) --------------------------------------------


def _digests_from_store(store: Store, group_id: str, weeks: Sequence[str]) -> list[DigestDelivery]:
    """The digests and their outbox rows."""
    mail = MailStore(store)
    records = mail.digests(group_id, weeks)
    outbox: dict[int, list[OutboxRow]] = {}
    for row in mail.rows([r.id for r in records.values()]):
        outbox.setdefault(row.digest_id, []).append(row)
    found = []
    for week in weeks:
        record = records.get(week)
        if record is None:
            continue
        rows = outbox.get(record.id, [])
        found.append(
            DigestDelivery(
                week=week,
                subject=record.subject,
                collected=record.collected,
                shown=record.shown,
                retained=record.retained,
                rendered_at=record.rendered_at,
                sent_at=record.queued_at,
                recipients=len(rows),
                delivered=sum(1 for r in rows if r.state == SENT),
                failed=sum(1 for r in rows if r.state == FAILED and r.next_attempt_at is None),
                waiting=sum(
                    1
                    for r in rows
                    if r.state in (PENDING, SENDING)
                    or (r.state == FAILED and r.next_attempt_at is not None)
                ),
                path=record.html_path,
                origin="base",
            )
        )
    return found


_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _digests_from_archive(
    reports: Path, group_id: str, weeks: Sequence[str]
) -> list[DigestDelivery]:
    """Archived digests reports/<group>/<YYYY-Www>.html (no delivery record in them)."""
    found = []
    for week in weeks:
        path = reports / group_id / f"{week}.html"
        if not path.is_file():
            continue
        match = _TITLE.search(path.read_text(encoding="utf-8", errors="replace"))
        subject = " ".join(match.group(1).split()) if match else ""
        found.append(DigestDelivery(week=week, subject=subject, path=str(path), origin="archive"))
    return found


def gather(
    store: Store,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    *,
    now: datetime,
    reports: Path | None = None,
    formats: Sequence[str] = EXPORT_FORMATS,
) -> DossierInput:
    """Read everything the dossier of a group's period needs."""
    if not any(g.id == group_id for g in watch.groups):
        raise ValueError(f"groupe inconnu : {group_id}")
    tz = ZoneInfo(watch.watch.timezone)
    since, until = period_bounds(start, end, tz)
    items = store.group_items_between(group_id, since, until)
    ids = [i.id for i in items]
    views = store.views(ids)
    fiches = store.fiches(group_id, ids)
    extra_ids = [
        f.crosscheck_item_id
        for f in fiches.values()
        if f.crosscheck_item_id is not None and f.crosscheck_item_id not in set(ids)
    ]
    weeks = [week_label(y, w) for y, w in iso_weeks(start, end)]
    from_store = _digests_from_store(store, group_id, weeks)
    archived = _digests_from_archive(reports, group_id, weeks) if reports else []
    digests = list(from_store)
    known = {d.week for d in digests}
    digests += [d for d in archived if d.week not in known]
    origins = []
    if from_store:
        origins.append("base de données de Watcher (synthèses et boîte d'envoi)")
    # the archive as the watch's folder names it (reports/<group>/), not this computer's path
    archive = f"{reports.name}/{group_id}/" if reports else ""
    if any(d.origin == "archive" for d in digests):
        origins.append(f"archives {archive}")
    crawl = store.crawl_summary(since, until)
    clusters = {v.cluster_id for v in views if v.cluster_id is not None}
    members = store.cluster_members(clusters)
    topics = topic_specs(watch)
    pages = PageStore(store)
    watched = [
        s.id for s in watch.sources if s.kind == "monitor" and group_id in watch.groups_of(s)
    ]
    return DossierInput(
        watch=watch,
        group_id=group_id,
        start=start,
        end=end,
        now=now,
        views=views,
        extra_views=store.views(extra_ids),
        curations=store.curations(group_id, ids),
        fiches=fiches,
        activity=store.activity_log(group_id, since=since, until=until),
        source_states=store.source_states(),
        saved_searches=store.saved_searches(group_id),
        digests=sorted(digests, key=lambda d: d.week),
        digest_origin=" ; ".join(origins),
        crawl={k: CrawlCounts(v.attempts, v.new, v.updated, v.failures) for k, v in crawl.items()},
        topics={t.id: (t.label, PESTEL.get(t.pestel, t.pestel)) for t in topics},
        cluster_sizes={c: len(m) for c, m in members.items()},
        archive=archive,
        formats=tuple(formats),
        page_versions={source_id: pages.page_versions(source_id) for source_id in watched},
        watch_started=store.group_collection_span(group_id)[1],
        failing_since=store.failing_since(watched),
    )


# --- the use cases ------------------------------------------------------------------------------


DEFAULT_WEEKS = 16  # default period: the last 16 ISO weeks (this one included) up to today


def default_period(today: date) -> tuple[date, date]:
    """The period of a dossier asked for without dates (the web page, `watcher dossier` and
    `watcher oral`): the last DEFAULT_WEEKS ISO weeks, the current one included, up to today."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=DEFAULT_WEEKS - 1), today


MAX_PERIOD_DAYS = 400  # longest period a dossier or an oral deck may cover


class PeriodError(BadValue):
    """A dossier's period that cannot be read or built. ``template`` and ``values`` make the
    message (French), so that the web app can show it in its other language."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values


def _bound(text: str, what: str, *, end: bool) -> date:
    """A bound of a period: a day (AAAA-MM-JJ), or an ISO week as the digests name them, from
    its Monday (the start) or to its Sunday (the end)."""
    typed = text.strip()
    match = WEEK_PATTERN.match(typed)
    if match:
        year = int(match.group(1))
        try:
            week = IsoWeek.parse(typed)
        except BadValue:
            weeks = date(year, 12, 28).isocalendar().week  # 28 December: in the last week
            raise PeriodError(
                "{what} : la semaine {typed} n'existe pas ({year} compte {weeks} semaines ISO)",
                what=what,
                typed=typed,
                year=year,
                weeks=weeks,
            ) from None
        return week.sunday() if end else week.monday()
    try:
        return iso_day(typed, what)
    except BadValue:
        raise PeriodError(
            "{what} : date invalide « {typed} » (attendu : AAAA-MM-JJ, ex. 2026-09-01, ou une "
            "semaine ISO, ex. 2026-W36)",
            what=what,
            typed=typed,
        ) from None


def asked_period(
    start: str | None,
    end: str | None,
    today: date,
    *,
    names: tuple[str, str] = ("--from", "--to"),
) -> tuple[date, date]:
    """The period a person asked for (`watcher dossier`, `watcher oral`, the web's dossier
    page): each bound a day (AAAA-MM-JJ) or an ISO week (2026-W45: from its Monday; as the
    end, to its Sunday); what is not given (None or blank) is `default_period`'s. ``names``:
    the bounds as the shell names them, in its messages. PeriodError (exit 2, HTTP 400) when a
    bound cannot be read, the end precedes the start, or the period is over MAX_PERIOD_DAYS."""
    first, last = default_period(today)
    if start and start.strip():
        first = _bound(start, names[0], end=False)
    if end and end.strip():
        last = _bound(end, names[1], end=True)
    if last < first:
        raise PeriodError(
            "La fin de la période ({end}) précède son début ({start}).",
            start=date_fr(first),
            end=date_fr(last),
        )
    if (last - first).days > MAX_PERIOD_DAYS:
        raise PeriodError(
            "Période trop longue : du {start} au {end}, {days} jours ; {n} jours au plus.",
            start=date_fr(first),
            end=date_fr(last),
            days=(last - first).days + 1,
            n=MAX_PERIOD_DAYS,
        )
    return first, last


def collection_span(
    w: OpenWorkspace, watch: Watch, group_id: str
) -> tuple[int, date | None, date | None]:
    """How many items the group has, and the days (watch time) its first and last were
    collected: what to say when a period holds none."""
    count, first, last = w.store.group_collection_span(group_id)
    tz = ZoneInfo(watch.watch.timezone)
    return (
        count,
        first.astimezone(tz).date() if first else None,
        last.astimezone(tz).date() if last else None,
    )


def collected_outside(w: OpenWorkspace, watch: Watch, d: Dossier) -> tuple[int, date, date] | None:
    """When the dossier's period holds no item while its group has some (a dossier counts the
    items by the day they were collected): how many the group has, and the days its first and
    last were collected. None otherwise. `watcher dossier` and the dossier page say it."""
    if any(d.bilan.collected_week):  # the period's items, by week of collection
        return None
    count, first, last = collection_span(w, watch, d.cover.group_id)
    if not count or first is None or last is None:
        return None
    return count, first, last


def dossier(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    *,
    now: datetime,
    formats: Sequence[str] = EXPORT_FORMATS,
) -> Dossier:
    """What the dossier of a group's period shows (`formats`: those it will be rendered in)."""
    return build_dossier(period_data(w, watch, group_id, start, end, now=now, formats=formats))


def period_data(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    *,
    now: datetime,
    formats: Sequence[str] = EXPORT_FORMATS,
) -> DossierInput:
    """The dossier's data for a group of sources.yml (`Unknown` otherwise) and a period."""
    group_of(watch, group_id)
    return gather(
        w.store, watch, group_id, start, end, now=now, reports=local_archive(w), formats=formats
    )


def shared_store(w: OpenWorkspace) -> bool:
    """Whether the store may be shared by several machines (PostgreSQL), not one SQLite file."""
    return not isinstance(w.workspace.database, Path)


def local_archive(w: OpenWorkspace) -> Path | None:
    """Where a dossier also looks for digests archived before the store recorded them: the
    `reports/` folder of a SQLite watch. On a shared store (PostgreSQL: workers and web hosts on
    several machines) none: `reports/` is then one machine's copy of what the store holds, and a
    dossier must read the same on every machine (a worker renders the file a web host shows)."""
    return None if shared_store(w) else w.workspace.reports


SIGNING_KEY_META = "signing_key"  # the fingerprint of the key a shared store's files are signed by


def watch_signing_key(w: OpenWorkspace) -> Ed25519PrivateKey:
    """The key this machine signs and verifies with (`watcher.verify.keys.signing_key`). On a
    shared store the first key used is recorded in the store, and a machine with another one
    (a worker or a web host started without the same `WATCHER_SIGNING_KEY`) is refused: the
    files it signed would not verify on the other machines, nor theirs on it."""
    key = signing_key(w.workspace)
    if not shared_store(w):
        return key
    mine = fingerprint(key)
    recorded = w.store.claim_meta(SIGNING_KEY_META, mine)
    if recorded != mine:
        error = ForeignKey(
            f"la clé de signature de cette machine (empreinte {mine}) n'est pas celle avec "
            f"laquelle la veille signe ses dossiers (empreinte {recorded})"
        )
        error.hint = (
            "Donnez à chaque rôle (serveur web, travailleurs, commandes) la même clé dans "
            f"{KEY_ENV}, celle de la veille."
        )
        raise error
    return key


def manifest_of(
    w: OpenWorkspace,
    data: DossierInput,
    shown: Dossier,
    *,
    key_fingerprint: str,
    now: datetime,
    kind: str = "dossier",
    formats: Sequence[str] = DOSSIER_FORMATS,
    texts: Sequence[dict[str, Any]] | None = None,
    records: Sequence[Record] = (),
) -> dict[str, Any]:
    """The manifest of a file made from `data` that shows `shown` (watcher.verify.manifest)."""
    log = w.store.activity_log(data.group_id)
    return build_manifest(
        data,
        shown,
        key_fingerprint=key_fingerprint,
        now=now,
        fiche_versions=fiche_versions((a.action, a.item_id) for a in log),
        records=records,
        kind=kind,
        formats=formats,
        texts=texts,
    )


def seal_of(
    w: OpenWorkspace,
    data: DossierInput,
    shown: Dossier,
    *,
    now: datetime,
    kind: str = "dossier",
    formats: Sequence[str] = DOSSIER_FORMATS,
    texts: Sequence[dict[str, Any]] | None = None,
    records: Sequence[Record] = (),
) -> Seal:
    """The signed manifest of a file made from `data` that shows `shown`: its envelope (to embed,
    `watcher.verify.embed`) and its cover code. The oral deck calls it with `kind="oral"`,
    `formats=("pptx",)` and the texts its slides show (`watcher.verify.manifest.text_entry`)."""
    key = watch_signing_key(w)
    manifest = manifest_of(
        w,
        data,
        shown,
        key_fingerprint=fingerprint(key),
        now=now,
        kind=kind,
        formats=formats,
        texts=texts,
        records=records,
    )
    return seal(manifest, key)


def sealed_dossier(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    *,
    now: datetime,
    formats: Sequence[str] = EXPORT_FORMATS,
) -> Dossier:
    """The dossier with its signed manifest (`Dossier.seal`), ready to render."""
    data = period_data(w, watch, group_id, start, end, now=now, formats=formats)
    built = build_dossier(data)
    return replace(built, seal=seal_of(w, data, built, now=now))


def group_outputs(
    w: OpenWorkspace, watch: Watch, group_id: str, out: Path | None, names: Mapping[str, str]
) -> dict[str, Path]:
    """Where each file of a group's period goes (``names``: format → its file name): `out` as
    `watcher.workspace.output_paths` reads it, by default reports/<group>/. Called before the
    work: an unknown group, or a wrong `out`, is refused with nothing created."""
    group_of(watch, group_id)  # an unknown group: nothing created
    return output_paths(out, w.workspace.reports / group_id, names)


def write_outputs(targets: Mapping[str, Path], files: Mapping[str, bytes]) -> list[Path]:
    """Each format's file written where `group_outputs` put it: the paths, in its order."""
    for fmt, path in targets.items():
        write_atomically(path, files[fmt])  # a kill mid-write keeps the file written before
    return list(targets.values())


@dataclass(frozen=True)
class WrittenDossier:
    rendered: RenderedDossier
    paths: list[Path]  # one file per format, in the order asked


def export_dossier(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    *,
    now: datetime,
    formats: Sequence[str] = EXPORT_FORMATS,
    out: Path | None = None,
) -> WrittenDossier:
    """The dossier written in each format into `out` (default: reports/<group>/), as
    dossier-<from>-<to>.<fmt>; `out` may name the file itself when one format is asked for
    (`watcher.workspace.output_paths`)."""
    check_formats(formats)
    names = {fmt: dossier_filename(group_id, start, end, fmt) for fmt in formats}
    targets = group_outputs(w, watch, group_id, out, names)
    built = sealed_dossier(w, watch, group_id, start, end, now=now, formats=formats)
    rendered = render(built, formats)
    return WrittenDossier(rendered, write_outputs(targets, rendered.files))
