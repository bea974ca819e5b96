"""Test helpers of the Samenwerken instruments.

The ``db`` fixture keeps an app context open; Flask reuses an open app context for
test-client requests, so ``g`` (current account, role) would leak from one request to
the next. This client gives every request its own app context, as in production.
It also ends the test's own transaction first: outside a request, SQLite transactions
begin IMMEDIATE and would hold the write lock while the request runs.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask.testing import FlaskClient


class FreshContextClient(FlaskClient):
    def open(self, *args, **kwargs):
        if has_app_context() and current_app._get_current_object() is self.application:
            self.application.extensions["crm"].db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


def fresh_client(app) -> FreshContextClient:
    """Use as the module's ``client`` fixture (``login_as`` then logs in this client)."""
    return FreshContextClient(app, app.response_class, use_cookies=True)
