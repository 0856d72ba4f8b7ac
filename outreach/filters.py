"""FilterSets of outreach, shared by the HTML lists and the API."""
import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.filters import StationSubtreeFilter

from .models import Channel, Event, Publication, Registration


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Event.Kind.choices)
    station = StationSubtreeFilter(label=_("主办站点（含下级）"))
    start_after = django_filters.DateFilter(label=_("开始日期自"), field_name="starts_at", lookup_expr="date__gte")
    start_before = django_filters.DateFilter(label=_("开始日期至"), field_name="starts_at", lookup_expr="date__lte")
    state = django_filters.ChoiceFilter(label=_("状态"), method="filter_state", choices=[
        ("draft", _("未发布")), ("upcoming", _("未开始")), ("ongoing", _("进行中")), ("finished", _("已结束"))])

    class Meta:
        model = Event
        fields = ["q", "kind", "station", "start_after", "start_before", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(venue__icontains=value))

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == "draft":
            return queryset.filter(published=False)
        queryset = queryset.filter(published=True)
        if value == "upcoming":
            return queryset.filter(starts_at__gt=now)
        if value == "ongoing":
            return queryset.filter(starts_at__lte=now, ends_at__gte=now)
        if value == "finished":
            return queryset.filter(ends_at__lt=now)
        return queryset


class RegistrationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    event = django_filters.NumberFilter(label=_("活动"), field_name="event_id")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=Registration.State.choices)
    attended = django_filters.BooleanFilter(label=_("已签到"), field_name="checked_in_at", lookup_expr="isnull",
                                            exclude=True)

    class Meta:
        model = Registration
        fields = ["q", "event", "state", "attended"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(organization_name__icontains=value)
                               | Q(mobile__icontains=value))


class PublicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Publication.Kind.choices)
    channel = django_filters.ChoiceFilter(label=_("渠道"), choices=Channel.choices)
    published_after = django_filters.DateFilter(label=_("发布日期自"), field_name="published_on", lookup_expr="gte")
    published_before = django_filters.DateFilter(label=_("发布日期至"), field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Publication
        fields = ["q", "kind", "channel", "published_after", "published_before"]
