"""FilterSet of the dispute list (shared by the HTML list and the API)."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipcenter.filters import LocalDateFilter, OverdueFilter, StationSubtreeFilter
from rightsaid.models import IPType

from .forms import DateInput
from .models import Dispute
from .services import TERM_KIND, mediator_pool


class DisputeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("案号、事由或当事人"))
    station = StationSubtreeFilter()
    state = django_filters.ChoiceFilter(label=_("状态"), choices=Dispute.State.choices)
    ip_type = django_filters.ChoiceFilter(label=_("知识产权类型"), choices=IPType.choices)
    mediator = django_filters.ModelChoiceFilter(label=_("调解员"), queryset=mediator_pool())
    created_after = LocalDateFilter(label=_("登记日期自"), field_name="created_at", side="from", widget=DateInput())
    created_before = LocalDateFilter(label=_("登记日期至"), field_name="created_at", side="to", widget=DateInput())
    overdue = OverdueFilter(method="filter_overdue", label=_("调解超期"))

    class Meta:
        model = Dispute
        fields = ["q", "station", "state", "ip_type", "mediator", "created_after", "created_before", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(subject__icontains=value)
                               | Q(parties__name__icontains=value)).distinct()

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        from ipcenter.deadlines.services import overdue_ids

        ids = overdue_ids(Dispute, TERM_KIND)
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)
