"""The links a reference gets: Légifrance, EUR-Lex, ISO and AFNOR URLs (official and search)."""

from __future__ import annotations

import functools
from urllib.parse import quote, quote_plus

# --------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------

LEGIFRANCE = "https://www.legifrance.gouv.fr"
EURLEX_CELEX = "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:{}"
ISO_STANDARD = "https://www.iso.org/standard/{}.html"


# The URL builders and _fold are pure and called again and again with the same few arguments
# (type words, code and act names, labels): small caches spare re-quoting and re-folding them.
@functools.lru_cache(maxsize=1024)
def _legifrance_search(query: str) -> str:
    return f"{LEGIFRANCE}/search/all?tab_selection=all&searchField=ALL&query={quote(query)}"


@functools.lru_cache(maxsize=1024)
def _iso_search(query: str) -> str:
    return f"https://www.iso.org/search.html?q={quote(query)}"


@functools.lru_cache(maxsize=1024)
def _afnor_search(query: str) -> str:
    return f"https://www.boutique.afnor.org/fr-fr/resultats?Keywords={quote_plus(query)}"
