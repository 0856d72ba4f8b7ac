"""Filter pieces shared by the area apps' FilterSets (HTML lists and API alike)."""
import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter

from ipcenter.accounts.models import Station

YES_NO = (("", _("全部")), (1, _("是")), (0, _("否")))


def local_day_start(day):
    """The first moment of ``day`` in the centre's time zone (an aware datetime)."""
    import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone())


class LocalDateFilter(django_filters.DateFilter):
    """A date bound on a moment field, as a local day: ``side="from"`` keeps moments from the
    start of that day in Asia/Shanghai, ``side="to"`` those before the start of the next day.
    (A range on the column itself, so its index serves, and no UTC day by mistake: a
    consultation logged at 01:30 local time is found under its local date.)"""

    def __init__(self, *args, side="from", **kwargs):
        if side not in ("from", "to"):
            raise ValueError(side)
        self.side = side
        kwargs.pop("lookup_expr", None)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        import datetime

        if value in (None, ""):
            return qs
        if self.side == "from":
            return qs.filter(**{f"{self.field_name}__gte": local_day_start(value)})
        return qs.filter(**{f"{self.field_name}__lt": local_day_start(value + datetime.timedelta(days=1))})


class PickListMixin:
    """A model choice filter whose options are a cached pick list (``ipcenter.picklists``).

    ``picklist`` names the list; a callable ``picklist(request)`` may return ``None`` for
    requesters whose options are scoped to them (those are read live)."""

    def __init__(self, *args, picklist=None, **kwargs):
        self.picklist = picklist
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        key = self.picklist(getattr(self.parent, "request", None)) if callable(self.picklist) else self.picklist
        field.picklist_key = key
        return field


@extend_schema_field(OpenApiTypes.INT)
class PickListFilter(PickListMixin, django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` with cached options."""


@extend_schema_field(OpenApiTypes.INT)
class YesNoFilter(django_filters.TypedChoiceFilter):
    """1 = yes, 0 = no, empty = no filter (the select starts on “全部”, so submitting the
    filter form never narrows the list by accident)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class OverdueFilter(YesNoFilter):
    """1 = only records with an overdue clock, 0 = only those without."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("超期"))
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class StationSubtreeFilter(PickListMixin, django_filters.ModelChoiceFilter):
    """A station and everything under it."""

    def __init__(self, *args, station_field="station", **kwargs):
        self.station_field = station_field
        if "queryset" not in kwargs:
            kwargs.update(queryset=Station.objects.all().order_by("path"), picklist=kwargs.get("picklist", "stations"))
        kwargs.setdefault("label", _("工作站（含下级）"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.station_field}__path__startswith": value.path})


# --- API filter backends (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]) ------------------------

class ListOnlyMixin:
    """A list's filters narrow the list only: a detail or action URL (``cases/0/documents/
    ?league=0``) finds its record by id alone, so a filter value there is neither applied nor
    validated (a missing record is 404, never a filter's 400, and ``?search=`` cannot hide it)."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        return super().filter_queryset(request, queryset, view)


BOOLEAN_TOKENS = {"true", "false", "1", "0"}


class ListFilterBackend(ListOnlyMixin, DjangoFilterBackend):
    """The FilterSet of the list, with malformed yes/no values refused: django-filter's
    ``BooleanFilter`` treats ``?attended=maybe`` as no filter, which answers the whole list to a
    client that asked for part of it; here it is a 400 naming the parameter.  An empty value is
    no filter, as for every parameter."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors = {}
        for name, flt in filterset.filters.items():
            raw = request.query_params.get(name)
            if isinstance(flt, django_filters.BooleanFilter) and raw not in (None, "") \
                    and raw.lower() not in BOOLEAN_TOKENS:
                errors[name] = [_("请填写 true 或 false（留空表示不限）。")]
        if errors:
            raise ValidationError(errors)
        return filterset


class ListOrderingFilter(ListOnlyMixin, OrderingFilter):
    pass


class ListSearchFilter(ListOnlyMixin, SearchFilter):
    pass
