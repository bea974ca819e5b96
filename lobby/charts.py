"""The small referral chart on the brief, drawn with ``crm.charts``."""

from __future__ import annotations

from crm.charts import PALETTE, cached_svg, new_figure
from crm.web import MONTHS_SHORT_NL


def month_label(year: int, month: int) -> str:
    return f"{MONTHS_SHORT_NL[month - 1]} {str(year)[2:]}"


def referral_chart_svg(counts: list[tuple[int, int, int]]) -> bytes:
    """A bar chart of (year, month, count); cached by its data."""
    return cached_svg(("lobby-referrals", tuple(counts)), lambda: _draw(counts))


#: The size the brief prints it at (``.brief-chart`` is 80 mm wide on paper), so the
#: 7-point labels stay 7 points instead of being scaled down to half.
SIZE_INCHES = (3.3, 1.5)


def _draw(counts: list[tuple[int, int, int]]):
    fig, ax = new_figure(*SIZE_INCHES)
    labels = [month_label(y, m) for y, m, _ in counts]
    values = [c for _, _, c in counts]
    ax.bar(range(len(values)), values, color=PALETTE[0])
    ax.set_xticks(range(len(values)), labels, rotation=45, ha="right", fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig
