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
    """Fit `text` to the width of `ax`: on one line, else on two, smaller if need be, else
    on three at `min_size`; return its number of lines."""
    fig = ax.get_figure()
    renderer = figure_renderer(fig)
    room = ax.get_window_extent(renderer).width
    words = text.get_text()
    size = float(text.get_fontsize())
    sizes = [size - k for k in range(int(size - min_size) + 1)]
    tries = [(1, size), *((2, s) for s in sizes), (3, min_size)]
    for lines, fontsize in tries:
        text.set_fontsize(fontsize)
        text.set_text(balanced_lines(words, lines))
        if text.get_window_extent(renderer).width <= room:
            break
    return text.get_text().count("\n") + 1


def balanced_lines(text: str, lines: int) -> str:
    """`text` wrapped onto at most `lines` lines of about equal length.

    Examples
    --------
    >>> print(balanced_lines("Amur tiger range, Land of the Leopard National Park", 2))
    Amur tiger range, Land of
    the Leopard National Park
    """
    if lines <= 1:
        return text
    for width in range(max(len(text) // lines, 1), len(text) + 1):
        wrapped = textwrap.wrap(text, width=width, break_on_hyphens=False)
        if len(wrapped) <= lines:
            return "\n".join(wrapped)
    return text
