"""The examiner reads why an opinion was returned on the opinion page itself; the letter names
the concrete correction due date (working days on the core calendar), not only “5 个工作日内”."""
import subprocess

import pytest
from django.utils import timezone

from ipcenter.deadlines.calendar import WorkingCalendar
from prescreen import hooks, services
from prescreen.models import DefectType, Opinion, PrescreenSettings
from tests import factories
from tests.conftest import login
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def examining(org, applicant_user, manager_user):
    register(org)
    examiner = factories.examiner(("new-materials",))
    case = services.submit_case(draft(org, applicant_user), applicant_user)
    services.accept_case(case, manager_user)
    return services.claim_next(examiner), examiner


@pytest.fixture
def no_peer_check(db):
    """The quality app's peer check would hold the opinion; switched off through its setting."""
    from prescreen.quality.models import QualitySettings

    cfg = QualitySettings.load()
    cfg.peer_mode, cfg.peer_share = QualitySettings.PeerMode.SHARE, 0
    cfg.save()


def with_item(case, examiner):
    opinion = services.start_opinion(case, examiner)
    services.add_defect_item(opinion, examiner, defect_type=DefectType.objects.get(code="unclear-claim"),
                             location="权利要求 2", text="所述支耳缺乏引用基础", suggestion="在权利要求1中引入支耳")
    return opinion


def test_the_opinion_page_shows_the_latest_return_reason_and_who_returned_it(client, examining, monkeypatch):
    case, examiner = examining
    monkeypatch.setattr(hooks, "_RELEASE_BLOCKERS", [])
    hooks.register_release_blocker(lambda op: "互检尚未完成")
    opinion = with_item(case, examiner)
    services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    checker = factories.examiner(("new-materials",), display_name="李互检")
    services.return_opinion(opinion, checker, "第一次：缺陷条目位置写错")
    services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    services.return_opinion(opinion, checker, "权利要求2的引用基础说明不准确")
    page = login(client, examiner).get(opinion.get_absolute_url()).content.decode()
    block = page.split('data-testid="return-reason"')[1].split("</div>\n</div>")[0]
    assert "权利要求2的引用基础说明不准确" in block and "李互检" in block
    assert "第一次" not in block and "见案件办理记录" not in page


def test_the_letter_names_the_correction_due_date(no_peer_check, examining, django_capture_on_commit_callbacks):
    case, examiner = examining
    opinion = with_item(case, examiner)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_opinion(opinion, examiner, conclusion=Opinion.Conclusion.NEEDS_CORRECTION)
    opinion.refresh_from_db()
    expected = WorkingCalendar().add_working_days(timezone.localdate(opinion.issued_at),
                                                  PrescreenSettings.load().correction_working_days)
    assert services.correction_due_date(opinion) == expected
    with services.opinion_letter(opinion).file.open("rb") as fh:
        text = subprocess.run(["pdftotext", "-", "-"], input=fh.read(), capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert f"{expected.year}年{expected.month}月{expected.day}日" in flat
    assert "5个工作日内" in flat
