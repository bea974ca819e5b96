"""Erasure and the AVG export reach the free text of every package (QUALITY.md 17), through
the registry's PersonalText declarations, not only the network's own records."""

from __future__ import annotations

import json
from datetime import date

from collaboration.models import Agreement
from crm.db import db as db_proxy
from crm.network.models import Contact
from lobby.models.evidence import Evidence


def test_export_and_erase_reach_lobby_and_collaboration_text(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        person = Contact(name="Peter van Dijk", email="p.vandijk@raad.example")
        quote = Evidence(kind="quote", title="Raadsvergadering", occurred_on=date.today(),
                         source="Verslag", text="Peter van Dijk noemde de bieb 'onmisbaar'.")
        agreement = Agreement(title="Netwerk", ambition="Samen met Peter van Dijk het netwerk versterken")
        db_proxy.session.add_all([person, quote, agreement])
        db_proxy.session.commit()
        cid, quote_id, agreement_id = person.id, quote.id, agreement.id
    report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    kinds = {m["soort"] for m in report["genoemd in"]}
    assert {"bewijslast", "samenwerkingsafspraken"} <= kinds
    assert client.post(f"/personen/{cid}/wissen", data={"confirm_name": "Peter van Dijk"}).status_code == 302
    with app.app_context():
        quote = db_proxy.session.get(Evidence, quote_id)
        agreement = db_proxy.session.get(Agreement, agreement_id)
        assert "Peter van Dijk" not in quote.text and "[verwijderd]" in quote.text
        assert "Peter van Dijk" not in agreement.ambition
