from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/<str:kind>/", views.request_job, name="request"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="download"),
    path("jobs/<uuid:pk>/errors.xlsx", views.job_errors, name="errors"),
    path("jobs/<uuid:pk>/rerun/", views.job_rerun, name="rerun"),
]
