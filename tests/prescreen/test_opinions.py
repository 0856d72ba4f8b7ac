"""Opinions, release blockers, corrections, conclusion and automatic termination."""
import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.deadlines.models import Deadline
from ipcenter.files.services import attachments_of
from ipcenter.workflow.models import TimelineEvent
from prescreen import hooks, services
from prescreen.models import DefectType, Opinion, PreExamCase
from tests import factories
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db


def deadline(case, kind):
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(PreExamCase), object_id=case.pk,
                                   kind=kind).order_by("-pk").first()


@pytest.fixture
def examining(org, applicant_user, manager_user):
    register(org)
    examiner = factories.examiner(("new-materials",))
    case = services.submit_case(draft(org, applicant_user), applicant_user)
    services.accept_case(case, manager_user)
    case = services.claim_next(examiner)
    return case, examiner


def opinion_with_item(case, examiner):
    opinion = services.start_opinion(case, examiner)
    services.add_defect_item(opinion, examiner, defect_type=DefectType.objects.get(code="unclear-claim"),
                             location="权利要求 2", text="“所述支耳”缺乏引用基础", suggestion="在权利要求1中引入支耳")
    return opinion


def test_full_round_trip_to_qualified(examining, applicant_user):
    case, examiner = examining
    opinion = opinion_with_item(case, examiner)
    services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    case.refresh_from_db()
    assert case.state == PreExamCase.State.NEEDS_CORRECTION and case.correction_rounds == 1
    assert deadline(case, services.CORRECTION).state == Deadline.State.OPEN
    assert Opinion.objects.visible_to(applicant_user).get().state == Opinion.State.ISSUED

    old_claims = next(a for a in attachments_of(case) if a.label == "claims")
    files = {"claims": SimpleUploadedFile("权利要求书（修改）.pdf", builders.pdf_bytes(builders.CLAIMS))}
    case = services.submit_correction(case, applicant_user, files, note="已按意见修改权利要求2")
    assert case.state == PreExamCase.State.EXAMINING
    assert deadline(case, services.CORRECTION).state == Deadline.State.MET
    new_claims = next(a for a in attachments_of(case) if a.label == "claims")
    assert new_claims.version == 2 and new_claims.supersedes_id == old_claims.pk

    second = services.start_opinion(case, examiner)
    assert second.round == 2
    services.submit_opinion(second, examiner, conclusion=Opinion.Conclusion.QUALIFIED)
    case.refresh_from_db()
    assert case.state == PreExamCase.State.QUALIFIED and case.concluded_at
    assert deadline(case, services.TURNAROUND).state == Deadline.State.MET
    assert deadline(case, services.CNIPA_FILING).state == Deadline.State.OPEN


def test_opinion_validation_and_ownership(examining):
    case, examiner = examining
    opinion = services.start_opinion(case, examiner)
    with pytest.raises(ValidationError) as err:
        services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    assert "conclusion" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.UNQUALIFIED)
    assert "reasons" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.start_opinion(case, factories.examiner(("new-materials",)))
    assert Opinion.objects.get(pk=opinion.pk).state == Opinion.State.DRAFT


def test_release_blocker_holds_the_opinion_until_cleared(examining, monkeypatch):
    case, examiner = examining
    monkeypatch.setattr(hooks, "_RELEASE_BLOCKERS", [])
    hold = {"on": True}
    hooks.register_release_blocker(lambda op: "互检尚未完成" if hold["on"] else None)
    opinion = opinion_with_item(case, examiner)
    services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    assert opinion.state == Opinion.State.SUBMITTED
    assert PreExamCase.objects.get(pk=case.pk).state == PreExamCase.State.EXAMINING
    services.return_opinion(opinion, factories.examiner(("new-materials",)), "权利要求2的引用基础说明不准确")
    assert Opinion.objects.get(pk=opinion.pk).state == Opinion.State.RETURNED
    services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    hold["on"] = False
    assert services.try_release(opinion, examiner) is True
    assert PreExamCase.objects.get(pk=case.pk).state == PreExamCase.State.NEEDS_CORRECTION


def test_missed_correction_terminates_the_case_once(examining, applicant_user):
    case, examiner = examining
    services.submit_opinion(opinion_with_item(case, examiner), examiner,
                            conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    clock = deadline(case, services.CORRECTION)
    clock.state, clock.due_at = Deadline.State.OVERDUE, timezone.now() - datetime.timedelta(hours=1)
    clock.save()
    from ipcenter.deadlines.services import sweep

    assert sweep()["expired"] == 1  # the core sweep runs the registered expiry handler
    case.refresh_from_db()
    assert case.state == PreExamCase.State.TERMINATED and "补正期限" in case.termination_reason
    assert TimelineEvent.objects.filter(object_id=case.pk, to_state="terminated").count() == 1
    assert sweep()["expired"] == 0
    with pytest.raises(ValidationError):
        services.submit_correction(case, applicant_user, {"claims": SimpleUploadedFile(
            "x.pdf", builders.pdf_bytes(builders.CLAIMS))})


def test_correction_only_by_the_applicant_side(examining, other_applicant):
    case, examiner = examining
    services.submit_opinion(opinion_with_item(case, examiner), examiner,
                            conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.submit_correction(case, other_applicant, {"claims": SimpleUploadedFile(
            "x.pdf", builders.pdf_bytes(builders.CLAIMS))})


def qualified_case(examining):
    case, examiner = examining
    services.submit_opinion(services.start_opinion(case, examiner), examiner,
                            conclusion=Opinion.Conclusion.QUALIFIED)
    case.refresh_from_db()
    return case


def test_cnipa_number_and_grant_are_recorded(examining, applicant_user):
    from prescreen.validators import make_application_number

    case = qualified_case(examining)
    today = timezone.localdate()
    number = make_application_number(today.year, 1, 123456)
    case = services.record_cnipa_filing(case, applicant_user, application_number=number.replace(".", " . "),
                                        filed_on=today)
    assert case.cnipa_application_number == number
    assert deadline(case, services.CNIPA_FILING).state == Deadline.State.MET
    received = []
    hooks.cnipa_outcome_recorded.connect(lambda sender, case, actor, **kw: received.append(case.pk), weak=False,
                                         dispatch_uid="test-cnipa")
    try:
        case = services.record_cnipa_outcome(case, applicant_user, outcome="grant", outcome_date=today)
    finally:
        hooks.cnipa_outcome_recorded.disconnect(dispatch_uid="test-cnipa")
    assert case.cnipa_outcome == "grant" and received == [case.pk]


@pytest.mark.parametrize("bad,field", [("2024101234567", "application_number"),      # no check digit
                                        ("WRONG-CHECK-DIGIT", "application_number"),
                                        ("abc", "application_number")])
def test_bad_application_numbers_are_field_errors(examining, applicant_user, bad, field):
    from prescreen.validators import make_application_number

    if bad == "WRONG-CHECK-DIGIT":
        good = make_application_number(2024, 1, 123456)
        bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    case = qualified_case(examining)
    with pytest.raises(ValidationError) as err:
        services.record_cnipa_filing(case, applicant_user, application_number=bad, filed_on=timezone.localdate())
    assert field in err.value.message_dict
    assert PreExamCase.objects.get(pk=case.pk).cnipa_application_number == ""


def test_number_of_the_wrong_patent_type_or_future_date_refused(examining, applicant_user):
    from prescreen.validators import make_application_number

    case = qualified_case(examining)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        services.record_cnipa_filing(case, applicant_user, filed_on=today,
                                     application_number=make_application_number(today.year, 2, 1))
    assert "application_number" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.record_cnipa_filing(case, applicant_user, filed_on=today + datetime.timedelta(days=1),
                                     application_number=make_application_number(today.year, 1, 1))
    assert "filed_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.record_cnipa_outcome(case, applicant_user, outcome="rejection", outcome_date=today)
    assert "outcome" in err.value.message_dict
