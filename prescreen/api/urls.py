"""/api/v1/prescreen/: registrations, cases, opinions and the defect catalogue."""
from rest_framework.routers import DefaultRouter

from .views import CaseViewSet, DefectTypeViewSet, OpinionViewSet, RegistrationViewSet

router = DefaultRouter()
router.register("registrations", RegistrationViewSet, basename="prescreen-registration")
router.register("cases", CaseViewSet, basename="prescreen-case")
router.register("opinions", OpinionViewSet, basename="prescreen-opinion")
router.register("defect-types", DefectTypeViewSet, basename="prescreen-defect-type")

urlpatterns = router.urls
