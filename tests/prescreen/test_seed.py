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
    call_command("seed_demo", stdout=out)
    assert "prescreen:" in out.getvalue()
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
