"""Quality API: checks (with errors and fix task), samples, CNIPA feedback, the error catalogue,
statistics.  Same scoping as the pages: an examiner sees checks of their own work and the
checks they perform; others' checks are 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ipcenter.accounts import roles
from ipcenter.api import ScopedReadOnlyViewSet, ScopedViewSetMixin, call_service, validated
from prescreen.models import DefectItem

from .. import services
from ..filters import QualityCheckFilterSet, FeedbackFilterSet
from ..models import ErrorType, FeedbackItem, Sample
from ..forms import StatsFilterForm
from ..stats import quality_stats
from . import serializers as s


class QualityCheckViewSet(ScopedReadOnlyViewSet):
    serializer_class = s.QualityCheckSerializer
    filterset_class = QualityCheckFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("fix_task").prefetch_related("errors")

    def _detail(self, check, code=status.HTTP_200_OK):
        return Response(s.QualityCheckSerializer(self.get_queryset().get(pk=check.pk)).data, status=code)

    @extend_schema(request=None, responses=s.QualityCheckSerializer, summary="领取质检")
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        return self._detail(call_service(services.take_check, self.get_object(), request.user))

    @extend_schema(request=s.AddErrorSerializer, responses=s.QualityCheckSerializer, summary="记录差错")
    @action(detail=True, methods=["post"])
    def errors(self, request, pk=None):
        check = self.get_object()
        data = validated(s.AddErrorSerializer, request)
        item = None
        if data["defect_item"] is not None:
            item = DefectItem.objects.filter(pk=data["defect_item"], opinion_id=check.opinion_id).first()
            if item is None:
                raise exceptions.ValidationError({"defect_item": ["该缺陷条目不属于被检意见。"]})
        call_service(services.add_error, check, request.user, error_type=data["error_type"], comment=data["comment"],
             defect_item=item)
        return self._detail(check, status.HTTP_201_CREATED)

    @extend_schema(request=s.CompleteSerializer, responses=s.QualityCheckSerializer, summary="提交质检结论")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = validated(s.CompleteSerializer, request)
        return self._detail(call_service(services.complete_check, self.get_object(), request.user, **data))

    @extend_schema(request=s.AppealReasonSerializer, responses={201: s.QualityCheckSerializer}, summary="申诉（仅一次）")
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        data = validated(s.AppealReasonSerializer, request)
        appeal_check = call_service(services.appeal, self.get_object(), request.user, data["reason"])
        return self._detail(appeal_check, status.HTTP_201_CREATED)

    @extend_schema(request=s.FixSerializer, responses=s.QualityCheckSerializer, summary="提交整改")
    @action(detail=True, methods=["post"])
    def fix(self, request, pk=None):
        check = self.get_object()
        task = getattr(check, "fix_task", None)
        if task is None:
            raise exceptions.ValidationError({"non_field_errors": ["该质检没有整改任务。"]})
        call_service(services.resubmit_fix, task, request.user, validated(s.FixSerializer, request)["fix_note"])
        return self._detail(check)


class SampleViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    GenericViewSet):
    serializer_class = s.SampleSerializer
    model = Sample

    @extend_schema(request=s.SampleCreateSerializer, responses={201: s.SampleSerializer}, summary="抽样")
    def create(self, request, *args, **kwargs):
        data = validated(s.SampleCreateSerializer, request)
        sample = call_service(services.draw_sample, data["level"], request.user, period_start=data["period_start"],
                      period_end=data["period_end"], share=data["share"], seed=data["seed"])
        return Response(s.SampleSerializer(sample).data, status=status.HTTP_201_CREATED)


class FeedbackViewSet(ScopedReadOnlyViewSet):
    serializer_class = s.FeedbackSerializer
    model = FeedbackItem
    filterset_class = FeedbackFilterSet


class ErrorTypeViewSet(mixins.ListModelMixin, GenericViewSet):
    serializer_class = s.ErrorTypeSerializer
    queryset = ErrorType.objects.filter(active=True)
    pagination_class = None


class StatsViewSet(GenericViewSet):
    @extend_schema(parameters=[OpenApiParameter("date_from", OpenApiTypes.DATE),
                               OpenApiParameter("date_to", OpenApiTypes.DATE)],
                   responses=OpenApiTypes.OBJECT, summary="质量统计（本人或全部，按权限）")
    def list(self, request):
        user = request.user
        if not (user.is_centre_wide or user.has_role(roles.EXAMINER, roles.QC_REVIEWER)):
            raise exceptions.PermissionDenied()
        form = StatsFilterForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError({k: list(v) for k, v in form.errors.items()})
        data = quality_stats(user, form.cleaned_data["date_from"], form.cleaned_data["date_to"])
        data["mismatches"] = [{"case": f.case_id, "examiner": f.examiner_id, "note": f.note}
                              for f in data["mismatches"]]
        for row in data["by_month"]:
            row["key"] = row["label"]
        return Response(data)
