from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("events", views.EventViewSet, basename="outreach-event")
router.register("registrations", views.RegistrationViewSet, basename="outreach-registration")
router.register("publications", views.PublicationViewSet, basename="outreach-publication")
router.register("practice-bases", views.PracticeBaseViewSet, basename="outreach-base")
router.register("public/events", views.PublicEventViewSet, basename="outreach-public-event")
router.register("public/publications", views.PublicPublicationViewSet, basename="outreach-public-publication")
router.register("public/practice-bases", views.PublicPracticeBaseViewSet, basename="outreach-public-base")

urlpatterns = router.urls
