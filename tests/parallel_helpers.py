"""Texts for the batch and cluster tests: sentences written for these tests, with slips in both
scripts, names to correct, legitimate mixes to keep, and the odd empty or blank text."""
from __future__ import annotations

import random

_EN = (
    "The ferry to {place} was cancelled again because of ice on the river.",
    "Volunteers in {place} collected warm clothes for the shelter on Tuesday.",
    "A spokesman for the {place} city council said the bridge would reopen in May.",
    "Snow closed the road between {place} and the regional centre for two days.",
    "The new IT-компания opened an office near the station, the mayor said.",
)
_RU = (
    "В городе {place} открыли новую библиотеку для детей.",
    "Жители посёлка {place} пожаловались на отключения света.",
    "Автобус из {place} прибыл с опозданием на три часа.",
    "Местные власти обещают отремонтировать дорогу к весне.",
)
# Places as written in English text: right, with a script slip, or misromanised (some of those
# become edits, some suggestions).
_EN_PLACES = ("Kirishi", "Кириshi", "Cherepovets", "Черепoвец", "Murmansk", "Vologda", "Vоlogda", "Tver",
              "Vologhda", "Kostromma", "Cherepovetz", "Syktyvkarr")
_RU_PLACES = ("Кириши", "Москвa", "Череповец", "Вологда", "Tвepь", "Мурманск")
_ODD = ("", " ", "\n", "SMSки и Т-34 остаются как есть.", "Just English, nothing to do here.")


def sentences(count: int, seed: int = 0) -> list[str]:
    """``count`` short texts, reproducible for a seed."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if i % 23 == 0:
            out.append(_ODD[(i // 23) % len(_ODD)])
        elif rng.random() < 0.5:
            out.append(rng.choice(_EN).format(place=rng.choice(_EN_PLACES)) + f" ({i})")
        else:
            out.append(rng.choice(_RU).format(place=rng.choice(_RU_PLACES)) + f" ({i})")
    return out


def document(chars: int, seed: int = 0) -> str:
    """Paragraphs of ~8 sentences, blank lines between them, about ``chars`` characters."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        paragraph = " ".join(sentences(8, seed=rng.randrange(1 << 30))) + "\n\n"
        parts.append(paragraph)
        size += len(paragraph)
    return "".join(parts)


def readme_block(heading: str) -> str:
    """The first ```python block of the README after the paragraph that starts with ``heading``."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n" + heading)
    body_start = readme.index("```python\n", start) + len("```python\n")
    return readme[body_start:readme.index("```", body_start)]


def checked(block: str) -> str:
    """``block`` with each ``EXPRESSION  # LITERAL`` line turned into an assertion that the
    expression equals the literal, so the README's commented results are tested, not just run."""
    import ast
    import io
    import tokenize

    comments = {tok.start[0]: tok for tok in tokenize.generate_tokens(io.StringIO(block).readline)
                if tok.type == tokenize.COMMENT}
    lines = block.splitlines()
    for number, tok in comments.items():
        code = lines[number - 1][:tok.start[1]].rstrip()
        try:
            expected = ast.literal_eval(tok.string[1:].strip())
            ast.parse(code.strip(), mode="eval")
        except (SyntaxError, ValueError):
            continue
        indent = code[:len(code) - len(code.lstrip())]
        lines[number - 1] = f"{indent}assert ({code.strip()}) == {expected!r}, {code.strip()!r}"
    return "\n".join(lines) + "\n"
