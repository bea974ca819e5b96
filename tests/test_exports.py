"""Downloads: safe cells, one charset, and the library's own date in the file name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from crm import web
from crm.exports import send_frame


class _LateEvening(datetime):
    """23:30 UTC on 25 November: already 26 November in Amsterdam."""

    @classmethod
    def now(cls, tz=None):
        moment = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


def test_today_is_the_librarys_day_not_the_servers(app, monkeypatch):
    monkeypatch.setattr(web, "datetime", _LateEvening)
    with app.app_context():
        assert web.local_today() == date(2026, 11, 26)


def test_csv_download_has_one_charset_and_a_local_date(app, monkeypatch):
    monkeypatch.setattr(web, "datetime", _LateEvening)
    with app.test_request_context():
        response = send_frame(pd.DataFrame({"naam": ["=SOM(A1)", "Taalhuis"]}), "partners", "csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="partners-2026-11-26.csv"'
    body = response.get_data().decode("utf-8-sig")
    assert "'=SOM(A1)" in body and "Taalhuis" in body
