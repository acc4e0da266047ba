"""Bad input: every command that reads files, run against a corpus of broken files (issue 7).

Each entry of ``tests/bad_inputs/`` (plus a few made at test time: a Shapefile without its
.shx, a truncated GeoPackage, a folder ...) is given to every command that reads files. A bad
file gives one ``amurgeo: error:`` line that names the file (and the feature) and says what was
expected, exit status 1 (bad data) or 2 (bad usage), no traceback, nothing on stdout, and no
output file, not even a temporary one. Entries that can be used (a bow-tie, an unclosed ring, a
file far from the region ...) run with one ``amurgeo: warning:`` line that names them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner, Result
from shapely.geometry import Point, box

from amurgeo.cli import cli

CORPUS = Path(__file__).resolve().parent / "bad_inputs"

AREA_COMMANDS = ("areas", "overlap", "coverage", "gap")
DRAW_COMMANDS = ("map", "figure", "export")
COMMANDS = (*AREA_COMMANDS, *DRAW_COMMANDS, "observations")
#: Commands that read a CSV of points as the observation commands do.
POINT_COMMANDS = ("observations", "figure", "export")
#: Commands that write a file, and the name of that file.
OUTPUTS = {"gap": "gap.geojson", "map": "map.html", "figure": "figure.png", "export": "x.gpkg"}


@dataclass(frozen=True)
class Expect:
    """What a command does with an entry: exit status, and text of its error or warning."""

    code: int
    error: str = ""  # part of the one error line (exit status 1 or 2)
    warning: str = ""  # part of the one warning line ("" for none)


def _table(default: Expect, **overrides: Expect) -> dict[str, Expect]:
    table = dict.fromkeys(COMMANDS, default)
    for key, value in overrides.items():
        names = {"area": AREA_COMMANDS, "draw": DRAW_COMMANDS, "points": POINT_COMMANDS}.get(
            key, (key,)
        )
        table.update(dict.fromkeys(names, value))
    return table


UNREADABLE = Expect(1, "cannot read as a vector file (GeoJSON, GeoPackage, Shapefile, KML")
NO_GEOMETRY_COLUMN = Expect(1, "has no geometry column; expected points, lines or areas")
NOT_POINTS = "geometries; expected points (observations)"


def _usable(warning: str) -> dict[str, Expect]:
    """An area file that works with a warning (observations want points: an error)."""
    return _table(Expect(0, warning=warning), observations=Expect(1, NOT_POINTS, warning))


#: Every corpus entry -> what each command does with it.
CORPUS_TABLE: dict[str, dict[str, Expect]] = {
    # --- files that are not vector data at all --------------------------------------------
    "malformed.geojson": _table(Expect(1, "Unexpected state")),  # a missing comma
    "truncated.geojson": _table(Expect(1, "Unterminated object")),
    "empty.geojson": _table(Expect(1, "file is empty; expected a vector file")),
    "whitespace.geojson": _table(UNREADABLE),
    "binary_garbage.geojson": _table(UNREADABLE),
    "not_geojson.json": _table(UNREADABLE),  # valid JSON, but a list of numbers
    "truncated.kml": _table(UNREADABLE),
    "truncated.gpkg": _table(UNREADABLE),  # made at test time
    "infinite_coordinate.geojson": _table(Expect(1, "Unrecognized number: 1e999")),
    # --- features with nothing to measure or draw -----------------------------------------
    "empty_collection.geojson": _table(
        Expect(1, "has no features; expected"),
        # an empty survey is a result: 0 observations (the analysis needs an area layer)
        observations=Expect(0),
    ),
    "null_geometry.geojson": _usable("skipped 1 feature with no geometry"),
    "empty_geometry.geojson": _usable("skipped 1 feature with no geometry"),
    "only_null_geometries.geojson": _table(
        Expect(1, "none of its 2 features has a geometry (first: 'Lost park')")
    ),
    "no_geometry_member.geojson": _table(Expect(1, "none of its 1 features has a geometry")),
    "unknown_geometry_type.geojson": _table(
        Expect(1, "none of its 1 features has a geometry (first: 'Round park')")
    ),
    "flat_polygon_coordinates.geojson": _table(Expect(1, "none of its 1 features has a geom")),
    # --- points or lines where areas are needed -------------------------------------------
    "points.geojson": _table(
        Expect(0), area=Expect(1, "has no polygons (Point); expected an area layer")
    ),
    "lines.geojson": _table(
        Expect(0),
        area=Expect(1, "has no polygons (LineString); expected an area layer"),
        observations=Expect(1, NOT_POINTS),
    ),
    # --- invalid rings: repaired, with a warning that names the feature -------------------
    "bowtie.geojson": _usable("feature 'Bow park': invalid geometry (Self-intersection"),
    "hole_outside_shell.geojson": _usable("feature 'Stray hole park': invalid geometry"),
    "unclosed_ring.geojson": _usable("feature 'Open park': a polygon ring is not closed"),
    "short_ring.geojson": _table(
        Expect(
            1,
            "none of its 1 features has a usable geometry",
            "feature 'Sliver park': invalid geometry (Too few points",
        )
    ),
    # --- coordinates ------------------------------------------------------------------------
    "projected_no_crs.geojson": _table(
        Expect(1, "feature 'UTM park': coordinates (300000, 4.75e+06) are outside longitude")
    ),
    "utm_no_prj.shp": _table(Expect(1, "has no CRS and its coordinates")),  # made at test time
    "swapped_latlon.geojson": _table(
        Expect(1, "feature 'Swapped park': coordinates (43, 131.1) are outside longitude")
    ),
    "huge_numbers.geojson": _table(Expect(1, "feature 'Giant park': coordinates (1e+308, 43)")),
    "nan_coordinate.geojson": _table(
        Expect(1, "feature 'NaN park': has a coordinate that is not a finite number")
    ),
    "far_away.geojson": _usable("lies far from the Amur region (longitude 13.1 to 13.5"),
    "z_coordinates.geojson": _table(Expect(0), observations=Expect(1, NOT_POINTS)),
    # --- text encodings and tables --------------------------------------------------------
    "latin1.geojson": _usable("is not UTF-8 text (byte 0xe9 at position 1); read it as Latin-1"),
    "latin1.csv": _table(
        Expect(1, NO_GEOMETRY_COLUMN.error, "is not UTF-8 text"),
        points=Expect(0, warning="is not UTF-8 text; read as Latin-1"),
    ),
    "points_table.csv": _table(NO_GEOMETRY_COLUMN, points=Expect(0)),
    "no_coordinates.csv": _table(NO_GEOMETRY_COLUMN, points=Expect(1, "no longitude column found")),
    "text_coordinates.csv": _table(
        NO_GEOMETRY_COLUMN, points=Expect(1, "column 'lon' is not numeric")
    ),
    # --- paths ------------------------------------------------------------------------------
    "missing_shx.shp": _table(Expect(1, "its index file missing_shx.shx is missing")),
    "a_folder": _table(Expect(2, "is a folder; expected a vector file")),
    "missing.geojson": _table(Expect(2, "file does not exist")),
    "parks.gpkg::nope": _table(Expect(2, "has no layer 'nope'; its layers are: parks")),
    "no-such-layer": _table(
        Expect(2, "unknown layer 'no-such-layer'; available layers are: land-of-the-leopard"),
        observations=Expect(2, "file does not exist"),
    ),
}

#: Entries made at test time (they cannot be committed as text).
GENERATED = {
    "truncated.gpkg",
    "utm_no_prj.shp",
    "missing_shx.shp",
    "a_folder",
    "missing.geojson",
    "parks.gpkg::nope",
    "no-such-layer",
}


def test_corpus_is_complete() -> None:
    committed = {p.name for p in CORPUS.iterdir()}
    assert committed == set(CORPUS_TABLE) - GENERATED
    assert len(CORPUS_TABLE) >= 30
    assert all(set(row) == set(COMMANDS) for row in CORPUS_TABLE.values())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed corpus, copied, plus the entries that are made at test time."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in CORPUS.iterdir():
        shutil.copy(path, folder / path.name)
    parks = gpd.GeoDataFrame(
        {"name": ["Camera park"]}, geometry=[box(131.1, 43.0, 131.4, 43.2)], crs="EPSG:4326"
    )
    parks.to_file(folder / "parks.gpkg", layer="parks", engine="pyogrio")
    data = (folder / "parks.gpkg").read_bytes()
    (folder / "truncated.gpkg").write_bytes(data[: len(data) // 3])
    parks.to_crs(32652).to_file(folder / "utm_no_prj.shp", engine="pyogrio")
    (folder / "utm_no_prj.prj").unlink()
    points = gpd.GeoDataFrame({"name": ["cam"]}, geometry=[Point(131.2, 43.1)], crs=4326)
    points.to_file(folder / "missing_shx.shp", engine="pyogrio")
    (folder / "missing_shx.shx").unlink()
    (folder / "a_folder").mkdir()
    (folder / "a_folder" / "notes.txt").write_text("not a layer", encoding="utf-8")
    return folder


def _source(corpus: Path, entry: str) -> str:
    return entry if entry == "no-such-layer" else str(corpus / entry)


def _args(command: str, source: str, out: Path) -> list[str]:
    target = str(out / OUTPUTS.get(command, ""))
    return {
        "areas": ["areas", source],
        "overlap": ["overlap", source, "hunchun"],
        "coverage": ["coverage", source, "--by", "hunchun"],
        "gap": ["gap", "leopard-range", "--by", source, "-o", target],
        "map": ["map", source, "-o", target],
        "figure": ["figure", source, "-o", target, "--dpi", "50", "--width", "4"],
        "export": ["export", source, "-o", target],
        "observations": ["observations", source],
    }[command]


def invoke(*args: str) -> Result:
    """Run the CLI in-process as a user would (exceptions become exit status and stderr)."""
    return CliRunner().invoke(cli, list(args))


def leftovers(folder: Path) -> list[str]:
    """Files in `folder`, temporary ones (``.NAME.*``) included."""
    return sorted(p.name for p in folder.iterdir())


def check_error(result: Result, code: int, *parts: str) -> str:
    """Assert one error line with `parts`, exit status `code`, no traceback, empty stdout."""
    assert result.exit_code == code, (result.exit_code, result.stderr, result.stdout)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("amurgeo: error:")]
    assert len(errors) == 1, result.stderr
    assert lines[-1] == errors[0], "the error is the last line"
    assert all(line.startswith(("amurgeo: error:", "amurgeo: warning:")) for line in lines)
    assert "unexpected" not in errors[0], errors[0]
    for part in parts:
        assert part in errors[0], (part, errors[0])
    return errors[0]


@pytest.mark.filterwarnings("always")
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("entry", sorted(CORPUS_TABLE))
def test_every_command_on_every_bad_input(
    corpus: Path, tmp_path: Path, entry: str, command: str
) -> None:
    expect = CORPUS_TABLE[entry][command]
    out = tmp_path / "out"
    out.mkdir()
    result = invoke(*_args(command, _source(corpus, entry), out))
    name = entry.partition("::")[0]
    stem = Path(name).stem
    warnings = [line for line in result.stderr.splitlines() if "amurgeo: warning:" in line]
    if expect.warning:
        assert len(warnings) == 1, result.stderr
        assert expect.warning in warnings[0] and stem in warnings[0], warnings[0]
    else:
        assert warnings == [], result.stderr
    if expect.code:
        line = check_error(result, expect.code, expect.error)
        # the file by its name (a path), or the layer id; the folder for a folder
        assert name in line, line
        assert leftovers(out) == [], "no output and no temporary file"
        return
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "error" not in result.stderr
    if command in OUTPUTS:
        assert leftovers(out) == [OUTPUTS[command]]
    else:
        assert result.stdout.strip()


# --- output paths ---------------------------------------------------------------------------

OUTPUT_COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "gap": lambda out: ["gap", "leopard-range", "--by", "LotL", "-o", out],
    "map": lambda out: ["map", "hunchun", "-o", out],
    "figure": lambda out: ["figure", "hunchun", "-o", out],
    "export": lambda out: ["export", "hunchun", "-o", out],
}
_SUFFIX = {"gap": ".geojson", "map": ".html", "figure": ".png", "export": ".gpkg"}


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_missing_output_folder_is_a_usage_error(tmp_path: Path, command: str) -> None:
    target = tmp_path / "no" / "such" / f"out{_SUFFIX[command]}"
    line = check_error(invoke(*OUTPUT_COMMANDS[command](str(target))), 2, "does not exist")
    assert str(tmp_path / "no" / "such") in line
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_output_that_is_a_folder_is_a_usage_error(tmp_path: Path, command: str) -> None:
    target = tmp_path / f"taken{_SUFFIX[command]}"
    (target / "inside").mkdir(parents=True)
    (target / "inside" / "keep.txt").write_text("mine", encoding="utf-8")
    result = invoke(*OUTPUT_COMMANDS[command](str(target)))
    assert result.exit_code == 2, result.stderr
    check_error(result, 2, f"taken{_SUFFIX[command]}")
    assert (target / "inside" / "keep.txt").read_text(encoding="utf-8") == "mine"


@pytest.fixture
def unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder nobody may write in (root may write anywhere, so creating files fails too)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        import tempfile

        real_access, real_mkstemp = os.access, tempfile.mkstemp

        def access(path: object, mode: int, **kwargs: object) -> bool:
            if Path(str(path)) == folder and mode & os.W_OK:
                return False
            return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

        def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
            if Path(str(kwargs.get("dir"))) == folder:
                raise PermissionError(13, "Permission denied")
            return real_mkstemp(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_unwritable_output_folder_is_a_usage_error(unwritable: Path, command: str) -> None:
    target = unwritable / f"out{_SUFFIX[command]}"
    check_error(invoke(*OUTPUT_COMMANDS[command](str(target))), 2, "is not writable", "locked")
    assert leftovers(unwritable) == []


def test_folder_that_cannot_take_a_temporary_file_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file system passes os.access for root, then fails on the first write."""
    import tempfile

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = invoke("map", "hunchun", "-o", str(tmp_path / "map.html"))
    check_error(result, 2, "is not writable (Read-only file system)")
    assert leftovers(tmp_path) == []


@pytest.mark.filterwarnings("always")
@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_a_bad_input_leaves_an_earlier_output_as_it_was(
    corpus: Path, tmp_path: Path, command: str
) -> None:
    target = tmp_path / f"out{_SUFFIX[command]}"
    target.write_bytes(b"earlier output")
    args = OUTPUT_COMMANDS[command](str(target))
    args = [str(corpus / "truncated.geojson") if a in ("LotL", "hunchun") else a for a in args]
    check_error(invoke(*args), 1, "truncated.geojson")
    assert target.read_bytes() == b"earlier output"
    assert leftovers(tmp_path) == [target.name]


@pytest.mark.parametrize("command", ["gap", "map"])
def test_a_failure_while_writing_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """The disk fills up half-way: the earlier file stays, the temporary file goes."""
    target = tmp_path / f"out{_SUFFIX[command]}"
    target.write_bytes(b"earlier output")
    real_write_text, real_write_bytes = Path.write_text, Path.write_bytes

    def half(self: Path, data: str | bytes, *args: object, **kwargs: object) -> int:
        if self.name.startswith(f".{target.name}."):
            real_write_bytes(self, (data.encode() if isinstance(data, str) else data)[:100])
            raise OSError(28, "No space left on device")
        writer = real_write_text if isinstance(data, str) else real_write_bytes
        return writer(self, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", half)
    monkeypatch.setattr(Path, "write_bytes", half)
    result = invoke(*OUTPUT_COMMANDS[command](str(target)))
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert target.read_bytes() == b"earlier output"
    assert leftovers(tmp_path) == [target.name]


def test_debug_shows_the_traceback_of_a_bad_input(corpus: Path) -> None:
    result = invoke("--debug", "areas", str(corpus / "nan_coordinate.geojson"))
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "NaN park" in result.stderr
