"""Quality check in the browser: the examiner writes an opinion → a colleague peer-checks it and
returns it with an error → the author fixes it → it is released → a centre reviewer samples it
and passes it."""
import os

import pytest
from django.utils import timezone

from ipcenter.accounts import roles
from prescreen import services as ps
from prescreen.models import DefectType, Opinion
from prescreen.quality.models import QualityCheck, ErrorType
from tests import factories
from tests.e2e.conftest import login_as
from tests.prescreen.test_filing import draft, register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


def _go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _click(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


def test_peer_check_return_fix_release_and_centre_sample(live_server, page):

    org = factories.OrganizationFactory()
    register(org)
    applicant = factories.applicant(org)
    manager = factories.manager()
    author = factories.examiner(("new-materials",), display_name="李预审")
    peer = factories.examiner(("new-materials",), display_name="赵预审")
    reviewer = factories.staff(roles.QC_REVIEWER, display_name="周质检")
    case = ps.submit_case(draft(org, applicant), applicant)
    ps.accept_case(case, manager)
    ps.assign_case(case, author, manager)

    # 1. the author writes and submits the opinion; it waits for the peer check
    login_as(page, live_server, author.username, factories.PASSWORD)
    _go(page, f"{live_server.url}{case.get_absolute_url()}")
    _click(page, "[data-testid=write-opinion]")
    page.select_option("select[name=defect_type]", str(DefectType.objects.get(code="unclear-claim").pk))
    page.fill("input[name=location]", "权利要求 2")
    page.fill("textarea[name=text]", "“所述支耳”缺乏引用基础")
    _click(page, "button:has-text('添加缺陷条目')")
    page.select_option("select[name=conclusion]", "needs_correction")
    _click(page, "button:has-text('提交意见')")
    assert "等待互检" in page.inner_text("main")
    opinion = Opinion.objects.get(case=case)
    assert opinion.state == "submitted"

    # 2. the colleague returns it with an error
    page.context.clear_cookies()
    login_as(page, live_server, peer.username, factories.PASSWORD)
    _go(page, f"{live_server.url}/quality/")
    _click(page, "[data-testid=to-do] a")
    page.select_option("select[name=error_type]", str(ErrorType.objects.get(code="wrong-legal-basis").pk))
    page.fill("form:has(input[value=add_error]) textarea[name=comment]", "应引用专利法第26条第4款")
    _click(page, "button:has-text('记录差错')")
    assert "专利法第26条第4款" in page.inner_text("[data-testid=check-errors]")
    page.select_option("select[name=outcome]", "return")
    page.fill("form:has(input[value=complete]) textarea[name=comment]", "请补充法律依据")
    page.screenshot(path=f"{SHOTS}/quality-peer-check.png", full_page=True)
    _click(page, "[data-testid=complete-check]")
    opinion.refresh_from_db()
    assert opinion.state == "returned"

    # 3. the author fixes it and resubmits; 4. the colleague passes it and it is released
    page.context.clear_cookies()
    login_as(page, live_server, author.username, factories.PASSWORD)
    _go(page, f"{live_server.url}{opinion.get_absolute_url()}")
    assert "已被退回修改" in page.inner_text("main")
    page.select_option("select[name=defect_type]", str(DefectType.objects.get(code="formal").pk))
    page.fill("input[name=location]", "权利要求 2")
    page.fill("textarea[name=text]", "不符合专利法第26条第4款的规定")
    _click(page, "button:has-text('添加缺陷条目')")
    page.select_option("select[name=conclusion]", "needs_correction")
    _click(page, "button:has-text('提交意见')")
    page.context.clear_cookies()
    login_as(page, live_server, peer.username, factories.PASSWORD)
    _go(page, f"{live_server.url}/quality/")
    _click(page, "[data-testid=to-do] a")
    page.select_option("select[name=outcome]", "pass")
    _click(page, "[data-testid=complete-check]")
    opinion.refresh_from_db()
    assert opinion.state == "issued"

    # 5. the centre reviewer samples the period and passes the opinion
    page.context.clear_cookies()
    login_as(page, live_server, reviewer.username, factories.PASSWORD)
    _go(page, f"{live_server.url}/quality/")
    today = timezone.localdate().isoformat()
    page.select_option("select[name=level]", "centre")
    page.fill("input[name=period_start]", today)
    page.fill("input[name=period_end]", today)
    page.fill("input[name=share]", "1")
    page.fill("input[name=seed]", "20261128")
    _click(page, "[data-testid=draw-sample]")
    assert "结果一致" in page.inner_text("[data-testid=reproduced]")
    _click(page, "table a")
    page.fill("input[name=score]", "92")
    page.select_option("select[name=outcome]", "pass")
    _click(page, "[data-testid=complete-check]")
    check = QualityCheck.objects.get(level="centre")
    assert check.state == "done" and check.outcome == "pass" and check.score == 92
    assert "通过" in page.inner_text("[data-testid=check-outcome]")
    _go(page, f"{live_server.url}/quality/stats/")
    assert "保护中心质检" in page.inner_text("[data-testid=stats-tables]")
    page.screenshot(path=f"{SHOTS}/quality-stats.png", full_page=True)

    # 6. the author sees the whole history on the case page and their own figures on the work list
    page.context.clear_cookies()
    login_as(page, live_server, author.username, factories.PASSWORD)
    _go(page, f"{live_server.url}{case.get_absolute_url()}")
    panel = page.inner_text("[data-testid=quality-panel]")
    assert panel.count("互检") == 2 and "退回整改" in panel and "保护中心质检" in panel
    _go(page, f"{live_server.url}/quality/")
    assert "33.3%" in page.inner_text("[data-testid=my-quality]")  # 3 checks of their work, 1 with an error
