"""Hatchling build hook: fetch the pinned Leaflet files that self-contained maps inline.

When a wheel (or an editable install) is built, this hook

1. copies ``package.json`` and ``package-lock.json`` into ``build/npm-assets/`` and runs
   ``npm ci --ignore-scripts`` there (exact versions from the lock file; no install scripts);
2. copies the files listed in ``src/amurgeo/maps/assets.py`` (plus the images their CSS
   references and each package's licence) into ``src/amurgeo/maps/_vendor/`` (gitignored), with a
   ``manifest.json`` recording versions, the lock file's SHA-256 and each file's SHA-256;
3. puts ``_vendor/`` into the wheel (an editable install reads it from ``src/``);
4. puts the built layers of ``geodata/`` into the wheel as ``amurgeo/geodata/`` (what
   :func:`amurgeo._paths.geodata_dir` reads), without ``geodata/sources/``: the files the
   layers are built from are for editing in a checkout (and ship in the sdist), and no code
   of the installed package reads them.

Nothing third-party is committed to the repository. The hook does nothing when
``_vendor/manifest.json`` already matches the lock file. Without npm (or without a
network) the build still succeeds with a warning; ``amurgeo map --self-contained`` then
fails with a one-line error saying why. Environment variables:

* ``AMURGEO_REQUIRE_NPM=1``: fail the build instead (for releases and CI);
* ``AMURGEO_SKIP_NPM=1``: do not run npm at all.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class AssetError(RuntimeError):
    """The npm assets could not be fetched or copied."""


def _load_asset_list(root: Path) -> Any:
    """Import ``src/amurgeo/maps/assets.py`` by path (amurgeo is not installed yet)."""
    path = root / "src" / "amurgeo" / "maps" / "assets.py"
    spec = importlib.util.spec_from_file_location("_amurgeo_map_assets", path)
    if spec is None or spec.loader is None:
        raise AssetError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _up_to_date(vendor: Path, lock_hash: str, assets_hash: str) -> bool:
    manifest = vendor / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if data.get("lock_sha256") != lock_hash or data.get("assets_sha256") != assets_hash:
        return False
    return all((vendor / rel).is_file() for rel in data.get("files", {}))


def vendor_assets(root: Path, *, log: Any = print) -> Path:
    """Fill ``src/amurgeo/maps/_vendor`` from npm; return its path. Raise AssetError on failure."""
    assets = _load_asset_list(root)
    vendor = root / "src" / "amurgeo" / "maps" / assets.VENDOR_DIRNAME
    lock = root / "package-lock.json"
    package_json = root / "package.json"
    if not lock.is_file() or not package_json.is_file():
        raise AssetError("package.json or package-lock.json is missing from the source tree")
    lock_hash = _sha256(lock)
    assets_hash = _sha256(root / "src" / "amurgeo" / "maps" / "assets.py")
    if _up_to_date(vendor, lock_hash, assets_hash):
        return vendor
    if os.environ.get("AMURGEO_SKIP_NPM"):
        raise AssetError("AMURGEO_SKIP_NPM is set")
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm (Node.js) is not installed")
    work = root / "build" / "npm-assets"
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy2(package_json, work / "package.json")
    shutil.copy2(lock, work / "package-lock.json")
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    log(f"amurgeo build hook: {' '.join(command[1:])} in {work}")
    try:
        result = subprocess.run(
            command, cwd=work, capture_output=True, text=True, timeout=600, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AssetError(f"npm ci failed: {exc}") from exc
    if result.returncode != 0:
        detail = " ".join((result.stderr or result.stdout).split())[:300]
        raise AssetError(f"npm ci failed (exit {result.returncode}): {detail}")
    node_modules = work / "node_modules"
    for package, version in assets.NPM_PACKAGES.items():
        meta = json.loads((node_modules / package / "package.json").read_text(encoding="utf-8"))
        if meta.get("version") != version:
            raise AssetError(
                f"npm installed {package} {meta.get('version')}, but maps/assets.py pins "
                f"{version}; update package.json and package-lock.json"
            )
    try:
        files = assets.needed_files(node_modules)
    except FileNotFoundError as exc:
        raise AssetError(str(exc)) from exc
    staging = vendor.with_name(vendor.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    recorded: dict[str, str] = {}
    for package, path in files:
        rel = assets.vendor_relpath(package, path)
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / package / path, target)
        recorded[rel] = _sha256(target)
    manifest = {
        "note": "Copied from npm by hatch_build.py; do not edit or commit.",
        "lock_sha256": lock_hash,
        "assets_sha256": assets_hash,
        "packages": dict(assets.NPM_PACKAGES),
        "files": dict(sorted(recorded.items())),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    shutil.rmtree(vendor, ignore_errors=True)
    staging.rename(vendor)
    log(f"amurgeo build hook: {len(recorded)} files -> {vendor}")
    return vendor


def geodata_files(root: Path) -> dict[str, str]:
    """Map each built file of ``geodata/`` to its place in the wheel, ``sources/`` left out."""
    geodata = root / "geodata"
    return {
        str(path): f"amurgeo/geodata/{path.relative_to(geodata).as_posix()}"
        for path in sorted(geodata.rglob("*"))
        if path.is_file() and path.relative_to(geodata).parts[0] != "sources"
    }


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Vendor the map assets into the wheel (see the module docstring)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Run before the wheel is built."""
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        build_data["force_include"].update(geodata_files(root))
        try:
            vendor = vendor_assets(root, log=self.app.display_info)
        except AssetError as exc:
            if os.environ.get("AMURGEO_REQUIRE_NPM"):
                raise
            self.app.display_warning(
                f"amurgeo: map assets not bundled ({exc}); maps still work online, "
                "but 'amurgeo map --self-contained' will not"
            )
            return
        if version != "editable":
            build_data["force_include"][str(vendor)] = "amurgeo/maps/_vendor"
