from django.urls import path

from . import public, staff_views, views

app_name = "outreach"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/new/", views.EventEditView.as_view(), name="event-create"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/edit/", views.EventEditView.as_view(), name="event-edit"),
    path("events/<int:pk>/checkin/", views.CheckInView.as_view(), name="checkin"),
    path("events/<int:pk>/walk-in/", views.WalkInView.as_view(), name="walk-in"),
    path("events/<int:pk>/materials/", views.MaterialUploadView.as_view(), name="material-upload"),
    path("site/events/<int:pk>/materials/<uuid:att_id>/", views.material_download, name="material"),
    path("ticket/<str:code>/materials/<int:pk>/<uuid:att_id>/", views.material_download, name="ticket-material"),
    path("events/<int:pk>/export/", views.ExportView.as_view(), name="event-export"),
    path("registrations/<int:pk>/<str:action>/", views.RegistrationActionView.as_view(), name="registration-action"),
    path("my/", views.MyRegistrationsView.as_view(), name="my-registrations"),
    path("ticket/<str:code>/", views.TicketView.as_view(), name="ticket"),
    path("ticket/<str:code>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("ticket/<str:code>/certificate/", views.CertificateView.as_view(), name="certificate"),
    path("ticket/<str:code>/feedback/", views.FeedbackView.as_view(), name="feedback"),
    path("articles/", staff_views.ArticleListView.as_view(), name="article-list"),
    path("articles/new/", staff_views.ArticleEditView.as_view(), name="article-create"),
    path("articles/<int:pk>/", staff_views.ArticleEditView.as_view(), name="article-edit"),
    path("publications/", staff_views.PublicationListView.as_view(), name="publication-list"),
    path("publications/new/", staff_views.PublicationEditView.as_view(), name="publication-create"),
    path("publications/<int:pk>/", staff_views.PublicationEditView.as_view(), name="publication-edit"),
    path("publications/import/", staff_views.ReachImportView.as_view(), name="reach-import"),
    path("bases/", staff_views.BaseListView.as_view(), name="base-list"),
    path("bases/<int:pk>/", staff_views.BaseDetailView.as_view(), name="base-detail"),
    # the public site
    path("site/", public.home, name="public-home"),
    path("site/news/", public.articles, name="public-articles"),
    path("site/news/<str:kind>/", public.articles, name="public-articles-kind"),
    path("site/articles/<int:pk>/", public.article, name="public-article"),
    path("site/guides/", public.guides, name="public-guides"),
    path("site/events/", public.events, name="public-events"),
    path("site/events/<int:pk>/", public.event, name="public-event"),
    path("site/events/<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("site/events/<int:pk>/calendar.ics", views.event_ics_view, name="event-ics"),
    path("site/publications/", public.publications, name="public-publications"),
    path("site/bases/", public.bases, name="public-bases"),
    path("site/certificates/<int:pk>/<str:digest>/", views.certificate_verify, name="certificate-verify"),
]
