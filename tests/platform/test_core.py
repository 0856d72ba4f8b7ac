"""The shared core: working days, private files, transitions, audit, report jobs."""
import datetime
import subprocess
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from ipcenter.accounts.models import Organization
from ipcenter.deadlines.calendar import WorkingCalendar
from ipcenter.deadlines.models import CalendarOverride
from ipcenter.files import services as files
from ipcenter.files.models import Attachment
from ipcenter.reports.models import ReportJob
from ipcenter.reports.services import request_report
from ipcenter.workflow.engine import TransitionNotAllowed, run_transition, save_with_audit
from ipcenter.workflow.models import TimelineEvent
from tests import factories
from tests.conftest import login

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- working days --------------------------------------------------------------------------

@pytest.mark.django_db
class TestWorkingDays:
    def test_spring_festival_2026_with_makeup_saturdays(self):
        cal = WorkingCalendar()
        # Sat 14 Feb 2026 is a 调休 working day; 15–23 Feb are the holiday.
        assert cal.is_working_day(D(2026, 2, 14))
        assert not cal.is_working_day(D(2026, 2, 16))
        assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
        assert cal.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
        # 7 working days from Thu 12 Feb: 13, 14(Sat), 24, 25, 26, 27, 28(Sat makeup).
        assert cal.add_working_days(D(2026, 2, 12), 7) == D(2026, 2, 28)

    def test_national_day_2025_with_makeup_sunday_and_saturday(self):
        cal = WorkingCalendar()
        assert cal.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Sunday makeup day
        assert cal.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)  # 1–8 Oct off
        assert cal.is_working_day(D(2025, 10, 11))                           # Saturday makeup day
        assert cal.working_days_between(D(2025, 9, 30), D(2025, 10, 12)) == 3

    def test_override_beats_the_package(self):
        CalendarOverride.objects.create(date=D(2026, 2, 24), is_working_day=False, note="临时休息")
        CalendarOverride.objects.create(date=D(2026, 3, 7), is_working_day=True, note="临时上班")
        cal = WorkingCalendar()
        assert cal.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 25)
        assert cal.is_working_day(D(2026, 3, 7))  # a Saturday

    def test_unknown_year_uses_overrides_then_monday_to_friday(self):
        cal = WorkingCalendar()
        # 2027 is not in the package: plain Monday–Friday until admins enter the schedule.
        assert cal.add_working_days(D(2027, 1, 8), 1) == D(2027, 1, 11)
        assert cal.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
        CalendarOverride.objects.create(date=D(2027, 1, 1), is_working_day=False, note="元旦")
        assert WorkingCalendar().add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)

    def test_calendar_csv_upload_rejects_a_bad_row_and_saves_nothing(self, client, manager_user):
        login(client, manager_user)
        url = reverse("deadlines:calendar")
        bad = SimpleUploadedFile("2027.csv", "日期,是否工作日,说明\n2027-01-01,0,元旦\n2027-13-40,1,坏\n".encode(),
                                 content_type="text/csv")
        resp = client.post(url, {"file": bad})
        assert resp.status_code == 200
        assert "2027-13-40" in resp.content.decode()
        assert not CalendarOverride.objects.filter(date__year=2027).exists()


# --- private files -------------------------------------------------------------------------

def upload(name, data, purpose="accounts.organization_document", user=None, owner=None):
    return files.store_upload(SimpleUploadedFile(name, data), purpose, user, owner=owner)


@pytest.mark.django_db
class TestFiles:
    def test_renamed_executable_is_rejected(self, applicant_user):
        with pytest.raises(ValidationError) as err:
            upload("营业执照.pdf", b"MZ\x90\x00" + b"\x00" * 200, user=applicant_user)
        assert "不是允许的类型" in err.value.messages[0]
        with pytest.raises(ValidationError):
            upload("营业执照.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, user=applicant_user)
        assert not Attachment.objects.exists()

    def test_oversize_file_is_rejected(self, applicant_user):
        files.register_purpose("tests.tiny", kinds=("pdf",), max_size=1024)
        with pytest.raises(ValidationError) as err:
            upload("大文件.pdf", PDF + b"0" * 2048, purpose="tests.tiny", user=applicant_user)
        assert "超过" in err.value.messages[0]

    @pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "a/b.pdf", "..\\x.pdf", ".hidden.pdf", "a\x00.pdf"])
    def test_path_traversal_names_are_rejected(self, applicant_user, name):
        with pytest.raises(ValidationError) as err:
            files.store_upload(SimpleUploadedFile("x.pdf", PDF), "accounts.organization_document",
                               applicant_user, name=name)
        assert "文件名" in err.value.messages[0]
        assert not Attachment.objects.exists()

    def test_uploaded_traversal_name_never_reaches_the_disk(self, applicant_user, settings):
        att = upload("../../etc/passwd.pdf", PDF, user=applicant_user)  # Django keeps the base name only
        assert att.original_name == "passwd.pdf"
        assert "passwd" not in att.file.name and ".." not in att.file.name
        assert att.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))

    def test_download_is_scoped_and_keeps_the_chinese_name(self, client, org, applicant_user, other_applicant):
        att = upload("营业执照 副本.pdf", PDF, user=applicant_user, owner=org)
        assert att.file.name and "营业执照" not in att.file.name  # random storage name
        login(client, applicant_user)
        resp = client.get(reverse("files:download", args=[att.pk]))
        assert resp.status_code == 200
        assert b"".join(resp.streaming_content).startswith(b"%PDF")
        assert "filename*=UTF-8''%E8%90%A5%E4%B8%9A" in resp["Content-Disposition"]
        client.logout()
        login(client, other_applicant)
        assert client.get(reverse("files:download", args=[att.pk])).status_code == 404

    def test_new_version_supersedes_the_old_one(self, org, applicant_user):
        old = upload("章程.pdf", PDF, user=applicant_user, owner=org)
        new = files.store_upload(SimpleUploadedFile("章程v2.pdf", PDF + b"%v2"), "accounts.organization_document",
                                 applicant_user, owner=org, supersedes=old)
        assert new.version == 2
        assert list(files.attachments_of(org)) == [new]
        assert files.attachments_of(org, current_only=False).count() == 2


# --- transitions and audit -----------------------------------------------------------------

@pytest.mark.django_db
class TestTransitions:
    def test_allowed_transition_is_on_the_timeline(self, manager_user):
        org = factories.OrganizationFactory(status=Organization.Status.PENDING)
        run_transition(org, "approve", manager_user, "材料齐全")
        org.refresh_from_db()
        assert org.status == Organization.Status.ACTIVE
        event = TimelineEvent.objects.for_object(org).get() if hasattr(TimelineEvent.objects, "for_object") \
            else TimelineEvent.objects.get(object_id=org.pk)
        assert (event.from_state, event.to_state, event.actor, event.comment) == (
            "pending", "active", manager_user, "材料齐全")
        assert (event.from_label, event.to_label) == (str(Organization.Status.PENDING.label),
                                                      str(Organization.Status.ACTIVE.label))

    def test_wrong_state_and_wrong_role_are_refused(self, manager_user, applicant_user):
        org = factories.OrganizationFactory(status=Organization.Status.PENDING)
        with pytest.raises(TransitionNotAllowed, match="没有权限"):
            run_transition(org, "approve", applicant_user)
        with pytest.raises(TransitionNotAllowed, match="需要填写"):
            run_transition(org, "reject", manager_user, "")
        run_transition(org, "approve", manager_user)
        with pytest.raises(TransitionNotAllowed, match="当前状态"):
            run_transition(org, "reject", manager_user, "重复")
        assert TimelineEvent.objects.filter(object_id=org.pk).count() == 1

    def test_field_level_audit_records_old_and_new_values(self, manager_user):
        org = factories.OrganizationFactory(name="旧名称有限公司")
        org.name = "新名称有限公司"
        changes = save_with_audit(org, manager_user, ["name", "kind"])
        assert list(changes) == ["name"]
        event = TimelineEvent.objects.get(object_id=org.pk)
        assert "旧名称有限公司" in str(event.data) and "新名称有限公司" in str(event.data)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_wins():
    manager_a, manager_b = factories.manager(), factories.manager()
    org = factories.OrganizationFactory(status=Organization.Status.PENDING)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user, name):
        try:
            barrier.wait()
            run_transition(Organization.objects.get(pk=org.pk), name, user, "并发测试")
            outcomes.append(name)
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(manager_a, "approve")),
               threading.Thread(target=act, args=(manager_b, "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("refused") == 1
    assert TimelineEvent.objects.filter(object_id=org.pk).count() == 1


# --- report jobs ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_report_job_renders_a_chinese_pdf(manager_user, django_capture_on_commit_callbacks, tmp_path):
    factories.OrganizationFactory(name="蒙乳示范企业有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report("stats.overview.pdf", manager_user)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.progress == 100
    pdf = tmp_path / "r.pdf"
    with job.result.open("rb") as fh:
        pdf.write_bytes(fh.read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "中心概况" in text or "内蒙古" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJKSC" in fonts.replace(" ", "").replace("-", "")


@pytest.mark.django_db
def test_report_job_xlsx_opens(manager_user, django_capture_on_commit_callbacks):
    import openpyxl

    with django_capture_on_commit_callbacks(execute=True):
        job = request_report("stats.overview.xlsx", manager_user)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    with job.result.open("rb") as fh:
        wb = openpyxl.load_workbook(fh)
    assert wb.sheetnames


@pytest.mark.django_db
def test_report_job_failure_is_recorded(manager_user, django_capture_on_commit_callbacks, monkeypatch):
    from ipcenter.stats import reports as stats_reports

    def boom():
        raise RuntimeError("统计源不可用")

    monkeypatch.setattr(stats_reports, "platform_overview", boom)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            job = request_report("stats.overview.pdf", manager_user)
        except RuntimeError:
            job = ReportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error
