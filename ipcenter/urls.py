"""Root URL configuration."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from ipcenter import views
from ipcenter.plugins import registry
from ipcenter.api_urls import urlpatterns as api_v1

handler404 = "ipcenter.views.error_404"
handler500 = "ipcenter.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("ipcenter.accounts.urls")),
    path("notifications/", include("ipcenter.notify.urls")),
    path("files/", include("ipcenter.files.urls")),
    path("reports/", include("ipcenter.reports.urls")),
    path("deadlines/", include("ipcenter.deadlines.urls")),
    path("stats/", include("ipcenter.stats.urls")),
    # each area app declares its URL root in its AppConfig (ipcenter.plugins)
    *[path(prefix, include(urlconf)) for prefix, urlconf in registry().urls],
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves its init script as a same-origin file: the CSP allows no inline script
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
