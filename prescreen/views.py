"""Pre-exam pages: registration (备案), filing in steps, the case page, the examiner queue,
the opinion editor, corrections and CNIPA tracking.  Every record comes from
``visible_to`` (another organisation's record is a 404); every change goes through
``prescreen.services``."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRefresh

from ipcenter.accounts import roles
from ipcenter.accounts.models import User, field_name
from ipcenter.accounts.rules import is_centre_manager
from ipcenter.files.services import attachments_of
from ipcenter.forms import apply_errors
from ipcenter.generic import (ActionForm, Column, ObjectActionView, ObjectCreateView, ObjectDetailView,
                              ObjectListView, PredicateRequiredMixin, RecordPageActionView, Step)

from ipcenter.reports.views import GeneratedFileView

from . import forms, hooks, rules, services
from .filters import CaseFilterSet, RegistrationFilterSet
from .models import DefectItem, Opinion, PreExamCase, Registration, acts_for_case

S = PreExamCase.State


def _is_filer(user):
    return bool(user.organization_id) and user.has_role(roles.APPLICANT, roles.AGENCY)


class FilerRequiredMixin(PredicateRequiredMixin):
    required = _is_filer
    denied_message = gettext_lazy("只有企业或代理机构用户可以办理此项。")


class ManagerRequiredMixin(PredicateRequiredMixin):
    required = is_centre_manager


# ---- index ---------------------------------------------------------------------------------

class IndexView(LoginRequiredMixin, TemplateView):
    """Role-aware start page of the pre-exam service."""

    template_name = "prescreen/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        cases = PreExamCase.objects.visible_to(user)
        labels = dict(S.choices)
        by_state = {r["state"]: r["n"] for r in cases.values("state").annotate(n=Count("pk"))}
        ctx["by_state"] = [(code, labels[code], by_state.get(code, 0)) for code in labels]
        ctx["is_filer"] = _is_filer(user)
        ctx["is_examiner"] = user.has_role(roles.EXAMINER)
        ctx["is_manager"] = is_centre_manager(user)
        if ctx["is_filer"]:
            year = timezone.localdate().year
            org = user.organization
            ctx["registration"] = (Registration.objects.visible_to(user).filter(organization=org)
                                   .order_by("-submitted_at").first())
            ctx["quota"] = services.annual_quota(org, year)
            ctx["used"] = services.quota_used(org, year)
            ctx["year"] = year
            ctx["attention"] = (cases.filter(state__in=[S.DRAFT, S.NEEDS_CORRECTION, S.QUALIFIED])
                                .filter(Q(state__in=[S.DRAFT, S.NEEDS_CORRECTION])
                                        | Q(cnipa_application_number="") | Q(cnipa_outcome=""))
                                .select_related("organization").order_by("-created_at")[:10])
        if ctx["is_examiner"]:
            ctx["queue_count"] = PreExamCase.objects.queue_for(user).count()  # scoped: the examiner's own fields
            ctx["my_cases"] = (PreExamCase.objects.visible_to(user).filter(examiner=user, state__in=[S.EXAMINING, S.NEEDS_CORRECTION])
                               .select_related("organization").order_by("accepted_at")[:15])
        if ctx["is_manager"]:
            ctx["pending_registrations"] = Registration.objects.visible_to(user).filter(
                state=Registration.State.APPLYING).select_related("organization")[:10]
            ctx["to_accept"] = cases.filter(state=S.SUBMITTED).select_related("organization").order_by(
                "submitted_at")[:10]
            ctx["overdue"] = cases.filter(pk__in=_overdue_case_ids()).count()
        return ctx


def _overdue_case_ids():
    from ipcenter.deadlines.services import overdue_ids

    return overdue_ids(PreExamCase)


# ---- registrations -------------------------------------------------------------------------

class RegistrationListView(ObjectListView):
    model = Registration
    filterset_class = RegistrationFilterSet
    default_sort = "-submitted_at"
    title = gettext_lazy("创新主体备案")
    create_label = gettext_lazy("申请备案")
    template_name = "prescreen/list.html"
    columns = [
        Column("organization.name", gettext_lazy("单位"), sort="organization__name", link=True),
        Column("organization.uscc", gettext_lazy("统一社会信用代码")),
        Column("organization.league.name", gettext_lazy("盟市"), sort="organization__league__path"),
        Column("state", gettext_lazy("状态"), sort="state", badge=True),
        Column("eligibility", gettext_lazy("条件核验"),
               value=lambda r: _("%(ok)s/%(n)s 项符合") % {"ok": sum(1 for x in r.eligibility if x.get("passed")),
                                                        "n": len(r.eligibility)}),
        Column("submitted_at", gettext_lazy("申请时间"), sort="submitted_at"),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("organization__league")

    def get_create_url(self):
        return reverse("prescreen:registration-create") if _is_filer(self.request.user) else None


class RegistrationCreateView(FilerRequiredMixin, ObjectCreateView):
    """备案 with its supporting documents (the service stores them); a re-application after a
    return starts from the last answers."""

    form_class = forms.RegistrationForm
    service = services.apply_registration
    template_name = "prescreen/registration_form.html"
    title = gettext_lazy("申请创新主体备案")

    def previous(self):
        return (Registration.objects.visible_to(self.request.user).filter(organization=self.request.user.organization)
                .order_by("-submitted_at").first())

    def get(self, request, *args, **kwargs):
        previous = self.previous()
        if previous and previous.state not in (Registration.State.RETURNED, Registration.State.CANCELLED):
            messages.info(request, _("本单位已有备案记录。"))
            return redirect(previous)
        self.previous_registration = previous
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        previous = getattr(self, "previous_registration", None)
        if previous is None:
            return {}
        initial = {f: getattr(previous, f) for f in forms.RegistrationForm.Meta.fields if f != "technical_fields"}
        initial["technical_fields"] = list(previous.technical_fields.values_list("pk", flat=True))
        return initial

    def get_success_message(self, reg):
        failed = [r["label"] for r in reg.eligibility if not r["passed"]]
        if failed:
            messages.warning(self.request, _("备案申请已提交，但以下条件不符合：%(rules)s。中心将据此审核。")
                             % {"rules": "；".join(failed)})
            return ""
        return _("备案申请已提交，各项条件均符合，请等待中心审核。")


class RegistrationDetailView(ObjectDetailView):
    model = Registration
    template_name = "prescreen/registration_detail.html"
    action_forms = (
        ActionForm("reason_form", forms.ReasonForm, transition="return", kwargs=lambda v, o: {"auto_id": "return_%s"}),
        ActionForm("cancel_form", forms.ReasonForm, transition="cancel", kwargs=lambda v, o: {"auto_id": "cancel_%s"}),
        ActionForm("suspend_form", forms.SuspendForm, transition="suspend",
                   kwargs=lambda v, o: {"auto_id": "suspend_%s"}),
    )

    def refine_queryset(self, qs):
        return qs.select_related("organization__league", "decided_by").prefetch_related("technical_fields")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reg, user = self.object, self.request.user
        ctx["actions"] = self.available_actions(reg)  # the buttons and forms below, as the workflow offers them
        ctx["transitions"] = []
        ctx["live_eligibility"] = services.evaluate_eligibility(reg)
        ctx["is_manager"] = is_centre_manager(user)
        if ctx["is_manager"]:
            failed, total = services.failure_figures(reg.organization)
            ctx["figures"] = {"failed": failed, "total": total,
                              "rate": round(failed * 100 / total) if total else None}
        year = timezone.localdate().year
        ctx["quota"] = services.annual_quota(reg.organization, year)
        ctx["used"] = services.quota_used(reg.organization, year)
        ctx["can_reapply"] = (_is_filer(user) and user.organization_id == reg.organization_id
                              and reg.state in (Registration.State.RETURNED, Registration.State.CANCELLED))
        return ctx


class RegistrationActionView(ManagerRequiredMixin, ObjectActionView):
    """approve / return / suspend / reinstate / cancel, each through its service; a form with
    errors is shown again under its field on the registration page."""

    model = Registration
    detail_view = RegistrationDetailView
    success_message = gettext_lazy("已完成。")
    actions = {
        "approve": Step(services.approve_registration),
        "reinstate": Step(services.reinstate_registration),
        "return": Step(services.return_registration, forms.ReasonForm, "reason_form"),
        "cancel": Step(services.cancel_registration, forms.ReasonForm, "cancel_form"),
        "suspend": Step(services.suspend_registration, forms.SuspendForm, "suspend_form"),
    }

    def get_form_kwargs(self):
        return {"auto_id": f"{self.kwargs['action']}_%s"}

    def get_success_url(self, obj, result):
        return obj.get_absolute_url()


# ---- case lists ----------------------------------------------------------------------------

# the columns the case lists show: the rows are built from these alone (no query per row), and the
# big text and JSON columns (the extracted claims text alone can be many KB per row) are never read
CASE_LIST_ONLY = ("number", "title", "patent_type", "state", "submitted_at", "accepted_at", "cnipa_application_number",
                  "organization__name", "technical_field__name",
                  *(f"examiner__{f}" for f in User.LABEL_FIELDS))


def _field_cell(row):
    """The case's technical field in the viewer's language (a model row or a values row)."""
    if isinstance(row, dict):
        return field_name(row.technical_field__name)
    return row.technical_field.display_name if row.technical_field_id else ""


CASE_COLUMNS = [
    Column("number", gettext_lazy("预审编号"), sort="number", link=True, needs=("number", "state"),
           value=lambda c: c.number or (_("（草稿）") if c.state == S.DRAFT else _("（待受理）"))),
    Column("title", gettext_lazy("发明名称"), link=True),
    Column("patent_type", gettext_lazy("类型"), sort="patent_type"),
    Column("organization.name", gettext_lazy("申请人单位"), sort="organization__name"),
    Column("technical_field.name", gettext_lazy("技术领域"), sort="technical_field__sort_order",
           value=_field_cell,
           needs=("technical_field__name",)),
    Column("examiner", gettext_lazy("预审员"), person=True),
    Column("state", gettext_lazy("状态"), sort="state", badge=True),
    Column("submitted_at", gettext_lazy("提交时间"), sort="submitted_at"),
    Column("accepted_at", gettext_lazy("受理时间"), sort="accepted_at"),
    Column("cnipa_application_number", gettext_lazy("正式申请号"), export=True),
]


class CaseListView(ObjectListView):
    model = PreExamCase
    filterset_class = CaseFilterSet
    detail_url_name = "prescreen:case-detail"
    values_rows = True
    default_sort = "-created_at"
    title = gettext_lazy("预审案件")
    create_label = gettext_lazy("新建预审案件")
    template_name = "prescreen/list.html"
    columns = CASE_COLUMNS

    def refine_queryset(self, qs):
        return qs.select_related("organization", "technical_field", "examiner").only(*CASE_LIST_ONLY)

    def get_create_url(self):
        return reverse("prescreen:case-create") if _is_filer(self.request.user) else None


MY_CASES_SHOWN = 15


class QueueView(ObjectListView):
    """The examiner's queue: accepted, unclaimed cases of their fields, oldest first."""

    model = PreExamCase
    title = gettext_lazy("预审工作队列")
    template_name = "prescreen/queue.html"
    detail_url_name = "prescreen:case-detail"
    values_rows = True
    columns = [
        Column("number", gettext_lazy("预审编号"), link=True),
        Column("title", gettext_lazy("发明名称"), link=True),
        Column("patent_type", gettext_lazy("类型")),
        Column("technical_field.name", gettext_lazy("技术领域"),
               value=_field_cell,
               needs=("technical_field__name",)),
        Column("organization.name", gettext_lazy("申请人单位")),
        Column("accepted_at", gettext_lazy("受理时间")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_role(roles.EXAMINER):
            raise PermissionDenied(_("只有预审员有工作队列。"))
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return PreExamCase.objects.visible_to(self.request.user).queue_for(self.request.user)

    def refine_queryset(self, qs):
        return qs.select_related("organization", "technical_field").only(*CASE_LIST_ONLY[:-len(User.LABEL_FIELDS)])


class MyCasesView(LoginRequiredMixin, View):
    """The examiner's own cases under examination: a fragment the queue page loads after it
    renders (so the queue itself stays one light page)."""

    def get(self, request):
        if not request.user.has_role(roles.EXAMINER):
            raise PermissionDenied
        mine = PreExamCase.objects.visible_to(request.user).filter(examiner=request.user, state__in=[S.EXAMINING, S.NEEDS_CORRECTION])
        cases = list(mine.select_related("organization").order_by("accepted_at")[:MY_CASES_SHOWN + 1])
        return render(request, "prescreen/_my_cases.html", {
            "my_cases": cases[:MY_CASES_SHOWN], "my_cases_more": len(cases) > MY_CASES_SHOWN})


class ClaimNextView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            case = services.claim_next(request.user)
        except PermissionDenied:
            raise
        if case is None:
            messages.info(request, _("队列中暂无可领取的案件。"))
            return redirect("prescreen:queue")
        messages.success(request, _("已领取案件 %(number)s。") % {"number": case.number})
        return redirect(case)


class ClaimCaseView(LoginRequiredMixin, View):
    """“领取此案” on an unclaimed accepted case's page (the race is settled by the service)."""

    def post(self, request, pk):
        case = get_object_or_404(PreExamCase.objects.visible_to(request.user), pk=pk)
        try:
            case = services.claim_case(case, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已领取案件 %(number)s。") % {"number": case.number})
        return redirect(case)


class WorkloadView(ManagerRequiredMixin, TemplateView):
    """Open and finished work per examiner (one aggregate query)."""

    template_name = "prescreen/workload.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        month_start = timezone.localdate().replace(day=1)
        overdue = _overdue_case_ids()
        ctx["rows"] = (User.objects.filter(groups__name=roles.EXAMINER, is_active=True).distinct()
                       .annotate(
                           examining=Count("prescreen_cases", filter=Q(prescreen_cases__state=S.EXAMINING),
                                           distinct=True),
                           correction=Count("prescreen_cases",
                                            filter=Q(prescreen_cases__state=S.NEEDS_CORRECTION), distinct=True),
                           concluded_month=Count("prescreen_cases", filter=Q(
                               prescreen_cases__concluded_at__date__gte=month_start), distinct=True),
                           overdue=Count("prescreen_cases", filter=Q(prescreen_cases__pk__in=overdue,
                                                                     prescreen_cases__state__in=[
                                                                         S.EXAMINING, S.NEEDS_CORRECTION]),
                                         distinct=True))
                       .prefetch_related("technical_fields").order_by("username"))
        ctx["queue"] = list(PreExamCase.objects.filter(state=S.ACCEPTED, examiner__isnull=True)  # scoped: counts per field on the managers' workload page
                            .values("technical_field__name").annotate(n=Count("pk")).order_by("technical_field__name"))
        return ctx


# ---- filing steps --------------------------------------------------------------------------

STEPS = [("details", gettext_lazy("基本信息")), ("documents", gettext_lazy("申请文件")),
         ("review", gettext_lazy("形式预检与提交"))]


def _draft_for(request, pk):
    """A draft the user may edit; other records are 404, a non-draft goes to its page."""
    case = get_object_or_404(PreExamCase.objects.visible_to(request.user), pk=pk)
    if not acts_for_case(request.user, case):
        raise Http404
    return case


def _step_context(case, step, **extra):
    return {"case": case, "steps": STEPS, "step": step, **extra}


class CaseCreateView(FilerRequiredMixin, ObjectCreateView):
    """Step 1 of a new filing: saving it creates the draft."""

    form_class = forms.CaseForm
    service = services.create_draft
    template_name = "prescreen/case_step_details.html"
    success_message = gettext_lazy("草稿已保存，请上传申请文件。")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return _step_context(None, "details", **kwargs)

    def get_success_url(self, case):
        return reverse("prescreen:case-documents", args=[case.pk])


class CaseEditView(LoginRequiredMixin, View):
    def get(self, request, pk):
        case = _draft_for(request, pk)
        if case.state != S.DRAFT:
            return redirect(case)
        return render(request, "prescreen/case_step_details.html",
                      _step_context(case, "details", form=forms.CaseForm(instance=case, user=request.user)))

    def post(self, request, pk):
        case = _draft_for(request, pk)
        if case.state != S.DRAFT:
            messages.error(request, _("案件已提交，不能再修改基本信息。"))
            return redirect(case)
        form = forms.CaseForm(request.POST, instance=case, user=request.user)
        if form.is_valid():
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                services.update_draft(case, request.user, **changed)
            except ValidationError as exc:
                apply_errors(form, exc)
                return render(request, "prescreen/case_step_details.html",
                              _step_context(case, "details", form=form), status=400)
            messages.success(request, _("草稿已保存。"))
            return redirect("prescreen:case-documents", case.pk)
        return render(request, "prescreen/case_step_details.html", _step_context(case, "details", form=form),
                      status=400)


def _current_documents(case):
    docs = {role: [] for role in services.DOCUMENT_ROLES}
    for att in attachments_of(case):
        if att.label in docs:
            docs[att.label].append(att)
    return [(role, forms.DOCUMENT_LABELS[role], docs[role]) for role in services.DOCUMENT_ROLES]


class CaseDocumentsView(LoginRequiredMixin, View):
    """Step 2: upload (or replace) the application documents of a draft."""

    def _render(self, request, case, form, status=200):
        return render(request, "prescreen/case_step_documents.html",
                      _step_context(case, "documents", form=form, documents=_current_documents(case)),
                      status=status)

    def get(self, request, pk):
        case = _draft_for(request, pk)
        if case.state != S.DRAFT:
            return redirect(case)
        return self._render(request, case, forms.DocumentsForm(require_any=False))

    def post(self, request, pk):
        case = _draft_for(request, pk)
        if case.state != S.DRAFT:
            return redirect(case)
        if "remove" in request.POST:
            name = services.remove_draft_document(case, request.user, request.POST["remove"])
            if name is None:
                raise Http404(_("该案件没有这个文件。"))
            messages.success(request, _("已删除文件“%(name)s”。") % {"name": name})
            return redirect("prescreen:case-documents", case.pk)
        form = forms.DocumentsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.store_draft_documents(case, request.user, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if "next" in request.POST:
                    return redirect("prescreen:case-review", case.pk)
                messages.success(request, _("文件已上传。"))
                return redirect("prescreen:case-documents", case.pk)
        return self._render(request, case, form, status=400)


class CaseReviewView(LoginRequiredMixin, View):
    """Step 3: run the formal pre-check, show each finding with its location, submit."""

    def get(self, request, pk):
        case = _draft_for(request, pk)
        if case.state != S.DRAFT:
            return redirect(case)
        # the check runs as a Celery task (time-limited); the page polls until it is done
        state = services.request_precheck(case)
        if request.GET.get("precheck") == "status":
            return HttpResponseClientRefresh() if state == services.PRECHECK_DONE else HttpResponse(status=204)
        running = state != services.PRECHECK_DONE
        if not running:
            case.refresh_from_db(fields=["precheck_findings"])
        findings = [] if running else (case.precheck_findings or [])
        return render(request, "prescreen/case_step_review.html", _step_context(
            case, "review", findings=findings, blocking=[f for f in findings if f["severity"] == "block"],
            precheck_running=running, filing_errors=services.filing_errors(case),
            documents=_current_documents(case)))

    def post(self, request, pk):
        case = _draft_for(request, pk)
        if case.state != S.DRAFT:
            return redirect(case)
        try:
            case = services.submit_case(case, request.user)
        except ValidationError as exc:
            case.refresh_from_db()
            findings = case.precheck_findings
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            return render(request, "prescreen/case_step_review.html", _step_context(
                case, "review", findings=findings, blocking=[f for f in findings if f["severity"] == "block"],
                submit_errors=errors, filing_errors=services.filing_errors(case),
                documents=_current_documents(case)), status=400)
        messages.success(request, _("已提交预审，中心将尽快受理。"))
        return redirect(case)


# ---- the case page -------------------------------------------------------------------------

class CaseDetailView(ObjectDetailView):
    model = PreExamCase
    template_name = "prescreen/case_detail.html"
    action_forms = (
        ActionForm("correction_form", forms.CorrectionForm, transition="correct", allowed=rules.acts_on_case,
                   kwargs=lambda v, o: {"require_any": False}),
        ActionForm("filing_form", forms.CnipaFilingForm, allowed=rules.takes_cnipa_filing,
                   kwargs=lambda v, o: {"initial": {"filed_on": timezone.localdate()}}),
        ActionForm("outcome_form", forms.CnipaOutcomeForm, allowed=rules.takes_cnipa_outcome),
        ActionForm("withdraw_form", forms.ReasonForm, transition="withdraw"),
        ActionForm("refuse_form", forms.ReasonForm, transition="refuse"),
        ActionForm("assign_form", forms.AssignForm, allowed=rules.takes_assignment,
                   kwargs=lambda v, o: {"case": o}),
        ActionForm("terminate_form", forms.ReasonForm, transition="terminate"),
    )

    def refine_queryset(self, qs):
        return qs.select_related("organization__league", "agency", "technical_field", "examiner", "filed_by",
                                 "similar_case")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        ctx["actions"] = self.available_actions(case)
        ctx["transitions"] = []  # every action has its own form below
        visible_opinions = Opinion.objects.visible_to(user).filter(case=case).select_related("author")
        letters = {a.object_id: a for a in attachments_of(visible_opinions).filter(purpose=services.LETTER_PURPOSE)}
        ctx["opinions"] = [(o, letters.get(o.pk)) for o in visible_opinions.prefetch_related(
            Prefetch("items", queryset=DefectItem.objects.select_related("defect_type")))]
        all_docs = (attachments_of(case, current_only=False).filter(purpose="prescreen.document")
                    .select_related("uploaded_by", "superseded_by").order_by("label", "-version"))
        ctx["documents"] = [(role, forms.DOCUMENT_LABELS[role], [a for a in all_docs if a.label == role])
                            for role in services.DOCUMENT_ROLES]
        ctx["attachments"] = []
        filer = acts_for_case(user, case)
        manager = is_centre_manager(user)
        ctx["is_filer"], ctx["is_manager"] = filer, manager
        ctx["is_examiner_of_case"] = case.examiner_id == user.pk
        ctx["internal"] = user.is_internal
        if filer and case.state == S.DRAFT:
            ctx["continue_url"] = reverse("prescreen:case-edit", args=[case.pk])
        ctx["can_claim"], ctx["claim_hint"] = services.claimable_by(case, user)
        ctx["similar_visible"] = bool(case.similar_case_id) and user.is_internal
        ctx["panels"] = hooks.case_panels(self.request, case)
        return ctx


def _correct(case, user, **cleaned):
    """The correction form's files by role (one file each) and its note."""
    files = {}
    for role in services.DOCUMENT_ROLES:
        value = cleaned.get(role)
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            files[role] = value
    return services.submit_correction(case, user, files, note=cleaned.get("note", ""))


class CaseActionView(ObjectActionView):
    """accept / refuse / withdraw / terminate / assign / start-opinion on a visible case; a form
    with errors is shown again under its field on the case page."""

    model = PreExamCase
    detail_view = CaseDetailView
    success_message = gettext_lazy("已完成。")
    actions = {
        "accept": Step(services.accept_case),
        "opinion": Step(services.start_opinion, success_message=""),
        "refuse": Step(services.refuse_case, forms.ReasonForm, "refuse_form"),
        "withdraw": Step(services.withdraw_case, forms.ReasonForm, "withdraw_form"),
        "terminate": Step(services.terminate_case, forms.ReasonForm, "terminate_form"),
        "assign": Step(lambda case, user, examiner: services.assign_case(case, examiner, user),
                       forms.AssignForm, "assign_form"),
    }

    def get_form_kwargs(self):
        return {"case": self.object} if self.kwargs["action"] == "assign" else {}

    def get_success_url(self, case, result):
        if self.kwargs["action"] == "opinion":
            return result.get_absolute_url()
        return case.get_absolute_url()


class CaseFormView(ObjectActionView):
    """The applicant's forms on the case page (correction, CNIPA filing and outcome)."""

    model = PreExamCase
    detail_view = CaseDetailView
    success_message = gettext_lazy("已提交。")

    def get_success_url(self, case, result):
        return case.get_absolute_url()


class CorrectionView(CaseFormView):
    form_class = forms.CorrectionForm
    form_name = "correction_form"
    service = _correct


class CnipaFilingView(CaseFormView):
    form_class = forms.CnipaFilingForm
    form_name = "filing_form"
    service = services.record_cnipa_filing


class CnipaOutcomeView(CaseFormView):
    form_class = forms.CnipaOutcomeForm
    form_name = "outcome_form"
    service = services.record_cnipa_outcome


# ---- opinions ------------------------------------------------------------------------------

class OpinionDetailView(ObjectDetailView):
    """The opinion page: the editor for its author (items, conclusion), read-only for others."""

    model = Opinion
    template_name = "prescreen/opinion.html"
    context_object_name = "opinion"
    action_forms = (
        ActionForm("item_form", forms.DefectItemForm, allowed=rules.edits_opinion),
        ActionForm("submit_form", forms.SubmitOpinionForm, allowed=rules.edits_opinion,
                   kwargs=lambda v, o: {"initial": {"conclusion": o.conclusion, "reasons": o.reasons}}),
    )

    def refine_queryset(self, qs):
        return qs.select_related("case__organization", "case__technical_field", "author")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        opinion, user = self.object, self.request.user
        ctx.update(
            case=opinion.case, items=opinion.items.select_related("defect_type"),
            can_edit=rules.edits_opinion(user, opinion),
            letter=services.stored_letter(opinion),
            findings=opinion.case.precheck_findings if user.is_internal else [],
            panels=hooks.case_panels(self.request, opinion.case),
            returned=services.latest_return(opinion) if user.is_internal else None,
        )
        return ctx


class OpinionView(RecordPageActionView):
    """GET: the opinion page.  POST ``action``: add or delete a defect item, submit; a form
    with errors is shown again under its fields on the opinion page (400)."""

    model = Opinion
    detail_view = OpinionDetailView
    actions = {
        "add_item": Step(services.add_defect_item, forms.DefectItemForm, "item_form",
                         success_message=gettext_lazy("已添加缺陷条目。")),
        "delete_item": Step(services.delete_defect_item, success_message=gettext_lazy("已删除缺陷条目。")),
        "submit": Step(services.submit_opinion, forms.SubmitOpinionForm, "submit_form"),
    }

    def choose_step(self):
        super().choose_step()
        if self.action_name() == "delete_item":
            item = self.request.POST.get("item")
            self.step = Step(lambda opinion, user: services.delete_defect_item(opinion, user, item),
                             success_message=self.step.success_message)

    def get_success_message(self, result):
        if self.action_name() == "submit":
            return (_("意见已签发，已通知申请人。") if result.state == Opinion.State.ISSUED
                    else _("意见已提交，等待互检通过后签发。"))
        return super().get_success_message(result)

    def get_success_url(self, opinion, result):
        return opinion.case.get_absolute_url() if self.action_name() == "submit" else opinion.get_absolute_url()


class OpinionLetterView(GeneratedFileView):
    """The issued opinion's letter, or the page of the job making it (the core's generated-file view)."""

    kind = services.LETTER_JOB
    title = gettext_lazy("预审意见通知书")

    def get_target(self, request, pk):
        opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)
        if opinion.state != Opinion.State.ISSUED:
            raise Http404
        return opinion, opinion

    def stored(self, opinion):
        letter = services.stored_letter(opinion)
        return letter.pk if letter else None
