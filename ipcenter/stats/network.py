"""The core's own section: the "1+12+N" station network and registered organisations."""
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.accounts.models import Organization, Station

from .figures import Figure, Section, Series, Table, figure_provider


@figure_provider("network", gettext_lazy("工作站网络"), order=90)
def network_figures(scope):
    stations = scope.stations.stations().exclude(kind=Station.Kind.CENTRE)
    kinds = dict(Station.Kind.choices)
    by_kind = [[str(kinds.get(r["kind"], r["kind"])), r["n"]]
               for r in stations.values("kind").annotate(n=Count("pk")).order_by("kind")]
    orgs = Organization.objects.filter(scope.station_q("league"))
    org_agg = orgs.aggregate(n=Count("pk"), active=Count("pk", filter=Q(status=Organization.Status.ACTIVE)),
                             new=Count("pk", filter=Q(**scope.period.lookup("created_at"))))
    leagues = [[r["league__name"] or _("（未指定）"), r["n"]] for r in
               orgs.values("league__name").annotate(n=Count("pk")).order_by("-n", "league__name")]
    return Section(
        figures=[
            Figure("stations", _("分中心及工作站"), stations.count(), _("个")),
            Figure("organizations", _("注册单位"), org_agg["n"], _("家")),
            Figure("organizations_active", _("已启用单位"), org_agg["active"], _("家")),
            Figure("organizations_new", _("期间新注册单位"), org_agg["new"], _("家")),
        ],
        tables=[Table("stations_by_kind", _("工作站按类型"), [_("类型"), _("个数")], by_kind),
                Table("organizations_by_league", _("注册单位按盟市"), [_("盟市"), _("家数")], leagues)],
        series=[Series("organizations_by_league", _("各盟市注册单位"), "bar",
                       [(name.replace("知识产权保护分中心", ""), n) for name, n in leagues])],
        definitions={"stations": _("统计范围内的分中心、工作站（时点数）。"),
                     "organizations_new": _("期间内在平台注册的单位数（按注册时间）。")},
    )
