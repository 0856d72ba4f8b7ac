"""REST API of accounts."""
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ipcenter.api import ScopedReadOnlyViewSet

from .filters import OrganizationFilterSet, StationFilterSet
from .models import Organization, Station, User


class StationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = ["id", "code", "name", "kind", "parent", "path", "address", "phone", "active"]


class OrganizationSerializer(serializers.ModelSerializer):
    league_name = serializers.CharField(source="league.name", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "uscc", "kind", "league", "league_name", "technical_fields", "address",
                  "contact_name", "contact_phone", "contact_email", "status", "created_at"]


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "organization", "station", "roles"]

    def get_roles(self, obj) -> list[str]:
        return sorted(obj.roles)


class StationViewSet(ScopedReadOnlyViewSet):
    serializer_class = StationSerializer
    filterset_class = StationFilterSet
    ordering_fields = ["path", "name"]
    search_fields = ["name", "code"]


class OrganizationViewSet(ScopedReadOnlyViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "created_at", "status"]

    def refine_queryset(self, queryset):
        return queryset.select_related("league").prefetch_related("technical_fields")


class MeView(APIView):
    """The signed-in user with roles, organisation and station."""

    serializer_class = UserSerializer

    def get(self, request):
        return Response(UserSerializer(request.user).data)
