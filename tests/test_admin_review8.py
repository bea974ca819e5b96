"""The admin after review 8: the logboek answers "who changed this, when" (F3), an admin's own
password (F5), switching off a colleague with open work (F6), a shorter retention (F7),
demoting yourself (F13) and the users table on a phone (F14)."""

from __future__ import annotations

import html
import re
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from crm.admin.services import get_setting
from crm.audit import AuditEntry
from crm.auth.models import User
from crm.db import db, utcnow
from crm.network.models import Contact, Interaction, Partner
from crm.referrals.models import Referral
from crm.referrals.services import month_key
from crm.referrals.stats import RETENTION_KEY, add_months, purge_referrals
from tests.fixtures.users import PASSWORD, login, make_user

LOG = "/beheer/logboek"


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _log_rows(response) -> list[str]:
    body = response.get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _entry(action: str, record_type: str | None, record_id: int | None, *, actor: User | None = None,
           at: datetime | None = None) -> None:
    db.session.add(AuditEntry(action=action, record_type=record_type, record_id=record_id,
                              actor_id=actor.id if actor else None,
                              actor_label=actor.name if actor else "systeem", created_at=at or utcnow()))


# -- F3: the logboek's filters -----------------------------------------------------------------
def test_who_changed_this_partner_last_week(app, client, login_as):
    login_as("admin")
    with app.app_context():
        karim, sanne = make_user("specialist", name="Karim El Amrani"), make_user("specialist", name="Sanne")
        food = Partner(name="Voedselbank Rivierstad", kind="voedselbank", status="actief")
        other = Partner(name="Taalhuis", kind="taalhuis", status="actief")
        db.session.add_all([food, other])
        db.session.commit()
        week_ago = utcnow() - timedelta(days=6)
        _entry("update", "crm_partner", food.id, actor=karim, at=week_ago)
        _entry("update", "crm_partner", food.id, actor=sanne, at=week_ago)
        _entry("update", "crm_partner", other.id, actor=karim, at=week_ago)
        _entry("update", "crm_partner", food.id, actor=karim, at=utcnow() - timedelta(days=40))
        db.session.commit()
        food_id, karim_id = food.id, karim.id
    start = (date.today() - timedelta(days=8)).strftime("%d-%m-%Y")  # typed the Dutch way
    response = client.get(LOG, query_string={"wie": karim_id, "gegeven": "crm_partner",
                                             "nummer": food_id, "van": start})
    assert response.status_code == 200
    rows = _log_rows(response)
    assert len(rows) == 1
    assert "Karim El Amrani" in rows[0] and f"partner #{food_id}: Voedselbank Rivierstad" in rows[0]
    page = response.get_data(as_text=True)
    assert f'href="/partners/{food_id}"' in page  # the record's own page
    assert f"Alle regels over partner #{food_id}" in _text(response)
    # The filters stay filled in, as a GET form with labels.
    assert re.search(rf'<option selected value="{karim_id}">|<option value="{karim_id}" selected>', page)
    assert '<label for="van">Van</label>' in page and '<label for="wie">Wie</label>' in page
    # Without the date, the older change shows up too.
    response = client.get(LOG, query_string={"wie": karim_id, "gegeven": "crm_partner", "nummer": food_id})
    assert len(_log_rows(response)) == 2


def test_each_row_links_to_all_rows_about_its_record(app, client, login_as):
    login_as("admin")
    with app.app_context():
        partner = Partner(name="Kinderopvang De Vlinder", kind="kinderopvang", status="actief")
        db.session.add(partner)
        db.session.commit()
        partner_id = partner.id
    page = client.get(LOG).get_data(as_text=True)
    link = f"/beheer/logboek?gegeven=crm_partner&amp;nummer={partner_id}"
    assert link in page
    response = client.get(html.unescape(link))
    rows = _log_rows(response)
    assert rows and all(f"partner #{partner_id}" in row for row in rows)
    assert "Alle regels over dit gegeven" not in _text(response)  # already there


def test_a_person_is_linked_but_not_named_in_the_log(app, client, login_as):
    login_as("admin")
    with app.app_context():
        contact = Contact(name="Fatima Yilmaz")
        db.session.add(contact)
        db.session.commit()
        contact_id = contact.id
    response = client.get(LOG, query_string={"gegeven": "crm_contact"})
    assert f'href="/personen/{contact_id}"' in response.get_data(as_text=True)
    assert "Fatima" not in _text(response)


def test_a_reused_number_never_borrows_the_new_records_name(app, client, login_as):
    """SQLite may give a new record the number of a deleted one: rows about the deleted
    record get no name and no link."""
    login_as("admin")
    with app.app_context():
        admin = db.session.scalars(select(User)).first()
        partner = Partner(name="Proef Organisatie Drie", kind="welzijn", status="actief")
        db.session.add(partner)
        db.session.commit()
        db.session.execute(AuditEntry.__table__.delete())  # only the story below
        _entry("create", "crm_partner", partner.id, actor=admin, at=utcnow() - timedelta(hours=3))
        _entry("delete", "crm_partner", partner.id, actor=admin, at=utcnow() - timedelta(hours=2))
        _entry("create", "crm_partner", partner.id, actor=admin, at=utcnow() - timedelta(hours=1))
        db.session.commit()
        partner_id = partner.id
    response = client.get(LOG, query_string={"gegeven": "crm_partner", "nummer": partner_id})
    newest, deleted, oldest = _log_rows(response)
    assert "aangemaakt" in newest and "Proef Organisatie Drie" in newest
    for row in (deleted, oldest):
        assert "Proef Organisatie Drie" not in row and "bestaat niet meer" in row
    assert response.get_data(as_text=True).count(f'href="/partners/{partner_id}"') == 2  # the new row + "Nu:"
    assert "Dit nummer is al eens gebruikt" in _text(response)


def test_a_deleted_record_keeps_its_label_without_a_link(app, client, login_as):
    login_as("admin")
    with app.app_context():
        admin = db.session.scalars(select(User)).first()
        _entry("delete", "crm_partner", 999_999, actor=admin)
        db.session.commit()
    response = client.get(LOG, query_string={"gegeven": "crm_partner", "nummer": 999_999})
    assert "partner #999999 (bestaat niet meer)" in _text(response)
    assert 'href="/partners/999999"' not in response.get_data(as_text=True)
    assert "Dit gegeven bestaat niet meer." in _text(response)


def test_names_cost_one_query_per_kind_of_record(app, client, login_as):
    login_as("admin")
    with app.app_context():
        partners = [Partner(name=f"Partner {i}", kind="welzijn", status="actief") for i in range(30)]
        db.session.add_all(partners)
        db.session.commit()
        for p in partners:
            p.notes = "bijgewerkt"
        db.session.commit()
        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM crm_partner" in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(LOG, query_string={"gegeven": "crm_partner"})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(_log_rows(response)) == 50 and "Partner 29" in _text(response)
    assert len(statements) == 1


def test_pagination_keeps_the_filters(app, client, login_as):
    login_as("admin")
    with app.app_context():
        worker = make_user("specialist", name="Drukke Collega")
        for i in range(60):
            _entry("view", "crm_contact", i + 1, actor=worker)
        _entry("view", "crm_contact", 1)
        db.session.commit()
        worker_id = worker.id
    response = client.get(LOG, query_string={"wie": worker_id, "actie": "view"})
    page = response.get_data(as_text=True)
    assert "60 regels met deze filters" in _text(response)
    nxt = html.unescape(re.search(r'<a href="([^"]+)">Volgende', page).group(1))
    assert f"wie={worker_id}" in nxt and "actie=view" in nxt and "pagina=2" in nxt
    assert len(_log_rows(client.get(nxt))) == 10
    far = client.get(LOG, query_string={"wie": worker_id, "pagina": 99})
    assert "Deze pagina bestaat niet: er zijn 2 pagina's." in _text(far)
    assert "Nog niets in het logboek" not in _text(far)


def test_rows_without_a_logged_in_person(app, client, login_as):
    login_as("admin")
    with app.app_context():
        _entry("login_failed", "crm_user", None)
        db.session.commit()
    rows = _log_rows(client.get(LOG, query_string={"wie": "systeem"}))
    assert rows and all("systeem" in row for row in rows)


@pytest.mark.parametrize(("query", "message"), [
    ({"van": "31-02-2026"}, "Van: Vul een geldige datum in, zoals 3-12-2026."),
    ({"van": "2026-11-20", "tot": "2026-11-01"}, "Deze datum ligt vóór de datum bij Van."),
    ({"nummer": "8"}, "Kies bij een nummer ook de soort gegeven."),
    ({"gegeven": "crm_bestaat_niet"}, "Kies een optie uit de lijst."),
    ({"wie": "abc"}, "Kies een optie uit de lijst."),
])
def test_wrong_filters_are_named_and_ignored(app, client, login_as, query, message):
    login_as("admin")
    response = client.get(LOG, query_string=query)
    assert response.status_code == 422
    text = _text(response)
    assert "Controleer de filters" in text and message in text
    assert _log_rows(response)  # the rest of the log is still shown


def test_the_period_is_in_local_days(app, client, login_as):
    login_as("admin")
    with app.app_context():
        admin = db.session.scalars(select(User)).first()
        db.session.execute(AuditEntry.__table__.delete())
        # 23:30 UTC on 2 December is 00:30 on 3 December in Amsterdam.
        _entry("update", "crm_branch", 1, actor=admin, at=datetime(2026, 12, 2, 23, 30, tzinfo=UTC))
        _entry("update", "crm_branch", 2, actor=admin, at=datetime(2026, 12, 2, 22, 30, tzinfo=UTC))
        db.session.commit()
    rows = _log_rows(client.get(LOG, query_string={"van": "3-12-2026", "tot": "3-12-2026"}))
    assert len(rows) == 1 and "#1" in rows[0]
    rows = _log_rows(client.get(LOG, query_string={"tot": "2026-12-02"}))
    assert len(rows) == 1 and "#2" in rows[0]


def test_the_logboek_is_for_admins_only(app, client, login_as):
    login_as("specialist")
    assert client.get(LOG, query_string={"gegeven": "crm_partner", "nummer": 1}).status_code == 403


# -- F5: your own password ---------------------------------------------------------------------
def test_an_admin_is_sent_to_her_own_password_page(app, client, login_as):
    admin_id = login_as("admin")
    page = client.get(f"/beheer/gebruikers/{admin_id}").get_data(as_text=True)
    assert "Dit is je eigen account" in page and 'href="/account/wachtwoord"' in page
    assert f"/beheer/gebruikers/{admin_id}/wachtwoord" not in page
    with app.app_context():
        before = db.session.get(User, admin_id).password_hash
    response = client.post(f"/beheer/gebruikers/{admin_id}/wachtwoord", data={"password": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/wachtwoord")
    assert "Dit is je eigen account" in _text(client.get("/account/wachtwoord"))
    with app.app_context():
        assert db.session.get(User, admin_id).password_hash == before
        assert not db.session.get(User, admin_id).password_must_change
    assert client.get("/beheer/gebruikers").status_code == 200  # still logged in


def test_resetting_a_colleagues_password_still_works(app, client, login_as):
    login_as("admin")
    with app.app_context():
        user = make_user("specialist")
        user_id, email = user.id, user.email
    page = client.get(f"/beheer/gebruikers/{user_id}").get_data(as_text=True)
    assert f"/beheer/gebruikers/{user_id}/wachtwoord" in page
    client.post(f"/beheer/gebruikers/{user_id}/wachtwoord", data={"password": "een-nieuw-lang-wachtwoord"})
    assert login(app.test_client(), email, "een-nieuw-lang-wachtwoord").status_code == 302


# -- F6: switching off a colleague with open work ------------------------------------------------
def _open_work(owner: User, colleague: User) -> None:
    from lobby.models import Meeting, MeetingAgreement, Municipality

    today = date.today()
    mine = [
        Interaction(kind="telefoon", occurred_on=today, summary="a", follow_up="bellen",
                    follow_up_due=today + timedelta(days=10), follow_up_owner_id=owner.id),
        Interaction(kind="telefoon", occurred_on=today - timedelta(days=3), summary="b",
                    follow_up_due=today - timedelta(days=1), follow_up_owner_id=owner.id),
    ]
    done = Interaction(kind="telefoon", occurred_on=today, summary="c", follow_up_due=today,
                       follow_up_owner_id=owner.id, follow_up_done_at=utcnow())
    theirs = Interaction(kind="telefoon", occurred_on=today, summary="d", follow_up_due=today,
                         follow_up_owner_id=colleague.id)
    town = Partner(name="Gemeente Rivierstad", kind="gemeente", status="actief")
    db.session.add_all([*mine, done, theirs, town])
    db.session.flush()
    municipality = Municipality(partner_id=town.id)
    db.session.add(municipality)
    db.session.flush()
    meeting = Meeting(municipality_id=municipality.id, title="Wethouder", held_on=today)
    meeting.agreements = [
        MeetingAgreement(description="Gesprek met de wethouder plannen", owner_id=owner.id,
                         due_on=today - timedelta(days=5)),
        MeetingAgreement(description="Al gedaan", owner_id=owner.id, due_on=today, done_at=utcnow()),
    ]
    db.session.add(meeting)
    db.session.commit()


def test_switching_off_first_shows_the_open_work_to_hand_over(app, client, login_as):
    login_as("admin")
    with app.app_context():
        karim, sanne = make_user("specialist", name="Karim"), make_user("specialist", name="Sanne")
        _open_work(karim, sanne)
        karim_id = karim.id
    users = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert f'href="/beheer/gebruikers/{karim_id}/uitschakelen"' in users and "data-confirm" not in users
    response = client.get(f"/beheer/gebruikers/{karim_id}/uitschakelen")
    text = _text(response)
    assert response.status_code == 200
    assert "Karim heeft nog 2 open opvolgingen en 1 open afspraak uit een gesprek met de gemeente." in text
    assert "te laat" in text and "Gesprek met de wethouder plannen" in text and "Al gedaan" not in text
    page = response.get_data(as_text=True)
    assert page.count('href="/contactmomenten/') == 2 and "/profilering/afspraken/" in page
    assert f'action="/beheer/gebruikers/{karim_id}/actief"' in page and 'name="csrf_token"' in page
    with app.app_context():
        assert db.session.get(User, karim_id).active  # looking is not switching off
    response = client.post(f"/beheer/gebruikers/{karim_id}/actief", data={"confirm": "ja"},
                           follow_redirects=True)
    text = _text(response)
    assert "Karim kan niet meer inloggen." in text
    assert "Karim heeft nog 2 open opvolgingen en 1 open afspraak uit een gesprek met de gemeente." in text
    with app.app_context():
        assert not db.session.get(User, karim_id).active


def test_switching_off_someone_without_open_work(app, client, login_as):
    login_as("admin")
    with app.app_context():
        user_id = make_user("frontoffice", name="Fleur").id
    text = _text(client.get(f"/beheer/gebruikers/{user_id}/uitschakelen"))
    assert "Fleur heeft geen open opvolgingen" in text and "Eerst overdragen" not in text


def test_the_confirmation_refuses_your_own_account(app, client, login_as):
    admin_id = login_as("admin")
    page = client.get(f"/beheer/gebruikers/{admin_id}/uitschakelen").get_data(as_text=True)
    assert "Je kunt je eigen account niet uitschakelen" in page and "Ja, uitschakelen" not in page


# -- F7: a shorter retention ----------------------------------------------------------------------
def _settings(client, **changes) -> dict:
    """Every setting as the page shows it, with ``changes``."""
    page = client.get("/beheer/instellingen").get_data(as_text=True)
    return {**dict(re.findall(r'type="number"[^>]*name="([^"]+)" value="([^"]*)"', page)), **changes}


def _referrals(months_ago: dict[int, int]) -> None:
    partner = Partner(name="Consultatiebureau", kind="consultatiebureau", status="actief")
    db.session.add(partner)
    db.session.flush()
    now = month_key(utcnow())
    for ago, n in months_ago.items():
        for _ in range(n):
            db.session.add(Referral(direction="uit", partner_id=partner.id, purpose="taal-lezen",
                                    method="folder", month=add_months(now, -ago),
                                    nonce=secrets.token_urlsafe(16)))
    db.session.commit()


def test_lowering_the_retention_first_says_what_the_purge_removes(app, client, login_as):
    login_as("admin")
    with app.app_context():
        _referrals({1: 2, 5: 3, 6: 4, 30: 1})
        assert get_setting(RETENTION_KEY) == 24
    response = client.post("/beheer/instellingen", data=_settings(client, **{RETENTION_KEY: "4"}))
    assert response.status_code == 200
    text = _text(response)
    assert "Bewaartermijn verlagen?" in text and "van 24 naar 4" in text
    assert "gaan er 8 verwijzingen weg" in text  # 5, 6 and 30 months ago; not last month
    with app.app_context():
        months = [add_months(month_key(utcnow()), -ago) for ago in (30, 6, 5)]
        from crm.referrals.stats import month_label

        assert f"alle verwijzingen van {month_label(months[0])} tot en met {month_label(months[2])}" in text
        assert get_setting(RETENTION_KEY) == 24  # nothing saved yet
    page = response.get_data(as_text=True)
    assert f'name="{RETENTION_KEY}" value="4"' in page and 'name="confirm" value="ja"' in page

    response = client.post("/beheer/instellingen", data=_settings(client, **{RETENTION_KEY: "4"}, confirm="ja"),
                           follow_redirects=True)
    assert "De instellingen zijn opgeslagen." in _text(response)
    assert "gaan 8 verwijzingen weg" in _text(response)
    with app.app_context():
        assert get_setting(RETENTION_KEY) == 4
        assert "8 van vóór" in purge_referrals(utcnow())  # the same count as the purge
        db.session.commit()


def test_lowering_the_contact_moment_retention_counts_what_the_purge_deletes(app, client, login_as):
    from crm.network.moments import RETENTION_KEY as MOMENTS
    from crm.network.moments import purge_interactions

    login_as("admin")
    today = date.today()
    with app.app_context():
        db.session.add_all([Interaction(kind="telefoon", occurred_on=today - timedelta(days=days), summary="x")
                            for days in (10, 200, 210, 400, 2000)])
        db.session.commit()
    response = client.post("/beheer/instellingen", data=_settings(client, **{MOMENTS: "6"}))
    text = _text(response)
    assert "van 60 naar 6" in text and "gaan er 4 contactmomenten weg" in text
    assert "helemaal verwijderd" in text and "Contactmomenten die weggaan, per maand" in text
    client.post("/beheer/instellingen", data=_settings(client, **{MOMENTS: "6"}, confirm="ja"))
    with app.app_context():
        assert get_setting(MOMENTS) == 6
        assert purge_interactions(utcnow(), 6) == 4  # what the page said
        db.session.commit()


def test_raising_the_retention_or_nothing_to_remove_saves_at_once(app, client, login_as):
    login_as("admin")
    with app.app_context():
        _referrals({1: 2})
    assert client.post("/beheer/instellingen", data=_settings(client, **{RETENTION_KEY: "36"})).status_code == 302
    assert client.post("/beheer/instellingen", data=_settings(client, **{RETENTION_KEY: "12"})).status_code == 302
    with app.app_context():
        assert get_setting(RETENTION_KEY) == 12


# -- F13: demoting yourself ---------------------------------------------------------------------
def test_demoting_yourself_asks_first_and_then_goes_to_the_start_page(app, client, login_as):
    admin_id = login_as("admin")
    with app.app_context():
        make_user("admin")  # someone else stays admin
    data = {"name": "Beheer Zelf", "role": "specialist", "branch_id": "0"}
    response = client.post(f"/beheer/gebruikers/{admin_id}", data=data)
    assert response.status_code == 200
    text = _text(response)
    assert "Je eigen beheerdersrol weghalen?" in text and "Je bent daarna geen beheerder meer" in text
    with app.app_context():
        assert db.session.get(User, admin_id).role == "admin"
    response = client.post(f"/beheer/gebruikers/{admin_id}", data={**data, "confirm": "ja"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "Je bent geen beheerder meer. Je rol is nu Specialist." in _text(home)
    with app.app_context():
        user = db.session.get(User, admin_id)
        assert (user.role, user.name) == ("specialist", "Beheer Zelf")


def test_the_last_admin_gets_the_refusal_not_the_question(app, client, login_as):
    admin_id = login_as("admin")
    response = client.post(f"/beheer/gebruikers/{admin_id}",
                           data={"name": "Beheer", "role": "frontoffice", "branch_id": "0"})
    assert response.status_code == 422
    assert "laatste actieve beheerder" in _text(response) and "weghalen?" not in _text(response)


def test_editing_yourself_without_changing_the_role_asks_nothing(app, client, login_as):
    admin_id = login_as("admin")
    response = client.post(f"/beheer/gebruikers/{admin_id}",
                           data={"name": "Nieuwe Naam", "role": "admin", "branch_id": "0"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/beheer/gebruikers")


# -- F14: the users table on a phone ----------------------------------------------------------------
def test_the_users_table_becomes_cards_on_a_phone(app, client, login_as):
    login_as("admin")
    page = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert '<table class="table table-cards">' in page
    for label in ("Naam", "E-mailadres", "Rol", "Vestiging", "Status"):
        assert f'data-label="{label}"' in page
    assert PASSWORD not in page


def test_the_log_names_a_changed_setting_and_both_values(app, client, login_as):
    from crm.admin.services import set_setting
    from crm.audit import AuditEntry

    login_as("admin")
    with app.app_context():
        db = app.extensions["crm"].db
        set_setting("referral_retention_months", 18)
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "crm_setting")).one()
        assert entry.fields == ["Bewaartermijn verwijzingen (maanden): 24 → 18"]
    page = client.get("/beheer/logboek").get_data(as_text=True)
    assert "Bewaartermijn verwijzingen (maanden): 24 → 18" in page


def test_switching_off_sent_twice_does_not_switch_the_account_back_on(app, client, login_as):
    from crm.auth.models import User
    from tests.fixtures.users import make_user

    login_as("admin")
    with app.app_context():
        uid = make_user("specialist").id
    for _ in range(2):  # the confirmation sent again (Back, or a colleague did it already)
        client.post(f"/beheer/gebruikers/{uid}/actief", data={"actief": "0", "confirm": "ja"})
    with app.app_context():
        assert app.extensions["crm"].db.session.get(User, uid).active is False
    client.post(f"/beheer/gebruikers/{uid}/actief?actief=1")
    client.post(f"/beheer/gebruikers/{uid}/actief?actief=1")
    with app.app_context():
        assert app.extensions["crm"].db.session.get(User, uid).active is True


def test_the_log_filter_offers_settings(app):
    from crm.audit import audited_record_types

    with app.app_context():
        assert ("crm_setting", "instelling") in audited_record_types()
