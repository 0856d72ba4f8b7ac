"""The formal pre-check runs as a time-limited Celery task: the review page says it is running
and polls; once the task is done the findings appear; a check that overruns records a timeout
finding instead of holding the worker; with eager Celery the page shows findings at once."""
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse

from prescreen import services, tasks
from tests.conftest import login
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db




def _review(client, case, **params):
    return client.get(reverse("prescreen:case-review", args=[case.pk]), params)


def test_the_task_declares_soft_and_hard_time_limits():
    assert tasks.run_precheck.soft_time_limit == 60 and tasks.run_precheck.time_limit == 90


def test_with_eager_celery_the_review_page_shows_the_findings(client, org, applicant_user):
    files = builders.clean_files()
    del files["claims"]
    case = draft(org, applicant_user, files=files)
    page = _review(login(client, applicant_user), case).content.decode()
    assert "precheck-running" not in page and "缺少必需的申请文件：权利要求书" in page


def test_the_page_polls_while_the_task_runs_then_shows_the_findings(client, org, applicant_user, monkeypatch):
    files = builders.clean_files()
    del files["claims"]
    case = draft(org, applicant_user, files=files)
    queued = []
    monkeypatch.setattr(tasks.run_precheck, "delay", lambda *args: queued.append(args))
    login(client, applicant_user)
    page = _review(client, case).content.decode()
    assert 'data-testid="precheck-running"' in page and "正在进行形式预检" in page
    assert 'hx-get="?precheck=status"' in page and "缺少必需的申请文件" not in page
    assert 'data-testid="submit-case" disabled' in page
    assert _review(client, case, precheck="status").status_code == 204
    _review(client, case)
    assert len(queued) == 1  # a reload does not queue the same check again
    tasks.run_precheck.run(*queued[0])  # the worker
    status = _review(client, case, precheck="status")
    assert status.status_code == 200 and status["HX-Refresh"] == "true"
    page = _review(client, case).content.decode()
    assert "precheck-running" not in page and "缺少必需的申请文件：权利要求书" in page


def test_changed_documents_are_checked_again(client, org, applicant_user):
    case = draft(org, applicant_user)
    login(client, applicant_user)
    _review(client, case)
    assert services.precheck_state(case) == services.PRECHECK_DONE
    from ipcenter.files.services import attachments_of

    services.remove_draft_document(case, applicant_user, attachments_of(case).filter(label="claims").first().pk)
    assert services.precheck_state(case) is None
    assert "缺少必需的申请文件：权利要求书" in _review(client, case).content.decode()


def test_an_overrunning_check_records_a_timeout_and_submission_checks_again(client, org, applicant_user,
                                                                            monkeypatch):
    register(org)
    case = draft(org, applicant_user)
    real = services.filing.run_formal_precheck  # finish_precheck reads it from its own module
    monkeypatch.setattr(services.filing, "run_formal_precheck", lambda c: (_ for _ in ()).throw(SoftTimeLimitExceeded()))
    page = _review(login(client, applicant_user), case).content.decode()
    assert "自动形式预检超时" in page
    monkeypatch.setattr(services.filing, "run_formal_precheck", real)
    case.refresh_from_db()
    case = services.submit_case(case, applicant_user)
    assert case.state == case.State.SUBMITTED
    assert not [f for f in case.precheck_findings if f["code"] == "precheck_timeout"]
