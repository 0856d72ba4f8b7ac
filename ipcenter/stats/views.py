"""Centre dashboard: every registered figure provider for a chosen period and scope."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipcenter.reports import charts
from ipcenter.reports.services import request_report

from .figures import OPENED_ON
from .selection import resolve_scope, scope_label, scope_params, sections, user_stations

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
    try:
        scope = resolve_scope(request.user, request.GET)
    except ValidationError as exc:
        if not request.user.has_perm("stats.view_dashboard") or user_stations(request.user).is_nothing:
            raise PermissionDenied
        return render(request, "stats/dashboard.html", _context(request, None, exc.message_dict), status=400)
    return render(request, "stats/dashboard.html", _context(request, scope, {}))


def _context(request, scope, errors):
    today = timezone.localdate()
    ctx = {
        "errors": errors, "params": request.GET, "stations": station_choices(request.user),
        "years": list(range(today.year, OPENED_ON.year - 1, -1)), "months": range(1, 13), "quarters": range(1, 5),
        "export_kinds": EXPORT_KINDS, "today": today,
    }
    if scope is not None:
        data = sections(scope, compare=True)
        for section in data:
            section.charts = [render_chart(s) for s in section.series]
        ctx.update(scope=scope, sections=data, scope_label=scope_label(scope), scope_params=scope_params(scope),
                   previous=scope.period.previous(), last_year=scope.period.last_year())
    return ctx


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
