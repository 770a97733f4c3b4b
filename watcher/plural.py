"""A count and its words agreed in French: « 1 article », « 3 articles collectés » (pure).

French puts a noun after 0 and 1 in the singular and from 2 on in the plural. Every count a
person reads (commands, digests, dossiers, the web) is written with :func:`counted` rather than
« article(s) », which reads « Les 1 plus récents » when the count is known.
"""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    """``one`` or ``many`` as ``n`` asks (no number): « a été », « ont été ». ``many`` may be
    left out for one word that takes an « s » (« article » → « articles »)."""
    if abs(n) < 2:
        return one
    if many is None:
        if " " in one.strip():
            raise TypeError(f"give the plural of « {one} »: words do not all take an s")
        return one + "s"
    return many


def counted(n: int, one: str, many: str | None = None) -> str:
    """« 0 article », « 1 article », « 2 articles » ; « 3 nouveaux articles » with ``many``
    (required for several words: « source en échec », « sources en échec »)."""
    return f"{n} {plural(n, one, many)}"
