"""People's mediation: consents before start, one extension, the agreement PDF and its public
verification, the judicial-confirmation reminder sent once, station scoping, bad input."""
import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.deadlines.models import Deadline, DeadlineReminder as Reminder
from ipcenter.deadlines.services import sweep
from ipcenter.workflow.engine import TransitionNotAllowed
from rightsaid.mediation import services
from rightsaid.mediation.models import Agreement, Dispute, Extension, Party
from tests import factories
from tests.conftest import login
from tests.prescreen.fixtures import builders

pytestmark = pytest.mark.django_db

APPLICANT, RESPONDENT = "呼和浩特草原乳品有限公司", "包头市鹿城食品贸易商行"


@pytest.fixture
def mediator(db):
    return factories.staff(roles.MEDIATOR, "mediation", display_name="陈调解")


def consent_file(name="同意调解书.pdf"):
    return SimpleUploadedFile(name, builders.pdf_bytes(["同意调解书", "本人同意由人民调解组织调解本纠纷。"]))


def new_dispute(user, station=None):
    return services.create_dispute(user, subject="商标侵权纠纷", ip_type="trademark", station=station,
                                   description="被申请人销售带有近似商标的奶制品。", parties=[
                                       {"role": Party.Role.APPLICANT, "name": APPLICANT},
                                       {"role": Party.Role.RESPONDENT, "name": RESPONDENT}])


def in_mediation(mediator):
    dispute = new_dispute(mediator)
    for party in dispute.parties.all():
        services.record_consent(party, mediator, document=consent_file())
    dispute.refresh_from_db()
    services.assign_mediator(dispute, mediator, mediator, declaration="与各方无利害关系", confirmed=True)
    dispute.refresh_from_db()
    return services.start_mediation(dispute, mediator)


def test_cannot_start_without_every_consent(mediator):
    dispute = new_dispute(mediator)
    first = dispute.parties.first()
    services.record_consent(first, mediator, document=consent_file())
    dispute.refresh_from_db()
    services.assign_mediator(dispute, mediator, mediator, declaration="无利害关系", confirmed=True)
    dispute.refresh_from_db()
    with pytest.raises(TransitionNotAllowed) as err:
        services.start_mediation(dispute, mediator)
    assert RESPONDENT in str(err.value)
    with pytest.raises(ValidationError):
        services.record_consent(dispute.parties.last(), mediator, document=None)  # the signed form is required
    services.record_consent(dispute.parties.last(), mediator, document=consent_file())
    dispute.refresh_from_db()
    started = services.start_mediation(dispute, mediator)
    assert started.state == Dispute.State.IN_MEDIATION and started.due_date


def test_term_can_be_extended_once_with_a_reason(mediator):
    dispute = in_mediation(mediator)
    later = dispute.due_date + datetime.timedelta(days=10)
    with pytest.raises(ValidationError):
        services.extend_term(dispute, mediator, reason="", new_due_date=later)
    services.extend_term(dispute, mediator, reason="双方需要补充证据", new_due_date=later)
    dispute.refresh_from_db()
    assert dispute.due_date == later
    with pytest.raises(ValidationError) as err:
        services.extend_term(dispute, mediator, reason="再延一次", new_due_date=later + datetime.timedelta(days=5))
    assert "只能延长一次" in str(err.value)
    assert Extension.objects.filter(dispute=dispute).count() == 1


def _agreement(mediator):
    dispute = in_mediation(mediator)
    services.log_session(dispute, mediator, held_on=timezone.localdate(), mode="onsite", place="调解室",
                         attendees=f"{APPLICANT}、{RESPONDENT}", notes="双方就赔偿金额达成一致。")
    return services.reach_agreement(dispute, mediator, terms="一、被申请人停止销售涉案商品。\n二、被申请人赔偿申请人人民币三万元。",
                                    signed_on=timezone.localdate())


def test_agreement_pdf_names_the_parties_in_chinese(mediator):
    agreement = _agreement(mediator)
    with agreement.pdf.file.open("rb") as fh:
        text = subprocess.run(["pdftotext", "-", "-"], input=fh.read(), capture_output=True, check=True).stdout
    text = text.decode()
    assert APPLICANT in text and RESPONDENT in text and agreement.number in text and "人民调解协议书" in text
    agreement.dispute.refresh_from_db()
    assert agreement.dispute.state == Dispute.State.AGREEMENT


def test_verification_page_confirms_genuine_and_rejects_tampered(client, mediator):
    agreement = _agreement(mediator)
    url = agreement.get_verification_path()
    page = client.get(url)  # public: no login
    body = page.content.decode()
    assert page.status_code == 200 and "核验通过" in body and agreement.number in body
    assert APPLICANT not in body and RESPONDENT not in body  # no personal data
    wrong_hash = reverse("mediation:verify", args=[agreement.token, "0" * 16])
    assert "核验未通过" in client.get(wrong_hash).content.decode()
    assert client.get(reverse("mediation:verify", args=["no-such-token", agreement.hash_prefix])).status_code == 404
    with agreement.pdf.file.open("rb") as fh:
        original = fh.read()
    ok = client.post(url, {"file": SimpleUploadedFile("协议.pdf", original)})
    assert "完全一致" in ok.content.decode()
    bad = client.post(url, {"file": SimpleUploadedFile("协议.pdf", original + b"%tampered")})
    assert "不一致" in bad.content.decode()
    Agreement.objects.filter(pk=agreement.pk).update(terms="被申请人赔偿申请人人民币三十万元。")  # altered record
    assert "核验未通过" in client.get(url).content.decode()


def test_judicial_confirmation_reminder_is_sent_once(mediator):
    agreement = _agreement(mediator)
    dispute = agreement.dispute
    deadlines = services.confirmation_deadlines(dispute)
    assert deadlines.count() == 2
    near_end = deadlines.first().due_at - datetime.timedelta(hours=20)
    sweep(now=near_end)
    sent = Reminder.objects.filter(deadline__in=deadlines).count()
    assert sent >= 1
    sweep(now=near_end)
    assert Reminder.objects.filter(deadline__in=deadlines).count() == sent  # not again
    services.record_confirmation(dispute, mediator, applied_on=timezone.localdate(), court="呼和浩特市中级人民法院",
                                 result="confirmed", decided_on=timezone.localdate())
    assert all(d.state == Deadline.State.MET for d in services.confirmation_deadlines(dispute))


def test_station_scoping_in_pages_and_api(client, mediator, applicant_user):
    baotou = factories.staff(roles.STATION_STAFF, "baotou")
    ordos = factories.staff(roles.STATION_STAFF, "ordos")
    dispute = new_dispute(baotou, station=factories.station("baotou"))
    url, api = dispute.get_absolute_url(), f"/api/v1/rightsaid/mediation/disputes/{dispute.pk}/"
    assert login(client, baotou).get(url).status_code == 200
    assert client.get(api).status_code == 200
    assert login(client, factories.manager()).get(url).status_code == 200
    for outsider in (ordos, applicant_user):
        login(client, outsider)
        assert client.get(url).status_code == 404
        assert client.get(api).status_code == 404
        assert client.post(reverse("mediation:action", args=[dispute.pk, "withdraw"]),
                           {"withdraw-comment": "x"}).status_code == 404
    assert dispute.number not in login(client, ordos).get(reverse("mediation:index")).content.decode()


def test_bad_input_is_400_with_chinese_errors_and_changes_nothing(client, mediator):
    login(client, mediator)
    resp = client.post(reverse("mediation:create"), {"subject": "", "ip_type": "trademark",
                                                     "applicant_name": "甲", "respondent_name": "甲"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "该字段是必填项" in body and "被申请人不能与申请人相同" in body
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
    assert dispute.mediator is None


def test_conflict_of_interest_blocks_the_assignment(mediator):
    dispute = services.create_dispute(mediator, subject="专利纠纷", ip_type="patent", parties=[
        {"role": Party.Role.APPLICANT, "name": "陈调解"}, {"role": Party.Role.RESPONDENT, "name": "某公司"}])
    with pytest.raises(ValidationError) as err:
        services.assign_mediator(dispute, mediator, mediator, declaration="无", confirmed=True)
    assert "利益冲突" in str(err.value)


def test_pages_through_the_client(client, mediator):
    dispute = in_mediation(mediator)
    login(client, mediator)
    assert client.get(reverse("mediation:index")).status_code == 200
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="step-agreement"' in page and 'data-testid="step-extend"' in page
    resp = client.post(reverse("mediation:action", args=[dispute.pk, "agreement"]),
                       {"agreement-terms": "", "agreement-signed_on": "2999-01-01"})
    assert resp.status_code == 400
    assert client.get(reverse("mediation:index") + "?export=xlsx").status_code == 200
