"""A given name and its surname parted by a hard line wrap are still a person's name; a blank line
(a new paragraph) parts them."""
from __future__ import annotations

import normkit
from normkit.names.context import cues_at


def _given(word: str) -> bool:
    return word in {"Roman", "Igor", "Olga"}


def _english(word: str) -> bool:
    return False


def test_wrapped_given_name_is_a_cue() -> None:
    for text in ("12) Roman\nGlazhev (1971), editor.", "Olga\r\nPetrova said", "by Igor’\n  Semyonov"):
        start = text.index("\n") + 1
        while text[start] == " ":
            start += 1
        end = start + len(text[start:].split()[0].rstrip(","))
        cues = cues_at(text, start, end, _given, _english)
        assert cues.given_name_before, text


def test_paragraph_break_is_not() -> None:
    text = "Roman\n\nGlazhev (1971), editor."
    start = text.index("Glazhev")
    assert not cues_at(text, start, start + 7, _given, _english).given_name_before


def test_surname_after_wrapped_given_name_is_not_made_a_village() -> None:
    normalizer = normkit.Normalizer()
    wrapped = normalizer.clean("12) Roman\nGlazhev (1971), deputy editor of the weekly.")
    assert not wrapped.edits and not wrapped.suggestions
    apart = normalizer.clean("Roman\n\nGlazhev (1971), deputy editor of the weekly.")
    assert [(s.before, s.after) for s in apart.suggestions] == [("Glazhev", "Glazhevo")]


def test_the_word_after_a_possessive_is_the_neighbour() -> None:
    english = {"Chess", "Notes", "Garden"}.__contains__
    text = "Readers of Petrov's Chess Notes wrote in."
    start = text.index("Petrov")
    cues = cues_at(text, start, start + 6, _given, english)
    assert cues.english_neighbour and cues.capitalised_neighbour
    plain = "Readers of Petrov's notes wrote in."
    assert not cues_at(plain, start, start + 6, _given, english).capitalised_neighbour
    curly = "The Orlov’s Garden opened."
    start = curly.index("Orlov")
    assert cues_at(curly, start, start + 5, _given, english).english_neighbour


def test_a_hyphenated_title_is_read_by_its_head() -> None:
    for text in ("Deputy Prime-Minister Olga Petrova said", "Vice-Governor Roman Orlov said"):
        word = text.split()[-2]
        start = text.index(word)
        cues = cues_at(text, start, start + len(word), _given, _english)
        assert cues.office_before and cues.given_name_before, text
    text = "the Rostov-on-Don Petrova said"  # a place's hyphenated name is no title
    start = text.index("Petrova")
    assert not cues_at(text, start, start + 7, _given, _english).office_before
