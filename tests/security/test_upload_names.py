"""A file keeps the extension of what it really is: a PDF/HTML polyglot named polyglot.html is
stored and downloaded as polyglot.pdf, as an attachment, with nosniff."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipcenter.files.models import Attachment
from ipcenter.files.services import name_for_kind, store_upload
from tests.conftest import login
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft

pytestmark = pytest.mark.django_db

POLYGLOT = builders.pdf_bytes(["1. 一种装置。"]) + b"<html><script>alert(document.cookie)</script></html>"


@pytest.mark.parametrize("name,kind,expected", [
    ("polyglot.html", "pdf", "polyglot.pdf"),
    ("说明书.PDF", "pdf", "说明书.PDF"),
    ("图1.jpeg", "jpg", "图1.jpeg"),
    ("图1.png", "jpg", "图1.jpg"),
    ("claims", "docx", "claims.docx"),
    ("a.svg.html", "png", "a.svg.png"),
    ("报告 v1.0 final", "pdf", "报告 v1.0 final.pdf"),
])
def test_the_name_gets_the_extension_of_the_detected_kind(name, kind, expected):
    assert name_for_kind(name, kind) == expected


def test_a_polyglot_is_stored_and_downloaded_as_pdf_attachment(client, org, applicant_user):
    case = draft(org, applicant_user, files={})
    att = store_upload(SimpleUploadedFile("polyglot.html", POLYGLOT), "prescreen.document", applicant_user,
                       owner=case, label="claims")
    assert att.original_name == "polyglot.pdf" and att.mime_type == "application/pdf"
    for query in ("", "?inline=1"):
        resp = login(client, applicant_user).get(reverse("files:download", args=[att.pk]) + query)
        assert resp.status_code == 200
        assert resp["Content-Type"] == "application/pdf"
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert 'filename="polyglot.pdf"' in resp["Content-Disposition"]
        assert ".html" not in resp["Content-Disposition"]
    assert login(client, applicant_user).get(reverse("files:download", args=[att.pk]))[
        "Content-Disposition"].startswith("attachment;")


def test_a_row_stored_before_the_fix_downloads_under_the_corrected_name(client, org, applicant_user):
    case = draft(org, applicant_user, files={})
    att = store_upload(SimpleUploadedFile("x.pdf", POLYGLOT), "prescreen.document", applicant_user,
                       owner=case, label="claims")
    Attachment.objects.filter(pk=att.pk).update(original_name="legacy.html")
    resp = login(client, applicant_user).get(reverse("files:download", args=[att.pk]))
    assert "legacy.pdf" in resp["Content-Disposition"] and resp["Content-Disposition"].startswith("attachment;")
