"""The dossier in every format, read back with the libraries a person's tools use: lxml for the
HTML, pypdf for the PDF, python-docx for the DOCX, openpyxl for the XLSX — the content is
checked, not only that a file exists."""

from __future__ import annotations

import base64
import gc
import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader
from test_dossier import END, START, Built, dossier_of, make_watch

from watcher.cli.main import main
from watcher.report.export import RenderedDossier, gc_paused, html_to_pdf, render

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    result = make_watch(tmp_path_factory.mktemp("watch"))
    yield result
    result.store.close()


@pytest.fixture(scope="module")
def rendered(built: Built) -> RenderedDossier:
    return render(dossier_of(built))


def test_charts_are_png_images(rendered: RenderedDossier) -> None:
    assert [c.key for c in rendered.charts] == [
        "axes-semaines",
        "retenus-collectes",
        "couverture-axes",
        "etat-sources",
    ]
    for chart in rendered.charts:
        assert chart.png.startswith(PNG) and len(chart.png) > 5000


def test_html(rendered: RenderedDossier) -> None:
    page = lxml_html.fromstring(rendered.files["html"])
    for anchor in (
        "preuves",
        "introduction",
        "plan",
        "sources",
        "outils",
        "resultats",
        "textes",
        "actions",
        "diffusion",
        "bilan",
        "journal",
        "bibliographie",
    ):
        assert page.get_element_by_id(anchor) is not None
    rows = [tr.text_content() for tr in page.xpath("//tr[td]")]
    tied = [r for r in rows if "Thèmes PESTEL" in r]
    assert len(tied) == 1 and tied[0].startswith(
        "Environnement PESTELinflationThèmes PESTEL : Social et sociétal, Emploi et recrutement—"
    )
    evidence = page.xpath('//tr[starts-with(@id, "preuve-")]')
    assert [tr.get("id") for tr in evidence] == [f"preuve-C{n}" for n in range(1, 8)]
    assert "2 semaines sur 3 avec une synthèse" in evidence[5].text_content()
    # facts link to the fiches of the dossier
    links = evidence[0].xpath(".//a/@href")
    assert any(href.startswith("#fiche-") for href in links)
    fiche_ids = {a.get("id") for a in page.xpath('//div[@class="fiche"]')}
    assert all(href[1:] in fiche_ids for href in links if href.startswith("#fiche-"))
    images = page.xpath("//figure/img/@src")
    assert len(images) == 4
    for src in images:
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG)
    legal = page.get_element_by_id("textes")
    assert legal is not None
    text = page.text_content()
    assert "L. n° 2014-344, 17 mars 2014" in text
    assert "https://www.legifrance.gouv.fr/eli/loi/2014/3/17/2014-344/jo/texte" in page.xpath(
        "//a/@href"
    )
    assert "Groupe Alpha" in text and "Hélène Garnier" in text
    assert "None" not in text


def test_a_fiches_qqoqcp_is_a_definition_list(rendered: RenderedDossier) -> None:
    """The QQOQCP of a fiche is a definition list, not a table: the same questions and answers,
    less for WeasyPrint to lay out (issue 24)."""
    page = lxml_html.fromstring(rendered.files["html"])
    fiches = page.xpath('//div[@class="fiche"]')
    assert fiches and not any(f.xpath(".//table") for f in fiches)
    shown = {
        f.get("id"): [
            (dt.text_content(), dd.text_content())
            for dt, dd in zip(f.xpath(".//dl/dt"), f.xpath(".//dl/dd"), strict=True)
        ]
        for f in fiches
    }
    fiche_views = [fv for axis in rendered.dossier.results for fv in axis.fiches]
    assert len(fiche_views) == len(fiches)
    for fv in fiche_views:
        assert shown[fv.anchor] == list(fv.qqoqcp)
    assert [q for q, _ in shown[fiche_views[0].anchor]][:2] == ["Qui ?", "Quoi ?"]


def test_docx_and_xlsx_list_each_source_as_the_pdf_does(rendered: RenderedDossier) -> None:
    """The DOCX has the PDF's one sources table (no second list of them in the bilan, no row per
    source in the tools); the XLSX's grid adds each source's frequency and collections."""
    doc = Document(io.BytesIO(rendered.files["docx"]))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    for s in rendered.dossier.sources:
        assert [r[0] for r in rows].count(s.name) == 1, s.name
    presse = next(r for r in rows if r[0] == "Presse Conso")
    assert presse[2:] == [
        "flux, toutes les 6 h",
        *("2", "3", "2", "2", "3", "12"),
        "2 / 4 articles",
        "2 (0)",
        "en service",
    ]
    book = load_workbook(io.BytesIO(rendered.files["xlsx"]))
    grid = list(book["Grille des sources"].iter_rows(values_only=True))
    assert grid[0][-3:] == ("Fréquence", "Collectes (période)", "Échecs (période)")
    mort = next(r for r in grid if r[0] == "Flux Mort")
    assert mort[-3:] == ("tous les jours", 2, 2)


def test_docx_lists_the_digests_with_the_pdfs_columns(rendered: RenderedDossier) -> None:
    """The digests' table of the DOCX has the PDF's columns and figures: « Présentés » (what
    the digest showed) apart from « Retenus » (what the group retained), so that it agrees
    with the archived digest's « collectés N / retenus M (dont … par le groupe) »."""
    page = lxml_html.fromstring(rendered.files["html"])
    table = page.xpath('//h1[@id="diffusion"]/following-sibling::table[1]')[0]
    head = [th.text_content() for th in table.xpath(".//thead//th")]
    body = [
        [td.text_content().strip() for td in tr.xpath("./td")] for tr in table.xpath(".//tbody/tr")
    ]
    doc = Document(io.BytesIO(rendered.files["docx"]))
    docx = next(t for t in doc.tables if t.rows[0].cells[0].text == "Semaine")
    rows = [[c.text for c in row.cells] for row in docx.rows]
    assert rows[0] == head
    sent = [r for r in body if len(r) == len(head)]
    assert sent, body
    for r in sent:
        assert r in rows[1:]
    legend = rendered.dossier.diffusion.counts_legend
    assert legend in page.text_content()
    assert any(legend in p.text for p in doc.paragraphs)


def test_no_garbage_collection_runs_while_a_pdf_is_made() -> None:
    """WeasyPrint's boxes made the cyclic GC walk the whole heap again and again — a quarter of
    the dossier's CPU, for next to nothing freed: it is paused while a PDF is made and back on
    after (issue 24)."""
    import weasyprint  # imported beforehand: its import's collections are not the render's

    during: list[int] = []  # the collections that ran with WeasyPrint's code on the stack

    def count(phase: str, info: dict[str, int]) -> None:
        frame = sys._getframe(1)
        while frame is not None and phase == "start":
            if frame.f_code.co_filename.startswith(str(Path(weasyprint.__file__).parent)):
                during.append(info["generation"])
                break
            frame = frame.f_back

    rows = "".join(f"<tr><td>{n}</td><td>ligne n° {n} du tableau</td></tr>" for n in range(300))
    gc.callbacks.append(count)
    try:
        pdf = html_to_pdf(f"<html><body><table>{rows}</table></body></html>")
    finally:
        gc.callbacks.remove(count)
    assert pdf.startswith(b"%PDF") and len(PdfReader(io.BytesIO(pdf)).pages) >= 5
    assert during == [] and gc.isenabled()


def test_the_gc_comes_back_when_the_last_render_ends_unless_it_was_off() -> None:
    """The web app renders in threads: the GC stays paused while any render runs."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with gc_paused():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with gc_paused():
            second_in.set()
            first_out.wait(10)
            seen.append(gc.isenabled())  # the first render ended, this one runs on

    seen: list[bool] = []
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False] and gc.isenabled()
    gc.disable()  # off before: left off
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pdf(rendered: RenderedDossier) -> None:
    reader = PdfReader(io.BytesIO(rendered.files["pdf"]))
    assert len(reader.pages) >= 10
    text = "\n".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "Dossier de veille",
        "Groupe Alpha",
        "Léa Moreau",
        "Preuves par compétence (bloc 1)",
        "2 semaines sur 3 avec une synthèse",
        "3/4 sources notées sur la grille VERIF",
        "L. n° 2014-344, 17 mars 2014",
        "Tester un tchat sur notre site",
        "Annexe B",
        "DURAND, Jeanne. Telvia lance un tchat [en ligne]",
    ):
        assert expected in text, expected
    # WeasyPrint shares one resource dictionary between pages: count distinct pictures
    images = {img.data for page in reader.pages for img in page.images}
    assert len(images) == 4
    # the plan de veille and the source grid are on landscape pages
    shapes = {float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages}
    assert shapes == {True, False}


def test_docx_is_an_editable_document(rendered: RenderedDossier) -> None:
    doc = Document(io.BytesIO(rendered.files["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == [
        "Preuves par compétence (bloc 1)",
        "Introduction et définition des besoins",
        "Plan de veille",
    ]
    assert "Annexe B — Bibliographie et sitographie" in headings
    fiche_titles = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert "Telvia lance un tchat" in fiche_titles
    tables = doc.tables
    assert len(tables) > 10
    cells = [[c.text for c in row.cells] for t in tables for row in t.rows]
    assert ["Compétence", "Ce que montre la veille"] in cells
    needs = next(t for t in tables if t.rows[0].cells[0].text == "Axe" and len(t.columns) == 6)
    pestel = next(row.cells[1].text for row in needs.rows if row.cells[0].text.endswith("PESTEL"))
    assert pestel == "inflation\nThèmes PESTEL : Social et sociétal, Emploi et recrutement"
    plan = next(t for t in tables if t.rows[0].cells[0].text == "Axe" and len(t.columns) == 4)
    plan_rows = {row.cells[0].text: [c.text for c in row.cells] for row in plan.rows}
    assert plan_rows["Marché & concurrence"][2] == "1 source : Presse Conso"
    grid = next(t for t in tables if t.rows[0].cells[0].text == "Source")
    grid_rows = {row.cells[0].text: [c.text for c in row.cells] for row in grid.rows}
    assert grid_rows["Presse Conso"][2] == "flux, toutes les 6 h"
    evidence = next(t for t in tables if t.rows[0].cells[0].text == "Compétence")
    assert "2 semaines sur 3 avec une synthèse" in evidence.rows[6].cells[1].text
    assert len(doc.inline_shapes) == 4  # the charts, as real pictures
    targets = {rel.target_ref for rel in doc.part.rels.values() if rel.is_external}
    assert "https://www.legifrance.gouv.fr/eli/loi/2014/3/17/2014-344/jo/texte" in targets
    assert doc.core_properties.title == "Dossier de veille — Groupe Alpha"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "L. n° 2014-344, 17 mars 2014. Disponible" in body


def test_docx_contents_are_written_out_and_link_to_their_headings(
    rendered: RenderedDossier,
) -> None:
    """The DOCX's sommaire shows its entries as soon as it is opened or printed, without the
    reader updating a field: every heading of levels 1 and 2 in order, each an internal link to a
    bookmark on that heading; it stays a TOC field over those headings, so that « Mettre à jour
    les champs » in Word (« Mettre à jour l'index » in LibreOffice) adds the page numbers (none
    are written: no honest way to know them without the word processor's layout)."""
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(rendered.files["docx"]))
    body = list(doc.element.body.iterchildren(qn("w:p")))
    headings = [p for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    contents = [p for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert [p.text for p in contents] == [p.text for p in headings]
    assert [p.style.name[-1] for p in contents] == [p.style.name[-1] for p in headings]
    assert contents[0].text == "Preuves par compétence (bloc 1)"
    assert "Annexe B — Bibliographie et sitographie" in [p.text for p in contents]
    # the sommaire's own title is not one of its entries
    title = next(p for p in doc.paragraphs if p.text == "Sommaire")
    assert title.style.name == "TOC Heading"
    assert body.index(title._p) < body.index(contents[0]._p) < body.index(headings[0]._p)
    bookmarks = {
        b.get(qn("w:name")): b.getparent() for b in doc.element.body.iter(qn("w:bookmarkStart"))
    }
    for entry, heading in zip(contents, headings, strict=True):
        (link,) = entry._p.findall(qn("w:hyperlink"))
        assert link.get(qn("r:id")) is None  # internal, not a web address
        assert bookmarks[link.get(qn("w:anchor"))] is heading._p
    ids = [b.get(qn("w:id")) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids))
    # one TOC field around the entries: begin and its instruction in the first, end in the last
    instructions = [t.text for t in doc.element.body.iter(qn("w:instrText"))]
    assert [i.split()[0] for i in instructions] == ["TOC"] and '\\o "1-2"' in instructions[0]
    kinds = [
        (body.index(f.getparent().getparent()), f.get(qn("w:fldCharType")))
        for f in doc.element.body.iter(qn("w:fldChar"))
    ]
    first, last = body.index(contents[0]._p), body.index(contents[-1]._p)
    assert kinds == [(first, "begin"), (first, "separate"), (last, "end")]
    assert "Mettre à jour les champs" not in "\n".join(p.text for p in doc.paragraphs)


def test_xlsx_plan_grid_and_references(rendered: RenderedDossier) -> None:
    book = load_workbook(io.BytesIO(rendered.files["xlsx"]))
    assert book.sheetnames == [
        "Plan de veille",
        "Grille des sources",
        "Références",
        "Actions",
        "Preuves par compétence",
        "Graphiques",
    ]
    plan = book["Plan de veille"]
    header = [c.value for c in plan[1]]
    assert header[:4] == ["Axe", "Mots-clés / équation", "Source", "URL"]
    rows = [[c.value for c in row] for row in plan.iter_rows(min_row=2)]
    presse = next(r for r in rows if r[2] == "Presse Conso")
    assert presse[0] == "Marché & concurrence" and presse[6] == "toutes les 6 h"
    assert plan.cell(row=rows.index(presse) + 2, column=4).hyperlink is not None
    grid = book["Grille des sources"]
    grid_rows = {r[0]: r for r in grid.iter_rows(min_row=2, values_only=True)}
    assert grid_rows["Veille Légale"][5:11] == (3, 3, 3, 3, 3, 15)
    assert grid_rows["Blog Normes"][10] is None
    refs = book["Références"]
    ref_rows = {r[3]: r for r in refs.iter_rows(min_row=2, values_only=True)}
    assert ref_rows["fr:loi:2014-344"][2] == "L. n° 2014-344, 17 mars 2014"
    assert ref_rows["eu:celex:32016R0679"][5] == "oui"
    assert len(book["Graphiques"]._images) == 4


def test_cli_writes_every_format(built: Built) -> None:
    runner = CliRunner()
    config = str(built.root / "sources.yml")
    result = runner.invoke(
        main,
        [
            "--config",
            config,
            "dossier",
            "--group",
            "g1",
            "--from",
            START.isoformat(),
            "--to",
            END.isoformat(),
            "--format",
            "html,xlsx",
        ],
    )
    assert result.exit_code == 0, result.output
    folder = built.root / "reports" / "g1"
    for fmt in ("html", "xlsx"):
        path = folder / f"dossier-2026-09-07-2026-09-27.{fmt}"
        assert path.stat().st_size > 1000
    assert not (folder / "dossier-2026-09-07-2026-09-27.pdf").exists()
    assert "7 articles, 4 fiches, 4 références" in result.output
    out = built.root / "ailleurs"
    result = runner.invoke(
        main,
        [
            "--config",
            config,
            "dossier",
            "--group",
            "g1",
            "--from",
            "2026-09-07",
            "--to",
            "2026-09-27",
            "--format",
            "docx",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert Document(str(out / "dossier-2026-09-07-2026-09-27.docx")).paragraphs


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group", "g9", "--from", "2026-09-07", "--to", "2026-09-27"], "Groupe inconnu"),
        (["--group", "g1", "--from", "2026-09-27", "--to", "2026-09-07"], "précède"),
        (["--group", "g1", "--from", "07/09/2026", "--to", "2026-09-27"], "date invalide"),
        (
            ["--group", "g1", "--from", "2026-09-07", "--to", "2026-09-27", "--format", "odt"],
            "Format inconnu",
        ),
    ],
)
def test_cli_refuses_bad_arguments(built: Built, args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        main, ["--config", str(built.root / "sources.yml"), "dossier", *args]
    )
    assert result.exit_code == 2
    assert message in result.output
