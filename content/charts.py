"""The 7 × 4 heat map of the overview, rendered server-side to SVG (matplotlib, Agg)."""

from __future__ import annotations

from functools import lru_cache

from content.models import STATUS_LABELS, STATUSES
from content.services import Cell
from crm.charts import new_figure, to_svg
from crm.guide import Phase, Theme

# Light to dark: readable black text on each; the status is also written in every cell.
COLOURS = ("#eef1f5", "#f6d58b", "#7cc49a")
STATUS_INDEX = {code: i for i, (code, _label) in enumerate(STATUSES)}


def heatmap_svg(grid: list[list[Cell]]) -> bytes:
    """SVG bytes of the grid; cached by the data it shows."""
    key = tuple((c.status, c.steps_done, c.steps_total) for row in grid for c in row)
    return _render(key)


@lru_cache(maxsize=32)
def _render(key: tuple) -> bytes:
    from matplotlib.colors import ListedColormap  # matplotlib loads on first use, not at boot

    phases, themes = list(Phase), list(Theme)
    values = [[STATUS_INDEX[key[r * len(phases) + c][0]] for c in range(len(phases))]
              for r in range(len(themes))]
    fig, ax = new_figure(8.5, 5.2)
    ax.imshow(values, cmap=ListedColormap(COLOURS), vmin=0, vmax=len(COLOURS) - 1, aspect="auto")
    for r in range(len(themes)):
        for c in range(len(phases)):
            status, done, total = key[r * len(phases) + c]
            ax.text(c, r, f"{STATUS_LABELS[status]}\n{done}/{total} stappen", ha="center", va="center",
                    fontsize=8, color="#1b1f24")
    ax.set_xticks(range(len(phases)), [p.label for p in phases])
    ax.set_yticks(range(len(themes)), [t.label for t in themes], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_xticks([x - 0.5 for x in range(1, len(phases))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(themes))], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.tight_layout()
    return to_svg(fig)
