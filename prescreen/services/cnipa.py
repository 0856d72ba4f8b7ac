"""Pre-exam CNIPA tracking: the filing at CNIPA after a qualified opinion and its outcome.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.accounts.rules import is_centre_manager
from ipcenter.deadlines.services import close_deadlines
from ipcenter.workflow.engine import record_event

from ..models import PreExamCase


CNIPA_FILING = "prescreen.cnipa_filing"


# --- CNIPA tracking -------------------------------------------------------------------------
def record_cnipa_filing(case, user, *, application_number, filed_on):
    """After 合格 the applicant records the formal CNIPA application (within the window)."""
    from ..models import acts_for_case
    from ..validators import application_number_type, validate_application_number

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以登记申请号。"))
    if case.state != PreExamCase.State.QUALIFIED:
        raise ValidationError(_("只有预审合格的案件可以登记正式申请号。"))
    try:
        number = validate_application_number(application_number)
    except ValidationError as exc:
        raise ValidationError({"application_number": exc.messages})
    expected = case.patent_type
    if application_number_type(number) != expected:
        raise ValidationError({"application_number": _("申请号的类型位与本案专利类型（%(type)s）不符。")
                               % {"type": case.get_patent_type_display()}})
    if filed_on is None or filed_on > timezone.localdate() or (case.concluded_at and
                                                               filed_on < timezone.localtime(case.concluded_at).date()):
        raise ValidationError({"filed_on": _("递交日期应在预审合格之后且不晚于今天。")})
    if PreExamCase.objects.exclude(pk=case.pk).filter(cnipa_application_number=number).exists():
        raise ValidationError({"application_number": _("该申请号已被其他案件登记。")})
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        locked.cnipa_application_number, locked.cnipa_filed_on = number, filed_on
        locked.save(update_fields=["cnipa_application_number", "cnipa_filed_on"])
        close_deadlines(locked, CNIPA_FILING)
        record_event(locked, "prescreen.preexamcase.cnipa_filed", user,
                     data={"application_number": number, "filed_on": filed_on.isoformat()})
    return locked


def record_cnipa_outcome(case, user, *, outcome, outcome_date, reasons=""):
    from .. import hooks
    from ..models import acts_for_case

    if not (acts_for_case(user, case) or is_centre_manager(user)):
        raise PermissionDenied(_("无权登记实审结果。"))
    errors = {}
    if case.cnipa_outcome:
        raise ValidationError({"outcome": _("本案已登记实审结果（%(o)s）。") % {"o": case.get_cnipa_outcome_display()}})
    if not case.cnipa_application_number:
        errors["outcome"] = _("请先登记正式申请号。")
    if outcome not in PreExamCase.CnipaOutcome.values:
        errors["outcome"] = _("请选择实审结果。")
    if outcome_date is None or outcome_date > timezone.localdate() or (
            case.cnipa_filed_on and outcome_date < case.cnipa_filed_on):
        errors["outcome_date"] = _("结果日期应在正式递交之后且不晚于今天。")
    if outcome == PreExamCase.CnipaOutcome.REJECTION and not reasons.strip():
        errors["reasons"] = _("驳回时请填写驳回理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        if locked.cnipa_outcome:  # recorded meanwhile by someone else
            raise ValidationError({"outcome": _("本案已登记实审结果（%(o)s）。")
                                   % {"o": locked.get_cnipa_outcome_display()}})
        locked.cnipa_outcome, locked.cnipa_outcome_date, locked.cnipa_reasons = outcome, outcome_date, reasons
        locked.save(update_fields=["cnipa_outcome", "cnipa_outcome_date", "cnipa_reasons"])
        record_event(locked, "prescreen.preexamcase.cnipa_outcome", user,
                     params={"o": locked.get_cnipa_outcome_display()}, comment=reasons)
        hooks.cnipa_outcome_recorded.send(sender=PreExamCase, case=locked, actor=user)
    return locked
