"""The analyst's home panel: their projects and running imports."""
from .models import NavigationProject, PatentImport


def home_panel(request):
    projects = NavigationProject.objects.visible_to(request.user).order_by("-created_at")[:5]
    running = PatentImport.objects.visible_to(request.user).filter(
        status__in=[PatentImport.Status.QUEUED, PatentImport.Status.RUNNING]).select_related("attachment")[:5]
    return {"template": "navigation/_home_panel.html", "projects": projects, "running": running}
