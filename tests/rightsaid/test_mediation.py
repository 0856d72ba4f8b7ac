"""People's mediation: consents before start, one extension, the agreement PDF and its public
verification, the judicial-confirmation reminder sent once, station scoping (pages and API),
bad input (400, Chinese errors, nothing changed), filters shared by list and API, the seed."""
import datetime
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.deadlines.models import Deadline, DeadlineReminder
from ipcenter.deadlines.services import sweep
from ipcenter.notify.models import Notification
from ipcenter.workflow.engine import TransitionNotAllowed
from rightsaid.mediation import services
from rightsaid.mediation.models import Agreement, Dispute, Extension, JudicialConfirmation, Party, MediationSession
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

APPLICANT, RESPONDENT = "呼和浩特草原乳品有限公司", "包头市鹿城食品贸易商行"
API = "/api/v1/rightsaid/mediation/disputes/"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def mediator(db):
    return factories.staff(roles.MEDIATOR, "mediation", display_name="陈调解")


def consent_file(name="同意调解书.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def new_dispute(user, station=None, applicant=APPLICANT, applicant_id=""):
    return services.create_dispute(user, subject="商标侵权纠纷", ip_type="trademark", station=station,
                                   description="被申请人销售带有近似商标的奶制品。", parties=[
                                       {"role": Party.Role.APPLICANT, "name": applicant, "id_number": applicant_id},
                                       {"role": Party.Role.RESPONDENT, "name": RESPONDENT}])


def in_mediation(mediator, **kw):
    dispute = new_dispute(mediator, **kw)
    for party in dispute.parties.all():
        services.record_consent(party, mediator, document=consent_file())
    dispute.refresh_from_db()
    services.assign_mediator(dispute, mediator, mediator, declaration="与各方无利害关系", confirmed=True)
    dispute.refresh_from_db()
    return services.start_mediation(dispute, mediator)


def with_agreement(mediator, **kw):
    dispute = in_mediation(mediator, **kw)
    services.log_session(dispute, mediator, held_on=timezone.localdate(), mode="onsite", place="调解室",
                         attendees=f"{APPLICANT}、{RESPONDENT}", notes="双方就赔偿金额达成一致。")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # the PDF job runs after commit
        agreement = services.reach_agreement(dispute, mediator, signed_on=timezone.localdate(),
                                             terms="一、被申请人停止销售涉案商品。\n二、被申请人赔偿申请人人民币三万元。")
    agreement.refresh_from_db()
    return agreement


def pdf_text(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


# --- consents and start ------------------------------------------------------------------------

def test_cannot_start_without_every_consent(mediator):
    dispute = new_dispute(mediator)
    first = dispute.parties.get(role=Party.Role.APPLICANT)
    services.record_consent(first, mediator, document=consent_file())
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.AWAITING_CONSENT
    services.assign_mediator(dispute, mediator, mediator, declaration="无利害关系", confirmed=True)
    dispute.refresh_from_db()
    with pytest.raises(TransitionNotAllowed) as err:
        services.start_mediation(dispute, mediator)
    assert RESPONDENT in str(err.value)
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.MEDIATOR_ASSIGNED and dispute.started_at is None
    last = dispute.parties.get(role=Party.Role.RESPONDENT)
    with pytest.raises(ValidationError) as err:
        services.record_consent(last, mediator, document=None)  # the signed form is required
    assert "同意调解书" in str(err.value)
    services.record_consent(last, mediator, document=consent_file())
    dispute.refresh_from_db()
    started = services.start_mediation(dispute, mediator)
    assert started.state == Dispute.State.IN_MEDIATION
    assert started.due_date == timezone.localdate() + datetime.timedelta(days=30)
    assert Deadline.objects.get(kind=services.TERM_KIND, object_id=dispute.pk).assignee == mediator


def test_start_button_without_consents_shows_the_missing_party_and_changes_nothing(client, mediator):
    dispute = new_dispute(mediator)
    services.record_consent(dispute.parties.get(role=Party.Role.APPLICANT), mediator, document=consent_file())
    dispute.refresh_from_db()
    services.assign_mediator(dispute, mediator, mediator, declaration="无利害关系", confirmed=True)
    login(client, mediator)
    page = client.post(reverse("mediation:action", args=[dispute.pk, "start"]), follow=True).content.decode()
    assert "尚未取得全部当事人的调解同意" in page and RESPONDENT in page
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.MEDIATOR_ASSIGNED


def test_a_dispute_needs_an_applicant_and_a_respondent(mediator):
    with pytest.raises(ValidationError) as err:
        services.create_dispute(mediator, subject="纠纷", ip_type="patent",
                                parties=[{"role": Party.Role.APPLICANT, "name": "甲公司"}])
    assert "至少需要一名申请人和一名被申请人" in str(err.value)
    with pytest.raises(ValidationError):
        services.create_dispute(mediator, subject="纠纷", ip_type="patent", parties=[
            {"role": Party.Role.APPLICANT, "name": "甲公司"}, {"role": Party.Role.RESPONDENT, "name": "甲公司"}])
    assert not Dispute.objects.exists()


def test_a_third_party_joins_only_before_the_mediator_and_must_consent_too(mediator):
    dispute = new_dispute(mediator)
    services.add_party(dispute, mediator, role=Party.Role.RESPONDENT, name="第三方经销商")
    for party in dispute.parties.exclude(name="第三方经销商"):
        services.record_consent(party, mediator, document=consent_file())
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.AWAITING_CONSENT  # two of three
    services.record_consent(dispute.parties.get(name="第三方经销商"), mediator, document=consent_file())
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.CONSENTED
    services.assign_mediator(dispute, mediator, mediator, declaration="无利害关系", confirmed=True)
    with pytest.raises(ValidationError) as err:
        services.add_party(dispute, mediator, role=Party.Role.APPLICANT, name="迟到的当事人")
    assert "不能再增加当事人" in str(err.value)
    assert dispute.parties.count() == 3


def test_conflict_of_interest_blocks_the_assignment(mediator):
    dispute = services.create_dispute(mediator, subject="专利纠纷", ip_type="patent", parties=[
        {"role": Party.Role.APPLICANT, "name": "陈调解"}, {"role": Party.Role.RESPONDENT, "name": "某公司"}])
    with pytest.raises(ValidationError) as err:
        services.assign_mediator(dispute, mediator, mediator, declaration="无", confirmed=True)
    assert "利益冲突" in str(err.value)
    not_in_pool = factories.staff(roles.STATION_STAFF, "baotou")
    with pytest.raises(ValidationError) as err:
        services.assign_mediator(dispute, mediator, not_in_pool, declaration="无", confirmed=True)
    assert "调解员名册" in str(err.value)
    dispute.refresh_from_db()
    assert dispute.mediator is None


# --- term --------------------------------------------------------------------------------------

def test_term_can_be_extended_once_with_a_reason(mediator):
    dispute = in_mediation(mediator)
    later = dispute.due_date + datetime.timedelta(days=10)
    with pytest.raises(ValidationError):
        services.extend_term(dispute, mediator, reason="", new_due_date=later)
    with pytest.raises(ValidationError) as err:
        services.extend_term(dispute, mediator, reason="补充证据", new_due_date=dispute.due_date + datetime.timedelta(days=31))
    assert "最多延长 30 天" in str(err.value)
    services.extend_term(dispute, mediator, reason="双方需要补充证据", new_due_date=later)
    dispute.refresh_from_db()
    assert dispute.due_date == later
    term = Deadline.objects.get(kind=services.TERM_KIND, object_id=dispute.pk, state=Deadline.State.OPEN)
    assert timezone.localdate(term.due_at) == later
    with pytest.raises(ValidationError) as err:
        services.extend_term(dispute, mediator, reason="再延一次", new_due_date=later + datetime.timedelta(days=5))
    assert "只能延长一次" in str(err.value)
    assert Extension.objects.filter(dispute=dispute).count() == 1
    dispute.refresh_from_db()
    assert dispute.due_date == later


def test_extension_form_is_gone_after_the_extension_and_a_second_post_is_refused(client, mediator):
    dispute = in_mediation(mediator)
    login(client, mediator)
    url = reverse("mediation:action", args=[dispute.pk, "extend"])
    new_due = (dispute.due_date + datetime.timedelta(days=7)).isoformat()
    assert client.post(url, {"extend-new_due_date": new_due, "extend-reason": "补充证据"}).status_code == 302
    assert 'data-testid="step-extend"' not in client.get(dispute.get_absolute_url()).content.decode()
    resp = client.post(url, {"extend-new_due_date": new_due, "extend-reason": "再延"})
    assert resp.status_code == 400 and "只能延长一次" in resp.content.decode()
    assert Extension.objects.count() == 1


# --- agreement, PDF and verification -------------------------------------------------------------

def test_agreement_pdf_names_the_parties_in_chinese(mediator):
    agreement = with_agreement(mediator)
    with agreement.pdf.file.open("rb") as fh:
        text = pdf_text(fh.read())
    for expected in (APPLICANT, RESPONDENT, agreement.number, "人民调解协议书", "陈调解", "赔偿申请人人民币三万元",
                     timezone.localdate().strftime("%Y年").lstrip("0"), "一式 3 份", "30 日内"):
        assert expected in text, expected
    agreement.dispute.refresh_from_db()
    assert agreement.dispute.state == Dispute.State.AGREEMENT
    assert agreement.content_hash == agreement.compute_hash() and agreement.mediator_name == "陈调解"
    assert not Deadline.objects.filter(kind=services.TERM_KIND, state=Deadline.State.OPEN).exists()


def test_the_qr_code_encodes_the_public_verification_url(client, mediator, monkeypatch):
    import segno

    encoded = []
    real_make = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: encoded.append(content) or real_make(content, **kw))
    agreement = with_agreement(mediator)
    assert len(encoded) == 1 and encoded[0].endswith(agreement.get_verification_path())
    assert encoded[0] == services.public_verification_url(agreement)
    path = encoded[0][encoded[0].index("/rightsaid/"):]
    assert "核验通过" in client.get(path).content.decode()  # anonymous


def test_the_pdf_is_made_after_the_agreement_is_recorded_and_a_failed_render_can_be_retried(
        client, mediator, monkeypatch, django_capture_on_commit_callbacks):
    from ipcenter.reports.models import Job

    dispute = in_mediation(mediator)
    from django.db import connection

    depth_at_render, test_depth = [], len(connection.atomic_blocks)
    real_render = services.render_agreement_pdf

    def broken(agreement):
        depth_at_render.append(len(connection.atomic_blocks))
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr(services, "render_agreement_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.reach_agreement(dispute, mediator, terms="一、停止侵权。", signed_on=timezone.localdate())
    assert depth_at_render == [test_depth]  # rendered after the signing transaction, outside any lock
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.AGREEMENT and agreement.pdf is None  # the agreement stands
    assert Deadline.objects.filter(kind=services.CONFIRMATION_KIND).exists()
    job = Job.objects.for_target(agreement).get()
    assert job.status == Job.Status.FAILED and "WeasyPrint crashed" in job.error
    login(client, mediator)
    url = reverse("mediation:agreement-pdf", args=[dispute.pk])
    waiting = client.get(url)
    assert waiting.status_code == 202 and 'data-testid="generated-file-retry"' in waiting.content.decode()
    monkeypatch.setattr(services, "render_agreement_pdf", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    agreement.refresh_from_db()
    assert agreement.pdf is not None and client.get(url).url == reverse("files:download", args=[agreement.pdf_id])
    services.store_agreement_pdf(agreement, mediator)  # a second run attaches nothing new
    from ipcenter.files.models import Attachment

    assert Attachment.objects.filter(purpose=services.AGREEMENT_PURPOSE).count() == 1


def test_the_download_waits_while_the_pdf_job_is_queued(client, mediator):
    dispute = in_mediation(mediator)
    services.log_session(dispute, mediator, held_on=timezone.localdate(), mode="onsite", place="调解室",
                         attendees="双方", notes="达成一致。")
    agreement = services.reach_agreement(dispute, mediator, terms="一、停止侵权。", signed_on=timezone.localdate())
    assert agreement.pdf is None  # nothing committed yet: the job has not run
    login(client, mediator)
    page = client.get(reverse("mediation:agreement-pdf", args=[dispute.pk]))
    assert page.status_code == 202 and "生成中" in page.content.decode() and 'http-equiv="refresh"' in \
        page.content.decode()


def test_verification_page_confirms_genuine_and_rejects_tampered(client, mediator):
    agreement = with_agreement(mediator)
    url = agreement.get_verification_path()
    page = client.get(url)  # public: no login
    body = page.content.decode()
    assert page.status_code == 200 and "核验通过" in body and agreement.number in body
    for personal in (APPLICANT, RESPONDENT, "陈调解", agreement.terms[:8]):
        assert personal not in body  # no personal data
    wrong_hash = reverse("mediation:verify", args=[agreement.token, "0" * 16])
    assert "核验未通过" in client.get(wrong_hash).content.decode()
    short_prefix = reverse("mediation:verify", args=[agreement.token, agreement.content_hash[:1]])
    assert "核验未通过" in client.get(short_prefix).content.decode()
    assert client.get(reverse("mediation:verify", args=["no-such-token", agreement.hash_prefix])).status_code == 404
    with agreement.pdf.file.open("rb") as fh:
        original = fh.read()
    ok = client.post(url, {"file": SimpleUploadedFile("协议.pdf", original)})
    assert ok.status_code == 200 and "完全一致" in ok.content.decode()
    bad = client.post(url, {"file": SimpleUploadedFile("协议.pdf", original.replace(b"%%EOF", b"%%EOF "))})
    assert "不一致" in bad.content.decode()
    assert client.post(url, {}).status_code == 400
    Agreement.objects.filter(pk=agreement.pk).update(terms="被申请人赔偿申请人人民币三十万元。")  # altered record
    assert "核验未通过" in client.get(url).content.decode()


def test_renaming_the_mediator_does_not_break_verification(client, mediator):
    agreement = with_agreement(mediator)
    mediator.display_name = "陈调解员（已改名）"
    mediator.save()
    assert "核验通过" in client.get(agreement.get_verification_path()).content.decode()


def test_dispute_numbers_keep_counting_past_9999(mediator):
    from ipcenter.workflow.models import NumberSequence

    year = timezone.localdate().year
    first = new_dispute(mediator)
    assert first.number == f"蒙知调〔{year}〕0001"
    NumberSequence.objects.filter(key="mediation.dispute", year=year).update(last=9999)
    assert new_dispute(mediator, applicant="另一申请人").number == f"蒙知调〔{year}〕10000"


def test_the_first_number_of_a_year_continues_after_numbers_already_stored(mediator):
    from ipcenter.workflow.models import NumberSequence

    year = timezone.localdate().year
    d = new_dispute(mediator)
    Dispute.objects.filter(pk=d.pk).update(number=f"蒙知调〔{year}〕10000")
    NumberSequence.objects.filter(key="mediation.dispute").delete()
    assert services.mediation_number("蒙知调", Dispute) == f"蒙知调〔{year}〕10001"


# --- judicial confirmation -------------------------------------------------------------------------

def test_judicial_confirmation_reminder_is_sent_exactly_once(mediator):
    company = factories.OrganizationFactory(name=APPLICANT)
    company_user = factories.applicant(company)
    agreement = with_agreement(mediator, applicant_id=company.uscc)
    dispute = agreement.dispute
    assert dispute.parties.get(role=Party.Role.APPLICANT).organization == company  # linked by credit code
    deadlines = list(services.confirmation_deadlines(dispute))
    assert len(deadlines) == 2  # the mediator's and the registered company's
    due = deadlines[0].due_at
    assert timezone.localdate(due) == agreement.signed_on + datetime.timedelta(days=30)

    def reminders(user):
        return sum("司法确认" in n.display_title for n in Notification.objects.filter(recipient=user))

    two_days_before = due - datetime.timedelta(days=2)
    sweep(now=two_days_before)
    assert reminders(mediator) == 1 and reminders(company_user) == 1
    assert DeadlineReminder.objects.filter(deadline__in=deadlines).count() == 2
    sweep(now=two_days_before)
    sweep(now=two_days_before + datetime.timedelta(hours=1))
    assert reminders(mediator) == 1 and reminders(company_user) == 1
    company_link = Notification.objects.get(recipient=company_user).url
    assert company_link == agreement.get_verification_path()  # the one page of it a company may open

    services.record_confirmation(dispute, mediator, applied_on=timezone.localdate(), court="呼和浩特市中级人民法院",
                                 result="confirmed", decided_on=timezone.localdate())
    assert all(d.state == Deadline.State.MET for d in services.confirmation_deadlines(dispute))
    sweep(now=due + datetime.timedelta(days=3))  # no "due today"/"overdue" reminder after the result
    assert reminders(mediator) == 1 and reminders(company_user) == 1
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.CONFIRMED and dispute.confirmation.court == "呼和浩特市中级人民法院"


def test_confirmation_result_needs_a_ruling_date_and_a_court(client, mediator):
    agreement = with_agreement(mediator)
    login(client, mediator)
    resp = client.post(reverse("mediation:action", args=[agreement.dispute_id, "confirmation"]), {
        "confirmation-applied_on": timezone.localdate().isoformat(), "confirmation-court": "",
        "confirmation-result": "confirmed"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "该字段是必填项" in body
    resp = client.post(reverse("mediation:action", args=[agreement.dispute_id, "confirmation"]), {
        "confirmation-applied_on": timezone.localdate().isoformat(), "confirmation-court": "包头市中级人民法院",
        "confirmation-result": "confirmed"})
    assert resp.status_code == 400 and "请填写法院的裁定日期" in resp.content.decode()
    assert not JudicialConfirmation.objects.exists()
    assert Dispute.objects.get().state == Dispute.State.AGREEMENT


def test_failure_refers_the_parties(mediator):
    dispute = in_mediation(mediator)
    with pytest.raises(ValidationError):
        services.fail_mediation(dispute, mediator, referral="", note="分歧较大")
    services.fail_mediation(dispute, mediator, referral="arbitration", note="双方约定提交仲裁")
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.FAILED and dispute.get_referral_display() == "仲裁"
    assert not Deadline.objects.filter(kind=services.TERM_KIND, state=Deadline.State.OPEN).exists()


# --- access ----------------------------------------------------------------------------------------

def test_station_scoping_in_pages_and_api(client, mediator, applicant_user):
    baotou = factories.staff(roles.STATION_STAFF, "baotou")
    ordos = factories.staff(roles.STATION_STAFF, "ordos")
    dispute = new_dispute(baotou, station=factories.station("baotou"))
    url, api = dispute.get_absolute_url(), f"{API}{dispute.pk}/"
    assert login(client, baotou).get(url).status_code == 200
    assert client.get(api).status_code == 200
    assert login(client, factories.manager()).get(url).status_code == 200
    assert login(client, mediator).get(url).status_code == 404  # not assigned, other station
    for outsider in (ordos, applicant_user):
        login(client, outsider)
        assert client.get(url).status_code == 404
        assert client.get(api).status_code == 404
        assert client.post(reverse("mediation:action", args=[dispute.pk, "withdraw"]),
                           {"withdraw-comment": "x"}).status_code == 404
        assert client.post(f"{api}withdraw/", {"comment": "x"}).status_code == 404
        assert client.get(reverse("mediation:agreement-pdf", args=[dispute.pk])).status_code == 404
    listing = login(client, ordos).get(reverse("mediation:index")).content.decode()
    assert dispute.number not in listing
    assert client.get(API).json()["count"] == 0
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.REGISTERED


def test_assigned_mediator_sees_another_stations_dispute(client, mediator):
    baotou = factories.staff(roles.STATION_STAFF, "baotou")
    dispute = new_dispute(baotou, station=factories.station("baotou"))
    for p in dispute.parties.all():
        services.record_consent(p, baotou, document=consent_file())
    services.assign_mediator(dispute, baotou, mediator, declaration="无利害关系", confirmed=True)
    assert login(client, mediator).get(dispute.get_absolute_url()).status_code == 200
    assert Notification.objects.filter(recipient=mediator, title__contains="调解员").count() == 1


def test_a_party_company_reads_its_dispute_in_the_api_but_cannot_act_or_open_pages(client, mediator):
    company = factories.OrganizationFactory()
    user = factories.applicant(company)
    dispute = new_dispute(mediator, applicant=company.name, applicant_id=company.uscc)
    login(client, user)
    assert client.get(f"{API}{dispute.pk}/").json()["number"] == dispute.number
    assert client.get(dispute.get_absolute_url()).status_code == 404
    assert client.get(reverse("mediation:index")).status_code == 403
    assert client.post(f"{API}{dispute.pk}/withdraw/", {"comment": "不想调了"}).status_code == 403
    assert client.post(API, {}, content_type="application/json").status_code == 403
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.REGISTERED


# --- bad input -------------------------------------------------------------------------------------

def test_bad_input_is_400_with_chinese_errors_and_changes_nothing(client, mediator):
    login(client, mediator)
    resp = client.post(reverse("mediation:create"), {"subject": "", "ip_type": "trademark",
                                                     "applicant_name": "甲", "respondent_name": "甲"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "该字段是必填项" in body and "被申请人不能与申请人相同" in body
    resp = client.post(reverse("mediation:create"), {"subject": "纠纷", "ip_type": "no-such-type",
                                                     "station": factories.station("ordos").pk,
                                                     "applicant_name": "甲", "respondent_name": "乙"})
    assert resp.status_code == 400 and "选择一个有效的选项" in resp.content.decode()
    assert not Dispute.objects.exists()
    dispute = new_dispute(mediator)
    resp = client.post(reverse("mediation:action", args=[dispute.pk, "consent"]),
                       {"consent-party": dispute.parties.first().pk,
                        "consent-document": SimpleUploadedFile("同意书.pdf", b"MZ\x90\x00" + b"\x00" * 64)})
    assert resp.status_code == 400 and "实际内容不是允许的类型" in resp.content.decode()
    assert not dispute.parties.filter(consent_given_at__isnull=False).exists()
    resp = client.post(reverse("mediation:action", args=[dispute.pk, "assign"]),
                       {"assign-mediator": mediator.pk, "assign-declaration": ""})
    assert resp.status_code == 400 and "该字段是必填项" in resp.content.decode()  # declaration and confirmation
    dispute.refresh_from_db()
    assert dispute.mediator is None and dispute.state == Dispute.State.REGISTERED
    assert client.post(reverse("mediation:action", args=[dispute.pk, "no-such-step"]), {}).status_code == 404


def test_bad_session_and_agreement_input_is_refused_on_the_page(client, mediator):
    dispute = in_mediation(mediator)
    login(client, mediator)
    action = lambda step: reverse("mediation:action", args=[dispute.pk, step])  # noqa: E731
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    resp = client.post(action("session"), {"session-held_on": tomorrow, "session-mode": "onsite",
                                           "session-place": "", "session-attendees": "双方", "session-notes": "x"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "不能晚于今天" in body
    resp = client.post(action("session"), {"session-held_on": timezone.localdate().isoformat(),
                                           "session-mode": "onsite", "session-place": "",
                                           "session-attendees": "双方", "session-notes": "x"})
    assert resp.status_code == 400 and "现场调解请填写地点" in resp.content.decode()
    assert not MediationSession.objects.exists()
    resp = client.post(action("agreement"), {"agreement-terms": "", "agreement-signed_on": "2999-01-01"})
    assert resp.status_code == 400 and "该字段是必填项" in resp.content.decode()
    resp = client.post(action("agreement"), {"agreement-terms": "一、赔偿。", "agreement-signed_on": "2999-01-01"})
    assert resp.status_code == 400 and "不能晚于今天" in resp.content.decode()
    resp = client.post(action("agreement"), {"agreement-terms": "一、赔偿。", "agreement-signed_on": "不是日期"})
    assert resp.status_code == 400 and "输入一个有效的日期" in resp.content.decode()
    assert not Agreement.objects.exists()
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.IN_MEDIATION


def test_api_bad_input_is_400_with_chinese_field_errors(client, mediator):
    login(client, mediator)
    resp = client.post(API, {"subject": "", "ip_type": "trademark", "parties": []}, content_type="application/json")
    assert resp.status_code == 400 and "subject" in resp.json()
    resp = client.post(API, {"subject": "纠纷", "ip_type": "trademark",
                             "parties": [{"role": "applicant", "name": "甲"}]}, content_type="application/json")
    assert resp.status_code == 400 and "至少需要一名申请人和一名被申请人" in str(resp.json()["parties"])
    resp = client.post(API, {"subject": "纠纷", "ip_type": "trademark", "parties": [
        {"role": "judge", "name": "甲"}, {"role": "respondent", "name": "乙"}]}, content_type="application/json")
    assert resp.status_code == 400 and "不是合法选项" in str(resp.json()["parties"])
    assert not Dispute.objects.exists()
    dispute = in_mediation(mediator)
    resp = client.post(f"{API}{dispute.pk}/extend/", {"new_due_date": "x", "reason": ""},
                       content_type="application/json")
    errors = resp.json()
    assert resp.status_code == 400 and set(errors) == {"new_due_date", "reason"}
    assert "该字段不能为空" in str(errors["reason"])
    resp = client.post(f"{API}{dispute.pk}/agreement/", {"terms": "一、赔偿。", "signed_on": "2999-01-01"},
                       content_type="application/json")
    assert resp.status_code == 400 and "不能晚于今天" in str(resp.json()["signed_on"])
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.IN_MEDIATION and not Extension.objects.exists()


def test_the_whole_mediation_through_the_api(client, mediator):
    login(client, mediator)
    resp = client.post(API, {"subject": "专利许可费纠纷", "ip_type": "patent", "parties": [
        {"role": "applicant", "name": APPLICANT}, {"role": "respondent", "name": RESPONDENT, "contact": "0472-1"}]},
        content_type="application/json")
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    url = f"{API}{pk}/"
    assert client.post(f"{url}start/", {}).status_code == 400  # neither consent yet
    for party in resp.json()["parties"]:
        r = client.post(f"{url}consent/", {"party": party["id"], "document": consent_file()})
        assert r.status_code == 200, r.content
    assert client.post(f"{url}assign/", {"mediator": mediator.pk, "declaration": "无利害关系",
                                         "confirmed": True}, content_type="application/json").status_code == 200
    assert client.post(f"{url}start/", {}).json()["state"] == "in_mediation"
    r = client.post(f"{url}sessions/", {"held_on": timezone.localdate().isoformat(), "mode": "online",
                                        "attendees": "双方代表", "notes": "达成一致"}, content_type="application/json")
    assert r.status_code == 201 and len(r.json()["sessions"]) == 1
    r = client.post(f"{url}agreement/", {"terms": "一、被申请人支付许可费五万元。",
                                         "signed_on": timezone.localdate().isoformat()},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["agreement"]["number"].startswith("蒙知调协")
    r = client.post(f"{url}confirmation/", {"applied_on": timezone.localdate().isoformat(), "court": "包头市中级人民法院",
                                            "result": "withdrawn"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "confirmed"


# --- lists, filters, export ------------------------------------------------------------------------

def test_filters_are_shared_by_the_list_and_the_api(client, mediator):
    manager = factories.manager()
    overdue = in_mediation(mediator)
    baotou = new_dispute(factories.staff(roles.STATION_STAFF, "baotou"), station=factories.station("baotou"),
                         applicant="包头某公司")
    Dispute.objects.filter(pk=baotou.pk).update(ip_type="patent")
    sweep(now=timezone.now() + datetime.timedelta(days=40))  # the first dispute's term runs out
    login(client, manager)
    index = reverse("mediation:index")
    cases = {
        f"?overdue=1": {overdue.number}, "?overdue=0": {baotou.number},
        f"?station={factories.station('baotou').pk}": {baotou.number},
        f"?station={factories.station('centre').pk}": {overdue.number, baotou.number},
        "?state=in_mediation": {overdue.number}, "?ip_type=patent": {baotou.number},
        f"?mediator={mediator.pk}": {overdue.number},
        f"?created_after={timezone.localdate() + datetime.timedelta(days=1)}": set(),
        "?q=包头某公司": {baotou.number},
    }
    for query, expected in cases.items():
        api_numbers = {row["number"] for row in client.get(API + query).json()["results"]}
        assert api_numbers == expected, query
        page = client.get(index + query).content.decode()
        assert {n for n in (overdue.number, baotou.number) if n in page} == expected, query


def test_list_exports_xlsx_with_the_filtered_rows(client, mediator):
    import openpyxl

    a = in_mediation(mediator)
    b = new_dispute(mediator, applicant="另一申请人")
    login(client, mediator)
    resp = client.get(reverse("mediation:index") + "?export=xlsx&state=in_mediation")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert a.number in cells and b.number not in cells and "案号" in cells


def test_pages_render_for_a_mediator(client, mediator):
    dispute = in_mediation(mediator)
    login(client, mediator)
    assert client.get(reverse("mediation:index")).status_code == 200
    assert client.get(reverse("mediation:create")).status_code == 200
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="step-agreement"' in page and 'data-testid="step-extend"' in page
    assert 'data-testid="step-fail"' in page and 'data-testid="step-consent"' not in page
    home = client.get("/").content.decode()
    assert reverse("mediation:index") in home  # the nav bar links it
    assert 'data-testid="mediation-panel"' in home
    sweep(now=timezone.now() + datetime.timedelta(days=40))
    panel = client.get("/").content.decode().split('data-testid="mediation-panel"')[1].split("</div>\n</div>")[0]
    assert "?overdue=1" in panel and 'fs-3 fw-semibold">1</div><div class="small">调解超期' in panel


# --- demo data -------------------------------------------------------------------------------------

def test_seed_creates_disputes_in_several_states_once(mediator):
    from rightsaid.mediation.seed import seed

    dairy = factories.OrganizationFactory(name="内蒙古蒙乳乳业股份有限公司")
    ctx = {"users": {"mediator": mediator, "station": factories.staff(roles.STATION_STAFF, "baotou")},
           "orgs": {"dairy": dairy}, "stations": {}, "fields": {}, "stdout": io.StringIO()}
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # the agreement PDF job runs after commit
        seed(ctx)
    states = set(Dispute.objects.values_list("state", flat=True))
    assert {"registered", "awaiting_consent", "in_mediation", "agreement", "confirmed", "failed"} <= states
    agreement = Agreement.objects.get(dispute__state="agreement")
    assert agreement.pdf is not None and agreement.compute_hash() == agreement.content_hash
    assert agreement.dispute.parties.filter(organization=dairy).exists()
    assert Extension.objects.count() == 1
    assert Dispute.objects.filter(station__code="baotou").count() == 1
    count = Dispute.objects.count()
    seed(ctx)
    assert Dispute.objects.count() == count


def test_admin_shows_a_signed_agreement_read_only(client, mediator):
    agreement = with_agreement(mediator)
    admin_user = factories.UserFactory(is_staff=True, is_superuser=True)
    login(client, admin_user)
    url = reverse("admin:mediation_agreement_change", args=[agreement.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"terms": "改过的内容", "signed_on": "2020-01-01"})
    agreement.refresh_from_db()
    assert agreement.terms.startswith("一、被申请人停止销售") and agreement.compute_hash() == agreement.content_hash
    assert client.get(reverse("admin:mediation_agreement_add")).status_code == 403
    assert client.get(reverse("admin:mediation_mediationsettings_changelist"), follow=True).status_code == 200


def test_admin_freezes_a_signed_disputes_parties_and_record(client, mediator):
    agreement = with_agreement(mediator)
    dispute = agreement.dispute
    login(client, factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:mediation_dispute_change", args=[dispute.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="subject"' not in body and 'name="parties-0-name"' not in body
    party = dispute.parties.first()
    client.post(url, {"subject": "改过的事由", "parties-TOTAL_FORMS": "1", "parties-INITIAL_FORMS": "1",
                      "parties-0-id": party.pk, "parties-0-name": "改过的名字"})
    party.refresh_from_db()
    dispute.refresh_from_db()
    assert party.name != "改过的名字" and dispute.subject != "改过的事由"
    assert agreement.compute_hash() == agreement.content_hash
    assert client.post(reverse("admin:mediation_dispute_delete", args=[dispute.pk]), {"post": "yes"}).status_code == 403
    assert Dispute.objects.filter(pk=dispute.pk).exists()
