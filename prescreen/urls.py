from django.urls import path

from . import views

app_name = "prescreen"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("registrations/apply/", views.RegistrationCreateView.as_view(), name="registration-create"),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration-detail"),
    path("registrations/<int:pk>/do/<str:action>/", views.RegistrationActionView.as_view(),
         name="registration-action"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/new/", views.CaseCreateView.as_view(), name="case-create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/edit/", views.CaseEditView.as_view(), name="case-edit"),
    path("cases/<int:pk>/documents/", views.CaseDocumentsView.as_view(), name="case-documents"),
    path("cases/<int:pk>/review/", views.CaseReviewView.as_view(), name="case-review"),
    path("cases/<int:pk>/do/<str:action>/", views.CaseActionView.as_view(), name="case-action"),
    path("cases/<int:pk>/correction/", views.CorrectionView.as_view(), name="case-correction"),
    path("cases/<int:pk>/cnipa-filing/", views.CnipaFilingView.as_view(), name="case-cnipa-filing"),
    path("cases/<int:pk>/cnipa-outcome/", views.CnipaOutcomeView.as_view(), name="case-cnipa-outcome"),
    path("queue/", views.QueueView.as_view(), name="queue"),
    path("queue/claim/", views.ClaimNextView.as_view(), name="claim-next"),
    path("cases/<int:pk>/claim/", views.ClaimCaseView.as_view(), name="case-claim"),
    path("queue/mine/", views.MyCasesView.as_view(), name="my-cases"),
    path("workload/", views.WorkloadView.as_view(), name="workload"),
    path("opinions/<int:pk>/", views.OpinionView.as_view(), name="opinion-edit"),
    path("opinions/<int:pk>/letter.pdf", views.OpinionLetterView.as_view(), name="opinion-letter"),
]
