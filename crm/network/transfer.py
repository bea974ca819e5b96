"""Import of organisations and people: check every row of a file (``import_files`` reads
it), show a preview with the duplicates and what merging them changes, and store all rows
or none."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from crm.db import db
from crm.forms import PHONE_RE
from crm.network import services
from crm.network.import_files import Table
from crm.network.models import STATUS_LABELS, Affiliation, Contact, Partner

if TYPE_CHECKING:
    import pandas as pd

#: Same shape the forms accept (one @, a dot in the domain, no spaces); cheap for 10,000 rows.
EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[A-Za-z]{2,}$")
YES = {"ja", "j", "yes", "true", "1", "intern", "waar"}
NO = {"nee", "n", "no", "false", "0", "extern", "onwaar", ""}

COLUMNS = {
    "organisaties": [
        ("naam", "name", True), ("soort", "kind", True), ("intern", "internal", False),
        ("status", "status", False), ("aanbod", "offer", False), ("zo verwijs je", "how_to_refer", False),
        ("adres", "address", False), ("plaats", "place", False), ("website", "website", False),
        ("telefoon", "phone", False), ("e-mail", "email", False), ("labels", "tags", False),
        ("notities", "notes", False),
    ],
    "personen": [
        ("naam", "name", True), ("e-mail", "email", False), ("telefoon", "phone", False),
        ("positie", "position", False), ("organisatie", "organisation", False),
        ("functie", "function", False),
        ("afdeling", "department", False), ("domeinen", "domains", False), ("invloed", "influence", False),
        ("belang", "interest", False), ("relatie", "warmth", False), ("notities", "notes", False),
    ],
}
#: What "samenvoegen" writes over when the file has a value for it. Labels, domains and the
#: link to an organisation are added to what is there, never replaced.
MERGED = {
    "organisaties": ("offer", "how_to_refer", "address", "website", "phone", "email", "notes"),
    "personen": ("phone", "position", "warmth", "notes", "influence", "interest"),
}
EXAMPLES = {
    "organisaties": ["Kinderopvang De Voorbeeld", "kinderopvang", "nee", "verkennend",
                     "Opvang voor kinderen van 0 tot 4 jaar", "Bel de locatiemanager", "Dorpsstraat 1",
                     "Rivierstad", "https://www.voorbeeld.nl", "010 123 45 67", "info@voorbeeld.nl", "vve",
                     ""],
    "personen": ["Jan Voorbeeld", "jan@voorbeeld.nl", "010 123 45 67", "beleidsmedewerker",
                 "Gemeente Rivierstad", "Beleidsmedewerker onderwijs", "Samenleving", "onderwijs, vve", "3",
                 "4", "lauw", ""],
}


@dataclass
class RowResult:
    number: int  # the row number as the spreadsheet shows it (header is row 1)
    values: dict
    errors: list[str] = field(default_factory=list)
    duplicate_id: int | None = None
    duplicate_label: str | None = None
    #: What merging with the duplicate writes over: (column, value now, value from the file).
    overwrites: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Preview:
    kind: str
    rows: list[RowResult]
    missing: list[str]
    ignored: list[str]

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors) + (1 if self.missing else 0)

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and bool(self.rows)

    @property
    def duplicates(self) -> list[RowResult]:
        return [r for r in self.rows if r.duplicate_id]


# -- checking rows --------------------------------------------------------------------------------
def _lookup(options: list[tuple[str, str]]) -> dict[str, str]:
    table = {}
    for code, label in options:
        table[code.lower()] = code
        table[label.lower()] = code
    return table


def check(kind: str, table: Table, lists: dict) -> Preview:
    """Validate every row; find duplicates in the database and inside the file."""
    spec = COLUMNS[kind]
    headers = set(table.headers)
    known = {c for c, _, _ in spec}
    missing = [c for c, _, req in spec if req and c not in headers]
    ignored = sorted(h for h in headers if h not in known)
    rows: list[RowResult] = []
    if kind == "organisaties":
        existing = {(n.lower(), (p or "").lower()): (i, n) for i, n, p in
                    db.session.execute(select(Partner.id, Partner.name, Partner.place))}
    else:
        existing = {e: (i, n) for i, n, e in db.session.execute(
            select(Contact.id, Contact.name, Contact.email).where(Contact.email.is_not(None)))}
        partners = {n.lower(): i for i, n in db.session.execute(select(Partner.id, Partner.name))}
    seen: dict = {}
    lookups = {key: _lookup(options) for key, options in lists.items()}
    lookups["statuses"] = _lookup(list(STATUS_LABELS.items()))
    for n, raw in table.rows:
        values = {attr: raw.get(col, "") for col, attr, _ in spec}
        result = RowResult(n, values)
        for col, attr, _ in spec:
            if values[attr].startswith("="):
                result.errors.append(f"{col}: bevat een formule. Zet er gewone tekst in.")
                values[attr] = ""
        if not values["name"]:
            result.errors.append("naam: vul de naam in.")
        _check_common(values, result)
        if kind == "organisaties":
            _check_partner(values, result, lists, lookups)
            key = (values["name"].lower(), values["place"].lower())
        else:
            _check_person(values, result, lists, lookups, partners)
            key = values["email"].lower() or None
        if key and key in seen:
            result.errors.append(f"staat dubbel in het bestand (zelfde als rij {seen[key]}).")
        elif key:
            seen[key] = n
        if key and key in existing:
            result.duplicate_id, result.duplicate_label = existing[key]
        rows.append(result)
    _find_overwrites(kind, rows)
    return Preview(kind, rows, missing, ignored)


def _find_overwrites(kind: str, rows: list[RowResult]) -> None:
    """For every duplicate: the values that merging would replace by a different one."""
    duplicates = [r for r in rows if r.duplicate_id and not r.errors]
    if not duplicates:
        return
    model = Partner if kind == "organisaties" else Contact
    attrs = MERGED[kind]
    stored = {row.id: row for row in db.session.execute(
        select(model.id, *(getattr(model, a) for a in attrs))
        .where(model.id.in_({r.duplicate_id for r in duplicates})))}
    columns = {attr: col for col, attr, _ in COLUMNS[kind]}
    for result in duplicates:
        now = stored.get(result.duplicate_id)
        for attr in attrs:
            old, new = getattr(now, attr, None), result.values.get(attr)
            if old in (None, "") or new in (None, ""):
                continue
            if str(old).strip() != str(new).strip():
                result.overwrites.append((columns[attr], str(old), str(new)))


def _check_common(values: dict, result: RowResult) -> None:
    if len(values["name"]) > 200:
        result.errors.append("naam: gebruik hoogstens 200 tekens.")
    if values["email"] and not EMAIL_RE.match(values["email"]):
        result.errors.append(f"e-mail: '{values['email']}' is geen geldig e-mailadres.")
    phone = values["phone"]
    if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < 8):
        result.errors.append(f"telefoon: '{phone}' is geen geldig telefoonnummer (zoals 010 123 45 67).")


def _check_partner(values: dict, result: RowResult, lists: dict, lookups: dict) -> None:
    kinds = lookups["partner_kinds"]
    if not values["kind"]:
        result.errors.append("soort: vul de soort organisatie in.")
    elif values["kind"].lower() not in kinds:
        result.errors.append(f"soort: '{values['kind']}' kennen we niet. Kies uit: "
                             + ", ".join(label for _, label in lists["partner_kinds"]) + ".")
    else:
        values["kind"] = kinds[values["kind"].lower()]
    statuses = lookups["statuses"]
    if values["status"] and values["status"].lower() not in statuses:
        result.errors.append(f"status: '{values['status']}' kennen we niet. Kies uit: "
                             + ", ".join(STATUS_LABELS.values()) + ".")
    else:
        values["status"] = statuses.get(values["status"].lower(), "prospect")
    flag = values["internal"].lower()
    if flag not in YES | NO:
        result.errors.append("intern: vul ja of nee in.")
    values["internal"] = flag in YES
    if values["website"] and not values["website"].lower().startswith(("http://", "https://")):
        values["website"] = "https://" + values["website"]


def _check_person(values: dict, result: RowResult, lists: dict, lookups: dict, partners: dict) -> None:
    positions = lookups["contact_positions"]
    if values["position"]:
        if values["position"].lower() not in positions:
            result.errors.append(f"positie: '{values['position']}' kennen we niet. Kies uit: "
                                 + ", ".join(label for _, label in lists["contact_positions"]) + ".")
        else:
            values["position"] = positions[values["position"].lower()]
    domains = lookups["policy_domains"]
    codes = []
    for part in re.split(r"[,;]", values["domains"]):
        part = part.strip().lower()
        if not part:
            continue
        if part not in domains:
            result.errors.append(f"domeinen: '{part}' kennen we niet.")
        else:
            codes.append(domains[part])
    values["domains"] = codes
    for attr, col in (("influence", "invloed"), ("interest", "belang")):
        if values[attr]:
            if values[attr] not in {"1", "2", "3", "4", "5"}:
                result.errors.append(f"{col}: vul een getal van 1 tot en met 5 in.")
                values[attr] = None
            else:
                values[attr] = int(values[attr])
        else:
            values[attr] = None
    if values["warmth"] and values["warmth"].lower() not in ("koud", "lauw", "warm"):
        result.errors.append("relatie: vul koud, lauw of warm in.")
    values["warmth"] = values["warmth"].lower() or None
    if values["organisation"]:
        partner_id = partners.get(values["organisation"].lower())
        if partner_id is None:
            result.errors.append(f"organisatie: '{values['organisation']}' staat nog niet in de lijst "
                                 "met partners. Importeer eerst de organisaties.")
        values["partner_id"] = partner_id


# -- storing ------------------------------------------------------------------------------------------
def apply(preview: Preview, actions: dict[int, str], actor_id: int | None) -> tuple[int, int]:
    """Store every row (caller checked ``preview.ok``); duplicates are merged unless the
    action for their row is ``nieuw``. Returns (created, merged). Only flushes."""
    created = merged = 0
    if preview.kind == "organisaties":
        ids = [r.duplicate_id for r in preview.rows if r.duplicate_id]
        existing = {p.id: p for p in db.session.scalars(select(Partner).where(Partner.id.in_(ids)))}
        new_rows: list[dict] = []
        for row in preview.rows:
            v = row.values
            target = _merge_target(existing, row, actions)
            if target is not None:
                for attr in MERGED["organisaties"]:
                    if v[attr]:
                        setattr(target, attr, v[attr])
                target.tags = sorted(set(target.tags or []) | set(services.parse_tags(v["tags"])))
                merged += 1
                continue
            new_rows.append({
                "name": v["name"], "kind": v["kind"], "internal": v["internal"], "status": v["status"],
                "offer": v["offer"] or None, "how_to_refer": v["how_to_refer"] or None,
                "address": v["address"] or None, "place": v["place"] or None, "website": v["website"] or None,
                "phone": v["phone"] or None, "email": v["email"] or None, "notes": v["notes"] or None,
                "tags": services.parse_tags(v["tags"]),
            })
        created = _bulk_insert_partners(new_rows, actor_id)
    else:
        ids = [r.duplicate_id for r in preview.rows if r.duplicate_id]
        existing = {c.id: c for c in db.session.scalars(select(Contact).where(Contact.id.in_(ids)))}
        linked = {r.values.get("partner_id") for r in preview.rows} - {None}
        kinds = dict(db.session.execute(select(Partner.id, Partner.kind).where(Partner.id.in_(linked))).all())
        for row in preview.rows:
            v = row.values
            target = _merge_target(existing, row, actions)
            if target is None:
                target = Contact(name=v["name"], domains=[],
                                 theme=Contact.theme_for(kinds.get(v.get("partner_id"))).value)
                db.session.add(target)
                created += 1
            else:
                merged += 1
            for attr in MERGED["personen"]:
                if v[attr] not in (None, ""):
                    setattr(target, attr, v[attr])
            target.email = (v["email"] or target.email or "").lower() or None
            target.domains = sorted(set(target.domains or []) | set(v["domains"]))
            if v.get("partner_id"):
                target.affiliations.append(Affiliation(
                    partner_id=v["partner_id"], function=v["function"] or None,
                    department=v["department"] or None))
    db.session.flush()
    return created, merged


def _merge_target(existing: dict, row: RowResult, actions: dict):
    if actions.get(row.number, "samenvoegen") == "nieuw":
        return None
    return existing.get(row.duplicate_id)


def _bulk_insert_partners(rows: list[dict], actor_id: int | None) -> int:
    """Insert many partners in a few statements (10,000 rows in well under 5 s), with their
    first status change and one audit row each, as the ORM listener would write them."""
    from crm.audit import AuditEntry, current_actor
    from crm.db import utcnow
    from crm.network.models import PartnerStatusChange

    if not rows:
        return 0
    now = utcnow()
    for row in rows:
        row.update(version=1, theme=Partner.default_theme.value, phase=Partner.default_phase.value,
                   created_at=now, updated_at=now)
    ids = []
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        table = Partner.__table__
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        result = db.session.execute(stmt, chunk)
        ids += [r[0] for r in result]
    db.session.execute(insert(PartnerStatusChange.__table__), [
        {"partner_id": pid, "status": row["status"], "changed_at": now, "changed_by_id": actor_id}
        for pid, row in zip(ids, rows, strict=True)
    ])
    actor, label = current_actor()
    db.session.execute(insert(AuditEntry.__table__), [
        {"created_at": now, "actor_id": actor, "actor_label": label[:120], "action": "create",
         "record_type": Partner.__tablename__, "record_id": pid,
         "fields": sorted(k for k, v in row.items() if v is not None)}
        for pid, row in zip(ids, rows, strict=True)
    ])
    return len(ids)


def template_frame(kind: str) -> pd.DataFrame:
    import pandas as pd  # loads on first use, not at boot

    return pd.DataFrame([EXAMPLES[kind]], columns=[c for c, _, _ in COLUMNS[kind]])
