"""normkit.pandas: a Series in, cleaned text and edits out, missing values and the index kept."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import normkit
import normkit.pandas
from parallel_helpers import checked, readme_block, sentences


def test_missing_values_stay_exactly_as_they_were() -> None:
    texts = ["Smoke rose over Черепoвец on Monday.", None, np.nan, pd.NA, "", "Снег в Москвe."]
    series = pd.Series(texts, index=["a", "b", "c", "d", "e", "f"], dtype=object)
    frame = normkit.pandas.clean_series(series)
    assert list(frame.columns) == ["text", "edits", "suggestions"]
    assert list(frame.index) == ["a", "b", "c", "d", "e", "f"]
    assert frame.at["b", "text"] is None
    assert isinstance(frame.at["c", "text"], float) and math.isnan(frame.at["c", "text"])
    assert frame.at["d", "text"] is pd.NA
    assert not any(isinstance(t, str) and t in ("None", "nan", "<NA>") for t in frame["text"])
    for label in "bcd":
        assert frame.at[label, "edits"] == [] and frame.at[label, "suggestions"] == []
    assert frame.at["a", "text"] == "Smoke rose over Cherepovets on Monday."
    assert frame.at["e", "text"] == "" and frame.at["f", "text"] == "Снег в Москве."
    [edit] = frame.at["f", "edits"]
    assert normkit.Edit.from_dict(edit) == normkit.clean("Снег в Москвe.").edits[0]


@pytest.mark.parametrize("dtype", ["string", "str"])
def test_string_dtypes_keep_their_dtype_and_their_missing_marker(dtype: str) -> None:
    series = pd.Series(["В Москвa дождь.", None, "plain"], index=[10, 20, 30], dtype=dtype)
    missing = series[20]  # whatever this dtype holds for a missing value
    frame = normkit.pandas.clean_series(series)
    assert frame["text"].dtype == series.dtype
    assert list(frame.index) == [10, 20, 30]
    assert frame["text"].isna().tolist() == [False, True, False]
    assert (frame.at[20, "text"] is missing) or (missing is not pd.NA and math.isnan(frame.at[20, "text"]))
    assert frame.at[10, "text"] == "В Москва дождь." and frame.at[30, "text"] == "plain"


def test_rows_are_serial_clean_and_the_accessor_is_the_same_call() -> None:
    texts = sentences(90, seed=7)
    series = pd.Series(texts, index=pd.RangeIndex(100, 190), name="body", dtype=object)
    frame = series.normkit.clean(min_confidence=0.6)  # the accessor registered by normkit.pandas
    config = normkit.Config(min_confidence=0.6)
    expected = [normkit.clean(t, config) for t in texts]
    assert frame["text"].tolist() == [r.text for r in expected]
    assert frame["edits"].tolist() == [[e.to_dict() for e in r.edits] for r in expected]
    assert frame["suggestions"].tolist() == [[e.to_dict() for e in r.suggestions] for r in expected]
    assert sum(map(len, frame["edits"])) >= 10
    assert frame.equals(normkit.pandas.clean_series(series, config=config))


def test_two_processes_give_the_same_frame() -> None:
    texts: list[object] = list(sentences(80, seed=11))
    texts[5] = None
    series = pd.Series(texts, dtype=object)
    one = normkit.pandas.clean_series(series)
    two = normkit.pandas.clean_series(series, n_process=2, batch_size=10)
    assert two.equals(one) and two.at[5, "text"] is None


def test_clean_frame_adds_columns_and_keeps_the_input() -> None:
    frame = pd.DataFrame({"body": ["Near the Кириshi plant.", None], "n": [1, 2]}, index=["x", "y"])
    out = normkit.pandas.clean_frame(frame, "body", lang="en")
    assert list(out.columns) == ["body", "n", "body_clean", "body_edits", "body_suggestions"]
    assert out.at["x", "body"] == "Near the Кириshi plant."  # the input column is left alone
    assert out.at["x", "body_clean"] == "Near the Kirishi plant."
    assert out["body_clean"].isna().tolist() == [False, True]


def test_a_value_that_is_not_text_is_named() -> None:
    with pytest.raises(TypeError, match="index 'q' is int, not str"):
        normkit.pandas.clean_series(pd.Series(["fine", 7], index=["p", "q"], dtype=object))


def test_the_readme_example_gives_what_its_comments_say() -> None:
    block = checked(readme_block("**pandas**"))
    assert block.count("assert (") == 3
    frame = pd.DataFrame({"body": ["Near the Кириshi plant.", None]})
    namespace: dict[str, object] = {"df": frame}
    exec(compile(block, "README.md (pandas)", "exec"), namespace)
    assert namespace["frame"].loc["a", "edits"][0]["after"] == "Cherepovets"  # type: ignore[attr-defined]
