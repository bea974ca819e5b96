"""Reading an import file (CSV or XLSX) into a table of text cells under its header row.

Bounded for what people upload: at most ``MAX_ROWS`` rows, an XLSX read only as wide as its
header row and only until ``MAX_EMPTY_RUN`` empty rows in a row. Every refusal is an
``ImportFileError`` with a Dutch message that says what to do. What the rows mean is
``crm.network.transfer``'s business.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

MAX_ROWS = 20000
#: A spreadsheet's data ends after this many empty rows in a row (a stray cell far below is no data).
MAX_EMPTY_RUN = 1000
#: Columns read to find the header row; the header row then sets how wide every row is read.
MAX_COLUMNS = 200
#: Other names people give the template's columns.
ALIASES = {"email": "e-mail", "e-mailadres": "e-mail", "emailadres": "e-mail", "telefoonnummer": "telefoon",
           "naam organisatie": "naam", "organisatienaam": "naam", "verwijzen": "zo verwijs je",
           "tags": "labels", "woonplaats": "plaats", "website url": "website"}


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


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

