from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:kind>/", views.export, name="export"),
    path("refresh/", views.refresh, name="refresh"),
]
