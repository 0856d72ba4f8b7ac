from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "recipient", "created_at", "read_at", "email_status"]  # __str__: as shown
    list_filter = ["email_status"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]
