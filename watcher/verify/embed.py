"""Where each format keeps a file's signed manifest (the envelope of `verify.manifest.seal`).

- HTML: `<script type="application/json" id="watcher-manifest">`, data that no browser runs
  (the dossier's Content-Security-Policy allows no script anyway);
- PDF: an attached file `watcher-manifest.json` (WeasyPrint writes it, `pdf_attachment`);
- DOCX and PPTX (Office Open XML packages): a custom XML part related to the main document
  (`embed_opc`), kept by word processors like any custom XML;
- XLSX: a very hidden sheet « Manifeste Watcher » (`add_xlsx_sheet`, at render time: openpyxl
  cannot reopen a workbook with its charts).

`detect_format` tells the format of a file from its bytes; `extract_<format>` finds the envelope
again (None when the file has none).
"""

from __future__ import annotations

import base64
import binascii
import io
import posixpath
import re
import uuid
import zipfile
from typing import Any

from lxml import etree

from watcher.verify.errors import UnreadableFile

SCRIPT_ID = "watcher-manifest"
ATTACHMENT = "watcher-manifest.json"
SHEET = "Manifeste Watcher"
NAMESPACE = "urn:watcher:manifest"
_CHUNK = 30000  # characters per XLSX cell (at most 32,767)
_CELL_PREFIX = "b64:"  # never read as a formula

_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CUSTOM_XML = _OFFICE + "/customXml"
_CUSTOM_XML_PROPS = _OFFICE + "/customXmlProps"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_MAIN_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}

# --- telling the format -------------------------------------------------------------------------


def detect_format(data: bytes) -> str:
    """html, pdf, docx, xlsx or pptx (UnreadableFile, in French, for anything else)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise UnreadableFile(
                "Ce fichier ressemble à un document Office mais son contenu est abîmé ou "
                "tronqué (archive ZIP illisible)."
            ) from None
        for part, fmt in _MAIN_PARTS.items():
            if part in names:
                return fmt
    elif head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "html"
    raise UnreadableFile(
        "Format non reconnu : Watcher vérifie les dossiers qu'il génère (HTML, PDF, DOCX, XLSX) "
        "et le support de l'oral (PPTX)."
    )


# --- HTML ---------------------------------------------------------------------------------------


def html_script(envelope: bytes) -> str:
    """The script element that carries the envelope (JSON; `<`, `>` and `&` escaped)."""
    text = envelope.decode("utf-8")
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return f'<script type="application/json" id="{SCRIPT_ID}">{text}</script>'


def extract_html(tree: Any) -> bytes | None:
    """The envelope of a parsed HTML page (lxml)."""
    found = tree.xpath(f'//script[@id="{SCRIPT_ID}"]')
    if not found:
        return None
    return str(found[0].text or "").encode("utf-8")


# --- PDF ----------------------------------------------------------------------------------------


def pdf_attachment(envelope: bytes) -> Any:
    """The attachment WeasyPrint writes into the PDF (`write_pdf(attachments=[…])`)."""
    from weasyprint import Attachment

    return Attachment(
        string=envelope.decode("utf-8"),
        name=ATTACHMENT,
        description="Manifeste signé de Watcher (watcher verify)",
    )


def extract_pdf(reader: Any) -> bytes | None:
    """The envelope attached to a PDF (pypdf's reader)."""
    attached = reader.attachments.get(ATTACHMENT)
    return bytes(attached[0]) if attached else None


# --- DOCX and PPTX: a custom XML part -----------------------------------------------------------


def _main_part(package: zipfile.ZipFile) -> str:
    rels = etree.fromstring(package.read("_rels/.rels"))
    for rel in rels.iter(f"{{{_REL}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return str(rel.get("Target", "")).lstrip("/")
    raise UnreadableFile("Document Office sans partie principale : fichier abîmé.")


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relationships(targets: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{_REL}}}Relationships", nsmap={None: _REL})
    for rel_id, kind, target in targets:
        etree.SubElement(root, f"{{{_REL}}}Relationship", Id=rel_id, Type=kind, Target=target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def embed_opc(data: bytes, envelope: bytes) -> bytes:
    """A DOCX or PPTX (or any Office Open XML package) with the envelope in a custom XML part
    related to its main part, as word processors keep custom XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = set(source.namelist())
    main = _main_part(source)
    number = 1
    while f"customXml/item{number}.xml" in names:
        number += 1
    item, props = f"customXml/item{number}.xml", f"customXml/itemProps{number}.xml"
    body = etree.Element(f"{{{NAMESPACE}}}manifest", nsmap={None: NAMESPACE})
    body.text = base64.b64encode(envelope).decode("ascii")
    item_xml = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    store = etree.Element(
        f"{{{ds}}}datastoreItem",
        {f"{{{ds}}}itemID": "{" + str(uuid.uuid4()).upper() + "}"},
        nsmap={"ds": ds},
    )
    etree.SubElement(store, f"{{{ds}}}schemaRefs")
    props_xml = etree.tostring(store, xml_declaration=True, encoding="UTF-8", standalone=True)

    main_rels_name = _rels_name(main)
    main_rels = etree.fromstring(source.read(main_rels_name))
    taken = {rel.get("Id") for rel in main_rels}
    rel_id = next(f"rIdWatcher{n}" for n in range(1, 1000) if f"rIdWatcher{n}" not in taken)
    target = posixpath.relpath(item, posixpath.dirname(main))
    etree.SubElement(
        main_rels, f"{{{_REL}}}Relationship", Id=rel_id, Type=_CUSTOM_XML, Target=target
    )
    types = etree.fromstring(source.read("[Content_Types].xml"))
    if not any(d.get("Extension") == "xml" for d in types.iter(f"{{{_CT}}}Default")):
        etree.SubElement(types, f"{{{_CT}}}Default", Extension="xml", ContentType="application/xml")
    etree.SubElement(types, f"{{{_CT}}}Override", PartName="/" + props, ContentType=_PROPS_TYPE)

    replaced = {
        main_rels_name: etree.tostring(
            main_rels, xml_declaration=True, encoding="UTF-8", standalone=True
        ),
        "[Content_Types].xml": etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target_zip:
        for info in source.infolist():
            target_zip.writestr(info, replaced.get(info.filename, source.read(info.filename)))
        target_zip.writestr(item, item_xml)
        target_zip.writestr(props, props_xml)
        target_zip.writestr(
            _rels_name(item),
            _relationships([("rId1", _CUSTOM_XML_PROPS, posixpath.basename(props))]),
        )
    source.close()
    return out.getvalue()


_CUSTOM_PART = re.compile(r"^customXml/[^/]+\.xml$")


def extract_opc(package: zipfile.ZipFile) -> bytes | None:
    """The envelope kept in a custom XML part of an Office Open XML package."""
    for name in package.namelist():
        if not _CUSTOM_PART.match(name):
            continue
        try:
            root = etree.fromstring(package.read(name))
        except etree.XMLSyntaxError:
            continue
        if root.tag == f"{{{NAMESPACE}}}manifest":
            try:
                return base64.b64decode("".join((root.text or "").split()), validate=True)
            except binascii.Error:
                return b"?"  # found but damaged: read_envelope says so
    return None


# --- XLSX: a very hidden sheet --------------------------------------------------------------------


def add_xlsx_sheet(workbook: Any, envelope: bytes) -> None:
    """A very hidden sheet holding the envelope (base64, in cells of at most 30,000 characters)."""
    sheet = workbook.create_sheet(SHEET)
    sheet.sheet_state = "veryHidden"
    sheet["A1"] = "Manifeste signé de Watcher (watcher verify) : ne pas modifier."
    text = base64.b64encode(envelope).decode("ascii")
    for row, start in enumerate(range(0, len(text), _CHUNK), 2):
        sheet.cell(row=row, column=1, value=_CELL_PREFIX + text[start : start + _CHUNK])


def extract_xlsx(workbook: Any) -> bytes | None:
    """The envelope of an openpyxl workbook's hidden sheet."""
    if SHEET not in workbook.sheetnames:
        return None
    chunks = []
    for (value,) in workbook[SHEET].iter_rows(min_row=2, max_col=1, values_only=True):
        if isinstance(value, str) and value.startswith(_CELL_PREFIX):
            chunks.append(value[len(_CELL_PREFIX) :])
    try:
        return base64.b64decode("".join(chunks), validate=True)
    except binascii.Error:
        return b"?"
