"""What a file shows, read as a person's tools read it: its text (blocks in reading order), the
web addresses it links to or writes, and the manifest it carries (`verify.embed`).

Layout plays no part in what is compared afterwards (`verify.compare` compares words), so a
file re-saved, re-flowed or exported by a word processor reads the same. The PDF's running
headers and footers (a line that comes back on most pages; « page 3 / 12 » first or last on
its page — a table's « 12/15 » inside the page is kept) are left out. Files
come from outside: the XML is parsed without entities or network, and an archive that would
unpack to more than `MAX_UNPACKED` bytes is refused.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from lxml import etree

from watcher.verify import embed
from watcher.verify.errors import UnreadableFile
from watcher.verify.manifest import urls_in

MAX_UNPACKED = 300 * 1024 * 1024
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d+\s*(/|sur|of)\s*\d+\s*$", re.IGNORECASE)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "nav", "li", "ul", "ol", "table",
    "tr", "td", "th", "thead", "tbody", "h1", "h2", "h3", "h4", "h5", "h6", "br", "figure",
    "figcaption", "blockquote", "pre", "dt", "dd", "body", "title",
}  # fmt: skip

FORMAT_NAMES = {
    "html": "page HTML",
    "pdf": "PDF",
    "docx": "document Word (DOCX)",
    "xlsx": "classeur (XLSX)",
    "pptx": "présentation (PPTX)",
}
FEMININE = {"html", "pptx"}  # « une page », « une présentation »


def this_file(fmt: str) -> tuple[str, str, str]:
    """How a sentence names a file of this format, its pronoun and the ending its participles
    take: (« Cette page HTML », « elle », « e ») or (« Ce PDF », « il », « »)."""
    if fmt in FEMININE:
        return f"Cette {FORMAT_NAMES[fmt]}", "elle", "e"
    return f"Ce {FORMAT_NAMES.get(fmt, fmt)}", "il", ""


@dataclass
class FileContent:
    format: str  # html | pdf | docx | xlsx | pptx
    blocks: list[str] = field(default_factory=list)  # paragraphs, cells, lines, in order
    urls: set[str] = field(default_factory=set)
    envelope: bytes | None = None
    headings: list[str] = field(default_factory=list)  # HTML h1–h3, DOCX heading paragraphs
    pages: list[list[str]] = field(default_factory=list)  # PDF pages, PPTX slides: their blocks

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)


def read_file(data: bytes) -> FileContent:
    """The content of a file Watcher may have generated (UnreadableFile, in French, if not)."""
    if not data:
        raise UnreadableFile("Le fichier est vide.")
    fmt = embed.detect_format(data)
    reader = {"html": _html, "pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "pptx": _pptx}[fmt]
    content = reader(data)
    content.urls |= {u for block in content.blocks for u in urls_in(block)}
    return content


def _damaged(fmt: str) -> UnreadableFile:
    this, it, e = this_file(fmt)
    return UnreadableFile(
        f"{this} est abîmé{e} ou tronqué{e} : {it} ne peut pas être lu{e}. Demandez le "
        "fichier d'origine."
    )


# --- HTML ---------------------------------------------------------------------------------------


def _html(data: bytes) -> FileContent:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        raise _damaged("html") from None
    content = FileContent("html", envelope=embed.extract_html(tree))
    for bad in tree.xpath("//script|//style|//template"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(element: Any) -> None:
        block = isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(tree)
    content.blocks = [" ".join(b.split()) for b in "".join(parts).split("\n") if b.strip()]
    content.headings = [" ".join(h.text_content().split()) for h in tree.xpath("//h1|//h2|//h3")]
    content.urls = {
        str(href).strip()
        for href in tree.xpath("//a/@href")
        if str(href).strip().startswith(("http://", "https://"))
    }
    return content


# --- PDF ----------------------------------------------------------------------------------------


def _pdf(data: bytes) -> FileContent:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise UnreadableFile(
                    "Ce PDF est protégé par un mot de passe : demandez le fichier sans protection."
                )
            pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
            urls = set()
            for page in reader.pages:
                for annotation in page.get("/Annots") or []:
                    action = annotation.get_object().get("/A")
                    uri = action.get_object().get("/URI") if action is not None else None
                    if uri:
                        urls.add(str(uri))
            envelope = embed.extract_pdf(reader)
    except UnreadableFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        raise _damaged("pdf") from None
    running = Counter(line.strip() for lines in pages for line in set(lines) if line.strip())
    repeated = {line for line, n in running.items() if len(pages) >= 3 and n > len(pages) / 2}
    kept = [
        [
            " ".join(line.split())
            for n, line in enumerate(lines)
            if line.strip()
            and line.strip() not in repeated
            and not (n in (0, len(lines) - 1) and _PAGE_NUMBER.match(line))
        ]
        for lines in pages
    ]
    blocks = [block for page in kept for block in page]
    return FileContent("pdf", blocks, urls, envelope, pages=kept)


# --- Office Open XML (DOCX, XLSX, PPTX) ---------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _package(data: bytes, fmt: str) -> zipfile.ZipFile:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _damaged(fmt) from None
    if unpacked > MAX_UNPACKED:
        this, it, e = this_file(fmt)
        raise UnreadableFile(
            f"{this} se décompresse en plus de {MAX_UNPACKED // 2**20} Mo : {it} n'est pas lu{e}."
        )
    return package


def _xml(package: zipfile.ZipFile, name: str, fmt: str) -> Any:
    try:
        return etree.fromstring(package.read(name), _PARSER)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError):
        raise _damaged(fmt) from None


def _external_links(package: zipfile.ZipFile, rels: str, fmt: str) -> set[str]:
    if rels not in package.namelist():
        return set()
    return {
        str(rel.get("Target"))
        for rel in _xml(package, rels, fmt).iter(f"{{{_REL}}}Relationship")
        if rel.get("TargetMode") == "External" and str(rel.get("Target", "")).startswith("http")
    }


def _docx(data: bytes) -> FileContent:
    with _package(data, "docx") as package:
        body = _xml(package, "word/document.xml", "docx")
        blocks: list[str] = []
        headings: list[str] = []
        for paragraph in body.iter(f"{{{_W}}}p"):
            pieces = []
            for node in paragraph.iter(f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br"):
                if node.getparent() is not None and _inside_other_paragraph(node, paragraph):
                    continue
                pieces.append((node.text or "") if node.tag == f"{{{_W}}}t" else " ")
            text = " ".join("".join(pieces).split())
            if text:
                blocks.append(text)
                style = paragraph.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
                name = str(style.get(f"{{{_W}}}val", "")) if style is not None else ""
                if name.lower().startswith(("heading", "titre")):
                    headings.append(text)
        urls = _external_links(package, "word/_rels/document.xml.rels", "docx")
        envelope = embed.extract_opc(package)
    return FileContent("docx", blocks, urls, envelope, headings)


def _inside_other_paragraph(node: Any, paragraph: Any) -> bool:
    """A text box's paragraph nested in this one: read as its own paragraph."""
    parent = node.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag == f"{{{_W}}}p":
            return True
        parent = parent.getparent()
    return False


def _cell_text(value: Any) -> str:
    """What a cell shows as the dossier writes it: a date « 30/11/2026 » (a date cell reads
    back as a datetime at midnight), anything else as text."""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _xlsx(data: bytes) -> FileContent:
    from openpyxl import load_workbook

    _package(data, "xlsx").close()  # the size check
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise _damaged("xlsx") from None
    content = FileContent("xlsx", envelope=embed.extract_xlsx(workbook))
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        content.blocks.append(sheet.title)
        for part in (sheet.oddHeader, sheet.oddFooter):  # the workbook's « cover »
            for place in (part.left, part.center, part.right):
                if place.text:
                    content.blocks.append(place.text)
        for row in sheet.iter_rows():
            cells = [_cell_text(c.value) for c in row if c.value is not None]
            cells = [text for text in cells if text.strip()]
            if cells:
                content.blocks.append(" ".join(" ".join(cells).split()))
            for cell in row:
                if cell.hyperlink is not None and str(cell.hyperlink.target or "").startswith(
                    "http"
                ):
                    content.urls.add(str(cell.hyperlink.target))
    workbook.close()
    return content


_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _slide_names(package: zipfile.ZipFile) -> list[str]:
    """The slides' parts in the order the presentation shows them (its list of slides, as
    PowerPoint keeps it when slides are moved or deleted); by part name if that list is
    unreadable."""

    def number(name: str) -> int:
        found = re.search(r"(\d+)\.xml$", name)
        return int(found.group(1)) if found else 0

    names = set(package.namelist())
    parts = sorted((n for n in names if re.match(r"^ppt/slides/slide\d+\.xml$", n)), key=number)
    if "ppt/presentation.xml" not in names or "ppt/_rels/presentation.xml.rels" not in names:
        return parts
    rels = _xml(package, "ppt/_rels/presentation.xml.rels", "pptx")
    targets = {
        str(rel.get("Id")): posixpath.normpath(posixpath.join("ppt", str(rel.get("Target", ""))))
        for rel in rels.iter(f"{{{_REL}}}Relationship")
    }
    listed = _xml(package, "ppt/presentation.xml", "pptx").iter(f"{{{_P}}}sldId")
    ordered = [targets.get(str(s.get(f"{{{_R}}}id")), "") for s in listed]
    ordered = [n.lstrip("/") for n in ordered]
    return [n for n in ordered if n in names] or parts


def _pptx(data: bytes) -> FileContent:
    with _package(data, "pptx") as package:
        content = FileContent("pptx", envelope=embed.extract_opc(package))
        for name in _slide_names(package):
            root = _xml(package, name, "pptx")
            page = []
            for paragraph in root.iter(f"{{{_A}}}p"):
                text = " ".join("".join(t.text or "" for t in paragraph.iter(f"{{{_A}}}t")).split())
                if text:
                    page.append(text)
            content.blocks += page
            content.pages.append(page)
            folder, base = name.rsplit("/", 1)
            content.urls |= _external_links(package, f"{folder}/_rels/{base}.rels", "pptx")
    return content
