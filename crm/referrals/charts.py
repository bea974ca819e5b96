"""The charts of the referral statistics: SVG drawn with matplotlib (Agg), cached by their data."""

from __future__ import annotations

from crm.charts import PALETTE, cached_svg, new_figure
from crm.referrals.stats import Stats, month_label

TOP_PARTNERS = 15


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _hatch(i: int) -> str | None:
    """A colour used a second time (more purposes than colours) gets stripes."""
    return "xx" if i >= len(PALETTE) else None


def _empty(ax) -> None:
    ax.text(0.5, 0.5, "Geen verwijzingen in deze periode", ha="center", va="center",
            transform=ax.transAxes)
    ax.set_axis_off()


def _figure(height: float = 3.6):
    return new_figure(7.5, height)


def _by_month(stats: Stats):
    fig, ax = _figure()
    labels = [month_label(m, short=True) for m in stats.months]
    if not stats.total:
        _empty(ax)
        return fig
    bottom = [0] * len(stats.months)
    for i, (code, label) in enumerate(stats.purposes):
        values = [stats.by_month_purpose.get(m, {}).get(code, 0) for m in stats.months]
        ax.bar(labels, values, bottom=bottom, label=label, color=_colour(i), hatch=_hatch(i),
               edgecolor="white" if _hatch(i) else None)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("Aantal")
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return fig


def _direction(stats: Stats):
    fig, ax = _figure()
    rows = stats.direction_rows()
    if not stats.total:
        _empty(ax)
        return fig
    x = range(len(rows))
    ax.bar([i - 0.2 for i in x], [r[1] for r in rows], width=0.4, label="Naar een partner", color=_colour(0))
    ax.bar([i + 0.2 for i in x], [r[2] for r in rows], width=0.4, label="Naar de bibliotheek",
           color=_colour(1), hatch="//")
    ax.set_xticks(list(x), [month_label(m, short=True) for m in stats.months], rotation=45)
    ax.set_ylabel("Aantal")
    ax.legend(fontsize=8, frameon=False)
    return fig


def _horizontal(items: list[tuple[str, int]]):
    fig, ax = _figure(max(2.0, 0.35 * len(items) + 1))
    if not items or not sum(n for _, n in items):
        _empty(ax)
        return fig
    names = [name for name, _ in items][::-1]
    values = [n for _, n in items][::-1]
    ax.barh(names, values, color=_colour(0))
    for y, value in enumerate(values):
        ax.text(value, y, f" {value}", va="center", fontsize=8)
    ax.set_xlabel("Aantal")
    return fig


def _partners(stats: Stats):
    top = stats.by_partner[:TOP_PARTNERS]
    fig, ax = _figure(max(2.0, 0.35 * len(top) + 1))
    if not top:
        _empty(ax)
        return fig
    names = [r[0] for r in top][::-1]
    out = [r[1] for r in top][::-1]
    inc = [r[2] for r in top][::-1]
    ax.barh(names, out, color=_colour(0), label="Naar de partner")
    ax.barh(names, inc, left=out, color=_colour(1), hatch="//", label="Naar de bibliotheek")
    ax.set_xlabel("Aantal")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    return fig


def _comparison(stats: Stats):
    rows = stats.comparison
    fig, ax = _figure(max(2.0, 0.45 * len(rows) + 1))
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
    ax.set_xlabel("Aantal")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
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
