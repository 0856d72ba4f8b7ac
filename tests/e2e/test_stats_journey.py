"""Statistics in the browser: a manager opens the dashboard, changes the period and the scope,
exports the PDF statistics report, watches the progress bar finish and downloads the file."""
import datetime as dt
import os
import subprocess

import pytest
from django.utils import timezone

from prescreen.models import PreExamCase
from tests import factories
from tests.e2e.conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


def test_manager_changes_period_and_scope_and_downloads_the_pdf(live_server, page, tmp_path):
    manager = factories.manager()
    applicant = factories.applicant()
    baotou_org = factories.OrganizationFactory(league=factories.station("baotou"))
    tz = timezone.get_current_timezone()
    for org, n in ((applicant.organization, 3), (baotou_org, 2)):
        for i in range(n):
            PreExamCase.objects.create(
                title=f"案件{i}", organization=org, filed_by=applicant, technical_field=factories.field("biology"),
                applicants="甲", inventors="乙", state="qualified",
                submitted_at=dt.datetime(2026, 5, 6, 9, tzinfo=tz), accepted_at=dt.datetime(2026, 5, 6, 10, tzinfo=tz),
                concluded_at=dt.datetime(2026, 5, 12, 10, tzinfo=tz))

    login_as(page, live_server, manager.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/stats/")
    page.wait_for_load_state("networkidle")
    assert "专利预审" in page.inner_text("main")

    # the year 2026, then one league
    page.select_option("#id_period", "year")
    page.select_option("#id_year", "2026")
    page.click("#stats-apply")
    page.wait_for_load_state("networkidle")
    assert "2026年" in page.inner_text("h1")
    assert page.inner_text("[data-figure='prescreen.cases_received'] .stat-value").split()[0] == "5"
    page.select_option("#id_station", "baotou")
    page.click("#stats-apply")
    page.wait_for_load_state("networkidle")
    assert "包头市" in page.inner_text("h1")
    assert page.inner_text("[data-figure='prescreen.cases_received'] .stat-value").split()[0] == "2"
    page.screenshot(path=f"{SHOTS}/stats-dashboard.png", full_page=False)

    # export the PDF: the job page's progress bar reaches 100 % and offers the download
    page.click("[data-export='stats.report.pdf']")
    page.wait_for_selector("#job-status[data-status=done]", timeout=60000)
    assert "100%" in page.inner_text("#job-status")
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "统计报告" in text and "包头市知识产权保护分中心" in text and "专利预审" in text
