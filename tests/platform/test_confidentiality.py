"""Regression tests of the confidentiality and scoping defects found in use: internal quality
work shown to applicants, rights assistance open to every centre user, filing before the
centre reviewed the organisation, the station a mediator without a station may use, other
teams' deadlines in "我的期限", transferred clocks and racing record numbers."""
import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, Station
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import deadlines_of, open_deadline
from ipcenter.notify.models import Notification
from ipcenter.querysets import StationScope
from ipcenter.workflow.models import Audience, TimelineEvent
from ipcenter.workflow.numbering import next_number
from prescreen import services as ps
from prescreen.models import PreExamCase
from prescreen.quality import services as qs
from prescreen.quality.models import QualityCheck, Level
from rightsaid import services as rs
from rightsaid.models import AssistanceCase, Consultation
from tests import factories
from tests.conftest import login
from tests.prescreen.test_filing import draft
from tests.quality.test_quality import examining_case, submitted_opinion

pytestmark = pytest.mark.django_db

INTERNAL_WORDS = ("互检", "质检", "意见退回修改", "实审反馈", "退回整改", "提交预审意见")


# ---- 1. internal quality work never reaches the applicant ---------------------------------

@pytest.fixture
def peer_returned_then_passed(org, applicant_user):
    author = factories.examiner(("new-materials",), first_name="甲")
    peer = factories.examiner(("new-materials",), first_name="乙")
    manager = factories.manager()
    case = examining_case(org, applicant_user, author, manager)
    opinion = submitted_opinion(case, author)
    check = QualityCheck.objects.get(opinion=opinion, level=Level.PEER)
    qs.complete_check(check, peer, outcome=QualityCheck.Outcome.RETURN, comment="权利要求2的引用基础写错了（内部意见）")
    opinion.refresh_from_db()
    opinion = ps.submit_opinion(opinion, author, conclusion="needs_correction")
    check = QualityCheck.objects.filter(opinion=opinion, level=Level.PEER).order_by("-pk").first()
    qs.complete_check(check, peer, outcome=QualityCheck.Outcome.PASS)
    case.refresh_from_db()
    return case, author


def test_the_applicants_case_page_shows_no_internal_quality_work(client, peer_returned_then_passed, applicant_user):
    case, author = peer_returned_then_passed
    assert case.state == PreExamCase.State.NEEDS_CORRECTION
    internal = TimelineEvent.objects.for_object(case).filter(audience=Audience.INTERNAL)
    assert internal.filter(action="quality.check.peer_return").exists()  # it is recorded ...
    login(client, applicant_user)
    page = client.get(case.get_absolute_url()).content.decode()
    for word in INTERNAL_WORDS:
        assert word not in page, word  # ... but the applicant never reads it
    assert "内部意见" not in page
    assert "发出补正通知" in page  # the public progress is there


def test_centre_staff_still_see_the_internal_events(client, peer_returned_then_passed):
    case, author = peer_returned_then_passed
    login(client, author)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "互检：退回整改" in page and "内部意见" in page


def test_no_notification_or_mail_tells_the_applicant_of_internal_checks(peer_returned_then_passed, applicant_user,
                                                                          mailoutbox):
    texts = [f"{n.display_title} {n.display_body}" for n in Notification.objects.filter(recipient=applicant_user)]
    texts += [f"{m.subject} {m.body}" for m in mailoutbox if applicant_user.email in m.to]
    for text in texts:
        for word in ("互检", "质检", "内部意见", "退回修改"):
            assert word not in text, text


def test_every_registered_quality_code_is_internal():
    from ipcenter.workflow.actions import ACTIONS

    quality = [a for code, a in ACTIONS.items() if code.startswith("quality.")]
    assert quality and all(a.audience == Audience.INTERNAL for a in quality)
    assert ACTIONS["prescreen.opinion.returned"].audience == Audience.INTERNAL


def test_event_labels_render_in_the_viewers_language(peer_returned_then_passed):
    from django.utils import translation

    case, _author = peer_returned_then_passed
    event = TimelineEvent.objects.for_object(case).filter(action="prescreen.opinion.submitted").first()
    with translation.override("zh-hans"):
        assert "第 1 轮" in event.display_label
    with translation.override("en"):
        assert "提交" not in event.display_label and "1" in event.display_label


def test_timeline_events_cannot_be_changed_or_deleted(peer_returned_then_passed):
    from django.core.exceptions import PermissionDenied

    case, _author = peer_returned_then_passed
    event = TimelineEvent.objects.for_object(case).first()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        TimelineEvent.objects.for_object(case).delete()
    event.comment = "changed"
    with pytest.raises(PermissionDenied):
        event.save()
    assert event.actor_name or event.actor_id is None


def test_events_of_one_request_share_its_request_id(rf, org):
    from django.http import HttpResponse

    from ipcenter.middleware import RequestIdMiddleware
    from ipcenter.workflow.engine import record_event

    def view(request):
        record_event(org, "accounts.organization.signup", None)
        record_event(org, "accounts.organization.signup", None)
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="req-abc-123"))
    assert response["X-Request-ID"] == "req-abc-123"
    RequestIdMiddleware(view)(rf.get("/"))
    ids = list(TimelineEvent.objects.for_object(org).values_list("request_id", flat=True))
    assert ids[:2] == ["req-abc-123", "req-abc-123"] and ids[2] == ids[3] != "req-abc-123" and ids[2]


def test_an_unregistered_action_code_is_refused(org):
    from ipcenter.workflow.engine import record_event

    with pytest.raises(LookupError):
        record_event(org, "accounts.organization.made_up", None)


# ---- 2. rights assistance belongs to its stations, the case's mediators and managers -------

@pytest.fixture
def rights_records(db):
    worker = factories.staff(roles.STATION_STAFF, "baotou")
    station = Station.objects.get(code="baotou")
    consultation = rs.log_consultation(worker, station=station, channel="12330", topic="专利侵权咨询",
                                       requester_name="张三", requester_contact="13800000000", question="怎么办？")
    return worker, consultation, None


CENTRE_USERS = [roles.EXAMINER, roles.QC_REVIEWER, roles.NAVIGATION_ANALYST, roles.OUTREACH_STAFF]


@pytest.mark.parametrize("role", CENTRE_USERS)
def test_centre_users_of_other_departments_see_no_rights_assistance(client, rights_records, role):
    _worker, consultation, _case = rights_records
    user = factories.staff(role, "centre")
    assert user.station_scope == StationScope.nothing()
    assert not Consultation.objects.visible_to(user).exists()
    assert not AssistanceCase.objects.visible_to(user).exists()
    login(client, user)
    assert client.get(reverse("rightsaid:consultation-detail", args=[consultation.pk])).status_code == 404
    api = client.get("/api/v1/rightsaid/consultations/")
    assert api.status_code in (200, 403)
    if api.status_code == 200:
        assert api.json()["results"] == []
    assert client.get(f"/api/v1/rightsaid/consultations/{consultation.pk}/").status_code in (403, 404)


def test_station_staff_of_the_subtree_and_managers_keep_their_access(rights_records):
    worker, consultation, _case = rights_records
    assert Consultation.objects.visible_to(worker).filter(pk=consultation.pk).exists()
    assert Consultation.objects.visible_to(factories.manager()).filter(pk=consultation.pk).exists()
    centre_staff = factories.staff(roles.STATION_STAFF, "centre")  # the centre's own station staff
    assert Consultation.objects.visible_to(centre_staff).filter(pk=consultation.pk).exists()
    other = factories.staff(roles.STATION_STAFF, "chifeng")
    assert not Consultation.objects.visible_to(other).exists()


def test_deadlines_of_station_records_are_not_shown_to_other_departments(rights_records):
    worker, consultation, _case = rights_records
    clock = open_deadline(consultation, "rightsaid.test", label="测试期限", rule=Deadline.Rule.CALENDAR_DAYS,
                          amount=3, station=consultation.station)
    analyst = factories.staff(roles.NAVIGATION_ANALYST, "centre")
    assert not Deadline.objects.visible_to(analyst).filter(pk=clock.pk).exists()
    assert Deadline.objects.visible_to(worker).filter(pk=clock.pk).exists()


def test_my_deadlines_lists_only_mine_and_names_the_record(client, rights_records):
    worker, consultation, _case = rights_records
    open_deadline(consultation, "rightsaid.test", label="测试期限", rule=Deadline.Rule.CALENDAR_DAYS,
                  amount=3, station=consultation.station)
    analyst = factories.staff(roles.NAVIGATION_ANALYST, "centre")
    login(client, analyst)
    page = client.get(reverse("deadlines:list")).content.decode()
    assert "测试期限" not in page
    login(client, worker)
    page = client.get(reverse("deadlines:list")).content.decode()
    assert "测试期限" in page and str(consultation) in page


# ---- 3. nothing is filed for an organisation the centre never reviewed ---------------------

def test_a_pending_organisation_cannot_apply_draft_or_be_granted(client):
    from django.core.exceptions import ValidationError

    org = factories.OrganizationFactory(status=Organization.Status.PENDING)
    user = factories.applicant(org)
    with pytest.raises(ValidationError) as exc:
        ps.apply_registration(user, technical_fields=[], established_on=datetime.date(2015, 1, 1),
                              insured_staff=10, invention_patents=2, contact_name="王", contact_phone="0471-1234567")
    assert "待审核" in str(exc.value)
    with pytest.raises(ValidationError):
        ps.create_draft(user, organization=org, title="一种乳酸菌", patent_type="invention",
                        technical_field=factories.field("biology"))
    from prescreen.models import Registration

    reg = Registration.objects.create(organization=org, established_on=datetime.date(2015, 3, 1), insured_staff=40,
                                      invention_patents=3, contact_name="王经理", contact_phone="0471-1234567")
    with pytest.raises(ValidationError):
        ps.approve_registration(reg, factories.manager())
    reg.refresh_from_db()
    assert reg.state == Registration.State.APPLYING
    manager = factories.manager()
    login(client, manager)
    page = client.get(reg.get_absolute_url()).content.decode()
    assert "单位审核状态" in page and "待审核" in page


# ---- 15/16. transfers take their clocks; no station is no station ------------------------

def test_a_transferred_consultation_takes_its_clocks_to_the_new_station(rights_records):
    worker, consultation, _case = rights_records
    open_deadline(consultation, "rightsaid.test", label="审查", rule=Deadline.Rule.CALENDAR_DAYS, amount=3,
                  station=consultation.station)
    target = Station.objects.get(code="chifeng")
    rs.transfer_case(consultation, factories.manager(), target, "属地管辖")
    assert set(deadlines_of(consultation).values_list("station__code", flat=True)) == {"chifeng"}
    chifeng_staff = factories.staff(roles.STATION_STAFF, "chifeng")
    assert Deadline.objects.visible_to(chifeng_staff).filter(kind="rightsaid.test").exists()


def test_a_transfer_outside_ones_own_subtree_is_refused(rights_records):
    from django.core.exceptions import PermissionDenied

    _worker, consultation, _case = rights_records
    other = factories.staff(roles.STATION_STAFF, "chifeng")
    with pytest.raises(PermissionDenied):
        rs.transfer_case(consultation, other, Station.objects.get(code="chifeng"))
    consultation.refresh_from_db()
    assert consultation.station.code == "baotou"


def test_a_mediator_without_a_station_opens_nothing_at_any_station(db):
    from django.core.exceptions import ValidationError

    mediator = factories.UserFactory(station=None)
    from ipcenter.accounts.services import assign_roles

    assign_roles(mediator, roles.MEDIATOR)
    assert mediator.station_scope.is_nothing
    with pytest.raises(ValidationError):
        rs.log_consultation(mediator, station=Station.objects.get(code="baotou"), channel="12330", topic="咨询",
                            requester_name="张三", question="？")
    from rightsaid.mediation.services import allowed_stations

    assert set(allowed_stations(mediator).values_list("kind", flat=True)) <= {Station.Kind.MEDIATION}


# ---- 19. numbering is race-free -----------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_gives_distinct_consecutive_numbers():
    results, errors = [], []
    barrier = threading.Barrier(8)

    def take():
        try:
            barrier.wait()
            results.append(next_number("test.race", template="T{year}{seq:05d}", year=2026))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [f"T2026{n:05d}" for n in range(1, 9)]


@pytest.mark.django_db(transaction=True)
def test_the_first_case_numbers_of_a_year_do_not_collide(org):
    from tests.prescreen.test_filing import register

    register(org)
    manager = factories.manager()
    applicant = factories.applicant(org)
    cases = [ps.submit_case(draft(org, applicant, title=f"一种乳酸菌制备方法{i}"), applicant) for i in range(4)]
    errors = []
    barrier = threading.Barrier(len(cases))

    def accept(case):
        try:
            barrier.wait()
            ps.accept_case(case, manager)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = list(PreExamCase.objects.filter(pk__in=[c.pk for c in cases]).values_list("number", flat=True))
    year = timezone.localdate().year
    assert sorted(numbers) == [f"YS{year}{n:05d}" for n in range(1, 5)]
