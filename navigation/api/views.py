"""Navigation API: projects, phases, imports (with their error report), patents and analyses,
scoped exactly as the pages are."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from ipcenter.api import ScopedReadOnlyViewSet

from .. import analyses
from ..filters import ImportFilterSet, PatentFilterSet, ProjectFilterSet
from .serializers import (AnalysisSerializer, ImportErrorReportSerializer, ImportErrorsSerializer, ImportSerializer,
                          PatentSerializer, PhaseSerializer, ProjectSerializer, ReportSerializer)


class ProjectViewSet(ScopedReadOnlyViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("lead", "client_organization").prefetch_related("phases__owner")

    @extend_schema(responses=AnalysisSerializer, parameters=[
        OpenApiParameter("section", str, OpenApiParameter.PATH, enum=analyses.SECTION_KEYS, description="分析")])
    @action(detail=True, url_path=r"analyses/(?P<section>[a-z_]+)")
    def analyses(self, request, pk=None, section=None):
        """One analysis as JSON (the same selector the page and the report use)."""
        project = self.get_object()
        if section not in analyses.SECTION_KEYS:
            raise NotFound()
        filters = analyses.Filters(request.query_params)
        data = analyses.compute(section, analyses.patents_of(project, filters), project)
        return Response({"section": section, "label": str(analyses.SECTION_LABELS[section]),
                         "filters": filters.as_dict(), "data": data})


class PhaseViewSet(ScopedReadOnlyViewSet):
    serializer_class = PhaseSerializer

    def refine_queryset(self, qs):
        return qs.select_related("owner")


class ImportViewSet(ScopedReadOnlyViewSet):
    serializer_class = ImportSerializer
    filterset_class = ImportFilterSet

    def refine_queryset(self, qs):
        return qs.select_related("attachment", "job")

    def get_serializer_class(self):
        return ImportErrorsSerializer if self.action in ("retrieve", "errors") else ImportSerializer

    @extend_schema(responses=ImportErrorReportSerializer)
    @action(detail=True)
    def errors(self, request, pk=None):
        imp = self.get_object()
        return Response(ImportErrorReportSerializer(imp).data)


class PatentViewSet(ScopedReadOnlyViewSet):
    serializer_class = PatentSerializer
    filterset_class = PatentFilterSet


class ReportViewSet(ScopedReadOnlyViewSet):
    serializer_class = ReportSerializer
