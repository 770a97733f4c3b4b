"""A dossier an evaluator can verify (watcher/verify/, watcher/jobs/verify.py, `watcher verify`,
`/verify`): every generated format carries a signed manifest and verifies as unchanged; a DOCX
edited with python-docx is reported precisely; a forged manifest or a wrong signature is
refused; a file of another watch is recognised; a public key alone checks a file without the
store; the records changing after the file was made are reported as such; unreadable and huge
uploads answer a clear French error. The watch is test_dossier's (`make_watch`), written
through the real Store API; the files are made by the real use case (`export_dossier`).
"""

from __future__ import annotations

import base64
import io
import json
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from test_dossier import END, START, make_watch, save_digest
from test_safe_yaml import memory_cap
from test_web_app import CSRF, Ids, Web, _build, _web
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from watcher.cli.main import main
from watcher.config import Watch, load_watch
from watcher.jobs import OpenWorkspace, open_workspace
from watcher.jobs.assess import (
    correct_assessment,
    record_assessment,
    sign_assessment,
    viewer_for,
)
from watcher.jobs.dossier import export_dossier, period_data, seal_of, sealed_dossier
from watcher.jobs.oral import export_oral
from watcher.jobs.verify import verify_file
from watcher.model import Fiche
from watcher.report.dossier import Seal, build_dossier
from watcher.report.export import render
from watcher.report.oral_layout import TextBox
from watcher.store.mail import MailStore
from watcher.verify.compare import Report
from watcher.verify.errors import NoManifest, SigningKeyError, UnreadableFile
from watcher.verify.keys import KEY_ENV, KEY_FILE, fingerprint, signing_key
from watcher.verify.manifest import read_envelope, seal
from watcher.workspace import Workspace

MADE = datetime(2026, 9, 28, 10, 0, tzinfo=UTC)  # the files are generated
LATER = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)  # the evaluator checks them
FORMATS = ("html", "pdf", "docx", "xlsx")
HAND_ADDED = "https://www.lemonde.fr/economie/article/2026/09/12/centres-appels.html"


@dataclass
class Generated:
    root: Path
    workspace: Workspace
    watch: Watch
    opened: OpenWorkspace
    files: dict[str, bytes]
    code: str


def _generate(root: Path) -> Generated:
    built = make_watch(root)
    built.store.close()
    workspace = Workspace(root / "sources.yml")
    opened = OpenWorkspace.open(workspace)
    written = export_dossier(opened, built.watch, "g1", START, END, now=MADE)
    files = {p.suffix[1:]: p.read_bytes() for p in written.paths}
    seal_ = written.rendered.dossier.seal
    assert seal_ is not None
    return Generated(root, workspace, built.watch, opened, files, seal_.code)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(KEY_ENV, raising=False)
        made = _generate(tmp_path_factory.mktemp("verified"))
        yield made
        made.opened.close()


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Generated]:
    """A watch of its own, for tests that change the records after the files were made."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    (tmp_path / "fresh").mkdir()
    made = _generate(tmp_path / "fresh")
    yield made
    made.opened.close()


def _verify(made: Generated, data: bytes, now: datetime = LATER) -> Report:
    return verify_file(data, now=now, w=made.opened, watch=made.watch)


def _findings(report: Report, section: str) -> list[Any]:
    return next(s for s in report.sections if s.id == section).findings


# --- every format verifies as unchanged -----------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_generated_format_verifies_as_unchanged(generated: Generated, fmt: str) -> None:
    report = _verify(generated, generated.files[fmt])
    assert report.verdict == "unchanged", [(s.id, s.findings) for s in report.sections]
    assert report.authentic and report.store_checked and report.code == generated.code
    assert report.headline.startswith("Authentique et inchangé")
    assert [s.id for s in report.sections] == [
        "authenticity",
        "records",
        "added",
        "missing",
        "changed",
    ]
    assert all(not s.findings for s in report.sections)
    note = report.sections[0].note
    assert "Groupe Alpha" in note and generated.code in note
    assert "période du 07/09/2026 au 27/09/2026" in note


def test_the_code_is_on_every_cover_and_the_manifest_where_each_format_keeps_it(
    generated: Generated,
) -> None:
    code = generated.code
    html = generated.files["html"].decode("utf-8")
    assert f"Code de vérification : <strong>{code}</strong>" in html
    assert '<script type="application/json" id="watcher-manifest">' in html
    pdf = PdfReader(io.BytesIO(generated.files["pdf"]))
    assert code in (pdf.pages[0].extract_text() or "")
    assert list(pdf.attachments) == ["watcher-manifest.json"]
    doc = Document(io.BytesIO(generated.files["docx"]))
    assert any(code in p.text for p in doc.paragraphs[:12])
    with zipfile.ZipFile(io.BytesIO(generated.files["docx"])) as package:
        assert any(n.startswith("customXml/item") for n in package.namelist())
    workbook = load_workbook(io.BytesIO(generated.files["xlsx"]))
    assert workbook["Manifeste Watcher"].sheet_state == "veryHidden"
    assert code in workbook["Plan de veille"].oddFooter.left.text
    # one manifest for the four files of one generation: the same evidence
    envelope = read_envelope(pdf.attachments["watcher-manifest.json"][0])
    manifest = envelope.manifest
    assert manifest["group"] == {"id": "g1", "name": "Groupe Alpha"}
    assert manifest["period"] == {"from": "2026-09-07", "to": "2026-09-27"}
    assert manifest["watch"]["name"] == "Veille CDC test"
    item = next(i for i in manifest["items"] if i["url"] == "https://presse.example.org/i1")
    assert item["source"] == "presse" and item["collected_at"] == "2026-09-08T09:00:00+00:00"
    assert len(item["content_hash"]) == 64 and item["version"] == 1 and item["cited"]
    assert [f["version"] for f in manifest["fiches"]] == [1, 1, 1, 1]
    digest = next(d for d in manifest["digests"] if d["week"] == "2026-W37")
    assert digest["recipients"] == 4 and digest["sent_at"]
    assert "https://legal.example.org/atom" in manifest["links"]


# --- a DOCX edited in a word processor ------------------------------------------------------------


def _style(element: Any) -> str:
    found = element.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    return str(found.get(qn("w:val"))) if found is not None else ""


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _edited_docx(original: bytes) -> bytes:
    """A learner's edit in a word processor: one sentence of a fiche changed, an article added
    by hand with its address, the section « Diffusion et mise à disposition » deleted; and
    what a learner is expected to add (their introduction) and the layout (a new style)."""
    doc = Document(io.BytesIO(original))
    changed = 0
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        if "Telvia ouvre un tchat en continu." in run.text:
                            run.text = run.text.replace("en continu", "la nuit seulement")
                            changed += 1
    assert changed == 1
    body = doc.element.body
    removing = False
    for element in list(body.iterchildren()):
        if element.tag == qn("w:p") and _style(element) == "Heading1":
            removing = _text(element).startswith("Diffusion")
        if removing:
            body.remove(element)
    for paragraph in doc.paragraphs:
        if paragraph.text.startswith("À compléter par le groupe : l'entreprise"):
            paragraph.text = "Notre entreprise, Telvia Services, vend des forfaits mobiles."
            paragraph.style = doc.styles["Quote"]
    doc.add_paragraph(
        "Article ajouté : Le Monde, « Les centres d'appels se réinventent », " + HAND_ADDED
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_docx_edited_with_python_docx_is_reported_precisely(generated: Generated) -> None:
    report = _verify(generated, _edited_docx(generated.files["docx"]))
    assert report.verdict == "changed" and report.authentic
    changed = _findings(report, "changed")
    assert len(changed) == 1, changed
    assert changed[0].kind == "fiche" and "Telvia lance un tchat" in changed[0].message
    assert "[en continu]" in changed[0].before and "[la nuit seulement]" in changed[0].after
    added = _findings(report, "added")
    assert [(f.kind, f.ref) for f in added] == [("link", HAND_ADDED)]
    assert "Le Monde" in added[0].after
    missing = _findings(report, "missing")
    assert [(f.kind, f.ref) for f in missing] == [("section", "diffusion")]
    assert "Diffusion et mise à disposition" in missing[0].message
    assert _findings(report, "records") == []
    assert report.headline.startswith("Authentique, modifié depuis sa génération")
    assert "3 différences" in report.headline


def test_cli_reports_an_edited_docx_in_french_and_in_json(
    generated: Generated, tmp_path: Path
) -> None:
    edited = tmp_path / "dossier-rendu.docx"
    edited.write_bytes(_edited_docx(generated.files["docx"]))
    config = str(generated.root / "sources.yml")
    runner = CliRunner()
    result = runner.invoke(main, ["--config", config, "verify", str(edited)])
    assert result.exit_code == 0, result.output  # an edited file is reported, not rejected
    assert "Authentique, modifié depuis sa génération" in result.output
    assert "Textes modifiés (1)" in result.output and "[la nuit seulement]" in result.output
    assert HAND_ADDED in result.output
    result = runner.invoke(main, ["--config", config, "verify", str(edited), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "file",
        "format",
        "verdict",
        "authentic",
        "headline",
        "code",
        "store_checked",
        "manifest",
        "sections",
    }
    assert data["verdict"] == "changed" and data["format"] == "docx" and data["store_checked"]
    assert data["manifest"]["group"] == "g1" and data["manifest"]["fiches"] == 4
    sections = {s["id"]: s for s in data["sections"]}
    assert set(sections["changed"]["findings"][0]) == {"kind", "ref", "message", "before", "after"}
    assert sections["added"]["findings"][0]["ref"] == HAND_ADDED


# --- forged manifests, wrong signatures, another watch --------------------------------------------


def _with_envelope(made: Generated, envelope: bytes, code: str, fmt: str = "docx") -> bytes:
    dossier = sealed_dossier(made.opened, made.watch, "g1", START, END, now=MADE, formats=[fmt])
    return render(replace(dossier, seal=Seal(code, envelope)), [fmt]).files[fmt]


def _envelope(made: Generated) -> dict[str, Any]:
    pdf = PdfReader(io.BytesIO(made.files["pdf"]))
    return dict(json.loads(pdf.attachments["watcher-manifest.json"][0]))


def test_a_forged_item_in_the_manifest_is_refused(generated: Generated) -> None:
    outer = _envelope(generated)
    manifest = json.loads(outer["manifest"])
    manifest["items"].append(
        {
            "id": 99,
            "source": "presse",
            "url": HAND_ADDED,
            "title": "Article inventé",
            "collected_at": "2026-09-10T09:00:00+00:00",
            "content_hash": "0" * 64,
            "version": 1,
            "cited": True,
        }
    )
    outer["manifest"] = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    forged = _with_envelope(generated, json.dumps(outer).encode(), outer["code"])
    report = _verify(generated, forged)
    assert report.verdict == "refused" and not report.authentic
    assert report.headline == "Refusé : la signature du manifeste n'est pas valable."
    assert "Signature invalide" in report.sections[0].findings[0].message
    assert len(report.sections) == 1  # nothing of a forged manifest is reported as evidence


def test_a_manifest_signed_by_another_key_is_refused(generated: Generated, tmp_path: Path) -> None:
    outer = _envelope(generated)
    manifest = json.loads(outer["manifest"])
    other = seal(manifest, Ed25519PrivateKey.generate())  # claims this watch's key
    resigned = _with_envelope(generated, other.envelope, other.code, "xlsx")
    report = _verify(generated, resigned)
    assert report.verdict == "refused"
    path = tmp_path / "faux.xlsx"
    path.write_bytes(resigned)
    result = CliRunner().invoke(
        main, ["--config", str(generated.root / "sources.yml"), "verify", str(path)]
    )
    assert result.exit_code == 1 and "Refusé" in result.output


def test_a_file_of_another_watch_is_recognised(
    generated: Generated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    other_root = tmp_path / "autre"
    other_root.mkdir()
    built = make_watch(other_root)
    built.store.close()
    yml = other_root / "sources.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("Veille CDC test", "Veille du lycée voisin"),
        encoding="utf-8",
    )
    with open_workspace(Workspace(yml)) as other:
        written = export_dossier(
            other, load_watch(yml), "g1", START, END, now=MADE, formats=["docx"]
        )
        theirs = written.paths[0].read_bytes()
    report = _verify(generated, theirs)
    assert report.verdict == "other_watch" and not report.authentic
    message = report.sections[0].findings[0].message
    assert "autre veille" in message and "Veille du lycée voisin" in message
    assert fingerprint(signing_key(generated.workspace)) in message


# --- a public key alone: an evaluator outside the school ------------------------------------------


def test_the_public_key_alone_checks_a_file_without_the_store(
    generated: Generated, tmp_path: Path
) -> None:
    runner = CliRunner()
    config = str(generated.root / "sources.yml")
    exported = runner.invoke(main, ["--config", config, "verify", "--public-key"])
    assert exported.exit_code == 0, exported.output
    assert exported.output.startswith("-----BEGIN PUBLIC KEY-----")
    described = runner.invoke(main, ["--config", config, "verify", "--public-key", "--json"])
    data = json.loads(described.output)
    assert set(data) == {"watch", "fingerprint", "public_key"}
    assert data["fingerprint"] == fingerprint(signing_key(generated.workspace))
    key = tmp_path / "cle-veille.pem"
    key.write_text(exported.output, encoding="ascii")
    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(generated.files["pdf"])
    elsewhere = tmp_path / "ailleurs"  # no sources.yml, no store: never created
    result = runner.invoke(
        main,
        ["--config", str(elsewhere / "sources.yml"), "verify", str(pdf), "--public-key-file",
         str(key), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "unchanged" and report["store_checked"] is False
    records = next(s for s in report["sections"] if s["id"] == "records")
    assert "sans accès aux registres" in records["note"]
    assert not elsewhere.exists()
    edited = tmp_path / "rendu.docx"
    edited.write_bytes(_edited_docx(generated.files["docx"]))
    result = runner.invoke(main, ["verify", str(edited), "--public-key-file", str(key)])
    assert result.exit_code == 0 and "[la nuit seulement]" in result.output
    not_a_key = runner.invoke(main, ["verify", str(pdf), "--public-key-file", str(pdf)])
    assert not_a_key.exit_code == 2
    assert "n'est pas une clé publique Ed25519" in not_a_key.output


# --- the records after the file was made ----------------------------------------------------------


def test_records_changed_after_the_file_was_made_are_reported_as_such(fresh: Generated) -> None:
    store = fresh.opened.store
    i1 = next(i for i in store.list_items(source_id="presse") if i.guid == "i1")
    fiche = store.fiche("g1", i1.id)
    assert fiche is not None
    store.save_fiche(
        replace(fiche, summary="Telvia ouvre un tchat en continu, week-end compris."),
        actor="karim@example.org",
        now=datetime(2026, 10, 2, 9, tzinfo=UTC),
    )
    i6 = next(i for i in store.list_items(source_id="juridique") if i.guid == "i6")
    store.delete_item(i6.id, datetime(2026, 10, 3, 9, tzinfo=UTC), "admin@example.org")
    i5 = next(i for i in store.list_items(source_id="presse") if i.guid == "i5")
    store.save_fiche(
        Fiche(item_id=i5.id, group_id="g1", summary="Les recrutements reprennent."),
        actor="lea@example.org",
        now=datetime(2026, 10, 4, 9, tzinfo=UTC),
    )
    report = _verify(fresh, fresh.files["docx"])
    assert report.verdict == "unchanged"  # the file is as it was made
    records = _findings(report, "records")
    edited = next(f for f in records if f.kind == "fiche")
    assert "modifiée dans Watcher après la génération" in edited.message
    assert "version 1 dans le fichier, 2 aujourd'hui" in edited.message
    assert "[week end compris]" in edited.after
    added = _findings(report, "added")
    assert any(f.kind == "item" and f.ref == str(i6.id) and "supprimé" in f.message for f in added)
    missing = _findings(report, "missing")
    assert any(f.kind == "fiche" and f.ref == str(i5.id) for f in missing)
    assert "Les registres ont évolué depuis" in report.headline


def test_a_file_of_a_group_no_longer_in_sources_yml_is_checked_against_its_manifest(
    generated: Generated,
) -> None:
    without = generated.watch.model_copy(
        update={"groups": tuple(g for g in generated.watch.groups if g.id != "g1")}
    )
    report = verify_file(generated.files["docx"], now=LATER, w=generated.opened, watch=without)
    assert report.verdict == "unchanged" and not report.store_checked
    records = next(s for s in report.sections if s.id == "records")
    assert records.note.startswith("Non vérifiée : le groupe « g1 » n'est plus dans sources.yml")


# --- the key --------------------------------------------------------------------------------------


def test_the_signing_key_is_private_kept_and_never_in_sources_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    workspace = Workspace(tmp_path / "sources.yml")
    first = signing_key(workspace)
    path = tmp_path / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert fingerprint(signing_key(workspace)) == fingerprint(first)
    path.chmod(0o644)
    signing_key(workspace)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".signing-")]
    from_env = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    raw = from_env.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    import base64

    monkeypatch.setenv(KEY_ENV, base64.b64encode(raw).decode())
    assert fingerprint(signing_key(workspace)) == fingerprint(from_env)
    monkeypatch.setenv(KEY_ENV, "pas une clé")
    with pytest.raises(SigningKeyError, match="WATCHER_SIGNING_KEY ne contient pas"):
        signing_key(workspace)


# --- what cannot be verified ----------------------------------------------------------------------


def _docx_without_manifest() -> bytes:
    doc = Document()
    doc.add_paragraph("Dossier de veille recopié à la main. Code de vérification : ABCD-EFGH-JKLM")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", UnreadableFile, "Le fichier est vide."),
        (b"Bonjour, voici notre dossier.", UnreadableFile, "Format non reconnu"),
        (b"%PDF-1.7\n%%EOF garbage", UnreadableFile, "Ce PDF est abîmé ou tronqué"),
        (b"PK\x03\x04" + b"\0" * 200, UnreadableFile, "archive ZIP illisible"),
        (_docx_without_manifest(), NoManifest, "Code lu sur la page de garde : ABCD-EFGH-JKLM"),
    ],
)
def test_what_cannot_be_verified_says_why_in_french(
    generated: Generated, data: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        _verify(generated, data)


def test_cli_refuses_a_huge_file_before_reading_it(generated: Generated, tmp_path: Path) -> None:
    """2 GB (sparse: only its size is written) under a 768 MB cap of memory: refused in French
    before it is read."""
    huge = tmp_path / "enorme.pdf"
    with huge.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(2 << 30)
    with memory_cap():
        result = CliRunner().invoke(
            main, ["--config", str(generated.root / "sources.yml"), "verify", str(huge)]
        )
    assert result.exit_code == 1, result.output
    assert "Fichier trop volumineux (2048 Mo)" in result.output
    assert "40 Mo au plus" in result.output and "Traceback" not in result.output


def test_a_truncated_file_and_a_damaged_manifest(generated: Generated, tmp_path: Path) -> None:
    docx = generated.files["docx"]
    with pytest.raises(UnreadableFile, match="abîmé ou tronqué"):
        _verify(generated, docx[: len(docx) // 2])
    damaged = _with_envelope(generated, b'{"manifest": "{pas du json', "AAAA-BBBB-CCCC")
    path = tmp_path / "abime.docx"
    path.write_bytes(damaged)
    result = CliRunner().invoke(
        main, ["--config", str(generated.root / "sources.yml"), "verify", str(path)]
    )
    assert result.exit_code == 1
    assert "Le manifeste de ce fichier est illisible" in result.output
    assert "Traceback" not in result.output


# --- the web app: an upload form for evaluators ---------------------------------------------------


@pytest.fixture(scope="module")
def web_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    root = tmp_path_factory.mktemp("verifyweb")
    _workspace, ids = _build(root)
    return root, ids


@pytest.fixture
def web(web_base: tuple[Path, Ids], tmp_path: Path) -> Iterator[Web]:
    yield from _web(*web_base, tmp_path / "watch")


PERIOD = "from=2026-11-01&to=2026-11-30"


def _upload(web: Web, data: bytes, name: str, role: str = "evaluator") -> Any:
    boundary, body = encode_multipart(
        {"csrf_token": CSRF, "file": FileStorage(io.BytesIO(data), filename=name)}
    )
    return web.client(role).post(
        "/verify", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def _add_article(original: bytes) -> bytes:
    doc = Document(io.BytesIO(original))
    doc.add_paragraph("Article ajouté à la main <script>alert(1)</script> : " + HAND_ADDED)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_downloaded_dossier_uploaded_by_an_evaluator_verifies(web: Web) -> None:
    page = web.client("evaluator").get("/verify")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
    assert "20 Mo au plus" in html and "/verify" in web.client("evaluator").get("/groups").get_data(
        as_text=True
    )
    for fmt in ("pdf", "docx", "xlsx"):
        body = web.client("tutor").get(f"/g/g1/dossier.{fmt}?{PERIOD}").data
        response = _upload(web, body, f"g1-dossier.{fmt}")
        text = response.get_data(as_text=True)
        assert response.status_code == 200, text[:500]
        assert "Authentique et inchangé" in text and "Conformité aux registres" in text
    edited = _add_article(web.client("tutor").get(f"/g/g1/dossier.docx?{PERIOD}").data)
    text = _upload(web, edited, "rendu.docx").get_data(as_text=True)
    assert "Authentique, modifié depuis sa génération" in text and HAND_ADDED in text
    # the file's words are shown as text, never as markup
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)" in text
    # the tutor and the learners do not check files against the records
    assert _upload(web, edited, "rendu.docx", role="tutor").status_code == 403
    assert _upload(web, edited, "rendu.docx", role="learner").status_code == 403


def _zip_bomb(main_part: str) -> bytes:
    """An Office package of 300 KB whose picture unpacks to 301 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(main_part, "<document/>")
        with package.open("media/image1.bin", "w", force_zip64=True) as picture:
            for _ in range(301):
                picture.write(bytes(1 << 20))
    return out.getvalue()


def test_huge_or_malformed_uploads_answer_a_clear_error(web: Web) -> None:
    from watcher.web.verify import MAX_UPLOAD

    before = sorted(p.name for p in web.workspace.root.rglob("*"))
    huge = _upload(web, b"%PDF-1.7\n" + b"0" * (MAX_UPLOAD + 1), "enorme.pdf")
    assert huge.status_code == 413
    assert "Fichier trop gros" in huge.get_data(as_text=True)
    for data, name, message in (
        (b"%PDF-1.7 pas un vrai PDF", "faux.pdf", "Ce PDF est abîmé ou tronqué"),
        (b"PK\x03\x04tronque", "faux.docx", "archive ZIP illisible"),
        (b"\x00\x01\x02", "image.png", "Format non reconnu"),
        (_docx_without_manifest(), "recopie.docx", "ne contient pas de manifeste"),
        (_zip_bomb("word/document.xml"), "bombe.docx", "se décompresse en plus de 300 Mo"),
        (_zip_bomb("xl/workbook.xml"), "bombe.xlsx", "se décompresse en plus de 300 Mo"),
    ):
        response = _upload(web, data, name)
        text = response.get_data(as_text=True)
        assert response.status_code == 400, text[:300]
        assert message in text and "Traceback" not in text
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"x"), filename="x.pdf")})
    missing_csrf = web.client("evaluator").post(
        "/verify", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert missing_csrf.status_code == 400
    assert "Le formulaire a expiré" in missing_csrf.get_data(as_text=True)
    # never stored: the workspace has no new file
    assert sorted(p.name for p in web.workspace.root.rglob("*")) == before


def test_the_xml_entities_of_an_upload_are_never_read(web: Web, tmp_path: Path) -> None:
    """A DOCX whose text declares an entity reading a file of the server: the file is not read
    (its address would be listed among the addresses the file shows)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("https://exfiltre.example.org/SECRET-42", encoding="utf-8")
    original = web.client("tutor").get(f"/g/g1/dossier.docx?{PERIOD}").data
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                declaration, rest = data.split(b"?>", 1)
                doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                data = declaration + b"?>" + doctype.encode() + rest
                data = data.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>", 1)
            target.writestr(info, data)
    response = _upload(web, out.getvalue(), "entites.docx")
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[:300]
    assert "Authentique et inchangé" in text and "SECRET-42" not in text


# --- evidence changed by hand in the file ---------------------------------------------------------


def _replace_in_docx(original: bytes, edits: dict[str, str]) -> bytes:
    """Each text replaced where it is, run by run, in the body and its tables (as a person
    typing over it in a word processor)."""
    doc = Document(io.BytesIO(original))
    done = dict.fromkeys(edits, 0)
    for run in doc.element.body.iter(qn("w:t")):
        for old, new in edits.items():
            if run.text and old in run.text:
                run.text = run.text.replace(old, new)
                done[old] += 1
    assert all(done.values()), done
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_evidence_changed_by_hand_in_a_docx_is_reported(generated: Generated) -> None:
    """A date of collection, an article's title in the bibliography and a statistic typed over:
    each is a changed text, with the recorded and the file's words."""
    edited = _replace_in_docx(
        generated.files["docx"],
        {
            "collecté le 08/09/2026 — article n° 1 ": "collecté le 01/09/2026 — article n° 1 ",
            "DURAND, Jeanne. Telvia lance un tchat": "DURAND, Jeanne. Telvia lance un tchat vidéo",
            "Articles rejetés (avec motif)": "Articles rejetés (avec motif) 0 —",
        },
    )
    report = _verify(generated, edited)
    assert report.verdict == "changed"
    changed = {(f.kind, f.ref): f for f in _findings(report, "changed")}
    assert set(changed) == {
        ("article", "fiche-1"),
        ("item", "web-2"),
        ("stat", "Articles rejetés (avec motif)"),
    }, changed
    date = changed[("article", "fiche-1")]
    assert "Article « Telvia lance un tchat » (article n° 1)" in date.message
    assert "[08]" in date.before and "[01]" in date.after
    assert "tchat [] en ligne" in changed[("item", "web-2")].before
    assert "tchat [vidéo] en ligne" in changed[("item", "web-2")].after
    assert "[0]" in changed[("stat", "Articles rejetés (avec motif)")].after
    assert _findings(report, "added") == [] and _findings(report, "missing") == []


def test_cli_names_the_digests_weeks_in_words(fresh: Generated, tmp_path: Path) -> None:
    """Saw: « Synthèse 2026-W37 (section « Diffusion et mise à disposition ») : le texte
    diffère… » and « Synthèse de la semaine 2026-W39 (« … ») : dans les registres, pas dans le
    fichier ». Sees now: « Synthèse de la semaine 37 (du 7 au 13 septembre 2026) … »; the code
    stays in the JSON's `ref`."""
    edited = tmp_path / "dossier-rendu.docx"
    edited.write_bytes(_replace_in_docx(fresh.files["docx"], {"tchat, Hamon": "tchat, prix"}))
    save_digest(  # a digest prepared after the file was made
        MailStore(fresh.opened.store), fresh.root, "2026-W39", "", LATER, retained=1
    )
    config = str(fresh.root / "sources.yml")
    runner = CliRunner()
    result = runner.invoke(main, ["--config", config, "verify", str(edited)], terminal_width=400)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (
        "Synthèse de la semaine 37 (du 7 au 13 septembre 2026) (section « Diffusion et mise à "
        "disposition ») : le texte diffère"
    ) in said, said
    assert "Synthèse de la semaine 39 (du 21 au 27 septembre 2026) (« " in said, said
    assert "Synthèse 2026-W" not in said and "semaine 2026-W" not in said
    result = runner.invoke(main, ["--config", config, "verify", str(edited), "--json"])
    refs = [f["ref"] for s in json.loads(result.output)["sections"] for f in s["findings"]]
    assert "2026-W37" in refs and "2026-W39" in refs


# --- a file with assessment records; tampered manifests -------------------------------------------


@dataclass
class Graded:
    root: Path
    docx: Path
    record: Any


def _graded(root: Path) -> Graded:
    """A watch whose tutor signed a level, and a DOCX whose manifest lists that record (as a
    file that shows assessments, the oral deck, seals it: `jobs.dossier.seal_of`)."""
    built = make_watch(root)
    built.store.close()
    workspace = Workspace(root / "sources.yml")
    with open_workspace(workspace) as w:
        tutor = viewer_for(w, built.watch, "helene@example.org")
        draft = record_assessment(
            w, tutor, grid_id="bloc1-tuteur", learner="lea@example.org", group_id="g1",
            competence="C1", level=3, comment="Veille régulière.", now=MADE,
        )  # fmt: skip
        assert draft.id is not None
        record = sign_assessment(w, tutor, draft.id, MADE)
        data = period_data(w, built.watch, "g1", START, END, now=MADE, formats=["docx"])
        shown = build_dossier(data)
        sealed = replace(shown, seal=seal_of(w, data, shown, now=MADE, records=[record]))
        docx = render(sealed, ["docx"]).files["docx"]
    path = root / "dossier-note.docx"
    path.write_bytes(docx)
    return Graded(root, path, record)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(KEY_ENV, raising=False)
        yield _graded(tmp_path_factory.mktemp("graded"))


def _manifest_part(package: zipfile.ZipFile) -> str:
    return next(
        n
        for n in package.namelist()
        if n.startswith("customXml/item") and b"urn:watcher:manifest" in package.read(n)
    )


def _outer(docx: bytes) -> dict[str, Any]:
    """The envelope a DOCX carries, read as anyone can: unzip, base64, JSON."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read(_manifest_part(package)))
    return dict(json.loads(base64.b64decode(root.text or "")))


def _with_outer(docx: bytes, outer: dict[str, Any]) -> bytes:
    """The DOCX with its custom XML part rewritten to carry `outer` (a zip tool and an editor)."""
    body = etree.Element("{urn:watcher:manifest}manifest", nsmap={None: "urn:watcher:manifest"})
    body.text = base64.b64encode(json.dumps(outer, ensure_ascii=False).encode()).decode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        part = _manifest_part(source)
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, etree.tostring(body) if info.filename == part else data)
    return out.getvalue()


def _rewrite(outer: dict[str, Any], change: Any) -> dict[str, Any]:
    """The envelope with its manifest changed by `change` and written back as it was signed
    (canonical JSON), the signature kept: only the content differs."""
    manifest = json.loads(outer["manifest"])
    change(manifest)
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {**outer, "manifest": text}


def _fiche_text(manifest: dict[str, Any]) -> None:
    entry = next(t for t in manifest["texts"] if t["kind"] == "fiche")
    entry["text"] = entry["text"].replace("en continu", "la nuit seulement")


TAMPERS = {
    "a changed grade": lambda o: _rewrite(o, lambda m: m["records"][0].update(level=4)),
    "a changed item title": lambda o: _rewrite(
        o, lambda m: m["items"][0].update(title="Telvia lance un tchat vidéo")
    ),
    "a changed date of collection": lambda o: _rewrite(
        o, lambda m: m["items"][0].update(collected_at="2026-09-01T09:00:00+00:00")
    ),
    "a changed fiche text": lambda o: _rewrite(o, _fiche_text),
    "a stripped signature": lambda o: {k: v for k, v in o.items() if k != "signature"},
    "an emptied signature": lambda o: {**o, "signature": ""},
    "a manifest signed by another key": lambda o: json.loads(
        seal(json.loads(o["manifest"]), Ed25519PrivateKey.generate()).envelope
    ),
}


def test_the_untampered_file_with_a_record_verifies(graded: Graded, tmp_path: Path) -> None:
    """The control of the tamper tests: the same rewriting, the manifest unchanged."""
    outer = _outer(graded.docx.read_bytes())
    manifest = json.loads(outer["manifest"])
    assert manifest["records"] == [
        {
            "id": graded.record.id, "version": 1, "learner": "lea@example.org",
            "grid": "bloc1-tuteur", "competence": "C1", "level": 3,
            "seal": graded.record.signature,
        }
    ]  # fmt: skip
    same = tmp_path / "meme.docx"
    same.write_bytes(_with_outer(graded.docx.read_bytes(), _rewrite(outer, lambda m: None)))
    config = str(graded.root / "sources.yml")
    result = CliRunner().invoke(main, ["--config", config, "verify", str(same), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "unchanged" and report["manifest"]["records"] == 1
    assert all(not s["findings"] for s in report["sections"]), report["sections"]


@pytest.mark.parametrize("tamper", TAMPERS)
def test_a_tampered_manifest_is_refused(graded: Graded, tmp_path: Path, tamper: str) -> None:
    original = graded.docx.read_bytes()
    forged = tmp_path / "falsifie.docx"
    forged.write_bytes(_with_outer(original, TAMPERS[tamper](_outer(original))))
    config = str(graded.root / "sources.yml")
    runner = CliRunner()
    result = runner.invoke(main, ["--config", config, "verify", str(forged)])
    assert result.exit_code == 1, result.output
    assert "Refusé : la signature du manifeste n'est pas valable." in result.output
    absent = tamper in ("a stripped signature", "an emptied signature")
    assert ("Signature absente" if absent else "Signature invalide") in result.output
    assert "Traceback" not in result.output
    as_json = runner.invoke(main, ["--config", config, "verify", str(forged), "--json"])
    data = json.loads(as_json.output)
    assert data["verdict"] == "refused" and data["manifest"] is None
    assert [s["id"] for s in data["sections"]] == ["authenticity"]


def test_a_record_corrected_after_the_file_was_made_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    made = _graded(tmp_path)
    config = str(made.root / "sources.yml")
    with open_workspace(Workspace(made.root / "sources.yml")) as w:
        watch = load_watch(made.root / "sources.yml")
        tutor = viewer_for(w, watch, "helene@example.org")
        fixed = correct_assessment(
            w, tutor, made.record.id, level=4, comment="Veille régulière et partagée.",
            reason="Synthèses de novembre prises en compte.", now=LATER,
        )  # fmt: skip
        assert fixed.id is not None
        sign_assessment(w, tutor, fixed.id, LATER)
    result = CliRunner().invoke(main, ["--config", config, "verify", str(made.docx), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "unchanged"  # the file is as it was made; the records moved on
    records = next(s for s in report["sections"] if s["id"] == "records")["findings"]
    assert [(f["kind"], f["ref"]) for f in records] == [("record", str(made.record.id))]
    assert (
        "corrigée depuis la génération du fichier (version 2 signée, niveau 4"
        in (records[0]["message"])
    )
    assert "le fichier montre la version 1, niveau 3" in records[0]["message"]
    assert "Les registres ont évolué depuis : 1 point." in report["headline"]


# --- docs/verify.md says what the report says -----------------------------------------------------


def test_docs_verify_names_the_sections_and_verdicts_of_the_report(generated: Generated) -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "verify.md").read_text("utf-8")
    edited = _verify(generated, _edited_docx(generated.files["docx"]))
    titles = re.findall(r"^\d\. \*\*(.+?)\*\* —", page, re.M)
    assert titles == [s.title for s in edited.sections]
    unchanged = _verify(generated, generated.files["docx"])
    for verdict, report in (
        ("Authentique et inchangé", unchanged),
        ("Authentique, modifié depuis sa génération", edited),
    ):
        assert f"**« {verdict} »**" in page and report.headline.startswith(verdict)
    assert "**« Refusé »**" in page
    finding = _findings(edited, "changed")[0]
    assert f"« enregistré : {finding.before} »" in page
    assert f"« dans le fichier : {finding.after} »" in page


# --- the oral deck (issue 21): sealed like the dossier ------------------------------------------

DECK_FORMATS = ("pptx", "pdf")


@dataclass
class Deck:
    made: Generated
    files: dict[str, bytes]
    paths: dict[str, Path]
    code: str


@pytest.fixture(scope="module")
def deck(generated: Generated) -> Deck:
    """The oral deck and its handout, as `watcher oral` writes them (the generated watch)."""
    written = export_oral(
        generated.opened, generated.watch, "g1", START, END, now=MADE, out=generated.root / "oral"
    )
    paths = {p.suffix[1:]: p for p in written.paths}
    cover = next(s for s in written.rendered.plan.slides if s.key == "couverture")
    codes = [b.paras[0].text for b in cover.boxes if isinstance(b, TextBox) and b.role == "code"]
    code = CODE_RE.findall(" ".join(codes))
    return Deck(
        generated, {f: p.read_bytes() for f, p in paths.items()}, paths, code[0] if code else ""
    )


CODE_RE = re.compile(r"\b[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}\b")


def _deck_texts(data: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(data))
    return [
        "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        for slide in prs.slides
    ]


@pytest.mark.parametrize("fmt", DECK_FORMATS)
def test_the_oral_deck_and_its_handout_verify_as_unchanged_with_watcher_verify(
    deck: Deck, fmt: str
) -> None:
    config = str(deck.made.root / "sources.yml")
    result = CliRunner().invoke(main, ["--config", config, "verify", str(deck.paths[fmt])])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Authentique et inchangé"), result.output
    report = _verify(deck.made, deck.files[fmt])
    assert report.verdict == "unchanged", [(s.id, s.findings) for s in report.sections]
    assert report.store_checked and report.code == deck.code and deck.code
    assert all(not s.findings for s in report.sections)
    assert report.manifest is not None and report.manifest["kind"] == "oral"
    # the manifest: the dossier's evidence and what the slides show, slide by slide
    assert {i["url"] for i in report.manifest["items"]} >= {"https://presse.example.org/i1"}
    assert len(report.manifest["fiches"]) == 4
    slides = {t["section"] for t in report.manifest["texts"]}
    assert slides == {
        f"diapositive-{n}" for n in range(1, len(_deck_texts(deck.files["pptx"])) + 1)
    }


def test_the_code_is_on_the_title_slide_and_the_manifest_in_a_custom_xml_part(deck: Deck) -> None:
    texts = _deck_texts(deck.files["pptx"])
    assert f"Code de vérification : {deck.code} (watcher verify)" in texts[0]
    assert all(deck.code not in t for t in texts[1:])
    with zipfile.ZipFile(io.BytesIO(deck.files["pptx"])) as package:
        assert _manifest_part(package).startswith("customXml/item")
    handout = PdfReader(io.BytesIO(deck.files["pdf"]))
    assert deck.code in (handout.pages[0].extract_text() or "")
    assert list(handout.attachments) == ["watcher-manifest.json"]
    # the deck and its handout: one generation, one manifest
    assert _outer(deck.files["pptx"]) == json.loads(handout.attachments["watcher-manifest.json"][0])


def _edited_deck(original: bytes) -> tuple[bytes, str]:
    """A learner's edit in PowerPoint (python-pptx): one finding's words changed on the slide of
    the axis « Marché & concurrence », the slide of the axis « Normes » deleted."""
    prs = Presentation(io.BytesIO(original))
    changed = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    if run.text == "Telvia ouvre un tchat en continu.":
                        run.text = "Telvia ouvre un tchat la nuit seulement."
                        changed += 1
    assert changed == 1
    slide_ids = prs.slides._sldIdLst
    titles = [
        next(sh.text_frame.text for sh in s.shapes if sh.name == "title")
        for s in list(prs.slides)[1:]
    ]
    deleted = titles.index("Axe Normes : les résultats clés") + 1
    entry = slide_ids[deleted]
    prs.part.drop_rel(entry.rId)
    slide_ids.remove(entry)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue(), f"diapositive-{deleted + 1}"


def test_an_oral_deck_edited_with_python_pptx_is_reported_precisely(deck: Deck) -> None:
    edited, deleted = _edited_deck(deck.files["pptx"])
    report = _verify(deck.made, edited)
    assert report.verdict == "changed" and report.authentic
    changed = _findings(report, "changed")
    assert len(changed) == 1, changed
    assert changed[0].kind == "slide-text"
    assert "« Axe Marché & concurrence : les résultats clés »" in changed[0].message
    assert "[en continu]" in changed[0].before and "[la nuit seulement]" in changed[0].after
    missing = _findings(report, "missing")
    assert [(f.kind, f.ref) for f in missing] == [("slide", deleted)], missing
    number = deleted.removeprefix("diapositive-")
    assert f"Diapositive {number} « Axe Normes : les résultats clés » absente" in missing[0].message
    assert _findings(report, "added") == [] and _findings(report, "records") == []
    assert "2 différences" in report.headline


def test_a_slide_added_by_hand_is_reported(deck: Deck) -> None:
    prs = Presentation(io.BytesIO(deck.files["pptx"]))
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(0, 0, 6000000, 1000000)
    box.text_frame.text = "Nos résultats d'enquête auprès de vingt clients de Telvia"
    out = io.BytesIO()
    prs.save(out)
    report = _verify(deck.made, out.getvalue())
    assert report.verdict == "changed"
    added = _findings(report, "added")
    assert [(f.kind, f.ref) for f in added] == [("slide", f"page-{len(prs.slides)}")]
    assert "vingt clients" in added[0].after
    assert _findings(report, "missing") == [] and _findings(report, "changed") == []


def test_an_oral_deck_resigned_with_another_key_is_refused(deck: Deck, tmp_path: Path) -> None:
    outer = _outer(deck.files["pptx"])
    other = seal(json.loads(outer["manifest"]), Ed25519PrivateKey.generate())  # this watch's name
    resigned = _with_outer(deck.files["pptx"], json.loads(other.envelope))
    report = _verify(deck.made, resigned)
    assert report.verdict == "refused" and not report.authentic
    assert "Signature invalide" in report.sections[0].findings[0].message
    path = tmp_path / "oral-resigne.pptx"
    path.write_bytes(resigned)
    config = str(deck.made.root / "sources.yml")
    result = CliRunner().invoke(main, ["--config", config, "verify", str(path)])
    assert result.exit_code == 1 and "Refusé" in result.output


def test_an_oral_deck_downloaded_then_uploaded_by_an_evaluator_verifies(web: Web) -> None:
    body = web.client("tutor").get(f"/g/g1/oral.pptx?{PERIOD}").data
    response = _upload(web, body, "g1-oral.pptx")
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[:500]
    assert "Authentique et inchangé (présentation (PPTX))" in text
    assert "Conformité aux registres" in text
    edited, _deleted = _edited_deck_by_title(body)
    text = _upload(web, edited, "oral-rendu.pptx").get_data(as_text=True)
    assert "Authentique, modifié depuis sa génération" in text and "absente du fichier" in text


def _edited_deck_by_title(original: bytes) -> tuple[bytes, str]:
    """The deck with its second slide (the agenda) deleted."""
    prs = Presentation(io.BytesIO(original))
    entry = prs.slides._sldIdLst[1]
    prs.part.drop_rel(entry.rId)
    prs.slides._sldIdLst.remove(entry)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue(), "diapositive-2"
