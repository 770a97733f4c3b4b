"""Quality floors of PESTEL topics and of the starter watch's axes on 234 real French news
paragraphs (tests/data/topics/news_fr.yml, split by source domain before any tuning), on the later
batches chosen by subject (news_fr_batch3.yml, news_fr_batch4.yml, news_fr_batch5.yml: paragraphs
and whole articles, scored apart) and on all of them pooled. Floors may only rise: raise them when
the taxonomy or the matching gets better."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from benchmarks.quality_topics import (
    BATCH3,
    BATCH4,
    BATCH5,
    BATCH6,
    BATCH7,
    BATCH8,
    BATCH9,
    BATCH10,
    BATCH11,
    BATCH12,
    BATCH13,
    BATCH14,
    BATCH15,
    BATCH16,
    BATCH17,
    BATCH18,
    BATCH19,
    DATA,
    EARLIER,
    EXTRA_BATCHES,
    WHOLE_ARTICLES,
    Report,
    Scores,
    articles_of,
    domain_of,
    evaluate,
    load_paragraphs,
    paragraphs_of,
    pooled,
    split_of,
)
from watcher.taxonomy import load_taxonomy

FLOORS = {
    "dev": {"topic_precision": 0.98, "topic_coverage": 1.0, "axis_precision": 0.98,
            "axis_coverage": 1.0},
    # held-out coverage was 0.93 before topics needed more than a common word said once in
    # passing (issue 18: precision 0.83 -> 0.89 held out, coverage 0.93 -> 0.86 on the first
    # 200 paragraphs; a common word alone is right about half the time on dev, see the README)
    # held-out axis precision was 0.96 (27 of 28) when the starter's axes were keywords only and
    # covered 37 % of the paragraphs; tied to the PESTEL topics (axes[].topics) they cover 66 of 71
    # at 0.956 (86 of 90), and on every held-out paragraph pooled precision rose 0.83 -> 0.90
    # with coverage 0.35 -> 0.93 (POOLED_FLOORS): the one floor set lower, for that trade
    "heldout": {"topic_precision": 0.89, "topic_coverage": 0.88, "axis_precision": 0.95,
                "axis_coverage": 0.92},
}  # fmt: skip
# Precision per PESTEL dimension (labels assigned in that dimension that are right).
DIMENSION_FLOORS = {
    "dev": {"economique": 0.9, "legal": 1.0, "social": 1.0, "environnemental": 1.0,
            "politique": 1.0, "technologique": 1.0},
    # held out, economique was 0.93 (27 of 29), then 0.91 (21 of 23: fewer right labels, not
    # more wrong ones), 0.917 (22 of 24) on the 234 paragraphs, 0.92 (23 of 25) in the fifth round
    "heldout": {"economique": 0.92, "legal": 0.93, "social": 0.83, "environnemental": 0.92,
                "politique": 1.0, "technologique": 0.9},
}  # fmt: skip
# The later batches, each labelled before the classifier saw it and scored apart (see the
# README): the fifth round tuned the taxonomy on the development paragraphs of batches 3 and 4,
# the sixth on those of batches 3 to 5. Their paragraphs here, batch 5's articles below.
BATCH_FLOORS = {
    BATCH3.name: {
        "dev": {"topic_precision": 0.82, "topic_coverage": 0.96},
        "heldout": {"topic_precision": 0.85, "topic_coverage": 1.0},
    },
    BATCH4.name: {
        "dev": {"topic_precision": 0.83, "topic_coverage": 0.97},
        "heldout": {"topic_precision": 0.79, "topic_coverage": 0.91},
    },
    BATCH5.name: {
        "dev": {"topic_precision": 0.75, "topic_coverage": 0.85},
        "heldout": {"topic_precision": 0.88, "topic_coverage": 0.82},
    },
}
# Batch 5's whole articles (ids "article-…", about 300 words each).
# topic_sensible_precision: main or acceptable subjects, measured once when the acceptable labels
# were written (the README's "Eighth round, sensible labels")
ARTICLE_FLOORS = {
    "dev": {"topic_precision": 0.92, "topic_sensible_precision": 0.96, "topic_coverage": 0.95},
    "heldout": {"topic_precision": 0.73, "topic_sensible_precision": 0.78,
                "topic_coverage": 0.92},
}  # fmt: skip
# Every paragraph of the files the fifth round tuned on, pooled: the held-out figure was the most
# honest single one before batch 5.
POOLED_FLOORS = {
    "dev": {"topic_precision": 0.91, "topic_coverage": 0.98, "axis_precision": 0.94,
            "axis_coverage": 0.98},
    "heldout": {"topic_precision": 0.85, "topic_coverage": 0.90, "axis_precision": 0.90,
                "axis_coverage": 0.93},
}  # fmt: skip
# Every entry pooled, batch 5 with its articles too.
POOLED_ALL_FLOORS = {
    "dev": {"topic_precision": 0.87, "topic_coverage": 0.95, "axis_precision": 0.92,
            "axis_coverage": 0.96},
    "heldout": {"topic_precision": 0.85, "topic_coverage": 0.88, "axis_precision": 0.89,
                "axis_coverage": 0.92},
}  # fmt: skip


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate()


def test_the_set_is_real_labelled_and_split_by_site() -> None:
    paragraphs = load_paragraphs()
    assert len(paragraphs) >= 200
    assert len({p.id for p in paragraphs}) == len(paragraphs)
    assert all(p.url.startswith(("http://", "https://")) for p in paragraphs)
    splits = Counter(p.split for p in paragraphs)
    assert splits["heldout"] >= 60 and splits["dev"] >= 120
    # no site is on both sides
    sites = {p.split: set() for p in paragraphs}
    for p in paragraphs:
        sites[p.split].add(p.url.split("/")[2])
    assert not {split_of(f"https://{s}") for s in sites["heldout"]} & {"dev"}


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_topic_and_axis_floors(report: Report, split: str) -> None:
    got = _figures(report, split)
    for key, floor in FLOORS[split].items():
        assert got[key] >= floor, (split, key, round(got[key], 3), report.topics[split].wrong)


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_precision_floor_per_pestel_dimension(report: Report, split: str) -> None:
    for dimension, floor in DIMENSION_FLOORS[split].items():
        assigned, right, _gold = report.dimensions[split][dimension]
        assert assigned and right / assigned >= floor, (split, dimension, right, assigned)


@pytest.mark.parametrize("path", EXTRA_BATCHES, ids=lambda path: path.name)
def test_later_batches_are_real_labelled_split_and_have_floors(path: Path) -> None:
    paragraphs = load_paragraphs(path)
    assert len(paragraphs) >= 40
    assert all(p.url.startswith(("http://", "https://")) for p in paragraphs)
    others = {p.id for other in EXTRA_BATCHES if other != path for p in load_paragraphs(other)}
    assert not {p.id for p in paragraphs} & ({p.id for p in load_paragraphs()} | others)
    assert {p.split for p in paragraphs} == {"dev", "heldout"}
    _assert_floors(evaluate(paragraphs_of(paragraphs)), BATCH_FLOORS[path.name])


def test_fifth_batch_articles_have_floors() -> None:
    articles = articles_of(load_paragraphs(BATCH5))
    assert len(articles) >= 30 and {p.split for p in articles} == {"dev", "heldout"}
    assert not any(articles_of(load_paragraphs(path)) for path in EARLIER)
    _assert_floors(evaluate(articles), ARTICLE_FLOORS)


# Batches of whole, full-length articles (WHOLE_ARTICLES), scored apart: development floors set
# by the round that tuned on them; held-out floors by the measurements of their held-out parts
# (the README there says when and how often).
# topic_sensible_precision (main or acceptable subjects): both parts measured once with the code
# of the eighth round, when the acceptable labels were written.
WHOLE_ARTICLE_FLOORS = {
    # held out: measured once after the eighth round (batch 6's held-out part for the third time)
    BATCH6.name: {
        "dev": {"topic_precision": 1.0, "topic_sensible_precision": 1.0,
                "topic_coverage": 0.95},
        "heldout": {"topic_precision": 0.42, "topic_sensible_precision": 0.57,
                    "topic_coverage": 0.60},
    },
    # the eighth round's code as it stood when batch 7 came (its honest figure): 0.652 / 0.652
    BATCH7.name: {
        "dev": {"topic_precision": 0.88, "topic_sensible_precision": 0.92,
                "topic_coverage": 0.95},
        "heldout": {"topic_precision": 0.80, "topic_sensible_precision": 0.80,
                    "topic_coverage": 0.87},
    },
    # the eighth round's code as it stood when batch 8 came (its honest figure): 0.476 / 0.714
    BATCH8.name: {
        "dev": {"topic_precision": 0.70, "topic_sensible_precision": 0.82,
                "topic_coverage": 0.85},
        # held out after the ninth round (its second measurement): 5 of 5 labels right
        "heldout": {"topic_precision": 1.0, "topic_sensible_precision": 1.0,
                    "topic_coverage": 0.80},
    },
    # not tuned on when first measured: both parts are the eighth round's honest figure; the
    # development floors raised by the ninth round (a second topic said throughout a long text)
    # and the tenth (attacks and shootings are faits divers, school fees, excision)
    BATCH9.name: {
        "dev": {"topic_precision": 0.66, "topic_sensible_precision": 0.91,
                "topic_coverage": 0.70},
        "heldout": {"topic_precision": 0.66, "topic_sensible_precision": 0.66,
                    "topic_coverage": 0.60},
    },
    # not tuned on when first measured (the ninth round's code): 20 of 33 labels right, 22
    # sensible, 20 of 28 articles covered; every page is on the development side of the split.
    # The tenth round's code before tuning on it: 21 of 34, 23, 21 of 28; after: 26 of 33, 28,
    # 25 of 28
    BATCH10.name: {
        "dev": {"topic_precision": 0.78, "topic_sensible_precision": 0.84,
                "topic_coverage": 0.89},
    },
    # every article held out, labelled blind; measured once by the lead after the tenth round:
    # 10 of 18 labels right, 12 sensible, 10 of 16 articles covered (the ninth round's code, before
    # the tenth, gave exactly the same labels)
    BATCH11.name: {
        "heldout": {"topic_precision": 0.55, "topic_sensible_precision": 0.66,
                    "topic_coverage": 0.62},
    },
    # every article on the development side, labelled blind; first sight (the tenth round's code,
    # not tuned on since): 9 of 15 labels right, 11 sensible, 9 of 18 articles covered
    BATCH12.name: {
        "dev": {"topic_precision": 0.60, "topic_sensible_precision": 0.73,
                "topic_coverage": 0.50},
    },
    # every text on the development side, labelled blind; first sight (the code of the eleventh
    # round's tuning when it came): 22 of 35 labels right, 26 sensible, 21 of 29 texts covered
    # (main's code then: 22 of 34, 26, 21 of 29); then tuned on: 25 of 36, 28, 24 of 29
    BATCH13.name: {
        "dev": {"topic_precision": 0.69, "topic_sensible_precision": 0.77,
                "topic_coverage": 0.82},
    },
    # held-out sites, labelled blind; measured once held out by the lead after the eleventh round's
    # tuning (the same labels with the code before it): 7 of 11 labels right, 7 of 13 covered; then
    # moved to the development side (SPLIT_OF_FILE, 2026-12-06): development floors from then on
    BATCH14.name: {
        "dev": {"topic_precision": 0.63, "topic_sensible_precision": 0.63,
                "topic_coverage": 0.53},
    },
    # likewise: 10 of 22 labels right, 17 sensible, 10 of 22 covered; moved to development too
    BATCH15.name: {
        "dev": {"topic_precision": 0.45, "topic_sensible_precision": 0.77,
                "topic_coverage": 0.45},
    },
    # every article held out, labelled blind; measured once by the lead (2026-12-06) with the
    # code of the twelfth round (no topic rule of the round shipped: main's labels): 13 of 19
    # labels right, 15 sensible, 13 of 17 articles covered, 3 false alarms of 13
    BATCH16.name: {
        "heldout": {"topic_precision": 0.68, "topic_sensible_precision": 0.78,
                    "topic_coverage": 0.76},
    },
    # every article on the development side, labelled blind; first sight (the twelfth round's
    # code when it came, the same as main's: no rule of the round shipped): 9 of 22 labels right,
    # 13 sensible, 9 of 17 articles covered, 9 false alarms of 13
    BATCH17.name: {
        "dev": {"topic_precision": 0.40, "topic_sensible_precision": 0.59,
                "topic_coverage": 0.52},
    },
    # labelled blind, both parts measured once by the lead (2026-12-07) with the session's
    # starting code and again after the fourteenth round (the same labels): development 4 of 10
    # labels right (4 sensible), 4 of 6 covered, 5 false alarms of 12; held out 6 of 16 right (6
    # sensible), 6 of 13 covered, 1 false alarm of 1
    BATCH18.name: {
        "dev": {"topic_precision": 0.40, "topic_sensible_precision": 0.40,
                "topic_coverage": 0.66},
        "heldout": {"topic_precision": 0.37, "topic_sensible_precision": 0.37,
                    "topic_coverage": 0.46},
    },
    # labelled blind, both parts measured once by the lead (2026-12-07, eighth session) with the
    # session's starting code (the seventeenth round did not ship): development 4 of 10 labels
    # right (7 sensible), 4 of 9 covered, 1 false alarm of 3; held out 11 of 18 right (15
    # sensible), 9 of 15 covered, 2 false alarms of 5
    BATCH19.name: {
        "dev": {"topic_precision": 0.40, "topic_sensible_precision": 0.70,
                "topic_coverage": 0.44},
        "heldout": {"topic_precision": 0.61, "topic_sensible_precision": 0.83,
                    "topic_coverage": 0.60},
    },
}  # fmt: skip


@pytest.mark.parametrize("path", WHOLE_ARTICLES, ids=lambda path: path.name)
def test_whole_articles_have_floors(path: Path) -> None:
    articles = load_paragraphs(path)
    assert articles == articles_of(articles)
    _assert_floors(evaluate(articles), WHOLE_ARTICLE_FLOORS[path.name])


def test_sensible_precision_counts_acceptable_labels_apart_from_the_strict_figures() -> None:
    scores = Scores()
    # a main subject, an acceptable one and a wrong one
    scores.add(
        ["droit-consommation", "litiges-mediation", "sante"],
        frozenset({"droit-consommation"}),
        frozenset({"litiges-mediation"}),
    )
    # an acceptable subject alone: sensible, but it covers nothing
    scores.add(["fiscalite"], frozenset({"conjoncture"}), frozenset({"fiscalite"}))
    # an article with no main subject: an acceptable label is still a false alarm
    scores.add(["vie-politique"], frozenset(), frozenset({"vie-politique"}))
    scores.add(["climat"], frozenset({"climat"}))  # no acceptable subject at all
    assert (scores.assigned, scores.correct, scores.sensible) == (6, 2, 5)
    assert math.isclose(scores.precision, 2 / 6)
    assert math.isclose(scores.sensible_precision, 5 / 6)
    assert (scores.with_gold, scores.covered) == (3, 2)
    assert (scores.without_gold, scores.false_alarms) == (1, 1)
    assert scores.wrong == Counter({"litiges-mediation": 1, "sante": 1, "fiscalite": 1,
                                    "vie-politique": 1})  # fmt: skip
    assert Scores().sensible_precision == 1.0


@pytest.mark.parametrize("path", (BATCH5, *WHOLE_ARTICLES), ids=lambda path: path.name)
def test_acceptable_labels_are_known_and_apart_from_main_subjects(path: Path) -> None:
    """Every article carries `acceptable` (possibly empty: written, not forgotten), paragraphs
    none; they are shipped topic ids, never one of the article's main subjects."""
    raw = {p["id"]: p for p in yaml.safe_load(path.read_text(encoding="utf-8"))["paragraphs"]}
    entries = load_paragraphs(path)
    assert all(("acceptable" in raw[p.id]) == p.is_article for p in entries)
    assert all(p.acceptable == frozenset(raw[p.id].get("acceptable", ())) for p in entries)
    assert all(len(raw[p.id].get("acceptable", ())) == len(p.acceptable) for p in entries)
    shipped = {t.id for t in load_taxonomy()}
    assert not {(p.id, t) for p in entries for t in p.acceptable if t not in shipped}
    assert not {(p.id, t) for p in entries for t in p.acceptable & p.topics}
    assert any(p.acceptable for p in entries)


def test_pooled_floors() -> None:
    paragraphs = pooled(EARLIER)
    assert len(paragraphs) == sum(len(load_paragraphs(p)) for p in EARLIER)
    _assert_floors(evaluate(paragraphs), POOLED_FLOORS)
    every = pooled()
    assert len(every) == sum(len(load_paragraphs(p)) for p in (DATA, *EXTRA_BATCHES))
    _assert_floors(evaluate(every), POOLED_ALL_FLOORS)


def _figures(report: Report, split: str) -> dict[str, float]:
    topics, axes = report.topics[split], report.axes[split]
    return {
        "topic_precision": topics.precision,
        "topic_sensible_precision": topics.sensible_precision,
        "topic_coverage": topics.coverage,
        "axis_precision": axes.precision,
        "axis_coverage": axes.coverage,
    }


def _assert_floors(report: Report, floors: dict[str, dict[str, float]]) -> None:
    for split, wanted in floors.items():
        got = _figures(report, split)
        for key, floor in wanted.items():
            assert got[key] >= floor, (split, key, round(got[key], 3))


# Batches chosen by subject and labelled before any classifier run (see the README): what each
# promises is checked here; their scores have floors above (news_fr_batch5.yml was scored from
# the sixth round of tuning on, its held-out part the fresh measure of that round).
# news_fr_batch6.yml, news_fr_batch7.yml and news_fr_batch8.yml (whole articles only) are scored
# from the eighth round on, apart (WHOLE_ARTICLES, WHOLE_ARTICLE_FLOORS).


@dataclass(frozen=True)
class BlindBatch:
    size: int
    dev: int
    heldout: int
    per_site: int
    no_topic: int
    articles: int = 0  # whole articles: ids starting with "article-"
    heldout_articles: int = 0
    paragraph_chars: tuple[float, float] = (0, math.inf)
    article_chars: tuple[float, float] = (0, math.inf)
    article_words: tuple[float, float] = (0, math.inf)
    fresh_sites: bool = True  # no site of an earlier file (else the split rule alone keeps sides)
    no_topic_share: float = 0.0  # share of entries with no fitting topic, at least
    fresh_text: bool = False  # no line of 40 characters or more copied from an earlier file


LABELLED_BLIND = {
    BATCH4: BlindBatch(size=110, dev=60, heldout=35, per_site=4, no_topic=15),
    BATCH5: BlindBatch(size=150, dev=60, heldout=45, per_site=3, no_topic=20, articles=30,
                       heldout_articles=10, paragraph_chars=(250, 900),
                       article_chars=(1500, 6000)),
    BATCH6: BlindBatch(size=33, dev=24, heldout=9, per_site=3, no_topic=8, articles=33,
                       heldout_articles=9, article_chars=(3500, 12000)),
    BATCH7: BlindBatch(size=44, dev=33, heldout=11, per_site=8, no_topic=13, articles=44,
                       heldout_articles=11, article_chars=(3000, 12000), fresh_sites=False,
                       no_topic_share=0.2, fresh_text=True),
}  # fmt: skip


@pytest.mark.parametrize("path", LABELLED_BLIND, ids=lambda path: path.name)
def test_blind_batches_are_valid_labelled_and_split_by_site(path: Path) -> None:
    rules = LABELLED_BLIND[path]
    paragraphs = load_paragraphs(path)
    assert len(paragraphs) >= rules.size
    ids = [p.id for p in paragraphs]
    assert len(set(ids)) == len(ids)
    files = [DATA, *EXTRA_BATCHES, BATCH6, BATCH7]
    earlier = [p for f in files[: files.index(path)] for p in load_paragraphs(f)]
    assert not set(ids) & {p.id for p in earlier}
    if rules.fresh_sites:  # none was seen by the labellers or the tuning of an earlier file
        assert not {domain_of(p.url) for p in paragraphs} & {domain_of(p.url) for p in earlier}
    if rules.fresh_text:  # no article of an earlier file copied again
        seen = {line for p in earlier for line in p.text.splitlines() if len(line) >= 40}
        assert not [p.id for p in paragraphs if seen.intersection(p.text.splitlines())]
    shipped = {t.id for t in load_taxonomy()}
    unknown = {(p.id, t) for p in paragraphs for t in p.topics if t not in shipped}
    assert not unknown
    assert all(
        p.url.startswith(("http://", "https://")) and "." in domain_of(p.url) for p in paragraphs
    )
    splits = Counter(p.split for p in paragraphs)
    assert splits["heldout"] >= rules.heldout and splits["dev"] >= rules.dev
    assert max(Counter(domain_of(p.url) for p in paragraphs).values()) <= rules.per_site
    no_topic = sum(not p.topics for p in paragraphs)  # false alarms measured too
    assert no_topic >= rules.no_topic and no_topic >= rules.no_topic_share * len(paragraphs)
    articles = [p for p in paragraphs if p.id.startswith("article-")]
    assert len(articles) >= rules.articles
    assert sum(p.split == "heldout" for p in articles) >= rules.heldout_articles
    others = [p for p in paragraphs if not p.id.startswith("article-")]
    for (low, high), entries in ((rules.paragraph_chars, others), (rules.article_chars, articles)):
        assert not [(p.id, len(p.text)) for p in entries if not low <= len(p.text) <= high]


# news_fr_batch8.yml: whole articles of 2020s web news (and a few older ones) from many sites,
# labelled blind like batch 6; unlike batches 4-6 its sites may be sites of earlier files (the
# split is by site everywhere, so a site stays on one side). Validity only, no score floors.
BATCH8_RULES = BlindBatch(size=25, dev=18, heldout=7, per_site=3, no_topic=6, articles=25,
                          heldout_articles=7, article_chars=(2500, 15000))  # fmt: skip


def test_eighth_batch_is_valid_labelled_and_split_by_site() -> None:
    assert_whole_article_batch(BATCH8, BATCH8_RULES, earlier=(5, 6, 7))


def assert_whole_article_batch(path: Path, rules: BlindBatch, earlier: tuple[int, ...]) -> None:
    """A batch of whole articles only is valid: its size, lengths (characters, words), ids unique
    across every `news_fr*.yml`, known topic ids (acceptable ones apart from the main ones),
    entries per site and per split, entries with no topic, and no 80-character run of its text
    found in the whole-article batches `earlier` (when present)."""
    articles = load_paragraphs(path)
    assert len(articles) >= rules.size and all(p.is_article for p in articles)
    others = [p for f in sorted(DATA.parent.glob("news_fr*.yml")) if f != path
              for p in load_paragraphs(f)]  # fmt: skip
    ids = [p.id for p in articles]
    assert len(set(ids)) == len(ids) and not set(ids) & {p.id for p in others}
    low, high = rules.article_chars
    assert not [(p.id, len(p.text)) for p in articles if not low <= len(p.text) <= high]
    low, high = rules.article_words
    assert not [(p.id, n) for p in articles if not low <= (n := len(p.text.split())) <= high]
    shipped = {t.id for t in load_taxonomy()}
    assert not {(p.id, t) for p in articles for t in p.topics if t not in shipped}
    assert not {(p.id, t) for p in articles for t in p.acceptable if t not in shipped}
    assert not [p.id for p in articles if p.topics & p.acceptable]
    assert all(p.url.startswith(("http://", "https://")) for p in articles)
    assert max(Counter(domain_of(p.url) for p in articles).values()) <= rules.per_site
    splits = Counter(p.split for p in articles)
    assert splits["heldout"] >= rules.heldout and splits["dev"] >= rules.dev
    assert sum(not p.topics for p in articles) >= max(rules.no_topic, 0.2 * len(articles))
    before = [DATA.with_name(f"news_fr_batch{n}.yml") for n in earlier]
    seen = "\n".join(p.text for f in before if f.exists() for p in load_paragraphs(f))
    windows = ((p.id, p.text[i : i + 80]) for p in articles for i in range(0, len(p.text) - 80, 40))
    assert not {id_ for id_, window in windows if window in seen}


# news_fr_batch9.yml: whole articles, most of them from sites on the held-out side of the split
# (chosen by `split_of`, which reads the URL only), labelled blind like batches 6 and 8.
# Validity only, no score floors.
BATCH9_RULES = BlindBatch(size=30, dev=14, heldout=16, per_site=3, no_topic=10, articles=30,
                          heldout_articles=16, article_chars=(2500, 15000))  # fmt: skip


def test_ninth_batch_is_valid_mostly_held_out_and_labelled() -> None:
    assert_whole_article_batch(BATCH9, BATCH9_RULES, earlier=(5, 6, 7, 8))


# news_fr_batch10.yml: whole articles of BBC Afrique (MasakhaNEWS's French part), one site, so all
# on the development side of the split (`split_of` reads the URL only), labelled blind like
# batches 6-9. Sizes from the README: 400-2,500 words a text.
BATCH10_RULES = BlindBatch(size=40, dev=40, heldout=0, per_site=40, no_topic=12, articles=40,
                           article_chars=(2500, 15000), article_words=(400, 2500))  # fmt: skip


def test_tenth_batch_is_valid_labelled_and_whole() -> None:
    assert_whole_article_batch(BATCH10, BATCH10_RULES, earlier=(5, 6, 7, 8, 9))


# news_fr_batch11.yml: whole articles of La Libre Belgique and La Presse (feryah/gilets_jaunes), all
# on the held-out side of the split (`split_of` reads the URL only), labelled blind like batches
# 6-9 and committed before any Watcher code ran on them. Validity here (its floors, set by the
# lead's one measurement, are in WHOLE_ARTICLE_FLOORS); sizes from
# the README: 400-2,500 words a text.
BATCH11_RULES = BlindBatch(size=25, dev=0, heldout=25, per_site=15, no_topic=9, articles=25,
                           heldout_articles=25, article_chars=(2400, 15000),
                           article_words=(400, 2500))  # fmt: skip


def test_eleventh_batch_is_valid_held_out_whole_and_labelled() -> None:
    assert_whole_article_batch(BATCH11, BATCH11_RULES, earlier=(5, 6, 7, 8, 9, 10))
    assert {p.split for p in load_paragraphs(BATCH11)} == {"heldout"}


# news_fr_batch12.yml: whole articles of La Dernière Heure (feryah/gilets_jaunes, DH_CONTRAST.xml),
# one site, all on the development side of the split (`split_of` reads the URL only), labelled blind
# like batches 6-11 and committed before any Watcher code ran on them. Validity here (its floors
# are in WHOLE_ARTICLE_FLOORS); sizes from the README: 400-2,500 words a text.
BATCH12_RULES = BlindBatch(size=25, dev=25, heldout=0, per_site=25, no_topic=6, articles=25,
                           article_chars=(2400, 15000), article_words=(400, 2500))  # fmt: skip


def test_twelfth_batch_is_valid_development_whole_and_labelled() -> None:
    assert_whole_article_batch(BATCH12, BATCH12_RULES, earlier=(5, 6, 7, 8, 9, 10, 11))
    assert {p.split for p in load_paragraphs(BATCH12)} == {"dev"}


# news_fr_batch13.yml: whole texts from 12 sites (a technology-watch blog's copies of press
# articles, a journalist's archive, personal and professional blogs), all on the development side
# of the split (`split_of` reads the URL only), none used before in tests/data, labelled blind like
# batches 6-12 and committed before any Watcher code ran on them. Validity only (no floors until
# its first measurement); sizes from the README: 350-2,500 words a text, at most 6 a site.
BATCH13_RULES = BlindBatch(size=40, dev=40, heldout=0, per_site=6, no_topic=10, articles=40,
                           article_chars=(2400, 15000), article_words=(350, 2500))  # fmt: skip


def test_thirteenth_batch_is_valid_development_whole_and_labelled() -> None:
    assert_whole_article_batch(BATCH13, BATCH13_RULES, earlier=(5, 6, 7, 8, 9, 10, 11, 12))
    articles = load_paragraphs(BATCH13)
    assert {p.split for p in articles} == {"dev"}
    assert len({domain_of(p.url) for p in articles}) >= 12
    shipped = {t.id for t in load_taxonomy()}
    assert all(set(p.acceptable) <= shipped and not set(p.acceptable) & set(p.topics)
               for p in articles)  # fmt: skip


# news_fr_batch14.yml: whole articles of Zonebourse, Le Monde, L'Équipe, RTBF and Les Numériques
# (Angnami/french-news-bot, shengo/Python-IFG, fredblain/docQE), all on the held-out side of the
# split (`split_of` reads the URL only), labelled blind like batches 6-12 and committed before any
# Watcher code ran on them. Validity here (its floors, set by the lead's one measurement, go in
# WHOLE_ARTICLE_FLOORS; the file is on the development side since then: SPLIT_OF_FILE); sizes from
# the README: 350-2,500 words a text, at most 8 a site.
BATCH14_RULES = BlindBatch(size=19, dev=19, heldout=0, per_site=8, no_topic=6, articles=19,
                           article_chars=(2000, 15000),
                           article_words=(350, 2500))  # fmt: skip


def test_fourteenth_batch_is_valid_held_out_whole_and_labelled() -> None:
    assert_whole_article_batch(BATCH14, BATCH14_RULES, earlier=(5, 6, 7, 8, 9, 10, 11, 12))
    # held-out sites, the whole file on the development side since its one held-out measurement
    assert {split_of(p.url) for p in load_paragraphs(BATCH14)} == {"heldout"}
    assert {p.split for p in load_paragraphs(BATCH14)} == {"dev"}
    assert len({domain_of(p.url) for p in load_paragraphs(BATCH14)}) >= 5


# news_fr_batch15.yml: whole articles, every one from a site on the held-out side of the split
# (`split_of` reads the URL only), none of them in an earlier batch, labelled blind like batches
# 6-14 and committed before any Watcher code ran on them. Validity here (its floors, set by the
# lead's one measurement, go in WHOLE_ARTICLE_FLOORS; development since: SPLIT_OF_FILE); sizes
# from the README: 350-2,500 words a text, at most 8 a site counting batch 14's, at least 6 sites.
BATCH15_RULES = BlindBatch(size=30, dev=30, heldout=0, per_site=8, no_topic=8, articles=30,
                           article_chars=(2000, 15000),
                           article_words=(350, 2500))  # fmt: skip


def test_fifteenth_batch_is_valid_held_out_whole_and_labelled() -> None:
    assert_whole_article_batch(BATCH15, BATCH15_RULES, earlier=(5, 6, 7, 8, 9, 10, 11, 12, 14))
    articles = load_paragraphs(BATCH15)
    assert {split_of(p.url) for p in articles} == {"heldout"}
    assert {p.split for p in articles} == {"dev"}  # moved, as batch 14
    assert len({domain_of(p.url) for p in articles}) >= 6
    both = Counter(domain_of(p.url) for p in (*load_paragraphs(BATCH14), *articles))
    assert max(both.values()) <= BATCH15_RULES.per_site


# news_fr_batch16.yml: whole articles of Le Nouvelliste, La Presse and Le Point
# (feryah/gilets_jaunes), every one from a site on the held-out side of the split (`split_of`
# reads the URL only), none of them in an earlier batch, labelled blind like batches 6-15 and
# committed before any Watcher code ran on them. Validity here (its floors, set by the lead's one
# measurement, go in WHOLE_ARTICLE_FLOORS); sizes from the README: 350-2,500 words a text, at most
# 12 a site.
BATCH16_RULES = BlindBatch(size=30, dev=0, heldout=30, per_site=12, no_topic=6, articles=30,
                           heldout_articles=30, article_chars=(2000, 15000),
                           article_words=(350, 2500))  # fmt: skip


def test_sixteenth_batch_is_valid_held_out_whole_and_labelled() -> None:
    earlier = (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    assert_whole_article_batch(BATCH16, BATCH16_RULES, earlier=earlier)
    articles = load_paragraphs(BATCH16)
    assert {p.split for p in articles} == {"heldout"}
    assert len({domain_of(p.url) for p in articles}) >= 3


# news_fr_batch17.yml: whole articles of nine development-side sites (20 minutes Suisse from
# ZurichNLP/20min-XD; Le Devoir, Tribune de Genève, Le Matin, Journal de Montréal, Journal de
# Québec, Le Temps, L'Humanité and Le Figaro from feryah/gilets_jaunes), none of them in an earlier
# batch, labelled blind and committed before any Watcher code ran on them: a fresh development
# batch. Validity only (no floors until its first measurement); at most 8 a site.
BATCH17_RULES = BlindBatch(size=30, dev=30, heldout=0, per_site=8, no_topic=6, articles=30,
                           article_chars=(2000, 15000), article_words=(350, 2500))  # fmt: skip


def test_seventeenth_batch_is_valid_development_whole_and_labelled() -> None:
    earlier = (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
    assert_whole_article_batch(BATCH17, BATCH17_RULES, earlier=earlier)
    articles = load_paragraphs(BATCH17)
    assert {p.split for p in articles} == {"dev"}
    assert len({domain_of(p.url) for p in articles}) >= 9


# news_fr_batch18.yml: whole articles of eight sites already met in earlier batches (the stored
# pages give no whole article; feryah/gilets_jaunes does), labelled blind and committed before any
# Watcher code ran on them, split by site (Le Point held out, the seven others development). One
# article shares with batch 16 a « Lire aussi » link line only, so that line is left out of the
# overlap check with batch 16.
BATCH18_RULES = BlindBatch(size=32, dev=18, heldout=14, per_site=14, no_topic=6, articles=32,
                           article_chars=(2000, 15000), article_words=(350, 2500))  # fmt: skip


def test_eighteenth_batch_is_valid_whole_and_labelled() -> None:
    earlier = (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17)
    assert_whole_article_batch(BATCH18, BATCH18_RULES, earlier=earlier)
    articles = load_paragraphs(BATCH18)
    assert {p.split for p in articles} == {"dev", "heldout"}
    assert len({domain_of(p.url) for p in articles}) >= 8

    def body(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if not line.startswith("Lire aussi"))

    seen = "\n".join(body(p.text) for p in load_paragraphs(BATCH16))
    windows = ((p.id, body(p.text)) for p in articles)
    assert not {i for i, t in windows for k in range(0, len(t) - 80, 40) if t[k : k + 80] in seen}


# news_fr_batch19.yml: whole articles of three sites no earlier whole-article batch used but
# Orange Actu (batch 15: its home page only) and BBC Afrique (batch 10: other rows of the same
# file), labelled blind and committed before any Watcher code ran on them, split by site
# (Orange Actu held out; franceinfo and BBC Afrique development). franceinfo's footer, shared
# with batch 9's pages, was cut from each text (see README.md).
BATCH19_RULES = BlindBatch(size=32, dev=12, heldout=20, per_site=20, no_topic=8, articles=32,
                           article_chars=(2000, 15000), article_words=(350, 2500))  # fmt: skip


def test_nineteenth_batch_is_valid_whole_and_labelled() -> None:
    earlier = tuple(range(5, 19))
    assert_whole_article_batch(BATCH19, BATCH19_RULES, earlier=earlier)
    articles = load_paragraphs(BATCH19)
    assert {p.split for p in articles} == {"dev", "heldout"}
    assert len({domain_of(p.url) for p in articles}) >= 3


def test_the_dev_split_never_classifies_nor_prints_a_held_out_entry(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tuning looks at ``--split dev`` only: held-out entries must stay unseen."""
    import benchmarks.quality_topics as quality_topics

    scored: Counter[str] = Counter()
    real_evaluate = quality_topics.evaluate

    def counting(paragraphs=None, classify=None, taxonomy=None):  # type: ignore[no-untyped-def]
        scored.update(p.split for p in paragraphs)
        return real_evaluate(paragraphs, classify, taxonomy)

    monkeypatch.setattr(quality_topics, "evaluate", counting)
    quality_topics.main(["--split", "dev"])
    out = capsys.readouterr().out
    assert scored["dev"] > 500 and scored["heldout"] == 0
    assert "held out" not in out and "heldout" not in out
    assert "wrong topics (dev)" in out
