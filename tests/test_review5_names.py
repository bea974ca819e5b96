"""Review 5 (accessibility, plain language): buttons that say what they act on, one name per
action, the plain status name, the error summary in page order, patterns in the monthly
chart, and the copy button on the invitation link page (findings 7, 11, 15, 16, 17, 18)."""

from __future__ import annotations

import re

from collaboration.scan.forms import NewRoundForm, OutcomeForm
from crm.network.models import STATUS_LABELS
from crm.referrals import PURPOSES
from crm.referrals.charts import HATCHES, _colour, _hatch, chart_svg
from crm.referrals.stats import Stats, StatsFilter
from tests.test_scan import _nonce, make_round

TEXT = "Voorbeeld"  # the text of every record of the ``world`` fixture


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _names(html: str, label: str) -> list[str]:
    """The accessible names of the buttons whose visible text starts with ``label``."""
    found = re.findall(rf"<button[^>]*>({re.escape(label)}.*?)</button>", html, re.S)
    return [re.sub(r"<[^>]+>", "", name).strip() for name in found]


# -- finding 7: a hidden context after a repeated button name ------------------------------------
def test_tick_off_buttons_name_the_agreement_and_the_action(client, login_as, world):
    login_as("specialist")
    meeting = _html(client, f"/profilering/gesprekken/{world['meeting_id']}")
    assert _names(meeting, "Afvinken") == [f"Afvinken: {TEXT}"]
    plan = _html(client, f"/profilering/plan-van-aanpak/{world['action_plan_id']}")
    assert _names(plan, "Afvinken") == [f"Afvinken: {TEXT}"]


def test_delete_buttons_name_the_material_and_the_figure(client, login_as, world):
    login_as("specialist")
    materials = _html(client, "/profilering/kernboodschap")
    assert f"Verwijderen: {TEXT}" in _names(materials, "Verwijderen")
    figures = _html(client, f"/profilering/gemeenten/{world['municipality_id']}/cijfers")
    assert _names(figures, "Verwijderen") == [f"Verwijderen: {TEXT} (2024)"]


def test_revoke_button_names_whose_link_it_is(client, login_as, world):
    login_as("specialist")
    html = _html(client, f"/samenwerken/scan/{world['round_id']}")
    names = _names(html, "Intrekken")
    assert names and all(name.startswith("Intrekken: link van ") for name in names)
    assert f"Intrekken: link van {TEXT} collega" in names


def test_make_current_has_one_name_with_the_version_in_the_list(app, client, login_as, world):
    from crm.db import db
    from lobby.models import PitchVersion

    with app.app_context():
        old = PitchVersion(title="Oude versie", text="Een oude tekst.", current=False)
        db.session.add(old)
        db.session.commit()
        old_id = old.id
    login_as("specialist")
    pitches = _html(client, "/profilering/pitch")
    assert "Maak huidig" not in pitches
    assert _names(pitches, "Maak dit de huidige pitch") == ["Maak dit de huidige pitch: Oude versie"]
    pitch = _html(client, f"/profilering/pitch/{old_id}")
    assert _names(pitch, "Maak dit de huidige pitch") == ["Maak dit de huidige pitch"]


# -- finding 15: one name for the e-mail download -------------------------------------------------
def test_both_mail_downloads_have_the_same_plain_name(client, login_as, world):
    login_as("specialist")
    meeting = _html(client, f"/profilering/gesprekken/{world['meeting_id']}")
    interaction = _html(client, f"/contactmomenten/{world['interaction_id']}")
    for html in (meeting, interaction):
        assert "Download als e-mail (voor Outlook)</a>" in html
        assert "(.eml)" not in html and "als .eml" not in html


# -- finding 11: the status name of the interface, not the code ----------------------------------
def test_assessment_hint_uses_the_status_name_not_the_code(client, login_as, world):
    login_as("specialist")
    html = _html(client, "/samenwerken/afwegingstabel/nieuw")
    hint = re.search(r'<p class="hint" id="apply_status-hint">(.*?)</p>', html, re.S).group(1)
    assert "prospect" not in hint
    assert STATUS_LABELS["prospect"] in hint.replace("&#39;", "'")


# -- finding 16: the error summary follows the page -----------------------------------------------
def test_new_round_fields_are_in_page_order(app):
    with app.test_request_context():
        assert [f.name for f in NewRoundForm() if f.type not in ("CSRFTokenField", "HiddenField")][:6] == [
            "title", "purpose", "partner_ids", "opens_on", "closes_on", "partners_may_see_results"]
        # the edit form has no partner list
        assert "partner_ids" not in OutcomeForm()._fields and "_partner_ids" not in OutcomeForm()._fields


def test_new_round_error_summary_lists_partners_before_the_dates(client, login_as, world):
    login_as("specialist")
    response = client.post("/samenwerken/scan/nieuw", data={"title": "", "opens_on": "", "closes_on": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('id="foutmeldingen"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#([a-z_]+)"', summary)
    assert links == ["title", "partner_ids", "opens_on", "closes_on"]
    page_order = [html.index(f'id="{name}"', html.index("</div>", html.index('id="foutmeldingen"')))
                  for name in links]
    assert page_order == sorted(page_order)


# -- finding 17: a pattern as well as a colour per purpose ----------------------------------------
def test_every_purpose_differs_in_pattern_or_colour_from_every_other():
    pairs = [(_colour(i), _hatch(i)) for i in range(40)]
    assert len(set(pairs)) == len(pairs)
    # the nine standard purposes all have their own pattern
    assert len({_hatch(i) for i in range(len(PURPOSES))}) == len(PURPOSES) == len(HATCHES)


def test_monthly_chart_draws_the_patterns():
    months = [202601 + i for i in range(3)]
    by_month = {m: {code: 2 for code, _ in PURPOSES} for m in months}
    stats = Stats(filter=StatsFilter(months[0], months[-1]), months=months, purposes=list(PURPOSES),
                  by_month_purpose=by_month, by_month_direction={}, by_purpose=[], by_method=[],
                  by_branch=[], by_partner=[], by_direction=[], comparison=[],
                  total=sum(sum(v.values()) for v in by_month.values()))
    svg = chart_svg("maand", stats).decode()
    # matplotlib writes one <pattern> per hatch; eight of the nine purposes are hatched
    assert len(set(re.findall(r'<pattern id="([^"]+)"', svg))) >= len(PURPOSES) - 1
    for _code, label in PURPOSES:
        assert label in svg


# -- finding 18: copy the invitation link --------------------------------------------------------
def test_invitation_link_page_has_a_copy_button_and_a_wide_field(app, client, login_as):
    info = make_round(app)
    login_as("specialist")
    form = client.get(f"/samenwerken/scan/{info.id}/uitnodigen?partij={info.parties[1]}")
    response = client.post(f"/samenwerken/scan/{info.id}/uitnodigen",
                           data={"party_id": str(info.parties[1]), "person_name": "Els Verbeek",
                                 "nonce": _nonce(form.get_data(as_text=True))})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    field = re.search(r'<input id="uitnodigingslink"[^>]*>', html).group(0)
    assert 'class="input-wide"' in field and "readonly" in field
    button = re.search(r"<button[^>]*data-copy=[^>]*>[^<]*</button>", html, re.S).group(0)
    assert 'data-copy="#uitnodigingslink"' in button and "Kopieer de link" in button
    assert 'type="button"' in button and " hidden" in button  # crm.js shows it
    status = re.search(r'data-copy-status="#([^"]+)"', button).group(1)
    assert re.search(rf'<span id="{status}" role="status"></span>', html)
    assert "<script" not in html.split("<main", 1)[1]  # no inline script (CSP)
