"""Partitioned observations: pieces, local processes, a real dask.distributed cluster, URLs.

The cluster tests start a scheduler and two single-threaded worker processes on loopback
(``LocalCluster``, no dashboard) once per module and stop them at the end: a few seconds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from amurgeo import _pieces as pieces
from amurgeo.errors import DataError, UsageError


def _rows(frame: pd.DataFrame, shared: Any) -> dict[str, float]:
    return {"rows": len(frame), "lon": float(frame["lon"].sum()) * shared}


def _add(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: a[k] + b[k] for k in a}


def observations(count: int, seed: int) -> pd.DataFrame:
    """Detections around camera stations in Primorye and Jilin, 3 species, some bad rows."""
    rng = np.random.default_rng(seed)
    stations = rng.integers(0, 60, count)
    slon = rng.uniform(129.8, 132.2, 60)
    slat = rng.uniform(42.4, 44.4, 60)
    frame = pd.DataFrame(
        {
            "lon": slon[stations] + rng.normal(0, 0.02, count),
            "lat": slat[stations] + rng.normal(0, 0.02, count),
            "species": rng.choice(["Amur leopard", "Amur tiger", "Sika deer"], count),
        }
    )
    frame.loc[::97, "lon"] = np.nan  # a missing fix now and then
    return frame


def write_partitions(folder: Path, frame: pd.DataFrame, parts: int) -> Path:
    """`frame` as hive folders ``year=...`` of `parts` Parquet files."""
    for index, rows in enumerate(np.array_split(np.arange(len(frame)), parts)):
        chunk = frame.iloc[rows]
        year = folder / f"year={2019 + index % 3}"
        year.mkdir(parents=True, exist_ok=True)
        chunk.to_parquet(year / f"part-{index:03d}.parquet", index=False)
    (folder / "_SUCCESS").write_text("")  # as Spark leaves it
    return folder


# --- the piece runner ------------------------------------------------------------------------


def test_folder_pieces_carry_hive_columns(tmp_path: Path) -> None:
    folder = write_partitions(tmp_path / "obs", observations(3_000, 1), 6)
    source = pieces.open_source(folder)
    assert len(source.files) == 6 and source.rows == 3_000
    assert "year" in source.columns and source.geometry is None
    years = {dict(p.partition)["year"] for p in source.files}
    assert years == {2019, 2020, 2021}
    frame = next(pieces.read_batches(source, source.files[0], ["lon", "year"]))
    assert list(frame.columns) == ["lon", "year"] and set(frame["year"]) == {2019}


def test_one_file_is_split_into_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "big.parquet"
    observations(5_000, 2).to_parquet(path, index=False, row_group_size=1_000)
    source = pieces.open_source(path)
    assert len(source.pieces()) == 1
    assert [p.row_groups for p in source.pieces(split_below=4)] == [(g,) for g in range(5)]
    result = pieces.run(source, _rows, _add, columns=["lon"], shared=1.0, workers=1)
    assert result is not None and result["rows"] == 5_000


def test_batches_bound_what_is_read_at_once(tmp_path: Path) -> None:
    folder = write_partitions(tmp_path / "obs", observations(4_000, 3), 2)
    source = pieces.open_source(folder)
    sizes = [len(b) for p in source.files for b in pieces.read_batches(source, p, ["lon"], 500)]
    assert max(sizes) == 500 and sum(sizes) == 4_000


def test_memory_url_and_storage_options(tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    frame = observations(2_000, 4)
    for index, rows in enumerate(np.array_split(np.arange(len(frame)), 4)):
        chunk = frame.iloc[rows]
        with memory.open(f"/amurgeo-test/obs/site=x/part-{index}.parquet", "wb") as handle:
            chunk.to_parquet(handle, index=False)
    try:
        source = pieces.open_source("memory://amurgeo-test/obs", storage_options={})
        assert len(source.files) == 4 and "site" in source.columns
        result = pieces.run(source, _rows, _add, columns=["lon"], shared=2.0, workers=1)
        assert result == {"rows": 2_000, "lon": pytest.approx(2 * frame["lon"].sum())}
    finally:
        memory.rm("/amurgeo-test", recursive=True)


def test_missing_backend_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fsspec")
    monkeypatch.setitem(sys.modules, "s3fs", None)  # as if not installed
    with pytest.raises(UsageError, match=r"s3fs.*amurgeo\[s3\]"):
        pieces.open_source("s3://some-bucket/observations/")


def test_storage_options_need_a_url(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="storage options are only for URLs"):
        pieces.open_source(tmp_path, storage_options={"anon": True})


def test_folder_without_parquet_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no data here")
    with pytest.raises(DataError, match="holds no Parquet files"):
        pieces.open_source(tmp_path)


@pytest.mark.parametrize("workers", [0, -2, 1.5, True])
def test_bad_worker_counts_are_usage_errors(tmp_path: Path, workers: Any) -> None:
    folder = write_partitions(tmp_path / "obs", observations(100, 5), 2)
    source = pieces.open_source(folder)
    with pytest.raises(UsageError, match="workers"):
        pieces.run(source, _rows, _add, columns=["lon"], shared=1.0, workers=workers)


def test_scheduler_that_is_not_there_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(pieces, "CONNECT_TIMEOUT_S", 1.0)
    folder = write_partitions(tmp_path / "obs", observations(100, 6), 2)
    source = pieces.open_source(folder)
    with pytest.raises(UsageError, match="cannot connect"):
        pieces.run(source, _rows, _add, columns=["lon"], scheduler="tcp://127.0.0.1:9", shared=1.0)


# --- a real dask.distributed cluster on loopback ---------------------------------------------


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """The address of a scheduler with two single-threaded worker processes on 127.0.0.1."""
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed not installed: amurgeo[dask]"
    )
    with distributed.LocalCluster(
        host="127.0.0.1",
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        worker_dashboard_address=None,
        silence_logs=50,
    ) as cluster:
        yield str(cluster.scheduler_address)


def test_cluster_fixture_has_two_workers(dask_scheduler: str) -> None:
    import distributed

    with distributed.Client(dask_scheduler, set_as_default=False) as client:
        assert len(client.nthreads()) == 2
        assert all(a.startswith("tcp://127.0.0.1:") for a in client.nthreads())
        pids = client.run(os.getpid)
        assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
