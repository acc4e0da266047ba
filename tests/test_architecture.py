"""The package's import graph keeps the house's shape (read from the source, no import needed).

Three rules, checked on every ``import`` statement in ``src/amurgeo`` (the vendored
``maps/_vendor`` excluded):

* **No cycles** between amurgeo modules through module-level imports. Imports inside a
  function (kept there for start-up speed) or under ``if TYPE_CHECKING:`` do not run when
  the module is imported, so they cannot form a cycle; they still count for the layering.
* **No private names across modules**: ``from amurgeo.x import _y`` is refused, whatever
  module it comes from. What another part needs is public where it lives.
* **Imports point down** the layers below (a module may import its own layer or any layer
  under it, never one above). The one exception is the package's metadata
  (``from amurgeo import __version__``): ``amurgeo/__init__.py`` has run before any of its
  submodules, so that import adds nothing to the graph.

Private *modules* (``_paths``, ``_progress``, ``_atomic``, ``_output``) may be imported by
name from anywhere above them: they are small package-internal helpers (the bundled-data
folder, the progress bar, atomic writing, table rendering) with public names inside, kept
out of ``amurgeo.__all__`` and the documented API on purpose because users have no use for
them. Their leading underscore says "not part of the API", not "private to one module".
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "amurgeo"

# Lowest first. A module's layer is the one of its longest listed prefix.
LAYERS: list[set[str]] = [
    {
        "errors",
        "region",
        "schema",
        "geometry",
        "output",
        "_paths",
        "_progress",
        "_atomic",
        "_output",
    },
    {"measure"},
    {"catalog"},
    {"io", "geojson", "wdpa"},
    {"analysis", "export", "observations"},
    {"style", "maps", "figures"},
    {"cli"},
    {"", "__main__"},
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if "_vendor" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("amurgeo", *parts))] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    rest = module.removeprefix("amurgeo").lstrip(".")
    names = [rest, rest.split(".")[0]] if rest else [""]
    for name in names:
        for level, members in enumerate(LAYERS):
            if name in members:
                return level
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def _imports(module: str, path: Path) -> list[tuple[str, str | None, bool, int]]:
    """(target module, imported name or None, module level?, line) for each amurgeo import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, str | None, bool, int]] = []
    for node in ast.walk(tree):
        at_top = id(node) in top
        if isinstance(node, ast.Import):
            found += [(alias.name, None, at_top, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in MODULES:
                    found.append((sub, None, at_top, node.lineno))
                else:
                    found.append((base, alias.name, at_top, node.lineno))
    return [item for item in found if item[0].split(".")[0] == "amurgeo"]


EDGES = {module: _imports(module, path) for module, path in MODULES.items()}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        _layer(module)


def test_no_private_names_imported_across_modules() -> None:
    bad = [
        f"{module}:{line} imports {name} from {target}"
        for module, edges in EDGES.items()
        for target, name, _, line in edges
        if name and name.startswith("_") and not name.startswith("__") and target != module
    ]
    assert not bad, "\n".join(bad)


def _is_package_metadata(target: str, name: str | None) -> bool:
    # ``from amurgeo import __version__``: the root package runs before any submodule anyway.
    return target == "amurgeo" and name is not None and name.startswith("__")


def test_imports_point_down() -> None:
    bad = [
        f"{module}:{line} imports {target} (layer {_layer(target)} > {_layer(module)})"
        for module, edges in EDGES.items()
        for target, name, _, line in edges
        if _layer(target) > _layer(module) and not _is_package_metadata(target, name)
    ]
    assert not bad, "\n".join(bad)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycles_at_module_level() -> None:
    graph = {
        module: {target for target, _, at_top, _ in edges if at_top and target != module}
        for module, edges in EDGES.items()
    }
    cycle = _cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("graph", "has_cycle"),
    [({"a": {"b"}, "b": {"a"}}, True), ({"a": {"b"}, "b": {"c"}}, False)],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], has_cycle: bool) -> None:
    assert (_cycle(graph) is not None) is has_cycle


def test_readme_python_api_matches_all() -> None:
    """The README's "Python API" section names exactly ``amurgeo.__all__``."""
    import re

    import amurgeo

    readme = (PACKAGE.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n#", 1)[0]
    named = set(re.findall(r"\bamurgeo\.(\w+)", section))
    assert named == set(amurgeo.__all__), (
        f"in README, not in __all__: {sorted(named - set(amurgeo.__all__))}; "
        f"in __all__, not in README: {sorted(set(amurgeo.__all__) - named)}"
    )


def test_analysis_is_split_by_concern() -> None:
    """amurgeo.analysis is a package, one module per concern, none of them a catch-all."""
    import importlib

    import amurgeo.analysis as analysis

    homes = {
        "area_table": "areas",
        "overlap": "overlap",
        "overlap_matrix": "overlap",
        "coverage": "coverage",
        "gap": "coverage",
        "points_in_areas": "points",
        "shared_boundary": "boundaries",
    }
    assert hasattr(analysis, "__path__"), "amurgeo.analysis should be a package"
    for name, module in homes.items():
        function = getattr(analysis, name)
        assert function.__module__ == f"amurgeo.analysis.{module}", name
        assert name in importlib.import_module(f"amurgeo.analysis.{module}").__all__
    for path in (PACKAGE / "analysis").glob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < 400, f"{path.name} has {lines} lines: split it by concern"
