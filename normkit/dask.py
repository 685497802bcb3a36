"""Dask: clean a bag of texts or a dataframe column on a cluster (``normkit[dask]``).

    from dask.distributed import Client
    import dask.bag as db, normkit.dask

    client = Client()                                     # or a LocalCluster, or a real cluster
    bag = db.from_sequence(["Near the Кириshi plant.", "В Москвa дождь."], npartitions=2)
    normkit.dask.clean_bag(bag, lang="en").map(lambda r: r.text).compute()
    normkit.dask.clean_dataframe(ddf, "body").compute()   # adds body_clean, body_edits, body_suggestions

Only the :class:`normkit.Config` (a few fields) travels in the task graph. A worker process
builds its :class:`normkit.Normalizer` the first time a task needs it and keeps it for every later
partition and computation: :func:`normkit.load` holds one Normalizer per Config in each process.
Results are those of ``normkit.load(config).clean(text)`` in one process, partition by partition.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas as pd
    from typing_extensions import Unpack

    from .normalizer import Options

from .normalizer import Config
from .types import CleanResult


def _config(config: Config | None, options: dict[str, Any]) -> Config:
    return (config or Config()).with_options(**options)


def clean_bag(bag: "dask.bag.Bag", config: Config | None = None,
              **options: "Unpack[Options]") -> "dask.bag.Bag":
    """A bag of :class:`normkit.CleanResult`, one per text of ``bag``, in the bag's order; a None
    in the bag stays None. ``config`` or keyword options (see :class:`normkit.Config`) say how."""
    # dask's map_partitions is untyped: called through Any, its result named for what it is.
    return cast("dask.bag.Bag", cast(Any, bag).map_partitions(_clean_texts, _config(config, dict(options))))


def clean_dataframe(frame: "dask.dataframe.DataFrame", column: str, config: Config | None = None,
                    **options: "Unpack[Options]") -> "dask.dataframe.DataFrame":
    """``frame`` with ``{column}_clean``, ``{column}_edits`` and ``{column}_suggestions`` added
    (see :func:`normkit.pandas.clean_frame`: missing values are kept, edits are dicts)."""
    from .pandas import clean_frame

    config = _config(config, dict(options))
    meta = clean_frame(frame._meta, column, config=config)  # an empty frame: nothing is built
    return cast("dask.dataframe.DataFrame",
                cast(Any, frame).map_partitions(_clean_partition, column, config, meta=meta))


def _clean_texts(texts: Any, config: Config) -> list[CleanResult | None]:
    from .normalizer import load

    normalizer = load(config)  # this process's Normalizer for the Config: built once, then reused
    return [None if text is None else normalizer.clean(text) for text in texts]


def _clean_partition(partition: "pd.DataFrame", column: str, config: Config) -> "pd.DataFrame":
    from .pandas import clean_frame

    return clean_frame(partition, column, config=config)
