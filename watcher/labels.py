"""Human labels for the keys the watch stores (pure): what a person reads instead of
`eu:celex:32016R0679`, `std:iso:10002:2018`, `fr:code:consommation:L612-1` or an axis id.

Keys stay in URLs, queries and `--json`; everything a person reads (search facets and filters,
the CLI's footer, tags) goes through `Labels`: « Règlement (UE) 2016/679 », « ISO 10002:2018 »,
« C. consom., art. L. 612-1 », « Marché & concurrence ».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from watcher.taxonomy import topic_specs
from watcher.text import fold

if TYPE_CHECKING:
    from watcher.config import Watch

# Codes as the publishers' Ref-Lex style abbreviates them (also used by the dossier's citations).
CODE_ABBREVIATIONS = {
    "Code de la consommation": "C. consom.",
    "Code de commerce": "C. com.",
    "Code civil": "C. civ.",
    "Code du travail": "C. trav.",
    "Code pénal": "C. pén.",
    "Code de la propriété intellectuelle": "CPI",
    "Code des assurances": "C. assur.",
    "Code des postes et des communications électroniques": "CPCE",
    "Code de la santé publique": "CSP",
    "Code de la sécurité sociale": "CSS",
    "Code de procédure civile": "CPC",
    "Code de la construction et de l'habitation": "CCH",
    "Code des relations entre le public et l'administration": "CRPA",
    "Code monétaire et financier": "C. mon. fin.",
    "Code de l'environnement": "C. envir.",
}
# The search fields a person filters on, in French (facets, filters, the CLI's footer).
FIELD_LABELS = {
    "axis": "Axe",
    "axe": "Axe",
    "source": "Source",
    "topic": "Thème",
    "theme": "Thème",
    "entity": "Entité",
    "entite": "Entité",
    "ref": "Texte",
    "date": "Période",
    "lang": "Langue",
    "kind": "Type",
    "title": "Titre",
    "status": "Statut",
    "statut": "Statut",
}
ITEM_KINDS = {"change": "modification de page", "article": "article"}  # `kind:` values
FACET_TITLES = {
    "axis": "Axes",
    "source": "Sources",
    "topic": "Thèmes PESTEL",
    "entity": "Entités",
    "ref": "Textes de référence",
}
WINDOW_LABELS = {
    "24h": "dernières 24 heures",
    "7d": "7 derniers jours",
    "30d": "30 derniers jours",
    "365d": "12 derniers mois",
}
# What a group's tutor is when sources.yml gives no role: words that fit a man and a woman alike.
TUTOR_ROLE = "tuteur ou tutrice en entreprise"


def tutor_role(role: str) -> str:
    """What the group's tutor is, as sources.yml says it (« tutrice en entreprise »,
    « maître d'apprentissage »), else `TUTOR_ROLE`: the digest, the dossier and the oral say the
    same."""
    return role.strip() or TUTOR_ROLE


# The roles of the web accounts (identifiers in `--role`, the store and --json), as read in French.
ROLE_LABELS = {
    "learner": "apprenant",
    "tutor": "tuteur",
    "evaluator": "évaluateur",
    "admin": "administrateur",
}
# The distributed mode's jobs (procrastinate's task names: watcher.distributed), as read in French.
TASK_LABELS = {
    "crawl_bucket": "collecte",
    "process_pending": "analyse",
    "release_digest": "digest",
    "deliver_outbox": "boîte d'envoi",
    "render_dossier": "dossier",
}
# A source's state, in the same words wherever a person reads it: the crawl's summary table,
# the digest's source health and the dossier's grid of sources.
SOURCE_IN_SERVICE = "en service"  # it answered (the last collection succeeded)
SOURCE_FAILING = "en échec"  # it did not, and is retried
SOURCE_DEAD = "hors service"  # it has failed for too long
SOURCE_NEVER_COLLECTED = "jamais collectée"
KIND_LABELS = {
    "feed": "flux RSS/Atom",
    "page": "page web suivie",
    "sitemap": "plan de site",
    "monitor": "page surveillée",  # a competitor's page watched for changes (prices, terms)
}
_TERM = re.compile(r'^(?P<neg>-?)(?P<field>[a-z]+):(?P<value>"[^"]*"|\S+)$')


_DASHES = re.compile(r"\s+[–—-]\s+")


def tidy_name(name: str) -> str:
    """An entity's name without a repeat the recogniser glued to it (« Telvia – Telvia »)."""
    name = " ".join(name.split())
    parts = _DASHES.split(name)
    if len(parts) > 1 and len({p.casefold() for p in parts}) == 1:
        return parts[0]
    return name


def number_fr(value: float, digits: int = 1) -> str:
    """« 2,5 », « 12 », « 1 234,5 »: a French number (comma, narrow no-break space)."""
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def short_ref_label(kind: str, label: str) -> str:
    """A reference as a person reads it: a code article in Ref-Lex style (« C. consom., art.
    L. 612-1 »), anything else by its canonical label (« Règlement (UE) 2016/679 »)."""
    label = " ".join(label.split())
    if kind == "code_article" and ", art. " in label:
        code, article = label.split(", art. ", 1)
        return f"{CODE_ABBREVIATIONS.get(code, code)}, art. {article}"
    return label


def ref_label_from_key(key: str) -> str:
    """A readable label from the key alone (for a key no stored item names)."""
    if match := re.fullmatch(r"std:([a-z-]+):(.+)", key):
        body = match.group(1).replace("-", " ").upper().replace("IEC", "CEI")
        rest = match.group(2)
        number, _, year = rest.partition(":")
        return f"{body} {number.upper() if not number[:1].isdigit() else number}" + (
            f":{year}" if year else ""
        )
    if match := re.fullmatch(r"eu:celex:3(\d{4})([RLD])(\d{4})", key):
        kinds = {"R": "Règlement (UE)", "L": "Directive (UE)", "D": "Décision (UE)"}
        return f"{kinds[match.group(2)]} {match.group(1)}/{int(match.group(3))}"
    if match := re.fullmatch(r"fr:code:([a-z-]+):(.+)", key):
        article = match.group(2)
        article = re.sub(r"^([A-Z]+\*?)(\d)", r"\1. \2", article)
        return f"Code ({match.group(1).replace('-', ' ')}), art. {article}"
    return key


# `status:` (alias `statut:`): a group's curation of an item, the words that name each status
# (folded: accents and case ignored) and how a filter reads it; « à trier »: neither
CURATION_STATUSES = {
    "retained": ("retained", "retenu", "retenus", "retenue", "retenues"),
    "rejected": ("rejected", "rejete", "rejetes", "rejetee", "rejetees"),
    "unsorted": (
        "unsorted",
        "a-trier",
        "a trier",
        "non-trie",
        "non-tries",
        "non trie",
        "non tries",
    ),
}
STATUS_LABELS = {"retained": "retenu", "rejected": "rejeté", "unsorted": "à trier"}


def status_key(value: str) -> str | None:
    """A curation status as written (« retenu », « rejeté », « à-trier », « retained »…): its
    key, or None."""
    folded = fold(value.strip().lower())
    return next((key for key, words in CURATION_STATUSES.items() if folded in words), None)


@dataclass(frozen=True)
class Labels:
    """The labels of one watch: axes, sources, topics, and the references its items cite."""

    axes: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    topics: Mapping[str, str] = field(default_factory=dict)
    refs: Mapping[str, str] = field(default_factory=dict)  # key → short label

    def value(self, field_name: str, value: str) -> str:
        """A facet or filter value as a person reads it (the value itself when unknown)."""
        if field_name in ("axis", "axe"):
            return self.axes.get(value, value)
        if field_name == "source":
            return self.sources.get(value, value)
        if field_name in ("topic", "theme"):
            return self.topics.get(value, value)
        if field_name == "ref":
            return self.refs.get(value) or (ref_label_from_key(value) if ":" in value else value)
        if field_name == "date":
            return WINDOW_LABELS.get(value, value)
        if field_name == "kind":
            return ITEM_KINDS.get(value, value)
        if field_name in ("status", "statut"):
            key = status_key(value)
            return STATUS_LABELS[key] if key else value
        return value

    def term(self, term: str) -> str:
        """`axis:concurrence` → « Axe : Marché & concurrence »; `-ref:…` → « sauf Texte : … »."""
        match = _TERM.match(term.strip())
        if not match:
            return term
        name = match.group("field")
        value = match.group("value").strip('"')
        shown = f"{FIELD_LABELS.get(name, name)} : {self.value(name, value)}"
        return f"sauf {shown}" if match.group("neg") else shown


def watch_labels(watch: Watch, refs: Iterable[tuple[str, str, str]] = ()) -> Labels:
    """The labels of a watch; `refs`: (key, kind, label) of the references to name (the
    store's `ref_labels`)."""
    topics = topic_specs(watch)
    return Labels(
        axes={a.id: a.label for a in watch.axes},
        sources={s.id: s.label for s in watch.sources},
        topics={t.id: t.label for t in topics},
        refs={key: short_ref_label(kind, label) for key, kind, label in refs},
    )
