"""The use cases shared by the CLI, the scheduler and the web app.

Each function opens what it needs from the workspace, does one thing and says what happened;
none of them prints. Time is always a parameter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from watcher.config import Group, Watch
from watcher.crawl import CrawlReport, crawl_due
from watcher.digest import (
    Digest,
    IsoWeek,
    WeekData,
    build_digest,
    next_digest_time,
    week_to_catch_up,
)
from watcher.mail import (
    BACKOFF_BASE,
    DeliveryReport,
    MailConfigError,
    deliver,
    message_id,
    password_for,
)
from watcher.render import archive, render_digest
from watcher.store import Store
from watcher.store_mail import DigestRecord, MailStore, OutboxRow, Recipient
from watcher.workspace import Workspace


def _group(watch: Watch, group_id: str) -> Group:
    for group in watch.groups:
        if group.id == group_id:
            return group
    known = ", ".join(g.id for g in watch.groups) or "aucun"
    raise KeyError(f"groupe inconnu : {group_id} (groupes : {known})")


def _tz(watch: Watch) -> ZoneInfo:
    return ZoneInfo(watch.watch.timezone)


# --- building ---------------------------------------------------------------------------------


def week_data(store: Store, watch: Watch, group_id: str, week: IsoWeek) -> WeekData:
    """Read from the store what a group's digest for a week draws on."""
    tz = _tz(watch)
    start, end = week.start(tz), week.end(tz)
    collected = store.group_items_between(group_id, start, end)
    curations = store.curations(group_id)
    retained_late = [
        item_id
        for item_id, c in curations.items()
        if c.status == "retained" and start <= c.updated_at < end
    ]
    ids = list(dict.fromkeys([i.id for i in collected] + retained_late))
    wanted = set(ids)
    views = [v for v in store.views(ids) if v.item.deleted_at is None]
    clusters = store.cluster_members(v.cluster_id for v in views if v.cluster_id is not None)
    return WeekData(
        views=views,
        collected=len(collected),
        curations={i: c for i, c in curations.items() if i in wanted},
        fiches=store.fiches(group_id, ids) if ids else {},
        clusters=clusters,
        states=store.source_states(),
        collected_per_source=Counter(i.source_id for i in collected),
    )


def unsubscribe_link(watch: Watch, group: Group) -> str | None:
    if watch.mail is None:
        return None
    if watch.mail.unsubscribe:
        return watch.mail.unsubscribe
    mailbox = watch.mail.reply_to or watch.mail.sender
    return f"mailto:{mailbox}?subject={quote(f'Désinscription du digest {group.name}')}"


def digest_of(store: Store, watch: Watch, group_id: str, week: IsoWeek, now: datetime) -> Digest:
    _group(watch, group_id)
    return build_digest(watch, group_id, week, now, week_data(store, watch, group_id, week))


def preview_digest(
    workspace: Workspace, watch: Watch, group_id: str, week: IsoWeek, now: datetime
) -> str:
    """The HTML the digest would have now, without writing or sending anything (live preview)."""
    store = Store(workspace.db)
    try:
        digest = digest_of(store, watch, group_id, week, now)
    finally:
        store.close()
    return render_digest(digest, unsubscribe=unsubscribe_link(watch, _group(watch, group_id))).html


@dataclass(frozen=True)
class BuiltDigest:
    record: DigestRecord
    html_path: Path
    txt_path: Path
    rerendered: bool  # False: it was already sent, the archive is what was sent


def build_weekly_digest(
    workspace: Workspace, watch: Watch, group_id: str, week: IsoWeek, now: datetime
) -> BuiltDigest:
    """Render a group's digest for a week, archive it and record it. A digest already sent is
    not rendered again: its archive and its record are what the recipients got."""
    group = _group(watch, group_id)
    store = Store(workspace.db)
    try:
        mails = MailStore(store)
        found = mails.digest(group_id, str(week))
        if found is not None and found.frozen:
            html_path, txt_path = Path(found.html_path), Path(found.txt_path)
            if not html_path.exists() or not txt_path.exists():  # the store is the truth
                html_path, txt_path = archive(
                    workspace.reports, group_id, str(week), found.html, found.text
                )
            return BuiltDigest(found, html_path, txt_path, rerendered=False)
        digest = digest_of(store, watch, group_id, week, now)
        rendered = render_digest(digest, unsubscribe=unsubscribe_link(watch, group))
        html_path, txt_path = archive(
            workspace.reports, group_id, str(week), rendered.html, rendered.text
        )
        record = mails.save_digest(
            group_id=group_id,
            week=str(week),
            subject=rendered.subject,
            html_path=str(html_path),
            txt_path=str(txt_path),
            html=rendered.html,
            text=rendered.text,
            rendered_at=now,
            collected=digest.collected,
            shown=digest.shown,
            retained=digest.retained_by_group,
        )
        return BuiltDigest(record, html_path, txt_path, rerendered=True)
    finally:
        store.close()


# --- sending ----------------------------------------------------------------------------------


def recipients(watch: Watch, group: Group) -> list[Recipient]:
    """Members, tutor and extra addresses, each once (case-insensitive)."""
    found: dict[str, Recipient] = {}
    people = [*group.members, *([group.tutor] if group.tutor else [])]
    for person in people:
        found.setdefault(person.email.lower(), Recipient(person.email, person.name))
    for address in group.digest.extra_recipients:
        found.setdefault(address.lower(), Recipient(address))
    return list(found.values())


@dataclass
class DigestOutcome:
    group_id: str
    week: IsoWeek
    built: BuiltDigest
    queued: int = 0  # outbox rows added this time
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    outbox: list[OutboxRow] = field(default_factory=list)  # the digest's rows afterwards


def _check_mail(watch: Watch) -> None:
    """Refuse to queue anything that could not be sent (no mail: section, no password)."""
    if watch.mail is None:
        raise MailConfigError("pas de section mail: dans sources.yml : rien ne peut être envoyé")
    password_for(watch.mail)


def _deliver(
    store: Store,
    watch: Watch,
    rows: list[OutboxRow],
    now: datetime,
    backoff_base: timedelta,
    timeout: float,
) -> DeliveryReport:
    _check_mail(watch)
    assert watch.mail is not None
    return deliver(
        MailStore(store),
        watch.mail,
        rows,
        from_name=watch.watch.name,
        group_names={g.id: g.name for g in watch.groups},
        now=now,
        backoff_base=backoff_base,
        timeout=timeout,
    )


def send_weekly_digest(
    workspace: Workspace,
    watch: Watch,
    group_id: str,
    week: IsoWeek,
    now: datetime,
    *,
    send: bool,
    backoff_base: timedelta = BACKOFF_BASE,
    timeout: float = 30.0,
) -> DigestOutcome:
    """Build (or reuse, once sent) a group's digest; with `send`, put every recipient in the
    outbox once and deliver what is due. Running it again never sends a copy twice."""
    group = _group(watch, group_id)
    if send:
        _check_mail(watch)
    built = build_weekly_digest(workspace, watch, group_id, week, now)
    outcome = DigestOutcome(group_id, week, built)
    store = Store(workspace.db)
    try:
        mails = MailStore(store)
        if send:
            assert watch.mail is not None
            people = recipients(watch, group)
            ids = [message_id(group_id, str(week), p.address, watch.mail.sender) for p in people]
            outcome.queued = mails.queue(built.record.id, people, ids, now)
            due = mails.due(now, digest_id=built.record.id)
            outcome.delivery = _deliver(store, watch, due, now, backoff_base, timeout)
        outcome.outbox = mails.rows([built.record.id])
    finally:
        store.close()
    return outcome


def deliver_outbox(
    workspace: Workspace,
    watch: Watch,
    now: datetime,
    *,
    backoff_base: timedelta = BACKOFF_BASE,
    timeout: float = 30.0,
) -> DeliveryReport:
    """Retry whatever is due in the outbox (every digest): pending rows and failed ones whose
    next attempt has come. Rows « non confirmé » are left alone."""
    store = Store(workspace.db)
    try:
        due = MailStore(store).due(now)
        if not due:
            return DeliveryReport()
        return _deliver(store, watch, due, now, backoff_base, timeout)
    finally:
        store.close()


def last_digest_week(workspace: Workspace, group_id: str) -> IsoWeek | None:
    store = Store(workspace.db)
    try:
        found = MailStore(store).last_sent_week(group_id)
    finally:
        store.close()
    return IsoWeek.parse(found) if found else None


def catch_up_digests(
    workspace: Workspace, watch: Watch, now: datetime, *, timeout: float = 30.0
) -> list[DigestOutcome]:
    """At start-up: send, once, each group's latest digest whose time passed while nothing ran
    (without a `mail:` section, digests are only rendered and archived)."""
    done: list[DigestOutcome] = []
    for group in watch.groups:
        last = last_digest_week(workspace, group.id)
        week = week_to_catch_up(group.digest, _tz(watch), now, last)
        if week is not None:
            sending = watch.mail is not None  # without mail: archived only
            done.append(
                send_weekly_digest(
                    workspace, watch, group.id, week, now, send=sending, timeout=timeout
                )
            )
    return done


# --- crawling and processing ------------------------------------------------------------------


@dataclass
class CrawlProcessReport:
    crawl: CrawlReport
    processed: int = 0  # items enriched
    indexed: int = 0
    index_waiting: int = 0  # items left out of a busy index (a reindex was running)


def run_due_crawl_and_process(
    workspace: Workspace, watch: Watch, now: datetime
) -> CrawlProcessReport:
    """Crawl the sources that are due (in a crawl process), then process what is new."""
    store = Store(workspace.db)
    try:
        crawl = crawl_due(watch, store, workspace.db, now, log_file=workspace.crawl_log())
        report = CrawlProcessReport(crawl)
        if (
            any(r.new or r.updated for r in crawl.results)
            or store.count_pending_enrichment()
            or any(store.index_backlog(limit=1))  # left by a run that found the index busy
        ):
            from watcher.index import SearchIndex
            from watcher.process import process_pending

            index = SearchIndex(workspace.index)
            try:
                done = process_pending(watch, store, index, now)
            finally:
                index.close()
            report.processed, report.indexed = done.enriched, done.indexed
            report.index_waiting = done.index_waiting
        return report
    finally:
        store.close()


# --- what `watcher status` and `watcher outbox` show ------------------------------------------


@dataclass(frozen=True)
class GroupDigestStatus:
    group_id: str
    group_name: str
    next_run: datetime
    last_week: str | None
    states: dict[str, int]  # outbox labels of the last digest → count


def digest_status(workspace: Workspace, watch: Watch, now: datetime) -> list[GroupDigestStatus]:
    store = Store(workspace.db)
    try:
        mails = MailStore(store)
        found: list[GroupDigestStatus] = []
        for group in watch.groups:
            last = mails.last_sent_week(group.id)
            counts: Counter[str] = Counter()
            if last:
                record = mails.digest(group.id, last)
                if record is not None:
                    counts.update(row.label for row in mails.rows([record.id]))
            found.append(
                GroupDigestStatus(
                    group.id,
                    group.name,
                    next_digest_time(group.digest, _tz(watch), now),
                    last,
                    dict(counts),
                )
            )
        return found
    finally:
        store.close()


def outbox_overview(
    workspace: Workspace, limit: int = 20
) -> list[tuple[DigestRecord, list[OutboxRow]]]:
    store = Store(workspace.db)
    try:
        mails = MailStore(store)
        records = mails.recent_digests(limit)
        rows = mails.rows([r.id for r in records])
    finally:
        store.close()
    by_digest: dict[int, list[OutboxRow]] = {}
    for row in rows:
        by_digest.setdefault(row.digest_id, []).append(row)
    return [(r, by_digest.get(r.id, [])) for r in records]


def settle_unconfirmed(workspace: Workspace, row_id: int, *, resend: bool, now: datetime) -> bool:
    """An operator settles a row: `resend` puts it back in the queue, else it is confirmed."""
    store = Store(workspace.db)
    try:
        mails = MailStore(store)
        return mails.requeue(row_id) if resend else mails.confirm(row_id, now)
    finally:
        store.close()
