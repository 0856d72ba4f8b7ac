"""Centre dashboard."""
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from ipcenter.reports import charts

from .services import platform_overview

# Other apps add dashboard sections: callables(request) -> {"title", "template", ...}
DASHBOARD_SECTIONS = []


@permission_required("stats.view_dashboard", raise_exception=True)
def dashboard(request):
    data = platform_overview()
    sections = [s(request) for s in DASHBOARD_SECTIONS]
    return render(request, "stats/dashboard.html", {
        "data": data,
        "org_chart": charts.bar_chart([(lg.short_name, lg.org_count) for lg in data["leagues"]], width=720),
        "station_chart": charts.pie_chart([(str(label), n) for label, n in data["stations_by_kind"]], width=520),
        "sections": [s for s in sections if s],
    })
