"""Build ``real_dev.jsonl`` and ``real_heldout.jsonl`` from the hand-labelled ``authoring/*.jsonl``.

Authoring lines (one JSON object each): ``t`` the sentence as copied, ``src`` its origin (a line
without ``src`` has the origin of the line before it), ``ctx`` (optional) real text that precedes
the sentence in the same document, ``r`` the references: ``[surface, key, pins, category]`` where
``surface`` is the reference as written in ``t`` (``"surface#2"`` for its second occurrence) and
``pins`` is ``""`` or comma-separated pinpoints (``"art-9,art-37"``).

The split is fixed by the origin, before any tuning: a document whose SHA-1 of ``src`` is
divisible by 3 goes to the held-out file, every other document to the development file. All the
lines of one document therefore fall on the same side.

Run: ``python tests/data/refs/build_real.py`` (checks every surface and key, then writes).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
CATEGORIES = {
    "num": "numbered French text (loi, décret, ordonnance n° …)",
    "date": "French text by type and date (arrêté, old loi, décret du …)",
    "art": "code article, code named",
    "impl": "code article, code not named (même / présent code, l'article N in a code)",
    "code": "code without article, or by livre / titre / chapitre",
    "eu": "EU act by number (typos and spaces included)",
    "name": "informal or common name (RGPD, loi Hamon, loi Bichet)",
    "std": "standard (ISO, NF, EN …)",
    "const": "Constitution, Préambule de 1946, Déclaration de 1789, treaties",
    "dec": "decision or ruling (Conseil constitutionnel, Conseil d'État, Cour de cassation, "
    "regulators)",
    "delib": "délibération (CNIL and others)",
    "id": "identifier (NOR, ELI, CELEX, Légifrance id)",
}
KEY_RE = re.compile(
    r"(fr:(loi|ordonnance|decret|decret-loi|arrete|circulaire):(\d{2,4}-\d{1,4}|du-\d{4}-\d\d-\d\d)"
    r"|fr:code:[a-z-]+(:([A-Z*]*\d[\w-]*|liminaire))?"
    r"|fr:(constitution|ddhc|preambule-1946|charte-environnement)"
    r"|fr:(cc|ce|cass|adlc|arcep|asn|cnil|cre|arcom|amf|acpr|has|deliberation|juris)"
    r":[\w.:-]+"
    r"|fr:(nor|legi):\w+"
    r"|eu:(celex:\w+(R\(\d\d\))?|case:[\w/.-]+|tfue|tue|charte)"
    r"|int:(cedh|dudh)"
    r"|int:cour-edh:[\w/.-]+"
    r"|std:[a-z-]+:[\w:./-]+)"
)
PIN_RE = re.compile(r"(art|al)-[\w-]+")


def split_of(source: str) -> str:
    return "heldout" if int(hashlib.sha1(source.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def build() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"dev": [], "heldout": []}
    errors = []
    n = 0
    for path in sorted((HERE / "authoring").glob("*.jsonl")):
        src = None
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            src = row.get("src", src)
            where = f"{path.name}:{lineno}"
            if not src:
                errors.append(f"{where}: no source")
                continue
            text = row["t"]
            refs = []
            for surface, key, pins, cat in row["r"]:
                occurrence = 1
                if "#" in surface and surface.rsplit("#", 1)[1].isdigit():
                    surface, occ = surface.rsplit("#", 1)
                    occurrence = int(occ)
                start = -1
                for _ in range(occurrence):
                    start = text.find(surface, start + 1)
                if start < 0:
                    errors.append(f"{where}: surface not found: {surface!r}")
                    continue
                if not KEY_RE.fullmatch(key):
                    errors.append(f"{where}: bad key {key!r}")
                if cat not in CATEGORIES:
                    errors.append(f"{where}: bad category {cat!r}")
                pin_list = [p for p in pins.split(",") if p]
                if any(not PIN_RE.fullmatch(p) for p in pin_list):
                    errors.append(f"{where}: bad pin {pins!r}")
                refs.append(
                    {"start": start, "end": start + len(surface), "text": surface, "key": key,
                     "pins": pin_list, "category": cat}
                )  # fmt: skip
            n += 1
            item = {"id": n, "text": text, "source": src, "refs": refs}
            if row.get("ctx"):
                item["context"] = row["ctx"]
            out[split_of(src)].append(item)
    if errors:
        sys.exit("\n".join(errors))
    return out


def main() -> None:
    out = build()
    for name, rows in out.items():
        with (HERE / f"real_{name}.jsonl").open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        refs = sum(len(r["refs"]) for r in rows)
        docs = len({r["source"] for r in rows})
        empty = sum(1 for r in rows if not r["refs"])
        print(
            f"{name}: {len(rows)} lines ({empty} without reference), {refs} references, "
            f"{docs} documents"
        )


if __name__ == "__main__":
    main()
