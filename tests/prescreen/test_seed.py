"""The pre-exam demo data (``prescreen/seed.py`` via ``manage.py seed_demo``)."""
import io
import statistics

import pytest
from django.core.management import call_command

from ipcenter.accounts.models import User
from prescreen import services
from prescreen.models import Opinion, PreExamCase, Registration
from prescreen.validators import application_number_type, validate_application_number

pytestmark = pytest.mark.django_db

S = PreExamCase.State


def test_seed_demo_gives_the_article_dairy_company_every_state_and_work_for_the_demo_users():
    from prescreen.quality.models import QualityCheck, QualitySettings

    cfg = QualitySettings.load()  # as on a fresh database: every opinion is peer-checked
    cfg.peer_mode = QualitySettings.PeerMode.ALL
    cfg.save()
    out = io.StringIO()
    call_command("seed_demo", volume="full", stdout=out)
    assert "prescreen:" in out.getvalue() and "demo data (full)" in out.getvalue()
    users = {u.username: u for u in User.objects.filter(username__in=["applicant", "agency", "examiner", "manager"])}

    # the article's dairy company (the demo applicant's organisation): 37 cases through the
    # channel to a CNIPA decision, 36 granted, 1 rejected, ~1.5 months acceptance → grant
    dairy = users["applicant"].organization
    assert "乳业" in dairy.name
    decided = PreExamCase.objects.filter(organization=dairy).exclude(cnipa_outcome="")
    assert decided.count() == 37
    assert decided.filter(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT).count() == 36
    assert decided.filter(cnipa_outcome=PreExamCase.CnipaOutcome.REJECTION).count() == 1
    grants = decided.filter(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT)
    days = statistics.mean((c.cnipa_outcome_date - c.accepted_at.date()).days for c in grants)
    assert 40 <= days <= 50

    # every case state exists; the CNIPA numbers are valid and match the patent type
    assert set(PreExamCase.objects.values_list("state", flat=True)) == set(S.values)
    for case in PreExamCase.objects.exclude(cnipa_application_number=""):
        assert validate_application_number(case.cnipa_application_number) == case.cnipa_application_number
        assert application_number_type(case.cnipa_application_number) == case.patent_type
    assert PreExamCase.objects.filter(state=S.QUALIFIED, cnipa_outcome=PreExamCase.CnipaOutcome.GRANT).exists()
    assert PreExamCase.objects.filter(state=S.QUALIFIED, cnipa_outcome=PreExamCase.CnipaOutcome.REJECTION).exists()
    examining = PreExamCase.objects.filter(state=S.EXAMINING, opinions__state=Opinion.State.DRAFT)
    assert examining.exists()
    correction = Opinion.objects.filter(case__state=S.NEEDS_CORRECTION, state=Opinion.State.ISSUED,
                                        conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    assert correction.exists() and all(op.items.exists() for op in correction)
    # the opinions issued through the services passed their 互检 first
    assert QualityCheck.objects.filter(level="peer", state=QualityCheck.State.DONE, outcome=QualityCheck.Outcome.PASS).count() >= 4
    assert not Opinion.objects.filter(state=Opinion.State.SUBMITTED).exists()
    assert not PreExamCase.objects.filter(state=S.ACCEPTED, number=None).exists()

    # the demo users see work: applicant (several states, a draft it may submit), agency,
    # examiner (a queue of its field), manager (everything)
    mine = PreExamCase.objects.visible_to(users["applicant"])
    assert Registration.objects.get(organization=dairy).state == Registration.State.REGISTERED
    assert {S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION, S.QUALIFIED} <= set(
        mine.values_list("state", flat=True))
    assert services.filing_errors(mine.get(state=S.DRAFT)) == {}
    assert PreExamCase.objects.visible_to(users["agency"]).exclude(organization=dairy).exists()
    examiner = users["examiner"]
    assert PreExamCase.objects.visible_to(examiner).queue_for(examiner).count() >= 3
    assert PreExamCase.objects.filter(examiner=examiner, state=S.EXAMINING).exists()
    assert PreExamCase.objects.visible_to(users["manager"]).count() == PreExamCase.objects.exclude(
        state=S.DRAFT).count()
    assert all(case.attachments.count() >= 5 for case in mine)

    # registrations: several leagues; one applying with a failing rule, one returned, one
    # suspended whose note carries the figures that the risk review computes
    registered = Registration.objects.filter(state=Registration.State.REGISTERED)
    assert registered.values("organization__league").distinct().count() >= 8
    applying = Registration.objects.filter(state=Registration.State.APPLYING)
    assert any(not rule["passed"] for reg in applying for rule in reg.eligibility)
    assert Registration.objects.get(state=Registration.State.RETURNED).return_reason
    suspended = Registration.objects.get(state=Registration.State.SUSPENDED)
    failed, total = services.failure_figures(suspended.organization)
    assert f"办结 {total} 件，不合格 {failed} 件" in suspended.risk_note and failed / total > 0.5
    # the nightly risk review finds nothing new to suspend or cancel
    assert services.review_entity_risk() == []

    # a second run adds nothing
    counts = PreExamCase.objects.count(), Registration.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (PreExamCase.objects.count(), Registration.objects.count()) == counts


def _transition_states(case):
    from ipcenter.workflow.models import TimelineEvent

    return list(TimelineEvent.objects.for_object(case).exclude(to_state="").order_by("created_at", "pk")
                .values_list("to_state", flat=True))


def test_small_volume_reaches_every_state_through_the_workflow():
    """What the tests seed: every case state, each reached by the workflow's transitions (the last
    state-change event names the case's state), numbers in order of acceptance, no clock left
    running on a concluded case, nothing in the future."""
    from django.utils import timezone

    from ipcenter.deadlines.services import deadlines_of

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo data (small)" in out.getvalue()
    assert set(PreExamCase.objects.values_list("state", flat=True)) == set(S.values)
    now = timezone.now()
    for case in PreExamCase.objects.all():
        states = _transition_states(case)
        assert (states[-1] if states else S.DRAFT) == case.state, case
        assert case.created_at <= now
    accepted = list(PreExamCase.objects.exclude(accepted_at=None).order_by("accepted_at"))
    for year in {c.accepted_at.year for c in accepted}:
        numbers = [c.number for c in accepted if timezone.localtime(c.accepted_at).year == year]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    concluded = PreExamCase.objects.filter(state__in=[S.UNQUALIFIED, S.REFUSED, S.TERMINATED])
    assert not deadlines_of(concluded, pending=True).exists()
    # the suspension's figures are the ones the risk review computes, the review finds nothing new
    suspended = Registration.objects.get(state=Registration.State.SUSPENDED)
    failed, total = services.failure_figures(suspended.organization)
    assert f"办结 {total} 件，不合格 {failed} 件" in suspended.risk_note
    assert services.review_entity_risk() == []


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.REFUSED, S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION,
                                   S.QUALIFIED, S.UNQUALIFIED, S.TERMINATED])
def test_factories_build_each_state_through_the_services(state):
    from ipcenter.deadlines.services import deadlines_of
    from tests import factories

    case = factories.case_in(state)
    assert case.state == state
    assert (_transition_states(case) or [S.DRAFT])[-1] == state
    assert case.attachments.count() == 5
    pending = set(deadlines_of(case, pending=True).values_list("kind", flat=True))
    expected = {S.ACCEPTED: {services.TURNAROUND}, S.EXAMINING: {services.TURNAROUND},
                S.NEEDS_CORRECTION: {services.TURNAROUND, services.CORRECTION},
                S.QUALIFIED: {services.CNIPA_FILING}}.get(state, set())
    assert pending == expected
    if state not in (S.DRAFT, S.SUBMITTED, S.REFUSED):
        assert case.number and case.number.startswith("YS")
    if state in (S.NEEDS_CORRECTION, S.QUALIFIED, S.UNQUALIFIED):
        opinion = case.opinions.get()
        assert opinion.state == Opinion.State.ISSUED
        assert opinion.items.exists() == (state == S.NEEDS_CORRECTION)


def test_an_opinion_held_for_its_peer_check_is_released_by_a_colleague():
    from prescreen.quality.models import QualitySettings
    from tests import factories

    cfg = QualitySettings.load()
    cfg.peer_mode = QualitySettings.PeerMode.ALL
    cfg.save()
    colleague = factories.examiner(fields=("new-materials",))
    case = factories.case_in(S.QUALIFIED)
    opinion = case.opinions.get()
    check = opinion.quality_checks.get(level="peer")
    assert opinion.state == Opinion.State.ISSUED
    assert check.state == "done" and check.outcome == "pass" and check.reviewer == colleague


def test_a_missed_correction_ends_the_case_through_the_deadline_sweep():
    from prescreen import builders
    from tests import factories

    case = builders.lapse_correction(factories.case_in(S.NEEDS_CORRECTION))
    assert case.state == S.TERMINATED and "补正期限届满" in case.termination_reason
    assert _transition_states(case)[-1] == S.TERMINATED
    with pytest.raises(ValueError):
        builders.lapse_correction(case)  # the case no longer waits for a correction


def test_schedule_runs_steps_in_time_order_each_under_its_clock():
    import datetime

    from django.utils import timezone

    from ipcenter.demo import Schedule

    t0 = timezone.now() - datetime.timedelta(days=30)
    seen = []
    schedule = Schedule(until=timezone.now())

    def step(name):
        seen.append((name, timezone.now()))
        if name == "b":  # a step may schedule a later one
            schedule.at(t0 + datetime.timedelta(days=3), step, "d")

    schedule.at(t0 + datetime.timedelta(days=2), step, "c")
    schedule.at(t0 + datetime.timedelta(days=1), step, "b")
    schedule.at(t0, step, "a")
    assert schedule.run() == 4
    assert [name for name, _ in seen] == ["a", "b", "c", "d"]
    assert all(t0 + datetime.timedelta(days=i) <= at < t0 + datetime.timedelta(days=i, seconds=5)
               for i, (_, at) in enumerate(seen))
    with pytest.raises(ValueError):
        schedule.at(timezone.now() + datetime.timedelta(days=1), step, "future")
