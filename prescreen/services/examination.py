"""Pre-exam examination: acceptance and the examiner queue (claim / assign) with the
turnaround clock, withdrawal and termination; opinions, release, corrections and the opinion letter.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.accounts import roles
from ipcenter.accounts.rules import is_centre_manager
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import close_deadlines, on_expiry, open_deadline, reassign
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event, run_transition
from ipcenter.workflow.numbering import next_number

from ..models import PreExamCase, PrescreenSettings
from .cnipa import CNIPA_FILING
from .filing import DOCUMENT_ROLES, run_formal_precheck


TURNAROUND = "prescreen.turnaround"


def _case_number(case):
    return next_number("prescreen.case", template="YS{year}{seq:05d}", existing=(PreExamCase, "number", "YS{year}"))


def accept_case(case, user, comment=""):
    """Staff accept a submitted case: it gets its number and the turnaround clock starts."""
    cfg = PrescreenSettings.load()

    def on_change(locked):
        locked.accepted_at = timezone.now()
        if not locked.number:
            locked.number = _case_number(locked)

    case = run_transition(case, "accept", user, comment, on_change=on_change)
    open_deadline(case, TURNAROUND, label=gettext_lazy("预审办结"), rule=Deadline.Rule.WORKING_DAYS,
                  amount=cfg.turnaround_working_days, start=case.accepted_at)
    notify([case.filed_by], title=gettext_lazy("预审案件已受理：%(title)s"), title_params={"title": case.title}, target=case,
           key=f"prescreen.accepted.{case.pk}")
    return case


def refuse_case(case, user, reason):
    case = run_transition(case, "refuse", user, reason,
                          on_change=lambda locked: setattr(locked, "refuse_reason", reason))
    notify([case.filed_by], title=gettext_lazy("预审案件不予受理：%(title)s"), title_params={"title": case.title}, body=reason,
           target=case, key=f"prescreen.refused.{case.pk}")
    return case


def _reassign_turnaround(case, examiner):
    reassign(case, TURNAROUND, assignee=examiner)


def _start_examination(case, examiner, actor, action):
    case.examiner = examiner
    run_transition(case, "start", actor, check_permission=False,
                   on_change=lambda locked: setattr(locked, "examiner", examiner))
    _reassign_turnaround(case, examiner)
    record_event(case, action, actor, data={"examiner": str(examiner)})
    return case


def claim_next(examiner):
    """Give the examiner the oldest unclaimed accepted case of their fields, or ``None``.

    Race-safe: the candidate row is locked with ``SKIP LOCKED``, so two examiners
    claiming at the same moment get different cases (never the same one)."""
    if not examiner.has_role(roles.EXAMINER):
        raise PermissionDenied(_("只有预审员可以领取案件。"))
    with transaction.atomic():
        case = (PreExamCase.objects.queue_for(examiner)
                .select_for_update(skip_locked=True, of=("self",)).first())
        if case is None:
            return None
        return _start_examination(case, examiner, examiner, "prescreen.preexamcase.claimed")


def claim_case(case, examiner):
    """The examiner takes this accepted, unclaimed case of one of their fields.

    Race-safe: the row is locked and its state read again under the lock, so of two examiners
    clicking at once one gets the case and the other a message naming who took it."""
    if not examiner.has_role(roles.EXAMINER):
        raise PermissionDenied(_("只有预审员可以领取案件。"))
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update(of=("self",)).select_related("examiner").get(pk=case.pk)
        if locked.state != PreExamCase.State.ACCEPTED or locked.examiner_id is not None:
            if locked.examiner_id == examiner.pk:
                raise ValidationError(_("您已领取该案件。"), code="claimed")
            if locked.examiner_id is not None:
                raise ValidationError(_("该案件已被 %(name)s 领取。") % {"name": locked.examiner}, code="claimed")
            raise ValidationError(_("当前状态为“%(state)s”，不能领取。") % {"state": locked.get_state_display()},
                                  code="state")
        if not examiner.technical_fields.filter(pk=locked.technical_field_id).exists():
            raise ValidationError(_("该案件属于“%(field)s”领域，您不负责该领域，不能领取。")
                                  % {"field": locked.technical_field}, code="field")
        return _start_examination(locked, examiner, examiner, "prescreen.preexamcase.claimed")


def claimable_by(case, user):
    """Whether ``user`` may claim ``case`` now (the page shows the button), and if not but they
    are an examiner, why (a hint instead of a silent page)."""
    if not user.has_role(roles.EXAMINER) or case.state != PreExamCase.State.ACCEPTED or case.examiner_id:
        return False, ""
    if not user.technical_fields.filter(pk=case.technical_field_id).exists():
        return False, _("该案件属于“%(field)s”领域，您不负责该领域；如需办理请联系中心管理人员分配。") % {
            "field": case.technical_field}
    return True, ""


def assign_case(case, examiner, manager):
    """A manager assigns an accepted case, or reassigns one under examination."""
    if not is_centre_manager(manager):
        raise PermissionDenied(_("只有中心管理人员可以分配案件。"))
    if not examiner.has_role(roles.EXAMINER):
        raise ValidationError({"examiner": _("所选人员不是预审员。")})
    if not examiner.technical_fields.filter(pk=case.technical_field_id).exists():
        raise ValidationError({"examiner": _("该预审员不负责“%(field)s”领域。") % {"field": case.technical_field}})
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        if locked.state == PreExamCase.State.ACCEPTED:
            return _start_examination(locked, examiner, manager, "prescreen.preexamcase.assigned")
        if locked.state in (PreExamCase.State.EXAMINING, PreExamCase.State.NEEDS_CORRECTION):
            previous = locked.examiner
            locked.examiner = examiner
            locked.save(update_fields=["examiner"])
            _reassign_turnaround(locked, examiner)
            record_event(locked, "prescreen.preexamcase.reassigned", manager,
                         data={"from": str(previous or ""), "to": str(examiner)})
            return locked
        raise ValidationError(_("当前状态为“%(state)s”，不能分配。") % {"state": locked.get_state_display()})


def close_turnaround(case):
    close_deadlines(case, TURNAROUND)


# --- opinions, release, corrections, conclusion -------------------------------------------
CORRECTION = "prescreen.correction"


def start_opinion(case, examiner):
    """The case's examiner opens (or continues) the opinion of the current round."""
    from ..models import Opinion

    if case.examiner_id != examiner.pk:
        raise PermissionDenied(_("只有本案预审员可以撰写意见。"))
    if case.state != PreExamCase.State.EXAMINING:
        raise ValidationError(_("案件不在预审中，不能撰写意见。"))
    with transaction.atomic():
        open_one = case.opinions.select_for_update().filter(
            state__in=[Opinion.State.DRAFT, Opinion.State.RETURNED, Opinion.State.SUBMITTED]).first()
        if open_one:
            return open_one
        return Opinion.objects.create(case=case, author=examiner, round=case.opinions.count() + 1)


def add_defect_item(opinion, user, *, defect_type, location, text, suggestion=""):
    from ..models import DefectItem, Opinion

    if opinion.author_id != user.pk or opinion.state not in (Opinion.State.DRAFT, Opinion.State.RETURNED):
        raise PermissionDenied(_("只能修改自己尚未提交的意见。"))
    item = DefectItem(opinion=opinion, defect_type=defect_type, location=location.strip(), text=text.strip(),
                      suggestion=suggestion.strip(), order=opinion.items.count() + 1)
    item.full_clean()
    item.save()
    return item


def submit_opinion(opinion, user, *, conclusion, reasons=""):
    """The author submits the opinion for release; receivers of ``opinion_submitted`` (the
    peer check) may block it, otherwise it is issued at once."""
    from .. import hooks
    from ..models import Opinion

    errors = {}
    if conclusion not in Opinion.Conclusion.values:
        errors["conclusion"] = _("请选择预审结论。")
    elif conclusion == Opinion.Conclusion.NEEDS_CORRECTION and not opinion.items.exists():
        errors["conclusion"] = _("需补正的意见至少要有一条缺陷条目。")
    elif conclusion == Opinion.Conclusion.UNQUALIFIED and not reasons.strip():
        errors["reasons"] = _("请填写不合格的理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.author_id != user.pk:
            raise PermissionDenied(_("只能提交自己撰写的意见。"))
        if locked.state not in (Opinion.State.DRAFT, Opinion.State.RETURNED):
            raise ValidationError(_("该意见已提交。"))
        def on_submit(row):
            row.conclusion, row.reasons, row.submitted_at = conclusion, reasons.strip(), timezone.now()

        run_transition(locked, "submit", user, check_permission=False, on_change=on_submit)
        record_event(locked.case, "prescreen.opinion.submitted", user, params={"n": locked.round})
        hooks.opinion_submitted.send(sender=Opinion, opinion=locked, actor=user)
        try_release(locked, user)
    opinion.refresh_from_db()
    return opinion


def try_release(opinion, actor):
    """Issue a submitted opinion unless a release blocker objects; returns True if issued."""
    from .. import hooks
    from ..models import Opinion

    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().select_related("case").get(pk=opinion.pk)
        if opinion.state != Opinion.State.SUBMITTED or hooks.release_blockers(opinion):
            return False
        run_transition(opinion, "issue", actor, check_permission=False,
                       on_change=lambda row: setattr(row, "issued_at", timezone.now()))
        case = opinion.case
        cfg = PrescreenSettings.load()
        if opinion.conclusion == Opinion.Conclusion.NEEDS_CORRECTION:
            case = run_transition(case, "request_correction", actor, check_permission=False,
                                  on_change=lambda c: setattr(c, "correction_rounds", c.correction_rounds + 1))
            open_deadline(case, CORRECTION, label=gettext_lazy("提交补正"), rule=Deadline.Rule.WORKING_DAYS,
                          amount=cfg.correction_working_days, organization=case.organization)
        else:
            name = "qualify" if opinion.conclusion == Opinion.Conclusion.QUALIFIED else "disqualify"

            def conclude(c):
                c.conclusion, c.concluded_at = opinion.conclusion, timezone.now()

            case = run_transition(case, name, actor, check_permission=False, on_change=conclude)
            close_deadlines(case, TURNAROUND)
            if name == "qualify":
                open_deadline(case, CNIPA_FILING, label=gettext_lazy("向国家知识产权局正式递交"),
                              rule=Deadline.Rule.CALENDAR_DAYS, amount=cfg.cnipa_filing_days,
                              organization=case.organization)
            hooks.case_concluded.send(sender=PreExamCase, case=case, actor=actor)
        hooks.opinion_issued.send(sender=Opinion, opinion=opinion, actor=actor)
        notify([case.filed_by], title=gettext_lazy("预审意见已发出：%(title)s"), title_params={"title": case.title},
               body=Opinion.Conclusion(opinion.conclusion).label, target=case, key=f"prescreen.opinion.{opinion.pk}")
        request_letter(opinion, actor)
    return True


def return_opinion(opinion, actor, reason):
    """A reviewer sends a submitted opinion back to its author."""
    from ..models import Opinion

    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.state != Opinion.State.SUBMITTED:
            raise ValidationError(_("只有待签发的意见可以退回。"))
        run_transition(locked, "return", actor, reason, check_permission=False)
        record_event(locked.case, "prescreen.opinion.returned", actor, comment=reason)
    notify([locked.author], title=gettext_lazy("预审意见被退回：%(case)s"), title_params={"case": locked.case}, body=reason,
           target=locked.case)
    return locked


def submit_correction(case, user, files, note=""):
    """The applicant answers a correction notice with new document versions and a note.

    ``files`` maps document role → uploaded file; each supersedes the current version."""
    from ipcenter.files.services import attachments_of, store_upload

    from ..models import acts_for_case

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以提交补正。"))
    if case.state != PreExamCase.State.NEEDS_CORRECTION:
        raise ValidationError(_("案件当前不需要补正。"))
    unknown = set(files) - set(DOCUMENT_ROLES)
    if unknown or not files:
        raise ValidationError({"files": _("请至少上传一份补正文件。")})
    current = {att.label: att for att in attachments_of(case)}
    with transaction.atomic():
        for role, upload in files.items():
            store_upload(upload, "prescreen.document", user, owner=case, label=role, supersedes=current.get(role))
        case = run_transition(case, "correct", user, note, check_permission=False)
        close_deadlines(case, CORRECTION)
    run_formal_precheck(case)
    if case.examiner_id:
        notify([case.examiner], title=gettext_lazy("申请人已提交补正：%(case)s"), title_params={"case": case}, target=case)
    return case


@on_expiry(CORRECTION)
def terminate_for_missed_correction(deadline):
    """A case whose correction period ran out ends as 终止 (run once per clock by the core's
    deadline sweep).  Returns True if it terminated the case."""
    case = PreExamCase.objects.filter(pk=deadline.object_id, state=PreExamCase.State.NEEDS_CORRECTION).first()
    if case is None:
        return False  # the correction arrived or the case ended otherwise meanwhile
    reason = _("补正期限届满未提交补正，案件终止。")
    try:
        run_transition(case, "terminate", None, reason, check_permission=False,
                       on_change=lambda c: setattr(c, "termination_reason", reason))
    except ValidationError:
        return False
    close_deadlines(case, TURNAROUND, state=Deadline.State.CANCELLED)
    notify([case.filed_by], title=gettext_lazy("预审案件已终止：%(title)s"), title_params={"title": case.title}, body=reason,
           target=case, key=f"prescreen.terminated.{case.pk}")
    return True


def withdraw_case(case, user, reason):
    """The applicant withdraws an open case; every open clock of the case is cancelled."""
    case = run_transition(case, "withdraw", user, reason,
                          on_change=lambda c: setattr(c, "termination_reason", reason))
    for kind in (TURNAROUND, CORRECTION):
        close_deadlines(case, kind, state=Deadline.State.CANCELLED)
    if case.examiner_id:
        notify([case.examiner], title=gettext_lazy("申请人已撤回案件：%(case)s"), title_params={"case": case}, body=reason,
               target=case)
    return case


def terminate_case(case, manager, reason):
    case = run_transition(case, "terminate", manager, reason,
                          on_change=lambda c: setattr(c, "termination_reason", reason))
    for kind in (TURNAROUND, CORRECTION):
        close_deadlines(case, kind, state=Deadline.State.CANCELLED)
    notify([case.filed_by], title=gettext_lazy("预审案件已终止：%(title)s"), title_params={"title": case.title}, body=reason,
           target=case, key=f"prescreen.terminated.{case.pk}")
    return case


# --- opinion letter -------------------------------------------------------------------------
LETTER_PURPOSE = "prescreen.opinion_letter"


LETTER_JOB = "prescreen.opinion_letter"


def request_letter(opinion, user):
    """The job that makes an issued opinion's letter (queued after commit; a download while it
    runs joins it)."""
    from ipcenter.reports.services import job_for

    return job_for(LETTER_JOB, opinion, user)


def stored_letter(opinion):
    """The issued opinion's letter attachment, or ``None`` while its job has not made it."""
    from ipcenter.files.services import attachments_of

    return attachments_of(opinion).filter(purpose=LETTER_PURPOSE).first()


def opinion_letter(opinion):
    """The stored letter PDF of an issued opinion, rendered and attached once (the letter job).

    The PDF is rendered without holding any lock; the opinion row is locked only to check that no
    other run attached a letter first, so two runs (a redelivered job, a retry) attach one letter."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipcenter.files.services import store_upload
    from ipcenter.reports.pdf import render_pdf

    from ..models import Opinion

    current = (Opinion.objects.select_related("case__organization", "case__technical_field", "author")  # scoped: the job's own target
               .get(pk=opinion.pk))
    if current.state != Opinion.State.ISSUED:
        raise ValidationError(_("意见尚未签发，没有意见通知书。"))
    existing = stored_letter(current)
    if existing:
        return existing
    case = current.case
    cfg = PrescreenSettings.load()
    pdf = render_pdf("prescreen/opinion_letter_pdf.html", {
        "opinion": current, "case": case, "items": current.items.select_related("defect_type"),
        "correction_days": cfg.correction_working_days, "cnipa_days": cfg.cnipa_filing_days,
        "correction_due": correction_due_date(current, cfg),
    })
    name = _("预审意见通知书-%(number)s-第%(n)s轮.pdf") % {"number": case.number or case.pk, "n": current.round}
    with transaction.atomic():
        locked = Opinion.objects.select_for_update(of=("self",)).get(pk=opinion.pk)  # scoped: as above
        existing = stored_letter(locked)
        if existing:
            return existing
        return store_upload(SimpleUploadedFile(name, pdf, "application/pdf"), LETTER_PURPOSE, locked.author,
                            owner=locked, label=_("意见通知书"))


def correction_due_date(opinion, cfg=None):
    """The local date by which the applicant must answer this opinion: the due date of the
    correction clock opened when it was issued, or (no clock found) the same count of working
    days from the issue date on the core calendar."""
    from ipcenter.deadlines.calendar import WorkingCalendar
    from ipcenter.deadlines.services import deadlines_of

    if opinion.conclusion != opinion.Conclusion.NEEDS_CORRECTION or opinion.issued_at is None:
        return None
    clock = (deadlines_of(opinion.case, CORRECTION)
             .filter(created_at__gte=opinion.issued_at - datetime.timedelta(minutes=5))
             .order_by("created_at").first())
    if clock is not None:
        return timezone.localtime(clock.due_at).date()
    cfg = cfg or PrescreenSettings.load()
    return WorkingCalendar().add_working_days(timezone.localdate(opinion.issued_at), cfg.correction_working_days)


def latest_return(opinion):
    """The timeline event of this opinion's latest return — who, when, why (its comment) — or
    ``None`` while it is not returned."""
    from ipcenter.workflow.engine import timeline_of

    if opinion.state != opinion.State.RETURNED:
        return None
    return (timeline_of(opinion).filter(to_state=opinion.State.RETURNED)
            .select_related("actor").order_by("-pk").first())


def delete_defect_item(opinion, user, item_id):
    from ..models import DefectItem, Opinion

    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.author_id != user.pk or locked.state not in (Opinion.State.DRAFT, Opinion.State.RETURNED):
            raise PermissionDenied(_("只能修改自己尚未提交的意见。"))
        try:
            DefectItem.objects.filter(opinion=locked, pk=int(item_id)).delete()
        except (TypeError, ValueError):
            raise ValidationError(_("条目不存在。"))
