from django.contrib import admin

from ipcenter.singleton import singleton_admin

from .models import (AssistanceCase, Consultation, EvidenceItem, Exhibition, ExhibitionComplaint, Referral,
                     RightsaidSettings)


@admin.register(RightsaidSettings)
class RightsaidSettingsAdmin(singleton_admin()):
    list_display = ["__str__", "review_working_days", "referral_feedback_days", "exhibition_answer_hours",
                    "complaint_working_days"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["topic", "channel", "ip_type", "requester_name", "station", "created_at"]
    list_filter = ["channel", "ip_type"]
    search_fields = ["topic", "requester_name"]
    list_select_related = ["station"]


class EvidenceInline(admin.TabularInline):
    model = EvidenceItem
    extra = 0


class ReferralInline(admin.TabularInline):
    model = Referral
    extra = 0


@admin.register(AssistanceCase)
class AssistanceCaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "case_type", "state", "station", "created_at"]
    list_filter = ["kind", "case_type", "state"]
    search_fields = ["number", "title", "respondent"]
    readonly_fields = ["state"]
    inlines = [EvidenceInline, ReferralInline]
    list_select_related = ["station"]


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "start_date", "end_date", "station"]


@admin.register(ExhibitionComplaint)
class ExhibitionComplaintAdmin(admin.ModelAdmin):
    list_display = ["respondent", "exhibition", "state", "outcome", "repeat_infringer"]
    list_filter = ["state", "outcome", "repeat_infringer"]
    readonly_fields = ["state", "repeat_infringer"]
