"""Acceptance, the examiner queue and race-safe claiming."""
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from ipcenter.deadlines.models import Deadline
from ipcenter.workflow.engine import TransitionNotAllowed
from ipcenter.workflow.models import TimelineEvent
from prescreen import services
from prescreen.models import PreExamCase
from tests import factories


def submitted_case(org, user, field="biology"):
    return PreExamCase.objects.create(
        organization=org, filed_by=user, title="一种乳酸菌发酵乳及其制备方法", technical_field=factories.field(field),
        applicants=org.name, inventors="张三", state=PreExamCase.State.SUBMITTED, submitted_at=timezone.now())


@pytest.mark.django_db
def test_accept_numbers_the_case_and_starts_the_turnaround_clock(org, applicant_user, manager_user):
    case = services.accept_case(submitted_case(org, applicant_user), manager_user)
    assert case.state == PreExamCase.State.ACCEPTED and case.number.startswith("YS")
    clock = Deadline.objects.get(object_id=case.pk, kind=services.TURNAROUND)
    assert clock.state == Deadline.State.OPEN
    with pytest.raises(TransitionNotAllowed):
        services.refuse_case(case, manager_user, "重复")


@pytest.mark.django_db
def test_refuse_needs_a_reason_and_staff(org, applicant_user, manager_user):
    case = submitted_case(org, applicant_user)
    with pytest.raises(TransitionNotAllowed):
        services.refuse_case(case, applicant_user, "不属于受理领域")
    with pytest.raises(TransitionNotAllowed):
        services.refuse_case(case, manager_user, " ")
    services.refuse_case(case, manager_user, "不属于中心预审技术领域")
    case.refresh_from_db()
    assert case.state == PreExamCase.State.REFUSED and case.refuse_reason


@pytest.mark.django_db
def test_claim_next_takes_oldest_of_own_field(org, applicant_user, manager_user):
    bio, mat = factories.examiner(("biology",)), factories.examiner(("new-materials",))
    first = services.accept_case(submitted_case(org, applicant_user), manager_user)
    second = services.accept_case(submitted_case(org, applicant_user), manager_user)
    assert services.claim_next(mat) is None
    got = services.claim_next(bio)
    assert got.pk == first.pk and got.examiner == bio and got.state == PreExamCase.State.EXAMINING
    assert Deadline.objects.get(object_id=first.pk, kind=services.TURNAROUND).assignee == bio
    assert services.claim_next(bio).pk == second.pk
    assert services.claim_next(bio) is None
    assert TimelineEvent.objects.filter(object_id=first.pk, action="prescreen.preexamcase.claimed").exists()
    with pytest.raises(PermissionDenied):
        services.claim_next(applicant_user)


@pytest.mark.django_db
def test_assign_checks_field_and_reassigns(org, applicant_user, manager_user):
    bio, bio2, mat = factories.examiner(("biology",)), factories.examiner(("biology",)), factories.examiner(
        ("new-materials",))
    case = services.accept_case(submitted_case(org, applicant_user), manager_user)
    with pytest.raises(ValidationError):
        services.assign_case(case, mat, manager_user)
    with pytest.raises(PermissionDenied):
        services.assign_case(case, bio, bio2)
    services.assign_case(case, bio, manager_user)
    case = services.assign_case(case, bio2, manager_user)
    assert case.examiner == bio2
    assert TimelineEvent.objects.filter(object_id=case.pk, action="prescreen.preexamcase.reassigned").exists()


@pytest.mark.django_db(transaction=True)
def test_two_examiners_claiming_at_once_never_get_the_same_case():
    org = factories.OrganizationFactory()
    applicant, manager = factories.applicant(org), factories.manager()
    for _ in range(3):
        services.accept_case(submitted_case(org, applicant), manager)
    examiners = [factories.examiner(("biology",)) for _ in range(2)]
    barrier = threading.Barrier(2)
    claimed = {}

    def claim(examiner):
        try:
            barrier.wait()
            got = []
            while (case := services.claim_next(examiner)) is not None:
                got.append(case.pk)
            claimed[examiner.pk] = got
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(e,)) for e in examiners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_claimed = [pk for got in claimed.values() for pk in got]
    assert sorted(all_claimed) == sorted(PreExamCase.objects.values_list("pk", flat=True))
    assert len(all_claimed) == len(set(all_claimed)) == 3
    for case in PreExamCase.objects.all():
        assert case.pk in claimed[case.examiner_id]
