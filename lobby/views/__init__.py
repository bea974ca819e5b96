"""Pages of the lobby towards the municipality: one blueprint, views split by subject.

Importing this package attaches every route to ``bp``.
"""

from lobby.views import evidence, meetings, municipality, plans  # noqa: F401 - attach the routes
from lobby.views.blueprint import bp

__all__ = ["bp"]
