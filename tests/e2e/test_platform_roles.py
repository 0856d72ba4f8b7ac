"""Every demo role logs in through the browser and lands on its home page, in Chinese."""
import pytest
from django.core.management import call_command

from ipcenter.accounts import roles
from ipcenter.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_each_demo_role_sees_its_home_page(live_server, page, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for username, display, role_codes, _station, _org in DEMO_USERS:
        login_as(page, live_server, username, DEMO_PASSWORD)
        assert page.url.rstrip("/") == live_server.url, f"{username} not redirected home: {page.url}"
        body = page.inner_text("body")
        assert f"您好，{display}" in body
        assert str(roles.ROLE_LABELS[role_codes[0]]) in page.inner_text("[data-testid=role]")
        assert "临近与逾期期限" in body
        # The page is rendered with a CJK font: no fallback "tofu" boxes are possible
        # if the declared family resolves; check the computed font stack.
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "Noto Sans CJK SC" in family
        page.screenshot(path=str(tmp_path / f"home-{username}.png"))
        page.click("text=" + display)
        page.click("button:has-text('退出登录')")
        page.wait_for_url("**/accounts/login/")


def test_wrong_password_shows_a_chinese_error(live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    login_as(page, live_server, "manager", "wrong-password")
    assert "用户名或密码不正确" in page.inner_text("body")


def test_language_switch_to_english_and_back(live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    login_as(page, live_server, "manager", DEMO_PASSWORD)
    page.click("button:has-text('English')")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Home" in page.inner_text("nav") and "Pre-exam" in page.inner_text("nav")
    page.click("button:has-text('中文')")
    page.wait_for_load_state("networkidle")
    assert "工作台" in page.inner_text("nav")


def test_core_pages_render_for_screenshots(live_server, browser, tmp_path):
    """Login, homes, statistics and a finished report job render; with SCREENSHOT_DIR set the
    screenshots go there (used for docs/screenshots/)."""
    import os
    from pathlib import Path

    from ipcenter.accounts.models import User
    from ipcenter.reports.services import request_report

    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.screenshot(path=str(out / "login.png"))
        for username in ("applicant", "examiner", "manager"):
            if not User.objects.filter(username=username).exists():
                continue
            login_as(page, live_server, username, DEMO_PASSWORD)
            page.screenshot(path=str(out / f"home-{username}.png"))
            if username != "manager":
                page.context.clear_cookies()
        page.goto(f"{live_server.url}/stats/")
        assert page.locator("svg").count() >= 1
        page.screenshot(path=str(out / "stats-dashboard.png"))
        job = request_report("stats.overview.pdf", User.objects.get(username="manager"), {})
        job.refresh_from_db()
        page.goto(f"{live_server.url}/reports/jobs/{job.pk}/")
        body = page.inner_text("main")
        assert "100" in body or "下载" in body
        page.screenshot(path=str(out / "report-job.png"))
    finally:
        context.close()
