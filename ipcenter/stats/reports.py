"""Report kinds of the stats app."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ipcenter.reports import charts
from ipcenter.reports.pdf import render_pdf
from ipcenter.reports.registry import ReportOutput, report_kind
from ipcenter.reports.xlsx import XLSX_TYPE, write_xlsx

from .figures import NARRATIVES, number, providers
from .forms import StatsScopeForm
from .services import platform_overview


@report_kind("stats.overview.pdf", gettext_lazy("中心概况（PDF）"), permission="stats.view_dashboard")
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


@report_kind("stats.overview.xlsx", gettext_lazy("中心概况（XLSX）"), permission="stats.view_dashboard")
def overview_xlsx(job, progress):
    data = platform_overview()
    progress(50, _("写入表格"))
    content = write_xlsx([
        (_("盟市"), [_("盟市"), _("工作站数"), _("注册单位"), _("已启用单位")],
         [(lg.name, lg.workstations, lg.org_count, lg.active_org_count) for lg in data["leagues"]]),
        (_("用户角色"), [_("角色"), _("人数")], [(str(label), n) for label, n in data["users_by_role"]]),
    ])
    return ReportOutput(content, f"中心概况-{timezone.localdate():%Y%m%d}.xlsx", XLSX_TYPE)


# --- the statistics report, workbook and work report (figure providers) ---------------------

def _scope_of(job):
    """The job's period and scope, checked again against its requester (a job whose user
    lost access fails instead of leaking figures)."""
    from .selection import resolve_scope

    return resolve_scope(job.requested_by, job.params or {})


def _charts(section, width=640):
    """The section's charts as SVG images (data URIs): WeasyPrint lays an <img> SVG out in a
    fraction of the time of the same SVG inline."""
    import base64

    from django.utils.html import format_html

    from .views import render_chart

    return [format_html('<img class="chart-img" alt="" src="data:image/svg+xml;base64,{}">',
                        base64.b64encode(str(c).encode()).decode())
            for c in (render_chart(s, width=width) for s in section.series) if c]


def _filename(prefix, scope, ext):
    from .selection import scope_label

    return f"{prefix}-{scope_label(scope)}-{scope.period.start:%Y%m%d}-{scope.period.end:%Y%m%d}.{ext}"


@report_kind("stats.report.pdf", gettext_lazy("统计报告（PDF）"), permission="stats.view_dashboard",
             form=StatsScopeForm)
def statistics_pdf(job, progress):
    scope = _scope_of(job)
    pdf = build_statistics_pdf(scope, job, progress)
    progress(95, _("保存"))
    return ReportOutput(pdf, _filename("统计报告", scope, "pdf"), "application/pdf")


def build_statistics_pdf(scope, job=None, progress=lambda pct, msg="": None, max_age=None):
    from .selection import definitions, scope_label
    from .snapshots import figures_for

    progress(10, _("统计数据"))
    figures = figures_for(scope, compare=True, compute_missing=True, max_age=max_age)
    data = figures.sections
    progress(50, _("绘制图表"))
    for section in data:
        section.charts = _charts(section)
    progress(70, _("生成 PDF"))
    pdf = render_pdf("stats/report_pdf.html", {
        "scope": scope, "scope_label": scope_label(scope), "sections": data, "job": job,
        "definitions": definitions(data), "generated_at": timezone.now(), "computed_at": figures.computed_at,
        "previous": scope.period.previous(), "last_year": scope.period.last_year()})
    return pdf


def workbook_sheets(scope, data, computed_at=None):
    """(title, headers, rows) per section: the figures with their comparison values as
    numbers, then each table below its title; a cover sheet with the period as dates."""
    from .selection import scope_label

    sheets = [(_("说明"), [_("项目"), _("内容")], [
        (_("统计范围"), str(scope_label(scope))), (_("开始日期"), scope.period.start),
        (_("结束日期"), scope.period.end), (_("生成时间"), timezone.now()),
        *([(_("数据更新于"), computed_at)] if computed_at is not None else [])])]
    for section in data:
        rows = []
        for f in section.figures:
            rows.append((str(f.label), f.value, str(f.unit), f.previous, f.last_year, str(f.note)))
        for t in section.tables:
            if not t.rows:
                continue
            rows.append(())
            rows.append((str(t.title),))
            rows.append(tuple(str(c) for c in t.columns))
            rows.extend(tuple(r) for r in t.rows)
        sheets.append((section.title, [_("指标"), _("数值"), pgettext("计量", "单位"), _("上期"), _("上年同期"), _("说明")], rows))
    return sheets


@report_kind("stats.report.xlsx", gettext_lazy("统计报表（XLSX）"), permission="stats.view_dashboard",
             form=StatsScopeForm)
def statistics_xlsx(job, progress):
    from .snapshots import figures_for

    scope = _scope_of(job)
    progress(10, _("统计数据"))
    figures = figures_for(scope, compare=True, compute_missing=True)
    progress(60, _("写入表格"))
    content = write_xlsx(workbook_sheets(scope, figures.sections, figures.computed_at))
    return ReportOutput(content, _filename("统计报表", scope, "xlsx"), XLSX_TYPE)


CHAPTER_NUMERALS = (gettext_lazy("一"), gettext_lazy("二"), gettext_lazy("三"), gettext_lazy("四"),
                    gettext_lazy("五"), gettext_lazy("六"), gettext_lazy("七"), gettext_lazy("八"),
                    gettext_lazy("九"), gettext_lazy("十"))


def _figure_list(section):
    parts = [_("%(label)s %(value)s%(unit)s") % {"label": f.label, "value": number(f.value), "unit": f.unit}
             for f in section.figures if f.value is not None]
    return [_("%(items)s。") % {"items": _("，").join(parts)}] if parts else []


def narrative(scope, data):
    """The work report's paragraphs: an opening sentence, then one chapter per section in the
    providers' order, written by the sentences each app registered for its section
    (``ipcenter.stats.figures.narrative``) the way the centre's two-year article writes them.
    Sections that are missing or empty are left out."""
    from .selection import scope_label

    by = {s.code: s for s in data}
    where = str(scope_label(scope))
    intro = _("%(period)s，%(where)s围绕专利预审、维权援助和宣传培训等重点工作，各项业务稳步推进。") % {
        "period": scope.period.label, "where": where if scope.station else _("自治区知识产权保护中心")}
    chapters, order = {}, []
    for provider in providers():
        section = by.get(provider.code)
        if section is None or not section.figures:
            continue
        spec = NARRATIVES.get(provider.code)
        sentences = spec.func(section, by) if spec else _figure_list(section)
        if not sentences:
            continue
        target = (spec.part_of if spec and spec.part_of else provider.code)
        if target in chapters:
            chapters[target][1].extend(sentences)
        else:
            chapters[target] = (str(spec.title if spec and spec.title else provider.title), list(sentences))
            order.append(target)
    out = [(_("总体情况"), [intro])]
    for i, code in enumerate(order):
        title, sentences = chapters[code]
        numeral = CHAPTER_NUMERALS[i] if i < len(CHAPTER_NUMERALS) else str(i + 1)
        out.append((_("%(n)s、%(title)s") % {"n": numeral, "title": title}, sentences))
    return out


@report_kind("stats.work_report.pdf", gettext_lazy("工作报告（PDF）"), permission="stats.view_dashboard",
             form=StatsScopeForm)
def work_report_pdf(job, progress):
    from .selection import definitions, scope_label
    from .snapshots import figures_for

    scope = _scope_of(job)
    progress(10, _("统计数据"))
    figures = figures_for(scope, compute_missing=True)
    data = figures.sections
    progress(60, _("撰写报告"))
    pdf = render_pdf("stats/work_report_pdf.html", {
        "scope": scope, "scope_label": scope_label(scope), "paragraphs": narrative(scope, data),
        "definitions": definitions(data), "generated_at": timezone.now(), "computed_at": figures.computed_at,
        "job": job})
    progress(95, _("保存"))
    return ReportOutput(pdf, _filename("工作报告", scope, "pdf"), "application/pdf")
