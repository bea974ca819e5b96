"""The small referral chart on the brief: matplotlib (Agg) rendered to SVG."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

from crm.web import MONTHS_NL  # noqa: E402

_CACHE: dict[tuple, bytes] = {}


def month_label(year: int, month: int) -> str:
    return f"{MONTHS_NL[month - 1][:3]} {str(year)[2:]}"


def referral_chart_svg(counts: list[tuple[int, int, int]]) -> bytes:
    """A bar chart of (year, month, count); cached by its data."""
    key = tuple(counts)
    if key in _CACHE:
        return _CACHE[key]
    fig = Figure(figsize=(6.4, 2.2), dpi=100)
    ax = fig.add_subplot()
    labels = [month_label(y, m) for y, m, _ in counts]
    values = [c for _, _, c in counts]
    ax.bar(range(len(values)), values, color="#0b5c6b")
    ax.set_xticks(range(len(values)), labels, rotation=45, ha="right", fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = svg
    return svg
