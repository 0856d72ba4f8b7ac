"""Serializers of the quality API (writes go through prescreen.quality.services)."""
from decimal import Decimal

from rest_framework import serializers

from ipcenter.api import BoundedSerializerMixin
from ipcenter.validators import Span, event_date, past_date

from ..models import QualityCheck, CheckError, ErrorType, FeedbackItem, FixTask, Level, Sample


class ErrorTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ErrorType
        fields = ["id", "code", "category", "severity", "description"]


class CheckErrorSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckError
        fields = ["id", "error_type", "defect_item", "comment"]


class FixTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = FixTask
        fields = ["id", "reason", "state", "fix_note", "created_at", "done_at"]


class QualityCheckSerializer(serializers.ModelSerializer):
    errors = CheckErrorSerializer(many=True, read_only=True)
    fix_task = FixTaskSerializer(read_only=True)

    class Meta:
        model = QualityCheck
        fields = ["id", "level", "opinion", "case", "examiner", "reviewer", "sample", "appeal_of", "appeal_reason",
                  "state", "outcome", "score", "comment", "overturned", "created_at", "completed_at", "errors",
                  "fix_task"]
        read_only_fields = fields


class SampleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sample
        fields = ["id", "level", "period_start", "period_end", "share", "seed", "population", "selected",
                  "drawn_by", "drawn_at"]
        read_only_fields = ["population", "selected", "drawn_by", "drawn_at"]


class SampleCreateSerializer(BoundedSerializerMixin, serializers.Serializer):
    bounds = {"period_start": past_date, "period_end": event_date}
    spans = (Span("period_start", "period_end"),)

    level = serializers.ChoiceField(choices=Level.choices, help_text="department 或 centre（互检不抽样）")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    share = serializers.DecimalField(max_digits=3, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal(1), required=False,
                                     allow_null=True, default=None)
    seed = serializers.IntegerField(min_value=1, max_value=2**53, required=False, allow_null=True, default=None)


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackItem
        fields = ["id", "case", "opinion", "examiner", "conclusion", "cnipa_outcome", "cnipa_reasons", "consistent",
                  "missed", "note", "created_at"]


class AddErrorSerializer(serializers.Serializer):
    error_type = serializers.PrimaryKeyRelatedField(queryset=ErrorType.objects.filter(active=True))
    comment = serializers.CharField(max_length=2000)
    defect_item = serializers.IntegerField(required=False, allow_null=True, default=None)


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=QualityCheck.Outcome.choices)
    score = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True, default=None)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AppealReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class FixSerializer(serializers.Serializer):
    fix_note = serializers.CharField(max_length=5000)
