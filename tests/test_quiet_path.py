"""The one quick look before the invisible and script stages (pipeline._quiet) changes no output:
text it lets through unread is cleaned exactly as the full stages would clean it."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normkit
from normkit import pipeline
from normkit.scripts import mostly_cyrillic

TEXTS = [
    "",
    "Plain English news about the regional budget.",
    "Curly “quotes” and a dash — still nothing to repair; café, naïve.",
    "Правительство области объявило о новых мерах поддержки.",
    "В Москве прошёл форум «Россия — страна возможностей».",
    "Компания Apple открыла офис в Казани.",          # Latin letters in Cyrillic text
    "Further north, near the Кириshi industrial zone.",  # a mixed token
    "Mos\u200bcow and Кири\u00adши",                     # invisible characters inside words
    "An αlpha in English text, a Greek omicron in Mοscow.",
    "Governor Boharev visited Kirishy and Glazhev on Monday.",
    "Губернатор посетил Kirishy в понедельник.",
]


def _slow(monkeypatch: pytest.MonkeyPatch, text: str, **options: object) -> normkit.CleanResult:
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_quiet", lambda _text: None)
        return normkit.Normalizer(normkit.Config(**options)).clean(text)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("names", [False, True])
def test_quick_look_gives_the_full_stages_result(monkeypatch: pytest.MonkeyPatch, text: str, names: bool) -> None:
    fast = normkit.Normalizer(normkit.Config(names=names)).clean(text)
    assert fast == _slow(monkeypatch, text, names=names)


def test_what_the_look_lets_through() -> None:
    assert pipeline._quiet("Plain ASCII text.") == pipeline._LATIN_TEXT
    assert pipeline._quiet("Curly “quotes”, café.") == pipeline._LATIN_TEXT
    assert pipeline._quiet("Обычный русский текст.") == pipeline._NO_LATIN
    assert pipeline._quiet("Текст с Apple внутри.") is None  # a Latin word in Cyrillic text: read
    assert pipeline._quiet("Кириshi") is None
    assert pipeline._quiet("Mos\u200bcow") is None
    assert pipeline._quiet("Москва\u202e") is None


def test_mostly_cyrillic_reads_the_share_of_two_byte_letters() -> None:
    assert not mostly_cyrillic("Moscow")
    assert mostly_cyrillic("Москва")
    assert not mostly_cyrillic("The word Москва in a long English sentence about other things")


ALPHABET = "aoeKMсоеКМαο \u200b\u00ad\u202e’'-.\n"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_any_text_scripts_only(text: str) -> None:
    fast = normkit.Normalizer(normkit.Config(names=False)).clean(text)
    original = pipeline._quiet
    pipeline._quiet = lambda _text: None  # type: ignore[assignment]
    try:
        slow = normkit.Normalizer(normkit.Config(names=False)).clean(text)
    finally:
        pipeline._quiet = original
    assert fast == slow
