"""A pre-exam case from filing to grant, in the browser: the applicant files with PDFs, staff
accept, the examiner claims it and asks for a correction, the applicant uploads the
correction, the examiner qualifies it, the applicant records the CNIPA number and the grant."""
import os

import pytest
from django.utils import timezone

from prescreen.models import DefectType, PreExamCase
from prescreen.validators import make_application_number
from tests import factories
from tests.e2e.conftest import login_as
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


def _write_files(tmp_path):
    paths = {}
    for role, items in builders.clean_files().items():
        name, content = items[0]
        path = tmp_path / f"{role}-{name}"
        path.write_bytes(content)
        paths[role] = str(path)
    return paths


def _go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _click(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


def logout(page, live_server):
    page.context.clear_cookies()


def test_applicant_to_grant(live_server, page, tmp_path):
    from prescreen.quality.models import QualitySettings

    # this journey is the pre-exam workflow alone; test_quality_journey covers the peer check
    QualitySettings.objects.update_or_create(pk=1, defaults={"peer_mode": "share", "peer_share": 0})
    org = factories.OrganizationFactory(name="内蒙古草原新能源科技有限公司")
    register(org)
    applicant = factories.applicant(org)
    manager = factories.manager()
    examiner = factories.examiner(("new-materials",), display_name="预审员甲")
    files = _write_files(tmp_path)

    # 1. the applicant files a case in three steps
    login_as(page, live_server, applicant.username, factories.PASSWORD)
    _go(page, f"{live_server.url}/prescreen/cases/new/")
    page.fill("input[name=title]", builders.TITLE)
    page.select_option("select[name=technical_field]", label="新材料")
    page.fill("input[name=ipc]", "H02S 30/20")
    page.fill("input[name=applicants]", org.name)
    page.fill("input[name=inventors]", "张三；李四")
    _click(page, "main form button[type=submit]")
    for role, path in files.items():
        page.set_input_files(f"input[name={role}]", path)
    page.screenshot(path=f"{SHOTS}/prescreen-filing-documents.png", full_page=True)
    _click(page, "button[name=next]")
    assert page.locator("[data-testid=findings-clean]").count() == 1
    page.screenshot(path=f"{SHOTS}/prescreen-filing-review.png", full_page=True)
    _click(page, "[data-testid=submit-case]")
    case = PreExamCase.objects.get()
    assert case.state == "submitted"
    assert "已提交" in page.inner_text("h1")

    # 2. staff accept it
    logout(page, live_server)
    login_as(page, live_server, manager.username, factories.PASSWORD)
    _go(page, f"{live_server.url}{case.get_absolute_url()}")
    _click(page, "[data-testid=accept]")
    case.refresh_from_db()
    assert case.state == "accepted" and case.number in page.inner_text("h1")

    # 3. the examiner claims it and asks for a correction
    logout(page, live_server)
    login_as(page, live_server, examiner.username, factories.PASSWORD)
    _go(page, f"{live_server.url}/prescreen/queue/")
    assert case.number in page.inner_text("main")
    _click(page, "[data-testid=claim-next]")
    assert "预审中" in page.inner_text("h1")
    _click(page, "[data-testid=write-opinion]")
    page.select_option("select[name=defect_type]", str(DefectType.objects.get(code="unclear-claim").pk))
    page.fill("input[name=location]", "权利要求 2")
    page.fill("textarea[name=text]", "“所述支耳”缺乏引用基础")
    page.fill("textarea[name=suggestion]", "在权利要求1中引入支耳")
    _click(page, "button:has-text('添加缺陷条目')")
    assert "缺乏引用基础" in page.inner_text("[data-testid=defect-items]")
    page.select_option("select[name=conclusion]", "needs_correction")
    page.screenshot(path=f"{SHOTS}/prescreen-opinion-editor.png", full_page=True)
    _click(page, "button:has-text('提交意见')")
    case.refresh_from_db()
    assert case.state == "needs_correction"

    # 4. the applicant reads the opinion and uploads a corrected claims file
    logout(page, live_server)
    login_as(page, live_server, applicant.username, factories.PASSWORD)
    _go(page, f"{live_server.url}{case.get_absolute_url()}")
    assert "缺乏引用基础" in page.inner_text("[data-testid=opinion]")
    with page.expect_download() as dl:
        page.click("a:has-text('意见通知书')")
    assert dl.value.suggested_filename.endswith(".pdf")
    page.fill("textarea[name=note]", "已在权利要求1中引入支耳。")
    page.set_input_files("form[action$='/correction/'] input[name=claims]", files["claims"])
    _click(page, "[data-testid=submit-correction]")
    case.refresh_from_db()
    assert case.state == "examining"

    # 5. the examiner qualifies it in round 2
    logout(page, live_server)
    login_as(page, live_server, examiner.username, factories.PASSWORD)
    _go(page, f"{live_server.url}{case.get_absolute_url()}")
    _click(page, "[data-testid=write-opinion]")
    page.select_option("select[name=conclusion]", "qualified")
    _click(page, "button:has-text('提交意见')")
    case.refresh_from_db()
    assert case.state == "qualified"

    # 6. the applicant records the CNIPA application number and the grant
    logout(page, live_server)
    login_as(page, live_server, applicant.username, factories.PASSWORD)
    _go(page, f"{live_server.url}{case.get_absolute_url()}")
    today = timezone.localdate()
    page.fill("input[name=application_number]", "2025 1 0123456.0")
    page.fill("input[name=filed_on]", today.isoformat())
    _click(page, "[data-testid=record-filing]")
    assert "校验位" in page.inner_text("main")  # a wrong check digit is a field error
    number = make_application_number(today.year, 1, 123456)
    page.fill("input[name=application_number]", number)
    _click(page, "[data-testid=record-filing]")
    assert number in page.inner_text("[data-testid=cnipa-number]")
    page.select_option("select[name=outcome]", "grant")
    page.fill("input[name=outcome_date]", today.isoformat())
    _click(page, "[data-testid=record-outcome]")
    assert "授权" in page.inner_text("[data-testid=cnipa-outcome]")
    page.screenshot(path=f"{SHOTS}/prescreen-case.png", full_page=True)
    case.refresh_from_db()
    assert case.cnipa_outcome == "grant" and case.cnipa_application_number == number
