"""Administration: users and roles, branches, lists, settings, audit log."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from crm.admin.models import Branch, Choice
from crm.audit import AuditEntry
from crm.auth.models import User
from crm.db import db
from tests.fixtures.users import login


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_admin_creates_a_user_who_can_log_in(app, client, login_as):
    login_as("admin")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "name": "Nina Nieuw", "email": "Nina@Bieb.example", "role": "frontoffice",
        "branch_id": "0", "password": "",
    }, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Account voor Nina Nieuw is aangemaakt." in page
    password = re.search(r"Het wachtwoord is: <code class=\"secret\">(\S+)</code>", page).group(1)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    session = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert "_user_id" in session and password not in repr(session)  # never in the cookie
    other = app.test_client()
    assert login(other, "nina@bieb.example", password).status_code == 302
    # The admin knows this password: Nina first chooses her own.
    assert other.get("/").headers["Location"].endswith("/account/wachtwoord")
    own = "een-eigen-zin-om-te-onthouden"
    assert other.post("/account/wachtwoord", data={"current": password, "new": own,
                                                   "repeat": own}).status_code == 302
    assert "Frontoffice" in other.get("/").get_data(as_text=True)


def test_duplicate_email_weak_password_and_missing_name_store_nothing(app, client, login_as):
    login_as("admin")
    with app.app_context():
        before = _count(User)
    cases = [
        ({"email": "admin1@bieb.example"}, "Er is al een account met dit e-mailadres."),
        ({"password": "kort"}, "Kies een wachtwoord van minstens 12 tekens."),
        ({"password": "wachtwoord123"}, "veel gebruikt"),
        ({"name": ""}, "Vul de naam in."),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in"),
    ]
    for change, message in cases:
        data = {"name": "Test", "email": "nieuw@bieb.example", "role": "specialist",
                "branch_id": "0", "password": "een-prima-lang-wachtwoord"}
        data.update(change)
        if change.get("email") == "admin1@bieb.example":
            with app.app_context():
                data["email"] = db.session.scalars(select(User)).first().email
        response = client.post("/beheer/gebruikers/nieuw", data=data)
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    with app.app_context():
        assert _count(User) == before


def test_disable_enable_and_reset_password(app, client, login_as):
    login_as("admin")
    with app.app_context():
        from tests.fixtures.users import make_user

        user = make_user("specialist")
        user_id, email = user.id, user.email
    client.post(f"/beheer/gebruikers/{user_id}/actief")
    assert login(app.test_client(), email).status_code == 422
    client.post(f"/beheer/gebruikers/{user_id}/actief")
    page = client.post(f"/beheer/gebruikers/{user_id}/wachtwoord", data={"password": ""},
                       follow_redirects=True).get_data(as_text=True)
    password = re.search(r"Het nieuwe wachtwoord is: <code class=\"secret\">(\S+)</code>", page).group(1)
    assert login(app.test_client(), email, password).status_code == 302


def test_last_admin_cannot_be_disabled_or_demoted(app, client, login_as):
    import pytest

    from crm.auth.services import AccountError, set_active

    admin_id = login_as("admin")
    page = client.post(f"/beheer/gebruikers/{admin_id}", data={
        "name": "Beheer", "role": "specialist", "branch_id": "0"}).get_data(as_text=True)
    assert "laatste actieve beheerder" in page
    with app.app_context():
        with pytest.raises(AccountError, match="laatste actieve beheerder"):
            set_active(db.session.get(User, admin_id), False)  # e.g. from a script: no actor
        db.session.rollback()
        assert db.session.get(User, admin_id).active
        assert db.session.get(User, admin_id).role == "admin"


def test_branches_create_and_duplicate(app, client, login_as):
    login_as("admin")
    response = client.post("/beheer/vestigingen/nieuw", data={"name": "Noord", "place": "Stad", "active": "y"})
    assert response.status_code == 302
    response = client.post("/beheer/vestigingen/nieuw", data={"name": "noord", "place": ""})
    assert response.status_code == 422
    assert "Er is al een vestiging met deze naam." in response.get_data(as_text=True)
    with app.app_context():
        assert [b.name for b in db.session.scalars(select(Branch))] == ["Noord"]


def test_editable_list_add_and_hide(app, client, login_as):
    login_as("admin")
    page = client.get("/beheer/lijsten/partner_kinds").get_data(as_text=True)
    assert "Kinderopvang" in page
    client.post("/beheer/lijsten/partner_kinds", data={"label": "Bibliotheek op school"})
    client.post("/beheer/lijsten/partner_kinds/kinderopvang/actief")
    with app.app_context():
        from crm.admin.services import choice_label, choices

        codes = [code for code, _ in choices("partner_kinds")]
        assert "bibliotheek-op-school" in codes and "kinderopvang" not in codes
        assert choice_label("partner_kinds", "kinderopvang") == "Kinderopvang"
        assert _count(Choice) == 20
    response = client.post("/beheer/lijsten/partner_kinds", data={"label": "bibliotheek op school"})
    assert response.status_code == 422


def test_changes_are_in_the_audit_log_without_values(app, client, login_as):
    login_as("admin")
    client.post("/beheer/vestigingen/nieuw", data={"name": "Geheime Plek", "place": "X"})
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "crm_branch")).one()
        assert entry.action == "create" and "name" in entry.fields
        assert entry.actor_label.startswith("Admin")
        branch_id = entry.record_id
    client.post(f"/beheer/vestigingen/{branch_id}", data={"name": "Vestiging West", "place": "X", "active": "y"})
    page = client.get("/beheer/logboek").get_data(as_text=True)
    # The log keeps no values, so the old name is nowhere; the record is named as it is now.
    assert "vestiging #" in page and "Geheime Plek" not in page and "Vestiging West" in page


def test_settings_reject_out_of_range(app, client, login_as):
    from crm.registry import Setting, current_registry

    with app.app_context():
        current_registry().settings.setdefault(
            "test_months", Setting("test_months", "Testtermijn", 12, 1, 60))
    login_as("admin")
    page = client.get("/beheer/instellingen").get_data(as_text=True)
    current = dict(re.findall(r'type="number"[^>]*name="([^"]+)" value="([^"]*)"', page))
    assert current["test_months"] == "12"
    response = client.post("/beheer/instellingen", data={**current, "test_months": "999"})
    assert response.status_code == 422 and "Kies een getal van 1 tot en met 60." in response.get_data(as_text=True)
    assert client.post("/beheer/instellingen", data={**current, "test_months": "18"}).status_code == 302
    with app.app_context():
        from crm.admin.services import get_setting

        assert get_setting("test_months") == 18
        current_registry().settings.pop("test_months")


def test_editing_a_user_keeps_a_branch_that_is_no_longer_in_use(app, client, login_as):
    login_as("admin")
    with app.app_context():
        from tests.fixtures.users import make_user

        branch = Branch(name="Vestiging Dorpsplein", active=False)
        db.session.add(branch)
        user = make_user("frontoffice")
        user.branch_id = branch.id
        db.session.commit()
        user_id, branch_id = user.id, branch.id
    page = client.get(f"/beheer/gebruikers/{user_id}").get_data(as_text=True)
    assert "Vestiging Dorpsplein (niet meer in gebruik)" in page
    response = client.post(f"/beheer/gebruikers/{user_id}", data={
        "name": "Nieuwe Naam", "role": "frontoffice", "branch_id": str(branch_id)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).branch_id == branch_id


def test_an_admin_cannot_switch_off_her_own_account(app, client, login_as):
    admin_id = login_as("admin")
    with app.app_context():
        from tests.fixtures.users import make_user

        make_user("admin")  # not the last admin: only the own-account rule refuses
    page = client.post(f"/beheer/gebruikers/{admin_id}/actief", follow_redirects=True).get_data(as_text=True)
    assert "Je kunt je eigen account niet uitschakelen" in page
    with app.app_context():
        assert db.session.get(User, admin_id).active


def test_audit_log_names_records_in_dutch_and_logs_logout_but_not_login_time(app, client, login_as):
    admin_id = login_as("admin")
    client.post("/beheer/vestigingen/nieuw", data={"name": "Vestiging Oost", "active": "y"})
    page = client.get("/beheer/logboek").get_data(as_text=True)
    shown = re.sub(r"<[^>]+>", " ", page)  # the text people read; filter values are table names
    assert "vestiging #" in shown and "crm_branch" not in shown
    client.post("/uitloggen")
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == admin_id)).all()
        assert "logout" in actions
        login_time = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "update", AuditEntry.record_type == "crm_user")).all()
        assert not [e for e in login_time if e.fields == ["last_login_at"]]
