"""watcher.report.charts: chart images sized for the pages they are printed on."""

from __future__ import annotations

import io
import struct

from watcher.report.charts import SOURCES_SHOWN, shown_sources, sources_health

PNG = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG)
    width, height = struct.unpack(">II", io.BytesIO(png).getbuffer()[16:24])
    return width, height


def test_the_sources_chart_fits_one_page_however_many_sources() -> None:
    """An A4 page holds a figure at most ~1.6 times as tall as it is wide (150 mm wide, 230 mm
    tall); with a bar per source, 96 sources made it 5.9 times taller than wide, and the PDF
    cut it at the page's bottom."""
    names = [f"Source {i:03d}" for i in range(96)]
    collected = [(i * 37) % 50 for i in range(96)]
    ok = [i % 7 != 0 for i in range(96)]
    width, height = _size(sources_health(names, collected, ok))
    assert height / width <= 1.6


def test_the_sources_chart_shows_failing_sources_first_then_the_largest() -> None:
    collected = [5, 90, 0, 40, 7] + [1] * (SOURCES_SHOWN + 5)
    ok = [True, True, False, True, True] + [True] * (SOURCES_SHOWN + 5)
    shown = shown_sources(collected, ok)
    assert len(shown) == SOURCES_SHOWN and shown == sorted(shown)
    assert {0, 1, 2, 3, 4} <= set(shown)  # the failing one and the four largest
    assert shown_sources([3, 1], [True, False]) == [0, 1]  # few sources: all, in order
