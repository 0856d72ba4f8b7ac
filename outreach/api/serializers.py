"""Serializers of the outreach API."""
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import Event, PracticeBase, Publication, Registration, mobile_validator


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "title", "kind", "station", "description", "venue", "online_url", "starts_at", "ends_at",
                  "hours", "capacity", "registration_opens", "registration_closes", "audience", "invite_code",
                  "requires_approval", "materials_public", "published"]


class PublicEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "title", "kind", "station", "description", "venue", "online_url", "starts_at", "ends_at",
                  "hours", "capacity", "audience", "requires_approval"]


@extend_schema_serializer(component_name="EventRegistration")
class RegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Registration
        fields = ["id", "event", "name", "organization_name", "mobile", "email", "state", "source", "code",
                  "created_at", "waiting_since", "checked_in_at", "no_show"]
        read_only_fields = ["state", "source", "code", "created_at", "waiting_since", "checked_in_at", "no_show"]


class AccountRegistrationSerializer(serializers.Serializer):
    """A signed-in user registers for a published event, as on the page: name and organisation
    default to the account's."""

    event = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    mobile = serializers.CharField(max_length=11, validators=[mobile_validator])
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    organization_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    invite_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class WalkInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    organization_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    mobile = serializers.CharField(max_length=11, validators=[mobile_validator])
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["id", "kind", "title", "channel", "number", "published_on", "url", "summary", "views", "likes",
                  "shares", "published"]


class PracticeBaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeBase
        fields = ["id", "name", "industry_chain", "host_organization", "league", "opened_on", "firms"]
