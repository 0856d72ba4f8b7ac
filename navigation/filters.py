"""FilterSets shared by the HTML lists and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ApplicantKind, LegalStatus, NavigationProject, Patent, PatentImport


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    project_type = django_filters.ChoiceFilter(choices=NavigationProject.Type.choices, label=_("类型"),
                                               empty_label=_("全部"))
    status = django_filters.ChoiceFilter(choices=NavigationProject.Status.choices, label=_("状态"),
                                         empty_label=_("全部"))

    class Meta:
        model = NavigationProject
        fields = ["q", "project_type", "status"]


class PatentFilterSet(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", label=_("项目"))
    q = django_filters.CharFilter(method="search", label=_("号码/标题/申请人"))
    year_from = django_filters.NumberFilter(field_name="application_year", lookup_expr="gte", label=_("起始年"))
    year_to = django_filters.NumberFilter(field_name="application_year", lookup_expr="lte", label=_("截止年"))
    ipc = django_filters.CharFilter(method="by_ipc", label=_("IPC"))
    region = django_filters.CharFilter(method="by_region", label=_("地区"))
    applicant_kind = django_filters.ChoiceFilter(choices=ApplicantKind.choices, label=_("申请人类型"),
                                                 empty_label=_("全部"))
    legal_status = django_filters.ChoiceFilter(choices=LegalStatus.choices, label=_("法律状态"), empty_label=_("全部"))

    class Meta:
        model = Patent
        fields = ["project", "q", "year_from", "year_to", "ipc", "region", "applicant_kind", "legal_status"]

    def search(self, qs, name, value):
        from django.db.models import Q

        value = value.strip()[:100]
        return qs.filter(Q(publication_number__icontains=value) | Q(application_number__icontains=value) |
                         Q(title__icontains=value) | Q(applicants_text__icontains=value))

    def by_ipc(self, qs, name, value):
        from .analyses import Filters

        return Filters({"ipc": value}).apply(qs)

    def by_region(self, qs, name, value):
        from .analyses import Filters

        return Filters({"region": value}).apply(qs)


class ImportFilterSet(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", label=_("项目"))
    status = django_filters.ChoiceFilter(choices=PatentImport.Status.choices, label=_("状态"), empty_label=_("全部"))

    class Meta:
        model = PatentImport
        fields = ["project", "status"]
