"""REST API of notifications: list own, mark read."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ipcenter.api import ScopedViewSetMixin

from . import services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    # in the viewer's language (the stored row keeps the source text and its parameters)
    title = serializers.CharField(source="display_title", read_only=True)
    body = serializers.CharField(source="display_body", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at"]


class NotificationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    model = Notification
    serializer_class = NotificationSerializer
    filterset_fields = []

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        n = self.get_object()
        services.mark_read(request.user, [n.pk])
        n.refresh_from_db()
        return Response(NotificationSerializer(n).data)

    @extend_schema(request=None, responses=inline_serializer(
        "NotificationsMarked", fields={"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"])
    def read_all(self, request):
        return Response({"marked": services.mark_read(request.user)})
