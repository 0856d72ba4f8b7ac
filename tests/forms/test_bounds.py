"""Absurd dates, durations, amounts and counts are refused with Chinese field errors in the
HTML forms and the API, and nothing is saved (``ipcenter.validators``)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ipcenter import validators as v
from ipcenter.accounts import roles
from prescreen.models import Registration
from rightsaid.mediation.models import Dispute, MediationSession
from rightsaid.models import AssistanceCase, Consultation, Exhibition
from tests import factories
from tests.conftest import login
from tests.rightsaid import factories as f
from tests.rightsaid.test_mediation import in_mediation

pytestmark = pytest.mark.django_db

CONSULTATION = {"channel": "12330", "topic": "专利侵权如何取证", "ip_type": "patent", "requester_name": "张三",
                "question": "有企业仿冒我司专利产品。", "answer": "建议公证取证。"}


def errors_of(resp):
    return resp.context["form"].errors


@pytest.mark.parametrize("minutes", ["99999999999", "1441", "0"])
def test_an_absurd_consultation_duration_is_a_field_error_in_form_and_api(client, minutes):
    worker = f.worker("hohhot")
    login(client, worker)
    r = client.post(reverse("rightsaid:consultation-create"),
                    dict(CONSULTATION, duration_minutes=minutes, station=worker.station_id))
    assert r.status_code == 400 and "duration_minutes" in errors_of(r)
    r = client.post("/api/v1/rightsaid/consultations/", dict(CONSULTATION, duration_minutes=int(minutes),
                                                           station=worker.station_id), content_type="application/json")
    assert r.status_code == 400 and "duration_minutes" in r.json()
    assert not Consultation.objects.exists()


def test_a_day_long_consultation_is_still_fine(client):
    worker = f.worker("hohhot")
    login(client, worker)
    r = client.post(reverse("rightsaid:consultation-create"),
                    dict(CONSULTATION, duration_minutes="1440", station=worker.station_id))
    assert r.status_code == 302 and Consultation.objects.get().duration_minutes == 1440


def test_an_exhibition_from_1900_to_9999_is_refused_in_form_and_api(client):
    worker = f.worker("hohhot")
    login(client, worker)
    data = {"name": "展会", "venue": "会展中心", "start_date": "1900-01-01", "end_date": "9999-12-31",
            "station": worker.station_id}
    r = client.post(reverse("rightsaid:exhibition-create"), data)
    errors = errors_of(r)
    assert r.status_code == 400 and "不能早于 2000-01-01" in errors["start_date"][0]
    assert "不能晚于" in errors["end_date"][0]
    page = r.content.decode()
    assert 'id="id_start_date_error"' in page and 'min="2000-01-01"' in page  # under the field, and the browser knows
    r = client.post("/api/v1/rightsaid/exhibitions/", data, content_type="application/json")
    assert r.status_code == 400 and {"start_date", "end_date"} <= set(r.json())
    assert "不能早于 2000-01-01" in r.json()["start_date"][0]
    assert not Exhibition.objects.exists()


def test_an_exhibition_longer_than_60_days_or_ending_before_it_starts_is_refused(client):
    worker = f.worker("hohhot")
    login(client, worker)
    base = {"name": "展会", "venue": "会展中心", "station": worker.station_id}
    for start, end, message in [("2026-05-01", "2026-08-01", "不能超过 60 天"),
                                ("2026-05-10", "2026-05-09", "结束日期不能早于开始日期")]:
        data = dict(base, start_date=start, end_date=end)
        r = client.post(reverse("rightsaid:exhibition-create"), data)
        assert r.status_code == 400 and message in errors_of(r)["end_date"][0]
        r = client.post("/api/v1/rightsaid/exhibitions/", data, content_type="application/json")
        assert r.status_code == 400 and message in r.json()["end_date"][0]
    assert not Exhibition.objects.exists()
    r = client.post(reverse("rightsaid:exhibition-create"), dict(base, start_date="2026-05-01", end_date="2026-06-29"))
    assert r.status_code == 302  # 60 days including both ends


def test_an_absurd_claimed_amount_is_refused(client):
    worker = f.worker("hohhot")
    login(client, worker)
    data = {"kind": "assistance", "case_type": "patent_infringement", "channel": "walk_in", "title": "侵权",
            "description": "说明", "respondent": "某公司", "requester_name": "李四", "station": worker.station_id,
            "amount_claimed": "99999999999"}
    r = client.post(reverse("rightsaid:case-create"), data)
    assert r.status_code == 400 and "不能大于" in errors_of(r)["amount_claimed"][0]
    r = client.post("/api/v1/rightsaid/cases/", data, content_type="application/json")
    assert r.status_code == 400 and "amount_claimed" in r.json()
    assert not AssistanceCase.objects.exists()


def test_mediation_amount_and_dates_are_bounded(client):
    mediator = factories.staff(roles.MEDIATOR, "mediation")
    login(client, mediator)
    r = client.post(reverse("mediation:create"), {
        "subject": "纠纷", "ip_type": "trademark", "station": mediator.station_id, "amount": "99999999999",
        "applicant_name": "甲", "respondent_name": "乙"})
    assert r.status_code == 400 and "amount" in errors_of(r)
    assert not Dispute.objects.exists()
    dispute = in_mediation(mediator)
    api = f"/api/v1/rightsaid/mediation/disputes/{dispute.pk}/"
    r = client.post(api + "sessions/", {"held_on": "9999-12-31", "mode": "onsite", "attendees": "双方",
                                        "notes": "记录"}, content_type="application/json")
    assert r.status_code == 400 and "不能晚于今天" in r.json()["held_on"][0]
    r = client.post(api + "extend/", {"new_due_date": "9999-12-31", "reason": "复杂"}, content_type="application/json")
    assert r.status_code == 400 and "new_due_date" in r.json()
    assert not MediationSession.objects.filter(dispute=dispute).exists()
    dispute.refresh_from_db()
    assert dispute.due_date < datetime.date(2100, 1, 1)


def test_registration_counts_and_founding_date_are_bounded(client, org, applicant_user):
    login(client, applicant_user)
    data = {"technical_fields": [factories.field("new-materials").pk], "registered_in_region": "on",
            "established_on": "1800-01-01", "insured_staff": "99999999999", "invention_patents": "3",
            "utility_design_patents": "1", "contact_name": "王经理", "contact_phone": "0471-6543210"}
    r = client.post(reverse("prescreen:registration-create"), data)
    errors = errors_of(r)
    assert r.status_code == 400 and "成立日期不能早于 1900-01-01" in errors["established_on"][0]
    assert "insured_staff" in errors
    r = client.post("/api/v1/prescreen/registrations/", dict(data, technical_fields=data["technical_fields"],
                                                           registered_in_region=True),
                    content_type="application/json")
    assert r.status_code == 400 and {"established_on", "insured_staff"} <= set(r.json())
    assert not Registration.objects.exists()


def test_validators_state_their_limits():
    today = timezone.localdate()
    v.event_date(today.replace(year=today.year + 9))
    with pytest.raises(Exception):
        v.event_date(today.replace(year=today.year + 11))
    with pytest.raises(Exception):
        v.past_date(today + datetime.timedelta(days=1))
    v.minutes_in_a_day(1440)
    with pytest.raises(Exception):
        v.minutes_in_a_day(1441)
    span = v.Span("a", "b", max_days=60)
    assert span.errors(datetime.date(2026, 1, 1), datetime.date(2026, 3, 1)) == {}
    assert "b" in span.errors(datetime.date(2026, 1, 1), datetime.date(2026, 3, 2))
