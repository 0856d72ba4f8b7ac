"""Quality pages: the reviewer's work list, the check form, appeals and fixes, samples and
statistics.  Records come from ``visible_to`` (others' checks are 404)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from ipcenter.accounts import roles
from ipcenter.generic import (ActionForm, Column, ObjectCreateView, ObjectDetailView,
                              ObjectListView, PredicateRequiredMixin, RecordPageActionView, Step)
from prescreen.models import Opinion, PreExamCase

from . import forms, rules, services
from .filters import QualityCheckFilterSet, FeedbackFilterSet
from .models import QualityCheck, FeedbackItem, FixTask, Sample
from .stats import quality_stats


def _quality_user(user):
    return user.is_centre_wide or user.has_role(roles.EXAMINER, roles.QC_REVIEWER)


class QualityUserMixin(PredicateRequiredMixin):
    required = _quality_user


def _is_qc(user):
    return user.is_centre_wide or user.has_role(roles.QC_REVIEWER)


class IndexView(QualityUserMixin, TemplateView):
    template_name = "quality/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        visible = services.with_due(QualityCheck.objects.visible_to(user).select_related("case", "examiner", "reviewer"),
                                    services.CHECK_KIND)
        ctx["to_do"] = visible.filter(reviewer=user, state=QualityCheck.State.OPEN).order_by("created_at")
        ctx["pool"] = visible.filter(reviewer__isnull=True, state=QualityCheck.State.OPEN).exclude(
            examiner=user).order_by("created_at")[:30]
        ctx["fix_tasks"] = services.with_due(FixTask.objects.visible_to(user).filter(
            examiner=user, state=FixTask.State.OPEN).select_related("case", "check_record"), services.FIX_KIND)
        ctx["received"] = visible.filter(examiner=user, state=QualityCheck.State.DONE).order_by("-completed_at")[:10]
        ctx["is_qc"] = _is_qc(user)
        ctx["now"] = timezone.now()
        if not ctx["is_qc"]:
            ctx["my_stats"] = quality_stats(user)
        if ctx["is_qc"]:
            ctx.setdefault("sample_form", forms.SampleForm())
            ctx["samples"] = Sample.objects.visible_to(user).select_related("drawn_by")[:10]
        return ctx


class QualityCheckListView(QualityUserMixin, ObjectListView):
    model = QualityCheck
    filterset_class = QualityCheckFilterSet
    default_sort = "-created_at"
    title = gettext_lazy("质检记录")
    template_name = "quality/list.html"
    columns = [
        Column("level", gettext_lazy("层级"), sort="level", link=True),
        Column("case.number", gettext_lazy("预审编号"), link=True),
        Column("case.title", gettext_lazy("发明名称")),
        Column("examiner", gettext_lazy("被检预审员"), value=lambda c: str(c.examiner)),
        Column("reviewer", gettext_lazy("检查人"),
               value=lambda c: str(c.reviewer) if c.reviewer_id else ""),
        Column("state", gettext_lazy("状态"), sort="state", badge=True),
        Column("outcome", gettext_lazy("结论"), sort="outcome"),
        Column("score", gettext_lazy("评分"), sort="score"),
        Column("completed_at", gettext_lazy("完成时间"), sort="completed_at"),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("case", "examiner", "reviewer")


def _verdict(item):
    return {True: _("一致"), False: _("不一致"), None: _("不可比")}[item.consistent]


class FeedbackListView(QualityUserMixin, ObjectListView):
    """实审反馈 on the examiner's record: their own items; QC reviewers and managers see all."""

    model = FeedbackItem
    filterset_class = FeedbackFilterSet
    default_sort = "-created_at"
    title = gettext_lazy("实审反馈")
    template_name = "quality/list.html"
    columns = [
        Column("case.number", gettext_lazy("预审编号"), link=True),
        Column("case.title", gettext_lazy("发明名称")),
        Column("examiner", gettext_lazy("预审员"), value=lambda f: str(f.examiner)),
        Column("conclusion", gettext_lazy("预审结论"), sort="conclusion",
               value=lambda f: str(dict(Opinion.Conclusion.choices).get(f.conclusion, f.conclusion))),
        Column("cnipa_outcome", gettext_lazy("实审结果"), sort="cnipa_outcome",
               value=lambda f: str(dict(PreExamCase.CnipaOutcome.choices).get(f.cnipa_outcome, f.cnipa_outcome))),
        Column("consistent", gettext_lazy("结论一致"), sort="consistent", value=_verdict),
        Column("note", gettext_lazy("分析")),
        Column("created_at", gettext_lazy("反馈时间"), sort="created_at"),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("case", "examiner")


class QualityCheckPageView(QualityUserMixin, ObjectDetailView):
    """A check's page: the opinion under check, the errors, the verdict; the reviewer's,
    the examiner's (appeal, fix) forms as the workflow and ``quality.rules`` offer them."""

    model = QualityCheck
    template_name = "quality/check_detail.html"
    context_object_name = "check"
    action_forms = (
        ActionForm("error_form", forms.ErrorForm, allowed=rules.reviews_check, kwargs=lambda v, o: {"check": o}),
        ActionForm("complete_form", forms.CompleteForm, transition="complete", allowed=rules.reviews_check,
                   kwargs=lambda v, o: {"check": o}),
        ActionForm("appeal_form", forms.AppealForm, allowed=rules.may_appeal),
        ActionForm("fix_form", forms.FixForm, allowed=rules.fixes_check),
    )

    def refine_queryset(self, qs):
        return qs.select_related("case__technical_field", "opinion__author", "examiner", "reviewer", "sample",
                                 "appeal_of")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        check, user = self.object, self.request.user
        ctx.update(
            case=check.case, opinion=check.opinion, items=check.opinion.items.select_related("defect_type"),
            errors=check.errors.select_related("error_type", "defect_item"),
            editable=rules.reviews_check(user, check), can_take=rules.may_take_check(user, check),
            appeal_check=QualityCheck.objects.filter(appeal_of=check).first(),  # scoped: of a check read with visible_to
            fix_task=services.with_due(FixTask.objects.filter(check_record=check), services.FIX_KIND).first(),  # scoped: ditto
            now=timezone.now(),
            history=QualityCheck.objects.visible_to(user).filter(opinion__case=check.case).exclude(pk=check.pk)
            .select_related("reviewer").order_by("created_at"),
        )
        return ctx


def _resubmit_fix(check, user, *, fix_note):
    task = FixTask.objects.filter(check_record=check).first()  # scoped: of a check read with visible_to
    if task is None:
        raise ValidationError(_("该质检没有整改任务。"))
    return services.resubmit_fix(task, user, fix_note)


def _remove_error(error_id):
    def remove(check, user):
        if not (error_id or "").isdigit():
            raise ValidationError(_("请选择要删除的差错。"))
        return services.remove_error(check, user, int(error_id))
    return remove


class QualityCheckDetailView(QualityUserMixin, RecordPageActionView):
    """GET: the check's page.  POST ``action``: take, add/remove an error, complete, appeal,
    report the fix; a form with errors is shown again under its fields (400)."""

    model = QualityCheck
    detail_view = QualityCheckPageView
    refusals_as_messages = True
    actions = {
        "take": Step(services.take_check, success_message=gettext_lazy("已领取。")),
        "add_error": Step(services.add_error, forms.ErrorForm, "error_form",
                          success_message=gettext_lazy("已记录差错。")),
        "remove_error": Step(None, success_message=""),
        "complete": Step(services.complete_check, forms.CompleteForm, "complete_form"),
        "appeal": Step(services.appeal, forms.AppealForm, "appeal_form",
                       success_message=gettext_lazy("申诉已提交，将由上一级质检复核。")),
        "fix": Step(_resubmit_fix, forms.FixForm, "fix_form", success_message=gettext_lazy("整改已提交。")),
    }

    def choose_step(self):
        super().choose_step()
        if self.action_name() == "remove_error":
            self.step = Step(_remove_error(self.request.POST.get("error", "")), success_message="")

    def get_form_kwargs(self):
        return {"check": self.object} if self.action_name() in ("add_error", "complete") else {}

    def get_success_message(self, result):
        if self.action_name() == "complete":
            return _("质检已完成：%(o)s。") % {"o": result.get_outcome_display()}
        return super().get_success_message(result)

    def get_success_url(self, check, result):
        return reverse("quality:check-detail", args=[check.pk])


class SampleCreateView(QualityUserMixin, ObjectCreateView):
    """A QC reviewer draws a sample from the quality start page; errors re-render that page."""

    form_class = forms.SampleForm
    page_view = IndexView
    form_name = "sample_form"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _is_qc(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    http_method_names = ["post"]

    def create(self, form):
        d = form.cleaned_data
        return services.draw_sample(d["level"], self.request.user, period_start=d["period_start"],
                                    period_end=d["period_end"], share=d["share"], seed=d["seed"],
                                    reviewer=d["reviewer"])

    def get_success_message(self, sample):
        return _("已抽取 %(k)s 件（总体 %(n)s 件）。") % {"k": len(sample.selected), "n": len(sample.population)}


class SampleDetailView(QualityUserMixin, View):
    def get(self, request, pk):
        sample = get_object_or_404(Sample.objects.visible_to(request.user).select_related("drawn_by"), pk=pk)
        checks = services.with_due(sample.checks.select_related("case", "examiner", "reviewer"),
                                   services.CHECK_KIND).order_by("pk")
        weights = {pk_: w for pk_, w in sample.population}
        return render(request, "quality/sample_detail.html", {
            "sample": sample, "checks": [(c, weights.get(c.opinion_id)) for c in checks],
            "reproduced": services.redraw(sample) == sample.selected, "now": timezone.now(),
        })


class StatsView(QualityUserMixin, TemplateView):
    template_name = "quality/stats.html"

    def get_context_data(self, **kwargs):
        from .reports import charts_for

        ctx = super().get_context_data(**kwargs)
        form = forms.StatsFilterForm(self.request.GET or None)
        date_from = date_to = None
        if form.is_bound and form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        data = quality_stats(self.request.user, date_from, date_to)
        ctx.update(form=form, data=data, date_from=date_from, date_to=date_to, **charts_for(data))
        return ctx

