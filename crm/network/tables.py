"""The tables behind the exports of the partner, people and contact-moment lists."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from crm.db import db


def partners_frame(stmt, lists: dict) -> pd.DataFrame:
    kinds = dict(lists["partner_kinds"])
    rows = []
    for p in db.session.scalars(stmt.limit(100000)):
        rows.append({"naam": p.name, "soort": kinds.get(p.kind, p.kind),
                     "intern": "ja" if p.internal else "nee",
                     "status": p.status_label, "aanbod": p.offer, "zo verwijs je": p.how_to_refer,
                     "adres": p.address, "plaats": p.place, "website": p.website, "telefoon": p.phone,
                     "e-mail": p.email, "labels": p.tags_text, "notities": p.notes,
                     "gewijzigd": p.updated_at})
    columns = ["naam", "soort", "intern", "status", "aanbod", "zo verwijs je", "adres", "plaats", "website",
               "telefoon", "e-mail", "labels", "notities", "gewijzigd"]
    return pd.DataFrame(rows, columns=columns)


def contacts_frame(stmt, lists: dict) -> pd.DataFrame:
    positions, domains = dict(lists["contact_positions"]), dict(lists["policy_domains"])
    rows = []
    for c in db.session.scalars(stmt.limit(100000)):
        orgs = "; ".join(f"{a.partner.name} ({a.function})" if a.function else a.partner.name
                         for a in c.affiliations)
        rows.append({"naam": c.name, "e-mail": c.email, "telefoon": c.phone,
                     "positie": positions.get(c.position, c.position), "organisaties": orgs,
                     "domeinen": ", ".join(domains.get(d, d) for d in c.domains or []),
                     "invloed": c.influence, "belang": c.interest, "relatie": c.warmth,
                     "wat weten ze al": c.knowledge, "belangen": c.interests, "haakje": c.hook,
                     "wie kent hen": c.known_by, "notities": c.notes})
    columns = ["naam", "e-mail", "telefoon", "positie", "organisaties", "domeinen", "invloed", "belang",
               "relatie", "wat weten ze al", "belangen", "haakje", "wie kent hen", "notities"]
    return pd.DataFrame(rows, columns=columns)


def interactions_frame(stmt, lists: dict) -> pd.DataFrame:
    kinds = dict(lists["interaction_kinds"])
    rows = []
    for i in db.session.scalars(stmt.limit(100000)):
        rows.append({"datum": i.occurred_on, "soort": kinds.get(i.kind, i.kind),
                     "personen": "; ".join(c.name for c in i.contacts),
                     "organisaties": "; ".join(p.name for p in i.partners),
                     "vanuit de bibliotheek": i.library_people, "samenvatting": i.summary,
                     "uitkomst": i.outcome, "opvolging": i.follow_up, "opvolgen voor": i.follow_up_due,
                     "afgerond": "ja" if i.follow_up_done_at else ("nee" if i.follow_up_due else "")})
    columns = ["datum", "soort", "personen", "organisaties", "vanuit de bibliotheek", "samenvatting",
               "uitkomst", "opvolging", "opvolgen voor", "afgerond"]
    return pd.DataFrame(rows, columns=columns)


def count_rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0

