from django.urls import path

from . import views

urlpatterns = [
    path("", views.SectionsView.as_view(), name="api-stats"),
    path("<slug:code>/", views.SectionView.as_view(), name="api-stats-section"),
]
