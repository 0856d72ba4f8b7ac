"""Pages of rights assistance: dashboard, lists, details, intake and actions."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from ipcenter.deadlines.models import Deadline
from ipcenter.generic import (ActionForm, Column, ObjectActionView, ObjectCreateView, ObjectDetailView,
                              ObjectListView, PredicateRequiredMixin, TransitionView)

from . import forms, rules, services
from .filters import (AssistanceCaseFilterSet, ConsultationFilterSet, ExhibitionComplaintFilterSet,
                      ExhibitionFilterSet)
from .models import AssistanceCase, Consultation, Exhibition, ExhibitionComplaint, Referral, is_case_worker


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


class StaffCreateView(WorkerRequiredMixin, ObjectCreateView):
    """A station-staff form whose choices depend on the user (their stations)."""

    template_name = "rightsaid/form.html"

    def get_form_kwargs(self):
        return {"user": self.request.user}


class ConsultationCreateView(StaffCreateView):
    form_class = forms.ConsultationForm
    service = services.log_consultation
    title = gettext_lazy("登记咨询")
    success_message = gettext_lazy("已登记咨询。")


class ConsultationDetailView(WorkerRequiredMixin, ObjectDetailView):
    model = Consultation
    template_name = "rightsaid/consultation_detail.html"
    action_forms = (
        ActionForm("convert_form", forms.ConvertForm, allowed=rules.consultation_not_converted,
                   kwargs=lambda view, obj: {"initial": {"title": obj.topic}}),
        ActionForm("transfer_form", forms.TransferForm),
    )

    def refine_queryset(self, qs):
        return qs.select_related("station", "handled_by", "converted_case", "requester_org")


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


class CaseCreateView(StaffCreateView):
    """Staff intake of a case with its evidence files (the service stores them)."""

    form_class = forms.CaseIntakeForm
    service = services.open_case
    title = gettext_lazy("登记维权援助案件")
    success_message = gettext_lazy("已提交，案件编号 %(number)s。")


class OnlineRequestView(ObjectCreateView):
    """Company users ask for assistance online, with evidence files."""

    form_class = forms.OnlineRequestForm
    service = services.open_case
    template_name = "rightsaid/form.html"
    title = gettext_lazy("在线申请维权援助")
    success_message = gettext_lazy("已提交，案件编号 %(number)s。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.organization_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {"user": self.request.user}


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
    action_forms = (
        ActionForm("referral_form", forms.ReferralForm, transition="refer"),
        ActionForm("close_form", forms.CloseForm, transition="close"),
        ActionForm("evidence_form", forms.EvidenceForm, allowed=rules.case_is_open),
        ActionForm("opinion_form", forms.ExpertOpinionForm, allowed=rules.works_on_open_case),
        ActionForm("transfer_form", forms.TransferForm, allowed=rules.works_on_open_case),
    )

    def refine_queryset(self, qs):
        return qs.select_related("station", "handled_by", "requester_org", "overseas_station").prefetch_related(
            "evidence_items", Prefetch("referrals", queryset=Referral.objects.select_related("referred_by")))  # scoped: children of listed cases

    def get_context_data(self, forms=None, **kwargs):
        ctx = super().get_context_data(forms=forms, **kwargs)
        ctx["worker"] = worker = is_case_worker(self.request.user)
        # each pending referral has its feedback form; a failed one comes back bound under its referral
        failed = (forms or {}).get("feedback_form")
        ctx["referral_rows"] = [
            (r, None if r.feedback_at or not worker else
             failed if failed is not None and getattr(failed, "referral_pk", None) == r.pk else
             _feedback_form(r))
            for r in self.object.referrals.all()]
        return ctx


def _feedback_form(referral):
    return forms.FeedbackForm(auto_id=f"referral{referral.pk}_%s")


class CaseTransitionView(TransitionView):
    model = AssistanceCase

    def perform(self, obj, name, comment):
        if name == "accept":
            return services.accept_case(obj, self.request.user, comment)
        if name == "decline":
            return services.decline_case(obj, self.request.user, comment)
        return super().perform(obj, name, comment)


class ConsultationActionView(WorkerRequiredMixin, ObjectActionView):
    model = Consultation
    detail_view = ConsultationDetailView


class ConvertView(ConsultationActionView):
    form_class = forms.ConvertForm
    form_name = "convert_form"
    service = services.convert_consultation
    success_message = gettext_lazy("已转为援助案件。")

    def get_success_url(self, obj, case):
        return case.get_absolute_url()


class TransferMixin:
    form_class = forms.TransferForm
    form_name = "transfer_form"
    service = services.transfer_case
    success_message = gettext_lazy("已移送。")

    def get_success_url(self, obj, result):
        """The record, or the area's start page when the move took it out of the user's sight."""
        still_visible = self.model.objects.visible_to(self.request.user).filter(pk=obj.pk).exists()
        return obj.get_absolute_url() if still_visible else reverse("rightsaid:index")


class ConsultationTransferView(TransferMixin, ConsultationActionView):
    pass


class CaseActionView(ObjectActionView):
    model = AssistanceCase
    detail_view = CaseDetailView


class CaseTransferView(TransferMixin, CaseActionView):
    pass


class ReferView(CaseActionView):
    form_class = forms.ReferralForm
    form_name = "referral_form"
    service = services.refer_case
    success_message = gettext_lazy("已移交。")


class CloseView(CaseActionView):
    form_class = forms.CloseForm
    form_name = "close_form"
    service = services.close_case
    success_message = gettext_lazy("已结案。")


class EvidenceView(CaseActionView):
    """Evidence with its file (the service stores both together)."""

    form_class = forms.EvidenceForm
    form_name = "evidence_form"
    service = services.add_evidence
    success_message = gettext_lazy("已添加证据。")


class ExpertOpinionView(CaseActionView):
    form_class = forms.ExpertOpinionForm
    form_name = "opinion_form"
    success_message = gettext_lazy("已保存专家意见。")

    def perform(self, obj, form):
        return services.set_expert_opinion(obj, self.request.user, form.cleaned_data["summary"],
                                           form.cleaned_data.get("file"))


class FeedbackView(ObjectActionView):
    """Feedback on one referral, from the case page (a failed one is shown under its referral)."""

    model = Referral
    detail_view = CaseDetailView
    form_class = forms.FeedbackForm
    form_name = "feedback_form"
    service = services.record_feedback
    success_message = gettext_lazy("已记录反馈。")

    def refine_queryset(self, qs):
        return qs.select_related("case")

    def get_form_kwargs(self):
        return {"auto_id": f"referral{self.kwargs['pk']}_%s"}

    def bound_form(self):
        form = super().bound_form()
        form.referral_pk = self.kwargs["pk"]
        return form

    def detail_object_pk(self):
        return self.object.case_id

    def get_success_url(self, obj, result):
        return obj.case.get_absolute_url()


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


class ExhibitionCreateView(StaffCreateView):
    form_class = forms.ExhibitionForm
    service = services.create_exhibition
    title = gettext_lazy("新增展会")
    success_message = gettext_lazy("已新增展会。")


class ExhibitionDetailView(WorkerRequiredMixin, ObjectDetailView):
    model = Exhibition
    template_name = "rightsaid/exhibition_detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("station")

    action_forms = (ActionForm("complaint_form", forms.ExhibitionComplaintForm),)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["complaints"] = self.object.complaints.all()
        return ctx


class ComplaintCreateView(WorkerRequiredMixin, ObjectActionView):
    """A complaint filed on the exhibition's page, with its evidence files (the service stores
    them); errors re-render the exhibition page with the form."""

    model = Exhibition
    detail_view = ExhibitionDetailView
    form_class = forms.ExhibitionComplaintForm
    form_name = "complaint_form"
    success_message = gettext_lazy("已受理投诉，被投诉人须在 24 小时内答辩。")

    def perform(self, exhibition, form):
        return services.file_exhibition_complaint(self.request.user, exhibition=exhibition,
                                                  **form.cleaned_data)

    def get_success_message(self, complaint):
        if complaint.repeat_infringer:
            messages.warning(self.request, _("被投诉人曾在以往展会被投诉，已标记为重复侵权。"))
        return super().get_success_message(complaint)

    def get_success_url(self, exhibition, complaint):
        return complaint.get_absolute_url()


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

    action_forms = (
        ActionForm("answer_form", forms.AnswerForm, transition="record_answer"),
        ActionForm("decide_form", forms.DecideForm, transition="decide"),
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["earlier"] = ExhibitionComplaint.objects.visible_to(self.request.user).filter(
            respondent_key=self.object.respondent_key).exclude(pk=self.object.pk).select_related("exhibition")
        return ctx


class ComplaintActionView(WorkerRequiredMixin, ObjectActionView):
    model = ExhibitionComplaint
    detail_view = ComplaintDetailView


class AnswerView(ComplaintActionView):
    form_class = forms.AnswerForm
    form_name = "answer_form"
    service = services.record_answer
    success_message = gettext_lazy("已记录答辩。")


class DecideView(ComplaintActionView):
    form_class = forms.DecideForm
    form_name = "decide_form"
    service = services.decide_complaint
    success_message = gettext_lazy("已作出处理。")
