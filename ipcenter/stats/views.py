"""Centre dashboard: every registered figure provider for a chosen period and scope."""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipcenter.reports import charts
from ipcenter.reports.services import request_report

from .figures import OPENED_ON
from .selection import resolve_scope, scope_label, scope_params, user_stations
from .snapshots import figures_for, refresh_now

EXPORT_KINDS = ("stats.report.pdf", "stats.report.xlsx", "stats.work_report.pdf")


def render_chart(series, width=560):
    points = [(str(label), value or 0) for label, value in series.points]
    if not points:
        return ""
    if series.kind == "pie":
        return charts.pie_chart(points, title=str(series.title), width=width)
    return charts.bar_chart(points, title=str(series.title), width=width)


def station_choices(user):
    stations = user_stations(user).stations().only("code", "name", "path", "kind").order_by("path")
    return [(s.code, ("　" * max(0, s.depth - 1)) + s.name) for s in stations]


@login_required
def dashboard(request):
    """The figures come from snapshots (``snapshots.figures_for``): while the first one of a
    scope and period is computed the page says so and polls (htmx asks for the sections only)."""
    try:
        scope = resolve_scope(request.user, request.GET)
    except ValidationError as exc:
        if not request.user.has_perm("stats.view_dashboard") or user_stations(request.user).is_nothing:
            raise PermissionDenied
        return render(request, "stats/dashboard.html", _context(request, None, exc.message_dict), status=400)
    ctx = _context(request, scope, {})
    if request.headers.get("HX-Request") == "true":
        return render(request, "stats/_sections.html", ctx)
    return render(request, "stats/dashboard.html", ctx)


def updated_label(moment):
    """"HH:MM" today, "MM-DD HH:MM" otherwise (local time)."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M}" if local.date() == timezone.localdate() else f"{local:%m-%d %H:%M}"


def _context(request, scope, errors):
    today = timezone.localdate()
    ctx = {
        "errors": errors, "params": request.GET, "stations": station_choices(request.user),
        "years": list(range(today.year, OPENED_ON.year - 1, -1)), "months": range(1, 13), "quarters": range(1, 5),
        "export_kinds": EXPORT_KINDS, "today": today,
    }
    if scope is not None:
        figures = figures_for(scope, compare=True)
        for section in figures.sections or ():
            section.charts = [render_chart(s) for s in section.series]
        ctx.update(scope=scope, figures=figures, sections=figures.sections, scope_label=scope_label(scope),
                   scope_params=scope_params(scope), previous=scope.period.previous(),
                   last_year=scope.period.last_year(), poll_url=request.get_full_path(),
                   updated=updated_label(figures.computed_at) if figures.computed_at else "")
    return ctx


@login_required
@require_POST
def refresh(request):
    """「立即刷新」: queue a recompute of the scope's snapshots (checked first; at most one per
    snapshot every ``STATS_REFRESH_MIN_INTERVAL`` seconds and one request per user every 10 s)."""
    try:
        scope = resolve_scope(request.user, request.POST)
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect("stats:dashboard")
    back = reverse("stats:dashboard") + "?" + urlencode(scope_params(scope))
    if not cache.add(f"stats:refresh:{request.user.pk}", 1, timeout=10):
        messages.warning(request, _("刷新太频繁，请稍后再试。"))
    elif refresh_now(scope):
        messages.success(request, _("已开始重新计算统计数据，完成后页面会显示新的更新时间。"))
    else:
        messages.info(request, _("统计数据刚刚更新过或正在计算，请稍后再试。"))
    return redirect(back)


@login_required
@require_POST
def export(request, kind):
    """Start a report job for the period and scope of the form (checked first)."""
    if kind not in EXPORT_KINDS:
        raise Http404
    try:
        scope = resolve_scope(request.user, request.POST)
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect("stats:dashboard")
    job = request_report(kind, request.user, params=scope_params(scope))
    return redirect(job.get_absolute_url())
