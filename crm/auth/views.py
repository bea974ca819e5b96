"""Login and logout (standalone); in a host app the host's login is used."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from crm.audit import record_event
from crm.auth import services
from crm.auth.forms import LoginForm, PasswordChangeForm
from crm.blueprint import bp
from crm.db import db
from crm.permissions import all_staff, public
from crm.web import add_form_error, redirect_next, render_form, save_form

#: What a user whose password an admin set may still open before choosing their own.
MUST_CHANGE_ALLOWED = frozenset({"crm.password_change", "crm.logout", "crm.login"})


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():
    state = current_app.extensions["crm"]
    if not state.standalone:
        return current_app.login_manager.unauthorized()
    if current_user.is_authenticated:
        return redirect(url_for("crm.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except services.LoginThrottled:
            db.session.commit()
            add_form_error(
                form, None,
                "Er is te vaak een verkeerd wachtwoord ingevuld. Wacht een kwartier en probeer "
                "het dan opnieuw, of vraag de beheerder om een nieuw wachtwoord.",
            )
            return render_template("crm/login.html", form=form), 429
        if user is None:
            db.session.commit()  # keep the failed attempt for the throttle
            add_form_error(form, "password", "Het e-mailadres of het wachtwoord klopt niet.")
            status = 422
        else:
            next_url = request.args.get("next")
            session.clear()  # a fresh session: nothing carries over from before the login
            services.start_session(user)
            login_user(user)
            db.session.commit()
            flash(f"Welkom, {user.name}.", "success")
            if next_url:
                return redirect_next("crm.home")
            return redirect(url_for("crm.home"))
    elif request.method == "POST":
        status = 422
    return render_template("crm/login.html", form=form), status


@bp.route("/uitloggen", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated and current_app.extensions["crm"].standalone:
        services.end_session(current_user.get_id())
        record_event("logout", "crm_user", current_user.id)
        db.session.commit()
        logout_user()
    session.clear()
    flash("Je bent uitgelogd.", "success")
    return redirect(url_for("crm.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@all_staff
def password_change():
    """Every user chooses their own password (and must, after an admin set one)."""
    if not current_app.extensions["crm"].standalone:
        abort(404)  # in a host app the host's account page does this
    user = current_user._get_current_object()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        wrong = services.wrong_current_password(user, form.current.data, request.remote_addr)
        if wrong:
            db.session.commit()  # the failed attempt counts, like a failed login
            add_form_error(form, "current", wrong)
            status = 429 if wrong == services.THROTTLED_MESSAGE else 422
            return render_template("crm/password.html", form=form,
                                   must_change=user.password_must_change), status
        _done, ok = save_form(form, lambda: services.change_own_password(
            user, form.current.data, form.new.data))
        if ok:
            flash("Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd.", "success")
            return redirect(url_for("crm.home"))
    return render_form("crm/password.html", form, must_change=user.password_must_change)


@bp.before_app_request
def _own_password_first():
    """After an admin set the password, the user chooses their own before anything else."""
    state = current_app.extensions["crm"]
    if (state.standalone and request.blueprint in state.blueprint_names
            and request.endpoint not in MUST_CHANGE_ALLOWED and not request.endpoint.endswith(".static")
            and current_user and current_user.is_authenticated
            and getattr(current_user, "password_must_change", False)):
        flash("Kies eerst een eigen wachtwoord. Het wachtwoord dat je kreeg, weet de beheerder ook.",
              "info")
        return redirect(url_for("crm.password_change"))
    return None
