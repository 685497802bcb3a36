"""Spark: clean a string column into a struct of cleaned text and edits (``normkit[spark]``).

    from pyspark.sql import SparkSession
    import normkit.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = spark.createDataFrame([("Near the Кириshi plant.",), (None,)], "body string")
    out = normkit.spark.clean_column(df, "body", lang="en")     # adds the struct column "normkit"
    out.select("normkit.text", "normkit.edits").show(truncate=False)

The column (:data:`RESULT_TYPE`, a Spark DDL type)::

    struct<text: string,                 -- the cleaned text; null where the input was null
           edits: array<EDIT>,           -- applied, in order; offsets into that row's input
           suggestions: array<EDIT>>     -- found but not applied (below min_confidence)
    EDIT = struct<start: int, end: int, before: string, after: string,
                  kind: string, confidence: double, reason: string,
                  entity_id: string, canonical_latin: string, canonical_cyrillic: string>
                  -- the last three: the gazetteer entry of a name edit (null for script repairs)

(``start``/``end`` count code points, as :class:`normkit.Edit` does.) The work is a pandas UDF over
batches of rows: only the :class:`normkit.Config` is shipped, and each executor's Python worker
builds its :class:`normkit.Normalizer` once (:func:`normkit.load` keeps one per Config in a
process, and Spark reuses its Python workers), then cleans every batch it is given with it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import pandas as pd
from pyspark.sql import Column, DataFrame
from pyspark.sql.functions import col
from pyspark.sql.pandas.functions import pandas_udf

from .normalizer import Config

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .normalizer import Options

#: One edit, as :meth:`normkit.Edit.to_dict` writes it.
EDIT_TYPE = ("struct<start:int,end:int,before:string,after:string,kind:string,"
             "confidence:double,reason:string,entity_id:string,canonical_latin:string,"
             "canonical_cyrillic:string>")
#: What :func:`clean_udf` returns for each row.
RESULT_TYPE = f"struct<text:string,edits:array<{EDIT_TYPE}>,suggestions:array<{EDIT_TYPE}>>"
DEFAULT_COLUMN = "normkit"


def clean_udf(config: Config | None = None, **options: Unpack[Options]) -> Any:
    """A pandas UDF that cleans a string column into a :data:`RESULT_TYPE` struct:
    ``df.withColumn("normkit", clean_udf(lang="en")("body"))``."""
    config = (config or Config()).with_options(**dict(options))

    def normkit_clean(batches: Iterator[pd.Series]) -> Iterator[pd.DataFrame]:
        for texts in batches:
            yield _clean_batch(texts, config)

    # pyspark's overloads do not cover an iterator-of-Series UDF whose hints name pandas types.
    return pandas_udf(normkit_clean, RESULT_TYPE)  # type: ignore[call-overload]


def clean_column(frame: DataFrame, column: str, config: Config | None = None, *,
                 output: str = DEFAULT_COLUMN, **options: Unpack[Options]) -> DataFrame:
    """``frame`` with the struct column ``output`` (:data:`RESULT_TYPE`) cleaned from ``column``."""
    udf = clean_udf(config, **options)
    result: Column = udf(col(column))
    return frame.withColumn(output, result)


def _clean_batch(texts: pd.Series, config: Config) -> pd.DataFrame:
    """On the executor: one Arrow batch of texts as a frame of the struct's fields."""
    from .pandas import clean_series

    cleaned = clean_series(texts, config=config)
    # A null arrives as None or NaN; Arrow writes None as null, so every missing text leaves as None.
    text = [t if isinstance(t, str) else None for t in cleaned["text"]]
    return pd.DataFrame({"text": text, "edits": cleaned["edits"], "suggestions": cleaned["suggestions"]})
