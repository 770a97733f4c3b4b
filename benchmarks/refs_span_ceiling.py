"""Round 27 of the reference recogniser (tests/data/refs/README.md): what could a learned span
detector add? Development lines only.

A learned model (a CRF or a spaCy ``ner``/``spancat`` trained on the labelled lines) would
propose *spans*; the plan was to keep a proposed span only when the existing key machinery gives
it a key, never over a rule's span. Before training anything, this script measures the ceiling
of that plan on ``tests/data/refs/real_dev.jsonl`` (the held-out set is never read):

1. every development reference the rules miss (the scorer of ``benchmarks.quality_refs``: no
   found reference of its key overlaps it) is put in one class: **(a)** no found reference
   overlaps its span and its key is not found elsewhere in the line; **(b)** a found reference
   overlaps it with another key; **(c)** no found reference overlaps it, but its key is found
   elsewhere in the line (right key, wrong span);
2. for (a) and (c), a *perfect* span detector is simulated: the gold span is given to the
   existing key machinery, three ways — the recogniser on the span alone with the line's
   ``context`` before it, as the recogniser receives a line (``alone``); the recogniser on the
   context and the line up to the span's end, its references overlapping the span (``upto``);
   the search's query resolver ``resolve_reference_query`` on the span's text (``query``: the
   alias table's names, « loi 2014-344 »…). The reference would be gained if the gold key is
   among the keys one of them gives (``any``): an upper bound (a real detector also misses spans
   and proposes wrong ones, which cost precision);
3. for the misses of (a) and (c), whether their key is found by the rules elsewhere in the line
   or its context, or only in other lines of the same document: what a *linker* (a span tied to
   a text the item already cites, which the current key machinery does not do) could reach at
   most; ``unique``: the item cites no other key of the same kind (type of French text, EU act's
   type letter, code, standard…), so the link would be unambiguous;
4. the commonest such form, a pointer (« ce texte », « la loi », « le règlement », « cette
   directive », « l'arrêté »…, :data:`POINTER_RE`) that no found reference overlaps, tied to the
   one text of its type the rules find before it in the line or its context: how many of those
   links would be right (a gold reference there with that key), wrong (a gold reference with
   another key) or false (no gold reference there, and that key is no gold key of the line, so
   the scorer counts it false). What a learned pointer classifier would have to sort.

``python -m benchmarks.refs_span_ceiling [--list] [--first-id N] [--batch bNN]``: on the whole
development set (or its lines from id N on, or one authoring batch's development lines) with the
rules of this checkout; ``--list``: the references of the ceiling.

``python -m benchmarks.refs_span_ceiling --fresh [bNN ...]`` (default b23 to b48): each batch's
development lines against the rules of the commit before the batch was first added (its
``watcher/`` extracted with ``git archive``, run in its own process): the same figures on
documents the rules had never seen, summed over the batches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from benchmarks.quality_refs import (
    CATEGORIES,
    DATA,
    ROOT,
    TODAY,
    _overlap,
    find_in_line,
    find_references_today,
    load,
)
from watcher.understand.refs import resolve_reference_query

Finder = Callable[[str], Iterable[Any]]
AUTHORING = DATA / "authoring"


def _prefix(row: dict[str, Any]) -> str:
    context = row.get("context")
    return context + "\n\n" if context else ""


def keys_alone(row: dict[str, Any], gold: dict[str, Any], find: Finder) -> set[str]:
    """The recogniser's keys on the gold span alone, the line's context before it."""
    prefix = _prefix(row)
    span = row["text"][gold["start"] : gold["end"]]
    return {r.key for r in find(prefix + span) if r.start >= len(prefix)}


def keys_upto(row: dict[str, Any], gold: dict[str, Any], find: Finder) -> set[str]:
    """The recogniser's keys overlapping the gold span, on the context and the line cut at the
    span's end."""
    prefix = _prefix(row)
    text = prefix + row["text"][: gold["end"]]
    start = len(prefix) + gold["start"]
    return {r.key for r in find(text) if r.start >= len(prefix) and r.end > start}


def keys_query(gold: dict[str, Any]) -> set[str]:
    """The search's query resolver on the span's text."""
    return set(resolve_reference_query(gold["text"], TODAY))


def kind_of(key: str) -> str:
    """A key's kind, to tell whether a link to a text the item cites would be unambiguous."""
    m = re.match(r"eu:celex:\d\d{4}([A-Z]{1,2})", key)
    if m:
        return f"eu:{m.group(1)}"
    parts = key.split(":")
    return ":".join(parts[:2]) if parts[0] in ("fr", "std", "int", "eu") else parts[0]


# Pointers to a text cited before, and the kinds of key each may point to (section 4).
POINTER_RE = re.compile(
    r"(?i)\b(?:(?:ce|le|du|au|de ce)\s+(texte|règlement|décret)"
    r"|(?:cette|la|de la|à la)\s+(loi|directive|ordonnance)|l[’'](ordonnance|arrêté))\b"
)
_POINTED = {
    "loi": {"fr:loi"},
    "décret": {"fr:decret"},
    "ordonnance": {"fr:ordonnance"},
    "arrêté": {"fr:arrete"},
    "directive": {"eu:L"},
    "règlement": {"eu:R"},
    "texte": {"fr:loi", "fr:decret", "fr:ordonnance", "fr:arrete", "eu:L", "eu:R"},
}


def pointers(row: dict[str, Any], found: list[Any], every: list[Any], out: Counter[str]) -> None:
    """Section 4: the line's pointers no found reference covers, tied to the one text of their
    type found before them; ``every``: the references found in the context and the line."""
    prefix = len(_prefix(row))
    gold_keys = {g["key"] for g in row["refs"]}
    for m in POINTER_RE.finditer(row["text"]):
        start, end = m.span()
        if any(_overlap(f.start, f.end, start, end) for f in found):
            out["covered by a rule"] += 1
            continue
        word = next(g for g in m.groups() if g).lower()
        before = {r.key for r in every if r.end <= prefix + start}
        keys = {k for k in before if kind_of(k) in _POINTED[word]}
        if len(keys) != 1:
            out["not one text of its type before"] += 1
            continue
        key = keys.pop()
        golds = [g for g in row["refs"] if _overlap(g["start"], g["end"], start, end)]
        if any(g["key"] == key for g in golds):
            out["right"] += 1
        elif golds:
            out["wrong key"] += 1
        elif key not in gold_keys:
            out["false"] += 1
        else:
            out["unlabelled, its key a gold key of the line (not counted)"] += 1


def classify(row: dict[str, Any], gold: dict[str, Any], found: list[Any]) -> str | None:
    """None when the rules find the reference, else its class: "a", "b" or "c"."""
    overlapping = [f for f in found if _overlap(f.start, f.end, gold["start"], gold["end"])]
    if any(f.key == gold["key"] for f in overlapping):
        return None
    if overlapping:
        return "b"
    if any(f.key == gold["key"] for f in found):
        return "c"
    return "a"


@dataclass
class Ceiling:
    """The counts of one run (``key`` tuples: class or way, category)."""

    lines: int = 0
    gold: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    ceiling: Counter[str] = field(default_factory=Counter)
    linker: Counter[str] = field(default_factory=Counter)
    pointers: Counter[str] = field(default_factory=Counter)
    gained: list[str] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(self.classes[c] for c in "abc")

    @property
    def reach(self) -> int:
        """The references a perfect span detector would gain through the key machinery."""
        return self.ceiling["a:any"] + self.ceiling["c:any"]


def measure(rows: list[dict[str, Any]], find: Finder) -> Ceiling:
    out = Ceiling(lines=len(rows))
    in_line: dict[int, tuple[list[Any], set[str]]] = {}
    by_document: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        refs = list(find(_prefix(row) + row["text"]))
        every = {r.key for r in refs}
        in_line[row["id"]] = (find_in_line(row, find), every)
        by_document[row["source"]] |= every
        pointers(row, in_line[row["id"]][0], refs, out.pointers)
    for row in rows:
        found, every = in_line[row["id"]]
        for gold in row["refs"]:
            out.gold += 1
            cls = classify(row, gold, found)
            if cls is None:
                continue
            out.classes[cls] += 1
            out.classes[f"{cls}:{gold['category']}"] += 1
            if cls == "b":
                continue
            ways = {
                "alone": keys_alone(row, gold, find),
                "upto": keys_upto(row, gold, find),
                "query": keys_query(gold),
            }
            hit = [way for way, keys in ways.items() if gold["key"] in keys]
            out.ceiling.update(f"{cls}:{way}" for way in hit)
            if hit:
                out.ceiling[f"{cls}:any"] += 1
                out.ceiling[f"cat:{gold['category']}"] += 1
                out.gained.append(f"{row['id']} [{cls}] {gold['key']}: {gold['text']!r}")
            if gold["key"] in every:
                out.linker["line"] += 1
                same_kind = {k for k in every if kind_of(k) == kind_of(gold["key"])}
                if same_kind == {gold["key"]}:
                    out.linker["unique"] += 1
            elif gold["key"] in by_document[row["source"]]:
                out.linker["document"] += 1
    return out


def report(c: Ceiling, show_list: bool) -> None:
    print(f"development: {c.lines} lines, {c.gold} references, {c.missed} missed by the rules")
    print("\nmisses by class and category (a: no span; b: wrong key; c: key elsewhere in line)")
    print(f"{'category':8} {'a':>5} {'b':>5} {'c':>5}")
    for cat in CATEGORIES:
        print(f"{cat:8} " + " ".join(f"{c.classes[f'{k}:{cat}']:5d}" for k in "abc"))
    print(f"{'all':8} " + " ".join(f"{c.classes[k]:5d}" for k in "abc"))
    print("\nceiling: gold span given to the existing key machinery, right key")
    for k in "ac":
        figures = ", ".join(
            f"{way} {c.ceiling[f'{k}:{way}']}" for way in ("alone", "upto", "query")
        )
        print(f"  ({k}) of {c.classes[k]}: {figures}, any {c.ceiling[f'{k}:any']}")
    print(f"  (a)+(c) any: {c.reach} = {c.reach / c.gold:.2%} of the development references")
    print("  by category: " + ", ".join(
        f"{cat} {c.ceiling[f'cat:{cat}']}" for cat in CATEGORIES if c.ceiling[f"cat:{cat}"]
    ))  # fmt: skip
    print("\nmisses of (a) and (c) whose key the rules find elsewhere (a linker's reach):")
    for what, name in (
        ("line", "in the line or its context"),
        ("unique", "  of which unique of its kind"),
        ("document", "only in other lines of the document"),
    ):
        print(f"  {name}: {c.linker[what]} = {c.linker[what] / c.gold:.2%}")
    print("\npointers no rule covers, tied to the one text of their type found before them:")
    for what, n in sorted(c.pointers.items(), key=lambda kv: -kv[1]):
        print(f"  {what}: {n}")
    if show_list:
        print("\nthe ceiling's references:")
        print("\n".join(f"  {line}" for line in c.gained))


def _split_of(source: str) -> str:
    """``tests/data/refs/build_real.py``'s split of a document."""
    return "heldout" if int(hashlib.sha1(source.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def batch_rows(batch: str) -> list[dict[str, Any]]:
    """The development lines of one authoring batch (``b47``): its development documents' lines,
    found in ``real_dev.jsonl`` by their origin and text (held-out documents are skipped unread)."""
    wanted: set[tuple[str, str]] = set()
    source = ""
    for line in (AUTHORING / f"{batch}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        source = item.get("src", source)
        if _split_of(source) == "dev":
            wanted.add((source, item["t"]))
    return [r for r in load("dev") if (r["source"], r["text"]) in wanted]


def _first_parent(batch: str) -> str:
    """The commit before the one that first added ``authoring/<batch>.jsonl``: rules that never
    saw the batch."""
    path = f"tests/data/refs/authoring/{batch}.jsonl"
    log = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--reverse", "--", path],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    return f"{log[0]}^"


def fresh(batches: list[str]) -> None:
    """Each batch's development lines against the rules of the commit before the batch was added
    (``watcher/`` of that commit, extracted with ``git archive`` into a temporary folder, run in its
    own process): the ceiling on documents the rules had never seen."""
    total = Ceiling()
    print(f"{'batch':6} {'commit':8} {'refs':>5} {'missed':>6} {'a':>4} {'b':>4} {'c':>4} "
          f"{'ceiling':>7} {'linker':>6} {'unique':>6} {'ptr+':>5} {'ptr-':>5}")  # fmt: skip
    for batch in batches:
        commit = _first_parent(batch)
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(
                ["git", "archive", commit, "watcher"], cwd=ROOT, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            env = {**os.environ, "PYTHONPATH": os.pathsep.join((tmp, str(ROOT)))}
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.refs_span_ceiling", "--batch", batch, "--json"],
                cwd=tmp, env=env, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
        counts = json.loads(out)
        if not counts.pop("watcher").startswith(tmp):
            raise RuntimeError(f"{batch}: the rules measured are not those of {commit}")
        c = Ceiling(**{k: Counter(v) if isinstance(v, dict) else v for k, v in counts.items()})
        if not c.gold:
            continue
        bad = c.pointers["wrong key"] + c.pointers["false"]
        sha = subprocess.run(["git", "rev-parse", "--short", commit], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
        print(f"{batch:6} {sha:8} {c.gold:5d} {c.missed:6d} "
              + " ".join(f"{c.classes[k]:4d}" for k in "abc")
              + f" {c.reach:7d} {c.linker['line']:6d} {c.linker['unique']:6d}"
              + f" {c.pointers['right']:5d} {bad:5d}")  # fmt: skip
        total.lines += c.lines
        total.gold += c.gold
        total.classes.update(c.classes)
        total.ceiling.update(c.ceiling)
        total.linker.update(c.linker)
        total.pointers.update(c.pointers)
        total.gained.extend(f"{batch} {g}" for g in c.gained)
    print()
    report(total, show_list=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the ceiling's references")
    parser.add_argument("--first-id", type=int, default=0, help="lines from this id on only")
    parser.add_argument("--batch", help="one authoring batch's development lines (b47)")
    parser.add_argument("--json", action="store_true", help="the counts as JSON")
    parser.add_argument(
        "--fresh", nargs="*", metavar="BATCH",
        help="each batch (default b23 to b48) against the rules before it was added",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.fresh is not None:
        fresh(args.fresh or [f"b{n}" for n in range(23, 49)])
        return
    # development lines only: the held-out set is never read
    rows = batch_rows(args.batch) if args.batch else load("dev")
    rows = [r for r in rows if r["id"] >= args.first_id]
    c = measure(rows, find_references_today())
    if args.json:
        import watcher

        counts = {k: dict(v) if isinstance(v, Counter) else v for k, v in vars(c).items()}
        print(json.dumps({**counts, "watcher": watcher.__file__}))
    else:
        report(c, args.list)


if __name__ == "__main__":
    main()
