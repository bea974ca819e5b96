"""Server-side charts of every package: matplotlib (Agg) figures served as SVG.

Draw on ``figure()`` (or ``new_figure()`` for one set of axes), turn it into bytes with
``to_svg`` and send it with ``svg_response``; ``cached_svg`` keeps the bytes of the
last charts by a key of their data, so the same figures give the same picture without
drawing again. Figures are ``matplotlib.figure.Figure`` objects, not pyplot: no global
state, safe in threaded workers. The page shows each picture with ``<img alt=…>`` and
the same numbers as a table beside it.

Draw a figure at the size the page shows it (``inches(px)``): the browser scales an SVG
to its ``<img>`` box, so a figure drawn twice as wide shows every label at half its
size. At the shown size the 9-point base font reads at 12 px.

matplotlib is imported on the first ``figure()``, not when this module is imported, so
a worker that never draws does not carry it (about 40 MB).
"""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from threading import Lock
from typing import TYPE_CHECKING

from flask import Response

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = ("#0b5c6b", "#b8461b", "#1d6b3a", "#7a5300", "#5b3b8c", "#4f5b6b", "#a3264b", "#2f6db3")
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text: smaller files, selectable labels
    "svg.hashsalt": "crm",  # stable ids: the same data gives the same file
    "axes.spines.top": False,
    "axes.spines.right": False,
}
#: CSS pixels per inch: an SVG of ``w`` inches is ``96·w`` pixels wide at 100 %.
PX_PER_INCH = 96
#: Charts may keep the inline style matplotlib writes; they never run anything.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@cache
def _figure_class():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(STYLE)
    from matplotlib.figure import Figure

    return Figure


def figure(width: float = 8, height: float = 6) -> Figure:
    return _figure_class()(figsize=(width, height))


def inches(px: float) -> float:
    """The figure width (or height) in inches that shows at ``px`` CSS pixels unscaled."""
    return px / PX_PER_INCH


def new_figure(width: float = 8, height: float = 6):
    """A figure with one set of axes: ``fig, ax = new_figure(8, 4)``."""
    fig = figure(width, height)
    return fig, fig.add_subplot()


def to_svg(fig: Figure, tight: bool = True) -> bytes:
    """The figure as SVG bytes, cropped to what is drawn unless ``tight=False``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None},
                **({"bbox_inches": "tight"} if tight else {}))
    return buffer.getvalue()


def svg_response(body: bytes) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = "inline"
    response.headers["Content-Security-Policy"] = SVG_CSP
    return response


_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 64
_LOCK = Lock()


def cached_svg(key: Hashable, draw: Callable[[], Figure]) -> bytes:
    """The SVG of ``draw()``, kept for the 64 most recent keys (a key describes the data)."""
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    with _LOCK:
        if digest in _CACHE:
            _CACHE.move_to_end(digest)
            return _CACHE[digest]
    body = to_svg(draw())
    with _LOCK:
        _CACHE[digest] = body
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return body
