"""The charts of the referral statistics: SVG drawn with matplotlib (Agg), cached by their data.

The page shows each chart in a column about 540 px wide (``SHOWN_PX``). The figures are
drawn at that size, so the labels keep their size on screen: at 10 points every label,
tick and legend entry reads at about 13 px (9 points would still be 12 px).
"""

from __future__ import annotations

from crm.charts import PALETTE, cached_svg, inches, new_figure
from crm.referrals.stats import Stats, month_label

TOP_PARTNERS = 15
#: The width the statistics page shows a chart at (its ``<img width>``), in CSS pixels.
SHOWN_PX = 540
#: The size of every text in the charts, in points (1 pt = 1⅓ px when shown at ``SHOWN_PX``).
TEXT_PT = 10


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


#: One pattern per series of a stacked chart, so the parts differ in more than colour (for
#: readers who do not see the colours apart, and on a grey print). Nine patterns against
#: eight colours: no pair of colour and pattern comes back within 72 series.
HATCHES = (None, "//", "..", "\\\\", "xx", "||", "--", "oo", "++")


def _hatch(i: int) -> str | None:
    return HATCHES[i % len(HATCHES)]


def _empty(ax) -> None:
    ax.text(0.5, 0.5, "Geen verwijzingen in deze periode", ha="center", va="center",
            transform=ax.transAxes, fontsize=TEXT_PT)
    ax.set_axis_off()


def _figure(height: float = 3.2):
    """A figure as wide as it is shown; the layout keeps long labels and the legend inside it."""
    fig, ax = new_figure(inches(SHOWN_PX), height)
    fig.set_layout_engine("constrained")
    ax.tick_params(labelsize=TEXT_PT)
    return fig, ax


def _rows_height(n: int, per_row: float = 0.3) -> float:
    """Height of a chart with one horizontal bar (or pair of bars) per row."""
    return max(2.0, per_row * n + 1)


def _months_axis(ax, stats: Stats) -> None:
    """Month names under the bars; with more than 12 months only every second or third."""
    labels = [month_label(m, short=True) for m in stats.months]
    step = max(1, -(-len(labels) // 12))
    ax.set_xticks(range(len(labels)), [label if i % step == 0 else "" for i, label in enumerate(labels)],
                  rotation=45, ha="right", rotation_mode="anchor")


def _legend_below(fig, ax, columns: int) -> None:
    """The legend under the chart, not beside it: the bars keep the full width. Its swatches
    are big enough to show a bar's pattern, not only its colour."""
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=columns,
               fontsize=TEXT_PT, frameon=False, handlelength=2.4, handleheight=1.5,
               columnspacing=1.2)


def _by_month(stats: Stats):
    rows = (len(stats.purposes) + 1) // 2
    fig, ax = _figure(3.0 + 0.25 * rows)
    if not stats.total:
        _empty(ax)
        return fig
    x = range(len(stats.months))
    bottom = [0] * len(stats.months)
    for i, (code, label) in enumerate(stats.purposes):
        values = [stats.by_month_purpose.get(m, {}).get(code, 0) for m in stats.months]
        # White edges draw the pattern in white and set the parts of a bar apart.
        ax.bar(x, values, bottom=bottom, label=label, color=_colour(i), hatch=_hatch(i),
               edgecolor="white", linewidth=0.6)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    _months_axis(ax, stats)
    ax.set_ylabel("Aantal", fontsize=TEXT_PT)
    _legend_below(fig, ax, 2)
    return fig


def _direction(stats: Stats):
    fig, ax = _figure(3.4)
    rows = stats.direction_rows()
    if not stats.total:
        _empty(ax)
        return fig
    x = range(len(rows))
    ax.bar([i - 0.2 for i in x], [r[1] for r in rows], width=0.4, label="Naar een partner", color=_colour(0))
    ax.bar([i + 0.2 for i in x], [r[2] for r in rows], width=0.4, label="Naar de bibliotheek",
           color=_colour(1), hatch="//")
    _months_axis(ax, stats)
    ax.set_ylabel("Aantal", fontsize=TEXT_PT)
    _legend_below(fig, ax, 2)
    return fig


def _horizontal(items: list[tuple[str, int]]):
    fig, ax = _figure(_rows_height(len(items)))
    if not items or not sum(n for _, n in items):
        _empty(ax)
        return fig
    names = [name for name, _ in items][::-1]
    values = [n for _, n in items][::-1]
    ax.barh(names, values, color=_colour(0))
    for y, value in enumerate(values):
        ax.text(value, y, f" {value}", va="center", fontsize=TEXT_PT)
    ax.margins(x=0.12)  # room for the number after the longest bar
    ax.set_xlabel("Aantal", fontsize=TEXT_PT)
    return fig


def _partners(stats: Stats):
    top = stats.by_partner[:TOP_PARTNERS]
    fig, ax = _figure(_rows_height(len(top)) + 0.4)
    if not top:
        _empty(ax)
        return fig
    names = [r[0] for r in top][::-1]
    out = [r[1] for r in top][::-1]
    inc = [r[2] for r in top][::-1]
    ax.barh(names, out, color=_colour(0), label="Naar de partner")
    ax.barh(names, inc, left=out, color=_colour(1), hatch="//", label="Naar de bibliotheek")
    ax.set_xlabel("Aantal", fontsize=TEXT_PT)
    _legend_below(fig, ax, 2)
    return fig


def _comparison(stats: Stats):
    rows = stats.comparison
    fig, ax = _figure(_rows_height(len(rows), 0.45) + 0.4)
    if not rows:
        _empty(ax)
        return fig
    names = [r[0] for r in rows][::-1]
    y = range(len(rows))
    ax.barh([i + 0.2 for i in y], [r[1] for r in rows][::-1], height=0.4, color=_colour(0),
            label="Deze periode")
    ax.barh([i - 0.2 for i in y], [r[2] for r in rows][::-1], height=0.4, color=_colour(5),
            hatch="//", label="Een jaar eerder")
    ax.set_yticks(list(y), names)
    ax.set_xlabel("Aantal", fontsize=TEXT_PT)
    _legend_below(fig, ax, 2)
    return fig


def _draw(name: str, stats: Stats):
    if name == "maand":
        return _by_month(stats)
    if name == "richting":
        return _direction(stats)
    if name == "partner":
        return _partners(stats)
    if name == "vergelijking":
        return _comparison(stats)
    items = {"doel": stats.by_purpose, "manier": stats.by_method, "vestiging": stats.by_branch}[name]
    return _horizontal(items)


def chart_svg(name: str, stats: Stats) -> bytes:
    """The SVG of one chart; the same figures give the same picture from the cache."""
    data = (name, stats.months, stats.purposes, stats.by_month_purpose, stats.by_month_direction,
            stats.by_purpose, stats.by_method, stats.by_branch, stats.by_partner[:TOP_PARTNERS],
            stats.comparison)
    return cached_svg(data, lambda: _draw(name, stats))
