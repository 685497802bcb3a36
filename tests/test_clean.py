"""clean() and detect(): the repairs the core issue names, and the properties every result keeps."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normkit
from normkit import apply_edits, clean, detect

EN = "Further north, near the {} industrial zone, the remains of another drone were found."
RU = "Вчера в {} прошёл сильный дождь, сообщили синоптики городского центра."


@pytest.mark.parametrize("sentence, token, expected, kind", [
    (EN, "Кириshi", "Kirishi", "mixed_script"),
    (RU, "Кириshi", "Кириши", "mixed_script"),
    (RU, "Москвa", "Москва", "homoglyph"),
    (EN, "Mоscow", "Moscow", "homoglyph"),
    (RU, "следственноgo", "следственного", "mixed_script"),
    (EN, "Kyіv", "Kyiv", "homoglyph"),  # Ukrainian і inside a Latin word
    (RU, "Владимiр", "Владимир", "mixed_script"),
    (RU, "МОСКВA", "МОСКВА", "homoglyph"),
])
def test_repairs_each_class_to_the_context_script(sentence: str, token: str, expected: str, kind: str) -> None:
    text = sentence.format(token)
    result = clean(text)
    assert result.text == sentence.format(expected)
    [edit] = result.edits
    assert (edit.before, edit.after, edit.kind) == (token, expected, kind)
    assert text[edit.start:edit.end] == token
    assert 0.5 <= edit.confidence <= 1 and edit.reason


@pytest.mark.parametrize("token", ["IT-компания", "iPhone-ом", "COVID-19", "Т-34", "SMS-рассылка",
                                   "SMSки", "Wi-Fi-роутер", "πr²", "Δt", "α-частица", "МиГ-29"])
def test_legitimate_mixes_are_kept(token: str) -> None:
    for sentence in (EN, RU):
        text = sentence.format(token)
        assert clean(text).text == text
        assert clean(text).edits == []


def test_detect_reports_profile_class_and_changes_nothing() -> None:
    text = RU.format("Кириshi") + " А ещё SMSки."
    findings = detect(text)
    assert [f.token for f in findings] == ["Кириshi", "SMSки"]
    first, second = findings
    assert first.scripts == {"Cyrillic": 4, "Latin": 3}
    assert first.category == "mixed_script" and first.target_script == "Cyrillic"
    assert first.suggestion == "Кириши"
    assert second.category == "legitimate" and second.suggestion is None


def test_unknown_reconstruction_is_reported_not_applied() -> None:
    # no such Russian word, and German-style "sch" reads as щ or ш: its Cyrillic spelling is a guess
    text = RU.format("Зубрилоvsch")
    result = clean(text)
    assert result.text == text and result.edits == []
    [suggestion] = result.suggestions
    assert suggestion.before == "Зубрилоvsch" and suggestion.after.startswith("Зубрилов")
    assert suggestion.confidence < 0.5
    assert clean(text, min_confidence=0.0).text == RU.format(suggestion.after)  # applied when asked


def test_unknown_word_in_latin_text_is_romanised_when_its_latin_part_round_trips() -> None:
    # the guess does not matter here: whatever the Cyrillic, "vka" stays "vka"
    [edit] = clean(EN.format("Зубрилоvka")).edits
    assert edit.after == "Zubrilovka" and 0.5 <= edit.confidence < 0.9


def test_lang_and_target_script_override_context() -> None:
    text = RU.format("Кириshi")
    assert "Kirishi" in clean(text, lang="en").text
    assert "Kirishi" in clean(text, target_script="latin").text
    with pytest.raises(ValueError):
        clean(text, target_script="klingon")


def test_offsets_map_both_ways() -> None:
    text = "Near Кириshi and Москвa today, Mоscow said."
    result = clean(text, target_script="latin")
    later = text.index("today")
    assert result.text[result.output_offset(later):].startswith("today")
    assert result.input_offset(result.output_offset(later)) == later
    for edit in result.edits:
        start, end = result.output_span(edit.start, edit.end)
        assert result.text[start:end] == edit.after
        assert result.input_span(start, end) == (edit.start, edit.end)


def test_clean_on_clean_text_is_identity() -> None:
    text = "Plain English. Обычный русский текст. Numbers 12, COVID-19."
    result = clean(text)
    assert result.text is text or result.text == text
    assert not result.changed


# --- properties -------------------------------------------------------------------------------

_cyrillic = st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"))
_latin = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
_other = st.sampled_from(list(" ,.;:!?-'\n0123456789«»“”’"))
_pure_text = st.one_of(
    st.text(st.one_of(_cyrillic, _other), max_size=200),
    st.text(st.one_of(_latin, _other), max_size=200),
    st.lists(st.one_of(st.text(_cyrillic, min_size=1, max_size=8), st.text(_latin, min_size=1, max_size=8)),
             max_size=30).map(" ".join),  # both scripts, never inside one word
)
_any_text = st.text(st.one_of(_cyrillic, _latin, _other, st.sampled_from(list("αβπΔί\u0301ıß"))), max_size=120)


@settings(max_examples=150, deadline=None)
@given(_pure_text)
def test_text_without_script_changes_is_untouched(text: str) -> None:
    result = clean(text)
    assert result.text == text and result.edits == [] and detect(text) == []


@settings(max_examples=250, deadline=None)
@given(_any_text, st.sampled_from([None, "latin", "cyrillic"]))
def test_edits_rebuild_the_output_and_clean_is_idempotent(text: str, target: str | None) -> None:
    result = clean(text, target_script=target)
    assert apply_edits(text, result.edits) == result.text
    for edit in result.edits:
        assert text[edit.start:edit.end] == edit.before
        # a script repair, or one whose Latin result the name stage corrected further (one edit)
        assert edit.kind in ("invisible", "homoglyph", "mixed_script", "split") or " Then: " in edit.reason
        assert 0 <= edit.confidence <= 1
    again = clean(result.text, target_script=target)
    assert again.text == result.text


@settings(max_examples=150, deadline=None)
@given(_any_text)
def test_offsets_round_trip_outside_edits(text: str) -> None:
    result = clean(text)
    inside = {i for e in result.edits for i in range(e.start + 1, e.end)}
    for pos in range(len(text) + 1):
        if pos not in inside:
            assert result.input_offset(result.output_offset(pos)) == pos


def test_words_glued_across_scripts_split_once() -> None:  # found by Hypothesis: a split is a script repair
    result = clean("AaАа")
    assert [e.kind for e in result.edits] == ["split"] and clean(result.text).text == result.text


def test_public_api_names() -> None:
    for name in ("clean", "detect", "transliterate", "translate", "translate_many", "CleanResult", "Edit"):
        assert name in normkit.__all__


def test_a_result_rebuilds_from_its_json_form() -> None:
    import json

    text = "Governor Andrei Boharev said the Москвa office and Novosibrisk agreed."
    result = normkit.clean(text)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema"] == "normkit-clean 2" and data["offsets"] == "code points"
    again = normkit.CleanResult.from_dict(data)
    assert again == result and again.output_span(0, len(text)) == result.output_span(0, len(text))
    with pytest.raises(ValueError, match="schema"):
        normkit.CleanResult.from_dict({**data, "schema": "normkit-clean 3"})
    with pytest.raises(ValueError, match="edit"):
        normkit.CleanResult.from_dict({**data, "edits": [{"start": 1}]})


def test_results_of_consecutive_pieces_join_into_one() -> None:
    pieces = ["Near the Кириshi plant.\n", "Officials in Москвa said so.\n", "Nothing here.\n"]
    joined = normkit.CleanResult.join([normkit.clean(p) for p in pieces], pieces)
    whole = "".join(pieces)
    assert apply_edits(whole, joined.edits) == joined.text
    assert [whole[e.start:e.end] for e in joined.edits] == ["Кириshi", "Москвa"]
