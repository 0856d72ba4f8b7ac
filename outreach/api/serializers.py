"""Serializers of the outreach API."""
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
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
    """``pdf_url``: where the current PDF (a journal issue's) downloads — the public address for a
    published publication, the scoped file download (staff only) for one not published; null
    without a PDF."""

    pdf_url = serializers.SerializerMethodField()  # the viewset puts the page's PDFs in the context (one query)
    #: an uploaded PDF (multipart) becomes the publication's file, the next version of the one it had
    pdf = serializers.FileField(write_only=True, required=False, allow_null=True)

    class Meta:
        model = Publication
        fields = ["id", "kind", "title", "channel", "number", "published_on", "url", "summary", "views", "likes",
                  "shares", "published", "pdf_url", "pdf"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf_url(self, obj):
        from django.urls import reverse

        pdfs = self.context.get("pdfs")
        att = pdfs.get(obj.pk) if pdfs is not None else None
        if att is None:
            return None
        path = (reverse("outreach:public-publication-pdf", args=[obj.pk]) if obj.published
                else reverse("files:download", args=[att.pk]))
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PracticeBaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeBase
        fields = ["id", "name", "industry_chain", "host_organization", "league", "opened_on", "firms"]


class PublicPracticeBaseSerializer(serializers.ModelSerializer):
    """For anyone: the firms by name, never an organisation's internal id."""

    firms = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    league_name = serializers.CharField(source="league.name", read_only=True)

    class Meta:
        model = PracticeBase
        fields = ["id", "name", "industry_chain", "host_organization", "league", "league_name", "opened_on", "firms"]
