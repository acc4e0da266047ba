"""Where the bundled data lives.

An installed wheel carries ``geodata/`` inside the package (``amurgeo/geodata``); an editable
install or a source checkout reads the repository's top-level ``geodata/`` directly.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from amurgeo.errors import DataError


@cache
def geodata_dir() -> Path:
    """Return the folder that holds ``catalog.json`` and the layer files."""
    packaged = Path(str(files("amurgeo"))) / "geodata"
    if (packaged / "catalog.json").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "geodata"
    if (checkout / "catalog.json").is_file():
        return checkout
    msg = (
        f"bundled geodata not found in {packaged} or {checkout}; "
        "reinstall amurgeo (pip install .) from a complete checkout"
    )
    raise DataError(msg)
