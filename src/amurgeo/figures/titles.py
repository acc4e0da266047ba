"""The title and subtitle of the map figure, wrapped (and if need be made smaller) to fit."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from amurgeo.figures.draw import figure_renderer
from amurgeo.figures.layers import THEME_TITLES, FigureLayer, plain_text
from amurgeo.style import MUTED_COLOR, TEXT_COLOR

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def draw_titles(
    ax: Axes,
    items: list[FigureLayer],
    *,
    title: str | None,
    subtitle: str | None,
    default: str | None,
) -> None:
    """The title and subtitle above the map (the theme's for its overview), fitted to width."""
    bundled = any(it.bundled for it in items)
    theme_title, theme_subtitle = THEME_TITLES[default] if default and bundled else ("", "")
    if title is None:
        more = f" and {len(items) - 3} more" if len(items) > 3 else ""
        title = theme_title or ", ".join(it.name for it in items[:3]) + more
    if subtitle is None:
        subtitle = theme_subtitle
    lines = 1
    if subtitle:
        text = ax.annotate(
            plain_text(subtitle, 160),
            (0, 1),
            xycoords="axes fraction",
            xytext=(0, 7),
            textcoords="offset points",
            fontsize=10,
            color=MUTED_COLOR,
            ha="left",
            va="bottom",
        )
        lines = fit_width(ax, text, min_size=8)
    title_text = ax.set_title(
        plain_text(title, 120),
        loc="left",
        fontsize=15,
        fontweight="bold",
        color=TEXT_COLOR,
        pad=26 + 12 * (lines - 1) if subtitle else 8,
    )
    fit_width(ax, title_text, min_size=11)


def fit_width(ax: Axes, text: Any, *, min_size: float) -> int:
    """Wrap `text` onto up to 3 lines, then shrink it to `min_size`, until it is as wide as
    `ax` at most; return its number of lines."""
    fig = ax.get_figure()
    renderer = figure_renderer(fig)
    room = ax.get_window_extent(renderer).width
    words = text.get_text()
    for size in (text.get_fontsize(), *range(int(text.get_fontsize()) - 1, int(min_size) - 1, -1)):
        text.set_fontsize(size)
        for lines in (1, 2, 3):
            width = max(len(words) // lines + 1, 10)
            text.set_text("\n".join(textwrap.wrap(words, width=width)) if lines > 1 else words)
            if text.get_window_extent(renderer).width <= room:
                return lines
    return text.get_text().count("\n") + 1
