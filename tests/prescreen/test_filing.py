"""Submitting a case: eligibility, quota, formal pre-check on real DOCX/PDF files."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.files.services import store_upload
from prescreen import services
from prescreen.models import PreExamCase, PrescreenSettings, Registration
from tests import factories
from tests.prescreen.fixtures import builders

pytestmark = pytest.mark.django_db


def register(org, state=Registration.State.REGISTERED):
    return Registration.objects.create(organization=org, state=state, established_on=datetime.date(2015, 1, 1),
                                       insured_staff=30, invention_patents=2, contact_name="王经理",
                                       contact_phone="0471-1234567")


def draft(org, user, files=None, title=builders.TITLE, **kw):
    data = dict(organization=org, filed_by=user, title=title, technical_field=factories.field("new-materials"),
                applicants=org.name, inventors="张三")
    data.update(kw)
    case = PreExamCase.objects.create(**data)
    for role, items in (files if files is not None else builders.clean_files()).items():
        for name, content in items:
            store_upload(SimpleUploadedFile(name, content), "prescreen.document", user, owner=case, label=role)
    return case


def test_clean_case_is_submitted_with_no_blocking_findings(org, applicant_user):
    register(org)
    case = services.submit_case(draft(org, applicant_user), applicant_user)
    assert case.state == PreExamCase.State.SUBMITTED and case.submitted_at
    assert not [f for f in case.precheck_findings if f["severity"] == "block"]


def test_missing_claims_blocks_and_changes_nothing(org, applicant_user):
    register(org)
    files = builders.clean_files()
    del files["claims"]
    case = draft(org, applicant_user, files=files)
    with pytest.raises(ValidationError) as err:
        services.submit_case(case, applicant_user)
    assert any("权利要求" in m for m in err.value.message_dict["__all__"])
    case.refresh_from_db()
    assert case.state == PreExamCase.State.DRAFT
    assert any(f["severity"] == "block" for f in case.precheck_findings)  # shown to the applicant


def test_gap_in_claim_numbers_warns_with_its_location(org, applicant_user):
    register(org)
    files, _title = builders.defect_files("claims_gap")
    case = services.submit_case(draft(org, applicant_user, files=files), applicant_user)
    warns = [f for f in case.precheck_findings if f["document"] == "claims"]
    assert warns and all(f["severity"] == "warn" for f in warns)
    assert any("权利要求" in f["location"] for f in warns)


@pytest.mark.parametrize("field,kw", [("is_pct_national_phase", {"is_pct_national_phase": True}),
                                      ("is_divisional", {"is_divisional": True}),
                                      ("patent_type", {"patent_type": PreExamCase.PatentType.DESIGN})])
def test_refused_kinds_of_application(org, applicant_user, field, kw):
    register(org)
    case = draft(org, applicant_user, **kw)
    with pytest.raises(ValidationError) as err:
        services.submit_case(case, applicant_user)
    assert field in err.value.message_dict
    assert PreExamCase.objects.get(pk=case.pk).state == PreExamCase.State.DRAFT


def test_unregistered_or_suspended_entity_cannot_file(org, applicant_user):
    register(org, state=Registration.State.SUSPENDED)
    with pytest.raises(ValidationError) as err:
        services.submit_case(draft(org, applicant_user), applicant_user)
    assert "备案" in err.value.message_dict["organization"][0]


def test_quota_blocks_the_filing_beyond_it(org, applicant_user):
    register(org)
    cfg = PrescreenSettings.load()
    cfg.quota_minimum = 1
    cfg.save()
    services.submit_case(draft(org, applicant_user), applicant_user)
    with pytest.raises(ValidationError) as err:
        services.submit_case(draft(org, applicant_user), applicant_user)
    assert "配额" in err.value.message_dict["organization"][0]


def test_annual_quota_formula(org, applicant_user):
    cfg = PrescreenSettings.load()
    cfg.quota_minimum, cfg.quota_growth = 1, 1.5
    cfg.save()
    year = timezone.localdate().year
    last_year = timezone.make_aware(datetime.datetime(year - 1, 6, 1))
    outcomes = ["grant", "grant", "rejection", ""]
    for outcome in outcomes:
        PreExamCase.objects.create(organization=org, filed_by=applicant_user, title="t", applicants="a",
                                   inventors="b", technical_field=factories.field("biology"),
                                   state=PreExamCase.State.QUALIFIED, concluded_at=last_year, cnipa_outcome=outcome)
    # 4 qualified, grant rate 2/3 of the 3 decided → ⌈4 × 2/3 × 1.5⌉ = 4
    assert services.annual_quota(org, year) == 4
    cfg.quota_minimum = 6
    cfg.save()
    assert services.annual_quota(org, year) == 6
    assert services.annual_quota(factories.OrganizationFactory(), year) == 6


def test_near_duplicate_of_own_earlier_case_is_flagged(org, applicant_user):
    register(org)
    first = services.submit_case(draft(org, applicant_user), applicant_user)
    assert first.similar_case_id is None
    second = services.submit_case(draft(org, applicant_user), applicant_user)
    assert second.similar_case_id == first.pk and second.similarity_score >= 0.8
    # another applicant's identical text is not compared under the default scope
    other = factories.OrganizationFactory()
    register(other)
    third = services.submit_case(draft(other, factories.applicant(other)), factories.applicant(other))
    assert third.similar_case_id is None
    cfg = PrescreenSettings.load()
    cfg.similarity_scope = PrescreenSettings.SimilarityScope.ANY
    cfg.save()
    assert services.flag_near_duplicate(third)[0] in (first.pk, second.pk)


def test_unrelated_claims_are_not_flagged(org, applicant_user):
    register(org)
    services.submit_case(draft(org, applicant_user), applicant_user)
    files = builders.clean_files()
    files["claims"] = [("权利要求书.pdf", builders.pdf_bytes([
        "1. 一种耐高温乳酸菌发酵剂，其特征在于，包括嗜热链球菌和保加利亚乳杆菌，二者活菌数之比为3:1。",
        "2. 根据权利要求1所述的发酵剂，其特征在于，还包括低聚果糖。"]))]
    files["abstract"] = [("摘要.pdf", builders.pdf_bytes(["本发明公开了一种耐高温乳酸菌发酵剂，用于乳制品发酵。"]))]
    case = services.submit_case(draft(org, applicant_user, files=files), applicant_user)
    assert case.similar_case_id is None
