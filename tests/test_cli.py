"""The command line's shared behaviour and the ``layers`` command, run in-process."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import amurgeo
from amurgeo.catalog import catalog_entries

RunCli = Callable[..., Result]


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert amurgeo.__version__ in result.stdout


def test_help_has_an_example(run_cli: RunCli) -> None:
    for args in (["--help"], ["layers", "--help"]):
        result = run_cli(*args)
        assert result.exit_code == 0
        assert "Example" in result.stdout


def test_layers_json(run_cli: RunCli) -> None:
    result = run_cli("layers", "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == [e["id"] for e in catalog_entries()]
    for record in records:
        for key in ("id", "title", "kind", "geometry_type", "feature_count", "source"):
            assert record[key] not in (None, ""), key
        assert all(not isinstance(v, (dict, list)) for v in record.values()), "flat records"


def test_layers_csv(run_cli: RunCli) -> None:
    result = run_cli("layers", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["id"] for r in rows} == {e["id"] for e in catalog_entries()}
    assert all(int(r["feature_count"]) > 0 for r in rows)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_layers_table_and_markdown(run_cli: RunCli, fmt: str) -> None:
    result = run_cli("layers", "--format", fmt)
    assert result.exit_code == 0
    for entry in catalog_entries():
        assert entry["id"] in result.stdout


def test_bad_usage_is_one_line_exit_2(run_cli: RunCli) -> None:
    for args in (["layers", "--format", "xml"], ["no-such-command"], ["layers", "--bogus"]):
        result = run_cli(*args)
        assert result.exit_code == 2, args
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("amurgeo: error:"), result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["--since", "--until"])
@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "last year", "03/05/2021"])
def test_bad_since_until_is_one_line_usage_error(
    run_cli: RunCli, tmp_path: Path, option: str, value: str
) -> None:
    path = tmp_path / "det.csv"
    path.write_text("lon,lat,date\n131.5,43.1,2024-01-05\n", encoding="utf-8")
    result = run_cli("observations", str(path), option, value)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"amurgeo: error: {option} {value!r} is not a date; expected YYYY, YYYY-MM or "
        "YYYY-MM-DD (or a date-time such as 2021-05-03T14:00)"
    ]


@pytest.mark.parametrize(
    "bounds", [["--since", "2024", "--until", "2023"], ["--until", "2023-05", "--since", "2023-06"]]
)
def test_a_window_holding_no_time_is_refused(
    run_cli: RunCli, tmp_path: Path, bounds: list[str]
) -> None:
    """--since after --until, in either order on the command line: exit 2 before any reading."""
    path = tmp_path / "det.csv"
    path.write_text("lon,lat,date\n131.5,43.1,2024-01-05\n", encoding="utf-8")
    result = run_cli("observations", str(path), *bounds)
    assert result.exit_code == 2 and result.stdout == ""
    since, until = bounds[bounds.index("--since") + 1], bounds[bounds.index("--until") + 1]
    assert result.stderr.strip().splitlines() == [
        f"amurgeo: error: --since {since!r} is after --until {until!r}: no time lies in that window"
    ]


def test_cli_choices_match_the_library_constants() -> None:
    """Choices the CLI cannot import without slowing start-up are checked against the library."""
    from amurgeo.cli.main import cli
    from amurgeo.export import EXPORT_FORMATS
    from amurgeo.figures import FIGURE_FORMATS
    from amurgeo.maps.i18n import LANGS
    from amurgeo.measure import UNITS

    def choices(command: str, option: str) -> list[str]:
        params = {p.name: p for p in cli.commands[command].params}  # type: ignore[attr-defined]
        return list(params[option].type.choices)

    assert choices("map", "lang") == list(LANGS)
    assert choices("figure", "image_format") == [s.lstrip(".") for s in FIGURE_FORMATS]
    assert choices("export", "fmt") == list(EXPORT_FORMATS)
    assert choices("areas", "units") == list(UNITS)
