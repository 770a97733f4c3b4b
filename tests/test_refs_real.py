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

Lines 773-945 (``authoring/b18.jsonl``, round 6) came from 52 more documents of kinds the round-5
held-out misses pointed to (AMF sanctions, tax doctrine and the livre des procédures fiscales,
the CIBS, standards with amendments, cours d'appel, the Cour de cassation's avis and formulas,
public procurement, EU product-safety texts), labelled before any run and split by the same
rule. The round-5 whole-set floors are kept on lines 1-772 (``FLOORS_772``,
``KEY_PIN_FLOORS_772``, raised to the figures measured there after round 6), and the whole sets
(lines 1-945) have floors of their own.

Lines 946-1150 (``authoring/b19.jsonl``, round 7) came from 75 more documents, labelled before any
run and split by the same rule. Round 6's whole-set floors are kept on lines 1-945
(``FLOORS_945``, ``KEY_PIN_FLOORS_945``; development figures raised where round 7 raised them).
The development lines 1-1150 keep round 7's floors (``FLOORS_1150``, ``KEY_PIN_FLOORS_1150``;
name and std raised to round 7b's figures).

Lines 1151-1323 (``authoring/b20.jsonl``, round 7b) came from 70 more documents, labelled before
any run and split by the same rule. The recogniser was fixed on their development lines
(round 7b); the whole development set (1-1323) has floors of its own, measured after that
(``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out set was measured once after the round, by
the lead (not by whoever tunes), and its floors are those figures; the earlier held-out floors
still hold on lines 1-945, 1-772 and 1-487, with the issue's precision target (≥ 0.97) on the
whole held-out set.

Lines 1324-1557 (``authoring/b21.jsonl``, round 8) came from more documents, weighted towards
the weak kinds (délibérations, decisions, articles of an unnamed code), labelled before any run
and split by the same rule. Round 7b's whole-set floors now apply to lines 1-1323
(``FLOORS_1323``, ``KEY_PIN_FLOORS_1323``; development impl raised to round 8's figure); the
whole development set (1-1557) has floors at round 8's figures (``FLOORS``, ``KEY_PIN_FLOORS``);
the lead sets the whole held-out set's after measuring it.

Lines 1558-1818 (``authoring/b22.jsonl``, round 9) came from more documents, labelled before any
run and split by the same rule. Round 8's whole-set floors now apply to lines 1-1557
(``FLOORS_1557``, ``KEY_PIN_FLOORS_1557``; development num, code, std, dec, all and pinpoints
raised to round 9's figures there, held out as the lead set them); the whole development set
(1-1818) has floors at round 9's figures (``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out
set's are the lead's one measurement after the round (and lines 1-1557's held-out art, std and
all were raised to it).

Lines 1819-2113 (``authoring/b23.jsonl``, round 10) came from more documents, labelled before any
run and split by the same rule. Round 9's whole-set floors now apply to lines 1-1818
(``FLOORS_1818``, ``KEY_PIN_FLOORS_1818``, both splits as they were); the whole development set
(1-2113) has floors at round 10's figures (``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out
set's are the lead's one measurement after the round (lines 1-1818's held-out dec raised to it).

Lines 2114-2383 (``authoring/b24.jsonl``, round 11) came from 104 more documents, labelled before
any run and split by the same rule. Round 10's whole-set floors now apply to lines 1-2113
(``FLOORS_2113``, ``KEY_PIN_FLOORS_2113``; development raised to round 11's figures there,
held out as the lead set them); the whole development set (1-2383) has floors at round 11's
figures (``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out set's are the lead's one measurement
after the round (lines 1-2113's held-out code precision, eu recall and pinpoints raised to it).

Lines 2384-2618 (``authoring/b25.jsonl``, round 12) came from 94 more documents, labelled before
any run and split by the same rule. Round 11's whole-set floors now apply to lines 1-2383
(``FLOORS_2383``, ``KEY_PIN_FLOORS_2383``, both splits as they were; development name and all
recall raised to round 12's figures there); the whole development set (1-2618) has floors at
round 12's figures (``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out set's are the lead's one
measurement after the round (lines 1-2383's held-out art, name, dec, all and pinpoints raised to
it; its precision target, ≥ 0.97, is asserted).

Lines 2619-2787 (``authoring/b26.jsonl``, round 14) came from 90 more documents, labelled before
any run and split by the same rule. Round 12's whole-set floors now apply to lines 1-2618
(``FLOORS_2618``, ``KEY_PIN_FLOORS_2618``, both splits as they were; development num, date, name,
dec, delib and all recall raised to round 14's figures there; the held-out precision target,
≥ 0.97, asserted there); the whole development set (1-2787) has floors at round 14's figures
(``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out set's are the lead's one measurement after
the round (its precision, 0.969, is under the issue's 0.97; lines 1-2618's held-out délibérations
raised to round 14's figure).

Lines 2788-3038 (``authoring/b27.jsonl``, round 15) came from 123 more documents, labelled before
any run and split by the same rule. Round 14's whole-set floors now apply to lines 1-2787
(``FLOORS_2787``, ``KEY_PIN_FLOORS_2787``, both splits as they were; development name recall and
pinpoints raised to round 15's figures there); the whole development set (1-3038) has floors at
round 15's figures (``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out set's are the lead's
one measurement after the round (0.972 / 0.892: its precision target, ≥ 0.97, is asserted;
lines 1-2787's held-out name, std, delib and all recall raised to round 15's figures there).

Lines 3039-3272 (``authoring/b28.jsonl``, round 16) came from more documents, labelled before any
run and split by the same rule. Round 15's whole-set floors now apply to lines 1-3038
(``FLOORS_3038``, ``KEY_PIN_FLOORS_3038``, both splits as they were; development figures at round
16's there, rounded down); the whole development set (1-3272) has floors at round 16's figures
(``FLOORS``, ``KEY_PIN_FLOORS``); the whole held-out set's are the lead's one measurement after
the round (0.969 / 0.878, the same as round 15's code on it). The held-out precision target
(≥ 0.97) is asserted on lines 1-3038 and 1-2618: with b28 the whole held-out set is under it
(0.969) with the code before the session, after round 15 and after round 16 alike.

Lines 3273-3775 (``authoring/b29.jsonl`` and ``b30.jsonl``, round 17) came from more documents,
labelled before any run and split by the same rule. Round 16's whole-set floors now apply to
lines 1-3272 (``FLOORS_3272``, ``KEY_PIN_FLOORS_3272``, both splits unchanged); the whole
development set (1-3775) has floors at round 17's figures (``FLOORS``, ``KEY_PIN_FLOORS``); the
whole held-out set's are left to the lead's one measurement after the round (a marked
placeholder in ``FLOORS`` and ``KEY_PIN_FLOORS``).

Lines 3776-4296 (b31, b32; rounds 18-20) have their floors in ``FLOORS_4296`` and
``KEY_PIN_FLOORS_4296``. Lines 4297-4679 (b33, b34) give every line a uniform context (the text
before it in its document) and include the later sentences that point back (« cette loi »); the
whole sets' floors then were the figures after round 20 on them; they are kept on lines 1-4679
(``FLOORS_4679``, ``KEY_PIN_FLOORS_4679``, development raised to round 21's). Lines 4680-5085
(b35, b36) are made the same way; their floors after round 21 (development raised to round 22's)
are kept on lines 1-5085 (``FLOORS_5085``, ``KEY_PIN_FLOORS_5085``). Lines 5086-5475 (b37, b38)
too; their floors after round 22 (development eu, name and all recall raised to round 23's) are
kept on lines 1-5475 (``FLOORS_5475``, ``KEY_PIN_FLOORS_5475``). Lines 5476-5780 (b39, b40) too;
their floors after round 23 are kept on lines 1-5780 (``FLOORS_5780``, ``KEY_PIN_FLOORS_5780``).
Lines 5781-6946 (b41-b46) too; their floors after round 25 are kept on lines 1-6946
(``FLOORS_6946``, ``KEY_PIN_FLOORS_6946``). Lines 6947-7198 (b47, b48) too; their floors, round
25's code (round 26 was not shipped), are kept on lines 1-7198 (``FLOORS_7198``,
``KEY_PIN_FLOORS_7198``). Lines 7199-7487 (b49, b50) too; their floors, the same code (round 27
shipped nothing), raised to round 28's, are kept on lines 1-7487 (``FLOORS_7487``,
``KEY_PIN_FLOORS_7487``). Lines 7488-7746 (b51, b52) too; their floors, round 28's code, are
kept on lines 1-7746 (``FLOORS_7746``, ``KEY_PIN_FLOORS_7746``). Lines 7747-8013 (b53, b54) too;
their floors, round 29's code, are kept on lines 1-8013 (``FLOORS_8013``, ``KEY_PIN_FLOORS_8013``).
Lines 8014-8278 (b55, b56) too; their floors, round 30's code, are kept on lines 1-8278
(``FLOORS_8278``, ``KEY_PIN_FLOORS_8278``). Lines 8279-8553 (b57, b58) too; their floors, round
30's code (round 31 was measured on them and not shipped) raised to round 32's, are kept on lines
1-8553 (``FLOORS_8553``, ``KEY_PIN_FLOORS_8553``). Lines 8554-8810 (b59, b60) too; the whole
sets' floors (``FLOORS``, ``KEY_PIN_FLOORS``) are the figures with them in, round 32's code.

Since 2026-12-07 a code named beside its own articles in a line is optional in the scorer (the
labelled lines disagree on it: ``benchmarks.quality_refs``); every figure only rose with it, so
no floor set before was lowered, and the floors of lines 1-7198 were raised to it.
"""

from __future__ import annotations

import functools

import pytest

from benchmarks.quality_refs import CATEGORIES, TODAY, Counts, Result, evaluate, load
from watcher.understand import refs
from watcher.understand.refs import Reference


def find_references(text: str) -> list[Reference]:
    """The references of ``text`` read at the sets' fixed date (never the clock)."""
    return refs.find_references(text, TODAY)


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
# Lines 1-772 (batches b01-b17): the whole-set floors of round 5, raised to round 6's figures
# (development dec to round 7's).
LINES_772 = 772
FLOORS_772: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (1.00, 1.00), "date": (0.98, 0.98), "art": (1.00, 0.97), "impl": (1.00, 0.93),
        "code": (0.98, 0.96), "eu": (1.00, 1.00), "name": (1.00, 0.96), "std": (1.00, 0.93),
        "const": (1.00, 1.00), "dec": (1.00, 0.96), "delib": (1.00, 1.00), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (1.00, 1.00), "date": (1.00, 1.00), "art": (0.97, 0.90), "impl": (1.00, 1.00),
        "code": (0.84, 1.00), "eu": (1.00, 0.86), "name": (1.00, 1.00), "std": (1.00, 0.90),
        "const": (1.00, 0.93), "dec": (1.00, 0.91), "delib": (1.00, 0.50), "id": (1.00, 0.87),
        "all": (0.98, 0.94),
    },
}  # fmt: skip
KEY_PIN_FLOORS_772 = {"dev": (0.99, 0.97), "heldout": (0.99, 0.84)}
# Lines 1-945 (batches b01-b18): the whole-set floors of round 6 (development eu and dec raised
# to round 7's figures).
LINES_945 = 945
FLOORS_945: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (1.00, 1.00), "date": (0.98, 0.98), "art": (0.99, 0.97), "impl": (1.00, 0.94),
        "code": (0.98, 0.97), "eu": (1.00, 0.99), "name": (1.00, 0.96), "std": (1.00, 0.94),
        "const": (1.00, 1.00), "dec": (1.00, 0.97), "delib": (1.00, 1.00), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (1.00, 1.00), "date": (1.00, 1.00), "art": (0.97, 0.92), "impl": (1.00, 1.00),
        "code": (0.92, 1.00), "eu": (1.00, 0.96), "name": (1.00, 1.00), "std": (1.00, 0.90),
        "const": (1.00, 0.94), "dec": (0.97, 0.75), "delib": (1.00, 0.50), "id": (1.00, 0.87),
        "all": (0.98, 0.92),
    },
}  # fmt: skip
KEY_PIN_FLOORS_945 = {"dev": (0.99, 0.97), "heldout": (0.99, 0.84)}
# Lines 1-1150 (batches b01-b19): the whole development set's floors of round 7 (name and std
# raised to round 7b's figures).
LINES_1150 = 1150
FLOORS_1150: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (1.00, 1.00), "date": (0.98, 0.98), "art": (0.98, 0.97), "impl": (1.00, 0.92),
        "code": (0.98, 0.97), "eu": (1.00, 0.99), "name": (1.00, 0.97), "std": (1.00, 0.95),
        "const": (1.00, 1.00), "dec": (1.00, 0.97), "delib": (1.00, 1.00), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
}  # fmt: skip
KEY_PIN_FLOORS_1150 = {"dev": (0.99, 0.98)}
# Lines 1-1323 (b01-b20): development measured after round 8 (impl raised from round 7b's
# 0.93); held out measured once after round 7b, by the lead (b19's and b20's held-out lines
# had been scored once before, in aggregate, with the code before round 7: recall 0.70 and 0.72).
LINES_1323 = 1323
FLOORS_1323: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (1.00, 1.00), "date": (0.98, 0.97), "art": (0.99, 0.97), "impl": (1.00, 0.97),
        "code": (0.98, 0.97), "eu": (1.00, 0.98), "name": (1.00, 0.97), "std": (1.00, 0.96),
        "const": (1.00, 1.00), "dec": (1.00, 0.96), "delib": (1.00, 1.00), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (1.00, 1.00), "date": (1.00, 1.00), "art": (0.95, 0.87), "impl": (1.00, 0.82),
        "code": (0.90, 1.00), "eu": (1.00, 0.96), "name": (1.00, 0.95), "std": (1.00, 0.89),
        "const": (1.00, 0.89), "dec": (0.97, 0.72), "delib": (1.00, 0.22), "id": (1.00, 0.88),
        "all": (0.98, 0.88),
    },
}  # fmt: skip
KEY_PIN_FLOORS_1323 = {"dev": (0.99, 0.95), "heldout": (0.99, 0.77)}
# Lines 1-1557 (b21 included): development measured after round 8; held out measured once after
# it, by the lead (b21's held-out lines had been scored once before, in aggregate, with the code
# before round 8).
LINES_1557 = 1557
FLOORS_1557: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (1.00, 1.00), "date": (0.98, 0.96), "art": (0.98, 0.97), "impl": (1.00, 0.91),
        "code": (0.96, 0.97), "eu": (1.00, 0.98), "name": (1.00, 0.98), "std": (1.00, 0.94),
        "const": (0.98, 1.00), "dec": (1.00, 0.96), "delib": (1.00, 1.00), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (1.00, 0.98), "date": (1.00, 0.96), "art": (0.96, 0.88), "impl": (1.00, 0.88),
        "code": (0.93, 0.91), "eu": (1.00, 0.92), "name": (1.00, 0.93), "std": (1.00, 0.89),
        "const": (1.00, 0.87), "dec": (0.98, 0.77), "delib": (1.00, 0.30), "id": (1.00, 0.90),
        "all": (0.98, 0.87),
    },
}  # fmt: skip
KEY_PIN_FLOORS_1557 = {"dev": (0.99, 0.95), "heldout": (0.99, 0.76)}
# Lines 1-1818 (b22 included), measured after round 9: the development set by whoever tuned,
# the held-out set once by the lead (b22's held-out lines never seen before).
LINES_1818 = 1818
FLOORS_1818: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (0.99, 0.96), "art": (0.99, 0.97), "impl": (1.00, 0.92),
        "code": (0.96, 0.97), "eu": (1.00, 0.98), "name": (1.00, 0.97), "std": (0.98, 0.94),
        "const": (0.97, 1.00), "dec": (1.00, 0.97), "delib": (1.00, 0.95), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (0.98, 0.94), "date": (1.00, 0.94), "art": (0.96, 0.89), "impl": (1.00, 0.88),
        "code": (0.94, 0.91), "eu": (1.00, 0.91), "name": (1.00, 0.87), "std": (0.95, 0.86),
        "const": (1.00, 0.87), "dec": (0.97, 0.77), "delib": (0.80, 0.33), "id": (1.00, 0.90),
        "all": (0.97, 0.86),
    },
}  # fmt: skip
KEY_PIN_FLOORS_1818 = {"dev": (0.99, 0.94), "heldout": (0.98, 0.75)}
# Lines 1-2113 (b23 included): the development set measured after round 11 (raised from round
# 10's figures); the held-out set measured once by the lead after round 10.
LINES_2113 = 2113
FLOORS_2113: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (1.00, 0.97), "art": (0.99, 0.98), "impl": (1.00, 0.91),
        "code": (0.98, 0.98), "eu": (1.00, 0.98), "name": (1.00, 0.94), "std": (0.98, 0.95),
        "const": (0.97, 1.00), "dec": (1.00, 0.98), "delib": (1.00, 0.95), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (0.96, 0.94), "date": (1.00, 0.93), "art": (0.97, 0.91), "impl": (1.00, 0.89),
        "code": (0.95, 0.93), "eu": (1.00, 0.93), "name": (1.00, 0.87), "std": (0.95, 0.86),
        "const": (1.00, 0.89), "dec": (0.96, 0.76), "delib": (0.80, 0.33), "id": (1.00, 0.91),
        "all": (0.97, 0.87),
    },
}  # fmt: skip
KEY_PIN_FLOORS_2113 = {"dev": (0.99, 0.97), "heldout": (0.98, 0.78)}
# Lines 1-2383 (b24 included): the development set measured after round 11 (name and all recall
# raised to round 12's figures); the held-out set measured once by the lead after round 11
# (2026-12-06).
LINES_2383 = 2383
FLOORS_2383: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (1.00, 0.96), "art": (0.99, 0.98), "impl": (1.00, 0.91),
        "code": (0.98, 0.97), "eu": (1.00, 0.98), "name": (0.99, 0.95), "std": (0.98, 0.93),
        "const": (0.96, 0.97), "dec": (1.00, 0.97), "delib": (1.00, 0.95), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (0.97, 0.94), "date": (0.98, 0.94), "art": (0.98, 0.93), "impl": (1.00, 0.89),
        "code": (0.95, 0.94), "eu": (1.00, 0.94), "name": (0.98, 0.86), "std": (0.96, 0.88),
        "const": (1.00, 0.90), "dec": (0.96, 0.81), "delib": (0.90, 0.50), "id": (1.00, 0.92),
        "all": (0.97, 0.89),
    },
}  # fmt: skip
KEY_PIN_FLOORS_2383 = {"dev": (0.99, 0.94), "heldout": (0.98, 0.78)}
# Lines 1-2618 (b25 included): the development set measured after round 12 (num, date, name,
# dec, delib and all recall raised to round 14's figures); the held-out set measured once by the
# lead after round 12 (2026-12-06).
LINES_2618 = 2618
FLOORS_2618: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (1.00, 0.97), "art": (0.99, 0.98), "impl": (1.00, 0.91),
        "code": (0.98, 0.97), "eu": (1.00, 0.98), "name": (0.98, 0.94), "std": (0.98, 0.94),
        "const": (0.96, 0.96), "dec": (1.00, 0.97), "delib": (1.00, 0.97), "id": (1.00, 1.00),
        "all": (0.99, 0.97),
    },
    "heldout": {
        "num": (0.97, 0.95), "date": (0.98, 0.94), "art": (0.97, 0.93), "impl": (1.00, 0.90),
        "code": (0.94, 0.94), "eu": (1.00, 0.95), "name": (0.98, 0.83), "std": (0.91, 0.84),
        "const": (1.00, 0.90), "dec": (0.96, 0.83), "delib": (1.00, 0.63), "id": (1.00, 0.93),
        "all": (0.97, 0.89),
    },
}  # fmt: skip
KEY_PIN_FLOORS_2618 = {"dev": (0.99, 0.93), "heldout": (0.98, 0.80)}
# Lines 1-2787 (b26 included): the development set measured after round 14 (name raised to
# round 15's figure there, pinpoints too); the held-out set measured once by the lead after round
# 14 (2026-12-06): precision 0.969, under the issue's 0.97 (b26's held-out part: 3 false
# references and 2 under another key of 64, with the code before the session too), which is
# asserted on lines 1-2618 (below).
LINES_2787 = 2787
FLOORS_2787: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (1.00, 0.96), "art": (0.99, 0.98), "impl": (1.00, 0.90),
        "code": (0.98, 0.97), "eu": (1.00, 0.98), "name": (0.98, 0.93), "std": (0.98, 0.94),
        "const": (0.96, 0.96), "dec": (1.00, 0.96), "delib": (1.00, 0.98), "id": (1.00, 1.00),
        "all": (0.99, 0.96),
    },
    "heldout": {
        "num": (0.96, 0.94), "date": (0.94, 0.94), "art": (0.97, 0.92), "impl": (1.00, 0.90),
        "code": (0.92, 0.94), "eu": (1.00, 0.95), "name": (0.98, 0.85), "std": (0.92, 0.84),
        "const": (1.00, 0.90), "dec": (0.96, 0.83), "delib": (1.00, 0.68), "id": (1.00, 0.93),
        "all": (0.96, 0.89),
    },
}  # fmt: skip
KEY_PIN_FLOORS_2787 = {"dev": (0.99, 0.92), "heldout": (0.98, 0.81)}
# Lines 1-3038 (b27 included): the development set measured after round 16 (every category at
# round 16's figures there, rounded down); the held-out set measured once by the lead after round
# 15 (2026-12-06): 962 references, 0.972 / 0.892 (0.972 / 0.886 with the code before the round);
# its precision target, ≥ 0.97, is asserted below. Held-out lines 1-2787 raised to round 15's
# figures (name, std, delib, all).
LINES_3038 = 3038
FLOORS_3038: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (1.00, 0.97), "art": (0.99, 0.98), "impl": (1.00, 0.90),
        "code": (0.97, 0.97), "eu": (1.00, 0.98), "name": (0.98, 0.92), "std": (0.98, 0.94),
        "const": (0.95, 0.96), "dec": (1.00, 0.96), "delib": (1.00, 0.98), "id": (1.00, 1.00),
        "all": (0.99, 0.96),
    },
    "heldout": {
        "num": (0.96, 0.94), "date": (0.95, 0.91), "art": (0.97, 0.92), "impl": (1.00, 0.89),
        "code": (0.93, 0.94), "eu": (1.00, 0.95), "name": (0.99, 0.86), "std": (0.93, 0.83),
        "const": (1.00, 0.90), "dec": (0.96, 0.83), "delib": (1.00, 0.69), "id": (1.00, 0.93),
        "all": (0.97, 0.89),
    },
}  # fmt: skip
KEY_PIN_FLOORS_3038 = {"dev": (0.99, 0.91), "heldout": (0.98, 0.80)}
# Lines 1-3272 (b28 included): the development set measured after round 16; the held-out set
# (1,033 references) measured once by the lead after round 16 (2026-12-06): 0.969 / 0.878, the
# same as after round 15 (b28's held-out part: 0.924 / 0.690 with the code before the session,
# after round 15 and after round 16 alike), under the issue's 0.97 / 0.92. (The whole-set floors
# of round 16, unchanged, on the lines they were measured on.)
LINES_3272 = 3272
FLOORS_3272: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (0.99, 0.97), "art": (0.99, 0.98), "impl": (1.00, 0.90),
        "code": (0.97, 0.97), "eu": (1.00, 0.98), "name": (0.98, 0.91), "std": (0.97, 0.91),
        "const": (0.95, 0.96), "dec": (1.00, 0.96), "delib": (1.00, 0.98), "id": (1.00, 1.00),
        "all": (0.99, 0.96),
    },
    "heldout": {
        "num": (0.97, 0.95), "date": (0.95, 0.89), "art": (0.96, 0.90), "impl": (1.00, 0.89),
        "code": (0.92, 0.95), "eu": (1.00, 0.94), "name": (0.98, 0.85), "std": (0.93, 0.81),
        "const": (1.00, 0.91), "dec": (0.96, 0.81), "delib": (1.00, 0.69), "id": (1.00, 0.82),
        "all": (0.96, 0.87),
    },
}  # fmt: skip
KEY_PIN_FLOORS_3272 = {"dev": (0.99, 0.89), "heldout": (0.98, 0.79)}
# Lines 1-3775 (b29 and b30 included): the development set measured after round 17 (rounded
# down); the held-out set (1,199 references) measured once by the lead after round 17
# (2026-12-06): 0.968 / 0.874 (0.968 / 0.870 with the code before the round; b29's held-out part
# 0.944 / 0.838 with both codes, b30's 0.986 / 0.802 -> 0.973 / 0.837).
LINES_3775 = 3775
FLOORS_3775: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (0.99, 0.96), "art": (0.98, 0.96), "impl": (1.00, 0.91),
        "code": (0.95, 0.98), "eu": (1.00, 0.98), "name": (0.98, 0.89), "std": (0.97, 0.92),
        "const": (0.95, 0.95), "dec": (0.99, 0.96), "delib": (1.00, 0.98), "id": (1.00, 0.98),
        "all": (0.98, 0.95),
    },
    "heldout": {
        "num": (0.96, 0.95), "date": (0.96, 0.90), "art": (0.95, 0.88), "impl": (1.00, 0.90),
        "code": (0.93, 0.95), "eu": (1.00, 0.93), "name": (0.98, 0.81), "std": (0.94, 0.83),
        "const": (1.00, 0.88), "dec": (0.95, 0.81), "delib": (1.00, 0.66), "id": (1.00, 0.82),
        "all": (0.96, 0.87),
    },
}  # fmt: skip
KEY_PIN_FLOORS_3775 = {"dev": (0.99, 0.90), "heldout": (0.97, 0.76)}
# The whole sets (lines 1-4296, b31 and b32 included): b31 (general web) and b32 (legal,
# regulatory and standards text), both parts, measured once by the lead with the session's
# starting code (66fbd6f, 2026-12-07) before any tuning saw them: development part 0.950 / 0.843
# (426 references), held-out part 0.914 / 0.863 (161); the whole held-out set 0.961 / 0.873.
# Development floors raised to round 20's figures (anaphora across the item, rounded down).
LINES_4296 = 4296
FLOORS_4296: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.99), "date": (0.99, 0.95), "art": (0.98, 0.95), "impl": (1.00, 0.91),
        "code": (0.93, 0.97), "eu": (0.99, 0.98), "name": (0.97, 0.87), "std": (0.96, 0.90),
        "const": (0.96, 0.94), "dec": (0.99, 0.95), "delib": (0.98, 0.97), "id": (1.00, 0.94),
        "all": (0.98, 0.94),
    },
    "heldout": {
        "num": (0.97, 0.96), "date": (0.96, 0.88), "art": (0.94, 0.87), "impl": (1.00, 0.90),
        "code": (0.90, 0.96), "eu": (0.98, 0.91), "name": (0.97, 0.80), "std": (0.94, 0.83),
        "const": (1.00, 0.89), "dec": (0.95, 0.83), "delib": (0.95, 0.65), "id": (1.00, 0.85),
        "all": (0.96, 0.87),
    },
}  # fmt: skip
KEY_PIN_FLOORS_4296 = {"dev": (0.99, 0.87), "heldout": (0.97, 0.74)}
# The whole sets (every line; b33, general web, and b34, public repositories, included: lines
# 4297-4679, a uniform context on every line). b33 + b34 measured once by the lead (2026-12-07),
# before and after round 20: development part 0.949 / 0.746 with both codes (276 references);
# held-out part 0.965 / 0.772 -> 0.959 / 0.772 (180); the whole held-out set 0.963 / 0.863 ->
# 0.962 / 0.865. Floors: the figures after round 20, rounded down; development raised to round
# 21's (pointers standing alone, names; 0.9839 / 0.9350 -> 0.9851 / 0.9418).
LINES_4679 = 4679
FLOORS_4679: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.97), "date": (0.98, 0.92), "art": (0.98, 0.95), "impl": (1.00, 0.90),
        "code": (0.92, 0.97), "eu": (0.99, 0.97), "name": (0.98, 0.87), "std": (0.96, 0.90),
        "const": (0.96, 0.94), "dec": (0.99, 0.95), "delib": (0.98, 0.97), "id": (1.00, 0.95),
        "all": (0.98, 0.94),
    },
    "heldout": {
        "num": (0.97, 0.89), "date": (0.97, 0.86), "art": (0.94, 0.88), "impl": (1.00, 0.89),
        "code": (0.90, 0.96), "eu": (0.99, 0.90), "name": (0.98, 0.81), "std": (0.93, 0.84),
        "const": (1.00, 0.89), "dec": (0.93, 0.82), "delib": (0.95, 0.67), "id": (1.00, 0.88),
        "all": (0.96, 0.86),
    },
}  # fmt: skip
KEY_PIN_FLOORS_4679 = {"dev": (0.99, 0.86), "heldout": (0.97, 0.70)}
# The whole sets (every line; b35, stored web pages, and b36, public repositories, included:
# lines 4680-5085, made like b33 and b34). Measured once by the lead (2026-12-07) with round 20's
# code and once after round 21, each part whole: development part 0.951 / 0.751 -> 0.949 / 0.776
# (362 references), held-out part 0.961 / 0.798 -> 0.952 / 0.806 (124); the whole held-out set
# 0.962 / 0.860 -> 0.962 / 0.864. Floors: the figures after round 21, rounded down; development
# raised to round 22's (EU acts' acronyms and names, lower-case code abbreviations, « les deux
# règlements »: 0.9824 / 0.9274 -> 0.9828 / 0.9346).
LINES_5085 = 5085
FLOORS_5085: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.96), "date": (0.98, 0.89), "art": (0.98, 0.95), "impl": (1.00, 0.89),
        "code": (0.91, 0.97), "eu": (0.99, 0.95), "name": (0.98, 0.88), "std": (0.96, 0.90),
        "const": (0.96, 0.94), "dec": (0.99, 0.94), "delib": (0.97, 0.96), "id": (1.00, 0.95),
        "all": (0.98, 0.93),
    },
    "heldout": {
        "num": (0.97, 0.91), "date": (0.97, 0.86), "art": (0.94, 0.88), "impl": (1.00, 0.87),
        "code": (0.91, 0.96), "eu": (0.98, 0.88), "name": (0.98, 0.80), "std": (0.94, 0.82),
        "const": (1.00, 0.89), "dec": (0.93, 0.83), "delib": (0.95, 0.67), "id": (1.00, 0.90),
        "all": (0.96, 0.86),
    },
}  # fmt: skip
KEY_PIN_FLOORS_5085 = {"dev": (0.98, 0.85), "heldout": (0.97, 0.68)}
# The whole sets (every line; b37, stored web pages, and b38, public repositories, included:
# lines 5086-5475, made like b33-b36). Measured once by the lead (2026-12-07) with round 21's
# code and once after round 22, each part whole: development part 0.952 / 0.687 -> 0.953 / 0.693
# (319 references), held-out part 0.991 / 0.690 -> 0.992 / 0.708 (168); the whole held-out set
# 0.964 / 0.848 -> 0.964 / 0.853. Floors: the figures after round 22, rounded down.
LINES_5475 = 5475
FLOORS_5475: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.95), "date": (0.98, 0.86), "art": (0.97, 0.94), "impl": (0.98, 0.87),
        "code": (0.90, 0.96), "eu": (0.99, 0.92), "name": (0.98, 0.87), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.99, 0.94), "delib": (0.97, 0.96), "id": (1.00, 0.93),
        "all": (0.98, 0.92),
    },
    "heldout": {
        "num": (0.96, 0.88), "date": (0.97, 0.84), "art": (0.94, 0.88), "impl": (1.00, 0.85),
        "code": (0.92, 0.91), "eu": (0.98, 0.82), "name": (0.99, 0.81), "std": (0.94, 0.82),
        "const": (1.00, 0.89), "dec": (0.93, 0.83), "delib": (0.95, 0.67), "id": (1.00, 0.88),
        "all": (0.96, 0.85),
    },
}  # fmt: skip
KEY_PIN_FLOORS_5475 = {"dev": (0.98, 0.82), "heldout": (0.97, 0.67)}
# Lines 1-5780 (b39, stored web pages, and b40, public repositories, included: lines
# 5476-5780, made like b33-b38). Measured once by the lead (2026-12-07) with round 22's code
# and once after round 23, each part whole: development part 0.938 / 0.793 (266 references),
# held-out part 0.944 / 0.807 (83), both the same after round 23; the whole held-out set 0.963 /
# 0.851 both times. Floors: the figures after round 23, rounded down (the same after round 25).
LINES_5780 = 5780
FLOORS_5780: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.95), "date": (0.97, 0.85), "art": (0.97, 0.94), "impl": (0.99, 0.86),
        "code": (0.89, 0.96), "eu": (0.99, 0.90), "name": (0.98, 0.85), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.99, 0.93), "delib": (0.97, 0.96), "id": (1.00, 0.94),
        "all": (0.97, 0.91),
    },
    "heldout": {
        "num": (0.96, 0.88), "date": (0.97, 0.83), "art": (0.94, 0.88), "impl": (1.00, 0.87),
        "code": (0.91, 0.90), "eu": (0.98, 0.81), "name": (0.99, 0.81), "std": (0.94, 0.82),
        "const": (1.00, 0.89), "dec": (0.92, 0.83), "delib": (0.95, 0.67), "id": (0.97, 0.86),
        "all": (0.96, 0.85),
    },
}  # fmt: skip
KEY_PIN_FLOORS_5780 = {"dev": (0.98, 0.82), "heldout": (0.97, 0.65)}
# Lines 1-6946 (b41-b46, lines 5781-6946, stored web pages: b41, b43, b45 from
# companies, law firms, press and blogs, b42, b44, b46 from public bodies; made like b33-b40).
# Measured by the lead (2026-12-07): b41-b44 with round 23's code and after round 24 (no
# change), b45 + b46 before and after round 25 (development 209 -> 210 right of 275, held out
# 124 -> 127 of 162); the whole held-out set 0.957 / 0.838 -> 0.957 / 0.842 by round 25.
# Floors: the figures after round 25, rounded down.
LINES_6946 = 6946
FLOORS_6946: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.93), "date": (0.96, 0.82), "art": (0.97, 0.94), "impl": (0.97, 0.83),
        "code": (0.86, 0.94), "eu": (0.99, 0.88), "name": (0.97, 0.81), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.98, 0.92), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.97, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.94, 0.78), "art": (0.94, 0.89), "impl": (0.97, 0.86),
        "code": (0.90, 0.91), "eu": (0.98, 0.81), "name": (0.98, 0.76), "std": (0.94, 0.82),
        "const": (1.00, 0.91), "dec": (0.93, 0.83), "delib": (0.95, 0.67), "id": (0.96, 0.86),
        "all": (0.95, 0.84),
    },
}  # fmt: skip
KEY_PIN_FLOORS_6946 = {"dev": (0.98, 0.80), "heldout": (0.97, 0.64)}
# Lines 1-7198 (the whole sets before b49 and b50; b47, stored web pages of companies, law firms
# and blogs, and b48, public bodies' pages, lines 6947-7198, made like b41-b46). Measured by the
# lead (2026-12-07) with round 25's code and after round 26, which was not shipped (no change on
# them); with round 25's: development part 146 / 3 / 4 of 198 (right / wrong key / false),
# held-out part 68 / 4 / 1 of 105; the whole held-out set 0.956 / 0.833. Floors: those figures,
# rounded down.
# Raised (2026-12-07, fourth session) to the figures with a code beside its own articles scored
# as optional (`benchmarks.quality_refs`), none lower than before.
LINES_7198 = 7198
FLOORS_7198: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.92), "date": (0.96, 0.82), "art": (0.97, 0.94), "impl": (0.97, 0.83),
        "code": (0.98, 0.96), "eu": (0.99, 0.88), "name": (0.97, 0.78), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.98, 0.92), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.98, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.94, 0.77), "art": (0.94, 0.89), "impl": (0.97, 0.86),
        "code": (0.99, 0.92), "eu": (0.98, 0.79), "name": (0.98, 0.74), "std": (0.93, 0.81),
        "const": (1.00, 0.91), "dec": (0.92, 0.81), "delib": (0.95, 0.67), "id": (0.96, 0.86),
        "all": (0.96, 0.83),
    },
}  # fmt: skip
KEY_PIN_FLOORS_7198 = {"dev": (0.98, 0.80), "heldout": (0.97, 0.63)}
# Lines 1-7487 (the whole sets before b51 and b52; b49, stored web pages of companies, law
# firms, press and blogs, and b50, public bodies' pages, lines 7199-7487, made like b47 and
# b48). Measured by the lead (2026-12-07, fourth session) with the code of round 25 (no round
# since changed the recogniser): development part 161 / 3 / 3 of 196 (right / wrong key /
# false), held-out part 77 / 1 / 0 of 86; the whole held-out set 0.963 / 0.836 (0.957 / 0.836
# scored strictly). Floors: those figures, rounded down, raised to round 28's figures where
# those are higher (2026-12-07, fourth session).
LINES_7487 = 7487
FLOORS_7487: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.92), "date": (0.95, 0.82), "art": (0.98, 0.95), "impl": (0.97, 0.83),
        "code": (0.97, 0.96), "eu": (0.99, 0.88), "name": (0.97, 0.78), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.98, 0.92), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.98, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.94, 0.77), "art": (0.95, 0.91), "impl": (0.98, 0.87),
        "code": (0.99, 0.92), "eu": (0.98, 0.80), "name": (0.98, 0.75), "std": (0.93, 0.81),
        "const": (1.00, 0.91), "dec": (0.92, 0.81), "delib": (0.95, 0.67), "id": (0.96, 0.87),
        "all": (0.96, 0.83),
    },
}  # fmt: skip
KEY_PIN_FLOORS_7487 = {"dev": (0.98, 0.79), "heldout": (0.97, 0.63)}
# Lines 1-7746 (b51, stored web pages of companies, law firms, press and blogs,
# and b52, public bodies' pages, lines 7488-7746, made like b49 and b50). Measured by the lead
# (2026-12-07, fourth session) with round 25's code and with round 28's, which never saw them: no
# change on them (development part 130 / 3 / 1 of 171, right / wrong key / false; held-out part
# 92 / 4 / 1 of 106); the whole held-out set 0.963 / 0.837 → 0.965 / 0.841. Floors: round 28's
# figures, rounded down.
LINES_7746 = 7746
FLOORS_7746: dict[str, dict[str, tuple[float, float]]] = {
    # (round 29 raised the development « code », « name » and « all » recall floors to its
    # figures, rounded down: 0.963, 0.793, 0.895)
    "dev": {
        "num": (0.99, 0.92), "date": (0.95, 0.83), "art": (0.98, 0.95), "impl": (0.97, 0.83),
        "code": (0.97, 0.96), "eu": (0.99, 0.87), "name": (0.97, 0.79), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.98, 0.91), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.98, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.94, 0.78), "art": (0.95, 0.91), "impl": (0.98, 0.88),
        "code": (0.99, 0.93), "eu": (0.98, 0.80), "name": (0.98, 0.76), "std": (0.93, 0.81),
        "const": (1.00, 0.91), "dec": (0.92, 0.81), "delib": (0.95, 0.67), "id": (0.96, 0.87),
        "all": (0.96, 0.84),
    },
}  # fmt: skip
KEY_PIN_FLOORS_7746 = {"dev": (0.98, 0.79), "heldout": (0.97, 0.63)}
# Lines 1-8013 (b53, stored web pages of companies, law firms, trade press and
# blogs, and b54, public bodies' pages, lines 7747-8013, made like b51 and b52). Measured by the
# lead (2026-12-07, fifth session) with round 28's code and with round 29's, which never saw them:
# held-out part 0.970 / 0.850 (113 references) both times, development part 0.986 / 0.718 →
# 0.987 / 0.738 (202). Floors: round 29's figures, rounded down (lines 1-7746 raised to round
# 29's too).
LINES_8013 = 8013
FLOORS_8013: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.92), "date": (0.95, 0.83), "art": (0.98, 0.95), "impl": (0.97, 0.83),
        "code": (0.97, 0.96), "eu": (0.99, 0.87), "name": (0.97, 0.80), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.98, 0.91), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.98, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.94, 0.78), "art": (0.95, 0.91), "impl": (0.98, 0.88),
        "code": (0.99, 0.93), "eu": (0.98, 0.81), "name": (0.98, 0.78), "std": (0.93, 0.82),
        "const": (0.96, 0.90), "dec": (0.92, 0.81), "delib": (0.95, 0.67), "id": (0.96, 0.87),
        "all": (0.96, 0.84),
    },
}  # fmt: skip
KEY_PIN_FLOORS_8013 = {"dev": (0.98, 0.78), "heldout": (0.97, 0.62)}
# Lines 1-8278 (b55, stored web pages of companies, law firms, trade press,
# associations and blogs, and b56, public bodies' pages, lines 8014-8278, made like b53 and b54).
# Measured by the lead (2026-12-07, sixth session) with round 29's code, which never saw them:
# development part 0.964 / 0.802 (167 references), held-out part 0.967 / 0.800 (110), and with
# round 30's, which never saw them either: the same on both parts. Floors: round 30's figures with
# them in, rounded down (lines 1-8013 raised to round 30's too).
LINES_8278 = 8278
FLOORS_8278: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.92), "date": (0.95, 0.83), "art": (0.98, 0.95), "impl": (0.97, 0.83),
        "code": (0.97, 0.95), "eu": (0.99, 0.87), "name": (0.97, 0.79), "std": (0.96, 0.90),
        "const": (0.96, 0.93), "dec": (0.98, 0.91), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.98, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.94, 0.77), "art": (0.95, 0.91), "impl": (0.98, 0.89),
        "code": (0.99, 0.92), "eu": (0.98, 0.81), "name": (0.98, 0.77), "std": (0.93, 0.82),
        "const": (0.96, 0.90), "dec": (0.92, 0.81), "delib": (0.95, 0.67), "id": (0.96, 0.87),
        "all": (0.96, 0.84),
    },
}  # fmt: skip
KEY_PIN_FLOORS_8278 = {"dev": (0.98, 0.78), "heldout": (0.97, 0.63)}
# The whole sets up to b58 (b57, stored web pages of companies, law firms, trade press,
# associations and blogs, and b58, public bodies' pages, lines 8279-8553, made like b55 and b56).
# Measured by the lead (2026-12-07, seventh session) with round 30's code, which never saw them:
# development part 0.97 / 0.805 (164 references), held-out part 0.92 / 0.706 (109); round 31's
# code gave the same on both and was not shipped. Floors: these figures with them in, rounded
# down, raised to round 32's where it rose (eighth session; 8 development bills unkeyed).
LINES_8553 = 8553
FLOORS_8553: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.92), "date": (0.95, 0.82), "art": (0.98, 0.95), "impl": (0.97, 0.83),
        "code": (0.97, 0.97), "eu": (0.99, 0.87), "name": (0.97, 0.80), "std": (0.96, 0.90),
        "const": (0.97, 0.93), "dec": (0.98, 0.91), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.98, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.93, 0.76), "art": (0.95, 0.91), "impl": (0.98, 0.89),
        "code": (0.98, 0.93), "eu": (0.98, 0.81), "name": (0.97, 0.76), "std": (0.93, 0.82),
        "const": (0.95, 0.90), "dec": (0.92, 0.80), "delib": (0.95, 0.67), "id": (0.96, 0.88),
        "all": (0.96, 0.84),
    },
}  # fmt: skip
KEY_PIN_FLOORS_8553 = {"dev": (0.98, 0.78), "heldout": (0.97, 0.61)}
# The whole sets (every line; b59, stored web pages of companies, law firms, trade press,
# associations and blogs, lines 8554-8679, and b60, public bodies' pages, lines 8680-8810, made
# like b57 and b58). Measured by the lead (2026-12-07, eighth session) with round 30's code and
# with round 32's, which never saw them: the same on both (b59 development 1.00 / 0.875, 72
# references, held out 0.92 / 0.800, 60; b60 development 0.98 / 0.924, 118, held out 1.00 /
# 0.886, 44). Floors: round 32's figures with them in, rounded down.
FLOORS: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {
        "num": (0.99, 0.92), "date": (0.94, 0.82), "art": (0.98, 0.95), "impl": (0.97, 0.83),
        "code": (0.97, 0.97), "eu": (0.99, 0.87), "name": (0.97, 0.80), "std": (0.96, 0.90),
        "const": (0.97, 0.93), "dec": (0.98, 0.91), "delib": (0.97, 0.95), "id": (0.99, 0.93),
        "all": (0.98, 0.89),
    },
    "heldout": {
        "num": (0.97, 0.87), "date": (0.94, 0.77), "art": (0.95, 0.91), "impl": (0.98, 0.89),
        "code": (0.98, 0.93), "eu": (0.98, 0.81), "name": (0.97, 0.76), "std": (0.92, 0.81),
        "const": (0.95, 0.90), "dec": (0.92, 0.80), "delib": (0.95, 0.67), "id": (0.96, 0.88),
        "all": (0.96, 0.84),
    },
}  # fmt: skip
KEY_PIN_FLOORS = {"dev": (0.98, 0.77), "heldout": (0.97, 0.61)}


# Each round's floors, on the lines it was measured on (None: every line, the whole sets).
ROUNDS: tuple[
    tuple[int | None, dict[str, dict[str, tuple[float, float]]], dict[str, tuple[float, float]]],
    ...,
] = (
    (None, FLOORS, KEY_PIN_FLOORS),
    (LINES_8553, FLOORS_8553, KEY_PIN_FLOORS_8553),
    (LINES_8278, FLOORS_8278, KEY_PIN_FLOORS_8278),
    (LINES_8013, FLOORS_8013, KEY_PIN_FLOORS_8013),
    (LINES_7746, FLOORS_7746, KEY_PIN_FLOORS_7746),
    (LINES_7487, FLOORS_7487, KEY_PIN_FLOORS_7487),
    (LINES_7198, FLOORS_7198, KEY_PIN_FLOORS_7198),
    (LINES_6946, FLOORS_6946, KEY_PIN_FLOORS_6946),
    (LINES_5780, FLOORS_5780, KEY_PIN_FLOORS_5780),
    (LINES_5475, FLOORS_5475, KEY_PIN_FLOORS_5475),
    (LINES_5085, FLOORS_5085, KEY_PIN_FLOORS_5085),
    (LINES_4679, FLOORS_4679, KEY_PIN_FLOORS_4679),
    (LINES_4296, FLOORS_4296, KEY_PIN_FLOORS_4296),
    (LINES_3775, FLOORS_3775, KEY_PIN_FLOORS_3775),
    (LINES_3272, FLOORS_3272, KEY_PIN_FLOORS_3272),
    (LINES_3038, FLOORS_3038, KEY_PIN_FLOORS_3038),
    (LINES_2787, FLOORS_2787, KEY_PIN_FLOORS_2787),
    (LINES_2618, FLOORS_2618, KEY_PIN_FLOORS_2618),
    (LINES_2383, FLOORS_2383, KEY_PIN_FLOORS_2383),
    (LINES_2113, FLOORS_2113, KEY_PIN_FLOORS_2113),
    (LINES_1818, FLOORS_1818, KEY_PIN_FLOORS_1818),
    (LINES_1557, FLOORS_1557, KEY_PIN_FLOORS_1557),
    (LINES_1323, FLOORS_1323, KEY_PIN_FLOORS_1323),
    (LINES_1150, FLOORS_1150, KEY_PIN_FLOORS_1150),
    (LINES_945, FLOORS_945, KEY_PIN_FLOORS_945),
    (LINES_772, FLOORS_772, KEY_PIN_FLOORS_772),
    (FIRST_LINES, FLOORS_FIRST, KEY_PIN_FLOORS_FIRST),
)
FLOOR_CASES = [(last, split) for last, floors, _ in ROUNDS for split in sorted(floors)]
KEY_PIN_CASES = [(last, split) for last, _, key_pins in ROUNDS for split in sorted(key_pins)]


@functools.cache
def _up_to(last_id: int | None, split: str) -> Result:
    """One set's results on its lines 1 to ``last_id`` (the batches up to a round; None: all),
    computed once per test session."""
    rows = load(split)
    if last_id is not None:
        rows = [r for r in rows if r["id"] <= last_id]
    return evaluate(rows, find_references)


def _lines(last_id: int | None) -> str:
    return "all" if last_id is None else f"1-{last_id}"


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
    # every category of the issue's table is represented in both sets
    for split in ("dev", "heldout"):
        categories = {ref["category"] for r in load(split) for ref in r["refs"]}
        assert categories == set(CATEGORIES), split
    # held-out documents are not development documents
    dev_sources = {r["source"] for r in load("dev")}
    assert not dev_sources & {r["source"] for r in load("heldout")}


@pytest.mark.parametrize(("last_id", "split"), FLOOR_CASES, ids=str)
def test_floors_per_category(last_id: int | None, split: str) -> None:
    floors = next(f for last, f, _ in ROUNDS if last == last_id)[split]
    failures = _failures(_up_to(last_id, split), floors, f"{split} {_lines(last_id)}")
    assert not failures, failures


@pytest.mark.parametrize(("last_id", "split"), KEY_PIN_CASES, ids=str)
def test_key_exactness_and_pinpoints(last_id: int | None, split: str) -> None:
    key_floor, pin_floor = next(k for last, _, k in ROUNDS if last == last_id)[split]
    total = _up_to(last_id, split).total
    assert total.key_exact is not None and total.key_exact >= key_floor
    assert total.pinpoint_kept is not None and total.pinpoint_kept >= pin_floor


def test_the_issue_s_targets_on_held_out_lines() -> None:
    # the issue's targets on text the recogniser was not tuned on: precision on the held-out
    # lines 1-3038 (0.972 after round 15, b27 included; with b28 the whole set is at 0.969, under
    # it, with every code of the session: its floors above) and on its lines 1-2618 (lines
    # 1-2787 are at 0.969 too), recall on lines 1-487 and 1-772 (0.918 on lines 1-945 after
    # round 6)
    for whole in (LINES_3038, LINES_2618):
        total = _up_to(whole, "heldout").total
        assert total.precision is not None and total.precision >= 0.97
    for part in (FIRST_LINES, LINES_772):
        counts = _up_to(part, "heldout").total
        assert counts.precision is not None and counts.precision >= 0.97
        assert counts.recall is not None and counts.recall >= 0.92


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


def test_quality_dev_only_never_shows_the_held_out_set(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.quality import main

    # b19's development lines: a fixed range, whatever batches come after it
    argv = ["--only", "refs", "--dev-only", "--errors", "dev"]
    argv += ["--from-id", "946", "--to-id", "1150"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "dev 127 lines" in out and "### Errors on dev" in out
    assert "heldout" not in out
    with pytest.raises(SystemExit):
        main(["--only", "refs", "--dev-only", "--errors", "heldout"])


def test_a_found_pinpoint_goes_to_the_gold_reference_with_that_pin() -> None:
    """An article list labelled one gold reference per article (each with its pin, one span)
    is matched article by article, as a list labelled with all its pins on one reference is."""
    from benchmarks.quality_refs import Found, score_line

    text = "articles 31, 32 et 36 de cette loi"
    gold = [
        {"start": 0, "end": len(text), "text": text, "key": "fr:loi:78-17", "pins": [pin],
         "category": "num"}
        for pin in ("art-31", "art-32", "art-36")
    ]  # fmt: skip
    found = [Found(0, len(text), "fr:loi:78-17", "fr_text", text, pin)
             for pin in ("art-31", "art-32", "art-36")]  # fmt: skip
    result = Result()
    score_line({"id": 1, "text": text, "refs": gold}, found, result)
    total = result.total
    assert (total.strict, total.pin_kept, total.false_pos) == (3, 3, 0), result.errors
    one = [{**gold[0], "pins": ["art-31", "art-32", "art-36"]}]
    result = Result()
    score_line({"id": 1, "text": text, "refs": one}, found, result)
    assert (result.total.strict, result.total.pin_kept) == (1, 1), result.errors


def test_a_code_beside_its_own_articles_is_optional() -> None:
    """« Code de la consommation : articles L217-3 à L217-20 »: the labelled lines disagree on
    whether the code counts apart from its articles, so it is optional. Found without a label,
    it is no false positive; labelled and not found, it is not missed; labelled and found, it
    is right. Strictly scored, it counts as before. A code whose articles the line does not
    label stays a reference like any other."""
    from benchmarks.quality_refs import Found, score_line

    text = "Code de la consommation : articles L217-3 à L217-20"
    art = {"start": 26, "end": 40, "text": "articles L217-3", "key": "fr:code:consommation:L217-3",
           "pins": [], "category": "art"}  # fmt: skip
    code = {"start": 0, "end": 23, "text": "Code de la consommation",
            "key": "fr:code:consommation", "pins": [], "category": "code"}  # fmt: skip
    found_art = Found(26, 40, art["key"], "code_article", art["text"], "")
    found_code = Found(0, 23, code["key"], "code", code["text"], "")

    def score(golds: list[dict], found: list[Found], strict: bool = False) -> tuple[int, ...]:
        result = Result()
        score_line({"id": 1, "text": text, "refs": golds}, found, result, strict_codes=strict)
        t = result.total
        return (t.gold, t.strict, t.false_pos)

    assert score([art], [found_art, found_code]) == (1, 1, 0)
    assert score([art, code], [found_art]) == (1, 1, 0)
    assert score([art, code], [found_art, found_code]) == (2, 2, 0)
    assert score([art], [found_art, found_code], strict=True) == (1, 1, 1)
    assert score([art, code], [found_art], strict=True) == (2, 1, 0)
    other = {**art, "key": "fr:code:civil:1641"}
    assert score([other], [Found(26, 40, other["key"], "code_article", art["text"], ""),
                           found_code]) == (1, 1, 1)  # fmt: skip


def test_by_document_counts_each_text_once_per_document_and_leaves_contexts_out() -> None:
    """The per-document view: a loi mentioned by number and again by « cette loi » is one key of
    its document, found once is found; a key found only in a line's context is not counted."""
    from types import SimpleNamespace

    from benchmarks.quality_refs import by_document

    def find(text: str) -> list[SimpleNamespace]:
        found = []
        for key, word in (("fr:loi:2014-344", "loi n° 2014-344"), ("fr:code:civil", "code civil")):
            at = text.find(word)
            if at >= 0:
                found.append(SimpleNamespace(start=at, end=at + len(word), key=key, kind="x",
                                             text=word, pinpoint=""))  # fmt: skip
        return found

    loi = {"key": "fr:loi:2014-344", "pins": [], "category": "num", "start": 0, "end": 1}
    rows = [
        {"id": 1, "source": "a", "text": "La loi n° 2014-344 protège.", "refs": [loi]},
        {"id": 2, "source": "a", "text": "Cette loi entre en vigueur.", "refs": [loi]},
        {"id": 3, "source": "b", "text": "Rien ici.", "context": "Le code civil dit.", "refs": []},
        {"id": 4, "source": "c", "text": "Selon le code civil.", "refs": [loi]},
    ]
    counts = by_document(rows, find)
    assert (counts.documents, counts.gold, counts.found, counts.right) == (3, 2, 2, 1)
    assert (counts.precision, counts.recall) == (0.5, 0.5)
