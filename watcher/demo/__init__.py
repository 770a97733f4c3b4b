"""The offline demo watch: a bundled French site served on 127.0.0.1 and its sources.yml."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def site_root() -> Path:
    return HERE / "site"


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
