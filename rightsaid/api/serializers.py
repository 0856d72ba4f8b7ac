"""Serializers of the rights-assistance API (writes go through services)."""
from rest_framework import serializers

from ipcenter.accounts.models import Station
from ipcenter.api import BoundedSerializerMixin
from ipcenter.validators import Span, amount_yuan, event_date, minutes_in_a_day

from ..models import AssistanceCase, Consultation, EvidenceItem, Exhibition, ExhibitionComplaint, Referral


class ConsultationSerializer(BoundedSerializerMixin, serializers.ModelSerializer):
    bounds = {"duration_minutes": minutes_in_a_day}
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), required=False)

    class Meta:
        model = Consultation
        fields = ["id", "channel", "topic", "ip_type", "requester_name", "requester_contact", "requester_org_name",
                  "question", "answer", "duration_minutes", "station", "handled_by", "created_at", "converted_case"]
        read_only_fields = ["handled_by", "created_at", "converted_case"]


class EvidenceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceItem
        fields = ["id", "description", "source", "created_at"]


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "authority", "authority_name", "note", "referred_at", "feedback", "feedback_at"]
        read_only_fields = fields


class AssistanceCaseSerializer(BoundedSerializerMixin, serializers.ModelSerializer):
    bounds = {"amount_claimed": amount_yuan}
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    evidence_items = EvidenceItemSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)

    class Meta:
        model = AssistanceCase
        fields = ["id", "number", "kind", "case_type", "channel", "title", "description", "respondent",
                  "requester_name", "requester_org", "station", "state", "decline_reason", "outcome",
                  "outcome_note", "amount_claimed", "amount_recovered", "expert_opinion", "country",
                  "overseas_station", "requesting_authority", "created_at", "closed_at", "evidence_items", "referrals"]
        read_only_fields = ["number", "requester_org", "state", "decline_reason", "outcome", "outcome_note",
                            "amount_recovered", "expert_opinion", "created_at", "closed_at"]


class ExhibitionSerializer(BoundedSerializerMixin, serializers.ModelSerializer):
    bounds = {"start_date": event_date, "end_date": event_date}
    spans = (Span("start_date", "end_date", max_days=60),)

    class Meta:
        model = Exhibition
        fields = ["id", "name", "venue", "start_date", "end_date", "station"]


class ExhibitionComplaintSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExhibitionComplaint
        fields = ["id", "exhibition", "complainant", "respondent", "booth", "ip_type", "description", "state",
                  "answer", "answered_at", "outcome", "repeat_infringer", "created_at"]
        read_only_fields = ["state", "answer", "answered_at", "outcome", "repeat_infringer", "created_at"]


class ConvertSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssistanceCase.Kind.choices, default="assistance")
    case_type = serializers.ChoiceField(choices=AssistanceCase.CaseType.choices, default="patent_infringement")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReferSerializer(serializers.Serializer):
    authority = serializers.ChoiceField(choices=Referral.Authority.choices)
    authority_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class FeedbackSerializer(serializers.Serializer):
    referral = serializers.IntegerField()
    feedback = serializers.CharField(max_length=5000)


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AssistanceCase.Outcome.choices)
    outcome_note = serializers.CharField(required=False, allow_blank=True, default="")
    amount_claimed = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                              default=None, validators=[amount_yuan])
    amount_recovered = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                                default=None, validators=[amount_yuan])


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)


class DecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ExhibitionComplaint.Outcome.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
