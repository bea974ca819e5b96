"""Server-side charts: matplotlib on the Agg backend, served as SVG with their own route.

Use ``new_figure()`` to draw and ``svg_response(fig)`` to send it; the page shows the
picture with ``<img alt=…>`` and the same data as a table beside it.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from flask import Response  # noqa: E402

PALETTE = ("#0b5c6b", "#b8461b", "#1d6b3a", "#7a5300", "#5b3b8c", "#4f5b6b", "#a3264b", "#2f6db3")
plt.rcParams.update({
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text: smaller files, selectable labels
    "axes.spines.top": False,
    "axes.spines.right": False,
})


def new_figure(width: float = 8, height: float = 6):
    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


def to_svg(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def svg_response(fig) -> Response:
    response = Response(to_svg(fig), mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = "inline"
    return response


_CACHE: dict[str, bytes] = {}
_CACHE_SIZE = 32


def cached_svg(key, draw) -> Response:
    """An SVG response for ``draw()`` (which returns a figure), cached by a key of its data."""
    import hashlib

    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    body = _CACHE.get(digest)
    if body is None:
        body = to_svg(draw())
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[digest] = body
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = "inline"
    return response
