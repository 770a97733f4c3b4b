"""Mojibake repaired once, at ingest (watcher.collect.repair, called by the item pipeline):
unit tests on real double-decoded text, clean real text left byte for byte, and crawls of a real
HTTP server on 127.0.0.1 whose page and feed reach Watcher double-decoded."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from ftfy.badness import is_bad

from conftest import Watcher, feed_source, rss, write
from watcher.collect.extract import extract_article
from watcher.collect.feeds import FeedError, parse_feed
from watcher.collect.repair import repair, repair_entry
from watcher.demo.server import LocalSite, Route
from watcher.model import Entry
from watcher.store.pages import PageStore

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
TESTS = Path(__file__).parent


def jsonl_text(path: str, line: int, key: str) -> str:
    return json.loads((TESTS / path).read_text(encoding="utf-8").splitlines()[line - 1])[key]


# --------------------------------------------------------------------------- real mojibake

# UTF-8 read as ISO-8859-16 (Latin-10), next to apostrophes and « n° » the page wrote as
# entities (so correct): lines of https://ma-veille-juridique.com/deliberation-n-2022-089-du-8-
# septembre-2022-portant-modification-du-reglement-interieur-de-la-commission-nationale-de-
# linformatique-et-des-libertes/ as stored in tests/data/refs/real_dev.jsonl (lines 1308, 1311,
# 1312), and of https://vv7l1gsybb.pages.dev/292 (tests/data/refs/real_heldout.jsonl, line 341);
# « PĂŽle » (Pôle: C3 B4 read as Latin-10), a ruling's header on https://x112xnfaj9.pages.dev/189
# (real_heldout.jsonl, line 794, batch b26), which ftfy's badness test does not flag.
LATIN10 = [
    (
        ("refs/real_dev.jsonl", 1308),
        "🟧 Délibération du 8 septembre 2022 portant modification du règlement intérieur de la "
        "Commission nationale de l’informatique et des libertés",
    ),
    (
        ("refs/real_dev.jsonl", 1311),
        "Vu l’arrêté du 27 février 2020 pris en application du décret n° 2020-173 du 27 février "
        "2020 relatif aux modalités de rémunération des membres des autorités administratives "
        "indépendantes et des autorités publiques indépendantes, notamment ses articles 4 à 6 ;",
    ),
    (
        ("refs/real_dev.jsonl", 1312),
        "Vu la délibération n° 2020-057 du 28 mai 2020 portant modification du règlement "
        "intérieur de la Commission nationale de l’informatique et des libertés ;",
    ),
    (
        ("refs/real_heldout.jsonl", 794),
        "Cour d'appel de Paris, Pôle 4 - chambre 9 - a, 18 novembre 2021, n° 19/00669",
    ),
    (  # b29 (2026-12-06): « Ă\xa0» is « à » (C3 A0) read as Latin-10
        ("refs/real_heldout.jsonl", 943),
        "Ainsia vu le jour l’article L121-3 du code de la route issu de la loi du 12 juin 2003, "
        "permettant de condamner à une amende civile le titulaire d’une carte grise pour une "
        "infraction qu’il n’a pas commise.",
    ),
]


@pytest.mark.parametrize(("where", "expected"), LATIN10)
def test_utf8_read_as_latin10_next_to_correct_text_is_repaired(
    where: tuple[str, int], expected: str
) -> None:
    found = jsonl_text(f"data/{where[0]}", where[1], "text")
    assert "Ă" in found
    assert repair(found) == expected


def test_latin10_mojibake_that_ftfy_reads_through_windows_1250_is_read_as_latin10() -> None:
    # a part of real_dev.jsonl line 1308 without « ’ » and « Ș »: ftfy alone reads it through
    # Windows-1250 and gives « rÚglement »
    found = jsonl_text("data/refs/real_dev.jsonl", 1308, "text")[37:99]
    assert found == "portant modification du rĂšglement intĂ©rieur de la Commission"
    assert repair(found) == "portant modification du règlement intérieur de la Commission"


def test_latin10_mojibake_whose_lost_bytes_cannot_come_back_is_repaired_where_it_can() -> None:
    found = jsonl_text("data/refs/real_heldout.jsonl", 341, "text")
    fixed = repair(found)
    assert fixed.startswith(
        "LaHaute Juridiction administrative déduit de la lecture combinée des articles du code "
        "de lâurbanisme"  # ’ (E2 80 99) lost its two last bytes at the source: left as it is
    )
    assert "types de requêtes manifestement irrecevables susceptibles dâêtre rejetées" in fixed


# UTF-8 read as Windows-1252 / Latin-1, in public GitHub files found with the `find_string`
# tool (the library's stored-file ids; the tool gives no repository name): « DÃ©cret » in a
# ministry's mail register exported as SQL (id 2979104953), « lâ€™article » in a site's terms of
# use (id 19512101581), « dÃ©cret » in a wine appellation's description (id 14305104712).
WINDOWS_1252 = [
    (
        " ArrÃªtÃ© interministÃ©riel portant application du DÃ©cret nÂ° 2012-005/PR du 29 "
        "fÃ©vrier 2012 relatifs aux comitÃ© de dÃ©veloppement Ã  la base (CDB)",
        " Arrêté interministériel portant application du Décret n° 2012-005/PR du 29 février "
        "2012 relatifs aux comité de développement à la base (CDB)",
    ),
    (
        "Toute reprÃ©sentation totale ou partielle de ce site par quelque procÃ©dÃ© que ce soit, "
        "sans lâ€™autorisation expresse de lâ€™exploitant du site Internet constituerait une "
        "contrefaÃ§on sanctionnÃ©e par lâ€™article L 335-2 et suivants du Code de la "
        "propriÃ©tÃ© intellectuelle.",
        "Toute représentation totale ou partielle de ce site par quelque procédé que ce soit, "
        "sans l’autorisation expresse de l’exploitant du site Internet constituerait une "
        "contrefaçon sanctionnée par l’article L 335-2 et suivants du Code de la "
        "propriété intellectuelle.",
    ),
    (
        "Ce vignoble, reconnu en AOC en 1936 (derniÃ¨res modifications du dÃ©cret le 19 "
        "septembre 20034, le 27 octobre 20095 et le 12 octobre 20116)",
        "Ce vignoble, reconnu en AOC en 1936 (dernières modifications du décret le 19 "
        "septembre 20034, le 27 octobre 20095 et le 12 octobre 20116)",
    ),
]


# short texts ftfy does not find bad: a region's name in public GitHub files found with
# `find_string` (« ÃŽle-de-France »: a list of French regions in JSON, id 59397119865; a
# cost-of-living table, id 26156742205)
WINDOWS_1252 += [
    ("ÃŽle-de-France", "Île-de-France"),
    ("Paris, ÃŽle-de-France", "Paris, Île-de-France"),
]


@pytest.mark.parametrize(("found", "expected"), WINDOWS_1252)
def test_utf8_read_as_windows_1252_is_repaired(found: str, expected: str) -> None:
    assert repair(found) == expected


def test_only_the_encoding_is_repaired_french_typography_is_kept() -> None:
    # curly quotes, guillemets, no-break and narrow no-break spaces, a ligature, an entity:
    # nothing else than the encoding changes
    clean = "« l’article L.\u00a0121-1 »\u202f; ﬁn &amp; “citation” — Ⅳ\n\tœuvre"
    assert repair(clean) == clean
    assert repair(clean.encode().decode("latin-1")) == clean


# --------------------------------------------------------------------------- clean real text


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def real_texts() -> list[str]:
    """Every real text of tests/data and tests/fixtures, as Watcher would store it: the strings
    of the data sets, the lines of the text files, the title/summary/text/author extracted
    from the pages and feeds."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    texts: list[str] = []
    for path in sorted([*(TESTS / "data").rglob("*"), *(TESTS / "fixtures").rglob("*")]):
        if not path.is_file() or "hostile" in path.parts:
            continue
        raw = path.read_bytes()
        entries = []
        if path.suffix == ".jsonl":
            texts += _strings([json.loads(line) for line in raw.decode().splitlines() if line])
        elif path.suffix == ".yml":
            texts += _strings(yaml.load(raw.decode(), Loader=loader))
        elif path.suffix in (".txt", ".md"):
            texts += raw.decode().splitlines()
        elif path.suffix == ".html":
            entries = [extract_article(raw.decode("utf-8", "replace"), "https://example.org/")]
        elif path.suffix in (".xml", ".rss", ".atom", ".rdf", ".json"):
            try:
                entries = parse_feed(raw, "https://example.org/feed").entries
            except FeedError:
                continue
        for entry in entries:
            texts += [entry.title, entry.summary, entry.text, entry.author]
    return [text for text in texts if text]


def test_every_real_text_that_is_not_mojibake_comes_out_byte_identical() -> None:
    texts = real_texts()
    # real mojibake ftfy's badness test does not see (« PĂŽle »): the lines repaired above
    latin10 = {jsonl_text(f"data/{path}", line, "text") for (path, line), _ in LATIN10}
    clean = [text for text in texts if not is_bad(text) and text not in latin10]
    assert len(clean) > 39_000 and sum(not text.isascii() for text in clean) > 12_000
    changed = [text for text in clean if repair(text) != text]
    assert changed == []
    mojibake = [text for text in texts if is_bad(text)]  # the lines above, and notes about them
    assert all(not is_bad(repair(text)) for text in mojibake if "lâ" not in text)


# --------------------------------------------------------------------------- crawled


ARTICLE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Délibération n° 2022-089 : le règlement intérieur de la CNIL modifié</title></head>
<body><article><h1>Délibération n° 2022-089 : le règlement intérieur de la CNIL modifié</h1>
<p>La Commission nationale de l’informatique et des libertés a modifié son règlement intérieur
par une délibération du 8 septembre 2022, publiée au Journal officiel.</p>
<p>Le texte précise les règles de déport des membres et l’organisation des séances plénières ;
il s’applique à compter de sa publication, selon l’article 2 de la délibération.</p>
<p>Les clients des opérateurs peuvent saisir la Commission d’une réclamation en ligne.</p>
</article></body></html>"""


def test_a_page_served_as_iso_8859_1_whose_bytes_are_utf8_is_stored_repaired(
    watcher: Watcher, site: LocalSite
) -> None:
    write(
        site, "actu/index.html", '<html><body><h2><a href="/actu/1.html">1</a></h2></body></html>'
    )
    # the header wins over <meta charset> (Scrapy, as browsers): the page reads as Windows-1252
    site.routes["/actu/1.html"] = Route(
        body=ARTICLE.encode(), headers={"Content-Type": "text/html; charset=iso-8859-1"}
    )
    watcher.write(
        [
            {
                "id": "cnil",
                "kind": "page",
                "url": site.base + "/actu/index.html",
                "follow": "h2 a::attr(href)",
                "axis": "reglementaire",
                "every": "1h",
                "allow_private": True,
            }
        ]
    )
    report = watcher.crawl(NOW)
    assert (report.results[0].error, report.results[0].new) == ("", 1)
    [item] = watcher.store().list_items()
    assert item.title == "Délibération n° 2022-089 : le règlement intérieur de la CNIL modifié"
    assert "La Commission nationale de l’informatique et des libertés a modifié" in item.text
    assert "il s’applique à compter de sa publication, selon l’article 2" in item.text
    assert not is_bad(item.text) and "Ã" not in item.text + item.summary


def test_a_feed_whose_entries_were_double_encoded_at_the_source_is_stored_repaired(
    watcher: Watcher, site: LocalSite
) -> None:
    # the publisher's CMS stored mojibake: the feed's own bytes are good UTF-8 of « DÃ©cret »
    title = "Décret n° 2024-1040 du 19 novembre 2024 : l’étiquetage « prix au kilo »"
    summary = "Le décret précise l’affichage des prix à l’unité de mesure dans les rayons."
    write(
        site,
        "feed.xml",
        rss(
            site.base,
            [
                {
                    "title": title.encode().decode("cp1252"),
                    "link": f"{site.base}/decret",
                    "guid": "decret-2024-1040",
                    "description": summary.encode().decode("cp1252"),
                }
            ],
        ),
    )
    # and a feed with good UTF-8 served as ISO-8859-1 (feedparser already reads it right)
    site.routes["/latin.xml"] = Route(
        body=rss(site.base, [{"title": title, "link": f"{site.base}/l", "guid": "l"}]),
        headers={"Content-Type": "application/rss+xml; charset=iso-8859-1"},
    )
    watcher.write(
        [feed_source(site, "/feed.xml", id="dgccrf"), feed_source(site, "/latin.xml", id="l")]
    )
    report = watcher.crawl(NOW)
    assert [(r.error, r.new) for r in report.results] == [("", 1), ("", 1)]
    items = {item.source_id: item for item in watcher.store().list_items()}
    assert items["dgccrf"].title == title and items["l"].title == title
    assert items["dgccrf"].summary == summary and items["dgccrf"].text == summary


def test_a_watched_page_served_with_the_wrong_charset_is_stored_repaired(
    watcher: Watcher, site: LocalSite
) -> None:
    site.routes["/offre.html"] = Route(
        body='<html><body><div class="conditions"><p>Frais de résiliation : 49 € ; '
        "l’engagement « 12 mois » est reconduit.</p></div></body></html>".encode(),
        headers={"Content-Type": "text/html; charset=windows-1252"},
    )
    watcher.write(
        [
            {
                "id": "rival",
                "name": "Offre fibre Rival",
                "kind": "monitor",
                "url": site.base + "/offre.html",
                "select": ".conditions",
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            }
        ]
    )
    assert watcher.crawl(NOW).results[0].error == ""
    [version] = PageStore(watcher.store()).page_versions("rival")
    assert version.text == ("Frais de résiliation : 49 € ; l’engagement « 12 mois » est reconduit.")


def test_an_item_stored_garbled_before_is_stored_repaired_when_its_feed_serves_it_again(
    watcher: Watcher, site: LocalSite
) -> None:
    title = "Délibération n° 2022-089 : l’avis de la CNIL"
    garbled = title.encode().decode("cp1252")
    item = {"title": garbled, "link": f"{site.base}/cnil", "guid": "cnil-2022-089"}
    write(site, "feed.xml", rss(site.base, [item]))
    watcher.write([feed_source(site, "/feed.xml", id="cnil")])
    store = watcher.store()
    # as a crawl before the repair stored it
    entry = Entry(url=f"{site.base}/cnil", title=garbled, guid="cnil-2022-089")
    store.store_feed("cnil", (), [entry], NOW, url=site.base + "/feed.xml", found=None)
    assert [i.title for i in store.list_items()] == [garbled]
    report = watcher.crawl(NOW)
    assert (report.results[0].new, report.results[0].updated) == (0, 1)
    assert [i.title for i in watcher.store().list_items()] == [title]


def test_invisible_formatting_characters_are_dropped_from_an_entry() -> None:
    # as on a real craigslist feed (tests/fixtures/feeds/world/craigslist-rdf.rss)
    entry = Entry(
        url="https://example.org/a",
        title="Empath\u00ad? (Ta\u200bcoma)",
        summary="Are you Highly Sensitive? an \u202a\u200eHSP\u202c? 👩\u200d💻",
        text="an \u2066HSP\u2069\ufeff",
        author="\u200fRuben",
    )
    cleaned = repair_entry(entry)
    assert (cleaned.title, cleaned.text, cleaned.author) == ("Empath? (Tacoma)", "an HSP", "Ruben")
    assert (
        cleaned.summary == "Are you Highly Sensitive? an HSP? 👩\u200d💻"
    )  # the emoji joiner stays
    assert repair_entry(cleaned) is cleaned
