"""Pages of outreach: staff event lists and pages, registration (account and public), the ticket
with its QR code, check-in, exports, certificates and feedback."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ipcenter.forms import apply_errors
from ipcenter.generic import Column, ObjectListView, PredicateRequiredMixin
from ipcenter.http import safe_next
from ipcenter.reports.pdf import render_pdf
from ipcenter.reports.xlsx import attachment_response, write_xlsx, XLSX_TYPE

from . import forms, services
from .filters import EventFilterSet
from .ics import event_ics
from .models import Event, Feedback, Registration, is_event_staff, is_outreach_staff
from .protection import over_limit
from .qr import qr_svg


class EventStaffMixin(PredicateRequiredMixin):
    required = staticmethod(is_event_staff)


class OutreachTabsMixin:
    """The outreach tabs above a list: content pages only for outreach staff and managers."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["show_content_links"] = is_outreach_staff(self.request.user)
        return ctx


def _staff_event(request, pk):
    """An event the user manages; any other is a 404."""
    return get_object_or_404(Event.objects.visible_to(request.user), pk=pk)


class IndexView(LoginRequiredMixin, View):
    def get(self, request):
        if is_event_staff(request.user):
            return redirect("outreach:event-list")
        return redirect("outreach:my-registrations")


class EventListView(EventStaffMixin, OutreachTabsMixin, ObjectListView):
    template_name = "outreach/list.html"
    model = Event
    filterset_class = EventFilterSet
    default_sort = "-starts_at"
    title = gettext_lazy("活动")
    create_label = gettext_lazy("新建活动")
    columns = [
        Column("title", gettext_lazy("名称"), sort="title", link=True),
        Column("kind", gettext_lazy("类型"), sort="kind"),
        Column("station.name", gettext_lazy("主办站点"), sort="station__path"),
        Column("starts_at", gettext_lazy("开始时间"), sort="starts_at"),
        Column("capacity", gettext_lazy("名额")),
        Column("taken", gettext_lazy("已确认"), value=lambda o: o.taken),
        Column("state", gettext_lazy("状态"), value=lambda o: o.get_state_display()),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("station").annotate(taken=Count("registrations", filter=Q(
            registrations__state=Registration.State.CONFIRMED)))

    def get_create_url(self):
        return reverse("outreach:event-create")


class EventEditView(EventStaffMixin, View):
    def _render(self, request, form, event=None, status=200):
        return render(request, "outreach/form.html", {
            "form": form, "title": _("编辑活动") if event else _("新建活动"), "object": event}, status=status)

    def get(self, request, pk=None):
        event = _staff_event(request, pk) if pk else None
        return self._render(request, forms.EventForm(instance=event, user=request.user), event)

    def post(self, request, pk=None):
        event = _staff_event(request, pk) if pk else None
        form = forms.EventForm(request.POST, instance=event, user=request.user)
        if form.is_valid():
            try:
                obj = services.save_event(form.instance, request.user, changed=form.changed_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("活动已保存。"))
                return redirect(obj)
        return self._render(request, form, event, status=400)


REGISTRATIONS_PER_PAGE = 50


class EventDetailView(EventStaffMixin, View):
    def get(self, request, pk):
        return self.render_page(request, _staff_event(request, pk))

    @staticmethod
    def render_page(request, event, status=200, **forms_in_use):
        """The event's staff page; an action whose form had errors passes it bound (400)."""
        from ipcenter.files.services import attachments_of
        from ipcenter.workflow.engine import timeline_of

        from django.core.paginator import Paginator

        regs = event.registrations.order_by("state", "waiting_since", "created_at", "pk")
        # one page of the list (its cost does not grow with the event); the counts above it are exact
        page = Paginator(regs, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
        answers = Feedback.objects.visible_to(request.user).filter(registration__event=event)
        feedback = answers.aggregate(n=Count("pk"), total=Sum("rating"))
        rating_avg = round(feedback["total"] / feedback["n"], 2) if feedback["n"] else None
        by_rating = dict(answers.values_list("rating").annotate(n=Count("pk")))
        distribution = [(r, by_rating.get(r, 0), round(100 * by_rating.get(r, 0) / feedback["n"]) if feedback["n"] else 0)
                        for r in range(5, 0, -1)]
        comments = answers.exclude(comment="").order_by("-created_at")[:20]
        return render(request, "outreach/event_detail.html", {
            "event": event, "object": event, "registrations": page, "page_obj": page,
            "here_page": f"{event.get_absolute_url()}?page={page.number}", "counts": services.attendance_counts(event),
            "walkin_form": forms_in_use.get("walkin_form") or forms.WalkInForm(),
            "material_form": forms_in_use.get("material_form") or forms.MaterialForm(),
            "feedback": feedback, "rating_avg": rating_avg, "distribution": distribution, "comments": comments,
            "timeline": timeline_of(event, request.user)[:50],
            "materials": attachments_of(event),
        }, status=status)


class RegistrationActionView(EventStaffMixin, View):
    """Staff actions on one registration: approve, reject, cancel, no-show."""

    def post(self, request, pk, action):
        reg = get_object_or_404(Registration.objects.visible_to(request.user)
                                .filter(event__in=Event.objects.visible_to(request.user)), pk=pk)
        funcs = {
            "approve": lambda: services.decide_registration(reg, request.user, True),
            "reject": lambda: services.decide_registration(reg, request.user, False),
            "cancel": lambda: services.cancel_registration(reg, request.user),
            "no_show": lambda: services.mark_no_show(reg, request.user),
        }
        if action not in funcs:
            raise Http404
        try:
            funcs[action]()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已完成。"))
        return redirect(safe_next(request, reg.event.get_absolute_url()))  # back to the page of the list it was on


class WalkInView(EventStaffMixin, View):
    def post(self, request, pk):
        event = _staff_event(request, pk)
        form = forms.WalkInForm(request.POST)
        if form.is_valid():
            try:
                services.register(event, source=Registration.Source.WALK_IN, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已登记现场人员并签到。"))
                return redirect(event)
        return EventDetailView.render_page(request, event, status=400, walkin_form=form)


class CheckInView(EventStaffMixin, View):
    """The check-in page: a camera scan (static/js/outreach-checkin.js) or a typed code."""

    def get(self, request, pk):
        event = _staff_event(request, pk)
        return render(request, "outreach/checkin.html", {"event": event, "form": forms.CheckInForm(),
                                                         "counts": services.attendance_counts(event)})

    def post(self, request, pk):
        event = _staff_event(request, pk)
        form = forms.CheckInForm(request.POST)
        result = services.check_in(event, form.data.get("code", ""), request.user)
        counts = services.attendance_counts(event)
        if request.headers.get("Accept", "").startswith("application/json"):
            reg = result.registration
            return JsonResponse({"status": result.status, "message": result.message, "ok": result.ok,
                                 "name": reg.name if reg and result.status != "not_registered" else "",
                                 "checked_in": counts["checked_in"]})
        return render(request, "outreach/checkin.html", {"event": event, "form": forms.CheckInForm(),
                                                         "result": result, "counts": counts})


class ExportView(EventStaffMixin, View):
    def get(self, request, pk):
        event = _staff_event(request, pk)
        headers = [_("姓名"), _("单位"), _("手机号码"), _("电子邮箱"), _("状态"), _("来源"), _("报名时间"),
                   _("签到时间"), _("缺席")]
        states, sources = dict(Registration.State.choices), dict(Registration.Source.choices)
        rows = ((r.name, r.organization_name, r.mobile, r.email, str(states[r.state]), str(sources[r.source]),
                 r.created_at, r.checked_in_at, _("是") if r.no_show else "")
                for r in event.registrations.order_by("created_at", "pk").iterator())
        attended = ((r.name, r.organization_name, r.checked_in_at)
                    for r in event.registrations.filter(checked_in_at__isnull=False).order_by("checked_in_at"))
        content = write_xlsx([(_("报名"), headers, rows), (_("签到"), [_("姓名"), _("单位"), _("签到时间")], attended)])
        return attachment_response(content, f"{event.title}-报名与签到.xlsx", XLSX_TYPE)


def event_ics_view(request, pk):
    event = get_object_or_404(Event.objects.published(), pk=pk)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


# --- registration ------------------------------------------------------------------------------

class RegisterView(View):
    """Registration for a published event: a signed-in user from their account, anyone else with
    name, organisation, mobile and e-mail, a human check and a rate limit."""

    def _event(self, pk):
        return get_object_or_404(Event.objects.published(), pk=pk)

    def _form(self, request, event, data=None):
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name() or request.user.username,
                       "organization_name": request.user.organization.name if request.user.organization_id else "",
                       "email": request.user.email}
            return forms.AccountRegistrationForm(data, event=event, initial=initial)
        form = forms.PublicRegistrationForm(data, event=event)
        form.refresh_challenge() if data is None else None
        return form

    def _render(self, request, event, form, status=200, error=""):
        return render(request, "outreach/register.html", {"event": event, "form": form, "error": error},
                      status=status)

    def get(self, request, pk):
        event = self._event(pk)
        return self._render(request, event, self._form(request, event))

    def post(self, request, pk):
        event = self._event(pk)
        if not request.user.is_authenticated and over_limit("register", request):
            return self._render(request, event, self._form(request, event), status=429,
                                error=_("提交过于频繁，请稍后再试。"))
        form = self._form(request, event, request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("challenge", "answer")}
            try:
                reg = services.register(event, user=request.user if request.user.is_authenticated else None,
                                        source=(Registration.Source.ACCOUNT if request.user.is_authenticated
                                                else Registration.Source.PUBLIC), **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("outreach:ticket", reg.code)
        if hasattr(form, "refresh_challenge"):
            form.refresh_challenge()
        return self._render(request, event, form, status=400)


def _ticket(code):
    return get_object_or_404(Registration.objects.select_related("event"), code=code)  # scoped: the secret ticket code


class TicketView(View):
    """A registrant's page, reached through the personal code (the capability) from the mail."""

    def get(self, request, code):
        reg = _ticket(code)
        from ipcenter.files.services import attachments_of

        shared = reg.state == Registration.State.CONFIRMED and (
            reg.event.materials_public or timezone.now() >= reg.event.ends_at)
        return render(request, "outreach/ticket.html", {"reg": reg, "event": reg.event, "qr": qr_svg(reg.code),
                                                        "materials": attachments_of(reg.event) if shared else []})


class CancelView(View):
    def get(self, request, code):
        reg = _ticket(code)
        return render(request, "outreach/cancel.html", {"reg": reg, "event": reg.event})

    def post(self, request, code):
        reg = _ticket(code)
        try:
            services.cancel_registration(reg, request.user if request.user.is_authenticated else None)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("报名已取消。"))
        return redirect("outreach:ticket", reg.code)


class MyRegistrationsView(LoginRequiredMixin, View):
    """The signed-in user's registrations and training record (events and hours by year)."""

    def get(self, request):
        regs = Registration.objects.visible_to(request.user).filter(user=request.user).select_related("event") \
            .order_by("-event__starts_at")
        years = {}
        for r in regs:
            if r.checked_in_at:
                year = timezone.localtime(r.event.starts_at).year  # the year as the attendee lived it, not UTC's
                y = years.setdefault(year, {"year": year, "events": [], "hours": 0})
                y["events"].append(r)
                y["hours"] += r.event.hours
        return render(request, "outreach/my_registrations.html", {
            "registrations": regs, "record": sorted(years.values(), key=lambda y: -y["year"])})


# --- certificates and feedback ---------------------------------------------------------------------

class CertificateView(View):
    def get(self, request, code):
        reg = _ticket(code)
        if not reg.checked_in_at or timezone.now() < reg.event.ends_at:
            messages.error(request, _("活动结束后，已签到人员方可下载参训证明。"))
            return redirect("outreach:ticket", reg.code)
        url = request.build_absolute_uri(reg.get_verification_path())
        pdf = render_pdf("outreach/certificate_pdf.html", {"reg": reg, "event": reg.event, "qr": qr_svg(url, 4),
                                                            "url": url})
        return attachment_response(pdf, f"参训证明-{reg.name}.pdf", "application/pdf")


def certificate_verify(request, pk, digest):
    reg = Registration.objects.select_related("event").filter(pk=pk).first()  # scoped: shown only if the digest matches
    genuine = bool(reg) and reg.certificate_matches(digest)
    return render(request, "outreach/verify.html", {"reg": reg if genuine else None, "genuine": genuine})


class FeedbackView(View):
    def _render(self, request, reg, form, status=200):
        return render(request, "outreach/feedback.html", {"reg": reg, "event": reg.event, "form": form,
                                                          "done": hasattr(reg, "feedback")}, status=status)

    def get(self, request, code):
        reg = _ticket(code)
        return self._render(request, reg, forms.FeedbackForm())

    def post(self, request, code):
        reg = _ticket(code)
        form = forms.FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.submit_feedback(reg, form.cleaned_data["rating"], form.cleaned_data["comment"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("感谢您的反馈。"))
                return redirect("outreach:feedback", reg.code)
        return self._render(request, reg, form, status=400)



# --- materials --------------------------------------------------------------------------------------

class MaterialUploadView(EventStaffMixin, View):
    """Materials are checked by the form (each bad file named under the field) and stored by the
    service, all or none."""

    def post(self, request, pk):
        event = _staff_event(request, pk)
        form = forms.MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored = services.add_materials(event, request.user, form.cleaned_data["files"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已上传 %(n)d 个资料文件。") % {"n": len(stored)})
                return redirect(event)
        return EventDetailView.render_page(request, event, status=400, material_form=form)


def _serve(att):
    from django.http import FileResponse

    from ipcenter.files.services import kind_of, name_for_kind
    from ipcenter.reports.xlsx import content_disposition

    try:
        fh = att.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件已不在存储中，请联系管理员。"))
    response = FileResponse(fh, content_type=att.mime_type)
    response["Content-Disposition"] = content_disposition(name_for_kind(att.original_name, kind_of(att.mime_type)))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def material_download(request, pk, att_id, code=None):
    """An event's material: for anyone when the event shares it publicly; otherwise for a
    registrant (through their personal code) once the event has ended."""
    from ipcenter.files.services import attachments_of

    event = get_object_or_404(Event.objects.published(), pk=pk)
    if not event.materials_public:
        reg = Registration.objects.filter(  # scoped: the registrant's secret code
            event=event, code=code or "", state=Registration.State.CONFIRMED).first()
        if reg is None or timezone.now() < event.ends_at:
            raise Http404
    att = get_object_or_404(attachments_of(event), pk=att_id)
    return _serve(att)
