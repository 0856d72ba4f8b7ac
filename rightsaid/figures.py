"""Rights-assistance figures of the centre statistics (DB aggregation throughout).

Period rules: consultations, assistance cases, complaints by registration time; outcomes
and amounts recovered by closing time; referrals by referral time; exhibitions by their
first day.  Scope: the handling station's subtree."""
import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import deadlines_of
from ipcenter.stats.aggregate import grouping_sets
from ipcenter.stats.figures import Figure, Section, Series, Table, figure_provider, narrative, number
from ipcenter.stats.workdays import rate

from .models import (AssistanceCase, Channel, Consultation, Exhibition, ExhibitionComplaint, IPType, Referral,
                     RightsaidSettings)
from .services import REVIEW

K = AssistanceCase.Kind

DEFINITIONS = {
    "consultations": gettext_lazy("期间内登记的咨询数（12330 热线、来访、电话、网上、转办）。"),
    "cases": gettext_lazy("期间内登记的维权援助、举报投诉、执法协助与海外维权指导案件数。"),
    "assistance_cases": gettext_lazy("其中类别为“维权援助”的案件数。"),
    "review_on_time": gettext_lazy("期间内登记的案件中，受理审查在期限（工作日，可配置）内完成的比例（已完成审查的案件为分母）。"),
    "referrals": gettext_lazy("期间内移交法院、检察院、公安、海关等机关的次数。"),
    "referral_feedback_on_time": gettext_lazy("期间内移交且在反馈期限（自然日，可配置）内收到反馈的比例。"),
    "exhibitions": gettext_lazy("期间内开幕的展会现场服务数。"),
    "exhibition_complaints": gettext_lazy("期间内受理的展会现场投诉数。"),
    "overseas": gettext_lazy("期间内登记的海外维权指导案件数。"),
    "amount_claimed": gettext_lazy("期间内登记案件的请求金额合计（元）。"),
    "amount_recovered": gettext_lazy("期间内结案案件的挽回损失合计（元）。"),
}


def _labels(choices):
    return {code: str(label) for code, label in choices}


def _rows(qs, key, labels=None, limit=None):
    rows = qs.values(key).annotate(n=Count("pk")).order_by("-n", key)
    rows = rows[:limit] if limit else rows
    return _table(rows, key, labels)


def _table(rows, key, labels=None):
    """[label, n] rows of grouped counts, most first (ties by key)."""
    rows = sorted(rows, key=lambda r: (-r["n"], "" if r[key] is None else str(r[key])))
    return [[(labels or {}).get(r[key], r[key]) or _("（未填写）"), r["n"]] for r in rows]


def _money(value):
    return float(round(value, 2)) if value is not None else 0.0


@figure_provider("rightsaid", gettext_lazy("维权援助"), order=30)
def rightsaid_figures(scope):
    p = scope.period
    cfg = RightsaidSettings.load()
    span = {"created_after": p.start.isoformat(), "created_before": p.end.isoformat()}

    def link(name, **extra):
        return reverse(name) + scope.list_params("station", scope.station, **span, **extra)

    closed_link = reverse("rightsaid:case-list") + scope.list_params(
        "station", scope.station, state=AssistanceCase.State.CLOSED, closed_after=p.start.isoformat(),
        closed_before=p.end.isoformat())

    consultations = Consultation.objects.filter(scope.station_q("station"), **p.lookup("created_at"))
    # one scan per table: the figures and the breakdowns are grouping sets of the same rows
    cons = grouping_sets(consultations, {"total": [], "channel": ["channel"], "ip_type": ["ip_type"]})
    cons_total = cons["total"][0]["n"]
    by_cons_channel = {r["channel"]: r["n"] for r in cons["channel"]}
    all_cases = AssistanceCase.objects.filter(scope.station_q("station"))
    cases = all_cases.filter(**p.lookup("created_at"))
    case_sets = {"total": [], "kind": ["kind"], "case_type": ["case_type"]}
    if scope.detail:
        case_sets.update(channel=["channel"], station=["station__name"], country=["kind", "country"])
    parts = grouping_sets(cases, case_sets, sums={"claimed": F("amount_claimed")})
    by_kind = {r["kind"]: r["n"] for r in parts["kind"]}
    by_case_type = {r["case_type"]: r["n"] for r in parts["case_type"]}
    agg = {"n": parts["total"][0]["n"], "claimed": parts["total"][0]["claimed"]}
    closed = all_cases.filter(state=AssistanceCase.State.CLOSED, **p.lookup("closed_at"))
    closed_parts = grouping_sets(closed, {"total": [], **({"outcome": ["outcome"]} if scope.detail else {})},
                                 sums={"recovered": F("amount_recovered")})
    recovered = {"n": closed_parts["total"][0]["n"], "s": closed_parts["total"][0]["recovered"]}
    review = (deadlines_of(cases, REVIEW).filter(state=Deadline.State.MET)
              .aggregate(n=Count("pk"), on_time=Count("pk", filter=Q(closed_at__lte=F("due_at")))))
    referrals = Referral.objects.filter(scope.station_q("case__station"), **p.lookup("referred_at"))
    limit = dt.timedelta(days=cfg.referral_feedback_days)
    ref = referrals.aggregate(
        n=Count("pk"), answered=Count("pk", filter=Q(feedback_at__isnull=False)),
        on_time=Count("pk", filter=Q(feedback_at__lte=F("referred_at") + limit)))
    exhibitions = Exhibition.objects.filter(scope.station_q("station"), **p.date_lookup("start_date"))
    complaints = ExhibitionComplaint.objects.filter(scope.station_q("exhibition__station"), **p.lookup("created_at"))
    answer_limit = dt.timedelta(hours=cfg.exhibition_answer_hours)
    comp = complaints.aggregate(
        n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=Q(answered_at__lte=F("created_at") + answer_limit)),
        repeat=Count("pk", filter=Q(repeat_infringer=True)))
    figures = [
        Figure("consultations", _("咨询"), cons_total, _("次"), link("rightsaid:consultation-list")),
        Figure("consultations_12330", _("其中 12330 热线"), by_cons_channel.get(Channel.HOTLINE, 0), _("次"),
               link("rightsaid:consultation-list", channel=Channel.HOTLINE)),
        Figure("consultations_walk_in", _("其中来访"), by_cons_channel.get(Channel.WALK_IN, 0), _("次"),
               link("rightsaid:consultation-list", channel=Channel.WALK_IN)),
        Figure("consultations_online", _("其中网上"), by_cons_channel.get(Channel.ONLINE, 0), _("次"),
               link("rightsaid:consultation-list", channel=Channel.ONLINE)),
        Figure("cases", _("登记案件"), agg["n"], _("件"), link("rightsaid:case-list")),
        Figure("assistance_cases", _("维权援助案件"), by_kind.get(K.ASSISTANCE, 0), _("件"),
               link("rightsaid:case-list", kind=K.ASSISTANCE)),
        Figure("complaint_cases", _("举报投诉"), by_kind.get(K.COMPLAINT, 0), _("件"), link("rightsaid:case-list", kind=K.COMPLAINT)),
        Figure("enforcement_cases", _("执法协助"), by_kind.get(K.ENFORCEMENT, 0), _("件"),
               link("rightsaid:case-list", kind=K.ENFORCEMENT)),
        Figure("patent_infringement", _("专利侵权案件"), by_case_type.get(AssistanceCase.CaseType.PATENT_INFRINGEMENT, 0), _("件"),
               link("rightsaid:case-list", case_type=AssistanceCase.CaseType.PATENT_INFRINGEMENT)),
        Figure("counterfeit_patent", _("假冒专利案件"), by_case_type.get(AssistanceCase.CaseType.COUNTERFEIT_PATENT, 0), _("件"),
               link("rightsaid:case-list", case_type=AssistanceCase.CaseType.COUNTERFEIT_PATENT)),
        Figure("trademark_infringement", _("商标侵权案件"), by_case_type.get(AssistanceCase.CaseType.TRADEMARK_INFRINGEMENT, 0), _("件"),
               link("rightsaid:case-list", case_type=AssistanceCase.CaseType.TRADEMARK_INFRINGEMENT)),
        Figure("cases_closed", _("结案"), recovered["n"], _("件"), closed_link),
        Figure("review_on_time", _("%(n)s 个工作日内完成受理审查") % {"n": cfg.review_working_days},
               rate(review["on_time"], review["n"]), "%", note=_("已审查 %(n)s 件") % {"n": review["n"]}),
        Figure("referrals", _("移交有关机关"), ref["n"], _("次")),
        Figure("referral_feedback_on_time", _("按期收到反馈"), rate(ref["on_time"], ref["n"]), "%",
               note=_("已反馈 %(a)s 次") % {"a": ref["answered"]}),
        Figure("exhibitions", _("展会现场服务"), exhibitions.count(), _("场"), link("rightsaid:exhibition-list")),
        Figure("exhibition_complaints", _("展会现场投诉"), comp["n"], _("件"), link("rightsaid:complaint-list")),
        Figure("exhibition_answer_on_time", _("被投诉方按时答辩"), rate(comp["on_time"], comp["n"]), "%"),
        Figure("exhibition_repeat", _("重复侵权标记"), comp["repeat"], _("件"),
               link("rightsaid:complaint-list", repeat_infringer="1")),
        Figure("overseas", _("海外维权指导"), by_kind.get(K.OVERSEAS, 0), _("件"), link("rightsaid:case-list", kind=K.OVERSEAS)),
        Figure("amount_claimed", _("涉案请求金额"), _money(agg["claimed"]), _("元"), link("rightsaid:case-list")),
        Figure("amount_recovered", _("挽回损失"), _money(recovered["s"]), _("元"), closed_link),
    ]
    if not scope.detail:
        return Section(figures=figures, definitions=dict(DEFINITIONS))
    authorities = _labels(Referral.Authority.choices)
    ref_rows = [[authorities.get(r["authority"], r["authority"]), r["n"], r["answered"], r["on_time"]] for r in
                referrals.values("authority").annotate(
                    n=Count("pk"), answered=Count("pk", filter=Q(feedback_at__isnull=False)),
                    on_time=Count("pk", filter=Q(feedback_at__lte=F("referred_at") + limit)))
                .order_by("-n", "authority")]
    channels, kinds = _labels(Channel.choices), _labels(K.choices)
    types, outcomes = _labels(AssistanceCase.CaseType.choices), _labels(AssistanceCase.Outcome.choices)
    by_channel = _table(cons["channel"], "channel", channels)
    by_type = _table(parts["case_type"], "case_type", types)
    return Section(
        figures=figures,
        tables=[
            Table("consultations_by_channel", _("咨询按渠道"), [_("渠道"), _("次数")], by_channel),
            Table("consultations_by_topic", _("咨询按知识产权类型"), [_("类型"), _("次数")],
                  _table(cons["ip_type"], "ip_type", _labels(IPType.choices))),
            Table("consultations_top_topics", _("咨询主题（前 10）"), [_("主题"), _("次数")],
                  _rows(consultations, "topic", limit=10)),
            Table("cases_by_kind", _("案件按类别"), [_("类别"), _("件数")], _table(parts["kind"], "kind", kinds)),
            Table("cases_by_type", _("案件按类型"), [_("类型"), _("件数")], by_type),
            Table("cases_by_channel", _("案件按渠道"), [_("渠道"), _("件数")],
                  _table(parts["channel"], "channel", channels)),
            Table("cases_by_station", _("案件按工作站"), [_("工作站"), _("件数")],
                  _table(parts["station"], "station__name")),
            Table("cases_by_outcome", _("结案按结果"), [_("结果"), _("件数")],
                  _table(closed_parts["outcome"], "outcome", outcomes)),
            Table("referrals_by_authority", _("移交机关"), [_("机关"), _("移交"), _("已反馈"), _("按期反馈")], ref_rows),
            Table("overseas_by_country", _("海外维权指导按国家/地区"), [_("国家/地区"), _("件数")],
                  _table([r for r in parts["country"] if r["kind"] == K.OVERSEAS], "country")),
        ],
        series=[
            Series("consultations_by_channel", _("咨询渠道"), "pie", by_channel),
            Series("cases_by_type", _("案件类型"), "bar", by_type),
        ],
        definitions=dict(DEFINITIONS),
    )


@narrative("rightsaid", title=gettext_lazy("维权援助网络"))
def rightsaid_narrative(section, sections):
    v = section.value
    sentences = [_("构建“1+12+N”知识产权维权援助工作模式，受理咨询 %(c)s 次（其中 12330 热线 %(h)s 次），"
                   "办理维权援助案件 %(a)s 件，提供展会现场服务 %(e)s 场。") % {
        "c": number(v("consultations")), "h": number(v("consultations_12330")), "a": number(v("assistance_cases")),
        "e": number(v("exhibitions"))},
        _("与法院、检察院、公安、海关等部门协作，协助处理专利侵权案件 %(p)s 件、假冒专利案件 %(f)s 件、"
          "商标侵权案件 %(t)s 件，移交有关机关 %(r)s 次。") % {
        "p": number(v("patent_infringement")), "f": number(v("counterfeit_patent")),
        "t": number(v("trademark_infringement")), "r": number(v("referrals"))}]
    if v("overseas"):
        sentences.append(_("开展海外维权指导 %(o)s 件。") % {"o": number(v("overseas"))})
    return sentences
