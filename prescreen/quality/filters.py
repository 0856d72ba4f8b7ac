"""FilterSets of the quality lists (shared by the HTML list and the API)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Check, Level


class CheckFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("质检层级"), choices=Level.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=Check.State.choices)
    outcome = django_filters.ChoiceFilter(label=_("结论"), choices=Check.Outcome.choices)
    mine = django_filters.ChoiceFilter(label=_("范围"), method="filter_mine", choices=(
        ("review", _("我检查的")), ("received", _("我的工作被检"))))
    completed_after = django_filters.DateFilter(label=_("完成日期自"), field_name="completed_at",
                                                lookup_expr="date__gte")
    completed_before = django_filters.DateFilter(label=_("完成日期至"), field_name="completed_at",
                                                 lookup_expr="date__lte")

    class Meta:
        model = Check
        fields = ["level", "state", "outcome", "mine", "completed_after", "completed_before"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset.none()
        return queryset.filter(reviewer=user) if value == "review" else queryset.filter(examiner=user)
