"""Moments are shown and filtered in the centre's time zone (Asia/Shanghai), in lists, their
XLSX exports and the API: a consultation logged at 2026-12-01 17:30 UTC is 12-02 01:30 local
time and is found under 12-02."""
import datetime
import io
import pathlib
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rightsaid.models import Consultation
from tests.conftest import login
from tests.rightsaid import factories as f

pytestmark = pytest.mark.django_db

LATE_UTC = datetime.datetime(2026, 12, 1, 17, 30, tzinfo=datetime.timezone.utc)


@pytest.fixture
def late_consultation():
    worker = f.worker("hohhot")
    c = f.consultation(worker, topic="深夜咨询")
    Consultation.objects.filter(pk=c.pk).update(created_at=LATE_UTC)
    return worker, c


def test_the_list_shows_local_time(client, late_consultation):
    worker, c = late_consultation
    page = login(client, worker).get(reverse("rightsaid:consultation-list")).content.decode()
    assert "2026-12-02 01:30" in page and "2026-12-01 17:30" not in page


def test_filtering_by_the_local_day_finds_it(client, late_consultation):
    worker, c = late_consultation
    login(client, worker)
    url = reverse("rightsaid:consultation-list")
    assert "深夜咨询" in client.get(url, {"created_after": "2026-12-02", "created_before": "2026-12-02"}).content.decode()
    assert "深夜咨询" not in client.get(url, {"created_after": "2026-12-01", "created_before": "2026-12-01"}
                                     ).content.decode()
    api = "/api/v1/rightsaid/consultations/"
    assert [r["id"] for r in client.get(api, {"created_after": "2026-12-02"}).json()["results"]] == [c.pk]
    assert client.get(api, {"created_before": "2026-12-01"}).json()["results"] == []


def test_the_xlsx_export_has_local_time(client, late_consultation):
    worker, c = late_consultation
    resp = login(client, worker).get(reverse("rightsaid:consultation-list"), {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == datetime.datetime(2026, 12, 2, 1, 30)


def test_local_date_filter_edges():
    from ipcenter.filters import LocalDateFilter

    qs = Consultation.objects.all()
    to = LocalDateFilter(field_name="created_at", side="to").filter(qs, datetime.date(2026, 12, 1))
    assert "2026-12-01 16:00:00+00:00" in str(to.query) or "2026-12-02 00:00:00+08:00" in str(to.query)
    with pytest.raises(ValueError):
        LocalDateFilter(field_name="created_at", side="sideways")


def test_no_list_column_formats_a_moment_with_strftime():
    """``Column(value=lambda o: o.created_at.strftime(...))`` prints UTC; the core formats moments."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"Column\((?:[^()]|\([^()]*\))*\)", text):
            if "strftime" in m.group(0):
                offenders.append(f"{path.relative_to(root)}: {m.group(0)[:80]}")
    assert offenders == []
