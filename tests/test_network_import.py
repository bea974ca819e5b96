"""Import of organisations and people: preview, row-by-row errors, all-or-nothing, merge."""

from __future__ import annotations

import io
import os
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from crm.db import db as db_proxy
from crm.network.models import Contact, Partner

HEADER = "naam;soort;status;plaats;e-mail;telefoon;labels\n"


def upload(client, body: bytes, filename: str, kind: str = "organisaties"):
    return client.post("/import", data={"kind": kind, "file": (io.BytesIO(body), filename)},
                       content_type="multipart/form-data")


def token_of(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def partners(app):
    with app.app_context():
        return db_proxy.session.scalar(select(func.count(Partner.id)))


def test_csv_import_preview_then_confirm(app, client, login_as):
    login_as("specialist")
    body = (HEADER + "Welzijn Rivierstad;welzijn;actief;Rivierstad;info@welzijn.example;010 123 45 67;vve\n"
            "Kinderopvang De Ukkepuk;Kinderopvang;;Rivierstad;;;\n").encode()
    r = upload(client, body, "lijst.csv")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Welzijn Rivierstad" in html and "Alles importeren (2 rijen)" in html
    assert partners(app) == 0  # preview stores nothing
    r = client.post("/import/bevestigen", data={"token": token_of(html), "kind": "organisaties"})
    assert r.status_code == 302
    with app.app_context():
        stored = {p.name: p for p in db_proxy.session.scalars(select(Partner))}
        assert stored["Kinderopvang De Ukkepuk"].kind == "kinderopvang"
        assert stored["Kinderopvang De Ukkepuk"].status == "prospect"
        assert stored["Welzijn Rivierstad"].tags == ["vve"]
    # the parked file is gone: a second confirmation does nothing
    r = client.post("/import/bevestigen", data={"token": token_of(html), "kind": "organisaties"})
    assert partners(app) == 2


def test_one_bad_row_stores_nothing_and_says_why(app, client, login_as):
    login_as("specialist")
    body = (HEADER + "Goed;welzijn;;;;;\n"
            ";welzijn;;;;;\n"
            "Onbekend;ruimtevaart;;;;;\n"
            "Slechte mail;welzijn;;;geen-mail;;\n"
            "Slechte telefoon;welzijn;;;;12;\n"
            "Formule;=1+1;;;;;\n").encode()
    r = upload(client, body, "lijst.csv")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Er is niets opgeslagen: 5 rijen met fouten" in html
    assert "naam: vul de naam in." in html
    assert "soort: &#39;ruimtevaart&#39; kennen we niet" in html
    assert "geen geldig e-mailadres" in html and "geen geldig telefoonnummer" in html
    assert "bevat een formule" in html
    assert "Alles importeren" not in html
    assert partners(app) == 0


def test_duplicates_are_merged_unless_asked(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        db_proxy.session.add(Partner(name="Welzijn Rivierstad", kind="welzijn", status="actief",
                                     place="Rivierstad"))
        db_proxy.session.commit()
    body = (HEADER + "welzijn rivierstad;welzijn;;Rivierstad;nieuw@welzijn.example;;\n").encode()
    html = upload(client, body, "lijst.csv").get_data(as_text=True)
    assert "Staat al in het systeem" in html
    client.post("/import/bevestigen", data={"token": token_of(html), "kind": "organisaties"})
    with app.app_context():
        stored = db_proxy.session.scalars(select(Partner)).all()
        assert len(stored) == 1 and stored[0].email == "nieuw@welzijn.example"
    html = upload(client, body, "lijst.csv").get_data(as_text=True)
    client.post("/import/bevestigen",
                data={"token": token_of(html), "kind": "organisaties", "actie-2": "nieuw"})
    assert partners(app) == 2


def test_the_preview_shows_what_merging_replaces(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        db_proxy.session.add_all([
            Partner(name="Welzijn Rivierstad", kind="welzijn", status="actief", place="Rivierstad",
                    phone="010 111 11 11", email="info@welzijn.example"),
            Partner(name="Kinderopvang Noord", kind="kinderopvang", status="actief", place="Rivierstad")])
        db_proxy.session.commit()
    body = (HEADER + "Welzijn Rivierstad;welzijn;;Rivierstad;info@welzijn.example;06 2222 2222;\n"
            "Kinderopvang Noord;kinderopvang;;Rivierstad;noord@opvang.example;;\n").encode()
    html = upload(client, body, "lijst.csv").get_data(as_text=True)
    assert "telefoon: ‘010 111 11 11’ wordt ‘06 2222 2222’" in html
    assert "e-mail: ‘info" not in html  # the same value is no change
    assert html.count("Samenvoegen vervangt:") == 1
    assert "Samenvoegen vult alleen aan wat nog leeg is." in html  # the opvang only gets an e-mail
    assert partners(app) == 2


def test_duplicate_inside_the_file_is_an_error(app, client, login_as):
    login_as("specialist")
    body = (HEADER + "A;welzijn;;X;;;\nA;welzijn;;X;;;\n").encode()
    r = upload(client, body, "lijst.csv")
    assert r.status_code == 422 and "staat dubbel in het bestand" in r.get_data(as_text=True)


def test_xlsx_people_import_links_organisation(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        db_proxy.session.add(Partner(name="Gemeente Rivierstad", kind="gemeente", status="actief"))
        db_proxy.session.add(Partner(name="Kinderopvang Ukkie", kind="kinderopvang", status="actief"))
        db_proxy.session.commit()
    wb = Workbook()
    ws = wb.active
    ws.append(["Naam", "E-mail", "Organisatie", "Functie", "Positie", "Domeinen", "Invloed", "Belang"])
    ws.append(["Peter van Dijk", "p@raad.example", "Gemeente Rivierstad", "Raadslid", "Raadslid",
               "onderwijs, VVE", 4, 2])
    ws.append(["Lotte Smit", "l@ukkie.example", "Kinderopvang Ukkie", "Leidster", "", "", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    html = upload(client, buffer.getvalue(), "personen.xlsx", "personen").get_data(as_text=True)
    assert "Alles importeren (2 rijen)" in html
    client.post("/import/bevestigen", data={"token": token_of(html), "kind": "personen"})
    with app.app_context():
        person = db_proxy.session.scalar(select(Contact).where(Contact.name == "Peter van Dijk"))
        assert person.position == "raadslid" and person.domains == ["onderwijs", "vve"]
        assert person.influence == 4 and person.affiliations[0].function == "Raadslid"
        # in the Wegwijzer: the municipality's people under Profilering, a partner's under Samenwerken
        assert person.theme == "profilering"
        assert db_proxy.session.scalar(select(Contact.theme).where(Contact.name == "Lotte Smit")) == "samenwerken"


def test_xlsx_with_formula_is_refused(app, client, login_as):
    login_as("specialist")
    wb = Workbook()
    ws = wb.active
    ws.append(["naam", "soort"])
    ws.append(["=HYPERLINK(\"http://x\",\"klik\")", "welzijn"])
    buffer = io.BytesIO()
    wb.save(buffer)
    r = upload(client, buffer.getvalue(), "lijst.xlsx")
    assert r.status_code == 422 and "bevat een formule" in r.get_data(as_text=True)
    assert partners(app) == 0


def test_wrong_files_get_a_dutch_message(app, client, login_as):
    login_as("specialist")
    for body, name, message in (
        (b"%PDF-1.4 ...", "lijst.pdf", "geen CSV of Excel"),
        (b"PK\x03\x04rommel", "lijst.xlsx", "kan niet gelezen worden"),
        (b"", "leeg.csv", "Het bestand is leeg"),
        (b"x" * (6 * 1024 * 1024), "groot.csv", "groter dan 5 MB"),
    ):
        r = upload(client, body, name)
        assert r.status_code == 422, name
        assert message in r.get_data(as_text=True), name
    r = client.post("/import", data={"kind": "organisaties"}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Kies een bestand" in r.get_data(as_text=True)


def test_missing_required_column(app, client, login_as):
    login_as("specialist")
    r = upload(client, b"naam;plaats\nA;B\n", "lijst.csv")
    assert r.status_code == 422 and "Deze kolommen ontbreken: soort" in r.get_data(as_text=True)


def test_templates_download(client, login_as):
    login_as("specialist")
    r = client.get("/import/sjabloon?soort=personen&formaat=csv")
    assert r.status_code == 200 and "naam;e-mail" in r.data.decode("utf-8-sig")
    assert client.get("/import/sjabloon?soort=organisaties&formaat=xlsx").status_code == 200
    assert client.get("/import/sjabloon?soort=iets").status_code == 404


def test_someone_else_cannot_confirm_my_import(app, client, login_as):
    login_as("specialist")
    html = upload(client, (HEADER + "A;welzijn;;;;;\n").encode(), "lijst.csv").get_data(as_text=True)
    token = token_of(html)
    other = app.test_client()
    login_as("specialist", other)
    r = other.post("/import/bevestigen", data={"token": token, "kind": "organisaties"})
    assert r.status_code == 302 and partners(app) == 0


def test_csv_with_nul_later_in_file(app, client, login_as):
    login_as("specialist")
    body = b"naam;soort\n" + b"A;welzijn\n" * 1000 + b"B\0;welzijn\n"
    r = upload(client, body, "lijst.csv")
    assert r.status_code in (200, 422)


def test_error_rows_keep_the_spreadsheets_numbers(app, client, login_as):
    login_as("specialist")
    body = "\ufeffnaam;soort\n\nGoed;welzijn\n;;\n\nFout;ruimtevaart\n".encode()
    r = upload(client, body, "lijst.csv")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    numbers = re.findall(r'<th scope="row">(\d+)</th>', html)
    assert numbers == ["3", "6"]  # rows 2, 4 and 5 are empty in the spreadsheet
    assert "Er is niets opgeslagen: 1 rij met fouten" in html


def test_row_numbers_with_empty_rows_in_xlsx(app):
    from crm.network import import_files

    wb = Workbook()
    ws = wb.active
    ws.append(["naam", "soort"])
    ws.append(["A", "welzijn"])
    ws.append([None, None])
    ws.append(["B", "welzijn"])
    buffer = io.BytesIO()
    wb.save(buffer)
    table = import_files.read_table(buffer.getvalue(), "lijst.xlsx", 10**6)
    assert [n for n, _ in table.rows] == [2, 4]


def test_header_only_file_says_there_are_no_rows(app, client, login_as):
    login_as("specialist")
    r = upload(client, b"naam;soort\n;\n", "lijst.csv")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "geen rijen om te importeren" in html
    assert "Deze kolommen ontbreken" not in html and "rij met fouten" not in html


def test_unknown_status_and_position_list_the_dutch_labels(app, client, login_as):
    login_as("specialist")
    html = upload(client, b"naam;soort;status\nA;welzijn;klaar\nB;welzijn;Be\xc3\xabindigd\n",
                  "lijst.csv").get_data(as_text=True)
    assert "Beëindigd" in html and "beeindigd" not in html
    assert html.count("kennen we niet") == 1  # the label with its diacritics is accepted
    html = upload(client, b"naam;positie\nA;baas\n", "personen.csv", "personen").get_data(as_text=True)
    assert "Coördinator" in html and "coordinator" not in html


def test_parked_file_goes_when_used_cancelled_or_old(app, client, login_as, tmp_path):
    from datetime import timedelta

    from crm.db import utcnow
    from crm.network import import_files, parking

    login_as("specialist")
    folder = os.path.join(app.instance_path, "imports")
    # cancelled
    html = upload(client, (HEADER + "A;welzijn;;;;;\n").encode(), "lijst.csv").get_data(as_text=True)
    token = token_of(html)
    assert "Annuleren" in html and os.path.exists(os.path.join(folder, f"{token}.json"))
    r = client.post("/import/annuleren", data={"token": token, "kind": "organisaties"})
    assert r.status_code == 302 and not os.path.exists(os.path.join(folder, f"{token}.json"))
    # used
    html = upload(client, (HEADER + "B;welzijn;;;;;\n").encode(), "lijst.csv").get_data(as_text=True)
    token = token_of(html)
    client.post("/import/bevestigen", data={"token": token, "kind": "organisaties"})
    assert partners(app) == 1 and not os.path.exists(os.path.join(folder, f"{token}.json"))
    # older than the lifetime: refused, and removed by the next park and by the purge
    table = import_files.Table(["naam"], [(2, {"naam": "C"})])
    now = utcnow()
    old = parking.park(str(tmp_path), "organisaties", table, 1, now=now)
    older = parking.park(str(tmp_path), "organisaties", table, 1, now=now)
    stamp = (now - parking.PARK_LIFETIME - timedelta(minutes=1)).timestamp()
    for t in (old, older):
        os.utime(tmp_path / f"{t}.json", (stamp, stamp))
    assert parking.unpark(str(tmp_path), old, 1, now=now) is None
    assert not (tmp_path / f"{old}.json").exists()
    fresh = parking.park(str(tmp_path), "organisaties", table, 1, now=now)
    assert not (tmp_path / f"{older}.json").exists()
    assert parking.unpark(str(tmp_path), fresh, 1, now=now) == ("organisaties", table)
    assert list(tmp_path.iterdir()) == []  # used up by its confirmation
    parking.park(str(tmp_path), "organisaties", table, 1, now=now)
    assert parking.purge_parked(str(tmp_path), now + parking.PARK_LIFETIME + timedelta(seconds=1)) == 1
    assert list(tmp_path.iterdir()) == []
    with app.app_context():
        line = parking.purge_parked_imports(now + timedelta(days=1))
    assert line.startswith("Importbestanden die niet zijn bevestigd")
    assert not any(os.scandir(folder))


def test_a_stray_far_away_cell_does_not_make_the_file_endless(app, monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from crm.network import import_files, transfer

    read, widths = [], []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        widths.append(kwargs.get("max_col"))
        for row in iter_rows(self, *args, **kwargs):
            read.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting)
    wb = Workbook()
    ws = wb.active
    ws.append(["naam", "soort"])
    ws.append(["A", "welzijn"])
    ws.append([None, None])
    ws.append(["B", "ruimtevaart"])
    ws["XFD3"] = "verdwaald"  # the last column Excel has: outside the header, not read
    buffer = io.BytesIO()
    wb.save(buffer)
    table = import_files.read_table(buffer.getvalue(), "lijst.xlsx", 10**6)
    assert [n for n, _ in table.rows] == [2, 4]  # the spreadsheet's own row numbers
    assert table.headers == ["naam", "soort"]
    assert widths[-1] == 2 and max(read) <= import_files.MAX_COLUMNS  # only as wide as the header row
    # Something a million rows down: reading stops after the empty rows, and says so.
    ws["CV1000000"] = "verdwaald"
    buffer = io.BytesIO()
    wb.save(buffer)
    read.clear()
    with pytest.raises(import_files.ImportFileError, match="Onder rij 4 volgen meer dan 1000 lege rijen"):
        import_files.read_table(buffer.getvalue(), "lijst.xlsx", 10**6)
    assert len(read) < 5 + 2 * import_files.MAX_EMPTY_RUN  # not a million empty rows
    with app.app_context():
        preview = transfer.check("organisaties", table, {"partner_kinds": [("welzijn", "Welzijn")]})
    assert [r.number for r in preview.rows if r.errors] == [4]


def test_xlsx_longer_than_the_limit_is_refused_without_reading_on(app, monkeypatch):
    from crm.network import import_files

    monkeypatch.setattr(import_files, "MAX_ROWS", 3)
    wb = Workbook()
    ws = wb.active
    ws.append(["naam", "soort"])
    for i in range(50):
        ws.append([f"P{i}", "welzijn"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(import_files.ImportFileError, match="meer dan 3 rijen"):
        import_files.read_table(buffer.getvalue(), "lijst.xlsx", 10**6)


def test_two_confirmations_at_once_import_the_file_once(app, client, login_as, tmp_path):
    import threading

    from crm.network import import_files, parking

    table = import_files.Table(["naam", "soort"], [(2, {"naam": "A", "soort": "welzijn"})])
    # both requests get past unpark before either has finished: only the first gets the file
    token = parking.park(str(tmp_path), "organisaties", table, 1)
    assert parking.unpark(str(tmp_path), token, 1) == ("organisaties", table)
    assert parking.unpark(str(tmp_path), token, 1) is None
    assert list(tmp_path.iterdir()) == []
    # the same with eight requests in parallel
    token = parking.park(str(tmp_path), "organisaties", table, 1)
    barrier, results = threading.Barrier(8), []

    def confirm():
        barrier.wait()
        results.append(parking.unpark(str(tmp_path), token, 1))

    threads = [threading.Thread(target=confirm) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(None) == 7 and list(tmp_path.iterdir()) == []
    # someone else's confirmation leaves the file for its owner
    token = parking.park(str(tmp_path), "organisaties", table, 1)
    assert parking.unpark(str(tmp_path), token, 2) is None
    assert parking.unpark(str(tmp_path), token, 1) == ("organisaties", table)
    # through the app: the second click says the import was done
    login_as("specialist")
    html = upload(client, (HEADER + "B;welzijn;;;;;\n").encode(), "lijst.csv").get_data(as_text=True)
    data = {"token": token_of(html), "kind": "organisaties"}
    assert client.post("/import/bevestigen", data=data).status_code == 302
    r = client.post("/import/bevestigen", data=data, follow_redirects=True)
    assert "Deze import is verlopen of al gedaan" in r.get_data(as_text=True) and partners(app) == 1


def test_a_claimed_file_left_behind_is_purged(tmp_path):
    from datetime import timedelta

    from crm.db import utcnow
    from crm.network import parking

    left = tmp_path / f"abc.1234{parking.CLAIMED}"
    left.write_text("{}")
    assert parking.purge_parked(str(tmp_path), utcnow() + parking.PARK_LIFETIME + timedelta(minutes=1)) == 1
    assert not left.exists()


def test_a_confirmation_that_fails_to_save_can_be_tried_again(app, client, login_as, monkeypatch):
    from crm.network import transfer

    login_as("specialist")
    html = upload(client, (HEADER + "Welzijn Oost;welzijn;;;;;\n").encode(), "lijst.csv").get_data(as_text=True)
    token = token_of(html)
    real_apply = transfer.apply

    def failing(*args, **kwargs):
        raise RuntimeError("de database was even niet bereikbaar")

    monkeypatch.setattr(transfer, "apply", failing)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        assert client.post("/import/bevestigen", data={"token": token, "kind": "organisaties"}).status_code == 500
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    monkeypatch.setattr(transfer, "apply", real_apply)
    response = client.post("/import/bevestigen", data={"token": token, "kind": "organisaties"})
    assert response.status_code == 302 and partners(app) == 1  # the file waited for a second try
