"""Read API of people's mediation: the same scoping (station subtree; a party's organisation sees
its own disputes) and filters as the pages; the steps are recorded on the dispute page."""

from ipcenter.api import ScopedReadOnlyViewSet

from ..filters import DisputeFilterSet
from .serializers import DisputeSerializer


class DisputeViewSet(ScopedReadOnlyViewSet):
    serializer_class = DisputeSerializer
    filterset_class = DisputeFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("agreement", "confirmation").prefetch_related("parties", "sessions", "extensions")
