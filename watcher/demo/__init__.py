"""The offline demo watch: a bundled French site served on 127.0.0.1 and its sources.yml."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from watcher.assess.rules import Viewer
from watcher.config import Watch
from watcher.demo.server import LocalSite, Route
from watcher.jobs import OpenWorkspace
from watcher.jobs.assess import create_jury, prepared
from watcher.model import Jury, JuryMember

HERE = Path(__file__).resolve().parent
DEMO_PORT = 8765
_BASE_RE = re.compile(r"http://127\.0\.0\.1:\d+")


# The demo's watched page (kind: monitor) and the version the site serves "on demand" in its
# place, so that a demo run shows a change: the first crawl reads the page, the next one reads
# its next version.
WATCHED_SOURCE = "telvia-box-fibre"
WATCHED_PAGE = "/telvia/offres/box-fibre.html"
NEXT_VERSION = "/telvia/offres/versions/box-fibre-2.html"


def site_root() -> Path:
    return HERE / "site"


def serve_next_version(site: LocalSite) -> None:
    """From now on, the demo site answers its watched page with the page's next version
    (conditional GET included: ETag and 304 as for every page of the site)."""
    found = site.body_for(NEXT_VERSION)
    assert found is not None, NEXT_VERSION
    body, kind = found
    site.routes[WATCHED_PAGE] = Route(body=body, headers={"Content-Type": kind}, conditional=True)


def prepare_demo(directory: Path, base: str) -> Path:
    """Write the demo watch's sources.yml (pointing at `base`) and its folders.

    Returns the path of the config."""
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("index", "reports"):
        (directory / sub).mkdir(exist_ok=True)
    config = directory / "sources.yml"
    template = (HERE / "sources.yml").read_text(encoding="utf-8")
    config.write_text(template.replace("{{BASE}}", base), encoding="utf-8")
    return config


def collected_base(directory: Path) -> str | None:
    """The site address (http://127.0.0.1:PORT) a demo in `directory` was collected from, None if
    it has no store yet. Its items are keyed by their URLs: collected again from another port,
    every one of them would be stored a second time."""
    config = directory / "sources.yml"
    if not (directory / "watcher.db").is_file() or not config.is_file():
        return None
    found = _BASE_RE.search(config.read_text(encoding="utf-8"))
    return found.group(0) if found else None


DEMO_JURY = "Jury de démonstration (bloc 1)"


DEMO_EVALUATOR = "evaluateur@example.org"


def prepare_accounts(
    w: OpenWorkspace, watch: Watch, password: str, now: datetime
) -> list[tuple[str, str]]:
    """Web accounts (e-mail, role) for the demo group's members, its tutor and an evaluator,
    all with `password` (created once)."""
    group = watch.groups[0]
    wanted: list[tuple[str, str, str, str | None]] = [
        (m.email, m.name, "learner", group.id) for m in group.members
    ]
    if group.tutor:
        wanted.append((group.tutor.email, group.tutor.name, "tutor", group.id))
    wanted.append((DEMO_EVALUATOR, "Évaluateur démo", "evaluator", None))
    for email, name, role, group_id in wanted:
        if w.users.by_email(email) is None:
            w.users.add(email, name, role, password, now=now, group_id=group_id)
    return [(email, role) for email, _, role, _ in wanted]


def prepare_assessment(w: OpenWorkspace, evaluator: str, now: datetime) -> None:
    """What an evaluator needs to try grading at once: the built-in grids (default jury grid
    and tutor grid) and a jury composed as the fiche asks — the demo's evaluator for the
    school and a (fictional) professional — where the evaluator sits. Created once."""
    if any(j.name == DEMO_JURY for j in prepared(w, now).juries()):
        return
    members = (
        JuryMember("Évaluateur démo", evaluator, "formation", "Organisme de formation"),
        JuryMember("Paul Durand", "paul@example.org", "professionnel", "Telvia", "président"),
    )
    jury = Jury(None, DEMO_JURY, (now + timedelta(days=30)).date(), members)
    create_jury(w, Viewer("admin", "demo@example.org"), jury, now=now)
