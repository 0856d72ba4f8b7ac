"""Rules of outreach: registration with exact capacity (the event row is locked while seats are
counted, as pretix locks a quota), waiting list and promotion, approval, walk-ins, no-shows,
check-in, feedback, articles; and the mail that goes with them."""
import datetime
import logging
import re
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.utils.translation import gettext_lazy

from ipcenter.accounts.services import require_reviewed_organization
from ipcenter.http import site_url
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event

from .models import CODE_ALPHABET, BaseActivity, Event, Feedback, Registration, is_outreach_staff

log = logging.getLogger(__name__)
State = Registration.State


# --- events -------------------------------------------------------------------------------

def check_event_station(user, station):
    """Staff may only organise events at a station of their own subtree."""
    from ipcenter.querysets import StationScope

    from .models import EVENT_STATION_ROLES

    if not user.is_superuser and not StationScope.for_user(user, EVENT_STATION_ROLES).includes(station):
        raise ValidationError({"station": _("只能选择本站点及下级站点。")})


FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_EVENT_DAYS = 31


def check_dates(**values):
    """Dates typed into outreach forms must be plausible (a year 1 or 9999 start would be stored and
    then break calendars and certificates): a field-level error for each one that is not."""
    errors = {}
    for field, value in values.items():
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors[field] = _("请输入 %(a)d 年至 %(b)d 年之间的日期。") % {"a": FIRST_YEAR, "b": LAST_YEAR}
    if errors:
        raise ValidationError(errors)


def save_event(event, user, changed=()):
    """Create or update an event after validating it; the change is recorded on its timeline."""
    check_event_station(user, event.station)
    check_dates(starts_at=event.starts_at, ends_at=event.ends_at, registration_opens=event.registration_opens,
                registration_closes=event.registration_closes)
    if event.starts_at and event.ends_at and event.ends_at - event.starts_at > datetime.timedelta(days=MAX_EVENT_DAYS):
        raise ValidationError({"ends_at": _("活动时长不能超过 %(n)d 天。") % {"n": MAX_EVENT_DAYS}})
    if event.registration_closes and event.ends_at and event.registration_closes > event.ends_at:
        raise ValidationError({"registration_closes": _("报名截止时间不能晚于活动结束时间。")})
    if event.audience == Event.Audience.INVITED and not event.invite_code:
        raise ValidationError({"invite_code": _("凭邀请码报名的活动须设置邀请码。")})
    if event.registration_opens and event.registration_closes and event.registration_closes < event.registration_opens:
        raise ValidationError({"registration_closes": _("报名截止时间不能早于报名开始时间。")})
    if event.ends_at and event.starts_at and event.ends_at < event.starts_at:
        raise ValidationError({"ends_at": _("结束时间不能早于开始时间。")})
    created = event.pk is None
    if created:
        event.created_by = user
    event.full_clean()
    with transaction.atomic():
        if not created:
            locked = Event.objects.select_for_update().get(pk=event.pk)
            held = locked.registrations.holding_seats().count()
            if event.capacity < held:
                raise ValidationError({"capacity": _("已确认 %(n)d 人，名额不能少于已确认人数。") % {"n": held}})
        event.save()
        record_event(event, "outreach.event.created" if created else "outreach.event.changed", user,
                     data={"fields": sorted(changed)} if changed else {})
        if not created:
            _fill_from_waiting_list(event)
    return event


def seats_taken(event):
    return event.registrations.holding_seats().count()


# --- registration ---------------------------------------------------------------------------

def register(event, *, name, mobile, email="", organization_name="", user=None, invite_code="",
             source=Registration.Source.PUBLIC, actor=None):
    """Register one person.  The event row is locked and the seats counted inside the lock, so
    two registrations can never take the same last seat; beyond capacity the person joins the
    waiting list; an approval-required event holds no seat until staff approve."""
    reg = Registration(event=event, user=user, name=(name or "").strip(), mobile=(mobile or "").strip(),
                       email=(email or "").strip(), organization_name=(organization_name or "").strip(),
                       source=source)
    reg.full_clean(exclude=["event", "user", "state", "code"])
    walk_in = source == Registration.Source.WALK_IN
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if not walk_in:
            if not locked.registration_open():
                raise ValidationError(_("该活动当前不在报名时间内。"))
            if locked.audience == Event.Audience.ENTITIES:
                if not (user and user.organization_id):
                    raise ValidationError(_("该活动仅限已备案的企业用户登录后报名。"))
                # the core rule: an organisation the centre has not approved yet is refused
                require_reviewed_organization(user.organization, field="organization_name")
            if locked.audience == Event.Audience.INVITED and (invite_code or "").strip() != locked.invite_code:
                raise ValidationError({"invite_code": _("邀请码不正确。")})
        active = locked.registrations.filter(state__in=Registration.ACTIVE_STATES)
        if active.filter(mobile=reg.mobile).exists() or (user and active.filter(user=user).exists()):
            raise ValidationError({"mobile": _("该手机号（或账户）已报名本活动。")})
        if locked.requires_approval and not walk_in:
            reg.state = State.PENDING
        elif seats_taken(locked) < locked.capacity:
            reg.state = State.CONFIRMED
        elif walk_in:
            raise ValidationError(_("名额已满，不能再登记现场人员。"))
        else:
            reg.state = State.WAITING
            reg.waiting_since = timezone.now()
        reg.event = locked
        if walk_in:
            reg.checked_in_at, reg.checked_in_by = timezone.now(), actor
        try:
            with transaction.atomic():
                reg.save()
        except IntegrityError:
            raise ValidationError({"mobile": _("该手机号（或账户）已报名本活动。")})
        record_event(locked, "outreach.registration.created", actor or user,
                     params={"name": reg.name, "state": reg.get_state_display()})
        if not walk_in:
            _send_confirmation(reg)
    return reg


def cancel_registration(reg, by=None):
    """Cancel a registration; a freed seat goes at once to the first person waiting."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=reg.event_id)
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        if reg.state not in Registration.ACTIVE_STATES:
            raise ValidationError(_("该报名已取消或未通过审核。"))
        if reg.checked_in_at:
            raise ValidationError(_("已签到的报名不能取消。"))
        if timezone.now() > event.ends_at:
            raise ValidationError(_("活动已结束，报名不能再取消。"))
        reg.state, reg.cancelled_at = State.CANCELLED, timezone.now()
        reg.save(update_fields=["state", "cancelled_at"])
        record_event(event, "outreach.registration.cancelled", by, params={"name": reg.name})
        _fill_from_waiting_list(event)
    return reg


def _fill_from_waiting_list(event):
    """Promote waiting people in order while seats are free (caller holds the event lock)."""
    free = event.capacity - seats_taken(event)
    if free <= 0:
        return []
    promoted = list(event.registrations.select_for_update().filter(state=State.WAITING)
                    .order_by("waiting_since", "pk")[:free])
    for reg in promoted:
        reg.state = State.CONFIRMED
        reg.save(update_fields=["state"])
        record_event(event, "outreach.registration.promoted", None, params={"name": reg.name})
        _send_mail(reg, _("候补成功：%(t)s") % {"t": event.title}, "outreach/email/promoted.txt")
        if reg.user_id:
            notify(reg.user, title=gettext_lazy("您已由候补转为正式报名：%(t)s"), title_params={"t": event.title},
                   url=reg.get_absolute_url(), email=False, key=f"outreach.promoted.{reg.pk}")
    return promoted


def decide_registration(reg, user, approve):
    """Staff approve (a seat if one is free, else the waiting list) or reject a pending registration."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=reg.event_id)
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        if reg.state != State.PENDING:
            raise ValidationError(_("只有待审核的报名可以审核。"))
        if not approve:
            reg.state = State.REJECTED
        elif seats_taken(event) < event.capacity:
            reg.state = State.CONFIRMED
        else:
            reg.state, reg.waiting_since = State.WAITING, timezone.now()
        reg.save(update_fields=["state", "waiting_since"])
        record_event(event, "outreach.registration.decided", user,
                     params={"name": reg.name, "state": reg.get_state_display()})
        _send_mail(reg, _("报名审核结果：%(t)s") % {"t": event.title}, "outreach/email/decided.txt")
    return reg


def mark_no_show(reg, user, no_show=True):
    with transaction.atomic():
        reg = Registration.objects.select_for_update().select_related("event").get(pk=reg.pk)
        if reg.state != State.CONFIRMED or reg.checked_in_at:
            raise ValidationError(_("只有已确认且未签到的报名可以标记缺席。"))
        if timezone.now() < reg.event.starts_at:
            raise ValidationError(_("活动开始后才能标记缺席。"))
        reg.no_show = no_show
        reg.save(update_fields=["no_show"])
    return reg


# --- check-in -------------------------------------------------------------------------------

@dataclass
class CheckInResult:
    status: str  # checked_in / already / not_registered / cancelled / not_confirmed
    registration: Registration | None = None
    at: datetime.datetime | None = None

    @property
    def ok(self):
        return self.status == "checked_in"

    @property
    def message(self):
        if self.status == "checked_in":
            return _("签到成功")
        if self.status == "already":
            return _("已于 %(t)s 签到") % {"t": timezone.localtime(self.at).strftime("%H:%M")}
        if self.status == "cancelled":
            return _("该报名已取消")
        if self.status == "not_confirmed":
            return _("报名未确认（%(s)s）") % {"s": self.registration.get_state_display()}
        return _("未报名本活动")


CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{12}}$")


def normalise_code(raw):
    code = re.sub(r"[\s\-]", "", str(raw or "")).upper()
    return code if CODE_RE.match(code) else None


def check_in(event, raw_code, user):
    """One answer per scan: the registration's row is locked, so a code scanned twice at once is
    checked in once and the second scan reports the time of the first."""
    code = normalise_code(raw_code)
    if code is None:
        return CheckInResult("not_registered")
    with transaction.atomic():
        reg = Registration.objects.select_for_update().filter(code=code, event=event).first()
        if reg is None:
            return CheckInResult("not_registered")
        if reg.state in (State.CANCELLED, State.REJECTED):
            return CheckInResult("cancelled", reg)
        if reg.state != State.CONFIRMED:
            return CheckInResult("not_confirmed", reg)
        if reg.checked_in_at:
            return CheckInResult("already", reg, reg.checked_in_at)
        reg.checked_in_at, reg.checked_in_by, reg.no_show = timezone.now(), user, False
        reg.save(update_fields=["checked_in_at", "checked_in_by", "no_show"])
        return CheckInResult("checked_in", reg, reg.checked_in_at)


def attendance_counts(event):
    from django.db.models import Count, Q

    return event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(state=State.CONFIRMED)),
        waiting=Count("pk", filter=Q(state=State.WAITING)),
        pending=Count("pk", filter=Q(state=State.PENDING)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        no_show=Count("pk", filter=Q(no_show=True)),
        cancelled=Count("pk", filter=Q(state=State.CANCELLED)),
    )


# --- feedback -------------------------------------------------------------------------------

def send_feedback_requests(event):
    """Ask the attendees of a finished event for feedback, once: the event row is locked and
    stamped, so a second run (or two workers at once) sends nothing."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.feedback_sent_at or timezone.now() < locked.ends_at:
            return 0
        locked.feedback_sent_at = timezone.now()
        locked.save(update_fields=["feedback_sent_at"])
        attendees = list(locked.registrations.filter(checked_in_at__isnull=False))
        for reg in attendees:
            _send_mail(reg, _("活动反馈邀请：%(t)s") % {"t": locked.title}, "outreach/email/feedback.txt")
            if reg.user_id:
                from django.urls import reverse

                notify(reg.user, title=gettext_lazy("请评价活动：%(t)s"), title_params={"t": locked.title},
                       url=reverse("outreach:feedback", args=[reg.code]), email=False,
                       key=f"outreach.feedback.{reg.pk}")
    return len(attendees)


def send_due_feedback_requests():
    n = 0
    since = timezone.now() - datetime.timedelta(days=7)
    for event in Event.objects.filter(feedback_sent_at__isnull=True, ends_at__lte=timezone.now(),
                                      ends_at__gte=since, published=True):
        n += send_feedback_requests(event)
    return n


def submit_feedback(reg, rating, comment=""):
    if not reg.checked_in_at:
        raise ValidationError(_("只有参加了活动的人员可以评价。"))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("请在 1 到 5 之间评分。")})
    try:
        with transaction.atomic():
            return Feedback.objects.create(registration=reg, rating=rating, comment=(comment or "")[:2000])
    except IntegrityError:
        raise ValidationError(_("您已提交过反馈，谢谢。"))


# --- articles, base activities ---------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td"}


def sanitise_html(html):
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def save_article(article, user):
    if not is_outreach_staff(user):
        raise PermissionDenied
    article.body = sanitise_html(article.body)
    if article.pk is None:
        article.author = user
    if article.published and not article.published_at:
        article.published_at = timezone.now()
    article.full_clean()
    article.save()
    return article


def _activity_params(activity):
    return {"kind": activity.get_kind_display(), "count": activity.count,
            "date": activity.date.isoformat() if hasattr(activity.date, "isoformat") else activity.date}


def log_base_activity(base, user, **data):
    if not is_outreach_staff(user):
        raise PermissionDenied
    check_dates(date=data.get("date") if hasattr(data.get("date"), "year") else None)
    activity = BaseActivity(base=base, logged_by=user, **data)
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        record_event(base, "outreach.base.activity_logged", user, params=_activity_params(activity))
    return activity


ACTIVITY_FIELDS = ("kind", "date", "count", "note")


def update_base_activity(activity, user, **data):
    """Correct a logged activity of a practice base (its kind, date, count, note); the change is
    recorded on the base's timeline with the values before and after."""
    if not is_outreach_staff(user):
        raise PermissionDenied
    check_dates(date=data.get("date") if hasattr(data.get("date"), "year") else None)
    with transaction.atomic():
        current = BaseActivity.objects.select_for_update().get(pk=activity.pk)
        before = {f: getattr(current, f) for f in ACTIVITY_FIELDS}
        for field, value in data.items():
            if field in ACTIVITY_FIELDS:
                setattr(current, field, value)
        current.full_clean()
        current.save()
        changes = {str(BaseActivity._meta.get_field(f).verbose_name): [str(before[f]), str(getattr(current, f))]
                   for f in ACTIVITY_FIELDS if before[f] != getattr(current, f)}
        record_event(current.base, "outreach.base.activity_changed", user, params=_activity_params(current),
                     data={"changes": changes, "activity": current.pk})
    return current


def delete_base_activity(activity, user):
    """Remove an activity logged by mistake; what it said stays on the base's timeline."""
    if not is_outreach_staff(user):
        raise PermissionDenied
    with transaction.atomic():
        current = BaseActivity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:  # already deleted (a second click): nothing more to do
            return
        record_event(current.base, "outreach.base.activity_deleted", user, params=_activity_params(current),
                     data={"activity": current.pk, "note": current.note})
        current.delete()


def save_practice_base(base, user, firms=None):
    """Create or update a practice base; ``firms`` (when given) replaces the attached firms,
    which must be companies."""
    from ipcenter.accounts.models import Organization

    if not is_outreach_staff(user):
        raise PermissionDenied
    if base.league_id and base.league.kind not in ("league", "centre"):
        raise ValidationError({"league": _("请选择盟市分中心。")})
    if firms is not None and any(f.kind != Organization.Kind.COMPANY for f in firms):
        raise ValidationError({"firms": _("入驻企业只能选择企业。")})
    check_dates(opened_on=base.opened_on if hasattr(base.opened_on, "year") else None)
    base.full_clean()
    with transaction.atomic():
        base.save()
        if firms is not None:
            base.firms.set(firms)
    return base


# --- publications of the media matrix -----------------------------------------------------------

def publication_pdf(publication):
    """The current PDF of a publication (a journal issue's file), or None."""
    from ipcenter.files.services import attachments_of

    return attachments_of(publication).order_by("-uploaded_at").first()


def publication_pdfs(publications):
    """The current PDF of each publication given, in one query: {pk: attachment}."""
    from ipcenter.files.services import attachments_of

    from .models import Publication

    pks = [p.pk for p in publications]
    if not pks:
        return {}
    return {int(a.object_id): a for a in attachments_of(Publication.objects.filter(pk__in=pks))
            .order_by("object_id", "uploaded_at")}


def save_publication(publication, user, pdf=None):
    """Create or update a publication; an uploaded PDF becomes its file (the next version of the
    one it had), stored in the same transaction."""
    from ipcenter.files.services import store_upload

    if not is_outreach_staff(user):
        raise PermissionDenied
    check_dates(published_on=publication.published_on if hasattr(publication.published_on, "year") else None)
    publication.full_clean()
    created = publication.pk is None
    try:
        with transaction.atomic():
            publication.save()
            if pdf:
                try:
                    store_upload(pdf, "outreach.publication", user, owner=publication, label=_("期刊 PDF"),
                                 supersedes=publication_pdf(publication))
                except ValidationError as exc:  # the file's own problem, under its field
                    raise ValidationError({"pdf": exc.messages})
            record_event(publication, "outreach.publication.created" if created else "outreach.publication.changed",
                         user, data={"pdf": pdf.name} if pdf else {})
    except ValidationError:
        if created:  # rolled back: the instance is not stored
            publication.pk = None
        raise
    return publication


REACH_COLUMNS = ("views", "likes", "shares")


REACH_JOB = "outreach.reach_import"
REACH_PURPOSE = "outreach.reach_csv"  # the upload: a CSV of at most 10 MB (outreach.apps)
REACH_MAX_ROWS = 100_000
REACH_MAX_VALUE = 2_000_000_000


def import_reach(fh, user, row_error, max_rows=REACH_MAX_ROWS, progress=None):
    """Reach figures (views, likes, shares) of publications from a CSV with the header
    ``id,views,likes,shares`` (``fh`` opened for binary reading).  Every row is checked and each
    problem reported with ``row_error(row, column, message)`` (rows numbered as the user sees
    them, the header being row 1); only when there is none are all rows written, in one bulk
    update.  Runs as the core import job ``outreach.reach_import`` (``outreach.jobs``), whose
    transaction also rolls back whatever a failing run did.  Returns the number updated."""
    import csv
    import io

    from .models import Publication

    if not is_outreach_staff(user):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    parsed, errors, line = {}, 0, 1

    def error(row, column, message, **params):
        nonlocal errors
        errors += 1
        row_error(row, column, message, params)  # a catalogue entry: shown in each reader's language

    try:
        if reader.fieldnames is None or not {"id", *REACH_COLUMNS} <= {(f or "").strip() for f in reader.fieldnames}:
            error(1, "", gettext_noop("CSV 须包含表头 id, views, likes, shares。"))
            return 0
        reader.fieldnames = [(f or "").strip() for f in reader.fieldnames]
        for line, row in enumerate(reader, start=2):
            if line - 1 > max_rows:
                error(line, "", gettext_noop("一次最多导入 %(n)d 行。"), n=max_rows)
                break
            try:
                pk = int(str(row.get("id") or "").strip())
            except ValueError:
                error(line, "id", gettext_noop("数值无效。"))
                pk = None
            figures = {}
            for k in REACH_COLUMNS:
                try:
                    figures[k] = int(str(row.get(k) or "").replace(",", "").strip())
                except ValueError:
                    error(line, k, gettext_noop("数值无效。"))
                    continue
                if not 0 <= figures[k] <= REACH_MAX_VALUE:
                    error(line, k, gettext_noop("数值超出范围。"))
            if pk is not None and len(figures) == len(REACH_COLUMNS):
                parsed[pk] = (line, figures)
            if progress is not None and line % 5000 == 0:
                progress(min(80, 10 + line * 70 // max_rows), _("导入中"))
    except UnicodeDecodeError:
        error(line + 1, "", gettext_noop("文件须为 UTF-8 编码的 CSV。"))
        return 0
    except csv.Error:
        error(line + 1, "", gettext_noop("文件不是有效的 CSV。"))
        return 0
    if not parsed and not errors:
        error(2, "", gettext_noop("请选择要导入的文件。") if line == 1 else gettext_noop("文件不是有效的 CSV。"))
        return 0
    pubs = {p.pk: p for p in Publication.objects.visible_to(user).select_for_update().filter(pk__in=list(parsed))}
    for pk, (row, _figures) in sorted(parsed.items(), key=lambda item: item[1][0]):
        if pk not in pubs:
            error(row, "id", gettext_noop("作品不存在。"))
    if errors:
        return 0
    with transaction.atomic():
        for pk, (_row, figures) in parsed.items():
            for k, v in figures.items():
                setattr(pubs[pk], k, v)
        Publication.objects.bulk_update(list(pubs.values()), list(REACH_COLUMNS), batch_size=500)
    return len(parsed)


# --- mail -----------------------------------------------------------------------------------

def _send_confirmation(reg):
    subject = {State.CONFIRMED: gettext_lazy("报名成功：%(t)s"), State.WAITING: gettext_lazy("已进入候补名单：%(t)s"),
               State.PENDING: gettext_lazy("报名已提交，待审核：%(t)s")}[reg.state]
    _send_mail(reg, str(subject) % {"t": reg.event.title}, "outreach/email/confirmation.txt", attach_ics=True)
    if reg.user_id:
        notify(reg.user, title=subject, title_params={"t": reg.event.title}, url=reg.get_absolute_url(), email=False,
               key=f"outreach.registered.{reg.pk}")


def _send_mail(reg, subject, template, attach_ics=False):
    """E-mail a registrant after the transaction commits (public registrants have no account)."""
    if not reg.email:
        return
    from .ics import event_ics

    base = site_url()
    qr_cid = f"qr-{reg.code}@ipcenter"
    ctx = {"reg": reg, "event": reg.event, "base": base, "qr_cid": qr_cid}
    body = render_to_string(template, ctx)
    html = render_to_string("outreach/email/ticket.html", ctx) if attach_ics else None
    pk = reg.pk

    def send():
        msg = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [reg.email])
        if html:
            msg.attach_alternative(html, "text/html")
            msg.attach(_qr_image(reg.code, qr_cid))
        if attach_ics:
            msg.attach("event.ics", event_ics(reg.event), "text/calendar")
        try:
            msg.send()
        except Exception:  # mail down: the registration stands, the ticket page shows the code
            log.exception("outreach mail for registration %s failed", pk)

    transaction.on_commit(send)


def _qr_image(code, cid):
    """The ticket's QR code as a PNG part that the HTML body shows inline (``cid:``) and that
    also arrives as ``<code>.png`` (mail clients show neither an SVG image nor an inline SVG)."""
    from email.mime.image import MIMEImage

    from .qr import qr_png

    part = MIMEImage(qr_png(code), "png")
    part.add_header("Content-ID", f"<{cid}>")
    part.add_header("Content-Disposition", "inline", filename=f"{code}.png")
    return part


def add_materials(event, user, files):
    """Staff add an event's materials (all of them or, when one is refused, none)."""
    from ipcenter.files.services import store_upload

    if not files:
        raise ValidationError({"files": _("请选择要上传的文件。")})
    from .models import is_event_staff

    if not is_event_staff(user):
        raise PermissionDenied(_("只有活动工作人员可以上传活动资料。"))
    with transaction.atomic():
        return [store_upload(f, "outreach.material", user, owner=event, label=_("活动资料")) for f in files]
