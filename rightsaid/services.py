"""Rules and state changes of rights assistance; views, API and seed call these."""
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.accounts import roles
from ipcenter.accounts.models import Station
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import close_deadlines, open_deadline, reassign
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event, run_transition
from ipcenter.workflow.numbering import next_number

from .models import (AssistanceCase, Consultation, EvidenceItem, Exhibition, ExhibitionComplaint, Referral,
                     RightsaidSettings, is_case_worker, normalise_respondent)

REVIEW = "rightsaid.review"
COMPLAINT_CLOCK = "rightsaid.complaint"
REFERRAL_FEEDBACK = "rightsaid.referral_feedback"
EXHIBITION_ANSWER = "rightsaid.exhibition_answer"
EVIDENCE_PURPOSE = "rightsaid.evidence"


def _require_worker(user):
    if not is_case_worker(user):
        raise PermissionDenied(_("您没有权限办理维权援助事项。"))


def station_staff(station):
    User = get_user_model()
    return list(User.objects.filter(is_active=True, station=station,
                                    groups__name__in=[roles.STATION_STAFF, roles.MEDIATOR]).distinct())


def _next_number(kind):
    prefix = {"assistance": "YZ", "complaint": "JB", "enforcement": "ZF", "overseas": "HW"}[kind]
    return next_number(f"rightsaid.{kind}", template=prefix + "{year}{seq:05d}",
                       existing=(AssistanceCase, "number", prefix + "{year}"))


def _require_own_subtree(user, station):
    """A record is opened at a station of the user's own scope (no station = no station at all)."""
    if station is None:
        raise ValidationError({"station": _("请选择工作站。")})
    if not user.station_scope.includes(station):
        raise ValidationError({"station": _("只能选择本站及下级工作站。")})


def log_consultation(user, *, station=None, **fields):
    """Station staff record a consultation at (by default) their own station or one below it."""
    _require_worker(user)
    station = station or user.station
    _require_own_subtree(user, station)
    c = Consultation(station=station, handled_by=user, **fields)
    c.full_clean()
    c.save()
    record_event(c, "rightsaid.consultation.logged", user)
    return c


def _validate_case(case):
    errors = {}
    if case.kind == AssistanceCase.Kind.OVERSEAS:
        if not case.country:
            errors["country"] = _("海外维权案件须填写国家/地区。")
        if case.overseas_station_id is None or case.overseas_station.kind != "overseas":
            errors["overseas_station"] = _("请选择海外工作站。")
    if case.kind == AssistanceCase.Kind.ENFORCEMENT and not case.requesting_authority:
        errors["requesting_authority"] = _("执法协助案件须填写请求协助的机关。")
    if errors:
        raise ValidationError(errors)


def _store_evidence(files, user, owner):
    """The uploaded evidence files of a new record, stored in the caller's transaction."""
    from ipcenter.files.services import store_upload

    for f in files or ():
        store_upload(f, EVIDENCE_PURPOSE, user, owner=owner, label=_("证据材料"))


@transaction.atomic
def open_case(user, *, station, evidence_files=(), **fields):
    """Intake of a case by staff or online by a company user, with its evidence files; starts
    the review clock (and, for complaints, the complaint clock)."""
    if not is_case_worker(user):
        if user.organization_id is None:
            raise PermissionDenied(_("您没有权限提交维权援助申请。"))
        fields["requester_org_id"] = user.organization_id
        fields.pop("requester_org", None)
        fields.setdefault("channel", "online")
        fields["requester_user"] = user
    else:
        _require_own_subtree(user, station)
    case = AssistanceCase(station=station, **fields)
    if not case.requester_name:
        case.requester_name = user.get_full_name() or user.username
    _validate_case(case)
    case.number = _next_number(case.kind)
    case.full_clean()
    case.save()
    record_event(case, "rightsaid.assistancecase.intake", user, to_state=case.state)
    _store_evidence(evidence_files, user, case)
    cfg = RightsaidSettings.load()
    open_deadline(case, REVIEW, label=gettext_lazy("受理审查"), rule=Deadline.Rule.WORKING_DAYS,
                  amount=cfg.review_working_days, station=case.station)
    if case.kind == AssistanceCase.Kind.COMPLAINT:
        open_deadline(case, COMPLAINT_CLOCK, label=gettext_lazy("举报投诉办理"), rule=Deadline.Rule.WORKING_DAYS,
                      amount=cfg.complaint_working_days, station=case.station)
    staff = [u for u in station_staff(case.station) if u != user]
    if staff:
        notify(staff, title=gettext_lazy("新的维权援助申请：%(t)s"), title_params={"t": case.title}, url=case.get_absolute_url(),
               target=case, email=False, key=f"rightsaid.case.{case.pk}.intake")
    return case


def convert_consultation(consultation, user, *, kind=AssistanceCase.Kind.ASSISTANCE,
                         case_type=AssistanceCase.CaseType.PATENT_INFRINGEMENT, title=""):
    """Turn a consultation into an assistance case in one step (once)."""
    _require_worker(user)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.converted_case_id:
            raise ValidationError(_("该咨询已转为援助案件。"))
        case = open_case(
            user, station=locked.station, kind=kind, case_type=case_type,
            channel=locked.channel if locked.channel in dict(AssistanceCase._meta.get_field("channel").choices)
            else "online",
            title=title or locked.topic, description=locked.question,
            requester_org=locked.requester_org, requester_name=locked.requester_name, handled_by=user)
        locked.converted_case = case
        locked.save(update_fields=["converted_case"])
        record_event(locked, "rightsaid.consultation.converted", user,
                     data={"case": case.number})
        record_event(case, "rightsaid.assistancecase.from_consultation", user,
                     comment=locked.topic)
    consultation.converted_case = case
    return case


def _notify_requester(case, title):
    """``title``: a lazy template taking the case number as ``%(n)s``."""
    if case.requester_user_id:
        notify(case.requester_user, title=title, title_params={"n": case.number}, url=case.get_absolute_url(),
               target=case, email=True)


def start_review(case, user, comment=""):
    return run_transition(case, "start_review", user, comment)


def accept_case(case, user, comment=""):
    """Accept; closes the review clock."""
    def change(locked):
        locked.handled_by = locked.handled_by or user
        close_deadlines(locked, REVIEW)
    case = run_transition(case, "accept", user, comment, on_change=change)
    _notify_requester(case, gettext_lazy("您的维权援助申请 %(n)s 已受理"))
    return case


def decline_case(case, user, reason):
    """Decline with a reason; closes the review (and complaint) clocks."""
    if not (reason or "").strip():
        raise ValidationError({"comment": _("请填写不予受理的理由。")})

    def change(locked):
        locked.decline_reason = reason
        close_deadlines(locked, REVIEW)
        close_deadlines(locked, COMPLAINT_CLOCK, state=Deadline.State.CANCELLED)
    case = run_transition(case, "decline", user, reason, on_change=change)
    _notify_requester(case, gettext_lazy("您的维权援助申请 %(n)s 不予受理"))
    return case


def start_handling(case, user, comment=""):
    return run_transition(case, "start_handling", user, comment)


def add_evidence(case, user, description, source="", file=None):
    """An item on the case's evidence list, with its file if one is given (stored with it)."""
    from ipcenter.files.services import store_upload

    _require_worker(user) if case.requester_user_id != user.pk else None
    if not (description or "").strip():
        raise ValidationError({"description": _("请填写证据名称。")})
    with transaction.atomic():
        item = EvidenceItem.objects.create(case=case, description=description.strip(), source=source,
                                           added_by=user)
        if file:
            store_upload(file, EVIDENCE_PURPOSE, user, owner=case, label=item.description)
        record_event(case, "rightsaid.assistancecase.evidence", user, comment=item.description)
    return item


def refer_case(case, user, *, authority, authority_name="", note=""):
    """Hand the case to an authority; the feedback clock (90 days by default) starts."""
    if authority not in Referral.Authority.values:
        raise ValidationError({"authority": _("请选择有效的移交机关。")})
    holder = {}

    def change(locked):
        ref = Referral.objects.create(case=locked, authority=authority, authority_name=authority_name,
                                      note=note, referred_by=user)
        holder["ref"] = ref
        open_deadline(ref, REFERRAL_FEEDBACK, label=gettext_lazy("移交反馈：%(a)s"),
                      label_params={"a": ref.Authority(ref.authority).label},
                      rule=Deadline.Rule.CALENDAR_DAYS, amount=RightsaidSettings.load().referral_feedback_days,
                      station=locked.station, url=locked.get_absolute_url())
    case = run_transition(case, "refer", user, note, on_change=change,
                          data={"authority": authority})
    _notify_requester(case, gettext_lazy("您的维权援助案件 %(n)s 已移交有关机关"))
    return holder["ref"]


def record_feedback(referral, user, feedback):
    """Record the authority's feedback; closes its clock and resumes handling."""
    _require_worker(user)
    if not (feedback or "").strip():
        raise ValidationError({"feedback": _("请填写反馈情况。")})
    with transaction.atomic():
        ref = Referral.objects.select_for_update().get(pk=referral.pk)
        if ref.feedback_at:
            raise ValidationError({"feedback": _("该移交已记录反馈。")})
        ref.feedback = feedback.strip()
        ref.feedback_at = timezone.now()
        ref.save(update_fields=["feedback", "feedback_at"])
        close_deadlines(ref, REFERRAL_FEEDBACK)
        case = ref.case
        if case.state == AssistanceCase.State.REFERRED:
            run_transition(case, "resume", user, feedback)
        else:
            record_event(case, "rightsaid.assistancecase.feedback", user, comment=feedback)
    return ref


def close_case(case, user, *, outcome, outcome_note="", amount_claimed=None, amount_recovered=None):
    if outcome not in AssistanceCase.Outcome.values:
        raise ValidationError({"outcome": _("请选择结案结果。")})
    for name, value in (("amount_claimed", amount_claimed), ("amount_recovered", amount_recovered)):
        if value is not None and value < 0:
            raise ValidationError({name: _("金额不能为负数。")})

    def change(locked):
        locked.outcome = outcome
        locked.outcome_note = outcome_note
        locked.amount_claimed = amount_claimed
        locked.amount_recovered = amount_recovered
        locked.closed_at = timezone.now()
        close_deadlines(locked, COMPLAINT_CLOCK)
        for ref in locked.referrals.filter(feedback_at__isnull=True):
            close_deadlines(ref, REFERRAL_FEEDBACK, state=Deadline.State.CANCELLED)
    case = run_transition(case, "close", user, outcome_note, on_change=change, data={"outcome": outcome})
    _notify_requester(case, gettext_lazy("您的维权援助案件 %(n)s 已结案"))
    return case


def set_expert_opinion(case, user, summary, uploaded=None):
    _require_worker(user)
    from ipcenter.files.services import store_upload
    with transaction.atomic():
        if uploaded is not None:
            store_upload(uploaded, "rightsaid.expert_opinion", user, owner=case, label=_("专家意见"))
        case.expert_opinion = summary
        case.save(update_fields=["expert_opinion"])
        record_event(case, "rightsaid.assistancecase.expert_opinion", user, comment=summary)
    return case


def transfer_case(obj, user, station, reason=""):
    """Move a case or consultation to another station; recorded on the timeline."""
    _require_worker(user)
    if station is None:
        raise ValidationError({"station": _("请选择目标工作站。")})
    if not station.active or station.kind == Station.Kind.OVERSEAS:
        raise ValidationError({"station": _("目标工作站未启用或不办理维权援助案件。")})
    model = type(obj)
    with transaction.atomic():
        locked = model.objects.visible_to(user).select_for_update(of=("self",)).filter(pk=obj.pk).first()
        if locked is None:
            raise PermissionDenied(_("您不能移送本站范围以外的案件。"))
        if station.pk == locked.station_id:
            raise ValidationError({"station": _("目标工作站与当前工作站相同。")})
        old = locked.station
        locked.station = station
        locked.save(update_fields=["station"])
        # the clocks follow the record, so the new station sees and is reminded of them
        reassign(locked, station=station)
        if isinstance(locked, AssistanceCase):
            reassign(Referral.objects.filter(case=locked), station=station)
        record_event(locked, f"rightsaid.{model._meta.model_name}.transfer", user,
                     comment=reason, data={"from": old.name, "to": station.name})
    obj.station = station
    staff = station_staff(station)
    if staff:
        notify(staff, title=gettext_lazy("有案件移送至本站：%(o)s"), title_params={"o": obj}, url=obj.get_absolute_url(),
               target=obj,
               email=False)
    return obj


def create_exhibition(user, *, station, **fields):
    """Station staff register an exhibition served by their station or one below it."""
    _require_worker(user)
    _require_own_subtree(user, station)
    ex = Exhibition(station=station, **fields)
    ex.full_clean()
    with transaction.atomic():
        ex.save()
        record_event(ex, "rightsaid.exhibition.created", user)
    return ex


def file_exhibition_complaint(user, *, exhibition, evidence_files=(), **fields):
    """Register an on-site complaint with its evidence files; the respondent's 24-hour answer
    clock starts and a respondent seen at an earlier exhibition is flagged as a repeat
    infringer."""
    _require_worker(user)
    c = ExhibitionComplaint(exhibition=exhibition, created_by=user, **fields)
    c.respondent_key = normalise_respondent(c.respondent)
    if not c.respondent_key:
        raise ValidationError({"respondent": _("请填写被投诉人名称。")})
    c.repeat_infringer = ExhibitionComplaint.objects.filter(
        respondent_key=c.respondent_key, exhibition__start_date__lt=exhibition.start_date).exists()
    c.full_clean()
    with transaction.atomic():
        c.save()
        record_event(c, "rightsaid.exhibitioncomplaint.filed", user,
                     data={"repeat_infringer": c.repeat_infringer})
        _store_evidence(evidence_files, user, c)
        open_deadline(c, EXHIBITION_ANSWER, label=gettext_lazy("被投诉人答辩"), rule=Deadline.Rule.HOURS,
                      amount=RightsaidSettings.load().exhibition_answer_hours, station=exhibition.station)
    return c


def record_answer(complaint, user, answer):
    if not (answer or "").strip():
        raise ValidationError({"answer": _("请填写答辩内容。")})

    def change(locked):
        locked.answer = answer.strip()
        locked.answered_at = timezone.now()
        close_deadlines(locked, EXHIBITION_ANSWER)
    return run_transition(complaint, "record_answer", user, answer, on_change=change)


def decide_complaint(complaint, user, outcome, comment=""):
    if outcome not in ExhibitionComplaint.Outcome.values:
        raise ValidationError({"outcome": _("请选择处理结果。")})

    def change(locked):
        locked.outcome = outcome
        close_deadlines(locked, EXHIBITION_ANSWER, state=Deadline.State.CANCELLED)
    return run_transition(complaint, "decide", user, comment, on_change=change, data={"outcome": outcome})
