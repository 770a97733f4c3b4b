"""The PESTEL topics a watch tracks (pure, but for reading the shipped `data/pestel.yml`): the
shipped taxonomy, a watch's own topics added to it or replacing shipped ones, and the French
labels of the six dimensions. Enrichment (`watcher.understand.nlp`) tags items with these topics;
the search labels, the dossier and the enrichment's signature read them from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from watcher.plural import plural
from watcher.query import parse_keyword
from watcher.text import fold

if TYPE_CHECKING:
    from watcher.config import Watch

__all__ = [
    "PESTEL",
    "OutsideSpec",
    "TopicSpec",
    "known_topic_ids",
    "load_taxonomy",
    "normalise_pestel",
    "outside_subjects",
    "resolve_topics",
    "topic_labels",
    "topic_specs",
]


@dataclass(frozen=True)
class TopicSpec:
    id: str
    label: str
    pestel: str
    keywords: tuple[str, ...]
    # one mention is enough though short (« hôpital »); said in passing as often as not, each
    # weighs half a keyword (« réseaux sociaux »): see watcher.understand.matching.Matcher
    strong: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutsideSpec:
    """A subject the news reports that no topic names (faits divers): never an item's topic, but
    a topic said in passing in a text about it is dropped (see `data/pestel.yml`, `outside`)."""

    id: str
    keywords: tuple[str, ...]


PESTEL: dict[str, str] = {
    "politique": "Politique",
    "economique": "Économique",
    "social": "Social et sociétal",
    "technologique": "Technologique",
    "environnemental": "Environnemental",
    "legal": "Légal et réglementaire",
}

_PESTEL_ALIASES = {
    "p": "politique",
    "political": "politique",
    "e": "economique",
    "economic": "economique",
    "eco": "economique",
    "s": "social",
    "societal": "social",
    "socio-culturel": "social",
    "socioculturel": "social",
    "t": "technologique",
    "technologie": "technologique",
    "technological": "technologique",
    "techno": "technologique",
    "environnement": "environnemental",
    "environmental": "environnemental",
    "ecologique": "environnemental",
    "l": "legal",
    "juridique": "legal",
    "reglementaire": "legal",
}


def normalise_pestel(value: str) -> str:
    """'Économique' -> 'economique', 'sociétal' -> 'social', 'juridique' -> 'legal'…

    ValueError (French message) if ``value`` names no PESTEL dimension.
    """
    folded = fold(value.strip())
    folded = _PESTEL_ALIASES.get(folded, folded)
    if folded not in PESTEL:
        raise ValueError(
            f"Dimension PESTEL inconnue « {value} » : attendu l'une de {', '.join(PESTEL)}."
        )
    return folded


def _topic_from_mapping(raw: Any, where: str) -> TopicSpec:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} : un thème doit être un objet (id, label, pestel, keywords).")
    missing = [k for k in ("id", "pestel", "keywords") if k not in raw]
    if missing:
        fields = plural(len(missing), "champ manquant", "champs manquants")
        raise ValueError(f"{where} : {fields} : {', '.join(missing)}.")
    keywords = raw["keywords"]
    if isinstance(keywords, str) or not isinstance(keywords, list) or not keywords:
        raise ValueError(f"{where}.keywords : une liste non vide de mots-clés est attendue.")
    more = {}
    for name in ("strong", "weak"):
        listed = raw.get(name, [])
        if isinstance(listed, str) or not isinstance(listed, list):
            raise ValueError(f"{where}.{name} : une liste de mots-clés est attendue.")
        more[name] = tuple(str(k) for k in listed)
    return TopicSpec(
        id=str(raw["id"]),
        label=str(raw.get("label") or raw["id"]),
        pestel=normalise_pestel(str(raw["pestel"])),
        keywords=tuple(str(k) for k in keywords),
        **more,
    )


@lru_cache(maxsize=1)
def _shipped() -> Any:
    text = resources.files("watcher").joinpath("data/pestel.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _shipped_taxonomy() -> tuple[TopicSpec, ...]:
    return tuple(
        _topic_from_mapping(raw, f"pestel.yml topics[{i}]")
        for i, raw in enumerate(_shipped()["topics"])
    )


@lru_cache(maxsize=1)
def outside_subjects() -> tuple[OutsideSpec, ...]:
    """The shipped subjects outside the PESTEL (`outside` of `data/pestel.yml`), their keywords
    parsed as matching parses them."""
    found = []
    for raw in _shipped().get("outside", []):
        keywords = tuple(str(k) for k in raw["keywords"])
        for keyword in keywords:
            parse_keyword(keyword)
        found.append(OutsideSpec(str(raw["id"]), keywords))
    return tuple(found)


def load_taxonomy(extra: Sequence[TopicSpec] = ()) -> tuple[TopicSpec, ...]:
    """The shipped PESTEL taxonomy plus a watch's extra topics.

    An extra topic whose id is a shipped one replaces it (in place); new ids are appended
    in the given order. Every topic's keywords are parsed as matching parses them
    (`watcher.query.parse_keyword`), so a bad keyword is a ValueError.
    """
    topics = {t.id: t for t in _shipped_taxonomy()}
    for t in extra:
        spec = TopicSpec(
            t.id, t.label, normalise_pestel(t.pestel), tuple(t.keywords), t.strong, t.weak
        )
        if not spec.keywords:
            raise ValueError(f"Thème « {t.id} » : au moins un mot-clé est requis.")
        for keyword in (*spec.keywords, *spec.strong, *spec.weak):
            parse_keyword(keyword)
        topics[spec.id] = spec
    return tuple(topics.values())


def topic_specs(watch: Watch) -> tuple[TopicSpec, ...]:
    """The topics of a watch: the shipped taxonomy with the watch's own (sources.yml `topics`)."""
    extra = [TopicSpec(t.id, t.label, t.pestel, t.keywords) for t in watch.topics]
    return load_taxonomy(extra)


def known_topic_ids() -> frozenset[str]:
    """The ids of the shipped taxonomy's topics."""
    return frozenset(t.id for t in _shipped_taxonomy())


def resolve_topics(names: Sequence[str], taxonomy: Sequence[TopicSpec]) -> frozenset[str]:
    """The topic ids that ``names`` designate: a topic id stands for itself, a PESTEL dimension
    ("economique", "juridique"…) for every topic of that dimension.

    ValueError (French message) for a name that is neither.
    """
    ids = {t.id for t in taxonomy}
    found: set[str] = set()
    for name in names:
        if name in ids:
            found.add(name)
            continue
        dimension = normalise_pestel(name)
        found.update(t.id for t in taxonomy if t.pestel == dimension)
    return frozenset(found)


def topic_labels(names: Sequence[str], taxonomy: Sequence[TopicSpec]) -> tuple[str, ...]:
    """The French labels of an axis's `topics:` as written: a topic's label, or a dimension's
    ("Économique"); an unknown name as it is."""
    labels = {t.id: t.label for t in taxonomy}
    out = []
    for name in names:
        if name in labels:
            out.append(labels[name])
            continue
        try:
            out.append(PESTEL[normalise_pestel(name)])
        except ValueError:
            out.append(name)
    return tuple(out)
