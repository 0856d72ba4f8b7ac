"""Pre-exam registration (备案): eligibility, application, review, suspension and cancellation.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.accounts import roles
from ipcenter.accounts.services import require_reviewed_organization
from ipcenter.accounts.rules import is_centre_manager
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event, run_transition

from ..models import PrescreenSettings


# --- registration (备案) ---------------------------------------------------------------------
def evaluate_eligibility(reg, today=None):
    """DOMAIN.md §1 eligibility, each rule with its result, for the applicant and for staff."""
    from dateutil.relativedelta import relativedelta

    today = today or timezone.localdate()
    fields = list(reg.technical_fields.all()) if reg.pk else []
    rules_ = [
        ("region", _("在自治区内注册"), reg.registered_in_region),
        ("field", _("主营业务属于中心预审技术领域"), bool(fields) and all(f.prescreen_enabled for f in fields)),
        ("age", _("成立满 1 年"), reg.established_on <= today - relativedelta(years=1)),
        ("staff", _("参保职工不少于 5 人"), reg.insured_staff >= 5),
        ("patents", _("拥有发明专利 ≥ 1 件或实用新型/外观设计专利 ≥ 3 件"),
         reg.invention_patents >= 1 or reg.utility_design_patents >= 3),
        ("abnormal", _("近 2 年无非正常申请认定"),
         not (reg.abnormal_finding_on and reg.abnormal_finding_on > today - relativedelta(years=2))),
    ]
    return [{"code": code, "label": str(label), "passed": bool(ok)} for code, label, ok in rules_]


def apply_registration(user, *, technical_fields, documents=(), **fields):
    """The organisation applies (or re-applies) for 备案 with its supporting documents;
    eligibility is evaluated and stored."""
    from ipcenter.files.services import store_upload

    from dateutil.relativedelta import relativedelta

    from ..models import Registration

    org = user.organization
    if org is None or not user.has_role(roles.APPLICANT, roles.AGENCY):
        raise PermissionDenied(_("只有企业或代理机构用户可以申请备案。"))
    require_reviewed_organization(org)
    cfg = PrescreenSettings.load()
    today = timezone.localdate()
    with transaction.atomic():
        existing = Registration.objects.select_for_update().filter(organization=org)
        if existing.exclude(state__in=[Registration.State.RETURNED, Registration.State.CANCELLED]).exists():
            raise ValidationError(_("本单位已有有效或审核中的备案。"))
        barred = existing.filter(state=Registration.State.CANCELLED,
                                 cancelled_on__gt=today - relativedelta(years=cfg.reapply_bar_years)).first()
        if barred:
            raise ValidationError(_("备案于 %(date)s 被取消，%(years)s 年内不得重新申请。")
                                  % {"date": barred.cancelled_on, "years": cfg.reapply_bar_years})
        reg = Registration(organization=org, **fields)
        reg.full_clean(exclude=["eligibility"])
        reg.save()
        reg.technical_fields.set(technical_fields)
        reg.eligibility = evaluate_eligibility(reg, today)
        reg.save(update_fields=["eligibility"])
        for f in documents or ():
            store_upload(f, "prescreen.document", user, owner=reg, label=_("证明材料"))
        record_event(reg, "prescreen.registration.applied", user)
    from ipcenter.notify.services import notify_role

    notify_role(roles.MANAGER, title=gettext_lazy("新的备案申请：%(org)s"), title_params={"org": org}, target=reg)
    return reg


def approve_registration(reg, manager):
    if not is_centre_manager(manager):
        raise PermissionDenied(_("只有中心管理人员可以审核备案。"))
    require_reviewed_organization(reg.organization)
    failed = [r["label"] for r in evaluate_eligibility(reg) if not r["passed"]]
    if failed:
        raise ValidationError(_("不符合备案条件：%(rules)s") % {"rules": "；".join(failed)})

    def on_change(locked):
        locked.decided_at, locked.decided_by = timezone.now(), manager

    reg = run_transition(reg, "approve", manager, on_change=on_change)
    notify(_org_users(reg.organization), title=gettext_lazy("备案已通过：%(org)s"), title_params={"org": reg.organization},
           target=reg)
    return reg


def return_registration(reg, manager, reason):
    def on_change(locked):
        locked.return_reason, locked.decided_at, locked.decided_by = reason, timezone.now(), manager

    reg = run_transition(reg, "return", manager, reason, on_change=on_change)
    notify(_org_users(reg.organization), title=gettext_lazy("备案申请被退回：%(org)s"), title_params={"org": reg.organization},
           body=reason, target=reg)
    return reg


def _org_users(organization):
    return organization.members.filter(is_active=True) if organization is not None else []


def suspend_registration(reg, manager, *, reason, until):
    """Staff suspend a registered entity until a date (the entity cannot file meanwhile)."""
    if not is_centre_manager(manager):
        raise PermissionDenied(_("只有中心管理人员可以暂停备案。"))
    if until is None or until <= timezone.localdate():
        raise ValidationError({"until": _("暂停截止日期应晚于今天。")})

    def on_change(locked):
        locked.suspended_until, locked.risk_note = until, reason

    reg = run_transition(reg, "suspend", manager, reason, check_permission=False, on_change=on_change)
    notify(_org_users(reg.organization), title=gettext_lazy("备案已暂停至 %(date)s"), title_params={"date": until},
           body=reason,
           target=reg)
    return reg


def reinstate_registration(reg, actor):
    def on_change(locked):
        locked.suspended_until = None

    reg = run_transition(reg, "reinstate", actor, check_permission=actor is not None, on_change=on_change)
    notify(_org_users(reg.organization), title=gettext_lazy("备案已恢复"), target=reg)
    return reg


def cancel_registration(reg, manager, reason):
    """Cancel a registration; the entity may not re-apply for the configured number of years."""
    def on_change(locked):
        locked.cancelled_on, locked.risk_note = timezone.localdate(), reason

    reg = run_transition(reg, "cancel", manager, reason, on_change=on_change)
    notify(_org_users(reg.organization), title=gettext_lazy("备案已取消"), body=reason, target=reg)
    return reg


def reinstate_expired_suspensions(today=None):
    """Suspensions whose end date has passed are lifted (run daily before the risk review)."""
    from ..models import Registration

    today = today or timezone.localdate()
    done = 0
    for reg in Registration.objects.filter(state=Registration.State.SUSPENDED, suspended_until__lt=today):
        try:
            reinstate_registration(reg, None)
        except ValidationError:
            continue
        done += 1
    return done
