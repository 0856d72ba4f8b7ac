"""The generic create and action views (``ipcenter.generic.ObjectCreateView`` /
``ObjectActionView``): a bad POST re-renders the form (or the record's own detail page) with
status 400 and the error under its field, and changes nothing; another organisation's or
station's record is a 404; the forms a record page offers follow its workflow."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipcenter.accounts import roles
from ipcenter.files.models import Attachment
from ipcenter.workflow.models import TimelineEvent
from prescreen.models import PreExamCase, Registration
from rightsaid import services as ra
from rightsaid.mediation.models import Dispute
from rightsaid.models import AssistanceCase, Consultation, Exhibition, ExhibitionComplaint, Referral
from tests import factories
from tests.conftest import login
from tests.rightsaid import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def two_bad_files():
    return [SimpleUploadedFile("营业执照.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("假的证书.pdf", b"plain text, not a PDF", "application/pdf"),
            SimpleUploadedFile("程序.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/octet-stream")]


def assert_names_both_bad_files(errors):
    assert any("假的证书.pdf" in e for e in errors), errors
    assert any("程序.exe" in e for e in errors), errors
    assert not any("营业执照.pdf" in e for e in errors), errors


def events(obj):
    return TimelineEvent.objects.for_object(obj).count()


# ---- create views --------------------------------------------------------------------------

def test_consultation_create_without_topic_is_400_under_the_field_and_creates_nothing(client):
    login(client, f.worker("hohhot"))
    r = client.post(reverse("rightsaid:consultation-create"), {
        "channel": "12330", "topic": "", "ip_type": "patent", "requester_name": "张三", "question": "怎么办？",
        "duration_minutes": "10", "station": factories.station("hohhot").pk})
    assert r.status_code == 400
    assert "topic" in r.context["form"].errors
    assert "登记咨询" in r.content.decode()  # the same form page, titled
    assert not Consultation.objects.exists()


def test_a_service_field_error_lands_under_its_field_on_case_intake(client):
    """The form accepts an overseas case without a country; the service refuses it: the
    message is under 国家/地区, not a banner, and no case or number is used."""
    login(client, f.worker("hohhot"))
    r = client.post(reverse("rightsaid:case-create"), {
        "kind": "overseas", "case_type": "patent_infringement", "channel": "walk_in", "title": "海外展会被诉",
        "description": "说明", "requester_name": "王五", "station": factories.station("hohhot").pk})
    assert r.status_code == 400
    form = r.context["form"]
    assert "country" in form.errors and not form.non_field_errors()
    assert not AssistanceCase.objects.exists()


def test_case_intake_success_redirects_to_the_case_with_its_evidence_stored_by_the_service(client):
    login(client, f.worker("hohhot"))
    r = client.post(reverse("rightsaid:case-create"), {
        "kind": "assistance", "case_type": "patent_infringement", "channel": "walk_in", "title": "展会侵权",
        "description": "说明", "requester_name": "王五", "station": factories.station("hohhot").pk,
        "evidence_files": [SimpleUploadedFile("证据.pdf", PDF, "application/pdf")]})
    case = AssistanceCase.objects.get()
    assert r.status_code == 302 and r["Location"] == case.get_absolute_url()
    assert [a.original_name for a in Attachment.objects.filter(object_id=case.pk)] == ["证据.pdf"]


def test_online_request_with_two_bad_files_names_both_under_the_evidence_field(client):
    login(client, factories.applicant())
    r = client.post(reverse("rightsaid:request"), {
        "kind": "assistance", "case_type": "trademark_infringement", "title": "网店售假", "description": "见附件",
        "requester_name": "李四", "station": factories.station("hohhot").pk, "evidence_files": two_bad_files()})
    assert r.status_code == 400
    assert_names_both_bad_files(r.context["form"].errors["evidence_files"])
    assert not AssistanceCase.objects.exists() and not Attachment.objects.exists()


def test_exhibition_create_with_reversed_dates_is_400_and_creates_nothing(client):
    login(client, f.worker("hohhot"))
    r = client.post(reverse("rightsaid:exhibition-create"), {
        "name": "博览会", "venue": "会展中心", "start_date": "2026-05-10", "end_date": "2026-05-01",
        "station": factories.station("hohhot").pk})
    assert r.status_code == 400
    assert "end_date" in r.context["form"].errors
    assert not Exhibition.objects.exists()


def test_dispute_create_without_subject_is_400_and_creates_nothing(client):
    login(client, factories.staff(roles.MEDIATOR, "mediation"))
    r = client.post(reverse("mediation:create"), {"subject": "", "ip_type": "trademark"})
    assert r.status_code == 400
    assert "subject" in r.context["form"].errors
    assert not Dispute.objects.exists()


def test_registration_with_two_bad_documents_names_both_under_the_documents_field(client, org, applicant_user):
    login(client, applicant_user)
    r = client.post(reverse("prescreen:registration-create"), {
        "technical_fields": [factories.field("new-materials").pk], "registered_in_region": "on",
        "established_on": "2015-03-01", "insured_staff": "40", "invention_patents": "3",
        "utility_design_patents": "1", "contact_name": "王经理", "contact_phone": "0471-6543210",
        "documents": two_bad_files()})
    assert r.status_code == 400
    assert_names_both_bad_files(r.context["form"].errors["documents"])
    assert not Registration.objects.exists() and not Attachment.objects.exists()


def test_case_create_without_title_is_400_and_creates_no_draft(client):
    _, filer = factories.registered_org()
    login(client, filer)
    r = client.post(reverse("prescreen:case-create"), {"title": "", "patent_type": "invention"})
    assert r.status_code == 400
    assert "title" in r.context["form"].errors
    assert not PreExamCase.objects.exists()


def test_a_replayed_create_post_reaches_the_first_record_instead_of_making_a_second(client):
    from ipcenter.submit_once import new_token

    login(client, f.worker("hohhot"))
    data = {"channel": "12330", "topic": "取证", "ip_type": "patent", "requester_name": "张三", "question": "？",
            "duration_minutes": "10", "station": factories.station("hohhot").pk, "_once": new_token()}
    first = client.post(reverse("rightsaid:consultation-create"), data)
    second = client.post(reverse("rightsaid:consultation-create"), data)
    assert Consultation.objects.count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]


# ---- action views: the record's detail page with the bound form ------------------------------

def handling_case(worker):
    case = f.case(worker)
    ra.accept_case(case, worker)
    ra.start_handling(case, worker)
    case.refresh_from_db()
    return case


def test_a_bad_referral_re_renders_the_case_page_with_the_error_under_the_field(client):
    worker = f.worker("hohhot")
    case = handling_case(worker)
    before = events(case)
    login(client, worker)
    r = client.post(reverse("rightsaid:case-refer", args=[case.pk]), {"authority": "nowhere"})
    assert r.status_code == 400
    page = r.content.decode()
    assert case.number in page and case.title in page  # the case's own page
    assert "authority" in r.context["referral_form"].errors
    assert 'id="id_authority_error"' in page
    case.refresh_from_db()
    assert case.state == AssistanceCase.State.HANDLING and events(case) == before
    assert not Referral.objects.exists()


def test_a_transfer_refused_by_the_service_shows_under_the_station_field(client):
    worker = f.worker("hohhot")
    case = handling_case(worker)
    closed = factories.station("baotou")
    closed.active = False
    closed.save(update_fields=["active"])
    login(client, worker)
    r = client.post(reverse("rightsaid:case-transfer", args=[case.pk]), {"station": closed.pk, "reason": "管辖"})
    assert r.status_code == 400
    assert "station" in r.context["transfer_form"].errors
    case.refresh_from_db()
    assert case.station.code == "hohhot"


def test_evidence_with_a_bad_file_stays_on_the_case_page_and_adds_nothing(client):
    worker = f.worker("hohhot")
    case = handling_case(worker)
    login(client, worker)
    r = client.post(reverse("rightsaid:case-evidence", args=[case.pk]), {
        "description": "公证书", "file": SimpleUploadedFile("公证书.pdf", b"no pdf", "application/pdf")})
    assert r.status_code == 400
    assert any("公证书.pdf" in e for e in r.context["evidence_form"].errors["file"])
    assert not case.evidence_items.exists() and not Attachment.objects.exists()


def test_empty_feedback_is_shown_under_its_own_referral(client):
    worker = f.worker("hohhot")
    case = handling_case(worker)
    first = ra.refer_case(case, worker, authority="market_regulator", note="一")
    login(client, worker)
    r = client.post(reverse("rightsaid:referral-feedback", args=[first.pk]), {"feedback": ""})
    assert r.status_code == 400
    rows = dict((ref.pk, form) for ref, form in r.context["referral_rows"])
    assert rows[first.pk].errors["feedback"]
    assert f'id="referral{first.pk}_feedback_error"' in r.content.decode()
    first.refresh_from_db()
    assert first.feedback_at is None


def test_a_bad_complaint_decision_re_renders_the_complaint_page(client):
    worker = f.worker("hohhot")
    ex = f.exhibition("hohhot")
    complaint = ra.file_exhibition_complaint(worker, exhibition=ex, complainant="甲", respondent="某公司",
                                             booth="A1", ip_type="patent", description="侵权")
    login(client, worker)
    r = client.post(reverse("rightsaid:complaint-decide", args=[complaint.pk]), {"outcome": "", "comment": ""})
    assert r.status_code == 400
    assert "某公司" in r.content.decode() and "outcome" in r.context["decide_form"].errors
    complaint.refresh_from_db()
    assert complaint.state == ExhibitionComplaint.State.OPEN


def test_a_refusal_without_reason_re_renders_the_prescreen_case_page(client):
    manager = factories.manager()
    case = factories.case_in(PreExamCase.State.SUBMITTED, manager_user=manager)
    login(client, manager)
    r = client.post(reverse("prescreen:case-action", args=[case.pk, "refuse"]), {"reason": ""})
    assert r.status_code == 400
    assert case.title in r.content.decode()
    assert "reason" in r.context["refuse_form"].errors
    case.refresh_from_db()
    assert case.state == PreExamCase.State.SUBMITTED


def qualified_case(**kw):
    factories.examiner(fields=("new-materials",))  # a colleague for the peer check
    return factories.case_in(PreExamCase.State.QUALIFIED, **kw)


def test_a_bad_application_number_from_the_service_sits_under_its_field(client):
    _, filer = factories.registered_org()
    case = qualified_case(filer=filer)
    login(client, filer)
    r = client.post(reverse("prescreen:case-cnipa-filing", args=[case.pk]), {
        "application_number": "2025 1 0123456.0", "filed_on": datetime.date.today().isoformat()})
    assert r.status_code == 400
    assert "application_number" in r.context["filing_form"].errors
    case.refresh_from_db()
    assert case.cnipa_application_number == ""


def test_a_dispute_withdrawal_without_reason_re_renders_the_dispute_page(client):
    from tests.rightsaid.test_mediation import new_dispute

    mediator = factories.staff(roles.MEDIATOR, "mediation")
    dispute = new_dispute(mediator)
    login(client, mediator)
    r = client.post(reverse("mediation:action", args=[dispute.pk, "withdraw"]), {"withdraw-comment": ""})
    assert r.status_code == 400
    assert dispute.number in r.content.decode()
    assert "comment" in r.context["step_forms"]["withdraw"].errors
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.REGISTERED


def test_an_unknown_named_action_is_404(client):
    manager = factories.manager()
    case = factories.case_in(PreExamCase.State.SUBMITTED, manager_user=manager)
    login(client, manager)
    assert client.post(reverse("prescreen:case-action", args=[case.pk, "explode"])).status_code == 404


# ---- another's record ----------------------------------------------------------------------

def test_another_stations_case_is_404_for_every_rights_action(client):
    case = handling_case(f.worker("hohhot"))
    login(client, f.worker("baotou"))
    for name, data in [("case-refer", {"authority": "court"}), ("case-close", {"outcome": "resolved"}),
                       ("case-evidence", {"description": "x"}), ("case-transfer", {"station": case.station_id}),
                       ("case-opinion", {"summary": "x"})]:
        assert client.post(reverse(f"rightsaid:{name}", args=[case.pk]), data).status_code == 404, name
    case.refresh_from_db()
    assert case.state == AssistanceCase.State.HANDLING and not case.evidence_items.exists()


def test_another_organisations_case_is_404_for_the_applicants_forms(client):
    case = qualified_case()
    _, outsider = factories.registered_org()
    login(client, outsider)
    r = client.post(reverse("prescreen:case-cnipa-filing", args=[case.pk]), {
        "application_number": "2025 1 0123456.7", "filed_on": datetime.date.today().isoformat()})
    assert r.status_code == 404
    assert client.post(reverse("prescreen:case-action", args=[case.pk, "withdraw"]),
                       {"reason": "不要了"}).status_code == 404
    case.refresh_from_db()
    assert case.state == PreExamCase.State.QUALIFIED and case.cnipa_application_number == ""


# ---- the forms a page offers come from the workflow ----------------------------------------

def test_the_case_page_offers_referral_and_closing_only_where_the_workflow_allows(client):
    worker = f.worker("hohhot")
    case = f.case(worker)
    login(client, worker)
    intake = client.get(case.get_absolute_url()).context
    assert "referral_form" not in intake and "close_form" not in intake  # not yet accepted
    ra.accept_case(case, worker)
    accepted = client.get(case.get_absolute_url()).context
    assert "referral_form" in accepted and "close_form" in accepted
    ra.close_case(case, worker, outcome="resolved")
    closed = client.get(case.get_absolute_url()).context
    assert not any(k in closed for k in ("referral_form", "close_form", "evidence_form", "transfer_form"))


# ---- files are stored by services, all or none ----------------------------------------------

def test_event_materials_with_one_bad_file_store_none(client):
    from django.utils import timezone

    from ipcenter.files.services import attachments_of
    from outreach.models import Event
    from outreach.services import save_event

    staff = factories.staff(roles.OUTREACH_STAFF, "centre")
    start = timezone.now() + datetime.timedelta(days=7)
    event = save_event(Event(title="专利预审政策培训", station=factories.station("baotou"), capacity=10,
                             starts_at=start, ends_at=start + datetime.timedelta(hours=3), hours=3,
                             venue="包头市知识产权服务中心", published=True), staff)
    login(client, staff)
    r = client.post(f"/outreach/events/{event.pk}/materials/", {"files": [
        SimpleUploadedFile("课件.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("病毒.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/octet-stream")]}, follow=True)
    assert "病毒.exe" in r.content.decode()
    assert not attachments_of(event).exists()  # the good file is not kept beside the refused one


def test_a_bad_defect_item_re_renders_the_opinion_page_with_the_error_under_its_field(client):
    examiner = factories.examiner(fields=("new-materials",))
    case = factories.case_in(PreExamCase.State.EXAMINING, examiner_user=examiner)
    from prescreen import services as ps

    opinion = ps.start_opinion(case, examiner)
    login(client, examiner)
    r = client.post(opinion.get_absolute_url(), {"action": "add_item", "location": "权利要求 1", "text": ""})
    assert r.status_code == 400
    assert case.title in r.content.decode()
    assert "text" in r.context["item_form"].errors and "defect_type" in r.context["item_form"].errors
    assert not opinion.items.exists()


def test_a_bad_sample_re_renders_the_quality_start_page_with_the_error_under_its_field(client):
    from prescreen.quality.models import Sample

    qc = factories.staff(roles.QC_REVIEWER, "centre")
    login(client, qc)
    r = client.post(reverse("quality:sample-create"), {
        "level": "department", "period_start": "2026-03-01", "period_end": "2026-01-01"})
    assert r.status_code == 400
    assert "period_end" in r.context["sample_form"].errors
    assert "to_do" in r.context  # the start page's own context, built by its own view
    assert not Sample.objects.exists()
