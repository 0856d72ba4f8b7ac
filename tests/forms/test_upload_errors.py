"""A bad upload is an error under its own field, naming every bad file and why (备案, filing
documents, online request, exhibition complaint); nothing is stored."""
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipcenter.files.models import Attachment
from ipcenter.forms import MultipleFileField, apply_errors
from prescreen.models import Registration
from rightsaid.models import AssistanceCase, ExhibitionComplaint
from tests import factories
from tests.conftest import login
from tests.prescreen.test_filing import draft, register
from tests.rightsaid import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def bad_files():
    return [SimpleUploadedFile("营业执照.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("假的证书.pdf", b"this is plain text, not a PDF", "application/pdf"),
            SimpleUploadedFile("程序.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/octet-stream")]


def field_errors(page, field_id):
    return re.findall(rf'<div class="invalid-feedback d-block" id="{field_id}_error">([^<]*)</div>', page)


def banner(page):
    m = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>\s*</div>', page, re.S)
    return m.group(1) if m else ""


def assert_both_bad_files_under(page, field_id):
    errors = field_errors(page, field_id)
    assert any("假的证书.pdf" in e for e in errors), errors
    assert any("程序.exe" in e for e in errors), errors
    assert not any("营业执照.pdf" in e for e in errors)
    assert "假的证书.pdf" not in banner(page) and "程序.exe" not in banner(page)


def test_registration_documents(client, org, applicant_user):
    login(client, applicant_user)
    data = {"technical_fields": [factories.field("new-materials").pk], "registered_in_region": "on",
            "established_on": "2015-03-01", "insured_staff": "40", "invention_patents": "3",
            "utility_design_patents": "1", "contact_name": "王经理", "contact_phone": "0471-6543210",
            "documents": bad_files()}
    r = client.post(reverse("prescreen:registration-create"), data)
    assert r.status_code == 400
    assert_both_bad_files_under(r.content.decode(), "id_documents")
    assert not Registration.objects.exists() and not Attachment.objects.exists()


def test_filing_documents_error_sits_under_the_documents_field(client, org, applicant_user):
    register(org)
    case = draft(org, applicant_user, files={})
    login(client, applicant_user)
    r = client.post(reverse("prescreen:case-documents", args=[case.pk]), {
        "claims": SimpleUploadedFile("权利要求书.pdf", b"not a pdf at all"), "drawings": bad_files()[1:]})
    assert r.status_code == 400
    page = r.content.decode()
    assert any("权利要求书.pdf" in e for e in field_errors(page, "id_claims"))
    assert_both_bad_files_under(page, "id_drawings")
    assert not Attachment.objects.filter(object_id=case.pk).exists()


def test_online_request_evidence(client):
    app = factories.applicant()
    login(client, app)
    r = client.post(reverse("rightsaid:request"), {
        "kind": "assistance", "case_type": "trademark_infringement", "title": "网店售假", "description": "证据见附件",
        "requester_name": "李四", "station": f.station("hohhot").pk, "evidence_files": bad_files()})
    assert r.status_code == 400
    assert_both_bad_files_under(r.content.decode(), "id_evidence_files")
    assert not AssistanceCase.objects.exists()


def test_exhibition_complaint_evidence(client):
    worker = f.worker("hohhot")
    ex = f.exhibition("hohhot")
    login(client, worker)
    r = client.post(reverse("rightsaid:complaint-create", args=[ex.pk]), {
        "complainant": "甲", "respondent": "某公司", "booth": "A1", "ip_type": "patent", "description": "侵权",
        "evidence_files": bad_files()})
    assert r.status_code == 400
    assert set(r.context["complaint_form"].errors) == {"evidence_files"}
    messages = r.context["complaint_form"].errors["evidence_files"]
    assert any("假的证书.pdf" in m for m in messages) and any("程序.exe" in m for m in messages)
    assert not ExhibitionComplaint.objects.exists()


def test_good_files_still_pass_and_are_kept(client):
    field = MultipleFileField(purpose="rightsaid.evidence")
    cleaned = field.clean([SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)])
    assert [c.name for c in cleaned] == ["a.pdf", "b.pdf"] and cleaned[0].read() == PDF  # rewound for storing


def test_a_service_error_naming_a_file_goes_under_that_field():
    from django import forms

    class F(forms.Form):
        title = forms.CharField()
        evidence = MultipleFileField()

    form = F({"title": "x"}, {"evidence": [SimpleUploadedFile("公证书.pdf", PDF)]})
    assert form.is_valid()
    apply_errors(form, ValidationError("文件“公证书.pdf”超过大小上限 20 MB。"))
    apply_errors(form, ValidationError("系统繁忙。"))
    assert form.errors["evidence"] == ["文件“公证书.pdf”超过大小上限 20 MB。"]
    assert form.non_field_errors() == ["系统繁忙。"]
