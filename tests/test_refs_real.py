"""Floors of the reference recogniser on real, hand-labelled text (issue 18).

``tests/data/refs/real_dev.jsonl`` was tuned against; ``real_heldout.jsonl`` (other documents,
split by document before tuning) was only measured. The scorer is ``benchmarks.quality_refs``
(its docstring defines precision, recall, key exactness and pinpoints kept). Floors are the
figures measured, rounded down to 2 decimals: they may only rise. Measured blind (before anyone
looked at its errors), the held-out set gave precision 0.98, recall 0.93, keys exact 0.98; one
fix was made after (a letter read as part of an article number in « L. 311-3 N° »), hence 0.99 /
0.94 / 0.99 here.

The sets grew afterwards (lines 412-435, ``authoring/b12.jsonl``: pinpoints as privacy notices,
legal blogs and regulators write them; lines 436-472, ``authoring/b13.jsonl``: articles written
before the act's name, « loi 3DS », the AI regulation by its French names; lines 473-487,
``authoring/b14.jsonl``: « en son article N »; each split by the same rule before any tuning).
Every floor holds on the whole sets: per category, all together, key exactness and pinpoints
kept.

Lines 488-772 (``authoring/b15.jsonl`` to ``b17.jsonl``, issue 18, round 5) were copied from
105 documents of sources not used before (AMF, ACPR, HAS and Arcom decisions, Cour de cassation,
Conseil d'État, cours d'appel and tribunal rulings, Journal officiel summaries, extension arrêtés
and collective agreements, EUR-Lex, standards, law-firm and consumer blogs), labelled before any
run and split by the same rule. The recogniser was fixed on their development lines only; their
held-out lines are harder than the first ones and the whole held-out set is below some floors
measured on the first 487 lines. So the floors measured before them stay as they were, on lines
1-487 (``FLOORS_FIRST``, ``KEY_PIN_FLOORS_FIRST``, the issue's targets P ≥ 0.97, R ≥ 0.92 on the
held-out lines), and the whole sets have their own floors, the figures measured on them
(``FLOORS``, ``KEY_PIN_FLOORS``): both may only rise.
"""

from __future__ import annotations

import pytest

from benchmarks.quality_refs import CATEGORIES, Counts, Result, evaluate, load
from watcher.understand.refs import find_references

# Lines 1-487 (batches b01-b14): split -> category -> (precision, recall); "all" is every
# category together.
FIRST_LINES = 487
FLOORS_FIRST: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (1.00, 1.00), "date": (0.97, 0.97), "art": (1.00, 0.95), "impl": (1.00, 0.96),
        "code": (1.00, 1.00), "eu": (1.00, 1.00), "name": (1.00, 1.00), "std": (1.00, 0.91),
        "const": (1.00, 1.00), "dec": (1.00, 0.97), "delib": (1.00, 1.00), "id": (1.00, 1.00),
        "all": (0.99, 0.98),
    },
    "heldout": {
        "num": (1.00, 1.00), "date": (1.00, 1.00), "art": (0.96, 0.92), "impl": (1.00, 1.00),
        "code": (1.00, 1.00), "eu": (1.00, 0.95), "name": (1.00, 1.00), "std": (1.00, 0.88),
        "const": (1.00, 0.93), "dec": (1.00, 1.00), "delib": (1.00, 0.50), "id": (1.00, 0.83),
        "all": (0.99, 0.95),
    },
}  # fmt: skip
# split -> (key exact, pinpoint kept), over all categories
KEY_PIN_FLOORS_FIRST = {"dev": (0.99, 1.00), "heldout": (0.99, 0.82)}
# The whole sets (lines 1-772), measured after the b15-b17 round.
FLOORS: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (1.00, 1.00), "date": (0.98, 0.98), "art": (1.00, 0.97), "impl": (1.00, 0.93),
        "code": (0.98, 0.96), "eu": (1.00, 1.00), "name": (1.00, 0.96), "std": (1.00, 0.93),
        "const": (1.00, 1.00), "dec": (1.00, 0.94), "delib": (1.00, 1.00), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (1.00, 1.00), "date": (1.00, 1.00), "art": (0.97, 0.86), "impl": (1.00, 1.00),
        "code": (0.84, 1.00), "eu": (1.00, 0.86), "name": (1.00, 1.00), "std": (0.94, 0.85),
        "const": (1.00, 0.93), "dec": (1.00, 0.73), "delib": (1.00, 0.50), "id": (1.00, 0.87),
        "all": (0.98, 0.91),
    },
}  # fmt: skip
KEY_PIN_FLOORS = {"dev": (0.99, 0.97), "heldout": (0.99, 0.84)}


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    return {split: evaluate(load(split), find_references) for split in ("dev", "heldout")}


@pytest.fixture(scope="module")
def first_results() -> dict[str, Result]:
    return {
        split: evaluate([r for r in load(split) if r["id"] <= FIRST_LINES], find_references)
        for split in ("dev", "heldout")
    }


def _failures(result: Result, floors: dict[str, tuple[float, float]], label: str) -> list[str]:
    failures = []
    for category, (p_floor, r_floor) in floors.items():
        by_category = result.by_category
        counts = result.total if category == "all" else by_category.get(category, Counts())
        p = 1.0 if counts.precision is None else counts.precision
        r = 1.0 if counts.recall is None else counts.recall
        print(f"{label} {category}: P={p:.3f} R={r:.3f} n={counts.gold}")
        if p < p_floor or r < r_floor:
            failures.append(f"{category}: P={p:.3f} (≥ {p_floor}) R={r:.3f} (≥ {r_floor})")
    return failures


def test_sets_are_real_and_large_enough() -> None:
    rows = load("dev") + load("heldout")
    assert sum(1 for r in rows if r["refs"]) >= 300
    assert sum(1 for r in rows if not r["refs"]) >= 50
    assert all(r["source"] for r in rows)
    # every category of the table is represented in both sets
    for split in ("dev", "heldout"):
        categories = {ref["category"] for r in load(split) for ref in r["refs"]}
        assert categories == set(CATEGORIES), split
    # held-out documents are not development documents
    dev_sources = {r["source"] for r in load("dev")}
    assert not dev_sources & {r["source"] for r in load("heldout")}


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_floors_per_category(split: str, results: dict[str, Result]) -> None:
    failures = _failures(results[split], FLOORS[split], split)
    assert not failures, failures


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_floors_per_category_on_the_first_lines(
    split: str, first_results: dict[str, Result]
) -> None:
    failures = _failures(first_results[split], FLOORS_FIRST[split], f"{split} 1-{FIRST_LINES}")
    assert not failures, failures


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_key_exactness_and_pinpoints(
    split: str, results: dict[str, Result], first_results: dict[str, Result]
) -> None:
    for floors, result in ((KEY_PIN_FLOORS, results), (KEY_PIN_FLOORS_FIRST, first_results)):
        total = result[split].total
        key_floor, pin_floor = floors[split]
        assert total.key_exact is not None and total.key_exact >= key_floor
        assert total.pinpoint_kept is not None and total.pinpoint_kept >= pin_floor
    # the targets on text the recogniser was not tuned on: precision on the whole
    # held-out set, recall on its first lines (0.91 on the whole set, see FLOORS)
    if split == "heldout":
        total = results[split].total
        assert total.precision is not None and total.precision >= 0.97
        first = first_results[split].total
        assert first.precision is not None and first.precision >= 0.97
        assert first.recall is not None and first.recall >= 0.92


def test_quality_entry_point_prints_the_references_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks.quality import main

    assert main(["--only", "refs", "--errors", "dev"]) == 0
    out = capsys.readouterr().out
    assert "Legal and normative references" in out
    assert "heldout" in out and "dev" in out
    assert "code without article" in out  # one row per category
    assert "### Errors on dev" in out
