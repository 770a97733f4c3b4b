"""A file, its manifest and the watch's records, compared; the French report (pure).

`compare(envelope, content, …)` says, section by section:

1. **Authenticité** — the signature (this watch's key, another watch's, or none valid), the code
   on the cover;
2. **Conformité aux registres** — each piece of evidence of the manifest against the records as
   they are now (when the store is at hand): unchanged, updated since by its source, edited in
   Watcher since, no longer there;
3. **Preuves présentes dans le fichier mais absentes des registres** — web addresses the file
   shows that the manifest does not list (an article added by hand), evidence the records no
   longer have;
4. **Registres de la période absents du fichier** — what the manifest lists that the file no
   longer shows (a fiche, a digest, a whole section deleted), and what the records hold for the
   period that the manifest does not (written or collected after the file was made);
5. **Textes modifiés** — a fiche, a fact, a statistic… whose words differ from the recorded
   version, with what changed.

The oral deck (a manifest of kind `oral`) is compared slide by slide: each slide of the
manifest is paired with the file's slide (PPTX) or page (PDF handout) that shares most of its
words (`_pair_slides`, whatever their order); its texts are looked for on that slide only, a
slide with no partner is reported missing as a whole, a slide of the file with no partner as
added by hand.

Words are compared, not layout: letters and digits in order, case and punctuation aside
(`words`), so a file re-flowed, re-styled or exported by a word processor reads the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watcher.dates import clock, day_short, week_code_fr
from watcher.plural import counted, plural
from watcher.verify.file_text import FORMAT_NAMES, FileContent
from watcher.verify.manifest import CODE, SECTIONS, SLIDE, Envelope, cover_code

_WORD = re.compile(r"\w+")
MIN_SHARED = 0.5  # below this share of its words found together, a text is missing, not changed
# a slide of the deck and a slide of the file are the same slide from this share of words on
SLIDE_SHARED = 0.5
CONTEXT = 4  # words shown around a change

KIND_LABELS = {
    "article": "Article",
    "fiche": "Fiche de veille",
    "fact": "Preuve",
    "stat": "Statistique",
    "digest": "Synthèse",
    "reference": "Référence",
    "action": "Action proposée",
    "price": "Prix relevé",
    "item": "Article cité",
    "section": "Titre de section",
    "slide": "Diapositive",
    "slide-title": "Titre",
    "slide-text": "Texte",
    "slide-cell": "Cellule de tableau",
}

# words of counts (watcher.plural.counted)
MISSING_ENTRIES = ("élément enregistré introuvable", "éléments enregistrés introuvables")
MISSING_TEXTS = ("texte enregistré introuvable", "textes enregistrés introuvables")


def words(text: str) -> list[str]:
    """The words of a text (letters and digits), layout and punctuation aside."""
    return _WORD.findall(unicodedata.normalize("NFKC", text))


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str  # item | fiche | digest | record | link | text kinds | code | signature
    ref: str
    message: str  # French
    before: str = ""  # the recorded words (a change)
    after: str = ""  # the file's words


@dataclass
class Section:
    id: str  # authenticity | records | added | missing | changed
    title: str
    findings: list[Finding] = field(default_factory=list)
    note: str = ""  # one line when there is nothing to report, or what was not checked


@dataclass
class Report:
    verdict: str  # unchanged | changed | refused | other_watch
    headline: str  # French
    format: str
    manifest: dict[str, Any] | None
    code: str = ""
    store_checked: bool = False
    sections: list[Section] = field(default_factory=list)

    @property
    def authentic(self) -> bool:
        return self.verdict in ("unchanged", "changed")


# --- what the records hold now (read by watcher.jobs.verify) ------------------------------------


@dataclass(frozen=True)
class ItemNow:
    url: str
    source: str
    collected_at: str
    content_hash: str
    version: int
    deleted: bool


@dataclass(frozen=True)
class RecordNow:
    """An assessment record as the store has it now, and the latest signed version of the same
    learner, grid and competence (a correction is a new record; the corrected one stays)."""

    version: int
    seal: str
    latest_version: int
    latest_level: int


@dataclass(frozen=True)
class Records:
    """The watch's records as they are now: the manifest the same file would get now (same
    group, same period), the file's items as the store has them (None: no such item), and its
    assessment records (None: no such record)."""

    current: dict[str, Any]
    items: Mapping[int, ItemNow | None]
    records: Mapping[int, RecordNow | None] = field(default_factory=dict)


# --- finding a text in a file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    before: str
    after: str


class FileWords:
    """A file's words, ready for finding texts in them."""

    def __init__(self, content: FileContent) -> None:
        self.shown = [w for block in content.blocks for w in words(block)]
        self.keys = [w.casefold() for w in self.shown]
        self.joined = " " + " ".join(self.keys) + " "
        self.headings = {" ".join(w.casefold() for w in words(h)) for h in content.headings}

    def contains(self, keys: Sequence[str]) -> bool:
        return bool(keys) and (" " + " ".join(keys) + " ") in self.joined

    def locate(self, text: str) -> list[Change] | None:
        """[] when the text is in the file, the changes when a changed version of it is, None
        when it is not there."""
        shown = words(text)
        keys = [w.casefold() for w in shown]
        if not keys or self.contains(keys):
            return []
        if len(keys) < 3 or not self.keys:
            return None
        matcher = SequenceMatcher(None, self.keys, keys, autojunk=False)
        a, b, size = matcher.find_longest_match(0, len(self.keys), 0, len(keys))
        if size == 0:
            return None
        slack = max(6, len(keys) // 2)
        start = max(0, a - b - slack)
        end = min(len(self.keys), a + (len(keys) - b) + slack)
        window = SequenceMatcher(None, self.keys[start:end], keys, autojunk=False)
        blocks = [m for m in window.get_matching_blocks() if m.size]
        if sum(m.size for m in blocks) < MIN_SHARED * len(keys):
            return None
        first = max(0, blocks[0].a - blocks[0].b)
        last = blocks[-1].a + blocks[-1].size + (len(keys) - blocks[-1].b - blocks[-1].size)
        last = min(last, end - start)
        span_keys = self.keys[start + first : start + last]
        span_shown = self.shown[start + first : start + last]
        final = SequenceMatcher(None, span_keys, keys, autojunk=False)
        changes = []
        for tag, i1, i2, j1, j2 in final.get_opcodes():
            if tag == "equal":
                continue
            changes.append(
                Change(
                    _excerpt(shown, j1, j2),
                    _excerpt(span_shown, i1, i2),
                )
            )
        return changes


def _excerpt(shown: Sequence[str], i: int, j: int) -> str:
    """The words [i, j) with CONTEXT words either side, « … » where the text goes on."""
    lo, hi = max(0, i - CONTEXT), min(len(shown), j + CONTEXT)
    inner = " ".join(shown[i:j])
    left = " ".join(shown[lo:i])
    right = " ".join(shown[j:hi])
    text = " ".join(p for p in (left, f"[{inner}]" if inner else "[]", right) if p)
    return ("… " if lo > 0 else "") + text + (" …" if hi < len(shown) else "")


# --- the comparison -----------------------------------------------------------------------------


def _title(manifest: Mapping[str, Any], ref: str, kind: str) -> str:
    """What a text is about, for a person: the fiche's article, the competence, the week."""
    if kind in ("fiche", "article"):
        item_id = ref.removeprefix("fiche-")
        for item in manifest.get("items", []):
            if str(item.get("id")) == item_id:
                return f"« {item.get('title', '')} » (article n° {item_id})"
        return f"article n° {item_id}"
    if kind == "section":
        return f"« {SECTIONS.get(ref, ref)} »"
    if kind == "digest":  # its week's code: « de la semaine 50 (du 7 au 13 décembre 2026) »
        return f"de la {week_code_fr(ref)}"
    return ref


def _fr_time(iso: str | None, zone: str = "Europe/Paris") -> str:
    """An ISO time on the watch's clock, « 28/09/2026 12:00 »."""
    if not iso:
        return "—"
    try:
        ZoneInfo(zone)
        return clock(datetime.fromisoformat(iso), zone)
    except (ValueError, KeyError, ZoneInfoNotFoundError):
        return iso


def _fr_day(iso: str | None) -> str:
    """An ISO day as people write it, « 27/09/2026 »."""
    try:
        return day_short(date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso)


def compare(
    envelope: Envelope,
    content: FileContent,
    *,
    signature_ok: bool,
    trusted_key: str,
    watch_name: str = "",
    records: Records | None = None,
    unchecked: str = "",
) -> Report:
    """The report on a file whose manifest is `envelope`, checked with the key whose
    fingerprint is `trusted_key` (`signature_ok`: its verdict on the signature); without
    `records`, `unchecked` says why the records were not compared (default: a public key
    alone)."""
    manifest = envelope.manifest
    fmt = content.format
    authenticity = Section("authenticity", "Authenticité")
    if envelope.key != trusted_key:
        other = envelope.watch_name or "inconnue"
        authenticity.findings.append(
            Finding(
                "signature",
                envelope.key,
                f"Ce fichier a été généré par une autre veille (« {other} », clé {envelope.key}) "
                f"et non par celle-ci ({watch_name or 'clé'} {trusted_key}) : il ne peut pas être "
                "vérifié avec cette clé. Vérifiez-le avec la clé publique de la veille qui l'a "
                "produit.",
            )
        )
        return Report(
            "other_watch",
            "Fichier d'une autre veille : non vérifiable avec cette clé.",
            fmt,
            None,
            envelope.code,
            sections=[authenticity],
        )
    if not signature_ok or envelope.code != cover_code(envelope.signature):
        authenticity.findings.append(
            Finding(
                "signature",
                envelope.key,
                (
                    "Signature absente : le manifeste a été privé de sa signature, n'importe qui "
                    "a pu l'écrire ou le modifier."
                    if not envelope.signature
                    else "Signature invalide : le manifeste a été modifié après sa génération, ou "
                    "n'a pas été signé par la clé de cette veille."
                )
                + " Rien de ce qu'il contient ne peut être tenu pour établi.",
            )
        )
        return Report(
            "refused",
            "Refusé : la signature du manifeste n'est pas valable.",
            fmt,
            None,
            envelope.code,
            sections=[authenticity],
        )
    zone = str(manifest.get("timezone") or "Europe/Paris")
    authenticity.note = (
        f"Manifeste signé par la clé de la veille « {envelope.watch_name} » ({envelope.key}), "
        f"généré le {_fr_time(manifest.get('generated_at'), zone)} ({zone}) pour le groupe "
        f"« {manifest.get('group', {}).get('name', '')} », période du "
        f"{_fr_day(manifest.get('period', {}).get('from'))} au "
        f"{_fr_day(manifest.get('period', {}).get('to'))} ; "
        f"code {envelope.code}."
    )
    found = FileWords(content)
    changed = Section("changed", "Textes modifiés")
    missing = Section("missing", "Registres de la période absents du fichier")
    added = Section("added", "Preuves présentes dans le fichier mais absentes des registres")
    _check_code(envelope, content, changed)
    if manifest.get("kind") == "oral":
        _check_slides(manifest, content, changed, missing, added)
    else:
        _check_texts(manifest, fmt, found, changed, missing)
    _check_links(manifest, content, added)
    differences = len(added.findings) + len(missing.findings) + len(changed.findings)
    sections = [authenticity]
    store = Section("records", "Conformité aux registres de la veille")
    if records is not None:
        _check_records(manifest, records, store, added, missing)
    else:
        store.note = unchecked or (
            "Non vérifiée : sans accès aux registres de la veille (clé publique seule), le "
            "fichier est comparé à son manifeste signé, pas aux registres d'aujourd'hui."
        )
    sections += [store, added, missing, changed]
    for section, empty in (
        (store, "Chaque preuve du manifeste est conforme aux registres."),
        (added, "Aucune."),
        (missing, "Aucun."),
        (changed, "Aucun."),
    ):
        if not section.findings and not section.note:
            section.note = empty
    evolved = len(store.findings + added.findings + missing.findings + changed.findings)
    evolved -= differences  # what the records say now, not what the file changed
    file_name = FORMAT_NAMES.get(fmt, fmt)
    if differences == 0:
        verdict, headline = "unchanged", f"Authentique et inchangé ({file_name})."
    else:
        verdict = "changed"
        headline = (
            f"Authentique, modifié depuis sa génération ({file_name}) : "
            f"{counted(differences, 'différence')}, "
            f"{plural(differences, 'détaillée', 'détaillées')} ci-dessous."
        )
    if evolved:
        headline += f" Les registres ont évolué depuis : {counted(evolved, 'point')}."
    return Report(verdict, headline, fmt, manifest, envelope.code, records is not None, sections)


def _check_code(envelope: Envelope, content: FileContent, changed: Section) -> None:
    codes = set(CODE.findall(content.text))
    if envelope.code in codes:
        return
    shown = ", ".join(sorted(codes))
    changed.findings.append(
        Finding(
            "code",
            envelope.code,
            f"Le code de vérification {envelope.code} n'est plus sur la page de garde"
            + (f" (le fichier montre {shown})" if shown else "")
            + " : la page de garde a été modifiée, ou le manifeste vient d'un autre fichier.",
        )
    )


def _check_texts(
    manifest: Mapping[str, Any],
    fmt: str,
    found: FileWords,
    changed: Section,
    missing: Section,
) -> None:
    mine = [t for t in manifest.get("texts", []) if fmt in t.get("formats", ())]
    absent: dict[str, list[dict[str, Any]]] = {}
    per_section: dict[str, int] = {}
    for entry in mine:
        per_section[entry["section"]] = per_section.get(entry["section"], 0) + 1
        if entry["kind"] == "section":
            title = " ".join(w.casefold() for w in words(entry["text"]))
            if fmt in ("docx", "html") and title not in found.headings:
                absent.setdefault(entry["section"], []).append(entry)
            continue
        changes = found.locate(entry["text"])
        if changes is None:
            absent.setdefault(entry["section"], []).append(entry)
        elif changes:
            label = KIND_LABELS.get(entry["kind"], entry["kind"])
            about = _title(manifest, entry["ref"], entry["kind"])
            where = SECTIONS.get(entry["section"], entry["section"])
            for change in changes:
                changed.findings.append(
                    Finding(
                        entry["kind"],
                        entry["ref"],
                        f"{label} {about} (section « {where} ») : le texte diffère de la "
                        "version enregistrée.",
                        change.before,
                        change.after,
                    )
                )
    for section, entries in absent.items():
        title = SECTIONS.get(section, section)
        if len(entries) == per_section[section] and len(entries) > 1:
            missing.findings.append(
                Finding(
                    "section",
                    section,
                    f"Section « {title} » absente du fichier ("
                    f"{counted(len(entries), *MISSING_ENTRIES)}).",
                )
            )
            continue
        for entry in entries:
            label = KIND_LABELS.get(entry["kind"], entry["kind"])
            about = _title(manifest, entry["ref"], entry["kind"])
            missing.findings.append(
                Finding(
                    entry["kind"],
                    entry["ref"],
                    f"{label} {about} (section « {title} ») absent(e) du fichier.",
                    _short(entry["text"]),
                )
            )


def _slide_texts(manifest: Mapping[str, Any], fmt: str) -> dict[int, list[dict[str, Any]]]:
    """The oral's texts shown in `fmt`, by slide number."""
    slides: dict[int, list[dict[str, Any]]] = {}
    for entry in manifest.get("texts", []):
        section = str(entry.get("section", ""))
        if fmt in entry.get("formats", ()) and section.startswith(SLIDE):
            number = section.removeprefix(SLIDE)
            if number.isdigit():
                slides.setdefault(int(number), []).append(entry)
    return dict(sorted(slides.items()))


def _keys(texts: Sequence[str]) -> Counter[str]:
    return Counter(w.casefold() for text in texts for w in words(text))


def _pair_slides(
    slides: Mapping[int, Sequence[dict[str, Any]]], pages: Sequence[Sequence[str]]
) -> dict[int, int]:
    """Slide number of the manifest → index of the file's page showing it: the pairs that share
    the most words first, each slide and page paired once, at least SLIDE_SHARED of the slide's
    words shared (a slide moved is still found; a slide deleted has no pair)."""
    page_keys = [_keys(page) for page in pages]
    scores = []
    for number, entries in slides.items():
        mine = _keys([e["text"] for e in entries])
        total = sum(mine.values())
        if not total:
            continue
        for index, keys in enumerate(page_keys):
            shared = sum((mine & keys).values()) / total
            if shared >= SLIDE_SHARED:
                scores.append((-shared, abs(number - 1 - index), number, index))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _score, _distance, number, index in sorted(scores):
        if number not in pairs and index not in taken:
            pairs[number] = index
            taken.add(index)
    return pairs


def _changed_block(text: str, blocks: Sequence[str]) -> list[Change] | None:
    """How a paragraph or a cell changed: compared with the block of the slide that is most like
    it, whole (a changed end of a paragraph is shown to its end)."""
    shown = words(text)
    keys = [w.casefold() for w in shown]
    best: tuple[float, list[str]] = (0.0, [])
    for block in blocks:
        theirs = words(block)
        ratio = SequenceMatcher(None, [w.casefold() for w in theirs], keys).ratio()
        if ratio > best[0]:
            best = (ratio, theirs)
    ratio, theirs = best
    if ratio < MIN_SHARED:
        return None
    matcher = SequenceMatcher(None, [w.casefold() for w in theirs], keys, autojunk=False)
    return [
        Change(_excerpt(shown, j1, j2), _excerpt(theirs, i1, i2))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _slide_name(entries: Sequence[dict[str, Any]], number: int) -> str:
    title = next((e["text"] for e in entries if e["kind"] == "slide-title"), "")
    return f"Diapositive {number}" + (f" « {title} »" if title else "")


def _check_slides(
    manifest: Mapping[str, Any],
    content: FileContent,
    changed: Section,
    missing: Section,
    added: Section,
) -> None:
    """The oral deck, slide by slide (see the module's docstring)."""
    slides = _slide_texts(manifest, content.format)
    pages = content.pages or [content.blocks]
    pairs = _pair_slides(slides, pages)
    for number, entries in slides.items():
        name = _slide_name(entries, number)
        ref = f"{SLIDE}{number}"
        if number not in pairs:
            missing.findings.append(
                Finding(
                    "slide",
                    ref,
                    f"{name} absente du fichier ({counted(len(entries), *MISSING_TEXTS)}) : "
                    "la diapositive a été supprimée ou entièrement réécrite.",
                    _short(" · ".join(e["text"] for e in entries[:4])),
                )
            )
            continue
        page = pages[pairs[number]]
        found = FileWords(FileContent(content.format, list(page)))
        for entry in entries:
            label = KIND_LABELS.get(entry["kind"], entry["kind"])
            changes = found.locate(entry["text"])
            if changes and content.format == "pptx":  # blocks are paragraphs and cells
                changes = _changed_block(entry["text"], page)
            if changes is None:
                missing.findings.append(
                    Finding(
                        entry["kind"],
                        ref,
                        f"{name} : {label.lower()} absent(e) du fichier.",
                        _short(entry["text"]),
                    )
                )
            for change in changes or []:
                changed.findings.append(
                    Finding(
                        entry["kind"],
                        ref,
                        f"{name} : {label.lower()} différent(e) de la version enregistrée.",
                        change.before,
                        change.after,
                    )
                )
    paired = set(pairs.values())
    for index, page in enumerate(pages):
        if index in paired or not any(words(b) for b in page):
            continue
        added.findings.append(
            Finding(
                "slide",
                f"page-{index + 1}",
                f"Diapositive n° {index + 1} du fichier : absente du manifeste, ajoutée ou "
                "réécrite à la main.",
                after=_short(" · ".join(page[:4])),
            )
        )


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _check_links(manifest: Mapping[str, Any], content: FileContent, added: Section) -> None:
    known = {i["url"] for i in manifest.get("items", [])} | set(manifest.get("links", []))
    for url in sorted(content.urls):
        if url in known or any(k.startswith(url) and len(url) > 20 for k in known):
            continue  # a known address, or one cut by a line break
        context = next((b for b in content.blocks if url in b), "")
        added.findings.append(
            Finding(
                "link",
                url,
                f"Adresse absente du manifeste : {url} — une source ou un article ajouté à la "
                "main, que les registres de la veille ne contiennent pas pour ce dossier.",
                after=_short(context),
            )
        )


def _check_records(
    manifest: Mapping[str, Any],
    records: Records,
    store: Section,
    added: Section,
    missing: Section,
) -> None:
    current = records.current
    generated = manifest.get("generated_at") or ""
    now_items = {i["id"]: i for i in current.get("items", [])}
    for item in manifest.get("items", []):
        state = records.items.get(item["id"])
        ref = f"article n° {item['id']}"
        if state is None or state.deleted:
            added.findings.append(
                Finding(
                    "item",
                    str(item["id"]),
                    f"L'{ref} (« {item.get('title', '')} », {item['url']}) n'est "
                    + ("plus" if state is not None else "pas")
                    + " dans les registres de la veille"
                    + (" (supprimé depuis la génération)." if state is not None else "."),
                )
            )
            continue
        if (state.url, state.source, state.collected_at) != (
            item["url"],
            item["source"],
            item["collected_at"],
        ):
            store.findings.append(
                Finding(
                    "item",
                    str(item["id"]),
                    f"L'{ref} ne correspond pas aux registres (adresse, source ou date de "
                    f"collecte) : enregistré {state.url}, {state.source}, collecté le "
                    f"{_fr_time(state.collected_at)}.",
                )
            )
        elif state.content_hash != item["content_hash"]:
            store.findings.append(
                Finding(
                    "item",
                    str(item["id"]),
                    f"L'{ref} a été mis à jour par sa source depuis la génération du fichier "
                    f"(version {item['version']} dans le fichier, {state.version} aujourd'hui).",
                )
            )
    file_ids = {i["id"] for i in manifest.get("items", [])}
    for item_id, item in sorted(now_items.items()):
        if item_id in file_ids:
            continue
        after = (item.get("collected_at") or "") > generated
        missing.findings.append(
            Finding(
                "item",
                str(item_id),
                f"Article n° {item_id} (« {item.get('title', '')} ») : dans les registres de la "
                "période, pas dans le fichier"
                + (" (collecté ou retenu après la génération du fichier)." if after else "."),
            )
        )
    _check_fiches(manifest, current, store, added, missing)
    _check_digests(manifest, current, store, added, missing)
    for record in manifest.get("records", []):
        now = records.records.get(record["id"])
        about = (
            f"Évaluation n° {record['id']} ({record.get('competence', '')}, {record['learner']})"
        )
        if now is None:
            added.findings.append(
                Finding("record", str(record["id"]), f"{about} : absente des registres.")
            )
        elif (now.version, now.seal) != (record["version"], record["seal"]):
            store.findings.append(
                Finding(
                    "record",
                    str(record["id"]),
                    f"{about} : la version enregistrée ({now.version}) ou son sceau diffère de "
                    f"celle du fichier ({record['version']}).",
                )
            )
        elif now.latest_version > record["version"]:
            store.findings.append(
                Finding(
                    "record",
                    str(record["id"]),
                    f"{about} : corrigée depuis la génération du fichier (version "
                    f"{now.latest_version} signée, niveau {now.latest_level} ; le fichier montre "
                    f"la version {record['version']}, niveau {record.get('level', '?')}).",
                )
            )


def _fiche_texts(manifest: Mapping[str, Any]) -> dict[str, str]:
    return {t["ref"]: t["text"] for t in manifest.get("texts", []) if t["kind"] == "fiche"}


def _check_fiches(
    manifest: Mapping[str, Any],
    current: Mapping[str, Any],
    store: Section,
    added: Section,
    missing: Section,
) -> None:
    now = {f["item"]: f for f in current.get("fiches", [])}
    then_texts, now_texts = _fiche_texts(manifest), _fiche_texts(current)
    for fiche in manifest.get("fiches", []):
        about = _title(manifest, f"fiche-{fiche['item']}", "fiche")
        recorded = now.get(fiche["item"])
        if recorded is None:
            added.findings.append(
                Finding(
                    "fiche",
                    str(fiche["item"]),
                    f"Fiche de veille {about} : n'est plus dans les registres de la période.",
                )
            )
            continue
        if recorded["hash"] == fiche["hash"]:
            continue
        old, new = (
            then_texts.get(f"fiche-{fiche['item']}", ""),
            now_texts.get(f"fiche-{fiche['item']}", ""),
        )
        changes = _differences(old, new)
        store.findings.append(
            Finding(
                "fiche",
                str(fiche["item"]),
                f"Fiche de veille {about} : modifiée dans Watcher après la génération du fichier "
                f"(version {fiche['version']} dans le fichier, {recorded['version']} "
                "aujourd'hui) ; le fichier est comparé à la version qu'il a reçue.",
                changes[0].before if changes else "",
                changes[0].after if changes else "",
            )
        )
    listed = {f["item"] for f in manifest.get("fiches", [])}
    for item_id, fiche in sorted(now.items()):
        if item_id not in listed:
            missing.findings.append(
                Finding(
                    "fiche",
                    str(item_id),
                    f"Fiche de veille {_title(current, f'fiche-{item_id}', 'fiche')} : dans les "
                    "registres de la période, pas dans le fichier (rédigée le "
                    f"{_fr_time(fiche.get('updated_at'))}).",
                )
            )


def _differences(old: str, new: str) -> list[Change]:
    """How a recorded text changed in the records (the whole new text as the file)."""
    if not old or not new:
        return []
    return FileWords(FileContent("txt", [new])).locate(old) or []


def _check_digests(
    manifest: Mapping[str, Any],
    current: Mapping[str, Any],
    store: Section,
    added: Section,
    missing: Section,
) -> None:
    now = {d["week"]: d for d in current.get("digests", [])}
    for digest in manifest.get("digests", []):
        recorded = now.get(digest["week"])
        if recorded is None:
            added.findings.append(
                Finding(
                    "digest",
                    digest["week"],
                    f"Synthèse de la {week_code_fr(digest['week'])} (« {digest['subject']} ») : "
                    "absente des registres.",
                )
            )
        elif (recorded["sent_at"], recorded["recipients"]) != (
            digest["sent_at"],
            digest["recipients"],
        ):
            store.findings.append(
                Finding(
                    "digest",
                    digest["week"],
                    f"Synthèse de la {week_code_fr(digest['week'])} : envoyée le "
                    f"{_fr_time(recorded['sent_at'])} à "
                    f"{counted(recorded['recipients'], 'destinataire')} selon les registres ; le "
                    f"fichier dit {_fr_time(digest['sent_at'])}, "
                    f"{counted(digest['recipients'], 'destinataire')}.",
                )
            )
    weeks = {d["week"] for d in manifest.get("digests", [])}
    for week, digest in sorted(now.items()):
        if week not in weeks:
            missing.findings.append(
                Finding(
                    "digest",
                    week,
                    f"Synthèse de la {week_code_fr(week)} (« {digest['subject']} ») : dans les "
                    "registres, pas dans le fichier (envoyée après sa génération ?).",
                )
            )
