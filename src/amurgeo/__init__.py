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

from amurgeo.catalog import list_layers, load_layer, load_layers, resolve_layer_id
from amurgeo.errors import AmurgeoError, DataError, LayerNotFoundError, UsageError

__version__ = "0.1.0"

__all__ = [
    "AmurgeoError",
    "DataError",
    "LayerNotFoundError",
    "UsageError",
    "__version__",
    "list_layers",
    "load_layer",
    "load_layers",
    "resolve_layer_id",
]
