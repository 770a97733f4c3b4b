"""Rendering: the Jinja environment, the digest as an HTML e-mail and its plain-text alternative,
and the archive under reports/<group>/<YYYY-Www>.html and .txt.

The HTML survives real mail clients: table layout, every style inlined (css-inline) with only
the @media rule kept in a <style> block, no JavaScript, nothing loaded from elsewhere.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from watcher.changes import diff_text
from watcher.dates import date_fr
from watcher.plural import counted, plural
from watcher.report.digest import Digest
from watcher.workspace import write_atomically


def datetime_fr(value: datetime) -> str:
    return f"{date_fr(value)} à {value:%H:%M}"


# Where the text part never breaks a line (French typography): after « and the word diff's
# [+ / [−, before » : ; ! ?. Held by a no-break space while wrapping (textwrap breaks only at
# ASCII whitespace), given back as a plain space.
_UNBREAKABLE = re.compile(r"(?<=«) | (?=[»:;!?](?:\s|$))|(?<=\[[+−]) ")


def wrap(text: str, width: int = 76, indent: str = "") -> str:
    """Wrap a paragraph for the text part; lines after the first get `indent`."""
    held = _UNBREAKABLE.sub("\u00a0", " ".join(text.split()))
    lines = textwrap.wrap(held, width=width - len(indent))
    return ("\n" + indent).join(line.replace("\u00a0", " ") for line in lines)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("watcher", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_fr"] = date_fr
    env.filters["datetime_fr"] = datetime_fr
    env.filters["wrap"] = wrap
    env.filters["counted"] = counted  # {{ n|counted("article") }}: « 1 article », « 2 articles »
    env.filters["plural"] = plural  # {{ n|plural("fonctionne", "fonctionnent") }}
    env.filters["diff_text"] = diff_text
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    return env


@cache
def _css() -> str:
    return resources.files("watcher").joinpath("templates/email/digest.css").read_text("utf-8")


@cache
def _inliner() -> css_inline.CSSInliner:
    return css_inline.CSSInliner(
        load_remote_stylesheets=False, keep_style_tags=False, keep_at_rules=True
    )


@dataclass(frozen=True)
class AppLinks:
    """Addresses in the web app (`watch.web_url`) of a group's pages, for the digest's links."""

    base: str  # the app's public address, without a trailing slash
    group_id: str

    def item(self, item_id: int) -> str:
        """The item's page (its fiche, the group's choice, the texts it cites)."""
        return f"{self.base}/g/{quote(self.group_id)}/items/{item_id}"

    def digest(self, week: str) -> str:
        """The week's digest in the app (as sent, once it is)."""
        return f"{self.base}/g/{quote(self.group_id)}/digests/preview?week={quote(week)}"


def app_links(web_url: str | None, group_id: str) -> AppLinks | None:
    """The app's links for a group, or None when the watch names no public address."""
    return AppLinks(web_url.rstrip("/"), group_id) if web_url else None


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


# The HTML part's texts (between tags, outside <style>, <script> and comments) where a space is
# French typography's no-break space: after « and before » : ; ! ? (as the text part holds them).
_TAG_OR_RAW = re.compile(r"(<!--.*?-->|<(style|script)\b.*?</\2\s*>|<[^>]*>)", re.S | re.I)
_FRENCH_SPACE = re.compile(r"(?<=«) | (?=[»:;!?](?:\s|&nbsp;|<|$))")


def french_spaces(html: str) -> str:
    """`html` with no-break spaces after « and before » : ; ! ? in its texts; tags, attributes
    (addresses), styles and comments untouched."""
    pieces = _TAG_OR_RAW.split(html)
    out = []
    for n, piece in enumerate(pieces):
        if n % 3 == 0:  # a text between tags
            out.append(_FRENCH_SPACE.sub("\u00a0", piece))
        elif n % 3 == 1:  # a tag, a comment or a whole <style>/<script> (n % 3 == 2: its name)
            out.append(piece)
    return "".join(out)


def render_digest(
    digest: Digest, *, unsubscribe: str | None = None, web_url: str | None = None
) -> Rendered:
    """The digest as an e-mail: inlined HTML and plain text (both in French, UTF-8). With the
    web app's public address (`web_url`), each item links to its page there and the digest
    to its own; without it, no link to the app at all."""
    env = environment()
    app = app_links(web_url, digest.group_id)
    html = env.get_template("email/digest.html").render(
        d=digest, css=_css(), unsubscribe=unsubscribe, app=app
    )
    text = env.get_template("email/digest.txt").render(d=digest, unsubscribe=unsubscribe, app=app)
    return Rendered(digest.subject, french_spaces(_inliner().inline(html)), _tidy_text(text))


def _tidy_text(text: str) -> str:
    """No trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip() + "\n"


def archive_paths(reports: Path, group_id: str, week: str) -> tuple[Path, Path]:
    folder = reports / group_id
    return folder / f"{week}.html", folder / f"{week}.txt"


def archive(reports: Path, group_id: str, week: str, html: str, text: str) -> tuple[Path, Path]:
    """Write reports/<group>/<week>.html and .txt (each replaced atomically)."""
    html_path, txt_path = archive_paths(reports, group_id, week)
    write_atomically(html_path, html)
    write_atomically(txt_path, text)
    return html_path, txt_path
