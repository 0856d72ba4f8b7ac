from django.contrib import admin

from ipcenter.singleton import singleton_admin

from .models import Agreement, Dispute, MediationSettings, Party, Session

admin.site.register(MediationSettings, singleton_admin())


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    raw_id_fields = ["organization", "consent_document"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    exclude = ["created_by"]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "station", "mediator", "state", "due_date", "created_at"]
    list_filter = ["state", "ip_type"]
    search_fields = ["number", "subject", "parties__name"]
    list_select_related = ["station", "mediator"]
    raw_id_fields = ["station", "mediator", "created_by"]
    inlines = [PartyInline, SessionInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read-only: a signed agreement is never edited (its hash backs the public verification)."""

    list_display = ["number", "dispute", "signed_on", "mediator_name"]
    search_fields = ["number", "dispute__number"]
    readonly_fields = ["dispute", "number", "terms", "signed_on", "mediator_name", "content_hash", "token", "pdf",
                       "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
