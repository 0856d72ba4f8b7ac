"""Pre-exam rules: every state change of a registration or case goes through here.

This first part covers acceptance and the examiner queue (claim / assign) with the
turnaround clock; filing, opinions, corrections, CNIPA tracking, quota and risk
follow the contract in ``docs/prescreen-contract.md``.
"""
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.accounts import roles
from ipcenter.accounts.rules import is_centre_manager
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import close_deadlines, open_deadline
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event, run_transition

from .models import PreExamCase, PrescreenSettings

TURNAROUND = "prescreen.turnaround"


def _case_number(case):
    year = timezone.localdate().year
    prefix = f"YS{year}"
    last = (PreExamCase.objects.select_for_update().filter(number__startswith=prefix)
            .order_by("-number").values_list("number", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def accept_case(case, user, comment=""):
    """Staff accept a submitted case: it gets its number and the turnaround clock starts."""
    cfg = PrescreenSettings.load()

    def on_change(locked):
        locked.accepted_at = timezone.now()
        if not locked.number:
            locked.number = _case_number(locked)

    case = run_transition(case, "accept", user, comment, on_change=on_change)
    open_deadline(case, TURNAROUND, label=_("预审办结"), rule=Deadline.Rule.WORKING_DAYS,
                  amount=cfg.turnaround_working_days, start=case.accepted_at)
    notify([case.filed_by], title=_("预审案件已受理：%(title)s") % {"title": case.title}, target=case,
           key=f"prescreen.accepted.{case.pk}")
    return case


def refuse_case(case, user, reason):
    case = run_transition(case, "refuse", user, reason,
                          on_change=lambda locked: setattr(locked, "refuse_reason", reason))
    notify([case.filed_by], title=_("预审案件不予受理：%(title)s") % {"title": case.title}, body=reason,
           target=case, key=f"prescreen.refused.{case.pk}")
    return case


def _reassign_turnaround(case, examiner):
    Deadline.objects.filter(content_type=ContentType.objects.get_for_model(PreExamCase), object_id=case.pk,
                            kind=TURNAROUND, state__in=[Deadline.State.OPEN, Deadline.State.OVERDUE]
                            ).update(assignee=examiner)


def _start_examination(case, examiner, actor, label):
    case.examiner = examiner
    run_transition(case, "start", actor, check_permission=False,
                   on_change=lambda locked: setattr(locked, "examiner", examiner))
    _reassign_turnaround(case, examiner)
    record_event(case, "prescreen.case.assigned", actor, label=label,
                 data={"examiner": examiner.get_full_name() or examiner.username})
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
        return _start_examination(case, examiner, examiner, _("领取案件"))


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
            return _start_examination(locked, examiner, manager, _("分配案件"))
        if locked.state in (PreExamCase.State.EXAMINING, PreExamCase.State.NEEDS_CORRECTION):
            previous = locked.examiner
            locked.examiner = examiner
            locked.save(update_fields=["examiner"])
            _reassign_turnaround(locked, examiner)
            record_event(locked, "prescreen.case.reassigned", manager, label=_("改派预审员"),
                         data={"from": str(previous or ""), "to": str(examiner)})
            return locked
        raise ValidationError(_("当前状态为“%(state)s”，不能分配。") % {"state": locked.get_state_display()})


def close_turnaround(case):
    close_deadlines(case, TURNAROUND)


# --- filing: eligibility, quota, formal pre-check ------------------------------------------

DOCUMENT_ROLES = ("request", "description", "claims", "abstract", "drawings")


def annual_quota(organization, year):
    """Cases an entity may file in ``year``: max(minimum, ⌈qualified last year × grant rate × growth⌉).

    The grant rate counts last year's qualified cases with a CNIPA outcome; with no
    outcome recorded yet it is taken as 1 (the entity is not penalised for waiting)."""
    import math

    cfg = PrescreenSettings.load()
    last = PreExamCase.objects.filter(organization=organization, state=PreExamCase.State.QUALIFIED,
                                      concluded_at__year=year - 1)
    qualified = last.count()
    decided = last.exclude(cnipa_outcome="").count()
    granted = last.filter(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT).count()
    rate = granted / decided if decided else 1.0
    return max(cfg.quota_minimum, math.ceil(qualified * rate * float(cfg.quota_growth)))


def quota_used(organization, year):
    return (PreExamCase.objects.filter(organization=organization, submitted_at__year=year)
            .exclude(state__in=[PreExamCase.State.DRAFT, PreExamCase.State.REFUSED]).count())


def run_formal_precheck(case):
    """Extract the case's current documents (attachment label = document role) and run
    the formal pre-check; findings are stored on the case and returned."""
    from ipcenter.files.services import attachments_of

    from .precheck import ExtractionError, extract_text, run_precheck

    cfg = PrescreenSettings.load()
    docs = {role: [] for role in DOCUMENT_ROLES}
    problems = []
    for att in attachments_of(case):
        if att.label not in docs:
            continue
        try:
            with att.file.open("rb") as fh:
                docs[att.label].append(extract_text(fh, att.original_name))
        except ExtractionError as exc:
            problems.append({"code": "unreadable", "severity": "warn", "message": str(exc),
                             "document": att.label, "location": att.original_name})
    findings = [f.as_dict() for f in run_precheck(
        {k: v for k, v in docs.items() if v}, title=case.title, forbidden_words=cfg.forbidden_words(),
        abstract_limit=cfg.abstract_limit, title_limit=cfg.title_limit)] + problems
    PreExamCase.objects.filter(pk=case.pk).update(precheck_findings=findings)
    case.precheck_findings = findings
    return findings


def filing_errors(case):
    """Why ``case`` cannot be submitted (field → Chinese message); empty when it can."""
    from .models import Registration

    cfg = PrescreenSettings.load()
    errors = {}
    if case.is_pct_national_phase:
        errors["is_pct_national_phase"] = _("PCT 国际申请进入中国国家阶段的申请不属于预审受理范围。")
    if case.is_divisional:
        errors["is_divisional"] = _("分案申请不属于预审受理范围。")
    if not case.technical_field.prescreen_enabled:
        errors["technical_field"] = _("“%(field)s”领域暂未开展预审。") % {"field": case.technical_field}
    if case.patent_type == PreExamCase.PatentType.DESIGN and not cfg.design_enabled:
        errors["patent_type"] = _("中心目前不受理外观设计专利预审。")
    if not Registration.objects.filter(organization=case.organization,
                                       state=Registration.State.REGISTERED).exists():
        errors["organization"] = _("申请人单位尚未完成备案或备案已暂停/取消，不能提交预审。")
    year = timezone.localdate().year
    quota = annual_quota(case.organization, year)
    if quota_used(case.organization, year) >= quota:
        errors.setdefault("organization", _("已达到 %(year)s 年度预审配额（%(quota)s 件），不能再提交。")
                          % {"year": year, "quota": quota})
    return errors


def submit_case(case, user):
    """The applicant (or its agency) submits a draft: eligibility, quota and the formal
    pre-check are enforced; missing required documents block, other findings warn.
    Filings of one entity are serialised on its registration row, so two submissions at
    the same moment cannot both take the last unit of quota."""
    from .models import Registration

    findings = run_formal_precheck(case)
    blocking = [f["message"] for f in findings if f["severity"] == "block"]
    with transaction.atomic():
        list(Registration.objects.select_for_update().filter(organization=case.organization))
        errors = filing_errors(case)
        if blocking:
            errors["__all__"] = blocking
        if errors:
            raise ValidationError(errors)
        return run_transition(case, "submit", user,
                              on_change=lambda locked: setattr(locked, "submitted_at", timezone.now()))
