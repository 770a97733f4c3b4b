"""The oral presentation of a group's period (`watcher oral`, the dossier page's download): the
dossier's data (`jobs.dossier.period_data`: the same gather and build, nothing read twice) → the
slide plan (`report.oral`, pure) → sealed (`jobs.dossier.seal_of` with `kind="oral"`: the
dossier's evidence and the texts of the slides, signed with the watch's key; its code on the
title slide) → an editable PPTX (the manifest in a custom XML part, as the DOCX) and a PDF
handout of the same slides (the manifest attached, as the dossier's PDF). `watcher verify`
checks both (docs/verify.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from watcher.config import Watch
from watcher.jobs import OpenWorkspace
from watcher.jobs.dossier import group_outputs, period_data, seal_of, write_outputs
from watcher.report.dossier import Dossier, Seal, build_dossier
from watcher.report.export import check_formats
from watcher.report.oral import DEFAULT_MINUTES, plan_oral, with_code
from watcher.report.oral_layout import OralPlan
from watcher.verify.manifest import ORAL_FORMATS, oral_texts

MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class RenderedOral:
    plan: OralPlan
    files: dict[str, bytes]  # format → bytes


def oral_filename(start: date, end: date, fmt: str) -> str:
    return f"oral-{start.isoformat()}-{end.isoformat()}.{fmt}"


def check_oral_formats(formats: Sequence[str]) -> None:
    check_formats(formats, ORAL_FORMATS)


def render_oral(
    built: Dossier,
    *,
    minutes: int,
    now: datetime,
    formats: Sequence[str] = ORAL_FORMATS,
    extra_xml: Sequence[bytes] = (),
    properties: Mapping[str, str] | None = None,
    sealed_by: Callable[[OralPlan], Seal] | None = None,
) -> RenderedOral:
    """The deck of a built dossier in each format (`extra_xml`, `properties`: carried inside
    the PPTX, see `report.oral_pptx`). `sealed_by`: the signed manifest of the planned slides
    (`sealed_oral`), embedded in each file, its code on the title slide."""
    from watcher.report.charts import oral_charts  # matplotlib: only to render
    from watcher.report.oral_handout import render_handout
    from watcher.report.oral_pptx import render_pptx
    from watcher.verify.embed import embed_opc, pdf_attachment

    check_oral_formats(formats)
    charts = {c.key: c.png for c in oral_charts(built)}
    plan = plan_oral(built, minutes=minutes, charts=tuple(charts))
    stamp = sealed_by(plan) if sealed_by else None
    if stamp:
        plan = with_code(plan, stamp.code)
    files: dict[str, bytes] = {}
    if "pptx" in formats:
        files["pptx"] = render_pptx(
            plan, charts, now=now, extra_xml=extra_xml, properties=properties
        )
        if stamp:
            files["pptx"] = embed_opc(files["pptx"], stamp.envelope)
    if "pdf" in formats:
        attachments = [pdf_attachment(stamp.envelope)] if stamp else []
        files["pdf"] = render_handout(plan, charts, attachments)
    return RenderedOral(plan, files)


def oral(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    *,
    now: datetime,
    minutes: int = DEFAULT_MINUTES,
    formats: Sequence[str] = ORAL_FORMATS,
) -> RenderedOral:
    """The oral deck of a group's period, from the dossier's data, sealed: its signed manifest
    lists the dossier's evidence and what the slides show (`verify.manifest.oral_texts`)."""
    check_oral_formats(formats)
    data = period_data(w, watch, group_id, start, end, now=now)
    built = build_dossier(data)

    def sealed_by(plan: OralPlan) -> Seal:
        texts = oral_texts(plan)
        return seal_of(w, data, built, now=now, kind="oral", formats=ORAL_FORMATS, texts=texts)

    return render_oral(built, minutes=minutes, now=now, formats=formats, sealed_by=sealed_by)


@dataclass(frozen=True)
class WrittenOral:
    rendered: RenderedOral
    paths: list[Path]


def export_oral(
    w: OpenWorkspace,
    watch: Watch,
    group_id: str,
    start: date,
    end: date,
    *,
    now: datetime,
    minutes: int = DEFAULT_MINUTES,
    formats: Sequence[str] = ORAL_FORMATS,
    out: Path | None = None,
) -> WrittenOral:
    """The deck written into `out` (default: reports/<group>/) as oral-<from>-<to>.<fmt>;
    `out` may name the file itself when one format is asked for
    (`watcher.workspace.output_paths`)."""
    check_oral_formats(formats)
    names = {fmt: oral_filename(start, end, fmt) for fmt in formats}
    targets = group_outputs(w, watch, group_id, out, names)
    rendered = oral(w, watch, group_id, start, end, now=now, minutes=minutes, formats=formats)
    return WrittenOral(rendered, write_outputs(targets, rendered.files))
