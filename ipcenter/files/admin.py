from django.contrib import admin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "purpose", "mime_type", "size", "version", "uploaded_by", "uploaded_at"]
    list_filter = ["purpose", "mime_type"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [f.name for f in Attachment._meta.fields]
