from django.contrib import admin

from ipcenter.singleton import singleton_admin

from .models import QualityCheck, CheckError, ErrorType, FeedbackItem, FixTask, QualitySettings, Sample

admin.site.register(QualitySettings, singleton_admin())


@admin.register(ErrorType)
class ErrorTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "category", "severity", "description", "active"]
    list_filter = ["category", "severity", "active"]
    list_editable = ["active"]


class CheckErrorInline(admin.TabularInline):
    model = CheckError
    extra = 0
    raw_id_fields = ["defect_item"]


@admin.register(QualityCheck)
class QualityCheckAdmin(admin.ModelAdmin):
    list_display = ["case", "level", "examiner", "reviewer", "state", "outcome", "score", "completed_at"]
    list_filter = ["level", "state", "outcome"]
    list_select_related = ["case", "examiner", "reviewer"]
    raw_id_fields = ["opinion", "case", "examiner", "reviewer", "sample", "appeal_of"]
    inlines = [CheckErrorInline]


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    list_display = ["level", "period_start", "period_end", "share", "seed", "drawn_by", "drawn_at"]
    list_filter = ["level"]
    readonly_fields = ["population", "selected", "seed"]


admin.site.register(FixTask, list_display=["case", "examiner", "state", "created_at", "done_at"],
                    raw_id_fields=["check_record", "case", "examiner"])
admin.site.register(FeedbackItem, list_display=["case", "examiner", "conclusion", "cnipa_outcome", "consistent"],
                    list_filter=["consistent", "cnipa_outcome"], raw_id_fields=["case", "opinion", "examiner"])
