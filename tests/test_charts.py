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


def test_the_price_chart_writes_its_numbers_the_french_way_and_never_below_zero() -> None:
    """A price history read « 21.5 », « 20.0 » on its axis, « 1299,00 » over a point, « EUR »
    as its unit, and drew an axis down to « −250 » for prices that are never negative."""
    from datetime import UTC, datetime

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from watcher.report.charts import price_figure

    moments = [datetime(2026, 12, day, 8, tzinfo=UTC) for day in (1, 3, 5)]
    for amounts in ([19.99, 21.49, 1299.0], [19.99, 21.49, 20.49]):
        figure = price_figure(moments, amounts, "EUR", "Rival – offre Box Fibre", UTC)
        FigureCanvasAgg(figure).draw()
        [ax] = figure.axes
        ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert ticks and not any("." in t or "−" in t or "-" in t for t in ticks), ticks
        assert ax.get_ylim()[0] >= 0
        assert ax.get_ylabel() == "prix (€)"
        points = [t.get_text() for t in ax.texts]
        assert points[:2] == ["19,99", "21,49"]
    assert "1\u202f299,00" in [
        t.get_text()
        for t in price_figure(moments, [19.99, 21.49, 1299.0], "EUR", "Rival", UTC).axes[0].texts
    ]
    big = price_figure(moments, [1199.0, 1299.0, 1249.0], "EUR", "Rival", UTC)
    FigureCanvasAgg(big).draw()
    labels = [t.get_text() for t in big.axes[0].get_yticklabels() if t.get_text()]
    assert any("\u202f" in label for label in labels), labels  # « 1 200 », not « 1200 »
