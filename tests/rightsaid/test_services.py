"""Workflow rules of rights assistance: transitions, clocks, conversion, repeat infringers."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipcenter.accounts import roles
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import pending_deadlines
from ipcenter.workflow.engine import TransitionNotAllowed
from rightsaid import services
from rightsaid.models import AssistanceCase, ExhibitionComplaint, Referral
from tests import factories
from tests.factories import station

from . import factories as f

pytestmark = pytest.mark.django_db


def _deadlines(obj, kind):
    return {d.state for d in Deadline.objects.filter(object_id=obj.pk, kind=kind)}


def test_review_clock_opened_at_intake_and_closed_at_accept():
    u = f.worker()
    c = f.case(u)
    d = pending_deadlines(c).get(kind=services.REVIEW)
    assert d.rule == Deadline.Rule.WORKING_DAYS and d.amount == 5
    services.accept_case(c, u)
    c.refresh_from_db()
    assert c.state == AssistanceCase.State.ACCEPTED
    assert _deadlines(c, services.REVIEW) == {Deadline.State.MET}


def test_decline_needs_reason_and_closes_review_clock():
    u = f.worker()
    c = f.case(u)
    with pytest.raises(ValidationError):
        services.decline_case(c, u, "")
    services.decline_case(c, u, "不属于知识产权纠纷")
    c.refresh_from_db()
    assert c.state == "declined" and c.decline_reason == "不属于知识产权纠纷"
    assert _deadlines(c, services.REVIEW) == {Deadline.State.MET}
    with pytest.raises(TransitionNotAllowed):
        services.accept_case(c, u)


def test_full_journey_with_referral_feedback_clock():
    u = f.worker()
    c = f.case(u)
    services.start_review(c, u)
    services.accept_case(c, u)
    services.start_handling(c, u)
    ref = services.refer_case(c, u, authority=Referral.Authority.POLICE, note="涉嫌犯罪")
    c.refresh_from_db()
    assert c.state == "referred"
    d = Deadline.objects.get(object_id=ref.pk, kind=services.REFERRAL_FEEDBACK)
    assert d.rule == Deadline.Rule.CALENDAR_DAYS and d.amount == 90 and d.state == Deadline.State.OPEN
    services.record_feedback(ref, u, "已立案侦查")
    d.refresh_from_db()
    c.refresh_from_db()
    assert d.state == Deadline.State.MET and c.state == "handling"
    with pytest.raises(ValidationError):
        services.record_feedback(ref, u, "再次反馈")
    services.close_case(c, u, outcome="resolved", amount_recovered=50000)
    c.refresh_from_db()
    assert c.state == "closed" and c.closed_at and c.amount_recovered == 50000


@pytest.mark.parametrize("action", ["start_handling", "close", "refer"])
def test_refused_transitions_from_intake(action):
    u = f.worker()
    c = f.case(u)
    with pytest.raises(TransitionNotAllowed):
        if action == "start_handling":
            services.start_handling(c, u)
        elif action == "close":
            services.close_case(c, u, outcome="resolved")
        else:
            services.refer_case(c, u, authority="court")
    c.refresh_from_db()
    assert c.state == "intake" and not c.referrals.exists()


def test_company_user_cannot_accept_own_case():
    app = factories.applicant()
    c = services.open_case(app, station=station("hohhot"), kind="assistance", case_type="trademark_infringement",
                           title="商标被仿冒", description="网店销售仿冒商品")
    assert c.requester_org_id == app.organization_id and c.requester_user == app and c.channel == "online"
    with pytest.raises(TransitionNotAllowed):
        services.accept_case(c, app)
    c.refresh_from_db()
    assert c.state == "intake"


def test_consultation_converts_once():
    u = f.worker()
    cons = f.consultation(u)
    case = services.convert_consultation(cons, u, case_type="counterfeit_patent")
    cons.refresh_from_db()
    assert cons.converted_case == case and case.title == cons.topic and case.case_type == "counterfeit_patent"
    assert case.station == cons.station and pending_deadlines(case).filter(kind=services.REVIEW).exists()
    with pytest.raises(ValidationError):
        services.convert_consultation(cons, u)
    assert AssistanceCase.objects.count() == 1


def test_applicant_cannot_log_consultation():
    with pytest.raises(PermissionDenied):
        f.consultation(factories.applicant(), station=station("hohhot"))


def test_overseas_case_needs_country_and_overseas_station():
    u = f.worker()
    with pytest.raises(ValidationError) as e:
        f.case(u, kind="overseas")
    assert "country" in e.value.message_dict and "overseas_station" in e.value.message_dict
    c = f.case(u, kind="overseas", country="蒙古国", overseas_station=station("overseas-mongolia"))
    assert c.number.startswith("HW")


def test_complaint_has_its_own_clock():
    u = f.worker()
    c = f.case(u, kind="complaint")
    d = pending_deadlines(c).get(kind=services.COMPLAINT_CLOCK)
    assert d.amount == 15


def test_exhibition_answer_clock_24_hours_closed_by_answer():
    u = f.worker()
    ex = f.exhibition()
    c = services.file_exhibition_complaint(u, exhibition=ex, complainant="伊利集团", respondent="某乳业有限公司",
                                           booth="A-12", description="展品外观与我司专利相同")
    d = Deadline.objects.get(object_id=c.pk, kind=services.EXHIBITION_ANSWER)
    assert d.rule == Deadline.Rule.HOURS and d.amount == 24
    assert (d.due_at - d.starts_at) == datetime.timedelta(hours=24)
    services.record_answer(c, u, "我方产品系自主研发")
    d.refresh_from_db()
    assert d.state == Deadline.State.MET
    services.decide_complaint(c, u, "withdrawn")
    c.refresh_from_db()
    assert c.state == "decided" and c.outcome == "withdrawn"


def test_repeat_infringer_flag_across_exhibitions():
    u = f.worker()
    early = f.exhibition(start=datetime.date(2025, 9, 1), name="2025 农博会")
    late = f.exhibition(start=datetime.date(2026, 6, 1), name="2026 农博会")
    first = services.file_exhibition_complaint(u, exhibition=early, complainant="甲", respondent="某乳业有限公司",
                                               description="x")
    again = services.file_exhibition_complaint(u, exhibition=late, complainant="乙", respondent=" 某乳业 公司",
                                               description="y")
    other = services.file_exhibition_complaint(u, exhibition=late, complainant="乙", respondent="另一家公司",
                                               description="z")
    assert not first.repeat_infringer and again.repeat_infringer and not other.repeat_infringer


def test_transfer_between_stations_recorded():
    u = f.worker("centre", role=roles.MANAGER)
    c = f.case(u, code="hohhot-etdz")
    services.transfer_case(c, u, station("baotou-steel"), "属地管辖")
    c.refresh_from_db()
    assert c.station.code == "baotou-steel"
    from ipcenter.workflow.models import TimelineEvent
    assert TimelineEvent.objects.for_object(c).filter(action="rightsaid.assistancecase.transfer").exists()


def test_close_requires_valid_outcome_and_non_negative_amounts():
    u = f.worker()
    c = f.case(u)
    services.accept_case(c, u)
    with pytest.raises(ValidationError):
        services.close_case(c, u, outcome="bogus")
    with pytest.raises(ValidationError):
        services.close_case(c, u, outcome="resolved", amount_recovered=-1)
    c.refresh_from_db()
    assert c.state == "accepted"


def test_workstation_cannot_open_records_at_another_station():
    u = f.worker("hohhot-etdz")
    with pytest.raises(ValidationError) as e:
        f.case(u, code="baotou-steel")
    assert "station" in e.value.message_dict
    with pytest.raises(ValidationError):
        f.consultation(u, station=station("hohhot"))
    assert not AssistanceCase.objects.exists()


@pytest.mark.django_db
def test_exhibition_only_at_own_station_subtree_html_and_api(client):
    import datetime

    from rest_framework.test import APIClient

    from ipcenter.accounts.models import Station
    from ipcenter.accounts import roles
    from rightsaid import services
    from rightsaid.models import Exhibition
    from tests import factories

    worker = factories.staff(roles.STATION_STAFF, "baotou")
    other = Station.objects.get(code="ordos")
    own = Station.objects.get(code="baotou")
    fields = {"name": "稀土博览会", "venue": "包头国际会展中心",
              "start_date": datetime.date(2026, 8, 1), "end_date": datetime.date(2026, 8, 3)}
    with pytest.raises(ValidationError):
        services.create_exhibition(worker, station=other, **fields)
    api = APIClient()
    api.force_authenticate(worker)
    resp = api.post("/api/v1/rightsaid/exhibitions/", {**fields, "station": other.pk}, format="json")
    assert resp.status_code == 400
    assert not Exhibition.objects.exists()
    resp = api.post("/api/v1/rightsaid/exhibitions/", {**fields, "station": own.pk}, format="json")
    assert resp.status_code == 201, resp.content
    assert Exhibition.objects.get().station == own
