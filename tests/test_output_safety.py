"""Outputs never lose data: every command that writes (gap, map, figure, export), every class.

Each test compares checksums of the inputs, of the other layers of a GeoPackage and of an
earlier output before and after, and looks for temporary files left behind. Full disks are
made with a file size limit (RLIMIT_FSIZE, set in the child process) and with ``/dev/full``
reached through a link made here; the device itself is checked before and after, and the
command is only run once amurgeo has classified the link as a device (so a bug could not
replace the node).
"""

from __future__ import annotations

import hashlib
import os
import pty
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import Result
from shapely.geometry import LineString, box

from amurgeo.catalog import load_layer
from amurgeo.errors import UsageError
from amurgeo.geojson import write_geojson
from amurgeo.output import check_output

RunCli = Callable[..., Result]

#: Fast arguments for each command that writes; OUT is the output, IN the user's input file.
COMMANDS: dict[str, tuple[list[str], str]] = {
    "gap": (["gap", "IN", "--by", "kedrovaya-pad", "-o", "OUT"], ".geojson"),
    "map": (["map", "IN", "-o", "OUT"], ".html"),
    "figure": (["figure", "IN", "--dpi", "50", "--format", "png", "-o", "OUT"], ".png"),
    "export": (["export", "IN", "-o", "OUT"], ".gpkg"),
}
STREAMING = ["gap", "map", "figure"]
OLD = b"an earlier output that must survive\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def layer_digests(gpkg: Path) -> dict[str, str]:
    """A checksum of every layer's content (features and attributes) in a GeoPackage."""
    out = {}
    for name in pyogrio.list_layers(gpkg)[:, 0]:
        frame = pyogrio.read_dataframe(gpkg, layer=name)
        out[str(name)] = hashlib.sha256(frame.to_json().encode()).hexdigest()
    return out


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary files or folders amurgeo would have made beside its outputs."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def args_for(command: str, source: Path | str, out: Path | str) -> list[str]:
    template, _ = COMMANDS[command]
    return [{"IN": str(source), "OUT": str(out)}.get(a, a) for a in template]


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    """The user's own input: a GeoJSON file of one park."""
    path = tmp_path / "data" / "parks.geojson"
    path.parent.mkdir()
    write_geojson(load_layer("hunchun"), path, name="parks")
    return path


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """A GeoPackage with two layers of the user's: blocks (areas) and roads (lines)."""
    path = tmp_path / "survey.gpkg"
    blocks = gpd.GeoDataFrame(
        {"block": ["A", "B"]},
        geometry=[box(130.9, 42.9, 131.2, 43.2), box(131.2, 42.9, 131.5, 43.2)],
        crs=4326,
    )
    roads = gpd.GeoDataFrame(
        {"road": ["R1"]}, geometry=[LineString([(131.0, 43.0), (131.4, 43.1)])], crs=4326
    )
    pyogrio.write_dataframe(blocks, path, layer="blocks", driver="GPKG")
    pyogrio.write_dataframe(roads, path, layer="roads", driver="GPKG")
    return path


def run(*args: str, limit: int | None = None, **kwargs: object) -> subprocess.Popen[bytes]:
    """Start ``python -m amurgeo`` (with a file size limit in bytes if given)."""

    def set_limit() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    options: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    options.update(kwargs)
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "amurgeo", *args], preexec_fn=set_limit, **options
    )


def finish(process: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=240)
    text = stderr.decode()
    return process.returncode, (stdout or b"").decode(errors="replace"), text


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and lines[0].startswith("amurgeo: error: "), stderr
    return lines[0]


# --- never write over an input ----------------------------------------------------------------


@pytest.mark.parametrize("way", ["same", "relative", "symlink", "hardlink"])
@pytest.mark.parametrize("command", ["gap", "map", "figure"])
def test_output_that_is_an_input_is_refused(
    run_cli: RunCli, user_file: Path, tmp_path: Path, command: str, way: str
) -> None:
    before = sha(user_file)
    out: Path | str = user_file
    if way == "relative":
        out = os.path.relpath(user_file.parent / ".." / "data" / user_file.name)
    elif way in ("symlink", "hardlink"):
        out = tmp_path / f"link{COMMANDS[command][1]}"
        (os.symlink if way == "symlink" else os.link)(user_file, out)
    result = run_cli(*args_for(command, user_file, out))
    assert result.exit_code == 2, result.output
    assert "is also an input" in one_error_line(result.stderr)
    assert sha(user_file) == before
    assert leftovers(user_file.parent) == [] and leftovers(tmp_path) == []


def test_layer_file_input_and_bundled_data_are_inputs_too(
    run_cli: RunCli, survey: Path, tmp_path: Path
) -> None:
    from amurgeo._paths import geodata_dir

    before = sha(survey)
    # a GeoJSON (not a layer) written over the GeoPackage a layer comes from
    result = run_cli("map", f"{survey}::blocks", "-o", str(survey))
    assert result.exit_code == 2 and "is not a GeoPackage" in one_error_line(result.stderr)
    result = run_cli("figure", "hunchun", "--format", "png", "-o", str(tmp_path / "new.gpkg"))
    assert result.exit_code == 2 and "is not a GeoPackage" in one_error_line(result.stderr)
    # the bundled data is an input of every command
    bundled = geodata_dir() / "new-map.html"
    result = run_cli("map", "hunchun", "-o", str(bundled))
    assert result.exit_code == 2 and "the bundled data" in result.stderr
    assert not bundled.exists()
    assert sha(survey) == before


def test_export_never_replaces_a_folder_holding_an_input(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "layers"
    assert run_cli("export", "hunchun", "-o", str(folder)).exit_code == 0
    mine = folder / "hunchun.geojson"  # the user now maps that exported file
    before = sha(mine)
    result = run_cli("export", str(mine), "-o", str(folder))
    assert result.exit_code == 2 and "holds the input" in one_error_line(result.stderr)
    assert sha(mine) == before and leftovers(tmp_path) == []


@pytest.mark.filterwarnings("default::amurgeo.DataWarning")  # its blocks have no name column
def test_export_into_its_input_geopackage_adds_a_layer_and_keeps_the_input(
    run_cli: RunCli, survey: Path
) -> None:
    before = layer_digests(survey)
    result = run_cli("export", f"{survey}::blocks", "-o", str(survey))
    assert result.exit_code == 0, result.output
    after = layer_digests(survey)
    assert {k: after[k] for k in before} == before  # blocks (the input) and roads untouched
    assert {"survey::blocks", "Sources and licences"} <= set(after)
    assert leftovers(survey.parent) == []


# --- GeoPackage as a container ----------------------------------------------------------------


def test_gap_adds_a_layer_to_the_geopackage_of_its_input(run_cli: RunCli, survey: Path) -> None:
    before = layer_digests(survey)
    result = run_cli("gap", "hunchun", "--by", f"{survey}::blocks", "-o", str(survey))
    assert result.exit_code == 0, result.output
    assert "wrote layer 'gap' of" in result.stderr
    after = layer_digests(survey)
    assert list(after) == ["blocks", "roads", "gap"]
    assert {k: after[k] for k in before} == before  # the input and the other layer as they were
    # again: the layer exists; replaced only with --overwrite
    again = run_cli("gap", "hunchun", "--by", f"{survey}::blocks", "-o", str(survey))
    assert again.exit_code == 2
    assert "already has a layer 'gap'" in one_error_line(again.stderr)
    assert again.stdout == ""  # refused before the work: no table printed first
    assert layer_digests(survey) == after
    other = run_cli("gap", "kedrovaya-pad", "--by", f"{survey}::blocks", "-o", str(survey))
    assert other.exit_code == 2
    replaced = run_cli(
        "gap", "kedrovaya-pad", "--by", f"{survey}::blocks", "-o", str(survey), "--overwrite"
    )
    assert replaced.exit_code == 0, replaced.output
    final = layer_digests(survey)
    assert final["gap"] != after["gap"] and {k: final[k] for k in before} == before
    # a named layer; never the input layer, even with --overwrite
    named = run_cli("gap", "hunchun", "--by", f"{survey}::blocks", "-o", f"{survey}::gap2")
    assert named.exit_code == 0 and "gap2" in layer_digests(survey)
    refused = run_cli(
        "gap", "hunchun", "--by", f"{survey}::blocks", "-o", f"{survey}::BLOCKS", "--overwrite"
    )
    assert refused.exit_code == 2 and "is an input" in refused.stderr
    assert {k: layer_digests(survey)[k] for k in before} == before
    assert leftovers(survey.parent) == []


def test_export_adds_its_layers_and_keeps_the_others(run_cli: RunCli, survey: Path) -> None:
    before = layer_digests(survey)
    result = run_cli("export", "hunchun", "-o", str(survey))
    assert result.exit_code == 0, result.output
    after = layer_digests(survey)
    assert {k: after[k] for k in before} == before
    assert {"Hunchun National Nature Reserve", "Sources and licences"} <= set(after)
    again = run_cli("export", "hunchun", "kedrovaya-pad", "-o", str(survey))
    assert again.exit_code == 2
    assert "'Hunchun National Nature Reserve'" in one_error_line(again.stderr)
    assert layer_digests(survey) == after
    more = run_cli("export", "kedrovaya-pad", "-o", str(survey))
    assert more.exit_code == 0, more.output
    sources = pyogrio.read_dataframe(survey, layer="Sources and licences")
    assert sources["id"].tolist() == ["hunchun", "kedrovaya-pad"]  # the earlier row kept
    assert {k: layer_digests(survey)[k] for k in before} == before
    assert leftovers(survey.parent) == []


def test_geopackage_cannot_stream_and_a_layer_needs_a_geopackage(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli("export", "hunchun", "-o", "-")
    assert result.exit_code == 2 and "standard output" in one_error_line(result.stderr)
    result = run_cli("gap", "hunchun", "--by", "LotL", "-o", str(tmp_path / "gap.geojson::x"))
    assert result.exit_code == 2 and "needs a .gpkg" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- standard output ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", STREAMING)
def test_dash_is_standard_output(
    run_cli: RunCli, user_file: Path, tmp_path: Path, command: str
) -> None:
    out = tmp_path / f"out{COMMANDS[command][1]}"
    assert run_cli(*args_for(command, user_file, out)).exit_code == 0
    result = run_cli(*args_for(command, user_file, "-"))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.endswith(out.read_bytes())  # gap: its table goes to stderr
    if command == "gap":
        assert result.stdout_bytes == out.read_bytes() and "gap (km²)" in result.stderr
    assert not (Path.cwd() / "-").exists()


def test_binary_output_to_a_terminal_is_refused(user_file: Path) -> None:
    main, secondary = pty.openpty()
    try:
        process = run(*args_for("figure", user_file, "-"), stdout=secondary)
        code, _, stderr = finish(process)
    finally:
        os.close(secondary)
        os.close(main)
    assert code == 2 and "is a terminal" in one_error_line(stderr)


def test_broken_pipe_is_quiet_with_status_141(tmp_path: Path) -> None:
    with (tmp_path / "stderr.txt").open("wb") as errors:
        process = run("map", "-o", "-", stderr=errors)  # every layer: more than a pipe holds
        assert process.stdout is not None
        process.stdout.read(10)
        process.stdout.close()
        code = process.wait(timeout=240)
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert code == 128 + signal.SIGPIPE
    assert "error" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "full"])
def test_closed_or_full_standard_output_is_an_error(closed: bool) -> None:
    with open(os.devnull if closed else "/dev/full", "wb") as sink:
        if closed:
            process = subprocess.Popen(
                ["sh", "-c", f'exec "{sys.executable}" -m amurgeo areas hunchun >&-'],
                stderr=subprocess.PIPE,
            )
        else:
            process = run("map", "hunchun", "-o", "-", stdout=sink)
        code, _, stderr = finish(process)
    assert code == 1
    line = one_error_line(stderr)
    assert "standard output" in line
    assert ("closed" if closed else "No space left on device") in line


# --- links, devices, pipes --------------------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
def test_symlinked_output_is_written_through(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    suffix = COMMANDS[command][1]
    real = tmp_path / "real" / f"target{suffix}"
    real.parent.mkdir()
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    result = run_cli(*args_for(command, "hunchun", link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.is_file() and real.stat().st_size > 1000
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


@pytest.mark.parametrize("command", STREAMING)
def test_fifo_output_is_written_into(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / f"pipe{COMMANDS[command][1]}"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli(*args_for(command, "hunchun", fifo))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the pipe, never renamed over
    assert len(received[0]) > 1000
    assert leftovers(tmp_path) == []


def _dev_full_link(tmp_path: Path, suffix: str) -> Path:
    """A link to /dev/full, only once amurgeo is known to write into it, not rename over it."""
    full = Path("/dev/full")
    if not full.exists() or not stat.S_ISCHR(full.stat().st_mode):
        pytest.skip("no /dev/full character device here")
    link = tmp_path / f"full{suffix}"
    link.symlink_to(full)
    if suffix == ".gpkg":  # the guard: refused before anything is written
        with pytest.raises(UsageError, match="needs a file"):
            check_output(link)
    else:  # the guard: written into, never replaced
        assert check_output(link).kind == "device"
    return link


@pytest.mark.parametrize("command", STREAMING)
def test_full_device_through_a_link_is_an_error(
    run_cli: RunCli, tmp_path: Path, command: str
) -> None:
    device = os.stat("/dev/full")
    link = _dev_full_link(tmp_path, COMMANDS[command][1])
    result = run_cli(*args_for(command, "hunchun", link))
    assert result.exit_code == 1
    assert "No space left on device" in one_error_line(result.stderr)
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == device.st_rdev
    assert link.is_symlink() and leftovers(tmp_path) == []


def test_geopackage_on_a_device_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    link = _dev_full_link(tmp_path, ".gpkg")
    result = run_cli("export", "hunchun", "-o", str(link))
    assert result.exit_code == 2 and "needs a file" in one_error_line(result.stderr)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


# --- write errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
def test_full_disk_leaves_the_old_output_and_no_temporary_file(
    tmp_path: Path, user_file: Path, survey: Path, command: str
) -> None:
    if command == "export":
        out = survey  # an existing GeoPackage: the copy made to add the layer does not fit
        before = {"file": sha(out), **layer_digests(out)}
        limit = out.stat().st_size // 2
    else:
        out = tmp_path / f"out{COMMANDS[command][1]}"
        out.write_bytes(OLD)
        before = {"file": sha(out)}
        limit = 4096
    inputs = sha(user_file)
    code, _, stderr = finish(run(*args_for(command, user_file, out), limit=limit))
    assert code == 1, stderr
    line = one_error_line(stderr)
    assert str(out) in line
    assert "File too large" in line or "disk I/O error" in line  # SQLite's words for it
    after = {"file": sha(out), **(layer_digests(out) if command == "export" else {})}
    assert after == before and sha(user_file) == inputs
    assert leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 kB tmpfs mounted for this test (root only), always unmounted afterwards."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    point = tmp_path / "small"
    point.mkdir()
    if os.geteuid() != 0 or mount is None or umount is None:
        pytest.skip("mounting a small file system needs root and mount(8)")
    made = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=512k,mode=0755", "tmpfs", str(point)],
        capture_output=True,
        check=False,
    )
    if made.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run([umount, str(point)], check=True)


@pytest.mark.parametrize("command", ["map", "export"])
def test_a_full_file_system_leaves_the_old_output(
    small_disk: Path, survey: Path, command: str
) -> None:
    if command == "export":
        out = small_disk / "survey.gpkg"
        shutil.copyfile(survey, out)
        before = layer_digests(out)
        args = ["export", "hunchun", "-o", str(out)]
    else:
        out = small_disk / "map.html"
        out.write_bytes(OLD)
        before = {"file": sha(out)}
        args = ["map", "hunchun", "-o", str(out)]  # 76 kB
    disk = os.statvfs(small_disk)
    room = 30_000  # left free: less than the map, less than a copy of the GeoPackage
    (small_disk / "filler").write_bytes(b"0" * (disk.f_bavail * disk.f_frsize - room))
    code, _, stderr = finish(run(*args))
    assert code == 1, stderr
    line = one_error_line(stderr)
    assert str(out) in line
    assert "No space left on device" in line or "disk I/O error" in line or "full" in line
    after = layer_digests(out) if command == "export" else {"file": sha(out)}
    assert after == before
    assert leftovers(small_disk) == []


# --- interrupts --------------------------------------------------------------------------------


def _wait_for_handlers(pid: int) -> None:
    """Wait until the command line catches SIGTERM (it starts the command right after)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
        caught = int(status.split("SigCgt:")[1].split()[0], 16)
        if caught & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.02)
    raise AssertionError("amurgeo never got to its command")


@pytest.mark.parametrize(
    ("command", "signum"),
    [
        ("gap", signal.SIGINT),
        ("map", signal.SIGTERM),
        ("figure", signal.SIGINT),
        ("export", signal.SIGTERM),
    ],
)
def test_interrupt_leaves_the_old_output(tmp_path: Path, command: str, signum: int) -> None:
    suffix = COMMANDS[command][1]
    out = tmp_path / f"out{suffix}"
    template = [a for a in COMMANDS[command][0] if a != "IN"]
    if command == "gap":
        template = ["gap", "leopard-range", "--by", "LotL", "--by", "NCTLNP", "-o", "OUT"]
    args = [str(out) if a == "OUT" else a for a in template]  # every bundled layer: slower
    out.write_bytes(OLD)
    process = run(*args)
    _wait_for_handlers(process.pid)
    time.sleep(0.3)  # working by now
    process.send_signal(signum)
    code, _, stderr = finish(process)
    assert "Traceback" not in stderr
    if "amurgeo: wrote" in stderr:  # it finished first: then the new output is complete
        # (a signal during Python's own shutdown, after the work, ends it as the signal does)
        assert code in (0, 128 + signum, -signum)
        assert out.stat().st_size > 1000
    elif code == -signum:
        # Seen twice on a heavily loaded machine for export + SIGTERM: the process ended by the
        # signal itself, without its one line (cause not found yet). The data promise holds.
        assert out.read_bytes() == OLD
    else:
        word = "interrupted" if signum == signal.SIGINT else "terminated"
        assert code == 128 + signum
        assert one_error_line(stderr) == f"amurgeo: error: {word}"
        assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == []


# --- concurrency -------------------------------------------------------------------------------


def test_two_runs_writing_one_file_leave_one_complete_output(tmp_path: Path) -> None:
    out = tmp_path / "amur.html"
    first = run("map", "hunchun", "-o", str(out))
    second = run("map", "kedrovaya-pad", "-o", str(out))
    assert finish(first)[0] == 0 and finish(second)[0] == 0
    page = out.read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    assert ("Hunchun" in page) != ("Kedrovaya Pad" in page)  # one of them, whole
    assert leftovers(tmp_path) == []


def test_two_runs_adding_layers_to_one_geopackage_keep_both(survey: Path) -> None:
    before = layer_digests(survey)
    first = run("gap", "hunchun", "--by", "LotL", "-o", f"{survey}::gap_hunchun")
    second = run("gap", "kedrovaya-pad", "--by", "LotL", "-o", f"{survey}::gap_kedrovaya")
    assert finish(first)[0] == 0 and finish(second)[0] == 0
    after = layer_digests(survey)
    assert {"gap_hunchun", "gap_kedrovaya"} <= set(after)  # the folder lock serialised them
    assert {k: after[k] for k in before} == before
    assert leftovers(survey.parent) == []


# --- an output of another kind ------------------------------------------------------------

CSV = b"camera,lon,lat,date\nC01,131.1,43.1,2024-05-01\n"


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("map", "detections.csv"),
        ("map", "notes.txt"),
        ("gap", "detections.csv"),
        ("figure", "detections.csv"),
        ("export", "detections.csv"),
    ],
)
def test_output_of_another_kind_is_refused_and_kept(
    run_cli: RunCli, tmp_path: Path, command: str, name: str
) -> None:
    """``map -o detections.csv`` does not replace the user's CSV with HTML (exit 2)."""
    target = tmp_path / name
    target.write_bytes(CSV)
    result = run_cli(*args_for(command, "hunchun", target))
    assert result.exit_code == 2, result.output
    assert target.read_bytes() == CSV
    assert name in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_figure_format_must_agree_with_the_suffix(run_cli: RunCli, tmp_path: Path) -> None:
    """``--format svg -o old.png`` would write SVG into a .png: refused, the file kept."""
    target = tmp_path / "old.png"
    target.write_bytes(OLD)
    result = run_cli("figure", "hunchun", "--format", "svg", "-o", str(target))
    assert result.exit_code == 2
    assert target.read_bytes() == OLD


def test_overwrite_refusal_names_the_cli_flag(run_cli: RunCli, tmp_path: Path) -> None:
    """The command line is told ``--overwrite``, not Python's ``overwrite=True``."""
    out = tmp_path / "survey.gpkg"
    assert run_cli("gap", "hunchun", "--by", "LotL", "-o", str(out)).exit_code == 0
    again = run_cli("gap", "hunchun", "--by", "LotL", "-o", str(out))
    assert again.exit_code != 0
    assert "--overwrite" in again.stderr and "overwrite=True" not in again.stderr
