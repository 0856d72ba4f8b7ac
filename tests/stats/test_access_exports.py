"""Scope restriction through page, export and API; PDF/XLSX/work report contents; the
monthly report runs once per month."""
import datetime as dt
import io
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from ipcenter.accounts import roles
from ipcenter.reports.models import ReportJob
from ipcenter.reports.services import request_report
from ipcenter.stats.models import MonthlyReport
from tests import factories
from tests.conftest import login

from .test_figures import RANGE, cases, holidays_2027  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def baotou_staff(db):
    return factories.staff(roles.STATION_STAFF, "baotou")


def test_dashboard_for_a_manager_shows_every_section(client, cases, manager_user):  # noqa: F811
    page = login(client, manager_user).get(reverse("stats:dashboard"), RANGE)
    html = page.content.decode()
    assert page.status_code == 200
    for title in ("专利预审", "四级质检", "维权援助", "人民调解"):
        assert title in html
    assert 'data-figure="prescreen.cases_received"' in html and "<svg" in html


def test_station_staff_see_only_their_subtree(client, cases, baotou_staff, monkeypatch):  # noqa: F811
    from ipcenter.stats import figures

    login(client, baotou_staff)
    assert client.get(reverse("stats:dashboard"), RANGE).status_code == 200
    assert client.get(reverse("stats:dashboard"), {**RANGE, "station": "baotou-steel"}).status_code == 200
    calls = []
    original = figures.compute
    monkeypatch.setattr(figures, "compute", lambda *a, **k: calls.append(a) or original(*a, **k))
    import ipcenter.stats.selection as selection
    monkeypatch.setattr(selection, "compute", lambda *a, **k: calls.append(a) or original(*a, **k))
    assert client.get(reverse("stats:dashboard"), {**RANGE, "station": "hohhot"}).status_code == 403
    assert client.get(reverse("stats:dashboard"), {**RANGE, "station": "centre"}).status_code == 403
    assert client.get(reverse("stats:dashboard"), {**RANGE, "station": "nowhere"}).status_code == 404
    assert client.get("/api/v1/stats/", {**RANGE, "station": "hohhot"}).status_code == 403
    assert client.get("/api/v1/stats/", {**RANGE, "station": "nowhere"}).status_code == 404
    resp = client.post(reverse("stats:export", args=["stats.report.pdf"]), {**RANGE, "station": "hohhot"})
    assert resp.status_code == 403 and not ReportJob.objects.exists()
    assert calls == []  # nothing computed for a refused scope
    data = client.get("/api/v1/stats/", RANGE).json()
    assert data["scope"]["station"] == "baotou"
    pre = next(s for s in data["sections"] if s["code"] == "prescreen")
    assert {f["code"]: f["value"] for f in pre["figures"]}["cases_received"] == 1


def test_other_users_are_refused(client, applicant_user, examiner_user):
    for user in (applicant_user, examiner_user):
        login(client, user)
        assert client.get(reverse("stats:dashboard")).status_code == 403
        assert client.get("/api/v1/stats/").status_code == 403
    client.logout()
    assert client.get("/api/v1/stats/").status_code in (401, 403)


def test_bad_period_is_a_clear_message_not_a_500(client, manager_user):
    login(client, manager_user)
    page = client.get(reverse("stats:dashboard"), {"period": "range", "start": "2026-02-01", "end": "2026-01-01"})
    assert page.status_code == 400 and "结束日期不能早于开始日期" in page.content.decode()
    api = client.get("/api/v1/stats/", {"period": "month", "month": "13"})
    assert api.status_code == 400 and "month" in api.json()
    assert client.get("/api/v1/stats/nope/").status_code == 404
    one = client.get("/api/v1/stats/mediation/", {"compare": "1"}).json()
    assert one["code"] == "mediation" and "previous" in one["figures"][0]


def _run(kind, user, params, capture):
    with capture(execute=True):
        job = request_report(kind, user, params)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    with job.result.open("rb") as fh:
        return job, fh.read()


def _pdf_text(content, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_report_has_chinese_sections_and_a_known_figure(cases, manager_user, tmp_path,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    from ipcenter.stats.selection import scope_params, resolve_scope

    params = scope_params(resolve_scope(manager_user, RANGE))
    _job, content = _run("stats.report.pdf", manager_user, params, django_capture_on_commit_callbacks)
    text = _pdf_text(content, tmp_path)
    for title in ("统计报告", "目录", "专利预审", "维权援助", "人民调解", "附录 指标说明", "第 1 页"):
        assert title in text
    assert "收到预审申请" in text and "80.0 %" in text  # qualified rate of the fixture


def test_export_job_of_a_station_user_is_scoped(client, cases, baotou_staff):  # noqa: F811
    login(client, baotou_staff)
    resp = client.post(reverse("stats:export", args=["stats.report.xlsx"]), RANGE)
    job = ReportJob.objects.get()
    assert resp.status_code == 302 and job.params["station"] == "baotou"
    # a job whose parameters were tampered with fails instead of computing another scope
    from ipcenter.reports.services import run_job

    bad = ReportJob.objects.create(kind="stats.report.xlsx", title="x", params={**RANGE, "station": "hohhot"},
                                   requested_by=baotou_staff)
    run_job(bad.pk)
    bad.refresh_from_db()
    assert bad.status == ReportJob.Status.FAILED and not bad.result


def test_xlsx_cells_are_numbers_and_dates(cases, manager_user, django_capture_on_commit_callbacks):  # noqa: F811
    import openpyxl

    _job, content = _run("stats.report.xlsx", manager_user, RANGE, django_capture_on_commit_callbacks)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert "专利预审" in wb.sheetnames and "维权援助" in wb.sheetnames
    cover = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=2, values_only=True)}
    assert cover["开始日期"] == dt.datetime(2026, 9, 1)
    rows = {r[0]: r for r in wb["专利预审"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert rows["收到预审申请"][1] == 6 and isinstance(rows["收到预审申请"][1], int)
    assert rows["预审合格率"][1] == 80.0


def test_work_report_sentences_carry_the_fixture_numbers(cases, manager_user, tmp_path,  # noqa: F811
                                                         django_capture_on_commit_callbacks):
    _job, content = _run("stats.work_report.pdf", manager_user, RANGE, django_capture_on_commit_callbacks)
    text = "".join(_pdf_text(content, tmp_path).split())
    assert "累计备案2家创新主体" in text
    assert "专利预审案件受理量5件" in text
    assert "发明专利授权周期由平均16个月缩短到51天" in text
    assert "维权援助网络" in text and "附录指标说明" in text


def test_monthly_report_is_sent_once_per_month(db, manager_user, settings):
    from ipcenter.stats.tasks import send_monthly_report

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    factories.manager(email="")  # a manager without an address is skipped
    first = send_monthly_report(today=dt.date(2026, 12, 1))
    second = send_monthly_report(today=dt.date(2026, 12, 1))  # beat fires twice
    assert first is not None and second is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [manager_user.email]
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "统计月报-202611.pdf" and content[:4] == b"%PDF" and mimetype == "application/pdf"
    row = MonthlyReport.objects.get()
    assert row.month == dt.date(2026, 11, 1) and row.sent_at and row.recipients == 1
    send_monthly_report(today=dt.date(2027, 1, 1))
    assert len(mail.outbox) == 2 and MonthlyReport.objects.count() == 2


def test_monthly_report_claimed_but_unsent_is_retried(db, manager_user, settings):
    from ipcenter.stats.tasks import send_monthly_report

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MonthlyReport.objects.create(month=dt.date(2026, 11, 1))  # a worker died after creating the row
    assert send_monthly_report(today=dt.date(2026, 12, 3)) is not None
    assert len(mail.outbox) == 1
