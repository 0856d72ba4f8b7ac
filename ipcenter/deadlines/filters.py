import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Deadline
from ipcenter.filters import LocalDateFilter


class DeadlineFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=Deadline.State.choices)
    due_before = LocalDateFilter(label=_("到期早于"), field_name="due_at", side="to")
    kind = django_filters.CharFilter(label=_("类型"))

    class Meta:
        model = Deadline
        fields = ["state", "kind", "due_before"]
