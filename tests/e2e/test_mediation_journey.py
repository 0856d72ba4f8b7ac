"""People's mediation in the browser: a mediator logs a dispute, records both consents, is
assigned, logs a session, reaches an agreement and downloads the PDF; the QR link verifies it."""
import os
import subprocess

import pytest

from ipcenter.accounts import roles
from rightsaid.mediation.models import Dispute
from tests import factories
from tests.e2e.conftest import login_as
from tests.rightsaid.test_mediation import MINIMAL_PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


def _click(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


def test_mediator_dispute_to_agreement_pdf(live_server, page, tmp_path):
    mediator = factories.staff(roles.MEDIATOR, "mediation", display_name="陈调解")
    consent = tmp_path / "同意调解书.pdf"
    consent.write_bytes(MINIMAL_PDF)
    login_as(page, live_server, mediator.username, factories.PASSWORD)

    page.goto(f"{live_server.url}/rightsaid/mediation/new/")
    page.fill("input[name=subject]", "“草原牧歌”商标使用纠纷")
    page.select_option("select[name=ip_type]", "trademark")
    page.fill("input[name=applicant_name]", "锡林郭勒草原牧歌肉业有限公司")
    page.fill("input[name=respondent_name]", "锡林浩特市某餐饮店")
    _click(page, "main form button[type=submit]")
    dispute = Dispute.objects.get()
    assert dispute.number in page.inner_text("h1")

    for _ in range(2):  # both parties' consents, each with the signed form
        page.set_input_files("input[name=consent-document]", str(consent))
        _click(page, "[data-testid=submit-consent]")
    assert page.inner_text("[data-testid=parties]").count("已同意") == 2

    page.select_option("select[name=assign-mediator]", str(mediator.pk))
    page.check("input[name=assign-confirmed]")
    _click(page, "[data-testid=submit-assign]")
    _click(page, "[data-testid=do-start]")
    assert "调解中" in page.inner_text("h1")

    page.select_option("select[name=session-mode]", "online")
    page.fill("input[name=session-place]", "线上调解室")
    page.fill("input[name=session-attendees]", "双方代表")
    page.fill("textarea[name=session-notes]", "双方同意停止使用并赔偿。")
    _click(page, "[data-testid=submit-session]")
    assert "双方同意停止使用并赔偿" in page.inner_text("[data-testid=sessions]")

    page.fill("textarea[name=agreement-terms]", "一、被申请人停止使用“草原牧歌”标识。\n二、被申请人赔偿申请人人民币一万元。")
    _click(page, "[data-testid=submit-agreement]")
    assert "达成调解协议" in page.inner_text("h1")
    page.screenshot(path=f"{SHOTS}/mediation-agreement.png", full_page=True)
    with page.expect_download() as dl:
        page.click("[data-testid=agreement-pdf]")
    assert dl.value.suggested_filename.endswith(".pdf")
    text = subprocess.run(["pdftotext", dl.value.path(), "-"], capture_output=True, check=True).stdout.decode()
    assert "锡林郭勒草原牧歌肉业有限公司" in text and "锡林浩特市某餐饮店" in text and "陈调解" in text

    page.context.clear_cookies()  # the verification page is public
    page.goto(f"{live_server.url}{dispute.agreement.get_verification_path()}")
    assert "核验通过" in page.inner_text("[data-testid=verify-result]")
    assert "锡林浩特市某餐饮店" not in page.content()
    page.screenshot(path=f"{SHOTS}/mediation-verify.png", full_page=True)
