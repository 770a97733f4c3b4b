"""Page furniture left in extracted text and feed summaries (pure, no I/O).

Photo credits and captions' credit lines, cookie banners, paywall and subscription lines,
"Lire aussi" links, video-player and comment-box leftovers, a publisher's disclaimer (« Ses
contenus n'engagent pas la rédaction »), a wire's credit under a press release (« Original-Content
von: …, übermittelt durch news aktuell »): none of it is what the item is
about, yet their words fire topics ("Crédit photo … l'inflation" under a job-market story)
and their names become entities (the photographer). :func:`blank_boilerplate` replaces them
by spaces, keeping the text's length, so that character offsets found in the cleaned text
(entities) are offsets into the original text too.

:func:`blank_boilerplate` also writes a few long institution names as their acronym, padded
to the same length ("Direction générale de la concurrence, de la consommation et de la
répression des fraudes" -> "DGCCRF"), so that the words of a name ("concurrence", "fraudes")
do not count as topics of the item.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["blank_boilerplate", "furniture_line"]

# A short line that holds one of these is furniture as a whole (a caption with its credit,
# a "Lire aussi" link, a subscription prompt); in a long line only the match is blanked.
SHORT_LINE = 220

# « © », not the second half of a letter whose UTF-8 was read as Windows-1252 (« é » → « Ã© »,
# « ĩ » → « Ä© », « ũ » → « Å© »): a page served under the wrong charset is extracted before its
# mojibake is repaired, and every line with an « é » would read as a credit
_COPYRIGHT = r"(?<![ÃÄÅ])©"
_CREDIT = (
    r"cr[ée]dits?(?:\s+photos?)?\s*:"
    rf"|{_COPYRIGHT}|\(c\)\s"
    r"|\bphotos?\s*:"
    r"|photo\s+d['’]illustration"
    r"|\(\s*illustration\b[^)\n]{0,80}\)"
    r"|/\s*(?:AFP|Reuters|AP|MaxPPP|Getty\s+Images|NurPhoto|Hans\s+Lucas|SIPA|ABACA)\b"
    r"|\|\s*reportage\b"
)
_PAYWALL = (
    r"acc[ée]dez\s+en\s+illimit[ée]"
    r"|s['’]abonner|d[ée]j[àa]\s+abonn[ée]|abonnez-vous|r[ée]serv[ée]e?s?\s+aux\s+abonn[ée]s"
    r"|il\s+vous\s+reste\s+\d+\s*%\s+de\s+cet\s+article"
    r"|la\s+suite\s+est\s+r[ée]serv[ée]e"
)
_NAVIGATION = (
    r"^\W{0,3}(?:lire\s+aussi|[àa]\s+lire\s+(?:aussi|[ée]galement)|lire\s+la\s+suite"
    r"|voir\s+aussi|sur\s+le\s+m[êe]me\s+sujet)\b"
    r"|vid[ée]o\s+suivante\s+dans|^\s*autres\s+vid[ée]os\s*$"
    r"|vos\s+r[ée]actions\s+doivent\s+respecter"
    r"|temps\s+de\s+lecture(?:\s+estim[ée])?\s*:?\s*\d+\s*min"
    r"|^\s*publicit[ée]\s*$|aucun\s+commentaire|enregistrer\s+un\s+commentaire"
    r"|^\s*plan\s+de\s+l['’]article\s*$|^\s*partager\s*(?:sur|cet\s+article)?\b"
    r"|direction\s+de\s+l['’]information\s+l[ée]gale\s+et\s+administrative"
)
_COOKIES = (
    r"(?:nous|ce\s+site|notre\s+site)\s+utilis\w*\s+des\s+cookies"
    r"|en\s+poursuivant\s+(?:votre|la)\s+navigation"
    r"|accepter\s+(?:et\s+fermer|tout|les\s+cookies)|tout\s+accepter|continuer\s+sans\s+accepter"
    r"|g[ée]rer\s+(?:mes|les|vos)\s+(?:choix|cookies|pr[ée]f[ée]rences)"
    r"|param[ée]trer\s+(?:les|mes|vos)\s+cookies"
    r"|vous\s+acceptez\s+le\s+d[ée]p[ôo]t\s+de\s+cookies|accepter\s+tous\s+les\s+cookies"
    r"|politique\s+de\s+gestion\s+des\s+cookies|respecter\s+votre\s+choix\s+de\s+consentement"
)
# a publisher's word that a text (a reader's blog post, an op-ed) is its author's alone
_DISCLAIMER = r"n['’]engag\w*\s+(?:pas\s+la\s+r[ée]daction|que\s+(?:son|sa|ses|leurs?)\s+auteur)"
# the wire's word that it carried a press release (news aktuell's OTS, under every release of
# presseportal.de and of the sites that take its feed: « Original-Content von: X, übermittelt
# durch news aktuell »)
_WIRE = r"original-content\s+von\s*:|[üu]bermittelt\s+durch\s+news\s+aktuell"
_LINE_MARKER = re.compile(
    f"{_CREDIT}|{_PAYWALL}|{_NAVIGATION}|{_COOKIES}|{_DISCLAIMER}|{_WIRE}",
    re.IGNORECASE | re.MULTILINE,
)
# In a long line (a whole summary on one line): the credit or prompt itself, up to the end of
# its sentence; a trailing "Lire aussi :"; a news API's "… [+3442 chars]".
_SEGMENT = re.compile(
    rf"(?:cr[ée]dits?(?:\s+photos?)?\s*:|{_COPYRIGHT}|\(c\)\s)[^.\n]{{0,80}}"
    r"|\(\s*(?:photo|illustration|cr[ée]dit)[^)\n]{0,80}\)"
    rf"|(?:{_PAYWALL})[^.\n]{{0,80}}"
    rf"|(?:{_COOKIES})[^.\n]{{0,120}}"
    r"|(?:lire\s+aussi|lire\s+la\s+suite)\s*:?\s*$"
    r"|…?\s*\[\+\d+\s+chars\]"
    rf"|[^.!?\n]{{0,160}}(?:{_DISCLAIMER})[^.\n]{{0,40}}\.?",
    re.IGNORECASE | re.MULTILINE,
)
_LONG_NAMES = (
    (
        "DGCCRF",
        re.compile(
            r"direction\s+g[ée]n[ée]rale\s+de\s+la\s+concurrence,?\s+de\s+la\s+consommation"
            r"\s+et\s+de\s+la\s+r[ée]pression\s+des\s+fraudes",
            re.IGNORECASE,
        ),
    ),
)


def _padded(acronym: str) -> Callable[[re.Match[str]], str]:
    """The name written as its acronym, or blanked where the text gives the acronym beside it
    (« … des fraudes (DGCCRF) », « la DGCCRF (Direction … fraudes) »): the name and its
    acronym are one mention, not two."""

    def replace(match: re.Match[str]) -> str:
        text, start, end = match.string, match.start(), match.end()
        around = text[max(0, start - _BESIDE) : start] + " " + text[end : end + _BESIDE]
        if re.search(rf"\b{acronym}\b", around):
            return " " * (end - start)
        return acronym.ljust(end - start)

    return replace


# how far (characters) from a long name its acronym is taken to be written beside it
_BESIDE = 12


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


# Every pattern above holds one of these (in lower case): most texts have none, and looking
# for them is far cheaper than running the patterns.
_TRIGGERS = (
    "crédit", "credit", "©", "(c)", "photo", "illustration", "afp", "reuters", "/ ap", "/ap",
    "maxppp", "getty", "nurphoto", "hans lucas", "sipa", "abaca", "reportage", "abonn",
    "illimit", "il vous reste", "la suite", "lire", "voir aussi", "même sujet", "meme sujet",
    "vidéo", "video", "réactions", "reactions", "temps de lecture", "publicit", "commentaire",
    "plan de l", "partager", "information légale", "information legale", "cookies",
    "navigation", "accepter", "gérer", "gerer", "paramétrer", "parametrer", "chars]",
    "direction g", "choix de consentement", "n'engag", "n’engag", "original-content",
    "news aktuell",
)  # fmt: skip


def furniture_line(line: str) -> bool:
    """Whether `line` is furniture as a whole: a short line holding one of the markers above
    (what `blank_boilerplate` blanks whole)."""
    low = line.lower()
    return (
        len(line) <= SHORT_LINE
        and any(trigger in low for trigger in _TRIGGERS)
        and _LINE_MARKER.search(line) is not None
    )


def blank_boilerplate(text: str) -> str:
    """``text`` with its furniture replaced by spaces (same length, same line breaks)."""
    if not text:
        return text
    low = text.lower()
    if not any(trigger in low for trigger in _TRIGGERS):
        return text
    for acronym, pattern in _LONG_NAMES:
        text = pattern.sub(_padded(acronym), text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        low = line.lower()
        if not any(trigger in low for trigger in _TRIGGERS):
            continue  # most lines: no pattern can match there
        if len(line) <= SHORT_LINE and _LINE_MARKER.search(line):
            lines[i] = " " * len(line)
        else:
            lines[i] = _SEGMENT.sub(_blank, line)
    return "\n".join(lines)
