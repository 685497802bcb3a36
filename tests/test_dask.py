"""normkit.dask on a LocalCluster of two worker processes: results identical to serial clean(),
and each worker keeps one Normalizer across partitions and computations."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from dask.distributed import Client, LocalCluster

import normkit
import normkit.dask
from parallel_helpers import readme_block, sentences

CONFIG = normkit.Config(min_confidence=0.6)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    # Loopback only, no dashboard; workers inherit PYTHONPATH and NORMKIT_* from this process.
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def _normalizer_id(config: normkit.Config) -> tuple[int, int]:
    return os.getpid(), id(normkit.load(config))


def test_bag_is_serial_clean_in_order(client: Client) -> None:
    texts: list[str | None] = list(sentences(120, seed=21))
    texts[17] = None
    serial = [None if t is None else normkit.clean(t, CONFIG) for t in texts]
    bag = db.from_sequence(texts, npartitions=12)
    before = client.run(_normalizer_id, CONFIG)
    results = normkit.dask.clean_bag(bag, CONFIG).compute()
    assert results == serial
    assert sum(len(r.edits) for r in results if r) >= 10
    # Keyword options build the same Config.
    assert normkit.dask.clean_bag(bag, min_confidence=0.6).compute() == serial
    # Two worker processes did the work, each with one Normalizer it kept for all 24 partitions.
    after = client.run(_normalizer_id, CONFIG)
    assert len({pid for pid, _ in after.values()}) == 2 and os.getpid() not in {pid for pid, _ in after.values()}
    assert after == before


def test_dataframe_is_serial_clean_with_missing_values_kept(client: Client) -> None:
    texts: list[str | None] = list(sentences(100, seed=22))
    texts[3] = None
    frame = pd.DataFrame({"body": texts, "n": range(100)}, index=pd.RangeIndex(500, 600))
    result = normkit.dask.clean_dataframe(dd.from_pandas(frame, npartitions=6), "body", CONFIG).compute()
    assert list(result.index) == list(frame.index)
    assert list(result.columns) == ["body", "n", "body_clean", "body_edits", "body_suggestions"]
    expected = [normkit.clean(t, CONFIG) for t in texts if t is not None]
    kept = result.drop(index=503)
    assert kept["body_clean"].tolist() == [r.text for r in expected]
    assert kept["body_edits"].tolist() == [[e.to_dict() for e in r.edits] for r in expected]
    assert kept["body_suggestions"].tolist() == [[e.to_dict() for e in r.suggestions] for r in expected]
    assert pd.isna(result.at[503, "body_clean"]) and result.at[503, "body_edits"] == []


def test_the_readme_example_on_this_cluster(client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    block = readme_block("**Dask**")
    own_client = "client = Client(n_workers=2, threads_per_worker=1)"
    assert own_client in block
    monkeypatch.chdir(tmp_path)
    lines = ["Near the Кириshi plant.", "Smoke rose over Черепoвец.", "Nothing to fix here."]
    for i in range(2):
        Path(f"news-{i}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pd.DataFrame({"body": lines + [None]}).to_parquet("news.parquet")
    namespace: dict[str, object] = {"_client": client}
    exec(compile(block.replace(own_client, "client = _client"), "README.md (Dask)", "exec"), namespace)
    written = sorted(Path("clean").glob("*.txt"))
    assert len(written) == 2
    for path in written:
        assert path.read_text(encoding="utf-8").splitlines() == [normkit.clean(x, lang="en").text for x in lines]
    frame = namespace["ddf"].compute()  # type: ignore[attr-defined]
    assert frame["body_clean"].tolist()[:3] == [normkit.clean(x).text for x in lines]
