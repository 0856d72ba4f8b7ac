"""Statistics of outreach: events, registrations, attendance, person-times trained and the
reach of the media matrix by channel and month — one scoped pure function, database aggregates."""
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from ipcenter.stats.figures import Figure, Section, Series, Table, figure_provider

from .models import Channel, Event, Publication, Registration


@figure_provider("outreach", _("宣传培训"), order=60)
def outreach_figures(scope):
    events = Event.objects.filter(scope.station_q("station"), published=True, **scope.period.lookup("starts_at"))
    ev = events.aggregate(n=Count("pk"), trainings=Count("pk", filter=Q(kind=Event.Kind.TRAINING)))
    regs = Registration.objects.filter(event__in=events.values("pk"))
    r = regs.aggregate(
        confirmed=Count("pk", filter=Q(state=Registration.State.CONFIRMED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        hours=Sum("event__hours", filter=Q(checked_in_at__isnull=False)))
    rate = round(100 * r["attended"] / r["confirmed"], 1) if r["confirmed"] else 0
    pubs = Publication.objects.filter(published=True, **scope.period.date_lookup("published_on"))
    p = pubs.aggregate(n=Count("pk"), views=Sum("views"))
    figures = [
        Figure("events", _("活动场次"), ev["n"], unit=_("场")),
        Figure("trainings", _("培训场次"), ev["trainings"], unit=_("场")),
        Figure("registrations", _("确认报名"), r["confirmed"], unit=_("人")),
        Figure("attendance", _("参训人次"), r["attended"], unit=_("人次")),
        Figure("attendance_rate", _("到场率"), rate, unit="%"),
        Figure("training_hours", _("培训学时（人·学时）"), float(r["hours"] or 0)),
        Figure("publications", _("宣传作品"), p["n"], unit=_("件")),
        Figure("media_views", _("阅读/播放量"), p["views"] or 0, unit=_("次")),
    ]
    if not scope.detail:
        return Section(figures=figures)
    # reach by channel and month: one grouped query, pivoted here
    cells = (pubs.annotate(month=TruncMonth("published_on")).values("month", "channel")
             .annotate(n=Count("pk"), views=Sum("views"), likes=Sum("likes"), shares=Sum("shares")).order_by("month"))
    by_channel, by_month = {}, {}
    for row in cells:
        total = by_channel.setdefault(row["channel"], {"n": 0, "views": 0, "likes": 0, "shares": 0})
        for k in total:
            total[k] += row[k] or 0
        by_month.setdefault(row["month"], {})[row["channel"]] = row["views"] or 0
    channels = Channel.choices
    months = sorted(by_month)
    return Section(
        figures=figures,
        tables=[Table("reach_by_channel", str(_("各渠道传播数据")),
                      [str(_("渠道")), str(_("作品")), str(_("阅读/播放")), str(_("点赞")), str(_("转发"))],
                      [[str(label), *(by_channel.get(code, {}).get(k, 0) for k in ("n", "views", "likes", "shares"))]
                       for code, label in channels]),
                Table("reach_by_channel_month", str(_("各渠道月度阅读/播放量")),
                      [str(_("月份")), *(str(label) for _code, label in channels), str(_("合计"))],
                      [[m.strftime("%Y-%m"), *(by_month[m].get(code, 0) for code, _label in channels),
                        sum(by_month[m].values())] for m in months])],
        series=[Series("reach_by_month", str(_("月度阅读/播放量")), "bar",
                       [(m.strftime("%Y-%m"), sum(by_month[m].values())) for m in months])],
    )
