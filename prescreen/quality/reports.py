"""Quality statistics as PDF and XLSX report jobs (scoped to the requesting user)."""
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.reports import charts
from ipcenter.reports.pdf import render_pdf
from ipcenter.reports.registry import ReportOutput, report_kind
from ipcenter.reports.xlsx import XLSX_TYPE, write_xlsx

from .stats import quality_stats, scoped_feedback


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
    months = data["by_month"]
    scored = [r for r in months if r["avg_score"] is not None]
    everyone = data["sees_all"]
    consistency = data["consistency"]["by_examiner"]
    return {
        "tables": [(_("按预审员"), _("预审员"), data["by_examiner"]), (_("按层级"), _("层级"), data["by_level"]),
                   (_("按技术领域"), _("技术领域"), data["by_field"]), (_("按月"), _("月份"), months)],
        "category_rows": data["by_category"],
        # an examiner's own figures: one bar per level instead of a single bar of their own
        "examiner_chart": charts.bar_chart([(r["label"], r["error_rate"]) for r in data["by_examiner"]],
                                           title=_("各预审员差错率（%）"), width=680) if everyone else
        charts.bar_chart([(r["label"], r["error_rate"]) for r in data["by_level"]],
                         title=_("各层级差错率（%）"), width=680),
        "category_chart": charts.bar_chart([(r["label"], r["error_rate"]) for r in data["by_category"]],
                                           title=_("各差错类别涉及的检查比例（%）"), width=680),
        # trends need two months at least; a single month is in the table
        "month_chart": charts.line_chart([(_("差错率（%）"), [r["error_rate"] for r in months])],
                                         [r["label"] for r in months], title=_("按月差错率（%）"), width=680)
        if len(months) > 1 else None,
        "score_chart": charts.line_chart([(_("平均分"), [r["avg_score"] for r in scored])],
                                         [r["label"] for r in scored], title=_("按月平均分（抽检）"), width=680)
        if len(scored) > 1 else None,
        "consistency_chart": charts.bar_chart([(r["label"], r["rate"]) for r in consistency],
                                              title=_("各预审员预审与实审一致率（%）"), width=680)
        if everyone and consistency else None,
    }


@report_kind("quality.stats.pdf", gettext_lazy("质检统计（PDF）"), permission="quality.view_stats")
def stats_pdf(job, progress):
    date_from, date_to = _dates(job)
    progress(20, _("统计数据"))
    data = quality_stats(job.requested_by, date_from, date_to)
    progress(60, _("绘制图表"))
    ctx = {"data": data, "job": job, "generated_at": timezone.now(), "date_from": date_from, "date_to": date_to,
           **charts_for(data)}
    pdf = render_pdf("quality/stats_pdf.html", ctx)
    return ReportOutput(pdf, f"质检统计-{timezone.localdate():%Y%m%d}.pdf", "application/pdf")


@report_kind("quality.stats.xlsx", gettext_lazy("质检统计（XLSX）"), permission="quality.view_stats")
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
        (_("按差错类别"), [_("类别"), _("涉及检查数"), _("差错数"), _("占检查比例（%）"), _("涉及检查平均分")],
         [(r["label"], r["checks"], r["errors"], r["error_rate"], r["avg_score"]) for r in data["by_category"]]),
        (_("实审一致性"), [_("可比反馈数"), _("一致"), _("一致率（%）"), _("不可比（视撤）")],
         [(data["consistency"]["total"], data["consistency"]["consistent"], data["consistency"]["rate"],
           data["consistency"]["not_comparable"])]),
        (_("预审结论×实审结果"), [_("预审结论")] + data["consistency"]["outcomes"],
         [[r["label"]] + r["cells"] for r in data["consistency"]["matrix"]]),
        (_("一致性按预审员"), [_("预审员"), _("可比反馈数"), _("一致"), _("一致率（%）")],
         [(r["label"], r["total"], r["consistent"], r["rate"]) for r in data["consistency"]["by_examiner"]]),
        (_("实审不一致"), [_("预审编号"), _("发明名称"), _("预审员"), _("实审结果"), _("分析"), _("实审理由")],
         [(f.case.number, f.case.title, str(f.examiner), f.case.get_cnipa_outcome_display(), f.note, f.cnipa_reasons)
          for f in scoped_feedback(job.requested_by, date_from, date_to).filter(consistent=False)
          .select_related("case", "examiner").order_by("created_at")]),
    ])
    return ReportOutput(content, f"质检统计-{timezone.localdate():%Y%m%d}.xlsx", XLSX_TYPE)
