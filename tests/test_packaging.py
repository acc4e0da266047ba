"""The installed package carries geodata/ (without its sources): a wheel lists every layer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from amurgeo.catalog import catalog_entries

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_carries_geodata_and_cli_lists_layers(tmp_path: Path) -> None:
    """Build a wheel (no build isolation, no network), install it in a fresh venv, run it."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
        env={**os.environ, "PIP_NO_INDEX": "1"},
    )
    (wheel,) = wheel_dir.glob("amurgeo-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for entry in catalog_entries():
        assert f"amurgeo/geodata/{entry['file']}" in names
    assert "amurgeo/geodata/catalog.json" in names
    assert "amurgeo/geodata/population.csv" in names and "amurgeo/geodata/towns.csv" in names
    # the files the layers are built from are for a checkout, not for users (2.9 MB)
    assert not [n for n in names if n.startswith("amurgeo/geodata/sources/")]
    assert "amurgeo/py.typed" in names

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The unpacked wheel comes first on the path, ahead of this checkout's editable install.
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-m", "amurgeo", "layers", "--format", "json"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    listed = [r["id"] for r in json.loads(out.stdout)]
    assert listed == [e["id"] for e in catalog_entries()]
    where = subprocess.run(
        [sys.executable, "-c", "import amurgeo._paths as p; print(p.geodata_dir())"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    assert where.startswith(str(target)), "the installed copy of geodata must be used"
