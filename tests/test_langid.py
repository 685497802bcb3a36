import subprocess
import sys

from normkit import langid
from normkit.langid import detect_language, paragraph_languages, script_language


def test_script_decides_without_statistics(monkeypatch) -> None:
    def no_stats(text: str) -> list:
        raise AssertionError("langdetect must not run when the script decides")

    monkeypatch.setattr(langid, "_langdetect", no_stats)
    assert detect_language("Это был очень хороший день.") == "ru"  # ы: Russian
    assert detect_language("Привіт, як справи?") == "uk"              # ї/і: Ukrainian
    assert detect_language("Καλημέρα κόσμε") == "el"
    assert detect_language("Привет", candidates={"ru", "en"}) == "ru"  # the only Cyrillic candidate
    assert detect_language("OK", candidates={"ru", "en"}) == "en"
    assert detect_language("12 345 — 67") == "und"


def test_statistics_when_script_is_ambiguous() -> None:
    assert script_language("Der Hund spielt im Garten.") is None
    assert detect_language("Der Hund spielt im Garten mit dem Ball.") == "de"
    assert detect_language("The dog plays in the garden with the ball.") == "en"
    # Among candidates, the best-scoring candidate wins over an uninstalled language.
    assert detect_language("Der Hund spielt im Garten mit dem Ball.", candidates={"de", "en", "ru"}) == "de"


def test_langdetect_is_seeded_and_deterministic() -> None:
    text = "ok ja no si da"  # short and ambiguous: unseeded langdetect varies between runs
    first = detect_language(text)
    assert all(detect_language(text) == first for _ in range(5))
    code = "from normkit.langid import detect_language; print(detect_language('ok ja no si da'))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert runs == {first + "\n"}


def test_paragraph_by_paragraph() -> None:
    text = "Это был очень хороший день.\n\nThe weather was fine and we walked.\n\n\n42\n"
    found = paragraph_languages(text, candidates={"ru", "en"})
    assert [lang for _a, _b, lang in found] == ["ru", "en", "und"]
    assert [text[a:b] for a, b, _ in found] == ["Это был очень хороший день.",
                                                 "The weather was fine and we walked.", "42\n"]
