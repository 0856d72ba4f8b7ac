"""People's-mediation figures of the centre statistics.

Disputes by registration time; success rate and duration over mediations that ended in
the period (agreement — confirmed or not — versus failure; withdrawals not counted);
judicial confirmations by application date.  Scope: the receiving station's subtree."""
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.stats.figures import Figure, Section, Table, figure_provider, narrative, number
from ipcenter.stats.workdays import rate

from .models import Dispute, JudicialConfirmation

D = Dispute.State
SUCCESS = [D.AGREEMENT, D.CONFIRMED]

DEFINITIONS = {
    "disputes": gettext_lazy("期间内登记的调解纠纷数。"),
    "mediation_success_rate": gettext_lazy("期间内结束调解的纠纷中达成调解协议的比例：协议 ÷（协议 + 调解不成），撤回不计。"),
    "mediation_avg_days": gettext_lazy("期间内结束调解的纠纷自开始调解至结束的平均自然日数。"),
    "judicial_confirmations": gettext_lazy("期间内申请司法确认的调解协议数；“确认有效”为法院裁定确认的数目。"),
}


@figure_provider("mediation", gettext_lazy("人民调解"), order=35)
def mediation_figures(scope):
    p = scope.period
    disputes = Dispute.objects.filter(scope.station_q("station"))
    registered = disputes.filter(**p.lookup("created_at"))
    ended = disputes.filter(state__in=[*SUCCESS, D.FAILED], **p.lookup("ended_at"))
    agg = ended.aggregate(
        n=Count("pk"), success=Count("pk", filter=Q(state__in=SUCCESS)),
        avg=Avg(ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField()),
                filter=Q(started_at__isnull=False)))
    confirmations = JudicialConfirmation.objects.filter(scope.station_q("dispute__station"),
                                                        **p.date_lookup("applied_on"))
    conf = confirmations.aggregate(n=Count("pk"), confirmed=Count("pk", filter=Q(result="confirmed")))
    avg_days = round(agg["avg"].total_seconds() / 86400, 1) if agg["avg"] is not None else None
    params = scope.list_params("station", scope.station, created_after=p.start.isoformat(),
                               created_before=p.end.isoformat())
    states = {code: str(label) for code, label in D.choices}
    return Section(
        figures=[
            Figure("disputes", _("登记调解纠纷"), registered.count(), _("件"), reverse("mediation:index") + params),
            Figure("mediations_ended", _("调解结束"), agg["n"], _("件")),
            Figure("agreements", _("达成调解协议"), agg["success"], _("件")),
            Figure("mediation_success_rate", _("调解成功率"), rate(agg["success"], agg["n"]), "%"),
            Figure("mediation_avg_days", _("平均调解用时"), avg_days, _("天")),
            Figure("judicial_confirmations", _("申请司法确认"), conf["n"], _("件")),
            Figure("judicial_confirmed", _("司法确认有效"), conf["confirmed"], _("件")),
        ],
        tables=[Table("disputes_by_state", _("期间内登记纠纷按状态"), [_("状态"), _("件数")],
                      [[states.get(r["state"], r["state"]), r["n"]]
                       for r in registered.values("state").annotate(n=Count("pk")).order_by("state")])],
        definitions=dict(DEFINITIONS),
    )


@narrative("mediation", part_of="rightsaid")
def mediation_narrative(section, sections):
    return [_("人民调解工作站登记调解纠纷 %(d)s 件，调解成功率 %(r)s%%，申请司法确认 %(j)s 件。") % {
        "d": number(section.value("disputes")), "r": number(section.value("mediation_success_rate")),
        "j": number(section.value("judicial_confirmations"))}]
