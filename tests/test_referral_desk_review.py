"""The desk after the outside review: line breaks count once, the usual method is ready,
the admin finds older referrals, and a broken form names no technical field."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crm.db import db as db_proxy
from crm.network.models import Partner
from crm.referrals import services
from crm.referrals.models import Referral
from tests.fixtures.users import make_user
from tests.test_referrals import _nonce, _post, _referral, partner  # noqa: F401 - the fixture


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="([^"]*)"', html) + re.findall(
        rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*checked', html)


def test_a_line_break_counts_as_one_character(app, client, login_as, partner):  # noqa: F811
    login_as("frontoffice")
    # What a browser sends for 195 letters on 6 lines: the textarea counted 200 characters.
    note = "\r\n".join(["de vraag was over voorlezen"[:32].ljust(32, ".")] * 5 + ["x" * 35])
    assert len(note) == 205 and len(note.replace("\r\n", "\n")) == 200
    response = _post(client, partner, note=note)
    assert response.status_code == 302
    with app.app_context():
        stored = db_proxy.session.scalars(select(Referral.note)).one()
    assert stored == note.replace("\r\n", "\n")


def test_a_one_line_field_never_keeps_a_line_break(app, client, login_as):
    login_as("specialist")
    response = client.post("/partners/nieuw", data={
        "name": "Welzijn\r\nRivierstad", "kind": "welzijn", "status": "actief", "theme": "samenwerken",
        "phase": "orientation"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with app.app_context():
        assert db_proxy.session.scalars(select(Partner.name)).one() == "Welzijn Rivierstad"


def test_the_form_starts_with_how_you_referred_last_time(app, client, login_as, partner):  # noqa: F811
    login_as("frontoffice")
    first = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert _checked(first, "method") == []  # nothing to go by yet
    assert _post(client, partner, nonce=_nonce(first), method="folder").status_code == 302
    page = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert _checked(page, "method") == ["folder"]
    assert _checked(page, "purpose") == []  # the purpose differs per visitor: always a choice
    # partner, purpose, save: three interactions
    response = client.post("/verwijzingen/nieuw", data={
        "direction": "uit", "partner_id": partner, "purpose": "geldzaken", "method": "folder",
        "nonce": _nonce(page)})
    assert response.status_code == 302


def test_a_broken_form_names_no_technical_field(client, login_as, partner):  # noqa: F811
    login_as("frontoffice")
    response = _post(client, partner, nonce="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het formulier is niet compleet" in html and "Nonce" not in html


def test_the_admin_corrects_anyones_referral_of_an_earlier_day(app, client, login_as, partner):  # noqa: F811
    login_as("admin")
    with app.app_context():
        desk = make_user("frontoffice", name="Fatima Bakker").id
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    rid = _referral(app, desk, partner, created_at=three_days_ago)
    with app.app_context():
        day = three_days_ago.astimezone(services.local_tz()).date()
    page = client.get(f"/verwijzingen/per-dag?dag={day.isoformat()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Fatima Bakker" in html and "Taalhuis Rivierstad" in html
    back = f"/verwijzingen/per-dag?dag={day.isoformat()}"
    assert f'/verwijzingen/{rid}?next=' in html
    edit = client.get(f"/verwijzingen/{rid}?next={back}")
    assert edit.status_code == 200 and f'name="next" value="{back}"' in edit.get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', edit.get_data(as_text=True)).group(1)
    saved = client.post(f"/verwijzingen/{rid}", data={
        "direction": "uit", "partner_id": partner, "purpose": "geldzaken", "method": "folder",
        "version": version, "next": back})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(back)
    with app.app_context():
        assert db_proxy.session.get(Referral, rid).purpose == "geldzaken"
    # an empty day, a day to come and a date that is none say so
    assert "is niemand verwezen" in client.get("/verwijzingen/per-dag?dag=2020-01-01").get_data(as_text=True)
    future = client.get("/verwijzingen/per-dag?dag=2099-01-01")
    assert future.status_code == 422 and "Die dag moet nog komen" in future.get_data(as_text=True)
    wrong = client.get("/verwijzingen/per-dag?dag=31-02-2026")
    assert wrong.status_code == 422 and "Vul een datum in" in wrong.get_data(as_text=True)


def test_only_the_admin_sees_everyones_referrals(client, login_as):
    login_as("frontoffice")
    assert client.get("/verwijzingen/per-dag").status_code == 403


def test_a_huge_page_number_is_the_last_page(client, login_as):
    login_as("specialist")
    assert client.get("/partners?pagina=" + "9" * 25).status_code == 200


def test_a_purged_day_says_its_referrals_were_not_kept(app, client, login_as, partner):  # noqa: F811
    from crm.admin.services import set_setting
    from crm.referrals.stats import purge_referrals

    login_as("admin")
    long_ago = datetime(2024, 5, 16, 10, 0, tzinfo=UTC)
    _referral(app, None, partner, created_at=long_ago)
    with app.app_context():
        set_setting("referral_retention_months", 3)
        purge_referrals(datetime.now(UTC))
        db_proxy.session.commit()
    page = client.get("/verwijzingen/per-dag?dag=2024-05-16").get_data(as_text=True)
    assert "zijn niet meer bewaard" in page and "3 maanden" in page and "niemand verwezen" not in page
