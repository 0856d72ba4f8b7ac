"""Projects, phases with deadlines, scoping (404 for outsiders and the client before
delivery), and the report: PDF text and picture, XLSX, versions, delivery, failures."""
import datetime
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ipcenter.deadlines.models import Deadline
from navigation import demo, services
from navigation.models import NavigationProject, ProjectPhase
from tests import factories

from .conftest import export_file

pytestmark = pytest.mark.django_db


def test_a_project_has_the_six_phases_in_order(project):
    assert list(project.phases.values_list("kind", flat=True)) == [
        "requirements", "design", "retrieval", "processing", "analysis", "application"]
    assert project.phases.first().started_at is not None


def test_phase_due_date_is_a_deadline_closed_when_done(project, analyst):
    phase = project.phases.get(kind="requirements")
    services.plan_phase(phase, analyst, owner=analyst, due_date=timezone.localdate() + datetime.timedelta(days=10))
    d = Deadline.objects.get(kind=services.PHASE_DEADLINE, object_id=phase.pk)
    assert d.state == Deadline.State.OPEN and d.assignee == analyst
    nxt = project.phases.get(kind="design")
    services.plan_phase(nxt, analyst, owner=analyst, due_date=timezone.localdate() + datetime.timedelta(days=20))
    services.complete_phase(phase, analyst)
    d.refresh_from_db()
    assert d.state == Deadline.State.MET
    from django.test import Client

    c = Client()
    c.force_login(analyst)
    assert 'data-testid="phase-clock"' in c.get(project.get_absolute_url()).content.decode()
    nxt.refresh_from_db()
    assert nxt.started_at is not None
    with pytest.raises(Exception):
        services.complete_phase(phase, analyst)


def test_phase_form_refuses_a_past_date(client, analyst, project):
    client.force_login(analyst)
    phase = project.phases.first()
    r = client.post(reverse("navigation:phase-edit", args=[phase.pk]),
                    {"owner": analyst.pk, "due_date": "2000-01-01", "note": ""})
    assert r.status_code == 200 and "不能早于今天" in r.content.decode()
    assert not Deadline.objects.filter(object_id=phase.pk, kind=services.PHASE_DEADLINE).exists()


def test_deliverable_upload(client, analyst, project):
    client.force_login(analyst)
    phase = project.phases.first()
    pdf = SimpleUploadedFile("需求分析报告.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    client.post(reverse("navigation:phase-deliverable", args=[phase.pk]), {"file": pdf, "label": "需求"})
    att = phase.attachments.get()
    assert client.get(reverse("files:download", args=[att.pk])).status_code == 200
    client.force_login(factories.staff("navigation_analyst"))
    assert client.get(reverse("files:download", args=[att.pk])).status_code == 404


def test_create_project_form(client, analyst, org):
    client.force_login(analyst)
    r = client.post(reverse("navigation:project-create"), {"name": "x", "project_type": "regional",
                                                            "lead": analyst.pk, "topic": "t", "year_from": "2020",
                                                            "year_to": "2010"})
    page = r.content.decode()
    assert r.status_code == 200 and "截止年份不能早于起始年份" in page and "请选择委托单位" in page
    assert not NavigationProject.objects.exists()
    r = client.post(reverse("navigation:project-create"), {"name": "特种合金", "project_type": "rnd",
                                                            "lead": analyst.pk, "topic": "高温合金",
                                                            "client_organization": org.pk})
    assert r.status_code == 302
    assert NavigationProject.objects.get().phases.count() == 6


def test_outsider_and_client_get_404_everywhere(client, project, outsider, org, run_import, records):
    imp = run_import(project, export_file(demo.write_lens_csv, records[:5], "l.csv"))
    client_user = factories.applicant(org)
    phase = project.phases.first()
    urls = [reverse("navigation:project-detail", args=[project.pk]),
            reverse("navigation:project-edit", args=[project.pk]),
            reverse("navigation:analyses", args=[project.pk]),
            reverse("navigation:report-create", args=[project.pk]),
            reverse("navigation:import-detail", args=[imp.pk]),
            reverse("navigation:import-progress", args=[imp.pk]),
            reverse("navigation:phase-edit", args=[phase.pk]),
            reverse("files:download", args=[imp.attachment_id]),
            f"/api/v1/navigation/projects/{project.pk}/", f"/api/v1/navigation/imports/{imp.pk}/errors/",
            f"/api/v1/navigation/projects/{project.pk}/analyses/trend/"]
    for user in (outsider, client_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("navigation:phase-done", args=[phase.pk])).status_code == 404
        assert client.get("/api/v1/navigation/patents/").json()["count"] == 0
    assert ProjectPhase.objects.get(pk=phase.pk).done_at is None


@pytest.fixture
def built_report(project, analyst, run_import, django_capture_on_commit_callbacks):
    run_import(project, export_file(demo.write_chinese_csv, demo.generate(200, "coal", seed=3), "cn.csv"))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_navigation_report(
            project, analyst, title="鄂尔多斯煤化工专利导航报告", sections=["trend", "applicants", "regions", "legal"],
            conclusions={"regions": "鄂尔多斯在煤制烯烃环节具有优势。"})
    report.refresh_from_db()
    return report


def test_report_pdf_has_sections_cutoff_and_figures(built_report, tmp_path, project):
    job = built_report.job
    assert job.status == "done", job.error
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(job.result.read())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for title in ("申请趋势与技术生命周期", "主要申请人", "区域分布", "法律状态", "目录", "检索策略"):
        assert title in text
    assert "2024-12-31" in text  # the data cut-off date
    assert "鄂尔多斯在煤制烯烃环节具有优势" in text
    total = project.patents.count()
    assert f"{total}" in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "3", "-l", "3", str(pdf), str(tmp_path / "p")], check=True)
    page = next(tmp_path.glob("p*.png"))
    from PIL import Image

    img = Image.open(page).convert("L")
    dark = sum(1 for v in img.getdata() if v < 200)
    assert dark > 500  # the trend chart is drawn on the first section page
    assert built_report.xlsx_job.status == "done"
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(built_report.xlsx_job.result.read()), read_only=True)
    assert any("年度申请趋势" in name for name in wb.sheetnames)


def test_client_downloads_only_the_delivered_version(client, built_report, analyst, org):
    client_user = factories.applicant(org)
    url = reverse("navigation:report-download", args=[built_report.pk, "pdf"])
    client.force_login(client_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("navigation:report-detail", args=[built_report.pk])).status_code == 404
    services.deliver_report(built_report, analyst)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert built_report.title in client.get("/").content.decode()  # the client's home panel
    assert client.get(reverse("navigation:project-detail", args=[built_report.project_id])).status_code == 404
    other = factories.applicant(factories.OrganizationFactory())
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_versions_are_kept(built_report, project, analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        second = services.request_navigation_report(project, analyst, title="t", sections=["legal"], conclusions={})
    assert second.version == 2 and project.reports.count() == 2


def test_failing_report_job_shows_the_error(client, project, analyst, monkeypatch, django_capture_on_commit_callbacks):
    from navigation import analyses

    def boom(*a, **k):
        raise RuntimeError("统计失败")

    monkeypatch.setattr(analyses, "legal_statuses", boom)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_navigation_report(project, analyst, title="t", sections=["legal"], conclusions={})
    report.refresh_from_db()
    assert report.job.status == "failed"
    client.force_login(analyst)
    page = client.get(reverse("navigation:report-detail", args=[report.pk])).content.decode()
    assert "报告生成失败" in page and "统计失败" in page
    with pytest.raises(Exception):
        services.deliver_report(report, analyst)


def test_analyst_home_panel_lists_projects(client, analyst, project):
    client.force_login(analyst)
    page = client.get("/").content.decode()
    assert 'data-testid="navigation-panel"' in page and project.name in page
