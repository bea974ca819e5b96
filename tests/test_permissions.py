"""Role × route matrix (QUALITY.md 1): every endpoint of the plugin, every role.

The policy table comes from the decorators on the views. This test checks that every
endpoint is in it, that the table follows the permission matrix of DESIGN.md §2, and
that the running app enforces it: anonymous → login, wrong role → 403, right role → no
403 and no redirect to the login page.
"""

from __future__ import annotations

import pytest

from crm.permissions import PUBLIC, policy_table
from crm.roles import ADMIN, FRONTOFFICE, PARTNER, SPECIALIST

USER_ROLES = (ADMIN, SPECIALIST, FRONTOFFICE)

# DESIGN.md §2, by area: endpoint prefix → roles that may have access at most.
AREA_LIMITS = {
    "crm.admin_": {ADMIN},
    "lobby.": {ADMIN, SPECIALIST},
    "collaboration.": {ADMIN, SPECIALIST, FRONTOFFICE, PARTNER},
    "content.": {ADMIN, SPECIALIST, FRONTOFFICE},
}
# Endpoints anyone may open (login page, assets, partner invitation landing).
PUBLIC_ENDPOINTS = {"crm.login", "crm.logout", "crm.static",
                    # the iCalendar feed: public for calendar apps, the secret in its URL is the key
                    "collaboration.calendar_feed"}
# Endpoints with an object-level check on top of the role (QUALITY 2): the world's record
# belongs to another user, so an allowed role may get 403 here. Their own tests cover the
# owner's 200 and the refusal of others.
OBJECT_LEVEL = {"crm.referral_edit", "crm.referral_delete"}


def _endpoints(app):
    table = policy_table(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint in table and rule.endpoint != "crm.static":
            yield rule


def _url(app, rule, world):
    missing = [a for a in rule.arguments if a not in world and a not in (rule.defaults or {})]
    assert not missing, f"{rule.endpoint}: add {missing} to the world fixture"
    values = {a: world[a] for a in rule.arguments if a in world}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_every_endpoint_is_in_the_policy_table(app):
    table = policy_table(app)
    missing = sorted(e for e, roles in table.items() if roles is None and e != "crm.static")
    assert not missing, f"endpoints without a permission decorator: {missing}"


def test_policy_follows_the_design_matrix(app):
    for endpoint, allowed in policy_table(app).items():
        if endpoint == "crm.static" or allowed is None:
            continue
        if PUBLIC in allowed:
            assert endpoint in PUBLIC_ENDPOINTS or endpoint.startswith("collaboration.invitation"), endpoint
            continue
        for prefix, limit in AREA_LIMITS.items():
            if endpoint.startswith(prefix):
                assert allowed <= limit, f"{endpoint} allows {allowed - limit}"


@pytest.mark.parametrize("role", [None, *USER_ROLES])
def test_role_route_matrix(app, client, login_as, world, role):
    login_as(role)
    table = policy_table(app)
    failures = []
    for rule in _endpoints(app):
        allowed = table[rule.endpoint]
        if PUBLIC in allowed:
            continue
        url = _url(app, rule, world)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        location = response.headers.get("Location", "")
        if role is None and rule.endpoint.startswith("collaboration.scan_partner"):
            # A partner's page without the partner's session: the link page explains, no login.
            ok = response.status_code == 404 and "Deze link werkt niet" in response.get_data(as_text=True)
            expected = "404 with the invalid-link page"
        elif role is None:
            ok = response.status_code == 302 and "/inloggen" in location
            expected = "302 → login"
        elif role in allowed:
            ok = response.status_code in (200, 302, 400, 404, 422) and "/inloggen" not in location
            if rule.endpoint in OBJECT_LEVEL and response.status_code == 403 and role != ADMIN:
                ok = True
            if method == "GET" and response.status_code == 404:
                ok = False
            expected = "200/302"
        else:
            ok = response.status_code == 403
            expected = "403"
        if not ok:
            failures.append(f"{method} {url} as {role}: {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_may_open_url_knows_the_page_behind_a_link_also_under_a_path_prefix(app):
    from crm.permissions import may_open_url

    with app.test_request_context("/", base_url="http://localhost/bieb/"):
        from flask import g, url_for

        g.crm_role = "frontoffice"
        assert url_for("crm.partners").startswith("/bieb/")
        assert may_open_url(url_for("crm.referral_new")) is True
        assert may_open_url(url_for("crm.partners")) is False
        assert may_open_url("/bieb/bestaat-niet") is False
