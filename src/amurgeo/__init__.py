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

from typing import TYPE_CHECKING

from amurgeo.errors import (
    AmurgeoError,
    DataError,
    DataWarning,
    LayerNotFoundError,
    OutputError,
    UsageError,
)

if TYPE_CHECKING:  # the names below are imported on first use (see __getattr__)
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
    from amurgeo.export import export_layers
    from amurgeo.figures import (
        load_population,
        plot_figure,
        plot_periods,
        plot_population,
        save_figure,
    )
    from amurgeo.io import read_vector
    from amurgeo.maps import build_map, save_map
    from amurgeo.observations import count_observations, observation_density, read_observations

__version__ = "0.1.0"

__all__ = [
    "AmurgeoError",
    "DataError",
    "DataWarning",
    "LayerNotFoundError",
    "OutputError",
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
    "plot_periods",
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
    "area_table": "amurgeo.analysis",
    "coverage": "amurgeo.analysis",
    "gap": "amurgeo.analysis",
    "overlap": "amurgeo.analysis",
    "overlap_matrix": "amurgeo.analysis",
    "points_in_areas": "amurgeo.analysis",
    "shared_boundary": "amurgeo.analysis",
    "list_layers": "amurgeo.catalog",
    "load_layer": "amurgeo.catalog",
    "load_layers": "amurgeo.catalog",
    "resolve_layer_id": "amurgeo.catalog",
    "export_layers": "amurgeo.export",
    "load_population": "amurgeo.figures",
    "plot_figure": "amurgeo.figures",
    "plot_periods": "amurgeo.figures",
    "plot_population": "amurgeo.figures",
    "save_figure": "amurgeo.figures",
    "read_vector": "amurgeo.io",
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
    """Import the public functions, and submodules, on first use.

    geopandas, matplotlib and folium take about a second to import: ``import amurgeo`` and
    the command line's start (its Ctrl-C handling included) do not wait for them.
    """
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"amurgeo.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"amurgeo.{name}":
                raise
    raise AttributeError(f"module 'amurgeo' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, the lazily imported ones included (for tab completion)."""
    return sorted(set(__all__) | set(globals()))
