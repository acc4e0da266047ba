"""Render lists of flat records as a text table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "csv", "json", "markdown")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: object) -> str:
    """`text` on one line, its control characters shown as ``\\x1b``.

    A terminal escape sequence in a feature name (or a NUL in a file name) is shown, never sent
    to the terminal.

    Examples
    --------
    >>> one_line("Park\\n\\x1b[31mred")
    'Park \\\\x1b[31mred'
    """
    joined = " ".join(str(text).split())
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", joined)


def _plain(value: Any) -> Any:
    """JSON-friendly value: NaN and infinities become None, numpy scalars become Python."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1e15 else f"{value:.6g}"
    return one_line(value)


def render(
    records: Sequence[dict[str, Any]],
    fmt: str,
    *,
    headers: dict[str, str] | None = None,
    columns: Sequence[str] = (),
) -> str:
    """Return `records` rendered in `fmt` (``table``, ``csv``, ``json`` or ``markdown``).

    Parameters
    ----------
    records
        Flat dicts sharing the same keys (the first record's keys give the column order).
    fmt
        Output format.
    headers
        Display names for table and markdown column headers (for example with units);
        CSV and JSON keep the record keys.
    columns
        The columns when there is no record, so that an empty CSV or table keeps its header.

    Examples
    --------
    >>> print(render([{"a": 1, "b": 2.5}], "csv"), end="")
    a,b
    1,2.5
    """
    columns = list(records[0]) if records else list(columns)
    if fmt == "json":
        plain = [{k: _plain(v) for k, v in r.items()} for r in records]
        return json.dumps(plain, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: "" if _plain(v) is None else _plain(v) for k, v in record.items()})
        return buffer.getvalue()
    titles = [(headers or {}).get(c, c) for c in columns]
    rows = [[_cell(r.get(c)) for c in columns] for r in records]
    numeric = [
        all(isinstance(_plain(r.get(c)), (int, float)) or _plain(r.get(c)) is None for r in records)
        for c in columns
    ]
    if fmt == "markdown":
        lines = ["| " + " | ".join(titles) + " |"]
        lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        widths = [max([len(t)] + [len(row[i]) for row in rows]) for i, t in enumerate(titles)]

        def line(cells: list[str]) -> str:
            padded = [
                c.rjust(w) if n else c.ljust(w)
                for c, w, n in zip(cells, widths, numeric, strict=True)
            ]
            return "  ".join(padded).rstrip()

        out = [line(titles), line(["-" * w for w in widths]), *(line(row) for row in rows)]
        return "\n".join(out) + "\n"
    raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
