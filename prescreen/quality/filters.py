"""FilterSets of the quality lists (shared by the HTML list and the API)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.accounts.models import User
from prescreen.models import PreExamCase

from .models import QualityCheck, FeedbackItem, Level
from ipcenter.filters import LocalDateFilter


class QualityCheckFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("质检层级"), choices=Level.choices, empty_label=_("全部"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=QualityCheck.State.choices, empty_label=_("全部"))
    outcome = django_filters.ChoiceFilter(label=_("结论"), choices=QualityCheck.Outcome.choices, empty_label=_("全部"))
    mine = django_filters.ChoiceFilter(label=_("范围"), method="filter_mine", empty_label=_("全部"), choices=(
        ("review", _("我检查的")), ("received", _("我的工作被检"))))
    completed_after = LocalDateFilter(label=_("完成日期自"), field_name="completed_at", side="from")
    completed_before = LocalDateFilter(label=_("完成日期至"), field_name="completed_at", side="to")

    class Meta:
        model = QualityCheck
        fields = ["level", "state", "outcome", "mine", "completed_after", "completed_before"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset.none()
        return queryset.filter(reviewer=user) if value == "review" else queryset.filter(examiner=user)


class FeedbackFilterSet(django_filters.FilterSet):
    consistent = django_filters.ChoiceFilter(label=_("结论一致"), method="filter_consistent", empty_label=_("全部"),
                                             choices=(("1", _("一致")), ("0", _("不一致")), ("na", _("不可比"))))
    cnipa_outcome = django_filters.ChoiceFilter(label=_("实审结果"), choices=PreExamCase.CnipaOutcome.choices,
                                                empty_label=_("全部"))
    examiner = django_filters.ModelChoiceFilter(label=_("预审员"), empty_label=_("全部"), queryset=User.objects.filter(
                                                groups__name=roles.EXAMINER).distinct().order_by("username"))
    created_after = LocalDateFilter(label=_("反馈日期自"), field_name="created_at", side="from")
    created_before = LocalDateFilter(label=_("反馈日期至"), field_name="created_at", side="to")

    class Meta:
        model = FeedbackItem
        fields = ["consistent", "cnipa_outcome", "examiner", "created_after", "created_before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and not (user.is_centre_wide or user.has_role(roles.QC_REVIEWER)):
            self.filters["examiner"].queryset = User.objects.filter(pk=user.pk)

    def filter_consistent(self, queryset, name, value):
        if value == "na":
            return queryset.filter(consistent__isnull=True)
        return queryset.filter(consistent=value == "1")
