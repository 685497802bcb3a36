"""The branch and bound over a word's candidates gives the decision weighing all of them gives,
and loading tables leaves the garbage collector as it found it."""
from __future__ import annotations

import gc

import pytest

import normkit
from normkit.gcpause import loading_tables
from normkit.names.features import DEAR_FEATURES, FEATURES
from normkit.names.linker import _dear_headroom, _stem
from name_texts import MISSPELT_NAME_TEXTS

TEXTS = MISSPELT_NAME_TEXTS


@pytest.fixture(scope="module")
def linker():  # type: ignore[no-untyped-def]
    return normkit.load().name_linker()


def test_dear_features_are_the_model_features_the_bound_leaves_open() -> None:
    assert set(DEAR_FEATURES) <= set(FEATURES)


def test_the_bound_is_an_upper_bound_and_keeps_the_best(linker) -> None:  # type: ignore[no-untyped-def]
    checked = left_out = 0
    for text in TEXTS:
        document = linker.document(text)
        for match in normkit.names.linker.CAPITALISED_RE.finditer(text):
            word = _stem(match.group())
            kind, _ = linker._classify(word)
            if kind not in ("doubtful", "known"):
                continue
            cues = linker.cues(text, match.start(), match.start() + len(word))
            candidates = linker.candidates_for(word, cues, known=kind == "known")
            full = linker.evidence(word, candidates, cues, document)
            bounded = linker.evidence(word, candidates, cues, document, bound=True)
            if not full:
                assert bounded == []
                continue
            checked += 1
            left_out += len(full) - len(bounded)
            headroom = _dear_headroom(linker.model, word)
            assert headroom is not None
            for _, values in full:  # the bound holds: the dear features add at most the headroom
                cheap = dict(values, **dict.fromkeys(DEAR_FEATURES, 0.0))
                assert linker.model.log_odds(values) <= linker.model.log_odds(cheap) + linker.model.scale * headroom + 1e-9
            # every candidate weighed under the bound is weighed in full, with the same values
            assert all(any(c is d and v == w for d, w in full) for c, v in bounded)
            # and the decision is the same: the same best candidate, chance and evidence
            best = max(linker.model.probability(v) for _, v in full)
            assert max(linker.model.probability(v) for _, v in bounded) == best
            assert linker._score(word, candidates, cues, document)[0][1] in [c for c, v in full
                                                                           if linker.model.probability(v) == best]
    assert checked >= 5 and left_out > 0  # the bound is exercised, not vacuous


def test_loading_tables_restores_the_collector() -> None:
    assert gc.isenabled()
    with loading_tables():
        assert not gc.isenabled()
        with loading_tables():  # nested: the linker's build loads the gazetteer
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with loading_tables():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a collector the caller disabled stays disabled
    finally:
        gc.enable()


def test_clean_is_unchanged_by_the_bound(linker) -> None:  # type: ignore[no-untyped-def]
    """The decisions with the bound are those of weighing every candidate in full."""
    full_linker_evidence = linker.evidence

    def unbounded(*args, bound=False, **kwargs):  # type: ignore[no-untyped-def]
        return full_linker_evidence(*args, **kwargs)

    with_bound = [linker.decide(t) for t in TEXTS]
    linker.evidence = unbounded
    try:
        without = [linker.decide(t) for t in TEXTS]
    finally:
        del linker.evidence
    assert with_bound == without
    assert any(d.outcome in ("applied", "suggested") for ds in with_bound for d in ds)


def test_loading_tables_freezes_nothing() -> None:
    """A freeze would keep every object alive at that moment for ever (discarded Normalizers and
    garbage cycles included): loading the name stage's tables leaves the permanent generation as
    it was, so a long process that builds Normalizers again and again does not grow."""
    before = gc.get_freeze_count()
    normalizer = normkit.Normalizer(normkit.Config(min_confidence=0.61))
    normalizer.clean("Governor Andrei Boharev visited Glazhev.")
    assert normalizer.name_linker() is not None
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_a_program_that_keeps_one_normalizer_may_freeze_its_tables() -> None:
    """The CLI asks for the freeze (its one Normalizer lives as long as the process): a run with a
    name to check leaves the loaded tables in the permanent generation, which the library alone
    never does (test_loading_tables_freezes_nothing)."""
    import subprocess
    import sys

    code = ("import gc, normkit.gcpause as g, normkit; g.freeze_after_loading(); "
            "normkit.clean('Governor Andrei Boharev visited Glazhev.'); print(gc.get_freeze_count())")
    frozen = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                timeout=300).stdout)
    assert frozen > 100_000  # the name stage's tables: millions of objects
