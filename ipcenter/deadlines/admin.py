from django.contrib import admin

from .models import CalendarOverride, Deadline, DeadlineReminder, ReminderStage


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


@admin.register(ReminderStage)
class ReminderStageAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "offset_days", "active"]
    list_editable = ["offset_days", "active"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "due_at", "state", "assignee", "organization", "station"]
    list_filter = ["state", "kind", "rule"]
    raw_id_fields = ["assignee", "organization", "station"]


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(admin.ModelAdmin):
    list_display = ["deadline", "stage", "sent_at", "recipients"]
    raw_id_fields = ["deadline"]
