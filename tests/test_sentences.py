from normkit.translation.sentences import sentence_spans, split_sentences


def test_plain_sentences_split() -> None:
    assert split_sentences("Он пришёл. Она ушла! Кто там? Никого…") == [
        "Он пришёл.", "Она ушла!", "Кто там?", "Никого…"]


def test_initials_do_not_end_sentences() -> None:
    assert split_sentences("А. С. Пушкин родился в Москве. Он был поэтом.") == [
        "А. С. Пушкин родился в Москве.", "Он был поэтом."]
    assert split_sentences("Поэт Пушкин А.С. написал роман.") == ["Поэт Пушкин А.С. написал роман."]


def test_city_abbreviation_versus_year() -> None:
    assert split_sentences("Он живёт в г. Кириши. Это город.") == ["Он живёт в г. Кириши.", "Это город."]
    assert split_sentences("Это было в 2020 г. Потом всё изменилось.") == [
        "Это было в 2020 г.", "Потом всё изменилось."]


def test_russian_abbreviations() -> None:
    assert split_sentences("Он сказал, т.е. намекнул. Т. е. всё ясно.") == [
        "Он сказал, т.е. намекнул.", "Т. е. всё ясно."]
    assert split_sentences("Он живёт на ул. Ленина, д. 5. Там тихо.") == [
        "Он живёт на ул. Ленина, д. 5.", "Там тихо."]
    assert split_sentences("Яблоки, груши и т.д. Потом был чай.") == ["Яблоки, груши и т.д.", "Потом был чай."]


def test_english_abbreviations_and_decimals() -> None:
    assert split_sentences("Mr. Smith met Dr. Jones at 3.5 km from St. Petersburg. They talked.") == [
        "Mr. Smith met Dr. Jones at 3.5 km from St. Petersburg.", "They talked."]


def test_lowercase_continuation_and_quotes() -> None:
    assert split_sentences("Он сказал «нет». и ушёл.") == ["Он сказал «нет». и ушёл."]
    assert split_sentences("«Привет!» — сказал он. «Пока», — ответила она.") == [
        "«Привет!» — сказал он.", "«Пока», — ответила она."]


def test_spans_exclude_outer_whitespace_and_respect_protected() -> None:
    text = "  Один.  Два.  "
    assert [text[a:b] for a, b in sentence_spans(text)] == ["Один.", "Два."]
    text = "Приехал Бочаров А. Б. Васильев встретил его."
    assert len(sentence_spans(text)) == 1  # initials
    text = "Встреча с Who. Прошла хорошо."
    assert len(sentence_spans(text)) == 2
    # A protected span across the boundary keeps the sentence whole.
    assert sentence_spans(text, protected=[(10, 21)]) == [(0, len(text))]
    assert split_sentences("") == [] and split_sentences("   ") == []
