"""FilterSets of accounts, shared by the HTML lists and the API."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Organization, Station


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Organization.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Organization.Kind.choices)
    league = django_filters.ModelChoiceFilter(label=_("盟市"), queryset=Station.objects.leagues())

    class Meta:
        model = Organization
        fields = ["q", "status", "kind", "league"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value))


class StationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Station.Kind.choices)
    parent = django_filters.ModelChoiceFilter(label=_("上级"), queryset=Station.objects.all())

    class Meta:
        model = Station
        fields = ["kind", "parent"]
