"""normkit.spark on Spark local[2]: the struct column holds what serial clean() gives, nulls kept,
and each Python worker keeps one Normalizer across tasks. Spark needs a Java runtime: without one
the tests skip, except under CI (CI=true), where they fail."""
from __future__ import annotations

import os
import shutil
import sys
from typing import Any, Iterator

import pytest

if shutil.which("java") is None and not os.environ.get("CI"):
    pytest.skip("Spark needs a Java runtime (java is not on PATH; .ci/run installs default-jre-headless)",
                allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

import normkit  # noqa: E402
import normkit.spark  # noqa: E402
from parallel_helpers import readme_block, sentences  # noqa: E402

CONFIG = normkit.Config(min_confidence=0.6)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    assert shutil.which("java"), "Spark needs java: install default-jre-headless (.ci/run does)"
    # Python workers run this interpreter; everything stays on loopback; no UI, no progress bars.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (SparkSession.builder.master("local[2]").appName("normkit-tests")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_struct_column_is_serial_clean_with_nulls_kept(spark: SparkSession) -> None:
    texts: list[str | None] = list(sentences(120, seed=31))
    texts[9] = None
    frame = spark.createDataFrame(list(enumerate(texts)), "id int, body string").repartition(6)
    config = CONFIG  # a local: the probe is shipped by value (this test module is not importable there)

    def normalizer_ids(_: Iterator[Any]) -> Iterator[tuple[int, int]]:
        yield os.getpid(), id(normkit.load(config))

    probe = spark.sparkContext.parallelize(range(8), 8)
    before = dict(probe.mapPartitions(normalizer_ids).collect())
    out = normkit.spark.clean_column(frame, "body", CONFIG)
    assert out.schema["normkit"].dataType.simpleString() == normkit.spark.RESULT_TYPE
    rows = {row.id: row.normkit for row in out.collect()}
    assert rows[9].text is None and rows[9].edits == [] and rows[9].suggestions == []
    edits = 0
    for i, text in enumerate(texts):
        if text is None:
            continue
        expected = normkit.clean(text, CONFIG)
        got = rows[i]
        assert got.text == expected.text
        assert [e.asDict() for e in got.edits] == [e.to_dict() for e in expected.edits]
        assert [e.asDict() for e in got.suggestions] == [e.to_dict() for e in expected.suggestions]
        edits += len(got.edits)
    assert edits >= 10
    # Spark reuses its Python workers, and each keeps the Normalizer the cleaning used.
    after = dict(probe.mapPartitions(normalizer_ids).collect())
    assert set(after) <= set(before) and all(after[pid] == before[pid] for pid in after)
    assert os.getpid() not in after


def test_udf_under_a_name_of_ones_choosing(spark: SparkSession) -> None:
    frame = spark.createDataFrame([("Smoke rose over Черепoвец on Monday.",)], "body string")
    udf = normkit.spark.clean_udf(lang="en")
    [row] = frame.select(udf("body").alias("cleaned")).collect()
    assert row.cleaned.text == "Smoke rose over Cherepovets on Monday."
    assert row.cleaned.edits[0].before == "Черепoвец" and row.cleaned.edits[0].start == 16


def test_the_readme_example_on_this_session(spark: SparkSession, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(readme_block("**Spark**"), "README.md (Spark)", "exec"), namespace)
    assert namespace["spark"] is spark  # getOrCreate() gave this module's session
    rows = namespace["out"].select("normkit.text", "normkit.edits").collect()
    assert rows[0].text == "Smoke rose over Cherepovets." and rows[0].edits[0].before == "Черепoвец"
    assert rows[1].text is None and rows[1].edits == []
    assert "Smoke rose over Cherepovets." in capsys.readouterr().out  # what .show() printed
