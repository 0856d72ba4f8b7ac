"""Viewsets of the rights-assistance API: same scoping and FilterSets as the HTML pages;
every write goes through rightsaid.services."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ipcenter.api import ScopedViewSetMixin

from .. import services
from ..filters import (AssistanceCaseFilterSet, ConsultationFilterSet, ExhibitionComplaintFilterSet,
                       ExhibitionFilterSet)
from ..models import AssistanceCase, Consultation, Exhibition, ExhibitionComplaint, Referral, is_case_worker
from . import serializers as s


def _run(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        raise exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else
                                         {"detail": exc.messages})
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None)


def _payload(serializer_class, request):
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


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
        serializer.instance = _run(services.log_consultation, self.request.user, **data)

    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        obj = self.get_object()
        case = _run(services.convert_consultation, obj, request.user, **_payload(s.ConvertSerializer, request))
        return Response(s.AssistanceCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class AssistanceCaseViewSet(BaseViewSet):
    serializer_class = s.AssistanceCaseSerializer
    filterset_class = AssistanceCaseFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("station").prefetch_related("evidence_items", Prefetch(
            "referrals", queryset=Referral.objects.all()))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        station = data.pop("station")
        serializer.instance = _run(services.open_case, self.request.user, station=station, **data)

    def _transition(self, request, func):
        obj = self.get_object()
        comment = _payload(s.CommentSerializer, request)["comment"]
        obj = _run(func, obj, request.user, comment)
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
        ref = _run(services.refer_case, obj, request.user, **_payload(s.ReferSerializer, request))
        return Response(s.ReferralSerializer(ref).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        obj = self.get_object()
        data = _payload(s.FeedbackSerializer, request)
        ref = get_object_or_404(obj.referrals.all(), pk=data["referral"])
        ref = _run(services.record_feedback, ref, request.user, data["feedback"])
        return Response(s.ReferralSerializer(ref).data)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        obj = self.get_object()
        obj = _run(services.close_case, obj, request.user, **_payload(s.CloseSerializer, request))
        return Response(s.AssistanceCaseSerializer(obj).data)


class ExhibitionViewSet(BaseViewSet):
    serializer_class = s.ExhibitionSerializer
    filterset_class = ExhibitionFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("station")

    def perform_create(self, serializer):
        serializer.instance = _run(services.create_exhibition, self.request.user, **serializer.validated_data)


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
        serializer.instance = _run(services.file_exhibition_complaint, self.request.user, exhibition=exhibition,
                                   **data)

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        obj = _run(services.record_answer, self.get_object(), request.user,
                   _payload(s.AnswerSerializer, request)["answer"])
        return Response(s.ExhibitionComplaintSerializer(obj).data)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _payload(s.DecideSerializer, request)
        obj = _run(services.decide_complaint, self.get_object(), request.user, data["outcome"], data["comment"])
        return Response(s.ExhibitionComplaintSerializer(obj).data)
