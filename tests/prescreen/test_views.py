"""The pre-exam pages end to end through the Django client: registration, filing steps,
acceptance, the queue, the opinion editor, corrections, CNIPA tracking; bad input is a
400 with Chinese field errors and changes nothing; other people's records are 404."""
import datetime
import functools
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipcenter.deadlines.models import Deadline
from ipcenter.files.models import Attachment
from ipcenter.files.services import attachments_of
from ipcenter.workflow.models import TimelineEvent
from prescreen import services
from prescreen.models import DefectType, Opinion, PreExamCase, Registration
from prescreen.validators import make_application_number
from tests import factories
from tests.conftest import login
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db


@functools.lru_cache(maxsize=None)
def _files():
    return builders.clean_files()


def uploads(roles=("request", "description", "claims", "abstract", "drawings")):
    files = _files()
    return {role: SimpleUploadedFile(files[role][0][0], files[role][0][1]) for role in roles}


# ---- registration --------------------------------------------------------------------------

REG_DATA = {"technical_fields": [], "registered_in_region": "on", "established_on": "2015-03-01",
            "insured_staff": "40", "invention_patents": "3", "utility_design_patents": "1",
            "contact_name": "王经理", "contact_phone": "0471-6543210"}


def test_registration_form_shows_each_rule_and_manager_approves(client, org, applicant_user, manager_user):
    data = dict(REG_DATA, technical_fields=[factories.field("new-materials").pk])
    resp = login(client, applicant_user).post(reverse("prescreen:registration-create"), data)
    reg = Registration.objects.get(organization=org)
    assert resp.status_code == 302 and resp.url == reg.get_absolute_url()
    page = client.get(resp.url).content.decode()
    assert "成立满 1 年" in page and "符合" in page
    login(client, manager_user).post(reverse("prescreen:registration-action", args=[reg.pk, "approve"]))
    reg.refresh_from_db()
    assert reg.state == Registration.State.REGISTERED and reg.decided_by == manager_user


def test_bad_registration_input_is_400_with_chinese_errors_and_nothing_saved(client, applicant_user):
    data = dict(REG_DATA, insured_staff="-3", established_on="2999-01-01", contact_phone="abc")
    resp = login(client, applicant_user).post(reverse("prescreen:registration-create"), data)
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "成立日期不能晚于今天" in body and "请输入有效的电话号码" in body
    assert not Registration.objects.exists()


def test_ineligible_registration_is_saved_with_failed_rules_and_cannot_be_approved(client, org, applicant_user,
                                                                                  manager_user):
    data = dict(REG_DATA, technical_fields=[factories.field("new-materials").pk], insured_staff="2",
                invention_patents="0", utility_design_patents="0")
    login(client, applicant_user).post(reverse("prescreen:registration-create"), data)
    reg = Registration.objects.get(organization=org)
    failed = {r["code"] for r in reg.eligibility if not r["passed"]}
    assert failed == {"staff", "patents"}
    resp = login(client, manager_user).post(reverse("prescreen:registration-action", args=[reg.pk, "approve"]),
                                            follow=True)
    assert "不符合备案条件" in resp.content.decode()
    reg.refresh_from_db()
    assert reg.state == Registration.State.APPLYING


def test_suspend_reinstate_and_cancel_with_three_year_bar(client, org, applicant_user, manager_user):
    reg = register(org)
    login(client, manager_user)
    until = timezone.localdate() + datetime.timedelta(days=180)
    client.post(reverse("prescreen:registration-action", args=[reg.pk, "suspend"]),
                {"reason": "不合格率过高", "until": until.isoformat()})
    reg.refresh_from_db()
    assert reg.state == Registration.State.SUSPENDED and reg.suspended_until == until
    client.post(reverse("prescreen:registration-action", args=[reg.pk, "reinstate"]))
    reg.refresh_from_db()
    assert reg.state == Registration.State.REGISTERED and reg.suspended_until is None
    client.post(reverse("prescreen:registration-action", args=[reg.pk, "cancel"]), {"reason": ""})
    reg.refresh_from_db()
    assert reg.state == Registration.State.REGISTERED  # a reason is required
    client.post(reverse("prescreen:registration-action", args=[reg.pk, "cancel"]), {"reason": "弄虚作假"})
    reg.refresh_from_db()
    assert reg.state == Registration.State.CANCELLED and reg.cancelled_on == timezone.localdate()
    data = dict(REG_DATA, technical_fields=[factories.field("new-materials").pk])
    resp = login(client, applicant_user).post(reverse("prescreen:registration-create"), data)
    assert resp.status_code == 400 and "3 年内不得重新申请" in resp.content.decode()


def test_expired_suspension_is_lifted(org):
    reg = register(org, state=Registration.State.SUSPENDED)
    Registration.objects.filter(pk=reg.pk).update(suspended_until=timezone.localdate() - datetime.timedelta(days=1))
    assert services.reinstate_expired_suspensions() == 1
    reg.refresh_from_db()
    assert reg.state == Registration.State.REGISTERED
    assert services.reinstate_expired_suspensions() == 0


# ---- filing --------------------------------------------------------------------------------

CASE_DATA = {"title": builders.TITLE, "patent_type": "invention", "ipc": "H02S 30/20", "applicants": "某公司",
             "inventors": "张三；李四"}


def case_data(org, **kw):
    return dict(CASE_DATA, organization=org.pk, technical_field=factories.field("new-materials").pk, **kw)


def test_filing_in_three_steps(client, org, applicant_user, manager_user):
    register(org)
    login(client, applicant_user)
    resp = client.post(reverse("prescreen:case-create"), case_data(org))
    case = PreExamCase.objects.get()
    assert resp.status_code == 302 and case.state == PreExamCase.State.DRAFT
    resp = client.post(reverse("prescreen:case-documents", args=[case.pk]), {**uploads(), "next": "1"})
    assert resp.status_code == 302 and resp.url == reverse("prescreen:case-review", args=[case.pk])
    page = client.get(resp.url)
    assert page.status_code == 200 and 'data-testid="findings-clean"' in page.content.decode()
    resp = client.post(reverse("prescreen:case-review", args=[case.pk]))
    case.refresh_from_db()
    assert resp.status_code == 302 and case.state == PreExamCase.State.SUBMITTED
    assert any(case.title in n.display_title for n in manager_user.notifications.all())


def test_pct_and_divisional_are_refused_at_step_one(client, org, applicant_user):
    register(org)
    resp = login(client, applicant_user).post(reverse("prescreen:case-create"),
                                              case_data(org, is_pct_national_phase="on", is_divisional="on"))
    body = resp.content.decode()
    assert resp.status_code == 400 and "PCT" in body and "分案申请不属于预审受理范围" in body
    assert not PreExamCase.objects.exists()


def test_bad_ipc_and_other_orgs_company_are_field_errors(client, org, other_org, applicant_user):
    resp = login(client, applicant_user).post(reverse("prescreen:case-create"),
                                              dict(case_data(org, ipc="XYZ"), organization=other_org.pk))
    body = resp.content.decode()
    assert resp.status_code == 400 and "IPC 分类号格式不正确" in body and "organization" in body
    assert not PreExamCase.objects.exists()


def test_renamed_executable_is_rejected_and_nothing_stored(client, org, applicant_user):
    case = draft(org, applicant_user, files={})
    fake = SimpleUploadedFile("权利要求书.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    resp = login(client, applicant_user).post(reverse("prescreen:case-documents", args=[case.pk]), {"claims": fake})
    assert resp.status_code == 400 and "实际内容不是允许的类型" in resp.content.decode()
    assert not attachments_of(case).exists()


def test_missing_document_blocks_submission_on_the_page(client, org, applicant_user):
    register(org)
    files = dict(_files())
    del files["claims"]
    case = draft(org, applicant_user, files=files)
    resp = login(client, applicant_user).post(reverse("prescreen:case-review", args=[case.pk]))
    assert resp.status_code == 400 and "权利要求" in resp.content.decode()
    case.refresh_from_db()
    assert case.state == PreExamCase.State.DRAFT


def test_quota_reached_is_a_clear_message(client, org, applicant_user):
    from prescreen.models import PrescreenSettings

    register(org)
    PrescreenSettings.objects.update(quota_minimum=1)
    for _ in range(1):
        services.submit_case(draft(org, applicant_user, files=_files()), applicant_user)
    case = draft(org, applicant_user, files=_files())
    resp = login(client, applicant_user).post(reverse("prescreen:case-review", args=[case.pk]))
    assert resp.status_code == 400 and "年度预审配额" in resp.content.decode()


# ---- the whole round trip through the pages ------------------------------------------------

def test_round_trip_through_the_pages(client, org, applicant_user, manager_user, django_capture_on_commit_callbacks):
    register(org)
    examiner = factories.examiner(("new-materials",))
    case = services.submit_case(draft(org, applicant_user, files=_files()), applicant_user)

    login(client, manager_user).post(reverse("prescreen:case-action", args=[case.pk, "accept"]))
    case.refresh_from_db()
    assert case.state == PreExamCase.State.ACCEPTED and case.number

    login(client, examiner)
    assert case.number in client.get(reverse("prescreen:queue")).content.decode()
    resp = client.post(reverse("prescreen:claim-next"))
    assert resp.status_code == 302 and resp.url == case.get_absolute_url()
    resp = client.post(reverse("prescreen:case-action", args=[case.pk, "opinion"]))
    opinion = Opinion.objects.get(case=case)
    assert resp.url == opinion.get_absolute_url()
    url = opinion.get_absolute_url()
    bad = client.post(url, {"action": "add_item", "defect_type": "", "location": "", "text": ""})
    assert bad.status_code == 400 and "该字段是必填项" in bad.content.decode(), bad.content.decode()[-3000:]
    client.post(url, {"action": "add_item", "defect_type": DefectType.objects.get(code="unclear-claim").pk,
                      "location": "权利要求 2", "text": "“所述支耳”缺乏引用基础", "suggestion": "在权利要求1中引入支耳"})
    assert opinion.items.count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # the letter's job runs at commit (eager Celery)
        client.post(url, {"action": "submit", "conclusion": "needs_correction", "reasons": ""})
    opinion.refresh_from_db()
    case.refresh_from_db()
    assert opinion.state == Opinion.State.ISSUED and case.state == PreExamCase.State.NEEDS_CORRECTION

    # the applicant sees the issued opinion and its letter, and answers with a new claims version
    login(client, applicant_user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "所述支耳" in page and "提交补正" in page
    letter = client.get(reverse("prescreen:opinion-letter", args=[opinion.pk]))
    assert letter.status_code == 302
    bad = client.post(reverse("prescreen:case-correction", args=[case.pk]), {"note": ""})
    assert bad.status_code == 400
    corrected = SimpleUploadedFile("权利要求书（修改）.pdf", builders.pdf_bytes(builders.CLAIMS))
    client.post(reverse("prescreen:case-correction", args=[case.pk]), {"note": "已修改权利要求2", "claims": corrected})
    case.refresh_from_db()
    assert case.state == PreExamCase.State.EXAMINING
    claims = [a for a in attachments_of(case) if a.label == "claims"]
    assert len(claims) == 1 and claims[0].version == 2

    # the examiner qualifies in round 2
    login(client, examiner)
    client.post(reverse("prescreen:case-action", args=[case.pk, "opinion"]))
    second = Opinion.objects.get(case=case, round=2)
    client.post(second.get_absolute_url(), {"action": "submit", "conclusion": "qualified"})
    case.refresh_from_db()
    assert case.state == PreExamCase.State.QUALIFIED

    # CNIPA: a bad number is a field error, a good one closes the filing window; then the grant
    login(client, applicant_user)
    today = timezone.localdate()
    bad = client.post(reverse("prescreen:case-cnipa-filing", args=[case.pk]),
                      {"application_number": "202510123456.0", "filed_on": today.isoformat()})
    assert bad.status_code == 400 and "校验位" in bad.content.decode()
    number = make_application_number(today.year, 1, 123456)
    client.post(reverse("prescreen:case-cnipa-filing", args=[case.pk]),
                {"application_number": number, "filed_on": today.isoformat()})
    case.refresh_from_db()
    assert case.cnipa_application_number == number
    window = Deadline.objects.get(content_type=ContentType.objects.get_for_model(PreExamCase), object_id=case.pk,
                                  kind=services.CNIPA_FILING)
    assert window.state == Deadline.State.MET
    client.post(reverse("prescreen:case-cnipa-outcome", args=[case.pk]),
                {"outcome": "grant", "outcome_date": today.isoformat(), "reasons": ""})
    case.refresh_from_db()
    assert case.cnipa_outcome == PreExamCase.CnipaOutcome.GRANT
    assert TimelineEvent.objects.for_object(case).filter(action="prescreen.preexamcase.cnipa_outcome").exists()


def test_opinion_letter_pdf_has_the_chinese_defect_text(org, applicant_user, django_capture_on_commit_callbacks):
    register(org)
    examiner = factories.examiner(("new-materials",))
    case = services.submit_case(draft(org, applicant_user, files=_files()), applicant_user)
    services.accept_case(case, factories.manager())
    case = services.claim_next(examiner)
    opinion = services.start_opinion(case, examiner)
    services.add_defect_item(opinion, examiner, defect_type=DefectType.objects.get(code="unclear-claim"),
                             location="权利要求 2", text="所述支耳缺乏引用基础", suggestion="在权利要求1中引入支耳")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_opinion(opinion, examiner, conclusion="needs_correction")
    letters = Attachment.objects.filter(purpose=services.LETTER_PURPOSE, object_id=opinion.pk)
    assert letters.count() == 1  # made once by the task queued on commit (eager in tests)
    assert services.opinion_letter(opinion).pk == letters.get().pk  # idempotent
    with letters.get().file.open("rb") as fh:
        text = subprocess.run(["pdftotext", "-", "-"], input=fh.read(), capture_output=True, check=True).stdout
    text = text.decode()
    assert "专利预审意见通知书" in text and "所述支耳缺乏引用基础" in text and case.number in text


# ---- access --------------------------------------------------------------------------------

def _issued_case(org, applicant_user):
    register(org)
    examiner = factories.examiner(("new-materials",))
    case = services.submit_case(draft(org, applicant_user, files=_files()), applicant_user)
    services.accept_case(case, factories.manager())
    case = services.claim_next(examiner)
    opinion = services.start_opinion(case, examiner)
    services.add_defect_item(opinion, examiner, defect_type=DefectType.objects.get(code="formal"),
                             location="摘要", text="摘要过长")
    services.submit_opinion(opinion, examiner, conclusion="needs_correction")
    case.refresh_from_db()
    return case, opinion, examiner


def _record_urls(case, opinion, reg):
    return [case.get_absolute_url(), reverse("prescreen:case-edit", args=[case.pk]),
            reverse("prescreen:case-documents", args=[case.pk]), reverse("prescreen:case-review", args=[case.pk]),
            opinion.get_absolute_url(), reverse("prescreen:opinion-letter", args=[opinion.pk]),
            reg.get_absolute_url()]


def test_other_company_unrelated_agency_and_examiner_outside_field_get_404(client, org, applicant_user,
                                                                           other_applicant):
    case, opinion, _examiner = _issued_case(org, applicant_user)
    reg = Registration.objects.get(organization=org)
    outsiders = [other_applicant, factories.agency_user(), factories.examiner(("biology",))]
    for user in outsiders:
        login(client, user)
        for url in _record_urls(case, opinion, reg):
            if user.has_role("examiner") and url == reg.get_absolute_url():
                continue  # examiners may read registrations (they check the entity)
            assert client.get(url).status_code == 404, (user, url)
        for action in ("accept", "withdraw", "opinion"):
            assert client.post(reverse("prescreen:case-action", args=[case.pk, action])).status_code == 404
        assert client.post(reverse("prescreen:case-correction", args=[case.pk]), {"note": "x"}).status_code == 404
        assert case.number not in client.get(reverse("prescreen:case-list")).content.decode()


def test_agency_sees_its_clients_cases_only(client, org, applicant_user):
    case, opinion, _examiner = _issued_case(org, applicant_user)
    agency = factories.agency_user(clients=[org])
    login(client, agency)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(opinion.get_absolute_url()).status_code == 200


def test_applicant_never_sees_a_draft_opinion(client, org, applicant_user):
    case, _issued, examiner = _issued_case(org, applicant_user)
    services.submit_correction(case, applicant_user, {"claims": SimpleUploadedFile(
        "c.pdf", builders.pdf_bytes(builders.CLAIMS))}, note="改")
    second = services.start_opinion(case, examiner)
    services.add_defect_item(second, examiner, defect_type=DefectType.objects.get(code="formal"),
                             location="权利要求 1", text="内部草稿文字")
    login(client, applicant_user)
    assert client.get(second.get_absolute_url()).status_code == 404
    assert "内部草稿文字" not in client.get(case.get_absolute_url()).content.decode()


def test_only_the_author_edits_an_opinion(client, org, applicant_user):
    case, _issued, examiner = _issued_case(org, applicant_user)
    services.submit_correction(case, applicant_user, {"claims": SimpleUploadedFile(
        "c.pdf", builders.pdf_bytes(builders.CLAIMS))}, note="改")
    second = services.start_opinion(case, examiner)
    colleague = factories.examiner(("new-materials",))
    login(client, colleague)
    client.post(second.get_absolute_url(), {"action": "add_item", "defect_type": DefectType.objects.first().pk,
                                            "location": "x", "text": "y"})
    assert second.items.count() == 0


def test_queue_is_for_examiners_and_workload_for_managers(client, applicant_user, examiner_user, manager_user):
    assert login(client, applicant_user).get(reverse("prescreen:queue")).status_code == 403
    assert login(client, examiner_user).get(reverse("prescreen:workload")).status_code == 403
    assert login(client, manager_user).get(reverse("prescreen:workload")).status_code == 200


@pytest.mark.parametrize("name", ["prescreen:index", "prescreen:case-list", "prescreen:registration-list"])
def test_every_role_can_open_the_overview_pages(client, name, applicant_user, examiner_user, manager_user,
                                                station_user):
    for user in (applicant_user, examiner_user, manager_user, station_user):
        assert login(client, user).get(reverse(name)).status_code == 200


# ---- query counts --------------------------------------------------------------------------

def _bulk_cases(org, user, n, **kw):
    field = factories.field("new-materials")
    PreExamCase.objects.bulk_create([
        PreExamCase(organization=org, filed_by=user, title=f"案件{i}", technical_field=field, applicants=org.name,
                    inventors="张三", state=PreExamCase.State.ACCEPTED, number=f"YS2026{i:05d}",
                    accepted_at=timezone.now(), **kw) for i in range(n)])


def _queries(client, url):
    client.get(url)  # warm: the filter bar's pick lists are cached after the first page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_queue_queries_do_not_grow_with_rows(client, org, applicant_user, manager_user):
    examiner = factories.examiner(("new-materials",))
    _bulk_cases(org, applicant_user, 3)
    login(client, manager_user)
    few_list = _queries(client, reverse("prescreen:case-list"))
    login(client, examiner)
    few_queue = _queries(client, reverse("prescreen:queue"))
    PreExamCase.objects.all().delete()
    _bulk_cases(org, applicant_user, 30)
    login(client, manager_user)
    assert _queries(client, reverse("prescreen:case-list")) == few_list
    login(client, examiner)
    assert _queries(client, reverse("prescreen:queue")) == few_queue
    xlsx = client.get(reverse("prescreen:queue") + "?export=xlsx")
    assert xlsx.status_code == 200


def test_dashboard_figures_match_hand_counts(client, org, applicant_user, manager_user):
    from prescreen.stats import figures

    field = factories.field("new-materials")
    now = timezone.now()
    common = dict(organization=org, filed_by=applicant_user, technical_field=field, applicants="甲", inventors="乙",
                  accepted_at=now - datetime.timedelta(days=10), concluded_at=now - datetime.timedelta(days=4))
    PreExamCase.objects.create(title="一", state="qualified", cnipa_outcome="grant", **common)
    PreExamCase.objects.create(title="二", state="qualified", cnipa_outcome="rejection", **common)
    PreExamCase.objects.create(title="三", state="qualified", **common)
    PreExamCase.objects.create(title="四", state="unqualified", **common)
    data = figures()
    assert data["accepted"] == 4 and data["qualified_rate"] == 75.0 and data["grant_rate"] == 50.0
    assert data["avg_days"] == 6.0
    assert sum(n for _m, n in data["months"]) == 4
    page = login(client, manager_user).get(reverse("stats:dashboard"))
    assert page.status_code == 200 and 'data-testid="prescreen-stats"' in page.content.decode()


def test_my_cases_fragment_lists_the_examiners_own_work(client, org, applicant_user, manager_user):
    register(org)
    examiner = factories.examiner(("new-materials",))
    case = services.submit_case(draft(org, applicant_user, files=_files()), applicant_user)
    services.accept_case(case, manager_user)
    services.claim_next(examiner)
    assert case.title in login(client, examiner).get(reverse("prescreen:my-cases")).content.decode()
    assert login(client, applicant_user).get(reverse("prescreen:my-cases")).status_code == 403
