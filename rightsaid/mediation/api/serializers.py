from rest_framework import serializers

from ..models import Agreement, Dispute, Extension, JudicialConfirmation, Party, Session


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "role", "name", "contact", "consent_given_at"]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
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
    sessions = SessionSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    agreement = AgreementSerializer(read_only=True)
    confirmation = ConfirmationSerializer(read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "number", "station", "subject", "ip_type", "amount", "description", "state", "mediator",
                  "due_date", "started_at", "ended_at", "referral", "failure_note", "created_at", "parties",
                  "sessions", "extensions", "agreement", "confirmation"]
        read_only_fields = fields
