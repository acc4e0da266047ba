"""amurgeo: where the Amur leopard and Amur tiger are protected.

Approximate boundary layers of the protected areas on both sides of the Russia-China border,
the Amur leopard's range and where conservation organizations work, with area and overlap
analysis and maps.

Examples
--------
>>> import amurgeo
>>> "land-of-the-leopard" in amurgeo.list_layers()["id"].tolist()
True
"""

from __future__ import annotations

from amurgeo.analysis import (
    area_table,
    coverage,
    gap,
    overlap,
    overlap_matrix,
    points_in_areas,
    shared_boundary,
)
from amurgeo.catalog import list_layers, load_layer, load_layers, resolve_layer_id
from amurgeo.errors import AmurgeoError, DataError, LayerNotFoundError, UsageError
from amurgeo.export import export_layers
from amurgeo.figures import load_population, plot_figure, plot_population, save_figure
from amurgeo.io import read_vector

__version__ = "0.1.0"

__all__ = [
    "AmurgeoError",
    "DataError",
    "LayerNotFoundError",
    "UsageError",
    "__version__",
    "area_table",
    "build_map",
    "camtrap_effort",
    "count_observations",
    "coverage",
    "export_layers",
    "gap",
    "independent_detections",
    "list_layers",
    "load_layer",
    "load_layers",
    "load_population",
    "observation_density",
    "overlap",
    "overlap_matrix",
    "patrol_effort",
    "plot_figure",
    "plot_population",
    "points_in_areas",
    "read_camtrap_dp",
    "read_observations",
    "read_vector",
    "resolve_layer_id",
    "save_figure",
    "save_map",
    "shared_boundary",
]

_LAZY = {
    "build_map": "amurgeo.maps",
    "save_map": "amurgeo.maps",
    "count_observations": "amurgeo.observations",
    "camtrap_effort": "amurgeo.observations.effort",
    "read_camtrap_dp": "amurgeo.observations.effort",
    "independent_detections": "amurgeo.observations.effort",
    "patrol_effort": "amurgeo.observations.patrols",
    "observation_density": "amurgeo.observations",
    "read_observations": "amurgeo.observations",
}


def __getattr__(name: str) -> object:
    """Import the map functions on first use: folium is slow to import (about 0.5 s)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'amurgeo' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, the lazily imported ones included (for tab completion)."""
    return sorted(set(__all__) | set(globals()))
