"""transliterate(): forward schemes never leave Cyrillic; reverse gives ranked Cyrillic readings."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normkit import transliterate
from normkit.transliteration import CYRILLIC_RE, scheme_names


@pytest.mark.parametrize("cyrillic, latin", [
    ("Кириши", "Kirishi"), ("Глажево", "Glazhevo"), ("Лодыгина", "Lodygina"),
    ("Бочаров", "Bocharov"), ("Тракторозаводский", "Traktorozavodskiy"), ("Щёлково", "Shchelkovo"),
])
def test_bgn_pcgn(cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic) == latin


def test_every_scheme_leaves_no_cyrillic() -> None:
    sample = "Щёлково, Ёлкино, объём, Київ, ґанок, Ўзбекистон"
    for scheme in scheme_names():
        out = transliterate(sample, scheme)
        assert not CYRILLIC_RE.search(out), (scheme, out)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(min_codepoint=0x400, max_codepoint=0x52F), max_size=40),
       st.sampled_from(["bgn_pcgn", "wikipedia", "gost_7034", "iso_9_1954", "mosmetro"]))
def test_forward_output_is_script_pure(text: str, scheme: str) -> None:
    assert not CYRILLIC_RE.search(transliterate(text, scheme))


@pytest.mark.parametrize("latin, cyrillic", [
    ("Kirishi", "Кириши"), ("Kiriši", "Кириши"), ("Glazhevo", "Глажево"), ("Khabarovsk", "Хабаровск"),
    ("Yoshkar-Ola", "Йошкар-Ола"), ("Tsar", "Цар"), ("Grozny", "Грозный"),
])
def test_reverse_gives_the_reading_among_the_best(latin: str, cyrillic: str) -> None:
    readings = transliterate(latin, reverse=True, n=5)
    assert cyrillic in readings
    assert all(CYRILLIC_RE.search(r) for r in readings)


def test_unknown_scheme_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown transliteration scheme"):
        transliterate("Кириши", "nope")
