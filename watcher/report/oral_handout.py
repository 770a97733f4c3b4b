"""The oral's handout: the same slide plan (`report.oral`) as the PPTX, one PDF page per slide
(HTML placed in inches → WeasyPrint). The fonts are those of the machine: DejaVu Sans on a bare
Debian — the font the plan measured its texts with, so nothing overflows here either."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from watcher.report.export import environment, html_to_pdf
from watcher.report.oral_layout import (
    INSET_X,
    INSET_Y,
    LINE,
    NAVY,
    PARA_GAP,
    SLIDE_H,
    SLIDE_W,
    OralPlan,
)

FONT_STACK = "'DejaVu Sans', Calibri, Carlito, sans-serif"


def render_handout_html(plan: OralPlan, charts: Mapping[str, bytes]) -> str:
    template = environment().get_template("oral.html")
    return template.render(
        plan=plan,
        charts={
            key: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            for key, png in charts.items()
        },
        font=FONT_STACK,
        w=SLIDE_W,
        h=SLIDE_H,
        inset_x=INSET_X,
        inset_y=INSET_Y,
        line=LINE,
        gap=PARA_GAP,
        navy=NAVY,
    )


def render_handout(
    plan: OralPlan, charts: Mapping[str, bytes], attachments: Sequence[Any] = ()
) -> bytes:
    """The handout as PDF bytes: as many pages as slides (`attachments`: files carried inside,
    the signed manifest)."""
    return html_to_pdf(render_handout_html(plan, charts), attachments)
