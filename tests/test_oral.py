"""The oral deck (issue 21): `watcher oral` on the demo watch — the demo collected by `watcher
demo`, then sorted by its learners (items retained and rejected with a reason, fiches with
actions and a cross-check, through the store as the web app writes them) — gives an editable
PPTX and a PDF handout of the same slides, with every section of the talk and the demo's data,
every text inside its box (measured here with the real advance widths of DejaVu Sans), sizes a
projector can show, and speaker notes whose times add up to the budget."""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import matplotlib
import pytest
from click.testing import CliRunner
from matplotlib.ft2font import FT2Font
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader
from test_dossier import dossier_of, make_watch

from watcher.cli.main import main
from watcher.errors import BadValue
from watcher.model import Fiche
from watcher.report.oral import allocate, plan_oral
from watcher.report.oral_layout import ImageBox, TableBox, TextBox
from watcher.store import Store

pytestmark = pytest.mark.slow

NOTE_TIME = re.compile(r"Temps prévu : (\d+) min (\d+) s")
PLACEHOLDERS = re.compile(r"À compléter|TODO|Lorem|\{\{|\bNone\b|XXX|placeholder", re.IGNORECASE)
MEMBERS = {
    "lea.moreau@example.org": "Léa Moreau",
    "karim.benali@example.org": "Karim Benali",
    "sophie.nguyen@example.org": "Sophie Nguyen",
}
SUMMARY = "Telvia rappelle ses clients en moins de 24 heures."
ACTION = "Mesurer notre délai de rappel et le comparer à celui de Telvia"


# --- an independent measure of text: DejaVu Sans's real advance widths ---------------------------

_FONT = FT2Font(os.path.join(matplotlib.get_data_path(), "fonts/ttf/DejaVuSans.ttf"))
_FONT.set_size(100, 72)  # 100 px per em
_ADVANCE: dict[str, float] = {}


def _width(text: str, size: float) -> float:
    """Points taken by `text` at `size` points, glyph by glyph."""
    for ch in set(text) - set(_ADVANCE):
        _ADVANCE[ch] = _FONT.load_char(ord(ch)).linearHoriAdvance / 65536 / 100  # em
    return sum(_ADVANCE[ch] for ch in text) * size


def _lines(text: str, width_pt: float, size: float) -> int:
    """Lines `text` takes, wrapped word by word (a word longer than the line is broken)."""
    count = 0
    for paragraph in text.split("\n") or [""]:
        line = ""
        lines = 1
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if _width(candidate, size) <= width_pt:
                line = candidate
                continue
            if line:
                lines += 1
            while _width(word, size) > width_pt:
                word = word[max(1, int(len(word) * width_pt / _width(word, size))) :]
                lines += 1
            line = word
        count += lines
    return count


def _pt(emu: int) -> float:
    return Emu(emu).pt


def _paragraph_size(paragraph: Any) -> float:
    sizes = {run.font.size.pt for run in paragraph.runs if run.font.size is not None}
    assert len(sizes) == 1, f"one size per paragraph: {paragraph.text!r}"
    return sizes.pop()


def _frame_fits(shape: Any) -> None:
    tf = shape.text_frame
    width = _pt(shape.width) - _pt(tf.margin_left) - _pt(tf.margin_right)
    height = _pt(shape.height) - _pt(tf.margin_top) - _pt(tf.margin_bottom)
    used = 0.0
    for paragraph in tf.paragraphs:
        if not paragraph.text:
            continue
        size = _paragraph_size(paragraph)
        indent = paragraph._p.pPr.get("marL") if paragraph._p.pPr is not None else None
        left = _pt(int(indent)) if indent else 0.0
        spacing = paragraph.line_spacing.pt if paragraph.line_spacing is not None else 1.2 * size
        before = paragraph.space_before.pt if paragraph.space_before is not None else 0.0
        used += before + _lines(paragraph.text, width - left, size) * spacing
    assert used <= height + 0.5, f"{shape.name}: {used:.0f} > {height:.0f} pt: {tf.text!r}"


def _table_fits(shape: Any) -> None:
    table = shape.table
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            width = _pt(table.columns[c].width) - _pt(cell.margin_left) - _pt(cell.margin_right)
            height = _pt(row.height) - _pt(cell.margin_top) - _pt(cell.margin_bottom)
            for paragraph in cell.text_frame.paragraphs:
                if not paragraph.text:
                    continue
                size = _paragraph_size(paragraph)
                spacing = paragraph.line_spacing.pt if paragraph.line_spacing else 1.2 * size
                used = _lines(paragraph.text, width, size) * spacing
                assert used <= height + 0.5, f"cell {r},{c} overflows: {paragraph.text!r}"


def _texts(slide: Any) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def _links(slide: Any) -> list[str]:
    found = []
    for shape in slide.shapes:
        frames = [shape.text_frame] if shape.has_text_frame else []
        if shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for tf in frames:
            for paragraph in tf.paragraphs:
                found += [r.hyperlink.address for r in paragraph.runs if r.hyperlink.address]
    return found


def _part(titles: list[str], texts: list[str], title: str) -> str:
    """The texts of a part's slides (its title, and « (suite) » slides)."""
    found = [t for n, t in enumerate(texts) if titles[n] in (title, f"{title} (suite)")]
    assert found, f"no slide « {title} » in {titles}"
    return "\n".join(found)


def _title(slide: Any) -> str:
    return next((s.text_frame.text for s in slide.shapes if s.name == "title"), "")


# --- the demo, sorted by its learners -----------------------------------------------------------


def _curate(root: Path, now: datetime) -> dict[str, Any]:
    """What the demo's learners do in the web app: per axis, items retained and a fiche (one
    with an action and a cross-check), items rejected with a reason."""
    store = Store(root / "watcher.db")
    try:
        items = store.list_items()
        views = {v.item.id: v for v in store.views([i.id for i in items])}
        by_axis: dict[str, list[int]] = {}
        for item_id in sorted(views):
            for axis in views[item_id].axes[:1]:
                by_axis.setdefault(axis, []).append(item_id)
        learners = list(MEMBERS)
        done: dict[str, Any] = {"fiches": {}, "rejected": []}
        t = now - timedelta(hours=2)
        for n, (axis, ids) in enumerate(sorted(by_axis.items())):
            who = learners[n % len(learners)]
            for item_id in ids[:3]:
                store.set_curation("demo", item_id, "retained", actor=who, now=t)
            first = views[ids[0]].item
            fiche = Fiche(
                item_id=first.id,
                group_id="demo",
                qui=first.source_id,
                quoi=first.title,
                summary=SUMMARY if axis == "concurrence" else f"À retenir : {first.title}",
                importance="Nos clients comparent nos délais à ceux du marché.",
                action=ACTION if axis == "concurrence" else "",
                action_owner=MEMBERS[who] if axis == "concurrence" else "",
                action_deadline=now.date() + timedelta(days=30) if axis == "concurrence" else None,
                crosscheck_item_id=ids[1] if axis == "concurrence" and len(ids) > 1 else None,
            )
            store.save_fiche(fiche, actor=who, now=t)
            done["fiches"][axis] = first.title
            for item_id in ids[-2:]:
                if item_id not in ids[:3]:
                    store.set_curation(
                        "demo", item_id, "rejected", reason="hors sujet", actor=who, now=t
                    )
                    done["rejected"].append(item_id)
        return done
    finally:
        store.close()


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("oral") / "demo"
    runner = CliRunner()
    made = runner.invoke(main, ["demo", "--dir", str(root), "--port", "0"])
    assert made.exit_code == 0, made.output
    now = datetime.now(UTC)
    done = _curate(root, now)
    # the day a user in the demo watch's timezone types: between 23:00 and midnight UTC in
    # winter it is already tomorrow in Paris, and the items just collected fall on that day
    today = now.astimezone(ZoneInfo("Europe/Paris")).date()
    start = today - timedelta(days=13)
    out = root / "oral"
    result = runner.invoke(
        main,
        ["--config", str(root / "sources.yml"), "oral", "--group", "demo",
         "--from", start.isoformat(), "--to", today.isoformat(), "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pptx = out / f"oral-{start.isoformat()}-{today.isoformat()}.pptx"
    pdf = out / f"oral-{start.isoformat()}-{today.isoformat()}.pdf"
    return {"root": root, "output": result.output, "pptx": pptx, "pdf": pdf, **done}


def test_the_deck_opens_and_has_every_part_with_the_demo_data(deck: dict[str, Any]) -> None:
    prs = Presentation(str(deck["pptx"]))
    slides = list(prs.slides)
    titles = [_title(s) for s in slides]
    texts = [_texts(s) for s in slides]
    everything = "\n".join(texts)
    assert "Support de l'oral de Groupe démo" in deck["output"]
    # 1. title: the watch, the group, members with their roles, the period
    cover = texts[0]
    assert "Veille démo – relation client distribution & télécoms" in cover
    assert "Groupe démo" in cover and "période du" in cover
    for name, role in (
        ("Léa Moreau", "responsable veille concurrentielle"),
        ("Karim Benali", "responsable veille juridique"),
        ("Sophie Nguyen", "responsable normes et PESTEL"),
    ):
        assert f"{name} — {role}" in cover
    # 2. the plan de veille: axes, search equations, sources with their VERIF ratings
    plan = _part(titles, texts, "Les axes de la veille et les équations de recherche")
    for label in ("Marché & concurrence", "Juridique & réglementaire", "Normes"):
        assert label in plan
    assert 'Équation : "service client" AND (rappel' in plan
    sources = _part(titles, texts, "Les sources, leur nature et leur fiabilité (VERIF)")
    for name in ("Relation Client Hebdo", "Le Fil Conso", "Espace presse Telvia"):
        assert name in sources
    assert "13/15" in sources and "non notée" not in sources.split("VERIF", 1)[0]
    # 3. method: sources, frequency, items per week by collection date, digests and recipients
    method = _part(titles, texts, "Comment la veille a fonctionné")
    assert "Collecte automatique" in method and "Destinataires : Léa Moreau" in method
    weeks = _part(titles, texts, "Collecte, tri et diffusion semaine par semaine")
    assert "Semaine de collecte" in weeks and "Rejetés" in weeks
    # 4. one slide per axis, findings with their source and date
    for label in ("Marché & concurrence", "Juridique & réglementaire", "Normes"):
        assert f"Axe {label} : les résultats clés" in titles
    market = _part(titles, texts, "Axe Marché & concurrence : les résultats clés")
    assert SUMMARY in market
    assert re.search(r"Source : .+ — (publié|collecté) le \d\d/\d\d/\d{4}", market)
    # 5. legal and normative texts, with their nature and official link
    legal = slides[titles.index("Textes juridiques et normatifs de la période")]
    assert "Règlement" in _texts(legal) or "Règl." in _texts(legal)
    assert any("legifrance.gouv.fr" in a or "eur-lex.europa.eu" in a for a in _links(legal))
    # 6. actions with owner and deadline
    actions = _part(titles, texts, "Actions proposées")
    assert "Mesurer notre délai de rappel" in actions and "Léa Moreau" in actions
    assert re.search(r"\d\d/\d\d/\d{4}", actions)
    # 7. verification: cross-checks, rejected items and doubtful sources with reasons
    check = _part(titles, texts, "Vérification : recoupements et sources écartées")
    assert "Recoupements : 1/" in check and "hors sujet" in check
    assert "en échec" in check or "jamais collectée" in check  # the demo's broken source
    # 8. who did what, from the contribution log
    team = _part(titles, texts, "Qui a fait quoi")
    for name in MEMBERS.values():
        assert name in team
    assert "fiche" in team and "(s)" not in team and "Présente à l'oral" in team
    # 9. charts as images; the last slide is for questions
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) >= 2
    assert "questions" in titles[-1]
    assert not PLACEHOLDERS.search(everything), PLACEHOLDERS.search(everything)


def test_every_text_fits_its_box_at_projector_sizes(deck: dict[str, Any]) -> None:
    prs = Presentation(str(deck["pptx"]))
    assert prs.slide_width is not None and prs.slide_height is not None
    for n, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= prs.slide_width + Emu(10), (n, shape.name)
            assert shape.top + shape.height <= prs.slide_height + Emu(10), (n, shape.name)
            frames = []
            if shape.has_text_frame and shape.text_frame.text:
                _frame_fits(shape)
                frames.append(shape.text_frame)
            if shape.has_table:
                _table_fits(shape)
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for tf in frames:
                for paragraph in tf.paragraphs:
                    for run in paragraph.runs:
                        assert run.font.size is not None and run.font.size.pt >= 14, (n, run.text)
                        if shape.name == "title":
                            assert run.font.size.pt >= 24
                        elif shape.name == "body":
                            assert run.font.size.pt >= 16


def test_speaker_notes_add_up_to_the_budget(deck: dict[str, Any]) -> None:
    prs = Presentation(str(deck["pptx"]))
    seconds = 0
    for slide in prs.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert "Présenté par :" in notes
        found = NOTE_TIME.search(notes)
        assert found, notes
        seconds += int(found.group(1)) * 60 + int(found.group(2))
        assert len(notes.split("\n\n", 1)[1]) > 40  # something to say, not just the time
    assert seconds == 20 * 60


def test_every_source_is_named_by_its_own_tool(deck: dict[str, Any]) -> None:
    """The demo's watched offer page is a « page surveillée », not a page read by the robot,
    and the method slide counts every one of the nine sources, by tool."""
    prs = Presentation(str(deck["pptx"]))
    rows = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                for row in shape.table.rows:
                    cells = [c.text for c in row.cells]
                    rows.setdefault(cells[0], cells)  # the sources' table (prices come later)
    assert rows["Telvia — offre Box Fibre"][1] == "Page surveillée"
    assert rows["Espace presse Telvia"][1] == "Page web (robot)"
    method = next(t for t in map(_texts, prs.slides) if "sources suivies :" in t)
    line = next(x for x in method.splitlines() if "sources suivies :" in x)
    total = int(line.split(" ", 1)[0])
    counts = [int(n) for n in re.findall(r"(\d+) × ", line)]
    assert sum(counts) == total == 9, line
    assert "1 × Page surveillée" in line


def test_the_handout_has_a_page_per_slide(deck: dict[str, Any]) -> None:
    slides = len(Presentation(str(deck["pptx"])).slides)
    reader = PdfReader(io.BytesIO(deck["pdf"].read_bytes()))
    assert len(reader.pages) == slides
    first = reader.pages[0].extract_text()
    assert "Groupe démo" in first and "Léa Moreau" in first
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01


def test_minutes_change_the_budget_and_a_too_short_one_is_refused(deck: dict[str, Any]) -> None:
    runner = CliRunner()
    root = deck["root"]
    today = datetime.now(UTC).date()
    args = ["--config", str(root / "sources.yml"), "oral", "--group", "demo",
            "--from", (today - timedelta(days=13)).isoformat(), "--to", today.isoformat(),
            "--format", "PPTX, pptx", "--out", str(root / "short")]  # fmt: skip
    result = runner.invoke(main, [*args, "--minutes", "12"])
    assert result.exit_code == 0, result.output
    (written,) = (root / "short").iterdir()  # --format read as `watcher dossier` reads it
    assert written.suffix == ".pptx"
    total = 0
    for slide in Presentation(str(written)).slides:
        found = NOTE_TIME.search(slide.notes_slide.notes_text_frame.text)
        assert found
        total += int(found.group(1)) * 60 + int(found.group(2))
    assert total == 12 * 60
    refused = runner.invoke(main, [*args, "--minutes", "2"])
    assert refused.exit_code != 0
    assert "Budget trop court" in refused.output and "--minutes" in refused.output


# --- the plan, on the dossier's test watch -----------------------------------------------------


def test_long_lists_continue_on_a_next_slide_and_long_texts_are_cut(tmp_path: Path) -> None:
    built = make_watch(tmp_path)
    d = dossier_of(built, ("html",))
    market = d.results[0]
    fiche = market.fiches[0]
    many = tuple(
        replace(fiche, summary=f"Constat {n} : " + "le marché change vite " * (12 if n else 40))
        for n in range(14)
    )
    d = replace(d, results=(replace(market, fiches=many), *d.results[1:]))
    plan = plan_oral(d, minutes=20, charts=("axes-semaines",))
    titles = [s.title for s in plan.slides]
    assert "Axe Marché & concurrence : les résultats clés" in titles
    assert "Axe Marché & concurrence : les résultats clés (suite)" in titles
    boxes = [
        b
        for s in plan.slides
        if s.title.startswith("Axe Marché")
        for b in s.boxes
        if isinstance(b, TextBox) and b.role == "body"
    ]
    texts = [p.text for b in boxes for p in b.paras]
    assert any(t.startswith("Constat 0 :") and t.endswith("…") for t in texts)  # cut
    assert any(
        "autres : voir le dossier écrit" in t or "un autre : voir le dossier écrit" in t
        for t in texts
    )  # the rest: counted
    assert all(b.fits() for s in plan.slides for b in s.boxes if isinstance(b, TextBox))
    assert sum(s.seconds for s in plan.slides) == 1200
    assert [b.chart for s in plan.slides for b in s.boxes if isinstance(b, ImageBox)] == [
        "axes-semaines"
    ]
    tables = [b for s in plan.slides for b in s.boxes if isinstance(b, TableBox)]
    assert all(b.frame.y + sum(b.row_heights()) / 72 <= 6.85 for b in tables)  # above the footer


def test_the_method_slide_counts_only_digests_sent_by_mail(tmp_path: Path) -> None:
    """One digest went out to four people, another was published with nobody to mail it to:
    the method slide says one was sent by e-mail, not two."""
    from test_dossier import NOW, save_digest

    from watcher.store.mail import MailStore

    built = make_watch(tmp_path)
    mail = MailStore(built.store)
    digest = save_digest(
        mail, built.root, "2026-W39", "", datetime(2026, 9, 28, 6, tzinfo=UTC), retained=1
    )
    mail.queue(digest.id, [], [], NOW)
    plan = plan_oral(dossier_of(built, ("html",)), minutes=20)
    texts = [
        p.text
        for s in plan.slides
        for b in s.boxes
        if isinstance(b, TextBox)
        for p in b.paras
        if p.text.startswith("Synthèse hebdomadaire")
    ]
    assert len(texts) == 1 and texts[0].endswith("1 envoyée par courriel, 1 publiée sans envoi"), (
        texts
    )


def test_counts_on_the_slides_agree_in_number(tmp_path: Path) -> None:
    """« 1 rejeté », « 1 non trié », « leur équation » — not « 1 rejetés », « 1 non triés »,
    « leur 1 équation »."""
    plan = plan_oral(dossier_of(make_watch(tmp_path), ("html",)), minutes=20)
    texts = [
        p.text for s in plan.slides for b in s.boxes if isinstance(b, TextBox) for p in b.paras
    ]
    sorting = next(t for t in texts if "articles collectés, " in t and "non tri" in t)
    assert sorting == "7 articles collectés, 5 retenus, 1 rejeté avec un motif, 1 non trié"
    notes = next(s.notes for s in plan.slides if s.key.startswith("plan-axes"))
    assert "et leur équation de recherche" in notes, notes


def test_the_plan_slides_show_the_topics_an_axis_is_tied_to(tmp_path: Path) -> None:
    d = dossier_of(make_watch(tmp_path), ("html",))
    plan = plan_oral(d, minutes=20)
    texts = [
        p.text
        for s in plan.slides
        if s.key.startswith("plan-axes")
        for b in s.boxes
        if isinstance(b, TextBox)
        for p in b.paras
    ]
    tied = [t for t in texts if t.startswith("Thèmes PESTEL")]
    assert tied == ["Thèmes PESTEL : Social et sociétal, Emploi et recrutement"]  # one tied axis


def test_the_cover_names_the_tutor_by_the_role_the_group_wrote_or_neutrally(
    tmp_path: Path,
) -> None:
    """The test watch's tutor has no role in sources.yml: « tuteur ou tutrice en entreprise »,
    on the cover and among the recipients, never « tuteur » alone."""
    plan = plan_oral(dossier_of(make_watch(tmp_path), ("html",)), minutes=20)
    texts = [
        p.text for s in plan.slides for b in s.boxes if isinstance(b, TextBox) for p in b.paras
    ]
    assert "Hélène Garnier — tuteur ou tutrice en entreprise" in texts
    recipients = next(t for t in texts if t.startswith("Destinataires : "))
    assert "Hélène Garnier (tuteur ou tutrice en entreprise)" in recipients
    assert not any(re.search(r"\btuteur\b(?! ou tutrice)", t) for t in texts)


def test_the_budget_is_shared_in_quarter_minutes() -> None:
    assert allocate([1, 1, 2], 120) == [30, 30, 60]
    assert sum(allocate([2.5, 1, 0.8, 1.2, 2], 20 * 60)) == 1200
    with pytest.raises(BadValue, match="Budget trop court"):
        allocate([1] * 10, 120)


def test_presenters_share_the_talk(tmp_path: Path) -> None:
    d = dossier_of(make_watch(tmp_path), ("html",))
    plan = plan_oral(d, minutes=20)
    speaking = dict(plan.speaking)
    assert set(speaking) == {"Léa Moreau", "Karim Benali", "Sophie Nguyen"}
    assert max(speaking.values()) - min(speaking.values()) <= 4 * 60
    axis = next(s for s in plan.slides if s.key == "axe-reglementaire")
    assert axis.presenter == "Karim Benali"  # the member whose role names the axis
    assert plan.slides[-1].presenter == "tout le groupe"


def test_the_demo_deck_and_handout_are_sealed_and_verify_unchanged(deck: dict[str, Any]) -> None:
    """The deck of the demo (split lists and tables, charts, real sources) carries its signed
    manifest, its code on the title slide, and `watcher verify` finds it unchanged."""
    cover = _texts(Presentation(str(deck["pptx"])).slides[0])
    code = re.search(r"Code de vérification : ([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})", cover)
    assert code, cover
    runner = CliRunner()
    for path in (deck["pptx"], deck["pdf"]):
        result = runner.invoke(
            main, ["--config", str(deck["root"] / "sources.yml"), "verify", str(path), "--json"]
        )
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        assert report["verdict"] == "unchanged", report["sections"]
        assert report["code"] == code.group(1) and report["store_checked"]


def test_a_text_without_a_fiche_says_the_group_has_to_write_its_impact(
    deck: dict[str, Any],
) -> None:
    """The legal slides' last column, « Ce que cela change pour l'entreprise »: the fiche's
    words when the group wrote one, else what the group must write, never a look-alike answer."""
    prs = Presentation(str(deck["pptx"]))
    impacts = []
    for slide in prs.slides:
        if not _title(slide).startswith("Textes juridiques et normatifs de la période"):
            continue
        for shape in slide.shapes:
            if shape.has_table:
                rows = list(shape.table.rows)
                assert rows[0].cells[3].text == "Ce que cela change pour l'entreprise"
                impacts += [row.cells[3].text for row in rows[1:]]
    assert impacts
    to_write = "À rédiger par le groupe (aucune fiche) : ce que ce texte impose à l'entreprise."
    assert to_write in impacts
    for text in impacts:
        assert text and not text.startswith("Cité par"), text
        assert text == to_write or text == "Nos clients comparent nos délais à ceux du marché."


def test_the_competitors_prices_have_their_slide(tmp_path: Path) -> None:
    """The dossier's price history (C1) was nowhere in the deck: a group that watched its
    competitors' prices could not show what it found. A page whose price changed gets a row:
    its price when the period starts and when it ends, the change in French, the count."""
    from watcher.report.dossier import PriceHistory, PricePoint

    def point(day: int, price: str, amount: float) -> PricePoint:
        moment = datetime(2026, 10, day, 8, tzinfo=UTC)
        return PricePoint(moment, f"{day:02d}/10/2026", price, amount, "", None)

    fibre = PriceHistory(
        "prix-rival",
        "Rival – offre Box Fibre",
        "https://rival.example/offre",
        "EUR",
        (
            point(1, "19,99 €", 19.99),
            point(8, "21,49 €", 21.49),
            point(15, "1\u202f299,00 €", 1299),
        ),
    )
    still = PriceHistory(
        "prix-stable",
        "Rival – CGV",
        "https://rival.example/cgv",
        "EUR",
        (point(1, "9,99 €", 9.99),),
    )
    d = dossier_of(make_watch(tmp_path), ("html",))
    plan = plan_oral(replace(d, prices=(fibre, still)), minutes=20)
    [slide] = [s for s in plan.slides if s.key == "prix"]
    assert slide.title == "Veille concurrentielle : les prix des concurrents"
    assert slide.competences == ("C1",)
    [table] = [b for b in slide.boxes if isinstance(b, TableBox)]
    assert [c.header for c in table.columns] == [
        "Page surveillée",
        "Prix au début",
        "Prix à la fin",
        "Évolution",
        "Changements",
    ]
    assert [[c.text for c in row] for row in table.rows] == [
        ["Rival – offre Box Fibre", "19,99 €", "1\u202f299,00 €", "+6\u202f398 %", "2"]
    ]
    assert sum(s.seconds for s in plan.slides) == 1200
    # a one-off price against a monthly one: no percentage
    monthly = replace(fibre, points=(*fibre.points[:2], point(15, "29,99 €/mois", 29.99)))
    [slide] = [
        s for s in plan_oral(replace(d, prices=(monthly,)), minutes=20).slides if s.key == "prix"
    ]
    [table] = [b for b in slide.boxes if isinstance(b, TableBox)]
    assert [c.text for c in table.rows[0]][3] == "—"
    # without a price change, no slide
    assert not [
        s for s in plan_oral(replace(d, prices=(still,)), minutes=20).slides if s.key == "prix"
    ]


def test_a_competitor_s_page_that_is_gone_is_said_under_the_prices_table(tmp_path: Path) -> None:
    """The dossier ends a gone page's price history with « page retirée (410) le … »; the
    oral's prices slide showed its last price as if it were still on line (or, its price never
    changed, left it out). Its row is there, and the same note under the table."""
    from watcher.changes import gone_note
    from watcher.report.dossier import PriceHistory, PricePoint

    moment = datetime(2026, 10, 1, 8, tzinfo=UTC)
    first = PricePoint(moment, "01/10/2026", "9,99 €", 9.99, "", None)
    note = gone_note(410, "05/10/2026")
    gone = PriceHistory(
        "prix-cgv", "Rival – CGV", "https://rival.example/cgv", "EUR", (first,), note, "05/10/2026"
    )
    d = dossier_of(make_watch(tmp_path), ("html",))
    plan = plan_oral(replace(d, prices=(gone,)), minutes=20)
    [slide] = [s for s in plan.slides if s.key == "prix"]
    [table] = [b for b in slide.boxes if isinstance(b, TableBox)]
    assert [[c.text for c in row] for row in table.rows] == [
        ["Rival – CGV", "9,99 €", "9,99 €", "=", "0"]
    ]
    said = (
        "Rival – CGV — page retirée (410) le 05/10/2026 : le dernier prix relevé n'est plus "
        "en ligne."
    )
    [foot] = [b for b in slide.boxes if isinstance(b, TextBox) and b.role == "caption"]
    assert [p.text for p in foot.paras] == [said] and foot.fits()
    assert foot.frame.y >= table.frame.y + table.frame.h
    assert "Dites aussi quelle page ne répond plus" in slide.notes


def test_the_deck_is_refused_before_the_work_for_an_unknown_group_or_a_wrong_out(
    tmp_path: Path,
) -> None:
    """`export_oral` checks where its files go before it reads or renders anything, as
    `export_dossier` does (`jobs.dossier.group_outputs`): nothing is created."""
    from test_dossier import END, NOW, START

    from watcher.errors import Unknown
    from watcher.jobs import open_workspace
    from watcher.jobs.oral import export_oral
    from watcher.workspace import Workspace

    built = make_watch(tmp_path)
    deck = tmp_path / "support.pptx"
    with open_workspace(Workspace(built.root / "sources.yml")) as w:
        before = sorted(tmp_path.rglob("*"))
        with pytest.raises(Unknown, match="Groupe inconnu : g9"):
            export_oral(w, built.watch, "g9", START, END, now=NOW)
        with pytest.raises(BadValue, match="2 fichiers sont à écrire"):
            export_oral(w, built.watch, "g1", START, END, now=NOW, out=deck)
        assert sorted(tmp_path.rglob("*")) == before
