from django.contrib import admin

from ipcenter.singleton import singleton_admin

from .models import DefectItem, DefectType, Opinion, PreExamCase, PrescreenSettings, Registration


admin.site.register(PrescreenSettings, singleton_admin())


@admin.register(DefectType)
class DefectTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "active", "sort_order"]
    list_editable = ["active", "sort_order"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["organization", "state", "submitted_at", "suspended_until"]
    list_filter = ["state"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "organization__uscc"]
    raw_id_fields = ["organization", "decided_by"]


class DefectItemInline(admin.TabularInline):
    model = DefectItem
    extra = 0


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["case", "round", "author", "state", "conclusion", "issued_at"]
    list_filter = ["state", "conclusion"]
    list_select_related = ["case", "author"]
    raw_id_fields = ["case", "author"]
    inlines = [DefectItemInline]


@admin.register(PreExamCase)
class PreExamCaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "organization", "technical_field", "state", "examiner", "accepted_at"]
    list_filter = ["state", "technical_field", "patent_type"]
    list_select_related = ["organization", "technical_field", "examiner"]
    search_fields = ["number", "title", "organization__name", "cnipa_application_number"]
    raw_id_fields = ["organization", "agency", "filed_by", "examiner", "similar_case"]
