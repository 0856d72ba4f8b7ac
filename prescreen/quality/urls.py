from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("checks/", views.QualityCheckListView.as_view(), name="check-list"),
    path("checks/<int:pk>/", views.QualityCheckDetailView.as_view(), name="check-detail"),
    path("samples/new/", views.SampleCreateView.as_view(), name="sample-create"),
    path("samples/<int:pk>/", views.SampleDetailView.as_view(), name="sample-detail"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback-list"),
    path("stats/", views.StatsView.as_view(), name="stats"),
]
