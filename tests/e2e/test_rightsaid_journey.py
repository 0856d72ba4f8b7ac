"""Station staff log a consultation, convert it, accept, refer, record feedback and close — in the browser."""
import pytest

from rightsaid.models import AssistanceCase
from tests import factories
from tests.e2e.conftest import login_as
from tests.rightsaid import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_station_staff_consultation_to_closed_case(live_server, page):
    user = f.worker("baotou")
    login_as(page, live_server, user.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/rightsaid/")
    page.screenshot(path="/tmp/rightsaid-index.png", full_page=True)
    page.select_option("select[name=channel]", "12330")
    page.fill("input[name=topic]", "稀土永磁专利被仿冒")
    page.fill("input[name=requester_name]", "王经理")
    page.fill("textarea[name=question]", "竞争对手销售与我司专利相同的磁体。")
    page.fill("textarea[name=answer]", "建议公证购买取证后申请援助。")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "稀土永磁专利被仿冒" in page.inner_text("h1")
    page.select_option("select[name=case_type]", "patent_infringement")
    page.click("[data-testid=convert]")
    page.wait_for_load_state("networkidle")
    case = AssistanceCase.objects.get()
    assert case.number in page.inner_text("h1")
    assert "受理审查" in page.inner_text("body")
    page.click("button:has-text('受理')")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=authority]", "police")
    page.fill("textarea[name=note]", "涉嫌犯罪，移交公安机关。")
    page.click("[data-testid=refer]")
    page.wait_for_load_state("networkidle")
    assert "已移交" in page.inner_text("h1")
    page.fill("textarea[name=feedback]", "已立案侦查。")
    page.click("[data-testid=record-feedback]")
    page.wait_for_load_state("networkidle")
    assert "已立案侦查" in page.inner_text("[data-testid=feedback]")
    page.select_option("form[action$='/close/'] select[name=outcome]", "penalised")
    page.fill("form[action$='/close/'] input[name=amount_recovered]", "80000")
    page.click("[data-testid=close]")
    page.wait_for_load_state("networkidle")
    page.screenshot(path="/tmp/rightsaid-case.png", full_page=True)
    assert "已结案" in page.inner_text("h1")
    case.refresh_from_db()
    assert case.state == "closed" and case.amount_recovered == 80000
    page.goto(f"{live_server.url}/rightsaid/cases/")
    page.screenshot(path="/tmp/rightsaid-cases.png", full_page=True)
    assert case.number in page.inner_text("table")


def test_exhibition_page_flags_repeat_infringer(live_server, page):
    import datetime

    from rightsaid import services
    user = f.worker("baotou")
    early = f.exhibition("baotou", start=datetime.date(2025, 8, 1), name="2025 稀土博览会")
    late = f.exhibition("baotou", start=datetime.date(2026, 8, 1), name="2026 稀土博览会")
    services.file_exhibition_complaint(user, exhibition=early, complainant="某稀土科技", respondent="包头某磁材有限公司",
                                       description="专利侵权")
    login_as(page, live_server, user.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/rightsaid/exhibitions/{late.pk}/")
    page.fill("input[name=complainant]", "某稀土科技")
    page.fill("input[name=respondent]", "包头某磁材公司")
    page.fill("input[name=booth]", "C-21")
    page.fill("textarea[name=description]", "再次展出侵权产品")
    page.click("main form button:has-text('受理投诉')")
    page.wait_for_load_state("networkidle")
    assert "重复侵权" in page.inner_text("[data-testid=repeat-badge]")
    assert "被投诉人答辩" in page.inner_text("body")
    page.goto(f"{live_server.url}/rightsaid/exhibitions/{late.pk}/")
    page.screenshot(path="/tmp/rightsaid-exhibition.png", full_page=True)
    assert page.locator("[data-testid=repeat-badge]").count() == 1
