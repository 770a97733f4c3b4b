"""The dossier's charts: plain numbers in, PNG bytes out (matplotlib, Agg backend, no display).

Each chart is a real image embedded in every export (HTML, PDF, DOCX). Figures are built with the
object API (no pyplot global state), so charts can be drawn from several threads of the web app.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from watcher.changes import currency_sign
from watcher.labels import number_fr
from watcher.report.dossier import Dossier

PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a5a5a5")
DPI = 120
SLIDE_DPI = 220  # charts of the oral deck: sharp when projected across a wall
# The oral deck's charts: shown 1.5 times larger on the slide (10 pt labels read as 15 pt).
SLIDE_FIGURE = (7.5, 3.3)


@dataclass(frozen=True)
class Chart:
    key: str  # file-name friendly id
    title: str
    caption: str
    png: bytes


def _png(figure: Figure, dpi: int = DPI) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _short_week(label: str) -> str:
    return "S" + label.split("-W")[-1] if "-W" in label else label


def _figure(width: float = 7.0, height: float = 3.4) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure


def items_per_axis_per_week(
    weeks: Sequence[str],
    axes: Sequence[str],
    counts: Sequence[Sequence[int]],
    dpi: int = DPI,
    slide: bool = False,
) -> bytes:
    """Grouped bars: items of each axis, week by week (`slide`: for the oral deck — wider, no
    title, the legend under the bars, labels sized to be read once projected)."""
    figure = _figure(*SLIDE_FIGURE) if slide else _figure()
    ax = figure.add_subplot()
    n_axes = max(len(axes), 1)
    width = 0.8 / n_axes
    positions = list(range(len(weeks)))
    for index, (label, row) in enumerate(zip(axes, counts, strict=True)):
        ax.bar(
            [p - 0.4 + width * (index + 0.5) for p in positions],
            row,
            width=width,
            label=label,
            color=PALETTE[index % len(PALETTE)],
        )
    ax.set_xticks(positions, [_short_week(w) for w in weeks])
    ax.set_ylabel("articles")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if not slide:
        ax.set_title("Articles collectés par axe et par semaine de collecte")
    if axes:  # under the bars, outside them: the layout makes room for it (a legend inside the
        # axes, on one row, ran past the image's edge and squeezed the weeks' labels together)
        columns = len(axes) if len(axes) <= 3 else 2
        figure.legend(
            loc="outside lower center",
            ncols=columns,
            frameon=False,
            fontsize="medium" if slide else "small",
        )
    ax.spines[["top", "right"]].set_visible(False)
    return _png(figure, dpi)


def retained_vs_collected(
    weeks: Sequence[str], collected: Sequence[int], retained: Sequence[int]
) -> bytes:
    figure = _figure()
    ax = figure.add_subplot()
    positions = list(range(len(weeks)))
    ax.bar(positions, collected, color="#bdd7ee", label="collectés")
    ax.bar(positions, retained, color=PALETTE[0], width=0.5, label="retenus")
    ax.set_xticks(positions, [_short_week(w) for w in weeks])
    ax.set_ylabel("articles")
    ax.set_title("Articles collectés et retenus, par semaine de collecte")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize="small", loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(figure)


SOURCES_SHOWN = 30  # bars of the sources chart: at 0.3 in each, it fits one page of the PDF


def shown_sources(collected: Sequence[int], ok: Sequence[bool]) -> list[int]:
    """Which sources the sources chart shows (indexes, in their order): all of them when
    they fit one page, else the failing ones first and then those that collected most."""
    if len(collected) <= SOURCES_SHOWN:
        return list(range(len(collected)))
    ranked = sorted(range(len(collected)), key=lambda i: (ok[i], -collected[i], i))
    return sorted(ranked[:SOURCES_SHOWN])


def sources_health(names: Sequence[str], collected: Sequence[int], ok: Sequence[bool]) -> bytes:
    """Horizontal bars: items per source, failing sources in red; at most SOURCES_SHOWN
    sources (see :func:`shown_sources`), so that the image fits a page."""
    keep = shown_sources(collected, ok)
    names = [names[i] for i in keep]
    collected = [collected[i] for i in keep]
    ok = [ok[i] for i in keep]
    height = max(2.2, 0.3 * len(names) + 1.0)
    figure = _figure(7.0, height)
    ax = figure.add_subplot()
    positions = list(range(len(names)))
    colors = [PALETTE[2] if good else "#c00000" for good in ok]
    ax.barh(positions, collected, color=colors)
    ax.set_yticks(positions, [n if len(n) <= 38 else n[:36] + "…" for n in names])
    ax.invert_yaxis()
    ax.set_xlabel("articles collectés sur la période")
    ax.set_title("État des sources (rouge : source en échec)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, value, good in zip(positions, collected, ok, strict=True):
        ax.text(
            value,
            position,
            f" {value}" + ("" if good else "  en échec"),
            va="center",
            fontsize="small",
        )
    ax.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def axes_coverage(axes: Sequence[str], collected: Sequence[int], retained: Sequence[int]) -> bytes:
    figure = _figure(7.0, max(2.2, 0.5 * len(axes) + 1.0))
    ax = figure.add_subplot()
    positions = list(range(len(axes)))
    ax.barh(positions, collected, color="#bdd7ee", label="collectés")
    ax.barh(positions, retained, color=PALETTE[1], height=0.45, label="retenus")
    ax.set_yticks(positions, list(axes))
    ax.invert_yaxis()
    ax.set_title("Couverture des axes du plan de veille")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, value in zip(positions, collected, strict=True):
        if value == 0:
            ax.text(0, position, " aucun article", va="center", color="#c00000", fontsize="small")
    ax.legend(fontsize="small", loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(figure)


MOMENT_TICKS = 8  # at most, on the price history's time axis


def _moment_ticks(
    moments: Sequence[datetime], tz: tzinfo | None = None
) -> tuple[list[float], list[str]]:
    """The price history's time axis: a tick at each point (at most MOMENT_TICKS of them, spread
    evenly), labelled with its day (dd/mm) on the `tz` clock (the watch's; else the moments'
    own), and its time too when two ticks share a day; a label is never repeated (the axis's
    own day ticks wrote « 06/12 » nine times over a few hours, and points a few seconds apart
    get one tick)."""
    count = len(moments)
    picked = sorted({round(n * (count - 1) / (MOMENT_TICKS - 1)) for n in range(MOMENT_TICKS)})
    chosen = [moments[i] for i in picked] if count > MOMENT_TICKS else list(moments)
    local = [m.astimezone(tz) if tz else m for m in chosen]
    same_day = len({m.date() for m in local}) < len(local)
    positions: list[float] = []
    labels: list[str] = []
    for moment, shown in zip(chosen, local, strict=True):
        label = shown.strftime("%d/%m %H:%M" if same_day else "%d/%m")
        if label not in labels:
            positions.append(float(date2num(moment)))
            labels.append(label)
    return positions, labels


def _price(amount: float) -> str:
    """« 19,99 », « 1 299,00 »: a price on the chart, as the tables write it."""
    whole, _, cents = f"{amount:,.2f}".partition(".")
    return whole.replace(",", "\u202f") + "," + cents


def price_figure(
    moments: Sequence[datetime],
    amounts: Sequence[float],
    currency: str,
    product: str,
    tz: tzinfo | None = None,
) -> Figure:
    """The figure of `price_history`: French numbers on the axis and over the points (« 21,5 »,
    « 1 299,00 »), the currency's sign in the axis' label, and an axis that never goes below
    zero."""
    from matplotlib.ticker import FuncFormatter

    figure = _figure(6.4, 2.8)
    ax = figure.add_subplot()
    days = [float(day) for day in date2num(list(moments))]
    ax.step(days, list(amounts), where="post", color=PALETTE[0], marker="o")
    for moment, amount in zip(days, amounts, strict=True):
        ax.annotate(
            _price(amount),
            (moment, amount),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize="small",
        )
    ax.set_ylabel(f"prix ({currency_sign(currency)})" if currency else "prix")
    low, high = min(amounts), max(amounts)
    cents = high - low < 20  # the axis' steps are cents: every tick with its cents
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: _price(value) if cents else number_fr(round(value)))
    )
    ax.set_title(f"Historique du prix — {product}")
    ax.set_xticks(*_moment_ticks(moments, tz))
    margin = (high - low) * 0.25 or high * 0.1 or 1
    ax.set_ylim(max(low - margin, 0) if low >= 0 else low - margin, high + margin)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def price_history(
    moments: Sequence[datetime],
    amounts: Sequence[float],
    currency: str,
    product: str,
    tz: tzinfo | None = None,
) -> bytes:
    """A step line: the price a watched page showed, version by version (each price holds
    until the next version)."""
    return _png(price_figure(moments, amounts, currency, product, tz))


def sources_reliability(
    names: Sequence[str], totals: Sequence[int | None], dpi: int = DPI
) -> bytes:
    """Horizontal bars: each source's VERIF rating out of 15 (unrated sources in grey); sized
    for the oral deck."""
    figure = _figure(*SLIDE_FIGURE)
    ax = figure.add_subplot()
    positions = list(range(len(names)))
    values = [t if t is not None else 0 for t in totals]
    colors = [
        "#a5a5a5" if t is None else PALETTE[2] if t >= 12 else PALETTE[4] if t >= 9 else "#c00000"
        for t in totals
    ]
    ax.barh(positions, values, color=colors)
    ax.set_yticks(positions, [n if len(n) <= 34 else n[:32] + "…" for n in names])
    ax.invert_yaxis()
    ax.set_xlim(0, 15)
    ax.set_xlabel("note VERIF sur 15")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, total in zip(positions, totals, strict=True):
        label = f" {total}/15" if total is not None else " non notée"
        ax.text(total or 0, position, label, va="center")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(figure, dpi)


def oral_charts(dossier: Dossier) -> tuple[Chart, ...]:
    """The charts of the oral deck (`report.oral`): collection per week and axis, the sources'
    reliability; drawn larger than the dossier's for a projector."""
    bilan = dossier.bilan
    return (
        Chart(
            "axes-semaines",
            "Articles par axe et par semaine de collecte",
            "",
            items_per_axis_per_week(
                bilan.weeks, bilan.axis_labels, bilan.axis_week, SLIDE_DPI, slide=True
            ),
        ),
        Chart(
            "fiabilite-sources",
            "Fiabilité des sources (grille VERIF)",
            "",
            sources_reliability(
                [s.name for s in dossier.sources], [s.total for s in dossier.sources], SLIDE_DPI
            ),
        ),
    )


def price_charts(dossier: Dossier) -> tuple[Chart, ...]:
    """One chart per watched page whose price changed over the period."""
    return tuple(
        Chart(
            history.key,
            f"Historique du prix — {history.product}",
            "Prix relevé sur la page surveillée à chaque changement (chaque prix vaut jusqu'au "
            "suivant) ; le premier point est le prix au début de la période.",
            price_history(
                [p.moment for p in history.points],
                [p.amount for p in history.points],
                history.currency,
                history.product,
                ZoneInfo(dossier.cover.timezone),  # the dossier's every date and time
            ),
        )
        for history in dossier.prices
        if len(history.points) > 1
    )


def dossier_charts(dossier: Dossier) -> tuple[Chart, ...]:
    bilan = dossier.bilan
    return (
        *price_charts(dossier),
        Chart(
            "axes-semaines",
            "Articles par axe et par semaine de collecte",
            "Nombre d'articles collectés pour chaque axe du plan de veille, par semaine de "
            "collecte — pas de publication : la régularité montrée est celle de la veille "
            "(un article peut relever de plusieurs axes).",
            items_per_axis_per_week(bilan.weeks, bilan.axis_labels, bilan.axis_week),
        ),
        Chart(
            "retenus-collectes",
            "Articles retenus / collectés",
            "Le tri du groupe : articles collectés chaque semaine (date de collecte) et, parmi "
            "eux, ceux que le groupe a retenus.",
            retained_vs_collected(bilan.weeks, bilan.collected_week, bilan.retained_week),
        ),
        Chart(
            "couverture-axes",
            "Couverture des axes",
            "Articles collectés et retenus par axe ; un axe sans article est signalé.",
            axes_coverage(bilan.axis_labels, bilan.axis_collected, bilan.axis_retained),
        ),
        Chart(
            "etat-sources",
            "État des sources",
            "Articles collectés par source sur la période ; en rouge, les sources en échec."
            + (
                f" Les {SOURCES_SHOWN} sources montrées sur {len(dossier.sources)} : celles en"
                " échec d'abord, puis celles qui ont le plus collecté ; le tableau des sources"
                " (« Sourcing et évaluation des sources ») les donne toutes."
                if len(dossier.sources) > SOURCES_SHOWN
                else ""
            ),
            sources_health(
                [s.name for s in dossier.sources],
                [s.collected for s in dossier.sources],
                [s.ok for s in dossier.sources],
            ),
        ),
    )
