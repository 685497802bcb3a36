import subprocess
import sys

from normkit import langid
from normkit.langid import detect_language, paragraph_languages, script_language


def test_script_decides_without_statistics(monkeypatch) -> None:
    def no_stats(text: str, candidates: object) -> str:
        raise AssertionError("lingua must not run when the script decides")

    monkeypatch.setattr(langid, "_statistics", no_stats)
    assert detect_language("Καλημέρα κόσμε") == "el"
    assert detect_language("Привет", candidates={"ru", "en"}) == "ru"  # the only Cyrillic candidate
    assert detect_language("OK", candidates={"ru", "en"}) == "en"
    assert detect_language("12 345 — 67") == "und"


def test_statistics_when_script_is_ambiguous() -> None:
    assert script_language("Der Hund spielt im Garten.") is None
    assert detect_language("Der Hund spielt im Garten mit dem Ball.") == "de"
    assert detect_language("The dog plays in the garden with the ball.") == "en"
    assert detect_language("Der Hund spielt im Garten mit dem Ball.", candidates={"de", "en", "ru"}) == "de"


# Short sentences among the Cyrillic languages (written for these tests): langdetect sent the Russian
# ones to Bulgarian or Ukrainian. Letters of one language alone (ы, і) no longer decide: Belarusian has
# ы and і too, and a Russian paragraph may quote a Ukrainian name.
CYRILLIC_SHORT = [
    ("ru", "Обломки упали в Кириши."), ("ru", "Поезд пришёл на вокзал без опоздания."),
    ("ru", "Спасибо вам за письмо."), ("ru", "Рабочие починили крышу к обеду."),
    ("uk", "Робітники полагодили дах до обіду."), ("uk", "Дякуємо вам за лист."),
    ("bg", "Работниците поправиха покрива до обяд."), ("be", "Рабочыя адрамантавалі дах да абеду."),
    ("be", "Мы вельмі чакалі гэтага дня."), ("sr", "Радници су поправили кров до ручка."),
    ("mk", "Работниците го поправија покривот до ручек."),
    ("ru", "Киевская делегация прилетела в Харьков вчера."),
]


def test_short_cyrillic_sentences_among_the_neighbours() -> None:
    candidates = {"ru", "uk", "bg", "be", "sr", "mk", "en"}
    found = [(lang, detect_language(text, candidates)) for lang, text in CYRILLIC_SHORT]
    assert [f for lang, f in found] == [lang for lang, _ in found]


def test_detection_is_deterministic_across_processes() -> None:
    text = "ok ja no si da"  # short and ambiguous
    first = detect_language(text)
    assert all(detect_language(text) == first for _ in range(5))
    code = "from normkit.langid import detect_language; print(detect_language('ok ja no si da'))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert runs == {first + "\n"}


def test_lines_ending_in_carriage_returns_make_paragraphs() -> None:
    text = "Это был очень хороший день.\r\rThe weather was fine and we walked.\r\n\r\nНовый абзац.\r"
    found = paragraph_languages(text, candidates={"ru", "en"})
    assert [lang for *_, lang in found] == ["ru", "en", "ru"]


def test_paragraph_by_paragraph() -> None:
    text = "Это был очень хороший день.\n\nThe weather was fine and we walked.\n\n\n42\n"
    found = paragraph_languages(text, candidates={"ru", "en"})
    assert [lang for _a, _b, lang in found] == ["ru", "en", "und"]
    assert [text[a:b] for a, b, _ in found] == ["Это был очень хороший день.",
                                                 "The weather was fine and we walked.", "42\n"]
