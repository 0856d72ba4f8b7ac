"""Report kinds of the stats app."""
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.reports import charts
from ipcenter.reports.pdf import render_pdf
from ipcenter.reports.registry import ReportOutput, report_kind
from ipcenter.reports.xlsx import XLSX_TYPE, write_xlsx

from .services import platform_overview


@report_kind("stats.overview.pdf", _("中心概况（PDF）"), permission="stats.view_dashboard")
def overview_pdf(job, progress):
    progress(10, _("统计数据"))
    data = platform_overview()
    progress(50, _("绘制图表"))
    data["org_chart"] = charts.bar_chart([(lg.short_name, lg.org_count) for lg in data["leagues"]],
                                         title=_("各盟市注册单位数"), width=680)
    data["role_chart"] = charts.pie_chart([(str(label), n) for label, n in data["users_by_role"]],
                                          title=_("用户角色构成"), width=560)
    progress(70, _("生成 PDF"))
    pdf = render_pdf("stats/overview_pdf.html", {"data": data, "job": job, "generated_at": timezone.now()})
    progress(95, _("保存"))
    return ReportOutput(pdf, f"中心概况-{timezone.localdate():%Y%m%d}.pdf", "application/pdf")


@report_kind("stats.overview.xlsx", _("中心概况（XLSX）"), permission="stats.view_dashboard")
def overview_xlsx(job, progress):
    data = platform_overview()
    progress(50, _("写入表格"))
    content = write_xlsx([
        (_("盟市"), [_("盟市"), _("工作站数"), _("注册单位"), _("已启用单位")],
         [(lg.name, lg.workstations, lg.org_count, lg.active_org_count) for lg in data["leagues"]]),
        (_("用户角色"), [_("角色"), _("人数")], [(str(label), n) for label, n in data["users_by_role"]]),
    ])
    return ReportOutput(content, f"中心概况-{timezone.localdate():%Y%m%d}.xlsx", XLSX_TYPE)
