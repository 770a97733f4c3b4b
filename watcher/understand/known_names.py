"""Well-known names and words for entity labels (``watcher/data/entity_names.yml``).

The spaCy model labels names by their context, and on French news it often gets well-known
ones wrong: a retailer called a person ("Leclerc", "Boulanger"), an operator a place
("Orange"), a platform a product ("Free"); it also tags capitalised common words and acronyms
("Internet", "SMS", "MWh", « l'État »). :func:`known_names` reads the curated lists once:
organisations (ORG), products, events and schemes (MISC) and regions (LOC) by their folded
key, and words that are no names. No spaCy here: :mod:`watcher.understand.entities` applies them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from watcher.text import fold

_KEY_SPLIT = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """Folded key of a name, as :func:`watcher.understand.entities.spans.entity_key` makes it."""
    return " ".join(w for w in _KEY_SPLIT.split(fold(name)) if w)


@dataclass(frozen=True)
class KnownNames:
    labels: dict[str, str]  # folded key -> "ORG" | "MISC" | "LOC"
    not_names: frozenset[str]  # folded keys of words that are no names


# The shipped list holds about 4,300 names: libyaml's safe loader reads it ten times faster
# than the pure-Python one (14 ms, not 150), when PyYAML was built with it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def known_names() -> KnownNames:
    text = resources.files("watcher").joinpath("data/entity_names.yml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=_LOADER)  # a safe loader (C or Python), on the shipped file
    labels = {name_key(n): "ORG" for n in raw["organisations"]}
    labels.update({name_key(n): "MISC" for n in raw["products"]})
    labels.update({name_key(n): "LOC" for n in raw["places"]})
    return KnownNames(
        labels,
        frozenset(name_key(n) for n in raw["not_names"]),
    )
