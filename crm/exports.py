"""CSV and XLSX exports of small tables (pandas + openpyxl), safe to open in a spreadsheet.

CSV: every text cell that a spreadsheet would read as a formula (starting with
``= + - @``, a tab, a carriage return or NUL) gets a leading apostrophe (QUALITY.md 11);
a CSV has no types, so that is the only way to keep it text.

XLSX: a cell has a type, so the text stays exactly as it is. openpyxl would store a text
starting with ``=`` as a formula; ``to_xlsx_sheets`` stores it as text instead, with
Excel's "quote prefix" on every formula-like text so it stays text when someone edits the
cell. No apostrophe is added: the reader sees ``+31 Welzijn``, not ``'+31 Welzijn``.

A frame may carry an explanation for its reader in ``frame.attrs[NOTE]`` (lines of text):
the XLSX gets them on a second sheet "Toelichting"; the CSV stays one plain table.
``frame.attrs[NAME_PART]`` is added to the file name (``partners-vanaf-2026-08-…``).
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from flask import Response

from crm.web import local_today

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: ``frame.attrs`` keys: lines for the "Toelichting" sheet, and a part of the file name.
NOTE = "toelichting"
NAME_PART = "bestandsnaam"
NOTE_SHEET = "Toelichting"
MAX_COLUMN_WIDTH = 60


def safe_cell(value):
    """A CSV value a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str):
        if value.startswith(FORMULA_START):
            return "'" + value
        return value
    return value


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every formula-like text cell (and heading) made safe for a CSV."""
    out = df.copy()
    for column in out.columns:
        if _is_text(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM and ``;`` separators, as Dutch Excel expects."""
    return neutralise(df).to_csv(index=False, sep=";").encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet_name: str = "Export") -> bytes:
    """One sheet, plus the "Toelichting" sheet when the frame carries a note."""
    sheets = {sheet_name: df}
    if df.attrs.get(NOTE):
        sheets[NOTE_SHEET] = pd.DataFrame({NOTE_SHEET: list(df.attrs[NOTE])})
    return to_xlsx_sheets(sheets)


def to_xlsx_sheets(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook with a sheet per frame, in order (names cut to Excel's 31 characters).

    Text is stored as text, never as a formula (see the module's docstring)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            frame = _excel_ready(df)
            frame.to_excel(writer, index=False, sheet_name=name[:31])
            _text_stays_text(writer.sheets[name[:31]], frame)
    return buffer.getvalue()


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    frame = df.copy()
    frame.columns = [_xlsx_text(str(c)) for c in frame.columns]
    for column in frame.columns:  # Excel cannot store timezone-aware datetimes
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
        elif _is_text(frame[column]):
            frame[column] = frame[column].map(_xlsx_text)
    return frame


def _xlsx_text(value):
    """Control characters (NUL and the like) cannot be stored in an XLSX: they are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return _naive(value)


def _formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _text_stays_text(sheet, frame: pd.DataFrame) -> None:
    """Store the formula-like texts of ``frame`` (written to ``sheet``, headings in row 1)
    as text with the quote prefix, leave missing values empty, and make each column as
    wide as its longest text.

    Only the cells that need it are touched: the rows export may have 500,000 rows."""
    from openpyxl.utils import get_column_letter

    for col, heading in enumerate(frame.columns, start=1):
        series = frame[heading]
        rows = [1] if _formula_like(heading) else []
        if _is_text(series):
            rows += [i + 2 for i in (series.map(_formula_like).to_numpy().nonzero()[0])]
        for row in rows:
            cell = sheet.cell(row=row, column=col)
            cell.data_type = "s"  # openpyxl took a text starting with = for a formula
            cell.quotePrefix = True
        for i in series.isna().to_numpy().nonzero()[0]:  # pandas wrote "" for a missing value
            sheet.cell(row=i + 2, column=col).value = None
        longest = series.map(lambda v: 0 if v is None or v is pd.NA else len(str(v))).max()
        width = max(len(str(heading)), 0 if pd.isna(longest) else int(longest)) + 2
        sheet.column_dimensions[get_column_letter(col)].width = min(width, MAX_COLUMN_WIDTH)


def _naive(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def send_frame(df: pd.DataFrame, basename: str, fmt: str) -> Response:
    """A download response of ``df`` as ``basename-YYYY-MM-DD.csv`` or ``.xlsx``."""
    stamp = local_today().isoformat()
    if df.attrs.get(NAME_PART):
        basename = f"{basename}-{df.attrs[NAME_PART]}"
    if fmt == "xlsx":
        body, mimetype, ext = to_xlsx(df), XLSX_MIMETYPE, "xlsx"
    else:
        body, mimetype, ext = to_csv(df), CSV_MIMETYPE, "csv"
    response = Response(body, content_type=mimetype)  # mimetype= would add a second charset
    response.headers["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{ext}"'
    return response
