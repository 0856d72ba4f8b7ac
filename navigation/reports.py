"""The navigation report as background jobs: the PDF (cover, contents with page numbers,
charts, tables, search strategy, databases, cut-off date) and the XLSX of its tables."""
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.reports.pdf import render_pdf
from ipcenter.reports.registry import ReportOutput, report_kind
from ipcenter.reports.xlsx import XLSX_TYPE, write_xlsx

from . import analyses, charts, services
from .models import NavigationProject, NavigationReport
from .tables import section_tables


def _report_for(job):
    """The report of a job, re-checked against the requester's current scope."""
    report = NavigationReport.objects.select_related("project", "project__chain").get(pk=job.params["report"])
    if not NavigationProject.objects.visible_to(job.requested_by).filter(pk=report.project_id).exists():
        raise PermissionDenied(_("您已不在该项目团队中，不能生成报告。"))
    return report


def _sections(report, job, progress, with_charts):
    project = report.project
    filters = analyses.Filters(job.params.get("filters") or {})
    patents = analyses.patents_of(project, filters)
    out = []
    for i, key in enumerate(report.sections, start=1):
        data = analyses.compute(key, patents, project)
        out.append({"key": key, "number": i, "title": str(analyses.SECTION_LABELS[key]),
                    "charts": charts.section_charts(key, data) if with_charts else [],
                    "tables": section_tables(key, data), "conclusion": report.conclusions.get(key, ""),
                    "data": data})
        progress(10 + 70 * i // max(len(report.sections), 1), _("分析：%(s)s") % {"s": analyses.SECTION_LABELS[key]})
    return out, patents, filters


@report_kind("navigation.report", gettext_lazy("专利导航分析报告"))
def build_report(job, progress):
    report = _report_for(job)
    project = report.project
    progress(5, _("读取数据"))
    sections, patents, filters = _sections(report, job, progress, with_charts=True)
    cutoff, sources = services.project_cutoff(project)
    overview = analyses.overview(patents)
    progress(85, _("排版 PDF"))
    pdf = render_pdf("navigation/report_pdf.html", {
        "report": report, "project": project, "sections": sections, "cutoff": cutoff, "sources": sources,
        "overview": overview, "filters": filters.as_dict(), "generated": timezone.localdate(),
        "imports": project.imports.filter(status="done").select_related("attachment"),
    })
    return ReportOutput(pdf, f"{report.title}-v{report.version}.pdf", "application/pdf")


@report_kind("navigation.report_tables", gettext_lazy("专利导航报告数据表"))
def build_tables(job, progress):
    report = _report_for(job)
    sections, _patents, _filters = _sections(report, job, progress, with_charts=False)
    cutoff, sources = services.project_cutoff(report.project)
    sheets = [(_("说明"), [_("项目"), _("数据截止日期"), _("数据来源"), _("检索策略")],
               [[report.project.name, cutoff or "", "、".join(sources), report.project.search_strategy]])]
    used = set()
    for s in sections:
        for title, headers, rows in s["tables"]:
            name = f"{s['number']}.{title}"[:31]
            while name in used:
                name = name[:29] + "_"
            used.add(name)
            sheets.append((name, headers, rows))
    return ReportOutput(write_xlsx(sheets), f"{report.title}-v{report.version}-数据表.xlsx", XLSX_TYPE)
