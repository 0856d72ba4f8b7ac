"""Serializers of the mediation API: the dispute as read, and the input of each step."""
from django.utils.translation import gettext as _
from rest_framework import serializers

from ipcenter.accounts.models import Station
from ipcenter.api import BoundedSerializerMixin
from ipcenter.validators import Span, amount_yuan, event_date, past_date
from rightsaid.models import IPType

from ..models import Agreement, Dispute, Extension, JudicialConfirmation, Party, MediationSession


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "role", "name", "contact", "consent_given_at"]


class MediationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationSession
        fields = ["id", "held_on", "mode", "place", "attendees", "notes"]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["reason", "old_due_date", "new_due_date"]


class AgreementSerializer(serializers.ModelSerializer):
    verification_path = serializers.CharField(source="get_verification_path", read_only=True)

    class Meta:
        model = Agreement
        fields = ["number", "terms", "signed_on", "content_hash", "verification_path"]


class ConfirmationSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudicialConfirmation
        fields = ["applied_on", "court", "result", "decided_on", "note"]


class DisputeSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    sessions = MediationSessionSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    agreement = AgreementSerializer(read_only=True)
    confirmation = ConfirmationSerializer(read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "number", "station", "subject", "ip_type", "amount", "description", "state", "mediator",
                  "due_date", "started_at", "ended_at", "referral", "failure_note", "created_at", "parties",
                  "sessions", "extensions", "agreement", "confirmation"]
        read_only_fields = fields


# --- input of the write actions (each calls one service) --------------------------------------

class MediationPartyInputSerializer(serializers.Serializer):
    # a plain string (validated below) so the schema reuses no second "role" enum name
    role = serializers.CharField(help_text="applicant（申请人）/ respondent（被申请人）")
    name = serializers.CharField(max_length=150)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_role(self, value):
        if value not in Party.Role.values:
            raise serializers.ValidationError(_("“%(v)s”不是合法选项。") % {"v": value})
        return value


class MediationDisputeCreateSerializer(serializers.Serializer):
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.filter(active=True), required=False,
                                                 allow_null=True, default=None)
    subject = serializers.CharField(max_length=200)
    ip_type = serializers.ChoiceField(choices=IPType.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None,
                                      validators=[amount_yuan])
    description = serializers.CharField(required=False, allow_blank=True, default="")
    parties = MediationPartyInputSerializer(many=True)


class MediationCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MediationConsentSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    document = serializers.FileField()


class MediationAssignSerializer(serializers.Serializer):
    mediator = serializers.IntegerField()
    declaration = serializers.CharField()
    confirmed = serializers.BooleanField()


class MediationSessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(validators=[past_date])
    mode = serializers.ChoiceField(choices=MediationSession.Mode.choices)
    place = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    attendees = serializers.CharField(max_length=300)
    notes = serializers.CharField()


class MediationExtendSerializer(serializers.Serializer):
    new_due_date = serializers.DateField(validators=[event_date])
    reason = serializers.CharField()


class MediationAgreementInputSerializer(serializers.Serializer):
    terms = serializers.CharField()
    signed_on = serializers.DateField(validators=[past_date])


class MediationFailSerializer(serializers.Serializer):
    referral = serializers.ChoiceField(choices=Dispute.Referral.choices)
    note = serializers.CharField()


class MediationConfirmationInputSerializer(BoundedSerializerMixin, serializers.Serializer):
    bounds = {"applied_on": past_date, "decided_on": past_date}
    spans = (Span("applied_on", "decided_on", message="裁定日期不能早于申请日期。"),)

    applied_on = serializers.DateField()
    court = serializers.CharField(max_length=150)
    result = serializers.ChoiceField(choices=JudicialConfirmation.Result.choices)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
