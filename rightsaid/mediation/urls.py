from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.DisputeListView.as_view(), name="index"),
    path("new/", views.DisputeCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DisputeDetailView.as_view(), name="detail"),
    path("<int:pk>/do/<str:step>/", views.DisputeActionView.as_view(), name="action"),
    path("<int:pk>/agreement.pdf", views.AgreementPdfView.as_view(), name="agreement-pdf"),
    # public: opened from the QR code on the agreement
    path("verify/<str:token>/<str:prefix>/", views.VerifyView.as_view(), name="verify"),
]
