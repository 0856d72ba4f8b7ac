"""Centre-wide figures: the platform overview used by the dashboard and its PDF/XLSX."""
from django.contrib.auth.models import Group
from django.db.models import Count, Q

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, Station, User


def platform_overview():
    leagues = list(
        Station.objects.leagues().annotate(
            org_count=Count("organizations", distinct=True),
            active_org_count=Count("organizations", filter=Q(organizations__status="active"), distinct=True),
        ).order_by("path")
    )
    station_counts = {}
    for s in Station.objects.exclude(kind__in=[Station.Kind.CENTRE, Station.Kind.LEAGUE]).values_list("path", flat=True):
        league_code = s.split("/")[1] if s.count("/") >= 2 else ""
        station_counts[league_code] = station_counts.get(league_code, 0) + 1
    for league in leagues:
        league.workstations = station_counts.get(league.code, 0)
    role_counts = dict(Group.objects.filter(name__in=roles.ALL_ROLES)
                       .annotate(n=Count("user", filter=Q(user__is_active=True))).values_list("name", "n"))
    by_kind = dict(Station.objects.values_list("kind").annotate(n=Count("pk")))
    return {
        "leagues": leagues,
        "stations_total": Station.objects.exclude(kind=Station.Kind.CENTRE).count(),
        "stations_by_kind": [(label, by_kind.get(code, 0)) for code, label in Station.Kind.choices
                             if code != Station.Kind.CENTRE],
        "organizations_by_status": [(label, Organization.objects.filter(status=code).count())
                                    for code, label in Organization.Status.choices],
        "users_by_role": [(label, role_counts.get(code, 0)) for code, label in roles.ROLE_CHOICES],
        "users_total": User.objects.filter(is_active=True).count(),
    }
