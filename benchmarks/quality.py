"""Quality of Watcher's understanding on real text nobody here wrote (issue 18).

    .venv/bin/python -m benchmarks.quality                 # every section available
    .venv/bin/python -m benchmarks.quality --only refs     # one section
    .venv/bin/python -m benchmarks.quality --only refs --errors dev   # and the misses on dev
    .venv/bin/python -m benchmarks.quality --only refs --dev-only --errors dev --from-id 946
        # tuning: the development set alone (lines from id 946 on), never the held-out set
    .venv/bin/python -m benchmarks.quality --only refs --dev-only --from-id 946 --to-id 1150
        # one batch (b19)

Sections: legal and normative references (``benchmarks.quality_refs``: per category, on the
development set and on the held-out set), and, when their modules are present, PESTEL topics
(``benchmarks.quality_topics``) and entities (``benchmarks.quality_entities``), each printed by
its module's ``print_report()``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from benchmarks import quality_refs

OPTIONAL_SECTIONS = ("topics", "entities")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__)
    parser.add_argument(
        "--only", choices=("refs", *OPTIONAL_SECTIONS), help="print one section only"
    )
    parser.add_argument(
        "--errors",
        choices=quality_refs.SPLITS,
        help="also list the references' misses and false positives on this set",
    )
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="measure the references on the development set alone (for tuning)",
    )
    parser.add_argument(
        "--from-id",
        type=int,
        default=0,
        help="measure the references on the lines from this id on (one batch)",
    )
    parser.add_argument(
        "--to-id",
        type=int,
        default=None,
        help="measure the references on the lines up to this id (one batch)",
    )
    args = parser.parse_args(argv)
    splits = ("dev",) if args.dev_only else quality_refs.SPLITS
    if args.errors and args.errors not in splits:
        parser.error(f"--errors {args.errors} with --dev-only: that set is not measured")
    if args.only in (None, "refs"):
        quality_refs.print_report(args.errors, splits, args.from_id, args.to_id)
    for name in OPTIONAL_SECTIONS:
        if args.only not in (None, name):
            continue
        try:
            module = importlib.import_module(f"benchmarks.quality_{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"benchmarks.quality_{name}":
                raise  # the module exists but something it imports is missing
            print(f"\n(benchmarks.quality_{name} is not available here: section skipped)")
            continue
        print()
        module.print_report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
