"""No N+1 queries: the number of SQL statements per page does not grow with the rows shown."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from crm.db import db as db_proxy
from crm.network.models import Affiliation, Contact, Interaction, Partner

PAGES = ("/", "/partners", "/personen", "/contactmomenten", "/zoeken?q=netwerk", "/sociale-kaart",
         "/woordweb", "/krachtenveld?wie=iedereen", "/contactmomenten?open=1&van=mij")


def add_rows(app, n: int, owner_id: int, start: int) -> None:
    with app.app_context():
        for i in range(start, start + n):
            partner = Partner(name=f"Netwerk partner {i}", kind="welzijn", status="actief", tags=["vve"],
                              offer="netwerk")
            contact = Contact(name=f"Netwerk persoon {i}", influence=3, interest=4)
            contact.affiliations.append(Affiliation(partner=partner, function="coördinator"))
            db_proxy.session.add(Interaction(
                kind="telefoon", occurred_on=date.today(), summary=f"netwerk gesprek {i}",
                contacts=[contact], partners=[partner], follow_up="bellen",
                follow_up_due=date.today() + timedelta(days=1), follow_up_owner_id=owner_id,
            ))
        db_proxy.session.commit()


@contextmanager
def counting(app):
    statements: list[str] = []
    with app.app_context():
        engine = db_proxy.engine

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def queries_per_page(app, client) -> dict[str, int]:
    result = {}
    for url in PAGES:
        client.get(url)  # warm up (lists, settings)
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = len(statements)
    return result


def test_queries_do_not_grow_with_rows(app, client, login_as):
    uid = login_as("specialist")
    add_rows(app, 3, uid, 0)
    small = queries_per_page(app, client)
    add_rows(app, 12, uid, 3)
    large = queries_per_page(app, client)
    grown = {url: (small[url], large[url]) for url in PAGES if large[url] > small[url]}
    assert not grown, f"queries grow with the number of rows (N+1): {grown}"
