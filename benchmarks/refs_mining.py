"""Round 18 of the reference recogniser (tests/data/refs/README.md): unlabelled real text.

Two uses, both on text no labelled set holds:

* **mining** — ``python -m benchmarks.refs_mining cues`` runs the recogniser on the documents
  gathered for round 18 (``benchmarks/refs_mined.txt``: real French text copied from the stored
  public pages and public repositories of the project's search tools, each document under a
  ``@@ <origin>`` line) and lists every cue word (délibération, décision, avis, arrêt, pourvoi,
  norme, NF, EN, ISO, DTU, loi, décret, arrêté, circulaire, article…) with no reference found
  near it: the constructions the recogniser misses in the world, to group into forms.
* **comparing two codes** — ``python -m benchmarks.refs_mining compare OLD NEW`` finds the
  references of two checkouts' ``watcher`` packages (folders holding ``watcher/``) on the
  repository's other texts (every string of 30 characters or more of ``tests/data``'s JSON and
  JSONL files, the lines of its other files, the references' own folder left out, and the lines
  of ``tests/fixtures/`` and ``watcher/demo/``) and on the mined documents, and prints what one
  finds and the other does not (key, span, text): the precision check of a round. ``time OLD
  NEW`` times both on those texts and on the development lines (process CPU time, min of 5).

Each code runs in its own process (``PYTHONPATH`` set to its folder), so the two never share an
import.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINED = HERE / "refs_mined.txt"
TODAY = (2026, 12, 6)

CUES = re.compile(
    r"(?i:\b(?:d[ée]lib[ée]rations?|d[ée]cisions?|avis|arr[êe]ts?|pourvois?|req\.|requ[êe]tes?"
    r"|ordonnances?|lois?|normes?|r[èe]glements?|directives?|d[ée]crets?|arr[êe]t[ée]s?"
    r"|articles?|art\.|circulaires?|jugements?|recommandations?|codes?)\b)"
    r"|\b(?:NF|EN|ISO|IEC|CEI|DTU|Cass\.|CE|CA|TA|TJ|TGI|CAA)\b"
)


def mined_documents(path: Path = MINED) -> list[tuple[str, str]]:
    """(origin, text) of each mined document."""
    docs: list[tuple[str, str]] = []
    origin, lines = None, []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("@@ "):
            if origin is not None:
                docs.append((origin, "".join(lines)))
            origin, lines = line[3:].strip(), []
        elif not line.startswith("#"):
            lines.append(line)
    if origin is not None:
        docs.append((origin, "".join(lines)))
    return docs


def other_texts(root: Path = ROOT) -> list[str]:
    """The repository's other texts, as the README's precision checks gather them."""
    texts: list[str] = []

    def strings(value: Any) -> None:
        if isinstance(value, str):
            if len(value) >= 30:
                texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                strings(v)
        elif isinstance(value, list):
            for v in value:
                strings(v)

    data = root / "tests" / "data"
    for path in sorted(data.rglob("*")):
        if not path.is_file() or (data / "refs") in path.parents:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            strings(json.loads(raw))
        elif path.suffix == ".jsonl":
            for line in raw.splitlines():
                if line.strip():
                    strings(json.loads(line))
        else:
            texts.extend(line for line in raw.splitlines() if line.strip())
    for folder in (root / "tests" / "fixtures", root / "watcher" / "demo"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix not in (".png", ".jpg", ".ico", ".pdf", ".gz"):
                raw = path.read_text(encoding="utf-8", errors="replace")
                texts.extend(line for line in raw.splitlines() if line.strip())
    return texts


def dev_lines(root: Path = ROOT) -> list[str]:
    """The development lines with their context, as the recogniser is given them."""
    rows = [json.loads(line) for line in (root / "tests/data/refs/real_dev.jsonl").open()]
    return [(r.get("context", "") + "\n" + r["text"]).lstrip("\n") for r in rows]


_CHILD = r"""
import datetime, json, sys, time
from watcher.understand.refs import find_references
today = datetime.date(*json.loads(sys.argv[2]))
texts = json.load(open(sys.argv[1], encoding="utf-8"))
if sys.argv[3] == "find":
    out = [[[r.start, r.end, r.key, r.pinpoint] for r in find_references(t, today=today)]
           for t in texts]
    json.dump(out, sys.stdout)
else:
    best = None
    for _ in range(5):
        t0 = time.process_time()
        for t in texts:
            find_references(t, today=today)
        spent = time.process_time() - t0
        best = spent if best is None else min(best, spent)
    print(json.dumps(best))
"""


def _run(code: Path, texts: list[str], what: str) -> Any:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(texts, f)
    try:
        env = {**os.environ, "PYTHONPATH": str(code)}
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, f.name, json.dumps(TODAY), what],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=code,
        ).stdout
    finally:
        os.unlink(f.name)
    return json.loads(out)


def compare(old: Path, new: Path) -> None:
    for name, texts in (
        ("other texts", other_texts()),
        ("mined documents", [t for _, t in mined_documents()]),
    ):
        a, b = _run(old, texts, "find"), _run(new, texts, "find")
        found_a = sum(len(x) for x in a)
        found_b = sum(len(x) for x in b)
        print(f"## {name}: {len(texts)} texts, old {found_a} references, new {found_b}")
        for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
            sa, sb = {tuple(r) for r in ra}, {tuple(r) for r in rb}
            for start, end, key, pin in sorted(sa - sb):
                print(f"- lost  #{i} {key}#{pin} {texts[i][start:end]!r}")
            for start, end, key, pin in sorted(sb - sa):
                print(f"+ new   #{i} {key}#{pin} {texts[i][start:end]!r}")


def timing(old: Path, new: Path, rounds: int = 3) -> None:
    for name, texts in (("development lines", dev_lines()), ("other texts", other_texts())):
        for _ in range(rounds):
            a, b = _run(old, texts, "time"), _run(new, texts, "time")
            print(f"{name} ({len(texts)}): old {a:.3f} s, new {b:.3f} s, x{b / a:.2f}")


def cues() -> None:
    import datetime

    from watcher.understand.refs import find_references

    for origin, text in mined_documents():
        refs = find_references(text, today=datetime.date(*TODAY))
        print(f"== {origin}")
        for r in refs:
            print(f"   + {r.key} {r.pinpoint} | {text[r.start : r.end]!r}")
        for m in CUES.finditer(text):
            if any(r.start - 5 <= m.start() <= r.end + 5 for r in refs):
                continue
            print(f"   - {m.group(0)} | {text[max(0, m.start() - 40) : m.end() + 70]!r}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["compare"]:
        compare(Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve())
    elif sys.argv[1:2] == ["time"]:
        timing(Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve())
    else:
        cues()
