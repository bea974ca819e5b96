"""A second baseline for bench_referrals.py: the app itself, with the referral POST doing no work.

The POST to /verwijzingen/nieuw still passes everything every request of the plugin
passes — the login-session lookup, the CSRF check, the role check, the security
headers, the session cookie — and then only redirects: no form, no validation, no
INSERT, no audit row. Its throughput is the ceiling any POST of the app can reach, so
the report can tell what the referral itself costs from what the platform costs.
"""

from __future__ import annotations

from functools import update_wrapper

from flask import Flask, redirect, request

ENDPOINT = "crm.referral_new"


def floor_view(app: Flask):
    """The referral view of ``app`` with the POST doing nothing after the policy check."""
    view = app.view_functions[ENDPOINT]

    def _floor():
        if request.method == "GET":
            return view()  # the form, so the bench can log in and read a CSRF token
        return redirect(request.path)

    # Keep the view's policy attributes (allowed roles, reads-first): the same checks run.
    return update_wrapper(_floor, view)


def create() -> Flask:
    """For gunicorn: ``gunicorn 'bench.floor_app:create()'``."""
    from wsgi import app

    app.view_functions[ENDPOINT] = floor_view(app)
    return app
