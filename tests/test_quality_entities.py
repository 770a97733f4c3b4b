"""Quality floors of Watcher's entities on public labelled French NER sentences (WikiNEuRal,
tests/data/entities/wikineural_fr*.txt) and on real French news paragraphs labelled by hand
(tests/data/entities/news_fr_entities.yml, news_fr_entities2.yml, news_fr_entities3.yml,
news_fr_entities4.yml, news_fr_entities5.yml and news_fr_entities6.yml, split by site): exact
span + type F1, overall and per type, next to the raw entities of the default model
(fr_core_news_md) and of fr_core_news_sm, the issue's baseline. Floors may only rise."""

from __future__ import annotations

import pytest

from benchmarks.quality_entities import (
    Sentence,
    confidence,
    detokenise,
    evaluate,
    labelled,
    load_sentences,
)

FLOORS = {  # Watcher on fr_core_news_md, the default model (sm before: lower floors)
    # Every floor raised to the figures after round 22 where they rose (development parts by the
    # round, held-out parts by the lead's measurement before and after it; README, "Round 22")
    # Held-out floors of news2, news6 and news8 raised to the lead's measurement after round 19
    # (2026-12-07; README, "Round 19, the lead's measurement")
    # Development floors raised in round 19 where its rules raised the figures (README)
    "dev": {"ALL": 0.93, "PER": 0.92, "ORG": 0.90, "LOC": 0.96, "MISC": 0.86},
    "heldout": {"ALL": 0.88, "PER": 0.93, "ORG": 0.79, "LOC": 0.93, "MISC": 0.70},
    "dev2": {"ALL": 0.89, "PER": 0.94, "ORG": 0.84, "LOC": 0.92, "MISC": 0.74},
    "heldout2": {"ALL": 0.86, "PER": 0.92, "ORG": 0.77, "LOC": 0.90, "MISC": 0.66},
    # real news, first set (first sight: 0.702 / 0.729 ALL, 0.764 / 0.776 ORG)
    "news_dev": {"ALL": 0.87, "PER": 0.90, "ORG": 0.92, "LOC": 0.88, "MISC": 0.56},
    "news_heldout": {"ALL": 0.81, "PER": 0.87, "ORG": 0.83, "LOC": 0.89, "MISC": 0.23},
    # real news, second set (first sight: 0.735 / 0.732 ALL, 0.700 / 0.700 ORG)
    "news2_dev": {"ALL": 0.87, "PER": 0.94, "ORG": 0.88, "LOC": 0.89, "MISC": 0.52},
    "news2_heldout": {"ALL": 0.82, "PER": 0.86, "ORG": 0.79, "LOC": 0.86, "MISC": 0.53},
    # real news, third set (first sight: 0.683 / 0.751 ALL, 0.673 / 0.692 ORG)
    "news3_dev": {"ALL": 0.83, "PER": 0.89, "ORG": 0.82, "LOC": 0.85, "MISC": 0.62},
    "news3_heldout": {"ALL": 0.77, "PER": 0.81, "ORG": 0.75, "LOC": 0.85, "MISC": 0.41},
    # real news, fourth set (first sight: 0.682 / 0.621 ALL, 0.732 / 0.529 ORG; held out measured
    # once by the lead after the round that tuned on the development part)
    "news4_dev": {"ALL": 0.83, "PER": 0.92, "ORG": 0.87, "LOC": 0.82, "MISC": 0.56},
    "news4_heldout": {"ALL": 0.71, "PER": 0.85, "ORG": 0.69, "LOC": 0.76, "MISC": 0.41},
    # real news, fifth set (first sight, development: 0.704 ALL, 0.671 ORG with the ninth
    # round's first rules; 0.697 / 0.671 with the eighth round's code); held out measured once by
    # the lead after the round (0.720 / 0.750 ORG with the eighth round's code)
    "news5_dev": {"ALL": 0.83, "PER": 0.87, "ORG": 0.86, "LOC": 0.87, "MISC": 0.33},
    "news5_heldout": {"ALL": 0.80, "PER": 0.84, "ORG": 0.83, "LOC": 0.80, "MISC": 0.27},
    # real news, sixth set (first sight, development: 0.698 ALL, 0.673 ORG, with main's code of
    # the tenth round and with the eleventh round's first rules alike; raw md 0.642 / 0.628);
    # held out measured once by the lead after the round (0.741 / 0.748 ORG with the tenth
    # round's code, 0.748 / 0.763 after; raw md 0.633 / 0.641); 0.805 / 0.824 with the wider
    # list of known organisations (round 12; 0.775 / 0.792 without the 15 names the
    # development errors named)
    "news6_dev": {"ALL": 0.78, "PER": 0.88, "ORG": 0.81, "LOC": 0.83, "MISC": 0.40},
    "news6_heldout": {"ALL": 0.81, "PER": 0.93, "ORG": 0.82, "LOC": 0.87, "MISC": 0.53},
    # real news, seventh set, labelled without looking at the known names' list and measured once
    # by the lead, both parts, with the code before the session (4fc0cfb: 0.780 / 0.800 ORG held
    # out, 0.702 / 0.676 development), after round 11's rules (the same) and with the lists
    # (these floors); raw md 0.674 / 0.687 and 0.610 / 0.593; nobody has tuned on it
    # (development floors of round 14 hold without the 15 names its README section lists apart)
    "news7_dev": {"ALL": 0.77, "PER": 0.86, "ORG": 0.78, "LOC": 0.80, "MISC": 0.42},
    "news7_heldout": {"ALL": 0.80, "PER": 0.94, "ORG": 0.82, "LOC": 0.83, "MISC": 0.40},
    # real news, eighth set, development part (first sight, before any of its errors was read:
    # raw md 0.612 / 0.617 ORG, main's code after round 13 0.709 / 0.719, round 14's list 0.712
    # / 0.722; these floors after round 14's rules, set partly on its errors); held out measured
    # by the lead with the code before the session (d08b55a) and after round 14, the same: 0.752
    # / 0.817 ORG (raw md 0.668 / 0.730); nobody has tuned on it
    "news8_dev": {"ALL": 0.73, "PER": 0.83, "ORG": 0.74, "LOC": 0.77, "MISC": 0.26},
    "news8_heldout": {"ALL": 0.76, "PER": 0.85, "ORG": 0.82, "LOC": 0.73, "MISC": 0.33},
    # real news, ninth set (2026-12-06), labelled without looking at the lists; measured once by
    # the lead, both parts, with the session's code (no entity code changed in it: rounds 16 and
    # 17 trained the model and shipped nothing): development 0.735 / 0.761 ORG (raw md 0.617 /
    # 0.654), held out 0.772 / 0.839 ORG (raw md 0.672 / 0.759); nobody has tuned on it
    "news9_dev": {"ALL": 0.77, "PER": 0.75, "ORG": 0.79, "LOC": 0.81, "MISC": 0.27},
    "news9_heldout": {"ALL": 0.77, "PER": 0.85, "ORG": 0.83, "LOC": 0.70, "MISC": 0.59},
    # real news, tenth set (2026-12-07), labelled without looking at the lists; measured once by
    # the lead, both parts, with the session's starting code (66fbd6f): development 0.809 / 0.799
    # ORG (raw md 0.673 / 0.635), held out 0.825 / 0.815 ORG (raw md 0.729 / 0.728)
    "news10_dev": {"ALL": 0.81, "PER": 0.92, "ORG": 0.80, "LOC": 0.86, "MISC": 0.51},
    "news10_heldout": {"ALL": 0.82, "PER": 0.85, "ORG": 0.82, "LOC": 0.89, "MISC": 0.31},
    # real news, eleventh set (2026-12-07), labelled without looking at the lists; measured once by
    # the lead, both parts, with the session's starting code (40b3ab3): development 0.803 / 0.833
    # ORG (raw md 0.620 / 0.593), held out 0.816 / 0.810 ORG (raw md 0.648 / 0.617)
    "news11_dev": {"ALL": 0.80, "PER": 0.88, "ORG": 0.83, "LOC": 0.83, "MISC": 0.20},
    "news11_heldout": {"ALL": 0.81, "PER": 0.74, "ORG": 0.80, "LOC": 0.93, "MISC": 0.23},
}
# Precision of the mentions flagged confident (what the item page and the facets show).
# Development floors raised in the tenth round: no confidence for a name only its capitals tell
# (tests/data/entities/README.md, "round 10, the confident flag"); held-out floors raised to the
# lead's one measurement after it.
CONFIDENT_FLOORS = {
    **{"dev": 0.98, "heldout": 0.93, "dev2": 0.94, "heldout2": 0.91},
    **{"news_dev": 0.89, "news_heldout": 0.91, "news2_dev": 0.93, "news2_heldout": 0.87},
    **{"news3_dev": 0.87, "news3_heldout": 0.87, "news4_heldout": 0.77, "news5_dev": 0.89},
    **{"news6_dev": 0.85, "news6_heldout": 0.87, "news7_dev": 0.80, "news7_heldout": 0.87},
    **{"news8_dev": 0.81, "news8_heldout": 0.81, "news9_dev": 0.81},
    **{"news10_dev": 0.89, "news10_heldout": 0.87},
    **{"news11_dev": 0.89, "news11_heldout": 0.91, "news12_dev": 0.82},
}
# The fifth set's held-out part: the confident mentions are right 0.77 of the time (184), the
# others 0.69 (68), after the ninth round; 0.81 (172) and 0.61 (80) after the tenth, so the flag
# still separates them less than on every other set; a floor on the confident ones only.
# The fourth set's development part: 0.84 (0.81 before the tenth round), the others 0.65.
# The ninth set's held-out part, measured once (2026-12-06): confident 0.79 (164 of 208), the
# others 0.60 (26 of 43): a gap of 0.19, under the 0.2 the other sets keep.
CONFIDENT_ONLY_FLOORS = {"news5_heldout": 0.85, "news4_dev": 0.89, "news9_heldout": 0.78}
# Share of the right mentions that are flagged confident, development parts: the flag must not
# buy its precision by hiding most right names (0.75-0.88 in the tenth round; 0.76-0.89 before).
CONFIDENT_SHARE_FLOORS = {
    **{"dev": 0.87, "dev2": 0.84, "news_dev": 0.87, "news2_dev": 0.86},
    **{"news3_dev": 0.86, "news4_dev": 0.83, "news5_dev": 0.89, "news6_dev": 0.87},
    **{"news7_dev": 0.87, "news8_dev": 0.90},
}


def test_sentences_are_rebuilt_with_their_gold_spans() -> None:
    s = detokenise(
        "Au cours de l' été suivant , il rejoint les {ORG Canucks de Vancouver} ( {LOC Canada} ) ."
    )
    assert s.text == "Au cours de l'été suivant, il rejoint les Canucks de Vancouver (Canada)."
    assert [s.text[a:b] for a, b, _ in s.spans] == ["Canucks de Vancouver", "Canada"]
    assert s.gold == {("Canucks de Vancouver", "ORG"), ("Canada", "LOC")}
    assert len(load_sentences("dev")) >= 100 and len(load_sentences("heldout")) >= 100
    assert len(load_sentences("dev2")) >= 300 and len(load_sentences("heldout2")) >= 400


# Each news set's least sizes: paragraphs in all, in the development and held-out parts, and
# paragraphs with no entity (0: not asserted); no paragraph of a set is in an earlier one.
NEWS_SET_SIZES = (
    ("news", 150, 0, 60, 10),
    ("news2", 150, 0, 60, 0),
    ("news3", 150, 0, 80, 0),
    ("news4", 170, 80, 85, 10),
    ("news5", 200, 120, 80, 25),
    ("news6", 200, 120, 75, 30),
    ("news7", 135, 80, 55, 20),
    ("news8", 215, 140, 75, 30),
    ("news9", 220, 145, 70, 15),
    ("news10", 206, 146, 60, 31),
    ("news11", 147, 96, 51, 8),
    ("news12", 85, 52, 33, 4),
)


def test_news_paragraphs_keep_their_text_and_gold_spans() -> None:
    s = labelled(
        "France Travail radie en France ; l'ISO (ISO) publie l'ISO 9001.",
        ["ORG France Travail", "LOC France", "ORG ISO@2"],
    )
    assert [s.text[a:b] for a, b, _ in s.spans] == ["France Travail", "France", "ISO"]
    assert s.spans[2][0] == s.text.index("(ISO)") + 1  # the second "ISO" only
    assert s.gold == {("France Travail", "ORG"), ("France", "LOC"), ("ISO", "ORG")}
    with pytest.raises(ValueError, match="Orange"):
        labelled("Free et SFR.", ["ORG Orange"])
    earlier: list[Sentence] = []
    for prefix, total, in_dev, held_out, empty in NEWS_SET_SIZES:
        dev, heldout = load_sentences(f"{prefix}_dev"), load_sentences(f"{prefix}_heldout")
        assert len(dev) + len(heldout) >= total and len(dev) >= in_dev, prefix
        assert len(heldout) >= held_out, prefix
        assert sum(not s.gold for s in dev + heldout) >= empty, prefix  # with no entity
        assert not {s.text for s in dev + heldout} & {s.text for s in earlier}, prefix
        earlier += dev + heldout
    for s in earlier:
        assert all(s.text[a:b] in {text for text, _ in s.gold} for a, b, _ in s.spans)


@pytest.mark.parametrize("split", list(FLOORS))
def test_entity_f1_floors_per_type_and_above_the_raw_model(split: str) -> None:
    results = evaluate(split)
    watcher = results["watcher"]
    for label, floor in FLOORS[split].items():
        assert watcher[label].f1 >= floor, (split, label, round(watcher[label].f1, 3))
    for raw in (results["raw"], results["raw_baseline"]):  # the default model's, sm's
        assert watcher["ALL"].f1 > raw["ALL"].f1
        assert watcher["ORG"].f1 > raw["ORG"].f1


@pytest.mark.parametrize("split", list(CONFIDENT_FLOORS))
def test_confident_entities_are_the_reliable_ones(split: str) -> None:
    shares = confidence(split)
    (right, total), (right_other, total_other) = shares[True], shares[False]
    assert total >= 100 and right / total >= CONFIDENT_FLOORS[split]
    assert right / total >= right_other / total_other + 0.2


@pytest.mark.parametrize("split", list(CONFIDENT_ONLY_FLOORS))
def test_confident_entities_keep_their_precision(split: str) -> None:
    right, total = confidence(split)[True]
    assert total >= 100 and right / total >= CONFIDENT_ONLY_FLOORS[split]


@pytest.mark.parametrize("split", list(CONFIDENT_SHARE_FLOORS))
def test_most_right_mentions_are_confident(split: str) -> None:
    shares = confidence(split)
    right, right_other = shares[True][0], shares[False][0]
    assert right / (right + right_other) >= CONFIDENT_SHARE_FLOORS[split]
