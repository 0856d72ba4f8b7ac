"""Pre-exam data layer: scoping, declared workflows, defaults, hooks."""
import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ipcenter.accounts.models import Organization
from ipcenter.workflow.engine import TransitionNotAllowed, run_transition
from prescreen import hooks
from prescreen.models import DefectType, Opinion, PreExamCase, PrescreenSettings, Registration
from tests import factories

pytestmark = pytest.mark.django_db


def make_case(org, user, field="biology", **kw):
    data = dict(organization=org, filed_by=user, title="一种耐高温乳酸菌及其制备方法",
                technical_field=factories.field(field), applicants=org.name, inventors="张三；李四")
    data.update(kw)
    return PreExamCase.objects.create(**data)


@pytest.fixture
def world():
    org_a, org_b = factories.OrganizationFactory(), factories.OrganizationFactory()
    agency = factories.OrganizationFactory(kind=Organization.Kind.AGENCY)
    users = {
        "a": factories.applicant(org_a), "b": factories.applicant(org_b),
        "agency": factories.agency_user(agency, clients=[org_a]),
        "bio": factories.examiner(("biology",)), "mat": factories.examiner(("new-materials",)),
        "manager": factories.manager(),
    }
    cases = {"a": make_case(org_a, users["a"], state=PreExamCase.State.SUBMITTED),
             "b": make_case(org_b, users["b"], field="new-materials", state=PreExamCase.State.SUBMITTED)}
    return org_a, org_b, users, cases


def test_case_scoping_matrix(world):
    _org_a, _org_b, users, cases = world

    def visible(user):
        return set(PreExamCase.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(users["a"]) == {cases["a"].pk}
    assert visible(users["b"]) == {cases["b"].pk}
    assert visible(users["agency"]) == {cases["a"].pk}        # its client only
    assert visible(users["bio"]) == {cases["a"].pk}           # examiner: own field only
    assert visible(users["mat"]) == {cases["b"].pk}
    assert visible(users["manager"]) == {cases["a"].pk, cases["b"].pk}
    station_staff = factories.staff("station_staff", "baotou")
    assert visible(station_staff) == set()
    unsent = make_case(_org_a, users["a"])  # a draft is private to the organisation that wrote it
    assert unsent.pk in visible(users["a"])
    assert unsent.pk not in visible(users["agency"])  # the company's agency sees it once submitted
    assert unsent.pk not in visible(users["bio"]) and unsent.pk not in visible(users["manager"])
    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True)
    assert unsent.pk not in visible(root) and cases["a"].pk in visible(root)  # superusers too
    for_client = make_case(_org_a, users["agency"])  # the agency's own draft for its client
    for_client.agency_id = users["agency"].organization_id
    for_client.save()
    assert for_client.pk in visible(users["agency"]) and for_client.pk not in visible(users["a"])


def test_applicants_never_see_draft_opinions(world):
    _org_a, _org_b, users, cases = world
    draft = Opinion.objects.create(case=cases["a"], author=users["bio"], round=1)
    assert not Opinion.objects.visible_to(users["a"]).exists()
    assert Opinion.objects.visible_to(users["bio"]).get() == draft
    assert not Opinion.objects.visible_to(users["mat"]).exists()
    draft.state = Opinion.State.ISSUED
    draft.save()
    assert Opinion.objects.visible_to(users["a"]).get() == draft
    assert not Opinion.objects.visible_to(users["b"]).exists()


def test_case_workflow_allowed_and_refused(world):
    org_a, _org_b, users, _cases = world
    case = make_case(org_a, users["a"])  # a draft
    with pytest.raises(TransitionNotAllowed):
        run_transition(case, "submit", users["b"])           # another company
    with pytest.raises(TransitionNotAllowed):
        run_transition(case, "submit", users["agency"])       # not the agency: the company wrote this draft
    run_transition(case, "submit", users["a"])
    with pytest.raises(TransitionNotAllowed):
        run_transition(case, "accept", users["a"])           # applicants do not accept
    with pytest.raises(TransitionNotAllowed):
        run_transition(case, "refuse", users["manager"], "")  # reason required
    run_transition(case, "accept", users["manager"])
    with pytest.raises(TransitionNotAllowed):
        run_transition(case, "submit", users["a"])           # wrong state
    assert case.state == PreExamCase.State.ACCEPTED


def test_registration_workflow_and_one_live_registration(world):
    org_a, _org_b, users, _cases = world
    reg = Registration.objects.create(organization=org_a, established_on=datetime.date(2015, 3, 1),
                                      insured_staff=40, invention_patents=3, contact_name="王经理",
                                      contact_phone="0471-1234567")
    with pytest.raises(TransitionNotAllowed):
        run_transition(reg, "approve", users["a"])
    run_transition(reg, "approve", users["manager"])
    with transaction.atomic(), pytest.raises(IntegrityError):
        Registration.objects.create(organization=org_a, established_on=datetime.date(2015, 3, 1),
                                    insured_staff=40, contact_name="王经理", contact_phone="1")
    run_transition(reg, "cancel", users["manager"], "连续两年不合格率过高")
    # after cancellation a new application row is possible (the 3-year bar is a service rule)
    Registration.objects.create(organization=org_a, established_on=datetime.date(2015, 3, 1),
                                insured_staff=40, contact_name="王经理", contact_phone="1")
    assert set(Registration.objects.visible_to(users["a"]).values_list("organization", flat=True)) == {org_a.pk}
    assert not Registration.objects.visible_to(users["b"]).exists()


def test_examiner_queue_is_own_field_unclaimed_oldest_first(world):
    org_a, _org_b, users, _cases = world
    now = timezone.now()
    old = make_case(org_a, users["a"], state=PreExamCase.State.ACCEPTED, accepted_at=now - datetime.timedelta(days=3))
    new = make_case(org_a, users["a"], state=PreExamCase.State.ACCEPTED, accepted_at=now)
    make_case(org_a, users["a"], state=PreExamCase.State.ACCEPTED, accepted_at=now, examiner=users["bio"])
    make_case(org_a, users["a"], field="new-materials", state=PreExamCase.State.ACCEPTED, accepted_at=now)
    assert list(PreExamCase.objects.queue_for(users["bio"])) == [old, new]


def test_defaults_and_settings():
    assert DefectType.objects.filter(code="unclear-claim").exists()
    cfg = PrescreenSettings.load()
    assert (cfg.turnaround_working_days, cfg.correction_working_days, cfg.cnipa_filing_days) == (7, 5, 10)
    assert "等" in cfg.forbidden_words()
    cfg.risk_cancel_rate, cfg.risk_suspend_rate = 0.4, 0.5
    with pytest.raises(Exception):
        cfg.full_clean()


def test_release_blockers_hook(world, monkeypatch):
    _org_a, _org_b, users, cases = world
    opinion = Opinion.objects.create(case=cases["a"], author=users["bio"], round=1)
    monkeypatch.setattr(hooks, "_RELEASE_BLOCKERS", [])
    assert hooks.release_blockers(opinion) == []
    hooks.register_release_blocker(lambda op: "互检尚未完成" if op.round == 1 else None)
    hooks.register_release_blocker(lambda op: None)
    assert hooks.release_blockers(opinion) == ["互检尚未完成"]
