"""Rendering: a busy week's digest (HTML e-mail + text) and a term's dossier (HTML and PDF).

Runs on a copy of a corpus store (``benchmarks.corpus`` with ``fetch="published"``: items collected
week after week, fast-enriched) to which a group's
work is added through the Store API: 60 items retained and 20 rejected by the group in the
term, and 25 fiches de veille — so the dossier has evidence to show.

* digest: ``jobs.digest.digest_of`` (store → Digest) then ``render.render_digest`` (Jinja + CSS
  inlining) for the busiest ISO week of group g1; baseline: a bare Jinja2 template looping over
  the same digest items (title, source, extract), i.e. what the library itself costs.
* dossier: ``jobs.dossier.gather`` + ``dossier.build_dossier`` +
  ``export.render(…, ["html", "pdf"])`` for the last term (three months); baseline for the PDF:
  WeasyPrint on a bare HTML page with the same items' titles and extracts, no stylesheet or
  charts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.corpus import NOW, build

MODULE = "benchmarks.bench_render"
GROUP = "g1"
TERM = (date(2026, 9, 1), date(2026, 11, 27))


def _available() -> str | None:
    """Why rendering cannot be measured yet (None: it can)."""
    from importlib.util import find_spec

    missing = [
        m
        for m in (
            "watcher.report.digest",
            "watcher.report.dossier",
            "watcher.report.export",
            "watcher.jobs",
            "watcher.report.render",
        )
        if find_spec(m) is None
    ]
    return f"not yet measurable: {', '.join(missing)} missing" if missing else None


def _add_group_work(db: Path) -> dict[str, int]:
    from zoneinfo import ZoneInfo

    from watcher.model import Fiche
    from watcher.report.dossier import period_bounds
    from watcher.store import Store

    store = Store(db)
    try:
        since, until = period_bounds(*TERM, ZoneInfo("Europe/Paris"))
        items = store.group_items_between(GROUP, since, until)
        step = max(1, len(items) // 105)
        chosen = items[::step][:105]
        for n, item in enumerate(chosen[:80]):
            status = "retained" if n < 60 else "rejected"
            reason = "" if status == "retained" else "hors sujet pour notre axe"
            store.set_curation(GROUP, item.id, status, reason=reason, actor="bench", now=NOW)
        for n, item in enumerate(chosen[:25]):
            fiche = Fiche(
                item.id,
                GROUP,
                qui="Valmont Distribution",
                quoi=item.title[:120],
                ou="France",
                quand="2026",
                comment="communiqué",
                combien="12 %",
                pourquoi="pression sur les prix",
                summary=item.summary[:400],
                importance="forte" if n % 3 == 0 else "moyenne",
                action="Informer l'équipe commerciale",
                action_owner="Prénom Nom",
                action_deadline=date(2026, 12, 15),
                crosscheck_item_id=chosen[(n + 30) % len(chosen)].id if len(chosen) > 31 else None,
            )
            store.save_fiche(fiche, actor="bench", now=NOW)
        return {
            "term_items": len(items),
            "curations": min(80, len(chosen)),
            "fiches": min(25, len(chosen)),
        }
    finally:
        store.close()


def _busiest_week(db: Path) -> Any:
    from zoneinfo import ZoneInfo

    from watcher.report.digest import IsoWeek
    from watcher.store import Store

    tz = ZoneInfo("Europe/Paris")
    store = Store(db)
    try:
        start = NOW - timedelta(days=35)
        items = store.group_items_between(GROUP, start, NOW - timedelta(days=7))
        weeks = Counter(str(IsoWeek.of(i.fetched_at, tz)) for i in items)
        if not weeks:  # a tiny corpus: the week before NOW
            return IsoWeek.of(NOW - timedelta(days=7), tz), 0
        return IsoWeek.parse(weeks.most_common(1)[0][0]), weeks.most_common(1)[0][1]
    finally:
        store.close()


BARE_DIGEST = """<html><body><h1>{{ subject }}</h1>{% for i in items %}
<h2><a href="{{ i.url }}">{{ i.title }}</a></h2><p>{{ i.source }} — {{ i.extract }}</p>
{% endfor %}</body></html>"""


def phase_render(corpus: Path, pdf_wanted: bool = True) -> dict[str, Any]:
    import jinja2

    from watcher.config import load_watch
    from watcher.jobs.digest import digest_of
    from watcher.jobs.dossier import gather
    from watcher.report.charts import dossier_charts
    from watcher.report.dossier import build_dossier
    from watcher.report.export import html_to_pdf, render, render_html
    from watcher.report.render import render_digest
    from watcher.store import Store

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="wbench-render-") as tmp:
        db = Path(tmp) / "watcher.db"
        shutil.copy(corpus / "watcher.db", db)
        out["group_work"] = _add_group_work(db)
        week, week_items = _busiest_week(db)
        watch = load_watch(corpus / "sources.yml")
        store = Store(db)
        t0 = time.perf_counter()
        digest = digest_of(store, watch, GROUP, week, NOW)
        t1 = time.perf_counter()
        rendered = render_digest(digest)
        t2 = time.perf_counter()
        items = [
            {"url": i.url, "title": i.title, "source": i.source_name, "extract": i.summary}
            for i in digest.items
        ]
        bare = jinja2.Environment(autoescape=True).from_string(BARE_DIGEST)
        t3 = time.perf_counter()
        bare_html = bare.render(subject=digest.subject, items=items)
        t4 = time.perf_counter()
        out["digest"] = {
            "week": str(week),
            "collected": week_items,
            "shown": len(digest.items),
            "build_s": t1 - t0,
            "render_s": t2 - t1,
            "html_kb": len(rendered.html) / 1024,
            "text_kb": len(rendered.text) / 1024,
            "bare_jinja_s": t4 - t3,
            "bare_html_kb": len(bare_html) / 1024,
        }

        t0 = time.perf_counter()
        data = gather(store, watch, GROUP, *TERM, now=NOW, formats=("html", "pdf"))
        t1 = time.perf_counter()
        dossier = build_dossier(data)
        t2 = time.perf_counter()
        html_only = render(dossier, ["html"])
        t3 = time.perf_counter()
        charts = dossier_charts(dossier)
        t_charts = time.perf_counter() - t3
        html = render_html(dossier, charts)
        # the first PDF of this process (WeasyPrint imported on the way, as in a web process
        # asked for its first PDF), then the same again
        c4, t4 = time.process_time(), time.perf_counter()
        pdf = html_to_pdf(html) if pdf_wanted else b""
        c5, t5 = time.process_time(), time.perf_counter()
        again = html_to_pdf(html) if pdf_wanted else b""
        c6, t6 = time.process_time(), time.perf_counter()
        titles = [(v.item.title, v.item.summary[:300]) for v in data.views[:200]]
        bare_page = (
            "<html><body>"
            + "".join(
                f"<h2>{jinja2.utils.markupsafe.escape(t)}</h2><p>{jinja2.utils.markupsafe.escape(s)}</p>"
                for t, s in titles
            )
            + "</body></html>"
        )
        c7, t7 = time.process_time(), time.perf_counter()
        bare_pdf = html_to_pdf(bare_page) if pdf_wanted else b""
        c8, t8 = time.process_time(), time.perf_counter()
        store.close()
        out["dossier"] = {
            "term": f"{TERM[0]}..{TERM[1]}",
            "items": len(data.views),
            "gather_s": t1 - t0,
            "build_s": t2 - t1,
            "html_s": t3 - t2,
            "charts_s": t_charts,
            "pdf_s": t5 - t4,
            "pdf_cpu_s": c5 - c4,
            "pdf_again_s": t6 - t5,
            "pdf_again_cpu_s": c6 - c5,
            "html_kb": len(html_only.files["html"]) / 1024,
            "pdf_kb": len(pdf) / 1024,
            "again_same": len(again) == len(pdf),
            "bare_pdf_s": t8 - t7,
            "bare_pdf_cpu_s": c8 - c7,
            "bare_pdf_kb": len(bare_pdf) / 1024,
            "bare_items": len(titles),
        }
    return out


def drive(items: int, quick: bool, corpus: Path | None = None, pdf: bool = True) -> None:
    why = _available()
    if why:
        common.record(
            "render",
            "digest + dossier",
            {"rows": [common.row("rendering", why)], "notes": [why]},
            quick=quick,
        )
        return
    label = f"digest + dossier, {items} items" + ("" if pdf else " (no PDF)")
    corpus = corpus or common.DATA / f"render-{items}"
    meta = corpus / "corpus.json"
    if not meta.exists() or json.loads(meta.read_text()).get("items") != items:
        build(corpus, items, fetch="published", log=False)
    load_before = common.loadavg()
    res = common.run_phase(
        MODULE, ["--phase", "render", *([] if pdf else ["--no-pdf"]), str(corpus)]
    )
    d, s = res["digest"], res["dossier"]
    rows = [
        common.row(
            f"digest {d['week']}: {d['collected']} items collected, {d['shown']} shown"
            " — build (store → Digest)",
            round(d["build_s"] * 1000, 1),
            unit="ms",
        ),
        common.row(
            "digest render (HTML + CSS inlining + text)",
            round(d["render_s"] * 1000, 1),
            round(d["bare_jinja_s"] * 1000, 2),
            baseline_name="bare Jinja loop",
            ratio=d["render_s"] / d["bare_jinja_s"],
            unit="ms",
        ),
        common.row(
            "digest HTML size", round(d["html_kb"], 1), round(d["bare_html_kb"], 1), unit="KiB"
        ),
        common.row(
            f"dossier {s['term']} ({s['items']} items): gather + build",
            round((s["gather_s"] + s["build_s"]) * 1000),
            unit="ms",
        ),
        common.row("dossier HTML render (with charts)", round(s["html_s"] * 1000), unit="ms"),
        common.row("of which the charts", round(s["charts_s"] * 1000), unit="ms"),
        common.row(
            "dossier PDF (WeasyPrint, on top of the HTML; the process's first PDF, importing"
            " WeasyPrint)",
            round(s["pdf_s"], 2),
            round(s["bare_pdf_s"], 2),
            baseline_name=f"bare page of {s['bare_items']} items",
            ratio=s["pdf_s"] / s["bare_pdf_s"] if pdf else None,
            unit="s",
            target="≤ 5 s",
            holds=s["pdf_s"] <= 5 if pdf else None,
        ),
        common.row(
            "same, CPU time (robust to the shared machine's load)",
            round(s["pdf_cpu_s"], 2),
            round(s["bare_pdf_cpu_s"], 2),
            baseline_name="bare page",
            ratio=s["pdf_cpu_s"] / s["bare_pdf_cpu_s"] if pdf else None,
            unit="CPU-s",
        ),
        common.row(
            "dossier PDF again in the same process: wall / CPU",
            f"{s['pdf_again_s']:.2f} / {s['pdf_again_cpu_s']:.2f}",
            unit="s",
        ),
        common.row(
            "first render of the dossier PDF for a download: charts + HTML + PDF",
            round(s["html_s"] + s["pdf_s"], 2),
            unit="s",
        ),
        common.row("dossier PDF size", round(s["pdf_kb"]), round(s["bare_pdf_kb"]), unit="KiB"),
    ]
    if not pdf:
        rows = [r for r in rows if "PDF" not in r["metric"]]
    common.record(
        "render",
        label,
        {
            "params": {"items": items, "group": GROUP, **res["group_work"]},
            "load_before": load_before,
            "load_after": common.loadavg(),
            "rows": rows,
            "phases": res,
            "memory": {"render (digest, dossier HTML + PDF)": res["memory"]["self_mb"]},
            "notes": [
                "The group's work (curations, fiches) was added through the Store API; "
                "no digest had been sent, so the dossier's diffusion section is empty."
            ],
        },
        quick=quick,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--phase", choices=("render",))
    parser.add_argument("--phase-out", type=Path)
    parser.add_argument("--no-pdf", action="store_true", help="HTML only (smoke test)")
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="a corpus built with --fetch published"
    )
    args = parser.parse_args(argv)
    if args.phase:
        common.write_phase(args.phase_out, phase_render(args.corpus, pdf_wanted=not args.no_pdf))
        return 0
    items = 2000 if args.quick and args.items == 10_000 else args.items
    drive(items, args.quick, args.corpus, pdf=not args.no_pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
