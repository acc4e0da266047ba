"""A bounded, seeded fuzz run of the file loaders (issue 7), cheap enough for every CI run.

Valid GeoJSON and CSV bytes are mutated (truncated, bytes flipped, junk inserted, keys
duplicated, numbers made huge, NaN or text, geometry types swapped, brackets dropped ...).
Every case must either load or raise amurgeo's DataError or UsageError: never another
exception, and never a warning that is not amurgeo's own one-line UserWarning. What loads must
also go through the area analysis the same way. ``AMURGEO_FUZZ_CASES`` and
``AMURGEO_FUZZ_SEED`` make a longer or different run.
"""

from __future__ import annotations

import json
import os
import random
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from amurgeo.analysis import area_table
from amurgeo.errors import DataError, UsageError
from amurgeo.io import read_vector
from amurgeo.observations import read_observations

CASES = int(os.environ.get("AMURGEO_FUZZ_CASES", "200"))
SEED = int(os.environ.get("AMURGEO_FUZZ_SEED", "20261121"))

_RING = [[131.1, 43.0], [131.4, 43.0], [131.4, 43.2], [131.1, 43.2], [131.1, 43.0]]
VALID_GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Park", "reported_area_km2": 540, "iso3": "RUS"},
                "geometry": {"type": "Polygon", "coordinates": [_RING]},
            },
            {
                "type": "Feature",
                "properties": {"name": "Camera", "boundary_uncertainty_km": 1.5},
                "geometry": {"type": "Point", "coordinates": [131.2, 43.1]},
            },
            {
                "type": "Feature",
                "properties": {"name": "Reserve", "boundary_uncertainty_km": 2},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[131.5, 43.3], [131.7, 43.3], [131.6, 43.5], [131.5, 43.3]]]],
                },
            },
        ],
    },
    indent=1,
).encode("utf-8")
VALID_CSV = (
    b"lon,lat,species,date\n"
    b"131.2,43.1,Amur leopard,2024-01-02\n"
    b"131.35,43.05,Amur tiger,2024-02-03\n"
    b"130.9,42.8,amur-leopard,2024-03-04\n"
)

_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
_JUNK = [b"\x00", b"\xff\xfe", b"{", b"]", b",", b'"', b"\\", b"NaN", b"\xe9", b"\n", b"\t", b";"]
_TYPES = [b"Point", b"LineString", b"Polygon", b"MultiPolygon", b"GeometryCollection", b"Circle"]
_NUMBERS = [b"1e308", b"-1e400", b"1e999", b"NaN", b"Infinity", b'"x"', b"null", b"[]", b"0"]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice(_JUNK) * rng.randint(1, 3) + data[at:]


def _number(data: bytes, rng: random.Random) -> bytes:
    spans = [m.span() for m in _NUMBER.finditer(data)] or [(0, 0)]
    start, end = rng.choice(spans)
    return data[:start] + rng.choice(_NUMBERS) + data[end:]


def _geometry_type(data: bytes, rng: random.Random) -> bytes:
    return re.sub(rb"Polygon|Point|MultiPolygon", lambda _: rng.choice(_TYPES), data, count=1)


def _duplicate_key(data: bytes, rng: random.Random) -> bytes:
    key = rng.choice([b'"type": ', b'"coordinates": ', b'"name": ', b'"features": '])
    value = rng.choice([b'"Point"', b"[]", b"null", b'"<b>x</b>"', b"{}", b"[131, 43]"])
    return data.replace(key, key + value + b", " + key, 1)


def _drop_bracket(data: bytes, rng: random.Random) -> bytes:
    spots = [i for i, byte in enumerate(data) if byte in b"[]{},"] or [0]
    at = rng.choice(spots)
    return data[:at] + data[at + 1 :]


def _nest(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([2, 50, 2000])
    return data.replace(b'"coordinates": ', b'"coordinates": ' + b"[" * depth, 1) + b"]" * depth


def _swap_axes(data: bytes, rng: random.Random) -> bytes:
    return re.sub(rb"\[(-?[\d.]+), (-?[\d.]+)\]", rb"[\2, \1]", data)


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _truncate,
    _flip,
    _insert,
    _number,
    _geometry_type,
    _duplicate_key,
    _drop_bracket,
    _nest,
    _swap_axes,
]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        data = rng.choice(MUTATIONS)(data, rng) or data
    return data


def _check_warnings(caught: list[warnings.WarningMessage], case: str) -> None:
    for item in caught:
        text = str(item.message)
        assert issubclass(item.category, UserWarning), (case, item.category, text)
        assert "\n" not in text.strip(), (case, text)


def _run(path: Path, load: Callable[[Path], object], case: str) -> str:
    messages = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loaded = load(path)
        except (DataError, UsageError) as exc:
            messages.append(str(exc))
            outcome = "refused"
        else:
            outcome = "loaded"
            if loaded is not None and hasattr(loaded, "geometry"):
                try:
                    area_table(loaded)
                except (DataError, UsageError) as exc:
                    messages.append(str(exc))
    _check_warnings(caught, case)
    for message in messages:  # one line that names the file (or the layer read from it)
        assert "\n" not in message.strip(), (case, message)
        assert path.name in message or path.stem in message, (case, message)
    return outcome


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suffix", "valid", "load"),
    [
        (".geojson", VALID_GEOJSON, read_vector),
        (".csv", VALID_CSV, read_observations),
    ],
    ids=["read_vector", "read_observations-csv"],
)
def test_fuzzed_files_load_or_give_amurgeo_errors(
    tmp_path: Path, suffix: str, valid: bytes, load: Callable[[Path], object]
) -> None:
    rng = random.Random(f"{SEED}-{suffix}")
    outcomes: dict[str, int] = {}
    for number in range(CASES if suffix == ".geojson" else CASES // 2):
        data = _mutate(valid, rng)
        path = tmp_path / f"case{number}{suffix}"
        path.write_bytes(data)
        case = f"seed {SEED} case {number}: {data[:300]!r}"
        try:
            outcome = _run(path, load, case)  # type: ignore[arg-type]
        except AssertionError:
            raise
        except Exception as exc:  # the point of the test: name the case that crashed
            pytest.fail(f"{type(exc).__name__}: {exc}\n{case}")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # the mutations are neither all harmless nor all fatal
    assert outcomes.get("loaded", 0) > 0 and outcomes.get("refused", 0) > 0, outcomes


def test_the_valid_seeds_load() -> None:
    """The fuzzed files start from files that are fine."""
    assert len(VALID_GEOJSON) > 100 and VALID_CSV.count(b"\n") == 4
