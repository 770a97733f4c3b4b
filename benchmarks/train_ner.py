"""Fine-tune ``fr_core_news_md``'s NER on the news development parts (issue 18, round 16).

The plan, the folds and the decision rule are pre-registered in
``tests/data/entities/README.md`` ("Round 16"). This script reads **development parts only**:
the eight news sets' ``news*_dev`` paragraphs and, for rehearsal, ``wikineural_fr_dev2.txt``;
``wikineural_fr.txt`` is scored, never trained on. It refuses any held-out split.

    python -m benchmarks.train_ner cv                       # round 16: four folds, three variants
    python -m benchmarks.train_ner final --epochs N --out DIR   # all development parts
    python -m benchmarks.train_ner cv17                     # round 17: V1, V2, V3 on the folds
    python -m benchmarks.train_ner final --epochs 10 --silver --out DIR   # V1's training
    python -m benchmarks.train_ner cv18                     # round 18: V4, V5, V6 on the folds

Round 17 (pre-registered in the same README) adds pseudo-rehearsal (V1: unlabelled development
text annotated with raw md's own entities, :func:`silver_pool`) and the union of md's entities
with the fine-tuned model's that overlap none of them (V2, V3: :func:`union`). Round 18 puts
the fine-tuned model's entities first and md's that overlap none of them after (V4 with round
16's model, V5 with V1's), or md's well-known names first of all (V6): :func:`first_come`.

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
from functools import cache
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
from benchmarks.quality_topics import split_of
from watcher.understand.nlp import DEFAULT_MODEL, _components_to_exclude, detect_language

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
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
ROOT = Path(__file__).resolve().parent.parent
TOPICS = ROOT / "tests" / "data" / "topics"
REFS_DEV = ROOT / "tests" / "data" / "refs" / "real_dev.jsonl"
EPOCHS_17 = 10  # round 17: every variant trains 10 epochs
SILVER_RATIO = 1  # round 17, V1: silver units per training news development paragraph
SILVER_MIN_CHARS = 80


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


@cache
def silver_pool() -> tuple[str, ...]:
    """Round 17's unlabelled development text, shuffled (seed 0): the non-empty lines of the
    development-side entries of ``tests/data/topics/*.yml`` (``split_of`` on the url) and the
    texts of ``tests/data/refs/real_dev.jsonl``; at least 80 characters, French, no duplicate,
    and none containing or contained in a development paragraph of the eight news sets."""
    import yaml

    candidates: list[str] = []
    for path in sorted(TOPICS.glob("*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["paragraphs"]:
            if split_of(entry["url"]) == "dev":
                candidates += (line.strip() for line in entry["text"].splitlines())
    for line in REFS_DEV.read_text(encoding="utf-8").splitlines():
        if line.strip():
            candidates.append(json.loads(line)["text"].strip())
    labelled = [s.text for s in news_dev(NEWS)]
    seen: set[str] = set()
    pool: list[str] = []
    for text in candidates:
        if len(text) < SILVER_MIN_CHARS or text in seen or detect_language(text) != "fr":
            continue
        seen.add(text)
        if any(text in p or p in text for p in labelled):
            continue
        pool.append(text)
    random.Random(SEED).shuffle(pool)
    return tuple(pool)


def silver(nlp: Language, texts: Sequence[str]) -> list[Sentence]:
    """``texts`` annotated with ``nlp``'s own entities (raw md: what it says today)."""
    out = []
    for doc in nlp.pipe(texts):
        spans = tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
        out.append(
            Sentence(doc.text, frozenset((doc.text[a:b], lab) for a, b, lab in spans), spans)
        )
    return out


def union(md: Doc, tuned: Doc) -> Doc:
    """md's entities first, then ``tuned``'s that overlap none of them, on a copy of ``md``."""
    doc = md.copy()
    ents = list(doc.ents)
    for e in tuned.ents:
        if any(e.start_char < m.end_char and m.start_char < e.end_char for m in md.ents):
            continue
        span = doc.char_span(e.start_char, e.end_char, label=e.label_)
        if span is not None:
            ents.append(span)
    doc.ents = sorted(ents, key=lambda span: span.start)
    return doc


def first_come(doc: Doc, *groups: Iterable[Span]) -> Doc:
    """A copy of ``doc`` whose entities are those of ``groups`` taken in order, each kept when
    it overlaps none already kept (the groups' docs share ``doc``'s tokens)."""
    out = doc.copy()
    kept: list[Span] = []
    for group in groups:
        for e in group:
            if any(e.start_char < k.end_char and k.start_char < e.end_char for k in kept):
                continue
            span = out.char_span(e.start_char, e.end_char, label=e.label_)
            if span is not None:
                kept.append(span)
    out.ents = sorted(kept, key=lambda span: span.start)
    return out


def tuned_first(md: Doc, tuned: Doc) -> Doc:
    """Round 18, V4 and V5: the fine-tuned model's entities, then md's overlapping none."""
    return first_come(md, tuned.ents, md.ents)


def known_first(md: Doc, tuned: Doc) -> Doc:
    """Round 18, V6: md's entities whose whole text is a name of Watcher's lists, then the
    fine-tuned model's overlapping none of those, then md's other entities."""
    from watcher.understand.known_names import known_names, name_key

    labels = known_names().labels
    known = [e for e in md.ents if name_key(e.text) in labels]
    return first_come(md, known, tuned.ents, md.ents)


def evaluate(nlp: Language, sentences: Sequence[Sentence]) -> dict[str, dict[str, Counts]]:
    return evaluate_docs(list(nlp.pipe(s.text for s in sentences)), sentences)


def evaluate_docs(
    docs: Sequence[Doc], sentences: Sequence[Sentence]
) -> dict[str, dict[str, Counts]]:
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


def silver_for(count: int) -> list[Sentence]:
    """The first ``count`` units of the pool, annotated by raw md."""
    pool = silver_pool()
    if count > len(pool):
        raise ValueError(f"{count} silver units asked, the pool has {len(pool)}")
    return silver(base_pipeline(), pool[:count])


VARIANTS_17 = ("round16", "V1", "V2", "V3")  # round16: round 16's 10 epochs, for the record


def cross_validate_17(out: Path) -> dict[str, object]:
    """Round 17: per fold, round 16's model and V1's (10 epochs each); V2 and V3 are their
    unions with md's entities."""
    check = development(CHECK)
    rehearsal = list(development(REHEARSAL))
    base = base_pipeline()
    print(f"silver pool: {len(silver_pool())} units", flush=True)
    results: dict[str, object] = {"pool": len(silver_pool()), "folds": {}}
    for fold in FOLDS:
        name = "+".join(fold)
        print(f"fold {name}", flush=True)
        test = news_dev(fold)
        news = news_dev(n for n in NEWS if n not in fold)
        md_docs = {"news": list(base.pipe(s.text for s in test))}
        md_docs["check"] = list(base.pipe(s.text for s in check))
        sets = {"news": test, "check": check}
        row: dict[str, object] = {
            "silver": SILVER_RATIO * len(news),
            "baseline": {k: figures(evaluate_docs(md_docs[k], v)) for k, v in sets.items()},
        }
        print(f"    baseline: {json.dumps(row['baseline'])}", flush=True)
        trainings = (
            ("round16", "V2", news + rehearsal),
            ("V1", "V3", news + rehearsal + silver_for(SILVER_RATIO * len(news))),
        )
        for alone, joined, train_set in trainings:
            nlp = train(train_set, (EPOCHS_17,))
            tuned = {k: list(nlp.pipe(s.text for s in v)) for k, v in sets.items()}
            row[alone] = {k: figures(evaluate_docs(tuned[k], v)) for k, v in sets.items()}
            row[joined] = {
                k: figures(
                    evaluate_docs(
                        [union(m, t) for m, t in zip(md_docs[k], tuned[k], strict=True)], v
                    )
                )
                for k, v in sets.items()
            }
            for variant in (alone, joined):
                print(f"    {variant}: {json.dumps(row[variant])}", flush=True)
        results["folds"][name] = row  # type: ignore[index]
        out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


def summary_17(results: dict[str, object], variants: Sequence[str] = VARIANTS_17) -> None:
    folds = results["folds"]
    assert isinstance(folds, dict)
    for system in ("watcher", "raw"):
        print(f"{system}: fold | md ALL / ORG, check | " + " | ".join(variants))
        gains: dict[str, list[list[float]]] = {v: [] for v in variants}
        for name, row in folds.items():
            b = row["baseline"]
            cells = [
                f"{b['news'][system]['ALL']:.3f} / {b['news'][system]['ORG']:.3f},"
                f" {b['check'][system]['ALL']:.3f}"
            ]
            for v in variants:
                r = row[v]
                d = [
                    r["news"][system]["ALL"] - b["news"][system]["ALL"],
                    r["news"][system]["ORG"] - b["news"][system]["ORG"],
                    r["check"][system]["ALL"] - b["check"][system]["ALL"],
                ]
                gains[v].append(d)
                cells.append(
                    f"{r['news'][system]['ALL']:.3f} / {r['news'][system]['ORG']:.3f},"
                    f" {r['check'][system]['ALL']:.3f}"
                )
            print(f"{name} | " + " | ".join(cells))
        for v, rows in gains.items():
            mean = [sum(col) / len(rows) for col in zip(*rows, strict=True)]
            worst = min(r[0] for r in rows)
            passed = mean[0] >= 0.015 and mean[1] >= 0 and worst >= -0.01 and mean[2] >= -0.01
            verdict = f" -> rule {'passes' if passed else 'fails'}" if system == "watcher" else ""
            print(
                f"  {v}: mean gain ALL {mean[0]:+.4f}, ORG {mean[1]:+.4f}, check {mean[2]:+.4f},"
                f" worst fold {worst:+.4f}{verdict}"
            )


VARIANTS_18 = ("round16", "V1", "V4", "V5", "V6")  # round16, V1: the models alone


def cross_validate_18(out: Path) -> dict[str, object]:
    """Round 18: per fold, round 16's model and V1's (10 epochs each), alone (for the record)
    and merged with md's entities: V4 and V6 with round 16's, V5 with V1's."""
    check = development(CHECK)
    rehearsal = list(development(REHEARSAL))
    base = base_pipeline()
    print(f"silver pool: {len(silver_pool())} units", flush=True)
    results: dict[str, object] = {"pool": len(silver_pool()), "folds": {}}
    for fold in FOLDS:
        name = "+".join(fold)
        print(f"fold {name}", flush=True)
        test = news_dev(fold)
        news = news_dev(n for n in NEWS if n not in fold)
        sets = {"news": test, "check": check}
        md_docs = {k: list(base.pipe(s.text for s in v)) for k, v in sets.items()}
        row: dict[str, object] = {
            "silver": SILVER_RATIO * len(news),
            "baseline": {k: figures(evaluate_docs(md_docs[k], v)) for k, v in sets.items()},
        }
        print(f"    baseline: {json.dumps(row['baseline'])}", flush=True)
        merges: dict[str, Callable[[Doc, Doc], Doc]] = {"V4": tuned_first, "V6": known_first}
        trainings = (
            ("round16", merges, news + rehearsal),
            ("V1", {"V5": tuned_first}, news + rehearsal + silver_for(SILVER_RATIO * len(news))),
        )
        for alone, merged, train_set in trainings:
            nlp = train(train_set, (EPOCHS_17,))
            tuned = {k: list(nlp.pipe(s.text for s in v)) for k, v in sets.items()}
            row[alone] = {k: figures(evaluate_docs(tuned[k], v)) for k, v in sets.items()}
            for variant, merge in merged.items():
                row[variant] = {
                    k: figures(
                        evaluate_docs(
                            [merge(m, t) for m, t in zip(md_docs[k], tuned[k], strict=True)], v
                        )
                    )
                    for k, v in sets.items()
                }
            for variant in (alone, *merged):
                print(f"    {variant}: {json.dumps(row[variant])}", flush=True)
        results["folds"][name] = row  # type: ignore[index]
        out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


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
    final.add_argument("--silver", action="store_true", help="round 17's V1: 1x silver units")
    cv17 = sub.add_parser("cv17")
    cv17.add_argument("--json", type=Path, default=Path("train_ner_cv17.json"))
    sm17 = sub.add_parser("summary17")
    sm17.add_argument("--json", type=Path, default=Path("train_ner_cv17.json"))
    cv18 = sub.add_parser("cv18")
    cv18.add_argument("--json", type=Path, default=Path("train_ner_cv18.json"))
    sm18 = sub.add_parser("summary18")
    sm18.add_argument("--json", type=Path, default=Path("train_ner_cv18.json"))
    args = parser.parse_args(argv)
    if args.command == "cv":
        summary(cross_validate(args.json))
    elif args.command == "summary":
        summary(json.loads(args.json.read_text(encoding="utf-8")))
    elif args.command == "cv17":
        summary_17(cross_validate_17(args.json))
    elif args.command == "summary17":
        summary_17(json.loads(args.json.read_text(encoding="utf-8")))
    elif args.command == "cv18":
        summary_17(cross_validate_18(args.json), VARIANTS_18)
    elif args.command == "summary18":
        summary_17(json.loads(args.json.read_text(encoding="utf-8")), VARIANTS_18)
    else:
        news = news_dev(NEWS)
        train_set = news + list(development(REHEARSAL))
        if args.silver:
            train_set += silver_for(SILVER_RATIO * len(news))
        nlp = train(train_set, (args.epochs,))
        from spacy.pipeline import EntityRecognizer

        ner = nlp.get_pipe("ner")
        assert isinstance(ner, EntityRecognizer)
        ner.to_disk(args.out)
        print(f"saved {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
