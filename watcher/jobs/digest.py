"""Digest use cases: preview, build, send under the week rule, the outbox, the catch-up at
start-up and what `watcher status` and `watcher outbox` show (docs/digest.md).

`week_data` reads from the store what a week's digest draws on; `report.digest.build_digest`
(pure) builds it; `report.render` writes it; `report.mail` delivers it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from watcher.changes import CHANGE_KIND
from watcher.config import Group, Watch
from watcher.dates import date_fr
from watcher.errors import NotFound, WatcherError
from watcher.jobs import OpenWorkspace, group_of
from watcher.model import DigestRecord, OutboxRow, Recipient
from watcher.report.digest import (
    Digest,
    IsoWeek,
    WeekData,
    build_digest,
    due_week,
    next_digest_time,
    weeks_to_catch_up,
)
from watcher.report.mail import (
    BACKOFF_BASE,
    DeliveryReport,
    MailConfigError,
    deliver,
    message_id,
    password_for,
)
from watcher.store import Store
from watcher.store.mail import DigestOverlap, MailStore
from watcher.store.pages import PageStore


def _tz(watch: Watch) -> ZoneInfo:
    return ZoneInfo(watch.watch.timezone)


# --- building ---------------------------------------------------------------------------------


def week_data(store: Store, watch: Watch, group_id: str, week: IsoWeek, now: datetime) -> WeekData:
    """Read from the store what a group's digest for a week draws on — the week rule
    (docs/digest.md): the group's items collected before the cutoff (the end of the week, or
    `now` for a week not over yet) that no sent digest of the group counts, plus the items the
    group retained that a sent digest counted without showing them."""
    tz = _tz(watch)
    cutoff = min(week.end(tz), now + timedelta(microseconds=1))  # what is collected by now
    mails = MailStore(store)
    sent = mails.sent_items(group_id)
    legacy = [(IsoWeek.parse(d.week).start(tz), IsoWeek.parse(d.week).end(tz)) for d in sent.legacy]
    counted = [
        v
        for v in store.views(mails.uncounted_items(group_id, cutoff))
        if not any(start <= v.item.fetched_at < end for start, end in legacy)
    ]
    curations = store.curations(group_id)
    late_ids = [
        item_id
        for item_id, c in curations.items()
        if c.status == "retained" and item_id in sent.counted and item_id not in sent.shown
    ]
    late = [v for v in store.views(late_ids) if v.item.deleted_at is None]
    views = counted + late
    ids = [v.item.id for v in views]
    wanted = set(ids)
    clusters = store.cluster_members(v.cluster_id for v in views if v.cluster_id is not None)
    sent_cutoffs = dict(sent.cutoffs)
    for record in sent.legacy:
        sent_cutoffs.setdefault(record.week, IsoWeek.parse(record.week).end(tz))
    return WeekData(
        views=views,
        collected=len(counted),
        curations={i: c for i, c in curations.items() if i in wanted},
        fiches=store.fiches(group_id, ids) if ids else {},
        clusters=clusters,
        states=store.source_states(),
        collected_per_source=Counter(v.item.source_id for v in counted),
        late={v.item.id: sent.counted[v.item.id] for v in late},
        sent=sent_cutoffs,
        cutoff=cutoff,
        changes=PageStore(store).changes_of(
            [v.item.id for v in views if v.item.kind == CHANGE_KIND]
        ),
    )


def waiting_items(w: OpenWorkspace, watch: Watch, group_id: str, now: datetime) -> int:
    """How many collected items wait for the group's next digest (counted by none yet)."""
    week = IsoWeek.of(now, _tz(watch))
    return week_data(w.store, watch, group_id, week, now).collected


class DigestRuleError(WatcherError, ValueError):
    """A digest that may not be sent now (the week rule); the message says why, in French."""


def check_begun(watch: Watch, week: IsoWeek, now: datetime) -> None:
    """A week that has not begun has no digest, to send, to preview or to archive (a year or a
    week number mistyped): DigestRuleError, naming the week in progress."""
    tz = _tz(watch)
    if week.start(tz) > now:
        raise DigestRuleError(
            f"la {week.fr()} n'a pas commencé : elle n'a pas encore de synthèse. Semaine en "
            f"cours : {IsoWeek.of(now, tz).fr()}"
        )


def check_sendable(
    watch: Watch, week: IsoWeek, now: datetime, *, early: bool, last_sent: IsoWeek | None
) -> None:
    """The week rule for sending (docs/digest.md): a week that has not begun has nothing to
    send; a week not over is sent only on purpose (`early`), what comes after rolls into the
    next digest; a week before the last one sent has nothing left (its items went into it)."""
    tz = _tz(watch)
    check_begun(watch, week, now)
    if last_sent is not None and week < last_sent:
        raise DigestRuleError(
            f"la synthèse de la {last_sent.fr()} est déjà envoyée : ce qui a été collecté avant "
            f"y est compté, la {week.fr()} n'a plus rien à envoyer"
        )
    if week.end(tz) > now and not early:
        ends = week.end(tz).astimezone(tz)
        raise DigestRuleError(
            f"la {week.fr()} n'est pas finie (elle se termine le {date_fr(ends.date())} à "
            f"{ends:%H:%M}) : envoyée maintenant, elle laisserait de côté ce qui sera collecté "
            "d'ici là. Attendez sa fin, ou ajoutez --early pour l'envoyer quand même : ce qui "
            "arrivera ensuite ira dans la synthèse suivante, signalé comme reporté"
        )


def unsubscribe_link(watch: Watch, group: Group) -> str | None:
    if watch.mail is None:
        return None
    if watch.mail.unsubscribe:
        return watch.mail.unsubscribe
    mailbox = watch.mail.reply_to or watch.mail.sender
    return f"mailto:{mailbox}?subject={quote(f'Désinscription de la synthèse {group.name}')}"


def digest_of(
    store: Store,
    watch: Watch,
    group_id: str,
    week: IsoWeek,
    now: datetime,
    *,
    sending: bool = False,
) -> Digest:
    """A group's digest for a week as it would be now: read (`week_data`), then built (pure);
    DigestRuleError for a week that has not begun. `sending`: the rendering to be sent."""
    group_of(watch, group_id)
    check_begun(watch, week, now)
    data = week_data(store, watch, group_id, week, now)
    return build_digest(watch, group_id, week, now, data, sending=sending)


def preview_digest(
    w: OpenWorkspace, watch: Watch, group_id: str, week: IsoWeek, now: datetime
) -> str:
    """The HTML the digest would have now, without writing or sending anything (live preview);
    a digest already sent is shown as it was sent."""
    from watcher.report.render import render_digest  # Jinja: to render, not for `watcher status`

    group = group_of(watch, group_id)
    found = w.mails.digest(group_id, str(week))
    if found is not None and found.frozen:
        return found.html
    digest = digest_of(w.store, watch, group_id, week, now)
    return render_digest(
        digest, unsubscribe=unsubscribe_link(watch, group), web_url=watch.watch.web_url
    ).html


@dataclass(frozen=True)
class BuiltDigest:
    record: DigestRecord
    html_path: Path
    txt_path: Path
    rerendered: bool  # False: it was already sent, the archive is what was sent


def build_weekly_digest(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    week: IsoWeek,
    now: datetime,
    *,
    sending: bool = False,
) -> BuiltDigest:
    """Render a group's digest for a week, archive it and record it. A digest already sent is
    not rendered again: its archive and its record are what the recipients got. `sending`:
    the rendering is the one about to be frozen and sent (`_release`)."""
    from watcher.report.render import archive, archive_paths, render_digest  # Jinja: to render

    group = group_of(watch, group_id)
    reports = w.workspace.reports
    found = w.mails.digest(group_id, str(week))
    if found is not None and found.frozen:
        html_path, txt_path = Path(found.html_path), Path(found.txt_path)
        if not html_path.exists() or not txt_path.exists():  # the store is the truth
            html_path, txt_path = archive(reports, group_id, str(week), found.html, found.text)
        return BuiltDigest(found, html_path, txt_path, rerendered=False)
    digest = digest_of(w.store, watch, group_id, week, now, sending=sending)
    rendered = render_digest(
        digest, unsubscribe=unsubscribe_link(watch, group), web_url=watch.watch.web_url
    )
    html_path, txt_path = archive_paths(reports, group_id, str(week))
    # Recorded first, then archived from the record. Archived first, a kill -9 in between left
    # a file the store did not know, which the dossier reads as a digest archived by hand (one
    # that went out); and a digest another process had just sent got its archive overwritten
    # with this rendering, which save_digest then refused.
    record = w.mails.save_digest(
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
        cutoff=digest.cutoff,
        counted_ids=digest.counted_ids,
        shown_ids=digest.shown_ids,
    )
    archive(reports, group_id, str(week), record.html, record.text)
    return BuiltDigest(record, html_path, txt_path, rerendered=True)


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
    w: OpenWorkspace,
    watch: Watch,
    rows: list[OutboxRow],
    now: datetime,
    backoff_base: timedelta,
    timeout: float,
) -> DeliveryReport:
    _check_mail(watch)
    assert watch.mail is not None
    return deliver(
        w.mails,
        watch.mail,
        rows,
        from_name=watch.watch.name,
        group_names={g.id: g.name for g in watch.groups},
        now=now,
        backoff_base=backoff_base,
        timeout=timeout,
    )


def send_weekly_digest(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    week: IsoWeek,
    now: datetime,
    *,
    send: bool,
    early: bool = False,
    backoff_base: timedelta = BACKOFF_BASE,
    timeout: float = 30.0,
) -> DigestOutcome:
    """Build (or reuse, once sent) a group's digest; with `send`, put every recipient in the
    outbox once and deliver what is due. Running it again never sends a copy twice. Sending
    follows the week rule (`check_sendable`: DigestRuleError)."""
    group = group_of(watch, group_id)
    if send:
        _check_mail(watch)
        assert watch.mail is not None
        mail = watch.mail
        people = recipients(watch, group)
        ids = [message_id(group_id, str(week), p.address, mail.sender) for p in people]
        outcome = _release(w, watch, group_id, week, now, people, ids, early=early)
        due = w.mails.due(now, digest_id=outcome.built.record.id)
        outcome.delivery = _deliver(w, watch, due, now, backoff_base, timeout)
    else:
        outcome = DigestOutcome(group_id, week, build_weekly_digest(w, watch, group_id, week, now))
    outcome.outbox = w.mails.rows([outcome.built.record.id])
    return outcome


def _release(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    week: IsoWeek,
    now: datetime,
    people: list[Recipient],
    message_ids: list[str],
    *,
    early: bool,
) -> DigestOutcome:
    """Freeze the week's digest (sent from now on) with its recipients in the outbox. A digest
    sent meanwhile by another process that counts some of the same items makes this rendering
    stale: it is built again (the store refuses to freeze a stale one)."""
    mails = w.mails
    found = mails.digest(group_id, str(week))
    if found is None or not found.frozen:
        last = mails.last_sent_week(group_id)
        check_sendable(
            watch, week, now, early=early, last_sent=IsoWeek.parse(last) if last else None
        )
    for attempt in range(3):
        built = build_weekly_digest(w, watch, group_id, week, now, sending=True)
        try:
            queued = mails.queue(built.record.id, people, message_ids, now)
        except DigestOverlap:
            if attempt == 2:
                raise
            continue
        if not built.rerendered:
            return DigestOutcome(group_id, week, built, queued)
        frozen = mails.digest_by_id(built.record.id)
        return DigestOutcome(group_id, week, replace(built, record=frozen), queued)
    raise AssertionError("unreachable")


def release_digest(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    week: IsoWeek,
    now: datetime,
    *,
    timeout: float = 30.0,
) -> DigestOutcome:
    """What the scheduler does with a due week: send it by e-mail; without a `mail:` section,
    publish it (archived and frozen, with nobody to send it to) — either way it is a sent
    digest for the week rule."""
    if watch.mail is not None:
        return send_weekly_digest(w, watch, group_id, week, now, send=True, timeout=timeout)
    return _release(w, watch, group_id, week, now, [], [], early=False)


def scheduled_digest(
    w: OpenWorkspace, watch: Watch, group_id: str, now: datetime, *, timeout: float = 30.0
) -> DigestOutcome | None:
    """The digest job of `watcher serve` at the group's weekday and time: the latest week
    whose digest is due (a complete week: never one still running), after the weeks missed
    since the last one sent, if any (a machine asleep at the digest's time), each sent as its
    own week. None when a later week was already sent by hand (--early): its items are
    counted there, nothing is left."""
    group = group_of(watch, group_id)
    week = due_week(group.digest, _tz(watch), now)
    last = last_digest_week(w, group_id)
    if last is not None and last > week:
        return None
    missed = weeks_to_catch_up(group.digest, _tz(watch), now, last) if last else []
    for earlier in missed:
        if earlier < week:
            release_digest(w, watch, group_id, earlier, now, timeout=timeout)
    return release_digest(w, watch, group_id, week, now, timeout=timeout)


def deliver_outbox(
    w: OpenWorkspace,
    watch: Watch,
    now: datetime,
    *,
    backoff_base: timedelta = BACKOFF_BASE,
    timeout: float = 30.0,
) -> DeliveryReport:
    """Retry whatever is due in the outbox (every digest): pending rows and failed ones whose
    next attempt has come. Rows « non confirmé » are left alone."""
    due = w.mails.due(now)
    if not due:
        return DeliveryReport()
    return _deliver(w, watch, due, now, backoff_base, timeout)


def last_digest_week(w: OpenWorkspace, group_id: str) -> IsoWeek | None:
    found = w.mails.last_sent_week(group_id)
    return IsoWeek.parse(found) if found else None


def catch_up_digests(
    w: OpenWorkspace, watch: Watch, now: datetime, *, timeout: float = 30.0
) -> list[DigestOutcome]:
    """At start-up: send, once each and oldest first, each group's digests whose time passed
    while nothing ran, every one labelled with its own week and holding that week's items
    (`weeks_to_catch_up`: at most the last MAX_CATCH_UP_WEEKS; without a `mail:` section they
    are published: archived and frozen). Nothing collected meanwhile is lost."""
    done: list[DigestOutcome] = []
    for group in watch.groups:
        last = last_digest_week(w, group.id)
        for week in weeks_to_catch_up(group.digest, _tz(watch), now, last):
            done.append(release_digest(w, watch, group.id, week, now, timeout=timeout))
    return done


# --- what `watcher status` and `watcher outbox` show ------------------------------------------


@dataclass(frozen=True)
class GroupDigestStatus:
    group_id: str
    group_name: str
    next_run: datetime
    last_week: str | None
    states: dict[str, int]  # outbox labels of the last digest → count


def digest_status(w: OpenWorkspace, watch: Watch, now: datetime) -> list[GroupDigestStatus]:
    found: list[GroupDigestStatus] = []
    for group in watch.groups:
        last = w.mails.last_sent_week(group.id)
        counts: Counter[str] = Counter()
        if last:
            record = w.mails.digest(group.id, last)
            if record is not None:
                counts.update(row.label for row in w.mails.rows([record.id]))
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


def outbox_overview(
    w: OpenWorkspace, limit: int = 20
) -> list[tuple[DigestRecord, list[OutboxRow]]]:
    records = w.mails.recent_digests(limit)
    by_digest: dict[int, list[OutboxRow]] = {}
    for row in w.mails.rows([r.id for r in records]):
        by_digest.setdefault(row.digest_id, []).append(row)
    return [(r, by_digest.get(r.id, [])) for r in records]


def settle_unconfirmed(w: OpenWorkspace, row_id: int, *, resend: bool, now: datetime) -> None:
    """An operator settles a row: `resend` puts it back in the queue, else it is confirmed."""
    done = w.mails.requeue(row_id) if resend else w.mails.confirm(row_id, now)
    if not done:
        raise NotFound(f"Ligne {row_id} introuvable, ou dans un état qui ne le permet pas.")
