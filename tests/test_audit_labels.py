"""The audit log names changed fields in Dutch ("vestiging, doel"), never by column name."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from crm.admin.models import Branch
from crm.audit import FIELD_LABELS, AuditEntry, field_label, field_labels, own_field_labels
from crm.db import Base, db
from crm.network.models import Partner

#: Column names that are a Dutch word too: their label may be the same word.
SAME_IN_DUTCH = {"status", "website", "score", "code", "aspect", "planning", "focus"}


def _audited_mappers():
    return [m for m in Base.registry.mappers if getattr(m.class_, "__audit__", True)]


def _rows(page: str) -> list[list[str]]:
    """The cells of the log table, as text."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_every_column_of_every_audited_model_has_a_dutch_label(app):
    """A new model (or column) must name its columns: in its ``field_labels_nl`` or, when the
    column means the same everywhere, in ``crm.audit.FIELD_LABELS``."""
    mappers = _audited_mappers()
    assert len(mappers) > 30  # every package's models are imported by create_app
    missing, untranslated, with_comma = [], [], []
    for mapper in mappers:
        table = mapper.local_table.name
        own = own_field_labels(mapper.class_)
        for attr in mapper.column_attrs:
            label = own.get(attr.key) or FIELD_LABELS.get(attr.key)
            if not label:
                missing.append(f"{table}.{attr.key}")
                continue
            assert field_labels()[table][attr.key] == label == field_label(table, attr.key)
            if label == attr.key and attr.key not in SAME_IN_DUTCH:
                untranslated.append(f"{table}.{attr.key}")
            if "," in label or label != label.strip() or "_" in label:
                with_comma.append(f"{table}.{attr.key}: {label!r}")
    assert not missing, "Geef deze kolommen een Nederlandse naam (field_labels_nl): " + ", ".join(missing)
    assert not untranslated, untranslated
    assert not with_comma, with_comma  # the log joins the labels with ", "


def test_model_labels_name_only_existing_columns(app):
    """A typo in ``field_labels_nl`` would silently leave the real column to the generic label."""
    stray = []
    for mapper in Base.registry.mappers:
        keys = {a.key for a in mapper.column_attrs}
        stray += [f"{mapper.local_table.name}.{k}" for k in own_field_labels(mapper.class_) if k not in keys]
    assert not stray, stray


def test_labels_follow_the_record(app):
    assert field_label("crm_referral", "branch_id") == "vestiging"
    assert field_label("crm_referral", "partner_id") == "partner"
    assert field_label("crm_affiliation", "partner_id") == "organisatie"  # the form says Organisatie
    assert field_label("crm_lobby_municipality", "partner_id") == "gemeente"
    assert field_label("crm_interaction", "follow_up_due") == "opvolgen vóór"
    assert field_label("crm_user", "password_hash") == "wachtwoord"
    assert field_label("crm_scan_invitation", "token_hash") == "sleutel"
    assert field_label("crm_contact", "position") == "positie"
    assert field_label("crm_choice", "position") == "volgorde"
    assert field_label("crm_unknown", "iets_nieuws") == "iets_nieuws"  # last resort: the name itself


def test_entry_text_for_changes_and_other_events(app):
    def text(action, record_type, fields):
        return AuditEntry(action=action, record_type=record_type, fields=fields).field_labels_text

    # in Dutch alphabetical order, not in the order of the English column names
    assert text("update", "crm_referral", ["branch_id", "note", "partner_id"]) == "notitie, partner, vestiging"
    assert text("create", "crm_interaction", ["follow_up_due"]) == "opvolgen vóór"
    assert text("delete", "crm_partner", None) == ""
    # erasing a person names fields of other records and a link table
    assert text("erase", "crm_contact", ["crm_interaction.summary", "crm_interaction_contact"]) == (
        "contactmoment: waar het over ging, koppeling contactmoment – persoon")
    # a view or export carries free words, not columns: shown as they are
    assert text("export", "crm_referral", ["cijfers", "csv"]) == "cijfers, csv"
    assert text("export", "crm_contact", ["json"]) == "json"


def test_audit_page_shows_dutch_field_names_after_a_referral_and_a_partner_change(app, client, login_as):
    login_as("admin")
    with app.app_context():
        branch = Branch(name="Vestiging Centrum", place="Rivierstad")
        partner = Partner(name="Taalhuis Rivierstad", kind="taalhuis", status="actief", place="Rivierstad")
        db.session.add_all([branch, partner])
        db.session.commit()
        branch_id, partner_id = branch.id, partner.id
    form = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    nonce = re.search(r'name="nonce"[^>]*value="([^"]+)"', form) or re.search(
        r'value="([^"]+)"[^>]*name="nonce"', form)
    response = client.post("/verwijzingen/nieuw", data={
        "direction": "uit", "partner_id": partner_id, "purpose": "taal-lezen", "method": "warme-overdracht",
        "branch_id": branch_id, "note": "Kwam voor de taalcafé", "nonce": nonce.group(1)})
    assert response.status_code == 302
    response = client.post(f"/partners/{partner_id}/bewerken", data={
        "name": "Taalhuis Rivierstad", "kind": "taalhuis", "status": "gepauzeerd", "place": "Rivierstad",
        "phone": "010 123 45 67", "theme": "samenwerken", "phase": "orientation", "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        kinds = {(e.record_type, e.action) for e in db.session.scalars(select(AuditEntry))}
    assert {("crm_referral", "create"), ("crm_partner", "update")} <= kinds

    page = client.get("/beheer/logboek").get_data(as_text=True)
    rows = {row[3].split(" #")[0] + " " + row[2]: row[4] for row in _rows(page)}
    referral = rows["verwijzing aangemaakt"].split(", ")
    assert {"vestiging", "partner", "doel", "manier", "notitie", "richting"} <= set(referral)
    partner_fields = rows["partner gewijzigd"].split(", ")
    assert {"status", "telefoon"} <= set(partner_fields)
    fields_column = " ".join(row[4] for row in _rows(page))
    for column in ("branch_id", "partner_id", "staff_id", "created_at", "nonce", "phone", "_"):
        assert column not in fields_column, column
    assert "Kwam voor de taalcafé" not in page and "010 123 45 67" not in page  # names, never values
