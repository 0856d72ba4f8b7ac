"""FilterSets of rights assistance, shared by the HTML lists and the API."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipcenter.deadlines.services import overdue_ids
from ipcenter.filters import (LocalDateFilter, OverdueFilter, StationSubtreeFilter,  # noqa: F401  (re-exported)
                              YesNoFilter)

from .models import AssistanceCase, Channel, Consultation, Exhibition, ExhibitionComplaint, IPType


def _overdue_ids(model):
    return overdue_ids(model)


class ConsultationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    station = StationSubtreeFilter()
    channel = django_filters.ChoiceFilter(label=_("渠道"), choices=Channel.choices)
    ip_type = django_filters.ChoiceFilter(label=_("知识产权类型"), choices=IPType.choices)
    created_after = LocalDateFilter(label=_("登记日期自"), field_name="created_at", side="from")
    created_before = LocalDateFilter(label=_("登记日期至"), field_name="created_at", side="to")

    class Meta:
        model = Consultation
        fields = ["q", "station", "channel", "ip_type", "created_after", "created_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(topic__icontains=value) | Q(requester_name__icontains=value)
                               | Q(question__icontains=value))


class AssistanceCaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    station = StationSubtreeFilter()
    kind = django_filters.ChoiceFilter(label=_("案件类别"), choices=AssistanceCase.Kind.choices)
    case_type = django_filters.ChoiceFilter(label=_("案件类型"), choices=AssistanceCase.CaseType.choices)
    channel = django_filters.ChoiceFilter(label=_("渠道"), choices=Channel.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=AssistanceCase.State.choices)
    created_after = LocalDateFilter(label=_("登记日期自"), field_name="created_at", side="from")
    created_before = LocalDateFilter(label=_("登记日期至"), field_name="created_at", side="to")
    overdue = OverdueFilter(method="filter_overdue")
    closed_after = LocalDateFilter(label=_("结案日期自"), field_name="closed_at", side="from")
    closed_before = LocalDateFilter(label=_("结案日期至"), field_name="closed_at", side="to")

    class Meta:
        model = AssistanceCase
        fields = ["q", "station", "kind", "case_type", "channel", "state", "created_after", "created_before",
                  "overdue", "closed_after", "closed_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)
                               | Q(respondent__icontains=value) | Q(requester_name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value in ("", None):
            return queryset
        from .models import Referral
        cond = Q(pk__in=_overdue_ids(AssistanceCase)) | Q(
            pk__in=Referral.objects.filter(pk__in=_overdue_ids(Referral)).values("case_id"))
        return queryset.filter(cond) if value else queryset.exclude(cond)


class ExhibitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="name", lookup_expr="icontains")
    station = StationSubtreeFilter()
    start_after = django_filters.DateFilter(label=_("开始日期自"), field_name="start_date", lookup_expr="gte")
    start_before = django_filters.DateFilter(label=_("开始日期至"), field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Exhibition
        fields = ["q", "station", "start_after", "start_before"]


class ExhibitionComplaintFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    station = StationSubtreeFilter(station_field="exhibition__station")
    exhibition = django_filters.NumberFilter(label=_("展会"), field_name="exhibition_id")
    ip_type = django_filters.ChoiceFilter(label=_("知识产权类型"), choices=IPType.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ExhibitionComplaint.State.choices)
    outcome = django_filters.ChoiceFilter(label=_("处理结果"), choices=ExhibitionComplaint.Outcome.choices)
    repeat_infringer = YesNoFilter(label=_("重复侵权"))
    overdue = OverdueFilter(method="filter_overdue")
    created_after = LocalDateFilter(label=_("投诉日期自"), field_name="created_at", side="from")
    created_before = LocalDateFilter(label=_("投诉日期至"), field_name="created_at", side="to")

    class Meta:
        model = ExhibitionComplaint
        fields = ["q", "station", "exhibition", "ip_type", "state", "outcome", "repeat_infringer", "overdue",
                  "created_after", "created_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(respondent__icontains=value) | Q(complainant__icontains=value)
                               | Q(booth__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value in ("", None):
            return queryset
        cond = Q(pk__in=_overdue_ids(ExhibitionComplaint))
        return queryset.filter(cond) if value else queryset.exclude(cond)
