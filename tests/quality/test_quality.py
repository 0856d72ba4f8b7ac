"""Four-level quality check: peer check blocks release, sampling share/weights/reproducibility,
return-for-fix, one appeal, CNIPA feedback, statistics against hand counts, access."""
import datetime
import statistics

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.deadlines.models import Deadline
from ipcenter.workflow.models import TimelineEvent
from prescreen import services as ps
from prescreen.models import DefectType, Opinion, PreExamCase
from prescreen.quality import services as qs
from prescreen.quality.models import QualityCheck, ErrorType, FeedbackItem, FixTask, Level, QualitySettings, Sample
from prescreen.quality.stats import quality_stats
from prescreen.validators import make_application_number
from tests import factories
from tests.conftest import login
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "author": factories.examiner(("new-materials",), first_name="甲"),
        "peer": factories.examiner(("new-materials",), first_name="乙"),
        "outsider": factories.examiner(("biology",), first_name="丙"),
        "qc": factories.staff(roles.QC_REVIEWER),
        "manager": factories.manager(),
    }


def examining_case(org, applicant, author, manager):
    register(org)
    case = ps.submit_case(draft(org, applicant), applicant)
    ps.accept_case(case, manager)
    ps.assign_case(case, author, manager)
    case.refresh_from_db()
    return case


def submitted_opinion(case, author, conclusion="needs_correction"):
    opinion = ps.start_opinion(case, author)
    ps.add_defect_item(opinion, author, defect_type=DefectType.objects.get(code="unclear-claim"),
                       location="权利要求 2", text="缺乏引用基础")
    return ps.submit_opinion(opinion, author, conclusion=conclusion)


def deadline(obj, kind):
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
                                   kind=kind).first()


# ---- peer check ----------------------------------------------------------------------------

def test_opinion_is_held_until_a_colleague_passes_the_peer_check(org, applicant_user, people):
    case = examining_case(org, applicant_user, people["author"], people["manager"])
    opinion = submitted_opinion(case, people["author"])
    assert opinion.state == Opinion.State.SUBMITTED  # blocked
    check = QualityCheck.objects.get(opinion=opinion, level=Level.PEER)
    assert check.reviewer == people["peer"] and check.examiner == people["author"]
    assert deadline(check, qs.CHECK_KIND).state == Deadline.State.OPEN
    assert not Opinion.objects.visible_to(applicant_user).filter(pk=opinion.pk).exists()
    assert ps.try_release(opinion, people["author"]) is False

    qs.complete_check(check, people["peer"], outcome=QualityCheck.Outcome.PASS)
    opinion.refresh_from_db()
    case.refresh_from_db()
    assert opinion.state == Opinion.State.ISSUED and case.state == PreExamCase.State.NEEDS_CORRECTION
    assert deadline(check, qs.CHECK_KIND).state == Deadline.State.MET


def test_author_can_never_peer_check_own_work(org, applicant_user, people):
    case = examining_case(org, applicant_user, people["author"], people["manager"])
    opinion = submitted_opinion(case, people["author"])
    check = QualityCheck.objects.get(opinion=opinion)
    with pytest.raises(PermissionDenied):
        qs.complete_check(check, people["author"], outcome=QualityCheck.Outcome.PASS)
    QualityCheck.objects.filter(pk=check.pk).update(reviewer=None)
    check.refresh_from_db()
    with pytest.raises(ValidationError):
        qs.take_peer_check(check, people["author"])
    with pytest.raises(PermissionDenied):
        qs.take_peer_check(check, people["outsider"])  # not of the field
    with pytest.raises(IntegrityError):  # and the database refuses it too
        QualityCheck.objects.filter(pk=check.pk).update(reviewer=people["author"])


def test_peer_return_sends_the_opinion_back_and_resubmission_opens_a_new_round(org, applicant_user, people):
    case = examining_case(org, applicant_user, people["author"], people["manager"])
    opinion = submitted_opinion(case, people["author"])
    check = QualityCheck.objects.get(opinion=opinion)
    qs.add_error(check, people["peer"], error_type=ErrorType.objects.get(code="wrong-legal-basis"),
                 comment="应引用专利法第26条第4款", defect_item=opinion.items.first())
    with pytest.raises(ValidationError):
        qs.complete_check(check, people["peer"], outcome=QualityCheck.Outcome.RETURN, comment="")  # needs a reason
    qs.complete_check(check, people["peer"], outcome=QualityCheck.Outcome.RETURN, comment="法律依据有误")
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.RETURNED
    ps.submit_opinion(opinion, people["author"], conclusion="needs_correction")
    second = QualityCheck.objects.get(opinion=opinion, state=QualityCheck.State.OPEN)
    assert second.pk != check.pk and second.reviewer == people["peer"]  # same colleague again
    qs.complete_check(second, people["peer"], outcome=QualityCheck.Outcome.PASS)
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.ISSUED


def test_sole_examiner_of_a_field_gets_a_peer_from_another_field(org, applicant_user, people):
    register(org)
    case = ps.submit_case(draft(org, applicant_user, technical_field=factories.field("biology")), applicant_user)
    ps.accept_case(case, people["manager"])
    ps.assign_case(case, people["outsider"], people["manager"])  # the only biology examiner
    case.refresh_from_db()
    opinion = submitted_opinion(case, people["outsider"])
    check = QualityCheck.objects.get(opinion=opinion)
    assert check.reviewer in (people["author"], people["peer"]) and opinion.state == Opinion.State.SUBMITTED
    qs.complete_check(check, check.reviewer, outcome=QualityCheck.Outcome.PASS)
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.ISSUED


def test_without_any_colleague_the_opinion_waits_and_managers_are_told(org, applicant_user, people):
    for user in (people["peer"], people["outsider"]):
        user.is_active = False
        user.save()
    case = examining_case(org, applicant_user, people["author"], people["manager"])
    opinion = submitted_opinion(case, people["author"])
    check = QualityCheck.objects.get(opinion=opinion)
    assert check.reviewer is None and opinion.state == Opinion.State.SUBMITTED
    assert people["manager"].notifications.filter(title__contains="没有可互检").exists()
    newcomer = factories.examiner(("new-materials",))
    qs.take_peer_check(check, newcomer)
    qs.complete_check(check, newcomer, outcome=QualityCheck.Outcome.PASS)
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.ISSUED


def test_peer_check_share_is_configurable(org, applicant_user, people):
    QualitySettings.objects.update(peer_mode="share", peer_share=0)
    case = examining_case(org, applicant_user, people["author"], people["manager"])
    opinion = submitted_opinion(case, people["author"])
    assert opinion.state == Opinion.State.ISSUED and not QualityCheck.objects.exists()


# ---- sampling ------------------------------------------------------------------------------

def test_weighted_pick_honours_share_and_weights_and_is_reproducible():
    population = [(i, 1.0) for i in range(1, 91)] + [(i, 4.0) for i in range(91, 101)]
    assert qs.weighted_pick(population, 10, seed=7) == qs.weighted_pick(population, 10, seed=7)
    assert qs.weighted_pick(population, 10, seed=7) != qs.weighted_pick(population, 10, seed=8)
    heavy, light = [], []
    for seed in range(2000):
        chosen = qs.weighted_pick(population, 10, seed=seed)
        assert len(chosen) == 10 and len(set(chosen)) == 10
        heavy.append(sum(1 for pk in chosen if pk > 90) / 10)
        light.append(sum(1 for pk in chosen if pk <= 90) / 90)
    # a weight-4 item is picked roughly 3-4 times as often as a weight-1 item (without replacement)
    ratio = statistics.mean(heavy) / statistics.mean(light)
    assert 3.0 < ratio < 4.2, ratio


def _issued_opinions(org, applicant, people, n):
    register(org)
    QualitySettings.objects.update(peer_mode="share", peer_share=0)
    out = []
    for _ in range(n):
        case = ps.submit_case(draft(org, applicant), applicant)
        ps.accept_case(case, people["manager"])
        ps.assign_case(case, people["author"], people["manager"])
        case.refresh_from_db()
        out.append(submitted_opinion(case, people["author"], conclusion="qualified"))
    return out


def test_draw_sample_records_seed_and_population_and_creates_checks(org, applicant_user, people, settings):
    from prescreen.models import PrescreenSettings

    PrescreenSettings.objects.update(quota_minimum=50)
    opinions = _issued_opinions(org, applicant_user, people, 10)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        qs.draw_sample(Level.DEPARTMENT, people["author"], period_start=today, period_end=today)
    sample = qs.draw_sample(Level.DEPARTMENT, people["qc"], period_start=today, period_end=today, share=0.3, seed=42)
    assert len(sample.population) == 10 and len(sample.selected) == 3
    assert qs.redraw(sample) == sample.selected
    checks = QualityCheck.objects.filter(sample=sample)
    assert sorted(checks.values_list("opinion_id", flat=True)) == sample.selected
    assert all(c.reviewer == people["qc"] for c in checks)
    assert all(deadline(c, qs.CHECK_KIND).state == Deadline.State.OPEN for c in checks)
    # a second draw of the same period and level never samples the same opinion twice
    again = qs.draw_sample(Level.DEPARTMENT, people["qc"], period_start=today, period_end=today, share=1, seed=1)
    assert set(again.selected).isdisjoint(sample.selected) and len(again.selected) == 7
    assert {o.pk for o in opinions} == set(sample.selected) | set(again.selected)


def test_new_examiner_and_cnipa_rejection_raise_the_weight(org, applicant_user, people):
    opinions = _issued_opinions(org, applicant_user, people, 2)
    cfg = QualitySettings.load()
    today = timezone.localdate()
    base = qs.risk_weight(opinions[0], cfg, set(), today)
    people["author"].hired_on = today - datetime.timedelta(days=30)
    people["author"].save()
    opinions[0].refresh_from_db()
    assert qs.risk_weight(opinions[0], cfg, set(), today) == base + float(cfg.weight_new_examiner)
    PreExamCase.objects.filter(pk=opinions[1].case_id).update(cnipa_outcome="rejection", correction_rounds=2)
    opinions[1].refresh_from_db()
    opinions[1].case.refresh_from_db()
    w = qs.risk_weight(opinions[1], cfg, {opinions[1].case.technical_field_id}, today)
    assert w == pytest.approx(base + float(cfg.weight_new_examiner) + float(cfg.weight_complex_field)
                              + 2 * float(cfg.weight_per_correction) + float(cfg.weight_cnipa_rejected))


# ---- return for fix, appeal ----------------------------------------------------------------

def _sampled_check(org, applicant, people):
    _issued_opinions(org, applicant, people, 1)
    today = timezone.localdate()
    sample = qs.draw_sample(Level.DEPARTMENT, people["qc"], period_start=today, period_end=today, share=1, seed=3)
    return QualityCheck.objects.get(sample=sample)


def test_return_for_fix_opens_a_task_with_deadline_and_closes_on_resubmission(client, org, applicant_user, people):
    check = _sampled_check(org, applicant_user, people)
    with pytest.raises(ValidationError) as err:
        qs.complete_check(check, people["qc"], outcome=QualityCheck.Outcome.RETURN, comment="补充理由")
    assert "score" in err.value.message_dict  # sampled checks are scored
    qs.add_error(check, people["qc"], error_type=ErrorType.objects.get(code="claim-defect-missed"),
                 comment="未指出权利要求3的问题")
    qs.complete_check(check, people["qc"], outcome=QualityCheck.Outcome.RETURN, score=72, comment="补充权利要求3的意见")
    task = FixTask.objects.get(check_record=check)
    assert task.examiner == people["author"] and deadline(task, qs.FIX_KIND).state == Deadline.State.OPEN
    assert TimelineEvent.objects.for_object(check.case).filter(action="quality.fixtask.opened").exists()
    due = timezone.localtime(deadline(task, qs.FIX_KIND).due_at).strftime("%Y-%m-%d")
    login(client, people["author"])
    work = client.get(reverse("quality:index")).content.decode()
    assert 'data-testid="fix-tasks"' in work and check.case.number in work and due in work
    panel = client.get(check.case.get_absolute_url()).content.decode()
    assert "整改任务" in panel and "待整改" in panel and due in panel
    with pytest.raises(PermissionDenied):
        qs.resubmit_fix(task, people["peer"], "x")
    qs.resubmit_fix(task, people["author"], "已补充权利要求3的缺陷说明")
    task.refresh_from_db()
    assert task.state == FixTask.State.DONE and deadline(task, qs.FIX_KIND).state == Deadline.State.MET
    with pytest.raises(ValidationError):
        qs.resubmit_fix(task, people["author"], "again")


def test_appeal_once_to_the_next_level_and_upheld_appeal_overturns(org, applicant_user, people):
    check = _sampled_check(org, applicant_user, people)
    qs.add_error(check, people["qc"], error_type=ErrorType.objects.get(code="typo"), comment="错别字")
    qs.complete_check(check, people["qc"], outcome=QualityCheck.Outcome.RETURN, score=90, comment="修改错别字")
    with pytest.raises(PermissionDenied):
        qs.appeal(check, people["peer"], "不是我的")
    appeal_check = qs.appeal(check, people["author"], "该处为标准术语，并非错别字")
    assert appeal_check.level == Level.CENTRE and appeal_check.appeal_of == check
    with pytest.raises(ValidationError):
        qs.appeal(check, people["author"], "再申诉一次")
    with pytest.raises(ValidationError):
        qs.take_check(appeal_check, people["qc"])  # the original reviewer may not decide the appeal
    other_qc = factories.staff(roles.QC_REVIEWER)
    qs.take_check(appeal_check, other_qc)
    qs.complete_check(appeal_check, other_qc, outcome=QualityCheck.Outcome.PASS, score=95)
    check.refresh_from_db()
    assert check.overturned
    assert FixTask.objects.get(check_record=check).state == FixTask.State.DONE
    with pytest.raises(ValidationError):
        qs.appeal(appeal_check, people["author"], "centre is the last level")


# ---- CNIPA feedback ------------------------------------------------------------------------

def test_qualified_but_rejected_for_novelty_is_a_mismatch_on_the_examiners_record(org, applicant_user, people):
    opinion = _issued_opinions(org, applicant_user, people, 1)[0]
    case = opinion.case
    case.refresh_from_db()
    today = timezone.localdate()
    ps.record_cnipa_filing(case, applicant_user, application_number=make_application_number(today.year, 1, 7),
                           filed_on=today)
    case.refresh_from_db()
    ps.record_cnipa_outcome(case, applicant_user, outcome="rejection", outcome_date=today,
                            reasons="权利要求1不具备新颖性")
    item = FeedbackItem.objects.get(case=case)
    assert not item.consistent and item.examiner == people["author"] and "novelty" in item.missed
    assert people["author"].notifications.filter(title__contains="不一致").exists()


def test_grant_after_qualified_is_consistent(org, applicant_user, people):
    opinion = _issued_opinions(org, applicant_user, people, 1)[0]
    case = opinion.case
    case.refresh_from_db()
    today = timezone.localdate()
    ps.record_cnipa_filing(case, applicant_user, application_number=make_application_number(today.year, 1, 8),
                           filed_on=today)
    case.refresh_from_db()
    ps.record_cnipa_outcome(case, applicant_user, outcome="grant", outcome_date=today)
    assert FeedbackItem.objects.get(case=case).consistent


def test_deemed_withdrawal_is_not_counted_as_a_mismatch(org, applicant_user, people):
    opinion = _issued_opinions(org, applicant_user, people, 1)[0]
    case = opinion.case
    case.refresh_from_db()
    today = timezone.localdate()
    ps.record_cnipa_filing(case, applicant_user, application_number=make_application_number(today.year, 1, 9),
                           filed_on=today)
    case.refresh_from_db()
    ps.record_cnipa_outcome(case, applicant_user, outcome="deemed_withdrawn", outcome_date=today)
    item = FeedbackItem.objects.get(case=case)
    assert item.consistent is None and "不计入" in item.note
    assert not people["author"].notifications.filter(title__contains="不一致").exists()
    assert quality_stats(people["manager"])["consistency"]["total"] == 0


def test_feedback_list_shows_the_examiners_own_record(client, org, applicant_user, people):
    opinions = _issued_opinions(org, applicant_user, people, 2)
    mismatch = _feedback(opinions[0], people["author"], "rejection", False)
    _feedback(opinions[1], people["author"], "grant", True)
    url = reverse("quality:feedback-list")
    body = login(client, people["author"]).get(url, {"consistent": "0"}).content.decode()
    assert mismatch.case.number in body and opinions[1].case.number not in body
    assert opinions[1].case.number in client.get(url, {"consistent": "1"}).content.decode()
    assert client.get(url, {"consistent": "maybe"}).status_code == 200  # bad filter: errors, no rows, no 500
    assert mismatch.case.number not in login(client, people["peer"]).get(url).content.decode()
    assert login(client, people["peer"]).get(f"/api/v1/quality/feedback/{mismatch.pk}/").status_code == 404
    resp = login(client, people["qc"]).get("/api/v1/quality/feedback/", {"consistent": "0"})
    assert [r["id"] for r in resp.json()["results"]] == [mismatch.pk]
    assert login(client, people["author"]).get("/api/v1/quality/feedback/").json()["count"] == 2


# ---- statistics ----------------------------------------------------------------------------

def _done(level, opinion, examiner, reviewer, score, errors=(), outcome="pass", when=None):
    check = QualityCheck.objects.create(level=level, opinion=opinion, case=opinion.case, examiner=examiner,
                                 reviewer=reviewer, state="done", outcome=outcome, score=score,
                                 completed_at=when or timezone.now())
    for code in errors:
        check.errors.create(error_type=ErrorType.objects.get(code=code), comment="x")
    return check


def _feedback(opinion, examiner, outcome, consistent):
    return FeedbackItem.objects.create(case=opinion.case, opinion=opinion, examiner=examiner, conclusion="qualified",
                                       cnipa_outcome=outcome, consistent=consistent)


def test_statistics_match_hand_computed_values(org, applicant_user, people):
    opinions = _issued_opinions(org, applicant_user, people, 4)
    other = factories.examiner(("new-materials",), first_name="丁")
    a, b = people["author"], other
    o1, o2, o3, o4 = opinions
    _done("department", o1, a, people["qc"], 80, errors=["typo", "formal-missed"])
    _done("centre", o1, a, people["qc"], 90)
    _done("department", o2, a, people["qc"], 60, errors=["conclusion-wrong"], outcome="return")
    _done("peer", o2, b, a, None, errors=["typo"])  # b's work checked by a (peer, unscored)
    overturned = _done("department", o2, b, people["qc"], 50, errors=["typo"])
    overturned.overturned = True
    overturned.save()
    _feedback(o1, a, "grant", True)
    _feedback(o2, a, "rejection", False)
    _feedback(o3, a, "deemed_withdrawn", None)
    _feedback(o4, b, "grant", True)
    data = quality_stats(people["manager"])
    assert data["total"] == {"checks": 4, "with_errors": 3, "error_rate": 75.0, "avg_score": 76.7}
    rows = {r["label"]: r for r in data["by_examiner"]}
    assert rows[str(a)]["checks"] == 3 and rows[str(a)]["with_errors"] == 2 and rows[str(a)]["error_rate"] == 66.7
    assert rows[str(a)]["avg_score"] == 76.7
    assert rows[str(b)]["checks"] == 1 and rows[str(b)]["error_rate"] == 100.0 and rows[str(b)]["avg_score"] is None
    levels = {r["key"]: r for r in data["by_level"]}
    assert levels["department"]["checks"] == 2 and levels["department"]["error_rate"] == 100.0
    assert levels["department"]["avg_score"] == 70.0 and levels["centre"]["error_rate"] == 0.0
    # per category: checks with such an error, its share of the 4 checks, errors, average score of those checks
    cats = {r["label"]: (r["checks"], r["errors"], r["error_rate"], r["avg_score"]) for r in data["by_category"]}
    assert cats == {"撰写": (2, 2, 50.0, 80.0), "形式": (1, 1, 25.0, 80.0), "结论": (1, 1, 25.0, 60.0)}
    assert data["by_category"][0]["label"] == "撰写"
    months = data["by_month"]
    assert len(months) == 1 and months[0]["checks"] == 4 and months[0]["error_rate"] == 75.0
    fields = {r["label"]: r for r in data["by_field"]}
    assert fields["新材料"]["checks"] == 4
    # consistency: grant/rejection only (2 of a's + 1 of b's comparable, 2 consistent); withdrawal not counted
    c = data["consistency"]
    assert (c["total"], c["consistent"], c["rate"], c["not_comparable"]) == (3, 2, 66.7, 1)
    assert c["matrix"] == [{"conclusion": "qualified", "label": "合格", "cells": [2, 1, 1]}]
    by_ex = {r["label"]: (r["total"], r["consistent"], r["rate"]) for r in c["by_examiner"]}
    assert by_ex == {str(a): (2, 1, 50.0), str(b): (1, 1, 100.0)}
    assert [f.case_id for f in data["mismatches"]] == [o2.case_id]
    mine = quality_stats(a)  # an examiner sees only their own work
    assert mine["total"]["checks"] == 3 and [r["label"] for r in mine["by_examiner"]] == [str(a)]
    assert {r["label"]: r["error_rate"] for r in mine["by_category"]} == {"撰写": 33.3, "形式": 33.3, "结论": 33.3}
    assert (mine["consistency"]["total"], mine["consistency"]["rate"]) == (2, 50.0)
    # a period without checks
    empty = quality_stats(people["manager"], date_to=timezone.localdate() - datetime.timedelta(days=400))
    assert empty["total"] == {"checks": 0, "with_errors": 0, "error_rate": 0.0, "avg_score": None}


def test_stats_api_and_exports_follow_the_users_scope(client, org, applicant_user, people):
    opinions = _issued_opinions(org, applicant_user, people, 1)
    _done("department", opinions[0], people["author"], people["qc"], 70, errors=["typo"])
    login(client, people["author"])
    resp = client.get("/api/v1/quality/stats/")
    assert resp.status_code == 200 and resp.json()["total"]["checks"] == 1
    assert resp.json()["by_category"][0]["label"] == "撰写"
    resp = client.get("/api/v1/quality/stats/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert resp.status_code == 400 and "结束日期不能早于开始日期" in resp.json()["date_to"][0]
    resp = client.get("/api/v1/quality/stats/", {"date_from": "yesterday"})
    assert resp.status_code == 400 and "有效的日期" in resp.json()["date_from"][0]
    assert login(client, people["peer"]).get("/api/v1/quality/stats/").json()["total"]["checks"] == 0
    assert login(client, applicant_user).get("/api/v1/quality/stats/").status_code == 403
    page = login(client, people["manager"]).get(reverse("quality:stats"), {"date_from": "x"})
    assert page.status_code == 200 and "有效的日期" in page.content.decode()
    dashboard = client.get(reverse("stats:dashboard"))
    assert dashboard.status_code == 200 and 'data-testid="quality-dashboard"' in dashboard.content.decode()


def test_stats_exports_render_pdf_and_xlsx(org, applicant_user, people, django_capture_on_commit_callbacks,
                                          tmp_path):
    import subprocess

    from openpyxl import load_workbook

    from ipcenter.reports.services import request_report

    opinions = _issued_opinions(org, applicant_user, people, 2)
    _done("department", opinions[0], people["author"], people["qc"], 70, errors=["typo"])
    _feedback(opinions[1], people["author"], "rejection", False)
    with django_capture_on_commit_callbacks(execute=True):
        pdf_job = request_report("quality.stats.pdf", people["manager"], {})
        xlsx_job = request_report("quality.stats.xlsx", people["manager"], {"date_from": "", "date_to": "x"})
    pdf_job.refresh_from_db()
    xlsx_job.refresh_from_db()
    assert pdf_job.status == "done" and xlsx_job.status == "done", (pdf_job.error, xlsx_job.error)
    pdf = tmp_path / "q.pdf"
    with pdf_job.result.open("rb") as fh:
        pdf.write_bytes(fh.read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "预审质量统计" in text and "撰写" in text and opinions[1].case.number in text
    with xlsx_job.result.open("rb") as fh:
        wb = load_workbook(fh)
    assert list(wb["按差错类别"].values)[1] == ("撰写", 1, 1, 100, 70)
    assert list(wb["实审不一致"].values)[1][0] == opinions[1].case.number
    assert list(wb["实审一致性"].values)[1][:3] == (1, 0, 0)


# ---- access --------------------------------------------------------------------------------

def test_examiner_cannot_see_checks_of_anothers_work_unless_reviewer(client, org, applicant_user, people):
    check = _sampled_check(org, applicant_user, people)
    stranger = factories.examiner(("new-materials",))
    url = reverse("quality:check-detail", args=[check.pk])
    assert login(client, stranger).get(url).status_code == 404
    assert login(client, applicant_user).get(url).status_code == 404
    assert login(client, people["author"]).get(url).status_code == 200
    assert login(client, people["qc"]).get(url).status_code == 200
    api = f"/api/v1/quality/checks/{check.pk}/"
    assert login(client, stranger).get(api).status_code == 404
    assert login(client, people["author"]).get(api).status_code == 200
    sample_url = reverse("quality:sample-detail", args=[check.sample_id])
    assert login(client, people["author"]).get(sample_url).status_code == 404
    page = login(client, people["qc"]).get(sample_url)
    assert page.status_code == 200 and check.case.number in page.content.decode()
    assert "结果一致" in page.content.decode()


def test_check_form_rejects_bad_input_with_field_errors(client, org, applicant_user, people):
    check = _sampled_check(org, applicant_user, people)
    url = reverse("quality:check-detail", args=[check.pk])
    login(client, people["qc"])
    resp = client.post(url, {"action": "complete", "outcome": "return", "score": "150", "comment": ""})
    assert resp.status_code == 400 and "100" in resp.content.decode()
    resp = client.post(url, {"action": "add_error", "error_type": "", "comment": ""})
    assert resp.status_code == 400 and "该字段是必填项" in resp.content.decode()
    resp = client.post(url, {"action": "add_error", "error_type": "abc", "comment": "x", "defect_item": "99999"})
    assert resp.status_code == 400 and "选择一个有效的选项" in resp.content.decode()
    resp = client.post(url, {"action": "remove_error", "error": "abc"}, follow=True)
    assert resp.status_code == 200 and "请选择要删除的差错" in resp.content.decode()
    resp = client.post(url, {"action": "fix", "fix_note": "done"}, follow=True)
    assert resp.status_code == 200 and "没有整改任务" in resp.content.decode()
    assert client.post(url, {"action": "explode"}).status_code == 404
    resp = client.post(url, {"action": "appeal", "reason": "x"}, follow=True)  # not the examiner
    assert resp.status_code == 200 and "只有被检预审员可以申诉" in resp.content.decode()
    check.refresh_from_db()
    assert check.state == QualityCheck.State.OPEN and not check.errors.exists()


def test_api_rejects_bad_input_with_field_errors_and_refuses_others(client, org, applicant_user, people):
    check = _sampled_check(org, applicant_user, people)
    base = f"/api/v1/quality/checks/{check.pk}"
    login(client, people["qc"])
    resp = client.post(f"{base}/complete/", {"outcome": "maybe", "score": 150}, content_type="application/json")
    assert resp.status_code == 400 and set(resp.json()) >= {"outcome", "score"}
    resp = client.post(f"{base}/complete/", {"outcome": "return", "score": 60}, content_type="application/json")
    assert resp.status_code == 400 and "写明要求" in resp.json()["comment"][0]
    resp = client.post(f"{base}/errors/", {"error_type": 999999, "comment": ""}, content_type="application/json")
    assert resp.status_code == 400 and set(resp.json()) >= {"error_type", "comment"}
    other_case = ps.submit_case(draft(org, applicant_user), applicant_user)
    ps.accept_case(other_case, people["manager"])
    ps.assign_case(other_case, people["peer"], people["manager"])
    other_case.refresh_from_db()
    other_item = submitted_opinion(other_case, people["peer"]).items.first()
    resp = client.post(f"{base}/errors/", {"error_type": ErrorType.objects.get(code="typo").pk, "comment": "x",
                                           "defect_item": other_item.pk}, content_type="application/json")
    assert resp.status_code == 400 and "不属于被检意见" in resp.json()["defect_item"][0]
    resp = client.post("/api/v1/quality/samples/", {"level": "peer", "period_start": "2026-01-01",
                                                     "period_end": "2026-01-31"}, content_type="application/json")
    assert resp.status_code == 400 and "level" in resp.json()
    resp = client.post("/api/v1/quality/samples/", {"level": "centre", "period_start": "2026-02-01",
                                                     "period_end": "2026-01-31", "share": 3},
                       content_type="application/json")
    assert resp.status_code == 400 and "share" in resp.json()
    # the examiner whose work it is may read it but not fill it in; nor draw samples
    login(client, people["author"])
    resp = client.post(f"{base}/complete/", {"outcome": "pass", "score": 100}, content_type="application/json")
    assert resp.status_code == 403
    resp = client.post("/api/v1/quality/samples/", {"level": "centre", "period_start": "2026-01-01",
                                                     "period_end": "2026-01-31"}, content_type="application/json")
    assert resp.status_code in (403, 404)
    resp = client.post(f"{base}/appeal/", {"reason": ""}, content_type="application/json")
    assert resp.status_code == 400 and "reason" in resp.json()
    check.refresh_from_db()
    assert check.state == QualityCheck.State.OPEN and not check.errors.exists() and Sample.objects.count() == 1


def test_pages_and_exports_open_for_quality_users(client, org, applicant_user, people):
    _sampled_check(org, applicant_user, people)
    for user in (people["qc"], people["author"], people["manager"]):
        login(client, user)
        for name in ("quality:index", "quality:check-list", "quality:stats"):
            assert client.get(reverse(name)).status_code == 200
    assert login(client, applicant_user).get(reverse("quality:index")).status_code == 403
    login(client, people["qc"])
    resp = client.post(reverse("quality:sample-create"), {"level": "department", "period_start": "2026-02-01",
                                                          "period_end": "2026-01-01"})
    assert resp.status_code == 400 and "结束日期不能早于开始日期" in resp.content.decode()
    assert not Sample.objects.filter(period_start=datetime.date(2026, 2, 1)).exists()


def test_demo_seed_has_quality_data():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    assert Sample.objects.filter(level=Level.DEPARTMENT).exists()
    assert QualityCheck.objects.filter(state="done", outcome="return").exists()
    assert QualityCheck.objects.filter(appeal_of__isnull=False).exists()
    assert FeedbackItem.objects.filter(consistent=True).exists()
    assert QualityCheck.objects.filter(reviewer__username="qc", state="open").exists()


def test_monthly_samples_are_drawn_once_per_level_and_month(org, applicant_user, people):
    opinions = _issued_opinions(org, applicant_user, people, 3)
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=3)
    Opinion.objects.filter(pk__in=[o.pk for o in opinions]).update(
        issued_at=timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(10))))
    drawn = qs.draw_monthly_samples()
    assert {s.level for s in drawn} == {Level.DEPARTMENT, Level.CENTRE}
    assert all(s.drawn_by is None and len(s.selected) >= 1 for s in drawn)
    assert QualityCheck.objects.filter(sample__in=drawn, reviewer__isnull=True).count() == sum(len(s.selected) for s in drawn)
    assert qs.draw_monthly_samples() == []  # a re-run draws nothing
    assert people["qc"].notifications.filter(title__contains="质检抽样").exists()
