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
    assert "Dashboard" in page.inner_text("nav")
    page.click("button:has-text('中文')")
    page.wait_for_load_state("networkidle")
    assert "工作台" in page.inner_text("nav")
