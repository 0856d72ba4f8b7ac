from rest_framework.routers import DefaultRouter

from .views import AssistanceCaseViewSet, ConsultationViewSet, ExhibitionComplaintViewSet, ExhibitionViewSet

router = DefaultRouter()
router.register("consultations", ConsultationViewSet, basename="rightsaid-consultation")
router.register("cases", AssistanceCaseViewSet, basename="rightsaid-case")
router.register("exhibitions", ExhibitionViewSet, basename="rightsaid-exhibition")
router.register("complaints", ExhibitionComplaintViewSet, basename="rightsaid-complaint")

urlpatterns = router.urls
