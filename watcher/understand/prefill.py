"""A first draft of a fiche de veille's « Qui » and « Où » from an item's entities (pure).

The small French model tags `RGPD` as an organisation, `UE` inside « règlement (UE) 2016/679 »
as one too, and a « Check-list » opening a sentence as a place. A pre-filled field the learner
must first clean is worse than an empty one, so only entities that are surely of the right
kind are suggested:

- never a legal or normative text (a name that is a reference or an alias of one, such as
  RGPD), nor a name seen only inside a citation (the « UE » of « règlement (UE) 2016/679 »);
- of the right kind across the watch: a name the model tags as a place in most items is not
  suggested as « Qui », nor a name it mostly tags as an organisation or a person as « Où »;
- « Qui »: an organisation or a person the model is sure of (`EntityMention.confident`), named
  more than once, recognised in other items too, or written with a capital in the middle of a
  sentence (where a common noun would not have one);
- « Où »: a place written with a capital in the middle of a sentence and never in lower case
  elsewhere (a common noun at the start of a sentence is not a place; the model's flag does
  not tell, since it trusts every place it finds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from watcher.labels import tidy_name
from watcher.model import EntityMention, ItemView
from watcher.understand.refs import aliases, resolve_reference_query

MAX_WHO = 4
MAX_WHERE = 3
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”()\[\]•—–\n])\s*$")


def _without_citations(text: str, names: Iterable[str]) -> str:
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def _occurrences(name: str, text: str) -> list[int]:
    pattern = r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"
    return [m.start() for m in re.finditer(pattern, text)]


def _capital_mid_sentence(name: str, text: str) -> bool:
    """Written as is, capital first, somewhere that is not the start of a sentence."""
    if not name[:1].isupper():
        return False
    return any(not _SENTENCE_START.search(text[:start]) for start in _occurrences(name, text))


def _is_legal_text(name: str, cited: set[str], today: date) -> bool:
    folded = name.casefold()
    return folded in cited or bool(resolve_reference_query(name, today))


def outside_citations(view: ItemView) -> tuple[str, set[str]]:
    """The item's words once its legal and normative citations are taken out, and the folded
    forms of those citations (what a name must not be to count as an actor or a place)."""
    item = view.item
    text = "\n".join(p for p in (item.title, item.summary, item.text) if p)
    citations = [n for r in view.refs for n in (r.text, r.label, *aliases(r.key))]
    return _without_citations(text, citations), {n.casefold() for n in citations if n}


def named_outside_citations(name: str, plain: str, cited: set[str], today: date) -> bool:
    """A name the item uses for itself — not a legal text, not only inside a citation
    (`plain`, `cited`: what `outside_citations` gives for the item; `today` bounds the years a
    text's number may carry, as for `find_references`)."""
    return bool(name) and not _is_legal_text(name, cited, today) and bool(_occurrences(name, plain))


def confident_actor(
    mention: EntityMention, name: str, plain: str, cited: set[str], elsewhere: int, today: date
) -> bool:
    """An organisation or a person worth naming: said outside citations, not a legal text,
    and one the model is sure of (`EntityMention.confident`), named twice, recognised in
    another item (`elsewhere`: items tagging it ORG or PER), or capitalised in the middle of a
    sentence."""
    if not named_outside_citations(name, plain, cited, today):
        return False
    sure = mention.confident or mention.count >= 2 or elsewhere >= 2
    return sure or _capital_mid_sentence(name, plain)


def _mostly(kinds: Mapping[str, int], labels: tuple[str, ...]) -> bool:
    ours = sum(n for label, n in kinds.items() if label in labels)
    return ours * 2 > sum(kinds.values())


def suggested_who_where(
    view: ItemView, today: date, kinds: Mapping[str, Mapping[str, int]] | None = None
) -> tuple[list[str], list[str]]:
    """(organisations and people, places) worth pre-filling, most mentioned first. `kinds`:
    entity key → {label: items tagging it so} across the watch (`Store.entity_kinds`);
    `today`: as for `named_outside_citations`."""
    kinds = kinds or {}
    plain, cited = outside_citations(view)
    who: list[str] = []
    where: list[str] = []
    for mention in view.entities:  # most mentioned first
        name = tidy_name(mention.name)
        if not name or _is_legal_text(name, cited, today) or not _occurrences(name, plain):
            continue
        seen = kinds.get(mention.key) or {mention.label: 1}
        if mention.label in ("ORG", "PER") and len(who) < MAX_WHO:
            elsewhere = sum(seen.get(label, 0) for label in ("ORG", "PER"))
            sure = confident_actor(mention, name, plain, cited, elsewhere, today)
            if sure and _mostly(seen, ("ORG", "PER")) and name not in who:
                who.append(name)
        elif mention.label == "LOC" and len(where) < MAX_WHERE:
            lower = name.lower()
            common = lower != name and bool(_occurrences(lower, plain))
            proper = _capital_mid_sentence(name, plain) and not common
            if proper and _mostly(seen, ("LOC",)) and name not in where:
                where.append(name)
    return who, where
