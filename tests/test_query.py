"""The query language parser (watcher.query): pure, no index involved."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from watcher.query import (
    And,
    DateWindow,
    FieldMatch,
    MatchAll,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    parse_query,
    positive_text_nodes,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def words(node: object) -> object:
    """The AST with spans dropped, for compact comparisons."""
    if isinstance(node, Term):
        return ("w", node.text) if node.field is None else ("w", node.field, node.text)
    if isinstance(node, Phrase):
        return ("p", node.text) if node.field is None else ("p", node.field, node.text)
    if isinstance(node, FieldMatch):
        return (node.field, node.value)
    if isinstance(node, DateWindow):
        return ("date", node.spec)
    if isinstance(node, And):
        return ("and", *(words(c) for c in node.children))
    if isinstance(node, Or):
        return ("or", *(words(c) for c in node.children))
    if isinstance(node, Not):
        return ("not", words(node.child))
    assert isinstance(node, MatchAll)
    return "all"


def p(q: str) -> object:
    return words(parse_query(q))


# ------------------------------------------------------------------- basics


def test_empty_query_matches_all() -> None:
    assert p("") == "all"
    assert p("   ") == "all"


def test_words_are_implicitly_anded() -> None:
    assert p("prix carrefour") == ("and", ("w", "prix"), ("w", "carrefour"))
    assert p("prix") == ("w", "prix")


def test_phrases_with_straight_and_french_quotes() -> None:
    assert p('"hausse des prix"') == ("p", "hausse des prix")
    assert p("« hausse  des prix »") == ("p", "hausse des prix")
    assert p("“hausse des prix”") == ("p", "hausse des prix")
    assert p('prix "grande distribution"') == ("and", ("w", "prix"), ("p", "grande distribution"))


def test_boolean_operators_english_and_french() -> None:
    assert p("a AND b") == ("and", ("w", "a"), ("w", "b"))
    assert p("a ET b") == ("and", ("w", "a"), ("w", "b"))
    assert p("a OR b") == ("or", ("w", "a"), ("w", "b"))
    assert p("a OU b") == ("or", ("w", "a"), ("w", "b"))
    assert p("a NOT b") == ("and", ("w", "a"), ("not", ("w", "b")))
    assert p("a SAUF b") == ("and", ("w", "a"), ("not", ("w", "b")))
    assert p("NOT b") == ("not", ("w", "b"))


def test_french_operators_in_any_case_english_ones_in_capitals() -> None:
    # one rule with axis equations: et/ou/sauf are operators however written
    assert p("prix et promotions") == ("and", ("w", "prix"), ("w", "promotions"))
    assert p("prix ou tarif") == ("or", ("w", "prix"), ("w", "tarif"))
    assert p("Prix Ou Tarif") == ("or", ("w", "Prix"), ("w", "Tarif"))
    assert p("banque sauf assurance") == ("and", ("w", "banque"), ("not", ("w", "assurance")))
    assert p('démarchage et (téléphonique ou "appels non sollicités")') == (
        "and",
        ("w", "démarchage"),
        ("or", ("w", "téléphonique"), ("p", "appels non sollicités")),
    )
    # "or" (gold, now), "and", "not" in lower case are words
    assert p("a or b") == ("and", ("w", "a"), ("w", "or"), ("w", "b"))
    assert p("a and not b") == ("and", ("w", "a"), ("w", "and"), ("w", "not"), ("w", "b"))
    # a word that holds an operator word is a word
    assert p("où sauf-conduit") == ("and", ("w", "où"), ("w", "sauf-conduit"))


def test_precedence_and_binds_tighter_than_or() -> None:
    assert p("a OR b c") == ("or", ("w", "a"), ("and", ("w", "b"), ("w", "c")))
    assert p("a b OR c") == ("or", ("and", ("w", "a"), ("w", "b")), ("w", "c"))


def test_parentheses() -> None:
    assert p("(a OR b) c") == ("and", ("or", ("w", "a"), ("w", "b")), ("w", "c"))
    assert p("a (b OR (c d))") == (
        "and",
        ("w", "a"),
        ("or", ("w", "b"), ("and", ("w", "c"), ("w", "d"))),
    )


def test_minus_excludes() -> None:
    assert p("prix -carrefour") == ("and", ("w", "prix"), ("not", ("w", "carrefour")))
    assert p('prix -"grande distribution"') == (
        "and",
        ("w", "prix"),
        ("not", ("p", "grande distribution")),
    )
    assert p("prix -(a OR b)") == ("and", ("w", "prix"), ("not", ("or", ("w", "a"), ("w", "b"))))
    assert p("prix -source:cnil") == ("and", ("w", "prix"), ("not", ("source", "cnil")))


def test_inner_hyphen_is_part_of_the_word() -> None:
    assert p("Île-de-France") == ("w", "Île-de-France")
    assert p("loi 2014-344") == ("and", ("w", "loi"), ("w", "2014-344"))
    assert p("Carrefour - prix") == ("and", ("w", "Carrefour"), ("w", "-"), ("w", "prix"))


def test_a_code_article_written_with_a_space_is_one_term() -> None:
    # « L. 221-18 » typed without quotes was two words, « L. » (dropped: one letter) and
    # « 221-18 », which found the article under any letter
    assert p("L. 221-18") == ("w", "L. 221-18")
    assert p("article R 113-10") == ("and", ("w", "article"), ("w", "R 113-10"))
    assert p("LO 136-1 OU R.* 366-5") == ("or", ("w", "LO 136-1"), ("w", "R.* 366-5"))
    assert p("-D. 324-1-1 324-1-1") == ("and", ("not", ("w", "D. 324-1-1")), ("w", "324-1-1"))
    node = parse_query("prix L. 221-18")
    assert isinstance(node, And) and node.children[1] == Term("L. 221-18", None, 5, 14)
    assert p("title:L. 221-18") == ("w", "title", "L. 221-18")
    assert p('title:"L." 221-18') == ("and", ("p", "title", "L."), ("w", "221-18"))
    assert p("L. 2014") == ("and", ("w", "L."), ("w", "2014"))  # no article's number
    assert p("vitamine D 3") == ("and", ("w", "vitamine"), ("w", "D"), ("w", "3"))


def test_elisions_stay_in_the_word() -> None:
    assert p("l'autorité") == ("w", "l'autorité")


# ------------------------------------------------------------------- fields


def test_keyword_fields() -> None:
    assert p("axis:reglementaire") == ("axis", "reglementaire")
    assert p("source:cnil") == ("source", "cnil")
    assert p("topic:economique") == ("topic", "economique")
    assert p("entity:Carrefour") == ("entity", "Carrefour")
    assert p("lang:fr") == ("lang", "fr")


def test_french_field_aliases_and_case() -> None:
    assert p("axe:concurrence") == ("axis", "concurrence")
    assert p("AXIS:concurrence") == ("axis", "concurrence")
    assert p("thème:economique") == ("topic", "economique")
    assert p("entité:CNIL") == ("entity", "CNIL")
    assert p("titre:prix") == ("w", "title", "prix")
    assert p("langue:fr") == ("lang", "fr")


def test_quoted_field_values() -> None:
    assert p('entity:"Banque de France"') == ("entity", "Banque de France")
    assert p("entity:« Banque de France »") == ("entity", "Banque de France")
    assert p('ref:"loi 2014-344"') == ("ref", "loi 2014-344")
    assert p('title:"hausse des prix"') == ("p", "title", "hausse des prix")


def test_ref_values_keep_their_colons() -> None:
    assert p("ref:eu:celex:32016R0679") == ("ref", "eu:celex:32016R0679")
    assert p("ref:RGPD") == ("ref", "RGPD")


def test_colons_in_phrases_and_urls_are_not_operators() -> None:
    assert p('"note : foo:bar"') == ("p", "note : foo:bar")
    assert p("https://www.cnil.fr/fr/rgpd") == ("w", "https://www.cnil.fr/fr/rgpd")
    assert p("www:x") == ("w", "www:x")
    assert p("10:30") == ("w", "10:30")
    assert p("Attention: prix") == ("and", ("w", "Attention:"), ("w", "prix"))


def test_fields_combine_with_operators() -> None:
    assert p("(axis:reglementaire OR axis:normatif) -source:lsa date:7d") == (
        "and",
        ("or", ("axis", "reglementaire"), ("axis", "normatif")),
        ("not", ("source", "lsa")),
        ("date", "7d"),
    )


# ------------------------------------------------------------------- dates


def bounds(spec: str, now: datetime = NOW) -> tuple[datetime | None, datetime | None]:
    node = parse_query(f"date:{spec}")
    assert isinstance(node, DateWindow)
    return node.bounds(now)


def test_relative_windows_are_computed_from_now() -> None:
    assert bounds("24h") == (NOW - timedelta(hours=24), None)
    assert bounds("7d") == (NOW - timedelta(days=7), None)
    assert bounds("7j") == (NOW - timedelta(days=7), None)
    assert bounds("2w") == (NOW - timedelta(weeks=2), None)
    assert bounds("2W") == (NOW - timedelta(weeks=2), None)


def day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


def test_absolute_windows() -> None:
    assert bounds("2026-11-01..2026-11-27") == (day(2026, 11, 1), day(2026, 11, 28))
    assert bounds("2026-11") == (day(2026, 11, 1), day(2026, 12, 1))
    assert bounds("2026-12") == (day(2026, 12, 1), day(2027, 1, 1))
    assert bounds("2026") == (day(2026, 1, 1), day(2027, 1, 1))
    assert bounds("2026-11-27") == (day(2026, 11, 27), day(2026, 11, 28))
    assert bounds(">2026-11-01") == (day(2026, 11, 2), None)
    assert bounds(">=2026-11-01") == (day(2026, 11, 1), None)
    assert bounds("<2026-11-01") == (None, day(2026, 11, 1))
    assert bounds("<=2026-11-01") == (None, day(2026, 11, 2))
    assert bounds("2026-11-01..") == (day(2026, 11, 1), None)
    assert bounds("..2026-11-27") == (None, day(2026, 11, 28))
    assert bounds("2026-10..2026-11") == (day(2026, 10, 1), day(2026, 12, 1))


def test_calendar_days_follow_the_time_zone_of_now() -> None:
    paris = ZoneInfo("Europe/Paris")
    start, end = bounds("2026-11-27", NOW.astimezone(paris))
    assert start == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 27, 23, 0, tzinfo=UTC)


def test_date_window_node_is_pure() -> None:
    node = parse_query("date:2026-11")
    assert node == DateWindow("2026-11", start=date(2026, 11, 1), end=date(2026, 12, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        node.bounds(datetime(2026, 11, 27))


@pytest.mark.parametrize(
    "spec",
    [
        "2026-13-01",
        "2026-02-30",
        "hier",
        "7x",
        "0d",
        "2026-11-01..2026-13-01",
        "..",
        ">",
        "26-11-01",
    ],
)
def test_bad_dates(spec: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(f"date:{spec}")
    assert str(err.value) == (
        f"Date invalide dans date:{spec} — exemple : date:2026-11-01..2026-11-27 ou date:7d"
    )


def test_reversed_range_is_an_error() -> None:
    with pytest.raises(QueryError, match=r"Période vide dans date:2026-11-27\.\.2026-11-01"):
        parse_query("date:2026-11-27..2026-11-01")


# ------------------------------------------------------------------- errors


def error(q: str) -> str:
    with pytest.raises(QueryError) as err:
        parse_query(q)
    return str(err.value)


def test_unclosed_quote() -> None:
    assert error('"prix') == 'Guillemet non fermé dans « "prix »'
    assert error('carrefour "prix') == 'Guillemet non fermé dans « "prix »'
    assert error("« prix") == "Guillemet non fermé dans « « prix »"
    assert error('entity:"Banque de') == 'Guillemet non fermé dans « "Banque de »'


def test_unbalanced_parentheses() -> None:
    assert error("(prix OR hausse") == "Parenthèse non fermée dans « (prix OR hausse »"
    assert error("prix)") == "Parenthèse fermante sans parenthèse ouvrante dans « prix) »"
    assert error("(a) b)") == "Parenthèse fermante sans parenthèse ouvrante dans « (a) b) »"
    assert error("()") == "Parenthèses vides dans « () »"
    assert error("(") == "Parenthèse non fermée dans « ( »"


def test_unknown_field_lists_known_fields() -> None:
    msg = error("foo:bar")
    assert msg.startswith("Champ inconnu « foo: » dans « foo:bar » — champs connus : ")
    for name in ("axis:", "source:", "entity:", "topic:", "ref:", "title:", "lang:", "date:"):
        assert name in msg


def test_empty_field_values() -> None:
    assert error("axis:") == "Valeur manquante après « axis: » — exemple : axis:reglementaire"
    assert error("prix date: 7d") == "Valeur manquante après « date: » — exemple : date:7d"
    assert error('entity:""').startswith("Valeur manquante après « entity: »")
    assert error("titre:").startswith("Valeur manquante après « titre: »")


def test_dangling_operators() -> None:
    assert error("prix AND") == "Terme manquant après « AND »"
    assert error("OR prix") == "Terme manquant avant « OR »"
    assert error("AND prix") == "Terme manquant avant « AND »"
    assert error("prix OR OR hausse") == "Deux opérateurs de suite : « OR OR »"
    assert error("prix NOT") == "Terme manquant après « NOT »"
    assert error("(prix OU)") == "Terme manquant après « OU »"
    assert error("prix SAUF") == "Terme manquant après « SAUF »"


def test_limits() -> None:
    assert error("a" * 1001).startswith("Requête trop longue")
    assert error(" ".join(["mot"] * 65)).startswith("Requête trop complexe")


def test_query_error_is_a_value_error() -> None:
    assert issubclass(QueryError, ValueError)


# ------------------------------------------------------------------- helpers


def test_positive_text_nodes_skip_negations_and_fields() -> None:
    node = parse_query('prix -carrefour (hausse OR "grande distribution") axis:x NOT (baisse)')
    assert [words(n) for n in positive_text_nodes(node)] == [
        ("w", "prix"),
        ("w", "hausse"),
        ("p", "grande distribution"),
    ]


def test_term_spans_point_into_the_query() -> None:
    q = "prix -carrefour titre:reglemantation +hausse"
    spans = {}
    node = parse_query(q)
    assert isinstance(node, And)
    for child in node.children:
        target = child.child if isinstance(child, Not) else child
        assert isinstance(target, Term)
        spans[target.text] = q[target.start : target.end]
    assert spans == {
        "prix": "prix",
        "carrefour": "carrefour",
        "reglemantation": "reglemantation",
        "hausse": "hausse",
    }
