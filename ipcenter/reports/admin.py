from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "direction", "requested_by", "status", "progress", "created_at", "finished_at",
                    "expires_at"]
    list_filter = ["status", "direction", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]
