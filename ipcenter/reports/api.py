from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ipcenter.api import ScopedViewSetMixin

from . import services
from .models import ReportJob
from .registry import REPORT_KINDS


class ReportJobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = ["id", "kind", "title", "params", "status", "progress", "message", "error", "created_at",
                  "finished_at", "result_name", "download_url"]
        read_only_fields = ["id", "title", "status", "progress", "message", "error", "created_at", "finished_at",
                            "result_name", "download_url"]

    def get_download_url(self, obj) -> str | None:
        from django.urls import reverse

        return reverse("reports:download", args=[obj.pk]) if obj.status == ReportJob.Status.DONE else None

    def validate_kind(self, value):
        if value not in REPORT_KINDS:
            raise serializers.ValidationError("未知的报表类型。可选：" + "、".join(sorted(REPORT_KINDS)))
        return value


class ReportJobViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                       mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Request a report (POST kind + params) and poll its progress."""

    serializer_class = ReportJobSerializer
    filterset_fields = ["status", "kind"]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            job = services.request_report(ser.validated_data["kind"], request.user,
                                          params=ser.validated_data.get("params") or {})
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc))
        return Response(ReportJobSerializer(job).data, status=status.HTTP_201_CREATED)
