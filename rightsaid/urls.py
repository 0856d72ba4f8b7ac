from django.urls import path

from . import views

app_name = "rightsaid"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("consultations/", views.ConsultationListView.as_view(), name="consultation-list"),
    path("consultations/new/", views.ConsultationCreateView.as_view(), name="consultation-create"),
    path("consultations/<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation-detail"),
    path("consultations/<int:pk>/convert/", views.ConvertView.as_view(), name="consultation-convert"),
    path("consultations/<int:pk>/transfer/", views.ConsultationTransferView.as_view(),
         name="consultation-transfer"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/new/", views.CaseCreateView.as_view(), name="case-create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/do/<str:name>/", views.CaseTransitionView.as_view(), name="case-transition"),
    path("cases/<int:pk>/refer/", views.ReferView.as_view(), name="case-refer"),
    path("cases/<int:pk>/close/", views.CloseView.as_view(), name="case-close"),
    path("cases/<int:pk>/evidence/", views.EvidenceView.as_view(), name="case-evidence"),
    path("cases/<int:pk>/opinion/", views.ExpertOpinionView.as_view(), name="case-opinion"),
    path("cases/<int:pk>/transfer/", views.CaseTransferView.as_view(), name="case-transfer"),
    path("referrals/<int:pk>/feedback/", views.FeedbackView.as_view(), name="referral-feedback"),
    path("request/", views.OnlineRequestView.as_view(), name="request"),
    path("my/", views.MyRequestsView.as_view(), name="my-requests"),
    path("exhibitions/", views.ExhibitionListView.as_view(), name="exhibition-list"),
    path("exhibitions/new/", views.ExhibitionCreateView.as_view(), name="exhibition-create"),
    path("exhibitions/<int:pk>/", views.ExhibitionDetailView.as_view(), name="exhibition-detail"),
    path("exhibitions/<int:pk>/complaints/new/", views.ComplaintCreateView.as_view(), name="complaint-create"),
    path("complaints/", views.ComplaintListView.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint-detail"),
    path("complaints/<int:pk>/answer/", views.AnswerView.as_view(), name="complaint-answer"),
    path("complaints/<int:pk>/decide/", views.DecideView.as_view(), name="complaint-decide"),
]
