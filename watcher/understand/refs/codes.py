"""Codes and code articles; « l'article N » resolved to a code named earlier; labour articles."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from watcher.understand.refs.candidates import _LATIN, _Cand
from watcher.understand.refs.links import LEGIFRANCE, _legifrance_search
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _data, _fold

# --- Codes and code articles --------------------------------------------------------------
# One article: « L. 121-1 », « L121-1 », « L-223-1 », « R.* 123 », « LO 141 », « D. 643-35 »,
# « 1240 », « 1er », « liminaire »; a subdivision glued to it (« L. 442-6-I-2° », « 1484-2° »,
# « L. 312-1-I-a) ») is dropped. « l. 1232-6 » (lower case) is read as « L. 1232-6 ».
# A paragraph written after a space (« L. 532-9 II ») is dropped too; « II », « III », « IV »
# are never an article's letter suffix (« 39 AA », « 150 VI » are).
# Lexbase's marker after an article (« R. 771-3 (N° Lexbase : L5790IGK) ») is read past too.
_ART_GLUED = (
    # « L442-6 I 5 », « L442-6.I.5e »: a paragraph and its item after a space or a dot;
    # « L.442-6 / I / 5e »: after slashes
    r"(?: (?:III|II|IV)(?![\w])|[ .](?:I|II|III|IV|V|VI)[ .]\d{1,2}(?:e|°)?(?![\w.])"
    r"| / (?:I|II|III|IV|V|VI)(?: / \d{1,2}(?:e|°)?)?(?![\w.]))?"
    # round 28: « L. 229-68.-I » (the JO's paragraph mark), « R. 312-4-3- I », « 200-1-b »,
    # « 262(I) »
    r"(?:\.?- ?[IVX]+(?![\w]))?(?:-\d+°)?(?:-[a-z]\)|-[a-z](?![\w]))?(?:\([IVX]{1,4}\))?"
    r"(?: \(N° Lexbase ?: ?[A-Z][A-Z0-9]{4,12}\))?"
)
# (a paragraph followed by its item, « L442-6 I 5 », is not a letter: see _ART_GLUED)
# The Latin adverbs of inserted articles (« 199 undecies B », « 244 quater C », « 1649 quater-0 B
# bis » of the code général des impôts), then a capital letter and a further adverb (« 150-0 B
# ter »).
_ART_SUFFIX = (
    r"(?:(?:" + _LATIN + r")(?![\w])(?:-\d{1,2})?(?: [A-Z](?![\w.°]))?"
    r"|(?!I[IV]\b|[IV]{1,2} \d)[A-Z]{1,2}(?![\w.°]))(?: (?:bis|ter|quater)(?![\w]))?"
)
# Typos of extraction in a prefixed article's number (« L. », « R. », « D. » right before): a dot
# for a hyphen (« L. 592.31 », « Art. L2121.7 »: a code's articles have no dotted numbers) and,
# right before the code's name, a space for it (« L. 247 2 du code de l'action sociale … »); the
# first part has three digits or more, as the prefixed articles of the recodified codes have.
_ART_TYPO_CODE_NEXT = r"(?= (?:du|de la|de l'|des) (?:[Cc]ode|CODE)(?![\w']))"
_ART_TYPO = (
    r"(?:(?<=[LRD])|(?<=[LRD]\.)|(?<=[LRD] )|(?<=[LRD]\. ))"
    r"\d{3,}(?:\.\d+(?:[-.]\d+)*(?:\.[a-z]\.?(?![\w]))?(?![\d°.])| \d{1,3}"
    + _ART_TYPO_CODE_NEXT
    + r"| -\d+(?:-\d+)*(?![\d°])"  # « L 111 -1 »: a space before the hyphen
    + r"|- \d{1,3}(?![\d°]))"  # « L. 211- 4 »: a space after it
)
_TYPO_SEP_RE = re.compile(r" ?[-. ] ?")  # what _ART_TYPO reads for a hyphen
# A capital letter glued to a plain number, as invoices write the code général des impôts'
# « article 293B du CGI » (« 293 B »); not a Roman numeral (« 6I »)
_ART_LETTER_GLUED = r"(?<=\d)(?![IVX](?![A-Z]))[A-Z]{1,2}(?![\w.°-])"
_ART = (
    r"(?:(?:LO|L|R|D|A)(?:\.?\*)?(?:\. ?| \. | |-)?|l\. ?)?(?:"  # « R.* 366-5 » for « R*366-5 »
    + _ART_TYPO
    + r"|\d+(?:-\d+(?![\d°]))*|1er|liminaire)"
    r"(?: " + _ART_SUFFIX + r"|" + _ART_LETTER_GLUED + r")?" + _ART_GLUED + r"(?![\w-])"
)
_ART_SEP = (
    # (« L. 513-1 , L. 521-2 »: a space before the comma, as extracted text has it)
    # (« article R4451-57 et article R4451-82 du code du travail »: the word repeated)
    r"(?:, ?| , | et (?:l['’])?article | et |, et | à | ou | et/ou |,? ainsi qu'(?:à |aux )?"
    r"| (?=(?:LO|L|R|D|A)\.? ?\d))"
)
# an item's subdivisions before the next item (« articles L.442-1, I, 3°, L.441-17 et … »)
# (and the article an item became, between commas: « articles 1382, devenu 1240, et 1251, devenu
# 1346, du code civil »; read apart, see _BECAME_RE)
_ITEM_BECAME = r", devenu (?:l['’]article )?(?:(?:LO|L|R|D|A)\.? ?)?\d+(?:-\d+)*(?![\w-])(?=,)"
# Round 25: and a bill's tables' mark on an item, the article it creates or repeals (« articles
# L. 313-1-2, L. 342-3, L. 347-2 [nouveau] et L. 313-21 [abrogé] du code de l'action sociale et
# des familles », « L. 113-3-2 [nouveaux], L. 113-7 [nouveau] du code … »)
_ITEM_MARK = r" [\[(](?:nouveaux?|nouvelles?|abrog[ée]e?s?|supprim[ée]e?s?|modifi[ée]e?s?)[\])]"
_ART_ITEM_SUB = (
    r"(?:, (?:[IVX]{1,4}|\d{1,2}°|[a-z]\)|§ ?\d{1,2})(?=,)|"
    + _ITEM_BECAME
    + r"|"
    + _ITEM_MARK
    + r")*"
)
_ITEM_SUB_RE = re.compile(
    r", (?:[IVX]{1,4}|\d{1,2}°|[a-z]\)|§ ?\d{1,2})(?=,)|" + _ITEM_BECAME + r"|" + _ITEM_MARK
)
_ART_LIST = r"(?P<list>" + _ART + r"(?:" + _ART_ITEM_SUB + _ART_SEP + _ART + r")*)"
# one article, for « L. 132-1 ancien devenu L. 212-1 du code … » (the article it became)
_ART_ONE_BARE = r"(?:LO|L|R|D|A)\.? ?\d+(?:-\d+)*(?![\w-])"
# ... and the article it was, in an aside (« L. 623-1 [ancien art. L. 423-1] du code … »)
_BECAME_RE = re.compile(
    r"(?:devenu|[(\[](?:anciennement|ancien|anc\.)) (?:l['’]article |art\. )?(?P<list>"
    + _ART_ONE_BARE + r"|(?<=, devenu )\d+(?:-\d+)*(?=,))"
)  # fmt: skip
# What may stand between the list and the code name: « , alinéa 2, », « , I, 2°, », « , 9° »,
# « et suivants ».
_ART_GAP = (
    r"(?:,? (?:alin[ée]as?|al\.|premier alin[ée]a|paragraphes?|§|points?) ?[\w°]*"
    r"(?: (?:et|à) \d+(?:er|°)?(?![\w-]))?"  # « alinéas 2 et 3 »
    # « L145-4 3ème alinéa du code … », « , deuxième alinéa, »
    r"|,? (?:\d{1,2}(?:e|ème|eme|er|nd)|premier|deuxi[èe]me|second|troisi[èe]me|quatri[èe]me"
    r"|cinqui[èe]me|dernier) alin[ée]a"
    # « L 441-6, I-al. 1 du code … », « L. 442-6, I ,5° du code … »
    r"|, [IVX]+\b|-al\. ?\d+|,? \d+°| ,\d+°|, [a-z]\)| [IVX]+(?=,)| \(\d+°\)| et suivants| et s\."
    # round 28: « Article 200 quater A 5.a. du Code général des impôts »
    r"| \d{1,2}\.(?:[a-z][.)])?(?= d[eu] )"
    # (« L. 121-92-1 [nouveau] du code … », as a bill's tables mark an article it creates)
    r"| anciens?| nouveaux?| \[nouveau\]| \(nouveau\)|" + _ITEM_MARK + r""
    r"| \((?:anciennement|ancien|ex\.?|devenu|nouvel?) [^()]{1,30}\)"
    r"| \[(?:anciennement|ancien|anc\.|ex\.?|devenu|nouvel?) [^\[\]]{1,30}\]"
    r"| devenu (?:l['’]article )?"
    + _ART_ONE_BARE
    # the Cour de cassation's « Vu l'article 1134, devenu 1103, du code civil » (since 2016's
    # recodification: a plain number too, between commas)
    + r"|, devenu (?:l['’]article )?(?:"
    + _ART_ONE_BARE
    + r"|\d+(?:-\d+)*(?![\w-]))(?=,)"
    + r"){0,4},?"
)
# « du même code », and as legal writers capitalise it, « du même Code », « du présent Code »
_ANAPHORA = (
    r"(?P<ana>m[êe]me [Cc]ode|ce m[êe]me [Cc]ode|ce [Cc]ode|[Cc]ode pr[ée]cit[ée]"
    r"|pr[ée]sent [Cc]ode)"
)
# (?=[AaLRD\d]): what « article », « art. », a prefix (L, R, D, A, LO) or a number start with
# (see _FR_TEXT_RE).
# « ArticlesL. 121-17 » (a space lost in extraction) is read like « Articles L. 121-17 ».
_ART_KW_GLUED = r"(?=(?:LO|L|R|D)\.? ?\d)"
_CODE_ART_RE = re.compile(
    r"(?=[AaLRD\d])(?<![\w.])(?P<kw>(?:[Aa]rticles?|ARTICLES?|[Aa]rt\.?)(?: |"
    + _ART_KW_GLUED + r")|[Aa]rt\.(?=\d))?" + _ART_LIST + _ART_GAP
    + r"(?:\.(?= du | de la | de l'))?"  # « art. R. 711-2. du CESEDA »
    # « (art. L. 217-3, c. consom.) », « art. L. 221-1 s. anc. c. consom. » (« s. »: et suivants;
    # « anc. »: the former code's article): a publisher's abbreviation after a comma or « s. »
    + r"(?:(?:,| s\.)(?= (?:anc\. )?[Cc]\. ?[a-zé]))?"
    + r"(?P<dash> [-–])?"  # « Art. 9 - Code civil » (round 28; with « article » only)
    + r"(?: (?:(?:du|de la|de l'|des|au|à la|à l'|de|anc\.) ?)?"
    + r"(?:(?:nouveau|futur|actuel|notre) )?(?:"
    + _ANAPHORA
    + r"|(?P<code>[Cc]ode|CODE|C\.|c\.(?= ?[a-zé])|[A-Z]{3,6}|[Ll]ivre des proc|LIVRE DES PROC"
    + r"|L\.P\.F\.))"
    + r"| (?P<ana2>dudit [Cc]ode))"
)  # fmt: skip
# « l'article R. 462-4 », « ses articles L. 430-1 à L. 430-7 »: an article whose code is not
# named after it (and that is not « article 12 de la loi … », « article 5 du contrat »).
_BARE_ART_RE = re.compile(
    r"(?=[Aa][Rr][Tt])(?<![\w.])(?P<kw>[Aa]rticles?|ARTICLES?|[Aa]rt\.) " + _ART_LIST + _ART_GAP
    + r"(?! ?(?:du|de|des|d'|dudit|pr[ée]cit[ée]|ci-dessus|susvis[ée])\b)"
)  # fmt: skip
# « Code de la consommation - art. L121-34 », « C. consom., futur art. L. 311-3 »
_THEN_ART_RE = re.compile(
    r"(?:(?: ?[-–,] ?| )(?:(?:futur|ancien|nouvel|actuel) )?(?:art\.|[Aa]rticles?) "
    # « le code de commerce prévoit aussi, en son article L. 441-6, … »
    r"| (?:pr[ée]voit|dispose|pr[ée]cise|impose|consacre|[ée]nonce)(?: aussi| [ée]galement"
    r"| notamment)?,? (?:en|dans) (?:son article|ses articles) "
    # « fixées par le Code du commerce (article L310-3) »: the article in brackets after it
    r"| \((?:art\.|[Aa]rticles?) (?=[^()]{1,60}\))"
    # round 28: a prefixed article right after the code's name (« Code de la santé publique
    # L793-5 »)
    r"| (?=(?:LO|L|R|D)\.? ?\d+-\d))"
    r"(?:[Aa]rticles? )?" + _ART_LIST  # « articles Articles 1031-1 à … » as extracted
)
_ONE_ART_RE = re.compile(
    r"(?P<p>LO|L|R|D|A|l(?=\. ?\d))?(?:\.?(?P<star>\*))?(?:\. ?| \. | |-)?"
    # (read within a list _CODE_ART_RE found: the code's name is past its end)
    r"(?P<n>1er(?![\w])|"
    + _ART_TYPO.replace(_ART_TYPO_CODE_NEXT, "$")
    + r"|\d+(?:-\d+(?![\d°]))*|liminaire)"  # « 1er » whole, not « 1 » then « er »
    r"(?: (?P<x>" + _ART_SUFFIX + r")|(?P<xg>" + _ART_LETTER_GLUED + r"))?" + _ART_GLUED
)
_CGI_PARAGRAPH_RE = re.compile(r"-(?!0(?!\d))\d+(?:-\w+)*$")
_DOTTED_LETTER_RE = re.compile(r"\.[a-z]\.?$")
# a prefixed article inside a list, after its separator (round 28)
_PREFIXED_ITEM_RE = re.compile(r"(?<=[ ,])(?:LO|L|R|D)\.? ?\d")
# « titre IV du livre IV du Code de commerce »: the parts of a code written before its name.
_CODE_PART_RE = re.compile(
    r"(?i)(?:(?:livre|titre|chapitre|partie|section) [IVXLC]+(?:er)?(?: bis)?"
    r" (?:du|de la|de l'|de) )+$"
)
# « du code » alone, not the start of a code's name the table lacks (« du code de la route »),
# nor a local code's (« du code civil local »)
_BARE_CODE_WORD_RE = re.compile(
    r"(?:[Cc]ode|CODE)(?! (?:de|des|du|d'|[A-Za-zÀ-ÿ]+ (?:de|des|du|local)\b)|[\w'-])"
)
# Codes whose articles are plain numbers (« l'article 1240 » in the Code civil).
_PLAIN_NUMBERED_CODES = frozenset(
    {"civil", "penal", "procedure-civile", "procedure-penale", "douanes", "impots"}
)
_ODE_RE = re.compile("ode|ODE")  # a literal: found at C speed (every code name starts « code »)
# the one code whose name does not start with « code »
_LIVRE_RE = re.compile(r"(?<![\w])(?:[Ll]ivre des proc|LIVRE DES PROC)")


def _code_starts(t: str) -> Iterator[int]:
    """Where « code » or « Code » (« CODE ») begins a word, or « livre des procédures
    fiscales » begins: where a code name may start."""
    starts = []
    for m in _ODE_RE.finditer(t):
        p = m.start() - 1
        if p >= 0 and t[p] in "Cc" and not (p and (t[p - 1].isalnum() or t[p - 1] == "_")):
            starts.append(p)
    if "ivre des proc" in t or "IVRE DES PROC" in t:
        starts.extend(m.start() for m in _LIVRE_RE.finditer(t))
        starts.sort()
    yield from starts


@dataclass(frozen=True)
class _CodeMention:
    start: int
    end: int
    slug: str
    full: bool  # full name (« code de commerce ») rather than abbreviation (« C. com. »)


def _code_key(name: str) -> str:
    """The table key of a code name or abbreviation as written (apostrophe lost or not)."""
    return _fold(name).replace("'", " ")


# « le code civil local », « code professionnel local »: the local law of Alsace-Moselle kept in
# force by the loi du 1er juin 1924, not the national code of that name
_LOCAL_RE = re.compile(r" local\b")


def _code_mentions(norm: _Norm) -> list[_CodeMention]:
    """Every code named in the text, by full name or abbreviation, in order (computed once)."""
    if norm.codes is not None:
        return norm.codes
    data = _data()
    t = norm.text
    found: list[_CodeMention] = []
    end = 0
    for p in _code_starts(t):
        if p < end:
            continue
        m = data.code_name_re.match(t, p) or data.code_slip_re.match(t, p)
        if m is None:
            continue
        end = m.end()
        slug = data.code_by_name.get(_code_key(m.group(0)))
        if slug is not None and _LOCAL_RE.match(t, m.end()):
            continue  # « code civil local »: Alsace-Moselle's local law, not the national code
        if slug is not None:
            found.append(_CodeMention(m.start(), m.end(), slug, True))
    for m in data.code_abbrev_re.finditer(t):
        slug = _abbrev_slug(m.group(0))
        if slug is not None:
            found.append(_CodeMention(m.start(), m.end(), slug, False))
    found.sort(key=lambda c: c.start)
    norm.codes = found
    norm.code_starts = [c.start for c in found]
    return found


def _abbrev_slug(written: str) -> str | None:
    data = _data()
    key = _code_key(written)
    slug = data.code_by_name.get(key) or data.code_by_name.get(key + ".")
    if slug is None:  # written without its optional spaces or final dot (« C.consom »)
        squeezed = key.replace(" ", "").rstrip(".")
        slug = next(
            (s for n, s in data.code_by_name.items() if n.replace(" ", "").rstrip(".") == squeezed),
            None,
        )
    return slug


def _resolve_code(norm: _Norm, pos: int) -> tuple[str, int] | None:
    """The code named at ``pos`` (full name or abbreviation) and where its name ends."""
    data = _data()
    m = data.code_name_re.match(norm.text, pos) or data.code_slip_re.match(norm.text, pos)
    if m is not None:
        slug = data.code_by_name.get(_code_key(m.group(0)))
        if _LOCAL_RE.match(norm.text, m.end()):
            return None  # « code civil local »
    else:
        m = data.code_abbrev_re.match(norm.text, pos)
        slug = _abbrev_slug(m.group(0)) if m is not None else None
    return (slug, m.end()) if slug and m is not None else None


def _code_before(norm: _Norm, pos: int, legislative: bool = False) -> str | None:
    """The last code named before ``pos`` in the item (« du même code », « l'article R. 1 »);
    with ``legislative``, the last one that has « L. » articles (« l'article L. 513-1 » after
    « le code de la sécurité sociale … l'article 373-2-9 du code civil » is not the code
    civil's: its articles are plain numbers)."""
    mentions = _code_mentions(norm)
    i = bisect.bisect_left(norm.code_starts, pos)
    while legislative and i and mentions[i - 1].slug in _PLAIN_NUMBERED_CODES:
        i -= 1
    return mentions[i - 1].slug if i else None


# Round 28: the shape of a code's article numbers. The recodified codes number a prefixed article
# (« L. », « R. », « D. », « A. ») by its place: the first part before the hyphen is the livre,
# titre and chapitre, three digits (« L. 221-1 » of the code de la consommation), or the partie,
# livre, titre and chapitre, four digits (« L. 2223-20 » of the code général des collectivités
# territoriales, « R. 2122-8 » of the code de la commande publique). These codes were made with
# four-digit numbers and never had others under their name:
_FOUR_DIGIT_CODES = frozenset(
    {"collectivites-territoriales", "commande-publique", "transports", "defense",
     "propriete-personnes-publiques"}
)  # fmt: skip
# the code du travail (since 2008) and the code de la santé publique (since 2000) have them too,
# but their former articles (« L. 122-45 », « L. 793-5 ») are still cited under the same name;
# these codes' prefixed articles have a first part of three digits at most (« L. 34-5 » of the
# CPCE, « L. 54-10-2 » of the code monétaire et financier, « L. 16 B » of the LPF):
_THREE_DIGIT_CODES = frozenset(
    {"consommation", "commerce", "securite-sociale", "assurances",
     "postes-communications-electroniques", "construction-habitation",
     "relations-public-administration", "propriete-intellectuelle", "monetaire-financier",
     "environnement", "education", "justice-administrative", "rural-peche-maritime", "rural",
     "tourisme", "route", "urbanisme", "energie", "mutualite", "action-sociale-familles", "sport",
     "patrimoine", "organisation-judiciaire", "procedures-civiles-execution",
     "securite-interieure", "communes", "electoral", "forestier", "minier", "voirie-routiere",
     "recherche", "aviation-civile", "cinema-image-animee", "juridictions-financieres",
     "fonction-publique", "expropriation", "entree-sejour-etrangers", "procedures-fiscales",
     "impositions-biens-services", "penitentiaire", "justice-penale-mineurs"}
)  # fmt: skip
_L_ITEM_RE = re.compile(r"(?<![\w.])L\.? ?\d")
_FIRST_PART_RE = re.compile(r"(?:LO|L|R|D|A)\.?\*? ?(?:\. ?)?(\d+)-\d")


def _first_parts(articles: str) -> set[int]:
    """The lengths of the first parts of the prefixed, hyphenated articles of a list."""
    return {len(a.group(1)) for a in _FIRST_PART_RE.finditer(articles)}


def _numbering_fits(slug: str, parts: set[int]) -> bool:
    """Whether articles whose first parts have these lengths may be that code's."""
    if slug in _FOUR_DIGIT_CODES:
        return parts <= {4}
    if slug in _THREE_DIGIT_CODES:
        return all(p <= 3 for p in parts)
    return True  # a code of plain numbers or of another numbering: not decided here


def _fitting_code(norm: _Norm, slug: str, articles: str) -> str | None:
    """The code an article whose code is only implied belongs to: the one implied (named before,
    « du même code »), unless its numbering cannot hold the article; then the one code of the
    item whose numbering can (« … respecter le code des assurances … (articles L. 2223-20 … du
    code général des collectivités territoriales) »: a footnote mark cut the articles from
    their code), and none when no code or several fit (precision first)."""
    parts = _first_parts(articles)
    # (« l'article L. 225-102-4 du présent code » is not the code civil's, named last: its
    # articles have no « L. »)
    legislative = _L_ITEM_RE.search(articles) is not None
    if (not parts or _numbering_fits(slug, parts)) and not (
        legislative and slug in _PLAIN_NUMBERED_CODES
    ):
        return slug
    fitting = {
        c.slug
        for c in _code_mentions(norm)
        if c.slug not in _PLAIN_NUMBERED_CODES and _numbering_fits(c.slug, parts)
    }
    return fitting.pop() if len(fitting) == 1 else None


def _document_code(norm: _Norm, mentions: list[_CodeMention]) -> str | None:
    """The code an item is about: one named by its full name in its first paragraph (a title
    such as « Code civil - Article 1241 ») or in its first 200 characters."""
    if not mentions or not mentions[0].full:
        return None
    first = mentions[0].start
    paragraphs = norm.paragraphs
    if first < 200 or (paragraphs and first < paragraphs[0]):
        return mentions[0].slug
    return None


def _article_cands(
    articles: str, list_start: int, first_start: int, last_end: int, slug: str, group: int,
    plain_ok: bool = True, bare: bool = False,
) -> Iterator[_Cand]:  # fmt: skip
    """One candidate per article of a list: the first reaches back to ``first_start`` (the word
    « article » or the code name), the last forward to ``last_end`` (the code name)."""
    code = _data().codes[slug]
    if (
        "°" in articles
        or ", I" in articles
        or ", V" in articles
        or ", §" in articles
        or ")," in articles
        or (", devenu " in articles)
    ):
        # an item's subdivisions (_ART_ITEM_SUB) are not articles: blanked, offsets kept
        articles = _ITEM_SUB_RE.sub(lambda s: " " * len(s.group(0)), articles)
    previous, previous_end = "", 0  # the article before, as keyed (prefix and number)
    for a in _ONE_ART_RE.finditer(articles):
        prefix = (a.group("p") or "").upper() + (a.group("star") or "")
        # « R412-43-1 à 3 », « L3121-15 à 19 »: a range's end written as the last part of its
        # number only (the code's article « 3 » does not end a range from R412-43-1)
        short_end = (
            "-" in previous
            and not prefix
            and re.fullmatch(r"\d{1,2}", a.group("n")) is not None
            and (articles[previous_end : a.start()] + a.group(0)).startswith((" à ", "à "))
            and int(a.group("n")) > int(previous.rsplit("-", 1)[1] or 0)
        )
        previous_end = a.end()
        if (
            bare
            and not prefix
            and not (plain_ok and (len(a.group("n")) >= 3 or "-" in a.group("n")))
        ):
            continue  # « l'article 12 » of an unnamed text is not « l'article 1240 » of a code
        # « L. 592.31 », « L. 247 2 »: the typos of _ART_TYPO read as the hyphens they stand for
        n = _DOTTED_LETTER_RE.sub("", a.group("n"))  # « R431.10.c »: its point c dropped
        number = "1" if n == "1er" else _TYPO_SEP_RE.sub("-", n)
        suffix = a.group("x") or a.group("xg")
        if suffix and "-" in a.group("n") and re.fullmatch("[IVX]+", suffix):
            suffix = None  # « L. 442-1 I 2° »: a paragraph, not a letter of the article
        if slug == "impots" and ("-" in number or (suffix and "-" in suffix)):
            # the code général des impôts numbers inserted articles with « -0 » only (« 50-0 »,
            # « 150-0 A », « 1649 quater-0 B bis »): another part after a hyphen is a paragraph
            # (« l'article 200-1-b du CGI », « art. 262 ter-1 »: article 200, 1, b; 262 ter, 1)
            number = _CGI_PARAGRAPH_RE.sub("", number)
            suffix = _CGI_PARAGRAPH_RE.sub("", suffix) if suffix else suffix
        if prefix == "L" and slug in _PLAIN_NUMBERED_CODES:
            # « l'article L. 321-7 du code pénal »: these codes' laws' articles have no « L. »
            # (round 28; the other way, « l'article 114-2 du code des assurances » keyed L114-2,
            # was tried and left: the labelled lines disagree on it, README)
            prefix = ""
        extra = f" {suffix}" if suffix else ""
        if short_end:
            head = previous.rsplit("-", 1)[0]
            prefix = head.rstrip("0123456789-")
            number = head[len(prefix) :] + "-" + number
        art = prefix + number + extra
        previous = prefix + number if not extra else ""
        shown = (
            (prefix + (" " if prefix.startswith("LO") else ". ") if prefix else "")
            + (a.group("n") if number == "1" else number)
            + extra
        )
        label = f"{code.name}, art. {shown}"
        lead = len(a.group(0)) - len(a.group(0).lstrip())  # « et 1104 »: not its space
        s, e = list_start + a.start() + lead, list_start + a.end()
        is_last = a.end() == len(articles)
        yield _Cand(
            first_start if a.start() == 0 else s, last_end if is_last else e, "code_article",
            f"fr:code:{slug}:{art.replace(' ', '-')}", label,
            _legifrance_search(f"{code.name} article {art}"), "search", group=group,
        )  # fmt: skip


def _code_articles(norm: _Norm) -> Iterator[_Cand]:
    # Every article kept names a code the text names (« même code », « l'article R. 1 » refer
    # back to one): in a text naming none, the costlier scans for article numbers cannot find
    # anything.
    mentions = _code_mentions(norm)
    if not mentions:
        return
    t = norm.text
    group = 0
    cited_end = -1  # where the last article cited with its code ends (its code's name)
    for m in _CODE_ART_RE.finditer(t):
        group += 1
        first = _ONE_ART_RE.match(m.group("list"))
        if m.group("dash") and not m.group("kw"):
            continue  # « 9 - Code civil »: a number before a heading, not an article
        if (
            not m.group("kw")
            and (first is None or first.group("p") in (None, "l"))
            # « Vu les articles R. 311-3 du code de l'organisation judiciaire, 122 et 125 du code
            # de procédure civile »: the list of articles goes on after a code's name
            and t[cited_end : m.start()] not in (", ", " et ", ", et ")
        ):
            # a bare number followed by « du code … » needs the word « article »; a prefixed
            # article further in the list does not (« articles 5 et 6 de la loi du 1er juillet
            # 1901 et L. 434-3 du code de l'environnement »: the list read from « 1901 »)
            inner = _PREFIXED_ITEM_RE.search(m.group("list"), 1)
            again = _CODE_ART_RE.match(t, m.start("list") + inner.start()) if inner else None
            if again is None:
                continue
            m = again
        if m.group("ana") or m.group("ana2"):
            # « du présent code » is the code the item is (its title names it), when it is one;
            # « du même code », « dudit code » the code named last
            present = m.group("ana") and "sent" in m.group("ana")
            code_slug = (present and _document_code(norm, mentions)) or _code_before(
                norm, m.start()
            )
            if code_slug is not None:
                code_slug = _fitting_code(norm, code_slug, m.group("list"))
            if code_slug is None:
                continue
            slug, end = code_slug, m.end()
        else:
            resolved = _resolve_code(norm, m.start("code"))
            if resolved is None and _BARE_CODE_WORD_RE.match(t, m.start("code")):
                # « l'article 1240 du Code, » after the code was named: that code
                code_slug = _code_before(norm, m.start())
                if code_slug is None:
                    continue
                resolved = code_slug, m.end("code")
            if resolved is None:
                continue
            slug, end = resolved
        yield from _article_cands(m.group("list"), m.start("list"), m.start(), end, slug, group)
        cited_end = end
        # « article L. 311-37 (devenu R. 312-35) du code … »: the article it became is cited too
        # (and inside the list: « articles 1382, devenu 1240, et 1251, devenu 1346, du code »)
        within = m.start("list") if ", devenu " in m.group("list") else m.end("list")
        if any(w in t[within : m.end()] for w in ("devenu", "ancien", "anc.")):
            for became in _BECAME_RE.finditer(t, within, m.end()):
                yield from _article_cands(became.group("list"), became.start("list"), m.start(),
                                          end, slug, group)  # fmt: skip
    # « Code de la consommation - art. L121-34 »
    # (where an abbreviated code starts: a full name after an article may begin the next entry of
    # a list, « Code de l'organisation judiciaire, articles L441-1 à L441-4\nCode de procédure
    # civile, … »)
    abbreviated = {c.start for c in mentions if not c.full}
    for c in mentions:
        then = _THEN_ART_RE.match(t, c.end)
        bracketed = then is not None and then.group(0).startswith(" (")
        if then is not None and bracketed and not t.startswith(")", then.end()):
            then = None  # « le code civil (article 3 du contrat) »: the bracket holds more
        if then is not None and not bracketed:
            # « al. 7 C. com. art. L 205-7-1 C. rur. »: the article's own code follows it (round
            # 22); the code before ends the citation before it
            own = _OWN_CODE_AFTER_RE.match(t, then.end())
            if own is not None and own.end() in abbreviated:
                then = None
        if then is not None:
            group += 1
            yield from _article_cands(then.group("list"), then.start("list"), c.start, then.end(),
                                      c.slug, group)  # fmt: skip
    # « l'article R. 462-4 », after a code was named: the last code named before it; a plain
    # number (« l'article 1240 ») only in an item about a code whose articles are so numbered.
    document = _document_code(norm, mentions)
    plain_ok = document in _PLAIN_NUMBERED_CODES
    for m in _BARE_ART_RE.finditer(t) if "rt" in t else ():
        legislative = re.match(r"L\.? ?\d", m.group("list")) is not None
        before, last_end = _code_before(norm, m.start(), legislative), m.end("list")
        if before is None and (after := _code_after(norm, mentions, m)) is not None:
            before, last_end = after
        if before is not None:
            before = _fitting_code(norm, before, m.group("list"))
        if before is None:
            continue
        group += 1
        yield from _article_cands(
            m.group("list"), m.start("list"), m.start(), last_end, before, group,
            plain_ok=(plain_ok and before == document) or _plain_code_just_named(norm, m),
            bare=True,
        )  # fmt: skip


# what may stand between an article and its own code's name after it
_OWN_CODE_AFTER_RE = re.compile(r",? (?:du |de la |de l'|des )?")


# « l'article L3323-3-1 viendra compléter les dispositions du Code de la santé publique »: a
# code-numbered article (« L. », « R. », « D. » and a hyphen) before any code is named is the
# code the rest of its sentence names, when it names one only, by its full name, and no other
# text or article in between.
_SENTENCE_END_RE = re.compile(r"[.;:!?](?:\s|$)|\n")
_CODE_NUMBERED_RE = re.compile(r"[LRD]\.? ?\*? ?\d+-\d")


def _code_after(
    norm: _Norm, mentions: list[_CodeMention], m: re.Match[str]
) -> tuple[str, int] | None:
    """That code and where the article's span ends (at the code's name when a few words only
    stand between: « l'article L. 3323-3-1 dans le code de la santé publique »)."""
    if not _CODE_NUMBERED_RE.match(m.group("list")):
        return None
    t = norm.text
    end = _SENTENCE_END_RE.search(t, m.end())
    stop = end.start() if end is not None else len(t)
    after = [c for c in mentions if m.end() <= c.start < stop]
    if len(after) != 1 or not after[0].full or _THEN_ART_RE.match(t, after[0].end):
        return None  # (« … et Code pénal art. 425 »: that code's own article follows it)
    between = t[m.end() : after[0].start]
    if (
        _OTHER_TEXT_NAMED_RE.search(between)
        or re.search(r"(?i)\bart(?:\.|icles?)\b|\d", between)  # (a list going on: read whole)
    ):
        return None
    joined = len(between.strip()) <= 12
    return after[0].slug, (after[0].end if joined else m.end("list"))


# Another text named between a code and a plain article number: « l'article 145 » is that
# text's, not the code's.
_OTHER_TEXT_NAMED_RE = re.compile(
    r"(?i)\b(?:lois?|d[ée]crets?|ordonnances?|arr[êe]t[ée]s?|directives?|r[èe]glements?"
    r"|conventions?|trait[ée]s?|constitution|contrats?|accords?|statuts?|charte|code)\b"
)


def _plain_code_just_named(norm: _Norm, m: re.Match[str]) -> bool:
    """« Le Code civil … ; l'article 1240 dispose … »: a plain article number right after a code
    whose articles are so numbered was named by its full name, in the same paragraph (within
    300 characters) and with no other text named in between."""
    t, mentions = norm.text, _code_mentions(norm)
    i = bisect.bisect_left(norm.code_starts, m.start())
    if not i:
        return False
    code = mentions[i - 1]
    if not code.full or code.slug not in _PLAIN_NUMBERED_CODES or m.start() - code.end > 300:
        return False
    return _OTHER_TEXT_NAMED_RE.search(t, code.end, m.start()) is None


# The code du travail's articles have a four-digit first part (« L. 1233-30 », « R. 4121-1 »,
# its parts 1 to 8). A labour-law page often cites them without naming the code (« l'article
# L. 3121-28 », « (L. 1233-30) »): in an item that names no code, speaks of work (salariés,
# employeur, licenciement…) and not of what other codes numbered so govern (communes, public
# procurement, public health, transport, defence), they are the code du travail's.
_LABOUR_ART = r"(?:L|R|D)\.? ?[1-8]\d{3}-\d+(?:-\d+)*(?![\w-])"
_LABOUR_ART_RE = re.compile(
    r"(?<![\w.])(?:(?:[Aa]rticles?|ARTICLES?|[Aa]rt\.) ?|(?<=\())(?P<list>" + _LABOUR_ART
    + r"(?:(?:, | et | à | ou )" + _LABOUR_ART + r")*)"
    # « du présent code » on a code's own page that names no code
    + r"(?: (?:du|de) (?:pr[ée]sent|m[êe]me) [Cc]ode\b| dudit [Cc]ode\b"
    + r"|(?! ?(?:du|de|des|d'|dudit|pr[ée]cit[ée])\b))"
)  # fmt: skip
_LABOUR_HINT_RE = re.compile(r"[LRD]\.? ?[1-8]\d{3}-\d")
_LABOUR_CUE_RE = re.compile(
    r"(?i)\b(?:salari[ée]e?s?|employeurs?|licenciements?|contrats? de travail"
    r"|heures suppl[ée]mentaires"
    r"|dur[ée]e du travail|temps de travail|comit[ée] social et [ée]conomique|CSE"
    r"|inspect(?:ion|eur) du travail|prud['’ ]?hom\w*|conventions? collectives?|cong[ée]s pay[ée]s"
    r"|rupture conventionnelle|repos compensateur|travailleurs?)\b"
)
_OTHER_FOUR_DIGIT_CODES_RE = re.compile(
    r"(?i)collectivit[ée]s? territoriales?|conseils? municipa|\bcommunes?\b|\bmaires?\b"
    r"|commande publique|march[ée]s? publics?|sant[ée] publique|\bpatients?\b|m[ée]dicaments?"
    r"|\btransports?\b|domaine public|\bd[ée]fense\b|\bCGCT\b|\bCGPPP\b"
)


def _labour_articles(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if _LABOUR_HINT_RE.search(t) is None:
        return
    mentions = _code_mentions(norm)
    if any(c.full for c in mentions):
        return  # a code named by its full name: the articles are read against it
    if _LABOUR_CUE_RE.search(t) is None or _OTHER_FOUR_DIGIT_CODES_RE.search(t) is not None:
        return
    for group, m in enumerate(_LABOUR_ART_RE.finditer(t), start=1):
        if t[m.start() - 1 : m.start()] == "(" and t[m.end() : m.end() + 1] != ")":
            continue  # « (L. 1233-30) » alone in its brackets
        if _code_before(norm, m.start()) is not None:
            continue  # after an abbreviated code (« C. trav. », « CSP »): read against it
        yield from _article_cands(m.group("list"), m.start("list"), m.start(), m.end(), "travail",
                                  group)  # fmt: skip


# The acronyms that name a code alone, in running text (« le CGCT prévoit », « dans le
# C.C.H. »), after a masculine determiner (a code is « le code »: « la CPI » is the Cour pénale
# internationale); not the ones other things share (CSP, CSS, CPP, CPC, CCP, COJ).
_ACRONYMS_ALONE = frozenset(
    {"CGCT", "CESEDA", "CRPA", "CASF", "CCH", "CMF", "CGI", "LPF", "CIBS", "CG3P", "CGFP",
     "CJPM", "CJA", "CPCE", "CPI", "CJF"}
)  # fmt: skip
_MASCULINE_BEFORE_RE = re.compile(
    r"(?<![\w])(?:[Ll]e|[Dd]u|[Aa]u|[Cc]e|[Dd]udit|[Ll]edit|m[êe]me|[Nn]otre|actuel|nouveau) $"
)
# « le titre II du livre Ier de ce code », « la partie réglementaire du présent code »: a part of
# the code named before.
_CODE_PART_ANAPHORA_RE = re.compile(
    r"(?i)(?<![\w])(?:(?:livre|titre|chapitre|partie|section) [IVXLC]+(?:er)?(?: bis)?"
    r"(?: (?:du|de la|de l'|de) (?:livre|titre|chapitre|partie) [IVXLC]+(?:er)?(?: bis)?)*"
    r"|partie (?:l[ée]gislative|r[ée]glementaire))"
    r" (?:de ce|du pr[ée]sent|dudit|du m[êe]me) code(?![\w])"
)

# « les conditions prévues au titre I du présent livre »: in a code's own text (its title names
# it, see _document_code), a part of « the present » livre or titre is a part of that code.
_PRESENT_PART_RE = re.compile(
    r"(?<![\w])(?:[Ll]ivre|[Tt]itre|[Cc]hapitre|[Ss]ection) [IVXLC]+(?:er)?(?: bis)?"
    r" du pr[ée]sent (?:livre|titre)(?![\w])"
)


# The codes as English translations name them (Légifrance's translations, EU and law-firm pages):
# « the French Consumer Code », « Article L. 221-5 of the French Consumer Code »; « French » is
# required (a « Civil Code » alone may be any country's).
_ENGLISH_CODES = {
    "civil": "civil", "commercial": "commerce", "consumer": "consommation", "labour": "travail",
    "labor": "travail", "criminal": "penal", "penal": "penal", "insurance": "assurances",
    "monetary and financial": "monetaire-financier", "intellectual property":
    "propriete-intellectuelle", "environmental": "environnement", "environment": "environnement",
    "public health": "sante-publique", "social security": "securite-sociale",
    "general tax": "impots", "tax": "impots", "customs": "douanes", "education": "education",
    "energy": "energie", "town planning": "urbanisme", "urban planning": "urbanisme",
    "highway": "route", "transport": "transports", "code of civil procedure": "procedure-civile",
    "code of criminal procedure": "procedure-penale",
}  # fmt: skip
_ENGLISH_CODE_RE = re.compile(
    r"(?<![\w])French (?:(?P<kind>(?i:"
    + "|".join(k for k in sorted(_ENGLISH_CODES, key=len, reverse=True)
               if not k.startswith("code "))
    + r")) Code|(?P<of>Code of (?:Civil|Criminal) Procedure))(?![\w])"
)  # fmt: skip
_ENGLISH_ART_RE = re.compile(
    r"(?<![\w])(?:[Aa]rticles?|[Aa]rt\.) "
    + r"(?P<list>"
    + _ART
    + r"(?:(?:, ?|,? and | to | or )"
    + _ART
    + r")*)"
    + r" of the (?=French )"
)


def _english_codes(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    group = 50_000
    for m in _ENGLISH_CODE_RE.finditer(t):
        name = (m.group("kind") or m.group("of")).lower()
        slug = _ENGLISH_CODES[name]
        # the list of articles right before the name
        arts = [a for a in _ENGLISH_ART_RE.finditer(t, max(0, m.start() - 120), m.end())
                if a.end() == m.start()]  # fmt: skip
        art = arts[-1] if arts else None
        if art is not None:
            group += 1
            yield from _article_cands(art.group("list"), art.start("list"), art.start(), m.end(),
                                      slug, group)  # fmt: skip
        else:
            yield _code_cand(m.start(), m.end(), slug)


# what every match of _CODE_PART_ANAPHORA_RE ends with (a C-speed test first)
_CODE_PART_LITERALS = ("ce code", "sent code", "dit code", "me code", "ce Code", "sent Code",
                       "dit Code", "me Code", "CE CODE", "SENT CODE", "DIT CODE",
                       "ME CODE")  # fmt: skip


def _code_cand(start: int, end: int, slug: str) -> _Cand:
    code = _data().codes[slug]
    if code.legitext:
        url, link = f"{LEGIFRANCE}/codes/id/{code.legitext}", "official"
    else:
        url, link = _legifrance_search(code.name), "search"
    return _Cand(start, end, "code", f"fr:code:{slug}", code.name, url, link)


def _codes(norm: _Norm) -> Iterator[_Cand]:
    """Codes cited without an article, or by a part of them (« livre IV du code de commerce »)."""
    t = norm.text
    mentions = _code_mentions(norm)
    for c in mentions:
        if not c.full:
            acronym = t[c.start : c.end].replace(".", "").upper()
            if acronym in _ACRONYMS_ALONE and _MASCULINE_BEFORE_RE.search(
                t, max(0, c.start - 12), c.start
            ):
                yield _code_cand(c.start, c.end, c.slug)
            continue
        part = _CODE_PART_RE.search(t, max(0, c.start - 100), c.start)
        start = part.start() if part is not None else c.start
        yield _code_cand(start, c.end, c.slug)
    if "French " in t:
        yield from _english_codes(norm)
    if mentions and ("sent livre" in t or "sent titre" in t):
        document = _document_code(norm, mentions)
        if document is not None:
            for m in _PRESENT_PART_RE.finditer(t, mentions[0].end):
                if _code_before(norm, m.start()) == document:  # no other code named since
                    yield _code_cand(m.start(), m.end(), document)
    if mentions and any(w in t for w in _CODE_PART_LITERALS):  # a code named before it
        for m in _CODE_PART_ANAPHORA_RE.finditer(t):
            slug = _code_before(norm, m.start())
            if slug is not None:
                yield _code_cand(m.start(), m.end(), slug)
    if mentions and " code" in t:
        yield from _code_pointers(norm, mentions)


# Round 32: a code pointed back to without an article (« Cette protection prévue par ce code »,
# « Pour l'application du présent code », « Le code fixe une longue série », « Le nouveau code
# institué par le décret … »): « ce code », « ledit code », « le nouveau code », « le code »
# before a verb a code takes as its subject, the last code named before it, within 1,500
# characters, with no other « code » written between (« le code confidentiel », « du même
# code »); « le présent code » the code the item is (its title names it). Not a code's article's
# own « du présent code » (an article number before it: read with the article), not « au présent
# code » (« figure en annexe au présent code »: the code's own annex), not a code of another kind
# (« ce code de conduite », « le code civil »).
_CODE_POINTER_RE = re.compile(
    r"(?<![\w'’-])(?:(?P<dem>[Cc]e(?: m[êe]me| nouveau)? code|[Ll]edit code|[Dd]udit code"
    r"|[Ll]e nouveau code)"
    r"|(?P<pres>(?:[Ll]e|[Dd]u) pr[ée]sent code)"
    r"|[Ll]e code(?= (?:ne |n['’])?(?:pr[ée]voit|dispose|fixe|impose|d[ée]finit|pr[ée]cise"
    r"|interdit|[ée]nonce|institue|consacre|encadre|r[ée]glemente|distingue|oblige|punit"
    r"|sanctionne|exige)(?![\w'’-])))"
    r"(?![\w'’-])(?! (?:de|du|des|d['’]|civil|p[ée]nal|g[ée]n[ée]ral|rural|forestier|minier"
    r"|[ée]lectoral|mon[ée]taire|[A-ZÉ])(?![\w]))"
)
_ARTICLE_BEFORE_RE = re.compile(r"\d[\w-]*(?: (?:bis|ter|quater))?,? (?:du|de|de ce|au)? ?$")
_CODE_WORD_RE = re.compile(r"(?i)(?<![\w-])codes?(?![\w-])")


def _code_pointers(norm: _Norm, mentions: list[_CodeMention]) -> Iterator[_Cand]:
    t = norm.text
    document = None
    for m in _CODE_POINTER_RE.finditer(t):
        if _ARTICLE_BEFORE_RE.search(t, max(0, m.start() - 20), m.start()):
            continue  # « l'article L. 217-16 du présent code »: the article's
        if m.group("pres"):
            document = document or _document_code(norm, mentions)
            if document is not None and _code_before(norm, m.start()) == document:
                yield _code_cand(m.start(), m.end(), document)
            continue
        i = bisect.bisect_left(norm.code_starts, m.start())
        if not i:
            continue
        last = mentions[i - 1]
        if m.start() - last.end > 1500 or last.end > m.start():
            continue
        word_at = m.start() + t[m.start() : m.end()].lower().rindex("code")
        if any(w.start() != word_at for w in _CODE_WORD_RE.finditer(t, last.end, m.end())):
            continue  # another « code » written since (« le code confidentiel », « même code »)
        yield _code_cand(m.start(), m.end(), last.slug)
