"""/api/v1/: one router for the platform, each app adds its own under its prefix."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ipcenter.accounts.api import MeView, OrganizationViewSet, StationViewSet
from ipcenter.api_token import obtain_auth_token
from ipcenter.deadlines.api import DeadlineViewSet
from ipcenter.notify.api import NotificationViewSet
from ipcenter.plugins import registry
from ipcenter.reports.api import ReportJobViewSet

router = DefaultRouter()
router.register("stations", StationViewSet, basename="station")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("report-jobs", ReportJobViewSet, basename="reportjob")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    *[path(prefix, include(urlconf)) for prefix, urlconf in registry().api_urls],
    path("", include(router.urls)),
]
