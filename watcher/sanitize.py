"""Untrusted text and HTML from feeds and pages → HTML that is safe to show (pure).

Everything collected is untrusted. The store keeps plain text, which templates escape; what is
shown as HTML goes through nh3 (ammonia) here, with an allow-list: no scripts, no event
handlers, no `style`, no forms or frames, no images (remote images are trackers), and links
only to http(s) and mailto, opened without a referrer.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

# Tags a digest or an extract may keep; all others are removed (their text is kept, except
# for the contents of script/style/template/… which nh3 drops entirely).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "mark", "ol", "p", "pre",
    "q", "s", "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "article", "header", "footer", "nav",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"id", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto"}
CLEAN_CONTENT_TAGS = {"script", "style", "template", "noscript", "iframe", "object", "embed",
                      "textarea", "select", "title", "svg", "math"}  # fmt: skip
_SPACE = re.compile(r"[ \t\u00a0\u202f]+")


def clean_html(fragment: str) -> str:
    """An untrusted HTML fragment → safe HTML (allow-listed tags, http(s) links only)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_snippet(fragment: str) -> str:
    """A search highlight (escaped text with <mark>) → the same, with nothing but <mark>.

    The index already escapes; this is a second, independent guard."""
    return nh3.clean(fragment, tags={"mark"}, attributes={}, clean_content_tags={"script", "style"})


def text_to_html(text: str, limit: int | None = None) -> str:
    """Plain text (as the store keeps it) → escaped HTML paragraphs, cut at `limit` chars."""
    text = text.strip()
    if limit is not None and len(text) > limit:
        cut = text[:limit]
        space = cut.rfind(" ")
        text = (cut[:space] if space > limit * 0.6 else cut).rstrip(" ,;:.") + " …"
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for paragraph in paragraphs:
        lines = [html.escape(_SPACE.sub(" ", line).strip()) for line in paragraph.splitlines()]
        out.append("<p>" + "<br>".join(line for line in lines if line) + "</p>")
    return clean_html("".join(out))


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data:, …)."""
    if not url:
        return None
    candidate = url.strip()
    if any(ord(c) < 0x20 for c in candidate) or " " in candidate:
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


# Invisible formatting characters that feeds and pages carry into text (« \u202a\u200eHSP\u202c »
# on a real craigslist feed): bidirectional embeddings, overrides, isolates and marks, zero-width
# space, word joiner, byte-order mark and soft hyphen. A French reader sees nothing of them, but
# they split words for search, matching and the models, and learners copy them into their notes.
# The joiners that emoji and some scripts need (U+200C, U+200D) stay.
#
# Control characters too (C0 but tab and line breaks, DEL, the non-characters U+FFFE and U+FFFF):
# a feed can carry them (« &#7; » in a title, read by feedparser's lenient parser), and so can a
# learner's paste into a web form (Word's manual line break is a vertical tab); a reader sees
# nothing of them, and XML forbids them — python-docx and openpyxl refuse such a text, so one of
# them in a retained title or a fiche stopped the group's whole DOCX and XLSX dossier. A vertical
# tab or a form feed separates words: it becomes a space. The item pipeline applies this to
# everything collected (`watcher.collect.repair`), the web app to every form field but passwords
# (`watcher.web.core.FormRequest`).
_INVISIBLE = re.compile(
    "[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    "\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]"
)
_SPACING_CONTROLS = re.compile("[\x0b\x0c]")


def visible(text: str) -> str:
    """``text`` without invisible formatting characters nor control characters."""
    text = _SPACING_CONTROLS.sub(" ", text) if _SPACING_CONTROLS.search(text) else text
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text
