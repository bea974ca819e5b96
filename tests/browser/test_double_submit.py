"""A second press on a form's button while the first is on its way is not sent; after a
few seconds, or when the user comes Back to the page, the form works again."""

from __future__ import annotations

from tests.browser.helpers import browser_login
from tests.fixtures.users import make_user

# Counts the submissions that really go out (after the app's own guard) and keeps the page.
COUNT_SENT = """() => {
  window.sent = 0;
  document.addEventListener("submit", (e) => { if (!e.defaultPrevented) { window.sent++; } e.preventDefault(); });
}"""


def test_a_second_press_is_not_sent(app, live_server, page):
    with app.app_context():
        email = make_user("specialist").email
    browser_login(page, live_server, email)
    page.goto(f"{live_server}/partners/nieuw")
    page.locator("#name").fill("Welzijn Rivierstad")
    page.evaluate(COUNT_SENT)
    button = page.get_by_role("button", name="Opslaan")
    button.click()
    button.click()  # an impatient second press
    assert page.evaluate("window.sent") == 1
    page.wait_for_timeout(4200)  # no answer came (or a download): the form works again
    button.click()
    assert page.evaluate("window.sent") == 2


def test_a_cancelled_confirmation_does_not_count_as_sent(app, live_server, page):
    from crm.network.models import Partner
    from crm.referrals import services

    with app.app_context():
        db = app.extensions["crm"].db
        user = make_user("frontoffice")
        email = user.email
        partner = Partner(name="Taalhuis Rivierstad", kind="taalhuis", status="actief")
        db.session.add(partner)
        db.session.flush()
        services.create_referral(services.ReferralData("uit", partner.id, "taal-lezen", "folder"),
                                 user.id, "eerste")
        db.session.commit()
    browser_login(page, live_server, email)
    page.goto(f"{live_server}/verwijzingen/vandaag")
    page.evaluate(COUNT_SENT)
    answers = iter([False, True])
    page.on("dialog", lambda dialog: dialog.accept() if next(answers) else dialog.dismiss())
    delete = page.locator("form[data-confirm] button[type=submit]").first
    delete.click()  # "Deze verwijzing verwijderen?" - Annuleren
    assert page.evaluate("window.sent") == 0
    delete.click()  # OK: sent at once, not held back by the cancelled press
    assert page.evaluate("window.sent") == 1
