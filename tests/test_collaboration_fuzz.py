"""Random input into the instruments' forms gives a page or a Dutch error, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.network.models import Partner
from tests.collaboration_support import fresh_client

FORMS = {
    "/samenwerken/aanhaakkalender/nieuw": ("kind", "title", "age_months", "start_date", "end_date",
                                           "message", "action_date", "owner_id", "partner_kinds",
                                           "partner_ids", "phase"),
    "/samenwerken/afwegingstabel/nieuw": ("partner_id", "decision", "rationale", "decided_on",
                                          "decided_by", "review_on", "score_d0", "note_d0", "phase"),
    "/samenwerken/krachtenanalyse/nieuw": ("partner_id", "made_on", "interests", "strengths", "phase"),
    "/samenwerken/afspraken/nieuw": ("title", "partner_ids", "ambition", "document_kind",
                                     "document_date", "reflection_on", "phase"),
}

values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-9", "97", "5", "1", "2027-01-31", "31-01-2027", "2027-02-30",
                     "levensfase", "jaarmoment", "aangaan", "later", "orientation", "creation",
                     "intentieverklaring", "99999999999999999999", "\x00", "<script>alert(1)</script>"]),
)


@pytest.fixture
def client(app):
    return fresh_client(app)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_forms_never_fail_with_500(client, login_as, db, data):
    if not getattr(client, "_logged_in", False):
        login_as("specialist")
        db.session.add(Partner(name="Fuzz partner", kind="welzijn", status="prospect"))
        db.session.commit()
        client._logged_in = True
    url = data.draw(st.sampled_from(sorted(FORMS)))
    form = {name: data.draw(values) for name in FORMS[url]}
    response = client.post(url, data=form)
    assert response.status_code in (302, 422), (url, form, response.status_code)


@pytest.mark.parametrize("url", [
    "/samenwerken/aanhaakkalender/99999999999999999999",
    "/samenwerken/afwegingstabel/99999999999999999999",
    "/samenwerken/partners/99999999999999999999",
    "/samenwerken/aanhaakkalender?jaar=99999&partner=99999999999999999999",
    "/samenwerken/aanhaakkalender/tijdlijn.svg?partner=-1",
    "/samenwerken/aanhaakkalender/feed/" + "x" * 500 + ".ics",
])
def test_odd_urls_give_a_page_or_404(client, login_as, url):
    login_as("specialist")
    assert client.get(url).status_code in (200, 404)
