"""/api/v1/stats/: the same sections as the dashboard, as JSON, with the same scope checks, read
from the same snapshots (202 with Retry-After while the first one is computed)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ..figures import FIGURE_PROVIDERS
from ..selection import resolve_scope, scope_label, scope_params
from ..snapshots import figures_for


def _scope(request):
    try:
        return resolve_scope(request.user, request.query_params)
    except ValidationError as exc:
        raise exceptions.ValidationError(exc.message_dict)
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc))
    except Http404 as exc:
        raise exceptions.NotFound(str(exc))


def _answer(scope, figures, one=None):
    """200 with the sections; 202 with a Retry-After while the first snapshot is computed."""
    if not figures.ready:
        return Response({"status": "computing", "detail": _("正在计算统计数据…"), "params": scope_params(scope)},
                        status=202, headers={"Retry-After": "5"})
    payload = _payload(scope, figures.sections)
    payload["computed_at"] = figures.computed_at.isoformat()
    if one is not None:
        return Response({**payload["sections"][0], "computed_at": payload["computed_at"]})
    return Response(payload)


def _payload(scope, data):
    out = []
    for section in data:
        item = section.as_dict()
        for fig, obj in zip(item["figures"], section.figures):
            fig.pop("previous", None), fig.pop("last_year", None)
            if hasattr(obj, "previous"):
                fig["previous"], fig["last_year"] = obj.previous, obj.last_year
        out.append(item)
    return {"period": {"start": scope.period.start.isoformat(), "end": scope.period.end.isoformat(),
                       "label": scope.period.label},
            "scope": {"station": scope.station.code if scope.station else None, "label": str(scope_label(scope))},
            "params": scope_params(scope), "sections": out}


PERIOD_PARAMS = [OpenApiParameter(name, str, required=False) for name in
                 ("period", "year", "month", "quarter", "date_from", "date_to", "station", "compare")]


class SectionsView(APIView):
    """All sections the user may see: ``?period=month&year=2026&month=3&station=<code>&compare=1``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="stats_sections", parameters=PERIOD_PARAMS,
                   responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
                   summary="各板块统计数据")
    def get(self, request):
        scope = _scope(request)
        compare = request.query_params.get("compare") in ("1", "true")
        return _answer(scope, figures_for(scope, compare=compare))


class SectionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="stats_section", parameters=PERIOD_PARAMS,
                   responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
                   summary="单个板块统计数据")
    def get(self, request, code):
        provider = FIGURE_PROVIDERS.get(code)
        if provider is None:
            raise exceptions.NotFound()
        scope = _scope(request)
        if not request.user.has_perm(provider.permission):
            raise exceptions.PermissionDenied()
        figures = figures_for(scope, compare=request.query_params.get("compare") in ("1", "true"), codes={code})
        return _answer(scope, figures, one=code)
