"""Administration pages: users, branches, lists, settings and the audit log."""

from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from crm.admin import services
from crm.admin.forms import (
    MOVES,
    BranchForm,
    ChoiceForm,
    ChoiceMoveForm,
    ChoiceRenameForm,
    EmptyForm,
    PasswordResetForm,
    UserEditForm,
    UserForm,
)
from crm.admin.models import Branch
from crm.audit import ACTION_LABELS, AuditEntry
from crm.auth import services as accounts
from crm.auth.models import User
from crm.blueprint import bp
from crm.db import db
from crm.permissions import admin_only
from crm.registry import current_registry
from crm.web import add_form_error, page_number, render_form, save_form

HOST_ACCOUNTS = ("In dit platform beheert het platform zelf de accounts en rollen; "
                 "hier kun je ze alleen bekijken.")


def own_accounts_only(view):
    """Account changes are only possible standalone: in a host app the host's users log in,
    and ``role_for`` decides their role on every request, so a change here would do nothing."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_app.extensions["crm"].standalone:
            flash(HOST_ACCOUNTS, "info")
            return redirect(url_for("crm.admin_users"))
        return view(*args, **kwargs)

    return wrapper


# -- users -------------------------------------------------------------------------
@bp.route("/beheer/gebruikers")
@admin_only
def admin_users():
    users = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("crm/admin/users.html", users=users, toggle_form=EmptyForm())


@bp.route("/beheer/gebruikers/nieuw", methods=["GET", "POST"])
@admin_only
@own_accounts_only
def admin_user_new():
    form = UserForm()
    form.branch_id.choices = services.branch_choices()
    if form.validate_on_submit():
        try:
            user, generated = accounts.create_user(
                form.email.data, form.name.data, form.role.data,
                form.password.data or None, form.branch_id.data or None,
                must_change=True,  # the admin knows this password: the user picks their own
            )
        except accounts.AccountError as exc:
            add_form_error(form, exc.field, str(exc))
        else:
            db.session.commit()
            if generated:
                return _show_password(user, generated, "Account aangemaakt",
                                      f"Account voor {user.name} is aangemaakt.", "Het wachtwoord is")
            flash(f"Account voor {user.name} is aangemaakt.", "success")
            return redirect(url_for("crm.admin_users"))
    return render_form("crm/admin/user_form.html", form, user=None)


def _show_password(user: User, password: str, heading: str, message: str, label: str):
    """A made-up password is shown once, in this response only: never in a flash message,
    which would carry it in the (signed, not encrypted) session cookie."""
    return render_template("crm/admin/password_shown.html", user=user, password=password,
                           heading=heading, message=message, label=label)


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/beheer/gebruikers/<int:user_id>", methods=["GET", "POST"])
@admin_only
@own_accounts_only
def admin_user_edit(user_id: int):
    user = _get_user(user_id)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    form.branch_id.choices = services.branch_choices(include=user.branch_id)
    if request.method == "GET":
        form.branch_id.data = user.branch_id or 0
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: accounts.update_user(
            user, form.name.data, form.role.data, form.branch_id.data or None,
        ))
        if ok:
            flash("De gegevens zijn opgeslagen.", "success")
            return redirect(url_for("crm.admin_users"))
    return render_form(
        "crm/admin/user_form.html", form, user=user,
        password_form=PasswordResetForm(), toggle_form=EmptyForm(),
    )


@bp.route("/beheer/gebruikers/<int:user_id>/actief", methods=["POST"])
@admin_only
@own_accounts_only
def admin_user_toggle(user_id: int):
    user = _get_user(user_id)
    try:
        account = accounts.current_account()
        accounts.set_active(user, not user.active, account.id if account else None)
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{user.name} kan {'weer' if user.active else 'niet meer'} inloggen.", "success")
    return redirect(url_for("crm.admin_users"))


@bp.route("/beheer/gebruikers/<int:user_id>/wachtwoord", methods=["POST"])
@admin_only
@own_accounts_only
def admin_user_password(user_id: int):
    user = _get_user(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        generated = accounts.set_password(user, form.password.data or None,
                                          must_change=user.id != accounts.current_account().id)
        db.session.commit()
        if generated:
            return _show_password(user, generated, "Wachtwoord veranderd",
                                  f"Het wachtwoord van {user.name} is veranderd.", "Het nieuwe wachtwoord is")
        flash(f"Het wachtwoord van {user.name} is veranderd.", "success")
        return redirect(url_for("crm.admin_users"))
    edit_form = UserEditForm(obj=user)
    edit_form.branch_id.choices = services.branch_choices(include=user.branch_id)
    edit_form.branch_id.data = user.branch_id or 0
    return render_template(
        "crm/admin/user_form.html", form=edit_form, user=user,
        password_form=form, toggle_form=EmptyForm(),
    ), 422


# -- branches ------------------------------------------------------------------------
@bp.route("/beheer/vestigingen")
@admin_only
def admin_branches():
    return render_template("crm/admin/branches.html", branches=services.branches())


@bp.route("/beheer/vestigingen/nieuw", methods=["GET", "POST"], defaults={"branch_id": None})
@bp.route("/beheer/vestigingen/<int:branch_id>", methods=["GET", "POST"])
@admin_only
def admin_branch_edit(branch_id: int | None):
    branch = db.session.get(Branch, branch_id) if branch_id else None
    if branch_id and branch is None:
        abort(404)
    form = BranchForm(obj=branch)
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.save_branch(
            branch, form.name.data, form.place.data, form.active.data,
        ))
        if ok:
            flash("De vestiging is opgeslagen.", "success")
            return redirect(url_for("crm.admin_branches"))
    return render_form("crm/admin/branch_form.html", form, branch=branch)


# -- editable lists --------------------------------------------------------------------
@bp.route("/beheer/lijsten")
@admin_only
def admin_lists():
    return render_template("crm/admin/lists.html", lists=current_registry().lists.values())


@bp.route("/beheer/lijsten/<key>", methods=["GET", "POST"])
@admin_only
def admin_list(key: str):
    spec = _list_spec(key)
    form = ChoiceForm()
    if form.validate_on_submit():
        choice, ok = save_form(form, lambda: services.add_choice(key, form.label.data))
        if ok:
            flash(f"'{choice.label}' staat nu in de lijst.", "success")
            return redirect(url_for("crm.admin_list", key=key))
    options = services.list_options(key)
    return render_form(
        "crm/admin/list.html", form, spec=spec, options=options,
        visible=sum(1 for o in options if o.active),
    )


def _list_spec(key: str):
    spec = current_registry().lists.get(key)
    if spec is None:
        abort(404)
    return spec


def _back_to_option(key: str, code: str):
    """Back to the list, scrolled to the option: Tab then continues in its row."""
    return redirect(url_for("crm.admin_list", key=key, _anchor=f"optie-{code}"))


@bp.route("/beheer/lijsten/<key>/<code>/actief", methods=["POST"])
@admin_only
def admin_choice_toggle(key: str, code: str):
    _list_spec(key)
    try:
        choice = services.toggle_choice(key, code)
    except services.AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back_to_option(key, code)
    if choice is None:
        abort(404)
    db.session.commit()
    flash(f"'{choice.label}' is {'weer zichtbaar' if choice.active else 'verborgen'}.", "success")
    return _back_to_option(key, code)


@bp.route("/beheer/lijsten/<key>/<code>/naam", methods=["GET", "POST"])
@admin_only
def admin_choice_rename(key: str, code: str):
    spec = _list_spec(key)
    option = next((o for o in services.list_options(key) if o.code == code), None)
    if option is None:
        abort(404)
    old_label = option.label
    form = ChoiceRenameForm(data={"label": old_label} if request.method == "GET" else None)
    if form.validate_on_submit():
        choice, ok = save_form(form, lambda: services.rename_choice(key, code, form.label.data))
        if ok and choice.label == old_label:
            flash(f"De naam is niet veranderd: '{old_label}'.", "info")
            return _back_to_option(key, code)
        if ok:
            flash(f"'{old_label}' heet nu '{choice.label}'. Wat al is vastgelegd, heet ook zo "
                  "en telt gewoon mee.", "success")
            return _back_to_option(key, code)
    return render_form("crm/admin/list_option.html", form, spec=spec, option=option,
                       old_label=old_label)


@bp.route("/beheer/lijsten/<key>/<code>/verplaatsen", methods=["POST"])
@admin_only
def admin_choice_move(key: str, code: str):
    _list_spec(key)
    form = ChoiceMoveForm()
    if not form.validate_on_submit():
        flash("Kies omhoog of omlaag.", "error")
        return _back_to_option(key, code)
    moved = services.move_choice(key, code, MOVES[form.direction.data])
    if moved is None:
        abort(404)
    db.session.commit()
    choice, place = moved
    total = len(services.list_options(key))
    flash(f"'{choice.label}' staat nu op plaats {place} van {total}.", "success")
    return _back_to_option(key, code)


# -- settings ----------------------------------------------------------------------------
@bp.route("/beheer/instellingen", methods=["GET", "POST"])
@admin_only
def admin_settings():
    specs = list(current_registry().settings.values())
    errors: dict[str, str] = {}
    values = {s.key: services.get_setting(s.key) for s in specs}
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        for spec in specs:
            raw = request.form.get(spec.key, "").strip()
            try:
                values[spec.key] = int(raw)
                services.set_setting(spec.key, values[spec.key])
            except ValueError as exc:
                errors[spec.key] = (
                    str(exc) if isinstance(exc, services.AdminError)
                    else f"Vul een heel getal in van {spec.minimum} tot en met {spec.maximum}."
                )
                values[spec.key] = raw
        if errors:
            db.session.rollback()
        else:
            db.session.commit()
            flash("De instellingen zijn opgeslagen.", "success")
            return redirect(url_for("crm.admin_settings"))
    status = 422 if errors else 200
    return render_template(
        "crm/admin/settings.html", specs=specs, values=values, errors=errors, form=form
    ), status


# -- audit log ------------------------------------------------------------------------------
@bp.route("/beheer/logboek")
@admin_only
def admin_audit():
    action = request.args.get("actie") or None
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action in ACTION_LABELS:
        stmt = stmt.where(AuditEntry.action == action)
    page = db.paginate(stmt, page=page_number(), per_page=50, error_out=False)
    return render_template(
        "crm/admin/audit.html", page=page, actions=ACTION_LABELS, action=action
    )
