"""The reach CSV import (views, likes, shares of publications) runs as the core import job
``outreach.reach_import``: the page starts it and sends staff to its job page; a bad row fails
the job with the row listed and changes nothing; a good file updates the figures."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcenter.accounts import roles
from ipcenter.reports.models import Job
from outreach.models import Publication
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db
URL = "/outreach/publications/import/"


def _csv(text, name="传播数据.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _pub(title="安安知道"):
    return Publication.objects.create(kind="animation", title=title, channel="douyin", published_on="2026-04-26")


def _start(client, upload, capture):
    with capture(execute=True):
        r = client.post(URL, {"file": upload})
    assert r.status_code == 302, r.content.decode()[:500]
    job = Job.objects.get(kind="outreach.reach_import")
    assert r["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    return job


def test_a_bad_row_fails_the_job_with_the_row_listed_and_changes_nothing(client, outreach_user,
                                                                        django_capture_on_commit_callbacks):
    p, q = _pub(), _pub("知识产权微课堂")
    login(client, outreach_user)
    job = _start(client, _csv(f"id,views,likes,shares\n{p.pk},10,2,1\n999999,1,1,1\n{q.pk},5,x,1\n{q.pk + 1000},-1,0,0\n"),
                 django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and job.error_count == 4 and not job.counters
    # every problem, in the order the rows were read, then the ids that name no publication
    assert [list(e) for e in job.shown_row_errors()] == [[4, "likes", "数值无效。"], [5, "views", "数值超出范围。"], [3, "id", "作品不存在。"],
                              [5, "id", "作品不存在。"]]
    p.refresh_from_db()
    q.refresh_from_db()
    assert (p.views, p.likes, p.shares) == (0, 0, 0) and (q.views, q.likes) == (0, 0)  # all or none
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="row-errors"' in page and "作品不存在" in page


def test_a_good_file_updates_the_figures(client, outreach_user, django_capture_on_commit_callbacks):
    p, q = _pub(), _pub("知识产权微课堂")
    login(client, outreach_user)
    job = _start(client, _csv(f"id,views,likes,shares\n{p.pk},\"1,200\",30,4\n{q.pk},7,1,0\n"),
                 django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.counters == {"更新": 2}
    p.refresh_from_db()
    q.refresh_from_db()
    assert (p.views, p.likes, p.shares) == (1200, 30, 4) and (q.views, q.likes, q.shares) == (7, 1, 0)


@pytest.mark.parametrize("content", [b"id,views\n1,2\n", b'id,views,likes,shares\n"1,2\n', b"id,views,likes,shares\n"])
def test_a_file_that_is_no_reach_table_fails_the_job_with_a_reason(client, outreach_user, content,
                                                                   django_capture_on_commit_callbacks):
    p = _pub()
    login(client, outreach_user)
    job = _start(client, SimpleUploadedFile("r.csv", content), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and job.row_errors
    p.refresh_from_db()
    assert p.views == 0


def test_the_upload_is_checked_on_the_page_and_only_outreach_staff_import(client, outreach_user):
    login(client, outreach_user)
    r = client.post(URL, {"file": SimpleUploadedFile("r.csv", b"\xff\xfe\x00binary")})
    assert r.status_code == 400 and not Job.objects.exists()
    r = client.post(URL, {})
    assert r.status_code == 400 and not Job.objects.exists()
    login(client, factories.staff(roles.EXAMINER))
    assert client.post(URL, {"file": _csv("id,views,likes,shares\n")}).status_code in (403, 404)
    assert not Job.objects.exists()
