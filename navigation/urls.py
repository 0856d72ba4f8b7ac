from django.urls import path

from . import views

app_name = "navigation"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project-edit"),
    path("projects/<int:pk>/upload/", views.ImportUploadView.as_view(), name="import-upload"),
    path("projects/<int:pk>/analyses/", views.AnalysisView.as_view(), name="analyses"),
    path("projects/<int:pk>/analyses/<str:section>/", views.AnalysisView.as_view(), name="analysis"),
    path("projects/<int:pk>/chain/", views.ChainEditView.as_view(), name="chain"),
    path("projects/<int:pk>/chain/links/<int:link_pk>/", views.ChainLinkView.as_view(), name="chain-link"),
    path("projects/<int:pk>/report/", views.ReportCreateView.as_view(), name="report-create"),
    path("phases/<int:pk>/edit/", views.PhaseEditView.as_view(), name="phase-edit"),
    path("phases/<int:pk>/done/", views.PhaseDoneView.as_view(), name="phase-done"),
    path("phases/<int:pk>/deliverable/", views.PhaseDeliverableView.as_view(), name="phase-deliverable"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/progress/", views.ImportProgressView.as_view(), name="import-progress"),
    path("patents/", views.PatentListView.as_view(), name="patent-list"),
    path("reports/", views.ClientReportsView.as_view(), name="client-reports"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/progress/", views.ReportProgressView.as_view(), name="report-progress"),
    path("reports/<int:pk>/deliver/", views.ReportDeliverView.as_view(), name="report-deliver"),
    path("reports/<int:pk>/download/<str:fmt>/", views.ReportDownloadView.as_view(), name="report-download"),
    path("aliases/", views.AliasView.as_view(), name="aliases"),
]
