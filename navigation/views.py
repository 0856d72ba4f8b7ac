"""Pages of patent navigation: projects, phases, imports, analyses, reports."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from ipcenter.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView, PredicateRequiredMixin
from ipcenter.reports.models import ReportJob

from . import analyses, charts, services
from .filters import PatentFilterSet, ProjectFilterSet
from .forms import (AliasForm, ChainForm, ChainLinkFormSet, ChainNodeFormSet, DeliverableForm, MappingForm, PhaseForm,
                    ProjectForm, ReportForm, UploadForm)
from .models import (ApplicantAlias, ChainLink, ChainNode, NavigationProject, NavigationReport, Patent, PatentImport,
                     ProjectPhase)
from .rules import can_run_navigation


def visible_project(request, pk):
    return get_object_or_404(NavigationProject.objects.visible_to(request.user), pk=pk)


def form_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


class ProjectListView(ObjectListView):
    model = NavigationProject
    filterset_class = ProjectFilterSet
    title = gettext_lazy("导航项目")
    columns = [
        Column("name", gettext_lazy("项目名称"), sort="name", link=True),
        Column("project_type", gettext_lazy("类型"), sort="project_type"),
        Column("client_label", gettext_lazy("委托方")),
        Column("lead", gettext_lazy("负责人"), person=True),
        Column("topic", gettext_lazy("技术主题")),
        Column("status", gettext_lazy("状态"), badge=True, sort="status"),
        Column("created_at", gettext_lazy("创建时间"), sort="created_at", date_only=True),
    ]
    default_sort = "-created_at"
    create_label = gettext_lazy("新建导航项目")

    def refine_queryset(self, qs):
        return qs.select_related("lead", "client_organization")

    def get_create_url(self):
        return reverse("navigation:project-create") if can_run_navigation(self.request.user) else None


class ProjectCreateView(PredicateRequiredMixin, FormView):
    required = can_run_navigation
    template_name = "navigation/form.html"
    form_class = ProjectForm
    title = gettext_lazy("新建导航项目")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        members = data.pop("members", [])
        project = services.create_project(self.request.user, members=members, **data)
        messages.success(self.request, _("已创建导航项目，六个阶段已建立。"))
        return HttpResponseRedirect(project.get_absolute_url())


class ProjectDetailView(ObjectDetailView):
    model = NavigationProject
    template_name = "navigation/project_detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("lead", "client_organization", "chain")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        project = self.object
        from ipcenter.deadlines.services import deadlines_by_object

        phases = list(project.phases.select_related("owner").prefetch_related("attachments"))
        clocks = deadlines_by_object(ProjectPhase, [p.pk for p in phases], services.PHASE_DEADLINE)
        for phase in phases:
            phase.clock = clocks[phase.pk][-1] if clocks[phase.pk] else None
        ctx["phases"] = phases
        ctx["imports"] = project.imports.select_related("attachment", "created_by")[:20]
        ctx["reports"] = project.reports.select_related("job", "xlsx_job")[:20]
        ctx["upload_form"] = UploadForm()
        ctx["patent_count"] = project.patents.count()
        ctx["cutoff"], ctx["sources"] = services.project_cutoff(project)
        return ctx


class ProjectEditView(ObjectEditView):
    model = NavigationProject
    form_class = ProjectForm


class PhaseEditView(ObjectEditView):
    model = ProjectPhase
    form_class = PhaseForm

    def form_valid(self, form):
        try:
            services.plan_phase(self.object, self.request.user, owner=form.cleaned_data["owner"],
                                due_date=form.cleaned_data["due_date"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("阶段计划已保存。"))
        return HttpResponseRedirect(self.object.project.get_absolute_url())

    def get_success_url(self):
        return self.object.project.get_absolute_url()


class PhaseDoneView(LoginRequiredMixin, View):
    def post(self, request, pk):
        phase = get_object_or_404(ProjectPhase.objects.visible_to(request.user), pk=pk)
        try:
            services.complete_phase(phase, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("阶段“%(p)s”已完成。") % {"p": phase.get_kind_display()})
        return HttpResponseRedirect(phase.project.get_absolute_url())


class PhaseDeliverableView(LoginRequiredMixin, View):
    def post(self, request, pk):
        phase = get_object_or_404(ProjectPhase.objects.visible_to(request.user), pk=pk)
        form = DeliverableForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_deliverable(phase, form.cleaned_data["file"], request.user, form.cleaned_data["label"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("阶段成果已上传。"))
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return HttpResponseRedirect(phase.project.get_absolute_url())


class ImportUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        project = visible_project(request, pk)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                imp = services.upload_export(project, form.cleaned_data["file"], request.user,
                                             database_name=form.cleaned_data["database_name"],
                                             cutoff_date=form.cleaned_data["cutoff_date"])
            except ValidationError as exc:
                form_errors(form, exc) if hasattr(exc, "error_dict") else form.add_error("file", exc.messages)
            else:
                return HttpResponseRedirect(imp.get_absolute_url())
        return render(request, "navigation/upload.html", {"project": project, "form": form}, status=400)


class ImportDetailView(ObjectDetailView):
    model = PatentImport
    template_name = "navigation/import_detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("project", "attachment", "job")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        imp = self.object
        ctx["project"] = imp.project
        ctx["progress"] = services.import_progress(imp)
        if imp.status in (PatentImport.Status.UPLOADED, PatentImport.Status.FAILED) and imp.headers:
            ctx["form"] = kwargs.get("form") or MappingForm(imp=imp)
            ctx["preview_rows"], ctx["preview_error"] = services.preview(imp)
            ctx["mapped_headers"] = [imp.headers[int(i)] if int(i) < len(imp.headers) else i
                                     for i in sorted((imp.mapping.get("columns") or {}), key=int)]
        return ctx

    def post(self, request, pk):
        self.object = get_object_or_404(self.get_queryset(), pk=pk)
        imp = self.object
        form = MappingForm(request.POST, imp=imp)
        if form.is_valid():
            if request.POST.get("action") == "preview":
                imp.mapping = {**imp.mapping, "columns": form.mapping()}
                imp.save(update_fields=["mapping"])
                return HttpResponseRedirect(imp.get_absolute_url())
            try:
                services.confirm_import(imp, request.user, form.mapping())
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("已开始后台导入。"))
                return HttpResponseRedirect(imp.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportProgressView(LoginRequiredMixin, View):
    """The htmx fragment the import page polls."""

    def get(self, request, pk):
        imp = get_object_or_404(PatentImport.objects.visible_to(request.user).select_related("job"), pk=pk)
        response = render(request, "navigation/_import_progress.html",
                          {"object": imp, "progress": services.import_progress(imp)})
        if imp.status in (PatentImport.Status.DONE, PatentImport.Status.FAILED) and request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"
        return response


class PatentListView(ObjectListView):
    model = Patent
    filterset_class = PatentFilterSet
    title = gettext_lazy("专利数据")
    paginate_by = 50
    values_rows = True
    columns = [
        Column("publication_number", gettext_lazy("公开（公告）号"), sort="publication_number"),
        Column("title", gettext_lazy("标题")),
        Column("applicants_text", gettext_lazy("申请人")),
        Column("application_date", gettext_lazy("申请日"), sort="application_date"),
        Column("ipc_main", gettext_lazy("IPC主分类号")),
        Column("legal_status", gettext_lazy("法律状态"), sort="legal_status"),
        Column("province", gettext_lazy("省份")),
        Column("family_size", gettext_lazy("同族数"), sort="family_size"),
        Column("cited_count", gettext_lazy("被引证"), sort="cited_count"),
    ]
    default_sort = "-application_date"


class AnalysisView(LoginRequiredMixin, TemplateView):
    template_name = "navigation/analyses.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        project = visible_project(self.request, kwargs["pk"])
        section = kwargs.get("section") or "trend"
        if section not in analyses.SECTION_KEYS:
            raise Http404
        filters = analyses.Filters(self.request.GET)
        patents = analyses.patents_of(project, filters)
        data = analyses.compute(section, patents, project)
        ctx.update(project=project, section=section, sections=analyses.SECTIONS, data=data, filters=filters,
                   charts=charts.section_charts(section, data), overview=analyses.overview(patents),
                   kinds=analyses.ApplicantKind.choices, statuses=analyses.LegalStatus.choices,
                   query=self.request.GET.urlencode())
        return ctx


class ReportCreateView(LoginRequiredMixin, FormView):
    template_name = "navigation/report_form.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = visible_project(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"title": _("%(name)s专利导航分析报告") % {"name": self.project.name},
                "sections": analyses.SECTION_KEYS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, **kwargs)

    def form_valid(self, form):
        try:
            report = services.request_navigation_report(
                self.project, self.request.user, title=form.cleaned_data["title"],
                sections=form.cleaned_data["sections"], conclusions=form.conclusions(),
                filters=analyses.Filters(self.request.GET).as_dict())
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        except Exception as exc:  # PermissionDenied from the report service
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("报告生成任务已提交。"))
        return HttpResponseRedirect(report.get_absolute_url())


class ReportDetailView(ObjectDetailView):
    model = NavigationReport
    template_name = "navigation/report_detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("project", "job", "xlsx_job")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["team"] = NavigationProject.objects.visible_to(self.request.user).filter(
            pk=self.object.project_id).exists()
        ctx["section_labels"] = [analyses.SECTION_LABELS.get(s, s) for s in self.object.sections]
        return ctx


class ReportProgressView(LoginRequiredMixin, View):
    def get(self, request, pk):
        report = get_object_or_404(NavigationReport.objects.visible_to(request.user).select_related("job"), pk=pk)
        response = render(request, "navigation/_report_progress.html", {"object": report})
        if report.job and report.job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED) and \
                request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"
        return response


class ReportDeliverView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = get_object_or_404(NavigationReport.objects.visible_to(request.user).select_related("job"), pk=pk)
        if not NavigationProject.objects.visible_to(request.user).filter(pk=report.project_id).exists():
            raise Http404
        try:
            services.deliver_report(report, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("报告已交付，委托单位可以下载。"))
        return HttpResponseRedirect(report.get_absolute_url())


class ReportDownloadView(LoginRequiredMixin, View):
    """The report file (PDF or XLSX tables): the team any version, the client the delivered one."""

    def get(self, request, pk, fmt):
        report = get_object_or_404(NavigationReport.objects.visible_to(request.user).select_related(
            "job", "xlsx_job"), pk=pk)
        job = report.job if fmt == "pdf" else report.xlsx_job if fmt == "xlsx" else None
        if job is None or job.status != ReportJob.Status.DONE or not job.result:
            raise Http404
        from ipcenter.reports.xlsx import content_disposition

        response = FileResponse(job.result.open("rb"), content_type=job.result_type)
        response["Content-Disposition"] = content_disposition(job.result_name)
        response["Cache-Control"] = "private, no-store"
        return response


class ClientReportsView(LoginRequiredMixin, TemplateView):
    """What a client organisation's user sees: the delivered reports of its projects."""

    template_name = "navigation/client_reports.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reports"] = NavigationReport.objects.visible_to(self.request.user).filter(
            delivered=True).select_related("project")
        return ctx


class IndexView(LoginRequiredMixin, View):
    def get(self, request):
        if can_run_navigation(request.user):
            return ProjectListView.as_view()(request)
        return ClientReportsView.as_view()(request)


class AliasView(PredicateRequiredMixin, FormView):
    required = can_run_navigation
    template_name = "navigation/aliases.html"
    form_class = AliasForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(aliases=ApplicantAlias.objects.visible_to(self.request.user)[:500], **kwargs)

    def form_valid(self, form):
        try:
            services.save_alias(form.cleaned_data["alias"], form.cleaned_data["canonical"])
        except ValidationError as exc:
            form.add_error("alias", exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("别名已保存。"))
        return HttpResponseRedirect(reverse("navigation:aliases"))


# --- industry-chain taxonomy ---------------------------------------------------------------

def chain_project(request, pk):
    """The project whose chain the user edits: only analysts and managers of its team; anyone
    else gets a 404."""
    if not request.user.is_authenticated or not can_run_navigation(request.user):
        raise Http404
    return get_object_or_404(NavigationProject.objects.visible_to(request.user).select_related("chain"), pk=pk)


class ChainEditView(LoginRequiredMixin, View):
    """The project's chain: its name and links (or a new chain when it has none)."""

    template_name = "navigation/chain_edit.html"

    def forms(self, request, project, data=None):
        chain = project.chain
        chain_form = ChainForm(data, instance=chain, prefix="chain")
        links = None
        if chain is not None:
            links = ChainLinkFormSet(data, instance=chain, prefix="links",
                                     queryset=ChainLink.objects.visible_to(request.user).filter(chain=chain))
        return chain_form, links

    def render(self, request, project, chain_form, links, status=200):
        chain = project.chain
        ctx = {"project": project, "chain": chain, "chain_form": chain_form, "links": links}
        if chain is not None:
            ctx["chain_links"] = ChainLink.objects.visible_to(request.user).filter(
                chain=chain).prefetch_related("nodes")
            ctx["other_projects"] = NavigationProject.objects.filter(  # scoped: only a count, no project is shown
                chain=chain).exclude(pk=project.pk).count()
        return render(request, self.template_name, ctx, status=status)

    def get(self, request, pk):
        project = chain_project(request, pk)
        return self.render(request, project, *self.forms(request, project))

    def post(self, request, pk):
        project = chain_project(request, pk)
        chain_form, links = self.forms(request, project, request.POST)
        if not chain_form.is_valid() or (links is not None and not links.is_valid()):
            return self.render(request, project, chain_form, links, status=400)
        try:
            if project.chain is None:
                services.create_chain(project, request.user, name=chain_form.cleaned_data["name"],
                                      description=chain_form.cleaned_data["description"])
                messages.success(request, _("已为本项目新建产业链，请添加环节和节点。"))
            else:
                changed = links.save(commit=False)
                services.edit_chain(project, request.user, save=[chain_form.save(commit=False), *changed],
                                    delete=links.deleted_objects)
                messages.success(request, _("产业链已保存，产业链导航分析已按新的分类体系计算。"))
        except ValidationError as exc:
            form_errors(chain_form, exc)
            return self.render(request, project, chain_form, links, status=400)
        return HttpResponseRedirect(reverse("navigation:chain", args=[project.pk]))


class ChainLinkView(LoginRequiredMixin, View):
    """The nodes of one link of the project's chain (IPC prefixes and keywords)."""

    template_name = "navigation/chain_link.html"

    def setup_objects(self, request, pk, link_pk):
        project = chain_project(request, pk)
        link = get_object_or_404(ChainLink.objects.visible_to(request.user), pk=link_pk,
                                 chain_id=project.chain_id or 0)
        return project, link

    def formset(self, request, link, data=None):
        return ChainNodeFormSet(data, instance=link, prefix="nodes",
                                queryset=ChainNode.objects.visible_to(request.user).filter(link=link))

    def render(self, request, project, link, nodes, status=200):
        return render(request, self.template_name, {"project": project, "chain": project.chain, "link": link,
                                                    "nodes": nodes}, status=status)

    def get(self, request, pk, link_pk):
        project, link = self.setup_objects(request, pk, link_pk)
        return self.render(request, project, link, self.formset(request, link))

    def post(self, request, pk, link_pk):
        project, link = self.setup_objects(request, pk, link_pk)
        nodes = self.formset(request, link, request.POST)
        if not nodes.is_valid():
            return self.render(request, project, link, nodes, status=400)
        changed = nodes.save(commit=False)
        services.edit_chain(project, request.user, save=changed, delete=nodes.deleted_objects)
        messages.success(request, _("节点已保存，产业链导航分析已按新的分类体系计算。"))
        return HttpResponseRedirect(reverse("navigation:chain", args=[project.pk]))
