"""Named permission checks and the policy table: which roles may use which endpoint.

Every view of the plugin is decorated with one of the checks below. The decorator
records the allowed roles on the view; ``protect_blueprint`` installs one
``before_request`` per blueprint that enforces the table (deny by default: a view
without a decorator is refused for everybody, and the role × route test fails).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, abort, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from crm import roles
from crm.audit import record_event

PUBLIC = "anonymous"
MAX_ID = 2**31 - 1
_ATTR = "_crm_roles"


def allow(*allowed: str | Iterable[str]) -> Callable:
    """Allow the given roles (strings or sets of strings) on a view."""
    flat: set[str] = set()
    for item in allowed:
        flat.update([item] if isinstance(item, str) else item)

    def decorator(view):
        setattr(view, _ATTR, frozenset(flat))
        return view

    return decorator


public = allow(PUBLIC, *roles.USER_ROLES, roles.PARTNER)
admin_only = allow(roles.ADMINS)
staff_only = allow(roles.STAFF)
all_staff = allow(roles.ALL_STAFF)
partner_only = allow(roles.PARTNER)


def policy_table(app=None) -> dict[str, frozenset[str] | None]:
    """Endpoint → allowed roles for every endpoint of the plugin (None: not in the table)."""
    app = app or current_app
    state = app.extensions["crm"]
    table = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in state.blueprint_names:
            continue
        view = app.view_functions[rule.endpoint]
        table[rule.endpoint] = getattr(view, _ATTR, None)
    return table


def current_role() -> str | None:
    """The role of whoever makes this request: a user role, ``partner`` or None."""
    if "crm_role" in g:
        return g.crm_role
    role = None
    if current_user and current_user.is_authenticated:
        role = current_app.extensions["crm"].role_for(current_user)
        if role not in roles.USER_ROLES:
            role = None
    elif session.get("crm_invitation"):
        role = roles.PARTNER
    g.crm_role = role
    return role


def is_anonymous() -> bool:
    return not (current_user and current_user.is_authenticated) and not session.get(
        "crm_invitation"
    )


def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not current_app.config.get("CRM_CSRF_ENABLED", True):
        return
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        # A form may stay open all day at the desk, and a partner may take days over the scan:
        # the token lives as long as the longest session it can belong to (a partner's
        # invitation session, Flask's PERMANENT_SESSION_LIFETIME; a login session ends sooner).
        lifetime = current_app.permanent_session_lifetime.total_seconds()
        validate_csrf(token, time_limit=int(lifetime))
    except ValidationError as exc:
        raise CSRFError(str(exc)) from exc


def enforce_policy():
    """before_request of every plugin blueprint: CSRF first, then the role check."""
    if request.endpoint is None:
        return None
    if request.endpoint.endswith(".static"):
        return None
    _check_csrf()
    if any(isinstance(v, int) and v > MAX_ID for v in (request.view_args or {}).values()):
        abort(404)  # no such record; PostgreSQL would refuse the number as an INTEGER
    view = current_app.view_functions.get(request.endpoint)
    allowed = getattr(view, _ATTR, None)
    if allowed is None:
        abort(403)
    if PUBLIC in allowed:
        return None
    role = current_role()
    if role is None and is_anonymous():
        return current_app.login_manager.unauthorized()
    if role not in allowed:
        record_event("forbidden", record_type=request.endpoint, commit=True)
        abort(403)
    return None


def protect_blueprint(bp: Blueprint) -> None:
    """Install the policy check on a blueprint, once (blueprints outlive apps in tests)."""
    if not getattr(bp, "_crm_protected", False):
        bp.before_request(enforce_policy)
        bp._crm_protected = True


def may_open(endpoint: str) -> bool:
    """Whether whoever makes this request may open ``endpoint`` (to show a link or not)."""
    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, _ATTR, None)
    return bool(allowed) and (PUBLIC in allowed or current_role() in allowed)


def may_open_url(url: str, _redirected: bool = False) -> bool:
    """``may_open`` for a URL of this app (a link stored by a package, say)."""
    from urllib.parse import urlsplit

    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    path = urlsplit(url).path
    root = request.script_root
    if root and path.startswith(root + "/"):
        path = path[len(root):]  # url_for includes where the app is mounted; the map does not
    try:
        endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(path, method="GET")
    except RequestRedirect as redirect:  # the same page with or without a trailing slash
        return not _redirected and may_open_url(redirect.new_url, _redirected=True)
    except HTTPException:
        return False
    return may_open(endpoint)


def require(condition: bool) -> None:
    """Object-level check inside a view: 403 when the condition does not hold."""
    if not condition:
        abort(403)
