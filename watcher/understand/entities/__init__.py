"""Named entities: the rules that fix spaCy's mentions (:mod:`.spans`, :mod:`.mentions`)
and the merged, counted entities of an item (:mod:`.normalise`).

Entities are normalised: determiners, titles and generic heads are stripped ("la société
Carrefour" -> "Carrefour", "Mme Élisabeth Borne" -> "Élisabeth Borne"), casing is fixed
("CARREFOUR" -> "Carrefour" when the item also writes "Carrefour"), junk is dropped, and
mentions with the same folded key are merged and counted.
"""
