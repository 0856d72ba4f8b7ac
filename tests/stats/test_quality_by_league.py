"""The quality section breaks the error rate and the average score down by the league/city
of the case's applicant, on the dashboard, in the PDF and in the XLSX."""
import io

import pytest
from django.urls import reverse

from ipcenter.stats.figures import compute
from ipcenter.stats.selection import resolve_scope, scope_params
from prescreen.models import PreExamCase
from tests import factories
from tests.conftest import login
from tests.quality.test_quality import _done, _issued_opinions, people  # noqa: F401  (fixture)

from .test_access_exports import _pdf_text, _run

pytestmark = pytest.mark.django_db
OPENING = {"period": "opening"}
HOHHOT, BAOTOU = "呼和浩特市知识产权保护分中心", "包头市知识产权保护分中心"


@pytest.fixture
def checks(org, applicant_user, people):  # noqa: F811
    o1, o2, o3 = _issued_opinions(org, applicant_user, people, 3)
    baotou_org = factories.OrganizationFactory(league=factories.station("baotou"))
    PreExamCase.objects.filter(pk=o3.case_id).update(organization=baotou_org)
    author, qc = people["author"], people["qc"]
    _done("department", o1, author, qc, 80, errors=["typo"])
    _done("centre", o2, author, qc, 90)
    _done("department", o3, author, qc, 60, errors=["typo", "formal-missed"])
    overturned = _done("centre", o3, author, qc, 10, errors=["typo"])
    overturned.overturned = True  # an upheld appeal takes it out of the statistics
    overturned.save()
    return people


def _league_rows(section):
    table = next(t for t in section.tables if t.code == "by_league")
    return {row[0]: row[1:] for row in table.rows}


def test_error_rate_and_average_score_by_league(checks):
    section = compute("quality", resolve_scope(checks["manager"], OPENING))
    # hohhot: two checks, one with errors, scores 80 and 90; baotou: one check with errors, 60
    assert _league_rows(section) == {HOHHOT: [2, 1, 50.0, 85.0], BAOTOU: [1, 1, 100.0, 60.0]}
    assert section.value("qc_checks") == 3 and section.value("qc_error_rate") == 66.7
    chart = next(s for s in section.series if s.code == "by_league")
    assert dict(chart.points) == {"呼和浩特市": 50.0, "包头市": 100.0}


def test_the_league_breakdown_on_the_dashboard_pdf_and_xlsx(client, checks, tmp_path,
                                                            django_capture_on_commit_callbacks):
    import openpyxl

    manager = checks["manager"]
    html = login(client, manager).get(reverse("stats:dashboard"), OPENING).content.decode()
    assert "按盟市（申请人所在）" in html and BAOTOU in html
    params = scope_params(resolve_scope(manager, OPENING))
    _job, pdf = _run("stats.report.pdf", manager, params, django_capture_on_commit_callbacks)
    text = _pdf_text(pdf, tmp_path)
    assert "按盟市（申请人所在）" in text and "各盟市差错率" in text
    _job, xlsx = _run("stats.report.xlsx", manager, params, django_capture_on_commit_callbacks)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["四级质检"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows[BAOTOU][1:5] == (1, 1, 100.0, 60.0) and isinstance(rows[BAOTOU][1], int)


def test_checks_link_to_the_filtered_check_list(checks):
    section = compute("quality", resolve_scope(checks["manager"], {"period": "year", "year": "2026"}))
    link = section.figure("qc_checks").link
    assert link.startswith(reverse("quality:check-list")) and "state=done" in link
    assert "completed_after=2026-01-01" in link and "completed_before=2026-12-31" in link
    assert section.figure("qc_consistency").link.startswith(reverse("quality:feedback-list"))
