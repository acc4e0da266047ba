"""The notebooks in ``notebooks/``: committed small, public API only, and run top to bottom.

Each notebook runs in a copy of ``notebooks/`` (so that its outputs land in a temporary
folder) with nbclient, on a Jupyter kernel of this very interpreter: the test writes a
``python3`` kernel spec for ``sys.executable`` and puts it first on ``JUPYTER_PATH``. The
kernel is a separate process; it runs with no network (nothing in the notebooks needs one).
Outside CI a missing nbclient or ipykernel skips these tests with the reason; with
``CI=true`` it fails.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import amurgeo

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
IDS = [p.stem for p in PATHS]

#: Outputs a committed notebook may carry (bytes of JSON): small text at most, no maps.
MAX_OUTPUT_BYTES = 20_000


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        reason = f"{module} is not installed (pip install -e '.[test]')"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"notebook test cannot run in CI: {reason}")
        pytest.skip(reason)


def _code(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_there_are_four_notebooks() -> None:
    assert IDS == ["01_overview", "02_your_own_data", "03_population", "04_camera_traps_over_time"]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_committed_notebook_is_valid_and_small(path: Path) -> None:
    _require("nbformat")
    import nbformat

    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    size = len(json.dumps(outputs))
    assert size <= MAX_OUTPUT_BYTES, f"{path.name}: {size} bytes of outputs; clear them"
    for output in outputs:
        data = output.get("data", {})
        assert "image/png" not in data and "leaflet" not in str(data.get("text/html", ""))
    assert notebook.cells[0].cell_type == "markdown"
    markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
    assert len(markdown) >= len(notebook.cells) // 3, "explain what and why between the code"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_uses_only_the_public_api_and_no_network(path: Path) -> None:
    public = set(amurgeo.__all__)
    for source in _code(path):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("amurgeo"), "use `import amurgeo`"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name == "amurgeo" or not alias.name.startswith("amurgeo")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "amurgeo"
            ):
                assert node.attr in public, f"amurgeo.{node.attr} is not public API"
        assert not re.search(r"https?://|requests|urllib|download", source)


def test_notebooks_pass_ruff() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    for args in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [ruff, *args, "notebooks"], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


# --- the sample data ----------------------------------------------------------------------------


def test_sample_data_is_what_its_script_makes(tmp_path: Path) -> None:
    script = NOTEBOOKS / "data" / "make_sample_data.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    for name in ("camera_traps.csv", "monitoring_blocks.geojson"):
        assert (tmp_path / name).read_bytes() == (NOTEBOOKS / "data" / name).read_bytes(), name


def test_camera_traps_look_like_a_survey() -> None:
    with open(NOTEBOOKS / "data" / "camera_traps.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 200 <= len(rows) <= 500
    assert {"lon", "lat", "date", "species"} <= set(rows[0])
    assert {r["species"] for r in rows} == {
        "Amur leopard",
        "Amur tiger",
        "sika deer",
        "roe deer",
        "wild boar",
    }
    dates = sorted(r["date"] for r in rows)
    assert dates[0].startswith("2023-") and dates[-1].startswith("2024-")
    import geopandas as gpd

    points = gpd.GeoDataFrame(
        rows,
        geometry=gpd.points_from_xy(
            [float(r["lon"]) for r in rows], [float(r["lat"]) for r in rows]
        ),
        crs="EPSG:4326",
    )
    inside = amurgeo.points_in_areas(points)["inside"]
    assert 0.6 < inside.mean() < 0.95  # mostly inside the parks, some outside


# --- running them -------------------------------------------------------------------------------


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ``python3`` kernel spec that runs this interpreter, first on JUPYTER_PATH."""
    _require("nbclient")
    _require("ipykernel")
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (amurgeo tests)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    from jupyter_client.kernelspec import KernelSpecManager

    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == sys.executable
    return "python3"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_runs_top_to_bottom(path: Path, kernel: str, tmp_path: Path) -> None:
    import nbclient
    import nbformat

    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, work, ignore=shutil.ignore_patterns("output", ".ipynb_checkpoints"))
    notebook = nbformat.read(work / path.name, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=600,
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the notebook shows a figure"
    if path.stem == "01_overview":
        maps = [o for o in outputs if "leaflet" in str(o.get("data", {}).get("text/html", ""))]
        assert maps, "the overview shows the map inline"
        assert (work / "output" / "amur_leopard.gpkg").is_file()
    if path.stem == "02_your_own_data":
        assert (work / "output" / "my_survey.gpkg").is_file()
    if path.stem == "03_population":
        assert (work / "output" / "population.png").is_file()
