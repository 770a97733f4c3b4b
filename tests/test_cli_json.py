"""`--json` on every reporting command: run on the demo watch, each output is valid JSON with
exactly the keys that docs/cli-json.md shows for that command."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner
from digest_fixtures import Sink, SmtpServer, mail_section

from watcher.cli.main import main
from watcher.demo import collected_base, site_root
from watcher.demo.server import LocalSite

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli-json.md"


def documented() -> dict[str, Any]:
    """Each `## \\`watcher … --json\\`` section's first JSON example, by command."""
    text = DOC.read_text(encoding="utf-8")
    found = {}
    for command, body in re.findall(r"^## `watcher ([a-z ]+) --json`\n(.*?)(?=^## |\Z)", text,
                                    re.M | re.S):  # fmt: skip
        example = re.search(r"```json\n(.*?)```", body, re.S)
        assert example, command
        found[command] = json.loads(example.group(1))
    return found


DOCUMENTED = documented()


def same_keys(real: Any, example: Any, where: str = "$") -> None:
    """``real`` has the keys of ``example`` at every level (lists: each element like the
    example's first one)."""
    if isinstance(example, dict):
        assert isinstance(real, dict), where
        assert set(real) == set(example), (where, sorted(set(real) ^ set(example)))
        for key, value in example.items():
            same_keys(real[key], value, f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(real, list), where
        if example:
            for n, element in enumerate(real):
                same_keys(element, example[0], f"{where}[{n}]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo watch, with a digest sent through a local SMTP server, an assessment recorded
    and a saved search."""
    target = tmp_path_factory.mktemp("json") / "demo-watch"
    runner = CliRunner()
    made = runner.invoke(main, ["demo", "--dir", str(target), "--port", "0"])
    assert made.exit_code == 0, made.output
    config = target / "sources.yml"
    sink = Sink()
    with SmtpServer(sink) as smtp:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["mail"] = mail_section(smtp.port)
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        sent = runner.invoke(
            main, ["-c", str(config), "digest", "--group", "demo", "--send", "--yes"]
        )
        assert sent.exit_code == 0, sent.output
    assert sink.messages
    recorded = runner.invoke(main, [
        "-c", str(config), "assess", "record", "--as", "helene.garnier@example.org",
        "--learner", "lea.moreau@example.org", "--competence", "C1", "--level", "3",
    ])  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    saved = runner.invoke(
        main, ["-c", str(config), "search", "axis:normes", "--group", "demo", "--save", "normes"]
    )
    assert saved.exit_code == 0, saved.output
    yield target


def run_json(demo: Path, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["-c", str(demo / "sources.yml"), *args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_every_command_with_json_is_documented() -> None:
    assert set(DOCUMENTED) == {
        "check", "crawl", "process", "status", "items", "search", "searches", "outbox",
        "user list", "assess export", "verify",
    }  # fmt: skip


def test_check(demo: Path, tmp_path: Path) -> None:
    good = run_json(demo, "check")
    same_keys(good, DOCUMENTED["check"])
    assert good["valid"] and good["sources"] == 9 and good["errors"] == []
    assert good["warnings"] == []  # the demo's sources on 127.0.0.1 say allow_private: true
    broken = tmp_path / "sources.yml"
    text = (demo / "sources.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("every: 6h", "every: often", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["-c", str(broken), "check", "--json"])
    assert result.exit_code == 2
    bad = json.loads(result.stdout)
    same_keys(bad, DOCUMENTED["check"])
    assert not bad["valid"] and bad["sources"] is None
    assert [e["value"] for e in bad["errors"]] == ['"often"']  # as the text shows it
    assert bad["errors"][0]["path"].endswith(".every")


def test_crawl(demo: Path) -> None:
    port = urlsplit(collected_base(demo) or "").port
    with LocalSite(site_root(), port=port or 0) as site:
        assert site.base == collected_base(demo)
        report = run_json(demo, "crawl", "--all", "--source", "telvia-presse")
    same_keys(report, DOCUMENTED["crawl"])
    (telvia,) = report["sources"]
    assert telvia["ok"] and telvia["unread"] == 1 and "robots.txt" in telvia["warnings"][0]
    assert report["totals"]["failed_sources"] == 0 and len(report["skipped"]) == 8


def test_process(demo: Path) -> None:
    report = run_json(demo, "process")
    same_keys(report, DOCUMENTED["process"])
    assert report["index_busy"] is False


def test_status(demo: Path) -> None:
    status = run_json(demo, "status")
    same_keys(status, DOCUMENTED["status"])
    assert len(status["sources"]) == 9
    broken = next(s for s in status["sources"] if s["id"] == "ancien-flux-consultations")
    assert broken["consecutive_failures"] == 1 and "404" in broken["last_error"]
    (digest,) = status["digests"]
    assert digest["group"] == "demo" and digest["deliveries"] == {"envoyé": 4}


def test_items_and_search(demo: Path) -> None:
    items = run_json(demo, "items", "--limit", "5")
    assert len(items) == 5
    same_keys(items, DOCUMENTED["items"])
    found = run_json(demo, "search", "service", "client", "--group", "demo")
    assert found["hits"] and found["query"] == "service client"
    same_keys(found, DOCUMENTED["search"])


def test_search_gives_the_articles_cited(demo: Path) -> None:
    found = run_json(demo, "search", "ref:eu:celex:32016R0679", "--group", "demo")
    assert found["hits"]
    same_keys(found, DOCUMENTED["search"])
    refs = [r for hit in found["hits"] for r in hit["refs"] if r["key"] == "eu:celex:32016R0679"]
    pins = {p["name"]: p["label"] for r in refs for p in r["pinpoints"]}
    assert pins["art-6"] == "art. 6" and pins["art-14"] == "art. 14", pins


def test_searches(demo: Path) -> None:
    saved = run_json(demo, "searches", "--group", "demo")
    same_keys(saved, DOCUMENTED["searches"])
    assert [(s["name"], s["query"]) for s in saved] == [("normes", "axis:normes")]


def test_outbox(demo: Path) -> None:
    digests = run_json(demo, "outbox")
    same_keys(digests, DOCUMENTED["outbox"])
    (sent,) = [d for d in digests if d["rows"]]  # (the demo also rendered this week's, unsent)
    assert sent["queued"] and len(sent["rows"]) == 4
    assert {r["label"] for r in sent["rows"]} == {"envoyé"}


def test_user_list(demo: Path) -> None:
    users = run_json(demo, "user", "list")
    same_keys(users, DOCUMENTED["user list"])
    roles = {u["email"]: (u["role"], u["group"]) for u in users}
    assert roles["lea.moreau@example.org"] == ("learner", "demo")
    assert roles["evaluateur@example.org"] == ("evaluator", None)


def test_assess_export(demo: Path) -> None:
    export = run_json(demo, "assess", "export", "--format", "csv", "--group", "demo")
    same_keys(export, DOCUMENTED["assess export"])
    assert export["records"] == 1 and Path(export["path"]).is_file()


def test_verify(demo: Path) -> None:
    # the demo collects on the real clock; a day ahead, whatever the watch's time zone
    end = datetime.now(UTC).date() + timedelta(days=1)
    start = end - timedelta(days=28)
    made = CliRunner().invoke(
        main,
        ["-c", str(demo / "sources.yml"), "dossier", "--group", "demo", "--from",
         start.isoformat(), "--to", end.isoformat(), "--format", "docx"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    docx = demo / "reports" / "demo" / f"dossier-{start}-{end}.docx"
    report = run_json(demo, "verify", str(docx))
    same_keys(report, DOCUMENTED["verify"])
    assert report["verdict"] == "unchanged" and report["authentic"] and report["store_checked"]
    assert report["manifest"]["group"] == "demo" and report["manifest"]["items"] > 0
