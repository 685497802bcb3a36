"""pandas: clean a Series of texts into a DataFrame of cleaned text and edits (``normkit[pandas]``).

>>> import pandas as pd, normkit.pandas
>>> s = pd.Series(["Near the Кириshi plant.", None], index=["a", "b"], dtype=object)
>>> frame = s.normkit.clean()            # or normkit.pandas.clean_series(s)
>>> frame.loc["a", "text"], frame.loc["b", "text"] is None
('Near the Kirishi plant.', True)

The result has the Series' index and three columns: ``text`` (the cleaned text, in the Series'
own dtype), ``edits`` and ``suggestions`` (lists of :meth:`normkit.Edit.to_dict` dicts, offsets
into that row's input; :meth:`normkit.Edit.from_dict` turns one back into an Edit). A missing
value (None, NaN, ``pd.NA``) stays exactly as it was, with no edits: it is never cleaned as the
string "None" or "nan". Any other value that is not a str is a TypeError naming its index label.
Importing this module registers the ``.normkit`` Series accessor.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .parallel import DEFAULT_BATCH_SIZE

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .normalizer import Config, Options

#: The columns of :func:`clean_series`'s result.
COLUMNS = ("text", "edits", "suggestions")


def clean_series(series: pd.Series, *, config: Config | None = None, n_process: int = 1,
                 batch_size: int = DEFAULT_BATCH_SIZE, **options: Unpack[Options]) -> pd.DataFrame:
    """Clean every text of ``series``: a DataFrame (same index) of ``text``, ``edits``, ``suggestions``.

    ``config`` or keyword options (see :class:`normkit.Config`) say how; ``n_process`` > 1 cleans
    in that many worker processes (0: one per core), results identical to one process.
    """
    from .normalizer import load

    normalizer = load(config, **options)
    values = series.tolist()
    missing = series.isna().tolist()
    for label, value, absent in zip(series.index, values, missing):
        if not absent and not isinstance(value, str):
            raise TypeError(f"clean_series: the value at index {label!r} is {type(value).__name__}, not str")
    results = normalizer.clean_many((v for v, absent in zip(values, missing) if not absent),
                                    n_process=n_process, batch_size=batch_size)
    texts: list[Any] = []
    edits: list[list[dict[str, Any]]] = []
    suggestions: list[list[dict[str, Any]]] = []
    for value, absent in zip(values, missing):
        if absent:
            texts.append(value)  # the very object: None stays None, NaN NaN, pd.NA pd.NA
            edits.append([])
            suggestions.append([])
            continue
        result = next(results)
        texts.append(result.text)
        edits.append([e.to_dict() for e in result.edits])
        suggestions.append([e.to_dict() for e in result.suggestions])
    # A string dtype ("str", "string") is kept; anything else holds the texts as objects.
    dtype = series.dtype if isinstance(series.dtype, pd.StringDtype) else object
    return pd.DataFrame({"text": pd.Series(texts, index=series.index, dtype=dtype),
                         "edits": pd.Series(edits, index=series.index, dtype=object),
                         "suggestions": pd.Series(suggestions, index=series.index, dtype=object)})


def clean_frame(frame: pd.DataFrame, column: str, *, config: Config | None = None, n_process: int = 1,
                **options: Unpack[Options]) -> pd.DataFrame:
    """``frame`` with three columns added from cleaning ``frame[column]``: ``{column}_clean``,
    ``{column}_edits`` and ``{column}_suggestions`` (the input column is kept as it was)."""
    cleaned = clean_series(frame[column], config=config, n_process=n_process, **options)
    return frame.assign(**{f"{column}_{'clean' if name == 'text' else name}": cleaned[name]
                           for name in COLUMNS})


@pd.api.extensions.register_series_accessor("normkit")
class NormkitAccessor:
    """``series.normkit.clean(...)``: :func:`clean_series` on this Series."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def clean(self, config: Config | None = None, *, n_process: int = 1,
              batch_size: int = DEFAULT_BATCH_SIZE, **options: Unpack[Options]) -> pd.DataFrame:
        return clean_series(self._series, config=config, n_process=n_process, batch_size=batch_size,
                            **options)
