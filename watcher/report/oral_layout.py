"""The oral deck's layout (pure): the page in inches, type sizes, the measure of a text, and
the boxes a slide is made of — what `report.oral` builds slides with and what `report.oral_pptx`
and `report.oral_handout` draw.

Nothing overflows: every text is measured with the advance widths of DejaVu Sans (the widest of
the fonts the deck may be shown with — Calibri and its metric twin Carlito are narrower),
wrapped word by word; a title or a cell too long is cut (« … »), a list or a table too long
continues on a next slide (« (suite) »), up to MAX_SLIDES_PER_PART slides (the rest: « voir le
dossier écrit »). Sizes are projector sizes: titles 28 pt, text 20 pt, details and tables
16 pt, nothing under 14 pt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from watcher.plural import counted, plural

# --- geometry (inches) and type sizes (points) -------------------------------------------------

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.6
CONTENT_W = SLIDE_W - 2 * MARGIN
INSET_X, INSET_Y = 0.1, 0.05  # text frame margins, set explicitly in every renderer
TITLE_SIZE = 28
COVER_TITLE_SIZE = 36
BODY_SIZE = 20
DETAIL_SIZE = 16
TABLE_SIZE = 16
SMALL_SIZE = 14  # kicker, footer, captions: the smallest text of the deck
MIN_SIZE = SMALL_SIZE
LINE = 1.2  # line height, × font size (set as exact spacing in every renderer)
PARA_GAP = 0.45  # space before a top-level paragraph, × its font size
MAX_SLIDES_PER_PART = 2  # a list or table continues on at most this many slides
QUARTER = 15  # seconds: the unit of the time budget

NAVY = "1F4E79"
ORANGE = "C55A11"
GREY = "595959"
LIGHT = "EAF1F8"
WHITE = "FFFFFF"
INK = "1A1A1A"

# DejaVu Sans advance widths (em), by character; others count 1 em.
_WIDTHS_BY_EM = {
    0.28: "'ijlîï",
    0.3: "IJÎÏ",
    0.32: " ,.’\u00a0\u202f",
    0.34: "/:;\\|",
    0.36: "f",
    0.37: "-",
    0.4: "()[]t",
    0.41: "!",
    0.42: "r",
    0.46: '"',
    0.51: "*_`–°",
    0.53: "sz",
    0.54: "?",
    0.55: "cç",
    0.56: "L",
    0.58: "Fk",
    0.6: "vxy",
    0.61: "P",
    0.62: "TYaeoàâäéèêëôö«»",
    0.64: "$0123456789ESbdghnpqu{}ùûüÉÈÊË€",
    0.66: "K",
    0.69: "ABVXZÀÂÄ",
    0.7: "CRÇ",
    0.74: "UÙÛÜ",
    0.75: "N",
    0.76: "H",
    0.78: "&DG",
    0.79: "OQÔÖ",
    0.82: "w",
    0.84: "#+<=>^~",
    0.87: "M",
    0.96: "%",
    0.98: "mÆ",
    0.99: "Wæ",
}
_WIDTH = {ch: em for em, chars in _WIDTHS_BY_EM.items() for ch in chars}
_SAFETY = 1.03  # rounding of the table, kerning: measure a little wide


def text_width(text: str, size: float) -> float:
    """Width in points of `text` set at `size` points (DejaVu Sans, a little wide)."""
    return sum(_WIDTH.get(ch, 1.0) for ch in text) * size * _SAFETY


def wrap(text: str, width_in: float, size: float) -> list[str]:
    """The lines `text` takes in a box `width_in` inches wide (inner width), word by word; a
    word longer than a line is broken."""
    limit = width_in * 72
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size) <= limit:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size) > limit:  # a URL, a long reference
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size) > limit:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


_RUNS = re.compile(r"[ \t\r\n\f\v]+")  # blanks a line may break at (not U+00A0, U+202F)


def clip(text: str, width_in: float, size: float, max_lines: int) -> str:
    """`text` cut at a word so that it takes at most `max_lines` lines (« … » at the end).
    Runs of spaces and line breaks become one space; a no-break space (« 1 299 € »,
    « « Telvia » ») stays: a line never breaks there."""
    text = _RUNS.sub(" ", text).strip()
    if len(wrap(text, width_in, size)) <= max_lines:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:—-") + " …"
        if len(wrap(candidate, width_in, size)) <= max_lines:
            return candidate
    word = words[0] if words else ""
    while word and len(wrap(word + "…", width_in, size)) > max_lines:
        word = word[:-1]
    return word + "…"


# --- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    x: float
    y: float
    w: float
    h: float

    @property
    def inner_w(self) -> float:
        return self.w - 2 * INSET_X

    @property
    def inner_h(self) -> float:
        return self.h - 2 * INSET_Y


@dataclass(frozen=True)
class Para:
    text: str
    size: int = BODY_SIZE
    level: int = 0  # 0: a bullet; 1: a detail under it (indented, no bullet); -1: plain text
    bold: bool = False
    color: str = INK
    link: str = ""  # the paragraph is a hyperlink to this address

    @property
    def indent(self) -> float:
        """Left indent in inches (room for the bullet or the detail's offset)."""
        return 0.35 if self.level in (0, 1) else 0.0


def para_lines(para: Para, width_in: float) -> int:
    return len(wrap(para.text, width_in - para.indent, para.size))


def paras_height(paras: Sequence[Para], width_in: float) -> float:
    """Height in points of paragraphs set in a box of inner width `width_in`."""
    total = 0.0
    for n, para in enumerate(paras):
        if n and para.level <= 0:
            total += PARA_GAP * para.size
        total += para_lines(para, width_in) * LINE * para.size
    return total


@dataclass(frozen=True)
class TextBox:
    frame: Frame
    paras: tuple[Para, ...]
    role: str = "body"  # title | kicker | body | footer | caption | cover-title | cover | band
    fill: str = ""  # background colour (hex), "" for none
    anchor: str = "top"  # top | middle | bottom

    def fits(self) -> bool:
        return paras_height(self.paras, self.frame.inner_w) <= self.frame.inner_h * 72 + 0.01


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # inches
    max_lines: int = 3


@dataclass(frozen=True)
class Cell:
    text: str
    link: str = ""
    bold: bool = False


@dataclass(frozen=True)
class TableBox:
    frame: Frame
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    size: int = TABLE_SIZE
    role: str = "table"

    def row_heights(self) -> list[float]:
        """Height in points of the header row and of each row."""
        return [
            row_height(self.columns, [Cell(c.header, bold=True) for c in self.columns], self.size)
        ] + [row_height(self.columns, row, self.size) for row in self.rows]


def row_height(columns: Sequence[Column], cells: Sequence[Cell], size: int) -> float:
    lines = max(
        len(wrap(cell.text, column.width - 2 * INSET_X, size))
        for column, cell in zip(columns, cells, strict=True)
    )
    return lines * LINE * size + 2 * INSET_Y * 72


@dataclass(frozen=True)
class ImageBox:
    frame: Frame
    chart: str  # key of a chart (report.charts.Chart.key)
    alt: str
    role: str = "image"


@dataclass(frozen=True)
class Band:
    """A plain coloured rectangle (the theme's bands)."""

    frame: Frame
    color: str
    role: str = "band"


Box = TextBox | TableBox | ImageBox | Band


@dataclass(frozen=True)
class Slide:
    key: str  # "couverture", "plan-axes", "axe-concurrence-2", …
    section: str  # the part of the talk it belongs to
    title: str
    boxes: tuple[Box, ...]
    notes: str = ""  # what to say (without the timing, added by `plan_oral`)
    weight: float = 1.0  # share of the time budget
    competences: tuple[str, ...] = ()
    presenter: str = ""  # a member's name, or « tout le groupe »
    seconds: int = 0


@dataclass(frozen=True)
class Part:
    """A part of the talk, as the agenda shows it."""

    title: str
    competences: tuple[str, ...]
    presenters: tuple[str, ...]
    seconds: int


@dataclass(frozen=True)
class OralPlan:
    title: str
    group_name: str
    period: str
    minutes: int
    slides: tuple[Slide, ...]
    parts: tuple[Part, ...]
    charts: tuple[str, ...] = ()  # chart keys the slides use
    speaking: tuple[tuple[str, int], ...] = field(default=())  # (member, seconds)


# --- building blocks ---------------------------------------------------------------------------

TITLE_FRAME = Frame(MARGIN, 0.62, CONTENT_W, 1.12)
KICKER_FRAME = Frame(MARGIN, 0.2, CONTENT_W, 0.42)
BODY_FRAME = Frame(MARGIN, 1.85, CONTENT_W, 4.85)
FOOTER_FRAME = Frame(MARGIN, 6.9, CONTENT_W, 0.42)


def title_box(title: str) -> TextBox:
    text = clip(title, TITLE_FRAME.inner_w, TITLE_SIZE, 2)
    return TextBox(TITLE_FRAME, (Para(text, TITLE_SIZE, -1, True, NAVY),), "title", anchor="bottom")


def kicker(section: str, competences: Sequence[str]) -> TextBox:
    label = section.upper() + (f"  ·  {', '.join(competences)}" if competences else "")
    text = clip(label, KICKER_FRAME.inner_w, SMALL_SIZE, 1)
    return TextBox(KICKER_FRAME, (Para(text, SMALL_SIZE, -1, True, ORANGE),), "kicker")


def chrome(section: str, title: str, competences: Sequence[str]) -> tuple[Box, ...]:
    return (
        Band(Frame(0, 0, SLIDE_W, 0.12), NAVY),
        kicker(section, competences),
        title_box(title),
        Band(Frame(MARGIN, 1.74, 1.2, 0.05), ORANGE),
    )


def make_slide(
    key: str,
    section: str,
    title: str,
    body: Sequence[Box],
    notes: str,
    weight: float,
    competences: Sequence[str] = (),
    *,
    page: int = 0,
) -> Slide:
    """A slide with its chrome; ``page`` > 0: a next slide of a part spread over several, which
    says it follows the part's first (key « axe-2 », « … (suite) », notes « Suite : … ») and
    takes less of the time (0.6 of the part's weight)."""
    if page:
        key, title = f"{key}-{page + 1}", f"{title} (suite)"
        notes, weight = f"Suite : {notes}", weight * 0.6
    return Slide(
        key,
        section,
        title,
        (*chrome(section, title, competences), *body),
        notes,
        weight,
        tuple(competences),
    )


def groups_on_slides(
    groups: Sequence[Sequence[Para]], frame: Frame, lead: Sequence[Para] = ()
) -> tuple[list[tuple[Para, ...]], int]:
    """Bullet groups (a bullet and its details stay together) spread over slides: the
    paragraphs of each slide, at most MAX_SLIDES_PER_PART of them, and how many groups did not
    find room (said on the last slide)."""
    pages: list[list[Para]] = [list(lead)]
    left = 0
    for n, group in enumerate(groups):
        clipped = [
            replace(p, text=clip(p.text, frame.inner_w - p.indent, p.size, 3)) for p in group
        ]
        candidate = pages[-1] + clipped
        if paras_height(candidate, frame.inner_w) <= frame.inner_h * 72:
            pages[-1] = candidate
            continue
        if len(pages) == MAX_SLIDES_PER_PART or not pages[-1]:
            left = len(groups) - n
            break
        pages.append(clipped)
    if left:
        more = Para(
            f"… et {plural(left, 'un autre', f'{left} autres')} : voir le dossier écrit.",
            DETAIL_SIZE,
            -1,
            False,
            GREY,
        )
        while pages[-1] and paras_height([*pages[-1], more], frame.inner_w) > frame.inner_h * 72:
            pages[-1].pop()
            left += 1
            more = replace(
                more,
                text=f"… et {plural(left, 'un autre', f'{left} autres')} : voir le dossier écrit.",
            )
        pages[-1].append(more)
    return [tuple(p) for p in pages], left


def bullet_slides(
    key: str,
    section: str,
    title: str,
    groups: Sequence[Sequence[Para]],
    notes: str,
    weight: float,
    competences: Sequence[str],
    lead: Sequence[Para] = (),
) -> list[Slide]:
    pages, _ = groups_on_slides(groups, BODY_FRAME, lead)
    return [
        make_slide(
            key, section, title, (TextBox(BODY_FRAME, paras),), notes, weight, competences, page=n
        )
        for n, paras in enumerate(pages)
    ]


def table_slides(
    key: str,
    section: str,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    notes: str,
    weight: float,
    competences: Sequence[str],
    lead: str = "",
    foot: Sequence[str] = (),
) -> list[Slide]:
    """A table spread over slides (the header repeated), cells cut to their column's lines;
    `lead`: a line above it, `foot`: lines under it on its last slide (one line each)."""
    lead_box = (
        TextBox(
            Frame(BODY_FRAME.x, BODY_FRAME.y, BODY_FRAME.w, 0.5),
            (Para(clip(lead, BODY_FRAME.inner_w, DETAIL_SIZE, 1), DETAIL_SIZE, -1, False, GREY),),
        )
        if lead
        else None
    )
    top = BODY_FRAME.y + (0.55 if lead_box else 0)
    foot_paras = tuple(
        Para(clip(line, CONTENT_W - 2 * INSET_X, SMALL_SIZE, 1), SMALL_SIZE, -1, False, INK)
        for line in foot
    )
    # inches: the lines and one more (« … et 3 autres lignes », if the table is cut), the
    # box's margins, a gap above it
    spare = Para("…", SMALL_SIZE, -1)
    foot_h = paras_height((*foot_paras, spare), CONTENT_W - 2 * INSET_X) / 72 + 2 * INSET_Y
    foot_h = foot_h + 0.05 if foot else 0.0
    room = (BODY_FRAME.y + BODY_FRAME.h - top - foot_h) * 72
    cut_rows = [
        tuple(
            replace(c, text=clip(c.text, col.width - 2 * INSET_X, TABLE_SIZE, col.max_lines))
            for col, c in zip(columns, row, strict=True)
        )
        for row in rows
    ]
    header = row_height(columns, [Cell(c.header, bold=True) for c in columns], TABLE_SIZE)
    pages: list[list[tuple[Cell, ...]]] = [[]]
    used = header
    left = 0
    for n, row in enumerate(cut_rows):
        height = row_height(columns, row, TABLE_SIZE)
        if used + height <= room:
            pages[-1].append(row)
            used += height
            continue
        if len(pages) == MAX_SLIDES_PER_PART:
            left = len(cut_rows) - n
            break
        pages.append([row])
        used = header + height
    slides = []
    width = sum(c.width for c in columns)
    for n, page in enumerate(pages):
        body: list[Box] = []
        if lead_box and n == 0:
            body.append(lead_box)
        page_top = top if n == 0 else BODY_FRAME.y
        rows_h = header + sum(row_height(columns, r, TABLE_SIZE) for r in page)
        body.append(
            TableBox(Frame(MARGIN, page_top, width, rows_h / 72), tuple(columns), tuple(page))
        )
        note_top = page_top + rows_h / 72 + 0.05
        last = n == len(pages) - 1
        more = (
            Para(
                f"… et {counted(left, 'autre ligne', 'autres lignes')} : voir le dossier écrit.",
                SMALL_SIZE,
                -1,
                False,
                GREY,
            )
            if left and last
            else None
        )
        if foot_paras and last:
            paras = (*foot_paras, more) if more else foot_paras
            body.append(
                TextBox(Frame(MARGIN, note_top, CONTENT_W, foot_h - 0.05), paras, "caption")
            )
        elif more:
            body.append(
                TextBox(Frame(MARGIN, min(note_top, 6.35), CONTENT_W, 0.4), (more,), "caption")
            )
        slides.append(
            make_slide(key, section, title, tuple(body), notes, weight, competences, page=n)
        )
    return slides


def image_slide(
    key: str,
    section: str,
    title: str,
    chart: str,
    caption: str,
    aspect: float,
    notes: str,
    weight: float,
    competences: Sequence[str],
) -> Slide:
    """A chart as large as the body allows (its aspect ratio kept), a caption under it."""
    room_h = BODY_FRAME.h - 0.5
    width = min(CONTENT_W, room_h * aspect)
    height = width / aspect
    x = MARGIN + (CONTENT_W - width) / 2
    caption_text = clip(caption, CONTENT_W - 2 * INSET_X, SMALL_SIZE, 1)
    return make_slide(
        key,
        section,
        title,
        (
            ImageBox(Frame(x, BODY_FRAME.y, width, height), chart, caption),
            TextBox(
                Frame(MARGIN, BODY_FRAME.y + height + 0.05, CONTENT_W, 0.42),
                (Para(caption_text, SMALL_SIZE, -1, False, GREY),),
                "caption",
            ),
        ),
        notes,
        weight,
        competences,
    )
