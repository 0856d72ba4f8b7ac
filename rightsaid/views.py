"""Pages of rights assistance: dashboard, lists, details, intake and actions."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from ipcenter.deadlines.models import Deadline
from ipcenter.files.services import store_upload
from ipcenter.forms import apply_errors
from ipcenter.generic import Column, ObjectDetailView, ObjectListView, PredicateRequiredMixin, TransitionView

from . import forms, services
from .filters import (AssistanceCaseFilterSet, ConsultationFilterSet, ExhibitionComplaintFilterSet,
                      ExhibitionFilterSet)
from .models import AssistanceCase, Consultation, Exhibition, ExhibitionComplaint, Referral, is_case_worker


def _store_files(files, purpose, user, owner, label):
    for f in files:
        store_upload(f, purpose, user, owner=owner, label=label)


class WorkerRequiredMixin(PredicateRequiredMixin):
    required = is_case_worker


class IndexView(LoginRequiredMixin, TemplateView):
    template_name = "rightsaid/index.html"

    def get(self, request, *args, **kwargs):
        if not is_case_worker(request.user):
            return redirect("rightsaid:my-requests")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        cases = AssistanceCase.objects.visible_to(user)
        states = dict(AssistanceCase.State.choices)
        types = dict(AssistanceCase.CaseType.choices)
        by_state = {r["state"]: r["n"] for r in cases.values("state").annotate(n=Count("pk"))}
        ctx["by_state"] = [(k, states[k], by_state.get(k, 0)) for k in states]
        ctx["by_type"] = [(types[r["case_type"]], r["case_type"], r["n"])
                          for r in cases.values("case_type").annotate(n=Count("pk")).order_by("-n")]
        ctx["consultation_count"] = Consultation.objects.visible_to(user).count()
        ctx["case_count"] = cases.count()
        ctx["exhibition_count"] = Exhibition.objects.visible_to(user).count()
        ctx["complaint_count"] = ExhibitionComplaint.objects.visible_to(user).count()
        ctx["overdue"] = self._overdue(user)
        ctx["recent"] = Consultation.objects.visible_to(user).select_related("station")[:8]
        ctx["form"] = forms.ConsultationForm(user=user)
        return ctx

    def _overdue(self, user):
        """Overdue clocks of the records this user may see (subqueries, not id lists in Python)."""
        from ipcenter.deadlines.services import deadlines_of

        clocks = (deadlines_of(AssistanceCase.objects.visible_to(user))
                  | deadlines_of(Referral.objects.visible_to(user))
                  | deadlines_of(ExhibitionComplaint.objects.visible_to(user)))
        return list(clocks.filter(state=Deadline.State.OVERDUE).order_by("due_at")[:20])


# ---- consultations -------------------------------------------------------------

class ConsultationListView(WorkerRequiredMixin, ObjectListView):
    model = Consultation
    filterset_class = ConsultationFilterSet
    default_sort = "-created_at"
    title = gettext_lazy("咨询记录")
    create_label = gettext_lazy("登记咨询")
    columns = [
        Column("created_at", gettext_lazy("登记时间"), sort="created_at", link=True),
        Column("topic", gettext_lazy("主题"), sort="topic", link=True),
        Column("channel", gettext_lazy("渠道"), sort="channel"),
        Column("ip_type", gettext_lazy("知识产权类型")),
        Column("requester_name", gettext_lazy("咨询人")),
        Column("station.name", gettext_lazy("工作站"), sort="station__path"),
        Column("duration_minutes", gettext_lazy("时长（分钟）")),
        Column("converted_case.number", gettext_lazy("转案")),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("station", "converted_case")

    def get_create_url(self):
        return reverse("rightsaid:consultation-create")


class ConsultationCreateView(WorkerRequiredMixin, View):
    def get(self, request):
        return render(request, "rightsaid/form.html", {"form": forms.ConsultationForm(user=request.user),
                                                        "title": _("登记咨询")})

    def post(self, request):
        form = forms.ConsultationForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                c = services.log_consultation(request.user, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已登记咨询。"))
                return redirect(c)
        return render(request, "rightsaid/form.html", {"form": form, "title": _("登记咨询")}, status=400)


class ConsultationDetailView(WorkerRequiredMixin, ObjectDetailView):
    model = Consultation
    template_name = "rightsaid/consultation_detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("station", "handled_by", "converted_case", "requester_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["convert_form"] = forms.ConvertForm(initial={"title": self.object.topic})
        ctx["transfer_form"] = forms.TransferForm()
        return ctx


# ---- cases ---------------------------------------------------------------------

CASE_COLUMNS = [
    Column("number", gettext_lazy("案件编号"), sort="number", link=True),
    Column("title", gettext_lazy("案由"), link=True),
    Column("kind", gettext_lazy("类别"), sort="kind"),
    Column("case_type", gettext_lazy("类型"), sort="case_type"),
    Column("channel", gettext_lazy("渠道")),
    Column("requester_name", gettext_lazy("请求人")),
    Column("station.name", gettext_lazy("工作站"), sort="station__path"),
    Column("state", gettext_lazy("状态"), sort="state", badge=True),
    Column("created_at", gettext_lazy("登记时间"), sort="created_at", date_only=True),
]


class CaseListView(WorkerRequiredMixin, ObjectListView):
    model = AssistanceCase
    filterset_class = AssistanceCaseFilterSet
    default_sort = "-created_at"
    title = gettext_lazy("维权援助案件")
    create_label = gettext_lazy("登记案件")
    columns = CASE_COLUMNS

    def refine_queryset(self, qs):
        return qs.select_related("station")

    def get_create_url(self):
        return reverse("rightsaid:case-create")


class CaseCreateView(WorkerRequiredMixin, View):
    form_class = forms.CaseIntakeForm
    title = gettext_lazy("登记维权援助案件")

    def get(self, request):
        return render(request, "rightsaid/form.html", {"form": self.form_class(user=request.user),
                                                        "title": self.title})

    def post(self, request):
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "evidence_files"}
            station = data.pop("station")
            try:
                from django.db import transaction
                with transaction.atomic():
                    case = services.open_case(request.user, station=station, **data)
                    _store_files(form.cleaned_data["evidence_files"], "rightsaid.evidence", request.user, case,
                                 _("证据材料"))
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied:
                raise
            else:
                messages.success(request, _("已提交，案件编号 %(n)s。") % {"n": case.number})
                return redirect(case)
        return render(request, "rightsaid/form.html", {"form": form, "title": self.title}, status=400)


class OnlineRequestView(CaseCreateView):
    """Company users ask for assistance online, with evidence files."""

    form_class = forms.OnlineRequestForm
    title = gettext_lazy("在线申请维权援助")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.organization_id is None:
            raise PermissionDenied
        return View.dispatch(self, request, *args, **kwargs)


class MyRequestsView(ObjectListView):
    model = AssistanceCase
    title = gettext_lazy("我的维权援助申请")
    template_name = "rightsaid/my_requests.html"
    default_sort = "-created_at"
    columns = CASE_COLUMNS

    def refine_queryset(self, qs):
        user = self.request.user
        if user.organization_id:
            qs = qs.filter(requester_org_id=user.organization_id)
        else:
            qs = qs.filter(requester_user=user)
        return qs.select_related("station")


class CaseDetailView(ObjectDetailView):
    model = AssistanceCase
    template_name = "rightsaid/case_detail.html"
    transition_url_name = "rightsaid:case-transition"

    def refine_queryset(self, qs):
        return qs.select_related("station", "handled_by", "requester_org", "overseas_station").prefetch_related(
            "evidence_items", Prefetch("referrals", queryset=Referral.objects.select_related("referred_by")))  # scoped: children of listed cases

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        worker = is_case_worker(self.request.user)
        ctx["worker"] = worker
        S = AssistanceCase.State
        if worker:
            if obj.state in (S.ACCEPTED, S.HANDLING):
                ctx["referral_form"] = forms.ReferralForm()
            if obj.state in (S.ACCEPTED, S.HANDLING, S.REFERRED):
                ctx["close_form"] = forms.CloseForm()
            if obj.state not in (S.CLOSED, S.DECLINED):
                ctx["evidence_form"] = forms.EvidenceForm()
                ctx["opinion_form"] = forms.ExpertOpinionForm()
                ctx["transfer_form"] = forms.TransferForm()
            ctx["feedback_form"] = forms.FeedbackForm()
        elif obj.state not in (S.CLOSED, S.DECLINED):
            ctx["evidence_form"] = forms.EvidenceForm()
        return ctx


class CaseTransitionView(TransitionView):
    model = AssistanceCase

    def perform(self, obj, name, comment):
        if name == "accept":
            return services.accept_case(obj, self.request.user, comment)
        if name == "decline":
            return services.decline_case(obj, self.request.user, comment)
        return super().perform(obj, name, comment)


class ObjectActionView(LoginRequiredMixin, View):
    """POST a small form about one visible record; re-render the detail on errors."""

    model = None
    form_class = None

    def handle(self, obj, data):  # pragma: no cover - subclasses
        raise NotImplementedError

    def get_object(self, pk):
        return get_object_or_404(self.model.objects.visible_to(self.request.user), pk=pk)

    def post(self, request, pk):
        obj = self.get_object(pk)
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.handle(obj, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return HttpResponseRedirect(self.success_url(obj))
        errors = "；".join(f"{form.fields[f].label if f in form.fields else ''}：{' '.join(e)}"
                          for f, e in form.errors.items())
        messages.error(request, errors)
        return HttpResponseRedirect(self.success_url(obj))

    def success_url(self, obj):
        return obj.get_absolute_url()


class ConvertView(ObjectActionView):
    model = Consultation
    form_class = forms.ConvertForm

    def handle(self, obj, data):
        self.case = services.convert_consultation(obj, self.request.user, **data)

    def success_url(self, obj):
        return self.case.get_absolute_url() if getattr(self, "case", None) else obj.get_absolute_url()


class ConsultationTransferView(ObjectActionView):
    model = Consultation
    form_class = forms.TransferForm

    def handle(self, obj, data):
        services.transfer_case(obj, self.request.user, data["station"], data["reason"])

    def success_url(self, obj):
        return reverse("rightsaid:index") if not Consultation.objects.visible_to(
            self.request.user).filter(pk=obj.pk).exists() else obj.get_absolute_url()


class CaseTransferView(ConsultationTransferView):
    model = AssistanceCase


class ReferView(ObjectActionView):
    model = AssistanceCase
    form_class = forms.ReferralForm

    def handle(self, obj, data):
        services.refer_case(obj, self.request.user, **data)


class FeedbackView(ObjectActionView):
    model = Referral
    form_class = forms.FeedbackForm

    def get_object(self, pk):
        cases = AssistanceCase.objects.visible_to(self.request.user)
        return get_object_or_404(Referral.objects.filter(case__in=cases).select_related("case"), pk=pk)  # scoped: through cases

    def handle(self, obj, data):
        services.record_feedback(obj, self.request.user, data["feedback"])

    def success_url(self, obj):
        return obj.case.get_absolute_url()


class CloseView(ObjectActionView):
    model = AssistanceCase
    form_class = forms.CloseForm

    def handle(self, obj, data):
        services.close_case(obj, self.request.user, **data)


class EvidenceView(ObjectActionView):
    model = AssistanceCase
    form_class = forms.EvidenceForm

    def handle(self, obj, data):
        from django.db import transaction
        with transaction.atomic():
            services.add_evidence(obj, self.request.user, data["description"], data["source"])
            if data.get("file"):
                store_upload(data["file"], "rightsaid.evidence", self.request.user, owner=obj,
                             label=data["description"])


class ExpertOpinionView(ObjectActionView):
    model = AssistanceCase
    form_class = forms.ExpertOpinionForm

    def handle(self, obj, data):
        services.set_expert_opinion(obj, self.request.user, data["summary"], data.get("file"))


# ---- exhibitions ---------------------------------------------------------------

class ExhibitionListView(WorkerRequiredMixin, ObjectListView):
    model = Exhibition
    filterset_class = ExhibitionFilterSet
    default_sort = "-start_date"
    title = gettext_lazy("展会知识产权服务")
    create_label = gettext_lazy("新增展会")
    columns = [
        Column("name", gettext_lazy("展会名称"), sort="name", link=True),
        Column("venue", gettext_lazy("地点")),
        Column("start_date", gettext_lazy("开始日期"), sort="start_date"),
        Column("end_date", gettext_lazy("结束日期")),
        Column("station.name", gettext_lazy("工作站"), sort="station__path"),
        Column("n_complaints", gettext_lazy("投诉数")),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("station").annotate(n_complaints=Count("complaints"))

    def get_create_url(self):
        return reverse("rightsaid:exhibition-create")


class ExhibitionCreateView(WorkerRequiredMixin, View):
    def get(self, request):
        return render(request, "rightsaid/form.html", {"form": forms.ExhibitionForm(user=request.user),
                                                        "title": _("新增展会")})

    def post(self, request):
        form = forms.ExhibitionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                ex = services.create_exhibition(request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(ex)
        return render(request, "rightsaid/form.html", {"form": form, "title": _("新增展会")}, status=400)


class ExhibitionDetailView(WorkerRequiredMixin, ObjectDetailView):
    model = Exhibition
    template_name = "rightsaid/exhibition_detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("station")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["complaints"] = self.object.complaints.all()
        ctx["complaint_form"] = kwargs.get("complaint_form") or forms.ExhibitionComplaintForm()
        return ctx


class ComplaintCreateView(WorkerRequiredMixin, View):
    def post(self, request, pk):
        ex = get_object_or_404(Exhibition.objects.visible_to(request.user), pk=pk)
        form = forms.ExhibitionComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "evidence_files"}
            try:
                from django.db import transaction
                with transaction.atomic():
                    c = services.file_exhibition_complaint(request.user, exhibition=ex, **data)
                    _store_files(form.cleaned_data["evidence_files"], "rightsaid.evidence", request.user, c,
                                 _("证据材料"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if c.repeat_infringer:
                    messages.warning(request, _("被投诉人曾在以往展会被投诉，已标记为重复侵权。"))
                messages.success(request, _("已受理投诉，被投诉人须在 24 小时内答辩。"))
                return redirect(c)
        view = ExhibitionDetailView()
        view.setup(request, pk=pk)
        view.object = ex
        ctx = view.get_context_data(object=ex, complaint_form=form)
        return render(request, "rightsaid/exhibition_detail.html", ctx, status=400)


class ComplaintListView(WorkerRequiredMixin, ObjectListView):
    model = ExhibitionComplaint
    filterset_class = ExhibitionComplaintFilterSet
    default_sort = "-created_at"
    title = gettext_lazy("展会投诉")
    columns = [
        Column("respondent", gettext_lazy("被投诉人"), sort="respondent", link=True),
        Column("repeat_infringer", gettext_lazy("重复侵权"),
               value=lambda o: _("是") if o.repeat_infringer else ""),
        Column("booth", gettext_lazy("展位号")),
        Column("complainant", gettext_lazy("投诉人")),
        Column("exhibition.name", gettext_lazy("展会")),
        Column("ip_type", gettext_lazy("知识产权类型")),
        Column("state", gettext_lazy("状态"), sort="state", badge=True),
        Column("outcome", gettext_lazy("处理结果")),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("exhibition", "exhibition__station")


class ComplaintDetailView(WorkerRequiredMixin, ObjectDetailView):
    model = ExhibitionComplaint
    template_name = "rightsaid/complaint_detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("exhibition", "exhibition__station")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["answer_form"] = forms.AnswerForm()
        ctx["decide_form"] = forms.DecideForm()
        ctx["earlier"] = ExhibitionComplaint.objects.visible_to(self.request.user).filter(
            respondent_key=self.object.respondent_key).exclude(pk=self.object.pk).select_related("exhibition")
        return ctx


class AnswerView(ObjectActionView):
    model = ExhibitionComplaint
    form_class = forms.AnswerForm

    def handle(self, obj, data):
        services.record_answer(obj, self.request.user, data["answer"])


class DecideView(ObjectActionView):
    model = ExhibitionComplaint
    form_class = forms.DecideForm

    def handle(self, obj, data):
        services.decide_complaint(obj, self.request.user, data["outcome"], data["comment"])
