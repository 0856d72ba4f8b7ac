"""Read API of people's mediation (the same scoping and filters as the pages; the steps are
recorded on the dispute page, where consents carry their signed documents)."""
from rest_framework.exceptions import PermissionDenied

from ipcenter.api import ScopedReadOnlyViewSet

from ..filters import DisputeFilterSet
from ..models import is_case_worker
from .serializers import DisputeSerializer


class DisputeViewSet(ScopedReadOnlyViewSet):
    serializer_class = DisputeSerializer
    filterset_class = DisputeFilterSet

    def refine_queryset(self, qs):
        if not getattr(self, "swagger_fake_view", False) and not is_case_worker(self.request.user):
            raise PermissionDenied()
        return qs.select_related("agreement", "confirmation").prefetch_related("parties", "sessions", "extensions")
