"""Administration pages: users, branches, lists, settings and the audit log."""

from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from crm.admin import impact, logbook, services
from crm.admin.forms import (
    MOVES,
    BranchForm,
    ChoiceForm,
    ChoiceMoveForm,
    ChoiceRenameForm,
    EmptyForm,
    LogFilterForm,
    PasswordResetForm,
    UserEditForm,
    UserForm,
)
from crm.admin.models import Branch
from crm.audit import audited_record_types, log_query
from crm.auth import services as accounts
from crm.auth.models import User
from crm.blueprint import bp
from crm.db import db
from crm.forms import ConfirmForm
from crm.permissions import admin_only
from crm.registry import current_registry
from crm.roles import ADMIN, ROLE_LABELS
from crm.web import CONFIRM_VALUE, add_form_error, confirmed, page_number, render_form, save_form

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


def _is_me(user: User) -> bool:
    """Whether ``user`` is the admin making this request (some changes are different then)."""
    me = accounts.current_account()
    return me is not None and me.id == user.id


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
    own = _is_me(user)
    if form.validate_on_submit():
        def update():
            accounts.update_user(user, form.name.data, form.role.data, form.branch_id.data or None)

        demotes_self = own and user.role == ADMIN and form.role.data != ADMIN
        if demotes_self and not confirmed(ConfirmForm()):
            problem = accounts.role_change_problem(user, form.role.data)
            if problem:  # ask only what the rules allow (not the last admin)
                add_form_error(form, "role", problem)
            else:
                return _confirm_demotion(user, form)
        else:
            _, ok = save_form(form, update)
            if ok and demotes_self:
                flash(f"Je bent geen beheerder meer. Je rol is nu {ROLE_LABELS[user.role]}.", "success")
                return redirect(url_for("crm.home"))
            if ok:
                flash("De gegevens zijn opgeslagen.", "success")
                return redirect(url_for("crm.admin_users"))
    return render_form(
        "crm/admin/user_form.html", form, user=user, own=own, password_form=PasswordResetForm(),
    )


def _confirm_demotion(user: User, form: UserEditForm):
    """Taking away your own admin role: after saving you cannot open these pages any more."""
    return render_template(
        "crm/admin/confirm_demotion.html", user=user, role_label=ROLE_LABELS.get(form.role.data, ""),
        keep=[("name", form.name.data), ("role", form.role.data), ("branch_id", form.branch_id.data or 0)],
        confirm_value=CONFIRM_VALUE,
    )


OWN_ACCOUNT_OFF = "Je kunt je eigen account niet uitschakelen. Vraag dat aan een andere beheerder."


@bp.route("/beheer/gebruikers/<int:user_id>/uitschakelen")
@admin_only
@own_accounts_only
def admin_user_disable(user_id: int):
    """The confirmation before switching a colleague off: what they still have open, because
    their start page is the only place that shows it."""
    user = _get_user(user_id)
    if not user.active:
        flash(f"{user.name} is al uitgeschakeld.", "info")
        return redirect(url_for("crm.admin_users"))
    return render_template(
        "crm/admin/confirm_disable.html", user=user, work=impact.open_work(user.id),
        blocked=OWN_ACCOUNT_OFF if _is_me(user) else None,
        confirm_value=CONFIRM_VALUE,
    )


@bp.route("/beheer/gebruikers/<int:user_id>/actief", methods=["POST"])
@admin_only
@own_accounts_only
def admin_user_toggle(user_id: int):
    user = _get_user(user_id)
    # The page says what it wants ("actief" 0 or 1): sent again, or after another admin did
    # the same, it does not switch the account back. Without it: the other state.
    wanted = {"0": False, "1": True}.get(request.values.get("actief", ""), not user.active)
    try:
        account = accounts.current_account()
        accounts.set_active(user, wanted, account.id if account else None)
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{user.name} kan {'weer' if user.active else 'niet meer'} inloggen.", "success")
        if not user.active and (work := impact.open_work(user.id)):
            flash(f"{user.name} heeft nog {_and(w.words for w in work)}. Draag die over aan een "
                  "collega; ze staan nu op niemands startpagina.", "warning")
    return redirect(url_for("crm.admin_users"))


def _and(parts) -> str:
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


@bp.route("/beheer/gebruikers/<int:user_id>/wachtwoord", methods=["POST"])
@admin_only
@own_accounts_only
def admin_user_password(user_id: int):
    user = _get_user(user_id)
    if _is_me(user):
        # Setting it here would end every session, this one too, and a made-up password
        # that was not copied would lock the admin out: their own page asks for the current
        # one and keeps them logged in.
        flash(USE_OWN_PAGE, "info")
        return redirect(url_for("crm.password_change"))
    form = PasswordResetForm()
    if form.validate_on_submit():
        generated = accounts.set_password(user, form.password.data or None, must_change=True)
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
        "crm/admin/user_form.html", form=edit_form, user=user, own=False, password_form=form,
    ), 422


USE_OWN_PAGE = ("Dit is je eigen account. Je eigen wachtwoord wijzig je hier: je vult eerst je huidige "
                "wachtwoord in, en je blijft ingelogd.")


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
    stored = dict(values)
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
        previews = [] if errors else impact.purge_previews(stored, values)
        if errors or (previews and not confirmed(ConfirmForm())):
            db.session.rollback()
            if not errors:  # a shorter retention: first say what the purge will remove
                return render_template("crm/admin/confirm_retention.html", previews=previews,
                                       specs=specs, values=values, confirm_value=CONFIRM_VALUE)
        else:
            db.session.commit()
            flash("De instellingen zijn opgeslagen.", "success")
            for preview in previews:
                flash(f"Bij de volgende keer opruimen gaan {preview.words} weg, van "
                      f"{preview.period}.", "warning")
            return redirect(url_for("crm.admin_settings"))
    status = 422 if errors else 200
    return render_template(
        "crm/admin/settings.html", specs=specs, values=values, errors=errors, form=form
    ), status


# -- audit log ------------------------------------------------------------------------------
@bp.route("/beheer/logboek")
@admin_only
def admin_audit():
    form = LogFilterForm(request.args)
    form.wie.choices = logbook.actor_choices()
    form.gegeven.choices = [("", "Alle soorten"), *audited_record_types()]
    form.validate()
    flt = logbook.log_filter(form)
    page = db.paginate(log_query(flt), page=page_number(), per_page=50, error_out=False)
    return render_template(
        "crm/admin/audit.html", form=form, page=page, filtered=flt.active,
        records=logbook.describe(page.items), subject=logbook.subject(flt),
        record_filter=flt.record_type and flt.record_id is not None,
    ), 422 if form.errors else 200
