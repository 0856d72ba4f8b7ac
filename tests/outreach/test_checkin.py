"""Check-in: the QR code round-trip, forged and other-event codes, duplicate scans, the page."""
import datetime
import io
import re

import pytest
import segno
from django.utils import timezone

from outreach import services
from outreach.models import Registration
from outreach.qr import qr_svg
from tests.conftest import login
from tests.outreach.conftest import person

pytestmark = pytest.mark.django_db


def test_qr_code_encodes_the_code_and_checks_in_the_right_registration(make_event, outreach_user):
    event = make_event()
    a = services.register(event, **person(1))
    b = services.register(event, **person(2))
    svg = qr_svg(b.code)
    assert svg.startswith("<svg")
    # the QR holds exactly the code (segno re-encodes it identically), as a full QR code: a Micro QR
    # (what segno picks for a 12-character text) is read by no phone camera and not by jsQR
    assert segno.make_qr(b.code, error="m").svg_inline(scale=6, border=4) == svg
    assert not segno.make_qr(b.code, error="m").is_micro
    result = services.check_in(event, b.code.lower(), outreach_user)
    assert result.status == "checked_in" and result.registration == b
    a.refresh_from_db()
    assert a.checked_in_at is None


def test_forged_and_other_event_codes_refused(make_event, outreach_user):
    event, other = make_event(), make_event(title="另一场")
    reg = services.register(other, **person(1))
    assert services.check_in(event, reg.code, outreach_user).status == "not_registered"
    assert services.check_in(event, "ABCDEFGHJKLM", outreach_user).status == "not_registered"
    assert services.check_in(event, "'; drop table --", outreach_user).status == "not_registered"
    reg.refresh_from_db()
    assert reg.checked_in_at is None


def test_duplicate_scan_reports_the_first_time(make_event, outreach_user):
    event = make_event()
    reg = services.register(event, **person(1))
    first = services.check_in(event, reg.code, outreach_user)
    second = services.check_in(event, reg.code, outreach_user)
    assert second.status == "already" and second.at == first.at
    assert timezone.localtime(first.at).strftime("%H:%M") in second.message


def test_cancelled_and_waiting_codes(make_event, outreach_user):
    event = make_event(capacity=1)
    a = services.register(event, **person(1))
    b = services.register(event, **person(2))
    c = services.register(event, **person(3))
    services.cancel_registration(a)  # b promoted
    assert services.check_in(event, a.code, outreach_user).status == "cancelled"
    assert services.check_in(event, c.code, outreach_user).status == "not_confirmed"
    assert services.check_in(event, b.code, outreach_user).status == "checked_in"


def test_checkin_page_typed_code_and_json(client, make_event, outreach_user):
    event = make_event()
    reg = services.register(event, **person(1))
    login(client, outreach_user)
    url = f"/outreach/events/{event.pk}/checkin/"
    assert client.get(url).status_code == 200
    r = client.post(url, {"code": reg.code})
    assert "签到成功" in r.content.decode()
    r = client.post(url, {"code": reg.code}, HTTP_ACCEPT="application/json")
    data = r.json()
    assert data["status"] == "already" and data["checked_in"] == 1 and "已于" in data["message"]
    detail = client.get(f"/outreach/events/{event.pk}/").content.decode()
    assert re.search(r'data-testid="attendance-count">1<', detail)


def test_xlsx_export_lists_registrations_and_attendance(client, make_event, outreach_user):
    from openpyxl import load_workbook

    event = make_event()
    reg = services.register(event, **person(1))
    services.register(event, **person(2))
    services.check_in(event, reg.code, outreach_user)
    login(client, outreach_user)
    r = client.get(f"/outreach/events/{event.pk}/export/")
    wb = load_workbook(io.BytesIO(r.content))
    regs, att = wb.worksheets
    assert regs.max_row == 3 and att.max_row == 2
    assert att.cell(2, 1).value == "参会人1"


def test_other_subtree_station_staff_get_404(client, make_event, ordos_staff, baotou_staff):
    event = make_event(station="baotou")
    reg = services.register(event, **person(1))
    login(client, ordos_staff)
    for url in (f"/outreach/events/{event.pk}/", f"/outreach/events/{event.pk}/edit/",
                f"/outreach/events/{event.pk}/checkin/", f"/outreach/events/{event.pk}/export/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/outreach/events/{event.pk}/checkin/", {"code": reg.code}).status_code == 404
    assert client.post(f"/outreach/registrations/{reg.pk}/cancel/").status_code == 404
    assert client.get(f"/api/v1/outreach/events/{event.pk}/").status_code == 404
    assert client.post(f"/api/v1/outreach/events/{event.pk}/check-in/", {"code": reg.code}).status_code == 404
    reg.refresh_from_db()
    assert reg.checked_in_at is None and reg.state == Registration.State.CONFIRMED
    assert event.title not in client.get("/outreach/events/").content.decode()
    login(client, baotou_staff)
    assert client.get(f"/outreach/events/{event.pk}/").status_code == 200
    assert event.title in client.get("/outreach/events/").content.decode()


def test_station_staff_cannot_create_event_at_other_station(client, ordos_staff):
    from tests import factories

    login(client, ordos_staff)
    start = timezone.localtime() + datetime.timedelta(days=3)
    r = client.post("/outreach/events/new/", {
        "title": "越权活动", "kind": "training", "station": factories.station("baotou").pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "hours": "2", "capacity": "30", "audience": "public"})
    assert r.status_code == 400
    from outreach.models import Event
    assert not Event.objects.filter(title="越权活动").exists()


def test_api_check_in_and_scoped_list(client, make_event, outreach_user):
    event = make_event()
    reg = services.register(event, **person(1))
    login(client, outreach_user)
    r = client.post(f"/api/v1/outreach/events/{event.pk}/check-in/", {"code": reg.code})
    assert r.status_code == 200 and r.json()["status"] == "checked_in"
    r = client.get("/api/v1/outreach/events/?kind=training")
    assert r.status_code == 200
    assert [e["id"] for e in r.json()["results"]] == [event.pk]


def test_api_registrations_scoped_and_walk_in_field_errors(client, make_event, ordos_staff, baotou_staff):
    event = make_event(station="baotou", start_in=datetime.timedelta(hours=-1))
    reg = services.register(event, source=Registration.Source.WALK_IN, actor=baotou_staff, **person(1))
    login(client, ordos_staff)
    assert client.get("/api/v1/outreach/registrations/").json()["results"] == []
    assert client.get(f"/api/v1/outreach/registrations/{reg.pk}/").status_code == 404
    assert client.post(f"/api/v1/outreach/registrations/{reg.pk}/cancel/").status_code == 404
    login(client, baotou_staff)
    r = client.post(f"/api/v1/outreach/events/{event.pk}/walk-ins/", {"name": "李四", "mobile": "12345", "email": "bad"})
    assert r.status_code == 400 and {"mobile", "email"} <= set(r.json())
    assert event.registrations.count() == 1
    r = client.post(f"/api/v1/outreach/events/{event.pk}/walk-ins/", {"name": "李四", "mobile": "13712345678"})
    assert r.status_code == 201 and r.json()["checked_in_at"]
