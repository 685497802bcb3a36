"""Every name edit and suggestion names the entry it reads the word as, and that id resolves: the
calque suggestions and the context fixes included, not only the model's decisions."""
from __future__ import annotations

import pytest

import normkit
from normkit.entities import resolve
from normkit.gazetteer import name_lexicon
from normkit.types import NAME_KINDS

TEXTS = [
    "Workers at the Upper Salda plant and in Lower Novgorod struck.",     # calques
    "The gas field near New Urengoy and the port of Old Oskol.",
    "Governor Andrei Boharev visited the Traktorozavodskiy district of Volga.",  # a context fix
    "Flights to Krasnoyarks and Belgorrod resumed on Monday.",            # model decisions
    "Police in Vladivostock said a boat sank off Kamchatkа.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_name_changes_carry_an_id_that_resolves(text: str) -> None:
    normalizer = normkit.load()
    result = normalizer.clean(text)
    changes = [c for c in (*result.edits, *result.suggestions) if c.kind in NAME_KINDS]
    assert changes, "each text has a name change to check"
    for change in changes:
        assert change.entity_id, change
        entry = resolve(change.entity_id, normalizer.gazetteer(), name_lexicon())
        assert entry is not None, change.entity_id
        assert change.canonical_latin == entry.latin and change.canonical_cyrillic == entry.cyrillic
