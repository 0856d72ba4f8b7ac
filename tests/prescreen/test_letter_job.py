"""The opinion letter is made by a background job after the opinion is issued, never inside the
opinion's row lock: the download waits for it (202, reloading), gets it once made (302), and two
runs of the job attach one letter; outsiders get a 404."""
import pytest
from django.urls import reverse

from ipcenter.files.services import attachments_of
from ipcenter.reports.models import Job
from ipcenter.reports.services import run_job
from prescreen import services
from prescreen.models import Opinion
from tests.conftest import login
from tests.forms.test_opinion_return_and_letter import examining, no_peer_check, with_item  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(no_peer_check, examining):  # noqa: F811
    case, examiner = examining
    opinion = with_item(case, examiner)
    services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.ISSUED
    return opinion


def test_issuing_queues_one_letter_job_and_the_download_waits_for_it(client, issued, applicant_user):
    jobs = Job.objects.for_target(issued).filter(kind=services.LETTER_JOB)
    assert jobs.count() == 1 and jobs.get().status == Job.Status.QUEUED  # queued, not yet run (no commit here)
    assert services.stored_letter(issued) is None
    url = reverse("prescreen:opinion-letter", args=[issued.pk])
    waiting = login(client, applicant_user).get(url)
    assert waiting.status_code == 202 and 'data-testid="generated-file-pending"' in waiting.content.decode()
    assert jobs.count() == 1  # the download joined the queued job instead of starting another
    run_job(jobs.get().pk)
    done = client.get(url)
    assert done.status_code == 302 and done.url == reverse("files:download", args=[services.stored_letter(issued).pk])


def test_two_runs_attach_one_letter(issued):
    job = Job.objects.for_target(issued).get(kind=services.LETTER_JOB)
    run_job(job.pk)
    second = services.request_letter(issued, issued.author)  # e.g. a retry after the first finished
    run_job(second.pk)
    assert attachments_of(issued).filter(purpose=services.LETTER_PURPOSE).count() == 1


def test_a_failed_letter_job_can_be_started_again(client, issued, applicant_user, monkeypatch):
    job = Job.objects.for_target(issued).get(kind=services.LETTER_JOB)
    monkeypatch.setattr(services, "opinion_letter", lambda opinion: (_ for _ in ()).throw(OSError("字体缺失")))
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    url = reverse("prescreen:opinion-letter", args=[issued.pk])
    page = login(client, applicant_user).get(url)
    assert page.status_code == 202 and 'data-testid="generated-file-retry"' in page.content.decode()
    monkeypatch.undo()
    assert client.post(url).status_code == 302
    retry = Job.objects.for_target(issued).filter(kind=services.LETTER_JOB).exclude(pk=job.pk).get()
    run_job(retry.pk)
    assert client.get(url).status_code == 302


def test_another_organisation_gets_404_for_the_letter_and_its_job(client, issued, other_applicant):
    login(client, other_applicant)
    assert client.get(reverse("prescreen:opinion-letter", args=[issued.pk])).status_code == 404
    assert client.post(reverse("prescreen:opinion-letter", args=[issued.pk])).status_code == 404
    job = Job.objects.for_target(issued).get(kind=services.LETTER_JOB)
    assert client.get(job.get_absolute_url()).status_code == 404
