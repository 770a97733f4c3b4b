"""The manifest of a generated file: what evidence it shows, signed with the watch's key (pure).

`build_manifest(data, shown, …)` lists, from the dossier's data (`report.dossier.DossierInput`)
and what the file shows (`report.dossier.Dossier`): the watch (name and key fingerprint), the
group, the period, the moment it was made, and for each piece of evidence its identity and a
content hash —

- items: source, URL, collected at, content hash, version;
- fiches de veille: version (saves recorded in the group's log), hash of their fields;
- digests: week, sent at, recipients' count (and the subject);
- assessment records (when a file shows them): id, version, learner, grid, competence, level,
  seal;
- links: every other web address the file shows (sources, official texts);
- texts: what the file says of that evidence (the articles above the fiches with their dates,
  fiches, facts per competence, statistics, references, actions, competitors' prices,
  bibliography), each with the
  section it is in and the formats that show it, so that a file edited in a word processor can
  be compared with them (`verify.compare`).

`seal(manifest, key)` signs the manifest's canonical JSON (Ed25519) and returns the envelope
that every format embeds (`verify.embed`) and the short code printed on the cover;
`read_envelope` reads it back and `check_signature` checks it against a public key.

The oral deck (`kind="oral"`) lists the same evidence as the dossier it is built from and, as
its texts, what its slides show (`oral_texts`: each slide's title, paragraphs and table cells,
its section `diapositive-N`), compared slide by slide (`verify.compare`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from watcher.model import FICHE_FIELDS, Fiche
from watcher.report.dossier import Dossier, DossierInput, FicheView, ItemRef, Seal
from watcher.report.oral_layout import OralPlan, TableBox, TextBox
from watcher.verify.errors import BadManifest

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from watcher.model import Record

MANIFEST_FORMAT = "watcher-manifest"
MANIFEST_VERSION = 1
DOCUMENTS = ("html", "pdf", "docx")  # the formats that show the whole dossier
DOSSIER_FORMATS = (*DOCUMENTS, "xlsx")
URL = re.compile(r"https?://[^\s<>\"'«»]+")
_TRAILING = ".,;:!?)]}»"

# The dossier's sections (anchors of templates/report/dossier.html, headings of the DOCX).
SECTIONS = {
    "preuves": "Preuves par compétence (bloc 1)",
    "introduction": "Introduction et définition des besoins",
    "plan": "Plan de veille",
    "sources": "Sourcing et évaluation des sources",
    "outils": "Outils de recherche et de mise à jour",
    "resultats": "Résultats : fiches de veille par axe",
    "textes": "Textes juridiques et normatifs",
    "actions": "Propositions d'action",
    "diffusion": "Diffusion et mise à disposition",
    "bilan": "Bilan et limites",
    "journal": "Annexe A — Journal des contributions",
    "bibliographie": "Annexe B — Bibliographie et sitographie",
}


def urls_in(text: str) -> list[str]:
    """The web addresses written in a text, without the punctuation that ends a sentence."""
    return [u.rstrip(_TRAILING) for u in URL.findall(text)]


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _sha256(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fiche_hash(fiche: Fiche) -> str:
    """The SHA-256 of a fiche's fields (what the group wrote), dates as ISO text."""
    values = {name: getattr(fiche, name) for name in FICHE_FIELDS}
    return _sha256({k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()})


def _walk(value: Any) -> Iterator[Any]:
    """Every value inside a dossier (dataclasses, tuples), depth first."""
    yield value
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for inner in value:
            yield from _walk(inner)


def text_entry(
    kind: str, section: str, ref: str, text: str, formats: Sequence[str]
) -> dict[str, Any]:
    """One text the file shows: `kind` (fiche, fact, stat, digest, reference, action, item,
    section…), the `section` it is in, what it is about (`ref`), the text, the formats that show
    it."""
    return {"kind": kind, "section": section, "ref": ref, "text": text, "formats": list(formats)}


def fiche_header(fv: FicheView) -> str:
    """The article a fiche is about, as the HTML, PDF and DOCX show it above the fiche: its title,
    source, level, rating, author, dates of publication and collection, number, status, URL."""
    meta = f"{fv.item.source} {fv.level} fiabilité {fv.rating}"
    meta += f" — {fv.author}" if fv.author else ""
    meta += f" — publié le {fv.published or '?'}, collecté le {fv.collected}"
    meta += f" — article n° {fv.item.id} ({fv.status})"
    return "\n".join((fv.item.title, meta, fv.item.url))


def fiche_block(fv: FicheView) -> str:
    """A fiche as the HTML, PDF and DOCX show it, in order: résumé, QQOQCP, interest, action."""
    parts = [f"Résumé : {fv.summary}"] if fv.summary else []
    parts += [f"{question} {answer}" for question, answer in fv.qqoqcp]
    if fv.importance:
        parts.append(f"Intérêt pour l'entreprise : {fv.importance}")
    action = fv.action or "aucune"
    if fv.action and fv.action_owner:
        action += f" — responsable : {fv.action_owner}"
    if fv.action and fv.action_deadline:
        action += f" — échéance : {fv.action_deadline}"
    parts.append(f"Action proposée : {action}")
    return "\n".join(parts)


def dossier_texts(d: Dossier) -> list[dict[str, Any]]:
    """The texts of the dossier an evaluator compares (docs/verify.md says which)."""
    texts = []
    for c in d.evidence:
        for f in c.facts:
            texts.append(text_entry("fact", "preuves", c.code, f.text, DOSSIER_FORMATS))
    for label, value in d.tools.stats:
        texts.append(text_entry("stat", "outils", label, f"{label} {value}", DOCUMENTS))
    for axis in d.results:
        for fv in axis.fiches:
            header = fiche_header(fv)
            texts.append(text_entry("article", "resultats", fv.anchor, header, DOCUMENTS))
            texts.append(text_entry("fiche", "resultats", fv.anchor, fiche_block(fv), DOCUMENTS))
    for row in d.legal:
        texts.append(text_entry("reference", "textes", row.key, row.citation, DOSSIER_FORMATS))
    for a in d.actions:
        ref = f"article-{a.item.id}"
        texts.append(text_entry("action", "actions", ref, a.action, DOSSIER_FORMATS))
    for h in d.prices:
        for n, p in enumerate(h.points, 1):
            text = f"{h.product} {p.day} {p.price} {p.change}"
            texts.append(text_entry("price", "actions", f"{h.key}-{n}", text, DOSSIER_FORMATS))
    for week in d.diffusion.weeks:
        if week.digest and week.digest.subject:
            texts.append(
                text_entry("digest", "diffusion", week.week, week.digest.subject, DOCUMENTS)
            )
    for label, value in d.bilan.stats:
        texts.append(text_entry("stat", "bilan", label, f"{label} {value}", DOCUMENTS))
    for n, entry in enumerate(d.bibliography.web, 1):
        texts.append(text_entry("item", "bibliographie", f"web-{n}", entry, DOCUMENTS))
    for anchor, title in SECTIONS.items():
        # the HTML and the PDF repeat every heading in their table of contents: only the DOCX
        # tells a missing heading (its sommaire's entries are not in a heading style)
        texts.append(text_entry("section", anchor, anchor, title, ("docx",)))
    return texts


ORAL_FORMATS = ("pptx", "pdf")  # the deck and its handout show the same slides
SLIDE = "diapositive-"  # the section of an oral text: « diapositive-3 »
_CHROME = ("footer", "code")  # on every slide (the group, the page number) or the cover code


def oral_texts(plan: OralPlan) -> list[dict[str, Any]]:
    """The texts of the oral deck an evaluator compares: per slide (section `diapositive-N`),
    its title (kind `slide-title`), every paragraph of its text boxes (`slide-text`) and every
    cell of its tables, headers included (`slide-cell`); not the footer nor the cover code."""
    texts = []
    for n, slide in enumerate(plan.slides, 1):
        section = f"{SLIDE}{n}"
        for box in slide.boxes:
            if isinstance(box, TextBox) and box.role not in _CHROME:
                kind = "slide-title" if box.role in ("title", "cover-title") else "slide-text"
                for para in box.paras:
                    texts.append(text_entry(kind, section, slide.key, para.text, ORAL_FORMATS))
            elif isinstance(box, TableBox):
                cells = [c.header for c in box.columns]
                cells += [cell.text for row in box.rows for cell in row]
                for cell in cells:
                    texts.append(text_entry("slide-cell", section, slide.key, cell, ORAL_FORMATS))
    return texts


def build_manifest(
    data: DossierInput,
    shown: Dossier,
    *,
    key_fingerprint: str,
    now: datetime,
    fiche_versions: Mapping[int, int],
    records: Sequence[Record] = (),
    kind: str = "dossier",
    formats: Sequence[str] = DOSSIER_FORMATS,
    texts: Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The manifest of a file that shows `shown`, made from `data` at `now`."""
    views = {v.item.id: v.item for v in (*data.extra_views, *data.views)}
    shown_ids = sorted({v.id for v in _walk(shown) if isinstance(v, ItemRef)})
    every_url = {u for v in _walk(shown) if isinstance(v, str) for u in urls_in(v)}
    cited = {u for entry in shown.bibliography.web for u in urls_in(entry)}
    items = []
    for item_id in shown_ids:
        item = views.get(item_id)
        if item is None:
            continue
        items.append(
            {
                "id": item.id,
                "source": item.source_id,
                "url": item.url,
                "title": item.title,
                "collected_at": _iso(item.fetched_at),
                "content_hash": item.content_hash,
                "version": item.version,
                "cited": item.url in cited,
            }
        )
    item_urls = {i["url"] for i in items}
    fiches = [
        {
            "item": fv.item.id,
            "version": fiche_versions.get(fv.item.id, 1),
            "hash": fiche_hash(data.fiches[fv.item.id]),
            "updated_at": _iso(data.fiches[fv.item.id].updated_at),
        }
        for axis in shown.results
        for fv in axis.fiches
        if fv.item.id in data.fiches
    ]
    digests = [
        {
            "week": w.week,
            "origin": w.digest.origin,
            "subject": w.digest.subject,
            "sent_at": _iso(w.digest.sent_at),
            "recipients": w.digest.recipients,
        }
        for w in shown.diffusion.weeks
        if w.digest is not None
    ]
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "kind": kind,
        "formats": list(formats),
        "watch": {"name": data.watch.watch.name, "key": key_fingerprint},
        "group": {"id": shown.cover.group_id, "name": shown.cover.group_name},
        "period": {"from": data.start.isoformat(), "to": data.end.isoformat()},
        "timezone": data.watch.watch.timezone,
        "generated_at": now.isoformat(),
        "items": sorted(items, key=lambda i: i["id"]),
        "fiches": sorted(fiches, key=lambda f: f["item"]),
        "digests": digests,
        "records": [
            {
                "id": r.id,
                "version": r.version,
                "learner": r.learner,
                "grid": r.grid_id,
                "competence": r.competence,
                "level": r.level,
                "seal": r.signature,
            }
            for r in sorted(records, key=lambda r: r.id or 0)
        ],
        "links": sorted(every_url - item_urls),
        "texts": list(dossier_texts(shown) if texts is None else texts),
    }


def fiche_versions(log: Iterable[tuple[str, int | None]]) -> dict[int, int]:
    """A fiche's version: how many times it was saved (`fiche` entries of the group's log)."""
    versions: dict[int, int] = {}
    for action, item_id in log:
        if action == "fiche" and item_id is not None:
            versions[item_id] = versions.get(item_id, 0) + 1
    return versions


# --- signature and envelope -------------------------------------------------------------------


def canonical(manifest: Mapping[str, Any]) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8."""
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def cover_code(signature: bytes) -> str:
    """Twelve letters and digits from the signature, in three groups: « K7QM-2XPA-3D4T »."""
    letters = base64.b32encode(hashlib.sha256(signature).digest()).decode("ascii")[:12]
    return "-".join(letters[i : i + 4] for i in range(0, 12, 4))


CODE = re.compile(r"\b([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})\b")


def seal(manifest: Mapping[str, Any], key: Ed25519PrivateKey) -> Seal:
    """The manifest signed: the envelope every format embeds, and the cover code."""
    payload = canonical(manifest)
    signature = key.sign(payload)
    code = cover_code(signature)
    envelope = {
        "watcher_manifest": MANIFEST_VERSION,
        "key": manifest["watch"]["key"],
        "code": code,
        "signature": base64.b64encode(signature).decode("ascii"),
        "manifest": payload.decode("utf-8"),
    }
    text = json.dumps(envelope, ensure_ascii=False, sort_keys=True, indent=1)
    return Seal(code, text.encode("utf-8"))


@dataclass(frozen=True)
class Envelope:
    """A manifest read from a file, before its signature is checked."""

    manifest: dict[str, Any]
    payload: bytes  # the exact bytes that were signed
    signature: bytes
    key: str  # fingerprint of the key that signed it (as the envelope says)
    code: str

    @property
    def watch_name(self) -> str:
        return str(self.manifest.get("watch", {}).get("name", ""))

    @property
    def group_id(self) -> str:
        return str(self.manifest.get("group", {}).get("id", ""))


def read_envelope(data: bytes) -> Envelope:
    """The envelope found in a file (BadManifest if it cannot be read)."""
    try:
        outer = json.loads(data.decode("utf-8"))
        payload = str(outer["manifest"]).encode("utf-8")
        manifest = json.loads(payload)
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise ValueError("not a manifest")
        # a signature stripped or emptied is read as none: the file is refused, not unreadable
        signature = base64.b64decode(str(outer.get("signature") or ""), validate=True)
        key = str(outer.get("key") or manifest.get("watch", {}).get("key", ""))
        if int(manifest.get("version", 0)) > MANIFEST_VERSION:
            raise BadManifest(
                "Ce manifeste a été fait par une version plus récente de Watcher : mettez Watcher "
                "à jour pour le vérifier."
            )
        return Envelope(manifest, payload, signature, key, str(outer.get("code") or ""))
    except BadManifest:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, binascii.Error):
        raise BadManifest(
            "Le manifeste de ce fichier est illisible (abîmé, tronqué ou d'un autre programme) : "
            "il ne peut pas être vérifié."
        ) from None


def check_signature(envelope: Envelope, public_key: Ed25519PublicKey) -> bool:
    """True when the manifest was signed by this key and not changed since."""
    from cryptography.exceptions import InvalidSignature  # cryptography: when a file is checked

    if not envelope.signature:
        return False
    try:
        public_key.verify(envelope.signature, envelope.payload)
    except InvalidSignature:
        return False
    return True
