"""FilterSets of the pre-exam lists, shared by the HTML pages and the API.

Choice lists that name people or organisations are limited to what the requesting
user may see, so a filter drop-down never reveals records outside their scope."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, Station, TechnicalField, User
from ipcenter.deadlines.services import overdue_ids
from ipcenter.filters import LocalDateFilter, OverdueFilter, PickListFilter, StationSubtreeFilter, YesNoFilter

from .models import Opinion, PreExamCase, Registration


def _user(request):
    return getattr(request, "user", None)


def visible_organizations(request):
    """Organisations the user may see (all for staff; own and client companies otherwise)."""
    return Organization.objects.visible_to(_user(request)).order_by("name")


def visible_examiners(request):
    """Active examiners for staff; for outside users only the examiners of their own cases."""
    user = _user(request)
    examiners = User.objects.filter(groups__name=roles.EXAMINER, is_active=True)
    if user is None or not user.is_authenticated:
        return examiners.none()
    if not user.is_internal:
        examiners = examiners.filter(pk__in=PreExamCase.objects.visible_to(user).exclude(
            examiner__isnull=True).values("examiner_id"))
    return examiners.distinct().only("pk", *User.LABEL_FIELDS).order_by("display_name", "username")


def examiners_picklist(request):
    """Staff all see the same examiner list (cached); outside users' lists are their own."""
    user = _user(request)
    return "examiners" if user is not None and user.is_authenticated and user.is_internal else None


def overdue_case_ids():
    """Ids of cases with an overdue clock (any kind: turnaround, correction, CNIPA filing)."""
    return overdue_ids(PreExamCase)


@extend_schema_field(OpenApiTypes.INT)
class ScopedModelChoiceFilter(PickListFilter):
    """A choice of records given by a ``queryset(request)`` callable (typed as an id in the schema)."""


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search",
                                  help_text=_("预审编号、发明名称、申请人、单位名称或正式申请号"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=PreExamCase.State.choices)
    patent_type = django_filters.ChoiceFilter(label=_("专利类型"), choices=PreExamCase.PatentType.choices)
    technical_field = PickListFilter(label=_("技术领域"), picklist="technical_fields",
                                     queryset=TechnicalField.objects.order_by("sort_order", "pk"))
    league = StationSubtreeFilter(station_field="organization__league", label=_("盟市"), picklist="leagues",
                                  queryset=Station.objects.leagues().order_by("path"))
    # by id (API, links from an organisation's page); hidden in the HTML filter bar, where 2,000
    # organisations would make a select nobody can use — the search box matches names instead
    organization = ScopedModelChoiceFilter(label=_("申请人单位"), queryset=visible_organizations,
                                           widget=forms.HiddenInput)
    examiner = ScopedModelChoiceFilter(label=_("预审员"), queryset=visible_examiners, picklist=examiners_picklist)
    submitted_after = LocalDateFilter(label=_("提交日期自"), field_name="submitted_at", side="from")
    submitted_before = LocalDateFilter(label=_("提交日期至"), field_name="submitted_at", side="to")
    accepted_after = LocalDateFilter(label=_("受理日期自"), field_name="accepted_at", side="from")
    accepted_before = LocalDateFilter(label=_("受理日期至"), field_name="accepted_at", side="to")
    overdue = OverdueFilter(method="filter_overdue")
    near_duplicate = YesNoFilter(label=_("疑似重复申请"), method="filter_near_duplicate")
    cnipa_outcome = django_filters.ChoiceFilter(label=_("实审结果"), choices=PreExamCase.CnipaOutcome.choices)
    # the periods the statistics count by (their figures link here)
    concluded_after = LocalDateFilter(label=_("办结日期自"), field_name="concluded_at", side="from")
    concluded_before = LocalDateFilter(label=_("办结日期至"), field_name="concluded_at", side="to")
    cnipa_filed_after = django_filters.DateFilter(label=_("正式递交日期自"), field_name="cnipa_filed_on",
                                                  lookup_expr="gte")
    cnipa_filed_before = django_filters.DateFilter(label=_("正式递交日期至"), field_name="cnipa_filed_on",
                                                   lookup_expr="lte")
    cnipa_outcome_after = django_filters.DateFilter(label=_("实审结果日期自"), field_name="cnipa_outcome_date",
                                                    lookup_expr="gte")
    cnipa_outcome_before = django_filters.DateFilter(label=_("实审结果日期至"), field_name="cnipa_outcome_date",
                                                     lookup_expr="lte")

    class Meta:
        model = PreExamCase
        fields = ["q", "state", "patent_type", "technical_field", "league", "organization", "examiner",
                  "submitted_after", "submitted_before", "accepted_after", "accepted_before", "overdue",
                  "near_duplicate", "cnipa_outcome", "concluded_after", "concluded_before", "cnipa_filed_after",
                  "cnipa_filed_before", "cnipa_outcome_after", "cnipa_outcome_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)
                               | Q(applicants__icontains=value) | Q(organization__name__icontains=value)
                               | Q(cnipa_application_number__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value in ("", None):
            return queryset
        cond = Q(pk__in=overdue_case_ids())
        return queryset.filter(cond) if value else queryset.exclude(cond)

    def filter_near_duplicate(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(similar_case__isnull=not bool(value))


class RegistrationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("单位名称或统一社会信用代码"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=Registration.State.choices)
    league = StationSubtreeFilter(station_field="organization__league", label=_("盟市"), picklist="leagues",
                                  queryset=Station.objects.leagues().order_by("path"))
    technical_field = PickListFilter(label=_("技术领域"), field_name="technical_fields", distinct=True,
                                     picklist="technical_fields", queryset=TechnicalField.objects.order_by("sort_order", "pk"))
    submitted_after = LocalDateFilter(label=_("申请日期自"), field_name="submitted_at", side="from")
    submitted_before = LocalDateFilter(label=_("申请日期至"), field_name="submitted_at", side="to")

    class Meta:
        model = Registration
        fields = ["q", "state", "league", "technical_field", "submitted_after", "submitted_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(organization__name__icontains=value) | Q(organization__uscc__icontains=value))


class OpinionFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=Opinion.State.choices)
    conclusion = django_filters.ChoiceFilter(label=_("结论"), choices=Opinion.Conclusion.choices)
    case = django_filters.NumberFilter(label=_("案件"), field_name="case_id")

    class Meta:
        model = Opinion
        fields = ["state", "conclusion", "case"]
