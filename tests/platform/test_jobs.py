"""Background jobs (``ipcenter.reports``): parameter forms refuse bad input and create nothing;
imports are all-or-nothing with their row errors on the job page and in an XLSX; a task delivered
twice runs once and a redelivery after a dead worker runs again; expiry can run twice at once;
time limits end a job FAILED; a job with a target is visible to whoever sees the target; list
exports above the threshold become jobs scoped again in the worker."""
import csv
import datetime
import io
import threading

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.accounts.models import TechnicalField
from ipcenter.reports import services
from ipcenter.reports.models import Job
from ipcenter.reports.registry import REPORT_KINDS, job_kind
from ipcenter.reports.xlsx import XLSX_TYPE, write_xlsx
from tests import factories
from tests.conftest import login

CALLS = []


def _csv(rows, header=("code", "name")):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("领域.csv", buf.getvalue().encode("utf-8"), content_type="text/csv")


def import_fields(ctx):
    """Test import kind: technical fields from a CSV (code, name)."""
    CALLS.append(ctx.job.pk)
    with ctx.open_input() as fh:
        reader = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8-sig"))
        for i, row in enumerate(reader, start=2):
            code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
            if not code.isascii() or not code:
                ctx.row_error(i, "code", "代码只能是英文字母、数字或连字符。")
                continue
            if not name:
                ctx.row_error(i, "name", "名称不能为空。")
                continue
            TechnicalField.objects.create(code=code, name=name)
            ctx.count("新增")
            ctx.progress(50, "写入")
            if ctx.params.get("die_after") == code:
                raise KeyboardInterrupt("worker killed")  # not an Exception: the worker dies


def export_fields(ctx):
    CALLS.append(ctx.job.pk)
    if ctx.params.get("slow"):
        from celery.exceptions import SoftTimeLimitExceeded

        raise SoftTimeLimitExceeded()
    with ctx.output("领域.xlsx", XLSX_TYPE) as fh:
        write_xlsx([("领域", ["代码", "名称"], TechnicalField.objects.values_list("code", "name").iterator())], fh=fh)


@pytest.fixture(autouse=True)
def test_kinds():
    from django import forms

    from ipcenter.reports.forms import JobParamForm

    class FieldExportForm(JobParamForm):
        prefix_code = forms.SlugField(label="代码前缀", required=False)
        slow = forms.BooleanField(required=False)

    CALLS.clear()
    job_kind("tests.import_fields", "导入技术领域", direction="import", permission=None)(import_fields)
    job_kind("tests.export_fields", "导出技术领域", permission=None, form=FieldExportForm, queue="default",
             time_limit=5, retention=datetime.timedelta(days=2))(export_fields)
    yield
    REPORT_KINDS.pop("tests.import_fields")
    REPORT_KINDS.pop("tests.export_fields")


def _run(capture, func, *args, **kwargs):
    with capture(execute=True):
        job = func(*args, **kwargs)
    job.refresh_from_db()
    return job


# --- parameter forms -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_bad_statistics_parameters_are_field_errors_and_create_no_job(client, manager_user):
    login(client, manager_user)
    url = reverse("reports:request", args=["stats.report.xlsx"])
    assert client.get(url).status_code == 200
    page = client.post(url, {"period": "month", "year": "2026", "month": "13"})
    assert page.status_code == 400 and "月份应在 1 至 12 之间" in page.content.decode()
    assert page.context["form"].errors["month"]
    page = client.post(url, {"period": "range", "start": "2026-03-01", "end": "2026-02-01"})
    assert page.status_code == 400 and "结束日期不能早于开始日期" in page.context["form"].errors["end"][0]
    api = client.post("/api/v1/report-jobs/", {"kind": "stats.report.pdf", "params": {"period": "quarter",
                                                                                     "quarter": "5"}},
                      content_type="application/json")
    assert api.status_code == 400 and "季度" in api.json()["params"]["quarter"][0]
    api = client.post("/api/v1/report-jobs/", {"kind": "stats.report.pdf", "params": "x"},
                      content_type="application/json")
    assert api.status_code == 400 and "params" in api.json()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_station_outside_the_users_subtree_is_a_field_error_for_jobs_too(client):
    staff = factories.staff(roles.STATION_STAFF, "baotou")
    login(client, staff)
    url = reverse("reports:request", args=["stats.report.xlsx"])
    page = client.post(url, {"period": "year", "year": "2026", "station": "hohhot"})
    assert page.status_code == 400 and "只能查看本工作站及下级工作站" in page.context["form"].errors["station"][0]
    page = client.post(url, {"period": "year", "year": "2026", "station": "nowhere"})
    assert page.status_code == 400 and page.context["form"].errors["station"] == ["没有该工作站。"]
    api = client.post("/api/v1/report-jobs/", {"kind": "stats.report.xlsx",
                                               "params": {"period": "year", "station": "hohhot"}},
                      content_type="application/json")
    assert api.status_code == 400 and "station" in api.json()["params"]
    assert not Job.objects.exists()
    ok = client.post(url, {"period": "year", "year": "2026"})
    job = Job.objects.get()
    assert ok.status_code == 302 and job.params["station"] == "baotou"  # the own subtree, explicit


@pytest.mark.django_db
def test_a_kind_form_error_in_the_api_and_the_page_names_the_field(client, manager_user):
    login(client, manager_user)
    page = client.post(reverse("reports:request", args=["tests.export_fields"]), {"prefix_code": "含 空格"})
    assert page.status_code == 400 and page.context["form"].errors["prefix_code"]
    api = client.post("/api/v1/report-jobs/", {"kind": "tests.export_fields", "params": {"prefix_code": "a b"}},
                      content_type="application/json")
    assert api.status_code == 400 and api.json()["params"]["prefix_code"]
    unknown = client.post("/api/v1/report-jobs/", {"kind": "nope"}, content_type="application/json")
    assert unknown.status_code == 400 and "未知的任务类型" in unknown.json()["kind"][0]
    assert client.post(reverse("reports:request", args=["nope"])).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_an_import_without_a_file_or_with_a_wrong_file_creates_nothing(client, manager_user):
    login(client, manager_user)
    url = reverse("reports:request", args=["tests.import_fields"])
    assert client.get(url).status_code == 200
    page = client.post(url, {})
    assert page.status_code == 400 and page.context["form"].errors["file"]
    exe = SimpleUploadedFile("领域.csv", b"MZ\x90\x00" + b"\x00" * 64)
    page = client.post(url, {"file": exe})
    assert page.status_code == 400 and "领域.csv" in page.context["form"].errors["file"][0]
    from ipcenter.files.models import Attachment

    assert not Job.objects.exists() and not Attachment.objects.exists()


# --- imports: all or nothing -------------------------------------------------------------------

@pytest.mark.django_db
def test_an_import_with_row_errors_imports_nothing_and_lists_them(client, manager_user,
                                                                  django_capture_on_commit_callbacks):
    rows = [("bio", "生物医药"), ("新材料", "新材料"), ("energy", ""), ("agri", "现代农业")]
    job = _run(django_capture_on_commit_callbacks, services.request_job, "tests.import_fields", manager_user,
               input_file=_csv(rows))
    assert job.status == Job.Status.FAILED and job.error_count == 2
    assert "所有行均未导入" in job.error
    assert not TechnicalField.objects.filter(code__in=["bio", "agri"]).exists()  # the good rows rolled back too
    assert job.row_errors == [[3, "code", "代码只能是英文字母、数字或连字符。"], [4, "name", "名称不能为空。"]]
    login(client, manager_user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="row-errors"' in page and "名称不能为空" in page and "共 2 处错误" in page
    xlsx = client.get(reverse("reports:errors", args=[job.pk]))
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert list(sheet.values)[1:] == [(3, "code", "代码只能是英文字母、数字或连字符。"), (4, "name", "名称不能为空。")]


@pytest.mark.django_db
def test_a_clean_import_commits_every_row_with_its_counters(client, manager_user, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, services.request_job, "tests.import_fields", manager_user,
               input_file=_csv([("bio2", "生物"), ("agri2", "农业")]))
    assert job.status == Job.Status.DONE and job.counters == {"新增": 2}
    assert set(TechnicalField.objects.filter(code__in=["bio2", "agri2"]).values_list("name", flat=True)) == \
        {"生物", "农业"}
    assert job.direction == "import" and job.input_file is not None and job.input_file.original_name == "领域.csv"
    login(client, manager_user)
    assert "新增：2" in client.get(job.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_error_list_shows_the_first_200_and_the_workbook_has_all(client, manager_user,
                                                                    django_capture_on_commit_callbacks):
    rows = [(f"行{i}", "名") for i in range(250)]
    job = _run(django_capture_on_commit_callbacks, services.request_job, "tests.import_fields", manager_user,
               input_file=_csv(rows))
    assert job.error_count == 250 and len(job.row_errors) == 200
    login(client, manager_user)
    assert "此处显示前 200 处" in client.get(job.get_absolute_url()).content.decode()
    content = b"".join(client.get(reverse("reports:errors", args=[job.pk])).streaming_content)
    assert openpyxl.load_workbook(io.BytesIO(content)).active.max_row == 251


# --- exactly once ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_finished_job_delivered_again_does_not_run_again(manager_user, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, services.request_job, "tests.export_fields", manager_user)
    assert job.status == Job.Status.DONE and CALLS == [job.pk]
    services.run_job(job.pk)
    assert CALLS == [job.pk] and Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db
def test_a_duplicate_delivery_while_the_job_runs_elsewhere_runs_nothing(manager_user):
    job = services.request_job("tests.export_fields", manager_user)  # not enqueued (no commit)
    held, release = threading.Event(), threading.Event()

    def other_worker():
        with connections["default"].cursor() as cursor:  # its own connection (this thread)
            cursor.execute("SELECT pg_advisory_lock(%s)", [services._lock_key(job.pk)])
            held.set()
            release.wait(10)
            cursor.execute("SELECT pg_advisory_unlock(%s)", [services._lock_key(job.pk)])
        connections["default"].close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert held.wait(10)
    try:
        services.run_job(job.pk)
        job.refresh_from_db()
        assert CALLS == [] and job.status == Job.Status.QUEUED and job.attempts == 0
    finally:
        release.set()
        thread.join()
    services.run_job(job.pk)  # the other worker is gone: this delivery runs it
    job.refresh_from_db()
    assert CALLS == [job.pk] and job.status == Job.Status.DONE


@pytest.mark.django_db
def test_a_worker_dying_mid_import_leaves_nothing_and_the_redelivery_imports_once(manager_user):
    job = services.request_job("tests.import_fields", manager_user, input_file=_csv([("a1", "甲"), ("b1", "乙")]))
    Job.objects.filter(pk=job.pk).update(params={"die_after": "a1"})
    with pytest.raises(KeyboardInterrupt):
        services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and not TechnicalField.objects.filter(code="a1").exists()
    with connection.cursor() as cursor:  # the dead worker's lock is gone with it
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [services._lock_key(job.pk)])
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT pg_advisory_unlock(%s)", [services._lock_key(job.pk)])
    Job.objects.filter(pk=job.pk).update(params={})
    services.run_job(job.pk)  # the redelivered task
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert TechnicalField.objects.filter(code__in=["a1", "b1"]).count() == 2


# --- time limits and queues -------------------------------------------------------------------

@pytest.mark.django_db
def test_a_job_over_its_soft_time_limit_ends_failed_with_the_reason(manager_user, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, services.request_job, "tests.export_fields", manager_user,
               {"slow": True})
    assert job.status == Job.Status.FAILED and job.error == "超过时间限制（5 秒），任务已停止。"
    assert not job.result


@pytest.mark.django_db
def test_a_job_killed_at_its_hard_limit_is_failed_by_the_sweep(manager_user):
    job = services.request_job("tests.export_fields", manager_user)
    started = timezone.now() - datetime.timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=started)
    fresh = services.request_job("tests.export_fields", manager_user)
    Job.objects.filter(pk=fresh.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    services.expire_jobs()
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == Job.Status.FAILED and "超过时间限制" in job.error
    assert fresh.status == Job.Status.RUNNING


@pytest.mark.django_db
def test_kinds_go_to_their_queue_with_their_limits(manager_user, django_capture_on_commit_callbacks, monkeypatch,
                                                   settings):
    from ipcenter.reports import tasks

    sent = []
    monkeypatch.setattr(tasks.run_job_task, "apply_async", lambda args, **kw: sent.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        services.request_job("tests.export_fields", manager_user)
        services.request_job("stats.overview.xlsx", manager_user)
    assert sent[0] == {"queue": settings.CELERY_TASK_DEFAULT_QUEUE, "soft_time_limit": 5, "time_limit": 35}
    assert sent[1]["queue"] == settings.CELERY_LONG_QUEUE
    assert sent[1]["soft_time_limit"] == settings.CELERY_LONG_TASK_SOFT_LIMIT


# --- expiry ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_finished_job_expires_after_its_retention(client, manager_user, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, services.request_job, "tests.export_fields", manager_user)
    assert job.expires_at == job.finished_at + datetime.timedelta(days=2)
    path = job.result.path
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_jobs(now=job.finished_at + datetime.timedelta(days=1)) == 0
        assert services.expire_jobs(now=job.finished_at + datetime.timedelta(days=3)) == 1
    job.refresh_from_db()
    import os

    assert job.status == Job.Status.EXPIRED and not job.result and not os.path.exists(path)
    login(client, manager_user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已过期，请重新生成" in page and 'data-testid="rerun"' in page
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("reports:rerun", args=[job.pk]))
    new = Job.objects.exclude(pk=job.pk).get()
    assert again.url == new.get_absolute_url() and new.status == Job.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_two_expiry_sweeps_at_once_handle_each_job_once(manager_user):
    from django.core.files.base import ContentFile

    jobs = []
    past = timezone.now() - datetime.timedelta(days=1)
    for i in range(30):
        job = Job.objects.create(kind="tests.export_fields", title=f"旧任务{i}", requested_by=manager_user,
                                 status=Job.Status.DONE, finished_at=past, expires_at=past)
        job.result.save("result", ContentFile(b"x" * 10), save=True)
        jobs.append(job)
    paths = [j.result.path for j in jobs]
    results, barrier = [], threading.Barrier(2)

    def sweep():
        barrier.wait()
        try:
            results.append(services.expire_jobs(batch=5))
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    import os

    assert sum(results) == 30
    assert Job.objects.filter(status=Job.Status.EXPIRED).count() == 30
    assert not any(os.path.exists(p) for p in paths)
    assert services.expire_jobs() == 0  # and again: nothing left to do


# --- target records ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_jobs_target_decides_who_else_sees_it(client, django_capture_on_commit_callbacks):
    from tests.rightsaid.test_mediation import in_mediation

    from rightsaid.mediation import services as mediation

    signer = factories.staff(roles.MEDIATOR, "mediation", display_name="甲调解员")
    dispute = in_mediation(signer)
    mediation.log_session(dispute, signer, held_on=timezone.localdate(), mode="onsite", place="调解室",
                          attendees="双方", notes="达成一致。")
    with django_capture_on_commit_callbacks(execute=True):
        agreement = mediation.reach_agreement(dispute, signer, terms="一、停止侵权。", signed_on=timezone.localdate())
    job = Job.objects.for_target(agreement).get()
    assert job.status == Job.Status.DONE and job.requested_by == signer
    colleague = factories.staff(roles.MEDIATOR, "mediation")  # sees the dispute, did not request the job
    page = login(client, colleague).get(job.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="job-target"' in page.content.decode()
    assert agreement.number in page.content.decode()
    outsiders = [factories.staff(roles.STATION_STAFF, "baotou"), factories.applicant(),
                 factories.staff(roles.OUTREACH_STAFF, "centre")]
    for outsider in outsiders:
        login(client, outsider)
        for name in ("reports:job", "reports:download", "reports:errors"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (outsider, name)
        assert client.post(reverse("reports:rerun", args=[job.pk])).status_code == 404
        assert client.get(f"/api/v1/report-jobs/{job.pk}/").status_code == 404
        assert str(job.pk) not in client.get(reverse("reports:list")).content.decode()


@pytest.mark.django_db
def test_a_kind_with_a_target_cannot_be_started_from_the_reports_page(client, manager_user):
    login(client, manager_user)
    assert client.post(reverse("reports:request", args=["mediation.agreement_pdf"])).status_code == 404
    assert client.post(reverse("reports:request", args=["core.list_export"]), {"path": "/"}).status_code == 404
    api = client.post("/api/v1/report-jobs/", {"kind": "core.list_export", "params": {"path": "/"}},
                      content_type="application/json")
    assert api.status_code == 400 and not Job.objects.exists()


# --- list exports above the threshold ----------------------------------------------------------

def _disputes(manager, station_codes):
    from ipcenter.accounts.models import Station
    from rightsaid.mediation import services as mediation
    from rightsaid.mediation.models import Party

    out = []
    for i, code in enumerate(station_codes):
        out.append(mediation.create_dispute(
            manager, subject=f"纠纷{code}{i}", ip_type="trademark", station=Station.objects.get(code=code),
            parties=[{"role": Party.Role.APPLICANT, "name": f"申请人{i}"},
                     {"role": Party.Role.RESPONDENT, "name": f"被申请人{i}"}]))
    return out


def _sheet_subjects(content):
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    col = rows[0].index("纠纷事由")
    return sorted(r[col] for r in rows[1:])


@pytest.mark.django_db
def test_a_small_list_export_stays_synchronous(client, manager_user, settings):
    settings.LIST_EXPORT_SYNC_LIMIT = 5
    _disputes(manager_user, ["baotou", "hohhot"])
    resp = login(client, manager_user).get(reverse("mediation:index"), {"export": "xlsx"})
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX_TYPE
    assert _sheet_subjects(resp.content) == ["纠纷baotou0", "纠纷hohhot1"]
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_big_list_export_becomes_a_job_scoped_again_in_the_worker(client, manager_user, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.LIST_EXPORT_SYNC_LIMIT = 2
    _disputes(manager_user, ["baotou", "baotou", "baotou", "hohhot", "hohhot"])
    staff = factories.staff(roles.STATION_STAFF, "baotou")
    login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.get(reverse("mediation:index"), {"export": "xlsx", "sort": "number", "q": "纠纷"})
    job = Job.objects.get()
    assert resp.status_code == 302 and resp.url == job.get_absolute_url()
    assert job.params["path"] == reverse("mediation:index") and "export" not in job.params["query"]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    content = b"".join(client.get(reverse("reports:download", args=[job.pk])).streaming_content)
    assert _sheet_subjects(content) == ["纠纷baotou0", "纠纷baotou1", "纠纷baotou2"]  # no hohhot rows
    # a stored query naming another station still yields only the user's rows
    forged = Job.objects.create(kind="core.list_export", title="x", requested_by=staff,
                                params={"path": reverse("mediation:index"), "query": "station=hohhot"})
    services.run_job(forged.pk)
    forged.refresh_from_db()
    assert forged.status == Job.Status.DONE, forged.error
    with forged.result.open("rb") as fh:
        assert not any("hohhot" in s for s in _sheet_subjects(fh.read()))
    # a user who lost the list's access rule gets a failed job, not the rows
    applicant = factories.applicant()
    denied = Job.objects.create(kind="core.list_export", title="x", requested_by=applicant,
                                params={"path": reverse("mediation:index"), "query": ""})
    services.run_job(denied.pk)
    denied.refresh_from_db()
    assert denied.status == Job.Status.FAILED and not denied.result and "无权" in denied.error
    not_a_list = Job.objects.create(kind="core.list_export", title="x", requested_by=staff,
                                    params={"path": "/admin/", "query": ""})
    services.run_job(not_a_list.pk)
    not_a_list.refresh_from_db()
    assert not_a_list.status == Job.Status.FAILED


def test_row_errors_kept_with_their_values_are_shown_in_the_readers_language():
    """A row error recorded as a catalogue entry with its values reads in each reader's language;
    an entry stored as plain text (older jobs) is shown as stored."""
    from django.utils import translation

    from ipcenter.reports.models import Job

    job = Job(row_errors=[[2, "申请日", "不是有效的日期：x", "不是有效的日期：%(value)s", {"value": "x"}],
                          [3, "id", "数值无效。"]])
    with translation.override("en"):
        assert job.shown_row_errors() == [(2, "申请日", "Not a valid date: x"), (3, "id", "数值无效。")]
    with translation.override("zh-hans"):
        assert job.shown_row_errors()[0] == (2, "申请日", "不是有效的日期：x")
    job.row_errors = [[4, "c", "stored", "%(missing)s", {}]]  # a broken template falls back to the text
    assert job.shown_row_errors() == [(4, "c", "stored")]
