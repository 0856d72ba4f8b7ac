"""Shared REST API pieces: pagination, error handling and the scoped viewset base."""
from rest_framework import serializers, viewsets

from ipcenter.querysets import require_scoped


class ScopedViewSetMixin:
    """API twin of ScopedObjectMixin: querysets start from ``visible_to``."""

    model = None

    def refine_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        model = self.model or self.serializer_class.Meta.model
        qs = model._default_manager.visible_to(self.request.user)
        return require_scoped(self.refine_queryset(qs), type(self).__name__)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
