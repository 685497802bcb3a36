"""The name stage's fast paths give exactly what the plain code gives: a scheme's romanisation by
str.translate, the model's log-odds by one sum(), and a linker asked for no rejected decisions."""
from __future__ import annotations

import random

import pytest

import normkit
from normkit.names.model import load_model
from normkit.names.spellings import ASCII_SCHEMES, MARKED_SCHEMES, accepted_keys, scheme
from name_texts import MISSPELT_NAME_TEXTS

# Words that meet every kind of rule: context at the start (е, ё), after vowels and signs (ае,
# ье, ъе), before a letter (йа, тс), adjective endings (-ий, -ый, -ой, -ые, -ие), one or two
# letters only, and characters no scheme maps.
WORDS = ["ель", "ёлкино", "елизавета", "подъезд", "объём", "васильев", "мариинский", "тсарево",
         "майя", "йошкар-ола", "красноярский", "новый", "большой", "набережные", "горячие", "ё", "е",
         "ья", "ъе", "ю", "щукина", "хабаровск", "чайковский", "ейск", "улан-удэ", "кириши", "abc",
         "москва1", "соловьёв", "ильич", "зеленоград", "сыктывкар", "тьма", "адыгея", "воронеж"]


@pytest.mark.parametrize("name", ASCII_SCHEMES + MARKED_SCHEMES)
def test_the_translated_romanisation_is_the_letter_by_letter_one(name: str) -> None:
    compiled = scheme(name)
    rng = random.Random(name)
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    made = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(400)]
    for word in WORDS + made:
        for form in (word, word.replace("ё", "е")):
            assert compiled.romanise(form) == compiled.romanise_slowly(form), (name, form)


def test_known_romanisations_still_come_out() -> None:
    assert "vasilyev" in accepted_keys("Васильев")
    assert "vasiliev" in accepted_keys("Васильев")
    assert "tchaikovsky" not in accepted_keys("Чайковский")  # an established form, not a scheme's
    assert "chaykovskiy" in accepted_keys("Чайковский")


def test_the_model_sum_is_the_plain_loop_bit_for_bit() -> None:
    model = load_model()
    rng = random.Random(0)
    for _ in range(2000):
        values = {f: rng.choice([0.0, 1.0, rng.random(), -rng.random()]) for f in model.features
                  if rng.random() < 0.6}
        values["not a feature"] = 5.0  # ignored, as the loop ignores it
        plain = model.bias + sum(w * values.get(f, 0.0) for f, w in zip(model.features, model.weights))
        assert model.raw_log_odds(values) == plain


TEXTS = [
    *MISSPELT_NAME_TEXTS,
    "Flights from Tscheljabinsk and Jekaterinburg were cancelled after the storm.",
    "Mr Petrenko and Ms Abramovna spoke to Reuters in Smolensk and Tver.",
    "The Kremlin said Peskov would travel to Vladivostock, Khabarovks and Irkutks.",
    "Brighton beat Southampton; Lucas Moura and Heung-min Son scored for Tottenham.",
    "He said Adulatipov and Minyailo would attend the meeting in Makhachkala.",
    "Ther governor said the school would reopen; Korolyov and Tveer were quiet.",
]


@pytest.fixture(scope="module")
def linker():  # type: ignore[no-untyped-def]
    return normkit.load().name_linker()


def test_no_rejected_decisions_asked_for_gives_the_others_unchanged(linker) -> None:  # type: ignore[no-untyped-def]
    """Against the decisions of weighing every candidate in full (no bound at all): the bound that
    starts at the suggest threshold keeps every applied and suggested decision, low ones included."""
    full_evidence = linker.evidence

    def unbounded(*args, bound=False, least=None, **kwargs):  # type: ignore[no-untyped-def]
        return full_evidence(*args, **kwargs)

    linker.evidence = unbounded
    try:
        reference = [linker.decide(text) for text in TEXTS]
    finally:
        del linker.evidence
    compared = low = 0
    for text, every in zip(TEXTS, reference):
        assert linker.decide(text) == every, text
        wanted = linker.decide(text, rejected=False)
        assert wanted == [d for d in every if d.outcome != "rejected"], text
        compared += len(wanted)
        low += sum(d.outcome == "suggested" for d in wanted)
    assert compared >= 3 and low >= 1  # fixes and suggestions were compared, not only empty lists


def test_explain_still_lists_rejected_decisions_and_cleans_the_same() -> None:
    plain = normkit.Normalizer(normkit.Config())
    explained = normkit.Normalizer(normkit.Config(explain=True))
    for text in TEXTS:
        a, b = plain.clean(text), explained.clean(text)
        assert (a.text, a.edits, a.suggestions) == (b.text, b.edits, b.suggestions), text
    text = " ".join(TEXTS)
    assert len(explained.clean(text).explanations) >= len([e for e in plain.clean(text).edits])


def test_weighable_candidates_are_the_candidates_evidence_would_weigh(linker) -> None:  # type: ignore[no-untyped-def]
    index = linker.index
    words = ["Kirishy", "Glazhev", "Boharev", "Possad", "Lenta", "Sachin", "Muscovy", "Tver", "Ther",
             "Tscheljabinsk", "Minyailo", "Adulatipov", "Novorossisk", "Korolyov", "Bilhorod", "Kluge"]
    entries = list(linker.gazetteer.memory_entries())
    words += [e.latin.split()[0] for e in random.Random(1).sample(entries, 150) if e.latin]
    kept = dropped = 0
    for word in words:
        every = index.candidates(word)
        found, ids = index.weighable(word, 0.7)
        assert found == tuple(c for c in every if c.similarity >= 0.7 or c.entry.type == "person"), word
        assert ids == frozenset(c.entry.id for c in every), word
        kept += len(found)
        dropped += len(every) - len(found)
    assert kept and dropped  # both kinds met


def test_a_calque_is_kept_out_where_a_rejected_decision_would_stand(linker) -> None:  # type: ignore[no-untyped-def]
    """A decision, rejected or not, keeps a calque out of its span: words in a calque's span are
    decided in full, so no calque appears that weighing every candidate would have kept out."""
    from normkit.names.readings import calque_words
    from normkit.transliteration import romanize

    english = {romanize(f).lower(): en for en, forms in calque_words().items() for f in forms}
    texts = []
    for entry in linker.gazetteer.memory_entries():
        words = entry.latin.split()
        if len(words) >= 2 and words[0].lower() in english:
            for second in (words[1], words[1] + "a", words[1][:-1]):  # as listed, one letter more, one less
                texts.append(f"We drove to {english[words[0].lower()].capitalize()} {second} and back.")
    random.Random(0).shuffle(texts)
    rejected_in_span = 0
    for text in texts[:300]:
        every = linker.decide(text)
        assert linker.decide(text, rejected=False) == [d for d in every if d.outcome != "rejected"], text
        rejected_in_span += any(d.outcome == "rejected" and d.start >= len("We drove to ") for d in every)
    assert rejected_in_span >= 10  # the case is met, not only texts without rejected decisions
