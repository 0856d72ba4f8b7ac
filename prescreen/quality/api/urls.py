from rest_framework.routers import DefaultRouter

from .views import QualityCheckViewSet, ErrorTypeViewSet, FeedbackViewSet, SampleViewSet, StatsViewSet

router = DefaultRouter()
router.register("checks", QualityCheckViewSet, basename="quality-check")
router.register("samples", SampleViewSet, basename="quality-sample")
router.register("feedback", FeedbackViewSet, basename="quality-feedback")
router.register("error-types", ErrorTypeViewSet, basename="quality-error-type")
router.register("stats", StatsViewSet, basename="quality-stats")

urlpatterns = router.urls
