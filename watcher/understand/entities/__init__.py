"""Named entities: the rules that fix spaCy's mentions (:mod:`.spans`, :mod:`.mentions`)
and the merged, counted entities of an item (:mod:`.normalise`).

Entities are normalised: determiners, titles and generic heads are stripped ("la société
Carrefour" -> "Carrefour", "Mme Élisabeth Borne" -> "Élisabeth Borne"), casing is fixed
("CARREFOUR" -> "Carrefour" when the item also writes "Carrefour"), junk is dropped, and
mentions with the same folded key are merged and counted.
"""

# The version of the entity rules (this package's code): part of an enrichment's signature
# (``watcher.understand.process.signature``) next to the known names' lists, so that items
# enriched with former rules are flagged for enrichment again. Bump it when a change of this
# package gives other entities, spans, labels or confident flags on the same text (issue 18:
# entities round 10, the confident flag; round 11, syllabic acronyms, appositions, boards; round
# 14, numbered leagues, an article before a well-known name; round 15, a head word's label
# for the same name elsewhere, "Observatoire" and "Maison" openers, "prestataire"; round 19,
# portfolios of francophone governments, a company's site and its
# town; 15, a hashtag's « # » ends a mention, and one opening with it is the tag's word; 16,
# round 21: corporate last words, initials' period, newspapers, photo credits, a verb and its
# object cut off, Detroit's teams and the XV de France; 17, round 22: an acronym after « la »
# an organisation, journeys after « axe », « ligne », « desserte », a spaced hyphen ends a name).
RULES_VERSION = 17
