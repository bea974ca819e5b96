"""The substring index behind the search of contact moments follows every change."""

from __future__ import annotations

from datetime import date

from crm.network.models import Interaction
from crm.network.moments import search


def test_search_follows_insert_update_and_delete(db):
    moment = Interaction(kind="telefoon", occurred_on=date(2026, 3, 1),
                         summary="Gebeld over de VoorleesExpress", outcome="Folder gestuurd")
    other = Interaction(kind="e-mail", occurred_on=date(2026, 3, 2), summary="Niets bijzonders")
    db.session.add_all([moment, other])
    db.session.commit()
    assert [i.id for i in search("voorleesexpress")["interactions"]] == [moment.id]
    assert [i.id for i in search("FOLDER")["interactions"]] == [moment.id]  # case does not matter
    assert search('"; drop table x; --')["interactions"] == []  # quotes are only text
    moment.summary = "Gebeld over BoekStart"
    db.session.commit()
    assert search("voorleesexpress")["interactions"] == []
    assert [i.id for i in search("boekstart")["interactions"]] == [moment.id]
    db.session.delete(moment)
    db.session.commit()
    assert search("boekstart")["interactions"] == []
    assert [i.id for i in search("bijzonders")["interactions"]] == [other.id]
