"""Mediation API: the same scoping (station subtree; a party's organisation sees its own
disputes) and FilterSet as the pages; every write is one service call, refused with 400
(rule, Chinese field errors) or 403 (not a mediation worker)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ipcenter.api import ScopedViewSetMixin, call_service, validated

from .. import services
from ..filters import DisputeFilterSet
from ..models import is_case_worker
from . import serializers as s


class DisputeViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """人民调解纠纷：列表与筛选（与页面相同）、登记，以及同意、指派、调解会、延期、协议、调解不成、司法确认等各步。"""

    serializer_class = s.DisputeSerializer
    filterset_class = DisputeFilterSet

    def refine_queryset(self, qs):
        return (qs.select_related("agreement", "confirmation")
                .prefetch_related("parties", "sessions", "extensions").order_by("-created_at", "-pk"))

    def _worker(self):
        if not is_case_worker(self.request.user):
            raise exceptions.PermissionDenied(services.WORKER_ONLY)

    def _dispute(self):
        dispute = self.get_object()  # 404 for a dispute the user may not see
        self._worker()
        return dispute

    def _respond(self, dispute, created=False):
        dispute = self.get_queryset().get(pk=dispute.pk)
        return Response(s.DisputeSerializer(dispute).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.MediationDisputeCreateSerializer, responses=s.DisputeSerializer)
    def create(self, request):
        self._worker()
        data = validated(s.MediationDisputeCreateSerializer, request)
        parties = [dict(p) for p in data.pop("parties")]
        dispute = call_service(services.create_dispute, request.user, parties=parties, **data)
        return self._respond(dispute, created=True)

    @extend_schema(request=s.MediationPartyInputSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def parties(self, request, pk=None):
        dispute = self._dispute()
        call_service(services.add_party, dispute, request.user, **validated(s.MediationPartyInputSerializer, request))
        return self._respond(dispute, created=True)

    @extend_schema(request={"multipart/form-data": s.MediationConsentSerializer}, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        dispute = self._dispute()
        data = validated(s.MediationConsentSerializer, request)
        party = get_object_or_404(dispute.parties.all(), pk=data["party"])
        call_service(services.record_consent, party, request.user, document=data["document"])
        return self._respond(dispute)

    @extend_schema(request=s.MediationAssignSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        dispute = self._dispute()
        data = validated(s.MediationAssignSerializer, request)
        mediator = services.mediator_pool().filter(pk=data.pop("mediator")).first()
        call_service(services.assign_mediator, dispute, request.user, mediator, **data)
        return self._respond(dispute)

    def _transition(self, request, func):
        dispute = self._dispute()
        call_service(func, dispute, request.user, validated(s.MediationCommentSerializer, request)["comment"])
        return self._respond(dispute)

    @extend_schema(request=s.MediationCommentSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, services.start_mediation)

    @extend_schema(request=s.MediationCommentSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition(request, services.withdraw)

    @extend_schema(request=s.MediationSessionInputSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        dispute = self._dispute()
        call_service(services.log_session, dispute, request.user, **validated(s.MediationSessionInputSerializer, request))
        return self._respond(dispute, created=True)

    @extend_schema(request=s.MediationExtendSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        dispute = self._dispute()
        call_service(services.extend_term, dispute, request.user, **validated(s.MediationExtendSerializer, request))
        return self._respond(dispute)

    @extend_schema(request=s.MediationAgreementInputSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        dispute = self._dispute()
        call_service(services.reach_agreement, dispute, request.user, **validated(s.MediationAgreementInputSerializer, request))
        return self._respond(dispute, created=True)

    @extend_schema(request=s.MediationFailSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        dispute = self._dispute()
        call_service(services.fail_mediation, dispute, request.user, **validated(s.MediationFailSerializer, request))
        return self._respond(dispute)

    @extend_schema(request=s.MediationConfirmationInputSerializer, responses=s.DisputeSerializer)
    @action(detail=True, methods=["post"])
    def confirmation(self, request, pk=None):
        dispute = self._dispute()
        call_service(services.record_confirmation, dispute, request.user,
                     **validated(s.MediationConfirmationInputSerializer, request))
        return self._respond(dispute)
