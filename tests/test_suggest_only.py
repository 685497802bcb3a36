"""A person's name in another scheme's established form (German Tsch-, -ow) is a variant, not a slip:
however likely the model finds the fix, it is only suggested."""
from __future__ import annotations

import copy
from dataclasses import replace

import normkit
from normkit.names.features import SUGGEST_ONLY, suggest_only


def _eager_linker():  # type: ignore[no-untyped-def]
    """The shipped linker with thresholds low enough that the model alone would apply both."""
    linker = copy.copy(normkit.Normalizer().name_linker())
    linker.model = replace(linker.model, apply=0.03, suggest=0.01)
    return linker


def test_established_foreign_form_only_suggested() -> None:
    linker = _eager_linker()
    text = "Schostakowitsch wrote fifteen symphonies."
    [decision] = [d for d in linker.decide(text) if d.after]
    assert decision.after == "Shostakovich"
    assert decision.confidence >= linker.model.apply  # the model alone would have applied it
    assert decision.outcome == "suggested"
    assert "established form" in decision.reason
    assert suggest_only({e.feature: e.value for e in decision.evidence})


def test_a_slip_is_still_applied() -> None:
    linker = _eager_linker()
    text = "Flights from Novosibrisk were delayed by snow."
    [decision] = [d for d in linker.decide(text) if d.after]
    assert decision.after == "Novosibirsk" and decision.outcome == "applied"
    assert not suggest_only({e.feature: e.value for e in decision.evidence})


def test_the_list_names_model_features() -> None:
    from normkit.names.features import FEATURES

    assert set(SUGGEST_ONLY) <= set(FEATURES)
