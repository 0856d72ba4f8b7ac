"""Quality-check figures of the centre statistics: the quality app's own statistics
(``prescreen.quality.stats.quality_stats``) for the period, presented as a section.

Quality checks belong to the centre's examiners, not to a station: the section covers the
whole centre and is left empty (with a note) for a league or station scope."""
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.stats.figures import Figure, Section, Series, Table, figure_provider, narrative, number

from .stats import completed_checks, quality_stats

DEFINITIONS = {
    "qc_checks": gettext_lazy("期间内完成的质检次数（不含申诉改判的）。"),
    "qc_error_rate": gettext_lazy("有差错的质检次数 ÷ 完成的质检次数。"),
    "qc_avg_score": gettext_lazy("完成质检的平均得分。"),
    "qc_consistency": gettext_lazy("实审反馈中预审结论与国知局结果一致的比例（授权/驳回可比，视为撤回不计）。"),
}


def by_league(user, start, end):
    """Error rate and average score of the completed checks by the league/city of the case's
    applicant (one grouped aggregate; checks overturned on appeal not counted)."""
    rows = (completed_checks(user, start, end)
            .values("case__organization__league__name")
            .annotate(n=Count("pk"), with_errors=Count("pk", filter=Q(has_error=True)), avg=Avg("score"))
            .order_by("-n", "case__organization__league__name"))
    return [{"label": r["case__organization__league__name"] or _("（未指定）"), "checks": r["n"],
             "with_errors": r["with_errors"],
             "error_rate": round(r["with_errors"] * 100 / r["n"], 1) if r["n"] else 0.0,
             "avg_score": round(r["avg"], 1) if r["avg"] is not None else None} for r in rows]


@figure_provider("quality", gettext_lazy("四级质检"), order=20)
def quality_figures(scope):
    if not scope.is_whole_centre:
        return Section(note=_("质检统计按全中心口径，不分盟市和工作站。"))
    p = scope.period
    data = quality_stats(scope.user, p.start, p.end)
    total, consistency = data["total"], data["consistency"]
    span = {"date_from": p.start.isoformat(), "date_to": p.end.isoformat()}
    link = reverse("quality:stats") + "?" + urlencode(span)
    checks_link = reverse("quality:check-list") + "?" + urlencode(
        {"state": "done", "completed_after": p.start.isoformat(), "completed_before": p.end.isoformat()})
    feedback_link = reverse("quality:feedback-list") + "?" + urlencode(
        {"created_after": p.start.isoformat(), "created_before": p.end.isoformat()})
    figures = [
        Figure("qc_checks", _("完成质检"), total["checks"], _("次"), checks_link),
        Figure("qc_error_rate", _("差错率"), total["error_rate"], "%", link),
        Figure("qc_avg_score", _("平均得分"), total["avg_score"], _("分"), link),
        Figure("qc_consistency", _("与实审结果一致率"), consistency["rate"], "%", feedback_link,
               note=_("可比 %(n)s 件") % {"n": consistency["total"]}),
    ]
    if not scope.detail:
        return Section(figures=figures, definitions=dict(DEFINITIONS))
    leagues = by_league(scope.user, p.start, p.end)
    return Section(
        figures=figures,
        tables=[
            Table("by_level", _("按层级"), [_("层级"), _("质检次数"), _("有差错"), _("差错率（%）"), _("平均得分")],
                  [[r["label"], r["checks"], r["with_errors"], r["error_rate"], r["avg_score"]]
                   for r in data["by_level"]]),
            Table("by_league", _("按盟市（申请人所在）"),
                  [_("盟市"), _("质检次数"), _("有差错"), _("差错率（%）"), _("平均得分")],
                  [[r["label"], r["checks"], r["with_errors"], r["error_rate"], r["avg_score"]] for r in leagues]),
            Table("by_category", _("按差错类别"), [_("类别"), _("涉及质检"), _("差错数"), _("差错率（%）")],
                  [[r["label"], r["checks"], r["errors"], r["error_rate"]] for r in data["by_category"]]),
        ],
        series=[Series("by_level", _("各层级差错率（%）"), "bar",
                       [(r["label"], r["error_rate"]) for r in data["by_level"]]),
                Series("by_league", _("各盟市差错率（%）"), "bar",
                       [(r["label"].replace("知识产权保护分中心", ""), r["error_rate"]) for r in leagues])],
        definitions=dict(DEFINITIONS),
    )


@narrative("quality", title=gettext_lazy("预审质量"))
def quality_narrative(section, sections):
    return [_("开展四级质检 %(n)s 次，差错率 %(e)s%%，预审结论与实审结果一致率 %(c)s%%。") % {
        "n": number(section.value("qc_checks")), "e": number(section.value("qc_error_rate")),
        "c": number(section.value("qc_consistency"))}]
