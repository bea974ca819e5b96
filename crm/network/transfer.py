"""Import of organisations and people from CSV/XLSX (preview, all-or-nothing, merge of
duplicates) and the tables behind every export."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from crm.db import db
from crm.forms import PHONE_RE
from crm.network import services
from crm.network.models import STATUS_LABELS, Affiliation, Contact, Partner

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS = 20000
#: A spreadsheet's data ends after this many empty rows in a row (a stray cell far below is no data).
MAX_EMPTY_RUN = 1000
#: Columns read to find the header row; the header row then sets how wide every row is read.
MAX_COLUMNS = 200
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
ALIASES = {"email": "e-mail", "e-mailadres": "e-mail", "emailadres": "e-mail", "telefoonnummer": "telefoon",
           "naam organisatie": "naam", "organisatienaam": "naam", "verwijzen": "zo verwijs je",
           "tags": "labels", "woonplaats": "plaats", "website url": "website"}
EXAMPLES = {
    "organisaties": ["Kinderopvang De Voorbeeld", "kinderopvang", "nee", "verkennend",
                     "Opvang voor kinderen van 0 tot 4 jaar", "Bel de locatiemanager", "Dorpsstraat 1",
                     "Rivierstad", "https://www.voorbeeld.nl", "010 123 45 67", "info@voorbeeld.nl", "vve",
                     ""],
    "personen": ["Jan Voorbeeld", "jan@voorbeeld.nl", "010 123 45 67", "beleidsmedewerker",
                 "Gemeente Rivierstad", "Beleidsmedewerker onderwijs", "Samenleving", "onderwijs, vve", "3",
                 "4", "lauw", ""],
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass
class Table:
    """A file's rows under its header row. ``rows`` pairs the row number as the spreadsheet
    shows it (empty rows count, the header is row 1) with {normalised header: text}."""

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]

    def to_json(self) -> dict:
        return {"headers": self.headers, "rows": self.rows}

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(data["headers"], [(n, row) for n, row in data["rows"]])


@dataclass
class RowResult:
    number: int  # the row number as the spreadsheet shows it (header is row 1)
    values: dict
    errors: list[str] = field(default_factory=list)
    duplicate_id: int | None = None
    duplicate_label: str | None = None


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


def _norm(header: str) -> str:
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode().lower()
    text = " ".join(text.replace("_", " ").replace("*", "").split())
    return ALIASES.get(text, text)


# -- reading files ------------------------------------------------------------------------------
def read_table(data: bytes, filename: str, max_bytes: int) -> Table:
    """The rows of the file; raises ImportFileError with a Dutch message."""
    if len(data) > max_bytes:
        raise ImportFileError(f"Het bestand is groter dan {max_bytes // (1024 * 1024)} MB. "
                              "Splits het op in kleinere bestanden.")
    if not data:
        raise ImportFileError("Het bestand is leeg. Kies een CSV- of Excelbestand met gegevens.")
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        if not name.endswith(".xlsx"):
            raise ImportFileError("Dit bestand is geen CSV of Excel (.xlsx). Sla het op als .xlsx of .csv.")
        return _read_xlsx(data)
    if name.endswith((".xlsx", ".xls")) or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError("Dit Excelbestand kan niet gelezen worden. Sla het op als .xlsx of als .csv.")
    if not name.endswith((".csv", ".txt")) or b"\0" in data[:4096]:
        raise ImportFileError("Dit bestand is geen CSV of Excel (.xlsx). Gebruik het sjabloon.")
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise ImportFileError("De tekens in het bestand zijn niet te lezen. Sla het op als CSV (UTF-8).")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError("Dit CSV-bestand is niet goed te lezen. Sla het opnieuw op als CSV "
                              "of gebruik het sjabloon.") from exc
    return _rows_from_lists(rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any broken file gets the same plain message
        raise ImportFileError(
            "Dit Excelbestand kan niet gelezen worden. Sla het opnieuw op als .xlsx.") from exc
    try:
        numbered = _sheet_rows(workbook.worksheets[0])
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet gets the same plain message
        raise ImportFileError(
            "Dit Excelbestand kan niet gelezen worden. Sla het opnieuw op als .xlsx.") from exc
    finally:
        workbook.close()
    return _table(numbered)


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the sheet with their row number, the header row first.

    openpyxl yields every empty row up to the last used cell, each as wide as the widest
    row: one stray cell far down or far right would mean a million rows of thousands of
    cells. So the header row sets the width, and reading stops after ``MAX_EMPTY_RUN``
    empty rows in a row or once there are more rows than an import may have.
    """
    first = next(_filled_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1), None)
    if first is None:
        return []
    number, cells = first
    width = max(i for i, c in enumerate(cells, start=1) if c.strip())
    numbered = [(number, cells[:width])]
    stopped: dict = {}
    for row in _filled_rows(sheet.iter_rows(min_row=number + 1, max_col=width, values_only=True),
                            number + 1, stopped):
        numbered.append(row)
        if len(numbered) > MAX_ROWS + 1:  # enough to say the file is too long
            break
    last = sheet.max_row or 0
    if "gap_from" in stopped and last > stopped["gap_at"]:
        # Nothing is dropped without a word: something stands far below the rest.
        raise ImportFileError(
            f"Onder rij {stopped['gap_from']} volgen meer dan {MAX_EMPTY_RUN} lege rijen, en "
            f"daarna staat nog iets (tot rij {last}). Haal de lege rijen of wat eronder staat "
            "weg, en probeer het opnieuw.")
    return numbered


def _filled_rows(rows, first_number: int, stopped: dict | None = None):
    """The non-empty rows with their number; ends after ``MAX_EMPTY_RUN`` empty rows in a row
    (``stopped`` then says where the empty rows began and where reading stopped)."""
    empty = 0
    for number, row in enumerate(rows, start=first_number):
        cells = [_cell_text(v) for v in row]
        if any(c.strip() for c in cells):
            empty = 0
            yield number, cells
        else:
            empty += 1
            if empty > MAX_EMPTY_RUN:
                if stopped is not None:
                    stopped.update(gap_from=number - empty, gap_at=number)
                return


def _rows_from_lists(rows: list[list[str]]) -> Table:
    # Empty rows are skipped but still counted: the error report uses the spreadsheet's numbers.
    return _table([(n, r) for n, r in enumerate(rows, start=1) if any(str(c).strip() for c in r)])


def _table(numbered: list[tuple[int, list[str]]]) -> Table:
    """The table of the non-empty rows (with their row numbers); the first is the header."""
    if not numbered:
        raise ImportFileError("Het bestand is leeg. Kies een CSV- of Excelbestand met gegevens.")
    if len(numbered) - 1 > MAX_ROWS:
        raise ImportFileError(f"Het bestand heeft meer dan {MAX_ROWS} rijen. Splits het op.")
    if len(numbered) == 1:
        raise ImportFileError("Het bestand heeft alleen een kopregel: er zijn geen rijen om te importeren. "
                              "Zet de gegevens onder de kopregel en kies het bestand opnieuw.")
    headers = [_norm(h) for h in numbered[0][1]]
    out = []
    for n, raw in numbered[1:]:
        out.append((n, {h: str(raw[i]).replace("\x00", "").strip() if i < len(raw) else ""
                        for i, h in enumerate(headers) if h}))
    return Table([h for h in headers if h], out)


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
    return Preview(kind, rows, missing, ignored)


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
                for attr in ("offer", "how_to_refer", "address", "website", "phone", "email", "notes"):
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
        for row in preview.rows:
            v = row.values
            target = _merge_target(existing, row, actions)
            if target is None:
                target = Contact(name=v["name"], domains=[])
                db.session.add(target)
                created += 1
            else:
                merged += 1
            for attr in ("phone", "position", "warmth", "notes", "influence", "interest"):
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


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
