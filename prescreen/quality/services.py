"""Rules of the four-level quality check.

- Peer check (互检): opened by the ``opinion_submitted`` signal (every opinion, or a share
  chosen deterministically per opinion), assigned to a colleague of the field, blocks the
  opinion's release until it passes; a return sends the opinion back to its author.
- Department / centre checks: ``draw_sample`` picks a weighted random share of issued
  opinions (Efraimidis–Spirakis keys from a recorded seed, so a draw is reproducible).
- A check records a score and catalogue errors; ``return`` opens a fix task with a
  deadline; a finding can be appealed once to the next level.
- 实审反馈: ``record_feedback`` compares the CNIPA outcome with the pre-exam conclusion.
"""
import hashlib
import random

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.accounts import roles
from ipcenter.accounts.models import User
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import close_deadlines, open_deadline
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event, run_transition

from .models import NEXT_LEVEL, QualityCheck, CheckError, ErrorType, FeedbackItem, FixTask, Level, QualitySettings, Sample

CHECK_KIND = "quality.check"
FIX_KIND = "quality.fix"


def _name(user):
    return str(user)


def with_due(qs, kind):
    """Annotate ``due_at`` (the latest clock of ``kind``) and ``overdue`` on checks or fix tasks."""
    from ipcenter.deadlines.services import latest_clock

    return qs.annotate(due_at=latest_clock(qs.model, kind))


def is_reviewer_for(user, level):
    if level == Level.PEER:
        return user.has_role(roles.EXAMINER)
    return user.is_centre_wide or user.has_role(roles.QC_REVIEWER)


# --- peer check -----------------------------------------------------------------------------

def needs_peer_check(opinion, cfg=None):
    """Every opinion, or a share of them chosen by a hash of the opinion (stable on retries)."""
    cfg = cfg or QualitySettings.load()
    if cfg.peer_mode == QualitySettings.PeerMode.ALL:
        return True
    digest = hashlib.sha256(f"peer:{opinion.pk}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < float(cfg.peer_share)


def peer_candidates(opinion):
    """Colleagues who may peer-check: examiners of the case's field, never the author; when the
    author is the only examiner of the field, any other examiner (so no opinion waits forever)."""
    others = User.objects.filter(groups__name=roles.EXAMINER, is_active=True).exclude(pk=opinion.author_id)
    same_field = others.filter(technical_fields=opinion.case.technical_field_id).distinct()
    return same_field if same_field.exists() else others.distinct()


def open_peer_check(opinion, actor=None):
    """Open the peer check of a submitted opinion (idempotent); the previous reviewer of the
    same opinion gets the next round, otherwise the least-loaded colleague."""
    cfg = QualitySettings.load()
    if not needs_peer_check(opinion, cfg):
        return None
    existing = QualityCheck.objects.filter(opinion=opinion, level=Level.PEER, state=QualityCheck.State.OPEN).first()
    if existing:
        return existing
    previous = (QualityCheck.objects.filter(opinion=opinion, level=Level.PEER, state=QualityCheck.State.DONE)
                .exclude(reviewer__isnull=True).order_by("-completed_at").first())
    reviewer = previous.reviewer if previous and previous.reviewer.is_active else None
    if reviewer is None:
        reviewer = (peer_candidates(opinion).annotate(open_checks=Count(
            "quality_checks_done", filter=Q(quality_checks_done__state=QualityCheck.State.OPEN)))
            .order_by("open_checks", "pk").first())
    try:
        with transaction.atomic():
            check = QualityCheck.objects.create(level=Level.PEER, opinion=opinion, case=opinion.case,
                                         examiner=opinion.author, reviewer=reviewer)
    except IntegrityError:  # opened concurrently
        return QualityCheck.objects.get(opinion=opinion, level=Level.PEER, state=QualityCheck.State.OPEN)
    if reviewer is not None:
        open_deadline(check, CHECK_KIND, label=gettext_lazy("完成互检"), rule=Deadline.Rule.WORKING_DAYS,
                      amount=cfg.peer_check_working_days, assignee=reviewer)
        notify([reviewer], title=gettext_lazy("请互检：%(case)s"), title_params={"case": opinion.case}, target=check)
    else:
        from ipcenter.notify.services import notify_role

        notify_role(roles.MANAGER, title=gettext_lazy("没有可互检的其他预审员：%(case)s"),
                    title_params={"case": opinion.case}, body=gettext_lazy("该意见在互检完成前不能签发。"), target=check, key=f"quality.peer.none.{check.pk}")
    record_event(opinion.case, "quality.check.peer_opened", actor,
                 data={"reviewer": _name(reviewer) if reviewer else ""})
    return check


def peer_release_blocker(opinion):
    if QualityCheck.objects.filter(opinion=opinion, level=Level.PEER, state=QualityCheck.State.OPEN).exists():
        return _("互检尚未完成，意见暂不能签发。")
    return None


def take_peer_check(check, user):
    """An examiner of the field takes an unassigned peer check."""
    with transaction.atomic():
        locked = QualityCheck.objects.select_for_update().get(pk=check.pk)
        if locked.level != Level.PEER or locked.state != QualityCheck.State.OPEN:
            raise ValidationError(_("该互检已不可领取。"))
        if locked.reviewer_id:
            raise ValidationError(_("该互检已由%(name)s领取。") % {"name": _name(locked.reviewer)})
        if user.pk == locked.examiner_id:
            raise ValidationError(_("不能检查自己的工作。"))
        if not peer_candidates(locked.opinion).filter(pk=user.pk).exists():
            raise PermissionDenied(_("只有同领域的其他预审员可以互检。"))
        locked.reviewer = user
        locked.save(update_fields=["reviewer"])
    open_deadline(locked, CHECK_KIND, label=gettext_lazy("完成互检"), rule=Deadline.Rule.WORKING_DAYS,
                  amount=QualitySettings.load().peer_check_working_days, assignee=user)
    return locked


# --- recording a check ----------------------------------------------------------------------

def _editable(check, user):
    if check.state != QualityCheck.State.OPEN:
        raise ValidationError(_("该质检已完成。"))
    if check.reviewer_id != user.pk:
        raise PermissionDenied(_("只有本次质检的检查人可以填写。"))
    if user.pk == check.examiner_id:
        raise PermissionDenied(_("不能检查自己的工作。"))


def add_error(check, user, *, error_type, comment, defect_item=None):
    _editable(check, user)
    if not isinstance(error_type, ErrorType) or not error_type.active:
        raise ValidationError({"error_type": _("请选择差错类型。")})
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请说明差错。")})
    if defect_item is not None and defect_item.opinion_id != check.opinion_id:
        raise ValidationError({"defect_item": _("该缺陷条目不属于被检意见。")})
    return CheckError.objects.create(check_record=check, error_type=error_type, comment=comment.strip(),
                                     defect_item=defect_item)


def remove_error(check, user, error_id):
    _editable(check, user)
    CheckError.objects.filter(check_record=check, pk=error_id).delete()


def complete_check(check, user, *, outcome, score=None, comment=""):
    """Finish a check.  Peer: pass → the opinion is released; return → back to its author.
    Sampled: return → a fix task with a deadline on the examiner's list and the case timeline."""
    from prescreen import services as prescreen_services

    errors = {}
    if outcome not in QualityCheck.Outcome.values:
        errors["outcome"] = _("请选择质检结论。")
    if check.level != Level.PEER and score is None:
        errors["score"] = _("抽检须评分（0–100）。")
    if score is not None and not 0 <= score <= 100:
        errors["score"] = _("评分应在 0 到 100 之间。")
    if outcome == QualityCheck.Outcome.RETURN and not (comment or "").strip():
        errors["comment"] = _("退回整改时请写明要求。")
    if outcome in (QualityCheck.Outcome.REMARKS,) and not (comment or "").strip():
        errors["comment"] = _("请填写检查意见。")
    if errors:
        raise ValidationError(errors)
    cfg = QualitySettings.load()
    with transaction.atomic():
        locked = QualityCheck.objects.select_for_update().select_related("opinion", "case").get(pk=check.pk)
        _editable(locked, user)
        if outcome == QualityCheck.Outcome.PASS and locked.errors.filter(error_type__severity="critical").exists():
            raise ValidationError({"outcome": _("存在严重差错时不能直接通过。")})
        def on_complete(row):
            row.outcome, row.score = outcome, score
            row.comment, row.completed_at = (comment or "").strip(), timezone.now()

        run_transition(locked, "complete", user, check_permission=False, on_change=on_complete)
        close_deadlines(locked, CHECK_KIND)
        record_event(locked.case, f"quality.check.{locked.level}_{outcome}", user, comment=locked.comment,
                     data={"errors": locked.errors.count(), "score": score})
        if locked.level == Level.PEER:
            if outcome == QualityCheck.Outcome.RETURN:
                prescreen_services.return_opinion(locked.opinion, user, locked.comment)
            else:
                prescreen_services.try_release(locked.opinion, user)
        elif outcome == QualityCheck.Outcome.RETURN:
            task = FixTask.objects.create(check_record=locked, case=locked.case, examiner=locked.examiner,
                                          reason=locked.comment)
            open_deadline(task, FIX_KIND, label=gettext_lazy("质检整改"), rule=Deadline.Rule.WORKING_DAYS,
                          amount=cfg.fix_working_days, assignee=locked.examiner)
            record_event(locked.case, "quality.fixtask.opened", user, comment=locked.comment)
        if locked.appeal_of_id:
            _settle_appeal(locked)
    notify([locked.examiner], title=gettext_lazy("质检结果：%(case)s · %(outcome)s"), title_params={
        "case": locked.case, "outcome": QualityCheck.Outcome(locked.outcome).label}, body=locked.comment, target=locked)
    return locked


def resubmit_fix(task, user, note):
    """The examiner reports the fix: the task and its deadline close, the reviewer is told."""
    if not (note or "").strip():
        raise ValidationError({"fix_note": _("请说明整改情况。")})
    with transaction.atomic():
        locked = FixTask.objects.select_for_update().select_related("check_record", "case").get(pk=task.pk)
        if locked.examiner_id != user.pk:
            raise PermissionDenied(_("只有被检预审员可以提交整改。"))
        if locked.state != FixTask.State.OPEN:
            raise ValidationError(_("该整改任务已完成。"))
        def on_done(row):
            row.fix_note, row.done_at = note.strip(), timezone.now()

        run_transition(locked, "done", user, check_permission=False, on_change=on_done)
        close_deadlines(locked, FIX_KIND)
        record_event(locked.case, "quality.fixtask.done", user, comment=locked.fix_note)
    if locked.check_record.reviewer:
        notify([locked.check_record.reviewer], title=gettext_lazy("整改已提交：%(case)s"), title_params={"case": locked.case},
               body=locked.fix_note, target=locked.check_record)
    return locked


# --- appeal ---------------------------------------------------------------------------------

def appeal(check, user, reason):
    """The examiner disputes a finding once; a check at the next level decides it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写申诉理由。")})
    with transaction.atomic():
        locked = QualityCheck.objects.select_for_update().get(pk=check.pk)
        if locked.examiner_id != user.pk:
            raise PermissionDenied(_("只有被检预审员可以申诉。"))
        if locked.state != QualityCheck.State.DONE or not (locked.outcome == QualityCheck.Outcome.RETURN
                                                    or locked.errors.exists()):
            raise ValidationError(_("只有已完成且有差错或退回的质检可以申诉。"))
        if locked.level not in NEXT_LEVEL:
            raise ValidationError(_("保护中心质检为最高层级，不能再申诉。"))
        if QualityCheck.objects.filter(appeal_of=locked).exists():
            raise ValidationError(_("每项质检结论只能申诉一次。"))
        try:
            with transaction.atomic():
                appeal_check = QualityCheck.objects.create(
                    level=NEXT_LEVEL[locked.level], opinion_id=locked.opinion_id, case_id=locked.case_id,
                    examiner_id=locked.examiner_id, appeal_of=locked, appeal_reason=reason.strip())
        except IntegrityError:
            raise ValidationError(_("每项质检结论只能申诉一次。"))
        record_event(locked.case, "quality.check.appealed", user,
                     params={"level": appeal_check.get_level_display()}, comment=reason)
    from ipcenter.notify.services import notify_role

    notify_role(roles.QC_REVIEWER, title=gettext_lazy("质检申诉待复核：%(case)s"), title_params={"case": locked.case},
                target=appeal_check)
    return appeal_check


def take_check(check, user):
    """A QC reviewer takes an unassigned sampled or appeal check."""
    if check.level == Level.PEER:
        return take_peer_check(check, user)
    if not is_reviewer_for(user, check.level):
        raise PermissionDenied(_("只有质检人员可以领取。"))
    with transaction.atomic():
        locked = QualityCheck.objects.select_for_update().get(pk=check.pk)
        if locked.state != QualityCheck.State.OPEN or locked.reviewer_id:
            raise ValidationError(_("该质检已不可领取。"))
        if user.pk == locked.examiner_id:
            raise ValidationError(_("不能检查自己的工作。"))
        if locked.appeal_of_id and locked.appeal_of.reviewer_id == user.pk:
            raise ValidationError(_("申诉须由原检查人以外的人员复核。"))
        locked.reviewer = user
        locked.save(update_fields=["reviewer"])
    open_deadline(locked, CHECK_KIND, label=gettext_lazy("完成质检"), rule=Deadline.Rule.WORKING_DAYS,
                  amount=QualitySettings.load().check_working_days, assignee=user)
    return locked


def _settle_appeal(appeal_check):
    """The appeal check passing overturns the original finding (its errors leave the statistics
    and an open fix task is closed)."""
    original = appeal_check.appeal_of
    if appeal_check.outcome in (QualityCheck.Outcome.PASS, QualityCheck.Outcome.REMARKS):
        QualityCheck.objects.filter(pk=original.pk).update(overturned=True)
        task = FixTask.objects.filter(check_record=original, state=FixTask.State.OPEN).first()
        if task:
            def on_done(row):
                row.done_at, row.fix_note = timezone.now(), _("申诉成立，无需整改。")

            run_transition(task, "done", appeal_check.reviewer, check_permission=False, on_change=on_done)
            close_deadlines(task, FIX_KIND, state=Deadline.State.CANCELLED)
        record_event(original.case, "quality.check.appeal_upheld", appeal_check.reviewer)
    else:
        record_event(original.case, "quality.check.appeal_rejected", appeal_check.reviewer)


# --- sampling -------------------------------------------------------------------------------

def risk_weight(opinion, cfg, complex_ids, today):
    """1 + the configured extra weight of each risk the opinion carries."""
    weight = 1.0
    author, case = opinion.author, opinion.case
    if author.hired_on and author.hired_on > today - relativedelta(months=cfg.new_examiner_months):
        weight += float(cfg.weight_new_examiner)
    if case.technical_field_id in complex_ids:
        weight += float(cfg.weight_complex_field)
    weight += float(cfg.weight_per_correction) * case.correction_rounds
    if case.cnipa_outcome == "rejection":
        weight += float(cfg.weight_cnipa_rejected)
    return round(weight, 4)


def weighted_pick(population, k, seed):
    """Efraimidis–Spirakis weighted sampling without replacement: the k items with the largest
    u^(1/w) keys, u drawn from ``random.Random(seed)`` in population order (reproducible)."""
    rng = random.Random(seed)
    keyed = [(rng.random() ** (1.0 / w), item) for item, w in population]
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return sorted(item for _key, item in keyed[:k])


def sample_population(level, period_start, period_end):
    """Issued opinions (every round) of the period not yet sampled at this level."""
    from prescreen.models import Opinion

    already = QualityCheck.objects.filter(level=level, sample__isnull=False).values("opinion_id")
    return (Opinion.objects.filter(state=Opinion.State.ISSUED, issued_at__date__gte=period_start,
                                   issued_at__date__lte=period_end)
            .exclude(pk__in=already).select_related("author", "case").order_by("pk"))


def draw_sample(level, user, *, period_start, period_end, share=None, seed=None, reviewer=None):
    """Draw and record a sample; each drawn opinion becomes an open check with a deadline."""
    if level not in (Level.DEPARTMENT, Level.CENTRE):
        raise ValidationError({"level": _("只有部级和保护中心质检需要抽样。")})
    if user is not None and not is_reviewer_for(user, level):  # None = the monthly automatic draw
        raise PermissionDenied(_("只有质检人员或中心管理人员可以抽样。"))
    if period_end < period_start:
        raise ValidationError({"period_end": _("结束日期不能早于开始日期。")})
    if reviewer is not None and not is_reviewer_for(reviewer, level):
        raise ValidationError({"reviewer": _("所选人员不是质检人员。")})
    cfg = QualitySettings.load()
    if share is None:
        share = cfg.department_share if level == Level.DEPARTMENT else cfg.centre_share
    if not 0 < float(share) <= 1:
        raise ValidationError({"share": _("抽检比例应大于 0 且不超过 1。")})
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**53)
    today = timezone.localdate()
    complex_ids = set(cfg.complex_fields.values_list("pk", flat=True))
    with transaction.atomic():
        Sample.objects.select_for_update().filter(level=level).exists()  # serialise draws per level
        opinions = list(sample_population(level, period_start, period_end))
        population = [(o.pk, risk_weight(o, cfg, complex_ids, today)) for o in opinions]
        k = round(len(population) * float(share))
        if population and k == 0:
            k = 1
        chosen = weighted_pick(population, k, seed)
        sample = Sample.objects.create(level=level, period_start=period_start, period_end=period_end, share=share,
                                       seed=seed, population=[[pk, w] for pk, w in population], selected=chosen,
                                       drawn_by=user)
        by_pk = {o.pk: o for o in opinions}
        assignee = reviewer or user
        for pk in chosen:
            o = by_pk[pk]
            check = QualityCheck.objects.create(level=level, opinion=o, case=o.case, examiner=o.author,
                                         reviewer=assignee if assignee and assignee.pk != o.author_id else None,
                                         sample=sample)
            if check.reviewer_id:
                open_deadline(check, CHECK_KIND, label=gettext_lazy("完成%(level)s"),
                              label_params={"level": Level(check.level).label},
                              rule=Deadline.Rule.WORKING_DAYS, amount=cfg.check_working_days,
                              assignee=check.reviewer)
            record_event(o.case, f"quality.sample.{level}_drawn", user)
    return sample


def redraw(sample):
    """Recompute a recorded draw from its seed and population (for audit)."""
    return weighted_pick([(pk, w) for pk, w in sample.population], len(sample.selected), sample.seed)


# --- 实审反馈 -------------------------------------------------------------------------------

# words of a CNIPA rejection reason → the defect-type codes that would have raised it
REASON_MAP = [
    ("新颖性", "novelty"), ("创造性", "inventiveness"), ("公开不充分", "insufficient-disclosure"),
    ("不清楚", "unclear-claim"), ("得不到说明书支持", "unsupported-claim"), ("支持", "unsupported-claim"),
]


def record_feedback(case, actor=None):
    """Compare the CNIPA outcome with the pre-exam conclusion and defect items (idempotent)."""
    from prescreen.models import Opinion

    if not case.cnipa_outcome:
        return None
    opinion = case.opinions.filter(state=Opinion.State.ISSUED).order_by("-round").first()
    if opinion is None:
        return None
    raised = set(case.opinions.filter(state=Opinion.State.ISSUED).values_list("items__defect_type__code", flat=True))
    missed = []
    for word, code in REASON_MAP:
        if word in (case.cnipa_reasons or "") and code not in raised and code not in missed:
            missed.append(code)
    qualified = case.conclusion == Opinion.Conclusion.QUALIFIED
    if case.cnipa_outcome == "grant":
        consistent = qualified
    elif case.cnipa_outcome == "rejection":
        consistent = not qualified
    else:  # a deemed withdrawal (the applicant let it lapse) says nothing about the pre-exam
        consistent = None
    note = ""
    if qualified and case.cnipa_outcome == "rejection":
        note = _("预审合格但实审驳回。")
    elif not qualified and case.cnipa_outcome == "grant":
        note = _("预审不合格但实审授权。")
    elif consistent is None:
        note = _("申请视为撤回，不计入一致性。")
    if missed:
        note += _("驳回理由涉及预审未指出的问题。")
    item, created = FeedbackItem.objects.get_or_create(case=case, defaults=dict(
        opinion=opinion, examiner=opinion.author, conclusion=case.conclusion, cnipa_outcome=case.cnipa_outcome,
        cnipa_reasons=case.cnipa_reasons, consistent=consistent, missed=missed, note=note))
    if created:
        verdict = {True: _("一致"), False: _("不一致"), None: _("不可比")}[consistent]
        record_event(case, "quality.feedbackitem.recorded", actor, params={"verdict": verdict}, comment=note)
        if consistent is False:
            notify([opinion.author], title=gettext_lazy("实审反馈与预审结论不一致：%(case)s"), title_params={"case": case},
                   body=note,
                   target=case)
    return item


def draw_monthly_samples(today=None):
    """Beat task: on the first days of a month, draw last month's department and centre samples
    (once per level and month; the checks wait unassigned for the QC reviewers)."""
    today = today or timezone.localdate()
    period_end = today.replace(day=1) - relativedelta(days=1)
    period_start = period_end.replace(day=1)
    drawn = []
    for level in (Level.DEPARTMENT, Level.CENTRE):
        with transaction.atomic():
            Sample.objects.select_for_update().filter(level=level).exists()
            if Sample.objects.filter(level=level, period_start=period_start, period_end=period_end).exists():
                continue
            drawn.append(draw_sample(level, None, period_start=period_start, period_end=period_end))
    if drawn:
        from ipcenter.notify.services import notify_role

        notify_role(roles.QC_REVIEWER, title=gettext_lazy("%(month)s 质检抽样已生成，共 %(n)s 件待领取"), title_params={
            "month": f"{period_start:%Y-%m}", "n": sum(len(s.selected) for s in drawn)})
    return drawn
