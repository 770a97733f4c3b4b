"""`watcher verify`: check a file Watcher generated against its signed manifest and the records.

`watcher verify FICHIER` (this watch's key and records), `watcher verify FICHIER
--public-key-file CLE.pem` (a public key alone: no store, no sources.yml), `watcher verify
--public-key` (print the public key to hand to evaluators). The use case is
`watcher.jobs.verify`; docs/verify.md explains to an evaluator what the check proves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from watcher.cli.app import _now, load, main, out, print_json
from watcher.errors import BadValue
from watcher.jobs import open_workspace
from watcher.workspace import Workspace

if TYPE_CHECKING:
    from watcher.verify.compare import Report

COLOURS = {"unchanged": "green", "changed": "yellow", "refused": "red", "other_watch": "red"}


@main.command("verify")
@click.argument(
    "path",
    metavar="FICHIER",
    required=False,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
@click.option(
    "--public-key",
    "export_key",
    is_flag=True,
    help="Affiche la clé publique de la veille (texte .pem), à donner aux évaluateurs extérieurs.",
)
@click.option(
    "--public-key-file",
    "key_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Vérifie avec cette clé publique seule (signature et manifeste), sans la base.",
)
@click.option("--json", "as_json", is_flag=True, help="Le rapport en JSON.")
@click.pass_obj
def verify_command(
    workspace: Workspace,
    path: Path | None,
    export_key: bool,
    key_file: Path | None,
    as_json: bool,
) -> int:
    """Vérifie un dossier généré par Watcher : signature, contenu, registres."""
    from watcher.jobs import verify as jobs  # the dossiers' formats, the keys: when run
    from watcher.verify.keys import load_public_key

    if export_key:
        if path is not None or key_file is not None:
            raise BadValue("--public-key s'emploie seul : il affiche la clé publique de la veille.")
        watch = load(workspace)
        with open_workspace(workspace) as w:
            key = jobs.public_key(w, watch)
        if as_json:
            print_json({"watch": key.watch, "fingerprint": key.fingerprint, "public_key": key.pem})
        else:
            click.echo(key.pem, nl=False)
        return 0
    if path is None:
        raise BadValue(
            "Donnez le fichier à vérifier (watcher verify FICHIER), ou --public-key pour "
            "afficher la clé publique de la veille."
        )
    jobs.check_size(path.stat().st_size)  # before reading it into memory
    data = path.read_bytes()
    if key_file is not None:
        public = load_public_key(key_file.read_bytes(), str(key_file))
        report = jobs.verify_file(data, now=_now(), public_key=public)
    else:
        watch = load(workspace)
        with open_workspace(workspace) as w:
            report = jobs.verify_file(data, now=_now(), w=w, watch=watch)
    if as_json:
        print_json(report_json(report, str(path)))
    else:
        _print(report, path)
    return 0 if report.authentic else 1


def report_json(report: Report, file: str) -> dict[str, object]:
    """The report as JSON (docs/cli-json.md)."""
    manifest = report.manifest or {}
    return {
        "file": file,
        "format": report.format,
        "verdict": report.verdict,
        "authentic": report.authentic,
        "headline": report.headline,
        "code": report.code or None,
        "store_checked": report.store_checked,
        "manifest": {
            "watch": manifest["watch"]["name"],
            "key": manifest["watch"]["key"],
            "group": manifest["group"]["id"],
            "from": manifest["period"]["from"],
            "to": manifest["period"]["to"],
            "generated_at": manifest["generated_at"],
            "items": len(manifest.get("items", [])),
            "fiches": len(manifest.get("fiches", [])),
            "digests": len(manifest.get("digests", [])),
            "records": len(manifest.get("records", [])),
        }
        if manifest
        else None,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "note": s.note or None,
                "findings": [
                    {
                        "kind": f.kind,
                        "ref": f.ref,
                        "message": f.message,
                        "before": f.before or None,
                        "after": f.after or None,
                    }
                    for f in s.findings
                ],
            }
            for s in report.sections
        ],
    }


def _print(report: Report, path: Path) -> None:
    colour = COLOURS.get(report.verdict, "white")
    out.print(f"[bold {colour}]{escape(report.headline)}[/]")
    out.print(f"Fichier : {path}", markup=False)
    for section in report.sections:
        out.print()
        count = f" ({len(section.findings)})" if section.findings else ""
        out.print(f"[bold]{escape(section.title)}{count}[/]")
        if section.note:
            out.print(f"  {section.note}", markup=False)
        for finding in section.findings:
            out.print(f"  • {finding.message}", markup=False)
            if finding.before:
                out.print(f"      enregistré : {finding.before}", markup=False)
            if finding.after:
                out.print(f"      dans le fichier : {finding.after}", markup=False)
