"""Write outputs without losing data: inputs, other layers, links, devices and pipes respected.

Every file amurgeo writes goes through this module. The rules (the README's "Files and
safety" lists them for users):

* **An input is never written over.** An output that is the same file as an input (through
  links, relative paths, hard links or ``file.gpkg::layer``), that lies inside an input folder
  or inside the bundled data, is refused with a :class:`~amurgeo.errors.UsageError` before
  any work is done. A GeoPackage is the one exception, as GDAL's ``ogr2ogr -update`` allows:
  a *different* layer may be added to the GeoPackage an input layer comes from, because
  the inputs are read in full before the file is touched and the file is replaced
  atomically; the input layer itself is never replaced, not even with ``overwrite``.
* **A GeoPackage is a container.** Writing adds layers and keeps every other layer; a layer
  of the same name (SQLite compares names without case) is replaced only with
  ``overwrite=True``. The update works on a consistent copy (SQLite's backup API) that is
  moved into place, under a lock on the folder, so a failure leaves the old file whole and
  two runs adding layers at once both keep theirs.
* **``-`` is standard output** for files that can stream (GeoJSON, HTML, SVG, PNG, PDF).
  A GeoPackage or a folder cannot; binary output to a terminal is refused with a hint.
* **Links, devices, pipes.** A symbolic link is followed: its target is replaced atomically in
  the target's folder and the link is kept. A character device or a FIFO is opened and
  written directly, never renamed over. Only regular files are replaced by rename; a
  folder, block device or socket is refused, and so is a read-only file.
* **Errors are reported.** A failed write (disk full, quota, file size limit, I/O error, a
  closed or full standard output) raises :class:`~amurgeo.errors.OutputError` naming the
  path and the reason; the temporary file is removed and an existing output stays as it was.
  An interrupt (``KeyboardInterrupt`` or the CLI's SIGTERM handler) cleans up the same way:
  renames run with SIGINT and SIGTERM held, so they are never cut half-way.

The API other writers use
-------------------------
``check_output(spec, inputs=..., binary=..., stream=..., overwrite=...)``
    Validate an output before the work and return an :class:`Output`. The CLI calls it first
    thing, with every input of the command (bundled layer ids are fine: only paths count).
``writing(destination)``
    A context manager yielding a temporary :class:`~pathlib.Path` to write the whole file to;
    on success it becomes the output (renamed over a regular file, copied to a device, FIFO
    or standard output). ``destination`` is an :class:`Output` or a path (checked then).
``write_bytes(destination, data)``
    The same for content held in memory.
``updating_geopackage(destination, layers)``
    A context manager yielding a temporary copy of the GeoPackage (or a new empty path) that
    the caller adds `layers` to with pyogrio; moved into place on success.
``writing_folder(destination)``
    A context manager yielding a new temporary folder that replaces the destination folder
    (for the GeoJSON-folder export; the caller decides whether the old folder may go).

A writer added later needs two lines: ``out = check_output(path, inputs=sources, ...)``
before its work, and ``with writing(out) as tmp: ...`` (or ``write_bytes``) to write.
:class:`Output` is :class:`os.PathLike`, so library functions that take a path take it too.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> out = check_output(folder / "notes.txt", inputs=["LotL"])
>>> out.kind
'new'
>>> write_bytes(out, b"done")
>>> (folder / "notes.txt").read_bytes()
b'done'
>>> check_output(folder / "notes.txt", inputs=[str(folder / "notes.txt")])
Traceback (most recent call last):
...
amurgeo.errors.UsageError: output ...notes.txt' is also an input; write to another file
"""

from __future__ import annotations

from amurgeo.output.check import STDOUT, Destination, Output, check_output
from amurgeo.output.check import Kind as Kind
from amurgeo.output.geopackage import check_layer_free, updating_geopackage
from amurgeo.output.write import write_bytes, writing, writing_folder

__all__ = [
    "STDOUT",
    "Destination",
    "Output",
    "check_layer_free",
    "check_output",
    "updating_geopackage",
    "write_bytes",
    "writing",
    "writing_folder",
]
