"""Viewsets of the rights-assistance API: same scoping and FilterSets as the HTML pages;
every write goes through rightsaid.services."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ipcenter.api import ScopedViewSetMixin, call_service, validated

from .. import services
from ..filters import (AssistanceCaseFilterSet, ConsultationFilterSet, ExhibitionComplaintFilterSet,
                       ExhibitionFilterSet)
from ..models import Exhibition, Referral
from . import serializers as s


class BaseViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  GenericViewSet):
    pass


class ConsultationViewSet(BaseViewSet):
    serializer_class = s.ConsultationSerializer
    filterset_class = ConsultationFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("station", "converted_case")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = call_service(services.log_consultation, self.request.user, **data)

    @extend_schema(request=s.ConvertSerializer, responses={201: s.AssistanceCaseSerializer},
                   summary="咨询转为援助案件")
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        obj = self.get_object()
        case = call_service(services.convert_consultation, obj, request.user, **validated(s.ConvertSerializer, request))
        return Response(s.AssistanceCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class AssistanceCaseViewSet(BaseViewSet):
    serializer_class = s.AssistanceCaseSerializer
    filterset_class = AssistanceCaseFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("station").prefetch_related("evidence_items", Prefetch(
            "referrals", queryset=Referral.objects.all()))  # scoped: children of listed cases

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        station = data.pop("station")
        serializer.instance = call_service(services.open_case, self.request.user, station=station, **data)

    def _transition(self, request, func):
        obj = self.get_object()
        comment = validated(s.CommentSerializer, request)["comment"]
        obj = call_service(func, obj, request.user, comment)
        return Response(s.AssistanceCaseSerializer(obj).data)

    @action(detail=True, methods=["post"])
    def start_review(self, request, pk=None):
        return self._transition(request, services.start_review)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, services.accept_case)

    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._transition(request, services.decline_case)

    @action(detail=True, methods=["post"])
    def start_handling(self, request, pk=None):
        return self._transition(request, services.start_handling)

    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        obj = self.get_object()
        ref = call_service(services.refer_case, obj, request.user, **validated(s.ReferSerializer, request))
        return Response(s.ReferralSerializer(ref).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        obj = self.get_object()
        data = validated(s.FeedbackSerializer, request)
        ref = get_object_or_404(obj.referrals.all(), pk=data["referral"])
        ref = call_service(services.record_feedback, ref, request.user, data["feedback"])
        return Response(s.ReferralSerializer(ref).data)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        obj = self.get_object()
        obj = call_service(services.close_case, obj, request.user, **validated(s.CloseSerializer, request))
        return Response(s.AssistanceCaseSerializer(obj).data)


class ExhibitionViewSet(BaseViewSet):
    serializer_class = s.ExhibitionSerializer
    filterset_class = ExhibitionFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("station")

    def perform_create(self, serializer):
        serializer.instance = call_service(services.create_exhibition, self.request.user, **serializer.validated_data)


class ExhibitionComplaintViewSet(BaseViewSet):
    serializer_class = s.ExhibitionComplaintSerializer
    filterset_class = ExhibitionComplaintFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("exhibition")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        exhibition = data.pop("exhibition")
        if not Exhibition.objects.visible_to(self.request.user).filter(pk=exhibition.pk).exists():
            raise exceptions.ValidationError({"exhibition": ["展会不存在。"]})
        serializer.instance = call_service(services.file_exhibition_complaint, self.request.user, exhibition=exhibition,
                                   **data)

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        obj = call_service(services.record_answer, self.get_object(), request.user,
                   validated(s.AnswerSerializer, request)["answer"])
        return Response(s.ExhibitionComplaintSerializer(obj).data)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = validated(s.DecideSerializer, request)
        obj = call_service(services.decide_complaint, self.get_object(), request.user, data["outcome"], data["comment"])
        return Response(s.ExhibitionComplaintSerializer(obj).data)
