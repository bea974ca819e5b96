"""CSV and XLSX exports of small tables (pandas + openpyxl), safe to open in a spreadsheet.

Every text cell that a spreadsheet would read as a formula (starting with ``= + - @``,
a tab, a carriage return or NUL) gets a leading apostrophe (QUALITY.md 11).
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


def safe_cell(value):
    """A value a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str):
        if value.startswith(FORMULA_START):
            return "'" + value
        return value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM and ``;`` separators, as Dutch Excel expects."""
    return neutralise(df).to_csv(index=False, sep=";").encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet_name: str = "Export") -> bytes:
    return to_xlsx_sheets({sheet_name: df})


def to_xlsx_sheets(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook with a sheet per frame, in order (names cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            _excel_ready(neutralise(df)).to_excel(writer, index=False, sheet_name=name[:31])
    return buffer.getvalue()


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:  # Excel cannot store timezone-aware datetimes
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
        elif frame[column].dtype == object:
            frame[column] = frame[column].map(_naive)
    return frame


def _naive(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def send_frame(df: pd.DataFrame, basename: str, fmt: str) -> Response:
    """A download response of ``df`` as ``basename-YYYY-MM-DD.csv`` or ``.xlsx``."""
    stamp = local_today().isoformat()
    if fmt == "xlsx":
        body, mimetype, ext = to_xlsx(df), XLSX_MIMETYPE, "xlsx"
    else:
        body, mimetype, ext = to_csv(df), CSV_MIMETYPE, "csv"
    response = Response(body, content_type=mimetype)  # mimetype= would add a second charset
    response.headers["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{ext}"'
    return response
