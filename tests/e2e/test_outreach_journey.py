"""A visitor finds an event on the public site, registers, receives the confirmation with the
code, staff check them in by typing it, attendance shows 1, the certificate's QR verifies."""
import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.utils import timezone

from ipcenter.accounts import roles
from outreach.models import Event, Registration
from tests import factories
from tests.e2e.conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_registers_is_checked_in_and_certificate_verifies(live_server, page, browser, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url
    staff = factories.staff(roles.OUTREACH_STAFF, "centre")
    start = timezone.now() + datetime.timedelta(hours=1)
    event = Event.objects.create(title="专利撰写实务公开课", kind="training", station=factories.station("baotou"),
                                 capacity=30, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                 hours=2, venue="包头市会议中心", published=True, created_by=staff)

    page.goto(f"{live_server.url}/outreach/site/")
    page.screenshot(path="/tmp/outreach-public-home.png", full_page=True)
    page.click("text=专利撰写实务公开课")
    page.click("[data-testid=register-link]")
    page.fill("input[name=name]", "王小明")
    page.fill("input[name=organization_name]", "包头某科技公司")
    page.fill("input[name=mobile]", "13812345678")
    page.fill("input[name=email]", "wxm@example.test")
    label = page.inner_text("label[for=id_answer]")
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", label).groups())
    page.fill("input[name=answer]", str(a + b))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    code = page.inner_text("[data-testid=ticket-code]").strip()
    page.screenshot(path="/tmp/outreach-ticket.png", full_page=True)
    reg = Registration.objects.get(event=event)
    assert code == reg.code
    assert any(code in m.body for m in mail.outbox)

    staff_ctx = browser.new_context(locale="zh-CN")
    staff_page = staff_ctx.new_page()
    login_as(staff_page, live_server, staff.username, factories.PASSWORD)
    staff_page.goto(f"{live_server.url}/outreach/events/{event.pk}/checkin/")
    staff_page.fill("input[name=code]", code.lower())
    staff_page.click("#checkin-form button[type=submit]")
    staff_page.wait_for_selector("[data-testid=checkin-result]:has-text('签到成功')")
    assert staff_page.inner_text("[data-testid=checked-in-count]") == "1"
    staff_page.fill("input[name=code]", code)
    staff_page.click("#checkin-form button[type=submit]")
    staff_page.wait_for_selector("[data-testid=checkin-result]:has-text('已于')")
    staff_page.screenshot(path="/tmp/outreach-checkin.png", full_page=True)
    staff_page.goto(f"{live_server.url}/outreach/events/{event.pk}/")
    assert staff_page.inner_text("[data-testid=attendance-count]") == "1"
    staff_ctx.close()

    # the event has ended: the attendee downloads the certificate, and its QR link verifies
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=3),
                                             ends_at=timezone.now() - datetime.timedelta(hours=1))
    page.reload()
    with page.expect_download() as dl:
        page.click("[data-testid=certificate-link]")
    pdf = tmp_path / "cert.pdf"
    dl.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "王小明" in text and "专利撰写实务公开课" in text.replace("\n", "")
    url = re.search(r"(http[A-Za-z0-9:/._-]+/outreach/site/certificates/\d+/[0-9a-f]+/)", text.replace("\n", "")).group(1)
    page.goto(url)
    assert "核验通过" in page.inner_text("[data-testid=verify-result]")


def test_vendored_decoder_reads_a_ticket_qr_code(page):
    """The check-in page's decoder (static/vendor/jsqr, the very file the page loads) reads the QR
    code printed on a ticket.  The decoding runs on a blank page: the portal's CSP rightly refuses
    ``data:`` images, and the camera frames the check-in page decodes never are images anyway."""
    from django.conf import settings

    from outreach.models import new_code
    from outreach.qr import qr_svg

    page.goto("about:blank")
    page.add_script_tag(path=str(settings.BASE_DIR / "static" / "vendor" / "jsqr" / "jsQR.js"))
    code = new_code()
    decoded = page.evaluate("""(svg) => new Promise((resolve) => {
        setTimeout(() => resolve("timeout: the image never loaded"), 10000);  // never hang the suite
        const img = new Image();
        img.onerror = () => resolve("error: the QR image did not load");
        img.onload = () => {
            // a ticket on a phone screen, framed with a white margin as a camera would see it
            const c = document.createElement("canvas"); c.width = 400; c.height = 400;
            const ctx = c.getContext("2d"); ctx.imageSmoothingEnabled = false;
            ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, 400, 400);
            ctx.drawImage(img, 50, 50, 300, 300);
            const d = ctx.getImageData(0, 0, 400, 400);
            const r = window.jsQR(d.data, 400, 400);
            resolve(r ? r.data : null);
        };
        img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
    })""", qr_svg(code).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))  # standalone image
    assert decoded == code
