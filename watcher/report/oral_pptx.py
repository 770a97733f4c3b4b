"""The oral's slide plan (`report.oral`) drawn as an editable PPTX (python-pptx): each box of the
plan placed where the plan says, at the size it says — text boxes that never grow or shrink
their text (the plan measured it), real PowerPoint tables, the charts as pictures, speaker notes
with each slide's time. Text is French (spell-checked as such in PowerPoint).

`extra_xml` and `properties` are the seam for whatever must travel inside the file (a signed
manifest, for instance): each `extra_xml` document becomes a custom XML part of the
presentation, each property a custom document property (File › Properties › Custom).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide as PptxSlide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Inches, Pt

from watcher.report.oral_layout import (
    INSET_X,
    INSET_Y,
    LINE,
    NAVY,
    PARA_GAP,
    SLIDE_H,
    SLIDE_W,
    WHITE,
    Band,
    Cell,
    ImageBox,
    OralPlan,
    Para,
    TableBox,
    TextBox,
)

FONT = "Calibri"  # Carlito on Linux has the same metrics; the plan measured wider (DejaVu Sans)
ROW_FILL = ("FFFFFF", "EAF1F8")
MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_ANCHORS = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color)


def _frame_margins(tf: TextFrame) -> None:
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = Inches(INSET_X)
    tf.margin_top = tf.margin_bottom = Inches(INSET_Y)


def _bullet(paragraph: _Paragraph, para: Para) -> None:
    """The paragraph's indent and bullet (a round bullet for level 0, none otherwise)."""
    ppr = paragraph._p.get_or_add_pPr()
    indent = int(Inches(para.indent))
    ppr.set("marL", str(indent))
    ppr.set("indent", str(-int(Inches(0.3)) if para.level == 0 else 0))
    if para.level == 0:
        color = etree.SubElement(ppr, qn("a:buClr"))
        etree.SubElement(color, qn("a:srgbClr")).set("val", "C55A11")
        etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
        etree.SubElement(ppr, qn("a:buChar")).set("char", "•")
    else:
        etree.SubElement(ppr, qn("a:buNone"))


def _write_para(paragraph: _Paragraph, para: Para, first: bool) -> None:
    paragraph.line_spacing = Pt(para.size * LINE)
    paragraph.space_before = Pt(0 if first or para.level > 0 else PARA_GAP * para.size)
    paragraph.space_after = Pt(0)
    _bullet(paragraph, para)
    run = paragraph.add_run()
    run.text = para.text
    font = run.font
    font.name = FONT
    font.size = Pt(para.size)
    font.bold = para.bold
    font.color.rgb = _rgb(para.color)
    font.language_id = MSO_LANGUAGE_ID.FRENCH
    if para.link:
        run.hyperlink.address = para.link


def _text_box(slide: PptxSlide, box: TextBox) -> None:
    f = box.frame
    shape = slide.shapes.add_textbox(Inches(f.x), Inches(f.y), Inches(f.w), Inches(f.h))
    shape.name = box.role
    if box.fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(box.fill)
    tf = shape.text_frame
    _frame_margins(tf)
    tf.vertical_anchor = _ANCHORS[box.anchor]
    for n, para in enumerate(box.paras):
        paragraph = tf.paragraphs[0] if n == 0 else tf.add_paragraph()
        _write_para(paragraph, para, n == 0)


def _cell(cell: object, content: Cell, size: int, header: bool, fill: str) -> None:
    from pptx.table import _Cell

    assert isinstance(cell, _Cell)
    cell.margin_left = cell.margin_right = Inches(INSET_X)
    cell.margin_top = cell.margin_bottom = Inches(INSET_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE if header else MSO_ANCHOR.TOP
    cell.fill.solid()
    cell.fill.fore_color.rgb = _rgb(fill)
    tf = cell.text_frame
    tf.word_wrap = True
    paragraph = tf.paragraphs[0]
    paragraph.line_spacing = Pt(size * LINE)
    run = paragraph.add_run()
    run.text = content.text
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = header or content.bold
    font.color.rgb = _rgb(WHITE if header else "1A1A1A")
    font.language_id = MSO_LANGUAGE_ID.FRENCH
    if content.link and not header:
        run.hyperlink.address = content.link


def _table(slide: PptxSlide, box: TableBox) -> None:
    f = box.frame
    heights = box.row_heights()
    shape = slide.shapes.add_table(
        len(box.rows) + 1,
        len(box.columns),
        Inches(f.x),
        Inches(f.y),
        Inches(sum(c.width for c in box.columns)),
        Emu(int(Pt(sum(heights)))),
    )
    shape.name = box.role
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for n, column in enumerate(box.columns):
        table.columns[n].width = Inches(column.width)
    for n, height in enumerate(heights):
        table.rows[n].height = Emu(int(Pt(height)))
    for n, column in enumerate(box.columns):
        _cell(table.cell(0, n), Cell(column.header), box.size, True, NAVY)
    for r, row in enumerate(box.rows, 1):
        for n, content in enumerate(row):
            _cell(table.cell(r, n), content, box.size, False, ROW_FILL[(r - 1) % 2])


def _band(slide: PptxSlide, box: Band) -> None:
    f = box.frame
    shape = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(f.x), Inches(f.y), Inches(f.w), Inches(f.h)
    )
    shape.name = box.role
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(box.color)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _image(slide: PptxSlide, box: ImageBox, png: bytes) -> None:
    f = box.frame
    picture = slide.shapes.add_picture(
        io.BytesIO(png), Inches(f.x), Inches(f.y), Inches(f.w), Inches(f.h)
    )
    picture.name = box.role
    picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", box.alt)  # alternative text


def _custom_properties(properties: Mapping[str, str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
        f"name={quoteattr(name)}><vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), 2)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{ns}" xmlns:vt="{vt}">{items}</Properties>'
    ).encode()


def _embed(
    prs: PresentationObject, extra_xml: Sequence[bytes], properties: Mapping[str, str]
) -> None:
    package = prs.part.package
    for n, xml in enumerate(extra_xml, 1):
        part = Part(PackURI(f"/customXml/item{n}.xml"), "application/xml", package, xml)
        prs.part.relate_to(part, RT.CUSTOM_XML)
    if properties:
        part = Part(
            PackURI("/docProps/custom.xml"),
            CUSTOM_PROPERTIES,
            package,
            _custom_properties(properties),
        )
        package.relate_to(part, RT.CUSTOM_PROPERTIES)


def render_pptx(
    plan: OralPlan,
    charts: Mapping[str, bytes],
    *,
    now: datetime,
    extra_xml: Sequence[bytes] = (),
    properties: Mapping[str, str] | None = None,
) -> bytes:
    """The deck as PPTX bytes. `charts`: PNG per chart key; `now`: the file's dates;
    `extra_xml`, `properties`: custom XML parts and custom properties to carry (see above)."""
    prs = Presentation()
    prs.slide_width = Inches(SLIDE_W)
    prs.slide_height = Inches(SLIDE_H)
    blank = prs.slide_layouts[6]
    for planned in plan.slides:
        slide = prs.slides.add_slide(blank)
        for box in planned.boxes:
            if isinstance(box, Band):
                _band(slide, box)
            elif isinstance(box, TextBox):
                _text_box(slide, box)
            elif isinstance(box, TableBox):
                _table(slide, box)
            elif isinstance(box, ImageBox):
                _image(slide, box, charts[box.chart])
        slide.notes_slide.notes_text_frame.text = planned.notes
    core = prs.core_properties
    core.title = plan.title
    core.subject = "Bloc 1 — Présentation orale des résultats de la veille"
    core.author = plan.group_name
    core.last_modified_by = "Watcher"
    core.language = "fr-FR"
    core.keywords = "veille; RNCP 32204; bloc 1; oral"
    core.created = core.modified = now.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    core.revision = 1
    _embed(prs, extra_xml, properties or {})
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
