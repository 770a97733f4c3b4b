"""Fine-tune ``fr_core_news_md``'s NER on the news development parts (issue 18, round 16).

The plan, the folds and the decision rule are pre-registered in
``tests/data/entities/README.md`` ("Round 16"). This script reads **development parts only**:
the eight news sets' ``news*_dev`` paragraphs and, for rehearsal, ``wikineural_fr_dev2.txt``;
``wikineural_fr.txt`` is scored, never trained on. It refuses any held-out split.

    python -m benchmarks.train_ner cv                       # the four folds, every variant
    python -m benchmarks.train_ner final --epochs N --out DIR   # all development parts

Training resumes md's ``ner`` (its own tok2vec with md's static vectors; labels kept) with
``nlp.update``, seeded; only the ``ner`` component is saved (``Pipe.to_disk``), to be loaded
over md's with ``nlp.get_pipe("ner").from_disk(DIR)``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.quality_entities import (
    Counts,
    Sentence,
    load_sentences,
    raw_pairs,
    score,
    watcher_pairs,
)
from watcher.understand.nlp import DEFAULT_MODEL, _components_to_exclude

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

FOLDS: tuple[tuple[str, str], ...] = (
    ("news", "news7"),
    ("news2", "news8"),
    ("news3", "news6"),
    ("news4", "news5"),
)
NEWS = tuple(sorted({name for fold in FOLDS for name in fold}))
REHEARSAL = "dev2"  # wikineural_fr_dev2.txt: trained on (rehearsal)
CHECK = "dev"  # wikineural_fr.txt: never trained on, the forgetting check
EPOCHS = (3, 6, 10)  # the pre-registered variants (checkpoints of one run)
SEED = 0
DROPOUT = 0.2
BATCH = 8


def development(split: str) -> tuple[Sentence, ...]:
    if "heldout" in split:
        raise ValueError(f"{split} is held out: not read here")
    return load_sentences(split)


def news_dev(names: Iterable[str]) -> list[Sentence]:
    return [s for name in names for s in development(f"{name}_dev")]


def base_pipeline() -> Language:
    """md with only its ``ner``, as :func:`watcher.understand.nlp.load_pipeline` loads it (a
    fresh copy: training changes it)."""
    import spacy

    return spacy.load(DEFAULT_MODEL, exclude=_components_to_exclude(DEFAULT_MODEL, ("ner",)))


def examples(nlp: Language, sentences: Sequence[Sentence]) -> tuple[list[Example], list[str]]:
    """Gold spans -> token spans. A span off token edges, or overlapping another, is reported
    and its tokens marked missing (neither entity nor outside)."""
    from spacy.training import Example

    out: list[Example] = []
    problems: list[str] = []
    for sentence in sentences:
        doc = nlp.make_doc(sentence.text)
        ents, missing, taken = [], [], set[int]()
        for start, end, label in sentence.spans:
            span = doc.char_span(start, end, label=label)
            loose = doc.char_span(start, end, alignment_mode="expand")
            tokens = set(range(loose.start, loose.end)) if loose is not None else set()
            if span is None or tokens & taken:
                problems.append(f"{label} {sentence.text[start:end]!r} in {sentence.text[:50]!r}")
                if loose is not None:
                    missing.append(loose)
                continue
            taken |= tokens
            ents.append(span)
        holes = sorted({i for m in missing for i in range(m.start, m.end)} - taken)
        runs: list[list[int]] = []
        for i in holes:  # one missing span per run of consecutive tokens
            if runs and runs[-1][1] == i:
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1])
        doc.set_ents(ents, missing=[doc[a:b] for a, b in runs], default="outside")
        out.append(Example(nlp.make_doc(sentence.text), doc))
    return out, problems


def evaluate(nlp: Language, sentences: Sequence[Sentence]) -> dict[str, dict[str, Counts]]:
    docs = list(nlp.pipe(s.text for s in sentences))
    golds = [s.gold for s in sentences]
    return {
        "watcher": score(golds, (watcher_pairs(d) for d in docs)),
        "raw": score(golds, (raw_pairs(d) for d in docs)),
    }


def figures(results: dict[str, dict[str, Counts]]) -> dict[str, dict[str, float]]:
    return {
        system: {label: round(c.f1, 4) for label, c in counts.items()}
        for system, counts in results.items()
    }


def train(
    train_set: Sequence[Sentence],
    checkpoints: Sequence[int],
    on_checkpoint: Callable[[int, Language], None] | None = None,
    log: Callable[[str], object] = print,
) -> Language:
    """Resume md's ``ner`` on ``train_set``; call ``on_checkpoint(epoch, nlp)`` after each
    epoch listed in ``checkpoints``."""
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(SEED)
    rng = random.Random(SEED)
    nlp = base_pipeline()
    data, problems = examples(nlp, train_set)
    log(f"  {len(data)} examples, {len(problems)} spans skipped (off token edges or overlapping)")
    optimizer = nlp.resume_training()
    for epoch in range(1, max(checkpoints) + 1):
        rng.shuffle(data)
        losses: dict[str, float] = {}
        started = time.process_time()
        for batch in minibatch(data, size=BATCH):
            nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
        seconds = time.process_time() - started
        log(f"  epoch {epoch}: loss {losses.get('ner', 0):.1f}, {seconds:.0f} s CPU")
        if epoch in checkpoints and on_checkpoint is not None:
            on_checkpoint(epoch, nlp)
    return nlp


def cross_validate(out: Path) -> dict[str, object]:
    check = development(CHECK)
    rehearsal = list(development(REHEARSAL))
    base = base_pipeline()
    results: dict[str, object] = {"folds": {}}
    for fold in FOLDS:
        name = "+".join(fold)
        print(f"fold {name}", flush=True)
        test = news_dev(fold)
        train_set = news_dev(n for n in NEWS if n not in fold) + rehearsal
        row: dict[str, object] = {
            "baseline": {
                "news": figures(evaluate(base, test)),
                "check": figures(evaluate(base, check)),
            }
        }

        def checkpoint(
            epoch: int,
            nlp: Language,
            row: dict[str, object] = row,
            test: Sequence[Sentence] = test,
        ) -> None:
            row[f"epochs_{epoch}"] = {
                "news": figures(evaluate(nlp, test)),
                "check": figures(evaluate(nlp, check)),
            }
            print(f"    {epoch} epochs: {json.dumps(row[f'epochs_{epoch}'])}", flush=True)

        print(f"    baseline: {json.dumps(row['baseline'])}", flush=True)
        train(train_set, EPOCHS, checkpoint)
        results["folds"][name] = row  # type: ignore[index]
        out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


def summary(results: dict[str, object]) -> None:
    folds = results["folds"]
    assert isinstance(folds, dict)
    print("fold | baseline ALL / ORG | " + " | ".join(f"{e} epochs" for e in EPOCHS))
    means: dict[int, list[list[float]]] = {e: [] for e in EPOCHS}
    for name, row in folds.items():
        b = row["baseline"]
        cells = [f"{b['news']['watcher']['ALL']:.3f} / {b['news']['watcher']['ORG']:.3f}"]
        for e in EPOCHS:
            r = row.get(f"epochs_{e}")
            if r is None:
                cells.append("-")
                continue
            d_all = r["news"]["watcher"]["ALL"] - b["news"]["watcher"]["ALL"]
            d_org = r["news"]["watcher"]["ORG"] - b["news"]["watcher"]["ORG"]
            d_chk = r["check"]["watcher"]["ALL"] - b["check"]["watcher"]["ALL"]
            means[e].append([d_all, d_org, d_chk])
            cells.append(
                f"{r['news']['watcher']['ALL']:.3f} / {r['news']['watcher']['ORG']:.3f}"
                f" ({d_all:+.3f} / {d_org:+.3f}; check {d_chk:+.3f})"
            )
        print(f"{name} | " + " | ".join(cells))
    for e, rows in means.items():
        if not rows:
            continue
        mean = [sum(col) / len(rows) for col in zip(*rows, strict=True)]
        worst = min(r[0] for r in rows)
        passed = mean[0] >= 0.015 and mean[1] >= 0 and worst >= -0.01 and mean[2] >= -0.01
        print(
            f"{e} epochs: mean ALL {mean[0]:+.4f}, ORG {mean[1]:+.4f}, check {mean[2]:+.4f},"
            f" worst fold {worst:+.4f} -> rule {'passes' if passed else 'fails'}"
        )


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.train_ner")
    sub = parser.add_subparsers(dest="command", required=True)
    cv = sub.add_parser("cv")
    cv.add_argument("--json", type=Path, default=Path("train_ner_cv.json"))
    sm = sub.add_parser("summary")
    sm.add_argument("--json", type=Path, default=Path("train_ner_cv.json"))
    final = sub.add_parser("final")
    final.add_argument("--epochs", type=int, required=True)
    final.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "cv":
        summary(cross_validate(args.json))
    elif args.command == "summary":
        summary(json.loads(args.json.read_text(encoding="utf-8")))
    else:
        train_set = news_dev(NEWS) + list(development(REHEARSAL))
        nlp = train(train_set, (args.epochs,))
        from spacy.pipeline import EntityRecognizer

        ner = nlp.get_pipe("ner")
        assert isinstance(ner, EntityRecognizer)
        ner.to_disk(args.out)
        print(f"saved {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
