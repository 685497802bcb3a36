"""End-to-end translation through real Argos packages: tiny copying ones the suite builds, plus any
``.argosmodel`` files under $NORMKIT_TEST_MODELS. All of it runs with the network cut."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from normkit.gazetteer import Entry
from normkit.langid import script_profile
from normkit.translation import TranslationResult, engine, models, translate, translate_many
from normkit.translation import placeholders as ph
from normkit.translation.errors import ModelNotFoundError, UnknownLanguageError
from translate_helpers import NAMES_TEXT, argos_dir, no_network, real_models, tiny_models  # noqa: F401

GLOSSARY = {"Андрей Бочаров": "Andrei Bocharov", "Кириши": "Kirishi", "улицу Лодыгина": "Lodygina Street"}


@pytest.fixture(params=["tiny"] + [str(p) for p in real_models("ru", "en")],
                ids=lambda p: "tiny" if p == "tiny" else "real:" + Path(p).name)
def ru_en(request, tiny_models, argos_dir) -> str:
    """A ru→en package installed in an empty packages dir: "tiny" (exact copier) or "real"."""
    models.install_file(tiny_models["ru_en"] if request.param == "tiny" else request.param)
    return "tiny" if request.param == "tiny" else "real"


class CallSpy:
    """Wraps a loaded CTranslate2 translator to record what each translate_batch call received."""

    def __init__(self, translator) -> None:
        self.translator, self.calls = translator, []

    def translate_batch(self, batch, **kwargs):
        self.calls.append(list(batch))
        return self.translator.translate_batch(batch, **kwargs)


def spy_on_translators(monkeypatch) -> list[CallSpy]:
    spies: list[CallSpy] = []
    real = engine.translator_for

    def wrapped(pkg, options):
        spy = CallSpy(real(pkg, options))
        spies.append(spy)
        return spy

    monkeypatch.setattr(engine, "translator_for", wrapped)
    return spies


def _mostly_latin(text: str) -> bool:
    profile = script_profile(text)
    return profile["LATIN"] > profile["CYRILLIC"]


def test_translates_offline(ru_en, no_network) -> None:
    result = translate(NAMES_TEXT, "en", clean=False, protect_names=False)
    assert isinstance(result, TranslationResult)
    assert (result.source_lang, result.target_lang) == ("ru", "en")
    if ru_en == "tiny":
        assert result.text == NAMES_TEXT  # the copier returns its input exactly
    else:
        assert _mostly_latin(result.text)


def test_names_come_back_in_target_form(ru_en, no_network) -> None:
    result = translate(NAMES_TEXT, "en", clean=False, glossary=GLOSSARY)
    by_text = {p.text: p for p in result.protected}
    assert set(by_text) == set(GLOSSARY)
    if ru_en == "tiny":
        assert result.text == "Andrei Bocharov приехал в Kirishi. Потом он пошёл на Lodygina Street."
        assert all(p.status == "restored" for p in result.protected) and result.warnings == []
        assert result.text[:15] == by_text["Андрей Бочаров"].target
    for source, target in GLOSSARY.items():  # a real model either keeps the placeholder or says it lost it
        p = by_text[source]
        assert (p.status == "restored" and target in result.text) or (p.status == "fallback" and result.warnings)
    assert NAMES_TEXT[by_text["Кириши"].start:by_text["Кириши"].end] == "Кириши"


def test_translate_many_batches_across_documents(ru_en, no_network, monkeypatch) -> None:
    docs = [f"Документ номер {i}. В нём {i % 3 + 1} предложения." for i in range(40)] + ["", "42"]
    singles = [translate(d, "en", clean=False, protect_names=False).text for d in docs[:5]]
    spies = spy_on_translators(monkeypatch)
    results = list(translate_many(iter(docs), "en", clean=False, protect_names=False))
    assert [r.text for r in results[:5]] == singles  # same as one by one, in order
    calls = [c for s in spies for c in s.calls]
    # 80 sentences of 40 documents in one call; the 3 distinct second sentences go once each.
    assert len(calls) == 1 and len(calls[0]) == 43
    assert results[-2].text == "" and results[-1].text == "42"  # nothing to translate: as is
    if ru_en == "tiny":
        assert [r.text for r in results] == docs


def test_paragraphs_in_target_language_pass_through(tiny_models, argos_dir, no_network, monkeypatch) -> None:
    models.install_file(tiny_models["ru_en_swap"])  # copies, but swaps а and б: shows what was translated
    doc = "Мама мыла раму.\n\nThe cat sat on the mat.\n\n  Вторая строка\nи третья, да.\n"
    spies = spy_on_translators(monkeypatch)
    result = translate(doc, "en", clean=False, protect_names=False)
    assert result.text == "Мбмб мылб рбму.\n\nThe cat sat on the mat.\n\n  Вторбя строкб\nи третья, дб.\n"
    assert [lang for *_span, lang in result.paragraphs] == ["ru", "en", "ru"]
    sent = ["".join(tokens) for s in spies for call in s.calls for tokens in call]
    assert not any("cat" in s for s in sent)


def test_a_paragraph_no_model_translates_passes_through_with_a_warning(tiny_models, argos_dir,
                                                                      no_network) -> None:
    models.install_file(tiny_models["ru_en_swap"])  # а ↔ б
    models.install_file(tiny_models["en_de_swap"])  # German is a candidate, but nothing translates de → en
    german = "Der Zug aus Lyon kam wegen des Schnees mit vier Stunden Verspätung an."
    result = translate(f"Мама мыла раму.\n\n{german}\n", "en", clean=False, protect_names=False)
    assert result.text == f"Мбмб мылб рбму.\n\n{german}\n"
    assert [lang for *_span, lang in result.paragraphs] == ["ru", "de"]
    assert result.warnings == ["no installed model translates de → en: its paragraphs were left as they are "
                               "(install one with: normkit models install --from de --to en "
                               "(offline: normkit models install PATH.argosmodel))"]
    with pytest.raises(ModelNotFoundError, match="normkit models install --from de --to en"):
        translate(german, "en", clean=False)  # nothing at all to translate: say how to get a model


def test_english_is_not_labelled_as_a_target_no_model_reaches(tiny_models, argos_dir, no_network) -> None:
    english = "The mayor said the bridge would reopen next week after repairs."
    with pytest.raises(ModelNotFoundError, match="normkit models install --from en --to fr"):
        translate(english, "fr", clean=False)  # no model at all: not "French" passed through
    models.install_file(tiny_models["ru_en"])
    with pytest.raises(ModelNotFoundError, match="normkit models install --from en --to es"):
        translate(english, "es", clean=False)
    same = translate("Der Hund schläft schon seit dem frühen Morgen im Garten.", "de", clean=False)
    assert same.source_lang == "de" and same.warnings == []  # already in the target: passes through


def test_lost_placeholder_falls_back_and_is_reported(tiny_models, argos_dir, no_network) -> None:
    models.install_file(tiny_models["ru_en_lossy"])  # turns NKX0 into NKY0: the placeholder is lost
    result = translate("Андрей Бочаров приехал в Кириши.", "en", clean=False, glossary=GLOSSARY)
    assert result.text == "Андрей Бочаров приехал в Кириши."  # the names went through MT instead
    assert [(p.text, p.status, p.target) for p in result.protected] == [
        ("Андрей Бочаров", "fallback", None), ("Кириши", "fallback", None)]
    assert len(result.warnings) == 2 and "Кириши" in result.warnings[1]


def test_pivot_through_english(tiny_models, argos_dir, no_network) -> None:
    models.install_file(tiny_models["ru_en_swap"])  # а ↔ б
    models.install_file(tiny_models["en_de_swap"])  # в ↔ г
    text = "Вова ел арбуз в Кириши."
    result = translate(text, "de", clean=False, glossary={"Кириши": "Kirishi"})
    assert result.text == "Вогб ел брауз г Kirishi."  # both legs ran, the name survived both
    with pytest.raises(ModelNotFoundError, match="normkit models install --from ru --to fr"):
        translate(text, "fr", clean=False)
    with pytest.raises(UnknownLanguageError):
        translate(text, "xx", clean=False)


def test_layout_and_whitespace_survive(ru_en, no_network) -> None:
    doc = "  Первая строка. Вторая фраза!\r\nТретья\tстрока  \n\n\n   Абзац.   \n"
    result = translate(doc, "en", clean=False, protect_names=False)
    assert result.text.count("\n") == doc.count("\n") and result.text.startswith("  ")
    if ru_en == "tiny":
        assert result.text == doc


def test_clean_runs_first_and_edits_are_reported(tiny_models, argos_dir, no_network) -> None:
    import normkit

    models.install_file(tiny_models["ru_en"])
    text = "Андрей Бочаров приехал в Kiriши вчера."
    cleaned = normkit.clean(text, lang="ru")
    assert cleaned.edits  # the mixed-script token is repaired
    result = translate(text, "en", "ru", protect_names=False)
    assert result.cleaned == cleaned.text and result.edits == cleaned.edits
    assert result.text == cleaned.text  # the copier translated the cleaned text
    raw = translate(text, "en", "ru", clean=False, protect_names=False)
    assert raw.text == text and raw.edits == []


def test_argostranslate_gives_the_same_output(tiny_models, argos_dir, no_network) -> None:
    """argostranslate's own PackageTranslation on the same package (its sentence splitter, which would
    download a model, swapped for ours) agrees with normkit."""
    from argostranslate.translate import Language, PackageTranslation

    from normkit.translation.sentences import split_sentences

    pkg = models.install_file(tiny_models["ru_en_swap"])
    argos = PackageTranslation(Language("ru", "Russian"), Language("en", "English"), pkg)
    argos.sentencizer = SimpleNamespace(split_sentences=split_sentences)
    text = "Мама мыла раму. Папа читал газету! А. С. Пушкин писал стихи."
    assert argos.translate(text) == translate(text, "en", clean=False, protect_names=False).text == text.translate(
        str.maketrans("аб", "ба"))


def test_spans_from_gazetteer_matches_restore_per_script() -> None:
    kirishi = Entry("geonames:548442", "Кириши", "Kirishi", "town", (), 0, (), "test")
    text = "Мы были в Киришах и в Kirishi."
    matches = [SimpleNamespace(start=10, end=17, text="Киришах", entry=kirishi),
               SimpleNamespace(start=22, end=29, text="Kirishi", entry=kirishi)]
    spans = ph.spans_from_matches(matches)
    masked = ph.mask(text, spans)
    assert masked == "Мы были в NKX0 и в NKX1."
    assert ph.restore("We were in NKX0 and in NKX1.", spans, "en") == ("We were in Kirishi and in Kirishi.", [])
    assert ph.restore("Мы были в НКХ0 и в NKX 1.", spans, "ru") == ("Мы были в Кириши и в Кириши.", [])


def test_gazetteer_names_end_to_end(tiny_models, argos_dir, no_network) -> None:
    """Names found in a small gazetteer the caller gives come back in the target's form."""
    from normkit.gazetteer import Gazetteer

    gazetteer = Gazetteer([
        Entry("geonames:548442", "Кириши", "Kirishi", "town", (), 52000, (), "test"),
        Entry("curated:bocharov", "Андрей Бочаров", "Andrei Bocharov", "person", (), 0, (), "test")])
    models.install_file(tiny_models["ru_en"])
    result = translate("Андрей Бочаров приехал в Кириши.", "en", clean=False, gazetteer=gazetteer)
    assert result.text == "Andrei Bocharov приехал в Kirishi."
    assert [(p.text, p.target, p.entry_id, p.status) for p in result.protected] == [
        ("Андрей Бочаров", "Andrei Bocharov", "curated:bocharov", "restored"),
        ("Кириши", "Kirishi", "geonames:548442", "restored")]
    models.install_file(tiny_models["en_ru"])
    back = translate("Andrei Bocharov came to Kirishi.", "ru", clean=False, gazetteer=gazetteer)
    assert back.text == "Андрей Бочаров came to Кириши."  # Cyrillic forms for a Russian target


def test_restore_reports_dropped_duplicated_and_stray_placeholders() -> None:
    spans = [ph.Span(0, 1, "А", "A", "А"), ph.Span(2, 3, "Б", "B", "Б")]
    assert ph.restore("NKX1 then NKX0", spans, "en") == ("B then A", [])
    text, failed = ph.restore("NKX0 and NKX0", spans, "en")
    assert failed == [0, 1] and text == "NKX0 and NKX0"  # 0 duplicated, 1 dropped
    assert ph.restore("NKX0 NKX1 NKX7", spans, "en")[1] == [0, 1]  # a number never issued


def test_merge_spans_prefers_earlier_sources_then_longer() -> None:
    glossary = [ph.Span(0, 6, "Кириши", "Kirishi", "Кириши", "glossary")]
    names = [ph.Span(0, 14, "Кириши улица", "x", "x"), ph.Span(20, 25, "Бочар", "B", "Б")]
    assert [s.text for s in ph.merge_spans(glossary, names)] == ["Кириши", "Бочар"]


def test_import_normkit_loads_no_translation_stack() -> None:
    code = ("import sys, normkit; normkit.translate; normkit.TranslationResult; "
            "print(sorted(m for m in ('torch', 'stanza', 'argostranslate', 'ctranslate2', 'sentencepiece', "
            "'langdetect', 'lingua') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_progress_counts_sentences_to_the_end(tiny_models, argos_dir, no_network) -> None:
    models.install_file(tiny_models["ru_en"])
    seen: list[tuple[int, int]] = []
    docs = ["Раз. Два.", "Три.", "The end."]
    list(translate_many(docs, "en", clean=False, progress=lambda done, total: seen.append((done, total))))
    assert seen and seen[-1] == (3, 3) and all(d <= t for d, t in seen)
