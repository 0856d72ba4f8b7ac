"""A malformed document id and a stored file that is gone are clear 404s, never 500s."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipcenter.files.models import Attachment
from ipcenter.files.services import attachments_of, store_upload
from tests.conftest import login
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["not-a-uuid", "", "1", "' OR 1=1 --", "0" * 400, "\x00"])
def test_removing_a_malformed_id_is_a_404_and_removes_nothing(client, org, applicant_user, value):
    case = draft(org, applicant_user)
    before = Attachment.objects.count()
    resp = login(client, applicant_user).post(reverse("prescreen:case-documents", args=[case.pk]), {"remove": value})
    assert resp.status_code == 404
    assert Attachment.objects.count() == before


def test_removing_a_document_of_another_case_is_a_404(client, org, applicant_user):
    mine, theirs = draft(org, applicant_user), draft(org, applicant_user)
    att = attachments_of(theirs).first()
    resp = login(client, applicant_user).post(reverse("prescreen:case-documents", args=[mine.pk]),
                                              {"remove": str(att.pk)})
    assert resp.status_code == 404 and Attachment.objects.filter(pk=att.pk).exists()


def test_removing_the_current_version_restores_the_previous_one(client, org, applicant_user,
                                                                  django_capture_on_commit_callbacks):
    case = draft(org, applicant_user, files={})
    pdf = builders.pdf_bytes(["1. 一种装置。"])
    first = store_upload(SimpleUploadedFile("c1.pdf", pdf), "prescreen.document", applicant_user, owner=case,
                         label="claims")
    second = store_upload(SimpleUploadedFile("c2.pdf", pdf), "prescreen.document", applicant_user, owner=case,
                          label="claims", supersedes=first)
    stored = second.file.path
    with django_capture_on_commit_callbacks(execute=True):
        resp = login(client, applicant_user).post(reverse("prescreen:case-documents", args=[case.pk]),
                                                  {"remove": str(second.pk)})
    assert resp.status_code == 302
    assert list(attachments_of(case)) == [first]
    import os
    assert not os.path.exists(stored)


def test_a_missing_stored_file_downloads_as_a_clear_404(client, org, applicant_user):
    case = draft(org, applicant_user)
    att = attachments_of(case).first()
    att.file.storage.delete(att.file.name)
    resp = login(client, applicant_user).get(reverse("files:download", args=[att.pk]))
    assert resp.status_code == 404


def test_a_present_file_still_downloads(client, org, applicant_user):
    case = draft(org, applicant_user)
    att = attachments_of(case).first()
    resp = login(client, applicant_user).get(reverse("files:download", args=[att.pk]))
    assert resp.status_code == 200 and b"".join(resp.streaming_content)
