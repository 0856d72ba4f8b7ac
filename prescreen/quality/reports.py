"""Quality statistics as PDF and XLSX report jobs (scoped to the requesting user)."""
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.reports import charts
from ipcenter.reports.pdf import render_pdf
from ipcenter.reports.registry import ReportOutput, report_kind
from ipcenter.reports.xlsx import XLSX_TYPE, write_xlsx

from .stats import quality_stats


def _dates(job):
    out = []
    for key in ("date_from", "date_to"):
        try:
            out.append(datetime.date.fromisoformat(job.params.get(key, "")))
        except (TypeError, ValueError):
            out.append(None)
    return out


def charts_for(data):
    """Charts and tables shared by the statistics page and its PDF."""
    return {
        "tables": [(_("按预审员"), data["by_examiner"]), (_("按层级"), data["by_level"]),
                   (_("按技术领域"), data["by_field"]), (_("按月"), data["by_month"])],
        "category_rows": data["by_category"],
        "examiner_chart": charts.bar_chart([(r["label"], r["error_rate"]) for r in data["by_examiner"]],
                                           title=_("各预审员差错率（%）"), width=680),
        "month_chart": charts.line_chart([(_("差错率（%）"), [r["error_rate"] for r in data["by_month"]]),
                                          (_("平均分"), [r["avg_score"] or 0 for r in data["by_month"]])],
                                         [r["label"] for r in data["by_month"]], title=_("按月趋势"), width=680),
        "category_chart": charts.bar_chart([(r["error_type__category"], r["n"]) for r in data["by_category"]],
                                           title=_("差错类别分布"), width=680),
    }


@report_kind("quality.stats.pdf", _("质检统计（PDF）"), permission="quality.view_stats")
def stats_pdf(job, progress):
    date_from, date_to = _dates(job)
    progress(20, _("统计数据"))
    data = quality_stats(job.requested_by, date_from, date_to)
    progress(60, _("绘制图表"))
    ctx = {"data": data, "job": job, "generated_at": timezone.now(), "date_from": date_from, "date_to": date_to,
           **charts_for(data)}
    pdf = render_pdf("quality/stats_pdf.html", ctx)
    return ReportOutput(pdf, f"质检统计-{timezone.localdate():%Y%m%d}.pdf", "application/pdf")


@report_kind("quality.stats.xlsx", _("质检统计（XLSX）"), permission="quality.view_stats")
def stats_xlsx(job, progress):
    date_from, date_to = _dates(job)
    data = quality_stats(job.requested_by, date_from, date_to)
    progress(50, _("写入表格"))
    head = [_("检查数"), _("有差错"), _("差错率（%）"), _("平均分")]

    def rows(items):
        return [(r["label"], r["checks"], r["with_errors"], r["error_rate"], r["avg_score"]) for r in items]

    content = write_xlsx([
        (_("按预审员"), [_("预审员")] + head, rows(data["by_examiner"])),
        (_("按层级"), [_("层级")] + head, rows(data["by_level"])),
        (_("按领域"), [_("技术领域")] + head, rows(data["by_field"])),
        (_("按月"), [_("月份")] + head, rows(data["by_month"])),
        (_("按差错类别"), [_("类别"), _("差错数")], [(r["error_type__category"], r["n"]) for r in data["by_category"]]),
        (_("实审一致性"), [_("反馈数"), _("一致"), _("一致率（%）")],
         [(data["consistency"]["total"], data["consistency"]["consistent"], data["consistency"]["rate"])]),
    ])
    return ReportOutput(content, f"质检统计-{timezone.localdate():%Y%m%d}.xlsx", XLSX_TYPE)
