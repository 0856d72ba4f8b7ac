"""Rules of people's mediation.  Views, the API, the seed and tests call these
functions; each checks the actor's rights and the dispute's state."""
import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.accounts.models import Organization, Station, User
from ipcenter.accounts import roles
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import close_deadlines, open_deadline
from ipcenter.files.services import store_upload
from ipcenter.http import absolute_url
from ipcenter.notify.services import notify
from ipcenter.reports.services import job_for
from ipcenter.workflow.engine import TransitionNotAllowed, record_event, run_transition
from ipcenter.workflow.numbering import next_number
from rightsaid.models import IPType

from .models import (Agreement, Dispute, Extension, JudicialConfirmation, MediationSettings, Party, MediationSession,
                     is_case_worker)

TERM_KIND = "mediation.term"
CONFIRMATION_KIND = "mediation.judicial_confirmation"
CONSENT_PURPOSE = "mediation.consent"
AGREEMENT_PURPOSE = "mediation.agreement"


WORKER_ONLY = gettext_lazy("只有调解员、工作站人员或中心管理人员可以办理人民调解。")


def _require_worker(user):
    if not is_case_worker(user):
        raise PermissionDenied(WORKER_ONLY)


def _lock(dispute):
    return Dispute.objects.select_for_update().get(pk=dispute.pk)


def default_station():
    return Station.objects.filter(kind=Station.Kind.MEDIATION, active=True).order_by("path").first()


def mediation_number(prefix, model, field="number", year=None):
    """Next sequential number like 蒙知调〔2026〕0001 (per year; the core's locked sequence)."""
    return next_number(f"mediation.{model._meta.model_name}", year=year, template=prefix + "〔{year}〕{seq:04d}",
                       existing=(model, field, prefix + "〔{year}〕"))


def mediator_pool():
    return User.objects.filter(groups__name=roles.MEDIATOR, is_active=True).distinct().order_by("username")


# --- registration and parties ---------------------------------------------------------------

PARTY_FIELDS = ("role", "name", "id_number", "contact")


def _clean_party(data, taken_names=()):
    """A party's fields, trimmed; the role must be known and the name new to the dispute.  A
    party whose credit code is a registered organisation's is linked to it (its users are then
    reminded of the judicial-confirmation window)."""
    unknown = set(data) - set(PARTY_FIELDS)
    if unknown:
        raise ValidationError(_("未知的当事人字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    party = {f: str(data.get(f) or "").strip() for f in PARTY_FIELDS}
    if party["role"] not in Party.Role.values:
        raise ValidationError({"role": _("请选择当事人类型。")})
    if not party["name"]:
        raise ValidationError({"name": _("请填写当事人姓名或名称。")})
    if party["name"] in taken_names:
        raise ValidationError({"name": _("当事人“%(n)s”已在本纠纷中。") % {"n": party["name"]}})
    if party["id_number"]:
        party["organization"] = Organization.objects.filter(uscc=party["id_number"].upper()).first()
    return party


def allowed_stations(user):
    """Stations where ``user`` may register a dispute: their own subtree, and the mediation stations."""
    qs = Station.objects.filter(active=True).exclude(kind=Station.Kind.OVERSEAS)
    scope = user.station_scope
    if scope.is_all:
        return qs
    return qs.filter(pk__in=scope.stations().values("pk")) | qs.filter(kind=Station.Kind.MEDIATION)


def create_dispute(user, *, subject, ip_type, parties, amount=None, description="", station=None):
    """Register a dispute with at least an applicant and a respondent, at a station of the
    registrar's subtree or a mediation station."""
    _require_worker(user)
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = _("请填写纠纷事由。")
    if ip_type not in IPType.values:
        errors["ip_type"] = _("请选择知识产权类型。")
    if amount is not None and amount < 0:
        errors["amount"] = _("争议金额不能为负数。")
    if errors:
        raise ValidationError(errors)
    roles_given = {p.get("role") for p in parties}
    if len(parties) < 2 or not {Party.Role.APPLICANT, Party.Role.RESPONDENT} <= roles_given:
        raise ValidationError({"parties": _("调解纠纷至少需要一名申请人和一名被申请人。")})
    cleaned, names = [], set()
    for p in parties:
        try:
            party = _clean_party(p, names)
        except ValidationError as exc:
            raise ValidationError({"parties": exc.messages})
        names.add(party["name"])
        cleaned.append(party)
    station = station or default_station()
    if station is None:
        raise ValidationError({"station": _("未配置人民调解工作站。")})
    if not allowed_stations(user).filter(pk=station.pk).exists():
        raise ValidationError({"station": _("只能在本工作站及下级工作站或人民调解工作站登记纠纷。")})
    for attempt in range(5):
        try:
            with transaction.atomic():
                dispute = Dispute.objects.create(
                    number=mediation_number("蒙知调", Dispute), station=station, subject=subject.strip(),
                    ip_type=ip_type, amount=amount, description=(description or "").strip(), created_by=user)
                for p in cleaned:
                    Party.objects.create(dispute=dispute, **p)
                record_event(dispute, "mediation.dispute.registered", user,
                             to_state=dispute.state)
            return dispute
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def add_party(dispute, user, **data):
    """Parties join only while consents are being collected (before a mediator is assigned)."""
    _require_worker(user)
    with transaction.atomic():
        locked = _lock(dispute)
        if locked.state not in (Dispute.State.REGISTERED, Dispute.State.AWAITING_CONSENT):
            raise ValidationError(_("当前状态为“%(s)s”，不能再增加当事人。") % {"s": locked.get_state_display()})
        party = _clean_party(data, set(locked.parties.values_list("name", flat=True)))
        party = Party.objects.create(dispute=locked, **party)
        record_event(locked, "mediation.dispute.party_added", user, params={"p": party})
    return party


def request_consent(dispute, user, comment=""):
    if dispute.parties.count() < 2:
        raise TransitionNotAllowed(_("至少需要两名当事人才能征求调解同意。"))
    return run_transition(dispute, "request_consent", user, comment)


def record_consent(party, user, *, document, given_at=None):
    """Record a party's consent with the signed consent document (required)."""
    _require_worker(user)
    if document is None:
        raise ValidationError({"document": _("请上传当事人签署的同意调解书。")})
    with transaction.atomic():
        dispute = _lock(party.dispute)
        if dispute.state not in (Dispute.State.REGISTERED, Dispute.State.AWAITING_CONSENT,
                                 Dispute.State.CONSENTED, Dispute.State.MEDIATOR_ASSIGNED):
            raise ValidationError(_("当前状态为“%(s)s”，不能再记录调解同意。") % {"s": dispute.get_state_display()})
        party = Party.objects.select_for_update().get(pk=party.pk)
        if party.has_consented:
            raise ValidationError(_("%(p)s 已同意调解，无需重复记录。") % {"p": party.name})
        att = store_upload(document, CONSENT_PURPOSE, user, owner=dispute,
                           label=_("同意调解书（%(name)s）") % {"name": party.name})
        party.consent_given_at = given_at or timezone.now()
        party.consent_document = att
        party.save(update_fields=["consent_given_at", "consent_document"])
        record_event(dispute, "mediation.dispute.consent", user, params={"p": party})
        if dispute.state == Dispute.State.REGISTERED:
            dispute = run_transition(dispute, "request_consent", user)
        if dispute.state == Dispute.State.AWAITING_CONSENT and all_consented(dispute):
            run_transition(dispute, "consents_complete", user, check_permission=False)
    return party


def all_consented(dispute):
    parties = list(dispute.parties.all())
    return len(parties) >= 2 and all(p.consent_given_at for p in parties)


def missing_consents(dispute):
    return [p for p in dispute.parties.all() if not p.consent_given_at]


# --- which steps a dispute takes beside its workflow's transitions (the dispute page's forms) ---

def takes_parties(user, dispute):
    """Parties are added until the consents are complete."""
    return dispute.state in (Dispute.State.REGISTERED, Dispute.State.AWAITING_CONSENT)


def takes_consents(user, dispute):
    """A consent is recorded for a party without one, until mediation starts."""
    return dispute.state in (Dispute.State.REGISTERED, Dispute.State.AWAITING_CONSENT, Dispute.State.CONSENTED,
                             Dispute.State.MEDIATOR_ASSIGNED) and bool(missing_consents(dispute))


def takes_sessions(user, dispute):
    return dispute.state in (Dispute.State.MEDIATOR_ASSIGNED, Dispute.State.IN_MEDIATION)


def may_extend(user, dispute):
    """The term is extended once, during mediation."""
    return dispute.state == Dispute.State.IN_MEDIATION and not dispute.extensions.exists()


# --- mediator -------------------------------------------------------------------------------

def conflict_of_interest(mediator, dispute):
    """Parties the mediator is linked to (same organisation, or the mediator is a party)."""
    linked = []
    names = {mediator.display_name, mediator.get_full_name()} - {""}
    for p in dispute.parties.all():
        if (mediator.organization_id and p.organization_id == mediator.organization_id) or p.name in names:
            linked.append(p)
    return linked


def assign_mediator(dispute, user, mediator, *, declaration, confirmed):
    """Assign a mediator from the pool after a conflict-of-interest declaration."""
    errors = {}
    if mediator is None or not mediator_pool().filter(pk=mediator.pk).exists():
        errors["mediator"] = _("请从调解员名册中选择调解员。")
    if not (declaration or "").strip():
        errors["declaration"] = _("请填写利益冲突声明。")
    if not confirmed:
        errors["confirmed"] = _("调解员须确认与各方当事人不存在利益冲突。")
    if errors:
        raise ValidationError(errors)
    linked = conflict_of_interest(mediator, dispute)
    if linked:
        raise ValidationError({"mediator": _("调解员%(m)s与当事人“%(p)s”存在关联，存在利益冲突，不能指派。")
                               % {"m": mediator, "p": "、".join(p.name for p in linked)}})

    def change(locked):
        locked.mediator = mediator
        locked.coi_declaration = declaration.strip()
        locked.coi_confirmed = True
        locked.assigned_at = timezone.now()

    locked = run_transition(dispute, "assign_mediator", user, comment=_("调解员：%(m)s") % {"m": mediator},
                            on_change=change, data={"mediator": mediator.pk})
    if mediator != user:
        notify(mediator, title=gettext_lazy("您被指派为调解员：%(n)s"), title_params={"n": locked.number},
               url=locked.get_absolute_url(), target=locked)
    return locked


# --- term -----------------------------------------------------------------------------------

def start_mediation(dispute, user, comment=""):
    """Mediation starts only with every party's consent; the term clock opens."""
    missing = missing_consents(dispute)
    if missing or dispute.parties.count() < 2:
        raise TransitionNotAllowed(_("尚未取得全部当事人的调解同意（%(names)s），不能开始调解。")
                                   % {"names": "、".join(p.name for p in missing) or _("当事人不足两方")},
                                   code="consent")
    cfg = MediationSettings.load()

    def change(locked):
        now = timezone.now()
        locked.started_at = now
        deadline = open_deadline(locked, TERM_KIND, label=gettext_lazy("人民调解期限：%(n)s"),
                                 label_params={"n": locked.number},
                                 rule=Deadline.Rule.CALENDAR_DAYS, amount=cfg.term_days, start=now,
                                 assignee=locked.mediator, station=locked.station)
        locked.due_date = timezone.localdate(deadline.due_at)

    return run_transition(dispute, "start", user, comment, on_change=change)


def extend_term(dispute, user, *, reason, new_due_date):
    """Extend the term once, with a reason, to a later date within the configured maximum."""
    _require_worker(user)
    cfg = MediationSettings.load()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写延长理由。")})
    with transaction.atomic():
        locked = _lock(dispute)
        if locked.state != Dispute.State.IN_MEDIATION:
            raise ValidationError(_("只有调解中的纠纷可以延长期限。"))
        if locked.extensions.exists():
            raise ValidationError(_("调解期限只能延长一次，本纠纷已经延长过。"), code="extended")
        if new_due_date is None or new_due_date <= locked.due_date:
            raise ValidationError({"new_due_date": _("延长后的期限必须晚于原期限 %(d)s。") % {"d": locked.due_date}})
        limit = locked.due_date + datetime.timedelta(days=cfg.max_extension_days)
        if new_due_date > limit:
            raise ValidationError({"new_due_date": _("最多延长 %(n)s 天（至 %(d)s）。")
                                   % {"n": cfg.max_extension_days, "d": limit}})
        ext = Extension.objects.create(dispute=locked, reason=reason.strip(), old_due_date=locked.due_date,
                                       new_due_date=new_due_date, created_by=user)
        start = locked.started_at or timezone.now()
        amount = (new_due_date - timezone.localdate(start)).days
        open_deadline(locked, TERM_KIND, label=gettext_lazy("人民调解期限（已延长）：%(n)s"),
                      label_params={"n": locked.number},
                      rule=Deadline.Rule.CALENDAR_DAYS, amount=amount, start=start,
                      assignee=locked.mediator, station=locked.station)
        locked.due_date = new_due_date
        locked.save(update_fields=["due_date"])
        record_event(locked, "mediation.dispute.extended", user, params={"d": new_due_date}, comment=ext.reason)
    dispute.due_date = new_due_date
    return ext


def log_session(dispute, user, *, held_on, mode, place="", attendees, notes):
    """A session (date, on site with a place or online, attendees, notes) of a dispute with a mediator."""
    _require_worker(user)
    place, attendees, notes = (place or "").strip(), (attendees or "").strip(), (notes or "").strip()
    with transaction.atomic():
        locked = _lock(dispute)
        if locked.state not in (Dispute.State.MEDIATOR_ASSIGNED, Dispute.State.IN_MEDIATION):
            raise ValidationError(_("只有已指派调解员或调解中的纠纷可以记录调解会。"))
        errors = {}
        if held_on is None or held_on > timezone.localdate():
            errors["held_on"] = _("调解会日期不能为空，且不能晚于今天。")
        elif held_on < timezone.localdate(locked.created_at):
            errors["held_on"] = _("调解会日期不能早于纠纷登记日期。")
        if mode not in MediationSession.Mode.values:
            errors["mode"] = _("请选择调解方式。")
        elif mode == MediationSession.Mode.ONSITE and not place:
            errors["place"] = _("现场调解请填写地点。")
        if not attendees:
            errors["attendees"] = _("请填写参加人员。")
        if not notes:
            errors["notes"] = _("请填写调解情况。")
        if errors:
            raise ValidationError(errors)
        session = MediationSession.objects.create(dispute=locked, held_on=held_on, mode=mode, place=place,
                                         attendees=attendees, notes=notes, created_by=user)
        record_event(locked, "mediation.dispute.session", user,
                     params={"d": held_on, "m": session.get_mode_display()}, comment=notes)
    return session


# --- outcome --------------------------------------------------------------------------------

def public_verification_url(agreement):
    return absolute_url(agreement.get_verification_path())


def render_agreement_pdf(agreement):
    """The agreement as PDF (WeasyPrint): parties, terms, date, mediator and a QR code that opens
    the public verification page."""
    import segno

    from ipcenter.reports.pdf import render_pdf

    dispute = agreement.dispute
    parties = list(dispute.parties.order_by("role", "pk"))
    url = public_verification_url(agreement)
    qr = segno.make(url, error="m").svg_inline(scale=3, border=2)
    return render_pdf("mediation/agreement_pdf.html", {
        "agreement": agreement, "dispute": dispute, "parties": parties, "copies": len(parties) + 1,
        "window_days": MediationSettings.load().confirmation_window_days, "verify_url": url, "qr_svg": qr,
    })


AGREEMENT_JOB = "mediation.agreement_pdf"


def store_agreement_pdf(agreement, user):
    """Render the agreement PDF and attach it to the dispute, once: the rendering holds no lock;
    the agreement row is locked only to check that no other run attached one first."""
    from ipcenter.files.models import Attachment

    agreement = Agreement.objects.select_related("dispute__station", "dispute__mediator").get(pk=agreement.pk)  # scoped: the job's own target
    if agreement.pdf_id:
        return agreement.pdf
    pdf = render_agreement_pdf(agreement)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)  # scoped: as above
        if locked.pdf_id:
            return Attachment.objects.get(pk=locked.pdf_id)  # scoped: the agreement's own PDF
        att = store_upload(ContentFile(pdf, name=f"{agreement.number}.pdf"), AGREEMENT_PURPOSE, user,
                           owner=agreement.dispute, label=_("调解协议书"), name=f"调解协议书-{agreement.number}.pdf")
        locked.pdf = att
        locked.save(update_fields=["pdf"])
    return att


def _open_confirmation_reminders(dispute, agreement, window_days):
    """The judicial-confirmation window: the mediator is reminded (to remind the parties), and
    so are the users of each party that is a registered organisation (their link is the public
    verification page, the one page of the dispute they may open)."""
    start = timezone.make_aware(datetime.datetime.combine(agreement.signed_on, datetime.time(9, 0)))
    open_deadline(dispute, CONFIRMATION_KIND, rule=Deadline.Rule.CALENDAR_DAYS, amount=window_days, start=start,
                  label=gettext_lazy("提醒当事人申请司法确认：%(n)s"), label_params={"n": dispute.number},
                  assignee=dispute.mediator, station=dispute.station, url=dispute.get_absolute_url())
    reminded = set()
    for party in dispute.parties.filter(organization__isnull=False).select_related("organization"):
        if party.organization_id in reminded:  # one reminder per company, even if it is two parties
            continue
        reminded.add(party.organization_id)
        open_deadline(party, CONFIRMATION_KIND, rule=Deadline.Rule.CALENDAR_DAYS, amount=window_days, start=start,
                      label=gettext_lazy("调解协议 %(a)s 的司法确认申请期限"), label_params={"a": agreement.number},
                      organization=party.organization, url=agreement.get_verification_path())


def _close_confirmation_reminders(dispute, state=Deadline.State.MET):
    close_deadlines(dispute, CONFIRMATION_KIND, state=state)
    for party in dispute.parties.all():
        close_deadlines(party, CONFIRMATION_KIND, state=state)


def _save_numbered(agreement):
    """Save under the next free agreement number (a concurrent agreement may take one first)."""
    for attempt in range(5):
        agreement.number = mediation_number("蒙知调协", Agreement)
        try:
            with transaction.atomic():
                agreement.content_hash = agreement.compute_hash()
                agreement.save()
            return agreement
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def reach_agreement(dispute, user, *, terms, signed_on):
    """Record the agreement: number, content hash and verification token, all or nothing; the
    term clock closes and the judicial-confirmation window opens.  The PDF is made by a job
    after commit (``store_agreement_pdf``) — never while the dispute row is locked."""
    errors = {}
    if not (terms or "").strip():
        errors["terms"] = _("请填写协议内容。")
    if signed_on is None or signed_on > timezone.localdate():
        errors["signed_on"] = _("签订日期不能为空，且不能晚于今天。")
    elif dispute.started_at and signed_on < timezone.localdate(dispute.started_at):
        errors["signed_on"] = _("签订日期不能早于调解开始日期。")
    if errors:
        raise ValidationError(errors)
    cfg = MediationSettings.load()
    holder = {}

    def change(locked):
        locked.ended_at = timezone.now()
        agreement = Agreement(dispute=locked, terms=terms.strip(), signed_on=signed_on,
                              mediator_name=str(locked.mediator) if locked.mediator_id else "",
                              token=secrets.token_urlsafe(32), created_by=user)
        holder["agreement"] = _save_numbered(agreement)
        close_deadlines(locked, TERM_KIND)
        _open_confirmation_reminders(locked, agreement, cfg.confirmation_window_days)

    with transaction.atomic():
        locked = run_transition(dispute, "reach_agreement", user, on_change=change)
        agreement = holder["agreement"]
        agreement.dispute = locked
        job_for(AGREEMENT_JOB, agreement, user)
    agreement.refresh_from_db(fields=["pdf"])  # made already when jobs run at commit (eager Celery)
    return agreement


def fail_mediation(dispute, user, *, referral, note):
    """Mediation failed: the reason and where the parties are referred (court, arbitration, ...)."""
    if referral not in Dispute.Referral.values:
        raise ValidationError({"referral": _("请选择转办去向。")})
    if not (note or "").strip():
        raise ValidationError({"note": _("请说明调解不成的原因。")})

    def change(locked):
        locked.referral = referral
        locked.failure_note = note.strip()
        locked.ended_at = timezone.now()
        close_deadlines(locked, TERM_KIND)

    return run_transition(dispute, "fail", user, note.strip(), on_change=change,
                          data={"referral": referral})


def record_confirmation(dispute, user, *, applied_on, court, result, decided_on=None, note=""):
    """Record the court's judicial confirmation; the parties' reminder clocks close."""
    errors = {}
    today = timezone.localdate()
    if not (court or "").strip():
        errors["court"] = _("请填写受理法院。")
    if result not in JudicialConfirmation.Result.values:
        errors["result"] = _("请选择结果。")
    if applied_on is None or applied_on > today:
        errors["applied_on"] = _("申请日期不能为空，且不能晚于今天。")
    elif hasattr(dispute, "agreement") and applied_on < dispute.agreement.signed_on:
        errors["applied_on"] = _("申请日期不能早于协议签订日期。")
    if decided_on is None:
        if result in (JudicialConfirmation.Result.CONFIRMED, JudicialConfirmation.Result.REJECTED):
            errors["decided_on"] = _("请填写法院的裁定日期。")
    elif decided_on > today:
        errors["decided_on"] = _("裁定日期不能晚于今天。")
    elif applied_on is not None and decided_on < applied_on:
        errors["decided_on"] = _("裁定日期不能早于申请日期。")
    if errors:
        raise ValidationError(errors)

    def change(locked):
        JudicialConfirmation.objects.create(dispute=locked, applied_on=applied_on, court=court.strip(),
                                            result=result, decided_on=decided_on, note=(note or "").strip(),
                                            created_by=user)
        _close_confirmation_reminders(locked)

    label = dict(JudicialConfirmation.Result.choices)[result]
    return run_transition(dispute, "record_confirmation", user, f"{court.strip()}：{label}", on_change=change)


def withdraw(dispute, user, comment):
    """An open dispute is withdrawn with a reason; its term clock is cancelled."""
    def change(locked):
        locked.ended_at = timezone.now()
        close_deadlines(locked, TERM_KIND, state=Deadline.State.CANCELLED)

    return run_transition(dispute, "withdraw", user, comment, on_change=change)


def run_named_transition(dispute, name, user, comment=""):
    """The plain transitions offered as buttons."""
    if name == "request_consent":
        return request_consent(dispute, user, comment)
    if name == "start":
        return start_mediation(dispute, user, comment)
    if name == "withdraw":
        return withdraw(dispute, user, comment)
    raise TransitionNotAllowed(_("该操作需要通过表单办理。"))


def confirmation_deadlines(dispute):
    """The judicial-confirmation clocks of a dispute: the mediator's and those of parties that
    are registered organisations."""
    from ipcenter.deadlines.services import deadlines_of

    return ((deadlines_of(dispute, CONFIRMATION_KIND)
             | deadlines_of(Party.objects.filter(dispute=dispute), CONFIRMATION_KIND))
            .select_related("organization", "assignee").order_by("due_at", "pk"))
