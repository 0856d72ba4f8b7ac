"""The analyst creates a project, uploads a Chinese-header XLSX export, confirms the mapping,
watches the progress bar, opens the analyses, builds the report and downloads it — in the browser."""
import pytest

from ipcenter.accounts import roles
from navigation import seed
from navigation.models import NavigationProject, NavigationReport
from tests import factories
from tests.e2e.conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_analyst_from_project_to_downloaded_report(live_server, page, tmp_path):
    analyst = factories.staff(roles.NAVIGATION_ANALYST)
    org = factories.OrganizationFactory()
    login_as(page, live_server, analyst.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/navigation/")
    page.click("text=新建导航项目")
    page.fill("input[name=name]", "特种合金专利导航（测试）")
    page.select_option("select[name=project_type]", "industry")
    page.select_option("select[name=client_organization]", str(org.pk))
    page.fill("input[name=topic]", "高温合金")
    page.fill("textarea[name=search_strategy]", "高温合金 AND IPC=C22C")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    project = NavigationProject.objects.get()
    assert project.name in page.inner_text("h1")
    assert page.locator("[data-testid=phase-requirements]").count() == 1

    page.set_input_files("[data-testid=upload-form] input[name=file]", str(seed.DEMO_DIR / "特种合金-PatSnap导出.xlsx"))
    page.fill("[data-testid=upload-form] input[name=cutoff_date]", "2024-12-31")
    page.click("[data-testid=upload]")
    page.wait_for_load_state("networkidle")
    assert "中文数据库导出" in page.inner_text("[data-testid=source]")
    assert page.locator("[data-testid=preview] tbody tr").count() == 10
    page.screenshot(path="/tmp/navigation-mapping.png", full_page=True)
    page.click("[data-testid=confirm-import]")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("[data-testid=import-status]:has-text('已完成')")
    assert "100%" in page.inner_text("[data-testid=import-progress]")
    assert "新增 2500 件" in page.inner_text("[data-testid=import-status]")

    page.goto(live_server.url + project.get_absolute_url())
    page.click("[data-testid=open-analyses]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=overview-count]") == "2500"
    assert page.locator("[data-testid=charts] svg").count() >= 1
    page.click("a.nav-link:has-text('区域分布')")
    page.wait_for_load_state("networkidle")
    assert "内蒙古" in page.inner_text("main")
    page.screenshot(path="/tmp/navigation-analyses.png", full_page=True)

    page.goto(live_server.url + project.get_absolute_url())
    page.click("[data-testid=new-report]")
    page.fill("textarea[name=conclusion_trend]", "申请量持续增长，处于成长期。")
    page.click("[data-testid=build-report]")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("[data-testid=download-pdf]", timeout=60000)
    with page.expect_download() as info:
        page.click("[data-testid=download-pdf]")
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    page.click("[data-testid=deliver]")
    page.wait_for_load_state("networkidle")
    assert NavigationReport.objects.get().delivered
    page.screenshot(path="/tmp/navigation-report.png", full_page=True)


def test_analyst_edits_the_industry_chain_in_the_browser(live_server, page):
    analyst = factories.staff(roles.NAVIGATION_ANALYST)
    from navigation import services

    project = services.create_project(analyst, name="煤化工导航（产业链）", project_type="industry",
                                      internal_client="规划处", topic="煤化工")
    login_as(page, live_server, analyst.username, factories.PASSWORD)
    page.goto(live_server.url + project.get_absolute_url())
    page.click("[data-testid=edit-chain]")
    page.fill("input[name=chain-name]", "煤化工产业链（浏览器）")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=links-0-name]", "中游")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    link = NavigationProject.objects.get(pk=project.pk).chain.links.get()
    page.click(f"[data-testid=edit-nodes-{link.pk}]")
    page.fill("input[name=nodes-0-name]", "煤制烯烃")
    page.fill("input[name=nodes-0-ipc_codes]", "C07C 1, ZZ9")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert "“ZZ9”不是有效的 IPC 分类号前缀" in page.inner_text("#id_nodes-0-ipc_codes_error")
    page.screenshot(path="/tmp/navigation-chain-error.png", full_page=True)
    page.fill("input[name=nodes-0-ipc_codes]", "C07C 1")
    page.fill("input[name=nodes-0-keywords]", "烯烃, 甲醇制烯烃")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert "煤制烯烃" in page.inner_text("main") and "甲醇制烯烃" in page.inner_text("main")
    page.screenshot(path="/tmp/navigation-chain.png", full_page=True)
