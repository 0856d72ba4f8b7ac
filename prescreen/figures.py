"""Pre-exam figures of the centre statistics (one provider, DB aggregation throughout).

Period rules: entities by the day their registration was decided (new) or cancelled;
cases received by submission, accepted by acceptance, refused by submission; turnaround,
correction rounds and qualified rate over cases concluded in the period; CNIPA filings by
filing date; grant rate and acceptance→grant days over outcomes recorded in the period.
Scope: the applicant's league/city (``organization__league``)."""
import math

from django.db.models import Avg, Case, Count, DurationField, ExpressionWrapper, F, Q, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.stats.aggregate import grouping_sets
from ipcenter.accounts.models import field_name
from ipcenter.stats.figures import Figure, Section, Series, Table, figure_provider, narrative, number
from ipcenter.stats.workdays import rate, turnaround

from .models import PrescreenSettings, PreExamCase, Registration

S = PreExamCase.State
R = Registration.State
SCOPE_FIELD = "organization__league"

DEFINITIONS = {
    "entities_total": gettext_lazy("截至期末审核通过备案的创新主体累计数（含其后暂停、取消的）。"),
    "entities_new": gettext_lazy("期间内审核通过备案的创新主体数（按审核日期）。"),
    "entities_active": gettext_lazy("当前处于“已备案”状态的创新主体数（时点数）。"),
    "entities_suspended": gettext_lazy("当前处于“暂停”状态的创新主体数（时点数）。"),
    "entities_cancelled": gettext_lazy("期间内被取消备案的创新主体数（按取消日期）。"),
    "cases_received": gettext_lazy("期间内提交的预审案件数（不含草稿，按提交时间）。"),
    "cases_accepted": gettext_lazy("期间内受理的预审案件数（按受理时间）。"),
    "cases_refused": gettext_lazy("期间内提交且不予受理的案件数。"),
    "turnaround_median": gettext_lazy("期间内办结（合格/不合格）案件自受理至办结的工作日数中位数（受理当日不计，节假日及调休按工作日历）。"),
    "turnaround_p90": gettext_lazy("同上，第 90 百分位（最近秩法）。"),
    "turnaround_within": gettext_lazy("同上，在预审办结期限（工作日，可配置）内办结的比例。"),
    "correction_rounds": gettext_lazy("期间内办结案件的平均补正次数。"),
    "qualified_rate": gettext_lazy("期间内办结案件中预审合格的比例：合格 ÷（合格 + 不合格）。"),
    "cnipa_filings": gettext_lazy("期间内向国家知识产权局正式递交的件数（按递交日期）。"),
    "grant_rate": gettext_lazy("期间内记录实审结果的案件中授权的比例：授权 ÷（授权 + 驳回），视为撤回不计。"),
    "grant_days": gettext_lazy("期间内授权案件自预审受理至授权的平均自然日数。"),
    "grant_cycle_reference": gettext_lazy("普通程序发明专利授权周期参考值（统计设置中可修改）。"),
    "quota_use": gettext_lazy("期间所在年度已备案主体已用预审配额 ÷ 年度配额总数。"),
}


def _league_param(scope):
    station = scope.station
    if station is not None and station.kind == "league":
        return station.pk
    return None


def _link(scope, name, **params):
    return reverse(name) + scope.list_params("league", None, league=_league_param(scope), **params)


def _labels(choices):
    return {code: str(label) for code, label in choices}


def _quota(scope, year, cfg):
    """Sum of the annual quotas of the entities registered now, and the cases they used —
    the quota rule of ``prescreen.services.annual_quota`` in two grouped aggregates."""
    registered = Registration.objects.filter(scope.station_q(SCOPE_FIELD), state=R.REGISTERED)
    orgs = registered.values("organization_id")
    n_orgs = orgs.count()
    last = (PreExamCase.objects.filter(organization__in=orgs, state=S.QUALIFIED, concluded_at__year=year - 1)
            .values("organization_id").annotate(
                q=Count("pk"), d=Count("pk", filter=~Q(cnipa_outcome="")),
                g=Count("pk", filter=Q(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT))).order_by())
    quota, with_history = 0, 0
    for row in last:  # one row per entity with qualified cases last year (aggregated)
        r = row["g"] / row["d"] if row["d"] else 1.0
        quota += max(cfg.quota_minimum, math.ceil(row["q"] * r * float(cfg.quota_growth)))
        with_history += 1
    quota += (n_orgs - with_history) * cfg.quota_minimum
    used = (PreExamCase.objects.filter(organization__in=orgs, submitted_at__year=year)
            .exclude(state__in=[S.DRAFT, S.REFUSED]).count())
    return used, quota


@figure_provider("prescreen", gettext_lazy("专利预审"), order=10)
def prescreen_figures(scope):
    from ipcenter.stats.models import StatsSettings

    p = scope.period
    in_scope = Q(scope.station_q(SCOPE_FIELD))
    cfg = PrescreenSettings.load()
    regs = Registration.objects.filter(in_scope)
    ents = regs.aggregate(
        total=Count("pk", filter=Q(state__in=[R.REGISTERED, R.SUSPENDED, R.CANCELLED],
                                   decided_at__lt=p.lookup("decided_at")["decided_at__lt"])),
        new=Count("pk", filter=Q(state__in=[R.REGISTERED, R.SUSPENDED, R.CANCELLED], **p.lookup("decided_at"))),
        active=Count("pk", filter=Q(state=R.REGISTERED)),
        suspended=Count("pk", filter=Q(state=R.SUSPENDED)),
        cancelled=Count("pk", filter=Q(state=R.CANCELLED, **p.date_lookup("cancelled_on"))),
    )
    cases = PreExamCase.objects.filter(in_scope).exclude(state=S.DRAFT)
    received_q = Q(**p.lookup("submitted_at"))
    concluded_q = Q(state__in=[S.QUALIFIED, S.UNQUALIFIED], **p.lookup("concluded_at"))
    outcome_q = Q(**p.date_lookup("cnipa_outcome_date"))
    granted_q = outcome_q & Q(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT)
    # one pass over the cases touching the period (each date column has an index)
    touching = (received_q | Q(**p.lookup("accepted_at")) | concluded_q | Q(**p.date_lookup("cnipa_filed_on"))
                | outcome_q)
    counts = cases.filter(touching).aggregate(
        received=Count("pk", filter=received_q),
        accepted=Count("pk", filter=Q(**p.lookup("accepted_at"))),
        refused=Count("pk", filter=received_q & Q(state=S.REFUSED)),
        filings=Count("pk", filter=Q(**p.date_lookup("cnipa_filed_on"))),
        granted=Count("pk", filter=granted_q),
        rejected=Count("pk", filter=outcome_q & Q(cnipa_outcome=PreExamCase.CnipaOutcome.REJECTION)),
        concluded=Count("pk", filter=concluded_q),
        qualified=Count("pk", filter=concluded_q & Q(state=S.QUALIFIED)),
        rounds=Avg("correction_rounds", filter=concluded_q),
        grant_days=Avg(ExpressionWrapper(F("cnipa_outcome_date") - TruncDate("accepted_at"),
                                         output_field=DurationField()),
                       filter=granted_q & Q(accepted_at__isnull=False)),
    )
    done = {"n": counts["concluded"], "qualified": counts["qualified"], "rounds": counts["rounds"]}
    ta = turnaround(cases.filter(concluded_q), "accepted_at", "concluded_at", cfg.turnaround_working_days)
    grant_days = counts["grant_days"]
    grant_days = round(grant_days.total_seconds() / 86400, 1) if grant_days is not None else None
    reference = StatsSettings.load().invention_cycle_months
    used, quota = _quota(scope, p.end.year, cfg)
    start, end = p.start.isoformat(), p.end.isoformat()
    list_name = "prescreen:case-list"
    reg_list = "prescreen:registration-list"
    concluded_link = _link(scope, list_name, concluded_after=start, concluded_before=end)
    figures = [
        Figure("entities_total", _("累计备案主体"), ents["total"], _("家"), _link(scope, reg_list)),
        Figure("entities_new", _("新增备案主体"), ents["new"], _("家"), _link(scope, reg_list)),
        Figure("entities_active", _("已备案主体"), ents["active"], _("家"), _link(scope, reg_list, state=R.REGISTERED)),
        Figure("entities_suspended", _("暂停主体"), ents["suspended"], _("家"),
               _link(scope, reg_list, state=R.SUSPENDED)),
        Figure("entities_cancelled", _("取消备案主体"), ents["cancelled"], _("家"),
               _link(scope, reg_list, state=R.CANCELLED)),
        Figure("cases_received", _("收到预审申请"), counts["received"], _("件"),
               _link(scope, list_name, submitted_after=start, submitted_before=end)),
        Figure("cases_accepted", _("受理案件"), counts["accepted"], _("件"),
               _link(scope, list_name, accepted_after=start, accepted_before=end)),
        Figure("cases_refused", _("不予受理"), counts["refused"], _("件"),
               _link(scope, list_name, state=S.REFUSED, submitted_after=start, submitted_before=end)),
        Figure("turnaround_median", _("办结周期中位数"), ta["median"], _("工作日"), concluded_link),
        Figure("turnaround_p90", _("办结周期 P90"), ta["p90"], _("工作日"), concluded_link),
        Figure("turnaround_within", _("%(n)s 个工作日内办结") % {"n": cfg.turnaround_working_days},
               ta["within_share"], "%", concluded_link),
        Figure("correction_rounds", _("平均补正次数"),
               round(done["rounds"], 2) if done["rounds"] is not None else None, _("次"), concluded_link),
        Figure("qualified_rate", _("预审合格率"), rate(done["qualified"], done["n"]), "%", concluded_link),
        Figure("cnipa_filings", _("向国知局正式递交"), counts["filings"], _("件"),
               _link(scope, list_name, cnipa_filed_after=start, cnipa_filed_before=end)),
        Figure("grant_rate", _("授权率"), rate(counts["granted"], counts["granted"] + counts["rejected"]), "%",
               _link(scope, list_name, cnipa_outcome_after=start, cnipa_outcome_before=end)),
        Figure("grant_days", _("受理至授权平均天数"), grant_days, _("天"),
               _link(scope, list_name, cnipa_outcome=PreExamCase.CnipaOutcome.GRANT, cnipa_outcome_after=start,
                     cnipa_outcome_before=end),
               note=_("普通程序参考：%(m)s 个月") % {"m": reference}),
        Figure("grant_cycle_reference", _("普通发明授权周期（参考）"), reference, _("个月")),
        Figure("quota_use", _("%(y)s 年度配额使用率") % {"y": p.end.year}, rate(used, quota), "%",
               note=_("已用 %(u)s / 配额 %(q)s") % {"u": used, "q": quota}),
    ]
    if not scope.detail:
        return Section(figures=figures, definitions=dict(DEFINITIONS))
    states = _labels(S.choices)
    parts = grouping_sets(
        cases.filter(received_q),
        {"state": ["state"], "field": ["technical_field__name"], "league": ["organization__league__name"],
         "applicant": ["organization__name"]},
        sums={"q": Case(When(state=S.QUALIFIED, then=1), default=0),
              "g": Case(When(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT, then=1), default=0)})
    by_state = [(states.get(r["state"], r["state"]), r["n"]) for r in sorted(parts["state"], key=lambda r: r["state"])]
    by_field = [(field_name(r["technical_field__name"]) or _("（未指定）"), r["n"]) for r in
                sorted(parts["field"], key=lambda r: (-r["n"], r["technical_field__name"] or ""))]
    by_league = [(r["organization__league__name"] or _("（未指定）"), r["n"]) for r in
                 sorted(parts["league"], key=lambda r: (-r["n"], r["organization__league__name"] or ""))]
    by_applicant = [[r["organization__name"], r["n"], r["q"], r["g"]] for r in
                    sorted(parts["applicant"], key=lambda r: (-r["n"], r["organization__name"]))[:15]]
    return Section(
        figures=figures,
        tables=[
            Table("by_state", _("按状态（期间内提交）"), [_("状态"), _("件数")], [list(r) for r in by_state]),
            Table("by_field", _("按技术领域"), [_("技术领域"), _("件数")], [list(r) for r in by_field]),
            Table("by_league", _("按盟市"), [_("盟市"), _("件数")], [list(r) for r in by_league]),
            Table("by_applicant", _("申请量前 15 位申请人"), [_("申请人"), _("件数"), _("合格"), _("授权")],
                  by_applicant),
        ],
        series=[
            Series("by_field", _("按技术领域"), "pie", by_field),
            Series("by_league", _("按盟市"), "bar", [(name.replace("知识产权保护分中心", ""), n) for name, n in by_league]),
            Series("by_state", _("按状态"), "bar", by_state),
        ],
        definitions={k: v for k, v in DEFINITIONS.items()},
    )


@narrative("prescreen", title=gettext_lazy("专利快速预审"))
def prescreen_narrative(section, sections):
    v = section.value
    sentences = [_("累计备案 %(total)s 家创新主体，期间新增备案 %(new)s 家；专利预审案件受理量 %(acc)s 件，"
                   "收到预审申请 %(rec)s 件。") % {
        "total": number(v("entities_total")), "new": number(v("entities_new")),
        "acc": number(v("cases_accepted")), "rec": number(v("cases_received"))}]
    if v("grant_days") is not None:
        sentences.append(_("发明专利授权周期由平均 %(ref)s 个月缩短到 %(days)s 天，授权率 %(rate)s%%。") % {
            "ref": number(v("grant_cycle_reference")), "days": number(v("grant_days")),
            "rate": number(v("grant_rate"))})
    sentences.append(_("预审办结周期中位数 %(med)s 个工作日，%(within)s%% 的案件在期限内办结，预审合格率 %(q)s%%，"
                       "向国家知识产权局正式递交 %(f)s 件。") % {
        "med": number(v("turnaround_median")), "within": number(v("turnaround_within")),
        "q": number(v("qualified_rate")), "f": number(v("cnipa_filings"))})
    return sentences
