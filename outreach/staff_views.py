"""Staff pages for the public site's articles, publications of the media matrix and practice bases."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ipcenter.forms import apply_errors
from ipcenter.generic import Column, ObjectListView, PredicateRequiredMixin
from ipcenter.plugins import select
from ipcenter.workflow.engine import timeline_of

from . import forms, services
from .filters import PublicationFilterSet
from .views import OutreachTabsMixin
from .models import Article, BaseActivity, PracticeBase, Publication, is_outreach_staff


class OutreachStaffMixin(PredicateRequiredMixin):
    required = staticmethod(is_outreach_staff)


class ArticleListView(OutreachStaffMixin, OutreachTabsMixin, ObjectListView):
    template_name = "outreach/list.html"
    model = Article
    title = gettext_lazy("文章")
    default_sort = "-published_at"
    create_label = gettext_lazy("写文章")
    columns = [Column("title", gettext_lazy("标题"), sort="title", link=True),
               Column("kind", gettext_lazy("栏目"), sort="kind"),
               Column("published", gettext_lazy("已发布"), value=lambda o: _("是") if o.published else _("否")),
               Column("published_at", gettext_lazy("发布时间"), sort="published_at")]

    def get_create_url(self):
        return reverse("outreach:article-create")


class _EditView(OutreachStaffMixin, View):
    model = form_class = None
    titles = ("", "")

    def _render(self, request, form, obj, status=200):
        return render(request, "outreach/form.html", {"form": form, "object": obj,
                                                      "title": self.titles[1] if obj else self.titles[0]},
                      status=status)

    def _get(self, request, pk):
        return get_object_or_404(self.model.objects.visible_to(request.user), pk=pk) if pk else None

    def get(self, request, pk=None):
        obj = self._get(request, pk)
        return self._render(request, self.form_class(instance=obj), obj)

    def post(self, request, pk=None):
        obj = self._get(request, pk)
        form = self.form_class(request.POST, request.FILES, instance=obj)
        if form.is_valid():
            try:
                saved = self.save(form, request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(saved)
        return self._render(request, form, obj, status=400)


class ArticleEditView(_EditView):
    model, form_class = Article, forms.ArticleForm
    titles = (gettext_lazy("写文章"), gettext_lazy("编辑文章"))

    def save(self, form, user):
        return services.save_article(form.instance, user)


class PublicationListView(OutreachStaffMixin, OutreachTabsMixin, ObjectListView):
    template_name = "outreach/list.html"
    model = Publication
    filterset_class = PublicationFilterSet
    title = gettext_lazy("宣传作品与媒体矩阵")
    default_sort = "-published_on"
    create_label = gettext_lazy("登记作品")
    columns = [Column("title", gettext_lazy("标题"), sort="title", link=True),
               Column("kind", gettext_lazy("类别"), sort="kind"),
               Column("channel", gettext_lazy("渠道"), sort="channel"),
               Column("number", gettext_lazy("期号/集数")),
               Column("published_on", gettext_lazy("发布日期"), sort="published_on"),
               Column("views", gettext_lazy("阅读/播放量"), sort="views"),
               Column("likes", gettext_lazy("点赞")), Column("shares", gettext_lazy("转发"))]

    def get_create_url(self):
        return reverse("outreach:publication-create")


class PublicationEditView(_EditView):
    model, form_class = Publication, forms.PublicationForm
    titles = (gettext_lazy("登记作品"), gettext_lazy("编辑作品"))

    def save(self, form, user):
        return services.save_publication(form.instance, user, pdf=form.cleaned_data.get("pdf"))


class ReachImportView(OutreachStaffMixin, View):
    """Reach figures from a CSV (id, views, likes, shares), imported in the background as the core
    job ``outreach.reach_import`` (all rows or none): the upload starts it and staff follow it on
    its job page (progress, the rows in error and their workbook)."""

    def _render(self, request, form, status=200):
        return render(request, "outreach/form.html", {"form": form, "title": _("导入传播数据")}, status=status)

    def get(self, request):
        from .jobs import ReachImportForm

        return self._render(request, ReachImportForm(user=request.user))

    def post(self, request):
        from ipcenter.reports.services import request_job

        from .jobs import ReachImportForm

        form = ReachImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                job = request_job(services.REACH_JOB, request.user, {}, files=request.FILES)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已开始后台导入。"))
                return redirect(job.get_absolute_url())
        return self._render(request, form, status=400)


class BaseListView(OutreachStaffMixin, OutreachTabsMixin, ObjectListView):
    template_name = "outreach/list.html"
    model = PracticeBase
    title = gettext_lazy("预审员实践基地")
    default_sort = "opened_on"
    create_label = gettext_lazy("新建实践基地")
    columns = [Column("name", gettext_lazy("名称"), sort="name", link=True),
               Column("industry_chain", gettext_lazy("产业链"), sort="industry_chain"),
               Column("host_organization", gettext_lazy("依托单位")),
               Column("league.name", gettext_lazy("盟市"), sort="league__path"),
               Column("opened_on", gettext_lazy("揭牌日期"), sort="opened_on")]

    def refine_queryset(self, qs):
        return qs.select_related("league")

    def get_create_url(self):
        return reverse("outreach:base-create")


class BaseEditView(_EditView):
    model, form_class = PracticeBase, forms.PracticeBaseForm
    titles = (gettext_lazy("新建实践基地"), gettext_lazy("编辑实践基地"))

    def save(self, form, user):
        return services.save_practice_base(form.instance, user, firms=list(form.cleaned_data["firms"]))


class BaseDetailView(OutreachStaffMixin, View):
    def _ctx(self, request, base, form):
        from django.db.models import Sum

        firms = list(base.firms.all().order_by("name"))
        ids = [f.pk for f in firms]
        # the pre-exam app answers through its registered selectors (outreach imports no prescreen)
        cases = select("prescreen.cases_of_organizations", ids, default=None)
        outcomes = select("prescreen.outcomes_of_organizations", ids, default=None)
        for f in firms:
            f.case_states = [r for r in cases or () if r["organization_id"] == f.pk]
            f.case_total = sum(r["count"] for r in f.case_states)
            f.outcomes = [r for r in outcomes or () if r["organization_id"] == f.pk]
        totals = {r["kind"]: r["n"] for r in base.activities.values("kind").annotate(n=Sum("count"))}
        return {"base": base, "firms": firms, "cases": cases, "outcomes": outcomes, "form": form,
                "show_content_links": True,
                "case_total": sum(f.case_total for f in firms),
                "granted": sum(r["count"] for r in outcomes or () if r["outcome"] == "grant"),
                "activities": base.activities.select_related("logged_by")[:100],
                "timeline": timeline_of(base, request.user)[:50],
                "totals": [(label, totals.get(k, 0)) for k, label in BaseActivity.Kind.choices]}

    def get(self, request, pk):
        base = get_object_or_404(PracticeBase.objects.visible_to(request.user), pk=pk)
        return render(request, "outreach/base_detail.html", self._ctx(request, base, forms.BaseActivityForm()))

    def post(self, request, pk):
        base = get_object_or_404(PracticeBase.objects.visible_to(request.user), pk=pk)
        form = forms.BaseActivityForm(request.POST)
        if form.is_valid():
            try:
                services.log_base_activity(base, request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已记录基地活动。"))
                return redirect(base)
        return render(request, "outreach/base_detail.html", self._ctx(request, base, form), status=400)


class BaseActivityEditView(OutreachStaffMixin, View):
    """Correct a logged activity of a base (the base's own scoping; another base's, or someone
    without access: 404)."""

    def _get(self, request, pk, activity_pk):
        base = get_object_or_404(PracticeBase.objects.visible_to(request.user), pk=pk)
        return base, get_object_or_404(BaseActivity.objects.visible_to(request.user).filter(base=base), pk=activity_pk)

    def _render(self, request, base, form, status=200):
        return render(request, "outreach/form.html", {"form": form, "object": base, "title": _("修改基地活动"),
                                                      "back_url": base.get_absolute_url()}, status=status)

    def get(self, request, pk, activity_pk):
        base, activity = self._get(request, pk, activity_pk)
        return self._render(request, base, forms.BaseActivityForm(instance=activity))

    def post(self, request, pk, activity_pk):
        base, activity = self._get(request, pk, activity_pk)
        form = forms.BaseActivityForm(request.POST, instance=BaseActivity.objects.get(pk=activity.pk))
        if form.is_valid():
            try:
                services.update_base_activity(activity, request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(base)
        return self._render(request, base, form, status=400)


class BaseActivityDeleteView(BaseActivityEditView):
    http_method_names = ["post"]

    def post(self, request, pk, activity_pk):
        base, activity = self._get(request, pk, activity_pk)
        services.delete_base_activity(activity, request.user)
        messages.success(request, _("已删除。"))
        return redirect(base)
