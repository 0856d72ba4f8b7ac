"""The analyst's home panel: their projects and running imports."""
from .models import NavigationProject, PatentImport


def home_panel(request):
    projects = NavigationProject.objects.visible_to(request.user).order_by("-created_at")[:5]
    running = PatentImport.objects.visible_to(request.user).filter(
        status__in=[PatentImport.Status.QUEUED, PatentImport.Status.RUNNING]).select_related("attachment")[:5]
    return {"template": "navigation/_home_panel.html", "projects": projects, "running": running}


def client_panel(request):
    """A client organisation's users: the delivered navigation reports of its projects (none: no panel)."""
    from .models import NavigationReport

    reports = list(NavigationReport.objects.visible_to(request.user).filter(delivered=True)
                   .select_related("project").order_by("-delivered_at")[:5])
    if not reports:
        return None
    return {"template": "navigation/_client_panel.html", "reports": reports}
