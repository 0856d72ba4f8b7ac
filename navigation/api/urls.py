from rest_framework.routers import DefaultRouter

from .views import ImportViewSet, PatentViewSet, PhaseViewSet, ProjectViewSet, ReportViewSet

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="navigation-project")
router.register("phases", PhaseViewSet, basename="navigation-phase")
router.register("imports", ImportViewSet, basename="navigation-import")
router.register("patents", PatentViewSet, basename="navigation-patent")
router.register("reports", ReportViewSet, basename="navigation-report")

urlpatterns = router.urls
