"""The pre-exam REST API: who sees what (others' records are 404), a case from draft to CNIPA
outcome, bad input as 400 with field errors that changes nothing, the shared FilterSets, and
list endpoints whose query count does not grow with the number of rows."""
import datetime
import functools
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from ipcenter.accounts.models import Station
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import open_deadline
from ipcenter.files.models import Attachment
from ipcenter.files.services import attachments_of
from prescreen import services
from prescreen.models import DefectItem, DefectType, Opinion, PreExamCase, Registration
from prescreen.validators import make_application_number
from tests import factories
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db

API = "/api/v1/prescreen"


def as_user(user):
    client = APIClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@functools.lru_cache(maxsize=None)
def _clean_files():
    return builders.clean_files()


def upload(role):
    name, content = _clean_files()[role][0]
    return SimpleUploadedFile(name, content)


def submitted(org, user):
    register(org)
    return services.submit_case(draft(org, user), user)


def examining(org, user, manager, examiner):
    case = submitted(org, user)
    services.accept_case(case, manager)
    return services.claim_next(examiner)


def issue_opinion(case, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION):
    opinion = services.start_opinion(case, examiner)
    if conclusion == Opinion.Conclusion.NEEDS_CORRECTION:
        services.add_defect_item(opinion, examiner, defect_type=DefectType.objects.get(code="unclear-claim"),
                                 location="权利要求 2", text="“所述支耳”缺乏引用基础")
    return services.submit_opinion(opinion, examiner, conclusion=conclusion)


@pytest.fixture
def examiner():
    return factories.examiner(("new-materials",))


@pytest.fixture
def qualified(org, applicant_user, manager_user, examiner):
    case = examining(org, applicant_user, manager_user, examiner)
    issue_opinion(case, examiner, Opinion.Conclusion.QUALIFIED)
    case.refresh_from_db()
    assert case.state == PreExamCase.State.QUALIFIED
    return case


# --- access ---------------------------------------------------------------------------------

@pytest.fixture
def world(org, applicant_user, other_applicant, manager_user, examiner):
    """Org A's examining case with an issued opinion and a draft opinion of the next round."""
    case = examining(org, applicant_user, manager_user, examiner)
    issued = issue_opinion(case, examiner)
    case.refresh_from_db()
    return {
        "case": case, "opinion": issued, "registration": Registration.objects.get(organization=org),
        "users": {
            "applicant": applicant_user,
            "other_applicant": other_applicant,
            "client_agency": factories.agency_user(clients=[org]),
            "unrelated_agency": factories.agency_user(clients=[factories.OrganizationFactory()]),
            "examiner_in_field": examiner,
            "examiner_other_field": factories.examiner(("biology",)),
            "manager": manager_user,
        },
    }


VISIBLE = {"applicant": True, "other_applicant": False, "client_agency": True, "unrelated_agency": False,
           "examiner_in_field": True, "examiner_other_field": False, "manager": True}


@pytest.mark.parametrize("who", list(VISIBLE))
def test_records_outside_the_users_scope_are_404_and_not_listed(world, who):
    client, visible = as_user(world["users"][who]), VISIBLE[who]
    case, opinion = world["case"], world["opinion"]
    for path, obj in ((f"{API}/cases/", case), (f"{API}/opinions/", opinion)):
        r = client.get(f"{path}{obj.pk}/")
        assert r.status_code == (200 if visible else 404)
        ids = [row["id"] for row in client.get(path).json()["results"]]
        assert (obj.pk in ids) is visible
    assert client.get(f"{API}/cases/{case.pk}/documents/").status_code == (200 if visible else 404)
    if not visible:  # actions on a record one cannot see do not confirm it exists
        r = client.post(f"{API}/cases/{case.pk}/withdraw/", {"comment": "撤回"}, format="json")
        assert r.status_code == 404
        assert client.post(f"{API}/opinions/{opinion.pk}/items/", {}, format="json").status_code == 404
        assert PreExamCase.objects.get(pk=case.pk).state == PreExamCase.State.NEEDS_CORRECTION


@pytest.mark.parametrize("who,visible", [("applicant", True), ("other_applicant", False),
                                         ("client_agency", True), ("unrelated_agency", False),
                                         ("examiner_other_field", True), ("manager", True)])
def test_registration_scope(world, who, visible):
    reg = world["registration"]
    r = as_user(world["users"][who]).get(f"{API}/registrations/{reg.pk}/")
    assert r.status_code == (200 if visible else 404)


def test_applicants_never_see_draft_opinions(world, examiner, applicant_user):
    case = world["case"]
    services.submit_correction(case, applicant_user, {"claims": upload("claims")}, note="已修改")
    draft_opinion = services.start_opinion(PreExamCase.objects.get(pk=case.pk), examiner)
    assert draft_opinion.state == Opinion.State.DRAFT
    applicant = as_user(applicant_user)
    listed = applicant.get(f"{API}/opinions/").json()["results"]
    assert [o["id"] for o in listed] == [world["opinion"].pk]
    assert listed[0]["state"] == "issued" and len(listed[0]["items"]) == 1
    assert applicant.get(f"{API}/opinions/{draft_opinion.pk}/").status_code == 404
    agency = as_user(world["users"]["client_agency"])
    assert agency.get(f"{API}/opinions/{draft_opinion.pk}/").status_code == 404
    assert as_user(examiner).get(f"{API}/opinions/{draft_opinion.pk}/").status_code == 200


def test_actions_refused_to_the_wrong_role_are_403_and_change_nothing(world, applicant_user, examiner):
    case = world["case"]
    applicant = as_user(applicant_user)
    assert applicant.post(f"{API}/cases/{case.pk}/terminate/", {"reason": "x"}, format="json").status_code == 403
    r = applicant.post(f"{API}/cases/{case.pk}/assign/", {"examiner": examiner.pk}, format="json")
    assert r.status_code == 403
    assert applicant.post(f"{API}/cases/claim_next/").status_code == 403
    r = as_user(examiner).post(f"{API}/cases/{case.pk}/withdraw/", {"comment": "撤回"}, format="json")
    assert r.status_code == 403
    r = as_user(examiner).post(f"{API}/registrations/{world['registration'].pk}/cancel/", {"reason": "x"},
                               format="json")
    assert r.status_code == 403
    assert PreExamCase.objects.get(pk=case.pk).state == PreExamCase.State.NEEDS_CORRECTION
    assert Registration.objects.get(pk=world["registration"].pk).state == Registration.State.REGISTERED


# --- the whole journey ----------------------------------------------------------------------

def test_a_case_from_registration_to_cnipa_outcome(org, applicant_user, manager_user, examiner):
    applicant, manager, exam = as_user(applicant_user), as_user(manager_user), as_user(examiner)
    field = factories.field("new-materials")

    r = applicant.post(f"{API}/registrations/", {
        "technical_fields": [field.pk], "registered_in_region": True, "established_on": "2015-03-01",
        "insured_staff": 30, "invention_patents": 2, "utility_design_patents": 0, "contact_name": "王经理",
        "contact_phone": "0471-1234567"}, format="json")
    assert r.status_code == 201, r.json()
    reg = r.json()
    assert reg["state"] == "applying" and all(rule["passed"] for rule in reg["eligibility"])
    assert {rule["code"] for rule in reg["eligibility"]} >= {"region", "field", "age", "staff", "patents"}
    assert applicant.post(f"{API}/registrations/{reg['id']}/approve/").status_code == 403
    r = manager.post(f"{API}/registrations/{reg['id']}/approve/")
    assert r.status_code == 200 and r.json()["state"] == "registered"

    r = applicant.post(f"{API}/cases/", {
        "title": builders.TITLE, "technical_field": field.pk, "patent_type": "invention",
        "applicants": org.name, "inventors": "张三；李四", "ipc": "h02s 20/30"}, format="json")
    assert r.status_code == 201, r.json()
    case = r.json()
    assert case["state"] == "draft" and case["organization"] == org.pk and case["ipc"] == "H02S 20/30"
    pk = case["id"]
    r = applicant.patch(f"{API}/cases/{pk}/", {"inventors": "张三；李四；王五"}, format="json")
    assert r.status_code == 200 and r.json()["inventors"] == "张三；李四；王五"

    for role in services.DOCUMENT_ROLES:
        r = applicant.post(f"{API}/cases/{pk}/documents/", {"role": role, "file": upload(role)},
                           format="multipart")
        assert r.status_code == 201, r.json()
        assert r.json()["role"] == role and r.json()["version"] == 1
    docs = applicant.get(f"{API}/cases/{pk}/documents/").json()
    assert [d["role"] for d in docs] == list(services.DOCUMENT_ROLES)
    r = applicant.post(f"{API}/cases/{pk}/precheck/")
    assert r.status_code == 200 and r.json()["blocking"] == 0

    r = applicant.post(f"{API}/cases/{pk}/submit/")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "submitted"
    r = manager.post(f"{API}/cases/{pk}/accept/", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "accepted" and r.json()["number"].startswith("YS")
    assert [d["kind"] for d in r.json()["deadlines"]] == [services.TURNAROUND]
    assert r.json()["next_due_at"] and r.json()["is_overdue"] is False

    r = exam.post(f"{API}/cases/claim_next/")
    assert r.status_code == 200 and r.json()["id"] == pk
    assert r.json()["state"] == "examining" and r.json()["examiner"] == examiner.pk
    assert exam.post(f"{API}/cases/claim_next/").status_code == 204

    r = exam.post(f"{API}/cases/{pk}/opinion/")
    assert r.status_code == 200 and r.json()["state"] == "draft" and r.json()["round"] == 1
    opinion = r.json()["id"]
    unclear = DefectType.objects.get(code="unclear-claim")
    r = exam.post(f"{API}/opinions/{opinion}/items/", {
        "defect_type": unclear.pk, "location": "权利要求 2", "text": "“所述支耳”缺乏引用基础",
        "suggestion": "在权利要求1中引入支耳"}, format="json")
    assert r.status_code == 201 and r.json()["defect_type_name"] == unclear.name
    assert applicant.get(f"{API}/opinions/{opinion}/").status_code == 404  # still a draft
    r = exam.post(f"{API}/opinions/{opinion}/submit/", {"conclusion": "needs_correction"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "issued"

    r = applicant.get(f"{API}/opinions/{opinion}/")
    assert r.status_code == 200 and r.json()["items"][0]["location"] == "权利要求 2"
    case = applicant.get(f"{API}/cases/{pk}/").json()
    assert case["state"] == "needs_correction" and case["correction_rounds"] == 1
    assert services.CORRECTION in [d["kind"] for d in case["deadlines"] if d["state"] == "open"]

    r = applicant.post(f"{API}/cases/{pk}/correction/", {"claims": upload("claims"), "note": "已按意见修改权利要求2"},
                       format="multipart")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "examining"
    claims = [d for d in applicant.get(f"{API}/cases/{pk}/documents/").json() if d["role"] == "claims"]
    assert len(claims) == 1 and claims[0]["version"] == 2

    r = exam.post(f"{API}/cases/{pk}/opinion/")
    assert r.json()["round"] == 2
    r = exam.post(f"{API}/opinions/{r.json()['id']}/submit/", {"conclusion": "qualified"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "issued"
    assert applicant.get(f"{API}/cases/{pk}/").json()["state"] == "qualified"

    today = timezone.localdate()
    number = make_application_number(today.year, 1, 123456)
    r = applicant.post(f"{API}/cases/{pk}/cnipa_filing/", {
        "application_number": f"CN {number[:4]} {number[4]} {number[5:]}", "filed_on": today.isoformat()},
        format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["cnipa_application_number"] == number
    r = applicant.post(f"{API}/cases/{pk}/cnipa_outcome/", {"outcome": "grant", "outcome_date": today.isoformat()},
                       format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["cnipa_outcome"] == "grant" and r.json()["cnipa_outcome_date"] == today.isoformat()


def test_agency_files_for_its_client_only(org, other_org):
    agency = factories.agency_user(clients=[org])
    client = as_user(agency)
    base = {"title": "一种复合材料", "technical_field": factories.field("new-materials").pk, "applicants": "甲",
            "inventors": "乙"}
    r = client.post(f"{API}/cases/", {**base, "organization": other_org.pk}, format="json")
    assert r.status_code == 400 and "organization" in r.json()
    assert not PreExamCase.objects.exists()
    r = client.post(f"{API}/cases/", {**base, "organization": org.pk}, format="json")
    assert r.status_code == 201
    case = PreExamCase.objects.get()
    assert case.organization == org and case.agency == agency.organization and case.filed_by == agency


def test_draft_is_editable_only_by_the_applicant_side_and_only_as_draft(org, applicant_user, examiner):
    case = draft(org, applicant_user, files={})
    r = as_user(examiner).patch(f"{API}/cases/{case.pk}/", {"title": "改名"}, format="json")
    assert r.status_code == 404  # an unsubmitted draft is private to the applicant side, even in the field
    assert as_user(examiner).get(f"{API}/cases/{case.pk}/").status_code == 404
    register(org)
    services.submit_case(draft(org, applicant_user), applicant_user)  # another, submitted case
    submitted_case = PreExamCase.objects.exclude(pk=case.pk).get()
    r = as_user(applicant_user).patch(f"{API}/cases/{submitted_case.pk}/", {"title": "改名"}, format="json")
    assert r.status_code == 400 and "non_field_errors" in r.json()
    assert PreExamCase.objects.get(pk=submitted_case.pk).title == builders.TITLE
    assert PreExamCase.objects.get(pk=case.pk).title == builders.TITLE


def test_registration_returned_with_reason(org, applicant_user, manager_user):
    reg = register(org, state=Registration.State.APPLYING)
    r = as_user(manager_user).post(f"{API}/registrations/{reg.pk}/return/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.json()
    r = as_user(manager_user).post(f"{API}/registrations/{reg.pk}/return/", {"reason": "参保人数证明缺失"},
                                   format="json")
    assert r.status_code == 200 and r.json()["state"] == "returned" and r.json()["return_reason"] == "参保人数证明缺失"


def test_registration_suspend_reinstate_cancel_and_the_reapply_bar(org, applicant_user, manager_user):
    reg = register(org)
    manager, applicant = as_user(manager_user), as_user(applicant_user)
    today = timezone.localdate()
    r = manager.post(f"{API}/registrations/{reg.pk}/suspend/", {"reason": "风险复核", "until": today.isoformat()},
                     format="json")
    assert r.status_code == 400 and "until" in r.json()
    r = applicant.post(f"{API}/registrations/{reg.pk}/suspend/",
                       {"reason": "x", "until": (today + datetime.timedelta(days=30)).isoformat()}, format="json")
    assert r.status_code == 403
    until = (today + datetime.timedelta(days=30)).isoformat()
    r = manager.post(f"{API}/registrations/{reg.pk}/suspend/", {"reason": "风险复核", "until": until}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "suspended" and r.json()["suspended_until"] == until
    r = manager.post(f"{API}/registrations/{reg.pk}/reinstate/")
    assert r.status_code == 200 and r.json()["state"] == "registered"
    payload = {"technical_fields": [factories.field("new-materials").pk], "established_on": "2015-03-01",
               "insured_staff": 30, "invention_patents": 2, "contact_name": "王经理", "contact_phone": "0471-1234567"}
    r = applicant.post(f"{API}/registrations/", payload, format="json")
    assert r.status_code == 400 and "有效或审核中的备案" in r.json()["non_field_errors"][0]
    r = manager.post(f"{API}/registrations/{reg.pk}/cancel/", {"reason": "不合格率超标"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    r = applicant.post(f"{API}/registrations/", payload, format="json")
    assert r.status_code == 400 and "年内不得重新申请" in r.json()["non_field_errors"][0]
    assert Registration.objects.filter(organization=org).count() == 1


def test_registration_field_errors_come_back_per_field(applicant_user, examiner):
    client = as_user(applicant_user)
    r = client.post(f"{API}/registrations/", {"technical_fields": [], "established_on": "明天", "insured_staff": -1,
                                              "contact_name": "", "contact_phone": "0471"}, format="json")
    assert r.status_code == 400
    assert {"technical_fields", "established_on", "insured_staff", "contact_name"} <= set(r.json())
    assert all(re.search("[\u4e00-\u9fff]", m) for msgs in r.json().values() for m in msgs)  # Chinese
    r = as_user(examiner).post(f"{API}/registrations/", {
        "technical_fields": [factories.field("biology").pk], "established_on": "2015-03-01", "insured_staff": 9,
        "contact_name": "张", "contact_phone": "0471-1234567"}, format="json")
    assert r.status_code == 403
    assert not Registration.objects.exists()


def test_manager_terminates_with_a_reason(org, applicant_user, manager_user):
    case = submitted(org, applicant_user)
    r = as_user(manager_user).post(f"{API}/cases/{case.pk}/terminate/", {"reason": "非正常申请"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "terminated"
    assert r.json()["termination_reason"] == "非正常申请"


def test_refuse_needs_a_reason_and_sets_it(org, applicant_user, manager_user):
    case = submitted(org, applicant_user)
    manager = as_user(manager_user)
    r = manager.post(f"{API}/cases/{case.pk}/refuse/", {}, format="json")
    assert r.status_code == 400 and "reason" in r.json()
    r = manager.post(f"{API}/cases/{case.pk}/refuse/", {"reason": "不属于受理范围"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "refused" and r.json()["refuse_reason"] == "不属于受理范围"


def test_manager_assigns_only_an_examiner_of_the_field(org, applicant_user, manager_user, examiner):
    case = submitted(org, applicant_user)
    services.accept_case(case, manager_user)
    manager = as_user(manager_user)
    r = manager.post(f"{API}/cases/{case.pk}/assign/", {"examiner": factories.examiner(("biology",)).pk},
                     format="json")
    assert r.status_code == 400 and "examiner" in r.json()
    r = manager.post(f"{API}/cases/{case.pk}/assign/", {"examiner": applicant_user.pk}, format="json")
    assert r.status_code == 400 and "examiner" in r.json()
    assert PreExamCase.objects.get(pk=case.pk).examiner is None
    r = manager.post(f"{API}/cases/{case.pk}/assign/", {"examiner": examiner.pk}, format="json")
    assert r.status_code == 200 and r.json()["examiner"] == examiner.pk and r.json()["state"] == "examining"


def test_withdraw_needs_a_comment_and_cancels_the_clock(org, applicant_user, manager_user):
    case = submitted(org, applicant_user)
    services.accept_case(case, manager_user)
    client = as_user(applicant_user)
    assert client.post(f"{API}/cases/{case.pk}/withdraw/", {}, format="json").status_code == 400
    r = client.post(f"{API}/cases/{case.pk}/withdraw/", {"comment": "技术方案调整"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "terminated"
    assert [d["state"] for d in r.json()["deadlines"]] == ["cancelled"]


# --- bad input ------------------------------------------------------------------------------

def test_bad_application_number_is_a_field_error(qualified, applicant_user):
    client = as_user(applicant_user)
    today = timezone.localdate()
    good = make_application_number(today.year, 1, 7654321)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    utility = make_application_number(today.year, 2, 7654321)
    for number in ("12345", wrong_check, utility):
        r = client.post(f"{API}/cases/{qualified.pk}/cnipa_filing/",
                        {"application_number": number, "filed_on": today.isoformat()}, format="json")
        assert r.status_code == 400 and r.json()["application_number"], number
    r = client.post(f"{API}/cases/{qualified.pk}/cnipa_filing/",
                    {"application_number": good, "filed_on": (today + datetime.timedelta(days=1)).isoformat()},
                    format="json")
    assert r.status_code == 400 and "filed_on" in r.json()
    r = client.post(f"{API}/cases/{qualified.pk}/cnipa_outcome/", {"outcome": "grant",
                                                                  "outcome_date": today.isoformat()}, format="json")
    assert r.status_code == 400 and "outcome" in r.json()  # no application number yet
    qualified.refresh_from_db()
    assert qualified.cnipa_application_number == "" and qualified.cnipa_outcome == ""


def test_rejection_outcome_needs_reasons(qualified, applicant_user):
    client = as_user(applicant_user)
    today = timezone.localdate()
    services.record_cnipa_filing(qualified, applicant_user,
                                 application_number=make_application_number(today.year, 1, 42), filed_on=today)
    for payload, field in (({"outcome": "rejection"}, "reasons"), ({"outcome": "bogus"}, "outcome")):
        r = client.post(f"{API}/cases/{qualified.pk}/cnipa_outcome/",
                        {**payload, "outcome_date": today.isoformat()}, format="json")
        assert r.status_code == 400 and field in r.json()
    assert PreExamCase.objects.get(pk=qualified.pk).cnipa_outcome == ""


def test_document_with_an_unknown_role_is_refused(org, applicant_user):
    case = draft(org, applicant_user, files={})
    r = as_user(applicant_user).post(f"{API}/cases/{case.pk}/documents/",
                                     {"role": "cover_letter", "file": upload("claims")}, format="multipart")
    assert r.status_code == 400 and "role" in r.json()
    assert not attachments_of(case).exists()


def test_non_pdf_renamed_to_pdf_is_refused(org, applicant_user):
    case = draft(org, applicant_user, files={})
    fake = SimpleUploadedFile("权利要求书.pdf", "这不是PDF文件".encode() * 20)
    r = as_user(applicant_user).post(f"{API}/cases/{case.pk}/documents/", {"role": "claims", "file": fake},
                                     format="multipart")
    assert r.status_code == 400 and "类型" in r.json()["file"][0]
    assert not Attachment.objects.exists()


def test_pct_flag_is_refused_at_creation_and_at_submission(org, applicant_user):
    client = as_user(applicant_user)
    r = client.post(f"{API}/cases/", {"title": "一种材料", "technical_field": factories.field("new-materials").pk,
                                      "applicants": "甲", "inventors": "乙", "is_pct_national_phase": True},
                    format="json")
    assert r.status_code == 400 and "PCT" in r.json()["is_pct_national_phase"][0]
    assert not PreExamCase.objects.exists()
    register(org)
    case = draft(org, applicant_user, is_pct_national_phase=True)
    r = client.post(f"{API}/cases/{case.pk}/submit/")
    assert r.status_code == 400 and "is_pct_national_phase" in r.json()
    assert PreExamCase.objects.get(pk=case.pk).state == PreExamCase.State.DRAFT


def test_missing_documents_block_submission(org, applicant_user):
    register(org)
    files = dict(_clean_files())
    del files["claims"]
    case = draft(org, applicant_user, files=files)
    r = as_user(applicant_user).post(f"{API}/cases/{case.pk}/submit/")
    assert r.status_code == 400
    assert any("权利要求" in m for m in r.json()["non_field_errors"])
    case.refresh_from_db()
    assert case.state == PreExamCase.State.DRAFT and case.submitted_at is None


def test_correction_with_a_bad_file_or_role_changes_nothing(world, applicant_user):
    case = world["case"]
    client = as_user(applicant_user)
    fake = SimpleUploadedFile("权利要求书.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    r = client.post(f"{API}/cases/{case.pk}/correction/", {"claims": fake}, format="multipart")
    assert r.status_code == 400 and "claims" in r.json()
    r = client.post(f"{API}/cases/{case.pk}/correction/", {"cover_letter": upload("claims")}, format="multipart")
    assert r.status_code == 400 and "files" in r.json()
    r = client.post(f"{API}/cases/{case.pk}/correction/", {"note": "没有文件"}, format="multipart")
    assert r.status_code == 400 and "files" in r.json()
    case.refresh_from_db()
    assert case.state == PreExamCase.State.NEEDS_CORRECTION
    assert {a.version for a in attachments_of(case)} == {1}


def test_opinion_input_errors(world, examiner):
    case = world["case"]
    services.submit_correction(case, world["users"]["applicant"], {"claims": upload("claims")})
    opinion = services.start_opinion(PreExamCase.objects.get(pk=case.pk), examiner)
    client = as_user(examiner)
    r = client.post(f"{API}/opinions/{opinion.pk}/submit/", {"conclusion": "needs_correction"}, format="json")
    assert r.status_code == 400 and "conclusion" in r.json()
    r = client.post(f"{API}/opinions/{opinion.pk}/submit/", {"conclusion": "unqualified"}, format="json")
    assert r.status_code == 400 and "reasons" in r.json()
    r = client.post(f"{API}/opinions/{opinion.pk}/items/", {"defect_type": 999999, "location": "x", "text": "y"},
                    format="json")
    assert r.status_code == 400 and "defect_type" in r.json()
    other = factories.examiner(("new-materials",))
    r = as_user(other).post(f"{API}/opinions/{opinion.pk}/items/", {
        "defect_type": DefectType.objects.first().pk, "location": "权利要求 1", "text": "y"}, format="json")
    assert r.status_code == 403
    assert Opinion.objects.get(pk=opinion.pk).state == Opinion.State.DRAFT and not opinion.items.exists()


@pytest.mark.parametrize("query", ["examiner=abc", "league=999999", "overdue=maybe", "submitted_after=yesterday",
                                   "state=nonsense", "technical_field=-1", "near_duplicate=perhaps",
                                   "ordering=organization__password", "page=999"])
def test_odd_query_strings_are_client_errors_not_500(manager_user, query):
    r = as_user(manager_user).get(f"{API}/cases/?{query}")
    assert r.status_code in (200, 400, 404)


def test_malformed_ids_and_payloads_are_not_500(org, applicant_user, manager_user):
    case = draft(org, applicant_user, files={})
    client = as_user(applicant_user)
    assert client.get(f"{API}/cases/abc/").status_code == 404
    assert client.post(f"{API}/cases/", "not json", content_type="application/json").status_code == 400
    assert client.post(f"{API}/cases/{case.pk}/documents/", {"role": "claims"}, format="multipart").status_code == 400
    sent = submitted(org, applicant_user)
    r = as_user(manager_user).post(f"{API}/cases/{sent.pk}/assign/", {"examiner": "x"}, format="json")
    assert r.status_code == 400
    # an applicant's draft is not the centre's to see: assigning it is a 404
    assert as_user(manager_user).post(f"{API}/cases/{case.pk}/assign/", {"examiner": "x"},
                                      format="json").status_code == 404
    r = as_user(manager_user).post(f"{API}/registrations/", {"technical_fields": []}, format="json")
    assert r.status_code in (400, 403)


# --- filters --------------------------------------------------------------------------------

def _ids(client, query):
    r = client.get(f"{API}/cases/?{query}")
    assert r.status_code == 200, r.json()
    return {row["id"] for row in r.json()["results"]}


def test_case_filters_state_league_overdue_and_search(manager_user, examiner):
    hohhot_org = factories.OrganizationFactory()  # the factory's league is Hohhot
    baotou_org = factories.OrganizationFactory(league=Station.objects.get(code="baotou"))
    a_user, b_user = factories.applicant(hohhot_org), factories.applicant(baotou_org)
    a_draft = draft(hohhot_org, a_user, files={}, title="一种草稿材料")
    a_accepted = submitted(hohhot_org, a_user)
    services.accept_case(a_accepted, manager_user)
    b_accepted = submitted(baotou_org, b_user)
    services.accept_case(b_accepted, manager_user)
    Deadline.objects.filter(content_type=ContentType.objects.get_for_model(PreExamCase),
                            object_id=b_accepted.pk).update(state=Deadline.State.OVERDUE)
    client = as_user(manager_user)

    assert _ids(client, "state=draft") == set()  # drafts stay the applicant's own
    assert _ids(as_user(a_user), "state=draft") == {a_draft.pk}
    assert _ids(client, "state=accepted") == {a_accepted.pk, b_accepted.pk}
    assert _ids(client, f"league={Station.objects.get(code='baotou').pk}") == {b_accepted.pk}
    assert _ids(client, f"league={Station.objects.get(code='hohhot').pk}") == {a_accepted.pk}
    assert _ids(client, "overdue=1") == {b_accepted.pk}
    assert _ids(client, "overdue=0") == {a_accepted.pk}
    assert _ids(as_user(a_user), "q=草稿") == {a_draft.pk}
    assert _ids(client, "q=草稿") == set()
    b_number = PreExamCase.objects.get(pk=b_accepted.pk).number
    assert _ids(client, f"q={b_number}") == {b_accepted.pk}
    assert _ids(client, f"organization={baotou_org.pk}") == {b_accepted.pk}
    assert _ids(client, "near_duplicate=0") == {a_accepted.pk, b_accepted.pk}
    today = timezone.localdate().isoformat()
    assert _ids(client, f"accepted_after={today}&accepted_before={today}") == {a_accepted.pk, b_accepted.pk}
    row = next(r for r in client.get(f"{API}/cases/?overdue=1").json()["results"])
    assert row["is_overdue"] is True


def test_near_duplicate_filter(org, applicant_user):
    register(org)
    first = services.submit_case(draft(org, applicant_user), applicant_user)
    second = services.submit_case(draft(org, applicant_user), applicant_user)
    assert second.similar_case_id == first.pk
    client = as_user(applicant_user)
    assert _ids(client, "near_duplicate=1") == {second.pk}
    assert _ids(client, "near_duplicate=0") == {first.pk}


def test_filter_choices_do_not_reveal_other_organisations_or_examiners(org, other_org, applicant_user,
                                                                       other_applicant, manager_user, examiner):
    mine = examining(org, applicant_user, manager_user, examiner)
    other_examiner = factories.examiner(("new-materials",))
    client = as_user(applicant_user)
    assert _ids(client, f"examiner={examiner.pk}") == {mine.pk}
    assert client.get(f"{API}/cases/?examiner={other_examiner.pk}").status_code == 400
    assert client.get(f"{API}/cases/?organization={other_org.pk}").status_code == 400
    assert _ids(client, f"organization={org.pk}") == {mine.pk}


def test_registration_and_opinion_filters(world, manager_user):
    baotou_org = factories.OrganizationFactory(league=Station.objects.get(code="baotou"))
    other = register(baotou_org, state=Registration.State.APPLYING)
    client = as_user(manager_user)

    def reg_ids(query):
        r = client.get(f"{API}/registrations/?{query}")
        assert r.status_code == 200
        return {row["id"] for row in r.json()["results"]}

    assert reg_ids("state=applying") == {other.pk}
    assert reg_ids(f"league={Station.objects.get(code='baotou').pk}") == {other.pk}
    assert reg_ids(f"q={world['registration'].organization.uscc}") == {world["registration"].pk}
    r = client.get(f"{API}/opinions/?case={world['case'].pk}&state=issued&conclusion=needs_correction")
    assert [o["id"] for o in r.json()["results"]] == [world["opinion"].pk]
    assert client.get(f"{API}/opinions/?case={world['case'].pk}&state=draft").json()["results"] == []


# --- query counts ---------------------------------------------------------------------------

def _make_rows(n, examiner, field):
    for _ in range(n):
        org = factories.OrganizationFactory()
        user = factories.applicant(org)
        reg = register(org)
        reg.technical_fields.set([field])
        case = PreExamCase.objects.create(organization=org, filed_by=user, title="一种材料", technical_field=field,
                                          applicants=org.name, inventors="张三", examiner=examiner,
                                          state=PreExamCase.State.EXAMINING, accepted_at=timezone.now(),
                                          number=f"YS-T{PreExamCase.objects.count():05d}")
        open_deadline(case, services.TURNAROUND, label="预审办结", rule=Deadline.Rule.WORKING_DAYS, amount=7,
                      assignee=examiner)
        opinion = Opinion.objects.create(case=case, author=examiner, state=Opinion.State.ISSUED,
                                         conclusion=Opinion.Conclusion.NEEDS_CORRECTION, issued_at=timezone.now())
        for order, code in enumerate(("formal", "drawing"), start=1):
            DefectItem.objects.create(opinion=opinion, defect_type=DefectType.objects.get(code=code),
                                      location=f"权利要求 {order}", text="说明", order=order)


@pytest.mark.parametrize("path", ["cases", "registrations", "opinions"])
def test_list_endpoints_use_a_constant_number_of_queries(manager_user, examiner, path):
    field = factories.field("new-materials")
    client = as_user(manager_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"{API}/{path}/")
        assert r.status_code == 200
        return len(ctx.captured_queries), r.json()["count"]

    _make_rows(3, examiner, field)
    few, rows = count()
    assert rows == 3
    _make_rows(12, examiner, field)
    many, rows = count()
    assert rows == 15
    assert many == few, f"{path}: {few} queries for 3 rows, {many} for 15"


def test_defect_catalogue_lists_active_types(applicant_user):
    DefectType.objects.filter(code="other").update(active=False)
    r = as_user(applicant_user).get(f"{API}/defect-types/")
    codes = [row["code"] for row in r.json()]
    assert r.status_code == 200 and "unclear-claim" in codes and "other" not in codes
