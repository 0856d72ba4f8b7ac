"""The staff publications API saves through ``services.save_publication``, as the page does: its
date checks, the PDF stored (as the next version of the one before), the timeline; a refusal is a
400 with field errors and nothing is saved."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcenter.files.services import attachments_of
from ipcenter.workflow.engine import timeline_of
from outreach.models import Publication
from tests.conftest import login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "/api/v1/outreach/publications/"


def _data(**kw):
    data = {"kind": "journal_issue", "title": "《内蒙古知识产权》2026年第4期", "channel": "journal",
            "number": "2026-4", "published_on": "2026-04-01", "views": 10, "published": True}
    data.update(kw)
    return data


def _pdf(name="2026年第4期.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_api_refuses_an_implausible_date_with_a_field_error_and_saves_nothing(client, outreach_user):
    login(client, outreach_user)
    r = client.post(URL, _data(published_on="1900-01-01"), content_type="application/json")
    assert r.status_code == 400 and "published_on" in r.json()
    assert not Publication.objects.exists()
    pub = Publication.objects.create(kind="article", title="原标题", channel="web", published_on="2026-01-01")
    r = client.patch(f"{URL}{pub.pk}/", {"title": "新标题", "published_on": "2150-01-01"}, content_type="application/json")
    assert r.status_code == 400 and "published_on" in r.json()
    pub.refresh_from_db()
    assert pub.title == "原标题" and str(pub.published_on) == "2026-01-01"


def test_api_stores_the_pdf_as_versions_and_records_the_timeline(client, outreach_user):
    login(client, outreach_user)
    r = client.post(URL, {**_data(), "pdf": _pdf()})  # multipart
    assert r.status_code == 201, r.content
    pub = Publication.objects.get(pk=r.json()["id"])
    assert r.json()["pdf_url"].endswith(f"/outreach/site/publications/{pub.pk}/pdf/") and "pdf" not in r.json()
    first = attachments_of(pub).get()
    r = client.generic("PATCH", f"{URL}{pub.pk}/", _multipart({"number": "2026-4r", "pdf": _pdf("修订.pdf")}),
                       content_type="multipart/form-data; boundary=BoUnDaRy")
    assert r.status_code == 200, r.content
    pub.refresh_from_db()
    assert pub.number == "2026-4r"
    current = attachments_of(pub).order_by("-uploaded_at").first()
    assert current.original_name == "修订.pdf" and current.pk != first.pk
    assert current.supersedes_id == first.pk  # the next version of the first
    actions = [e.action for e in timeline_of(pub)]
    assert "outreach.publication.created" in actions and "outreach.publication.changed" in actions


def test_api_refuses_a_pdf_that_is_no_pdf_under_its_field(client, outreach_user):
    login(client, outreach_user)
    r = client.post(URL, {**_data(), "pdf": _pdf("x.pdf", b"<html>not a pdf</html>")})
    assert r.status_code == 400 and "pdf" in r.json()
    assert not Publication.objects.exists()


def _multipart(fields):
    from django.test.client import encode_multipart

    return encode_multipart("BoUnDaRy", fields)
