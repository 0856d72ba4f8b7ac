"""Report kinds of the stats app."""
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.reports import charts
from ipcenter.reports.pdf import render_pdf
from ipcenter.reports.registry import ReportOutput, report_kind
from ipcenter.reports.xlsx import XLSX_TYPE, write_xlsx

from .forms import StatsScopeForm
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


@report_kind("stats.report.pdf", _("统计报告（PDF）"), permission="stats.view_dashboard",
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
        sheets.append((section.title, [_("指标"), _("数值"), _("单位"), _("上期"), _("上年同期"), _("说明")], rows))
    return sheets


@report_kind("stats.report.xlsx", _("统计报表（XLSX）"), permission="stats.view_dashboard",
             form=StatsScopeForm)
def statistics_xlsx(job, progress):
    from .snapshots import figures_for

    scope = _scope_of(job)
    progress(10, _("统计数据"))
    figures = figures_for(scope, compare=True, compute_missing=True)
    progress(60, _("写入表格"))
    content = write_xlsx(workbook_sheets(scope, figures.sections, figures.computed_at))
    return ReportOutput(content, _filename("统计报表", scope, "xlsx"), XLSX_TYPE)


def _n(value, digits=None):
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and digits is None:
        return str(int(value))
    return f"{value:,.{digits}f}" if digits is not None else str(value)


def narrative(scope, data):
    """The work report's paragraphs: the headline figures written into sentences the way the
    centre's two-year article does.  Sections that are missing are left out."""
    from .selection import scope_label

    by = {s.code: s for s in data}
    out = []
    where = str(scope_label(scope))
    intro = _("%(period)s，%(where)s围绕专利预审、维权援助和宣传培训等重点工作，各项业务稳步推进。") % {
        "period": scope.period.label, "where": where if scope.station else _("自治区知识产权保护中心")}
    out.append((_("总体情况"), [intro]))
    pre = by.get("prescreen")
    if pre is not None:
        v = pre.value
        sentences = [_("累计备案 %(total)s 家创新主体，期间新增备案 %(new)s 家；专利预审案件受理量 %(acc)s 件，"
                       "收到预审申请 %(rec)s 件。") % {
            "total": _n(v("entities_total")), "new": _n(v("entities_new")),
            "acc": _n(v("cases_accepted")), "rec": _n(v("cases_received"))}]
        if v("grant_days") is not None:
            sentences.append(_("发明专利授权周期由平均 %(ref)s 个月缩短到 %(days)s 天，授权率 %(rate)s%%。") % {
                "ref": _n(v("grant_cycle_reference")), "days": _n(v("grant_days")), "rate": _n(v("grant_rate"))})
        sentences.append(_("预审办结周期中位数 %(med)s 个工作日，%(within)s%% 的案件在期限内办结，预审合格率 %(q)s%%，"
                           "向国家知识产权局正式递交 %(f)s 件。") % {
            "med": _n(v("turnaround_median")), "within": _n(v("turnaround_within")),
            "q": _n(v("qualified_rate")), "f": _n(v("cnipa_filings"))})
        out.append((_("一、专利快速预审"), sentences))
    qc = by.get("quality")
    if qc is not None and qc.figures:
        out.append((_("二、预审质量"), [_("开展四级质检 %(n)s 次，差错率 %(e)s%%，预审结论与实审结果一致率 %(c)s%%。") % {
            "n": _n(qc.value("qc_checks")), "e": _n(qc.value("qc_error_rate")), "c": _n(qc.value("qc_consistency"))}]))
    ra = by.get("rightsaid")
    if ra is not None:
        v = ra.value
        sentences = [_("构建“1+12+N”知识产权维权援助工作模式，受理咨询 %(c)s 次（其中 12330 热线 %(h)s 次），"
                       "办理维权援助案件 %(a)s 件，提供展会现场服务 %(e)s 场。") % {
            "c": _n(v("consultations")), "h": _n(v("consultations_12330")), "a": _n(v("assistance_cases")),
            "e": _n(v("exhibitions"))},
            _("与法院、检察院、公安、海关等部门协作，协助处理专利侵权案件 %(p)s 件、假冒专利案件 %(f)s 件、"
              "商标侵权案件 %(t)s 件，移交有关机关 %(r)s 次。") % {
            "p": _n(v("patent_infringement")), "f": _n(v("counterfeit_patent")),
            "t": _n(v("trademark_infringement")), "r": _n(v("referrals"))}]
        if v("overseas"):
            sentences.append(_("开展海外维权指导 %(o)s 件。") % {"o": _n(v("overseas"))})
        med = by.get("mediation")
        if med is not None:
            sentences.append(_("人民调解工作站登记调解纠纷 %(d)s 件，调解成功率 %(r)s%%，申请司法确认 %(j)s 件。") % {
                "d": _n(med.value("disputes")), "r": _n(med.value("mediation_success_rate")),
                "j": _n(med.value("judicial_confirmations"))})
        out.append((_("三、维权援助网络"), sentences))
    for code, title in (("navigation", _("四、专利导航")), ("outreach", _("五、宣传培训"))):
        s = by.get(code)
        if s is not None and s.figures:
            parts = [_("%(label)s %(value)s%(unit)s") % {"label": f.label, "value": _n(f.value), "unit": f.unit}
                     for f in s.figures if f.value is not None]
            out.append((title, [_("%(items)s。") % {"items": _("，").join(parts)}]))
    return out


@report_kind("stats.work_report.pdf", _("工作报告（PDF）"), permission="stats.view_dashboard",
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
