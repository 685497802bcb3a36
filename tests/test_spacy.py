"""normkit.spacy: the ``normkit.Tokenizer.v1`` tokenizer in blank English and Russian pipelines.

Every sentence here is written for these tests. The expected repairs are the right answers (the
place each misspelt or mixed-script word names); the rest is checked against ``normkit.clean`` and
the input itself, so the tests hold whatever the cleaner's reasons and confidences say.
"""
from __future__ import annotations

import inspect
import json
import os
import pickle
import shutil
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path
from typing import Any, Sequence

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

import normkit
import normkit.spacy
from normkit.spacy import EDIT_KEY, SUGGESTION_KEY, TOKENIZER_NAME, NormkitTokenizer

from conftest import REPO

GLOSSARY_HEADER = "# normkit-glossary 1\nid\tcyrillic\tlatin\ttype\tparents\tpopulation\taliases\tsource\n"


def blank(language: str, **options: Any) -> Language:
    return spacy.blank(language, config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME, **options}}})


def with_ruler(nlp: Language, patterns: list[dict[str, Any]]) -> Language:
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return nlp


def summary(doc: Any) -> dict[str, Any]:
    """What a Doc says about its cleaning, as JSON (also run in the subprocesses below)."""
    return {
        "text": doc.text,
        "original_text": doc._.original_text,
        "edits": [e.to_dict() for e in doc._.normkit_edits],
        "suggestions": [e.to_dict() for e in doc._.normkit_suggestions],
        "ents": [[e.text, e.label_, *e._.original_offsets] for e in doc.ents],
        "tokens": [[t.text, *t._.original_offsets] for t in doc],
    }


@pytest.fixture(scope="module")
def en() -> Language:
    return blank("en")


@pytest.fixture(scope="module")
def ru() -> Language:
    return blank("ru")


# ---------------------------------------------------------------- cleaning before tokenisation

# (language, input, a token of the cleaned Doc, the input text that token comes from)
REPAIRS = [
    ("en", "Smoke rose over Черепoвец steelworks on Monday.", "Cherepovets", "Черепoвец"),
    ("en", "Explosions were heard near Щёлкoво and in Ногинcк overnight.", "Shchelkovo", "Щёлкoво"),
    ("en", "Explosions were heard near Щёлкoво and in Ногинcк overnight.", "Noginsk", "Ногинcк"),
    ("en", "A fire broke out in Жуковcкий near the airfield.", "Zhukovskiy", "Жуковcкий"),
    ("en", "Officials in Vorkuta and Naryan-Маr said so.", "Mar", "Маr"),
    ("en", "Residents of Кириshi’s outskirts were evacuated.", "Kirishi", "Кириshi"),
    ("en", "Smoke rose over Murmannsk on Monday.", "Murmansk", "Murmannsk"),
    ("en", "The port of Vladivostock was hit.", "Vladivostok", "Vladivostock"),
    ("ru", "Губернатор приехал в Новосибирcк вчера вечером.", "Новосибирск", "Новосибирcк"),
    ("ru", "Жители Черепoвца вышли на улицы.", "Череповца", "Черепoвца"),
    ("ru", "В Ногинcке и Щёлкoвo прошли обыски.", "Щёлково", "Щёлкoвo"),
]


@pytest.mark.parametrize("lang,text,token,source", REPAIRS)
def test_the_doc_is_the_cleaned_text_and_keeps_the_original(en: Language, ru: Language, lang: str,
                                                            text: str, token: str, source: str) -> None:
    doc = (en if lang == "en" else ru)(text)
    expected = normkit.clean(text)
    assert doc.text == expected.text != text
    assert doc._.original_text == text
    assert doc._.normkit_edits == expected.edits
    assert doc._.normkit_suggestions == expected.suggestions
    [match] = [t for t in doc if t.text == token]
    start, end = match._.original_offsets
    assert text[start:end] == source
    assert doc[match.i:match.i + 1]._.original_offsets == (start, end)


@pytest.mark.parametrize("lang,text,token,source", REPAIRS)
def test_tokens_map_into_the_input_in_order(en: Language, ru: Language, lang: str, text: str,
                                            token: str, source: str) -> None:
    doc = (en if lang == "en" else ru)(text)
    edited = [(e.start, e.end) for e in doc._.normkit_edits]
    previous_end = 0
    for t in doc:
        start, end = t._.original_offsets
        assert previous_end <= start <= end <= len(text)
        if not any(a < end and start < b for a, b in edited):  # untouched tokens are the input's
            assert text[start:end] == t.text
        previous_end = end
    assert doc[:]._.original_offsets == (0, len(text))
    # Spans whose ends fall outside edits map exactly as CleanResult maps them.
    result = doc._.normkit_result
    out_edits = [result.output_span(e.start, e.end) for e in result.edits]
    bounds = [t.idx for t in doc] + [len(doc.text)]
    outside = [b for b in bounds if not any(a < b < z for a, z in out_edits)]
    for i, low in enumerate(outside):
        for high in outside[i:]:
            span = doc.char_span(low, high, alignment_mode="expand")
            if span is not None and (span.start_char, span.end_char) == (low, high):
                assert span._.original_offsets == result.input_span(low, high)


@pytest.mark.parametrize("text", [
    "Protesters gathered in Yekaterinburg and Chelyabinsk.",
    "IT-компания открыла офис в Казани.",   # a legitimate mix stays
    "The T-34 tank and a COVID-19 ward.",
    "",
])
def test_text_with_nothing_to_clean_is_left_alone(en: Language, text: str) -> None:
    doc = en(text)
    assert doc.text == doc._.original_text == text
    assert doc._.normkit_edits == [] and doc._.normkit_suggestions == []
    assert doc.user_data == {}
    assert [t._.original_offsets for t in doc] == [(t.idx, t.idx + len(t)) for t in doc]


def test_a_doubtful_fix_is_a_suggestion_and_the_text_keeps_the_word(en: Language) -> None:
    text = "Shells hit Novosibrisk overnight."
    doc = en(text)
    assert doc.text == text and doc._.normkit_edits == []
    [suggestion] = doc._.normkit_suggestions
    assert (text[suggestion.start:suggestion.end], suggestion.after) == ("Novosibrisk", "Novosibirsk")
    assert suggestion.confidence < normkit.load().name_linker().model.apply


def test_the_module_imports_the_real_spacy() -> None:
    # normkit/spacy.py is not the spacy it imports: absolute imports reach the installed package.
    assert normkit.spacy.Language is Language and normkit.spacy.Doc is Doc
    assert Path(spacy.__file__).parent.name == "spacy" and Path(spacy.__file__).parent != REPO / "normkit"


def test_the_config_options_reach_the_cleaner() -> None:
    text = "Firefighters at the Кириshi refinery and in Belgorrod worked all night."
    default = blank("en")(text)
    assert default.text == "Firefighters at the Kirishi refinery and in Belgorod worked all night."
    scripts_only = blank("en", names=False)(text)
    assert scripts_only.text == "Firefighters at the Kirishi refinery and in Belgorrod worked all night."
    # A threshold above the script repair's confidence turns it into a suggestion, offsets kept.
    strict = blank("en", min_confidence=0.99)(text)
    assert "Кириshi" in strict.text
    assert [text[s.start:s.end] for s in strict._.normkit_suggestions][0] == "Кириshi"
    assert strict._.original_text == text
    cyrillic = blank("en", target_script="cyrillic", names=False)("Пожар в Кириshi.")
    assert cyrillic.text == "Пожар в Кириши."
    tokenizer = blank("en", lang="ru", scheme="gost_7034").tokenizer
    assert isinstance(tokenizer, NormkitTokenizer)
    assert tokenizer.normalizer.config == normkit.Config(lang="ru", scheme="gost_7034")


@pytest.mark.parametrize("options,message", [
    ({"target_script": "greek"}, "target_script"),
    ({"min_confidence": 1.5}, "min_confidence"),
    ({"scheme": "no_such_scheme"}, "no_such_scheme"),
])
def test_bad_options_fail_when_the_pipeline_is_built(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        blank("en", **options)


def test_own_glossaries_are_used(tmp_path: Path) -> None:
    glossary = tmp_path / "towns.tsv"
    glossary.write_text(GLOSSARY_HEADER + "curated:test-ozernovodsk\tОзерноводск\tOzernovodsk\tcity\t"
                        "geonames:472755\t150000\t\ttest\n", encoding="utf-8")
    text = "Flooding cut off Ozernowodsk on Monday, officials in the city said."
    assert blank("en")(text).text == text
    doc = blank("en", glossaries=[str(glossary)])(text)
    assert "Ozernovodsk" in doc.text and doc._.original_text == text


# ---------------------------------------------------------------- the entity ruler sees the cleaned text

def test_an_entity_ruler_pattern_matches_only_after_cleaning() -> None:
    patterns = [{"label": "GPE", "pattern": "Kirishi"},
                {"label": "GPE", "pattern": [{"LOWER": "belgorod"}]}]
    text = "Firefighters at the Кириshi refinery were joined by crews from Belgorrod."
    plain = with_ruler(spacy.blank("en"), patterns)
    assert plain(text).ents == ()
    doc = with_ruler(blank("en"), patterns)(text)
    assert [(e.text, e.label_) for e in doc.ents] == [("Kirishi", "GPE"), ("Belgorod", "GPE")]
    assert [text[slice(*e._.original_offsets)] for e in doc.ents] == ["Кириshi", "Belgorrod"]


def test_an_entity_after_a_longer_repair_maps_back() -> None:
    nlp = with_ruler(blank("en"), [{"label": "GPE", "pattern": "Noginsk"}])
    text = "Explosions were heard near Щёлкoво and in Ногинcк overnight."
    doc = nlp(text)
    [ent] = doc.ents
    assert len(doc.text) != len(text)  # Щёлкoво → Shchelkovo shifts everything after it
    assert text[slice(*ent._.original_offsets)] == "Ногинcк"


def test_a_russian_pipeline_finds_the_repaired_place() -> None:
    nlp = with_ruler(blank("ru"), [{"label": "GPE", "pattern": "Кириши"},
                                   {"label": "GPE", "pattern": "Новосибирск"}])
    text = "Пожар на заводе в Кириshi потушили, а в Новосибирcк выехали спасатели."
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [("Кириши", "GPE"), ("Новосибирск", "GPE")]
    assert [text[slice(*e._.original_offsets)] for e in doc.ents] == ["Кириshi", "Новосибирcк"]


# ---------------------------------------------------------------- what the Doc stores, and where it travels

TEXTS = [
    "Smoke rose over Черепoвец steelworks on Monday.",
    "Firefighters at the Кириshi refinery were joined by crews from Belgorrod.",
    "Shells hit Novosibrisk overnight.",
    "Protesters gathered in Yekaterinburg.",
    "Explosions were heard near Щёлкoво and in Ногинcк overnight.",
    "Officials in Vorkuta and Naryan-Маr said so.",
]
PATTERNS = [{"label": "GPE", "pattern": name} for name in ("Kirishi", "Cherepovets", "Noginsk", "Vorkuta")]


def test_the_doc_holds_plain_data_only(en: Language) -> None:
    doc = en(TEXTS[1] + " " + TEXTS[2])
    json.dumps(list(doc.user_data.values()))  # no objects: msgpack and JSON take it
    names = {key[1] for key in doc.user_data}
    assert names == {EDIT_KEY, SUGGESTION_KEY}
    for (_, name, start, end), record in doc.user_data.items():
        if name == EDIT_KEY:
            assert doc.text[start:end] == record["after"]


def test_to_bytes_and_docbin_keep_edits_and_offsets(tmp_path: Path) -> None:
    nlp = with_ruler(blank("en"), PATTERNS)
    docs = list(nlp.pipe(TEXTS))
    for doc in docs:
        again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
        assert summary(again) == summary(doc)
    stored = DocBin(store_user_data=True, docs=docs)
    (tmp_path / "docs.spacy").write_bytes(stored.to_bytes())
    loaded = DocBin().from_bytes((tmp_path / "docs.spacy").read_bytes())
    assert [summary(d) for d in loaded.get_docs(nlp.vocab)] == [summary(d) for d in docs]


def test_joined_docs_keep_every_edit() -> None:
    nlp = blank("en")
    first, second = nlp(TEXTS[0]), nlp(TEXTS[4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # spaCy warns when it drops user data it cannot place
        joined = Doc.from_docs([first, second])
    assert joined.text == first.text + " " + second.text
    assert joined._.original_text == TEXTS[0] + " " + TEXTS[4]
    offset = len(TEXTS[0]) + 1
    assert joined._.normkit_edits == first._.normkit_edits + [
        normkit.Edit(e.start + offset, e.end + offset, e.before, e.after, e.kind, e.confidence, e.reason)
        for e in second._.normkit_edits]


def test_a_sentence_cut_out_keeps_its_own_edits() -> None:
    nlp = blank("en")
    nlp.add_pipe("sentencizer")
    text = TEXTS[0] + " " + TEXTS[4]
    doc = nlp(text)
    first, second = doc.sents
    for sentence in (first, second):
        alone = sentence.as_doc(copy_user_data=True)
        assert alone.text == sentence.text_with_ws  # as_doc keeps the whitespace after the last token
        trailing = sentence.text_with_ws[len(sentence.text):]
        assert alone._.original_text == text[slice(*sentence._.original_offsets)] + trailing
        assert alone._.normkit_edits


def test_pipe_with_two_processes_matches_one() -> None:
    nlp = with_ruler(blank("en"), PATTERNS)
    serial = [summary(d) for d in nlp.pipe(TEXTS)]
    assert [summary(d) for d in nlp.pipe(TEXTS, n_process=2, batch_size=2)] == serial
    assert any(s["edits"] for s in serial) and any(s["suggestions"] for s in serial)


def test_the_tokenizer_pickles_as_its_rules_and_config(en: Language) -> None:
    tokenizer = en.tokenizer
    assert isinstance(tokenizer, NormkitTokenizer)
    en(TEXTS[1])  # the gazetteer is loaded now; it must not travel with the pickle
    assert len(pickle.dumps(tokenizer.normalizer)) < 1000
    again = pickle.loads(pickle.dumps(tokenizer))
    assert summary(again(TEXTS[1])) == summary(tokenizer(TEXTS[1]))


def _run(script: str, *args: str, extra_path: Sequence[Path] = ()) -> Any:
    path = [*map(str, extra_path), str(REPO), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p)}
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_pipe_with_spawned_processes(tmp_path: Path) -> None:
    # macOS and Windows start workers by spawning: the pipeline is pickled to them.
    script = "import json, multiprocessing, sys\nfrom typing import Any\n" + inspect.getsource(summary) + f"""
import spacy
import normkit.spacy
multiprocessing.set_start_method("spawn")
nlp = spacy.blank("en", config={{"nlp": {{"tokenizer": {{"@tokenizers": "{TOKENIZER_NAME}"}}}}}})
nlp.add_pipe("entity_ruler").add_patterns(json.loads(sys.argv[2]))
print(json.dumps([summary(d) for d in nlp.pipe(json.loads(sys.argv[1]), n_process=2, batch_size=2)]))
"""
    spawned = _run(script, json.dumps(TEXTS), json.dumps(PATTERNS))
    nlp = with_ruler(blank("en"), PATTERNS)
    assert spawned == [summary(d) for d in nlp.pipe(TEXTS)]


# ---------------------------------------------------------------- saving and loading pipelines

def _entry_points_from_pyproject(folder: Path) -> Path:
    """The entry points pyproject.toml declares, as an installed distribution would list them, so
    that a subprocess sees what ``pip install "normkit[spacy]"`` gives (whatever is installed here)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist = folder / "normkit_entry_points_under_test-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: normkit-entry-points-under-test\n"
                                   "Version: 0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in points.items())
        for group, points in project["entry-points"].items()), encoding="utf-8")
    return folder


def _saved_pipeline(tmp_path: Path, *, folder: bool = False) -> tuple[Language, Path]:
    """A pipeline with an own glossary (a file, or a folder of them), a rule and a special case."""
    glossary = tmp_path / "own" / "towns.tsv"
    glossary.parent.mkdir()
    glossary.write_text(GLOSSARY_HEADER + "curated:test-ozernovodsk\tОзерноводск\tOzernovodsk\tcity\t"
                        "geonames:472755\t150000\t\ttest\n", encoding="utf-8")
    option = glossary.parent if folder else glossary
    nlp = with_ruler(blank("en", glossaries=[str(option)]), [*PATTERNS, {"label": "GPE", "pattern": "Ozernovodsk"}])
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, NormkitTokenizer)
    tokenizer.base.add_special_case("gonna", [{"ORTH": "gon"}, {"ORTH": "na"}])
    nlp.to_disk(tmp_path / "pipeline")
    return nlp, tmp_path / "pipeline"


SAVED_TEXTS = [*TEXTS, "Flooding cut off Ozernowodsk, and crews were gonna leave."]


def test_a_saved_pipeline_loads_with_its_rules(tmp_path: Path) -> None:
    nlp, path = _saved_pipeline(tmp_path, folder=True)
    expected = [summary(d) for d in nlp.pipe(SAVED_TEXTS)]
    shutil.rmtree(tmp_path / "own")  # the saved pipeline reads its own copy of the glossary folder
    loaded = spacy.load(path)
    assert [summary(d) for d in loaded.pipe(SAVED_TEXTS)] == expected
    assert "Ozernovodsk" in expected[-1]["text"]
    assert [t.text for t in loaded("gonna")] == ["gon", "na"]


def test_a_saved_pipeline_loads_in_a_fresh_process_without_importing_normkit(tmp_path: Path) -> None:
    nlp, path = _saved_pipeline(tmp_path)
    expected = [summary(d) for d in nlp.pipe(SAVED_TEXTS)]
    (tmp_path / "own" / "towns.tsv").unlink()  # a pipeline moved to another machine: its copy is used
    script = "import json, sys\nfrom typing import Any\n" + inspect.getsource(summary) + """
import spacy
imported = "normkit.spacy" in sys.modules
nlp = spacy.load(sys.argv[1])
print(json.dumps({"imported_first": imported, "docs": [summary(d) for d in nlp.pipe(json.loads(sys.argv[2]))]}))
"""
    out = _run(script, str(path), json.dumps(SAVED_TEXTS), extra_path=[_entry_points_from_pyproject(tmp_path / "ep")])
    assert out == {"imported_first": False, "docs": expected}
    assert "Ozernovodsk" in out["docs"][-1]["text"]


def test_doc_bytes_read_in_a_fresh_process_need_only_the_import(en: Language, tmp_path: Path) -> None:
    doc = en(TEXTS[0])
    (tmp_path / "doc.bin").write_bytes(doc.to_bytes())
    script = """
import json, sys
from spacy.tokens import Doc
from spacy.vocab import Vocab
doc = Doc(Vocab()).from_bytes(open(sys.argv[1], "rb").read())
before = Doc.has_extension("original_text")
import normkit.spacy
print(json.dumps([before, doc._.original_text, [e.to_dict() for e in doc._.normkit_edits]]))
"""
    assert _run(script, str(tmp_path / "doc.bin")) == [
        False, TEXTS[0], [e.to_dict() for e in doc._.normkit_edits]]


def test_a_pipeline_saved_without_normkit_loads_with_it(tmp_path: Path) -> None:
    plain = spacy.blank("en")
    plain.tokenizer.add_special_case("gonna", [{"ORTH": "gon"}, {"ORTH": "na"}])
    plain.to_disk(tmp_path / "plain")
    nlp = spacy.load(tmp_path / "plain", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    assert isinstance(nlp.tokenizer, NormkitTokenizer)
    doc = nlp("Crews were gonna leave Черепoвец.")
    assert [t.text for t in doc] == ["Crews", "were", "gon", "na", "leave", "Cherepovets", "."]
    nlp.to_disk(tmp_path / "plain")  # saving over it turns the tokenizer file into normkit's folder
    assert summary(spacy.load(tmp_path / "plain")("Crews were gonna leave Черепoвец.")) == summary(doc)


def test_nlp_to_bytes_round_trip() -> None:
    nlp = blank("en")
    nlp.tokenizer.base.add_special_case("gonna", [{"ORTH": "gon"}, {"ORTH": "na"}])  # type: ignore[attr-defined]
    other = blank("en").from_bytes(nlp.to_bytes())
    assert [t.text for t in other("gonna")] == ["gon", "na"]
    assert summary(other(TEXTS[1])) == summary(nlp(TEXTS[1]))


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## spaCy", 1)[1].split("\n## ", 1)[0]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    script = example + """
import json
print(json.dumps([doc.text, [e.text for e in doc.ents], list(doc.ents[0]._.original_offsets),
                  doc._.original_text, repr(doc._.normkit_edits[0])]))
"""
    text, ents, offsets, original, edit = _run(script, extra_path=[_entry_points_from_pyproject(tmp_path)])
    assert f"'{text}'" in example and f"'{original}'" in example
    assert f"({ents[0]},)" in example and f"({offsets[0]}, {offsets[1]})" in example
    assert edit.startswith("Edit(start=16, end=25, before='Черепoвец', after='Cherepovets', kind='homoglyph'")
    assert "Edit(16, 25, 'Черепoвец', 'Cherepovets', 'homoglyph'" in example
