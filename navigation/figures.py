"""Statistics of patent navigation: projects by type and phase, reports delivered, patents analysed."""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ipcenter.stats.figures import Figure, Section, Series, Table, figure_provider

from .models import NavigationProject, NavigationReport, Patent, PatentImport, ProjectPhase


@figure_provider("navigation", _("专利导航"), order=40)
def navigation_figures(scope):
    """Navigation is centre-level work (projects have no station): a league's or station's
    view of the statistics shows none of it."""
    if not scope.stations.is_all:
        return Section()
    period = scope.period.lookup("created_at")
    projects = NavigationProject.objects.filter(**period)
    by_type = dict(projects.values_list("project_type").annotate(n=Count("pk")).order_by())
    labels = dict(NavigationProject.Type.choices)
    # active projects by the phases under way (started, not done)
    phase_counts = dict(ProjectPhase.objects.filter(
        project__status=NavigationProject.Status.ACTIVE, done_at__isnull=True, started_at__isnull=False)
        .values_list("kind").annotate(n=Count("project", distinct=True)).order_by())
    phase_labels = dict(ProjectPhase.Kind.choices)
    delivered = NavigationReport.objects.filter(delivered=True, **scope.period.lookup("delivered_at")).count()
    analysed = PatentImport.objects.filter(status=PatentImport.Status.DONE, **scope.period.lookup("finished_at")) \
        .aggregate(n=Count("pk"))
    patents = Patent.objects.filter(first_import__finished_at__isnull=False,
                                    **scope.period.lookup("first_import__finished_at")).count()
    return Section(
        figures=[Figure("projects_started", _("新立导航项目"), projects.count(), unit=_("个")),
                 Figure("reports_delivered", _("交付导航报告"), delivered, unit=_("份")),
                 Figure("patents_analysed", _("导入分析专利"), patents, unit=_("件")),
                 Figure("imports_done", _("完成数据导入"), analysed["n"], unit=_("次"))],
        tables=[Table("projects_by_type", _("按项目类型"), [_("类型"), _("项目数")],
                      [[str(labels[k]), by_type.get(k, 0)] for k, _l in NavigationProject.Type.choices]),
                Table("projects_by_phase", _("在办项目所处阶段"), [_("阶段"), _("项目数")],
                      [[str(phase_labels[k]), phase_counts.get(k, 0)] for k, _l in ProjectPhase.Kind.choices])],
        series=[Series("projects_by_type", _("导航项目类型"), "pie",
                       [(str(labels[k]), by_type.get(k, 0)) for k, _l in NavigationProject.Type.choices])],
    )
