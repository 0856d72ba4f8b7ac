"""Background jobs over the API: request one (kind + params, an import's ``input`` file as
multipart) — the kind's parameter form answers field errors (400) and nothing is created — and
poll its progress."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ipcenter.api import ScopedViewSetMixin

from . import services
from .models import ReportJob
from .registry import REPORT_KINDS


class ReportJobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    errors_url = serializers.SerializerMethodField()
    input = serializers.FileField(write_only=True, required=False, label="导入文件")
    title = serializers.CharField(source="display_title", read_only=True)
    row_errors = serializers.SerializerMethodField(
        help_text="[行, 列, 问题] of the first row errors, the problem in the reader's language")

    class Meta:
        model = ReportJob
        fields = ["id", "kind", "direction", "title", "params", "status", "progress", "message", "error",
                  "row_errors", "error_count", "counters", "created_at", "finished_at", "expires_at",
                  "result_name", "download_url", "errors_url", "input"]
        read_only_fields = ["id", "direction", "title", "status", "progress", "message", "error", "row_errors",
                            "error_count", "counters", "created_at", "finished_at", "expires_at", "result_name",
                            "download_url", "errors_url"]

    @extend_schema_field({"type": "array", "items": {"type": "array", "items": {
        "oneOf": [{"type": "integer"}, {"type": "string"}]},
                                                     "minItems": 3, "maxItems": 3}})
    def get_row_errors(self, obj):
        return [list(e) for e in obj.shown_row_errors()]

    def get_download_url(self, obj) -> str | None:
        return reverse("reports:download", args=[obj.pk]) if obj.status == ReportJob.Status.DONE and obj.result \
            else None

    def get_errors_url(self, obj) -> str | None:
        return reverse("reports:errors", args=[obj.pk]) if obj.error_report else None

    def validate_kind(self, value):
        spec = REPORT_KINDS.get(value)
        if spec is None or not spec.requestable:
            requestable = sorted(k for k, s in REPORT_KINDS.items() if s.requestable)
            raise serializers.ValidationError("未知的任务类型。可选：" + "、".join(requestable))
        return value

    def validate_params(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("参数应为对象（JSON object）。")
        return value


class ReportJobViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                       mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Request a job (POST kind + params) and poll its progress."""

    serializer_class = ReportJobSerializer
    filterset_fields = ["status", "kind"]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        try:
            job = services.request_job(data["kind"], request.user, params=data.get("params") or {},
                                       input_file=data.get("input"))
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc))
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"params": exc.messages}
            if "file" in detail:
                detail["input"] = detail.pop("file")
            return Response({"params": {k: v for k, v in detail.items() if k != "input"}, **(
                {"input": detail["input"]} if "input" in detail else {})}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ReportJobSerializer(job).data, status=status.HTTP_201_CREATED)
