"""The fiche's first draft (watcher.understand.prefill): what counts as a legal text depends on
the date the caller gives, never on the clock."""

from __future__ import annotations

from datetime import date

from watcher.understand.prefill import named_outside_citations


def test_a_legal_text_is_judged_at_the_callers_date() -> None:
    plain = "Le groupe Loi 2031-12 ouvre un magasin."
    # in 2026 no « loi 2031-12 » can exist yet: the name is the item's own (a company here)
    assert named_outside_citations("Loi 2031-12", plain, set(), date(2026, 12, 6))
    # once 2031 has come, it reads as the law of that number: never pre-filled as « Qui »
    assert not named_outside_citations("Loi 2031-12", plain, set(), date(2032, 1, 1))
